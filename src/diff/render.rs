//! Printing a list of changes: a unified diff per object (as `kubectl diff` prints it), a
//! pull-request comment in Markdown, a one-line-per-object summary, or JSON.

use std::fmt::Write as _;
use std::time::Duration;

use similar::udiff::UnifiedHunkHeader;
use similar::{Algorithm, ChangeTag, TextDiff};

use super::{ChangeKind, Counts, ObjectChange};

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// How [`unified`] prints.
#[derive(Clone, Debug)]
pub struct UnifiedOptions {
    /// ANSI colors: removed lines red, added lines green, hunk headers cyan, file headers bold.
    pub color: bool,
    /// Unchanged lines around each change (3, as `diff -u`).
    pub context: usize,
    /// The directory names in the headers: `old` and `new` (kubectl diff's are temporary
    /// `LIVE-…` and `MERGED-…` directories).
    pub old_label: String,
    pub new_label: String,
}

impl Default for UnifiedOptions {
    fn default() -> Self {
        UnifiedOptions {
            color: false,
            context: 3,
            old_label: "old".to_string(),
            new_label: "new".to_string(),
        }
    }
}

/// Every change but the unchanged objects as one unified diff, per object:
///
/// ```text
/// diff -u -N old/apps.v1.Deployment.prod.web new/apps.v1.Deployment.prod.web
/// --- old/apps.v1.Deployment.prod.web
/// +++ new/apps.v1.Deployment.prod.web
/// @@ -20,7 +20,7 @@
/// ```
///
/// An added object is diffed against nothing and a removed one against nothing (`diff -N`),
/// a renamed one from its old name to its new one. The text is what `patch -p1` reads.
pub fn unified(changes: &[ObjectChange], opts: &UnifiedOptions) -> String {
    let mut out = String::new();
    for c in changes.iter().filter(|c| c.change != ChangeKind::Unchanged) {
        out.push_str(&object_diff(c, opts));
    }
    out
}

/// One change as a unified diff with its `diff -u -N` header (empty when unchanged).
pub fn object_diff(change: &ObjectChange, opts: &UnifiedOptions) -> String {
    if change.change == ChangeKind::Unchanged {
        return String::new();
    }
    let (old_name, new_name) = match (&change.old, &change.new) {
        (Some(o), Some(n)) => (o.file_name(), n.file_name()),
        (Some(o), None) => (o.file_name(), o.file_name()),
        (None, Some(n)) => (n.file_name(), n.file_name()),
        (None, None) => return String::new(),
    };
    let old_path = format!("{}/{old_name}", opts.old_label);
    let new_path = format!("{}/{new_name}", opts.new_label);
    let (bold, reset) = if opts.color { (BOLD, RESET) } else { ("", "") };
    let mut out = String::new();
    let _ = writeln!(out, "{bold}diff -u -N {old_path} {new_path}{reset}");
    let _ = writeln!(out, "{bold}--- {old_path}{reset}");
    let _ = writeln!(out, "{bold}+++ {new_path}{reset}");
    out.push_str(&hunks(
        change.old_text(),
        change.new_text(),
        opts.context,
        opts.color,
    ));
    out
}

/// How long one line diff may search for the shortest edit script. Myers' algorithm takes
/// time in proportion to the lines times the differences: two 100,000-line texts that share
/// little would take minutes. Past this, the diff is finished quickly, still correct (applying
/// it turns one text into the other) but no longer the shortest; real changes finish far
/// sooner.
pub const DIFF_TIMEOUT: Duration = Duration::from_secs(1);

/// The line diff of two texts: Myers, bounded by [`DIFF_TIMEOUT`].
fn line_diff<'a>(old: &'a str, new: &'a str) -> TextDiff<'a, 'a, 'a, str> {
    TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .timeout(DIFF_TIMEOUT)
        .diff_lines(old, new)
}

