//! `kit diff`: render two inputs (two paths, or one path now and at a git commit), compare
//! them object by object, print the changes.
//!
//! Exit codes follow `diff` and `kubectl diff`, not the other kit commands: 0 no change,
//! 1 changes, 3 any error ([`ExitStatus::DIFF_ERROR`]).

use std::io::{IsTerminal, Write};
use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use crate::chart::RenderOptions;
use crate::cli::{ColorChoice, DiffArgs, DiffFormat};
use crate::diag::{Diag, ExitStatus, Result};
use crate::diff::{self, render, ChangeKind, ObjectChange};
use crate::emit;
use crate::load::Loader;
use crate::model::Resource;
use crate::resolve::{kustomization, Builder};

pub fn run(args: &DiffArgs) -> ExitStatus {
    // One PATH and no --git-ref: the render against the live cluster.
    if let ([path], None) = (args.paths.as_slice(), &args.git_ref) {
        return super::live_diff::run(&crate::cli::LiveDiffArgs {
            root: path.clone(),
            cluster: args.cluster.clone(),
            prune: args.prune,
            applyset: args.applyset.clone(),
            unified: args.context,
            show_secrets: args.show_secrets,
            load_restrictor: args.load_restrictor,
            remote: args.remote.clone(),
            chart: args.chart.clone(),
            exit_code: args.exit_code,
            format: args.format,
            color: args.color,
        });
    }
    let loader = Arc::new(Loader::new());
    let restrictor = super::load_restrictor(args.load_restrictor);
    let builder =
        Builder::new(loader.clone(), restrictor).with_remote(super::build::remote(&args.remote));
    let chart = super::template::chart_input_options(&args.chart);
    let result = match (args.paths.as_slice(), &args.git_ref) {
        ([old, new], None) => two_paths(&builder, &chart, old, new, args),
        ([path], Some(git_ref)) => at_git_ref(&builder, &chart, path, git_ref, args),
        ([_, _], Some(_)) => Err(Diag::error(
            "kit::diff::usage",
            "--git-ref compares one PATH with itself at a commit; two paths were given",
        )
        .help("`kit diff PATH --git-ref REF`, or `kit diff OLD NEW` without --git-ref")),
        _ => Err(Diag::error(
            "kit::diff::usage",
            "an offline diff needs a second PATH or --git-ref REF",
        )
        .help("`kit diff OLD NEW` compares two renders; `kit diff PATH --git-ref main` compares PATH with itself at a commit (`kit diff PATH` alone will compare with the cluster)")),
    };
    super::build::print_warnings(&builder, &loader);
    let (changes, title) = match result {
        Ok(r) => r,
        Err(d) => {
            super::build::report(&[d], &loader);
            return ExitStatus::DIFF_ERROR;
        }
    };
    let how = Show {
        format: args.format,
        color: args.color,
        context: args.context,
        labels: ("old", "new"),
        title: &title,
    };
    match show(&changes, &how) {
        Ok(status) => with_exit_code(status, args.exit_code),
        Err(d) => {
            super::build::report(&[d], &loader);
            ExitStatus::DIFF_ERROR
        }
    }
}

/// How [`show`] prints the changes: the format, the colors, the context lines, the two
/// sides' directory names in a unified diff's headers, and the markdown title.
pub(super) struct Show<'a> {
    pub format: DiffFormat,
    pub color: ColorChoice,
    pub context: usize,
    pub labels: (&'a str, &'a str),
    pub title: &'a str,
}

/// Prints the changes (both diffs): a unified diff goes to `KUBECTL_EXTERNAL_DIFF` when it is
/// set, as kubectl diff's does. Findings when anything changed.
pub(super) fn show(changes: &[ObjectChange], how: &Show) -> Result<ExitStatus> {
    let color = match how.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    if how.format == DiffFormat::Unified {
        if let Some(command) = external_diff_command() {
            return external_diff(&command, &external_sides(changes));
        }
    }
    let text = match how.format {
        DiffFormat::Unified => render::unified(
            changes,
            &render::UnifiedOptions {
                color,
                context: how.context,
                old_label: how.labels.0.to_string(),
                new_label: how.labels.1.to_string(),
            },
        ),
        DiffFormat::Markdown => render::markdown(changes, how.title),
        DiffFormat::Json => super::lint::pretty(&render::json(changes)),
        DiffFormat::Summary => render::summary(changes),
    };
    Ok(print_outcome(&text, changes))
}

