//! Source files and positions: every node of every resource points back here.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// Where a node came from: a byte span in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Origin {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Origin {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Origin {
            file,
            start: clamp(start),
            end: clamp(end),
        }
    }
}

/// A file's text, shared without a copy: the text read from a file stays where it was read
/// (a chart's templates are megabytes, and each copy is fresh memory to fault in).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SharedText(Arc<String>);

impl std::ops::Deref for SharedText {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> Self {
        SharedText(Arc::new(text))
    }
}

impl From<&str> for SharedText {
    fn from(text: &str) -> Self {
        SharedText(Arc::new(text.to_string()))
    }
}

/// One file's text with a line index.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user should read it (relative to the working directory when possible).
    pub display: String,
    pub path: PathBuf,
    pub text: SharedText,
    /// Built on first use: most files never need a line number (only diagnostics do).
    line_index: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: impl Into<SharedText>) -> Self {
        SourceFile {
            display,
            path,
            text: text.into(),
            line_index: std::sync::OnceLock::new(),
        }
    }

    /// The byte offset where each line starts. Lines end at `\n`, `\r\n` or a lone `\r`,
    /// as YAML (and the parser) count them.
    fn line_starts(&self) -> &[usize] {
        self.line_index.get_or_init(|| {
            let bytes = self.text.as_bytes();
            let mut starts = vec![0];
            starts.extend(
                memchr::memchr2_iter(b'\n', b'\r', bytes)
                    .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
                    .map(|i| i + 1),
            );
            starts
        })
    }

    /// The byte range of the lines from `context` lines before the line of `start` to
    /// `context` lines after the line of `end`, and the 0-based index of its first line.
    pub fn window(&self, start: usize, end: usize, context: usize) -> (usize, usize, usize) {
        let line_of = |offset: usize| {
            self.line_starts()
                .partition_point(|&s| s <= offset.min(self.text.len()))
                .saturating_sub(1)
        };
        let first = line_of(start).saturating_sub(context);
        let last = line_of(end) + context + 1;
        let from = self.line_starts().get(first).copied().unwrap_or(0);
        let to = self
            .line_starts()
            .get(last)
            .copied()
            .unwrap_or(self.text.len());
        (from, to, first)
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self
            .line_starts()
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.line_starts()[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// Byte offset of a 1-based line and 0-based character column (saphyr's markers).
    pub fn byte_offset(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts().get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        rest.char_indices()
            .nth(col)
            .map_or(self.text.len(), |(i, _)| start + i)
    }
}

/// Where each byte of a scalar's value was written in its file, so that text parsed out of a
/// value (a kustomization's inline `patch: |`) is located in the file that holds it, not in a
/// file of its own.
#[derive(Clone, Debug)]
pub struct Embedding {
    file: FileId,
    /// `offsets[i]` is where byte `i` of the value is in the file; one more for the end.
    offsets: Vec<u32>,
}

impl Embedding {
    /// Lines up `value` with how it is written from `at` in `file` (after a block scalar's
    /// `|`/`>` header or an opening quote): each character of the value is found at or
    /// after the previous one, skipping indentation, quotes and line folding. `None` when
    /// the value is not found character for character within the scalar as written (an
    /// escape such as `\n` in a double-quoted string); callers then keep the scalar's
    /// own position.
    pub fn new(source: &SourceFile, file: FileId, at: Origin, value: &str) -> Option<Self> {
        let text = &*source.text;
        let (start, node_end) = (at.start as usize, at.end as usize);
        // The scalar ends where its node does; a block scalar's node may end before its
        // last line's break, so allow the rest of that line.
        let end = text
            .get(node_end..)?
            .find('\n')
            .map_or(text.len(), |i| node_end + i);
        let written = text.get(start..end)?;
        let content = match written.chars().next() {
            Some('|' | '>') => written.find('\n').map_or(written.len(), |i| i + 1),
            Some('"' | '\'') => 1,
            _ => 0,
        };
        let mut offsets = Vec::with_capacity(value.len() + 1);
        let mut rest = written.char_indices().skip_while(|(i, _)| *i < content);
        let mut last = start + content;
        for c in value.chars() {
            let (i, _) = rest.find(|(_, w)| *w == c)?;
            last = start + i;
            for byte in 0..c.len_utf8() {
                offsets.push(u32::try_from(last + byte).ok()?);
            }
        }
        offsets.push(u32::try_from(last + value.chars().last().map_or(0, char::len_utf8)).ok()?);
        Some(Embedding { file, offsets })
    }

    /// The place in the holding file of a span of the value's own text.
    pub fn origin(&self, o: Origin) -> Origin {
        let at = |i: u32| {
            self.offsets
                .get(i as usize)
                .or(self.offsets.last())
                .copied()
                .unwrap_or(0)
        };
        let start = at(o.start);
        // The end is just past the span's last byte (the next byte of the value may be
        // written further on, past indentation).
        let end = if o.end > o.start {
            at(o.end - 1).saturating_add(1)
        } else {
            start
        };
        Origin {
            file: self.file,
            start,
            end,
        }
    }
}

/// All files read in one run, shared by every stage and every thread.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: RwLock<Vec<Arc<SourceFile>>>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&self, path: &Path, text: impl Into<SharedText>) -> FileId {
        let display = display_path(path);
        let file = Arc::new(SourceFile::new(path.to_path_buf(), display, text));
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        files.push(file);
        FileId(u32::try_from(files.len() - 1).unwrap_or(u32::MAX))
    }

    pub fn get(&self, id: FileId) -> Option<Arc<SourceFile>> {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        files.get(id.0 as usize).cloned()
    }

    /// `file:line:col` of an origin.
    /// The source text an origin spans.
    pub fn text_of(&self, origin: Origin) -> Option<String> {
        let file = self.get(origin.file)?;
        file.text
            .get(origin.start as usize..origin.end as usize)
            .map(str::to_string)
    }

    pub fn describe(&self, origin: Origin) -> String {
        match self.get(origin.file) {
            Some(f) => {
                let (l, c) = f.line_col(origin.start as usize);
                format!("{}:{}:{}", f.display, l, c)
            }
            None => "<unknown>".to_string(),
        }
    }
}

