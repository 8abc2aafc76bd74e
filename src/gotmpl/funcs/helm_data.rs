//! Helm's data functions (`pkg/engine/funcs.go`) and Sprig's JSON ones: `toYaml`,
//! `toYamlPretty`, `fromYaml`, `fromYamlArray`, `toJson`, `fromJson`, `fromJsonArray`,
//! `toToml`, `fromToml`, `toPrettyJson`, `toRawJson`, `mustToJson`, `mustToPrettyJson`,
//! `mustToRawJson`, `mustFromJson`.
//!
//! The conversions follow the Go libraries Helm uses, byte for byte:
//! - JSON out is `encoding/json.Marshal` ([`go_json`]): keys sorted, `<`, `>`, `&`, U+2028 and
//!   U+2029 escaped, floats in Go's JSON form (`1e+21`, `1e-7`, integers without `.0`),
//!   `[]byte` as base64.
//! - YAML out is `sigs.k8s.io/yaml.Marshal`: JSON, then go-yaml v2 (kit's
//!   [`crate::emit::goyaml`] emitter: keys sorted, YAML 1.1 quoting, long strings folded).
//! - YAML in is `sigs.k8s.io/yaml.Unmarshal` ([`from_yaml_text`]): go-yaml v2's YAML 1.1
//!   typing (`yes`/`on`/`y` are booleans, `0777` octal, `1_000` an int), then a JSON round
//!   trip, so every number is a float64 and every key a string (`true`, `1`, `1.5`). Helm
//!   reads values files (`values.yaml`, `-f`) the same way, so the chart loader uses it too.
//! - JSON in is `encoding/json.Unmarshal` into `interface{}` ([`parse_go_json`]), with Go's
//!   error messages.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::rc::Rc;

use base64::Engine as _;
use saphyr_parser::{Event, Parser, ScalarStyle};

use super::{Env, Func, Ty};
use crate::gotmpl::fmt::format_float;
use crate::gotmpl::{FuncError, Value};

pub const FUNCS: &[Func] = &[
    Func {
        name: "toYaml",
        params: &[Ty::Any],
        variadic: None,
        doc: "The value as YAML (sigs.k8s.io/yaml: keys sorted, YAML 1.1 quoting), without the final newline; empty when it cannot be encoded.",
        imp: to_yaml,
    },
    Func {
        name: "toYamlPretty",
        params: &[Ty::Any],
        variadic: None,
        doc: "The value as YAML from go-yaml v3 with indent 2 (lists indented under their key), without the final newline.",
        imp: to_yaml_pretty,
    },
    Func {
        name: "fromYaml",
        params: &[Ty::Str],
        variadic: None,
        doc: "Parses a YAML mapping into a dict (numbers become float64); on error the dict {\"Error\": message}.",
        imp: from_yaml,
    },
    Func {
        name: "fromYamlArray",
        params: &[Ty::Str],
        variadic: None,
        doc: "Parses a YAML sequence into a list; on error a list holding the message.",
        imp: from_yaml_array,
    },
    Func {
        name: "toJson",
        params: &[Ty::Any],
        variadic: None,
        doc: "The value as JSON (encoding/json: keys sorted, HTML characters escaped); empty when it cannot be encoded.",
        imp: to_json,
    },
    Func {
        name: "fromJson",
        params: &[Ty::Str],
        variadic: None,
        doc: "Parses a JSON object into a dict; on error the dict {\"Error\": message}.",
        imp: from_json,
    },
    Func {
        name: "fromJsonArray",
        params: &[Ty::Str],
        variadic: None,
        doc: "Parses a JSON array into a list; on error a list holding the message.",
        imp: from_json_array,
    },
    Func {
        name: "mustFromJson",
        params: &[Ty::Str],
        variadic: None,
        doc: "Parses any JSON value (Sprig); a parse error is an error.",
        imp: must_from_json,
    },
    Func {
        name: "toPrettyJson",
        params: &[Ty::Any],
        variadic: None,
        doc: "The value as JSON indented by two spaces; empty when it cannot be encoded.",
        imp: to_pretty_json,
    },
    Func {
        name: "toRawJson",
        params: &[Ty::Any],
        variadic: None,
        doc: "The value as JSON without escaping HTML characters; an encoding error is an error.",
        imp: to_raw_json,
    },
    Func {
        name: "mustToJson",
        params: &[Ty::Any],
        variadic: None,
        doc: "Like toJson, but an encoding error is an error.",
        imp: must_to_json,
    },
    Func {
        name: "mustToPrettyJson",
        params: &[Ty::Any],
        variadic: None,
        doc: "Like toPrettyJson, but an encoding error is an error.",
        imp: must_to_pretty_json,
    },
    Func {
        name: "mustToRawJson",
        params: &[Ty::Any],
        variadic: None,
        doc: "Like toRawJson (an encoding error is an error).",
        imp: to_raw_json,
    },
    Func {
        name: "toToml",
        params: &[Ty::Any],
        variadic: None,
        doc: "The value as TOML (BurntSushi/toml's encoder: plain keys before tables, keys sorted); the error's text when it cannot be encoded.",
        imp: to_toml,
    },
    Func {
        name: "fromToml",
        params: &[Ty::Str],
        variadic: None,
        doc: "Parses a TOML document into a dict (integers int64, floats float64); on error the dict {\"Error\": message}.",
        imp: from_toml,
    },
];

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or_default()
}

fn str_arg(args: &[Value], i: usize) -> Rc<str> {
    match args.get(i) {
        Some(Value::Str(s)) => s.clone(),
        _ => Rc::from(""),
    }
}

fn charged(env: &mut dyn Env, s: String) -> Result<Value, FuncError> {
    env.charge(s.len())?;
    Ok(Value::from(s))
}

/// How deep a value may nest before encoding refuses it (Go's encoder reports a cycle past
/// this depth; a map set into itself is one).
const MAX_DEPTH: usize = 1000;

// ---------------------------------------------------------------------------------------
// JSON out

/// How [`go_json`] writes.
#[derive(Clone, Copy)]
pub struct JsonStyle {
    /// Escape `<`, `>` and `&` (`json.Marshal`; `SetEscapeHTML(false)` turns it off).
    pub escape_html: bool,
    /// `MarshalIndent(v, "", indent)`.
    pub indent: Option<&'static str>,
}

impl JsonStyle {
    pub const MARSHAL: JsonStyle = JsonStyle {
        escape_html: true,
        indent: None,
    };
}

/// Go's `encoding/json` encoding of a value, or its error text
/// (`json: unsupported value: NaN`).
pub fn go_json(v: &Value, style: JsonStyle) -> Result<String, String> {
    let mut out = String::new();
    write_json(v, style, 0, &mut out)?;
    Ok(out)
}

/// Go's float64 in JSON: shortest digits, exponent form below 1e-6 and from 1e21 on.
pub fn go_json_float(f: f64) -> Result<String, String> {
    if !f.is_finite() {
        return Err(format!(
            "json: unsupported value: {}",
            crate::gotmpl::fmt::format_float_g(f)
        ));
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = format_float(f, 'e', -1);
        // Go cleans up e-09 to e-9.
        if let Some(p) = s.find("e-0") {
            return Ok(format!("{}e-{}", &s[..p], &s[p + 3..]));
        }
        return Ok(s);
    }
    Ok(format_float(f, 'f', -1))
}

fn json_string(s: &str, escape_html: bool, out: &mut String) {
    if escape_html {
        crate::emit::write_go_json_string(s, out);
        return;
    }
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn newline(style: JsonStyle, depth: usize, out: &mut String) {
    if let Some(ind) = style.indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(ind);
        }
    }
}

