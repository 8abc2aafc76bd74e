//! Kubernetes API schema knowledge: which fields are lists, maps or objects, and how a
//! strategic-merge patch treats them (merge keys, `merge` / `replace` / `retainKeys`).
//!
//! The data comes from the schema store that `kit validate` uses too (`crate::schema`,
//! `schemas/kubernetes.txt`): [`table::from_store`] walks one version's definitions into the
//! text form `scripts/gen-smp-schema` documents, parsed on first use (a few milliseconds;
//! nothing is built when no patch is applied). It keeps, for each resource type
//! and every field that is not a plain scalar, the field's shape and its
//! `x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`, `x-kubernetes-list-map-keys`
//! and `x-kubernetes-list-type` extensions.
//!
//! Lookups follow kustomize's `kyaml/openapi` (`ResourceSchema.Field`, `.Elements`,
//! `.PatchStrategyAndKeyList`): a field is found among an object's properties, or is the value
//! schema of a map; an unknown kind (a CRD's custom resource) or an unknown field has no
//! schema ([`SchemaSet::resource`] / [`Schema::field`] return `None`), and strategic merge then
//! replaces lists and merges maps, as kustomize does.
//!
//! Version: kustomize v5.8.1 merges with a built-in Kubernetes 1.21 schema. Every version in
//! 1.30–1.37 agrees with it on the merge keys of the fields both know (checked with
//! `scripts/gen-smp-schema --compare`) except `ephemeralContainers[].ports`; each newer version
//! only adds fields (`schedulingGates`, `resourceClaims`, ...) that 1.21 does not know, and
//! that kustomize therefore replaces instead of merging. 1.30 adds the fewest, so it is the
//! one embedded.
//!
//! A kustomization's `openapi:` field can replace or extend this table for a build (see
//! [`CustomSchema`] for the file format and [`BuildSchema`] for which kustomization's choice wins).

mod custom;
mod state;

pub use custom::{CustomSchema, Layering};
pub use state::{BuildSchema, Counters, SchemaKey, BUILTIN_VERSION};

pub mod table;

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::model::Gvk;

/// The Kubernetes version whose merge keys kit uses (see the module docs).
pub const SMP_VERSION: &str = "1.30";

/// The built-in schemas, built from the schema store on first use.
pub fn builtin() -> &'static SchemaSet {
    static SET: OnceLock<SchemaSet> = OnceLock::new();
    SET.get_or_init(|| {
        // The store is embedded and tested; an error here is a build defect, and an empty
        // set (every list replaced) is the safest fallback.
        table::from_store(SMP_VERSION)
            .and_then(|text| SchemaSet::parse(&text).ok())
            .unwrap_or_default()
    })
}

/// A set of resource schemas (one Kubernetes version, or a custom schema composed with one).
#[derive(Clone, Debug, Default)]
pub struct SchemaSet {
    version: String,
    /// (apiVersion, kind) → root shape.
    roots: HashMap<(String, String), ShapeId>,
    types: Vec<TypeDef>,
    shapes: Vec<Shape>,
    /// Extensions a schema node carries itself. The generated table keeps extensions on
    /// fields; a custom schema is read as kustomize reads it, from the (resolved) schema of
    /// the field, of a map's values or of a list's elements.
    shape_ext: HashMap<ShapeId, Box<Extensions>>,
    /// Scopes a custom schema's `paths` tell: (apiVersion, kind) → namespaced.
    namespaced: HashMap<(String, String), bool>,
}

type ShapeId = u32;

#[derive(Clone, Debug, Default)]
struct TypeDef {
    name: String,
    /// Sorted by name.
    fields: Vec<FieldDef>,
    /// `additionalProperties`: the schema of any other field (custom schemas only).
    additional: Option<ShapeId>,
}

#[derive(Clone, Debug)]
struct FieldDef {
    name: String,
    shape: ShapeId,
    ext: Option<Box<Extensions>>,
}

