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
//! ```
//!
//! One entry per repository and ref (several directories of one repository at one ref share
//! it). Entries are sorted, so that the file diffs well. The format is versioned and keyed by
//! kind of source: charts (`charts:`, with digests) and plain HTTP files (`http:`) are to
//! come as further lists beside `git:`.

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
        let git = match loaded.docs.as_slice() {
            [] => Vec::new(),
            [doc] => parse(doc)?,
            [_, second, ..] => {
                return Err(invalid("a lock file holds one document", second.origin))
            }
        };
        Ok(Lock {
            path,
            exists: true,
            git,
        })
    }

    /// The pin for a repository at a ref.
    pub fn find(&self, url: &str, git_ref: &str) -> Option<&Locked> {
        self.git
            .iter()
            .find(|l| l.pin.url == url && l.pin.git_ref == git_ref)
    }
}

fn invalid(message: impl Into<String>, origin: Option<Origin>) -> Diag {
    Diag::error("kit::lock::invalid", message).at(origin).help(
        "kit.lock is written by `kit update`; fix the entry or run `kit update` to write it again",
    )
}

fn parse(doc: &Node) -> Result<Vec<Locked>> {
    let Some(map) = doc.as_map() else {
        return Err(invalid("a lock file is a mapping", doc.origin));
    };
    let mut version = None;
    let mut git = Vec::new();
    for (key, value) in map {
        match key.as_str() {
            "version" => version = Some(value),
            "git" => git = parse_git(value)?,
            other => {
                return Err(invalid(
                    format!("unknown field '{other}' in kit.lock"),
                    value.origin,
                )
                .help("this kit knows `version` and `git`; a newer kit may have written the file: update kit, or run `kit update`"))
            }
        }
    }
    match version {
        Some(v) if matches!(v.value, crate::model::Value::Int(VERSION)) => Ok(git),
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

fn parse_git(list: &Node) -> Result<Vec<Locked>> {
    let items = match &list.value {
        crate::model::Value::Null => return Ok(Vec::new()),
        crate::model::Value::Seq(items) => items,
        _ => return Err(invalid("`git` is a list of entries", list.origin)),
    };
    let mut out: Vec<Locked> = Vec::new();
    for item in items {
        let Some(map) = item.as_map() else {
            return Err(invalid("a `git` entry is a mapping", item.origin));
        };
        let field = |name: &str| -> Result<String> {
            match item.get(name) {
                Some(n) => n
                    .as_str()
                    .map(str::to_string)
                    .ok_or_else(|| invalid(format!("`{name}` must be a string"), n.origin)),
                None if name == "ref" => Ok(String::new()),
                None => Err(invalid(format!("the entry has no `{name}`"), item.origin)),
            }
        };
        if let Some((other, n)) = map
            .iter()
            .find(|(k, _)| !matches!(k.as_str(), "url" | "ref" | "commit"))
        {
            return Err(invalid(
                format!("unknown field '{other}' in a `git` entry"),
                n.origin,
            ));
        }
        let pin = GitPin {
            url: field("url")?,
            git_ref: field("ref")?,
            commit: field("commit")?,
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

/// The text of a lock file holding `pins` (sorted, one entry per repository and ref).
pub fn render(pins: &[GitPin]) -> String {
    let mut pins = pins.to_vec();
    pins.sort();
    pins.dedup_by(|a, b| a.url == b.url && a.git_ref == b.git_ref);
    let quote = |s: &str| serde_json::Value::String(s.to_string()).to_string();
    let mut out = String::from(
        "# kit.lock: the exact commit of every remote base this kustomization uses.\n\
         # Written by `kit update`; `kit build` fetches these commits instead of resolving the refs.\n\
         version: 1\n",
    );
    if pins.is_empty() {
        out.push_str("git: []\n");
        return out;
    }
    out.push_str("git:\n");
    for p in &pins {
        out.push_str(&format!(
            "- url: {}\n  ref: {}\n  commit: {}\n",
            quote(&p.url),
            quote(&p.git_ref),
            quote(&p.commit)
        ));
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
        let lock = read_text(&render(&pins)).expect("reads");
        let mut want = pins.clone();
        want.sort();
        let got: Vec<GitPin> = lock.git.iter().map(|l| l.pin.clone()).collect();
        assert_eq!(got, want);
        assert!(lock.find("https://example.com/b/repo", "v1").is_some());
        assert!(lock.find("https://example.com/b/repo", "v2").is_none());
        let empty = read_text(&render(&[])).expect("reads");
        assert!(empty.git.is_empty());
    }

    #[test]
    fn errors_point_at_the_entry() {
        let cases = [
            ("version: 2\ngit: []\n", "version 2 is not known"),
            ("git: []\n", "has no `version`"),
            ("version: 1\ncharts: []\n", "unknown field 'charts'"),
            (
                "version: 1\ngit:\n- url: x\n  commit: abc\n",
                "not a full commit id",
            ),
            ("version: 1\ngit:\n- url: x\n", "has no `commit`"),
            (
                "version: 1\ngit:\n- url: x\n  commit: [1]\n",
                "must be a string",
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