fn write_json(v: &Value, style: JsonStyle, depth: usize, out: &mut String) -> Result<(), String> {
    if out.len() > crate::gotmpl::fmt::MAX_PRINT_BYTES {
        return Err("json: value too large to encode".into());
    }
    if depth > MAX_DEPTH {
        return Err(format!(
            "json: unsupported value: encountered a cycle via {}",
            v.type_name()
        ));
    }
    match v {
        Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) | Value::Int64(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&go_json_float(*f)?),
        Value::Str(s) => json_string(s, style.escape_html, out),
        Value::Bytes(b) => {
            out.push('"');
            out.push_str(&base64::engine::general_purpose::STANDARD.encode(b));
            out.push('"');
        }
        Value::List(_, kind) if kind.is_nil() => out.push_str("null"),
        Value::List(items, _) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(style, depth + 1, out);
                write_json(x, style, depth + 1, out)?;
            }
            if !items.is_empty() {
                newline(style, depth, out);
            }
            out.push(']');
        }
        Value::Map(m, _) => {
            let m = m.borrow();
            let members = m.iter().map(|(k, x)| (k.as_str(), x));
            write_json_object(members, style, depth, out)?;
        }
        Value::Object(o) => match o.json_fields() {
            Some(fields) => {
                let members = fields.iter().map(|(k, x)| (*k, x));
                write_json_object(members, style, depth, out)?;
            }
            None => write_json(&o.to_data(), style, depth + 1, out)?,
        },
    }
    Ok(())
}

fn write_json_object<'a>(
    members: impl Iterator<Item = (&'a str, &'a Value)>,
    style: JsonStyle,
    depth: usize,
    out: &mut String,
) -> Result<(), String> {
    out.push('{');
    let mut empty = true;
    for (k, x) in members {
        if !empty {
            out.push(',');
        }
        empty = false;
        newline(style, depth + 1, out);
        json_string(k, style.escape_html, out);
        out.push(':');
        if style.indent.is_some() {
            out.push(' ');
        }
        write_json(x, style, depth + 1, out)?;
    }
    if !empty {
        newline(style, depth, out);
    }
    out.push('}');
    Ok(())
}

fn to_json(env: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    charged(
        env,
        go_json(&arg(&args, 0), JsonStyle::MARSHAL).unwrap_or_default(),
    )
}

fn must_to_json(env: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let s = go_json(&arg(&args, 0), JsonStyle::MARSHAL).map_err(FuncError::new)?;
    charged(env, s)
}

const PRETTY: JsonStyle = JsonStyle {
    escape_html: true,
    indent: Some("  "),
};

fn to_pretty_json(env: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    charged(env, go_json(&arg(&args, 0), PRETTY).unwrap_or_default())
}

fn must_to_pretty_json(env: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let s = go_json(&arg(&args, 0), PRETTY).map_err(FuncError::new)?;
    charged(env, s)
}

fn to_raw_json(env: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let style = JsonStyle {
        escape_html: false,
        indent: None,
    };
    let s = go_json(&arg(&args, 0), style).map_err(FuncError::new)?;
    charged(env, s)
}

// ---------------------------------------------------------------------------------------
// YAML out

/// A value as the JSON round trip of `sigs.k8s.io/yaml` presents it to go-yaml: a kit
/// [`crate::model::Node`] (floats stay floats: the emitter prints an integral one as an int,
/// as go-yaml reads the JSON number back).
pub fn value_to_node(v: &Value) -> Result<crate::model::Node, String> {
    let mut nodes = 0;
    to_node(v, 0, &mut nodes)
}

/// How many nodes a value may have for `toYaml` (lists sharing a list many times over can
/// describe more than memory holds).
const MAX_NODES: usize = 10_000_000;

fn to_node(v: &Value, depth: usize, nodes: &mut usize) -> Result<crate::model::Node, String> {
    use crate::model::{Node, Value as N};
    *nodes += 1;
    if *nodes > MAX_NODES {
        return Err("json: value too large to encode".into());
    }
    if depth > MAX_DEPTH {
        return Err(format!(
            "json: unsupported value: encountered a cycle via {}",
            v.type_name()
        ));
    }
    let value = match v {
        Value::Nil => N::Null,
        Value::Bool(b) => N::Bool(*b),
        Value::Int(i) | Value::Int64(i) => N::Int(*i),
        Value::Float(f) => {
            go_json_float(*f)?;
            N::Float(*f)
        }
        Value::Str(s) => N::Str(s.to_string()),
        Value::Bytes(b) => N::Str(base64::engine::general_purpose::STANDARD.encode(b)),
        Value::List(_, kind) if kind.is_nil() => N::Null,
        Value::List(items, _) => N::Seq(
            items
                .iter()
                .map(|x| to_node(x, depth + 1, nodes))
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(m, _) => N::Map(
            m.borrow()
                .iter()
                .map(|(k, x)| Ok((k.clone(), to_node(x, depth + 1, nodes)?)))
                .collect::<Result<_, String>>()?,
        ),
        Value::Object(o) => return to_node(&o.to_data(), depth + 1, nodes),
    };
    Ok(Node::new(value, None))
}

/// Helm's `toYaml`: `sigs.k8s.io/yaml.Marshal` without the final newline ("" on error).
pub fn to_yaml_string(v: &Value) -> String {
    let Ok(node) = value_to_node(v) else {
        return String::new();
    };
    let mut out = String::new();
    crate::emit::goyaml::write_document(&node, &mut out);
    if out.ends_with('\n') {
        out.pop();
    }
    out
}

fn to_yaml(env: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    charged(env, to_yaml_string(&arg(&args, 0)))
}

fn to_yaml_pretty(env: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    charged(env, to_yaml_pretty_string(&arg(&args, 0)))
}

/// Helm's `toYamlPretty`: go-yaml v3's encoder with indent 2, without the final newline.
pub fn to_yaml_pretty_string(v: &Value) -> String {
    let Ok(node) = value_to_node(v) else {
        return String::new();
    };
    let mut out = String::new();
    crate::emit::goyaml::write_document_v3(&node, &mut out);
    if out.ends_with('\n') {
        out.pop();
    }
    out
}

// ---------------------------------------------------------------------------------------
// YAML in

mod block_yaml;

/// What the fast block-YAML reader and the full parser read from `text` (Go's `%#v`-like
/// debug text of each), when the fast reader reads it: for the test that compares them.
#[doc(hidden)]
pub fn yaml_readers_compared(text: &str) -> Option<(String, String)> {
    let fast = block_yaml::read(text)?;
    let full = read_yaml_fully(text);
    Some((format!("{:?}", Ok::<_, String>(fast)), format!("{full:?}")))
}

/// A YAML value as go-yaml v2 decodes it into `interface{}`.
#[derive(Clone, Debug)]
enum Y {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Y>),
    Map(Vec<(Y, Y)>),
}

/// How many nodes aliases may add to one document before it is refused.
const MAX_ALIAS_NODES: usize = 100_000;
/// How deep a YAML document may nest.
const MAX_YAML_DEPTH: usize = 512;

struct YamlReader<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    anchors: HashMap<usize, Y>,
    expanded: usize,
    depth: usize,
}

fn y_size(y: &Y) -> usize {
    match y {
        Y::Seq(items) => 1 + items.iter().map(y_size).sum::<usize>(),
        Y::Map(entries) => {
            1 + entries
                .iter()
                .map(|(k, v)| y_size(k) + y_size(v))
                .sum::<usize>()
        }
        _ => 1,
    }
}

impl<'a> YamlReader<'a> {
    fn next(&mut self) -> Result<(Event<'a>, usize), String> {
        match self.parser.next_event() {
            Some(Ok((ev, span))) => Ok((ev, span.start.line())),
            Some(Err(e)) => Err(format!("yaml: line {}: {}", e.marker().line(), e.info())),
            None => Ok((Event::StreamEnd, 0)),
        }
    }

