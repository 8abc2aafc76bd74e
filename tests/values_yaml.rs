//! The fast block-YAML reader for values files gives what the full YAML parser gives, on
//! every YAML file of the corpus, on hand-picked texts at its edges and on generated
//! documents; and it reads most real values files (else it would only cost time).

#![allow(clippy::print_stderr)]

mod common;

use std::path::Path;

use kit::gotmpl::funcs::helm_data::yaml_readers_compared;
use proptest::prelude::*;

/// Compares the two readers on `text`: whether the fast one read it.
fn same_as_full(text: &str, what: &str) -> bool {
    match yaml_readers_compared(text) {
        Some((fast, full)) => {
            assert_eq!(fast, full, "the fast reader differs on {what}:\n{text}");
            true
        }
        None => false,
    }
}

fn yaml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

#[test]
fn block_reader_reads_corpus_yaml_as_the_full_parser_does() {
    let test = "block_reader_reads_corpus_yaml_as_the_full_parser_does";
    let mut files = Vec::new();
    for part in ["helm", "helm-kustomize", "kustomize", "manifests", "lint"] {
        match common::corpus_dir(part) {
            Some(dir) => yaml_files(&dir, &mut files),
            None => {
                common::skip_or_fail(test, &format!("the corpus' {part}/ is missing"));
                return;
            }
        }
    }
    let (mut read, mut values, mut values_read) = (0, 0, 0);
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let fast = same_as_full(&text, &file.display().to_string());
        read += usize::from(fast);
        if file.file_name().is_some_and(|n| n == "values.yaml") {
            values += 1;
            values_read += usize::from(fast);
        }
    }
    eprintln!(
        "fast reader: {read} of {} corpus YAML files, {values_read} of {values} values.yaml",
        files.len()
    );
    assert!(files.len() > 1000, "only {} YAML files found", files.len());
    // Real values files are what it is for: most of them must take the fast path.
    assert!(
        values_read * 2 > values,
        "the fast reader read only {values_read} of {values} values.yaml files"
    );
}

/// Texts at the edges of what the fast reader takes, and whether it takes them.
#[test]
fn block_reader_edges() {
    let cases: &[(&str, bool)] = &[
        ("", true),
        ("# only a comment\n\n", true),
        (
            "a: 1\nb: yes\nc: ~\nd: 0x1F\ne: 1e3\nf: .5\ng: 012\nh: 1_000\ni: 2024-01-01\n",
            true,
        ),
        (
            "a: b#c\nd: e # comment\nf: 'it''s'\ng: \"x y\"\nh: ''\ni: http://x:80/y\n",
            true,
        ),
        ("a: []\nb: {}\nc: [] # none\nd:\ne: -1\nf: -x\n", true),
        (
            "list:\n- a\n- b: 1\n  c: 2\n-\n  - nested\nafter: 1\n",
            true,
        ),
        ("a:\n  - x: 1\n    y:\n      z: 2\n  - 3\n", true),
        (
            "s: |\n  line 1\n\n  # not a comment\n    deeper\n\nnext: 1\n",
            true,
        ),
        ("s: |-\n  a\n  b\n\n\nt: |\n\n  lead\n", true),
        ("s: |\nnext: 1\n", true),
        ("true: 1\n1: 2\nnull: 3\na b: 4\nk: v\nk: w\n", true),
        ("  indented: root\n  b: 2\n", true),
        ("- 1\n- two\n", true),
        // Left to the full parser:
        ("a: [1, 2]\nb: [\"x\", 'y''s', on,z ] # c\nc: [ ]\n", true),
        ("a: [1, [2]]\n", false),
        ("a: [1, b: 2]\n", false),
        ("a: [1, 2,]\n", false),
        ("a: [1,, 2]\n", false),
        ("a: [1, 2\n", false),
        ("a: [1, 2]x\n", false),
        ("a: {b: 1}\n", false),
        ("a: &x 1\nb: *x\n", false),
        ("a: !!str 1\n", false),
        ("<<: {a: 1}\n", false),
        ("a: >\n  folded\n", false),
        ("a: |+\n  keep\n\n", false),
        ("a: |2\n   x\n", false),
        ("a: \"esc\\n\\t \\\"q\\\" \\\\ \\/\"\nb: [\"\\\"\"]\n", true),
        ("a: \"\\x41\"\n", false),
        ("a: \"\\u0041\"\n", false),
        ("a: 'open\n  quote'\n", false),
        ("a: multi\n  line\n", false),
        ("a:\n  plain on its own line\n", false),
        ("a: 1\n---\nb: 2\n", false),
        ("a:\tb\n", false),
        ("a: 1\r\n", false),
        ("a: b: c\n", false),
        ("a: 1\n b: 2\n", false),
        ("\"quoted key\": 1\n", false),
        ("just a scalar\n", false),
        ("s: |\n  no final newline", false),
        ("a:\n    b: 1\n  c: 2\n", false),
        ("a: 1\nb\n", false),
    ];
    let mut wrong = Vec::new();
    for (text, takes) in cases {
        if same_as_full(text, "a hand-picked case") != *takes {
            wrong.push(format!(
                "{text:?}: the fast reader should {}take it",
                if *takes { "" } else { "not " }
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn scalar() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "1",
        "-2",
        "+3",
        "0x1F",
        "0o17",
        "012",
        "1_000",
        "1e3",
        ".5",
        "-.inf",
        ".nan",
        "~",
        "null",
        "yes",
        "No",
        "on",
        "OFF",
        "true",
        "y",
        "2024-01-01",
        "2001-12-14t21:59:43.10-05:00",
        "a#b",
        "a # c",
        "http://x:80/y",
        "x:y",
        "-x",
        "?x",
        "'it''s'",
        "'a # b'",
        "\"x y\"",
        "\"\"",
        "''",
        "[]",
        "{}",
        "[] # c",
        "[a, 'b', \"c\"]",
        "[ 1 ,yes]",
        "\"a\\\"b\"",
        "\"t\\tn\\n\"",
        "\"\\x41\"",
        "[x:y]",
        "[a,]",
        "a b  c",
        "é",
        "1:20",
        "0b101",
        "-0b101",
        "1.",
        "9223372036854775808",
        "-9223372036854775809",
        "18446744073709551616",
        "'1'",
    ])
    .prop_map(str::to_string)
}

fn key() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "a", "b", "name", "x-y", "a b", "1", "on", "null", "true", "k.v", "a", "~", "0x10",
    ])
    .prop_map(str::to_string)
}

