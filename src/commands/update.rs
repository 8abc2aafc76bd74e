//! `kit update`: resolve every remote base of each root on its remote again (fetching what
//! is not cached) and write the root's `kit.lock`.

use std::io::Write;
use std::sync::Arc;

use crate::cli::UpdateArgs;
use crate::diag::{Diag, ExitStatus};
use crate::load::Loader;
use crate::remote::{lock, Mode};
use crate::resolve::Builder;

pub fn run(args: &UpdateArgs) -> ExitStatus {
    let loader = Arc::new(Loader::new());
    let restrictor = super::load_restrictor(args.load_restrictor);
    let builder = Builder::new(loader.clone(), restrictor)
        .with_remote(super::build::remote_in(Mode::Update, args.quiet));
    let errors = build_roots(
        &builder,
        &args.roots,
        "kit::update::not-a-kustomization",
        "kit.lock sits beside a root kustomization: name its directory",
    );
    super::build::print_warnings(&builder, &loader);
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    if !errors.is_empty() {
        for d in &errors {
            let _ = writeln!(err, "{:?}", d.to_report(&loader.sources));
        }
        return ExitStatus::InputError;
    }
    for root in builder.take_root_pins() {
        if root.pins.is_empty()
            && root.files.is_empty()
            && root.charts.is_empty()
            && !root.lock.exists
        {
            if !args.quiet {
                let _ = writeln!(
                    err,
                    "{}: no remote bases or files, no kit.lock written",
                    crate::source::display_path(&root.root)
                );
            }
            continue;
        }
        let vendor = root.lock.vendor.as_ref().map(|v| v.written.as_str());
        let text = lock::render(&root.pins, &root.files, &root.charts, vendor);
        if let Err(e) = std::fs::write(&root.lock.path, text) {
            let d = crate::load::io_error(&root.lock.path, &e)
                .help("kit update writes kit.lock beside the kustomization: make it writable");
            let _ = writeln!(err, "{:?}", d.to_report(&loader.sources));
            return ExitStatus::InputError;
        }
        if args.quiet {
            continue;
        }
        let shown = crate::source::display_path(&root.lock.path);
        // As kit.lock writes them: without credentials, so that a URL with them matches
        // its entry (and no password reaches the terminal).
        let name = |url: &str, git_ref: &str| {
            format!(
                "{} {}",
                lock::without_credentials(url),
                if git_ref.is_empty() { "HEAD" } else { git_ref }
            )
        };
        let old: Vec<(String, String)> = (root.lock.git.iter())
            .map(|l| (name(&l.pin.url, &l.pin.git_ref), l.pin.commit.clone()))
            .chain(
                root.lock
                    .http
                    .iter()
                    .map(|l| (l.pin.url.clone(), format!("sha256 {}", l.pin.sha256))),
            )
            .chain(root.lock.charts.iter().map(|l| chart_line(&l.pin)))
            .collect();
        let new: Vec<(String, String)> = (root.pins.iter())
            .map(|p| (name(&p.url, &p.git_ref), p.commit.clone()))
            .chain(root.files.iter().map(|f| {
                let url = lock::without_credentials(&f.url).into_owned();
                (url, format!("sha256 {}", f.sha256))
            }))
            .chain(root.charts.iter().map(chart_line))
            .collect();
        let lines = changes(&old, &new);
        for line in &lines {
            let _ = writeln!(err, "{shown}: {line}");
        }
        let changes = lines.len();
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let _ = writeln!(
            err,
            "{shown}: {} remote base{}, {} remote file{} and {} chart{} pinned, {changes} change{}",
            root.pins.len(),
            plural(root.pins.len()),
            root.files.len(),
            plural(root.files.len()),
            root.charts.len(),
            plural(root.charts.len()),
            plural(changes)
        );
    }
    ExitStatus::Success
}

/// A chart's line in the summary: (repository, chart and constraint; version and digest).
fn chart_line(p: &crate::remote::ChartPin) -> (String, String) {
    let constraint = if p.constraint.is_empty() {
        String::new()
    } else {
        format!(" {}", p.constraint)
    };
    (
        format!(
            "chart {} {}{constraint}",
            crate::remote::lock::without_credentials(&p.repo).trim_end_matches('/'),
            p.name
        ),
        format!("{} {}", p.version, p.digest),
    )
}

/// What changed between two lists of (entry, pinned value): one line each.
fn changes(old: &[(String, String)], new: &[(String, String)]) -> Vec<String> {
    let mut lines = Vec::new();
    for (key, value) in new {
        match old.iter().find(|(k, _)| k == key) {
            Some((_, was)) if was == value => {}
            Some((_, was)) => lines.push(format!("{key}: {was} -> {value}")),
            None => lines.push(format!("{key}: pinned {value}")),
        }
    }
    for (key, _) in old {
        if !new.iter().any(|(k, _)| k == key) {
            lines.push(format!("{key}: no longer used, removed"));
        }
    }
    lines
}

/// Builds each root kustomization (fetching or reading what its remote inputs need), so the
/// builder holds every root's pins; the errors of those that are no kustomization or fail.
pub(super) fn build_roots(
    builder: &Builder,
    roots: &[std::path::PathBuf],
    not_a_kustomization: &'static str,
    help: &'static str,
) -> Vec<Diag> {
    let mut errors = Vec::new();
    for root in roots {
        let is_kustomization = root.is_dir()
            && crate::resolve::kustomization::find_file(root)
                .ok()
                .flatten()
                .is_some();
        if !is_kustomization {
            errors.push(
                Diag::error(
                    not_a_kustomization,
                    format!("'{}' is not a kustomization directory", root.display()),
                )
                .help(help),
            );
            continue;
        }
        if let Err(d) = builder.build_root(root, None) {
            errors.push(d);
        }
    }
    errors
}
