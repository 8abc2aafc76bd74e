//! `kit build` as a drop-in for `kubectl kustomize` in scripts: the same command lines (with
//! kustomize's flags, `-o FILE`, `-o DIR`) run on the same trees with both, comparing stdout,
//! the files each wrote, kustomize's warnings on stderr (word for word) and the exit code
//! (kubectl's 1 is kit's 2, a usage or input error).
//!
//! `KIT_KUBECTL` names the reference kubectl (v1.37.1, kustomize v5.8.1); without it the test
//! is skipped loudly (a failure under `CI=true`). `KIT_HELM3` adds the helmCharts cases
//! (kubectl runs it as `--helm-command`).

// Tests report what they compared on the console.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::{env_var, scratch, skip_or_fail, write};

const DEPLOY: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: b
spec:
  template:
    spec:
      containers:
      - name: c
        image: nginx:1.27
";
const NS: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n";
const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: a\ndata:\n  z: \"1\"\n  a: \"yes\"\n";
const CM_DEFAULT: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  k: v\n";

/// One command line (arguments after `kustomize` / `build`) and extra environment variables.
type Run = (Vec<String>, Vec<(&'static str, &'static str)>);

/// A tree (files) and the command lines to run on it.
struct Case {
    name: &'static str,
    files: Vec<(&'static str, String)>,
    runs: Vec<Run>,
}

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

fn cases(helm: Option<&str>, helm4: Option<&str>) -> Vec<Case> {
    let layered = vec![
        (
            "base/kustomization.yaml",
            "commonLabels:\n  app: web\nresources:\n- res.yaml\n".to_string(),
        ),
        ("base/res.yaml", format!("{DEPLOY}---\n{CM}---\n{NS}---\n{CM_DEFAULT}")),
        (
            "ov/kustomization.yaml",
            "bases:\n- ../base\npatchesStrategicMerge:\n- p.yaml\n".to_string(),
        ),
        (
            "ov/p.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: a\ndata:\n  b: x\n"
                .to_string(),
        ),
    ];
    let mut out = vec![
        Case {
            name: "layered",
            files: layered.clone(),
            runs: vec![
                (args(&["ov"]), vec![]),
                (args(&["ov", "-o", "out.yaml"]), vec![]),
                (args(&["ov", "-o", "existing"]), vec![]),
                (args(&["ov", "--output", "out2.yaml"]), vec![]),
                (args(&["ov", "--reorder", "none"]), vec![]),
                (args(&["ov", "--reorder", "legacy"]), vec![]),
                (args(&["ov", "--reorder", "bogus"]), vec![]),
                (args(&["ov", "--enable-managedby-label"]), vec![]),
                (args(&["ov"]), vec![("KUSTOMIZE_ENABLE_MANAGEDBY_LABEL", "on")]),
                (
                    args(&["ov", "--enable-helm", "--enable-alpha-plugins", "--network", "--network-name", "n", "--mount", "type=bind,src=/tmp,dst=/x", "-e", "A=b", "--env", "C=d", "--as-current-user", "--helm-debug"]),
                    vec![],
                ),
                (args(&["ov", "-o", "missing/out.yaml"]), vec![]),
            ],
        },
        Case {
            name: "one-namespace-dir",
            files: vec![
                ("k/kustomization.yaml", "namespace: x\nresources:\n- r.yaml\n".to_string()),
                ("k/r.yaml", format!("{DEPLOY}---\n{CM}---\n{NS}")),
            ],
            runs: vec![(args(&["k", "-o", "existing"]), vec![])],
        },
        Case {
            name: "every-deprecated-field",
            files: vec![
                (
                    "k/kustomization.yaml",
                    "resources:\n- r.yaml\nvars:\n- name: VAR_N\n  objref: {kind: Deployment, name: web, apiVersion: apps/v1}\n  fieldref: {fieldpath: metadata.name}\nimageTags:\n- name: nginx\n  newTag: \"1.28\"\npatchesJson6902:\n- target: {group: apps, version: v1, kind: Deployment, name: web}\n  patch: '[{\"op\": \"add\", \"path\": \"/spec/replicas\", \"value\": 2}]'\npatchesStrategicMerge: []\ncommonLabels: {}\n".to_string(),
                ),
                ("k/r.yaml", format!("{DEPLOY}---\n{CM_DEFAULT}")),
            ],
            runs: vec![(args(&["k"]), vec![])],
        },
        Case {
            // The same base twice through two overlays, and a component: kustomize warns at
            // each load.
            name: "warnings-per-load",
            files: vec![
                ("base/kustomization.yaml", "commonLabels: {a: b}\nresources:\n- cm.yaml\n".to_string()),
                ("base/cm.yaml", CM_DEFAULT.to_string()),
                ("o1/kustomization.yaml", "namePrefix: one-\nbases:\n- ../base\n".to_string()),
                ("o2/kustomization.yaml", "namePrefix: two-\nresources:\n- ../base\n".to_string()),
                ("comp/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonLabels: {c: d}\n".to_string()),
                ("root/kustomization.yaml", "resources:\n- ../o1\n- ../o2\ncomponents:\n- ../comp\n".to_string()),
            ],
            runs: vec![(args(&["root"]), vec![])],
        },
        Case {
            name: "sort-options-and-reorder",
            files: vec![
                ("k/kustomization.yaml", "resources:\n- r.yaml\nsortOptions:\n  order: fifo\n".to_string()),
                ("k/r.yaml", format!("{DEPLOY}---\n{NS}")),
            ],
            runs: vec![
                (args(&["k", "--reorder", "legacy"]), vec![]),
                (args(&["k"]), vec![]),
            ],
        },
        Case {
            name: "load-restrictor",
            files: vec![
                ("k/kustomization.yaml", "resources:\n- ../outside.yaml\n".to_string()),
                ("outside.yaml", CM_DEFAULT.to_string()),
            ],
            runs: vec![
                (args(&["k", "--load-restrictor", "LoadRestrictionsNone"]), vec![]),
                (args(&["k", "--load-restrictor", "LoadRestrictionsRootOnly"]), vec![]),
                // A flag given twice takes its last value (pflag), in either order.
                (
                    args(&["k", "--load-restrictor", "LoadRestrictionsNone", "--load-restrictor", "LoadRestrictionsRootOnly"]),
                    vec![],
                ),
                (
                    args(&["k", "--load-restrictor", "LoadRestrictionsRootOnly", "--load-restrictor", "LoadRestrictionsNone"]),
                    vec![],
                ),
                (args(&["k"]), vec![]),
            ],
        },
        Case {
            // kustomize drops empty documents; kit refused `{}` as an object without a kind.
            name: "empty-documents",
            files: vec![
                ("k/kustomization.yaml", "resources:\n- r.yaml\n".to_string()),
                ("k/r.yaml", format!("{{}}\n---\n{CM_DEFAULT}---\n[]\n---\nnull\n---\napiVersion: v1\nkind: List\nitems: [{{}}]\n")),
            ],
            runs: vec![(args(&["k"]), vec![])],
        },
        Case {
            name: "misnamed-kustomization",
            files: vec![
                ("k/kustomisation.yaml", "namespace: x\nresources:\n- r.yaml\n".to_string()),
                ("k/r.yaml", CM_DEFAULT.to_string()),
                ("c/Kustomization.yml", "kind: Component\nresources:\n- r.yaml\n".to_string()),
                ("c/r.yaml", CM_DEFAULT.to_string()),
            ],
            runs: vec![(args(&["k"]), vec![]), (args(&["c"]), vec![])],
        },
    ];
    if let Some(helm) = helm {
        out.push(helm_values_case(helm));
        out.push(Case {
            name: "helm-flags",
            files: vec![
                (
                    "k/kustomization.yaml",
                    "helmCharts:\n- name: caps\n  releaseName: r\n  kubeVersion: \"1.28\"\n".to_string(),
                ),
                ("k/charts/caps/Chart.yaml", "apiVersion: v2\nname: caps\nversion: 0.1.0\n".to_string()),
                ("k/charts/caps/values.yaml", "x: 1\n".to_string()),
                (
                    "k/charts/caps/templates/cm.yaml",
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caps\ndata:\n  kube: {{ .Capabilities.KubeVersion.Version | quote }}\n  extra: {{ .Capabilities.APIVersions.Has \"extra.example.com/v1\" | quote }}\n".to_string(),
                ),
            ],
            runs: vec![
                (args(&["k", "--enable-helm", "--helm-command", helm]), vec![]),
                (
                    args(&["k", "--enable-helm", "--helm-command", helm, "--helm-kube-version", "1.31.2", "--helm-api-versions", "extra.example.com/v1"]),
                    vec![],
                ),
            ],
        });
    }
    if let Some(helm4) = helm4 {
        // kubectl runs helm v4; kit is told to be it (see `kit_argv`).
        let chart = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caps\ndata:\n  kube: {{ .Capabilities.KubeVersion | quote }}\n  version: {{ .Capabilities.KubeVersion.Version | quote }}\n  chart: {{ .Chart | toJson | quote }}\n---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  name: hook\n---\napiVersion: example.com/v1\nkind: Animal\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n";
        out.push(Case {
            name: "helm-v4",
            files: vec![
                (
                    "k/kustomization.yaml",
                    "helmCharts:\n- name: caps\n  releaseName: r\n".to_string(),
                ),
                (
                    "k/charts/caps/Chart.yaml",
                    "apiVersion: v2\nname: caps\nversion: 0.1.0\n".to_string(),
                ),
                ("k/charts/caps/values.yaml", "x: 1\n".to_string()),
                ("k/charts/caps/templates/all.yaml", chart.to_string()),
            ],
            runs: vec![
                (
                    args(&["k", "--enable-helm", "--helm-command", helm4]),
                    vec![],
                ),
                (
                    args(&[
                        "k",
                        "--enable-helm",
                        "--helm-command",
                        helm4,
                        "--helm-kube-version",
                        "1.33.4-gke.1",
                    ]),
                    vec![],
                ),
            ],
        });
    }
    out
}

/// Every file under `dir` (relative path → bytes).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("inside").display().to_string();
                out.insert(rel, std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

/// The lines of stderr that kustomize itself prints as warnings (deprecated fields and flags,
/// the sort-order clash), without the prefix klog puts before the last.
fn warnings(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .map(|l| {
            // `I1206 11:30:33.954247     890 log.go:244] Warning: ...` (klog) → `Warning: ...`.
            match l.split_once("] Warning:") {
                Some((_, rest)) if l.starts_with('I') => format!("Warning:{rest}"),
                _ => l.to_string(),
            }
        })
        .filter(|l| {
            l.starts_with("# Warning:") || l.starts_with("Flag --") || l.starts_with("Warning:")
        })
        .collect()
}

fn run(mut cmd: Command, dir: &Path, env: &[(&str, &str)]) -> (i32, String, String) {
    cmd.current_dir(dir).env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn kit_build_is_a_drop_in_for_kubectl_kustomize() {
    let Some(kubectl) = env_var("KIT_KUBECTL") else {
        skip_or_fail(
            "build_cli_differential",
            "KIT_KUBECTL is not set (the reference kubectl; scripts/test installs it)",
        );
        return;
    };
    let helm = env_var("KIT_HELM3");
    if helm.is_none() {
        println!(
            "build_cli_differential: KIT_HELM3 is not set: the helmCharts flag cases are left out"
        );
    }
    let helm4 = env_var("KIT_HELM4");
    if helm4.is_none() {
        println!("build_cli_differential: KIT_HELM4 is not set: the helm v4 case is left out");
    }
    let mut failures = Vec::new();
    let mut compared = 0;
    for case in cases(helm.as_deref(), helm4.as_deref()) {
        for (i, (argv, env)) in case.runs.iter().enumerate() {
            let label = format!("{} #{i}: {}", case.name, argv.join(" "));
            let dirs = [
                scratch(&format!("{}-{i}-kubectl", case.name)),
                scratch(&format!("{}-{i}-kit", case.name)),
            ];
            for d in &dirs {
                for (f, text) in &case.files {
                    write(d, f, text);
                }
                std::fs::create_dir_all(d.join("existing")).expect("mkdir");
            }
            // kustomize spells the output path `--output`; kit's `--output` is the format,
            // so kit gets `-o` for it (README: "kit build").
            let mut kit_argv: Vec<String> = argv
                .iter()
                .map(|a| {
                    if a == "--output" {
                        "-o".to_string()
                    } else {
                        a.clone()
                    }
                })
                .collect();
            // Where kubectl runs helm v4, kit renders as v4 does.
            if helm4.is_some() && argv.windows(2).any(|w| Some(&w[1]) == helm4.as_ref()) {
                kit_argv.extend(["--helm-version".to_string(), "4".to_string()]);
            }
            let mut k = Command::new(&kubectl);
            k.arg("kustomize").args(argv);
            let mut t = Command::new(env!("CARGO_BIN_EXE_kit"));
            t.arg("build").args(&kit_argv);
            let want = run(k, &dirs[0], env);
            let got = run(t, &dirs[1], env);
            compared += 1;
            let mut why = Vec::new();
            let code_agrees = (want.0 == 0 && got.0 == 0) || (want.0 != 0 && got.0 == 2);
            if !code_agrees {
                why.push(format!("exit: kubectl {} kit {}", want.0, got.0));
            }
            if want.1 != got.1 {
                why.push(format!(
                    "stdout differs:\n--- kubectl\n{}\n--- kit\n{}",
                    want.1, got.1
                ));
            }
            if warnings(&want.2) != warnings(&got.2) {
                why.push(format!(
                    "warnings differ:\n--- kubectl\n{}\n--- kit\n{}",
                    want.2, got.2
                ));
            }
            let (a, b) = (tree(&dirs[0]), tree(&dirs[1]));
            if a != b {
                let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
                why.push(format!(
                    "files differ: kubectl {:?} kit {:?}",
                    names(&a),
                    names(&b)
                ));
                for (name, bytes) in &a {
                    if b.get(name).is_some_and(|other| other != bytes) {
                        why.push(format!(
                            "{name}:\n--- kubectl\n{}\n--- kit\n{}",
                            String::from_utf8_lossy(bytes),
                            String::from_utf8_lossy(&b[name])
                        ));
                    }
                }
            }
            if !why.is_empty() {
                failures.push(format!("{label}\n{}", why.join("\n")));
            }
            for d in &dirs {
                let _ = std::fs::remove_dir_all(d);
            }
        }
    }
    println!(
        "build_cli_differential: {compared} command lines compared, {} differ",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// helmCharts values as kustomize hands them to helm: without valuesInline a copy of the
/// values file (read by helm with YAML 1.1: keys `y` and `n` are booleans, a `null` removes
/// the default); with it, the file merged with valuesInline by kyaml (YAML 1.2, nulls
/// removing what they meet), valuesInline itself read with YAML 1.1 (`yes` is true, `0777`
/// 511), for each `valuesMerge`.
fn helm_values_case(helm: &str) -> Case {
    let mut files = vec![
        ("charts/c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n".to_string()),
        (
            "charts/c/values.yaml",
            "a: 1\nm:\n  x: 1\n  y: 2\nlist: [1, 2]\nn: null\ns: str\non: yes\n".to_string(),
        ),
        (
            "charts/c/templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  v: {{ .Values | toJson | quote }}\n".to_string(),
        ),
        ("vf.yaml", "a: 5\nm: {y: 20}\nt: on\n".to_string()),
        ("extra.yaml", "m:\n  z: 3\nextra: file\n".to_string()),
    ];
    let inlines = [
        "",
        "  valuesInline: {a: 2, m: {x: 10, w: null}, list: [3], s: null, new: yes, o: 0777}\n",
        "  valuesInline:\n    a: yes\n    q: 'on'\n    r: !!str off\n    m:\n      x: on\n    b: |\n      yes\n    c: 1e3\n    d: 2001-01-01\n",
    ];
    let mut runs = Vec::new();
    let mut n = 0;
    for merge in ["", "  valuesMerge: merge\n", "  valuesMerge: replace\n"] {
        for inline in inlines {
            for file in [
                "",
                "  valuesFile: ../vf.yaml\n",
                "  additionalValuesFiles: [../extra.yaml]\n",
            ] {
                n += 1;
                let dir: &'static str = Box::leak(format!("k{n}").into_boxed_str());
                let path: &'static str =
                    Box::leak(format!("{dir}/kustomization.yaml").into_boxed_str());
                files.push((
                    path,
                    format!("helmGlobals:\n  chartHome: ../charts\nhelmCharts:\n- name: c\n{merge}{inline}{file}"),
                ));
                runs.push((
                    args(&[
                        dir,
                        "--enable-helm",
                        "--helm-command",
                        helm,
                        "--load-restrictor",
                        "LoadRestrictionsNone",
                    ]),
                    vec![],
                ));
            }
        }
    }
    Case {
        name: "helm-values",
        files,
        runs,
    }
}