/// A path relative to the working directory when it is inside it, else as given.
pub fn display_path(path: &Path) -> String {
    if let Some(cwd) = working_dir() {
        if let Ok(rel) = path.strip_prefix(cwd) {
            // The working directory itself is `.`, never an empty string.
            if rel.as_os_str().is_empty() {
                return ".".to_string();
            }
            return rel.display().to_string();
        }
    }
    path.display().to_string()
}

/// The working directory, read once: kit never changes it, and every file it reads is named
/// relative to it (a chart's hundreds of files were as many `getcwd` calls).
fn working_dir() -> Option<&'static Path> {
    static CWD: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    CWD.get_or_init(|| std::env::current_dir().ok()).as_deref()
}

/// The root of the repository `path` is in: the nearest directory at or above it (above its
/// directory, for a file) that holds `.git` (a directory, or the file of a worktree or
/// submodule); outside a repository, the working directory when the path is inside it,
/// else the path's own directory. Canonical when the path exists.
pub fn repository_root(path: &Path) -> PathBuf {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let start = if path.is_dir() {
        path.clone()
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    if let Some(repo) = start.ancestors().find(|d| d.join(".git").exists()) {
        return repo.to_path_buf();
    }
    let cwd = working_dir().map(|c| std::fs::canonicalize(c).unwrap_or_else(|_| c.to_path_buf()));
    match cwd {
        Some(cwd) if start.starts_with(&cwd) => cwd,
        _ => start,
    }
}

/// `path` relative to `root` with `/` separators (`..` first when it is outside `root`), for
/// reports that name files by their place in the repository (SARIF, GitHub annotations).
/// A relative `path` is taken from the working directory; `root` is canonical.
pub fn relative_to(path: &Path, root: &Path) -> String {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        working_dir().unwrap_or(Path::new("")).join(path)
    };
    let path = std::fs::canonicalize(&absolute).unwrap_or(absolute);
    let from: Vec<_> = root.components().collect();
    let to: Vec<_> = path.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// The file on disk a source stands for: its path when it is a file, else the file named
/// before a ` (...)` suffix (`kustomization.yaml (inline patch)`, a chart's
/// `templates/x.yaml (rendered)`), with `false` as spans then do not index that file.
/// `None` for stdin and text that is no file's.
pub fn file_on_disk(file: &SourceFile) -> Option<(PathBuf, bool)> {
    if file.path.is_file() {
        return Some((file.path.clone(), true));
    }
    let text = file.path.to_string_lossy();
    let (base, _) = text.rsplit_once(" (")?;
    let base = PathBuf::from(base);
    base.is_file().then_some((base, false))
}
