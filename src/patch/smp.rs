//! Strategic-merge patches of one resource, exactly as kustomize v5.8.1 applies them.
//!
//! kustomize does not use Kubernetes' `strategicpatch` package: its `patches:` and
//! `patchesStrategicMerge:` go through kyaml's merge walker (`kyaml/yaml/merge2` over
//! `kyaml/yaml/walk`, with `ListIncreaseDirection: Prepend`). Its results differ from the API
//! server's in ways that show in `kubectl kustomize` output, and this module reproduces them:
//!
//! - Maps merge key by key; a patch value `null` (`~`, empty) removes the key. A target key
//!   whose value is `null` or `~` (not an empty value) stays when the patch does not touch it.
//! - Lists merge only when the schema says so (`x-kubernetes-patch-strategy` contains
//!   `merge`), by `x-kubernetes-list-map-keys` or else `x-kubernetes-patch-merge-key`; lists of
//!   scalars with `merge` merge as sets. Every other list, and every list of an unknown kind
//!   (custom resources) or unknown field, is replaced by the patch's list.
//! - Merged lists put the patch's elements first, in patch order, then the target's remaining
//!   elements in target order (`[a, b, c]` patched with `[c, d]` gives `[c, d, a, b]`).
//! - `$patch: delete` removes the map (at the top: the whole resource, see
//!   [`MergeOutcome::Deleted`]) or list element that holds it; `$patch: replace` on a map
//!   replaces it, and a `- $patch: replace` (or `delete`) element replaces (or clears) the list.
//!   `$patch: replace` on a keyed list element, and at the top of a patch, has no effect (the
//!   target element is put back), as in kustomize. Any other `$patch` value is an error.
//! - kustomize has no special meaning for `$setElementOrder/<field>`, `$retainKeys` or
//!   `$deleteFromPrimitiveList/<field>`: they are copied into the result as ordinary fields,
//!   and so they are here.
//! - Quirks kept for byte-identical output: a list element without its merge key drops the
//!   merged elements before it, elements lacking a merge key in the patch are dropped, and
//!   multi-key lists (container ports by `containerPort` + `protocol`) unify keys where one side
//!   leaves a key out.
//!
//! The walk runs on a small arena copy of both trees so that it can share and alias nodes the
//! way the Go implementation's pointers do (several quirks above come from that aliasing).
//! Every value taken from the patch keeps the patch's origin, so provenance points at the
//! patch line.
//!
//! # What the caller does (kustomize's `PatchTransformer` and `Resource.ApplySmPatch`)
//!
//! 1. Select targets: with `target:`, every resource the selector matches, and the patch
//!    file must hold one document; without it, each patch document patches the resource with
//!    the patch's id (`apiVersion`, `kind`, `metadata.name`, `metadata.namespace`; an error
//!    when none matches).
//! 2. For a `target:` patch, per selected resource: merge [`targeted_patch_copy`] of the
//!    patch (the target's `apiVersion`; labels, annotations, name and namespace rewritten as
//!    kustomize's `CopyMergeMetaDataFieldsFrom` does). Without `target:`, the patch as loaded.
//! 3. Remember the target's `metadata.name`, `metadata.namespace` and `kind`; when
//!    `options.allowNameChange` or `options.allowKindChange` is set, record the previous id
//!    (for name references).
//! 4. Call [`strategic_merge`]. On [`MergeOutcome::Deleted`], drop the resource from the list.
//! 5. Otherwise restore the identity with [`restore_identity`]: `kind` unless
//!    `allowKindChange`, `metadata.name` unless `allowNameChange`, and always
//!    `metadata.namespace` (removed when the target had none).

use crate::diag::{Diag, Result};
use crate::model::{Node, Value};
use crate::openapi::{self, Schema, SchemaSet};
use crate::source::Origin;

/// What a strategic merge did to the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeOutcome {
    /// The target was patched (possibly unchanged).
    Merged,
    /// The patch said `$patch: delete` at the top: the resource must be removed.
    Deleted,
}

/// Applies a strategic-merge patch to one resource with the built-in Kubernetes schemas.
///
/// The schema is found from the target's `apiVersion` and `kind` (then the patch's), as
/// kustomize does; nested objects of unknown type that carry their own `apiVersion` and `kind`
/// (a workload embedded in a custom resource) are merged with that type's schema.
pub fn strategic_merge(target: &mut Node, patch: &Node) -> Result<MergeOutcome> {
    strategic_merge_with(openapi::builtin(), target, patch)
}

/// [`strategic_merge`] with a given schema set.
pub fn strategic_merge_with(
    schemas: &SchemaSet,
    target: &mut Node,
    patch: &Node,
) -> Result<MergeOutcome> {
    let mut w = Walker {
        arena: Vec::new(),
        schemas,
    };
    let t = w.import(target);
    let p = w.import(patch);
    match w.walk([Some(t), Some(p)], None)? {
        None => Ok(MergeOutcome::Deleted),
        Some(_) => {
            // kustomize keeps the target node: a top-level `$patch: replace` builds its result
            // elsewhere and leaves the target as it was.
            *target = w.export(t);
            Ok(MergeOutcome::Merged)
        }
    }
}

/// Which identity fields a patch may change (kustomize's `options` of a `patches:` entry).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdentityOptions {
    pub allow_name_change: bool,
    pub allow_kind_change: bool,
}

/// The identity fields a target had before a patch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    pub kind: String,
    pub name: String,
    pub namespace: String,
}

