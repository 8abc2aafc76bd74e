//! The READMEs' examples, run as written (issue 19): a user copies a line of README.md, or of
//! examples/README.md, into a shell at the root of a clone, and it works. Which files, and the
//! directory each one's commands run from, is [`READMES`].
//!
//! What each README must follow (this test fails otherwise, naming the file and line):
//!
//! - Every fenced block has an info string. A `sh` block holds commands, one a line (`#`
//!   lines are comments, a trailing `\` continues a line, a leading `$ ` is dropped), run by
//!   `sh`; a `bash` block the same, run by `bash` (process substitution, `<(...)`); a block
//!   of another language (`yaml`, `jinja`, ...) must hold no line starting with `kit `, so that
//!   no example escapes the test by its label.
//! - A command must exit 0, unless its trailing comment says `exits N` (a lint gate showing
//!   findings, a diff of two different renders).
//! - HTML comments on the lines right above a fence (GitHub does not show them) say how the
//!   block runs: `<!-- readme-test: not run: REASON -->` leaves the block out (installs from
//!   registries, chart repositories on other hosts); `<!-- readme-test: skip `PREFIX`: REASON
//!   -->` leaves out its lines starting with PREFIX (a skip that matches no line is an error,
//!   so skips do not go stale); `<!-- readme-test: cluster -->` runs the block against the test
//!   cluster (`KIT_TEST_KUBECONFIG`, as `tests/cluster.rs`: without it the cluster test fails
//!   unless `KIT_SKIP_CLUSTER_TESTS=1`, which skips it loudly). The test prints what it left
//!   out and why.
//! - `cargo run --release -- ARGS` runs as `kit ARGS`: `cargo test --release` built the same
//!   binary `cargo run --release` runs (see "One build" in Cargo.toml). `kubectl` and `helm`
//!   are the reference tools (`KIT_KUBECTL`, `KIT_HELM3`, as the other tests); a command that
//!   names one that is not set is skipped loudly (a failure under `CI=true`).
//!
//! Where the commands run: in a copy of the repository root (every file `git ls-files` lists,
//! tracked or new, as the working tree has it), made a git repository of two commits with
//! `origin/main` at the first, so that `--git-ref HEAD~1` and `--git-ref origin/main` resolve as
//! in a clone. The paths are those of the root, and what the commands write (`-o`,
//! `--output-dir`, `kit update`, `> kit.sarif`) lands in the copy: the repository stays clean.
//! Each command runs with `sh -c` (pipes and redirections as written), `kit` first on PATH,
//! one after the other in README order, with HOME and kit's cache in scratch directories.

// Tests report what they ran and skipped on the console.
#![allow(clippy::print_stderr)]
#![cfg(unix)]

mod common;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{scratch, skip_or_fail};

/// A command that runs longer is killed and fails the test (each takes well under a second).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

const MARKER: &str = "readme-test:";

/// The READMEs whose examples run, each with the directory (under the repository root) its
/// commands run from. examples/README.md names its paths from the root
/// (`examples/overlays/prod`) and says so.
const READMES: &[(&str, &str)] = &[("README.md", ""), ("examples/README.md", "")];

/// The reference tools a README command may name, and the variable that says where each is
/// (linked into the commands' PATH under its name).
const TOOLS: &[(&str, &str)] = &[("kubectl", "KIT_KUBECTL"), ("helm", "KIT_HELM3")];

/// One command line of a `sh` or `bash` block.
#[derive(Debug)]
struct Example {
    /// 1-based line in the README.
    line: usize,
    /// As written (continuation lines joined).
    command: String,
    expected_code: i32,
}

/// A `sh` or `bash` block and how its markers say to run it.
#[derive(Debug, Default)]
struct Block {
    /// 1-based line of the opening fence.
    line: usize,
    /// The shell that runs it: `sh` or `bash`, as the fence says.
    shell: String,
    /// Why the whole block is not run.
    not_run: Option<String>,
    /// Line prefixes not run, each with its reason.
    skips: Vec<(String, String)>,
    cluster: bool,
    examples: Vec<Example>,
}

/// The shells a block may be run by: its info string.
const SHELLS: &[&str] = &["sh", "bash"];

