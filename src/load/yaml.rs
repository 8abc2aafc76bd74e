//! Multi-document YAML into [`Node`] trees with spans, resolving scalars as kustomize's
//! yaml.v3 does (YAML 1.2 core schema plus 0777 octals).
//!
//! Malformed input is an error with a location, never a panic: duplicate keys, aliases
//! expanding past a bound (billion laughs), unknown anchors, tabs where YAML forbids them.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};

use crate::diag::{Diag, Result};
use crate::model::{Node, Value};
use crate::source::{FileId, Origin, SourceFile};

/// How many nodes alias expansion may add to one file before it is refused.
const MAX_ALIAS_EXPANSION: usize = 100_000;
/// Nesting depth past which a document is refused (deep nesting would exhaust the stack).
const MAX_DEPTH: usize = 512;
/// How many documents one file (or stdin) may hold, and all the files of one run together
/// (see [`crate::load::Loader`]). A small document takes about 2.5 KiB once read (40 times
/// its text), so a stream of millions would exhaust memory; this ends it with a clear error
/// near 600 MiB instead.
pub const MAX_DOCUMENTS: usize = 250_000;

/// What reading one file may spend, shared by the parts read in parallel.
#[derive(Default)]
struct Budget {
    /// Nodes added by aliases.
    expanded: AtomicUsize,
    /// Documents read.
    documents: AtomicUsize,
}

/// Parses every document of a file. Empty documents (only comments, or `---` alone) are
/// dropped, as kustomize drops them.
pub fn parse_documents(file: &SourceFile, id: FileId) -> Result<Vec<Node>> {
    parse_documents_with(file, id, DuplicateKeys::Error)
}

/// What a repeated mapping key means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DuplicateKeys {
    /// An error (yaml.v3, which kustomize reads resources with).
    Error,
    /// The last value wins (kustomization files, which kustomize reads through JSON).
    LastWins,
    /// The last value wins and each repeat is recorded (`kit validate` reports them as
    /// findings and goes on with the rest of the file).
    Record,
}

pub fn parse_documents_with(
    file: &SourceFile,
    id: FileId,
    duplicates: DuplicateKeys,
) -> Result<Vec<Node>> {
    parse_documents_recorded(file, id, duplicates).map(|(docs, _)| docs)
}

/// [`parse_documents_with`], also returning the repeated keys found with
/// [`DuplicateKeys::Record`] (one diagnostic each, at the repeated key).
pub fn parse_documents_recorded(
    file: &SourceFile,
    id: FileId,
    duplicates: DuplicateKeys,
) -> Result<(Vec<Node>, Vec<Diag>)> {
    let first = read_documents(file, id, duplicates);
    let Err(error) = &first else {
        return first;
    };
    // yaml.v3 (kubectl) does not check indentation inside flow collections, so a closing
    // bracket written at its key's indentation (`command: [\n  "sh",\n]`) is accepted
    // there; saphyr refuses it. Such a bracket is moved to the end of the line before by
    // turning the line break and indentation before it into spaces: the text keeps its
    // length, so every offset (and every location kit reports) stays that of the file.
    let mut text = String::from(&*file.text);
    let mut error = error.clone();
    for _ in 0..MAX_FLOW_INDENT_FIXES {
        let Some(range) = misindented_flow_close(&text, &error) else {
            break;
        };
        text.replace_range(range.clone(), &" ".repeat(range.len()));
        let patched = SourceFile::new(file.path.clone(), file.display.clone(), text.as_str());
        match read_documents(&patched, id, duplicates) {
            Ok(read) => return Ok(read),
            Err(e) => error = e,
        }
    }
    first
}

/// How many misindented closing brackets one file may have fixed (each costs a parse).
const MAX_FLOW_INDENT_FIXES: usize = 16;

