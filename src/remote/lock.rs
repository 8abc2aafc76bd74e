//! `kit.lock`: beside a root kustomization, the exact commit of every remote base the build
//! reached (through local bases and through other remote bases too), so that a build is
//! reproducible and can run offline.
//!
//! ```yaml
//! # kit.lock ... (comment lines)
//! version: 1
//! git:
//! - url: "https://github.com/org/repo"
//!   ref: "v1.2.0"
//!   commit: "0123456789abcdef0123456789abcdef01234567"
//! http:
//! - url: "https://example.com/install.yaml"
//!   sha256: "..."
//!
//! charts:
//! - repo: "https://charts.example.com/"
//!   name: "web"
//!   constraint: "^1.2"
//!   version: "1.2.3"
//!   digest: "sha256:..."
//! vendor: "vendor"
//! ```
//!
//! One `git` entry per repository and ref (several directories of one repository at one ref
//! share it), one `http` entry per file URL, one `charts` entry per repository, chart and
//! version constraint (`constraint` as the kustomization wrote `version:`, left out when
//! empty; `version` the chart version it resolved to; `digest` the SHA-256 of the chart
//! archive). Entries are sorted, so that the file diffs well. The format is versioned and
//! keyed by kind of source. `vendor` (written by `kit vendor`) names the directory, relative
//! to the lock, that holds a copy of every entry: builds then read them there and use no
//! network.

use std::path::{Path, PathBuf};

use crate::diag::{Diag, Result};
use crate::load::Loader;
use crate::model::Node;
use crate::source::Origin;

pub const LOCK_FILE: &str = "kit.lock";
const VERSION: i64 = 1;

/// One remote repository at one ref, and the commit it was at.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GitPin {
    /// The URL git fetches (kustomize's clone spec: scheme, host and repository).
    pub url: String,
    /// The ref as the kustomization wrote it (empty: the remote's HEAD).
    pub git_ref: String,
    pub commit: String,
}

/// A file downloaded over HTTP(S), and the SHA-256 of its bytes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HttpPin {
    pub url: String,
    pub sha256: String,
}

/// A chart from a chart repository or an OCI registry: which version a constraint
/// resolved to, and the SHA-256 of its archive (`sha256:HEX`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChartPin {
    /// The repository URL (`https://...`) or the OCI reference without the chart's name
    /// (`oci://host/path`), as written.
    pub repo: String,
    pub name: String,
    /// The version constraint as written (empty: the latest stable version).
    pub constraint: String,
    pub version: String,
    pub digest: String,
}

/// A pinned chart, with where it was written.
#[derive(Clone, Debug)]
pub struct LockedChart {
    pub pin: ChartPin,
    pub origin: Option<Origin>,
}

/// A pinned file, with where it was written.
#[derive(Clone, Debug)]
pub struct LockedHttp {
    pub pin: HttpPin,
    pub origin: Option<Origin>,
}

/// A pin read from a lock file, with where it was written.
#[derive(Clone, Debug)]
pub struct Locked {
    pub pin: GitPin,
    pub origin: Option<Origin>,
}

/// A root's lock file, as read (empty when there is none).
#[derive(Clone, Debug, Default)]
pub struct Lock {
    pub path: PathBuf,
    pub exists: bool,
    pub git: Vec<Locked>,
    pub http: Vec<LockedHttp>,
    pub charts: Vec<LockedChart>,
    /// The vendor directory (`vendor:`, resolved against the lock's directory).
    pub vendor: Option<Vendor>,
}

/// Where `kit vendor` put the copies of a lock's entries.
#[derive(Clone, Debug)]
pub struct Vendor {
    /// As written in the lock (relative to its directory).
    pub written: String,
    /// Resolved against the lock's directory.
    pub dir: PathBuf,
    pub origin: Option<Origin>,
}

impl Lock {
    /// The lock file beside the kustomization in `dir`, if there is one.
    pub fn read(loader: &Loader, dir: &Path) -> Result<Lock> {
        let path = dir.join(LOCK_FILE);
        if !path.is_file() {
            return Ok(Lock {
                path,
                ..Lock::default()
            });
        }
        let loaded = loader.load(&path)?;
        let (git, http, charts, vendor) = match loaded.docs.as_slice() {
            [] => (Vec::new(), Vec::new(), Vec::new(), None),
            [doc] => parse(doc)?,
            [_, second, ..] => {
                return Err(invalid("a lock file holds one document", second.origin))
            }
        };
        let vendor = vendor.map(|(written, origin)| Vendor {
            dir: dir.join(&written),
            written,
            origin,
        });
        Ok(Lock {
            path,
            exists: true,
            git,
            http,
            charts,
            vendor,
        })
    }

