//! Networking rules on one object or across the render: NetworkPolicy peers and
//! ServiceMonitors that select nothing, port names and numbers the API server rejects.

use super::hit;
use crate::lint::workload::{is_true, match_expressions, selector_matches, string_map, Object};
use crate::lint::{Ctx, Hit};
use crate::model::{Node, Value};
use crate::validate::text::port_name_violations;

/// A label selector (or a plain map) as `k=v,k2 in (a,b)`, for messages.
fn describe_selector(selector: &Node) -> String {
    let labels = match selector.get("matchLabels") {
        Some(m) => string_map(m),
        None if selector.get("matchExpressions").is_some() => Vec::new(),
        None => string_map(selector),
    };
    let mut parts: Vec<String> = labels
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    for (key, operator, values) in match_expressions(selector) {
        parts.push(match operator {
            "Exists" => key.to_string(),
            "DoesNotExist" => format!("!{key}"),
            op => format!("{key} {} ({})", op.to_ascii_lowercase(), values.join(",")),
        });
    }
    if parts.is_empty() {
        "{} (every pod)".to_string()
    } else {
        parts.join(",")
    }
}

/// kube-linter `dangling-networkpolicypeer-podselector`: an ingress `from` or egress `to`
/// peer with a podSelector (and no namespaceSelector: those may select pods of other
/// namespaces, outside the render) that matches no pod template of the policy's namespace.
pub fn network_policy_peer_selects_no_pods(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for (rules, peers, direction) in [("ingress", "from", "ingress"), ("egress", "to", "egress")] {
        for rule in obj
            .get(&["spec", rules])
            .and_then(Node::as_seq)
            .into_iter()
            .flatten()
        {
            for peer in rule.get(peers).and_then(Node::as_seq).into_iter().flatten() {
                let Some(selector) = peer.get("podSelector").filter(|s| !s.is_null()) else {
                    continue;
                };
                if peer.get("namespaceSelector").is_some_and(|n| !n.is_null()) {
                    continue;
                }
                if ctx
                    .index
                    .workloads_selected(obj.namespace, selector)
                    .is_empty()
                {
                    hit(
                        out,
                        selector.origin.or(peer.origin),
                        format!(
                            "no pod in the render matches this {direction} peer's podSelector {}",
                            describe_selector(selector)
                        ),
                    );
                }
            }
        }
    }
}

/// kube-linter `dangling-servicemonitor`: a Prometheus operator ServiceMonitor whose
/// selector and namespaceSelector match no Service of the render. Without a
/// namespaceSelector the operator looks in the ServiceMonitor's own namespace (an object
/// without a namespace counts as in any); `any: true` means every namespace, `matchNames`
/// the namespaces listed.
pub fn service_monitor_selects_no_services(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    if obj.group != "monitoring.coreos.com" {
        return;
    }
    let spec = obj.get(&["spec"]);
    let selector = spec.and_then(|s| s.get("selector"));
    let label_set = selector.is_some_and(|s| {
        ["matchLabels", "matchExpressions"].iter().any(|f| {
            s.get(f).is_some_and(|v| match &v.value {
                Value::Map(m) => !m.is_empty(),
                Value::Seq(items) => !items.is_empty(),
                _ => false,
            })
        })
    });
    let ns_selector = spec.and_then(|s| s.get("namespaceSelector"));
    let any_namespace = is_true(ns_selector.and_then(|n| n.get("any")));
    let names = ns_selector.map_or_else(Vec::new, |n| n.scalars_at(&["matchNames"]));
    let ns_set = any_namespace || !names.is_empty();
    if !label_set && !ns_set {
        hit(
            out,
            selector
                .and_then(|s| s.origin)
                .or(spec.and_then(|s| s.origin)),
            "the ServiceMonitor sets neither a selector nor a namespaceSelector",
        );
        return;
    }
    let in_scope = |svc: &Object| {
        if any_namespace {
            true
        } else if ns_set {
            names.iter().any(|n| n == svc.namespace)
        } else {
            obj.namespace.is_empty() || svc.namespace.is_empty() || obj.namespace == svc.namespace
        }
    };
    let found = ctx
        .objects
        .iter()
        .filter(|o| o.kind == "Service")
        .any(|svc| {
            in_scope(svc)
                && selector.filter(|_| label_set).is_none_or(|sel| {
                    let labels = svc
                        .get(&["metadata", "labels"])
                        .map(string_map)
                        .unwrap_or_default();
                    selector_matches(sel, &labels)
                })
        });
    if found {
        return;
    }
    let labels = selector
        .filter(|_| label_set)
        .map_or_else(|| "any labels".to_string(), describe_selector);
    let namespaces = if any_namespace {
        "any namespace".to_string()
    } else if ns_set {
        format!("namespaces {}", names.join(", "))
    } else if obj.namespace.is_empty() {
        "its namespace".to_string()
    } else {
        format!("namespace {}", obj.namespace)
    };
    let at = selector
        .filter(|_| label_set)
        .or(ns_selector)
        .and_then(|n| n.origin)
        .or(spec.and_then(|s| s.origin));
    hit(
        out,
        at,
        format!("no Service in the render with {labels} in {namespaces} for this ServiceMonitor"),
    );
}

/// kube-linter `invalid-target-ports`: container port names and Service `targetPort`s
/// that the API server rejects (a name that is not an IANA service name, a number outside
/// 1-65535).
pub fn invalid_port_name(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for c in obj.containers() {
        for port in c.list(&["ports"]) {
            let Some(name) = port.get("name") else {
                continue;
            };
            let Some(text) = name.scalar_text().filter(|t| !t.is_empty()) else {
                continue;
            };
            let reasons = port_name_violations(&text);
            if !reasons.is_empty() {
                hit(
                    out,
                    name.origin.or(port.origin),
                    format!(
                        "container `{}` has port name `{text}`, which {}",
                        c.name(),
                        reasons.join(", ")
                    ),
                );
            }
        }
    }
    if obj.kind != "Service" {
        return;
    }
    for port in obj
        .get(&["spec", "ports"])
        .and_then(Node::as_seq)
        .into_iter()
        .flatten()
    {
        let Some(target) = port.get("targetPort") else {
            continue;
        };
        let reason = match &target.value {
            Value::Int(0) | Value::UInt(0) => None,
            Value::Int(n) if !(1..=65535).contains(n) => {
                Some("must be between 1 and 65535, inclusive".to_string())
            }
            Value::UInt(n) if *n > 65535 => {
                Some("must be between 1 and 65535, inclusive".to_string())
            }
            Value::Str(s) => {
                let reasons = port_name_violations(s);
                (!reasons.is_empty()).then(|| reasons.join(", "))
            }
            _ => None,
        };
        if let Some(reason) = reason {
            hit(
                out,
                target.origin.or(port.origin),
                format!(
                    "targetPort `{}` {reason}",
                    target.scalar_text().unwrap_or_default()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::text::port_name_violations;

    #[test]
    fn port_names() {
        assert!(port_name_violations("http").is_empty());
        assert!(port_name_violations("n-3456789012345").is_empty());
        assert!(port_name_violations("h2c").is_empty());
        assert_eq!(
            port_name_violations("n234567890123456"),
            ["must be no more than 15 characters"]
        );
        assert_eq!(
            port_name_violations("123456"),
            ["must contain at least one letter (a-z)"]
        );
        assert_eq!(port_name_violations("a--b").len(), 1);
        assert_eq!(port_name_violations("-ab").len(), 1);
        assert_eq!(port_name_violations("HTTP").len(), 2);
        assert_eq!(port_name_violations("http_alt").len(), 1);
    }
}
