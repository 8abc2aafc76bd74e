//! Reading a chart (a directory, or a packaged `.tgz`) into a [`Chart`] tree.
//!
//! A chart is read whole into memory first (relative path → bytes), from the disk or from
//! an archive, so subcharts under `charts/` load the same way whether they are directories
//! or `.tgz` files.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::{Map, Value};

/// A YAML mapping as JSON, as Helm's Go code sees it.
type Fields = Map<String, Value>;

use super::{Chart, Dependency, Metadata, Schema, TemplateSource};
use crate::diag::{Diag, Result};
use crate::load::Loader;
use crate::model::Node;
use crate::source::{display_path, SharedText};

/// Subcharts nested deeper than this are refused.
const MAX_CHART_DEPTH: usize = 32;
/// An archive that unpacks to more than this is refused (a gzip bomb).
const MAX_ARCHIVE_BYTES: u64 = 256 * 1024 * 1024;
/// An archive with more entries than this is refused.
const MAX_ARCHIVE_ENTRIES: usize = 20_000;
/// Bytes all the archives of one chart (the chart's own and its subcharts', nested ones
/// included) may unpack to together: twenty archives just under the per-archive limit
/// would otherwise take 5 GB.
const MAX_CHART_UNPACKED_BYTES: u64 = 512 * 1024 * 1024;

/// A chart's files: path relative to the chart (with `/`) → bytes.
type FileMap = BTreeMap<String, Vec<u8>>;

/// Reads the chart at `path` (a directory, or a `.tgz` made by `helm package`) and its
/// subcharts under `charts/`.
pub fn load(loader: &Loader, path: &Path) -> Result<Chart> {
    let meta = std::fs::metadata(path).map_err(|e| crate::load::io_error(path, &e))?;
    let unpacked = AtomicU64::new(0);
    let mut chart = if meta.is_dir() {
        let files = read_dir(loader, path)?;
        from_files(loader, files, path, 0, &unpacked)?
    } else if is_archive(&path.to_string_lossy()) {
        let bytes = loader.read_bytes(path)?;
        let (top, files) = unpack(&bytes, path, &unpacked)?;
        from_files(loader, files, &path.join(top), 0, &unpacked)?
    } else {
        return Err(Diag::error(
            "kit::template::not-a-chart",
            "expected a chart directory (with Chart.yaml) or a packaged chart (.tgz)",
        )
        .path(display_path(path))
        .help("pass the directory that holds Chart.yaml"));
    };
    assign_paths(&mut chart, None);
    Ok(chart)
}

fn is_archive(name: &str) -> bool {
    name.ends_with(".tgz") || name.ends_with(".tar.gz")
}

/// Names templates after the chart's place in the tree (`web/charts/db/templates/x.yaml`),
/// as Helm does; called again after aliases rename subcharts.
pub fn assign_paths(chart: &mut Chart, parent: Option<&str>) {
    if !chart.keeps_loaded_path {
        chart.full_path = match parent {
            None => chart.meta.name.clone(),
            Some(p) => format!("{p}/charts/{}", chart.meta.name),
        };
    }
    for t in &mut chart.templates {
        t.name = format!("{}/{}", chart.full_path, t.rel);
    }
    let full = chart.full_path.clone();
    for d in &mut chart.deps {
        assign_paths(d, Some(&full));
    }
}