impl Identity {
    /// Reads `kind`, `metadata.name` and `metadata.namespace` (empty when missing).
    pub fn of(node: &Node) -> Identity {
        let text = |n: Option<&Node>| n.and_then(Node::scalar_text).unwrap_or_default();
        Identity {
            kind: text(node.get("kind")),
            name: text(node.get_path(&["metadata", "name"])),
            namespace: text(node.get_path(&["metadata", "namespace"])),
        }
    }
}

/// Puts back the target's identity after a merge, as kustomize's `ApplySmPatch` does: the kind
/// unless kind changes are allowed, the name unless name changes are allowed, and always the
/// namespace (removed when it was empty). Restored values keep the target's origins.
pub fn restore_identity(node: &mut Node, before: &Identity, options: IdentityOptions) {
    if !options.allow_kind_change {
        set_str(node, "kind", &before.kind);
    }
    let Some(meta) = node.entry_map("metadata", None) else {
        return;
    };
    if !options.allow_name_change {
        set_str(meta, "name", &before.name);
    }
    if before.namespace.is_empty() {
        meta.remove("namespace");
    } else {
        set_str(meta, "namespace", &before.namespace);
    }
}

/// The copy of a `target:` patch that kustomize merges into one selected resource (its
/// `resWrangler.ApplySmPatch`): the target's `apiVersion`, the patch's `kind`, and the patch's
/// metadata rewritten the way `CopyMergeMetaDataFieldsFrom` writes it: labels and annotations
/// become maps of strings (a `null` value becomes the string `"null"`, an empty value `""`;
/// an empty or null map is dropped, so it leaves the target's alone), `metadata.name` a string,
/// and `metadata.namespace` is dropped when empty.
pub fn targeted_patch_copy(patch: &Node, target: &Node) -> Node {
    let mut copy = patch.clone();
    if !matches!(copy.value, Value::Map(_)) {
        return copy;
    }
    let Some(meta) = copy.entry_map("metadata", None) else {
        return copy;
    };
    for field in ["labels", "annotations"] {
        let strings: Vec<(String, Node)> = match meta.get(field).map(|n| &n.value) {
            Some(Value::Map(m)) => m
                .iter()
                .map(|(k, v)| {
                    let text = match &v.value {
                        Value::Null => null_text(v).to_string(),
                        _ => v.scalar_text().unwrap_or_default(),
                    };
                    (k.clone(), Node::str(text, v.origin))
                })
                .collect(),
            _ => Vec::new(),
        };
        let origin = meta.get(field).and_then(|n| n.origin);
        meta.remove(field);
        if !strings.is_empty() {
            let mut sorted = strings;
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            meta.set(field, Node::new(Value::Map(sorted), origin));
        }
    }
    let name = meta
        .get("name")
        .and_then(Node::scalar_text)
        .unwrap_or_default();
    let name_origin = meta.get("name").and_then(|n| n.origin);
    meta.set("name", Node::str(name, name_origin));
    let namespace = meta
        .get("namespace")
        .and_then(Node::scalar_text)
        .unwrap_or_default();
    if namespace.is_empty() {
        meta.remove("namespace");
    } else {
        let origin = meta.get("namespace").and_then(|n| n.origin);
        meta.set("namespace", Node::str(namespace, origin));
    }
    if let Some(api_version) = target.get("apiVersion").and_then(Node::scalar_text) {
        let origin = copy.get("apiVersion").and_then(|n| n.origin);
        copy.set("apiVersion", Node::str(api_version, origin));
    }
    copy
}

/// The text a null was written with, as far as its source span tells: nothing (`key:`), `~`,
/// or `null` (also for nulls without an origin).
pub fn null_text(node: &Node) -> &'static str {
    match node.origin.map(|o| o.end.saturating_sub(o.start)) {
        Some(0) => "",
        Some(1) => "~",
        _ => "null",
    }
}

/// Sets a string field unless it already holds that text (keeping its origin then).
fn set_str(node: &mut Node, key: &str, value: &str) {
    if node.get(key).and_then(Node::scalar_text).as_deref() == Some(value)
        && node
            .get(key)
            .is_some_and(|n| matches!(n.value, Value::Str(_)))
    {
        return;
    }
    node.set(key, Node::str(value, None));
}

// ---------------------------------------------------------------------------------------------
// The arena: yaml.v3-like nodes addressed by index, so that one node can sit in two places.

type Id = usize;

#[derive(Clone, Debug)]
struct YNode {
    kind: YKind,
    origin: Option<Origin>,
    /// kyaml's `ShouldKeep`: a null kept on purpose (a target's explicit `null`).
    keep: bool,
}

#[derive(Clone, Debug)]
enum YKind {
    /// A null with its text as yaml.v3 keeps it (`null`, `~`, or empty for `key:`, which
    /// kustomize drops when walked).
    Null(&'static str),
    Scalar(Value),
    Map(Vec<(String, Id)>),
    Seq(Vec<Id>),
}

/// Node kinds as the walker compares them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Scalar,
    Map,
    Seq,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Scalar => "a scalar",
            Kind::Map => "a mapping",
            Kind::Seq => "a list",
        }
    }
}

/// The patch strategy a `$patch` directive names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Directive {
    Merge,
    Replace,
    Delete,
    /// Not a map or list: an error kustomize ignores in one place.
    NotApplicable,
}

struct Walker<'s> {
    arena: Vec<YNode>,
    schemas: &'s SchemaSet,
}

const PATCH_KEY: &str = "$patch";

impl<'s> Walker<'s> {
    fn import(&mut self, node: &Node) -> Id {
        let kind = match &node.value {
            Value::Null => YKind::Null(null_text(node)),
            Value::Map(m) => {
                YKind::Map(m.iter().map(|(k, v)| (k.clone(), self.import(v))).collect())
            }
            Value::Seq(items) => YKind::Seq(items.iter().map(|v| self.import(v)).collect()),
            other => YKind::Scalar(other.clone()),
        };
        self.push(kind, node.origin)
    }

