//! Every real-world kustomization of ../shared/corpus/kustomize (the cases taken from
//! repositories, not kustomize's own test suite) renders to manifests a cluster would accept,
//! so kit validate (newest Kubernetes, custom resources without their CRD skipped) must find
//! no error in the rendered output (`expected.yaml`, the bytes kubectl kustomize printed),
//! except for the cases listed with a reason in tests/validate-rendered-expected.tsv, which
//! must report exactly the checks listed.

// Tests report what they compared on the console.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use kit::commands::validate::validate_roots;
use kit::diag::Severity;
use kit::load::Loader;
use kit::resolve::{Builder, LoadRestrictor};
use kit::validate::Options;

#[test]
fn rendered_real_world_kustomizations_validate_clean() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/kustomize");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap_or_else(|e| panic!("{}: {e}: the tests read ../shared/corpus", corpus.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !name.starts_with("krusty-")
                && !name.starts_with("kustomize-")
                && p.join("expected.yaml").is_file()
        })
        .collect();
    cases.sort();
    assert!(cases.len() > 300, "{} real-world cases", cases.len());

    let expected_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/validate-rendered-expected.tsv"),
    )
    .expect("tests/validate-rendered-expected.tsv");
    let mut expected: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for line in expected_text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let [case, ids, why] = cols[..] else {
            panic!("validate-rendered-expected.tsv: bad line {line:?}");
        };
        assert!(!why.trim().is_empty(), "{case}: give a reason");
        expected.insert(case, ids.split(',').collect());
    }

    let options = Options {
        strict: true,
        ignore_missing_schemas: true,
    };
    let mut wrong = Vec::new();
    let mut clean = 0;
    for case in &cases {
        let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let builder = Builder::new(Arc::new(Loader::recording()), LoadRestrictor::RootOnly);
        let outcome = validate_roots(
            &builder,
            &[case.join("expected.yaml")],
            &[],
            None,
            kit::schema::newest(),
            &options,
        );
        let mut found: BTreeSet<String> = outcome
            .inputs
            .iter()
            .flat_map(|i| i.findings.iter())
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.rule.id().to_string())
            .collect();
        if !outcome.errors.is_empty() || outcome.inputs.iter().any(|i| i.error.is_some()) {
            found.insert("LOAD-ERROR".into());
        }
        let want: BTreeSet<String> = expected
            .get(name)
            .map(|s| s.iter().map(|x| x.to_string()).collect())
            .unwrap_or_default();
        if found.is_empty() {
            clean += 1;
        }
        if found != want {
            wrong.push(format!("{name}: kit reports {found:?}, expected {want:?}"));
        }
    }
    println!(
        "{clean}/{} rendered real-world kustomizations validate clean; {} listed with reasons",
        cases.len(),
        expected.len()
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
