//! `kit apply` and `kit diff` against a real API server (kube-apiserver 1.20 + etcd, no
//! controllers), as a user runs them. `scripts/test-cluster start` starts it and prints
//! `KIT_TEST_KUBECONFIG`; `scripts/test` does that before `cargo test`. Without the variable
//! these tests fail, unless `KIT_SKIP_CLUSTER_TESTS=1` says to skip them.
//!
//! Every test works in its own namespace (namespaces are never deleted: the server has no
//! namespace controller), named after the test and the process id.
#![allow(clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kube::api::{Api, DynamicObject, Patch, PatchParams, PostParams};
use kube::core::{ApiResource, GroupVersionKind};
use serde_json::{json, Value};

/// The kubeconfig of the test cluster, or `None` when the tests are skipped on purpose.
fn kubeconfig() -> Option<PathBuf> {
    match std::env::var_os("KIT_TEST_KUBECONFIG") {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ if std::env::var("KIT_SKIP_CLUSTER_TESTS").as_deref() == Ok("1") => {
            eprintln!("KIT_SKIP_CLUSTER_TESTS=1: skipping a cluster test");
            None
        }
        _ => panic!(
            "KIT_TEST_KUBECONFIG is not set: start the test cluster with \
             `eval \"$(scripts/test-cluster start)\"` (or run scripts/test), or set \
             KIT_SKIP_CLUSTER_TESTS=1 to skip the cluster tests"
        ),
    }
}

struct Env {
    kubeconfig: PathBuf,
    ns: String,
    dir: PathBuf,
}

impl Env {
    fn new(test: &str) -> Option<Env> {
        let kubeconfig = kubeconfig()?;
        let ns = format!("kit-{test}-{}", std::process::id());
        let dir = std::env::temp_dir().join(format!("kit-cluster-test-{ns}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let env = Env {
            kubeconfig,
            ns,
            dir,
        };
        env.write(
            "ns/namespace.yaml",
            &format!(
                "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {}\n",
                env.ns
            ),
        );
        let out = env.kit(&["apply", "ns"]);
        assert_success(&out);
        Some(env)
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, text).expect("write");
        path
    }

    fn remove(&self, rel: &str) {
        std::fs::remove_file(self.dir.join(rel)).expect("remove");
    }

    /// Runs kit in the test directory with the test namespace as the default one.
    fn kit(&self, args: &[&str]) -> Output {
        self.kit_with_env(args, &[])
    }

    /// [`Env::kit`] with environment variables added.
    fn kit_with_env(&self, args: &[&str], vars: &[(&str, &str)]) -> Output {
        let mut all: Vec<&str> = args.to_vec();
        if matches!(args.first(), Some(&"apply") | Some(&"diff")) {
            all.extend(["--namespace", &self.ns]);
        }
        Command::new(env!("CARGO_BIN_EXE_kit"))
            .args(&all)
            .current_dir(&self.dir)
            .env("KUBECONFIG", &self.kubeconfig)
            .env("NO_COLOR", "1")
            .env_remove("CI")
            .env_remove("KUBECTL_EXTERNAL_DIFF")
            .envs(vars.iter().copied())
            .output()
            .expect("run kit")
    }

    /// kubectl (`KIT_KUBECTL`), on the test cluster in the test namespace.
    fn kubectl(&self) -> Command {
        let kubectl = std::env::var_os("KIT_KUBECTL")
            .filter(|k| !k.is_empty())
            .expect(
                "KIT_KUBECTL is not set: run scripts/test, or export the path \
             scripts/install-test-tools prints",
            );
        let mut cmd = Command::new(kubectl);
        cmd.current_dir(&self.dir)
            .arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .args(["--namespace", &self.ns]);
        cmd
    }

    /// `kit validate` (Kubernetes 1.30, JSON) of `text` written at `rel`: each finding's rule
    /// and the field its message starts with (`spec.ports: Required value` → `spec.ports`).
    fn validate_findings(&self, rel: &str, text: &str) -> Vec<(String, String)> {
        let file = self.write(rel, text);
        let out = self.kit(&[
            "validate",
            "--no-config",
            "--kubernetes-version",
            "1.30",
            "--output",
            "json",
            file.to_str().expect("utf-8 path"),
        ]);
        let report: Value =
            serde_json::from_slice(&out.stdout).expect("kit validate --output json");
        report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter_map(|f| {
                let (field, _) = f["message"].as_str()?.split_once(": ")?;
                Some((f["rule"].as_str()?.to_string(), field.to_string()))
            })
            .collect()
    }

    /// `kubectl create --dry-run=server` of `objects` written at `rel`: whether the server
    /// accepted them, and what kubectl printed on stderr (the server's
    /// refusal). kubectl is `KIT_KUBECTL` (`scripts/test` installs and exports it): an
    /// independent client, which creates without server-side apply (the 1.20 server's apply
    /// refuses Service ports without `protocol`, a bug fixed later).
    fn server_dry_run(&self, rel: &str, objects: &str) -> (bool, String) {
        let file = self.write(rel, objects);
        let out = self
            .kubectl()
            .args(["create", "--dry-run=server", "-f"])
            .arg(&file)
            .output()
            .expect("run kubectl");
        (out.status.success(), text(&out).1)
    }

    /// Sends `for_kit` to `kit validate` and `for_server` to the API server (a server dry
    /// run): what they disagree on. The server must refuse the object at every field kit
    /// reports for `rule` (or, when it cannot decode the object, without naming a field).
    fn refused_alike(
        &self,
        name: &str,
        rule: &str,
        for_kit: &str,
        for_server: &str,
    ) -> Vec<String> {
        let fields: Vec<String> = self
            .validate_findings(&format!("kit/{name}.yaml"), for_kit)
            .into_iter()
            .filter(|(r, _)| r == rule)
            .map(|(_, field)| field)
            .collect();
        let (accepted, refusal) = self.server_dry_run(&format!("server/{name}.yaml"), for_server);
        eprintln!("{name}: kit {fields:?}; server: {}", refusal.trim());
        if fields.is_empty() {
            return vec![format!("{name}: kit does not report {rule}")];
        }
        if accepted {
            return vec![format!(
                "{name}: the API server accepts what kit refuses at {fields:?}"
            )];
        }
        // A field-by-field refusal ("… is invalid: [spec.x: …]"); otherwise the server did
        // not get as far (a quantity that does not parse fails decoding).
        if !refusal.contains(" is invalid: ") {
            return Vec::new();
        }
        fields
            .iter()
            .filter(|field| !names_field(&refusal, field))
            .map(|field| {
                format!(
                    "{name}: kit refuses {field}; the server says: {}",
                    refusal.trim()
                )
            })
            .collect()
    }

