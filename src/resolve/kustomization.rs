//! The kustomization file, read into typed fields that remember where each value was written.

use std::path::{Path, PathBuf};

use crate::diag::{Diag, Result};
use crate::generate::Generators;
use crate::model::{Node, Value};
use crate::patch::smp::IdentityOptions;
use crate::source::{Origin, SourceMap};
use crate::transform::buildmeta;
use crate::transform::fieldspec::FieldSpec;
use crate::transform::images::ImageSpec;
use crate::transform::replicas::Replica;
use crate::transform::select::Selector;
use crate::transform::vars::Var;
use crate::transform::{Pairs, Setting};

pub const FILE_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Fields kustomize knows. Those kit does not implement yet are refused with a clear error
/// rather than silently ignored.
const KNOWN_FIELDS: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "openapi",
    "namePrefix",
    "nameSuffix",
    "namespace",
    "commonLabels",
    "labels",
    "commonAnnotations",
    "patchesStrategicMerge",
    "patchesJson6902",
    "patches",
    "images",
    "imageTags",
    "replacements",
    "replicas",
    "vars",
    "sortOptions",
    "resources",
    "components",
    "crds",
    "bases",
    "configMapGenerator",
    "secretGenerator",
    "helmGlobals",
    "helmCharts",
    "helmChartInflationGenerator",
    "generatorOptions",
    "configurations",
    "generators",
    "transformers",
    "validators",
    "buildMetadata",
];

/// Known fields whose behaviour kit does not implement yet.
const NOT_YET: &[&str] = &["helmChartInflationGenerator"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Kustomization,
    Component,
}

#[derive(Debug, Clone)]
pub struct LabelSet {
    pub pairs: Pairs,
    pub include_selectors: bool,
    pub include_templates: bool,
    pub field_specs: Vec<FieldSpec>,
    pub origin: Option<Origin>,
}

#[derive(Debug, Clone)]
pub enum SortOrder {
    Legacy {
        first: Vec<String>,
        last: Vec<String>,
    },
    Fifo,
}

#[derive(Debug)]
pub struct Kustomization {
    pub dir: PathBuf,
    pub path: PathBuf,
    pub kind: Kind,
    pub origin: Option<Origin>,
    pub resources: Vec<Setting>,
    pub components: Vec<Setting>,
    pub namespace: Option<Setting>,
    pub name_prefix: Option<Setting>,
    pub name_suffix: Option<Setting>,
    pub common_labels: Pairs,
    pub labels: Vec<LabelSet>,
    pub common_annotations: Pairs,
    pub images: Vec<ImageSpec>,
    pub replicas: Vec<Replica>,
    pub sort: Option<SortOrder>,
    pub build_metadata: Vec<String>,
    /// Transformer configuration files (`configurations:`).
    pub configurations: Vec<Setting>,
    /// `configMapGenerator`, `secretGenerator`, `generatorOptions`.
    pub generators: Generators,
    pub patches: Vec<PatchSpec>,
    /// Legacy `patchesStrategicMerge`: file paths or inline patches.
    pub patches_strategic_merge: Vec<Setting>,
    pub patches_json6902: Vec<PatchSpec>,
    /// `replacements`, read when the build gets there (entries may name files).
    pub replacements: Option<Node>,
    /// Legacy `vars`.
    pub vars: Vec<Var>,
    /// `crds`: files of OpenAPI definitions whose `x-kubernetes-*` extensions add field specs.
    pub crds: Vec<Setting>,
    /// Plugin configurations (`generators`, `transformers`, `validators`): file or
    /// directory paths, or configuration objects written inline.
    pub plugins: PluginLists,
    /// `openapi`.
    pub openapi: Option<OpenApiField>,
    /// The kustomization file's name (`kustomization.yaml`, ...), for origin annotations.
    pub file_name: String,
    /// `helmCharts`: local charts rendered as `kit template` renders them.
    pub helm_charts: Vec<HelmChart>,
    /// `helmGlobals.chartHome` (default `charts`).
    pub chart_home: Option<Setting>,
    /// kustomize's warnings for the deprecated fields this kustomization sets, in
    /// kustomize's order and words (see [`DEPRECATED_FIELDS`]).
    pub deprecations: Vec<&'static str>,
    /// Located warnings about values kustomize ignores (unknown `buildMetadata` options).
    pub warnings: Vec<Diag>,
}

