//! The Helm releases kit renders like: v3.17.2 by default, v4.1.4 with `--helm-version 4`.
//! Each one's visible differences are data here, in one place: what `.Capabilities` holds by
//! default, the install order, and the switches the render consults where v4 behaves
//! differently (how `--kube-version` is read, `.Chart`'s type, aliased dependencies).

/// Which Helm `kit template` (and helmCharts) reproduces.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HelmVersion {
    /// Helm v3.17.2 (the reference of the corpus and of `kubectl kustomize --enable-helm`).
    #[default]
    V3,
    /// Helm v4.1.4.
    V4,
}

/// What one Helm release shows templates and how it orders and reads charts.
pub struct HelmSpec {
    /// `.Capabilities.HelmVersion`: Version, GitCommit, GoVersion, and (v4) KubeClientVersion.
    pub version: &'static str,
    pub git_commit: &'static str,
    pub go_version: &'static str,
    pub kube_client_version: Option<&'static str>,
    /// `.Capabilities.KubeVersion` without `--kube-version` (its client library's version).
    pub default_kube_version: &'static str,
    /// `.Capabilities.APIVersions` without `--api-versions`, in Helm's order: every
    /// group/version its client library knows, alpha and beta ones included (charts test
    /// `Has "policy/v1beta1"` and the like). No Kinds, and no `apiregistration.k8s.io/v1`,
    /// which Helm's lists lack too.
    pub api_versions: &'static [&'static str],
    /// `releaseutil.InstallOrder`: manifests are printed in this order of kinds; other kinds
    /// follow, by name.
    pub install_order: &'static [&'static str],
    /// v4 reads `--kube-version` with Kubernetes' own version parser and keeps the text as
    /// given in `.Capabilities.KubeVersion.Version` (`v1.33.4-gke.1245000`), printing the
    /// numbers alone (`v1.33.4`); v3 reads it as a semantic version and prints that.
    pub kube_version_keeps_text: bool,
    /// v4 hands templates `.Chart` as a `map[string]interface{}` of `chart.Metadata`'s Go
    /// field names (every field, `IsRoot` added); v3 as the struct itself.
    pub chart_is_map: bool,
    /// v4 gives each alias of a dependency its own copy of the chart's dependency entries
    /// and subcharts, so every alias imports its values and renders its subcharts under its
    /// own name; v3's copies share them (see [`super::Metadata::imports_done`]).
    pub aliases_copy_dependencies: bool,
    /// v4 is built with Go 1.25, whose templates `range` over an integer (Go 1.24's
    /// addition); v3.17's Go 1.23 refuses it.
    pub range_over_int: bool,
    /// Go type names templates see (`typeOf`, `%T`, errors): v3's package is `chartutil`,
    /// v4's `common`. `.Values`, `.Template` and the top-level map are of the values type.
    pub capabilities_type: &'static str,
    pub kube_version_type: &'static str,
    pub version_set_type: &'static str,
    pub values_type: crate::gotmpl::MapKind,
    /// How the missing-dependency error starts (v4 writes it in lower case).
    pub missing_dependency_words: &'static str,
}

impl HelmVersion {
    pub fn spec(self) -> &'static HelmSpec {
        match self {
            HelmVersion::V3 => &V3,
            HelmVersion::V4 => &V4,
        }
    }
}

static V3: HelmSpec = HelmSpec {
    version: "v3.17.2",
    git_commit: "cc0bbbd6d6276b83880042c1ecb34087e84d41eb",
    go_version: "go1.23.7",
    kube_client_version: None,
    default_kube_version: "v1.32.0",
    api_versions: &[
        "v1",
        "admissionregistration.k8s.io/v1",
        "admissionregistration.k8s.io/v1alpha1",
        "admissionregistration.k8s.io/v1beta1",
        "internal.apiserver.k8s.io/v1alpha1",
        "apps/v1",
        "apps/v1beta1",
        "apps/v1beta2",
        "authentication.k8s.io/v1",
        "authentication.k8s.io/v1alpha1",
        "authentication.k8s.io/v1beta1",
        "authorization.k8s.io/v1",
        "authorization.k8s.io/v1beta1",
        "autoscaling/v1",
        "autoscaling/v2",
        "autoscaling/v2beta1",
        "autoscaling/v2beta2",
        "batch/v1",
        "batch/v1beta1",
        "certificates.k8s.io/v1",
        "certificates.k8s.io/v1beta1",
        "certificates.k8s.io/v1alpha1",
        "coordination.k8s.io/v1alpha2",
        "coordination.k8s.io/v1beta1",
        "coordination.k8s.io/v1",
        "discovery.k8s.io/v1",
        "discovery.k8s.io/v1beta1",
        "events.k8s.io/v1",
        "events.k8s.io/v1beta1",
        "extensions/v1beta1",
        "flowcontrol.apiserver.k8s.io/v1",
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "networking.k8s.io/v1",
        "networking.k8s.io/v1alpha1",
        "networking.k8s.io/v1beta1",
        "node.k8s.io/v1",
        "node.k8s.io/v1alpha1",
        "node.k8s.io/v1beta1",
        "policy/v1",
        "policy/v1beta1",
        "rbac.authorization.k8s.io/v1",
        "rbac.authorization.k8s.io/v1beta1",
        "rbac.authorization.k8s.io/v1alpha1",
        "resource.k8s.io/v1beta1",
        "resource.k8s.io/v1alpha3",
        "scheduling.k8s.io/v1alpha1",
        "scheduling.k8s.io/v1beta1",
        "scheduling.k8s.io/v1",
        "storage.k8s.io/v1beta1",
        "storage.k8s.io/v1",
        "storage.k8s.io/v1alpha1",
        "storagemigration.k8s.io/v1alpha1",
        "apiextensions.k8s.io/v1beta1",
        "apiextensions.k8s.io/v1",
    ],
    install_order: INSTALL_ORDER_V3,
    kube_version_keeps_text: false,
    chart_is_map: false,
    aliases_copy_dependencies: false,
    range_over_int: false,
    capabilities_type: "*chartutil.Capabilities",
    kube_version_type: "chartutil.KubeVersion",
    version_set_type: "chartutil.VersionSet",
    values_type: crate::gotmpl::MapKind::Values,
    missing_dependency_words: "An error occurred",
};

