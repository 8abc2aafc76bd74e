//! `kit update`: resolve every remote base of each root on its remote again (fetching what
//! is not cached) and write the root's `kit.lock`.

use std::io::Write;
use std::sync::Arc;

use crate::cli::{Restrictor, UpdateArgs};
use crate::diag::{Diag, ExitStatus};
use crate::load::Loader;
use crate::remote::{lock, Mode, Options, Remote};
use crate::resolve::{Builder, LoadRestrictor};

pub fn run(args: &UpdateArgs) -> ExitStatus {
    let loader = Arc::new(Loader::new());
    let restrictor = match args.load_restrictor {
        Restrictor::RootOnly => LoadRestrictor::RootOnly,
        Restrictor::None => LoadRestrictor::None,
    };
    let builder = Builder::new(loader.clone(), restrictor).with_remote(Remote::new(Options {
        mode: Mode::Update,
        quiet: args.quiet,
        cache_dir: None,
    }));
    let mut errors = Vec::new();
    for root in &args.roots {
        let is_kustomization = root.is_dir()
            && crate::resolve::kustomization::find_file(root)
                .ok()
                .flatten()
                .is_some();
        if !is_kustomization {
            errors.push(
                Diag::error(
                    "kit::update::not-a-kustomization",
                    format!("'{}' is not a kustomization directory", root.display()),
                )
                .help("kit.lock sits beside a root kustomization: name its directory"),
            );
            continue;
        }
        if let Err(d) = builder.build_root(root, None) {
            errors.push(d);
        }
    }
    let warnings = builder.take_warnings();
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for d in &warnings {
        let _ = writeln!(err, "{:?}", d.to_report(&loader.sources));
    }
    if !errors.is_empty() {
        for d in &errors {
            let _ = writeln!(err, "{:?}", d.to_report(&loader.sources));
        }
        return ExitStatus::InputError;
    }
    for root in builder.take_root_pins() {
        if root.pins.is_empty() && root.files.is_empty() && !root.lock.exists {
            continue;
        }
        let text = lock::render(&root.pins, &root.files);
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
        let mut changes = 0;
        for p in &root.pins {
            let shown_ref = if p.git_ref.is_empty() {
                "HEAD"
            } else {
                &p.git_ref
            };
            match root.lock.find(&p.url, &p.git_ref) {
                Some(old) if old.pin.commit == p.commit => {}
                Some(old) => {
                    changes += 1;
                    let _ = writeln!(
                        err,
                        "{shown}: {} {shown_ref}: {} -> {}",
                        p.url, old.pin.commit, p.commit
                    );
                }
                None => {
                    changes += 1;
                    let _ = writeln!(err, "{shown}: {} {shown_ref}: pinned {}", p.url, p.commit);
                }
            }
        }
        for f in &root.files {
            match root.lock.find_http(&f.url) {
                Some(old) if old.pin.sha256 == f.sha256 => {}
                Some(old) => {
                    changes += 1;
                    let _ = writeln!(
                        err,
                        "{shown}: {}: sha256 {} -> {}",
                        f.url, old.pin.sha256, f.sha256
                    );
                }
                None => {
                    changes += 1;
                    let _ = writeln!(err, "{shown}: {}: pinned sha256 {}", f.url, f.sha256);
                }
            }
        }
        for old in &root.lock.http {
            if !root.files.iter().any(|f| f.url == old.pin.url) {
                changes += 1;
                let _ = writeln!(err, "{shown}: {}: no longer used, removed", old.pin.url);
            }
        }
        for old in &root.lock.git {
            if !root
                .pins
                .iter()
                .any(|p| p.url == old.pin.url && p.git_ref == old.pin.git_ref)
            {
                changes += 1;
                let _ = writeln!(
                    err,
                    "{shown}: {} {}: no longer used, removed",
                    old.pin.url, old.pin.git_ref
                );
            }
        }
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let _ = writeln!(
            err,
            "{shown}: {} remote base{} and {} remote file{} pinned, {changes} change{}",
            root.pins.len(),
            plural(root.pins.len()),
            root.files.len(),
            plural(root.files.len()),
            plural(changes)
        );
    }
    ExitStatus::Success
}
