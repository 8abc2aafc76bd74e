//! `kit vendor`: copy every remote input of each root (git bases, HTTP files, charts) into a
//! directory beside its `kit.lock` (default `vendor/`) and name that directory in the lock.
//! Builds then read every remote input from there and use no network; the kustomizations
//! themselves stay as they are (their URLs still say where each input came from).
//!
//! The directory has the cache's layout: `git/<commit>[-nosubmodules]/`, `http/<sha256>`,
//! `charts/<sha256>.tgz`. Only those three subdirectories are kit's: each is replaced whole,
//! so that nothing stale stays. A vendored repository leaves out `.git`, `.gitignore` and
//! `.gitattributes` (which would make git ignore or convert vendored files when they are
//! committed).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cli::VendorArgs;
use crate::diag::{Diag, ExitStatus, Result};
use crate::load::Loader;
use crate::remote::{lock, Mode, Options, Remote};
use crate::resolve::{Builder, RootPins};

/// The vendor directory when neither the flag nor the lock names one.
pub const DEFAULT_DIR: &str = "vendor";

/// Names a vendored repository leaves out.
const LEFT_OUT: &[&str] = &[".git", ".gitignore", ".gitattributes"];

/// The deepest directory nesting copied from a repository.
const MAX_DEPTH: usize = 256;

pub fn run(args: &VendorArgs) -> ExitStatus {
    let loader = Arc::new(Loader::new());
    let restrictor = super::load_restrictor(args.load_restrictor);
    let builder = Builder::new(loader.clone(), restrictor).with_remote(Remote::new(Options {
        mode: if args.offline {
            Mode::Offline
        } else {
            Mode::Normal
        },
        quiet: args.quiet,
        cache_dir: None,
        skip_vendor: true,
    }));
    let mut errors = super::update::build_roots(
        &builder,
        &args.roots,
        "kit::vendor::not-a-kustomization",
        "kit vendor copies the remote inputs of a root kustomization: name its directory",
    );
    super::build::print_warnings(&builder, &loader);
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    if errors.is_empty() {
        for root in builder.take_root_pins() {
            match vendor_root(&builder, &root, args) {
                Ok(Some(summary)) if !args.quiet => {
                    let _ = writeln!(err, "{summary}");
                }
                Ok(_) => {}
                Err(d) => errors.push(d),
            }
        }
    }
    if errors.is_empty() {
        return ExitStatus::Success;
    }
    for d in &errors {
        let _ = writeln!(err, "{:?}", d.to_report(&loader.sources));
    }
    ExitStatus::InputError
}

/// Copies one root's remote inputs and writes its lock; a line saying what was done.
fn vendor_root(builder: &Builder, root: &RootPins, args: &VendorArgs) -> Result<Option<String>> {
    let shown_root = crate::source::display_path(&root.root);
    if root.pins.is_empty() && root.files.is_empty() && root.charts.is_empty() {
        return Ok(Some(format!(
            "{shown_root}: no remote bases, files or charts, nothing vendored"
        )));
    }
    let written = match (&args.dir, &root.lock.vendor) {
        (Some(d), _) => d.to_string_lossy().to_string(),
        (None, Some(v)) => v.written.clone(),
        (None, None) => DEFAULT_DIR.to_string(),
    };
    let inside = Path::new(&written).components().all(|c| {
        matches!(
            c,
            std::path::Component::Normal(_) | std::path::Component::CurDir
        )
    });
    if written.is_empty() || !inside {
        return Err(Diag::error(
            "kit::vendor::dir",
            format!("--dir {written}: the vendor directory must be a relative path inside the kustomization's directory"),
        )
        .help("kit.lock names the directory relative to itself, so that the repository can move; e.g. --dir vendor"));
    }
    let lock_dir = root
        .lock
        .path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let dir = lock_dir.join(&written);
    let staging = dir.join(".kit-vendor-new");
    let io = |path: &Path, e: std::io::Error| {
        crate::load::io_error(path, &e)
            .help("kit vendor writes the vendor directory beside kit.lock: make it writable")
    };
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(|e| io(&staging, e))?;
    let result = fill(builder.remote(), root, &staging);
    let left_out = match result {
        Ok(n) => n,
        Err(d) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(d);
        }
    };
    for kind in ["git", "http", "charts"] {
        let target = dir.join(kind);
        if target.exists() {
            std::fs::remove_dir_all(&target).map_err(|e| io(&target, e))?;
        }
        let staged = staging.join(kind);
        if staged.exists() {
            std::fs::rename(&staged, &target).map_err(|e| io(&target, e))?;
        }
    }
    let _ = std::fs::remove_dir_all(&staging);
    let text = lock::render(&root.pins, &root.files, &root.charts, Some(&written));
    std::fs::write(&root.lock.path, text).map_err(|e| io(&root.lock.path, e))?;
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let repos = builder
        .remote()
        .used_checkouts()
        .iter()
        .filter(|(_, p)| root.pins.contains(p))
        .count();
    let mut summary = format!(
        "{}: {repos} repositor{}, {} file{} and {} chart{} copied; {} names it",
        crate::source::display_path(&dir),
        if repos == 1 { "y" } else { "ies" },
        root.files.len(),
        plural(root.files.len()),
        root.charts.len(),
        plural(root.charts.len()),
        crate::source::display_path(&root.lock.path),
    );
    if left_out > 0 {
        summary.push_str(&format!(
            " ({left_out} .git, .gitignore or .gitattributes entr{} of the repositories left out)",
            if left_out == 1 { "y" } else { "ies" }
        ));
    }
    Ok(Some(summary))
}

