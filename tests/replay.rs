//! `kit apply` against a local HTTP server that replays what newer API servers answer
//! (discovery documents, status bodies, 409 conflicts) for behaviour the 1.20 test cluster
//! cannot show: batch/v1 CronJob (1.21+), Job `SuccessCriteriaMet` / `FailureTarget`
//! conditions (1.31+), autoscaling/v2 (1.23+). The bodies follow the Kubernetes API
//! reference; the server speaks plain HTTP/1.1 with `Connection: close`.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

type Handler =
    dyn Fn(&str, &str, &Value, &mut HashMap<String, Value>) -> (u16, Value) + Send + Sync;

struct Replay {
    url: String,
    log: Arc<Mutex<Vec<String>>>,
}

fn serve(handler: Arc<Handler>) -> Replay {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let log = Arc::new(Mutex::new(Vec::new()));
    let state = Arc::new(Mutex::new(HashMap::new()));
    let log2 = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut parts = request_line.split_whitespace();
            let method = parts.next().unwrap_or("").to_string();
            let target = parts.next().unwrap_or("").to_string();
            let mut length = 0usize;
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() || h == "\r\n" || h.is_empty() {
                    break;
                }
                if let Some((k, v)) = h.split_once(':') {
                    if k.eq_ignore_ascii_case("content-length") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
            }
            let mut body = vec![0u8; length];
            let _ = reader.read_exact(&mut body);
            let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let path = target.split('?').next().unwrap_or("").to_string();
            log2.lock().expect("log").push(format!("{method} {target}"));
            let (code, reply) = {
                let mut st = state.lock().expect("state");
                handler(&method, &path, &body, &mut st)
            };
            let text = reply.to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 {code} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
        }
    });
    Replay { url, log }
}

fn status(code: u16, reason: &str, message: &str) -> (u16, Value) {
    (
        code,
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
               "message": message, "reason": reason, "code": code}),
    )
}

fn resource(name: &str, kind: &str, namespaced: bool) -> Value {
    json!({"name": name, "singularName": "", "namespaced": namespaced, "kind": kind,
           "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"]})
}

/// Discovery as a 1.31 server answers it (only the groups the tests use).
fn discovery(path: &str) -> Option<Value> {
    Some(match path {
        "/api" => json!({"kind": "APIVersions", "versions": ["v1"],
                         "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "10.0.0.1:6443"}]}),
        "/apis" => json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": [
            {"name": "batch", "versions": [{"groupVersion": "batch/v1", "version": "v1"}],
             "preferredVersion": {"groupVersion": "batch/v1", "version": "v1"}},
            {"name": "autoscaling", "versions": [{"groupVersion": "autoscaling/v1", "version": "v1"}],
             "preferredVersion": {"groupVersion": "autoscaling/v1", "version": "v1"}}]}),
        "/api/v1" => json!({"kind": "APIResourceList", "groupVersion": "v1", "resources": [
            resource("namespaces", "Namespace", false), resource("configmaps", "ConfigMap", true),
            resource("secrets", "Secret", true), resource("events", "Event", true)]}),
        "/apis/batch/v1" => {
            json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "batch/v1", "resources": [
            resource("cronjobs", "CronJob", true), resource("cronjobs/status", "CronJob", true),
            resource("jobs", "Job", true), resource("jobs/status", "Job", true)]})
        }
        "/apis/autoscaling/v1" => {
            json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "autoscaling/v1", "resources": [
            resource("horizontalpodautoscalers", "HorizontalPodAutoscaler", true)]})
        }
        _ => return None,
    })
}

/// Stores applied objects; GET returns them with `status` from `statuses` (by path).
fn store(statuses: HashMap<String, Value>) -> Arc<Handler> {
    Arc::new(move |method, path, body, st| {
        if let Some(d) = discovery(path) {
            return (200, d);
        }
        match method {
            "GET" => match st.get(path) {
                Some(obj) => {
                    let mut obj = obj.clone();
                    if let Some(s) = statuses.get(path) {
                        obj["status"] = s.clone();
                    }
                    (200, obj)
                }
                None if path.ends_with("/events") => (
                    200,
                    json!({"kind": "EventList", "apiVersion": "v1", "metadata": {}, "items": []}),
                ),
                None => status(404, "NotFound", &format!("{path} not found")),
            },
            "PATCH" => {
                let mut obj = body.clone();
                let fresh = !st.contains_key(path);
                let rv = if fresh { "100" } else { "101" };
                obj["metadata"]["uid"] = json!("6f1c2a9e-7d1b-4f5e-9a55-1c3b2d4e5f60");
                obj["metadata"]["resourceVersion"] = json!(rv);
                obj["metadata"]["generation"] = json!(1);
                obj["metadata"]["creationTimestamp"] = json!("2026-11-20T10:00:00Z");
                st.insert(path.to_string(), obj.clone());
                (if fresh { 201 } else { 200 }, obj)
            }
            _ => status(405, "MethodNotAllowed", "not replayed"),
        }
    })
}

fn kubeconfig(url: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kit-replay-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("kubeconfig");
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: replay\n  cluster:\n    server: {url}\n\
             users:\n- name: u\n  user:\n    token: replay-token\ncontexts:\n- name: replay\n  context:\n    cluster: replay\n    user: u\n    namespace: default\n\
             current-context: replay\n"
        ),
    )
    .expect("kubeconfig");
    path
}

fn kit(kubeconfig: &PathBuf, stdin_yaml: &str, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kit"))
        .args(args)
        .arg("-")
        .env("KUBECONFIG", kubeconfig)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kit");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin_yaml.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn texts(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

const CRONJOB_AND_JOB: &str = "apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: '0 3 * * *'
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: c, image: busybox}]
---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
";