/// Every file under `dir` (`.git` skipped). Symbolic links are followed while they stay inside
/// the chart: a link that resolves outside `dir` (itself resolved, so a chart given as a link
/// still works) is refused, so a chart cannot make kit read `/etc/passwd` into its output.
fn read_dir(loader: &Loader, dir: &Path) -> Result<FileMap> {
    let root = std::fs::canonicalize(dir).map_err(|e| crate::load::io_error(dir, &e))?;
    // `.helmignore` applies to a chart read from a directory (a packaged chart was filtered
    // when it was made), to the whole tree below it, subcharts included; as Helm does, what
    // it ignores is never read (nor are its links followed).
    let ignore_file = dir.join(".helmignore");
    let rules = if ignore_file.is_file() {
        if ignore_file.is_symlink() {
            link_inside(&root, &ignore_file)?;
        }
        let text = loader.read_bytes(&ignore_file)?;
        let rules = super::helmignore::Rules::parse(&String::from_utf8_lossy(&text)).map_err(
            |(line, e)| {
                Diag::error("kit::template::helmignore", format!(".helmignore line {line}: {e}"))
                    .path(display_path(&ignore_file))
                    .help("Helm refuses this .helmignore: a rule is one Go filepath.Match pattern (*, ?, [...]), without **")
            },
        )?;
        Some(rules)
    } else {
        None
    };
    let relative = |p: &Path| {
        p.strip_prefix(dir)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default()
    };
    let mut paths = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if e.file_name() == ".git" {
                return false;
            }
            let rel = relative(e.path());
            !rules
                .as_ref()
                .is_some_and(|r| r.ignore(&rel, e.file_type().is_dir()))
        });
    for entry in walker {
        let entry = entry.map_err(|e| {
            let loop_hint = if e.loop_ancestor().is_some() {
                "a symbolic link points back up the tree: remove it"
            } else {
                "check the chart's files are readable"
            };
            Diag::error("kit::template::io", format!("cannot read the chart: {e}"))
                .path(display_path(dir))
                .help(loop_hint)
        })?;
        if entry.depth() > 0 && entry.path_is_symlink() {
            link_inside(&root, entry.path())?;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        paths.push((relative(entry.path()), entry.into_path()));
    }
    // A chart is often hundreds of small files: they are read in parallel, and the first
    // error in walk order is the one reported.
    let contents: Vec<Result<Vec<u8>>> = {
        use rayon::prelude::*;
        paths
            .par_iter()
            .map(|(_, path)| loader.read_bytes(path))
            .collect()
    };
    let mut files = FileMap::new();
    for ((rel, _), bytes) in paths.into_iter().zip(contents) {
        files.insert(rel, bytes?);
    }
    Ok(files)
}

/// Refuses a symbolic link of a chart whose target (fully resolved) is not under `root`.
fn link_inside(root: &Path, link: &Path) -> Result<()> {
    let target = std::fs::canonicalize(link).map_err(|e| crate::load::io_error(link, &e))?;
    if target.starts_with(root) {
        return Ok(());
    }
    Err(Diag::error(
        "kit::template::link-outside",
        format!(
            "symbolic link to {}, outside the chart's directory {}",
            display_path(&target),
            display_path(root)
        ),
    )
    .path(display_path(link))
    .help("kit reads nothing outside a chart's directory: replace the link with a copy of what it points to, or move that into the chart"))
}

/// Whether a link entry at `parts` (its path's segments, the chart's top directory first)
/// to `target` reaches outside that top directory. A hard link's target is a path in the
/// archive; a symbolic link's is relative to the link's directory, or absolute.
fn link_escapes(parts: &[&str], target: &str, hard: bool) -> bool {
    if target.is_empty() || target.starts_with('/') {
        return true;
    }
    let mut at: Vec<&str> = if hard {
        Vec::new()
    } else {
        parts[..parts.len().saturating_sub(1)].to_vec()
    };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                at.pop();
                // Back at (or above) the archive's root: out of the chart's directory.
                if at.is_empty() {
                    return true;
                }
            }
            s => at.push(s),
        }
    }
    at.first() != parts.first()
}

