//! `kit template` on every case of `../shared/corpus/helm/` (real charts and the exact output
//! of `helm template` v3.17.2), and `kit build` on every case of
//! `../shared/corpus/helm-kustomize/` (kustomizations inflating local charts through
//! `helmCharts:`, the exact output of `kubectl kustomize --enable-helm`).
//!
//! # The helm corpus (`helm_corpus`)
//!
//! Each case folder holds `ARGS` (split like a POSIX shell splits words), `chart/`, the files
//! ARGS names, and `expected.yaml` (helm's stdout) or `expected.err` (helm's stderr when it
//! failed). kit runs as `kit template <ARGS>` with the case folder as its working directory;
//! in fact in a scratch folder made of symbolic links to the case's entries, so that nothing
//! is ever written into the (read-only) corpus, and so that a `chart` that is a plain file
//! holding a relative path (a symbolic link flattened by a copy of the corpus) is followed as
//! the link it was.
//!
//! * `expected.yaml`: kit must exit 0 and print the same bytes, except the documents whose
//!   `# Source:` path `NONDETERMINISTIC` lists (random passwords, generated certificates):
//!   those are compared by shape — the same `# Source:` lines in the same order, the same
//!   number of documents, and the same YAML structure (the same keys in the same order, the
//!   same value types — null, bool, integer, float, string —, the same list lengths).
//! * `expected-out/` (`flag-output-dir-release-name`): the tree kit wrote with `--output-dir`
//!   must have the same files with the same bytes, besides the stdout above.
//! * `expected.err`: kit must exit 2 (helm exits 1; with `KIT_HELM_CORPUS_BIN` any non-zero
//!   status will do) and its stderr must hold the *key* of helm's message. The key is taken
//!   from the first line that starts with `Error: `, without that word, and without the
//!   trailing `Use --debug flag to render out invalid YAML`:
//!   - location prefixes are removed, as often as they come: `template: FILE:L:C: executing
//!     "NAME" at <EXPR>: `, `template: FILE:L:C: `, `execution error at (FILE:L:C): `,
//!     `parse error at (FILE:L): `. What kit says about where is its own business (it
//!     should say it, in its own form); what went wrong must be what helm says;
//!   - `YAML parse error on PATH: <yaml library message>` keeps `YAML parse error on PATH`:
//!     Go's YAML library words its messages its own way, kit need not copy them;
//!   - then the first non-blank line of what is left is the key (a values-schema failure:
//!     `values don't meet the specifications of the schema(s) in the following chart(s):`;
//!     the JSON-schema validator's own wording of each violation is not required).
//!
//!   The key must appear in kit's stderr after both are whitespace-normalised (every run of
//!   spaces, tabs and newlines made one space, and the box-drawing gutter of a wrapped
//!   diagnostic dropped), so that a wrapped line still matches.
//!
//! # The helm-kustomize corpus (`helm_kustomize_corpus`)
//!
//! As tests/corpus.rs runs the kustomize corpus: `kit build <ENTRY>` inside `input/`, stdout
//! compared byte for byte with `expected.yaml`. `FLAGS` is `--enable-helm`, which `kit build`
//! does not accept (it inflates `helmCharts:` without being asked): the test passes on only
//! the flags kit knows (`--load-restrictor none` for `LoadRestrictionsNone`).
//!
//! # Floors, the passing lists, and the settings
//!
//! The engine that renders Go templates is being written: most cases fail today, and the
//! suite stays green through a ratchet. Each test fails when fewer cases pass than its floor
//! (`tests/helm-corpus-floor.txt`, `tests/helm-kustomize-floor.txt`: one integer), or when a
//! case listed in its passing list (`tests/helm-corpus-passing.txt`,
//! `tests/helm-kustomize-passing.txt`: one case a line) fails. `KIT_UPDATE=1` rewrites the
//! passing list (and, on a run of every case, sets the floor to the number of cases that
//! pass): raise them as kit improves.
//!
//! * `KIT_CORPUS`: the corpus root (default `../shared/corpus` beside the repository). When
//!   the corpus is missing the tests say loudly that they are skipped, and fail under
//!   `CI=true`.
//! * `KIT_HELM_CASES=GLOB[,GLOB…]`: run only the cases whose name matches (the floor is then
//!   not checked).
//! * `KIT_HELM_CORPUS_BIN=/path/to/helm`: run the real helm instead of kit, to check the
//!   harness itself: every case must pass (a helm v4 binary is compared with the
//!   `expected-v4.*` files where they exist). The helm-kustomize corpus then runs
//!   `$KIT_KUBECTL kustomize --enable-helm --helm-command <that helm>`.
//! * `KIT_HELM_TIMEOUT`: seconds one case may take (default 120).
//!
//! The table (case, pass/fail, why) and the first differing lines of each failure are
//! printed (`cargo test --test helm_corpus -- --nocapture` shows them on success too) and
//! written to `target/tmp/helm-corpus-report.txt` / `helm-kustomize-report.txt`.

// Tests report what they compared on the console.
#![allow(clippy::print_stdout, clippy::print_stderr)]
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rayon::prelude::*;

const HELM_PASSING: &str = "tests/helm-corpus-passing.txt";
const HELM_FLOOR: &str = "tests/helm-corpus-floor.txt";
const HELM_V4_PASSING: &str = "tests/helm-corpus-v4-passing.txt";
const HELM_V4_FLOOR: &str = "tests/helm-corpus-v4-floor.txt";
const KUSTOMIZE_PASSING: &str = "tests/helm-kustomize-passing.txt";
const KUSTOMIZE_FLOOR: &str = "tests/helm-kustomize-floor.txt";

