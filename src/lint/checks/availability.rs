//! Rules on how a workload stays up: replica counts and autoscaler minimums, update
//! strategies, topology spread, disruption-budget eviction, priority classes, restart
//! policies, DNS options and node affinity.
//!
//! kube-linter's and kube-score's replica and strategy checks differ in threshold and scope
//! (kube-linter: every object with `spec.replicas`, at least 3, off by default; kube-score:
//! Deployments behind a Service, at least 2, on by default), so each is its own rule here.

use super::{hit, hit_unless_spec_sets};
use crate::lint::workload::{as_int, selector_matches, template_path, Object};
use crate::lint::{Ctx, Hit};
use crate::model::Node;

/// A Service of the render that sends traffic to `obj`'s pods (kube-score's "targeted by
/// a Service"), by name.
fn targeting_service<'a>(ctx: &Ctx<'a>, obj: &Object) -> Option<&'a str> {
    let labels = obj.pod_labels();
    ctx.index
        .services_requiring_any(obj.namespace, &labels)
        .into_iter()
        .map(|i| &ctx.objects[i])
        .find(|s| {
            super::cross::service_selector(s).is_some_and(|sel| selector_matches(sel, &labels))
        })
        .map(|s| s.name)
}

/// A HorizontalPodAutoscaler of the render whose scaleTargetRef names `obj`, by name.
fn scaling_hpa<'a>(ctx: &Ctx<'a>, obj: &Object) -> Option<&'a str> {
    ctx.index
        .of_kind("HorizontalPodAutoscaler", obj.namespace)
        .iter()
        .map(|&i| &ctx.objects[i])
        .find(|h| {
            h.get(&["spec", "scaleTargetRef"]).is_some_and(|t| {
                let group = t
                    .get_str("apiVersion")
                    .map(|av| av.rsplit_once('/').map_or("", |(g, _)| g));
                t.get_str("kind")
                    .is_some_and(|k| k.eq_ignore_ascii_case(obj.kind))
                    && t.get_str("name") == Some(obj.name)
                    && group.is_none_or(|g| g == obj.group)
            })
        })
        .map(|h| h.name)
}

/// `spec.replicas` of a kind that has it (as the API server defaults it: 1 when unset),
/// with its node. `None` for other kinds, or a value that is not a number (a template
/// placeholder).
fn replicas<'a>(obj: &Object<'a>) -> Option<(i64, Option<&'a Node>)> {
    let has_replicas = matches!(
        obj.kind,
        "Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController" | "DeploymentConfig"
    ) && template_path(&obj.group, obj.kind).is_some();
    if !has_replicas {
        return None;
    }
    match obj.get(&["spec", "replicas"]).filter(|n| !n.is_null()) {
        Some(n) => as_int(n).map(|r| (r, Some(n))),
        None => Some((1, None)),
    }
}

fn plural(n: i64) -> &'static str {
    if n == 1 {
        "replica"
    } else {
        "replicas"
    }
}

/// Reports a replica count below `min` on a workload no autoscaler scales.
fn replicas_below(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>, min: i64, context: &str) {
    let Some((n, node)) = replicas(obj) else {
        return;
    };
    if n >= min || scaling_hpa(ctx, obj).is_some() {
        return;
    }
    let (at, what) = match node {
        Some(node) => (node.origin, format!("{n} {}", plural(n))),
        None => (
            obj.get(&["spec"]).and_then(|s| s.origin).or(obj.origin()),
            "1 replica (spec.replicas is unset)".to_string(),
        ),
    };
    hit(
        out,
        at,
        format!(
            "this {} runs {what}{context}; at least {min} keep it available while a pod is down",
            obj.kind
        ),
    );
}

pub fn replicas_below_three(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    replicas_below(ctx, obj, out, 3, "");
}

pub fn deployment_replicas_below_two(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    if obj.kind != "Deployment" {
        return;
    }
    let Some(svc) = targeting_service(ctx, obj) else {
        return;
    };
    replicas_below(ctx, obj, out, 2, &format!(" behind Service `{svc}`"));
}

