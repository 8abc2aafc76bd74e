//! The `--set` family of flags, parsed with Helm's `strvals` rules.
//!
//! A line is `name=value` pairs separated by commas. A name is a dotted path (`a.b.c`) whose
//! segments may carry list indexes (`a[0].b`, `m[1][0]`); a value is a scalar, or a list in
//! braces (`{a,b,c}`). A backslash escapes the next character anywhere (`a\.b` is one key,
//! `x=1\,2` one value). Scalars are typed as Helm types them (`true`/`false`/`null` in any case,
//! integers that do not start with `0`, and `0` itself) unless the line comes from
//! `--set-string`; `--set-file` reads each value from the named file and `--set-json` parses
//! each value as JSON. Results merge into an existing map, so flags apply one after another.
//!
//! Errors carry Helm's wording (`key "a" has no value`, ...), so a message a user has seen
//! from Helm means the same thing here.

use serde_json::{Map, Value};

/// Indexes past this are refused (Helm's `MaxIndex`): `a[99999999]=x` would allocate a list
/// that long.
pub const MAX_INDEX: i64 = 65_536;
/// Dotted names deeper than this are refused (Helm's `MaxNestedNameLevel`).
pub const MAX_NESTED_NAME_LEVEL: usize = 30;

/// How values are read.
pub enum Mode<'a> {
    /// `--set`: scalars typed (bool, null, int), else strings.
    Typed,
    /// `--set-string`: every scalar a string.
    String,
    /// `--set-file`: each value is a path; the reader returns the value (the file's text).
    File(&'a dyn Fn(&str) -> Result<Value, String>),
    /// `--set-json`: each value is JSON; an empty value is null.
    Json,
}

/// Parses `line` and merges what it sets into `dest`, as Helm's `ParseInto` (and its
/// `-String`, `-File` and `JSON` variants) do. On error `dest` may hold part of the line.
pub fn parse_into(line: &str, dest: &mut Map<String, Value>, mode: Mode<'_>) -> Result<(), String> {
    let mut p = Parser {
        s: line.chars().collect(),
        pos: 0,
        mode,
    };
    loop {
        match p.key(dest, 0) {
            Ok(()) => continue,
            Err(Stop::Eof) => return Ok(()),
            Err(Stop::Msg(m)) => return Err(m),
        }
    }
}

/// Parses one line into a fresh map (Helm's `Parse` / `ParseString`).
pub fn parse(line: &str, mode: Mode<'_>) -> Result<Map<String, Value>, String> {
    let mut m = Map::new();
    parse_into(line, &mut m, mode)?;
    Ok(m)
}

/// Why parsing stopped: the end of the input (not an error at the top level) or an error.
enum Stop {
    Eof,
    Msg(String),
}

impl From<String> for Stop {
    fn from(s: String) -> Self {
        Stop::Msg(s)
    }
}

enum ListErr {
    Eof,
    NotList,
    Msg(String),
}

struct Parser<'a> {
    s: Vec<char>,
    pos: usize,
    mode: Mode<'a>,
}

/// Go's `%q` for the keys in messages.
fn q(s: &str) -> String {
    format!("{s:?}")
}