    fn client(&self) -> (tokio::runtime::Runtime, kube::Client) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let kc = kube::config::Kubeconfig::read_from(&self.kubeconfig).expect("kubeconfig");
        let client = rt.block_on(async {
            let config = kube::Config::from_custom_kubeconfig(kc, &Default::default())
                .await
                .expect("config");
            kube::Client::try_from(config).expect("client")
        });
        (rt, client)
    }

    fn api(
        &self,
        client: &kube::Client,
        api_version: &str,
        kind: &str,
        plural: &str,
        namespaced: bool,
    ) -> Api<DynamicObject> {
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        let ar =
            ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(group, version, kind), plural);
        if namespaced {
            Api::namespaced_with(client.clone(), &self.ns, &ar)
        } else {
            Api::all_with(client.clone(), &ar)
        }
    }

    /// The live object, or None.
    fn get(&self, api_version: &str, kind: &str, plural: &str, name: &str) -> Option<Value> {
        let (rt, client) = self.client();
        let namespaced = !matches!(kind, "Namespace" | "CustomResourceDefinition");
        let api = self.api(&client, api_version, kind, plural, namespaced);
        rt.block_on(api.get_opt(name))
            .expect("get")
            .map(|o| serde_json::to_value(o).expect("json"))
    }

    /// Server-side apply as another field manager (force), like another tool would.
    fn apply_as(&self, manager: &str, api_version: &str, kind: &str, plural: &str, body: Value) {
        let (rt, client) = self.client();
        let api = self.api(&client, api_version, kind, plural, true);
        let name = body["metadata"]["name"].as_str().expect("name").to_string();
        let obj: DynamicObject = serde_json::from_value(body).expect("object");
        rt.block_on(api.patch(
            &name,
            &PatchParams::apply(manager).force(),
            &Patch::Apply(&obj),
        ))
        .expect("apply as another manager");
    }

    /// Writes the status subresource (what a controller would do).
    fn patch_status(&self, api_version: &str, kind: &str, plural: &str, name: &str, status: Value) {
        let (rt, client) = self.client();
        let api = self.api(&client, api_version, kind, plural, true);
        rt.block_on(api.patch_status(
            name,
            &PatchParams::default(),
            &Patch::Merge(&json!({ "status": status })),
        ))
        .expect("patch status");
    }

    fn create_event(&self, body: Value) {
        let (rt, client) = self.client();
        let api = self.api(&client, "v1", "Event", "events", true);
        let obj: DynamicObject = serde_json::from_value(body).expect("event");
        rt.block_on(api.create(&PostParams::default(), &obj))
            .expect("create event");
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn assert_success(o: &Output) {
    let (out, err) = text(o);
    assert_eq!(o.status.code(), Some(0), "stdout:\n{out}\nstderr:\n{err}");
}

fn assert_code(o: &Output, code: i32) -> (String, String) {
    let (out, err) = text(o);
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout:\n{out}\nstderr:\n{err}"
    );
    (out, err)
}

fn configmap(name: &str, data: &[(&str, &str)]) -> String {
    let mut s = format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n");
    for (k, v) in data {
        s.push_str(&format!("  {k}: {v:?}\n"));
    }
    s
}

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
";

const SERVICE: &str = "apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
    # Kubernetes 1.20's server-side apply needs the list key spelled out (fixed in 1.21).
    protocol: TCP
";

#[test]
fn create_reapply_change_and_diff_each_step() {
    let Some(env) = Env::new("create") else {
        return;
    };
    env.write(
        "app/configmap.yaml",
        &configmap("settings", &[("mode", "blue")]),
    );
    env.write("app/deployment.yaml", DEPLOYMENT);
    env.write("app/service.yaml", SERVICE);

    // Before anything: every object is new.
    let (out, _) = assert_code(&env.kit(&["diff", "app"]), 1);
    assert!(
        out.contains("+  name: settings") || out.contains("+    name: settings"),
        "{out}"
    );

    let (out, err) = assert_code(&env.kit(&["apply", "app"]), 0);
    // Helm's order: ConfigMap, Service, Deployment.
    let cm = out.find("configmap/settings").expect("configmap line");
    let svc = out.find("service/web").expect("service line");
    let dep = out.find("deployment/web").expect("deployment line");
    assert!(cm < svc && svc < dep, "{out}");
    assert!(
        out.contains(&format!(
            "configmap/settings (namespace {}) created",
            env.ns
        )),
        "{out}"
    );
    assert!(
        err.contains("3 created, 0 configured, 0 unchanged"),
        "{err}"
    );
    // Namespaced objects without a namespace went into the default (here: --namespace) one.
    let live = env
        .get("v1", "ConfigMap", "configmaps", "settings")
        .expect("stored");
    assert_eq!(live["data"]["mode"], "blue");
    assert!(live["metadata"]["managedFields"]
        .to_string()
        .contains("\"kit\""));

    // No change: nothing modified, exit 0, and diff agrees.
    let rv = live["metadata"]["resourceVersion"].clone();
    let (out, err) = assert_code(&env.kit(&["apply", "app"]), 0);
    assert!(
        out.contains("configmap/settings") && out.contains("unchanged"),
        "{out}"
    );
    assert!(
        err.contains("0 created, 0 configured, 3 unchanged"),
        "{err}"
    );
    let live = env
        .get("v1", "ConfigMap", "configmaps", "settings")
        .expect("stored");
    assert_eq!(live["metadata"]["resourceVersion"], rv);
    let (out, _) = assert_code(&env.kit(&["diff", "app"]), 0);
    assert!(!out.contains("+++"), "{out}");

    // A change: diff shows it, apply configures it, diff is clean again.
    env.write(
        "app/configmap.yaml",
        &configmap("settings", &[("mode", "green")]),
    );
    let (out, _) = assert_code(&env.kit(&["diff", "app"]), 1);
    assert!(
        out.contains("-  mode: blue") && out.contains("+  mode: green"),
        "{out}"
    );
    assert!(
        !out.contains("deployment"),
        "only the ConfigMap changed:\n{out}"
    );
    // The offline diff's --output and --color work on the live diff too.
    let (out, _) = assert_code(&env.kit(&["diff", "app", "--output", "json"]), 1);
    let json: serde_json::Value = serde_json::from_str(&out).expect("--output json is JSON");
    assert!(
        out.contains("\"changed\"") && out.contains("\"settings\"") && json.is_object(),
        "{out}"
    );
    let (out, _) = assert_code(&env.kit(&["diff", "app", "--output", "summary"]), 1);
    assert!(
        out.contains("settings") && !out.contains("+  mode: green"),
        "{out}"
    );
    let (out, _) = assert_code(&env.kit(&["diff", "app", "--color", "always"]), 1);
    assert!(
        out.contains("\x1b[1mdiff -u -N LIVE/v1.ConfigMap."),
        "{out}"
    );
    let (out, _) = assert_code(&env.kit(&["apply", "app"]), 0);
    assert!(
        out.contains("configmap/settings") && out.contains("configured"),
        "{out}"
    );
    assert!(
        out.contains("deployment/web") && out.contains("unchanged"),
        "{out}"
    );
    let live = env
        .get("v1", "ConfigMap", "configmaps", "settings")
        .expect("stored");
    assert_eq!(live["data"]["mode"], "green");
    assert_code(&env.kit(&["diff", "app"]), 0);
}

