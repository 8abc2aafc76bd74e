//! The API server's own field validation that the OpenAPI schemas do not express: names,
//! labels and annotations, selectors, pod specs (unique names, ports, env names, volume
//! mounts, resources, probes). Which kinds get which name rule, and where pod templates
//! are, is data (`NAME_RULES`, `lint::workload::template_path`).

use std::collections::HashSet;

use crate::lint::workload::{selector_matches, string_map, template_path};
use crate::model::{Node, Resource, Value};
use crate::source::Origin;

use super::engine::Problem;
use super::registry::Check;
use super::text;

/// How the API server validates an object's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NameRule {
    Subdomain,
    Label,
    /// DNS-1035: a label that starts with a letter (Services).
    Label1035,
    PathSegment,
}

/// (group, kind, rule, maximum length) for kinds whose names are not DNS-1123 subdomains
/// of up to 253 characters (`pkg/apis/*/validation`).
const NAME_RULES: &[(&str, &str, NameRule, usize)] = &[
    ("", "Namespace", NameRule::Label, 63),
    ("", "Service", NameRule::Label1035, 63),
    (
        "rbac.authorization.k8s.io",
        "Role",
        NameRule::PathSegment,
        253,
    ),
    (
        "rbac.authorization.k8s.io",
        "ClusterRole",
        NameRule::PathSegment,
        253,
    ),
    (
        "rbac.authorization.k8s.io",
        "RoleBinding",
        NameRule::PathSegment,
        253,
    ),
    (
        "rbac.authorization.k8s.io",
        "ClusterRoleBinding",
        NameRule::PathSegment,
        253,
    ),
    ("batch", "CronJob", NameRule::Subdomain, 52),
];

/// Kubernetes' limit on the total size of an object's annotations.
const MAX_ANNOTATIONS_BYTES: usize = 256 * 1024;

/// Context the rules need: the target version's minor number (some rules changed).
pub struct FieldCtx {
    pub minor: u32,
}

struct Out<'a> {
    out: &'a mut Vec<Problem>,
}

impl Out<'_> {
    fn push(&mut self, check: Check, origin: Option<Origin>, path: &str, msg: impl AsRef<str>) {
        self.out.push(Problem {
            check,
            message: format!("{path}: {}", msg.as_ref()),
            origin,
        });
    }
}

/// Metadata rules, for every object (built-in or custom).
pub fn metadata(res: &Resource, builtin: bool, out: &mut Vec<Problem>) {
    let mut o = Out { out };
    let gvk = res.gvk();
    let meta = res.node.get("metadata");
    let name = meta.and_then(|m| m.get("name"));
    match name.map(|n| (&n.value, n)) {
        Some((Value::Str(s), n)) => {
            let (rule, max) = NAME_RULES
                .iter()
                .find(|(g, k, _, _)| builtin && *g == gvk.group && *k == gvk.kind)
                .map_or((NameRule::Subdomain, 253), |(_, _, r, m)| (*r, *m));
            let result = match rule {
                NameRule::Subdomain => text::dns1123_subdomain(s),
                NameRule::Label => text::dns1123_label(s),
                NameRule::Label1035 => text::dns1123_label(s).and_then(|()| {
                    if s.as_bytes()[0].is_ascii_lowercase() {
                        Ok(())
                    } else {
                        Err("must start with a lower case letter (a DNS-1035 label, e.g. 'my-name')".into())
                    }
                }),
                NameRule::PathSegment => text::path_segment(s),
            };
            let result = result.and_then(|()| {
                if s.len() > max {
                    Err(format!(
                        "must be no more than {max} characters for a {} (it has {})",
                        gvk.kind,
                        s.len()
                    ))
                } else {
                    Ok(())
                }
            });
            if let Err(e) = result {
                o.push(
                    Check::InvalidName,
                    n.origin,
                    "metadata.name",
                    format!("{} {e}", text::preview(n)),
                );
            }
        }
        Some(_) => {} // a wrong type is the schema's finding
        None => {
            let generate = meta.and_then(|m| m.get("generateName")).is_some();
            if !generate {
                o.push(
                    Check::InvalidName,
                    meta.and_then(|m| m.origin).or(res.node.origin),
                    "metadata.name",
                    "name or generateName is required",
                );
            }
        }
    }
    if let Some(ns) = meta.and_then(|m| m.get("namespace")) {
        if let Some(s) = ns.as_str() {
            if let Err(e) = text::dns1123_label(s) {
                o.push(
                    Check::InvalidName,
                    ns.origin,
                    "metadata.namespace",
                    format!("{} {e}", text::preview(ns)),
                );
            }
        }
    }
    if let Some(m) = meta {
        labels_and_annotations(m, "metadata", &mut o);
    }
}

