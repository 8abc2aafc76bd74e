//! Rules on one object's own fields: Service type, PodDisruptionBudget policy, CronJob
//! deadline, deprecated API versions, label values, owner labels and e-mail annotations.

use super::{hit, hit_unless_spec_sets};
use crate::lint::workload::{string_map, Object};
use crate::lint::{Ctx, Hit};
use crate::model::Node;
use crate::schema::apis::{self, Status};

pub fn service_node_port(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    if let Some(t) = obj.get(&["spec", "type"]) {
        if t.as_str() == Some("NodePort") {
            hit(out, t.origin, "the Service is of type NodePort");
        }
    }
}

pub fn pdb_without_policy(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    hit_unless_spec_sets(
        obj,
        &["minAvailable", "maxUnavailable"],
        out,
        "the PodDisruptionBudget sets neither minAvailable nor maxUnavailable",
    );
}

pub fn cronjob_deadline(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    if obj.group != "batch" {
        return;
    }
    hit_unless_spec_sets(
        obj,
        &["startingDeadlineSeconds"],
        out,
        "the CronJob does not set startingDeadlineSeconds",
    );
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

pub fn label_value_invalid(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    let Some(labels) = obj.get(&["metadata", "labels"]).and_then(Node::as_map) else {
        return;
    };
    for (key, value) in labels {
        let Some(text) = value.scalar_text() else {
            continue;
        };
        // The validation `kit validate` applies (63 characters, alphanumerics, '-', '_', '.').
        if let Err(e) = crate::validate::text::label_value(&text) {
            hit(
                out,
                value.origin,
                format!("the value {text:?} of label `{key}` {e}: the API server rejects it"),
            );
        }
    }
}

/// Whether a label or annotation of the object has a key containing `key` and a value
/// `value` accepts, as kube-linter's `required-label` / `required-annotation` templates
/// match (unanchored patterns).
fn has_entry(obj: &Object, field: &str, key: &str, value: impl Fn(&str) -> bool) -> bool {
    obj.get(&["metadata", field])
        .map(string_map)
        .unwrap_or_default()
        .iter()
        .any(|(k, v)| k.contains(key) && value(v))
}

/// kube-linter's DeploymentLike: a workload kind of the right API group, with or without
/// its pod template.
fn deployment_like(obj: &Object) -> bool {
    crate::lint::workload::template_path(&obj.group, obj.kind).is_some()
}

pub fn owner_label_missing(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    if deployment_like(obj) && !has_entry(obj, "labels", "owner", |_| true) {
        hit(
            out,
            obj.get(&["metadata", "labels"])
                .and_then(|l| l.origin)
                .or(obj.origin()),
            format!("this {} has no `owner` label", obj.kind),
        );
    }
}

/// Whether `s` contains an e-mail address: kube-linter's unanchored
/// `[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+`.
fn contains_email(s: &str) -> bool {
    let b = s.as_bytes();
    let local = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'+' | b'-');
    let domain = |c: &u8| c.is_ascii_alphanumeric() || *c == b'-';
    b.iter().enumerate().any(|(at, c)| {
        if *c != b'@' || at == 0 || !local(&b[at - 1]) {
            return false;
        }
        let rest = &b[at + 1..];
        let label = rest.iter().take_while(|c| domain(c)).count();
        label > 0
            && rest.get(label) == Some(&b'.')
            && rest.get(label + 1).is_some_and(|c| domain(c) || *c == b'.')
    })
}

pub fn email_annotation_missing(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    if deployment_like(obj) && !has_entry(obj, "annotations", "email", contains_email) {
        hit(
            out,
            obj.get(&["metadata", "annotations"])
                .and_then(|a| a.origin)
                .or(obj.origin()),
            format!(
                "this {} has no `email` annotation with the owner's e-mail address",
                obj.kind
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::contains_email;

    #[test]
    fn emails() {
        assert!(contains_email("team@example.com"));
        assert!(contains_email("Team <team+ops@my-corp.example.org>"));
        assert!(!contains_email("team@example"));
        assert!(!contains_email("@example.com"));
        assert!(!contains_email("team@.com"));
        assert!(!contains_email("team"));
    }
}