/// The deprecated fields kustomize v5.8.1 warns about on stderr each time it loads a
/// kustomization that sets them (non-null, even empty), in the order it checks them
/// (`Kustomization.CheckDeprecatedFields`), with its exact lines: scripts grep for them.
pub const DEPRECATED_FIELDS: &[(&str, &str)] = &[
    ("bases", "# Warning: 'bases' is deprecated. Please use 'resources' instead. Run 'kustomize edit fix' to update your Kustomization automatically."),
    ("commonLabels", "# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize edit fix' to update your Kustomization automatically."),
    ("imageTags", "# Warning: 'imageTags' is deprecated. Please use 'images' instead. Run 'kustomize edit fix' to update your Kustomization automatically."),
    ("patchesJson6902", "# Warning: 'patchesJson6902' is deprecated. Please use 'patches' instead. Run 'kustomize edit fix' to update your Kustomization automatically."),
    ("patchesStrategicMerge", "# Warning: 'patchesStrategicMerge' is deprecated. Please use 'patches' instead. Run 'kustomize edit fix' to update your Kustomization automatically."),
    ("vars", "# Warning: 'vars' is deprecated. Please use 'replacements' instead. [EXPERIMENTAL] Run 'kustomize edit fix' to update your Kustomization automatically."),
];

/// The entries of `generators`, `transformers` and `validators`.
#[derive(Debug, Default)]
pub struct PluginLists {
    pub generators: Vec<Setting>,
    pub transformers: Vec<Setting>,
    pub validators: Vec<Setting>,
}

/// The `openapi` field: a custom schema file, or a built-in Kubernetes version.
#[derive(Debug, Clone)]
pub struct OpenApiField {
    /// `path:` (present, even if empty).
    pub path: Option<Setting>,
    /// `version:` (present, even if empty).
    pub version: Option<Setting>,
    pub origin: Option<Origin>,
}

/// One `helmCharts` entry (kustomize's `HelmChart`), with the chart taken from
/// `<chartHome>/<name>` under the kustomization.
#[derive(Debug, Clone, Default)]
pub struct HelmChart {
    pub name: Setting,
    pub version: String,
    pub repo: String,
    pub release_name: String,
    /// `nameTemplate`: the release name made by a Go template (helm's `--name-template`).
    pub name_template: Option<Setting>,
    pub namespace: String,
    pub values_file: Option<Setting>,
    pub values_inline: Option<Node>,
    /// `override` (default), `merge` or `replace`.
    pub values_merge: String,
    pub additional_values_files: Vec<Setting>,
    pub include_crds: bool,
    pub skip_hooks: bool,
    pub skip_tests: bool,
    pub api_versions: Vec<String>,
    pub kube_version: String,
    pub origin: Option<Origin>,
}

const HELM_CHART_FIELDS: &[&str] = &[
    "name",
    "version",
    "repo",
    "releaseName",
    "namespace",
    "nameTemplate",
    "valuesFile",
    "valuesInline",
    "valuesMerge",
    "additionalValuesFiles",
    "includeCRDs",
    "skipHooks",
    "skipTests",
    "apiVersions",
    "kubeVersion",
];

impl HelmChart {
    fn from_node(entry: &Node, src: &SourceMap) -> Result<Self> {
        check_fields(entry, "helmCharts", HELM_CHART_FIELDS)?;
        let name = match entry.get("name") {
            Some(n) => setting(n, src)?,
            None => Setting::default(),
        };
        if name.value.is_empty() {
            return Err(Diag::error(
                "kit::kustomization::helm-chart",
                "a helmCharts entry has no `name`",
            )
            .at(entry.origin)
            .help("name the chart; kit reads it from <chartHome>/<name> (chartHome defaults to charts)"));
        }
        let values_merge = text(entry, "valuesMerge", src)?;
        if !matches!(values_merge.as_str(), "" | "override" | "merge" | "replace") {
            return Err(Diag::error(
                "kit::kustomization::helm-chart",
                format!(
                    "valuesMerge must be one of [merge override replace], not {values_merge:?}"
                ),
            )
            .at(entry.get("valuesMerge").and_then(|n| n.origin)));
        }
        Ok(HelmChart {
            name,
            version: text(entry, "version", src)?,
            repo: text(entry, "repo", src)?,
            release_name: text(entry, "releaseName", src)?,
            name_template: entry
                .get("nameTemplate")
                .filter(|n| !n.is_null())
                .map(|n| setting(n, src))
                .transpose()?
                .filter(|t| !t.value.is_empty()),
            namespace: text(entry, "namespace", src)?,
            values_file: entry
                .get("valuesFile")
                .filter(|n| !n.is_null())
                .map(|n| setting(n, src))
                .transpose()?,
            values_inline: entry.get("valuesInline").filter(|n| !n.is_null()).cloned(),
            values_merge: if values_merge.is_empty() {
                "override".to_string()
            } else {
                values_merge
            },
            additional_values_files: match entry.get("additionalValuesFiles") {
                Some(n) => string_list(n, "additionalValuesFiles", src)?,
                None => Vec::new(),
            },
            include_crds: boolean(entry.get("includeCRDs"), "helmCharts[].includeCRDs", src)?,
            skip_hooks: boolean(entry.get("skipHooks"), "helmCharts[].skipHooks", src)?,
            skip_tests: boolean(entry.get("skipTests"), "helmCharts[].skipTests", src)?,
            api_versions: match entry.get("apiVersions") {
                Some(n) => string_list(n, "apiVersions", src)?
                    .into_iter()
                    .map(|s| s.value)
                    .collect(),
                None => Vec::new(),
            },
            kube_version: text(entry, "kubeVersion", src)?,
            origin: entry.origin,
        })
    }
}