fn labels_and_annotations(meta: &Node, at: &str, o: &mut Out) {
    if let Some(Value::Map(labels)) = meta.get("labels").map(|n| &n.value) {
        for (k, v) in labels {
            if let Err(e) = text::qualified_name(k) {
                o.push(
                    Check::InvalidLabel,
                    v.origin,
                    &format!("{at}.labels"),
                    format!("key {k:?}: {e}"),
                );
            }
            if let Some(s) = v.as_str() {
                if let Err(e) = text::label_value(s) {
                    o.push(
                        Check::InvalidLabel,
                        v.origin,
                        &format!("{at}.labels.{k}"),
                        format!("value {s:?} {e}"),
                    );
                }
            }
        }
    }
    if let Some(ann) = meta.get("annotations") {
        if let Value::Map(entries) = &ann.value {
            let mut total = 0;
            for (k, v) in entries {
                total += k.len() + v.as_str().map_or(0, str::len);
                let lower_prefix = k
                    .rsplit_once('/')
                    .is_none_or(|(p, _)| p == p.to_ascii_lowercase());
                let check = text::qualified_name(k).and_then(|()| {
                    if lower_prefix {
                        Ok(())
                    } else {
                        Err("prefix part must be lower case".to_string())
                    }
                });
                if let Err(e) = check {
                    o.push(
                        Check::InvalidAnnotation,
                        v.origin,
                        &format!("{at}.annotations"),
                        format!("key {k:?}: {e}"),
                    );
                }
            }
            if total > MAX_ANNOTATIONS_BYTES {
                o.push(
                    Check::InvalidAnnotation,
                    ann.origin,
                    &format!("{at}.annotations"),
                    format!("annotations take {total} bytes, more than the limit of {MAX_ANNOTATIONS_BYTES} (256 KiB)"),
                );
            }
        }
    }
}

/// Rules on built-in kinds: selectors, pod specs, Services.
pub fn builtin(res: &Resource, ctx: &FieldCtx, out: &mut Vec<Problem>) {
    let mut o = Out { out };
    let gvk = res.gvk();
    if let Some(path) = template_path(&gvk.group, &gvk.kind) {
        let template = if path.is_empty() {
            Some(&res.node)
        } else {
            res.node.get_path(path)
        };
        let prefix = path.join(".");
        if let Some(t) = template {
            if !path.is_empty() {
                if let Some(m) = t.get("metadata") {
                    labels_and_annotations(m, &format!("{prefix}.metadata"), &mut o);
                }
                selector(res, &gvk.group, &gvk.kind, t, &mut o);
            }
            if let Some(spec) = t.get("spec") {
                let at = if prefix.is_empty() {
                    "spec".to_string()
                } else {
                    format!("{prefix}.spec")
                };
                // A StatefulSet's volumeClaimTemplates are volumes of its pods too.
                let claims: Vec<&str> = res
                    .node
                    .get_path(&["spec", "volumeClaimTemplates"])
                    .filter(|_| gvk.group == "apps" && gvk.kind == "StatefulSet")
                    .and_then(Node::as_seq)
                    .into_iter()
                    .flatten()
                    .filter_map(|c| c.get_path(&["metadata", "name"]).and_then(Node::as_str))
                    .collect();
                pod_spec(spec, &at, &claims, ctx, &mut o);
            }
        }
    }
    if gvk.group.is_empty() && gvk.kind == "Service" {
        service(res, &mut o);
    }
    super::combinations::check(res, &gvk.group, &gvk.kind, o.out);
}

