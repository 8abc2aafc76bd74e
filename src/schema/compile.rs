//! Schemas compiled for validation: JSON schemas (the built-in definitions, or a CRD's
//! `openAPIV3Schema`) turned into a flat arena of nodes with references resolved, so that
//! validating a value is a walk with no lookups by name and no allocation on the happy path.

use std::collections::HashMap;

use serde_json::Value;

/// Index of a node in a [`Schemas`] arena.
pub type SchemaId = u32;

/// JSON types as bits of [`Node::types`].
pub mod ty {
    pub const NULL: u8 = 1;
    pub const BOOLEAN: u8 = 2;
    pub const INTEGER: u8 = 4;
    pub const NUMBER: u8 = 8;
    pub const STRING: u8 = 16;
    pub const ARRAY: u8 = 32;
    pub const OBJECT: u8 = 64;
}

/// What an object says about keys that are not among its properties.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Additional {
    /// Not said: unknown keys are an error where the object has properties (the API server
    /// drops them; strict field validation reports them), anything goes where it has none.
    Unspecified,
    /// `additionalProperties: false`.
    Forbidden,
    /// `additionalProperties: true`.
    Any,
    /// `additionalProperties: {schema}`: a map whose values follow the schema.
    Schema(SchemaId),
}

/// Values whose meaning the API server gives, beyond their JSON type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Special {
    None,
    /// `IntOrString` or `x-kubernetes-int-or-string`: an int32 or a string.
    IntOrString,
    /// `resource.Quantity`: a number or a string in quantity syntax (`500m`, `1Gi`).
    Quantity,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    None,
    Int32,
    Int64,
    /// base64 (Go's `[]byte` in JSON).
    Byte,
    DateTime,
    Date,
    Ipv4,
    Ipv6,
    Cidr,
    Uuid,
}

/// How the API server treats list elements (`x-kubernetes-list-type`), enforced for custom
/// resources (built-in types are checked by their own field rules).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListType {
    Any,
    Set,
    Map(Vec<String>),
}

/// Constraints that built-in definitions rarely use and CRD schemas often do.
#[derive(Clone, Debug, Default)]
pub struct Extra {
    pub enum_values: Vec<Value>,
    pub pattern: Option<(String, regex::Regex)>,
    pub minimum: Option<(f64, bool)>,
    pub maximum: Option<(f64, bool)>,
    pub multiple_of: Option<f64>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    pub all_of: Vec<SchemaId>,
    pub any_of: Vec<SchemaId>,
    pub one_of: Vec<SchemaId>,
    pub not: Option<SchemaId>,
}

/// One compiled schema.
#[derive(Clone, Debug)]
pub struct Node {
    /// Allowed JSON types ([`ty`] bits); 0 allows any.
    pub types: u8,
    /// A null where the type does not allow one is dropped (a CRD field without
    /// `nullable: true`: the API server prunes it) instead of being a type error.
    pub null_is_absent: bool,
    /// Sorted by name.
    pub properties: Vec<(Box<str>, SchemaId)>,
    pub required: Vec<Box<str>>,
    pub additional: Additional,
    pub items: Option<SchemaId>,
    /// A `$ref` (or an `allOf` of one ref) whose schema applies too.
    pub reference: Option<SchemaId>,
    pub special: Special,
    pub format: Format,
    pub preserve_unknown: bool,
    pub embedded_resource: bool,
    /// Keys that are not properties are unknown fields (an object with properties; in a
    /// CRD, any object schema without `x-kubernetes-preserve-unknown-fields`, whose unknown
    /// fields the API server prunes).
    pub closed: bool,
    pub list_type: ListType,
    pub extra: Option<Box<Extra>>,
    /// The definition's name, for built-in types (`io.k8s.api.core.v1.PodSpec`).
    pub name: Option<Box<str>>,
    /// A CRD field with a `default`: the API server fills it in before validating, so it
    /// is never missing.
    pub has_default: bool,
}

impl Default for Node {
    fn default() -> Self {
        Node {
            types: 0,
            null_is_absent: false,
            properties: Vec::new(),
            required: Vec::new(),
            additional: Additional::Unspecified,
            items: None,
            reference: None,
            special: Special::None,
            format: Format::None,
            preserve_unknown: false,
            embedded_resource: false,
            closed: false,
            list_type: ListType::Any,
            extra: None,
            name: None,
            has_default: false,
        }
    }
}

impl Node {
    pub fn property(&self, name: &str) -> Option<SchemaId> {
        self.properties
            .binary_search_by(|(k, _)| k.as_ref().cmp(name))
            .ok()
            .map(|i| self.properties[i].1)
    }
}

/// An arena of compiled schemas.
#[derive(Clone, Debug, Default)]
pub struct Schemas {
    pub nodes: Vec<Node>,
}

impl Schemas {
    pub fn get(&self, id: SchemaId) -> &Node {
        static ANY: std::sync::OnceLock<Node> = std::sync::OnceLock::new();
        self.nodes
            .get(id as usize)
            .unwrap_or_else(|| ANY.get_or_init(Node::default))
    }

