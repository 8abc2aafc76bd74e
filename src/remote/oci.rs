//! Charts in OCI registries (`oci://host/path/chart`), as `helm pull oci://...` fetches
//! them, over the OCI distribution API with kit's own HTTP client (ureq): a few requests
//! do not warrant a second HTTP stack (the `oci-client` crate brings reqwest and an async
//! runtime's worth of dependencies).
//!
//! - The version: a `--version` that parses as a semantic version is the tag itself (Helm
//!   does not list tags then); otherwise the registry's tags are listed, those that are
//!   strict semantic versions (with `_` read as `+`, since a tag cannot hold `+`) sorted
//!   highest first, and Helm's choice made among them (an exact match, else the first
//!   satisfying the constraint).
//! - The manifest (`application/vnd.oci.image.manifest.v1+json`) must have Helm's config
//!   media type and one chart layer; its digest is checked when the registry states one,
//!   and the layer's blob is then checked against the layer's digest.
//! - Authentication: anonymous first; on 401, Basic credentials (the flags, else Helm's
//!   registry config for the host) or the token flow its `WWW-Authenticate` names.

use crate::diag::{Diag, Result};

use super::charts::{basic, ChartRequest, Found};
use super::http::{self, Request};
use super::{sha256_hex, Remote};

/// The largest manifest, tag list or token answer kit reads.
const MAX_JSON_BYTES: u64 = 4 * 1024 * 1024;
/// At most this many pages of tags.
const MAX_TAG_PAGES: usize = 100;

const MANIFEST_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";
const CONFIG_TYPE: &str = "application/vnd.cncf.helm.config.v1+json";
const CHART_TYPES: &[&str] = &[
    "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
    // Charts pushed by Helm before 3.8.
    "application/tar+gzip",
];

/// A registry, a repository in it, and how to talk to it.
struct Registry<'a> {
    base: String,
    host: String,
    repository: String,
    req: &'a ChartRequest,
    credentials: Option<(String, String)>,
}

fn oci_error(req: &ChartRequest, message: String) -> Diag {
    Diag::error("kit::chart::oci", format!("{}: {message}", req.what))
        .help("check the reference (oci://HOST/PATH/CHART), the version, and your access to the registry (`helm registry login`)")
}