/// Copies what `root` used into `staging` (`git/`, `http/`, `charts/`); how many entries
/// of the repositories were left out.
fn fill(remote: &Remote, root: &RootPins, staging: &Path) -> Result<usize> {
    let mut left_out = 0;
    for (checkout, pin) in remote.used_checkouts() {
        if !root.pins.contains(&pin) {
            continue;
        }
        let Some(name) = checkout.file_name() else {
            continue;
        };
        left_out += copy_tree(&checkout, &staging.join("git").join(name))?;
    }
    for file in &root.files {
        let from = remote.cached_file_path(&file.sha256)?;
        copy_file(&from, &staging.join("http").join(&file.sha256))?;
    }
    for chart in &root.charts {
        let from = remote.cached_chart_path(&chart.digest)?.ok_or_else(|| {
            Diag::error(
                "kit::vendor::missing",
                format!(
                    "chart '{}' version {} ({}) is not in the cache",
                    chart.name, chart.version, chart.digest
                ),
            )
            .help("run `kit vendor` again; if it persists, clear the cache (KIT_CACHE_DIR)")
        })?;
        let hex = chart.digest.trim_start_matches("sha256:");
        copy_file(&from, &staging.join("charts").join(format!("{hex}.tgz")))?;
    }
    Ok(left_out)
}

fn copy_file(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(|e| crate::load::io_error(parent, &e))?;
    }
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| crate::load::io_error(from, &e))
}

/// Copies a checkout (symbolic links as links), leaving out [`LEFT_OUT`]; how many entries
/// were left out.
fn copy_tree(from: &Path, to: &Path) -> Result<usize> {
    let mut left_out = 0;
    let walk = walkdir::WalkDir::new(from)
        .follow_links(false)
        .max_depth(MAX_DEPTH)
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !LEFT_OUT.contains(&e.file_name().to_string_lossy().as_ref())
        });
    for entry in walk {
        let entry = entry.map_err(|e| {
            Diag::error(
                "kit::vendor::copy",
                format!("cannot read {}: {e}", from.display()),
            )
        })?;
        let rel = entry.path().strip_prefix(from).unwrap_or(entry.path());
        let target = to.join(rel);
        let kind = entry.file_type();
        if kind.is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| crate::load::io_error(&target, &e))?;
            left_out += std::fs::read_dir(entry.path())
                .map(|d| {
                    d.flatten()
                        .filter(|c| LEFT_OUT.contains(&c.file_name().to_string_lossy().as_ref()))
                        .count()
                })
                .unwrap_or(0);
        } else if kind.is_symlink() {
            let link = std::fs::read_link(entry.path())
                .map_err(|e| crate::load::io_error(entry.path(), &e))?;
            symlink(&link, &target)?;
        } else {
            copy_file(entry.path(), &target)?;
        }
    }
    Ok(left_out)
}

#[cfg(unix)]
fn symlink(link: &Path, at: &Path) -> Result<()> {
    std::os::unix::fs::symlink(link, at).map_err(|e| crate::load::io_error(at, &e))
}

#[cfg(not(unix))]
fn symlink(_link: &Path, at: &Path) -> Result<()> {
    Err(Diag::error(
        "kit::vendor::symlink",
        format!(
            "{} is a symbolic link, which kit vendor copies only on Unix",
            at.display()
        ),
    ))
}
