//! JSON patches (RFC 6902) applied to resources, as kustomize's `patches` (when the patch is
//! a list of operations) and legacy `patchesJson6902` apply them.
//!
//! The operations are read into the `json-patch` crate's [`json_patch::Patch`] (its
//! operation kinds and JSON pointers), and applied here directly to the [`Node`] tree so that
//! every value a patch adds keeps the patch's location (provenance). The semantics are those
//! of the library kustomize uses (evanphx/json-patch v4), including its departures from the
//! RFC:
//!
//! - negative array indices count from the end (`/list/-1` is the last element; for `add`,
//!   `-1` appends);
//! - `replace` of a missing *object* key adds it;
//! - `copy` from a missing object key adds `null`;
//! - `test` of a missing key or a `null` succeeds when the expected value is `null`.
//!
//! As in kustomize, a patched resource goes through JSON and back: numbers are re-read as
//! JSON numbers (integers of a million or more become floats, `1.0` becomes `1`), and a
//! value JSON cannot hold (`.inf`, `.nan`) is an error.
//!
//! How kustomize tells a JSON patch from a strategic-merge patch: a patch whose (first)
//! document is a list is a JSON patch ([`is_json6902`]); a mapping is a strategic-merge patch.
//!
//! ```
//! use kit::model::{Node, Value};
//! use kit::source::SourceMap;
//! let sources = SourceMap::new();
//! let patch = kit::patch::json6902::parse_text(
//!     "- op: add\n  path: /data/b\n  value: two\n",
//!     "patch.yaml",
//!     &sources,
//! )
//! .unwrap();
//! let mut cm = Node::new(Value::Map(vec![("data".into(), Node::map(None))]), None);
//! kit::patch::json6902::apply(&mut cm, &patch).unwrap();
//! assert_eq!(cm.get_path(&["data", "b"]).and_then(Node::as_str), Some("two"));
//! ```

use std::path::Path;

use json_patch::PatchOperation;

use crate::diag::{Diag, Result};
use crate::model::{Node, Value};
use crate::source::{Origin, SourceFile, SourceMap};

/// A parsed JSON patch: the operations as the `json-patch` crate represents them, and for
/// each one the nodes it was read from (for the values' origins and for messages).
#[derive(Clone, Debug)]
pub struct Json6902Patch {
    pub patch: json_patch::Patch,
    /// One entry per operation, in order.
    pub ops: Vec<OpSource>,
    /// Where the patch was written (its document).
    pub origin: Option<Origin>,
}

/// Where one operation was written, and its `value` as a node with origins.
#[derive(Clone, Debug)]
pub struct OpSource {
    pub origin: Option<Origin>,
    /// The `value` field (for add, replace and test).
    pub value: Option<Node>,
}

/// Whether parsed patch documents are a JSON patch (kustomize looks at the first document:
/// a list of operations) rather than strategic-merge patches (mappings).
pub fn is_json6902(docs: &[Node]) -> bool {
    matches!(docs.first().map(|d| &d.value), Some(Value::Seq(_)))
}

/// Parses patch text (YAML or JSON) held in no file, e.g. a kustomization's inline `patch:`;
/// `name` is how messages will name it.
pub fn parse_text(text: &str, name: &str, sources: &SourceMap) -> Result<Json6902Patch> {
    let id = sources.add(Path::new(name), text);
    let file = sources
        .get(id)
        .ok_or_else(|| Diag::error("kit::patch::internal", "lost a source file"))?;
    let docs = crate::load::yaml::parse_documents(&file, id)?;
    parse(&docs, Some(&file))
}

