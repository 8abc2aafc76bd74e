//! Helm's built-in objects as Go templates see them: `.Chart` (chart.Metadata), `.Capabilities`
//! (KubeVersion, APIVersions, HelmVersion), `.Files` (with Get, GetBytes, Glob, AsConfig,
//! AsSecrets, Lines), with Go's field names, methods and printing.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use base64::Engine as _;

use crate::gotmpl::{FuncError, Kind, ListKind, Object, Value};

use super::HelmVersion;

/// A Go struct: fields in declaration order, each with its JSON name (for `toYaml`, `toJson`)
/// and whether it is `omitempty`.
pub struct Struct {
    pub type_name: &'static str,
    pub fields: Vec<Field>,
    /// How many leading fields belong to an embedded struct (`.Chart`'s `chart.Metadata`),
    /// which `fmt` prints in its own braces.
    pub embedded: usize,
    /// The embedded struct's field name (its type's name), which `%+v` prints.
    pub embedded_name: &'static str,
}

pub struct Field {
    /// The Go name templates read (`.Chart.AppVersion`).
    go: &'static str,
    /// The name `encoding/json` writes (`appVersion`).
    json: &'static str,
    /// `omitempty`: left out of JSON when empty.
    omit_empty: bool,
    value: Value,
}

impl Struct {
    /// A struct with no embedded struct.
    fn new(type_name: &'static str, fields: Vec<Field>) -> Struct {
        Struct {
            type_name,
            fields,
            embedded: 0,
            embedded_name: "",
        }
    }

    /// Go's `%v` of the struct (`%+v` with `names`): `&` for a pointer, the embedded struct's
    /// fields in braces of their own, each value printed with the same verb.
    fn print(&self, names: bool) -> String {
        let part = |f: &Field| {
            if names {
                format!("{}:{}", f.go, crate::gotmpl::fmt::sprint_plus(&f.value))
            } else {
                crate::gotmpl::fmt::sprint_one(&f.value)
            }
        };
        let amp = if self.type_name.starts_with('*') {
            "&"
        } else {
            ""
        };
        let (embedded, own) = self.fields.split_at(self.embedded.min(self.fields.len()));
        let mut parts: Vec<String> = Vec::new();
        if !embedded.is_empty() {
            let inner: Vec<String> = embedded.iter().map(part).collect();
            let label = if names {
                format!("{}:", self.embedded_name)
            } else {
                String::new()
            };
            parts.push(format!("{label}{{{}}}", inner.join(" ")));
        }
        parts.extend(own.iter().map(part));
        format!("{amp}{{{}}}", parts.join(" "))
    }
}

impl Field {
    /// A field tagged `json:"name,omitempty"`.
    fn omit_empty(go: &'static str, json: &'static str, value: Value) -> Field {
        Field {
            go,
            json,
            omit_empty: true,
            value,
        }
    }

    /// A field always written: untagged (JSON uses its Go name) or tagged without `omitempty`.
    fn always(go: &'static str, json: &'static str, value: Value) -> Field {
        Field {
            go,
            json,
            omit_empty: false,
            value,
        }
    }

    /// A slice field: nil is a nil slice of the field's type (`nil`: `NilStr` for a
    /// `[]string`, `NilPointers` for a slice of struct pointers), which prints `[]`, has
    /// length 0 and is JSON's `null`.
    fn slice(self, nil: ListKind) -> Field {
        let value = match self.value {
            Value::Nil => Value::list_of(Vec::new(), nil),
            v => v,
        };
        Field { value, ..self }
    }
}

impl Object for Struct {
    fn type_name(&self) -> &str {
        self.type_name
    }

    fn field(&self, name: &str) -> Option<Value> {
        self.fields
            .iter()
            .find(|f| f.go == name)
            .map(|f| f.value.clone())
    }

    fn call(&self, _name: &str, _args: &[Value]) -> Option<Result<Value, FuncError>> {
        None
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }

    fn display(&self) -> String {
        self.print(false)
    }

    fn display_plus(&self) -> String {
        self.print(true)
    }

    fn to_data(&self) -> Value {
        data_of_fields(self.json_fields())
    }

    fn json_fields(&self) -> Option<Vec<(&str, Value)>> {
        Some(
            self.fields
                .iter()
                .filter(|f| !f.omit_empty || f.value.truthy())
                .map(|f| (f.json, f.value.clone()))
                .collect(),
        )
    }
}

/// Helm v4's `structToMap`: a struct as a `map[string]interface{}` of its Go field names, with
/// nested structs as maps and every slice, nil or not, as a `[]interface{}`.
fn map_of_fields(fields: &[Field]) -> Value {
    let m: BTreeMap<String, Value> = fields
        .iter()
        .map(|f| (f.go.to_string(), as_go_map(&f.value)))
        .collect();
    Value::from(m)
}

/// A value inside [`map_of_fields`]: structs become maps, slices `[]interface{}`.
fn as_go_map(v: &Value) -> Value {
    match v {
        Value::Object(o) => match o.as_any().and_then(|a| a.downcast_ref::<Struct>()) {
            Some(s) => map_of_fields(&s.fields),
            None => v.clone(),
        },
        Value::List(items, _) => {
            Value::list_of(items.iter().map(as_go_map).collect(), ListKind::Any)
        }
        other => other.clone(),
    }
}

/// A Go `map[string]string` (`.Chart.Annotations`), nil when `None`. As Helm renders with
/// `missingkey=zero`, a missing key reads as `""`, by field or by `index`; `fmt` prints a nil
/// one as `map[]`, JSON as `null`.
struct StringMap(Option<BTreeMap<String, String>>);

impl Object for StringMap {
    fn type_name(&self) -> &str {
        "map[string]string"
    }

    fn field(&self, name: &str) -> Option<Value> {
        let found = self.0.as_ref().and_then(|m| m.get(name));
        Some(Value::from(found.map(String::as_str).unwrap_or_default()))
    }

    fn call(&self, _name: &str, _args: &[Value]) -> Option<Result<Value, FuncError>> {
        None
    }

    fn display(&self) -> String {
        crate::gotmpl::fmt::sprint_one(&self.entries())
    }

    fn to_data(&self) -> Value {
        match &self.0 {
            Some(_) => self.entries(),
            None => Value::Nil,
        }
    }

    fn as_collection(&self) -> Option<Value> {
        Some(self.entries())
    }

    fn collection_kind(&self) -> Option<Kind> {
        Some(Kind::Map)
    }

    fn missing_element(&self) -> Value {
        Value::from("")
    }
}

impl StringMap {
    fn entries(&self) -> Value {
        let m: BTreeMap<String, Value> = self
            .0
            .iter()
            .flatten()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect();
        Value::from(m)
    }
}

/// A struct's JSON fields as the map `toYaml` sees (keys sorted).
fn data_of_fields(fields: Option<Vec<(&str, Value)>>) -> Value {
    let m: BTreeMap<String, Value> = fields
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.to_string(), data_of(&v)))
        .collect();
    Value::from(m)
}

/// The JSON view of a value (objects replaced by their data).
pub fn data_of(v: &Value) -> Value {
    match v {
        Value::Object(o) => o.to_data(),
        Value::List(l, k) => Value::list_of(l.iter().map(data_of).collect(), *k),
        other => other.clone(),
    }
}

fn str_field(meta: &serde_json::Map<String, serde_json::Value>, key: &str) -> Value {
    Value::from(match meta.get(key) {
        // Chart.yaml was read with Helm's types: a string field holds a string.
        Some(serde_json::Value::String(s)) => s.clone(),
        _ => String::new(),
    })
}