/// The hunks of a unified diff of two texts (no file header), as GNU `diff -u` prints them:
/// `@@ -l,n +l,n @@` (`,n` left out when n is 1), context lines with a space, removed with
/// `-`, added with `+`, and `\ No newline at end of file` after a last line without one.
pub fn hunks(old: &str, new: &str, context: usize, color: bool) -> String {
    let diff = line_diff(old, new);
    let mut out = String::new();
    for group in diff.grouped_ops(context) {
        if group.is_empty() {
            continue;
        }
        let header = UnifiedHunkHeader::new(&group);
        if color {
            let _ = writeln!(out, "{CYAN}{header}{RESET}");
        } else {
            let _ = writeln!(out, "{header}");
        }
        for op in &group {
            for change in diff.iter_changes(op) {
                let (sign, paint) = match change.tag() {
                    ChangeTag::Equal => (' ', ""),
                    ChangeTag::Delete => ('-', RED),
                    ChangeTag::Insert => ('+', GREEN),
                };
                let text = change.value();
                let line = text.strip_suffix('\n').unwrap_or(text);
                if color && !paint.is_empty() {
                    let _ = writeln!(out, "{paint}{sign}{line}{RESET}");
                } else {
                    let _ = writeln!(out, "{sign}{line}");
                }
                if change.missing_newline() {
                    out.push_str("\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

/// Lines added and removed between two texts: `(added, removed)`.
pub fn line_counts(old: &str, new: &str) -> (usize, usize) {
    let diff = line_diff(old, new);
    let mut counts = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Insert => counts.0 += 1,
            ChangeTag::Delete => counts.1 += 1,
            ChangeTag::Equal => {}
        }
    }
    counts
}

/// The counts as a phrase: `1 added, 2 changed, 1 removed, 1 renamed, 10 unchanged` (kinds
/// with no object left out; `no objects` when empty).
pub fn counts_phrase(c: &Counts) -> String {
    let parts: Vec<String> = [
        (c.added, "added"),
        (c.changed, "changed"),
        (c.removed, "removed"),
        (c.renamed, "renamed"),
        (c.unchanged, "unchanged"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    if parts.is_empty() {
        "no objects".to_string()
    } else {
        parts.join(", ")
    }
}

/// One line per changed object and a count line:
///
/// ```text
/// changed  Deployment prod/web (+2 -2)
/// renamed  ConfigMap prod/app-config-2c8d5f9g7b -> prod/app-config-7h4k6b2m9t (84% alike, +1 -1)
/// 1 changed, 1 renamed, 10 unchanged
/// ```
pub fn summary(changes: &[ObjectChange]) -> String {
    let mut out = String::new();
    for c in changes.iter().filter(|c| c.change != ChangeKind::Unchanged) {
        let _ = writeln!(out, "{:<8} {}", c.change.as_str(), describe(c, "->"));
    }
    let _ = writeln!(out, "{}", counts_phrase(&Counts::of(changes)));
    out
}

/// `Deployment prod/web (+2 -2)`, `ConfigMap a -> b (84% alike, +1 -1)`.
fn describe(c: &ObjectChange, arrow: &str) -> String {
    let (name, notes) = describe_parts(c, arrow);
    if notes.is_empty() {
        name
    } else {
        format!("{name} ({notes})")
    }
}

/// The object (`Deployment prod/web`, `ConfigMap a -> b`) and the notes (`84% alike, +1 -1`).
fn describe_parts(c: &ObjectChange, arrow: &str) -> (String, String) {
    let key = c.key();
    let name = match (c.change, &c.old) {
        (ChangeKind::Renamed, Some(old)) => format!(
            "{} {} {arrow} {}",
            key.kind,
            old.key.qualified_name(),
            key.qualified_name()
        ),
        _ => key.to_string(),
    };
    let mut notes = Vec::new();
    if let Some(sim) = c.similarity {
        notes.push(format!("{:.0}% alike", sim * 100.0));
    }
    if matches!(c.change, ChangeKind::Changed | ChangeKind::Renamed) {
        let (added, removed) = c.line_counts();
        if added + removed > 0 {
            notes.push(format!("+{added} -{removed}"));
        }
    }
    (name, notes.join(", "))
}

/// GitHub's limit for a comment is 65,536 characters; diffs beyond this budget are left
/// out of [`markdown`] (their objects are still listed).
pub const MARKDOWN_BUDGET: usize = 60_000;

/// A pull-request comment: a title, a table of counts, and each changed object in a
/// collapsed `<details>` block holding its diff (```` ```diff ````). Unchanged objects are
/// only counted. When the comment would pass [`MARKDOWN_BUDGET`] characters, later diffs are
/// left out and the comment says so.
pub fn markdown(changes: &[ObjectChange], title: &str) -> String {
    let counts = Counts::of(changes);
    let mut out = String::new();
    let _ = writeln!(out, "### {title}\n");
    if !counts.any() {
        let _ = writeln!(
            out,
            "No changes ({}).",
            match counts.unchanged {
                1 => "1 object".to_string(),
                n => format!("{n} objects"),
            }
        );
        return out;
    }
    let _ = writeln!(out, "**{}**\n", counts_phrase(&counts));
    out.push_str("| Change | Objects |\n|:--|--:|\n");
    for (what, n) in [
        ("Added", counts.added),
        ("Changed", counts.changed),
        ("Removed", counts.removed),
        ("Renamed", counts.renamed),
        ("Unchanged", counts.unchanged),
    ] {
        let _ = writeln!(out, "| {what} | {n} |");
    }
    out.push('\n');
    let mut omitted = 0;
    for c in changes.iter().filter(|c| c.change != ChangeKind::Unchanged) {
        let (name, notes) = describe_parts(c, "→");
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", html_escape(&notes))
        };
        let summary = format!(
            "<summary>{} <code>{}</code>{notes}</summary>",
            c.change.as_str(),
            html_escape(&name)
        );
        let body = hunks(c.old_text(), c.new_text(), 3, false);
        let fence = fence_for(&body);
        let block = format!("<details>\n{summary}\n\n{fence}diff\n{body}{fence}\n\n</details>\n");
        if out.len() + block.len() > MARKDOWN_BUDGET {
            omitted += 1;
            let _ = writeln!(out, "<details>\n{summary}\n\n(diff left out: the comment would be too long)\n\n</details>");
        } else {
            out.push_str(&block);
        }
    }
    if omitted > 0 {
        let _ = writeln!(
            out,
            "\n{omitted} diff(s) left out to stay under GitHub's comment size limit; run `kit diff` to see them."
        );
    }
    out
}

/// A code fence longer than any run of backticks at the start of a line of `body`.
fn fence_for(body: &str) -> String {
    let longest = body
        .lines()
        .map(|l| {
            l.get(1..)
                .unwrap_or("")
                .chars()
                .take_while(|c| *c == '`')
                .count()
        })
        .max()
        .unwrap_or(0);
    "`".repeat((longest + 1).max(3))
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The changes for machines:
///
/// ```json
/// {"summary": {"added": 1, "changed": 1, "removed": 0, "renamed": 1, "unchanged": 10},
///  "changes": [{"change": "renamed", "group": "", "kind": "ConfigMap",
///               "old": {"apiVersion": "v1", "namespace": "prod", "name": "app-config-2c8d5f9g7b"},
///               "new": {"apiVersion": "v1", "namespace": "prod", "name": "app-config-7h4k6b2m9t"},
///               "similarity": 0.84, "linesAdded": 1, "linesRemoved": 1, "diff": "@@ -1,5 +1,5 @@\n..."}]}
/// ```
///
/// Unchanged objects are only counted; `old` or `new` is null for an added or removed
/// object; `similarity` is there for renames; `diff` holds the hunks (Secret values masked).
pub fn json(changes: &[ObjectChange]) -> serde_json::Value {
    let counts = Counts::of(changes);
    let side = |o: &Option<super::Object>| match o {
        Some(o) => serde_json::json!({
            "apiVersion": o.api_version,
            "namespace": o.key.namespace,
            "name": o.key.name,
        }),
        None => serde_json::Value::Null,
    };
    let list: Vec<serde_json::Value> = changes
        .iter()
        .filter(|c| c.change != ChangeKind::Unchanged)
        .map(|c| {
            let key = c.key();
            let (added, removed) = c.line_counts();
            let mut v = serde_json::json!({
                "change": c.change.as_str(),
                "group": key.group,
                "kind": key.kind,
                "old": side(&c.old),
                "new": side(&c.new),
                "linesAdded": added,
                "linesRemoved": removed,
                "diff": hunks(c.old_text(), c.new_text(), 3, false),
            });
            if let (Some(s), Some(obj)) = (c.similarity, v.as_object_mut()) {
                obj.insert(
                    "similarity".to_string(),
                    serde_json::json!((s * 1000.0).round() / 1000.0),
                );
            }
            v
        })
        .collect();
    serde_json::json!({
        "summary": {
            "added": counts.added,
            "changed": counts.changed,
            "removed": counts.removed,
            "renamed": counts.renamed,
            "unchanged": counts.unchanged,
        },
        "changes": list,
    })
}
