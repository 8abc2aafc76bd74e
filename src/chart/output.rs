//! `helm template`'s pipeline: values, dependencies, schema, render, then Helm's output (each
//! document preceded by `# Source: chart/templates/file.yaml`, sorted in Helm's install
//! order, hooks last, CRDs first with `--include-crds`). Every document is also parsed into
//! kit's resource model, so a template that renders invalid YAML is an error at the template
//! line that produced it.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use minijinja::value::Value as J;
use serde_json::{Map, Value};

use super::engine::{self, Engine};
use super::gorender::TemplateFiles;
use super::{deps, schema, strvals, values, Chart, HelmVersion};
use crate::diag::{Diag, Result};
use crate::load::yaml::DuplicateKeys;
use crate::load::Loader;
use crate::model::Resource;
use crate::source::{display_path, FileId, Origin, SourceFile};

/// Hook events Helm knows (`helm.sh/hook`); a document with another value is dropped.
const HOOK_EVENTS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
    "test-success",
];

/// Where values come from, in Helm's order of precedence (later wins): `-f` files in
/// order, then `--set-json`, `--set`, `--set-string`, `--set-file`, `--set-literal`, each in
/// order.
#[derive(Clone, Debug, Default)]
pub struct ValueSources {
    /// Values that come before every file (a kustomization's `valuesInline`, merged).
    pub inline: Option<Map<String, Value>>,
    pub files: Vec<PathBuf>,
    pub set_json: Vec<String>,
    pub set: Vec<String>,
    pub set_string: Vec<String>,
    pub set_file: Vec<String>,
    pub set_literal: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct RenderOptions {
    pub release_name: String,
    pub namespace: String,
    pub kube_version: Option<String>,
    pub api_versions: Vec<String>,
    /// The Helm release whose output kit reproduces.
    pub helm: HelmVersion,
    pub strict: bool,
    pub include_crds: bool,
    pub is_upgrade: bool,
    pub values: ValueSources,
    /// `helm lint`'s mode: `required` and `fail` become warnings.
    pub lint: bool,
    /// `--skip-schema-validation`: values.schema.json files are not checked.
    pub skip_schema_validation: bool,
    /// The process ends after this render (`kit template`): the parsed templates and the
    /// executor are left to the exit rather than freed one node at a time, which took about
    /// 1 ms of a 30 ms render of a large chart (as compilers skip freeing before they exit).
    pub process_ends_after: bool,
    /// A repeated key in a rendered document: printed and kept last with a warning, as
    /// `helm template` prints it ([`DuplicateKeys::Record`]), or an error, as kustomize's
    /// `helmCharts` reads the output ([`DuplicateKeys::Error`]).
    pub repeated_keys: DuplicateKeys,
    /// Each value of a rendered object points at the template text that produced it, for
    /// the findings of lint, validate, diff and apply; `kit template` prints the text and
    /// needs none (about 5% of a large chart's render).
    pub template_origins: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            release_name: "release-name".to_string(),
            namespace: "default".to_string(),
            kube_version: None,
            api_versions: Vec::new(),
            helm: HelmVersion::V3,
            strict: false,
            include_crds: false,
            is_upgrade: false,
            values: ValueSources::default(),
            lint: false,
            skip_schema_validation: false,
            process_ends_after: false,
            repeated_keys: DuplicateKeys::Record,
            template_origins: true,
        }
    }
}

/// One rendered document.
#[derive(Clone, Debug)]
pub struct Doc {
    /// The template it came from (`web/templates/deployment.yaml`).
    pub source: String,
    /// The text as rendered (Helm prints this, not a re-serialisation).
    pub text: String,
    pub kind: String,
    /// Hook events (`helm.sh/hook`), lowercased; empty for a manifest.
    pub hook_events: Vec<String>,
    /// The document in kit's model (none for a document of comments only).
    pub resources: Vec<Resource>,
    /// Why a file of `crds/` is not in kit's model: Helm prints those files as they are,
    /// without reading them, so `kit template` does too, and what needs the objects fails.
    pub unread: Option<Box<Diag>>,
}

/// What a render produced.
#[derive(Debug, Default)]
pub struct Rendered {
    /// CRDs of `crds/` (with `--include-crds`), then manifests in install order, then hooks.
    pub crds: Vec<Doc>,
    pub manifests: Vec<Doc>,
    pub hooks: Vec<Doc>,
    pub notes: Option<String>,
    pub warnings: Vec<Diag>,
    /// The final values of the top chart (after every merge).
    pub values: Map<String, Value>,
}

impl Rendered {
    /// `helm template`'s output (a chart that renders nothing prints one empty line, as
    /// Helm's does).
    pub fn to_text(&self) -> String {
        self.text_with(None)
    }

    /// `helm template`'s output with `manifests` (a post-renderer's output) in place of the
    /// CRDs and manifests, or with them when `None`: that text trimmed, a newline, the hooks.
    /// Built in one buffer of the right size: the output of a large chart is hundreds of
    /// kilobytes.
    pub fn text_with(&self, manifests: Option<&str>) -> String {
        let own = || self.crds.iter().chain(&self.manifests);
        let len = manifests.map_or_else(|| docs_len(own()), str::len);
        let mut out = String::with_capacity(len + docs_len(&self.hooks) + 1);
        match manifests {
            Some(text) => out.push_str(text.trim()),
            None => {
                push_docs(&mut out, own());
                // Every block starts with `---`: trimming the end trims the whole.
                out.truncate(out.trim_end().len());
            }
        }
        out.push('\n');
        push_docs(&mut out, &self.hooks);
        out
    }

    /// The CRDs and manifests, each `---\n# Source: ...\n<text>\n` (Helm's `rel.Manifest`,
    /// what a post-renderer reads).
    pub fn manifest_body(&self) -> String {
        let manifests = || self.crds.iter().chain(&self.manifests);
        let mut body = String::with_capacity(docs_len(manifests()));
        push_docs(&mut body, manifests());
        body
    }

    /// Every resource, in output order; the error of a CRD file kit could not read.
    pub fn resources(&self) -> Result<Vec<Resource>> {
        self.check_crds_read()?;
        Ok(self
            .crds
            .iter()
            .chain(&self.manifests)
            .chain(&self.hooks)
            .flat_map(|d| d.resources.iter().cloned())
            .collect())
    }

    /// The error of the first CRD file (of `--include-crds`) that is not valid YAML.
    pub fn check_crds_read(&self) -> Result<()> {
        match self.crds.iter().find_map(|d| d.unread.as_deref()) {
            Some(d) => Err(d.clone()),
            None => Ok(()),
        }
    }
}

const SOURCE_PREFIX: &str = "---\n# Source: ";

