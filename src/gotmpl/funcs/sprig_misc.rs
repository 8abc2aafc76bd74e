//! Sprig's remaining families: UUIDs, paths (`base`, `dir`, `clean`, `ext`, `isAbs` and their
//! `os*` twins, which are the same on Linux), URLs (`urlParse`, `urlJoin`, after Go's
//! `net/url`), `getHostByName` (Helm makes it return "" unless DNS lookups are enabled), and
//! the crypto functions of `crypto.go`: `bcrypt`, `htpasswd`, `derivePassword`,
//! `genPrivateKey`, the certificate generators (real RSA-2048 keys in PKCS#1 PEM and x509
//! certificates, as Sprig's: their content is random, their shape is Go's), `encryptAES`,
//! `decryptAES` and `randBytes`.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::cast::{any_arg, byte_slice, int_arg, str_arg};
use super::sprig_strings::{b64_decode, b64_encode, go_quote};
use super::{Env, Func, Ty};
use crate::gotmpl::{FuncError, Object, Value};

type R = Result<Value, FuncError>;

use Ty::{Any, Int, List, Map, Str};

pub const FUNCS: &[Func] = &[
    f!("uuidv4", [], "A random version 4 UUID.", |e, _| Ok(Value::from(uuidv4(e)))),
    f!("getHostByName", [Str], "Helm: the address of a host name; \"\" unless DNS lookups are enabled.", |_, _| Ok(Value::str(""))),
    f!("base", [Str], "The last element of a slash-separated path.", |_, a| Ok(Value::from(path_base(str_arg(&a, 0))))),
    f!("dir", [Str], "All but the last element of a path.", |_, a| Ok(Value::from(path_dir(str_arg(&a, 0))))),
    f!("clean", [Str], "The shortest equivalent path.", |_, a| Ok(Value::from(path_clean(str_arg(&a, 0))))),
    f!("ext", [Str], "The extension of a path's last element (`.txt`).", |_, a| Ok(Value::from(path_ext(str_arg(&a, 0))))),
    f!("isAbs", [Str], "Whether a path is absolute.", |_, a| Ok(Value::Bool(str_arg(&a, 0).starts_with('/')))),
    f!("osBase", [Str], "`base` for the OS's paths.", |_, a| Ok(Value::from(path_base(str_arg(&a, 0))))),
    f!("osDir", [Str], "`dir` for the OS's paths.", |_, a| Ok(Value::from(path_dir(str_arg(&a, 0))))),
    f!("osClean", [Str], "`clean` for the OS's paths.", |_, a| Ok(Value::from(path_clean(str_arg(&a, 0))))),
    f!("osExt", [Str], "`ext` for the OS's paths.", |_, a| Ok(Value::from(path_ext(str_arg(&a, 0))))),
    f!("osIsAbs", [Str], "`isAbs` for the OS's paths.", |_, a| Ok(Value::Bool(str_arg(&a, 0).starts_with('/')))),
    f!("urlParse", [Str], "A URL's parts as a dict (scheme, host, hostname, path, query, opaque, fragment, userinfo).", url_parse),
    f!("urlJoin", [Map], "The URL of a dict of parts (the inverse of `urlParse`).", url_join),
    f!("bcrypt", [Str], "The bcrypt hash of a string (cost 10).", |e, a| Ok(Value::from(bcrypt(e, str_arg(&a, 0))))),
    f!("htpasswd", [Str, Str], "`htpasswd USER PASSWORD`: an htpasswd line with a bcrypt hash.", |e, a| {
        let user = str_arg(&a, 0);
        if user.contains(':') {
            return Ok(Value::from(format!("invalid username: {user}")));
        }
        Ok(Value::from(format!("{user}:{}", bcrypt(e, str_arg(&a, 1)))))
    }),
    f!("derivePassword", [Int, Str, Str, Str, Str], "`derivePassword COUNTER TYPE PASSWORD USER SITE`: a Master Password algorithm password.", derive_password),
    f!("genPrivateKey", [Str], "A new private key in PEM (`rsa` 4096, `ecdsa` P-256, `ed25519`).", gen_private_key),
    f!("buildCustomCert", [Str, Str], "`buildCustomCert CERT KEY`: a certificate object from base64 PEM.", build_custom_cert),
    f!("genCA", [Str, Int], "`genCA CN DAYS`: a new CA certificate and RSA key (`.Cert`, `.Key`).", |e, a| {
        let key = Key::new_rsa(e, 2048)?;
        gen_ca(e, &a, key)
    }),
    f!("genCAWithKey", [Str, Int, Str], "`genCAWithKey CN DAYS KEY`: a CA certificate for a PEM key.", |e, a| {
        let key = Key::parse_pem(str_arg(&a, 2)).map_err(|m| FuncError::new(format!("parsing private key: {m}")))?;
        gen_ca(e, &a, key)
    }),
    f!("genSelfSignedCert", [Str, List, List, Int], "`genSelfSignedCert CN IPS DNS DAYS`: a self-signed certificate and RSA key.", |e, a| {
        let key = Key::new_rsa(e, 2048)?;
        gen_cert(e, &a, key, None)
    }),
    f!("genSelfSignedCertWithKey", [Str, List, List, Int, Str], "Like `genSelfSignedCert`, for a PEM key.", |e, a| {
        let key = Key::parse_pem(str_arg(&a, 4)).map_err(|m| FuncError::new(format!("parsing private key: {m}")))?;
        gen_cert(e, &a, key, None)
    }),
    f!("genSignedCert", [Str, List, List, Int, Any], "`genSignedCert CN IPS DNS DAYS CA`: a certificate signed by CA, with a new RSA key.", |e, a| {
        let ca = cert_arg(&a, 4)?;
        let key = Key::new_rsa(e, 2048)?;
        gen_cert(e, &a, key, Some(ca))
    }),
    f!("genSignedCertWithKey", [Str, List, List, Int, Any, Str], "Like `genSignedCert`, for a PEM key.", |e, a| {
        let ca = cert_arg(&a, 4)?;
        let key = Key::parse_pem(str_arg(&a, 5)).map_err(|m| FuncError::new(format!("parsing private key: {m}")))?;
        gen_cert(e, &a, key, Some(ca))
    }),
    f!("encryptAES", [Str, Str], "`encryptAES PASSWORD TEXT`: AES-256-CBC, base64 (the IV first).", encrypt_aes),
    f!("decryptAES", [Str, Str], "`decryptAES PASSWORD BASE64`: the inverse of `encryptAES`.", decrypt_aes),
    f!("randBytes", [Int], "N random bytes, in base64.", |e, a| {
        let n = int_arg(&a, 0);
        if n < 0 {
            return Err(FuncError::new("runtime error: makeslice: len out of range"));
        }
        e.charge((n as usize).saturating_mul(2))?;
        Ok(Value::from(b64_encode(&random_bytes(e, n as usize))))
    }),
];