/// A block node at `indent` (its lines, each ending in a newline).
fn node(depth: u32) -> BoxedStrategy<Vec<(usize, String)>> {
    let leaf = scalar().prop_map(|s| vec![(0, s)]);
    if depth == 0 {
        return leaf.boxed();
    }
    let entries = prop::collection::vec((key(), node(depth - 1), 0usize..3), 1..4);
    let items = prop::collection::vec((node(depth - 1), 0usize..2), 1..4);
    prop_oneof![
        2 => leaf,
        1 => prop::sample::select(vec!["|", "|-"]).prop_flat_map(|h| {
            prop::collection::vec(prop::sample::select(vec!["x", "", "# y", "  deeper", "a: b"]), 1..4)
                .prop_map(move |lines| {
                    let mut out = vec![(0, h.to_string())];
                    out.extend(lines.into_iter().map(|l| (2, l.to_string())));
                    out
                })
        }),
        3 => entries.prop_map(|entries| {
            let mut out = Vec::new();
            for (k, child, extra) in entries {
                if extra == 2 {
                    out.push((0, "# a comment".to_string()));
                }
                push_under(&mut out, format!("{k}:"), child, 2 + extra);
            }
            out
        }),
        2 => items.prop_map(|items| {
            let mut out = Vec::new();
            for (child, extra) in items {
                push_under(&mut out, "-".to_string(), child, 2 + extra);
            }
            out
        }),
    ]
    .boxed()
}

/// `head` followed by `child`: on its line when the child is one scalar line, else below
/// it, indented by `by`.
fn push_under(
    out: &mut Vec<(usize, String)>,
    head: String,
    child: Vec<(usize, String)>,
    by: usize,
) {
    match child.as_slice() {
        [(0, line)] if !line.is_empty() => out.push((0, format!("{head} {line}"))),
        [(0, bar), rest @ ..] if bar.starts_with('|') => {
            out.push((0, format!("{head} {bar}")));
            out.extend(rest.iter().map(|(i, l)| (i + by, l.clone())));
        }
        _ => {
            out.push((0, head));
            out.extend(child.into_iter().map(|(i, l)| (i + by, l)));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn block_reader_reads_generated_documents_as_the_full_parser_does(lines in node(3)) {
        let text: String = lines
            .iter()
            .map(|(i, l)| if l.is_empty() { "\n".to_string() } else { format!("{}{l}\n", " ".repeat(*i)) })
            .collect();
        same_as_full(&text, "a generated document");
    }
}
