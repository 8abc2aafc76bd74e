//! `kit lint`, `kit rules`, `kit explain` from the command line: exit codes, output shapes,
//! suppression, findings located through overlays, deterministic order.

mod common;

use common::{run, scratch, write};

const LATEST: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:latest
";

/// Only warnings with the default rules (no error-level finding): a pinned image, limits.
const WARNINGS_ONLY: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27.2
      resources:
        limits: {cpu: 500m, memory: 256Mi}
";

/// A Deployment as the CI gate must stop it with no configuration at all: each container
/// is checked for an unpinned image and for CPU and memory limits.
const GATE: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: pinned-no-limits
          image: nginx:1.27.2
          resources:
            requests: {cpu: 100m, memory: 128Mi}
        - name: untagged
          image: nginx
          resources:
            limits: {cpu: 500m, memory: 256Mi}
        - name: latest
          image: nginx:latest
          resources:
            limits: {cpu: 500m, memory: 256Mi}
        - name: no-cpu-limit
          image: nginx:1.27.2
          resources:
            limits: {memory: 256Mi}
";

#[test]
fn the_default_gate_stops_latest_tags_and_missing_limits() {
    let dir = scratch("gate");
    write(&dir, "deploy.yaml", GATE);
    let errors = |args: &[&str]| {
        let (code, out, err) = run(&dir, args);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{err}"));
        let mut errors: Vec<String> = v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["severity"] == "error")
            .map(|f| {
                format!(
                    "{}:{} {}",
                    f["line"],
                    f["column"],
                    f["name"].as_str().unwrap_or("")
                )
            })
            .collect();
        errors.sort();
        (code, errors)
    };
    let (code, found) = errors(&["lint", "deploy.yaml", "--output", "json"]);
    assert_eq!(code, 1, "{found:?}");
    assert_eq!(
        found,
        [
            "13:11 cpu-limit-missing",
            "13:11 memory-limit-missing",
            "18:18 image-tag-latest",
            "22:18 image-tag-latest",
            "28:21 cpu-limit-missing",
        ],
    );
    // One line of .kit.yaml relaxes CPU limits (still reported, as a warning).
    write(
        &dir,
        ".kit.yaml",
        "lint: {severity: {cpu-limit-missing: warning}}
",
    );
    let (code, found) = errors(&["lint", "deploy.yaml", "--output", "json"]);
    assert_eq!(code, 1, "memory limits and tags still fail: {found:?}");
    assert_eq!(
        found,
        [
            "13:11 memory-limit-missing",
            "18:18 image-tag-latest",
            "22:18 image-tag-latest",
        ],
    );
    write(
        &dir,
        "fixed.yaml",
        &GATE
            .replace("image: nginx\n", "image: nginx:1.27.2\n")
            .replace("nginx:latest", "nginx:1.27.2")
            .replace(
                "requests: {cpu: 100m, memory: 128Mi}",
                "limits: {memory: 256Mi}",
            ),
    );
    let (code, found) = errors(&["lint", "fixed.yaml", "--output", "json"]);
    assert_eq!(
        (code, found),
        (0, vec![]),
        "no CPU limit passes with the relaxed policy"
    );
    std::fs::remove_file(dir.join(".kit.yaml")).expect("rm");
    let (code, found) = errors(&["lint", "fixed.yaml", "--output", "json"]);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        ["16:21 cpu-limit-missing", "28:21 cpu-limit-missing"]
    );
}

