//! Printing resources: YAML identical to `kubectl kustomize`, JSON, one file per resource.

pub mod goyaml;

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use crate::diag::{Diag, Result};
use crate::model::{Node, Resource, Value};
use crate::source::SourceMap;

/// kustomize prints through JSON, which has no NaN or infinity: such a value is an error.
pub fn check_representable(resources: &[Resource]) -> Result<()> {
    fn find(node: &Node) -> Option<&Node> {
        match &node.value {
            Value::Float(f) if !f.is_finite() => Some(node),
            Value::Seq(items) => items.iter().find_map(find),
            Value::Map(m) => m.iter().find_map(|(_, v)| find(v)),
            _ => None,
        }
    }
    for r in resources {
        if let Some(bad) = find(&r.node) {
            let Value::Float(f) = bad.value else { continue };
            let what = if f.is_nan() { "NaN" } else { "infinity" };
            return Err(Diag::error(
                "kit::emit::not-json",
                format!("unsupported value: {what} (in {})", r.id().describe()),
            )
            .at(bad.origin)
            .help("JSON and the Kubernetes API have no NaN or infinity; quote the value if it is meant as text"));
        }
    }
    Ok(())
}

/// The YAML stream `kubectl kustomize` prints: documents joined by `---`.
pub fn yaml_stream(resources: &[Resource]) -> String {
    let mut out = String::with_capacity(resources.len() * 512);
    for (i, r) in resources.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        goyaml::write_document(&r.node, &mut out);
    }
    out
}

/// The same stream with `# from: file:line:col` after each value that came from a file.
pub fn yaml_stream_with_origins(resources: &[Resource], sources: &SourceMap) -> String {
    let mut out = String::new();
    for (i, r) in resources.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        goyaml::write_document_with_origins(&r.node, &mut out, sources);
    }
    out
}

/// A JSON list of the resources (keys sorted, like Go's encoding/json).
pub fn json_list(resources: &[Resource]) -> String {
    let list: Vec<serde_json::Value> = resources.iter().map(|r| to_json(&r.node)).collect();
    let mut s = serde_json::to_string_pretty(&serde_json::Value::Array(list)).unwrap_or_default();
    s.push('\n');
    s
}

pub fn to_json(node: &Node) -> serde_json::Value {
    match &node.value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => (*b).into(),
        Value::Int(i) => (*i).into(),
        Value::UInt(u) => (*u).into(),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::Str(s) => s.clone().into(),
        Value::Seq(items) => items.iter().map(to_json).collect(),
        Value::Map(m) => {
            let mut entries: Vec<&(String, Node)> = m.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), to_json(v)))
                    .collect(),
            )
        }
    }
}

/// JSON as a kit node, without origins: [`to_json`] the other way.
pub fn from_json(v: &serde_json::Value) -> Node {
    let value = match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Int(i)
            } else if let Some(u) = n.as_u64() {
                Value::UInt(u)
            } else {
                Value::Float(n.as_f64().unwrap_or(0.0))
            }
        }
        serde_json::Value::String(s) => Value::Str(s.clone()),
        serde_json::Value::Array(a) => Value::Seq(a.iter().map(from_json).collect()),
        serde_json::Value::Object(m) => {
            Value::Map(m.iter().map(|(k, v)| (k.clone(), from_json(v))).collect())
        }
    };
    Node::new(value, None)
}

/// File name `kustomize build -o DIR` uses for a resource.
pub fn file_name(r: &Resource) -> String {
    let gvk = r.gvk();
    let parts: Vec<&str> = [gvk.group.as_str(), gvk.version.as_str(), gvk.kind.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    format!("{}_{}.yaml", parts.join("_"), r.name()).to_lowercase()
}

/// `dir` joined with `rel` (segments separated by `/`), where `rel` is built from input data
/// (a chart's name, a template's path): every segment must be a plain name, so the result
/// cannot leave `dir`.
pub fn path_inside(dir: &Path, rel: &str) -> Result<PathBuf> {
    let mut path = dir.to_path_buf();
    for segment in rel.split('/') {
        let mut parts = Path::new(segment).components();
        let plain = matches!(
            (parts.next(), parts.next()),
            (Some(Component::Normal(_)), None)
        ) && !segment.contains(['\\', '\0']);
        if !plain {
            return Err(Diag::error(
                "kit::emit::unsafe-path",
                format!(
                    "refusing to write {rel:?}: the path would not stay inside {}",
                    crate::source::display_path(dir)
                ),
            )
            .help("the file name comes from the input (a chart's name, an alias, a resource's apiVersion, kind or name): give it a name without `/`, `\\` or `..`"));
        }
        path.push(segment);
    }
    Ok(path)
}

/// Writes one file per resource into `dir` (created if needed), named as `kustomize build -o
/// DIR` names them: [`file_name`], prefixed with the lowercased namespace when the namespaced
/// resources span more than one namespace (kustomize's `WriteIndividualFiles`).
pub fn write_dir(resources: &[Resource], dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| crate::load::io_error(dir, &e))?;
    let namespaces: std::collections::BTreeSet<String> = resources
        .iter()
        .map(|r| r.id())
        .filter(|id| !id.gvk.is_cluster_scoped())
        .map(|id| id.effective_namespace().to_string())
        .collect();
    for r in resources {
        let mut text = String::new();
        goyaml::write_document(&r.node, &mut text);
        let id = r.id();
        let name = if namespaces.len() > 1 && !id.gvk.is_cluster_scoped() {
            format!(
                "{}_{}",
                id.effective_namespace().to_lowercase(),
                file_name(r)
            )
        } else {
            file_name(r)
        };
        if name.contains(['/', '\\']) {
            return Err(Diag::error(
                "kit::emit::file-name",
                format!(
                    "cannot write {} to its own file: its apiVersion, kind or name holds a path separator ({name:?})",
                    r.id().describe()
                ),
            )
            .at(r.node.origin)
            .help("Kubernetes names, kinds and API groups have no `/` or `\\`: fix the resource, or print it without -o"));
        }
        let path = path_inside(dir, &name)?;
        std::fs::write(&path, text).map_err(|e| {
            Diag::error("kit::emit::write", format!("cannot write: {e}"))
                .path(path.display().to_string())
        })?;
    }
    Ok(())
}

/// A JSON string as Go's `encoding/json` writes it (HTML-safe: `<`, `>`, `&`, U+2028 and
/// U+2029 are escaped too).
pub fn write_go_json_string(s: &str, out: &mut String) {
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
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A path built from input data stays inside the output directory or is refused.
    #[test]
    fn path_inside_refuses_what_would_leave_the_directory() {
        let dir = Path::new("out");
        assert_eq!(
            path_inside(dir, "app/templates/a.yaml").ok(),
            Some(PathBuf::from("out/app/templates/a.yaml"))
        );
        assert_eq!(
            path_inside(dir, "a..b/x...yaml").ok(),
            Some(PathBuf::from("out/a..b/x...yaml"))
        );
        for bad in [
            "../x.yaml",
            "../../../../tmp/x/templates/a.yaml",
            "app/../../x",
            "/etc/passwd",
            "app//a.yaml",
            "./a.yaml",
            "app/.",
            "a\\..\\..\\x",
            "",
        ] {
            let err = path_inside(dir, bad).err().map(|d| d.message);
            assert!(
                err.as_deref()
                    .is_some_and(|m| m.contains("would not stay inside out")),
                "{bad:?}: {err:?}"
            );
        }
    }
}