    /// The pin for a chart of a repository under a version constraint (the repository's
    /// URL with or without credentials in it: kit.lock never holds them).
    pub fn find_chart(&self, repo: &str, name: &str, constraint: &str) -> Option<&LockedChart> {
        self.charts.iter().find(|l| {
            repo_key(&l.pin.repo) == repo_key(repo)
                && l.pin.name == name
                && l.pin.constraint == constraint
        })
    }

    /// The warning for a chart this (existing) lock does not pin, which a plain build
    /// resolves anew each time.
    pub fn unpinned_chart(&self, repo: &str, name: &str, constraint: &str) -> Diag {
        Diag::warning(
            "kit::lock::unpinned",
            format!(
                "chart '{name}' of '{repo}'{} is not pinned in {}",
                if constraint.is_empty() {
                    String::new()
                } else {
                    format!(" at '{constraint}'")
                },
                crate::source::display_path(&self.path)
            ),
        )
        .help("run `kit update` to pin it; `--locked` refuses unpinned charts")
    }

    /// The pin for a file URL (with or without credentials in it).
    pub fn find_http(&self, url: &str) -> Option<&LockedHttp> {
        let url = without_credentials(url);
        self.http
            .iter()
            .find(|l| without_credentials(&l.pin.url) == url)
    }

    /// The pin for a repository at a ref (its URL with or without credentials in it).
    pub fn find(&self, url: &str, git_ref: &str) -> Option<&Locked> {
        let url = without_credentials(url);
        self.git
            .iter()
            .find(|l| without_credentials(&l.pin.url) == url && l.pin.git_ref == git_ref)
    }
}

/// A chart repository's URL as a lock key: `https://charts.example.com` and
/// `https://charts.example.com/` are one repository (Helm reads `index.yaml` beside both),
/// with or without credentials.
fn repo_key(repo: &str) -> String {
    without_credentials(repo).trim_end_matches('/').to_string()
}

/// `url` without the credentials it may carry (`https://user:token@host/...` is
/// `https://host/...`), as kit.lock records it: a lock file is committed and shared, a
/// password is not. A user name alone stays where it names an account rather than a secret
/// (`ssh://git@host/...`); over HTTP(S) a lone user name is often a token, so it goes too.
pub fn without_credentials(url: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let Some(scheme_end) = url.find("://") else {
        return Cow::Borrowed(url);
    };
    let authority_start = scheme_end + 3;
    let authority_len = url[authority_start..]
        .find(['/', '?', '#'])
        .unwrap_or(url.len() - authority_start);
    let authority = &url[authority_start..authority_start + authority_len];
    let Some(at) = authority.rfind('@') else {
        return Cow::Borrowed(url);
    };
    let user_info = &authority[..at];
    let scheme = url[..scheme_end].rsplit("::").next().unwrap_or_default();
    let web = matches!(
        scheme.to_ascii_lowercase().as_str(),
        "http" | "https" | "oci"
    );
    let kept = match user_info.split_once(':') {
        None if !web => return Cow::Borrowed(url),
        Some((user, _)) if !web && !user.is_empty() => format!("{user}@"),
        _ => String::new(),
    };
    Cow::Owned(format!(
        "{}{kept}{}",
        &url[..authority_start],
        &url[authority_start + at + 1..]
    ))
}

fn invalid(message: impl Into<String>, origin: Option<Origin>) -> Diag {
    Diag::error("kit::lock::invalid", message).at(origin).help(
        "kit.lock is written by `kit update`; fix the entry or run `kit update` to write it again",
    )
}

type Parsed = (
    Vec<Locked>,
    Vec<LockedHttp>,
    Vec<LockedChart>,
    Option<(String, Option<Origin>)>,
);