/// Appends `---\n# Source: NAME\nTEXT\n`: how Helm prints each rendered document (and, under
/// `--debug`, each rendered file).
pub fn push_source_block(out: &mut String, name: &str, text: &str) {
    out.push_str(SOURCE_PREFIX);
    out.push_str(name);
    out.push('\n');
    out.push_str(text);
    out.push('\n');
}

/// The length of `docs` as [`push_docs`] writes them.
fn docs_len<'a>(docs: impl IntoIterator<Item = &'a Doc>) -> usize {
    docs.into_iter()
        .map(|d| SOURCE_PREFIX.len() + d.source.len() + 1 + d.text.len() + 1)
        .sum()
}

/// Appends each document's source block.
fn push_docs<'a>(out: &mut String, docs: impl IntoIterator<Item = &'a Doc>) {
    for d in docs {
        push_source_block(out, &d.source, &d.text);
    }
}

/// Renders the chart in `dir` as `helm template` does.
///
/// Rendering runs on a thread with a large stack (kit's own, else one started for it): nested
/// `include`s recurse through the template engine, and the depth limit must be reached before
/// the stack ends.
pub fn render(loader: &Loader, dir: &Path, opts: &RenderOptions) -> Result<Rendered> {
    let chart = super::load(loader, dir)?;
    render_chart(loader, chart, opts)
}

/// Renders a chart already loaded (see [`render`]); `kit template` loads it first to check it
/// and warn as Helm does before rendering.
pub fn render_chart(loader: &Loader, chart: Chart, opts: &RenderOptions) -> Result<Rendered> {
    render_chart_or_debug(loader, chart, opts).map_err(|f| f.diag)
}

/// [`render_chart`], keeping on failure what `helm template --debug` prints for it.
pub fn render_chart_or_debug(
    loader: &Loader,
    chart: Chart,
    opts: &RenderOptions,
) -> std::result::Result<Rendered, RenderFailure> {
    crate::stack::run_on_large_stack("kit-template", "the template engine", || {
        Ok(render_here(loader, chart, opts))
    })?
}

/// A render that failed, with what Helm prints of it under `--debug`.
#[derive(Debug)]
pub struct RenderFailure {
    pub diag: Diag,
    /// `None` when the failure came before the templates ran: Helm has no release to print
    /// then (values, schema, dependencies, the release name).
    pub debug: Option<DebugRender>,
}

impl From<Diag> for RenderFailure {
    fn from(diag: Diag) -> Self {
        RenderFailure { diag, debug: None }
    }
}

impl RenderFailure {
    /// A failure while rendering, with what was rendered so far.
    fn rendering(diag: Diag, debug: DebugRender) -> Self {
        RenderFailure {
            diag,
            debug: Some(debug),
        }
    }
}

/// What Helm keeps of a render that failed in its render step (`renderResources`): on a YAML
/// error every rendered file, else nothing; and the hooks it had sorted out before the error.
#[derive(Debug, Default)]
pub struct DebugRender {
    /// Every template that rendered more than white space, as `---\n# Source: NAME\nTEXT\n`
    /// with TEXT as rendered (not split into documents), sorted by NAME: Helm prints them in
    /// the random order of a Go map.
    pub files: String,
    /// Hooks of the templates before the one that failed, in template order (Helm does not
    /// sort them on this path).
    pub hooks: Vec<Doc>,
}

/// Helm's `checkIfInstallable`: only application charts render (`helm lint` checks library
/// charts too).
pub fn check_installable(chart: &Chart) -> Result<()> {
    if chart.meta.library {
        return Err(Diag::error(
            "kit::template::library-chart",
            "library charts are not installable",
        )
        .path(display_path(&chart.dir.join("Chart.yaml")))
        .help("a library chart (`type: library`) only provides partials to other charts: render a chart that lists it under `dependencies`"));
    }
    Ok(())
}

/// `--name-template`: Helm's `TemplateName`, a Go template with Sprig's functions executed
/// with no data.
pub fn name_from_template(text: &str) -> Result<String> {
    use crate::gotmpl::exec::{self, Exec, Limits, Options, Set};
    use crate::gotmpl::parse::{self, Source};
    // Sprig's function map: Helm's own chart functions are not there.
    const HELM_ONLY: &[&str] = &[
        "include",
        "tpl",
        "required",
        "lookup",
        "toToml",
        "fromToml",
        "toYaml",
        "toYamlPretty",
        "fromYaml",
        "fromYamlArray",
        "fromJson",
        "fromJsonArray",
    ];
    let name = "name-template";
    let source = std::rc::Rc::new(Source {
        name: name.to_string(),
        text: text.into(),
    });
    let bad = |message: String| {
        Diag::error("kit::template::name-template", message).help(
            "a name template (--name-template, helmCharts' nameTemplate) is a Go template with Sprig's functions, e.g. '{{ randAlpha 6 | lower }}-web'",
        )
    };
    let is_func = |f: &str| exec::is_func(f) && !HELM_ONLY.contains(&f);
    let trees = parse::parse(source.clone(), &is_func).map_err(|e| {
        let (line, _) = source.line_col(e.pos);
        bad(format!("template: {name}:{line}: {}", e.message))
    })?;
    let mut set = Set::default();
    set.add(trees);
    let opts = Options {
        limits: Limits {
            max_steps: 1_000_000,
            max_output_bytes: 64 * 1024,
            ..Limits::default()
        },
        keep_no_value: true,
        ..Options::default()
    };
    Exec::new(&set, opts)
        .execute(name, None)
        .map_err(|e| bad(e.helm_message()))
}

/// A values file given by an HTTP(S) URL (`-f https://...`), downloaded within kit's time
/// and size limits, as text.
fn download_values(url: &str) -> Result<String> {
    use std::io::Write as _;
    let shown = crate::remote::redact_passwords(url);
    let _ = writeln!(std::io::stderr(), "kit: downloading {shown}");
    let bad = |message: String| {
        Diag::error(
            "kit::template::values-url",
            format!("values file {shown}: {message}"),
        )
        .help("check the URL, or download the file and pass it with -f")
    };
    match crate::remote::http::get(url) {
        Ok(crate::remote::http::Got::Body(body)) => {
            String::from_utf8(body).map_err(|_| bad("the file is not UTF-8 text".to_string()))
        }
        Ok(crate::remote::http::Got::Status(status)) => Err(bad(format!(
            "failed to fetch: the server answered {status}"
        ))),
        Err(e) => Err(bad(e)),
    }
}

