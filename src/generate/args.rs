//! The kustomization fields `configMapGenerator`, `secretGenerator` and `generatorOptions`,
//! read into typed arguments.
//!
//! kustomize decodes a kustomization by converting it to JSON and running Go's
//! `encoding/json` with unknown fields disallowed. That fixes the rules kit follows here:
//! field names match case-insensitively, a field written twice (in different case) keeps
//! the last value, `null` means "not set", and a value of the wrong type (a number where a
//! string is expected, a string where a boolean is expected) is an error rather than being
//! converted. The YAML is turned into JSON through a Go map first, so keys reach the
//! decoder sorted: of two spellings of one field (`Literals` and `literals`), the one that
//! sorts last wins.

use crate::diag::{Diag, Result};
use crate::model::{Node, Value};
use crate::source::Origin;
use crate::transform::{Pairs, Setting};

/// Which kind of object a generator makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeneratorKind {
    ConfigMap,
    Secret,
}

impl GeneratorKind {
    pub fn kind(self) -> &'static str {
        match self {
            GeneratorKind::ConfigMap => "ConfigMap",
            GeneratorKind::Secret => "Secret",
        }
    }

    /// The kustomization field that lists generators of this kind.
    pub fn field(self) -> &'static str {
        match self {
            GeneratorKind::ConfigMap => "configMapGenerator",
            GeneratorKind::Secret => "secretGenerator",
        }
    }
}

/// A generator's `behavior`. Anything but the three lowercase words kustomize knows is
/// `Unspecified`, which kustomize treats as `create` (without an error).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Behavior {
    #[default]
    Unspecified,
    Create,
    Replace,
    Merge,
}

impl Behavior {
    pub fn parse(text: &str) -> Behavior {
        match text {
            "create" => Behavior::Create,
            "replace" => Behavior::Replace,
            "merge" => Behavior::Merge,
            _ => Behavior::Unspecified,
        }
    }

    /// kustomize's spelling, as its messages print it.
    pub fn as_str(self) -> &'static str {
        match self {
            Behavior::Unspecified => "unspecified",
            Behavior::Create => "create",
            Behavior::Replace => "replace",
            Behavior::Merge => "merge",
        }
    }
}

/// `generatorOptions`, or a generator's own `options`.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub labels: Pairs,
    pub annotations: Pairs,
    pub disable_name_suffix_hash: bool,
    pub immutable: bool,
}

impl Options {
    /// kustomize's `MergeGlobalOptionsIntoLocal`: the generator's own labels and
    /// annotations win over the kustomization's `generatorOptions`; either one setting
    /// `disableNameSuffixHash` or `immutable` turns it on.
    pub fn merged_with(&self, global: Option<&Options>) -> Options {
        let mut out = self.clone();
        let Some(global) = global else {
            return out;
        };
        for (k, v) in &global.labels {
            if !out.labels.iter().any(|(have, _)| have == k) {
                out.labels.push((k.clone(), v.clone()));
            }
        }
        for (k, v) in &global.annotations {
            if !out.annotations.iter().any(|(have, _)| have == k) {
                out.annotations.push((k.clone(), v.clone()));
            }
        }
        out.disable_name_suffix_hash |= global.disable_name_suffix_hash;
        out.immutable |= global.immutable;
        out
    }
}

/// One entry of `configMapGenerator` or `secretGenerator`.
#[derive(Clone, Debug)]
pub struct GeneratorArgs {
    pub kind: GeneratorKind,
    /// The entry itself (apiVersion, kind and metadata of the result point here).
    pub origin: Option<Origin>,
    /// Empty when not written (an error when generating, as in kustomize).
    pub name: Setting,
    /// Empty when not written.
    pub namespace: Setting,
    pub behavior: Behavior,
    /// `behavior` as written (for messages), if written.
    pub behavior_text: Option<Setting>,
    /// `literals`: `key=value`, the value possibly quoted.
    pub literals: Vec<Setting>,
    /// `files`: `path` or `key=path`.
    pub files: Vec<Setting>,
    /// `envs`, then the legacy singular `env` (kustomize appends it last).
    pub envs: Vec<Setting>,
    /// `type` (secretGenerator only); `Opaque` when empty.
    pub secret_type: Setting,
    /// The entry's own `options` (not yet merged with `generatorOptions`).
    pub options: Options,
}

