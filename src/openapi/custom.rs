//! Custom OpenAPI schemas: the file a kustomization names with `openapi: {path: ...}`.
//!
//! The file is a swagger document (JSON, or YAML when its first byte is not `{`, exactly as
//! kustomize tells them apart) whose `definitions` describe resource types. A definition
//! with an `x-kubernetes-group-version-kind` extension is the schema of those resource types;
//! the others are reached through `$ref: "#/definitions/<name>"`. What strategic merge reads
//! from it is what kustomize's `kyaml/openapi` reads:
//!
//! - a field is found among an object's `properties`, else in its `additionalProperties`
//!   schema; a list's elements are its `items` schema when `type` is exactly `array`;
//! - a `$ref` is followed (repeatedly) and replaces the schema that holds it, siblings and
//!   all, so a field's extensions are those of the definition it refers to;
//! - `x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`,
//!   `x-kubernetes-list-map-keys` and `x-kubernetes-list-type` of that resolved schema decide
//!   how a list merges.
//!
//! How the definitions combine with the built-in Kubernetes schema depends on what the build
//! did before the custom schema was chosen ([`Layering`], decided by
//! [`super::BuildSchema`]): kustomize adds definitions to one global table keyed by name, so
//! a custom `io.k8s.api.core.v1.PodSpec` replaces the built-in one for every type that refers
//! to it, or is itself replaced when the built-in schema is read after it.
//!
//! kustomize panics when it first uses a malformed schema; kit refuses it when a
//! kustomization chooses it, naming the file and line.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value as Json};

use super::{Extensions, FieldDef, SchemaSet, Shape, ShapeId, TypeDef};
use crate::diag::{Diag, Result};
use crate::source::{FileId, Origin, SourceFile};

/// Nesting past which a schema is refused (deeper nesting would exhaust the stack).
const MAX_DEPTH: usize = 256;

/// How a custom schema combines with the built-in Kubernetes schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layering {
    /// Only the custom definitions: built-in kinds have no schema (their lists are replaced,
    /// never merged). kustomize's case when nothing needed a schema before the choice.
    Alone,
    /// The built-in schema, then the custom definitions over it (a custom definition replaces
    /// the built-in one of the same name or group/version/kind). The built-in schema had been
    /// read before the choice (a strategic merge ran).
    OverBuiltin,
    /// The custom definitions, then the built-in schema over them. The build had met a kind
    /// outside kustomize's precomputed scope table before the choice, which makes kustomize
    /// read the built-in schema after the custom one.
    UnderBuiltin,
}

/// A parsed custom schema file.
#[derive(Clone, Debug, Default)]
pub struct CustomSchema {
    /// `definitions`, in document order.
    defs: Map<String, Json>,
    /// (apiVersion, kind, definition name) of every `x-kubernetes-group-version-kind` entry.
    gvks: Vec<(String, String, String)>,
    /// Resource scopes the document's `paths` tell (kyaml's `findNamespaceability`): a type
    /// is namespaced when one of its `get` paths has `namespaces/{namespace}`, else
    /// cluster-scoped.
    namespaced: HashMap<(String, String), bool>,
}

/// A step of a path into the document, for locating errors.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// The result of checking part of a schema.
type Checked = std::result::Result<(), Invalid>;

struct Invalid {
    at: Vec<Step>,
    message: String,
}

fn invalid(at: &[Step], message: impl Into<String>) -> Invalid {
    Invalid {
        at: at.to_vec(),
        message: message.into(),
    }
}