/// Helm's `ValidateReleaseName`: a DNS-1123 subdomain of at most 53 characters
/// (`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`).
pub fn check_release_name(name: &str) -> Result<()> {
    fn label(l: &str) -> bool {
        let b = l.as_bytes();
        !b.is_empty()
            && b.iter()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
            && b.first().is_some_and(|c| *c != b'-')
            && b.last().is_some_and(|c| *c != b'-')
    }
    let message = if name.is_empty() {
        "release name \"\": no name provided".to_string()
    } else if name.len() > 53 || !name.split('.').all(label) {
        format!("release name {name:?}: invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53")
    } else {
        return Ok(());
    };
    Err(Diag::error("kit::template::release-name", message).help(
        "a release name is lowercase letters, digits, '-' and '.' (dot-separated parts that start and end with a letter or digit), at most 53 characters",
    ))
}

fn render_here(
    loader: &Loader,
    mut chart: Chart,
    opts: &RenderOptions,
) -> std::result::Result<Rendered, RenderFailure> {
    let go = !super::is_jinja(&chart);
    let user = user_values(loader, &opts.values, go)?;
    if !opts.lint {
        check_installable(&chart)?;
        deps::check_present(&chart, opts.helm)?;
        check_release_name(&opts.release_name)?;
    }
    let mut warnings = Vec::new();
    deps::process(&mut chart, &user, opts.helm, &mut warnings)?;
    let vals = values::coalesce(&chart, user, &mut warnings)?;

    // The values' schema check and the templates are independent: they run side by side,
    // and a schema violation is still the error reported first (as Helm checks it first).
    let check_schemas = !opts.skip_schema_validation && schema::has_schemas(&chart);
    let schema_check = || {
        if check_schemas {
            schema::validate(loader, &chart, &vals)
        } else {
            Ok(None)
        }
    };
    let kube = match checked_kube_version(&chart, opts) {
        Ok(kube) => kube,
        Err(e) => {
            return Err(match schema_check()? {
                Some(violations) => violations.into(),
                // Helm checks the Kubernetes version in its render step.
                None => RenderFailure::rendering(e, DebugRender::default()),
            });
        }
    };
    let mut api_versions: Vec<String> = opts
        .helm
        .spec()
        .api_versions
        .iter()
        .map(|s| s.to_string())
        .collect();
    for a in &opts.api_versions {
        for v in a.split(',').map(str::trim).filter(|v| !v.is_empty()) {
            if !api_versions.iter().any(|x| x == v) {
                api_versions.push(v.to_string());
            }
        }
    }

    // The schema check and the parsing of each template's output go to the thread pool,
    // whose threads' allocator pages are already there (a thread of its own would start on
    // fresh memory); the templates render here, and each output is parsed while the next
    // templates render.
    let files_of: TemplateFiles = super::gorender::template_files(&chart)
        .into_iter()
        .collect();
    let outputs = std::sync::Mutex::new(ParsedOutputs::default());
    let mut checked = None;
    let templates = rayon::in_place_scope(|scope| {
        if check_schemas {
            scope.spawn(|_| {
                checked = Some(
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(schema_check))
                        .unwrap_or_else(|_| {
                            Err(crate::stack::bug(
                                "checking the values against the schema",
                                "the chart",
                            ))
                        }),
                );
            });
        }
        let (files_of, outputs) = (&files_of, &outputs);
        let on_rendered = |name: String, text: String, spans: Vec<OutSpan>| {
            if text.trim().is_empty() {
                return;
            }
            scope.spawn(move |_| {
                let docs = parse_output(loader, &name, &text, &spans, files_of, opts);
                let mut outputs = outputs.lock().unwrap_or_else(|e| e.into_inner());
                outputs.docs.insert(name.clone(), docs);
                outputs.texts.insert(name, text);
            });
        };
        render_templates(
            &chart,
            &vals,
            opts,
            &kube,
            &api_versions,
            files_of,
            &on_rendered,
        )
    });
    let schema_result = checked.unwrap_or_else(schema_check);
    if let Some(violations) = schema_result? {
        return Err(violations.into());
    }
    let TemplateTexts {
        notes,
        warnings: template_warnings,
    } = templates.map_err(|e| RenderFailure::rendering(e, DebugRender::default()))?;
    let ParsedOutputs { texts, docs } = outputs.into_inner().unwrap_or_else(|e| e.into_inner());

    let mut result = Rendered {
        notes,
        values: vals,
        warnings: warnings
            .into_iter()
            .map(|w| Diag::warning("kit::template::values", w))
            .collect(),
        ..Rendered::default()
    };
    // The first error in output order is the one reported.
    for (name, chunk, parsed) in docs
        .into_iter()
        .flat_map(|(name, docs)| docs.into_iter().map(move |(c, p)| (name.clone(), c, p)))
    {
        let (kind, resources, hook, warnings) = match parsed {
            Ok(parsed) => parsed,
            Err(d) => {
                let debug = DebugRender {
                    files: rendered_files(&texts),
                    hooks: std::mem::take(&mut result.hooks),
                };
                return Err(RenderFailure::rendering(d, debug));
            }
        };
        let hook_events = resources
            .first()
            .and_then(|r| {
                r.node
                    .get_path(&["metadata", "annotations", "helm.sh/hook"])
            })
            .and_then(|n| n.scalar_text())
            .map(|e| {
                e.split(',')
                    .map(|x| x.trim().to_ascii_lowercase())
                    .collect()
            })
            .unwrap_or_default();
        result.warnings.extend(warnings);
        let doc = Doc {
            source: name,
            text: chunk,
            kind,
            hook_events,
            resources,
            unread: None,
        };
        match hook {
            Hook::None => result.manifests.push(doc),
            Hook::Known => result.hooks.push(doc),
            Hook::Unknown => {}
        }
    }
    for m in template_warnings {
        result
            .warnings
            .push(Diag::warning("kit::template::required", m).help(
                "a value the chart requires is missing with these values (required or fail)",
            ));
    }
    let install_order = opts.helm.spec().install_order;
    sort_by_kind(&mut result.manifests, install_order);
    sort_by_kind(&mut result.hooks, install_order);
    if opts.include_crds {
        collect_crds(loader, &chart, &mut result.crds)?;
    }
    Ok(result)
}

/// Every template that rendered more than white space, as Helm prints them under `--debug`
/// when a rendered file is not valid YAML (sorted by name here).
fn rendered_files(texts: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (name, text) in texts {
        push_source_block(&mut out, name, text);
    }
    out
}

/// The Kubernetes version to render for, refused when the chart's `kubeVersion` excludes it.
fn checked_kube_version(chart: &Chart, opts: &RenderOptions) -> Result<KubeVersion> {
    let kube = kube_version(opts.kube_version.as_deref(), opts.helm)?;
    if let Some(required) = &chart.meta.kube_version {
        if !super::semver::compatible(required, &kube.seen.normalized) {
            return Err(Diag::error(
                "kit::template::kube-version",
                format!(
                    "chart requires kubeVersion: {required} which is incompatible with Kubernetes {}",
                    kube.seen.version
                ),
            )
            .at(None)
            .path(display_path(&chart.dir.join("Chart.yaml")))
            .help("pass the cluster's version with --kube-version, or relax kubeVersion in Chart.yaml"));
        }
    }

    Ok(kube)
}