/// A `patches` or `patchesJson6902` entry as written.
#[derive(Debug, Clone)]
pub struct PatchSpec {
    pub path: Option<Setting>,
    pub patch: Option<Setting>,
    pub target: Option<Selector>,
    pub options: IdentityOptions,
    pub origin: Option<Origin>,
}

impl PatchSpec {
    fn from_node(entry: &Node, field: &str, src: &SourceMap) -> Result<Self> {
        check_fields(entry, field, &["path", "patch", "target", "options"])?;
        let get = |k: &str| {
            entry
                .as_map()
                .and_then(|m| m.iter().find(|(key, _)| key.eq_ignore_ascii_case(k)))
                .map(|(_, v)| v)
                .filter(|v| !v.is_null())
        };
        let path = get("path").map(|v| setting(v, src)).transpose()?;
        let patch = get("patch").map(|v| setting(v, src)).transpose()?;
        let options = match get("options") {
            Some(o) => {
                check_fields(o, "options", &["allowNameChange", "allowKindChange"])?;
                IdentityOptions {
                    allow_name_change: boolean(
                        o.get("allowNameChange"),
                        "options.allowNameChange",
                        src,
                    )?,
                    allow_kind_change: boolean(
                        o.get("allowKindChange"),
                        "options.allowKindChange",
                        src,
                    )?,
                }
            }
            None => IdentityOptions::default(),
        };
        let spec = PatchSpec {
            path: path.filter(|p| !p.value.is_empty()),
            patch: patch.filter(|p| !p.value.trim().is_empty()),
            target: get("target").map(Selector::from_node).transpose()?,
            options,
            origin: entry.origin,
        };
        match (&spec.path, &spec.patch) {
            (None, None) => Err(Diag::error(
                "kit::kustomization::patch",
                "must specify one of patch and path",
            )
            .at(entry.origin)
            .help("give the entry `path: file.yaml` or an inline `patch: |`")),
            (Some(_), Some(_)) => Err(Diag::error(
                "kit::kustomization::patch",
                "patch and path can't be set at the same time",
            )
            .at(entry.origin)
            .help("keep either `path:` or `patch:`")),
            _ => Ok(spec),
        }
    }
}

/// Finds the kustomization file of a directory; `Ok(None)` when there is none.
/// A kustomization file that is a named pipe or another special file is an error, not
/// skipped: it would block the read, or the directory would silently read as manifests.
pub fn find_file(dir: &Path) -> Result<Option<PathBuf>> {
    let mut found: Vec<PathBuf> = Vec::new();
    for path in FILE_NAMES.iter().map(|n| dir.join(n)) {
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_file() => found.push(path),
            Ok(meta) if !meta.is_dir() => crate::load::check_regular(&path, &meta)?,
            _ => {}
        }
    }
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.into_iter().next()),
        _ => {
            let names: Vec<String> = found
                .iter()
                .filter_map(|p| p.file_name())
                .map(|n| format!("`{}`", n.to_string_lossy()))
                .collect();
            let names = match names.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                None => String::new(),
            };
            // kustomize's own first words (scripts grep them), then the files themselves.
            // Without a referring entry, the first file is the place to look.
            Err(Diag::error(
                "kit::kustomization::ambiguous",
                format!(
                    "Found multiple kustomization files under: {} ({names})",
                    crate::source::display_path(dir)
                ),
            )
            .path(found.first().map(|f| crate::source::display_path(f)).unwrap_or_default())
            .help(format!(
                "a directory holds one kustomization file: keep one of {names}, move anything the others add into it, and delete the others"
            )))
        }
    }
}