    fn push(&mut self, kind: YKind, origin: Option<Origin>) -> Id {
        self.arena.push(YNode {
            kind,
            origin,
            keep: false,
        });
        self.arena.len() - 1
    }

    fn export(&self, id: Id) -> Node {
        let n = &self.arena[id];
        let value = match &n.kind {
            YKind::Null(_) => Value::Null,
            YKind::Scalar(v) => v.clone(),
            YKind::Map(m) => Value::Map(
                m.iter()
                    .map(|(k, v)| (k.clone(), self.export(*v)))
                    .collect(),
            ),
            YKind::Seq(items) => Value::Seq(items.iter().map(|v| self.export(*v)).collect()),
        };
        Node::new(value, n.origin)
    }

    // --- node predicates and accessors (kyaml's RNode helpers) ---------------------------------

    fn is_null(&self, id: Id) -> bool {
        matches!(self.arena[id].kind, YKind::Null(_))
    }

    /// `IsMissingOrNull`.
    fn missing_or_null(&self, id: Option<Id>) -> bool {
        id.is_none_or(|i| self.is_null(i))
    }

    /// `IsEmptyMap`: missing, null, or a map without keys.
    fn empty_map(&self, id: Option<Id>) -> bool {
        match id {
            None => true,
            Some(i) => match &self.arena[i].kind {
                YKind::Null(_) => true,
                YKind::Map(m) => m.is_empty(),
                _ => false,
            },
        }
    }

    /// `IsNilOrEmpty`: missing, null, or an empty map or list.
    fn nil_or_empty(&self, id: Option<Id>) -> bool {
        match id {
            None => true,
            Some(i) => match &self.arena[i].kind {
                YKind::Null(_) => true,
                YKind::Map(m) => m.is_empty(),
                YKind::Seq(s) => s.is_empty(),
                YKind::Scalar(_) => false,
            },
        }
    }

    fn kind(&self, id: Id) -> Option<Kind> {
        match &self.arena[id].kind {
            YKind::Null(_) => None,
            YKind::Scalar(_) => Some(Kind::Scalar),
            YKind::Map(_) => Some(Kind::Map),
            YKind::Seq(_) => Some(Kind::Seq),
        }
    }

    /// A yaml.v3 node's `Value`: a scalar's text, `null` / `` for nulls, empty for collections.
    fn text(&self, id: Id) -> String {
        match &self.arena[id].kind {
            YKind::Null(text) => text.to_string(),
            YKind::Scalar(v) => Node::new(v.clone(), None).scalar_text().unwrap_or_default(),
            YKind::Map(_) | YKind::Seq(_) => String::new(),
        }
    }

    /// `GetValue`: the text, or empty for missing and null nodes.
    fn get_value(&self, id: Option<Id>) -> String {
        match id {
            Some(i) if !self.is_null(i) => self.text(i),
            _ => String::new(),
        }
    }

    fn map(&self, id: Id) -> Option<&Vec<(String, Id)>> {
        match &self.arena[id].kind {
            YKind::Map(m) => Some(m),
            _ => None,
        }
    }

    fn seq(&self, id: Id) -> Option<&Vec<Id>> {
        match &self.arena[id].kind {
            YKind::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// `RNode.Field(name).Value`: the value of a map's key (none for non-maps).
    fn field(&self, id: Id, name: &str) -> Option<Id> {
        self.map(id)?
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| *v)
    }

    fn origin(&self, id: Id) -> Option<Origin> {
        self.arena[id].origin
    }

    fn wrong_kind(&self, id: Id, expected: Kind) -> Diag {
        let got = self.kind(id).map_or("null", Kind::name);
        Diag::error(
            "kit::patch::wrong-kind",
            format!(
                "strategic merge: expected {} but found {got}",
                expected.name()
            ),
        )
        .at(self.origin(id))
        .help("the patch and the resource must have the same structure at this field")
    }

    /// `ErrorIfInvalid`: missing and null nodes pass.
    fn check_kind(&self, id: Option<Id>, expected: Kind) -> Result<()> {
        match id {
            Some(i) if !self.is_null(i) && self.kind(i) != Some(expected) => {
                Err(self.wrong_kind(i, expected))
            }
            _ => Ok(()),
        }
    }

    // --- the walker (kyaml/yaml/walk) ------------------------------------------------------

    /// `Walker.Walk` over `[dest, origin]`: returns the merged node, or `None` to remove it.
    fn walk(
        &mut self,
        mut sources: [Option<Id>; 2],
        schema: Option<Schema<'s>>,
    ) -> Result<Option<Id>> {
        let schema = self.schema_for(&sources, schema);
        let kind = sources.iter().flatten().find_map(|&i| self.kind(i));
        match kind {
            Some(Kind::Map) | None => {
                for s in sources {
                    self.check_kind(s, Kind::Map)?;
                }
                self.walk_map(&mut sources, schema)
            }
            Some(Kind::Seq) => {
                for s in sources {
                    self.check_kind(s, Kind::Seq)?;
                }
                if schema.is_some_and(|s| s.merges()) {
                    self.walk_associative_list(&mut sources, schema)
                } else {
                    // A list without merge strategy: the patch's list, or the target's.
                    Ok(sources[1].or(sources[0]))
                }
            }
            Some(Kind::Scalar) => {
                for s in sources {
                    self.check_kind(s, Kind::Scalar)?;
                }
                Ok(sources[1].or(sources[0]))
            }
        }
    }

    /// `Walker.GetSchema`: the field's schema, else the schema of a source's own
    /// `apiVersion`/`kind` (the target's first).
    fn schema_for(
        &self,
        sources: &[Option<Id>; 2],
        schema: Option<Schema<'s>>,
    ) -> Option<Schema<'s>> {
        if schema.is_some() {
            return schema;
        }
        for &id in sources.iter().flatten() {
            if self.is_null(id) {
                continue;
            }
            let meta = |name: &str| {
                let f = self.field(id, name);
                if self.nil_or_empty(f) {
                    String::new()
                } else {
                    self.get_value(f)
                }
            };
            let (api_version, kind) = (meta("apiVersion"), meta("kind"));
            if api_version.is_empty() || kind.is_empty() {
                continue;
            }
            if let Some(s) = self.schemas.resource_by_type_meta(&api_version, &kind) {
                return Some(s);
            }
        }
        None
    }

