//! Reading files: each file is read and parsed once per run, however many roots include it.

pub mod timestamp;
pub mod yaml;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::diag::{Diag, Result};
use crate::model::{Node, Resource, Value};
use crate::source::{FileId, SourceMap};

/// Files larger than this are refused: no manifest is this big, and reading it whole would
/// be a denial of service.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// One parsed file.
#[derive(Debug)]
pub struct Loaded {
    pub file: FileId,
    pub docs: Vec<Node>,
}

/// One parsed file, owned by the caller.
#[derive(Debug)]
pub struct Owned {
    pub file: FileId,
    pub docs: Vec<Node>,
    /// Repeated mapping keys (with [`Loader::recording`]; otherwise they are errors).
    pub repeated_keys: Vec<Diag>,
}

/// Reads and parses files, caching by canonical path; safe to share between threads.
#[derive(Debug, Default)]
pub struct Loader {
    pub sources: Arc<SourceMap>,
    /// What a repeated mapping key in a manifest means (an error unless told otherwise).
    pub duplicate_keys: Option<yaml::DuplicateKeys>,
    cache: Mutex<HashMap<PathBuf, Arc<Result<Arc<Loaded>>>>>,
    /// Every path this loader was asked for (cache hits included), in order: what a render
    /// made with it depends on.
    reads: Mutex<Vec<PathBuf>>,
    /// Documents read so far, all files together, against [`yaml::MAX_DOCUMENTS`].
    documents: std::sync::atomic::AtomicUsize,
}

impl Loader {
    pub fn new() -> Self {
        Self::default()
    }

    /// A loader with an empty cache and no reads yet that registers its files in the same
    /// source map, so that renders made with either report into one run (`kit lint` renders
    /// each kustomization of a repository with its own loader to learn which files it reads).
    pub fn sharing_sources(&self) -> Self {
        Loader {
            sources: self.sources.clone(),
            duplicate_keys: self.duplicate_keys,
            ..Self::default()
        }
    }

    /// The paths read so far, as they were asked for (not canonical), each once.
    pub fn reads(&self) -> Vec<PathBuf> {
        let mut seen = std::collections::HashSet::new();
        let reads = self.reads.lock().unwrap_or_else(|e| e.into_inner());
        reads.iter().filter(|p| seen.insert(*p)).cloned().collect()
    }

    fn note_read(&self, path: &Path) {
        self.reads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(path.to_path_buf());
    }