/// Every template of the chart rendered (either dialect), each output handed to
/// `on_rendered` as it is rendered; the notes and the engine's warnings returned.
fn render_templates(
    chart: &Chart,
    vals: &Map<String, Value>,
    opts: &RenderOptions,
    kube: &KubeVersion,
    api_versions: &[String],
    files_of: &TemplateFiles,
    on_rendered: &dyn Fn(String, String, Vec<OutSpan>),
) -> Result<TemplateTexts> {
    if super::is_jinja(chart) {
        return render_jinja(chart, vals, opts, kube, api_versions, files_of, on_rendered);
    }
    let texts = super::gorender::render(
        chart,
        vals,
        &super::gorender::Inputs {
            release_name: &opts.release_name,
            namespace: &opts.namespace,
            is_upgrade: opts.is_upgrade,
            kube: &kube.seen,
            api_versions: api_versions.to_vec(),
            helm: opts.helm,
            strict: opts.strict,
            lint: opts.lint,
            process_ends_after: opts.process_ends_after,
            describe_value: &|text: &str| {
                values::describe_string(vals, text, chart, &opts.values.files)
            },
            files_of,
        },
        &|name, text, spans| {
            let spans = out_spans(&name, spans.into_iter());
            on_rendered(name, text, spans);
        },
    )?;
    Ok(TemplateTexts {
        notes: texts.notes,
        warnings: texts.warnings,
    })
}

/// What [`render_templates`] returns besides the outputs.
struct TemplateTexts {
    notes: Option<String>,
    /// The engine's warnings (`required` in lint mode).
    warnings: Vec<String>,
}

/// The templates that rendered more than white space, as their outputs are parsed (in the
/// thread pool, in any order): each one's text, and its documents with their parses, by
/// template name.
#[derive(Default)]
struct ParsedOutputs {
    texts: BTreeMap<String, String>,
    docs: BTreeMap<String, Vec<(String, ParsedDoc)>>,
}

/// A piece of a template's output and the template text that produced it, whichever the
/// dialect: the same bytes (`raw`) or the expression that printed them.
#[derive(Clone, Debug)]
pub struct OutSpan {
    /// The template whose text `source` is in.
    pub name: String,
    pub output: std::ops::Range<usize>,
    pub source: std::ops::Range<usize>,
    pub raw: bool,
}

impl OutSpan {
    fn from_jinja(s: &minijinja::OutputSpan) -> OutSpan {
        OutSpan {
            name: s.name().to_string(),
            output: s.output_range(),
            source: s.source_range(),
            raw: s.kind() == minijinja::OutputSpanKind::Raw,
        }
    }
}

/// Renders a Jinja chart's templates (minijinja).
fn render_jinja(
    chart: &Chart,
    vals: &Map<String, Value>,
    opts: &RenderOptions,
    kube: &KubeVersion,
    api_versions: &[String],
    files_of: &TemplateFiles,
    on_rendered: &dyn Fn(String, String, Vec<OutSpan>),
) -> Result<TemplateTexts> {
    let describe_value =
        &|text: &str| values::describe_string(vals, text, chart, &opts.values.files);
    // Contexts, chart by chart.
    let mut release = BTreeMap::new();
    release.insert("name".to_string(), J::from(opts.release_name.as_str()));
    release.insert("namespace".to_string(), J::from(opts.namespace.as_str()));
    release.insert("service".to_string(), J::from("kit"));
    release.insert("isInstall".to_string(), J::from(!opts.is_upgrade));
    release.insert("isUpgrade".to_string(), J::from(opts.is_upgrade));
    release.insert("revision".to_string(), J::from(1));
    let release = J::from(release);
    let mut kv = BTreeMap::new();
    kv.insert("version".to_string(), J::from(kube.seen.version.as_str()));
    kv.insert("gitVersion".to_string(), J::from(kube.git.as_str()));
    kv.insert("major".to_string(), J::from(kube.seen.major.as_str()));
    kv.insert("minor".to_string(), J::from(kube.seen.minor.as_str()));
    let mut caps = BTreeMap::new();
    caps.insert("kubeVersion".to_string(), J::from(kv));
    caps.insert(
        "apiVersions".to_string(),
        J::from_object(engine::ApiVersions(api_versions.to_vec())),
    );
    let caps = J::from(caps);
    let mut sources = Vec::new();
    let mut roots: HashMap<String, J> = HashMap::new();
    collect(
        chart,
        &Value::Object(vals.clone()),
        true,
        &release,
        &caps,
        &mut sources,
        &mut roots,
    );

    let lint_sink = opts
        .lint
        .then(|| Arc::new(std::sync::Mutex::new(Vec::new())));
    let engine = Engine::new(&sources, opts.strict, lint_sink.clone())
        .map_err(|e| template_error(&e, files_of, describe_value))?;
    engine
        .index_partials(&sources, roots.clone())
        .map_err(|e| template_error(&e, files_of, describe_value))?;

    let mut notes = None;
    for s in sources.iter().filter(|s| !s.partial) {
        let root = roots.get(&s.chart_path).cloned().unwrap_or_default();
        let ctx = engine::with_template(&root, &s.name, &s.chart_path);
        let out = engine
            .render(&s.name, ctx)
            .map_err(|e| template_error(&e, files_of, describe_value))?;
        if s.name.ends_with("/NOTES.txt") {
            if s.name == format!("{}/templates/NOTES.txt", chart.full_path) {
                notes = Some(out.0);
            }
            continue;
        }
        let spans = out.1.iter().map(OutSpan::from_jinja).collect();
        on_rendered(s.name.clone(), out.0, spans);
    }

    let warnings = match lint_sink {
        Some(sink) => std::mem::take(&mut *sink.lock().unwrap_or_else(|p| p.into_inner())),
        None => Vec::new(),
    };
    Ok(TemplateTexts { notes, warnings })
}