/// apps/v1 workloads need a non-empty selector that matches the template's labels.
fn selector(res: &Resource, group: &str, kind: &str, template: &Node, o: &mut Out) {
    let apps = group == "apps"
        && matches!(
            kind,
            "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet"
        );
    let rc = group.is_empty() && kind == "ReplicationController";
    if !apps && !rc {
        return;
    }
    let Some(sel) = res
        .node
        .get_path(&["spec", "selector"])
        .filter(|s| !s.is_null())
    else {
        return; // required: the schema's finding (apps/v1); optional for RCs
    };
    let labels: Vec<(&str, String)> = template
        .get_path(&["metadata", "labels"])
        .map(string_map)
        .unwrap_or_default();
    let empty = if apps {
        sel.get("matchLabels")
            .and_then(Node::as_map)
            .is_none_or(Vec::is_empty)
            && sel
                .get("matchExpressions")
                .and_then(Node::as_seq)
                .is_none_or(Vec::is_empty)
    } else {
        sel.as_map().is_none_or(Vec::is_empty)
    };
    if empty {
        if apps {
            o.push(
                Check::SelectorMismatch,
                sel.origin,
                "spec.selector",
                "empty selector is invalid: it would select every pod",
            );
        }
        return;
    }
    if let Some(Value::Map(m)) = sel.get("matchLabels").map(|n| &n.value) {
        for (k, v) in m {
            if let Err(e) = text::qualified_name(k) {
                o.push(
                    Check::InvalidLabel,
                    v.origin,
                    "spec.selector.matchLabels",
                    format!("key {k:?}: {e}"),
                );
            }
            if let Some(Err(e)) = v.as_str().map(text::label_value) {
                o.push(
                    Check::InvalidLabel,
                    v.origin,
                    &format!("spec.selector.matchLabels.{k}"),
                    format!("value {e}"),
                );
            }
        }
    }
    if !selector_matches(sel, &labels) {
        let origin = template
            .get_path(&["metadata", "labels"])
            .and_then(|l| l.origin)
            .or(sel.origin);
        o.push(
            Check::SelectorMismatch,
            origin,
            "spec.template.metadata.labels",
            "`selector` does not match template `labels`",
        );
    }
}

const CONTAINER_LISTS: [&str; 3] = ["initContainers", "containers", "ephemeralContainers"];

/// Fields of a pod spec the API server requires (`field.Required(path, "")` in
/// `pkg/apis/core/validation`) although the OpenAPI schema leaves them optional, as paths
/// under the pod spec: `[*]` is every item of a list. A field is missing when it is absent,
/// null or the empty string while the object holding it is present.
const REQUIRED_IN_POD_SPEC: &[&str] = &[
    "initContainers[*].image",
    "containers[*].image",
    "ephemeralContainers[*].image",
    "volumes[*].configMap.name",
    "volumes[*].secret.secretName",
    "initContainers[*].envFrom[*].configMapRef.name",
    "initContainers[*].envFrom[*].secretRef.name",
    "containers[*].envFrom[*].configMapRef.name",
    "containers[*].envFrom[*].secretRef.name",
    "ephemeralContainers[*].envFrom[*].configMapRef.name",
    "ephemeralContainers[*].envFrom[*].secretRef.name",
];

