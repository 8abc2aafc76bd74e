//! RBAC: wildcards in rules, cluster-admin bindings.

use super::hit;
use crate::lint::workload::Object;
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