/// The user's values: `-f` files merged, then the `--set*` flags by kind, as Helm applies them.
///
/// For a Go-template chart (`go`), numbers read from files and `--set-json` are float64, as
/// Helm's YAML and JSON decoding makes them; `--set` integers stay int64.
pub fn user_values(loader: &Loader, src: &ValueSources, go: bool) -> Result<Map<String, Value>> {
    let floats = |m: Map<String, Value>| -> Map<String, Value> {
        if !go {
            return m;
        }
        let mut v = Value::Object(m);
        super::gorender::floats(&mut v);
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    };
    let mut base = floats(src.inline.clone().unwrap_or_default());
    for f in &src.files {
        let text = f.to_string_lossy();
        let values_of_text = |name: &Path, text: String| -> Result<Map<String, Value>> {
            if go {
                super::gorender::helm_values(loader, name, &text)
            } else {
                let loaded = loader.load_text(name, text)?;
                super::load::values_of(loaded.docs.first().cloned())
            }
        };
        if text.starts_with("http://") || text.starts_with("https://") {
            // Helm downloads a values file given by URL; so does kit, and says so.
            let text = download_values(&text)?;
            base = values::merge_maps(base, floats(values_of_text(f, text)?));
            continue;
        }
        if text.starts_with("oci://") {
            return Err(Diag::error(
                "kit::template::values-url",
                format!("values file {text}: kit reads values files from disk or HTTP(S) only"),
            )
            .help("pull the file first and pass it with -f"));
        }
        if f.as_os_str() == "-" {
            // `-f -`: values from standard input, as Helm reads them.
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .map_err(|e| Diag::error("kit::load::stdin", format!("cannot read stdin: {e}")))?;
            base = values::merge_maps(base, floats(values_of_text(Path::new("<stdin>"), text)?));
            continue;
        }
        let meta = std::fs::metadata(f).map_err(|_| {
            Diag::error("kit::template::values-file", "values file not found")
                .path(display_path(f))
                .help("check the path given to -f/--values")
        })?;
        if meta.is_dir() {
            return Err(Diag::error(
                "kit::template::values-file",
                "the values file is a directory",
            )
            .path(display_path(f))
            .help("give a YAML file to -f/--values"));
        }
        let text = if meta.is_file() {
            loader.read_text(f)?
        } else {
            // A pipe (`-f <(cmd)`) or a device (`-f /dev/null`) the user named, read as
            // Helm reads it, up to the size limit.
            crate::load::read_bounded(f)?
        };
        base = values::merge_maps(base, floats(values_of_text(f, text)?));
    }
    let flag_err = |flag: &str, line: &str, e: String| {
        Diag::error("kit::template::set", format!("{flag} {line:?}: {e}")).help(
            "the syntax is name=value[,name=value]: dotted paths (a.b.c), list indexes (a[0].b), lists in braces ({a,b}); escape , . = [ with a backslash",
        )
    };
    for line in &src.set_json {
        let trimmed = line.trim();
        if trimmed.starts_with('{') {
            let m: Map<String, Value> = serde_json::from_str(trimmed)
                .map_err(|e| flag_err("--set-json", line, e.to_string()))?;
            base = values::merge_maps(base, floats(m));
        } else {
            strvals::parse_into(line, &mut base, strvals::Mode::Json)
                .map_err(|e| flag_err("--set-json", line, e))?;
        }
    }
    // `--set-json a=1` decodes JSON too: float64, like everything merged so far.
    let mut base = floats(base);
    for line in &src.set {
        strvals::parse_into(line, &mut base, strvals::Mode::Typed)
            .map_err(|e| flag_err("--set", line, e))?;
    }
    for line in &src.set_string {
        strvals::parse_into(line, &mut base, strvals::Mode::String)
            .map_err(|e| flag_err("--set-string", line, e))?;
    }
    for line in &src.set_file {
        let reader = |path: &str| -> std::result::Result<Value, String> {
            let p = Path::new(path);
            loader
                .read_text(p)
                .map(Value::String)
                .map_err(|d| format!("{}: {}", display_path(p), d.message))
        };
        strvals::parse_into(line, &mut base, strvals::Mode::File(&reader))
            .map_err(|e| flag_err("--set-file", line, e))?;
    }
    for line in &src.set_literal {
        strvals::parse_literal_into(line, &mut base).map_err(|e| {
            Diag::error("kit::template::set", format!("--set-literal {line:?}: {e}")).help(
                "the syntax is name=value: a dotted path (a.b.c, a[0].b) then `=`; everything after it is the value, as it is",
            )
        })?;
    }
    Ok(base)
}

/// The Kubernetes version a render is for: what Go templates see (its `normalized` is what
/// Chart.yaml's `kubeVersion` is checked against), and the text as given with a leading `v`
/// (Jinja's `gitVersion`).
struct KubeVersion {
    seen: super::objects::KubeVersion,
    git: String,
}

fn kube_version(given: Option<&str>, helm: HelmVersion) -> Result<KubeVersion> {
    let spec = helm.spec();
    let raw = given.unwrap_or(spec.default_kube_version);
    let bad = |e: String| {
        Diag::error(
            "kit::template::kube-version",
            format!("invalid kube version {raw:?}: {e}"),
        )
        .help(
            "give a Kubernetes version: MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. --kube-version 1.33",
        )
    };
    let git = if raw.starts_with('v') {
        raw.to_string()
    } else {
        format!("v{raw}")
    };
    if spec.kube_version_keeps_text {
        // Helm v4's ParseKubeVersion: Kubernetes' generic parser (at least MAJOR.MINOR,
        // anything after the numbers ignored); the text is kept as given.
        let numbers = super::semver::parse_kubernetes_generic(raw).map_err(bad)?;
        let [major, minor, ..] = numbers.as_slice() else {
            return Err(bad(format!("illegal version string {raw:?}")));
        };
        let joined: Vec<String> = numbers.iter().map(u64::to_string).collect();
        return Ok(KubeVersion {
            seen: super::objects::KubeVersion {
                version: git.clone(),
                normalized: format!("v{}", joined.join(".")),
                major: major.to_string(),
                minor: minor.to_string(),
            },
            git,
        });
    }
    // Helm v3's ParseKubeVersion: any version Masterminds/semver reads (`1`, `v1.30`,
    // `1.29.0-eks-1234`), printed back whole, prerelease and metadata included.
    let version = super::semver::Version::parse(raw).map_err(bad)?;
    let normalized = format!("v{}", version.to_go_string());
    Ok(KubeVersion {
        seen: super::objects::KubeVersion {
            version: normalized.clone(),
            normalized,
            major: version.major.to_string(),
            minor: version.minor.to_string(),
        },
        git,
    })
}

