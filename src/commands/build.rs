//! `kit build`: render roots (in parallel) and print them in argument order.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::cli::{BuildArgs, Format, KustomizeArgs};
use crate::diag::{Diag, ExitStatus};
use crate::emit;
use crate::load::Loader;
use crate::resolve::{BuildOptions, Builder, Reorder};

pub fn run(args: &BuildArgs) -> ExitStatus {
    let loader = Arc::new(Loader::new());
    let restrictor = super::load_restrictor(args.load_restrictor);
    if args.kustomize.enable_exec {
        let d = Diag::error(
            "kit::build::enable-exec",
            "--enable-exec is not supported: kit never runs exec functions or plugins",
        )
        .help("kit refuses a kustomization that declares an exec or container function, with its file and line; run such a kustomization with `kustomize build --enable-alpha-plugins --enable-exec`");
        return report(&[d], &loader);
    }
    for line in flag_deprecations(&args.kustomize) {
        let _ = writeln!(std::io::stderr(), "{line}");
    }
    let options = match build_options(&args.kustomize) {
        Ok(o) => o,
        Err(d) => return report(&[d], &loader),
    };
    let builder = Builder::new(loader.clone(), restrictor)
        .with_remote(remote(&args.remote))
        .with_options(options);
    let stdin = match super::stdin_for(&args.roots) {
        Ok(s) => s,
        Err(d) => return report(&[d], &loader),
    };
    let results: Vec<_> = args
        .roots
        .par_iter()
        .map(|root| {
            builder
                .build_root(root, stdin.as_deref())
                .and_then(|r| emit::check_representable(&r).map(|()| r))
        })
        .collect();

    // kustomize's own stderr lines first (word for word: scripts grep them), root by root.
    {
        let stderr = std::io::stderr();
        let mut err = stderr.lock();
        for root in &args.roots {
            for line in builder.take_notices(root) {
                let _ = writeln!(err, "{line}");
            }
        }
    }
    print_warnings(&builder, &loader);
    let errors: Vec<Diag> = results
        .iter()
        .filter_map(|r| r.as_ref().err().cloned())
        .collect();
    if !errors.is_empty() {
        return report(&errors, &loader);
    }
    let outputs: Vec<_> = results.into_iter().filter_map(Result::ok).collect();

    let output_file = match &args.output_dir {
        Some(path) if writes_one_file_per_resource(path) => {
            for (root, resources) in args.roots.iter().zip(&outputs) {
                let target = if args.roots.len() > 1 {
                    match emit::path_inside(path, &subdir_name(root)) {
                        Ok(t) => t,
                        Err(d) => return report(&[d], &loader),
                    }
                } else {
                    path.clone()
                };
                if let Err(d) = emit::write_dir(resources, &target) {
                    return report(&[d], &loader);
                }
            }
            return ExitStatus::Success;
        }
        Some(path) => Some(path),
        None => None,
    };

    let rendered: Vec<String> = outputs
        .par_iter()
        .map(|resources| match (args.format, args.explain_origin) {
            (Format::Json, _) => emit::json_list(resources),
            (Format::Yaml, true) => emit::yaml_stream_with_origins(resources, &loader.sources),
            (Format::Yaml, false) => emit::yaml_stream(resources),
        })
        .collect();
    let mut joined = Vec::new();
    for (i, text) in rendered.iter().enumerate() {
        if i > 0 && args.format == Format::Yaml && !text.is_empty() {
            joined.extend_from_slice(b"---\n");
        }
        joined.extend_from_slice(text.as_bytes());
    }
    if let Some(path) = output_file {
        return match std::fs::write(path, &joined) {
            Ok(()) => ExitStatus::Success,
            Err(e) => report(&[crate::load::io_error(path, &e).help(
                "-o names a file to write (its directory must exist) or an existing directory, which gets one file per resource",
            )], &loader),
        };
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match out.write_all(&joined).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => ExitStatus::InputError,
        _ => ExitStatus::Success,
    }
}

/// `-o PATH` writes one file per resource when PATH is an existing directory (kustomize's
/// rule), or when it ends with a path separator (kit creates the directory then; kustomize
/// fails on such a path).
fn writes_one_file_per_resource(path: &Path) -> bool {
    path.is_dir() || path.as_os_str().to_string_lossy().ends_with(['/', '\\'])
}

