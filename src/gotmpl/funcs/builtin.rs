//! Go's builtin template functions (`text/template`'s `builtins()`, go1.23): `not`, `len`,
//! `index`, `print`, `printf`, `println`, `html`, `js`, `urlquery` and the comparisons `eq`,
//! `ne`, `lt`, `le`, `gt`, `ge`.
//!
//! Not here: `and` and `or` (they short-circuit, so the executor evaluates them), `call`
//! (templates get no function values), and `slice` (Sprig's `slice` replaces Go's in Helm's
//! function map: see `sprig_lists`).

use std::fmt::Write as _;
use std::rc::Rc;

use super::{Env, Func, Ty};
use crate::gotmpl::fmt::{sprint, sprintf, sprintln};
use crate::gotmpl::{FuncError, Value};

pub const FUNCS: &[Func] = &[
    Func {
        name: "not",
        params: &[Ty::Any],
        variadic: None,
        doc: "The boolean negation of its single argument's truth (false, 0, nil and empty values are false).",
        imp: not,
    },
    Func {
        name: "len",
        params: &[Ty::Any],
        variadic: None,
        doc: "The length of a string (in bytes), list or map.",
        imp: len,
    },
    Func {
        name: "index",
        params: &[Ty::Any],
        variadic: Some(Ty::Any),
        doc: "`index x 1 2 3` is x[1][2][3]: lists and strings by integer, maps by key (a missing key gives the map's zero value, nil).",
        imp: index,
    },
    Func {
        name: "print",
        params: &[],
        variadic: Some(Ty::Any),
        doc: "fmt.Sprint: the arguments printed with %v, a space between two operands when neither is a string.",
        imp: print,
    },
    Func {
        name: "printf",
        params: &[Ty::Str],
        variadic: Some(Ty::Any),
        doc: "fmt.Sprintf: Go's verbs, flags, width and precision (numbers from values files are float64: %d of one prints %!d(float64=80)).",
        imp: printf,
    },
    Func {
        name: "println",
        params: &[],
        variadic: Some(Ty::Any),
        doc: "fmt.Sprintln: the arguments printed with %v, separated by spaces, then a newline.",
        imp: println,
    },
    Func {
        name: "html",
        params: &[],
        variadic: Some(Ty::Any),
        doc: "The HTML-escaped text of its arguments (' \" & < > escaped).",
        imp: html,
    },
    Func {
        name: "js",
        params: &[],
        variadic: Some(Ty::Any),
        doc: "The JavaScript-escaped text of its arguments.",
        imp: js,
    },
    Func {
        name: "urlquery",
        params: &[],
        variadic: Some(Ty::Any),
        doc: "The text of its arguments escaped for a URL query (url.QueryEscape).",
        imp: urlquery,
    },
    Func {
        name: "eq",
        params: &[Ty::Any],
        variadic: Some(Ty::Any),
        doc: "`eq a b c` is a==b || a==c: basic values of the same kind class compare (all integers together; an int with a float is an error); nil equals only nil.",
        imp: eq,
    },
    Func {
        name: "ne",
        params: &[Ty::Any, Ty::Any],
        variadic: None,
        doc: "a != b, with eq's rules.",
        imp: ne,
    },
    Func {
        name: "lt",
        params: &[Ty::Any, Ty::Any],
        variadic: None,
        doc: "a < b, for integers, floats and strings of the same kind class.",
        imp: lt,
    },
    Func {
        name: "le",
        params: &[Ty::Any, Ty::Any],
        variadic: None,
        doc: "a <= b, for integers, floats and strings of the same kind class.",
        imp: le,
    },
    Func {
        name: "gt",
        params: &[Ty::Any, Ty::Any],
        variadic: None,
        doc: "a > b, for integers, floats and strings of the same kind class.",
        imp: gt,
    },
    Func {
        name: "ge",
        params: &[Ty::Any, Ty::Any],
        variadic: None,
        doc: "a >= b, for integers, floats and strings of the same kind class.",
        imp: ge,
    },
];

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or_default()
}

fn not(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Bool(!arg(&args, 0).truthy()))
}

