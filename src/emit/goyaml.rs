//! YAML output byte-identical to `kubectl kustomize`.
//!
//! kustomize prints each resource by marshalling it to JSON and converting that JSON to YAML
//! with go-yaml v2 (`sigs.k8s.io/yaml.JSONToYAML`). So keys come out sorted (go-yaml's
//! "natural" key order), numbers are normalised through JSON, strings are quoted when YAML 1.1
//! would read them as something else, and long scalars fold at 80 columns. This module
//! reproduces that emitter (libyaml's algorithm as go-yaml v2 ports it) for the subset of
//! events a JSON document produces.

use crate::model::{Node, Value};
use crate::source::SourceMap;

const BEST_WIDTH: usize = 80;
const BEST_INDENT: isize = 2;

/// Writes one resource as one YAML document (without a `---` separator).
pub fn write_document(node: &Node, out: &mut String) {
    emit(node, out, None);
}

/// Like [`write_document`], with a `# from: file:line:col` comment after each single-line
/// scalar that has an origin (for `kit build --explain-origin`).
pub fn write_document_with_origins(node: &Node, out: &mut String, sources: &SourceMap) {
    emit(node, out, Some(sources));
}

/// Writes a value with mapping keys in their given order, as Go's YAML encoders print a
/// struct (its fields in declaration order) rather than a map.
pub fn write_document_in_order(node: &Node, out: &mut String) {
    emit_with(node, out, None, false);
}

/// Writes a value as go-yaml **v3**'s encoder does with `SetIndent(2)` (Helm's
/// `toYamlPretty`): keys sorted, sequences indented under their key, long strings not folded,
/// floats as Go's shortest `%g` (`1e+06`) since no JSON round trip makes them ints.
pub fn write_document_v3(node: &Node, out: &mut String) {
    let mut e = Emitter::new(out, None, true);
    e.v3 = true;
    e.best_width = usize::MAX;
    e.node(
        node,
        Ctx {
            mapping: false,
            simple_key: false,
        },
    );
    e.write_indent();
}

fn emit(node: &Node, out: &mut String, sources: Option<&SourceMap>) {
    emit_with(node, out, sources, true);
}

fn emit_with(node: &Node, out: &mut String, sources: Option<&SourceMap>, sort_keys: bool) {
    let mut e = Emitter::new(out, sources, sort_keys);
    e.node(
        node,
        Ctx {
            mapping: false,
            simple_key: false,
        },
    );
    // Document end: go-yaml writes an indent (a line break) after the last node.
    e.write_indent();
}

impl<'a> Emitter<'a> {
    fn new(out: &'a mut String, sources: Option<&'a SourceMap>, sort_keys: bool) -> Self {
        Emitter {
            out,
            column: 0,
            indent: -1,
            indents: Vec::new(),
            whitespace: true,
            indention: true,
            sources,
            pending_comment: None,
            breaks: 0,
            sort_keys,
            v3: false,
            best_width: BEST_WIDTH,
        }
    }
}

/// Orders mapping keys as go-yaml v2 does: runs of digits compare numerically and letters
/// sort after non-letters.
pub fn key_less(a: &str, b: &str) -> bool {
    // Keys are compared at every step of every sort: ASCII keys (nearly all) as bytes, others
    // as characters.
    if a.is_ascii() && b.is_ascii() {
        return chars_less(a.as_bytes(), b.as_bytes());
    }
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    chars_less(&ar, &br)
}