fn random_bytes(e: &mut dyn Env, n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let r = e.random_u64().to_le_bytes();
        let take = (n - out.len()).min(8);
        out.extend_from_slice(&r[..take]);
    }
    out
}

fn uuidv4(e: &mut dyn Env) -> String {
    let mut b = random_bytes(e, 16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = super::sprig_strings::hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

// ---------------------------------------------------------------------------------------
// Go's `path`.

/// `path.Clean`.
pub fn path_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

/// `path.Base`.
pub fn path_base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".into();
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

/// `path.Dir`.
pub fn path_dir(p: &str) -> String {
    let i = p.rfind('/').map_or(0, |i| i + 1);
    path_clean(&p[..i])
}

/// `path.Ext`.
pub fn path_ext(p: &str) -> String {
    for (i, c) in p.char_indices().rev() {
        if c == '/' {
            break;
        }
        if c == '.' {
            return p[i..].to_string();
        }
    }
    String::new()
}

// ---------------------------------------------------------------------------------------
// Go's `net/url`, as far as `urlParse` and `urlJoin` use it.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Enc {
    Path,
    Host,
    UserPassword,
    Fragment,
}

fn should_escape(c: u8, mode: Enc) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if mode == Enc::Host && b"!$&'()*+,;=:[]<>\"".contains(&c) {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            Enc::Path => c == b'?',
            Enc::UserPassword => matches!(c, b'@' | b'/' | b'?' | b':'),
            Enc::Fragment => false,
            Enc::Host => true,
        },
        b'!' | b'(' | b')' | b'*' if mode == Enc::Fragment => false,
        _ => true,
    }
}

fn escape(s: &str, mode: Enc) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if should_escape(b, mode) {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(char::from(b));
        }
    }
    out
}

fn unescape(s: &str, mode: Enc) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b
                .get(i + 1..i + 3)
                .filter(|h| h.iter().all(u8::is_ascii_hexdigit));
            let Some(h) = hex else {
                let bad = s.get(i..(i + 3).min(s.len())).unwrap_or("");
                return Err(format!("invalid URL escape {}", go_quote(bad)));
            };
            let v = u8::from_str_radix(std::str::from_utf8(h).unwrap_or("00"), 16).unwrap_or(0);
            if mode == Enc::Host && v < 0x80 && should_escape(v, Enc::Host) {
                return Err(format!("invalid URL escape {}", go_quote(&s[i..i + 3])));
            }
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[derive(Default)]
struct Url {
    scheme: String,
    opaque: String,
    user: Option<(String, Option<String>)>,
    host: String,
    path: String,
    raw_query: String,
    force_query: bool,
    fragment: String,
}

fn parse_url(raw: &str) -> Result<Url, String> {
    let wrap = |e: String| format!("parse {}: {e}", go_quote(raw));
    let (rest, frag) = match raw.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (raw, None),
    };
    let mut u = Url::default();
    if rest.bytes().any(|c| c < 0x20 || c == 0x7f) {
        return Err(wrap("net/url: invalid control character in URL".into()));
    }
    let mut rest = rest.to_string();
    // Scheme.
    for (i, c) in rest.char_indices() {
        if c.is_ascii_alphabetic() {
            continue;
        }
        if c.is_ascii_digit() || c == '+' || c == '-' || c == '.' {
            if i == 0 {
                break;
            }
            continue;
        }
        if c == ':' {
            if i == 0 {
                return Err(wrap("missing protocol scheme".into()));
            }
            u.scheme = rest[..i].to_ascii_lowercase();
            rest = rest[i + 1..].to_string();
        }
        break;
    }
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        u.force_query = true;
        rest.pop();
    } else if let Some((r, q)) = rest.clone().split_once('?') {
        u.raw_query = q.to_string();
        rest = r.to_string();
    }
    if !rest.starts_with('/') {
        if !u.scheme.is_empty() {
            u.opaque = rest;
            if let Some(f) = frag {
                u.fragment = unescape(f, Enc::Fragment).map_err(wrap)?;
            }
            return Ok(u);
        }
        if let Some(seg) = rest.split('/').next() {
            if seg.contains(':') {
                return Err(wrap(
                    "first path segment in URL cannot contain colon".into(),
                ));
            }
        }
    }
    if (!u.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let after = &rest[2..];
        let (authority, path) = match after.find('/') {
            Some(i) => (&after[..i], &after[i..]),
            None => (after, ""),
        };
        let (userinfo, host) = match authority.rfind('@') {
            Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
            None => (None, authority),
        };
        u.host = unescape(host, Enc::Host).map_err(wrap)?;
        if let Some(ui) = userinfo {
            u.user = Some(match ui.split_once(':') {
                Some((n, p)) => (
                    unescape(n, Enc::UserPassword).map_err(wrap)?,
                    Some(unescape(p, Enc::UserPassword).map_err(wrap)?),
                ),
                None => (unescape(ui, Enc::UserPassword).map_err(wrap)?, None),
            });
        }
        rest = path.to_string();
    }
    u.path = unescape(&rest, Enc::Path).map_err(wrap)?;
    if let Some(f) = frag {
        u.fragment = unescape(f, Enc::Fragment).map_err(wrap)?;
    }
    Ok(u)
}