/// `--exit-code=false`: differences exit 0 (errors keep their code). The live diff's too.
pub(super) fn with_exit_code(status: ExitStatus, exit_code: bool) -> ExitStatus {
    match status {
        ExitStatus::Findings if !exit_code => ExitStatus::Success,
        other => other,
    }
}

/// The `KUBECTL_EXTERNAL_DIFF` command, when the variable is set and not blank.
pub(super) fn external_diff_command() -> Option<String> {
    std::env::var("KUBECTL_EXTERNAL_DIFF")
        .ok()
        .filter(|c| !c.trim().is_empty())
}

/// The files of the two directories `KUBECTL_EXTERNAL_DIFF` compares, `(kubectl's file name,
/// text)` each, laid out as kubectl diff lays them out: an object of the new side (the
/// render) has a file in both directories, the one in `LIVE` empty when the object is new;
/// an object only on the old side (what apply would prune) has a file in `LIVE` alone.
#[derive(Debug, Default)]
pub(super) struct ExternalSides {
    live: Vec<(String, String)>,
    merged: Vec<(String, String)>,
}

impl ExternalSides {
    /// One object's two sides, each as `(file name, text)`; `None` where it does not exist.
    pub(super) fn push(&mut self, old: Option<(String, String)>, new: Option<(String, String)>) {
        let Some((name, text)) = new else {
            self.live.extend(old);
            return;
        };
        match old {
            Some(old) if old.0 == name => self.live.push(old),
            old => {
                self.live.extend(old);
                self.live.push((name.clone(), String::new()));
            }
        }
        self.merged.push((name, text));
    }
}

/// The render-vs-render changes as kubectl diff's two directories. A changed object keeps the
/// new side's name on both sides (a new API version is the same object, as `diff -r` should
/// pair it); a renamed one is, for a program that pairs files by name, a new object and a
/// removed one.
fn external_sides(changes: &[ObjectChange]) -> ExternalSides {
    let mut sides = ExternalSides::default();
    for c in changes {
        let new = c.new.as_ref().map(|o| (o.file_name(), o.text.clone()));
        let old = c.old.as_ref().map(|o| {
            let name = match (&new, c.change) {
                (Some((name, _)), kind) if kind != ChangeKind::Renamed => name.clone(),
                _ => o.file_name(),
            };
            (name, o.text.clone())
        });
        sides.push(old, new);
    }
    sides
}

/// kubectl diff's `KUBECTL_EXTERNAL_DIFF`, for both diffs: the two sides are written to two
/// temporary directories, `LIVE` and `MERGED` ([`ExternalSides`]), and the command runs with
/// them as its last two arguments, its output the user's. As in kubectl, the variable is
/// split at spaces: the first word is the program, and of the others only those made of
/// letters, digits, `-` and `=` are passed. Its exit code is kit's: 0 and 1 as `diff`'s,
/// above 1 an error.
pub(super) fn external_diff(command: &str, sides: &ExternalSides) -> Result<ExitStatus> {
    let mut words = command.split(' ').filter(|w| !w.is_empty());
    let program = words.next().unwrap_or("diff");
    let args: Vec<&str> = words
        .filter(|w| {
            w.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '=')
        })
        .collect();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let base =
        std::env::temp_dir().join(format!("kit-external-diff-{}-{nanos}", std::process::id()));
    let (old_dir, new_dir) = (base.join("LIVE"), base.join("MERGED"));
    let written = (|| -> std::io::Result<()> {
        // A fresh directory of the user's alone: never one that already exists.
        let mut dir = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut dir, 0o700);
        dir.create(&base)?;
        std::fs::create_dir(&old_dir)?;
        std::fs::create_dir(&new_dir)?;
        for (files, dir) in [(&sides.live, &old_dir), (&sides.merged, &new_dir)] {
            for (name, text) in files {
                std::fs::write(dir.join(name), text)?;
            }
        }
        Ok(())
    })();
    let result = match written {
        Err(e) => Err(crate::load::io_error(&base, &e)),
        Ok(()) => Command::new(program)
            .args(&args)
            .arg(&old_dir)
            .arg(&new_dir)
            .status()
            .map_err(|e| {
                Diag::error(
                    "kit::diff::external",
                    format!("cannot run KUBECTL_EXTERNAL_DIFF program `{program}`: {e}"),
                )
                .help("set KUBECTL_EXTERNAL_DIFF to a diff program on PATH (its first word), or unset it for kit's own unified diff")
            })
            .map(|status| match status.code() {
                Some(0) => ExitStatus::Success,
                Some(1) => ExitStatus::Findings,
                _ => ExitStatus::DIFF_ERROR,
            }),
    };
    let _ = std::fs::remove_dir_all(&base);
    result
}

