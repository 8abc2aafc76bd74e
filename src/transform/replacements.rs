//! `replacements`: copy a value from one resource (or a literal `sourceValue`) into fields of
//! other resources, as kustomize's `ReplacementTransformer` does.
//!
//! ```yaml
//! replacements:
//! - source: {kind: Service, name: web, fieldPath: metadata.name}
//!   targets:
//!   - select: {kind: Deployment}
//!     reject: [{name: legacy}]
//!     fieldPaths: [spec.template.spec.containers.[name=app].env.[name=SVC].value]
//!     options: {delimiter: ".", index: 0, create: false}
//! - path: more-replacements.yaml   # one replacement, or a list of them
//! ```
//!
//! Field paths are dot-separated (`\.` escapes a dot; `[a.b]` keeps a key with dots whole);
//! `[name=value]` picks list elements whose `name` matches (a regular expression, unanchored,
//! in targets; an exact value in sources); `[=value]` picks scalar elements; a number indexes a
//! list; `*` (targets only) is every element; `-` (sources only) the last one. A target field
//! that does not exist is an error unless `options.create` is set.
//!
//! How values are written follows kustomize exactly: into an existing scalar only the text is
//! copied and the field keeps its type (a string stays a string: `"3"`; an integer field must
//! receive an integer); into a field created by `create`, the text is read as plain YAML
//! (`"3"` becomes the number 3); over a mapping or list the whole source node is copied.
//! Copied values keep the source node's origin, so a diagnostic on a replaced field points at
//! the value's source.
//!
//! The caller runs [`apply`] after the kustomization's other built-in transformers (namespace,
//! prefix/suffix, labels, annotations, patches, replicas, images), as kustomize's transformer
//! order does.

use regex::Regex;

use super::select::{self, CompiledSelector, Selector};
use crate::diag::{Diag, Result};
use crate::load::yaml::resolve_scalar;
use crate::model::{Node, ResId, Resource, Value};
use crate::source::{FileId, Origin, SourceFile};

/// The default field path for sources and targets.
pub const DEFAULT_FIELD_PATH: &str = "metadata.name";

/// `options` of a source or target.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldOptions {
    pub delimiter: String,
    pub index: i64,
    pub encoding: String,
    pub create: bool,
}

impl FieldOptions {
    fn describe(&self) -> String {
        if self.delimiter.is_empty() && !self.create {
            return String::new();
        }
        format!("{}({}), create={}", self.delimiter, self.index, self.create)
    }
}

/// Where a replacement's value comes from.
#[derive(Clone, Debug, Default)]
pub struct SourceSelector {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    /// Empty means [`DEFAULT_FIELD_PATH`].
    pub field_path: String,
    pub options: Option<FieldOptions>,
    pub origin: Option<Origin>,
}

impl SourceSelector {
    /// kustomize's `ResId.String()` of the selector.
    fn id_string(&self) -> String {
        Selector {
            group: self.group.clone(),
            version: self.version.clone(),
            kind: self.kind.clone(),
            name: self.name.clone(),
            namespace: self.namespace.clone(),
            ..Selector::default()
        }
        .id_string()
    }

    /// kustomize's `SourceSelector.String()`.
    pub fn describe(&self) -> String {
        let mut parts = vec![self.id_string()];
        if !self.field_path.is_empty() {
            parts.push(self.field_path.clone());
        }
        if let Some(o) = &self.options {
            let d = o.describe();
            if !d.is_empty() {
                parts.push(d);
            }
        }
        parts.join(":")
    }

    /// kustomize's `ResId.IsSelectedBy`: exact group/version/kind/name where given; the
    /// namespace compared with an empty one meaning `default`.
    fn selects(&self, id: &ResId) -> bool {
        let eff = |ns: &str| -> String {
            if ns.is_empty() {
                "default".to_string()
            } else {
                ns.to_string()
            }
        };
        (self.name.is_empty() || self.name == id.name)
            && (self.namespace.is_empty() || eff(&self.namespace) == eff(&id.namespace))
            && id
                .gvk
                .is_selected_by(&self.group, &self.version, &self.kind)
    }
}

/// Which fields of which resources receive the value.
#[derive(Clone, Debug, Default)]
pub struct TargetSelector {
    /// `None` when `select` is missing (an error when applied, as in kustomize).
    pub select: Option<Selector>,
    pub reject: Vec<Selector>,
    /// Empty means [`DEFAULT_FIELD_PATH`].
    pub field_paths: Vec<String>,
    pub options: Option<FieldOptions>,
    pub origin: Option<Origin>,
}

/// One replacement.
#[derive(Clone, Debug, Default)]
pub struct Replacement {
    pub source: Option<SourceSelector>,
    /// A literal value (`sourceValue`), with where it was written.
    pub source_value: Option<(String, Option<Origin>)>,
    /// `None` when `targets` is missing (an error when applied).
    pub targets: Option<Vec<TargetSelector>>,
    pub origin: Option<Origin>,
}

// ---------------------------------------------------------------------------------------------
// Reading the kustomization field.

fn err(code: &'static str, msg: impl Into<String>, origin: Option<Origin>) -> Diag {
    Diag::error(code, msg).at(origin)
}

fn string_field(node: &Node, key: &str) -> Result<String> {
    match node.get(key) {
        None => Ok(String::new()),
        Some(v) => match &v.value {
            Value::Null => Ok(String::new()),
            Value::Map(_) | Value::Seq(_) => Err(err(
                "kit::kustomization::replacements",
                format!("`{key}` must be a string"),
                v.origin,
            )),
            _ => Ok(v.scalar_text().unwrap_or_default()),
        },
    }
}