/// The version `req` resolves to in its registry, and the chart layer's blob.
pub(super) fn find(remote: &Remote, req: &ChartRequest) -> Result<Found> {
    let rest = req.repo.trim_start_matches("oci://").trim_end_matches('/');
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() || req.name.is_empty() {
        return Err(oci_error(
            req,
            format!("invalid reference oci://{rest}/{}", req.name),
        ));
    }
    let repository = if path.is_empty() {
        req.name.clone()
    } else {
        format!("{path}/{}", req.name)
    };
    let c = &req.credentials;
    let credentials = if !c.username.is_empty() || !c.password.is_empty() {
        Some((c.username.clone(), c.password.clone()))
    } else {
        super::helmconfig::registry_credentials(&req.registry_config(), host)?
    };
    let registry = Registry {
        base: format!("{}://{host}", if c.plain_http { "http" } else { "https" }),
        host: host.to_string(),
        repository,
        req,
        credentials,
    };
    let mut auth = None;
    let constraint = req.constraint_for_oci();
    let tag = if crate::chart::semver::Version::parse(&constraint).is_ok() {
        constraint.clone()
    } else {
        remote.note(&format!(
            "listing the tags of oci://{}/{}",
            registry.host, registry.repository
        ));
        let tags = registry.tags(&mut auth)?;
        if tags.is_empty() {
            return Err(oci_error(
                req,
                format!(
                    "Unable to locate any tags in provided repository: oci://{}/{}",
                    registry.host, registry.repository
                ),
            ));
        }
        pick_tag(&tags, &constraint).map_err(|e| oci_error(req, e))?
    };
    remote.note(&format!(
        "reading the manifest of oci://{}/{}:{tag}",
        registry.host, registry.repository
    ));
    let manifest_url = format!(
        "{}/v2/{}/manifests/{}",
        registry.base,
        registry.repository,
        tag.replace('+', "_")
    );
    let reply = registry.get(&manifest_url, Some(MANIFEST_TYPE), &mut auth)?;
    if reply.status == 404 {
        return Err(oci_error(
            req,
            format!(
                "oci://{}/{}:{tag}: not found",
                registry.host, registry.repository
            ),
        ));
    }
    registry.ok(&reply, &manifest_url)?;
    if let Some(stated) = reply.header("docker-content-digest") {
        let got = format!("sha256:{}", sha256_hex(&reply.body));
        if stated.starts_with("sha256:") && stated != got {
            return Err(oci_error(
                req,
                format!("the manifest's digest is {got}, but the registry states {stated}"),
            ));
        }
    }
    let manifest: serde_json::Value = serde_json::from_slice(&reply.body)
        .map_err(|e| oci_error(req, format!("the manifest is not JSON: {e}")))?;
    let config_type = manifest
        .pointer("/config/mediaType")
        .and_then(|m| m.as_str())
        .unwrap_or("");
    if config_type != CONFIG_TYPE {
        return Err(oci_error(
            req,
            format!(
                "not a Helm chart: the manifest's config is {config_type:?}, not {CONFIG_TYPE}"
            ),
        ));
    }
    let layers = manifest
        .get("layers")
        .and_then(|l| l.as_array())
        .cloned()
        .unwrap_or_default();
    let chart_layers: Vec<&serde_json::Value> = layers
        .iter()
        .filter(|l| {
            l.get("mediaType")
                .and_then(|m| m.as_str())
                .is_some_and(|m| CHART_TYPES.contains(&m))
        })
        .collect();
    let [layer] = chart_layers.as_slice() else {
        return Err(oci_error(
            req,
            format!(
                "the manifest has {} chart layers; Helm charts have one",
                chart_layers.len()
            ),
        ));
    };
    let digest = layer
        .get("digest")
        .and_then(|d| d.as_str())
        .filter(|d| super::lock::is_sha256_digest(d))
        .ok_or_else(|| oci_error(req, "the chart layer has no sha256 digest".into()))?;
    if layer
        .get("size")
        .and_then(|s| s.as_u64())
        .is_some_and(|s| s > super::charts::MAX_CHART_BYTES)
    {
        return Err(oci_error(
            req,
            format!(
                "the chart layer is larger than {} MiB",
                super::charts::MAX_CHART_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok(Found {
        version: tag,
        url: format!(
            "{}/v2/{}/blobs/{digest}",
            registry.base, registry.repository
        ),
        digest: Some(digest.to_string()),
        authorization: auth,
    })
}

impl Registry<'_> {
    /// GETs `url`, authenticating once on a 401 (the header is kept in `auth`).
    fn get(
        &self,
        url: &str,
        accept: Option<&str>,
        auth: &mut Option<String>,
    ) -> Result<http::Reply> {
        let send = |authorization: Option<String>| {
            let mut request = Request::get(url, MAX_JSON_BYTES);
            request.accept = accept.map(str::to_string);
            request.authorization = authorization;
            request.tls = self.req.credentials.tls.clone();
            http::fetch(&request)
                .map_err(|why| oci_error(self.req, format!("cannot reach {url}: {why}")))
        };
        let reply = send(auth.clone())?;
        if reply.status != 401 || auth.is_some() {
            return Ok(reply);
        }
        let challenge = reply.header("www-authenticate").unwrap_or("").to_string();
        *auth = Some(self.authorize(&challenge)?);
        send(auth.clone())
    }

    fn ok(&self, reply: &http::Reply, url: &str) -> Result<()> {
        if (200..300).contains(&reply.status) {
            return Ok(());
        }
        Err(oci_error(
            self.req,
            format!(
                "{url} answered {}{}",
                reply.status,
                if reply.status == 401 || reply.status == 403 {
                    " (credentials refused or missing)"
                } else {
                    ""
                }
            ),
        ))
    }

    /// The `Authorization` header for a 401's challenge: Basic credentials, or a token from
    /// the realm a Bearer challenge names.
    fn authorize(&self, challenge: &str) -> Result<String> {
        let (scheme, params) = challenge.split_once(' ').unwrap_or((challenge, ""));
        let basic_header = self.credentials.as_ref().map(|(u, p)| basic(u, p));
        if scheme.eq_ignore_ascii_case("basic") {
            return basic_header.ok_or_else(|| {
                oci_error(
                    self.req,
                    format!(
                        "{} wants credentials: --username/--password, or `helm registry login {}`",
                        self.host, self.host
                    ),
                )
            });
        }
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(oci_error(
                self.req,
                format!("the registry asks for unknown authentication {challenge:?}"),
            ));
        }
        let params = challenge_params(params);
        let param = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        };
        let realm = param("realm")
            .ok_or_else(|| oci_error(self.req, "a Bearer challenge without a realm".into()))?;
        if !realm_keeps_tls(&self.base, &realm) {
            return Err(oci_error(
                self.req,
                format!(
                    "the registry {} sends for a token to {realm}, over plain HTTP: kit sends no credentials there",
                    self.base
                ),
            ));
        }
        // Several scopes are separated by spaces; each is a `scope` parameter of its own
        // (oras-go's `fetchDistributionToken`).
        let scope =
            param("scope").unwrap_or_else(|| format!("repository:{}:pull", self.repository));
        let mut query: Vec<String> = scope
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(|s| format!("scope={}", encode(s)))
            .collect();
        if let Some(service) = param("service") {
            query.push(format!("service={}", encode(&service)));
        }
        let url = format!("{realm}?{}", query.join("&"));
        let mut request = Request::get(&url, MAX_JSON_BYTES);
        request.authorization = basic_header;
        request.tls = self.req.credentials.tls.clone();
        let reply = http::fetch(&request).map_err(|why| {
            oci_error(self.req, format!("cannot get a token from {realm}: {why}"))
        })?;
        if reply.status == 401 || reply.status == 403 {
            let why = if self.credentials.is_some() {
                "it refused the credentials kit sent (from --username/--password, or from Helm's registry config)".to_string()
            } else {
                format!(
                    "it wants credentials: --username/--password, or `helm registry login {}`",
                    self.host
                )
            };
            return Err(oci_error(
                self.req,
                format!(
                    "the token server {realm} of {} answered {}: {why}",
                    self.host, reply.status
                ),
            ));
        }
        self.ok(&reply, &realm)?;
        let answer: serde_json::Value = serde_json::from_slice(&reply.body)
            .map_err(|e| oci_error(self.req, format!("the token answer is not JSON: {e}")))?;
        let token = answer
            .get("token")
            .or_else(|| answer.get("access_token"))
            .and_then(|t| t.as_str())
            .ok_or_else(|| oci_error(self.req, "the token answer has no token".into()))?;
        Ok(format!("Bearer {token}"))
    }

    /// The repository's tags that are strict semantic versions (`_` read as `+`), highest
    /// first, as Helm's registry client lists them.
    fn tags(&self, auth: &mut Option<String>) -> Result<Vec<String>> {
        let mut all = Vec::new();
        let mut next = Some(format!("{}/v2/{}/tags/list", self.base, self.repository));
        let mut pages = 0;
        while let Some(url) = next.take() {
            pages += 1;
            if pages > MAX_TAG_PAGES {
                return Err(oci_error(
                    self.req,
                    format!("more than {MAX_TAG_PAGES} pages of tags"),
                ));
            }
            let reply = self.get(&url, None, auth)?;
            self.ok(&reply, &url)?;
            let list: serde_json::Value = serde_json::from_slice(&reply.body)
                .map_err(|e| oci_error(self.req, format!("the tag list is not JSON: {e}")))?;
            all.extend(
                list.get("tags")
                    .and_then(|t| t.as_array())
                    .into_iter()
                    .flatten()
                    .filter_map(|t| t.as_str().map(str::to_string)),
            );
            // `Link: </v2/...?last=x&n=y>; rel="next"`: the next page, on the same registry.
            next = reply
                .header("link")
                .and_then(|l| l.split_once('<'))
                .and_then(|(_, r)| r.split_once('>'))
                .map(|(path, _)| path.to_string())
                .filter(|path| path.starts_with("/v2/"))
                .map(|path| format!("{}{path}", self.base));
        }
        let mut versions: Vec<(crate::chart::semver::Version, String)> = all
            .iter()
            .map(|t| t.replace('_', "+"))
            .filter(|t| is_strict_semver(t))
            .filter_map(|t| Some((crate::chart::semver::Version::parse(&t).ok()?, t)))
            .collect();
        versions.sort_by(|a, b| b.0.compare(&a.0));
        Ok(versions.into_iter().map(|(_, t)| t).collect())
    }
}

/// Whether a token realm keeps the registry's TLS: the registry's credentials go to the realm
/// (on whatever host the registry names, as Docker's token flow has it), but never from an
/// HTTPS registry to a plain-HTTP realm.
fn realm_keeps_tls(base: &str, realm: &str) -> bool {
    let scheme = |u: &str| {
        u.split_once("://")
            .map(|(s, _)| s.to_ascii_lowercase())
            .unwrap_or_default()
    };
    scheme(base) != "https" || scheme(realm) == "https"
}

/// The parameters of a `WWW-Authenticate` challenge (`realm="…",service="…"`), names
/// lower-cased, values unquoted: a comma inside quotes (`scope="repository:a:pull,push"`)
/// belongs to the value, and `\` escapes the next character, as RFC 9110's quoted-string.
fn challenge_params(text: &str) -> Vec<(String, String)> {
    let mut params = Vec::new();
    let mut chars = text.chars().peekable();
    // Each round takes one parameter (or skips a stray comma); every round consumes input.
    while chars.peek().is_some() {
        let mut name = String::new();
        let mut has_value = false;
        for c in chars.by_ref() {
            match c {
                '=' => {
                    has_value = true;
                    break;
                }
                ',' => break,
                c => name.push(c),
            }
        }
        let mut value = String::new();
        if !has_value {
            continue;
        }
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => value.extend(chars.next()),
                    c => value.push(c),
                }
            }
            // What follows the closing quote, up to the next comma.
            for c in chars.by_ref() {
                if c == ',' {
                    break;
                }
            }
        } else {
            value = chars.by_ref().take_while(|c| *c != ',').collect();
        }
        let name = name.trim().to_ascii_lowercase();
        if !name.is_empty() {
            params.push((name, value.trim().to_string()));
        }
    }
    params
}

