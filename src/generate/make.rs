//! Making the ConfigMap or Secret object of one generator.

use std::collections::BTreeMap;

use crate::diag::{Diag, Result};
use crate::model::{Mapping, Node, Resource, Value};
use crate::source::Origin;

use super::args::{GeneratorArgs, GeneratorKind, Options};
use super::kv::{self, Pair, ReadFile};
use super::Generated;

/// Generates one ConfigMap or Secret, as kustomize's ConfigMapGenerator and
/// SecretGenerator do.
///
/// `global` is the kustomization's `generatorOptions`; the generator's own `options` win
/// over it. `read` reads the files the generator names (`envs`, `files`), relative to the
/// kustomization's directory: the caller enforces the load restrictor there.
///
/// The result has `needs_hash` set unless `disableNameSuffixHash` is on; its name gets the
/// suffix from [`super::add_hash_suffixes`] at the end of the root's build.
pub fn generate(
    args: &GeneratorArgs,
    global: Option<&Options>,
    read: &ReadFile<'_>,
) -> Result<Generated> {
    let options = args.options.merged_with(global);
    if args.name.value.is_empty() {
        return Err(Diag::error(
            "kit::generate::missing-name",
            format!("a {} generator entry must have a name", args.kind.field()),
        )
        .at(args.origin)
        .help("add `name: ...` to the entry"));
    }
    let pairs = kv::load_pairs(args, read)?;
    let data = validated_map(args, pairs)?;

    let origin = args.origin;
    let mut meta: Mapping = vec![("name".to_string(), args.name.node())];
    if !args.namespace.value.is_empty() {
        meta.push(("namespace".to_string(), args.namespace.node()));
    }
    for (field, pairs) in [
        ("labels", &options.labels),
        ("annotations", &options.annotations),
    ] {
        if pairs.is_empty() {
            continue;
        }
        let mut sorted: Vec<_> = pairs.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let map: Mapping = sorted
            .into_iter()
            .map(|(k, v)| (k.clone(), v.node()))
            .collect();
        meta.push((field.to_string(), Node::new(Value::Map(map), origin)));
    }

    let mut root: Mapping = vec![
        ("apiVersion".to_string(), Node::str("v1", origin)),
        ("kind".to_string(), Node::str(args.kind.kind(), origin)),
        ("metadata".to_string(), Node::new(Value::Map(meta), origin)),
    ];
    match args.kind {
        GeneratorKind::ConfigMap => {
            let mut text: Mapping = Vec::new();
            let mut binary: Mapping = Vec::new();
            for (key, (value, at)) in data {
                match String::from_utf8(value) {
                    Ok(s) => text.push((key, Node::str(s, at))),
                    Err(e) => binary.push((key, Node::str(encode_base64(&e.into_bytes()), at))),
                }
            }
            if !text.is_empty() {
                root.push(("data".to_string(), Node::new(Value::Map(text), origin)));
            }
            if !binary.is_empty() {
                root.push((
                    "binaryData".to_string(),
                    Node::new(Value::Map(binary), origin),
                ));
            }
        }
        GeneratorKind::Secret => {
            let secret_type = if args.secret_type.value.is_empty() {
                Node::str("Opaque", origin)
            } else {
                args.secret_type.node()
            };
            root.push(("type".to_string(), secret_type));
            // A Secret always has `data`, even empty.
            let encoded: Mapping = data
                .into_iter()
                .map(|(key, (value, at))| (key, Node::str(encode_base64(&value), at)))
                .collect();
            root.push(("data".to_string(), Node::new(Value::Map(encoded), origin)));
        }
    }
    if options.immutable {
        root.push((
            "immutable".to_string(),
            Node::new(Value::Bool(true), origin),
        ));
    }
    let mut resource = Resource::new(Node::new(Value::Map(root), origin));
    resource.needs_hash = !options.disable_name_suffix_hash;
    Ok(Generated {
        resource,
        behavior: args.behavior,
        behavior_text: args.behavior_text.clone(),
        origin,
    })
}

type DataMap = BTreeMap<String, (Vec<u8>, Option<Origin>)>;

/// The pairs as a map, refusing a key given twice (kustomize says "configmap" for both
/// kinds; kit names the kind).
fn validated_map(args: &GeneratorArgs, pairs: Vec<Pair>) -> Result<DataMap> {
    let mut map = DataMap::new();
    for pair in pairs {
        if map.contains_key(&pair.key) {
            return Err(Diag::error(
                "kit::generate::duplicate-key",
                format!(
                    "{} {} illegally repeats the key `{}`",
                    args.kind.kind(),
                    args.name.value,
                    pair.key
                ),
            )
            .at(pair.origin.or(args.origin))
            .help("each key may come from one literal, file or env-file line only; rename one (files accept `key=path`)"));
        }
        map.insert(pair.key, (pair.value, pair.origin));
    }
    Ok(map)
}

/// Standard base64 with padding, broken into lines of 70 characters, each followed by a
/// newline, once the text is 70 characters or longer (kustomize's `encodeBase64`).
pub fn encode_base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const LINE: usize = 70;
    let mut plain = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                plain.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                plain.push('=');
            }
        }
    }
    if plain.len() < LINE {
        return plain;
    }
    let mut out = String::with_capacity(plain.len() + plain.len() / LINE + 1);
    for line in plain.as_bytes().chunks(LINE) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_go() {
        assert_eq!(encode_base64(b""), "");
        assert_eq!(encode_base64(b"b"), "Yg==");
        assert_eq!(encode_base64(b"ab"), "YWI=");
        assert_eq!(encode_base64(b"abc"), "YWJj");
        // 52 bytes encode to 72 characters: two lines, both newline-terminated.
        let long = encode_base64(&[0u8; 52]);
        assert_eq!(long.lines().map(str::len).collect::<Vec<_>>(), [70, 2]);
        assert!(long.ends_with('\n'));
        // 51 bytes encode to 68 characters: one line, no newline.
        assert_eq!(encode_base64(&[0u8; 51]).len(), 68);
    }
}
