//! Output order: kustomize's legacy kind order (the default) or input order (`fifo`).

use std::cmp::Ordering;

use super::Resources;
use crate::model::{Gvk, ResId};

pub const DEFAULT_ORDER_FIRST: &[&str] = &[
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];
pub const DEFAULT_ORDER_LAST: &[&str] = &[
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// Sorts by kind rank (`order_first` kinds first, `order_last` last), then by
/// group/version/kind, then namespace and name, exactly as kustomize's legacy sorter.
pub fn legacy(resources: &mut Resources, order_first: &[String], order_last: &[String]) {
    let rank = |kind: &str| -> i64 {
        if let Some(i) = order_first.iter().position(|k| k == kind) {
            return i as i64 - order_first.len() as i64;
        }
        if let Some(i) = order_last.iter().position(|k| k == kind) {
            return 1 + i as i64;
        }
        0
    };
    let mut keyed: Vec<(ResId, crate::model::Resource)> =
        resources.drain(..).map(|r| (r.id(), r)).collect();
    keyed.sort_by(|(a, _), (b, _)| {
        if a.gvk != b.gvk {
            let (ra, rb) = (rank(&a.gvk.kind), rank(&b.gvk.kind));
            if ra != rb {
                return ra.cmp(&rb);
            }
            let (sa, sb) = (gvk_sort_string(&a.gvk), gvk_sort_string(&b.gvk));
            if a.gvk.kind == "Namespace"
                && b.gvk.kind == "Namespace"
                && (a.gvk.group.is_empty() || b.gvk.group.is_empty())
            {
                return sb.cmp(&sa);
            }
            return sa.cmp(&sb);
        }
        id_sort_string(a).cmp(&id_sort_string(b))
    });
    resources.extend(keyed.into_iter().map(|(_, r)| r));
}

pub fn gvk_sort_string(g: &Gvk) -> String {
    let or = |s: &str, d: &str| {
        if s.is_empty() {
            d.to_string()
        } else {
            s.to_string()
        }
    };
    format!(
        "{}_{}_{}",
        or(&g.group, "~G"),
        or(&g.version, "~V"),
        or(&g.kind, "~K")
    )
}

fn id_sort_string(id: &ResId) -> String {
    let ns = if id.namespace.is_empty() {
        "~X"
    } else {
        &id.namespace
    };
    let name = if id.name.is_empty() { "~N" } else { &id.name };
    format!("{}|{}|{}", id.gvk.kustomize_string(), ns, name)
}

pub fn compare_ids(a: &ResId, b: &ResId) -> Ordering {
    id_sort_string(a).cmp(&id_sort_string(b))
}

/// A kind's rank in kustomize's default order (negative first, positive last).
pub fn kind_rank(kind: &str) -> i64 {
    if let Some(i) = DEFAULT_ORDER_FIRST.iter().position(|k| *k == kind) {
        return i as i64 - DEFAULT_ORDER_FIRST.len() as i64;
    }
    if let Some(i) = DEFAULT_ORDER_LAST.iter().position(|k| *k == kind) {
        return 1 + i as i64;
    }
    0
}