/// When `error` is saphyr's "invalid indentation" at a `]` or `}` that only spaces precede
/// on its line, the bytes from the end of the previous line to the bracket.
fn misindented_flow_close(text: &str, error: &Diag) -> Option<std::ops::Range<usize>> {
    if error.code != "kit::load::yaml-syntax" || !error.message.ends_with("invalid indentation") {
        return None;
    }
    let at = error.origin?.start as usize;
    if !matches!(text.as_bytes().get(at), Some(b']' | b'}')) {
        return None;
    }
    let line_start = text[..at].rfind('\n')?;
    if !text[line_start + 1..at].bytes().all(|b| b == b' ') {
        return None;
    }
    let start = if text[..line_start].ends_with('\r') {
        line_start - 1
    } else {
        line_start
    };
    // Not when the line before ends in a comment: the bracket would become part of it.
    let previous = &text[text[..start].rfind('\n').map_or(0, |i| i + 1)..start];
    if previous.contains(" #") || previous.trim_start().starts_with('#') {
        return None;
    }
    Some(start..at)
}

/// Files are cut into parts of at least this many bytes, at document markers, and the parts
/// read in parallel; a smaller file is read in one piece.
const PARALLEL_PART_BYTES: usize = 128 * 1024;

fn read_documents(
    file: &SourceFile,
    id: FileId,
    duplicates: DuplicateKeys,
) -> Result<(Vec<Node>, Vec<Diag>)> {
    read_documents_in_parts(file, id, duplicates, PARALLEL_PART_BYTES)
}

fn read_documents_in_parts(
    file: &SourceFile,
    id: FileId,
    duplicates: DuplicateKeys,
    part_bytes: usize,
) -> Result<(Vec<Node>, Vec<Diag>)> {
    // A stream with more document markers than kit reads documents is refused before it is
    // parsed: parsing first would hold hundreds of thousands of documents in memory only to
    // refuse them.
    // Two markers of slack: the first may open the first document, the last may open an
    // empty one; the exact document past the limit is then left to the parse.
    if let Some(at) = marker_past_limit(&file.text, MAX_DOCUMENTS + 1) {
        return Err(too_many_documents().at(Some(Origin::new(id, at, at + 3))));
    }
    let parts = document_parts(&file.text, part_bytes);
    if parts.len() > 1 {
        let budget = Budget::default();
        // Largest first, so that no large part is left to start last.
        let mut by_size: Vec<_> = parts.into_iter().enumerate().collect();
        by_size.sort_by_key(|(_, part)| std::cmp::Reverse(part.len()));
        let mut read: Vec<_> = by_size
            .into_par_iter()
            .map(|(index, part)| (index, read_part(file, id, duplicates, part, &budget)))
            .collect();
        read.sort_by_key(|(index, _)| *index);
        let read: Vec<_> = read.into_iter().map(|(_, r)| r).collect();
        // On any error the file is read again in one piece, so that the error reported is
        // the first in the file and the alias budget is spent in file order, whatever the
        // threads did.
        if read.iter().all(Result::is_ok) {
            let (mut docs, mut repeated) = (Vec::new(), Vec::new());
            for (d, r) in read.into_iter().flatten() {
                docs.extend(d);
                repeated.extend(r);
            }
            return Ok((docs, repeated));
        }
    }
    read_part(file, id, duplicates, 0..file.text.len(), &Budget::default())
}