    fn push(&mut self, node: Node) -> SchemaId {
        self.nodes.push(node);
        u32::try_from(self.nodes.len() - 1).unwrap_or(u32::MAX)
    }
}

/// Which dialect a schema is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// The built-in definitions: nullable types as `["string", "null"]`, `$ref`s by name.
    Builtin,
    /// A CRD's structural schema: `nullable`, `x-kubernetes-*`, list types enforced.
    Crd,
}

/// Compiles schemas into one arena, resolving `$ref`s against named definitions.
pub struct Compiler<'a> {
    pub schemas: &'a mut Schemas,
    pub dialect: Dialect,
    /// Definition name → its node (reserved before compiling, so references can cycle).
    pub definitions: HashMap<String, SchemaId>,
    /// Problems found (unsupported patterns), reported once by the caller if at all.
    pub notes: Vec<String>,
}

impl<'a> Compiler<'a> {
    pub fn new(schemas: &'a mut Schemas, dialect: Dialect) -> Self {
        Compiler {
            schemas,
            dialect,
            definitions: HashMap::new(),
            notes: Vec::new(),
        }
    }

    /// Reserves a node for a named definition.
    pub fn reserve(&mut self, name: &str) -> SchemaId {
        if let Some(&id) = self.definitions.get(name) {
            return id;
        }
        let id = self.schemas.push(Node::default());
        self.definitions.insert(name.to_string(), id);
        id
    }

    /// Compiles a named definition into its reserved node.
    pub fn define(&mut self, name: &str, schema: &Value) {
        let id = self.reserve(name);
        let mut node = self.node(schema);
        node.name = Some(name.into());
        node.special = match name {
            "io.k8s.apimachinery.pkg.util.intstr.IntOrString" => Special::IntOrString,
            "io.k8s.apimachinery.pkg.api.resource.Quantity" => Special::Quantity,
            _ => node.special,
        };
        if node.special != Special::None {
            // The oneOf of the JSON-schema form says the same, less precisely.
            node.extra = None;
            node.types = 0;
        }
        if let Some(slot) = self.schemas.nodes.get_mut(id as usize) {
            *slot = node;
        }
    }

    /// Compiles an inline schema, returning its node (a bare `$ref` is the referenced node).
    pub fn compile(&mut self, schema: &Value) -> SchemaId {
        if let Some(target) = self.bare_ref(schema) {
            return target;
        }
        let node = self.node(schema);
        self.schemas.push(node)
    }

    fn ref_target(&mut self, r: &str) -> SchemaId {
        let name = r
            .strip_prefix("#/$defs/")
            .or_else(|| r.strip_prefix("#/definitions/"))
            .unwrap_or(r);
        self.reserve(name)
    }

    /// The target of a schema that is only a reference.
    fn bare_ref(&mut self, schema: &Value) -> Option<SchemaId> {
        let m = schema.as_object()?;
        let r = m.get("$ref")?.as_str()?;
        let only_ref = m.keys().all(|k| k == "$ref" || k == "description");
        only_ref.then(|| self.ref_target(r))
    }

