//! Field combinations the API server refuses although each field is valid alone
//! (`pkg/apis/*/validation`): strategies with settings of another strategy type, pod
//! templates with a restart policy their controller does not run, PDBs with both policies,
//! Service types with fields of another type, and the like. One check, `KIT-FLD014`; the
//! messages follow the API server's.

use crate::lint::workload::template_path;
use crate::model::{Node, Resource, Value};

use super::engine::Problem;
use super::fields::int_of;
use super::registry::Check;

/// Checks one built-in object of `group`/`kind`.
pub fn check(res: &Resource, group: &str, kind: &str, out: &mut Vec<Problem>) {
    let node = &res.node;
    let mut o = Found { out };
    match (group, kind) {
        ("apps", "Deployment") => deployment_strategy(node, &mut o),
        ("apps", "StatefulSet") => {
            let strategy = node.get_path(&["spec", "updateStrategy"]);
            if str_at(strategy, "type") == Some("OnDelete") {
                if let Some(r) = strategy
                    .and_then(|s| s.get("rollingUpdate"))
                    .filter(|n| !n.is_null())
                {
                    o.push(
                        r,
                        "spec.updateStrategy.rollingUpdate",
                        "only allowed for updateStrategy 'RollingUpdate'",
                    );
                }
            }
        }
        ("policy", "PodDisruptionBudget") => {
            let spec = node.get("spec");
            let set = |f: &str| spec.and_then(|s| s.get(f)).is_some_and(|n| !n.is_null());
            if set("minAvailable") && set("maxUnavailable") {
                if let Some(n) = spec.and_then(|s| s.get("maxUnavailable")) {
                    o.push(
                        n,
                        "spec",
                        "minAvailable and maxUnavailable cannot be both set",
                    );
                }
            }
        }
        ("autoscaling", "HorizontalPodAutoscaler") => {
            let min = node.get_path(&["spec", "minReplicas"]).and_then(int_of);
            let max = node.get_path(&["spec", "maxReplicas"]);
            if let (Some(min), Some(max_node)) = (min, max) {
                if int_of(max_node).is_some_and(|m| m < min) {
                    o.push(
                        max_node,
                        "spec.maxReplicas",
                        format!("must be greater than or equal to `minReplicas` ({min})"),
                    );
                }
            }
        }
        ("", "Service") => service(node, &mut o),
        ("networking.k8s.io", "Ingress") => {
            let spec = node.get("spec");
            let present = |f: &str| {
                spec.and_then(|s| s.get(f))
                    .is_some_and(|n| !n.is_null() && n.as_seq().is_none_or(|l| !l.is_empty()))
            };
            let backend = if res.gvk().version == "v1" {
                "defaultBackend"
            } else {
                "backend"
            };
            if !present(backend) && !present("rules") {
                o.push(
                    spec.unwrap_or(node),
                    "spec",
                    format!("either `{backend}` or `rules` must be specified"),
                );
            }
        }
        _ => {}
    }
    if let Some(path) = template_path(group, kind) {
        let template = if path.is_empty() {
            Some(node)
        } else {
            node.get_path(path)
        };
        if let Some(spec) = template.and_then(|t| t.get("spec")) {
            let at = if path.is_empty() {
                "spec".to_string()
            } else {
                format!("{}.spec", path.join("."))
            };
            restart_policy(group, kind, spec, &at, &mut o);
            init_containers(spec, &at, &mut o);
        }
    }
}

struct Found<'a> {
    out: &'a mut Vec<Problem>,
}

impl Found<'_> {
    fn push(&mut self, at: &Node, path: &str, message: impl AsRef<str>) {
        self.out.push(Problem {
            check: Check::FieldCombination,
            message: format!("{path}: {}", message.as_ref()),
            origin: at.origin,
        });
    }
}

fn str_at<'a>(node: Option<&'a Node>, key: &str) -> Option<&'a str> {
    node.and_then(|n| n.get(key)).and_then(Node::as_str)
}

/// An int-or-string that means zero: `0` or `"0%"`.
fn is_zero(n: &Node) -> bool {
    match &n.value {
        Value::Int(0) | Value::UInt(0) => true,
        Value::Str(s) => s
            .strip_suffix('%')
            .is_some_and(|p| p.parse::<i64>() == Ok(0)),
        _ => false,
    }
}

fn deployment_strategy(node: &Node, o: &mut Found) {
    let strategy = node.get_path(&["spec", "strategy"]);
    let rolling = strategy
        .and_then(|s| s.get("rollingUpdate"))
        .filter(|n| !n.is_null());
    match str_at(strategy, "type") {
        Some("Recreate") => {
            if let Some(r) = rolling {
                o.push(
                    r,
                    "spec.strategy.rollingUpdate",
                    "may not be specified when strategy `type` is 'Recreate'",
                );
            }
        }
        // RollingUpdate, or absent (the default); each absent value defaults to 25%.
        _ => {
            let surge = rolling.and_then(|r| r.get("maxSurge"));
            let unavailable = rolling.and_then(|r| r.get("maxUnavailable"));
            if let (Some(s), Some(u)) = (surge, unavailable) {
                if is_zero(s) && is_zero(u) {
                    o.push(
                        u,
                        "spec.strategy.rollingUpdate.maxUnavailable",
                        "may not be 0 when `maxSurge` is 0",
                    );
                }
            }
        }
    }
}