/// Unpacks a gzipped tar made by `helm package`: every file sits under one top directory
/// (the chart's name), which is returned with the files relative to it. `unpacked` counts
/// the bytes of all archives of the chart being loaded.
fn unpack(bytes: &[u8], path: &Path, unpacked: &AtomicU64) -> Result<(String, FileMap)> {
    let bad = |msg: String| {
        Diag::error("kit::template::archive", msg)
            .path(display_path(path))
            .help("a packaged chart is a .tgz made by `helm package`; unpack it and pass the directory to see what is wrong")
    };
    let gz = flate2::read::GzDecoder::new(bytes);
    let mut archive = tar::Archive::new(gz.take(MAX_ARCHIVE_BYTES + 1));
    let mut files = FileMap::new();
    let mut top: Option<String> = None;
    let mut total: u64 = 0;
    let entries = archive
        .entries()
        .map_err(|e| bad(format!("cannot read the archive: {e}")))?;
    for (count, entry) in entries.enumerate() {
        if count >= MAX_ARCHIVE_ENTRIES {
            return Err(bad(format!(
                "the archive has more than {MAX_ARCHIVE_ENTRIES} entries"
            )));
        }
        let mut entry = entry.map_err(|e| bad(format!("cannot read the archive: {e}")))?;
        let kind = entry.header().entry_type();
        let name = entry
            .path()
            .map_err(|e| bad(format!("bad file name in the archive: {e}")))?
            .to_string_lossy()
            .replace('\\', "/");
        // Helm's reading: the first segment is the chart's directory, whatever its name
        // (`.` too), and the rest, cleaned, the file's path in the chart.
        let (first, rest) = name.split_once('/').unwrap_or((name.as_str(), ""));
        // An absolute name: helm reads `/x/y` as the chart's file `y`; kit refuses what no
        // `helm package` writes and a hostile archive would.
        if name.starts_with('/') || rest.starts_with('/') {
            return Err(bad(format!(
                "the archive entry {name:?} names a file outside the chart (an absolute path)"
            )));
        }
        let mut rel: Vec<&str> = Vec::new();
        for seg in rest.split('/') {
            match seg {
                "" | "." => {}
                ".." if rel.pop().is_some() => {}
                ".." => {
                    return Err(bad(format!(
                        "the archive entry {name:?} names a file outside the chart (helm: chart illegally references parent directory)"
                    )))
                }
                s => rel.push(s),
            }
        }
        let parts: Vec<&str> = std::iter::once(first).chain(rel.iter().copied()).collect();
        // Helm reads a link entry as an empty file; kit skips one that stays inside the
        // chart and refuses one that points out of it (kit writes no archive to disk, but
        // a chart that tries this is hostile, and says so).
        if matches!(kind, tar::EntryType::Symlink | tar::EntryType::Link) {
            let target = entry
                .link_name()
                .ok()
                .flatten()
                .map(|t| t.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            if link_escapes(&parts, &target, kind == tar::EntryType::Link) {
                return Err(bad(format!(
                    "the archive entry {name:?} is a {} to {target:?}, outside the chart",
                    if kind == tar::EntryType::Link {
                        "hard link"
                    } else {
                        "symbolic link"
                    }
                )));
            }
            continue;
        }
        if !(kind.is_file() || kind == tar::EntryType::Continuous) {
            continue;
        }
        if rel.is_empty() || first == "Chart.yaml" {
            return Err(bad(format!(
                "{name} is not inside the chart's directory (helm: chart illegally contains content outside the base directory)"
            )));
        }
        // Helm strips the first segment of every entry without comparing them: entries
        // under two top directories make one chart (the later file of a path wins).
        if top.is_none() {
            top = Some(first.to_string());
        }
        total += entry.size();
        if total > MAX_ARCHIVE_BYTES {
            return Err(bad(format!(
                "the archive unpacks to more than {MAX_ARCHIVE_BYTES} bytes (at entry {name:?}, {} bytes)",
                entry.size()
            )));
        }
        let total = unpacked.fetch_add(entry.size(), Ordering::Relaxed) + entry.size();
        if total > MAX_CHART_UNPACKED_BYTES {
            return Err(bad(format!(
                "the chart's archives (its subcharts' included) unpack to more than {MAX_CHART_UNPACKED_BYTES} bytes together"
            )));
        }
        // Sized from the header (bounded by the checks above), so that a large template is
        // not copied at each doubling of the buffer.
        let mut data = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
        entry
            .read_to_end(&mut data)
            .map_err(|e| bad(format!("cannot read {name}: {e}")))?;
        files.insert(rel.join("/"), data);
    }
    let top = top.ok_or_else(|| bad("the archive is empty".to_string()))?;
    Ok((top, files))
}

/// A file's bytes as text (taken over, not copied: a CRD template is a megabyte).
fn text_of(bytes: Vec<u8>, path: &Path) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| crate::load::not_utf8(path, e.as_bytes(), e.utf8_error()))
}