/// Reads the operations from parsed patch documents (only the first document counts, as in
/// kustomize). `source` is the file the documents came from: with it, plain scalars in values
/// are read with the YAML 1.1 rules kustomize applies to JSON patches written in YAML (`yes`,
/// `on` are booleans).
pub fn parse(docs: &[Node], source: Option<&SourceFile>) -> Result<Json6902Patch> {
    let Some(doc) = docs.first() else {
        return Err(
            Diag::error("kit::patch::json6902-empty", "empty json patch operations").help(
                "a JSON patch is a list of operations: `- op: add`, `path: /spec/x`, `value: ...`",
            ),
        );
    };
    let Value::Seq(items) = &doc.value else {
        return Err(Diag::error(
            "kit::patch::json6902-parse",
            "a JSON patch must be a list of operations",
        )
        .at(doc.origin)
        .help("write `- op: replace` / `path: /spec/replicas` / `value: 3` entries"));
    };
    let mut ops = Vec::with_capacity(items.len());
    let mut parsed = Vec::with_capacity(items.len());
    for item in items {
        let value = item.get("value").map(|v| {
            let mut v = v.clone();
            if let Some(file) = source {
                yaml11_plain_scalars(&mut v, file);
            }
            v
        });
        let mut json = to_json(item)
            .map_err(|m| Diag::error("kit::patch::json6902-parse", m).at(item.origin))?;
        if let (Some(v), Some(obj)) = (&value, json.as_object_mut()) {
            let converted = to_json(v)
                .map_err(|m| Diag::error("kit::patch::json6902-parse", m).at(v.origin))?;
            obj.insert("value".to_string(), converted);
        }
        let op: PatchOperation = serde_json::from_value(json).map_err(|e| {
            Diag::error(
                "kit::patch::json6902-parse",
                format!("invalid JSON patch operation: {e}"),
            )
            .at(item.origin)
            .help("each operation needs `op` (add, remove, replace, move, copy, test) and `path` (a JSON pointer like /spec/replicas); add, replace and test need `value`; move and copy need `from`")
        })?;
        parsed.push(op);
        ops.push(OpSource {
            origin: item.origin,
            value,
        });
    }
    Ok(Json6902Patch {
        patch: json_patch::Patch(parsed),
        ops,
        origin: doc.origin,
    })
}

/// go-yaml v2 (YAML 1.1) reads these plain scalars differently from YAML 1.2.
fn yaml11_plain_scalars(node: &mut Node, file: &SourceFile) {
    node.walk_mut(&mut |n| {
        let Value::Str(s) = &n.value else { return };
        let Some(origin) = n.origin else { return };
        let plain = file
            .text
            .get(origin.start as usize..)
            .and_then(|t| t.chars().next())
            .is_some_and(|c| !matches!(c, '"' | '\'' | '|' | '>' | '!'));
        if !plain {
            return;
        }
        let v = match s.as_str() {
            "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Value::Bool(true),
            "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Value::Bool(false),
            _ => return,
        };
        n.value = v;
    });
}

/// A node as JSON (for the `json-patch` crate's types).
pub fn to_json(node: &Node) -> std::result::Result<serde_json::Value, String> {
    Ok(match &node.value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => (*b).into(),
        Value::Int(i) => (*i).into(),
        Value::UInt(u) => (*u).into(),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .ok_or_else(|| format!("json: unsupported value: {f}"))?,
        Value::Str(s) => s.clone().into(),
        Value::Seq(items) => serde_json::Value::Array(
            items
                .iter()
                .map(to_json)
                .collect::<std::result::Result<_, _>>()?,
        ),
        Value::Map(m) => {
            let mut obj = serde_json::Map::new();
            for (k, v) in m {
                obj.insert(k.clone(), to_json(v)?);
            }
            serde_json::Value::Object(obj)
        }
    })
}

