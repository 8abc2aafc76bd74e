//! Charts from HTTP chart repositories (`index.yaml`) and OCI registries, found as `helm
//! pull` finds them, fetched once into the cache (named by the archive's SHA-256) and pinned
//! by `kit.lock`.
//!
//! A version constraint resolves as Helm's `IndexFile.Get` resolves it: an entry whose
//! version is the constraint's text wins; otherwise the highest version (the index sorted
//! by semver, descending, stable for ties) that satisfies the constraint (Masterminds/semver:
//! a pre-release only satisfies a constraint that has one; no constraint means the latest
//! stable version). The archive's SHA-256 must be the index's `digest` where it has one.
//!
//! Credentials go only to the repository's own scheme, host and port (Helm's rule), unless
//! `--pass-credentials`; never along a redirect to another host or port.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diag, Result};

use super::http::{self, Tls};
use super::lock::{ChartPin, Lock};
use super::{sha256_hex, Mode, Remote};

/// The largest `index.yaml` kit downloads (public indexes reach a few tens of MiB).
pub const MAX_INDEX_BYTES: u64 = 64 * 1024 * 1024;
/// The largest chart archive kit downloads (public charts are well under 5 MiB packed).
pub const MAX_CHART_BYTES: u64 = 20 * 1024 * 1024;

/// Credentials and TLS settings for a repository or registry.
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    pub username: String,
    pub password: String,
    pub tls: Tls,
    /// Send the credentials to every host (Helm's `--pass-credentials`), not only the
    /// repository's own.
    pub pass_credentials: bool,
    /// Talk plain HTTP to an OCI registry (Helm's `--plain-http`).
    pub plain_http: bool,
}

/// A chart to fetch.
#[derive(Clone, Debug, Default)]
pub struct ChartRequest {
    /// The repository URL, or `oci://host/path` (the chart's name is appended).
    pub repo: String,
    pub name: String,
    /// The version constraint as written (empty: the latest stable version).
    pub constraint: String,
    /// With no constraint, pre-releases count too (Helm's `--devel`).
    pub devel: bool,
    pub credentials: Credentials,
    /// Helm's cached copy of the repository's index (`helm repo update` wrote it), used
    /// instead of downloading `index.yaml`, as Helm uses it for `REPO/CHART`.
    pub cached_index: Option<PathBuf>,
    /// Helm's registry credentials file (`--registry-config`; else Helm's default).
    pub registry_config: Option<PathBuf>,
    /// For messages: what asked for the chart.
    pub what: String,
}

impl ChartRequest {
    /// The constraint as Helm applies it (`--devel` without a version is `>0.0.0-0`).
    fn effective_constraint(&self) -> String {
        if self.constraint.trim().is_empty() && self.devel {
            ">0.0.0-0".to_string()
        } else {
            self.constraint.trim().to_string()
        }
    }

    /// The version or constraint an OCI registry is asked for.
    pub(super) fn constraint_for_oci(&self) -> String {
        self.effective_constraint()
    }

    /// Where the registry credentials are read from.
    pub(super) fn registry_config(&self) -> PathBuf {
        super::helmconfig::registry_config(self.registry_config.as_deref())
    }

    pub fn is_oci(&self) -> bool {
        self.repo.starts_with("oci://")
    }
}

/// A chart archive in the cache, and its pin.
#[derive(Clone, Debug)]
pub struct FetchedChart {
    pub archive: PathBuf,
    pub pin: ChartPin,
}

/// A version found in the index or the registry: where its archive is.
#[derive(Clone, Debug)]
pub(super) struct Found {
    pub version: String,
    /// The archive's URL (HTTP repository) or blob URL (OCI).
    pub url: String,
    /// `sha256:HEX` when the index or the manifest gives it.
    pub digest: Option<String>,
    /// The `Authorization` header the archive's URL gets (OCI token or Basic).
    pub authorization: Option<String>,
}

/// One version of a chart in an index.
#[derive(Clone, Debug)]
pub(super) struct IndexEntry {
    version: String,
    urls: Vec<String>,
    digest: String,
}

/// A parsed index: chart name to versions, sorted as Helm sorts them.
pub(super) type Index = std::collections::HashMap<String, Vec<IndexEntry>>;