fn strings_field(meta: &serde_json::Map<String, serde_json::Value>, key: &str) -> Value {
    match meta.get(key) {
        Some(serde_json::Value::Array(a)) => Value::strings(a.iter().map(|x| match x {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        })),
        _ => Value::Nil,
    }
}

/// The Go types of `.Chart.Maintainers` and `.Chart.Dependencies` (Helm v3's struct).
const MAINTAINERS_TYPE: &str = "[]*chart.Maintainer";
const DEPENDENCIES_TYPE: &str = "[]*chart.Dependency";

/// `.Chart`: Chart.yaml as Helm's `chart.Metadata` (plus `IsRoot`).
pub fn chart_object(
    meta: &serde_json::Map<String, serde_json::Value>,
    dependencies: &[super::Dependency],
    is_root: bool,
    helm: HelmVersion,
) -> Value {
    let maintainers = match meta.get("maintainers") {
        Some(serde_json::Value::Array(a)) => Value::list_of(
            a.iter()
                .map(|m| {
                    let empty = serde_json::Map::new();
                    let m = m.as_object().unwrap_or(&empty);
                    Value::Object(Rc::new(Struct::new(
                        "*chart.Maintainer",
                        vec![
                            Field::omit_empty("Name", "name", str_field(m, "name")),
                            Field::omit_empty("Email", "email", str_field(m, "email")),
                            Field::omit_empty("URL", "url", str_field(m, "url")),
                        ],
                    )))
                })
                .collect(),
            ListKind::Pointers(MAINTAINERS_TYPE),
        ),
        _ => Value::Nil,
    };
    let annotations = Value::Object(Rc::new(StringMap(match meta.get("annotations") {
        Some(serde_json::Value::Object(a)) => Some(
            a.iter()
                .map(|(k, v)| {
                    let s = match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (k.clone(), s)
                })
                .collect(),
        ),
        _ => None,
    })));
    // Helm has processed the dependencies by now: the disabled ones are gone, the others are
    // enabled, renamed to their alias, and their import-values written out in full. Helm
    // rebuilds the list by appending to nil, so an empty one is nil.
    let dependencies = if dependencies.is_empty() {
        Value::Nil
    } else {
        Value::list_of(
            dependencies
                .iter()
                .map(|d| {
                    let import_values = d
                        .import_pairs()
                        .map(|(child, parent)| {
                            let mut m = BTreeMap::new();
                            m.insert("child".to_string(), Value::from(child));
                            m.insert("parent".to_string(), Value::from(parent));
                            Value::from(m)
                        })
                        .collect::<Vec<_>>();
                    Value::Object(Rc::new(Struct::new(
                        "*chart.Dependency",
                        vec![
                            Field::always("Name", "name", Value::from(d.effective_name())),
                            Field::omit_empty(
                                "Version",
                                "version",
                                Value::from(d.version.as_str()),
                            ),
                            Field::always(
                                "Repository",
                                "repository",
                                Value::from(d.repository.as_str()),
                            ),
                            Field::omit_empty(
                                "Condition",
                                "condition",
                                Value::from(d.condition.as_str()),
                            ),
                            Field::omit_empty(
                                "Tags",
                                "tags",
                                if d.tags.is_empty() {
                                    Value::Nil
                                } else {
                                    Value::strings(d.tags.iter().cloned())
                                },
                            )
                            .slice(ListKind::NilStr),
                            Field::omit_empty("Enabled", "enabled", Value::Bool(true)),
                            Field::omit_empty(
                                "ImportValues",
                                "import-values",
                                if import_values.is_empty() {
                                    Value::Nil
                                } else {
                                    Value::list_of(import_values, ListKind::Any)
                                },
                            )
                            .slice(ListKind::NilAny),
                            Field::omit_empty(
                                "Alias",
                                "alias",
                                Value::from(d.alias.as_deref().unwrap_or_default()),
                            ),
                        ],
                    )))
                })
                .collect(),
            ListKind::Pointers(DEPENDENCIES_TYPE),
        )
    };
    // `chart.Metadata`'s fields (embedded: fmt prints them in their own braces), then IsRoot.
    let mut fields = vec![
        Field::omit_empty("Name", "name", str_field(meta, "name")),
        Field::omit_empty("Home", "home", str_field(meta, "home")),
        Field::omit_empty("Sources", "sources", strings_field(meta, "sources"))
            .slice(ListKind::NilStr),
        Field::omit_empty("Version", "version", str_field(meta, "version")),
        Field::omit_empty("Description", "description", str_field(meta, "description")),
        Field::omit_empty("Keywords", "keywords", strings_field(meta, "keywords"))
            .slice(ListKind::NilStr),
        Field::omit_empty("Maintainers", "maintainers", maintainers)
            .slice(ListKind::NilPointers(MAINTAINERS_TYPE)),
        Field::omit_empty("Icon", "icon", str_field(meta, "icon")),
        Field::omit_empty("APIVersion", "apiVersion", str_field(meta, "apiVersion")),
        Field::omit_empty("Condition", "condition", str_field(meta, "condition")),
        Field::omit_empty("Tags", "tags", str_field(meta, "tags")),
        Field::omit_empty("AppVersion", "appVersion", str_field(meta, "appVersion")),
        Field::omit_empty(
            "Deprecated",
            "deprecated",
            Value::Bool(
                meta.get("deprecated")
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false),
            ),
        ),
        Field::omit_empty("Annotations", "annotations", annotations),
        Field::omit_empty("KubeVersion", "kubeVersion", str_field(meta, "kubeVersion")),
        Field::omit_empty("Dependencies", "dependencies", dependencies)
            .slice(ListKind::NilPointers(DEPENDENCIES_TYPE)),
        Field::omit_empty("Type", "type", str_field(meta, "type")),
    ];
    let embedded = fields.len();
    fields.push(Field::always("IsRoot", "IsRoot", Value::Bool(is_root)));
    if helm.spec().chart_is_map {
        return map_of_fields(&fields);
    }
    Value::Object(Rc::new(Struct {
        // Helm v3 passes the chart as this anonymous struct (typeOf prints it so).
        type_name: "struct { chart.Metadata; IsRoot bool }",
        fields,
        embedded,
        embedded_name: "Metadata",
    }))
}