    fn node(&mut self, ev: Event<'a>, line: usize) -> Result<Y, String> {
        self.depth += 1;
        if self.depth > MAX_YAML_DEPTH {
            return Err(format!(
                "yaml: line {line}: exceeded max depth of {MAX_YAML_DEPTH}"
            ));
        }
        let r = self.node_inner(ev, line);
        self.depth -= 1;
        r
    }

    fn node_inner(&mut self, ev: Event<'a>, line: usize) -> Result<Y, String> {
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let y = match tag.as_deref() {
                    None => resolve_v2(&text, style, None),
                    Some(tag) => resolve_tagged(&text, style, tag)?,
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, y.clone());
                }
                Ok(y)
            }
            Event::Alias(id) => {
                let y = self
                    .anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| format!("yaml: line {line}: unknown anchor referenced"))?;
                self.expanded += y_size(&y);
                if self.expanded > MAX_ALIAS_NODES {
                    return Err("yaml: document contains excessive aliasing".to_string());
                }
                Ok(y)
            }
            Event::SequenceStart(anchor, _) => {
                let mut items = Vec::new();
                loop {
                    let (ev, l) = self.next()?;
                    if matches!(ev, Event::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(ev, l)?);
                }
                let y = Y::Seq(items);
                if anchor > 0 {
                    self.anchors.insert(anchor, y.clone());
                }
                Ok(y)
            }
            Event::MappingStart(anchor, _) => {
                let mut entries: Vec<(Y, Y)> = Vec::new();
                loop {
                    let (ev, l) = self.next()?;
                    if matches!(ev, Event::MappingEnd) {
                        break;
                    }
                    let is_merge =
                        matches!(&ev, Event::Scalar(t, ScalarStyle::Plain, _, None) if t == "<<");
                    let key = self.node(ev, l)?;
                    let (ev, l2) = self.next()?;
                    let value = self.node(ev, l2)?;
                    if is_merge {
                        // go-yaml v2: the merged keys are set where `<<` stands; a list of
                        // maps merges from its last to its first (so the first wins).
                        let sources = match value {
                            Y::Map(m) => vec![m],
                            Y::Seq(items) => {
                                let mut maps = Vec::new();
                                for item in items.into_iter().rev() {
                                    match item {
                                        Y::Map(m) => maps.push(m),
                                        _ => {
                                            return Err(format!(
                                                "yaml: line {l2}: map merge requires map or sequence of maps as the value"
                                            ))
                                        }
                                    }
                                }
                                maps
                            }
                            _ => {
                                return Err(format!(
                                    "yaml: line {l2}: map merge requires map or sequence of maps as the value"
                                ))
                            }
                        };
                        for m in sources {
                            for (k, v) in m {
                                set_entry(&mut entries, k, v);
                            }
                        }
                        continue;
                    }
                    if matches!(key, Y::Seq(_) | Y::Map(_)) {
                        return Err(format!("yaml: line {l}: invalid map key"));
                    }
                    set_entry(&mut entries, key, value);
                }
                let y = Y::Map(entries);
                if anchor > 0 {
                    self.anchors.insert(anchor, y.clone());
                }
                Ok(y)
            }
            _ => Ok(Y::Null),
        }
    }
}

fn y_key_eq(a: &Y, b: &Y) -> bool {
    match (a, b) {
        (Y::Null, Y::Null) => true,
        (Y::Bool(x), Y::Bool(y)) => x == y,
        (Y::Int(x), Y::Int(y)) => x == y,
        (Y::Uint(x), Y::Uint(y)) => x == y,
        (Y::Float(x), Y::Float(y)) => x == y,
        (Y::Str(x), Y::Str(y)) => x == y,
        _ => false,
    }
}

fn set_entry(entries: &mut Vec<(Y, Y)>, k: Y, v: Y) {
    if let Some(slot) = entries.iter_mut().find(|(ek, _)| y_key_eq(ek, &k)) {
        slot.1 = v;
    } else {
        entries.push((k, v));
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)` / `ParseUint(s, 0, 64)` (underscores already removed).
fn go_parse_int_base0(s: &str) -> Option<Y> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) = if let Some(d) = body.strip_prefix("0x").or(body.strip_prefix("0X")) {
        (16, d)
    } else if let Some(d) = body.strip_prefix("0b").or(body.strip_prefix("0B")) {
        (2, d)
    } else if let Some(d) = body.strip_prefix("0o").or(body.strip_prefix("0O")) {
        (8, d)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let mag = u64::from_str_radix(digits, radix).ok()?;
    if neg {
        if mag <= i64::MAX as u64 + 1 {
            return Some(Y::Int((mag as i128).wrapping_neg() as i64));
        }
        return None;
    }
    match i64::try_from(mag) {
        Ok(i) => Some(Y::Int(i)),
        // ParseUint rejects a sign.
        Err(_) if !s.starts_with('+') => Some(Y::Uint(mag)),
        Err(_) => None,
    }
}

/// go-yaml v2's `resolve` for a scalar (YAML 1.1): what a plain scalar means; quoted and
/// block scalars are strings.
fn resolve_v2(text: &str, style: ScalarStyle, tag: Option<&str>) -> Y {
    match tag {
        Some("str") => return Y::Str(text.to_string()),
        Some("binary") => {
            let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            if let Ok(b) = base64::engine::general_purpose::STANDARD.decode(clean) {
                return Y::Str(String::from_utf8_lossy(&b).into_owned());
            }
            return Y::Str(text.to_string());
        }
        _ => {}
    }
    if style != ScalarStyle::Plain && !matches!(tag, Some("int" | "float" | "bool" | "null")) {
        return Y::Str(text.to_string());
    }
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            return Y::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            return Y::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => return Y::Null,
        ".nan" | ".NaN" | ".NAN" => return Y::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Y::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Y::Float(f64::NEG_INFINITY),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if first == b'.' {
        if crate::emit::goyaml::is_yaml_style_float(text) {
            if let Some(f) = text.parse::<f64>().ok().filter(|f| f.is_finite()) {
                return Y::Float(f);
            }
        }
        return Y::Str(text.to_string());
    }
    if !(first.is_ascii_digit() || first == b'+' || first == b'-') {
        return Y::Str(text.to_string());
    }
    // A timestamp decoded into interface{} stays its text (go-yaml v2's compatibility rule).
    if crate::emit::goyaml::is_go_timestamp(text) {
        return Y::Str(text.to_string());
    }
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    if let Some(y) = go_parse_int_base0(&plain) {
        return y;
    }
    if crate::emit::goyaml::is_yaml_style_float(&plain) {
        // Out of float64's range (1e400) is a string: Go's ParseFloat fails on it.
        if let Some(f) = plain.parse::<f64>().ok().filter(|f| f.is_finite()) {
            return Y::Float(f);
        }
    }
    if let Some(b) = plain.strip_prefix("-0b") {
        if let Ok(i) = i64::from_str_radix(&format!("-{b}"), 2) {
            return Y::Int(i);
        }
    }
    Y::Str(text.to_string())
}

/// What go-yaml v2 makes of a plain scalar's text, as a value of kit's model: how
/// sigs.k8s.io/yaml reads a kustomization's `valuesInline` (`yes` is true, `0777` is 511).
pub fn plain_scalar_v2(text: &str) -> crate::model::Value {
    use crate::model::Value as V;
    match resolve_v2(text, ScalarStyle::Plain, None) {
        Y::Null => V::Null,
        Y::Bool(b) => V::Bool(b),
        Y::Int(i) => V::Int(i),
        Y::Uint(u) => V::UInt(u),
        Y::Float(f) => V::Float(f),
        Y::Str(s) => V::Str(s),
        // A plain scalar resolves to a scalar.
        Y::Seq(_) | Y::Map(_) => V::Str(text.to_string()),
    }
}

/// go-yaml v2's reading of a scalar with an explicit tag: a tag it cannot resolve (`!x`,
/// `!!set`) keeps the text; `!!str`, `!!binary` and `!!timestamp` read it as such; `!!int`,
/// `!!float`, `!!bool` and `!!null` must agree with what the text is (an int is also a
/// float), else go-yaml's error.
fn resolve_tagged(text: &str, style: ScalarStyle, tag: &saphyr_parser::Tag) -> Result<Y, String> {
    const CORE: &str = "tag:yaml.org,2002:";
    let core = match tag.handle.as_str() {
        "!!" | CORE => Some(tag.suffix.as_str()),
        "" => tag.suffix.strip_prefix(CORE),
        _ => None,
    };
    let want = match core {
        Some(t @ ("int" | "float" | "bool" | "null")) => t,
        Some(t @ ("str" | "binary" | "timestamp")) => return Ok(resolve_v2(text, style, Some(t))),
        _ => return Ok(Y::Str(text.to_string())),
    };
    let y = resolve_v2(text, ScalarStyle::Plain, None);
    let got = match &y {
        Y::Null => "null",
        Y::Bool(_) => "bool",
        Y::Int(_) | Y::Uint(_) => "int",
        Y::Float(_) => "float",
        _ => "str",
    };
    match (want, y) {
        ("float", Y::Int(i)) => Ok(Y::Float(i as f64)),
        ("float", Y::Uint(u)) => Ok(Y::Float(u as f64)),
        (want, y) if want == got => Ok(y),
        _ => Err(format!(
            "yaml: cannot decode !!{got} `{text}` as a !!{want}"
        )),
    }
}

/// Reads the first YAML document of `text` as go-yaml v2 does (`None` for an empty stream).
fn read_yaml(text: &str) -> Result<Y, String> {
    if let Some(y) = block_yaml::read(text) {
        return Ok(y);
    }
    read_yaml_fully(text)
}

/// [`read_yaml`] with the full YAML parser.
fn read_yaml_fully(text: &str) -> Result<Y, String> {
    let mut r = YamlReader {
        parser: Parser::new_from_str(text),
        anchors: HashMap::new(),
        expanded: 0,
        depth: 0,
    };
    loop {
        let (ev, line) = r.next()?;
        match ev {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => {}
            Event::StreamEnd | Event::DocumentEnd => return Ok(Y::Null),
            other => return r.node(other, line),
        }
    }
}

/// `%+#v` of a key or value in sigs.k8s.io/yaml's "Unsupported map key" message.
fn y_go_syntax(y: &Y) -> String {
    match y {
        Y::Null => "<nil>".into(),
        Y::Bool(b) => b.to_string(),
        Y::Int(i) => i.to_string(),
        Y::Uint(u) => format!("0x{u:x}"),
        Y::Float(f) => format_float(*f, 'g', -1),
        Y::Str(s) => crate::gotmpl::fmt::go_quote(s, false),
        Y::Seq(_) => "[]interface {}{...}".into(),
        Y::Map(_) => "map[interface {}]interface {}{...}".into(),
    }
}

fn y_type(y: &Y) -> &'static str {
    match y {
        Y::Null => "%!s(<nil>)",
        Y::Uint(_) => "uint64",
        Y::Seq(_) => "[]interface {}",
        Y::Map(_) => "map[interface {}]interface {}",
        _ => "string",
    }
}