fn parse(doc: &Node) -> Result<Parsed> {
    let Some(map) = doc.as_map() else {
        return Err(invalid("a lock file is a mapping", doc.origin));
    };
    let mut version = None;
    let mut git = Vec::new();
    let mut http = Vec::new();
    let mut charts = Vec::new();
    let mut vendor = None;
    for (key, value) in map {
        match key.as_str() {
            "version" => version = Some(value),
            "git" => git = parse_git(value)?,
            "http" => http = parse_http(value)?,
            "charts" => charts = parse_charts(value)?,
            "vendor" => vendor = Some(parse_vendor(value)?),
            other => {
                return Err(invalid(
                    format!("unknown field '{other}' in kit.lock"),
                    value.origin,
                )
                .help("this kit knows `version`, `git`, `http`, `charts` and `vendor`; a newer kit may have written the file: update kit, or run `kit update`"))
            }
        }
    }
    match version {
        Some(v) if v.scalar_text() == Some(VERSION.to_string()) => Ok((git, http, charts, vendor)),
        Some(v) => Err(invalid(
            format!(
                "kit.lock version {} is not known to this kit (it reads version {VERSION})",
                v.scalar_text().unwrap_or_default()
            ),
            v.origin,
        )),
        None => Err(invalid("kit.lock has no `version`", doc.origin)),
    }
}

/// The entries of a list (`git:` or `http:`), each a mapping of these string fields (all
/// required but `optional`), with the entry.
fn entries<'a>(
    list: &'a Node,
    kind: &str,
    fields: &[&str],
    optional: &str,
) -> Result<Vec<(&'a Node, Vec<String>)>> {
    let items = match &list.value {
        crate::model::Value::Null => return Ok(Vec::new()),
        crate::model::Value::Seq(items) => items,
        _ => {
            return Err(invalid(
                format!("`{kind}` is a list of entries"),
                list.origin,
            ))
        }
    };
    let mut out = Vec::new();
    for item in items {
        let Some(map) = item.as_map() else {
            return Err(invalid(
                format!("a `{kind}` entry is a mapping"),
                item.origin,
            ));
        };
        if let Some((other, n)) = map.iter().find(|(k, _)| !fields.contains(&k.as_str())) {
            return Err(invalid(
                format!("unknown field '{other}' in a `{kind}` entry"),
                n.origin,
            ));
        }
        let mut values = Vec::new();
        for name in fields {
            values.push(match item.get(name) {
                Some(n) => n
                    .as_str()
                    .map(str::to_string)
                    .ok_or_else(|| invalid(format!("`{name}` must be a string"), n.origin))?,
                None if *name == optional => String::new(),
                None => return Err(invalid(format!("the entry has no `{name}`"), item.origin)),
            });
        }
        out.push((item, values));
    }
    Ok(out)
}

fn parse_http(list: &Node) -> Result<Vec<LockedHttp>> {
    let mut out: Vec<LockedHttp> = Vec::new();
    for (item, values) in entries(list, "http", &["url", "sha256"], "")? {
        let [url, sha256] = <[String; 2]>::try_from(values)
            .map_err(|_| invalid("a malformed `http` entry", item.origin))?;
        let origin = item.get("sha256").and_then(|n| n.origin);
        if sha256.len() != 64
            || !sha256
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(invalid(
                format!("'{sha256}' is not a SHA-256 digest"),
                origin,
            ));
        }
        if out.iter().any(|l| l.pin.url == url) {
            return Err(invalid(format!("'{url}' is pinned twice"), item.origin));
        }
        out.push(LockedHttp {
            pin: HttpPin { url, sha256 },
            origin,
        });
    }
    Ok(out)
}

fn parse_charts(list: &Node) -> Result<Vec<LockedChart>> {
    let mut out: Vec<LockedChart> = Vec::new();
    let fields = ["repo", "name", "constraint", "version", "digest"];
    for (item, values) in entries(list, "charts", &fields, "constraint")? {
        let [repo, name, constraint, version, digest] = <[String; 5]>::try_from(values)
            .map_err(|_| invalid("a malformed `charts` entry", item.origin))?;
        let origin = item.get("digest").and_then(|n| n.origin);
        if !is_sha256_digest(&digest) {
            return Err(invalid(
                format!("'{digest}' is not a digest of the form sha256:HEX"),
                origin,
            ));
        }
        if out
            .iter()
            .any(|l| l.pin.repo == repo && l.pin.name == name && l.pin.constraint == constraint)
        {
            return Err(invalid(
                format!("chart '{name}' of '{repo}' at '{constraint}' is pinned twice"),
                item.origin,
            ));
        }
        out.push(LockedChart {
            pin: ChartPin {
                repo,
                name,
                constraint,
                version,
                digest,
            },
            origin,
        });
    }
    Ok(out)
}

