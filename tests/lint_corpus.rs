//! kit lint on every file of ../shared/corpus/manifests (each file its own render, default
//! rules), recorded in tests/lint-corpus-findings.tsv: per file, each rule that fires and how
//! often. A change in what kit finds on real-world manifests fails here until the record is
//! regenerated (`KIT_UPDATE_LINT_CORPUS=1 cargo test --release --test lint_corpus`) and the
//! difference reviewed in the commit. The README compares the record with checkov's findings.

// Tests report what they compared on the console.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use kit::lint::{self, Selection};
use kit::load::Loader;
use kit::resolve::{Builder, LoadRestrictor};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/manifests")
}

fn record_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint-corpus-findings.tsv")
}

/// `file<TAB>rule name<TAB>count` lines, sorted, for every manifest file of the corpus.
fn findings_record() -> (String, BTreeMap<String, usize>) {
    let dir = corpus();
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    files.sort();
    assert!(
        files.len() > 100,
        "{}: the tests read ../shared/corpus",
        dir.display()
    );
    let selection = Selection::defaults();
    let mut lines = Vec::new();
    let mut totals: BTreeMap<String, usize> = BTreeMap::new();
    for file in &files {
        let name = file
            .strip_prefix(&dir)
            .unwrap_or(file)
            .to_string_lossy()
            .into_owned();
        // A loader per file: each file is its own render, as checkov reads them.
        let builder = Builder::new(Arc::new(Loader::new()), LoadRestrictor::RootOnly);
        let resources = builder.inputs(file).and_then(|inputs| {
            let mut all = Vec::new();
            for input in &inputs {
                all.extend(builder.build_input(input, None)?.0);
            }
            Ok(all)
        });
        let resources = match resources {
            Ok(r) => r,
            Err(d) => {
                lines.push(format!("{name}\tLOAD-ERROR\t{}", d.code));
                continue;
            }
        };
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for f in lint::lint(&resources, &selection, kit::schema::newest()) {
            *counts.entry(f.rule.name()).or_default() += 1;
        }
        for (rule, n) in counts {
            *totals.entry(rule.to_string()).or_default() += n;
            lines.push(format!("{name}\t{rule}\t{n}"));
        }
    }
    let mut text = String::from(
        "# kit lint (default rules) on ../shared/corpus/manifests, each file its own render.\n\
         # file<TAB>rule<TAB>findings. Regenerate: KIT_UPDATE_LINT_CORPUS=1 cargo test --release --test lint_corpus\n",
    );
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    (text, totals)
}

#[test]
fn findings_on_real_manifests_are_recorded() {
    let (actual, totals) = findings_record();
    println!("kit lint on corpus/manifests, findings per rule:");
    for (rule, n) in &totals {
        println!("{n:>6}  {rule}");
    }
    common::check_record(
        &record_path(),
        &actual,
        "KIT_UPDATE_LINT_CORPUS",
        "kit's findings on the corpus",
        "cargo test --release --test lint_corpus",
    );
}
