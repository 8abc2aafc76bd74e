//! Remote bases: git repositories named in `resources`, `components` and `bases`, fetched as
//! kustomize fetches them but once, into a persistent cache keyed by commit id, and pinned by
//! the root's `kit.lock`. HTTP(S) files (in `resources`, and wherever else a kustomization
//! names a file: patches, generator files, schemas, values) go the same way, keyed by digest
//! ([`Remote::http_file`]).
//!
//! How a remote base becomes a directory:
//!
//! 1. Its ref is resolved to a commit: a full commit id stands for itself; otherwise the
//!    root's `kit.lock` pins it; otherwise (or with `kit update`) `git ls-remote` asks the
//!    remote. With `--locked` the lock must pin it, and the remote must still agree; with
//!    `--offline` only the lock counts and nothing touches the network.
//! 2. A commit already in the cache (`<cache>/git/checkouts/<commit>`) is used as it is: no
//!    fetch. Otherwise the repository is fetched shallowly (`git init`, `git fetch
//!    --depth=1 URL REF`, `git checkout FETCH_HEAD`, submodules) into a scratch directory
//!    of the cache, its `.git` removed, and renamed into place (so that a checkout in the
//!    cache is always complete).
//!
//! A lock with `vendor:` (written by `kit vendor`) takes every entry from that directory
//! instead (`git/<commit>`, `http/<sha256>`, `charts/<sha256>.tgz`, the cache's layout):
//! nothing is resolved or fetched, and an entry the lock or the directory lacks is an error.
//!
//! Only this module and `cluster/` touch the network, and only when the input names
//! something remote; every fetch is announced on stderr unless quiet.

pub mod charts;
pub mod git;
pub mod helmconfig;
pub mod http;
pub mod lock;
pub mod oci;
pub mod repospec;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use crate::diag::{Diag, Result};
pub use charts::{ChartRequest, Credentials, FetchedChart};
pub use lock::{ChartPin, GitPin, HttpPin, Lock, Vendor, LOCK_FILE};
pub use repospec::RepoSpec;

/// How remote bases may be resolved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// Pinned commits from the lock; unpinned refs resolved on the remote.
    #[default]
    Normal,
    /// Everything must be pinned by the lock, and the remote must still agree.
    Locked,
    /// Lock and cache only; no network.
    Offline,
    /// Every ref resolved on the remote again, whatever the lock says (`kit update`).
    Update,
}

/// Settings for remote bases.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub mode: Mode,
    /// Do not announce fetches on stderr.
    pub quiet: bool,
    /// The cache directory (default: `$KIT_CACHE_DIR`, else `$XDG_CACHE_HOME/kit`, else
    /// `~/.cache/kit`).
    pub cache_dir: Option<PathBuf>,
    /// Fetch as if the lock named no vendor directory (`kit vendor` fills it).
    pub skip_vendor: bool,
}

/// A remote base's repository, checked out.
#[derive(Clone, Debug)]
pub struct Checkout {
    /// The checkout's directory in the cache (canonical).
    pub root: PathBuf,
    pub pin: GitPin,
}

/// Fetches and caches remote bases; shared by every root and thread of a run.
#[derive(Debug)]
pub struct Remote {
    options: Options,
    /// The cache's `git/checkouts` directory, canonical, once known.
    checkouts: OnceLock<std::result::Result<PathBuf, String>>,
    git: OnceLock<Option<PathBuf>>,
    /// `ls-remote` answers of this run, by (URL, ref).
    resolved: Mutex<HashMap<(String, String), Option<String>>>,
    /// One fetch at a time (two roots needing one commit fetch it once).
    fetching: Mutex<()>,
    /// The checkouts used in this run, and the repository and commit of each (for messages).
    used: Mutex<HashMap<PathBuf, GitPin>>,
    /// Files downloaded in this run, by URL (every root of a run sees the same bytes).
    downloads: Mutex<HashMap<String, HttpFile>>,
    /// Chart versions found in this run, by (repository, chart, constraint).
    found_charts: Mutex<HashMap<(String, String, String), charts::Found>>,
    /// Chart repository indexes read in this run, by repository URL.
    indexes: Mutex<HashMap<String, Arc<charts::Index>>>,
}