    fn walk_map(
        &mut self,
        sources: &mut [Option<Id>; 2],
        schema: Option<Schema<'s>>,
    ) -> Result<Option<Id>> {
        let Some(dest) = self.visit_map(sources)? else {
            return Ok(None);
        };
        sources[0] = Some(dest);
        let mut names: Vec<String> = Vec::new();
        for &id in sources.iter().flatten() {
            if let Some(m) = self.map(id) {
                names.extend(m.iter().map(|(k, _)| k.clone()));
            }
        }
        names.sort();
        names.dedup();
        for name in names {
            let field_schema = schema.and_then(|s| s.field(&name));
            let values = [
                sources[0].and_then(|s| self.field(s, &name)),
                sources[1].and_then(|s| self.field(s, &name)),
            ];
            let value = self.walk(values, field_schema)?;
            self.set_field(dest, &name, value)?;
        }
        Ok(Some(dest))
    }

    /// `Merger.VisitMap`.
    fn visit_map(&mut self, sources: &[Option<Id>; 2]) -> Result<Option<Id>> {
        let [dest, origin] = *sources;
        if self.missing_or_null(dest) {
            // Adding: kustomize ignores a bad directive here.
            let directive = self.directive(origin).unwrap_or(Directive::NotApplicable);
            if directive == Directive::Delete {
                return Ok(None);
            }
            if let (None, Some(d)) = (origin, dest) {
                if !self.text(d).is_empty() {
                    // keep an explicit `null` of the target
                    let mut kept = self.arena[d].clone();
                    kept.keep = true;
                    self.arena.push(kept);
                    return Ok(Some(self.arena.len() - 1));
                }
            }
            return Ok(origin);
        }
        if origin.is_some_and(|o| self.is_null(o)) {
            return Ok(None);
        }
        Ok(match self.directive(origin)? {
            Directive::Delete => None,
            Directive::Replace => origin,
            Directive::Merge | Directive::NotApplicable => dest,
        })
    }

    /// `FieldSetter`: sets (or with `None` / a plain null, removes) a key of a map.
    fn set_field(&mut self, map: Id, name: &str, value: Option<Id>) -> Result<()> {
        let remove = match value {
            None => true,
            Some(v) => self.is_null(v) && !self.arena[v].keep,
        };
        self.check_kind(Some(map), Kind::Map)?;
        let existing = self.field(map, name);
        if remove {
            if let YKind::Map(m) = &mut self.arena[map].kind {
                m.retain(|(k, _)| k != name);
            }
            return Ok(());
        }
        let Some(v) = value else {
            return Ok(());
        };
        match existing {
            // yaml.v3 copies the node into the existing one
            Some(e) => {
                if e != v {
                    let mut copy = self.arena[v].clone();
                    copy.keep = false;
                    self.arena[e] = copy;
                }
            }
            None => {
                if let YKind::Map(m) = &mut self.arena[map].kind {
                    m.push((name.to_string(), v));
                }
            }
        }
        Ok(())
    }

    // --- directives (kyaml/yaml/merge2/smpdirective.go) ----------------------------------------

    /// The `$patch` directive of a patch node, removed from the node once read.
    fn directive(&mut self, patch: Option<Id>) -> Result<Directive> {
        let Some(p) = patch else {
            return Ok(Directive::Merge);
        };
        match self.kind(p) {
            Some(Kind::Map) => {
                let Some(v) = self.field(p, PATCH_KEY) else {
                    return Ok(Directive::Merge);
                };
                let d = self.parse_directive(v)?;
                if let YKind::Map(m) = &mut self.arena[p].kind {
                    m.retain(|(k, _)| k != PATCH_KEY);
                }
                Ok(d)
            }
            Some(Kind::Seq) => {
                // The first element that is a map with a `$patch` key, if it has no other key.
                let Ok(Some(elem)) = self.element_matcher(p, &[PATCH_KEY.to_string()], &[], true)
                else {
                    return Ok(Directive::Merge);
                };
                if self.map(elem).is_some_and(|m| m.len() > 1) {
                    return Ok(Directive::Merge);
                }
                let Some(v) = self.field(elem, PATCH_KEY) else {
                    return Ok(Directive::Merge);
                };
                let d = self.parse_directive(v)?;
                let text = self.text(v);
                self.element_setter(p, None, &[PATCH_KEY.to_string()], &[text])?;
                Ok(d)
            }
            _ => Ok(Directive::NotApplicable),
        }
    }

    fn parse_directive(&self, value: Id) -> Result<Directive> {
        let text = self.text(value);
        match text.as_str() {
            "merge" => Ok(Directive::Merge),
            "replace" => Ok(Directive::Replace),
            "delete" => Ok(Directive::Delete),
            _ => Err(Diag::error(
                "kit::patch::unknown-directive",
                format!("unknown patch strategy '{text}'"),
            )
            .at(self.origin(value))
            .label("`$patch` must be `merge`, `replace` or `delete`")
            .help("use `$patch: merge`, `$patch: replace` or `$patch: delete`")),
        }
    }