/// Controllers of long-running pods only run `Always`; Jobs never do (and `Always` is the
/// pod default, so a Job's template must say `OnFailure` or `Never`).
fn restart_policy(group: &str, kind: &str, spec: &Node, at: &str, o: &mut Found) {
    let policy = spec.get("restartPolicy").filter(|n| !n.is_null());
    let value = policy.and_then(Node::as_str);
    let path = format!("{at}.restartPolicy");
    let long_running = matches!(
        (group, kind),
        (
            "apps",
            "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet"
        ) | ("", "ReplicationController")
    );
    let job = matches!((group, kind), ("batch", "Job" | "CronJob"));
    if long_running {
        if let (Some(n), Some(v)) = (policy, value) {
            if v != "Always" {
                o.push(
                    n,
                    &path,
                    format!("Unsupported value: {v:?}: supported values: \"Always\""),
                );
            }
        }
    } else if job {
        match (policy, value) {
            (Some(_), Some("OnFailure" | "Never")) => {}
            (Some(n), Some(v)) if v != "Always" => o.push(
                n,
                &path,
                format!("Unsupported value: {v:?}: supported values: \"OnFailure\", \"Never\""),
            ),
            (found, _) => o.push(
                found.unwrap_or(spec),
                &path,
                "Required value: valid values: \"OnFailure\", \"Never\" (the default, Always, is not allowed for a Job)",
            ),
        }
    }
}

/// Probes and lifecycle hooks run only on init containers that are sidecars
/// (`restartPolicy: Always`).
fn init_containers(spec: &Node, at: &str, o: &mut Found) {
    let Some(list) = spec.get("initContainers").and_then(Node::as_seq) else {
        return;
    };
    for (i, c) in list.iter().enumerate() {
        if c.get("restartPolicy").and_then(Node::as_str) == Some("Always") {
            continue;
        }
        for field in [
            "lifecycle",
            "livenessProbe",
            "readinessProbe",
            "startupProbe",
        ] {
            if let Some(n) = c.get(field).filter(|n| !n.is_null()) {
                o.push(
                    n,
                    &format!("{at}.initContainers[{i}].{field}"),
                    "may not be set for init containers without restartPolicy=Always",
                );
            }
        }
    }
}

fn service(node: &Node, o: &mut Found) {
    let Some(spec) = node.get("spec") else {
        return;
    };
    let kind = spec
        .get("type")
        .and_then(Node::as_str)
        .unwrap_or("ClusterIP");
    let cluster_ip = spec.get("clusterIP").filter(|n| !n.is_null());
    let cluster_ips = spec
        .get("clusterIPs")
        .and_then(Node::as_seq)
        .filter(|l| !l.is_empty());
    let headless = cluster_ip.and_then(Node::as_str) == Some("None")
        || cluster_ips.and_then(|l| l.first()).and_then(Node::as_str) == Some("None");
    let ports = spec.get("ports").and_then(Node::as_seq);
    match kind {
        "LoadBalancer" | "NodePort" if headless => {
            let at = cluster_ip
                .or_else(|| spec.get("clusterIPs"))
                .unwrap_or(spec);
            o.push(
                at,
                "spec.clusterIPs[0]",
                format!("may not be set to 'None' for {kind} services"),
            );
        }
        "ExternalName" => {
            let ip_set = cluster_ip
                .and_then(Node::as_str)
                .is_some_and(|s| !s.is_empty());
            if let Some(n) = cluster_ip
                .filter(|_| ip_set)
                .or(cluster_ips.and(spec.get("clusterIPs")))
            {
                o.push(
                    n,
                    "spec.clusterIPs",
                    "may not be set for ExternalName services",
                );
            }
            for field in ["ipFamilies", "ipFamilyPolicy"] {
                if let Some(n) = spec
                    .get(field)
                    .filter(|n| !n.is_null() && n.as_seq().is_none_or(|l| !l.is_empty()))
                {
                    o.push(
                        n,
                        &format!("spec.{field}"),
                        "may not be set for ExternalName services",
                    );
                }
            }
            let name = spec
                .get("externalName")
                .and_then(Node::as_str)
                .unwrap_or("");
            if name.trim_end_matches('.').is_empty() {
                o.push(
                    spec,
                    "spec.externalName",
                    "Required value (the DNS name the Service points at)",
                );
            }
        }
        "ClusterIP" => {
            for (i, p) in ports.into_iter().flatten().enumerate() {
                if let Some(n) = p
                    .get("nodePort")
                    .filter(|n| int_of(n).is_some_and(|v| v != 0))
                {
                    o.push(
                        n,
                        &format!("spec.ports[{i}].nodePort"),
                        "may not be used when `type` is 'ClusterIP'",
                    );
                }
            }
        }
        _ => {}
    }
    if kind != "ExternalName" && !headless && ports.is_none_or(|l| l.is_empty()) {
        o.push(
            spec.get("ports").unwrap_or(spec),
            "spec.ports",
            "Required value: a Service that is not headless (clusterIP: None) nor ExternalName needs at least one port",
        );
    }
}
