//! Values: Helm's merge rules, one function per rule Helm has.
//!
//! - Files given with `-f` merge with [`merge_maps`]: maps merge deeply, anything else (lists
//!   included) replaces, and a `null` is kept (so it can delete a chart default later).
//! - The user's values then [`coalesce`] with the chart's defaults, chart by chart down the
//!   dependency tree: the user's value wins, maps merge, lists and scalars replace, and a
//!   `null` from the user deletes the key. A parent's values for a subchart (under the
//!   subchart's name) win over the subchart's own defaults.
//! - `global` flows down: a subchart sees its parent's `global` merged over its own.
//!
//! Values are JSON values (`serde_json`), as Helm's are Go `map[string]any` read through JSON.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::Chart;
use crate::diag::{Diag, Result};
use crate::source::{display_path, FileId, SourceFile};

/// How many values [`describe_string`] looks at before giving up (values are rarely more
/// than thousands; this bounds the search on hostile ones).
const MAX_SEARCHED: usize = 1_000_000;

/// One step of a path into the values.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Where a string of the values was set, for messages about text rendered with `tpl`:
/// "values key `a.b`", with the values file, line and column that set it when one of the
/// user's `files` (the last first, as the last wins) or a chart's `values.yaml` did.
pub fn describe_string(
    values: &Map<String, Value>,
    text: &str,
    chart: &Chart,
    files: &[PathBuf],
) -> Option<String> {
    let path = path_of_string(values, text)?;
    let mut key = String::new();
    for step in &path {
        match step {
            Step::Key(k) if key.is_empty() => key.push_str(k),
            Step::Key(k) => {
                key.push('.');
                key.push_str(k);
            }
            Step::Index(i) => key.push_str(&format!("[{i}]")),
        }
    }
    let place = files
        .iter()
        .rev()
        .find_map(|f| string_in_file(f, &path, text))
        .or_else(|| string_in_chart(chart, &path, text));
    Some(match place {
        Some(place) => format!("values key `{key}` ({place})"),
        None => format!("values key `{key}`"),
    })
}

/// The first path (in key order) at which `values` hold the string `text`.
fn path_of_string(values: &Map<String, Value>, text: &str) -> Option<Vec<Step>> {
    let mut stack: Vec<(Vec<Step>, &Value)> = values
        .iter()
        .rev()
        .map(|(k, v)| (vec![Step::Key(k.clone())], v))
        .collect();
    let mut searched = 0;
    while let Some((path, value)) = stack.pop() {
        searched += 1;
        if searched > MAX_SEARCHED {
            return None;
        }
        match value {
            Value::String(s) if s == text => return Some(path),
            Value::Object(m) => stack.extend(m.iter().rev().map(|(k, v)| {
                let mut p = path.clone();
                p.push(Step::Key(k.clone()));
                (p, v)
            })),
            Value::Array(items) => stack.extend(items.iter().enumerate().rev().map(|(i, v)| {
                let mut p = path.clone();
                p.push(Step::Index(i));
                (p, v)
            })),
            _ => {}
        }
    }
    None
}

/// The chart's (or a subchart's, under its name) `values.yaml` place of the string.
fn string_in_chart(chart: &Chart, path: &[Step], text: &str) -> Option<String> {
    if let Some(place) = string_in_file(&chart.dir.join("values.yaml"), path, text) {
        return Some(place);
    }
    let (Step::Key(first), rest) = path.split_first()? else {
        return None;
    };
    let dep = chart.deps.iter().find(|d| d.name() == first)?;
    string_in_chart(dep, rest, text)
}

/// `file:line:col` of the string at `path` in a values file, when the file sets it there.
fn string_in_file(file: &Path, path: &[Step], text: &str) -> Option<String> {
    if std::fs::metadata(file).ok()?.len() > crate::load::MAX_FILE_BYTES {
        return None;
    }
    let content = std::fs::read_to_string(file).ok()?;
    let source = SourceFile::new(file.to_path_buf(), display_path(file), content);
    let docs = crate::load::yaml::parse_documents(&source, FileId(u32::MAX)).ok()?;
    let mut node = docs.first()?;
    for step in path {
        node = match step {
            Step::Key(k) => node.get(k)?,
            Step::Index(i) => node.as_seq()?.get(*i)?,
        };
    }
    let origin = node.origin.filter(|_| node.as_str() == Some(text))?;
    let (line, col) = source.line_col(origin.start as usize);
    Some(format!("{}:{line}:{col}", source.display))
}