/// Parses a YAML file of the chart (registered as a source for diagnostics).
fn yaml_of(loader: &Loader, rel: &str, bytes: &[u8], root: &Path) -> Result<Option<Node>> {
    let text = text_of(bytes.to_vec(), &root.join(rel))?;
    let loaded = loader.load_text(&root.join(rel), text)?;
    Ok(loaded.docs.first().cloned())
}

/// Chart.yaml (or requirements.yaml) read twice: as kit's document, for the places of its
/// values, and as Helm's `chart.Metadata`, for the values themselves (YAML 1.1 scalars, and
/// the text of a number in a string field).
fn metadata_yaml_of(
    loader: &Loader,
    path: &Path,
    text: String,
) -> Result<(crate::source::FileId, Option<(Node, Fields)>)> {
    let fields = crate::gotmpl::funcs::helm_data::chart_metadata_json(&text).map_err(|e| {
        Diag::error("kit::template::chart-yaml", e)
            .path(display_path(path))
            .help("fix the YAML; Helm reads this file with YAML 1.1 rules")
    });
    let loaded = loader.load_text(path, text)?;
    let Some(doc) = loaded.docs.first().cloned() else {
        return Ok((loaded.file, None));
    };
    Ok((loaded.file, Some((doc, fields?.unwrap_or_default()))))
}

/// Builds a chart from its files; `root` is where they came from (for messages).
fn from_files(
    loader: &Loader,
    mut files: FileMap,
    root: &Path,
    depth: usize,
    unpacked: &AtomicU64,
) -> Result<Chart> {
    if depth > MAX_CHART_DEPTH {
        return Err(Diag::error(
            "kit::template::too-deep",
            format!("subcharts nested deeper than {MAX_CHART_DEPTH} levels"),
        )
        .path(display_path(root)));
    }
    let Some(chart_bytes) = files.remove("Chart.yaml") else {
        let hint = if files.contains_key("kustomization.yaml")
            || files.contains_key("kustomization.yml")
        {
            "this is a kustomization: render it with `kit build`"
        } else if root.join("Chart.yaml").is_file() {
            "the chart's .helmignore leaves Chart.yaml out (as in Helm, a negated rule `!x` also ignores every path it does not match)"
        } else {
            "a chart directory has Chart.yaml (apiVersion: v2, name, version), values.yaml and templates/"
        };
        return Err(Diag::error(
            "kit::template::no-chart-yaml",
            "no Chart.yaml in this directory",
        )
        .path(display_path(root))
        .help(hint));
    };
    let chart_yaml = root.join("Chart.yaml");
    let text = text_of(chart_bytes, &chart_yaml)?;
    let (chart_yaml_file, chart_yaml_doc) = metadata_yaml_of(loader, &chart_yaml, text)?;
    let (doc, meta_value) = chart_yaml_doc.ok_or_else(|| {
        Diag::error("kit::template::chart-yaml", "Chart.yaml is empty")
            .path(display_path(&chart_yaml))
            .help("add apiVersion: v2, name and version")
    })?;
    let mut meta = metadata(&doc, &meta_value, &chart_yaml)?;
    // A v1 chart lists its dependencies in requirements.yaml (Helm 2's layout).
    if let Some(b) = files.remove("requirements.yaml") {
        if meta.api_version == "v1" {
            let path = root.join("requirements.yaml");
            let text = text_of(b, &path)?;
            if let (_, Some((req, fields))) = metadata_yaml_of(loader, &path, text)? {
                meta.dependencies = dependencies_of(&req, &fields)?;
                meta.lists_dependencies |= lists_dependencies(&req);
            }
        }
    }
    files.remove("requirements.lock");

    let jinja = meta_value
        .get("annotations")
        .and_then(|a| a.get(super::DIALECT_ANNOTATION))
        .and_then(|v| v.as_str())
        .is_some_and(|v| v.eq_ignore_ascii_case("jinja"));
    let values_path = root.join("values.yaml");
    let (go_values, values) = match files.remove("values.yaml") {
        Some(b) if !jinja => (Some(text_of(b, &values_path)?), Map::new()),
        Some(b) => (None, values_of(yaml_of(loader, "values.yaml", &b, root)?)?),
        None => (None, Map::new()),
    };
    // A large values file is decoded beside the rest of the chart (its templates, its
    // subcharts), in the thread pool; its error is still the one reported first.
    let (values, rest) = match go_values.as_deref() {
        Some(text) => {
            let contents = || chart_contents(loader, files, root, depth, unpacked);
            let (decoded, rest) = if text.len() >= BESIDE_VALUES_BYTES {
                rayon::join(|| super::gorender::decode_values(text), contents)
            } else {
                (super::gorender::decode_values(text), contents())
            };
            let values = super::gorender::helm_values_or_error(loader, &values_path, text, decoded);
            (values, rest)
        }
        None => (
            Ok(values),
            chart_contents(loader, files, root, depth, unpacked),
        ),
    };
    let values = values?;
    let Contents {
        schema,
        templates,
        others,
        deps,
    } = rest?;

    Ok(Chart {
        dir: root.to_path_buf(),
        full_path: meta.name.clone(),
        keeps_loaded_path: false,
        meta,
        meta_value,
        values,
        schema,
        templates,
        files: Arc::new(others),
        deps,
        chart_yaml: Some(chart_yaml_file),
    })
}