/// Where the document marker (`---` at the start of a line, then a space, a tab or a line
/// break) that makes `limit + 1` markers starts, if `text` has that many. Each marker
/// starts a document: YAML allows none inside a value.
fn marker_past_limit(text: &str, limit: usize) -> Option<usize> {
    let is_marker = |at: usize| {
        text.as_bytes()
            .get(at + 3)
            .is_none_or(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    };
    let starts = text
        .starts_with("---")
        .then_some(0)
        .into_iter()
        .chain(text.match_indices("\n---").map(|(i, _)| i + 1));
    starts.filter(|&at| is_marker(at)).nth(limit)
}

/// Byte ranges of `text` that hold whole documents, each at least `min_bytes` long but the
/// last, cut where a line starts with a document marker (`---`): YAML lets no value run
/// through one, and anchors do not reach across it. One range for a text with directives
/// (`%YAML`), which belong to the document after them, or with a document that is a block
/// scalar (saphyr reads one differently when a document follows it).
fn document_parts(text: &str, min_bytes: usize) -> Vec<std::ops::Range<usize>> {
    let whole = vec![std::ops::Range {
        start: 0,
        end: text.len(),
    }];
    let bytes = text.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    let line_starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
    for at in line_starts {
        // Only lines starting with one of these bytes can be a marker, a directive or a
        // document's block scalar; the rest are skipped on their first byte.
        if !matches!(bytes.get(at), Some(b'-' | b'%' | b'|' | b'>' | b'!' | b'&')) {
            continue;
        }
        let line = &text[at..memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |n| at + n)];
        if line.starts_with('%') || is_root_block_scalar(line) {
            return whole;
        }
        // Not `---` and a tab: saphyr does not end a block scalar there (the document goes
        // on), so a cut there could read what one piece reads as an error.
        let marker =
            line.starts_with("---") && matches!(line.as_bytes().get(3), None | Some(b' ' | b'\r'));
        if marker && at > start && at - start >= min_bytes {
            parts.push(start..at);
            start = at;
        }
    }
    parts.push(start..text.len());
    parts
}

/// Where each key of a mapping being read stands, for the repeated-key check and merges:
/// a scan while the mapping is small, a hash index from [`KeyIndex::INDEXED_FROM`] keys on,
/// so that a mapping of 100,000 keys loads in linear time rather than quadratic.
#[derive(Default)]
struct KeyIndex {
    index: Option<HashMap<String, usize>>,
}

impl KeyIndex {
    const INDEXED_FROM: usize = 32;

    /// The position of `key` in `entries` (whose keys are distinct).
    fn find(&mut self, entries: &[(String, Node)], key: &str) -> Option<usize> {
        if self.index.is_none() {
            if entries.len() < Self::INDEXED_FROM {
                return entries.iter().position(|(k, _)| k == key);
            }
            self.index = Some(
                entries
                    .iter()
                    .enumerate()
                    .map(|(i, (k, _))| (k.clone(), i))
                    .collect(),
            );
        }
        self.index.as_ref().and_then(|ix| ix.get(key).copied())
    }

    /// Records the entry just pushed at the end of `entries`.
    fn pushed(&mut self, entries: &[(String, Node)]) {
        if let (Some(ix), Some((k, _))) = (self.index.as_mut(), entries.last()) {
            ix.insert(k.clone(), entries.len() - 1);
        }
    }
}

/// Whether a line starts a document that is a block scalar: `|` or `>` at the start of the
/// line or after the document marker, past any tags and anchors.
fn is_root_block_scalar(line: &str) -> bool {
    let mut rest = line.strip_prefix("---").unwrap_or(line);
    loop {
        rest = rest.trim_start_matches([' ', '\t']);
        if rest.starts_with(['!', '&']) {
            rest = rest.trim_start_matches(|c: char| !matches!(c, ' ' | '\t'));
        } else {
            return rest.starts_with(['|', '>']);
        }
    }
}

/// Reads the documents in `part` of the file; `budget` counts the nodes aliases added in
/// the whole file.
/// Counts a document read against [`MAX_DOCUMENTS`].
fn count_document(budget: &Budget, doc: &Node) -> Result<()> {
    if budget.documents.fetch_add(1, Ordering::Relaxed) >= MAX_DOCUMENTS {
        return Err(too_many_documents().at(doc.origin));
    }
    Ok(())
}

/// The error for a file or a run past [`MAX_DOCUMENTS`].
pub fn too_many_documents() -> Diag {
    Diag::error(
        "kit::load::too-many-documents",
        format!("more than {MAX_DOCUMENTS} YAML documents: kit reads at most {MAX_DOCUMENTS} in one run"),
    )
    .help("split the input and run kit on each part")
}