    /// Reads and parses a YAML file (cached).
    pub fn load(&self, path: &Path) -> Result<Arc<Loaded>> {
        let key = path.to_path_buf();
        if let Some(hit) = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            self.note_read(path);
            return (**hit).clone();
        }
        let result = self.read_and_parse(path);
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, Arc::new(result.clone()));
        result
    }

    /// Reads a kustomization file: repeated keys are allowed (the last wins), as kustomize
    /// reads these files through JSON. Not cached: each is read once per build anyway.
    pub fn load_kustomization(&self, path: &Path) -> Result<Arc<Loaded>> {
        let text = self.read_text(path)?;
        self.parse_text(path, text, yaml::DuplicateKeys::LastWins)
    }

    /// Parses text that did not come from a file (stdin).
    pub fn load_text(&self, name: &Path, text: String) -> Result<Arc<Loaded>> {
        self.parse_text(name, text, self.manifest_duplicates())
    }

    /// A loader on which a repeated key in a manifest is not an error: the last value wins
    /// (`kit validate --no-strict`, as the API server decodes without strict validation).
    pub fn lenient() -> Self {
        Loader {
            duplicate_keys: Some(yaml::DuplicateKeys::LastWins),
            ..Self::default()
        }
    }

    /// A loader on which [`Loader::load_owned`] and [`Loader::load_text_owned`] read a
    /// repeated key as the last value and report it (`kit validate --strict`).
    pub fn recording() -> Self {
        Loader {
            duplicate_keys: Some(yaml::DuplicateKeys::Record),
            ..Self::default()
        }
    }

    /// How the cached loads treat repeated keys (recording needs an owner for the record,
    /// so cached loads refuse them, as kustomize does).
    fn manifest_duplicates(&self) -> yaml::DuplicateKeys {
        match self.duplicate_keys {
            Some(yaml::DuplicateKeys::LastWins) => yaml::DuplicateKeys::LastWins,
            _ => yaml::DuplicateKeys::Error,
        }
    }

    /// Reads a file as text (for kustomization files and manifests).
    pub fn read_text(&self, path: &Path) -> Result<String> {
        let bytes = self.read_bytes(path)?;
        String::from_utf8(bytes).map_err(|e| not_utf8(path, e.as_bytes(), e.utf8_error()))
    }

    /// Reads a file as bytes (generator inputs may be binary), refusing directories, files
    /// that are not regular files (named pipes, sockets, devices: opened without blocking and
    /// refused before any read, so a pipe never blocks) and files over the size limit. One
    /// open and one status of the open file: a chart is hundreds of files, and a second
    /// lookup of each path cost more than its read.
    pub fn read_bytes(&self, path: &Path) -> Result<Vec<u8>> {
        use std::io::Read;
        self.note_read(path);
        let mut open = std::fs::OpenOptions::new();
        open.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            let flags = rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOCTTY;
            open.custom_flags(flags.bits() as i32);
        }
        let is_directory = || {
            Diag::error(
                "kit::load::is-directory",
                "expected a file but found a directory",
            )
            .path(crate::source::display_path(path))
        };
        // Windows refuses to open a directory as a file: that is the same error.
        let file = open.open(path).map_err(|e| {
            if path.is_dir() {
                is_directory()
            } else {
                io_error(path, &e)
            }
        })?;
        let meta = file.metadata().map_err(|e| io_error(path, &e))?;
        if meta.is_dir() {
            return Err(is_directory());
        }
        check_regular(path, &meta)?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(Diag::error(
                "kit::load::too-large",
                format!(
                    "file is {} bytes, more than the {} byte limit",
                    meta.len(),
                    MAX_FILE_BYTES
                ),
            )
            .path(crate::source::display_path(path))
            .help(
                "split the file; manifests this large are almost certainly generated by mistake",
            ));
        }
        // Read at its size in one call (a reader of unknown size starts at 8 KiB and doubles,
        // a call at each step), then to the end, bounded by the limit should the file have
        // grown since its size was read.
        let mut bytes = vec![0; usize::try_from(meta.len()).unwrap_or(0)];
        let mut filled = 0;
        let mut file = file;
        while filled < bytes.len() {
            match file.read(&mut bytes[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io_error(path, &e)),
            }
        }
        bytes.truncate(filled);
        file.take(MAX_FILE_BYTES - meta.len())
            .read_to_end(&mut bytes)
            .map_err(|e| io_error(path, &e))?;
        Ok(bytes)
    }

    /// Reads and parses a file without caching it, handing over its documents (for
    /// commands that read each file once and want its nodes without a copy).
    /// With [`Loader::recording`], repeated keys come back as diagnostics.
    pub fn load_owned(&self, path: &Path) -> Result<Owned> {
        let text = self.read_text(path)?;
        self.load_text_owned(path, text)
    }

    /// [`Loader::load_owned`] for text that did not come from a file (stdin).
    pub fn load_text_owned(&self, name: &Path, text: String) -> Result<Owned> {
        let id = self.sources.add(name, text);
        let file = self
            .sources
            .get(id)
            .ok_or_else(|| Diag::error("kit::load::internal", "lost a source file"))?;
        let mode = self.duplicate_keys.unwrap_or(yaml::DuplicateKeys::Error);
        let (docs, repeated) = yaml::parse_documents_recorded(&file, id, mode)?;
        self.count_documents(name, docs.len())?;
        Ok(Owned {
            file: id,
            docs,
            repeated_keys: repeated,
        })
    }

    fn read_and_parse(&self, path: &Path) -> Result<Arc<Loaded>> {
        let text = self.read_text(path)?;
        self.parse_text(path, text, self.manifest_duplicates())
    }

    /// Registers the text as a source file and parses its documents.
    fn parse_text(
        &self,
        path: &Path,
        text: String,
        duplicates: yaml::DuplicateKeys,
    ) -> Result<Arc<Loaded>> {
        let id = self.sources.add(path, text);
        let file = self
            .sources
            .get(id)
            .ok_or_else(|| Diag::error("kit::load::internal", "lost a source file"))?;
        let docs = yaml::parse_documents_with(&file, id, duplicates)?;
        self.count_documents(path, docs.len())?;
        Ok(Arc::new(Loaded { file: id, docs }))
    }

    /// Adds a file's documents to the run's count; past [`yaml::MAX_DOCUMENTS`] an error
    /// naming the file that went over.
    fn count_documents(&self, path: &Path, n: usize) -> Result<()> {
        use std::sync::atomic::Ordering;
        let before = self.documents.fetch_add(n, Ordering::Relaxed);
        if before.saturating_add(n) > yaml::MAX_DOCUMENTS {
            return Err(yaml::too_many_documents().path(crate::source::display_path(path)));
        }
        Ok(())
    }
}

