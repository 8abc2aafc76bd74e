//! One diagnostics type for every command: a code, a message, where (file and span), and what
//! to do about it. Rendered with miette (source snippet) for people, or as JSON for machines.

use std::fmt;
use std::sync::Arc;

use crate::source::{Origin, SourceMap};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// A problem found in the input, located at a span of a source file when one is known.
#[derive(Clone, Debug)]
pub struct Diag {
    /// Stable identifier, e.g. `kit::load::duplicate-key`.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub origin: Option<Origin>,
    /// Text for the label under the span.
    pub label: Option<String>,
    pub help: Option<String>,
    /// A path to name when there is no span (a missing file, a directory).
    pub path: Option<String>,
}

pub type Result<T, E = Diag> = std::result::Result<T, E>;

impl Diag {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diag {
            code,
            severity: Severity::Error,
            message: message.into(),
            origin: None,
            label: None,
            help: None,
            path: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diag {
            severity: Severity::Warning,
            ..Diag::error(code, message)
        }
    }

    pub fn at(mut self, origin: Option<Origin>) -> Self {
        if self.origin.is_none() {
            self.origin = origin;
        }
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// `file:line:col: message` (or `path: message`), for one-line output and tests.
    pub fn one_line(&self, sources: &SourceMap) -> String {
        match (self.origin, &self.path) {
            (Some(o), _) => format!("{}: {}", sources.describe(o), self.message),
            (None, Some(p)) => format!("{}: {}", p, self.message),
            (None, None) => self.message.clone(),
        }
    }

    /// A miette report with the source snippet attached.
    pub fn to_report(&self, sources: &SourceMap) -> miette::Report {
        let mut rendered = Rendered {
            code: self.code,
            severity: self.severity,
            message: self.one_line(sources),
            help: self.help.clone(),
            source: None,
            span: None,
            label: self.label.clone(),
        };
        if let Some(o) = self.origin {
            if let Some(file) = sources.get(o.file) {
                let len = (o.end.saturating_sub(o.start)) as usize;
                // Only the lines around the span: miette counts lines from the start of the
                // text it is given, which made a report per finding cost the whole file.
                let (start, end, first_line) =
                    file.window(o.start as usize, o.end as usize, SNIPPET_CONTEXT);
                rendered.source = Some(Arc::new(Window {
                    name: file.display.clone(),
                    text: file.text.clone(),
                    start,
                    end,
                    first_line,
                }));
                rendered.span = Some(miette::SourceSpan::new((o.start as usize).into(), len));
            }
        }
        miette::Report::new(rendered)
    }

    pub fn to_json(&self, sources: &SourceMap) -> serde_json::Value {
        let mut v = serde_json::json!({
            "code": self.code,
            "severity": match self.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Info => "info" },
            "message": self.message,
        });
        if let Some(o) = self.origin {
            if let Some(f) = sources.get(o.file) {
                let (line, col) = f.line_col(o.start as usize);
                v["file"] = f.display.clone().into();
                v["line"] = line.into();
                v["column"] = col.into();
            }
        } else if let Some(p) = &self.path {
            v["file"] = p.clone().into();
        }
        if let Some(h) = &self.help {
            v["help"] = h.clone().into();
        }
        v
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diag {}

/// Lines of context a snippet may show around its span (miette's handler shows fewer).
const SNIPPET_CONTEXT: usize = 8;

/// The lines of a source file around a span, for miette.
#[derive(Debug)]
struct Window {
    name: String,
    text: Arc<str>,
    /// Byte range of the window in `text`.
    start: usize,
    end: usize,
    /// 0-based line number of the window's first line.
    first_line: usize,
}

impl miette::SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let window = self.text.get(self.start..self.end).unwrap_or("");
        let offset = span.offset().saturating_sub(self.start).min(window.len());
        let len = span.len().min(window.len() - offset);
        let local = miette::SourceSpan::new(offset.into(), len);
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        let inner_span = inner.span();
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            miette::SourceSpan::new((inner_span.offset() + self.start).into(), inner_span.len()),
            inner.line() + self.first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

#[derive(Debug)]
struct Rendered {
    code: &'static str,
    severity: Severity,
    message: String,
    help: Option<String>,
    source: Option<Arc<Window>>,
    span: Option<miette::SourceSpan>,
    label: Option<String>,
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source
            .as_ref()
            .map(|s| s.as_ref() as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.span?;
        let label = self.label.clone().unwrap_or_else(|| "here".to_string());
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some(label), span),
        )))
    }
}

/// Process exit codes, as DESIGN.md lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    Success = 0,
    Findings = 1,
    InputError = 2,
    ClusterError = 3,
}

impl ExitStatus {
    /// `kit diff`'s error code. `diff` and `kubectl diff` exit 1 when they find differences
    /// and above 1 on trouble, so `kit diff` exits 0 (no change), 1 (changes) or 3 (any error,
    /// usage and input errors included).
    pub const DIFF_ERROR: ExitStatus = ExitStatus::ClusterError;
}

#[cfg(test)]
mod window_tests {
    use super::*;
    use crate::source::{Origin, SourceMap};

    /// A snippet read through the window is the snippet miette renders from the whole file:
    /// first line, last line without a newline, a span over several lines, deep in a file.
    #[test]
    fn window_renders_as_the_whole_file_does() {
        let mut text = String::new();
        for i in 0..40 {
            text.push_str(&format!("key{i}: value{i}\n"));
        }
        text.push_str("last: line");
        let sources = SourceMap::new();
        let file = sources.add(std::path::Path::new("f.yaml"), Arc::from(text.as_str()));
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        let spans = [
            (0, 4),
            (text.len() - 4, text.len()),
            (
                text.find("key20").unwrap_or(0),
                text.find("key23").unwrap_or(0),
            ),
            (
                text.find("value33").unwrap_or(0),
                text.find("value33").unwrap_or(0) + 7,
            ),
        ];
        for (start, end) in spans {
            let diag = Diag::error("kit::test", "m").at(Some(Origin::new(file, start, end)));
            let mut windowed = String::new();
            let report = diag.to_report(&sources);
            handler
                .render_report(&mut windowed, report.as_ref())
                .expect("render");
            let whole = miette::Report::new(Rendered {
                code: "kit::test",
                severity: Severity::Error,
                message: diag.one_line(&sources),
                help: None,
                source: Some(Arc::new(Window {
                    name: "f.yaml".into(),
                    text: Arc::from(text.as_str()),
                    start: 0,
                    end: text.len(),
                    first_line: 0,
                })),
                span: Some(miette::SourceSpan::new(start.into(), end - start)),
                label: None,
            });
            let mut full = String::new();
            handler
                .render_report(&mut full, whole.as_ref())
                .expect("render");
            assert_eq!(windowed, full, "span {start}..{end}");
        }
    }
}
