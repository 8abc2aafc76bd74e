//! A fast reader for the YAML that values files are nearly always written in: block mappings
//! and sequences, one-line plain and quoted scalars, literal block scalars (`|`, `|-`), `[]`
//! and `{}`, comments and blank lines. It reads lines, not characters, so a 180 KB values file
//! costs a fraction of what the full YAML parser costs.
//!
//! Anything else (flow collections, anchors and aliases, tags, merge keys, folded, escaped or
//! multi-line scalars, tabs, carriage returns, several documents, and every error) makes it
//! give up: `None`, and the full parser reads the text from the start. For the texts it reads,
//! it gives what the full reader gives (a test compares the two on every YAML file of the
//! corpus and on generated documents).

use saphyr_parser::ScalarStyle;

use super::{resolve_v2, set_entry, Y};

/// Deeper than this, the full reader (with its own limit and error) takes over.
const MAX_DEPTH: usize = 64;

/// The document `text` holds, or `None` when it is not in the subset this reader knows.
pub(super) fn read(text: &str) -> Option<Y> {
    if !plain_text(text) {
        return None;
    }
    let mut r = Reader {
        lines: text.split('\n').collect(),
        at: 0,
        depth: 0,
        ends_with_newline: text.ends_with('\n'),
    };
    let Some((indent, content)) = r.peek() else {
        return Some(Y::Null);
    };
    let root = if is_seq_item(content) {
        r.sequence(indent)?
    } else if split_key(content).is_some() {
        r.mapping(indent, None)?
    } else {
        return None;
    };
    // Whatever follows the root is for the full parser to judge.
    match r.peek() {
        None => Some(root),
        Some(_) => None,
    }
}

/// No tabs, carriage returns, byte order marks, document markers or characters YAML does not
/// allow in a stream (the full parser's errors and special cases).
fn plain_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.iter().any(|&b| (b < b' ' && b != b'\n') || b == 0x7f) {
        return false;
    }
    if !text.is_ascii()
        && text.chars().any(|c| {
            matches!(
                c,
                '\u{80}'..='\u{9f}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            )
        })
    {
        return false;
    }
    !text
        .split('\n')
        .any(|line| line.starts_with("---") || line.starts_with("...") || line.starts_with('%'))
}

struct Reader<'a> {
    lines: Vec<&'a str>,
    /// The next line not yet read.
    at: usize,
    depth: usize,
    ends_with_newline: bool,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim_start_matches(' ');
    t.is_empty() || t.starts_with('#')
}

fn is_seq_item(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// Characters that cannot start a plain scalar (or that this reader leaves to the parser).
fn starts_specially(s: &str) -> bool {
    s.starts_with([
        '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@',
        '`',
    ])
}

/// `key: rest` → the key's text and what follows its colon (empty, or starting with a space).
fn split_key(content: &str) -> Option<(&str, &str)> {
    if starts_specially(content) {
        return None;
    }
    let bytes = content.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'#' if i > 0 && bytes[i - 1] == b' ' => return None,
            b':' if bytes.get(i + 1).is_none_or(|&n| n == b' ') => {
                let key = &content[..i];
                if key.ends_with(' ') {
                    return None;
                }
                return Some((key, &content[i + 1..]));
            }
            _ => {}
        }
    }
    None
}

/// What follows a value on its line must be nothing or a comment.
fn only_comment(rest: &str) -> bool {
    let t = rest.trim_start_matches(' ');
    t.is_empty() || (t.starts_with('#') && t.len() < rest.len())
}