fn hpa_min_replicas_below(obj: &Object, out: &mut Vec<Hit>, min: i64) {
    if obj.group != "autoscaling" {
        return;
    }
    let field = obj.get(&["spec", "minReplicas"]).filter(|n| !n.is_null());
    let (n, at) = match field {
        Some(f) => match as_int(f) {
            Some(n) => (n, f.origin),
            None => return,
        },
        None => (
            1,
            obj.get(&["spec"]).and_then(|s| s.origin).or(obj.origin()),
        ),
    };
    if n >= min {
        return;
    }
    let what = match field {
        Some(_) => format!("minReplicas is {n}"),
        None => "minReplicas is unset (1)".to_string(),
    };
    hit(
        out,
        at,
        format!("{what}: the autoscaler may scale down to fewer than {min} replicas"),
    );
}

pub fn hpa_min_replicas_below_three(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    hpa_min_replicas_below(obj, out, 3);
}

pub fn hpa_min_replicas_below_two(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    hpa_min_replicas_below(obj, out, 2);
}

/// The update strategy's `type` field and the type in effect (the API server's default,
/// a rolling update, when unset), for the kinds that have one.
fn strategy_type<'a>(obj: &Object<'a>) -> Option<(Option<&'a Node>, String)> {
    let (field, default) = match obj.kind {
        "Deployment" => ("strategy", "RollingUpdate"),
        "DeploymentConfig" => ("strategy", "Rolling"),
        "DaemonSet" | "StatefulSet" => ("updateStrategy", "RollingUpdate"),
        _ => return None,
    };
    template_path(&obj.group, obj.kind)?;
    let node = obj
        .get(&["spec", field, "type"])
        .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()));
    let value = node
        .and_then(Node::scalar_text)
        .unwrap_or_else(|| default.to_string());
    Some((node, value))
}

pub fn update_strategy_not_rolling(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let Some((node, value)) = strategy_type(obj) else {
        return;
    };
    if value == "RollingUpdate" || value == "Rolling" {
        return;
    }
    let effect = match value.as_str() {
        "Recreate" => "an update stops every pod before starting the new ones",
        "OnDelete" => "pods keep the old version until each is deleted",
        _ => "it is not a rolling update",
    };
    hit(
        out,
        node.and_then(|n| n.origin).or(obj.origin()),
        format!(
            "this {} uses the {value} update strategy: {effect}",
            obj.kind
        ),
    );
}

pub fn deployment_strategy_not_rolling(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    if obj.kind != "Deployment" {
        return;
    }
    let Some((node, value)) = strategy_type(obj) else {
        return;
    };
    if value == "RollingUpdate" {
        return;
    }
    let Some(svc) = targeting_service(ctx, obj) else {
        return;
    };
    hit(
        out,
        node.and_then(|n| n.origin).or(obj.origin()),
        format!(
            "Service `{svc}` sends traffic to this Deployment, but its {value} strategy stops every pod before starting new ones"
        ),
    );
}

pub fn topology_spread_invalid(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let constraints = obj
        .pod_spec()
        .and_then(|s| s.get("topologySpreadConstraints"))
        .and_then(Node::as_seq);
    for c in constraints.into_iter().flatten() {
        let field = |name: &str| c.get(name).filter(|n| !n.is_null());
        let at = |name: &str| field(name).and_then(|n| n.origin).or(c.origin);
        if field("labelSelector").is_none() {
            hit(
                out,
                c.origin,
                "this topology spread constraint has no labelSelector, so it counts no pods",
            );
        }
        let max_skew = field("maxSkew").and_then(as_int);
        if max_skew.is_none_or(|m| m <= 0) {
            hit(
                out,
                at("maxSkew"),
                "maxSkew must be set and greater than zero",
            );
        }
        let when = field("whenUnsatisfiable").and_then(Node::as_str);
        if let Some(min_domains) = field("minDomains") {
            if as_int(min_domains).is_none_or(|m| m <= 0) {
                hit(
                    out,
                    min_domains.origin,
                    "minDomains must be greater than zero",
                );
            } else if when != Some("DoNotSchedule") {
                hit(
                    out,
                    min_domains.origin,
                    "minDomains only applies with whenUnsatisfiable: DoNotSchedule",
                );
            }
        }
        if field("topologyKey")
            .and_then(Node::as_str)
            .is_none_or(str::is_empty)
        {
            hit(
                out,
                at("topologyKey"),
                "this topology spread constraint has no topologyKey (the node label that defines a domain)",
            );
        }
        if !matches!(when, Some("DoNotSchedule" | "ScheduleAnyway")) {
            hit(
                out,
                at("whenUnsatisfiable"),
                format!(
                    "whenUnsatisfiable is {}; use DoNotSchedule or ScheduleAnyway",
                    when.map_or("unset".to_string(), |w| format!("`{w}`"))
                ),
            );
        }
    }
}

