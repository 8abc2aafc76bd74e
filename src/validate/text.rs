//! Text helpers for validation: where a key is written, value previews, spelling hints,
//! and the string syntaxes the API server checks (DNS names, label keys, base64, ...).

use crate::model::{Node, Value};
use crate::source::{Origin, SourceMap};

/// Where `key` is written, for the value `value` of that key: the model keeps value origins
/// only, so the key is found by looking back from the value in its source text. `None` when
/// it is not found nearby (the caller falls back to the value).
pub fn key_origin(sources: &SourceMap, key: &str, value: &Node) -> Option<Origin> {
    let o = value.origin?;
    let file = sources.get(o.file)?;
    let start = o.start as usize;
    let window_start = start.saturating_sub(4096);
    let before = file.text.get(window_start..start).or_else(|| {
        // Not on a char boundary: look at less.
        (window_start..start)
            .find(|&i| file.text.is_char_boundary(i))
            .and_then(|i| file.text.get(i..start))
    })?;
    let base = start - before.len();
    let mut end = before.len();
    while let Some(i) = before[..end].rfind(key) {
        let after = &before[i + key.len()..];
        let after = after.strip_prefix(['"', '\'']).unwrap_or(after);
        let prev = before[..i].chars().next_back();
        let boundary = prev
            .is_none_or(|c| c.is_whitespace() || matches!(c, '{' | ',' | '"' | '\'' | '-' | '?'));
        if boundary && after.trim_start_matches([' ', '\t']).starts_with(':') {
            return Some(Origin::new(o.file, base + i, base + i + key.len()));
        }
        end = i;
    }
    None
}

/// A short quoted preview of a scalar (`"abc"`, `3`), or its shape.
pub fn preview(node: &Node) -> String {
    match &node.value {
        Value::Str(s) => {
            let short: String = s.chars().take(60).collect();
            if short.len() < s.len() {
                format!("{:?}...", short)
            } else {
                format!("{s:?}")
            }
        }
        Value::Seq(_) => "[...]".to_string(),
        Value::Map(_) => "{...}".to_string(),
        _ => node.scalar_text().unwrap_or_default(),
    }
}

pub use crate::diag::closest;

/// Go's `base64.StdEncoding` (what `[]byte` fields decode with); line breaks are ignored.
pub fn is_base64(s: &str) -> bool {
    let body: Vec<u8> = s.bytes().filter(|b| *b != b'\n' && *b != b'\r').collect();
    if !body.len().is_multiple_of(4) {
        return false;
    }
    let pad = body.iter().rev().take_while(|b| **b == b'=').count();
    if pad > 2 {
        return false;
    }
    body[..body.len() - pad]
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/')
}

/// `2006-01-02T15:04:05Z` / `...05.999+07:00`.
pub fn is_rfc3339(s: &str) -> bool {
    let Some((date, time)) = s.split_once(['T', 't']) else {
        return false;
    };
    if !is_date(date) || time.len() < 9 {
        return false;
    }
    let b = time.as_bytes();
    let two = |i: usize, max: u32| {
        time.get(i..i + 2)
            .and_then(|d| d.parse::<u32>().ok())
            .is_some_and(|v| v <= max && b[i].is_ascii_digit())
    };
    if !(two(0, 23) && b[2] == b':' && two(3, 59) && b[5] == b':' && two(6, 60)) {
        return false;
    }
    let mut rest = &time[8..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest {
        "Z" | "z" => true,
        tz if tz.len() == 6 && (tz.starts_with('+') || tz.starts_with('-')) => {
            let t = tz.as_bytes();
            let num = |r: std::ops::Range<usize>, max: u32| {
                tz.get(r)
                    .and_then(|d| d.parse::<u32>().ok())
                    .is_some_and(|v| v <= max)
            };
            t[3] == b':' && num(1..3, 23) && num(4..6, 59)
        }
        _ => false,
    }
}

/// `2006-01-02`.
pub fn is_date(s: &str) -> bool {
    let p: Vec<&str> = s.split('-').collect();
    p.len() == 3
        && p[0].len() == 4
        && p[1].len() == 2
        && p[2].len() == 2
        && p.iter().all(|x| x.bytes().all(|c| c.is_ascii_digit()))
        && p[1].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
        && p[2].parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
}

pub fn is_cidr(s: &str) -> bool {
    let Some((ip, bits)) = s.split_once('/') else {
        return false;
    };
    let Ok(bits) = bits.parse::<u8>() else {
        return false;
    };
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => bits <= 32,
        Ok(std::net::IpAddr::V6(_)) => bits <= 128,
        Err(_) => false,
    }
}

pub fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|c| c.is_ascii_hexdigit()))
}

/// DNS-1123 label: at most 63 lowercase alphanumerics or '-', starting and ending
/// alphanumeric. `Err` says what is wrong.
pub fn dns1123_label(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if s.len() > 63 {
        return Err(format!(
            "must be no more than 63 characters (it has {})",
            s.len()
        ));
    }
    let b = s.as_bytes();
    let ok = b
        .iter()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric();
    if ok {
        Ok(())
    } else {
        Err("must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (a DNS-1123 label, e.g. 'my-name')".into())
    }
}

