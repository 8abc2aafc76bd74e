//! Pod and container security: privileges, users, capabilities, host namespaces and paths,
//! seccomp, service accounts, secrets in the environment, ports.

use super::hit;
use crate::lint::workload::{as_int, is_true, Container, ContainerKind, Object};
use crate::lint::{Ctx, Hit};
use crate::model::Node;
use crate::source::Origin;

pub fn privileged(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for c in obj.containers() {
        if is_true(c.security("privileged")) {
            hit(
                out,
                c.origin_of(&["securityContext", "privileged"]),
                format!("container `{}` is privileged", c.name()),
            );
        }
    }
}

fn capabilities<'a>(c: &Container<'a>, list: &str) -> Vec<&'a Node> {
    c.list(&["securityContext", "capabilities", list])
        .iter()
        .collect()
}

fn cap_name(n: &Node) -> String {
    n.scalar_text()
        .unwrap_or_default()
        .trim_start_matches("CAP_")
        .to_ascii_uppercase()
}

pub fn privilege_escalation(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for c in obj.containers() {
        let reason = if is_true(c.security("allowPrivilegeEscalation")) {
            Some((
                c.origin_of(&["securityContext", "allowPrivilegeEscalation"]),
                "sets allowPrivilegeEscalation to true",
            ))
        } else if is_true(c.security("privileged")) {
            Some((
                c.origin_of(&["securityContext", "privileged"]),
                "is privileged, which allows privilege escalation",
            ))
        } else {
            capabilities(&c, "add")
                .into_iter()
                .find(|n| cap_name(n) == "SYS_ADMIN")
                .map(|n| {
                    (
                        n.origin,
                        "adds SYS_ADMIN, which allows privilege escalation",
                    )
                })
        };
        if let Some((origin, why)) = reason {
            hit(out, origin, format!("container `{}` {why}", c.name()));
        }
    }
}

/// A security context field as the container sees it: its own, else the pod's.
fn effective<'a>(obj: &Object<'a>, c: &Container<'a>, field: &str) -> Option<&'a Node> {
    c.security(field).filter(|n| !n.is_null()).or_else(|| {
        obj.pod_spec()
            .and_then(|s| s.get_path(&["securityContext", field]))
            .filter(|n| !n.is_null())
    })
}

pub fn run_as_root(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for c in obj.containers() {
        let group = effective(obj, &c, "runAsGroup");
        if let Some(g) = group.filter(|g| as_int(g) == Some(0)) {
            hit(
                out,
                g.origin,
                format!("container `{}` runs with runAsGroup 0 (root)", c.name()),
            );
        }
        let user = effective(obj, &c, "runAsUser");
        if user.and_then(as_int).is_some_and(|u| u > 0) {
            continue;
        }
        if is_true(effective(obj, &c, "runAsNonRoot")) {
            if let Some(u) = user.filter(|u| as_int(u) == Some(0)) {
                hit(
                    out,
                    u.origin,
                    format!(
                        "container `{}` sets runAsNonRoot but runAsUser 0 (root)",
                        c.name()
                    ),
                );
            }
            continue;
        }
        let at = user.and_then(|u| u.origin).or(c.origin());
        hit(
            out,
            at,
            format!(
                "container `{}` may run as root: set runAsNonRoot: true or a non-zero runAsUser",
                c.name()
            ),
        );
    }
}

pub fn low_user_group_id(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let pod_sc = obj.pod_spec().and_then(|s| s.get("securityContext"));
    for c in obj.containers() {
        if c.kind == ContainerKind::Ephemeral {
            continue;
        }
        if c.get(&["securityContext"]).is_none() && pod_sc.is_none() {
            hit(
                out,
                c.origin(),
                format!("container `{}` has no security context", c.name()),
            );
            continue;
        }
        for field in ["runAsUser", "runAsGroup"] {
            let value = effective(obj, &c, field);
            if value.and_then(as_int).is_none_or(|v| v < 10000) {
                hit(
                    out,
                    value.and_then(|v| v.origin).or(c.origin()),
                    format!("container `{}` has {field} unset or below 10000", c.name()),
                );
            }
        }
    }
}