/// The text of a file that may not be a regular one (a pipe, a device), read up to
/// [`MAX_FILE_BYTES`]: only for a path the user named on the command line, never for a file
/// found in a repository (see [`check_regular`]).
pub fn read_bounded(path: &Path) -> Result<String> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(|e| io_error(path, &e))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, &e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Diag::error(
            "kit::load::too-large",
            format!("more than the {MAX_FILE_BYTES} byte limit"),
        )
        .path(crate::source::display_path(path)));
    }
    String::from_utf8(bytes).map_err(|e| not_utf8(path, e.as_bytes(), e.utf8_error()))
}

/// Refuses what is neither a regular file nor a directory: reading a named pipe blocks until
/// something writes to it (forever, in a tree from elsewhere), and a device reads without end.
pub fn check_regular(path: &Path, meta: &std::fs::Metadata) -> Result<()> {
    if meta.is_file() || meta.is_dir() {
        return Ok(());
    }
    #[cfg(unix)]
    let what = {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            "a named pipe (FIFO)"
        } else if t.is_socket() {
            "a socket"
        } else if t.is_char_device() || t.is_block_device() {
            "a device"
        } else {
            "a special file"
        }
    };
    #[cfg(not(unix))]
    let what = "a special file";
    Err(Diag::error(
        "kit::load::not-a-file",
        format!(
            "{} is {what}, not a regular file",
            path.file_name().map_or_else(
                || crate::source::display_path(path),
                |n| n.to_string_lossy().into_owned()
            )
        ),
    )
    .path(crate::source::display_path(path))
    .help("kit reads only regular files and directories; write the content to a file (or pass it on stdin as `-`)"))
}

/// The error for a file that is not UTF-8, at the line and column (in characters) of the
/// first byte that is not, as `path:line:col`.
pub fn not_utf8(path: &Path, bytes: &[u8], e: std::str::Utf8Error) -> Diag {
    let at = e.valid_up_to().min(bytes.len());
    let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
    // Lines end at `\n`, `\r\n` or a lone `\r`, as in [`crate::source::SourceFile`].
    let line_start = valid.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = 1 + valid.matches('\n').count() + valid.matches('\r').count()
        - valid.matches("\r\n").count();
    let column = 1 + valid[line_start..].chars().count();
    let byte = bytes
        .get(at)
        .map_or(String::new(), |b| format!(" 0x{b:02x}"));
    Diag::error(
        "kit::load::not-utf8",
        format!("file is not valid UTF-8: byte{byte} here is not a character"),
    )
    .path(format!(
        "{}:{line}:{column}",
        crate::source::display_path(path)
    ))
    .help("save the file as UTF-8 (a binary file belongs in a generator's `files`, which reads any bytes)")
}

