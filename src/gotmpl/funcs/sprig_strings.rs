//! Sprig's string functions (`strings.go`, the string entries of `functions.go`), the
//! conversions (`atoi`, `int`, `int64`, `float64`, `toDecimal`), integer sequences (`seq`,
//! `until`, `untilStep`), encodings (`b64enc`, `b32dec`, ...) and hashes (`sha256sum`, ...).
//!
//! Go works on bytes where Sprig does (`trunc`, `substr`, `abbrev`, `wrap`, `initials`,
//! `nospace`): a cut inside a UTF-8 sequence is replaced by U+FFFD, since a template string
//! here is always UTF-8.

use unicode_general_category::{get_general_category, GeneralCategory as Gc};

use super::cast::{self, any_arg, byte_slice, int_arg, str_arg};
use super::{Env, Func, Ty};
use crate::gotmpl::fmt::sprint_one;
use crate::gotmpl::value::{go_string_bytes, go_string_from_bytes};
use crate::gotmpl::{FuncError, ListKind, Value};

type R = Result<Value, FuncError>;

use Ty::{Any, Int, Str};

pub const FUNCS: &[Func] = &[
    f!(
        "trim",
        [Str],
        None,
        "Removes leading and trailing white space.",
        |_, a| { ok(str_arg(&a, 0).trim_matches(is_space)) }
    ),
    f!(
        "trimAll",
        [Str, Str],
        None,
        "`trimAll CUTSET S`: removes the cutset's characters from both ends.",
        trim_all
    ),
    f!(
        "trimall",
        [Str, Str],
        None,
        "Deprecated spelling of `trimAll`.",
        trim_all
    ),
    f!(
        "trimSuffix",
        [Str, Str],
        None,
        "`trimSuffix SUFFIX S`: removes the suffix if present.",
        |_, a| {
            let s = str_arg(&a, 1);
            ok(s.strip_suffix(str_arg(&a, 0)).unwrap_or(s))
        }
    ),
    f!(
        "trimPrefix",
        [Str, Str],
        None,
        "`trimPrefix PREFIX S`: removes the prefix if present.",
        |_, a| {
            let s = str_arg(&a, 1);
            ok(s.strip_prefix(str_arg(&a, 0)).unwrap_or(s))
        }
    ),
    f!("upper", [Str], None, "Converts to upper case.", |_, a| ok(
        str_arg(&a, 0).chars().map(to_upper).collect::<String>()
    )),
    f!("lower", [Str], None, "Converts to lower case.", |_, a| ok(
        str_arg(&a, 0).chars().map(to_lower).collect::<String>()
    )),
    f!(
        "title",
        [Str],
        None,
        "Converts to title case (Go's `strings.Title`).",
        |_, a| ok(title(str_arg(&a, 0)))
    ),
    f!(
        "untitle",
        [Str],
        None,
        "Lower-cases the first letter of each word.",
        |_, a| ok(untitle(str_arg(&a, 0)))
    ),
    f!(
        "substr",
        [Int, Int, Str],
        None,
        "`substr START END S`: the bytes from START to END.",
        substr
    ),
    f!(
        "repeat",
        [Int, Str],
        None,
        "`repeat COUNT S`: S repeated COUNT times.",
        repeat
    ),
    f!(
        "nospace",
        [Str],
        None,
        "Removes all white space.",
        |_, a| ok(nospace(str_arg(&a, 0)))
    ),
    f!(
        "trunc",
        [Int, Str],
        None,
        "`trunc N S`: the first N bytes (the last -N when negative).",
        trunc
    ),
    f!(
        "abbrev",
        [Int, Str],
        None,
        "`abbrev WIDTH S`: truncates with an ellipsis to WIDTH bytes.",
        abbrev
    ),
    f!(
        "abbrevboth",
        [Int, Int, Str],
        None,
        "`abbrevboth LEFT RIGHT S`: abbreviates at both ends.",
        abbrevboth
    ),
    f!(
        "initials",
        [Str],
        None,
        "The first letter of each word.",
        |_, a| ok(initials(str_arg(&a, 0)))
    ),
    f!(
        "randAlphaNum",
        [Int],
        None,
        "A random string of N letters and digits.",
        |e, a| rand_from(e, &a, ALNUM)
    ),
    f!(
        "randAlpha",
        [Int],
        None,
        "A random string of N letters.",
        |e, a| rand_from(e, &a, ALPHA)
    ),
    f!(
        "randNumeric",
        [Int],
        None,
        "A random string of N digits.",
        |e, a| rand_from(e, &a, b"0123456789")
    ),
    f!(
        "randAscii",
        [Int],
        None,
        "A random string of N printable ASCII characters.",
        |e, a| rand_from(e, &a, ASCII)
    ),
    f!(
        "wrap",
        [Int, Str],
        None,
        "`wrap WIDTH S`: wraps text at WIDTH columns.",
        |e, a| { wrap_custom(e, str_arg(&a, 1), int_arg(&a, 0), "", false) }
    ),
    f!(
        "wrapWith",
        [Int, Str, Str],
        None,
        "`wrapWith WIDTH SEP S`: wraps with SEP as the line break.",
        |e, a| { wrap_custom(e, str_arg(&a, 2), int_arg(&a, 0), str_arg(&a, 1), true) }
    ),
    f!(
        "contains",
        [Str, Str],
        None,
        "`contains SUB S`: whether S contains SUB.",
        |_, a| { Ok(Value::Bool(str_arg(&a, 1).contains(str_arg(&a, 0)))) }
    ),
    f!(
        "hasPrefix",
        [Str, Str],
        None,
        "`hasPrefix PREFIX S`: whether S starts with PREFIX.",
        |_, a| { Ok(Value::Bool(str_arg(&a, 1).starts_with(str_arg(&a, 0)))) }
    ),
    f!(
        "hasSuffix",
        [Str, Str],
        None,
        "`hasSuffix SUFFIX S`: whether S ends with SUFFIX.",
        |_, a| { Ok(Value::Bool(str_arg(&a, 1).ends_with(str_arg(&a, 0)))) }
    ),
    f!(
        "quote",
        [],
        Some(Any),
        "Each non-nil argument in double quotes (Go `%q`), space-separated.",
        quote
    ),
    f!(
        "squote",
        [],
        Some(Any),
        "Each non-nil argument in single quotes, space-separated.",
        squote
    ),
    f!(
        "cat",
        [],
        Some(Any),
        "The non-nil arguments printed with `%v`, space-separated.",
        cat
    ),
    f!(
        "indent",
        [Int, Str],
        None,
        "`indent N S`: indents every line by N spaces.",
        |e, a| indent(e, &a, false)
    ),
    f!(
        "nindent",
        [Int, Str],
        None,
        "`nindent N S`: a newline, then S indented by N spaces.",
        |e, a| indent(e, &a, true)
    ),
    f!(
        "replace",
        [Str, Str, Str],
        None,
        "`replace OLD NEW S`: replaces every OLD by NEW.",
        replace
    ),
    f!(
        "plural",
        [Str, Str, Int],
        None,
        "`plural ONE MANY COUNT`: ONE when COUNT is 1, else MANY.",
        |_, a| { Ok(any_arg(&a, if int_arg(&a, 2) == 1 { 0 } else { 1 })) }
    ),
    f!(
        "snakecase",
        [Str],
        None,
        "Converts to snake_case.",
        |_, a| ok(camel_to_lower(str_arg(&a, 0), '_'))
    ),
    f!(
        "kebabcase",
        [Str],
        None,
        "Converts to kebab-case.",
        |_, a| ok(camel_to_lower(str_arg(&a, 0), '-'))
    ),
    f!(
        "camelcase",
        [Str],
        None,
        "Converts to CamelCase (xstrings' ToPascalCase).",
        |_, a| ok(pascal_case(str_arg(&a, 0)))
    ),
    f!(
        "swapcase",
        [Str],
        None,
        "Swaps upper and lower case (word-based, as goutils).",
        |_, a| ok(swapcase(str_arg(&a, 0)))
    ),
    f!(
        "shuffle",
        [Str],
        None,
        "The characters in random order.",
        shuffle
    ),
    f!(
        "toString",
        [Any],
        None,
        "The value as a string (`%v`; strings and bytes as they are).",
        |_, a| ok(strval(&any_arg(&a, 0)))
    ),
    f!(
        "toStrings",
        [Any],
        None,
        "A list as a list of strings (nil elements dropped).",
        |_, a| { Ok(Value::strings(strslice(&any_arg(&a, 0)))) }
    ),
    f!(
        "join",
        [Str, Any],
        None,
        "`join SEP LIST`: the elements as strings joined by SEP.",
        |_, a| { ok(strslice(&any_arg(&a, 1)).join(str_arg(&a, 0))) }
    ),
    f!(
        "split",
        [Str, Str],
        None,
        "`split SEP S`: a dict of the parts, keyed `_0`, `_1`, ...",
        |_, a| { Ok(parts_map(go_split(str_arg(&a, 1), str_arg(&a, 0), -1))) }
    ),
    f!(
        "splitList",
        [Str, Str],
        None,
        "`splitList SEP S`: the list of parts.",
        |_, a| { Ok(Value::strings(go_split(str_arg(&a, 1), str_arg(&a, 0), -1))) }
    ),
    f!(
        "splitn",
        [Str, Int, Str],
        None,
        "`splitn SEP N S`: at most N parts, as a dict keyed `_0`, ...",
        |_, a| {
            Ok(parts_map(go_split(
                str_arg(&a, 2),
                str_arg(&a, 0),
                int_arg(&a, 1),
            )))
        }
    ),
    f!(
        "atoi",
        [Str],
        None,
        "Parses a decimal integer (0 when invalid).",
        |_, a| {
            Ok(Value::Int(match cast::parse_int(str_arg(&a, 0), 10) {
                Ok(i) | Err(cast::NumError::Range(i)) => i,
                Err(cast::NumError::Syntax) => 0,
            }))
        }
    ),
    f!(
        "int",
        [Any],
        None,
        "Converts to an int (spf13/cast rules; 0 when impossible).",
        |_, a| Ok(Value::Int(cast::to_int(&any_arg(&a, 0))))
    ),
    f!(
        "int64",
        [Any],
        None,
        "Converts to an int64 (spf13/cast rules; 0 when impossible).",
        |_, a| Ok(Value::Int64(cast::to_int64(&any_arg(&a, 0))))
    ),
    f!(
        "float64",
        [Any],
        None,
        "Converts to a float64 (spf13/cast rules; 0 when impossible).",
        |_, a| Ok(Value::Float(cast::to_float64(&any_arg(&a, 0))))
    ),
    f!(
        "toDecimal",
        [Any],
        None,
        "Reads a Unix octal permission (`\"0777\"`) as a decimal int64.",
        |_, a| {
            Ok(Value::Int64(
                cast::parse_int(&sprint_one(&any_arg(&a, 0)), 8).unwrap_or(0),
            ))
        }
    ),
    f!(
        "seq",
        [],
        Some(Int),
        "Like Unix `seq`: `seq END`, `seq START END`, `seq START STEP END`.",
        seq
    ),
    f!(
        "until",
        [Int],
        None,
        "The ints from 0 up to (not including) N.",
        |e, a| {
            let n = int_arg(&a, 0);
            int_list(e, 0, n, if n < 0 { -1 } else { 1 })
        }
    ),
    f!(
        "untilStep",
        [Int, Int, Int],
        None,
        "`untilStep START STOP STEP`: the ints from START below STOP by STEP.",
        |e, a| { int_list(e, int_arg(&a, 0), int_arg(&a, 1), int_arg(&a, 2)) }
    ),
    f!("b64enc", [Str], None, "Encodes in base64.", |_, a| ok(
        b64_encode(&go_string_bytes(str_arg(&a, 0)))
    )),
    f!(
        "b64dec",
        [Str],
        None,
        "Decodes base64 (the error's text when invalid).",
        |_, a| {
            ok(match b64_decode(str_arg(&a, 0).as_bytes()) {
                Ok(b) => go_string_from_bytes(&b).into_owned(),
                Err(at) => format!("illegal base64 data at input byte {at}"),
            })
        }
    ),
    f!("b32enc", [Str], None, "Encodes in base32.", |_, a| ok(
        b32_encode(&go_string_bytes(str_arg(&a, 0)))
    )),
    f!(
        "b32dec",
        [Str],
        None,
        "Decodes base32 (the error's text when invalid).",
        |_, a| {
            ok(match b32_decode(str_arg(&a, 0).as_bytes()) {
                Ok(b) => go_string_from_bytes(&b).into_owned(),
                Err(at) => format!("illegal base32 data at input byte {at}"),
            })
        }
    ),
    f!(
        "sha1sum",
        [Str],
        None,
        "The SHA-1 digest, in hex.",
        |_, a| {
            use sha1::Digest;
            ok(hex(&sha1::Sha1::digest(go_string_bytes(str_arg(&a, 0)))))
        }
    ),
    f!(
        "sha256sum",
        [Str],
        None,
        "The SHA-256 digest, in hex.",
        |_, a| {
            use sha2::Digest;
            ok(hex(&sha2::Sha256::digest(go_string_bytes(str_arg(&a, 0)))))
        }
    ),
    f!(
        "sha512sum",
        [Str],
        None,
        "The SHA-512 digest, in hex.",
        |_, a| {
            use sha2::Digest;
            ok(hex(&sha2::Sha512::digest(go_string_bytes(str_arg(&a, 0)))))
        }
    ),
    f!(
        "adler32sum",
        [Str],
        None,
        "The Adler-32 checksum, in decimal.",
        |_, a| ok(adler32(&go_string_bytes(str_arg(&a, 0))).to_string())
    ),
];