/// The warning for a `buildMetadata` value kustomize does not know (and so ignores).
fn unknown_build_metadata(value: &Setting, list: Option<crate::source::Origin>) -> Diag {
    let close = buildmeta::OPTIONS.iter().find(|o| {
        let (a, b) = (o.to_ascii_lowercase(), value.value.to_ascii_lowercase());
        a.trim_end_matches('s') == b.trim_end_matches('s')
    });
    Diag::warning(
        "kit::kustomization::build-metadata",
        format!(
            "unknown buildMetadata option \"{}\" is ignored",
            value.value
        ),
    )
    .at(value.origin.or(list))
    .help(match close {
        Some(o) => format!("did you mean `{o}`? (options are case-sensitive; kustomize ignores unknown ones without a word)"),
        None => format!(
            "remove it, or use one of {} (kustomize ignores unknown options without a word)",
            buildmeta::OPTIONS.join(", ")
        ),
    })
}

/// A string field. kustomize decodes kustomizations through JSON with YAML 1.1 rules, so an
/// unquoted `1.0`, `0x1F` or `on` is a number or a bool there and refused for a string field.
fn setting(node: &Node, src: &SourceMap) -> Result<Setting> {
    let found = match &node.value {
        Value::Null => {
            return Ok(Setting {
                value: String::new(),
                origin: node.origin,
            })
        }
        Value::Str(s) => {
            let written = node.origin.and_then(|o| src.text_of(o));
            match written.as_deref() {
                Some(w) if w == s && w != "<<" && v1_1_non_string(w) => v1_1_kind(w),
                _ => {
                    return Ok(Setting {
                        value: s.clone(),
                        origin: node.origin,
                    })
                }
            }
        }
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::UInt(_) | Value::Float(_) => "number",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    };
    let written = node
        .origin
        .and_then(|o| src.text_of(o))
        .unwrap_or_else(|| node.scalar_text().unwrap_or_default());
    Err(Diag::error(
        "kit::kustomization::type",
        format!(
            "expected a string, found {} `{}`",
            with_article(found),
            written.lines().next().unwrap_or("")
        ),
    )
    .at(node.origin)
    .help(format!(
        "quote the value (\"{}\") if it is meant as text",
        written.lines().next().unwrap_or("")
    )))
}

/// Whether go-yaml v2 reads a plain scalar as a bool, number or null (timestamps stay text
/// in kustomize's JSON decoding).
fn v1_1_non_string(written: &str) -> bool {
    crate::emit::goyaml::v2_resolves_non_string(written)
        && !crate::emit::goyaml::is_go_timestamp(written)
        && !matches!(written, "~" | "null" | "Null" | "NULL")
}

fn v1_1_kind(written: &str) -> &'static str {
    match written {
        "y" | "Y" | "yes" | "Yes" | "YES" | "n" | "N" | "no" | "No" | "NO" | "true" | "True"
        | "TRUE" | "false" | "False" | "FALSE" | "on" | "On" | "ON" | "off" | "Off" | "OFF" => {
            "bool"
        }
        _ => "number",
    }
}

fn with_article(kind: &str) -> String {
    match kind {
        "array" | "object" => format!("an {kind}"),
        _ => format!("a {kind}"),
    }
}

fn string_list(node: &Node, field: &str, src: &SourceMap) -> Result<Vec<Setting>> {
    list(node, field)?.iter().map(|n| setting(n, src)).collect()
}

/// The entries of a list-typed field; null is an empty list. kustomize decodes these fields
/// into Go slices and refuses a mapping or a scalar, so kit does too rather than ignore it.
fn list<'a>(node: &'a Node, field: &str) -> Result<&'a [Node]> {
    match &node.value {
        Value::Null => Ok(&[]),
        Value::Seq(items) => Ok(items),
        _ => Err(Diag::error(
            "kit::kustomization::type",
            format!("`{field}` must be a list, found {}", node.shape()),
        )
        .at(node.origin)
        .help(match node.value {
            Value::Map(_) => format!(
                "write `- ` before the first key to make this mapping one entry of `{field}`"
            ),
            _ => format!("write each entry of `{field}` on a line of its own starting with `- `"),
        })),
    }
}