fn read_part(
    file: &SourceFile,
    id: FileId,
    duplicates: DuplicateKeys,
    part: std::ops::Range<usize>,
    budget: &Budget,
) -> Result<(Vec<Node>, Vec<Diag>)> {
    let text = &file.text[part.clone()];
    let mut reader = Reader {
        repeated: Vec::new(),
        duplicates,
        parser: Parser::new_from_str(text),
        file,
        id,
        base: part.start,
        first_line: file.line_col(part.start).0 - 1,
        len: text.len(),
        anchors: HashMap::new(),
        expanded: &budget.expanded,
        depth: 0,
        reading_key: false,
        ascii: text.is_ascii(),
        cursor: std::cell::Cell::new((0, 0)),
    };
    let mut docs = Vec::new();
    loop {
        let (event, span) = reader.next()?;
        match event {
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                reader.anchors.clear();
                let (event, span) = reader.next()?;
                if matches!(event, Event::DocumentEnd) {
                    continue;
                }
                let node = reader.node(event, span)?;
                if !node.is_null() {
                    count_document(budget, &node)?;
                    docs.push(node);
                }
            }
            other => {
                let node = reader.node(other, span)?;
                if !node.is_null() {
                    count_document(budget, &node)?;
                    docs.push(node);
                }
            }
        }
    }
    Ok((docs, reader.repeated))
}

struct Reader<'a> {
    duplicates: DuplicateKeys,
    /// Repeated keys found in [`DuplicateKeys::Record`] mode.
    repeated: Vec<Diag>,
    /// Set while a mapping key is read (keys are never timestamps).
    reading_key: bool,
    /// The part read is ASCII (character indexes are byte offsets).
    ascii: bool,
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    file: &'a SourceFile,
    id: FileId,
    /// Where the part read starts in the file: its byte offset and its 0-based line.
    base: usize,
    first_line: usize,
    /// The part's length in bytes.
    len: usize,
    /// In a part that is not ASCII: the last character index turned into a byte offset (both
    /// in the part). The parser's positions mostly move forward, so each is found from the
    /// last one, and a line of 30,000 flow keys costs linear time, not quadratic.
    cursor: std::cell::Cell<(usize, usize)>,
    anchors: HashMap<usize, Node>,
    /// Nodes added by aliases in the whole file (shared by the parts read in parallel).
    expanded: &'a AtomicUsize,
    depth: usize,
}

impl<'a> Reader<'a> {
    fn origin(&self, span: &Span) -> Origin {
        // In an ASCII file the parser's character index is the byte offset.
        if self.ascii {
            let start = span.start.index().min(self.len);
            let end = span.end.index().min(self.len).max(start);
            return Origin::new(self.id, self.base + start, self.base + end);
        }
        let start = self.char_offset(span.start.index(), span.start.line(), span.start.col());
        // The end is counted from the start; the cursor stays at the start, where the next
        // span (or the same one again, for a key) begins at or after.
        let end = span
            .end
            .index()
            .checked_sub(span.start.index())
            .and_then(|n| {
                let rest = self.file.text.get(start..self.base + self.len)?;
                Some(rest.char_indices().nth(n).map_or(rest.len(), |(i, _)| i) + start)
            })
            .unwrap_or_else(|| self.byte_offset(span.end.line(), span.end.col()))
            .max(start);
        Origin::new(self.id, start, end)
    }

    /// The file's byte offset of the part's character `index` (at `line`, `col`): counted on
    /// from the last position when it lies ahead, else from the start of its line.
    fn char_offset(&self, index: usize, line: usize, col: usize) -> usize {
        let (last_index, last_byte) = self.cursor.get();
        let part = self
            .file
            .text
            .get(self.base..self.base + self.len)
            .unwrap_or("");
        if index < last_index || last_byte > part.len() || !part.is_char_boundary(last_byte) {
            let at = self.byte_offset(line, col);
            if let Some(byte) = at.checked_sub(self.base).filter(|b| *b <= part.len()) {
                self.cursor.set((index, byte));
            }
            return at;
        }
        let byte = part[last_byte..]
            .char_indices()
            .nth(index - last_index)
            .map_or(part.len(), |(i, _)| last_byte + i);
        self.cursor.set((index, byte));
        self.base + byte
    }