pub fn pdb_eviction_policy_unset(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    // The field exists in policy/v1 only.
    if obj.get(&["apiVersion"]).and_then(Node::as_str) != Some("policy/v1") {
        return;
    }
    hit_unless_spec_sets(
        obj,
        &["unhealthyPodEvictionPolicy"],
        out,
        "the PodDisruptionBudget does not set unhealthyPodEvictionPolicy",
    );
}

/// Priority classes every cluster has.
const SYSTEM_PRIORITY_CLASSES: &[&str] = &["system-cluster-critical", "system-node-critical"];

pub fn priority_class_unknown(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let Some(field) = obj.pod_spec().and_then(|s| s.get("priorityClassName")) else {
        return;
    };
    let name = field.scalar_text().unwrap_or_default();
    let name = name.trim();
    if name.is_empty() || SYSTEM_PRIORITY_CLASSES.contains(&name) {
        return;
    }
    // PriorityClass is cluster-scoped: look where a render puts it (no namespace), and in
    // the workload's namespace in case one was set on it.
    let defined = ["", obj.namespace].iter().any(|ns| {
        ctx.index
            .of_kind("PriorityClass", ns)
            .iter()
            .any(|&i| ctx.objects[i].name == name)
    });
    if !defined {
        hit(
            out,
            field.origin,
            format!(
                "priorityClassName `{name}` is neither a PriorityClass of the render nor one of {}",
                SYSTEM_PRIORITY_CLASSES.join(", ")
            ),
        );
    }
}

pub fn restart_policy_never(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let Some(spec) = obj.pod_spec() else { return };
    let field = spec.get("restartPolicy").filter(|n| !n.is_null());
    let value = field.and_then(Node::scalar_text).unwrap_or_default();
    match value.as_str() {
        "Always" | "OnFailure" => {}
        // Unset, a pod restarts Always; a Job's pods must choose.
        "" if !obj.is_job_like() => {}
        "" => hit(
            out,
            spec.origin.or(obj.origin()),
            format!(
                "this {}'s pod template does not set restartPolicy; use OnFailure",
                obj.kind
            ),
        ),
        other => hit(
            out,
            field.and_then(|f| f.origin),
            format!(
                "restartPolicy is {other}: failed containers are not restarted; use Always or OnFailure"
            ),
        ),
    }
}

pub fn node_affinity_missing(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let Some(spec) = obj.pod_spec() else { return };
    let affinity = spec.get("affinity").filter(|n| !n.is_null());
    if affinity
        .and_then(|a| a.get("nodeAffinity"))
        .is_some_and(|n| !n.is_null())
    {
        return;
    }
    hit(
        out,
        affinity
            .and_then(|a| a.origin)
            .or(spec.origin)
            .or(obj.origin()),
        format!("this {}'s pods have no node affinity", obj.kind),
    );
}

/// The DNS option kube-linter's `dnsconfig-options` asks for by default.
const NDOTS: (&str, &str) = ("ndots", "2");

pub fn dns_config_ndots_missing(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let Some(spec) = obj.pod_spec() else { return };
    let dns = spec.get("dnsConfig").filter(|n| !n.is_null());
    let options = dns.and_then(|d| d.get("options")).filter(|n| !n.is_null());
    let found = options
        .and_then(Node::as_seq)
        .into_iter()
        .flatten()
        .any(|o| {
            o.get_str("name") == Some(NDOTS.0)
                && o.get("value").and_then(Node::scalar_text).as_deref() == Some(NDOTS.1)
        });
    if found {
        return;
    }
    let (at, message) = match (dns, options) {
        (None, _) => (
            spec.origin.or(obj.origin()),
            "the pod template sets no dnsConfig",
        ),
        (Some(d), None) => (d.origin, "dnsConfig sets no options"),
        (Some(_), Some(o)) => (o.origin, "dnsConfig.options does not set ndots to 2"),
    };
    hit(
        out,
        at,
        format!(
            "{message}: names with fewer than 5 dots are first tried against every search domain"
        ),
    );
}