// Each release's list is spelled out as its binary prints it (`{{ .Capabilities.APIVersions
// | toJson }}`), rather than as edits of the other's: the order is Helm's and matters.
static V4: HelmSpec = HelmSpec {
    version: "v4.1.4",
    git_commit: "05fa37973dc9e42b76e1d2883494c87174b6074f",
    go_version: "go1.25.9",
    kube_client_version: Some("v1.35"),
    default_kube_version: "v1.35.0",
    api_versions: &[
        "v1",
        "admissionregistration.k8s.io/v1",
        "admissionregistration.k8s.io/v1alpha1",
        "admissionregistration.k8s.io/v1beta1",
        "internal.apiserver.k8s.io/v1alpha1",
        "apps/v1",
        "apps/v1beta1",
        "apps/v1beta2",
        "authentication.k8s.io/v1",
        "authentication.k8s.io/v1alpha1",
        "authentication.k8s.io/v1beta1",
        "authorization.k8s.io/v1",
        "authorization.k8s.io/v1beta1",
        "autoscaling/v1",
        "autoscaling/v2",
        "autoscaling/v2beta1",
        "autoscaling/v2beta2",
        "batch/v1",
        "batch/v1beta1",
        "certificates.k8s.io/v1",
        "certificates.k8s.io/v1beta1",
        "certificates.k8s.io/v1alpha1",
        "coordination.k8s.io/v1alpha2",
        "coordination.k8s.io/v1beta1",
        "coordination.k8s.io/v1",
        "discovery.k8s.io/v1",
        "discovery.k8s.io/v1beta1",
        "events.k8s.io/v1",
        "events.k8s.io/v1beta1",
        "extensions/v1beta1",
        "flowcontrol.apiserver.k8s.io/v1",
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "networking.k8s.io/v1",
        "networking.k8s.io/v1beta1",
        "node.k8s.io/v1",
        "node.k8s.io/v1alpha1",
        "node.k8s.io/v1beta1",
        "policy/v1",
        "policy/v1beta1",
        "rbac.authorization.k8s.io/v1",
        "rbac.authorization.k8s.io/v1beta1",
        "rbac.authorization.k8s.io/v1alpha1",
        "resource.k8s.io/v1",
        "resource.k8s.io/v1beta2",
        "resource.k8s.io/v1beta1",
        "resource.k8s.io/v1alpha3",
        "scheduling.k8s.io/v1alpha1",
        "scheduling.k8s.io/v1beta1",
        "scheduling.k8s.io/v1",
        "storage.k8s.io/v1beta1",
        "storage.k8s.io/v1",
        "storage.k8s.io/v1alpha1",
        "storagemigration.k8s.io/v1beta1",
        "apiextensions.k8s.io/v1beta1",
        "apiextensions.k8s.io/v1",
    ],
    install_order: INSTALL_ORDER_V4,
    kube_version_keeps_text: true,
    chart_is_map: true,
    aliases_copy_dependencies: true,
    range_over_int: true,
    capabilities_type: "*common.Capabilities",
    kube_version_type: "common.KubeVersion",
    version_set_type: "common.VersionSet",
    values_type: crate::gotmpl::MapKind::CommonValues,
    missing_dependency_words: "an error occurred",
};

/// v4's install order: v3's, then the admission webhook configurations (which v3 sorts with
/// the kinds it does not know, by name).
const INSTALL_ORDER_V4: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// Helm v3's install order (`releaseutil.InstallOrder`): v4's less its last two kinds.
pub const INSTALL_ORDER_V3: &[&str] = INSTALL_ORDER_V4.split_at(INSTALL_ORDER_V4.len() - 2).0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_install_order_ends_with_api_service_and_v4_adds_the_webhooks() {
        assert_eq!(INSTALL_ORDER_V3.last(), Some(&"APIService"));
        assert_eq!(
            &INSTALL_ORDER_V4[INSTALL_ORDER_V3.len()..],
            &[
                "MutatingWebhookConfiguration",
                "ValidatingWebhookConfiguration"
            ]
        );
    }
}
