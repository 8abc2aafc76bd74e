//! Running the system `git`, as kustomize does (`git init`, `git fetch --depth=1 URL REF`,
//! `git checkout FETCH_HEAD`, `git submodule update --init --recursive`), but hardened: every
//! command has a time limit, output is bounded, nothing prompts, no hook runs, no filter
//! driver runs, no redirect changes the scheme, the repository has a size limit, and no
//! configuration or environment of an enclosing repository leaks in.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// At most this much of a git command's stdout is read (ls-remote of a huge repository).
const MAX_STDOUT: u64 = 16 * 1024 * 1024;
/// At most this much of its stderr is kept for messages.
const MAX_STDERR: u64 = 64 * 1024;

/// Why a git command failed.
#[derive(Debug)]
pub enum GitError {
    /// No `git` on PATH.
    Missing,
    /// It ran longer than its limit and was killed.
    Timeout { command: String, limit: Duration },
    /// It exited non-zero (or could not start): the command and its stderr.
    Failed { command: String, stderr: String },
    /// The repository grew past the size limit while it was fetched or checked out.
    TooLarge { limit: u64 },
}

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GitError::Missing => write!(f, "no 'git' program on PATH"),
            GitError::Timeout { command, limit } => {
                write!(
                    f,
                    "'{command}' did not finish within {}s",
                    limit.as_secs_f64()
                )
            }
            GitError::Failed { command, stderr } => {
                write!(f, "failed to run '{command}': {}", stderr.trim())
            }
            GitError::TooLarge { limit } => write!(
                f,
                "the repository takes more than {} MiB fetched and checked out",
                limit / (1024 * 1024)
            ),
        }
    }
}

/// The `git` program: the first `git` on PATH.
pub fn find() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("git"))
        .find(|p| p.is_file())
}

/// Environment variables that would point git at another repository or change what it
/// reads (set, for instance, when kit runs inside a git hook). The user's own settings
/// (`GIT_SSH_COMMAND`, proxies, credential helpers in their configuration) stay.
const REPOSITORY_ENV: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_CEILING_DIRECTORIES",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_TEMPLATE_DIR",
    "GIT_EXTERNAL_DIFF",
    "GIT_PAGER",
    "GIT_EDITOR",
];

/// Configuration forced on every command: no hooks, no filesystem monitor, no `ext::`
/// transport, no pager, no credential prompt on the terminal, no bare repository found by
/// walking up from a directory (one could be checked out inside a remote base).
const FORCED_CONFIG: &[&str] = &[
    "core.hooksPath=/dev/null",
    "core.fsmonitor=false",
    "safe.bareRepository=explicit",
    "protocol.ext.allow=never",
    "core.pager=cat",
    "credential.interactive=false",
    "advice.detachedHead=false",
    "init.defaultBranch=kit",
];

/// The largest repository kit fetches and checks out (its objects and files together),
/// unless `KIT_MAX_CHECKOUT_BYTES` sets another limit.
pub const MAX_CHECKOUT_BYTES: u64 = 1024 * 1024 * 1024;

/// The checkout size limit: `KIT_MAX_CHECKOUT_BYTES` when set, else [`MAX_CHECKOUT_BYTES`].
pub fn max_checkout_bytes() -> u64 {
    std::env::var("KIT_MAX_CHECKOUT_BYTES")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(MAX_CHECKOUT_BYTES)
}

/// How often a growing checkout is measured while git runs.
const SIZE_POLL: Duration = Duration::from_millis(250);

/// The bytes of the files under `dir` (symbolic links not followed), stopping early once
/// past `limit`.
pub fn size_of(dir: &Path, limit: u64) -> u64 {
    let mut total: u64 = 0;
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .flatten()
    {
        if let Ok(meta) = entry.metadata() {
            if meta.is_file() {
                total = total.saturating_add(meta.len());
            }
        }
        if total > limit {
            break;
        }
    }
    total
}