fn len(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let v = arg(&args, 0);
    let n = match &v {
        Value::Nil => return Err(FuncError::new("len of nil pointer")),
        Value::Str(s) => crate::gotmpl::value::go_string_bytes(s).len(),
        Value::Bytes(b) => b.len(),
        Value::List(l, _) => l.len(),
        Value::Map(m, _) => m.borrow().len(),
        Value::Object(o) => match o.as_collection() {
            Some(Value::Map(m, _)) => {
                let n = m.borrow().len();
                n
            }
            Some(Value::List(l, _)) => l.len(),
            _ => return Err(FuncError::new(format!("len of type {}", v.type_name()))),
        },
        _ => return Err(FuncError::new(format!("len of type {}", v.type_name()))),
    };
    Ok(Value::Int(n as i64))
}

/// Go's `indexArg`: an integer index below `cap` (`cap` itself passes: slicing needs it).
fn index_arg(index: &Value, cap: usize) -> Result<usize, FuncError> {
    let x = match index {
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Nil => return Err(FuncError::new("cannot index slice/array with nil")),
        other => {
            return Err(FuncError::new(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            )))
        }
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(FuncError::new(format!("index out of range: {x}")));
    }
    Ok(x as usize)
}

/// Go's `index` (which Sprig's `slice` and Helm's charts rely on).
pub fn index_value(item: &Value, indexes: &[Value]) -> Result<Value, FuncError> {
    let mut item = item.clone();
    if item.is_nil() {
        return Err(FuncError::new("index of untyped nil"));
    }
    for index in indexes {
        item = match &item {
            // A nil inside a list or map: a nil interface, which Go reports as such.
            Value::Nil => return Err(FuncError::new("index of nil pointer")),
            Value::List(l, _) => {
                let x = index_arg(index, l.len())?;
                match l.get(x) {
                    Some(v) => v.clone(),
                    None => return Err(FuncError::new("reflect: slice index out of range")),
                }
            }
            Value::Bytes(b) => {
                let x = index_arg(index, b.len())?;
                match b.get(x) {
                    Some(v) => Value::Int(i64::from(*v)),
                    None => return Err(FuncError::new("reflect: slice index out of range")),
                }
            }
            Value::Str(s) => {
                let x = index_arg(index, s.len())?;
                match s.as_bytes().get(x) {
                    Some(v) => Value::Int(i64::from(*v)),
                    None => return Err(FuncError::new("reflect: string index out of range")),
                }
            }
            Value::Map(m, _) => match index {
                Value::Str(k) => {
                    let v = m.borrow().get(&**k).cloned();
                    v.unwrap_or_default()
                }
                Value::Nil => return Err(FuncError::new("value is nil; should be of type string")),
                other => {
                    return Err(FuncError::new(format!(
                        "value has type {}; should be string",
                        other.type_name()
                    )))
                }
            },
            // A map-typed object (`.Files`) indexes as the map it is.
            Value::Object(o) => match o.as_collection() {
                Some(map) => match index_value(&map, std::slice::from_ref(index))? {
                    Value::Nil => o.missing_element(),
                    found => found,
                },
                None => {
                    return Err(FuncError::new(format!(
                        "can't index item of type {}",
                        o.type_name()
                    )))
                }
            },
            other => {
                return Err(FuncError::new(format!(
                    "can't index item of type {}",
                    other.type_name()
                )))
            }
        };
    }
    Ok(item)
}

fn index(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    index_value(&arg(&args, 0), args.get(1..).unwrap_or_default())
}

fn charged(env: &mut dyn Env, s: String) -> Result<Value, FuncError> {
    env.charge(s.len())?;
    Ok(Value::from(s))
}

fn print(env: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    charged(env, sprint(&args))
}

fn println(env: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    charged(env, sprintln(&args))
}

/// An upper bound of the padding a format asks for (widths and precisions), so that
/// `printf "%999999d%999999d..."` is refused before it is built.
fn padding_bound(format: &str) -> usize {
    let mut total = 0usize;
    let mut num = 0usize;
    let mut in_num = false;
    for b in format.bytes() {
        if b.is_ascii_digit() {
            num = num.saturating_mul(10).saturating_add(usize::from(b - b'0'));
            in_num = true;
        } else {
            if in_num {
                total = total.saturating_add(num.min(1_000_000));
            }
            if b == b'*' {
                total = total.saturating_add(1_000_000);
            }
            num = 0;
            in_num = false;
        }
    }
    if in_num {
        total = total.saturating_add(num.min(1_000_000));
    }
    total
}