/// Applies every operation to `target` in order, then normalises the result as kustomize's
/// JSON round trip does. On error `target` may be partly patched.
pub fn apply(target: &mut Node, patch: &Json6902Patch) -> Result<()> {
    check_json_representable(target)?;
    for (i, op) in patch.patch.0.iter().enumerate() {
        let src = patch.ops.get(i);
        let origin = src.and_then(|s| s.origin).or(patch.origin);
        let value = || -> Node {
            src.and_then(|s| s.value.clone())
                .unwrap_or_else(|| Node::new(Value::Null, origin))
        };
        let fail = |msg: String, help: &str| {
            Diag::error("kit::patch::json6902", msg)
                .at(origin)
                .help(help.to_string())
        };
        match op {
            PatchOperation::Add(o) => {
                let path = o.path.as_str();
                let (parent, key) = find_parent(target, path).ok_or_else(|| {
                    fail(
                        format!("add operation does not apply: doc is missing path: \"{path}\""),
                        "every parent of the path must exist; add the parent object first",
                    )
                })?;
                add(parent, &key, value()).map_err(|m| {
                    fail(
                        format!("error in add for path: '{path}': {m}"),
                        "an array index must be at most the array's length, or `-` to append",
                    )
                })?;
            }
            PatchOperation::Remove(o) => {
                let path = o.path.as_str();
                let (parent, key) = find_parent(target, path).ok_or_else(|| {
                    fail(
                        format!("remove operation does not apply: doc is missing path: \"{path}\""),
                        "the path must exist in every resource the patch targets",
                    )
                })?;
                remove(parent, &key).map_err(|m| {
                    fail(
                        format!("error in remove for path: '{path}': {m}"),
                        "the path must exist in every resource the patch targets",
                    )
                })?;
            }
            PatchOperation::Replace(o) => {
                let path = o.path.as_str();
                if path.is_empty() {
                    let v = value();
                    if !matches!(v.value, Value::Map(_)) {
                        return Err(fail(
                            "replace operation value must be an object to replace a whole resource"
                                .to_string(),
                            "replace the resource with a mapping",
                        ));
                    }
                    *target = v;
                    continue;
                }
                let (parent, key) = find_parent(target, path).ok_or_else(|| {
                    fail(
                        format!("replace operation does not apply: doc is missing path: {path}"),
                        "the path must exist in every resource the patch targets; use `add` to create it",
                    )
                })?;
                get(parent, &key).map_err(|_| {
                    fail(
                        format!("replace operation does not apply: doc is missing key: {path}"),
                        "the array index must exist",
                    )
                })?;
                set(parent, &key, value());
            }
            PatchOperation::Move(o) => {
                let (from, path) = (o.from.as_str(), o.path.as_str());
                let (parent, key) = find_parent(target, from).ok_or_else(|| {
                    fail(
                        format!("move operation does not apply: doc is missing from path: {from}"),
                        "the `from` path must exist",
                    )
                })?;
                let moved = get(parent, &key)
                    .map_err(|m| {
                        fail(
                            format!("error in move for path: '{key}': {m}"),
                            "the `from` path must exist",
                        )
                    })?
                    .cloned();
                remove(parent, &key).map_err(|m| {
                    fail(
                        format!("error in move for path: '{key}': {m}"),
                        "the `from` path must exist",
                    )
                })?;
                let (parent, key) = find_parent(target, path).ok_or_else(|| {
                    fail(
                        format!("move operation does not apply: doc is missing destination path: {path}"),
                        "every parent of the destination must exist",
                    )
                })?;
                let moved = moved.unwrap_or_else(|| Node::new(Value::Null, origin));
                add(parent, &key, moved).map_err(|m| {
                    fail(
                        format!("error in move for path: '{path}': {m}"),
                        "check the destination index",
                    )
                })?;
            }
            PatchOperation::Copy(o) => {
                let (from, path) = (o.from.as_str(), o.path.as_str());
                let (parent, key) = find_parent(target, from).ok_or_else(|| {
                    fail(
                        format!("copy operation does not apply: doc is missing from path: {from}"),
                        "the `from` path must exist",
                    )
                })?;
                let copied = get(parent, &key)
                    .map_err(|m| {
                        fail(
                            format!("error in copy for from: '{from}': {m}"),
                            "the `from` path must exist",
                        )
                    })?
                    .cloned()
                    .unwrap_or_else(|| Node::new(Value::Null, origin));
                let (parent, key) = find_parent(target, path).ok_or_else(|| {
                    fail(
                        format!("copy operation does not apply: doc is missing destination path: {path}"),
                        "every parent of the destination must exist",
                    )
                })?;
                add(parent, &key, copied).map_err(|m| {
                    fail(
                        format!("error while adding value during copy: {m}"),
                        "check the destination index",
                    )
                })?;
            }
            PatchOperation::Test(o) => {
                let path = o.path.as_str();
                let expected = value();
                let failed = || {
                    fail(
                        format!("testing value {path} failed: test failed"),
                        "the resource does not hold the value the `test` operation expects",
                    )
                };
                if path.is_empty() {
                    if !json_equal(target, &expected) {
                        return Err(failed());
                    }
                    continue;
                }
                let (parent, key) = find_parent(target, path).ok_or_else(|| {
                    fail(
                        format!("test operation does not apply: is missing path: {path}"),
                        "the tested path must exist",
                    )
                })?;
                let actual = get(parent, &key).map_err(|m| {
                    fail(
                        format!("error in test for path: '{path}': {m}"),
                        "the tested path must exist",
                    )
                })?;
                let ok = match actual {
                    None => expected.is_null(),
                    Some(a) => !expected.is_null() && json_equal(a, &expected),
                };
                if !ok {
                    return Err(failed());
                }
            }
        }
    }
    if !matches!(target.value, Value::Map(_)) {
        return Err(Diag::error(
            "kit::patch::json6902",
            "a JSON patch must leave the resource an object",
        )
        .at(patch.origin));
    }
    check_json_representable(target)?;
    normalize_numbers(target);
    Ok(())
}