#[test]
fn exit_codes_follow_fail_on() {
    let dir = scratch("exit");
    write(&dir, "latest.yaml", LATEST);
    write(&dir, "warn.yaml", WARNINGS_ONLY);
    assert_eq!(run(&dir, &["lint", "latest.yaml"]).0, 1);
    assert_eq!(run(&dir, &["lint", "warn.yaml"]).0, 0);
    assert_eq!(
        run(&dir, &["lint", "warn.yaml", "--fail-on", "warning"]).0,
        1
    );
    assert_eq!(run(&dir, &["lint", "warn.yaml", "--fail-on", "info"]).0, 1);
    // Disabling the one error-level rule that fires lets the run pass.
    write(
        &dir,
        "latest-limited.yaml",
        &WARNINGS_ONLY.replace("nginx:1.27.2", "nginx:latest"),
    );
    assert_eq!(run(&dir, &["lint", "latest-limited.yaml"]).0, 1);
    assert_eq!(
        run(
            &dir,
            &[
                "lint",
                "latest-limited.yaml",
                "--disable",
                "image-tag-latest"
            ]
        )
        .0,
        0
    );
    let (code, _, err) = run(&dir, &["lint", "missing.yaml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("missing.yaml"), "{err}");
    let (code, _, err) = run(&dir, &["lint", "warn.yaml", "--enable", "no-such-rule"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown rule `no-such-rule`"), "{err}");
    let (code, _, err) = run(&dir, &["lint", "warn.yaml", "--policy", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown policy"), "{err}");
    let (code, _, err) = run(&dir, &["lint", "warn.yaml", "--fail-on", "fatal"]);
    assert_eq!(code, 2, "{err}");
    write(&dir, "bad.yaml", "kind: [unclosed\n");
    assert_eq!(run(&dir, &["lint", "bad.yaml"]).0, 2);
    // A bad root flags the run but the others are still linted.
    let (code, out, err) = run(&dir, &["lint", "bad.yaml", "latest.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.yaml"), "{err}");
    assert!(out.contains("KIT-IMG001"), "{out}");
}

#[test]
fn text_output_shows_the_line_to_edit() {
    let dir = scratch("text");
    write(&dir, "latest.yaml", LATEST);
    let (code, out, _) = run(
        &dir,
        &[
            "lint",
            "latest.yaml",
            "--disable",
            "all",
            "--enable",
            "KIT-IMG001",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        out.contains("latest.yaml:8:14: container `web` uses image `nginx:latest`"),
        "{out}"
    );
    assert!(out.contains("8 │       image: nginx:latest"), "{out}");
    assert!(out.contains("KIT-IMG001"), "{out}");
    assert!(
        out.trim_end()
            .ends_with("1 finding: 1 error, 0 warnings, 0 info"),
        "{out}"
    );
}

#[test]
fn json_sarif_and_github_outputs() {
    let dir = scratch("json");
    write(&dir, "latest.yaml", LATEST);
    let (code, out, _) = run(
        &dir,
        &["lint", "latest.yaml", "--output", "json", "--enable", "all"],
    );
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let findings = v["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    let f = findings
        .iter()
        .find(|f| f["rule"] == "KIT-IMG001")
        .expect("image finding");
    assert_eq!(f["name"], "image-tag-latest");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["file"], "latest.yaml");
    assert_eq!(f["line"], 8);
    assert_eq!(f["column"], 14);
    assert_eq!(f["object"]["kind"], "Pod");
    assert_eq!(f["object"]["name"], "web");
    assert_eq!(v["summary"]["total"].as_u64(), Some(findings.len() as u64));

    let (_, out, _) = run(&dir, &["lint", "latest.yaml", "--output", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("sarif");
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().expect("results");
    assert!(results.iter().any(|r| r["ruleId"] == "KIT-IMG001"
        && r["locations"][0]["physicalLocation"]["region"]["startLine"] == 8));

    let (_, out, _) = run(&dir, &["lint", "latest.yaml", "--output", "github"]);
    assert!(
        out.lines().any(|l| l.starts_with(
            "::error file=latest.yaml,line=8,col=14,title=KIT-IMG001 image-tag-latest::"
        )),
        "{out}"
    );
}

#[test]
fn annotations_silence_rules() {
    let dir = scratch("ignore");
    let with = |annotation: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    {annotation}\nspec:\n  containers:\n    - name: web\n      image: nginx:latest\n      resources:\n        limits: {{cpu: 500m, memory: 256Mi}}\n")
    };
    for annotation in [
        "kit.io/ignore: image-tag-latest",
        "kit.io/ignore: \"KIT-IMG001: pinned by the deploy pipeline\"",
        "kube-score/ignore: container-image-tag",
        "ignore-check.kube-linter.io/latest-tag: \"pinned elsewhere\"",
        "kube-linter.io/ignore-all: \"\"",
    ] {
        write(&dir, "pod.yaml", &with(annotation));
        let (code, out, _) = run(&dir, &["lint", "pod.yaml", "--output", "json"]);
        let v: serde_json::Value = serde_json::from_str(&out).expect("json");
        let fired = v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["rule"] == "KIT-IMG001");
        assert!(
            !fired,
            "{annotation} did not silence image-tag-latest: {out}"
        );
        assert_eq!(code, 0, "{annotation}");
    }
}

#[test]
fn findings_point_into_the_patch_that_set_the_value() {
    let dir = scratch("overlay");
    write(
        &dir,
        "base/kustomization.yaml",
        "resources:\n- deploy.yaml\n",
    );
    write(&dir, "base/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27.2\n");
    write(
        &dir,
        "prod/kustomization.yaml",
        "resources:\n- ../base\npatches:\n- path: privileged.yaml\n",
    );
    write(&dir, "prod/privileged.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          securityContext:\n            privileged: true\n");
    let (code, out, err) = run(
        &dir,
        &[
            "lint",
            "prod",
            "--output",
            "json",
            "--disable",
            "all",
            "--enable",
            "privileged-container",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "KIT-SEC001");
    assert_eq!(f["file"], "prod/privileged.yaml", "{out}");
    assert_eq!(f["line"], 11);
}

#[test]
fn output_order_is_deterministic_across_roots() {
    let dir = scratch("order");
    for i in 0..6 {
        write(&dir, &format!("r{i}/pod.yaml"), LATEST);
    }
    let args = [
        "lint", "r5", "r0", "r3", "r1", "r4", "r2", "--output", "json",
    ];
    let first = run(&dir, &args).1;
    for _ in 0..3 {
        assert_eq!(run(&dir, &args).1, first);
    }
    let v: serde_json::Value = serde_json::from_str(&first).expect("json");
    let files: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["file"].as_str())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
}

#[test]
fn rules_and_explain() {
    let dir = scratch("rules");
    let (code, out, _) = run(&dir, &["rules"]);
    assert_eq!(code, 0);
    assert!(out.lines().next().is_some_and(|l| l.starts_with("ID")));
    assert!(out.contains("KIT-SEC001  privileged-container"));
    let (code, out, _) = run(&dir, &["explain", "run-as-root"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("KIT-SEC003 run-as-root:"), "{out}");
    assert!(out.contains("kube-linter: run-as-non-root"));
    let (code, _, err) = run(&dir, &["explain", "KIT-NOPE"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown rule"), "{err}");
    let (code, out, _) = run(&dir, &["rules", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert!(v.as_array().is_some_and(|a| a.len() >= 50));
}

#[test]
fn stdin_is_linted() {
    let dir = scratch("stdin");
    let out = common::run_with_stdin(&dir, &["lint", "-", "--output", "json"], LATEST);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["findings"][0]["file"], "<stdin>");
}

#[test]
fn plain_directory_with_an_object_defined_twice_is_linted() {
    // A repository of unrelated manifests may define the same object in two files: `kit
    // build` refuses that, lint checks both (and still fails on a duplicate key in one file).
    let dir = scratch("plain-dup");
    write(&dir, "a/pod.yaml", LATEST);
    write(&dir, "b/pod.yaml", LATEST);
    let (code, stdout, stderr) = run(&dir, &["lint", ".", "--output", "json"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.contains("a/pod.yaml") && stdout.contains("b/pod.yaml"),
        "{stdout}"
    );
    write(&dir, "b/pod.yaml", "kind: Pod\nkind: Pod\n");
    let (code, _, stderr) = run(&dir, &["lint", "."]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("b/pod.yaml:2:1"), "{stderr}");
}

/// Parses XML with Python's standard library (installed wherever `scripts/test` runs) and
/// fails when it is not well-formed.
fn assert_well_formed_xml(xml: &str) {
    use std::io::Write;
    let mut child = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())",
        ])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("python3 is needed to check the XML reports (scripts/test installs tools with it)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(xml.as_bytes())
        .expect("write xml");
    assert!(
        child.wait().expect("python3").success(),
        "not well-formed XML:\n{xml}"
    );
}

#[test]
fn junit_checkstyle_and_tap_outputs() {
    let dir = scratch("junit");
    write(&dir, "latest.yaml", LATEST);
    write(
        &dir,
        "clean.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings & more\ndata: {a: b}\n",
    );
    let args = |format: &'static str| {
        vec![
            "lint",
            "latest.yaml",
            "clean.yaml",
            "--output",
            format,
            "--disable",
            "all",
            "--enable",
            "image-tag-latest,cpu-request-missing",
        ]
    };

    let (code, out, _) = run(&dir, &args("junit"));
    assert_eq!(code, 1);
    assert_well_formed_xml(&out);
    // One passing case for the clean object, a failed case for the error, a passing case
    // (with the finding in system-out) for the warning below --fail-on.
    assert!(
        out.contains("<testsuites name=\"kit-lint\" tests=\"3\" failures=\"1\""),
        "{out}"
    );
    assert!(
        out.contains("name=\"ConfigMap/settings &amp; more\"/>"),
        "{out}"
    );
    assert!(
        out.contains("<failure message=\"container `web` uses image `nginx:latest`"),
        "{out}"
    );
    assert!(
        out.contains("type=\"KIT-IMG001\">latest.yaml:8:14 error KIT-IMG001"),
        "{out}"
    );
    assert!(out.contains("<system-out>"), "{out}");
    let (_, warning_fails, _) = run(
        &dir,
        &[args("junit"), vec!["--fail-on", "warning"]].concat(),
    );
    assert!(
        warning_fails.contains("tests=\"3\" failures=\"2\""),
        "{warning_fails}"
    );

    let (_, out, _) = run(&dir, &args("checkstyle"));
    assert_well_formed_xml(&out);
    assert!(out.contains("<file name=\"latest.yaml\">"), "{out}");
    assert!(
        out.contains("<error line=\"8\" column=\"14\" severity=\"error\""),
        "{out}"
    );
    assert!(out.contains("source=\"kit-lint.KIT-IMG001\""), "{out}");
    assert!(!out.contains("clean.yaml"), "{out}");

    let (_, out, _) = run(&dir, &args("tap"));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[..2], ["TAP version 13", "1..2"], "{out}");
    assert!(
        out.contains("not ok 1 - latest.yaml Pod/web\n  ---\n  findings:\n    - rule: "),
        "{out}"
    );
    assert!(out.contains("    - rule: \"KIT-IMG001\"\n"), "{out}");
    assert!(out.contains("      at: \"latest.yaml:8:14\"\n"), "{out}");
    assert!(
        out.contains("ok 2 - clean.yaml ConfigMap/settings & more\n"),
        "{out}"
    );
}

/// An input that cannot be read (exit 2) is in the JUnit, Checkstyle and TAP reports too, at
/// the place `--output json` gives it, beside the findings of the files that load.
#[test]
fn junit_checkstyle_and_tap_carry_input_errors() {
    let dir = scratch("junit-errors");
    write(&dir, "latest.yaml", LATEST);
    write(
        &dir,
        "broken.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\ndata:\n  a: b\n",
    );
    let args = |format: &'static str| {
        vec![
            "lint",
            "latest.yaml",
            "broken.yaml",
            "--output",
            format,
            "--disable",
            "all",
            "--enable",
            "image-tag-latest",
        ]
    };
    let (code, out, _) = run(&dir, &args("json"));
    assert_eq!(code, 2, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    let error = &json["errors"][0];
    let code_name = error["code"].as_str().expect("code");
    let at = format!("broken.yaml:{}:{}", error["line"], error["column"]);
    assert_eq!(error["file"], "broken.yaml", "{json}");

    let (code, out, _) = run(&dir, &args("junit"));
    assert_eq!(code, 2, "{out}");
    assert_well_formed_xml(&out);
    assert!(
        out.contains("<testsuites name=\"kit-lint\" tests=\"2\" failures=\"1\" errors=\"1\">"),
        "{out}"
    );
    assert!(
        out.contains("<testsuite name=\"broken.yaml\" tests=\"1\" failures=\"0\" errors=\"1\">"),
        "{out}"
    );
    assert!(
        out.contains(&format!("type=\"{code_name}\">{at} error {code_name}&#10;")),
        "{out}"
    );
    assert!(
        out.contains("type=\"KIT-IMG001\">latest.yaml:8:14"),
        "{out}"
    );

    let (code, out, _) = run(&dir, &args("checkstyle"));
    assert_eq!(code, 2, "{out}");
    assert_well_formed_xml(&out);
    let (line, col) = (error["line"].to_string(), error["column"].to_string());
    assert!(
        out.contains(&format!(
            "<file name=\"broken.yaml\">\n    <error line=\"{line}\" column=\"{col}\" severity=\"error\""
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("source=\"kit-lint.{code_name}\"/>")),
        "{out}"
    );
    assert!(out.contains("source=\"kit-lint.KIT-IMG001\""), "{out}");

    let (code, out, _) = run(&dir, &args("tap"));
    assert_eq!(code, 2, "{out}");
    assert!(
        out.starts_with("TAP version 13\n1..2\nnot ok 1 - latest.yaml Pod/web\n"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "not ok 2 - broken.yaml input error {code_name}\n  ---\n  code: \"{code_name}\"\n  severity: error\n"
        )),
        "{out}"
    );
    assert!(out.contains(&format!("  at: \"{at}\"\n  ...\n")), "{out}");
}

#[test]
fn a_malformed_file_does_not_hide_the_findings_of_its_directory() {
    let dir = scratch("malformed");
    write(&dir, "k8s/latest.yaml", LATEST);
    write(
        &dir,
        "k8s/broken.yaml",
        "apiVersion: v1\nkind: ConfigMap\ndata: [\n",
    );
    let (code, out, err) = run(&dir, &["lint", "k8s", "--output", "json"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("k8s/broken.yaml:"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert!(
        v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["rule"] == "KIT-IMG001" && f["file"] == "k8s/latest.yaml"),
        "{out}"
    );
}

/// `--kubernetes-version` (or `.kit.yaml`'s `lint.kubernetesVersion`) decides which API
/// versions are removed (error), not yet served (error) or deprecated (warning).
#[test]
fn kubernetes_version_targets_api_versions() {
    let dir = scratch("k8s-version");
    write(
        &dir,
        "apis.yaml",
        "apiVersion: resource.k8s.io/v1beta2\nkind: DeviceClass\nmetadata: {name: gpu}\nspec: {}\n---\napiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: {name: f}\nspec:\n  priorityLevelConfiguration: {name: global-default}\n",
    );
    let only = ["--no-config", "--disable", "all", "--enable"];
    let rules = "deprecated-api,api-version-deprecated";
    let lint = |version: &str| {
        let mut args = vec!["lint", "apis.yaml", "--output", "json"];
        args.extend(only);
        args.push(rules);
        if !version.is_empty() {
            args.extend(["--kubernetes-version", version]);
        }
        run(&dir, &args)
    };
    // Newest: v1beta2 DeviceClass deprecated (v1 is served), v1beta3 FlowSchema removed in 1.32.
    let (code, out, err) = lint("");
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("DeviceClass is deprecated; use resource.k8s.io/v1"),
        "{out}"
    );
    assert!(
        out.contains("FlowSchema was removed in Kubernetes 1.32"),
        "{out}"
    );
    // 1.31: FlowSchema v1beta3 still served but deprecated; DeviceClass not served yet.
    let (code, out, err) = lint("v1.31.4");
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("DeviceClass is not served by Kubernetes 1.31"),
        "{out}"
    );
    assert!(out.contains("FlowSchema is deprecated"), "{out}");
    assert!(!out.contains("was removed"), "{out}");
    let (code, _, err) = lint("1.18");
    assert_eq!(code, 2);
    assert!(err.contains("no schemas for Kubernetes \"1.18\""), "{err}");
    // `.kit.yaml` sets it; the flag wins.
    write(&dir, ".kit.yaml", "lint:\n  kubernetesVersion: \"1.31\"\n");
    let with_config = |extra: &[&str]| {
        let mut args = vec!["lint", "apis.yaml", "--output", "json", "--disable", "all"];
        args.extend(["--enable", rules]);
        args.extend(extra);
        run(&dir, &args)
    };
    let (_, out, _) = with_config(&[]);
    assert!(out.contains("not served by Kubernetes 1.31"), "{out}");
    let (_, out, _) = with_config(&["--kubernetes-version", "1.37"]);
    assert!(out.contains("was removed in Kubernetes 1.32"), "{out}");
}

/// In a plain directory, a kustomization or a chart below it is rendered as one input (its
/// templates are not read as manifests), as kube-linter finds them; `kit validate` does the
/// same.
#[test]
fn kustomizations_and_charts_below_a_plain_directory_are_rendered() {
    let dir = scratch("nested-roots");
    write(&dir, "repo/plain/pod.yaml", LATEST);
    write(
        &dir,
        "repo/app/kustomization.yaml",
        "resources: [pod.yaml]\nnamePrefix: kustomized-\n",
    );
    write(&dir, "repo/app/pod.yaml", LATEST);
    write(
        &dir,
        "repo/chart/Chart.yaml",
        "apiVersion: v2\nname: web\nversion: 0.1.0\nannotations:\n  kit.dev/template-dialect: jinja\n",
    );
    write(&dir, "repo/chart/values.yaml", "image: nginx:latest\n");
    write(
        &dir,
        "repo/chart/templates/pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ release.name }}-templated\nspec:\n  containers:\n    - name: web\n      image: {{ values.image }}\n",
    );
    let (code, out, err) = run(&dir, &["lint", "repo", "--output", "json"]);
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let latest: Vec<String> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "KIT-IMG001")
        .map(|f| f["object"]["name"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(latest.len(), 3, "{out}");
    assert!(latest.iter().any(|n| n == "kustomized-web"), "{out}");
    assert!(latest.iter().any(|n| n.ends_with("-templated")), "{out}");
    assert!(latest.iter().any(|n| n == "web"), "{out}");
    let (code, out, err) = run(&dir, &["validate", "repo", "--no-config"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn a_skipped_symbolic_link_is_said() {
    // A symbolic link in a plain directory is not followed, and kit lint says so, as kit
    // build and kit validate do.
    let dir = scratch("symlink-warning");
    write(
        &dir,
        "plain/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
    );
    write(
        &dir,
        "elsewhere.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n",
    );
    std::os::unix::fs::symlink(dir.join("elsewhere.yaml"), dir.join("plain/link.yaml"))
        .expect("symlink");
    let (code, _, stderr) = run(&dir, &["lint", "plain"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("kit::load::symlink-skipped") && stderr.contains("link.yaml"),
        "{stderr}"
    );
}

/// A chart linted and validated with the values it is deployed with (`-f`, `--set`,
/// `--release`), as `kit template` renders it: the CI gate sees what production gets.
#[test]
fn chart_directories_are_checked_with_the_values_given() {
    let dir = scratch("chart-values");
    write(
        &dir,
        "chart/Chart.yaml",
        "apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: \"1.27.2\"\n",
    );
    write(&dir, "chart/values.yaml", "tag: \"\"\nreplicas: 1\n");
    write(
        &dir,
        "chart/values.schema.json",
        r#"{"type": "object", "properties": {"replicas": {"type": "integer", "minimum": 1}}}"#,
    );
    write(
        &dir,
        "chart/templates/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  replicas: {{ .Values.replicas }}\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: \"nginx:{{ .Values.tag | default .Chart.AppVersion }}\"\n          resources:\n            limits: {cpu: 500m, memory: 256Mi}\n",
    );
    write(&dir, "prod.yaml", "tag: latest\n");
    let (code, out, err) = run(&dir, &["lint", "chart"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(
        &dir,
        &["lint", "chart", "-f", "prod.yaml", "--release", "prod"],
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("image-tag-latest") && out.contains("Deployment/prod-web"),
        "{out}"
    );
    let (code, out, _) = run(&dir, &["lint", "chart", "--set", "tag=latest"]);
    assert_eq!(code, 1, "{out}");
    // The values meet the chart's schema or the render fails, as in `kit template`.
    assert_eq!(run(&dir, &["validate", "chart"]).0, 0);
    let (code, _, err) = run(&dir, &["validate", "chart", "--set", "replicas=0"]);
    assert_ne!(code, 0, "{err}");
    assert!(err.contains("replicas"), "{err}");
}
