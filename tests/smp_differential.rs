//! Differential test of strategic-merge patches: kit's `patch::smp` against
//! `kubectl kustomize` (kustomize v5.8.1).
//!
//! Each case is one generated resource (`base.yaml`: a Deployment, StatefulSet, CronJob, Pod,
//! Service, ConfigMap or custom resource) and one generated strategic-merge patch
//! (`patch.yaml`: changed and new values, nulls, `$patch: delete|replace|merge` on maps, list
//! elements and lists, `$setElementOrder/..`, `$retainKeys`, `$deleteFromPrimitiveList/..`,
//! elements without their merge key, ports with and without `protocol`, now and then an
//! unknown directive or a value of the wrong kind), under a kustomization with
//! `resources: [base.yaml]` and `patches: [{path: patch.yaml}]` (a third of the cases select
//! the target with `target:` and give the patch another name). kubectl renders the directory;
//! kit loads the same files with `kit::load`, applies `kit::patch::smp` as kustomize's
//! `PatchTransformer` would, and prints with `kit::emit::yaml_stream`. The outputs must be
//! identical bytes, or both tools must fail. A fixed list of hand-written cases runs first.
//!
//! Environment:
//!
//! - `KIT_KUBECTL`: the reference kubectl (`scripts/install-test-tools` prints its path). When
//!   unset, the test is skipped with a message.
//! - `KIT_SKIP_DIFFERENTIAL=1`: skip.
//! - `KIT_SMP_CASES`: number of generated cases (default 300).
//! - `KIT_SMP_SEED`: run seed, decimal or 0x-hex; case `i` depends only on it and `i`.
//! - `KIT_SMP_ONLY`: comma-separated case indices to run (generated cases; `h0`, `h1`, ... for
//!   hand-written ones).
//! - `KIT_SMP_KEEP=1`: keep every case directory, not only failing ones.
//! - `KIT_SMP_THREADS`: worker threads (default 2).

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use common::{env_var, parse_u64, rng};

use kit::patch::smp::{self, Identity, IdentityOptions, MergeOutcome};

const DEFAULT_CASES: usize = 300;
const DEFAULT_SEED: u64 = 0x6b69_7473_6d70_0001;
const KUSTOMIZE_VERSION: &str = "v5.8.1";
const SHOWN_FAILURES: usize = 5;

/// One case: the files and how the kustomization refers to the patch.
struct Case {
    name: String,
    base: String,
    patch: String,
    /// `target:` selector (kind) instead of matching by the patch's id.
    target_kind: Option<String>,
}

struct Outcome {
    name: String,
    dir: PathBuf,
    kubectl: Result<String, String>,
    kit: Result<String, String>,
}

impl Outcome {
    fn passed(&self) -> bool {
        match (&self.kubectl, &self.kit) {
            (Ok(a), Ok(b)) => a == b,
            (Err(_), Err(_)) => true,
            _ => false,
        }
    }
}

#[test]
fn strategic_merge_matches_kubectl_kustomize() {
    if env_var("KIT_SKIP_DIFFERENTIAL").as_deref() == Some("1") {
        eprintln!("smp_differential: skipped (KIT_SKIP_DIFFERENTIAL=1)");
        return;
    }
    let Some(kubectl) = env_var("KIT_KUBECTL") else {
        eprintln!(
            "smp_differential: SKIPPED: KIT_KUBECTL is not set. This test compares kit's \
             strategic merge with `kubectl kustomize` (kustomize {KUSTOMIZE_VERSION}); run \
             `scripts/test`, or `scripts/install-test-tools` and export KIT_KUBECTL=<the path it prints>."
        );
        return;
    };
    let version = Command::new(&kubectl)
        .args(["version", "--client"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run KIT_KUBECTL={kubectl}: {e}"));
    assert!(
        String::from_utf8_lossy(&version.stdout)
            .contains(&format!("Kustomize Version: {KUSTOMIZE_VERSION}")),
        "KIT_KUBECTL={kubectl} does not embed kustomize {KUSTOMIZE_VERSION}"
    );

    let seed = env_var("KIT_SMP_SEED").map_or(DEFAULT_SEED, |s| parse_u64(&s));
    let count = env_var("KIT_SMP_CASES").map_or(DEFAULT_CASES, |s| parse_u64(&s) as usize);
    let only: Option<Vec<String>> =
        env_var("KIT_SMP_ONLY").map(|s| s.split(',').map(|x| x.trim().to_string()).collect());
    let keep_all = env_var("KIT_SMP_KEEP").as_deref() == Some("1");
    let threads = env_var("KIT_SMP_THREADS").map_or(2, |s| parse_u64(&s).max(1) as usize);

    let mut cases: Vec<Case> = handwritten();
    for i in 0..count {
        let case_seed = rng::mix(seed, i as u64);
        cases.push(gen::case(i, &mut rng::Rng::new(case_seed)));
    }
    if let Some(only) = &only {
        cases.retain(|c| only.contains(&c.name));
    }

    let run_dir = std::env::temp_dir().join(format!(
        "kit-smp-differential-{}-{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    fs::create_dir_all(&run_dir).unwrap();
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let outcomes = Mutex::new(Vec::new());
    thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(case) = cases.get(k) else {
                    break;
                };
                let outcome = run_case(&kubectl, &run_dir, case);
                if outcome.passed() && !keep_all {
                    let _ = fs::remove_dir_all(&outcome.dir);
                }
                outcomes.lock().unwrap().push(outcome);
            });
        }
    });
    let outcomes = outcomes.into_inner().unwrap();
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| !o.passed()).collect();
    let rejected = outcomes.iter().filter(|o| o.kubectl.is_err()).count();
    for o in failed.iter().take(SHOWN_FAILURES) {
        eprintln!("{}", report(o));
    }
    if failed.len() > SHOWN_FAILURES {
        let rest: Vec<&str> = failed[SHOWN_FAILURES..]
            .iter()
            .map(|o| o.name.as_str())
            .collect();
        eprintln!("smp_differential: also failed: {}", rest.join(","));
    }
    if !keep_all {
        let _ = fs::remove_dir(&run_dir);
    }
    eprintln!(
        "smp_differential: {} passed, {} failed of {} cases ({:.1}% pass; kubectl rejected {}; \
         KIT_SMP_SEED={seed:#x}; {:.1}s; failing cases kept under {})",
        outcomes.len() - failed.len(),
        failed.len(),
        outcomes.len(),
        100.0 * (outcomes.len() - failed.len()) as f64 / outcomes.len().max(1) as f64,
        rejected,
        started.elapsed().as_secs_f64(),
        run_dir.display()
    );
    assert!(
        failed.is_empty(),
        "smp_differential: {} of {} cases differ from kubectl kustomize",
        failed.len(),
        outcomes.len()
    );
    assert!(
        outcomes.len() < 20 || rejected * 4 < outcomes.len(),
        "kubectl rejected {rejected} of {} cases: the generator needs fixing",
        outcomes.len()
    );
}

