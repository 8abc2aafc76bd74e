//! Plain HTTP(S) files named in `resources` (kustomize downloads an `http://` or `https://`
//! entry as a file before it tries it as a git repository). TLS is rustls with the Mozilla
//! roots; every download has a time limit and a size limit, follows at most a few
//! redirects, and only within its scheme (neither HTTPS to HTTP nor HTTP to HTTPS nor
//! anywhere else), its `Authorization` header only to the first URL's scheme, host and port.

use std::time::Duration;

/// The largest file kit downloads.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// The limit for a whole download (connect, headers, body), unless `KIT_REMOTE_TIMEOUT`
/// (seconds) sets another.
pub const TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
const MAX_REDIRECTS: u32 = 5;

/// What a GET gave.
#[derive(Debug)]
pub enum Got {
    /// A 2xx response's body.
    Body(Vec<u8>),
    /// Another status (after redirects).
    Status(u16),
}

/// GETs `url`; an error is a sentence saying what went wrong.
pub fn get(url: &str) -> Result<Got, String> {
    let reply = fetch_for(&Request::get(url, MAX_BYTES), For::File)?;
    Ok(if (200..300).contains(&reply.status) {
        Got::Body(reply.body)
    } else {
        Got::Status(reply.status)
    })
}

/// TLS settings of a chart repository or registry (Helm's `--ca-file`, `--cert-file`,
/// `--key-file`, `--insecure-skip-tls-verify`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Tls {
    /// Trust only the certificates in this PEM file (as Helm's `--ca-file` does).
    pub ca_file: Option<std::path::PathBuf>,
    /// A client certificate and its key (PEM).
    pub cert_file: Option<std::path::PathBuf>,
    pub key_file: Option<std::path::PathBuf>,
    /// Accept any server certificate.
    pub insecure: bool,
}

/// One HTTP request.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    pub url: &'a str,
    pub head: bool,
    /// `Authorization` header value (sent to this URL's origin only: never along a redirect
    /// to another host or port).
    pub authorization: Option<String>,
    pub accept: Option<String>,
    /// The largest 2xx body read (an error past it).
    pub limit: u64,
    pub tls: Tls,
}

impl<'a> Request<'a> {
    pub fn get(url: &'a str, limit: u64) -> Self {
        Request {
            url,
            head: false,
            authorization: None,
            accept: None,
            limit,
            tls: Tls::default(),
        }
    }
}

/// A response: its status, headers (names lower-cased) and body (read in full for a 2xx
/// status within the request's limit; at most 64 KiB of another status's).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The time limit of a whole download: `KIT_REMOTE_TIMEOUT` seconds when set (tests of a
/// slow server, users behind a slow proxy), else [`TIMEOUT`].
pub fn timeout() -> Duration {
    std::env::var("KIT_REMOTE_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map_or(TIMEOUT, Duration::from_secs)
}

/// The scheme of a URL, lower-cased (`http`, `https`, ...).
fn scheme_of(url: &str) -> String {
    url.split_once("://")
        .map(|(s, _)| s.to_ascii_lowercase())
        .unwrap_or_default()
}

/// What a download is for: what a user can do about a certificate differs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum For {
    /// A file named in `resources` (the Mozilla roots, no flags).
    File,
    /// A chart repository or registry (Helm's TLS flags and repositories.yaml fields).
    Chart,
}

/// Runs `req` for a chart repository or registry, following redirects itself (at most
/// [`MAX_REDIRECTS`], each within the first URL's scheme; the `Authorization` header only
/// along those within the first URL's origin); an error is a sentence saying what went
/// wrong, and for a TLS failure, what to pass.
pub fn fetch(req: &Request) -> Result<Reply, String> {
    fetch_for(req, For::Chart)
}

fn fetch_for(req: &Request, purpose: For) -> Result<Reply, String> {
    let limit = timeout();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(limit))
        .timeout_connect(Some(CONNECT_TIMEOUT.min(limit)))
        .max_redirects(0)
        .http_status_as_error(false)
        .tls_config(tls_config(&req.tls)?)
        .user_agent(format!("kit/{}", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let scheme = scheme_of(req.url);
    let started = std::time::Instant::now();
    let mut url = req.url.to_string();
    let mut redirects = 0;
    let mut response = loop {
        // Credentials belong to the first URL's origin: a redirect within it keeps them
        // (Helm's client keeps them too), one to any other host or port drops them.
        let authorization = req
            .authorization
            .as_deref()
            .filter(|_| redirects == 0 || same_origin(req.url, &url));
        let response = call(&agent, req, &url, authorization)
            .map_err(|e| explain_tls(&url, describe(e, req.limit), &req.tls, purpose))?;
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok());
        let Some(location) = location.filter(|_| matches!(status, 301 | 302 | 303 | 307 | 308))
        else {
            break response;
        };
        let next = redirect_target(&url, location);
        if scheme_of(&next) != scheme {
            return Err(format!(
                "'{url}' redirects to '{next}', another scheme; kit follows redirects only within {scheme}://"
            ));
        }
        redirects += 1;
        if redirects > MAX_REDIRECTS {
            return Err(format!("more than {MAX_REDIRECTS} redirects"));
        }
        // The global limit is per call: the redirects together get one limit.
        if started.elapsed() >= limit {
            return Err(format!("no complete answer within {}s", limit.as_secs()));
        }
        url = next;
    };
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .filter_map(|(k, v)| {
            Some((
                k.as_str().to_ascii_lowercase(),
                v.to_str().ok()?.to_string(),
            ))
        })
        .collect();
    let ok = (200..300).contains(&status);
    let body = if req.head {
        Vec::new()
    } else {
        let limit = if ok { req.limit } else { 64 * 1024 };
        match response.body_mut().with_config().limit(limit).read_to_vec() {
            Ok(b) => b,
            Err(_) if !ok => Vec::new(),
            Err(e) => return Err(describe(e, limit)),
        }
    };
    Ok(Reply {
        status,
        headers,
        body,
    })
}

