//! `kit lint`, `kit rules`, `kit explain`: render roots, run the selected rules, print.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use rayon::prelude::*;

use crate::cli::{ExplainArgs, FailOn, LintArgs, ReportFormat, RulesArgs, RulesFormat};
use crate::config;
use crate::diag::{Diag, ExitStatus, Severity};
use crate::lint::settings::Settings;
use crate::lint::{self, docs, registry, Finding};
use crate::load::Loader;
use crate::report::{self, ObjectRef, RuleDoc};
use crate::resolve::scope;

/// Writes to stdout; a closed pipe is not an error.
pub(super) fn print(text: &str) -> ExitStatus {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => ExitStatus::InputError,
        _ => ExitStatus::Success,
    }
}

fn registry_ok(loader: &Loader) -> Result<(), ExitStatus> {
    match lint::registry::registry_error() {
        Some(d) => Err(super::build::report(std::slice::from_ref(d), loader)),
        None => Ok(()),
    }
}

pub fn run(args: &LintArgs) -> ExitStatus {
    let loader = Arc::new(Loader::new());
    if let Err(status) = registry_ok(&loader) {
        return status;
    }
    let source = config::Source::from_flags(
        args.config.config.as_deref(),
        args.config.no_config,
        &args.roots,
    );
    let config = match config::load(&source, &loader.sources) {
        Ok(c) => c,
        Err(d) => return super::build::report(&[d], &loader),
    };
    let settings = match Settings::new(
        &config.lint,
        args.policy.as_deref(),
        &args.enable,
        &args.disable,
    ) {
        Ok(s) => s,
        Err(d) => return super::build::report(&[d], &loader),
    };
    let selection = &settings.run;
    let wanted = args
        .kubernetes_version
        .as_deref()
        .or(config.lint.kubernetes_version.as_deref())
        .or(config.validate.kubernetes_version.as_deref());
    let kubernetes_version =
        match crate::schema::target_version(wanted, "kit::lint::kubernetes-version") {
            Ok(v) => v,
            Err(d) => return super::build::report(&[d], &loader),
        };
    let restrictor = super::load_restrictor(args.load_restrictor);
    let builder =
        super::build::input_builder(loader.clone(), restrictor, &args.remote, &args.chart);
    // `.kit.yaml`'s policies, then the command line's.
    let policy_paths: Vec<std::path::PathBuf> = config
        .lint
        .admission_policies
        .iter()
        .chain(&args.admission_policy)
        .cloned()
        .collect();
    let admission = match lint::admission::load(&builder, &policy_paths) {
        Ok(a) => a,
        Err(errors) => return super::build::report(&errors, &loader),
    };
    let stdin = match super::stdin_for(&args.roots) {
        Ok(s) => s,
        Err(d) => return super::build::report(&[d], &loader),
    };
    // What to render: kustomizations and charts as named; files and plain directories
    // through the renders of their repository that read them, files that are not
    // Kubernetes objects skipped (src/resolve/scope.rs).
    let plan = scope::plan(
        &loader,
        &builder,
        &args.roots,
        stdin.as_deref(),
        config.lint.exclude.as_ref(),
    );
    super::build::print_warnings(&builder, &loader);
    if !plan.notes.is_empty() {
        let stderr = std::io::stderr();
        let mut err = stderr.lock();
        for note in &plan.notes {
            let _ = writeln!(err, "note: {note}");
        }
    }
    // Per piece: the objects, the findings, and the inputs that failed to load. A file that
    // fails to load is reported and flags the run (exit 2), but the other files of its
    // directory and the other roots are still linted and printed.
    let results: Vec<(Vec<ObjectRef>, Vec<Finding>, Vec<Diag>)> = plan
        .pieces
        .into_par_iter()
        .map(|piece| {
            let resources = piece.resources;
            let objects: Vec<ObjectRef> = resources.iter().map(ObjectRef::of).collect();
            let mut findings = lint::lint(&resources, selection, &kubernetes_version);
            findings.extend(admission.check(&resources));
            (objects, findings, piece.errors)
        })
        .collect();
    let mut objects = Vec::new();
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    for (o, f, e) in results {
        objects.extend(o);
        findings.push(f);
        errors.extend(e);
    }
    let findings: Vec<Finding> = findings.drain(..).flatten().collect();
    let mut findings = settings.apply(findings, &loader.sources);
    lint::sort_and_dedup(&mut findings, &loader.sources);

    let threshold = match args.fail_on {
        Some(FailOn::Error) => Severity::Error,
        Some(FailOn::Warning) => Severity::Warning,
        Some(FailOn::Info) => Severity::Info,
        None => config.lint.fail_on.unwrap_or(Severity::Error),
    };
    let text = match args.format {
        ReportFormat::Text => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            report::text(&findings, &loader.sources, color)
        }
        ReportFormat::Json => {
            let mut v = report::json(&findings, &loader.sources);
            v["errors"] = report::json_errors(&errors, &loader.sources);
            pretty(&v)
        }
        format => {
            let mut rules: Vec<&dyn RuleDoc> =
                registry().rules.iter().map(|r| r as &dyn RuleDoc).collect();
            rules.extend(admission.rules());
            let report = Report {
                tool: "kit-lint",
                objects: &objects,
                findings: &findings,
                rules: &rules,
                fail_at: threshold,
                sources: &loader.sources,
                errors: &errors,
            };
            report.machine(format)
        }
    };
    if print(&text) == ExitStatus::InputError {
        return ExitStatus::InputError;
    }
    if !errors.is_empty() {
        return super::build::report(&errors, &loader);
    }
    if findings.iter().any(|f| f.severity >= threshold) {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    }
}