    /// The file's byte offset of a 1-based line and 0-based column of the part read.
    fn byte_offset(&self, line: usize, col: usize) -> usize {
        self.file.byte_offset(self.first_line + line, col)
    }

    fn next(&mut self) -> Result<(Event<'a>, Span)> {
        match self.parser.next_event() {
            Some(Ok(ev)) => Ok(ev),
            Some(Err(e)) => {
                let m = e.marker();
                let mut at = self.byte_offset(m.line(), m.col());
                // The parser reports an unexpected end at the end of the part, which is the
                // line after the last one (or past the text): point just after the last
                // character written instead, on the line to edit.
                let part = &self.file.text[self.base..self.base + self.len];
                if at >= self.base + self.len && !part.trim_end().is_empty() {
                    at = self.base + part.trim_end().len();
                }
                let info = e.info().to_string();
                let help = if info.contains("tab")
                    || self.file.text[..at.min(self.file.text.len())].ends_with('\t')
                {
                    "YAML does not allow tabs for indentation: indent with spaces"
                } else {
                    "fix the YAML syntax at this position"
                };
                Err(
                    Diag::error("kit::load::yaml-syntax", format!("invalid YAML: {info}"))
                        .at(Some(Origin::new(self.id, at, at + 1)))
                        .help(help),
                )
            }
            None => Ok((Event::StreamEnd, Span::default())),
        }
    }

