//! Charts: Helm's chart layout rendered with Jinja templates (minijinja).
//!
//! A chart is a directory (or a `.tgz` made by `helm package`) with `Chart.yaml` (apiVersion v2), `values.yaml`, an optional
//! `values.schema.json`, `templates/` (files starting with `_` are partials: they define
//! macros and render nothing; `NOTES.txt` is the release notes), `crds/` and `charts/`
//! (subcharts, as directories or `.tgz` files). [`load`] reads one into a [`Chart`] tree; [`render`] turns a
//! chart and the user's values into manifests, as `helm template` does.
//!
//! Stages: `load` (files) → [`deps`] (enabled dependencies, aliases, import-values) →
//! [`values`] (Helm's precedence) → [`schema`] → [`engine`] (minijinja) → [`output`] (split,
//! parse into kit's model, sort in Helm's install order).

pub mod deps;
pub mod engine;
pub mod gorender;
pub mod helm_version;
pub mod helmignore;
pub mod lint;
pub mod load;
pub mod objects;
pub mod output;
pub mod scaffold;
pub mod schema;
pub mod semver;
pub mod strvals;
pub mod values;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::source::{FileId, Origin, SharedText};

pub use helm_version::HelmVersion;
pub use load::load;
pub use output::{name_from_template, render, RenderOptions, Rendered};

/// One chart (or subchart) as read from disk.
#[derive(Clone, Debug)]
pub struct Chart {
    pub dir: PathBuf,
    pub meta: Metadata,
    /// `Chart.yaml` as a map, for the templates' `chart` object.
    pub meta_value: Map<String, Value>,
    /// Default values (`values.yaml`).
    pub values: Map<String, Value>,
    pub schema: Option<Schema>,
    pub templates: Vec<TemplateSource>,
    /// Every other file of the chart (relative path → bytes), for `files`.
    pub files: Arc<BTreeMap<String, Vec<u8>>>,
    /// Subcharts (after [`deps::process`], only the enabled ones, aliases applied).
    pub deps: Vec<Chart>,
    /// `parent/charts/sub` for a subchart, the name for the top chart.
    pub full_path: String,
    /// Keeps the path the chart was loaded at (Helm v3: a subchart that its parent's
    /// `Chart.yaml` does not list keeps its parent pointer from loading, so under an alias
    /// it still renders as `top/charts/child/charts/sub`).
    pub keeps_loaded_path: bool,
    pub chart_yaml: Option<FileId>,
}

/// The fields of `Chart.yaml` that rendering reads.
#[derive(Clone, Debug, Default)]
pub struct Metadata {
    pub api_version: String,
    pub name: String,
    pub version: String,
    pub app_version: Option<String>,
    pub kube_version: Option<String>,
    pub library: bool,
    pub dependencies: Vec<Dependency>,
    /// Set once Helm v3 has processed this chart's `import-values`. Helm v3 rewrites the
    /// shared dependency entries as it imports, so the copies an alias makes of one chart
    /// (which share them) import nothing after the first: the flag is shared by clones.
    /// Whether Chart.yaml has a `dependencies` list at all (`[]` included): Helm processes
    /// the dependencies of a chart without one not at all, nor those of its subcharts.
    pub lists_dependencies: bool,
    pub imports_done: Arc<std::sync::atomic::AtomicBool>,
    /// Set once Helm v3 has processed this chart's dependencies, which renames the shared
    /// entries to their aliases: a later copy of the chart looks its subcharts up by alias
    /// (and so keeps an aliased one under its own name). Shared by clones, as `imports_done`.
    pub aliases_applied: Arc<std::sync::atomic::AtomicBool>,
}

/// One entry of `Chart.yaml`'s `dependencies`.
#[derive(Clone, Debug, Default)]
pub struct Dependency {
    pub name: String,
    pub version: String,
    pub repository: String,
    pub condition: String,
    pub tags: Vec<String>,
    pub alias: Option<String>,
    pub import_values: Vec<Value>,
    pub origin: Option<Origin>,
}

impl Dependency {
    /// The name the subchart goes by (its alias when it has one).
    pub fn effective_name(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.name)
    }

    /// Each `import-values` entry as the (child, parent) paths Helm makes of it: a string `x`
    /// is (`exports.x`, `.`); a map gives its `child` and `parent`; anything else is skipped.
    pub fn import_pairs(&self) -> impl Iterator<Item = (String, String)> + '_ {
        let text = |v: Option<&serde_json::Value>| match v {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        self.import_values.iter().filter_map(move |iv| match iv {
            serde_json::Value::Object(m) => Some((text(m.get("child")), text(m.get("parent")))),
            serde_json::Value::String(s) => Some((format!("exports.{s}"), ".".to_string())),
            _ => None,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Schema {
    /// The file as it was read: its JSON is parsed when the values are checked, as Helm
    /// reads it only then (so `--skip-schema-validation` skips a broken one too).
    pub bytes: Vec<u8>,
    pub path: PathBuf,
}

/// A file of `templates/`.
#[derive(Clone, Debug)]
pub struct TemplateSource {
    /// The name Helm gives it: `chart/templates/x.yaml` (`parent/charts/sub/templates/...`).
    pub name: String,
    /// The path inside its chart: `templates/x.yaml`.
    pub rel: String,
    pub text: SharedText,
    pub file: FileId,
}

impl TemplateSource {
    /// Partials (`_helpers.tpl`) define macros and render nothing.
    pub fn is_partial(&self) -> bool {
        self.name
            .rsplit('/')
            .next()
            .is_some_and(|b| b.starts_with('_'))
    }
}

impl Chart {
    pub fn name(&self) -> &str {
        &self.meta.name
    }

    /// The files of `crds/` (relative path and bytes), in path order. They stay in `files`
    /// only: most renders never print them, and kube-prometheus-stack's are 5 MB.
    pub fn crd_files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .range::<str, _>((
                std::ops::Bound::Included("crds/"),
                std::ops::Bound::Unbounded,
            ))
            .take_while(|(rel, _)| rel.starts_with("crds/"))
            .map(|(rel, bytes)| (rel.as_str(), bytes.as_slice()))
    }
}

/// The `Chart.yaml` annotation by which a chart declares Jinja templates; without it a chart
/// is Go templates, as every Helm chart is.
pub const DIALECT_ANNOTATION: &str = "kit.dev/template-dialect";

/// Whether the chart declares Jinja templates (`kit.dev/template-dialect: jinja`).
pub fn is_jinja(chart: &Chart) -> bool {
    chart
        .meta_value
        .get("annotations")
        .and_then(|a| a.get(DIALECT_ANNOTATION))
        .and_then(|v| v.as_str())
        .is_some_and(|v| v.eq_ignore_ascii_case("jinja"))
}
