//! Views over the resource model that rules share: the pod template of a workload, its
//! containers, label selectors and resource quantities. Which kinds carry a pod template, and
//! where, is data (`WORKLOADS`), as kube-linter's `DeploymentLike` and kube-score's
//! `PodSpecer` define them.

use crate::model::{Node, Resource, Value};
use crate::source::Origin;

/// (API groups, kind, path from the object to its pod template). The Pod itself is its own
/// template (path empty: metadata and spec are at the top).
const WORKLOADS: &[(&[&str], &str, &[&str])] = &[
    (&[""], "Pod", &[]),
    (&["apps", "extensions"], "Deployment", &["spec", "template"]),
    (&["apps"], "StatefulSet", &["spec", "template"]),
    (&["apps", "extensions"], "DaemonSet", &["spec", "template"]),
    (&["apps", "extensions"], "ReplicaSet", &["spec", "template"]),
    (&[""], "ReplicationController", &["spec", "template"]),
    (&["batch"], "Job", &["spec", "template"]),
    (
        &["batch"],
        "CronJob",
        &["spec", "jobTemplate", "spec", "template"],
    ),
    (
        &["apps.openshift.io"],
        "DeploymentConfig",
        &["spec", "template"],
    ),
];

/// The path to the pod template of a workload kind, if the object is one.
pub fn template_path(group: &str, kind: &str) -> Option<&'static [&'static str]> {
    WORKLOADS
        .iter()
        .find(|(groups, k, _)| *k == kind && groups.contains(&group))
        .map(|(_, _, path)| *path)
}

/// One object under lint, with what rules ask of it precomputed.
pub struct Object<'a> {
    pub res: &'a Resource,
    pub group: String,
    pub kind: &'a str,
    pub name: &'a str,
    pub namespace: &'a str,
    /// The pod template (a mapping with `metadata` and `spec`) of a workload.
    pub template: Option<&'a Node>,
}

impl<'a> Object<'a> {
    pub fn new(res: &'a Resource) -> Self {
        let group = res.gvk().group;
        let kind = res.kind();
        let template = template_path(&group, kind).and_then(|p| {
            if p.is_empty() {
                Some(&res.node)
            } else {
                res.node.get_path(p).filter(|n| n.as_map().is_some())
            }
        });
        Object {
            res,
            group,
            kind,
            name: res.name(),
            namespace: res.namespace(),
            template,
        }
    }

    pub fn node(&self) -> &'a Node {
        &self.res.node
    }

    /// The object's own line: where its document starts.
    pub fn origin(&self) -> Option<Origin> {
        self.res.node.origin
    }

    pub fn get(&self, path: &[&str]) -> Option<&'a Node> {
        self.res.node.get_path(path)
    }

    pub fn is_workload(&self) -> bool {
        self.template.is_some()
    }

    /// `spec` of the pod template.
    pub fn pod_spec(&self) -> Option<&'a Node> {
        self.template?.get("spec")
    }

    /// Labels of the pod template.
    pub fn pod_labels(&self) -> Vec<(&'a str, String)> {
        self.template
            .and_then(|t| t.get_path(&["metadata", "labels"]))
            .map(string_map)
            .unwrap_or_default()
    }

    /// Annotations of the object and, for workloads, of the pod template.
    pub fn annotations(&self) -> Vec<(&'a str, String)> {
        let mut out = self
            .res
            .node
            .get_path(&["metadata", "annotations"])
            .map(string_map)
            .unwrap_or_default();
        if let Some(t) = self.template.filter(|t| !std::ptr::eq(*t, &self.res.node)) {
            if let Some(a) = t.get_path(&["metadata", "annotations"]) {
                out.extend(string_map(a));
            }
        }
        out
    }

    /// Every container (init, regular, ephemeral) of the pod template.
    pub fn containers(&self) -> Vec<Container<'a>> {
        let Some(spec) = self.pod_spec() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (field, kind) in [
            ("initContainers", ContainerKind::Init),
            ("containers", ContainerKind::Regular),
            ("ephemeralContainers", ContainerKind::Ephemeral),
        ] {
            for node in spec.get(field).and_then(Node::as_seq).into_iter().flatten() {
                if node.as_map().is_some() {
                    out.push(Container { node, kind });
                }
            }
        }
        out
    }

    /// `spec.replicas` as a number (1 when unset, as the API server defaults it).
    pub fn replicas(&self) -> i64 {
        self.get(&["spec", "replicas"])
            .and_then(as_int)
            .unwrap_or(1)
    }

    pub fn is_job_like(&self) -> bool {
        self.group == "batch" && (self.kind == "Job" || self.kind == "CronJob")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerKind {
    Init,
    Regular,
    Ephemeral,
}

/// One container of a pod template.
#[derive(Clone, Copy)]
pub struct Container<'a> {
    pub node: &'a Node,
    pub kind: ContainerKind,
}

impl<'a> Container<'a> {
    pub fn name(&self) -> &'a str {
        self.node.get_str("name").unwrap_or("")
    }

    pub fn get(&self, path: &[&str]) -> Option<&'a Node> {
        self.node.get_path(path)
    }

    pub fn origin(&self) -> Option<Origin> {
        self.node.origin
    }

    /// Where a finding about `path` belongs: the field when present, else the container.
    pub fn origin_of(&self, path: &[&str]) -> Option<Origin> {
        self.get(path).and_then(|n| n.origin).or(self.node.origin)
    }

    pub fn image(&self) -> &'a str {
        self.node.get_str("image").unwrap_or("")
    }

    pub fn security(&self, field: &str) -> Option<&'a Node> {
        self.get(&["securityContext", field])
    }

    /// A resource quantity (`resources.<requests|limits>.<name>`).
    pub fn quantity(&self, section: &str, name: &str) -> Option<(f64, &'a Node)> {
        let n = self.get(&["resources", section, name])?;
        Some((parse_quantity(n)?, n))
    }

    pub fn list(&self, path: &[&str]) -> &'a [Node] {
        self.get(path)
            .and_then(Node::as_seq)
            .map_or(&[][..], Vec::as_slice)
    }
}

