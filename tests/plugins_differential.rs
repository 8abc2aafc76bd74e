//! Differential test for `generators`, `transformers` and `validators` with kustomize's
//! builtin plugins: seeded random kustomizations (configurations inline, in files and in
//! kustomization directories; values of every YAML type; field specs with and without
//! `create`) are rendered by `kubectl kustomize` (kustomize v5.8.1) and by the `kit` binary.
//! Outputs must be byte-identical, and both must fail together.
//!
//! Environment:
//!
//! - `KIT_KUBECTL`: the reference kubectl. Unset: the test prints why and passes (skipped).
//! - `KIT_PLUG_CASES`: cases (default 200).
//! - `KIT_PLUG_SEED`: run seed (decimal or 0x-hex). Case `i` depends only on it and `i`.
//! - `KIT_PLUG_ONLY`: comma-separated case indices.
//! - `KIT_PLUG_KEEP=1`: keep every case directory (failing ones are always kept).
//! - `KIT_PLUG_VERBOSE=1`: print why kubectl rejected each case it rejected.
//!
//! Run: `KIT_KUBECTL=/path/to/kubectl cargo test --test plugins_differential -- --nocapture`

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

mod common;

use common::{env_var, parse_u64};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

const DEFAULT_CASES: usize = 200;
const DEFAULT_SEED: u64 = 0x706c_7567_6469_6666; // "plugdiff"

