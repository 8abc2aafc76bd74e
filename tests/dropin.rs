//! What a kubectl user trips over when swapping in kit (issue 19): a misnamed kustomization
//! file, the load restrictor's error and its help, the help of a missing path, "did you mean"
//! for kustomization fields, `kit validate` on a container without an image, and `--help`
//! texts that belong to their flags. kubectl's verdicts are compared where kubectl has one.

// Tests report what they compared on the console.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod common;

use std::process::Command;

use common::{env_var, run, scratch, write};

const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n";

/// kubectl's exit code for `kubectl kustomize DIR` in `cwd`, when KIT_KUBECTL is set.
fn kubectl_code(cwd: &std::path::Path, dir: &str) -> Option<i32> {
    let kubectl = env_var("KIT_KUBECTL")?;
    let out = Command::new(kubectl)
        .current_dir(cwd)
        .args(["kustomize", dir])
        .output()
        .expect("run kubectl");
    Some(out.status.code().unwrap_or(-1))
}

/// A directory whose only kustomization is misspelled is refused, as kubectl refuses it,
/// with "did you mean kustomization.yaml" at the file that holds it, never rendered as plain
/// manifests (which printed the Kustomization object itself and dropped its namespace).
#[test]
fn a_misnamed_kustomization_is_refused() {
    let dir = scratch("misnamed");
    write(&dir, "a/kustomisation.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: x\nresources:\n- cm.yaml\n");
    write(&dir, "a/cm.yaml", CM);
    write(
        &dir,
        "b/Kustomization.yml",
        "kind: Component\nresources:\n- cm.yaml\n",
    );
    write(&dir, "b/cm.yaml", CM);
    // Flux's Kustomization is a resource of another group: still a plain directory.
    write(&dir, "flux/ks.yaml", "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\nspec:\n  path: ./apps\n");
    for (sub, file) in [("a", "kustomisation.yaml"), ("b", "Kustomization.yml")] {
        let (code, stdout, stderr) = run(&dir, &["build", sub]);
        assert_eq!(code, 2, "{sub}: {stdout}{stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(stderr.contains(&format!("{sub}/{file}:1:1")), "{stderr}");
        assert!(
            stderr.contains("did you mean kustomization.yaml?"),
            "{stderr}"
        );
        if let Some(k) = kubectl_code(&dir, sub) {
            assert_ne!(k, 0, "kubectl accepts {sub}");
        }
    }
    let (code, stdout, stderr) = run(&dir, &["build", "flux"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("kind: Kustomization"), "{stdout}");
}

/// Run inside the kustomization, the root prints as `.` (it was `''`), and the help names
/// the flag value kubectl accepts (`--load-restrictor none` is refused by kubectl); kit
/// accepts kustomize's spelling.
#[test]
fn load_restrictor_error_and_spelling() {
    let dir = scratch("restrictor");
    write(&dir, "k/kustomization.yaml", "resources:\n- ../out.yaml\n");
    write(&dir, "out.yaml", CM);
    let k = dir.join("k");
    let (code, _, stderr) = run(&k, &["build", "."]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is not in or below '.'"), "{stderr}");
    assert!(!stderr.contains("''"), "{stderr}");
    let help = "--load-restrictor LoadRestrictionsNone";
    assert!(
        stderr.replace("-\n        ", "-").contains(help)
            || stderr.contains("LoadRestrictionsNone"),
        "{stderr}"
    );
    for value in ["LoadRestrictionsNone", "none"] {
        let (code, stdout, stderr) = run(&k, &["build", ".", "--load-restrictor", value]);
        assert_eq!(code, 0, "{value}: {stderr}");
        assert!(stdout.contains("name: c"), "{stdout}");
    }
    if let Some(kubectl) = env_var("KIT_KUBECTL") {
        let out = Command::new(kubectl)
            .current_dir(&k)
            .args([
                "kustomize",
                ".",
                "--load-restrictor",
                "LoadRestrictionsNone",
            ])
            .output()
            .expect("kubectl");
        assert!(
            out.status.success(),
            "kubectl refuses the value kit's help suggests"
        );
    }
}

/// A missing path on the command line is relative to the working directory; one in a
/// kustomization is relative to the kustomization's directory: each help says its own.
#[test]
fn missing_path_help_is_true_for_where_the_path_came_from() {
    let dir = scratch("missing-path");
    write(&dir, "k/kustomization.yaml", "resources:\n- gone.yaml\n");
    let flat = |s: String| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (code, _, stderr) = run(&dir, &["build", "nowhere"]);
    let stderr = flat(stderr);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("relative to the working directory"),
        "{stderr}"
    );
    assert!(!stderr.contains("kustomization's directory"), "{stderr}");
    let (code, _, stderr) = run(&dir, &["build", "k"]);
    let stderr = flat(stderr);
    assert_eq!(code, 2);
    assert!(stderr.contains("k/kustomization.yaml:2:3"), "{stderr}");
    assert!(
        stderr.contains("relative to the kustomization's directory"),
        "{stderr}"
    );
}

/// A misspelt kustomization field gets the nearest field name (the helper validate uses).
#[test]
fn a_misspelt_kustomization_field_gets_did_you_mean() {
    let dir = scratch("typo");
    write(&dir, "k/kustomization.yaml", "resourcs:\n- cm.yaml\n");
    write(&dir, "k/cm.yaml", CM);
    write(
        &dir,
        "j/kustomization.yaml",
        "resources:\n- cm.yaml\nimages:\n- name: nginx\n  newTg: \"1\"\n",
    );
    write(&dir, "j/cm.yaml", CM);
    let (code, _, stderr) = run(&dir, &["build", "k"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `resources`?"), "{stderr}");
    let (code, _, stderr) = run(&dir, &["build", "j"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("did you mean `newTag`?"), "{stderr}");
}

/// The API server refuses a pod template container without an image
/// (`spec.template.spec.containers[0].image: Required value`), in every kind that holds
/// a pod template; and the other required-but-optional-in-the-schema fields.
#[test]
fn validate_requires_images_and_names_the_server_requires() {
    let dir = scratch("image");
    let pod_spec = "containers:\n- name: web\n";
    let indent = |text: &str, n: usize| {
        text.lines()
            .map(|l| format!("{}{l}\n", " ".repeat(n)))
            .collect::<String>()
    };
    let cases = [
        ("pod", format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n{}", indent(pod_spec, 2)), "spec.containers[0].image: Required value"),
        ("deploy", format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector: {{matchLabels: {{a: b}}}}\n  template:\n    metadata: {{labels: {{a: b}}}}\n    spec:\n{}", indent(pod_spec, 6)), "spec.template.spec.containers[0].image: Required value"),
        ("sts", format!("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\nspec:\n  serviceName: s\n  selector: {{matchLabels: {{a: b}}}}\n  template:\n    metadata: {{labels: {{a: b}}}}\n    spec:\n{}", indent(pod_spec, 6)), "spec.template.spec.containers[0].image: Required value"),
        ("ds", format!("apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: s\nspec:\n  selector: {{matchLabels: {{a: b}}}}\n  template:\n    metadata: {{labels: {{a: b}}}}\n    spec:\n{}", indent(pod_spec, 6)), "spec.template.spec.containers[0].image: Required value"),
        ("job", format!("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n{}", indent("initContainers:\n- name: init\n  image: \"\"\ncontainers:\n- name: web\n  image: x:1\n", 6)), "spec.template.spec.initContainers[0].image: Required value"),
        ("cronjob", format!("apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"* * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n{}", indent(pod_spec, 10)), "spec.jobTemplate.spec.template.spec.containers[0].image: Required value"),
        ("volumes", format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n{}", indent("volumes:\n- name: a\n  configMap: {}\n- name: b\n  secret: {defaultMode: 420}\ncontainers:\n- name: web\n  image: x:1\n  envFrom:\n  - configMapRef: {optional: true}\n  - secretRef: {name: \"\"}\n", 2)), "spec.volumes[0].configMap.name: Required value"),
    ];
    for (name, text, want) in &cases {
        write(&dir, &format!("{name}.yaml"), text);
        let (code, stdout, stderr) = run(&dir, &["validate", &format!("{name}.yaml")]);
        assert_eq!(code, 1, "{name}: {stdout}{stderr}");
        assert!(stdout.contains(want), "{name}: want {want:?} in\n{stdout}");
        assert!(stdout.contains("KIT-FLD015"), "{stdout}");
    }
    let (_, stdout, _) = run(&dir, &["validate", "volumes.yaml"]);
    for want in [
        "spec.volumes[1].secret.secretName: Required value",
        "spec.containers[0].envFrom[0].configMapRef.name: Required value",
        "spec.containers[0].envFrom[1].secretRef.name: Required value",
    ] {
        assert!(stdout.contains(want), "want {want:?} in\n{stdout}");
    }
    write(&dir, "ok.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n");
    let (code, stdout, stderr) = run(&dir, &["validate", "ok.yaml"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

/// Each flag's help is under its own flag (`kit lint --help` showed the load restrictor's
/// text under `--kubernetes-version`).
#[test]
fn lint_help_puts_each_text_under_its_flag() {
    let dir = scratch("help");
    let (code, stdout, _) = run(&dir, &["lint", "--help"]);
    assert_eq!(code, 0);
    let section = |flag: &str| -> String {
        let start = stdout
            .find(&format!("      {flag}"))
            .unwrap_or_else(|| panic!("{flag} in\n{stdout}"));
        let rest = &stdout[start..];
        // Long help: a blank line ends each flag's text.
        let end = rest.find("\n\n").map_or(rest.len(), |e| e);
        rest[..end].split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let version = section("--kubernetes-version");
    assert!(!version.contains("Which files"), "{version}");
    let restrictor = section("--load-restrictor");
    assert!(
        restrictor.contains("Which files a kustomization may read"),
        "{restrictor}"
    );
}

/// `--output concise`: one line per finding, `path:line:col: severity rule-id: message`,
/// for lint and validate; `kit rules` takes `--output` like the other commands.
#[test]
fn concise_output_is_one_line_per_finding() {
    let dir = scratch("concise");
    write(&dir, "pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: web\n    image: nginx:latest\n    ports:\n    - containerPort: 70000\n");
    let (code, stdout, stderr) = run(&dir, &["lint", "pod.yaml", "--output", "concise"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stdout.is_empty());
    for line in stdout.lines() {
        let (place, rest) = line.split_once(": ").expect("place: rest");
        let parts: Vec<&str> = place.split(':').collect();
        assert_eq!(parts.len(), 3, "{line}");
        assert_eq!(parts[0], "pod.yaml", "{line}");
        assert!(
            parts[1].parse::<usize>().is_ok() && parts[2].parse::<usize>().is_ok(),
            "{line}"
        );
        let (sev, _) = rest.split_once(' ').expect("severity");
        assert!(["error", "warning", "info"].contains(&sev), "{line}");
    }
    assert!(
        stdout.contains("pod.yaml:8:12: error KIT-IMG001: "),
        "{stdout}"
    );
    let (code, stdout, _) = run(&dir, &["validate", "pod.yaml", "--output", "concise"]);
    assert_eq!(code, 1);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with("pod.yaml:10:22: error KIT-FLD006: "),
        "{stdout}"
    );
    let (code, by_output, _) = run(&dir, &["rules", "--output", "json"]);
    assert_eq!(code, 0);
    let (_, by_format, _) = run(&dir, &["rules", "--format", "json"]);
    assert_eq!(by_output, by_format);
    assert!(by_output.trim_start().starts_with('['), "{by_output}");
}

/// `kit diff` runs `KUBECTL_EXTERNAL_DIFF` as kubectl diff does (two directories of
/// kubectl-named files as its last arguments; of the other words only plain flags), and
/// `--exit-code=false` turns "differences" into exit 0 as `argocd app diff` does.
#[test]
fn diff_honours_kubectl_external_diff_and_exit_code() {
    let dir = scratch("external-diff");
    let cm = |v: &str| {
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: n\ndata:\n  k: {v}\n")
    };
    write(&dir, "a/c.yaml", &cm("old"));
    write(&dir, "b/c.yaml", &cm("new"));
    write(&dir, "same/c.yaml", &cm("old"));
    let diff = |env: Option<&str>, extra: &[&str]| {
        let mut cmd = common::kit();
        cmd.current_dir(&dir)
            .env("NO_COLOR", "1")
            .arg("diff")
            .args(extra);
        match env {
            Some(v) => cmd.env("KUBECTL_EXTERNAL_DIFF", v),
            None => cmd.env_remove("KUBECTL_EXTERNAL_DIFF"),
        };
        common::output(&mut cmd)
    };
    // `diff -r` with a flag kubectl passes and a word it drops (`$x` is not a plain flag).
    let (code, stdout, stderr) = diff(Some("diff -r $x -U1"), &["a", "b"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("LIVE/v1.ConfigMap.n.c"), "{stdout}");
    assert!(stdout.contains("MERGED/v1.ConfigMap.n.c"), "{stdout}");
    assert!(stdout.contains("-  k: old\n+  k: new"), "{stdout}");
    assert!(!stdout.contains("@@ -1,7"), "-U1 was not passed: {stdout}");
    let (code, stdout, _) = diff(Some("diff -r"), &["a", "same"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    let (code, _, stderr) = diff(Some("no-such-diff-program"), &["a", "b"]);
    assert!(code > 1, "{stderr}");
    assert!(stderr.contains("no-such-diff-program"), "{stderr}");
    assert_eq!(diff(None, &["a", "b"]).0, 1);
    assert_eq!(diff(None, &["a", "b", "--exit-code"]).0, 1);
    assert_eq!(diff(None, &["a", "b", "--exit-code=false"]).0, 0);
    assert_eq!(diff(Some("diff -r"), &["a", "b", "--exit-code=false"]).0, 0);
    assert!(diff(None, &["a", "missing", "--exit-code=false"]).0 > 1);

    // The directories are laid out as kubectl diff lays them out: an object of the new side
    // has a file in both (an empty one in LIVE when it is new), one only on the old side is
    // in LIVE alone, and a new API version keeps the object's one name.
    let hpa = |version: &str| {
        format!("apiVersion: autoscaling/{version}\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\n  namespace: n\nspec:\n  maxReplicas: 2\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}\n")
    };
    write(&dir, "old/c.yaml", &cm("old"));
    write(&dir, "old/hpa.yaml", &hpa("v2beta2"));
    write(&dir, "new/hpa.yaml", &hpa("v2"));
    write(
        &dir,
        "new/d.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: d\n  namespace: n\n",
    );
    let (code, stdout, stderr) = diff(Some("diff -r"), &["old", "new", "--no-renames"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("LIVE: v1.ConfigMap.n.c\n") && !stdout.contains("MERGED: v1.ConfigMap.n.c"),
        "{stdout}"
    );
    assert!(
        stdout.contains("LIVE/v1.Secret.n.d ") && stdout.contains("MERGED/v1.Secret.n.d\n0a1,"),
        "{stdout}"
    );
    assert!(
        stdout.contains("LIVE/autoscaling.v2.HorizontalPodAutoscaler.n.h ")
            && !stdout.contains("v2beta2.HorizontalPodAutoscaler"),
        "{stdout}"
    );
}

/// The bundled example passes the project's own gates: every overlay and the chart lint and
/// validate clean from the repository root (the monitoring CRDs come from
/// `examples/.kit.yaml`), as the README promises.
#[test]
fn the_examples_pass_kit_lint_and_kit_validate() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for target in [
        "examples/overlays/dev",
        "examples/overlays/staging",
        "examples/overlays/prod",
        "examples/charts",
    ] {
        for command in ["lint", "validate"] {
            let (code, stdout, stderr) = run(root, &[command, target, "--output", "concise"]);
            assert_eq!(code, 0, "kit {command} {target}:\n{stdout}{stderr}");
            assert!(
                !stdout.contains(" error "),
                "kit {command} {target}:\n{stdout}"
            );
        }
    }
}

/// The completions offer rule ids and names wherever a rule is named (`kit lint --enable` and
/// `--disable`, `kit explain`): bash completes them (its completion function run as bash
/// runs it), zsh and fish show each with its other spelling; `--help` does not list the
/// 180 of them, and an unknown rule is still kit's own error (exit 2), not clap's.
#[test]
fn rule_ids_and_names_complete() {
    let dir = scratch("rule-completion");
    let (_, script, _) = run(&dir, &["completion", "bash"]);
    write(&dir, "kit.bash", &script);
    let complete = |words: &[&str]| -> Vec<String> {
        let program = format!(
            "source kit.bash; COMP_WORDS=({}); COMP_CWORD={}; _kit kit {} {}; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            words.join(" "),
            words.len() - 1,
            words[words.len() - 1],
            words[words.len() - 2],
        );
        let out = Command::new("bash")
            .current_dir(&dir)
            .args(["-c", &program])
            .output()
            .expect("bash");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect()
    };
    let ids = complete(&["kit", "lint", "--enable", "KIT-SEC00"]);
    assert!(ids.contains(&"KIT-SEC001".to_string()), "{ids:?}");
    assert!(ids.iter().all(|c| c.starts_with("KIT-SEC00")), "{ids:?}");
    let names = complete(&["kit", "lint", "--disable", "cpu-l"]);
    assert_eq!(names, ["cpu-limit-missing"]);
    assert!(complete(&["kit", "lint", "--enable", "al"]).contains(&"all".to_string()));
    let checks = complete(&["kit", "explain", "unknown-f"]);
    assert_eq!(checks, ["unknown-field"]);
    for (shell, entry) in [
        ("zsh", "KIT-SEC001\\:\"privileged-container\""),
        ("fish", "KIT-SEC001\\t'privileged-container'"),
    ] {
        let (_, script, _) = run(&dir, &["completion", shell]);
        assert!(script.contains(entry), "{shell}: no {entry}");
    }
    let (_, help, _) = run(&dir, &["lint", "--help"]);
    assert!(!help.contains("KIT-SEC001"), "{help}");
    let (code, _, stderr) = run(&dir, &["lint", "--enable", "no-such-rule", "."]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("unknown rule `no-such-rule`"), "{stderr}");
}

/// `kit completion SHELL` prints a script for each shell clap_complete knows, and every man
/// page `kit.1` (or a command's page) points at exists in completions/.
#[test]
fn completion_command_and_man_pages() {
    let dir = scratch("completion");
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef kit"),
        ("fish", "complete -c kit"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion"),
    ] {
        let (code, stdout, stderr) = run(&dir, &["completion", shell]);
        assert_eq!(code, 0, "{shell}: {stderr}");
        assert!(stdout.contains(marker), "{shell}: no {marker:?}");
        assert!(stdout.contains("load-restrictor"), "{shell}");
    }
    let completions = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let mut pages = 0;
    for entry in std::fs::read_dir(&completions)
        .expect("completions/")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".1") {
            continue;
        }
        pages += 1;
        let text = std::fs::read_to_string(entry.path()).expect("read");
        // clap_mangen writes `kit\-build(1)` in SEE ALSO.
        for line in text.lines().filter(|l| l.ends_with("(1)")) {
            let page = format!("{}.1", line.trim_end_matches("(1)").replace("\\-", "-"));
            assert!(
                completions.join(&page).is_file(),
                "{name} points at {page}, which is missing"
            );
        }
    }
    assert!(pages > 10, "{pages} man pages");
}
