//! `kit apply --wait`'s readiness rules on status documents as API servers return them
//! (tests/data/status/*.json), including bodies newer than the test cluster's Kubernetes 1.20:
//! Job `SuccessCriteriaMet` / `FailureTarget` (1.31), Pod `PodReadyToStartContainers` (1.29),
//! load balancer `ipMode` (1.30).

use kit::cluster::ready::{condition_lines, readiness, Readiness};

fn load(name: &str) -> serde_json::Value {
    let path = format!("{}/tests/data/status/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn state(name: &str) -> Readiness {
    readiness(&load(name))
}

fn pending(name: &str) -> String {
    match state(name) {
        Readiness::Pending(why) => why,
        other => panic!("{name}: expected pending, got {other:?}"),
    }
}

fn failed(name: &str) -> String {
    match state(name) {
        Readiness::Failed(why) => why,
        other => panic!("{name}: expected failed, got {other:?}"),
    }
}

#[test]
fn deployments() {
    assert_eq!(state("deployment-available.json"), Readiness::Ready);
    assert_eq!(
        pending("deployment-rolling.json"),
        "2 of 3 replicas updated"
    );
    assert_eq!(
        pending("deployment-old-replicas.json"),
        "1 old replicas are pending termination"
    );
    // What a server without controllers shows: nobody observed generation 1.
    assert_eq!(
        pending("deployment-unobserved.json"),
        "waiting for the controller to observe generation 1"
    );
    assert!(failed("deployment-deadline.json").contains("ProgressDeadlineExceeded"));
}

#[test]
fn stateful_sets_and_daemon_sets() {
    assert_eq!(state("statefulset-ready.json"), Readiness::Ready);
    assert!(pending("statefulset-rolling.json").contains("db-84f6c5d7b9"));
    assert_eq!(state("daemonset-ready.json"), Readiness::Ready);
    assert_eq!(pending("daemonset-rolling.json"), "1 of 3 pods updated");
}

#[test]
fn jobs_old_and_new_conditions() {
    assert_eq!(state("job-complete.json"), Readiness::Ready);
    assert_eq!(state("job-complete-1.31.json"), Readiness::Ready);
    assert!(failed("job-failed.json").contains("BackoffLimitExceeded"));
    assert!(failed("job-failure-target-1.31.json").contains("BackoffLimitExceeded"));
    assert_eq!(pending("job-running.json"), "1 of 3 completions, 1 active");
}

#[test]
fn pods_claims_services_crds() {
    assert_eq!(state("pod-ready.json"), Readiness::Ready);
    assert_eq!(pending("pod-crashloop.json"), "pod Running, not ready");
    assert!(failed("pod-failed.json").contains("Evicted"));
    assert_eq!(state("pod-succeeded.json"), Readiness::Ready);
    assert_eq!(state("pvc-bound.json"), Readiness::Ready);
    assert_eq!(pending("pvc-pending.json"), "claim Pending");
    assert_eq!(
        pending("service-lb-pending.json"),
        "no load balancer address assigned"
    );
    assert_eq!(state("service-lb-assigned.json"), Readiness::Ready);
    assert_eq!(state("service-clusterip.json"), Readiness::Ready);
    assert_eq!(state("crd-established.json"), Readiness::Ready);
    assert!(failed("crd-names-conflict.json").contains("PluralConflict"));
    assert_eq!(state("configmap.json"), Readiness::Ready);
}

#[test]
fn conditions_print_type_status_reason_message() {
    let lines = condition_lines(&load("deployment-deadline.json"));
    assert_eq!(
        lines,
        [
            "Available=True MinimumReplicasAvailable: Deployment has minimum availability.",
            "Progressing=False ProgressDeadlineExceeded: ReplicaSet \"web-6b7f9d\" has timed out progressing.",
        ]
    );
    assert!(condition_lines(&load("deployment-unobserved.json")).is_empty());
}