// ---------------------------------------------------------------------------------------------
// Random numbers: splitmix64, seeded per case.

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u32) -> bool {
        (self.next() % 100) < u64::from(percent)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    /// A few distinct items, in pool order.
    fn some<'a>(&mut self, items: &[&'a str], max: usize) -> Vec<&'a str> {
        let want = 1 + self.below(max);
        let mut chosen: Vec<usize> = Vec::new();
        for _ in 0..want {
            let i = self.below(items.len());
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        chosen.into_iter().map(|i| items[i]).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// The input.

const RESOURCES: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: c
        image: nginx:1.0
        envFrom:
        - configMapRef:
            name: cm
      - name: side
        image: busybox
---
apiVersion: v1
kind: Service
metadata:
  name: svc
  annotations:
    path: /srv/data
spec:
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
data:
  k: v
  path: a/b
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
  namespace: keep
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: r
subjects:
- kind: ServiceAccount
  name: default
- kind: ServiceAccount
  name: sa
- kind: User
  name: u
---
apiVersion: v1
kind: Namespace
metadata:
  name: ns1
";

/// Scalars of every kind, written plain or quoted.
///
/// Known gap kept out: a plain timestamp (`2024-01-02`) that a plugin writes into an
/// annotation comes out as written (kit's final annotation pass restores the source text),
/// where kustomize prints the RFC 3339 form it handed the plugin.
const VALUES: &[&str] = &[
    "v1",
    "v1",
    "\"quoted\"",
    "51",
    "1.5",
    "2.0",
    "true",
    "yes",
    "on",
    "\"on\"",
    "0x1F",
    "1e3",
    "~",
    "\"\"",
    "a b",
];

const NAMES: &[&str] = &["x", "pre", "t-1", "007", "9"];

const LABEL_SPECS: &[&str] = &[
    "{path: metadata/labels, create: true}",
    "{path: metadata/labels, create: true, kind: Deployment}",
    "{path: metadata/annotations, create: true}",
    "{path: spec/template/metadata/labels, create: true, kind: Deployment}",
    "{path: spec/selector/matchLabels, kind: Deployment}",
    "{path: spec/selector, create: true, version: v1, kind: Service}",
    "{path: spec/missing/map, create: true, kind: ConfigMap}",
    "{path: spec/absent, kind: ConfigMap}",
];

const NAME_SPECS: &[&str] = &[
    "{path: metadata/name}",
    "{path: metadata/name, kind: Service}",
    "{path: metadata/name, kind: ConfigMap}",
    "{path: data/k, kind: ConfigMap}",
    "{path: data/new, kind: ConfigMap, create: true}",
    "{path: subjects/name, kind: RoleBinding}",
    "{path: spec/replicas, kind: Deployment}",
];

/// Field specs kustomize refuses (a string `create`, a number `kind`).
const BAD_SPECS: &[&str] = &[
    "{path: metadata/labels, create: \"true\"}",
    "{path: metadata/name, kind: 5}",
];

const NAMESPACE_SPECS: &[&str] = &[
    "{path: metadata/namespace, create: true}",
    "{path: subjects/namespace, kind: RoleBinding, create: true}",
    "{path: subjects/namespace, create: true}",
    "{path: spec/template/metadata/namespace, kind: Deployment, create: true}",
    "{path: metadata/name, kind: Namespace}",
    "{path: data/k, kind: ConfigMap}",
];

fn specs(rng: &mut Rng, pool: &[&str]) -> String {
    let mut chosen = rng.some(pool, 3);
    if rng.chance(4) {
        chosen.push(rng.pick(BAD_SPECS));
    }
    format!("[{}]", chosen.join(", "))
}

fn pairs(rng: &mut Rng) -> String {
    let values = VALUES;
    let keys = ["a", "b", "app", "tier"];
    let n = 1 + rng.below(3);
    let mut out = Vec::new();
    for k in keys.iter().take(n) {
        out.push(format!("{k}: {}", rng.pick(values)));
    }
    format!("{{{}}}", out.join(", "))
}

/// One plugin configuration (block YAML, `name` its metadata.name), for `generators`
/// (`generator == true`) or `transformers`.
fn plugin(rng: &mut Rng, name: &str, generator: bool) -> String {
    let head =
        |kind: &str| format!("apiVersion: builtin\nkind: {kind}\nmetadata:\n  name: {name}\n");
    if generator {
        return match rng.below(10) {
            0..=5 => {
                let kind = if rng.chance(70) {
                    "ConfigMapGenerator"
                } else {
                    "SecretGenerator"
                };
                let mut c = head(kind);
                let target = rng.pick(&["gen", "gen", "cm", "\"9\""]);
                if rng.chance(50) {
                    c.push_str(&format!("name: {target}\n"));
                } else {
                    c = c.replace(&format!("name: {name}\n"), &format!("name: {target}\n"));
                }
                if rng.chance(40) {
                    c.push_str(&format!(
                        "behavior: {}\n",
                        rng.pick(&["create", "merge", "replace", "Merge"])
                    ));
                }
                if rng.chance(6) {
                    c.push_str("literals: [5]\n");
                } else {
                    c.push_str(&format!(
                        "literals: [\"k={}\", \"n=1\"]\n",
                        rng.pick(&["a", "b", "c"])
                    ));
                }
                if rng.chance(50) {
                    // Generator options take strings only (numbers are refused there).
                    let labels = if rng.chance(80) {
                        format!("{{x: {}}}", rng.pick(&["v1", "\"51\"", "\"on\"", "a b"]))
                    } else {
                        pairs(rng)
                    };
                    c.push_str(&format!(
                        "options: {{disableNameSuffixHash: {}, labels: {labels}}}\n",
                        rng.pick(&["true", "false", "true", "true", "false", "yes"]),
                    ));
                }
                c
            }
            6..=8 => format!(
                "{}cloud: {}\nkubernetesService: {{name: {}{}}}\nserviceAccount: {{name: gsa, projectId: {}}}\n",
                head("IAMPolicyGenerator"),
                rng.pick(&["gke", "gke", "gke", "aws"]),
                rng.pick(&["ksa", "ksa2"]),
                if rng.chance(50) { ", namespace: team" } else { "" },
                rng.pick(&["proj", "p-1", "proj", "123"]),
            ),
            _ => head(rng.pick(&["LabelTransformer", "HelmChartInflationGenerator", "Bogus"])),
        };
    }
    match rng.below(13) {
        0 | 1 => {
            let kind = rng.pick(&["LabelTransformer", "AnnotationsTransformer"]);
            let key = if kind == "LabelTransformer" {
                "labels"
            } else {
                "annotations"
            };
            let mut c = format!("{}{key}: {}\n", head(kind), pairs(rng));
            if rng.chance(85) {
                c.push_str(&format!("fieldSpecs: {}\n", specs(rng, LABEL_SPECS)));
            }
            c
        }
        2 => {
            let mut c = head("NamespaceTransformer");
            c = c.replace(
                &format!("name: {name}\n"),
                &format!("name: {name}\n  namespace: {}\n", rng.pick(&["target", "keep", "\"\""])),
            );
            if rng.chance(50) {
                c.push_str(&format!("unsetOnly: {}\n", rng.pick(&["true", "false"])));
            }
            if rng.chance(60) {
                c.push_str(&format!(
                    "setRoleBindingSubjects: {}\n",
                    rng.pick(&["defaultOnly", "allServiceAccounts", "none", "bogus", "\"\""])
                ));
            }
            if rng.chance(80) {
                c.push_str(&format!("fieldSpecs: {}\n", specs(rng, NAMESPACE_SPECS)));
            }
            c
        }
        3 | 4 => {
            let kind = rng.pick(&["PrefixTransformer", "SuffixTransformer", "PrefixSuffixTransformer"]);
            let mut c = head(kind);
            if rng.chance(80) {
                c.push_str(&format!("prefix: {}-\n", rng.pick(NAMES)));
            }
            if rng.chance(60) {
                c.push_str(&format!("suffix: -{}\n", rng.pick(&["s", "1a", "x"])));
            }
            if rng.chance(92) {
                c.push_str(&format!("fieldSpecs: {}\n", specs(rng, NAME_SPECS)));
            }
            c
        }
        5 => {
            let mut c = format!(
                "{}imageTag: {{name: {}",
                head("ImageTagTransformer"),
                rng.pick(&["nginx", "busybox", "other"])
            );
            for (field, values) in [
                ("newName", &["repo/nginx", "my.reg:5000/x"][..]),
                ("newTag", &["2.0", "\"2.0\"", "latest", "3"][..]),
                ("digest", &["sha256:abc"][..]),
            ] {
                if rng.chance(45) {
                    c.push_str(&format!(", {field}: {}", rng.pick(values)));
                }
            }
            c.push_str("}\n");
            if rng.chance(50) {
                c.push_str("fieldSpecs: [{path: spec/image, kind: ConfigMap, create: true}]\n");
            }
            c
        }
        6 => format!(
            "{}replica: {{name: {}, count: {}}}\nfieldSpecs: [{}]\n",
            head("ReplicaCountTransformer"),
            rng.pick(&["web", "web", "web", "web", "nope"]),
            rng.pick(&["3", "0", "2.0"]),
            rng.pick(&[
                "{path: spec/replicas, create: true, kind: Deployment}",
                "{path: spec/replicas, kind: Deployment}",
                "{path: spec/replicas, create: true}",
            ])
        ),
        7 => {
            if rng.chance(50) {
                format!(
                    "{}target: {{kind: {}}}\npatch: |-\n  - op: {}\n    path: {}\n    value: {}\n",
                    head("PatchTransformer"),
                    rng.pick(&["Service", "Deployment", "ConfigMap"]),
                    rng.pick(&["add", "replace"]),
                    rng.pick(&["/metadata/labels", "/metadata/annotations/x", "/data/k", "/spec/x"]),
                    rng.pick(&["{a: b}", "1", "yes"])
                )
            } else {
                format!(
                    "{}patch: |-\n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cm\n  data:\n    extra: {}\n",
                    head("PatchTransformer"),
                    rng.pick(&["\"1\"", "two"])
                )
            }
        }
        8 => format!(
            "{}target: {{kind: Service, name: {}}}\njsonOp: '[{{\"op\": \"add\", \"path\": \"{}\", \"value\": \"v\"}}]'\n",
            head("PatchJson6902Transformer"),
            rng.pick(&["svc", "svc", "svc", "svc", "svc", ""]),
            rng.pick(&["/spec/type", "/metadata/annotations/j", "/metadata/labels"])
        ),
        9 => format!(
            "{}paths:\n- |-\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: web\n  spec:\n    paused: {}\n",
            head("PatchStrategicMergeTransformer"),
            rng.pick(&["true", "false"])
        ),
        10 => {
            let mut c = head("ValueAddTransformer");
            if rng.chance(50) {
                c.push_str(&format!("value: {}\n", rng.pick(&["proj", "\" padded \"", "42"])));
            }
            c.push_str("targets:\n");
            for t in rng.some(
                &[
                    "- fieldPath: metadata/namespace",
                    "- selector: {kind: Service}\n  fieldPath: metadata/annotations/path\n  filePathPosition: 2",
                    "- selector: {kind: ConfigMap}\n  fieldPath: data/path\n  filePathPosition: 1",
                    "- selector: {kind: ConfigMap}\n  fieldPath: data/new",
                    "- selector: {kind: Deployment}\n  fieldPath: spec/template/spec/containers",
                    "- selector: {kind: Deployment}\n  fieldPath: metadata/labels/app",
                    "- selector: {kind: Deployment}\n  fieldPath: spec/replicas\n  filePathPosition: 1",
                ],
                3,
            ) {
                c.push_str(t);
                c.push('\n');
            }
            c
        }
        11 => head("HashTransformer"),
        _ => format!(
            "{}replacements:\n- source: {{kind: ConfigMap, name: cm, fieldPath: data.k}}\n  targets:\n  - select: {{kind: Service}}\n    fieldPaths: [metadata.annotations.from-cm]\n    options: {{create: {}}}\n",
            head("ReplacementTransformer"),
            rng.pick(&["true", "true", "true", "false"])
        ),
    }
}

fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines()
        .map(|l| format!("{pad}{l}\n"))
        .collect::<String>()
}

