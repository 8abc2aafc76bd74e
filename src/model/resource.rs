//! A resource: one Kubernetes object, its identity, and the ids it had before renames.

use super::node::{Node, Value};

/// group/version/kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gvk {
    pub group: String,
    pub version: String,
    pub kind: String,
}

impl Gvk {
    pub fn from_api_version(api_version: &str, kind: &str) -> Self {
        let (group, version) = match api_version.split_once('/') {
            Some((g, v)) => (g.to_string(), v.to_string()),
            None => (String::new(), api_version.to_string()),
        };
        Gvk {
            group,
            version,
            kind: kind.to_string(),
        }
    }

    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// kustomize's `Gvk.String()`: `Kind.version.group` with `[noKind]`-style placeholders.
    pub fn kustomize_string(&self) -> String {
        let or = |s: &str, d: &str| {
            if s.is_empty() {
                d.to_string()
            } else {
                s.to_string()
            }
        };
        format!(
            "{}.{}.{}",
            or(&self.kind, "[noKind]"),
            or(&self.version, "[noVer]"),
            or(&self.group, "[noGrp]")
        )
    }

    /// Whether this matches a selector where empty fields match anything.
    pub fn is_selected_by(&self, group: &str, version: &str, kind: &str) -> bool {
        (group.is_empty() || self.group == group)
            && (version.is_empty() || self.version == version)
            && (kind.is_empty() || self.kind == kind)
    }

    /// Known cluster-scoped kinds, from kustomize's built-in schema (Kubernetes 1.21):
    /// these never receive a namespace.
    pub fn is_cluster_scoped(&self) -> bool {
        // Compared piecewise: this runs for every id comparison, so it must not allocate.
        CLUSTER_SCOPED
            .iter()
            .any(|(av, k)| *k == self.kind && self.has_api_version(av))
    }

    /// `self.api_version() == api_version`, without building the string.
    fn has_api_version(&self, api_version: &str) -> bool {
        match api_version.split_once('/') {
            Some((g, v)) => g == self.group && v == self.version,
            None => self.group.is_empty() && api_version == self.version,
        }
    }

    /// Whether kustomize knows this type's scope from its precomputed table (kyaml's
    /// `precomputedIsNamespaceScoped`); for any other type it consults the OpenAPI schema,
    /// which changes how a custom schema chosen later combines with the built-in one (see
    /// `openapi::BuildSchema`).
    pub fn has_precomputed_scope(&self) -> bool {
        CLUSTER_SCOPED
            .iter()
            .chain(NAMESPACED)
            .any(|(av, k)| *k == self.kind && self.has_api_version(av))
    }
}

/// (apiVersion, kind) pairs kustomize's precomputed table knows to be namespaced.
const NAMESPACED: &[(&str, &str)] = &[
    ("apps/v1", "ControllerRevision"),
    ("apps/v1", "DaemonSet"),
    ("apps/v1", "Deployment"),
    ("apps/v1", "ReplicaSet"),
    ("apps/v1", "StatefulSet"),
    ("autoscaling/v1", "HorizontalPodAutoscaler"),
    ("autoscaling/v1", "Scale"),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler"),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"),
    ("batch/v1", "CronJob"),
    ("batch/v1", "Job"),
    ("batch/v1beta1", "CronJob"),
    ("coordination.k8s.io/v1", "Lease"),
    ("coordination.k8s.io/v1beta1", "Lease"),
    ("discovery.k8s.io/v1", "EndpointSlice"),
    ("discovery.k8s.io/v1beta1", "EndpointSlice"),
    ("events.k8s.io/v1", "Event"),
    ("events.k8s.io/v1beta1", "Event"),
    ("extensions/v1beta1", "Ingress"),
    ("networking.k8s.io/v1", "Ingress"),
    ("networking.k8s.io/v1", "NetworkPolicy"),
    ("networking.k8s.io/v1beta1", "Ingress"),
    ("policy/v1", "PodDisruptionBudget"),
    ("policy/v1beta1", "PodDisruptionBudget"),
    ("rbac.authorization.k8s.io/v1", "Role"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"),
    ("rbac.authorization.k8s.io/v1beta1", "Role"),
    ("rbac.authorization.k8s.io/v1beta1", "RoleBinding"),
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity"),
    ("v1", "ConfigMap"),
    ("v1", "Endpoints"),
    ("v1", "Event"),
    ("v1", "LimitRange"),
    ("v1", "PersistentVolumeClaim"),
    ("v1", "Pod"),
    ("v1", "PodAttachOptions"),
    ("v1", "PodExecOptions"),
    ("v1", "PodPortForwardOptions"),
    ("v1", "PodProxyOptions"),
    ("v1", "PodTemplate"),
    ("v1", "ReplicationController"),
    ("v1", "ResourceQuota"),
    ("v1", "Secret"),
    ("v1", "Service"),
    ("v1", "ServiceAccount"),
    ("v1", "ServiceProxyOptions"),
];