/// Values files at least this large are decoded beside the rest of their chart.
const BESIDE_VALUES_BYTES: usize = 16 * 1024;

/// A chart's files other than Chart.yaml and values.yaml, sorted out.
struct Contents {
    schema: Option<Schema>,
    templates: Vec<TemplateSource>,
    others: FileMap,
    deps: Vec<Chart>,
}

/// The schema, templates, CRDs, other files and subcharts of a chart.
fn chart_contents(
    loader: &Loader,
    mut files: FileMap,
    root: &Path,
    depth: usize,
    unpacked: &AtomicU64,
) -> Result<Contents> {
    let schema = files.remove("values.schema.json").map(|bytes| Schema {
        bytes,
        path: root.join("values.schema.json"),
    });
    // .helmignore stays one of the chart's files (`.Files.Get ".helmignore"`), as in Helm.
    files.remove("Chart.lock");

    let mut templates = Vec::new();
    let mut others = FileMap::new();
    let mut sub_dirs: BTreeMap<String, FileMap> = BTreeMap::new();
    let mut sub_archives: Vec<(String, Vec<u8>)> = Vec::new();
    for (rel, bytes) in files {
        if rel.starts_with("templates/") {
            let text: SharedText = text_of(bytes, &root.join(&rel))?.into();
            let file = loader.sources.add(&root.join(&rel), text.clone());
            templates.push(TemplateSource {
                name: rel.clone(),
                rel,
                text,
                file,
            });
        } else if let Some(rest) = rel.strip_prefix("charts/") {
            // Helm's loader: provenance files are the chart's own files; every other entry
            // of charts/ is a subchart (skipped when its name starts with `_` or `.`): an
            // archive when it ends in `.tgz`, else a directory.
            if rest.ends_with(".prov") {
                others.insert(rel, bytes);
                continue;
            }
            let (name, inner) = match rest.split_once('/') {
                Some((name, inner)) => (name, Some(inner)),
                None => (rest, None),
            };
            if name.starts_with(['_', '.']) {
                continue;
            }
            match inner {
                None if name.ends_with(".tgz") => {
                    sub_archives.push((name.to_string(), bytes));
                }
                Some(inner) if !name.ends_with(".tgz") => {
                    sub_dirs
                        .entry(name.to_string())
                        .or_default()
                        .insert(inner.to_string(), bytes);
                }
                _ => return Err(not_a_subchart(&root.join("charts").join(name))),
            }
        } else {
            others.insert(rel, bytes);
        }
    }

    let mut deps = Vec::new();
    for (dir, sub) in sub_dirs {
        deps.push(from_files(
            loader,
            sub,
            &root.join("charts").join(&dir),
            depth + 1,
            unpacked,
        )?);
    }
    for (name, bytes) in sub_archives {
        let path = root.join("charts").join(&name);
        let (top, sub) = unpack(&bytes, &path, unpacked)?;
        deps.push(from_files(
            loader,
            sub,
            &path.join(top),
            depth + 1,
            unpacked,
        )?);
    }

    Ok(Contents {
        schema,
        templates,
        others,
        deps,
    })
}

