//! Rules across the whole render: selectors that select nothing, references to objects
//! that are not there, workloads without a PodDisruptionBudget or NetworkPolicy.
//! Namespaces compare as written (an object without one is in "its" namespace), as kube-score
//! and kube-linter compare them.

use super::hit;
use crate::lint::workload::{as_int, selector_matches, string_map, Object};
use crate::lint::{Ctx, Hit};
use crate::model::{Node, Value};

fn objects_of<'c, 'a>(
    ctx: &'c Ctx<'a>,
    kind: &'c str,
    namespace: &'c str,
) -> impl Iterator<Item = &'c Object<'a>> + 'c {
    ctx.index
        .of_kind(kind, namespace)
        .iter()
        .map(|&i| &ctx.objects[i])
}

/// A Service's selector when it routes to pods (not ExternalName, selector not empty).
pub(super) fn service_selector<'a>(svc: &Object<'a>) -> Option<&'a Node> {
    if svc.get(&["spec", "type"]).and_then(Node::as_str) == Some("ExternalName") {
        return None;
    }
    svc.get(&["spec", "selector"])
        .filter(|s| s.as_map().is_some_and(|m| !m.is_empty()))
}

pub fn service_selects_no_pods(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let Some(selector) = service_selector(obj) else {
        return;
    };
    if !ctx
        .index
        .workloads_selected(obj.namespace, selector)
        .is_empty()
    {
        return;
    }
    let labels: Vec<String> = string_map(selector)
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    hit(
        out,
        selector.origin,
        format!(
            "no pod in the render matches the selector {}",
            labels.join(",")
        ),
    );
}

pub fn service_pod_readiness(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    if obj.is_job_like() {
        return;
    }
    let labels = obj.pod_labels();
    let targeted = ctx
        .index
        .services_requiring_any(obj.namespace, &labels)
        .into_iter()
        .map(|i| &ctx.objects[i])
        .filter_map(|s| service_selector(s).map(|sel| (s, sel)))
        .find(|(_, sel)| selector_matches(sel, &labels));
    let Some((svc, _)) = targeted else { return };
    let containers = obj.containers();
    if containers
        .iter()
        .any(|c| c.get(&["readinessProbe"]).is_some())
    {
        return;
    }
    let at = containers.first().and_then(|c| c.origin()).or(obj.origin());
    hit(
        out,
        at,
        format!(
            "Service `{}` sends traffic to these pods, but no container has a readinessProbe",
            svc.name
        ),
    );
}

pub fn network_policy_selects_no_pods(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let Some(selector) = obj.get(&["spec", "podSelector"]) else {
        return;
    };
    let empty = selector.as_map().is_none_or(|m| m.is_empty());
    if empty {
        return; // selects every pod of the namespace, now and later
    }
    if !ctx
        .index
        .workloads_selected(obj.namespace, selector)
        .is_empty()
    {
        return;
    }
    hit(
        out,
        selector.origin,
        "no pod in the render matches this NetworkPolicy's podSelector",
    );
}

pub fn pod_without_network_policy(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let labels = obj.pod_labels();
    let (mut ingress, mut egress) = (false, false);
    for np in objects_of(ctx, "NetworkPolicy", obj.namespace) {
        let Some(spec) = np.get(&["spec"]) else {
            continue;
        };
        let matches = spec
            .get("podSelector")
            .is_none_or(|s| selector_matches(s, &labels));
        if !matches {
            continue;
        }
        let types = spec.scalars_at(&["policyTypes"]);
        if types.is_empty() {
            ingress = true;
            egress |= spec
                .get("egress")
                .and_then(Node::as_seq)
                .is_some_and(|e| !e.is_empty());
        } else {
            ingress |= types.iter().any(|t| t == "Ingress");
            egress |= types.iter().any(|t| t == "Egress");
        }
    }
    let missing = match (ingress, egress) {
        (true, true) => return,
        (true, false) => "egress",
        (false, true) => "ingress",
        (false, false) => "ingress or egress",
    };
    hit(
        out,
        obj.origin(),
        format!("no NetworkPolicy in the render restricts {missing} traffic of these pods"),
    );
}

/// A backend of an Ingress: the Service name and port as written (`None` when the backend
/// names no Service), with its node.
type Backend<'a> = (Option<String>, Option<String>, &'a Node);