/// An I/O error on `path`. Where the path came from decides the help for a missing path:
/// see [`argument_io_error`] and [`in_kustomization`].
pub fn io_error(path: &Path, e: &std::io::Error) -> Diag {
    let shown = crate::source::display_path(path);
    let (msg, help) = match e.kind() {
        std::io::ErrorKind::NotFound => ("no such file or directory".to_string(), "check the path"),
        std::io::ErrorKind::PermissionDenied => {
            ("permission denied".to_string(), "make the file readable")
        }
        _ if e.raw_os_error() == Some(40) => (
            "too many levels of symbolic links (a symlink loop?)".to_string(),
            "fix the symbolic links so that they do not point at each other",
        ),
        _ => (e.to_string(), "check the path"),
    };
    Diag::error("kit::load::io", msg).path(shown).help(help)
}

/// An I/O error on a path given on the command line: a missing one is relative to the
/// working directory.
pub fn argument_io_error(path: &Path, e: &std::io::Error) -> Diag {
    let d = io_error(path, e);
    if e.kind() != std::io::ErrorKind::NotFound {
        return d;
    }
    let cwd = std::env::current_dir()
        .map(|c| format!(" ({})", c.display()))
        .unwrap_or_default();
    d.help(format!(
        "check the path; a path on the command line is relative to the working directory{cwd}"
    ))
}

/// The help of a missing-path error for a path a kustomization names (`written`): it is
/// relative to the kustomization's directory `dir`, and a URL other than http(s) is no file.
pub fn in_kustomization(d: Diag, dir: &Path, written: &str) -> Diag {
    if d.code != "kit::load::io" || d.message != "no such file or directory" {
        return d;
    }
    let scheme = written.split_once("://").map(|(s, _)| s);
    let scp_like = written
        .split_once(':')
        .is_some_and(|(host, _)| host.contains('@') && !host.contains('/'));
    if scheme.is_some() || scp_like {
        return d.help(format!(
            "`{written}` is read as a local path: a file here is a path or an http(s) URL, as kustomize reads it; a git repository (file://, ssh://, git@) can only be a base in `resources:` or `components:`"
        ));
    }
    d.help(format!(
        "check the path; a path in a kustomization is relative to the kustomization's directory ({})",
        crate::source::display_path(dir)
    ))
}

/// Turns a file's documents into resources. `*List` documents with `items` are expanded as
/// kustomize does: their items go to the end of the queue.
pub fn resources_from_docs(docs: &[Node]) -> Result<Vec<Resource>> {
    resources_from_owned_docs(docs.to_vec())
}

/// [`resources_from_docs`], taking the documents.
pub fn resources_from_owned_docs(docs: Vec<Node>) -> Result<Vec<Resource>> {
    let mut queue: std::collections::VecDeque<Node> = docs.into();
    let mut out = Vec::new();
    while let Some(doc) = queue.pop_front() {
        // kustomize drops empty documents (`{}`, `[]`, `null`: kyaml's IsNilOrEmpty).
        let empty = match &doc.value {
            Value::Null => true,
            Value::Map(m) => m.is_empty(),
            Value::Seq(s) => s.is_empty(),
            _ => false,
        };
        if empty {
            continue;
        }
        let Value::Map(_) = &doc.value else {
            return Err(Diag::error(
                "kit::load::not-an-object",
                "a YAML document must be a mapping (a Kubernetes object)",
            )
            .at(doc.origin)
            .help("each document needs apiVersion, kind and metadata.name"));
        };
        let kind = doc.get_str("kind").unwrap_or("").to_string();
        if kind.ends_with("List") {
            match doc.get("items").map(|i| &i.value) {
                None => {}
                Some(Value::Null) => continue,
                Some(Value::Seq(_)) => {
                    let mut doc = doc;
                    if let Some(Value::Seq(items)) = doc.remove("items").map(|n| n.value) {
                        queue.extend(items);
                    }
                    continue;
                }
                Some(_) => {
                    return Err(Diag::error(
                        "kit::load::bad-list",
                        format!("expected a list in {kind}/items"),
                    )
                    .at(doc.get("items").and_then(|i| i.origin)))
                }
            }
        }
        if kind.is_empty() {
            return Err(
                Diag::error("kit::load::missing-kind", "resource has no `kind`")
                    .at(doc.origin)
                    .help("add apiVersion and kind to the document"),
            );
        }
        out.push(Resource::new(doc));
    }
    Ok(out)
}