/// Applies a patch to one resource as kustomize's patch transformers do: [`apply`], then the
/// resource's annotations are written back as a map of strings (kustomize re-sets them to
/// restore its internal annotations), so annotations that are not a mapping, or that the
/// patch emptied, disappear, and `metadata` is created if the patch removed it.
///
/// For `patches:` entries the caller records the id first (`Resource::store_previous_id`),
/// as kustomize's `PatchTransformer` does; legacy `patchesJson6902` entries do not.
pub fn apply_to_resource(res: &mut crate::model::Resource, patch: &Json6902Patch) -> Result<()> {
    // kustomize keeps a renamed resource's earlier ids as internal annotations, so the
    // patch finds `metadata.annotations` as a mapping of strings; a resource never renamed
    // and without annotations has none (an `add` below it fails, as in kustomize).
    let internal = internal_annotations(res);
    if let Some(meta) = res
        .node
        .get_mut("metadata")
        .filter(|m| m.as_map().is_some())
        .filter(|m| !internal.is_empty() || m.get("annotations").is_some())
    {
        let origin = meta.get("annotations").and_then(|a| a.origin);
        let mut entries: crate::model::Mapping = match meta.get("annotations").map(|a| &a.value) {
            Some(Value::Map(m)) => m
                .iter()
                .map(|(k, v)| {
                    let text = v.scalar_text().unwrap_or_default();
                    (k.clone(), Node::str(text, v.origin))
                })
                .collect(),
            _ => Vec::new(),
        };
        for (k, v) in &internal {
            if !entries.iter().any(|(e, _)| e == k) {
                entries.push((k.clone(), Node::str(v.clone(), None)));
            }
        }
        meta.set("annotations", Node::new(Value::Map(entries), origin));
    }
    apply(&mut res.node, patch)?;
    let name_ok = res
        .node
        .get_path(&["metadata", "name"])
        .and_then(|n| match &n.value {
            Value::Null | Value::Map(_) | Value::Seq(_) => None,
            _ => n.scalar_text(),
        })
        .is_some_and(|t| !t.is_empty());
    if !name_ok {
        return Err(Diag::error(
            "kit::patch::json6902-no-name",
            format!(
                "missing metadata.name in object {} after applying a JSON patch",
                res.kind()
            ),
        )
        .at(patch.origin)
        .help("a JSON patch must leave the resource a `metadata.name` string"));
    }
    if res
        .node
        .get("metadata")
        .is_none_or(|m| m.as_map().is_none())
    {
        res.node.set("metadata", Node::map(patch.origin));
    }
    let Some(meta) = res.node.get_mut("metadata") else {
        return Ok(());
    };
    let Some(annotations) = meta.remove("annotations") else {
        return Ok(());
    };
    let origin = annotations.origin;
    let text = |v: &Node| match &v.value {
        Value::Null => "null".to_string(),
        _ => v.scalar_text().unwrap_or_default(),
    };
    // kustomize reads the annotations node's children as key/value pairs whatever its kind:
    // a list `[a, 1]` reads as `{a: "1"}`, a scalar as no annotations.
    let pairs: Vec<(String, Node)> = match annotations.value {
        Value::Map(entries) => entries,
        Value::Seq(items) => {
            if items.len() % 2 == 1 {
                return Err(Diag::error(
                    "kit::patch::json6902-annotations",
                    "metadata.annotations became a list of odd length (kustomize crashes here)",
                )
                .at(patch.origin)
                .help("a JSON patch must leave metadata.annotations a mapping of strings"));
            }
            items
                .chunks(2)
                .map(|kv| (text(&kv[0]), kv[1].clone()))
                .collect()
        }
        _ => Vec::new(),
    };
    let mut entries: crate::model::Mapping = Vec::new();
    for (k, v) in pairs {
        if is_internal_annotation(&k) {
            continue;
        }
        let value = Node::str(text(&v), v.origin);
        match entries.iter_mut().find(|(e, _)| *e == k) {
            Some(slot) => slot.1 = value,
            None => entries.push((k, value)),
        }
    }
    if !entries.is_empty() {
        meta.set("annotations", Node::new(Value::Map(entries), origin));
    }
    Ok(())
}