/// Reports each field of [`REQUIRED_IN_POD_SPEC`] that `spec` (at `at`) lacks, with the API
/// server's `path: Required value`, at the object that should hold it.
fn required_values(spec: &Node, at: &str, o: &mut Out) {
    fn walk(node: &Node, steps: &[&str], at: String, o: &mut Out) {
        let Some((step, rest)) = steps.split_first() else {
            return;
        };
        // Another type here is the schema check's finding, not a missing field.
        if node.as_map().is_none() {
            return;
        }
        let (key, each) = match step.strip_suffix("[*]") {
            Some(key) => (key, true),
            None => (*step, false),
        };
        let child = node.get(key);
        if rest.is_empty() {
            let missing = child.is_none_or(|c| c.is_null() || c.as_str() == Some(""));
            if missing {
                let origin = child.and_then(|c| c.origin).or(node.origin);
                o.push(
                    Check::RequiredValue,
                    origin,
                    &format!("{at}.{key}"),
                    "Required value",
                );
            }
            return;
        }
        let Some(child) = child.filter(|c| !c.is_null()) else {
            return;
        };
        if each {
            for (i, item) in child.as_seq().into_iter().flatten().enumerate() {
                walk(item, rest, format!("{at}.{key}[{i}]"), o);
            }
        } else if child.as_map().is_some() {
            walk(child, rest, format!("{at}.{key}"), o);
        }
    }
    for path in REQUIRED_IN_POD_SPEC {
        let steps: Vec<&str> = path.split('.').collect();
        walk(spec, &steps, at.to_string(), o);
    }
}

fn pod_spec(spec: &Node, at: &str, claims: &[&str], ctx: &FieldCtx, o: &mut Out) {
    required_values(spec, at, o);
    let volumes = spec
        .get("volumes")
        .and_then(Node::as_seq)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let mut volume_names: HashSet<&str> = HashSet::new();
    for (i, v) in volumes.iter().enumerate() {
        if let Some(n) = v.get("name") {
            if let Some(s) = n.as_str() {
                if let Err(e) = text::dns1123_label(s) {
                    o.push(
                        Check::InvalidName,
                        n.origin,
                        &format!("{at}.volumes[{i}].name"),
                        format!("{s:?} {e}"),
                    );
                }
                if !volume_names.insert(s) {
                    o.push(
                        Check::DuplicateName,
                        n.origin,
                        &format!("{at}.volumes[{i}].name"),
                        format!("duplicate volume name {s:?}"),
                    );
                }
            }
        }
    }
    // Mounts may also name a StatefulSet's claim templates.
    let mut mountable = volume_names.clone();
    mountable.extend(claims.iter().copied());
    let volume_names = mountable;
    let mut container_names = HashSet::new();
    for list in CONTAINER_LISTS {
        let Some(items) = spec.get(list).and_then(Node::as_seq) else {
            continue;
        };
        for (i, c) in items.iter().enumerate() {
            let cat = format!("{at}.{list}[{i}]");
            if let Some(n) = c.get("name") {
                if let Some(s) = n.as_str() {
                    if let Err(e) = text::dns1123_label(s) {
                        o.push(
                            Check::InvalidName,
                            n.origin,
                            &format!("{cat}.name"),
                            format!("{s:?} {e}"),
                        );
                    }
                    if !container_names.insert(s) {
                        o.push(Check::DuplicateName, n.origin, &format!("{cat}.name"), format!("duplicate container name {s:?} (names are unique across init, regular and ephemeral containers)"));
                    }
                }
            }
            container(
                c,
                &cat,
                &volume_names,
                ctx,
                list == "ephemeralContainers",
                o,
            );
        }
    }
}

fn port_number(n: &Node, path: &str, allow_zero: bool, o: &mut Out) {
    if let Some(p) = int_of(n) {
        if !((1..=65535).contains(&p) || (allow_zero && p == 0)) {
            o.push(
                Check::InvalidPort,
                n.origin,
                path,
                format!("{p} must be between 1 and 65535, inclusive"),
            );
        }
    }
}

