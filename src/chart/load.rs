//! Reading a chart directory into a [`Chart`] tree.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::{Chart, Dependency, Metadata, Schema, TemplateSource};
use crate::diag::{Diag, Result};
use crate::load::Loader;
use crate::model::Node;
use crate::source::display_path;

/// Subcharts nested deeper than this are refused (a symlink loop would never end).
const MAX_CHART_DEPTH: usize = 32;

/// Reads the chart at `dir` and its subcharts under `charts/`.
pub fn load(loader: &Loader, dir: &Path) -> Result<Chart> {
    let mut chart = load_at(loader, dir, 0)?;
    assign_paths(&mut chart, None);
    Ok(chart)
}

/// Names templates after the chart's place in the tree (`web/charts/db/templates/x.yaml`),
/// as Helm does; called again after aliases rename subcharts.
pub fn assign_paths(chart: &mut Chart, parent: Option<&str>) {
    chart.full_path = match parent {
        None => chart.meta.name.clone(),
        Some(p) => format!("{p}/charts/{}", chart.meta.name),
    };
    for t in &mut chart.templates {
        let rel = t
            .name
            .find("templates/")
            .map_or(t.name.as_str(), |i| &t.name[i..])
            .to_string();
        t.name = format!("{}/{}", chart.full_path, rel);
    }
    let full = chart.full_path.clone();
    for d in &mut chart.deps {
        assign_paths(d, Some(&full));
    }
}

fn load_at(loader: &Loader, dir: &Path, depth: usize) -> Result<Chart> {
    if depth > MAX_CHART_DEPTH {
        return Err(Diag::error(
            "kit::template::too-deep",
            format!("subcharts nested deeper than {MAX_CHART_DEPTH} levels"),
        )
        .path(display_path(dir))
        .help("check charts/ for a symbolic link that points back up the tree"));
    }
    let meta_md = std::fs::metadata(dir).map_err(|e| crate::load::io_error(dir, &e))?;
    if !meta_md.is_dir() {
        let packaged =
            dir.to_string_lossy().ends_with(".tgz") || dir.to_string_lossy().ends_with(".tar.gz");
        let mut d = Diag::error(
            "kit::template::not-a-chart",
            "expected a chart directory (with Chart.yaml)",
        )
        .path(display_path(dir));
        d = if packaged {
            d.help("packaged charts are not supported yet: unpack it first (`tar xzf chart.tgz`) and pass the directory")
        } else {
            d.help("pass the directory that holds Chart.yaml")
        };
        return Err(d);
    }
    let chart_yaml = dir.join("Chart.yaml");
    if !chart_yaml.is_file() {
        let hint = if dir.join("kustomization.yaml").is_file()
            || dir.join("kustomization.yml").is_file()
        {
            "this is a kustomization: render it with `kit build`"
        } else {
            "a chart directory has Chart.yaml (apiVersion: v2, name, version), values.yaml and templates/"
        };
        return Err(Diag::error(
            "kit::template::no-chart-yaml",
            "no Chart.yaml in this directory",
        )
        .path(display_path(dir))
        .help(hint));
    }
    let loaded = loader.load(&chart_yaml)?;
    let doc = loaded.docs.first().cloned().ok_or_else(|| {
        Diag::error("kit::template::chart-yaml", "Chart.yaml is empty")
            .path(display_path(&chart_yaml))
            .help("add apiVersion: v2, name and version")
    })?;
    let meta = metadata(&doc, &chart_yaml)?;
    let meta_value = match crate::emit::to_json(&doc) {
        Value::Object(m) => m,
        _ => Map::new(),
    };

    let values = read_values(loader, &dir.join("values.yaml"))?;
    let schema = read_schema(loader, &dir.join("values.schema.json"))?;
    let templates = read_templates(loader, dir)?;
    let (files, crds) = read_files(loader, dir)?;

    let mut deps = Vec::new();
    let charts_dir = dir.join("charts");
    if charts_dir.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&charts_dir)
            .map_err(|e| crate::load::io_error(&charts_dir, &e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            if name.starts_with('.') {
                continue;
            }
            if p.is_dir() {
                deps.push(load_at(loader, &p, depth + 1)?);
            } else if name.ends_with(".tgz") || name.ends_with(".tar.gz") {
                return Err(Diag::error(
                    "kit::template::packaged-subchart",
                    format!("packaged subchart {name} is not supported yet"),
                )
                .path(display_path(&p))
                .help(format!(
                    "unpack it into charts/ (`tar xzf {name} -C {}`) and remove the archive",
                    display_path(&charts_dir)
                )));
            }
        }
    }

    Ok(Chart {
        dir: dir.to_path_buf(),
        full_path: meta.name.clone(),
        meta,
        meta_value,
        values,
        schema,
        templates,
        files: Arc::new(files),
        crds,
        deps,
        chart_yaml: Some(loaded.file),
    })
}