/// The `sh` and `bash` blocks of `readme` (the file `name`), or every place it breaks the
/// conventions above.
fn parse_readme(name: &str, readme: &str) -> Result<Vec<Block>, Vec<String>> {
    let mut problems = Vec::new();
    let mut blocks = Vec::new();
    let mut markers: Vec<(usize, String)> = Vec::new();
    let mut lines = readme.lines().enumerate().map(|(i, l)| (i + 1, l));
    while let Some((n, line)) = lines.next() {
        let trimmed = line.trim();
        if let Some(marker) = trimmed
            .strip_prefix("<!--")
            .and_then(|m| m.strip_suffix("-->"))
            .map(str::trim)
            .and_then(|m| m.strip_prefix(MARKER))
        {
            markers.push((n, marker.trim().to_string()));
            continue;
        }
        let Some(info) = trimmed.strip_prefix("```") else {
            if !markers.is_empty() {
                problems.push(format!(
                    "{name}:{}: a `{MARKER}` comment must stand right above a fence",
                    markers[0].0
                ));
                markers.clear();
            }
            continue;
        };
        let info = info.trim();
        let mut body = Vec::new();
        let mut closed = false;
        for (m, text) in lines.by_ref() {
            if text.trim() == "```" {
                closed = true;
                break;
            }
            body.push((m, text));
        }
        if !closed {
            problems.push(format!("{name}:{n}: this fence is never closed"));
        }
        let block_markers = std::mem::take(&mut markers);
        if info.is_empty() {
            problems.push(format!(
                "{name}:{n}: a fence without an info string: write ```sh for commands the \
                 test runs, or name the language (```yaml, ```text, ...)"
            ));
            continue;
        }
        if !SHELLS.contains(&info) {
            for (m, text) in &body {
                let text = text.trim_start();
                if text.strip_prefix("$ ").unwrap_or(text).starts_with("kit ") {
                    problems.push(format!(
                        "{name}:{m}: a `kit` command in a ```{info} block: put it in a ```sh \
                         block, where the test runs it"
                    ));
                }
            }
            if let Some((m, _)) = block_markers.first() {
                problems.push(format!(
                    "{name}:{m}: a `{MARKER}` comment above a ```{info} block, which is not run"
                ));
            }
            continue;
        }
        let mut block = Block {
            line: n,
            shell: info.to_string(),
            ..Block::default()
        };
        for (m, marker) in block_markers {
            if let Err(problem) = apply_marker(&mut block, &marker) {
                problems.push(format!("{name}:{m}: {problem}"));
            }
        }
        block.examples = examples(&body);
        for (prefix, _) in &block.skips {
            if !block
                .examples
                .iter()
                .any(|e| e.command.starts_with(prefix.as_str()))
            {
                problems.push(format!(
                    "{name}:{n}: `skip `{prefix}`` matches no command of the block"
                ));
            }
        }
        blocks.push(block);
    }
    if problems.is_empty() {
        Ok(blocks)
    } else {
        Err(problems)
    }
}

/// Reads one `readme-test:` marker into `block`.
fn apply_marker(block: &mut Block, marker: &str) -> Result<(), String> {
    let reason_of = |text: &str| -> Result<String, String> {
        let reason = text.trim();
        if reason.is_empty() {
            Err(format!("`{MARKER} {marker}` gives no reason"))
        } else {
            Ok(reason.to_string())
        }
    };
    if marker == "cluster" {
        block.cluster = true;
    } else if let Some(reason) = marker.strip_prefix("not run:") {
        block.not_run = Some(reason_of(reason)?);
    } else if let Some(rest) = marker.strip_prefix("skip `") {
        let (prefix, reason) = rest
            .split_once("`:")
            .ok_or_else(|| format!("write `{MARKER} skip `PREFIX`: REASON`"))?;
        block.skips.push((prefix.to_string(), reason_of(reason)?));
    } else {
        return Err(format!(
            "unknown marker `{MARKER} {marker}` (known: `not run: REASON`, `skip `PREFIX`: \
             REASON`, `cluster`)"
        ));
    }
    Ok(())
}