/// The build annotations kustomize keeps on a renamed resource while it builds (its previous
/// names, namespaces and kinds); a JSON patch sees them, and a `move` or `copy` can carry
/// them into the output, as in kustomize.
fn internal_annotations(res: &crate::model::Resource) -> Vec<(String, String)> {
    if res.previous.is_empty() {
        return Vec::new();
    }
    let join = |f: &dyn Fn(&crate::model::ResId) -> String| {
        res.previous.iter().map(f).collect::<Vec<_>>().join(",")
    };
    vec![
        (
            "internal.config.kubernetes.io/previousKinds".to_string(),
            join(&|id| id.gvk.kind.clone()),
        ),
        (
            "internal.config.kubernetes.io/previousNames".to_string(),
            join(&|id| id.name.clone()),
        ),
        (
            "internal.config.kubernetes.io/previousNamespaces".to_string(),
            join(&|id| id.effective_namespace().to_string()),
        ),
    ]
}

fn is_internal_annotation(key: &str) -> bool {
    key.starts_with("internal.config.kubernetes.io/")
}

/// The tokens of a pointer, decoded (`~1` is `/`, `~0` is `~`). The first token is dropped
/// whatever it is, as kustomize's library does.
fn tokens(path: &str) -> Vec<String> {
    path.split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The container holding the pointer's last token, and that token; `None` when a parent is
/// missing, null, a scalar or not addressable (kustomize: "doc is missing path").
fn find_parent<'a>(doc: &'a mut Node, path: &str) -> Option<(&'a mut Node, String)> {
    let mut toks = tokens(path);
    let key = toks.pop()?;
    let mut cur = doc;
    for t in toks {
        let next = match &mut cur.value {
            Value::Map(m) => m.iter_mut().find(|(k, _)| *k == t).map(|(_, v)| v)?,
            Value::Seq(items) => {
                let i = resolve_index(&t, items.len(), false).ok()?;
                items.get_mut(i)?
            }
            _ => return None,
        };
        if !matches!(next.value, Value::Map(_) | Value::Seq(_)) {
            return None;
        }
        cur = next;
    }
    Some((cur, key))
}

/// Go's `strconv.Atoi`: optional sign, decimal digits.
fn atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// An array index, negative counting from the end; `len` is the array's length (plus one
/// for an insertion, which may address one past the end).
fn resolve_index(key: &str, len: usize, insert: bool) -> std::result::Result<usize, String> {
    let idx = atoi(key).ok_or_else(|| format!("value was not a proper array index: '{key}'"))?;
    let size = if insert { len + 1 } else { len } as i64;
    let invalid = || format!("Unable to access invalid index: {idx}: invalid index referenced");
    let idx = if idx < 0 {
        if idx < -size {
            return Err(invalid());
        }
        idx + size
    } else {
        idx
    };
    if idx >= size {
        return Err(invalid());
    }
    usize::try_from(idx).map_err(|_| invalid())
}