/// What an HTTP(S) file URL gave.
#[derive(Clone, Debug)]
pub enum HttpFile {
    /// The file, and its digest.
    Body { bytes: Vec<u8>, pin: HttpPin },
    /// A status other than 2xx: kustomize then tries the URL as a git repository.
    Status(u16),
}

impl Default for Remote {
    fn default() -> Self {
        Remote::new(Options::default())
    }
}

/// The cache directory from the environment: `$KIT_CACHE_DIR`, else `$XDG_CACHE_HOME/kit`,
/// else `$HOME/.cache/kit`.
pub fn default_cache_dir() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    var("KIT_CACHE_DIR")
        .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("kit")))
        .or_else(|| var("HOME").map(|d| d.join(".cache").join("kit")))
}

impl Remote {
    pub fn new(options: Options) -> Self {
        Remote {
            options,
            checkouts: OnceLock::new(),
            git: OnceLock::new(),
            resolved: Mutex::new(HashMap::new()),
            fetching: Mutex::new(()),
            used: Mutex::new(HashMap::new()),
            downloads: Mutex::new(HashMap::new()),
            found_charts: Mutex::new(HashMap::new()),
            indexes: Mutex::new(HashMap::new()),
        }
    }

    /// `'URL' at commit C` for a checkout used in this run.
    pub fn describe(&self, checkout: &Path) -> Option<String> {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        used.get(checkout)
            .map(|p| format!("'{}' at commit {}", p.url, p.commit))
    }

    pub fn mode(&self) -> Mode {
        self.options.mode
    }