impl CustomSchema {
    /// Parses a schema file (registered as `id` in the source map, so errors can point into
    /// it).
    pub fn parse(file: &SourceFile, id: FileId) -> Result<CustomSchema> {
        let text: &str = &file.text;
        let doc = if text.starts_with('{') {
            serde_json::from_str::<Json>(text).map_err(|e| {
                let at = file.byte_offset(e.line(), e.column().saturating_sub(1));
                Diag::error(
                    "kit::openapi::syntax",
                    format!("invalid OpenAPI schema (JSON): {e}"),
                )
                .at(Some(Origin::new(id, at, at + 1)))
                .help("fix the JSON syntax at this position")
            })?
        } else if text.trim().is_empty() {
            return Err(Diag::error("kit::openapi::empty", "the OpenAPI schema file is empty")
                .at(Some(Origin::new(id, 0, 0)))
                .help("give the file a swagger document with `definitions`, or remove the `openapi` field"));
        } else {
            let docs = crate::load::yaml::parse_documents(file, id)?;
            docs.first().map(crate::emit::to_json).unwrap_or(Json::Null)
        };
        Self::from_document(&doc).map_err(|bad| {
            Diag::error(
                "kit::openapi::invalid",
                format!("invalid OpenAPI schema: {}", bad.message),
            )
            .at(locate(file, id, &bad.at))
            .path(format!("{}{}", file.display, pointer(&bad.at)))
            .help("kustomize reads this file as a swagger document: `definitions` maps names to JSON schemas")
        })
    }

    fn from_document(doc: &Json) -> std::result::Result<CustomSchema, Invalid> {
        let top = match doc {
            Json::Object(m) => m,
            // `null` decodes to an empty document.
            Json::Null => return Ok(CustomSchema::default()),
            _ => return Err(invalid(&[], "the document must be an object")),
        };
        let mut out = CustomSchema {
            namespaced: scopes(top.get("paths")),
            ..CustomSchema::default()
        };
        let Some(defs) = top.get("definitions") else {
            return Ok(out);
        };
        let at = [Step::Key("definitions".to_string())];
        let defs = match defs {
            Json::Object(m) => m,
            Json::Null => return Ok(out),
            _ => return Err(invalid(&at, "`definitions` must be an object")),
        };
        for (name, def) in defs {
            let mut path = at.to_vec();
            path.push(Step::Key(name.clone()));
            validate(def, &mut path, 0)?;
            out.gvks.extend(group_version_kinds(def, name, &path)?);
        }
        out.defs = defs.clone();
        Ok(out)
    }

    /// The number of definitions (for tests and messages).
    pub fn len(&self) -> usize {
        self.defs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }

    /// The schema set a build uses once this schema is chosen.
    pub fn compose(&self, builtin: &SchemaSet, layering: Layering) -> SchemaSet {
        let set = match layering {
            Layering::Alone => SchemaSet::default(),
            Layering::OverBuiltin | Layering::UnderBuiltin => builtin.clone(),
        };
        let mut c = Compose {
            builtin_types: set.type_names(),
            set,
            custom: self,
            layering,
            done: HashMap::new(),
            active: HashSet::new(),
            opaque: None,
        };
        c.set.version = "custom".to_string();
        c.set.namespaced = self.namespaced.clone();
        if layering == Layering::OverBuiltin {
            // Built-in types refer to these by name: they change even when no custom type
            // refers to them.
            let overridden: Vec<String> = self
                .defs
                .keys()
                .filter(|n| c.builtin_types.contains_key(*n))
                .cloned()
                .collect();
            for name in overridden {
                c.resolve_name(&name);
            }
        }
        for (api_version, kind, name) in &self.gvks {
            let key = (api_version.clone(), kind.clone());
            if layering == Layering::UnderBuiltin && c.set.roots.contains_key(&key) {
                continue;
            }
            if let Some(shape) = c.resolve_name(name) {
                c.set.roots.insert(key, shape);
            }
        }
        c.set
    }
}