impl Parser<'_> {
    fn read(&mut self) -> Option<char> {
        let c = self.s.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn unread(&mut self) {
        self.pos = self.pos.saturating_sub(1);
    }

    /// Characters up to (not including) one of `stop`, with backslash escapes resolved;
    /// the stop character is consumed and returned, `None` at the end of input.
    fn until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let mut v = String::new();
        loop {
            match self.read() {
                None => return (v, None),
                Some(c) if stop.contains(&c) => return (v, Some(c)),
                Some('\\') => match self.read() {
                    None => return (v, None),
                    Some(n) => v.push(n),
                },
                Some(c) => v.push(c),
            }
        }
    }

    fn typed(&self, raw: &str) -> Result<Value, String> {
        match &self.mode {
            Mode::File(reader) => reader(raw),
            Mode::String => Ok(Value::String(raw.to_string())),
            Mode::Typed | Mode::Json => Ok(typed_value(raw)),
        }
    }

    fn key(&mut self, data: &mut Map<String, Value>, level: usize) -> Result<(), Stop> {
        let (k, last) = self.until(&['=', '[', ',', '.']);
        match last {
            None => {
                if k.is_empty() {
                    Err(Stop::Eof)
                } else {
                    Err(Stop::Msg(format!("key {} has no value", q(&k))))
                }
            }
            Some('[') => {
                let i = self
                    .key_index()
                    .map_err(|e| format!("error parsing index: {e}"))?;
                let list = match data.get(&k) {
                    None => Vec::new(),
                    Some(Value::Array(l)) => l.clone(),
                    Some(_) => {
                        return Err(Stop::Msg(format!(
                            "unable to parse key: {} is not a list",
                            q(&k)
                        )))
                    }
                };
                let (list, result) = self.list_item(list, i, level);
                set(data, &k, Value::Array(list));
                result
            }
            Some('=') => {
                if matches!(self.mode, Mode::Json) {
                    if self.empty_val() {
                        set(data, &k, Value::Null);
                        return Ok(());
                    }
                    let v = self.json_value()?;
                    set(data, &k, v);
                    self.empty_val();
                    return Ok(());
                }
                match self.val_list() {
                    Ok(list) => {
                        set(data, &k, Value::Array(list));
                        Ok(())
                    }
                    Err(ListErr::Eof) => {
                        set(data, &k, Value::String(String::new()));
                        Err(Stop::Eof)
                    }
                    Err(ListErr::NotList) => {
                        let (raw, _) = self.until(&[',']);
                        let v = self.typed(&raw)?;
                        set(data, &k, v);
                        Ok(())
                    }
                    Err(ListErr::Msg(m)) => Err(Stop::Msg(m)),
                }
            }
            Some(',') => {
                set(data, &k, Value::String(String::new()));
                Err(Stop::Msg(format!(
                    "key {} has no value (cannot end with ,)",
                    q(&k)
                )))
            }
            _ => {
                // '.'
                descend(data, &k, level, |inner, level| self.key(inner, level))
            }
        }
    }

    fn key_index(&mut self) -> Result<i64, String> {
        let (v, last) = self.until(&[']']);
        if last.is_none() {
            return Err("EOF".to_string());
        }
        v.parse::<i64>()
            .map_err(|_| format!("strconv.Atoi: parsing {}: invalid syntax", q(&v)))
    }

    fn list_item(
        &mut self,
        list: Vec<Value>,
        i: i64,
        level: usize,
    ) -> (Vec<Value>, Result<(), Stop>) {
        if i < 0 {
            return (
                list,
                Err(Stop::Msg(format!("negative {i} index not allowed"))),
            );
        }
        let (k, last) = self.until(&['[', '.', '=']);
        if !k.is_empty() {
            return (
                list,
                Err(Stop::Msg(format!(
                    "unexpected data at end of array index: {}",
                    q(&k)
                ))),
            );
        }
        match last {
            None => (list, Err(Stop::Eof)),
            Some('=') => {
                if matches!(self.mode, Mode::Json) {
                    if self.empty_val() {
                        return set_index(list, i, Value::Null);
                    }
                    let v = match self.json_value() {
                        Ok(v) => v,
                        Err(e) => return (list, Err(e)),
                    };
                    let (list, r) = set_index(list, i, v);
                    if r.is_err() {
                        return (list, r);
                    }
                    self.empty_val();
                    return (list, Ok(()));
                }
                match self.val_list() {
                    Ok(vl) => set_index(list, i, Value::Array(vl)),
                    Err(ListErr::Eof) => set_index(list, i, Value::String(String::new())),
                    Err(ListErr::NotList) => {
                        let (raw, _) = self.until(&[',']);
                        match self.typed(&raw) {
                            Ok(v) => set_index(list, i, v),
                            Err(e) => (list, Err(Stop::Msg(e))),
                        }
                    }
                    Err(ListErr::Msg(m)) => (list, Err(Stop::Msg(m))),
                }
            }
            Some('[') => {
                let next = match self.key_index() {
                    Ok(n) => n,
                    Err(e) => return (list, Err(Stop::Msg(format!("error parsing index: {e}")))),
                };
                let current = match usize::try_from(i).ok().and_then(|i| list.get(i)) {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::Array(l)) => l.clone(),
                    Some(_) => {
                        return (
                            list,
                            Err(Stop::Msg(format!(
                                "unable to parse key: element {i} is not a list"
                            ))),
                        )
                    }
                };
                let (inner, r) = self.list_item(current, next, level);
                if r.is_err() {
                    return (list, r);
                }
                set_index(list, i, Value::Array(inner))
            }
            _ => {
                // '.': a map inside the list (an element that is not a map is replaced).
                let mut inner = match usize::try_from(i).ok().and_then(|i| list.get(i)) {
                    Some(Value::Object(m)) => m.clone(),
                    _ => Map::new(),
                };
                if let Err(e) = self.key(&mut inner, level) {
                    return (list, Err(e));
                }
                set_index(list, i, Value::Object(inner))
            }
        }
    }

    /// Consumes blanks up to a comma or the end (true: the value is empty); stops before
    /// anything else (false).
    fn empty_val(&mut self) -> bool {
        loop {
            match self.read() {
                None | Some(',') => return true,
                Some(c) if c.is_whitespace() => {}
                Some(_) => {
                    self.unread();
                    return false;
                }
            }
        }
    }

    /// One JSON value from the current position; the rest of the line stays unread.
    fn json_value(&mut self) -> Result<Value, Stop> {
        let rest: String = self.s[self.pos..].iter().collect();
        let mut stream = serde_json::Deserializer::from_str(&rest).into_iter::<Value>();
        match stream.next() {
            Some(Ok(v)) => {
                let used = rest[..stream.byte_offset()].chars().count();
                self.pos += used;
                Ok(v)
            }
            Some(Err(e)) => Err(Stop::Msg(e.to_string())),
            None => Err(Stop::Msg("unexpected end of JSON input".to_string())),
        }
    }

    fn val_list(&mut self) -> Result<Vec<Value>, ListErr> {
        match self.read() {
            None => return Err(ListErr::Eof),
            Some('{') => {}
            Some(_) => {
                self.unread();
                return Err(ListErr::NotList);
            }
        }
        let mut list = Vec::new();
        loop {
            let (raw, last) = self.until(&[',', '}']);
            match last {
                None => return Err(ListErr::Msg("list must terminate with '}'".to_string())),
                Some('}') => {
                    if let Some(c) = self.read() {
                        if c != ',' {
                            self.unread();
                        }
                    }
                    list.push(self.typed(&raw).map_err(ListErr::Msg)?);
                    return Ok(list);
                }
                _ => list.push(self.typed(&raw).map_err(ListErr::Msg)?),
            }
        }
    }
}