/// Prints the text; the exit status says whether anything changed.
pub fn print_outcome(text: &str, changes: &[ObjectChange]) -> ExitStatus {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => ExitStatus::DIFF_ERROR,
        _ if diff::has_changes(changes) => ExitStatus::Findings,
        _ => ExitStatus::Success,
    }
}

/// How the two sides are compared: renames on and Secrets masked unless the flags say not.
pub fn options(args: &DiffArgs) -> diff::Options {
    diff::Options {
        detect_renames: !args.no_renames,
        mask_secrets: !args.show_secrets,
        ..diff::Options::default()
    }
}

/// `kit diff OLD NEW`.
fn two_paths(
    builder: &Builder,
    chart: &RenderOptions,
    old: &Path,
    new: &Path,
    args: &DiffArgs,
) -> Result<(Vec<ObjectChange>, String)> {
    let stdin = super::stdin_for(&[old.to_path_buf(), new.to_path_buf()])?;
    let (a, b) = rayon::join(
        || render_path(builder, old, stdin.as_deref(), chart),
        || render_path(builder, new, stdin.as_deref(), chart),
    );
    let changes = diff::compare_with(&a?, &b?, &options(args));
    let title = format!("kit diff `{}` → `{}`", old.display(), new.display());
    Ok((changes, title))
}

/// Renders one input as `kit build` does: a kustomization, a plain directory, a file, `-`
/// (with `stdin`'s text), or a chart (a directory with `Chart.yaml` and no kustomization, or
/// a packaged `.tgz`) with `chart`'s release name and values.
pub fn render_path(
    builder: &Builder,
    path: &Path,
    stdin: Option<&str>,
    chart: &RenderOptions,
) -> Result<Vec<Resource>> {
    let is_chart = if path.extension().is_some_and(|e| e == "tgz") && path.is_file() {
        true
    } else {
        path.is_dir()
            && path.join("Chart.yaml").is_file()
            && kustomization::find_file(path)?.is_none()
    };
    let resources = if is_chart {
        let rendered = crate::chart::render(&builder.loader, path, chart)?;
        rendered.resources()?
    } else {
        builder.build_root(path, stdin)?
    };
    emit::check_representable(&resources)?;
    Ok(resources)
}

/// `kit diff PATH --git-ref REF`: PATH at REF (old) against PATH in the working tree (new).
fn at_git_ref(
    builder: &Builder,
    chart: &RenderOptions,
    path: &Path,
    git_ref: &str,
    args: &DiffArgs,
) -> Result<(Vec<ObjectChange>, String)> {
    if path == Path::new("-") {
        return Err(Diag::error(
            "kit::diff::usage",
            "--git-ref needs a path in a git repository, not stdin",
        ));
    }
    let (top, relative) = repository_path(path)?;
    let commit = resolve_ref(&top, git_ref)?;
    let tree = TempTree::extract(&top, &commit, git_ref)?;
    let old_root = tree.root.join(&relative);
    let (a, b) = rayon::join(
        || {
            if old_root.exists() {
                render_path(builder, &old_root, None, chart).map_err(|d| {
                    let note = format!("rendering {} as of {git_ref}", path.display());
                    match d.help.clone() {
                        Some(h) => d.help(format!("{h} ({note})")),
                        None => d.help(note),
                    }
                })
            } else {
                let _ = writeln!(
                    std::io::stderr(),
                    "note: {} does not exist at {git_ref}: every object shows as added",
                    path.display()
                );
                Ok(Vec::new())
            }
        },
        || render_path(builder, path, None, chart),
    );
    let changes = diff::compare_with(&a?, &b?, &options(args));
    drop(tree);
    let title = format!("kit diff `{}`: `{git_ref}` → working tree", path.display());
    Ok((changes, title))
}

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C").arg(dir);
    // Never prompt, never page, whatever the user's configuration says.
    c.env("GIT_TERMINAL_PROMPT", "0").env("GIT_PAGER", "cat");
    c
}

