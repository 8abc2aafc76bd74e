//! CustomResourceDefinitions: each served version's `openAPIV3Schema` compiled into a
//! schema for the custom resources of that group, version and kind.

use std::collections::HashMap;
use std::sync::Arc;

use crate::emit::to_json;
use crate::model::{Node, Resource};
use crate::schema::compile::{Compiler, Dialect, SchemaId, Schemas};
use crate::source::Origin;

/// The schema of one custom resource version.
#[derive(Debug)]
pub struct CrdSchema {
    pub schemas: Schemas,
    /// `None` when the version has no schema (anything goes, as the API server accepts).
    pub root: Option<SchemaId>,
    pub served: bool,
    /// The CRD's name, for messages.
    pub crd: String,
    pub origin: Option<Origin>,
}

/// The CRDs known to a run: from the input and from `--crd`.
#[derive(Debug, Default)]
pub struct CrdSet {
    /// (group, version, kind) → schema.
    entries: HashMap<(String, String, String), Arc<CrdSchema>>,
}

impl CrdSet {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn get(&self, group: &str, version: &str, kind: &str) -> Option<&CrdSchema> {
        self.entries
            .get(&(group.to_string(), version.to_string(), kind.to_string()))
            .map(Arc::as_ref)
    }

    /// Whether some CRD defines `kind` in `group` (at any version).
    pub fn knows_kind(&self, group: &str, kind: &str) -> bool {
        self.entries.keys().any(|(g, _, k)| g == group && k == kind)
    }

    /// Adds a resource if it is a CustomResourceDefinition (v1 or v1beta1). The first
    /// definition of a group/version/kind wins.
    pub fn add(&mut self, res: &Resource) {
        let gvk = res.gvk();
        if gvk.group != "apiextensions.k8s.io" || gvk.kind != "CustomResourceDefinition" {
            return;
        }
        let spec = match res.node.get("spec") {
            Some(s) if s.as_map().is_some() => s,
            _ => return,
        };
        let group = spec.get_str("group").unwrap_or("").to_string();
        let Some(kind) = spec.get_path(&["names", "kind"]).and_then(Node::as_str) else {
            return;
        };
        // v1beta1: one schema for every version, unknown fields kept unless told otherwise.
        let legacy_schema = spec.get_path(&["validation", "openAPIV3Schema"]);
        let preserve_all = gvk.version == "v1beta1"
            && spec
                .get("preserveUnknownFields")
                .and_then(|n| match n.value {
                    crate::model::Value::Bool(b) => Some(b),
                    _ => None,
                })
                .unwrap_or(true);
        let mut versions: Vec<(String, bool, Option<&Node>)> = Vec::new();
        if let Some(list) = spec.get("versions").and_then(Node::as_seq) {
            for v in list {
                let Some(name) = v.get("name").and_then(Node::scalar_text) else {
                    continue;
                };
                let served = !matches!(
                    v.get("served").map(|n| &n.value),
                    Some(crate::model::Value::Bool(false))
                );
                let schema = v.get_path(&["schema", "openAPIV3Schema"]).or(legacy_schema);
                versions.push((name, served, schema));
            }
        } else if let Some(name) = spec.get("version").and_then(Node::scalar_text) {
            versions.push((name, true, legacy_schema));
        }
        for (version, served, schema) in versions {
            let key = (group.clone(), version, kind.to_string());
            if self.entries.contains_key(&key) {
                continue;
            }
            let mut schemas = Schemas::default();
            let root = match schema {
                Some(s) if !preserve_all => {
                    let json = to_json(s);
                    let mut compiler = Compiler::new(&mut schemas, Dialect::Crd);
                    Some(compiler.compile(&json))
                }
                _ => None,
            };
            self.entries.insert(
                key,
                Arc::new(CrdSchema {
                    schemas,
                    root,
                    served,
                    crd: res.name().to_string(),
                    origin: res.node.origin,
                }),
            );
        }
    }
}