/// Checks the parts of a schema that kustomize decodes or reads, with their types.
fn validate(schema: &Json, path: &mut Vec<Step>, depth: usize) -> Checked {
    if depth > MAX_DEPTH {
        return Err(invalid(path, "schemas nest too deeply"));
    }
    let Json::Object(m) = schema else {
        return Err(invalid(path, "a schema must be an object"));
    };
    let mut field =
        |key: &str, check: &mut dyn FnMut(&Json, &mut Vec<Step>) -> Checked| -> Checked {
            if let Some(v) = m.get(key) {
                path.push(Step::Key(key.to_string()));
                check(v, path)?;
                path.pop();
            }
            Ok(())
        };
    let string = |what: &'static str| {
        move |v: &Json, p: &mut Vec<Step>| match v {
            Json::String(_) => Ok(()),
            _ => Err(invalid(p, format!("{what} must be a string"))),
        }
    };
    field("$ref", &mut string("`$ref`"))?;
    field(
        "x-kubernetes-patch-strategy",
        &mut string("`x-kubernetes-patch-strategy`"),
    )?;
    field(
        "x-kubernetes-patch-merge-key",
        &mut string("`x-kubernetes-patch-merge-key`"),
    )?;
    field(
        "x-kubernetes-list-type",
        &mut string("`x-kubernetes-list-type`"),
    )?;
    field("x-kubernetes-list-map-keys", &mut |v, p| match v {
        Json::Array(items) if items.iter().all(Json::is_string) => Ok(()),
        _ => Err(invalid(
            p,
            "`x-kubernetes-list-map-keys` must be a list of strings",
        )),
    })?;
    field("type", &mut |v, p| match v {
        Json::String(_) => Ok(()),
        Json::Array(items) if items.iter().all(Json::is_string) => Ok(()),
        _ => Err(invalid(p, "`type` must be a string or a list of strings")),
    })?;
    field("properties", &mut |v, p| match v {
        Json::Object(props) => {
            for (name, prop) in props {
                p.push(Step::Key(name.clone()));
                validate(prop, p, depth + 1)?;
                p.pop();
            }
            Ok(())
        }
        Json::Null => Ok(()),
        _ => Err(invalid(p, "`properties` must be an object")),
    })?;
    field("items", &mut |v, p| match v {
        Json::Object(_) => validate(v, p, depth + 1),
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                p.push(Step::Index(i));
                validate(item, p, depth + 1)?;
                p.pop();
            }
            Ok(())
        }
        Json::Null => Ok(()),
        _ => Err(invalid(p, "`items` must be a schema or a list of schemas")),
    })?;
    field("additionalProperties", &mut |v, p| match v {
        Json::Bool(_) | Json::Null => Ok(()),
        Json::Object(_) => validate(v, p, depth + 1),
        _ => Err(invalid(
            p,
            "`additionalProperties` must be a boolean or a schema",
        )),
    })?;
    Ok(())
}

/// The resource types a definition describes (kustomize's `toTypeMeta`): entries that are
/// not objects are skipped, `version` and `kind` are required strings.
fn group_version_kinds(
    def: &Json,
    name: &str,
    path: &[Step],
) -> std::result::Result<Vec<(String, String, String)>, Invalid> {
    let key = "x-kubernetes-group-version-kind";
    let Some(Json::Array(entries)) = def.get(key) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let Json::Object(m) = entry else { continue };
        let mut at = path.to_vec();
        at.extend([Step::Key(key.to_string()), Step::Index(i)]);
        let text = |field: &str| match m.get(field) {
            Some(Json::String(s)) => Ok(s.clone()),
            _ => Err(invalid(
                &at,
                format!("`{key}` entries need a string `{field}`"),
            )),
        };
        let version = text("version")?;
        let kind = text("kind")?;
        let api_version = match m.get("group") {
            Some(Json::String(g)) if !g.is_empty() => format!("{g}/{version}"),
            _ => version,
        };
        out.push((api_version, kind, name.to_string()));
    }
    Ok(out)
}

/// kyaml's `findNamespaceability` over a document's `paths` (entries it cannot read are
/// skipped).
fn scopes(paths: Option<&Json>) -> HashMap<(String, String), bool> {
    let mut out = HashMap::new();
    let Some(Json::Object(paths)) = paths else {
        return out;
    };
    for (path, item) in paths {
        let Some(Json::Object(gvk)) = item
            .get("get")
            .and_then(|get| get.get("x-kubernetes-group-version-kind"))
        else {
            continue;
        };
        let (Some(Json::String(version)), Some(Json::String(kind))) =
            (gvk.get("version"), gvk.get("kind"))
        else {
            continue;
        };
        let api_version = match gvk.get("group") {
            Some(Json::String(g)) if !g.is_empty() => format!("{g}/{version}"),
            _ => version.clone(),
        };
        let key = (api_version, kind.clone());
        if path.contains("namespaces/{namespace}") {
            out.insert(key, true);
        } else {
            out.entry(key).or_insert(false);
        }
    }
    out
}