    // --- associative lists (kyaml/yaml/walk/associative_sequence.go) ---------------------------

    /// `Merger.VisitList` for a list with a merge strategy.
    fn visit_associative_list(&mut self, sources: &[Option<Id>; 2]) -> Result<Option<Id>> {
        let [dest, origin] = *sources;
        if self.missing_or_null(dest) {
            return Ok(origin);
        }
        if origin.is_some_and(|o| self.is_null(o)) {
            return Ok(None);
        }
        Ok(match self.directive(origin)? {
            Directive::Delete => None,
            Directive::Replace => origin,
            Directive::Merge | Directive::NotApplicable => dest,
        })
    }

    fn walk_associative_list(
        &mut self,
        sources: &mut [Option<Id>; 2],
        schema: Option<Schema<'s>>,
    ) -> Result<Option<Id>> {
        let Some(dest) = self.visit_associative_list(sources)? else {
            return Ok(None);
        };
        sources[0] = Some(dest);
        let keys: Vec<String> = schema.map(|s| s.merge_keys().to_vec()).unwrap_or_default();
        let values = self.element_values(sources, &keys);
        let elements = schema.and_then(|s| s.elements());
        if !values.is_empty() || !keys.is_empty() {
            self.set_associative_elements(sources, values, &keys, dest, elements)
        } else {
            let values = self.primitive_values(sources);
            self.set_associative_elements(sources, values, &[String::new()], dest, elements)
        }
    }