/// An int-or-string port: a number in range or an IANA service name.
fn port_ref(n: &Node, path: &str, o: &mut Out) {
    match &n.value {
        Value::Str(s) => {
            if let Err(e) = text::port_name(s) {
                o.push(
                    Check::InvalidPort,
                    n.origin,
                    path,
                    format!("{s:?} {e} (a port number or an IANA service name)"),
                );
            }
        }
        _ => port_number(n, path, false, o),
    }
}

pub(super) fn int_of(n: &Node) -> Option<i64> {
    match n.value {
        Value::Int(i) => Some(i),
        Value::UInt(u) => Some(i64::try_from(u).unwrap_or(i64::MAX)),
        Value::Float(f) if f.fract() == 0.0 && f.is_finite() => Some(f as i64),
        _ => None,
    }
}

fn container(
    c: &Node,
    at: &str,
    volumes: &HashSet<&str>,
    ctx: &FieldCtx,
    ephemeral: bool,
    o: &mut Out,
) {
    let mut port_names = HashSet::new();
    for (i, p) in c
        .get("ports")
        .and_then(Node::as_seq)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let pat = format!("{at}.ports[{i}]");
        if let Some(n) = p.get("containerPort") {
            port_number(n, &format!("{pat}.containerPort"), false, o);
        }
        if let Some(n) = p.get("hostPort") {
            port_number(n, &format!("{pat}.hostPort"), true, o);
        }
        if let Some(n) = p.get("name") {
            if let Some(s) = n.as_str() {
                if let Err(e) = text::port_name(s) {
                    o.push(
                        Check::InvalidPort,
                        n.origin,
                        &format!("{pat}.name"),
                        format!("{s:?} {e}"),
                    );
                }
                if !port_names.insert(s) {
                    o.push(
                        Check::DuplicateName,
                        n.origin,
                        &format!("{pat}.name"),
                        format!("duplicate port name {s:?}"),
                    );
                }
            }
        }
    }
    for (i, e) in c
        .get("env")
        .and_then(Node::as_seq)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(n) = e.get("name") {
            if let Some(s) = n.as_str() {
                if let Err(err) = text::env_var_name(s, ctx.minor >= 32) {
                    o.push(
                        Check::InvalidEnvName,
                        n.origin,
                        &format!("{at}.env[{i}].name"),
                        format!("{s:?} {err}"),
                    );
                }
            }
        }
    }
    let mut mount_paths = HashSet::new();
    for (list, what) in [
        ("volumeMounts", "mountPath"),
        ("volumeDevices", "devicePath"),
    ] {
        for (i, m) in c
            .get(list)
            .and_then(Node::as_seq)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(n) = m.get("name") {
                if let Some(s) = n.as_str() {
                    if !volumes.contains(s) {
                        let hint = text::closest(s, volumes.iter().copied())
                            .map(|v| format!(" (did you mean {v:?}?)"))
                            .unwrap_or_default();
                        o.push(
                            Check::UnknownVolume,
                            n.origin,
                            &format!("{at}.{list}[{i}].name"),
                            format!("no volume named {s:?} in the pod's volumes{hint}"),
                        );
                    }
                }
            }
            if let Some(p) = m.get(what) {
                if let Some(s) = p.as_str() {
                    if !mount_paths.insert(s.to_string()) {
                        o.push(
                            Check::DuplicateName,
                            p.origin,
                            &format!("{at}.{list}[{i}].{what}"),
                            format!("{s:?} is used by another mount of this container"),
                        );
                    }
                }
            }
        }
    }
    resources(c, at, o);
    if !ephemeral {
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            if let Some(p) = c.get(probe).filter(|p| p.as_map().is_some()) {
                handler(
                    p,
                    &format!("{at}.{probe}"),
                    &["exec", "httpGet", "tcpSocket", "grpc"],
                    o,
                );
            }
        }
        for hook in ["postStart", "preStop"] {
            if let Some(h) = c
                .get_path(&["lifecycle", hook])
                .filter(|p| p.as_map().is_some())
            {
                handler(
                    h,
                    &format!("{at}.lifecycle.{hook}"),
                    &["exec", "httpGet", "tcpSocket", "sleep"],
                    o,
                );
            }
        }
    }
}