/// Masterminds' `StrictNewVersion`: `MAJOR.MINOR.PATCH`, no `v`, optional pre-release and
/// build.
fn is_strict_semver(tag: &str) -> bool {
    let core = tag.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Helm's `GetTagMatchingVersionOrConstraint` over tags sorted highest first.
fn pick_tag(tags: &[String], constraint: &str) -> std::result::Result<String, String> {
    if !constraint.is_empty() {
        if let Some(t) = tags.iter().find(|t| *t == constraint) {
            return Ok(t.clone());
        }
    }
    let parsed = crate::chart::semver::Constraint::parse(if constraint.is_empty() {
        "*"
    } else {
        constraint
    })?;
    tags.iter()
        .find(|t| crate::chart::semver::Version::parse(t).is_ok_and(|v| parsed.matches(&v)))
        .cloned()
        .ok_or_else(|| {
            format!("Could not locate a version matching provided version string {constraint}")
        })
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_pick_as_helm_picks_them() {
        let tags: Vec<String> = ["2.0.0-rc.1", "1.10.0+build.1", "1.2.0", "1.1.0"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(pick_tag(&tags, "").as_deref(), Ok("1.10.0+build.1"));
        assert_eq!(pick_tag(&tags, "~1.1.0").as_deref(), Ok("1.1.0"));
        assert_eq!(pick_tag(&tags, ">=2.0.0-0").as_deref(), Ok("2.0.0-rc.1"));
        assert!(pick_tag(&tags, ">=3").is_err());
        assert!(is_strict_semver("1.2.3-rc.1+b"));
        assert!(!is_strict_semver("v1.2.3"));
        assert!(!is_strict_semver("1.2"));
        assert!(!is_strict_semver("latest"));
        assert_eq!(encode("repository:a/b:pull"), "repository%3Aa%2Fb%3Apull");
    }

    #[test]
    fn challenge_parameters_keep_commas_inside_quotes() {
        let params = challenge_params(
            r#"realm="https://auth.example/token",service="registry.example", scope="repository:a/b:pull,push repository:c:pull",error="insufficient_scope""#,
        );
        let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("realm"), Some("https://auth.example/token"));
        assert_eq!(get("service"), Some("registry.example"));
        assert_eq!(
            get("scope"),
            Some("repository:a/b:pull,push repository:c:pull")
        );
        assert_eq!(get("error"), Some("insufficient_scope"));
        assert_eq!(
            challenge_params(r#"Realm=plain, x="a\"b""#),
            [
                ("realm".into(), "plain".into()),
                ("x".into(), "a\"b".into())
            ]
        );
        assert!(challenge_params(",,").is_empty());
        assert_eq!(
            challenge_params("stray,realm=r"),
            [("realm".into(), "r".into())]
        );
    }

    #[test]
    fn an_https_registry_sends_credentials_only_to_an_https_realm() {
        let registry = "https://registry.example";
        assert!(realm_keeps_tls(registry, "https://auth.example/token"));
        assert!(!realm_keeps_tls(registry, "http://auth.example/token"));
        assert!(!realm_keeps_tls(registry, "HTTP://registry.example/token"));
        assert!(!realm_keeps_tls(registry, "/token"));
        // A plain-HTTP registry (--plain-http) has no TLS to keep.
        assert!(realm_keeps_tls(
            "http://127.0.0.1:5000",
            "http://127.0.0.1:5001/token"
        ));
    }
}
