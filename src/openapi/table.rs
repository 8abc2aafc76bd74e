//! The strategic-merge table made from the schema store (`crate::schema`): the same walk
//! `scripts/gen-smp-schema` documents, over one version's definitions, so `kit build` and
//! `kit validate` read one copy of the Kubernetes schemas. The output is the text form
//! [`super::SchemaSet::parse`] reads.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::Value;

/// The table text of a shipped Kubernetes version (`1.30`), or `None` if it is not shipped.
pub fn from_store(version: &str) -> Option<String> {
    let store = crate::schema::store::parse(crate::schema::STORE).ok()?;
    let (_, ids) = store.versions.iter().find(|(v, _)| *v == version)?;
    let mut defs: HashMap<String, Value> = HashMap::new();
    for &i in ids {
        let (name, json) = store.records.get(i)?;
        defs.insert((*name).to_string(), serde_json::from_str(json).ok()?);
    }
    Some(Gen::new(&defs).render(&format!("v{version}")))
}

struct Gen<'a> {
    defs: &'a HashMap<String, Value>,
    type_index: HashMap<String, usize>,
    /// (definition name, field lines), by index.
    types: Vec<(String, Vec<String>)>,
    cache: HashMap<String, String>,
    in_progress: HashSet<String>,
}

fn types_of(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

impl<'a> Gen<'a> {
    fn new(defs: &'a HashMap<String, Value>) -> Self {
        Gen {
            defs,
            type_index: HashMap::new(),
            types: Vec::new(),
            cache: HashMap::new(),
            in_progress: HashSet::new(),
        }
    }

    fn reserve(&mut self, name: &str) -> usize {
        if let Some(&i) = self.type_index.get(name) {
            return i;
        }
        self.type_index.insert(name.to_string(), self.types.len());
        self.types.push((name.to_string(), Vec::new()));
        self.types.len() - 1
    }

    fn ref_name(schema: &Value) -> Option<String> {
        let mut r = schema.get("$ref").and_then(Value::as_str);
        if r.is_none() {
            for sub in schema
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(s) = sub.get("$ref").and_then(Value::as_str) {
                    r = Some(s);
                }
            }
        }
        let r = r?;
        Some(
            r.strip_prefix("#/$defs/")
                .or_else(|| r.strip_prefix("#/definitions/"))
                .unwrap_or(r)
                .to_string(),
        )
    }

    fn def_shape(&mut self, name: &str) -> String {
        if let Some(s) = self.cache.get(name) {
            return s.clone();
        }
        if self.in_progress.contains(name) {
            return format!("@{}", self.reserve(name));
        }
        let defs = self.defs;
        let Some(schema) = defs.get(name) else {
            self.cache.insert(name.to_string(), "*".to_string());
            return "*".to_string();
        };
        self.in_progress.insert(name.to_string());
        let shape = match schema.get("properties").and_then(Value::as_object) {
            None => self.inline_shape(schema),
            Some(props) => {
                let mut names: Vec<&String> = props.keys().collect();
                names.sort();
                let mut fields = Vec::new();
                for field in names {
                    if let Some(line) = self.field_line(field, &props[field.as_str()]) {
                        fields.push(line);
                    }
                }
                if !fields.is_empty() || self.type_index.contains_key(name) {
                    let idx = self.reserve(name);
                    self.types[idx] = (name.to_string(), fields);
                    format!("@{idx}")
                } else {
                    "*".to_string()
                }
            }
        };
        self.in_progress.remove(name);
        self.cache.insert(name.to_string(), shape.clone());
        shape
    }

    fn inline_shape(&mut self, schema: &Value) -> String {
        if let Some(name) = Self::ref_name(schema) {
            return self.def_shape(&name);
        }
        let t = types_of(schema);
        if t.contains(&"array") {
            let empty = Value::Object(serde_json::Map::new());
            let items = schema.get("items").unwrap_or(&empty);
            return format!("[{}", self.inline_shape(items));
        }
        if schema.get("properties").is_some() {
            return "*".to_string();
        }
        if let Some(addl) = schema
            .get("additionalProperties")
            .filter(|a| a.as_object().is_some_and(|m| !m.is_empty()))
        {
            return format!("{{{}", self.inline_shape(addl));
        }
        if t.contains(&"object") {
            return "*".to_string();
        }
        if !t.is_empty() || schema.get("oneOf").is_some() || schema.get("format").is_some() {
            return ".".to_string();
        }
        "*".to_string()
    }

    fn field_line(&mut self, field: &str, schema: &Value) -> Option<String> {
        let shape = self.inline_shape(schema);
        let mut ext = Vec::new();
        for (key, tag) in [
            ("x-kubernetes-patch-strategy", "s"),
            ("x-kubernetes-patch-merge-key", "k"),
            ("x-kubernetes-list-map-keys", "m"),
            ("x-kubernetes-list-type", "t"),
        ] {
            let v = match schema.get(key) {
                None => continue,
                Some(Value::Array(list)) => list
                    .iter()
                    .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(","),
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
            };
            ext.push(format!("{tag}={v}"));
        }
        let has_strategy = ext.iter().any(|e| e.starts_with("s="));
        let scalar_like =
            |prefix: char| shape.starts_with(prefix) && shape.trim_start_matches(prefix) == ".";
        if (shape == "." || scalar_like('{') || scalar_like('[')) && !has_strategy {
            return None;
        }
        let mut parts = vec!["F".to_string(), field.to_string(), shape];
        parts.extend(ext);
        Some(parts.join(" "))
    }

    fn render(mut self, version: &str) -> String {
        let mut names: Vec<&String> = self.defs.keys().collect();
        names.sort();
        let mut gvks = Vec::new();
        for name in names {
            for g in self.defs[name.as_str()]
                .get("x-kubernetes-group-version-kind")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let text = |k: &str| g.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                let (group, v, kind) = (text("group"), text("version"), text("kind"));
                let api_version = if group.is_empty() {
                    v
                } else {
                    format!("{group}/{v}")
                };
                gvks.push((api_version, kind, name.clone()));
            }
        }
        let mut roots = BTreeSet::new();
        for (api_version, kind, name) in gvks {
            let shape = self.def_shape(&name);
            roots.insert((api_version, kind, shape));
        }
        let mut lines = vec![
            "#kit-smp-schema 1".to_string(),
            format!("#source Kubernetes {version} definitions from kit's schema store"),
            format!("V {version}"),
        ];
        for (av, kind, shape) in roots {
            lines.push(format!("G {av} {kind} {shape}"));
        }
        for (i, (name, fields)) in self.types.iter().enumerate() {
            lines.push(format!("T {i} {name}"));
            lines.extend(fields.iter().cloned());
        }
        lines.join("\n") + "\n"
    }
}