/// `vendor:`: a relative path that stays inside the lock's directory.
fn parse_vendor(value: &Node) -> Result<(String, Option<Origin>)> {
    let Some(text) = value.as_str() else {
        return Err(invalid("`vendor` is a directory path", value.origin));
    };
    let path = Path::new(text);
    let inside = !text.is_empty()
        && path.components().all(|c| {
            matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        });
    if !inside {
        return Err(invalid(
            format!("`vendor: {text}` must be a relative path inside the lock's directory"),
            value.origin,
        ));
    }
    Ok((text.to_string(), value.origin))
}

/// `sha256:` and 64 lower-case hex digits.
pub fn is_sha256_digest(digest: &str) -> bool {
    digest.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

fn parse_git(list: &Node) -> Result<Vec<Locked>> {
    let mut out: Vec<Locked> = Vec::new();
    for (item, values) in entries(list, "git", &["url", "ref", "commit"], "ref")? {
        let [url, git_ref, commit] = <[String; 3]>::try_from(values)
            .map_err(|_| invalid("a malformed `git` entry", item.origin))?;
        let pin = GitPin {
            url,
            git_ref,
            commit,
        };
        if !super::git::is_commit_id(&pin.commit) {
            return Err(invalid(
                format!("'{}' is not a full commit id", pin.commit),
                item.get("commit").and_then(|n| n.origin),
            ));
        }
        if out
            .iter()
            .any(|l| l.pin.url == pin.url && l.pin.git_ref == pin.git_ref)
        {
            return Err(invalid(
                format!("'{}' at ref '{}' is pinned twice", pin.url, pin.git_ref),
                item.origin,
            ));
        }
        out.push(Locked {
            pin,
            origin: item.get("commit").and_then(|n| n.origin),
        });
    }
    Ok(out)
}

/// The text of a lock file holding `pins`, `files` and `charts` (sorted, one entry per
/// repository and ref, one per file URL, one per chart and constraint).
pub fn render(
    pins: &[GitPin],
    files: &[HttpPin],
    charts: &[ChartPin],
    vendor: Option<&str>,
) -> String {
    // Credentials in a URL never reach the file (see [`without_credentials`]).
    let mut pins: Vec<GitPin> = pins
        .iter()
        .map(|p| GitPin {
            url: without_credentials(&p.url).into_owned(),
            ..p.clone()
        })
        .collect();
    pins.sort();
    pins.dedup_by(|a, b| a.url == b.url && a.git_ref == b.git_ref);
    let mut files: Vec<HttpPin> = files
        .iter()
        .map(|f| HttpPin {
            url: without_credentials(&f.url).into_owned(),
            ..f.clone()
        })
        .collect();
    files.sort();
    files.dedup_by(|a, b| a.url == b.url);
    let mut charts: Vec<ChartPin> = charts
        .iter()
        .map(|c| ChartPin {
            repo: without_credentials(&c.repo).into_owned(),
            ..c.clone()
        })
        .collect();
    charts.sort_by(|a, b| {
        (repo_key(&a.repo), &a.name, &a.constraint, a).cmp(&(
            repo_key(&b.repo),
            &b.name,
            &b.constraint,
            b,
        ))
    });
    charts.dedup_by(|a, b| {
        repo_key(&a.repo) == repo_key(&b.repo) && a.name == b.name && a.constraint == b.constraint
    });
    let quote = |s: &str| serde_json::Value::String(s.to_string()).to_string();
    let mut out = String::from(
        "# kit.lock: the exact commit or digest of every remote base, file and chart used from this\n\
         # directory (by its kustomization, or by `kit template` run here). Written by `kit update`\n\
         # or `kit template --update-lock`; kit fetches these instead of resolving the refs.\n\
         version: 1\n",
    );
    out.push_str(if pins.is_empty() {
        "git: []\n"
    } else {
        "git:\n"
    });
    for p in &pins {
        out.push_str(&format!(
            "- url: {}\n  ref: {}\n  commit: {}\n",
            quote(&p.url),
            quote(&p.git_ref),
            quote(&p.commit)
        ));
    }
    if !files.is_empty() {
        out.push_str("http:\n");
    }
    for f in &files {
        out.push_str(&format!(
            "- url: {}\n  sha256: {}\n",
            quote(&f.url),
            quote(&f.sha256)
        ));
    }
    if !charts.is_empty() {
        out.push_str("charts:\n");
    }
    for c in &charts {
        out.push_str(&format!(
            "- repo: {}\n  name: {}\n",
            quote(&c.repo),
            quote(&c.name)
        ));
        if !c.constraint.is_empty() {
            out.push_str(&format!("  constraint: {}\n", quote(&c.constraint)));
        }
        out.push_str(&format!(
            "  version: {}\n  digest: {}\n",
            quote(&c.version),
            quote(&c.digest)
        ));
    }
    if let Some(v) = vendor {
        out.push_str(
            "# Every entry is copied into this directory (`kit vendor`): builds read it there.\n",
        );
        out.push_str(&format!("vendor: {}\n", quote(v)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Result<Lock> {
        let dir = std::env::temp_dir().join(format!(
            "kit-lock-test-{}-{}",
            std::process::id(),
            crate::model::share::fresh_id()
        ));
        std::fs::create_dir_all(&dir).map_err(|e| crate::load::io_error(&dir, &e))?;
        std::fs::write(dir.join(LOCK_FILE), text).map_err(|e| crate::load::io_error(&dir, &e))?;
        let lock = Lock::read(&Loader::new(), &dir);
        let _ = std::fs::remove_dir_all(&dir);
        lock
    }

    #[test]
    fn round_trip() {
        let pins = vec![
            GitPin {
                url: "https://example.com/b/repo".into(),
                git_ref: "v1".into(),
                commit: "b".repeat(40),
            },
            GitPin {
                url: "file:///tmp/a \"quoted\"".into(),
                git_ref: String::new(),
                commit: "a".repeat(40),
            },
        ];
        let files = vec![HttpPin {
            url: "https://example.com/x.yaml".into(),
            sha256: "0".repeat(64),
        }];
        let charts = vec![
            ChartPin {
                repo: "oci://r.example.com/charts".into(),
                name: "web".into(),
                constraint: String::new(),
                version: "1.0.0".into(),
                digest: format!("sha256:{}", "1".repeat(64)),
            },
            ChartPin {
                repo: "https://charts.example.com/".into(),
                name: "web".into(),
                constraint: "^1.2".into(),
                version: "1.2.3".into(),
                digest: format!("sha256:{}", "2".repeat(64)),
            },
        ];
        let lock = read_text(&render(&pins, &files, &charts, Some("vendor"))).expect("reads");
        let mut want_charts = charts.clone();
        want_charts.sort();
        let got: Vec<ChartPin> = lock.charts.iter().map(|l| l.pin.clone()).collect();
        assert_eq!(got, want_charts);
        assert!(lock
            .find_chart("https://charts.example.com/", "web", "^1.2")
            .is_some());
        assert!(lock
            .find_chart("https://charts.example.com/", "web", "")
            .is_none());
        // With or without its trailing `/`, a repository is one lock entry.
        assert!(lock
            .find_chart("https://charts.example.com", "web", "^1.2")
            .is_some());
        let mut both = charts.clone();
        both.push(ChartPin {
            repo: "https://charts.example.com".into(),
            ..charts[1].clone()
        });
        let once = read_text(&render(&pins, &files, &both, None)).expect("reads");
        assert_eq!(once.charts.len(), 2);
        let mut want = pins.clone();
        want.sort();
        let got: Vec<GitPin> = lock.git.iter().map(|l| l.pin.clone()).collect();
        assert_eq!(got, want);
        assert!(lock.find("https://example.com/b/repo", "v1").is_some());
        assert!(lock.find("https://example.com/b/repo", "v2").is_none());
        let got: Vec<HttpPin> = lock.http.iter().map(|l| l.pin.clone()).collect();
        assert_eq!(got, files);
        assert!(lock.find_http("https://example.com/x.yaml").is_some());
        // A quoted version reads the same.
        assert!(read_text("version: \"1\"\n").is_ok());
        assert_eq!(
            lock.vendor.as_ref().map(|v| v.written.as_str()),
            Some("vendor")
        );
        let empty = read_text(&render(&[], &[], &[], None)).expect("reads");
        assert!(empty.git.is_empty() && empty.http.is_empty() && empty.vendor.is_none());
    }

    #[test]
    fn credentials_stay_out_of_the_lock_and_entries_match_with_or_without_them() {
        let cases = [
            (
                "https://user:secret@example.com/org/repo",
                "https://example.com/org/repo",
            ),
            (
                "https://token@example.com/x.yaml?ref=v1",
                "https://example.com/x.yaml?ref=v1",
            ),
            (
                "git::https://u:p@example.com/r",
                "git::https://example.com/r",
            ),
            ("ssh://git:pw@example.com/r", "ssh://git@example.com/r"),
            ("ssh://git@example.com/r", "ssh://git@example.com/r"),
            ("git@github.com:org/repo", "git@github.com:org/repo"),
            ("https://example.com/a@b", "https://example.com/a@b"),
            ("https://u:p@h:8080/charts/", "https://h:8080/charts/"),
        ];
        for (url, want) in cases {
            assert_eq!(without_credentials(url), want, "{url}");
        }
        let text = render(
            &[GitPin {
                url: "https://user:secret@example.com/org/repo".into(),
                git_ref: "v1".into(),
                commit: "a".repeat(40),
            }],
            &[HttpPin {
                url: "https://user:secret@example.com/x.yaml".into(),
                sha256: "0".repeat(64),
            }],
            &[ChartPin {
                repo: "https://user:secret@charts.example.com/".into(),
                name: "web".into(),
                constraint: String::new(),
                version: "1.0.0".into(),
                digest: format!("sha256:{}", "1".repeat(64)),
            }],
            None,
        );
        assert!(!text.contains("secret") && !text.contains("user"), "{text}");
        let lock = read_text(&text).expect("reads");
        for url in [
            "https://example.com/org/repo",
            "https://user:secret@example.com/org/repo",
            "https://other:pw@example.com/org/repo",
        ] {
            assert!(lock.find(url, "v1").is_some(), "{url}");
        }
        assert!(lock
            .find_http("https://user:secret@example.com/x.yaml")
            .is_some());
        assert!(lock
            .find_chart("https://user:secret@charts.example.com", "web", "")
            .is_some());
        assert!(lock.find("https://example.com/org/other", "v1").is_none());
    }

    #[test]
    fn errors_point_at_the_entry() {
        let cases = [
            ("version: 2\ngit: []\n", "version 2 is not known"),
            (
                "version: 1\nvendor: ../up\n",
                "must be a relative path inside",
            ),
            (
                "version: 1\nvendor: /abs\n",
                "must be a relative path inside",
            ),
            ("git: []\n", "has no `version`"),
            ("version: 1\nhelm: []\n", "unknown field 'helm'"),
            (
                "version: 1\ncharts:\n- repo: r\n  name: n\n  version: 1.0.0\n  digest: abc\n",
                "not a digest",
            ),
            (
                "version: 1\ncharts:\n- repo: r\n  name: n\n  digest: abc\n",
                "has no `version`",
            ),
            (
                "version: 1\ngit:\n- url: x\n  commit: abc\n",
                "not a full commit id",
            ),
            ("version: 1\ngit:\n- url: x\n", "has no `commit`"),
            (
                "version: 1\ngit:\n- url: x\n  commit: [1]\n",
                "must be a string",
            ),
            (
                "version: 1\nhttp:\n- url: x\n  sha256: abc\n",
                "not a SHA-256 digest",
            ),
            (
                "version: 1\nhttp:\n- url: x\n  commit: abc\n",
                "unknown field 'commit'",
            ),
        ];
        for (text, want) in cases {
            let err = read_text(text).expect_err(text);
            assert!(err.message.contains(want), "{text}: {}", err.message);
            assert!(err.origin.is_some(), "{text}: no location");
        }
        let twice = format!(
            "version: 1\ngit:\n- url: x\n  commit: {c}\n- url: x\n  commit: {c}\n",
            c = "c".repeat(40)
        );
        let err = read_text(&twice).expect_err("duplicate");
        assert!(err.message.contains("pinned twice"), "{}", err.message);
    }
}
