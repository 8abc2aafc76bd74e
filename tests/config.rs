//! `.kit.yaml` as a repository uses it: found by walking up, rule selection and severities,
//! per-path overrides, excluded files, `failOn`, validate settings, and located errors.

mod common;

use std::path::Path;

use common::{run, scratch, write};

/// A pod whose only error under the default rules is its `latest` image (it has limits).
const LATEST: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:latest
      resources:
        limits: {cpu: 500m, memory: 256Mi}
";

/// (file, rule name, severity) of every finding of `kit lint ARGS --output json`, and the
/// exit code.
fn findings(dir: &Path, args: &[&str]) -> (i32, Vec<(String, String, String)>) {
    let mut all = vec!["lint", "--output", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = run(dir, &all);
    let v: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    let list = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (s("file"), s("name"), s("severity"))
        })
        .collect();
    (code, list)
}

fn has(list: &[(String, String, String)], file: &str, rule: &str, severity: &str) -> bool {
    list.iter()
        .any(|(f, r, s)| f == file && r == rule && s == severity)
}

fn repository(name: &str, config: &str) -> std::path::PathBuf {
    let dir = scratch(name);
    write(&dir, "dev/pod.yaml", LATEST);
    write(&dir, "prod/pod.yaml", LATEST);
    write(&dir, "vendor/pod.yaml", LATEST);
    write(&dir, ".kit.yaml", config);
    dir
}

#[test]
fn severities_and_per_path_overrides() {
    let dir = repository(
        "overrides",
        "lint:
  disable: [pod-without-network-policy]
  severity:
    image-tag-latest: warning
    drop-all-capabilities-missing: error   # a severity turns a rule on
  overrides:
    - files: [prod/]
      severity: {image-tag-latest: error}
      enable: [liveness-probe-missing]
    - files: ['dev/**']
      disable: [run-as-root]
",
    );
    let (code, list) = findings(&dir, &["dev", "prod"]);
    assert_eq!(code, 1, "{list:?}");
    assert!(
        has(&list, "dev/pod.yaml", "image-tag-latest", "warning"),
        "{list:?}"
    );
    assert!(
        has(&list, "prod/pod.yaml", "image-tag-latest", "error"),
        "{list:?}"
    );
    assert!(
        has(&list, "prod/pod.yaml", "liveness-probe-missing", "info"),
        "{list:?}"
    );
    assert!(!list
        .iter()
        .any(|(f, r, _)| f == "dev/pod.yaml" && r == "liveness-probe-missing"));
    assert!(
        has(&list, "prod/pod.yaml", "run-as-root", "warning"),
        "{list:?}"
    );
    assert!(!list
        .iter()
        .any(|(f, r, _)| f == "dev/pod.yaml" && r == "run-as-root"));
    assert!(
        has(
            &list,
            "dev/pod.yaml",
            "drop-all-capabilities-missing",
            "error"
        ),
        "{list:?}"
    );
    assert!(!list
        .iter()
        .any(|(_, r, _)| r == "pod-without-network-policy"));

    // Only dev: warnings only, so the default gate passes.
    let (code, list) = findings(&dir, &["dev", "--disable", "drop-all-capabilities-missing"]);
    assert_eq!(code, 0, "{list:?}");
    // The command line wins over the file.
    let (_, list) = findings(&dir, &["prod", "--disable", "liveness-probe-missing"]);
    assert!(
        !list.iter().any(|(_, r, _)| r == "liveness-probe-missing"),
        "{list:?}"
    );
    // --no-config: the default rules at their default severities.
    let (_, list) = findings(&dir, &["dev", "--no-config"]);
    assert!(
        has(&list, "dev/pod.yaml", "image-tag-latest", "error"),
        "{list:?}"
    );
    assert!(
        has(
            &list,
            "dev/pod.yaml",
            "pod-without-network-policy",
            "warning"
        ),
        "{list:?}"
    );
}

#[test]
fn found_by_walking_up_from_the_first_path() {
    let dir = repository("walk", "lint:\n  severity: {image-tag-latest: info}\n");
    let elsewhere = scratch("walk-cwd");
    let prod = dir.join("prod");
    let prod = prod.to_str().expect("utf-8 path");
    let (_, list) = findings(&elsewhere, &[prod]);
    assert!(
        list.iter()
            .any(|(_, r, s)| r == "image-tag-latest" && s == "info"),
        "{list:?}"
    );
    // --config names another file.
    write(
        &elsewhere,
        "strict.yaml",
        "lint:\n  severity: {image-tag-latest: warning}\n",
    );
    let (_, list) = findings(&elsewhere, &[prod, "--config", "strict.yaml"]);
    assert!(
        list.iter()
            .any(|(_, r, s)| r == "image-tag-latest" && s == "warning"),
        "{list:?}"
    );
}