/// What renders the cases: kit, or the reference tools (to check the harness).
#[derive(Clone, Debug)]
enum Renderer {
    /// kit, as Helm v3 (the default) or with `--helm-version 4`.
    Kit {
        v4: bool,
    },
    Helm {
        bin: PathBuf,
        v4: bool,
    },
}

impl Renderer {
    fn from_env() -> Renderer {
        match common::env_var("KIT_HELM_CORPUS_BIN") {
            None => Renderer::Kit { v4: false },
            Some(bin) => {
                let bin = PathBuf::from(bin);
                let out = helm_command(&bin, &std::env::temp_dir())
                    .args(["version", "--template", "{{.Version}}"])
                    .output()
                    .unwrap_or_else(|e| panic!("KIT_HELM_CORPUS_BIN={}: {e}", bin.display()));
                let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
                assert!(
                    version.starts_with('v'),
                    "KIT_HELM_CORPUS_BIN={}: `helm version` printed {version:?}",
                    bin.display()
                );
                eprintln!(
                    "helm corpus: rendering with {} ({version}) instead of kit",
                    bin.display()
                );
                Renderer::Helm {
                    v4: version.starts_with("v4."),
                    bin,
                }
            }
        }
    }

    /// Whether the output is compared with Helm v4's (`expected-v4.*` where they exist).
    fn v4(&self) -> bool {
        match self {
            Renderer::Kit { v4 } | Renderer::Helm { v4, .. } => *v4,
        }
    }

    fn label(&self) -> &'static str {
        match self {
            Renderer::Kit { v4: false } => "kit",
            Renderer::Kit { v4: true } => "kit --helm-version 4",
            Renderer::Helm { v4: false, .. } => "helm v3",
            Renderer::Helm { v4: true, .. } => "helm v4",
        }
    }
}

/// A helm command that reads no user configuration and reaches nothing (as the corpus'
/// `render` script runs it): scratch HOME under `scratch`, no kubeconfig, a dead proxy.
fn helm_command(bin: &Path, scratch: &Path) -> Command {
    let home = scratch.join(".helm-home");
    let mut cmd = Command::new(bin);
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("HELM_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("KUBECONFIG", "/dev/null")
        .env("HTTP_PROXY", "http://127.0.0.1:9")
        .env("HTTPS_PROXY", "http://127.0.0.1:9")
        .env("http_proxy", "http://127.0.0.1:9")
        .env("https_proxy", "http://127.0.0.1:9")
        .env("NO_PROXY", "")
        .env("no_proxy", "");
    cmd
}

// ---------------------------------------------------------------------------------------
// Running a command with a time limit

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    timed_out: bool,
}

/// Runs `cmd` with stdout and stderr sent to files in `scratch` (no pipe to fill), killing
/// it after `KIT_HELM_TIMEOUT` seconds.
fn run_limited(cmd: &mut Command, scratch: &Path) -> Result<Run, String> {
    let limit = common::env_var("KIT_HELM_TIMEOUT")
        .map(|t| common::parse_u64(&t))
        .unwrap_or(120);
    let out_path = scratch.join(".stdout");
    let err_path = scratch.join(".stderr");
    let out = std::fs::File::create(&out_path).map_err(|e| e.to_string())?;
    let err = std::fs::File::create(&err_path).map_err(|e| e.to_string())?;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if start.elapsed() > Duration::from_secs(limit) {
            let _ = child.kill();
            timed_out = true;
            break child.wait().map_err(|e| e.to_string())?;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    Ok(Run {
        code: status.code(),
        stdout: read(&out_path),
        stderr: read(&err_path),
        timed_out,
    })
}

// ---------------------------------------------------------------------------------------
// Comparing outputs

/// One document of `helm template`'s output: the text from its `---` line (or the start of
/// the output) up to the next, and the path of its `# Source:` line.
struct Chunk<'a> {
    text: &'a str,
    source: Option<&'a str>,
}

/// Splits an output at its `---` lines.
fn chunks(text: &str) -> Vec<Chunk<'_>> {
    let mut starts = vec![0];
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if pos > 0 && line.trim_end_matches('\n') == "---" {
            starts.push(pos);
        }
        pos += line.len();
    }
    starts.push(text.len());
    starts
        .windows(2)
        .map(|w| {
            let text = &text[w[0]..w[1]];
            let mut lines = text.lines();
            let first = lines.next().unwrap_or("");
            let source_line = if first == "---" {
                lines.next()
            } else {
                Some(first)
            };
            let source = source_line.and_then(|l| l.strip_prefix("# Source: "));
            Chunk { text, source }
        })
        .filter(|c| !c.text.is_empty())
        .collect()
}

/// The output with the body of every document from a nondeterministic source replaced by a
/// marker (as the corpus' `render --check` masks them).
fn mask(text: &str, nondet: &BTreeSet<String>) -> String {
    let mut out = String::with_capacity(text.len());
    for c in chunks(text) {
        match c.source {
            Some(s) if nondet.contains(s) => {
                let head = if c.text.starts_with("---\n") {
                    "---\n"
                } else {
                    ""
                };
                let _ = writeln!(out, "{head}# Source: {s}\n<nondeterministic document>");
            }
            _ => out.push_str(c.text),
        }
    }
    out
}