    /// The vendor directory this run reads `lock`'s entries from, if any (`kit update` and
    /// `kit vendor` fetch instead).
    pub fn vendored<'a>(&self, lock: &'a Lock) -> Option<&'a Vendor> {
        lock.vendor
            .as_ref()
            .filter(|_| !self.options.skip_vendor && self.options.mode != Mode::Update)
    }

    /// `what` cannot be built from the vendor directory.
    fn not_vendored(&self, what: &str, vendor: &Vendor, lock: &Lock, pinned: bool) -> Diag {
        let why = if pinned {
            format!("is not in the vendor directory {}", vendor.dir.display())
        } else {
            format!("is not pinned in {}", lock.path.display())
        };
        Diag::error("kit::vendor::missing", format!("{what} {why}"))
            .at(vendor.origin)
            .help("kit.lock names a vendor directory, so builds read remote inputs there and fetch nothing; run `kit vendor` (online) to copy what the kustomization uses now")
    }

    /// The checkouts this run used (in the cache or a vendor directory), and their pins.
    pub fn used_checkouts(&self) -> Vec<(PathBuf, GitPin)> {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let mut all: Vec<(PathBuf, GitPin)> =
            used.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        all.sort();
        all
    }

    /// Where the cache keeps the file with this SHA-256 (when it has it).
    pub fn cached_file_path(&self, sha256: &str) -> Result<PathBuf> {
        Ok(self.files_dir()?.join(sha256))
    }

    /// Where the cache keeps the chart archive with this digest (`sha256:HEX`), when it has
    /// it (checked).
    pub fn cached_chart_path(&self, digest: &str) -> Result<Option<PathBuf>> {
        self.cached_chart(digest)
    }

    fn note(&self, message: &str) {
        if !self.options.quiet {
            let _ = writeln!(
                std::io::stderr().lock(),
                "kit: {}",
                redact_passwords(message)
            );
        }
    }

    /// The file at `url` for a root with `lock`: pinned by the lock (from the cache when it
    /// has it, else downloaded and checked against the pin), or downloaded (once a run).
    /// With `--locked` it is downloaded and must match the pin; with `--offline` only the
    /// cache serves it.
    pub fn http_file(&self, url: &str, lock: &Lock) -> Result<HttpFile> {
        if let Some(vendor) = self.vendored(lock) {
            let what = format!("'{url}'");
            let pin = lock
                .find_http(url)
                .ok_or_else(|| self.not_vendored(&what, vendor, lock, false))?;
            let path = vendor.dir.join("http").join(&pin.pin.sha256);
            return match std::fs::read(&path) {
                Ok(bytes) if sha256_hex(&bytes) == pin.pin.sha256 => Ok(HttpFile::Body {
                    bytes,
                    pin: pin.pin.clone(),
                }),
                _ => Err(self.not_vendored(
                    &format!("{what} (sha256 {})", pin.pin.sha256),
                    vendor,
                    lock,
                    true,
                )),
            };
        }
        let pinned = lock
            .find_http(url)
            .filter(|_| self.options.mode != Mode::Update);
        let missing = || self.not_pinned(&format!("'{url}'"), lock);
        let changed = |p: &lock::LockedHttp, now: &str| {
            Diag::error(
                "kit::lock::changed",
                format!(
                    "'{url}' changed: kit.lock pins sha256 {}, but {now}",
                    p.pin.sha256
                ),
            )
            .at(p.origin)
            .help("run `kit update` to pin what the URL serves now (review the change first)")
        };
        match (self.options.mode, pinned) {
            (Mode::Offline | Mode::Locked, None) => Err(missing()),
            (Mode::Offline, Some(p)) => self.cached_file(&p.pin)?.ok_or_else(|| {
                Diag::error(
                    "kit::remote::offline",
                    format!("'{url}' (sha256 {}) is not in the cache", p.pin.sha256),
                )
                .help("build once without --offline to download it (kit.lock keeps the digest)")
            }),
            (Mode::Normal, Some(p)) => {
                if let Some(hit) = self.cached_file(&p.pin)? {
                    return Ok(hit);
                }
                match self.download(url)? {
                    HttpFile::Body { pin, .. } if pin.sha256 != p.pin.sha256 => Err(changed(
                        p,
                        &format!("the URL serves sha256 {} now", pin.sha256),
                    )),
                    got => Ok(got),
                }
            }
            (Mode::Locked, Some(p)) => match self.download(url)? {
                HttpFile::Body { pin, .. } if pin.sha256 != p.pin.sha256 => Err(changed(
                    p,
                    &format!("the URL serves sha256 {} now", pin.sha256),
                )),
                HttpFile::Status(code) => {
                    Err(changed(p, &format!("the URL answers status {code} now")))
                }
                got => Ok(got),
            },
            (Mode::Normal, None) | (Mode::Update, _) => self.download(url),
        }
    }

    /// `what` is not in the lock, which `--offline` and `--locked` need.
    fn not_pinned(&self, what: &str, lock: &Lock) -> Diag {
        let why = if self.options.mode == Mode::Offline {
            "--offline builds from the lock and the cache alone"
        } else {
            "--locked builds only what the lock pins"
        };
        Diag::error(
            "kit::lock::missing",
            format!("{what} is not pinned in {}", lock.path.display()),
        )
        .help(format!("{why}; run `kit update` (online) to pin it"))
    }

    /// The digest this run uses for `url` under `lock`, if it is known without a request.
    pub fn http_digest(&self, url: &str, lock: &Lock) -> Option<String> {
        if let Some(p) = lock
            .find_http(url)
            .filter(|_| self.options.mode != Mode::Update)
        {
            return Some(p.pin.sha256.clone());
        }
        match self
            .downloads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(url)
        {
            Some(HttpFile::Body { pin, .. }) => Some(pin.sha256.clone()),
            _ => None,
        }
    }

    /// The cached bytes of a pinned file (checked against the digest).
    fn cached_file(&self, pin: &HttpPin) -> Result<Option<HttpFile>> {
        let path = self.files_dir()?.join(&pin.sha256);
        let Ok(bytes) = std::fs::read(&path) else {
            return Ok(None);
        };
        Ok((sha256_hex(&bytes) == pin.sha256).then(|| HttpFile::Body {
            bytes,
            pin: pin.clone(),
        }))
    }

    /// GETs `url` (once a run) and keeps a 2xx body in the cache.
    fn download(&self, url: &str) -> Result<HttpFile> {
        if let Some(hit) = self
            .downloads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(url)
        {
            return Ok(hit.clone());
        }
        self.note(&format!("downloading {url}"));
        let got = http::get(url).map_err(|why| {
            Diag::error("kit::remote::http", format!("cannot download '{url}': {why}"))
                .help("check the URL and the network; vendor the file into the repository to build without it")
        })?;
        let file = match got {
            http::Got::Status(code) => HttpFile::Status(code),
            http::Got::Body(bytes) => {
                let pin = HttpPin {
                    url: url.to_string(),
                    sha256: sha256_hex(&bytes),
                };
                let dir = self.files_dir()?;
                if let Err(e) = store(&dir, &pin.sha256, &bytes) {
                    return Err(crate::load::io_error(&dir, &e)
                        .help("remote files are kept in the cache directory; make it writable (KIT_CACHE_DIR overrides it)"));
                }
                HttpFile::Body { bytes, pin }
            }
        };
        self.downloads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(url.to_string(), file.clone());
        Ok(file)
    }

    /// The cache's directory of downloaded files (created), named by their SHA-256.
    fn files_dir(&self) -> Result<PathBuf> {
        let dir = self.cache_root()?.join("http");
        std::fs::create_dir_all(&dir).map_err(|e| crate::load::io_error(&dir, &e))?;
        Ok(dir)
    }

    /// The cache directory (canonical, created).
    fn cache_root(&self) -> Result<PathBuf> {
        let checkouts = self.checkouts_dir()?;
        checkouts
            .parent()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .ok_or_else(|| Diag::error("kit::remote::cache", "the cache directory has no parent"))
    }

    /// The cache's checkouts directory (created).
    fn checkouts_dir(&self) -> Result<PathBuf> {
        let dir = self.checkouts.get_or_init(|| {
            let cache = self
                .options
                .cache_dir
                .clone()
                .or_else(default_cache_dir)
                .ok_or("no cache directory: set KIT_CACHE_DIR, XDG_CACHE_HOME or HOME")?;
            let dir = cache.join("git").join("checkouts");
            std::fs::create_dir_all(&dir)
                .and_then(|()| std::fs::canonicalize(&dir))
                .map_err(|e| format!("cannot create the cache directory {}: {e}", dir.display()))
        });
        dir.clone().map_err(|message| {
            Diag::error("kit::remote::cache", message)
                .help("remote bases are fetched into a cache directory; make one writable (KIT_CACHE_DIR overrides it)")
        })
    }

    /// The checkout (in the cache) that `dir` lies in, if any: kustomizations there are
    /// remote, and held to the remote rules (files and bases only inside the checkout).
    pub fn containing_checkout(&self, dir: &Path) -> Option<PathBuf> {
        if let Some(Ok(checkouts)) = self.checkouts.get() {
            if let Some(first) = dir
                .strip_prefix(checkouts)
                .ok()
                .and_then(|rest| rest.components().next())
            {
                return Some(checkouts.join(first));
            }
        }
        // A checkout in a vendor directory.
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        used.keys().find(|root| dir.starts_with(root)).cloned()
    }

    fn git(&self) -> Result<&Path> {
        self.git
            .get_or_init(git::find)
            .as_deref()
            .ok_or_else(git_missing)
    }

    /// The commit that `url` at `git_ref` resolves to for a root with `lock`, as this run
    /// resolves it (see the module docs); `None` when only a fetch can tell.
    pub fn resolve(&self, spec: &RepoSpec, lock: &Lock) -> Result<Option<String>> {
        let url = spec.clone_spec();
        let git_ref = spec.git_ref.as_str();
        let pinned = lock.find(&url, git_ref);
        let missing = || self.not_pinned(&format!("'{url}' at ref '{}'", spec.fetch_ref()), lock);
        if git::is_commit_id(git_ref) {
            return match (self.options.mode, pinned) {
                (Mode::Locked, None) => Err(missing()),
                _ => Ok(Some(git_ref.to_string())),
            };
        }
        match (self.options.mode, pinned) {
            (Mode::Offline, Some(p)) | (Mode::Normal, Some(p)) => Ok(Some(p.pin.commit.clone())),
            (Mode::Offline | Mode::Locked, None) => Err(missing()),
            (Mode::Locked, Some(p)) => {
                let now = self.ls_remote(spec)?;
                if now.as_deref() == Some(p.pin.commit.as_str()) {
                    return Ok(now);
                }
                let found = now.map_or_else(
                    || "the remote has no such ref now".to_string(),
                    |c| format!("the remote has it at {c} now"),
                );
                Err(Diag::error(
                    "kit::lock::changed",
                    format!(
                        "'{url}' at ref '{}' moved: kit.lock pins {}, but {found}",
                        spec.fetch_ref(),
                        p.pin.commit
                    ),
                )
                .at(p.origin)
                .help("run `kit update` to pin the new commit (review the change first), or pin the ref to a commit id"))
            }
            (Mode::Normal, None) | (Mode::Update, _) => self.ls_remote(spec),
        }
    }

    /// `git ls-remote`, once per URL and ref in a run.
    fn ls_remote(&self, spec: &RepoSpec) -> Result<Option<String>> {
        let key = (spec.clone_spec(), spec.fetch_ref().to_string());
        if let Some(hit) = self
            .resolved
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Ok(hit.clone());
        }
        let git = self.git()?;
        let scratch = self.checkouts_dir()?;
        self.note(&format!("resolving {} at {}", key.0, key.1));
        let found = git::ls_remote(git, &scratch, &key.0, &key.1, spec.timeout)
            .map_err(|e| git_diag(spec, e))?;
        self.resolved
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, found.clone());
        Ok(found)
    }

    /// The repository of `spec` checked out at the commit this root resolves it to, from the
    /// cache or fetched into it.
    pub fn checkout(&self, spec: &RepoSpec, lock: &Lock) -> Result<Checkout> {
        let checkout = self.find_or_fetch(spec, lock)?;
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(checkout.root.clone(), checkout.pin.clone());
        Ok(checkout)
    }

    fn find_or_fetch(&self, spec: &RepoSpec, lock: &Lock) -> Result<Checkout> {
        if let Some(vendor) = self.vendored(lock) {
            return self.vendored_checkout(spec, lock, vendor);
        }
        let commit = self.resolve(spec, lock)?;
        let checkouts = self.checkouts_dir()?;
        let url = spec.clone_spec();
        let pin = |commit: String| GitPin {
            url: url.clone(),
            git_ref: spec.git_ref.clone(),
            commit,
        };
        let cached = || {
            let c = commit.as_ref()?;
            let dir = checkouts.join(cache_name(c, spec.submodules));
            dir.is_dir().then(|| Checkout {
                root: dir,
                pin: pin(c.clone()),
            })
        };
        if let Some(hit) = cached() {
            return Ok(hit);
        }
        if let Some(c) = &commit {
            if self.options.mode == Mode::Offline {
                return Err(Diag::error(
                    "kit::remote::offline",
                    format!(
                        "commit {c} of '{url}' is not in the cache ({})",
                        checkouts.display()
                    ),
                )
                .help("build once without --offline to fetch it (kit.lock keeps the commit)"));
            }
        }
        let _one = self.fetching.lock().unwrap_or_else(|e| e.into_inner());
        // Another root may have fetched it meanwhile.
        if let Some(hit) = cached() {
            return Ok(hit);
        }
        let git = self.git()?;
        self.note(&format!(
            "fetching {url} at {}{}",
            spec.fetch_ref(),
            commit
                .as_deref()
                .filter(|c| *c != spec.git_ref)
                .map(|c| format!(" ({c})"))
                .unwrap_or_default()
        ));
        // A commit the lock pins is fetched by id (the ref may have moved since); a commit
        // ls-remote just found is fetched by its ref, as kustomize fetches it.
        let by_id = commit
            .as_ref()
            .filter(|c| git::is_commit_id(&spec.git_ref) || self.lock_pinned(spec, lock, c));
        let fetched = match by_id {
            Some(c) => self
                .fetch(git, &checkouts, spec, c)
                .or_else(|_| self.fetch(git, &checkouts, spec, spec.fetch_ref())),
            None => self.fetch(git, &checkouts, spec, spec.fetch_ref()),
        };
        let (scratch, got) = fetched?;
        if let Some(c) = commit.as_ref().filter(|c| by_id.is_some() && **c != got) {
            let _ = std::fs::remove_dir_all(&scratch);
            return Err(Diag::error(
                "kit::remote::commit-unavailable",
                format!(
                    "'{url}' no longer serves commit {c} (kit.lock pins it; ref '{}' is at {got})",
                    spec.fetch_ref()
                ),
            )
            .help("run `kit update` to pin what the ref names now"));
        }
        // What the ref names is what was fetched (the ref may have moved since ls-remote).
        if by_id.is_none() {
            self.resolved
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(
                    (url.clone(), spec.fetch_ref().to_string()),
                    Some(got.clone()),
                );
        }
        let dir = checkouts.join(cache_name(&got, spec.submodules));
        if std::fs::rename(&scratch, &dir).is_err() {
            // Another process put the same commit there first: keep theirs.
            let _ = std::fs::remove_dir_all(&scratch);
            if !dir.is_dir() {
                return Err(Diag::error(
                    "kit::remote::cache",
                    format!("cannot move the checkout into {}", dir.display()),
                )
                .help("check that the cache directory is writable"));
            }
        }
        Ok(Checkout {
            root: dir,
            pin: pin(got),
        })
    }

    /// The checkout of `spec` in the vendor directory.
    fn vendored_checkout(&self, spec: &RepoSpec, lock: &Lock, vendor: &Vendor) -> Result<Checkout> {
        let url = spec.clone_spec();
        let what = format!("'{url}' at ref '{}'", spec.fetch_ref());
        let commit = match lock.find(&url, &spec.git_ref) {
            Some(l) => l.pin.commit.clone(),
            None if git::is_commit_id(&spec.git_ref) => spec.git_ref.clone(),
            None => return Err(self.not_vendored(&what, vendor, lock, false)),
        };
        let dir = vendor
            .dir
            .join("git")
            .join(cache_name(&commit, spec.submodules));
        let root = std::fs::canonicalize(&dir)
            .ok()
            .filter(|d| d.is_dir())
            .ok_or_else(|| {
                self.not_vendored(&format!("{what} (commit {commit})"), vendor, lock, true)
            })?;
        Ok(Checkout {
            root,
            pin: GitPin {
                url,
                git_ref: spec.git_ref.clone(),
                commit,
            },
        })
    }

    fn lock_pinned(&self, spec: &RepoSpec, lock: &Lock, commit: &str) -> bool {
        self.options.mode != Mode::Update
            && lock
                .find(&spec.clone_spec(), &spec.git_ref)
                .is_some_and(|l| l.pin.commit == commit)
    }

    /// Clones `what` into a fresh scratch directory of the cache; the directory (with its
    /// `.git` removed) and the commit.
    fn fetch(
        &self,
        git: &Path,
        checkouts: &Path,
        spec: &RepoSpec,
        what: &str,
    ) -> Result<(PathBuf, String)> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let scratch = checkouts.join(format!(
            ".tmp-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&scratch);
        std::fs::create_dir_all(&scratch).map_err(|e| crate::load::io_error(&scratch, &e))?;
        let result = git::shallow_clone(
            git,
            &scratch,
            &spec.clone_spec(),
            what,
            spec.submodules,
            spec.timeout,
            git::max_checkout_bytes(),
        );
        let commit = match result {
            Ok(c) if git::is_commit_id(&c) => c,
            Ok(c) => {
                let _ = std::fs::remove_dir_all(&scratch);
                return Err(Diag::error(
                    "kit::remote::fetch",
                    format!("git reported '{c}' as the commit of '{}'", spec.raw),
                ));
            }
            Err(e) => {
                let _ = std::fs::remove_dir_all(&scratch);
                return Err(git_diag(spec, e));
            }
        };
        std::fs::remove_dir_all(scratch.join(".git"))
            .map_err(|e| crate::load::io_error(&scratch.join(".git"), &e))?;
        Ok((scratch, commit))
    }
}