fn git_error(message: impl Into<String>) -> Diag {
    Diag::error("kit::diff::git", message)
}

/// Runs git; its stdout (trimmed), or an error with its stderr.
fn run_git(cmd: &mut Command, what: &str) -> Result<String> {
    let out = cmd.output().map_err(|e| {
        git_error(format!("cannot run git to {what}: {e}"))
            .help("--git-ref needs the `git` command on PATH")
    })?;
    if !out.status.success() {
        return Err(git_error(format!(
            "git failed to {what}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The repository's top directory and PATH relative to it. PATH need not exist (it may have
/// been deleted since REF): its nearest existing ancestor finds the repository.
fn repository_path(path: &Path) -> Result<(PathBuf, PathBuf)> {
    let cwd = std::env::current_dir()
        .map_err(|e| git_error(format!("cannot read the working directory: {e}")))?;
    let absolute = lexical_normal(&cwd.join(path));
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let dir = if existing.is_dir() {
        existing.to_path_buf()
    } else {
        existing.parent().unwrap_or(existing).to_path_buf()
    };
    let out = git(&dir)
        .args(["rev-parse", "--show-toplevel"])
        .output()
        .map_err(|e| {
            git_error(format!("cannot run git: {e}"))
                .help("--git-ref needs the `git` command on PATH")
        })?;
    if !out.status.success() {
        return Err(git_error(format!(
            "{} is not in a git repository",
            path.display()
        ))
        .help("--git-ref compares PATH with itself at a commit of the repository it is in; without git, give two paths: `kit diff OLD NEW`"));
    }
    let top = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let top = std::fs::canonicalize(&top).unwrap_or(top);
    let mut full = std::fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.iter().rev() {
        full.push(name);
    }
    let relative = full.strip_prefix(&top).map_err(|_| {
        git_error(format!(
            "{} is outside the repository at {}",
            path.display(),
            top.display()
        ))
    })?;
    Ok((top.clone(), relative.to_path_buf()))
}

/// `a/./b/../c` → `a/c`, without touching the file system.
fn lexical_normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The commit REF names, or an error that says REF is unknown.
fn resolve_ref(top: &Path, git_ref: &str) -> Result<String> {
    if git_ref.starts_with('-') {
        return Err(git_error(format!("invalid git ref {git_ref:?}")));
    }
    let out = git(top)
        .args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
        .arg(format!("{git_ref}^{{commit}}"))
        .output()
        .map_err(|e| git_error(format!("cannot run git: {e}")))?;
    let sha = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || sha.is_empty() {
        return Err(git_error(format!(
            "unknown git ref {git_ref:?} in {}",
            top.display()
        ))
        .help("give a branch, tag or commit that exists locally (in CI, fetch it first: `git fetch origin main`, then `--git-ref origin/main`)"));
    }
    Ok(sha)
}

/// A commit's whole tree, checked out into a temporary directory (removed on drop). It is
/// read through a temporary index (`git read-tree` + `git checkout-index`): the repository's
/// own index, working tree and worktree list are never touched, and files come out as a
/// checkout would write them (line endings, filters).
struct TempTree {
    dir: PathBuf,
    root: PathBuf,
}

impl TempTree {
    fn extract(top: &Path, commit: &str, git_ref: &str) -> Result<TempTree> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!("kit-diff-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .map_err(|e| git_error(format!("cannot create {}: {e}", dir.display())))?;
        let tree = TempTree {
            root: dir.join("tree"),
            dir,
        };
        let index = tree.dir.join("index");
        let what = format!("read the tree of {git_ref}");
        run_git(
            git(top)
                .env("GIT_INDEX_FILE", &index)
                .args(["read-tree", commit]),
            &what,
        )?;
        let mut prefix = tree.root.as_os_str().to_os_string();
        prefix.push(std::path::MAIN_SEPARATOR_STR);
        let mut arg = std::ffi::OsString::from("--prefix=");
        arg.push(&prefix);
        let what = format!("check out the files of {git_ref}");
        run_git(
            git(top)
                .env("GIT_INDEX_FILE", &index)
                .args(["checkout-index", "--all", "--force"])
                .arg(arg),
            &what,
        )?;
        Ok(tree)
    }
}

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