#[test]
fn server_dry_run_stores_nothing() {
    let Some(env) = Env::new("dryrun") else {
        return;
    };
    env.write("app/configmap.yaml", &configmap("dry", &[("a", "1")]));
    let (out, _) = assert_code(&env.kit(&["apply", "app", "--dry-run=server"]), 0);
    assert!(
        out.contains("configmap/dry") && out.contains("created (server dry run)"),
        "{out}"
    );
    assert!(env.get("v1", "ConfigMap", "configmaps", "dry").is_none());
    // The server still validates: an invalid object fails the dry run.
    env.write(
        "bad/configmap.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_Valid\ndata: {a: '1'}\n",
    );
    let (_, err) = assert_code(&env.kit(&["apply", "bad", "--dry-run=server"]), 3);
    assert!(err.contains("Not_Valid"), "{err}");
    // Client dry run: reads only.
    let (out, _) = assert_code(&env.kit(&["apply", "app", "--dry-run=client"]), 0);
    assert!(out.contains("created (client dry run)"), "{out}");
    assert!(env.get("v1", "ConfigMap", "configmaps", "dry").is_none());
    // After a real apply, a server dry run of the same render changes nothing.
    assert_code(&env.kit(&["apply", "app"]), 0);
    let (out, _) = assert_code(&env.kit(&["apply", "app", "--dry-run=server"]), 0);
    assert!(out.contains("unchanged (server dry run)"), "{out}");
    env.write("app/configmap.yaml", &configmap("dry", &[("a", "2")]));
    let (out, _) = assert_code(&env.kit(&["apply", "app", "--dry-run=server"]), 0);
    assert!(out.contains("configured (server dry run)"), "{out}");
    let live = env
        .get("v1", "ConfigMap", "configmaps", "dry")
        .expect("stored");
    assert_eq!(live["data"]["a"], "1");
}

#[test]
fn conflict_names_the_other_manager_then_force_conflicts() {
    let Some(env) = Env::new("conflict") else {
        return;
    };
    env.write(
        "app/configmap.yaml",
        &configmap("shared", &[("owner", "kit"), ("other", "x")]),
    );
    assert_code(&env.kit(&["apply", "app"]), 0);
    // Another tool takes over .data.owner.
    env.apply_as(
        "helm-like",
        "v1",
        "ConfigMap",
        "configmaps",
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "shared", "namespace": env.ns},
               "data": {"owner": "them"}}),
    );
    env.write(
        "app/configmap.yaml",
        &configmap("shared", &[("owner", "kit-again"), ("other", "x")]),
    );
    let (_, err) = assert_code(&env.kit(&["apply", "app"]), 3);
    assert!(err.contains("conflict"), "{err}");
    assert!(err.contains("\"helm-like\""), "{err}");
    assert!(err.contains(".data.owner"), "{err}");
    assert!(err.contains("--force-conflicts"), "{err}");
    let live = env
        .get("v1", "ConfigMap", "configmaps", "shared")
        .expect("stored");
    assert_eq!(live["data"]["owner"], "them");
    // Diff reports the conflict too (exit 3), and shows the change with --force-conflicts.
    assert_code(&env.kit(&["diff", "app"]), 3);
    let (out, _) = assert_code(&env.kit(&["diff", "app", "--force-conflicts"]), 1);
    assert!(out.contains("+  owner: kit-again"), "{out}");
    let (out, _) = assert_code(&env.kit(&["apply", "app", "--force-conflicts"]), 0);
    assert!(out.contains("configured"), "{out}");
    let live = env
        .get("v1", "ConfigMap", "configmaps", "shared")
        .expect("stored");
    assert_eq!(live["data"]["owner"], "kit-again");
}

