//! kustomize's `ValueAddTransformer` (a builtin plugin with no kustomization field): writes
//! one value into a field of selected resources, or inserts it into a file path held there.
//!
//! A target whose `fieldPath` is `metadata/namespace` runs the namespace filter instead
//! (cluster-scoped kinds keep no namespace; binding subjects named `default` follow).
//! Otherwise the field is created when missing (with the mappings above it) and must be a
//! scalar. With `filePathPosition: i > 0`, the field's text is read as a path and the value is
//! inserted as its `i`-th element (1 prefixes; a large number appends):
//!
//! ```
//! use kit::transform::valueadd::insert_path_part;
//! assert_eq!(insert_path_part("projects", 1, "cat-111"), "projects/cat-111");
//! assert_eq!(insert_path_part("/a/nice/warm/pie", 3, "PEACH"), "/a/nice/warm/PEACH/pie");
//! assert_eq!(insert_path_part("", 0, "PEACH"), "PEACH");
//! ```

use saphyr_parser::ScalarStyle;

use super::namespace;
use super::select::Selector;
use super::{Resources, Setting};
use crate::diag::{Diag, Result};
use crate::model::{Gvk, Node, Value};
use crate::source::{Origin, SourceMap};

/// One `targets` entry.
#[derive(Clone, Debug)]
pub struct Target {
    pub selector: Option<Selector>,
    pub field_path: String,
    /// 0 (or less) leaves the field's text out; `i > 0` inserts the value at path element `i-1`.
    pub file_path_position: i64,
    pub origin: Option<Origin>,
}

/// A configured `ValueAddTransformer`.
#[derive(Clone, Debug)]
pub struct ValueAdd {
    pub value: Setting,
    pub targets: Vec<Target>,
}

pub fn apply(resources: &mut Resources, va: &ValueAdd, sources: &SourceMap) -> Result<()> {
    for target in &va.targets {
        let selector = target
            .selector
            .as_ref()
            .map(Selector::compile)
            .transpose()?;
        for res in resources.iter_mut() {
            if selector
                .as_ref()
                .is_some_and(|s| !s.selects_patch_target(res))
            {
                continue;
            }
            if target.field_path == "metadata/namespace" {
                namespace::set_in_resource(
                    res,
                    &va.value,
                    &[],
                    namespace::Options::default(),
                    &Gvk::is_cluster_scoped,
                )?;
                continue;
            }
            let fields = split_fields(&target.field_path);
            let file = res.node.origin.map(|o| o.file);
            set_field(&mut res.node, &fields, va, target, sources, file)
                .map_err(|d| d.at(target.origin))?;
        }
    }
    Ok(())
}

/// Splits on `/`; a `\` at the end of an element escapes the slash after it.
fn split_fields(path: &str) -> Vec<String> {
    let mut fields: Vec<String> = Vec::new();
    for part in path.split('/') {
        match fields.last_mut() {
            Some(last) if last.ends_with('\\') => {
                last.pop();
                last.push('/');
                last.push_str(part);
            }
            _ => fields.push(part.to_string()),
        }
    }
    fields
}

fn set_field(
    node: &mut Node,
    fields: &[String],
    va: &ValueAdd,
    target: &Target,
    sources: &SourceMap,
    file: Option<crate::source::FileId>,
) -> Result<()> {
    let Some((first, rest)) = fields.split_first() else {
        return Ok(());
    };
    if node.is_null() {
        node.value = Value::Map(Vec::new());
    }
    let Value::Map(_) = &node.value else {
        return Err(Diag::error(
            "kit::transform::valueadd",
            format!(
                "cannot set `{}`: `{first}` is inside a field that is not a mapping",
                target.field_path
            ),
        )
        .at(node.origin));
    };
    let created = node.get(first).is_none();
    if created {
        let fresh = if rest.is_empty() {
            Node::str("", va.value.origin)
        } else {
            Node::map(va.value.origin)
        };
        node.set(first, fresh);
    }
    let Some(field) = node.get_mut(first) else {
        return Ok(());
    };
    if !rest.is_empty() {
        return set_field(field, rest, va, target, sources, file);
    }
    if matches!(field.value, Value::Map(_) | Value::Seq(_)) {
        return Err(Diag::error(
            "kit::transform::valueadd",
            format!("`{}` is not a scalar field", target.field_path),
        )
        .at(field.origin)
        .help("ValueAddTransformer writes scalar fields only"));
    }
    // kyaml keeps a scalar's text as written and its quoting style (for a field read with
    // the resource; one a transformer set holds the text it was set to).
    let written = field
        .origin
        .filter(|o| !created && Some(o.file) == file)
        .and_then(|o| sources.text_of(o));
    let quoted = written
        .as_deref()
        .is_some_and(|w| w.starts_with(['"', '\'', '|', '>']));
    let current = match (&field.value, written.as_deref()) {
        (Value::Str(s), _) => s.clone(),
        (_, Some(w)) if !quoted && !w.contains('\n') => w.to_string(),
        _ => field.scalar_text().unwrap_or_default(),
    };
    let value = if target.file_path_position > 0 {
        insert_path_part(&current, target.file_path_position - 1, &va.value.value)
    } else {
        va.value.value.clone()
    };
    let origin = va.value.origin.or(field.origin);
    *field = if quoted {
        Node::str(value, origin)
    } else {
        // An untagged plain scalar: kustomize's output reads it back as YAML.
        Node::new(
            crate::load::yaml::resolve_scalar(&value, ScalarStyle::Plain, None),
            origin,
        )
    };
    Ok(())
}