    fn node(&mut self, schema: &Value) -> Node {
        let mut node = Node::default();
        let Some(m) = schema.as_object() else {
            // `true` / `{}`: anything.
            return node;
        };
        let crd = self.dialect == Dialect::Crd;
        let flag = |k: &str| m.get(k).and_then(Value::as_bool).unwrap_or(false);
        match m.get("type") {
            Some(Value::String(t)) => node.types = type_bit(t),
            Some(Value::Array(ts)) => {
                node.types = ts
                    .iter()
                    .filter_map(Value::as_str)
                    .fold(0, |acc, t| acc | type_bit(t))
            }
            _ => {}
        }
        if crd {
            if flag("nullable") {
                node.types |= ty::NULL;
            } else {
                node.null_is_absent = true;
            }
            if flag("x-kubernetes-int-or-string") {
                node.special = Special::IntOrString;
                node.types = 0;
            }
        }
        node.preserve_unknown = flag("x-kubernetes-preserve-unknown-fields");
        node.has_default = crd && m.get("default").is_some_and(|d| !d.is_null());
        node.embedded_resource = flag("x-kubernetes-embedded-resource");
        if let Some(r) = m.get("$ref").and_then(Value::as_str) {
            node.reference = Some(self.ref_target(r));
        }
        if let Some(Value::Object(props)) = m.get("properties") {
            let mut list: Vec<(Box<str>, SchemaId)> = props
                .iter()
                .map(|(k, v)| (k.as_str().into(), self.compile(v)))
                .collect();
            list.sort_by(|a, b| a.0.cmp(&b.0));
            node.properties = list;
            if node.types == 0 && !crd {
                node.types = ty::OBJECT;
            }
        }
        if let Some(Value::Array(req)) = m.get("required") {
            node.required = req
                .iter()
                .filter_map(Value::as_str)
                .map(Into::into)
                .collect();
        }
        node.additional = match m.get("additionalProperties") {
            None => Additional::Unspecified,
            Some(Value::Bool(false)) => Additional::Forbidden,
            Some(Value::Bool(true)) => Additional::Any,
            Some(v) => Additional::Schema(self.compile(v)),
        };
        if let Some(items) = m.get("items") {
            node.items = Some(match items {
                // Draft 4 tuple form: the first schema stands for all (CRDs forbid the form).
                Value::Array(list) => match list.first() {
                    Some(first) => self.compile(first),
                    None => self.compile(&Value::Bool(true)),
                },
                v => self.compile(v),
            });
        }
        node.format = match m.get("format").and_then(Value::as_str) {
            Some("int32") => Format::Int32,
            Some("int64") => Format::Int64,
            Some("byte") => Format::Byte,
            Some("date-time") => Format::DateTime,
            Some("date") if crd => Format::Date,
            Some("ipv4") if crd => Format::Ipv4,
            Some("ipv6") if crd => Format::Ipv6,
            Some("cidr") if crd => Format::Cidr,
            Some("uuid") if crd => Format::Uuid,
            _ => Format::None,
        };
        if crd {
            node.list_type = match m.get("x-kubernetes-list-type").and_then(Value::as_str) {
                Some("set") => ListType::Set,
                Some("map") => ListType::Map(
                    m.get("x-kubernetes-list-map-keys")
                        .and_then(Value::as_array)
                        .map(|ks| {
                            ks.iter()
                                .filter_map(Value::as_str)
                                .map(String::from)
                                .collect()
                        })
                        .unwrap_or_default(),
                ),
                _ => ListType::Any,
            };
        }
        let mut extra = Extra::default();
        let mut any = false;
        let num = |k: &str| m.get(k).and_then(Value::as_f64);
        let uint = |k: &str| m.get(k).and_then(Value::as_u64);
        if let Some(Value::Array(values)) = m.get("enum") {
            // The built-in definitions' only enums pin apiVersion and kind, which the
            // validator already matched the schema by.
            if crd {
                extra.enum_values = values.clone();
                any = true;
            }
        }
        if let Some(p) = m.get("pattern").and_then(Value::as_str) {
            match regex::Regex::new(p) {
                Ok(re) => {
                    extra.pattern = Some((p.to_string(), re));
                    any = true;
                }
                Err(_) => self
                    .notes
                    .push(format!("pattern {p:?} is not supported and is not checked")),
            }
        }
        let exclusive = |k: &str| m.get(k).and_then(Value::as_bool).unwrap_or(false);
        if let Some(v) = num("minimum") {
            extra.minimum = Some((v, exclusive("exclusiveMinimum")));
            any = true;
        }
        if let Some(v) = num("maximum") {
            extra.maximum = Some((v, exclusive("exclusiveMaximum")));
            any = true;
        }
        for (key, slot) in [
            ("minLength", &mut extra.min_length),
            ("maxLength", &mut extra.max_length),
            ("minItems", &mut extra.min_items),
            ("maxItems", &mut extra.max_items),
            ("minProperties", &mut extra.min_properties),
            ("maxProperties", &mut extra.max_properties),
        ] {
            if let Some(v) = uint(key) {
                *slot = Some(v);
                any = true;
            }
        }
        if let Some(v) = num("multipleOf").filter(|v| *v > 0.0) {
            extra.multiple_of = Some(v);
            any = true;
        }
        if flag("uniqueItems") {
            extra.unique_items = true;
            any = true;
        }
        for (key, slot) in [
            ("allOf", &mut extra.all_of),
            ("anyOf", &mut extra.any_of),
            ("oneOf", &mut extra.one_of),
        ] {
            if let Some(Value::Array(list)) = m.get(key) {
                *slot = list.iter().map(|s| self.compile_branch(s)).collect();
                any = true;
            }
        }
        if let Some(n) = m.get("not") {
            extra.not = Some(self.compile_branch(n));
            any = true;
        }
        if any {
            node.extra = Some(Box::new(extra));
        }
        node.closed = !node.preserve_unknown
            && node.additional == Additional::Unspecified
            && (!node.properties.is_empty() || (crd && node.types & ty::OBJECT != 0));
        node
    }

    /// A branch of allOf/anyOf/oneOf/not: in a CRD these only constrain (no types of their
    /// own are implied, and their nulls are not pruned).
    fn compile_branch(&mut self, schema: &Value) -> SchemaId {
        let id = self.compile(schema);
        if self.dialect == Dialect::Crd {
            if let Some(n) = self.schemas.nodes.get_mut(id as usize) {
                n.null_is_absent = false;
                n.closed = false;
            }
        }
        id
    }
}

fn type_bit(t: &str) -> u8 {
    match t {
        "null" => ty::NULL,
        "boolean" => ty::BOOLEAN,
        "integer" => ty::INTEGER,
        "number" => ty::NUMBER,
        "string" => ty::STRING,
        "array" => ty::ARRAY,
        "object" => ty::OBJECT,
        _ => 0,
    }
}
