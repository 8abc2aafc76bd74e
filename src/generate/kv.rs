//! Key/value sources: env files, literals and files, read as kustomize's `kv` loader does.
//!
//! kustomize validates neither keys nor env variable names (its validator is a no-op), so
//! neither does kit: `a b=c` makes a key `a b`, as `kubectl kustomize` prints it.

use crate::diag::{Diag, Result};
use crate::source::Origin;
use crate::transform::Setting;

use super::args::GeneratorArgs;

/// Reads a file named by a generator: `path` is the path as written in the kustomization
/// (relative to its directory), with the origin of the entry naming it.
pub type ReadFile<'a> = dyn Fn(&Setting) -> Result<Vec<u8>> + 'a;

/// One key and value, with the kustomization entry it came from.
#[derive(Clone, Debug)]
pub struct Pair {
    pub key: String,
    /// Raw bytes: file contents need not be UTF-8 (a ConfigMap puts them in `binaryData`).
    pub value: Vec<u8>,
    pub origin: Option<Origin>,
}

/// All pairs of a generator in kustomize's order: env files, then literals, then files.
pub fn load_pairs(args: &GeneratorArgs, read: &ReadFile<'_>) -> Result<Vec<Pair>> {
    let mut pairs = Vec::new();
    for env in &args.envs {
        let content = read(env)?;
        pairs.extend(env_file_pairs(&content, env)?);
    }
    for literal in &args.literals {
        pairs.push(literal_pair(literal)?);
    }
    for file in &args.files {
        let (key, path) = file_source(file)?;
        let content = read(&path)?;
        pairs.push(Pair {
            key,
            value: content,
            origin: file.origin,
        });
    }
    Ok(pairs)
}

/// The longest line Go's `bufio.Scanner` accepts (its default buffer).
const MAX_LINE: usize = 64 * 1024;

/// An env file: one `KEY=VALUE` per line. Blank lines and lines starting with `#` (after
/// leading white space) are skipped; a line without `=` is a key with an empty value; the
/// value is kept as written (no trimming, no quote removal); a leading byte-order mark is
/// dropped from the first line; a line with an empty key is skipped. Lines end at `\n`, and
/// one `\r` before it is dropped.
///
/// Like kustomize (whose line scanner stops silently on a line of 64 KiB or more), the rest
/// of the file after such a line is ignored.
pub fn env_file_pairs(content: &[u8], entry: &Setting) -> Result<Vec<Pair>> {
    let mut pairs = Vec::new();
    let mut rest = content;
    let mut number = 0usize;
    while !rest.is_empty() {
        let (mut line, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        if line.len() >= MAX_LINE {
            break;
        }
        rest = next;
        if let Some(stripped) = line.strip_suffix(b"\r") {
            line = stripped;
        }
        number += 1;
        let Ok(mut text) = std::str::from_utf8(line) else {
            return Err(Diag::error(
                "kit::generate::env-utf8",
                format!(
                    "env file '{}' line {number} is not valid UTF-8",
                    entry.value
                ),
            )
            .at(entry.origin)
            .help("env files must be UTF-8 text; put binary content in `files` instead"));
        };
        if number == 1 {
            text = text.strip_prefix('\u{feff}').unwrap_or(text);
        }
        let text = text.trim_start_matches(char::is_whitespace);
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let (key, value) = text.split_once('=').unwrap_or((text, ""));
        if key.is_empty() {
            continue;
        }
        pairs.push(Pair {
            key: key.to_string(),
            value: value.as_bytes().to_vec(),
            origin: entry.origin,
        });
    }
    Ok(pairs)
}

/// A literal `key=value`: split at the first `=`; a value wrapped in matching single or
/// double quotes loses them.
pub fn literal_pair(literal: &Setting) -> Result<Pair> {
    let source = literal.value.as_str();
    let split = source.split_once('=').filter(|(k, _)| !k.is_empty());
    let Some((key, value)) = split else {
        return Err(Diag::error(
            "kit::generate::literal",
            format!("invalid literal source '{source}', expected key=value"),
        )
        .at(literal.origin)
        .help("write literals as `key=value`; the key must not be empty"));
    };
    Ok(Pair {
        key: key.to_string(),
        value: remove_quotes(value).as_bytes().to_vec(),
        origin: literal.origin,
    })
}

fn remove_quotes(value: &str) -> &str {
    let bytes = value.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(&first), Some(&last))
            if bytes.len() >= 2 && first == last && (first == b'"' || first == b'\'') =>
        {
            &value[1..value.len() - 1]
        }
        _ => value,
    }
}