fn handler(p: &Node, at: &str, kinds: &[&str], o: &mut Out) {
    let set: Vec<&str> = kinds
        .iter()
        .copied()
        .filter(|k| p.get(k).is_some_and(|n| !n.is_null()))
        .collect();
    match set.len() {
        0 => o.push(
            Check::ProbeHandler,
            p.origin,
            at,
            format!("must specify a handler type: one of {}", kinds.join(", ")),
        ),
        1 => {
            for k in ["httpGet", "tcpSocket"] {
                if let Some(port) = p.get(k).and_then(|h| h.get("port")) {
                    port_ref(port, &format!("{at}.{k}.port"), o);
                }
            }
            if let Some(port) = p.get("grpc").and_then(|h| h.get("port")) {
                port_number(port, &format!("{at}.grpc.port"), false, o);
            }
        }
        _ => {
            let second = p.get(set[1]).and_then(|n| n.origin).or(p.origin);
            o.push(
                Check::ProbeHandler,
                second,
                at,
                format!(
                    "may not specify more than one handler type (found {})",
                    set.join(", ")
                ),
            );
        }
    }
}

fn resources(c: &Node, at: &str, o: &mut Out) {
    let Some(r) = c.get("resources") else {
        return;
    };
    let section = |name: &str| -> Vec<(&str, &Node, Option<f64>)> {
        match r.get(name).map(|n| &n.value) {
            Some(Value::Map(m)) => m
                .iter()
                .map(|(k, v)| {
                    let q = match &v.value {
                        Value::Int(i) => Some(*i as f64),
                        Value::UInt(u) => Some(*u as f64),
                        Value::Float(f) if f.is_finite() => Some(*f),
                        Value::Str(s) => crate::schema::quantity::parse(s),
                        _ => None,
                    };
                    (k.as_str(), v, q)
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    let requests = section("requests");
    let limits = section("limits");
    for (sec, list) in [("requests", &requests), ("limits", &limits)] {
        for (k, v, q) in list.iter() {
            if q.is_some_and(|q| q < 0.0) {
                o.push(
                    Check::RequestExceedsLimit,
                    v.origin,
                    &format!("{at}.resources.{sec}.{k}"),
                    "must be greater than or equal to 0",
                );
            }
        }
    }
    for (k, v, q) in &requests {
        let Some(q) = q else { continue };
        if let Some((_, lv, Some(l))) = limits.iter().find(|(lk, _, _)| lk == k) {
            if q > l {
                o.push(
                    Check::RequestExceedsLimit,
                    v.origin,
                    &format!("{at}.resources.requests.{k}"),
                    format!(
                        "request {} must be less than or equal to the limit {}",
                        text::preview(v),
                        text::preview(lv)
                    ),
                );
            }
        }
    }
}

fn service(res: &Resource, o: &mut Out) {
    let Some(ports) = res.node.get_path(&["spec", "ports"]).and_then(Node::as_seq) else {
        return;
    };
    let mut names = HashSet::new();
    for (i, p) in ports.iter().enumerate() {
        let at = format!("spec.ports[{i}]");
        if let Some(n) = p.get("port") {
            port_number(n, &format!("{at}.port"), false, o);
        }
        if let Some(n) = p.get("targetPort") {
            match n.value {
                // 0 means "same as port" when written as a number by tools; the API server
                // defaults an absent targetPort, and rejects 0 only if explicitly invalid.
                Value::Int(0) => {}
                _ => port_ref(n, &format!("{at}.targetPort"), o),
            }
        }
        match p.get("name").and_then(Node::as_str) {
            Some(s) => {
                if let Err(e) = text::dns1123_label(s) {
                    o.push(
                        Check::InvalidPort,
                        p.get("name").and_then(|n| n.origin),
                        &format!("{at}.name"),
                        format!("{s:?} {e}"),
                    );
                }
                if !names.insert(s) {
                    o.push(
                        Check::DuplicateName,
                        p.get("name").and_then(|n| n.origin),
                        &format!("{at}.name"),
                        format!("duplicate port name {s:?}"),
                    );
                }
            }
            None if ports.len() > 1 => {
                o.push(
                    Check::InvalidPort,
                    p.origin,
                    &format!("{at}.name"),
                    "a Service with several ports must name each of them",
                );
            }
            None => {}
        }
    }
}

/// Across one input: a Service's named targetPort must name a container port of the pods it
/// selects, when its selector matches workloads of the input (in its namespace). Workloads
/// are indexed by (namespace, label, value), so this stays linear in the input.
pub fn target_ports(resources: &[Resource], out: &mut Vec<(usize, Problem)>) {
    use crate::lint::workload::Object;
    use std::collections::HashMap;
    let named = |r: &Resource| {
        r.node
            .get_path(&["spec", "ports"])
            .and_then(Node::as_seq)
            .is_some_and(|ps| {
                ps.iter()
                    .any(|p| p.get("targetPort").and_then(Node::as_str).is_some())
            })
    };
    let services: Vec<usize> = resources
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind() == "Service" && r.gvk().group.is_empty() && named(r))
        .map(|(i, _)| i)
        .collect();
    if services.is_empty() {
        return;
    }
    let workloads: Vec<(Object, Vec<(&str, String)>)> = resources
        .iter()
        .map(Object::new)
        .filter(Object::is_workload)
        .map(|o| {
            let labels = o.pod_labels();
            (o, labels)
        })
        .collect();
    let mut index: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
    for (w, (obj, labels)) in workloads.iter().enumerate() {
        for (k, v) in labels {
            index
                .entry((obj.namespace, k, v.as_str()))
                .or_default()
                .push(w);
        }
    }
    for i in services {
        let svc = &resources[i];
        let Some(selector) = svc
            .node
            .get_path(&["spec", "selector"])
            .filter(|s| s.as_map().is_some_and(|m| !m.is_empty()))
        else {
            continue;
        };
        let pairs = string_map(selector);
        let Some((k, v)) = pairs.first() else {
            continue;
        };
        let pods: Vec<&Object> = index
            .get(&(svc.namespace(), *k, v.as_str()))
            .into_iter()
            .flatten()
            .map(|&w| &workloads[w])
            .filter(|(_, labels)| selector_matches(selector, labels))
            .map(|(o, _)| o)
            .collect();
        if pods.is_empty() {
            continue;
        }
        let names: HashSet<&str> = pods
            .iter()
            .flat_map(|w| w.containers())
            .flat_map(|c| c.list(&["ports"]))
            .filter_map(|p| p.get("name").and_then(Node::as_str))
            .collect();
        for (j, p) in svc
            .node
            .get_path(&["spec", "ports"])
            .and_then(Node::as_seq)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some(t) = p.get("targetPort") else {
                continue;
            };
            let Some(name) = t.as_str() else { continue };
            if names.contains(name) || text::port_name(name).is_err() {
                continue;
            }
            let hint = text::closest(name, names.iter().copied())
                .map(|n| format!(" (did you mean {n:?}?)"))
                .unwrap_or_default();
            let workloads: Vec<String> = pods
                .iter()
                .map(|w| format!("{}/{}", w.kind, w.name))
                .collect();
            out.push((
                i,
                Problem {
                    check: Check::TargetPort,
                    message: format!(
                        "spec.ports[{j}].targetPort: no container port named {name:?} in the pods it selects ({}){hint}",
                        workloads.join(", ")
                    ),
                    origin: t.origin,
                },
            ));
        }
    }
}