    /// The key values of every element, the patch's elements first, without repeats.
    fn element_values(&self, sources: &[Option<Id>; 2], keys: &[String]) -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = Vec::new();
        for src in [sources[1], sources[0]].into_iter().flatten() {
            let Some(items) = self.seq(src) else {
                continue;
            };
            for &item in items {
                let tuple: Vec<String> = keys
                    .iter()
                    .map(|k| {
                        let f = self.field(item, k);
                        if self.nil_or_empty(f) {
                            String::new()
                        } else {
                            f.map(|f| self.text(f)).unwrap_or_default()
                        }
                    })
                    .collect();
                if tuple.is_empty() || out.contains(&tuple) {
                    continue;
                }
                out.push(tuple);
            }
        }
        out
    }

    /// The texts of a list of scalars, the patch's first, without repeats.
    fn primitive_values(&self, sources: &[Option<Id>; 2]) -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = Vec::new();
        for src in [sources[1], sources[0]].into_iter().flatten() {
            let Some(items) = self.seq(src) else {
                continue;
            };
            for &item in items {
                let t = vec![self.text(item)];
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        out
    }

    fn set_associative_elements(
        &mut self,
        sources: &[Option<Id>; 2],
        mut values_list: Vec<Vec<String>>,
        keys: &[String],
        dest: Id,
        elements: Option<Schema<'s>>,
    ) -> Result<Option<Id>> {
        let items = self.push(YKind::Seq(Vec::new()), self.origin(dest));
        if keys.len() > 1 {
            merge_values(&mut values_list);
        }
        let mut valid_keys: Vec<String> = Vec::new();
        let mut valid_values: Vec<String>;
        for values in &values_list {
            if values.is_empty() {
                continue;
            }
            (valid_keys, valid_values) = validate_keys(&values_list, values, keys);
            let element_sources = self.element_sources(sources, &valid_keys, &valid_values);
            let val = self.walk(element_sources, elements)?;
            let mut removed = false;
            for (i, key) in valid_keys.iter().enumerate() {
                if self.missing_or_null(val) || self.empty_map(val) {
                    self.element_setter(dest, None, &valid_keys, &valid_values)?;
                    removed = true;
                } else if let Some(v) = val {
                    let value = valid_values.get(i).cloned().unwrap_or_default();
                    if self.field(v, key).is_none() && !value.is_empty() {
                        self.set_key_field(v, key, &value)?;
                    }
                }
            }
            if removed {
                continue;
            }
            if let Some(v) = val {
                self.element_setter(items, Some(v), &valid_keys, &valid_values)?;
            }
        }
        let result = if values_list.is_empty() {
            dest
        } else {
            self.append_list(items, dest, &valid_keys)?
        };
        Ok(Some(result))
    }

    /// `val.Pipe(SetField(key, NewScalarRNode(value)))` on a merged element.
    fn set_key_field(&mut self, elem: Id, key: &str, value: &str) -> Result<()> {
        if key.is_empty() {
            // Replaces a scalar element with its own text (same value); errs on collections.
            return match self.kind(elem) {
                Some(Kind::Scalar) | None => Ok(()),
                Some(_) => Err(self.wrong_kind(elem, Kind::Scalar)),
            };
        }
        self.check_kind(Some(elem), Kind::Map)?;
        if self.is_null(elem) {
            return Ok(());
        }
        let origin = self.origin(elem);
        let scalar = self.push(YKind::Scalar(resolve_plain_scalar(value)), origin);
        self.set_field(elem, key, Some(scalar))
    }

    /// `elementValueList`: each source's element with these key values.
    fn element_sources(
        &self,
        sources: &[Option<Id>; 2],
        keys: &[String],
        values: &[String],
    ) -> [Option<Id>; 2] {
        let (keys, values) = validate_keys(&[values.to_vec()], values, keys);
        let find = |src: Option<Id>| -> Option<Id> {
            let s = src?;
            self.seq(s)?;
            self.element_matcher(s, &keys, &values, false)
                .ok()
                .flatten()
        };
        [find(sources[0]), find(sources[1])]
    }

    /// `appendListNode(dst, src, keys)`: puts each of `src`'s elements into `dst`.
    fn append_list(&mut self, dst: Id, src: Id, keys: &[String]) -> Result<Id> {
        let elems: Vec<Id> = self.seq(src).cloned().unwrap_or_default();
        for elem in elems {
            if keys.first().is_none_or(|k| k.is_empty()) {
                let text = self.text(elem);
                self.element_setter(dst, Some(elem), &[String::new()], &[text])?;
                continue;
            }
            let mut v: Vec<String> = Vec::new();
            for key in keys {
                if !self.is_null(elem) {
                    self.check_kind(Some(elem), Kind::Map)?;
                }
                match self.field(elem, key) {
                    None => {
                        if let YKind::Seq(s) = &mut self.arena[dst].kind {
                            s.push(elem);
                        }
                    }
                    Some(f) => v.push(self.text(f)),
                }
            }
            if keys.len() > 1 {
                self.element_setter(dst, None, keys, &v)?;
            }
            self.element_setter(dst, Some(elem), keys, &v)?;
        }
        Ok(dst)
    }

    // --- list element matching (kyaml's ElementMatcher / ElementSetter) ------------------------

    /// `ElementMatcher`: the first element whose keys have these values (or, with `any`, that
    /// has these keys). With the empty key, the first scalar with the text `values[0]`.
    fn element_matcher(
        &self,
        list: Id,
        keys: &[String],
        values: &[String],
        any: bool,
    ) -> Result<Option<Id>> {
        let keys: Vec<String> = if keys.is_empty() {
            vec![String::new()]
        } else {
            keys.to_vec()
        };
        let values: Vec<String> = if values.is_empty() {
            vec![String::new()]
        } else {
            values.to_vec()
        };
        let Some(items) = self.seq(list) else {
            return Ok(None);
        };
        if keys[0].is_empty() {
            return Ok(items.iter().copied().find(|&i| self.text(i) == values[0]));
        }
        for &elem in items {
            if self.map(elem).is_none() {
                continue;
            }
            if !any && keys.len() != values.len() {
                return Err(Diag::error(
                    "kit::patch::internal",
                    "merge keys and values differ in number",
                ));
            }
            let matches = keys
                .iter()
                .enumerate()
                .all(|(i, k)| match self.field(elem, k) {
                    None => false,
                    Some(f) => any || self.text(f) == values[i],
                });
            if matches {
                return Ok(Some(elem));
            }
        }
        Ok(None)
    }

    /// `ElementSetter`: in `list`, replaces the elements matching the key values with
    /// `element` (or removes them when `element` is `None`), appending it when none matched.
    /// Like kyaml, it also drops null and empty-map elements, and with no values every element.
    fn element_setter(
        &mut self,
        list: Id,
        element: Option<Id>,
        keys: &[String],
        values: &[String],
    ) -> Result<Option<Id>> {
        let keys: Vec<String> = if keys.is_empty() {
            vec![String::new()]
        } else {
            keys.to_vec()
        };
        self.check_kind(Some(list), Kind::Seq)?;
        let items: Vec<Id> = self.seq(list).cloned().unwrap_or_default();
        let mapping_setter = !keys[0].is_empty() && values.first().is_some_and(|v| !v.is_empty());
        let mut kept = Vec::with_capacity(items.len() + 1);
        let mut found_any = false;
        for elem in items {
            if self.missing_or_null(Some(elem)) || self.empty_map(Some(elem)) {
                continue;
            }
            if self.map(elem).is_none() && mapping_setter {
                kept.push(elem);
                continue;
            }
            let mut found = true;
            let mut matched: Option<Id> = None;
            for (j, key) in keys.iter().enumerate() {
                if let Some(value) = values.get(j) {
                    matched = self.field_matcher(elem, key, value)?;
                }
                if matched.is_none() {
                    found = false;
                    break;
                }
            }
            if !found {
                if !values.is_empty() {
                    kept.push(elem);
                }
                continue;
            }
            found_any = true;
            if let Some(e) = element {
                kept.push(e);
            }
        }
        if let YKind::Seq(s) = &mut self.arena[list].kind {
            *s = kept;
        }
        let Some(e) = element.filter(|&e| !self.is_null(e)) else {
            return Ok(None);
        };
        if !found_any {
            if let YKind::Seq(s) = &mut self.arena[list].kind {
                s.push(e);
            }
        }
        Ok(Some(e))
    }

    /// `FieldMatcher{Name, StringValue}` on one element: with a name, the field's value when
    /// its text is `value` (any value when `value` is empty); without, the scalar itself.
    fn field_matcher(&self, elem: Id, name: &str, value: &str) -> Result<Option<Id>> {
        if self.is_null(elem) {
            return Ok(None);
        }
        if name.is_empty() {
            self.check_kind(Some(elem), Kind::Scalar)?;
            return Ok((self.get_value(Some(elem)) == value).then_some(elem));
        }
        self.check_kind(Some(elem), Kind::Map)?;
        Ok(self
            .field(elem, name)
            .filter(|&f| value.is_empty() || self.text(f) == value))
    }
}

