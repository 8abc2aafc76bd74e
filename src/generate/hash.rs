//! The content-hash name suffix (kustomize's `hasher` and `HashTransformer`).
//!
//! kustomize hashes a compact JSON object with sorted keys: for a ConfigMap
//! `{"binaryData":…,"data":…,"kind":"ConfigMap","name":…}` (`binaryData` only when it is a
//! mapping), for a Secret `{"data":…,"kind":"Secret","name":…,"stringData":…,"type":…}`
//! (`stringData` only when it is a mapping). A missing field is `""`. Each field is looked
//! up with one path element, so `name` reads a top-level key literally named
//! `metadata/name` — in practice always missing, so the name never changes the hash. The
//! SHA-256 of that text, in hex, is cut to 10 characters and `0 1 3 a e` become
//! `g h k m t`, so the suffix never looks like a number or a word.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use crate::diag::{Diag, Result};
use crate::model::{Node, Resource, Value};

/// The hash kustomize appends to a generated ConfigMap's or Secret's name.
pub fn content_hash(node: &Node) -> Result<String> {
    let kind = node.get_str("kind").unwrap_or("");
    let mut object = BTreeMap::new();
    object.insert("kind".to_string(), Json::Str(kind.to_string()));
    object.insert("name".to_string(), field(node, "metadata/name"));
    object.insert("data".to_string(), field(node, "data"));
    let optional = match kind {
        "ConfigMap" => "binaryData",
        "Secret" => {
            object.insert("type".to_string(), field(node, "type"));
            "stringData"
        }
        other => {
            return Err(Diag::error(
                "kit::generate::hash",
                format!("cannot compute a content hash for kind '{other}'"),
            )
            .at(node.origin)
            .help("only ConfigMaps and Secrets get a content-hash name suffix"))
        }
    };
    if let Some(map @ Json::Obj(_)) = map_field(node, optional) {
        object.insert(optional.to_string(), map);
    }
    let mut text = String::new();
    Json::Obj(object).write(&mut text);
    Ok(encode(&Sha256::digest(text.as_bytes())))
}

/// Renames every resource that still needs its hash suffix to `name-<hash>`, recording the
/// old id first (kustomize's `HashTransformer`). Run once, at the end of the root
/// kustomization's build (after all transformers, before name references are fixed).
pub fn add_hash_suffixes(resources: &mut [Resource]) -> Result<()> {
    hash_in_place(resources)?;
    for res in resources.iter_mut() {
        res.needs_hash = false;
    }
    Ok(())
}

/// A `HashTransformer` plugin listed in a kustomization: every resource that needs a hash
/// suffix gets it now. As in kustomize, the mark stays, so the end of the build appends
/// another one.
pub fn hash_in_place(resources: &mut [Resource]) -> Result<()> {
    for res in resources.iter_mut().filter(|r| r.needs_hash) {
        let hash = content_hash(&res.node)?;
        res.store_previous_id();
        let name = format!("{}-{hash}", res.name());
        let origin = res
            .node
            .get_path(&["metadata", "name"])
            .and_then(|n| n.origin)
            .or(res.node.origin);
        if let Some(meta) = res.node.entry_map("metadata", res.node.origin) {
            meta.set("name", Node::str(name, origin));
        }
    }
    Ok(())
}

/// The first 10 hex digits of the digest, with `0 1 3 a e` replaced.
fn encode(digest: &[u8]) -> String {
    let mut hex = String::with_capacity(64);
    for b in digest {
        let _ = write!(hex, "{b:02x}");
    }
    hex.chars()
        .take(10)
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            c => c,
        })
        .collect()
}

/// A field as kustomize's `getNodeValues` reads it: `""` when missing, a scalar's text, or
/// a mapping round-tripped through JSON (`null` when it is not a mapping).
fn field(node: &Node, key: &str) -> Json {
    match node.get(key) {
        None => Json::Str(String::new()),
        Some(n) => match &n.value {
            Value::Map(_) | Value::Seq(_) => map_json(n),
            _ => Json::Str(n.scalar_text().unwrap_or_default()),
        },
    }
}

/// The field only when it is a mapping or a list (kustomize includes `binaryData` and
/// `stringData` when they decode to a map; a list decodes to a nil map, `null`).
fn map_field(node: &Node, key: &str) -> Option<Json> {
    let n = node.get(key)?;
    match &n.value {
        Value::Map(_) | Value::Seq(_) => Some(map_json(n)),
        _ => None,
    }
    .filter(|j| matches!(j, Json::Obj(_)))
}