/// The commands of a `sh` block's lines.
fn examples(body: &[(usize, &str)]) -> Vec<Example> {
    let mut out = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for &(n, text) in body {
        let text = text.trim();
        let (start, mut command) = match pending.take() {
            Some((start, so_far)) => (start, format!("{so_far} {text}")),
            None => {
                if text.is_empty() || text.starts_with('#') {
                    continue;
                }
                (n, text.strip_prefix("$ ").unwrap_or(text).to_string())
            }
        };
        if let Some(head) = command.strip_suffix('\\') {
            command = head.trim_end().to_string();
            pending = Some((start, command));
            continue;
        }
        let expected_code = comment_of(&command).map_or(0, expected_code);
        out.push(Example {
            line: start,
            command,
            expected_code,
        });
    }
    if let Some((start, command)) = pending {
        let expected_code = comment_of(&command).map_or(0, expected_code);
        out.push(Example {
            line: start,
            command,
            expected_code,
        });
    }
    out
}

/// The shell comment ending `command`: from a `#` that starts a word outside quotes.
fn comment_of(command: &str) -> Option<&str> {
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in command.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '#') if previous.is_whitespace() => return Some(&command[i + 1..]),
            _ => {}
        }
        previous = c;
    }
    None
}

/// `exits N` in a trailing comment sets the expected exit code; 0 otherwise.
fn expected_code(comment: &str) -> i32 {
    comment
        .split("exits ")
        .skip(1)
        .find_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .unwrap_or(0)
}

/// The repository root as a clone has it, copied into `dir` (see the module comment).
/// `None` when git is missing (skipped loudly, a failure under CI).
fn copy_of_the_root(dir: &Path, home: &Path) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The user's own git here: their safe.directory settings may be what lets git read the clone.
    let listed = Command::new("git")
        .current_dir(root)
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .output();
    let listed = match listed {
        Ok(out) if out.status.success() => out.stdout,
        _ => {
            skip_or_fail(
                "readme_examples",
                "`git ls-files` failed here (git missing, or not a git clone)",
            );
            return None;
        }
    };
    let copy = dir.join("root");
    for rel in listed.split(|b| *b == 0).filter(|p| !p.is_empty()) {
        let rel = Path::new(std::str::from_utf8(rel).expect("a UTF-8 path in the repository"));
        let from = root.join(rel);
        let to = copy.join(rel);
        let Ok(meta) = std::fs::symlink_metadata(&from) else {
            continue; // tracked but deleted in the working tree
        };
        std::fs::create_dir_all(to.parent().expect("a file's directory")).expect("mkdir");
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&from).expect("read link");
            std::os::unix::fs::symlink(target, &to).expect("symlink");
        } else {
            std::fs::copy(&from, &to).expect("copy a repository file");
        }
    }
    let commit = [
        "-c",
        "user.name=kit",
        "-c",
        "user.email=kit@example.invalid",
    ];
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "-A"],
        &[
            commit[0], commit[1], commit[2], commit[3], "commit", "-q", "-m", "readme",
        ],
        &[
            commit[0],
            commit[1],
            commit[2],
            commit[3],
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "second",
        ],
        &["update-ref", "refs/remotes/origin/main", "HEAD~1"],
    ] {
        let status = git(home)
            .current_dir(&copy)
            .args(args)
            .status()
            .expect("run git");
        assert!(status.success(), "git {args:?} in the copy failed");
    }
    Some(copy)
}

/// git with no configuration but the scratch HOME's (no signing, hooks or templates of the
/// user's).
fn git(home: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_CONFIG_GLOBAL")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    cmd
}

/// What one command did.
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `command` with `SHELL -c` in `cwd`, `kit` (and the reference tools) first on PATH,
/// `env` added.
fn run_shell(
    shell: &str,
    command: &str,
    cwd: &Path,
    scratch: &Path,
    env: &[(&str, &Path)],
) -> Outcome {
    let bin = scratch.join("bin");
    let home = scratch.join("home");
    let out_file = scratch.join("stdout");
    let err_file = scratch.join("stderr");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![bin];
    paths.extend(std::env::split_paths(&path));
    let mut cmd = Command::new(shell);
    cmd.arg("-c")
        .arg(command.replacen("cargo run --release -- ", "kit ", 1))
        .current_dir(cwd)
        .env("PATH", std::env::join_paths(paths).expect("PATH"))
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("KIT_CACHE_DIR", scratch.join("kit-cache"))
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    for var in [
        "KUBECONFIG",
        "KUBECTL_EXTERNAL_DIFF",
        "HELM_REPOSITORY_CONFIG",
        "HELM_REPOSITORY_CACHE",
        "HELM_REGISTRY_CONFIG",
        "GIT_CONFIG_GLOBAL",
        "GIT_DIR",
        "GIT_WORK_TREE",
        "KIT_MEMORY_GUARD_BYTES",
    ] {
        cmd.env_remove(var);
    }
    for (name, value) in env {
        cmd.env(name, value);
    }
    cmd.stdin(Stdio::null())
        .stdout(File::create(&out_file).expect("stdout file"))
        .stderr(File::create(&err_file).expect("stderr file"));
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("run {shell}: {e}"));
    let started = Instant::now();
    let code = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status.code();
        }
        if started.elapsed() > COMMAND_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    Outcome {
        code,
        stdout: read(&out_file),
        stderr: read(&err_file),
    }
}