fn options_field(node: &Node) -> Result<Option<FieldOptions>> {
    let Some(o) = node.get("options") else {
        return Ok(None);
    };
    if o.is_null() {
        return Ok(None);
    }
    if o.as_map().is_none() {
        return Err(err(
            "kit::kustomization::replacements",
            "`options` must be a mapping (delimiter, index, create)",
            o.origin,
        ));
    }
    let index = match o.get("index").map(|n| (&n.value, n.origin)) {
        None | Some((Value::Null, _)) => 0,
        Some((Value::Int(i), _)) => *i,
        Some((_, origin)) => {
            return Err(err(
                "kit::kustomization::replacements",
                "`options.index` must be an integer",
                origin,
            ))
        }
    };
    let create = match o.get("create").map(|n| (&n.value, n.origin)) {
        None | Some((Value::Null, _)) => false,
        Some((Value::Bool(b), _)) => *b,
        Some((_, origin)) => {
            return Err(err(
                "kit::kustomization::replacements",
                "`options.create` must be true or false",
                origin,
            ))
        }
    };
    Ok(Some(FieldOptions {
        delimiter: string_field(o, "delimiter")?,
        index,
        encoding: string_field(o, "encoding")?,
        create,
    }))
}

fn source_field(node: &Node) -> Result<SourceSelector> {
    if node.as_map().is_none() {
        return Err(err(
            "kit::kustomization::replacements",
            "`source` must be a mapping (kind, name, fieldPath, ...)",
            node.origin,
        ));
    }
    Ok(SourceSelector {
        group: string_field(node, "group")?,
        version: string_field(node, "version")?,
        kind: string_field(node, "kind")?,
        name: string_field(node, "name")?,
        namespace: string_field(node, "namespace")?,
        field_path: string_field(node, "fieldPath")?,
        options: options_field(node)?,
        origin: node.origin,
    })
}

fn target_field(node: &Node) -> Result<TargetSelector> {
    if node.as_map().is_none() {
        return Err(err(
            "kit::kustomization::replacements",
            "a target must be a mapping (select, reject, fieldPaths, options)",
            node.origin,
        ));
    }
    let select = match node.get("select") {
        None => None,
        Some(n) if n.is_null() => None,
        Some(n) => Some(Selector::from_node(n)?),
    };
    let mut reject = Vec::new();
    if let Some(r) = node.get("reject").filter(|n| !n.is_null()) {
        let Some(items) = r.as_seq() else {
            return Err(err(
                "kit::kustomization::replacements",
                "`reject` must be a list of selectors",
                r.origin,
            ));
        };
        for item in items {
            if !item.is_null() {
                reject.push(Selector::from_node(item)?);
            }
        }
    }
    let mut field_paths = Vec::new();
    if let Some(f) = node.get("fieldPaths").filter(|n| !n.is_null()) {
        let Some(items) = f.as_seq() else {
            return Err(err(
                "kit::kustomization::replacements",
                "`fieldPaths` must be a list of field paths",
                f.origin,
            ));
        };
        for item in items {
            match &item.value {
                Value::Map(_) | Value::Seq(_) => {
                    return Err(err(
                        "kit::kustomization::replacements",
                        "a field path must be a string",
                        item.origin,
                    ))
                }
                _ => field_paths.push(item.scalar_text().unwrap_or_default()),
            }
        }
    }
    Ok(TargetSelector {
        select,
        reject,
        field_paths,
        options: options_field(node)?,
        origin: node.origin,
    })
}

/// One replacement written inline.
fn replacement(node: &Node) -> Result<Replacement> {
    if node.as_map().is_none() {
        return Err(err(
            "kit::kustomization::replacements",
            "a replacement must be a mapping (source or sourceValue, targets)",
            node.origin,
        )
        .help("write `- source: {kind: ..., name: ..., fieldPath: ...}` and `targets: [...]`"));
    }
    let source = match node.get("source") {
        None => None,
        Some(n) if n.is_null() => None,
        Some(n) => Some(source_field(n)?),
    };
    let source_value = match node.get("sourceValue") {
        None => None,
        Some(n) if n.is_null() => None,
        Some(n) => match &n.value {
            Value::Str(s) => Some((s.clone(), n.origin)),
            _ => {
                return Err(err(
                    "kit::kustomization::replacements",
                    "`sourceValue` must be a string",
                    n.origin,
                )
                .help("quote the value"))
            }
        },
    };
    let targets = match node.get("targets") {
        None => None,
        Some(n) if n.is_null() => None,
        Some(n) => {
            let Some(items) = n.as_seq() else {
                return Err(err(
                    "kit::kustomization::replacements",
                    "`targets` must be a list",
                    n.origin,
                ));
            };
            Some(
                items
                    .iter()
                    .filter(|i| !i.is_null())
                    .map(target_field)
                    .collect::<Result<Vec<_>>>()?,
            )
        }
    };
    Ok(Replacement {
        source,
        source_value,
        targets,
        origin: node.origin,
    })
}

/// Reads a file named by a `path:` entry: the path as written and where it was written;
/// returns the file's parsed documents.
pub type LoadFile<'a> = dyn FnMut(&str, Option<Origin>) -> Result<Vec<Node>> + 'a;