/// `validateKeys`: keeps the keys that have a value in some element (all keys when none has).
fn validate_keys(
    values_list: &[Vec<String>],
    values: &[String],
    keys: &[String],
) -> (Vec<String>, Vec<String>) {
    let has_value = |i: usize| {
        values_list
            .iter()
            .any(|vs| vs.get(i).is_some_and(|v| !v.is_empty()))
    };
    let valid: Vec<bool> = (0..keys.len()).map(has_value).collect();
    if !valid.iter().any(|v| *v) {
        return (keys.to_vec(), values.to_vec());
    }
    // kyaml compares key names, so a repeated key name counts for both positions
    let key_valid = |k: &str| keys.iter().zip(&valid).any(|(n, v)| *v && n == k);
    let vk = keys.iter().filter(|k| key_valid(k)).cloned().collect();
    let vv = values
        .iter()
        .enumerate()
        .filter(|(i, v)| !v.is_empty() || keys.get(*i).is_some_and(|k| key_valid(k)))
        .map(|(_, v)| v.clone())
        .collect();
    (vk, vv)
}

/// `mergeValues`: unifies key tuples that agree where both have a value (ports given with and
/// without `protocol`).
fn merge_values(list: &mut [Vec<String>]) {
    for i in 0..list.len() {
        let first = list[i].clone();
        for j in 0..list.len() {
            let second = list[j].clone();
            if let Some(unified) = unify(&first, &second) {
                list[i] = unified.clone();
                list[j] = unified;
            }
        }
    }
}

fn unify(a: &[String], b: &[String]) -> Option<Vec<String>> {
    if a.len() != b.len() {
        return None;
    }
    let mut common = false;
    let mut out = Vec::with_capacity(a.len());
    for (x, y) in a.iter().zip(b) {
        if x == y {
            common = true;
            out.push(x.clone());
        } else if !x.is_empty() && !y.is_empty() {
            return None;
        } else if !x.is_empty() {
            out.push(x.clone());
        } else {
            out.push(y.clone());
        }
    }
    common.then_some(out)
}