#[test]
fn prune_deletes_dropped_members_only() {
    let Some(env) = Env::new("prune") else { return };
    env.write("app/a.yaml", &configmap("a", &[("k", "1")]));
    env.write("app/b.yaml", &configmap("b", &[("k", "2")]));
    env.write("app/svc.yaml", SERVICE);
    let (out, _) = assert_code(
        &env.kit(&["apply", "app", "--prune", "--applyset", "myapp"]),
        0,
    );
    assert!(out.contains("configmap/b"), "{out}");
    // The parent is kubectl's: a Secret with the id label and the annotations.
    let parent = env
        .get("v1", "Secret", "secrets", "myapp")
        .expect("parent secret");
    let id = parent["metadata"]["labels"]["applyset.kubernetes.io/id"]
        .as_str()
        .expect("id label")
        .to_string();
    assert!(id.starts_with("applyset-") && id.ends_with("-v1"), "{id}");
    assert_eq!(
        parent["metadata"]["annotations"]["applyset.kubernetes.io/contains-group-kinds"],
        "ConfigMap,Service"
    );
    assert_eq!(
        parent["metadata"]["annotations"]["applyset.kubernetes.io/tooling"],
        "kit/v0.1.0"
    );
    let b = env.get("v1", "ConfigMap", "configmaps", "b").expect("b");
    assert_eq!(
        b["metadata"]["labels"]["applyset.kubernetes.io/part-of"],
        id.as_str()
    );

    // Objects outside the set: one unlabelled, one of another set.
    env.apply_as(
        "someone",
        "v1",
        "ConfigMap",
        "configmaps",
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "outsider", "namespace": env.ns}, "data": {"k": "x"}}),
    );
    env.apply_as(
        "kubectl",
        "v1",
        "ConfigMap",
        "configmaps",
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "other-set", "namespace": env.ns,
                            "labels": {"applyset.kubernetes.io/part-of": "applyset-someoneelse-v1"}},
               "data": {"k": "y"}}),
    );

    env.remove("app/b.yaml");
    // kit diff --prune shows b going.
    let (out, _) = assert_code(
        &env.kit(&["diff", "app", "--prune", "--applyset", "myapp"]),
        1,
    );
    assert!(out.contains("-  name: b"), "{out}");
    assert!(
        !out.contains("outsider") && !out.contains("other-set"),
        "{out}"
    );
    // Dry run lists what would go, and deletes nothing.
    let (out, _) = assert_code(
        &env.kit(&[
            "apply",
            "app",
            "--prune",
            "--applyset",
            "myapp",
            "--dry-run=server",
        ]),
        0,
    );
    assert!(
        out.contains("configmap/b") && out.contains("pruned (server dry run)"),
        "{out}"
    );
    assert!(env.get("v1", "ConfigMap", "configmaps", "b").is_some());
    let (out, _) = assert_code(
        &env.kit(&[
            "apply",
            "app",
            "--prune",
            "--applyset",
            "myapp",
            "--dry-run=client",
        ]),
        0,
    );
    assert!(out.contains("pruned (client dry run)"), "{out}");
    assert!(env.get("v1", "ConfigMap", "configmaps", "b").is_some());

    let (out, err) = assert_code(
        &env.kit(&["apply", "app", "--prune", "--applyset", "myapp"]),
        0,
    );
    assert!(
        out.contains("configmap/b") && out.contains("pruned"),
        "{out}"
    );
    assert!(err.contains("1 pruned"), "{err}");
    assert!(env.get("v1", "ConfigMap", "configmaps", "b").is_none());
    assert!(env.get("v1", "ConfigMap", "configmaps", "a").is_some());
    assert!(env
        .get("v1", "ConfigMap", "configmaps", "outsider")
        .is_some());
    assert!(env
        .get("v1", "ConfigMap", "configmaps", "other-set")
        .is_some());

    // The Service leaves the render: its kind stays listed until pruned, then drops.
    env.remove("app/svc.yaml");
    let (out, _) = assert_code(
        &env.kit(&["apply", "app", "--prune", "--applyset", "myapp"]),
        0,
    );
    assert!(
        out.contains("service/web") && out.contains("pruned"),
        "{out}"
    );
    let parent = env
        .get("v1", "Secret", "secrets", "myapp")
        .expect("parent secret");
    assert_eq!(
        parent["metadata"]["annotations"]["applyset.kubernetes.io/contains-group-kinds"],
        "ConfigMap"
    );
}

#[test]
fn prune_waits_for_every_apply_to_succeed() {
    let Some(env) = Env::new("prunefail") else {
        return;
    };
    env.write("app/a.yaml", &configmap("a", &[("k", "1")]));
    env.write("app/b.yaml", &configmap("b", &[("k", "2")]));
    assert_code(&env.kit(&["apply", "app", "--prune", "--applyset", "s"]), 0);
    env.remove("app/b.yaml");
    env.write(
        "app/bad.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\ndata: {a: '1'}\n",
    );
    let (_, err) = assert_code(&env.kit(&["apply", "app", "--prune", "--applyset", "s"]), 3);
    assert!(err.contains("not pruning"), "{err}");
    assert!(env.get("v1", "ConfigMap", "configmaps", "b").is_some());
}

#[test]
fn a_parent_of_another_tool_is_refused() {
    let Some(env) = Env::new("foreign") else {
        return;
    };
    env.apply_as(
        "kubectl-applyset",
        "v1",
        "Secret",
        "secrets",
        json!({"apiVersion": "v1", "kind": "Secret",
               "metadata": {"name": "theirs", "namespace": env.ns,
                            "labels": {"applyset.kubernetes.io/id": "applyset-x-v1"},
                            "annotations": {"applyset.kubernetes.io/tooling": "kubectl/v1.30.0"}}}),
    );
    env.write("app/a.yaml", &configmap("a", &[("k", "1")]));
    let (_, err) = assert_code(
        &env.kit(&["apply", "app", "--prune", "--applyset", "theirs"]),
        3,
    );
    assert!(err.contains("cannot use secret/theirs"), "{err}");
    assert!(env.get("v1", "ConfigMap", "configmaps", "a").is_none());
}