const JOB_PATH: &str = "/apis/batch/v1/namespaces/default/jobs/migrate";

#[test]
fn cronjob_v1_and_a_job_complete_by_1_31_conditions() {
    let mut statuses = HashMap::new();
    statuses.insert(
        JOB_PATH.to_string(),
        json!({"startTime": "2026-11-20T10:00:00Z", "completionTime": "2026-11-20T10:00:31Z",
               "succeeded": 1, "terminating": 0, "ready": 0, "uncountedTerminatedPods": {},
               "conditions": [
                 {"type": "SuccessCriteriaMet", "status": "True", "reason": "CompletionsReached",
                  "message": "Reached expected number of succeeded pods"},
                 {"type": "Complete", "status": "True", "reason": "CompletionsReached",
                  "message": "Reached expected number of succeeded pods"}]}),
    );
    let replay = serve(store(statuses));
    let kc = kubeconfig(&replay.url, "complete");
    let out = kit(
        &kc,
        CRONJOB_AND_JOB,
        &["apply", "--wait", "--timeout", "20s"],
    );
    let (stdout, stderr) = texts(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(
        stdout.contains("cronjob/nightly (namespace default) created"),
        "{stdout}"
    );
    assert!(
        stdout.contains("job/migrate (namespace default) created"),
        "{stdout}"
    );
    assert!(
        stdout.contains("job/migrate (namespace default) ready"),
        "{stdout}"
    );
    // Server-side apply with kit's field manager; Helm's order puts Job before CronJob.
    let log = replay.log.lock().expect("log").clone();
    let patches: Vec<&String> = log.iter().filter(|l| l.starts_with("PATCH")).collect();
    assert_eq!(patches.len(), 2, "{log:?}");
    assert!(
        patches[0].contains("/jobs/migrate") && patches[1].contains("/cronjobs/nightly"),
        "{log:?}"
    );
    assert!(
        patches.iter().all(|p| p.contains("fieldManager=kit")),
        "{log:?}"
    );
}

#[test]
fn a_job_failing_by_the_1_31_failure_target_fails_the_wait_at_once() {
    let mut statuses = HashMap::new();
    statuses.insert(
        JOB_PATH.to_string(),
        json!({"startTime": "2026-11-20T10:00:00Z", "failed": 3, "terminating": 1, "active": 0,
               "conditions": [{"type": "FailureTarget", "status": "True", "reason": "BackoffLimitExceeded",
                               "message": "Job has reached the specified backoff limit"}]}),
    );
    let replay = serve(store(statuses));
    let kc = kubeconfig(&replay.url, "failing");
    let started = std::time::Instant::now();
    let out = kit(
        &kc,
        CRONJOB_AND_JOB,
        &["apply", "--wait", "--timeout", "60s"],
    );
    let (stdout, stderr) = texts(&out);
    assert_eq!(
        out.status.code(),
        Some(3),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(started.elapsed().as_secs() < 30);
    assert!(
        stderr.contains("FailureTarget=True BackoffLimitExceeded"),
        "{stderr}"
    );
    assert!(stderr.contains("job is failing"), "{stderr}");
}

#[test]
fn a_conflict_409_names_managers_and_fields() {
    // The body a 1.31 server returns for a server-side apply conflict.
    let handler: Arc<Handler> = Arc::new(|method, path, _body, _st| {
        if let Some(d) = discovery(path) {
            return (200, d);
        }
        match method {
            "GET" => (
                200,
                json!({"apiVersion": "v1", "kind": "ConfigMap",
                                  "metadata": {"name": "app", "namespace": "default", "resourceVersion": "7"},
                                  "data": {"a": "theirs", "b": "theirs"}}),
            ),
            _ => (
                409,
                json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": "Apply failed with 2 conflicts: conflicts with \"argocd-controller\" using v1:\n- .data.a\nconflicts with \"kubectl-edit\" using v1:\n- .data.b",
                "reason": "Conflict",
                "details": {"causes": [
                    {"reason": "FieldManagerConflict", "message": "conflict with \"argocd-controller\" using v1", "field": ".data.a"},
                    {"reason": "FieldManagerConflict", "message": "conflict with \"kubectl-edit\" using v1", "field": ".data.b"}]},
                "code": 409}),
            ),
        }
    });
    let replay = serve(handler);
    let kc = kubeconfig(&replay.url, "conflict");
    let out = kit(
        &kc,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  a: mine\n  b: mine\n",
        &["apply"],
    );
    let (stdout, stderr) = texts(&out);
    assert_eq!(
        out.status.code(),
        Some(3),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(
        stderr.contains("field manager \"argocd-controller\" (v1) owns .data.a"),
        "{stderr}"
    );
    assert!(
        stderr.contains("field manager \"kubectl-edit\" (v1) owns .data.b"),
        "{stderr}"
    );
    assert!(stderr.contains("--force-conflicts"), "{stderr}");
}

#[test]
fn a_version_the_server_lacks_names_the_served_ones() {
    let replay = serve(store(HashMap::new()));
    let kc = kubeconfig(&replay.url, "unknown");
    let out = kit(
        &kc,
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 1\n  maxReplicas: 3\n",
        &["apply"],
    );
    let (stdout, stderr) = texts(&out);
    assert_eq!(
        out.status.code(),
        Some(3),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(
        stderr.contains("does not serve kind HorizontalPodAutoscaler in autoscaling/v2"),
        "{stderr}"
    );
    assert!(
        stderr.contains("serves HorizontalPodAutoscaler in autoscaling/v1"),
        "{stderr}"
    );
}