fn pairs(node: &Node, field: &str, src: &SourceMap) -> Result<Pairs> {
    match &node.value {
        Value::Null => Ok(Vec::new()),
        Value::Map(m) => m
            .iter()
            .map(|(k, v)| Ok((k.clone(), setting(v, src)?)))
            .collect(),
        _ => Err(Diag::error(
            "kit::kustomization::type",
            format!("`{field}` must be a mapping of strings"),
        )
        .at(node.origin)),
    }
}

/// A bool field: absent or null is false. A plain `yes`/`on`/`y` is true and `no`/`off`/`n`
/// false, as YAML 1.1 reads them for kustomize; anything else is refused, as kustomize's JSON
/// decoding refuses it.
fn boolean(node: Option<&Node>, field: &str, src: &SourceMap) -> Result<bool> {
    let Some(node) = node else {
        return Ok(false);
    };
    match &node.value {
        Value::Null => return Ok(false),
        Value::Bool(b) => return Ok(*b),
        Value::Str(s) => {
            let written = node.origin.and_then(|o| src.text_of(o));
            if written.as_deref() == Some(s.as_str())
                && v1_1_non_string(s)
                && v1_1_kind(s) == "bool"
            {
                return Ok(matches!(
                    s.as_str(),
                    "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON"
                ));
            }
        }
        _ => {}
    }
    Err(Diag::error(
        "kit::kustomization::type",
        format!("`{field}` must be true or false, found {}", node.shape()),
    )
    .at(node.origin)
    .help("write `true` or `false`, unquoted"))
}

