//! `kit chart lint CHART...`: check charts as `helm lint` does.

use std::io::Write;

use crate::chart::output::RenderOptions;
use crate::chart::scaffold::Dialect;
use crate::cli::{
    ChartArgs, ChartCommand, ChartLintArgs, CreateArgs, CreateCommand, TemplateDialect,
};
use crate::diag::{ExitStatus, Severity};
use crate::load::Loader;

pub fn run(args: &ChartArgs) -> ExitStatus {
    match &args.command {
        ChartCommand::Lint(a) => lint(a),
    }
}

fn lint(args: &ChartLintArgs) -> ExitStatus {
    let loader = Loader::new();
    let opts = RenderOptions {
        namespace: args.namespace.clone(),
        kube_version: args.kube_version.clone(),
        strict: args.strict,
        values: super::template::value_sources(&args.values),
        ..RenderOptions::default()
    };
    let stderr = std::io::stderr();
    let mut failed = 0;
    for chart in &args.charts {
        let findings = crate::chart::lint::lint(&loader, chart, &opts);
        let worst = findings.iter().map(|d| d.severity).max();
        let fails = match worst {
            Some(Severity::Error) => true,
            Some(Severity::Warning) => args.fail_on_warning,
            _ => false,
        };
        let mut err = stderr.lock();
        let _ = writeln!(err, "==> Linting {}", chart.display());
        for d in &findings {
            let _ = writeln!(err, "{:?}", d.to_report(&loader.sources));
        }
        if fails {
            failed += 1;
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let _ = writeln!(
        out,
        "{} chart(s) linted, {failed} chart(s) failed",
        args.charts.len()
    );
    if failed > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    }
}

/// `kit create chart NAME`.
pub fn create(args: &CreateArgs) -> ExitStatus {
    let CreateCommand::Chart { path, dialect } = &args.command;
    let dialect = match dialect {
        TemplateDialect::Go => Dialect::Go,
        TemplateDialect::Jinja => Dialect::Jinja,
    };
    match crate::chart::scaffold::create(path, dialect) {
        Ok(files) => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            let _ = writeln!(
                out,
                "Created chart {} ({} files, {}). Render it with `kit template {}`.",
                crate::source::display_path(path),
                files.len(),
                match dialect {
                    Dialect::Go => "Go templates",
                    Dialect::Jinja => "Jinja templates",
                },
                crate::source::display_path(path)
            );
            ExitStatus::Success
        }
        Err(d) => super::build::report(&[d], &Loader::new()),
    }
}