/// Reads a kustomization's `replacements` list. Entries given as `path: FILE` are read with
/// `load(path, origin)`, which returns the file's parsed documents (the caller resolves the
/// path against the kustomization and enforces the load restrictor); the file holds one
/// replacement (a mapping) or a list of them.
pub fn parse(node: &Node, load: &mut LoadFile<'_>) -> Result<Vec<Replacement>> {
    let items = match &node.value {
        Value::Null => return Ok(Vec::new()),
        Value::Seq(items) => items,
        _ => {
            return Err(err(
                "kit::kustomization::replacements",
                "`replacements` must be a list",
                node.origin,
            ))
        }
    };
    let mut out = Vec::new();
    for item in items {
        if item.is_null() {
            // kustomize decodes a null entry as an empty replacement, which it refuses.
            return Err(err(
                "kit::kustomization::replacements",
                "replacements must specify a source and at least one target",
                item.origin.or(node.origin),
            )
            .help("write `- source: {kind: ..., name: ..., fieldPath: ...}` and `targets: [...]`, or remove the empty entry"));
        }
        let path = string_field(item, "path")?;
        if path.is_empty() {
            out.push(replacement(item)?);
            continue;
        }
        let inline = item.get("source").is_some_and(|n| !n.is_null())
            || item
                .get("targets")
                .and_then(Node::as_seq)
                .is_some_and(|t| !t.is_empty());
        if inline {
            return Err(err(
                "kit::kustomization::replacements",
                "cannot specify both path and inline replacement",
                item.origin,
            )
            .help("move the inline source and targets into the file, or drop `path`"));
        }
        let origin = item.get("path").and_then(|n| n.origin);
        let docs = load(&path, origin)?;
        match docs.first().map(|d| &d.value) {
            Some(Value::Seq(list)) => {
                for r in list {
                    out.push(replacement(r)?);
                }
            }
            Some(Value::Map(_)) => {
                if let Some(d) = docs.first() {
                    out.push(replacement(d)?);
                }
            }
            _ => {
                return Err(err(
                    "kit::kustomization::replacements",
                    format!(
                        "unsupported replacement type encountered within replacement path: {path}"
                    ),
                    origin,
                )
                .help("the file must hold one replacement (a mapping) or a list of them"))
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Field paths.

/// kustomize's `SmarterPathSplitter`: splits on `.`, honouring `\.` escapes and keeping
/// `[...]` groups whole (brackets kept when the group holds `=`, dropped otherwise).
pub fn split_field_path(path: &str) -> Vec<String> {
    let split = crate::transform::fieldspec::split_escaped(path, '.');
    let mut out = Vec::new();
    let mut i = 0;
    while i < split.len() {
        let elem = &split[i];
        if elem.starts_with('[') && !elem.ends_with(']') {
            let mut group = vec![elem.clone()];
            while i < split.len() - 1 {
                i += 1;
                group.push(split[i].clone());
                if split[i].ends_with(']') {
                    break;
                }
            }
            let joined = group.join(".");
            if joined.contains('=') {
                out.push(joined);
            } else {
                out.push(joined.trim_matches(['[', ']']).to_string());
            }
        } else {
            out.push(elem.clone());
        }
        i += 1;
    }
    out
}

fn clean_path(parts: &[String]) -> Vec<String> {
    parts
        .iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn is_list_index(p: &str) -> bool {
    p.starts_with('[') && p.ends_with(']')
}

fn split_index_name_value(p: &str) -> std::result::Result<(String, String), String> {
    let inner = p.strip_suffix(']').unwrap_or(p);
    let inner = inner.strip_prefix('[').unwrap_or(inner);
    match inner.split_once('=') {
        Some((k, v)) => Ok((k.to_string(), v.to_string())),
        None => Err(
            "list path element must contain fieldName=fieldValue for element to match".to_string(),
        ),
    }
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Map(_) => "MappingNode",
        Value::Seq(_) => "SequenceNode",
        _ => "ScalarNode",
    }
}

fn wrong_kind(expected: &str, node: &Node) -> String {
    format!(
        "wrong node kind: expected {expected} but got {}",
        kind_name(&node.value)
    )
}

/// The text a scalar compares with in `[name=value]` (kyaml's node text).
fn match_text(node: &Node) -> String {
    match &node.value {
        Value::Null => "null".to_string(),
        _ => node.scalar_text().unwrap_or_default(),
    }
}

/// kustomize's `PathGetter` (no wildcards, no creation): the node at `path` in a source,
/// `Ok(None)` when some part is missing.
pub fn lookup<'a>(
    node: &'a Node,
    path: &[String],
) -> std::result::Result<Option<&'a Node>, String> {
    let mut cur = node;
    for part in clean_path(path) {
        let next: Option<&Node> = if let Some(idx) = go_atoi(&part) {
            if idx < 0 {
                return Err(format!("array index {idx} cannot be negative"));
            }
            match &cur.value {
                Value::Null => None,
                Value::Seq(items) => usize::try_from(idx).ok().and_then(|i| items.get(i)),
                _ => return Err(wrong_kind("SequenceNode", cur)),
            }
        } else if part == "-" {
            match &cur.value {
                Value::Seq(items) if !items.is_empty() => items.last(),
                Value::Seq(_) | Value::Null => {
                    return Err("cannot take the last element (`-`) of an empty list".to_string())
                }
                _ => return Err(wrong_kind("SequenceNode", cur)),
            }
        } else if part == "*" {
            return Err("wildcard is not supported in PathGetter".to_string());
        } else if is_list_index(&part) {
            let (name, value) = split_index_name_value(&part)?;
            match &cur.value {
                Value::Null => None,
                Value::Seq(items) => {
                    if name.is_empty() {
                        items.iter().find(|e| {
                            !matches!(e.value, Value::Map(_) | Value::Seq(_))
                                && match_text(e) == value
                        })
                    } else {
                        items.iter().find(|e| {
                            e.get(&name).is_some_and(|f| {
                                !matches!(f.value, Value::Map(_) | Value::Seq(_))
                                    && match_text(f) == value
                            })
                        })
                    }
                }
                _ => return Err(wrong_kind("SequenceNode", cur)),
            }
        } else {
            match &cur.value {
                Value::Null => None,
                Value::Map(m) => m.iter().find(|(k, _)| *k == part).map(|(_, v)| v),
                _ => return Err(wrong_kind("MappingNode", cur)),
            }
        };
        match next {
            Some(n) => cur = n,
            None => return Ok(None),
        }
    }
    Ok(Some(cur))
}

/// What a missing path part is created as: a list before `[..]` or an index, a mapping
/// before a field, and the value's own kind at the end.
fn part_kind(next: Option<&String>, leaf: CreateLeaf) -> Node {
    match next {
        Some(n) if is_list_index(n) || go_atoi(n).is_some_and(|i| i >= 0) => {
            Node::new(Value::Seq(Vec::new()), None)
        }
        Some(_) => Node::map(None),
        None => match leaf {
            CreateLeaf::Map => Node::map(None),
            CreateLeaf::Seq => Node::new(Value::Seq(Vec::new()), None),
            CreateLeaf::Scalar => Node::new(Value::Null, None),
        },
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum CreateLeaf {
    Scalar,
    Map,
    Seq,
}

/// A matched target field; `created` when `create` made it (it then takes the value's text
/// as plain YAML); `detached` when kustomize would write into a node that is not in the
/// resource (a `null` parent), so the write is lost.
struct Hit {
    created: bool,
    detached: bool,
}

type Visit<'v> = dyn FnMut(&mut Node, Hit) -> Result<()> + 'v;

/// kustomize's `PathMatcher`: visits every node the path matches in a target, creating
/// missing parts when `create` is set; returns how many it matched.
fn match_path(
    node: &mut Node,
    path: &[String],
    create: Option<CreateLeaf>,
    created: bool,
    f: &mut Visit<'_>,
) -> std::result::Result<usize, MatchError> {
    let Some(first) = path.first() else {
        f(
            node,
            Hit {
                created,
                detached: false,
            },
        )
        .map_err(MatchError::Diag)?;
        return Ok(1);
    };
    let rest = &path[1..];
    if go_atoi(first).is_some_and(|i| i >= 0) {
        let idx = go_atoi(first)
            .and_then(|i| usize::try_from(i).ok())
            .unwrap_or(0);
        let len = match &node.value {
            Value::Seq(items) => items.len(),
            Value::Null => 0,
            _ => return Err(MatchError::Msg(wrong_kind("SequenceNode", node))),
        };
        if node.is_null() {
            if create.is_some() && idx == 0 {
                return detached(f);
            }
            return Err(MatchError::Msg(format!(
                "index {idx} specified but only 0 elements found"
            )));
        }
        let Value::Seq(items) = &mut node.value else {
            return Ok(0);
        };
        let mut made = false;
        if len == idx && create.is_some() {
            items.push(part_kind(
                rest.first(),
                create.unwrap_or(CreateLeaf::Scalar),
            ));
            made = true;
        }
        if items.len() < idx + 1 {
            return Err(MatchError::Msg(format!(
                "index {idx} specified but only {} elements found",
                items.len()
            )));
        }
        return match_path(&mut items[idx], rest, create, made, f);
    }
    if is_list_index(first) {
        let (name, pattern) = split_index_name_value(first).map_err(MatchError::Msg)?;
        let re = Regex::new(&pattern).map_err(|e| MatchError::Msg(e.to_string()))?;
        if node.is_null() {
            if create.is_some() {
                return Err(MatchError::Msg(format!(
                    "cannot create an element of a null list for {first:?}"
                )));
            }
            return Ok(0);
        }
        let Value::Seq(items) = &mut node.value else {
            return Err(MatchError::Msg(wrong_kind("SequenceNode", node)));
        };
        let mut count = 0;
        let mut appended: Option<usize> = None;
        for attempt in 0..2 {
            for (i, item) in items.iter_mut().enumerate() {
                if name.is_empty() {
                    if matches!(item.value, Value::Map(_) | Value::Seq(_)) {
                        continue;
                    }
                    if re.is_match(&match_text(item)) {
                        f(
                            item,
                            Hit {
                                created: appended == Some(i),
                                detached: false,
                            },
                        )
                        .map_err(MatchError::Diag)?;
                        count += 1;
                    }
                } else {
                    let text = match item.get(&name) {
                        Some(v) if !matches!(v.value, Value::Map(_) | Value::Seq(_)) => {
                            match_text(v)
                        }
                        _ => continue,
                    };
                    if re.is_match(&text) {
                        count += match_path(item, rest, create, false, f)?;
                    }
                }
            }
            if count > 0 || create.is_none() || attempt == 1 {
                break;
            }
            // Not found: append an element holding the looked-for value, then search again.
            let value = untagged(&pattern);
            let elem = if name.is_empty() {
                Node::new(value, None)
            } else {
                Node::new(
                    Value::Map(vec![(name.clone(), Node::new(value, None))]),
                    None,
                )
            };
            appended = Some(items.len());
            items.push(elem);
        }
        return Ok(count);
    }
    if first == "*" {
        return match &mut node.value {
            Value::Null => Ok(0),
            Value::Seq(items) => {
                let mut count = 0;
                for item in items.iter_mut() {
                    count += match_path(item, rest, create, false, f)?;
                }
                Ok(count)
            }
            _ => Err(MatchError::Msg(wrong_kind("SequenceNode", node))),
        };
    }
    // A field.
    match &node.value {
        Value::Null => {
            return match create {
                Some(_) => detached(f),
                None => Ok(0),
            };
        }
        Value::Map(_) => {}
        _ => return Err(MatchError::Msg(wrong_kind("MappingNode", node))),
    }
    let mut made = false;
    if node.get(first).is_none() {
        let Some(leaf) = create else {
            return Ok(0);
        };
        node.set(first, part_kind(rest.first(), leaf));
        made = true;
    }
    let Some(field) = node.get_mut(first) else {
        return Ok(0);
    };
    let is_scalar = !matches!(field.value, Value::Map(_) | Value::Seq(_));
    if is_scalar && !rest.is_empty() && !made {
        // kustomize reads the scalar as YAML and walks the rest of the path in a copy.
        if field.is_null() {
            return match create {
                Some(_) => detached(f),
                None => Ok(0),
            };
        }
        let text = field.scalar_text().unwrap_or_default();
        let mut copy = parse_yaml_text(&text)
            .ok_or_else(|| MatchError::Msg("cannot parse the scalar as YAML".to_string()))?;
        if !matches!(copy.value, Value::Map(_) | Value::Seq(_)) {
            return Err(MatchError::Msg(wrong_kind(
                if go_atoi(&rest[0]).is_some() || is_list_index(&rest[0]) || rest[0] == "*" {
                    "SequenceNode"
                } else {
                    "MappingNode"
                },
                &copy,
            )));
        }
        let mut discard = |_: &mut Node, _: Hit| Ok(());
        return match_path(&mut copy, rest, create, false, &mut discard);
    }
    match_path(field, rest, create, made, f)
}

/// Walks the rest of a path in a throw-away node (kustomize writes into a node that is not
/// part of the resource); counts one match so that no "not found" error follows.
fn detached(f: &mut Visit<'_>) -> std::result::Result<usize, MatchError> {
    let mut lost = Node::new(Value::Null, None);
    f(
        &mut lost,
        Hit {
            created: true,
            detached: true,
        },
    )
    .map_err(MatchError::Diag)?;
    Ok(1)
}

enum MatchError {
    Msg(String),
    Diag(Diag),
}

/// Parses a scalar's text as one YAML document (for structured data held in a string).
fn parse_yaml_text(text: &str) -> Option<Node> {
    let file = SourceFile::new("<scalar>".into(), "<scalar>".into(), text);
    let docs = crate::load::yaml::parse_documents(&file, FileId(u32::MAX)).ok()?;
    Some(
        docs.into_iter()
            .next()
            .unwrap_or(Node::new(Value::Null, None)),
    )
}

// ---------------------------------------------------------------------------------------------
// Applying.

/// The value a replacement writes: the node copied over non-scalar targets, and the text
/// copied into scalar targets.
#[derive(Clone, Debug)]
struct ReplValue {
    node: Node,
    text: String,
    /// kustomize holds the source node itself, not a copy: a target written earlier in the
    /// same replacement that changes the source is seen by later targets. The resource index
    /// and path to read it again before each write.
    live: Option<(usize, Vec<String>)>,
}

impl ReplValue {
    /// The value as the source holds it now.
    fn current(&self, resources: &[Resource]) -> ReplValue {
        let Some((i, path)) = &self.live else {
            return self.clone();
        };
        match resources
            .get(*i)
            .and_then(|r| lookup(&r.node, path).ok().flatten())
        {
            Some(node) => ReplValue {
                node: node.clone(),
                text: node.scalar_text().unwrap_or_default(),
                live: self.live.clone(),
            },
            None => self.clone(),
        }
    }
}

/// Applies the replacements in order to the resources.
pub fn apply(resources: &mut [Resource], replacements: &[Replacement]) -> Result<()> {
    for r in replacements {
        let Some(targets) = r
            .targets
            .as_ref()
            .filter(|_| r.source.is_some() || r.source_value.is_some())
        else {
            return Err(err(
                "kit::transform::replacement",
                "replacements must specify a source and at least one target",
                r.origin,
            )
            .help("give `source:` (or `sourceValue:`) and `targets:`"));
        };
        let value = source_value(resources, r)?;
        for target in targets {
            apply_target(resources, &value, target)?;
        }
    }
    // kustomize rebuilds its resource map afterwards: every resource needs a name, and two
    // resources may not share an id.
    for a in resources.iter() {
        let name = a.node.get_path(&["metadata", "name"]);
        let ok = name
            .and_then(|n| match &n.value {
                Value::Null | Value::Map(_) | Value::Seq(_) => None,
                _ => n.scalar_text(),
            })
            .is_some_and(|t| !t.is_empty());
        if !ok {
            return Err(Diag::error(
                "kit::transform::replacement-no-name",
                format!("missing metadata.name in object {}", a.kind()),
            )
            .at(name.and_then(|n| n.origin).or(a.node.origin))
            .help("a replacement left this resource without a name"));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for a in resources.iter() {
        let id = a.id();
        if !seen.insert(id.canonical()) {
            return Err(Diag::error(
                "kit::transform::replacement-duplicate-id",
                format!(
                    "may not add resource with an already registered id: {}",
                    id.describe()
                ),
            )
            .at(a
                .node
                .get("metadata")
                .and_then(|m| m.get("name"))
                .and_then(|n| n.origin))
            .help("a replacement gave two resources the same kind, name and namespace"));
        }
    }
    Ok(())
}

fn source_value(resources: &[Resource], r: &Replacement) -> Result<ReplValue> {
    if let (Some(_), Some((_, origin))) = (&r.source, &r.source_value) {
        return Err(err(
            "kit::transform::replacement",
            "value and resource selectors are mutually exclusive",
            *origin,
        )
        .help("use either `source:` or `sourceValue:`"));
    }
    if let Some((text, origin)) = &r.source_value {
        return Ok(ReplValue {
            node: Node::new(untagged(text), *origin),
            text: text.clone(),
            live: None,
        });
    }
    let Some(src) = &r.source else {
        return Err(err(
            "kit::transform::replacement",
            "replacements must specify a source and at least one target",
            r.origin,
        ));
    };
    let mut found: Option<(usize, &Resource)> = None;
    for (i, res) in resources.iter().enumerate() {
        if select::all_ids(res).iter().any(|id| src.selects(id)) {
            if found.is_some() {
                return Err(err(
                    "kit::transform::replacement-source",
                    format!("multiple matches for selector {}", src.describe()),
                    src.origin,
                )
                .help(
                    "narrow the source with kind, name and namespace so it selects one resource",
                ));
            }
            found = Some((i, res));
        }
    }
    let Some((index, res)) = found else {
        return Err(err(
            "kit::transform::replacement-source",
            format!("nothing selected by {}", src.describe()),
            src.origin,
        )
        .help("the source must select exactly one resource of this kustomization (ids are compared before and after renames)"));
    };
    let field_path = if src.field_path.is_empty() {
        DEFAULT_FIELD_PATH
    } else {
        src.field_path.as_str()
    };
    let parts = split_field_path(field_path);
    let node = lookup(&res.node, &parts).map_err(|m| {
        err(
            "kit::transform::replacement-source",
            format!("error looking up replacement source: {m}"),
            src.origin,
        )
    })?;
    let node = node.filter(|n| match &n.value {
        Value::Null => false,
        Value::Map(m) => !m.is_empty(),
        Value::Seq(s) => !s.is_empty(),
        _ => true,
    });
    let Some(node) = node else {
        return Err(err(
            "kit::transform::replacement-source",
            format!(
                "fieldPath `{field_path}` is missing for replacement source {}",
                src.id_string()
            ),
            src.origin,
        )
        .help(format!(
            "the source resource {} has no value at that path",
            res.id().describe()
        )));
    };
    let mut value = ReplValue {
        node: node.clone(),
        text: node.scalar_text().unwrap_or_default(),
        live: Some((index, parts.clone())),
    };
    if let Some(opts) = src.options.as_ref().filter(|o| !o.delimiter.is_empty()) {
        if matches!(node.value, Value::Map(_) | Value::Seq(_)) {
            return Err(err(
                "kit::transform::replacement-source",
                "delimiter option can only be used with scalar nodes",
                src.origin,
            ));
        }
        let parts: Vec<&str> = value.text.split(opts.delimiter.as_str()).collect();
        let part = usize::try_from(opts.index)
            .ok()
            .and_then(|i| parts.get(i))
            .ok_or_else(|| {
                err(
                    "kit::transform::replacement-source",
                    format!(
                        "options.index {} is out of bounds for value {}",
                        opts.index, value.text
                    ),
                    src.origin,
                )
            })?
            .to_string();
        value.node.value = retype_like(&node.value, &part);
        value.text = part;
        value.live = None; // a refined value is a copy
    }
    Ok(value)
}

/// A scalar node without a tag (kustomize's new or created scalars): its text is read as
/// plain YAML when printed, except that an empty text prints as `''`, a string.
fn untagged(text: &str) -> Value {
    if text.is_empty() {
        Value::Str(String::new())
    } else {
        resolve_scalar(text, saphyr_parser::ScalarStyle::Plain, None)
    }
}

/// A scalar of the same YAML type as `like` holding `text` (a string when the text is not of
/// that type).
fn retype_like(like: &Value, text: &str) -> Value {
    match like {
        Value::Str(_) => Value::Str(text.to_string()),
        _ => resolve_scalar(text, saphyr_parser::ScalarStyle::Plain, None),
    }
}

fn tag_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "!!null",
        Value::Bool(_) => "!!bool",
        Value::Int(_) | Value::UInt(_) => "!!int",
        Value::Float(_) => "!!float",
        Value::Str(_) => "!!str",
        Value::Map(_) => "!!map",
        Value::Seq(_) => "!!seq",
    }
}

/// The value an existing scalar holds after its text is replaced: its type is kept, and
/// text that type cannot hold is an error (kustomize fails when it prints the resource).
fn retag_existing(target: &Value, text: &str) -> std::result::Result<Value, String> {
    if let Value::Str(_) = target {
        return Ok(Value::Str(text.to_string()));
    }
    let plain = resolve_scalar(text, saphyr_parser::ScalarStyle::Plain, None);
    let ok = match (target, &plain) {
        (Value::Int(_) | Value::UInt(_), Value::Int(_) | Value::UInt(_)) => Some(plain.clone()),
        (Value::Float(_), Value::Int(i)) => Some(Value::Float(*i as f64)),
        (Value::Float(_), Value::UInt(u)) => Some(Value::Float(*u as f64)),
        (Value::Float(_), Value::Float(_)) => Some(plain.clone()),
        (Value::Bool(_), Value::Bool(_)) => Some(plain.clone()),
        (Value::Null, Value::Null) => Some(Value::Null),
        _ => None,
    };
    ok.ok_or_else(|| {
        format!(
            "yaml: cannot decode {} `{text}` as a {}",
            tag_name(&plain),
            tag_name(target)
        )
    })
}

fn apply_target(
    resources: &mut [Resource],
    value: &ReplValue,
    target: &TargetSelector,
) -> Result<()> {
    let Some(select) = &target.select else {
        return Err(err(
            "kit::transform::replacement-target",
            "target must specify resources to select",
            target.origin,
        )
        .help("add `select: {kind: ..., name: ...}` to the target"));
    };
    let compiled = select.compile()?;
    let rejects: Vec<CompiledSelector> = target
        .reject
        .iter()
        .map(Selector::compile)
        .collect::<Result<_>>()?;
    let default_paths = [DEFAULT_FIELD_PATH.to_string()];
    let field_paths: &[String] = if target.field_paths.is_empty() {
        &default_paths
    } else {
        &target.field_paths
    };
    for i in 0..resources.len() {
        let res = &resources[i];
        let ids = select::all_ids(res);
        if !compiled.matches_labels_and_annotations(res) {
            continue;
        }
        if rejects
            .iter()
            .any(|r| r.has_label_or_annotation_selector() && r.matches_labels_and_annotations(res))
        {
            continue;
        }
        if rejects
            .iter()
            .any(|r| !r.selector.id_is_empty() && ids.iter().any(|id| r.matches_id(id)))
        {
            continue;
        }
        if !ids.iter().any(|id| compiled.matches_id(id)) {
            continue;
        }
        for fp in field_paths {
            let value = value.current(resources);
            copy_to_target(&mut resources[i].node, &value, fp, target).map_err(|d| {
                if d.origin.is_none() {
                    d.at(target.origin)
                } else {
                    d
                }
            })?;
        }
    }
    Ok(())
}

fn copy_to_target(
    obj: &mut Node,
    value: &ReplValue,
    fp: &str,
    target: &TargetSelector,
) -> Result<()> {
    let options = target.options.clone().unwrap_or_default();
    let create = options.create.then_some(match value.node.value {
        Value::Map(_) => CreateLeaf::Map,
        Value::Seq(_) => CreateLeaf::Seq,
        _ => CreateLeaf::Scalar,
    });
    let parts = split_field_path(fp);
    let not_found = |detail: Option<String>| {
        let what = if create.is_some() {
            format!("unable to find or create field \"{fp}\" in replacement target")
        } else {
            format!("unable to find field \"{fp}\" in replacement target")
        };
        let msg = match detail {
            Some(d) => format!("{what}: {d}"),
            None => what,
        };
        Diag::error("kit::transform::replacement-target", msg).help(if create.is_some() {
            "check the field path against the selected resources".to_string()
        } else {
            "the field must exist in every selected resource; set `options: {create: true}` to add it".to_string()
        })
    };
    if let Some(done) = structured_in_scalar(obj, value, &parts, &options, create)? {
        return done;
    }
    let clean = clean_path(&parts);
    // kustomize rewrites annotations as strings of their node text at the end of a build, so
    // an annotation receives the text as a string whatever its type was.
    let annotation = clean.len() == 3 && clean[0] == "metadata" && clean[1] == "annotations";
    let mut set = |node: &mut Node, hit: Hit| -> Result<()> {
        if hit.detached {
            return Ok(());
        }
        if annotation && !matches!(node.value, Value::Map(_) | Value::Seq(_)) {
            let current = match &node.value {
                Value::Null => String::new(),
                _ => node.scalar_text().unwrap_or_default(),
            };
            let mut as_text = Node::new(Value::Str(current), None);
            set_field_value(&mut as_text, value, &options, false)?;
            node.value = as_text.value;
            node.origin = as_text.origin.or(node.origin);
            return Ok(());
        }
        set_field_value(node, value, &options, hit.created)?;
        if annotation && matches!(node.value, Value::Map(_) | Value::Seq(_)) {
            // A mapping or list has no text: the annotation ends up empty.
            node.value = Value::Str(String::new());
        }
        Ok(())
    };
    match match_path(obj, &clean, create, false, &mut set) {
        Ok(0) => Err(not_found(None)),
        Ok(_) => Ok(()),
        Err(MatchError::Msg(m)) => Err(not_found(Some(m))),
        Err(MatchError::Diag(d)) => Err(d),
    }
}

/// kustomize first tries to treat a path that runs into a scalar as a path inside the
/// scalar's text read as JSON or YAML. `Some(result)` when it did so.
fn structured_in_scalar(
    obj: &mut Node,
    value: &ReplValue,
    parts: &[String],
    options: &FieldOptions,
    create: Option<CreateLeaf>,
) -> Result<Option<Result<()>>> {
    if parts.len() < 2 {
        return Ok(None);
    }
    let mut split_at = None;
    for i in 1..parts.len() {
        if let Ok(Some(n)) = lookup(obj, &parts[..i]) {
            if !matches!(n.value, Value::Map(_) | Value::Seq(_)) && !n.is_null() {
                let text = n.scalar_text().unwrap_or_default();
                if parse_yaml_text(&text).is_some() {
                    split_at = Some(i);
                    break;
                }
            }
        }
    }
    let Some(i) = split_at else {
        return Ok(None);
    };
    let text = lookup(obj, &parts[..i])
        .ok()
        .flatten()
        .and_then(Node::scalar_text)
        .unwrap_or_default();
    let Some(mut data) = parse_yaml_text(&text) else {
        return Ok(None);
    };
    let rest = clean_path(&parts[i..]);
    let mut hits = 0;
    let mut set = |node: &mut Node, hit: Hit| -> Result<()> {
        hits += 1;
        if hit.detached {
            return Ok(());
        }
        set_field_value(node, value, options, hit.created)
    };
    match match_path(&mut data, &rest, create, false, &mut set) {
        Ok(n) if n > 0 => {}
        Ok(_) | Err(MatchError::Msg(_)) => return Ok(None),
        Err(MatchError::Diag(d)) => return Ok(Some(Err(d))),
    }
    let first = text.trim_start().chars().next();
    if !matches!(first, Some('{' | '[')) {
        return Ok(Some(Err(Diag::error(
            "kit::transform::replacement-structured-yaml",
            "kit cannot yet rewrite YAML held in a string field (only JSON)",
        )
        .help(
            "point the field path at the string itself, or hold the data as JSON",
        ))));
    }
    let pretty = text.contains('\n') && text.contains("  ");
    let json = go_json(&data, pretty);
    // Write the text back into the scalar, keeping its type.
    let mut write = |n: &mut Node, _: Hit| -> Result<()> {
        n.value = Value::Str(json.clone());
        Ok(())
    };
    let prefix = clean_path(&parts[..i]);
    let _ = match_path(obj, &prefix, None, false, &mut write);
    Ok(Some(Ok(())))
}

/// Go's `json.Marshal` (or `MarshalIndent` with two spaces) of YAML-decoded data: object
/// keys sorted, HTML characters escaped.
fn go_json(node: &Node, pretty: bool) -> String {
    let mut out = String::new();
    write_go_json(node, pretty, 0, &mut out);
    out
}

fn write_go_json(node: &Node, pretty: bool, depth: usize, out: &mut String) {
    let nl = |out: &mut String, d: usize| {
        if pretty {
            out.push('\n');
            out.push_str(&"  ".repeat(d));
        }
    };
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::UInt(u) => out.push_str(&u.to_string()),
        Value::Float(f) => out.push_str(
            &serde_json::Number::from_f64(*f)
                .map(|n| {
                    let s = n.to_string();
                    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
                })
                .unwrap_or_else(|| "null".to_string()),
        ),
        Value::Str(s) => crate::emit::write_go_json_string(s, out),
        Value::Seq(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, depth + 1);
                write_go_json(item, pretty, depth + 1, out);
            }
            nl(out, depth);
            out.push(']');
        }
        Value::Map(m) => {
            if m.is_empty() {
                out.push_str("{}");
                return;
            }
            let mut entries: Vec<&(String, Node)> = m.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, depth + 1);
                crate::emit::write_go_json_string(k, out);
                out.push(':');
                if pretty {
                    out.push(' ');
                }
                write_go_json(v, pretty, depth + 1, out);
            }
            nl(out, depth);
            out.push('}');
        }
    }
}