#[test]
fn exclude_and_fail_on() {
    let dir = repository(
        "exclude",
        "lint:\n  exclude: [vendor/]\n  failOn: warning\n  disable: [all]\n  enable: [run-as-root]\n",
    );
    let (code, list) = findings(&dir, &["."]);
    assert_eq!(code, 1, "warnings fail with failOn: warning: {list:?}");
    assert!(
        list.iter()
            .all(|(f, r, _)| f != "vendor/pod.yaml" && r == "run-as-root"),
        "{list:?}"
    );
    assert_eq!(list.len(), 2, "{list:?}");
    let (code, _) = findings(&dir, &[".", "--fail-on", "error"]);
    assert_eq!(code, 0);
}

#[test]
fn mistakes_are_reported_where_they_are_written() {
    let cases = [
        (
            "lint:\n  bogus: 1\n",
            ".kit.yaml:2:10: unknown key `bogus` in `lint`",
        ),
        (
            "lint:\n  enable: [image-tag-latst]\n",
            ".kit.yaml:2:12: unknown rule `image-tag-latst` in .kit.yaml",
        ),
        (
            "lint:\n  policy: strictest\n",
            ".kit.yaml:2:11: unknown policy `strictest`",
        ),
        (
            "lint:\n  severity: {image-tag-latest: fatal}\n",
            ".kit.yaml:2:32: unknown severity fatal",
        ),
        (
            "lint:\n  overrides:\n    - enable: [run-as-root]\n",
            ".kit.yaml:3:7: an override needs `files`",
        ),
        ("lint:\n  exclude: ['a/[']\n", "is not a glob"),
        (
            "validate:\n  strict: maybe\n",
            ".kit.yaml:2:11: `strict` must be true or false",
        ),
        ("lint: [a]\n", ".kit.yaml:1:7: `lint` must be a mapping"),
        ("lint: {\n", ".kit.yaml:"),
    ];
    for (n, (config, expected)) in cases.iter().enumerate() {
        let dir = repository(&format!("mistake{n}"), config);
        let (code, _, err) = run(&dir, &["lint", "dev"]);
        assert_eq!(code, 2, "{config}: {err}");
        assert!(
            err.contains(expected),
            "{config}: expected {expected:?} in\n{err}"
        );
        if !config.contains("enable:")
            && !config.contains("policy:")
            && !config.contains("severity:")
        {
            let (code, _, err) = run(&dir, &["validate", "dev"]);
            assert_eq!(code, 2, "{config}: {err}");
            assert!(err.contains(".kit.yaml"), "{config}: {err}");
        }
    }
}

#[test]
fn validate_settings() {
    let crd = "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer}}}
";
    let dir = scratch("validate");
    write(&dir, "crds/widget.yaml", crd);
    write(
        &dir,
        "app/widget.yaml",
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big}\n",
    );
    write(
        &dir,
        ".kit.yaml",
        "validate:\n  kubernetesVersion: 1.30\n  crds: [crds/]\n",
    );
    let (code, out, err) = run(&dir, &["validate", "app", "--summary"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("app/widget.yaml:4:14: spec.size: expected integer"),
        "{out}"
    );
    assert!(out.contains("(Kubernetes 1.30)"), "{out}");
    // The flag wins.
    let (_, out, _) = run(
        &dir,
        &[
            "validate",
            "app",
            "--summary",
            "--kubernetes-version",
            "1.33",
        ],
    );
    assert!(out.contains("(Kubernetes 1.33)"), "{out}");
    write(
        &dir,
        ".kit.yaml",
        "validate:\n  ignoreMissingSchemas: true\n",
    );
    let (code, out, _) = run(&dir, &["validate", "app", "--summary"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 skipped"), "{out}");
}

/// The example in the README is a working configuration.
#[test]
fn readme_example_is_valid() {
    let readme = include_str!("../README.md");
    let section = readme
        .split("### `.kit.yaml`")
        .nth(1)
        .expect("README has a .kit.yaml section");
    let example = section
        .split("```yaml\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("a yaml block");
    let dir = repository("readme", example);
    write(&dir, "crds/.keep.yaml", "");
    write(&dir, "policies/.keep.yaml", "");
    let (code, _, err) = run(&dir, &["lint", "dev"]);
    assert!(code == 0 || code == 1, "{err}");
    let (code, _, err) = run(&dir, &["validate", "dev"]);
    assert!(code == 0 || code == 1, "{err}");
}

#[test]
fn admission_policies_from_the_file() {
    let dir = repository(
        "admission",
        "lint:\n  disable: [all]\n  admissionPolicies: [policies/]\n  exclude: [vendor/]\n",
    );
    write(
        &dir,
        "policies/team.yaml",
        "apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: require-team}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [''], apiVersions: [v1], operations: [CREATE], resources: [pods]}
  validations:
  - expression: \"has(object.metadata.labels) && 'team' in object.metadata.labels\"
    message: every pod needs a team label
",
    );
    let (code, list) = findings(&dir, &["."]);
    assert_eq!(code, 1, "{list:?}");
    assert_eq!(
        list,
        vec![
            (
                "dev/pod.yaml".to_string(),
                "require-team".to_string(),
                "error".to_string()
            ),
            (
                "prod/pod.yaml".to_string(),
                "require-team".to_string(),
                "error".to_string()
            ),
        ]
    );
}
