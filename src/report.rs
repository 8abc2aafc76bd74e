//! Findings and how they are printed, shared by `kit lint` and `kit validate`: text (miette
//! diagnostics with the source snippet), JSON, SARIF 2.1.0, GitHub Actions workflow
//! commands, JUnit XML, Checkstyle XML and TAP. Every format prints findings in the order
//! given; the per-object formats (JUnit, TAP) list objects in the order given too.

use std::path::Path;

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
    /// The identity of a resource, located at its document.
    pub fn of(res: &crate::model::Resource) -> Self {
        ObjectRef {
            api_version: res.node.get_str("apiVersion").unwrap_or("").to_string(),
            kind: res.kind().to_string(),
            namespace: res.namespace().to_string(),
            name: res.name().to_string(),
            origin: res.node.origin,
        }
    }

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
    // One file read by several renders (a base under two overlays, each rendered with a
    // loader of its own) has several ids: the same place is the same path and span.
    let same_place = |a: Option<Origin>, b: Option<Origin>| match (a, b) {
        (Some(a), Some(b)) => {
            a == b
                || (a.start == b.start
                    && a.end == b.end
                    && match (sources.get(a.file), sources.get(b.file)) {
                        (Some(x), Some(y)) => x.display == y.display,
                        _ => false,
                    })
        }
        (a, b) => a == b,
    };
    findings.dedup_by(|a, b| {
        a.rule.id() == b.rule.id() && a.message == b.message && same_place(a.origin, b.origin)
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

/// Input errors for the JSON output: code, message, help and where (as findings are).
pub fn json_errors(errors: &[Diag], sources: &SourceMap) -> Value {
    Value::Array(
        errors
            .iter()
            .map(|d| {
                let mut v = json!({ "code": d.code, "message": d.message });
                if let Some(help) = &d.help {
                    v["help"] = help.clone().into();
                }
                let (file, region) = error_place(d, sources);
                if let Some(file) = file {
                    v["file"] = file.into();
                }
                if let Some((line, col)) = region {
                    v["line"] = line.into();
                    v["column"] = col.into();
                }
                v
            })
            .collect(),
    )
}

/// Where an input error is, as the text formats name files (findings' `place`): the file of
/// its span with the line and column, else the path it names, else nothing (stdin).
fn error_place(d: &Diag, sources: &SourceMap) -> (Option<String>, Option<(usize, usize)>) {
    match d.origin.and_then(|o| Some((o, sources.get(o.file)?))) {
        Some((o, file)) => (
            Some(file.display.clone()),
            Some(file.line_col(o.start as usize)),
        ),
        None => (d.path.clone(), None),
    }
}

/// `file:line:col`, `file` or `-` for an input error.
fn error_place_text(d: &Diag, sources: &SourceMap) -> String {
    match error_place(d, sources) {
        (Some(file), Some((line, col))) => format!("{file}:{line}:{col}"),
        (Some(file), None) => file,
        (None, _) => "-".to_string(),
    }
}

/// Where code scanning should show something: the file's path relative to the repository
/// root (`/`-separated, never absolute: GitHub resolves it against the checkout), and the
/// line and column when the span indexes that file. `None` for stdin and text that is no
/// file's (the message still names the object).
fn repository_place(
    origin: Option<Origin>,
    path: Option<&str>,
    sources: &SourceMap,
    root: &Path,
) -> Option<(String, Option<(usize, usize)>)> {
    let (file, region) = match origin.and_then(|o| Some((o, sources.get(o.file)?))) {
        Some((o, source)) => {
            let (disk, exact) = crate::source::file_on_disk(&source)?;
            (disk, exact.then(|| source.line_col(o.start as usize)))
        }
        None => {
            let p = std::path::PathBuf::from(path?);
            if !p.exists() {
                return None;
            }
            (p, None)
        }
    };
    Some((crate::source::relative_to(&file, root), region))
}

/// A relative URI reference for a `/`-separated path: every byte but unreserved characters
/// and `/` percent-encoded (RFC 3986).
fn uri_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn sarif_locations(place: Option<(String, Option<(usize, usize)>)>) -> Option<Value> {
    let (file, region) = place?;
    let mut physical = json!({
        "artifactLocation": { "uri": uri_path(&file), "uriBaseId": "%SRCROOT%" },
    });
    if let Some((line, col)) = region {
        physical["region"] = json!({ "startLine": line, "startColumn": col });
    }
    Some(json!([{ "physicalLocation": physical }]))
}

/// The page `informationUri` points at: the package's homepage in Cargo.toml, when it has one
/// (a placeholder is worse than nothing: code scanning links it).
pub fn information_uri() -> Option<&'static str> {
    option_env!("CARGO_PKG_HOMEPAGE").filter(|u| u.starts_with("https://"))
}

/// An input error's message with its help, for formats that have one text field.
fn error_text(d: &Diag) -> String {
    match &d.help {
        Some(help) => format!("{} ({help})", d.message),
        None => d.message.clone(),
    }
}

/// SARIF 2.1.0; `rules` is the registry the findings' rules come from. `errors` are the
/// inputs that could not be read or rendered (exit 2): each is a result at its place, under
/// a rule named by its code, and a tool execution notification, and the run is marked
/// unsuccessful. Paths are relative to `root`, the repository root.
pub fn sarif(
    findings: &[Finding],
    errors: &[Diag],
    rules: &[&dyn RuleDoc],
    sources: &SourceMap,
    root: &Path,
) -> Value {
    let mut rules: Vec<Value> = rules
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
    let mut results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut v = json!({
                "ruleId": f.rule.id(),
                "level": sarif_level(f.severity),
                "message": { "text": format!("{} ({})", f.message, f.object.describe()) },
            });
            if let Some(locations) =
                sarif_locations(repository_place(f.origin, None, sources, root))
            {
                v["locations"] = locations;
            }
            v
        })
        .collect();
    let mut codes = std::collections::BTreeSet::new();
    let mut notifications = Vec::new();
    for d in errors {
        let locations =
            sarif_locations(repository_place(d.origin, d.path.as_deref(), sources, root));
        let mut result = json!({
            "ruleId": d.code,
            "level": sarif_level(d.severity),
            "message": { "text": error_text(d) },
        });
        let mut notification = json!({
            "descriptor": { "id": d.code },
            "level": sarif_level(d.severity),
            "message": { "text": error_text(d) },
        });
        if let Some(locations) = locations {
            result["locations"] = locations.clone();
            notification["locations"] = locations;
        }
        results.push(result);
        notifications.push(notification);
        codes.insert(d.code);
    }
    rules.extend(codes.into_iter().map(|code| {
        json!({
            "id": code,
            "name": code,
            "shortDescription": { "text": "kit could not read or render an input" },
            "defaultConfiguration": { "level": "error" },
            "properties": { "category": "input" },
        })
    }));
    let mut driver = json!({
        "name": "kit",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    });
    if let Some(uri) = information_uri() {
        driver["informationUri"] = uri.into();
    }
    let invocation = json!({
        "executionSuccessful": errors.is_empty(),
        "toolExecutionNotifications": notifications,
    });
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "invocations": [invocation],
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