#[derive(Debug, Clone, Copy)]
enum Shape {
    /// An object with known fields (type index).
    Object(u32),
    /// A schema without known fields (an opaque object, `RawExtension`, any JSON).
    Opaque,
    Scalar,
    Array(ShapeId),
    /// An array whose elements have no usable schema (no `items`, or a dangling `$ref`).
    UntypedArray,
    Map(ShapeId),
}

/// The Kubernetes extensions of one field's schema, as written in the OpenAPI document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extensions {
    /// `x-kubernetes-patch-strategy`, e.g. `merge`, `merge,retainKeys`, `replace`.
    pub patch_strategy: Option<String>,
    /// `x-kubernetes-patch-merge-key`.
    pub patch_merge_key: Option<String>,
    /// `x-kubernetes-list-map-keys`.
    pub list_map_keys: Vec<String>,
    /// `x-kubernetes-list-type`: `atomic`, `set` or `map`.
    pub list_type: Option<String>,
}

/// What a schema node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    /// An object with known properties.
    Object,
    /// A map with `additionalProperties` (e.g. `nodeSelector` of objects).
    Map,
    List,
    Scalar,
    /// Known to exist, but without known structure (`RawExtension`, `JSON`, ...).
    Opaque,
}

/// How kustomize's strategic merge treats a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListMerge<'a> {
    /// The patch's list replaces the target's (no `merge` strategy, or no schema).
    Replace,
    /// Elements are matched by these keys (`x-kubernetes-list-map-keys` when given, else
    /// `x-kubernetes-patch-merge-key`) and merged.
    ByKeys(&'a [String]),
    /// A list of scalars merged as a set (e.g. `metadata.finalizers`).
    Primitive,
}

/// A node of a schema: a resource, or a field somewhere below one.
#[derive(Clone, Copy, Debug)]
pub struct Schema<'a> {
    set: &'a SchemaSet,
    shape: ShapeId,
    ext: Option<&'a Extensions>,
}

impl SchemaSet {
    /// The Kubernetes version the data comes from, e.g. `v1.30`.
    pub fn kubernetes_version(&self) -> &str {
        &self.version
    }