/// The backends of an Ingress's rules. `networking.k8s.io/v1` reads `service`; the beta
/// versions read `serviceName`/`servicePort`. A `resource` backend is not a Service.
fn ingress_backends<'a>(obj: &Object<'a>) -> Vec<Backend<'a>> {
    let v1 = obj.get(&["apiVersion"]).and_then(Node::as_str) == Some("networking.k8s.io/v1");
    let mut out = Vec::new();
    for rule in obj
        .get(&["spec", "rules"])
        .and_then(Node::as_seq)
        .into_iter()
        .flatten()
    {
        for path in rule
            .get_path(&["http", "paths"])
            .and_then(Node::as_seq)
            .into_iter()
            .flatten()
        {
            let Some(b) = path.get("backend") else {
                continue;
            };
            if b.get("resource").is_some() {
                continue;
            }
            if let Some(svc) = b.get("service") {
                let port = svc
                    .get_path(&["port", "number"])
                    .or_else(|| svc.get_path(&["port", "name"]))
                    .and_then(Node::scalar_text);
                out.push((svc.get_str("name").map(str::to_string), port, b));
            } else if !v1 && b.get("serviceName").is_some() {
                let port = b.get("servicePort").and_then(Node::scalar_text);
                out.push((b.get_str("serviceName").map(str::to_string), port, b));
            } else {
                out.push((None, None, b));
            }
        }
    }
    out
}

pub fn ingress_missing_service(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for (name, port, node) in ingress_backends(obj) {
        let Some(name) = name else {
            hit(
                out,
                node.origin,
                "this Ingress backend names no Service (networking.k8s.io/v1 uses `service.name` and `service.port`)",
            );
            continue;
        };
        let found = objects_of(ctx, "Service", obj.namespace)
            .filter(|s| s.name == name)
            .any(|s| match &port {
                None => true,
                Some(p) => s
                    .get(&["spec", "ports"])
                    .and_then(Node::as_seq)
                    .into_iter()
                    .flatten()
                    .any(|sp| {
                        sp.get("port").and_then(Node::scalar_text).as_deref() == Some(p.as_str())
                            || sp.get_str("name") == Some(p.as_str())
                    }),
            });
        if !found {
            let port = port.map(|p| format!(" port {p}")).unwrap_or_default();
            hit(
                out,
                node.origin,
                format!("no Service `{name}`{port} in the render for this Ingress backend"),
            );
        }
    }
}

pub fn hpa_missing_target(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let Some(target) = obj.get(&["spec", "scaleTargetRef"]) else {
        return;
    };
    let kind = target.get_str("kind").unwrap_or("");
    let name = target.get_str("name").unwrap_or("");
    let group = target
        .get_str("apiVersion")
        .map(|av| av.rsplit_once('/').map_or("", |(g, _)| g));
    let found = objects_of(ctx, kind, obj.namespace)
        .any(|o| o.name == name && group.is_none_or(|g| g == o.group));
    if !found {
        hit(
            out,
            target.origin,
            format!("the scale target {kind} `{name}` is not in the render"),
        );
    }
}

/// A reference from a pod template: the object's name, the key it reads (for
/// `configMapKeyRef` / `secretKeyRef`), and the node of the name.
struct Reference<'a> {
    name: &'a str,
    key: Option<&'a Node>,
    node: &'a Node,
}