/// kustomize's `setFieldValue`.
fn set_field_value(
    target: &mut Node,
    value: &ReplValue,
    options: &FieldOptions,
    created: bool,
) -> Result<()> {
    let target_scalar = !matches!(target.value, Value::Map(_) | Value::Seq(_));
    let mut text = value.text.clone();
    let mut node = value.node.clone();
    if !options.delimiter.is_empty() {
        if !target_scalar {
            return Err(Diag::error(
                "kit::transform::replacement-target",
                "delimiter option can only be used with scalar nodes",
            )
            .at(target.origin));
        }
        // A field `create` made holds no text; an element made for `[=x]` holds `x`.
        let current = match &target.value {
            Value::Null => String::new(),
            _ => target.scalar_text().unwrap_or_default(),
        };
        let mut parts: Vec<String> = current
            .split(options.delimiter.as_str())
            .map(str::to_string)
            .collect();
        let v = value.text.clone();
        if options.index < 0 {
            parts.insert(0, v);
        } else if let Some(slot) = usize::try_from(options.index)
            .ok()
            .and_then(|i| parts.get_mut(i))
        {
            *slot = v;
        } else {
            parts.push(v);
        }
        text = parts.join(&options.delimiter);
        if !matches!(node.value, Value::Map(_) | Value::Seq(_)) {
            node.value = retype_like(&node.value, &text);
        }
    }
    if target_scalar {
        let new = if created {
            untagged(&text)
        } else {
            retag_existing(&target.value, &text).map_err(|m| {
                Diag::error("kit::transform::replacement-type", m)
                    .at(target.origin)
                    .help("the target field keeps its type; replace a string field, or a field of the value's type")
            })?
        };
        target.value = new;
        target.origin = value.node.origin.or(target.origin);
    } else {
        *target = node;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;

    #[test]
    fn splits_paths_like_kustomize() {
        let s = |p: &str| split_field_path(p);
        assert_eq!(s("a.b.c"), vec!["a", "b", "c"]);
        assert_eq!(s(".a.b"), vec!["a", "b"]);
        assert_eq!(s("a\\.b.c"), vec!["a.b", "c"]);
        assert_eq!(
            s("spec.containers.[name=a.b].image"),
            vec!["spec", "containers", "[name=a.b]", "image"]
        );
        assert_eq!(
            s("metadata.annotations.[config.k8s.io/x]"),
            vec!["metadata", "annotations", "config.k8s.io/x"]
        );
    }

    fn resources(yaml: &str) -> Vec<Resource> {
        let sources = SourceMap::new();
        let id = sources.add(std::path::Path::new("r.yaml"), yaml);
        let docs = sources
            .get(id)
            .and_then(|f| crate::load::yaml::parse_documents(&f, id).ok())
            .unwrap_or_default();
        crate::load::resources_from_docs(&docs).unwrap_or_default()
    }

    fn repl(yaml: &str) -> Vec<Replacement> {
        let sources = SourceMap::new();
        let id = sources.add(std::path::Path::new("k.yaml"), yaml);
        let docs = sources
            .get(id)
            .and_then(|f| crate::load::yaml::parse_documents(&f, id).ok())
            .unwrap_or_default();
        let mut no_files = |_: &str, _: Option<Origin>| -> Result<Vec<Node>> { Ok(Vec::new()) };
        docs.first()
            .and_then(|d| parse(d, &mut no_files).ok())
            .unwrap_or_default()
    }

    const RES: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: src\ndata:\n  s: \"3\"\n  img: a/b:1.2\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: dep\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n      - name: app\n        image: x\n      - name: side\n        image: y\n";

    fn run(r: &str) -> std::result::Result<String, String> {
        let mut res = resources(RES);
        apply(&mut res, &repl(r)).map_err(|d| d.message)?;
        Ok(crate::emit::yaml_stream(&res))
    }

    #[test]
    fn copies_into_typed_and_created_fields() {
        let out = run("- source: {kind: ConfigMap, fieldPath: data.s}\n  targets:\n  - select: {kind: Deployment}\n    fieldPaths: [spec.replicas, spec.template.spec.containers.*.name, metadata.labels.n]\n    options: {create: true}\n");
        let out = out.unwrap_or_default();
        assert!(out.contains("replicas: 3\n"), "{out}");
        assert!(
            out.contains(
                "- image: x\n        name: \"3\"\n      - image: \"y\"\n        name: \"3\"\n"
            ),
            "{out}"
        );
        assert!(out.contains("labels:\n    \"n\": 3\n"), "{out}");
    }

    #[test]
    fn delimiter_and_errors() {
        let out = run("- source: {kind: ConfigMap, fieldPath: data.img, options: {delimiter: ':', index: 1}}\n  targets:\n  - select: {kind: Deployment}\n    fieldPaths: ['spec.template.spec.containers.[name=app].image']\n    options: {delimiter: ':', index: 5}\n").unwrap_or_default();
        assert!(out.contains("image: x:1.2\n"), "{out}");
        let e = run("- source: {kind: Secret}\n  targets: [{select: {kind: Deployment}}]\n");
        assert!(e.is_err_and(
            |m| m.starts_with("nothing selected by Secret.[noVer].[noGrp]/[noName].[noNs]")
        ));
        let e = run("- source: {}\n  targets: [{select: {kind: Deployment}}]\n");
        assert!(e.is_err_and(|m| m.starts_with("multiple matches")));
        let e = run("- source: {kind: ConfigMap}\n  targets: [{select: {kind: Deployment}, fieldPaths: [spec.nope]}]\n");
        assert!(e.is_err_and(|m| m.contains("unable to find field \"spec.nope\"")));
        let e = run("- source: {kind: ConfigMap}\n  targets: [{select: {kind: Deployment}, fieldPaths: [spec.replicas]}]\n");
        assert!(e.is_err_and(|m| m.contains("cannot decode !!str `src` as a !!int")));
    }

    #[test]
    fn json_in_a_string() {
        let mut res = resources("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  cfg: '{\"b\": 1, \"a\": {\"x\": \"<\"}}'\n");
        let r = repl("- sourceValue: hi\n  targets:\n  - select: {kind: ConfigMap}\n    fieldPaths: [data.cfg.a.x]\n");
        assert!(apply(&mut res, &r).is_ok());
        let out = crate::emit::yaml_stream(&res);
        assert!(out.contains(r#"cfg: '{"a":{"x":"hi"},"b":1}'"#), "{out}");
    }
}