/// GitHub Actions workflow commands (`::error file=...,line=...::message`), one per line:
/// the findings, then the inputs that could not be read or rendered. GitHub resolves `file`
/// against the repository root, so paths are relative to `root`.
pub fn github(findings: &[Finding], errors: &[Diag], sources: &SourceMap, root: &Path) -> String {
    let escape_data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let escape_prop = |s: &str| escape_data(s).replace(':', "%3A").replace(',', "%2C");
    let command = |severity: Severity,
                   place: Option<(String, Option<(usize, usize)>)>,
                   title: &str,
                   message: &str| {
        let level = match severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some((file, region)) = place {
            props.push(format!("file={}", escape_prop(&file)));
            if let Some((line, col)) = region {
                props.push(format!("line={line}"));
                props.push(format!("col={col}"));
            }
        }
        props.push(format!("title={}", escape_prop(title)));
        format!("::{level} {}::{}\n", props.join(","), escape_data(message))
    };
    let mut out = String::new();
    for f in findings {
        out.push_str(&command(
            f.severity,
            repository_place(f.origin, None, sources, root),
            &format!("{} {}", f.rule.id(), f.rule.name()),
            &format!("{} ({})", f.message, f.object.describe()),
        ));
    }
    for d in errors {
        out.push_str(&command(
            d.severity,
            repository_place(d.origin, d.path.as_deref(), sources, root),
            d.code,
            &error_text(d),
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

/// The objects a run checked, in order, each once (a base rendered by two overlays is one
/// object), then every object a finding names that is not among them.
fn checked_objects<'a>(objects: &'a [ObjectRef], findings: &'a [Finding]) -> Vec<&'a ObjectRef> {
    let mut seen = std::collections::HashSet::new();
    objects
        .iter()
        .chain(findings.iter().map(|f| &f.object))
        .filter(|o| seen.insert(*o))
        .collect()
}

/// Findings grouped by the object they are about.
fn findings_by_object(
    findings: &[Finding],
) -> std::collections::HashMap<&ObjectRef, Vec<&Finding>> {
    let mut map: std::collections::HashMap<&ObjectRef, Vec<&Finding>> = Default::default();
    for f in findings {
        map.entry(&f.object).or_default().push(f);
    }
    map
}

/// The file an object came from, for grouping (`-` when it has no file, e.g. generated).
fn object_file(o: &ObjectRef, sources: &SourceMap) -> String {
    o.origin
        .and_then(|origin| sources.get(origin.file))
        .map(|f| f.display.clone())
        .unwrap_or_else(|| "-".to_string())
}

/// `file:line:col` of a finding, or the empty string.
fn place_text(f: &Finding, sources: &SourceMap) -> String {
    place(f, sources)
        .map(|(file, line, col)| format!("{file}:{line}:{col}"))
        .unwrap_or_default()
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            // XML 1.0 cannot carry other control characters, even escaped.
            c if (c as u32) < 0x20 && c != '\t' && c != '\r' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML, as CI systems (GitLab, Jenkins, Azure, CircleCI) display test reports: a test
/// suite per source file, a passing test case per object without findings, and a test case
/// per finding, failed when its severity reaches `fail_at` (as the exit code does) and
/// passing with the finding in `system-out` otherwise. An input that could not be read or
/// rendered (exit 2) is a test case with an `error` (JUnit's "could not run", apart from a
/// failure) in the suite of its file.
pub fn junit(
    tool: &str,
    objects: &[ObjectRef],
    findings: &[Finding],
    errors: &[Diag],
    fail_at: Severity,
    sources: &SourceMap,
) -> String {
    let by_object = findings_by_object(findings);
    // Suites in first-seen file order.
    let mut suites: Vec<(String, Vec<String>, usize)> = Vec::new();
    for object in checked_objects(objects, findings) {
        let file = object_file(object, sources);
        let index = match suites.iter().position(|(f, _, _)| *f == file) {
            Some(i) => i,
            None => {
                suites.push((file.clone(), Vec::new(), 0));
                suites.len() - 1
            }
        };
        let suite = &mut suites[index];
        let classname = xml_escape(&format!("{tool}.{}", file));
        let name = xml_escape(&object.describe());
        match by_object.get(object) {
            None => suite.1.push(format!(
                "    <testcase classname=\"{classname}\" name=\"{name}\"/>\n"
            )),
            Some(list) => {
                for f in list {
                    let case_name =
                        xml_escape(&format!("{}: {}", object.describe(), f.rule.name()));
                    let body = xml_escape(&format!(
                        "{} {} {}\n{}\n{}",
                        place_text(f, sources),
                        severity_name(f.severity),
                        f.rule.id(),
                        f.message,
                        f.rule
                            .fix()
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ")
                    ));
                    if f.severity >= fail_at {
                        suite.2 += 1;
                        suite.1.push(format!(
                            "    <testcase classname=\"{classname}\" name=\"{case_name}\">\n      <failure message=\"{}\" type=\"{}\">{body}</failure>\n    </testcase>\n",
                            xml_escape(&f.message),
                            xml_escape(f.rule.id()),
                        ));
                    } else {
                        suite.1.push(format!(
                            "    <testcase classname=\"{classname}\" name=\"{case_name}\">\n      <system-out>{body}</system-out>\n    </testcase>\n"
                        ));
                    }
                }
            }
        }
    }
    // Input errors, each in its file's suite: (file, cases, failures, errors).
    let mut suites: Vec<(String, Vec<String>, usize, usize)> = suites
        .into_iter()
        .map(|(file, cases, failed)| (file, cases, failed, 0))
        .collect();
    for d in errors {
        let file = error_place(d, sources).0.unwrap_or_else(|| "-".to_string());
        let index = match suites.iter().position(|s| s.0 == file) {
            Some(i) => i,
            None => {
                suites.push((file.clone(), Vec::new(), 0, 0));
                suites.len() - 1
            }
        };
        let suite = &mut suites[index];
        suite.3 += 1;
        suite.1.push(format!(
            "    <testcase classname=\"{}\" name=\"{}\">\n      <error message=\"{}\" type=\"{}\">{}</error>\n    </testcase>\n",
            xml_escape(&format!("{tool}.{file}")),
            xml_escape(&format!("input error: {}", d.code)),
            xml_escape(&d.message),
            xml_escape(d.code),
            xml_escape(&format!("{} error {}\n{}", error_place_text(d, sources), d.code, error_text(d))),
        ));
    }
    let tests: usize = suites.iter().map(|s| s.1.len()).sum();
    let failures: usize = suites.iter().map(|s| s.2).sum();
    let error_count: usize = suites.iter().map(|s| s.3).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{error_count}\">\n",
        xml_escape(tool)
    ));
    for (file, cases, failed, errored) in &suites {
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"{errored}\">\n",
            xml_escape(file),
            cases.len()
        ));
        cases.iter().for_each(|c| out.push_str(c));
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Checkstyle XML (the format reviewdog, Jenkins' warnings plugin and many editors read):
/// one `file` element per file, in first-seen order, one `error` per finding, then one per
/// input that could not be read or rendered (exit 2), with its error code as the source.
pub fn checkstyle(
    tool: &str,
    findings: &[Finding],
    errors: &[Diag],
    sources: &SourceMap,
) -> String {
    let mut files: Vec<(String, String)> = Vec::new();
    for f in findings {
        let (file, line, col) =
            place(f, sources).unwrap_or_else(|| (object_file(&f.object, sources), 0, 0));
        let entry = format!(
            "    <error line=\"{line}\" column=\"{col}\" severity=\"{}\" message=\"{}\" source=\"{}.{}\"/>\n",
            severity_name(f.severity),
            xml_escape(&format!("{} ({})", f.message, f.object.describe())),
            xml_escape(tool),
            xml_escape(f.rule.id()),
        );
        match files.iter_mut().find(|(name, _)| *name == file) {
            Some((_, body)) => body.push_str(&entry),
            None => files.push((file, entry)),
        }
    }
    for d in errors {
        let (file, region) = error_place(d, sources);
        let file = file.unwrap_or_else(|| "-".to_string());
        let (line, col) = region.unwrap_or((0, 0));
        let entry = format!(
            "    <error line=\"{line}\" column=\"{col}\" severity=\"error\" message=\"{}\" source=\"{}.{}\"/>\n",
            xml_escape(&error_text(d)),
            xml_escape(tool),
            xml_escape(d.code),
        );
        match files.iter_mut().find(|(name, _)| *name == file) {
            Some((_, body)) => body.push_str(&entry),
            None => files.push((file, entry)),
        }
    }
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for (file, body) in files {
        out.push_str(&format!(
            "  <file name=\"{}\">\n{body}  </file>\n",
            xml_escape(&file)
        ));
    }
    out.push_str("</checkstyle>\n");
    out
}

/// TAP version 13: one test point per object, `not ok` when one of its findings reaches
/// `fail_at`, with the findings in a YAML block; then a `not ok` point per input that could
/// not be read or rendered (exit 2).
pub fn tap(
    objects: &[ObjectRef],
    findings: &[Finding],
    errors: &[Diag],
    fail_at: Severity,
    sources: &SourceMap,
) -> String {
    let by_object = findings_by_object(findings);
    let checked = checked_objects(objects, findings);
    let mut out = format!("TAP version 13\n1..{}\n", checked.len() + errors.len());
    for (n, object) in checked.iter().enumerate() {
        let list = by_object.get(object).map(Vec::as_slice).unwrap_or(&[]);
        let ok = if list.iter().any(|f| f.severity >= fail_at) {
            "not ok"
        } else {
            "ok"
        };
        let file = object_file(object, sources);
        out.push_str(&format!(
            "{ok} {} - {file} {}\n",
            n + 1,
            object.describe().replace('#', "\\#")
        ));
        if list.is_empty() {
            continue;
        }
        out.push_str("  ---\n  findings:\n");
        for f in list {
            let quoted = |s: &str| serde_json::Value::from(s).to_string();
            out.push_str(&format!("    - rule: {}\n", quoted(f.rule.id())));
            out.push_str(&format!("      name: {}\n", quoted(f.rule.name())));
            out.push_str(&format!("      severity: {}\n", severity_name(f.severity)));
            out.push_str(&format!("      message: {}\n", quoted(&f.message)));
            if let Some((file, line, col)) = place(f, sources) {
                out.push_str(&format!(
                    "      at: {}\n",
                    quoted(&format!("{file}:{line}:{col}"))
                ));
            }
        }
        out.push_str("  ...\n");
    }
    let quoted = |s: &str| serde_json::Value::from(s).to_string();
    for (n, d) in errors.iter().enumerate() {
        out.push_str(&format!(
            "not ok {} - {} input error {}\n",
            checked.len() + n + 1,
            error_place(d, sources).0.unwrap_or_else(|| "-".to_string()),
            d.code.replace('#', "\\#")
        ));
        out.push_str("  ---\n");
        out.push_str(&format!("  code: {}\n", quoted(d.code)));
        out.push_str("  severity: error\n");
        out.push_str(&format!("  message: {}\n", quoted(&error_text(d))));
        out.push_str(&format!(
            "  at: {}\n",
            quoted(&error_place_text(d, sources))
        ));
        out.push_str("  ...\n");
    }
    out
}

/// One line per finding, for terminals and editors' problem matchers (ruff's `concise`,
/// kube-linter's one line): `path:line:col: severity rule-id: message [rule-name] (object)`;
/// a finding without a line gives the object's file (or `-`) alone.
pub fn concise(findings: &[Finding], sources: &SourceMap) -> String {
    let mut out = String::new();
    for f in findings {
        let at = match place(f, sources) {
            Some((file, line, col)) => format!("{file}:{line}:{col}"),
            None => object_file(&f.object, sources),
        };
        let message = f.message.split_whitespace().collect::<Vec<_>>().join(" ");
        out.push_str(&format!(
            "{at}: {} {}: {message} [{}] ({})\n",
            severity_name(f.severity),
            f.rule.id(),
            f.rule.name(),
            f.object.describe()
        ));
    }
    out
}