/// What a pod template refers to, for one kind (ConfigMap, Secret, PersistentVolumeClaim).
/// References marked `optional: true` are left out.
fn references<'a>(obj: &Object<'a>, kind: &str) -> Vec<Reference<'a>> {
    let mut out = Vec::new();
    let optional =
        |n: &Node| n.get("optional").and_then(crate::lint::workload::as_bool) == Some(true);
    let mut push = |n: Option<&'a Node>, field: &str, with_key: bool| {
        let Some(n) = n.filter(|n| !optional(n)) else {
            return;
        };
        let Some(name) = n.get(field) else { return };
        if let Some(s) = name.as_str() {
            out.push(Reference {
                name: s,
                key: if with_key { n.get("key") } else { None },
                node: name,
            });
        }
    };
    let (env_ref, env_from, volume, volume_field, projected) = match kind {
        "ConfigMap" => (
            "configMapKeyRef",
            "configMapRef",
            "configMap",
            "name",
            "configMap",
        ),
        "Secret" => (
            "secretKeyRef",
            "secretRef",
            "secret",
            "secretName",
            "secret",
        ),
        _ => ("", "", "persistentVolumeClaim", "claimName", ""),
    };
    for c in obj.containers() {
        if !env_ref.is_empty() {
            for e in c.list(&["env"]) {
                push(e.get_path(&["valueFrom", env_ref]), "name", true);
            }
            for e in c.list(&["envFrom"]) {
                push(e.get(env_from), "name", false);
            }
        }
    }
    for v in obj
        .pod_spec()
        .and_then(|s| s.get("volumes"))
        .and_then(Node::as_seq)
        .into_iter()
        .flatten()
    {
        push(v.get(volume), volume_field, false);
        if !projected.is_empty() {
            for s in v
                .get_path(&["projected", "sources"])
                .and_then(Node::as_seq)
                .into_iter()
                .flatten()
            {
                push(s.get(projected), "name", false);
            }
        }
    }
    out
}

/// Whether a ConfigMap or Secret of the render holds `key` (in data, stringData or
/// binaryData).
fn has_key(obj: &Object, key: &str) -> bool {
    ["data", "stringData", "binaryData"]
        .iter()
        .any(|f| obj.get(&[f, key]).is_some())
}

fn missing_reference(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>, kind: &str) {
    let mut reported = std::collections::HashSet::new();
    for r in references(obj, kind) {
        let target = objects_of(ctx, kind, obj.namespace).find(|o| o.name == r.name);
        let message = match (target, r.key.and_then(Node::as_str)) {
            (None, _) => format!("{kind} `{}` is not in the render", r.name),
            (Some(t), Some(key)) if !has_key(t, key) => {
                format!("{kind} `{}` has no key `{key}`", r.name)
            }
            _ => continue,
        };
        let at = match target {
            Some(_) => r.key.and_then(|k| k.origin),
            None => r.node.origin,
        };
        if reported.insert((message.clone(), at.map(|o| o.start))) {
            hit(out, at.or(r.node.origin), message);
        }
    }
}

pub fn missing_config_map(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    missing_reference(ctx, obj, out, "ConfigMap");
}

pub fn missing_secret(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    missing_reference(ctx, obj, out, "Secret");
}

pub fn missing_pvc(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    missing_reference(ctx, obj, out, "PersistentVolumeClaim");
}

pub fn missing_service_account(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let Some(spec) = obj.pod_spec() else { return };
    let field = spec
        .get("serviceAccountName")
        .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()))
        .or_else(|| spec.get("serviceAccount"));
    let Some(name) = field.and_then(Node::as_str) else {
        return;
    };
    if name.is_empty() || name == "default" {
        return;
    }
    if objects_of(ctx, "ServiceAccount", obj.namespace).any(|o| o.name == name) {
        return;
    }
    hit(
        out,
        field.and_then(|f| f.origin),
        format!("ServiceAccount `{name}` is not in the render"),
    );
}

pub fn pdb_missing(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let replicas = obj.get(&["spec", "replicas"]);
    if replicas.and_then(as_int).is_some_and(|r| r < 2) {
        return;
    }
    let labels = obj.pod_labels();
    let covered = objects_of(ctx, "PodDisruptionBudget", obj.namespace).any(|p| {
        p.get(&["spec", "selector"])
            .is_some_and(|s| selector_matches(s, &labels))
    });
    if !covered {
        hit(
            out,
            replicas.and_then(|r| r.origin).or(obj.origin()),
            format!(
                "no PodDisruptionBudget in the render covers this {}'s pods",
                obj.kind
            ),
        );
    }
}

/// Topology keys that spread pods across failure domains (kube-score's list).
const SPREAD_TOPOLOGY_KEYS: &[&str] = &[
    "kubernetes.io/hostname",
    "topology.kubernetes.io/region",
    "topology.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/region",
    "failure-domain.beta.kubernetes.io/zone",
];