fn userinfo_string(user: &(String, Option<String>)) -> String {
    let mut s = escape(&user.0, Enc::UserPassword);
    if let Some(p) = &user.1 {
        s.push(':');
        s.push_str(&escape(p, Enc::UserPassword));
    }
    s
}

fn hostname(host: &str) -> String {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or("").to_string();
    }
    match host.rfind(':') {
        Some(i) => host[..i].to_string(),
        None => host.to_string(),
    }
}

fn url_string(u: &Url) -> String {
    let mut out = String::new();
    if !u.scheme.is_empty() {
        out.push_str(&u.scheme);
        out.push(':');
    }
    if !u.opaque.is_empty() {
        out.push_str(&u.opaque);
    } else {
        if !u.scheme.is_empty() || !u.host.is_empty() || u.user.is_some() {
            if !u.host.is_empty() || !u.path.is_empty() || u.user.is_some() {
                out.push_str("//");
            }
            if let Some(user) = &u.user {
                out.push_str(&userinfo_string(user));
                out.push('@');
            }
            out.push_str(&escape(&u.host, Enc::Host));
        }
        let path = escape(&u.path, Enc::Path);
        if !path.is_empty() && !path.starts_with('/') && !u.host.is_empty() {
            out.push('/');
        }
        if out.is_empty() && path.split('/').next().is_some_and(|s| s.contains(':')) {
            out.push_str("./");
        }
        out.push_str(&path);
    }
    if u.force_query || !u.raw_query.is_empty() {
        out.push('?');
        out.push_str(&u.raw_query);
    }
    if !u.fragment.is_empty() {
        out.push('#');
        out.push_str(&escape(&u.fragment, Enc::Fragment));
    }
    out
}

fn url_parse(_: &mut dyn Env, a: Vec<Value>) -> R {
    let u = parse_url(str_arg(&a, 0))
        .map_err(|e| FuncError::new(format!("unable to parse url: {e}")))?;
    let mut m = BTreeMap::new();
    m.insert("scheme".to_string(), Value::from(u.scheme.clone()));
    m.insert("host".to_string(), Value::from(u.host.clone()));
    m.insert("hostname".to_string(), Value::from(hostname(&u.host)));
    m.insert("path".to_string(), Value::from(u.path.clone()));
    m.insert("query".to_string(), Value::from(u.raw_query.clone()));
    m.insert("opaque".to_string(), Value::from(u.opaque.clone()));
    m.insert("fragment".to_string(), Value::from(u.fragment.clone()));
    m.insert(
        "userinfo".to_string(),
        Value::from(u.user.as_ref().map(userinfo_string).unwrap_or_default()),
    );
    Ok(Value::from(m))
}

fn url_join(_: &mut dyn Env, a: Vec<Value>) -> R {
    let d = any_arg(&a, 0).map_entries().unwrap_or_default();
    let get = |k: &str| -> Result<String, FuncError> {
        match d.get(k) {
            None => Ok(String::new()),
            Some(Value::Str(s)) => Ok(s.to_string()),
            Some(other) => Err(FuncError::new(format!(
                "unable to parse {k} key, must be of type string, but {} found",
                other.kind().name()
            ))),
        }
    };
    let mut u = Url {
        scheme: get("scheme")?,
        host: get("host")?,
        path: get("path")?,
        raw_query: get("query")?,
        opaque: get("opaque")?,
        fragment: get("fragment")?,
        ..Url::default()
    };
    let userinfo = get("userinfo")?;
    if !userinfo.is_empty() {
        let t = parse_url(&format!("proto://{userinfo}@host"))
            .map_err(|e| FuncError::new(format!("unable to parse userinfo in dict: {e}")))?;
        u.user = t.user;
    }
    Ok(Value::from(url_string(&u)))
}

// ---------------------------------------------------------------------------------------
// Crypto.

/// Random bytes from the template's random source, for the crypto crates.
struct EnvRng<'a>(&'a mut dyn Env);

impl rand_core::RngCore for EnvRng<'_> {
    fn next_u32(&mut self) -> u32 {
        self.0.random_u64() as u32
    }

    fn next_u64(&mut self) -> u64 {
        self.0.random_u64()
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        let b = random_bytes(self.0, dest.len());
        dest.copy_from_slice(&b);
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl rand_core::CryptoRng for EnvRng<'_> {}

fn bcrypt(e: &mut dyn Env, input: &str) -> String {
    if input.len() > 72 {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
            .into();
    }
    let mut salt = [0u8; 16];
    salt.copy_from_slice(&random_bytes(e, 16));
    match bcrypt::hash_with_salt(input, 10, salt) {
        Ok(h) => h.format_for_version(bcrypt::Version::TwoA),
        Err(err) => format!("failed to encrypt string with bcrypt: {err}"),
    }
}

const MASTER_PASSWORD_SEED: &str = "com.lyndir.masterpassword";

fn password_templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn template_chars(c: u8) -> &'static [u8] {
    match c {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        b'x' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
        _ => b"",
    }
}