/// sigs.k8s.io/yaml's `convertToJSONableObject` and the JSON round trip: keys become strings,
/// numbers float64.
fn y_to_json_value(y: Y) -> Result<Value, String> {
    Ok(match y {
        Y::Null => Value::Nil,
        Y::Bool(b) => Value::Bool(b),
        Y::Int(i) => Value::Float(i as f64),
        Y::Uint(u) => Value::Float(u as f64),
        Y::Float(f) => {
            go_json_float(f)?;
            Value::Float(f)
        }
        Y::Str(s) => Value::from(s),
        Y::Seq(items) => Value::from(
            items
                .into_iter()
                .map(y_to_json_value)
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Y::Map(entries) => {
            let mut m = BTreeMap::new();
            for (k, v) in entries {
                let key = json_key(&k, &v)?;
                m.insert(key, y_to_json_value(v)?);
            }
            Value::from(m)
        }
    })
}

/// The string sigs.k8s.io/yaml makes of a map key (`Unsupported map key` for others).
fn json_key(k: &Y, v: &Y) -> Result<String, String> {
    Ok(match k {
        Y::Str(s) => s.clone(),
        Y::Int(i) => i.to_string(),
        Y::Bool(b) => b.to_string(),
        Y::Float(f) => match crate::emit::goyaml::format_go_float32(*f).as_str() {
            "+Inf" => ".inf".into(),
            "-Inf" => "-.inf".into(),
            "NaN" => ".nan".into(),
            s => s.to_string(),
        },
        other => {
            return Err(format!(
                "Unsupported map key of type: {}, key: {}, value: {}",
                y_type(other),
                y_go_syntax(other),
                y_go_syntax(v)
            ))
        }
    })
}

/// The Go type of a field of Helm's `chart.Metadata`, as far as sigs.k8s.io/yaml looks at it:
/// a string field takes the text of a number or bool (`appVersion: 1.0` is `"1"`).
#[derive(Clone, Copy)]
enum GoField {
    Str,
    Strs,
    StrMap,
    Structs(&'static [(&'static str, GoField)]),
    Any,
}

const MAINTAINER_FIELDS: &[(&str, GoField)] = &[
    ("name", GoField::Str),
    ("email", GoField::Str),
    ("url", GoField::Str),
];

const DEPENDENCY_FIELDS: &[(&str, GoField)] = &[
    ("name", GoField::Str),
    ("version", GoField::Str),
    ("repository", GoField::Str),
    ("condition", GoField::Str),
    ("tags", GoField::Strs),
    ("enabled", GoField::Any),
    ("import-values", GoField::Any),
    ("alias", GoField::Str),
];

/// `chart.Metadata`'s fields by JSON name, with what sigs.k8s.io/yaml coerces them to (`Any`:
/// bools and `interface{}`s, read as they are).
const METADATA_FIELDS: &[(&str, GoField)] = &[
    ("name", GoField::Str),
    ("home", GoField::Str),
    ("sources", GoField::Strs),
    ("version", GoField::Str),
    ("description", GoField::Str),
    ("keywords", GoField::Strs),
    ("maintainers", GoField::Structs(MAINTAINER_FIELDS)),
    ("icon", GoField::Str),
    ("apiVersion", GoField::Str),
    ("condition", GoField::Str),
    ("tags", GoField::Str),
    ("appVersion", GoField::Str),
    ("deprecated", GoField::Any),
    ("annotations", GoField::StrMap),
    ("kubeVersion", GoField::Str),
    ("dependencies", GoField::Structs(DEPENDENCY_FIELDS)),
    ("type", GoField::Str),
];

