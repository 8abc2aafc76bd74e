//! The values a Go template works on, in Go's data model.
//!
//! Helm hands its templates Go values: `map[string]interface{}` (values, dicts), `[]interface{}`
//! (lists), `float64` (every number of a values file), `int64` (`--set` integers, Sprig's
//! arithmetic), `int` (`len`, `atoi`), strings, `[]byte` and a few structs with methods
//! (`.Chart`, `.Capabilities`, `.Files`). [`Value`] keeps those distinctions because Go's
//! printing, comparisons and type checks depend on them (`1e+06`, `%!d(float64=80)`,
//! `kindIs "int64"`).
//!
//! Maps are shared and mutable, as Go maps are: `set`, `unset`, `merge` change a map in place
//! and every holder of it sees the change. Lists are shared and immutable (no Sprig function
//! changes a list in place).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

/// A map of a template: Go's `map[string]interface{}`, iterated in sorted key order (as Go's
/// `range`, `fmt` and `encoding/json` iterate maps).
pub type MapRef = Rc<RefCell<BTreeMap<String, Value>>>;

/// One template value.
#[derive(Clone, Default)]
pub enum Value {
    /// A nil `interface{}`: a missing map key, a YAML `null`, Go's `nil`.
    #[default]
    Nil,
    Bool(bool),
    /// Go `int` (`len`, `atoi`, `int`, integer constants, range indexes).
    Int(i64),
    /// Go `int64` (`--set` integers, `add`, `int64`, ...).
    Int64(i64),
    /// Go `float64` (every number of a values file or of JSON).
    Float(f64),
    Str(Rc<str>),
    /// Go `[]byte` (`.Files.GetBytes`).
    Bytes(Rc<[u8]>),
    /// Go `[]interface{}` (or `[]string`: see [`ListKind`]).
    List(Rc<Vec<Value>>, ListKind),
    /// Go `map[string]interface{}` (or `chartutil.Values`: see [`MapKind`]).
    Map(MapRef, MapKind),
    /// A struct or named type with fields and methods (`.Chart`, `.Capabilities`, `.Files`).
    Object(Rc<dyn Object>),
}

/// The Go type of a list, for `typeOf` and `%T`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    /// `[]interface {}`
    Any,
    /// `[]string` (`splitList`, `keys`, `sortAlpha`, `regexFindAll`, `.Files.Lines`)
    Str,
    /// `[]int` (`until`, `untilStep`, `seq` is a string)
    Int,
    /// A nil `[]interface {}` (Sprig's `rest` and `initial` of an empty list): empty, printed
    /// `[]`, but `null` to `toJson` and `toYaml`.
    NilAny,
    /// A nil `[]string` (`.Chart.Keywords` of a chart without keywords).
    NilStr,
    /// A slice of pointers to one of Helm's structs, by its Go type's name
    /// (`.Chart.Maintainers` is a `[]*chart.Maintainer`).
    Pointers(&'static str),
    /// A nil one of those (`.Chart.Maintainers` of a chart without maintainers).
    NilPointers(&'static str),
}

impl ListKind {
    /// A nil slice: empty, printed `[]`, but `null` to `toJson` and `toYaml`.
    pub fn is_nil(self) -> bool {
        matches!(
            self,
            ListKind::NilAny | ListKind::NilStr | ListKind::NilPointers(_)
        )
    }
}

/// The Go type of a map, for `typeOf` and `%T`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapKind {
    /// `map[string]interface {}`
    Any,
    /// `chartutil.Values` (`.Values`, `.Template`, `.Release`'s parent)
    Values,
    /// `common.Values`: Helm v4's name for the same type.
    CommonValues,
}

