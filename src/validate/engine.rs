//! The schema walker: validates a resource's value tree against a compiled schema, with
//! every problem located at the node (or, for unknown fields, the key) to edit.

use crate::model::{Node, Value};
use crate::schema::compile::{ty, Additional, Format, ListType, SchemaId, Schemas, Special};
use crate::source::{Origin, SourceMap};

use super::registry::Check;
use super::text;

/// One problem found by the walker.
#[derive(Clone, Debug)]
pub struct Problem {
    pub check: Check,
    pub message: String,
    pub origin: Option<Origin>,
}

/// A step of the path from the resource to a node.
#[derive(Clone, Copy, Debug)]
pub enum Seg<'n> {
    Key(&'n str),
    Index(usize),
}

/// `spec.template.spec.containers[0].image`, as kubectl prints field paths.
pub fn render_path(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => {
                s.push('[');
                s.push_str(&i.to_string());
                s.push(']');
            }
        }
    }
    if s.is_empty() {
        s.push_str("(root)");
    }
    s
}

pub struct Engine<'a> {
    pub schemas: &'a Schemas,
    pub sources: &'a SourceMap,
    /// Unknown fields are errors (`--strict`).
    pub strict: bool,
    /// Keys at the root that the caller validates itself (a custom resource's
    /// apiVersion, kind and metadata).
    pub skip_root_keys: &'a [&'a str],
}

impl<'a> Engine<'a> {
    pub fn validate(&self, root: SchemaId, node: &Node, out: &mut Vec<Problem>) {
        let mut path = Vec::new();
        self.walk(root, node, &mut path, out);
    }

    /// Validates the value of one root field (`metadata`) against a schema.
    pub fn validate_field(&self, id: SchemaId, key: &str, node: &Node, out: &mut Vec<Problem>) {
        let mut path = vec![Seg::Key(key)];
        self.walk(id, node, &mut path, out);
    }

    fn push(
        &self,
        out: &mut Vec<Problem>,
        check: Check,
        path: &[Seg],
        origin: Option<Origin>,
        msg: String,
    ) {
        out.push(Problem {
            check,
            message: format!("{}: {msg}", render_path(path)),
            origin,
        });
    }

