//! Sprig v3.3.0's dict functions (`dict.go`): `dict`, `get`, `set`, `unset`, `hasKey`,
//! `pluck`, `keys`, `values`, `pick`, `omit`, `merge`, `mustMerge`, `mergeOverwrite`,
//! `mustMergeOverwrite`, `deepCopy`, `mustDeepCopy`, `dig`.
//!
//! `set`, `unset`, `merge` and `mergeOverwrite` change their first map in place and return
//! it, as Go maps are references: charts rely on it (`$_ := set .Values "x" 1`). `merge`
//! follows dario.cat/mergo v1.0.1 (`Merge` / `MergeWithOverwrite`), nested maps included:
//! a nested map of the source is shared into the destination, not copied.
//!
//! Go iterates maps in random order, so Sprig's `keys` and `values` come out in a random
//! order; kit's maps are sorted, so they come out sorted by key (charts sort them anyway).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::{Env, Func, Ty};
use crate::gotmpl::{FuncError, MapKind, MapRef, Value};

pub const FUNCS: &[Func] = &[
    Func {
        name: "dict",
        params: &[],
        variadic: Some(Ty::Any),
        doc: "A dict from key/value pairs (`dict \"a\" 1 \"b\" 2`); keys are printed as strings, a missing last value is \"\".",
        imp: dict,
    },
    Func {
        name: "get",
        params: &[Ty::Map, Ty::Str],
        variadic: None,
        doc: "The value of a key, or \"\" when the dict lacks it.",
        imp: get,
    },
    Func {
        name: "set",
        params: &[Ty::Map, Ty::Str, Ty::Any],
        variadic: None,
        doc: "Sets a key of the dict (in place) and returns the dict.",
        imp: set,
    },
    Func {
        name: "unset",
        params: &[Ty::Map, Ty::Str],
        variadic: None,
        doc: "Removes a key from the dict (in place) and returns the dict.",
        imp: unset,
    },
    Func {
        name: "hasKey",
        params: &[Ty::Map, Ty::Str],
        variadic: None,
        doc: "Whether the dict has the key.",
        imp: has_key,
    },
    Func {
        name: "pluck",
        params: &[Ty::Str],
        variadic: Some(Ty::Map),
        doc: "The values of one key in each of the dicts that have it, as a list.",
        imp: pluck,
    },
    Func {
        name: "keys",
        params: &[],
        variadic: Some(Ty::Map),
        doc: "The keys of the dicts, as a []string (Go's order is random; kit's is sorted within each dict).",
        imp: keys,
    },
    Func {
        name: "values",
        params: &[Ty::Map],
        variadic: None,
        doc: "The values of the dict, as a list (Go's order is random; kit's follows the sorted keys).",
        imp: values,
    },
    Func {
        name: "pick",
        params: &[Ty::Map],
        variadic: Some(Ty::Str),
        doc: "A new dict with only the given keys.",
        imp: pick,
    },
    Func {
        name: "omit",
        params: &[Ty::Map],
        variadic: Some(Ty::Str),
        doc: "A new dict without the given keys.",
        imp: omit,
    },
    Func {
        name: "merge",
        params: &[Ty::Map],
        variadic: Some(Ty::Map),
        doc: "Merges the sources into the first dict (in place, deeply): a key is set where the destination lacks it or holds an empty value.",
        imp: merge,
    },
    Func {
        name: "mustMerge",
        params: &[Ty::Map],
        variadic: Some(Ty::Map),
        doc: "Like merge, with errors reported.",
        imp: merge,
    },
    Func {
        name: "mergeOverwrite",
        params: &[Ty::Map],
        variadic: Some(Ty::Map),
        doc: "Merges the sources into the first dict (in place, deeply), the sources' values winning.",
        imp: merge_overwrite,
    },
    Func {
        name: "mustMergeOverwrite",
        params: &[Ty::Map],
        variadic: Some(Ty::Map),
        doc: "Like mergeOverwrite, with errors reported.",
        imp: merge_overwrite,
    },
    Func {
        name: "deepCopy",
        params: &[Ty::Any],
        variadic: None,
        doc: "A deep copy of a value (maps and lists copied all the way down).",
        imp: deep_copy,
    },
    Func {
        name: "mustDeepCopy",
        params: &[Ty::Any],
        variadic: None,
        doc: "Like deepCopy, with errors reported.",
        imp: deep_copy,
    },
    Func {
        name: "dig",
        params: &[],
        variadic: Some(Ty::Any),
        doc: "`dig \"a\" \"b\" default $dict`: the value at the path of keys through nested dicts, or the default when a key is missing.",
        imp: dig,
    },
];

