//! Differential test: `kit build DIR` must print byte for byte what `kubectl kustomize DIR`
//! (kustomize v5.8.1) prints, and must fail exactly when kubectl fails.
//!
//! Each case is a random kustomization tree written to a temporary directory: a base of a few
//! resources (with awkward YAML values written in varied YAML styles), optional components and
//! one to three overlay layers. Environment:
//!
//! - `KIT_KUBECTL`: the reference kubectl (`scripts/install-test-tools` prints its path;
//!   `scripts/test` exports it). Required unless skipped.
//! - `KIT_SKIP_DIFFERENTIAL=1`: skip this test.
//! - `KIT_DIFF_CASES`: number of cases (default 300).
//! - `KIT_DIFF_SEED`: run seed, decimal or 0x-hex (default fixed). Case `i` uses a seed
//!   derived from the run seed and `i` only, so it reproduces alone.
//! - `KIT_DIFF_ONLY`: comma-separated case indices to run, e.g. `KIT_DIFF_ONLY=17,42`.
//! - `KIT_DIFF_KEEP=1`: keep every case directory, not only the failing ones.
//! - `KIT_DIFF_KIT_CMD`: command run instead of `kit build` (split on whitespace; the
//!   directory to build is appended), e.g. `"$KIT_KUBECTL kustomize"` to check the harness.
//! - `KIT_DIFF_THREADS`: worker threads (default 2).
//! - `KIT_DIFF_VERBOSE=1`: also list the cases kubectl rejects (to tune the generator).
//!
//! Every case directory holds the tree (`base/`, `components/`, `overlays/`), a `CASE` file
//! saying how to reproduce it, and both tools' stdout and stderr.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

mod common;

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::rng;

const DEFAULT_CASES: usize = 300;
const DEFAULT_SEED: u64 = 0x6b69_7464_6966_6631; // "kitdiff1"
const DEFAULT_THREADS: usize = 2;
const KUSTOMIZE_VERSION: &str = "v5.8.1";
/// How many failing cases are reported in full (the rest are listed by index).
const SHOWN_FAILURES: usize = 5;
/// At most this many lines of each diff are printed.
const DIFF_LINES: usize = 150;
const TIMEOUT: Duration = Duration::from_secs(60);

#[test]
fn kit_build_matches_kubectl_kustomize() {
    let Some(config) = Config::from_env() else {
        return;
    };
    let started = Instant::now();
    let run_dir = std::env::temp_dir().join(format!(
        "kit-differential-{}-{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    fs::create_dir_all(&run_dir).unwrap();

    // A tiny thread pool: workers take the next case index until none is left.
    let next = AtomicUsize::new(0);
    let outcomes = Mutex::new(Vec::new());
    thread::scope(|scope| {
        for _ in 0..config.threads {
            scope.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(&index) = config.cases.get(k) else {
                    break;
                };
                let outcome = run_case(&config, &run_dir, index);
                outcomes.lock().unwrap().push(outcome);
            });
        }
    });
    let mut outcomes = outcomes.into_inner().unwrap();
    outcomes.sort_by_key(|o| o.index);

    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| !o.passed()).collect();
    let rejected: Vec<&Outcome> = outcomes.iter().filter(|o| !o.kubectl.ok).collect();
    if config.verbose {
        for o in &rejected {
            let first = o
                .kubectl
                .stderr
                .lines()
                .find(|l| !l.starts_with("# Warning"))
                .unwrap_or("");
            eprintln!("differential: kubectl rejects case {}: {first}", o.index);
        }
    }
    for o in failed.iter().take(SHOWN_FAILURES) {
        eprintln!("{}", o.report(&config));
    }
    if failed.len() > SHOWN_FAILURES {
        let rest: Vec<String> = failed[SHOWN_FAILURES..]
            .iter()
            .map(|o| o.index.to_string())
            .collect();
        eprintln!(
            "differential: also failed: cases {} (directories kept under {})",
            rest.join(","),
            run_dir.display()
        );
    }
    if !config.keep_all {
        let _ = fs::remove_dir(&run_dir); // only succeeds when no failing case was kept
    }
    eprintln!(
        "differential: {} passed, {} failed ({} cases, KIT_DIFF_SEED={:#x}, kubectl rejected {} as invalid, {:.1}s)",
        outcomes.len() - failed.len(),
        failed.len(),
        outcomes.len(),
        config.seed,
        rejected.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        failed.is_empty(),
        "differential: {} of {} cases differ from kubectl kustomize (reports above; trees kept under {})",
        failed.len(),
        outcomes.len(),
        run_dir.display()
    );
    // Guard against a generator that drifted into producing mostly invalid input.
    assert!(
        outcomes.len() < 20 || rejected.len() * 4 < outcomes.len(),
        "differential: kubectl rejected {} of {} generated cases; the generator needs fixing \
         (KIT_DIFF_VERBOSE=1 lists them)",
        rejected.len(),
        outcomes.len()
    );
}

// ---------------------------------------------------------------------------------------------
// Harness: configuration, running both tools, comparing and reporting.

struct Config {
    kubectl: String,
    kit_cmd: Vec<String>,
    cases: Vec<usize>,
    seed: u64,
    threads: usize,
    keep_all: bool,
    verbose: bool,
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parse_u64(name: &str, text: &str) -> u64 {
    let t = text.trim();
    let parsed = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => t.parse(),
    };
    parsed.unwrap_or_else(|_| panic!("{name}={text:?} is not a number"))
}

impl Config {
    fn from_env() -> Option<Config> {
        if env_var("KIT_SKIP_DIFFERENTIAL").as_deref() == Some("1") {
            eprintln!("differential: skipped (KIT_SKIP_DIFFERENTIAL=1)");
            return None;
        }
        let Some(kubectl) = env_var("KIT_KUBECTL") else {
            panic!(
                "differential: kubectl is missing: KIT_KUBECTL is not set. This test compares \
                 `kit build` with `kubectl kustomize` (kustomize {KUSTOMIZE_VERSION}). Run \
                 `scripts/test`, or run `scripts/install-test-tools` and export \
                 KIT_KUBECTL=<the path it prints>; set KIT_SKIP_DIFFERENTIAL=1 to skip this test."
            );
        };
        check_kubectl(&kubectl);
        let kit_cmd = match env_var("KIT_DIFF_KIT_CMD") {
            Some(cmd) => cmd.split_whitespace().map(String::from).collect(),
            None => vec![env!("CARGO_BIN_EXE_kit").to_string(), "build".to_string()],
        };
        let count = env_var("KIT_DIFF_CASES")
            .map_or(DEFAULT_CASES as u64, |v| parse_u64("KIT_DIFF_CASES", &v));
        let cases = match env_var("KIT_DIFF_ONLY") {
            Some(list) => list
                .split(',')
                .map(|i| parse_u64("KIT_DIFF_ONLY", i) as usize)
                .collect(),
            None => (0..count as usize).collect(),
        };
        Some(Config {
            kubectl,
            kit_cmd,
            cases,
            seed: env_var("KIT_DIFF_SEED").map_or(DEFAULT_SEED, |v| parse_u64("KIT_DIFF_SEED", &v)),
            threads: env_var("KIT_DIFF_THREADS").map_or(DEFAULT_THREADS, |v| {
                parse_u64("KIT_DIFF_THREADS", &v).max(1) as usize
            }),
            keep_all: env_var("KIT_DIFF_KEEP").as_deref() == Some("1"),
            verbose: env_var("KIT_DIFF_VERBOSE").as_deref() == Some("1"),
        })
    }
}

/// Refuses a kubectl that is missing or embeds another kustomize version: every difference
/// would otherwise be blamed on kit.
fn check_kubectl(kubectl: &str) {
    let out = Command::new(kubectl).args(["version", "--client"]).output().unwrap_or_else(|e| {
        panic!("differential: kubectl is missing: cannot run KIT_KUBECTL={kubectl}: {e}; run scripts/install-test-tools")
    });
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("Kustomize Version: {KUSTOMIZE_VERSION}")),
        "differential: KIT_KUBECTL={kubectl} is not the reference (need Kustomize Version {KUSTOMIZE_VERSION}); \
         `kubectl version --client` says:\n{text}\nrun scripts/install-test-tools"
    );
}

/// What one tool did with one case.
struct Run {
    ok: bool,
    status: String,
    stdout: Vec<u8>,
    stderr: String,
}

struct Outcome {
    index: usize,
    seed: u64,
    dir: PathBuf,
    entry: String,
    kit: Run,
    kubectl: Run,
}

impl Outcome {
    fn passed(&self) -> bool {
        // Failures are compared by "it failed", not by message.
        self.kit.ok == self.kubectl.ok && (!self.kit.ok || self.kit.stdout == self.kubectl.stdout)
    }

    fn report(&self, config: &Config) -> String {
        let mut r = format!(
            "\n=== differential: case {} FAILED (case seed {:#018x}; reproduce: KIT_DIFF_SEED={:#x} KIT_DIFF_ONLY={})\n\
             tree kept in {}  (entry: {})\n\
             kubectl kustomize: {}   kit: {}\n",
            self.index,
            self.seed,
            config.seed,
            self.index,
            self.dir.display(),
            self.entry,
            self.kubectl.status,
            self.kit.status
        );
        if self.kit.ok && self.kubectl.ok {
            let expected = String::from_utf8_lossy(&self.kubectl.stdout);
            let actual = String::from_utf8_lossy(&self.kit.stdout);
            let diff = similar::TextDiff::from_lines(expected.as_ref(), actual.as_ref())
                .unified_diff()
                .context_radius(3)
                .header("kubectl kustomize", "kit build")
                .to_string();
            r += &truncate_lines(&diff, DIFF_LINES);
        } else {
            for (name, run) in [("kubectl", &self.kubectl), ("kit", &self.kit)] {
                if !run.ok {
                    let stderr = if run.stderr.trim().is_empty() {
                        "(empty)"
                    } else {
                        &run.stderr
                    };
                    r += &format!("--- {name} stderr:\n{}\n", truncate_lines(stderr, 20));
                }
            }
        }
        r
    }
}

