//! Readiness per kind, as `kubectl rollout status`, Helm's `--wait` and kapp judge it: pure
//! functions over the live object (a JSON document with its `status`), so they are tested on
//! real status bodies without a cluster.
//!
//! | kind | ready when |
//! |---|---|
//! | Deployment | the controller saw this generation, every replica is updated, no old replica is left, the updated ones are available (failed: `Progressing` is `ProgressDeadlineExceeded`) |
//! | StatefulSet | this generation observed; ready replicas = replicas; with a partition, the replicas above it updated; otherwise the current revision is the update revision (`OnDelete`: observed is enough) |
//! | DaemonSet | this generation observed; every scheduled pod updated and available (`OnDelete`: observed is enough) |
//! | Job | condition `Complete` (failed: `Failed`; Kubernetes 1.31+ `SuccessCriteriaMet` / `FailureTarget` count the same) |
//! | Pod | condition `Ready`, or phase `Succeeded` (failed: phase `Failed`) |
//! | PersistentVolumeClaim | phase `Bound` (failed: `Lost`) |
//! | Service | type `LoadBalancer`: an ingress address is assigned (other types, or `externalIPs` set: at once) |
//! | CustomResourceDefinition | condition `Established` (failed: `NamesAccepted` is `False`) |
//! | APIService | condition `Available` |
//! | anything else | as soon as it is applied |

use serde_json::Value;

/// What the wait sees in one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    /// Not yet: why, for the progress line.
    Pending(String),
    /// It will not get ready without a change: why.
    Failed(String),
}

impl Readiness {
    pub fn is_ready(&self) -> bool {
        matches!(self, Readiness::Ready)
    }
}

fn int(v: &Value, path: &[&str]) -> Option<i64> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_i64()
}

fn text<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

/// The condition of this type, if the status lists it.
pub fn condition<'a>(obj: &'a Value, kind: &str) -> Option<&'a Value> {
    obj.get("status")?
        .get("conditions")?
        .as_array()?
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(kind))
}

fn condition_is(obj: &Value, kind: &str, status: &str) -> bool {
    condition(obj, kind).and_then(|c| c.get("status")?.as_str()) == Some(status)
}

fn condition_text(obj: &Value, kind: &str) -> String {
    match condition(obj, kind) {
        Some(c) => {
            let reason = c.get("reason").and_then(Value::as_str).unwrap_or("");
            let message = c.get("message").and_then(Value::as_str).unwrap_or("");
            match (reason.is_empty(), message.is_empty()) {
                (false, false) => format!("{reason}: {message}"),
                (false, true) => reason.to_string(),
                (true, false) => message.to_string(),
                (true, true) => kind.to_string(),
            }
        }
        None => kind.to_string(),
    }
}

/// `Some(pending)` while the controller has not observed the object's current generation.
fn unobserved(obj: &Value) -> Option<Readiness> {
    let generation = int(obj, &["metadata", "generation"]).unwrap_or(0);
    match int(obj, &["status", "observedGeneration"]) {
        Some(observed) if observed >= generation => None,
        Some(observed) => Some(Readiness::Pending(format!(
            "the controller has seen generation {observed}, not {generation} yet"
        ))),
        None => Some(Readiness::Pending(format!(
            "waiting for the controller to observe generation {generation}"
        ))),
    }
}

/// Readiness of a live object (see the module documentation for the rules per kind).
pub fn readiness(obj: &Value) -> Readiness {
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let group = obj
        .get("apiVersion")
        .and_then(Value::as_str)
        .and_then(|v| v.rsplit_once('/').map(|(g, _)| g))
        .unwrap_or("");
    match (group, kind) {
        ("apps" | "extensions", "Deployment") => deployment(obj),
        ("apps", "StatefulSet") => stateful_set(obj),
        ("apps" | "extensions", "DaemonSet") => daemon_set(obj),
        ("batch", "Job") => job(obj),
        ("", "Pod") => pod(obj),
        ("", "PersistentVolumeClaim") => pvc(obj),
        ("", "Service") => service(obj),
        ("apiextensions.k8s.io", "CustomResourceDefinition") => crd(obj),
        ("apiregistration.k8s.io", "APIService") => {
            if condition_is(obj, "Available", "True") {
                Readiness::Ready
            } else {
                Readiness::Pending(format!(
                    "not available: {}",
                    condition_text(obj, "Available")
                ))
            }
        }
        _ => Readiness::Ready,
    }
}

fn deployment(obj: &Value) -> Readiness {
    if condition(obj, "Progressing").and_then(|c| c.get("reason")?.as_str())
        == Some("ProgressDeadlineExceeded")
    {
        return Readiness::Failed(format!(
            "rollout exceeded its progress deadline ({})",
            condition_text(obj, "Progressing")
        ));
    }
    if let Some(p) = unobserved(obj) {
        return p;
    }
    let want = int(obj, &["spec", "replicas"]).unwrap_or(1);
    let updated = int(obj, &["status", "updatedReplicas"]).unwrap_or(0);
    let replicas = int(obj, &["status", "replicas"]).unwrap_or(0);
    let available = int(obj, &["status", "availableReplicas"]).unwrap_or(0);
    if updated < want {
        return Readiness::Pending(format!("{updated} of {want} replicas updated"));
    }
    if replicas > updated {
        return Readiness::Pending(format!(
            "{} old replicas are pending termination",
            replicas - updated
        ));
    }
    if available < updated {
        return Readiness::Pending(format!(
            "{available} of {updated} updated replicas available"
        ));
    }
    Readiness::Ready
}

