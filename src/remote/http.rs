//! Plain HTTP(S) files named in `resources` (kustomize downloads an `http://` or `https://`
//! entry as a file before it tries it as a git repository). TLS is rustls with the Mozilla
//! roots; every download has a time limit and a size limit, follows at most a few
//! redirects, and never leaves HTTPS once it started there.

use std::time::Duration;

/// The largest file kit downloads.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// The limit for a whole download (connect, headers, body).
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
    let https = url
        .get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .max_redirects(MAX_REDIRECTS)
        // A redirect from HTTPS to plain HTTP is refused.
        .https_only(https)
        .http_status_as_error(false)
        .user_agent(format!("kit/{}", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response = agent.get(url).call().map_err(describe)?;
    let status = response.status().as_u16();
    if !(200..300).contains(&status) {
        return Ok(Got::Status(status));
    }
    response
        .body_mut()
        .with_config()
        .limit(MAX_BYTES)
        .read_to_vec()
        .map(Got::Body)
        .map_err(describe)
}

fn describe(e: ureq::Error) -> String {
    match e {
        ureq::Error::BodyExceedsLimit(_) => {
            format!("the file is larger than {} MiB", MAX_BYTES / (1024 * 1024))
        }
        ureq::Error::Timeout(_) => format!("no complete answer within {}s", TIMEOUT.as_secs()),
        ureq::Error::RequireHttpsOnly(to) => {
            format!("an HTTPS download was redirected to plain HTTP ({to})")
        }
        ureq::Error::TooManyRedirects => {
            format!("more than {MAX_REDIRECTS} redirects")
        }
        other => other.to_string(),
    }
}