/// `.Capabilities.KubeVersion`: fields Version, Major, Minor; prints as its String().
#[derive(Clone, Debug)]
pub struct KubeVersion {
    pub version: String,
    /// What String() returns: the version itself in Helm v3; in v4 its numbers alone, from
    /// an unexported field that `fmt` prints too.
    pub normalized: String,
    pub major: String,
    pub minor: String,
}

/// The object, with its Go type for `helm`.
struct KubeVersionObject {
    kube: KubeVersion,
    helm: HelmVersion,
}

impl Object for KubeVersionObject {
    fn type_name(&self) -> &str {
        self.helm.spec().kube_version_type
    }

    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Version" => Some(Value::from(self.kube.version.as_str())),
            "Major" => Some(Value::from(self.kube.major.as_str())),
            "Minor" => Some(Value::from(self.kube.minor.as_str())),
            _ => None,
        }
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        let text = match name {
            "String" => &self.kube.normalized,
            "GitVersion" => &self.kube.version,
            _ => return None,
        };
        Some(if args.is_empty() {
            Ok(Value::from(text.as_str()))
        } else {
            Err(FuncError::new(format!(
                "wrong number of args for {name}: want 0 got {}",
                args.len()
            )))
        })
    }

    fn display(&self) -> String {
        self.kube.normalized.clone()
    }

    fn fields_by_value(&self) -> Option<Vec<(&str, Value)>> {
        let mut fields = vec![("Version", Value::from(self.kube.version.as_str()))];
        // v4's struct keeps the text as given and the numbers in an unexported field.
        if self.helm.spec().kube_version_keeps_text {
            fields.push((
                "normalizedVersion",
                Value::from(self.kube.normalized.as_str()),
            ));
        }
        fields.push(("Major", Value::from(self.kube.major.as_str())));
        fields.push(("Minor", Value::from(self.kube.minor.as_str())));
        Some(fields)
    }

    fn to_data(&self) -> Value {
        data_of_fields(self.json_fields())
    }

    fn json_fields(&self) -> Option<Vec<(&str, Value)>> {
        Some(vec![
            ("Version", Value::from(self.kube.version.as_str())),
            ("Major", Value::from(self.kube.major.as_str())),
            ("Minor", Value::from(self.kube.minor.as_str())),
        ])
    }
}