struct Case {
    files: Vec<(String, String)>,
}

/// A kustomization over the fixed resources with a few plugin lists.
fn make(rng: &mut Rng) -> Case {
    let mut files = vec![("res.yaml".to_string(), RESOURCES.to_string())];
    let mut k = String::from("resources:\n- res.yaml\n");
    if rng.chance(30) {
        k.push_str("namespace: kns\n");
    }
    if rng.chance(25) {
        k.push_str("namePrefix: kp-\n");
    }
    if rng.chance(25) {
        k.push_str("commonLabels: {cl: x}\n");
    }
    if rng.chance(35) {
        k.push_str("configMapGenerator:\n- name: gen\n  literals: [base=1]\n");
        if rng.chance(50) {
            k.push_str("generatorOptions: {labels: {opt: g}}\n");
        }
    }
    let mut counter = 0;
    for (field, generator) in [
        ("generators", true),
        ("transformers", false),
        ("validators", false),
    ] {
        let wanted = match field {
            "generators" => rng.chance(40),
            "transformers" => true,
            _ => rng.chance(10),
        };
        if !wanted {
            continue;
        }
        k.push_str(&format!("{field}:\n"));
        let n = 1 + rng.below(3);
        let mut dir_configs: Vec<String> = Vec::new();
        for _ in 0..n {
            counter += 1;
            let name = format!("p{counter}");
            let config = plugin(rng, &name, generator);
            match rng.below(3) {
                0 => k.push_str(&format!("- |-\n{}", indent(&config, 2))),
                1 => {
                    let file = format!("{name}.yaml");
                    k.push_str(&format!("- {file}\n"));
                    files.push((file, config));
                }
                _ => dir_configs.push(config),
            }
        }
        if !dir_configs.is_empty() {
            let dir = format!("{field}-dir");
            k.push_str(&format!("- {dir}\n"));
            let mut dk = String::from("resources:\n");
            for (i, c) in dir_configs.iter().enumerate() {
                dk.push_str(&format!("- c{i}.yaml\n"));
                files.push((format!("{dir}/c{i}.yaml"), c.clone()));
            }
            if rng.chance(30) {
                dk.push_str("namePrefix: dirp-\n");
            }
            files.push((format!("{dir}/kustomization.yaml"), dk));
        }
    }
    files.push(("kustomization.yaml".to_string(), k));
    Case { files }
}

