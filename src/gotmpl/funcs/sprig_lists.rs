//! Sprig v3.3.0's list functions (`list.go`): `list`, `tuple`, `append`/`push`, `prepend`,
//! `first`, `rest`, `last`, `initial`, `reverse`, `uniq`, `without`, `has`, `slice`,
//! `concat`, `compact`, `sortAlpha`, `chunk`, and their `must*` forms.
//!
//! They take any list (`[]interface{}`, `[]string`, `[]int`, `[]byte`) and return a new
//! `[]interface{}` (`slice` keeps the list's type). On another type Sprig's plain form panics
//! and its `must*` form returns the error; either way the template fails with the same text
//! (`Cannot find first on type string`). A nil list dereferences a nil `reflect.Type` in
//! Sprig: `runtime error: invalid memory address or nil pointer dereference`. Elements are
//! compared with `reflect.DeepEqual` (`uniq`, `without`, `has`): an `int` 1 is not an
//! `int64` 1 nor a `float64` 1.

use std::rc::Rc;

use super::{Env, Func, Ty};
use crate::gotmpl::{FuncError, ListKind, Value};

macro_rules! list_fn {
    ($name:literal, $params:expr, $variadic:expr, $doc:literal, $imp:expr) => {
        Func {
            name: $name,
            params: $params,
            variadic: $variadic,
            doc: $doc,
            imp: $imp,
        }
    };
}

pub const FUNCS: &[Func] = &[
    list_fn!("list", &[], Some(Ty::Any), "A list of the arguments.", list),
    list_fn!("tuple", &[], Some(Ty::Any), "A list of the arguments (the same as list).", list),
    list_fn!("append", &[Ty::Any, Ty::Any], None, "A new list: the list with a value added at the end.", push),
    list_fn!("push", &[Ty::Any, Ty::Any], None, "A new list: the list with a value added at the end.", push),
    list_fn!("mustAppend", &[Ty::Any, Ty::Any], None, "Like append, with errors reported.", push),
    list_fn!("mustPush", &[Ty::Any, Ty::Any], None, "Like push, with errors reported.", push),
    list_fn!("prepend", &[Ty::Any, Ty::Any], None, "A new list: the list with a value added at the front.", prepend),
    list_fn!("mustPrepend", &[Ty::Any, Ty::Any], None, "Like prepend, with errors reported.", prepend),
    list_fn!("first", &[Ty::Any], None, "The first item of a list (nil when empty).", first),
    list_fn!("mustFirst", &[Ty::Any], None, "Like first, with errors reported.", first),
    list_fn!("rest", &[Ty::Any], None, "All items of a list but the first.", rest),
    list_fn!("mustRest", &[Ty::Any], None, "Like rest, with errors reported.", rest),
    list_fn!("last", &[Ty::Any], None, "The last item of a list (nil when empty).", last),
    list_fn!("mustLast", &[Ty::Any], None, "Like last, with errors reported.", last),
    list_fn!("initial", &[Ty::Any], None, "All items of a list but the last.", initial),
    list_fn!("mustInitial", &[Ty::Any], None, "Like initial, with errors reported.", initial),
    list_fn!("reverse", &[Ty::Any], None, "A new list with the items in reverse order.", reverse),
    list_fn!("mustReverse", &[Ty::Any], None, "Like reverse, with errors reported.", reverse),
    list_fn!("uniq", &[Ty::Any], None, "A new list without repeated items (the first of each kept).", uniq),
    list_fn!("mustUniq", &[Ty::Any], None, "Like uniq, with errors reported.", uniq),
    list_fn!("without", &[Ty::Any], Some(Ty::Any), "A new list without the given values.", without),
    list_fn!("mustWithout", &[Ty::Any], Some(Ty::Any), "Like without, with errors reported.", without),
    list_fn!("has", &[Ty::Any, Ty::Any], None, "`has needle list`: whether the list holds the value (false for a nil list).", has),
    list_fn!("mustHas", &[Ty::Any, Ty::Any], None, "Like has, with errors reported.", has),
    list_fn!("slice", &[Ty::Any], Some(Ty::Any), "`slice list start end`: the items from start to end (Sprig's, which replaces Go's builtin slice).", slice),
    list_fn!("mustSlice", &[Ty::Any], Some(Ty::Any), "Like slice, with errors reported.", slice),
    list_fn!("concat", &[], Some(Ty::Any), "One list of the items of all the lists.", concat),
    list_fn!("compact", &[Ty::Any], None, "A new list without the empty items.", compact),
    list_fn!("mustCompact", &[Ty::Any], None, "Like compact, with errors reported.", compact),
    list_fn!("sortAlpha", &[Ty::Any], None, "The items as strings, sorted (a []string).", sort_alpha),
    list_fn!("chunk", &[Ty::Int, Ty::Any], None, "`chunk size list`: the list cut into lists of size items.", chunk),
    list_fn!("mustChunk", &[Ty::Int, Ty::Any], None, "Like chunk, with errors reported.", chunk),
];