fn stateful_set(obj: &Value) -> Readiness {
    if let Some(p) = unobserved(obj) {
        return p;
    }
    if text(obj, &["spec", "updateStrategy", "type"]) == Some("OnDelete") {
        return Readiness::Ready;
    }
    let want = int(obj, &["spec", "replicas"]).unwrap_or(1);
    let ready = int(obj, &["status", "readyReplicas"]).unwrap_or(0);
    if ready < want {
        return Readiness::Pending(format!("{ready} of {want} replicas ready"));
    }
    if let Some(partition) = int(
        obj,
        &["spec", "updateStrategy", "rollingUpdate", "partition"],
    ) {
        let updated = int(obj, &["status", "updatedReplicas"]).unwrap_or(0);
        let needed = (want - partition).max(0);
        if updated < needed {
            return Readiness::Pending(format!(
                "{updated} of {needed} replicas updated (partition {partition})"
            ));
        }
        return Readiness::Ready;
    }
    let current = text(obj, &["status", "currentRevision"]);
    let update = text(obj, &["status", "updateRevision"]);
    if current != update {
        let updated = int(obj, &["status", "updatedReplicas"]).unwrap_or(0);
        return Readiness::Pending(format!(
            "rolling update: {updated} of {want} replicas at revision {}",
            update.unwrap_or("?")
        ));
    }
    Readiness::Ready
}

fn daemon_set(obj: &Value) -> Readiness {
    if let Some(p) = unobserved(obj) {
        return p;
    }
    if text(obj, &["spec", "updateStrategy", "type"]) == Some("OnDelete") {
        return Readiness::Ready;
    }
    let desired = int(obj, &["status", "desiredNumberScheduled"]).unwrap_or(0);
    let updated = int(obj, &["status", "updatedNumberScheduled"]).unwrap_or(0);
    let available = int(obj, &["status", "numberAvailable"]).unwrap_or(0);
    if updated < desired {
        return Readiness::Pending(format!("{updated} of {desired} pods updated"));
    }
    if available < desired {
        return Readiness::Pending(format!("{available} of {desired} pods available"));
    }
    Readiness::Ready
}

fn job(obj: &Value) -> Readiness {
    if condition_is(obj, "Failed", "True") {
        return Readiness::Failed(format!("job failed: {}", condition_text(obj, "Failed")));
    }
    if condition_is(obj, "FailureTarget", "True") {
        return Readiness::Failed(format!(
            "job is failing: {}",
            condition_text(obj, "FailureTarget")
        ));
    }
    if condition_is(obj, "Complete", "True") || condition_is(obj, "SuccessCriteriaMet", "True") {
        return Readiness::Ready;
    }
    let active = int(obj, &["status", "active"]).unwrap_or(0);
    let succeeded = int(obj, &["status", "succeeded"]).unwrap_or(0);
    let completions = int(obj, &["spec", "completions"]).unwrap_or(1);
    Readiness::Pending(format!(
        "{succeeded} of {completions} completions, {active} active"
    ))
}

fn pod(obj: &Value) -> Readiness {
    match text(obj, &["status", "phase"]) {
        Some("Succeeded") => return Readiness::Ready,
        Some("Failed") => {
            let reason = text(obj, &["status", "reason"])
                .or(text(obj, &["status", "message"]))
                .unwrap_or("");
            return Readiness::Failed(format!("pod failed {reason}").trim_end().to_string());
        }
        _ => {}
    }
    if condition_is(obj, "Ready", "True") {
        return Readiness::Ready;
    }
    let phase = text(obj, &["status", "phase"]).unwrap_or("not scheduled");
    Readiness::Pending(format!("pod {phase}, not ready"))
}

fn pvc(obj: &Value) -> Readiness {
    match text(obj, &["status", "phase"]) {
        Some("Bound") => Readiness::Ready,
        Some("Lost") => Readiness::Failed("claim lost its volume".to_string()),
        phase => Readiness::Pending(format!("claim {}", phase.unwrap_or("Pending"))),
    }
}

fn service(obj: &Value) -> Readiness {
    if text(obj, &["spec", "type"]) != Some("LoadBalancer") {
        return Readiness::Ready;
    }
    let external = obj
        .get("spec")
        .and_then(|s| s.get("externalIPs"))
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    let ingress = obj
        .get("status")
        .and_then(|s| s.get("loadBalancer"))
        .and_then(|l| l.get("ingress"))
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    if external || ingress {
        Readiness::Ready
    } else {
        Readiness::Pending("no load balancer address assigned".to_string())
    }
}

fn crd(obj: &Value) -> Readiness {
    if condition_is(obj, "NamesAccepted", "False") {
        return Readiness::Failed(format!(
            "names not accepted: {}",
            condition_text(obj, "NamesAccepted")
        ));
    }
    if condition_is(obj, "Established", "True") {
        Readiness::Ready
    } else {
        Readiness::Pending("not established".to_string())
    }
}

/// The object's conditions as `Type=Status reason: message` lines (for a failed wait).
pub fn condition_lines(obj: &Value) -> Vec<String> {
    let Some(list) = obj
        .get("status")
        .and_then(|s| s.get("conditions"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    list.iter()
        .map(|c| {
            let field = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("");
            let mut line = format!("{}={}", field("type"), field("status"));
            if !field("reason").is_empty() {
                line.push(' ');
                line.push_str(field("reason"));
            }
            if !field("message").is_empty() {
                line.push_str(": ");
                line.push_str(field("message"));
            }
            line
        })
        .collect()
}