/// `y` as JSON for a Go field of type `field`: sigs.k8s.io/yaml's `convertToJSONableObject`
/// with a target (numbers keep their YAML type; a string target takes a scalar's text).
fn y_to_typed_json(y: Y, field: GoField) -> Result<serde_json::Value, String> {
    use serde_json::Value as J;
    Ok(match (y, field) {
        (Y::Int(i), GoField::Str) => J::from(i.to_string()),
        (Y::Uint(u), GoField::Str) => J::from(u.to_string()),
        (Y::Float(f), GoField::Str) => J::from(crate::emit::goyaml::format_go_float32(f)),
        (Y::Bool(b), GoField::Str) => J::from(b.to_string()),
        (Y::Seq(items), GoField::Strs) => items
            .into_iter()
            .map(|y| y_to_typed_json(y, GoField::Str))
            .collect::<Result<_, _>>()?,
        (Y::Seq(items), GoField::Structs(fields)) => items
            .into_iter()
            .map(|item| match item {
                Y::Map(entries) => typed_struct_json(entries, fields).map(J::Object),
                other => y_to_typed_json(other, GoField::Any),
            })
            .collect::<Result<_, _>>()?,
        (Y::Map(entries), GoField::StrMap) => {
            let mut m = serde_json::Map::new();
            for (k, v) in entries {
                let key = json_key(&k, &v)?;
                m.insert(key, y_to_typed_json(v, GoField::Str)?);
            }
            J::Object(m)
        }
        (Y::Null, _) => J::Null,
        (Y::Bool(b), _) => J::from(b),
        (Y::Int(i), _) => J::from(i),
        (Y::Uint(u), _) => J::from(u),
        (Y::Float(f), _) => serde_json::Number::from_f64(f).map_or(J::Null, J::Number),
        (Y::Str(s), _) => J::from(s),
        (Y::Seq(items), _) => items
            .into_iter()
            .map(|y| y_to_typed_json(y, GoField::Any))
            .collect::<Result<_, _>>()?,
        (Y::Map(entries), _) => J::Object(typed_struct_json(entries, &[])?),
    })
}

fn typed_struct_json(
    entries: Vec<(Y, Y)>,
    fields: &[(&str, GoField)],
) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    let mut m = serde_json::Map::new();
    // encoding/json matches a key to a field ignoring case, and reads the keys in sorted order
    // (they come from a Go map): of two spellings of one field, the last in that order wins.
    let mut spelled_as: HashMap<&str, String> = HashMap::new();
    for (k, v) in entries {
        let key = json_key(&k, &v)?;
        let matched = fields.iter().find(|(name, _)| *name == key).or_else(|| {
            fields
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(&key))
        });
        let Some((name, field)) = matched else {
            m.insert(key, y_to_typed_json(v, GoField::Any)?);
            continue;
        };
        if spelled_as.get(name).is_some_and(|earlier| *earlier > key) {
            continue;
        }
        m.insert(name.to_string(), y_to_typed_json(v, *field)?);
        spelled_as.insert(name, key);
    }
    Ok(m)
}

/// Chart.yaml as Helm reads it into `chart.Metadata` (sigs.k8s.io/yaml over go-yaml v2):
/// YAML 1.1 scalars (`yes`, `on`, `0777`), and string fields holding the text Go makes of a
/// number or bool (`appVersion: 1.0` is `"1"`, `x: y` is `"true"`). Keys other than
/// Metadata's stay as they are. `None` when the document is not a mapping.
pub fn chart_metadata_json(
    text: &str,
) -> Result<Option<serde_json::Map<String, serde_json::Value>>, String> {
    match read_yaml(text).map_err(|e| format!("error converting YAML to JSON: {e}"))? {
        Y::Map(entries) => typed_struct_json(entries, METADATA_FIELDS).map(Some),
        _ => Ok(None),
    }
}

/// `sigs.k8s.io/yaml.Unmarshal` of `text` into an `interface{}`: the first document, typed by
/// go-yaml v2's YAML 1.1 rules, through JSON (numbers float64, keys strings). The error is the
/// text Go prints (`error converting YAML to JSON: yaml: line 2: ...`).
///
/// This is how Helm reads values files (`values.yaml`, `-f`), `fromYaml` and
/// `fromYamlArray`; see [`yaml_to_map`] for the map target.
pub fn from_yaml_text(text: &str) -> Result<Value, String> {
    read_yaml(text)
        .and_then(y_to_json_value)
        .map_err(|e| format!("error converting YAML to JSON: {e}"))
}

/// The name Go's JSON errors give a value's JSON kind.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::Int64(_) | Value::Float(_) => "number",
        Value::Str(_) => "string",
        Value::List(..) | Value::Bytes(_) => "array",
        _ => "object",
    }
}

/// `sigs.k8s.io/yaml.Unmarshal(text, &m)` for a map `m` of Go type `go_type`
/// (`map[string]interface {}` for `fromYaml`, `chartutil.Values` for values files): the map,
/// empty for an empty document, or the error Go gives.
pub fn yaml_to_map(text: &str, go_type: &str) -> Result<Value, String> {
    let v = from_yaml_text(text)?;
    match v {
        Value::Map(..) => Ok(v),
        Value::Nil => Ok(Value::new_map()),
        other => Err(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type {go_type}",
            json_kind(&other)
        )),
    }
}

fn error_map(message: String) -> Value {
    let mut m = BTreeMap::new();
    m.insert("Error".to_string(), Value::from(message));
    Value::from(m)
}

fn from_yaml(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    Ok(yaml_to_map(&str_arg(&args, 0), "map[string]interface {}").unwrap_or_else(error_map))
}

fn from_yaml_array(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let r = from_yaml_text(&str_arg(&args, 0)).and_then(|v| match v {
        Value::List(..) => Ok(v),
        Value::Nil => Ok(Value::from(Vec::new())),
        other => Err(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type []interface {{}}",
            json_kind(&other)
        )),
    });
    Ok(r.unwrap_or_else(|e| Value::from(vec![Value::from(e)])))
}

// ---------------------------------------------------------------------------------------
// JSON in

/// Go's `quoteChar` in JSON syntax errors.
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".into(),
        b'"' => "'\"'".into(),
        c => {
            let q = crate::gotmpl::fmt::go_quote(&char::from(c).to_string(), false);
            format!("'{}'", &q[1..q.len() - 1])
        }
    }
}

struct JsonParser<'a> {
    b: &'a [u8],
    i: usize,
    depth: usize,
}

const UNEXPECTED_END: &str = "unexpected end of JSON input";