impl GeneratorArgs {
    fn empty(kind: GeneratorKind, origin: Option<Origin>) -> Self {
        let blank = Setting {
            value: String::new(),
            origin,
        };
        GeneratorArgs {
            kind,
            origin,
            name: blank.clone(),
            namespace: blank.clone(),
            behavior: Behavior::Unspecified,
            behavior_text: None,
            literals: Vec::new(),
            files: Vec::new(),
            envs: Vec::new(),
            secret_type: blank,
            options: Options::default(),
        }
    }
}

const GENERATOR_FIELDS: &[&str] = &[
    "name",
    "namespace",
    "behavior",
    "literals",
    "files",
    "envs",
    "env",
    "options",
];
const OPTION_FIELDS: &[&str] = &[
    "labels",
    "annotations",
    "disableNameSuffixHash",
    "immutable",
];

/// Reads the value of `configMapGenerator` (kind `ConfigMap`) or `secretGenerator`
/// (kind `Secret`).
pub fn parse_generators(node: &Node, kind: GeneratorKind) -> Result<Vec<GeneratorArgs>> {
    let field = kind.field();
    match &node.value {
        Value::Null => Ok(Vec::new()),
        Value::Seq(items) => items.iter().map(|n| parse_one(n, kind)).collect(),
        _ => Err(type_error(
            node,
            &format!("`{field}` must be a list of generators"),
            &format!("write `{field}:` followed by `- name: ...` entries"),
        )),
    }
}

/// Reads the value of `generatorOptions`; `None` when it is null.
pub fn parse_options(node: &Node) -> Result<Option<Options>> {
    if node.is_null() {
        return Ok(None);
    }
    options(node, "generatorOptions").map(Some)
}

fn parse_one(node: &Node, kind: GeneratorKind) -> Result<GeneratorArgs> {
    let field = kind.field();
    let mut args = GeneratorArgs::empty(kind, node.origin);
    let entries = match &node.value {
        Value::Null => return Ok(args),
        Value::Map(m) => m,
        _ => {
            return Err(type_error(
                node,
                &format!("a `{field}` entry must be a mapping"),
                "each entry needs at least `name:`, plus `literals`, `files` or `envs`",
            ))
        }
    };
    let mut env_singular: Option<Setting> = None;
    for (written, value) in sorted(entries) {
        let known = match_field(written, GENERATOR_FIELDS).or_else(|| {
            (kind == GeneratorKind::Secret && "type".eq_ignore_ascii_case(written))
                .then_some("type")
        });
        let Some(key) = known else {
            let mut allowed: Vec<&str> = GENERATOR_FIELDS.to_vec();
            if kind == GeneratorKind::Secret {
                allowed.push("type");
            }
            return Err(Diag::error(
                "kit::generate::unknown-field",
                format!("unknown field \"{written}\" in a `{field}` entry"),
            )
            .at(value.origin)
            .help(format!("`{field}` entries accept: {}", allowed.join(", "))));
        };
        let context = format!("{field}[].{key}");
        match key {
            "name" => args.name = string(value, &context)?,
            "namespace" => args.namespace = string(value, &context)?,
            "behavior" => {
                let text = string(value, &context)?;
                args.behavior = Behavior::parse(&text.value);
                args.behavior_text = (!value.is_null()).then_some(text);
            }
            "literals" => args.literals = string_list(value, &context)?,
            "files" => args.files = string_list(value, &context)?,
            "envs" => args.envs = string_list(value, &context)?,
            "env" => env_singular = Some(string(value, &context)?),
            "type" => args.secret_type = string(value, &context)?,
            "options" => {
                args.options = if value.is_null() {
                    Options::default()
                } else {
                    options(value, &context)?
                }
            }
            _ => {}
        }
    }
    if let Some(env) = env_singular.filter(|e| !e.value.is_empty()) {
        args.envs.push(env);
    }
    Ok(args)
}

