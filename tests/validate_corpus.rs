//! kit validate on ../shared/corpus/manifests (Kubernetes 1.33, strict) against
//! kubernetes-validate's verdicts (REFERENCE-kubernetes-validate.txt, `--strict` column).
//!
//! - Where kubernetes-validate had a schema for the file, kit's verdict (valid or not) must
//!   agree, unless the file is listed in tests/validate-corpus-expected.tsv.
//! - Every file where kit reports errors that kubernetes-validate does not (API-server field
//!   rules, removed APIs, custom resources checked against their CRDs, duplicate keys) is
//!   listed there with the checks it must report, and a reason. A listed file must report
//!   exactly those checks, so the list stays true.

// Tests report what they compared on the console.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use kit::commands::validate::validate_roots;
use kit::diag::Severity;
use kit::load::Loader;
use kit::resolve::{Builder, Input, LoadRestrictor};
use kit::validate::Options;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/manifests")
}

#[test]
fn agrees_with_kubernetes_validate() {
    let dir = corpus();
    let reference = std::fs::read_to_string(dir.join("REFERENCE-kubernetes-validate.txt"))
        .unwrap_or_else(|e| panic!("{}: {e}: the tests read ../shared/corpus", dir.display()));
    // file → (had a schema for at least one resource, invalid)
    let mut verdicts: HashMap<String, (bool, bool)> = HashMap::new();
    for line in reference.lines().filter(|l| !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [file, _default, strict] = cols[..] else {
            continue;
        };
        let invalid = strict.starts_with("ERROR");
        let schema = invalid || strict == "ok" || !strict.starts_with("ok (validated 0;");
        verdicts.insert(file.to_string(), (schema, invalid));
    }
    let expected_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/validate-corpus-expected.tsv"),
    )
    .unwrap_or_default();
    let mut expected: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for line in expected_text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(file), Some(ids)) = (cols.first(), cols.get(1)) else {
            panic!("validate-corpus-expected.tsv: bad line {line:?}");
        };
        expected.insert(file, ids.split(',').map(str::trim).collect());
    }

    let loader = Arc::new(Loader::recording());
    let builder = Builder::new(loader.clone(), LoadRestrictor::RootOnly);
    let options = Options {
        strict: true,
        ignore_missing_schemas: false,
    };
    let outcome = validate_roots(
        &builder,
        std::slice::from_ref(&dir),
        &[],
        None,
        "1.33",
        &options,
    );
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);

    let (mut compared, mut agreed) = (0, 0);
    let mut problems = Vec::new();
    let mut says_more = 0;
    for input in &outcome.inputs {
        let Input::File(path) = &input.input else {
            continue;
        };
        let rel = path
            .strip_prefix(dir.canonicalize().unwrap_or(dir.clone()))
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned();
        let mut ids: BTreeSet<&str> = input
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.rule.id())
            .collect();
        if let Some(d) = &input.error {
            ids.insert(d.code);
        }
        let kit_invalid = !ids.is_empty();
        let Some(&(schema, ref_invalid)) = verdicts.get(&rel) else {
            continue;
        };
        if schema {
            compared += 1;
            if kit_invalid == ref_invalid {
                agreed += 1;
            }
        }
        match expected.get(rel.as_str()) {
            Some(want) => {
                says_more += 1;
                if *want != ids {
                    problems.push(format!(
                        "{rel}: listed with {want:?} but kit reports {ids:?}"
                    ));
                }
            }
            None if schema && kit_invalid != ref_invalid => problems.push(format!(
                "{rel}: kit says {} ({ids:?}), kubernetes-validate says {}; list it with a reason or fix kit",
                if kit_invalid { "invalid" } else { "valid" },
                if ref_invalid { "invalid" } else { "valid" }
            )),
            None if !schema && kit_invalid => problems.push(format!(
                "{rel}: kit reports {ids:?} where kubernetes-validate had no schema; list it with a reason or fix kit"
            )),
            None => {}
        }
    }
    println!(
        "kit validate vs kubernetes-validate --strict (Kubernetes 1.33): verdicts agree on {agreed}/{compared} files where it had a schema; {says_more} files listed where kit reports more (tests/validate-corpus-expected.tsv)"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