/// Configuration for one remote: redirects (and submodules) stay on the URL's scheme, so
/// that HTTPS never falls back to plain HTTP and plain HTTP never moves to HTTPS.
pub fn scheme_config(url: &str) -> Vec<String> {
    let scheme = url
        .split_once("://")
        .map(|(s, _)| s.to_ascii_lowercase())
        .unwrap_or_default();
    match scheme.as_str() {
        "https" => vec!["protocol.http.allow=never".to_string()],
        "http" => vec!["protocol.https.allow=never".to_string()],
        _ => Vec::new(),
    }
}

/// One git command's settings beyond its arguments.
#[derive(Clone, Copy, Debug, Default)]
pub struct Limits<'a> {
    /// Extra `-c` configuration.
    pub config: &'a [String],
    /// A directory whose size may not pass a limit while the command runs.
    pub watch: Option<(&'a Path, u64)>,
}

/// Runs `git ARGS` in `dir` within `limit`; its stdout.
pub fn run(git: &Path, dir: &Path, args: &[&str], limit: Duration) -> Result<String, GitError> {
    run_limited(git, dir, args, limit, Limits::default())
}

/// [`run`], with extra configuration and a size limit on a directory.
pub fn run_limited(
    git: &Path,
    dir: &Path,
    args: &[&str],
    limit: Duration,
    limits: Limits,
) -> Result<String, GitError> {
    let shown = format!("git {}", args.join(" "));
    let mut cmd = Command::new(git);
    for c in FORCED_CONFIG {
        cmd.arg("-c").arg(c);
    }
    for c in limits.config {
        cmd.arg("-c").arg(c);
    }
    cmd.args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GCM_INTERACTIVE", "never")
        .env("LC_ALL", "C");
    for v in REPOSITORY_ENV {
        cmd.env_remove(v);
    }
    // Its own process group, so that a time or size limit stops git's helpers too
    // (`git-remote-http` would otherwise hold the pipes open past the limit).
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => GitError::Missing,
        _ => GitError::Failed {
            command: shown.clone(),
            stderr: e.to_string(),
        },
    })?;
    let out = child.stdout.take().map(|o| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = o.take(MAX_STDOUT).read_to_end(&mut buf);
            buf
        })
    });
    let err = child.stderr.take().map(|e| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let mut e = e;
            let _ = (&mut e).take(MAX_STDERR).read_to_end(&mut buf);
            // Drain the rest so that git never blocks on a full pipe.
            let _ = std::io::copy(&mut e, &mut std::io::sink());
            buf
        })
    });
    let deadline = Instant::now() + limit;
    let mut next_measure = Instant::now() + SIZE_POLL;
    let mut too_large = None;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() >= deadline => {
                stop(&mut child);
                break None;
            }
            Ok(None) => {
                if let Some((watched, max)) =
                    limits.watch.filter(|_| Instant::now() >= next_measure)
                {
                    if size_of(watched, max) > max {
                        stop(&mut child);
                        too_large = Some(max);
                        break None;
                    }
                    next_measure = Instant::now() + SIZE_POLL;
                }
                std::thread::sleep(Duration::from_millis(10))
            }
            Err(_) => break None,
        }
    };
    let stdout = out.and_then(|h| h.join().ok()).unwrap_or_default();
    let stderr = err.and_then(|h| h.join().ok()).unwrap_or_default();
    if let Some(limit) = too_large {
        return Err(GitError::TooLarge { limit });
    }
    match status {
        None => Err(GitError::Timeout {
            command: shown,
            limit,
        }),
        Some(s) if s.success() => Ok(String::from_utf8_lossy(&stdout).into_owned()),
        Some(_) => Err(GitError::Failed {
            command: shown,
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }),
    }
}