/// The settings of kustomize's flags that change a build.
fn build_options(args: &KustomizeArgs) -> Result<BuildOptions, Diag> {
    let reorder = match args.reorder.as_deref() {
        None => None,
        Some("legacy") => Some(Reorder::Legacy),
        Some("none") => Some(Reorder::None),
        Some(other) => {
            return Err(Diag::error(
                "kit::build::reorder",
                format!("illegal flag value --reorder {other}; legal values: [legacy none]"),
            )
            .help("or leave the flag out and set `sortOptions` in the kustomization, as kustomize recommends"))
        }
    };
    Ok(BuildOptions {
        reorder,
        managed_by_label: args.enable_managedby_label
            || std::env::var("KUSTOMIZE_ENABLE_MANAGEDBY_LABEL").is_ok_and(|v| v == "on"),
        helm_kube_version: args.helm_kube_version.clone(),
        helm_api_versions: args.helm_api_versions.clone(),
        helm_version: args.helm_version.into(),
        chart: crate::chart::RenderOptions::default(),
    })
}

/// What kustomize's command line prints for its deprecated flags (cobra's words).
fn flag_deprecations(args: &KustomizeArgs) -> Vec<&'static str> {
    let mut lines = Vec::new();
    if args.reorder.is_some() {
        lines.push("Flag --reorder has been deprecated, use the new 'sortOptions' field in kustomization.yaml instead.");
    }
    if args.enable_managedby_label {
        lines.push("Flag --enable-managedby-label has been deprecated, The flag `enable-managedby-label` has been deprecated. Use the `managedByLabel` option in the `buildMetadata` field instead.");
    }
    lines
}

/// The builder of `kit lint`, `validate` and `apply`: remote bases as the flags say, and chart
/// directories rendered with the chart input flags.
pub fn input_builder(
    loader: std::sync::Arc<crate::load::Loader>,
    restrictor: crate::resolve::LoadRestrictor,
    remote_args: &crate::cli::RemoteArgs,
    chart: &crate::cli::ChartInputArgs,
) -> Builder {
    Builder::new(loader, restrictor)
        .with_remote(remote(remote_args))
        .with_options(BuildOptions {
            chart: super::template::chart_input_options(chart),
            ..BuildOptions::default()
        })
}

/// Remote base settings from the flags.
pub fn remote(args: &crate::cli::RemoteArgs) -> crate::remote::Remote {
    use crate::remote::Mode;
    let mode = if args.offline {
        Mode::Offline
    } else if args.locked {
        Mode::Locked
    } else {
        Mode::Normal
    };
    remote_in(mode, args.quiet)
}

/// The fetcher of remote inputs in `mode` (`Mode::Update` for `kit update` and `kit template
/// --update-lock`), with kit's cache.
pub fn remote_in(mode: crate::remote::Mode, quiet: bool) -> crate::remote::Remote {
    crate::remote::Remote::new(crate::remote::Options {
        mode,
        quiet,
        cache_dir: None,
        skip_vendor: false,
    })
}

/// Subdirectory for a root under `-o DIR` when several roots render: its path with
/// separators replaced, so `overlays/prod` becomes `overlays_prod` (and `..` becomes `parent`,
/// so the subdirectory stays inside DIR).
fn subdir_name(root: &Path) -> String {
    let s = root
        .to_string_lossy()
        .trim_end_matches('/')
        .replace(['/', '\\'], "_");
    match s.trim_start_matches("._") {
        "" | "." => "root".to_string(),
        ".." => "parent".to_string(),
        s => s.to_string(),
    }
}

pub fn report(errors: &[Diag], loader: &Loader) -> ExitStatus {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for d in errors {
        let _ = writeln!(err, "{:?}", d.to_report(&loader.sources));
    }
    ExitStatus::InputError
}

/// The builder's warnings (files skipped, deprecated fields, unpinned remote inputs) on
/// stderr, whatever the output format: every command that builds prints them.
pub(super) fn print_warnings(builder: &Builder, loader: &Loader) {
    let warnings = builder.take_warnings();
    if warnings.is_empty() {
        return;
    }
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for d in &warnings {
        let _ = writeln!(err, "{:?}", d.to_report(&loader.sources));
    }
}
