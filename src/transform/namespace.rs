//! `namespace`: set metadata.namespace on namespaced resources, rename Namespace objects,
//! and fix RoleBinding subjects that point at the `default` service account namespace.
//!
//! The kustomization field and a `NamespaceTransformer` plugin configuration run the same
//! code; the plugin can also ask for `unsetOnly` (only empty namespaces are set) and choose
//! which binding subjects change (`setRoleBindingSubjects`).

use std::collections::HashMap;

use super::fieldspec::{CreateKind, FieldSpec};
use super::{Resources, Setting};
use crate::diag::{Diag, Result};
use crate::model::{Gvk, Node, ResId, Resource, Value};

/// Which subjects of a RoleBinding or ClusterRoleBinding get the namespace.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SubjectMode {
    /// Subjects named `default` (kustomize's `defaultOnly`, the default).
    #[default]
    DefaultOnly,
    /// Every subject of kind ServiceAccount (`allServiceAccounts`).
    AllServiceAccounts,
    /// None (`none`).
    None,
}

impl SubjectMode {
    /// Parses `setRoleBindingSubjects`; `None` for an unknown value.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "" | "defaultOnly" => Some(SubjectMode::DefaultOnly),
            "allServiceAccounts" => Some(SubjectMode::AllServiceAccounts),
            "none" => Some(SubjectMode::None),
            _ => None,
        }
    }
}

/// How the namespace is set.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Only fields that are missing or empty get the namespace.
    pub unset_only: bool,
    pub subjects: SubjectMode,
}

/// The kustomization's `namespace` field; `cluster_scoped` tells which types keep none (the
/// built-in scope table, or a custom OpenAPI schema's).
pub fn apply(
    resources: &mut Resources,
    namespace: &Setting,
    specs: &[FieldSpec],
    cluster_scoped: &dyn Fn(&Gvk) -> bool,
) -> Result<()> {
    apply_with(
        resources,
        namespace,
        specs,
        Options::default(),
        cluster_scoped,
    )
}

/// kustomize's `NamespaceTransformer`: every resource gets the namespace (its previous id
/// recorded), and two resources may not end up with the same id.
pub fn apply_with(
    resources: &mut Resources,
    namespace: &Setting,
    specs: &[FieldSpec],
    options: Options,
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
        // kustomize leaves what helmCharts rendered to Helm, which had the namespace.
        if res.helm_generated {
            continue;
        }
        let before = res.id().canonical();
        res.store_previous_id();
        set_in_resource(res, namespace, specs, options, cluster_scoped)?;
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

/// kustomize's namespace filter on one resource: `metadata.namespace` unless the kind is
/// cluster-scoped, the binding subjects as `options.subjects` says, then the field specs
/// (minus the ones the special cases replace).
pub fn set_in_resource(
    res: &mut Resource,
    namespace: &Setting,
    specs: &[FieldSpec],
    options: Options,
    cluster_scoped: &dyn Fn(&Gvk) -> bool,
) -> Result<()> {
    let gvk = res.gvk();
    let api_version = res.node.get_str("apiVersion").unwrap_or("").to_string();
    if !cluster_scoped(&gvk) {
        let spec = FieldSpec::new("metadata/namespace", true);
        spec.apply(
            &mut res.node,
            Some(CreateKind::Scalar),
            namespace.origin,
            &mut |n| set(n, namespace, options.unset_only),
        )?;
    }
    let is_binding = is_binding_kind(&gvk.kind);
    if is_binding && options.subjects != SubjectMode::None {
        if let Some(subjects) = res.node.get_mut("subjects").and_then(Node::as_seq_mut) {
            for subject in subjects.iter_mut() {
                let selected = match options.subjects {
                    SubjectMode::DefaultOnly => subject.get_str("name") == Some("default"),
                    SubjectMode::AllServiceAccounts => {
                        subject.get_str("kind") == Some("ServiceAccount")
                    }
                    SubjectMode::None => false,
                };
                if !selected || subject.as_map().is_none() {
                    continue;
                }
                let empty = subject
                    .get("namespace")
                    .is_none_or(|n| n.is_null() || n.scalar_text().as_deref() == Some(""));
                if !options.unset_only || empty {
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
        if is_binding && is_binding_kind(&spec.kind) && path == "subjects/namespace" {
            continue;
        }
        spec.apply(
            &mut res.node,
            Some(CreateKind::Scalar),
            namespace.origin,
            &mut |n| set(n, namespace, options.unset_only),
        )?;
    }
    Ok(())
}

fn is_binding_kind(kind: &str) -> bool {
    kind == "RoleBinding" || kind == "ClusterRoleBinding"
}

fn set(n: &mut Node, namespace: &Setting, unset_only: bool) -> Result<()> {
    if matches!(n.value, Value::Seq(_) | Value::Map(_)) {
        return Err(Diag::error(
            "kit::transform::namespace",
            "namespace field specs must target scalar nodes",
        )
        .at(n.origin));
    }
    if unset_only && !n.is_null() && n.scalar_text().is_some_and(|t| !t.is_empty()) {
        return Ok(());
    }
    *n = namespace.node();
    Ok(())
}