pub fn read_only_root_fs(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for c in obj.containers() {
        if c.kind == ContainerKind::Ephemeral {
            continue;
        }
        if !is_true(c.security("readOnlyRootFilesystem")) {
            hit(
                out,
                c.origin_of(&["securityContext", "readOnlyRootFilesystem"]),
                format!(
                    "container `{}` does not have a read-only root filesystem",
                    c.name()
                ),
            );
        }
    }
}

pub fn net_raw_not_dropped(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for c in obj.containers() {
        if c.get(&["securityContext", "capabilities"])
            .is_none_or(Node::is_null)
        {
            continue;
        }
        for added in capabilities(&c, "add") {
            let name = cap_name(added);
            if name == "NET_RAW" || name == "ALL" {
                hit(
                    out,
                    added.origin,
                    format!("container `{}` adds the {name} capability", c.name()),
                );
            }
        }
        let dropped = capabilities(&c, "drop")
            .into_iter()
            .any(|n| matches!(cap_name(n).as_str(), "NET_RAW" | "ALL"));
        if !dropped {
            hit(
                out,
                c.origin_of(&["securityContext", "capabilities"]),
                format!("container `{}` does not drop NET_RAW (or ALL)", c.name()),
            );
        }
    }
}

pub fn drop_all_missing(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for c in obj.containers() {
        let dropped = capabilities(&c, "drop")
            .into_iter()
            .any(|n| cap_name(n) == "ALL");
        if !dropped {
            hit(
                out,
                c.origin_of(&["securityContext", "capabilities"]),
                format!("container `{}` does not drop ALL capabilities", c.name()),
            );
        }
    }
}

/// Capabilities the Pod Security Standards' baseline profile allows to add.
const BASELINE_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

pub fn dangerous_capabilities(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for c in obj.containers() {
        for added in capabilities(&c, "add") {
            let name = cap_name(added);
            if !BASELINE_CAPABILITIES.contains(&name.as_str()) {
                hit(
                    out,
                    added.origin,
                    format!("container `{}` adds the {name} capability", c.name()),
                );
            }
        }
    }
}

fn pod_flag(obj: &Object, out: &mut Vec<Hit>, field: &str, what: &str) {
    if let Some(n) = obj.pod_spec().and_then(|s| s.get(field)) {
        if is_true(Some(n)) {
            hit(
                out,
                n.origin,
                format!("the pod shares the host's {what} ({field}: true)"),
            );
        }
    }
}

pub fn host_network(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    pod_flag(obj, out, "hostNetwork", "network namespace");
}

pub fn host_pid(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    pod_flag(obj, out, "hostPID", "process ID namespace");
}

pub fn host_ipc(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    pod_flag(obj, out, "hostIPC", "IPC namespace");
}

/// hostPath volumes: (volume name, path, origin of the path).
fn host_paths<'a>(obj: &Object<'a>) -> Vec<(&'a str, &'a str, Option<Origin>)> {
    obj.pod_spec()
        .and_then(|s| s.get("volumes"))
        .and_then(Node::as_seq)
        .into_iter()
        .flatten()
        .filter_map(|v| {
            let path = v.get_path(&["hostPath", "path"])?;
            Some((v.get_str("name")?, path.as_str()?, path.origin.or(v.origin)))
        })
        .collect()
}

/// Containers mounting the volume `name`, with the mount.
fn mounts<'a>(obj: &Object<'a>, name: &str) -> Vec<(Container<'a>, &'a Node)> {
    let mut out = Vec::new();
    for c in obj.containers() {
        for m in c.list(&["volumeMounts"]) {
            if m.get_str("name") == Some(name) {
                out.push((c, m));
            }
        }
    }
    out
}

fn host_path_matching(obj: &Object, out: &mut Vec<Hit>, matches: impl Fn(&str) -> bool) {
    for (volume, path, origin) in host_paths(obj) {
        if !matches(path) {
            continue;
        }
        for (c, _) in mounts(obj, volume) {
            hit(
                out,
                origin,
                format!(
                    "host directory `{path}` (volume `{volume}`) is mounted in container `{}`",
                    c.name()
                ),
            );
        }
    }
}