const NIL_DEREF: &str = "runtime error: invalid memory address or nil pointer dereference";

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or_default()
}

/// The items of a list argument, or Sprig's error (`what` is the message before the kind).
fn items(v: &Value, what: &str) -> Result<Vec<Value>, FuncError> {
    match v.slice_view().as_ref() {
        Value::Nil => Err(FuncError::new(NIL_DEREF)),
        Value::List(l, _) => Ok(l.to_vec()),
        Value::Bytes(b) => Ok(b.iter().map(|x| Value::Int(i64::from(*x))).collect()),
        other => Err(FuncError::new(format!("{what} {}", other.kind().name()))),
    }
}

fn list(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::from(args))
}

fn push(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let mut l = items(&arg(&args, 0), "Cannot push on type")?;
    l.push(arg(&args, 1));
    Ok(Value::from(l))
}

fn prepend(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let mut l = items(&arg(&args, 0), "Cannot prepend on type")?;
    l.insert(0, arg(&args, 1));
    Ok(Value::from(l))
}

fn first(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let l = items(&arg(&args, 0), "Cannot find first on type")?;
    Ok(l.first().cloned().unwrap_or_default())
}

fn last(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let l = items(&arg(&args, 0), "Cannot find last on type")?;
    Ok(l.last().cloned().unwrap_or_default())
}

/// Sprig returns nil for `rest` and `initial` of an empty list.
fn nil_when_empty(l: &[Value], kept: &[Value]) -> Value {
    if l.is_empty() {
        Value::list_of(Vec::new(), ListKind::NilAny)
    } else {
        Value::from(kept.to_vec())
    }
}

fn rest(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let l = items(&arg(&args, 0), "Cannot find rest on type")?;
    Ok(nil_when_empty(&l, l.get(1..).unwrap_or_default()))
}

fn initial(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let l = items(&arg(&args, 0), "Cannot find initial on type")?;
    let n = l.len().saturating_sub(1);
    Ok(nil_when_empty(&l, l.get(..n).unwrap_or_default()))
}

fn reverse(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let mut l = items(&arg(&args, 0), "Cannot find reverse on type")?;
    l.reverse();
    Ok(Value::from(l))
}

/// Go's `reflect.DeepEqual` of two template values.
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
                    || (x.len() == y.len()
                        && x.iter().zip(y.iter()).all(|(p, q)| deep_equal(p, q))))
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
        (Value::Object(x), Value::Object(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

fn contains(haystack: &[Value], needle: &Value) -> bool {
    haystack.iter().any(|h| deep_equal(needle, h))
}

fn uniq(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let l = items(&arg(&args, 0), "Cannot find uniq on type")?;
    let mut out: Vec<Value> = Vec::new();
    for x in l {
        if !contains(&out, &x) {
            out.push(x);
        }
    }
    Ok(Value::from(out))
}

fn without(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let l = items(&arg(&args, 0), "Cannot find without on type")?;
    let omit = args.get(1..).unwrap_or_default();
    Ok(Value::from(
        l.into_iter()
            .filter(|x| !contains(omit, x))
            .collect::<Vec<_>>(),
    ))
}

fn has(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let haystack = arg(&args, 1);
    if haystack.is_nil() {
        return Ok(Value::Bool(false));
    }
    let l = items(&haystack, "Cannot find has on type")?;
    Ok(Value::Bool(contains(&l, &arg(&args, 0))))
}

/// spf13/cast's `ToInt` as Sprig's `toInt` uses it (0 when it cannot convert).
fn to_int(v: &Value) -> i64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Float(f) if f.is_finite() => *f as i64,
        Value::Bool(b) => i64::from(*b),
        Value::Str(s) => {
            let t = s.strip_suffix(".0").unwrap_or(s);
            t.parse::<i64>().unwrap_or(0)
        }
        _ => 0,
    }
}