fn ok(s: impl Into<String>) -> R {
    Ok(Value::from(s.into()))
}

// ---------------------------------------------------------------------------------------
// Go's unicode predicates and simple case mappings.

/// `unicode.IsSpace` (the White_Space property, as Rust's).
pub fn is_space(c: char) -> bool {
    c.is_whitespace()
}

pub fn is_upper(c: char) -> bool {
    get_general_category(c) == Gc::UppercaseLetter
}

pub fn is_lower(c: char) -> bool {
    get_general_category(c) == Gc::LowercaseLetter
}

pub fn is_title(c: char) -> bool {
    get_general_category(c) == Gc::TitlecaseLetter
}

pub fn is_letter(c: char) -> bool {
    matches!(
        get_general_category(c),
        Gc::UppercaseLetter
            | Gc::LowercaseLetter
            | Gc::TitlecaseLetter
            | Gc::ModifierLetter
            | Gc::OtherLetter
    )
}

pub fn is_number(c: char) -> bool {
    matches!(
        get_general_category(c),
        Gc::DecimalNumber | Gc::LetterNumber | Gc::OtherNumber
    )
}

pub fn is_digit(c: char) -> bool {
    get_general_category(c) == Gc::DecimalNumber
}

pub fn is_punct(c: char) -> bool {
    matches!(
        get_general_category(c),
        Gc::ConnectorPunctuation
            | Gc::DashPunctuation
            | Gc::OpenPunctuation
            | Gc::ClosePunctuation
            | Gc::InitialPunctuation
            | Gc::FinalPunctuation
            | Gc::OtherPunctuation
    )
}