fn add(parent: &mut Node, key: &str, value: Node) -> std::result::Result<(), String> {
    match &mut parent.value {
        Value::Map(_) => {
            parent.set(key, value);
            Ok(())
        }
        Value::Seq(items) => {
            if key == "-" {
                items.push(value);
                return Ok(());
            }
            let i = resolve_index(key, items.len(), true)?;
            items.insert(i, value);
            Ok(())
        }
        _ => Err("not a container".to_string()),
    }
}

/// The value at `key`: `Ok(None)` for a missing object key or a null.
fn get<'a>(parent: &'a Node, key: &str) -> std::result::Result<Option<&'a Node>, String> {
    match &parent.value {
        Value::Map(m) => Ok(m
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .filter(|v| !v.is_null())),
        Value::Seq(items) => {
            let i = resolve_index(key, items.len(), false)?;
            Ok(items.get(i).filter(|v| !v.is_null()))
        }
        _ => Err("not a container".to_string()),
    }
}

/// Replaces an existing value (checked by [`get`] first) or sets an object key.
fn set(parent: &mut Node, key: &str, value: Node) {
    match &mut parent.value {
        Value::Map(_) => parent.set(key, value),
        Value::Seq(items) => {
            if let Ok(i) = resolve_index(key, items.len(), false) {
                if let Some(slot) = items.get_mut(i) {
                    *slot = value;
                }
            }
        }
        _ => {}
    }
}

fn remove(parent: &mut Node, key: &str) -> std::result::Result<(), String> {
    match &mut parent.value {
        Value::Map(_) => parent
            .remove(key)
            .map(|_| ())
            .ok_or_else(|| format!("Unable to remove nonexistent key: {key}: missing value")),
        Value::Seq(items) => {
            let i = resolve_index(key, items.len(), false)?;
            items.remove(i);
            Ok(())
        }
        _ => Err("not a container".to_string()),
    }
}

/// Structural equality as the library compares JSON: scalars by their JSON text (so `1`
/// and `"1"` differ), objects by keys.
fn json_equal(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .find(|(k2, _)| k2 == k)
                        .is_some_and(|(_, v2)| json_equal(v, v2))
                })
        }
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q))
        }
        (Value::Map(_) | Value::Seq(_), _) | (_, Value::Map(_) | Value::Seq(_)) => false,
        _ => scalar_json(&a.value) == scalar_json(&b.value),
    }
}

fn scalar_json(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::UInt(u) => u.to_string(),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(|n| {
                let s = n.to_string();
                // Go prints integral floats without a fraction.
                s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
            })
            .unwrap_or_default(),
        Value::Str(s) => serde_json::Value::String(s.clone()).to_string(),
        Value::Seq(_) | Value::Map(_) => String::new(),
    }
}

fn check_json_representable(node: &Node) -> Result<()> {
    let mut bad: Option<(f64, Option<Origin>)> = None;
    visit(node, &mut |n| {
        if let Value::Float(f) = n.value {
            if !f.is_finite() && bad.is_none() {
                bad = Some((f, n.origin));
            }
        }
    });
    match bad {
        Some((f, origin)) => Err(Diag::error(
            "kit::patch::json6902-not-json",
            format!("json: unsupported value: {}", crate::emit::goyaml::format_go_float(f)),
        )
        .at(origin)
        .help("a resource patched with a JSON patch goes through JSON, which has no infinities or NaN; quote the value")),
        None => Ok(()),
    }
}

fn visit(node: &Node, f: &mut impl FnMut(&Node)) {
    f(node);
    match &node.value {
        Value::Seq(items) => items.iter().for_each(|n| visit(n, f)),
        Value::Map(m) => m.iter().for_each(|(_, n)| visit(n, f)),
        _ => {}
    }
}

