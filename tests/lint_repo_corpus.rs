//! `kit lint .` at the root of every real repository tree of ../shared/corpus/kustomize
//! (each case's `input/`, with the case's FLAGS) and of examples/, as a user would run it in
//! a fresh clone: recorded in tests/lint-repo-corpus.tsv (per tree: the exit code, the
//! findings per file and rule, the input errors per file and code). A change in any of them
//! fails here until the record is regenerated
//! (`KIT_UPDATE_LINT_REPOS=1 cargo test --release --test lint_repo_corpus`) and the
//! difference explained in the commit.
//!
//! Exit 2 (an input error) is allowed only where `kubectl kustomize` itself fails on the
//! case (it has `expected.err`): the tree is broken on purpose. Anything else a user would
//! not call broken (a values file, a patch, a Component, a workflow) must never stop the run.
//!
//! kit runs with `--offline`, so that the suite never touches the network: a tree with a
//! remote input (kustomize-examples-chart-base names a chart repository on the internet)
//! records the input error `kit::lock::missing` at the kustomization line that asks for it.

// Tests report what they compared on the console.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{corpus_dir, output, skip_or_fail};

fn record_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint-repo-corpus.tsv")
}

/// One tree to lint: its name in the record, where to run, extra flags, and whether
/// kustomize itself fails on it.
struct Tree {
    name: String,
    dir: PathBuf,
    flags: Vec<String>,
    broken: bool,
}

fn trees(corpus: &Path) -> Vec<Tree> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(corpus)
        .expect("read the corpus")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("input").is_dir())
        .collect();
    cases.sort();
    let mut out: Vec<Tree> = cases
        .into_iter()
        .map(|case| {
            let flags = std::fs::read_to_string(case.join("FLAGS")).unwrap_or_default();
            // kustomize's flag, in kit's spelling.
            let flags = if flags.contains("LoadRestrictionsNone") {
                vec!["--load-restrictor".to_string(), "none".to_string()]
            } else {
                Vec::new()
            };
            Tree {
                name: case
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                dir: case.join("input"),
                flags,
                broken: case.join("expected.err").is_file(),
            }
        })
        .collect();
    out.push(Tree {
        name: "examples".to_string(),
        dir: Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"),
        flags: Vec::new(),
        broken: false,
    });
    out
}

/// `tree<TAB>file<TAB>{label}{value of key}<TAB>count` per file and value of a JSON list of
/// findings or errors, sorted.
fn tally(tree: &str, list: &serde_json::Value, key: &str, label: &str, lines: &mut Vec<String>) {
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for item in list.as_array().into_iter().flatten() {
        let file = item["file"].as_str().unwrap_or("-");
        let value = item[key].as_str().unwrap_or("?");
        *counts.entry((file, value)).or_default() += 1;
    }
    for ((file, value), n) in counts {
        lines.push(format!("{tree}\t{file}\t{label}{value}\t{n}"));
    }
}

/// The record lines of one tree, and its exit code.
fn lint_tree(tree: &Tree) -> (i32, Vec<String>) {
    let mut cmd = common::kit();
    cmd.current_dir(&tree.dir)
        .env("NO_COLOR", "1")
        .args(["lint", ".", "--offline", "--output", "json"])
        .args(&tree.flags);
    let (code, out, err) = output(&mut cmd);
    let mut lines = vec![format!("{}\texit\t{code}", tree.name)];
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&out) else {
        lines.push(format!(
            "{}\tno-json-output\t{}",
            tree.name,
            err.lines().next().unwrap_or("")
        ));
        return (code, lines);
    };
    tally(&tree.name, &v["findings"], "name", "", &mut lines);
    tally(&tree.name, &v["errors"], "code", "ERROR ", &mut lines);
    (code, lines)
}

#[test]
fn lint_at_the_root_of_every_real_repository() {
    let Some(corpus) = corpus_dir("kustomize") else {
        return skip_or_fail(
            "lint_at_the_root_of_every_real_repository",
            "../shared/corpus/kustomize is missing",
        );
    };
    let trees = trees(&corpus);
    assert!(trees.len() > 100, "{}: too few cases", corpus.display());
    // Two workers: each tree is one kit process.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, i32, Vec<String>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        let Some(tree) = trees.get(i) else { break };
                        let (code, lines) = lint_tree(tree);
                        mine.push((i, code, lines));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker"))
            .collect()
    });
    results.sort_by_key(|(i, _, _)| *i);

    let mut text = String::from(
        "# kit lint . at the root of each tree of ../shared/corpus/kustomize/*/input (with the case's FLAGS) and of examples/.\n\
         # tree<TAB>exit<TAB>code, then tree<TAB>file<TAB>rule<TAB>findings and tree<TAB>file<TAB>ERROR code<TAB>errors.\n\
         # Regenerate: KIT_UPDATE_LINT_REPOS=1 cargo test --release --test lint_repo_corpus\n",
    );
    let mut by_code: BTreeMap<i32, usize> = BTreeMap::new();
    let mut wrongly_broken = Vec::new();
    for (i, code, lines) in &results {
        *by_code.entry(*code).or_default() += 1;
        if *code != 0 && *code != 1 && !trees[*i].broken {
            wrongly_broken.push(lines.join("\n"));
        }
        for line in lines {
            text.push_str(line);
            text.push('\n');
        }
    }
    println!(
        "kit lint . on {} trees, by exit code: {by_code:?}",
        results.len()
    );
    assert!(
        wrongly_broken.is_empty(),
        "kit lint exits neither 0 nor 1 on trees kustomize renders:\n{}",
        wrongly_broken.join("\n")
    );
    common::check_record(
        &record_path(),
        &text,
        "KIT_UPDATE_LINT_REPOS",
        "kit lint's results at the corpus' repository roots",
        "cargo test --release --test lint_repo_corpus",
    );
}
