//! `kit validate`: resolve inputs (files, plain directories file by file, kustomizations,
//! stdin), gather CRDs, validate every input in parallel, print findings in a stable order.

use std::fmt::Write as _;
use std::io::{IsTerminal, Read};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::lint::{pretty, print, Report};
use crate::cli::{ReportFormat, ValidateArgs};
use crate::diag::{Diag, ExitStatus, Severity};
use crate::load::Loader;
use crate::model::Resource;
use crate::report::{self, Finding, ObjectRef, RuleDoc};
use crate::resolve::{Builder, Input};
use crate::schema;
use crate::validate::registry::{self, CheckDoc};
use crate::validate::{CrdSet, Options, Stats, Validator};

pub fn run(args: &ValidateArgs) -> ExitStatus {
    let source = crate::config::Source::from_flags(
        args.config.config.as_deref(),
        args.config.no_config,
        &args.roots,
    );
    // The file is read before the loader is made: `strict` decides which loader it is.
    let config_loader = Loader::new();
    let config = match crate::config::load(&source, &config_loader.sources) {
        Ok(c) => c.validate,
        Err(d) => return super::build::report(&[d], &config_loader),
    };
    // Flags win over `.kit.yaml`.
    let strict = if args.no_strict || args.strict {
        args.strict
    } else {
        config.strict.unwrap_or(true)
    };
    // Strict: a repeated key is a finding (the rest of the file is still validated);
    // otherwise the last value wins, as the API server decodes without strict validation.
    let loader = Arc::new(if strict {
        Loader::recording()
    } else {
        Loader::lenient()
    });
    if let Some(d) = registry::registry_error() {
        return super::build::report(std::slice::from_ref(d), &loader);
    }
    let wanted = args
        .kubernetes_version
        .as_deref()
        .or(config.kubernetes_version.as_deref());
    let version = match schema::target_version(wanted, "kit::validate::kubernetes-version") {
        Ok(v) => v,
        Err(d) => return super::build::report(&[d], &loader),
    };
    let restrictor = super::load_restrictor(args.load_restrictor);
    let builder =
        super::build::input_builder(loader.clone(), restrictor, &args.remote, &args.chart);
    let stdin = if args.roots.iter().any(|r| r == Path::new("-")) {
        let mut s = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut s) {
            let d = Diag::error("kit::load::stdin", format!("cannot read stdin: {e}"));
            return super::build::report(&[d], &loader);
        }
        Some(s)
    } else {
        None
    };

    let options = Options {
        strict,
        ignore_missing_schemas: args.ignore_missing_schemas
            || config.ignore_missing_schemas.unwrap_or(false),
    };
    let crd_paths: Vec<std::path::PathBuf> =
        config.crds.iter().chain(&args.crds).cloned().collect();
    // Never dropped: the process ends after the report, and freeing every node of a large
    // input one by one would only delay that (by milliseconds for a few megabytes).
    let outcome = std::mem::ManuallyDrop::new(validate_roots(
        &builder,
        &args.roots,
        &crd_paths,
        stdin.as_deref(),
        &version,
        &options,
    ));
    super::build::print_warnings(&builder, &loader);
    let mut errors = outcome.errors.clone();
    let mut stats = Stats::default();
    let mut findings: Vec<Finding> = outcome.crd_findings.clone();
    for input in &outcome.inputs {
        findings.extend(input.findings.iter().cloned());
        stats.add(input.stats);
        if let Some(d) = &input.error {
            errors.push(d.clone());
        }
    }
    report::sort_and_dedup(&mut findings, &loader.sources);
    let inputs = &outcome.inputs;

    let rules: Vec<&dyn RuleDoc> = registry::registry()
        .checks
        .iter()
        .map(|c| c as &dyn RuleDoc)
        .collect();
    let text = match args.format {
        ReportFormat::Text => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let mut out = report::text_findings(&findings, &loader.sources, color);
            if args.summary {
                out.push_str(&summary_line(&findings, stats, inputs.len(), &version));
                out.push('\n');
            }
            out
        }
        ReportFormat::Json => {
            let mut v = report::json(&findings, &loader.sources);
            v["summary"]["resources"] = stats.resources.into();
            v["summary"]["invalid"] = stats.invalid.into();
            v["summary"]["skipped"] = stats.skipped.into();
            v["summary"]["inputs"] = inputs.len().into();
            v["summary"]["kubernetesVersion"] = version.clone().into();
            v["summary"]["inputErrors"] = errors.len().into();
            pretty(&v)
        }
        format => {
            let objects: Vec<ObjectRef> = inputs
                .iter()
                .flat_map(|i| i.resources.iter().map(ObjectRef::of))
                .collect();
            Report {
                tool: "kit-validate",
                objects: &objects,
                findings: &findings,
                rules: &rules,
                fail_at: Severity::Error,
                sources: &loader.sources,
                errors: &errors,
            }
            .machine(format)
        }
    };
    if print(&text) == ExitStatus::InputError {
        return ExitStatus::InputError;
    }
    if !errors.is_empty() {
        return super::build::report(&errors, &loader);
    }
    if findings.iter().any(|f| f.severity == Severity::Error) {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    }
}

