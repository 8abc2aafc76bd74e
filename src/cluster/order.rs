//! The order objects are applied in: Namespaces and CustomResourceDefinitions first (a
//! namespaced object needs its namespace, a custom resource its definition), then every other
//! object in Helm's install order (`helm/pkg/release/v1/util/kind_sorter.go`, `InstallOrder`).
//! Kinds Helm does not list (custom resources among them) come last, alphabetically by kind;
//! objects of one kind keep the order of the render.

use std::cmp::Ordering;

use crate::chart::HelmVersion;

/// The phase a kind is applied in: 0 for Namespaces and CRDs, 1 for the rest.
pub fn phase(kind: &str) -> u8 {
    match kind {
        "Namespace" | "CustomResourceDefinition" => 0,
        _ => 1,
    }
}

fn rank(kind: &str) -> Option<usize> {
    // Helm v4's order: admission webhook configurations after the objects they call.
    HelmVersion::V4
        .spec()
        .install_order
        .iter()
        .position(|k| *k == kind)
}

/// Compares two kinds as the apply order does (see the module documentation).
pub fn compare_kinds(a: &str, b: &str) -> Ordering {
    phase(a)
        .cmp(&phase(b))
        .then_with(|| match (rank(a), rank(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => a.cmp(b),
        })
}

/// The indices of `kinds` in apply order (a stable sort: one kind keeps render order).
pub fn apply_order(kinds: &[&str]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..kinds.len()).collect();
    idx.sort_by(|&i, &j| compare_kinds(kinds[i], kinds[j]));
    idx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_and_crds_first_then_helm_order_then_unknown_kinds() {
        let kinds = [
            "Deployment",
            "Widget",
            "Service",
            "CustomResourceDefinition",
            "ConfigMap",
            "Namespace",
            "Gadget",
            "PriorityClass",
            "ServiceAccount",
            "Deployment",
        ];
        let order: Vec<&str> = apply_order(&kinds).into_iter().map(|i| kinds[i]).collect();
        assert_eq!(
            order,
            [
                "Namespace",
                "CustomResourceDefinition",
                "PriorityClass",
                "ServiceAccount",
                "ConfigMap",
                "Service",
                "Deployment",
                "Deployment",
                "Gadget",
                "Widget",
            ]
        );
    }

    #[test]
    fn same_kind_keeps_render_order() {
        let kinds = ["ConfigMap", "Secret", "ConfigMap"];
        assert_eq!(apply_order(&kinds), vec![1, 0, 2]);
    }
}
