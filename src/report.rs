//! Findings and how they are printed, shared by `kit lint` and `kit validate`: text (miette
//! diagnostics with the source snippet), JSON, SARIF 2.1.0 and GitHub Actions workflow
//! commands. Every format prints findings in the order given.

use serde_json::{json, Value};

use crate::diag::{Diag, Severity};
use crate::source::{Origin, SourceMap};

/// What a report says about the rule behind a finding. Lint rules and validation checks
/// each keep their own registry (data with docs); both describe themselves through this.
pub trait RuleDoc: Sync + Send + std::fmt::Debug {
    /// Stable identifier, e.g. `KIT-IMG001`.
    fn id(&self) -> &str;
    /// Stable kebab-case name, e.g. `image-tag-latest`.
    fn name(&self) -> &str;
    /// One line: what the rule finds.
    fn summary(&self) -> &str;
    fn why(&self) -> &str;
    fn fix(&self) -> &str;
    fn category(&self) -> &str;
    fn severity(&self) -> Severity;
}

/// One finding: a rule, an object, a message and a location.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static dyn RuleDoc,
    pub severity: Severity,
    pub message: String,
    pub origin: Option<Origin>,
    /// `apiVersion`, `kind`, `namespace`, `name` of the object.
    pub object: ObjectRef,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ObjectRef {
    pub api_version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// Where the object's document starts.
    pub origin: Option<Origin>,
}

impl ObjectRef {
    pub fn describe(&self) -> String {
        if self.namespace.is_empty() {
            format!("{}/{}", self.kind, self.name)
        } else {
            format!("{}/{} in {}", self.kind, self.name, self.namespace)
        }
    }
}

/// Stable order (file path, position, rule id, message) and no repeats: a base checked
/// through two overlays reports once per place.
pub fn sort_and_dedup(findings: &mut Vec<Finding>, sources: &SourceMap) {
    findings.sort_by_cached_key(|f| {
        let place = match f.origin {
            Some(o) => (
                0,
                sources
                    .get(o.file)
                    .map(|s| s.display.clone())
                    .unwrap_or_default(),
                o.start,
            ),
            None => (1, String::new(), 0),
        };
        (place, f.rule.id().to_string(), f.message.clone())
    });
    findings.dedup_by(|a, b| {
        a.rule.id() == b.rule.id() && a.origin == b.origin && a.message == b.message
    });
}

pub fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// `(file, line, column)` of a finding, when it has a location.
fn place(f: &Finding, sources: &SourceMap) -> Option<(String, usize, usize)> {
    let o = f.origin?;
    let file = sources.get(o.file)?;
    let (line, col) = file.line_col(o.start as usize);
    Some((file.display.clone(), line, col))
}

/// The finding as a diagnostic, for the text output.
pub fn to_diag(f: &Finding) -> Diag {
    let rule: &'static dyn RuleDoc = f.rule;
    let help = rule.fix().split_whitespace().collect::<Vec<_>>().join(" ");
    Diag {
        code: rule.id(),
        severity: f.severity,
        message: format!(
            "{} [{}] ({})",
            f.message,
            f.rule.name(),
            f.object.describe()
        ),
        origin: f.origin,
        label: Some(f.rule.summary().to_string()),
        help: Some(format!("{help} (kit explain {})", f.rule.id())),
        path: None,
    }
}

/// Counts by severity: (errors, warnings, infos).
pub fn counts(findings: &[Finding]) -> (usize, usize, usize) {
    let n = |s| findings.iter().filter(|f| f.severity == s).count();
    (n(Severity::Error), n(Severity::Warning), n(Severity::Info))
}

pub fn summary_line(findings: &[Finding]) -> String {
    let (e, w, i) = counts(findings);
    if findings.is_empty() {
        "no findings".to_string()
    } else {
        format!(
            "{} finding{}: {e} error{}, {w} warning{}, {i} info",
            findings.len(),
            if findings.len() == 1 { "" } else { "s" },
            if e == 1 { "" } else { "s" },
            if w == 1 { "" } else { "s" },
        )
    }
}

pub fn json(findings: &[Finding], sources: &SourceMap) -> Value {
    let items: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut v = json!({
                "rule": f.rule.id(),
                "name": f.rule.name(),
                "severity": severity_name(f.severity),
                "category": f.rule.category(),
                "message": f.message,
                "object": {
                    "apiVersion": f.object.api_version,
                    "kind": f.object.kind,
                    "namespace": f.object.namespace,
                    "name": f.object.name,
                },
            });
            if let Some((file, line, col)) = place(f, sources) {
                v["file"] = file.into();
                v["line"] = line.into();
                v["column"] = col.into();
            }
            v
        })
        .collect();
    let (e, w, i) = counts(findings);
    json!({
        "findings": items,
        "summary": { "total": findings.len(), "error": e, "warning": w, "info": i },
    })
}

/// SARIF 2.1.0; `rules` is the registry the findings' rules come from.
pub fn sarif(findings: &[Finding], rules: &[&dyn RuleDoc], sources: &SourceMap) -> Value {
    let rules: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id(),
                "name": r.name(),
                "shortDescription": { "text": r.summary() },
                "fullDescription": { "text": r.why() },
                "help": { "text": r.fix() },
                "defaultConfiguration": { "level": sarif_level(r.severity()) },
                "properties": { "category": r.category() },
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut v = json!({
                "ruleId": f.rule.id(),
                "level": sarif_level(f.severity),
                "message": { "text": format!("{} ({})", f.message, f.object.describe()) },
            });
            if let Some((file, line, col)) = place(f, sources) {
                v["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": { "uri": file },
                        "region": { "startLine": line, "startColumn": col },
                    }
                }]);
            }
            v
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "kit",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/kit",
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// GitHub Actions workflow commands (`::error file=...,line=...::message`), one per line.
pub fn github(findings: &[Finding], sources: &SourceMap) -> String {
    let escape_data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let escape_prop = |s: &str| escape_data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for f in findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some((file, line, col)) = place(f, sources) {
            props.push(format!("file={}", escape_prop(&file)));
            props.push(format!("line={line}"));
            props.push(format!("col={col}"));
        }
        props.push(format!(
            "title={}",
            escape_prop(&format!("{} {}", f.rule.id(), f.rule.name()))
        ));
        out.push_str(&format!(
            "::{level} {}::{}\n",
            props.join(","),
            escape_data(&format!("{} ({})", f.message, f.object.describe()))
        ));
    }
    out
}

/// Text output: one miette diagnostic per finding, then a summary line.
pub fn text(findings: &[Finding], sources: &SourceMap, color: bool) -> String {
    let mut out = text_findings(findings, sources, color);
    out.push_str(&summary_line(findings));
    out.push('\n');
    out
}

/// One miette diagnostic per finding.
pub fn text_findings(findings: &[Finding], sources: &SourceMap, color: bool) -> String {
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    for f in findings {
        let report = to_diag(f).to_report(sources);
        if handler.render_report(&mut out, report.as_ref()).is_err() {
            out.push_str(&to_diag(f).one_line(sources));
        }
        out.push('\n');
    }
    out
}