    fn node(&mut self, event: Event<'a>, span: Span) -> Result<Node> {
        let origin = self.origin(&span);
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Diag::error(
                "kit::load::too-deep",
                format!("YAML nested deeper than {MAX_DEPTH} levels"),
            )
            .at(Some(origin))
            .help("flatten the document; real manifests are never this deep"));
        }
        let result = self.node_inner(event, origin);
        self.depth -= 1;
        result
    }

    fn node_inner(&mut self, event: Event<'a>, origin: Origin) -> Result<Node> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                // A block scalar that ends the file without a final line break has none in
                // its value either (yaml.v3); the parser adds one.
                let text = if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
                    && !self.file.text.ends_with('\n')
                    && origin.end as usize >= self.file.text.trim_end_matches([' ', '\t']).len()
                    && text.ends_with('\n')
                {
                    std::borrow::Cow::Owned(text[..text.len() - 1].to_string())
                } else {
                    text
                };
                let mut value = resolve_scalar(&text, style, tag.as_deref());
                // Resources are read as yaml.v3 reads them: a plain timestamp value comes
                // out in RFC 3339 form (kustomization files go through JSON and keep text).
                if self.duplicates != DuplicateKeys::LastWins
                    && !self.reading_key
                    && style == ScalarStyle::Plain
                    && tag.is_none()
                {
                    if let Some(ts) = super::timestamp::to_rfc3339(&text) {
                        value = Value::Str(ts);
                    }
                }
                let node = Node::new(value, Some(origin));
                self.remember(anchor, &node);
                Ok(node)
            }
            Event::SequenceStart(anchor, _) => {
                let mut items = Vec::new();
                loop {
                    let (ev, span) = self.next()?;
                    if matches!(ev, Event::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(ev, span)?);
                }
                let node = Node::new(Value::Seq(items), Some(origin));
                self.remember(anchor, &node);
                Ok(node)
            }
            Event::MappingStart(anchor, _) => {
                let mut entries: Vec<(String, Node)> = Vec::new();
                let mut keys = KeyIndex::default();
                let mut merges: Vec<Node> = Vec::new();
                loop {
                    let (ev, span) = self.next()?;
                    if matches!(ev, Event::MappingEnd) {
                        break;
                    }
                    let key_origin = self.origin(&span);
                    // A plain `<<` key merges; kustomize drops a quoted `"<<"` key with its
                    // value (whatever the value), as kubectl kustomize shows.
                    let is_merge =
                        matches!(&ev, Event::Scalar(t, ScalarStyle::Plain, _, None) if t == "<<");
                    let is_quoted_merge = matches!(&ev, Event::Scalar(t, style, _, None) if t == "<<" && *style != ScalarStyle::Plain);
                    self.reading_key = true;
                    let key = self.node(ev, span);
                    self.reading_key = false;
                    let key = key?;
                    let (ev, span) = self.next()?;
                    let value = self.node(ev, span)?;
                    if is_merge {
                        merges.push(value);
                        continue;
                    }
                    if is_quoted_merge {
                        continue;
                    }
                    let key_text = match key_text(&key) {
                        Some(k) => k,
                        None => {
                            return Err(Diag::error(
                                "kit::load::complex-key",
                                "a mapping key must be a scalar",
                            )
                            .at(Some(key_origin))
                            .help("use a string key"))
                        }
                    };
                    let found = keys.find(&entries, &key_text);
                    if self.duplicates == DuplicateKeys::LastWins {
                        if let Some(slot) = found.and_then(|i| entries.get_mut(i)) {
                            slot.1 = value;
                            continue;
                        }
                    }
                    if let Some((_, first)) = found.and_then(|i| entries.get(i)) {
                        let mut d = Diag::error(
                            "kit::load::duplicate-key",
                            format!("mapping key \"{key_text}\" already defined"),
                        )
                        .at(Some(key_origin))
                        .label("duplicate key");
                        if let Some(o) = first.origin {
                            let (line, _) = self.file.line_col(o.start as usize);
                            d = d.help(format!("the first value of \"{key_text}\" is near line {line}: remove one of them"));
                        }
                        if self.duplicates == DuplicateKeys::Record {
                            self.repeated.push(d);
                            if let Some(slot) = found.and_then(|i| entries.get_mut(i)) {
                                slot.1 = value;
                            }
                            continue;
                        }
                        return Err(d);
                    }
                    entries.push((key_text, value));
                    keys.pushed(&entries);
                }
                // `<<: *base` merges: explicit keys win, as in yaml.v3.
                for merge in merges {
                    let sources: Vec<Node> = match merge.value {
                        Value::Seq(items) => items,
                        _ => vec![merge],
                    };
                    for src in sources {
                        let Value::Map(m) = src.value else {
                            return Err(Diag::error(
                                "kit::load::bad-merge",
                                "a merge key `<<` must refer to a mapping",
                            )
                            .at(src.origin));
                        };
                        for (k, v) in m {
                            if keys.find(&entries, &k).is_none() {
                                entries.push((k, v));
                                keys.pushed(&entries);
                            }
                        }
                    }
                }
                let node = Node::new(Value::Map(entries), Some(origin));
                self.remember(anchor, &node);
                Ok(node)
            }
            Event::Alias(id) => {
                let Some(target) = self.anchors.get(&id) else {
                    return Err(Diag::error(
                        "kit::load::unknown-anchor",
                        "alias refers to an unknown anchor",
                    )
                    .at(Some(origin))
                    .help("define the anchor (&name) before using it (*name)"));
                };
                let added = count_nodes(target, MAX_ALIAS_EXPANSION + 1);
                if self.expanded.fetch_add(added, Ordering::Relaxed) + added > MAX_ALIAS_EXPANSION {
                    return Err(Diag::error(
                        "kit::load::alias-bomb",
                        format!("YAML aliases expand to more than {MAX_ALIAS_EXPANSION} nodes"),
                    )
                    .at(Some(origin))
                    .help("this looks like an alias bomb (\"billion laughs\"); write the values out instead of nesting aliases"));
                }
                Ok(target.clone())
            }
            other => Err(Diag::error(
                "kit::load::yaml-syntax",
                format!("unexpected YAML event {other:?}"),
            )
            .at(Some(origin))),
        }
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
    }
}

fn count_nodes(node: &Node, limit: usize) -> usize {
    let mut n = 1;
    match &node.value {
        Value::Seq(items) => {
            for i in items {
                n += count_nodes(i, limit);
                if n > limit {
                    break;
                }
            }
        }
        Value::Map(m) => {
            for (_, v) in m {
                n += 1 + count_nodes(v, limit);
                if n > limit {
                    break;
                }
            }
        }
        _ => {}
    }
    n
}