/// The key whose value every subchart also sees.
pub const GLOBAL: &str = "global";

/// Helm's `MergeMaps` (how `-f` files and `--set-json {...}` combine).
pub fn merge_maps(mut a: Map<String, Value>, b: Map<String, Value>) -> Map<String, Value> {
    for (k, v) in b {
        if let Value::Object(vm) = v {
            if let Some(Value::Object(existing)) = a.get_mut(&k) {
                let merged = merge_maps(std::mem::take(existing), vm);
                *existing = merged;
                continue;
            }
            a.insert(k, Value::Object(vm));
            continue;
        }
        a.insert(k, v);
    }
    a
}

/// Warnings Helm prints while coalescing (a table replaced by a scalar, ...).
pub type Warnings = Vec<String>;

/// Helm's `CoalesceValues`: the user's values over the chart's defaults, for the chart and
/// each dependency (with globals copied down).
pub fn coalesce(
    chart: &Chart,
    user: Map<String, Value>,
    warnings: &mut Warnings,
) -> Result<Map<String, Value>> {
    coalesce_inner(chart, user, "", false, warnings)
}

/// Helm's `MergeValues`: like [`coalesce`] but keeping nulls (used before import-values).
pub fn merge_with_defaults(
    chart: &Chart,
    user: Map<String, Value>,
    warnings: &mut Warnings,
) -> Result<Map<String, Value>> {
    coalesce_inner(chart, user, "", true, warnings)
}