#[test]
fn wait_times_out_with_conditions_and_events_then_succeeds_once_available() {
    let Some(env) = Env::new("wait") else { return };
    env.write("app/deployment.yaml", DEPLOYMENT);
    assert_code(&env.kit(&["apply", "app"]), 0);
    let dep = env
        .get("apps/v1", "Deployment", "deployments", "web")
        .expect("deployment");
    let uid = dep["metadata"]["uid"].as_str().expect("uid").to_string();
    env.create_event(json!({
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"name": "web.1", "namespace": env.ns},
        "involvedObject": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                           "namespace": env.ns, "uid": uid},
        "type": "Warning", "reason": "FailedCreate", "count": 3,
        "message": "pods \"web-1\" is forbidden: exceeded quota",
        "firstTimestamp": "2026-11-20T10:00:00Z", "lastTimestamp": "2026-11-20T10:00:30Z",
        "source": {"component": "replicaset-controller"}
    }));

    // No controller runs on the test server: nobody observes the Deployment.
    let started = std::time::Instant::now();
    let (out, err) = assert_code(&env.kit(&["apply", "app", "--wait", "--timeout", "3s"]), 3);
    assert!(started.elapsed().as_secs() < 30);
    assert!(out.contains("waiting for deployment/web"), "{out}");
    assert!(
        out.contains("waiting for the controller to observe generation 1"),
        "{out}"
    );
    assert!(err.contains("not ready after 3s"), "{err}");
    assert!(err.contains("conditions: none reported"), "{err}");
    assert!(err.contains("Warning FailedCreate (x3)"), "{err}");
    assert!(err.contains("exceeded quota"), "{err}");

    // Play the controller: the status says available, with conditions.
    env.patch_status(
        "apps/v1",
        "Deployment",
        "deployments",
        "web",
        json!({"observedGeneration": 1, "replicas": 1, "updatedReplicas": 1,
               "readyReplicas": 1, "availableReplicas": 1,
               "conditions": [{"type": "Available", "status": "True",
                               "reason": "MinimumReplicasAvailable",
                               "message": "Deployment has minimum availability."}]}),
    );
    let (out, _) = assert_code(&env.kit(&["apply", "app", "--wait", "--timeout", "20s"]), 0);
    assert!(
        out.contains("deployment/web") && out.contains("ready"),
        "{out}"
    );

    // A failed rollout stops the wait early with the condition.
    env.patch_status(
        "apps/v1",
        "Deployment",
        "deployments",
        "web",
        json!({"conditions": [{"type": "Progressing", "status": "False",
                               "reason": "ProgressDeadlineExceeded",
                               "message": "ReplicaSet \"web-1\" has timed out progressing."}]}),
    );
    let started = std::time::Instant::now();
    let (_, err) = assert_code(&env.kit(&["apply", "app", "--wait", "--timeout", "60s"]), 3);
    assert!(
        started.elapsed().as_secs() < 30,
        "a failure must not wait for the timeout"
    );
    assert!(
        err.contains("Progressing=False ProgressDeadlineExceeded"),
        "{err}"
    );
}

const CRD: &str = "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.NSGROUP
spec:
  group: NSGROUP
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
";

#[test]
fn crd_and_its_custom_resources_apply_in_order() {
    let Some(env) = Env::new("crd") else { return };
    let group = format!("{}.example.com", env.ns);
    // The custom resource comes first in the render; kit applies the CRD first and waits.
    env.write(
        "app/0-widget.yaml",
        &format!("apiVersion: {group}/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 3\n"),
    );
    env.write("app/1-crd.yaml", &CRD.replace("NSGROUP", &group));
    // Before: the diff shows both as new (the custom resource from the render alone).
    let (out, _) = assert_code(&env.kit(&["diff", "app"]), 1);
    assert!(
        out.contains("kind: Widget") && out.contains("kind: CustomResourceDefinition"),
        "{out}"
    );
    // A server dry run cannot create the custom resource before its CRD exists: it says so.
    let (out, _) = assert_code(&env.kit(&["apply", "app", "--dry-run=server"]), 0);
    assert!(
        out.contains("widget/w1") && out.contains("skipped"),
        "{out}"
    );

    let (out, _) = assert_code(&env.kit(&["apply", "app"]), 0);
    let crd = out.find("customresourcedefinition/").expect("crd line");
    let ready = out.find("ready").expect("crd established line");
    let w = out.find("widget/w1").expect("widget line");
    assert!(crd < ready && ready < w, "{out}");
    let (rt, client) = env.client();
    let ar = ApiResource::from_gvk_with_plural(
        &GroupVersionKind::gvk(&group, "v1", "Widget"),
        "widgets",
    );
    let api: Api<DynamicObject> = Api::namespaced_with(client, &env.ns, &ar);
    let w1 = rt.block_on(api.get("w1")).expect("widget stored");
    assert_eq!(w1.data["spec"]["size"], 3);
    drop(rt);
    assert_code(&env.kit(&["diff", "app"]), 0);
    let (out, _) = assert_code(&env.kit(&["apply", "app"]), 0);
    assert!(
        out.contains("widget/w1") && out.contains("unchanged"),
        "{out}"
    );
}

#[test]
fn a_kind_the_server_does_not_serve_is_a_clear_error() {
    let Some(env) = Env::new("unknown") else {
        return;
    };
    // batch/v1 CronJob arrived in Kubernetes 1.21; the test server is 1.20.
    env.write(
        "app/cron.yaml",
        "apiVersion: batch/v1
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
          containers:
          - name: c
            image: busybox
",
    );
    let (_, err) = assert_code(&env.kit(&["apply", "app"]), 3);
    assert!(
        err.contains("does not serve kind CronJob in batch/v1"),
        "{err}"
    );
    assert!(
        err.contains("batch/v1beta1"),
        "the help names where it is served:\n{err}"
    );
    let (_, err) = assert_code(&env.kit(&["diff", "app"]), 3);
    assert!(
        err.contains("does not serve kind CronJob in batch/v1"),
        "{err}"
    );
}