impl<'a> Reader<'a> {
    /// The next line with content (its indent and its text from there), past blank lines and
    /// comments.
    fn peek(&mut self) -> Option<(usize, &'a str)> {
        while let Some(line) = self.lines.get(self.at) {
            if !is_blank_or_comment(line) {
                let indent = indent_of(line);
                return Some((indent, &line[indent..]));
            }
            self.at += 1;
        }
        None
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// A block mapping whose keys stand at `indent`; `first` is its first entry when it
    /// began on a sequence item's line (`- key: value`).
    fn mapping(&mut self, indent: usize, first: Option<&'a str>) -> Option<Y> {
        self.enter()?;
        let mut entries = Vec::new();
        let mut pending = first;
        loop {
            let content = match pending.take() {
                Some(c) => c,
                None => {
                    let Some((i, content)) = self.peek() else {
                        break;
                    };
                    if i < indent {
                        break;
                    }
                    if i > indent || is_seq_item(content) {
                        return None;
                    }
                    self.at += 1;
                    content
                }
            };
            let (key, rest) = split_key(content)?;
            if key == "<<" {
                return None;
            }
            let key = resolve_v2(key, ScalarStyle::Plain, None);
            let value = self.value(rest, indent, true)?;
            set_entry(&mut entries, key, value);
        }
        self.depth -= 1;
        Some(Y::Map(entries))
    }

    /// A block sequence whose dashes stand at `indent`.
    fn sequence(&mut self, indent: usize) -> Option<Y> {
        self.enter()?;
        let mut items = Vec::new();
        while let Some((i, content)) = self.peek() {
            if i < indent || (i == indent && !is_seq_item(content)) {
                break;
            }
            if i > indent {
                return None;
            }
            self.at += 1;
            let after = &content[1..];
            let item = after.trim_start_matches(' ');
            if item.is_empty() || item.starts_with('#') {
                items.push(self.nested(indent, false)?);
                continue;
            }
            if is_seq_item(item) {
                return None;
            }
            if split_key(item).is_some() {
                let column = indent + 1 + (after.len() - item.len());
                items.push(self.mapping(column, Some(item))?);
                continue;
            }
            items.push(self.value(after, indent, false)?);
        }
        self.depth -= 1;
        Some(Y::Seq(items))
    }

    /// The node below a key or dash with nothing after it: a block more indented than
    /// `indent` (or, under a key, a sequence at the key's indent), else null.
    fn nested(&mut self, indent: usize, under_key: bool) -> Option<Y> {
        match self.peek() {
            Some((i, content)) if i > indent => {
                if is_seq_item(content) {
                    self.sequence(i)
                } else if split_key(content).is_some() {
                    self.mapping(i, None)
                } else {
                    None
                }
            }
            Some((i, content)) if i == indent && under_key && is_seq_item(content) => {
                self.sequence(i)
            }
            _ => Some(Y::Null),
        }
    }

    /// The value after a key's colon or an item's dash (`rest`, from just after it), in a
    /// collection at `indent`.
    fn value(&mut self, rest: &'a str, indent: usize, under_key: bool) -> Option<Y> {
        let v = rest.trim_start_matches(' ');
        if v.is_empty() || (v.starts_with('#') && v.len() < rest.len()) {
            return self.nested(indent, under_key);
        }
        let y = match v.as_bytes()[0] {
            b'|' => return self.literal(&v[1..], indent),
            b'"' => {
                let (s, after) = double_quoted(&v[1..])?;
                if !only_comment(after) {
                    return None;
                }
                Y::Str(s)
            }
            b'\'' => {
                let (s, after) = single_quoted(&v[1..])?;
                if !only_comment(after) {
                    return None;
                }
                Y::Str(s)
            }
            b'{' => {
                if !v[1..].starts_with('}') || !only_comment(&v[2..]) {
                    return None;
                }
                Y::Map(Vec::new())
            }
            b'[' => {
                let (items, after) = flow_scalars(&v[1..])?;
                if !only_comment(after) {
                    return None;
                }
                Y::Seq(items)
            }
            _ if starts_specially(v)
                && !(v.starts_with('-') && v.len() > 1 && v.as_bytes()[1] != b' ') =>
            {
                return None
            }
            _ => {
                let text = match v.find(" #") {
                    Some(c) => &v[..c],
                    None => v,
                }
                .trim_end_matches(' ');
                if text.contains(": ") || text.ends_with(':') {
                    return None;
                }
                resolve_v2(text, ScalarStyle::Plain, None)
            }
        };
        // A more indented line after a one-line value would continue it or be an error.
        match self.peek() {
            Some((i, _)) if i > indent => None,
            _ => Some(y),
        }
    }

    /// A literal block scalar (`|` or `|-`, `header` after the bar) below a collection at
    /// `indent`.
    fn literal(&mut self, header: &str, indent: usize) -> Option<Y> {
        let (strip, after) = match header.strip_prefix('-') {
            Some(after) => (true, after),
            None => (false, header),
        };
        if !only_comment(after) {
            return None;
        }
        // The content's indent is its first non-blank line's.
        let mut content_indent = None;
        for line in &self.lines[self.at..] {
            if !line.trim_start_matches(' ').is_empty() {
                content_indent = Some(indent_of(line));
                break;
            }
        }
        let content_indent = match content_indent {
            Some(c) if c > indent => c,
            // Nothing more indented: an empty scalar.
            _ => return Some(Y::Str(String::new())),
        };
        let mut text = String::new();
        let mut trailing_blank = 0usize;
        let mut saw_content = false;
        while let Some(line) = self.lines.get(self.at) {
            let blank = line.trim_start_matches(' ').is_empty();
            if blank {
                // Spaces past the content's indent (content, or an error before it).
                if line.len() > content_indent {
                    return None;
                }
                if self.at + 1 == self.lines.len() {
                    // The text's end: the empty string after its last newline.
                    break;
                }
                trailing_blank += 1;
                self.at += 1;
                continue;
            }
            if indent_of(line) < content_indent {
                break;
            }
            for _ in 0..trailing_blank {
                text.push('\n');
            }
            trailing_blank = 0;
            if saw_content {
                text.push('\n');
            }
            text.push_str(&line[content_indent..]);
            saw_content = true;
            self.at += 1;
        }
        if self.at >= self.lines.len()
            || (self.at + 1 == self.lines.len() && !self.ends_with_newline)
        {
            // A scalar running to the end of a text without a final newline.
            return None;
        }
        if !strip {
            text.push('\n');
        }
        Some(Y::Str(text))
    }
}

/// A one-line flow sequence of scalars (`[a, "b", 'c']`, after its `[`): its items and what
/// follows its `]`. Nested collections, pairs, empty entries and a trailing comma are left to
/// the full parser.
fn flow_scalars(body: &str) -> Option<(Vec<Y>, &str)> {
    let mut items = Vec::new();
    let mut rest = body.trim_start_matches(' ');
    if let Some(after) = rest.strip_prefix(']') {
        return Some((items, after));
    }
    loop {
        let (item, after) = match rest.as_bytes().first()? {
            b'"' => {
                let (s, after) = double_quoted(&rest[1..])?;
                (Y::Str(s), after)
            }
            b'\'' => {
                let (s, after) = single_quoted(&rest[1..])?;
                (Y::Str(s), after)
            }
            _ => {
                let end = rest.find([',', ']'])?;
                let text = rest[..end].trim_end_matches(' ');
                if text.is_empty()
                    || starts_specially(text)
                    || text.contains([':', '#', '[', '{', '}'])
                {
                    return None;
                }
                (resolve_v2(text, ScalarStyle::Plain, None), &rest[end..])
            }
        };
        items.push(item);
        let after = after.trim_start_matches(' ');
        if let Some(after) = after.strip_prefix(']') {
            return Some((items, after));
        }
        rest = after.strip_prefix(',')?.trim_start_matches(' ');
        if rest.starts_with(']') {
            return None;
        }
    }
}

/// A double-quoted scalar's value (after its opening quote) and what follows its closing
/// quote, if it closes on its line; of the escapes, only `\\`, `\"`, `\/`, `\t` and `\n`.
fn double_quoted(body: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut rest = body;
    loop {
        let q = rest.find(['"', '\\'])?;
        out.push_str(&rest[..q]);
        if rest.as_bytes()[q] == b'"' {
            return Some((out, &rest[q + 1..]));
        }
        out.push(match rest.as_bytes().get(q + 1)? {
            b'\\' => '\\',
            b'"' => '"',
            b'/' => '/',
            b't' => '\t',
            b'n' => '\n',
            _ => return None,
        });
        rest = &rest[q + 2..];
    }
}

/// A single-quoted scalar's value (`''` is a quote) and what follows its closing quote, if
/// it closes on its line.
fn single_quoted(body: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut rest = body;
    loop {
        let q = rest.find('\'')?;
        out.push_str(&rest[..q]);
        rest = &rest[q + 1..];
        match rest.strip_prefix('\'') {
            Some(after) => {
                out.push('\'');
                rest = after;
            }
            None => return Some((out, rest)),
        }
    }
}