fn derive_password(_: &mut dyn Env, a: Vec<Value>) -> R {
    use hmac::Mac;
    let counter = int_arg(&a, 0) as u32;
    let (kind, password, user, site) = (
        str_arg(&a, 1),
        str_arg(&a, 2),
        str_arg(&a, 3),
        str_arg(&a, 4),
    );
    let Some(templates) = password_templates(kind) else {
        return Ok(Value::from(format!("cannot find password template {kind}")));
    };
    let mut salt = MASTER_PASSWORD_SEED.as_bytes().to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let mut key = [0u8; 64];
    let params = scrypt::Params::new(15, 8, 2, 64).map_err(|e| FuncError::new(e.to_string()))?;
    if let Err(e) = scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key) {
        return Ok(Value::from(format!("failed to derive password: {e}")));
    }
    let mut msg = MASTER_PASSWORD_SEED.as_bytes().to_vec();
    msg.extend_from_slice(&(site.len() as u32).to_be_bytes());
    msg.extend_from_slice(site.as_bytes());
    msg.extend_from_slice(&counter.to_be_bytes());
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key)
        .map_err(|e| FuncError::new(e.to_string()))?;
    mac.update(&msg);
    let seed = mac.finalize().into_bytes();
    let temp = templates[usize::from(seed[0]) % templates.len()].as_bytes();
    let out: String = temp
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let chars = template_chars(c);
            char::from(chars[usize::from(seed[i + 1]) % chars.len()])
        })
        .collect();
    Ok(Value::from(out))
}

/// A private key of Sprig's kinds.
enum Key {
    Rsa(Box<rsa::RsaPrivateKey>),
    /// A key rcgen can sign with, from its PKCS#8 form, and the PEM Go would write for it.
    Other {
        pkcs8: Vec<u8>,
        pem: String,
    },
}

fn pem_block(label: &str, der: &[u8]) -> String {
    let b64 = b64_encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// The first PEM block of a text: (label, DER).
fn pem_decode(text: &str) -> Option<(String, Vec<u8>)> {
    let start = text.find("-----BEGIN ")?;
    let rest = &text[start + 11..];
    let label_end = rest.find("-----")?;
    let label = rest[..label_end].to_string();
    let body_start = &rest[label_end + 5..];
    let end_marker = format!("-----END {label}-----");
    let body_end = body_start.find(&end_marker)?;
    let body: String = body_start[..body_end]
        .lines()
        .filter(|l| !l.contains(':'))
        .collect::<String>()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    Some((label, b64_decode(body.as_bytes()).ok()?))
}

/// DER of an ECDSA P-256 key: the SEC 1 `ECPrivateKey` Go writes (`EC PRIVATE KEY`), built from
/// the private scalar and the public point.
fn sec1_p256(scalar: &[u8], public: &[u8]) -> Vec<u8> {
    let oid: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    let mut body = vec![0x02, 0x01, 0x01, 0x04, 0x20];
    body.extend_from_slice(scalar);
    body.push(0xa0);
    body.push(oid.len() as u8);
    body.extend_from_slice(oid);
    let mut bits = vec![0x03, (public.len() + 1) as u8, 0x00];
    bits.extend_from_slice(public);
    body.push(0xa1);
    body.push(bits.len() as u8);
    body.extend_from_slice(&bits);
    let mut out = vec![0x30, 0x81, body.len() as u8];
    out.extend_from_slice(&body);
    out
}

impl Key {
    fn new_rsa(e: &mut dyn Env, bits: usize) -> Result<Key, FuncError> {
        let key = rsa::RsaPrivateKey::new(&mut EnvRng(e), bits)
            .map_err(|err| FuncError::new(format!("error generating rsa key: {err}")))?;
        Ok(Key::Rsa(Box::new(key)))
    }

    fn pem(&self) -> Result<String, FuncError> {
        match self {
            Key::Rsa(k) => {
                use rsa::pkcs1::EncodeRsaPrivateKey;
                let der = k
                    .to_pkcs1_der()
                    .map_err(|err| FuncError::new(format!("error pem-encoding key: {err}")))?;
                Ok(pem_block("RSA PRIVATE KEY", der.as_bytes()))
            }
            Key::Other { pem, .. } => Ok(pem.clone()),
        }
    }

    fn key_pair(&self) -> Result<rcgen::KeyPair, FuncError> {
        let der = match self {
            Key::Rsa(k) => {
                use rsa::pkcs8::EncodePrivateKey;
                k.to_pkcs8_der()
                    .map_err(|err| FuncError::new(format!("error creating certificate: {err}")))?
                    .as_bytes()
                    .to_vec()
            }
            Key::Other { pkcs8, .. } => pkcs8.clone(),
        };
        rcgen::KeyPair::try_from(der.as_slice())
            .map_err(|err| FuncError::new(format!("error creating certificate: {err}")))
    }

    /// Sprig's `parsePrivateKeyPEM`.
    fn parse_pem(text: &str) -> Result<Key, String> {
        let (label, der) = pem_decode(text).ok_or("no PEM data in input")?;
        if label == "PRIVATE KEY" {
            if let Ok(k) =
                <rsa::RsaPrivateKey as rsa::pkcs8::DecodePrivateKey>::from_pkcs8_der(&der)
            {
                return Ok(Key::Rsa(Box::new(k)));
            }
            rcgen::KeyPair::try_from(der.as_slice())
                .map_err(|e| format!("decoding PEM as PKCS#8: {e}"))?;
            return Ok(Key::Other {
                pkcs8: der,
                pem: text.to_string(),
            });
        }
        let Some(kind) = label.strip_suffix(" PRIVATE KEY") else {
            return Err(format!("no private key data in PEM block of type {label}"));
        };
        match kind {
            "RSA" => {
                let k =
                    <rsa::RsaPrivateKey as rsa::pkcs1::DecodeRsaPrivateKey>::from_pkcs1_der(&der)
                        .map_err(|e| format!("parsing RSA private key from PEM: {e}"))?;
                Ok(Key::Rsa(Box::new(k)))
            }
            "EC" => {
                // ring reads P-256 keys from PKCS#8, with the SEC 1 key inside it without
                // its curve parameters (they are in the algorithm identifier).
                let inner = sec1_without_parameters(&der)
                    .ok_or("parsing EC private key from PEM: asn1: structure error")?;
                let alg: &[u8] = &[
                    0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08,
                    0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
                ];
                let mut body = vec![0x02, 0x01, 0x00];
                body.extend_from_slice(alg);
                body.extend_from_slice(&der_header(0x04, inner.len()));
                body.extend_from_slice(&inner);
                let mut pkcs8 = der_header(0x30, body.len());
                pkcs8.extend_from_slice(&body);
                rcgen::KeyPair::try_from(pkcs8.as_slice())
                    .map_err(|e| format!("parsing EC private key from PEM: {e}"))?;
                Ok(Key::Other {
                    pkcs8,
                    pem: text.to_string(),
                })
            }
            _ => Err(format!("invalid private key type {label}")),
        }
    }
}

/// One DER element: (tag, content, the rest).
fn der_element(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let tag = *b.first()?;
    let first = *b.get(1)?;
    let (len, head) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let bytes = b.get(2..2 + n)?;
        (
            bytes
                .iter()
                .fold(0usize, |acc, &x| acc << 8 | usize::from(x)),
            2 + n,
        )
    };
    let content = b.get(head..head + len)?;
    Some((tag, content, &b[head + len..]))
}