/// How deep merges and copies may go (a map set into itself would never end).
const MAX_DEPTH: usize = 1000;

fn map_arg(args: &[Value], i: usize) -> MapRef {
    match args.get(i) {
        Some(Value::Map(m, _)) => m.clone(),
        _ => Rc::new(RefCell::new(BTreeMap::new())),
    }
}

fn str_arg(args: &[Value], i: usize) -> String {
    match args.get(i) {
        Some(Value::Str(s)) => s.to_string(),
        _ => String::new(),
    }
}

fn dict(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let mut m = BTreeMap::new();
    let mut i = 0;
    while i < args.len() {
        let key = super::sprig_strings::strval(&args[i]);
        let v = args.get(i + 1).cloned().unwrap_or_else(|| Value::str(""));
        m.insert(key, v);
        i += 2;
    }
    Ok(Value::from(m))
}

fn get(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let m = map_arg(&args, 0);
    let v = m.borrow().get(&str_arg(&args, 1)).cloned();
    Ok(v.unwrap_or_else(|| Value::str("")))
}

/// The first argument as it came (keeping its map kind), for functions returning it.
fn same_map(args: &[Value]) -> Value {
    match args.first() {
        Some(v @ Value::Map(..)) => v.clone(),
        _ => Value::new_map(),
    }
}

fn set(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let m = map_arg(&args, 0);
    let v = args.get(2).cloned().unwrap_or_default();
    m.borrow_mut().insert(str_arg(&args, 1), v);
    Ok(same_map(&args))
}

fn unset(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let m = map_arg(&args, 0);
    m.borrow_mut().remove(&str_arg(&args, 1));
    Ok(same_map(&args))
}

fn has_key(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let m = map_arg(&args, 0);
    let has = m.borrow().contains_key(&str_arg(&args, 1));
    Ok(Value::Bool(has))
}

fn pluck(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let key = str_arg(&args, 0);
    let mut out = Vec::new();
    for i in 1..args.len() {
        if let Some(v) = map_arg(&args, i).borrow().get(&key) {
            out.push(v.clone());
        }
    }
    Ok(Value::from(out))
}

fn keys(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let mut out = Vec::new();
    for i in 0..args.len() {
        out.extend(map_arg(&args, i).borrow().keys().cloned());
    }
    Ok(Value::strings(out))
}

fn values(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let m = map_arg(&args, 0);
    let out: Vec<Value> = m.borrow().values().cloned().collect();
    Ok(Value::from(out))
}

fn pick(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let m = map_arg(&args, 0);
    let m = m.borrow();
    let mut out = BTreeMap::new();
    for k in args.iter().skip(1) {
        let k = k.as_str().unwrap_or_default();
        if let Some(v) = m.get(k) {
            out.insert(k.to_string(), v.clone());
        }
    }
    Ok(Value::from(out))
}

fn omit(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    let m = map_arg(&args, 0);
    let drop: Vec<&str> = args.iter().skip(1).filter_map(Value::as_str).collect();
    let out: BTreeMap<String, Value> = m
        .borrow()
        .iter()
        .filter(|(k, _)| !drop.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(Value::from(out))
}

/// mergo's `isEmptyValue` (interfaces dereferenced): nil, false, 0, "" and empty lists and
/// maps are empty; structs are not.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Object(_) => false,
        other => !other.truthy(),
    }
}