/// What the machine-readable formats shared by `kit lint` and `kit validate` print from.
pub(super) struct Report<'a> {
    /// Names the tool in JUnit suites and Checkstyle sources.
    pub tool: &'static str,
    /// Every object checked (for the per-object formats: JUnit, TAP).
    pub objects: &'a [ObjectRef],
    pub findings: &'a [Finding],
    /// The registry the findings' rules come from (SARIF lists it).
    pub rules: &'a [&'a dyn RuleDoc],
    /// The severity that fails the run (failed JUnit cases, `not ok` TAP points).
    pub fail_at: Severity,
    pub sources: &'a crate::source::SourceMap,
    /// Inputs that could not be read or rendered (exit 2): every machine format reports them.
    pub errors: &'a [Diag],
}

impl Report<'_> {
    /// SARIF, GitHub, JUnit, Checkstyle or TAP (text and JSON carry command-specific
    /// summaries and are printed by each command).
    pub fn machine(&self, format: ReportFormat) -> String {
        match format {
            ReportFormat::Sarif => pretty(&report::sarif(
                self.findings,
                self.errors,
                self.rules,
                self.sources,
                &crate::source::repository_root(std::path::Path::new(".")),
            )),
            ReportFormat::Github => report::github(
                self.findings,
                self.errors,
                self.sources,
                &crate::source::repository_root(std::path::Path::new(".")),
            ),
            ReportFormat::Junit => report::junit(
                self.tool,
                self.objects,
                self.findings,
                self.errors,
                self.fail_at,
                self.sources,
            ),
            ReportFormat::Checkstyle => {
                report::checkstyle(self.tool, self.findings, self.errors, self.sources)
            }
            ReportFormat::Tap => report::tap(
                self.objects,
                self.findings,
                self.errors,
                self.fail_at,
                self.sources,
            ),
            ReportFormat::Concise => report::concise(self.findings, self.sources),
            ReportFormat::Text | ReportFormat::Json => {
                pretty(&report::json(self.findings, self.sources))
            }
        }
    }
}

pub(super) fn pretty(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

pub fn rules(args: &RulesArgs) -> ExitStatus {
    let loader = Loader::new();
    if let Err(status) = registry_ok(&loader) {
        return status;
    }
    if args.validate {
        return print(&validation_checks(args.format));
    }
    let text = match args.format {
        RulesFormat::Table => docs::table(),
        RulesFormat::Markdown => docs::markdown(),
        RulesFormat::Json => pretty(&serde_json::Value::Array(
            registry()
                .rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "name": r.name,
                        "severity": report::severity_name(r.severity),
                        "category": r.category,
                        "enabled": r.enabled,
                        "summary": r.summary,
                        "kube-score": r.kube_score,
                        "kube-linter": r.kube_linter,
                    })
                })
                .collect(),
        )),
    };
    print(&text)
}

/// `kit rules --validate`: the validation checks (a table, or JSON; markdown as the table).
fn validation_checks(format: RulesFormat) -> String {
    let checks = &crate::validate::registry::registry().checks;
    if format == RulesFormat::Json {
        return pretty(&serde_json::Value::Array(
            checks
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "id": c.id,
                        "name": c.name,
                        "severity": report::severity_name(c.severity),
                        "category": c.category,
                        "summary": c.summary,
                    })
                })
                .collect(),
        ));
    }
    let w_name = checks.iter().map(|c| c.name.len()).max().unwrap_or(4);
    let mut s = format!(
        "{:<11} {:<w_name$} {:<8} {:<13} SUMMARY\n",
        "ID", "NAME", "SEVERITY", "CATEGORY"
    );
    for c in checks {
        s.push_str(&format!(
            "{:<11} {:<w_name$} {:<8} {:<13} {}\n",
            c.id,
            c.name,
            report::severity_name(c.severity),
            c.category,
            c.summary
        ));
    }
    s
}

pub fn explain(args: &ExplainArgs) -> ExitStatus {
    let loader = Loader::new();
    if let Err(status) = registry_ok(&loader) {
        return status;
    }
    if let Some(check) = crate::validate::registry::registry().find(&args.rule) {
        return print(&(super::validate::explain(check) + "\n"));
    }
    match registry().find(&args.rule) {
        Some(rule) => print(&(docs::explain(rule) + "\n")),
        None => {
            let d = Diag::error(
                "kit::lint::unknown-rule",
                format!("unknown rule `{}`", args.rule),
            )
            .help("`kit rules` lists every lint rule id and name; validation checks are listed in the README (kit validate)");
            super::build::report(&[d], &loader)
        }
    }
}
