//! Sprig's reflection functions (`reflect.go`: `typeOf`, `typeIs`, `typeIsLike`, `kindOf`,
//! `kindIs`, `deepEqual`) and its defaults (`defaults.go`: `default`, `empty`, `coalesce`,
//! `all`, `any`, `ternary`), which rest on Sprig's reflect-based `empty`.

use std::rc::Rc;

use super::cast::{any_arg, str_arg};
use super::{Env, Func, Ty};
use crate::gotmpl::{FuncError, Value};

type R = Result<Value, FuncError>;

use Ty::{Any, Bool, Str};

pub const FUNCS: &[Func] = &[
    f!(
        "typeOf",
        [Any],
        None,
        "The Go type of a value (`%T`).",
        |_, a| Ok(Value::from(any_arg(&a, 0).type_name()))
    ),
    f!(
        "typeIs",
        [Str, Any],
        None,
        "`typeIs TYPE V`: whether V's Go type is TYPE.",
        |_, a| { Ok(Value::Bool(any_arg(&a, 1).type_name() == str_arg(&a, 0))) }
    ),
    f!(
        "typeIsLike",
        [Str, Any],
        None,
        "`typeIsLike TYPE V`: whether V's type is TYPE or *TYPE.",
        |_, a| {
            let (t, target) = (any_arg(&a, 1).type_name(), str_arg(&a, 0));
            Ok(Value::Bool(t == target || t == format!("*{target}")))
        }
    ),
    f!(
        "kindOf",
        [Any],
        None,
        "The Go reflect kind of a value (`string`, `map`, `slice`, ...).",
        |_, a| { Ok(Value::str(any_arg(&a, 0).kind().name())) }
    ),
    f!(
        "kindIs",
        [Str, Any],
        None,
        "`kindIs KIND V`: whether V's reflect kind is KIND.",
        |_, a| { Ok(Value::Bool(any_arg(&a, 1).kind().name() == str_arg(&a, 0))) }
    ),
    f!(
        "deepEqual",
        [Any, Any],
        None,
        "Go's `reflect.DeepEqual`: same types and equal contents.",
        |_, a| { Ok(Value::Bool(deep_equal(&any_arg(&a, 0), &any_arg(&a, 1)))) }
    ),
    f!(
        "default",
        [Any],
        Some(Any),
        "`default D V`: V, or D when V is missing or empty.",
        dfault
    ),
    f!(
        "empty",
        [Any],
        None,
        "Whether a value is empty (nil, false, 0, \"\", or an empty list or map).",
        |_, a| { Ok(Value::Bool(empty(&any_arg(&a, 0)))) }
    ),
    f!(
        "coalesce",
        [],
        Some(Any),
        "The first non-empty argument (nil when none).",
        |_, a| { Ok(a.into_iter().find(|v| !empty(v)).unwrap_or(Value::Nil)) }
    ),
    f!(
        "all",
        [],
        Some(Any),
        "Whether every argument is non-empty.",
        |_, a| Ok(Value::Bool(a.iter().all(|v| !empty(v))))
    ),
    f!(
        "any",
        [],
        Some(Any),
        "Whether some argument is non-empty.",
        |_, a| Ok(Value::Bool(a.iter().any(|v| !empty(v))))
    ),
    f!(
        "ternary",
        [Any, Any, Bool],
        None,
        "`ternary A B COND`: A when COND is true, else B.",
        |_, a| {
            let cond = matches!(a.get(2), Some(Value::Bool(true)));
            Ok(any_arg(&a, if cond { 0 } else { 1 }))
        }
    ),
];

/// Sprig's `empty`: nil, false, zero numbers, and empty strings, lists and maps are empty;
/// structs (and pointers to them) never are.
pub fn empty(v: &Value) -> bool {
    match v {
        Value::Nil => true,
        Value::Bool(b) => !b,
        Value::Int(i) | Value::Int64(i) => *i == 0,
        Value::Float(f) => *f == 0.0,
        Value::Str(s) => s.is_empty(),
        Value::Bytes(b) => b.is_empty(),
        Value::List(l, _) => l.is_empty(),
        Value::Map(m, _) => m.borrow().is_empty(),
        // A map- or slice-typed object (`.Files`, a Glob, `.Capabilities.APIVersions`) is
        // empty as its collection is; a struct never is.
        Value::Object(o) => o.as_collection().is_some_and(|c| empty(&c)),
    }
}