/// A key's text: scalars keep their written text (yaml.v3 decodes any scalar key into a
/// string key that way).
fn key_text(key: &Node) -> Option<String> {
    match &key.value {
        Value::Str(s) => Some(s.clone()),
        Value::Null => Some(String::new()),
        Value::Seq(_) | Value::Map(_) => None,
        _ => key.scalar_text(),
    }
}

/// Resolves a scalar to a typed value with yaml.v3's rules.
pub fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(tag) = tag {
        let core = tag.handle == "tag:yaml.org,2002:" || tag.handle == "!!";
        if core {
            match tag.suffix.as_str() {
                "str" | "binary" | "timestamp" => return Value::Str(text.to_string()),
                "null" => return Value::Null,
                "bool" | "int" | "float" => {
                    let v = resolve_plain(text);
                    return match (tag.suffix.as_str(), v) {
                        ("float", Value::Int(i)) => Value::Float(i as f64),
                        (_, v) if !matches!(v, Value::Str(_)) => v,
                        _ => Value::Str(text.to_string()),
                    };
                }
                _ => {}
            }
        }
        // Local tags (`!foo`) don't change the value in kustomize's JSON round trip.
        if style != ScalarStyle::Plain {
            return Value::Str(text.to_string());
        }
        return resolve_plain(text);
    }
    match style {
        ScalarStyle::Plain => resolve_plain(text),
        _ => Value::Str(text.to_string()),
    }
}

fn resolve_plain(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        _ => {}
    }
    let first = s.as_bytes()[0];
    if first == b'.' {
        if let Ok(f) = s.parse::<f64>() {
            if s[1..].bytes().next().is_some_and(|b| b.is_ascii_digit()) {
                return Value::Float(f);
            }
        }
        return Value::Str(s.to_string());
    }
    if !(first.is_ascii_digit() || first == b'+' || first == b'-') {
        return Value::Str(s.to_string());
    }
    // Timestamps stay strings when decoded into interface{} (yaml.v3 compatibility rule).
    if crate::emit::goyaml::is_go_timestamp(s) {
        return Value::Str(s.to_string());
    }
    let plain: String = s.chars().filter(|&c| c != '_').collect();
    if let Some(v) = parse_go_int(&plain) {
        return v;
    }
    if crate::emit::goyaml::is_yaml_style_float(&plain) {
        if let Ok(f) = plain.parse::<f64>() {
            return Value::Float(f);
        }
    }
    let (neg, body) = match plain.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, plain.as_str()),
    };
    for (prefix, radix) in [("0b", 2), ("0o", 8)] {
        if let Some(digits) = body.strip_prefix(prefix) {
            if let Ok(u) = u64::from_str_radix(digits, radix) {
                if neg {
                    if let Ok(i) = i64::try_from(u) {
                        return Value::Int(-i);
                    }
                } else {
                    return match i64::try_from(u) {
                        Ok(i) => Value::Int(i),
                        Err(_) => Value::UInt(u),
                    };
                }
            }
        }
    }
    Value::Str(s.to_string())
}