/// The first line where `expected` and `got` differ, with a few lines of context around it,
/// or `None` when they are the same bytes.
fn first_difference(expected: &str, got: &str) -> Option<String> {
    if expected == got {
        return None;
    }
    let e: Vec<&str> = expected.split_inclusive('\n').collect();
    let g: Vec<&str> = got.split_inclusive('\n').collect();
    let i = e.iter().zip(&g).take_while(|(a, b)| a == b).count();
    let mut out = String::new();
    let show = |l: Option<&&str>| match l {
        None => "<end of output>".to_string(),
        Some(l) if !l.ends_with('\n') => format!("{l:?} (no newline at the end)"),
        Some(l) => format!("{:?}", l.trim_end_matches('\n')),
    };
    let _ = writeln!(out, "first difference at line {}:", i + 1);
    for (k, l) in e.iter().enumerate().take(i).skip(i.saturating_sub(3)) {
        let _ = writeln!(out, "   {:>6}  {}", k + 1, show(Some(l)));
    }
    let _ = writeln!(out, " - {:>6}  {}", i + 1, show(e.get(i)));
    let _ = writeln!(out, " + {:>6}  {}", i + 1, show(g.get(i)));
    for k in i + 1..(i + 3).min(e.len().max(g.len())) {
        if e.get(k).is_some() {
            let _ = writeln!(out, " - {:>6}  {}", k + 1, show(e.get(k)));
        }
        if g.get(k).is_some() {
            let _ = writeln!(out, " + {:>6}  {}", k + 1, show(g.get(k)));
        }
    }
    Some(out)
}

/// A YAML value's shape as a line of text per node: path, type, and for maps their keys, for
/// lists their lengths.
fn shape(value: &kit::model::Value, path: &str, out: &mut Vec<String>) {
    use kit::model::Value;
    match value {
        Value::Null => out.push(format!("{path}: null")),
        Value::Bool(_) => out.push(format!("{path}: bool")),
        Value::Int(_) | Value::UInt(_) => out.push(format!("{path}: int")),
        Value::Float(_) => out.push(format!("{path}: float")),
        Value::Str(_) => out.push(format!("{path}: string")),
        Value::Seq(items) => {
            out.push(format!("{path}: list of {}", items.len()));
            for (i, item) in items.iter().enumerate() {
                shape(&item.value, &format!("{path}[{i}]"), out);
            }
        }
        Value::Map(entries) => {
            let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
            out.push(format!("{path}: map {keys:?}"));
            for (k, v) in entries {
                shape(&v.value, &format!("{path}.{k}"), out);
            }
        }
    }
}

/// The shapes of the YAML documents in `text`, or why it does not parse.
fn shapes_of(text: &str) -> Result<Vec<String>, String> {
    let loader = kit::load::Loader::lenient();
    let owned = loader
        .load_text_owned(Path::new("document.yaml"), text.to_string())
        .map_err(|d| d.one_line(&loader.sources))?;
    let mut out = Vec::new();
    for (i, doc) in owned.docs.iter().enumerate() {
        shape(&doc.value, &format!("doc{i}"), &mut out);
    }
    Ok(out)
}

/// Compares two outputs of `helm template`: byte for byte, but for the documents of the
/// nondeterministic sources, which must have the same shape. `None` when they agree.
fn compare_outputs(expected: &str, got: &str, nondet: &BTreeSet<String>) -> Option<String> {
    if nondet.is_empty() {
        return first_difference(expected, got);
    }
    if let Some(d) = first_difference(&mask(expected, nondet), &mask(got, nondet)) {
        return Some(format!(
            "(documents of NONDETERMINISTIC sources masked)\n{d}"
        ));
    }
    // Same chunks in the same order (the masked texts are equal): compare the shapes of the
    // nondeterministic ones.
    for (e, g) in chunks(expected).iter().zip(chunks(got).iter()) {
        let Some(source) = e.source.filter(|s| nondet.contains(*s)) else {
            continue;
        };
        let es = match shapes_of(e.text) {
            Ok(s) => s,
            Err(err) => {
                return Some(format!(
                    "{source}: the expected document does not parse: {err}"
                ))
            }
        };
        let gs = match shapes_of(g.text) {
            Ok(s) => s,
            Err(err) => {
                return Some(format!(
                    "{source}: the document does not parse as YAML: {err}"
                ))
            }
        };
        if let Some(d) = first_difference(&(es.join("\n") + "\n"), &(gs.join("\n") + "\n")) {
            return Some(format!(
                "{source} (nondeterministic, compared by shape): not the same shape\n{d}"
            ));
        }
    }
    None
}