/// A parsed values document as a map (an empty document is an empty map).
pub fn values_of(doc: Option<Node>) -> Result<Map<String, Value>> {
    let Some(doc) = doc else {
        return Ok(Map::new());
    };
    match crate::emit::to_json(&doc) {
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

/// A values file (`-f`, a kustomization's `valuesFile`): a mapping (or nothing).
pub fn read_values(loader: &Loader, path: &Path) -> Result<Map<String, Value>> {
    let loaded = loader.load(path)?;
    values_of(loaded.docs.first().cloned())
}

/// A file of `charts/` that Helm reads as a subchart and cannot load: a plain file (a
/// subchart without Chart.yaml), or a directory named like an archive.
fn not_a_subchart(path: &Path) -> Diag {
    Diag::error(
        "kit::template::not-a-subchart",
        "Chart.yaml file is missing: Helm reads every entry of charts/ as a subchart (a directory with Chart.yaml, or a .tgz archive)",
    )
    .path(display_path(path))
    .help("move the file out of charts/, or start its name with `_` or `.` (Helm skips those)")
}

/// Helm's rule for a chart's name: one path segment (`filepath.Base(name) == name`, and not
/// `.` or `..`); `\` is refused too, for Windows.
fn is_chart_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

/// Helm's rule for a dependency's alias: `^[a-zA-Z0-9_-]+$`.
fn is_alias(alias: &str) -> bool {
    !alias.is_empty()
        && alias
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A string field as Helm reads it (see [`metadata_yaml_of`]); `None` when absent or null.
fn field_str(fields: &Fields, key: &str) -> Option<String> {
    match fields.get(key)? {
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// `doc` is where Chart.yaml's values are, `fields` what they are.
fn metadata(doc: &Node, fields: &Fields, path: &Path) -> Result<Metadata> {
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
            format!("validation: chart.metadata.{field} is required (Chart.yaml has no `{field}`)"),
        )
        .at(doc.origin)
        .path(display_path(path))
        .help(format!(
            "add `{field}:` to Chart.yaml (apiVersion: v2, name and version are required)"
        ))
    };
    // Helm 2 charts may leave apiVersion out: Helm reads them as v1. Helm v3 and v4 render
    // a chart of any other apiVersion as a v2 chart (its dependencies in Chart.yaml).
    let api_version = field_str(fields, "apiVersion")
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "v1".to_string());
    let name = field_str(fields, "name").ok_or_else(|| missing("name"))?;
    if !is_chart_name(&name) {
        return Err(Diag::error(
            "kit::template::chart-name",
            format!("chart name {name:?} is not valid (validation: chart.metadata.name {name:?} is invalid)"),
        )
        .at(go_field(doc, "name").and_then(|n| n.origin))
        .help("a chart's name is one path segment, without `/` or `\\` and not `.` or `..` (Helm's rule: files are named after it)"));
    }
    let version = field_str(fields, "version").ok_or_else(|| missing("version"))?;
    if super::semver::Version::parse(&version).is_err() {
        return Err(Diag::error(
            "kit::template::chart-yaml",
            format!("validation: chart.metadata.version {version:?} is invalid: it is not a semantic version"),
        )
        .at(go_field(doc, "version").and_then(|n| n.origin))
        .help("use MAJOR.MINOR.PATCH, e.g. 0.1.0"));
    }
    let library = match field_str(fields, "type").as_deref() {
        None | Some("" | "application") => false,
        Some("library") => true,
        Some(other) => {
            return Err(Diag::error(
                "kit::template::chart-yaml",
                format!("validation: chart.metadata.type must be application or library (chart type {other:?} is not valid)"),
            )
            .at(go_field(doc, "type").and_then(|n| n.origin))
            .help("type is `application` (the default) or `library`"))
        }
    };
    let dependencies = dependencies_of(doc, fields)?;
    Ok(Metadata {
        api_version,
        name,
        version,
        app_version: field_str(fields, "appVersion"),
        kube_version: field_str(fields, "kubeVersion"),
        library,
        dependencies,
        lists_dependencies: lists_dependencies(doc),
        imports_done: Default::default(),
        aliases_applied: Default::default(),
    })
}

/// The entry of a Chart.yaml mapping that Helm reads into the field whose JSON name is `name`:
/// encoding/json matches keys ignoring case, in sorted order, so of `Name` and `name` the
/// latter wins (see `helm_data::chart_metadata_json`).
fn go_field<'a>(node: &'a Node, name: &str) -> Option<&'a Node> {
    node.as_map()?
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .max_by(|(a, _), (b, _)| a.cmp(b))
        .map(|(_, v)| v)
}