pub fn anti_affinity(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let replicas = obj.get(&["spec", "replicas"]);
    if replicas.and_then(as_int).is_some_and(|r| r < 2) {
        return;
    }
    let labels = obj.pod_labels();
    let anti = obj
        .pod_spec()
        .and_then(|s| s.get_path(&["affinity", "podAntiAffinity"]));
    let terms = anti.into_iter().flat_map(|a| {
        let preferred = a
            .get("preferredDuringSchedulingIgnoredDuringExecution")
            .and_then(Node::as_seq)
            .into_iter()
            .flatten()
            .filter_map(|p| p.get("podAffinityTerm"));
        let required = a
            .get("requiredDuringSchedulingIgnoredDuringExecution")
            .and_then(Node::as_seq)
            .into_iter()
            .flatten();
        preferred.chain(required)
    });
    let spreads = terms.into_iter().any(|term| {
        let key_ok = term
            .get_str("topologyKey")
            .is_some_and(|k| SPREAD_TOPOLOGY_KEYS.contains(&k));
        let namespaces = term.scalars_at(&["namespaces"]);
        let ns_ok = namespaces.is_empty() || namespaces.iter().any(|n| n == obj.namespace);
        let selects_self = term
            .get("labelSelector")
            .is_some_and(|s| selector_matches(s, &labels));
        key_ok && ns_ok && selects_self
    });
    if !spreads {
        let at = anti
            .and_then(|a| a.origin)
            .or(replicas.and_then(|r| r.origin))
            .or(obj.origin());
        hit(
            out,
            at,
            format!(
                "this {} has no pod anti-affinity that keeps its replicas on different nodes",
                obj.kind
            ),
        );
    }
}

pub fn statefulset_service_name(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let field = obj.get(&["spec", "serviceName"]);
    let name = field.and_then(Node::as_str).unwrap_or("");
    let labels = obj.pod_labels();
    let ok = objects_of(ctx, "Service", obj.namespace).any(|s| {
        s.name == name
            && s.get(&["spec", "clusterIP"]).and_then(Node::as_str) == Some("None")
            && s.get(&["spec", "selector"])
                .is_some_and(|sel| selector_matches(sel, &labels))
    });
    if !ok {
        hit(
            out,
            field.and_then(|f| f.origin).or(obj.origin()),
            format!(
                "serviceName `{name}` is not a headless Service (clusterIP: None) of the render selecting these pods"
            ),
        );
    }
}

pub fn hpa_static_replicas(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let Some(replicas) = obj.get(&["spec", "replicas"]) else {
        return;
    };
    let hpa = objects_of(ctx, "HorizontalPodAutoscaler", obj.namespace).find(|h| {
        h.get(&["spec", "scaleTargetRef"]).is_some_and(|t| {
            t.get_str("kind")
                .is_some_and(|k| k.eq_ignore_ascii_case(obj.kind))
                && t.get_str("name") == Some(obj.name)
        })
    });
    if let Some(hpa) = hpa {
        hit(
            out,
            replicas.origin,
            format!(
                "HorizontalPodAutoscaler `{}` scales this {}, but spec.replicas is set: every apply resets the replica count",
                hpa.name, obj.kind
            ),
        );
    }
}

/// An IntOrString of a PodDisruptionBudget as kube-linter reads it: a number (also when
/// written as a string of digits) or a percentage; `Err` with the text otherwise.
fn int_or_percent(node: &Node) -> Result<(i64, bool), String> {
    let text = match &node.value {
        Value::Int(i) => return Ok((*i, false)),
        Value::UInt(u) => {
            return i64::try_from(*u)
                .map(|u| (u, false))
                .map_err(|e| e.to_string())
        }
        Value::Str(s) => s.as_str(),
        _ => return Err(node.scalar_text().unwrap_or_default()),
    };
    if let Ok(n) = text.parse::<i64>() {
        return Ok((n, false));
    }
    text.strip_suffix('%')
        .and_then(|p| p.parse::<i64>().ok())
        .map(|p| (p, true))
        .ok_or_else(|| text.to_string())
}

pub fn pdb_max_unavailable_zero(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let Some(field) = obj
        .get(&["spec", "maxUnavailable"])
        .filter(|n| !n.is_null())
    else {
        return;
    };
    // kube-linter scales the value against 100: a bare string of digits is not a
    // percentage and is invalid there, as the API server's disruption controller reads it.
    let value = match &field.value {
        Value::Str(s) => s
            .strip_suffix('%')
            .and_then(|p| p.parse::<i64>().ok())
            .ok_or_else(|| s.clone()),
        _ => int_or_percent(field).map(|(v, _)| v),
    };
    match value {
        Ok(0) => hit(
            out,
            field.origin,
            "maxUnavailable is 0: no pod this PodDisruptionBudget selects can ever be evicted, so node drains block",
        ),
        Ok(_) => {}
        Err(text) => hit(
            out,
            field.origin,
            format!("maxUnavailable `{text}` is neither a number nor a percentage"),
        ),
    }
}