fn concat(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn coalesce_inner(
    chart: &Chart,
    mut dest: Map<String, Value>,
    prefix: &str,
    merge: bool,
    warnings: &mut Warnings,
) -> Result<Map<String, Value>> {
    coalesce_values(chart, &mut dest, prefix, merge, warnings);
    coalesce_deps(chart, dest, prefix, merge, warnings)
}

fn coalesce_deps(
    chart: &Chart,
    mut dest: Map<String, Value>,
    prefix: &str,
    merge: bool,
    warnings: &mut Warnings,
) -> Result<Map<String, Value>> {
    for sub in &chart.deps {
        let name = sub.name();
        let sub_values = match dest.remove(name) {
            None => Map::new(),
            Some(Value::Object(m)) => m,
            Some(other) => {
                // Helm prints the value with %t.
                let shown =
                    crate::gotmpl::fmt::sprintf("%t", &[super::gorender::from_json(&other)]);
                return Err(Diag::error(
                    "kit::template::values",
                    format!("type mismatch on {name}: {shown}"),
                )
                .help(format!(
                    "`{name}` holds the values of the subchart {name}: give it a map (or leave it out)"
                )));
            }
        };
        let sub_prefix = concat(prefix, chart.name());
        let mut sub_values = sub_values;
        coalesce_globals(&mut sub_values, &dest, &sub_prefix, warnings);
        let out = coalesce_inner(sub, sub_values, &sub_prefix, merge, warnings)?;
        dest.insert(name.to_string(), Value::Object(out));
    }
    Ok(dest)
}

/// Copies the parent's `global` into the subchart's values, the parent's entries winning
/// (maps merged, top-down).
fn coalesce_globals(
    dest: &mut Map<String, Value>,
    src: &Map<String, Value>,
    prefix: &str,
    warnings: &mut Warnings,
) {
    let mut dg = match dest.get(GLOBAL) {
        None => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => {
            warnings.push(format!(
                "skipping globals because destination {GLOBAL} is not a table"
            ));
            return;
        }
    };
    let sg = match src.get(GLOBAL) {
        None => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => {
            warnings.push(format!(
                "skipping globals because source {GLOBAL} is not a table"
            ));
            return;
        }
    };
    for (key, val) in sg {
        match val {
            Value::Object(vv) => match dg.get(&key) {
                None => {
                    dg.insert(key, Value::Object(vv));
                }
                Some(Value::Object(destv)) => {
                    let mut vv = vv;
                    coalesce_tables(
                        &mut vv,
                        destv.clone(),
                        &concat(prefix, &key),
                        true,
                        warnings,
                    );
                    dg.insert(key, Value::Object(vv));
                }
                Some(_) => warnings.push(format!(
                    "conflict: cannot merge map onto non-map for {key:?}; skipping"
                )),
            },
            other => {
                if matches!(dg.get(&key), Some(Value::Object(_))) {
                    warnings.push(format!("key {key} is table; skipping"));
                } else {
                    dg.insert(key, other);
                }
            }
        }
    }
    dest.insert(GLOBAL.to_string(), Value::Object(dg));
}

/// The chart's defaults under the user's values for one chart (not its dependencies).
fn coalesce_values(
    chart: &Chart,
    v: &mut Map<String, Value>,
    prefix: &str,
    merge: bool,
    warnings: &mut Warnings,
) {
    let sub_prefix = concat(prefix, chart.name());
    for (key, val) in chart.values.clone() {
        match v.get_mut(&key) {
            Some(Value::Null) if !merge => {
                v.remove(&key);
            }
            Some(Value::Object(dest)) => match val {
                Value::Object(src) => {
                    let merge = merge || chart.deps.iter().any(|d| d.name() == key);
                    let mut d = std::mem::take(dest);
                    coalesce_tables(&mut d, src, &concat(&sub_prefix, &key), merge, warnings);
                    *dest = d;
                }
                Value::Null => {}
                other => warnings.push(format!(
                    "skipped value for {sub_prefix}.{key}: not a table (the chart's default is {})",
                    short(&other)
                )),
            },
            Some(_) => {}
            // Helm v3.17 copies a default that the user did not set as it is, nulls
            // included (they print as `null` through toYaml).
            None => {
                v.insert(key, val);
            }
        }
    }
}

/// Helm's `coalesceTablesFullKey`: `src` (lower precedence) merged under `dst`.
pub fn coalesce_tables(
    dst: &mut Map<String, Value>,
    mut src: Map<String, Value>,
    prefix: &str,
    merge: bool,
    warnings: &mut Warnings,
) {
    let src_keys: std::collections::HashSet<String> = src.keys().cloned().collect();
    for (k, v) in dst.iter() {
        if v.is_null() {
            src.insert(k.clone(), Value::Null);
        }
    }
    for (key, val) in src {
        let full = concat(prefix, &key);
        match dst.get_mut(&key) {
            Some(Value::Null) if !merge && src_keys.contains(&key) => {
                dst.remove(&key);
            }
            None => {
                dst.insert(key, val);
            }
            Some(dv) => match (dv, val) {
                (Value::Object(dm), Value::Object(sm)) => {
                    coalesce_tables(dm, sm, &full, merge, warnings);
                }
                (dv, Value::Object(_)) if !dv.is_null() => {
                    warnings.push(format!(
                        "cannot overwrite table with non table for {full} ({})",
                        short(dv)
                    ));
                }
                (Value::Object(_), val) if !val.is_null() => warnings.push(format!(
                    "destination for {full} is a table; ignoring non-table value ({})",
                    short(&val)
                )),
                _ => {}
            },
        }
    }
}

/// Helm's `CoalesceTables` (dst authoritative, nulls deleting) for import-values.
pub fn coalesce_tables_top(dst: &mut Map<String, Value>, src: Map<String, Value>, merge: bool) {
    let mut w = Vec::new();
    coalesce_tables(dst, src, "", merge, &mut w);
}

/// A value for a warning, cut short.
fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}...", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

/// The value at a dotted path (`a.b.c`), as Helm's `Values.PathValue` finds it.
pub fn path_value<'a>(values: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let first = parts.next()?;
    let mut cur = values.get(first)?;
    for p in parts {
        cur = cur.as_object()?.get(p)?;
    }
    Some(cur)
}

/// The table at a dotted path, as Helm's `Values.Table` finds it.
pub fn table<'a>(values: &'a Map<String, Value>, path: &str) -> Option<&'a Map<String, Value>> {
    if path.is_empty() || path == "." {
        return Some(values);
    }
    path_value(values, path)?.as_object()
}
