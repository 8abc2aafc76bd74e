//! kit lint --admission-policy: ValidatingAdmissionPolicy semantics offline. One fixture per
//! matching feature in tests/fixtures/admission/ (`CASE.policy.yaml` holds the policies,
//! bindings and params, `CASE.yaml` the render), each snapshotted as `admission-CASE`: one line
//! per finding (file:line:col, message, rule, severity), or the load errors.

mod common;

use std::path::Path;
use std::sync::Arc;

use kit::load::Loader;
use kit::resolve::{Builder, Input, LoadRestrictor};

fn run_case(case: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/admission");
    let loader = Arc::new(Loader::new());
    let builder = Builder::new(loader.clone(), LoadRestrictor::RootOnly);
    let policies =
        match kit::lint::admission::load(&builder, &[dir.join(format!("{case}.policy.yaml"))]) {
            Ok(p) => p,
            Err(errors) => {
                return errors
                    .iter()
                    .map(|d| {
                        d.one_line(&loader.sources)
                            .replace(&format!("{}/", dir.display()), "")
                    })
                    .collect()
            }
        };
    let (resources, _) = builder
        .build_input(&Input::File(dir.join(format!("{case}.yaml"))), None)
        .expect("render");
    let mut findings = policies.check(&resources);
    kit::report::sort_and_dedup(&mut findings, &loader.sources);
    common::finding_lines(&findings, &loader.sources)
        .into_iter()
        .map(|l| l.replace(&format!("{}/", dir.display()), ""))
        .collect()
}

fn snapshot(case: &str) {
    let lines = run_case(case);
    insta::with_settings!({
        snapshot_path => "snapshots/lint",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(format!("admission-{case}"), lines.join("\n"));
    });
}

#[test]
fn resource_rules() {
    snapshot("resource-rules");
}

#[test]
fn object_selector() {
    snapshot("object-selector");
}

#[test]
fn namespace_selector() {
    snapshot("namespace-selector");
}

#[test]
fn match_conditions_variables_and_request() {
    snapshot("conditions-variables");
}

#[test]
fn params_and_binding_actions() {
    snapshot("params-bindings");
}

#[test]
fn failure_policy_and_authorizer() {
    snapshot("failure-policy");
}

#[test]
fn expressions_that_do_not_compile_are_load_errors() {
    snapshot("does-not-compile");
}

#[test]
fn cli_exit_codes_and_example_policies() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, out, _) = common::run(
        root,
        &[
            "lint",
            "examples/overlays/prod",
            "--admission-policy",
            "examples/policies",
            "--disable",
            "all",
            "--fail-on",
            "warning",
            "--output",
            "json",
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("\"rule\": \"policy:require-team-label\""),
        "{out}"
    );
    let (code, _, err) = common::run(
        root,
        &[
            "lint",
            "examples/overlays/prod",
            "--admission-policy",
            "tests/fixtures/admission/does-not-compile.policy.yaml",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("does not compile"), "{err}");
}
