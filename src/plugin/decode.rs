//! How kustomize's builtin plugins read their configuration objects into Go structs.
//!
//! A plugin configuration is not decoded like a kustomization (strictly, through JSON). Each
//! builtin unmarshals the object's YAML with one of two libraries, and kit follows whichever
//! the plugin uses:
//!
//! - [`Mode::SigsYaml`] (`sigs.k8s.io/yaml`, most builtins): the YAML is read with go-yaml v2
//!   (YAML 1.1: `yes`, `on`, `0x1F`, `1e3` are a bool and numbers), turned into JSON and
//!   decoded with Go's `encoding/json`. Field names match exactly or else in any case; keys
//!   reach the decoder sorted, so of two spellings of one field the one sorting last wins;
//!   unknown fields are ignored; a number or bool read into a string field becomes its text
//!   (`51` is `"51"`, `on` is `"true"`, a float prints with float32 precision).
//! - [`Mode::YamlV3`] (`gopkg.in/yaml.v3`, `PrefixTransformer` and `SuffixTransformer`):
//!   field names match exactly; a string field takes any scalar's text as written; a bool
//!   field takes YAML 1.1 words too.
//!
//! Either way `null` leaves a field at its zero value, and a mapping or list where a scalar
//! belongs (or the reverse) is an error.

use crate::diag::{Diag, Result};
use crate::emit::goyaml::{self, V2Scalar};
use crate::model::{Node, Value};
use crate::source::SourceMap;
use crate::transform::fieldspec::{split_path, FieldSpec};
use crate::transform::{Pairs, Setting};

/// Which Go YAML library a plugin reads its configuration with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    SigsYaml,
    YamlV3,
}

/// Reads configuration nodes as one builtin plugin would.
#[derive(Clone, Copy)]
pub struct Decoder<'a> {
    pub mode: Mode,
    pub sources: &'a SourceMap,
    /// The plugin kind, for messages.
    pub plugin: &'a str,
}

/// A scalar as the Go decoder sees it.
#[derive(Clone, Debug, PartialEq)]
enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
}

/// The fields of one mapping that a struct knows, resolved to their canonical names.
pub struct Fields<'n> {
    found: Vec<(&'static str, &'n Node)>,
}

impl<'n> Fields<'n> {
    /// The field's value, if written and not null.
    pub fn get(&self, name: &str) -> Option<&'n Node> {
        self.found
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .filter(|v| !v.is_null())
    }
}

impl<'a> Decoder<'a> {
    pub fn new(mode: Mode, sources: &'a SourceMap, plugin: &'a str) -> Self {
        Decoder {
            mode,
            sources,
            plugin,
        }
    }

