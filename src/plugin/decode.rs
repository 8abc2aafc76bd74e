//! How kustomize's builtin plugins read their configuration objects into Go structs.
//!
//! kustomize hands a plugin its configuration object as YAML made from the object's JSON
//! (`Resource.AsYAML`), so the plugin sees kit's typed values: a string stays a string
//! (`yes` written plain is the text "yes"), numbers and booleans stay what kustomize's
//! reader made of them. Each builtin then unmarshals that YAML with one of two libraries,
//! and kit follows whichever the plugin uses:
//!
//! - [`Mode::SigsYaml`] (`sigs.k8s.io/yaml`, most builtins): decoded through JSON with Go's
//!   `encoding/json`. Field names match exactly or else in any case; keys reach the decoder
//!   sorted, so of two spellings of one field the one sorting last wins; unknown fields are
//!   ignored. A number or boolean read into a string field becomes its text (`51` is "51", a
//!   fraction prints with float32 precision), but only for fields declared directly in the
//!   plugin's struct or a named field's struct: in fields promoted from an embedded struct
//!   (a generator's `literals`, a selector's `name`) the library loses track of the target
//!   and the number is an error ([`Decoder::promoted`]).
//! - [`Mode::YamlV3`] (`gopkg.in/yaml.v3`, `PrefixTransformer` and `SuffixTransformer`):
//!   field names match exactly; a string field takes any scalar's text.
//!
//! Either way `null` leaves a field at its zero value, a boolean field takes only a boolean,
//! and a mapping or list where a scalar belongs (or the reverse) is an error.

use crate::diag::{Diag, Result};
use crate::emit::goyaml::{self, ScalarOut};
use crate::model::{Node, Value};
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
    /// The plugin kind, for messages.
    pub plugin: &'a str,
    /// Whether numbers and booleans become text in string fields (see the module docs).
    coerce: bool,
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
    pub fn new(mode: Mode, plugin: &'a str) -> Self {
        Decoder {
            mode,
            plugin,
            coerce: true,
        }
    }

    /// The same decoder for fields promoted from an embedded struct, where
    /// `sigs.k8s.io/yaml` does not turn numbers into text.
    pub fn promoted(self) -> Self {
        Decoder {
            coerce: self.mode == Mode::YamlV3,
            ..self
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
        let value = match &node.value {
            Value::Null => String::new(),
            Value::Str(s) => s.clone(),
            Value::Seq(_) | Value::Map(_) => return Err(self.type_error(node, what, "a string")),
            _ if !self.coerce => return Err(self.type_error(node, what, "a string")),
            other => {
                // The YAML the plugin reads was printed from JSON: integral floats are ints.
                let text = match goyaml::scalar_out(other) {
                    Some(ScalarOut::Plain(t) | ScalarOut::Str(t)) => t,
                    None => String::new(),
                };
                match (self.mode, other) {
                    (Mode::SigsYaml, Value::Float(f)) if text.parse::<i64>().is_err() => {
                        goyaml::format_go_float32(*f)
                    }
                    _ => text,
                }
            }
        };
        Ok(Setting {
            value,
            origin: node.origin,
        })
    }

    /// A Go `bool` field.
    pub fn boolean(&self, node: &Node, what: &str) -> Result<bool> {
        match &node.value {
            Value::Bool(b) => Ok(*b),
            Value::Null => Ok(false),
            _ => Err(self.type_error(node, what, "true or false")),
        }
    }

    /// A Go integer field.
    pub fn int(&self, node: &Node, what: &str) -> Result<i64> {
        match &node.value {
            Value::Int(i) => Ok(*i),
            Value::UInt(u) => {
                i64::try_from(*u).map_err(|_| self.type_error(node, what, "an integer"))
            }
            // JSON prints an integral float without a fraction, which an int field takes.
            #[allow(clippy::cast_possible_truncation)]
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e18 => Ok(*f as i64),
            Value::Null => Ok(0),
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
            // group, version and kind are promoted from the embedded `resid.Gvk`.
            let text = |d: &Decoder<'_>, name: &str| -> Result<String> {
                f.get(name)
                    .map(|v| d.string(v, &format!("{what}[].{name}")).map(|s| s.value))
                    .transpose()
                    .map(Option::unwrap_or_default)
            };
            let gvk = self.promoted();
            let path = text(self, "path")?;
            out.push(FieldSpec {
                origin: f.get("path").and_then(|p| p.origin),
                group: text(&gvk, "group")?,
                version: text(&gvk, "version")?,
                kind: text(&gvk, "kind")?,
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

    fn type_error(&self, node: &Node, what: &str, expected: &str) -> Diag {
        let found = node.shape();
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
    use crate::source::SourceMap;
    use std::path::PathBuf;

    fn doc(text: &str) -> Node {
        let sources = SourceMap::new();
        let id = sources.add(&PathBuf::from("t.yaml"), text);
        sources
            .get(id)
            .and_then(|file| parse_documents(&file, id).ok())
            .unwrap_or_default()
            .into_iter()
            .next()
            .unwrap_or_else(|| Node::new(Value::Null, None))
    }

    fn texts(pairs: &Pairs) -> Vec<(&str, &str)> {
        pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.value.as_str()))
            .collect()
    }

    #[test]
    fn sigs_yaml_turns_numbers_into_text() {
        let node = doc("a: 51\nb: on\nc: 1.0\nd: true\ne: 0x1F\nf: 1.5\ng: ~\nh: 1e7\n");
        let d = Decoder::new(Mode::SigsYaml, "T");
        let pairs = d.string_map(&node, "m").unwrap_or_default();
        assert_eq!(
            texts(&pairs),
            [
                ("a", "51"),
                ("b", "on"),
                ("c", "1"),
                ("d", "true"),
                ("e", "31"),
                ("f", "1.5"),
                ("g", ""),
                ("h", "10000000")
            ]
        );
        let strict = d.promoted();
        assert!(strict.string_map(&node, "m").is_err());
    }

    #[test]
    fn yaml_v3_matches_names_exactly() {
        let node = doc("prefix: 1.25\nPrefix: x\ncreate: true\n");
        let d = Decoder::new(Mode::YamlV3, "T").promoted();
        let f = d
            .fields(&node, &["prefix", "create"], "config")
            .unwrap_or(Fields { found: Vec::new() });
        let prefix = f.get("prefix").map(|n| d.string(n, "prefix"));
        assert_eq!(
            prefix.and_then(|r| r.ok()).map(|s| s.value),
            Some("1.25".into())
        );
        let create = f.get("create").map(|n| d.boolean(n, "create"));
        assert!(matches!(create, Some(Ok(true))));
    }

    #[test]
    fn sigs_yaml_matches_any_case_and_the_last_sorted_wins() {
        let node = doc("Name: a\nname: b\n");
        let d = Decoder::new(Mode::SigsYaml, "T");
        let f = d
            .fields(&node, &["name"], "config")
            .unwrap_or(Fields { found: Vec::new() });
        assert_eq!(f.get("name").and_then(Node::as_str), Some("b"));
    }

    #[test]
    fn wrong_shapes_are_errors() {
        let node = doc("a: [1]\nb: yes\n");
        let d = Decoder::new(Mode::SigsYaml, "T");
        assert!(d.string_map(&node, "m").is_err());
        let b = node
            .get("b")
            .cloned()
            .unwrap_or_else(|| Node::new(Value::Null, None));
        assert!(d.boolean(&b, "b").is_err(), "a plain `yes` is a string");
        assert!(d.int(&b, "b").is_err());
    }
}