/// `.Capabilities.APIVersions`: a `[]string` with a `Has` method.
struct VersionSet {
    versions: Vec<String>,
    type_name: &'static str,
}

impl Object for VersionSet {
    fn type_name(&self) -> &str {
        self.type_name
    }

    fn field(&self, _name: &str) -> Option<Value> {
        None
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        match name {
            "Has" => Some(match args {
                [Value::Str(s)] => Ok(Value::Bool(self.versions.iter().any(|v| v == &**s))),
                [other] => Err(FuncError::new(format!(
                    "wrong type for value; expected string; got {}",
                    other.type_name()
                ))),
                _ => Err(FuncError::new(format!(
                    "wrong number of args for Has: want 1 got {}",
                    args.len()
                ))),
            }),
            _ => None,
        }
    }

    fn display(&self) -> String {
        format!("[{}]", self.versions.join(" "))
    }

    fn to_data(&self) -> Value {
        Value::strings(self.versions.iter().cloned())
    }

    fn as_collection(&self) -> Option<Value> {
        Some(self.to_data())
    }

    fn collection_kind(&self) -> Option<Kind> {
        Some(Kind::Slice)
    }
}

/// `.Capabilities` as `helm` hands it to templates.
pub fn capabilities_object(
    kube: KubeVersion,
    api_versions: Vec<String>,
    helm: HelmVersion,
) -> Value {
    let spec = helm.spec();
    let kube = Value::Object(Rc::new(KubeVersionObject { kube, helm }));
    let mut build_info = vec![
        Field::omit_empty("Version", "version", Value::from(spec.version)),
        Field::omit_empty("GitCommit", "git_commit", Value::from(spec.git_commit)),
        Field::omit_empty("GitTreeState", "git_tree_state", Value::from("clean")),
        Field::omit_empty("GoVersion", "go_version", Value::from(spec.go_version)),
    ];
    if let Some(client) = spec.kube_client_version {
        build_info.push(Field::omit_empty(
            "KubeClientVersion",
            "kube_client_version",
            Value::from(client),
        ));
    }
    let helm_version = Value::Object(Rc::new(Struct::new("version.BuildInfo", build_info)));
    Value::Object(Rc::new(Struct::new(
        spec.capabilities_type,
        vec![
            Field::always("KubeVersion", "KubeVersion", kube),
            Field::always(
                "APIVersions",
                "APIVersions",
                Value::Object(Rc::new(VersionSet {
                    versions: api_versions,
                    type_name: spec.version_set_type,
                })),
            ),
            Field::always("HelmVersion", "HelmVersion", helm_version),
        ],
    )))
}

/// `.Files`: the chart's other files (a map of path to bytes) and Helm's methods on them.
pub struct Files {
    pub files: Arc<BTreeMap<String, Vec<u8>>>,
    /// A `Glob` result: only these paths.
    pub only: Option<Vec<String>>,
}

impl Files {
    fn names(&self) -> Vec<&String> {
        match &self.only {
            Some(only) => only.iter().collect(),
            None => self.files.keys().collect(),
        }
    }