/// kustomize's `filesys.InsertPathPart`: `part` becomes element `pos` of the path (clamped);
/// an absolute path stays absolute; the result is cleaned as Go's `filepath.Join` does.
pub fn insert_path_part(path: &str, pos: i64, part: &str) -> String {
    if part.is_empty() {
        return path.to_string();
    }
    let parts = path_split(path);
    let mut pos = usize::try_from(pos.max(0))
        .unwrap_or(usize::MAX)
        .min(parts.len());
    if parts.first().is_some_and(String::is_empty) && pos < parts.len() {
        pos += 1;
    }
    let mut result: Vec<String> = parts[..pos].to_vec();
    result.push(part.to_string());
    result.extend_from_slice(&parts[pos..]);
    path_join(&result)
}

/// `filesys.PathSplit`: `/a/b` is `["", "a", "b"]`, `/` is `[""]`, `` is `[]`.
fn path_split(path: &str) -> Vec<String> {
    let mut rev: Vec<String> = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        let (dir, file) = match rest.rfind('/') {
            Some(i) => (&rest[..=i], &rest[i + 1..]),
            None => ("", rest),
        };
        if dir == "/" {
            if !file.is_empty() {
                rev.push(file.to_string());
            }
            rev.push(String::new());
            break;
        }
        rev.push(file.to_string());
        rest = dir.strip_suffix('/').unwrap_or(dir);
    }
    rev.reverse();
    rev
}

/// `filesys.PathJoin`: a leading empty element makes the path absolute.
fn path_join(parts: &[String]) -> String {
    match parts.split_first() {
        None => String::new(),
        Some((first, rest)) if first.is_empty() => format!("/{}", go_join(rest)),
        Some(_) => go_join(parts),
    }
}

/// Go's `filepath.Join`: the non-empty elements joined by `/`, then cleaned.
fn go_join(parts: &[String]) -> String {
    let kept: Vec<&str> = parts
        .iter()
        .map(String::as_str)
        .filter(|p| !p.is_empty())
        .collect();
    if kept.is_empty() {
        return String::new();
    }
    go_clean(&kept.join("/"))
}

/// Go's `filepath.Clean` (Unix).
fn go_clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    let joined = out.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_like_kustomize() {
        let cases = [
            ("", 0, "PEACH"),
            ("", 7, "PEACH"),
            ("/", 0, "/PEACH"),
            ("pie", 0, "PEACH/pie"),
            ("pie", -3, "PEACH/pie"),
            ("/pie", 0, "/PEACH/pie"),
            ("raw", 1, "raw/PEACH"),
            ("raw", 9999, "raw/PEACH"),
            ("/raw", 1, "/raw/PEACH"),
            ("a/nice/warm/pie", 3, "a/nice/warm/PEACH/pie"),
            ("/a/nice/warm/pie", 3, "/a/nice/warm/PEACH/pie"),
            ("a//b/../c", 1, "a/PEACH/c"),
        ];
        for (path, pos, want) in cases {
            assert_eq!(insert_path_part(path, pos, "PEACH"), want, "{path} {pos}");
        }
        assert_eq!(insert_path_part("x/y", 1, ""), "x/y");
    }

    #[test]
    fn escaped_slashes_stay_in_one_field() {
        assert_eq!(
            split_fields(r"metadata/annotations/a.b\/c"),
            ["metadata", "annotations", "a.b/c"]
        );
    }
}
