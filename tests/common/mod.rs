//! Helpers the test files share: the kit binary, scratch directories, files, running kit and
//! capturing what it prints, findings as lines. Each test file uses some of them.

#![allow(dead_code)]

pub mod chart_repo;
pub mod git_http;
pub mod registry;
pub mod rng;
pub mod static_http;
pub mod tls;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The kit binary built for the tests.
pub fn kit() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kit"))
}

/// A fresh, empty directory for one test, named after the test file, the process and `name`.
/// The first call of a run removes what earlier, finished runs of the same test file left.
pub fn scratch(name: &str) -> PathBuf {
    static STALE_REMOVED: std::sync::Once = std::sync::Once::new();
    STALE_REMOVED.call_once(remove_stale_scratch);
    let dir = std::env::temp_dir().join(format!(
        "kit-{}-{}-{name}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Removes the scratch directories of this test file's earlier runs whose process has ended,
/// so that test runs do not pile up in the temporary directory (a failed run's stay until
/// the next run). Only where a process's liveness can be read (`/proc`).
fn remove_stale_scratch() {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = format!("kit-{}-", env!("CARGO_CRATE_NAME"));
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok());
        if let Some(pid) = pid {
            if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// Writes `text` to `dir/file`, making the parent directories.
pub fn write(dir: &Path, file: &str, text: &str) {
    let p = dir.join(file);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(p, text).expect("write");
}

/// Runs `cmd`: (exit code, stdout, stderr).
pub fn output(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("run kit");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs kit with `args` in `dir`, without colour: (exit code, stdout, stderr).
pub fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    output(kit().current_dir(dir).env("NO_COLOR", "1").args(args))
}

/// Runs kit with `args` in `dir`, `input` on its stdin; stdout is captured, stderr is not.
pub fn run_with_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = kit()
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    child.wait_with_output().expect("wait")
}

/// Findings one a line: `file:line:col: message [name] (object) ID severity`.
pub fn finding_lines(
    findings: &[kit::report::Finding],
    sources: &kit::source::SourceMap,
) -> Vec<String> {
    findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                kit::report::to_diag(f).one_line(sources),
                f.rule.id(),
                kit::report::severity_name(f.severity)
            )
        })
        .collect()
}

/// stderr with miette's wrapping undone: lines trimmed of their gutter and joined.
pub fn unwrapped(stderr: &str) -> String {
    stderr
        .lines()
        .map(|l| l.trim().trim_start_matches('│').trim())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An `Authorization` header of HTTP Basic credentials.
pub fn basic(user: &str, password: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

/// An environment variable's value, unless it is unset or blank.
pub fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// A number in decimal or `0x` hex (a test setting; a bad one panics).
#[allow(clippy::unwrap_used)]
pub fn parse_u64(text: &str) -> u64 {
    let t = text.trim();
    match t.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).unwrap(),
        None => t.parse().unwrap(),
    }
}

/// A folder of the shared corpus (`helm`, `kustomize`…): under `$KIT_CORPUS` when that is
/// set, else `../shared/corpus` beside the repository. `None` when it is not there.
pub fn corpus_dir(name: &str) -> Option<PathBuf> {
    let root = match env_var("KIT_CORPUS") {
        Some(root) => PathBuf::from(root),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    };
    let dir = root.join(name);
    dir.is_dir().then_some(dir)
}

/// Whether the tests run under CI (`CI=true`), where a missing corpus or reference tool is a
/// failure rather than a skip.
pub fn under_ci() -> bool {
    env_var("CI").is_some_and(|v| v != "false" && v != "0")
}

/// Skips a test loudly, or fails it under CI: `reason` says what is missing. The message is
/// written to the process' stderr itself, which the test harness does not capture, so that
/// it shows without `--nocapture`.
/// The reference helm v3 (`KIT_HELM3`), or `None` (said loudly, a failure under CI).
pub fn helm3(test: &str) -> Option<String> {
    let helm = env_var("KIT_HELM3");
    if helm.is_none() {
        skip_or_fail(
            test,
            "helm is missing: KIT_HELM3 is not set (run scripts/test, or scripts/install-helm v3 and export KIT_HELM3=<the path it prints>)",
        );
    }
    helm
}

/// The reference helm v4 (`KIT_HELM4`), or `None` (said loudly, a failure under CI).
pub fn helm4(test: &str) -> Option<String> {
    let helm = env_var("KIT_HELM4");
    if helm.is_none() {
        skip_or_fail(
            test,
            "helm v4 is missing: KIT_HELM4 is not set (run scripts/test, or scripts/install-helm v4 and export KIT_HELM4=<the path it prints>)",
        );
    }
    helm
}

pub fn skip_or_fail(test: &str, reason: &str) {
    if under_ci() {
        panic!("{test}: {reason} (CI=true: this is a failure, not a skip)");
    }
    let _ = writeln!(
        std::io::stderr(),
        "\n!!!!!!!! {test}: SKIPPED: {reason} !!!!!!!!\n"
    );
}

/// Compares `actual` with the record file at `path`, or rewrites the record when the
/// environment variable `update` is set. A difference fails with its first 60 changed lines
/// (`-` recorded, `+` now) and the command that regenerates the record: `what` changed.
pub fn check_record(path: &Path, actual: &str, update: &str, what: &str, regenerate: &str) {
    if std::env::var_os(update).is_some() {
        std::fs::write(path, actual).expect("write record");
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual);
        let changes: Vec<String> = diff
            .iter_all_changes()
            .filter(|c| c.tag() != similar::ChangeTag::Equal)
            .take(60)
            .map(|c| format!("{}{}", c.tag(), c.value().trim_end()))
            .collect();
        panic!(
            "{what} changed (first 60 lines; - recorded, + now):\n{}\n\
             Review, then regenerate with {update}=1 {regenerate}",
            changes.join("\n")
        );
    }
}

/// Runs kit in `dir` with `cache` as its cache of remote inputs (`KIT_CACHE_DIR`), without
/// colours: (exit code, stdout, stderr).
pub fn kit_cached(dir: &Path, args: &[&str], cache: &Path) -> (i32, String, String) {
    output(
        kit()
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env("KIT_CACHE_DIR", cache)
            .args(args),
    )
}

/// Whether kit and the reference tool agree on one input, each run as (exit code, stdout,
/// stderr): the same output, or both refusing it (kit with exit 2, its input-error code).
pub fn agree(kit: &(i32, String, String), theirs: &(i32, String, String)) -> bool {
    match (kit.0, theirs.0) {
        (0, 0) => kit.1 == theirs.1,
        (0, _) | (_, 0) => false,
        _ => kit.0 == 2,
    }
}

/// The reference kubectl (`KIT_KUBECTL`) for the differential test `what`, or `None` when
/// `KIT_SKIP_DIFFERENTIAL=1`; without it the test fails, saying how to get one.
pub fn differential_kubectl(what: &str) -> Option<String> {
    if std::env::var("KIT_SKIP_DIFFERENTIAL").as_deref() == Ok("1") {
        let _ = writeln!(
            std::io::stderr(),
            "{what}: skipped (KIT_SKIP_DIFFERENTIAL=1)"
        );
        return None;
    }
    let Some(kubectl) = env_var("KIT_KUBECTL") else {
        panic!(
            "{what}: kubectl is missing: KIT_KUBECTL is not set. Run `scripts/test`, or \
             `scripts/install-test-tools` and export KIT_KUBECTL=<the path it prints>; \
             KIT_SKIP_DIFFERENTIAL=1 skips this test."
        );
    };
    Some(kubectl)
}