    /// The known fields of a mapping (`names` are the Go struct's field names). Null is an
    /// empty struct; anything else but a mapping is an error.
    pub fn fields<'n>(
        &self,
        node: &'n Node,
        names: &[&'static str],
        what: &str,
    ) -> Result<Fields<'n>> {
        let entries = match &node.value {
            Value::Null => return Ok(Fields { found: Vec::new() }),
            Value::Map(m) => m,
            _ => return Err(self.type_error(node, what, "a mapping")),
        };
        let mut sorted: Vec<&(String, Node)> = entries.iter().collect();
        if self.mode == Mode::SigsYaml {
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
        }
        let mut found = Vec::new();
        for (key, value) in sorted {
            let exact = names.iter().find(|n| **n == key.as_str());
            let matched = match self.mode {
                Mode::YamlV3 => exact,
                Mode::SigsYaml => {
                    exact.or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(key)))
                }
            };
            if let Some(name) = matched {
                found.push((*name, value));
            }
        }
        Ok(Fields { found })
    }

    /// A Go `string` field.
    pub fn string(&self, node: &Node, what: &str) -> Result<Setting> {
        let value = match self.mode {
            Mode::SigsYaml => match self.scalar(node) {
                Some(Scalar::Null) => String::new(),
                Some(Scalar::Str(s)) => s,
                Some(Scalar::Bool(b)) => b.to_string(),
                Some(Scalar::Int(i)) => i.to_string(),
                Some(Scalar::UInt(u)) => u.to_string(),
                Some(Scalar::Float(f)) => goyaml::format_go_float32(f),
                None => return Err(self.type_error(node, what, "a string")),
            },
            Mode::YamlV3 => match &node.value {
                Value::Null => String::new(),
                Value::Str(s) => self.written_timestamp(node, s).unwrap_or_else(|| s.clone()),
                Value::Seq(_) | Value::Map(_) => {
                    return Err(self.type_error(node, what, "a string"))
                }
                _ => self
                    .written_plain(node)
                    .or_else(|| node.scalar_text())
                    .unwrap_or_default(),
            },
        };
        Ok(Setting {
            value,
            origin: node.origin,
        })
    }

    /// A Go `bool` field.
    pub fn boolean(&self, node: &Node, what: &str) -> Result<bool> {
        let scalar = match self.mode {
            Mode::SigsYaml => self.scalar(node),
            // yaml.v3 takes YAML 1.1 words for a typed bool; a quoted "true" is a string.
            Mode::YamlV3 => match &node.value {
                Value::Bool(b) => Some(Scalar::Bool(*b)),
                Value::Str(s) if self.written_plain(node).as_deref() == Some(s.as_str()) => {
                    match goyaml::v2_resolve(s) {
                        V2Scalar::Bool(b) => Some(Scalar::Bool(b)),
                        _ => Some(Scalar::Str(s.clone())),
                    }
                }
                _ => self.scalar(node),
            },
        };
        match scalar {
            Some(Scalar::Bool(b)) => Ok(b),
            Some(Scalar::Null) => Ok(false),
            _ => Err(self.type_error(node, what, "true or false")),
        }
    }

    /// A Go integer field.
    pub fn int(&self, node: &Node, what: &str) -> Result<i64> {
        match self.scalar(node) {
            Some(Scalar::Int(i)) => Ok(i),
            Some(Scalar::UInt(u)) => {
                i64::try_from(u).map_err(|_| self.type_error(node, what, "an integer"))
            }
            // JSON prints an integral float without a fraction, which an int field takes.
            #[allow(clippy::cast_possible_truncation)]
            Some(Scalar::Float(f)) if f.fract() == 0.0 && f.abs() < 1e21 => Ok(f as i64),
            Some(Scalar::Null) => Ok(0),
            _ => Err(self.type_error(node, what, "an integer")),
        }
    }

    /// A Go `[]string` field.
    pub fn strings(&self, node: &Node, what: &str) -> Result<Vec<Setting>> {
        match &node.value {
            Value::Null => Ok(Vec::new()),
            Value::Seq(items) => items.iter().map(|n| self.string(n, what)).collect(),
            _ => Err(self.type_error(node, what, "a list of strings")),
        }
    }

    /// A Go `map[string]string` field.
    pub fn string_map(&self, node: &Node, what: &str) -> Result<Pairs> {
        match &node.value {
            Value::Null => Ok(Vec::new()),
            Value::Map(m) => m
                .iter()
                .map(|(k, v)| Ok((k.clone(), self.string(v, &format!("{what}.{k}"))?)))
                .collect(),
            _ => Err(self.type_error(node, what, "a mapping of strings")),
        }
    }

    /// A `[]types.FieldSpec` field; `None` when absent or null (Go's nil slice).
    pub fn field_specs(&self, node: Option<&Node>, what: &str) -> Result<Option<Vec<FieldSpec>>> {
        let Some(node) = node else {
            return Ok(None);
        };
        let items = match &node.value {
            Value::Null => return Ok(None),
            Value::Seq(items) => items,
            _ => return Err(self.type_error(node, what, "a list of field specs")),
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let f = self.fields(item, &["group", "version", "kind", "path", "create"], what)?;
            let text = |name: &str| -> Result<String> {
                f.get(name)
                    .map(|v| self.string(v, &format!("{what}[].{name}")).map(|s| s.value))
                    .transpose()
                    .map(Option::unwrap_or_default)
            };
            let path = text("path")?;
            out.push(FieldSpec {
                group: text("group")?,
                version: text("version")?,
                kind: text("kind")?,
                path: split_path(&path),
                create: f
                    .get("create")
                    .map(|v| self.boolean(v, &format!("{what}[].create")))
                    .transpose()?
                    .unwrap_or(false),
            });
        }
        Ok(Some(out))
    }

    /// The scalar go-yaml v2 reads: plain text as written is resolved with YAML 1.1 rules;
    /// quoted and block scalars are strings. `None` for mappings and lists.
    fn scalar(&self, node: &Node) -> Option<Scalar> {
        let from_text = |w: &str| -> Scalar {
            match goyaml::v2_resolve(w) {
                V2Scalar::Null => Scalar::Null,
                V2Scalar::Bool(b) => Scalar::Bool(b),
                V2Scalar::Int(i) => Scalar::Int(i),
                V2Scalar::UInt(u) => Scalar::UInt(u),
                V2Scalar::Float(f) => Scalar::Float(f),
                V2Scalar::Str => Scalar::Str(w.to_string()),
            }
        };
        Some(match &node.value {
            Value::Seq(_) | Value::Map(_) => return None,
            Value::Str(s) => {
                if let Some(w) = self.written_timestamp(node, s) {
                    Scalar::Str(w)
                } else if self.written_plain(node).as_deref() == Some(s.as_str()) {
                    from_text(s)
                } else {
                    Scalar::Str(s.clone())
                }
            }
            other => match self.written_plain(node) {
                Some(w) => from_text(&w),
                None => match other {
                    Value::Bool(b) => Scalar::Bool(*b),
                    Value::Int(i) => Scalar::Int(*i),
                    Value::UInt(u) => Scalar::UInt(*u),
                    Value::Float(f) => Scalar::Float(*f),
                    _ => Scalar::Null,
                },
            },
        })
    }

    /// The scalar's source text when it was written plain (not quoted, not a block, untagged).
    fn written_plain(&self, node: &Node) -> Option<String> {
        let text = self.sources.text_of(node.origin?)?;
        let first = text.chars().next()?;
        if matches!(first, '"' | '\'' | '|' | '>' | '!' | '&' | '*') || text.contains('\n') {
            return None;
        }
        Some(text)
    }

    /// A plain timestamp, which kit's reader turned into RFC 3339 text, as it was written.
    fn written_timestamp(&self, node: &Node, value: &str) -> Option<String> {
        let w = self.written_plain(node)?;
        (w != value && crate::load::timestamp::to_rfc3339(&w).as_deref() == Some(value))
            .then_some(w)
    }

    fn type_error(&self, node: &Node, what: &str, expected: &str) -> Diag {
        let found = match node.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::UInt(_) | Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        };
        Diag::error(
            "kit::plugin::config-type",
            format!(
                "{} configuration: `{what}` must be {expected}, not {found}",
                self.plugin
            ),
        )
        .at(node.origin)
        .help(format!(
            "fix the value in the {} configuration object",
            self.plugin
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_documents;
    use std::path::PathBuf;

    fn doc(text: &str) -> (SourceMap, Node) {
        let sources = SourceMap::new();
        let id = sources.add(&PathBuf::from("t.yaml"), text.into());
        let docs = sources
            .get(id)
            .and_then(|file| parse_documents(&file, id).ok())
            .unwrap_or_default();
        let node = docs
            .into_iter()
            .next()
            .unwrap_or_else(|| Node::new(Value::Null, None));
        (sources, node)
    }

    #[test]
    fn sigs_yaml_turns_yaml_1_1_scalars_into_text() {
        let (src, node) = doc("a: 51\nb: on\nc: 1.0\nd: \"on\"\ne: 0x1F\nf: 2024-01-02\ng: ~\n");
        let d = Decoder::new(Mode::SigsYaml, &src, "T");
        let pairs = d.string_map(&node, "m").unwrap_or_default();
        let got: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.value.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("a", "51"),
                ("b", "true"),
                ("c", "1"),
                ("d", "on"),
                ("e", "31"),
                ("f", "2024-01-02"),
                ("g", "")
            ]
        );
    }

    #[test]
    fn yaml_v3_keeps_text_and_matches_names_exactly() {
        let (src, node) = doc("prefix: 0x1F\nPrefix: x\ncreate: yes\n");
        let d = Decoder::new(Mode::YamlV3, &src, "T");
        let f = d
            .fields(&node, &["prefix", "create"], "config")
            .unwrap_or(Fields { found: Vec::new() });
        let prefix = f.get("prefix").map(|n| d.string(n, "prefix"));
        assert_eq!(
            prefix.and_then(|r| r.ok()).map(|s| s.value),
            Some("0x1F".into())
        );
        let create = f.get("create").map(|n| d.boolean(n, "create"));
        assert!(matches!(create, Some(Ok(true))));
    }

    #[test]
    fn sigs_yaml_matches_any_case_and_the_last_sorted_wins() {
        let (src, node) = doc("Name: a\nname: b\n");
        let d = Decoder::new(Mode::SigsYaml, &src, "T");
        let f = d
            .fields(&node, &["name"], "config")
            .unwrap_or(Fields { found: Vec::new() });
        assert_eq!(f.get("name").and_then(Node::as_str), Some("b"));
    }

    #[test]
    fn wrong_shapes_are_errors() {
        let (src, node) = doc("a: [1]\nb: x\n");
        let d = Decoder::new(Mode::SigsYaml, &src, "T");
        assert!(d.string_map(&node, "m").is_err());
        let b = node
            .get("b")
            .cloned()
            .unwrap_or_else(|| Node::new(Value::Null, None));
        assert!(d.boolean(&b, "b").is_err());
        assert!(d.int(&b, "b").is_err());
    }
}