/// DNS-1123 subdomain: at most 253 characters, dot-separated DNS-1123 labels.
pub fn dns1123_subdomain(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if s.len() > 253 {
        return Err(format!(
            "must be no more than 253 characters (it has {})",
            s.len()
        ));
    }
    let b = s.as_bytes();
    let ok = b
        .iter()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b'.')
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.as_bytes()[0].is_ascii_alphanumeric()
                && l.as_bytes()[l.len() - 1].is_ascii_alphanumeric()
        });
    if ok {
        Ok(())
    } else {
        Err("must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (a DNS-1123 subdomain, e.g. 'example.com')".into())
    }
}

/// A path segment name (RBAC roles, ...): anything but `.`, `..`, and no `/` or `%`.
pub fn path_segment(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if s == "." || s == ".." {
        return Err(format!("may not be '{s}'"));
    }
    if s.contains('/') || s.contains('%') {
        return Err("may not contain '/' or '%'".into());
    }
    Ok(())
}

/// A qualified name (label and annotation keys): `[prefix/]name`, the name at most 63
/// characters of alphanumerics, '-', '_', '.', starting and ending alphanumeric; the prefix
/// a DNS-1123 subdomain.
pub fn qualified_name(s: &str) -> Result<(), String> {
    let (prefix, name) = match s.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, s),
    };
    if let Some(p) = prefix {
        if p.is_empty() {
            return Err("prefix part must not be empty".into());
        }
        dns1123_subdomain(p).map_err(|e| format!("prefix part {e}"))?;
        if p.contains('/') {
            return Err("a qualified name must consist of a name and an optional DNS subdomain prefix, separated by one '/'".into());
        }
    }
    if name.is_empty() {
        return Err("name part must not be empty".into());
    }
    if name.len() > 63 {
        return Err(format!(
            "name part must be no more than 63 characters (it has {})",
            name.len()
        ));
    }
    if !label_value_chars(name) {
        return Err("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')".into());
    }
    Ok(())
}

fn label_value_chars(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

/// A label value: empty, or at most 63 characters like a qualified name's name part.
pub fn label_value(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Ok(());
    }
    if s.len() > 63 {
        return Err(format!(
            "must be no more than 63 characters (it has {})",
            s.len()
        ));
    }
    if !label_value_chars(s) {
        return Err("must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character".into());
    }
    Ok(())
}

/// IANA_SVC_NAME (a named port): at most 15 lowercase alphanumerics or '-', at least one
/// letter, no leading, trailing or double '-'.
pub fn port_name(s: &str) -> Result<(), String> {
    let reasons = port_name_violations(s);
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(reasons.join(", "))
    }
}

/// Every reason the API server gives for a port name that is not an IANA service name
/// (`IsValidPortName`, with its messages); empty when the name is valid.
pub fn port_name_violations(s: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    if s.len() > 15 {
        out.push("must be no more than 15 characters");
    }
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        out.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if !s.bytes().any(|b| b.is_ascii_lowercase()) {
        out.push("must contain at least one letter (a-z)");
    }
    if s.contains("--") {
        out.push("must not contain consecutive hyphens");
    }
    if s.starts_with('-') || s.ends_with('-') {
        out.push("must not begin or end with a hyphen");
    }
    out
}

/// An environment variable name. From Kubernetes 1.32 (RelaxedEnvironmentVariableValidation
/// on by default) any printable ASCII but '='; before, `[-._a-zA-Z][-._a-zA-Z0-9]*`.
pub fn env_var_name(s: &str, relaxed: bool) -> Result<(), String> {
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if relaxed {
        if s.bytes().all(|c| (32..=126).contains(&c) && c != b'=') {
            return Ok(());
        }
        return Err("must consist of printable ASCII characters other than '='".into());
    }
    let b = s.as_bytes();
    let ok = b
        .iter()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'))
        && !b[0].is_ascii_digit();
    if ok {
        Ok(())
    } else {
        Err("must consist of alphabetic characters, digits, '_', '-' or '.', and must not start with a digit".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntaxes() {
        assert!(dns1123_label("web-1").is_ok());
        assert!(dns1123_label("Web").is_err());
        assert!(dns1123_label("-a").is_err());
        assert!(dns1123_subdomain("a.b-c.d").is_ok());
        assert!(dns1123_subdomain("a..b").is_err());
        assert!(qualified_name("app.kubernetes.io/name").is_ok());
        assert!(qualified_name("a/b/c").is_err());
        assert!(qualified_name("bad key").is_err());
        assert!(label_value("").is_ok());
        assert!(label_value("v1.2_3").is_ok());
        assert!(label_value("-x").is_err());
        assert!(port_name("http").is_ok());
        assert!(port_name("8080").is_err());
        assert!(port_name("http-metrics-long").is_err());
        assert!(is_base64("aGVsbG8="));
        assert!(!is_base64("hello!"));
        assert!(is_rfc3339("2024-01-02T03:04:05Z"));
        assert!(is_rfc3339("2024-01-02T03:04:05.123+01:00"));
        assert!(!is_rfc3339("2024-01-02 03:04:05"));
        assert!(!is_rfc3339("2024-01-02T03:04:05+0é00"));
        assert!(is_cidr("10.0.0.0/8"));
        assert!(!is_cidr("10.0.0.0/33"));
        assert_eq!(
            closest("imagePullPolcy", ["image", "imagePullPolicy"].into_iter()),
            Some("imagePullPolicy")
        );
        assert_eq!(closest("zzz", ["image"].into_iter()), None);
    }
}
