//! CustomResourceDefinitions: each served version's `openAPIV3Schema` compiled into a
//! schema for the custom resources of that group, version and kind, and its validation
//! rules (`x-kubernetes-validations`) compiled once for all of them ([`super::cel`]).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::emit::to_json;
use crate::model::{Node, Resource};
use crate::schema::compile::{Compiler, Dialect, SchemaId, Schemas};
use crate::source::Origin;

use super::cel::{self, CelRules};
use super::engine::Problem;

/// The schema of one custom resource version.
#[derive(Debug)]
pub struct CrdSchema<'a> {
    /// The version's schema in the CRD (`None`: anything goes, as the API server accepts),
    /// compiled on first use: most inputs that install CRDs (an operator's bundle) have no
    /// custom resource of them, and compiling a large CRD costs more than reading it.
    schema: Option<&'a Node>,
    compiled: OnceLock<(Schemas, Option<SchemaId>)>,
    pub served: bool,
    /// The version's validation rules, compiled; `None` when it has none.
    pub rules: Option<CelRules>,
    /// The CRD's name, for messages.
    pub crd: String,
    pub origin: Option<Origin>,
}

impl CrdSchema<'_> {
    /// The compiled schemas and their root (`None`: every field is accepted).
    pub fn compiled(&self) -> (&Schemas, Option<SchemaId>) {
        let (schemas, root) = self.compiled.get_or_init(|| {
            let mut schemas = Schemas::default();
            let root = self
                .schema
                .map(|s| Compiler::new(&mut schemas, Dialect::Crd).compile(&to_json(s)));
            (schemas, root)
        });
        (schemas, *root)
    }
}

/// The CRDs known to a run: from the input and from `--crd`. It borrows the CRDs' schemas
/// from their resources.
#[derive(Debug, Default)]
pub struct CrdSet<'a> {
    /// (group, version, kind) → schema.
    entries: HashMap<(String, String, String), Arc<CrdSchema<'a>>>,
    /// Per CRD (by where its document starts): its rules that do not compile.
    rule_problems: Vec<(Option<Origin>, Vec<Problem>)>,
}

impl<'a> CrdSet<'a> {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn get(&self, group: &str, version: &str, kind: &str) -> Option<&CrdSchema<'a>> {
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
    pub fn add(&mut self, res: &'a Resource) {
        if let Some(definition) = Definition::of(res) {
            self.insert(definition);
        }
    }

    /// [`CrdSet::add`] for each resource, in order; the CRDs' rules are compiled in
    /// parallel.
    pub fn add_all(&mut self, resources: &[&'a Resource]) {
        let definitions: Vec<_> = resources
            .par_iter()
            .filter_map(|res| Definition::of(res))
            .collect();
        definitions.into_iter().for_each(|d| self.insert(d));
    }

    fn insert(&mut self, definition: Definition<'a>) {
        for (key, schema) in definition.versions {
            self.entries.entry(key).or_insert_with(|| Arc::new(schema));
        }
        self.rule_problems
            .push((definition.origin, definition.problems));
    }
}

/// What one CRD defines: a schema per version, and its rules that do not compile.
struct Definition<'a> {
    origin: Option<Origin>,
    /// (group, version, kind) → schema, in the CRD's order.
    versions: Vec<((String, String, String), CrdSchema<'a>)>,
    problems: Vec<Problem>,
}

impl<'a> Definition<'a> {
    /// `None` when `res` is not a CustomResourceDefinition with a spec and a kind.
    fn of(res: &'a Resource) -> Option<Definition<'a>> {
        let gvk = res.gvk();
        if gvk.group != "apiextensions.k8s.io" || gvk.kind != "CustomResourceDefinition" {
            return None;
        }
        let spec = res.node.get("spec").filter(|s| s.as_map().is_some())?;
        let group = spec.get_str("group").unwrap_or("").to_string();
        let kind = spec.get_path(&["names", "kind"]).and_then(Node::as_str)?;
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
        let mut definition = Definition {
            origin: res.node.origin,
            versions: Vec::new(),
            problems: Vec::new(),
        };
        for (version, served, schema, path) in versions {
            // Rules are compiled even for a definition that loses to an earlier one, so that
            // the CRD's own findings are complete.
            let (rules, mut bad) = match schema {
                Some(s) => cel::compile(s, &path),
                None => (None, Vec::new()),
            };
            // Versions sharing one legacy schema report its problems once.
            bad.retain(|p| !definition.problems.iter().any(|q| q.message == p.message));
            definition.problems.extend(bad);
            definition.versions.push((
                (group.clone(), version, kind.to_string()),
                CrdSchema {
                    schema: schema.filter(|_| !preserve_all),
                    compiled: OnceLock::new(),
                    served,
                    rules,
                    crd: res.name().to_string(),
                    origin: res.node.origin,
                },
            ));
        }
        Some(definition)
    }
}