/// A SEC 1 `ECPrivateKey` without its `[0] parameters` element.
fn sec1_without_parameters(der: &[u8]) -> Option<Vec<u8>> {
    let (tag, mut content, _) = der_element(der)?;
    if tag != 0x30 {
        return None;
    }
    let mut body = Vec::new();
    while !content.is_empty() {
        let (t, c, rest) = der_element(content)?;
        let whole = &content[..content.len() - rest.len()];
        if t != 0xa0 {
            body.extend_from_slice(whole);
        }
        let _ = c;
        content = rest;
    }
    let mut out = der_header(0x30, body.len());
    out.extend_from_slice(&body);
    Some(out)
}

fn der_header(tag: u8, len: usize) -> Vec<u8> {
    if len < 0x80 {
        vec![tag, len as u8]
    } else if len < 0x100 {
        vec![tag, 0x81, len as u8]
    } else {
        vec![tag, 0x82, (len >> 8) as u8, len as u8]
    }
}

fn gen_private_key(e: &mut dyn Env, a: Vec<Value>) -> R {
    let typ = str_arg(&a, 0);
    let pem = match typ {
        "" | "rsa" => Key::new_rsa(e, 4096)
            .map_err(|err| {
                FuncError::new(format!("failed to generate private key: {}", err.message))
            })?
            .pem()?,
        "ecdsa" => {
            let kp = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
                .map_err(|err| FuncError::new(format!("failed to generate private key: {err}")))?;
            let pkcs8 = kp.serialize_der();
            let marker = [0x02, 0x01, 0x01, 0x04, 0x20];
            let Some(at) = pkcs8.windows(5).position(|w| w == marker) else {
                return Ok(Value::str(
                    "failed to generate private key: no P-256 scalar",
                ));
            };
            let scalar = &pkcs8[at + 5..at + 37];
            pem_block("EC PRIVATE KEY", &sec1_p256(scalar, kp.public_key_raw()))
        }
        "ed25519" => {
            let mut der = vec![
                0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22,
                0x04, 0x20,
            ];
            der.extend_from_slice(&random_bytes(e, 32));
            pem_block("PRIVATE KEY", &der)
        }
        "dsa" => {
            return Ok(Value::str(
                "failed to generate dsa params: DSA keys are not supported by kit",
            ))
        }
        other => format!("Unknown type {other}"),
    };
    Ok(Value::from(pem))
}

/// Sprig's `certificate` struct.
#[derive(Clone, Debug)]
pub struct Certificate {
    pub cert: String,
    pub key: String,
}

impl Object for Certificate {
    fn type_name(&self) -> &str {
        "sprig.certificate"
    }

    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Cert" => Some(Value::from(self.cert.clone())),
            "Key" => Some(Value::from(self.key.clone())),
            _ => None,
        }
    }

    fn call(&self, _name: &str, _args: &[Value]) -> Option<Result<Value, FuncError>> {
        None
    }

    fn display(&self) -> String {
        format!("{{{} {}}}", self.cert, self.key)
    }

    fn to_data(&self) -> Value {
        let mut m = BTreeMap::new();
        m.insert("Cert".to_string(), Value::from(self.cert.clone()));
        m.insert("Key".to_string(), Value::from(self.key.clone()));
        Value::from(m)
    }
}

fn cert_value(c: Certificate) -> Value {
    Value::Object(Rc::new(c))
}

fn cert_arg(a: &[Value], i: usize) -> Result<Certificate, FuncError> {
    if let Value::Object(o) = any_arg(a, i) {
        if o.type_name() == "sprig.certificate" {
            let get = |k: &str| {
                o.field(k)
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            };
            return Ok(Certificate {
                cert: get("Cert"),
                key: get("Key"),
            });
        }
    }
    Err(FuncError::new(format!(
        "wrong type for value; expected sprig.certificate; got {}",
        any_arg(a, i).type_name()
    )))
}