/// (apiVersion, kind) pairs kustomize knows to be cluster-scoped.
const CLUSTER_SCOPED: &[(&str, &str)] = &[
    (
        "admissionregistration.k8s.io/v1",
        "MutatingWebhookConfiguration",
    ),
    (
        "admissionregistration.k8s.io/v1",
        "ValidatingWebhookConfiguration",
    ),
    (
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfiguration",
    ),
    (
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingWebhookConfiguration",
    ),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"),
    ("apiregistration.k8s.io/v1", "APIService"),
    ("apiregistration.k8s.io/v1beta1", "APIService"),
    ("certificates.k8s.io/v1", "CertificateSigningRequest"),
    ("certificates.k8s.io/v1beta1", "CertificateSigningRequest"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema"),
    (
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "PriorityLevelConfiguration",
    ),
    ("networking.k8s.io/v1", "IngressClass"),
    ("networking.k8s.io/v1beta1", "IngressClass"),
    ("node.k8s.io/v1", "RuntimeClass"),
    ("node.k8s.io/v1beta1", "RuntimeClass"),
    ("policy/v1beta1", "PodSecurityPolicy"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding"),
    ("scheduling.k8s.io/v1", "PriorityClass"),
    ("scheduling.k8s.io/v1beta1", "PriorityClass"),
    ("storage.k8s.io/v1", "CSIDriver"),
    ("storage.k8s.io/v1", "CSINode"),
    ("storage.k8s.io/v1", "StorageClass"),
    ("storage.k8s.io/v1", "VolumeAttachment"),
    ("storage.k8s.io/v1beta1", "CSIDriver"),
    ("storage.k8s.io/v1beta1", "CSINode"),
    ("storage.k8s.io/v1beta1", "StorageClass"),
    ("storage.k8s.io/v1beta1", "VolumeAttachment"),
    ("v1", "ComponentStatus"),
    ("v1", "Namespace"),
    ("v1", "Node"),
    ("v1", "NodeProxyOptions"),
    ("v1", "PersistentVolume"),
];

/// A resource's identity as kustomize compares them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ResId {
    pub gvk: Gvk,
    pub namespace: String,
    pub name: String,
}

impl ResId {
    /// kustomize's effective namespace: cluster-scoped kinds have none, and an empty
    /// namespace means `default`.
    pub fn effective_namespace(&self) -> &str {
        if self.gvk.is_cluster_scoped() {
            "_non_namespaceable_"
        } else if self.namespace.is_empty() {
            "default"
        } else {
            &self.namespace
        }
    }

    /// The id with its effective namespace: two ids are `same_as` each other exactly when
    /// their canonical forms are equal (for hashing).
    pub fn canonical(&self) -> ResId {
        ResId {
            gvk: self.gvk.clone(),
            namespace: self.effective_namespace().to_string(),
            name: self.name.clone(),
        }
    }

    /// Same object as far as kustomize is concerned.
    pub fn same_as(&self, other: &ResId) -> bool {
        self.gvk == other.gvk
            && self.name == other.name
            && self.effective_namespace() == other.effective_namespace()
    }

    /// `Kind.version.group/name.namespace`, as kustomize prints ids in messages.
    pub fn describe(&self) -> String {
        let ns = if self.namespace.is_empty() {
            "[noNs]"
        } else {
            &self.namespace
        };
        format!("{}/{}.{}", self.gvk.kustomize_string(), self.name, ns)
    }
}

/// One Kubernetes object in the pipeline.
#[derive(Clone, Debug)]
pub struct Resource {
    pub node: Node,
    /// Ids the resource had before each rename, oldest first (for name references).
    pub previous: Vec<ResId>,
    /// Generated with a content-hash name suffix still to add (at the end of the root's build).
    pub needs_hash: bool,
    /// Name prefixes and suffixes applied so far, innermost first (kustomize's build
    /// annotations): name references prefer targets renamed the same way as the referrer.
    pub name_prefixes: Vec<String>,
    pub name_suffixes: Vec<String>,
    /// Names of the `vars` that read a field of this resource (kustomize's refVarNames).
    pub ref_var_names: Vec<String>,
    /// Rendered by a kustomization's `helmCharts` (kustomize's helm-generated annotation):
    /// the `namespace` field leaves it to Helm.
    pub helm_generated: bool,
}

impl Resource {
    pub fn new(node: Node) -> Self {
        Resource {
            node,
            previous: Vec::new(),
            needs_hash: false,
            name_prefixes: Vec::new(),
            name_suffixes: Vec::new(),
            ref_var_names: Vec::new(),
            helm_generated: false,
        }
    }

    /// The id the resource was read with, before any rename (kustomize's `OrgId`).
    pub fn org_id(&self) -> ResId {
        self.previous.first().cloned().unwrap_or_else(|| self.id())
    }

    /// Current and previous ids.
    pub fn any_id_matches(&self, f: impl Fn(&ResId) -> bool) -> bool {
        f(&self.id()) || self.previous.iter().any(f)
    }

    pub fn gvk(&self) -> Gvk {
        Gvk::from_api_version(
            self.node.get_str("apiVersion").unwrap_or(""),
            self.node.get_str("kind").unwrap_or(""),
        )
    }

    pub fn kind(&self) -> &str {
        self.node.get_str("kind").unwrap_or("")
    }

    pub fn name(&self) -> &str {
        self.node
            .get_path(&["metadata", "name"])
            .and_then(Node::as_str)
            .unwrap_or("")
    }

    pub fn namespace(&self) -> &str {
        self.node
            .get_path(&["metadata", "namespace"])
            .and_then(Node::as_str)
            .unwrap_or("")
    }

    pub fn id(&self) -> ResId {
        ResId {
            gvk: self.gvk(),
            namespace: self.namespace().to_string(),
            name: self.name().to_string(),
        }
    }

    /// Records the current id before a transformer renames the resource. As kustomize
    /// does, the namespace is stored as the effective one (`default` when unset).
    pub fn store_previous_id(&mut self) {
        let mut id = self.id();
        id.namespace = id.effective_namespace().to_string();
        self.previous.push(id);
    }

    /// `metadata.<field>` as a mapping, if present.
    pub fn meta_map(&self, field: &str) -> Option<&Node> {
        self.node
            .get_path(&["metadata", field])
            .filter(|n| matches!(n.value, Value::Map(_)))
    }
}

#[cfg(test)]
mod tests {
    use super::Gvk;

    #[test]
    fn scope_tables_match_whole_api_versions() {
        let g = Gvk::from_api_version;
        assert!(g("rbac.authorization.k8s.io/v1", "ClusterRole").is_cluster_scoped());
        assert!(g("v1", "Namespace").is_cluster_scoped());
        assert!(!g("rbac.authorization.k8s.io/v1x", "ClusterRole").is_cluster_scoped());
        assert!(!g("x/v1", "Namespace").is_cluster_scoped());
        assert!(!g("apps/v1", "Deployment").is_cluster_scoped());
        assert!(g("apps/v1", "Deployment").has_precomputed_scope());
        assert!(g("v1", "Secret").has_precomputed_scope());
        assert!(!g("v1", "Deployment").has_precomputed_scope());
        assert!(!g("example.com/v1", "Widget").has_precomputed_scope());
    }
}