fn map_json(node: &Node) -> Json {
    match (&node.value, to_json(node)) {
        (Value::Map(_), Some(j)) => j,
        _ => Json::Null,
    }
}

/// A node as Go's `json.Unmarshal` into `interface{}` sees it (numbers become float64);
/// `None` when it cannot be encoded (NaN or infinity).
fn to_json(node: &Node) -> Option<Json> {
    Some(match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::Num(go_float(*i as f64)?),
        Value::UInt(u) => Json::Num(go_float(*u as f64)?),
        Value::Float(f) => Json::Num(go_float(*f)?),
        Value::Str(s) => Json::Str(s.clone()),
        Value::Seq(items) => Json::Arr(items.iter().map(to_json).collect::<Option<_>>()?),
        Value::Map(m) => Json::Obj(
            m.iter()
                .map(|(k, v)| Some((k.clone(), to_json(v)?)))
                .collect::<Option<_>>()?,
        ),
    })
}

/// Go's `encoding/json` float64 format: shortest round-trip digits, plain notation unless
/// the magnitude is below 1e-6 or at least 1e21.
fn go_float(f: f64) -> Option<String> {
    if !f.is_finite() {
        return None;
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = format!("{f:e}");
        return Some(match s.split_once('e') {
            Some((mantissa, exp)) if !exp.starts_with('-') => format!("{mantissa}e+{exp}"),
            _ => s,
        });
    }
    Some(format!("{f}"))
}

/// The JSON kustomize hashes. Objects sort their keys (Go sorts map keys).
enum Json {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    Obj(BTreeMap<String, Json>),
}

impl Json {
    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Num(n) => out.push_str(n),
            Json::Str(s) => crate::emit::write_go_json_string(s, out),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Obj(map) => {
                out.push('{');
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    crate::emit::write_go_json_string(k, out);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::generate::testing::{map, s};

    #[test]
    fn matches_kubectl_kustomize() {
        // Values taken from `kubectl kustomize` (v5.8.1) output.
        let cm = map(vec![
            ("kind", s("ConfigMap")),
            ("metadata", map(vec![("name", s("foo"))])),
            ("data", map(vec![("a", s("b"))])),
        ]);
        assert_eq!(content_hash(&cm).unwrap(), "4h2mbtbbt6");
        let secret = map(vec![
            ("kind", s("Secret")),
            ("metadata", map(vec![("name", s("s"))])),
            ("type", s("Opaque")),
            ("data", map(vec![("a", s("Yg=="))])),
        ]);
        assert_eq!(content_hash(&secret).unwrap(), "k695gkmbtk");
        let empty = map(vec![
            ("kind", s("Secret")),
            ("type", s("Opaque")),
            ("data", map(vec![])),
        ]);
        assert_eq!(content_hash(&empty).unwrap(), "46f8b28mk5");
    }

    #[test]
    fn go_json_escaping() {
        let mut out = String::new();
        crate::emit::write_go_json_string("a<b>&\"\\\n\u{1}\u{8}\u{2028}é", &mut out);
        assert_eq!(
            out,
            "\"a\\u003cb\\u003e\\u0026\\\"\\\\\\n\\u0001\\b\\u2028é\""
        );
    }

    #[test]
    fn go_floats() {
        assert_eq!(go_float(12.0).unwrap(), "12");
        assert_eq!(go_float(0.5).unwrap(), "0.5");
        assert_eq!(go_float(1e21).unwrap(), "1e+21");
        assert_eq!(go_float(1.5e-7).unwrap(), "1.5e-7");
    }

    #[test]
    fn suffix_records_previous_id() {
        let mut r = Resource::new(map(vec![
            ("apiVersion", s("v1")),
            ("kind", s("ConfigMap")),
            ("metadata", map(vec![("name", s("foo"))])),
            ("data", map(vec![("a", s("b"))])),
        ]));
        r.needs_hash = true;
        let mut list = vec![r];
        add_hash_suffixes(&mut list).unwrap();
        assert_eq!(list[0].name(), "foo-4h2mbtbbt6");
        assert_eq!(list[0].previous[0].name, "foo");
        assert!(!list[0].needs_hash);
    }
}