/// `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
pub fn is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    !matches!(
        get_general_category(c),
        Gc::SpaceSeparator
            | Gc::LineSeparator
            | Gc::ParagraphSeparator
            | Gc::Control
            | Gc::Format
            | Gc::Surrogate
            | Gc::PrivateUse
            | Gc::Unassigned
    )
}

/// `unicode.ToUpper`: the simple (one-character) mapping.
pub fn to_upper(c: char) -> char {
    let mut m = c.to_uppercase();
    match (m.next(), m.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// `unicode.ToLower`: the simple mapping.
pub fn to_lower(c: char) -> char {
    if c == '\u{130}' {
        return 'i';
    }
    let mut m = c.to_lowercase();
    match (m.next(), m.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// `unicode.ToTitle`: as upper case, but for the four digraphs with a title form.
pub fn to_title(c: char) -> char {
    match c {
        'Ǆ' | 'ǅ' | 'ǆ' => 'ǅ',
        'Ǉ' | 'ǈ' | 'ǉ' => 'ǈ',
        'Ǌ' | 'ǋ' | 'ǌ' => 'ǋ',
        'Ǳ' | 'ǲ' | 'ǳ' => 'ǲ',
        _ => to_upper(c),
    }
}

/// A Latin-1 byte as the rune Go's `rune(str[i])` makes of it.
fn byte_rune(b: u8) -> char {
    char::from(b)
}

// ---------------------------------------------------------------------------------------

fn trim_all(_: &mut dyn Env, a: Vec<Value>) -> R {
    let cutset = str_arg(&a, 0);
    ok(str_arg(&a, 1).trim_matches(|c| cutset.contains(c)))
}

/// Go's `strings.Title`.
fn title(s: &str) -> String {
    let is_sep = |c: char| {
        if c.is_ascii() {
            !(c.is_ascii_alphanumeric() || c == '_')
        } else if is_letter(c) || is_digit(c) {
            false
        } else {
            is_space(c)
        }
    };
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let out = if is_sep(prev) { to_title(c) } else { c };
            prev = c;
            out
        })
        .collect()
}

/// goutils' `Uncapitalize`.
fn untitle(s: &str) -> String {
    let mut next = true;
    s.chars()
        .map(|c| {
            if is_space(c) {
                next = true;
                c
            } else if next {
                next = false;
                to_lower(c)
            } else {
                c
            }
        })
        .collect()
}

fn substr(_: &mut dyn Env, a: Vec<Value>) -> R {
    let (start, end, s) = (int_arg(&a, 0), int_arg(&a, 1), str_arg(&a, 2));
    let out = if start < 0 {
        byte_slice(s, None, Some(end))?
    } else if end < 0 || end > go_len(s) {
        byte_slice(s, Some(start), None)?
    } else {
        byte_slice(s, Some(start), Some(end))?
    };
    ok(out)
}

fn repeat(e: &mut dyn Env, a: Vec<Value>) -> R {
    let (count, s) = (int_arg(&a, 0), str_arg(&a, 1));
    if count < 0 {
        return Err(cast::panic("strings: negative Repeat count"));
    }
    let total = (s.len() as u128) * (count as u128);
    if total > i64::MAX as u128 {
        return Err(cast::panic("strings: Repeat output length overflow"));
    }
    e.charge(total as usize)?;
    ok(s.repeat(count as usize))
}

/// goutils' `DeleteWhiteSpace`, which reads bytes as runes: with any white space present,
/// the other non-ASCII bytes come out as Latin-1 characters (Go's behaviour).
fn nospace(s: &str) -> String {
    let b = s.as_bytes();
    if !b.iter().any(|&x| is_space(byte_rune(x))) {
        return s.to_string();
    }
    b.iter()
        .map(|&x| byte_rune(x))
        .filter(|&c| !is_space(c))
        .collect()
}

/// The length of a Go string in bytes.
fn go_len(s: &str) -> i64 {
    go_string_bytes(s).len() as i64
}

fn trunc(_: &mut dyn Env, a: Vec<Value>) -> R {
    let (c, s) = (int_arg(&a, 0), str_arg(&a, 1));
    let len = go_len(s);
    if c < 0 && len + c > 0 {
        return ok(byte_slice(s, Some(len + c), None)?);
    }
    if c >= 0 && len > c {
        return ok(byte_slice(s, None, Some(c))?);
    }
    ok(s)
}

/// goutils' `AbbreviateFull` (byte offsets).
fn abbreviate_full(s: &str, offset: i64, max_width: i64) -> Result<String, FuncError> {
    if s.is_empty() || max_width < 4 {
        return Ok(String::new());
    }
    let len = go_len(s);
    if len <= max_width {
        return Ok(s.to_string());
    }
    let mut offset = offset.min(len);
    if len - offset < max_width - 3 {
        offset = len - (max_width - 3);
    }
    if offset <= 4 {
        return Ok(byte_slice(s, Some(0), Some(max_width - 3))? + "...");
    }
    if max_width < 7 {
        return Ok(String::new());
    }
    if offset + max_width - 3 < len {
        let rest = byte_slice(s, Some(offset), None)?;
        return Ok(format!("...{}", abbreviate_full(&rest, 0, max_width - 3)?));
    }
    Ok(format!(
        "...{}",
        byte_slice(s, Some(len - (max_width - 3)), None)?
    ))
}

fn abbrev(_: &mut dyn Env, a: Vec<Value>) -> R {
    let (w, s) = (int_arg(&a, 0), str_arg(&a, 1));
    if w < 4 {
        return ok(s);
    }
    ok(abbreviate_full(s, 0, w)?)
}

fn abbrevboth(_: &mut dyn Env, a: Vec<Value>) -> R {
    let (left, right, s) = (int_arg(&a, 0), int_arg(&a, 1), str_arg(&a, 2));
    if right < 4 || left > 0 && right < 7 {
        return ok(s);
    }
    ok(abbreviate_full(s, left, right)?)
}

/// goutils' `Initials` (bytes as runes, as Go does).
fn initials(s: &str) -> String {
    let mut gap = true;
    let mut out = String::new();
    for &b in s.as_bytes() {
        let c = byte_rune(b);
        if is_space(c) {
            gap = true;
        } else if gap {
            out.push(c);
            gap = false;
        }
    }
    out
}

const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ASCII: &[u8] =
    b" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/// A uniform random index below `n`.
pub fn rand_below(e: &mut dyn Env, n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let zone = u64::MAX - u64::MAX % n;
    loop {
        let r = e.random_u64();
        if r < zone {
            return r % n;
        }
    }
}

fn rand_from(e: &mut dyn Env, a: &[Value], chars: &[u8]) -> R {
    let n = int_arg(a, 0);
    if n <= 0 {
        // goutils refuses a negative count; Sprig drops the error.
        return ok("");
    }
    e.charge(n as usize)?;
    let out: String = (0..n)
        .map(|_| char::from(chars[rand_below(e, chars.len() as u64) as usize]))
        .collect();
    ok(out)
}

/// goutils' `WrapCustom` (bytes; words split at ' ').
fn wrap_custom(e: &mut dyn Env, s: &str, width: i64, sep: &str, long_words: bool) -> R {
    if s.is_empty() {
        return ok("");
    }
    let sep = if sep.is_empty() { "\n" } else { sep };
    let width = width.max(1) as usize;
    let b = go_string_bytes(s);
    let len = b.len();
    let mut offset = 0usize;
    let mut out: Vec<u8> = Vec::new();
    let push = |e: &mut dyn Env, out: &mut Vec<u8>, bytes: &[u8]| -> Result<(), FuncError> {
        e.charge(bytes.len())?;
        out.extend_from_slice(bytes);
        Ok(())
    };
    while len - offset > width {
        if b[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = width + offset + 1;
        let space = b[offset..end].iter().rposition(|&c| c == b' ');
        if let Some(sp) = space {
            let at = offset + sp;
            push(e, &mut out, &b[offset..at])?;
            push(e, &mut out, sep.as_bytes())?;
            offset = at + 1;
        } else if long_words {
            let end = width + offset;
            push(e, &mut out, &b[offset..end])?;
            push(e, &mut out, sep.as_bytes())?;
            offset += width;
        } else {
            let end = width + offset;
            match b[end..].iter().position(|&c| c == b' ') {
                None => {
                    push(e, &mut out, &b[offset..])?;
                    offset = len;
                }
                Some(i) => {
                    let at = i + end;
                    push(e, &mut out, &b[offset..at])?;
                    push(e, &mut out, sep.as_bytes())?;
                    offset = at + 1;
                }
            }
        }
    }
    push(e, &mut out, &b[offset..])?;
    ok(go_string_from_bytes(&out).into_owned())
}

/// Go's `strconv.Quote`.
pub fn go_quote(s: &str) -> String {
    crate::gotmpl::fmt::go_quote(s, false)
}

/// Sprig's `strval`: strings and bytes as they are, everything else as `%v` prints it.
pub fn strval(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::Bytes(b) => go_string_from_bytes(b).into_owned(),
        other => sprint_one(other),
    }
}

/// Sprig's `strslice`.
pub fn strslice(v: &Value) -> Vec<String> {
    match v.slice_view().as_ref() {
        Value::List(l, _) => l.iter().filter(|x| !x.is_nil()).map(strval).collect(),
        Value::Bytes(b) => b.iter().map(|x| x.to_string()).collect(),
        Value::Nil => Vec::new(),
        other => vec![strval(other)],
    }
}

fn quote(_: &mut dyn Env, a: Vec<Value>) -> R {
    let parts: Vec<String> = a
        .iter()
        .filter(|v| !v.is_nil())
        .map(|v| go_quote(&strval(v)))
        .collect();
    ok(parts.join(" "))
}

fn squote(_: &mut dyn Env, a: Vec<Value>) -> R {
    let parts: Vec<String> = a
        .iter()
        .filter(|v| !v.is_nil())
        .map(|v| format!("'{}'", sprint_one(v)))
        .collect();
    ok(parts.join(" "))
}

fn cat(_: &mut dyn Env, a: Vec<Value>) -> R {
    let parts: Vec<String> = a.iter().filter(|v| !v.is_nil()).map(sprint_one).collect();
    ok(parts.join(" "))
}

fn indent(e: &mut dyn Env, a: &[Value], newline: bool) -> R {
    let (n, s) = (int_arg(a, 0), str_arg(a, 1));
    if n < 0 {
        return Err(cast::panic("strings: negative Repeat count"));
    }
    let lines = s.bytes().filter(|&b| b == b'\n').count() as u128 + 1;
    let total = lines * n as u128 + s.len() as u128 + u128::from(newline);
    if total > usize::MAX as u128 {
        return Err(FuncError::budget("indent: output too large"));
    }
    e.charge(total as usize)?;
    let pad = " ".repeat(n as usize);
    let mut out = String::with_capacity(total as usize);
    if newline {
        out.push('\n');
    }
    out.push_str(&pad);
    out.push_str(&s.replace('\n', &format!("\n{pad}")));
    ok(out)
}

fn replace(e: &mut dyn Env, a: Vec<Value>) -> R {
    let (old, new, src) = (str_arg(&a, 0), str_arg(&a, 1), str_arg(&a, 2));
    let n = if old.is_empty() {
        src.chars().count() as u128 + 1
    } else {
        src.matches(old).count() as u128
    };
    let total = src.len() as u128 + n * new.len() as u128;
    if total > usize::MAX as u128 {
        return Err(FuncError::budget("replace: output too large"));
    }
    e.charge(total as usize)?;
    ok(src.replace(old, new))
}

/// Go's `strings.SplitN(s, sep, n)` (`n < 0`: all parts).
pub fn go_split(s: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        // Explode into UTF-8 sequences; the last part takes the rest.
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        let limit = if n < 0 || n as usize > chars.len() {
            chars.len()
        } else {
            n as usize
        };
        let mut out = Vec::with_capacity(limit);
        for (k, (i, c)) in chars.iter().enumerate().take(limit) {
            if k + 1 == limit {
                out.push(s[*i..].to_string());
            } else {
                out.push(c.to_string());
            }
        }
        return out;
    }
    if n < 0 {
        s.split(sep).map(str::to_string).collect()
    } else {
        s.splitn(n as usize, sep).map(str::to_string).collect()
    }
}

fn parts_map(parts: Vec<String>) -> Value {
    let m: std::collections::BTreeMap<String, Value> = parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| (format!("_{i}"), Value::from(p)))
        .collect();
    Value::from(m)
}