/// Workload kinds with a `spec.replicas` count (the DeploymentLikes kube-linter compares).
fn has_replicas(o: &Object) -> bool {
    matches!(
        (o.group.as_str(), o.kind),
        ("apps" | "extensions", "Deployment" | "ReplicaSet")
            | ("apps", "StatefulSet")
            | ("", "ReplicationController")
            | ("apps.openshift.io", "DeploymentConfig")
    )
}

/// The labels of a workload's pods: its pod template's labels, completed with the labels
/// its selector requires (kube-linter reads only the selector, so a workload written
/// without a template still counts).
fn pod_labels_or_selector<'a>(o: &Object<'a>) -> Vec<(&'a str, String)> {
    let mut labels = o.pod_labels();
    if let Some(selector) = o.get(&["spec", "selector"]) {
        let required = match selector.get("matchLabels") {
            Some(m) => string_map(m),
            None if selector.get("matchExpressions").is_some() => Vec::new(),
            None => string_map(selector),
        };
        for (k, v) in required {
            if !labels.iter().any(|(l, _)| *l == k) {
                labels.push((k, v));
            }
        }
    }
    labels
}

/// The replica count kube-linter assumes: `spec.replicas` (1 when unset); at 1, the
/// minimum of a HorizontalPodAutoscaler or KEDA ScaledObject of the namespace that scales
/// an object of this name (the last one in the render).
fn assumed_replicas(ctx: &Ctx, o: &Object) -> i64 {
    let replicas = o.replicas();
    if replicas != 1 {
        return replicas;
    }
    let scalers = objects_of(ctx, "HorizontalPodAutoscaler", o.namespace)
        .chain(objects_of(ctx, "ScaledObject", o.namespace))
        .filter(|s| {
            s.get(&["spec", "scaleTargetRef", "name"])
                .and_then(Node::as_str)
                == Some(o.name)
        });
    match scalers.last() {
        Some(s) if s.kind == "ScaledObject" => s
            .get(&["spec", "minReplicaCount"])
            .and_then(as_int)
            .filter(|n| *n > 0)
            .unwrap_or(1),
        Some(s) => s
            .get(&["spec", "minReplicas"])
            .and_then(as_int)
            .unwrap_or(1),
        None => replicas,
    }
}

pub fn pdb_min_available_too_high(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let Some(field) = obj.get(&["spec", "minAvailable"]).filter(|n| !n.is_null()) else {
        return;
    };
    let (value, percent) = match int_or_percent(field) {
        Ok(v) => v,
        Err(text) => {
            hit(
                out,
                field.origin,
                format!("minAvailable `{text}` is neither a number nor a percentage"),
            );
            return;
        }
    };
    if percent && value == 100 {
        hit(
            out,
            field.origin,
            "minAvailable is 100%: no pod this PodDisruptionBudget selects can ever be evicted, so node drains block",
        );
        return;
    }
    let Some(selector) = obj.get(&["spec", "selector"]).filter(|n| !n.is_null()) else {
        hit(
            out,
            obj.get(&["spec"]).and_then(|s| s.origin).or(obj.origin()),
            "the PodDisruptionBudget sets minAvailable but no selector",
        );
        return;
    };
    for w in ctx
        .objects
        .iter()
        .filter(|o| o.namespace == obj.namespace && has_replicas(o))
    {
        if !selector_matches(selector, &pod_labels_or_selector(w)) {
            continue;
        }
        let replicas = assumed_replicas(ctx, w);
        let min = if percent {
            // ceil(replicas * value / 100), in integers
            (replicas * value + 99).div_euclid(100)
        } else {
            value
        };
        if replicas <= min {
            hit(
                out,
                field.origin,
                format!(
                    "minAvailable {} keeps all {replicas} replica(s) of {} `{}` available: none can ever be evicted, so node drains block",
                    field.scalar_text().unwrap_or_default(),
                    w.kind,
                    w.name
                ),
            );
        }
    }
}