impl Remote {
    /// The chart `req` asks for, as this run resolves it under `lock` (see the module and
    /// [`super::Mode`] docs): from the cache when the pin or the index names an archive it
    /// has, else downloaded and checked.
    pub fn chart(&self, req: &ChartRequest, lock: &Lock) -> Result<FetchedChart> {
        let key = (req.repo.clone(), req.name.clone(), req.constraint.clone());
        if let Some(vendor) = self.vendored(lock) {
            let p = lock
                .find_chart(&key.0, &key.1, &key.2)
                .ok_or_else(|| self.not_vendored(&req.what, vendor, lock, false))?;
            let hex = p.pin.digest.trim_start_matches("sha256:");
            let archive = vendor.dir.join("charts").join(format!("{hex}.tgz"));
            return match std::fs::read(&archive) {
                Ok(bytes) if sha256_hex(&bytes) == hex => Ok(FetchedChart {
                    archive,
                    pin: p.pin.clone(),
                }),
                _ => Err(self.not_vendored(
                    &format!("{} version {} ({})", req.what, p.pin.version, p.pin.digest),
                    vendor,
                    lock,
                    true,
                )),
            };
        }
        let pinned = lock
            .find_chart(&key.0, &key.1, &key.2)
            .filter(|_| self.options.mode != Mode::Update);
        let pin = |version: &str, digest: &str| ChartPin {
            repo: req.repo.clone(),
            name: req.name.clone(),
            constraint: req.constraint.clone(),
            version: version.to_string(),
            digest: digest.to_string(),
        };
        let changed = |p: &super::lock::LockedChart, now: String| {
            Diag::error(
                "kit::lock::changed",
                format!(
                    "{} changed: kit.lock pins version {} ({}), but {now}",
                    req.what, p.pin.version, p.pin.digest
                ),
            )
            .at(p.origin)
            .help(
                "run `kit update` to pin what the repository serves now (review the change first)",
            )
        };
        match (self.options.mode, pinned) {
            (Mode::Offline | Mode::Locked, None) => Err(self.not_pinned(&req.what, lock)),
            (Mode::Offline, Some(p)) => match self.cached_chart(&p.pin.digest)? {
                Some(archive) => Ok(FetchedChart {
                    archive,
                    pin: p.pin.clone(),
                }),
                None => Err(Diag::error(
                    "kit::remote::offline",
                    format!(
                        "{} version {} ({}) is not in the cache",
                        req.what, p.pin.version, p.pin.digest
                    ),
                )
                .help("build once without --offline to download it (kit.lock keeps the digest)")),
            },
            (Mode::Normal, Some(p)) => {
                if let Some(archive) = self.cached_chart(&p.pin.digest)? {
                    return Ok(FetchedChart {
                        archive,
                        pin: p.pin.clone(),
                    });
                }
                let exact = ChartRequest {
                    constraint: p.pin.version.clone(),
                    ..req.clone()
                };
                let found = self.find_chart(&exact)?;
                if found.version != p.pin.version {
                    return Err(changed(
                        p,
                        format!("the repository has no version {} now", p.pin.version),
                    ));
                }
                let archive = self.download_chart(req, &found, Some(&p.pin.digest), Some(p))?;
                Ok(FetchedChart {
                    archive,
                    pin: p.pin.clone(),
                })
            }
            (Mode::Locked, Some(p)) => {
                let found = self.find_chart(req)?;
                if found.version != p.pin.version {
                    return Err(changed(
                        p,
                        format!(
                            "'{}' resolves to version {} now",
                            req.constraint, found.version
                        ),
                    ));
                }
                if let Some(d) = found.digest.as_deref().filter(|d| *d != p.pin.digest) {
                    return Err(changed(p, format!("the repository gives digest {d} now")));
                }
                let archive = match self.cached_chart(&p.pin.digest)? {
                    Some(a) => a,
                    None => self.download_chart(req, &found, Some(&p.pin.digest), Some(p))?,
                };
                Ok(FetchedChart {
                    archive,
                    pin: p.pin.clone(),
                })
            }
            (Mode::Normal, None) | (Mode::Update, _) => {
                let found = self.find_chart(req)?;
                if let Some(d) = &found.digest {
                    if let Some(archive) = self.cached_chart(d)? {
                        return Ok(FetchedChart {
                            archive,
                            pin: pin(&found.version, d),
                        });
                    }
                }
                let archive = self.download_chart(req, &found, found.digest.as_deref(), None)?;
                let digest = format!(
                    "sha256:{}",
                    archive
                        .file_stem()
                        .map(|s| s.to_string_lossy().to_string())
                        .unwrap_or_default()
                );
                Ok(FetchedChart {
                    archive,
                    pin: pin(&found.version, &digest),
                })
            }
        }
    }