impl JsonParser<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\r' | b'\n') {
            self.i += 1;
        }
    }

    fn err(&self, context: &str) -> String {
        match self.b.get(self.i) {
            None => UNEXPECTED_END.into(),
            Some(&c) => format!("invalid character {} {context}", quote_char(c)),
        }
    }

    fn value(&mut self) -> Result<Value, String> {
        self.ws();
        let Some(&c) = self.b.get(self.i) else {
            return Err(UNEXPECTED_END.into());
        };
        self.depth += 1;
        if self.depth > 10_000 {
            return Err("exceeded max depth".into());
        }
        let v = match c {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => self.string().map(Value::from),
            b'-' | b'0'..=b'9' => self.number(),
            b't' => self.literal("true", Value::Bool(true)),
            b'f' => self.literal("false", Value::Bool(false)),
            b'n' => self.literal("null", Value::Nil),
            _ => Err(self.err("looking for beginning of value")),
        };
        self.depth -= 1;
        v
    }

    fn literal(&mut self, word: &str, v: Value) -> Result<Value, String> {
        for (k, &w) in word.as_bytes().iter().enumerate() {
            match self.b.get(self.i) {
                None => return Err(UNEXPECTED_END.into()),
                Some(&c) if c == w => self.i += 1,
                Some(_) => {
                    return Err(self.err(&format!(
                        "in literal {word} (expecting {})",
                        quote_char(word.as_bytes()[k])
                    )))
                }
            }
        }
        Ok(v)
    }

    fn digits(&mut self) -> usize {
        let s = self.i;
        while self.i < self.b.len() && self.b[self.i].is_ascii_digit() {
            self.i += 1;
        }
        self.i - s
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.i;
        if self.b[self.i] == b'-' {
            self.i += 1;
            match self.b.get(self.i) {
                None => return Err(UNEXPECTED_END.into()),
                Some(c) if c.is_ascii_digit() => {}
                Some(_) => return Err(self.err("in numeric literal")),
            }
        }
        if self.b[self.i] == b'0' {
            self.i += 1;
        } else {
            self.digits();
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(self.err("after decimal point in numeric literal"));
            }
        }
        if matches!(self.b.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.b.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.err("in exponent of numeric literal"));
            }
        }
        let text = std::str::from_utf8(&self.b[start..self.i]).unwrap_or("0");
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Float(f)),
            _ => Err(format!(
                "json: cannot unmarshal number {text} into Go value of type float64"
            )),
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut v = 0u32;
        for _ in 0..4 {
            let Some(&c) = self.b.get(self.i) else {
                return Err(UNEXPECTED_END.into());
            };
            let d = char::from(c)
                .to_digit(16)
                .ok_or_else(|| self.err("in \\u hexadecimal character escape"))?;
            v = v * 16 + d;
            self.i += 1;
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<String, String> {
        self.i += 1; // '"'
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(&c) = self.b.get(self.i) else {
                return Err(UNEXPECTED_END.into());
            };
            match c {
                b'"' => {
                    self.i += 1;
                    break;
                }
                b'\\' => {
                    self.i += 1;
                    let Some(&e) = self.b.get(self.i) else {
                        return Err(UNEXPECTED_END.into());
                    };
                    self.i += 1;
                    match e {
                        b'"' | b'\\' | b'/' => out.push(e),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let mut cp = self.hex4()?;
                            if (0xD800..0xDC00).contains(&cp)
                                && self.b.get(self.i) == Some(&b'\\')
                                && self.b.get(self.i + 1) == Some(&b'u')
                            {
                                let save = self.i;
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                                } else {
                                    self.i = save;
                                }
                            }
                            let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
                            out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                        }
                        _ => {
                            self.i -= 1;
                            return Err(self.err("in string escape code"));
                        }
                    }
                }
                c if c < 0x20 => return Err(self.err("in string literal")),
                c => {
                    out.push(c);
                    self.i += 1;
                }
            }
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    fn array(&mut self) -> Result<Value, String> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.b.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(Value::from(items));
        }
        loop {
            items.push(self.value()?);
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Value::from(items));
                }
                _ => return Err(self.err("after array element")),
            }
        }
    }

    fn object(&mut self) -> Result<Value, String> {
        self.i += 1;
        let mut m = BTreeMap::new();
        self.ws();
        if self.b.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(Value::from(m));
        }
        loop {
            self.ws();
            if self.b.get(self.i) != Some(&b'"') {
                return Err(self.err("looking for beginning of object key string"));
            }
            let k = self.string()?;
            self.ws();
            if self.b.get(self.i) != Some(&b':') {
                return Err(self.err("after object key"));
            }
            self.i += 1;
            let v = self.value()?;
            m.insert(k, v);
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Value::from(m));
                }
                _ => return Err(self.err("after object key:value pair")),
            }
        }
    }
}

/// Go's `json.Unmarshal` into an `interface{}`: numbers float64, maps with string keys (the
/// last of repeated keys wins); the error is Go's text (`invalid character 'x' looking for
/// beginning of value`, `unexpected end of JSON input`).
pub fn parse_go_json(text: &str) -> Result<Value, String> {
    let mut p = JsonParser {
        b: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    let v = p.value()?;
    p.ws();
    if p.i < p.b.len() {
        return Err(p.err("after top-level value"));
    }
    Ok(v)
}

fn from_json(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let r = parse_go_json(&str_arg(&args, 0)).and_then(|v| match v {
        Value::Map(..) => Ok(v),
        Value::Nil => Ok(Value::new_map()),
        other => Err(format!(
            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            json_kind(&other)
        )),
    });
    Ok(r.unwrap_or_else(error_map))
}

fn from_json_array(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let r = parse_go_json(&str_arg(&args, 0)).and_then(|v| match v {
        Value::List(..) => Ok(v),
        Value::Nil => Ok(Value::from(Vec::new())),
        other => Err(format!(
            "json: cannot unmarshal {} into Go value of type []interface {{}}",
            json_kind(&other)
        )),
    });
    Ok(r.unwrap_or_else(|e| Value::from(vec![Value::from(e)])))
}

fn must_from_json(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    parse_go_json(&str_arg(&args, 0)).map_err(FuncError::new)
}

// ---------------------------------------------------------------------------------------
// TOML out

/// BurntSushi/toml v1.4.0's `Encoder.Encode` of a map (indent two spaces), or its error.
pub fn to_toml_string(v: &Value) -> Result<String, String> {
    let Value::Map(m, _) = v else {
        let v = match v {
            Value::Object(o) => o.to_data(),
            _ => Value::Nil,
        };
        if let Value::Map(..) = v {
            return to_toml_string(&v);
        }
        return Err("toml: top-level values must be Go maps or structs".into());
    };
    let mut enc = TomlEncoder {
        out: String::new(),
        written: false,
    };
    let entries = m.borrow().clone();
    enc.map(&[], &entries, 0)?;
    Ok(enc.out)
}

struct TomlEncoder {
    out: String,
    written: bool,
}

fn toml_bare(k: &str) -> bool {
    !k.is_empty()
        && k.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

fn toml_quoted(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn toml_key(k: &str) -> String {
    if toml_bare(k) {
        k.to_string()
    } else {
        let mut s = String::new();
        toml_quoted(k, &mut s);
        s
    }
}

fn is_table(v: &Value) -> bool {
    match v {
        Value::Map(..) => true,
        Value::List(items, _) => {
            !items.is_empty() && items.iter().all(|x| matches!(x, Value::Map(..)))
        }
        _ => false,
    }
}

impl TomlEncoder {
    fn newline(&mut self) {
        if self.written {
            self.out.push('\n');
        }
    }

    fn write(&mut self, s: &str) {
        self.out.push_str(s);
        self.written = true;
    }

    fn indent(key: &[String]) -> String {
        "  ".repeat(key.len().saturating_sub(1))
    }

    fn header(key: &[String]) -> String {
        key.iter()
            .map(|k| toml_key(k))
            .collect::<Vec<_>>()
            .join(".")
    }

    fn map(
        &mut self,
        key: &[String],
        m: &BTreeMap<String, Value>,
        depth: usize,
    ) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("toml: nesting too deep".into());
        }
        let (direct, sub): (Vec<_>, Vec<_>) = m.iter().partition(|(_, v)| !is_table(v));
        for (k, v) in direct.into_iter().chain(sub) {
            if v.is_nil() {
                continue;
            }
            let mut path = key.to_vec();
            path.push(k.clone());
            self.encode(&path, v, depth + 1)?;
        }
        Ok(())
    }

    fn encode(&mut self, key: &[String], v: &Value, depth: usize) -> Result<(), String> {
        match v {
            Value::Map(m, _) => {
                if key.len() == 1 {
                    self.newline();
                }
                let line = format!("{}[{}]", Self::indent(key), Self::header(key));
                self.write(&line);
                self.newline();
                let entries = m.borrow().clone();
                self.map(key, &entries, depth)
            }
            Value::List(items, _) if is_table(v) => {
                for item in items.iter() {
                    if let Value::Map(m, _) = item {
                        self.newline();
                        let line = format!("{}[[{}]]", Self::indent(key), Self::header(key));
                        self.write(&line);
                        self.newline();
                        let entries = m.borrow().clone();
                        self.map(key, &entries, depth)?;
                    }
                }
                Ok(())
            }
            Value::Object(o) => self.encode(key, &o.to_data(), depth + 1),
            _ => {
                let last = key.last().map(String::as_str).unwrap_or_default();
                let mut line = format!("{}{} = ", Self::indent(key), toml_key(last));
                self.element(v, &mut line, depth)?;
                self.write(&line);
                self.newline();
                Ok(())
            }
        }
    }

    fn element(&self, v: &Value, out: &mut String, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("toml: nesting too deep".into());
        }
        match v {
            Value::Nil => return Err("toml: cannot encode a nil value".into()),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) | Value::Int64(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Float(f) => {
                if f.is_nan() {
                    out.push_str(if f.is_sign_negative() { "-nan" } else { "nan" });
                } else if f.is_infinite() {
                    out.push_str(if *f < 0.0 { "-inf" } else { "inf" });
                } else {
                    let s = format_float(*f, 'f', -1);
                    out.push_str(&s);
                    if !s.contains('.') {
                        out.push_str(".0");
                    }
                }
            }
            Value::Str(s) => toml_quoted(s, out),
            Value::Bytes(b) => toml_quoted(&String::from_utf8_lossy(b), out),
            Value::List(items, _) => {
                out.push('[');
                for (i, x) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.element(x, out, depth + 1)?;
                }
                out.push(']');
            }
            Value::Map(m, _) => {
                out.push('{');
                let m = m.borrow();
                let (direct, sub): (Vec<_>, Vec<_>) = m.iter().partition(|(_, v)| !is_table(v));
                let n = direct.len() + sub.len();
                let mut k = 0;
                for (key, x) in direct.into_iter().chain(sub) {
                    k += 1;
                    if x.is_nil() {
                        continue;
                    }
                    out.push_str(&toml_key(key));
                    out.push_str(" = ");
                    self.element(x, out, depth + 1)?;
                    if k != n {
                        out.push_str(", ");
                    }
                }
                out.push('}');
            }
            Value::Object(o) => self.element(&o.to_data(), out, depth + 1)?,
        }
        Ok(())
    }
}