/// A `.` after key `k` (both parsers): the rest of the name goes into the map at `k`, a new
/// one when there is none; `key` parses that rest one level deeper.
fn descend(
    data: &mut Map<String, Value>,
    k: &str,
    level: usize,
    key: impl FnOnce(&mut Map<String, Value>, usize) -> Result<(), Stop>,
) -> Result<(), Stop> {
    let level = level + 1;
    if level > MAX_NESTED_NAME_LEVEL {
        return Err(Stop::Msg(format!("value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}")));
    }
    let mut inner = match data.get(k) {
        None => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => {
            return Err(Stop::Msg(format!(
                "unable to parse key: {} is not a map",
                q(k)
            )))
        }
    };
    let e = key(&mut inner, level);
    if e.is_ok() && inner.is_empty() {
        return Err(Stop::Msg(format!("key map {} has no value", q(k))));
    }
    if !inner.is_empty() {
        set(data, k, Value::Object(inner));
    }
    e
}

fn set(data: &mut Map<String, Value>, key: &str, value: Value) {
    if !key.is_empty() {
        data.insert(key.to_string(), value);
    }
}

fn set_index(mut list: Vec<Value>, i: i64, value: Value) -> (Vec<Value>, Result<(), Stop>) {
    if i < 0 {
        return (
            list,
            Err(Stop::Msg(format!("negative {i} index not allowed"))),
        );
    }
    if i > MAX_INDEX {
        return (
            list,
            Err(Stop::Msg(format!(
                "index of {i} is greater than maximum supported index of {MAX_INDEX}"
            ))),
        );
    }
    let i = usize::try_from(i).unwrap_or(0);
    if list.len() <= i {
        list.resize(i + 1, Value::Null);
    }
    list[i] = value;
    (list, Ok(()))
}

/// Helm's `typedVal`: `true`/`false`/`null` in any case, `0`, and integers that do not
/// start with `0`; anything else is a string.
pub fn typed_value(s: &str) -> Value {
    if s.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if s.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if s.eq_ignore_ascii_case("null") {
        return Value::Null;
    }
    if s == "0" {
        return Value::from(0);
    }
    if !s.is_empty() && !s.starts_with('0') {
        if let Ok(i) = s.parse::<i64>() {
            return Value::from(i);
        }
    }
    Value::String(s.to_string())
}

/// `--set-literal`: Helm's `ParseLiteralInto`. The name is a dotted path with list indexes
/// as for `--set` (but without backslash escapes); the value is everything after the first
/// `=` that ends the name, taken literally: commas, braces, backslashes and all, never typed.
pub fn parse_literal_into(line: &str, dest: &mut Map<String, Value>) -> Result<(), String> {
    let mut p = Literal {
        s: line.chars().collect(),
        pos: 0,
    };
    loop {
        match p.key(dest, 0) {
            Ok(()) => continue,
            Err(Stop::Eof) => return Ok(()),
            Err(Stop::Msg(m)) => return Err(m),
        }
    }
}