    fn walk<'n>(
        &self,
        id: SchemaId,
        node: &'n Node,
        path: &mut Vec<Seg<'n>>,
        out: &mut Vec<Problem>,
    ) {
        let s = self.schemas.get(id);
        if let Some(r) = s.reference {
            self.walk(r, node, path, out);
        }
        if node.is_null() {
            if s.types != 0 && s.types & ty::NULL == 0 && !s.null_is_absent {
                self.push(
                    out,
                    Check::SchemaType,
                    path,
                    node.origin,
                    format!("expected {}, got null", type_names(s.types)),
                );
            }
            return;
        }
        match s.special {
            Special::IntOrString => {
                match int_value(node) {
                    Some(i) if i32::try_from(i).is_err() => self.push(
                        out,
                        Check::InvalidFormat,
                        path,
                        node.origin,
                        format!("{i} is out of range for an int32"),
                    ),
                    Some(_) => {}
                    None if matches!(node.value, Value::Str(_)) => {}
                    None => self.push(
                        out,
                        Check::SchemaType,
                        path,
                        node.origin,
                        format!("expected an integer or a string, got {}", describe(node)),
                    ),
                }
                return;
            }
            Special::Quantity => {
                match &node.value {
                    Value::Int(_) | Value::UInt(_) => {}
                    Value::Float(f) if f.is_finite() => {}
                    Value::Str(q) => {
                        if crate::schema::quantity::parse(q).is_none() {
                            self.push(
                                out,
                                Check::InvalidQuantity,
                                path,
                                node.origin,
                                format!("{q:?} is not a quantity (like 500m, 2, 1.5Gi or 1e3)"),
                            );
                        }
                    }
                    _ => self.push(
                        out,
                        Check::SchemaType,
                        path,
                        node.origin,
                        format!(
                            "expected a quantity (a number or a string), got {}",
                            describe(node)
                        ),
                    ),
                }
                return;
            }
            Special::None => {}
        }
        let bits = value_bits(node);
        if s.types != 0 && bits & s.types == 0 {
            let got = if let Value::Float(f) = node.value {
                if f.is_finite() {
                    "number".to_string()
                } else {
                    format!("{f} (not a JSON number)")
                }
            } else {
                describe(node)
            };
            self.push(
                out,
                Check::SchemaType,
                path,
                node.origin,
                format!("expected {}, got {got}", type_names(s.types)),
            );
            return;
        }
        if let Value::Float(f) = node.value {
            if !f.is_finite() {
                self.push(
                    out,
                    Check::SchemaType,
                    path,
                    node.origin,
                    format!("{f} is not a JSON number"),
                );
                return;
            }
        }
        self.format(s.format, node, path, out);
        if let Some(extra) = &s.extra {
            self.extra(extra, node, path, out);
        }
        match &node.value {
            Value::Map(entries) => {
                for (k, v) in entries {
                    if path.is_empty() && self.skip_root_keys.contains(&k.as_str()) {
                        continue;
                    }
                    path.push(Seg::Key(k));
                    if let Some(p) = s.property(k) {
                        self.walk(p, v, path, out);
                    } else {
                        match s.additional {
                            Additional::Schema(a) => self.walk(a, v, path, out),
                            Additional::Any => {}
                            Additional::Forbidden | Additional::Unspecified => {
                                let embedded = s.embedded_resource
                                    && matches!(k.as_str(), "apiVersion" | "kind" | "metadata");
                                let closed = s.closed || s.additional == Additional::Forbidden;
                                if closed && !embedded && self.strict {
                                    path.pop();
                                    let origin = text::key_origin(self.sources, k, v).or(v.origin);
                                    let hint = text::closest(
                                        k,
                                        s.properties.iter().map(|(p, _)| p.as_ref()),
                                    )
                                    .map(|p| format!(" (did you mean \"{p}\"?)"))
                                    .unwrap_or_default();
                                    self.push(
                                        out,
                                        Check::UnknownField,
                                        path,
                                        origin,
                                        format!("unknown field \"{k}\"{hint}"),
                                    );
                                    continue;
                                }
                            }
                        }
                    }
                    path.pop();
                }
                for req in &s.required {
                    // A null counts as missing where the field's schema lets it through
                    // (the API server reads it as unset); elsewhere the type error says it.
                    let defaulted = s
                        .property(req)
                        .is_some_and(|p| self.schemas.get(p).has_default);
                    let missing = match entries.iter().find(|(k, _)| k.as_str() == req.as_ref()) {
                        _ if defaulted => false,
                        None => true,
                        Some((_, v)) if v.is_null() => s.property(req).is_none_or(|p| {
                            let c = self.schemas.get(p);
                            c.types == 0 || c.types & ty::NULL != 0 || c.null_is_absent
                        }),
                        Some(_) => false,
                    };
                    if missing {
                        let origin = match path.last() {
                            Some(Seg::Key(k)) => text::key_origin(self.sources, k, node),
                            _ => None,
                        }
                        .or(node.origin);
                        self.push(
                            out,
                            Check::RequiredField,
                            path,
                            origin,
                            format!("missing required field \"{req}\""),
                        );
                    }
                }
            }
            Value::Seq(items) => {
                if let Some(item) = s.items {
                    for (i, v) in items.iter().enumerate() {
                        path.push(Seg::Index(i));
                        self.walk(item, v, path, out);
                        path.pop();
                    }
                }
                match &s.list_type {
                    ListType::Any => {}
                    ListType::Set => {
                        for (i, v) in items.iter().enumerate() {
                            if items[..i].iter().any(|p| p.same_value(v)) {
                                path.push(Seg::Index(i));
                                self.push(
                                    out,
                                    Check::DuplicateListEntry,
                                    path,
                                    v.origin,
                                    format!(
                                        "duplicate entry {} in a list of type set",
                                        text::preview(v)
                                    ),
                                );
                                path.pop();
                            }
                        }
                    }
                    ListType::Map(keys) => {
                        let key_of = |v: &Node| -> Vec<Option<String>> {
                            keys.iter()
                                .map(|k| v.get(k).and_then(Node::scalar_text))
                                .collect()
                        };
                        for (i, v) in items.iter().enumerate() {
                            let key = key_of(v);
                            if items[..i].iter().any(|p| key_of(p) == key) {
                                let shown: Vec<String> = keys
                                    .iter()
                                    .zip(&key)
                                    .map(|(k, v)| {
                                        format!("{k}={}", v.as_deref().unwrap_or("<unset>"))
                                    })
                                    .collect();
                                path.push(Seg::Index(i));
                                self.push(
                                    out,
                                    Check::DuplicateListEntry,
                                    path,
                                    v.origin,
                                    format!(
                                        "duplicate entry with {} (list keyed by {})",
                                        shown.join(", "),
                                        keys.join(", ")
                                    ),
                                );
                                path.pop();
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn format(&self, format: Format, node: &Node, path: &[Seg], out: &mut Vec<Problem>) {
        let bad = |what: &str| format!("{} is not {what}", text::preview(node));
        let msg = match (format, &node.value) {
            (Format::Int32, _) => match int_value(node) {
                Some(i) if i32::try_from(i).is_err() => {
                    Some(format!("{i} is out of range for an int32"))
                }
                _ => None,
            },
            (Format::Int64, Value::UInt(u)) if i64::try_from(*u).is_err() => {
                Some(format!("{u} is out of range for an int64"))
            }
            (Format::Byte, Value::Str(s)) if !text::is_base64(s) => {
                Some(bad("valid base64 (encode the value, or use stringData)"))
            }
            (Format::DateTime, Value::Str(s)) if !text::is_rfc3339(s) => {
                Some(bad("an RFC 3339 date-time (2006-01-02T15:04:05Z)"))
            }
            (Format::Date, Value::Str(s)) if !text::is_date(s) => Some(bad("a date (2006-01-02)")),
            (Format::Ipv4, Value::Str(s)) if s.parse::<std::net::Ipv4Addr>().is_err() => {
                Some(bad("an IPv4 address"))
            }
            (Format::Ipv6, Value::Str(s)) if s.parse::<std::net::Ipv6Addr>().is_err() => {
                Some(bad("an IPv6 address"))
            }
            (Format::Cidr, Value::Str(s)) if !text::is_cidr(s) => Some(bad("a CIDR (10.0.0.0/8)")),
            (Format::Uuid, Value::Str(s)) if !text::is_uuid(s) => Some(bad("a UUID")),
            _ => None,
        };
        if let Some(m) = msg {
            self.push(out, Check::InvalidFormat, path, node.origin, m);
        }
    }

    fn extra<'n>(
        &self,
        e: &crate::schema::compile::Extra,
        node: &'n Node,
        path: &mut Vec<Seg<'n>>,
        out: &mut Vec<Problem>,
    ) {
        let mut fail =
            |msg: String| self.push(out, Check::SchemaConstraint, path, node.origin, msg);
        if !e.enum_values.is_empty() {
            let json = crate::emit::to_json(node);
            if !e.enum_values.contains(&json) {
                let allowed: Vec<String> = e.enum_values.iter().map(|v| v.to_string()).collect();
                fail(format!(
                    "{} is not one of the allowed values: {}",
                    text::preview(node),
                    allowed.join(", ")
                ));
            }
        }
        if let Value::Str(s) = &node.value {
            let len = s.chars().count() as u64;
            if let Some((p, re)) = &e.pattern {
                if !re.is_match(s) {
                    fail(format!(
                        "{} does not match the pattern {p:?}",
                        text::preview(node)
                    ));
                }
            }
            if let Some(min) = e.min_length.filter(|m| len < *m) {
                fail(format!(
                    "{} is shorter than {min} characters",
                    text::preview(node)
                ));
            }
            if let Some(max) = e.max_length.filter(|m| len > *m) {
                fail(format!(
                    "{} is longer than {max} characters",
                    text::preview(node)
                ));
            }
        }
        if let Some(n) = number_value(node) {
            if let Some((min, excl)) = e.minimum {
                if n < min || (excl && n == min) {
                    fail(format!(
                        "{n} is less than the minimum {}{min}",
                        if excl { "(exclusive) " } else { "" }
                    ));
                }
            }
            if let Some((max, excl)) = e.maximum {
                if n > max || (excl && n == max) {
                    fail(format!(
                        "{n} is greater than the maximum {}{max}",
                        if excl { "(exclusive) " } else { "" }
                    ));
                }
            }
            if let Some(m) = e.multiple_of {
                let q = n / m;
                if (q - q.round()).abs() > 1e-9 {
                    fail(format!("{n} is not a multiple of {m}"));
                }
            }
        }
        if let Value::Seq(items) = &node.value {
            let len = items.len() as u64;
            if let Some(min) = e.min_items.filter(|m| len < *m) {
                fail(format!("has {len} items, fewer than {min}"));
            }
            if let Some(max) = e.max_items.filter(|m| len > *m) {
                fail(format!("has {len} items, more than {max}"));
            }
            if e.unique_items
                && items
                    .iter()
                    .enumerate()
                    .any(|(i, v)| items[..i].iter().any(|p| p.same_value(v)))
            {
                fail("has duplicate items".to_string());
            }
        }
        if let Value::Map(m) = &node.value {
            let len = m.len() as u64;
            if let Some(min) = e.min_properties.filter(|x| len < *x) {
                fail(format!("has {len} fields, fewer than {min}"));
            }
            if let Some(max) = e.max_properties.filter(|x| len > *x) {
                fail(format!("has {len} fields, more than {max}"));
            }
        }
        let errors_of = |id: SchemaId, path: &mut Vec<Seg<'n>>| {
            let mut sub = Vec::new();
            self.walk(id, node, path, &mut sub);
            sub
        };
        for &b in &e.all_of {
            let sub = errors_of(b, path);
            out.extend(sub);
        }
        if !e.any_of.is_empty() {
            let results: Vec<Vec<Problem>> = e.any_of.iter().map(|&b| errors_of(b, path)).collect();
            if results.iter().all(|r| !r.is_empty()) {
                let first = results
                    .iter()
                    .flatten()
                    .next()
                    .map(|p| p.message.clone())
                    .unwrap_or_default();
                self.push(
                    out,
                    Check::SchemaConstraint,
                    path,
                    node.origin,
                    format!("matches none of the allowed schemas (anyOf); for example: {first}"),
                );
            }
        }
        if !e.one_of.is_empty() {
            let matching = e
                .one_of
                .iter()
                .filter(|&&b| errors_of(b, path).is_empty())
                .count();
            if matching != 1 {
                self.push(
                    out,
                    Check::SchemaConstraint,
                    path,
                    node.origin,
                    format!(
                        "must match exactly one of the allowed schemas (oneOf), matches {matching}"
                    ),
                );
            }
        }
        if let Some(n) = e.not {
            if errors_of(n, path).is_empty() {
                self.push(
                    out,
                    Check::SchemaConstraint,
                    path,
                    node.origin,
                    "matches a schema it must not match (not)".to_string(),
                );
            }
        }
    }
}

/// The JSON types a value has (an integral number is also an integer).
fn value_bits(node: &Node) -> u8 {
    match &node.value {
        Value::Null => ty::NULL,
        Value::Bool(_) => ty::BOOLEAN,
        Value::Int(_) | Value::UInt(_) => ty::INTEGER | ty::NUMBER,
        Value::Float(f) if f.is_finite() && f.fract() == 0.0 => ty::INTEGER | ty::NUMBER,
        Value::Float(_) => ty::NUMBER,
        Value::Str(_) => ty::STRING,
        Value::Seq(_) => ty::ARRAY,
        Value::Map(_) => ty::OBJECT,
    }
}

fn int_value(node: &Node) -> Option<i128> {
    match node.value {
        Value::Int(i) => Some(i128::from(i)),
        Value::UInt(u) => Some(i128::from(u)),
        Value::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e30 => Some(f as i128),
        _ => None,
    }
}

fn number_value(node: &Node) -> Option<f64> {
    match node.value {
        Value::Int(i) => Some(i as f64),
        Value::UInt(u) => Some(u as f64),
        Value::Float(f) if f.is_finite() => Some(f),
        _ => None,
    }
}

fn type_names(bits: u8) -> String {
    let names: Vec<&str> = [
        (ty::BOOLEAN, "boolean"),
        (ty::INTEGER, "integer"),
        (ty::NUMBER, "number"),
        (ty::STRING, "string"),
        (ty::ARRAY, "array"),
        (ty::OBJECT, "object"),
    ]
    .iter()
    .filter(|(b, _)| bits & b != 0)
    .filter(|(b, _)| !(*b == ty::INTEGER && bits & ty::NUMBER != 0))
    .map(|(_, n)| *n)
    .collect();
    if names.is_empty() {
        "null".to_string()
    } else {
        names.join(" or ")
    }
}

/// `string "abc"`, `integer 3`, `object`, ... for messages.
pub fn describe(node: &Node) -> String {
    match &node.value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Int(i) => format!("integer {i}"),
        Value::UInt(u) => format!("integer {u}"),
        Value::Float(f) => format!("number {f}"),
        Value::Str(_) => format!("string {}", text::preview(node)),
        Value::Seq(_) => "array".to_string(),
        Value::Map(_) => "object".to_string(),
    }
}