fn field_str(doc: &Node, key: &str) -> Option<String> {
    doc.get(key).and_then(|n| match &n.value {
        crate::model::Value::Null => None,
        _ => n.scalar_text(),
    })
}

fn metadata(doc: &Node, path: &Path) -> Result<Metadata> {
    if doc.as_map().is_none() {
        return Err(
            Diag::error("kit::template::chart-yaml", "Chart.yaml must be a mapping")
                .at(doc.origin)
                .help("add apiVersion: v2, name and version"),
        );
    }
    let missing = |field: &str| {
        Diag::error(
            "kit::template::chart-yaml",
            format!("Chart.yaml has no `{field}`"),
        )
        .at(doc.origin)
        .path(display_path(path))
        .help(format!(
            "add `{field}:` to Chart.yaml (apiVersion: v2, name and version are required)"
        ))
    };
    let api_version = field_str(doc, "apiVersion").ok_or_else(|| missing("apiVersion"))?;
    if api_version != "v2" && api_version != "v1" {
        return Err(Diag::error(
            "kit::template::chart-yaml",
            format!("unsupported chart apiVersion {api_version:?}"),
        )
        .at(doc.get("apiVersion").and_then(|n| n.origin))
        .help("use apiVersion: v2 (Helm 3 charts)"));
    }
    let name = field_str(doc, "name").ok_or_else(|| missing("name"))?;
    let version = field_str(doc, "version").ok_or_else(|| missing("version"))?;
    if super::semver::Version::parse(&version).is_err() {
        return Err(Diag::error(
            "kit::template::chart-yaml",
            format!("chart version {version:?} is not a semantic version"),
        )
        .at(doc.get("version").and_then(|n| n.origin))
        .help("use MAJOR.MINOR.PATCH, e.g. 0.1.0"));
    }
    let library = match field_str(doc, "type").as_deref() {
        None | Some("" | "application") => false,
        Some("library") => true,
        Some(other) => {
            return Err(Diag::error(
                "kit::template::chart-yaml",
                format!("chart type {other:?} is not valid"),
            )
            .at(doc.get("type").and_then(|n| n.origin))
            .help("type is `application` (the default) or `library`"))
        }
    };
    let mut dependencies = Vec::new();
    if let Some(list) = doc.get("dependencies") {
        let Some(items) = list.as_seq() else {
            if list.is_null() {
                return Ok(Metadata {
                    api_version,
                    name,
                    version,
                    app_version: field_str(doc, "appVersion"),
                    kube_version: field_str(doc, "kubeVersion"),
                    library,
                    dependencies,
                });
            }
            return Err(
                Diag::error("kit::template::chart-yaml", "`dependencies` must be a list")
                    .at(list.origin),
            );
        };
        for item in items {
            let Some(dep_name) = field_str(item, "name") else {
                return Err(Diag::error(
                    "kit::template::chart-yaml",
                    "a dependency has no `name`",
                )
                .at(item.origin)
                .help("each dependency needs name and version (and repository for `helm dependency update`)"));
            };
            let tags = item
                .get("tags")
                .and_then(Node::as_seq)
                .map(|t| t.iter().filter_map(Node::scalar_text).collect())
                .unwrap_or_default();
            let import_values = item
                .get("import-values")
                .and_then(Node::as_seq)
                .map(|t| t.iter().map(crate::emit::to_json).collect())
                .unwrap_or_default();
            dependencies.push(Dependency {
                name: dep_name,
                version: field_str(item, "version").unwrap_or_default(),
                repository: field_str(item, "repository").unwrap_or_default(),
                condition: field_str(item, "condition").unwrap_or_default(),
                tags,
                alias: field_str(item, "alias").filter(|a| !a.is_empty()),
                import_values,
                origin: item.origin,
            });
        }
    }
    Ok(Metadata {
        api_version,
        name,
        version,
        app_version: field_str(doc, "appVersion"),
        kube_version: field_str(doc, "kubeVersion"),
        library,
        dependencies,
    })
}

