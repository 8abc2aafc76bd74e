//! Per-container rules: images, resources, probes, environment, ports.

use std::collections::HashSet;

use super::hit;
use crate::lint::workload::{self, Container, ContainerKind, Object};
use crate::lint::{Ctx, Hit};
use crate::model::{Node, Value};

pub fn image_tag(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for c in obj.containers() {
        let image = c.image();
        let tag = image_tag_of(image);
        if tag.is_empty() || tag == "latest" {
            let what = if tag.is_empty() {
                "no tag"
            } else {
                "the `latest` tag"
            };
            hit(
                out,
                c.origin_of(&["image"]),
                format!("container `{}` uses image `{image}` with {what}", c.name()),
            );
        }
    }
}

fn image_tag_of(image: &str) -> &str {
    workload::image_tag(image)
}

pub fn image_pull_policy(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for c in obj.containers() {
        let tag = image_tag_of(c.image());
        let policy = c.node.get_str("imagePullPolicy").unwrap_or("");
        // Unset with latest/no tag defaults to Always.
        if policy.is_empty() && (tag.is_empty() || tag == "latest") {
            continue;
        }
        if policy != "Always" {
            let shown = if policy.is_empty() { "unset" } else { policy };
            hit(
                out,
                c.origin_of(&["imagePullPolicy"]),
                format!(
                    "container `{}` has imagePullPolicy {shown}, not Always",
                    c.name()
                ),
            );
        }
    }
}

/// Flags containers whose `resources.<section>.<name>` is missing or zero.
fn require_quantity(obj: &Object, out: &mut Vec<Hit>, section: &str, name: &str) {
    for c in obj.containers() {
        if c.kind == ContainerKind::Ephemeral {
            continue;
        }
        match c.quantity(section, name) {
            Some((q, _)) if q != 0.0 => {}
            Some((_, node)) => hit(
                out,
                node.origin,
                format!("container `{}` has {section}.{name} set to zero", c.name()),
            ),
            None => hit(
                out,
                c.origin_of(&["resources", section]),
                format!(
                    "container `{}` does not set resources.{section}.{name}",
                    c.name()
                ),
            ),
        }
    }
}

pub fn cpu_request(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    require_quantity(obj, out, "requests", "cpu");
}

pub fn memory_request(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    require_quantity(obj, out, "requests", "memory");
}

pub fn cpu_limit(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    require_quantity(obj, out, "limits", "cpu");
}

pub fn memory_limit(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    require_quantity(obj, out, "limits", "memory");
}

pub fn ephemeral_storage(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    require_quantity(obj, out, "requests", "ephemeral-storage");
    require_quantity(obj, out, "limits", "ephemeral-storage");
}

/// The quantity or zero when unset (as Kubernetes' `Quantity.Equal` sees an absent one).
fn quantity_or_zero(c: &Container, section: &str, name: &str) -> f64 {
    c.quantity(section, name).map_or(0.0, |(q, _)| q)
}

pub fn requests_equal_limits(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for c in obj.containers() {
        if c.kind == ContainerKind::Ephemeral {
            continue;
        }
        for name in ["cpu", "memory"] {
            let req = quantity_or_zero(&c, "requests", name);
            let lim = quantity_or_zero(&c, "limits", name);
            if req != lim {
                hit(
                    out,
                    c.origin_of(&["resources", "requests", name]),
                    format!(
                        "container `{}` has a {name} request different from its limit",
                        c.name()
                    ),
                );
            }
        }
    }
}

pub fn ephemeral_storage_equal(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for c in obj.containers() {
        let (Some((req, node)), Some((lim, _))) = (
            c.quantity("requests", "ephemeral-storage"),
            c.quantity("limits", "ephemeral-storage"),
        ) else {
            continue;
        };
        if req != 0.0 && lim != 0.0 && req != lim {
            hit(
                out,
                node.origin,
                format!(
                    "container `{}` has an ephemeral-storage request different from its limit",
                    c.name()
                ),
            );
        }
    }
}

fn require_probe(obj: &Object, out: &mut Vec<Hit>, probe: &str) {
    if obj.is_job_like() {
        return;
    }
    for c in obj.containers() {
        if c.kind == ContainerKind::Regular && c.get(&[probe]).is_none() {
            hit(
                out,
                c.origin(),
                format!("container `{}` does not specify a {probe}", c.name()),
            );
        }
    }
}

pub fn readiness_probe(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    require_probe(obj, out, "readinessProbe");
}

pub fn liveness_probe(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    require_probe(obj, out, "livenessProbe");
}