/// The extensions a schema node carries.
fn extensions(schema: &Map<String, Json>) -> Option<Box<Extensions>> {
    let text = |k: &str| schema.get(k).and_then(Json::as_str).map(str::to_string);
    let ext = Extensions {
        patch_strategy: text("x-kubernetes-patch-strategy"),
        patch_merge_key: text("x-kubernetes-patch-merge-key"),
        list_map_keys: schema
            .get("x-kubernetes-list-map-keys")
            .and_then(Json::as_array)
            .map(|keys| {
                keys.iter()
                    .filter_map(Json::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        list_type: text("x-kubernetes-list-type"),
    };
    (ext != Extensions::default()).then(|| Box::new(ext))
}

/// The definition name of a local `$ref` (`#/definitions/<name>`, JSON-pointer escaped).
fn ref_name(reference: &str) -> Option<String> {
    let name = reference.strip_prefix("#/definitions/")?;
    if name.contains('/') {
        return None;
    }
    Some(name.replace("~1", "/").replace("~0", "~"))
}

fn is_array(schema: &Map<String, Json>) -> bool {
    match schema.get("type") {
        Some(Json::String(t)) => t == "array",
        Some(Json::Array(ts)) => ts.len() == 1 && ts[0].as_str() == Some("array"),
        _ => false,
    }
}

/// Whether a schema has fields to look up: `properties`, or an `additionalProperties` schema.
fn is_object(schema: &Map<String, Json>) -> bool {
    schema
        .get("properties")
        .and_then(Json::as_object)
        .is_some_and(|p| !p.is_empty())
        || matches!(schema.get("additionalProperties"), Some(Json::Object(_)))
}

struct Compose<'a> {
    set: SchemaSet,
    custom: &'a CustomSchema,
    layering: Layering,
    /// Type indices of the starting (built-in) set, by definition name.
    builtin_types: HashMap<String, u32>,
    /// Definition names already resolved (to a shape, or to nothing).
    done: HashMap<String, Option<ShapeId>>,
    /// Definitions being converted that are not objects (a `$ref` cycle through them
    /// resolves to nothing, where kustomize would loop).
    active: HashSet<String>,
    opaque: Option<ShapeId>,
}

impl<'a> Compose<'a> {
    /// The shape a `$ref` to `name` resolves to, under this layering.
    fn resolve_name(&mut self, name: &str) -> Option<ShapeId> {
        if let Some(done) = self.done.get(name) {
            return *done;
        }
        if self.active.contains(name) {
            return None;
        }
        let builtin = self.builtin_types.get(name).copied();
        let defs: &'a CustomSchema = self.custom;
        let custom = defs.defs.get(name).and_then(Json::as_object);
        let shape = match (builtin, custom) {
            (Some(t), None) => Some(self.set.push_shape(Shape::Object(t), None)),
            (Some(t), Some(_)) if self.layering == Layering::UnderBuiltin => {
                Some(self.set.push_shape(Shape::Object(t), None))
            }
            (slot, Some(def)) => self.definition(name, def, slot),
            (None, None) => None,
        };
        self.done.insert(name.to_string(), shape);
        shape
    }

    /// Converts a named custom definition; `slot` is the built-in type it replaces.
    fn definition(
        &mut self,
        name: &str,
        def: &Map<String, Json>,
        slot: Option<u32>,
    ) -> Option<ShapeId> {
        if is_object(def) && !def.contains_key("$ref") {
            let idx = match slot {
                Some(t) => {
                    self.keep_roots_of(t);
                    if let Some(ty) = self.set.types.get_mut(t as usize) {
                        *ty = TypeDef {
                            name: name.to_string(),
                            fields: Vec::new(),
                            additional: None,
                        };
                    }
                    t
                }
                None => self.new_type(name),
            };
            let shape = self.set.push_shape(Shape::Object(idx), extensions(def));
            // Registered before the fields, so that a type may refer to itself.
            self.done.insert(name.to_string(), Some(shape));
            self.fill_type(idx, def);
            return Some(shape);
        }
        if let Some(t) = slot {
            // A built-in object type replaced by something without fields: its fields are
            // gone for every type that refers to it.
            self.keep_roots_of(t);
            if let Some(ty) = self.set.types.get_mut(t as usize) {
                ty.fields.clear();
                ty.additional = None;
            }
        }
        self.active.insert(name.to_string());
        let shape = self.inline(def);
        self.active.remove(name);
        shape
    }

    /// kustomize indexes a resource type by the definition as it was when added: replacing
    /// a built-in definition by name later does not change the built-in resource types that
    /// use it directly. Before a built-in type's slot is overwritten, its roots get a copy.
    fn keep_roots_of(&mut self, t: u32) {
        let rooted: Vec<(String, String)> = self
            .set
            .roots
            .iter()
            .filter(|(_, &shape)| matches!(self.set.shape(shape), Shape::Object(i) if i == t))
            .map(|(k, _)| k.clone())
            .collect();
        if rooted.is_empty() {
            return;
        }
        let Some(copy) = self.set.types.get(t as usize).cloned() else {
            return;
        };
        let idx = u32::try_from(self.set.types.len()).unwrap_or(u32::MAX);
        self.set.types.push(copy);
        let shape = self.set.push_shape(Shape::Object(idx), None);
        for key in rooted {
            self.set.roots.insert(key, shape);
        }
    }

    fn new_type(&mut self, name: &str) -> u32 {
        let idx = u32::try_from(self.set.types.len()).unwrap_or(u32::MAX);
        self.set.types.push(TypeDef {
            name: name.to_string(),
            fields: Vec::new(),
            additional: None,
        });
        idx
    }

    fn fill_type(&mut self, idx: u32, schema: &Map<String, Json>) {
        let mut fields = Vec::new();
        if let Some(props) = schema.get("properties").and_then(Json::as_object) {
            for (name, prop) in props {
                let Some(prop) = prop.as_object() else {
                    continue;
                };
                if let Some(shape) = self.inline(prop) {
                    fields.push(FieldDef {
                        name: name.clone(),
                        shape,
                        ext: None,
                    });
                }
            }
        }
        fields.sort_by(|a, b| a.name.cmp(&b.name));
        // A repeated property name (possible in YAML files read with last-wins): keep one.
        fields.dedup_by(|a, b| a.name == b.name);
        let additional = match schema.get("additionalProperties") {
            Some(Json::Object(value)) => self.inline(value),
            _ => None,
        };
        if let Some(ty) = self.set.types.get_mut(idx as usize) {
            ty.fields = fields;
            ty.additional = additional;
        }
    }

    /// Converts a schema written in place (a property, `items`, `additionalProperties`).
    fn inline(&mut self, schema: &Map<String, Json>) -> Option<ShapeId> {
        if let Some(reference) = schema.get("$ref").and_then(Json::as_str) {
            // A `$ref` replaces the schema that holds it, siblings and all.
            return self.resolve_name(&ref_name(reference)?);
        }
        let ext = extensions(schema);
        if is_array(schema) {
            let items = match schema.get("items") {
                Some(Json::Object(items)) => self.inline(items),
                _ => None,
            };
            let shape = match items {
                Some(items) => Shape::Array(items),
                None => Shape::UntypedArray,
            };
            return Some(self.set.push_shape(shape, ext));
        }
        if is_object(schema) {
            let idx = self.new_type("");
            let shape = self.set.push_shape(Shape::Object(idx), ext);
            self.fill_type(idx, schema);
            return Some(shape);
        }
        if ext.is_some() {
            return Some(self.set.push_shape(Shape::Opaque, ext));
        }
        Some(match self.opaque {
            Some(id) => id,
            None => {
                let id = self.set.push_shape(Shape::Opaque, None);
                self.opaque = Some(id);
                id
            }
        })
    }
}

/// `/definitions/x/properties/y` for messages.
fn pointer(at: &[Step]) -> String {
    if at.is_empty() {
        return String::new();
    }
    let mut out = String::from("#");
    for step in at {
        out.push('/');
        match step {
            Step::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
            Step::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

/// Where a path points in the file: the file is read again with the YAML reader (JSON is
/// YAML) for its spans. Only used on errors.
fn locate(file: &SourceFile, id: FileId, at: &[Step]) -> Option<Origin> {
    let docs = crate::load::yaml::parse_documents(file, id).ok()?;
    let mut node = docs.first()?;
    let mut origin = node.origin;
    for step in at {
        let next = match step {
            Step::Key(k) => node.get(k),
            Step::Index(i) => node.as_seq().and_then(|s| s.get(*i)),
        };
        match next {
            Some(n) => {
                node = n;
                origin = n.origin.or(origin);
            }
            None => break,
        }
    }
    origin
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::model::Gvk;
    use crate::openapi::{builtin, ListMerge, Schema};

    fn parse(text: &str) -> Result<CustomSchema> {
        let file = SourceFile::new(PathBuf::from("s.json"), "s.json".into(), text);
        CustomSchema::parse(&file, FileId(0))
    }

    const CRD: &str = r##"{
      "definitions": {
        "v1alpha1.MyCRD": {
          "type": "object",
          "properties": {
            "spec": {
              "type": "object",
              "properties": {
                "template": {"$ref": "#/definitions/io.k8s.api.core.v1.PodTemplateSpec"},
                "rules": {
                  "type": "array",
                  "items": {"type": "object", "properties": {"host": {"type": "string"}}},
                  "x-kubernetes-patch-strategy": "merge",
                  "x-kubernetes-patch-merge-key": "host"
                },
                "byZone": {
                  "type": "object",
                  "additionalProperties": {
                    "type": "array",
                    "items": {"$ref": "#/definitions/item"},
                    "x-kubernetes-patch-strategy": "merge",
                    "x-kubernetes-list-map-keys": ["a", "b"]
                  }
                }
              }
            }
          },
          "x-kubernetes-group-version-kind": [
            {"group": "example.com", "version": "v1alpha1", "kind": "MyCRD"},
            "ignored"
          ]
        },
        "item": {"type": "object", "properties": {"a": {"type": "string"}}},
        "io.k8s.api.core.v1.PodSpec": {
          "properties": {
            "containers": {
              "type": "array",
              "items": {"$ref": "#/definitions/io.k8s.api.core.v1.Container"},
              "x-kubernetes-patch-strategy": "merge",
              "x-kubernetes-patch-merge-key": "image"
            }
          }
        }
      }
    }"##;

    fn keys(s: Option<Schema>) -> String {
        match s.map(Schema::list_merge) {
            Some(ListMerge::ByKeys(k)) => k.join(","),
            Some(ListMerge::Primitive) => "<primitive>".into(),
            Some(ListMerge::Replace) => "<replace>".into(),
            None => "<none>".into(),
        }
    }

    fn at<'a>(set: &'a SchemaSet, av: &str, kind: &str, path: &str) -> Option<Schema<'a>> {
        let path: Vec<&str> = path.split('.').collect();
        set.lookup(&Gvk::from_api_version(av, kind), &path)
    }

    #[test]
    fn alone_knows_only_custom_types() {
        let custom = parse(CRD).expect("parses");
        let set = custom.compose(builtin(), Layering::Alone);
        assert_eq!(
            keys(at(&set, "example.com/v1alpha1", "MyCRD", "spec.rules")),
            "host"
        );
        assert_eq!(
            keys(at(
                &set,
                "example.com/v1alpha1",
                "MyCRD",
                "spec.byZone.east"
            )),
            "a,b"
        );
        // PodTemplateSpec is not defined: the field has no schema.
        assert!(at(&set, "example.com/v1alpha1", "MyCRD", "spec.template").is_none());
        assert!(set
            .resource(&Gvk::from_api_version("apps/v1", "Deployment"))
            .is_none());
    }

    #[test]
    fn over_builtin_replaces_definitions_by_name() {
        let custom = parse(CRD).expect("parses");
        let set = custom.compose(builtin(), Layering::OverBuiltin);
        let c = "spec.template.spec.containers";
        assert_eq!(keys(at(&set, "example.com/v1alpha1", "MyCRD", c)), "image");
        assert_eq!(keys(at(&set, "apps/v1", "Deployment", c)), "image");
        assert_eq!(keys(at(&set, "v1", "Pod", "spec.containers")), "image");
        // Other built-in fields are untouched.
        assert_eq!(
            keys(at(&set, "v1", "Service", "spec.ports")),
            "port,protocol"
        );
    }

    #[test]
    fn under_builtin_keeps_builtin_definitions() {
        let custom = parse(CRD).expect("parses");
        let set = custom.compose(builtin(), Layering::UnderBuiltin);
        let c = "spec.template.spec.containers";
        assert_eq!(keys(at(&set, "example.com/v1alpha1", "MyCRD", c)), "name");
        assert_eq!(keys(at(&set, "apps/v1", "Deployment", c)), "name");
        assert_eq!(
            keys(at(&set, "example.com/v1alpha1", "MyCRD", "spec.rules")),
            "host"
        );
    }

    #[test]
    fn paths_tell_scopes() {
        let doc = r#"{"paths": {
          "/apis/example.com/v1/widgets": {"get": {"x-kubernetes-group-version-kind": {"group": "example.com", "version": "v1", "kind": "Widget"}}},
          "/apis/example.com/v1/gadgets": {"get": {"x-kubernetes-group-version-kind": {"group": "example.com", "version": "v1", "kind": "Gadget"}}},
          "/apis/example.com/v1/namespaces/{namespace}/gadgets": {"get": {"x-kubernetes-group-version-kind": {"group": "example.com", "version": "v1", "kind": "Gadget"}}},
          "/bad": {"get": 1}
        }}"#;
        let set = parse(doc)
            .expect("parses")
            .compose(builtin(), Layering::Alone);
        let scope = |kind: &str| set.namespaced(&Gvk::from_api_version("example.com/v1", kind));
        assert_eq!(scope("Widget"), Some(false));
        assert_eq!(scope("Gadget"), Some(true));
        assert_eq!(scope("Other"), None);
    }

    #[test]
    fn yaml_and_recursion() {
        let yaml = "definitions:\n  node:\n    type: object\n    properties:\n      children:\n        type: array\n        items:\n          $ref: '#/definitions/node'\n        x-kubernetes-patch-strategy: merge\n        x-kubernetes-patch-merge-key: id\n    x-kubernetes-group-version-kind:\n    - {version: v1, kind: Tree}\n  loop:\n    $ref: '#/definitions/loop'\n";
        let set = parse(yaml)
            .expect("parses")
            .compose(builtin(), Layering::Alone);
        assert_eq!(
            keys(at(&set, "v1", "Tree", "children.[].children.[].children")),
            "id"
        );
    }

    #[test]
    fn errors_point_into_the_file() {
        let e = parse("{\n  \"definitions\": {\n    \"a\": [1]\n  }\n}\n").expect_err("error");
        assert!(
            e.message.contains("a schema must be an object"),
            "{}",
            e.message
        );
        assert!(e.origin.is_some());
        let e = parse("{\n  \"definitions\": {,}\n}\n").expect_err("error");
        assert_eq!(e.code, "kit::openapi::syntax");
        let gvk = r#"{"definitions": {"a": {"x-kubernetes-group-version-kind": [{"kind": "A"}]}}}"#;
        let e = parse(gvk).expect_err("error");
        assert!(e.message.contains("`version`"), "{}", e.message);
        let e = parse("").expect_err("error");
        assert_eq!(e.code, "kit::openapi::empty");
        let e = parse(r#"{"definitions": {"a": {"x-kubernetes-patch-strategy": 1}}}"#)
            .expect_err("error");
        assert!(e.message.contains("must be a string"), "{}", e.message);
    }
}