const SENSITIVE_HOST_DIRS: &[&str] = &[
    "/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr",
];

pub fn sensitive_host_path(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    host_path_matching(obj, out, |p| SENSITIVE_HOST_DIRS.contains(&p));
}

pub fn docker_socket(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    host_path_matching(obj, out, |p| p.ends_with("docker.sock"));
}

pub fn writable_host_path(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for (volume, path, _) in host_paths(obj) {
        for (c, m) in mounts(obj, volume) {
            if !is_true(m.get("readOnly")) {
                hit(
                    out,
                    m.origin.or(c.origin()),
                    format!(
                        "container `{}` mounts host path `{path}` writable",
                        c.name()
                    ),
                );
            }
        }
    }
}

/// (container, port mapping, containerPort, protocol) for each declared port.
fn ports<'a>(obj: &Object<'a>) -> Vec<(Container<'a>, &'a Node, i64, String)> {
    let mut out = Vec::new();
    for c in obj.containers() {
        for p in c.list(&["ports"]) {
            let number = p.get("containerPort").and_then(as_int).unwrap_or(0);
            let protocol = p.get_str("protocol").unwrap_or("TCP").to_string();
            out.push((c, p, number, protocol));
        }
    }
    out
}

pub fn host_port(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for (c, p, _, _) in ports(obj) {
        if let Some(h) = p
            .get("hostPort")
            .filter(|h| as_int(h).is_some_and(|v| v != 0))
        {
            hit(
                out,
                h.origin,
                format!(
                    "container `{}` binds host port {}",
                    c.name(),
                    h.scalar_text().unwrap_or_default()
                ),
            );
        }
    }
}

pub fn ssh_port(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for (c, p, number, protocol) in ports(obj) {
        if number == 22 && protocol == "TCP" {
            hit(
                out,
                p.get("containerPort").and_then(|n| n.origin),
                format!("container `{}` exposes port 22 (SSH)", c.name()),
            );
        }
    }
}

pub fn privileged_port(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for (c, p, number, _) in ports(obj) {
        if number > 0 && number < 1024 {
            hit(
                out,
                p.get("containerPort").and_then(|n| n.origin),
                format!("container `{}` uses privileged port {number}", c.name()),
            );
        }
    }
}

pub fn seccomp_profile(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let annotated = obj
        .template
        .and_then(|t| t.get_path(&["metadata", "annotations"]))
        .and_then(|a| a.get("seccomp.security.alpha.kubernetes.io/defaultProfileName"))
        .is_some();
    if annotated {
        return;
    }
    let unconfined = |n: &Node| n.get_str("type") == Some("Unconfined");
    if let Some(p) = obj
        .pod_spec()
        .and_then(|s| s.get_path(&["securityContext", "seccompProfile"]))
    {
        if unconfined(p) {
            hit(out, p.origin, "the pod's seccomp profile is Unconfined");
        }
        return;
    }
    for c in obj.containers() {
        if c.kind != ContainerKind::Regular {
            continue;
        }
        match c.security("seccompProfile") {
            Some(p) if unconfined(p) => hit(
                out,
                p.origin,
                format!("container `{}` has an Unconfined seccomp profile", c.name()),
            ),
            Some(_) => {}
            None => hit(
                out,
                c.origin(),
                format!(
                    "container `{}` has no seccomp profile (nor has the pod)",
                    c.name()
                ),
            ),
        }
    }
}

pub fn unsafe_proc_mount(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for c in obj.containers() {
        if let Some(n) = c.security("procMount") {
            if n.as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("Unmasked"))
            {
                hit(
                    out,
                    n.origin,
                    format!("container `{}` sets procMount: Unmasked", c.name()),
                );
            }
        }
    }
}

/// Sysctl prefixes that are not namespaced safely (kube-linter's list).
const UNSAFE_SYSCTLS: &[&str] = &[
    "kernel.msg",
    "kernel.sem",
    "kernel.shm",
    "fs.mqueue.",
    "net.",
];