/// The last `n` lines of `text`, for a failure message.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// The reference tools `command` names (outside its trailing comment) that are not set up.
fn missing_tools(command: &str) -> Vec<&'static str> {
    let code = match comment_of(command) {
        Some(comment) => &command[..command.len() - comment.len() - 1],
        None => command,
    };
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .collect();
    TOOLS
        .iter()
        .filter(|(tool, var)| words.contains(tool) && common::env_var(var).is_none())
        .map(|(tool, _)| *tool)
        .collect()
}

/// Runs the `sh` and `bash` blocks of every README of [`READMES`] for which `wanted` holds,
/// in a fresh copy of the root, and fails with every command that did not exit as its README
/// says.
fn run_blocks(name: &str, wanted: impl Fn(&Block) -> bool, env: &[(&str, &Path)]) {
    let root_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut readmes = Vec::new();
    for (file, cwd) in READMES {
        let text = std::fs::read_to_string(root_dir.join(file))
            .unwrap_or_else(|e| panic!("read {file}: {e}"));
        let blocks = parse_readme(file, &text).unwrap_or_else(|problems| {
            panic!(
                "{file} breaks the conventions of tests/readme_examples.rs:\n{}",
                problems.join("\n")
            )
        });
        readmes.push((*file, *cwd, blocks));
    }
    let dir = scratch(name);
    let home = dir.join("home");
    let bin = dir.join("bin");
    std::fs::create_dir_all(&home).expect("home");
    std::fs::create_dir_all(&bin).expect("bin");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_kit"), bin.join("kit")).expect("kit link");
    for (tool, var) in TOOLS {
        if let Some(path) = common::env_var(var) {
            std::os::unix::fs::symlink(path, bin.join(tool)).expect("tool link");
        }
    }
    let Some(root) = copy_of_the_root(&dir, &home) else {
        return;
    };
    let mut failures = Vec::new();
    let mut left_out = Vec::new();
    let mut ran = 0;
    for (file, cwd, blocks) in &readmes {
        for block in blocks.iter().filter(|b| wanted(b)) {
            if let Some(reason) = &block.not_run {
                left_out.push(format!("{file}:{}: block not run: {reason}", block.line));
                continue;
            }
            for example in &block.examples {
                if let Some((_, reason)) = block
                    .skips
                    .iter()
                    .find(|(prefix, _)| example.command.starts_with(prefix.as_str()))
                {
                    left_out.push(format!(
                        "{file}:{}: `{}` not run: {reason}",
                        example.line, example.command
                    ));
                    continue;
                }
                let missing = missing_tools(&example.command);
                if !missing.is_empty() {
                    skip_or_fail(
                        "readme_examples",
                        &format!(
                            "{file}:{}: `{}` needs {} (set {})",
                            example.line,
                            example.command,
                            missing.join(", "),
                            TOOLS
                                .iter()
                                .filter(|(t, _)| missing.contains(t))
                                .map(|(_, v)| *v)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                    continue;
                }
                ran += 1;
                let outcome = run_shell(&block.shell, &example.command, &root.join(cwd), &dir, env);
                if outcome.code != Some(example.expected_code) {
                    let code = outcome.code.map_or_else(
                        || "no exit code (killed or timed out)".into(),
                        |c| c.to_string(),
                    );
                    failures.push(format!(
                        "{file}:{}: `{}` exited {code}, the README says {}\n  stdout (end):\n{}\n  stderr (end):\n{}",
                        example.line,
                        example.command,
                        example.expected_code,
                        tail(&outcome.stdout, 10),
                        tail(&outcome.stderr, 20),
                    ));
                }
            }
        }
    }
    eprintln!("{name}: ran {ran} README commands from a copy of the repository root");
    for line in &left_out {
        eprintln!("  {line}");
    }
    assert!(ran > 0, "{name}: no README command ran");
    assert!(
        failures.is_empty(),
        "{} README command(s) do not run as written:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every `sh` and `bash` example of the READMEs but the cluster ones, as written.
#[test]
fn readme_examples_run_from_the_repository_root() {
    run_blocks("offline", |b| !b.cluster, &[]);
}

/// The cluster examples (`kit diff PATH`, `kit apply`) against the test cluster.
#[test]
fn readme_cluster_examples_run_against_the_test_cluster() {
    let kubeconfig = match std::env::var_os("KIT_TEST_KUBECONFIG") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ if std::env::var("KIT_SKIP_CLUSTER_TESTS").as_deref() == Ok("1") => {
            say_cluster_examples_skipped();
            return;
        }
        _ => panic!(
            "KIT_TEST_KUBECONFIG is not set: start the test cluster with \
             `eval \"$(scripts/test-cluster start)\"` (or run scripts/test), or set \
             KIT_SKIP_CLUSTER_TESTS=1 to skip the cluster tests"
        ),
    };
    run_blocks("cluster", |b| b.cluster, &[("KUBECONFIG", &kubeconfig)]);
}

/// KIT_SKIP_CLUSTER_TESTS=1 says to skip: say so where it shows without `--nocapture`.
fn say_cluster_examples_skipped() {
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "\n!!!!!!!! readme_examples: SKIPPED the README's cluster examples: \
         KIT_SKIP_CLUSTER_TESTS=1 !!!!!!!!\n"
    );
}

/// The conventions hold on small READMEs: what is run, what is refused.
#[test]
fn the_readme_conventions() {
    let ok =
        "text\n\n<!-- readme-test: skip `scripts/x`: reasons -->\n```sh\nkit build a   # fine\n\
              kit lint b --x   # exits 1 here\nscripts/x\n$ kit diff a \\\n  b   # (exits 1)\n\
              # a comment\n```\n\n```yaml\na: 1\n```\n";
    let blocks = parse_readme("README.md", ok).expect("conventions");
    assert_eq!(blocks.len(), 1);
    let codes: Vec<(usize, &str, i32)> = blocks[0]
        .examples
        .iter()
        .map(|e| (e.line, e.command.as_str(), e.expected_code))
        .collect();
    assert_eq!(
        codes,
        [
            (5, "kit build a   # fine", 0),
            (6, "kit lint b --x   # exits 1 here", 1),
            (7, "scripts/x", 0),
            (8, "kit diff a b   # (exits 1)", 1),
        ]
    );
    assert_eq!(comment_of("kit x --set 'a=#1' # c"), Some(" c"));
    // A `bash` block runs by bash; problems name the README they are in.
    let blocks = parse_readme(
        "examples/README.md",
        "```bash\ndiff <(kit build a) b\n```\n",
    )
    .expect("a bash block");
    assert_eq!(
        (blocks[0].shell.as_str(), blocks[0].examples.len()),
        ("bash", 1)
    );
    let problems =
        parse_readme("examples/README.md", "```\nkit build a\n```\n").expect_err("no info string");
    assert!(
        problems[0].starts_with("examples/README.md:1: "),
        "{problems:?}"
    );
    for (bad, says) in [
        ("```\nkit build a\n```\n", "without an info string"),
        (
            "```text\nkit build a\n```\n",
            "a `kit` command in a ```text block",
        ),
        (
            "```console\n$ kit build a\n```\n",
            "a `kit` command in a ```console block",
        ),
        (
            "<!-- readme-test: not run: -->\n```sh\nkit a\n```\n",
            "gives no reason",
        ),
        (
            "<!-- readme-test: skip `kit b`: r -->\n```sh\nkit a\n```\n",
            "matches no command",
        ),
        (
            "<!-- readme-test: maybe -->\n```sh\nkit a\n```\n",
            "unknown marker",
        ),
        (
            "<!-- readme-test: cluster -->\n\n```sh\nkit a\n```\n",
            "right above a fence",
        ),
        ("```sh\nkit a\n", "never closed"),
    ] {
        let problems = parse_readme("README.md", bad).expect_err(bad);
        assert!(
            problems.iter().any(|p| p.contains(says)),
            "{bad}: {problems:?}"
        );
    }
}