fn slice(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let v = arg(&args, 0).slice_view().into_owned();
    let len = match &v {
        Value::Nil => return Err(FuncError::new(NIL_DEREF)),
        Value::List(l, _) => l.len(),
        Value::Bytes(b) => b.len(),
        other => {
            return Err(FuncError::new(format!(
                "list should be type of slice or array but {}",
                other.kind().name()
            )))
        }
    };
    if len == 0 {
        return Ok(Value::Nil);
    }
    let start = args.get(1).map_or(0, to_int);
    let end = args.get(2).map_or(len as i64, to_int);
    if start < 0 || end < start || end > len as i64 {
        return Err(FuncError::new(
            "reflect.Value.Slice: slice index out of range",
        ));
    }
    let (start, end) = (start as usize, end as usize);
    Ok(match v {
        Value::List(l, k) => Value::list_of(l[start..end].to_vec(), k),
        Value::Bytes(b) => Value::Bytes(Rc::from(&b[start..end])),
        _ => Value::Nil,
    })
}

fn concat(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let mut out = Vec::new();
    for l in &args {
        out.extend(items(l, "Cannot concat type").map_err(|e| {
            if e.message == NIL_DEREF {
                e
            } else {
                FuncError::new(format!("{} as list", e.message))
            }
        })?);
    }
    Ok(Value::from(out))
}

fn compact(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let l = items(&arg(&args, 0), "Cannot compact on type")?;
    Ok(Value::from(
        l.into_iter()
            .filter(|x| matches!(x, Value::Object(_)) || x.truthy())
            .collect::<Vec<_>>(),
    ))
}

fn sort_alpha(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let v = arg(&args, 0).slice_view().into_owned();
    let mut out = match &v {
        Value::List(..) | Value::Bytes(_) => super::sprig_strings::strslice(&v),
        other => vec![super::sprig_strings::strval(other)],
    };
    out.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    Ok(Value::strings(out))
}