/// What one input gave.
#[derive(Debug)]
pub struct InputOutcome {
    pub input: Input,
    /// The input could not be read or rendered.
    pub error: Option<Diag>,
    pub findings: Vec<Finding>,
    pub stats: Stats,
    /// The resources validated, as rendered, in order (the per-object reports, JUnit and
    /// TAP, list each).
    pub resources: Vec<Resource>,
}

/// A whole run: per input, in argument order, and the roots or CRD paths that failed.
#[derive(Debug, Default)]
pub struct Outcome {
    pub inputs: Vec<InputOutcome>,
    pub errors: Vec<Diag>,
    /// Findings on the CRDs of `--crd` files (validation rules that do not compile); the
    /// CRDs of the inputs have theirs among the input's findings.
    pub crd_findings: Vec<Finding>,
}

/// Resolves the roots into inputs, renders them in parallel (while the schemas of
/// Kubernetes `version`, one of [`schema::versions`], are compiled), gathers CRDs (from
/// `crd_paths` first, then from the inputs, in order: the first definition of a
/// group/version/kind wins) and validates every input in parallel.
pub fn validate_roots(
    builder: &Builder,
    roots: &[std::path::PathBuf],
    crd_paths: &[std::path::PathBuf],
    stdin: Option<&str>,
    version: &str,
    options: &Options,
) -> Outcome {
    let mut errors: Vec<Diag> = Vec::new();
    let mut expand = |paths: &[std::path::PathBuf]| {
        let mut out = Vec::new();
        for root in paths {
            match builder.inputs(root) {
                Ok(list) => out.extend(list),
                Err(d) => errors.push(d),
            }
        }
        out
    };
    let inputs = expand(roots);
    let crd_inputs = expand(crd_paths);
    let build = |input: &Input| builder.build_input(input, stdin);
    let ((rendered, crd_rendered), kubernetes) = rayon::join(
        || {
            let rendered: Vec<_> = inputs.par_iter().map(build).collect();
            let crd_rendered: Vec<_> = crd_inputs.par_iter().map(build).collect();
            (rendered, crd_rendered)
        },
        || schema::target(Some(version), "kit::validate::kubernetes-version"),
    );
    let kubernetes = match kubernetes {
        Ok(k) => k,
        Err(d) => {
            errors.push(d);
            return Outcome {
                errors,
                ..Outcome::default()
            };
        }
    };
    let mut crds = CrdSet::default();
    let all: Vec<_> = crd_rendered
        .iter()
        .chain(&rendered)
        .flatten()
        .flat_map(|(resources, _)| resources)
        .collect();
    crds.add_all(&all);
    let mut crd_findings = Vec::new();
    for res in crd_rendered.iter().flatten().flat_map(|r| &r.0) {
        for p in crds.rule_problems(res) {
            let rule = p.check.rule();
            crd_findings.push(Finding {
                rule,
                severity: rule.severity,
                message: p.message,
                origin: p.origin.or(res.node.origin),
                object: ObjectRef::of(res),
            });
        }
    }
    errors.extend(
        crd_rendered
            .iter()
            .filter_map(|r| r.as_ref().err().cloned()),
    );
    let validator = Validator::new(kubernetes, &crds, options, &builder.loader.sources);
    let results: Vec<(Vec<Finding>, Stats)> = rendered
        .par_iter()
        .map(|r| match r {
            Ok((resources, repeated)) => validator.validate_input(resources, repeated),
            Err(_) => (Vec::new(), Stats::default()),
        })
        .collect();
    let inputs = inputs
        .into_iter()
        .zip(rendered)
        .zip(results)
        .map(|((input, r), (findings, stats))| {
            let (resources, error) = match r {
                Ok((resources, _)) => (resources, None),
                Err(d) => (Vec::new(), Some(d)),
            };
            InputOutcome {
                input,
                error,
                findings,
                stats,
                resources,
            }
        })
        .collect();
    Outcome {
        inputs,
        errors,
        crd_findings,
    }
}

/// `validated 12 resources in 3 inputs (Kubernetes 1.33): 2 invalid, 1 skipped; 3 errors, 1 warning`
fn summary_line(findings: &[Finding], stats: Stats, inputs: usize, version: &str) -> String {
    let (e, w, _) = report::counts(findings);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "validated {} in {} (Kubernetes {version}): {} invalid, {} skipped; {}, {}",
        plural(stats.resources, "resource"),
        plural(inputs, "input"),
        stats.invalid,
        stats.skipped,
        plural(e, "error"),
        plural(w, "warning"),
    )
}

/// `kit explain` for a validation check.
pub fn explain(check: &CheckDoc) -> String {
    use crate::lint::docs::indent;
    let mut s = String::new();
    let _ = writeln!(s, "{} {}: {}", check.id, check.name, check.summary);
    let _ = writeln!(
        s,
        "severity: {}   category: {}   reported by: kit validate",
        report::severity_name(check.severity),
        check.category
    );
    let _ = writeln!(s, "\nWhy\n{}", indent(&check.why));
    let _ = writeln!(s, "\nHow to fix\n{}", indent(&check.fix));
    let _ = writeln!(s, "\nExample (flagged)\n{}", indent(&check.bad));
    let _ = write!(s, "Instead\n{}", indent(&check.good));
    s
}