fn truncate_lines(text: &str, max: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= max {
        return text.to_string();
    }
    format!(
        "{}\n... ({} more lines)\n",
        lines[..max].join("\n"),
        lines.len() - max
    )
}

fn run_case(config: &Config, run_dir: &Path, index: usize) -> Outcome {
    let seed = rng::mix(config.seed, index as u64);
    let case = gen::case(&mut rng::Rng::new(seed));
    let dir = run_dir.join(format!("case-{index:04}"));
    case.write_to(&dir);
    let kubectl_cmd = vec![config.kubectl.clone(), "kustomize".to_string()];
    fs::write(
        dir.join("CASE"),
        format!(
            "case {index}, case seed {seed:#018x}; reproduce with KIT_DIFF_SEED={:#x} KIT_DIFF_ONLY={index}\n\
             cd {} && {} {} && {} {}\n",
            config.seed,
            dir.display(),
            kubectl_cmd.join(" "),
            case.entry,
            config.kit_cmd.join(" "),
            case.entry
        ),
    )
    .unwrap();
    let kit = run_tool(&config.kit_cmd, &case.entry, &dir, "kit");
    let kubectl = run_tool(&kubectl_cmd, &case.entry, &dir, "kubectl");
    let outcome = Outcome {
        index,
        seed,
        dir,
        entry: case.entry,
        kit,
        kubectl,
    };
    if outcome.passed() && !config.keep_all {
        let _ = fs::remove_dir_all(&outcome.dir);
    }
    outcome
}

/// Runs `argv entry` in `cwd`, capturing output into `cwd/<label>.stdout|stderr`, with a timeout.
fn run_tool(argv: &[String], entry: &str, cwd: &Path, label: &str) -> Run {
    let out_path = cwd.join(format!("{label}.stdout"));
    let err_path = cwd.join(format!("{label}.stderr"));
    let spawned = Command::new(&argv[0])
        .args(&argv[1..])
        .arg(entry)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).unwrap())
        .stderr(File::create(&err_path).unwrap())
        .spawn();
    let status = match spawned {
        Ok(mut child) => wait_with_timeout(&mut child),
        Err(e) => Err(format!("could not start {}: {e}", argv[0])),
    };
    let stdout = fs::read(&out_path).unwrap_or_default();
    let stderr = String::from_utf8_lossy(&fs::read(&err_path).unwrap_or_default()).into_owned();
    match status {
        Ok(st) => Run {
            ok: st.success(),
            status: st
                .code()
                .map_or_else(|| "killed by a signal".to_string(), |c| format!("exit {c}")),
            stdout,
            stderr,
        },
        Err(why) => Run {
            ok: false,
            status: why,
            stdout,
            stderr,
        },
    }
}

fn wait_with_timeout(child: &mut Child) -> Result<ExitStatus, String> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(1);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("timed out after {}s", TIMEOUT.as_secs()));
            }
            Ok(None) => {
                thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            Err(e) => return Err(format!("wait failed: {e}")),
        }
    }
}

// ---------------------------------------------------------------------------------------------

/// A small YAML writer for generated input. Values are written in randomly chosen but always
/// valid styles (block or flow collections, plain, quoted, literal or folded scalars, comments,
/// two or four spaces, indented or compact sequences), so the same data reaches kit's parser
/// in many spellings.
mod yaml {
    use super::rng::Rng;

    #[derive(Clone, Debug)]
    pub enum Value {
        /// A string: always written in a style that keeps it a string.
        Str(String),
        /// Written verbatim as a plain scalar: numbers, booleans, nulls, timestamps — whatever
        /// type the reader resolves it to.
        Raw(String),
        Seq(Vec<Value>),
        Map(Vec<(String, Value)>),
    }

    pub fn s(text: impl Into<String>) -> Value {
        Value::Str(text.into())
    }

    pub fn raw(text: impl ToString) -> Value {
        Value::Raw(text.to_string())
    }

    pub fn seq(items: Vec<Value>) -> Value {
        Value::Seq(items)
    }

