//! CustomResourceDefinitions: each served version's `openAPIV3Schema` compiled into a
//! schema for the custom resources of that group, version and kind, and its validation
//! rules (`x-kubernetes-validations`) compiled once for all of them ([`super::cel`]).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use crate::emit::to_json;
use crate::model::{Node, Resource};
use crate::schema::compile::{Compiler, Dialect, SchemaId, Schemas};
use crate::source::Origin;

use super::cel::{self, CelRules};
use super::engine::Problem;

/// The schema of one custom resource version.
#[derive(Debug)]
pub struct CrdSchema {
    /// The version's schema as JSON (`None`: anything goes, as the API server accepts),
    /// compiled on first use: most inputs that install CRDs (an operator's bundle) have no
    /// custom resource of them, and compiling a large CRD costs more than reading it.
    json: Option<serde_json::Value>,
    compiled: OnceLock<(Schemas, Option<SchemaId>)>,
    pub served: bool,
    /// The version's validation rules, compiled; `None` when it has none.
    pub rules: Option<CelRules>,
    /// The CRD's name, for messages.
    pub crd: String,
    pub origin: Option<Origin>,
}

impl CrdSchema {
    /// The compiled schemas and their root (`None`: every field is accepted).
    pub fn compiled(&self) -> (&Schemas, Option<SchemaId>) {
        let (schemas, root) = self.compiled.get_or_init(|| {
            let mut schemas = Schemas::default();
            let root = self
                .json
                .as_ref()
                .map(|j| Compiler::new(&mut schemas, Dialect::Crd).compile(j));
            (schemas, root)
        });
        (schemas, *root)
    }
}

/// The CRDs known to a run: from the input and from `--crd`.
#[derive(Debug, Default)]
pub struct CrdSet {
    /// (group, version, kind) → schema.
    entries: HashMap<(String, String, String), Arc<CrdSchema>>,
    /// Per CRD (by where its document starts): its rules that do not compile.
    rule_problems: Vec<(Option<Origin>, Vec<Problem>)>,
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

    /// The validation rules of a CRD (a resource added before, or not) that do not compile,
    /// located in the CRD.
    pub fn rule_problems(&self, res: &Resource) -> Vec<Problem> {
        match self
            .rule_problems
            .iter()
            .find(|(o, _)| o.is_some() && *o == res.node.origin)
        {
            Some((_, problems)) => problems.clone(),
            None => {
                let mut scratch = CrdSet::default();
                scratch.add(res);
                scratch
                    .rule_problems
                    .into_iter()
                    .flat_map(|(_, p)| p)
                    .collect()
            }
        }
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
        // (name, served, schema, the schema's path in the CRD)
        let mut versions: Vec<(String, bool, Option<&Node>, String)> = Vec::new();
        let legacy_path = "spec.validation.openAPIV3Schema".to_string();
        if let Some(list) = spec.get("versions").and_then(Node::as_seq) {
            for (i, v) in list.iter().enumerate() {
                let Some(name) = v.get("name").and_then(Node::scalar_text) else {
                    continue;
                };
                let served = !matches!(
                    v.get("served").map(|n| &n.value),
                    Some(crate::model::Value::Bool(false))
                );
                let (schema, path) = match v.get_path(&["schema", "openAPIV3Schema"]) {
                    Some(s) => (
                        Some(s),
                        format!("spec.versions[{i}].schema.openAPIV3Schema"),
                    ),
                    None => (legacy_schema, legacy_path.clone()),
                };
                versions.push((name, served, schema, path));
            }
        } else if let Some(name) = spec.get("version").and_then(Node::scalar_text) {
            versions.push((name, true, legacy_schema, legacy_path));
        }
        let mut problems: Vec<Problem> = Vec::new();
        for (version, served, schema, path) in versions {
            let key = (group.clone(), version, kind.to_string());
            let known = self.entries.contains_key(&key);
            let json = schema.map(to_json);
            // Rules are compiled even for a definition that loses to an earlier one, so that
            // the CRD's own findings are complete.
            let (rules, mut bad) = match (schema, &json) {
                (Some(s), Some(j)) => cel::compile(j, s, &path),
                _ => (None, Vec::new()),
            };
            // Versions sharing one legacy schema report its problems once.
            bad.retain(|p| !problems.iter().any(|q| q.message == p.message));
            problems.extend(bad);
            if known {
                continue;
            }
            self.entries.insert(
                key,
                Arc::new(CrdSchema {
                    json: json.filter(|_| !preserve_all),
                    compiled: OnceLock::new(),
                    served,
                    rules,
                    crd: res.name().to_string(),
                    origin: res.node.origin,
                }),
            );
        }
        self.rule_problems.push((res.node.origin, problems));
    }
}