/// Whether the document sets `dependencies` (Helm's list is then not nil, even if empty).
fn lists_dependencies(doc: &Node) -> bool {
    go_field(doc, "dependencies").is_some_and(|n| !n.is_null())
}

/// The `dependencies` list of Chart.yaml (or of a v1 chart's requirements.yaml).
fn dependencies_of(doc: &Node, fields: &Fields) -> Result<Vec<Dependency>> {
    let mut dependencies = Vec::new();
    let typed: &[Value] = match fields.get("dependencies") {
        Some(Value::Array(items)) => items.as_slice(),
        _ => &[],
    };
    if let Some(list) = go_field(doc, "dependencies") {
        let Some(items) = list.as_seq() else {
            if list.is_null() {
                return Ok(dependencies);
            }
            return Err(
                Diag::error("kit::template::chart-yaml", "`dependencies` must be a list")
                    .at(list.origin),
            );
        };
        let empty = Map::new();
        for (i, item) in items.iter().enumerate() {
            let item_fields = typed.get(i).and_then(Value::as_object).unwrap_or(&empty);
            let Some(dep_name) = field_str(item_fields, "name") else {
                return Err(Diag::error(
                    "kit::template::chart-yaml",
                    "a dependency has no `name`",
                )
                .at(item.origin)
                .help("each dependency needs name and version (and repository for `helm dependency update`)"));
            };
            let alias = field_str(item_fields, "alias").filter(|a| !a.is_empty());
            if let Some(alias) = alias.as_deref().filter(|a| !is_alias(a)) {
                return Err(Diag::error(
                    "kit::template::chart-yaml",
                    format!("validation: dependency {dep_name:?} has disallowed characters in the alias {alias:?}"),
                )
                .at(go_field(item, "alias").and_then(|n| n.origin))
                .help("an alias is letters, digits, `-` and `_` (Helm's rule): it names the subchart's files"));
            }
            let key = alias.as_deref().unwrap_or(&dep_name);
            if dependencies
                .iter()
                .any(|d: &Dependency| d.effective_name() == key)
            {
                return Err(Diag::error(
                    "kit::template::chart-yaml",
                    format!("validation: more than one dependency with name or alias {key:?}"),
                )
                .at(item.origin)
                .help("give one of them an `alias` (each subchart's values live under its name or alias)"));
            }
            let tags = match item_fields.get("tags") {
                Some(Value::Array(tags)) => tags
                    .iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect(),
                _ => Vec::new(),
            };
            let import_values = go_field(item, "import-values")
                .and_then(Node::as_seq)
                .map(|t| t.iter().map(crate::emit::to_json).collect())
                .unwrap_or_default();
            dependencies.push(Dependency {
                name: dep_name,
                version: field_str(item_fields, "version").unwrap_or_default(),
                repository: field_str(item_fields, "repository").unwrap_or_default(),
                condition: field_str(item_fields, "condition").unwrap_or_default(),
                tags,
                alias,
                import_values,
                origin: item.origin,
            });
        }
    }
    Ok(dependencies)
}
