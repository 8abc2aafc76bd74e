//! `namespace`: set metadata.namespace on namespaced resources, rename Namespace objects,
//! and fix RoleBinding subjects that point at the `default` service account namespace.

use super::fieldspec::{CreateKind, FieldSpec};
use super::{Resources, Setting};
use std::collections::HashMap;

use crate::diag::{Diag, Result};
use crate::model::{Gvk, Node, ResId, Value};

/// Sets `namespace`; `cluster_scoped` tells which types keep none (the built-in scope table,
/// or a custom OpenAPI schema's).
pub fn apply(
    resources: &mut Resources,
    namespace: &Setting,
    specs: &[FieldSpec],
    cluster_scoped: &dyn Fn(&Gvk) -> bool,
) -> Result<()> {
    if namespace.value.is_empty() {
        return Ok(());
    }
    // How many resources hold each (canonical) id right now: a rename that makes a count
    // exceed one is a conflict, as kustomize checks after each resource (without a scan).
    let mut holders: HashMap<ResId, usize> = HashMap::new();
    for r in resources.iter() {
        *holders.entry(r.id().canonical()).or_default() += 1;
    }
    for res in resources.iter_mut() {
        let before = res.id().canonical();
        res.store_previous_id();
        let gvk = res.gvk();
        let api_version = res.node.get_str("apiVersion").unwrap_or("").to_string();
        if !cluster_scoped(&gvk) {
            let spec = FieldSpec::new("metadata/namespace", true);
            spec.apply(
                &mut res.node,
                Some(CreateKind::Scalar),
                namespace.origin,
                &mut |n| set(n, namespace),
            )?;
        }
        let is_binding = gvk.kind == "RoleBinding" || gvk.kind == "ClusterRoleBinding";
        if is_binding {
            if let Some(subjects) = res.node.get_mut("subjects").and_then(Node::as_seq_mut) {
                for subject in subjects.iter_mut() {
                    if subject.get_str("name") == Some("default") {
                        subject.set("namespace", namespace.node());
                    }
                }
            }
        }
        for spec in specs.iter().filter(|s| s.matches(&gvk)) {
            let path = spec.path_string();
            if path == "metadata/namespace" || (path == "metadata/name" && api_version != "v1") {
                continue;
            }
            if is_binding && path == "subjects/namespace" {
                continue;
            }
            spec.apply(
                &mut res.node,
                Some(CreateKind::Scalar),
                namespace.origin,
                &mut |n| set(n, namespace),
            )?;
        }
        let id = res.id();
        if let Some(n) = holders.get_mut(&before) {
            *n -= 1;
        }
        let clashes = holders.entry(id.canonical()).or_default();
        *clashes += 1;
        if *clashes > 1 {
            return Err(Diag::error(
                "kit::transform::namespace-conflict",
                format!(
                    "namespace transformation produces ID conflict: two resources become {}",
                    id.describe()
                ),
            )
            .at(namespace.origin)
            .help(
                "two resources end up with the same kind, name and namespace; rename one of them",
            ));
        }
    }
    Ok(())
}

fn set(n: &mut Node, namespace: &Setting) -> Result<()> {
    if matches!(n.value, Value::Seq(_) | Value::Map(_)) {
        return Err(Diag::error(
            "kit::transform::namespace",
            "namespace field specs must target scalar nodes",
        )
        .at(n.origin));
    }
    *n = namespace.node();
    Ok(())
}