/// Reads a `ConfigMapGenerator` or `SecretGenerator` plugin configuration object (kustomize
/// decodes it leniently: unknown fields are ignored, numbers read into text). The name and
/// namespace fall back to the object's `metadata`.
pub fn parse_plugin_config(
    node: &Node,
    kind: GeneratorKind,
    d: &crate::plugin::decode::Decoder<'_>,
) -> Result<GeneratorArgs> {
    let mut args = GeneratorArgs::empty(kind, node.origin);
    let mut names: Vec<&'static str> = GENERATOR_FIELDS.to_vec();
    names.push("metadata");
    if kind == GeneratorKind::Secret {
        names.push("type");
    }
    let f = d.fields(node, &names, "configuration")?;
    // Only `metadata` is the plugin's own field; the rest are promoted from the embedded
    // generator arguments, where kustomize takes no number for a string.
    let p = d.promoted();
    let text = |name: &str| -> Result<Option<Setting>> {
        f.get(name).map(|v| p.string(v, name)).transpose()
    };
    let list = |name: &str| -> Result<Vec<Setting>> {
        f.get(name)
            .map(|v| p.strings(v, name))
            .transpose()
            .map(Option::unwrap_or_default)
    };
    if let Some(name) = text("name")? {
        args.name = name;
    }
    if let Some(namespace) = text("namespace")? {
        args.namespace = namespace;
    }
    if let Some(meta) = f.get("metadata") {
        let m = d.fields(meta, &["name", "namespace"], "metadata")?;
        if args.name.value.is_empty() {
            if let Some(name) = m.get("name") {
                args.name = d.string(name, "metadata.name")?;
            }
        }
        if args.namespace.value.is_empty() {
            if let Some(namespace) = m.get("namespace") {
                args.namespace = d.string(namespace, "metadata.namespace")?;
            }
        }
    }
    if let Some(behavior) = text("behavior")? {
        args.behavior = Behavior::parse(&behavior.value);
        args.behavior_text = Some(behavior);
    }
    args.literals = list("literals")?;
    args.files = list("files")?;
    args.envs = list("envs")?;
    if let Some(env) = text("env")?.filter(|e| !e.value.is_empty()) {
        args.envs.push(env);
    }
    if let Some(t) = text("type")? {
        args.secret_type = t;
    }
    if let Some(o) = f.get("options") {
        let of = p.fields(o, OPTION_FIELDS, "options")?;
        let pairs = |name: &str| -> Result<Pairs> {
            of.get(name)
                .map(|v| p.string_map(v, &format!("options.{name}")))
                .transpose()
                .map(Option::unwrap_or_default)
        };
        let flag = |name: &str| -> Result<bool> {
            of.get(name)
                .map(|v| p.boolean(v, &format!("options.{name}")))
                .transpose()
                .map(|b| b.unwrap_or(false))
        };
        args.options = Options {
            labels: pairs("labels")?,
            annotations: pairs("annotations")?,
            disable_name_suffix_hash: flag("disableNameSuffixHash")?,
            immutable: flag("immutable")?,
        };
    }
    Ok(args)
}