fn report(o: &Outcome) -> String {
    let mut r = format!(
        "\n=== smp_differential: case {} FAILED (reproduce: KIT_SMP_ONLY={}; files in {})\n",
        o.name,
        o.name,
        o.dir.display()
    );
    match (&o.kubectl, &o.kit) {
        (Ok(a), Ok(b)) => {
            r += &similar::TextDiff::from_lines(a.as_str(), b.as_str())
                .unified_diff()
                .context_radius(3)
                .header("kubectl kustomize", "kit")
                .to_string();
        }
        (a, b) => {
            r += &format!("kubectl: {}\nkit: {}\n", summary(a), summary(b));
        }
    }
    r
}

fn summary(r: &Result<String, String>) -> String {
    match r {
        Ok(out) => format!("ok ({} bytes)", out.len()),
        Err(e) => format!("error: {}", e.lines().next().unwrap_or("")),
    }
}

fn run_case(kubectl: &str, run_dir: &Path, case: &Case) -> Outcome {
    let dir = run_dir.join(&case.name);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("base.yaml"), &case.base).unwrap();
    fs::write(dir.join("patch.yaml"), &case.patch).unwrap();
    let patches = match &case.target_kind {
        Some(kind) => format!("patches:\n- path: patch.yaml\n  target:\n    kind: {kind}\n"),
        None => "patches:\n- path: patch.yaml\n".to_string(),
    };
    fs::write(
        dir.join("kustomization.yaml"),
        format!("resources:\n- base.yaml\n{patches}"),
    )
    .unwrap();
    let out = Command::new(kubectl)
        .arg("kustomize")
        .arg(&dir)
        .output()
        .unwrap();
    let kubectl_result = if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let kit_result = run_kit(&dir, case.target_kind.is_some());
    let show = |r: &Result<String, String>| match r {
        Ok(s) => s.clone(),
        Err(e) => format!("ERROR: {e}\n"),
    };
    fs::write(dir.join("kubectl.out"), show(&kubectl_result)).unwrap();
    fs::write(dir.join("kit.out"), show(&kit_result)).unwrap();
    Outcome {
        name: case.name.clone(),
        dir,
        kubectl: kubectl_result,
        kit: kit_result,
    }
}

/// What kustomize's PatchTransformer does with one resource and one strategic-merge patch.
fn run_kit(dir: &Path, targeted: bool) -> Result<String, String> {
    let loader = kit::load::Loader::new();
    let err = |d: kit::diag::Diag| d.one_line(&loader.sources);
    let base = loader.load(&dir.join("base.yaml")).map_err(err)?;
    let mut resources = kit::load::resources_from_docs(&base.docs).map_err(err)?;
    let patch = loader.load(&dir.join("patch.yaml")).map_err(err)?;
    let patch = patch.docs.first().ok_or("empty patch")?.clone();
    let mut kept = Vec::new();
    for mut r in resources.drain(..) {
        let patch = if targeted {
            smp::targeted_patch_copy(&patch, &r.node)
        } else {
            patch.clone()
        };
        let before = Identity::of(&r.node);
        match smp::strategic_merge(&mut r.node, &patch).map_err(err)? {
            MergeOutcome::Deleted => continue,
            MergeOutcome::Merged => {
                smp::restore_identity(&mut r.node, &before, IdentityOptions::default());
                kept.push(r);
            }
        }
    }
    finish_build(&mut kept);
    Ok(kit::emit::yaml_stream(&kept))
}