/// Numbers after JSON (float64) and back through YAML: the float's shortest text, re-read.
fn normalize_numbers(node: &mut Node) {
    node.walk_mut(&mut |n| {
        let f = match n.value {
            Value::Int(i) => i as f64,
            Value::UInt(u) => u as f64,
            Value::Float(f) => f,
            _ => return,
        };
        let text = crate::emit::goyaml::format_go_float(f);
        n.value = crate::load::yaml::resolve_scalar(&text, saphyr_parser::ScalarStyle::Plain, None);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(yaml: &str, sources: &SourceMap) -> Node {
        let id = sources.add(Path::new("doc.yaml"), yaml);
        let file = sources.get(id);
        file.and_then(|f| crate::load::yaml::parse_documents(&f, id).ok())
            .and_then(|d| d.into_iter().next())
            .unwrap_or_else(|| Node::map(None))
    }

    fn run(resource: &str, patch: &str) -> std::result::Result<String, String> {
        let sources = SourceMap::new();
        let mut r = doc(resource, &sources);
        let p = parse_text(patch, "patch.yaml", &sources).map_err(|d| d.message)?;
        apply(&mut r, &p).map_err(|d| d.message)?;
        let mut out = String::new();
        crate::emit::goyaml::write_document(&r, &mut out);
        Ok(out)
    }

    #[test]
    fn operations() {
        let r = "a: {b: 1, l: [x, y]}\n";
        assert_eq!(
            run(r, "- {op: add, path: /a/c, value: 2}").as_deref(),
            Ok("a:\n  b: 1\n  c: 2\n  l:\n  - x\n  - \"y\"\n")
        );
        assert_eq!(
            run(r, "- {op: add, path: /a/l/-, value: z}\n- {op: add, path: /a/l/0, value: w}\n- {op: remove, path: /a/l/-1}")
                .as_deref(),
            Ok("a:\n  b: 1\n  l:\n  - w\n  - x\n  - \"y\"\n")
        );
        assert_eq!(
            run(
                r,
                "- {op: move, from: /a/b, path: /c}\n- {op: copy, from: /a/l, path: /d}"
            )
            .as_deref(),
            Ok("a:\n  l:\n  - x\n  - \"y\"\nc: 1\nd:\n- x\n- \"y\"\n")
        );
        assert_eq!(
            run(r, "- {op: replace, path: /a/missing, value: 1}").as_deref(),
            Ok("a:\n  b: 1\n  l:\n  - x\n  - \"y\"\n  missing: 1\n")
        );
        assert!(run(r, "- {op: test, path: /a/b, value: 1}").is_ok());
        assert!(run(r, "- {op: test, path: /a/b, value: \"1\"}").is_err());
        assert!(run(r, "- {op: test, path: /a/zz, value: null}").is_ok());
        assert!(run(r, "- {op: remove, path: /a/zz}").is_err());
        assert!(run(r, "- {op: add, path: /x/y, value: 1}").is_err());
        assert!(run(r, "- {op: add, path: /a/l/3, value: 1}").is_err());
        assert!(run(r, "- {op: replace, path: /a/l/2, value: 1}").is_err());
    }

    #[test]
    fn escapes_and_yaml11() {
        let r = "m:\n  a/b: 1\n  c~d: 2\n";
        assert_eq!(
            run(
                r,
                "- {op: remove, path: /m/a~1b}\n- {op: replace, path: /m/c~0d, value: yes}"
            )
            .as_deref(),
            Ok("m:\n  c~d: true\n")
        );
        assert_eq!(
            run(
                r,
                "[{\"op\": \"add\", \"path\": \"/m/n\", \"value\": 1000000}]"
            )
            .as_deref(),
            Ok("m:\n  a/b: 1\n  c~d: 2\n  \"n\": 1000000\n")
        );
    }

    #[test]
    fn values_keep_the_patch_origin() {
        let sources = SourceMap::new();
        let mut r = doc("a: 1\n", &sources);
        let p = parse_text("- op: add\n  path: /b\n  value: x\n", "p.yaml", &sources);
        let p = p.ok();
        assert!(p.as_ref().is_some_and(|p| apply(&mut r, p).is_ok()));
        let origin = r.get("b").and_then(|n| n.origin);
        assert!(origin.is_some_and(|o| sources.describe(o) == "p.yaml:3:10"));
    }
}
