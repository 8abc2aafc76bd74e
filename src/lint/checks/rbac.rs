//! RBAC: wildcards in rules, cluster-admin bindings, bindings to roles that create pods or
//! read Secrets.

use super::hit;
use crate::lint::workload::{selector_matches, string_map, Object};
use crate::lint::{Ctx, Hit};
use crate::model::Node;

pub fn wildcard(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let rules = obj.get(&["rules"]).and_then(Node::as_seq);
    for rule in rules.into_iter().flatten() {
        for field in ["resources", "verbs"] {
            for item in rule.get(field).and_then(Node::as_seq).into_iter().flatten() {
                if item.as_str() == Some("*") {
                    hit(
                        out,
                        item.origin.or(rule.origin),
                        format!("{} grants `*` in {field}", obj.kind),
                    );
                }
            }
        }
    }
}

pub fn cluster_admin_binding(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let Some(role) = obj.get(&["roleRef"]) else {
        return;
    };
    if role.get_str("kind") == Some("ClusterRole") && role.get_str("name") == Some("cluster-admin")
    {
        let subjects: Vec<String> = obj
            .get(&["subjects"])
            .and_then(Node::as_seq)
            .into_iter()
            .flatten()
            .map(|s| {
                format!(
                    "{} {}",
                    s.get_str("kind").unwrap_or("?"),
                    s.get_str("name").unwrap_or("?")
                )
            })
            .collect();
        hit(
            out,
            role.get("name").and_then(|n| n.origin).or(role.origin),
            format!("cluster-admin is bound to {}", subjects.join(", ")),
        );
    }
}

/// Resources whose `create` lets a subject run a pod of its choosing (kube-linter
/// `access-to-create-pods`; kube-linter spells the CronJob resource `cronjob`, which
/// matches nothing, kit reads `cronjobs`).
const POD_CREATING_RESOURCES: &[&str] = &[
    "pods",
    "deployments",
    "statefulsets",
    "replicasets",
    "cronjobs",
    "jobs",
    "daemonsets",
];

/// Verbs that read, change or enumerate Secrets (kube-linter `access-to-secrets`).
const SECRET_VERBS: &[&str] = &["get", "list", "delete", "create", "watch"];

/// What one PolicyRule list grants of `resources` × `verbs` (`*` matches any), as
/// "verbs on resources" texts, one per rule granting some. API groups are not compared,
/// as kube-linter does not.
fn grants(rules: Option<&Node>, resources: &[&str], verbs: &[&str]) -> Vec<String> {
    let pick = |rule: &Node, field: &str, wanted: &[&str]| -> Vec<String> {
        rule.get(field)
            .and_then(Node::as_seq)
            .into_iter()
            .flatten()
            .filter_map(Node::as_str)
            .filter(|s| *s == "*" || wanted.contains(s))
            .map(str::to_string)
            .collect()
    };
    let mut out = Vec::new();
    for rule in rules.and_then(Node::as_seq).into_iter().flatten() {
        let res = pick(rule, "resources", resources);
        let verb = pick(rule, "verbs", verbs);
        if !res.is_empty() && !verb.is_empty() {
            out.push(format!("{} on {}", verb.join(","), res.join(",")));
        }
    }
    out
}

/// The namespace kube-linter compares RBAC objects in: unset means `default`.
fn rbac_namespace<'a>(obj: &Object<'a>) -> &'a str {
    if obj.namespace.is_empty() {
        "default"
    } else {
        obj.namespace
    }
}

/// kube-linter's `access-to-resources` template: a binding whose role (found in the
/// render) grants some of `verbs` on some of `resources`. A RoleBinding's roleRef names a
/// Role of its namespace or a ClusterRole (kube-linter looks for a Role either way); a
/// ClusterRole's grants include those of the ClusterRoles its aggregationRule selects.
fn binding_grants(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>, resources: &[&str], verbs: &[&str]) {
    let Some(role_ref) = obj.get(&["roleRef"]) else {
        return;
    };
    let Some(name) = role_ref.get_str("name") else {
        return;
    };
    let kind = role_ref.get_str("kind").unwrap_or("Role");
    let at = role_ref
        .get("name")
        .and_then(|n| n.origin)
        .or(role_ref.origin);
    if obj.kind == "RoleBinding" && kind == "Role" {
        let namespace = rbac_namespace(obj);
        for role in ctx
            .objects
            .iter()
            .filter(|o| o.kind == "Role" && o.name == name && rbac_namespace(o) == namespace)
        {
            let found = grants(role.get(&["rules"]), resources, verbs);
            if !found.is_empty() {
                hit(
                    out,
                    at,
                    format!("binds Role `{name}`, which grants {}", found.join("; ")),
                );
            }
        }
        return;
    }
    let cluster_roles: Vec<&Object> = ctx
        .objects
        .iter()
        .filter(|o| o.kind == "ClusterRole")
        .collect();
    for role in cluster_roles.iter().filter(|o| o.name == name) {
        let found = grants(role.get(&["rules"]), resources, verbs);
        if !found.is_empty() {
            hit(
                out,
                at,
                format!(
                    "binds ClusterRole `{name}`, which grants {}",
                    found.join("; ")
                ),
            );
        }
        for selector in role
            .get(&["aggregationRule", "clusterRoleSelectors"])
            .and_then(Node::as_seq)
            .into_iter()
            .flatten()
        {
            for aggregated in &cluster_roles {
                let labels = aggregated
                    .get(&["metadata", "labels"])
                    .map(string_map)
                    .unwrap_or_default();
                if !selector_matches(selector, &labels) {
                    continue;
                }
                let found = grants(aggregated.get(&["rules"]), resources, verbs);
                if !found.is_empty() {
                    hit(
                        out,
                        at,
                        format!(
                            "binds ClusterRole `{name}`, which aggregates ClusterRole `{}`, which grants {}",
                            aggregated.name,
                            found.join("; ")
                        ),
                    );
                }
            }
        }
    }
}

pub fn create_pods(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    binding_grants(ctx, obj, out, POD_CREATING_RESOURCES, &["create"]);
}

pub fn secrets_access(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    binding_grants(ctx, obj, out, &["secrets"], SECRET_VERBS);
}