/// A values file: a mapping (or nothing). `-f` files are read with this too.
pub fn read_values(loader: &Loader, path: &Path) -> Result<Map<String, Value>> {
    if !path.exists() {
        return Ok(Map::new());
    }
    let loaded = loader.load(path)?;
    let Some(doc) = loaded.docs.first() else {
        return Ok(Map::new());
    };
    match crate::emit::to_json(doc) {
        Value::Object(m) => Ok(m),
        Value::Null => Ok(Map::new()),
        _ => Err(Diag::error(
            "kit::template::values",
            "a values file must be a mapping of keys to values",
        )
        .at(doc.origin)
        .help("write `key: value` pairs at the top level")),
    }
}

fn read_schema(loader: &Loader, path: &Path) -> Result<Option<Schema>> {
    if !path.exists() {
        return Ok(None);
    }
    let text = loader.read_text(path)?;
    let json: Value = serde_json::from_str(&text).map_err(|e| {
        let id = loader.sources.add(path, text.clone().into());
        let offset = loader
            .sources
            .get(id)
            .map_or(0, |f| f.byte_offset(e.line(), e.column().saturating_sub(1)));
        Diag::error(
            "kit::template::schema-json",
            format!("values.schema.json is not valid JSON: {e}"),
        )
        .at(Some(crate::source::Origin::new(id, offset, offset + 1)))
        .help("fix the JSON syntax")
    })?;
    Ok(Some(Schema {
        json,
        path: path.to_path_buf(),
    }))
}

fn read_templates(loader: &Loader, dir: &Path) -> Result<Vec<TemplateSource>> {
    let tdir = dir.join("templates");
    if !tdir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&tdir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            Diag::error("kit::template::io", format!("cannot read templates: {e}"))
                .path(display_path(&tdir))
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let rel = path
            .strip_prefix(dir)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let text: Arc<str> = loader.read_text(path)?.into();
        let file = loader.sources.add(path, text.clone());
        out.push(TemplateSource {
            name: rel,
            text,
            file,
        });
    }
    Ok(out)
}

/// Files for `files.get` and friends: everything but Chart.yaml, values.yaml, the schema,
/// templates/ and charts/ (crds/ files are there too, as in Helm).
#[allow(clippy::type_complexity)]
fn read_files(
    loader: &Loader,
    dir: &Path,
) -> Result<(BTreeMap<String, Vec<u8>>, Vec<(String, String)>)> {
    let mut files = BTreeMap::new();
    let mut crds = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            let first = rel
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy().to_string());
            !matches!(first.as_deref(), Some("templates" | "charts" | ".git"))
        });
    for entry in walker {
        let entry = entry.map_err(|e| {
            Diag::error("kit::template::io", format!("cannot read the chart: {e}"))
                .path(display_path(dir))
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        if matches!(
            rel.as_str(),
            "Chart.yaml" | "values.yaml" | "values.schema.json" | ".helmignore" | "Chart.lock"
        ) {
            continue;
        }
        let bytes = loader.read_bytes(entry.path())?;
        if rel.starts_with("crds/") {
            let text = String::from_utf8(bytes.clone()).map_err(|_| {
                Diag::error("kit::template::crd", "CRD file is not valid UTF-8")
                    .path(display_path(entry.path()))
            })?;
            crds.push((rel.clone(), text));
        }
        files.insert(rel, bytes);
    }
    Ok((files, crds))
}