/// `text` with the password of every `scheme://user:password@host` in it replaced by `***`:
/// what kit says it fetches ends up in CI logs.
pub fn redact_passwords(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let authority_end = tail.find(['/', '?', '#', ' ']).unwrap_or(tail.len());
        let authority = &tail[..authority_end];
        match authority.rsplit_once('@') {
            Some((userinfo, host)) if userinfo.contains(':') => {
                let user = userinfo.split(':').next().unwrap_or("");
                out.push_str(&format!("{user}:***@{host}"));
            }
            _ => out.push_str(authority),
        }
        rest = &tail[authority_end..];
    }
    out.push_str(rest);
    out
}

/// Writes `bytes` to `dir/name` through a scratch file of its own, so that two threads (the
/// two renders of `kit diff`) or processes storing one digest at once each rename a complete
/// file into place.
fn store(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let scratch = dir.join(format!(
        ".tmp-{}-{}-{name}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let path = dir.join(name);
    let stored = std::fs::write(&scratch, bytes).and_then(|()| std::fs::rename(&scratch, &path));
    if stored.is_err() {
        let _ = std::fs::remove_file(&scratch);
    }
    stored.map(|()| path)
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A checkout's directory name: the commit, marked when submodules were left out (the same
/// commit then has other files).
fn cache_name(commit: &str, submodules: bool) -> String {
    if submodules {
        commit.to_string()
    } else {
        format!("{commit}-nosubmodules")
    }
}

fn git_missing() -> Diag {
    Diag::error(
        "kit::remote::git-missing",
        "remote bases are fetched with the `git` program, and there is none on PATH",
    )
    .help("install git, or vendor the remote base into the repository and refer to it by path")
}

fn git_diag(spec: &RepoSpec, e: git::GitError) -> Diag {
    match e {
        git::GitError::Missing => git_missing(),
        git::GitError::Timeout { .. } => Diag::error(
            "kit::remote::timeout",
            format!("fetching '{}' timed out: {e}", spec.raw),
        )
        .help(format!(
            "check the network and the URL; a slow remote needs a longer limit, e.g. `?timeout={}` in the URL",
            spec.timeout.as_secs().saturating_mul(4).max(Duration::from_secs(60).as_secs())
        )),
        git::GitError::TooLarge { .. } => Diag::error(
            "kit::remote::too-large",
            format!("'{}' is too large: {e}", spec.raw),
        )
        .help("a remote base's repository is limited in size (KIT_MAX_CHECKOUT_BYTES sets another limit); point at a smaller repository, or vendor the base you need into yours"),
        git::GitError::Failed { .. } => Diag::error(
            "kit::remote::fetch",
            format!("cannot fetch '{}': {e}", spec.raw),
        )
        .help("check the URL, the ref (`?ref=`) and your access to the repository"),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_passwords;

    #[test]
    fn passwords_in_urls_are_not_printed() {
        assert_eq!(
            redact_passwords("fetching https://user:tok3n@host:8443/org/repo at main"),
            "fetching https://user:***@host:8443/org/repo at main"
        );
        assert_eq!(
            redact_passwords("resolving http://u:p@a/x and ssh://git@b/y"),
            "resolving http://u:***@a/x and ssh://git@b/y"
        );
        assert_eq!(redact_passwords("no url here"), "no url here");
        assert_eq!(redact_passwords("https://h"), "https://h");
    }
}
