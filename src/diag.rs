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
                // Only the lines around the span: miette counts lines from the start of the
                // text it is given, which made a report per finding cost the whole file. Long
                // lines are cut around the span too (see [`Window::cut`]).
                let (start, end, first_line) =
                    file.window(o.start as usize, o.end as usize, SNIPPET_CONTEXT);
                let span = (o.start as usize, o.end as usize);
                let window = Window::cut(&file.display, &file.text, (start, end), first_line, span);
                rendered.span = Some(window.span);
                rendered.source = Some(Arc::new(window));
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

/// A snippet line longer than this (in characters) is cut to [`SNIPPET_COLUMNS`] around the
/// span. miette renders a whole line per finding (a finding on a 30,000-key flow line printed
/// the line again for each finding) and panics on a label past column 65,535.
const SNIPPET_MAX_LINE: usize = 240;
/// Characters of a cut line that are shown ...
const SNIPPET_COLUMNS: usize = 200;
/// ... of which this many before the span.
const SNIPPET_LEAD: usize = 80;
/// Marks where a cut line lost text.
const ELLIPSIS: &str = "…";

/// The lines of a source file around a span, long lines cut, for miette.
#[derive(Debug)]
struct Window {
    name: String,
    /// The lines, each at most about [`SNIPPET_COLUMNS`] characters.
    text: String,
    /// 0-based line number of the window's first line.
    first_line: usize,
    /// Per line of `text`: where its shown part starts in `text`, and how many bytes of the
    /// source line come before that part (for the columns miette prints).
    lines: Vec<LineCut>,
    /// The diagnostic's span, in `text`.
    span: miette::SourceSpan,
}

#[derive(Debug)]
struct LineCut {
    /// Byte offset in [`Window::text`] where the line's shown part starts.
    at: usize,
    /// Characters of the source line left out before the shown part (columns are counted in
    /// characters, as in the message's `file:line:col`; miette counts bytes).
    skipped: usize,
}

/// The lines of `text`, each with its line break: `\n`, `\r\n` or a lone `\r` (as YAML and
/// miette count lines).
fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = match memchr::memchr2(b'\n', b'\r', rest.as_bytes()) {
            Some(i) if rest[i..].starts_with("\r\n") => i + 2,
            Some(i) => i + 1,
            None => rest.len(),
        };
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(line)
    })
}

impl Window {
    /// The lines `range` (byte range of whole lines of `text`, the first being line
    /// `first_line`), each line longer than [`SNIPPET_MAX_LINE`] characters cut to a window of
    /// [`SNIPPET_COLUMNS`] around the span (or its start), with `…` where text was left out;
    /// `span` (bytes of `text`) is mapped into the cut text.
    fn cut(
        name: &str,
        text: &str,
        range: (usize, usize),
        first_line: usize,
        span: (usize, usize),
    ) -> Window {
        let window = text.get(range.0..range.1).unwrap_or("");
        let (span_start, span_end) = (
            span.0.saturating_sub(range.0).min(window.len()),
            span.1.saturating_sub(range.0).min(window.len()),
        );
        let mut out = String::with_capacity(window.len().min(64 * 1024));
        let mut lines = Vec::new();
        let (mut new_start, mut new_end) = (None, None);
        let mut line_start = 0;
        for line in lines_inclusive(window) {
            let content = line
                .strip_suffix("\r\n")
                .or_else(|| line.strip_suffix(['\n', '\r']))
                .unwrap_or(line);
            let line_end = line_start + line.len();
            // Only the characters near the span are counted, so that a finding on a line of
            // megabytes costs no more than one on a short line.
            let long =
                content.len() > SNIPPET_MAX_LINE && content.chars().nth(SNIPPET_MAX_LINE).is_some();
            let (from, to) = if !long {
                (0, content.len())
            } else {
                // Show the span's start if it is on this line, else its end, else the start.
                let mut focus = if (line_start..line_end).contains(&span_start) {
                    span_start - line_start
                } else if (line_start..line_end).contains(&span_end) {
                    span_end - line_start
                } else {
                    0
                }
                .min(content.len());
                while !content.is_char_boundary(focus) {
                    focus -= 1;
                }
                // `n` characters back from byte `at`, or forward from it.
                let back = |at: usize, n: usize| {
                    content[..at]
                        .char_indices()
                        .rev()
                        .take(n)
                        .last()
                        .map_or(at, |(i, _)| i)
                };
                let forward = |at: usize, n: usize| {
                    content[at..]
                        .char_indices()
                        .nth(n)
                        .map_or(content.len(), |(i, _)| at + i)
                };
                let from = back(focus, SNIPPET_LEAD);
                let to = forward(from, SNIPPET_COLUMNS);
                if to == content.len() {
                    (back(to, SNIPPET_COLUMNS), to)
                } else {
                    (from, to)
                }
            };
            if from > 0 {
                out.push_str(ELLIPSIS);
            }
            let at = out.len();
            lines.push(LineCut {
                at,
                skipped: content.get(..from).map_or(0, |s| s.chars().count()),
            });
            out.push_str(content.get(from..to).unwrap_or(""));
            if to < content.len() {
                out.push_str(ELLIPSIS);
            }
            // A source offset on this line, in `out`: text left out maps to the nearest
            // shown character (the end of the line maps to the end of the line).
            let map = |offset: usize, out_len: usize| {
                let rel = offset - line_start;
                if rel < from {
                    at
                } else if rel <= to {
                    at + rel - from
                } else if rel < content.len() {
                    out_len
                } else {
                    out_len + rel - content.len()
                }
            };
            let content_end = out.len();
            if new_start.is_none() && span_start < line_end {
                new_start = Some(map(span_start, content_end));
            }
            if new_end.is_none() && span_end < line_end {
                new_end = Some(map(span_end, content_end));
            }
            out.push_str(&line[content.len()..]);
            line_start = line_end;
        }
        let new_start = new_start.unwrap_or(out.len());
        let new_end = new_end.unwrap_or(out.len()).max(new_start);
        Window {
            name: name.to_string(),
            text: out,
            first_line,
            lines,
            span: miette::SourceSpan::new(new_start.into(), new_end - new_start),
        }
    }
}