fn build_custom_cert(_: &mut dyn Env, a: Vec<Value>) -> R {
    let cert = b64_decode(str_arg(&a, 0).as_bytes())
        .map_err(|_| FuncError::new("unable to decode base64 certificate"))?;
    let key = b64_decode(str_arg(&a, 1).as_bytes())
        .map_err(|_| FuncError::new("unable to decode base64 private key"))?;
    let cert = String::from_utf8_lossy(&cert).into_owned();
    let key = String::from_utf8_lossy(&key).into_owned();
    let (_, der) =
        pem_decode(&cert).ok_or_else(|| FuncError::new("unable to decode certificate"))?;
    x509_parser::parse_x509_certificate(&der).map_err(|e| {
        FuncError::new(format!(
            "error parsing certificate: decodedCert.Bytes: x509: {e}"
        ))
    })?;
    Key::parse_pem(&key).map_err(|e| FuncError::new(format!("error parsing private key: {e}")))?;
    Ok(cert_value(Certificate { cert, key }))
}

fn strings_of(v: &Value, what: &str) -> Result<Vec<String>, FuncError> {
    match v {
        Value::Nil => Ok(Vec::new()),
        Value::List(l, _) => l
            .iter()
            .map(|x| match x {
                Value::Str(s) => Ok(s.to_string()),
                other => Err(FuncError::new(format!(
                    "{what}: {} is not a string",
                    crate::gotmpl::fmt::sprint_one(other)
                ))),
            })
            .collect(),
        other => Err(FuncError::new(format!(
            "wrong type for value; expected []interface {{}}; got {}",
            other.type_name()
        ))),
    }
}

/// Sprig's `getBaseCertTemplate`.
fn base_params(
    e: &mut dyn Env,
    cn: &str,
    ips: &[String],
    dns: &[String],
    days: i64,
) -> Result<rcgen::CertificateParams, FuncError> {
    let mut params = rcgen::CertificateParams::default();
    for ip in ips {
        let addr: std::net::IpAddr = ip
            .parse()
            .map_err(|_| FuncError::new(format!("error parsing ip: {ip}")))?;
        params
            .subject_alt_names
            .push(rcgen::SanType::IpAddress(addr));
    }
    for name in dns {
        let s = rcgen::string::Ia5String::try_from(name.as_str()).map_err(|_| {
            FuncError::new(format!(
                "error processing alternate dns name: {name} is not an IA5 string"
            ))
        })?;
        params.subject_alt_names.push(rcgen::SanType::DnsName(s));
    }
    let mut serial = random_bytes(e, 16);
    serial[0] &= 0x7f;
    params.serial_number = Some(rcgen::SerialNumber::from_slice(&serial));
    let mut dn = rcgen::DistinguishedName::new();
    dn.push(rcgen::DnType::CommonName, cn);
    params.distinguished_name = dn;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs() as i64;
    let at = |secs: i64| {
        time::OffsetDateTime::from_unix_timestamp(secs).map_err(|_| {
            FuncError::new(format!(
                "error creating certificate: validity of {days} days is out of range"
            ))
        })
    };
    params.not_before = at(now)?;
    params.not_after = at(now.saturating_add(days.saturating_mul(86_400)))?;
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::KeyEncipherment,
        rcgen::KeyUsagePurpose::DigitalSignature,
    ];
    params.extended_key_usages = vec![
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
    ];
    params.is_ca = rcgen::IsCa::ExplicitNoCa;
    Ok(params)
}

fn gen_ca(e: &mut dyn Env, a: &[Value], key: Key) -> R {
    let mut params = base_params(e, str_arg(a, 0), &[], &[], int_arg(a, 1))?;
    params.key_usages.push(rcgen::KeyUsagePurpose::KeyCertSign);
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let kp = key.key_pair()?;
    let cert = params
        .self_signed(&kp)
        .map_err(|err| FuncError::new(format!("error creating certificate: {err}")))?;
    Ok(cert_value(Certificate {
        cert: cert.pem(),
        key: key.pem()?,
    }))
}

fn gen_cert(e: &mut dyn Env, a: &[Value], key: Key, ca: Option<Certificate>) -> R {
    let ips = strings_of(&any_arg(a, 1), "error parsing ip")?;
    let dns = strings_of(&any_arg(a, 2), "error processing alternate dns name")?;
    let params = base_params(e, str_arg(a, 0), &ips, &dns, int_arg(a, 3))?;
    let kp = key.key_pair()?;
    let cert = match ca {
        None => params.self_signed(&kp),
        Some(ca) => {
            let (_, der) = pem_decode(&ca.cert)
                .ok_or_else(|| FuncError::new("unable to decode certificate"))?;
            x509_parser::parse_x509_certificate(&der).map_err(|err| {
                FuncError::new(format!(
                    "error parsing certificate: decodedSignerCert.Bytes: x509: {err}"
                ))
            })?;
            let signer = Key::parse_pem(&ca.key)
                .map_err(|m| FuncError::new(format!("error parsing private key: {m}")))?;
            let issuer = rcgen::Issuer::from_ca_cert_pem(&ca.cert, signer.key_pair()?)
                .map_err(|err| FuncError::new(format!("error parsing certificate: {err}")))?;
            params.signed_by(&kp, &issuer)
        }
    }
    .map_err(|err| FuncError::new(format!("error creating certificate: {err}")))?;
    Ok(cert_value(Certificate {
        cert: cert.pem(),
        key: key.pem()?,
    }))
}

fn aes_key(password: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    let n = password.len().min(32);
    key[..n].copy_from_slice(&password.as_bytes()[..n]);
    key
}