fn chunk(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let size = arg(&args, 0).as_int().unwrap_or(0);
    let l = items(&arg(&args, 1), "Cannot chunk type")?;
    if size <= 0 {
        return Err(FuncError::new("runtime error: makeslice: len out of range"));
    }
    let chunks: Vec<Value> = l
        .chunks(usize::try_from(size).unwrap_or(usize::MAX))
        .map(|c| Value::from(c.to_vec()))
        .collect();
    Ok(Value::list_of(chunks, ListKind::Any))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::testenv::{call, f, i, list, map, s, show};
    use crate::gotmpl::{ListKind, Value};

    fn strs(v: &[&str]) -> Value {
        Value::strings(v.iter().map(|x| x.to_string()))
    }

    #[test]
    fn basic_list_functions() {
        // list_test.go
        assert_eq!(show("list", vec![i(1), i(2), i(3)]), "[1 2 3]");
        assert_eq!(show("push", vec![list(vec![i(1), i(2)]), i(3)]), "[1 2 3]");
        assert_eq!(show("append", vec![strs(&["a"]), s("b")]), "[a b]");
        assert_eq!(
            call("append", vec![strs(&["a"]), s("b")])
                .unwrap()
                .type_name(),
            "[]interface {}"
        );
        assert_eq!(
            show("prepend", vec![list(vec![i(1), i(2)]), i(0)]),
            "[0 1 2]"
        );
        assert_eq!(show("first", vec![list(vec![i(1), i(2)])]), "1");
        assert_eq!(show("first", vec![list(vec![])]), "<nil>");
        assert_eq!(show("last", vec![list(vec![i(1), i(2)])]), "2");
        assert_eq!(show("rest", vec![list(vec![i(1), i(2), i(3)])]), "[2 3]");
        assert_eq!(show("initial", vec![list(vec![i(1), i(2), i(3)])]), "[1 2]");
        assert_eq!(
            show("reverse", vec![list(vec![i(1), i(2), i(3)])]),
            "[3 2 1]"
        );
        assert_eq!(
            show("first", vec![s("abc")]),
            "error: Cannot find first on type string"
        );
        assert_eq!(
            show("mustLast", vec![map(vec![])]),
            "error: Cannot find last on type map"
        );
        assert_eq!(
            show("push", vec![f(1.0), i(1)]),
            "error: Cannot push on type float64"
        );
        assert_eq!(
            show("first", vec![Value::Nil]),
            "error: runtime error: invalid memory address or nil pointer dereference"
        );
    }

    #[test]
    fn uniq_without_has_compare_deeply() {
        assert_eq!(
            show(
                "uniq",
                vec![list(vec![
                    i(1),
                    i(2),
                    i(1),
                    Value::Int64(1),
                    s("a"),
                    s("a")
                ])]
            ),
            "[1 2 1 a]"
        );
        assert_eq!(
            show("uniq", vec![list(vec![list(vec![i(1)]), list(vec![i(1)])])]),
            "[[1]]"
        );
        assert_eq!(
            show("without", vec![list(vec![i(1), i(2), i(3)]), i(2), i(3)]),
            "[1]"
        );
        assert_eq!(show("has", vec![i(2), list(vec![i(1), i(2)])]), "true");
        assert_eq!(show("has", vec![f(2.0), list(vec![i(1), i(2)])]), "false");
        assert_eq!(show("has", vec![s("a"), Value::Nil]), "false");
        assert_eq!(
            show("has", vec![s("a"), s("abc")]),
            "error: Cannot find has on type string"
        );
    }

    #[test]
    fn slice_concat_compact_sort_chunk() {
        let l = list(vec![i(1), i(2), i(3), i(4), i(5)]);
        assert_eq!(show("slice", vec![l.clone()]), "[1 2 3 4 5]");
        assert_eq!(show("slice", vec![l.clone(), i(1), i(3)]), "[2 3]");
        assert_eq!(show("slice", vec![l.clone(), i(3)]), "[4 5]");
        assert_eq!(
            show("slice", vec![l.clone(), i(3), i(9)]),
            "error: reflect.Value.Slice: slice index out of range"
        );
        assert_eq!(
            call("slice", vec![strs(&["a", "b"]), i(1)])
                .unwrap()
                .type_name(),
            "[]string"
        );
        assert_eq!(show("slice", vec![list(vec![])]), "<nil>");
        assert_eq!(
            show("slice", vec![s("abc"), i(1)]),
            "error: list should be type of slice or array but string"
        );
        assert_eq!(
            show(
                "concat",
                vec![list(vec![i(1)]), strs(&["a", "b"]), list(vec![])]
            ),
            "[1 a b]"
        );
        assert_eq!(
            show("concat", vec![list(vec![i(1)]), s("x")]),
            "error: Cannot concat type string as list"
        );
        assert_eq!(
            show(
                "compact",
                vec![list(vec![
                    i(0),
                    s(""),
                    Value::Nil,
                    s("a"),
                    Value::Bool(false),
                    list(vec![]),
                    i(1)
                ])]
            ),
            "[a 1]"
        );
        let sorted = call(
            "sortAlpha",
            vec![list(vec![s("b"), i(10), s("a"), Value::Nil, s("B")])],
        )
        .unwrap();
        assert_eq!(crate::gotmpl::fmt::sprint_one(&sorted), "[10 B a b]");
        assert!(matches!(sorted, Value::List(_, ListKind::Str)));
        assert_eq!(show("sortAlpha", vec![Value::Nil]), "[<nil>]");
        assert_eq!(
            show(
                "chunk",
                vec![i(2), list(vec![i(1), i(2), i(3), i(4), i(5)])]
            ),
            "[[1 2] [3 4] [5]]"
        );
        assert_eq!(show("chunk", vec![i(2), list(vec![])]), "[]");
        assert_eq!(
            show("chunk", vec![i(0), list(vec![i(1)])]),
            "error: runtime error: makeslice: len out of range"
        );
    }
}