// ---------------------------------------------------------------------------------------
// xstrings v1.5.0 case conversions.

/// xstrings' `isAlphabet`: a letter, but not a CJK ideograph.
fn is_alphabet(c: char) -> bool {
    if !is_letter(c) {
        return false;
    }
    let r = c as u32;
    !(r >= 0x3400
        && ((0x4E00..=0x9FCC).contains(&r)
            || (0x3400..=0x4D85).contains(&r)
            || (0x20000..=0x2B81D).contains(&r)))
}

fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || is_space(c)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Wt {
    Invalid,
    Number,
    Upper,
    Alpha,
    Connector,
    Punct,
    Other,
}

/// xstrings' `nextWord` (a string here is valid UTF-8, so no invalid words).
fn next_word(s: &str) -> (Wt, &str, &str) {
    let Some(first) = s.chars().next() else {
        return (Wt::Invalid, "", "");
    };
    let mut end = first.len_utf8();
    let take_while = |end: &mut usize, pred: &dyn Fn(char) -> bool| {
        for c in s[*end..].chars() {
            if !pred(c) {
                break;
            }
            *end += c.len_utf8();
        }
    };
    let wt = if is_connector(first) {
        take_while(&mut end, &is_connector);
        Wt::Connector
    } else if is_punct(first) {
        take_while(&mut end, &is_punct);
        Wt::Punct
    } else if is_upper(first) {
        if let Some(c) = s[end..].chars().next() {
            if is_upper(c) {
                let mut prev_size = c.len_utf8();
                end += prev_size;
                let mut stopped_at = None;
                for c in s[end..].chars() {
                    if !is_upper(c) {
                        stopped_at = Some(c);
                        break;
                    }
                    prev_size = c.len_utf8();
                    end += prev_size;
                }
                if let Some(c) = stopped_at {
                    if is_alphabet(c) {
                        end -= prev_size;
                    }
                }
            } else if is_alphabet(c) {
                end += c.len_utf8();
                take_while(&mut end, &|c| is_alphabet(c) && !is_upper(c));
            }
        }
        Wt::Upper
    } else if is_alphabet(first) {
        take_while(&mut end, &|c| is_alphabet(c) && !is_upper(c));
        Wt::Alpha
    } else if is_number(first) {
        take_while(&mut end, &is_number);
        Wt::Number
    } else {
        take_while(&mut end, &|c| {
            !(is_connector(c) || is_alphabet(c) || is_number(c) || is_punct(c))
        });
        Wt::Other
    };
    (wt, &s[..end], &s[end..])
}