    fn get(&self, name: &str) -> Option<&Vec<u8>> {
        if let Some(only) = &self.only {
            if !only.iter().any(|n| n == name) {
                return None;
            }
        }
        self.files.get(name)
    }

    fn to_yaml_of(&self, f: impl Fn(&[u8]) -> String) -> String {
        if self.names().is_empty() {
            return "{}".to_string();
        }
        let mut m = serde_json::Map::new();
        for n in self.names() {
            let base = n.rsplit('/').next().unwrap_or(n).to_string();
            if let Some(b) = self.files.get(n) {
                m.insert(base, serde_json::Value::String(f(b)));
            }
        }
        crate::chart::engine::to_yaml(&serde_json::Value::Object(m))
    }
}

impl Object for Files {
    fn type_name(&self) -> &str {
        "engine.files"
    }

    fn field(&self, name: &str) -> Option<Value> {
        // A map type: `.Files.name` reads the key (rarely meant, but Go allows it).
        let _ = name;
        None
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        let one = |args: &[Value]| -> Result<String, FuncError> {
            match args {
                [Value::Str(s)] => Ok(s.to_string()),
                [other] => Err(FuncError::new(format!(
                    "wrong type for value; expected string; got {}",
                    other.type_name()
                ))),
                _ => Err(FuncError::new(format!(
                    "wrong number of args for {name}: want 1 got {}",
                    args.len()
                ))),
            }
        };
        Some(match name {
            "Get" => one(args).map(|n| {
                Value::from(
                    self.get(&n)
                        .map(|b| crate::gotmpl::value::go_string_from_bytes(b).into_owned())
                        .unwrap_or_default(),
                )
            }),
            "GetBytes" => one(args).map(|n| {
                Value::Bytes(Rc::from(
                    self.get(&n).cloned().unwrap_or_default().as_slice(),
                ))
            }),
            "Glob" => one(args).map(|pattern| {
                let re = crate::chart::engine::glob_regex(&pattern)
                    .or_else(|| crate::chart::engine::glob_regex("**"));
                let only = self
                    .names()
                    .into_iter()
                    .filter(|n| re.as_ref().is_some_and(|r| r.is_match(n)))
                    .cloned()
                    .collect();
                Value::Object(Rc::new(Files {
                    files: self.files.clone(),
                    only: Some(only),
                }))
            }),
            "AsConfig" => Ok(Value::from(
                self.to_yaml_of(|b| String::from_utf8_lossy(b).into_owned()),
            )),
            "AsSecrets" => {
                Ok(Value::from(self.to_yaml_of(|b| {
                    base64::engine::general_purpose::STANDARD.encode(b)
                })))
            }
            "Lines" => one(args).and_then(|n| match self.get(&n) {
                None => Ok(Value::strings(Vec::new())),
                // Helm's Lines reads the last byte of the file unchecked; Go's template
                // recovers the panic of an empty one into this error.
                Some(b) if b.is_empty() => {
                    Err(FuncError::new("runtime error: index out of range [-1]"))
                }
                Some(b) => {
                    let s = String::from_utf8_lossy(b);
                    let s = s.strip_suffix('\n').unwrap_or(&s);
                    Ok(Value::strings(s.split('\n').map(str::to_string)))
                }
            }),
            _ => return None,
        })
    }

    fn display(&self) -> String {
        crate::gotmpl::fmt::sprint_one(&self.to_data())
    }

    fn as_collection(&self) -> Option<Value> {
        Some(self.to_data())
    }

    fn collection_kind(&self) -> Option<Kind> {
        Some(Kind::Map)
    }

    fn to_data(&self) -> Value {
        let m: BTreeMap<String, Value> = self
            .names()
            .into_iter()
            .filter_map(|n| {
                self.files
                    .get(n)
                    .map(|b| (n.clone(), Value::Bytes(Rc::from(b.as_slice()))))
            })
            .collect();
        Value::from(m)
    }
}