/// A key of a mapping, matched case-insensitively as Go's encoding/json matches struct fields.
fn get_ci<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    node.get(key).or_else(|| {
        node.as_map()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

fn text(node: &Node, key: &str, src: &SourceMap) -> Result<String> {
    match get_ci(node, key) {
        Some(v) => Ok(setting(v, src)?.value),
        None => Ok(String::new()),
    }
}

impl Kustomization {
    /// Reads a kustomization document (already parsed).
    pub fn from_node(doc: &Node, path: &Path, src: &SourceMap) -> Result<Self> {
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let Some(fields) = doc.as_map() else {
            return Err(Diag::error(
                "kit::kustomization::not-a-mapping",
                "a kustomization must be a YAML mapping",
            )
            .at(doc.origin));
        };
        let mut k = Kustomization {
            dir,
            path: path.to_path_buf(),
            kind: Kind::Kustomization,
            origin: doc.origin,
            resources: Vec::new(),
            components: Vec::new(),
            namespace: None,
            name_prefix: None,
            name_suffix: None,
            common_labels: Vec::new(),
            labels: Vec::new(),
            common_annotations: Vec::new(),
            images: Vec::new(),
            replicas: Vec::new(),
            sort: None,
            build_metadata: Vec::new(),
            configurations: Vec::new(),
            generators: Generators::default(),
            patches: Vec::new(),
            patches_strategic_merge: Vec::new(),
            patches_json6902: Vec::new(),
            replacements: None,
            vars: Vec::new(),
            crds: Vec::new(),
            plugins: PluginLists::default(),
            openapi: None,
            file_name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            helm_charts: Vec::new(),
            chart_home: None,
            // Field names match case-insensitively, as in kustomize's JSON decoding.
            deprecations: DEPRECATED_FIELDS
                .iter()
                .filter(|(field, _)| {
                    fields
                        .iter()
                        .any(|(key, value)| key.eq_ignore_ascii_case(field) && !value.is_null())
                })
                .map(|(_, line)| *line)
                .collect(),
            warnings: Vec::new(),
        };
        // kustomize compares the decoded kustomization with an empty one, type fields aside.
        let is_empty = fields.iter().all(|(key, value)| {
            key == "apiVersion" || key == "kind" || value.is_null() || value.as_str() == Some("")
        });
        if is_empty {
            return Err(
                Diag::error("kit::kustomization::empty", "kustomization.yaml is empty")
                    .at(doc.origin)
                    .help(
                        "add at least `resources:`; a kustomization with no fields renders nothing",
                    ),
            );
        }
        let mut bases = Vec::new();
        for (written, value) in fields {
            // kustomize decodes kustomizations with Go's encoding/json: field names match
            // case-insensitively (`patchesJSON6902` is `patchesJson6902`).
            let key = KNOWN_FIELDS
                .iter()
                .find(|f| f.eq_ignore_ascii_case(written))
                .map_or(written.clone(), |f| f.to_string());
            let key = &key;
            if !KNOWN_FIELDS.contains(&key.as_str()) {
                let origin = value.origin;
                return Err(Diag::error(
                    "kit::kustomization::unknown-field",
                    format!("unknown field \"{key}\" in kustomization"),
                )
                .at(origin)
                .help(suggest(key)));
            }
            if NOT_YET.contains(&key.as_str()) && !value.is_null() {
                return Err(Diag::error(
                    "kit::kustomization::unsupported",
                    format!("kit does not support the kustomization field `{key}` yet"),
                )
                .at(value.origin)
                .help("render this kustomization with `kubectl kustomize` until kit supports it"));
            }
            match key.as_str() {
                "kind" => {
                    k.kind = match value.scalar_text().as_deref() {
                        Some("Component") => Kind::Component,
                        Some("Kustomization") | Some("") | None => Kind::Kustomization,
                        Some(other) => {
                            return Err(Diag::error(
                                "kit::kustomization::kind",
                                format!("unknown kustomization kind \"{other}\""),
                            )
                            .at(value.origin)
                            .help("use `kind: Kustomization` or `kind: Component`"))
                        }
                    }
                }
                "resources" => k.resources = string_list(value, key, src)?,
                "bases" => bases = string_list(value, key, src)?,
                "components" => k.components = string_list(value, key, src)?,
                "configurations" => k.configurations = string_list(value, key, src)?,
                "crds" => k.crds = string_list(value, key, src)?,
                "helmCharts" => match &value.value {
                    Value::Null => {}
                    Value::Seq(items) => {
                        k.helm_charts = items
                            .iter()
                            .map(|e| HelmChart::from_node(e, src))
                            .collect::<Result<_>>()?
                    }
                    _ => {
                        return Err(Diag::error(
                            "kit::kustomization::type",
                            "`helmCharts` must be a list",
                        )
                        .at(value.origin))
                    }
                },
                "helmGlobals" => {
                    check_fields(value, "helmGlobals", &["chartHome", "configHome"])?;
                    if let Some(home) = get_ci(value, "chartHome").filter(|n| !n.is_null()) {
                        k.chart_home = Some(setting(home, src)?);
                    }
                    if let Some(home) = get_ci(value, "configHome") {
                        setting(home, src)?;
                    }
                }
                "vars" => match &value.value {
                    Value::Null => {}
                    Value::Seq(items) => {
                        k.vars = items.iter().map(Var::from_node).collect::<Result<_>>()?
                    }
                    _ => {
                        return Err(Diag::error(
                            "kit::kustomization::type",
                            "`vars` must be a list",
                        )
                        .at(value.origin))
                    }
                },
                "generators" => k.plugins.generators = string_list(value, key, src)?,
                "transformers" => k.plugins.transformers = string_list(value, key, src)?,
                "validators" => k.plugins.validators = string_list(value, key, src)?,
                "patches" | "patchesJson6902" => {
                    let specs = list(value, key)?
                        .iter()
                        .map(|e| PatchSpec::from_node(e, key, src))
                        .collect::<Result<Vec<_>>>()?;
                    if key == "patches" {
                        k.patches = specs;
                    } else {
                        k.patches_json6902 = specs;
                    }
                }
                "patchesStrategicMerge" => {
                    k.patches_strategic_merge = string_list(value, key, src)?
                }
                "replacements" => k.replacements = Some(value.clone()).filter(|v| !v.is_null()),
                "namespace" => k.namespace = Some(setting(value, src)?),
                "namePrefix" => k.name_prefix = Some(setting(value, src)?),
                "nameSuffix" => k.name_suffix = Some(setting(value, src)?),
                "commonLabels" => k.common_labels = pairs(value, key, src)?,
                "commonAnnotations" => k.common_annotations = pairs(value, key, src)?,
                "labels" => {
                    for entry in list(value, key)? {
                        check_fields(
                            entry,
                            "labels",
                            &["pairs", "includeSelectors", "includeTemplates", "fields"],
                        )?;
                        let field_specs = match get_ci(entry, "fields") {
                            Some(fields) => list(fields, "labels[].fields")?
                                .iter()
                                .map(FieldSpec::from_node)
                                .collect::<Result<Vec<_>>>()?,
                            None => Vec::new(),
                        };
                        k.labels.push(LabelSet {
                            pairs: get_ci(entry, "pairs")
                                .map(|p| pairs(p, "labels.pairs", src))
                                .transpose()?
                                .unwrap_or_default(),
                            include_selectors: boolean(
                                get_ci(entry, "includeSelectors"),
                                "labels[].includeSelectors",
                                src,
                            )?,
                            include_templates: boolean(
                                get_ci(entry, "includeTemplates"),
                                "labels[].includeTemplates",
                                src,
                            )?,
                            field_specs,
                            origin: entry.origin,
                        });
                    }
                }
                "images" | "imageTags" => {
                    for entry in list(value, key)? {
                        check_fields(
                            entry,
                            key,
                            &["name", "newName", "newTag", "digest", "tagSuffix"],
                        )?;
                        k.images.push(ImageSpec {
                            name: text(entry, "name", src)?,
                            new_name: text(entry, "newName", src)?,
                            new_tag: text(entry, "newTag", src)?,
                            digest: text(entry, "digest", src)?,
                            tag_suffix: text(entry, "tagSuffix", src)?,
                            origin: entry.origin,
                        });
                    }
                }
                "replicas" => {
                    for entry in list(value, key)? {
                        check_fields(entry, "replicas", &["name", "count"])?;
                        let count = match get_ci(entry, "count").map(|c| &c.value) {
                            Some(Value::Int(i)) => *i,
                            // kustomize reads YAML into JSON first: `3.0` and `1e2` are
                            // whole numbers there and fit an int64.
                            Some(Value::Float(f)) if f.fract() == 0.0 && f.abs() < 9.2e18 => {
                                *f as i64
                            }
                            None | Some(Value::Null) => 0,
                            _ => {
                                return Err(Diag::error(
                                    "kit::kustomization::type",
                                    "`replicas[].count` must be an integer",
                                )
                                .at(get_ci(entry, "count").and_then(|c| c.origin)))
                            }
                        };
                        k.replicas.push(Replica {
                            name: text(entry, "name", src)?,
                            count,
                            origin: get_ci(entry, "count")
                                .and_then(|c| c.origin)
                                .or(entry.origin),
                        });
                    }
                }
                "sortOptions" if value.is_null() => {}
                "sortOptions" => k.sort = Some(sort_options(value, src)?),
                "metadata" => {
                    // kustomize's ObjectMeta: nothing kit uses, but decoded strictly.
                    check_fields(
                        value,
                        "metadata",
                        &["name", "namespace", "labels", "annotations"],
                    )?;
                    for key in ["name", "namespace"] {
                        if let Some(v) = get_ci(value, key) {
                            setting(v, src)?;
                        }
                    }
                    for key in ["labels", "annotations"] {
                        if let Some(v) = get_ci(value, key) {
                            pairs(v, &format!("metadata.{key}"), src)?;
                        }
                    }
                }
                "openapi" => k.openapi = openapi_field(value, src)?,
                "buildMetadata" => {
                    // kustomize acts on the options it knows and ignores any other value
                    // without a word; kit ignores them too, but says so where they are.
                    let (known, unknown): (Vec<Setting>, Vec<Setting>) =
                        string_list(value, key, src)?
                            .into_iter()
                            .partition(|v| buildmeta::OPTIONS.contains(&v.value.as_str()));
                    for v in unknown {
                        k.warnings.push(unknown_build_metadata(&v, value.origin));
                    }
                    k.build_metadata = known.into_iter().map(|s| s.value).collect();
                }
                _ => {}
            }
        }
        let field = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        };
        k.generators = Generators::from_fields(
            field("configMapGenerator"),
            field("secretGenerator"),
            field("generatorOptions"),
        )?;
        if let Some(api_version) = field("apiVersion") {
            let written = setting(api_version, src)?;
            let required = match k.kind {
                Kind::Component => "kustomize.config.k8s.io/v1alpha1",
                Kind::Kustomization => "kustomize.config.k8s.io/v1beta1",
            };
            if !written.value.is_empty() && written.value != required {
                let kind = match k.kind {
                    Kind::Component => "Component",
                    Kind::Kustomization => "Kustomization",
                };
                return Err(Diag::error(
                    "kit::kustomization::api-version",
                    format!("apiVersion for {kind} should be {required}"),
                )
                .at(written.origin)
                .help(format!("write `apiVersion: {required}`, or leave it out")));
            }
        }
        // `bases` was folded into `resources` by kustomize (after them).
        k.resources.extend(bases);
        Ok(k)
    }
}

/// `openapi:` is a map of strings (kustomize's `map[string]string`); only `path` and
/// `version` mean something.
fn openapi_field(node: &Node, src: &SourceMap) -> Result<Option<OpenApiField>> {
    let entries = match &node.value {
        Value::Null => return Ok(None),
        Value::Map(m) => m,
        _ => {
            return Err(Diag::error(
                "kit::kustomization::type",
                "`openapi` must be a mapping of strings",
            )
            .at(node.origin)
            .help("write `openapi: {path: schema.json}` or `openapi: {version: v1.21.2}`"))
        }
    };
    let mut field = OpenApiField {
        path: None,
        version: None,
        origin: node.origin,
    };
    for (key, value) in entries {
        let value = setting(value, src)?;
        match key.as_str() {
            "path" => field.path = Some(value),
            "version" => field.version = Some(value),
            _ => {}
        }
    }
    Ok(Some(field))
}

/// Refuses keys outside `allowed` (kustomize's strict decoding), case-insensitively.
/// A scalar or a list where a mapping belongs is refused too (null is an empty mapping).
pub(crate) fn check_fields(node: &Node, field: &str, allowed: &[&str]) -> Result<()> {
    let entries = match &node.value {
        Value::Null => return Ok(()),
        Value::Map(m) => m,
        _ => {
            return Err(Diag::error(
                "kit::kustomization::type",
                format!("`{field}` must be a mapping, found {}", node.shape()),
            )
            .at(node.origin)
            .help(format!(
                "`{field}` accepts the keys: {}",
                allowed.join(", ")
            )))
        }
    };
    for (key, value) in entries {
        if !allowed.iter().any(|a| a.eq_ignore_ascii_case(key)) {
            return Err(Diag::error(
                "kit::kustomization::unknown-field",
                format!("unknown field \"{key}\" in `{field}`"),
            )
            .at(value.origin)
            .help(match crate::diag::closest(key, allowed.iter().copied()) {
                Some(a) => format!(
                    "did you mean `{a}`? `{field}` entries accept: {}",
                    allowed.join(", ")
                ),
                None => format!("`{field}` entries accept: {}", allowed.join(", ")),
            }));
        }
    }
    Ok(())
}

fn sort_options(node: &Node, src: &SourceMap) -> Result<SortOrder> {
    check_fields(node, "sortOptions", &["order", "legacySortOptions"])?;
    let order = text(node, "order", src)?;
    let legacy_opts = get_ci(node, "legacySortOptions").filter(|o| !o.is_null());
    if let Some(opts) = legacy_opts {
        check_fields(
            opts,
            "sortOptions.legacySortOptions",
            &["orderFirst", "orderLast"],
        )?;
    }
    match order.as_str() {
        "legacy" => {
            let kinds = |key: &str, default: &[&str]| -> Result<Vec<String>> {
                match legacy_opts.and_then(|o| get_ci(o, key)) {
                    Some(items) => Ok(string_list(items, key, src)?
                        .into_iter()
                        .map(|s| s.value)
                        .collect()),
                    None if legacy_opts.is_some() => Ok(Vec::new()),
                    None => Ok(default.iter().map(|s| s.to_string()).collect()),
                }
            };
            Ok(SortOrder::Legacy {
                first: kinds("orderFirst", crate::transform::sort::DEFAULT_ORDER_FIRST)?,
                last: kinds("orderLast", crate::transform::sort::DEFAULT_ORDER_LAST)?,
            })
        }
        "fifo" => {
            if legacy_opts.is_some() {
                return Err(Diag::error(
                    "kit::kustomization::sort",
                    "the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'",
                )
                .at(node.origin));
            }
            Ok(SortOrder::Fifo)
        }
        _ => Err(Diag::error(
            "kit::kustomization::sort",
            "the field 'sortOptions.order' must be one of [fifo, legacy]",
        )
        .at(node.get("order").and_then(|o| o.origin).or(node.origin))),
    }
}

/// Field names match case-insensitively (kustomize decodes with Go's encoding/json), so an
/// unknown field is a misspelling or a field kustomize does not have.
fn suggest(key: &str) -> String {
    match crate::diag::closest(key, KNOWN_FIELDS.iter().copied()) {
        Some(f) => format!("did you mean `{f}`?"),
        None => "remove the field, or check its spelling against the kustomization reference"
            .to_string(),
    }
}