impl miette::SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let offset = span.offset().min(self.text.len());
        let len = span.len().min(self.text.len() - offset);
        let local = miette::SourceSpan::new(offset.into(), len);
        let inner =
            self.text
                .as_str()
                .read_span(&local, context_lines_before, context_lines_after)?;
        // miette prints the column of a span read without context: the column in the source
        // line, not in the cut one.
        let column = match self.lines.iter().rev().find(|l| l.at <= offset) {
            Some(l) if context_lines_before == 0 => {
                l.skipped
                    + self
                        .text
                        .get(l.at..offset)
                        .map_or(offset.saturating_sub(l.at), |s| s.chars().count())
            }
            _ => inner.column(),
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            column,
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

/// A chain of places (templates including templates) short enough to read: all of it when
/// it is short, else its first and last few with the count of those left out between.
pub fn summarise_chain(places: &[String], separator: &str) -> String {
    const FIRST: usize = 3;
    const LAST: usize = 2;
    if places.len() <= FIRST + LAST + 1 {
        return places.join(separator);
    }
    let left_out = places.len() - FIRST - LAST;
    let mut shown: Vec<String> = places[..FIRST].to_vec();
    shown.push(format!("({left_out} more)"));
    shown.extend_from_slice(&places[places.len() - LAST..]);
    shown.join(separator)
}

/// "Did you mean" suggestions, shared by every stage that names things (kustomization
/// fields, schema fields, port names).
/// The candidate closest to `word` by edit distance, when close enough to be a typo.
pub fn closest<'c>(word: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let lower = word.to_ascii_lowercase();
    candidates
        .map(|c| (edit_distance(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len() / 3).clamp(1, 3))
        .min_by_key(|(d, c)| (*d, c.len()))
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
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
        let file = sources.add(std::path::Path::new("f.yaml"), text.as_str());
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
                    text: text.clone(),
                    first_line: 0,
                    lines: text
                        .split_inclusive('\n')
                        .scan(0, |at, l| {
                            let cut = LineCut {
                                at: *at,
                                skipped: 0,
                            };
                            *at += l.len();
                            Some(cut)
                        })
                        .collect(),
                    span: miette::SourceSpan::new(start.into(), end - start),
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

    fn render(text: &str, start: usize, end: usize) -> String {
        let sources = SourceMap::new();
        let file = sources.add(std::path::Path::new("l.yaml"), text);
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        let diag = Diag::error("kit::test", "m").at(Some(Origin::new(file, start, end)));
        let mut out = String::new();
        handler
            .render_report(&mut out, diag.to_report(&sources).as_ref())
            .expect("render");
        out
    }

    /// A span past column 65,535 made miette panic; a long line is now cut around the span,
    /// so the snippet stays small and the column printed is still the source's (issue 20).
    #[test]
    fn long_lines_are_cut_around_the_span() {
        let text = format!("a: {}: c\nnext: line\n", "x".repeat(65_600));
        let at = text.find(": c").unwrap_or(0);
        let out = render(&text, at, at + 1);
        assert!(out.len() < 2_000, "{} bytes:\n{out}", out.len());
        assert!(out.contains(&format!("[l.yaml:1:{}]", at + 1)), "{out}");
        // Near the end of the line: the last 200 characters.
        assert!(out.contains(&format!("…{}: c\n", "x".repeat(197))), "{out}");
        assert!(out.contains("next: line"), "{out}");

        // In the middle: 80 characters before the span, cut on both sides.
        let text = format!("a: {}: c {}\n", "x".repeat(65_600), "y".repeat(1_000));
        let at = text.find(": c").unwrap_or(0);
        let out = render(&text, at, at + 1);
        assert!(out.len() < 2_000, "{out}");
        assert!(out.contains(&format!("[l.yaml:1:{}]", at + 1)), "{out}");
        assert!(
            out.contains(&format!("…{}: c {}…", "x".repeat(80), "y".repeat(116))),
            "{out}"
        );

        // A span at the start of a long line, and one over the whole line.
        let out = render(&text, 0, 1);
        assert!(out.contains(&format!("a: {}…", "x".repeat(197))), "{out}");
        assert!(out.contains("[l.yaml:1:1]"), "{out}");
        let out = render(&text, 0, text.len());
        assert!(out.len() < 2_000, "{out}");

        // Multi-byte characters: the cut falls between characters.
        let text = format!("k: {}: v {}\n", "é".repeat(70_000), "z".repeat(500));
        let at = text.find(": v").unwrap_or(0);
        let out = render(&text, at, at + 3);
        assert!(out.contains(&format!("…{}: v z", "é".repeat(80))), "{out}");
    }
}