/// mergo v1.0.1's `deepMerge` of two `map[string]interface{}` (`overwrite`:
/// `MergeWithOverwrite`).
pub fn merge_maps(
    dst: &MapRef,
    src: &MapRef,
    overwrite: bool,
    depth: usize,
) -> Result<(), FuncError> {
    if depth > MAX_DEPTH {
        return Err(FuncError::new(
            "merge: maps nested too deep (a map inside itself?)",
        ));
    }
    // A snapshot: the source may be the destination itself, or inside it.
    let entries: Vec<(String, Value)> = src
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, s) in entries {
        let d = dst.borrow().get(&key).cloned();
        if s.is_nil() {
            if overwrite {
                dst.borrow_mut().insert(key, Value::Nil);
            }
            continue;
        }
        match &s {
            Value::Map(sm, _) => {
                if let Some(Value::Map(dm, _)) = &d {
                    if !Rc::ptr_eq(dm, sm) {
                        merge_maps(dm, sm, overwrite, depth + 1)?;
                    }
                }
            }
            Value::List(..) | Value::Bytes(_) => {
                // mergo's slice step looks at the whole maps, not at the entries: the source
                // slice goes in when overwriting or when the destination map is empty; else the
                // destination keeps its value (an empty list where it had none).
                let dst_empty = dst.borrow().is_empty();
                let new = if overwrite || dst_empty {
                    s.clone()
                } else {
                    match &d {
                        Some(v) if !v.is_nil() => v.clone(),
                        _ => match &s {
                            Value::List(_, k) => Value::list_of(Vec::new(), *k),
                            _ => Value::Bytes(Rc::from(&[][..])),
                        },
                    }
                };
                dst.borrow_mut().insert(key.clone(), new);
            }
            _ => {}
        }
        if let Some(dv) = &d {
            if !is_empty(dv) {
                if matches!(s, Value::List(..) | Value::Bytes(_)) {
                    continue;
                }
                if matches!(s, Value::Map(..)) && matches!(dv, Value::Map(..)) {
                    continue;
                }
            }
        }
        if overwrite || d.as_ref().is_none_or(is_empty) {
            dst.borrow_mut().insert(key, s);
        }
    }
    Ok(())
}

fn merge_all(args: &[Value], overwrite: bool) -> Result<Value, FuncError> {
    let dst = map_arg(args, 0);
    for i in 1..args.len() {
        let src = map_arg(args, i);
        if Rc::ptr_eq(&dst, &src) {
            continue;
        }
        merge_maps(&dst, &src, overwrite, 0)?;
    }
    Ok(same_map(args))
}

fn merge(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    merge_all(&args, false)
}

fn merge_overwrite(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    merge_all(&args, true)
}

/// How many values one deep copy may make (lists sharing a list many times over describe
/// more than memory holds).
const MAX_COPY_NODES: usize = 10_000_000;

/// A deep copy, refused past [`MAX_DEPTH`] levels (a map inside itself) or
/// [`MAX_COPY_NODES`] values.
pub fn deep_copy_value(v: &Value) -> Result<Value, FuncError> {
    let mut nodes = 0;
    copy_at(v, 0, &mut nodes)
}

fn copy_at(v: &Value, depth: usize, nodes: &mut usize) -> Result<Value, FuncError> {
    *nodes += 1;
    if *nodes > MAX_COPY_NODES {
        return Err(FuncError::budget("deepCopy error: value too large to copy"));
    }
    if depth > MAX_DEPTH {
        return Err(FuncError::new(
            "deepCopy error: value nested too deep (a map inside itself?)",
        ));
    }
    Ok(match v {
        Value::List(l, k) => Value::List(
            Rc::new(
                l.iter()
                    .map(|x| copy_at(x, depth + 1, nodes))
                    .collect::<Result<_, _>>()?,
            ),
            *k,
        ),
        Value::Map(m, k) => {
            let entries: Vec<(String, Value)> = m
                .borrow()
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let mut out = BTreeMap::new();
            for (key, x) in entries {
                out.insert(key, copy_at(&x, depth + 1, nodes)?);
            }
            Value::Map(Rc::new(RefCell::new(out)), *k)
        }
        other => other.clone(),
    })
}