/// A Go struct (or named type) a template can read fields of and call methods on.
pub trait Object {
    /// Go's name of the type, as `typeOf` and error messages print it (`*chartutil.Capabilities`).
    fn type_name(&self) -> &str;
    /// The value of an exported field, or `None` when the type has no such field.
    fn field(&self, name: &str) -> Option<Value>;
    /// Calls a method, or `None` when the type has no such method.
    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, super::FuncError>>;
    /// What `fmt` prints for it (a `String()` method, or Go's `{...}` struct form).
    fn display(&self) -> String;
    /// What `%+v` prints: a struct without a `String()` method names its fields
    /// (`{Version:v3.17.2 GitCommit:...}`); anything else prints as [`Object::display`].
    fn display_plus(&self) -> String {
        self.display()
    }
    /// The value `encoding/json` (and so `toYaml`, `toJson`) would see.
    fn to_data(&self) -> Value;
    /// A struct passed by value whose `String()` has a pointer receiver: the fields `fmt`
    /// prints (`{v1.32.0 1 32}`, each with the verb) when a function gets it. Printed
    /// directly by a template the value is addressable and [`Object::display`] applies.
    fn fields_by_value(&self) -> Option<Vec<(&str, Value)>> {
        None
    }
    /// A struct's fields as `encoding/json` writes them, in the struct's order (`toJson`
    /// keeps it; `toYaml` sorts the keys); `None` for a type that marshals as `to_data`.
    fn json_fields(&self) -> Option<Vec<(&str, Value)>> {
        None
    }
    /// The object itself, for a function that takes this type back (a `time.Time`).
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        None
    }
    /// The map or slice a map- or slice-typed object is (`.Files` is a `map[string][]byte`,
    /// `.Capabilities.APIVersions` a `[]string`), for `range`, `len`, `index` and truth;
    /// `None` for a struct.
    fn as_collection(&self) -> Option<Value> {
        None
    }
    /// What a missing key of a map-typed object reads as: its element type's zero value
    /// (Helm renders with `missingkey=zero`), `nil` for `interface{}` elements.
    fn missing_element(&self) -> Value {
        Value::Nil
    }
    /// `Map` or `Slice` for a map- or slice-typed object (without building it).
    fn collection_kind(&self) -> Option<Kind> {
        None
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Nil => write!(f, "nil"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Int64(i) => write!(f, "int64({i})"),
            Value::Float(x) => write!(f, "float64({x})"),
            Value::Str(s) => write!(f, "{s:?}"),
            Value::Bytes(b) => write!(f, "bytes({b:?})"),
            Value::List(l, _) => f.debug_list().entries(l.iter()).finish(),
            Value::Map(m, _) => f.debug_map().entries(m.borrow().iter()).finish(),
            Value::Object(o) => write!(f, "{}", o.type_name()),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(Rc::from(s))
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(Rc::from(s))
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<Vec<Value>> for Value {
    fn from(v: Vec<Value>) -> Self {
        Value::List(Rc::new(v), ListKind::Any)
    }
}

impl From<BTreeMap<String, Value>> for Value {
    fn from(m: BTreeMap<String, Value>) -> Self {
        Value::Map(Rc::new(RefCell::new(m)), MapKind::Any)
    }
}

/// Go's reflect kinds, as Sprig's `kindOf`/`kindIs` name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Invalid,
    Bool,
    Int,
    Int64,
    Float64,
    String,
    Slice,
    Map,
    Struct,
    Ptr,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Invalid => "invalid",
            Kind::Bool => "bool",
            Kind::Int => "int",
            Kind::Int64 => "int64",
            Kind::Float64 => "float64",
            Kind::String => "string",
            Kind::Slice => "slice",
            Kind::Map => "map",
            Kind::Struct => "struct",
            Kind::Ptr => "ptr",
        }
    }
}