#[allow(clippy::too_many_arguments)]
fn collect(
    chart: &Chart,
    vals: &Value,
    is_root: bool,
    release: &J,
    caps: &J,
    sources: &mut Vec<engine::Source>,
    roots: &mut HashMap<String, J>,
) {
    let mut chart_meta = engine::from_json(&Value::Object(chart.meta_value.clone()));
    if let Ok(iter) = chart_meta.try_iter() {
        let mut m: BTreeMap<String, J> = BTreeMap::new();
        for k in iter {
            if let (Some(key), Ok(v)) = (k.as_str(), chart_meta.get_item(&k)) {
                m.insert(key.to_string(), v);
            }
        }
        m.insert("isRoot".to_string(), J::from(is_root));
        chart_meta = J::from(m);
    }
    let mut root = BTreeMap::new();
    root.insert("values".to_string(), engine::from_json(vals));
    root.insert("release".to_string(), release.clone());
    root.insert("chart".to_string(), chart_meta);
    root.insert("capabilities".to_string(), caps.clone());
    root.insert(
        "files".to_string(),
        J::from_object(engine::Files {
            all: chart.files.clone(),
            only: None,
        }),
    );
    roots.insert(chart.full_path.clone(), J::from(root));
    for t in &chart.templates {
        let partial = t.is_partial();
        // A library chart's templates other than partials render nothing (Helm skips them).
        if chart.meta.library && !partial {
            continue;
        }
        sources.push(engine::Source {
            name: t.name.clone(),
            text: t.text.to_string(),
            partial,
            chart_name: chart.meta.name.clone(),
            chart_path: chart.full_path.clone(),
        });
    }
    for d in &chart.deps {
        let sub = vals
            .get(d.name())
            .cloned()
            .filter(Value::is_object)
            .unwrap_or(Value::Object(Map::new()));
        collect(d, &sub, false, release, caps, sources, roots);
    }
}

/// Helm's `SplitManifests`: the text trimmed, cut at `(?:^|\s*\n)---\s*`, each document
/// trimmed of white space at both ends, empty ones dropped; with the byte offset of each in
/// `text`.
pub fn split_manifests(text: &str) -> Vec<(usize, &str)> {
    // Go's `\s` (RE2): ASCII space, tab, LF, FF, CR.
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\x0C' | b'\r');
    let lead = text.len() - text.trim_start().len();
    let body = text.trim();
    let bytes = body.as_bytes();
    let mut out = Vec::new();
    let mut push = |from: usize, to: usize| {
        let chunk = &body[from..to];
        let trimmed = chunk.trim();
        if !trimmed.is_empty() {
            let skipped = chunk.len() - chunk.trim_start().len();
            out.push((lead + from + skipped, trimmed));
        }
    };
    // The end of a separator whose `---` starts at `dashes`: its trailing white space.
    let sep_end = |dashes: usize| {
        let mut e = dashes + 3;
        while e < bytes.len() && is_space(bytes[e]) {
            e += 1;
        }
        e
    };
    let mut start = 0;
    if body.starts_with("---") {
        start = sep_end(0);
    }
    let mut search = start;
    let separator = memchr::memmem::Finder::new("\n---");
    while let Some(i) = separator.find(&bytes[search..]) {
        let nl = search + i;
        push(start, nl);
        start = sep_end(nl + 1);
        search = start;
    }
    push(start, body.len());
    out
}

enum Hook {
    None,
    Known,
    Unknown,
}

/// A rendered document's kind, its resources, whether it is a hook, and its warnings.
type ParsedDoc = Result<(String, Vec<Resource>, Hook, Vec<Diag>)>;

/// The Go engine's spans of one template's output, named after it.
fn out_spans(name: &str, spans: impl Iterator<Item = crate::gotmpl::exec::Span>) -> Vec<OutSpan> {
    spans
        .map(|s| OutSpan {
            name: name.to_string(),
            output: s.output,
            source: s.source,
            raw: s.raw,
        })
        .collect()
}

/// Registers each document of one template's output as a source and parses it: each
/// document's text and parse, in order.
fn parse_output(
    loader: &Loader,
    name: &str,
    text: &str,
    spans: &[OutSpan],
    files_of: &TemplateFiles,
    opts: &RenderOptions,
) -> Vec<(String, ParsedDoc)> {
    split_manifests(text)
        .into_iter()
        .map(|(offset, chunk)| {
            // Helm prints each trimmed document followed by a newline, and that text is what
            // gets installed: a block scalar that ends the document keeps one final newline.
            let display = format!("{name} (rendered)");
            let id = loader
                .sources
                .add(Path::new(&display), format!("{chunk}\n"));
            let parsed = parse_doc(loader, name, id, offset, spans, files_of, opts);
            (chunk.to_string(), parsed)
        })
        .collect()
}

/// Parses one document into kit's model, mapping a YAML error back to the template line.
fn parse_doc(
    loader: &Loader,
    name: &str,
    id: FileId,
    offset: usize,
    spans: &[OutSpan],
    files_of: &TemplateFiles,
    opts: &RenderOptions,
) -> ParsedDoc {
    let Some(file) = loader.sources.get(id) else {
        return Ok((String::new(), Vec::new(), Hook::None, Vec::new()));
    };
    // Helm reads the document trimmed, without the newline kit's copy ends with.
    let helm_reads = file.text.strip_suffix('\n').unwrap_or(&file.text);
    if let Some((at, message)) = go_yaml_reader_error(helm_reads) {
        let d = Diag::error(
            "kit::load::yaml-syntax",
            format!("error converting YAML to JSON: yaml: {message}"),
        )
        .at(Some(Origin::new(id, at, at + 1)))
        .help("YAML allows neither bytes that are not UTF-8 nor control characters: escape the value (quote, b64enc) or remove them");
        return Err(remap(d, offset + at, name, spans, files_of, loader));
    }
    // Helm prints a document with a repeated key as it is (and the API server keeps the last
    // value): recorded, kit keeps the last value too, and says where the repeat is.
    let (docs, repeated) =
        crate::load::yaml::parse_documents_recorded(&file, id, opts.repeated_keys).map_err(
            |d| {
                let at = d.origin.map_or(0, |o| o.start as usize);
                remap(d, offset + at, name, spans, files_of, loader)
            },
        )?;
    let warnings = repeated
        .into_iter()
        .map(|d| {
            let origin = d.origin.and_then(|o| {
                let len = (o.end - o.start) as usize;
                template_origin(offset + o.start as usize, len, spans, files_of)
            });
            let warning = Diag::warning(
                "kit::template::duplicate-key",
                format!("{} in a rendered document", d.message),
            );
            match origin {
                Some(at) => warning.at(Some(at)),
                None => warning.path(name),
            }
            .help("Helm prints the document as it is, and the API server keeps the last value (as kit does): remove one of them")
        })
        .collect();
    let Some(doc) = docs.into_iter().next() else {
        return Ok((String::new(), Vec::new(), Hook::None, warnings));
    };
    // Helm sorts by the document's own kind (a `List` is a List, not its items' kind).
    let kind = doc
        .get("kind")
        .and_then(|n| n.scalar_text())
        .unwrap_or_default();
    // Helm prints any mapping a template renders; only objects with apiVersion and kind join
    // kit's model (for lint, validate, apply).
    let is_object = doc.get("kind").is_some() && doc.get("apiVersion").is_some();
    if !is_object
        && matches!(
            doc.value,
            crate::model::Value::Map(_) | crate::model::Value::Null
        )
    {
        return Ok((kind, Vec::new(), Hook::None, warnings));
    }
    let hook = match doc
        .get_path(&["metadata", "annotations", "helm.sh/hook"])
        .and_then(|n| n.scalar_text())
    {
        None => Hook::None,
        Some(events) => {
            if events
                .split(',')
                .map(|e| e.trim().to_ascii_lowercase())
                .all(|e| HOOK_EVENTS.contains(&e.as_str()))
            {
                Hook::Known
            } else {
                Hook::Unknown
            }
        }
    };
    let mut resources = crate::load::resources_from_owned_docs(vec![doc]).map_err(|d| {
        let at = d.origin.map_or(0, |o| o.start as usize);
        remap(d, offset + at, name, spans, files_of, loader)
    })?;
    // Every value now points at the template text that produced it (a value written by an
    // expression points at the expression), so later findings name the line to edit.
    if opts.template_origins {
        for resource in &mut resources {
            resource.node.walk_mut(&mut |n| {
                if let Some(o) = n.origin.filter(|o| o.file == id) {
                    let len = (o.end - o.start) as usize;
                    n.origin = template_origin(offset + o.start as usize, len, spans, files_of)
                        .or(n.origin);
                }
            });
        }
    }
    Ok((kind, resources, hook, warnings))
}

