//! Sprig's regular expressions (`regex.go`), with Go's RE2 syntax and semantics: `\d`, `\w`,
//! `\s` and `\b` are ASCII as in Go (Rust's are Unicode, so patterns are translated), `$1x`
//! in a replacement names group `1x` (Rust's rule too), and compile errors read as Go's
//! (`error parsing regexp: missing closing ): `(``). The non-`must` functions other than
//! `regexMatch` call Go's `regexp.MustCompile`, whose panic text/template reports as an error.

use std::rc::Rc;

use super::cast::{int_arg, str_arg};
use super::{Env, Func, Ty};
use crate::gotmpl::{FuncError, Value};

type R = Result<Value, FuncError>;

use Ty::{Int, Str};

pub const FUNCS: &[Func] = &[
    f!(
        "regexMatch",
        [Str, Str],
        "`regexMatch RE S`: whether S contains a match of RE (false on a bad RE).",
        |_, a| {
            Ok(Value::Bool(
                compile(str_arg(&a, 0)).is_ok_and(|re| re.is_match(str_arg(&a, 1))),
            ))
        }
    ),
    f!(
        "mustRegexMatch",
        [Str, Str],
        "Like `regexMatch`, but a bad RE is an error.",
        |_, a| {
            Ok(Value::Bool(
                compile(str_arg(&a, 0))?.is_match(str_arg(&a, 1)),
            ))
        }
    ),
    f!(
        "regexFindAll",
        [Str, Str, Int],
        "`regexFindAll RE S N`: up to N matches (all when N < 0).",
        |_, a| find_all(&a, true)
    ),
    f!(
        "mustRegexFindAll",
        [Str, Str, Int],
        "Like `regexFindAll`, but a bad RE is an error.",
        |_, a| find_all(&a, false)
    ),
    f!(
        "regexFind",
        [Str, Str],
        "`regexFind RE S`: the first match, or \"\".",
        |_, a| find(&a, true)
    ),
    f!(
        "mustRegexFind",
        [Str, Str],
        "Like `regexFind`, but a bad RE is an error.",
        |_, a| find(&a, false)
    ),
    f!(
        "regexReplaceAll",
        [Str, Str, Str],
        "`regexReplaceAll RE S REPL`: replaces matches, expanding `$1`, `${name}`.",
        |e, a| replace(e, &a, true, true)
    ),
    f!(
        "mustRegexReplaceAll",
        [Str, Str, Str],
        "Like `regexReplaceAll`, but a bad RE is an error.",
        |e, a| replace(e, &a, false, true)
    ),
    f!(
        "regexReplaceAllLiteral",
        [Str, Str, Str],
        "`regexReplaceAllLiteral RE S REPL`: replaces matches by REPL as it is.",
        |e, a| replace(e, &a, true, false)
    ),
    f!(
        "mustRegexReplaceAllLiteral",
        [Str, Str, Str],
        "Like `regexReplaceAllLiteral`, but a bad RE is an error.",
        |e, a| replace(e, &a, false, false)
    ),
    f!(
        "regexSplit",
        [Str, Str, Int],
        "`regexSplit RE S N`: S split around matches, at most N parts (all when N < 0).",
        |_, a| split(&a, true)
    ),
    f!(
        "mustRegexSplit",
        [Str, Str, Int],
        "Like `regexSplit`, but a bad RE is an error.",
        |_, a| split(&a, false)
    ),
    f!(
        "regexQuoteMeta",
        [Str],
        "Escapes the regular-expression metacharacters of S.",
        |_, a| { Ok(Value::from(quote_meta(str_arg(&a, 0)))) }
    ),
];

/// A compiled Go pattern. Most charts' patterns compile with regex-lite, in microseconds; the
/// regex crate compiles the others, in up to a millisecond (a negated class such as
/// `[^-A-Za-z0-9_.]` is a large automaton over UTF-8 there): case-insensitive ones, as
/// regex-lite folds only ASCII case and Go folds Unicode's, and whatever regex-lite refuses
/// (`\pL`, nested classes). For every other pattern the two match alike: both match code
/// point by code point, leftmost-first, and [`translate`] has already made the Perl classes
/// ASCII, as Go's are (the test below checks it on random texts).
pub enum GoRegex {
    Lite(regex_lite::Regex),
    Full(regex::Regex),
}