/// Replaces every run of whitespace by one space, after dropping the gutter of a wrapped
/// diagnostic (box-drawing characters and `×`), so that a message wrapped over several
/// lines reads as one; a line wrapped after a hyphen (`chart-with-` / `template`) joins
/// without a space.
fn squash(text: &str) -> String {
    let plain: String = text
        .chars()
        .map(|c| {
            if ('\u{2500}'..='\u{257F}').contains(&c) || c == '×' {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut joined = String::new();
    for line in plain.lines() {
        let after_hyphen = joined
            .strip_suffix('-')
            .and_then(|before| before.chars().last())
            .is_some_and(char::is_alphanumeric);
        if !after_hyphen {
            joined.push(' ');
        }
        joined.push_str(line.trim());
    }
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The key of helm's error message (see the module's doc comment), or `None` when the
/// expected stderr has no `Error: ` line.
fn error_key(stderr: &str) -> Option<String> {
    let at = stderr
        .split_inclusive('\n')
        .scan(0, |pos, l| {
            let start = *pos;
            *pos += l.len();
            Some((start, l))
        })
        .find(|(_, l)| l.starts_with("Error: "))?
        .0;
    let mut msg = &stderr[at + "Error: ".len()..];
    if let Some(cut) = msg.find("\n\nUse --debug flag to render out invalid YAML") {
        msg = &msg[..cut];
    }
    let prefixes = [
        r#"^template: [^\s:]+:\d+:\d+: executing "[^"]*" at <.*?>: "#,
        // Helm v4 writes the same on three lines.
        r#"^[^\s:]+:\d+:\d+\n\s+executing "[^"]*" at <.*?>:\n\s+"#,
        r"^template: [^\s:]+:\d+(:\d+)?: ",
        r"^execution error at \([^)]*\): ",
        r"^parse error at \([^)]*\): ",
    ];
    let prefixes: Vec<regex::Regex> = prefixes
        .iter()
        .map(|p| regex::Regex::new(p).unwrap())
        .collect();
    loop {
        let before = msg.len();
        for re in &prefixes {
            if let Some(m) = re.find(msg) {
                msg = &msg[m.end()..];
            }
        }
        if msg.len() == before {
            break;
        }
    }
    let yaml = regex::Regex::new(r"^(YAML parse error on \S+): ").unwrap();
    if let Some(c) = yaml.captures(msg) {
        return Some(c[1].to_string());
    }
    msg.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_string)
}

/// Compares two directory trees file by file; `None` when they are the same.
fn compare_trees(expected: &Path, got: &Path) -> Option<String> {
    fn files(root: &Path) -> BTreeSet<PathBuf> {
        walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| e.path().strip_prefix(root).ok().map(Path::to_path_buf))
            .collect()
    }
    if !got.is_dir() {
        return Some(format!("--output-dir: {} was not written", got.display()));
    }
    let (e, g) = (files(expected), files(got));
    if e != g {
        let missing: Vec<_> = e.difference(&g).collect();
        let extra: Vec<_> = g.difference(&e).collect();
        return Some(format!(
            "--output-dir: not the same files: missing {missing:?}, unexpected {extra:?}"
        ));
    }
    for f in &e {
        let a = std::fs::read_to_string(expected.join(f)).unwrap_or_default();
        let b = std::fs::read_to_string(got.join(f)).unwrap_or_default();
        if let Some(d) = first_difference(&a, &b) {
            return Some(format!("--output-dir: {} differs\n{d}", f.display()));
        }
    }
    None
}

// ---------------------------------------------------------------------------------------
// The cases

struct Outcome {
    name: String,
    pass: bool,
    /// The case cannot pass because the corpus copy lacks files it needs (see
    /// [`missing_dependencies`]): reported apart, and not held against the reference tool.
    defect: Option<String>,
    /// One line for the table.
    why: String,
    /// The first differing lines, or stderr.
    detail: String,
}

impl Outcome {
    fn pass(name: &str) -> Outcome {
        Outcome {
            name: name.to_string(),
            pass: true,
            defect: None,
            why: String::new(),
            detail: String::new(),
        }
    }

    fn fail(name: &str, why: impl Into<String>, detail: impl Into<String>) -> Outcome {
        Outcome {
            name: name.to_string(),
            pass: false,
            defect: None,
            why: why.into(),
            detail: detail.into(),
        }
    }
}

/// The first lines of a text, for a report.
fn head(text: &str, lines: usize) -> String {
    let mut out: Vec<&str> = text.lines().take(lines).collect();
    if text.lines().count() > lines {
        out.push("…");
    }
    out.join("\n")
}

fn case_names(dir: &Path, marker: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .filter(|e| e.path().join(marker).exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    if let Some(globs) = common::env_var("KIT_HELM_CASES") {
        let mut set = globset::GlobSetBuilder::new();
        for g in globs.split(',').map(str::trim).filter(|g| !g.is_empty()) {
            set.add(globset::Glob::new(g).unwrap_or_else(|e| panic!("KIT_HELM_CASES: {e}")));
        }
        let set = set.build().unwrap();
        names.retain(|n| set.is_match(n));
    }
    names
}

/// Where a `chart` entry really points: a plain file holding a relative path to a folder
/// is a symbolic link that a copy flattened.
fn resolve_entry(path: &Path) -> PathBuf {
    if path.is_file() {
        if let Ok(text) = std::fs::read_to_string(path) {
            let target = text.trim();
            if !target.is_empty() && !target.contains('\n') && target.len() < 512 {
                if let Some(parent) = path.parent() {
                    let t = parent.join(target);
                    if t.is_dir() {
                        return t.canonicalize().unwrap_or(t);
                    }
                }
            }
        }
    }
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// A scratch folder with a symbolic link to each entry of `case` but `skip`.
fn scratch_case(root: &Path, case: &Path, name: &str, skip: Option<&str>) -> PathBuf {
    let dir = root.join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(case).unwrap().filter_map(Result::ok) {
        let file = entry.file_name();
        if skip.is_some_and(|s| file.to_str() == Some(s)) {
            continue;
        }
        std::os::unix::fs::symlink(resolve_entry(&entry.path()), dir.join(&file)).unwrap();
    }
    dir
}

/// The dependencies that `chart/Chart.yaml` names but `chart/charts/` lacks (no entry
/// named after it, no `<name>-<version>.tgz`). A copy of the corpus made through git loses
/// the vendored `.tgz` files that a chart's own `.gitignore` ignores (kube-prometheus-stack's
/// says `charts/*`): helm then refuses the chart, and no renderer can pass the case.
fn missing_dependencies(chart: &Path) -> Vec<String> {
    /// The value of a top-level field of a chart's Chart.yaml.
    fn chart_yaml(dir: &Path) -> Option<kit::model::Node> {
        let path = dir.join("Chart.yaml");
        let text = std::fs::read_to_string(&path).ok()?;
        let loader = kit::load::Loader::lenient();
        let owned = loader.load_text_owned(&path, text).ok()?;
        owned.docs.into_iter().next()
    }
    fn field<'a>(node: &'a kit::model::Node, key: &str) -> Option<&'a kit::model::Node> {
        node.as_map()?
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }
    let Some(doc) = chart_yaml(chart) else {
        return Vec::new();
    };
    // What charts/ holds: the names of its chart folders, and its archives' file names.
    let mut names = Vec::new();
    let mut archives = Vec::new();
    for e in std::fs::read_dir(chart.join("charts"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
    {
        let file = e.file_name().to_string_lossy().into_owned();
        if e.path().is_dir() {
            let name = chart_yaml(&e.path()).and_then(|d| {
                field(&d, "name")
                    .and_then(|n| n.as_str())
                    .map(str::to_string)
            });
            names.push(name.unwrap_or(file));
        } else {
            archives.push(file);
        }
    }
    let mut missing = Vec::new();
    let deps = field(&doc, "dependencies").and_then(|d| d.as_seq());
    for dep in deps.into_iter().flatten() {
        let Some(name) = field(dep, "name").and_then(|n| n.as_str()) else {
            continue;
        };
        let present = names.iter().any(|n| n == name)
            || archives.iter().any(|a| a.starts_with(&format!("{name}-")));
        if !present {
            missing.push(name.to_string());
        }
    }
    missing
}

/// The `--output-dir` of ARGS.
fn output_dir(args: &[String]) -> Option<String> {
    args.iter().enumerate().find_map(|(i, a)| {
        if a == "--output-dir" {
            args.get(i + 1).cloned()
        } else {
            a.strip_prefix("--output-dir=").map(str::to_string)
        }
    })
}

fn read_opt(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

fn run_helm_case(corpus: &Path, scratch_root: &Path, name: &str, renderer: &Renderer) -> Outcome {
    let mut outcome = render_helm_case(corpus, scratch_root, name, renderer);
    let case = corpus.join(name);
    if !outcome.pass && case.join("expected.yaml").is_file() {
        let missing = missing_dependencies(&resolve_entry(&case.join("chart")));
        if !missing.is_empty() {
            outcome.defect = Some(format!(
                "the corpus copy lacks chart/charts/ entries for {missing:?} (a .gitignore in the chart dropped them?)"
            ));
        }
    }
    outcome
}

fn render_helm_case(
    corpus: &Path,
    scratch_root: &Path,
    name: &str,
    renderer: &Renderer,
) -> Outcome {
    let case = corpus.join(name);
    let Some(args_line) = read_opt(&case.join("ARGS")) else {
        return Outcome::fail(name, "no ARGS", "");
    };
    let Some(args) = shlex::split(args_line.lines().next().unwrap_or("")) else {
        return Outcome::fail(name, "ARGS does not split like a shell line", args_line);
    };
    let out_dir = output_dir(&args);
    let top_out = out_dir.as_deref().map(|d| {
        d.trim_start_matches("./")
            .split('/')
            .next()
            .unwrap_or(d)
            .to_string()
    });
    let dir = scratch_case(scratch_root, &case, name, top_out.as_deref());

    let v4 = renderer.v4();
    let pick = |v3: &str, v4name: &str| {
        if v4 {
            if let Some(t) = read_opt(&case.join(v4name)) {
                return (Some(t), true);
            }
        }
        (read_opt(&case.join(v3)), false)
    };
    let (mut expected_yaml, yaml_v4) = pick("expected.yaml", "expected-v4.yaml");
    let (mut expected_err, err_v4) = pick("expected.err", "expected-v4.err");
    if yaml_v4 {
        expected_err = None;
    }
    if err_v4 {
        expected_yaml = None;
    }
    let nondet: BTreeSet<String> = read_opt(&case.join("NONDETERMINISTIC"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();

    let mut cmd = match renderer {
        Renderer::Kit { .. } => {
            let mut c = common::kit();
            c.env("NO_COLOR", "1");
            c
        }
        Renderer::Helm { bin, .. } => helm_command(bin, &dir),
    };
    cmd.current_dir(&dir).arg("template");
    if let Renderer::Kit { v4: true } = renderer {
        cmd.args(["--helm-version", "4"]);
    }
    cmd.args(&args);
    let run = match run_limited(&mut cmd, &dir) {
        Ok(r) => r,
        Err(e) => return Outcome::fail(name, e, ""),
    };
    if run.timed_out {
        return Outcome::fail(name, "timed out (KIT_HELM_TIMEOUT)", "");
    }
    let code = run.code.unwrap_or(-1);

    if let Some(expected) = expected_yaml {
        if code != 0 {
            return Outcome::fail(
                name,
                format!("exit {code}, expected success"),
                head(&run.stderr, 12),
            );
        }
        if let Some(d) = compare_outputs(&expected, &run.stdout, &nondet) {
            let first = d
                .lines()
                .find(|l| {
                    l.contains("first difference") || l.contains("differs") || l.contains("shape")
                })
                .unwrap_or("output differs");
            return Outcome::fail(name, format!("stdout differs: {first}"), d);
        }
        if let Some(od) = &out_dir {
            let expected_out = if v4 && case.join("expected-v4-out").is_dir() {
                case.join("expected-v4-out")
            } else {
                case.join("expected-out")
            };
            if let Some(d) = compare_trees(&expected_out, &dir.join(od)) {
                let first = d.lines().next().unwrap_or("").to_string();
                return Outcome::fail(name, first, d);
            }
        }
        Outcome::pass(name)
    } else if let Some(expected) = expected_err {
        let status_ok = match renderer {
            Renderer::Kit { .. } => code == 2,
            Renderer::Helm { .. } => code != 0,
        };
        if !status_ok {
            return Outcome::fail(
                name,
                format!("exit {code}, expected a failure (exit 2)"),
                format!(
                    "expected error:\n{}\nstdout:\n{}\nstderr:\n{}",
                    head(&expected, 6),
                    head(&run.stdout, 6),
                    head(&run.stderr, 6)
                ),
            );
        }
        let Some(key) = error_key(&expected) else {
            return Outcome::fail(name, "expected.err has no `Error: ` line", expected);
        };
        if !squash(&run.stderr).contains(&squash(&key)) {
            return Outcome::fail(
                name,
                "the error does not say what helm says",
                format!(
                    "want (whitespace-normalised) in stderr: {key}\nstderr:\n{}",
                    head(&run.stderr, 12)
                ),
            );
        }
        Outcome::pass(name)
    } else {
        Outcome::fail(name, "neither expected.yaml nor expected.err", "")
    }
}

// ---------------------------------------------------------------------------------------
// The report, the floor and the passing list

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read_list(rel: &str) -> BTreeSet<String> {
    std::fs::read_to_string(repo_file(rel))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

fn read_floor(rel: &str) -> usize {
    let text = std::fs::read_to_string(repo_file(rel)).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            l.parse()
                .unwrap_or_else(|e| panic!("{rel}: {l:?} is not a number: {e}"))
        })
        .unwrap_or(0)
}

/// Prints and saves the table, then applies the floor and the passing list (for kit), or
/// requires every case to pass (for the reference tools).
fn conclude(
    title: &str,
    report_name: &str,
    outcomes: &[Outcome],
    renderer: &Renderer,
    passing_file: &str,
    floor_file: &str,
    all_cases: bool,
) {
    let passed = outcomes.iter().filter(|o| o.pass).count();
    let width = outcomes.iter().map(|o| o.name.len()).max().unwrap_or(10);
    let mut table = String::new();
    let _ = writeln!(table, "{:<width$}  {:<6}  why", "case", "result");
    for o in outcomes {
        let _ = writeln!(
            table,
            "{:<width$}  {:<6}  {}",
            o.name,
            if o.pass {
                "pass"
            } else if o.defect.is_some() {
                "CORPUS"
            } else {
                "FAIL"
            },
            match &o.defect {
                Some(d) => format!("{d}; {}", o.why),
                None => o.why.clone(),
            }
        );
    }
    let mut details = String::new();
    for o in outcomes.iter().filter(|o| !o.pass && !o.detail.is_empty()) {
        let _ = writeln!(
            details,
            "---- {}: {}\n{}\n",
            o.name,
            o.why,
            o.detail.trim_end()
        );
    }
    let defects: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.defect.is_some())
        .map(|o| o.name.as_str())
        .collect();
    let mut summary = format!(
        "{title} ({}): {passed}/{} cases",
        renderer.label(),
        outcomes.len()
    );
    if !defects.is_empty() {
        let _ = write!(
            summary,
            " ({} cannot pass: the corpus copy lacks vendored subcharts: {defects:?})",
            defects.len()
        );
    }
    let report = format!("{table}\n{details}{summary}\n");
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(report_name);
    let _ = std::fs::write(&path, &report);
    println!("{report}");
    // Straight to stderr (not captured by the test harness): the numbers show on every run.
    let _ = writeln!(std::io::stderr(), "{summary} (table in {})", path.display());

    if let Renderer::Helm { .. } = renderer {
        let failed: Vec<&str> = outcomes
            .iter()
            .filter(|o| !o.pass && o.defect.is_none())
            .map(|o| o.name.as_str())
            .collect();
        assert!(
            failed.is_empty(),
            "the reference tool must pass every case (else the harness is wrong): {failed:?}"
        );
        return;
    }

    let listed = read_list(passing_file);
    let now_passing: BTreeSet<String> = outcomes
        .iter()
        .filter(|o| o.pass)
        .map(|o| o.name.clone())
        .collect();
    let run_names: BTreeSet<String> = outcomes.iter().map(|o| o.name.clone()).collect();
    if common::env_var("KIT_UPDATE").is_some_and(|v| v != "0") {
        // Cases not run keep their entry; the ones run are listed when they pass.
        let mut list: BTreeSet<String> = listed.difference(&run_names).cloned().collect();
        list.extend(now_passing.iter().cloned());
        let mut text = String::from(
            "# The cases that pass today: the test fails if one of them fails (KIT_UPDATE=1 rewrites this).\n",
        );
        for n in &list {
            let _ = writeln!(text, "{n}");
        }
        std::fs::write(repo_file(passing_file), text).unwrap();
        eprintln!("KIT_UPDATE=1: wrote {passing_file} ({} cases)", list.len());
        if all_cases {
            let old = std::fs::read_to_string(repo_file(floor_file)).unwrap_or_default();
            let mut text: String = old
                .lines()
                .filter(|l| l.starts_with('#'))
                .map(|l| format!("{l}\n"))
                .collect();
            let _ = writeln!(text, "{passed}");
            std::fs::write(repo_file(floor_file), text).unwrap();
            eprintln!("KIT_UPDATE=1: wrote {floor_file} ({passed})");
        }
        return;
    }
    let regressed: Vec<&String> = listed
        .iter()
        .filter(|n| run_names.contains(*n) && !now_passing.contains(*n))
        .collect();
    let new: Vec<&String> = now_passing.difference(&listed).collect();
    if !new.is_empty() {
        eprintln!(
            "{title}: {} cases pass that {passing_file} does not list yet: {new:?} (KIT_UPDATE=1 adds them)",
            new.len()
        );
    }
    assert!(
        regressed.is_empty(),
        "{title}: cases listed in {passing_file} fail now: {regressed:?} (details above)"
    );
    if all_cases {
        let floor = read_floor(floor_file);
        assert!(
            passed >= floor,
            "{title}: {passed} cases pass, fewer than the floor {floor} ({floor_file})"
        );
    } else {
        eprintln!("{title}: KIT_HELM_CASES is set: the floor ({floor_file}) is not checked");
    }
}

fn scratch_root(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn helm_corpus() {
    run_helm_corpus(
        "helm corpus",
        Renderer::from_env(),
        "helm-corpus",
        HELM_PASSING,
        HELM_FLOOR,
    );
}

/// The same cases rendered by `kit template --helm-version 4`, compared with Helm v4.1.4's
/// output (`expected-v4.*` where it differs from v3's).
#[test]
fn helm_corpus_as_helm_v4() {
    if let Renderer::Helm { .. } = Renderer::from_env() {
        eprintln!("helm corpus as v4: KIT_HELM_CORPUS_BIN is set: helm_corpus checks that binary");
        return;
    }
    run_helm_corpus(
        "helm corpus as v4",
        Renderer::Kit { v4: true },
        "helm-corpus-v4",
        HELM_V4_PASSING,
        HELM_V4_FLOOR,
    );
}

/// Renders every case with `renderer`, then reports and applies the floor and the passing
/// list (`name` names the scratch folder and the report, `name-report.txt`).
fn run_helm_corpus(title: &str, renderer: Renderer, name: &str, passing: &str, floor: &str) {
    let Some(corpus) = common::corpus_dir("helm") else {
        common::skip_or_fail(
            title,
            "the helm corpus is missing (../shared/corpus/helm, or $KIT_CORPUS/helm)",
        );
        return;
    };
    let names = case_names(&corpus, "ARGS");
    let all_cases = common::env_var("KIT_HELM_CASES").is_none();
    let root = scratch_root(name);
    let outcomes: Vec<Outcome> = names
        .par_iter()
        .map(|n| run_helm_case(&corpus, &root, n, &renderer))
        .collect();
    let _ = std::fs::remove_dir_all(&root);
    conclude(
        title,
        &format!("{name}-report.txt"),
        &outcomes,
        &renderer,
        passing,
        floor,
        all_cases,
    );
}

fn run_kustomize_case(corpus: &Path, name: &str, renderer: &Renderer) -> Outcome {
    let case = corpus.join(name);
    let entry = read_opt(&case.join("ENTRY"))
        .unwrap_or_else(|| ".".into())
        .trim()
        .to_string();
    let flags = read_opt(&case.join("FLAGS")).unwrap_or_default();
    let scratch = scratch_root(&format!("helm-kustomize-{name}"));
    let mut cmd = match renderer {
        Renderer::Kit { .. } => {
            let mut c = common::kit();
            c.env("NO_COLOR", "1").arg("build").arg(&entry);
            if flags.contains("LoadRestrictionsNone") {
                c.args(["--load-restrictor", "none"]);
            }
            // `--enable-helm` is not a flag of `kit build`: kit inflates helmCharts anyway.
            c
        }
        Renderer::Helm { bin, .. } => {
            let Some(kubectl) = common::env_var("KIT_KUBECTL") else {
                return Outcome::fail(name, "KIT_HELM_CORPUS_BIN needs KIT_KUBECTL too", "");
            };
            let mut c = helm_command(Path::new(&kubectl), &scratch);
            c.arg("kustomize")
                .args(flags.split_whitespace())
                .arg("--helm-command")
                .arg(bin)
                .arg(&entry);
            c
        }
    };
    cmd.current_dir(case.join("input"));
    let run = run_limited(&mut cmd, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    let run = match run {
        Ok(r) => r,
        Err(e) => return Outcome::fail(name, e, ""),
    };
    if run.timed_out {
        return Outcome::fail(name, "timed out (KIT_HELM_TIMEOUT)", "");
    }
    let code = run.code.unwrap_or(-1);
    match read_opt(&case.join("expected.yaml")) {
        Some(expected) => {
            if code != 0 {
                return Outcome::fail(
                    name,
                    format!("exit {code}, expected success"),
                    head(&run.stderr, 12),
                );
            }
            match first_difference(&expected, &run.stdout) {
                Some(d) => Outcome::fail(name, "stdout differs", d),
                None => Outcome::pass(name),
            }
        }
        None if code != 0 && !run.stderr.trim().is_empty() => Outcome::pass(name),
        None => Outcome::fail(
            name,
            format!("exit {code}, expected a failure with a message"),
            "",
        ),
    }
}

#[test]
fn helm_kustomize_corpus() {
    let Some(corpus) = common::corpus_dir("helm-kustomize") else {
        common::skip_or_fail(
            "helm_kustomize_corpus",
            "the helm-kustomize corpus is missing (../shared/corpus/helm-kustomize, or $KIT_CORPUS/helm-kustomize)",
        );
        return;
    };
    let renderer = Renderer::from_env();
    let names = case_names(&corpus, "input");
    let all_cases = common::env_var("KIT_HELM_CASES").is_none();
    let outcomes: Vec<Outcome> = names
        .par_iter()
        .map(|n| run_kustomize_case(&corpus, n, &renderer))
        .collect();
    conclude(
        "helm-kustomize corpus",
        "helm-kustomize-report.txt",
        &outcomes,
        &renderer,
        KUSTOMIZE_PASSING,
        KUSTOMIZE_FLOOR,
        all_cases,
    );
}

#[cfg(test)]
mod harness {
    use super::*;

    #[test]
    fn error_keys() {
        let key = |s: &str| error_key(s).unwrap();
        assert_eq!(
            key("WARNING: This chart is deprecated\nError: execution error at (grafana/templates/deployment.yaml:36:28): Sensitive key 'x' should not be defined.\n\nUse --debug flag to render out invalid YAML\n"),
            "Sensitive key 'x' should not be defined."
        );
        assert_eq!(
            key("Error: template: grafana/templates/ingress.yaml:37:15: executing \"grafana/templates/ingress.yaml\" at <tpl . $>: error calling tpl: cannot parse template \"{{ .Values.nope\": template: gotpl:1: unclosed action\n\nUse --debug flag to render out invalid YAML\n"),
            "error calling tpl: cannot parse template \"{{ .Values.nope\": template: gotpl:1: unclosed action"
        );
        assert_eq!(
            key("Error: parse error at (albatross/templates/fail.yaml:1): function \"deliberateSyntaxError\" not defined\n"),
            "function \"deliberateSyntaxError\" not defined"
        );
        assert_eq!(
            key("Error: YAML parse error on c/templates/a.yaml: error converting YAML to JSON: yaml: line 11: x\n"),
            "YAML parse error on c/templates/a.yaml"
        );
        assert_eq!(
            key("Error: execution error at (redis/templates/x.yaml:55:35): \nPASSWORDS ERROR: You must.\n   more\n"),
            "PASSWORDS ERROR: You must."
        );
        assert_eq!(
            key("Error: values don't meet the specifications of the schema(s) in the following chart(s):\ntraefik:\n- a: b\n"),
            "values don't meet the specifications of the schema(s) in the following chart(s):"
        );
        assert_eq!(error_key("no error here\n"), None);
        assert!(squash("kit::x\n\n  × a.yaml:2:8: unexpected identifier, expected end of\n  │ variable block\n")
            .contains("unexpected identifier, expected end of variable block"));
        assert!(
            squash("  × YAML parse error on chart-with-\n  │ template/a.yaml: x\n")
                .contains("YAML parse error on chart-with-template/a.yaml: x")
        );
    }

    #[test]
    fn outputs_compare_with_nondeterministic_documents_by_shape() {
        let nondet: BTreeSet<String> = ["c/templates/secret.yaml".to_string()].into();
        let a = "---\n# Source: c/templates/cm.yaml\nkind: ConfigMap\n---\n# Source: c/templates/secret.yaml\ndata:\n  p: \"abc\"\n  n: [1, 2]\n";
        let same_shape = a.replace("abc", "xyzxyz");
        assert_eq!(compare_outputs(a, &same_shape, &nondet), None);
        let other_shape = a.replace("[1, 2]", "[1]");
        assert!(compare_outputs(a, &other_shape, &nondet)
            .unwrap()
            .contains("shape"));
        let other_type = a.replace("\"abc\"", "12");
        assert!(compare_outputs(a, &other_type, &nondet).is_some());
        let other_cm = a.replace("ConfigMap", "Secret");
        assert!(compare_outputs(a, &other_cm, &nondet)
            .unwrap()
            .contains("line 3"));
        assert!(
            compare_outputs(a, &a.replace("n: [1, 2]\n", "n: [1, 2]"), &BTreeSet::new()).is_some()
        );
        let extra = format!("{a}---\n# Source: c/templates/secret.yaml\ndata: {{}}\n");
        assert!(compare_outputs(a, &extra, &nondet).is_some());
    }

    #[test]
    fn chunks_split_at_separator_lines() {
        let c = chunks("wrote a\n---\n# Source: x\na: 1\n---\n# Source: y\nb: |\n  ---x\n");
        let sources: Vec<Option<&str>> = c.iter().map(|c| c.source).collect();
        assert_eq!(sources, [None, Some("x"), Some("y")]);
    }
}
