//! `kit lint`, `kit rules`, `kit explain`: render roots, run the selected rules, print.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use rayon::prelude::*;

use crate::cli::{ExplainArgs, FailOn, LintArgs, ReportFormat, Restrictor, RulesArgs, RulesFormat};
use crate::diag::{Diag, ExitStatus, Severity};
use crate::lint::{self, docs, policy, registry, Finding};
use crate::load::Loader;
use crate::report::{self, RuleDoc};
use crate::resolve::{Builder, LoadRestrictor};

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
    let selection = match policy::resolve(args.policy.as_deref(), &args.enable, &args.disable) {
        Ok(s) => s,
        Err(d) => return super::build::report(&[d], &loader),
    };
    let restrictor = match args.load_restrictor {
        Restrictor::RootOnly => LoadRestrictor::RootOnly,
        Restrictor::None => LoadRestrictor::None,
    };
    let builder = Builder::new(loader.clone(), restrictor);
    let admission = match lint::admission::load(&builder, &args.admission_policy) {
        Ok(a) => a,
        Err(errors) => return super::build::report(&errors, &loader),
    };
    let stdin = match super::stdin_for(&args.roots) {
        Ok(s) => s,
        Err(d) => return super::build::report(&[d], &loader),
    };
    let results: Vec<_> = args
        .roots
        .par_iter()
        .map(|root| {
            // A plain directory is one render made of its files, each read on its own: a
            // repository of unrelated manifests may define an object twice, which `kit build`
            // refuses but lint need not (cross-resource rules still see every file).
            let mut resources = Vec::new();
            for input in builder.inputs(root)? {
                resources.extend(builder.build_input(&input, stdin.as_deref())?.0);
            }
            let mut findings = lint::lint(&resources, &selection);
            findings.extend(admission.check(&resources));
            Ok(findings)
        })
        .collect::<Vec<Result<Vec<Finding>, Diag>>>();
    // A root that fails to load is reported and flags the run (exit 2), but the other
    // roots are still linted and printed.
    let errors: Vec<Diag> = results
        .iter()
        .filter_map(|r| r.as_ref().err().cloned())
        .collect();
    let mut findings: Vec<Finding> = results.into_iter().flatten().flatten().collect();
    lint::sort_and_dedup(&mut findings, &loader.sources);

    let text = match args.format {
        ReportFormat::Text => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            report::text(&findings, &loader.sources, color)
        }
        ReportFormat::Json => pretty(&report::json(&findings, &loader.sources)),
        ReportFormat::Sarif => {
            let mut rules: Vec<&dyn RuleDoc> =
                registry().rules.iter().map(|r| r as &dyn RuleDoc).collect();
            rules.extend(admission.rules());
            pretty(&report::sarif(&findings, &rules, &loader.sources))
        }
        ReportFormat::Github => report::github(&findings, &loader.sources),
    };
    if print(&text) == ExitStatus::InputError {
        return ExitStatus::InputError;
    }
    if !errors.is_empty() {
        return super::build::report(&errors, &loader);
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    if findings.iter().any(|f| f.severity >= threshold) {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
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