fn options(node: &Node, context: &str) -> Result<Options> {
    let Some(entries) = node.as_map() else {
        return Err(type_error(
            node,
            &format!("`{context}` must be a mapping"),
            "it accepts labels, annotations, disableNameSuffixHash and immutable",
        ));
    };
    let mut out = Options::default();
    for (written, value) in sorted(entries) {
        let Some(key) = match_field(written, OPTION_FIELDS) else {
            return Err(Diag::error(
                "kit::generate::unknown-field",
                format!("unknown field \"{written}\" in `{context}`"),
            )
            .at(value.origin)
            .help(format!("`{context}` accepts: {}", OPTION_FIELDS.join(", "))));
        };
        let context = format!("{context}.{key}");
        match key {
            // Go decodes a second spelling of a map field into the same map.
            "labels" => merge_pairs(&mut out.labels, string_map(value, &context)?),
            "annotations" => merge_pairs(&mut out.annotations, string_map(value, &context)?),
            "disableNameSuffixHash" => out.disable_name_suffix_hash = boolean(value, &context)?,
            "immutable" => out.immutable = boolean(value, &context)?,
            _ => {}
        }
    }
    Ok(out)
}

fn merge_pairs(into: &mut Pairs, more: Pairs) {
    for (k, v) in more {
        match into.iter_mut().find(|(have, _)| *have == k) {
            Some((_, slot)) => *slot = v,
            None => into.push((k, v)),
        }
    }
}

/// Mapping entries in the order Go's JSON encoder writes a map: sorted by key bytes.
fn sorted(entries: &[(String, Node)]) -> Vec<(&String, &Node)> {
    let mut out: Vec<(&String, &Node)> = entries.iter().map(|(k, v)| (k, v)).collect();
    out.sort_by(|a, b| a.0.cmp(b.0));
    out
}