impl GoRegex {
    fn new(translated: &str) -> Result<GoRegex, regex::Error> {
        if !folds_case(translated) {
            if let Ok(re) = regex_lite::Regex::new(translated) {
                return Ok(GoRegex::Lite(re));
            }
        }
        regex::Regex::new(translated).map(GoRegex::Full)
    }

    pub fn is_match(&self, s: &str) -> bool {
        match self {
            GoRegex::Lite(re) => re.is_match(s),
            GoRegex::Full(re) => re.is_match(s),
        }
    }

    /// The first match's range.
    pub fn find(&self, s: &str) -> Option<std::ops::Range<usize>> {
        match self {
            GoRegex::Lite(re) => re.find(s).map(|m| m.range()),
            GoRegex::Full(re) => re.find(s).map(|m| m.range()),
        }
    }

    /// Every match's range, as the crates' `find_iter` reports them.
    pub fn ranges(&self, s: &str) -> Vec<std::ops::Range<usize>> {
        match self {
            GoRegex::Lite(re) => re.find_iter(s).map(|m| m.range()).collect(),
            GoRegex::Full(re) => re.find_iter(s).map(|m| m.range()).collect(),
        }
    }

    /// Calls `f` with each match's range and a function that expands a replacement (`$1`,
    /// `${name}`) for that match.
    fn each_capture(&self, s: &str, f: &mut OnMatch) -> Result<(), FuncError> {
        match self {
            GoRegex::Lite(re) => {
                for caps in re.captures_iter(s) {
                    if let Some(m) = caps.get(0) {
                        f(m.range(), &|repl, out| caps.expand(repl, out))?;
                    }
                }
            }
            GoRegex::Full(re) => {
                for caps in re.captures_iter(s) {
                    if let Some(m) = caps.get(0) {
                        f(m.range(), &|repl, out| caps.expand(repl, out))?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// What [`GoRegex::each_capture`] calls for each match: its range, and a function that expands
/// a replacement for it.
type OnMatch<'a> =
    dyn FnMut(std::ops::Range<usize>, &dyn Fn(&str, &mut String)) -> Result<(), FuncError> + 'a;

/// Whether a translated pattern may set the case-insensitive flag: an `i` in a `(?...)` group's
/// flags (erring on the side of yes: an escaped `\(?` counts too).
fn folds_case(translated: &str) -> bool {
    translated.match_indices("(?").any(|(at, _)| {
        translated[at + 2..]
            .chars()
            .take_while(|c| *c != ')' && *c != ':')
            .any(|c| c == 'i')
    })
}

/// Compiles a Go regular expression.
///
/// Compiled patterns are kept (charts call `regexMatch` in loops with the same pattern), and
/// shared rather than cloned: a clone of a `Regex` starts a new pool of match caches, and
/// building the first cache cost more than the match itself.
pub fn compile(pattern: &str) -> Result<Rc<GoRegex>, FuncError> {
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, Rc<GoRegex>>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    if let Some(r) = CACHE.with(|c| c.borrow().get(pattern).cloned()) {
        return Ok(r);
    }
    match GoRegex::new(&translate(pattern)).map(Rc::new) {
        Ok(r) => {
            CACHE.with(|c| {
                let mut c = c.borrow_mut();
                if c.len() < 1_000 {
                    c.insert(pattern.to_string(), r.clone());
                }
            });
            Ok(r)
        }
        // Go's wording where the Go pattern's syntax is wrong, else Rust's.
        Err(e) => match regex_syntax::ast::parse::Parser::new().parse(pattern) {
            Err(ae) => Err(FuncError::new(go_error(pattern, &ae))),
            Ok(_) => Err(FuncError::new(format!(
                "error parsing regexp: {e}: `{pattern}`"
            ))),
        },
    }
}

/// `regexp.MustCompile`'s panic, as text/template reports it.
fn must_compile(pattern: &str) -> Result<Rc<GoRegex>, FuncError> {
    compile(pattern).map_err(|e| {
        FuncError::new(format!(
            "regexp: Compile({}): {}",
            go_backquote(pattern),
            e.message
        ))
    })
}

/// `regexp`'s `quote`: back-quoted when `strconv.CanBackquote` allows, else `strconv.Quote`.
fn go_backquote(s: &str) -> String {
    let can = s
        .chars()
        .all(|c| c == '\t' || (c >= ' ' && c != '`' && c != '\u{7f}' && c != '\u{feff}'));
    if can {
        format!("`{s}`")
    } else {
        super::sprig_strings::go_quote(s)
    }
}

fn go_error(pattern: &str, e: &regex_syntax::ast::Error) -> String {
    use regex_syntax::ast::ErrorKind as K;
    let span = e.span();
    let frag = pattern
        .get(span.start.offset..span.end.offset)
        .unwrap_or(pattern)
        .to_string();
    let (code, arg) = match e.kind() {
        K::GroupUnclosed => ("missing closing )", pattern.to_string()),
        K::GroupUnopened => ("unexpected )", pattern.to_string()),
        K::ClassUnclosed => (
            "missing closing ]",
            pattern
                .get(span.start.offset..)
                .unwrap_or(pattern)
                .to_string(),
        ),
        K::RepetitionMissing => (
            "missing argument to repetition operator",
            repetition_at(pattern, span.start.offset),
        ),
        K::RepetitionCountInvalid | K::RepetitionCountUnclosed | K::RepetitionCountDecimalEmpty => {
            ("invalid repeat count", frag)
        }
        K::EscapeUnrecognized | K::EscapeUnexpectedEof => ("invalid escape sequence", frag),
        K::ClassRangeInvalid => ("invalid character class range", frag),
        K::ClassEscapeInvalid => ("invalid character class range", frag),
        K::UnsupportedLookAround | K::UnsupportedBackreference => {
            ("invalid or unsupported Perl syntax", frag)
        }
        K::GroupNameDuplicate { .. } => ("duplicate capture group name", frag),
        K::GroupNameInvalid | K::GroupNameEmpty | K::GroupNameUnexpectedEof => {
            ("invalid named capture", frag)
        }
        K::FlagUnrecognized
        | K::FlagDanglingNegation
        | K::FlagDuplicate { .. }
        | K::FlagUnexpectedEof => ("invalid or unsupported Perl syntax", frag),
        _ => return format!("error parsing regexp: {}: `{pattern}`", e.kind()),
    };
    format!("error parsing regexp: {code}: `{arg}`")
}

/// The repetition operator at `at` (`*`, `+?`, `{2,3}`), as Go's messages quote it.
fn repetition_at(pattern: &str, at: usize) -> String {
    let rest = pattern.get(at..).unwrap_or("");
    let len = if rest.starts_with('{') {
        rest.find('}').map_or(rest.len(), |i| i + 1)
    } else {
        rest.chars().next().map_or(0, char::len_utf8)
    };
    let mut op = rest[..len].to_string();
    if rest[len..].starts_with('?') {
        op.push('?');
    }
    op
}

/// Go's ASCII meanings of `\d`, `\D`, `\w`, `\W`, `\s`, `\S`, `\b`, `\B` in Rust's syntax.
pub(super) fn translate(p: &str) -> String {
    let mut out = String::with_capacity(p.len() + 16);
    let mut chars = p.chars().peekable();
    let mut depth = 0usize; // inside a character class
    let mut class_start = false;
    while let Some(c) = chars.next() {
        let at_class_start = class_start;
        class_start = false;
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let inside = depth > 0;
                let rep: Option<&str> = match (n, inside) {
                    ('d', false) => Some("[0-9]"),
                    ('d', true) => Some("0-9"),
                    ('D', false) => Some("[^0-9]"),
                    ('D', true) => Some("[:^digit:]"),
                    ('w', false) => Some("[0-9A-Za-z_]"),
                    ('w', true) => Some("0-9A-Za-z_"),
                    ('W', false) => Some("[^0-9A-Za-z_]"),
                    ('W', true) => Some("[:^word:]"),
                    ('s', false) => Some("[\\t\\n\\f\\r ]"),
                    ('s', true) => Some("\\t\\n\\f\\r "),
                    ('S', false) => Some("[^\\t\\n\\f\\r ]"),
                    ('S', true) => Some("[:^space:]"),
                    ('b', false) => Some("(?-u:\\b)"),
                    ('B', false) => Some("(?-u:\\B)"),
                    _ => None,
                };
                match rep {
                    Some(r) => {
                        out.push_str(r);
                        // In Go, a `-` after a class escape inside a class is a literal
                        // (`[\w-\.]`); in Rust's syntax it would start a range.
                        if inside && chars.peek() == Some(&'-') {
                            chars.next();
                            out.push_str("\\-");
                        }
                    }
                    None => {
                        out.push('\\');
                        out.push(n);
                    }
                }
            }
            '[' => {
                if depth > 0 && chars.peek() == Some(&':') {
                    // A POSIX class `[:alpha:]` inside a class.
                    out.push('[');
                    for d in chars.by_ref() {
                        out.push(d);
                        if d == ']' {
                            break;
                        }
                    }
                    continue;
                }
                depth += 1;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                class_start = true;
            }
            ']' if depth > 0 && !at_class_start => {
                depth -= 1;
                out.push(']');
            }
            other => out.push(other),
        }
    }
    out
}

fn regex_for(pattern: &str, lenient: bool) -> Result<Rc<GoRegex>, FuncError> {
    if lenient {
        must_compile(pattern)
    } else {
        compile(pattern)
    }
}

/// Match ranges as Go's `FindAll` reports them: at most `n` (all when `n < 0`), and no empty
/// match right after the previous match.
fn find_ranges(re: &GoRegex, s: &str, n: i64) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if n == 0 {
        return out;
    }
    let mut prev_end: Option<usize> = None;
    for m in re.ranges(s) {
        if n >= 0 && out.len() as i64 >= n {
            break;
        }
        if m.start == m.end && prev_end == Some(m.start) {
            continue;
        }
        prev_end = Some(m.end);
        out.push((m.start, m.end));
    }
    out
}

fn find_all(a: &[Value], lenient: bool) -> R {
    let re = regex_for(str_arg(a, 0), lenient)?;
    let s = str_arg(a, 1);
    let found = find_ranges(&re, s, int_arg(a, 2));
    Ok(Value::strings(
        found.into_iter().map(|(x, y)| s[x..y].to_string()),
    ))
}

fn find(a: &[Value], lenient: bool) -> R {
    let re = regex_for(str_arg(a, 0), lenient)?;
    let s = str_arg(a, 1);
    Ok(Value::from(
        re.find(s).and_then(|m| s.get(m)).unwrap_or_default(),
    ))
}

fn replace(e: &mut dyn Env, a: &[Value], lenient: bool, expand: bool) -> R {
    let re = regex_for(str_arg(a, 0), lenient)?;
    let (s, repl) = (str_arg(a, 1), str_arg(a, 2));
    let mut out = String::new();
    let mut last = 0;
    let mut prev_end: Option<usize> = None;
    re.each_capture(s, &mut |m, expand_into| {
        if m.start == m.end && prev_end == Some(m.start) {
            return Ok(());
        }
        prev_end = Some(m.end);
        let mut piece = String::new();
        if expand {
            expand_into(repl, &mut piece);
        } else {
            piece.push_str(repl);
        }
        e.charge(m.start - last + piece.len())?;
        out.push_str(&s[last..m.start]);
        out.push_str(&piece);
        last = m.end;
        Ok(())
    })?;
    e.charge(s.len() - last)?;
    out.push_str(&s[last..]);
    Ok(Value::from(out))
}

fn split(a: &[Value], lenient: bool) -> R {
    let pattern = str_arg(a, 0);
    let re = regex_for(pattern, lenient)?;
    let (s, n) = (str_arg(a, 1), int_arg(a, 2));
    if n == 0 {
        return Ok(Value::strings(Vec::new()));
    }
    if !pattern.is_empty() && s.is_empty() {
        return Ok(Value::strings([String::new()]));
    }
    let mut parts = Vec::new();
    let (mut beg, mut end) = (0, 0);
    for (x, y) in find_ranges(&re, s, n) {
        if n > 0 && parts.len() as i64 == n - 1 {
            break;
        }
        end = x;
        if y != 0 {
            parts.push(s[beg..end].to_string());
        }
        beg = y;
    }
    if end != s.len() {
        parts.push(s[beg..].to_string());
    }
    Ok(Value::strings(parts))
}

/// Go's `regexp.QuoteMeta`.
pub fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::testenv::{i, s, show};

    #[test]
    fn sprig_regex_tests() {
        // Sprig v3.3.0's regex_test.go.
        let email = "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}";
        assert_eq!(
            show("regexMatch", vec![s(email), s("test@acme.com")]),
            "true"
        );
        assert_eq!(
            show("regexMatch", vec![s(email), s("Test@Acme.Com")]),
            "true"
        );
        assert_eq!(show("regexMatch", vec![s(email), s("test")]), "false");
        assert_eq!(show("regexMatch", vec![s(email), s("test@acme")]), "false");
        assert_eq!(
            show("regexFindAll", vec![s("a{2}"), s("aa"), i(-1)]),
            "[aa]"
        );
        assert_eq!(
            show("regexFindAll", vec![s("a{2}"), s("aaaaaaaa"), i(1)]),
            "[aa]"
        );
        assert_eq!(
            show("regexFindAll", vec![s("a{2}"), s("aaaa"), i(-1)]),
            "[aa aa]"
        );
        assert_eq!(
            show("regexFindAll", vec![s("a{2}"), s("none"), i(-1)]),
            "[]"
        );
        assert_eq!(show("regexFind", vec![s("fo.?"), s("foorbar")]), "foo");
        assert_eq!(show("regexFind", vec![s("fo.?"), s("foo foe fome")]), "foo");
        assert_eq!(show("regexFind", vec![s("fo.?"), s("none")]), "");
        let re = s("a(x*)b");
        assert_eq!(
            show("regexReplaceAll", vec![re.clone(), s("-ab-axxb-"), s("T")]),
            "-T-T-"
        );
        assert_eq!(
            show("regexReplaceAll", vec![re.clone(), s("-ab-axxb-"), s("$1")]),
            "--xx-"
        );
        assert_eq!(
            show(
                "regexReplaceAll",
                vec![re.clone(), s("-ab-axxb-"), s("$1W")]
            ),
            "---"
        );
        assert_eq!(
            show(
                "regexReplaceAll",
                vec![re.clone(), s("-ab-axxb-"), s("${1}W")]
            ),
            "-W-xxW-"
        );
        assert_eq!(
            show(
                "regexReplaceAllLiteral",
                vec![re.clone(), s("-ab-axxb-"), s("$1")]
            ),
            "-$1-$1-"
        );
        assert_eq!(
            show(
                "regexReplaceAllLiteral",
                vec![re, s("-ab-axxb-"), s("${1}")]
            ),
            "-${1}-${1}-"
        );
        assert_eq!(
            show("regexSplit", vec![s("a"), s("banana"), i(-1)]),
            "[b n n ]"
        );
        assert_eq!(show("regexSplit", vec![s("a"), s("banana"), i(0)]), "[]");
        assert_eq!(
            show("regexSplit", vec![s("a"), s("banana"), i(1)]),
            "[banana]"
        );
        assert_eq!(
            show("regexSplit", vec![s("a"), s("banana"), i(2)]),
            "[b nana]"
        );
        assert_eq!(
            show("regexSplit", vec![s("z+"), s("pizza"), i(-1)]),
            "[pi a]"
        );
        assert_eq!(show("regexSplit", vec![s(""), s("abc"), i(-1)]), "[a b c]");
        assert_eq!(show("regexQuoteMeta", vec![s("1.2.3")]), "1\\.2\\.3");
        assert_eq!(show("regexQuoteMeta", vec![s("pretzel")]), "pretzel");
    }

    #[test]
    fn go_semantics() {
        // Go's \d and \w are ASCII; \b too.
        assert_eq!(show("regexMatch", vec![s("^\\d+$"), s("١٢")]), "false");
        assert_eq!(show("regexMatch", vec![s("^[\\w-]+$"), s("a-b_c")]), "true");
        assert_eq!(show("regexFindAll", vec![s("\\bé"), s("é"), i(-1)]), "[]");
        assert_eq!(
            show("regexFindAll", vec![s("a*"), s("baaab"), i(-1)]),
            "[ aaa ]"
        );
        assert_eq!(
            show("regexReplaceAll", vec![s("a*"), s("baaab"), s("-")]),
            "-b-b-"
        );
        assert_eq!(
            show("regexReplaceAll", vec![s("(?P<x>a)"), s("a"), s("${x}$$")]),
            "a$"
        );
    }

    #[test]
    fn bad_patterns() {
        assert_eq!(show("regexMatch", vec![s("("), s("x")]), "false");
        assert_eq!(
            show("mustRegexMatch", vec![s("a("), s("x")]),
            "error: error parsing regexp: missing closing ): `a(`"
        );
        assert_eq!(
            show("regexFind", vec![s("("), s("x")]),
            "error: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`"
        );
        assert_eq!(
            show("mustRegexFind", vec![s("*"), s("x")]),
            "error: error parsing regexp: missing argument to repetition operator: `*`"
        );
        assert_eq!(
            show("mustRegexFind", vec![s("[a"), s("x")]),
            "error: error parsing regexp: missing closing ]: `[a`"
        );
        assert_eq!(
            show("mustRegexFind", vec![s("\\q"), s("x")]),
            "error: error parsing regexp: invalid escape sequence: `\\q`"
        );
    }

    /// Patterns of the kinds charts use (argo-cd's image-tag cleaner, redis-ha's name check,
    /// URL captures, anchors, flags, ASCII classes, empty matches, non-ASCII literals).
    const LITE_PATTERNS: &[&str] = &[
        "[^-A-Za-z0-9_.]",
        "^[\\w-\\.]+$",
        "^redis:\\/\\/(.*)",
        "(\\d+)\\.(\\d+)",
        "\\s+",
        "\\W+",
        "[\\d\\s]x?",
        "\\D\\S",
        "^$",
        "a*",
        "x|",
        "(a)|b",
        "(?m)^x",
        "(?s).+",
        "[[:alpha:]]+",
        "(?P<word>[a-z]+)-",
        "é+|[^é]",
        ".",
        "(?U)a+",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        /// regex-lite, which compiles these patterns, finds, captures and expands what the regex
        /// crate does on them, non-ASCII texts included.
        #[test]
        fn regex_lite_matches_like_regex(s in "[ -~àéß€\n\t]{0,30}") {
            for p in LITE_PATTERNS {
                let t = super::translate(p);
                let Ok(super::GoRegex::Lite(lite)) = super::GoRegex::new(&t) else {
                    panic!("{p} should compile with regex-lite");
                };
                let full = regex::Regex::new(&t).unwrap();
                let lite_found: Vec<_> = lite.find_iter(&s).map(|m| m.range()).collect();
                let full_found: Vec<_> = full.find_iter(&s).map(|m| m.range()).collect();
                proptest::prop_assert_eq!(lite_found, full_found, "{}", p);
                let lite_caps: Vec<Vec<_>> = lite
                    .captures_iter(&s)
                    .map(|c| (0..c.len()).map(|i| c.get(i).map(|m| m.range())).collect())
                    .collect();
                let full_caps: Vec<Vec<_>> = full
                    .captures_iter(&s)
                    .map(|c| (0..c.len()).map(|i| c.get(i).map(|m| m.range())).collect())
                    .collect();
                proptest::prop_assert_eq!(lite_caps, full_caps, "{}", p);
                let repl = "<$1|${1}x|$word>";
                proptest::prop_assert_eq!(
                    lite.replace_all(&s, repl).to_string(),
                    full.replace_all(&s, repl).to_string(),
                    "{}",
                    p
                );
            }
        }
    }

    #[test]
    fn case_insensitive_and_unicode_class_patterns_compile_with_the_regex_crate() {
        for p in ["(?i)straße", "(?i:x)é", "\\pL+", "[\\p{Greek}]"] {
            let t = super::translate(p);
            assert!(
                matches!(super::GoRegex::new(&t), Ok(super::GoRegex::Full(_))),
                "{p}"
            );
        }
    }
}
