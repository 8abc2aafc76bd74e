//! `check` stage, lint half: best-practice and security rules over a rendered resource list.
//!
//! Rules are data (`rules.yaml`: id, name, severity, category, docs, examples, peers) bound
//! by id to check functions (`registry::CHECKS`). Running them never mutates resources; each
//! finding points at the field to edit, or at the object when the field is missing.

pub mod admission;
pub mod checks;
pub mod docs;
pub mod ignore;
pub mod index;
pub mod policy;
pub mod registry;
pub mod settings;
pub mod workload;

use std::collections::HashSet;

use crate::model::Resource;
pub use crate::report::{Finding, ObjectRef};
use crate::source::Origin;
pub use registry::{registry, Registry, Rule};
use workload::Object;

/// What a check reports: a message and the node it is about.
#[derive(Clone, Debug)]
pub struct Hit {
    pub message: String,
    pub origin: Option<Origin>,
}

/// Everything a check can see: the object under check and the whole render.
pub struct Ctx<'a> {
    pub objects: &'a [Object<'a>],
    pub index: index::Index<'a>,
    /// The Kubernetes version the render targets (`1.33`): which API versions are
    /// deprecated or removed.
    pub kubernetes_version: &'a str,
}

/// The signature every check has: push a `Hit` per problem found on `obj`.
pub type CheckFn = fn(&Ctx, &Object, &mut Vec<Hit>);

/// Which rules run.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Rule ids that run (resolved from defaults, policy, --enable and --disable).
    pub enabled: HashSet<&'static str>,
}

impl Selection {
    /// Every rule enabled by default.
    pub fn defaults() -> Self {
        Selection {
            enabled: registry()
                .rules
                .iter()
                .filter(|r| r.enabled)
                .map(|r| r.id.as_str())
                .collect(),
        }
    }

    /// Only the given rules.
    pub fn only<'a>(ids: impl IntoIterator<Item = &'a str>) -> Self {
        let reg = registry();
        Selection {
            enabled: ids
                .into_iter()
                .filter_map(|id| reg.find(id))
                .map(|r| r.id.as_str())
                .collect(),
        }
    }
}

/// Runs the selected rules over one render targeting `kubernetes_version` (a shipped
/// version, see `schema::target_version`), in object order then registry order; suppressed
/// findings are dropped. `sort_and_dedup` gives the printed order.
pub fn lint(
    resources: &[Resource],
    selection: &Selection,
    kubernetes_version: &str,
) -> Vec<Finding> {
    let objects: Vec<Object> = resources.iter().map(Object::new).collect();
    let ctx = Ctx {
        objects: &objects,
        index: index::Index::new(&objects),
        kubernetes_version,
    };
    let reg = registry();
    let mut out = Vec::new();
    for obj in &objects {
        let annotations = obj.annotations();
        for rule in &reg.rules {
            if !selection.enabled.contains(rule.id.as_str()) || !rule.applies_to(obj) {
                continue;
            }
            if ignore::is_ignored(rule, &annotations) {
                continue;
            }
            let mut hits = Vec::new();
            (rule.check)(&ctx, obj, &mut hits);
            for hit in hits {
                out.push(Finding {
                    rule,
                    severity: rule.severity,
                    message: hit.message,
                    origin: hit.origin.or(obj.origin()),
                    object: ObjectRef {
                        api_version: obj.res.node.get_str("apiVersion").unwrap_or("").into(),
                        kind: obj.kind.to_string(),
                        namespace: obj.namespace.to_string(),
                        name: obj.name.to_string(),
                        origin: obj.origin(),
                    },
                });
            }
        }
    }
    out
}

pub use crate::report::sort_and_dedup;