/// Go's `encoding/json` field matching: an exact name, else any case.
fn match_field(written: &str, fields: &[&'static str]) -> Option<&'static str> {
    fields
        .iter()
        .find(|f| **f == written)
        .or_else(|| fields.iter().find(|f| f.eq_ignore_ascii_case(written)))
        .copied()
}

fn type_error(node: &Node, message: &str, help: &str) -> Diag {
    Diag::error("kit::generate::type", message.to_string())
        .at(node.origin)
        .help(help.to_string())
}

/// A string field: strings only (kustomize refuses numbers and booleans); null is empty.
fn string(node: &Node, context: &str) -> Result<Setting> {
    match &node.value {
        Value::Str(s) => Ok(Setting {
            value: s.clone(),
            origin: node.origin,
        }),
        Value::Null => Ok(Setting {
            value: String::new(),
            origin: node.origin,
        }),
        _ => Err(type_error(
            node,
            &format!("`{context}` must be a string, not {}", node.shape()),
            "quote the value, e.g. \"123\"",
        )),
    }
}

fn string_list(node: &Node, context: &str) -> Result<Vec<Setting>> {
    match &node.value {
        Value::Null => Ok(Vec::new()),
        Value::Seq(items) => items.iter().map(|n| string(n, context)).collect(),
        _ => Err(type_error(
            node,
            &format!(
                "`{context}` must be a list of strings, not {}",
                node.shape()
            ),
            "write one `- item` per line",
        )),
    }
}

fn string_map(node: &Node, context: &str) -> Result<Pairs> {
    match &node.value {
        Value::Null => Ok(Vec::new()),
        Value::Map(m) => m
            .iter()
            .map(|(k, v)| Ok((k.clone(), string(v, context)?)))
            .collect(),
        _ => Err(type_error(
            node,
            &format!(
                "`{context}` must be a mapping of strings, not {}",
                node.shape()
            ),
            "write `key: value` pairs",
        )),
    }
}

/// A boolean field. kustomize reads kustomizations with YAML 1.1 rules, where `yes`, `on`,
/// `y` (and their negations, in three cases each) are booleans too; kit's reader follows
/// YAML 1.2 and keeps them as strings, so they are accepted here. (A quoted `"yes"` is a
/// string to kustomize and an error there; kit cannot tell it from a plain one.)
fn boolean(node: &Node, context: &str) -> Result<bool> {
    const TRUE: &[&str] = &["y", "Y", "yes", "Yes", "YES", "on", "On", "ON"];
    const FALSE: &[&str] = &["n", "N", "no", "No", "NO", "off", "Off", "OFF"];
    match &node.value {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(false),
        Value::Str(s) if TRUE.contains(&s.as_str()) => Ok(true),
        Value::Str(s) if FALSE.contains(&s.as_str()) => Ok(false),
        _ => Err(type_error(
            node,
            &format!("`{context}` must be true or false, not {}", node.shape()),
            "write `true` or `false` without quotes",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::testing::{map, s};

    fn seq(items: Vec<Node>) -> Node {
        Node::new(Value::Seq(items), None)
    }

    #[test]
    fn reads_fields_case_insensitively_and_appends_legacy_env() {
        let node = seq(vec![map(vec![
            ("Name", s("a")),
            ("env", s("legacy.env")),
            ("ENVS", seq(vec![s("one.env")])),
            ("behavior", s("merge")),
            ("literals", seq(vec![s("k=v")])),
        ])]);
        let args = parse_generators(&node, GeneratorKind::ConfigMap).unwrap_or_default();
        assert_eq!(args.len(), 1);
        assert_eq!(args[0].name.value, "a");
        assert_eq!(args[0].behavior, Behavior::Merge);
        let envs: Vec<&str> = args[0].envs.iter().map(|e| e.value.as_str()).collect();
        assert_eq!(envs, ["one.env", "legacy.env"]);
    }

    #[test]
    fn refuses_unknown_fields_and_wrong_types() {
        let unknown = seq(vec![map(vec![("name", s("a")), ("type", s("x"))])]);
        assert!(parse_generators(&unknown, GeneratorKind::ConfigMap).is_err());
        assert!(parse_generators(&unknown, GeneratorKind::Secret).is_ok());
        let number = seq(vec![map(vec![("name", Node::new(Value::Int(1), None))])]);
        let err = parse_generators(&number, GeneratorKind::ConfigMap)
            .err()
            .map(|d| d.message)
            .unwrap_or_default();
        assert!(err.contains("must be a string, not a number"), "{err}");
        let flag = map(vec![("immutable", s("true"))]);
        assert!(parse_options(&flag).is_err());
    }

    #[test]
    fn of_two_spellings_the_last_sorted_wins() {
        let node = seq(vec![map(vec![
            ("name", s("a")),
            ("literals", seq(vec![s("k=v")])),
            ("Literals", seq(vec![s("k2=v")])),
        ])]);
        let args = parse_generators(&node, GeneratorKind::ConfigMap).unwrap_or_default();
        assert_eq!(args[0].literals[0].value, "k=v");
    }

    #[test]
    fn yaml_1_1_booleans_and_repeated_maps() {
        let node = map(vec![
            ("disableNameSuffixHash", s("yes")),
            ("Labels", map(vec![("a", s("1"))])),
            ("labels", map(vec![("b", s("2"))])),
        ]);
        let opts = parse_options(&node).unwrap_or_default().unwrap_or_default();
        assert!(opts.disable_name_suffix_hash);
        assert_eq!(opts.labels.len(), 2);
    }

    #[test]
    fn unknown_behavior_is_unspecified() {
        assert_eq!(Behavior::parse("Merge"), Behavior::Unspecified);
        assert_eq!(Behavior::parse("replace"), Behavior::Replace);
    }

    #[test]
    fn local_options_win_over_global() {
        let local = Options {
            labels: vec![(
                "a".into(),
                Setting {
                    value: "local".into(),
                    origin: None,
                },
            )],
            ..Options::default()
        };
        let global = Options {
            labels: vec![
                (
                    "a".into(),
                    Setting {
                        value: "global".into(),
                        origin: None,
                    },
                ),
                (
                    "b".into(),
                    Setting {
                        value: "g".into(),
                        origin: None,
                    },
                ),
            ],
            immutable: true,
            ..Options::default()
        };
        let merged = local.merged_with(Some(&global));
        assert_eq!(merged.labels.len(), 2);
        assert_eq!(merged.labels[0].1.value, "local");
        assert!(merged.immutable);
        assert!(!merged.disable_name_suffix_hash);
    }
}