impl Value {
    /// What reflection sees of a slice-typed object (`.Capabilities.APIVersions` is a
    /// `[]string`): its list, for the functions that take any slice (Sprig's `first`,
    /// `join`, ...); any other value as it is.
    pub fn slice_view(&self) -> std::borrow::Cow<'_, Value> {
        if let Value::Object(o) = self {
            if o.collection_kind() == Some(Kind::Slice) {
                if let Some(list) = o.as_collection() {
                    return std::borrow::Cow::Owned(list);
                }
            }
        }
        std::borrow::Cow::Borrowed(self)
    }

    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }

    pub fn new_map() -> Value {
        Value::Map(Rc::new(RefCell::new(BTreeMap::new())), MapKind::Any)
    }

    pub fn list_of(items: Vec<Value>, kind: ListKind) -> Value {
        Value::List(Rc::new(items), kind)
    }

    /// A `[]string`.
    pub fn strings<I: IntoIterator<Item = String>>(items: I) -> Value {
        Value::List(
            Rc::new(items.into_iter().map(Value::from).collect()),
            ListKind::Str,
        )
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// Go's reflect kind.
    pub fn kind(&self) -> Kind {
        match self {
            Value::Nil => Kind::Invalid,
            Value::Bool(_) => Kind::Bool,
            Value::Int(_) => Kind::Int,
            Value::Int64(_) => Kind::Int64,
            Value::Float(_) => Kind::Float64,
            Value::Str(_) => Kind::String,
            Value::Bytes(_) | Value::List(..) => Kind::Slice,
            Value::Map(..) => Kind::Map,
            Value::Object(o) => {
                if o.type_name().starts_with('*') {
                    Kind::Ptr
                } else {
                    o.collection_kind().unwrap_or(Kind::Struct)
                }
            }
        }
    }

    /// Go's `%T`: the dynamic type's name (`<nil>` for nil).
    pub fn type_name(&self) -> String {
        match self {
            Value::Nil => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Int64(_) => "int64".into(),
            Value::Float(_) => "float64".into(),
            Value::Str(_) => "string".into(),
            Value::Bytes(_) => "[]uint8".into(),
            Value::List(_, ListKind::Any | ListKind::NilAny) => "[]interface {}".into(),
            Value::List(_, ListKind::Str | ListKind::NilStr) => "[]string".into(),
            Value::List(_, ListKind::Int) => "[]int".into(),
            Value::List(_, ListKind::Pointers(t) | ListKind::NilPointers(t)) => (*t).into(),
            Value::Map(_, MapKind::Any) => "map[string]interface {}".into(),
            Value::Map(_, MapKind::Values) => "chartutil.Values".into(),
            Value::Map(_, MapKind::CommonValues) => "common.Values".into(),
            Value::Object(o) => o.type_name().to_string(),
        }
    }

    /// Go template truthiness: false, 0, nil, and empty strings, lists and maps are false.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) | Value::Int64(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l, _) => !l.is_empty(),
            Value::Map(m, _) => !m.borrow().is_empty(),
            Value::Object(o) => o.as_collection().is_none_or(|m| m.truthy()),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// An integer of any Go integer type.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) | Value::Int64(i) => Some(*i),
            _ => None,
        }
    }

    /// A copy of the map's entries (for functions that read a map while others may change it).
    pub fn map_entries(&self) -> Option<BTreeMap<String, Value>> {
        match self {
            Value::Map(m, _) => Some(m.borrow().clone()),
            _ => None,
        }
    }

    /// A deep copy: maps and lists copied all the way down (Sprig's `deepCopy`).
    pub fn deep_copy(&self) -> Value {
        match self {
            Value::List(l, k) => Value::List(Rc::new(l.iter().map(Value::deep_copy).collect()), *k),
            Value::Map(m, k) => Value::Map(
                Rc::new(RefCell::new(
                    m.borrow()
                        .iter()
                        .map(|(k, v)| (k.clone(), v.deep_copy()))
                        .collect(),
                )),
                *k,
            ),
            other => other.clone(),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Go strings that are not UTF-8.
//
// A Go string is bytes; kit's are UTF-8. A binary file read with `.Files.Get` (a keystore, a
// DER certificate) or `b64dec` of binary data is still a string in Go, and `b64enc`,
// `sha256sum` and `len` see its bytes. kit keeps each byte that is not part of UTF-8 as one
// code point of Unicode's last private use block (U+10FF80 + the byte - 0x80), and the
// functions that work on a string's bytes turn them back.

/// The first code point that stands for a byte outside UTF-8 (byte 0x80).
const RAW_BYTE_BASE: u32 = 0x10_FF00;

/// A Go string of `bytes`: as it is when it is UTF-8, else with each byte outside UTF-8 kept
/// as its stand-in code point.
pub fn go_string_from_bytes(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(bytes.len() + 16);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for &b in chunk.invalid() {
            out.extend(char::from_u32(RAW_BYTE_BASE + u32::from(b)));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The byte a code point stands for, when it is one of [`go_string_from_bytes`]'s.
pub fn raw_byte(c: char) -> Option<u8> {
    u32::from(c)
        .checked_sub(RAW_BYTE_BASE)
        .and_then(|b| u8::try_from(b).ok())
        .filter(|b| *b >= 0x80)
}

/// The bytes of a Go string (see [`go_string_from_bytes`]).
pub fn go_string_bytes(s: &str) -> std::borrow::Cow<'_, [u8]> {
    // Stand-ins are 4-byte sequences starting F4 8F BE or F4 8F BF; F4 is rare in text.
    if !s.as_bytes().contains(&0xF4) {
        return std::borrow::Cow::Borrowed(s.as_bytes());
    }
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        match raw_byte(c) {
            Some(b) => out.push(b),
            None => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Any bytes come back from the Go string made of them, and UTF-8 stays as it is.
        #[test]
        fn go_strings_keep_their_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            let s = go_string_from_bytes(&bytes);
            let back = go_string_bytes(&s).into_owned();
            proptest::prop_assert_eq!(back, bytes.clone());
            if let Ok(text) = std::str::from_utf8(&bytes) {
                proptest::prop_assert_eq!(s.as_ref(), text);
            }
        }
    }

    #[test]
    fn bytes_outside_utf8_are_stand_ins() {
        let s = go_string_from_bytes(b"a\xffb\xe2\x82");
        assert_eq!(s.chars().count(), 5);
        assert_eq!(
            s.chars().filter_map(raw_byte).collect::<Vec<_>>(),
            [0xff, 0xe2, 0x82]
        );
        assert_eq!(raw_byte('a'), None);
        assert_eq!(raw_byte('\u{10FF7F}'), None);
    }
}