/// Where go-yaml's reader, which Helm parses every rendered document with, stops: at bytes
/// that are not UTF-8 (kit carries them as stand-ins, see `gotmpl::value::raw_byte`) or at a
/// character YAML does not allow (control characters); the offset in `text` and go-yaml's
/// message.
fn go_yaml_reader_error(text: &str) -> Option<(usize, &'static str)> {
    if text
        .bytes()
        .all(|b| matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7E))
    {
        return None;
    }
    // Go's bytes, each with the offset of the character it is part of in `text`.
    let mut bytes: Vec<(u8, usize)> = Vec::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        match crate::gotmpl::value::raw_byte(c) {
            Some(b) => bytes.push((b, at)),
            None => bytes.extend(c.encode_utf8(&mut [0; 4]).bytes().map(|b| (b, at))),
        }
    }
    // go-yaml's `yaml_parser_update_buffer`, UTF-8 branch.
    let mut i = 0;
    while let Some(&(lead, at)) = bytes.get(i) {
        let (width, bits) = match lead {
            0x00..=0x7F => (1, lead),
            _ if lead & 0xE0 == 0xC0 => (2, lead & 0x1F),
            _ if lead & 0xF0 == 0xE0 => (3, lead & 0x0F),
            _ if lead & 0xF8 == 0xF0 => (4, lead & 0x07),
            _ => return Some((at, "invalid leading UTF-8 octet")),
        };
        let Some(trailing) = bytes.get(i + 1..i + width) else {
            return Some((at, "incomplete UTF-8 octet sequence"));
        };
        let mut value = u32::from(bits);
        for &(b, b_at) in trailing {
            if b & 0xC0 != 0x80 {
                return Some((b_at, "invalid trailing UTF-8 octet"));
            }
            value = (value << 6) + u32::from(b & 0x3F);
        }
        let shortest = match width {
            1 => true,
            2 => value >= 0x80,
            3 => value >= 0x800,
            _ => value >= 0x10000,
        };
        if !shortest {
            return Some((at, "invalid length of a UTF-8 sequence"));
        }
        if (0xD800..=0xDFFF).contains(&value) || value > 0x10_FFFF {
            return Some((at, "invalid Unicode character"));
        }
        let allowed = matches!(value,
            0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0x85 | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x1_0000..=0x10_FFFF);
        if !allowed {
            return Some((at, "control characters are not allowed"));
        }
        i += width;
    }
    None
}

/// The template text that produced `len` bytes of output at `rendered_at`: the same bytes
/// when the template wrote them verbatim, else the expression that wrote them.
fn template_origin(
    rendered_at: usize,
    len: usize,
    spans: &[OutSpan],
    files_of: &TemplateFiles,
) -> Option<Origin> {
    let i = spans.partition_point(|s| s.output.clone().end <= rendered_at);
    let s = spans
        .get(i)
        .filter(|s| s.output.clone().contains(&rendered_at))?;
    let (file, text) = files_of.get(&s.name)?;
    let src = s.source.clone();
    let out = s.output.clone();
    if s.raw {
        let start = (src.start + (rendered_at - out.start)).min(text.len());
        let end = (start + len).min(src.end).min(text.len()).max(start);
        Some(Origin::new(*file, start, end))
    } else {
        let end = src.end.min(text.len());
        Some(Origin::new(*file, src.start.min(end), end))
    }
}

/// Points a diagnostic about rendered text at the template source that produced it; the
/// rendered snippet is kept in the help.
fn remap(
    mut d: Diag,
    rendered_at: usize,
    name: &str,
    spans: &[OutSpan],
    files_of: &TemplateFiles,
    loader: &Loader,
) -> Diag {
    let rendered_where = d.origin.map(|o| loader.sources.describe(o));
    let span = spans
        .iter()
        .find(|s| s.output.clone().contains(&rendered_at))
        .or_else(|| {
            spans
                .iter()
                .rev()
                .find(|s| s.output.clone().start <= rendered_at)
        });
    if let Some(s) = span {
        if let Some((file, text)) = files_of.get(&s.name) {
            let r = s.source.clone();
            let out = s.output.clone();
            if s.raw && out.contains(&rendered_at) {
                // Template text written verbatim: the offset maps one to one.
                let at = (r.start + (rendered_at - out.start)).min(text.len());
                d.origin = Some(Origin::new(*file, at, (at + 1).min(text.len())));
                d.label = Some("the rendered YAML is invalid here".to_string());
            } else {
                let end = r.end.max(r.start + 1).min(text.len());
                d.origin = Some(Origin::new(*file, r.start.min(end), end));
                d.label = Some("this part of the template rendered the invalid YAML".to_string());
            }
        }
    }
    // Helm's words, which scripts grep for; kit's location and snippet follow.
    d.message = format!("YAML parse error on {name}: {}", d.message);
    let mut help = d.help.take().unwrap_or_default();
    if let Some(w) = rendered_where {
        if !help.is_empty() {
            help.push_str("; ");
        }
        help.push_str(&format!("the rendered output is invalid at {w}"));
    }
    d.help = Some(help);
    d
}