fn to_lower_word(buf: &mut String, wt: Wt, word: &str, connector: char) {
    if wt != Wt::Upper && wt != Wt::Connector {
        buf.push_str(word);
        return;
    }
    for c in word.chars() {
        if is_connector(c) {
            buf.push(connector);
        } else if is_upper(c) {
            buf.push(to_lower(c));
        } else {
            buf.push(c);
        }
    }
}

/// xstrings' `camelCaseToLowerCase` (snakecase, kebabcase).
fn camel_to_lower(s: &str, connector: char) -> String {
    if s.is_empty() {
        return String::new();
    }
    let mut buf = String::new();
    let (mut wt, mut word, mut remaining) = next_word(s);
    while !remaining.is_empty() {
        if wt != Wt::Connector {
            to_lower_word(&mut buf, wt, word, connector);
        }
        let prev = wt;
        let last = word;
        (wt, word, remaining) = next_word(remaining);
        match prev {
            Wt::Number => {
                while wt == Wt::Alpha || wt == Wt::Number {
                    to_lower_word(&mut buf, wt, word, connector);
                    (wt, word, remaining) = next_word(remaining);
                }
                if wt != Wt::Invalid && wt != Wt::Punct && wt != Wt::Connector {
                    buf.push(connector);
                }
            }
            Wt::Connector => to_lower_word(&mut buf, prev, last, connector),
            Wt::Punct => {}
            _ => {
                if wt != Wt::Number {
                    if wt != Wt::Connector && wt != Wt::Punct {
                        buf.push(connector);
                    }
                    continue;
                }
                if remaining.is_empty() {
                    continue;
                }
                let last = word;
                (wt, word, remaining) = next_word(remaining);
                if wt != Wt::Alpha {
                    to_lower_word(&mut buf, Wt::Number, last, connector);
                    if wt != Wt::Connector && wt != Wt::Punct {
                        buf.push(connector);
                    }
                    continue;
                }
                buf.push(connector);
                to_lower_word(&mut buf, Wt::Number, last, connector);
                while wt == Wt::Alpha || wt == Wt::Number {
                    to_lower_word(&mut buf, wt, word, connector);
                    (wt, word, remaining) = next_word(remaining);
                }
                if wt != Wt::Invalid && wt != Wt::Connector && wt != Wt::Punct {
                    buf.push(connector);
                }
            }
        }
    }
    to_lower_word(&mut buf, wt, word, connector);
    buf
}

/// xstrings' `ToPascalCase` (`toCamelCase(s, true)`).
fn pascal_case(s: &str) -> String {
    let mut chars = s.chars();
    let mut buf = String::new();
    let mut first_upper = false;
    let mut r0 = None;
    for c in chars.by_ref() {
        if !is_connector(c) {
            first_upper = is_upper(c);
            r0 = Some(to_upper(c));
            break;
        }
        buf.push(c);
    }
    let Some(mut r0) = r0 else {
        return buf;
    };
    for c in chars {
        let r1 = r0;
        r0 = c;
        if is_connector(r0) && is_connector(r1) {
            buf.push(r1);
            continue;
        }
        if is_connector(r1) {
            first_upper = is_upper(r0);
            r0 = to_upper(r0);
        } else {
            if first_upper {
                if is_upper(r0) {
                    r0 = to_lower(r0);
                } else {
                    first_upper = false;
                }
            }
            buf.push(r1);
        }
    }
    buf.push(r0);
    buf
}

/// goutils' `SwapCase`.
fn swapcase(s: &str) -> String {
    let mut ws = true;
    s.chars()
        .map(|c| {
            if is_upper(c) || is_title(c) {
                ws = false;
                to_lower(c)
            } else if is_lower(c) {
                if ws {
                    ws = false;
                    to_title(c)
                } else {
                    to_upper(c)
                }
            } else {
                ws = is_space(c);
                c
            }
        })
        .collect()
}

fn shuffle(e: &mut dyn Env, a: Vec<Value>) -> R {
    let mut runes: Vec<char> = str_arg(&a, 0).chars().collect();
    for i in (1..runes.len()).rev() {
        let j = rand_below(e, i as u64 + 1) as usize;
        runes.swap(i, j);
    }
    ok(runes.into_iter().collect::<String>())
}