    /// The digest this run uses for a chart under `lock`, if known without a request.
    pub fn chart_digest(&self, pin: &ChartPin, lock: &Lock) -> Option<String> {
        if self.options.mode == Mode::Update {
            return None;
        }
        lock.find_chart(&pin.repo, &pin.name, &pin.constraint)
            .map(|l| l.pin.digest.clone())
    }

    /// The cached archive with this digest, if the cache has it (checked).
    pub(super) fn cached_chart(&self, digest: &str) -> Result<Option<PathBuf>> {
        let Some(hex) = digest.strip_prefix("sha256:") else {
            return Ok(None);
        };
        let path = self.charts_dir()?.join(format!("{hex}.tgz"));
        let Ok(bytes) = std::fs::read(&path) else {
            return Ok(None);
        };
        Ok((sha256_hex(&bytes) == hex).then_some(path))
    }

    /// The cache's directory of chart archives (created).
    fn charts_dir(&self) -> Result<PathBuf> {
        let dir = self.cache_root()?.join("charts");
        std::fs::create_dir_all(&dir).map_err(|e| crate::load::io_error(&dir, &e))?;
        Ok(dir)
    }

    /// The version `req` resolves to, and where its archive is (once a run).
    fn find_chart(&self, req: &ChartRequest) -> Result<Found> {
        let key = (
            req.repo.clone(),
            req.name.clone(),
            req.effective_constraint(),
        );
        if let Some(hit) = self
            .found_charts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Ok(hit.clone());
        }
        let found = if req.is_oci() {
            super::oci::find(self, req)?
        } else {
            self.find_in_index(req)?
        };
        self.found_charts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, found.clone());
        Ok(found)
    }

    fn find_in_index(&self, req: &ChartRequest) -> Result<Found> {
        let index = self.index(req)?;
        let constraint = req.effective_constraint();
        let versions = index.get(&req.name);
        let not_found = || {
            let mut what = format!("chart {:?}", req.name);
            if !constraint.is_empty() {
                what.push_str(&format!(" version {constraint:?}"));
            }
            Diag::error(
                "kit::chart::not-found",
                format!("{what} not found in {} repository", req.repo),
            )
            .help(match versions {
                Some(v) if !v.is_empty() => format!(
                    "the repository has {} versions, the highest {}; check the version constraint",
                    v.len(),
                    v[0].version
                ),
                _ => "check the chart's name and the repository URL".to_string(),
            })
        };
        let entries = versions.filter(|v| !v.is_empty()).ok_or_else(not_found)?;
        let entry = pick_version(entries, &constraint)
            .map_err(|e| {
                Diag::error(
                    "kit::chart::version",
                    format!("invalid version constraint {constraint:?}: {e}"),
                )
                .help("a semver constraint, e.g. 1.2.3, ^1.2, ~1.2.0, >=1.0.0 <2.0.0")
            })?
            .ok_or_else(not_found)?;
        let first = entry.urls.first().ok_or_else(|| {
            Diag::error(
                "kit::chart::no-url",
                format!(
                    "chart {:?} version {} has no downloadable URLs in {}",
                    req.name, entry.version, req.repo
                ),
            )
        })?;
        let url = resolve_reference(&req.repo, first);
        let digest = (!entry.digest.is_empty()).then(|| format!("sha256:{}", entry.digest));
        let authorization = credentials_for(&req.repo, &url, &req.credentials);
        Ok(Found {
            version: entry.version.clone(),
            url,
            digest,
            authorization,
        })
    }

    /// The repository's index: Helm's cached copy when the request names one that exists,
    /// else `index.yaml` downloaded (once a run).
    fn index(&self, req: &ChartRequest) -> Result<Arc<Index>> {
        let known = || {
            self.indexes
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&req.repo)
                .cloned()
        };
        if let Some(hit) = known() {
            return Ok(hit);
        }
        // One download at a time, as for archives: the other render asking meanwhile
        // finds the index read.
        let _one = self.fetching.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = known() {
            return Ok(hit);
        }
        let (text, source) = match req.cached_index.as_ref().filter(|p| p.is_file()) {
            Some(path) => {
                let bytes = std::fs::read(path).map_err(|e| crate::load::io_error(path, &e))?;
                (bytes, path.to_string_lossy().to_string())
            }
            None => {
                if self.options.mode == Mode::Offline {
                    return Err(Diag::error(
                        "kit::remote::offline",
                        format!("the index of {} is needed, and --offline is set", req.repo),
                    ));
                }
                let url = resolve_reference(&req.repo, "index.yaml");
                self.note(&format!("downloading {url}"));
                let mut request = http::Request::get(&url, MAX_INDEX_BYTES);
                request.authorization = credentials_for(&req.repo, &url, &req.credentials);
                request.tls = req.credentials.tls.clone();
                let reply = http::fetch(&request).map_err(|why| {
                    Diag::error(
                        "kit::remote::http",
                        format!("looks like {:?} is not a valid chart repository or cannot be reached: {why}", req.repo),
                    )
                    .help("check the repository URL and the network")
                })?;
                if !(200..300).contains(&reply.status) {
                    return Err(Diag::error(
                        "kit::remote::http",
                        format!(
                            "looks like {:?} is not a valid chart repository or cannot be reached: failed to fetch {url} : {}",
                            req.repo, reply.status
                        ),
                    )
                    .help(if reply.status == 401 || reply.status == 403 {
                        "the repository wants credentials: --username and --password (or `helm repo add` them)"
                    } else {
                        "check the repository URL: kit reads index.yaml under it"
                    }));
                }
                (reply.body, url)
            }
        };
        let index = Arc::new(parse_index(text, &source)?);
        self.indexes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(req.repo.clone(), index.clone());
        Ok(index)
    }

    /// Downloads `found`'s archive, checks it against `want` (else against nothing: an
    /// index without digests), and keeps it in the cache; its path there.
    pub(super) fn download_chart(
        &self,
        req: &ChartRequest,
        found: &Found,
        want: Option<&str>,
        pinned: Option<&super::lock::LockedChart>,
    ) -> Result<PathBuf> {
        if self.options.mode == Mode::Offline {
            return Err(Diag::error(
                "kit::remote::offline",
                format!("{} is not in the cache, and --offline is set", req.what),
            ));
        }
        // One download at a time: the other render of `kit diff OLD NEW` (or another root)
        // needing the same archive finds it in the cache once the first has stored it.
        let _one = self.fetching.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = want.map(|w| self.cached_chart(w)).transpose()?.flatten() {
            return Ok(hit);
        }
        self.note(&format!(
            "downloading chart {} {} from {}",
            req.name, found.version, found.url
        ));
        let mut request = http::Request::get(&found.url, MAX_CHART_BYTES);
        request.authorization = found.authorization.clone();
        request.tls = req.credentials.tls.clone();
        let reply = http::fetch(&request).map_err(|why| {
            Diag::error(
                "kit::remote::http",
                format!("cannot download chart {} {} from '{}': {why}", req.name, found.version, found.url),
            )
            .help("check the repository and the network; vendor the chart into the repository to build without it")
        })?;
        if !(200..300).contains(&reply.status) {
            return Err(Diag::error(
                "kit::remote::http",
                format!("failed to fetch {} : {}", found.url, reply.status),
            )
            .help("check the repository's index: it names this URL for the chart"));
        }
        let hex = sha256_hex(&reply.body);
        let got = format!("sha256:{hex}");
        if let Some(want) = want.filter(|w| **w != got) {
            let mut d = Diag::error(
                "kit::chart::digest",
                format!(
                    "chart {} {} from '{}' has digest {got}, but {} says {want}",
                    req.name,
                    found.version,
                    found.url,
                    if pinned.is_some() {
                        "kit.lock"
                    } else if req.is_oci() {
                        "the registry's manifest"
                    } else {
                        "the repository's index"
                    }
                ),
            )
            .help("the archive is not the one the repository published (or the lock pinned); kit refuses it");
            if let Some(p) = pinned {
                d = d.at(p.origin);
            }
            return Err(d);
        }
        let dir = self.charts_dir()?;
        super::store(&dir, &format!("{hex}.tgz"), &reply.body).map_err(|e| {
            crate::load::io_error(&dir, &e)
                .help("charts are kept in the cache directory; make it writable (KIT_CACHE_DIR overrides it)")
        })
    }
}