fn dfault(_: &mut dyn Env, a: Vec<Value>) -> R {
    let d = any_arg(&a, 0);
    // `empty(given)` looks at the variadic slice itself: no value given is empty.
    match a.get(1) {
        Some(v) if !empty(v) => Ok(v.clone()),
        _ => Ok(d),
    }
}

/// Go's `reflect.DeepEqual` on template values.
pub fn deep_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) | (Value::Int64(x), Value::Int64(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::List(x, kx), Value::List(y, ky)) => {
            kx == ky
                && (Rc::ptr_eq(x, y)
                    || x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| deep_equal(p, q)))
        }
        (Value::Map(x, kx), Value::Map(y, ky)) => {
            if kx != ky {
                return false;
            }
            if Rc::ptr_eq(x, y) {
                return true;
            }
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| deep_equal(v, w)))
        }
        (Value::Object(x), Value::Object(y)) => {
            Rc::ptr_eq(x, y)
                || x.type_name() == y.type_name()
                    && x.display() == y.display()
                    && deep_equal(&x.to_data(), &y.to_data())
        }
        _ => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::testenv::{i, s, show};
    use super::*;
    use crate::gotmpl::ListKind;

    #[test]
    fn sprig_defaults() {
        // Sprig's defaults_test.go.
        assert_eq!(show("default", vec![s("foo"), Value::Nil]), "foo");
        assert_eq!(show("default", vec![s("foo")]), "foo");
        assert_eq!(show("default", vec![s("foo"), s("")]), "foo");
        assert_eq!(show("default", vec![s("foo"), s("bar")]), "bar");
        assert_eq!(show("default", vec![i(1), i(0)]), "1");
        assert_eq!(show("default", vec![i(1), Value::Bool(false)]), "1");
        assert_eq!(show("default", vec![s("x"), Value::from(vec![])]), "x");
        assert_eq!(show("default", vec![s("x"), Value::new_map()]), "x");
        assert_eq!(show("empty", vec![Value::Float(0.0)]), "true");
        assert_eq!(show("empty", vec![s(" ")]), "false");
        assert_eq!(show("coalesce", vec![Value::Nil, s(""), i(0), s("x")]), "x");
        assert_eq!(show("coalesce", vec![Value::Nil, s("")]), "<nil>");
        assert_eq!(show("all", vec![i(1), s("x")]), "true");
        assert_eq!(show("all", vec![i(1), s("")]), "false");
        assert_eq!(show("all", vec![]), "true");
        assert_eq!(show("any", vec![i(0), s("")]), "false");
        assert_eq!(show("any", vec![i(0), s("a")]), "true");
        assert_eq!(
            show("ternary", vec![s("a"), s("b"), Value::Bool(true)]),
            "a"
        );
        assert_eq!(
            show("ternary", vec![s("a"), s("b"), Value::Bool(false)]),
            "b"
        );
    }

    #[test]
    fn sprig_reflection() {
        assert_eq!(show("typeOf", vec![i(1)]), "int");
        assert_eq!(show("typeOf", vec![Value::Int64(1)]), "int64");
        assert_eq!(show("typeOf", vec![Value::Nil]), "<nil>");
        assert_eq!(show("typeOf", vec![Value::from(vec![])]), "[]interface {}");
        assert_eq!(show("typeIs", vec![s("string"), s("x")]), "true");
        assert_eq!(show("typeIsLike", vec![s("int"), i(1)]), "true");
        assert_eq!(show("kindOf", vec![Value::new_map()]), "map");
        assert_eq!(show("kindOf", vec![Value::Nil]), "invalid");
        assert_eq!(
            show(
                "kindIs",
                vec![s("slice"), Value::list_of(vec![], ListKind::Str)]
            ),
            "true"
        );
        assert_eq!(
            show("kindIs", vec![s("float64"), Value::Float(1.0)]),
            "true"
        );
        assert_eq!(show("deepEqual", vec![i(1), Value::Int64(1)]), "false");
        assert_eq!(
            show(
                "deepEqual",
                vec![
                    Value::from(vec![i(1), s("a")]),
                    Value::from(vec![i(1), s("a")])
                ]
            ),
            "true"
        );
        assert_eq!(
            show(
                "deepEqual",
                vec![Value::from(vec![s("a")]), Value::strings(["a".to_string()])]
            ),
            "false"
        );
    }
}