/// A file source `path` or `key=path`: the key defaults to the path's last element.
pub fn file_source(source: &Setting) -> Result<(String, Setting)> {
    let text = source.value.as_str();
    let err = |message: String, help: &str| {
        Diag::error("kit::generate::file-source", message)
            .at(source.origin)
            .help(help.to_string())
    };
    let path = |p: &str| Setting {
        value: p.to_string(),
        origin: source.origin,
    };
    match text.matches('=').count() {
        0 => Ok((base_name(text), path(text))),
        1 => match text.split_once('=') {
            Some(("", p)) => Err(err(
                format!("missing key name for file path \"{p}\" in source \"{text}\""),
                "write `key=path`, or just `path` to use the file name as the key",
            )),
            Some((k, "")) => Err(err(
                format!("missing file path for key name \"{k}\" in source \"{text}\""),
                "write `key=path`",
            )),
            Some((k, p)) => Ok((k.to_string(), path(p))),
            None => Ok((base_name(text), path(text))),
        },
        _ => Err(err(
            format!("source \"{text}\" key name or file path contains '='"),
            "a file source is `path` or `key=path`, with one `=` at most",
        )),
    }
}

/// Go's `path.Base`: the last slash-separated element, ignoring trailing slashes.
fn base_name(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".to_string();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn setting(v: &str) -> Setting {
        Setting {
            value: v.to_string(),
            origin: None,
        }
    }

    fn kv(pairs: &[Pair]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|p| {
                (
                    p.key.clone(),
                    String::from_utf8_lossy(&p.value).into_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn env_file_rules() {
        let content = b"\xef\xbb\xbfA=1\r\n  # comment\n\nB\n C = x \n=skipped\nD=e=f";
        let pairs = env_file_pairs(content, &setting("x.env")).unwrap();
        let want = [("A", "1"), ("B", ""), ("C ", " x "), ("D", "e=f")];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(kv(&pairs), want);
    }

    #[test]
    fn bom_only_on_first_line() {
        let pairs = env_file_pairs(b"A=1\n\xef\xbb\xbfB=2", &setting("x.env")).unwrap();
        assert_eq!(pairs[1].key, "\u{feff}B");
    }

    #[test]
    fn env_file_invalid_utf8_names_the_line() {
        let err = env_file_pairs(b"A=1\nB=\xff\n", &setting("x.env")).unwrap_err();
        assert!(err.message.contains("line 2"), "{}", err.message);
    }

    #[test]
    fn literals() {
        let p = literal_pair(&setting("k='v'")).unwrap();
        assert_eq!((p.key.as_str(), p.value.as_slice()), ("k", b"v".as_slice()));
        let p = literal_pair(&setting("k=\"v'")).unwrap();
        assert_eq!(p.value, b"\"v'");
        let p = literal_pair(&setting("k=a=b")).unwrap();
        assert_eq!(p.value, b"a=b");
        assert!(literal_pair(&setting("=v")).is_err());
        assert!(literal_pair(&setting("novalue")).is_err());
        let p = literal_pair(&setting("k=\"")).unwrap();
        assert_eq!(p.value, b"\"");
    }

    #[test]
    fn file_sources() {
        let (k, p) = file_source(&setting("dir/app.properties")).unwrap();
        assert_eq!(
            (k.as_str(), p.value.as_str()),
            ("app.properties", "dir/app.properties")
        );
        let (k, p) = file_source(&setting("key=dir/f")).unwrap();
        assert_eq!((k.as_str(), p.value.as_str()), ("key", "dir/f"));
        assert!(file_source(&setting("=f")).is_err());
        assert!(file_source(&setting("k=")).is_err());
        assert!(file_source(&setting("a=b=c")).is_err());
        assert_eq!(base_name("a/b/"), "b");
    }
}