/// Reads an index (YAML or JSON): chart name to its versions, invalid entries left out (as
/// Helm skips them), each list sorted by version, highest first.
fn parse_index(bytes: Vec<u8>, source: &str) -> Result<Index> {
    let bad = |message: String| {
        Diag::error("kit::chart::index", format!("{source}: {message}"))
            .help("a chart repository's index.yaml as `helm repo index` writes it")
    };
    let text = String::from_utf8(bytes).map_err(|_| bad("the index is not UTF-8".into()))?;
    if text.trim().is_empty() {
        return Err(bad("empty index.yaml file".into()));
    }
    let loader = crate::load::Loader::new();
    let owned = loader.load_text_owned(Path::new(source), text)?;
    let doc = match owned.docs.as_slice() {
        [doc] => crate::emit::to_json(doc),
        _ => return Err(bad("the index is not one YAML document".into())),
    };
    if doc
        .get("apiVersion")
        .and_then(|v| v.as_str())
        .is_none_or(str::is_empty)
    {
        return Err(bad("no API version specified".into()));
    }
    let mut index = Index::new();
    let Some(entries) = doc.get("entries").and_then(|e| e.as_object()) else {
        return Ok(index);
    };
    for (name, versions) in entries {
        let mut list: Vec<(crate::chart::semver::Version, IndexEntry)> = Vec::new();
        for v in versions.as_array().into_iter().flatten() {
            let text = |k: &str| v.get(k).and_then(|s| s.as_str()).unwrap_or("").to_string();
            let version = text("version");
            // Helm skips entries that fail chart metadata validation (no name, a version
            // that is not semver).
            let Ok(parsed) = crate::chart::semver::Version::parse(&version) else {
                continue;
            };
            if text("name").is_empty() {
                continue;
            }
            let urls = v
                .get("urls")
                .and_then(|u| u.as_array())
                .map(|u| {
                    u.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            // A digest of digits alone reads as a YAML number: keep its text, so that it is
            // checked (and refused) rather than dropped.
            let digest = match v.get("digest") {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            list.push((
                parsed,
                IndexEntry {
                    version,
                    urls,
                    digest,
                },
            ));
        }
        list.sort_by(|a, b| b.0.compare(&a.0));
        index.insert(name.clone(), list.into_iter().map(|(_, e)| e).collect());
    }
    Ok(index)
}

/// Helm's `IndexFile.Get` over versions sorted highest first: an exact match of the text,
/// else the first version satisfying the constraint (`*` when empty).
fn pick_version<'a>(
    entries: &'a [IndexEntry],
    constraint: &str,
) -> std::result::Result<Option<&'a IndexEntry>, String> {
    let parsed = crate::chart::semver::Constraint::parse(if constraint.is_empty() {
        "*"
    } else {
        constraint
    })?;
    if !constraint.is_empty() {
        if let Some(e) = entries.iter().find(|e| e.version == constraint) {
            return Ok(Some(e));
        }
    }
    Ok(entries.iter().find(|e| {
        crate::chart::semver::Version::parse(&e.version).is_ok_and(|v| parsed.matches(&v))
    }))
}

/// `scheme://host[:port]` of a URL (lower-case scheme), for Helm's same-origin rule.
pub(super) fn origin_of(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or(authority);
    Some((scheme.to_ascii_lowercase(), host.to_string()))
}

/// The Basic `Authorization` for a request to `url` of a repository at `repo`: only to the
/// repository's own scheme and host (with port), unless credentials pass to all hosts.
fn credentials_for(repo: &str, url: &str, c: &Credentials) -> Option<String> {
    if c.username.is_empty() || c.password.is_empty() {
        return None;
    }
    let same = origin_of(repo).is_some() && origin_of(repo) == origin_of(url);
    (c.pass_credentials || same).then(|| basic(&c.username, &c.password))
}

pub(super) fn basic(user: &str, password: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

/// Helm's `ResolveReferenceURL`: `reference` as is when absolute, else resolved against
/// `base` taken as a directory (a trailing `/` added), keeping `base`'s query.
pub fn resolve_reference(base: &str, reference: &str) -> String {
    if reference.contains("://") {
        return reference.to_string();
    }
    let (base, query) = match base.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (base, None),
    };
    let (scheme, rest) = base.split_once("://").unwrap_or(("", base));
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let reference = reference.split(['?', '#']).next().unwrap_or("");
    let joined = if let Some(r) = reference.strip_prefix("//") {
        return format!(
            "{scheme}://{r}{}",
            query.map(|q| format!("?{q}")).unwrap_or_default()
        );
    } else if reference.starts_with('/') {
        reference.to_string()
    } else {
        format!("{}/{reference}", path.trim_end_matches('/'))
    };
    // Remove `.` and `..` segments (RFC 3986 5.2.4).
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = joined.split('/').collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {
                if i == last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let path = out.join("/");
    let path = if path.starts_with('/') {
        path
    } else {
        format!("/{path}")
    };
    format!(
        "{scheme}://{authority}{path}{}",
        query.map(|q| format!("?{q}")).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(v: &str) -> IndexEntry {
        IndexEntry {
            version: v.into(),
            urls: vec![],
            digest: String::new(),
        }
    }

    #[test]
    fn versions_pick_as_helm_picks_them() {
        // Sorted highest first, as parse_index leaves them.
        let list = vec![
            entry("2.0.0-rc.1"),
            entry("1.10.0"),
            entry("1.2.0"),
            entry("1.1.0"),
            entry("1.0.0"),
        ];
        let pick = |c: &str| {
            pick_version(&list, c)
                .ok()
                .flatten()
                .map(|e| e.version.as_str())
        };
        assert_eq!(pick(""), Some("1.10.0"));
        assert_eq!(pick("^1.1"), Some("1.10.0"));
        assert_eq!(pick("~1.1.0"), Some("1.1.0"));
        assert_eq!(pick("<1.2"), Some("1.1.0"));
        assert_eq!(pick(">=2.0.0-0"), Some("2.0.0-rc.1"));
        assert_eq!(pick("2.0.0-rc.1"), Some("2.0.0-rc.1"));
        assert_eq!(pick(">=3"), None);
        assert!(pick_version(&list, "not a range").is_err());
    }

    #[test]
    fn references_resolve_as_helm_resolves_them() {
        let cases = [
            (
                "http://h:1/charts",
                "index.yaml",
                "http://h:1/charts/index.yaml",
            ),
            (
                "http://h:1/charts/",
                "index.yaml",
                "http://h:1/charts/index.yaml",
            ),
            ("http://h:1", "index.yaml", "http://h:1/index.yaml"),
            (
                "http://h/a/?t=1",
                "web-1.0.0.tgz",
                "http://h/a/web-1.0.0.tgz?t=1",
            ),
            ("http://h/a", "../b/web.tgz", "http://h/b/web.tgz"),
            ("http://h/a", "/x/web.tgz", "http://h/x/web.tgz"),
            ("http://h/a", "https://o/web.tgz", "https://o/web.tgz"),
        ];
        for (base, r, want) in cases {
            assert_eq!(resolve_reference(base, r), want, "{base} + {r}");
        }
    }

    #[test]
    fn credentials_stay_with_their_host() {
        let c = Credentials {
            username: "u".into(),
            password: "p".into(),
            ..Credentials::default()
        };
        let repo = "http://127.0.0.1:8080/charts";
        assert!(credentials_for(repo, "http://127.0.0.1:8080/x.tgz", &c).is_some());
        assert!(credentials_for(repo, "http://127.0.0.1:8081/x.tgz", &c).is_none());
        assert!(credentials_for(repo, "https://127.0.0.1:8080/x.tgz", &c).is_none());
        let all = Credentials {
            pass_credentials: true,
            ..c.clone()
        };
        assert!(credentials_for(repo, "http://other/x.tgz", &all).is_some());
        let no_password = Credentials {
            password: String::new(),
            ..c
        };
        assert!(credentials_for(repo, "http://127.0.0.1:8080/x.tgz", &no_password).is_none());
    }
}