fn chars_less<C: Copy + Into<char> + PartialOrd>(ar: &[C], br: &[C]) -> bool {
    let ch = |c: C| -> char { c.into() };
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = ch(ar[i]).is_alphabetic();
        let bl = ch(br[i]).is_alphabetic();
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ch(ar[i]) == '0' || ch(br[i]) == '0' {
            let mut j = i;
            while j > 0 && ch(ar[j - 1]).is_ascii_digit() {
                j -= 1;
                if ch(ar[j]) != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ch(ar[ai]).is_ascii_digit() {
            an = an
                .wrapping_mul(10)
                .wrapping_add(i64::from(ch(ar[ai]) as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && ch(br[bi]).is_ascii_digit() {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(i64::from(ch(br[bi]) as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

pub fn sorted_entries(m: &[(String, Node)]) -> Vec<&(String, Node)> {
    let mut entries: Vec<&(String, Node)> = m.iter().collect();
    entries.sort_by(|a, b| {
        if key_less(&a.0, &b.0) {
            std::cmp::Ordering::Less
        } else if key_less(&b.0, &a.0) {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    });
    entries
}

/// A scalar as go-yaml v2 would print it after the JSON round trip: its text and whether
/// it must be a string style (quoted or block) rather than plain.
pub enum ScalarOut {
    Plain(String),
    Str(String),
}

pub fn scalar_out(v: &Value) -> Option<ScalarOut> {
    Some(match v {
        Value::Null => ScalarOut::Plain("null".into()),
        Value::Bool(b) => ScalarOut::Plain(b.to_string()),
        Value::Int(i) => ScalarOut::Plain(i.to_string()),
        Value::UInt(u) => ScalarOut::Plain(u.to_string()),
        Value::Float(f) => ScalarOut::Plain(float_after_json(*f)),
        Value::Str(s) => ScalarOut::Str(s.clone()),
        Value::Seq(_) | Value::Map(_) => return None,
    })
}

/// A float through `json.Marshal` and back through go-yaml v2: integral values become ints.
fn float_after_json(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        };
    }
    let json = go_json_float(f);
    if let Some(i) = go_parse_int(&json) {
        return i.to_string();
    }
    format_go_float(f)
}

/// Go's `encoding/json` float64 formatting.
fn go_json_float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = format_exp(f);
        // Go cleans e-09 to e-9.
        if let Some(pos) = s.find("e-0") {
            return format!("{}e-{}", &s[..pos], &s[pos + 3..]);
        }
        s
    } else {
        let s = format!("{}", f);
        if s == "-0" {
            "-0".into()
        } else {
            s
        }
    }
}

/// `strconv.FormatFloat(f, 'e', -1, 64)`: shortest digits, exponent with at least two digits.
fn format_exp(f: f64) -> String {
    let s = format!("{:e}", f); // e.g. 1.5e300, 1e-7
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let (sign, digits) = match exp.strip_prefix('-') {
        Some(d) => ('-', d),
        None => ('+', exp),
    };
    let digits = if digits.len() < 2 {
        format!("0{digits}")
    } else {
        digits.to_string()
    };
    format!("{mant}e{sign}{digits}")
}

/// `strconv.FormatFloat(f, 'g', -1, 64)` as go-yaml v2 prints floats.
pub fn format_go_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    // Go's shortest 'g' switches to exponent form outside 1e-4 <= |f| < 1e6.
    let e = format!("{:e}", f);
    let exp: i32 = e
        .split_once('e')
        .and_then(|(_, x)| x.parse().ok())
        .unwrap_or(0);
    if !(-4..6).contains(&exp) {
        return format_exp(f);
    }
    format!("{}", f)
}

/// Go's `strconv.ParseInt(s, 0, 64)` (after go-yaml removed underscores).
fn go_parse_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mag = go_parse_uint_base0(body)?;
    if neg {
        if mag <= i64::MAX as u64 + 1 {
            Some((mag as i128).wrapping_neg() as i64)
        } else {
            None
        }
    } else {
        i64::try_from(mag).ok()
    }
}

fn go_parse_uint_base0(s: &str) -> Option<u64> {
    let lower = s.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// Whether go-yaml v2 (YAML 1.1 rules) would read this plain scalar as something other than a
/// string, so that it must be quoted.
pub fn v2_resolves_non_string(s: &str) -> bool {
    let Some(&first) = s.as_bytes().first() else {
        return true; // "" is null
    };
    match first {
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => matches!(
            s,
            "y" | "Y"
                | "yes"
                | "Yes"
                | "YES"
                | "true"
                | "True"
                | "TRUE"
                | "on"
                | "On"
                | "ON"
                | "n"
                | "N"
                | "no"
                | "No"
                | "NO"
                | "false"
                | "False"
                | "FALSE"
                | "off"
                | "Off"
                | "OFF"
                | "~"
                | "null"
                | "Null"
                | "NULL"
        ),
        b'.' => {
            matches!(s, ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF")
                || (go_float_dot(s) && s.parse::<f64>().is_ok_and(f64::is_finite))
        }
        b'+' | b'-' | b'0'..=b'9' => {
            if matches!(s, "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF") {
                return true;
            }
            if is_go_timestamp(s) {
                return true;
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if go_parse_int(&plain).is_some() {
                return true;
            }
            let body = plain.strip_prefix(['+', '-']).unwrap_or(&plain);
            if go_parse_uint_base0(body).is_some() && !plain.starts_with('-') {
                return true;
            }
            // Go's ParseFloat fails on overflow (`1e99999`), leaving the scalar a string.
            if is_yaml_style_float(&plain) && plain.parse::<f64>().is_ok_and(f64::is_finite) {
                return true;
            }
            if let Some(b) = plain.strip_prefix("0b") {
                return !b.is_empty()
                    && b.chars().all(|c| c == '0' || c == '1')
                    && u64::from_str_radix(b, 2).is_ok();
            }
            if let Some(b) = plain.strip_prefix("-0b") {
                return !b.is_empty() && i64::from_str_radix(&format!("-{b}"), 2).is_ok();
            }
            false
        }
        _ => false,
    }
}

/// `strconv.FormatFloat(f, 'g', -1, 32)`: how `sigs.k8s.io/yaml` turns a YAML float into
/// the text of a string field.
pub fn format_go_float32(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    // Go rounds the float64 to the nearest float32 first; out of range is infinite.
    #[allow(clippy::cast_possible_truncation)]
    let x = f as f32;
    if x.is_infinite() {
        return if x > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let e = format!("{:e}", x);
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mant}e{sign}{:02}", exp.unsigned_abs());
    }
    format!("{}", x)
}

/// `strconv.ParseFloat` success for a string starting with '.'.
fn go_float_dot(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == 1 {
        return false;
    }
    if i == b.len() {
        return true;
    }
    if b[i] != b'e' && b[i] != b'E' {
        return false;
    }
    i += 1;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    i == b.len() && i > start
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
pub fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let s = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - s
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// YAML 1.1 base-60 floats (`1:20`), which go-yaml quotes for other parsers' sake.
pub fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() {
        return false;
    }
    let c = b[0];
    if !(c == b'+' || c == b'-' || c.is_ascii_digit()) || !s.contains(':') {
        return false;
    }
    // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
    let mut i = 0;
    if b[i] == b'+' || b[i] == b'-' {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() && i - s < 2 {
            i += 1;
        }
        let g = &b[s..i];
        let ok = match g.len() {
            1 => true,
            2 => g[0] <= b'5',
            _ => false,
        };
        if !ok {
            return false;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// The timestamp forms go-yaml recognises (through Go's `time.Parse`):
/// `2006-1-2`, `2006-1-2 15:4:5[.9]`, `2006-1-2T15:4:5[.9]Z07:00` (T or t).
pub fn is_go_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let mut p = Cursor { b, i: 5 };
    let year: u32 = s[..4].parse().unwrap_or(0);
    let Some(month) = p.num(1, 2) else {
        return false;
    };
    if !p.eat(b'-') {
        return false;
    }
    let Some(day) = p.num(1, 2) else { return false };
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return false;
    }
    if p.done() {
        return true;
    }
    let sep = b[p.i];
    let zoned = sep == b'T' || sep == b't';
    if !(zoned || sep == b' ') {
        return false;
    }
    p.i += 1;
    let Some(h) = p.num(1, 2) else { return false };
    if !p.eat(b':') {
        return false;
    }
    let Some(m) = p.num(1, 2) else { return false };
    if !p.eat(b':') {
        return false;
    }
    let Some(sec) = p.num(1, 2) else { return false };
    if h > 23 || m > 59 || sec > 59 {
        return false;
    }
    if (p.eat(b'.') || p.eat(b',')) && p.num(1, 9).is_none() {
        return false;
    }
    if !zoned {
        return p.done();
    }
    if p.eat(b'Z') {
        return p.done();
    }
    if !(p.eat(b'+') || p.eat(b'-')) {
        return false;
    }
    let (Some(zh), true, Some(zm)) = (p.fixed(2), p.eat(b':'), p.fixed(2)) else {
        return false;
    };
    zh <= 24 && zm <= 59 && p.done()
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn num(&mut self, min: usize, max: usize) -> Option<u32> {
        let s = self.i;
        while self.i < self.b.len() && self.b[self.i].is_ascii_digit() && self.i - s < max {
            self.i += 1;
        }
        if self.i - s < min {
            return None;
        }
        std::str::from_utf8(&self.b[s..self.i]).ok()?.parse().ok()
    }
    fn fixed(&mut self, n: usize) -> Option<u32> {
        let s = self.i;
        let v = self.num(n, n)?;
        (self.i - s == n).then_some(v)
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn done(&self) -> bool {
        self.i == self.b.len()
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

#[derive(Clone, Copy)]
struct Ctx {
    mapping: bool,
    simple_key: bool,
}

struct Analysis {
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

struct Emitter<'a> {
    out: &'a mut String,
    column: usize,
    indent: isize,
    indents: Vec<isize>,
    whitespace: bool,
    indention: bool,
    sources: Option<&'a SourceMap>,
    /// Mapping keys in go-yaml's sorted order (maps) or as given (structs).
    sort_keys: bool,
    pending_comment: Option<String>,
    breaks: usize,
    /// go-yaml v3's encoder (`write_document_v3`): indented sequences, floats unconverted.
    v3: bool,
    /// Where plain and quoted scalars fold (go-yaml v2: 80; v3: never).
    best_width: usize,
}

impl<'a> Emitter<'a> {
    fn node(&mut self, node: &Node, ctx: Ctx) {
        match &node.value {
            Value::Map(m) if !m.is_empty() => self.block_mapping(m),
            Value::Map(_) => {
                self.write_indicator("{", true, true, false);
                self.write_indicator("}", false, false, false);
            }
            Value::Seq(items) if !items.is_empty() => self.block_sequence(items, ctx),
            Value::Seq(_) => {
                self.write_indicator("[", true, true, false);
                self.write_indicator("]", false, false, false);
            }
            v => {
                let out = match v {
                    Value::Float(f) if self.v3 => Some(ScalarOut::Plain(format_go_float(*f))),
                    _ => scalar_out(v),
                };
                let (text, requested) = match out {
                    Some(ScalarOut::Plain(t)) => (t, Style::Plain),
                    Some(ScalarOut::Str(s)) => {
                        let style = if s.contains('\n') {
                            Style::Literal
                        } else if !v2_resolves_non_string(&s) && !is_base60_float(&s) {
                            Style::Plain
                        } else {
                            Style::Double
                        };
                        (s, style)
                    }
                    None => return,
                };
                let breaks_before = self.breaks;
                self.scalar(&text, requested, ctx);
                if let (Some(sources), Some(origin), false) =
                    (self.sources, node.origin, ctx.simple_key)
                {
                    if self.breaks == breaks_before {
                        self.pending_comment =
                            Some(format!("  # from: {}", sources.describe(origin)));
                    }
                }
            }
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn block_mapping(&mut self, m: &[(String, Node)]) {
        self.increase_indent(false, false);
        let entries = if self.sort_keys {
            sorted_entries(m)
        } else {
            m.iter().collect()
        };
        for (key, value) in entries {
            self.write_indent();
            let a = analyze(key);
            let simple = !a.multiline && key.len() <= 128;
            let key_node = Node::str(key.clone(), None);
            if simple {
                self.node(
                    &key_node,
                    Ctx {
                        mapping: true,
                        simple_key: true,
                    },
                );
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.node(
                    &key_node,
                    Ctx {
                        mapping: true,
                        simple_key: false,
                    },
                );
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.node(
                value,
                Ctx {
                    mapping: true,
                    simple_key: false,
                },
            );
        }
        self.pop_indent();
    }

    fn block_sequence(&mut self, items: &[Node], ctx: Ctx) {
        let indentless = ctx.mapping && !self.indention && !self.v3;
        self.increase_indent(false, indentless);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.node(
                item,
                Ctx {
                    mapping: false,
                    simple_key: false,
                },
            );
        }
        self.pop_indent();
    }

    fn scalar(&mut self, value: &str, requested: Style, ctx: Ctx) {
        let a = analyze(value);
        let mut style = requested;
        if ctx.simple_key && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain && (!a.block_plain_allowed || (value.is_empty() && ctx.simple_key))
        {
            style = Style::Single;
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block_allowed || ctx.simple_key) {
            style = Style::Double;
        }
        let _ = a.flow_plain_allowed;
        self.increase_indent(true, false);
        let allow_breaks = !ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(value, allow_breaks),
            Style::Single => self.write_single(value, allow_breaks),
            Style::Double => self.write_double(value, allow_breaks),
            Style::Literal => self.write_literal(value),
        }
        self.pop_indent();
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        if let Some(comment) = self.pending_comment.take() {
            self.out.push_str(&comment);
        }
        self.breaks += 1;
        self.out.push('\n');
        self.column = 0;
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in indicator.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn write_plain(&mut self, value: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let chars: Vec<char> = value.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
            i += 1;
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn write_single(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = value.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && i > 0
                    && i < chars.len() - 1
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let starts_with_bom = value.starts_with('\u{FEFF}');
        let chars: Vec<char> = value.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || starts_with_bom || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    _ => {
                        let v = c as u32;
                        let (ind, width) = if v <= 0xFF {
                            ('x', 2)
                        } else if v <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(ind);
                        for k in (0..width).rev() {
                            let digit = (v >> (k * 4)) & 0xF;
                            self.put(
                                char::from_digit(digit, 16)
                                    .unwrap_or('0')
                                    .to_ascii_uppercase(),
                            );
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && i > 0
                    && i < chars.len() - 1
                {
                    self.write_indent();
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        // Block scalar hints.
        let first = value.chars().next();
        if first.is_some_and(|c| c == ' ' || is_break(c)) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let mut rev = value.chars().rev();
        let chomp = match rev.next() {
            None => Some("-"),
            Some(last) if !is_break(last) => Some("-"),
            Some(_) => match rev.next() {
                None => Some("+"),
                Some(prev) if is_break(prev) => Some("+"),
                Some(_) => None,
            },
        };
        if let Some(h) = chomp {
            self.write_indicator(h, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in value.chars() {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// libyaml's `is_printable` (with unicode output enabled): note that it rejects NEL and
/// everything beyond the Basic Multilingual Plane, which therefore comes out escaped.
fn is_printable(c: char) -> bool {
    let v = c as u32;
    v == 0x0A
        || (0x20..=0x7E).contains(&v)
        || (0xA0..=0xD7FF).contains(&v)
        || ((0xE000..=0xFFFD).contains(&v) && v != 0xFEFF)
}

fn analyze(value: &str) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            flow_plain_allowed: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = false;
    let mut flow_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;

    if value.starts_with("---") || value.starts_with("...") {
        block_indicators = true;
        flow_indicators = true;
    }
    // Every scalar toYaml writes is analysed: walked in place, not collected into characters.
    let mut preceded_by_whitespace = true;
    let mut chars = value.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let followed_by_whitespace = next.is_none_or(|n| n == ' ' || n == '\t' || is_break(n));
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                '?' | ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '-' if followed_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        } else {
            match c {
                ',' | '?' | '[' | ']' | '{' | '}' => flow_indicators = true,
                ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '#' if preceded_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        }
        // libyaml's is_printable excludes a BOM and the byte patterns above; tabs are special.
        if !is_printable(c) {
            special_characters = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if next.is_none() {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if next.is_none() {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = c == ' ' || c == '\t' || is_break(c) || c == '\0';
    }
    let mut a = Analysis {
        multiline: line_breaks,
        flow_plain_allowed: true,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if flow_indicators {
        a.flow_plain_allowed = false;
    }
    if block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

#[cfg(test)]
mod tests {
    use super::{chars_less, format_go_float32, key_less, v2_resolves_non_string};

    proptest::proptest! {
        /// ASCII keys compared as bytes order as they do compared as characters.
        #[test]
        fn ascii_keys_order_as_characters(a in "[0a-c1-9_.A/-]{0,6}", b in "[0a-c1-9_.A/-]{0,6}") {
            let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            proptest::prop_assert_eq!(key_less(&a, &b), chars_less(&ac, &bc));
        }
    }

    #[test]
    fn keys_order_as_go_yaml_v2() {
        assert!(key_less("a2", "a10"));
        assert!(key_less("a09", "a10"));
        assert!(key_less("_x", "ax"));
        assert!(key_less("é1", "é2"));
        assert!(!key_less("b", "a"));
    }

    #[test]
    fn floats_format_as_go_float32() {
        assert_eq!(format_go_float32(1.5), "1.5");
        assert_eq!(format_go_float32(1.234_567_89), "1.2345679");
        assert_eq!(format_go_float32(1_000_000.0), "1e+06");
        assert_eq!(format_go_float32(123_456.0), "123456");
        assert_eq!(format_go_float32(0.000_01), "1e-05");
        assert_eq!(format_go_float32(0.1), "0.1");
        assert_eq!(format_go_float32(f64::INFINITY), "+Inf");
    }

    #[test]
    fn yaml_11_words_are_quoted() {
        for s in [
            "null",
            "Null",
            "NULL",
            "~",
            "",
            "yes",
            "off",
            "y",
            "123",
            "0x1F",
            "1e3",
            "2024-01-02",
            ".5",
        ] {
            assert!(v2_resolves_non_string(s), "{s:?} must be quoted");
        }
        for s in ["nulls", "hello", "1.2.3", "v1", "-"] {
            assert!(!v2_resolves_non_string(s), "{s:?} must stay plain");
        }
    }
}