/// A mapping of scalars as (key, text) pairs (labels, annotations, selectors).
pub fn string_map(node: &Node) -> Vec<(&str, String)> {
    node.as_map()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.scalar_text().map(|t| (k.as_str(), t)))
                .collect()
        })
        .unwrap_or_default()
}

pub fn as_bool(node: &Node) -> Option<bool> {
    match node.value {
        Value::Bool(b) => Some(b),
        _ => None,
    }
}

pub fn as_int(node: &Node) -> Option<i64> {
    match node.value {
        Value::Int(i) => Some(i),
        Value::UInt(u) => i64::try_from(u).ok(),
        Value::Str(ref s) => s.parse().ok(),
        _ => None,
    }
}

/// True when `node` is the boolean `true`.
pub fn is_true(node: Option<&Node>) -> bool {
    node.and_then(as_bool) == Some(true)
}

/// A Kubernetes quantity (`500m`, `1Gi`, `2`, `1e3`) as a number of base units. Enough to
/// tell zero from non-zero and compare two quantities.
pub fn parse_quantity(node: &Node) -> Option<f64> {
    let text = match &node.value {
        Value::Int(i) => return Some(*i as f64),
        Value::UInt(u) => return Some(*u as f64),
        Value::Float(f) => return Some(*f),
        Value::Str(s) => s.trim(),
        _ => return None,
    };
    const SUFFIXES: &[(&str, f64)] = &[
        ("Ki", 1024.0),
        ("Mi", 1_048_576.0),
        ("Gi", 1_073_741_824.0),
        ("Ti", 1_099_511_627_776.0),
        ("Pi", 1_125_899_906_842_624.0),
        ("Ei", 1_152_921_504_606_846_976.0),
        ("n", 1e-9),
        ("u", 1e-6),
        ("m", 1e-3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
    ];
    for (suffix, factor) in SUFFIXES {
        if let Some(number) = text.strip_suffix(suffix) {
            return number.parse::<f64>().ok().map(|n| n * factor);
        }
    }
    text.parse::<f64>().ok()
}

/// A `LabelSelector` (matchLabels and matchExpressions) or a plain map (a Service's
/// selector), matched against labels as the API machinery does. An empty selector matches
/// everything.
pub fn selector_matches(selector: &Node, labels: &[(&str, String)]) -> bool {
    let get = |k: &str| {
        labels
            .iter()
            .find(|(l, _)| *l == k)
            .map(|(_, v)| v.as_str())
    };
    let is_label_selector =
        selector.get("matchLabels").is_some() || selector.get("matchExpressions").is_some();
    let match_labels = if is_label_selector {
        selector
            .get("matchLabels")
            .map(string_map)
            .unwrap_or_default()
    } else {
        string_map(selector)
    };
    if !match_labels.iter().all(|(k, v)| get(k) == Some(v.as_str())) {
        return false;
    }
    for (key, operator, values) in match_expressions(selector) {
        let value = get(key);
        let ok = match operator {
            "In" => value.is_some_and(|v| values.iter().any(|x| x == v)),
            "NotIn" => value.is_none_or(|v| !values.iter().any(|x| x == v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// A label selector's `matchExpressions`, each as (key, operator, values).
pub fn match_expressions(selector: &Node) -> Vec<(&str, &str, Vec<String>)> {
    selector
        .get("matchExpressions")
        .and_then(Node::as_seq)
        .into_iter()
        .flatten()
        .map(|expr| {
            let values = expr.scalars_at(&["values"]);
            (
                expr.get_str("key").unwrap_or(""),
                expr.get_str("operator").unwrap_or(""),
                values,
            )
        })
        .collect()
}

/// The tag of an image reference as kube-score reads it: the text after the last `:`, or
/// empty (so `registry:5000/app` has the tag `5000/app`, and a digest reference
/// `app@sha256:...` has a tag, the digest).
pub fn image_tag(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    if image.contains('@') {
        return "@digest";
    }
    match without_digest.rfind(':') {
        Some(i) if !without_digest[i + 1..].contains('/') => &without_digest[i + 1..],
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_tags() {
        assert_eq!(image_tag("nginx"), "");
        assert_eq!(image_tag("nginx:latest"), "latest");
        assert_eq!(image_tag("nginx:1.25"), "1.25");
        assert_eq!(image_tag("registry:5000/nginx"), "");
        assert_eq!(image_tag("registry:5000/nginx:1.2"), "1.2");
        assert_eq!(image_tag("nginx@sha256:abc"), "@digest");
    }

    #[test]
    fn quantities() {
        let q = |s: &str| parse_quantity(&Node::str(s, None));
        assert_eq!(q("500m"), Some(0.5));
        assert_eq!(q("1Gi"), Some(1_073_741_824.0));
        assert_eq!(q("0"), Some(0.0));
        assert_eq!(q("1e3"), Some(1000.0));
        assert_eq!(q("x"), None);
    }
}
