//! `kit validate` as a user runs it: exit codes, output formats, flags, stdin, overlays,
//! deterministic order.

// Tests report what they compared on the console.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod common;

use std::path::Path;

use common::{kit, scratch, write};

/// Runs `kit validate ARGS` in `dir`: (exit code, stdout, stderr).
fn validate(dir: &Path, args: &[&str]) -> (i32, String, String) {
    common::output(
        kit()
            .current_dir(dir)
            .arg("validate")
            .args(args)
            .env("NO_COLOR", "1"),
    )
}

const GOOD: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: b\n";
const BAD: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: three\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx, imagePullPolcy: Always}]\n";
const WIDGET_CRD: &str = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n          spec:\n            type: object\n            properties:\n              size: {type: integer}\n";
const WIDGET: &str =
    "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big}\n";

#[test]
fn exit_codes() {
    let dir = scratch("exit");
    write(&dir, "good.yaml", GOOD);
    write(&dir, "bad.yaml", BAD);
    assert_eq!(validate(&dir, &["good.yaml"]).0, 0);
    let (code, out, _) = validate(&dir, &["bad.yaml"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("bad.yaml:6:13: spec.replicas: expected integer"),
        "{out}"
    );
    assert!(out.contains("unknown field \"imagePullPolcy\""), "{out}");
    assert!(out.contains("\"imagePullPolicy\"?"), "{out}");
    // Missing path, unknown version, malformed YAML: input errors (2).
    let (code, _, err) = validate(&dir, &["missing.yaml"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = validate(&dir, &["--kubernetes-version", "1.12", "good.yaml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no schemas for Kubernetes \"1.12\"") && err.contains("1.30"),
        "{err}"
    );
    write(&dir, "broken.yaml", "apiVersion: v1\nkind: [\n");
    assert_eq!(validate(&dir, &["broken.yaml", "good.yaml"]).0, 2);
    // A warning alone does not fail the run.
    write(
        &dir,
        "deprecated.yaml",
        "apiVersion: resource.k8s.io/v1beta1\nkind: DeviceClass\nmetadata: {name: gpu}\nspec: {}\n",
    );
    let (code, out, _) = validate(&dir, &["deprecated.yaml", "--kubernetes-version", "1.35"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("KIT-API003"), "{out}");
}

#[test]
fn strict_and_no_strict() {
    let dir = scratch("strict");
    write(&dir, "dup.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {a: b}\ndata: {c: d}\nextra: 1\n");
    // Strict (the default): the repeated key and the unknown field are findings.
    let (code, out, _) = validate(&dir, &["dup.yaml", "--output", "json"]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(rules, ["KIT-SCH009", "KIT-SCH003"], "{out}");
    assert_eq!(v["findings"][0]["line"], 5);
    let (code, out, _) = validate(&dir, &["dup.yaml", "--no-strict"]);
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = validate(&dir, &["dup.yaml", "--no-strict", "--strict"]);
    assert_eq!(code, 1, "{out}");
}

#[test]
fn crds_from_the_input_and_from_flags() {
    let dir = scratch("crd");
    write(&dir, "crds/widget.yaml", WIDGET_CRD);
    write(&dir, "app/widget.yaml", WIDGET);
    // Without the CRD: an error, or skipped on request.
    let (code, out, _) = validate(&dir, &["app"]);
    assert_eq!(code, 1);
    assert!(out.contains("KIT-SCH006"), "{out}");
    let (code, out, _) = validate(&dir, &["app", "--ignore-missing-schemas", "--summary"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("validated 1 resource in 1 input (Kubernetes 1.37): 0 invalid, 1 skipped"),
        "{out}"
    );
    // With it, from --crd or from the input: the custom resource is checked.
    for args in [&["app", "--crd", "crds"][..], &["crds", "app"][..]] {
        let (code, out, _) = validate(&dir, args);
        assert_eq!(code, 1, "{args:?}: {out}");
        assert!(
            out.contains("app/widget.yaml:4:14: spec.size: expected integer"),
            "{out}"
        );
    }
}

#[test]
fn json_output_and_summary() {
    let dir = scratch("json");
    write(&dir, "a.yaml", BAD);
    write(&dir, "b.yaml", GOOD);
    let (code, out, _) = validate(&dir, &["--output", "json", "."]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let summary = &v["summary"];
    assert_eq!(summary["resources"], 2);
    assert_eq!(summary["invalid"], 1);
    assert_eq!(summary["inputs"], 2);
    assert_eq!(summary["kubernetesVersion"], "1.37");
    let first = &v["findings"][0];
    assert_eq!(first["rule"], "KIT-SCH001");
    assert_eq!(first["file"], "a.yaml");
    assert_eq!(first["line"], 6);
    assert_eq!(first["column"], 13);
    assert_eq!(first["object"]["kind"], "Deployment");
    for format in ["sarif", "github", "text"] {
        let (code, out, _) = validate(&dir, &["--output", format, "."]);
        assert_eq!(code, 1, "{format}");
        assert!(out.contains("a.yaml"), "{format}: {out}");
    }
}

#[test]
fn stdin_and_kustomizations() {
    let dir = scratch("stdin");
    let out = common::run_with_stdin(&dir, &["validate", "-"], BAD);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("<stdin>:6:13"));

    // An overlay's error points at the patch that introduced it.
    write(
        &dir,
        "base/kustomization.yaml",
        "resources: [deploy.yaml]\n",
    );
    write(&dir, "base/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx}]\n");
    write(
        &dir,
        "overlay/kustomization.yaml",
        "resources: [../base]\npatches:\n- path: patch.yaml\n",
    );
    write(
        &dir,
        "overlay/patch.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: many\n",
    );
    let (code, out, _) = validate(&dir, &["overlay"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("overlay/patch.yaml:6:13: spec.replicas"),
        "{out}"
    );
}

#[test]
fn order_is_deterministic() {
    let dir = scratch("order");
    for i in 0..40 {
        write(&dir, &format!("f{i:02}.yaml"), BAD);
    }
    let first = validate(&dir, &["--output", "json", "."]).1;
    for _ in 0..3 {
        assert_eq!(validate(&dir, &["--output", "json", "."]).1, first);
    }
}

#[test]
fn explain_knows_the_checks() {
    let out = kit()
        .args(["explain", "unknown-field"])
        .output()
        .expect("run kit");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("KIT-SCH003 unknown-field:"), "{text}");
}

#[test]
fn rules_lists_validation_checks_with_validate() {
    let dir = scratch("rules");
    let (code, stdout, stderr) = common::run(&dir, &["rules", "--validate"]);
    assert_eq!(code, 0, "{stderr}");
    let registry = &kit::validate::registry::registry().checks;
    for check in registry {
        assert!(
            stdout.contains(&check.id),
            "{} missing:\n{stdout}",
            check.id
        );
    }
    assert!(
        !stdout.contains("KIT-SEC001"),
        "lint rules listed:\n{stdout}"
    );
    let (_, json, _) = common::run(&dir, &["rules", "--validate", "--format", "json"]);
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(parsed.as_array().map(Vec::len), Some(registry.len()));
}

#[test]
fn junit_and_tap_list_every_resource() {
    let dir = scratch("junit");
    write(&dir, "good.yaml", GOOD);
    write(&dir, "bad.yaml", BAD);
    let (code, out, _) = validate(&dir, &["good.yaml", "bad.yaml", "--output", "junit"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kit-validate\""
        ),
        "{out}"
    );
    assert!(
        out.contains("<testsuite name=\"good.yaml\" tests=\"1\" failures=\"0\""),
        "{out}"
    );
    assert!(
        out.contains("<testcase classname=\"kit-validate.good.yaml\" name=\"ConfigMap/web\"/>"),
        "{out}"
    );
    assert!(
        out.contains("<failure message=\"spec.replicas: expected integer"),
        "{out}"
    );

    let (code, out, _) = validate(&dir, &["good.yaml", "bad.yaml", "--output", "tap"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("TAP version 13\n1..2\nok 1 - good.yaml ConfigMap/web\nnot ok 2 - bad.yaml Deployment/web\n"), "{out}");
    assert!(out.contains("      at: \"bad.yaml:6:13\"\n"), "{out}");

    let (_, out, _) = validate(&dir, &["bad.yaml", "--output", "checkstyle"]);
    assert!(
        out.contains("<error line=\"6\" column=\"13\" severity=\"error\""),
        "{out}"
    );
}

#[test]
fn charts_are_rendered_then_validated() {
    let dir = scratch("chart");
    write(
        &dir,
        "web/Chart.yaml",
        "apiVersion: v2\nname: web\nversion: 0.1.0\nannotations:\n  kit.dev/template-dialect: jinja\n",
    );
    write(&dir, "web/values.yaml", "replicas: three\n");
    write(
        &dir,
        "web/templates/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ release.name }}-web\nspec:\n  replicas: {{ values.replicas }}\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx}]\n",
    );
    let (code, out, err) = validate(&dir, &["web", "--summary"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("spec.replicas: expected integer"), "{out}");
    assert!(out.contains("validated 1 resource in 1 input"), "{out}");
}

/// CRD validation rules through the CLI: a rule of a `--crd` file that does not compile is
/// reported on that file, and the custom resource is still checked against the rules that
/// compile (exit 1).
#[test]
fn crd_validation_rules_from_crd_flag() {
    let dir = scratch("cel-crd-flag");
    let fixture = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/validate-cel/does-not-compile.yaml"),
    )
    .expect("fixture");
    let (crd, cr) = fixture.split_once("\n---\n").expect("two documents");
    write(&dir, "crds/widget.yaml", crd);
    write(&dir, "app/widget.yaml", cr);
    let (code, out, _) = validate(&dir, &["app", "--crd", "crds", "--output", "json"]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let found: Vec<(String, String, i64)> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["file"].as_str().unwrap_or("").to_string(),
                f["line"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("KIT-SCH010".to_string(), "app/widget.yaml".to_string(), 5),
            ("KIT-SCH011".to_string(), "crds/widget.yaml".to_string(), 22),
            ("KIT-SCH011".to_string(), "crds/widget.yaml".to_string(), 24),
        ],
        "{out}"
    );
}

#[test]
fn the_builds_warnings_are_printed() {
    // A symbolic link in a plain directory is skipped, and said so, as by `kit build`.
    let dir = scratch("warnings");
    write(&dir, "plain/good.yaml", GOOD);
    write(&dir, "elsewhere.yaml", GOOD);
    std::os::unix::fs::symlink(dir.join("elsewhere.yaml"), dir.join("plain/link.yaml"))
        .expect("symlink");
    let (code, _, stderr) = validate(&dir, &["plain"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("kit::load::symlink-skipped") && stderr.contains("link.yaml"),
        "{stderr}"
    );
}