#[test]
fn secrets_are_masked_in_the_live_diff() {
    let Some(env) = Env::new("secret") else {
        return;
    };
    let secret = |v: &str| {
        format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  password: {v}\n")
    };
    env.write("app/secret.yaml", &secret("hunter2"));
    let (out, _) = assert_code(&env.kit(&["diff", "app"]), 1);
    assert!(
        !out.contains("hunter2") && !out.contains("aHVudGVyMg"),
        "{out}"
    );
    assert_code(&env.kit(&["apply", "app"]), 0);
    assert_code(&env.kit(&["diff", "app"]), 0);
    env.write("app/secret.yaml", &secret("correct-horse"));
    let (out, _) = assert_code(&env.kit(&["diff", "app"]), 1);
    assert!(out.contains("***"), "{out}");
    assert!(
        !out.contains("hunter2") && !out.contains("correct-horse"),
        "{out}"
    );
    assert!(
        !out.contains("aHVudGVyMg") && !out.contains("Y29ycmVjdC1ob3JzZQ"),
        "{out}"
    );
}

/// A `KUBECTL_EXTERNAL_DIFF` program for the tests: each file of its two directories as
/// `== LIVE/NAME` or `== MERGED/NAME` (kubectl's directories are `LIVE-123...`) and its text,
/// then the exit code `KIT_TEST_DIFF_EXIT` asks for.
const LIST_DIFF: &str = r#"#!/bin/sh
for dir in "$1" "$2"; do
  side=$(basename "$dir" | cut -d- -f1)
  for file in "$dir"/*; do
    [ -e "$file" ] || continue
    printf '== %s/%s\n' "$side" "$(basename "$file")"
    cat "$file"
  done
done
exit "${KIT_TEST_DIFF_EXIT:-1}"
"#;

/// [`LIST_DIFF`]'s output: the text of each file, by `SIDE/NAME`.
fn listed_files(out: &str) -> std::collections::BTreeMap<String, String> {
    let mut files = std::collections::BTreeMap::new();
    let mut current: Option<String> = None;
    for line in out.lines() {
        if let Some(name) = line.strip_prefix("== ") {
            files.insert(name.to_string(), String::new());
            current = Some(name.to_string());
        } else if let Some(text) = current.as_ref().and_then(|c| files.get_mut(c)) {
            text.push_str(line);
            text.push('\n');
        }
    }
    files
}

/// The live `kit diff PATH` runs `KUBECTL_EXTERNAL_DIFF` as `kubectl diff` does: two
/// directories holding every object of the render under kubectl's file names (the same names
/// `kubectl diff --server-side` writes for the same render, new objects with an empty `LIVE`
/// file, unchanged ones too), Secrets masked, the program's exit code passed through
/// (`--exit-code=false` as for the render-vs-render diff), the members apply would prune in
/// `LIVE` alone, and a program that does not exist an error.
#[test]
fn live_diff_runs_kubectl_external_diff_as_kubectl_does() {
    let Some(env) = Env::new("extdiff") else {
        return;
    };
    let script = env.write("list-diff.sh", LIST_DIFF);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let script = script.to_str().expect("utf-8 path");
    let secret = |v: &str| {
        format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  password: {v}\n")
    };
    env.write(
        "app/changed.yaml",
        &configmap("changed", &[("k", "before")]),
    );
    env.write("app/same.yaml", &configmap("same", &[("k", "kept")]));
    env.write("app/secret.yaml", &secret("hunter2"));
    assert_code(&env.kit(&["apply", "app"]), 0);
    env.write("app/changed.yaml", &configmap("changed", &[("k", "after")]));
    env.write("app/secret.yaml", &secret("correct-horse"));
    env.write("app/new.yaml", &configmap("new", &[("k", "new")]));
    let role = format!("{}-reader", env.ns);
    env.write(
        "app/role.yaml",
        &format!(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: {role}\nrules: []\n"
        ),
    );

    let external = |exit: &str, extra: &[&str]| {
        let mut args = vec!["diff", "app"];
        args.extend(extra);
        env.kit_with_env(
            &args,
            &[
                ("KUBECTL_EXTERNAL_DIFF", script),
                ("KIT_TEST_DIFF_EXIT", exit),
            ],
        )
    };
    let (out, err) = assert_code(&external("1", &[]), 1);
    assert!(err.is_empty(), "{err}");
    let files = listed_files(&out);
    let ns = &env.ns;
    let name = |side: &str, object: &str| format!("{side}/{object}");
    let changed = format!("v1.ConfigMap.{ns}.changed");
    let same = format!("v1.ConfigMap.{ns}.same");
    let new = format!("v1.ConfigMap.{ns}.new");
    let creds = format!("v1.Secret.{ns}.creds");
    let cluster_role = format!("rbac.authorization.k8s.io.v1.ClusterRole..{role}");
    let mut expected: Vec<String> = [&changed, &same, &new, &creds, &cluster_role]
        .iter()
        .flat_map(|o| [name("LIVE", o), name("MERGED", o)])
        .collect();
    expected.sort();
    assert_eq!(files.keys().cloned().collect::<Vec<_>>(), expected, "{out}");
    let content = |side: &str, object: &str| files[&name(side, object)].as_str();
    assert!(content("LIVE", &changed).contains("k: before"), "{out}");
    assert!(content("MERGED", &changed).contains("k: after"), "{out}");
    assert_eq!(content("LIVE", &same), content("MERGED", &same));
    assert!(content("LIVE", &same).contains("k: kept"), "{out}");
    for object in [&new, &cluster_role] {
        assert_eq!(content("LIVE", object), "", "{object} is new: {out}");
        assert!(content("MERGED", object).contains("kind: "), "{out}");
    }
    assert!(
        content("LIVE", &creds).contains("password: '*** (before)'"),
        "{out}"
    );
    assert!(
        content("MERGED", &creds).contains("password: '*** (after)'"),
        "{out}"
    );
    for secret in [
        "hunter2",
        "aHVudGVyMg",
        "correct-horse",
        "Y29ycmVjdC1ob3JzZQ",
    ] {
        assert!(!out.contains(secret), "{secret}: {out}");
    }

    // kubectl diff writes the same files for the same render.
    let rendered = env.kit(&["build", "app"]);
    assert_success(&rendered);
    std::fs::write(env.dir.join("rendered.yaml"), &rendered.stdout).expect("write");
    let kubectl = env
        .kubectl()
        .args([
            "diff",
            "--server-side",
            "--field-manager",
            "kit",
            "-f",
            "rendered.yaml",
        ])
        .env("KUBECTL_EXTERNAL_DIFF", script)
        .env("KIT_TEST_DIFF_EXIT", "1")
        .output()
        .expect("run kubectl");
    let (kubectl_out, kubectl_err) = text(&kubectl);
    assert_eq!(kubectl.status.code(), Some(1), "{kubectl_out}{kubectl_err}");
    assert_eq!(
        listed_files(&kubectl_out).keys().collect::<Vec<_>>(),
        files.keys().collect::<Vec<_>>(),
        "kubectl diff:\n{kubectl_out}"
    );

    // The program's exit code is kit's; --exit-code=false as for `kit diff OLD NEW`.
    for (exit, extra, code) in [
        ("0", &[][..], 0),
        ("1", &["--exit-code=false"][..], 0),
        ("0", &["--exit-code=false"][..], 0),
        ("2", &[][..], 3),
        ("2", &["--exit-code=false"][..], 3),
    ] {
        let o = external(exit, extra);
        assert_eq!(o.status.code(), Some(code), "exit {exit} {extra:?}");
    }
    let (_, err) = assert_code(
        &env.kit_with_env(
            &["diff", "app"],
            &[("KUBECTL_EXTERNAL_DIFF", "no-such-diff-program-kit -u")],
        ),
        3,
    );
    assert!(err.contains("no-such-diff-program-kit"), "{err}");

    // What apply would prune: in LIVE alone.
    env.write("set/a.yaml", &configmap("a", &[("k", "1")]));
    env.write("set/b.yaml", &configmap("b", &[("k", "2")]));
    assert_code(
        &env.kit(&["apply", "set", "--prune", "--applyset", "set"]),
        0,
    );
    env.remove("set/b.yaml");
    let o = env.kit_with_env(
        &["diff", "set", "--prune", "--applyset", "set"],
        &[("KUBECTL_EXTERNAL_DIFF", script)],
    );
    let (out, _) = assert_code(&o, 1);
    let files = listed_files(&out);
    let gone = format!("v1.ConfigMap.{ns}.b");
    assert!(files[&name("LIVE", &gone)].contains("k: \"2\""), "{out}");
    assert!(
        files[&name("LIVE", &gone)].contains("kind: ConfigMap"),
        "{out}"
    );
    assert!(!files.contains_key(&name("MERGED", &gone)), "{out}");
    // kit's own diff names and prints a pruned member whole too (a list's items come without
    // apiVersion and kind).
    let (out, _) = assert_code(
        &env.kit(&["diff", "set", "--prune", "--applyset", "set"]),
        1,
    );
    assert!(out.contains(&format!("--- LIVE/{gone}\n")), "{out}");
    assert!(
        out.contains("-apiVersion: v1\n") && out.contains("-kind: ConfigMap\n"),
        "{out}"
    );
    assert!(
        files.contains_key(&name("MERGED", &format!("v1.ConfigMap.{ns}.a"))),
        "{out}"
    );
}

/// A render that brings its own Namespace: on a cluster without it, `kit diff` shows the
/// Namespace and the objects in it as new (the server refuses a dry run in a namespace that
/// does not exist yet, so kit does not ask; kubectl diff fails here), then apply creates them
/// and the diff is empty.
#[test]
fn objects_in_a_namespace_the_render_creates_diff_as_new() {
    let Some(env) = Env::new("newns") else {
        return;
    };
    let ns = format!("{}-own", env.ns);
    env.write(
        "app/namespace.yaml",
        &format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n"),
    );
    env.write(
        "app/configmap.yaml",
        &format!(
            "{}metadata:\n  name: settings\n  namespace: {ns}\ndata:\n  a: \"1\"\n",
            "apiVersion: v1\nkind: ConfigMap\n"
        ),
    );
    let (out, err) = assert_code(&env.kit(&["diff", "app"]), 1);
    assert!(err.is_empty(), "{err}");
    for header in [
        format!("+++ MERGED/v1.Namespace..{ns}"),
        format!("+++ MERGED/v1.ConfigMap.{ns}.settings"),
    ] {
        assert!(out.contains(&header), "{header}:\n{out}");
    }
    assert_code(&env.kit(&["apply", "app"]), 0);
    assert_code(&env.kit(&["diff", "app"]), 0);
}

#[test]
fn kubeconfig_flags_context_and_errors() {
    let Some(env) = Env::new("kubeconfig") else {
        return;
    };
    env.write("app/a.yaml", &configmap("a", &[("k", "1")]));
    // --kubeconfig and --context explicitly.
    let kc = env.kubeconfig.to_string_lossy().into_owned();
    let (out, _) = assert_code(
        &env.kit(&["apply", "app", "--kubeconfig", &kc, "--context", "kit-test"]),
        0,
    );
    assert!(out.contains("created"), "{out}");
    let (_, err) = assert_code(&env.kit(&["apply", "app", "--context", "nope"]), 3);
    assert!(err.contains("no context \"nope\""), "{err}");
    let missing = Path::new("/nonexistent/kubeconfig")
        .to_string_lossy()
        .into_owned();
    let (_, err) = assert_code(&env.kit(&["apply", "app", "--kubeconfig", &missing]), 3);
    assert!(err.contains("cannot read kubeconfig"), "{err}");
}

/// Every field combination `kit validate` refuses (KIT-FLD014) is refused by the API server
/// too, at the same field: each case goes to `kit validate` and, as a server dry run, to
/// kube-apiserver. The server is 1.20, so a case names the apiVersion kit validates (1.30)
/// and the one the server serves, when they differ.
#[test]
fn field_combinations_kit_refuses_the_api_server_refuses() {
    let Some(env) = Env::new("combinations") else {
        return;
    };
    let template = |spec_extra: &str| {
        format!(
            "  selector: {{matchLabels: {{app: x}}}}\n  template:\n    metadata: {{labels: {{app: x}}}}\n    spec:\n      {spec_extra}containers: [{{name: c, image: nginx}}]\n"
        )
    };
    // (name, apiVersion for kit, apiVersion for the server, kind, the rest of the object)
    let cases: Vec<(&str, &str, &str, &str, String)> = vec![
        ("recreate-with-rolling-update", "apps/v1", "apps/v1", "Deployment",
            format!("spec:\n  strategy: {{type: Recreate, rollingUpdate: {{maxSurge: 1}}}}\n{}", template(""))),
        ("deployment-restart-never", "apps/v1", "apps/v1", "Deployment",
            format!("spec:\n{}", template("restartPolicy: Never\n      "))),
        ("surge-and-unavailable-zero", "apps/v1", "apps/v1", "Deployment",
            format!("spec:\n  strategy: {{rollingUpdate: {{maxSurge: 0, maxUnavailable: 0}}}}\n{}", template(""))),
        ("init-container-probe", "apps/v1", "apps/v1", "Deployment",
            format!("spec:\n{}", template("initContainers: [{name: i, image: busybox, readinessProbe: {exec: {command: [\"true\"]}}}]\n      "))),
        ("statefulset-on-delete-with-rolling-update", "apps/v1", "apps/v1", "StatefulSet",
            format!("spec:\n  serviceName: x\n  updateStrategy: {{type: OnDelete, rollingUpdate: {{partition: 1}}}}\n{}", template(""))),
        ("job-default-restart-policy", "batch/v1", "batch/v1", "Job",
            "spec:\n  template:\n    spec:\n      containers: [{name: c, image: busybox}]\n".to_string()),
        ("cronjob-restart-always", "batch/v1", "batch/v1beta1", "CronJob",
            "spec:\n  schedule: '@daily'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Always\n          containers: [{name: c, image: busybox}]\n".to_string()),
        ("pdb-both-policies", "policy/v1", "policy/v1beta1", "PodDisruptionBudget",
            "spec:\n  minAvailable: 1\n  maxUnavailable: 1\n  selector: {matchLabels: {app: x}}\n".to_string()),
        ("hpa-min-above-max", "autoscaling/v1", "autoscaling/v1", "HorizontalPodAutoscaler",
            "spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: x}\n  minReplicas: 5\n  maxReplicas: 3\n".to_string()),
        ("headless-node-port", "v1", "v1", "Service",
            "spec:\n  type: NodePort\n  clusterIP: None\n  ports: [{port: 80}]\n".to_string()),
        ("node-port-on-cluster-ip", "v1", "v1", "Service",
            "spec:\n  ports: [{port: 80, nodePort: 30080}]\n".to_string()),
        ("external-name-without-name", "v1", "v1", "Service",
            "spec:\n  type: ExternalName\n  clusterIP: 10.0.0.1\n".to_string()),
        ("service-without-ports", "v1", "v1", "Service",
            "spec:\n  selector: {app: x}\n".to_string()),
        ("ingress-without-backend-or-rules", "networking.k8s.io/v1", "networking.k8s.io/v1", "Ingress",
            "spec:\n  ingressClassName: nginx\n".to_string()),
    ];
    let mut disagreements = Vec::new();
    for (name, kit_api, server_api, kind, rest) in &cases {
        let object =
            |api: &str| format!("apiVersion: {api}\nkind: {kind}\nmetadata: {{name: x}}\n{rest}");
        disagreements.extend(env.refused_alike(
            name,
            "KIT-FLD014",
            &object(kit_api),
            &object(server_api),
        ));
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// Whether the server's refusal names `field` (`spec.ports[0].port`), a field under it, or
/// its parent (the server reports a label's value at `metadata.labels`, kit at the label).
fn names_field(refusal: &str, field: &str) -> bool {
    let parent = field
        .rfind(['.', '['])
        .map(|i| &field[..i])
        .filter(|p| p.contains('.'));
    refusal.contains(&format!("{field}: "))
        || refusal.contains(&format!("{field}."))
        || refusal.contains(&format!("{field}["))
        || parent.is_some_and(|p| refusal.contains(&format!("{p}: ")))
}

/// The examples of every API-server check in kit's registry (`kit explain KIT-FLD…`), sent to
/// kube-apiserver as server dry runs: the server refuses each bad example at every field kit
/// reports (or, when it cannot decode the object, without a field), and accepts each good
/// one. (Checks across the objects of an input, category `input`, are not the server's.)
#[test]
fn api_server_checks_agree_with_the_api_server_on_their_examples() {
    let Some(env) = Env::new("examples") else {
        return;
    };
    let mut disagreements = Vec::new();
    let checks = kit::validate::registry::registry().checks.iter();
    let checks: Vec<_> = checks.filter(|c| c.category == "api-server").collect();
    assert!(
        checks.len() >= 12,
        "the registry lost its API-server checks"
    );
    for check in checks {
        let id = &check.id;
        disagreements.extend(env.refused_alike(id, id, &check.bad, &check.bad));
        let (good, complaint) = env.server_dry_run(&format!("good/{id}.yaml"), &check.good);
        if !good {
            disagreements.push(format!(
                "{id}: the API server refuses the good example: {}",
                complaint.trim()
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// A change to a field the server keeps as created (here a Deployment's selector) is refused
/// by `kit diff` (its server dry run) and `kit apply` alike, with what to do.
#[test]
fn an_immutable_field_change_is_refused_with_what_to_do() {
    let Some(env) = Env::new("immutable") else {
        return;
    };
    let deployment = |app: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  selector: {{matchLabels: {{app: {app}}}}}\n  template:\n    metadata: {{labels: {{app: {app}}}}}\n    spec:\n      containers: [{{name: web, image: \"nginx:1.27\"}}]\n"
        )
    };
    env.write("app/deployment.yaml", &deployment("web"));
    assert_code(&env.kit(&["apply", "app"]), 0);
    env.write("app/deployment.yaml", &deployment("web-v2"));
    for command in ["diff", "apply"] {
        let (_, err) = assert_code(&env.kit(&[command, "app"]), 3);
        assert!(
            err.contains("spec.selector") && err.contains("field is immutable"),
            "{command}: {err}"
        );
        assert!(
            err.contains("help: the API server never changes"),
            "{command}: {err}"
        );
    }
}