fn printf(env: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let format = arg(&args, 0);
    let format = format.as_str().unwrap_or_default();
    let bound = padding_bound(format);
    if bound > 1 << 16 {
        env.charge(bound)?;
    }
    charged(env, sprintf(format, args.get(1..).unwrap_or_default()))
}

/// Go's `evalArgs`: a lone string as it is, else `fmt.Sprint` of the arguments.
fn eval_args(args: &[Value]) -> String {
    if let [Value::Str(s)] = args {
        return s.to_string();
    }
    sprint(args)
}

/// Go's `template.HTMLEscapeString`.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Go's `template.JSEscapeString`.
pub fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\x3C"),
            '>' => out.push_str("\\x3E"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u00{:02X}", c as u32);
            }
            c if c.is_ascii() || super::sprig_strings::is_print(c) => out.push(c),
            c => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            b => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

fn html(env: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    charged(env, html_escape(&eval_args(&args)))
}

fn js(env: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    charged(env, js_escape(&eval_args(&args)))
}

fn urlquery(env: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    charged(env, query_escape(&eval_args(&args)))
}

/// Go's `basicKind` classes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BasicKind {
    Invalid,
    Bool,
    Int,
    Float,
    Str,
}

fn basic_kind(v: &Value) -> BasicKind {
    match v {
        Value::Bool(_) => BasicKind::Bool,
        Value::Int(_) | Value::Int64(_) => BasicKind::Int,
        Value::Float(_) => BasicKind::Float,
        Value::Str(_) => BasicKind::Str,
        _ => BasicKind::Invalid,
    }
}

const BAD_COMPARISON_TYPE: &str = "invalid type for comparison";
const BAD_COMPARISON: &str = "incompatible types for comparison";
const NO_COMPARISON: &str = "missing argument for comparison";

/// Go's reflect kind name, as `%v` of a `reflect.Type`'s kind-level comparisons print it.
fn same_reflect_kind(a: &Value, b: &Value) -> bool {
    a.kind() == b.kind()
}

/// One `a == b` of Go's `eq`.
pub fn equal(a: &Value, b: &Value) -> Result<bool, FuncError> {
    let k1 = basic_kind(a);
    let k2 = basic_kind(b);
    if k1 != k2 {
        if !a.is_nil() && !b.is_nil() {
            return Err(FuncError::new(BAD_COMPARISON));
        }
        return Ok(false);
    }
    Ok(match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        _ if k1 == BasicKind::Int => a.as_int() == b.as_int(),
        _ => {
            // Not basic: nil, lists, maps, structs.
            if !(same_reflect_kind(a, b) || a.is_nil() || b.is_nil()) {
                return Err(FuncError::new(format!(
                    "non-comparable types {}: {}, {}: {}",
                    crate::gotmpl::fmt::sprint_one(a),
                    a.type_name(),
                    b.type_name(),
                    crate::gotmpl::fmt::sprint_one(b)
                )));
            }
            if a.is_nil() || b.is_nil() {
                a.is_nil() == b.is_nil()
            } else {
                match (a, b) {
                    (Value::Object(x), Value::Object(y)) => Rc::ptr_eq(x, y),
                    _ => {
                        return Err(FuncError::new(format!(
                            "non-comparable type {}: {}",
                            crate::gotmpl::fmt::sprint_one(b),
                            b.type_name()
                        )))
                    }
                }
            }
        }
    })
}

fn eq(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let a = arg(&args, 0);
    if args.len() < 2 {
        return Err(FuncError::new(NO_COMPARISON));
    }
    for b in &args[1..] {
        if equal(&a, b)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn ne(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Bool(!equal(&arg(&args, 0), &arg(&args, 1))?))
}

/// Go's `lt`.
pub fn less(a: &Value, b: &Value) -> Result<bool, FuncError> {
    let k1 = basic_kind(a);
    let k2 = basic_kind(b);
    if k1 == BasicKind::Invalid || k2 == BasicKind::Invalid {
        return Err(FuncError::new(BAD_COMPARISON_TYPE));
    }
    if k1 != k2 {
        return Err(FuncError::new(BAD_COMPARISON));
    }
    Ok(match (a, b) {
        (Value::Float(x), Value::Float(y)) => x < y,
        (Value::Str(x), Value::Str(y)) => x.as_bytes() < y.as_bytes(),
        (Value::Bool(_), _) => return Err(FuncError::new(BAD_COMPARISON_TYPE)),
        _ => a.as_int() < b.as_int(),
    })
}

fn lt(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Bool(less(&arg(&args, 0), &arg(&args, 1))?))
}