/// The value an untagged plain scalar with this text has (for key fields kustomize adds).
fn resolve_plain_scalar(text: &str) -> Value {
    if let Ok(i) = text.parse::<i64>() {
        return Value::Int(i);
    }
    Value::Str(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, SourceFile};

    fn parse(text: &str, file: u32) -> Node {
        let f = SourceFile::new("t.yaml".into(), "t.yaml".into(), text);
        let mut docs = crate::load::yaml::parse_documents(&f, FileId(file)).expect("valid yaml");
        docs.remove(0)
    }

    fn emit(node: &Node) -> String {
        let mut out = String::new();
        crate::emit::goyaml::write_document(node, &mut out);
        out
    }

    /// Merges and prints, or returns the error message.
    fn merge(target: &str, patch: &str) -> String {
        let mut t = parse(target, 0);
        let p = parse(patch, 1);
        match strategic_merge(&mut t, &p) {
            Ok(MergeOutcome::Merged) => emit(&t),
            Ok(MergeOutcome::Deleted) => "<deleted>".to_string(),
            Err(d) => format!("error: {}", d.message),
        }
    }

    const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n";

    fn deploy(rest: &str) -> String {
        format!("{DEPLOY}{rest}")
    }

    #[test]
    fn empty_null_has_an_empty_span() {
        let n = parse("a:\nb: null\nc: ~\n", 0);
        let span = |k: &str| n.get(k).and_then(|v| v.origin).map(|o| o.end - o.start);
        assert_eq!(span("a"), Some(0));
        assert_eq!(span("b"), Some(4));
        assert_eq!(span("c"), Some(1));
    }

    #[test]
    fn containers_merge_by_name_patch_first() {
        let t = deploy(
            "spec:\n  template:\n    spec:\n      containers:\n      - {name: a, image: a}\n      - {name: b, image: b}\n      - {name: c, image: c}\n",
        );
        let p = deploy(
            "spec:\n  template:\n    spec:\n      containers:\n      - {name: c, image: c2}\n      - {name: d, image: d}\n",
        );
        let out = merge(&t, &p);
        let names: Vec<&str> = out
            .lines()
            .filter_map(|l| l.trim().strip_prefix("name: "))
            .collect();
        assert_eq!(names, ["web", "c", "d", "a", "b"]);
        assert!(out.contains("image: c2"));
    }

    #[test]
    fn nulls_delete_and_explicit_target_nulls_stay() {
        let t = deploy("  labels: {a: x, b: z}\n  k1:\n  k2: null\nspec: {replicas: 2}\n");
        let p = deploy("  labels: {a: null}\nspec: {replicas: null}\n");
        let out = merge(&t, &p);
        assert!(!out.contains("a: x"), "{out}");
        assert!(out.contains("b: z"), "{out}");
        assert!(!out.contains("k1:"));
        assert!(out.contains("k2: null"));
        assert!(!out.contains("replicas"));
    }

    #[test]
    fn patch_delete_at_top_deletes_resource() {
        assert_eq!(merge(&deploy(""), &deploy("$patch: delete\n")), "<deleted>");
    }

    #[test]
    fn patch_replace_at_top_is_ignored() {
        let t = deploy("spec: {replicas: 1, paused: true}\n");
        let out = merge(&t, &deploy("$patch: replace\nspec: {replicas: 3}\n"));
        assert!(out.contains("replicas: 1") && out.contains("paused: true"));
    }

    #[test]
    fn map_replace_and_delete() {
        let t = deploy("spec:\n  selector: {matchLabels: {a: b}}\n  strategy: {type: Recreate}\n");
        let p = deploy("spec:\n  selector: {$patch: replace, matchLabels: {c: d}}\n  strategy: {$patch: delete}\n");
        let out = merge(&t, &p);
        assert!(out.contains("c: d") && !out.contains("a: b"));
        assert!(!out.contains("strategy"));
    }

    #[test]
    fn list_directives() {
        let t = deploy(
            "spec:\n  template:\n    spec:\n      containers:\n      - {name: a, image: a}\n      - {name: b, image: b}\n",
        );
        let replace = deploy(
            "spec:\n  template:\n    spec:\n      containers:\n      - $patch: replace\n      - {name: z, image: z}\n",
        );
        let out = merge(&t, &replace);
        assert!(out.contains("name: z") && !out.contains("name: a"));
        let delete_one = deploy(
            "spec:\n  template:\n    spec:\n      containers:\n      - {name: a, $patch: delete}\n",
        );
        let out = merge(&t, &delete_one);
        assert!(!out.contains("name: a") && out.contains("name: b"));
    }

    #[test]
    fn unknown_directive_is_an_error_at_the_patch_line() {
        let mut t = parse(&deploy("spec: {template: {}}\n"), 0);
        let p = parse(&deploy("spec:\n  template:\n    $patch: foo\n"), 1);
        let err = strategic_merge(&mut t, &p).expect_err("unknown directive");
        assert_eq!(err.code, "kit::patch::unknown-directive");
        assert!(err.message.contains("'foo'"));
        let o = err.origin.expect("origin");
        assert_eq!(o.file, FileId(1));
    }

    #[test]
    fn kind_mismatch_is_an_error() {
        let out = merge(
            &deploy("spec: {template: {}}\n"),
            &deploy("spec: {template: 3}\n"),
        );
        assert!(out.starts_with("error:"), "{out}");
    }

    #[test]
    fn unknown_kinds_replace_lists_and_merge_maps() {
        let t = "apiVersion: x.io/v1\nkind: W\nmetadata: {name: w}\nspec: {items: [{name: a}], m: {a: 1}}\n";
        let p = "apiVersion: x.io/v1\nkind: W\nmetadata: {name: w}\nspec: {items: [{name: b}], m: {b: 2}}\n";
        let out = merge(t, p);
        assert!(out.contains("name: b") && !out.contains("name: a"));
        assert!(out.contains("a: 1") && out.contains("b: 2"));
    }

    #[test]
    fn embedded_typed_objects_use_their_schema() {
        let t = "apiVersion: x.io/v1\nkind: W\nmetadata: {name: w}\nspec:\n  apiVersion: v1\n  kind: Pod\n  spec: {containers: [{name: a, image: a}]}\n";
        let p = "apiVersion: x.io/v1\nkind: W\nmetadata: {name: w}\nspec:\n  apiVersion: v1\n  kind: Pod\n  spec: {containers: [{name: b, image: b}]}\n";
        let out = merge(t, p);
        assert!(out.contains("name: a") && out.contains("name: b"), "{out}");
    }

    #[test]
    fn primitive_merge_lists_are_sets() {
        let t = deploy("  finalizers: [a, b]\n");
        let p = deploy("  finalizers: [c, a]\n");
        let out = merge(&t, &p);
        let items: Vec<&str> = out
            .lines()
            .filter_map(|l| l.trim().strip_prefix("- "))
            .collect();
        assert_eq!(items, ["c", "a", "b"]);
    }

    #[test]
    fn other_directives_are_plain_fields() {
        let out = merge(
            &deploy(""),
            &deploy("spec:\n  $setElementOrder/x: [a]\n  $retainKeys: [b]\n"),
        );
        assert!(out.contains("$setElementOrder/x:") && out.contains("$retainKeys:"));
    }

    #[test]
    fn patch_values_keep_patch_origins() {
        let mut t = parse(&deploy("spec: {replicas: 1}\n"), 0);
        let p = parse(&deploy("spec: {replicas: 5}\n"), 1);
        strategic_merge(&mut t, &p).expect("merge");
        let r = t.get_path(&["spec", "replicas"]).expect("replicas");
        assert_eq!(r.origin.map(|o| o.file), Some(FileId(1)));
        let name = t.get_path(&["metadata", "name"]).expect("name");
        assert_eq!(name.origin.map(|o| o.file), Some(FileId(1)));
    }

    #[test]
    fn restore_identity_puts_back_name_and_namespace() {
        let mut t = parse(&deploy("  namespace: ns\n"), 0);
        let before = Identity::of(&t);
        let p = parse(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: other, namespace: x}\n",
            1,
        );
        strategic_merge(&mut t, &p).expect("merge");
        restore_identity(&mut t, &before, IdentityOptions::default());
        assert_eq!(Identity::of(&t), before);
        let mut allowed = t.clone();
        let p = parse(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: other}\n",
            1,
        );
        strategic_merge(&mut allowed, &p).expect("merge");
        restore_identity(
            &mut allowed,
            &before,
            IdentityOptions {
                allow_name_change: true,
                allow_kind_change: false,
            },
        );
        assert_eq!(Identity::of(&allowed).name, "other");
        assert_eq!(Identity::of(&allowed).namespace, "ns");
    }

    #[test]
    fn targeted_copy_rewrites_metadata_like_kustomize() {
        let target = parse(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n",
            0,
        );
        let patch = parse(
            "apiVersion: apps/v1beta2\nkind: Deployment\nmetadata:\n  name: 7\n  labels: {a: 1, b: null, c: ~}\n  annotations: {}\n",
            1,
        );
        let copy = targeted_patch_copy(&patch, &target);
        assert_eq!(copy.get_str("apiVersion"), Some("apps/v1"));
        assert_eq!(
            copy.get_path(&["metadata", "name"]).and_then(Node::as_str),
            Some("7")
        );
        let label = |k: &str| {
            copy.get_path(&["metadata", "labels", k])
                .and_then(Node::as_str)
                .map(String::from)
        };
        assert_eq!(label("a").as_deref(), Some("1"));
        assert_eq!(label("b").as_deref(), Some("null"));
        assert_eq!(label("c").as_deref(), Some("~"));
        assert!(copy.get_path(&["metadata", "annotations"]).is_none());
    }
}
