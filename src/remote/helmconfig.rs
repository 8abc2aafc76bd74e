//! Helm's own configuration, read so that `helm repo add` and `helm registry login` users
//! change nothing: the repositories file (`repositories.yaml`: names, URLs, credentials,
//! TLS files), the repository cache (`NAME-index.yaml`, written by `helm repo update`) and
//! the registry credentials (`registry/config.json`, Docker's format).
//!
//! Paths as Helm finds them: a flag, else `$HELM_REPOSITORY_CONFIG` /
//! `$HELM_REPOSITORY_CACHE` / `$HELM_REGISTRY_CONFIG`, else under `$HELM_CONFIG_HOME` (or
//! `$XDG_CONFIG_HOME/helm`, or `~/.config/helm`) and `$HELM_CACHE_HOME` (or
//! `$XDG_CACHE_HOME/helm`, or `~/.cache/helm`).

use std::path::{Path, PathBuf};

use crate::diag::{Diag, Result};

use super::charts::Credentials;
use super::http::Tls;

fn var(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn home_dir(helm: &str, xdg: &str, fallback: &str) -> PathBuf {
    var(helm)
        .or_else(|| var(xdg).map(|d| d.join("helm")))
        .or_else(|| var("HOME").map(|h| h.join(fallback).join("helm")))
        .unwrap_or_else(|| PathBuf::from(fallback).join("helm"))
}

/// `repositories.yaml`: the flag, else `$HELM_REPOSITORY_CONFIG`, else Helm's default.
pub fn repository_config(flag: Option<&Path>) -> PathBuf {
    flag.map(Path::to_path_buf)
        .or_else(|| var("HELM_REPOSITORY_CONFIG"))
        .unwrap_or_else(|| {
            home_dir("HELM_CONFIG_HOME", "XDG_CONFIG_HOME", ".config").join("repositories.yaml")
        })
}

/// The repository cache directory: the flag, else `$HELM_REPOSITORY_CACHE`, else Helm's
/// default.
pub fn repository_cache(flag: Option<&Path>) -> PathBuf {
    flag.map(Path::to_path_buf)
        .or_else(|| var("HELM_REPOSITORY_CACHE"))
        .unwrap_or_else(|| {
            home_dir("HELM_CACHE_HOME", "XDG_CACHE_HOME", ".cache").join("repository")
        })
}

/// The registry credentials file: the flag, else `$HELM_REGISTRY_CONFIG`, else Helm's
/// default.
pub fn registry_config(flag: Option<&Path>) -> PathBuf {
    flag.map(Path::to_path_buf)
        .or_else(|| var("HELM_REGISTRY_CONFIG"))
        .unwrap_or_else(|| {
            home_dir("HELM_CONFIG_HOME", "XDG_CONFIG_HOME", ".config")
                .join("registry")
                .join("config.json")
        })
}

/// One entry of `repositories.yaml`.
#[derive(Clone, Debug, Default)]
pub struct Repository {
    pub name: String,
    pub url: String,
    pub credentials: Credentials,
}

/// The repository named `name` in the repositories file at `path`.
pub fn find_repository(path: &Path, name: &str) -> Result<Repository> {
    let not_found = || {
        Diag::error(
            "kit::chart::repo-not-found",
            format!("repo {name} not found"),
        )
        .help(format!(
            "add it with `helm repo add {name} URL` (kit reads {}), or pass --repo URL",
            path.display()
        ))
    };
    repositories(path)?
        .into_iter()
        .find(|r| r.name == name)
        .ok_or_else(not_found)
}

/// The repository of the repositories file at `path` whose URL is `url` (Helm's
/// `urlutil.Equal`: a trailing `/` aside), if any.
pub fn repository_with_url(path: &Path, url: &str) -> Result<Option<Repository>> {
    let key = |u: &str| u.trim_end_matches('/').to_string();
    Ok(repositories(path)?
        .into_iter()
        .find(|r| key(&r.url) == key(url)))
}

/// Every entry of the repositories file at `path` (none when there is no such file).
pub fn repositories(path: &Path) -> Result<Vec<Repository>> {
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let loader = crate::load::Loader::new();
    let loaded = loader.load(path)?;
    let doc = match loaded.docs.as_slice() {
        [doc] => crate::emit::to_json(doc),
        _ => return Ok(Vec::new()),
    };
    let repos = doc
        .get("repositories")
        .and_then(|r| r.as_array())
        .cloned()
        .unwrap_or_default();
    Ok(repos.iter().map(entry).collect())
}

fn entry(entry: &serde_json::Value) -> Repository {
    let text = |k: &str| {
        entry
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let flag = |k: &str| entry.get(k).and_then(|v| v.as_bool()).unwrap_or(false);
    let file = |k: &str| Some(text(k)).filter(|s| !s.is_empty()).map(PathBuf::from);
    Repository {
        name: text("name"),
        url: text("url"),
        credentials: Credentials {
            username: text("username"),
            password: text("password"),
            tls: Tls {
                ca_file: file("caFile"),
                cert_file: file("certFile"),
                key_file: file("keyFile"),
                insecure: flag("insecure_skip_tls_verify"),
            },
            pass_credentials: flag("pass_credentials_all"),
            plain_http: false,
        },
    }
}

/// The Basic credentials `config.json` (Docker's format: `auths.HOST.auth`, base64 of
/// `user:password`, or `username`/`password`) holds for a registry host, if any.
pub fn registry_credentials(path: &Path, host: &str) -> Result<Option<(String, String)>> {
    let Ok(bytes) = std::fs::read(path) else {
        return Ok(None);
    };
    let doc: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        Diag::error(
            "kit::chart::registry-config",
            format!("{}: not valid JSON: {e}", path.display()),
        )
        .help("the file `helm registry login` writes (Docker's config.json format)")
    })?;
    let Some(auths) = doc.get("auths").and_then(|a| a.as_object()) else {
        return Ok(None);
    };
    // Keys may carry a scheme (`https://host`) as Docker writes them for Docker Hub.
    let entry = auths.iter().find(|(k, _)| {
        let k = k
            .strip_prefix("https://")
            .or_else(|| k.strip_prefix("http://"))
            .unwrap_or(k);
        k.trim_end_matches('/') == host
    });
    let Some((_, entry)) = entry else {
        return Ok(None);
    };
    if let Some(auth) = entry
        .get("auth")
        .and_then(|a| a.as_str())
        .filter(|a| !a.is_empty())
    {
        use base64::Engine;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(auth)
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        if let Some((user, password)) = decoded.as_deref().and_then(|d| d.split_once(':')) {
            return Ok(Some((user.to_string(), password.to_string())));
        }
    }
    let text = |k: &str| entry.get(k).and_then(|v| v.as_str()).unwrap_or("");
    if !text("username").is_empty() {
        return Ok(Some((text("username").into(), text("password").into())));
    }
    Ok(None)
}