// ---------------------------------------------------------------------------------------
// Sequences.

/// Sprig's `untilStep` as a `[]int`, charged to the budget before it is built.
fn int_list(e: &mut dyn Env, start: i64, stop: i64, step: i64) -> R {
    let v = until_step(e, start, stop, step)?;
    Ok(Value::list_of(
        v.into_iter().map(Value::Int).collect(),
        ListKind::Int,
    ))
}

fn until_step(e: &mut dyn Env, start: i64, stop: i64, step: i64) -> Result<Vec<i64>, FuncError> {
    let (start, stop, step) = (start as i128, stop as i128, step as i128);
    let count = if stop < start {
        if step >= 0 {
            0
        } else {
            (start - stop + (-step) - 1) / (-step)
        }
    } else if step <= 0 {
        0
    } else {
        (stop - start + step - 1) / step
    };
    let bytes = count.saturating_mul(std::mem::size_of::<Value>() as i128);
    if bytes > usize::MAX as i128 {
        return Err(FuncError::budget("sequence too long"));
    }
    e.charge(bytes as usize)?;
    Ok((0..count).map(|k| (start + k * step) as i64).collect())
}

fn seq(e: &mut dyn Env, a: Vec<Value>) -> R {
    let p: Vec<i64> = a.iter().filter_map(Value::as_int).collect();
    let list = match p.len() {
        1 => {
            let (start, end) = (1, p[0]);
            let inc = if end < start { -1 } else { 1 };
            until_step(e, start, end.saturating_add(inc), inc)?
        }
        2 => {
            let (start, end) = (p[0], p[1]);
            let step = if end < start { -1 } else { 1 };
            until_step(e, start, end.saturating_add(step), step)?
        }
        3 => {
            let (start, step, end) = (p[0], p[1], p[2]);
            let mut inc = 1;
            if end < start {
                inc = -1;
                if step > 0 {
                    return ok("");
                }
            }
            until_step(e, start, end.saturating_add(inc), step)?
        }
        _ => Vec::new(),
    };
    let parts: Vec<String> = list.iter().map(i64::to_string).collect();
    ok(parts.join(" "))
}

// ---------------------------------------------------------------------------------------
// Encodings and hashes.

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

pub fn b64_encode(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b)
}

fn b64_value(c: u8) -> Option<u8> {
    B64.iter().position(|&x| x == c).map(|p| p as u8)
}

/// Go's `base64.StdEncoding.DecodeString`: the bytes, or the offset Go's
/// `CorruptInputError` names.
pub fn b64_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0usize;
    let is_nl = |c: u8| c == b'\n' || c == b'\r';
    loop {
        let mut dbuf = [0u8; 4];
        let mut dlen = 4;
        let mut j = 0usize;
        let mut trailing_err = None;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(si - j);
            }
            let c = src[si];
            si += 1;
            if let Some(v) = b64_value(c) {
                dbuf[j] = v;
                j += 1;
                continue;
            }
            if is_nl(c) {
                continue;
            }
            if c != b'=' {
                return Err(si - 1);
            }
            match j {
                0 | 1 => return Err(si - 1),
                2 => {
                    while si < src.len() && is_nl(src[si]) {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(src.len());
                    }
                    if src[si] != b'=' {
                        return Err(si - 1);
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && is_nl(src[si]) {
                si += 1;
            }
            if si < src.len() {
                trailing_err = Some(si);
            }
            dlen = j;
            break;
        }
        let val = u32::from(dbuf[0]) << 18
            | u32::from(dbuf[1]) << 12
            | u32::from(dbuf[2]) << 6
            | u32::from(dbuf[3]);
        let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
        out.extend_from_slice(&bytes[..dlen - 1]);
        if let Some(at) = trailing_err {
            return Err(at);
        }
        if dlen < 4 {
            return Ok(out);
        }
    }
}