fn less_equal(a: &Value, b: &Value) -> Result<bool, FuncError> {
    if less(a, b)? {
        return Ok(true);
    }
    equal(a, b)
}

fn le(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Bool(less_equal(&arg(&args, 0), &arg(&args, 1))?))
}

fn gt(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Bool(!less_equal(&arg(&args, 0), &arg(&args, 1))?))
}

fn ge(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Bool(!less(&arg(&args, 0), &arg(&args, 1))?))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::testenv::{f, i, list, map, s, show};
    use crate::gotmpl::fmt::{format_float_g, sprintf};
    use crate::gotmpl::Value;

    #[test]
    fn comparisons_follow_go() {
        assert_eq!(show("eq", vec![i(1), i(2), i(1)]), "true");
        assert_eq!(show("eq", vec![Value::Int64(3), i(3)]), "true");
        assert_eq!(show("eq", vec![s("a"), s("a")]), "true");
        assert_eq!(
            show("eq", vec![i(1), f(1.0)]),
            "error: incompatible types for comparison"
        );
        assert_eq!(show("eq", vec![s("a"), Value::Nil]), "false");
        assert_eq!(show("eq", vec![Value::Nil, Value::Nil]), "true");
        assert_eq!(
            show("eq", vec![i(1)]),
            "error: missing argument for comparison"
        );
        assert_eq!(
            show("eq", vec![map(vec![]), map(vec![])]),
            "error: non-comparable type map[]: map[string]interface {}"
        );
        assert_eq!(
            show("eq", vec![list(vec![]), map(vec![])]),
            "error: non-comparable types []: []interface {}, map[string]interface {}: map[]"
        );
        assert_eq!(show("ne", vec![s("a"), s("b")]), "true");
        assert_eq!(show("lt", vec![i(1), i(2)]), "true");
        assert_eq!(show("lt", vec![s("b"), s("a")]), "false");
        assert_eq!(show("le", vec![f(2.0), f(2.0)]), "true");
        assert_eq!(show("gt", vec![f(2.5), f(2.0)]), "true");
        assert_eq!(show("ge", vec![i(1), i(2)]), "false");
        assert_eq!(
            show("lt", vec![Value::Nil, i(2)]),
            "error: invalid type for comparison"
        );
        assert_eq!(
            show("gt", vec![Value::Bool(true), Value::Bool(false)]),
            "error: invalid type for comparison"
        );
        assert_eq!(
            show("lt", vec![i(1), f(2.0)]),
            "error: incompatible types for comparison"
        );
    }

    #[test]
    fn len_and_index() {
        assert_eq!(show("len", vec![s("héllo")]), "6");
        assert_eq!(show("len", vec![list(vec![i(1), i(2)])]), "2");
        assert_eq!(show("len", vec![Value::Nil]), "error: len of nil pointer");
        assert_eq!(show("len", vec![i(3)]), "error: len of type int");
        let l = list(vec![s("a"), list(vec![i(7), i(8)])]);
        assert_eq!(show("index", vec![l.clone(), i(1), i(0)]), "7");
        assert_eq!(
            show("index", vec![l.clone(), i(5)]),
            "error: index out of range: 5"
        );
        assert_eq!(
            show("index", vec![l.clone(), i(2)]),
            "error: reflect: slice index out of range"
        );
        assert_eq!(
            show("index", vec![l, s("x")]),
            "error: cannot index slice/array with type string"
        );
        let m = map(vec![("a", map(vec![("b", s("c"))]))]);
        assert_eq!(show("index", vec![m.clone(), s("a"), s("b")]), "c");
        assert_eq!(show("index", vec![m.clone(), s("zz")]), "<nil>");
        assert_eq!(
            show("index", vec![m, i(1)]),
            "error: value has type int; should be string"
        );
        assert_eq!(
            show("index", vec![Value::Nil, s("a")]),
            "error: index of untyped nil"
        );
        assert_eq!(show("index", vec![s("abc"), i(1)]), "98");
        assert_eq!(
            show("index", vec![i(3), i(1)]),
            "error: can't index item of type int"
        );
    }

    #[test]
    fn printing_and_escaping() {
        assert_eq!(show("print", vec![s("a"), i(1), i(2), s("b")]), "a1 2b");
        assert_eq!(show("println", vec![s("a"), i(1)]), "a 1\n");
        assert_eq!(
            show("html", vec![s("<a href=\"x\">'&'</a>")]),
            "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(
            show("js", vec![s("a'b\"<c>\\\n")]),
            "a\\'b\\\"\\x3Cc\\x3E\\\\\\u000A"
        );
        assert_eq!(
            show("urlquery", vec![s("a b&c=d/é")]),
            "a+b%26c%3Dd%2F%C3%A9"
        );
        assert_eq!(show("not", vec![map(vec![])]), "true");
        assert_eq!(show("not", vec![s("x")]), "false");
    }

    fn p(fmt: &str, args: Vec<Value>) -> String {
        sprintf(fmt, &args)
    }

    #[test]
    fn sprintf_verbs() {
        // Helm values are float64.
        assert_eq!(p("%d", vec![f(80.0)]), "%!d(float64=80)");
        assert_eq!(p("%d", vec![i(80)]), "80");
        assert_eq!(p("%s", vec![Value::Nil]), "%!s(<nil>)");
        assert_eq!(p("%d", vec![Value::Nil]), "%!d(<nil>)");
        assert_eq!(p("%v", vec![Value::Nil]), "<nil>");
        assert_eq!(p("%s-%s", vec![s("a")]), "a-%!s(MISSING)");
        assert_eq!(
            p("%s", vec![s("a"), s("x"), i(3)]),
            "a%!(EXTRA string=x, int=3)"
        );
        assert_eq!(p("%", vec![]), "%!(NOVERB)");
        assert_eq!(p("%d", vec![s("abc")]), "%!d(string=abc)");
        assert_eq!(
            p("%5d|%-5d|%05d", vec![i(42), i(42), i(-42)]),
            "   42|42   |-0042"
        );
        assert_eq!(
            p(
                "%x %X %o %b %#x %#o",
                vec![i(255), i(255), i(8), i(5), i(255), i(8)]
            ),
            "ff FF 10 101 0xff 010"
        );
        assert_eq!(p("%+d % d", vec![i(5), i(5)]), "+5  5");
        assert_eq!(p("%.3d", vec![i(7)]), "007");
        assert_eq!(p("%q", vec![s("a\"b\n")]), "\"a\\\"b\\n\"");
        assert_eq!(
            p("%10s|%-4s|%.2s", vec![s("abc"), s("ab"), s("abcdef")]),
            "       abc|ab  |ab"
        );
        assert_eq!(p("%x", vec![s("hi")]), "6869");
        assert_eq!(p("%c %U", vec![i(65), i(0x1F600)]), "A U+1F600");
        assert_eq!(p("%t", vec![Value::Bool(true)]), "true");
        assert_eq!(
            p("%T %T %T", vec![f(1.0), list(vec![]), Value::Nil]),
            "float64 []interface {} <nil>"
        );
        assert_eq!(p("%*d", vec![i(4), i(1)]), "   1");
        assert_eq!(p("%.*f", vec![i(1), f(2.25)]), "2.2");
        assert_eq!(p("%[2]s %[1]s", vec![s("a"), s("b")]), "b a");
        assert_eq!(p("%!", vec![]), "%!!(MISSING)");
        assert_eq!(p("100%%", vec![]), "100%");
        assert_eq!(
            p("%v", vec![list(vec![s("a"), Value::Nil, i(1)])]),
            "[a <nil> 1]"
        );
        assert_eq!(p("%d", vec![list(vec![i(1), s("a")])]), "[1 %!d(string=a)]");
        assert_eq!(p("%s", vec![map(vec![("k", s("v"))])]), "map[k:v]");
        assert_eq!(p("%q", vec![list(vec![s("a"), s("b")])]), "[\"a\" \"b\"]");
        assert_eq!(
            p("%s", vec![Value::Bytes(std::rc::Rc::from(&b"hi"[..]))]),
            "hi"
        );
        assert_eq!(
            p("%v", vec![Value::Bytes(std::rc::Rc::from(&b"hi"[..]))]),
            "[104 105]"
        );
    }

    #[test]
    fn sprintf_hex_and_binary_floats_and_nils_inside() {
        // Each checked against helm v3.17.2's printf.
        assert_eq!(
            p(
                "%x|%X|%.2x|%b|%x|%x|%x|%.0x|%x",
                vec![
                    f(1.5),
                    f(-0.1),
                    f(1.0),
                    f(1.0),
                    f(0.0),
                    f(1e300),
                    f(5e-324),
                    f(1.96875),
                    f(100000.0)
                ]
            ),
            "0x1.8p+00|-0X1.999999999999AP-04|0x1.00p+00|4503599627370496p-52|0x0p+00|0x1.7e43c8800759cp+996|0x1p-1074|0x1p+01|0x1.86ap+16"
        );
        assert_eq!(
            p(
                "%#x|%+x|% x|%10.3x|%-12x|",
                vec![f(1.5), f(2.5), f(3.5), f(4.5), f(5.5)]
            ),
            "0x1.8p+0000|+0x1.4p+01| 0x1.cp+01|0x1.200p+02|0x1.6p+02   |"
        );
        assert_eq!(
            p(
                "%-6v|%6v|%v",
                vec![
                    list(vec![Value::Nil, i(1)]),
                    list(vec![Value::Nil, s("a")]),
                    map(vec![("a", Value::Nil)])
                ]
            ),
            "[<nil> 1     ]|[<nil>      a]|map[a:<nil>]"
        );
    }

    #[test]
    fn sprintf_floats() {
        assert_eq!(p("%v", vec![f(8388608.0)]), "8.388608e+06");
        assert_eq!(p("%v", vec![f(1e-7)]), "1e-07");
        assert_eq!(p("%v", vec![f(1000000.0)]), "1e+06");
        assert_eq!(p("%v", vec![f(100000.0)]), "100000");
        assert_eq!(p("%v", vec![f(0.0001)]), "0.0001");
        assert_eq!(p("%v", vec![f(0.00001)]), "1e-05");
        assert_eq!(p("%v", vec![f(1.5)]), "1.5");
        assert_eq!(p("%f", vec![f(1.5)]), "1.500000");
        assert_eq!(p("%.2f", vec![f(0.125)]), "0.12");
        assert_eq!(p("%.2f", vec![f(2.675)]), "2.67");
        assert_eq!(p("%.0f", vec![f(2.5)]), "2");
        assert_eq!(p("%e", vec![f(123456.789)]), "1.234568e+05");
        assert_eq!(p("%E", vec![f(0.0)]), "0.000000E+00");
        assert_eq!(p("%g", vec![f(123456789.0)]), "1.23456789e+08");
        assert_eq!(p("%.3g", vec![f(1.0)]), "1");
        assert_eq!(p("%.3g", vec![f(1234.5)]), "1.23e+03");
        assert_eq!(p("%.3g", vec![f(0.00012345)]), "0.000123");
        assert_eq!(p("%G", vec![f(1e-10)]), "1E-10");
        assert_eq!(
            p(
                "%8.3f|%-8.2f|%08.3f",
                vec![f(3.14259), f(-2.5), f(-3.14259)]
            ),
            "   3.143|-2.50   |-003.143"
        );
        assert_eq!(p("%+.1f % .1f", vec![f(1.0), f(1.0)]), "+1.0  1.0");
        assert_eq!(
            p(
                "%v %v %v",
                vec![f(f64::INFINITY), f(f64::NEG_INFINITY), f(f64::NAN)]
            ),
            "+Inf -Inf NaN"
        );
        assert_eq!(p("%5.1f", vec![f(f64::NAN)]), "  NaN");
        assert_eq!(p("%v", vec![f(-0.0)]), "-0");
        assert_eq!(p("%v", vec![f(1e21)]), "1e+21");
        assert_eq!(p("%v", vec![f(123456.0)]), "123456");
        assert_eq!(format_float_g(12345678901.0), "1.2345678901e+10");
        assert_eq!(p("%#.3g", vec![f(1.0)]), "1.00");
    }
}