fn encrypt_aes(e: &mut dyn Env, a: Vec<Value>) -> R {
    use aes::cipher::{BlockEncryptMut, KeyIvInit};
    let (password, plain) = (str_arg(&a, 0), str_arg(&a, 1));
    if plain.is_empty() {
        return Ok(Value::str(""));
    }
    let iv = random_bytes(e, 16);
    let pad = 16 - plain.len() % 16;
    let mut buf = plain.as_bytes().to_vec();
    buf.extend(std::iter::repeat_n(pad as u8, pad));
    let n = buf.len();
    let enc = cbc::Encryptor::<aes::Aes256>::new_from_slices(&aes_key(password), &iv)
        .map_err(|err| FuncError::new(err.to_string()))?;
    enc.encrypt_padded_mut::<aes::cipher::block_padding::NoPadding>(&mut buf, n)
        .map_err(|_| FuncError::new("crypto/cipher: input not full blocks"))?;
    let mut out = iv;
    out.extend_from_slice(&buf);
    Ok(Value::from(b64_encode(&out)))
}

fn decrypt_aes(_: &mut dyn Env, a: Vec<Value>) -> R {
    use aes::cipher::{BlockDecryptMut, KeyIvInit};
    let (password, crypt64) = (str_arg(&a, 0), str_arg(&a, 1));
    if crypt64.is_empty() {
        return Ok(Value::str(""));
    }
    let crypt = b64_decode(crypt64.as_bytes())
        .map_err(|at| FuncError::new(format!("illegal base64 data at input byte {at}")))?;
    if crypt.len() < 16 {
        return Err(FuncError::new(format!(
            "runtime error: slice bounds out of range [:16] with capacity {}",
            crypt.len()
        )));
    }
    let (iv, body) = crypt.split_at(16);
    if body.len() % 16 != 0 {
        return Err(FuncError::new("crypto/cipher: input not full blocks"));
    }
    let mut buf = body.to_vec();
    let dec = cbc::Decryptor::<aes::Aes256>::new_from_slices(&aes_key(password), iv)
        .map_err(|err| FuncError::new(err.to_string()))?;
    dec.decrypt_padded_mut::<aes::cipher::block_padding::NoPadding>(&mut buf)
        .map_err(|_| FuncError::new("crypto/cipher: input not full blocks"))?;
    let Some(&last) = buf.last() else {
        return Err(FuncError::new("runtime error: index out of range [-1]"));
    };
    let end = buf.len() as i64 - i64::from(last);
    let text = byte_slice(&String::from_utf8_lossy(&buf), None, Some(end));
    match text {
        Ok(_) if end >= 0 => Ok(Value::from(
            String::from_utf8_lossy(&buf[..end as usize]).into_owned(),
        )),
        Ok(t) => Ok(Value::from(t)),
        Err(err) => Err(err),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::testenv::{call, i, s, show};
    use super::*;

    #[test]
    fn paths() {
        // Go's path package examples.
        assert_eq!(show("base", vec![s("/a/b.txt")]), "b.txt");
        assert_eq!(show("base", vec![s("/a/b/")]), "b");
        assert_eq!(show("base", vec![s("")]), ".");
        assert_eq!(show("base", vec![s("///")]), "/");
        assert_eq!(show("dir", vec![s("/a/b/c")]), "/a/b");
        assert_eq!(show("dir", vec![s("a/b/c/")]), "a/b/c");
        assert_eq!(show("dir", vec![s("abc")]), ".");
        assert_eq!(show("clean", vec![s("a//c/./../b")]), "a/b");
        assert_eq!(show("clean", vec![s("/../a/b/../c")]), "/a/c");
        assert_eq!(show("clean", vec![s("../../a")]), "../../a");
        assert_eq!(show("clean", vec![s("")]), ".");
        assert_eq!(show("ext", vec![s("/a/b.tar.gz")]), ".gz");
        assert_eq!(show("ext", vec![s("/a.b/c")]), "");
        assert_eq!(show("isAbs", vec![s("/a")]), "true");
        assert_eq!(show("osIsAbs", vec![s("a")]), "false");
    }

    #[test]
    fn urls() {
        // Sprig's url_test.go.
        let u = show(
            "urlParse",
            vec![s("proto://auth@host:80/path?query#fragment")],
        );
        assert_eq!(
            u,
            "map[fragment:fragment host:host:80 hostname:host opaque: path:/path query:query scheme:proto userinfo:auth]"
        );
        let parts = call(
            "urlParse",
            vec![s("proto://auth@host:80/path?query#fragment")],
        )
        .unwrap();
        assert_eq!(
            show("urlJoin", vec![parts]),
            "proto://auth@host:80/path?query#fragment"
        );
        let mut m = BTreeMap::new();
        m.insert("host".to_string(), s("host:80"));
        m.insert("path".to_string(), s("/path"));
        m.insert("query".to_string(), s("query"));
        m.insert("scheme".to_string(), s("proto"));
        assert_eq!(
            show("urlJoin", vec![Value::from(m)]),
            "proto://host:80/path?query"
        );
        assert!(show("urlParse", vec![s("mailto:x@y")]).contains("opaque:x@y"));
        assert!(show("urlParse", vec![s(":x")])
            .starts_with("error: unable to parse url: parse \":x\": missing protocol scheme"));
    }

    #[test]
    fn uuid_and_random() {
        let u = show("uuidv4", vec![]);
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert_eq!(show("randBytes", vec![i(12)]).len(), 16);
        assert_eq!(show("getHostByName", vec![s("example.com")]), "");
    }

    #[test]
    fn passwords() {
        let h = show("bcrypt", vec![s("abc")]);
        assert!(h.starts_with("$2a$10$") && h.len() == 60, "{h}");
        assert!(bcrypt::verify("abc", &h).unwrap());
        let line = show("htpasswd", vec![s("myUser"), s("myPassword")]);
        assert!(line.starts_with("myUser:$2a$10$"), "{line}");
        assert_eq!(
            show("htpasswd", vec![s("a:b"), s("x")]),
            "invalid username: a:b"
        );
        // Sprig's crypto_test.go TestDerivePassword.
        assert_eq!(
            show(
                "derivePassword",
                vec![i(1), s("long"), s("password"), s("user"), s("example.com")]
            ),
            "ZedaFaxcZaso9*"
        );
        assert_eq!(
            show(
                "derivePassword",
                vec![i(2), s("long"), s("password"), s("user"), s("example.com")]
            ),
            "Fovi2@JifpTupx"
        );
        assert_eq!(
            show(
                "derivePassword",
                vec![
                    i(1),
                    s("maximum"),
                    s("password"),
                    s("user"),
                    s("example.com")
                ]
            ),
            "pf4zS1LjCg&LjhsZ7T2~"
        );
        assert_eq!(
            show(
                "derivePassword",
                vec![
                    i(1),
                    s("medium"),
                    s("password"),
                    s("user"),
                    s("example.com")
                ]
            ),
            "ZedJuz8$"
        );
        assert_eq!(
            show(
                "derivePassword",
                vec![i(1), s("basic"), s("password"), s("user"), s("example.com")]
            ),
            "pIS54PLs"
        );
        assert_eq!(
            show(
                "derivePassword",
                vec![i(1), s("short"), s("password"), s("user"), s("example.com")]
            ),
            "Zed5"
        );
        assert_eq!(
            show(
                "derivePassword",
                vec![i(1), s("pin"), s("password"), s("user"), s("example.com")]
            ),
            "6685"
        );
    }

    #[test]
    fn aes_round_trip() {
        let enc = call("encryptAES", vec![s("secretkey"), s("plaintext")]).unwrap();
        assert_eq!(show("decryptAES", vec![s("secretkey"), enc]), "plaintext");
        assert_eq!(show("encryptAES", vec![s("k"), s("")]), "");
        assert!(show("decryptAES", vec![s("k"), s("YWJj")]).starts_with("error: runtime error"));
    }

    #[test]
    fn certificates() {
        let ca = call("genCA", vec![s("foo-ca"), i(365)]).unwrap();
        let Value::Object(o) = &ca else {
            panic!("not an object")
        };
        let cert = o.field("Cert").unwrap();
        let key = o.field("Key").unwrap();
        let (cert, key) = (cert.as_str().unwrap(), key.as_str().unwrap());
        assert!(cert.starts_with("-----BEGIN CERTIFICATE-----\n"), "{cert}");
        assert!(
            key.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"),
            "{key}"
        );
        let (_, der) = pem_decode(cert).unwrap();
        let (_, x) = x509_parser::parse_x509_certificate(&der).unwrap();
        assert_eq!(x.subject().to_string(), "CN=foo-ca");
        assert!(x.is_ca());
        let ips = Value::from(vec![s("10.0.0.1")]);
        let dns = Value::from(vec![s("foo.com"), s("bar.com")]);
        let signed = call(
            "genSignedCert",
            vec![s("foo.com"), ips.clone(), dns.clone(), i(365), ca.clone()],
        )
        .unwrap();
        let Value::Object(so) = &signed else {
            panic!("not an object")
        };
        let scert = so.field("Cert").unwrap();
        let (_, der) = pem_decode(scert.as_str().unwrap()).unwrap();
        let (_, x) = x509_parser::parse_x509_certificate(&der).unwrap();
        assert_eq!(x.subject().to_string(), "CN=foo.com");
        assert_eq!(x.issuer().to_string(), "CN=foo-ca");
        let san = format!("{:?}", x.subject_alternative_name().unwrap().unwrap().value);
        assert!(san.contains("foo.com") && san.contains("bar.com"), "{san}");
        let validity = x.validity();
        assert_eq!(
            validity.not_after.timestamp() - validity.not_before.timestamp(),
            365 * 86_400
        );
        let selfsigned = call(
            "genSelfSignedCert",
            vec![s("x"), Value::Nil, Value::Nil, i(1)],
        )
        .unwrap();
        assert_eq!(selfsigned.type_name(), "sprig.certificate");
        let with_key = call("genCAWithKey", vec![s("k"), i(1), s(key)]).unwrap();
        let Value::Object(wk) = &with_key else {
            panic!("not an object")
        };
        assert_eq!(wk.field("Key").unwrap().as_str().unwrap(), key);
        let b64 = |t: &str| s(&b64_encode(t.as_bytes()));
        let custom = call("buildCustomCert", vec![b64(cert), b64(key)]).unwrap();
        assert_eq!(custom.type_name(), "sprig.certificate");
        assert_eq!(
            show(
                "genSignedCert",
                vec![s("x"), Value::Nil, Value::Nil, i(1), s("nope")]
            ),
            "error: wrong type for value; expected sprig.certificate; got string"
        );
        let ec = show("genPrivateKey", vec![s("ecdsa")]);
        assert!(ec.starts_with("-----BEGIN EC PRIVATE KEY-----"), "{ec}");
        let ed = show("genPrivateKey", vec![s("ed25519")]);
        assert!(ed.starts_with("-----BEGIN PRIVATE KEY-----"), "{ed}");
        let ec_ca = call("genCAWithKey", vec![s("ec"), i(1), s(&ec)]);
        assert!(ec_ca.is_ok(), "{ec_ca:?}");
        assert_eq!(show("genPrivateKey", vec![s("foo")]), "Unknown type foo");
    }
}