/// kube-score's notion of identical probes: same HTTP path and port, same TCP port, or the
/// same exec command.
fn probes_identical(r: &Node, l: &Node) -> bool {
    let text = |n: &Node, p: &[&str]| n.get_path(p).and_then(Node::scalar_text);
    if r.get("httpGet").is_some() && l.get("httpGet").is_some() {
        return text(r, &["httpGet", "path"]) == text(l, &["httpGet", "path"])
            && text(r, &["httpGet", "port"]) == text(l, &["httpGet", "port"]);
    }
    if r.get("tcpSocket").is_some() && l.get("tcpSocket").is_some() {
        return text(r, &["tcpSocket", "port"]) == text(l, &["tcpSocket", "port"]);
    }
    if let (Some(a), Some(b)) = (
        r.get_path(&["exec", "command"]),
        l.get_path(&["exec", "command"]),
    ) {
        return a.same_value(b);
    }
    false
}

pub fn identical_probes(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    if obj.is_job_like() {
        return;
    }
    for c in obj.containers() {
        if let (Some(r), Some(l)) = (c.get(&["readinessProbe"]), c.get(&["livenessProbe"])) {
            if probes_identical(r, l) {
                hit(
                    out,
                    l.origin.or(c.origin()),
                    format!(
                        "container `{}` uses the same probe for liveness and readiness",
                        c.name()
                    ),
                );
            }
        }
    }
}

pub fn duplicate_env(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for c in obj.containers() {
        let mut seen = HashSet::new();
        for env in c.list(&["env"]) {
            let Some(name) = env.get_str("name") else {
                continue;
            };
            if !seen.insert(name) {
                hit(
                    out,
                    env.get("name").and_then(|n| n.origin).or(env.origin),
                    format!(
                        "container `{}` sets environment variable `{name}` more than once",
                        c.name()
                    ),
                );
            }
        }
    }
}

pub fn container_ports(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for c in obj.containers() {
        let mut names = HashSet::new();
        for port in c.list(&["ports"]) {
            let at = port.origin.or(c.origin());
            if let Some(name) = port.get_str("name") {
                if !names.insert(name) {
                    hit(
                        out,
                        at,
                        format!("container `{}` has two ports named `{name}`", c.name()),
                    );
                }
                if name.len() > 15 {
                    hit(
                        out,
                        at,
                        format!(
                            "container `{}` has port name `{name}` longer than 15 characters",
                            c.name()
                        ),
                    );
                }
            }
            let number = port
                .get("containerPort")
                .and_then(crate::lint::workload::as_int)
                .unwrap_or(0);
            if number == 0 {
                hit(
                    out,
                    at,
                    format!("container `{}` has a port without containerPort", c.name()),
                );
            }
        }
    }
}

/// kube-linter's `liveness-port` / `readiness-port` / `startup-port`: a probe of a regular
/// container whose `httpGet`, `tcpSocket` or `grpc` port is not among the container's TCP
/// ports (a number compares with `containerPort`, a name with `name`).
fn probe_port(obj: &Object, out: &mut Vec<Hit>, probe: &str) {
    for c in obj.containers() {
        if c.kind != ContainerKind::Regular {
            continue;
        }
        let Some(p) = c.get(&[probe]) else { continue };
        let tcp_ports: Vec<&Node> = c
            .list(&["ports"])
            .iter()
            .filter(|port| {
                port.get_str("protocol")
                    .is_none_or(|proto| proto.is_empty() || proto == "TCP")
            })
            .collect();
        let exposed = |port: &Node| match &port.value {
            Value::Str(name) => tcp_ports
                .iter()
                .any(|tp| tp.get_str("name").unwrap_or("") == name),
            _ => workload::as_int(port).is_some_and(|n| {
                tcp_ports
                    .iter()
                    .any(|tp| tp.get("containerPort").and_then(workload::as_int) == Some(n))
            }),
        };
        for (handler, what) in [
            ("httpGet", "httpGet"),
            ("tcpSocket", "tcpSocket"),
            ("grpc", "gRPC check"),
        ] {
            let Some(port) = p.get(handler).and_then(|h| h.get("port")) else {
                continue;
            };
            if !exposed(port) {
                hit(
                    out,
                    port.origin,
                    format!(
                        "container `{}` does not expose port {} used by the {what} of its {probe}",
                        c.name(),
                        port.scalar_text().unwrap_or_default()
                    ),
                );
            }
        }
    }
}

pub fn liveness_probe_port(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    probe_port(obj, out, "livenessProbe");
}

pub fn readiness_probe_port(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    probe_port(obj, out, "readinessProbe");
}

pub fn startup_probe_port(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    probe_port(obj, out, "startupProbe");
}