struct Literal {
    s: Vec<char>,
    pos: usize,
}

impl Literal {
    /// Characters up to one of `stop` (consumed and returned), no escapes.
    fn until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let mut v = String::new();
        while let Some(&c) = self.s.get(self.pos) {
            self.pos += 1;
            if stop.contains(&c) {
                return (v, Some(c));
            }
            v.push(c);
        }
        (v, None)
    }

    fn rest(&mut self) -> String {
        self.until(&[]).0
    }

    fn key_index(&mut self) -> Result<i64, String> {
        let (v, last) = self.until(&[']']);
        if last.is_none() {
            return Err("error parsing index: EOF".to_string());
        }
        v.parse::<i64>().map_err(|_| {
            format!(
                "error parsing index: strconv.Atoi: parsing {}: invalid syntax",
                q(&v)
            )
        })
    }

    fn key(&mut self, data: &mut Map<String, Value>, level: usize) -> Result<(), Stop> {
        let (k, last) = self.until(&['=', '[', '.']);
        match last {
            None if k.is_empty() => Err(Stop::Eof),
            None => Err(Stop::Msg(format!("key {} has no value", q(&k)))),
            Some('=') => {
                let v = self.rest();
                set(data, &k, Value::String(v));
                Ok(())
            }
            Some('.') => descend(data, &k, level, |inner, level| self.key(inner, level)),
            _ => {
                // '['
                let i = self.key_index()?;
                let list = match data.get(&k) {
                    None => Vec::new(),
                    Some(Value::Array(l)) => l.clone(),
                    Some(_) => {
                        return Err(Stop::Msg(format!(
                            "unable to parse key: {} is not a list",
                            q(&k)
                        )))
                    }
                };
                let (list, result) = self.list_item(list, i, level);
                set(data, &k, Value::Array(list));
                result
            }
        }
    }

    fn list_item(
        &mut self,
        list: Vec<Value>,
        i: i64,
        level: usize,
    ) -> (Vec<Value>, Result<(), Stop>) {
        if i < 0 {
            return (
                list,
                Err(Stop::Msg(format!("negative {i} index not allowed"))),
            );
        }
        let (k, last) = self.until(&['[', '.', '=']);
        if !k.is_empty() {
            return (
                list,
                Err(Stop::Msg(format!(
                    "unexpected data at end of array index: {}",
                    q(&k)
                ))),
            );
        }
        let existing = usize::try_from(i).ok().and_then(|u| list.get(u)).cloned();
        match last {
            None => (list, Err(Stop::Eof)),
            Some('=') => {
                let v = self.rest();
                set_index(list, i, Value::String(v))
            }
            Some('.') => {
                let mut inner = match existing {
                    Some(Value::Object(m)) => m,
                    _ => Map::new(),
                };
                if let Err(e) = self.key(&mut inner, level) {
                    return (list, Err(e));
                }
                set_index(list, i, Value::Object(inner))
            }
            _ => {
                // '['
                let next = match self.key_index() {
                    Ok(n) => n,
                    Err(e) => return (list, Err(Stop::Msg(e))),
                };
                let current = match existing {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::Array(l)) => l,
                    Some(_) => {
                        return (
                            list,
                            Err(Stop::Msg(format!(
                                "unable to parse key: index {i} is not a list"
                            ))),
                        )
                    }
                };
                let (inner, result) = self.list_item(current, next, level);
                if let Err(e) = result {
                    return (list, Err(e));
                }
                set_index(list, i, Value::Array(inner))
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod literal_tests {
    use super::*;
    use serde_json::json;

    fn lit(lines: &[&str]) -> Result<Value, String> {
        let mut m = Map::new();
        for l in lines {
            parse_literal_into(l, &mut m)?;
        }
        Ok(Value::Object(m))
    }

    // Cases from Helm's pkg/strvals/literal_parser_test.go (v3.17.2).
    #[test]
    fn values_are_literal() {
        assert_eq!(lit(&["name=value"]).unwrap(), json!({"name": "value"}));
        assert_eq!(
            lit(&["long_int_string=1234567890"]).unwrap(),
            json!({"long_int_string": "1234567890"})
        );
        assert_eq!(lit(&["boolean=true"]).unwrap(), json!({"boolean": "true"}));
        assert_eq!(lit(&["is_null=null"]).unwrap(), json!({"is_null": "null"}));
        assert_eq!(lit(&["zero=0"]).unwrap(), json!({"zero": "0"}));
        assert_eq!(
            lit(&["name1=value1,name2=value2"]).unwrap(),
            json!({"name1": "value1,name2=value2"})
        );
        assert_eq!(
            lit(&["name1=value1,,,,name2=value2,,"]).unwrap(),
            json!({"name1": "value1,,,,name2=value2,,"})
        );
        assert_eq!(
            lit(&["name=one two three"]).unwrap(),
            json!({"name": "one two three"})
        );
        assert_eq!(
            lit(&["name={value1,value2}"]).unwrap(),
            json!({"name": "{value1,value2}"})
        );
        assert_eq!(
            lit(&["name=val\\,ue"]).unwrap(),
            json!({"name": "val\\,ue"})
        );
        assert_eq!(lit(&["name=a=b"]).unwrap(), json!({"name": "a=b"}));
        assert_eq!(lit(&["name="]).unwrap(), json!({"name": ""}));
        assert_eq!(
            lit(&["outer.inner=value"]).unwrap(),
            json!({"outer": {"inner": "value"}})
        );
        assert_eq!(
            lit(&["outer.middle.inner=value"]).unwrap(),
            json!({"outer": {"middle": {"inner": "value"}}})
        );
        assert_eq!(
            lit(&["outer.inner1=value,outer.inner2=value2"]).unwrap(),
            json!({"outer": {"inner1": "value,outer.inner2=value2"}})
        );
        assert_eq!(
            lit(&["outer.inner1=value", "outer.inner2=value2"]).unwrap(),
            json!({"outer": {"inner1": "value", "inner2": "value2"}})
        );
        assert_eq!(lit(&["list[0]=foo"]).unwrap(), json!({"list": ["foo"]}));
        assert_eq!(
            lit(&["list[0].foo=bar"]).unwrap(),
            json!({"list": [{"foo": "bar"}]})
        );
        assert_eq!(
            lit(&["list[0].foo=bar", "list[0].hello=world"]).unwrap(),
            json!({"list": [{"foo": "bar", "hello": "world"}]})
        );
        assert_eq!(
            lit(&["list[0]=foo", "list[1]=bar"]).unwrap(),
            json!({"list": ["foo", "bar"]})
        );
        assert_eq!(
            lit(&["list[1]=foo"]).unwrap(),
            json!({"list": [null, "foo"]})
        );
        assert_eq!(
            lit(&["list[0][0]=foo"]).unwrap(),
            json!({"list": [["foo"]]})
        );
        assert_eq!(
            lit(&["nested[1][1]=1"]).unwrap(),
            json!({"nested": [null, [null, "1"]]})
        );
        assert_eq!(
            lit(&["a.b.c[0].d=x"]).unwrap(),
            json!({"a": {"b": {"c": [{"d": "x"}]}}})
        );
        // Keys have no escapes: a backslash is part of the key.
        assert_eq!(lit(&["a\\b=c"]).unwrap(), json!({"a\\b": "c"}));
        assert_eq!(lit(&[""]).unwrap(), json!({}));
        assert_eq!(lit(&["noval[0]"]).unwrap(), json!({"noval": []}));
        assert_eq!(lit(&["noval[0]="]).unwrap(), json!({"noval": [""]}));
        assert_eq!(
            lit(&["leading_zeros=00009"]).unwrap(),
            json!({"leading_zeros": "00009"})
        );
    }

    #[test]
    fn errors() {
        assert_eq!(lit(&["name"]).unwrap_err(), "key \"name\" has no value");
        assert_eq!(lit(&["a.b"]).unwrap_err(), "key \"b\" has no value");
        assert_eq!(
            lit(&["name1.=name2"]).unwrap_err(),
            "key map \"name1\" has no value"
        );
        assert!(lit(&["name1.,name2"]).is_err());
        assert!(lit(&["illegal[0]name.foo=bar"]).is_err());
        assert!(lit(&["list[-30].hello=world"]).is_err());
        assert_eq!(
            lit(&["list[-1]=x"]).unwrap_err(),
            "negative -1 index not allowed"
        );
        assert_eq!(
            lit(&["list[x]=x"]).unwrap_err(),
            "error parsing index: strconv.Atoi: parsing \"x\": invalid syntax"
        );
        assert_eq!(
            lit(&["list[0]x=x"]).unwrap_err(),
            "unexpected data at end of array index: \"x\""
        );
        assert!(lit(&["list[99999999]=x"])
            .unwrap_err()
            .contains("greater than maximum supported index"));
        assert!(lit(&["a=1", "a.b=2"]).unwrap_err().contains("is not a map"));
        let deep = format!("{}=x", vec!["a"; 40].join("."));
        assert!(lit(&[deep.as_str()]).unwrap_err().contains("nested level"));
    }
}