/// A minijinja error as a diagnostic at the template's line (the innermost template of an
/// `include` chain).
pub fn template_error(
    e: &minijinja::Error,
    files_of: &TemplateFiles,
    describe_value: &dyn Fn(&str) -> Option<String>,
) -> Diag {
    // The chain: include wrappers (outer) down to the error itself.
    let mut chain: Vec<&minijinja::Error> = vec![e];
    let mut cur: &dyn std::error::Error = e;
    while let Some(src) = cur.source() {
        match src.downcast_ref::<minijinja::Error>() {
            Some(me) => chain.push(me),
            None => break,
        }
        cur = src;
    }
    let failed = chain
        .iter()
        .any(|c| std::error::Error::source(*c).is_some_and(|s| s.is::<engine::Failed>()));
    let innermost = chain.last().copied().unwrap_or(e);
    // The innermost place in a file of the chart (a text given to `tpl` is none), else the
    // innermost place known.
    let named = |c: &&&minijinja::Error| c.name().is_some() && c.line().is_some();
    let located = chain
        .iter()
        .rev()
        .filter(named)
        .find(|c| c.name().is_some_and(|n| files_of.contains_key(n)))
        .or_else(|| chain.iter().rev().find(named))
        .copied();
    // A `tpl` nested past the limit: the text it was given, as a values key.
    let tpl_value = std::error::Error::source(innermost)
        .and_then(|s| s.downcast_ref::<engine::TplNesting>())
        .and_then(|n| describe_value(&n.text));
    let detail = match innermost.kind() {
        minijinja::ErrorKind::OutOfFuel => format!(
            "the template ran more than {} steps (kit's limit for one render)",
            engine::MAX_STEPS
        ),
        _ => {
            let detail = innermost
                .detail()
                .map(str::to_string)
                .unwrap_or_else(|| innermost.kind().to_string());
            match &tpl_value {
                Some(value) => format!("{detail}: `tpl` renders the text of {value} inside itself"),
                None => detail,
            }
        }
    };
    let (code, help) = match innermost.kind() {
        minijinja::ErrorKind::SyntaxError => (
            "kit::template::syntax",
            "fix the template syntax (Jinja: {{ expr }}, {% if %}...{% endif %}, {% for %}...{% endfor %})",
        ),
        minijinja::ErrorKind::UndefinedError => (
            "kit::template::undefined",
            "the value is not set: set it in values.yaml, or give it a default with `| default(...)` (undefined values are errors with --strict)",
        ),
        minijinja::ErrorKind::UnknownFunction | minijinja::ErrorKind::UnknownFilter => (
            "kit::template::unknown-function",
            "check the name; see the README's list of template functions",
        ),
        minijinja::ErrorKind::OutOfFuel => (
            "kit::template::budget",
            "a loop that never ends, or one far too long? (the README's Limits section lists kit's limits)",
        ),
        _ if failed => ("kit::template::failed", "the chart refused these values; change them as the message says"),
        _ if tpl_value.is_some() => (
            "kit::template::limit",
            "a value rendered with `tpl` renders itself again: change that value (or the template that renders it) so it stops",
        ),
        _ => ("kit::template::render", "fix the template at this line"),
    };
    let mut d = Diag::error(code, detail).help(help);
    if let Some(loc) = located {
        let name = loc.name().unwrap_or_default();
        let base = name.strip_suffix(engine::TPL_SUFFIX).unwrap_or(name);
        if let Some((file, text)) = files_of.get(name) {
            let origin = match loc.range() {
                Some(r) => {
                    let end = r.end.max(r.start + 1).min(text.len());
                    Origin::new(*file, r.start.min(end), end)
                }
                None => {
                    let sf = SourceFile::new(PathBuf::new(), String::new(), text.clone());
                    let start = sf.byte_offset(loc.line().unwrap_or(1), 0);
                    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
                    Origin::new(*file, start, end.max(start + 1))
                }
            };
            d = d.at(Some(origin));
        } else {
            d = d.path(format!("{base}:{}", loc.line().unwrap_or(0)));
        }
        // Outermost first. Where the place shown is the innermost, the others include
        // it; where it is not (texts rendered by `tpl` are no file), the whole chain.
        let places: Vec<String> = chain
            .iter()
            .filter_map(|c| Some(format!("{}:{}", c.name()?, c.line()?)))
            .collect();
        let innermost_shown = chain
            .iter()
            .rev()
            .find(|c| c.name().is_some() && c.line().is_some())
            .is_some_and(|c| std::ptr::eq(*c, loc));
        let callers: Vec<String> = chain
            .iter()
            .filter(|c| !std::ptr::eq(**c, loc))
            .filter_map(|c| Some(format!("{}:{}", c.name()?, c.line()?)))
            .collect();
        let help = d.help.take().unwrap_or_default();
        d.help = Some(if innermost_shown && !callers.is_empty() {
            format!(
                "{help}; included from {}",
                crate::diag::summarise_chain(&callers, ", ")
            )
        } else if places.len() > 1 {
            format!(
                "{help}; the chain of {} templates: {}",
                places.len(),
                crate::diag::summarise_chain(&places, " -> ")
            )
        } else {
            help
        });
    }
    d
}

/// Helm's stable sort by kind: known kinds in `install_order`, unknown kinds after them by
/// name.
fn sort_by_kind(docs: &mut [Doc], install_order: &[&str]) {
    let rank = |kind: &str| install_order.iter().position(|k| *k == kind);
    docs.sort_by(|a, b| match (rank(&a.kind), rank(&b.kind)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.kind.cmp(&b.kind),
    });
}

fn collect_crds(loader: &Loader, chart: &Chart, out: &mut Vec<Doc>) -> Result<()> {
    for (rel, bytes) in chart.crd_files() {
        if !(rel.ends_with(".yaml") || rel.ends_with(".yml") || rel.ends_with(".json")) {
            continue;
        }
        let path = chart.dir.join(rel);
        let text = std::str::from_utf8(bytes)
            .map_err(|e| crate::load::not_utf8(&path, bytes, e))?
            .to_string();
        let source = format!("{}/{}", chart.full_path, rel);
        let read = loader
            .load_text(&path, text.clone())
            .and_then(|loaded| crate::load::resources_from_docs(&loaded.docs));
        let (resources, unread) = match read {
            Ok(resources) => (resources, None),
            Err(d) => (Vec::new(), Some(Box::new(d))),
        };
        let kind = resources
            .first()
            .map(|r| r.kind().to_string())
            .unwrap_or_default();
        out.push(Doc {
            source,
            text,
            kind,
            hook_events: Vec::new(),
            resources,
            unread,
        });
    }
    for d in &chart.deps {
        collect_crds(loader, d, out)?;
    }
    Ok(())
}
