//! Field specs: the data that says where each built-in transformer reads and writes.
//! The defaults are kustomize's, kept in `defaults.yaml` next to this file.

use crate::diag::{Diag, Result};
use crate::model::{Gvk, Node, Value};
use crate::source::Origin;

pub mod config;
pub mod crds;
pub use config::{defaults, merge_all, TransformerConfig};

/// One place in resources of some kinds: `group/version/kind` select (empty matches any),
/// `path` is `/`-separated with `name[]` walking a list.
#[derive(Clone, Debug)]
pub struct FieldSpec {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub path: Vec<String>,
    pub create: bool,
    /// Where the user wrote `path` (none for kustomize's defaults), so an error in
    /// walking it points at the spec.
    pub origin: Option<Origin>,
}

/// Specs are equal by what they select and do; where they were written does not count.
impl PartialEq for FieldSpec {
    fn eq(&self, other: &Self) -> bool {
        (
            &self.group,
            &self.version,
            &self.kind,
            &self.path,
            self.create,
        ) == (
            &other.group,
            &other.version,
            &other.kind,
            &other.path,
            other.create,
        )
    }
}

impl Eq for FieldSpec {}

/// What a missing last field is created as.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum CreateKind {
    Scalar,
    Map,
}

impl FieldSpec {
    pub fn new(path: &str, create: bool) -> Self {
        FieldSpec {
            group: String::new(),
            version: String::new(),
            kind: String::new(),
            path: split_path(path),
            create,
            origin: None,
        }
    }

    pub fn gvk(&self) -> Gvk {
        Gvk {
            group: self.group.clone(),
            version: self.version.clone(),
            kind: self.kind.clone(),
        }
    }

    pub fn matches(&self, gvk: &Gvk) -> bool {
        gvk.is_selected_by(&self.group, &self.version, &self.kind)
    }

    /// The path as kustomize keeps it: fields joined with `/`, a `/` inside a field escaped
    /// (`metadata/annotations/example.com\/tier`), so messages show the path as written and
    /// comparisons with a known path (`metadata/namespace`) never match an escaped field.
    pub fn path_string(&self) -> String {
        let fields: Vec<String> = self.path.iter().map(|f| f.replace('/', "\\/")).collect();
        fields.join("/")
    }

    /// Parses `{path, create, group, version, kind}` as written in a kustomization's
    /// `fieldSpecs` (or in the defaults).
    pub fn from_node(node: &Node) -> Result<Self> {
        let text = |k: &str| node.get(k).and_then(Node::scalar_text).unwrap_or_default();
        let path = text("path");
        if path.is_empty() {
            return Err(Diag::error(
                "kit::kustomization::fieldspec",
                "a field spec needs a `path`",
            )
            .at(node.origin)
            .help("give the spec the field it names, e.g. `path: metadata/labels`, with optional group, version, kind, create"));
        }
        Ok(FieldSpec {
            group: text("group"),
            version: text("version"),
            kind: text("kind"),
            path: split_path(&path),
            create: matches!(
                node.get("create").map(|n| &n.value),
                Some(Value::Bool(true))
            ),
            origin: node.get("path").and_then(|p| p.origin),
        })
    }

    /// Calls `set` on every node this spec reaches in `obj` (creating fields as allowed).
    /// `create_kind` is what a missing last field becomes; `origin` marks created nodes.
    pub fn apply(
        &self,
        obj: &mut Node,
        create_kind: Option<CreateKind>,
        origin: Option<Origin>,
        set: &mut dyn FnMut(&mut Node) -> Result<()>,
    ) -> Result<()> {
        walk(obj, &self.path, self.create, create_kind, origin, set).map_err(|mut d| {
            d.message = format!(
                "considering field '{}' of object {}: {}",
                self.path_string(),
                object_id(obj),
                d.message
            );
            // A fault of the path itself (an empty field name) is the spec's: point there.
            // Otherwise the resource's node is shown, and the help names the spec.
            if d.origin.is_none() {
                d.origin = self.origin;
            } else if self.origin.is_some() && d.code == WALK_ERROR {
                d.help = Some(format!(
                    "the field spec's path '{}' reaches this value, which is neither a mapping nor a list: fix the path, or limit the spec to the kinds it fits with `kind:`",
                    self.path_string()
                ));
            }
            d
        })
    }
}

/// Splits on `/` as kustomize's `PathSplitter` does: a leading `/` is dropped
/// (`/spec/replicas`), a `\` before a `/` keeps it in the field name
/// (`metadata/annotations/a.io\/b`); brackets mean nothing to the split.
pub fn split_path(path: &str) -> Vec<String> {
    split_escaped(path, '/')
}