pub fn b32_encode(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len().div_ceil(5) * 8);
    for chunk in b.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let v = buf.iter().fold(0u64, |acc, &x| acc << 8 | u64::from(x));
        let n = match chunk.len() {
            1 => 2,
            2 => 4,
            3 => 5,
            4 => 7,
            _ => 8,
        };
        for k in 0..8 {
            if k < n {
                out.push(char::from(B32[((v >> (35 - 5 * k)) & 31) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `base32.StdEncoding.DecodeString` (newlines are dropped first).
pub fn b32_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    let src: Vec<u8> = src
        .iter()
        .copied()
        .filter(|&c| c != b'\n' && c != b'\r')
        .collect();
    let olen = src.len();
    let mut rest: &[u8] = &src;
    let mut out = Vec::new();
    let mut end = false;
    while !rest.is_empty() && !end {
        let mut dbuf = [0u8; 8];
        let mut dlen = 8;
        let mut j = 0;
        while j < 8 {
            if rest.is_empty() {
                return Err(olen - rest.len() - j);
            }
            let c = rest[0];
            rest = &rest[1..];
            if c == b'=' && j >= 2 && rest.len() < 8 {
                if rest.len() + j < 7 {
                    return Err(olen);
                }
                for k in 0..(7 - j) {
                    if rest.len() > k && rest[k] != b'=' {
                        return Err(olen - rest.len() + k - 1);
                    }
                }
                dlen = j;
                end = true;
                if matches!(dlen, 1 | 3 | 6) {
                    return Err(olen - rest.len() - 1);
                }
                break;
            }
            match B32.iter().position(|&x| x == c) {
                Some(v) => dbuf[j] = v as u8,
                None => return Err(olen - rest.len() - 1),
            }
            j += 1;
        }
        let v = dbuf.iter().fold(0u64, |acc, &x| acc << 5 | u64::from(x));
        let bytes = [
            (v >> 32) as u8,
            (v >> 24) as u8,
            (v >> 16) as u8,
            (v >> 8) as u8,
            v as u8,
        ];
        let n = match dlen {
            2 => 1,
            4 => 2,
            5 => 3,
            7 => 4,
            _ => 5,
        };
        out.extend_from_slice(&bytes[..n]);
    }
    Ok(out)
}

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn adler32(b: &[u8]) -> u32 {
    let (mut a, mut s) = (1u32, 0u32);
    for &x in b {
        a = (a + u32::from(x)) % 65521;
        s = (s + a) % 65521;
    }
    s << 16 | a
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::testenv::{call, i, s, show};
    use super::*;

    #[test]
    fn sprig_string_tests() {
        // Expected values from Sprig v3.3.0's strings_test.go.
        assert_eq!(show("substr", vec![i(0), i(3), s("fooo")]), "foo");
        assert_eq!(show("substr", vec![i(0), i(10), s("foo")]), "foo");
        assert_eq!(show("trunc", vec![i(3), s("foooooo")]), "foo");
        assert_eq!(show("trunc", vec![i(-3), s("baaaaaar")]), "aar");
        assert_eq!(show("trunc", vec![i(-999), s("baaaaaar")]), "baaaaaar");
        assert_eq!(show("trunc", vec![i(0), s("baaaaaz")]), "");
        assert_eq!(
            show("quote", vec![s("a"), s("b"), s("c")]),
            r#""a" "b" "c""#
        );
        assert_eq!(show("quote", vec![s("\"a\""), s("b")]), r#""\"a\"" "b""#);
        assert_eq!(show("quote", vec![i(1), i(2), i(3)]), r#""1" "2" "3""#);
        assert_eq!(show("quote", vec![Value::Nil]), "");
        assert_eq!(show("squote", vec![s("a"), s("b"), s("c")]), "'a' 'b' 'c'");
        assert_eq!(show("squote", vec![i(1), i(2), i(3)]), "'1' '2' '3'");
        assert_eq!(show("contains", vec![s("cat"), s("fair catch")]), "true");
        assert_eq!(show("hasPrefix", vec![s("cat"), s("catch")]), "true");
        assert_eq!(show("hasSuffix", vec![s("cat"), s("ducat")]), "true");
        assert_eq!(show("trim", vec![s("   5.00   ")]), "5.00");
        assert_eq!(show("trimAll", vec![s("$"), s("$5.00$")]), "5.00");
        assert_eq!(show("trimPrefix", vec![s("$"), s("$5.00")]), "5.00");
        assert_eq!(show("trimSuffix", vec![s("$"), s("5.00$")]), "5.00");
        assert_eq!(
            show("split", vec![s("$"), s("foo$bar$baz")]),
            "map[_0:foo _1:bar _2:baz]"
        );
        assert_eq!(
            show("splitn", vec![s("$"), i(2), s("foo$bar$baz")]),
            "map[_0:foo _1:bar$baz]"
        );
        assert_eq!(show("splitList", vec![s(","), s("a,b")]), "[a b]");
        let l = Value::from(vec![i(1), Value::Nil, i(2)]);
        assert_eq!(show("toStrings", vec![l.clone()]), "[1 2]");
        assert_eq!(show("join", vec![s("-"), l]), "1-2");
        assert_eq!(show("join", vec![s("-"), s("abc")]), "abc");
        assert_eq!(show("b64enc", vec![s("coffee")]), "Y29mZmVl");
        assert_eq!(show("b64dec", vec![s("Y29mZmVl")]), "coffee");
        assert_eq!(show("b32enc", vec![s("coffee")]), "MNXWMZTFMU======");
        assert_eq!(show("b32dec", vec![s("MNXWMZTFMU======")]), "coffee");
        assert_eq!(show("abbrev", vec![i(5), s("hello world")]), "he...");
        assert_eq!(
            show("abbrevboth", vec![i(5), i(10), s("1234 5678 9123")]),
            "...5678..."
        );
        assert_eq!(show("nospace", vec![s("h e l l o ")]), "hello");
        assert_eq!(show("untitle", vec![s("First Try")]), "first try");
        assert_eq!(show("initials", vec![s("First Try")]), "FT");
        assert_eq!(show("wrap", vec![i(5), s("Hello World")]), "Hello\nWorld");
        assert_eq!(
            show("wrapWith", vec![i(5), s("\t"), s("Hello World")]),
            "Hello\tWorld"
        );
        assert_eq!(show("cat", vec![s("a"), s("b"), s("c")]), "a b c");
        assert_eq!(show("cat", vec![s("a"), s("b"), Value::Nil]), "a b");
        assert_eq!(
            show("indent", vec![i(4), s("a\nb\nc")]),
            "    a\n    b\n    c"
        );
        assert_eq!(
            show("nindent", vec![i(4), s("a\nb\nc")]),
            "\n    a\n    b\n    c"
        );
        assert_eq!(
            show("replace", vec![s(" "), s("-"), s("I Am Henry VIII")]),
            "I-Am-Henry-VIII"
        );
        assert_eq!(show("plural", vec![s("1 char"), s("chars"), i(3)]), "chars");
        assert_eq!(
            show("plural", vec![s("cheese"), s("%d chars"), i(1)]),
            "cheese"
        );
        for f in ["randAlphaNum", "randAlpha", "randAscii", "randNumeric"] {
            assert_eq!(show(f, vec![i(5)]).len(), 5, "{f}");
        }
        assert_eq!(
            show("title", vec![s("hello world-wide web_x")]),
            "Hello World-Wide Web_x"
        );
        assert_eq!(show("upper", vec![s("abcß")]), "ABCß");
        assert_eq!(
            show("swapcase", vec![s("This Is A.Test")]),
            "tHIS iS a.tEST"
        );
    }

    #[test]
    fn byte_based_functions_keep_gos_quirks() {
        // goutils reads bytes as runes: with white space present, UTF-8 comes out as Latin-1.
        assert_eq!(show("nospace", vec![s("é")]), "é");
        assert_eq!(show("nospace", vec![s("é x")]), "Ã©x");
        assert_eq!(show("initials", vec![s("élan vital")]), "Ãv");
        // A cut inside a character keeps the byte, as a Go string does.
        assert_eq!(
            show("trunc", vec![i(1), s("é")]),
            go_string_from_bytes(&[0xC3])
        );
        assert_eq!(show("title", vec![s("élan vital")]), "Élan Vital");
        assert_eq!(show("lower", vec![s("ÀB")]), "àb");
    }

    #[test]
    fn xstrings_case_conversions() {
        // From xstrings v1.5.0's documentation.
        for (input, want) in [
            ("FirstName", "first_name"),
            ("HTTPServer", "http_server"),
            ("NoHTTPS", "no_https"),
            ("GO_PATH", "go_path"),
            ("GO PATH", "go_path"),
            ("GO-PATH", "go_path"),
            ("http2xx", "http_2xx"),
            ("HTTP20xOK", "http_20x_ok"),
            ("Duration2m3s", "duration_2m3s"),
            ("Bld4Floor3rd", "bld4_floor_3rd"),
        ] {
            assert_eq!(camel_to_lower(input, '_'), want, "{input}");
        }
        assert_eq!(camel_to_lower("FirstName", '-'), "first-name");
        for (input, want) in [
            ("some_words", "SomeWords"),
            ("http_server", "HttpServer"),
            ("no_https", "NoHttps"),
            ("_complex__case_", "_Complex_Case_"),
            ("some words", "SomeWords"),
            ("GOLANG_IS_GREAT", "GolangIsGreat"),
        ] {
            assert_eq!(pascal_case(input), want, "{input}");
        }
    }

    #[test]
    fn conversions_and_sequences() {
        assert_eq!(show("atoi", vec![s("42")]), "42");
        assert_eq!(show("atoi", vec![s("x")]), "0");
        assert_eq!(
            show("atoi", vec![s("99999999999999999999")]),
            "9223372036854775807"
        );
        assert_eq!(show("int", vec![s("0x10")]), "16");
        assert_eq!(show("int64", vec![Value::Float(2.7)]), "2");
        assert_eq!(show("float64", vec![s("1.5")]), "1.5");
        assert_eq!(show("toDecimal", vec![s("0777")]), "511");
        assert_eq!(show("toDecimal", vec![i(777)]), "511");
        assert_eq!(show("toDecimal", vec![s("x")]), "0");
        // Sprig's numeric_test.go.
        assert_eq!(show("seq", vec![i(0), i(1), i(3)]), "0 1 2 3");
        assert_eq!(show("seq", vec![i(0), i(3), i(10)]), "0 3 6 9");
        assert_eq!(show("seq", vec![i(3), i(3), i(2)]), "");
        assert_eq!(show("seq", vec![i(3), i(-3), i(2)]), "3");
        assert_eq!(show("seq", vec![]), "");
        assert_eq!(show("seq", vec![i(0), i(4)]), "0 1 2 3 4");
        assert_eq!(show("seq", vec![i(5)]), "1 2 3 4 5");
        assert_eq!(show("seq", vec![i(-5)]), "1 0 -1 -2 -3 -4 -5");
        assert_eq!(show("seq", vec![i(0)]), "1 0");
        assert_eq!(show("seq", vec![i(0), i(1), i(2), i(3)]), "");
        assert_eq!(show("seq", vec![i(0), i(-1), i(-3)]), "0 -1 -2 -3");
        assert_eq!(show("until", vec![i(5)]), "[0 1 2 3 4]");
        assert_eq!(show("until", vec![i(-3)]), "[0 -1 -2]");
        assert_eq!(show("untilStep", vec![i(0), i(5), i(2)]), "[0 2 4]");
        assert_eq!(show("untilStep", vec![i(3), i(0), i(-1)]), "[3 2 1]");
        assert_eq!(show("untilStep", vec![i(0), i(5), i(0)]), "[]");
    }

    #[test]
    fn go_panics_and_budgets_are_errors() {
        assert_eq!(
            show("substr", vec![i(-1), i(5), s("abc")]),
            "error: runtime error: slice bounds out of range [:5] with length 3"
        );
        assert_eq!(
            show("substr", vec![i(4), i(-1), s("abc")]),
            "error: runtime error: slice bounds out of range [4:3]"
        );
        assert_eq!(
            show("repeat", vec![i(-1), s("x")]),
            "error: strings: negative Repeat count"
        );
        assert!(call("repeat", vec![i(1_000_000_000_000), s("xx")]).is_err());
        assert!(call("indent", vec![i(2_000_000_000), s("x")]).is_err());
        assert!(call("until", vec![i(i64::MAX)]).is_err());
        assert!(call("randAlphaNum", vec![i(1 << 40)]).is_err());
        assert!(call(
            "replace",
            vec![s(""), s(&"x".repeat(10000)), s(&"y".repeat(10000))]
        )
        .is_err());
        assert!(call(
            "wrapWith",
            vec![i(1), s(&"x".repeat(100_000)), s(&"a ".repeat(1000))]
        )
        .is_err());
    }

    #[test]
    fn encodings_match_go_errors() {
        assert_eq!(
            show("b64dec", vec![s("Y29mZmVl!")]),
            "illegal base64 data at input byte 8"
        );
        assert_eq!(
            show("b64dec", vec![s("Y29mZmV")]),
            "illegal base64 data at input byte 4"
        );
        assert_eq!(show("b64dec", vec![s("YQ==")]), "a");
        assert_eq!(
            show("b64dec", vec![s("YQ=")]),
            "illegal base64 data at input byte 3"
        );
        assert_eq!(
            show("b32dec", vec![s("MNXW!")]),
            "illegal base32 data at input byte 4"
        );
        assert_eq!(
            show("sha256sum", vec![s("")]),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            show("sha1sum", vec![s("abc")]),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(show("adler32sum", vec![s("Wikipedia")]), "300286872");
        assert_eq!(go_quote("a\tb\u{1}é\u{200b}"), "\"a\\tb\\x01é\\u200b\"");
    }
}

/// Sprig's functions through the executor, as charts call them.
#[cfg(test)]
mod through_templates {
    use std::collections::BTreeMap;
    use std::rc::Rc;

    use crate::gotmpl::exec::{is_func, Exec, Options, Set};
    use crate::gotmpl::parse::{parse, Source};
    use crate::gotmpl::Value;

    fn run(text: &str) -> String {
        let mut values = BTreeMap::new();
        values.insert("name".to_string(), Value::from("web"));
        values.insert("port".to_string(), Value::Float(8080.0));
        let mut top = BTreeMap::new();
        top.insert("Values".to_string(), Value::from(values));
        let source = Rc::new(Source {
            name: "t".into(),
            text: text.into(),
        });
        let trees = match parse(source, &is_func) {
            Ok(t) => t,
            Err(e) => return format!("PARSE: {}", e.message),
        };
        let mut set = Set::default();
        set.add(trees);
        let mut ex = Exec::new(&set, Options::default());
        ex.execute("t", Some(Value::from(top)))
            .unwrap_or_else(|e| format!("ERROR: {}", e.helm_message()))
    }

    #[test]
    fn helm_idioms() {
        assert_eq!(run(r#"{{ .Values.name | quote }}"#), r#""web""#);
        assert_eq!(run(r#"{{ default "x" .Values.nope }}"#), "x");
        assert_eq!(run(r#"{{ .Values.port | int }}"#), "8080");
        assert_eq!(
            run(r#"{{ printf "%s-%s" .Values.name "long-suffix-" | trunc 63 | trimSuffix "-" }}"#),
            "web-long-suffix"
        );
        assert_eq!(run(r#"{{ "a: 1\nb: 2" | nindent 2 }}"#), "\n  a: 1\n  b: 2");
        assert_eq!(
            run(r#"{{ semverCompare ">=1.19-0" "v1.30.2-gke.100" }}"#),
            "true"
        );
        assert_eq!(run(r#"{{ (semver "v1.2.3").Minor }}"#), "2");
        assert_eq!(run(r#"{{ add 1 .Values.port }}"#), "8081");
        assert_eq!(run(r#"{{ kindIs "float64" .Values.port }}"#), "true");
        assert_eq!(run(r#"{{ regexReplaceAll "[^a-z]" "We-b1" "" }}"#), "eb");
        assert_eq!(run(r#"{{ "x" | sha256sum | trunc 8 }}"#), "2d711642");
        assert_eq!(run(r#"{{ until 3 }}"#), "[0 1 2]");
        assert_eq!(
            run(r#"{{ $ca := genCA "ca" 365 }}{{ $ca.Cert | trunc 27 }}"#),
            "-----BEGIN CERTIFICATE-----"
        );
        assert_eq!(
            run(r#"{{ (genSelfSignedCert "x" nil nil 1).Key | trunc 31 }}"#),
            "-----BEGIN RSA PRIVATE KEY-----"
        );
        assert_eq!(
            run(r#"{{ dateInZone "2006" (toDate "2006-01-02" "2020-05-06") "UTC" }}"#),
            "2020"
        );
    }
}