/// Whether two URLs have one scheme, host and port (as written).
fn same_origin(a: &str, b: &str) -> bool {
    let (a, b) = (super::charts::origin_of(a), super::charts::origin_of(b));
    a.is_some()
        && a.map(|(s, h)| (s, h.to_ascii_lowercase()))
            == b.map(|(s, h)| (s, h.to_ascii_lowercase()))
}

/// Where a `Location` header points from `url` (relative references resolved; its own
/// query kept).
fn redirect_target(url: &str, location: &str) -> String {
    if location.contains("://") {
        return location.to_string();
    }
    let (path, query) = location.split_once('?').unwrap_or((location, ""));
    let base = url.split(['?', '#']).next().unwrap_or(url);
    let mut next = super::charts::resolve_reference(base, path);
    if !query.is_empty() {
        next.push('?');
        next.push_str(query);
    }
    next
}

/// One request (GET or HEAD) of `req` to `url`.
fn call(
    agent: &ureq::Agent,
    req: &Request,
    url: &str,
    authorization: Option<&str>,
) -> Result<ureq::http::Response<ureq::Body>, ureq::Error> {
    let mut builder = ureq::http::Request::builder()
        .method(if req.head { "HEAD" } else { "GET" })
        .uri(url);
    if let Some(a) = authorization {
        builder = builder.header("Authorization", a);
    }
    if let Some(a) = &req.accept {
        builder = builder.header("Accept", a);
    }
    let request = builder.body(()).map_err(ureq::Error::from)?;
    agent.run(request)
}

fn tls_config(tls: &Tls) -> Result<ureq::tls::TlsConfig, String> {
    use ureq::tls::{Certificate, ClientCert, PemItem, PrivateKey, RootCerts, TlsConfig};
    let read = |path: &std::path::Path| {
        std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let certs_of = |path: &std::path::Path| -> Result<Vec<Certificate<'static>>, String> {
        let pem = read(path)?;
        let certs: Vec<Certificate<'static>> = ureq::tls::parse_pem(&pem)
            .filter_map(|item| match item {
                Ok(PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        if certs.is_empty() {
            return Err(format!("{} holds no PEM certificate", path.display()));
        }
        Ok(certs)
    };
    let mut config = TlsConfig::builder().disable_verification(tls.insecure);
    if let Some(ca) = &tls.ca_file {
        config = config.root_certs(RootCerts::new_with_certs(&certs_of(ca)?));
    }
    match (&tls.cert_file, &tls.key_file) {
        (Some(cert), Some(key)) => {
            let chain = certs_of(cert)?;
            let key = PrivateKey::from_pem(&read(key)?)
                .map_err(|e| format!("cannot read the key {}: {e}", key.display()))?;
            config = config.client_cert(Some(ClientCert::new_with_certs(&chain, key)));
        }
        (None, None) => {}
        _ => return Err("a client certificate needs both --cert-file and --key-file".into()),
    }
    Ok(config.build())
}

/// A TLS handshake that failed, said as what it means and what to do (rustls' own words
/// kept); any other error as it is.
fn explain_tls(url: &str, error: String, tls: &Tls, purpose: For) -> String {
    let host = super::charts::origin_of(url).map_or_else(|| url.to_string(), |(_, host)| host);
    if error.contains("invalid peer certificate") {
        let help = match purpose {
            For::File => "kit checks a remote file's certificate against the Mozilla root certificates",
            // `kit build` (helmCharts) has no TLS settings, as kustomize's has none.
            For::Chart => "kit trusts the Mozilla root certificates, and for `kit template` the CA file of --ca-file (`caFile` in Helm's repositories.yaml); `kit template --insecure-skip-tls-verify` skips the check",
        };
        return format!("the TLS certificate of {host} is not trusted ({error}): {help}");
    }
    let refused = [
        "CertificateRequired",
        "BadCertificate",
        "HandshakeFailure",
        "UnknownCA",
    ];
    if purpose == For::Chart
        && error.contains("received fatal alert")
        && refused.iter().any(|alert| error.contains(alert))
    {
        return match &tls.cert_file {
            None => format!(
                "{host} ended the TLS handshake ({error}): it wants a client certificate: pass it with --cert-file and --key-file (`certFile`/`keyFile` in Helm's repositories.yaml)"
            ),
            Some(cert) => format!(
                "{host} ended the TLS handshake ({error}): it refused the client certificate {}",
                cert.display()
            ),
        };
    }
    error
}

fn describe(e: ureq::Error, limit: u64) -> String {
    match e {
        ureq::Error::BodyExceedsLimit(_) => {
            format!("the file is larger than {} MiB", limit / (1024 * 1024))
        }
        ureq::Error::Timeout(_) => format!("no complete answer within {}s", timeout().as_secs()),
        other => other.to_string(),
    }
}