/// What kustomize does to every resource at the end of a build (not part of patching; its
/// `RemoveBuildAnnotations`): annotations become strings (the YAML text of a scalar, `""` for
/// a list or map), and an empty annotations map is removed.
fn finish_build(resources: &mut kit::transform::Resources) {
    use kit::model::{Node, Value};
    for r in resources.iter_mut() {
        let Some(meta) = r.node.get_mut("metadata") else {
            continue;
        };
        let Some(Value::Map(entries)) = meta.get_mut("annotations").map(|a| &mut a.value) else {
            continue;
        };
        if entries.is_empty() {
            meta.remove("annotations");
            continue;
        }
        for (_, v) in entries.iter_mut() {
            let text = match &v.value {
                Value::Null => smp::null_text(v).to_string(),
                Value::Seq(_) | Value::Map(_) => String::new(),
                _ => v.scalar_text().unwrap_or_default(),
            };
            *v = Node::str(text, v.origin);
        }
    }
}

// ---------------------------------------------------------------------------------------------

/// Edge cases written by hand (checked against kubectl like the generated ones).
fn handwritten() -> Vec<Case> {
    const D: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n";
    let pod = |containers: &str| {
        format!("{D}spec:\n  template:\n    spec:\n      containers:\n{containers}")
    };
    let cases: Vec<(String, String)> = vec![
        // patch elements first, then the target's remaining ones
        (
            pod("      - {name: a, image: a}\n      - {name: b, image: b}\n      - {name: c, image: c}\n"),
            pod("      - {name: c, image: c2}\n      - {name: d, image: d}\n"),
        ),
        // a target element without the merge key swallows the merged ones before it
        (
            pod("      - {name: a, image: a}\n      - {image: nokey}\n      - {name: b, image: b}\n"),
            pod("      - {name: b, image: b2}\n"),
        ),
        // element-level replace has no effect, delete works
        (
            pod("      - {name: a, image: a, args: [x]}\n      - {name: b, image: b}\n"),
            pod("      - {name: a, $patch: replace, image: a2}\n      - {name: b, $patch: delete}\n"),
        ),
        // list-level replace and delete markers
        (
            pod("      - {name: a, image: a}\n"),
            pod("      - $patch: replace\n      - {name: z, image: z}\n"),
        ),
        (
            pod("      - {name: a, image: a}\n"),
            pod("      - $patch: delete\n"),
        ),
        // ports merge by containerPort + protocol, protocol given on one side only
        (
            pod("      - name: a\n        ports:\n        - {containerPort: 80, protocol: TCP, name: http}\n        - {containerPort: 53, protocol: UDP}\n"),
            pod("      - name: a\n        ports:\n        - {containerPort: 80, name: web}\n        - {containerPort: 53, protocol: TCP}\n"),
        ),
        (
            pod("      - name: a\n        ports:\n        - {containerPort: 80}\n"),
            pod("      - name: a\n        ports:\n        - {containerPort: 80, protocol: TCP, name: x}\n"),
        ),
        // env, volumeMounts, volumes, imagePullSecrets, hostAliases, tolerations
        (
            format!("{D}spec:\n  template:\n    spec:\n      containers:\n      - name: a\n        env: [{{name: A, value: '1'}}, {{name: B, value: '2'}}]\n        volumeMounts: [{{name: v, mountPath: /a}}]\n      volumes: [{{name: v, emptyDir: {{}}}}, {{name: w, configMap: {{name: cm}}}}]\n      imagePullSecrets: [{{name: s1}}]\n      hostAliases: [{{ip: 1.1.1.1, hostnames: [a]}}]\n      tolerations: [{{key: k, operator: Exists}}]\n"),
            format!("{D}spec:\n  template:\n    spec:\n      containers:\n      - name: a\n        env: [{{name: B, value: '3'}}, {{name: C, valueFrom: {{fieldRef: {{fieldPath: x}}}}}}]\n        volumeMounts: [{{name: v, mountPath: /b}}]\n      volumes: [{{name: w, $patch: delete}}, {{name: x, secret: {{secretName: s}}}}]\n      imagePullSecrets: [{{name: s2}}]\n      hostAliases: [{{ip: 1.1.1.1, hostnames: [b]}}]\n      tolerations: [{{key: j, operator: Exists}}]\n"),
        ),
        // directives kustomize copies as plain fields
        (
            pod("      - {name: a, image: a, args: [x, y]}\n"),
            format!("{D}spec:\n  $retainKeys: [template]\n  template:\n    spec:\n      $setElementOrder/containers: [{{name: a}}]\n      containers:\n      - name: a\n        $deleteFromPrimitiveList/args: [x]\n"),
        ),
        // nulls: deleting, keeping explicit target nulls, dropping empty ones
        (
            format!("{D}  labels:\n    a: x\n    b: y\n    k1:\n    k2: null\n    k3: ~\nspec:\n  replicas: 2\n"),
            format!("{D}  labels: {{a: null}}\nspec:\n  replicas: ~\n  paused:\n"),
        ),
        // top-level delete and replace
        (format!("{D}spec: {{replicas: 1}}\n"), format!("{D}$patch: delete\n")),
        (
            format!("{D}spec: {{replicas: 1}}\n"),
            format!("{D}$patch: replace\nspec: {{replicas: 3}}\n"),
        ),
        // map replace, unknown directive, wrong kind
        (
            format!("{D}spec:\n  selector: {{matchLabels: {{a: b}}}}\n"),
            format!("{D}spec:\n  selector:\n    $patch: replace\n    matchLabels: {{c: d}}\n"),
        ),
        (
            format!("{D}spec:\n  selector: {{matchLabels: {{a: b}}}}\n"),
            format!("{D}spec:\n  selector:\n    $patch: bogus\n"),
        ),
        (
            format!("{D}spec:\n  selector: {{matchLabels: {{a: b}}}}\n"),
            format!("{D}spec:\n  selector: [a]\n"),
        ),
        // finalizers merge as a set
        (
            format!("{D}  finalizers: [a, b]\n"),
            format!("{D}  finalizers: [c, a]\n"),
        ),
        // Service ports by port + protocol
        (
            "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n  - {port: 80, targetPort: 8080, protocol: TCP}\n  - {port: 53, protocol: UDP}\n".to_string(),
            "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n  - {port: 53, protocol: TCP, name: dns-tcp}\n  - {port: 80, targetPort: 9090}\n".to_string(),
        ),
        // custom resources: lists replaced, embedded typed objects merged by their schema
        (
            "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  items: [{name: a}, {name: b}]\n  template:\n    apiVersion: v1\n    kind: Pod\n    spec: {containers: [{name: a, image: a}]}\n".to_string(),
            "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  items: [{name: c}]\n  template:\n    apiVersion: v1\n    kind: Pod\n    spec: {containers: [{name: b, image: b}]}\n".to_string(),
        ),
        // a new map with $patch: delete is not added; a new keyed list keeps only keyed elements
        (
            pod("      - {name: a}\n"),
            format!("{D}spec:\n  strategy: {{$patch: delete, type: Recreate}}\n  template:\n    spec:\n      initContainers:\n      - {{name: i, image: i, env: [{{name: X, value: null}}]}}\n      - {{image: nokey}}\n"),
        ),
    ];
    cases
        .into_iter()
        .enumerate()
        .map(|(i, (base, patch))| Case {
            name: format!("h{i}"),
            base,
            patch,
            target_kind: None,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------

/// Generated values and a small block-style YAML writer.
mod gen {
    use super::rng::Rng;
    use super::Case;

    #[derive(Clone, Debug)]
    pub enum V {
        S(String),
        I(i64),
        B(bool),
        /// `null`, `~` or nothing.
        Null(u8),
        Seq(Vec<V>),
        Map(Vec<(String, V)>),
    }

    fn s(t: &str) -> V {
        V::S(t.to_string())
    }

    fn m(pairs: Vec<(&str, V)>) -> V {
        V::Map(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    impl V {
        fn get(&self, key: &str) -> Option<&V> {
            match self {
                V::Map(p) => p.iter().find(|(k, _)| k == key).map(|(_, v)| v),
                _ => None,
            }
        }
    }

    const NAMES: &[&str] = &["app", "sidecar", "proxy", "log", "init"];
    const ENV: &[&str] = &["A", "B", "C", "D"];
    const VOLS: &[&str] = &["data", "config", "cache"];
    const PORTS: &[i64] = &[80, 443, 8080, 53];
    const WORDS: &[&str] = &[
        "alpha",
        "beta",
        "gamma",
        "x1",
        "nginx:1.25",
        "redis",
        "/data",
        "on",
    ];
    /// Fields that act as merge keys somewhere (or look like it), in kustomize's preference.
    const KEYS: &[&str] = &[
        "name",
        "containerPort",
        "port",
        "ip",
        "mountPath",
        "type",
        "key",
        "topologyKey",
    ];

    fn word(rng: &mut Rng) -> V {
        match rng.below(10) {
            0 => V::I(rng.below(5) as i64),
            1 => V::B(rng.chance(50)),
            _ => V::S(rng.pick_owned(WORDS).to_string()),
        }
    }

    fn container(rng: &mut Rng, name: &str) -> V {
        let mut c = vec![
            ("name", s(name)),
            ("image", V::S(rng.pick_owned(WORDS).to_string())),
        ];
        if rng.chance(40) {
            c.push((
                "args",
                V::Seq((0..rng.below(3) + 1).map(|_| word(rng)).collect()),
            ));
        }
        if rng.chance(50) {
            let mut env = Vec::new();
            for n in ENV.iter().take(rng.below(4) + 1) {
                if rng.chance(70) {
                    env.push(m(vec![
                        ("name", s(n)),
                        ("value", V::S(rng.pick_owned(WORDS).to_string())),
                    ]));
                } else {
                    env.push(m(vec![
                        ("name", s(n)),
                        (
                            "valueFrom",
                            m(vec![(
                                "fieldRef",
                                m(vec![("fieldPath", s("metadata.name"))]),
                            )]),
                        ),
                    ]));
                }
            }
            c.push(("env", V::Seq(env)));
        }
        if rng.chance(50) {
            let mut ports = Vec::new();
            for _ in 0..rng.below(3) + 1 {
                let mut p = vec![("containerPort", V::I(rng.pick_owned(PORTS)))];
                if rng.chance(50) {
                    p.push(("protocol", s(if rng.chance(70) { "TCP" } else { "UDP" })));
                }
                if rng.chance(30) {
                    p.push((
                        "name",
                        V::S(rng.pick_owned(&["http", "dns", "metrics"]).to_string()),
                    ));
                }
                ports.push(m(p));
            }
            c.push(("ports", V::Seq(ports)));
        }
        if rng.chance(40) {
            let mounts = (0..rng.below(2) + 1)
                .map(|i| {
                    m(vec![
                        ("name", V::S(rng.pick_owned(VOLS).to_string())),
                        ("mountPath", V::S(format!("/m{i}"))),
                    ])
                })
                .collect();
            c.push(("volumeMounts", V::Seq(mounts)));
        }
        if rng.chance(30) {
            c.push((
                "resources",
                m(vec![(
                    "limits",
                    m(vec![("cpu", s("100m")), ("memory", s("64Mi"))]),
                )]),
            ));
        }
        m(c)
    }

    fn pod_spec(rng: &mut Rng) -> V {
        let mut names: Vec<&str> = NAMES.to_vec();
        rng.shuffle(&mut names);
        let n = rng.below(3) + 1;
        let mut containers: Vec<V> = names[..n].iter().map(|nm| container(rng, nm)).collect();
        if rng.chance(5) {
            containers.insert(
                rng.below(containers.len() + 1),
                m(vec![("image", s("nokey"))]),
            );
        }
        let mut spec = vec![("containers", V::Seq(containers))];
        if rng.chance(30) {
            spec.push(("initContainers", V::Seq(vec![container(rng, "init")])));
        }
        if rng.chance(50) {
            let vols = VOLS
                .iter()
                .take(rng.below(3) + 1)
                .map(|v| {
                    if rng.chance(50) {
                        m(vec![("name", s(v)), ("emptyDir", m(vec![]))])
                    } else {
                        m(vec![
                            ("name", s(v)),
                            ("configMap", m(vec![("name", s("cm"))])),
                        ])
                    }
                })
                .collect();
            spec.push(("volumes", V::Seq(vols)));
        }
        if rng.chance(30) {
            spec.push((
                "tolerations",
                V::Seq(vec![m(vec![("key", s("k1")), ("operator", s("Exists"))])]),
            ));
        }
        if rng.chance(30) {
            spec.push((
                "imagePullSecrets",
                V::Seq(vec![m(vec![("name", s("reg"))])]),
            ));
        }
        if rng.chance(20) {
            spec.push((
                "hostAliases",
                V::Seq(vec![m(vec![
                    ("ip", s("10.0.0.1")),
                    ("hostnames", V::Seq(vec![s("a")])),
                ])]),
            ));
        }
        if rng.chance(30) {
            spec.push(("nodeSelector", m(vec![("disk", s("ssd"))])));
        }
        if rng.chance(20) {
            spec.push((
                "topologySpreadConstraints",
                V::Seq(vec![m(vec![
                    ("topologyKey", s("zone")),
                    ("whenUnsatisfiable", s("DoNotSchedule")),
                    ("maxSkew", V::I(1)),
                ])]),
            ));
        }
        m(spec)
    }

    fn template(rng: &mut Rng) -> V {
        m(vec![
            ("metadata", m(vec![("labels", m(vec![("app", s("web"))]))])),
            ("spec", pod_spec(rng)),
        ])
    }

    fn metadata(rng: &mut Rng, name: &str) -> V {
        let mut md = vec![("name", s(name))];
        if rng.chance(30) {
            md.push(("namespace", s("ns1")));
        }
        if rng.chance(50) {
            md.push(("labels", m(vec![("app", s("web")), ("tier", s("be"))])));
        }
        if rng.chance(30) {
            md.push(("annotations", m(vec![("note", s("hello"))])));
        }
        if rng.chance(15) {
            md.push(("finalizers", V::Seq(vec![s("f1"), s("f2")])));
        }
        m(md)
    }

    fn base(rng: &mut Rng) -> V {
        let kind = rng.below(8);
        let (api, k) = [
            ("apps/v1", "Deployment"),
            ("apps/v1", "StatefulSet"),
            ("batch/v1", "CronJob"),
            ("v1", "Pod"),
            ("v1", "Service"),
            ("v1", "ConfigMap"),
            ("example.com/v1", "Widget"),
            ("apps/v1", "Deployment"),
        ][kind];
        let md = metadata(rng, "res");
        let spec = match k {
            "Deployment" | "StatefulSet" => {
                let mut sp = vec![
                    ("replicas", V::I(rng.below(4) as i64)),
                    (
                        "selector",
                        m(vec![("matchLabels", m(vec![("app", s("web"))]))]),
                    ),
                    ("template", template(rng)),
                ];
                if k == "Deployment" && rng.chance(40) {
                    sp.push((
                        "strategy",
                        m(vec![
                            ("type", s("RollingUpdate")),
                            ("rollingUpdate", m(vec![("maxSurge", V::I(1))])),
                        ]),
                    ));
                }
                if k == "StatefulSet" && rng.chance(40) {
                    sp.push((
                        "volumeClaimTemplates",
                        V::Seq(vec![m(vec![
                            ("metadata", m(vec![("name", s("data"))])),
                            (
                                "spec",
                                m(vec![("accessModes", V::Seq(vec![s("ReadWriteOnce")]))]),
                            ),
                        ])]),
                    ));
                }
                m(sp)
            }
            "CronJob" => m(vec![
                ("schedule", s("*/5 * * * *")),
                (
                    "jobTemplate",
                    m(vec![("spec", m(vec![("template", template(rng))]))]),
                ),
            ]),
            "Pod" => pod_spec(rng),
            "Service" => {
                let mut ports = Vec::new();
                for p in PORTS.iter().take(rng.below(3) + 1) {
                    let mut e = vec![("port", V::I(*p))];
                    if rng.chance(50) {
                        e.push(("targetPort", V::I(p + 1)));
                    }
                    if rng.chance(50) {
                        e.push(("protocol", s(if rng.chance(70) { "TCP" } else { "UDP" })));
                    }
                    if rng.chance(40) {
                        e.push(("name", V::S(format!("p{p}"))));
                    }
                    ports.push(m(e));
                }
                m(vec![
                    ("selector", m(vec![("app", s("web"))])),
                    ("ports", V::Seq(ports)),
                    ("type", s("ClusterIP")),
                ])
            }
            "ConfigMap" => m(vec![]),
            _ => m(vec![
                (
                    "items",
                    V::Seq(vec![
                        m(vec![("name", s("a")), ("v", V::I(1))]),
                        m(vec![("name", s("b"))]),
                    ]),
                ),
                ("settings", m(vec![("x", V::I(1)), ("y", s("z"))])),
                (
                    "template",
                    m(vec![
                        ("apiVersion", s("v1")),
                        ("kind", s("Pod")),
                        ("spec", pod_spec(rng)),
                    ]),
                ),
            ]),
        };
        let mut doc = vec![("apiVersion", s(api)), ("kind", s(k)), ("metadata", md)];
        if k == "ConfigMap" {
            doc.push(("data", m(vec![("a", s("1")), ("b", s("two"))])));
        } else {
            doc.push(("spec", spec));
        }
        m(doc)
    }

    /// A changed scalar.
    fn new_scalar(rng: &mut Rng, old: &V) -> V {
        match old {
            V::I(i) => V::I(i + 1 + rng.below(3) as i64),
            V::B(b) => V::B(!b),
            _ => V::S(format!("{}{}", rng.pick_owned(WORDS), rng.below(9))),
        }
    }

    fn null(rng: &mut Rng) -> V {
        V::Null(rng.below(3) as u8)
    }

    /// The merge key field of a list of maps, when its elements have one.
    fn key_of(items: &[V]) -> Option<&'static str> {
        KEYS.iter()
            .copied()
            .find(|k| items.iter().any(|i| i.get(k).is_some()))
    }

    fn patch_value(rng: &mut Rng, v: &V, depth: usize) -> V {
        match v {
            V::Map(pairs) => match rng.below(100) {
                0..=74 => patch_map(rng, pairs, depth + 1),
                75..=81 => null(rng),
                82..=87 => m(vec![("$patch", s("delete"))]),
                88..=94 => {
                    let mut fresh = vec![("$patch".to_string(), s("replace"))];
                    if let V::Map(p) = patch_map(rng, pairs, depth + 1) {
                        fresh.extend(p.into_iter().filter(|(k, _)| k != "$patch"));
                    }
                    V::Map(fresh)
                }
                95..=96 => m(vec![("$patch", s("merge")), ("extra", word(rng))]),
                97 => V::S("oops".to_string()),
                _ => m(vec![]),
            },
            V::Seq(items) => {
                if items.iter().all(|i| matches!(i, V::Map(_))) && !items.is_empty() {
                    match rng.below(100) {
                        0..=79 => patch_list(rng, items, depth),
                        80..=87 => null(rng),
                        88..=92 => V::Seq(vec![]),
                        93 => m(vec![("a", V::I(1))]),
                        _ => V::Seq(items.iter().take(1).cloned().collect()),
                    }
                } else {
                    match rng.below(100) {
                        0..=59 => V::Seq((0..rng.below(3) + 1).map(|_| word(rng)).collect()),
                        60..=79 => {
                            let mut out: Vec<V> =
                                items.iter().filter(|_| rng.chance(50)).cloned().collect();
                            out.push(word(rng));
                            rng.shuffle(&mut out);
                            V::Seq(out)
                        }
                        80..=89 => null(rng),
                        _ => V::Seq(vec![]),
                    }
                }
            }
            V::Null(_) => word(rng),
            scalar => match rng.below(100) {
                0..=69 => new_scalar(rng, scalar),
                70..=84 => null(rng),
                _ => scalar.clone(),
            },
        }
    }

    fn patch_map(rng: &mut Rng, pairs: &[(String, V)], depth: usize) -> V {
        let mut out: Vec<(String, V)> = Vec::new();
        let touch = if depth < 3 { 60 } else { 40 };
        for (k, v) in pairs {
            if rng.chance(touch) {
                out.push((k.clone(), patch_value(rng, v, depth)));
            }
        }
        if rng.chance(15) {
            let key = rng
                .pick_owned(&["extra", "newField", "labels", "zeta"])
                .to_string();
            let value = if rng.chance(60) {
                word(rng)
            } else if rng.chance(50) {
                m(vec![("inner", word(rng)), ("gone", null(rng))])
            } else {
                V::Seq(vec![
                    m(vec![("name", s("n1")), ("x", null(rng))]),
                    m(vec![("x", V::I(2))]),
                ])
            };
            if !out.iter().any(|(k, _)| *k == key) && !pairs.iter().any(|(k, _)| *k == key) {
                out.push((key, value));
            }
        }
        if rng.chance(3) {
            out.push(("$retainKeys".to_string(), V::Seq(vec![s("a")])));
        }
        if rng.chance(3) {
            if let Some((k, _)) = pairs.iter().find(|(_, v)| matches!(v, V::Seq(_))) {
                out.push((
                    format!("$setElementOrder/{k}"),
                    V::Seq(vec![m(vec![("name", s("app"))])]),
                ));
            }
        }
        if rng.chance(3) {
            out.push((
                "$deleteFromPrimitiveList/args".to_string(),
                V::Seq(vec![s("alpha")]),
            ));
        }
        if rng.chance(2) && !out.iter().any(|(k, _)| k == "$patch") {
            out.push(("$patch".to_string(), s(rng.pick_owned(&["merge", "bogus"]))));
        }
        rng.shuffle(&mut out);
        V::Map(out)
    }

    fn patch_list(rng: &mut Rng, items: &[V], depth: usize) -> V {
        let key = key_of(items);
        let mut out: Vec<V> = Vec::new();
        for item in items {
            let V::Map(pairs) = item else { continue };
            if !rng.chance(55) {
                continue;
            }
            let mut p = match patch_map(rng, pairs, depth + 1) {
                V::Map(p) => p,
                _ => Vec::new(),
            };
            p.retain(|(k, _)| Some(k.as_str()) != key && k != "protocol" && k != "$patch");
            let mut elem: Vec<(String, V)> = Vec::new();
            for k in [key.unwrap_or("name"), "protocol"] {
                if let Some(v) = item.get(k) {
                    // ports: leave the protocol out now and then
                    if k == "protocol" && rng.chance(30) {
                        continue;
                    }
                    elem.push((k.to_string(), v.clone()));
                }
            }
            if (key == Some("containerPort") || key == Some("port"))
                && item.get("protocol").is_none()
                && rng.chance(20)
            {
                elem.push(("protocol".to_string(), s("TCP")));
            }
            match rng.below(100) {
                0..=11 => elem.push(("$patch".to_string(), s("delete"))),
                12..=17 => {
                    elem.push(("$patch".to_string(), s("replace")));
                    elem.extend(p);
                }
                _ => elem.extend(p),
            }
            out.push(V::Map(elem));
        }
        if rng.chance(40) {
            // a new element
            let k = key.unwrap_or("name");
            let value = match k {
                "containerPort" | "port" => V::I(rng.pick_owned(&[81, 8443, 53])),
                "ip" => s("10.0.0.9"),
                "mountPath" => s("/new"),
                _ => V::S(rng.pick_owned(&["new1", "new2", "app", "data"]).to_string()),
            };
            let mut e = vec![(k.to_string(), value), ("image".to_string(), s("img"))];
            if k == "containerPort" && rng.chance(50) {
                e.push(("protocol".to_string(), s("UDP")));
            }
            if rng.chance(20) {
                e.push(("dropme".to_string(), null(rng)));
            }
            out.push(V::Map(e));
        }
        if rng.chance(5) {
            out.push(m(vec![("image", s("nokey"))]));
        }
        rng.shuffle(&mut out);
        if rng.chance(6) {
            out.insert(
                0,
                m(vec![(
                    "$patch",
                    s(rng.pick_owned(&["replace", "replace", "delete", "merge"])),
                )]),
            );
        }
        V::Seq(out)
    }

    pub fn case(index: usize, rng: &mut Rng) -> Case {
        let base = base(rng);
        let V::Map(pairs) = &base else { unreachable!() };
        let targeted = rng.chance(30);
        let mut patch: Vec<(String, V)> = Vec::new();
        for (k, v) in pairs {
            match k.as_str() {
                "apiVersion" | "kind" => patch.push((k.clone(), v.clone())),
                "metadata" => {
                    let mut md = vec![(
                        "name".to_string(),
                        if targeted {
                            s("other")
                        } else {
                            v.get("name").unwrap().clone()
                        },
                    )];
                    if let Some(ns) = v.get("namespace") {
                        if !targeted || rng.chance(50) {
                            md.push(("namespace".to_string(), ns.clone()));
                        }
                    }
                    if let V::Map(p) = v {
                        for (mk, mv) in p {
                            if (mk == "labels" || mk == "annotations" || mk == "finalizers")
                                && rng.chance(40)
                            {
                                md.push((mk.clone(), patch_value(rng, mv, 2)));
                            }
                        }
                    }
                    if rng.chance(10) && !md.iter().any(|(k, _)| k == "labels") {
                        md.push(("labels".to_string(), m(vec![("added", s("yes"))])));
                    }
                    patch.push(("metadata".to_string(), V::Map(md)));
                }
                _ => {
                    if rng.chance(85) {
                        patch.push((k.clone(), patch_value(rng, v, 0)));
                    }
                }
            }
        }
        if rng.chance(2) {
            patch.push((
                "$patch".to_string(),
                s(rng.pick_owned(&["delete", "replace"])),
            ));
        }
        let kind = base.get("kind").and_then(|k| match k {
            V::S(s) => Some(s.clone()),
            _ => None,
        });
        Case {
            name: index.to_string(),
            base: write(&base),
            patch: write(&V::Map(patch)),
            target_kind: if targeted { kind } else { None },
        }
    }

    // --- writer ---------------------------------------------------------------------------------

    pub fn write(doc: &V) -> String {
        let mut out = String::new();
        block(doc, 0, &mut out);
        out
    }

    fn scalar(v: &V) -> String {
        match v {
            V::S(t) => {
                let plain = !t.is_empty()
                    && t.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
                    && !t.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.')
                    && ![
                        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~",
                    ]
                    .contains(&t.to_ascii_lowercase().as_str());
                if plain {
                    t.clone()
                } else {
                    format!("{t:?}")
                }
            }
            V::I(i) => i.to_string(),
            V::B(b) => b.to_string(),
            V::Null(0) => "null".to_string(),
            V::Null(1) => "~".to_string(),
            V::Null(_) => String::new(),
            V::Seq(_) => "[]".to_string(),
            V::Map(_) => "{}".to_string(),
        }
    }

    fn is_block(v: &V) -> bool {
        matches!(v, V::Seq(s) if !s.is_empty()) || matches!(v, V::Map(p) if !p.is_empty())
    }

    fn key(k: &str) -> String {
        if k.chars()
            .all(|c| c.is_ascii_alphanumeric() || "$/._-".contains(c))
            && !k.is_empty()
        {
            k.to_string()
        } else {
            format!("{k:?}")
        }
    }

    /// After `key:` or `- `: a scalar on the same line, or a block on the next lines.
    fn after(v: &V, indent: usize, out: &mut String) {
        if is_block(v) {
            out.push('\n');
            block(v, indent, out);
        } else {
            let t = scalar(v);
            if !t.is_empty() {
                out.push(' ');
                out.push_str(&t);
            }
            out.push('\n');
        }
    }

    fn block(v: &V, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        match v {
            V::Map(pairs) => {
                for (k, val) in pairs {
                    out.push_str(&pad);
                    out.push_str(&key(k));
                    out.push(':');
                    after(val, indent + 2, out);
                }
            }
            V::Seq(items) => {
                for item in items {
                    out.push_str(&pad);
                    out.push('-');
                    match item {
                        V::Map(pairs) if !pairs.is_empty() => {
                            // first key on the dash line
                            let mut first = true;
                            for (k, val) in pairs {
                                if first {
                                    out.push(' ');
                                    first = false;
                                } else {
                                    out.push_str(&pad);
                                    out.push_str("  ");
                                }
                                out.push_str(&key(k));
                                out.push(':');
                                after(val, indent + 4, out);
                            }
                        }
                        other => after(other, indent + 2, out),
                    }
                }
            }
            other => {
                out.push_str(&scalar(other));
                out.push('\n');
            }
        }
    }
}