pub fn unsafe_sysctls(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let sysctls = obj
        .pod_spec()
        .and_then(|s| s.get_path(&["securityContext", "sysctls"]))
        .and_then(Node::as_seq);
    for s in sysctls.into_iter().flatten() {
        let name = s.get_str("name").unwrap_or("");
        if UNSAFE_SYSCTLS.iter().any(|p| name.starts_with(p)) {
            hit(
                out,
                s.get("name").and_then(|n| n.origin).or(s.origin),
                format!("the pod sets the unsafe sysctl `{name}`"),
            );
        }
    }
}

pub fn default_service_account(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let Some(spec) = obj.pod_spec() else { return };
    if spec
        .get("automountServiceAccountToken")
        .and_then(crate::lint::workload::as_bool)
        == Some(false)
    {
        return;
    }
    let field = spec
        .get("serviceAccountName")
        .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()))
        .or_else(|| spec.get("serviceAccount"));
    let name = field.and_then(Node::as_str).unwrap_or("");
    if name.is_empty() || name == "default" {
        hit(
            out,
            field.and_then(|f| f.origin).or(obj.origin()),
            "the pod uses the namespace's default service account and mounts its token",
        );
    }
}

pub fn deprecated_service_account_field(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let Some(spec) = obj.pod_spec() else { return };
    let Some(sa) = spec.get("serviceAccount") else {
        return;
    };
    let old = sa.as_str().unwrap_or("");
    let new = spec.get_str("serviceAccountName").unwrap_or("");
    if !old.is_empty() && old != new {
        let msg = if new.is_empty() {
            format!("serviceAccount `{old}` uses a deprecated field; use serviceAccountName")
        } else {
            format!("serviceAccount `{old}` (deprecated) differs from serviceAccountName `{new}`")
        };
        hit(out, sa.origin, msg);
    }
}

pub fn secret_in_env(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for c in obj.containers() {
        for env in c.list(&["env"]) {
            let name = env.get_str("name").unwrap_or("");
            let literal = env
                .get("value")
                .and_then(Node::scalar_text)
                .is_some_and(|v| !v.is_empty());
            if literal && name.to_ascii_lowercase().contains("secret") {
                hit(
                    out,
                    env.get("value").and_then(|n| n.origin).or(env.origin),
                    format!(
                        "container `{}` sets `{name}` to a literal value in its manifest",
                        c.name()
                    ),
                );
            }
        }
    }
}

pub fn secret_from_env(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    for c in obj.containers() {
        for env in c.list(&["env"]) {
            if let Some(r) = env.get_path(&["valueFrom", "secretKeyRef"]) {
                hit(
                    out,
                    r.origin.or(env.origin),
                    format!(
                        "container `{}` reads secret into environment variable `{}`",
                        c.name(),
                        env.get_str("name").unwrap_or("")
                    ),
                );
            }
        }
    }
}

/// kube-linter `scc-deny-privileged-container`: an OpenShift SecurityContextConstraints
/// that admits privileged containers.
pub fn scc_privileged_container(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    if obj.group != "security.openshift.io" {
        return;
    }
    let field = obj.get(&["allowPrivilegedContainer"]);
    if is_true(field) {
        hit(
            out,
            field.and_then(|f| f.origin),
            "the SecurityContextConstraints sets allowPrivilegedContainer: true",
        );
    }
}

/// kube-linter `use-namespace`: a workload or Service without a namespace or in
/// `default` (compared case-insensitively, as kube-linter does).
pub fn default_namespace(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    if !obj.namespace.is_empty() && !obj.namespace.eq_ignore_ascii_case("default") {
        return;
    }
    let field = obj.get(&["metadata", "namespace"]);
    let message = if obj.namespace.is_empty() {
        format!(
            "this {} has no namespace: it lands in the default namespace unless one is given when applied",
            obj.kind
        )
    } else {
        format!("this {} is in the default namespace", obj.kind)
    };
    hit(
        out,
        field
            .and_then(|f| f.origin)
            .or(obj.get(&["metadata"]).and_then(|m| m.origin))
            .or(obj.origin()),
        message,
    );
}