    pub fn m<const N: usize>(pairs: [(&str, Value); N]) -> Value {
        Value::Map(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    impl Value {
        /// Appends a key to a map (keys already present are left alone).
        pub fn push(&mut self, key: &str, value: Value) {
            if let Value::Map(pairs) = self {
                if !pairs.iter().any(|(k, _)| k == key) {
                    pairs.push((key.to_string(), value));
                }
            }
        }

        pub fn get(&self, key: &str) -> Option<&Value> {
            match self {
                Value::Map(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
                _ => None,
            }
        }

        /// Entries of a map or items of a sequence (0 for scalars).
        pub fn len(&self) -> usize {
            match self {
                Value::Map(pairs) => pairs.len(),
                Value::Seq(items) => items.len(),
                _ => 0,
            }
        }

        pub fn is_empty_collection(&self) -> bool {
            matches!(self, Value::Map(p) if p.is_empty())
                || matches!(self, Value::Seq(s) if s.is_empty())
        }

        fn scalar_count(&self) -> usize {
            match self {
                Value::Seq(items) => items.iter().map(Value::scalar_count).sum(),
                Value::Map(pairs) => pairs.iter().map(|(_, v)| 1 + v.scalar_count()).sum(),
                _ => 1,
            }
        }

        fn depth(&self) -> usize {
            match self {
                Value::Seq(items) => 1 + items.iter().map(Value::depth).max().unwrap_or(0),
                Value::Map(pairs) => 1 + pairs.iter().map(|(_, v)| v.depth()).max().unwrap_or(0),
                _ => 0,
            }
        }

        /// Small, single-line data that reads well in flow style.
        fn flow_friendly(&self) -> bool {
            fn scalars_ok(v: &Value) -> bool {
                match v {
                    Value::Str(s) => !s.contains('\n'),
                    Value::Raw(r) => !r.contains(':'),
                    Value::Seq(items) => items.iter().all(scalars_ok),
                    Value::Map(pairs) => pairs.iter().all(|(_, v)| scalars_ok(v)),
                }
            }
            !self.is_empty_collection()
                && self.scalar_count() <= 6
                && self.depth() <= 2
                && scalars_ok(self)
        }
    }

    /// Writes resources as a multi-document YAML stream.
    pub fn stream(rng: &mut Rng, docs: &[Value]) -> String {
        let mut w = Writer::new(rng);
        if w.rng.chance(10) {
            w.out.push_str("# generated by kit's differential test\n");
        }
        for (i, doc) in docs.iter().enumerate() {
            if i > 0 || w.rng.chance(15) {
                w.out.push_str("---\n");
            }
            w.document(doc);
        }
        if w.rng.chance(5) {
            w.out.push_str("---\n"); // a trailing empty document
        }
        w.out
    }

    struct Writer<'r> {
        rng: &'r mut Rng,
        /// Spaces per nesting level.
        step: usize,
        /// `key:\n  - a` (true) or `key:\n- a` (false).
        indent_seqs: bool,
        flow_percent: u32,
        /// How often a string that can be plain is written plain (files differ in temperament).
        plain_percent: u32,
        comment_percent: u32,
        out: String,
    }

    enum Style {
        Plain,
        Single,
        Double,
        Literal,
        Folded,
    }

    impl<'r> Writer<'r> {
        fn new(rng: &'r mut Rng) -> Writer<'r> {
            let step = if rng.chance(20) { 4 } else { 2 };
            let indent_seqs = rng.chance(50);
            let flow_percent = rng.pick_owned(&[0, 0, 10, 30]);
            let comment_percent = rng.pick_owned(&[0, 0, 0, 5]);
            let plain_percent = rng.pick_owned(&[95, 95, 70, 40]);
            Writer {
                rng,
                step,
                indent_seqs,
                flow_percent,
                comment_percent,
                plain_percent,
                out: String::new(),
            }
        }

        fn document(&mut self, doc: &Value) {
            match doc {
                Value::Map(pairs) if !pairs.is_empty() => self.block_map(pairs, 0, false),
                other => {
                    let text = self.flow(other);
                    self.out.push_str(&text);
                    self.out.push('\n');
                }
            }
        }

        fn pad(&mut self, indent: usize) {
            self.out.extend(std::iter::repeat_n(' ', indent));
        }

        fn maybe_comment(&mut self, indent: usize) {
            if self.rng.chance(self.comment_percent) {
                self.pad(indent);
                let text = self.rng.pick(COMMENTS);
                self.out.push_str(text);
                self.out.push('\n');
            } else if self.rng.chance(self.comment_percent) {
                self.out.push('\n');
            }
        }

        fn use_flow(&mut self, v: &Value) -> bool {
            v.flow_friendly() && self.rng.chance(self.flow_percent)
        }

        fn block_map(&mut self, pairs: &[(String, Value)], indent: usize, inline_first: bool) {
            for (i, (key, value)) in pairs.iter().enumerate() {
                if i > 0 || !inline_first {
                    self.maybe_comment(indent);
                    self.pad(indent);
                }
                let key = self.key(key, false);
                self.out.push_str(&key);
                self.out.push(':');
                let seq_indent = if self.indent_seqs {
                    indent + self.step
                } else {
                    indent
                };
                self.node_after_indicator(value, indent + self.step, seq_indent);
            }
        }

        fn block_seq(&mut self, items: &[Value], indent: usize, inline_first: bool) {
            for (i, item) in items.iter().enumerate() {
                if i > 0 || !inline_first {
                    self.maybe_comment(indent);
                    self.pad(indent);
                }
                self.out.push('-');
                // (node_after_indicator decides on flow again, so a block map item sometimes
                // starts on the line after its dash: also valid YAML, and worth reading.)
                let flow = self.use_flow(item);
                match item {
                    Value::Map(pairs) if !pairs.is_empty() && !flow => {
                        self.out.push(' ');
                        self.block_map(pairs, indent + 2, true);
                    }
                    Value::Seq(inner) if !inner.is_empty() && !flow => {
                        self.out.push(' ');
                        self.block_seq(inner, indent + 2, true);
                    }
                    _ => self.node_after_indicator(item, indent + 2, indent + 2),
                }
            }
        }

        /// Writes a value after `key:` or `-`; nested maps and block scalars go at
        /// `child_indent`, nested sequences at `seq_indent`.
        fn node_after_indicator(&mut self, value: &Value, child_indent: usize, seq_indent: usize) {
            match value {
                Value::Map(p) if p.is_empty() => self.out.push_str(" {}\n"),
                Value::Seq(s) if s.is_empty() => self.out.push_str(" []\n"),
                Value::Map(_) | Value::Seq(_) if self.use_flow(value) => {
                    let text = self.flow(value);
                    self.out.push(' ');
                    self.out.push_str(&text);
                    self.trailing_comment();
                    self.out.push('\n');
                }
                Value::Map(pairs) => {
                    self.out.push('\n');
                    self.block_map(pairs, child_indent, false);
                }
                Value::Seq(items) => {
                    self.out.push('\n');
                    self.block_seq(items, seq_indent, false);
                }
                Value::Raw(text) if text.is_empty() => self.out.push('\n'),
                Value::Raw(text) => {
                    self.out.push(' ');
                    self.out.push_str(text);
                    self.trailing_comment();
                    self.out.push('\n');
                }
                Value::Str(text) => self.block_string(text, child_indent),
            }
        }

        fn trailing_comment(&mut self) {
            if self.rng.chance(self.comment_percent) {
                self.out.push_str(" # note");
            }
        }

        fn key(&mut self, key: &str, flow: bool) -> String {
            if plain_ok(key, flow) && self.rng.chance(95) {
                key.to_string()
            } else if single_ok(key) && self.rng.chance(30) {
                single_quoted(key)
            } else {
                self.double_quoted(key)
            }
        }

        /// A string in block context, in any style that is valid for it.
        fn block_string(&mut self, text: &str, content_indent: usize) {
            let mut styles = Vec::new();
            if plain_ok(text, false) {
                if self.rng.chance(self.plain_percent) {
                    return self.write_block_string(Style::Plain, text, content_indent);
                }
                styles.push(Style::Plain);
            }
            if single_ok(text) {
                styles.push(Style::Single);
            }
            styles.push(Style::Double);
            if literal_ok(text) {
                styles.push(Style::Literal);
                if text.contains('\n') {
                    styles.extend([Style::Literal, Style::Literal, Style::Literal]);
                }
            }
            if folded_ok(text) {
                styles.push(Style::Folded);
            }
            let style = styles.swap_remove(self.rng.below(styles.len()));
            self.write_block_string(style, text, content_indent);
        }

        fn write_block_string(&mut self, style: Style, text: &str, content_indent: usize) {
            self.out.push(' ');
            match style {
                Style::Plain => self.out.push_str(text),
                Style::Single => self.out.push_str(&single_quoted(text)),
                Style::Double => {
                    let quoted = self.double_quoted(text);
                    let quoted = self.maybe_fold_quoted(quoted, content_indent);
                    self.out.push_str(&quoted);
                }
                Style::Literal => return self.literal(text, content_indent),
                Style::Folded => return self.folded(text, content_indent),
            }
            self.trailing_comment();
            self.out.push('\n');
        }

        /// `|`, `|-` or `|+` depending on the trailing newlines.
        fn literal(&mut self, text: &str, indent: usize) {
            let (body, chomp) = match text.strip_suffix('\n') {
                Some(rest) if rest.ends_with('\n') => (rest, "+"),
                Some(rest) => (rest, ""),
                None => (text, "-"),
            };
            self.out.push('|');
            self.out.push_str(chomp);
            self.out.push('\n');
            for line in body.split('\n') {
                if !line.is_empty() {
                    self.pad(indent);
                    self.out.push_str(line);
                }
                self.out.push('\n');
            }
        }

        /// `>-`: words wrapped onto lines that the reader joins back with single spaces.
        fn folded(&mut self, text: &str, indent: usize) {
            let width = self.rng.range(20, 60);
            self.out.push_str(">-\n");
            let mut line_len = 0;
            for word in text.split(' ') {
                if line_len > 0 && line_len + word.len() > width {
                    self.out.push('\n');
                    line_len = 0;
                }
                if line_len == 0 {
                    self.pad(indent);
                } else {
                    self.out.push(' ');
                }
                self.out.push_str(word);
                line_len += word.len() + 1;
            }
            self.out.push('\n');
        }

        fn double_quoted(&mut self, text: &str) -> String {
            let escape_unicode = self.rng.chance(20);
            let mut out = String::from("\"");
            for c in text.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    '\r' => out.push_str("\\r"),
                    c if (c as u32) < 0x20 || c == '\u{7f}' => {
                        out.push_str(&format!("\\x{:02x}", c as u32))
                    }
                    c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                        out.push_str(&format!("\\u{:04x}", c as u32));
                    }
                    c if !c.is_ascii() && escape_unicode => {
                        if (c as u32) <= 0xFFFF {
                            out.push_str(&format!("\\u{:04X}", c as u32));
                        } else {
                            out.push_str(&format!("\\U{:08X}", c as u32));
                        }
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }

        /// Sometimes breaks a long double-quoted scalar over two lines (the break reads as a
        /// space), at a space between two non-space characters.
        fn maybe_fold_quoted(&mut self, quoted: String, indent: usize) -> String {
            if quoted.len() < 40 || !self.rng.chance(25) {
                return quoted;
            }
            let bytes = quoted.as_bytes();
            let Some(at) = (20..bytes.len() - 2).find(|&i| {
                bytes[i] == b' ' && !matches!(bytes[i - 1], b' ' | b'\\') && bytes[i + 1] != b' '
            }) else {
                return quoted;
            };
            format!(
                "{}\n{}{}",
                &quoted[..at],
                " ".repeat(indent),
                &quoted[at + 1..]
            )
        }

        fn flow(&mut self, value: &Value) -> String {
            match value {
                Value::Map(pairs) => {
                    let parts: Vec<String> = pairs
                        .iter()
                        .map(|(k, v)| {
                            let key = self.key(k, true);
                            format!("{key}: {}", self.flow(v))
                        })
                        .collect();
                    format!("{{{}}}", parts.join(", "))
                }
                Value::Seq(items) => {
                    let parts: Vec<String> = items.iter().map(|v| self.flow(v)).collect();
                    format!("[{}]", parts.join(", "))
                }
                Value::Raw(text) if text.is_empty() => "null".to_string(),
                Value::Raw(text) => text.clone(),
                Value::Str(text) => {
                    if plain_ok(text, true) && self.rng.chance(60) {
                        text.clone()
                    } else if single_ok(text) && self.rng.chance(30) {
                        single_quoted(text)
                    } else {
                        self.double_quoted(text)
                    }
                }
            }
        }
    }

    const COMMENTS: &[&str] = &[
        "# a comment",
        "# TODO: tune this",
        "#no space after hash",
        "# ünïcödé comment: ok",
    ];

    /// Whether `text` can be written as a plain scalar that every YAML version reads back as
    /// this very string (conservative: anything that could be a number, bool, null, timestamp
    /// or indicator is quoted instead).
    fn plain_ok(text: &str, flow: bool) -> bool {
        let Some(first) = text.chars().next() else {
            return false;
        };
        if text.trim() != text || text.chars().any(|c| c.is_control() || c == '\u{feff}') {
            return false;
        }
        if "-?:,[]{}#&*!|>'\"%@`<=~.+0123456789".contains(first) {
            return false;
        }
        if text.contains(": ")
            || text.contains(" #")
            || text.ends_with(':')
            || text.contains(|c| ",[]{}".contains(c))
        {
            return false;
        }
        if flow && text.contains(':') {
            return false;
        }
        let lower = text.to_ascii_lowercase();
        !matches!(
            lower.as_str(),
            "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
        )
    }

    fn single_ok(text: &str) -> bool {
        !text.chars().any(|c| c.is_control() || c == '\u{feff}')
    }

    fn single_quoted(text: &str) -> String {
        format!("'{}'", text.replace('\'', "''"))
    }

    fn literal_ok(text: &str) -> bool {
        let first_content = text.split('\n').find(|l| !l.is_empty());
        !text.trim().is_empty()
            && !text
                .chars()
                .any(|c| (c.is_control() && c != '\n') || c == '\u{feff}')
            && first_content.is_some_and(|l| !l.starts_with(' '))
            && !text
                .split('\n')
                .any(|l| !l.is_empty() && l.trim().is_empty())
    }

    fn folded_ok(text: &str) -> bool {
        text.len() > 20
            && text.trim() == text
            && !text.contains("  ")
            && !text.chars().any(|c| c.is_control() || c == '\u{feff}')
    }
}

// ---------------------------------------------------------------------------------------------

/// Generators for values, resources, kustomizations and whole case trees.
mod gen {
    use super::rng::Rng;
    use super::yaml::{self, m, raw, s, seq, Value};
    use std::collections::BTreeSet;
    use std::fs;
    use std::path::Path;

    pub struct Case {
        /// (path relative to the case directory, contents)
        pub files: Vec<(String, String)>,
        /// The directory to build, relative to the case directory.
        pub entry: String,
    }

    impl Case {
        pub fn write_to(&self, dir: &Path) {
            for (path, text) in &self.files {
                let path = dir.join(path);
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                fs::write(path, text).unwrap();
            }
        }
    }

    // ----- awkward values ---------------------------------------------------------------------

    /// Strings that YAML, JSON or kustomize may treat specially.
    const TRICKY_STRINGS: &[&str] = &[
        "123",
        "0",
        "-1",
        "1.0",
        "1e3",
        "0x1F",
        "0o17",
        "007",
        "+1",
        ".5",
        "1_000",
        "12:30",
        "2001-12-14",
        "2001-12-14T21:59:43.10-05:00",
        "yes",
        "no",
        "on",
        "off",
        "y",
        "n",
        "Y",
        "N",
        "true",
        "false",
        "True",
        "FALSE",
        "null",
        "Null",
        "~",
        "",
        " ",
        " leading space",
        "trailing space ",
        ".inf",
        "-.inf",
        ".NaN",
        "<<",
        "=",
        "-",
        "- item",
        "-dash",
        "--flag=value",
        "key: value",
        "a: b: c",
        "ends with colon:",
        "#hash",
        "a #comment",
        "a#b",
        "@at",
        "`tick",
        "*star",
        "&anchor",
        "!bang",
        "%percent",
        "|pipe",
        ">gt",
        "?q",
        "[x]",
        "{y}",
        "a, b",
        "'single'",
        "\"double\"",
        "back\\slash",
        "tab\there",
        "naïve café",
        "日本語テキスト",
        "emoji 🚀 ok",
        "Ünïcödé",
        "zero\u{200b}width",
        "multi\nline",
        "two lines\nwith trailing newline\n",
        "\nleading newline",
        "keep\n\n",
        "  indented\nfirst",
        "line one\n  indented two\nthree",
        "http://x.io/a?b=c#d",
        "C:\\path\\file",
        "--- not a doc",
        "...",
        "%YAML",
        "0.0.0.0/0",
        "1.2.3",
        "v1.2.3",
        "latest",
    ];

    const WORDS: &[&str] = &[
        "alpha", "beta", "gamma", "delta", "service", "pod", "mesh", "cache", "quick", "brown",
        "fox", "über", "日本", "naïve", "x", "42", "true", "null", "config", "value", "with",
        "spaces", "and", "words",
    ];

    /// Plain scalars whose type the reader decides (and kustomize converts through JSON).
    const RAW_SCALARS: &[&str] = &[
        "0",
        "42",
        "-7",
        "3.14",
        "1.0",
        "1e3",
        "-2.5e-3",
        "0x1F",
        "0o17",
        "007",
        "+5",
        ".5",
        "1_000",
        "12:30",
        "2001-12-14",
        "true",
        "false",
        "True",
        "FALSE",
        "yes",
        "no",
        "on",
        "off",
        "y",
        "null",
        "Null",
        "~",
        "",
        "9007199254740993",
        "123456789012345678901234567890",
        "0.1",
        "100000000000000000000",
        "-0",
    ];

    /// Values kustomize is known to reject (JSON cannot hold them); used rarely.
    const RAW_INVALID: &[&str] = &[".inf", "-.Inf", ".nan"];

    fn sentence(rng: &mut Rng, words: usize) -> String {
        (0..words)
            .map(|_| rng.pick(WORDS))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A string chosen to be hard to round-trip: number/bool look-alikes, indicators,
    /// unicode, long lines (> 80 characters, where YAML emitters wrap) and multi-line text.
    pub fn awkward_string(rng: &mut Rng) -> String {
        match rng.below(10) {
            0..=3 => rng.pick(TRICKY_STRINGS).to_string(),
            4 => sentence(rng, 3),
            5 | 6 => {
                let n = rng.range(14, 30);
                sentence(rng, n)
            }
            7 => {
                let lines: Vec<String> = (0..rng.range(2, 4)).map(|_| sentence(rng, 4)).collect();
                let mut text = lines.join("\n");
                if rng.chance(50) {
                    text.push('\n');
                }
                text
            }
            8 => format!(
                "{}{}",
                rng.pick(&["0", "00", "1", "-", "+", ".", "0x", "1e"]),
                rng.range(0, 99999)
            ),
            _ => format!("{}: {}", rng.pick(WORDS), sentence(rng, 2)),
        }
    }

    pub fn raw_scalar(rng: &mut Rng) -> Value {
        if rng.below(1000) < 3 {
            raw(rng.pick(RAW_INVALID))
        } else {
            raw(rng.pick(RAW_SCALARS))
        }
    }

    const ODD_KEYS: &[&str] = &[
        "name",
        "value",
        "enabled",
        "123",
        "yes",
        "on",
        "true",
        "null",
        "~",
        "with space",
        "a.b",
        "x/y",
        "ключ",
        "日本",
        "-dash",
        "key: colon",
        "#hash",
        "",
        "y",
        "1.5",
        "<<",
    ];

    /// An arbitrary value tree (for custom resource specs and the like).
    pub fn any_value(rng: &mut Rng, depth: usize) -> Value {
        let roll = rng.below(100);
        if depth > 0 && roll < 25 {
            let n = rng.range(1, 4);
            let mut v = Value::Map(Vec::new());
            for _ in 0..n {
                let key = if rng.chance(50) {
                    rng.pick(ODD_KEYS).to_string()
                } else {
                    rng.pick(WORDS).to_string()
                };
                let item = any_value(rng, depth - 1);
                v.push(&key, item);
            }
            v
        } else if depth > 0 && roll < 40 {
            seq((0..rng.range(1, 3))
                .map(|_| any_value(rng, depth - 1))
                .collect())
        } else if roll < 47 {
            if rng.chance(50) {
                Value::Map(Vec::new())
            } else {
                seq(Vec::new())
            }
        } else if roll < 75 {
            s(awkward_string(rng))
        } else {
            raw_scalar(rng)
        }
    }

    // ----- the world: names and references shared by all generators ---------------------------

    /// What has been generated so far, so later resources and fields can refer to it.
    #[derive(Default)]
    struct World {
        used: BTreeSet<(String, String)>,
        config_maps: Vec<String>,
        services: Vec<String>,
        service_accounts: Vec<String>,
        roles: Vec<String>,
        /// Deployments and StatefulSets (what `replicas:` and HPAs target).
        scalable: Vec<(String, String)>,
        /// Values of `app` labels on pod templates (what selectors select).
        apps: Vec<String>,
        /// Image names (without tag or digest) used by containers.
        images: Vec<String>,
        has_crd: bool,
    }

    /// Name stems contain no '-' while prefixes end and suffixes start with one, so a
    /// transformed name never equals a fresh one.
    const STEMS: &[&str] = &[
        "web", "api", "db", "cache", "worker", "frontend", "backend", "queue", "auth", "metrics",
        "gateway", "search", "billing", "redis", "mail",
    ];
    const NAMESPACE_STEMS: &[&str] = &["apps", "tools", "platform", "data"];

    impl World {
        fn fresh_name(&mut self, rng: &mut Rng, kind: &str) -> String {
            let stems = if kind == "Namespace" {
                NAMESPACE_STEMS
            } else {
                STEMS
            };
            let stem = rng.pick(stems);
            let mut name = stem.to_string();
            let mut n = 2;
            while self.used.contains(&(kind.to_string(), name.clone())) {
                name = format!("{stem}{n}");
                n += 1;
            }
            self.used.insert((kind.to_string(), name.clone()));
            match kind {
                "ConfigMap" => self.config_maps.push(name.clone()),
                "Service" => self.services.push(name.clone()),
                "ServiceAccount" => self.service_accounts.push(name.clone()),
                "Role" => self.roles.push(name.clone()),
                "Deployment" | "StatefulSet" => {
                    self.scalable.push((kind.to_string(), name.clone()))
                }
                _ => {}
            }
            if matches!(
                kind,
                "Deployment" | "StatefulSet" | "DaemonSet" | "Job" | "CronJob"
            ) {
                self.apps.push(name.clone());
            }
            name
        }

        fn some(rng: &mut Rng, names: &[String], fallback: &str) -> String {
            if names.is_empty() {
                fallback.to_string()
            } else {
                rng.pick_owned(names)
            }
        }
    }

    // ----- resources --------------------------------------------------------------------------

    const KINDS: &[(&str, usize)] = &[
        ("Deployment", 8),
        ("Service", 6),
        ("ConfigMap", 6),
        ("StatefulSet", 2),
        ("DaemonSet", 2),
        ("Job", 2),
        ("CronJob", 2),
        ("Ingress", 2),
        ("HorizontalPodAutoscaler", 2),
        ("PodDisruptionBudget", 2),
        ("NetworkPolicy", 2),
        ("Namespace", 1),
        ("ServiceAccount", 2),
        ("Role", 2),
        ("RoleBinding", 2),
        ("ClusterRole", 1),
        ("ClusterRoleBinding", 1),
        ("CustomResourceDefinition", 1),
        ("Widget", 2),
        ("Secret", 1),
    ];

    fn pick_kind(rng: &mut Rng) -> &'static str {
        let total: usize = KINDS.iter().map(|(_, w)| w).sum();
        let mut roll = rng.below(total);
        for (kind, weight) in KINDS {
            if roll < *weight {
                return kind;
            }
            roll -= weight;
        }
        "ConfigMap"
    }

    /// Picks `n` kinds and reserves a name for each (before any body is generated, so
    /// resources of one batch can refer to each other).
    fn plan(rng: &mut Rng, world: &mut World, n: usize) -> Vec<(&'static str, String)> {
        let mut planned = Vec::new();
        for _ in 0..n {
            let mut kind = pick_kind(rng);
            if kind == "CustomResourceDefinition" {
                if world.has_crd {
                    kind = "ConfigMap";
                } else {
                    world.has_crd = true;
                    planned.push((kind, "widgets.example.com".to_string()));
                    continue;
                }
            }
            let name = world.fresh_name(rng, kind);
            planned.push((kind, name));
        }
        planned
    }

    const LABEL_KEYS: &[&str] = &[
        "team",
        "tier",
        "version",
        "app.kubernetes.io/name",
        "example.com/owner",
        "track",
    ];
    const LABEL_VALUES: &[&str] = &[
        "prod", "v1", "123", "true", "1.0", "yes", "on", "0x1F", "frontend", "a.b_c-d", "", "null",
    ];
    const ANNOTATION_KEYS: &[&str] = &[
        "note",
        "description",
        "example.com/config",
        "checksum",
        "owner",
        "a.b/c-d",
    ];

    /// Where a label or annotation map goes: resources accept any scalar there, while a
    /// kustomization's maps must hold strings (kustomize rejects a number, which is worth
    /// testing, but rarely).
    #[derive(Clone, Copy, PartialEq)]
    enum In {
        Resource,
        Kustomization,
    }

    /// How often (per mille) a label or annotation value is not a string.
    fn non_string_per_mille(place: In) -> usize {
        if place == In::Resource {
            30
        } else {
            3
        }
    }

    fn label_map(rng: &mut Rng, n: usize, place: In) -> Value {
        let mut labels = Value::Map(Vec::new());
        for _ in 0..n {
            let key = rng.pick(LABEL_KEYS);
            let value = if rng.below(1000) < non_string_per_mille(place) {
                raw(rng.pick(&["123", "true", "1.5"]))
            } else {
                s(rng.pick(LABEL_VALUES))
            };
            labels.push(key, value);
        }
        labels
    }

    fn annotation_map(rng: &mut Rng, n: usize, place: In) -> Value {
        let mut annotations = Value::Map(Vec::new());
        for _ in 0..n {
            let key = rng.pick(ANNOTATION_KEYS);
            let value = if rng.below(1000) < non_string_per_mille(place) {
                raw_scalar(rng)
            } else {
                s(awkward_string(rng))
            };
            annotations.push(key, value);
        }
        annotations
    }

    /// `metadata`: name, sometimes a namespace, labels (with `app` when given) and annotations,
    /// in varying key order.
    fn metadata(rng: &mut Rng, name: &str, namespaced: bool, app: Option<&str>) -> Value {
        let mut md = m([("name", s(name))]);
        if namespaced && rng.chance(20) {
            md.push("namespace", s(rng.pick(&["default", "apps", "team-a"])));
        }
        if app.is_some() || rng.chance(50) {
            let n = rng.range(0, 2);
            let mut labels = label_map(rng, n, In::Resource);
            if let Some(app) = app {
                labels.push("app", s(app));
            }
            if !labels.is_empty_collection() {
                md.push("labels", labels);
            }
        }
        if rng.chance(40) {
            let n = rng.range(1, 3);
            md.push("annotations", annotation_map(rng, n, In::Resource));
        }
        if rng.chance(30) {
            if let Value::Map(pairs) = &mut md {
                rng.shuffle(pairs);
            }
        }
        md
    }

    fn object(api_version: &str, kind: &str, metadata: Value) -> Value {
        m([
            ("apiVersion", s(api_version)),
            ("kind", s(kind)),
            ("metadata", metadata),
        ])
    }

    const IMAGE_NAMES: &[&str] = &[
        "nginx",
        "busybox",
        "redis",
        "postgres",
        "gcr.io/proj/api",
        "repo.io:5000/team/app",
        "docker.io/library/nginx",
        "localhost:5000/tools/debug",
        "quay.io/org/sidecar",
    ];

    fn hex64(rng: &mut Rng) -> String {
        (0..4).map(|_| format!("{:016x}", rng.next_u64())).collect()
    }

    /// An image reference: a name with no tag, a tag, a digest, or both.
    fn image(rng: &mut Rng, world: &mut World) -> String {
        let name = if !world.images.is_empty() && rng.chance(40) {
            rng.pick_owned(&world.images)
        } else {
            rng.pick(IMAGE_NAMES).to_string()
        };
        if !world.images.contains(&name) {
            world.images.push(name.clone());
        }
        match rng.below(6) {
            0 => name,
            1 => format!(
                "{name}:{}",
                rng.pick(&["1.2", "latest", "1.25.3-alpine", "v2", "123"])
            ),
            2 | 3 => format!("{name}@sha256:{}", hex64(rng)),
            4 => format!("{name}:v1@sha256:{}", hex64(rng)),
            _ => format!("{name}:1.2"),
        }
    }

    /// Names legacy `vars` entries may declare (a small pool, so references meet declarations).
    const VAR_NAMES: &[&str] = &["V0", "V1", "V2", "V3"];

    /// A string using `$(VAR)` syntax: whole, embedded, escaped (`$$`), undeclared, unclosed.
    fn var_reference(rng: &mut Rng) -> String {
        let v = rng.pick(VAR_NAMES);
        let w = rng.pick(VAR_NAMES);
        match rng.below(8) {
            0 | 1 => format!("$({v})"),
            2 => format!("--url=http://$({v}):$({w})/x"),
            3 => format!("$$({v}) and $({w})"),
            4 => "$(UNDECLARED) stays".to_string(),
            5 => format!("cost $5 $({v}"),
            6 => format!("$({v})$({w})"),
            _ => format!("prefix-$({v})"),
        }
    }

    /// A legacy `vars:` field naming objects generated so far (by their names as written),
    /// reading fields that exist, that may be missing, or that are not scalars.
    /// `declared` keeps names unique across the case, except rarely (a collision is an error
    /// in both tools).
    fn vars_field(rng: &mut Rng, world: &World, declared: &mut BTreeSet<String>) -> Option<Value> {
        let mut targets: Vec<(&str, &str, String, Vec<&str>)> = Vec::new();
        for (kind, name) in &world.scalable {
            let api = "apps/v1";
            targets.push((
                api,
                kind.as_str(),
                name.clone(),
                vec![
                    "metadata.name",
                    "metadata.name",
                    "spec.replicas",
                    "spec.template.spec.containers[0].image",
                    "metadata.namespace",
                    "spec.selector",
                ],
            ));
        }
        for name in &world.services {
            targets.push((
                "v1",
                "Service",
                name.clone(),
                vec!["metadata.name", "spec.ports[0].port", "spec.ports[0].name"],
            ));
        }
        for name in &world.config_maps {
            targets.push((
                "v1",
                "ConfigMap",
                name.clone(),
                vec!["metadata.name", "kind"],
            ));
        }
        if targets.is_empty() {
            return None;
        }
        let mut entries = Vec::new();
        for _ in 0..rng.range(1, 3) {
            let fresh: Vec<&str> = VAR_NAMES
                .iter()
                .copied()
                .filter(|n| !declared.contains(*n))
                .collect();
            let name = if fresh.is_empty() || rng.chance(5) {
                rng.pick(VAR_NAMES)
            } else {
                rng.pick(&fresh)
            };
            declared.insert(name.to_string());
            let (api, kind, target, paths) = targets[rng.below(targets.len())].clone();
            let mut objref = m([("kind", s(kind)), ("name", s(target))]);
            if rng.chance(90) {
                objref.push("apiVersion", s(api));
            }
            let mut entry = m([("name", s(name)), ("objref", objref)]);
            if rng.chance(80) {
                let key = if rng.chance(20) {
                    "fieldpath"
                } else {
                    "fieldPath"
                };
                entry.push("fieldref", m([(key, s(rng.pick(&paths)))]));
            }
            entries.push(entry);
        }
        Some(seq(entries))
    }

    fn container(rng: &mut Rng, world: &mut World, name: &str) -> Value {
        let mut c = m([("name", s(name)), ("image", s(image(rng, world)))]);
        if rng.chance(30) {
            let args = (0..rng.range(1, 3))
                .map(|_| {
                    if rng.chance(30) {
                        s(var_reference(rng))
                    } else {
                        s(awkward_string(rng))
                    }
                })
                .collect();
            c.push("args", seq(args));
        }
        if rng.chance(15) {
            c.push(
                "command",
                seq(vec![
                    s("sh"),
                    s("-c"),
                    s("echo \"hi\" && sleep 10 # not a comment"),
                ]),
            );
        }
        if rng.chance(40) {
            let mut env = Vec::new();
            for i in 0..rng.range(1, 3) {
                let value = if rng.chance(10) {
                    raw_scalar(rng)
                } else if rng.chance(15) {
                    s(var_reference(rng))
                } else {
                    s(awkward_string(rng))
                };
                env.push(m([("name", s(format!("VAR_{i}"))), ("value", value)]));
            }
            if !world.config_maps.is_empty() && rng.chance(40) {
                let cm = World::some(rng, &world.config_maps, "cm");
                env.push(m([
                    ("name", s("FROM_CM")),
                    (
                        "valueFrom",
                        m([("configMapKeyRef", m([("name", s(cm)), ("key", s("key"))]))]),
                    ),
                ]));
            }
            c.push("env", seq(env));
        }
        if !world.config_maps.is_empty() && rng.chance(20) {
            let cm = World::some(rng, &world.config_maps, "cm");
            c.push(
                "envFrom",
                seq(vec![m([("configMapRef", m([("name", s(cm))]))])]),
            );
        }
        if rng.chance(50) {
            c.push(
                "ports",
                seq(vec![m([
                    ("containerPort", raw(8080)),
                    ("name", s("http")),
                    ("protocol", s("TCP")),
                ])]),
            );
        }
        if rng.chance(30) {
            let cpu = rng.pick_owned(&[raw("0.5"), s("500m"), raw(1), s("1")]);
            c.push(
                "resources",
                m([
                    ("limits", m([("cpu", cpu), ("memory", s("128Mi"))])),
                    ("requests", m([])),
                ]),
            );
        }
        if rng.chance(20) {
            c.push("imagePullPolicy", s("IfNotPresent"));
        }
        c
    }

    fn pod_spec(rng: &mut Rng, world: &mut World, restart: Option<&str>) -> Value {
        let containers = (0..rng.range(1, 2))
            .map(|i| container(rng, world, &format!("c{i}")))
            .collect();
        let mut spec = m([("containers", seq(containers))]);
        if rng.chance(30) {
            spec.push("initContainers", seq(vec![container(rng, world, "init")]));
        }
        if let Some(policy) = restart {
            spec.push("restartPolicy", s(policy));
        }
        if !world.service_accounts.is_empty() && rng.chance(40) {
            spec.push(
                "serviceAccountName",
                s(World::some(rng, &world.service_accounts, "sa")),
            );
        }
        if !world.config_maps.is_empty() && rng.chance(30) {
            let cm = World::some(rng, &world.config_maps, "cm");
            spec.push(
                "volumes",
                seq(vec![m([
                    ("name", s("config")),
                    ("configMap", m([("name", s(cm))])),
                ])]),
            );
        }
        if rng.chance(10) {
            spec.push("nodeSelector", m([("kubernetes.io/os", s("linux"))]));
        }
        if rng.chance(10) {
            spec.push("securityContext", m([]));
        }
        spec
    }

    fn pod_template(rng: &mut Rng, world: &mut World, app: &str, restart: Option<&str>) -> Value {
        let mut labels = m([("app", s(app))]);
        if rng.chance(30) {
            labels.push("track", s(rng.pick(&["stable", "canary", "1", "true"])));
        }
        let mut md = m([("labels", labels)]);
        if rng.chance(20) {
            md.push("annotations", annotation_map(rng, 1, In::Resource));
        }
        m([("metadata", md), ("spec", pod_spec(rng, world, restart))])
    }

    fn selector(app: &str) -> Value {
        m([("matchLabels", m([("app", s(app))]))])
    }

    /// One resource of `kind` named `name`.
    fn resource(rng: &mut Rng, world: &mut World, kind: &str, name: &str) -> Value {
        match kind {
            "Deployment" | "StatefulSet" | "DaemonSet" => {
                let mut r = object("apps/v1", kind, metadata(rng, name, true, Some(name)));
                let mut spec = Value::Map(Vec::new());
                if kind != "DaemonSet" && rng.chance(70) {
                    spec.push("replicas", raw(rng.range(0, 5)));
                }
                spec.push("selector", selector(name));
                if kind == "StatefulSet" {
                    spec.push("serviceName", s(World::some(rng, &world.services, name)));
                }
                spec.push("template", pod_template(rng, world, name, None));
                if kind == "StatefulSet" && rng.chance(30) {
                    let pvc = m([
                        ("metadata", m([("name", s("data"))])),
                        (
                            "spec",
                            m([
                                ("accessModes", seq(vec![s("ReadWriteOnce")])),
                                ("resources", m([("requests", m([("storage", s("1Gi"))]))])),
                            ]),
                        ),
                    ]);
                    spec.push("volumeClaimTemplates", seq(vec![pvc]));
                }
                if kind == "Deployment" && rng.chance(10) {
                    spec.push("strategy", m([("type", s("RollingUpdate"))]));
                }
                r.push("spec", spec);
                r
            }
            "Job" => {
                let mut r = object("batch/v1", kind, metadata(rng, name, true, None));
                let mut spec = m([("template", pod_template(rng, world, name, Some("Never")))]);
                if rng.chance(50) {
                    spec.push("backoffLimit", raw(rng.range(0, 6)));
                }
                r.push("spec", spec);
                r
            }
            "CronJob" => {
                let mut r = object("batch/v1", kind, metadata(rng, name, true, None));
                let schedule = rng.pick(&["*/5 * * * *", "0 0 * * *", "@hourly"]);
                let job = m([(
                    "spec",
                    m([(
                        "template",
                        pod_template(rng, world, name, Some("OnFailure")),
                    )]),
                )]);
                r.push("spec", m([("schedule", s(schedule)), ("jobTemplate", job)]));
                r
            }
            "Service" => {
                let mut r = object("v1", kind, metadata(rng, name, true, None));
                let target = if rng.chance(50) { raw(8080) } else { s("http") };
                let mut port = m([
                    ("port", raw(rng.pick(&["80", "443", "8080"]))),
                    ("targetPort", target),
                ]);
                if rng.chance(50) {
                    port.push("name", s("http"));
                    port.push("protocol", s("TCP"));
                }
                let mut spec = m([
                    (
                        "selector",
                        m([("app", s(World::some(rng, &world.apps, name)))]),
                    ),
                    ("ports", seq(vec![port])),
                ]);
                if rng.chance(30) {
                    spec.push(
                        "type",
                        s(rng.pick(&["ClusterIP", "NodePort", "LoadBalancer"])),
                    );
                }
                r.push("spec", spec);
                r
            }
            "ConfigMap" | "Secret" => {
                let mut r = object("v1", kind, metadata(rng, name, true, None));
                let mut data = Value::Map(Vec::new());
                data.push("key", s("value"));
                for _ in 0..rng.range(0, 4) {
                    let key = rng.pick(&[
                        "app.properties",
                        "config.yaml",
                        "123",
                        "yes",
                        "on",
                        "LOG_LEVEL",
                        "a-b_c.d",
                        "empty",
                    ]);
                    let value = if rng.chance(5) {
                        raw_scalar(rng)
                    } else {
                        s(awkward_string(rng))
                    };
                    data.push(key, value);
                }
                if kind == "Secret" {
                    r.push("type", s("Opaque"));
                    r.push("stringData", data);
                } else {
                    r.push("data", data);
                    if rng.chance(10) {
                        r.push("immutable", raw("true"));
                    }
                }
                r
            }
            "Ingress" => {
                let mut r = object(
                    "networking.k8s.io/v1",
                    kind,
                    metadata(rng, name, true, None),
                );
                let svc = World::some(rng, &world.services, "svc");
                let backend = m([(
                    "service",
                    m([("name", s(svc)), ("port", m([("number", raw(80))]))]),
                )]);
                let path = m([
                    ("path", s("/")),
                    ("pathType", s("Prefix")),
                    ("backend", backend),
                ]);
                let rule = m([
                    ("host", s("example.com")),
                    ("http", m([("paths", seq(vec![path]))])),
                ]);
                let mut spec = m([("rules", seq(vec![rule]))]);
                if rng.chance(30) {
                    spec.push(
                        "tls",
                        seq(vec![m([
                            ("hosts", seq(vec![s("example.com")])),
                            ("secretName", s("tls")),
                        ])]),
                    );
                }
                r.push("spec", spec);
                r
            }
            "HorizontalPodAutoscaler" => {
                let mut r = object("autoscaling/v2", kind, metadata(rng, name, true, None));
                let (target_kind, target) = if world.scalable.is_empty() {
                    ("Deployment".to_string(), name.to_string())
                } else {
                    rng.pick_owned(&world.scalable)
                };
                let target_utilization =
                    m([("type", s("Utilization")), ("averageUtilization", raw(80))]);
                let metric = m([
                    ("type", s("Resource")),
                    (
                        "resource",
                        m([("name", s("cpu")), ("target", target_utilization)]),
                    ),
                ]);
                r.push(
                    "spec",
                    m([
                        (
                            "scaleTargetRef",
                            m([
                                ("apiVersion", s("apps/v1")),
                                ("kind", s(target_kind)),
                                ("name", s(target)),
                            ]),
                        ),
                        ("minReplicas", raw(1)),
                        ("maxReplicas", raw(rng.range(2, 10))),
                        ("metrics", seq(vec![metric])),
                    ]),
                );
                r
            }
            "PodDisruptionBudget" => {
                let mut r = object("policy/v1", kind, metadata(rng, name, true, None));
                let min = if rng.chance(50) { raw(1) } else { s("50%") };
                let app = World::some(rng, &world.apps, name);
                r.push(
                    "spec",
                    m([("minAvailable", min), ("selector", selector(&app))]),
                );
                r
            }
            "NetworkPolicy" => {
                let mut r = object(
                    "networking.k8s.io/v1",
                    kind,
                    metadata(rng, name, true, None),
                );
                let app = World::some(rng, &world.apps, name);
                let pod_selector = if rng.chance(30) {
                    m([])
                } else {
                    selector(&app)
                };
                let rule = m([
                    ("from", seq(vec![m([("podSelector", selector(&app))])])),
                    (
                        "ports",
                        seq(vec![m([("port", raw(80)), ("protocol", s("TCP"))])]),
                    ),
                ]);
                r.push(
                    "spec",
                    m([
                        ("podSelector", pod_selector),
                        ("policyTypes", seq(vec![s("Ingress")])),
                        ("ingress", seq(vec![rule])),
                    ]),
                );
                r
            }
            "Namespace" => object("v1", kind, metadata(rng, name, false, None)),
            "ServiceAccount" => {
                let mut r = object("v1", kind, metadata(rng, name, true, None));
                if rng.chance(30) {
                    r.push("automountServiceAccountToken", raw("false"));
                }
                r
            }
            "Role" | "ClusterRole" => {
                let namespaced = kind == "Role";
                let mut r = object(
                    "rbac.authorization.k8s.io/v1",
                    kind,
                    metadata(rng, name, namespaced, None),
                );
                let mut rule = m([
                    ("apiGroups", seq(vec![s("")])),
                    ("resources", seq(vec![s("configmaps"), s("pods")])),
                    ("verbs", seq(vec![s("get"), s("list")])),
                ]);
                if !world.config_maps.is_empty() && rng.chance(30) {
                    rule.push(
                        "resourceNames",
                        seq(vec![s(World::some(rng, &world.config_maps, "cm"))]),
                    );
                }
                r.push("rules", seq(vec![rule]));
                r
            }
            "RoleBinding" | "ClusterRoleBinding" => {
                let namespaced = kind == "RoleBinding";
                let mut r = object(
                    "rbac.authorization.k8s.io/v1",
                    kind,
                    metadata(rng, name, namespaced, None),
                );
                let (role_kind, role) = if namespaced && !world.roles.is_empty() {
                    ("Role", World::some(rng, &world.roles, "role"))
                } else {
                    ("ClusterRole", "view".to_string())
                };
                let mut subject = m([
                    ("kind", s("ServiceAccount")),
                    (
                        "name",
                        s(World::some(rng, &world.service_accounts, "default")),
                    ),
                ]);
                if !namespaced || rng.chance(50) {
                    subject.push("namespace", s(rng.pick(&["default", "apps"])));
                }
                r.push(
                    "roleRef",
                    m([
                        ("apiGroup", s("rbac.authorization.k8s.io")),
                        ("kind", s(role_kind)),
                        ("name", s(role)),
                    ]),
                );
                r.push("subjects", seq(vec![subject]));
                r
            }
            "CustomResourceDefinition" => {
                let mut r = object(
                    "apiextensions.k8s.io/v1",
                    kind,
                    metadata(rng, name, false, None),
                );
                let schema = m([(
                    "openAPIV3Schema",
                    m([
                        ("type", s("object")),
                        ("x-kubernetes-preserve-unknown-fields", raw("true")),
                    ]),
                )]);
                let version = m([
                    ("name", s("v1")),
                    ("served", raw("true")),
                    ("storage", raw("true")),
                    ("schema", schema),
                ]);
                let names = m([
                    ("kind", s("Widget")),
                    ("listKind", s("WidgetList")),
                    ("plural", s("widgets")),
                    ("singular", s("widget")),
                ]);
                r.push(
                    "spec",
                    m([
                        ("group", s("example.com")),
                        ("names", names),
                        ("scope", s("Namespaced")),
                        ("versions", seq(vec![version])),
                    ]),
                );
                r
            }
            "Widget" => {
                let mut r = object("example.com/v1", kind, metadata(rng, name, true, None));
                let mut spec = m([("size", raw(rng.range(1, 9)))]);
                for _ in 0..rng.range(1, 4) {
                    let key =
                        rng.pick(&["config", "values", "nested", "list", "text", "123", "on"]);
                    let value = any_value(rng, 3);
                    spec.push(key, value);
                }
                r.push("spec", spec);
                r
            }
            other => unreachable!("no generator for kind {other}"),
        }
    }

    /// Generates `n` new resources.
    fn resources(rng: &mut Rng, world: &mut World, n: usize) -> Vec<Value> {
        let planned = plan(rng, world, n);
        planned
            .iter()
            .map(|(kind, name)| resource(rng, world, kind, name))
            .collect()
    }

    // ----- files ------------------------------------------------------------------------------

    #[derive(Default)]
    struct Files(Vec<(String, String)>);

    impl Files {
        fn add(&mut self, path: String, text: String) {
            self.0.push((path, text));
        }

        /// Writes resources into one or more files in `dir` (sometimes as a `kind: List`) and
        /// returns the `resources:` entries, relative to `dir`, in a random order.
        fn resource_files(
            &mut self,
            rng: &mut Rng,
            dir: &str,
            mut docs: Vec<Value>,
        ) -> Vec<String> {
            let mut entries = Vec::new();
            let mut n = 0;
            while !docs.is_empty() {
                let take = rng.range(1, docs.len().min(3));
                let chunk: Vec<Value> = docs.drain(..take).collect();
                let chunk = if rng.chance(10) {
                    let mut list = m([("apiVersion", s("v1")), ("kind", s("List"))]);
                    if rng.chance(30) {
                        list.push("metadata", m([]));
                    }
                    list.push("items", seq(chunk));
                    vec![list]
                } else {
                    chunk
                };
                n += 1;
                let file = format!(
                    "{}{n}.{}",
                    rng.pick(&["resources", "app", "res-", "all_"]),
                    rng.pick(&["yaml", "yaml", "yml"])
                );
                self.add(format!("{dir}/{file}"), yaml::stream(rng, &chunk));
                entries.push(if rng.chance(10) {
                    format!("./{file}")
                } else {
                    file
                });
            }
            rng.shuffle(&mut entries);
            entries
        }

        fn kustomization(&mut self, rng: &mut Rng, dir: &str, fields: Value) {
            let name = match rng.below(20) {
                0 | 1 => "kustomization.yml",
                2 => "Kustomization",
                _ => "kustomization.yaml",
            };
            self.add(format!("{dir}/{name}"), yaml::stream(rng, &[fields]));
        }
    }

    // ----- kustomization fields ---------------------------------------------------------------

    fn string_list(items: &[String]) -> Value {
        seq(items.iter().map(|i| s(i.as_str())).collect())
    }

    fn images_field(rng: &mut Rng, world: &World) -> Value {
        let mut names: Vec<String> = Vec::new();
        for _ in 0..rng.range(1, 3) {
            let name = if world.images.is_empty() || rng.chance(10) {
                "unused/image".to_string()
            } else {
                rng.pick_owned(&world.images)
            };
            if !names.contains(&name) {
                names.push(name);
            }
        }
        let entries = names
            .into_iter()
            .map(|name| {
                let mut e = m([("name", s(name))]);
                let new_name = || s("registry.example.com/mirror/app");
                let tag = |rng: &mut Rng| {
                    if rng.below(1000) < 5 {
                        raw(123) // not a string: kustomize rejects it
                    } else {
                        s(rng.pick(&["1.2.3", "v2", "latest", "123", "1.0", "2024.01"]))
                    }
                };
                match rng.below(6) {
                    0 => e.push("newName", new_name()),
                    1 => e.push("newTag", tag(rng)),
                    2 => e.push("digest", s(format!("sha256:{}", hex64(rng)))),
                    3 => {
                        e.push(
                            "newName",
                            s(rng.pick(&["my.registry:443/app", "ghcr.io/acme/app", "nginx"])),
                        );
                        e.push("newTag", tag(rng));
                    }
                    4 => {
                        e.push("newName", new_name());
                        e.push("digest", s(format!("sha256:{}", hex64(rng))));
                    }
                    _ => {
                        e.push("newTag", tag(rng));
                        e.push("digest", s(format!("sha256:{}", hex64(rng))));
                    }
                }
                e
            })
            .collect();
        seq(entries)
    }

    /// The Deployments and StatefulSets among `docs`: what a `replicas:` entry can name.
    fn scalable_in(docs: &[Value]) -> Vec<String> {
        docs.iter()
            .filter(|d| matches!(d.get("kind"), Some(Value::Str(k)) if k == "Deployment" || k == "StatefulSet"))
            .filter_map(|d| match d.get("metadata").and_then(|md| md.get("name")) {
                Some(Value::Str(name)) => Some(name.clone()),
                _ => None,
            })
            .collect()
    }

    /// `replicas:` naming workloads the kustomization can see (kustomize rejects a name that
    /// matches nothing).
    fn replicas_field(rng: &mut Rng, visible: &[String]) -> Option<Value> {
        if visible.is_empty() {
            return None;
        }
        let mut entries = Vec::new();
        let mut seen = Vec::new();
        for _ in 0..rng.range(1, 2) {
            let name = rng.pick_owned(visible);
            if !seen.contains(&name) {
                seen.push(name.clone());
                entries.push(m([("name", s(name)), ("count", raw(rng.range(0, 10)))]));
            }
        }
        Some(seq(entries))
    }

    /// Field specs for `labels[].fields`. Where one overlaps a built-in field spec it has the
    /// same `create` (kustomize rejects "conflicting fieldspecs" otherwise).
    fn label_fields(rng: &mut Rng) -> Value {
        let all = [
            m([
                ("path", s("spec/template/metadata/labels")),
                ("kind", s("Deployment")),
                ("create", raw("true")),
            ]),
            m([
                ("path", s("spec/selector/matchLabels")),
                ("kind", s("Deployment")),
                ("create", raw("true")),
            ]),
            m([
                ("path", s("spec/selector")),
                ("kind", s("Service")),
                ("version", s("v1")),
                ("create", raw("true")),
            ]),
            m([
                ("path", s("spec/jobTemplate/spec/template/metadata/labels")),
                ("group", s("batch")),
                ("kind", s("CronJob")),
                ("create", raw("true")),
            ]),
            m([
                ("path", s("spec/custom/labels")),
                ("kind", s("Widget")),
                ("create", raw("true")),
            ]),
            m([
                ("path", s("metadata/labels")),
                ("kind", s("ConfigMap")),
                ("create", raw("true")),
            ]),
            m([("path", s("spec/extra/labels")), ("kind", s("StatefulSet"))]),
        ];
        let n = rng.range(1, 2);
        seq((0..n).map(|_| all[rng.below(all.len())].clone()).collect())
    }

    fn labels_field(rng: &mut Rng) -> Value {
        let entries = (0..rng.range(1, 2))
            .map(|_| {
                let n = rng.range(1, 2);
                let mut e = m([("pairs", label_map(rng, n, In::Kustomization))]);
                if rng.chance(60) {
                    e.push("includeSelectors", raw(rng.pick(&["true", "false"])));
                }
                if rng.chance(40) {
                    e.push("includeTemplates", raw(rng.pick(&["true", "false"])));
                }
                if rng.chance(25) {
                    e.push("fields", label_fields(rng));
                }
                e
            })
            .collect();
        seq(entries)
    }

    fn sort_options(rng: &mut Rng) -> Value {
        match rng.below(4) {
            0 => m([("order", s("fifo"))]),
            1 => m([("order", s("legacy"))]),
            2 => m([
                ("order", s("legacy")),
                (
                    "legacySortOptions",
                    m([
                        (
                            "orderFirst",
                            seq(vec![s("Namespace"), s("ConfigMap"), s("Service")]),
                        ),
                        ("orderLast", seq(vec![s("Job"), s("CronJob")])),
                    ]),
                ),
            ]),
            _ => m([("order", s("fifo"))]),
        }
    }

    /// How likely each transformer field is in a kustomization of some role.
    struct Odds {
        namespace: u32,
        prefix: u32,
        suffix: u32,
        common_labels: u32,
        labels: u32,
        annotations: u32,
        images: u32,
        replicas: u32,
        sort: u32,
    }

    const BASE_ODDS: Odds = Odds {
        namespace: 15,
        prefix: 10,
        suffix: 5,
        common_labels: 15,
        labels: 15,
        annotations: 15,
        images: 10,
        replicas: 5,
        sort: 10,
    };
    const OVERLAY_ODDS: Odds = Odds {
        namespace: 45,
        prefix: 35,
        suffix: 25,
        common_labels: 35,
        labels: 40,
        annotations: 35,
        images: 45,
        replicas: 30,
        sort: 15,
    };
    const COMPONENT_ODDS: Odds = Odds {
        namespace: 5,
        prefix: 10,
        suffix: 0,
        common_labels: 10,
        labels: 70,
        annotations: 30,
        images: 60,
        replicas: 10,
        sort: 0,
    };

    /// Adds the randomly chosen transformer fields to `k`.
    /// `visible` lists the workloads that `replicas:` may name.
    fn transformer_fields(
        rng: &mut Rng,
        world: &World,
        visible: &[String],
        k: &mut Value,
        odds: &Odds,
    ) {
        if rng.chance(odds.namespace) {
            k.push(
                "namespace",
                s(rng.pick(&["prod", "staging", "team-a", "default", "apps"])),
            );
        }
        if rng.chance(odds.prefix) {
            k.push(
                "namePrefix",
                s(rng.pick(&["dev-", "prod-", "a-", "team-x-", ""])),
            );
        }
        if rng.chance(odds.suffix) {
            k.push("nameSuffix", s(rng.pick(&["-v2", "-prod", "-x", "-1"])));
        }
        if rng.chance(odds.common_labels) {
            let n = rng.range(1, 3);
            k.push("commonLabels", label_map(rng, n, In::Kustomization));
        }
        if rng.chance(odds.labels) {
            k.push("labels", labels_field(rng));
        }
        if rng.chance(odds.annotations) {
            let n = rng.range(1, 3);
            k.push(
                "commonAnnotations",
                annotation_map(rng, n, In::Kustomization),
            );
        }
        if rng.chance(odds.images) {
            k.push("images", images_field(rng, world));
        }
        if rng.chance(odds.replicas) {
            if let Some(replicas) = replicas_field(rng, visible) {
                k.push("replicas", replicas);
            }
        }
        if rng.chance(odds.sort) {
            k.push("sortOptions", sort_options(rng));
        }
    }

    fn kustomization_header(rng: &mut Rng, component: bool) -> Value {
        if component {
            m([
                ("apiVersion", s("kustomize.config.k8s.io/v1alpha1")),
                ("kind", s("Component")),
            ])
        } else if rng.chance(70) {
            m([
                ("apiVersion", s("kustomize.config.k8s.io/v1beta1")),
                ("kind", s("Kustomization")),
            ])
        } else {
            m([])
        }
    }

    fn shuffle_fields(rng: &mut Rng, k: &mut Value) {
        if let Value::Map(pairs) = k {
            if rng.chance(30) {
                rng.shuffle(pairs);
            }
        }
    }

    // ----- the case tree ----------------------------------------------------------------------

    /// A case: `base/` (maybe with a nested `base/sub/`), up to two `components/cN/`, and one
    /// to three `overlays/oN/`, each building on the previous one. The last overlay is built.
    pub fn case(rng: &mut Rng) -> Case {
        let mut world = World::default();
        let mut files = Files::default();

        // The base: resources in files, sometimes some of them in a nested kustomization.
        let n = rng.range(2, 8);
        let mut docs = resources(rng, &mut world, n);
        // Workloads visible to the kustomization being generated (for `replicas:`).
        let mut visible = scalable_in(&docs);
        let nested = if docs.len() >= 3 && rng.chance(20) {
            let k = rng.range(1, 2);
            docs.split_off(docs.len() - k)
        } else {
            Vec::new()
        };
        let mut base_entries = files.resource_files(rng, "base", docs);
        if !nested.is_empty() {
            let nested_visible = scalable_in(&nested);
            let entries = files.resource_files(rng, "base/sub", nested);
            let mut k = kustomization_header(rng, false);
            k.push("resources", string_list(&entries));
            transformer_fields(rng, &world, &nested_visible, &mut k, &BASE_ODDS);
            files.kustomization(rng, "base/sub", k);
            base_entries.insert(rng.below(base_entries.len() + 1), "sub".to_string());
        }

        // Components, each used by one kustomization (base or an overlay).
        let layers = rng.range(1, 3);
        // Per layer (0 = base): the components it uses and the workloads they add.
        let mut components: Vec<Vec<String>> = vec![Vec::new(); layers + 1];
        let mut component_workloads: Vec<Vec<String>> = vec![Vec::new(); layers + 1];
        for c in 1..=(if rng.chance(35) { rng.range(1, 2) } else { 0 }) {
            let dir = format!("components/c{c}");
            let user = if rng.chance(15) {
                0
            } else {
                rng.range(1, layers)
            };
            let mut k = kustomization_header(rng, true);
            let mut own_visible = Vec::new();
            if rng.chance(30) {
                let n = rng.range(1, 2);
                let docs = resources(rng, &mut world, n);
                own_visible = scalable_in(&docs);
                let entries = files.resource_files(rng, &dir, docs);
                k.push("resources", string_list(&entries));
            }
            let component_visible = [visible.clone(), own_visible.clone()].concat();
            transformer_fields(rng, &world, &component_visible, &mut k, &COMPONENT_ODDS);
            if k.len() <= 2 && rng.chance(90) {
                // Only apiVersion and kind: kustomize calls that "empty" (kept, but rarely).
                k.push("labels", labels_field(rng));
            }
            shuffle_fields(rng, &mut k);
            files.kustomization(rng, &dir, k);
            components[user].push(dir);
            component_workloads[user].extend(own_visible);
        }

        let mut declared_vars = BTreeSet::new();
        let mut base = kustomization_header(rng, false);
        base.push("resources", string_list(&base_entries));
        if rng.chance(20) {
            if let Some(vars) = vars_field(rng, &world, &mut declared_vars) {
                base.push("vars", vars);
            }
        }
        visible.extend(component_workloads[0].iter().cloned());
        transformer_fields(rng, &world, &visible, &mut base, &BASE_ODDS);
        if !components[0].is_empty() {
            let paths: Vec<String> = components[0].iter().map(|c| format!("../{c}")).collect();
            base.push("components", string_list(&paths));
        }
        shuffle_fields(rng, &mut base);
        files.kustomization(rng, "base", base);

        // Overlays: o1 builds on the base, oN on o(N-1).
        let mut entry = String::new();
        for layer in 1..=layers {
            let dir = format!("overlays/o{layer}");
            let parent = if layer == 1 {
                "../../base".to_string()
            } else {
                format!("../o{}", layer - 1)
            };
            let mut k = kustomization_header(rng, false);
            let mut own: Vec<String> = Vec::new();
            if rng.chance(20) {
                let n = rng.range(1, 2);
                let docs = resources(rng, &mut world, n);
                visible.extend(scalable_in(&docs));
                own = files.resource_files(rng, &dir, docs);
            }
            visible.extend(component_workloads[layer].iter().cloned());
            if rng.chance(25) {
                // The legacy field: still accepted, with a deprecation warning on stderr.
                k.push("bases", string_list(&[parent]));
                if !own.is_empty() {
                    k.push("resources", string_list(&own));
                }
            } else {
                own.insert(rng.below(own.len() + 1), parent);
                k.push("resources", string_list(&own));
            }
            transformer_fields(rng, &world, &visible, &mut k, &OVERLAY_ODDS);
            if rng.chance(12) {
                if let Some(vars) = vars_field(rng, &world, &mut declared_vars) {
                    k.push("vars", vars);
                }
            }
            if !components[layer].is_empty() {
                let paths: Vec<String> = components[layer]
                    .iter()
                    .map(|c| format!("../../{c}"))
                    .collect();
                k.push("components", string_list(&paths));
            }
            if layer == layers && rng.chance(15) {
                k.push("sortOptions", sort_options(rng));
            }
            shuffle_fields(rng, &mut k);
            files.kustomization(rng, &dir, k);
            entry = dir;
        }

        Case {
            files: files.0,
            entry,
        }
    }
}