    /// The schema of a resource type, if it is a built-in Kubernetes type.
    pub fn resource(&self, gvk: &Gvk) -> Option<Schema<'_>> {
        self.resource_by_type_meta(&gvk.api_version(), &gvk.kind)
    }

    /// The schema for `apiVersion` / `kind` as written in a document.
    pub fn resource_by_type_meta(&self, api_version: &str, kind: &str) -> Option<Schema<'_>> {
        let shape = *self
            .roots
            .get(&(api_version.to_string(), kind.to_string()))?;
        Some(self.node(shape, None))
    }

    /// Whether the schema's `paths` say a type is namespaced (custom schemas only; kustomize
    /// consults this for types outside its precomputed scope table).
    pub fn namespaced(&self, gvk: &Gvk) -> Option<bool> {
        if self.namespaced.is_empty() {
            return None;
        }
        self.namespaced
            .get(&(gvk.api_version(), gvk.kind.clone()))
            .copied()
    }

    /// The schema at a field path of a resource type (`"[]"` steps into list elements), e.g.
    /// `["spec", "template", "spec", "containers"]`.
    pub fn lookup(&self, gvk: &Gvk, path: &[&str]) -> Option<Schema<'_>> {
        self.resource(gvk)?.lookup(path)
    }

    /// Parses the text form written by `scripts/gen-smp-schema`.
    pub fn parse(text: &str) -> Result<SchemaSet, String> {
        let mut set = SchemaSet::default();
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, "#kit-smp-schema 1")) => {}
            _ => return Err("not a kit strategic-merge schema table (version 1)".to_string()),
        }
        for (n, line) in lines {
            let err = |what: &str| format!("line {}: {what}: {line}", n + 1);
            let mut parts = line.split(' ');
            match parts.next() {
                Some("V") => set.version = parts.next().unwrap_or("").to_string(),
                Some("G") => {
                    let (Some(av), Some(kind), Some(shape)) =
                        (parts.next(), parts.next(), parts.next())
                    else {
                        return Err(err("bad resource line"));
                    };
                    let id = set.parse_shape(shape).ok_or_else(|| err("bad shape"))?;
                    set.roots.insert((av.to_string(), kind.to_string()), id);
                }
                Some("T") => {
                    let index: usize = parts
                        .next()
                        .and_then(|i| i.parse().ok())
                        .ok_or_else(|| err("bad type index"))?;
                    if index != set.types.len() {
                        return Err(err("types out of order"));
                    }
                    set.types.push(TypeDef {
                        name: parts.next().unwrap_or("").to_string(),
                        fields: Vec::new(),
                        additional: None,
                    });
                }
                Some("F") => {
                    let (Some(name), Some(shape)) = (parts.next(), parts.next()) else {
                        return Err(err("bad field line"));
                    };
                    let shape = set.parse_shape(shape).ok_or_else(|| err("bad shape"))?;
                    let mut ext = Extensions::default();
                    let mut any = false;
                    for p in parts {
                        let (tag, value) = p.split_once('=').ok_or_else(|| err("bad extension"))?;
                        any = true;
                        match tag {
                            "s" => ext.patch_strategy = Some(value.to_string()),
                            "k" => ext.patch_merge_key = Some(value.to_string()),
                            "m" => ext.list_map_keys = value.split(',').map(String::from).collect(),
                            "t" => ext.list_type = Some(value.to_string()),
                            _ => return Err(err("unknown extension")),
                        }
                    }
                    let ty = set
                        .types
                        .last_mut()
                        .ok_or_else(|| err("field before any type"))?;
                    ty.fields.push(FieldDef {
                        name: name.to_string(),
                        shape,
                        ext: any.then(|| Box::new(ext)),
                    });
                }
                Some(c) if c.starts_with('#') || c.is_empty() => {}
                _ => return Err(err("unknown record")),
            }
        }
        let types = set.types.len();
        for s in &set.shapes {
            if let Shape::Object(t) = s {
                if *t as usize >= types {
                    return Err(format!("shape refers to missing type {t}"));
                }
            }
        }
        for t in &mut set.types {
            t.fields.sort_by(|a, b| a.name.cmp(&b.name));
        }
        Ok(set)
    }

    fn parse_shape(&mut self, text: &str) -> Option<ShapeId> {
        let shape = match text.as_bytes().first()? {
            b'@' => Shape::Object(text[1..].parse().ok()?),
            b'*' if text.len() == 1 => Shape::Opaque,
            b'.' if text.len() == 1 => Shape::Scalar,
            b'[' => Shape::Array(self.parse_shape(&text[1..])?),
            b'{' => Shape::Map(self.parse_shape(&text[1..])?),
            _ => return None,
        };
        self.shapes.push(shape);
        u32::try_from(self.shapes.len() - 1).ok()
    }

    fn shape(&self, id: ShapeId) -> Shape {
        self.shapes
            .get(id as usize)
            .copied()
            .unwrap_or(Shape::Opaque)
    }

    fn shape_extensions(&self, id: ShapeId) -> Option<&Extensions> {
        if self.shape_ext.is_empty() {
            return None;
        }
        self.shape_ext.get(&id).map(Box::as_ref)
    }

    /// A schema node for `shape`, with the field's extensions when it has some.
    fn node<'s>(&'s self, shape: ShapeId, field_ext: Option<&'s Extensions>) -> Schema<'s> {
        Schema {
            set: self,
            shape,
            ext: field_ext.or_else(|| self.shape_extensions(shape)),
        }
    }

    /// Adds a shape (with the extensions the schema node carries itself).
    fn push_shape(&mut self, shape: Shape, ext: Option<Box<Extensions>>) -> ShapeId {
        let id = u32::try_from(self.shapes.len()).unwrap_or(u32::MAX);
        self.shapes.push(shape);
        if let Some(ext) = ext {
            self.shape_ext.insert(id, ext);
        }
        id
    }

    /// Type indices by definition name.
    fn type_names(&self) -> HashMap<String, u32> {
        self.types
            .iter()
            .enumerate()
            .filter_map(|(i, t)| Some((t.name.clone(), u32::try_from(i).ok()?)))
            .collect()
    }
}