/// kustomize's `PathSplitter` on any delimiter: split, drop one leading delimiter, and rejoin
/// the parts a `\` escaped.
pub fn split_escaped(path: &str, delimiter: char) -> Vec<String> {
    let mut parts = path.split(delimiter).peekable();
    if path.starts_with(delimiter) {
        parts.next();
    }
    let mut out: Vec<String> = Vec::new();
    for part in parts {
        match out.last_mut() {
            Some(last) if last.ends_with('\\') => {
                last.pop();
                last.push(delimiter);
                last.push_str(part);
            }
            _ => out.push(part.to_string()),
        }
    }
    out
}

fn walk(
    obj: &mut Node,
    path: &[String],
    create: bool,
    create_kind: Option<CreateKind>,
    origin: Option<Origin>,
    set: &mut dyn FnMut(&mut Node) -> Result<()>,
) -> Result<()> {
    let Some((first, rest)) = path.split_first() else {
        return set(obj);
    };
    match &mut obj.value {
        Value::Null => Ok(()),
        Value::Seq(items) => {
            for item in items {
                walk(item, path, create, create_kind, origin, set)?;
            }
            Ok(())
        }
        Value::Map(_) => {
            let (name, is_seq) = match first.strip_suffix("[]") {
                Some(n) => (n, true),
                None => (first.as_str(), false),
            };
            // kyaml reads a step in brackets as a list item selector, which a mapping
            // cannot answer: kustomize refuses it (a field spec walks lists with `name[]`).
            if name.len() > 1 && name.starts_with('[') && name.ends_with(']') {
                let why = if name.contains('=') {
                    "wrong node kind: expected SequenceNode but got MappingNode"
                } else {
                    "list path element must contain fieldName=fieldValue for element to match"
                };
                return Err(Diag::error(WALK_ERROR, format!("fieldName: {name}: {why}"))
                    .help("a field spec's path names fields: walk a list with `name[]` (`spec/containers[]/image`), not with a `[name=value]` selector"));
            }
            if name.is_empty() {
                return Err(Diag::error(WALK_ERROR, "cannot set or create an empty field name")
                    .help("the path has an empty step (`//`, a trailing `/`, or a bare `[]`): name a field there, e.g. `spec/template/metadata/labels` or `spec/containers[]/image`"));
            }
            let creating = create && create_kind.is_some() && !is_seq;
            if obj.get(name).is_none() {
                if !creating {
                    return Ok(());
                }
                // A created scalar is empty and untagged until the setter fills it.
                let fresh = if rest.is_empty() && create_kind == Some(CreateKind::Scalar) {
                    Node::new(Value::Null, origin)
                } else {
                    Node::map(origin)
                };
                obj.set(name, fresh);
            }
            let Some(field) = obj.get_mut(name) else {
                return Ok(());
            };
            if field.is_null() {
                if is_seq {
                    field.value = Value::Seq(Vec::new());
                } else if creating {
                    field.value = if rest.is_empty() && create_kind == Some(CreateKind::Scalar) {
                        Value::Null
                    } else {
                        Value::Map(Vec::new())
                    };
                }
            }
            walk(field, rest, create, create_kind, origin, set)
        }
        _ => Err(Diag::error(WALK_ERROR, "expected sequence or mapping node")
            .at(obj.origin)
            .help("the field spec's path goes through this value, which is neither a mapping nor a list: fix the resource, or the transformer configuration that names the path")),
    }
}

/// The code of errors in walking a spec's path.
const WALK_ERROR: &str = "kit::transform::fieldspec";

/// An object as kustomize names it in these messages (`Deployment.v1.apps/web.[noNs]`).
fn object_id(obj: &Node) -> String {
    let text = |path: &[&str]| {
        obj.get_path(path)
            .and_then(Node::scalar_text)
            .unwrap_or_default()
    };
    let gvk = Gvk::from_api_version(&text(&["apiVersion"]), &text(&["kind"])).kustomize_string();
    let namespace = text(&["metadata", "namespace"]);
    let name = text(&["metadata", "name"]);
    let or = |s: String, empty: &str| if s.is_empty() { empty.to_string() } else { s };
    format!("{gvk}/{}.{}", or(name, "[noName]"), or(namespace, "[noNs]"))
}

#[cfg(test)]
mod tests {
    use super::FieldSpec;

    #[test]
    fn an_escaped_slash_stays_escaped_in_the_path() {
        let spec = FieldSpec::new("metadata/annotations/example.com\\/tier", false);
        assert_eq!(spec.path.len(), 3);
        assert_eq!(spec.path[2], "example.com/tier");
        assert_eq!(
            spec.path_string(),
            "metadata/annotations/example.com\\/tier"
        );
        assert_ne!(
            FieldSpec::new("metadata\\/namespace", false).path_string(),
            "metadata/namespace"
        );
    }
}