fn to_toml(env: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let s = to_toml_string(&arg(&args, 0)).unwrap_or_else(|e| e);
    charged(env, s)
}

fn from_toml(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let text = str_arg(&args, 0);
    Ok(match parse_toml(&text) {
        Ok(v) => v,
        Err(e) => error_map(e),
    })
}

/// BurntSushi/toml's `Unmarshal` into `map[string]interface{}`: integers int64, floats
/// float64, dates and times as their text; the error's text on failure (toml_edit's wording,
/// not BurntSushi's).
pub fn parse_toml(text: &str) -> Result<Value, String> {
    let doc = text
        .parse::<toml_edit::DocumentMut>()
        .map_err(|e| format!("toml: {}", e.message()))?;
    Ok(toml_table(doc.as_table()))
}

fn toml_table(t: &toml_edit::Table) -> Value {
    let mut m = BTreeMap::new();
    for (k, item) in t.iter() {
        if let Some(v) = toml_item(item) {
            m.insert(k.to_string(), v);
        }
    }
    Value::from(m)
}

fn toml_item(item: &toml_edit::Item) -> Option<Value> {
    match item {
        toml_edit::Item::None => None,
        toml_edit::Item::Value(v) => Some(toml_value(v)),
        toml_edit::Item::Table(t) => Some(toml_table(t)),
        toml_edit::Item::ArrayOfTables(a) => {
            Some(Value::from(a.iter().map(toml_table).collect::<Vec<_>>()))
        }
    }
}