impl<'a> Schema<'a> {
    pub fn kind(self) -> SchemaKind {
        match self.set.shape(self.shape) {
            Shape::Object(_) => SchemaKind::Object,
            Shape::Opaque => SchemaKind::Opaque,
            Shape::Scalar => SchemaKind::Scalar,
            Shape::Array(_) | Shape::UntypedArray => SchemaKind::List,
            Shape::Map(_) => SchemaKind::Map,
        }
    }

    pub fn is_list(self) -> bool {
        self.kind() == SchemaKind::List
    }

    /// The object type's name (e.g. `io.k8s.api.core.v1.PodSpec`), for objects.
    pub fn type_name(self) -> Option<&'a str> {
        match self.set.shape(self.shape) {
            Shape::Object(t) => self.set.types.get(t as usize).map(|t| t.name.as_str()),
            _ => None,
        }
    }

    /// A field's schema: an object's property, or a map's value schema (any key). Scalar
    /// fields are not in the table and return `None`, like unknown fields (kustomize treats
    /// both alike when merging).
    pub fn field(self, name: &str) -> Option<Schema<'a>> {
        let set = self.set;
        match set.shape(self.shape) {
            Shape::Object(t) => {
                let ty = set.types.get(t as usize)?;
                match ty.fields.binary_search_by(|f| f.name.as_str().cmp(name)) {
                    Ok(i) => {
                        let f = &ty.fields[i];
                        Some(set.node(f.shape, f.ext.as_deref()))
                    }
                    Err(_) => ty.additional.map(|value| set.node(value, None)),
                }
            }
            Shape::Map(value) => Some(set.node(value, None)),
            _ => None,
        }
    }

    /// The schema of a list's elements.
    pub fn elements(self) -> Option<Schema<'a>> {
        match self.set.shape(self.shape) {
            Shape::Array(items) => Some(self.set.node(items, None)),
            _ => None,
        }
    }

    /// Follows a path of field names; `"[]"` steps into list elements.
    pub fn lookup(self, path: &[&str]) -> Option<Schema<'a>> {
        path.iter().try_fold(
            self,
            |s, p| {
                if *p == "[]" {
                    s.elements()
                } else {
                    s.field(p)
                }
            },
        )
    }

    /// The field's Kubernetes extensions, if it has any.
    pub fn extensions(self) -> Option<&'a Extensions> {
        self.ext
    }

    /// `x-kubernetes-patch-strategy`, as written (empty when absent).
    pub fn patch_strategy(self) -> &'a str {
        self.ext
            .and_then(|e| e.patch_strategy.as_deref())
            .unwrap_or("")
    }

    fn has_strategy(self, name: &str) -> bool {
        self.patch_strategy().split(',').any(|s| s == name)
    }

    /// Whether the strategy includes `merge` (kustomize's test for an associative list).
    pub fn merges(self) -> bool {
        self.has_strategy("merge")
    }

    /// Whether the strategy includes `retainKeys` (e.g. `volumes`, a Deployment's `strategy`).
    pub fn retains_keys(self) -> bool {
        self.has_strategy("retainKeys")
    }

    /// Whether the strategy is `replace` (e.g. a PodDisruptionBudget's `selector`).
    pub fn replaces(self) -> bool {
        self.has_strategy("replace")
    }

    /// kustomize's `PatchStrategyAndKeyList` keys: `x-kubernetes-list-map-keys` when present,
    /// else the merge key; empty without a patch strategy.
    pub fn merge_keys(self) -> &'a [String] {
        let Some(ext) = self.ext else {
            return &[];
        };
        if ext.patch_strategy.is_none() {
            return &[];
        }
        if !ext.list_map_keys.is_empty() {
            return &ext.list_map_keys;
        }
        match &ext.patch_merge_key {
            Some(k) => std::slice::from_ref(k),
            None => &[],
        }
    }

    /// How strategic merge treats this field when it holds a list.
    pub fn list_merge(self) -> ListMerge<'a> {
        if !self.is_list() || !self.merges() {
            return ListMerge::Replace;
        }
        let keys = self.merge_keys();
        if keys.is_empty() {
            ListMerge::Primitive
        } else {
            ListMerge::ByKeys(keys)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gvk(av: &str, kind: &str) -> Gvk {
        Gvk::from_api_version(av, kind)
    }

    fn at<'a>(av: &str, kind: &str, path: &str) -> Schema<'a> {
        let path: Vec<&str> = path.split('.').collect();
        builtin()
            .lookup(&gvk(av, kind), &path)
            .unwrap_or_else(|| panic!("no schema at {av} {kind} {path:?}"))
    }

    #[test]
    fn embedded_table_parses() {
        let set = builtin();
        assert_eq!(set.kubernetes_version(), "v1.30");
        assert!(set.resource(&gvk("apps/v1", "Deployment")).is_some());
        assert!(set.resource(&gvk("example.com/v1", "Widget")).is_none());
    }

    #[test]
    fn merge_keys_from_extensions() {
        let keys = |s: Schema| match s.list_merge() {
            ListMerge::ByKeys(k) => k.join(","),
            ListMerge::Primitive => "<primitive>".to_string(),
            ListMerge::Replace => "<replace>".to_string(),
        };
        let d = |p: &str| at("apps/v1", "Deployment", p);
        assert_eq!(keys(d("spec.template.spec.containers")), "name");
        assert_eq!(keys(d("spec.template.spec.initContainers")), "name");
        assert_eq!(
            keys(d("spec.template.spec.containers.[].ports")),
            "containerPort,protocol"
        );
        assert_eq!(keys(d("spec.template.spec.containers.[].env")), "name");
        assert_eq!(
            keys(d("spec.template.spec.containers.[].volumeMounts")),
            "mountPath"
        );
        assert_eq!(keys(d("spec.template.spec.volumes")), "name");
        assert!(d("spec.template.spec.volumes").retains_keys());
        assert_eq!(keys(d("spec.template.spec.imagePullSecrets")), "name");
        assert_eq!(keys(d("spec.template.spec.hostAliases")), "ip");
        assert_eq!(keys(d("spec.template.spec.tolerations")), "<replace>");
        assert_eq!(keys(d("metadata.finalizers")), "<primitive>");
        assert!(d("spec.strategy").retains_keys());
        assert_eq!(keys(at("v1", "Service", "spec.ports")), "port,protocol");
        assert!(at("policy/v1", "PodDisruptionBudget", "spec.selector").replaces());
    }

    #[test]
    fn fields_and_elements() {
        let d = builtin()
            .resource(&gvk("apps/v1", "Deployment"))
            .expect("deployment");
        assert_eq!(d.kind(), SchemaKind::Object);
        assert_eq!(d.type_name(), Some("io.k8s.api.apps.v1.Deployment"));
        let containers = d
            .lookup(&["spec", "template", "spec", "containers"])
            .expect("containers");
        assert!(containers.is_list());
        let c = containers.elements().expect("elements");
        assert_eq!(c.type_name(), Some("io.k8s.api.core.v1.Container"));
        assert!(c.field("no-such-field").is_none());
        // scalar fields are not kept: they merge like unknown fields
        assert!(c.field("image").is_none());
        // a map's value schema, whatever the key
        let limits = c.lookup(&["resources", "limits"]);
        assert!(limits.is_none() || limits.is_some_and(|l| l.field("cpu").is_none()));
    }

    #[test]
    fn rejects_garbage() {
        assert!(SchemaSet::parse("hello").is_err());
        assert!(SchemaSet::parse("#kit-smp-schema 1\nF a @0\n").is_err());
        assert!(SchemaSet::parse("#kit-smp-schema 1\nG v1 X @3\n").is_err());
        assert!(SchemaSet::parse("#kit-smp-schema 1\nT 0 a\nF b [x\n").is_err());
    }
}