fn deep_copy(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    deep_copy_value(&args.first().cloned().unwrap_or_default())
}

/// Go's message for a failed `x.(map[string]interface{})`.
fn not_a_map(v: &Value) -> FuncError {
    let t = if v.is_nil() {
        "nil".to_string()
    } else {
        v.type_name()
    };
    FuncError::new(format!(
        "interface conversion: interface {{}} is {t}, not map[string]interface {{}}"
    ))
}

fn dig(_: &mut dyn Env, args: Vec<Value>) -> Result<Value, FuncError> {
    if args.len() < 3 {
        return Err(FuncError::new("dig needs at least three arguments"));
    }
    let n = args.len();
    let mut dict = match &args[n - 1] {
        Value::Map(m, MapKind::Any) => m.clone(),
        other => return Err(not_a_map(other)),
    };
    let default = args[n - 2].clone();
    let mut ks = Vec::with_capacity(n - 2);
    for k in &args[..n - 2] {
        match k {
            Value::Str(s) => ks.push(s.clone()),
            other => {
                let t = if other.is_nil() {
                    "nil".to_string()
                } else {
                    other.type_name()
                };
                return Err(FuncError::new(format!(
                    "interface conversion: interface {{}} is {t}, not string"
                )));
            }
        }
    }
    for (i, k) in ks.iter().enumerate() {
        let step = dict.borrow().get(&**k).cloned();
        let Some(step) = step else {
            return Ok(default);
        };
        if i == ks.len() - 1 {
            return Ok(step);
        }
        dict = match &step {
            Value::Map(m, MapKind::Any) => m.clone(),
            other => return Err(not_a_map(other)),
        };
    }
    Ok(default)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::testenv::{call, i, list, map, s, show};
    use crate::gotmpl::fmt::sprint_one;
    use crate::gotmpl::Value;

    #[test]
    fn dict_get_set_unset() {
        assert_eq!(
            show("dict", vec![s("a"), i(1), i(2), s("b"), s("c")]),
            "map[2:b a:1 c:]"
        );
        let m = map(vec![("a", i(1))]);
        assert_eq!(show("get", vec![m.clone(), s("a")]), "1");
        assert_eq!(show("get", vec![m.clone(), s("zz")]), "");
        // set changes the map in place.
        let r = call("set", vec![m.clone(), s("b"), i(2)]).unwrap();
        assert_eq!(sprint_one(&m), "map[a:1 b:2]");
        assert_eq!(sprint_one(&r), "map[a:1 b:2]");
        call("unset", vec![m.clone(), s("a")]).unwrap();
        assert_eq!(sprint_one(&m), "map[b:2]");
        assert_eq!(show("hasKey", vec![m.clone(), s("b")]), "true");
        assert_eq!(show("hasKey", vec![m, s("a")]), "false");
    }

    #[test]
    fn keys_values_pick_omit_pluck() {
        let m = map(vec![("b", i(2)), ("a", i(1)), ("c", i(3))]);
        assert_eq!(show("keys", vec![m.clone()]), "[a b c]");
        assert_eq!(
            call("keys", vec![m.clone()]).unwrap().type_name(),
            "[]string"
        );
        assert_eq!(show("values", vec![m.clone()]), "[1 2 3]");
        assert_eq!(
            show("pick", vec![m.clone(), s("a"), s("c"), s("z")]),
            "map[a:1 c:3]"
        );
        assert_eq!(show("omit", vec![m.clone(), s("a")]), "map[b:2 c:3]");
        assert_eq!(
            show(
                "pluck",
                vec![s("a"), m, map(vec![("x", i(9))]), map(vec![("a", s("q"))])]
            ),
            "[1 q]"
        );
    }

    fn sprig_merge_fixture() -> (Value, Value, Value) {
        let src2 = map(vec![("h", i(10)), ("i", s("i")), ("j", s("j"))]);
        let src1 = map(vec![
            ("a", i(1)),
            ("b", i(2)),
            ("d", map(vec![("e", s("four"))])),
            ("g", list(vec![i(6), i(7)])),
            ("i", s("aye")),
            ("j", s("jay")),
            ("k", map(vec![("l", Value::Bool(false))])),
        ]);
        let dst = map(vec![
            ("a", s("one")),
            ("c", i(3)),
            ("d", map(vec![("f", i(5))])),
            ("g", list(vec![i(8), i(9)])),
            ("i", s("eye")),
            ("k", map(vec![("l", Value::Bool(true))])),
        ]);
        (dst, src1, src2)
    }

    #[test]
    fn merge_is_sprigs() {
        // dict_test.go TestMerge
        let (dst, src1, src2) = sprig_merge_fixture();
        call("merge", vec![dst.clone(), src1, src2]).unwrap();
        assert_eq!(
            sprint_one(&dst),
            "map[a:one b:2 c:3 d:map[e:four f:5] g:[8 9] h:10 i:eye j:jay k:map[l:true]]"
        );
        // TestMergeOverwrite
        let (dst, src1, src2) = sprig_merge_fixture();
        call("mergeOverwrite", vec![dst.clone(), src1, src2]).unwrap();
        assert_eq!(
            sprint_one(&dst),
            "map[a:1 b:2 c:3 d:map[e:four f:5] g:[6 7] h:10 i:i j:j k:map[l:false]]"
        );
        // Empty destination values are filled; nil sources are skipped by merge and
        // written by mergeOverwrite.
        let dst = map(vec![("a", s("")), ("b", s("x")), ("c", Value::Nil)]);
        call(
            "merge",
            vec![
                dst.clone(),
                map(vec![
                    ("a", s("A")),
                    ("b", Value::Nil),
                    ("c", i(1)),
                    ("d", Value::Nil),
                ]),
            ],
        )
        .unwrap();
        assert_eq!(sprint_one(&dst), "map[a:A b:x c:1]");
        call(
            "mergeOverwrite",
            vec![dst.clone(), map(vec![("a", s("")), ("b", Value::Nil)])],
        )
        .unwrap();
        assert_eq!(sprint_one(&dst), "map[a: b:<nil> c:1]");
        // helm funcs_test.go: merge .dict (fromYaml .yaml)
        let d = map(vec![("a", map(vec![("b", s("c"))]))]);
        let y = map(vec![("a", map(vec![("b", s("d"))]))]);
        assert_eq!(show("merge", vec![d.clone(), y.clone()]), "map[a:map[b:c]]");
        assert_eq!(show("merge", vec![y, d]), "map[a:map[b:d]]");
        // A map merged into itself is left alone.
        let m = map(vec![("a", i(1))]);
        assert_eq!(show("merge", vec![m.clone(), m]), "map[a:1]");
    }

    #[test]
    fn deep_copy_and_dig() {
        let inner = map(vec![("x", i(1))]);
        let m = map(vec![("in", inner.clone())]);
        let c = call("deepCopy", vec![m]).unwrap();
        call("set", vec![inner, s("x"), i(2)]).unwrap();
        assert_eq!(sprint_one(&c), "map[in:map[x:1]]");

        let d = map(vec![("a", map(vec![("b", map(vec![("c", s("found"))]))]))]);
        assert_eq!(
            show("dig", vec![s("a"), s("b"), s("c"), s("def"), d.clone()]),
            "found"
        );
        assert_eq!(
            show("dig", vec![s("a"), s("z"), s("c"), s("def"), d.clone()]),
            "def"
        );
        assert_eq!(
            show(
                "dig",
                vec![s("a"), s("b"), s("c"), s("d"), s("def"), d.clone()]
            ),
            "error: interface conversion: interface {} is string, not map[string]interface {}"
        );
        assert_eq!(
            show("dig", vec![s("a"), d]),
            "error: dig needs at least three arguments"
        );
    }
}
