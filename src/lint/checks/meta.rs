//! Rules on one object's own fields: Service type, PodDisruptionBudget policy, CronJob
//! deadline, deprecated API versions.

use super::hit;
use crate::lint::workload::Object;
use crate::lint::{Ctx, Hit};
use crate::schema::apis::{self, Status};

pub fn service_node_port(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    if let Some(t) = obj.get(&["spec", "type"]) {
        if t.as_str() == Some("NodePort") {
            hit(out, t.origin, "the Service is of type NodePort");
        }
    }
}

pub fn pdb_without_policy(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let spec = obj.get(&["spec"]);
    let has = |f: &str| spec.and_then(|s| s.get(f)).is_some_and(|n| !n.is_null());
    if !has("minAvailable") && !has("maxUnavailable") {
        hit(
            out,
            spec.and_then(|s| s.origin).or(obj.origin()),
            "the PodDisruptionBudget sets neither minAvailable nor maxUnavailable",
        );
    }
}

pub fn cronjob_deadline(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    if obj.group != "batch" {
        return;
    }
    let set = obj
        .get(&["spec", "startingDeadlineSeconds"])
        .is_some_and(|n| !n.is_null());
    if !set {
        hit(
            out,
            obj.get(&["spec"]).and_then(|s| s.origin).or(obj.origin()),
            "the CronJob does not set startingDeadlineSeconds",
        );
    }
}

pub fn deprecated_api(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    api_status(ctx, obj, out, |s| {
        matches!(s, Status::Removed { .. } | Status::NotYet { .. })
    });
}

pub fn deprecated_api_version(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    api_status(ctx, obj, out, |s| matches!(s, Status::Deprecated { .. }));
}

/// Reports the object's apiVersion when its status in the target version is `wanted`
/// (the table and schemas shared with `kit validate`, `crate::schema::apis`).
fn api_status(ctx: &Ctx, obj: &Object, out: &mut Vec<Hit>, wanted: fn(&Status) -> bool) {
    let Some(av) = obj.get(&["apiVersion"]) else {
        return;
    };
    let api_version = av.as_str().unwrap_or("");
    if !apis::worth_checking(api_version, obj.kind) {
        return;
    }
    let status = apis::status(api_version, obj.kind, ctx.kubernetes_version);
    if wanted(&status) {
        if let Some(message) = status.describe(api_version, obj.kind, ctx.kubernetes_version) {
            hit(out, av.origin, message);
        }
    }
}

pub fn selector_mismatch(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let path: &[&str] = if obj.kind == "CronJob" {
        &["spec", "jobTemplate", "spec", "selector"]
    } else {
        &["spec", "selector"]
    };
    let selector = obj.get(path).filter(|s| {
        s.as_map().is_some_and(|m| {
            m.iter().any(|(k, v)| {
                (k != "matchLabels" && k != "matchExpressions")
                    || v.as_map().is_some_and(|x| !x.is_empty())
                    || v.as_seq().is_some_and(|x| !x.is_empty())
            })
        })
    });
    let Some(selector) = selector else {
        if !obj.is_job_like() {
            hit(
                out,
                obj.origin(),
                format!("this {} has no selector", obj.kind),
            );
        }
        return;
    };
    if !crate::lint::workload::selector_matches(selector, &obj.pod_labels()) {
        hit(
            out,
            selector.origin,
            "the selector does not match the pod template's labels",
        );
    }
}

pub fn job_ttl(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    if obj.group != "batch" {
        return;
    }
    if obj.kind == "Job" {
        if obj.get(&["spec", "ttlSecondsAfterFinished"]).is_none() {
            hit(
                out,
                obj.get(&["spec"]).and_then(|s| s.origin).or(obj.origin()),
                "this Job does not set ttlSecondsAfterFinished: finished Jobs and their pods stay forever",
            );
        }
    } else if let Some(ttl) = obj.get(&["spec", "jobTemplate", "spec", "ttlSecondsAfterFinished"]) {
        hit(
            out,
            ttl.origin,
            "ttlSecondsAfterFinished on a CronJob's Jobs competes with successfulJobsHistoryLimit and failedJobsHistoryLimit",
        );
    }
}

pub fn cronjob_restart_policy(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let field = obj.pod_spec().and_then(|s| s.get("restartPolicy"));
    match field.and_then(crate::model::Node::as_str) {
        Some("Never" | "OnFailure") => {}
        Some(other) => hit(
            out,
            field.and_then(|f| f.origin),
            format!(
                "restartPolicy {other} is not valid for a CronJob's pods; use Never or OnFailure"
            ),
        ),
        None => hit(
            out,
            obj.pod_spec().and_then(|s| s.origin).or(obj.origin()),
            "the CronJob's pod template does not set restartPolicy (Never or OnFailure)",
        ),
    }
}