fn toml_value(v: &toml_edit::Value) -> Value {
    match v {
        toml_edit::Value::String(s) => Value::from(s.value().as_str()),
        toml_edit::Value::Integer(i) => Value::Int64(*i.value()),
        toml_edit::Value::Float(f) => Value::Float(*f.value()),
        toml_edit::Value::Boolean(b) => Value::Bool(*b.value()),
        toml_edit::Value::Datetime(d) => Value::from(d.value().to_string()),
        toml_edit::Value::Array(a) => Value::from(a.iter().map(toml_value).collect::<Vec<_>>()),
        toml_edit::Value::InlineTable(t) => {
            let mut m = BTreeMap::new();
            for (k, x) in t.iter() {
                m.insert(k.to_string(), toml_value(x));
            }
            Value::from(m)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::testenv::{f, i, list, map, s, show};
    use super::*;
    use crate::gotmpl::ListKind;

    #[test]
    fn helm_funcs_test_cases() {
        // pkg/engine/funcs_test.go
        assert_eq!(
            show("toYaml", vec![map(vec![("foo", s("bar"))])]),
            "foo: bar"
        );
        assert_eq!(
            show(
                "toYamlPretty",
                vec![map(vec![(
                    "baz",
                    Value::list_of(vec![i(1), i(2), i(3)], ListKind::Int)
                )])]
            ),
            "baz:\n  - 1\n  - 2\n  - 3"
        );
        assert_eq!(
            show("toToml", vec![map(vec![("foo", s("bar"))])]),
            "foo = \"bar\"\n"
        );
        assert_eq!(
            show(
                "toToml",
                vec![map(vec![("mast", map(vec![("sail", s("white"))]))])]
            ),
            "[mast]\n  sail = \"white\"\n"
        );
        assert_eq!(
            show("fromToml", vec![s("hello = \"world\"")]),
            "map[hello:world]"
        );
        assert_eq!(
            show(
                "fromToml",
                vec![s("\n[table]\nkeyInTable = \"valueInTable\"\n[table.subtable]\nkeyInSubtable = \"valueInSubTable\"")]
            ),
            "map[table:map[keyInTable:valueInTable subtable:map[keyInSubtable:valueInSubTable]]]"
        );
        assert_eq!(
            show(
                "fromToml",
                vec![s("\n[[tableArray]]\nkeyInElement0 = \"valueInElement0\"\n[[tableArray]]\nkeyInElement1 = \"valueInElement1\"")]
            ),
            "map[tableArray:[map[keyInElement0:valueInElement0] map[keyInElement1:valueInElement1]]]"
        );
        assert!(show("fromToml", vec![s("one")]).starts_with("map[Error:toml: "));
        assert_eq!(
            show("toJson", vec![map(vec![("foo", s("bar"))])]),
            "{\"foo\":\"bar\"}"
        );
        assert_eq!(
            show("fromYaml", vec![s("hello: world")]),
            "map[hello:world]"
        );
        assert_eq!(
            show("fromYamlArray", vec![s("- one\n- 2\n- name: helm\n")]),
            "[one 2 map[name:helm]]"
        );
        assert_eq!(
            show(
                "fromYamlArray",
                vec![s("[\"one\", 2, { \"name\": \"helm\" }]")]
            ),
            "[one 2 map[name:helm]]"
        );
        assert_eq!(
            show("fromYaml", vec![s("- one\n- two\n")]),
            "map[Error:error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}]"
        );
        assert_eq!(
            show("fromJson", vec![s("{\"hello\":\"world\"}")]),
            "map[hello:world]"
        );
        assert_eq!(
            show("fromJson", vec![s("[\"one\", \"two\"]")]),
            "map[Error:json: cannot unmarshal array into Go value of type map[string]interface {}]"
        );
        assert_eq!(
            show(
                "fromJsonArray",
                vec![s("[\"one\", 2, { \"name\": \"helm\" }]")]
            ),
            "[one 2 map[name:helm]]"
        );
        assert_eq!(
            show("fromJsonArray", vec![s("{\"hello\": \"world\"}")]),
            "[json: cannot unmarshal object into Go value of type []interface {}]"
        );
        assert_eq!(
            show("fromYamlArray", vec![s("hello: world")]),
            "[error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}]"
        );
    }

    #[test]
    fn json_is_go_encoding_json() {
        let v = map(vec![
            (
                "b",
                list(vec![
                    f(1.0),
                    f(1.5),
                    f(1e21),
                    f(1e-7),
                    f(-0.0),
                    f(123456789.0),
                ]),
            ),
            ("a", s("<a&b>\u{2028}")),
            ("c", Value::Nil),
            ("d", Value::Bytes(Rc::from(&b"hi"[..]))),
            ("e", Value::Int64(-3)),
        ]);
        assert_eq!(
            show("toJson", vec![v.clone()]),
            "{\"a\":\"\\u003ca\\u0026b\\u003e\\u2028\",\"b\":[1,1.5,1e+21,1e-7,-0,123456789],\"c\":null,\"d\":\"aGk=\",\"e\":-3}"
        );
        assert_eq!(
            show("toRawJson", vec![v]),
            "{\"a\":\"<a&b>\\u2028\",\"b\":[1,1.5,1e+21,1e-7,-0,123456789],\"c\":null,\"d\":\"aGk=\",\"e\":-3}"
        );
        assert_eq!(
            show(
                "toPrettyJson",
                vec![map(vec![
                    ("a", list(vec![i(1), map(vec![])])),
                    ("b", list(vec![]))
                ])]
            ),
            "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": []\n}"
        );
        assert_eq!(show("toJson", vec![f(f64::NAN)]), "");
        assert_eq!(
            show("mustToJson", vec![f(f64::INFINITY)]),
            "error: json: unsupported value: +Inf"
        );
        assert_eq!(show("toJson", vec![Value::Nil]), "null");
        assert_eq!(show("toJson", vec![s("x")]), "\"x\"");
    }

    #[test]
    fn json_parse_errors_are_gos() {
        assert_eq!(
            parse_go_json("").unwrap_err(),
            "unexpected end of JSON input"
        );
        assert_eq!(
            parse_go_json("{\"a\": x}").unwrap_err(),
            "invalid character 'x' looking for beginning of value"
        );
        assert_eq!(
            parse_go_json("{\"a\" 1}").unwrap_err(),
            "invalid character '1' after object key"
        );
        assert_eq!(
            parse_go_json("[1 2]").unwrap_err(),
            "invalid character '2' after array element"
        );
        assert_eq!(
            parse_go_json("{} x").unwrap_err(),
            "invalid character 'x' after top-level value"
        );
        assert_eq!(
            parse_go_json("nul").unwrap_err(),
            "unexpected end of JSON input"
        );
        assert_eq!(
            parse_go_json("nulx").unwrap_err(),
            "invalid character 'x' in literal null (expecting 'l')"
        );
        assert_eq!(
            parse_go_json("{'a':1}").unwrap_err(),
            "invalid character '\\'' looking for beginning of object key string"
        );
        assert_eq!(
            show(
                "mustFromJson",
                vec![s("{\"a\":[1,\"\\u00e9\\ud83d\\ude00\"]}")]
            ),
            "map[a:[1 é😀]]"
        );
    }

    fn values(text: &str) -> Value {
        yaml_to_map(text, "chartutil.Values").unwrap()
    }

    #[test]
    fn yaml_in_is_yaml_1_1_through_json() {
        let v = values(
            "y: a\non: b\nn: no\nint: 12\noct: 0777\nhex: 0x1F\nu: 1_000\nflt: 1e-7\nts: 2001-12-14\nq: \"yes\"\nnul: ~\nbig: 18446744073709551615\n1: one\n1.5: x\ntrue: t\n",
        );
        assert_eq!(
            crate::gotmpl::fmt::sprint_one(&v),
            "map[1:one 1.5:x big:1.8446744073709552e+19 false:false flt:1e-07 hex:31 int:12 nul:<nil> oct:511 q:yes true:t ts:2001-12-14 u:1000]"
        );
        // Every number is a float64.
        let m = v.map_entries().unwrap();
        assert!(matches!(m["int"], Value::Float(x) if x == 12.0));
        // `y` and `on` are booleans, so the keys read "true".
        assert!(matches!(&m["true"], Value::Str(s) if &**s == "t"));
        // Anchors, aliases and merge keys.
        let v = values("base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  b: 3\nl: [*b]\n");
        assert_eq!(
            crate::gotmpl::fmt::sprint_one(&v),
            "map[base:map[a:1 b:2] l:[map[a:1 b:2]] x:map[a:1 b:3]]"
        );
        // An empty document is an empty map; a scalar is an error.
        assert_eq!(
            crate::gotmpl::fmt::sprint_one(&values("# nothing\n")),
            "map[]"
        );
        assert_eq!(
            yaml_to_map("hello", "chartutil.Values").unwrap_err(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type chartutil.Values"
        );
        assert!(yaml_to_map("a: [", "chartutil.Values")
            .unwrap_err()
            .starts_with("error converting YAML to JSON: yaml: line "));
        assert_eq!(
            yaml_to_map("a: .nan", "chartutil.Values").unwrap_err(),
            "error converting YAML to JSON: json: unsupported value: NaN"
        );
        // Only the first document counts.
        assert_eq!(
            crate::gotmpl::fmt::sprint_one(&values("a: 1\n---\nb: 2\n")),
            "map[a:1]"
        );
    }

    #[test]
    fn to_yaml_matches_the_corpus() {
        // flag-values-twice: podAnnotations from a values file, through toYaml.
        let v = values(concat!(
            "example.com/description: \"a long annotation value with spaces that goes on and on past eighty columns so that toYaml folds it\"\n",
            "example.com/multiline: \"line one\\nline two\\n\"\n",
            "example.com/trailing-space: \"x \"\n",
            "example.com/number-string: \"8080\"\n",
            "example.com/int: 12345678901\n",
            "example.com/float: 1e-7\n",
            "y: a key that YAML 1.1 reads as a boolean\n",
        ));
        assert_eq!(
            to_yaml_string(&v),
            concat!(
                "example.com/description: a long annotation value with spaces that goes on and on past\n",
                "  eighty columns so that toYaml folds it\n",
                "example.com/float: 1e-07\n",
                "example.com/int: 12345678901\n",
                "example.com/multiline: |\n",
                "  line one\n",
                "  line two\n",
                "example.com/number-string: \"8080\"\n",
                "example.com/trailing-space: 'x '\n",
                "\"true\": a key that YAML 1.1 reads as a boolean",
            )
        );
        assert_eq!(to_yaml_string(&s("foo")), "foo");
        assert_eq!(to_yaml_string(&Value::Nil), "null");
        assert_eq!(
            to_yaml_string(&list(vec![s("a"), s("y"), f(1e6)])),
            "- a\n- \"y\"\n- 1000000"
        );
        assert_eq!(to_yaml_string(&map(vec![])), "{}");
        assert_eq!(to_yaml_string(&f(f64::NAN)), "");
        assert_eq!(
            to_yaml_pretty_string(&map(vec![
                ("a", f(1e6)),
                ("b", map(vec![("c", list(vec![s("on")]))]))
            ])),
            "a: 1e+06\nb:\n  c:\n    - \"on\""
        );
    }

    #[test]
    fn a_map_set_into_itself_is_an_error_not_a_crash() {
        let m = map(vec![]);
        if let Value::Map(r, _) = &m {
            r.borrow_mut().insert("self".into(), m.clone());
        }
        assert_eq!(to_yaml_string(&m), "");
        assert!(go_json(&m, JsonStyle::MARSHAL)
            .unwrap_err()
            .contains("cycle"));
        if let Value::Map(r, _) = &m {
            r.borrow_mut().clear();
        }
    }
}