/// Go's `strconv.ParseInt(s, 0, 64)`, falling back to `ParseUint`.
fn parse_go_int(s: &str) -> Option<Value> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let mag = u64::from_str_radix(digits, radix).ok()?;
    if neg {
        if mag <= i64::MAX as u64 + 1 {
            return Some(Value::Int((mag as i128).wrapping_neg() as i64));
        }
        return None;
    }
    if s.starts_with('+') {
        return i64::try_from(mag).ok().map(Value::Int);
    }
    Some(match i64::try_from(mag) {
        Ok(i) => Value::Int(i),
        Err(_) => Value::UInt(mag),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read(text: &str, part_bytes: usize) -> String {
        let file = SourceFile::new("t.yaml".into(), "t.yaml".into(), text);
        let whole = read_part(
            &file,
            FileId(0),
            DuplicateKeys::Record,
            0..text.len(),
            &Budget::default(),
        );
        let parts = read_documents_in_parts(&file, FileId(0), DuplicateKeys::Record, part_bytes);
        let (whole, parts) = (describe(whole), describe(parts));
        assert_eq!(
            whole, parts,
            "read in parts differs from one piece on {text:?}"
        );
        parts
    }

    /// Documents, locations and errors, but not where an empty block scalar (`a: |`) that
    /// ends a part starts: saphyr places it at the next token, which a part does not have.
    fn describe(read: Result<(Vec<Node>, Vec<Diag>)>) -> String {
        fn strip(node: &mut Node) {
            match &mut node.value {
                Value::Str(s) if s.trim().is_empty() => node.origin = None,
                Value::Seq(items) => items.iter_mut().for_each(strip),
                Value::Map(entries) => entries.iter_mut().for_each(|(_, v)| strip(v)),
                _ => {}
            }
        }
        format!(
            "{:?}",
            read.map(|(mut docs, repeated)| {
                docs.iter_mut().for_each(strip);
                (docs, repeated)
            })
        )
    }

    #[test]
    fn parts_start_at_document_markers_only() {
        let text = "a: 1\n---\nb: 2\n--- # c\nc: |\n  text\n---x: 3\n----\n---\n";
        let cuts: Vec<_> = document_parts(text, 0).iter().map(|r| r.start).collect();
        assert_eq!(cuts, [0, 5, 14, 47]);
        assert_eq!(document_parts(text, 10).len(), 3);
        assert_eq!(
            document_parts("%YAML 1.2\n---\na: 1\n---\nb: 2\n", 0).len(),
            1
        );
        let block_scalar_document = "a: 1\n--- !!str &a |\n  t\n---\nb: 2\n";
        assert_eq!(document_parts(block_scalar_document, 0).len(), 1);
    }

    #[test]
    fn a_marker_and_a_tab_after_an_indented_block_scalar_reads_as_one_piece() {
        let out = read("  |+\n  \n---\t# c\na: &x [1]", 1);
        assert!(out.starts_with("Err"), "{out}");
    }

    #[test]
    fn parts_keep_locations_of_non_ascii_text() {
        let out = read("a: é\n---\nb: ü\n---\nc: [1,\n", 1);
        assert!(out.starts_with("Err"), "{out}");
        let out = read("a: é\n---\nb: ü\n---\nc: ö\nc: 2\n", 1);
        assert!(out.contains("already defined"), "{out}");
    }

    #[test]
    fn alias_budget_spans_the_whole_file() {
        let doc =
            "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n";
        // Each document adds 110 nodes: under the limit alone, over it together.
        let text = vec![doc; MAX_ALIAS_EXPANSION / 110 + 1].join("---\n");
        let out = read(&text, 1);
        assert!(out.contains("alias-bomb"), "{}", &out[..200.min(out.len())]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]
        /// Any text reads the same in parts as in one piece: documents, locations, errors.
        #[test]
        fn reading_in_parts_changes_nothing(lines in proptest::collection::vec(prop::sample::select(vec![
            "---", "|+", "|", "  |+", "--- |", "--- |+", "--- >-", "---\t# c", "  \t", "- |+", "&a |",
            "...", "", "  ", "a: |+", "a: >", "  text", "text", "  - x", "- y", "k: 'q", "  q'", "k: \"q", "%YAML 1.2", "a: &x [1]",
            "b: *x", "? c", ": d", "\tt: 1", "- [a,", "  b]", "]", "#c", "é: ü", "a: b", "a: c",
            "x: 2001-12-14t21:59:43.10-05:00", "  ü", "{a: 1,", "b: 2}", "-", "  ---", "---a",
        ]), 0..24), crlf in any::<bool>()) {
            let text = lines.join(if crlf { "\r\n" } else { "\n" });
            read(&text, 1);
            read(&text, 7);
        }
    }
}