/// Kills a git command and every process it started (its process group).
fn stop(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The commit `reference` names on the remote, by `git ls-remote`, chosen as `git fetch`
/// chooses (git's rev-parse rules: the name itself, then under `refs/`, `refs/tags/`,
/// `refs/heads/`, ...; an annotated tag's commit). `None` when no ref matches (an
/// abbreviated commit id, say): then only a fetch can tell.
pub fn ls_remote(
    git: &Path,
    scratch: &Path,
    url: &str,
    reference: &str,
    limit: Duration,
) -> Result<Option<String>, GitError> {
    // A pattern matches the end of a ref name; an annotated tag's commit is listed as
    // `refs/tags/NAME^{}`, which only the second pattern matches.
    let peeled_pattern = format!("{reference}^{{}}");
    let config = scheme_config(url);
    let out = run_limited(
        git,
        scratch,
        &["ls-remote", "--", url, reference, &peeled_pattern],
        limit,
        Limits {
            config: &config,
            watch: None,
        },
    )?;
    let refs: Vec<(&str, &str)> = out.lines().filter_map(|l| l.split_once('\t')).collect();
    let rules = [
        reference.to_string(),
        format!("refs/{reference}"),
        format!("refs/tags/{reference}"),
        format!("refs/heads/{reference}"),
        format!("refs/remotes/{reference}"),
        format!("refs/remotes/{reference}/HEAD"),
    ];
    for name in &rules {
        let peeled = format!("{name}^{{}}");
        let found = refs
            .iter()
            .find(|(_, r)| *r == peeled)
            .or_else(|| refs.iter().find(|(_, r)| r == name));
        if let Some((id, _)) = found {
            return Ok(Some(id.to_string()));
        }
    }
    Ok(None)
}

/// Whether `s` is a full commit id (SHA-1 or SHA-256, lowercase hex).
pub fn is_commit_id(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// `filter.NAME.smudge=` and `filter.NAME.process=` (empty: no filter) for every filter
/// driver the user's or the system's configuration defines: a remote repository's
/// `.gitattributes` can name any of them, and none should run on a fetched checkout.
fn no_filters(git: &Path, dir: &Path, limit: Duration) -> Vec<String> {
    // `git config` exits 1 when nothing matches.
    let names = run(
        git,
        dir,
        &["config", "--name-only", "--get-regexp", r"^filter\."],
        limit,
    )
    .unwrap_or_default();
    let mut drivers: Vec<&str> = names
        .lines()
        .filter_map(|l| l.strip_prefix("filter.")?.rsplit_once('.').map(|(d, _)| d))
        .collect();
    drivers.sort_unstable();
    drivers.dedup();
    drivers
        .iter()
        .flat_map(|d| {
            [
                format!("filter.{d}.smudge="),
                format!("filter.{d}.process="),
                format!("filter.{d}.required=false"),
            ]
        })
        .collect()
}

/// Clones `what` (a ref or a commit id) of `url` into the empty directory `dir` as kustomize
/// does, shallowly, and returns the commit checked out. The repository (objects and files)
/// may take at most `max_bytes`.
pub fn shallow_clone(
    git: &Path,
    dir: &Path,
    url: &str,
    what: &str,
    submodules: bool,
    limit: Duration,
    max_bytes: u64,
) -> Result<String, GitError> {
    run(git, dir, &["init", "--quiet", "--template="], limit)?;
    let mut config = scheme_config(url);
    config.extend(no_filters(git, dir, limit));
    let limits = Limits {
        config: &config,
        watch: Some((dir, max_bytes)),
    };
    let step = |args: &[&str]| run_limited(git, dir, args, limit, limits);
    // Relative submodule URLs resolve against origin (kustomize issue 5131).
    step(&["remote", "add", "origin", "--", url])?;
    step(&[
        "fetch",
        "--quiet",
        "--depth=1",
        "--no-tags",
        "--",
        url,
        what,
    ])?;
    step(&["checkout", "--quiet", "FETCH_HEAD"])?;
    if submodules {
        step(&["submodule", "--quiet", "update", "--init", "--recursive"])?;
    }
    // The last measure, when git was quicker than the polls.
    if size_of(dir, max_bytes) > max_bytes {
        return Err(GitError::TooLarge { limit: max_bytes });
    }
    let commit = step(&["rev-parse", "HEAD"])?;
    Ok(commit.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_ids() {
        assert!(is_commit_id(&"a".repeat(40)));
        assert!(is_commit_id(&"0".repeat(64)));
        assert!(!is_commit_id(&"A".repeat(40)));
        assert!(!is_commit_id("v1.0.0"));
        assert!(!is_commit_id(&"a".repeat(39)));
    }
}