// ---------------------------------------------------------------------------------------------
// Running both tools.

fn render(mut cmd: Command) -> Result<String, String> {
    let out = cmd.output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn kubectl_render(kubectl: &str, dir: &Path) -> Result<String, String> {
    let mut cmd = Command::new(kubectl);
    cmd.arg("kustomize").arg(dir);
    render(cmd)
}

fn kit_render(dir: &Path) -> Result<String, String> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kit"));
    cmd.arg("build").arg(dir).env("NO_COLOR", "1");
    render(cmd)
}

/// Case index, identical, rejected by kubectl, the report when not identical.
type CaseResult = (usize, bool, bool, Option<String>);

#[test]
fn builtin_plugins_render_like_kubectl() {
    let Some(kubectl) = env_var("KIT_KUBECTL") else {
        println!(
            "plugins_differential: skipped: KIT_KUBECTL is not set (point it at kubectl with kustomize v5.8.1)"
        );
        return;
    };
    let n = env_var("KIT_PLUG_CASES").map_or(DEFAULT_CASES, |v| parse_u64(&v) as usize);
    let cases: Vec<usize> = match env_var("KIT_PLUG_ONLY") {
        Some(list) => list.split(',').map(|i| parse_u64(i) as usize).collect(),
        None => (0..n).collect(),
    };
    let seed = env_var("KIT_PLUG_SEED").map_or(DEFAULT_SEED, |v| parse_u64(&v));
    let keep = env_var("KIT_PLUG_KEEP").as_deref() == Some("1");
    let run_dir: PathBuf =
        std::env::temp_dir().join(format!("kit-plugins-diff-{}", std::process::id()));
    fs::create_dir_all(&run_dir).unwrap();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<CaseResult>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(&index) = cases.get(k) else { break };
                let mut rng = Rng(seed ^ (index as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
                rng.next();
                let case = make(&mut rng);
                let dir = run_dir.join(format!("case-{index:04}"));
                for (file, text) in &case.files {
                    let path = dir.join(file);
                    fs::create_dir_all(path.parent().unwrap()).unwrap();
                    fs::write(path, text).unwrap();
                }
                let expected = kubectl_render(&kubectl, &dir);
                let actual = kit_render(&dir);
                let pass = match (&expected, &actual) {
                    (Ok(a), Ok(b)) => a == b,
                    (Err(_), Err(_)) => true,
                    _ => false,
                };
                let report = (!pass).then(|| {
                    let show = |r: &Result<String, String>| match r {
                        Ok(o) => o.clone(),
                        Err(e) => format!("ERROR: {e}"),
                    };
                    fs::write(dir.join("kubectl.out"), show(&expected)).unwrap();
                    fs::write(dir.join("kit.out"), show(&actual)).unwrap();
                    let diff = similar::TextDiff::from_lines(&show(&expected), &show(&actual))
                        .unified_diff()
                        .header("kubectl", "kit")
                        .to_string();
                    format!(
                        "case {index} ({}):\n{}",
                        dir.display(),
                        diff.lines().take(40).collect::<Vec<_>>().join("\n")
                    )
                });
                if let (Err(e), true) = (&expected, env_var("KIT_PLUG_VERBOSE").is_some()) {
                    eprintln!(
                        "REJECTED {index}: {}",
                        e.lines().find(|l| l.starts_with("error")).unwrap_or("")
                    );
                }
                if pass && !keep {
                    let _ = fs::remove_dir_all(&dir);
                }
                results
                    .lock()
                    .unwrap()
                    .push((index, pass, expected.is_err(), report));
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|r| r.0);
    let failed: Vec<_> = results.iter().filter(|r| !r.1).collect();
    for r in failed.iter().take(5) {
        if let Some(rep) = &r.3 {
            eprintln!("{rep}\n");
        }
    }
    let rejected = results.iter().filter(|r| r.2).count();
    println!(
        "plugins_differential: {}/{} cases identical ({} rejected by both), seed {seed:#x}",
        results.len() - failed.len(),
        results.len(),
        rejected
    );
    if failed.is_empty() && !keep {
        let _ = fs::remove_dir_all(&run_dir);
    }
    assert!(
        failed.is_empty(),
        "{} of {} cases differ from kubectl (first ones above; inputs kept under {})",
        failed.len(),
        results.len(),
        run_dir.display()
    );
}
