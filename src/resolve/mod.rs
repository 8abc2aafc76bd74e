//! Resolving what a path means (a kustomization, a plain directory, a file, stdin) and
//! accumulating its resources through bases and components, running each layer's
//! transformers in kustomize's order.

pub mod kustomization;
mod plugins;
pub mod scope;

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::diag::{Diag, Result};
use crate::load::{self, Loader};
use crate::model::Resource;
use crate::openapi::{self, BuildSchema, Counters, CustomSchema, Layering, SchemaKey, SchemaSet};
use crate::plugin;
use crate::remote::{self, ChartPin, GitPin, HttpFile, HttpPin, Lock, RepoSpec};
use crate::transform::buildmeta::{self, Tracking};
use crate::transform::fieldspec::{self, TransformerConfig};
use crate::transform::{self, Resources};
use kustomization::{Kind, Kustomization, SortOrder};

/// kustomize's load restrictor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadRestrictor {
    /// Files must be inside the directory of the kustomization that names them.
    RootOnly,
    None,
}

/// What a kustomization layer hands to the one that includes it: its resources and the
/// transformer configuration gathered from it and its bases (kustomize's `ResAccumulator`).
#[derive(Clone, Debug, Default)]
pub struct Accumulated {
    pub resources: Resources,
    pub config: TransformerConfig,
    /// Legacy `vars` declared here and in the bases (names unique).
    pub vars: Vec<transform::vars::Var>,
}

impl Accumulated {
    /// Adds a base's resources and configuration (kustomize's `MergeAccumulator`).
    fn absorb_base(
        &mut self,
        seen: &mut IdIndex,
        base: Accumulated,
        origin: Option<crate::source::Origin>,
    ) -> Result<()> {
        append_all(&mut self.resources, seen, base.resources, origin)?;
        self.config.merge(&base.config).map_err(|d| d.at(origin))?;
        transform::vars::merge_set(&mut self.vars, &base.vars, origin)
    }
}

/// How deep kustomizations may nest (a base of a base of ... of the root, components
/// included). kustomize sets no limit; real trees nest a handful of levels, and a chain this
/// long is a generated or hostile input. The build runs on a large stack
/// ([`crate::stack::LARGE_STACK_BYTES`]) so this limit is reached long before the stack ends.
pub const MAX_NESTING: usize = 1_000;

/// How many objects one kustomization build may hold, each base counted as often as it is
/// included. A diamond of bases that each include the next twice under two name prefixes
/// doubles the objects at every level; this ends it with a clear error rather than an
/// out-of-memory abort. (A file or stream of manifests is not bounded by it.)
pub const MAX_RESOURCES: usize = 100_000;

/// What one root's build carries from kustomization to kustomization, where kustomize keeps
/// it in the `KustTarget` chain and in process-wide state.
struct Walk {
    /// Kustomization directories being built, outermost first (to find cycles).
    stack: Vec<PathBuf>,
    /// kustomize's OpenAPI state: which schema strategic merges use.
    schema: BuildSchema,
    /// While origins are tracked (the root's `buildMetadata` is not empty): where the
    /// kustomization being built is (kustomize's `KustTarget.origin`): its directory relative
    /// to the root's, or, in a remote base, the repository, ref and directory in it.
    origin: Option<buildmeta::Origin>,
    /// The root's lock file (empty when it has none).
    lock: Arc<Lock>,
    /// The remote bases reached so far, as resolved (for `kit update` and cached bases).
    pins: Vec<(RepoSpec, GitPin)>,
    /// The HTTP(S) files read so far.
    files: Vec<HttpPin>,
    /// The charts fetched from repositories and registries so far.
    charts: Vec<ChartPin>,
    /// The URLs of the remote bases being built, outermost first (to find cycles).
    repos: Vec<String>,
    /// kustomize's stderr lines (deprecated fields), in the order kustomize prints them.
    notices: Vec<String>,
    /// The `namespace` of each kustomization above the one being built (empty where it sets
    /// none): a `helmCharts` entry without a namespace renders in the nearest one.
    namespaces: Vec<String>,
}

/// A kustomization's `namespace`, empty when it sets none.
fn namespace_of(k: &Kustomization) -> String {
    k.namespace
        .as_ref()
        .map_or(String::new(), |n| n.value.clone())
}

impl Walk {
    fn new(root: PathBuf, tracking: Option<Tracking>, lock: Arc<Lock>) -> Self {
        Walk {
            stack: vec![root],
            schema: BuildSchema::new(),
            origin: tracking.map(|_| buildmeta::Origin::default()),
            lock,
            pins: Vec::new(),
            files: Vec::new(),
            charts: Vec::new(),
            repos: Vec::new(),
            notices: Vec::new(),
            namespaces: Vec::new(),
        }
    }

    /// kustomize warns about a kustomization's deprecated fields each time it loads one.
    fn loaded(&mut self, k: &Kustomization) {
        self.notices
            .extend(k.deprecations.iter().map(|line| line.to_string()));
    }

    /// Runs `f` in the kustomization at `entry` (a base or component directory as written),
    /// with the origin path following it.
    fn within<T>(&mut self, entry: &str, f: impl FnOnce(&mut Walk) -> T) -> T {
        let saved = self.origin.clone();
        if let Some(base) = &saved {
            self.origin = Some(origin_of(base, entry));
        }
        let out = f(self);
        self.origin = saved;
        out
    }

    /// The kustomization file (relative to the root, or in its remote base), while origins
    /// are tracked.
    fn configured_in(&self, k: &Kustomization) -> Option<buildmeta::Origin> {
        self.origin.as_ref().map(|base| base.joined(&k.file_name))
    }
}

/// A base's render depends on its directory, on the schema its strategic merges use and,
/// while origins are tracked, on its path from the root.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct BaseKey {
    dir: PathBuf,
    schema: SchemaKey,
    origin: Option<buildmeta::Origin>,
}

/// A finished base and what building it did to the schema state.
struct BaseEntry {
    result: Result<Accumulated>,
    /// No kustomization in the base chose a schema: its render depends only on the schema
    /// in use, and its effect on the state is `delta` replayed.
    neutral: bool,
    start: BuildSchema,
    end: BuildSchema,
    delta: Counters,
    /// The remote bases it reached, as resolved: a root that resolves one of them to another
    /// commit (another lock) builds the base again; the same for files.
    pins: Vec<(RepoSpec, GitPin)>,
    files: Vec<HttpPin>,
    charts: Vec<ChartPin>,
    /// The notices its kustomizations gave, printed again each time it is included.
    notices: Vec<String>,
}

/// kustomize's `--reorder`: the final order when the root kustomization has no
/// `sortOptions`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reorder {
    /// kustomize's legacy order (the default).
    Legacy,
    /// The order resources were accumulated in.
    None,
}

/// Build settings that kustomize takes as flags.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// `--reorder`, when given.
    pub reorder: Option<Reorder>,
    /// `--enable-managedby-label`: label every object `app.kubernetes.io/managed-by`.
    pub managed_by_label: bool,
    /// `--helm-kube-version`: for helmCharts entries without a `kubeVersion`.
    pub helm_kube_version: Option<String>,
    /// `--helm-api-versions`: for helmCharts entries without `apiVersions`.
    pub helm_api_versions: Vec<String>,
    /// `--helm-version`: the Helm whose `helm template` output helmCharts reproduce.
    pub helm_version: crate::chart::HelmVersion,
    /// How a chart directory among the inputs is rendered (`kit lint -f`, ...).
    pub chart: crate::chart::RenderOptions,
}

/// Where text parsed out of a kustomization's value (an inline patch) is in the
/// kustomization file.
struct Inline {
    /// The file the text was parsed as.
    parsed: Option<crate::source::FileId>,
    /// Each byte of the text in the kustomization, when the value lines up with how it is
    /// written (see [`crate::source::Embedding`]).
    embedding: Option<crate::source::Embedding>,
    /// The value's own place, for text that does not line up.
    fallback: Option<crate::source::Origin>,
}

impl Inline {
    fn place(&self, o: crate::source::Origin) -> crate::source::Origin {
        if self.parsed != Some(o.file) {
            return o;
        }
        match (&self.embedding, self.fallback) {
            (Some(e), _) => e.origin(o),
            (None, Some(value)) => value,
            (None, None) => o,
        }
    }
}

/// Builds roots; shares parsed files and finished bases across roots and threads.
pub struct Builder {
    pub loader: Arc<Loader>,
    pub restrictor: LoadRestrictor,
    bases: Mutex<HashMap<BaseKey, Arc<BaseEntry>>>,
    /// Custom OpenAPI schema files, parsed.
    custom_schemas: Mutex<HashMap<PathBuf, Result<Arc<CustomSchema>>>>,
    /// Custom schemas composed with the built-in one.
    composed: Mutex<HashMap<(PathBuf, Layering), Arc<SchemaSet>>>,
    /// Warnings found while building (kustomize logs these and goes on).
    warnings: Arc<Mutex<Vec<Diag>>>,
    /// Fetches remote bases (into the cache).
    remote: Arc<remote::Remote>,
    /// Each kustomization root built, with its lock file and the remote bases it reached.
    root_pins: Mutex<Vec<RootPins>>,
    /// kustomize's stderr lines per root built (see [`Builder::take_notices`]).
    notices: Mutex<Vec<(PathBuf, Vec<String>)>>,
    options: BuildOptions,
}

/// The remote bases one root reached (see [`Builder::take_root_pins`]).
#[derive(Clone, Debug)]
pub struct RootPins {
    pub root: PathBuf,
    pub lock: Arc<Lock>,
    pub pins: Vec<GitPin>,
    pub files: Vec<HttpPin>,
    pub charts: Vec<ChartPin>,
}

impl Builder {
    pub fn new(loader: Arc<Loader>, restrictor: LoadRestrictor) -> Self {
        Builder {
            loader,
            restrictor,
            bases: Mutex::new(HashMap::new()),
            custom_schemas: Mutex::new(HashMap::new()),
            composed: Mutex::new(HashMap::new()),
            warnings: Arc::new(Mutex::new(Vec::new())),
            remote: Arc::new(remote::Remote::default()),
            root_pins: Mutex::new(Vec::new()),
            notices: Mutex::new(Vec::new()),
            options: BuildOptions::default(),
        }
    }

    /// Builds with kustomize's flag settings.
    pub fn with_options(mut self, options: BuildOptions) -> Self {
        self.options = options;
        self
    }

    /// The lines kustomize prints on stderr while building `root` (its deprecated fields,
    /// each time a kustomization is loaded), word for word, in kustomize's order; taken once.
    pub fn take_notices(&self, root: &Path) -> Vec<String> {
        let mut all = self.notices.lock().unwrap_or_else(|e| e.into_inner());
        match all.iter().position(|(r, _)| r == root) {
            Some(i) => all.remove(i).1,
            None => Vec::new(),
        }
    }

    /// Resolves remote bases with these settings (the default: announced on stderr,
    /// pinned by each root's `kit.lock` where it pins them).
    pub fn with_remote(mut self, remote: remote::Remote) -> Self {
        self.remote = Arc::new(remote);
        self
    }

    /// The fetcher of remote inputs (what it fetched and where, for `kit vendor`).
    pub fn remote(&self) -> &remote::Remote {
        &self.remote
    }

    /// The kustomization roots built so far, with the remote bases each reached.
    pub fn take_root_pins(&self) -> Vec<RootPins> {
        std::mem::take(&mut *self.root_pins.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Records a warning once (a kustomization read again, for another overlay, repeats it).
    fn warn(&self, d: Diag) {
        let mut warnings = self.warnings.lock().unwrap_or_else(|e| e.into_inner());
        let seen = warnings
            .iter()
            .any(|w| w.code == d.code && w.origin == d.origin && w.message == d.message);
        if !seen {
            warnings.push(d);
        }
    }

    /// The warnings gathered so far (each once).
    pub fn take_warnings(&self) -> Vec<Diag> {
        std::mem::take(&mut *self.warnings.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Renders a root: a kustomization directory, a plain directory of manifests, a file,
    /// or `-` (stdin, read by the caller and passed as `stdin`).
    ///
    /// The build runs on a thread with a large stack: bases recurse, up to [`MAX_NESTING`].
    pub fn build_root(&self, root: &Path, stdin: Option<&str>) -> Result<Resources> {
        crate::stack::run_on_large_stack("kit-build", "the build", || {
            self.build_root_here(root, stdin)
        })
    }

    fn build_root_here(&self, root: &Path, stdin: Option<&str>) -> Result<Resources> {
        // A file or stdin is read once: its documents are taken, not copied from the cache
        // (a stream of small documents takes many times its size once read).
        let owned = |owned: load::Owned| match owned.repeated_keys.into_iter().next() {
            Some(repeated) => Err(repeated),
            None => load::resources_from_owned_docs(owned.docs),
        };
        if root == Path::new("-") {
            return owned(
                self.loader
                    .load_text_owned(Path::new("<stdin>"), stdin.unwrap_or("").to_string())?,
            );
        }
        let dir = match remote_root(root) {
            Some((url, spec)) => self.remote_root_dir(url, &spec)?,
            None => {
                let meta =
                    std::fs::metadata(root).map_err(|e| load::argument_io_error(root, &e))?;
                load::check_regular(root, &meta)?;
                if meta.is_file() {
                    return owned(self.loader.load_owned(root)?);
                }
                canonical(root)?
            }
        };
        match kustomization::find_file(&dir)? {
            Some(path) => {
                let k = self.read_kustomization(&path)?;
                let mut notices = Vec::new();
                let result = self.build_kustomization(&dir, &k, &mut notices);
                self.notices
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((root.to_path_buf(), notices));
                result
            }
            None if dir.join("Chart.yaml").is_file() => self.chart_directory(&dir),
            None => self.plain_directory(&dir),
        }
    }

    /// A kustomization root: its tree accumulated, then what kustomize does once for the
    /// whole build. `notices` gets kustomize's stderr lines, also when the build fails.
    fn build_kustomization(
        &self,
        dir: &Path,
        k: &Kustomization,
        notices: &mut Vec<String>,
    ) -> Result<Resources> {
        notices.extend(k.deprecations.iter().map(|line| line.to_string()));
        // Only the root's buildMetadata counts: kustomize hands it to every base.
        let tracking = Tracking::from_values(&k.build_metadata);
        let lock = Arc::new(Lock::read(&self.loader, dir)?);
        let mut walk = Walk::new(dir.to_path_buf(), tracking, lock);
        let result = self.finish_kustomization(dir, k, tracking, &mut walk);
        notices.append(&mut walk.notices);
        result
    }

    fn finish_kustomization(
        &self,
        dir: &Path,
        k: &Kustomization,
        tracking: Option<Tracking>,
        walk: &mut Walk,
    ) -> Result<Resources> {
        // The root's schema choice comes first, and always wins.
        self.apply_openapi(k, walk, true)?;
        let acc = self.accumulate(k, Accumulated::default(), walk)?;
        self.note_pins(dir, walk);
        let mut resources = acc.resources;
        // Last, once for the whole tree: content hashes complete the names, then
        // references follow the final names.
        crate::generate::add_hash_suffixes(&mut resources)?;
        transform::namereference::fix(&mut resources, &acc.config.name_reference)?;
        // With names final, vars read their values and are substituted.
        let warnings =
            transform::vars::resolve(&mut resources, &acc.vars, &acc.config.var_reference)?;
        for w in warnings {
            self.warn(w);
        }
        // Local configuration objects serve the build (as name-reference sources,
        // replacement sources) and are not printed.
        resources.retain(|r| {
            r.node
                .get_path(&[
                    "metadata",
                    "annotations",
                    "config.kubernetes.io/local-config",
                ])
                .is_none_or(|v| v.scalar_text().as_deref() == Some("false"))
        });
        if k.sort.is_some() && self.options.reorder.is_some() {
            walk.notices.push("Warning: Sorting order is set both in 'kustomization.yaml' ('sortOptions') and in a CLI flag ('--reorder'). Using the kustomization file over the CLI flag.".to_string());
        }
        match &k.sort {
            Some(SortOrder::Fifo) => {}
            None if self.options.reorder == Some(Reorder::None) => {}
            Some(SortOrder::Legacy { first, last }) => {
                transform::sort::legacy(&mut resources, first, last)
            }
            None => {
                let first: Vec<String> = transform::sort::DEFAULT_ORDER_FIRST
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                let last: Vec<String> = transform::sort::DEFAULT_ORDER_LAST
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                transform::sort::legacy(&mut resources, &first, &last);
            }
        }
        if self.options.managed_by_label || tracking.is_some_and(|t| t.managed_by_label) {
            let label = transform::Setting {
                value: "kustomize-v5.8.1".to_string(),
                origin: k.origin,
            };
            let pairs = vec![("app.kubernetes.io/managed-by".to_string(), label)];
            transform::labels::apply_pairs(
                &mut resources,
                &pairs,
                &[fieldspec::FieldSpec::new("metadata/labels", true)],
            )?;
        }
        buildmeta::finish(&mut resources, tracking);
        transform::labels::stringify_annotations(&mut resources, &self.loader.sources);
        Ok(resources)
    }

    /// Records the remote bases a root reached; warns about those its lock does not pin.
    fn note_pins(&self, root: &Path, walk: &Walk) {
        let mut pins: Vec<GitPin> = walk.pins.iter().map(|(_, p)| p.clone()).collect();
        pins.sort();
        pins.dedup();
        let mut files = walk.files.clone();
        files.sort();
        files.dedup();
        let mut charts = walk.charts.clone();
        charts.sort();
        charts.dedup();
        if walk.lock.exists && self.remote.mode() == remote::Mode::Normal {
            for c in charts.iter().filter(|c| {
                walk.lock
                    .find_chart(&c.repo, &c.name, &c.constraint)
                    .is_none()
            }) {
                self.warn(walk.lock.unpinned_chart(&c.repo, &c.name, &c.constraint));
            }
            for f in files
                .iter()
                .filter(|f| walk.lock.find_http(&f.url).is_none())
            {
                self.warn(
                    Diag::warning(
                        "kit::lock::unpinned",
                        format!(
                            "'{}' is not pinned in {}",
                            f.url,
                            crate::source::display_path(&walk.lock.path)
                        ),
                    )
                    .help("run `kit update` to pin it; `--locked` refuses unpinned remote files"),
                );
            }
            for p in &pins {
                if walk.lock.find(&p.url, &p.git_ref).is_none() {
                    self.warn(
                        Diag::warning(
                            "kit::lock::unpinned",
                            format!(
                                "'{}' at ref '{}' is not pinned in {}",
                                p.url,
                                if p.git_ref.is_empty() {
                                    "HEAD"
                                } else {
                                    &p.git_ref
                                },
                                crate::source::display_path(&walk.lock.path)
                            ),
                        )
                        .help(
                            "run `kit update` to pin it; `--locked` refuses unpinned remote bases",
                        ),
                    );
                }
            }
        }
        self.root_pins
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(RootPins {
                root: root.to_path_buf(),
                lock: walk.lock.clone(),
                pins,
                files,
                charts,
            });
    }

    /// A chart directory: rendered as `kit template` renders it, with the chart options of
    /// the command (by default the chart's defaults, release `release-name`, namespace
    /// `default`), in Helm's order, hooks included.
    fn chart_directory(&self, dir: &Path) -> Result<Resources> {
        let rendered = crate::chart::render(&self.loader, dir, &self.options.chart)?;
        for w in &rendered.warnings {
            self.warn(w.clone());
        }
        rendered.resources()
    }

    /// What a root argument stands for: stdin, a file, a kustomization or chart directory,
    /// or the contents of a plain directory (so that commands checking inputs one by one,
    /// like `kit validate`, share this resolution with `kit build`): each manifest file, and
    /// each kustomization or chart below it, rendered as one input (as kube-linter finds
    /// them), its files not read as manifests.
    pub fn inputs(&self, root: &Path) -> Result<Vec<Input>> {
        if root == Path::new("-") {
            return Ok(vec![Input::Stdin]);
        }
        if let Some((url, spec)) = remote_root(root) {
            return Ok(vec![Input::Kustomization(
                self.remote_root_dir(url, &spec)?,
            )]);
        }
        let meta = std::fs::metadata(root).map_err(|e| load::argument_io_error(root, &e))?;
        load::check_regular(root, &meta)?;
        if meta.is_file() {
            return Ok(vec![Input::File(root.to_path_buf())]);
        }
        let dir = canonical(root)?;
        match kustomization::find_file(&dir)? {
            Some(_) => Ok(vec![Input::Kustomization(dir)]),
            // A chart renders as one input, like a kustomization.
            None if dir.join("Chart.yaml").is_file() => Ok(vec![Input::Kustomization(dir)]),
            None => {
                let walk = walk_plain_directory(&dir, true)?;
                self.warn_links(&walk.links);
                Ok(walk.inputs)
            }
        }
    }

    /// The directory a git URL given as the root names (`kit build
    /// https://host/org/repo//dir?ref=v1`, as `kubectl kustomize URL`), fetched or from the
    /// cache. The current directory's kit.lock pins it, as it pins the charts `kit template`
    /// names; inside, the checkout's own kit.lock pins its remote bases, and the load
    /// restrictor always holds, as for any remote base.
    fn remote_root_dir(&self, url: &str, spec: &RepoSpec) -> Result<PathBuf> {
        let lock = Arc::new(Lock::read(&self.loader, Path::new("."))?);
        let mut walk = Walk::new(PathBuf::from("."), None, lock);
        let entry = transform::Setting {
            value: url.to_string(),
            origin: None,
        };
        self.remote_dir(&entry, spec, &mut walk)
    }

    /// Warns of symbolic links a plain directory holds where a manifest would be: they are
    /// not followed (one could point anywhere), and a file left out should not go unnoticed.
    fn warn_links(&self, links: &[PathBuf]) {
        for link in links {
            self.warn(
                Diag::warning(
                    "kit::load::symlink-skipped",
                    "skipped: a symbolic link (kit does not follow links in a plain directory)",
                )
                .path(crate::source::display_path(link))
                .help(
                    "copy the file into the directory, or list it in a kustomization's `resources`",
                ),
            );
        }
    }

    /// Renders one input (see [`Builder::inputs`]); `stdin` is the text read for `-`.
    /// Files and stdin are read without caching and handed over; with a recording loader
    /// (`Loader::recording`) their repeated keys come back too.
    pub fn build_input(
        &self,
        input: &Input,
        stdin: Option<&str>,
    ) -> Result<(Resources, Vec<Diag>)> {
        let owned = match input {
            Input::Kustomization(dir) => return Ok((self.build_root(dir, None)?, Vec::new())),
            Input::Stdin => self
                .loader
                .load_text_owned(Path::new("<stdin>"), stdin.unwrap_or("").to_string())?,
            Input::File(path) => self.loader.load_owned(path)?,
        };
        Ok((
            load::resources_from_owned_docs(owned.docs)?,
            owned.repeated_keys,
        ))
    }

    /// A directory without a kustomization: every .yaml/.yml/.json file under it, in path
    /// order (kit's extension; kustomize requires a kustomization file).
    fn plain_directory(&self, dir: &Path) -> Result<Resources> {
        let walk = walk_plain_directory(dir, false)?;
        self.warn_links(&walk.links);
        let files = files_of(walk.inputs);
        let mut out = Vec::new();
        let mut seen = IdIndex::default();
        for f in files {
            let loaded = self.loader.load(&f)?;
            if let Some(doc) = loaded.docs.iter().find(|d| is_kustomization_object(d)) {
                return Err(misnamed_kustomization(dir, &f, doc));
            }
            append_all(
                &mut out,
                &mut seen,
                load::resources_from_docs(&loaded.docs)?,
                None,
            )?;
        }
        Ok(out)
    }

    fn read_kustomization(&self, path: &Path) -> Result<Kustomization> {
        let loaded = self.loader.load_kustomization(path)?;
        match loaded.docs.as_slice() {
            [doc] => {
                let k = Kustomization::from_node(doc, path, &self.loader.sources)?;
                for w in &k.warnings {
                    self.warn(w.clone());
                }
                Ok(k)
            }
            [] => Err(
                Diag::error("kit::kustomization::empty", "kustomization file is empty")
                    .path(crate::source::display_path(path))
                    .help("add at least `resources:`; an empty kustomization renders nothing"),
            ),
            [_, second, ..] => Err(Diag::error(
                "kit::kustomization::multiple-documents",
                "a kustomization file must hold one document",
            )
            .at(second.origin)),
        }
    }

    /// The resources of a base directory. Cached: a base renders the same for every overlay
    /// that reaches it with the same schema state.
    fn build_base(&self, dir: &Path, walk: &mut Walk) -> Result<Accumulated> {
        let key = BaseKey {
            dir: dir.to_path_buf(),
            schema: walk.schema.key(),
            origin: walk.origin.clone(),
        };
        let hit = self
            .bases
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .cloned();
        if let Some(hit) = hit.filter(|hit| self.same_pins(hit, walk)) {
            if hit.neutral {
                walk.schema.replay(hit.delta);
                walk.pins.extend(hit.pins.iter().cloned());
                walk.files.extend(hit.files.iter().cloned());
                walk.charts.extend(hit.charts.iter().cloned());
                walk.notices.extend(hit.notices.iter().cloned());
                return hit.result.clone();
            }
            if hit.start.same_state(&walk.schema) {
                walk.schema.restore(&hit.end, hit.delta);
                walk.pins.extend(hit.pins.iter().cloned());
                walk.files.extend(hit.files.iter().cloned());
                walk.charts.extend(hit.charts.iter().cloned());
                walk.notices.extend(hit.notices.iter().cloned());
                return hit.result.clone();
            }
        }
        let start = walk.schema.clone();
        let pins_before = walk.pins.len();
        let files_before = walk.files.len();
        let charts_before = walk.charts.len();
        let notices_before = walk.notices.len();
        let result = (|| {
            let Some(path) = kustomization::find_file(dir)? else {
                return Err(Diag::error(
                    "kit::kustomization::missing",
                    "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory",
                )
                .path(crate::source::display_path(dir))
                .help("a directory listed in `resources` must contain a kustomization file"));
            };
            let k = self.read_kustomization(&path)?;
            walk.loaded(&k);
            self.apply_openapi(&k, walk, false)?;
            if k.kind == Kind::Component {
                return Err(Diag::error(
                    "kit::kustomization::component-as-resource",
                    format!(
                        "expected kind != 'Component' for path '{}'",
                        crate::source::display_path(dir)
                    ),
                )
                .at(k.origin)
                .help("list a Component under `components:`, not `resources:`"));
            }
            self.accumulate(&k, Accumulated::default(), walk)
        })();
        let delta = walk.schema.counters().since(start.counters());
        let entry = BaseEntry {
            result: result.clone(),
            neutral: delta.choices == 0,
            start,
            end: walk.schema.clone(),
            delta,
            pins: walk.pins.get(pins_before..).unwrap_or_default().to_vec(),
            files: walk.files.get(files_before..).unwrap_or_default().to_vec(),
            charts: walk
                .charts
                .get(charts_before..)
                .unwrap_or_default()
                .to_vec(),
            notices: walk
                .notices
                .get(notices_before..)
                .unwrap_or_default()
                .to_vec(),
        };
        self.bases
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, Arc::new(entry));
        result
    }

    /// Whether this root resolves every remote base a finished base reached to the same
    /// commit (with another lock it may not; then the base is built again).
    fn same_pins(&self, base: &BaseEntry, walk: &Walk) -> bool {
        let git = base.pins.iter().all(|(spec, p)| {
            matches!(self.remote.resolve(spec, &walk.lock), Ok(Some(c)) if c == p.commit)
        });
        git && base.files.iter().all(|f| {
            self.remote.http_digest(&f.url, &walk.lock).as_deref() == Some(f.sha256.as_str())
        }) && base
            .charts
            .iter()
            .all(|c| self.remote.chart_digest(c, &walk.lock).as_deref() == Some(c.digest.as_str()))
    }

    /// A kustomization's `openapi:` field (kustomize's `openapi.SetSchema`): the root's
    /// choice always applies, another kustomization's only when none was made before it. The
    /// schema file is read either way (a missing file is an error), and parsed when chosen.
    fn apply_openapi(&self, k: &Kustomization, walk: &mut Walk, root: bool) -> Result<()> {
        let Some(field) = &k.openapi else {
            return Ok(());
        };
        if field.path.is_none() && field.version.is_none() {
            return Ok(());
        }
        walk.schema.note_field();
        let file = match &field.path {
            Some(path) => {
                if let Some(bytes) = self.download(path, &walk.lock, &mut walk.files)? {
                    let text = String::from_utf8(bytes).map_err(|e| {
                        load::not_utf8(Path::new(&path.value), e.as_bytes(), e.utf8_error())
                            .at(path.origin)
                    })?;
                    // Cached by URL and digest (another root's lock may pin other bytes);
                    // shown under the URL.
                    let digest = walk.files.last().map_or("", |p| p.sha256.as_str());
                    let key = PathBuf::from(format!("{}#sha256:{digest}", path.value));
                    Some((key, Some(text), path))
                } else {
                    refuse_remote(path)?;
                    let file = self.restricted_file(k, path)?;
                    if std::fs::metadata(&file).is_ok_and(|m| m.is_dir()) {
                        return Err(Diag::error(
                            "kit::openapi::not-a-file",
                            "the OpenAPI schema path is a directory",
                        )
                        .at(path.origin)
                        .help("name the schema file itself (JSON or YAML)"));
                    }
                    Some((file, None, path))
                }
            }
            None => None,
        };
        if walk.schema.is_chosen() && !root {
            return Ok(());
        }
        match (file, &field.version) {
            (Some(_), Some(version)) => Err(Diag::error(
                "kit::openapi::path-and-version",
                "builtin version and custom schema provided, cannot use both",
            )
            .at(version.origin.or(field.origin))
            .help("keep either `path:` (a custom schema) or `version:` (a built-in one)")),
            (Some((file, downloaded, path)), None) => {
                let layering = walk.schema.layering_now();
                let set = self
                    .composed_schema(&file, downloaded, layering)
                    .map_err(|d| d.at(path.origin))?;
                walk.schema.choose_custom(file, layering, set);
                Ok(())
            }
            (None, Some(version)) if version.value.is_empty() => Ok(()),
            (None, Some(version)) if version.value == openapi::BUILTIN_VERSION => {
                walk.schema.choose_version();
                Ok(())
            }
            (None, Some(version)) => Err(Diag::error(
                "kit::openapi::version",
                "the specified OpenAPI version is not built in",
            )
            .at(version.origin)
            .help(format!(
                "kustomize v5.8.1 has only `{}` built in; name another schema with `path:`",
                openapi::BUILTIN_VERSION
            ))),
            (None, None) => Ok(()),
        }
    }

    /// A custom schema file composed with the built-in schema (both cached); `downloaded`
    /// is its text when `file` is `URL#sha256:DIGEST`, what it was downloaded from.
    fn composed_schema(
        &self,
        file: &Path,
        downloaded: Option<String>,
        layering: Layering,
    ) -> Result<Arc<SchemaSet>> {
        let key = (file.to_path_buf(), layering);
        if let Some(set) = self
            .composed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Ok(set.clone());
        }
        let cached = self
            .custom_schemas
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(file)
            .cloned();
        let custom = match cached {
            Some(parsed) => parsed?,
            None => {
                let parsed = (|| {
                    let (label, text) = match downloaded {
                        Some(text) => {
                            let url = file
                                .to_str()
                                .and_then(|f| f.rsplit_once("#sha256:"))
                                .map_or("", |(url, _)| url);
                            (Path::new(url), text)
                        }
                        None => (file, self.loader.read_text(file)?),
                    };
                    let id = self.loader.sources.add(label, text);
                    let source =
                        self.loader.sources.get(id).ok_or_else(|| {
                            Diag::error("kit::load::internal", "lost a source file")
                        })?;
                    CustomSchema::parse(&source, id).map(Arc::new)
                })();
                self.custom_schemas
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(file.to_path_buf(), parsed.clone());
                parsed?
            }
        };
        let set = Arc::new(custom.compose(openapi::builtin(), layering));
        self.composed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, set.clone());
        Ok(set)
    }

    /// kustomize's `accumulateTarget`: resources, this layer's configuration, then
    /// components, then this layer's transformers over everything accumulated.
    fn accumulate(
        &self,
        k: &Kustomization,
        mut acc: Accumulated,
        walk: &mut Walk,
    ) -> Result<Accumulated> {
        let mut seen = IdIndex::of(&acc.resources);
        for entry in &k.resources {
            let loaded = self.resource_entry(k, entry, walk)?;
            let total = acc.resources.len().saturating_add(loaded.resources.len());
            if total > MAX_RESOURCES {
                return Err(Diag::error(
                    "kit::kustomization::too-many-resources",
                    format!(
                        "the build holds more than {MAX_RESOURCES} objects with this entry ({total}, counting a base as often as it is included)"
                    ),
                )
                .at(entry.origin)
                .help("a base included several times under different name prefixes multiplies its objects at every level; include each base fewer times"));
            }
            acc.absorb_base(&mut seen, loaded, entry.origin)?;
        }
        let mut config = fieldspec::defaults().clone();
        for entry in &k.configurations {
            let loaded = self.load_named(k, entry, &walk.lock, &mut walk.files)?;
            for doc in &loaded.docs {
                let more = TransformerConfig::from_node(doc)?;
                config.merge(&more).map_err(|d| d.at(doc.origin))?;
            }
        }
        acc.config.merge(&config).map_err(|d| d.at(k.origin))?;
        for entry in &k.crds {
            let loaded = self.load_named(k, entry, &walk.lock, &mut walk.files)?;
            for doc in &loaded.docs {
                let more = fieldspec::crds::config_from_definitions(doc)?;
                acc.config.merge(&more).map_err(|d| d.at(entry.origin))?;
            }
        }
        if !k.generators.is_empty() {
            // `read` cannot borrow the walk mutably (the generators take a `Fn`).
            let downloaded = std::cell::RefCell::new(Vec::new());
            let read = |entry: &transform::Setting| -> Result<Vec<u8>> {
                self.read_named(k, entry, &walk.lock, &mut downloaded.borrow_mut())
            };
            k.generators
                .run_tracked(&mut acc.resources, &read, walk.configured_in(k).as_ref())?;
            walk.files.extend(downloaded.into_inner());
        }
        // helmCharts run after the ConfigMap and Secret generators, as in kustomize.
        for chart in &k.helm_charts {
            let inflated = self.inflate_chart(k, chart, walk)?;
            let mut index = IdIndex::of(&acc.resources);
            append_all(&mut acc.resources, &mut index, inflated, chart.origin)?;
        }
        self.run_plugin_generators(k, &mut acc.resources, walk)?;
        for entry in &k.components {
            // A component is always a directory: a git URL is fetched (kustomize's
            // `loader.New` tries the URL first).
            let (dir, repo) = match RepoSpec::parse(&entry.value) {
                Ok(spec) => (self.remote_dir(entry, &spec, walk)?, Some(spec.raw)),
                Err(_) => (self.directory_entry(k, entry, &walk.stack)?, None),
            };
            let Some(path) = kustomization::find_file(&dir).map_err(|d| d.at(entry.origin))? else {
                return Err(Diag::error(
                    "kit::kustomization::missing",
                    "a component directory has no kustomization file",
                )
                .at(entry.origin)
                .help("add a kustomization.yaml with `kind: Component` there"));
            };
            let component = self.read_kustomization(&path)?;
            walk.loaded(&component);
            self.apply_openapi(&component, walk, false)?;
            if component.kind != Kind::Component {
                return Err(Diag::error(
                    "kit::kustomization::not-a-component",
                    format!(
                        "expected kind 'Component' for path '{}' but got 'Kustomization'",
                        entry.value
                    ),
                )
                .at(entry.origin)
                .help(
                    "set `kind: Component` in that kustomization, or list it under `resources:`",
                ));
            }
            walk.stack.push(dir);
            walk.namespaces.push(namespace_of(k));
            walk.repos.extend(repo.clone());
            let accumulated =
                walk.within(&entry.value, |walk| self.accumulate(&component, acc, walk));
            walk.repos
                .truncate(walk.repos.len() - usize::from(repo.is_some()));
            walk.namespaces.pop();
            walk.stack.pop();
            acc = accumulated?;
        }
        let patches = self.load_patches(k, walk)?;
        let replacements = match &k.replacements {
            Some(node) => {
                let mut load = |path: &str, origin: Option<crate::source::Origin>| {
                    let entry = transform::Setting {
                        value: path.to_string(),
                        origin,
                    };
                    Ok(self
                        .load_named(k, &entry, &walk.lock, &mut walk.files)?
                        .docs
                        .clone())
                };
                transform::replacements::parse(node, &mut load)?
            }
            None => Vec::new(),
        };
        let transformers =
            self.configure_plugin_transformers(k, plugin::Role::Transformer, walk)?;
        let configured_in = walk.configured_in(k);
        run_transformers(
            k,
            &mut acc.resources,
            &acc.config,
            &patches,
            &replacements,
            &mut walk.schema,
            configured_in.as_ref(),
        )?;
        for (t, origin) in &transformers {
            plugin::transform(
                t,
                &mut acc.resources,
                &self.loader.sources,
                &mut walk.schema,
            )?;
            if let Some(origin) = origin {
                buildmeta::record_transformation(&mut acc.resources, origin)?;
            }
        }
        let validators = self.configure_plugin_transformers(k, plugin::Role::Validator, walk)?;
        self.run_validators(&validators, &mut acc.resources, &mut walk.schema)?;
        transform::vars::declare(&mut acc.resources, &mut acc.vars, &k.vars)?;
        Ok(acc)
    }

    /// Reads this layer's patches (files or inline text) and tells their kinds apart.
    fn load_patches(&self, k: &Kustomization, walk: &mut Walk) -> Result<LayerPatches> {
        let mut out = LayerPatches::default();
        for text in &k.patches_strategic_merge {
            let inline = self.inline_docs(text)?;
            let docs = match inline {
                Some(docs) => docs,
                None => self
                    .load_named(k, text, &walk.lock, &mut walk.files)?
                    .docs
                    .clone(),
            };
            out.strategic_merge.extend(docs);
        }
        if !k.patches_strategic_merge.is_empty() && out.strategic_merge.is_empty() {
            let names: Vec<&str> = k
                .patches_strategic_merge
                .iter()
                .map(|s| s.value.as_str())
                .collect();
            return Err(Diag::error(
                "kit::patch::empty",
                format!("patch appears to be empty; files=[{}]", names.join(" ")),
            )
            .at(k.patches_strategic_merge.first().and_then(|s| s.origin))
            .help("the patch files hold no objects; remove them from `patchesStrategicMerge`"));
        }
        for (specs, json_only) in [(&k.patches, false), (&k.patches_json6902, true)] {
            for spec in specs {
                let (docs, (id, file), source, inline) = match (&spec.path, &spec.patch) {
                    (Some(path), _) => {
                        let loaded = self.load_named(k, path, &walk.lock, &mut walk.files)?;
                        (
                            loaded.docs.clone(),
                            (loaded.file, self.loader.sources.get(loaded.file)),
                            format!("[path: {:?}]", path.value),
                            None,
                        )
                    }
                    (None, Some(text)) => {
                        let (loaded, inline) =
                            self.load_inline(text, text.value.trim(), "inline patch")?;
                        (
                            loaded.docs.clone(),
                            (loaded.file, self.loader.sources.get(loaded.file)),
                            transform::patches::inline_source(text),
                            Some(inline),
                        )
                    }
                    (None, None) => continue,
                };
                let place = |o: crate::source::Origin| match &inline {
                    Some(inline) => inline.place(o),
                    None => o,
                };
                // kustomize reads a patch that starts with `[` as JSON, not YAML.
                if let Some(file) = file.as_deref() {
                    let text = file.text.trim_start();
                    if text.starts_with('[') {
                        if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
                            // serde counts lines and (1-based) columns in the trimmed text.
                            let skipped = file.text.len() - text.len();
                            let trimmed =
                                crate::source::SourceFile::new(PathBuf::new(), String::new(), text);
                            let at = skipped
                                + trimmed.byte_offset(e.line(), e.column().saturating_sub(1));
                            let end = (at + 1).min(file.text.len()).max(at);
                            let at = crate::source::Origin::new(id, at, end);
                            return Err(Diag::error(
                                "kit::patch::json6902-parse",
                                format!("patch {source} starts with `[` but is not JSON: {e}"),
                            )
                            .at(Some(place(at)))
                            .help("kustomize reads a patch that starts with `[` as JSON: quote every key and string, or write the operations as a YAML list (`- op: add`)"));
                        }
                    }
                }
                let mut patch =
                    transform::patches::classify(docs, file.as_deref()).map_err(|mut d| {
                        d.origin = d.origin.map(place);
                        d.at(spec.origin)
                    })?;
                patch.relocate(&place);
                if json_only {
                    let transform::patches::Loaded::Json(ops) = patch else {
                        return Err(Diag::error(
                            "kit::patch::not-json",
                            format!("patchesJson6902 entry {source} is not a list of JSON patch operations"),
                        )
                        .at(spec.origin)
                        .help("write `- op: ...` entries, or move the patch to `patches:`"));
                    };
                    let Some(target) = spec.target.clone().filter(|t| !t.name.is_empty()) else {
                        return Err(Diag::error(
                            "kit::patch::no-target",
                            "must specify the target name",
                        )
                        .at(spec.origin)
                        .help("patchesJson6902 entries need `target:` with at least `name:`"));
                    };
                    out.json6902.push((target, ops));
                } else {
                    out.entries.push(transform::patches::PatchEntry {
                        patch,
                        target: spec.target.clone(),
                        options: spec.options,
                        source,
                        origin: spec.origin,
                    });
                }
            }
        }
        Ok(out)
    }

    /// A `patchesStrategicMerge` entry that is itself YAML objects (not a path).
    fn inline_docs(&self, text: &transform::Setting) -> Result<Option<Vec<crate::model::Node>>> {
        if !text.value.contains(':') {
            return Ok(None);
        }
        match self.load_inline(text, &text.value, "inline patch") {
            Ok((loaded, inline))
                if !loaded.docs.is_empty() && loaded.docs.iter().all(|d| d.as_map().is_some()) =>
            {
                let mut docs = loaded.docs.clone();
                for doc in &mut docs {
                    doc.walk_mut(&mut |n| n.origin = n.origin.map(|o| inline.place(o)));
                }
                Ok(Some(docs))
            }
            _ => Ok(None),
        }
    }

    /// Parses YAML written as a kustomization's value (an inline patch). An error in it is
    /// located inside the value, in the kustomization file; so are the nodes, through
    /// [`Inline::place`].
    fn load_inline(
        &self,
        setting: &transform::Setting,
        text: &str,
        what: &str,
    ) -> Result<(Arc<load::Loaded>, Inline)> {
        let host = setting
            .origin
            .and_then(|o| Some((o, self.loader.sources.get(o.file)?)));
        let embedding = host.as_ref().and_then(|(origin, file)| {
            crate::source::Embedding::new(file, origin.file, *origin, text)
        });
        let name = match &host {
            Some((_, file)) => format!("{} ({what})", file.path.display()),
            None => format!("({what})"),
        };
        let mut inline = Inline {
            parsed: None,
            embedding,
            fallback: setting.origin,
        };
        let loaded = self
            .loader
            .load_text(Path::new(&name), text.to_string())
            .map_err(|mut d| {
                // The error's file is the parsed text: the only file this parse reads.
                inline.parsed = d.origin.map(|o| o.file);
                d.origin = d.origin.map(|o| inline.place(o));
                let inside = format!("the {what} is YAML written inside this file: fix it there");
                d.help = Some(match d.help.take() {
                    Some(help) => format!("{help} ({inside})"),
                    None => inside,
                });
                d.at(setting.origin)
            })?;
        inline.parsed = Some(loaded.file);
        Ok((loaded, inline))
    }

    /// A `resources` entry: a file of manifests or a directory with a kustomization.
    fn resource_entry(
        &self,
        k: &Kustomization,
        entry: &transform::Setting,
        walk: &mut Walk,
    ) -> Result<Accumulated> {
        // kustomize reads an entry as a file first, then as a base: an HTTP(S) URL is
        // downloaded, and tried as a git repository when that gives no YAML; another git
        // URL is a base unless a file of that name exists.
        let path = k.dir.join(&entry.value);
        let is_http = remote::repospec::is_http_url(&entry.value);
        let spec = if is_http || !path.is_file() {
            RepoSpec::parse(&entry.value).ok()
        } else {
            None
        };
        // Why downloading the URL as a file failed, when it is then tried as a repository.
        let mut as_file = None;
        if is_http
            && !spec
                .as_ref()
                .is_some_and(|s| plainly_git(&entry.value, s, &walk.lock))
        {
            let fetched = self
                .remote
                .http_file(&entry.value, &walk.lock)
                .map_err(|d| d.at(entry.origin));
            match (fetched, &spec) {
                (Ok(HttpFile::Body { bytes, pin }), _) => {
                    match self.http_resources(entry, bytes, walk) {
                        Ok(acc) => {
                            walk.files.push(pin);
                            return Ok(acc);
                        }
                        Err(d) if spec.is_none() => return Err(d),
                        Err(d) => as_file = Some(d.message),
                    }
                }
                (Ok(HttpFile::Status(code)), None) => {
                    return Err(Diag::error(
                        "kit::remote::http",
                        format!("HTTP Error: status code {code} from '{}'", entry.value),
                    )
                    .at(entry.origin)
                    .help("check the URL; it is neither a file to download nor a git repository"));
                }
                (Err(d), None) => return Err(d),
                // What the lock says about the file is final.
                (Err(d), Some(_))
                    if d.code.starts_with("kit::lock::") || d.code == "kit::remote::offline" =>
                {
                    return Err(d)
                }
                (Err(d), Some(_)) => as_file = Some(d.message),
                (Ok(HttpFile::Status(code)), Some(_)) => {
                    as_file = Some(format!("HTTP status code {code}"));
                }
            }
        }
        if let Some(spec) = spec {
            let dir = self.remote_dir(entry, &spec, walk).map_err(|mut d| {
                if let Some(why) = &as_file {
                    d.message = format!("{} (as a file: {why})", d.message);
                }
                d
            })?;
            walk.stack.push(dir.clone());
            walk.namespaces.push(namespace_of(k));
            walk.repos.push(spec.raw.clone());
            let result = walk.within(&entry.value, |walk| self.build_base(&dir, walk));
            walk.repos.pop();
            walk.namespaces.pop();
            walk.stack.pop();
            return result.map_err(|d| d.at(entry.origin));
        }
        refuse_remote(entry)?;
        let meta = std::fs::metadata(&path).map_err(|e| {
            load::in_kustomization(load::io_error(&path, &e), &k.dir, &entry.value).at(entry.origin)
        })?;
        if meta.is_dir() {
            let dir = self.directory_entry(k, entry, &walk.stack)?;
            walk.stack.push(dir.clone());
            walk.namespaces.push(namespace_of(k));
            let result = walk.within(&entry.value, |walk| self.build_base(&dir, walk));
            walk.namespaces.pop();
            walk.stack.pop();
            return result.map_err(|d| d.at(entry.origin));
        }
        let file = self.restricted_file(k, entry)?;
        let loaded = self.loader.load(&file).map_err(|d| d.at(entry.origin))?;
        let mut resources = load::resources_from_docs(&loaded.docs)?;
        if let Some(base) = &walk.origin {
            buildmeta::annotate_loaded(&mut resources, &origin_of(base, &entry.value))?;
        }
        Ok(file_resources(resources, walk))
    }

    /// The resources of a downloaded file (named by its URL in messages).
    fn http_resources(
        &self,
        entry: &transform::Setting,
        bytes: Vec<u8>,
        walk: &mut Walk,
    ) -> Result<Accumulated> {
        let loaded = self.load_downloaded(entry, bytes)?;
        let mut resources = load::resources_from_docs(&loaded.docs)?;
        if let Some(base) = &walk.origin {
            buildmeta::annotate_loaded(&mut resources, &origin_of(base, &entry.value))?;
        }
        Ok(file_resources(resources, walk))
    }

    /// A remote base (a git URL in `resources`, `components` or `bases`): its directory in
    /// the repository's checkout, from the cache or fetched.
    fn remote_dir(
        &self,
        entry: &transform::Setting,
        spec: &RepoSpec,
        walk: &mut Walk,
    ) -> Result<PathBuf> {
        if let Some(outer) = walk.repos.iter().find(|r| r.starts_with(&spec.raw)) {
            return Err(Diag::error(
                "kit::kustomization::cycle",
                format!(
                    "cycle detected: URI '{}' referenced by previous URI '{outer}'",
                    spec.raw
                ),
            )
            .at(entry.origin)
            .help("a remote base must not include itself, directly or through its bases"));
        }
        let checkout = self
            .remote
            .checkout(spec, &walk.lock)
            .map_err(|d| d.at(entry.origin))?;
        walk.pins.push((spec.clone(), checkout.pin.clone()));
        let at = format!("'{}' at commit {}", checkout.pin.url, checkout.pin.commit);
        let dir = canonical(&checkout.root.join(&spec.kust_root_path)).map_err(|_| {
            Diag::error(
                "kit::remote::no-directory",
                format!("{at} has no directory '{}'", spec.kust_root_path),
            )
            .at(entry.origin)
            .help(
                "check the path after the repository in the URL (`repo//path` or `repo.git/path`)",
            )
        })?;
        // A symbolic link in the repository may point out of it.
        if !dir.starts_with(&checkout.root) {
            return Err(Diag::error(
                "kit::remote::outside-repo",
                format!(
                    "'{}' of {at} refers to a directory outside of the repository",
                    spec.kust_root_path
                ),
            )
            .at(entry.origin)
            .help("a remote base must be a directory inside its repository"));
        }
        if !dir.is_dir() {
            return Err(Diag::error(
                "kit::remote::not-a-directory",
                format!(
                    "'{}' of {at} is a file; expecting a directory",
                    spec.kust_root_path
                ),
            )
            .at(entry.origin)
            .help("a remote base is a directory with a kustomization; list a single file by path after vendoring it"));
        }
        Ok(dir)
    }

    /// A `helmCharts` entry's chart from its repository or registry (kit's cache and the
    /// root's lock), recorded for `kit update`.
    fn fetch_chart(&self, h: &kustomization::HelmChart, walk: &mut Walk) -> Result<PathBuf> {
        let (repo, what) = match h.repo.strip_prefix("oci://") {
            Some(_) => (
                h.repo.trim_end_matches('/').to_string(),
                format!("chart {}/{}", h.repo.trim_end_matches('/'), h.name.value),
            ),
            None => (
                h.repo.clone(),
                format!("chart '{}' of '{}'", h.name.value, h.repo),
            ),
        };
        let request = remote::ChartRequest {
            repo,
            name: h.name.value.clone(),
            constraint: h.version.clone(),
            what,
            ..remote::ChartRequest::default()
        };
        let fetched = self
            .remote
            .chart(&request, &walk.lock)
            .map_err(|d| d.at(h.name.origin))?;
        walk.charts.push(fetched.pin);
        Ok(fetched.archive)
    }

    /// Resolves a directory entry and checks it does not loop back into the build.
    fn directory_entry(
        &self,
        k: &Kustomization,
        entry: &transform::Setting,
        stack: &[PathBuf],
    ) -> Result<PathBuf> {
        refuse_remote(entry)?;
        if stack.len() >= MAX_NESTING {
            return Err(Diag::error(
                "kit::kustomization::too-deep",
                format!("kustomizations nest more than {MAX_NESTING} levels deep here"),
            )
            .at(entry.origin)
            .help(format!(
                "kit builds at most {MAX_NESTING} levels of bases and components; flatten the chain"
            )));
        }
        let dir = canonical(&k.dir.join(&entry.value))
            .map_err(|d| load::in_kustomization(d, &k.dir, &entry.value).at(entry.origin))?;
        if let Some(repo) = self.remote.containing_checkout(&k.dir) {
            if !dir.starts_with(&repo) {
                return Err(Diag::error(
                    "kit::remote::outside-repo",
                    format!(
                        "security; bases in kustomizations found in cloned git repos must be within the repo, but base '{}' is outside '{}'",
                        crate::source::display_path(&dir),
                        crate::source::display_path(&repo)
                    ),
                )
                .at(entry.origin)
                .help(format!(
                    "a remote base can use other directories of its own repository only (this one is {})",
                    self.remote.describe(&repo).unwrap_or_else(|| "in the cache".to_string())
                )));
            }
        }
        if stack.contains(&dir) {
            return Err(Diag::error(
                "kit::kustomization::cycle",
                format!(
                    "cycle detected: '{}' is already being built",
                    crate::source::display_path(&dir)
                ),
            )
            .at(entry.origin)
            .help("a kustomization must not include itself, directly or through its bases"));
        }
        if let Some(parent) = stack.iter().find(|s| s.starts_with(&dir)) {
            return Err(Diag::error(
                "kit::kustomization::cycle",
                format!(
                    "cycle detected: candidate root '{}' contains visited root '{}'",
                    crate::source::display_path(&dir),
                    crate::source::display_path(parent)
                ),
            )
            .at(entry.origin)
            .help("a base must not be a parent directory of the kustomization that uses it"));
        }
        Ok(dir)
    }

    /// Renders a `helmCharts` entry with `kit template`'s engine. The chart is
    /// `<chartHome>/<name>`, or `<chartHome>/<name>-<version>/<name>` when `repo` and
    /// `version` are both set (where kustomize v5 pulls it); when that directory does not
    /// exist and `repo` is set, the chart comes from the repository (or `oci://` registry)
    /// through kit's cache and the root's `kit.lock`, and nothing is written under the
    /// kustomization.
    fn inflate_chart(
        &self,
        k: &Kustomization,
        h: &kustomization::HelmChart,
        walk: &mut Walk,
    ) -> Result<Resources> {
        let home = k.chart_home.as_ref().map_or("charts", |s| s.value.as_str());
        let rel = if !h.repo.is_empty() && !h.version.is_empty() {
            Path::new(home)
                .join(format!("{}-{}", h.name.value, h.version))
                .join(&h.name.value)
        } else {
            Path::new(home).join(&h.name.value)
        };
        let dir = k.dir.join(&rel);
        let remote = !dir.is_dir() && !h.repo.is_empty();
        if !dir.is_dir() && !remote {
            return Err(Diag::error(
                "kit::kustomization::helm-chart",
                format!("no chart found at '{}'", crate::source::display_path(&dir)),
            )
            .at(h.name.origin)
            .help(format!(
                "put the chart (unpacked) in {}, or name its repository with `repo:`; chartHome is set with helmGlobals.chartHome",
                crate::source::display_path(&dir)
            )));
        }
        // The chart (a directory under the kustomization, or an archive in the cache) and,
        // for an archive, its own values.yaml (kustomize reads the pulled chart's).
        let (chart, chart_values) = if remote {
            let archive = self.fetch_chart(h, walk)?;
            let chart = crate::chart::load(&self.loader, &archive).map_err(|d| {
                let mut d = d;
                d.message = format!("helmCharts {}: {}", h.name.value, d.message);
                d.at(h.name.origin)
            })?;
            let values = chart.values.clone();
            (chart, Some(values))
        } else {
            let chart_entry = transform::Setting {
                value: rel.to_string_lossy().to_string(),
                origin: h.name.origin,
            };
            let dir = self.restricted_file(k, &chart_entry)?;
            let chart = crate::chart::load(&self.loader, &dir).map_err(|d| {
                let mut d = d;
                d.message = format!("helmCharts {}: {}", h.name.value, d.message);
                d.at(h.name.origin)
            })?;
            (chart, None)
        };
        let values_entry = h.values_file.clone().unwrap_or_else(|| transform::Setting {
            value: rel.join("values.yaml").to_string_lossy().to_string(),
            origin: h.origin,
        });
        let values_path = k.dir.join(&values_entry.value);
        let inline = match &h.values_inline {
            Some(node) if node.as_map().is_some_and(|m| !m.is_empty()) => Some(node),
            Some(node) if node.as_map().is_none() && !node.is_null() => {
                return Err(Diag::error(
                    "kit::kustomization::helm-chart",
                    "valuesInline must be a mapping",
                )
                .at(node.origin))
            }
            _ => None,
        };
        let go = !crate::chart::is_jinja(&chart);
        // kustomize hands helm a values file: without valuesInline a copy of the values file
        // (the chart's own by default), which helm reads as it reads any `-f`; with it, that
        // file and valuesInline merged by kyaml (YAML 1.2, a `null` removing what it meets).
        let values = match (inline, chart_values) {
            (None, Some(values)) if h.values_file.is_none() => values,
            (None, _) if h.values_file.is_none() && go => chart.values.clone(),
            (None, _) if h.values_file.is_none() && !values_path.exists() => serde_json::Map::new(),
            (None, _) => {
                let loaded = self.load_named(k, &values_entry, &walk.lock, &mut walk.files)?;
                let text = self.loader.sources.get(loaded.file).map(|f| f.text.clone());
                match text {
                    Some(text) if go => {
                        let decoded = crate::chart::gorender::decode_values(&text);
                        crate::chart::gorender::helm_values_or_error(
                            &self.loader,
                            &values_path,
                            &text,
                            decoded,
                        )
                        .map_err(|d| d.at(values_entry.origin))?
                    }
                    _ => crate::chart::load::values_of(loaded.docs.first().cloned())
                        .map_err(|d| d.at(values_entry.origin))?,
                }
            }
            (Some(inline), chart_values) => {
                let file = match chart_values {
                    // A pulled chart's values.yaml (as read with the chart).
                    Some(values) if h.values_file.is_none() => {
                        Some(crate::emit::from_json(&serde_json::Value::Object(values)))
                    }
                    _ if h.values_file.is_some() || values_path.exists() => {
                        let loaded =
                            self.load_named(k, &values_entry, &walk.lock, &mut walk.files)?;
                        loaded.docs.first().cloned()
                    }
                    _ => None,
                };
                let file = file.unwrap_or_else(|| {
                    crate::model::Node::new(crate::model::Value::Map(Vec::new()), None)
                });
                let mut inline = inline.clone();
                read_as_yaml11(&mut inline, &self.loader.sources);
                let inline = &inline;
                let merged = match h.values_merge.as_str() {
                    "replace" => inline.clone(),
                    // kyaml's merge2: the second tree is patched by the first.
                    "merge" => kyaml_merge(inline.clone(), &file)?,
                    _ => kyaml_merge(file, inline)?,
                };
                crate::chart::load::values_of(Some(merged))
                    .map_err(|d| d.at(values_entry.origin))?
            }
        };
        let mut files = Vec::new();
        for f in &h.additional_values_files {
            if remote::repospec::is_http_url(&f.value) {
                // kustomize downloads it, then hands helm the URL joined to the
                // kustomization's directory as a local path, which helm cannot open.
                return Err(Diag::error(
                    "kit::kustomization::helm-chart",
                    format!("could not read additionalValuesFile '{}': kustomize v5.8.1 accepts only a local file here", f.value),
                )
                .at(f.origin)
                .help("download the file next to the kustomization, or name it in `valuesFile`, which may be a URL"));
            }
            files.push(self.restricted_file(k, f)?);
        }
        // kustomize hands helm the release name and the name template both; helm refuses that.
        let release_name = match (&h.name_template, h.release_name.as_str()) {
            (Some(t), "") => {
                crate::chart::name_from_template(&t.value).map_err(|d| d.at(t.origin))?
            }
            (Some(t), _) => {
                return Err(Diag::error(
                    "kit::kustomization::helm-chart",
                    "cannot set --name-template and also specify a name (this entry has both nameTemplate and releaseName)",
                )
                .at(t.origin)
                .help("keep one: kubectl kustomize passes both to helm, which refuses them together"));
            }
            (None, "") => "release-name".to_string(),
            (None, name) => name.to_string(),
        };
        let opts = crate::chart::RenderOptions {
            release_name,
            // kustomize's: the entry's, else the kustomization's, else the nearest one above
            // it (kustomize 5.8); with none, helm finds its own ($HELM_NAMESPACE, the
            // kubeconfig's context, `default`).
            namespace: [h.namespace.clone(), namespace_of(k)]
                .into_iter()
                .chain(walk.namespaces.iter().rev().cloned())
                .find(|ns| !ns.is_empty())
                .unwrap_or_else(|| crate::cluster::helm_namespace(None, None, None)),
            // kustomize's --helm-kube-version and --helm-api-versions apply where the entry
            // sets none (what kubectl 1.37 does, whatever kustomize's source suggests).
            kube_version: Some(h.kube_version.clone())
                .filter(|v| !v.is_empty())
                .or_else(|| self.options.helm_kube_version.clone())
                .filter(|v| !v.is_empty()),
            api_versions: if h.api_versions.is_empty() {
                self.options.helm_api_versions.clone()
            } else {
                h.api_versions.clone()
            },
            helm: self.options.helm_version,
            strict: false,
            include_crds: h.include_crds,
            is_upgrade: false,
            lint: false,
            skip_schema_validation: false,
            // A kustomization may inflate many charts in one build.
            process_ends_after: false,
            // kustomize reads the chart's output with yaml.v3, which refuses a repeated key
            // that `helm template` prints.
            repeated_keys: crate::load::yaml::DuplicateKeys::Error,
            // Findings on the built objects (kit lint, validate) point into the templates.
            template_origins: true,
            values: crate::chart::output::ValueSources {
                inline: Some(values),
                files,
                ..Default::default()
            },
        };
        let rendered =
            crate::chart::output::render_chart(&self.loader, chart, &opts).map_err(|d| {
                let mut d = d;
                d.message = format!("helmCharts {}: {}", h.name.value, d.message);
                d.at(h.name.origin)
            })?;
        for w in &rendered.warnings {
            self.warn(w.clone());
        }
        let is_test = |d: &&crate::chart::output::Doc| {
            d.hook_events
                .iter()
                .any(|e| e == "test" || e == "test-success")
        };
        let hooks = rendered
            .hooks
            .iter()
            .filter(|d| !h.skip_hooks && (!h.skip_tests || !is_test(d)));
        // kustomize reads helm's output: a CRD file that is not YAML fails there.
        rendered
            .check_crds_read()
            .map_err(|d| d.at(h.name.origin))?;
        Ok(rendered
            .crds
            .iter()
            .chain(&rendered.manifests)
            .chain(hooks)
            .flat_map(|d| d.resources.iter().cloned())
            .map(|mut r| {
                r.helm_generated = true;
                r
            })
            .collect())
    }

    /// A file a kustomization names, downloaded when it is an HTTP(S) URL (kustomize's
    /// `FileLoader.Load` downloads any such path, wherever a file is read, and holds it to no
    /// load restrictor): through the cache and the root's lock like a remote resource, and
    /// recorded in `files` for `kit update` and `kit vendor`. `None` for a path.
    fn download(
        &self,
        entry: &transform::Setting,
        lock: &Lock,
        files: &mut Vec<HttpPin>,
    ) -> Result<Option<Vec<u8>>> {
        if !remote::repospec::is_http_url(&entry.value) {
            return Ok(None);
        }
        let fetched = self
            .remote
            .http_file(&entry.value, lock)
            .map_err(|d| d.at(entry.origin))?;
        match fetched {
            HttpFile::Body { bytes, pin } => {
                files.push(pin);
                Ok(Some(bytes))
            }
            // kustomize answers a git URL that is no file so, and tries nothing else here.
            HttpFile::Status(code) if RepoSpec::parse(&entry.value).is_ok() => Err(Diag::error(
                "kit::remote::http",
                format!(
                    "'{}' answered HTTP status {code}: URL is a git repository",
                    entry.value
                ),
            )
            .at(entry.origin)
            .help("a file must be a URL that serves it; a git repository is accepted only as a base in `resources`, `components` or `bases`")),
            HttpFile::Status(code) => Err(Diag::error(
                "kit::remote::http",
                format!("HTTP Error: status code {code} from '{}'", entry.value),
            )
            .at(entry.origin)
            .help("check the URL: it must serve the file itself")),
        }
    }

    /// The bytes of a file a kustomization names: downloaded (see [`Builder::download`]) or
    /// read, held to the load restrictor.
    fn read_named(
        &self,
        k: &Kustomization,
        entry: &transform::Setting,
        lock: &Lock,
        files: &mut Vec<HttpPin>,
    ) -> Result<Vec<u8>> {
        if let Some(bytes) = self.download(entry, lock, files)? {
            return Ok(bytes);
        }
        let file = self.restricted_file(k, entry)?;
        self.loader
            .read_bytes(&file)
            .map_err(|d| d.at(entry.origin))
    }

    /// The YAML documents of a file a kustomization names, downloaded or read (see
    /// [`Builder::read_named`]).
    fn load_named(
        &self,
        k: &Kustomization,
        entry: &transform::Setting,
        lock: &Lock,
        files: &mut Vec<HttpPin>,
    ) -> Result<Arc<load::Loaded>> {
        if let Some(bytes) = self.download(entry, lock, files)? {
            return self.load_downloaded(entry, bytes);
        }
        let file = self.restricted_file(k, entry)?;
        self.loader.load(&file).map_err(|d| d.at(entry.origin))
    }

    /// Parses a downloaded file under its URL (so that an error in it names the URL, not
    /// the cache).
    fn load_downloaded(
        &self,
        entry: &transform::Setting,
        bytes: Vec<u8>,
    ) -> Result<Arc<load::Loaded>> {
        let url = Path::new(&entry.value);
        // An error inside the file points into it: say which entry downloaded it.
        let named_at = |mut d: Diag| {
            if let Some(at) = entry.origin.filter(|_| d.origin.is_some()) {
                let note = format!("downloaded for {}", self.loader.sources.describe(at));
                d.help = Some(match d.help.take() {
                    Some(help) => format!("{help} ({note})"),
                    None => note,
                });
            }
            d.at(entry.origin)
        };
        let text = String::from_utf8(bytes)
            .map_err(|e| load::not_utf8(url, e.as_bytes(), e.utf8_error()).at(entry.origin))?;
        self.loader.load_text(url, text).map_err(named_at)
    }

    /// A file named by a kustomization, held to the load restrictor.
    fn restricted_file(&self, k: &Kustomization, entry: &transform::Setting) -> Result<PathBuf> {
        let path = canonical(&k.dir.join(&entry.value))
            .map_err(|d| load::in_kustomization(d, &k.dir, &entry.value).at(entry.origin))?;
        // Inside a remote base the restriction always holds (kustomize: "clones never
        // allowed to escape root").
        let remote = self.remote.containing_checkout(&k.dir);
        if self.restrictor == LoadRestrictor::RootOnly || remote.is_some() {
            let root = canonical(&k.dir)?;
            if !path.starts_with(&root) {
                return Err(Diag::error(
                    "kit::load::outside-root",
                    format!(
                        "security; file '{}' is not in or below '{}'",
                        crate::source::display_path(&path),
                        crate::source::display_path(&root)
                    ),
                )
                .at(entry.origin)
                .help(match remote.and_then(|r| self.remote.describe(&r)) {
                    Some(base) => format!("this kustomization is in the remote base {base}: a remote base reads files in or below its kustomization's directory only, whatever `--load-restrictor` says"),
                    None => "move the file under the kustomization's directory, or pass `--load-restrictor LoadRestrictionsNone`".to_string(),
                }));
            }
        }
        Ok(path)
    }
}

/// One thing to render, as a root argument expands to (see [`Builder::inputs`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
    Kustomization(PathBuf),
}

impl Input {
    /// The path as the user should read it.
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File(p) | Input::Kustomization(p) => crate::source::display_path(p),
        }
    }
}

/// The manifest files of a plain directory: every .yaml/.yml/.json file under it that is
/// not hidden, in path order, not following symbolic links.
pub fn manifest_files(dir: &Path) -> Result<Vec<PathBuf>> {
    Ok(files_of(walk_plain_directory(dir, false)?.inputs))
}

fn files_of(inputs: Vec<Input>) -> Vec<PathBuf> {
    inputs
        .into_iter()
        .filter_map(|i| match i {
            Input::File(p) => Some(p),
            _ => None,
        })
        .collect()
}

/// What a plain directory holds: its inputs, and the symbolic links named like manifests
/// that were not followed.
struct PlainWalk {
    inputs: Vec<Input>,
    links: Vec<PathBuf>,
}

/// [`manifest_files`] as inputs; with `render_roots`, a directory below `dir` that holds a
/// kustomization or a chart is one input, and its files are not walked.
fn walk_plain_directory(dir: &Path, render_roots: bool) -> Result<PlainWalk> {
    let mut inputs = Vec::new();
    let mut links = Vec::new();
    let mut walk = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    while let Some(entry) = walk.next() {
        let entry = entry.map_err(|e| {
            Diag::error("kit::load::walk", e.to_string()).path(crate::source::display_path(dir))
        })?;
        let p = entry.path();
        if entry.file_type().is_dir() {
            let root = entry.depth() > 0
                && render_roots
                && (kustomization::find_file(p)?.is_some() || p.join("Chart.yaml").is_file());
            if root {
                inputs.push(Input::Kustomization(p.to_path_buf()));
                walk.skip_current_dir();
            }
            continue;
        }
        let manifest = matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        );
        if entry.file_type().is_file() && manifest {
            inputs.push(Input::File(p.to_path_buf()));
        } else if manifest && entry.file_type().is_symlink() {
            links.push(p.to_path_buf());
        } else if manifest {
            // A named pipe or device named like a manifest: refused, not silently skipped.
            let meta = entry.metadata().map_err(|e| {
                Diag::error("kit::load::walk", e.to_string()).path(crate::source::display_path(p))
            })?;
            load::check_regular(p, &meta)?;
        }
    }
    Ok(PlainWalk { inputs, links })
}

/// A file's resources as a layer takes them (their kinds noted for the schema state).
fn file_resources(resources: Vec<Resource>, walk: &mut Walk) -> Accumulated {
    for r in &resources {
        walk.schema.saw_kind(&r.gvk());
    }
    Accumulated {
        resources,
        ..Accumulated::default()
    }
}

/// kustomize's `Origin.Append`: where an entry of the kustomization at `base` is. A git
/// URL (a remote base, or a downloaded file that reads as one) starts over in its
/// repository; anything else is joined to the directory.
fn origin_of(base: &buildmeta::Origin, entry: &str) -> buildmeta::Origin {
    let Ok(spec) = RepoSpec::parse(entry) else {
        return base.joined(entry);
    };
    // kustomize takes the path out of the repository's directory before the clone, which
    // is `/notCloned`; a base at the repository's root is therefore `notCloned`.
    let abs = buildmeta::join("/notCloned", &spec.kust_root_path);
    let rest = abs.get(1..).unwrap_or_default();
    let path = match rest.find('/') {
        Some(i) => abs.get(i + 2..).unwrap_or_default(),
        None => rest,
    };
    buildmeta::Origin {
        path: buildmeta::join("", path),
        repo: spec.clone_spec(),
        reference: spec.git_ref,
        ..buildmeta::Origin::default()
    }
}

/// Whether an HTTP(S) URL that parses as a git URL is taken for a repository without
/// downloading it first: it says so (`//`, `.git`, `_git/` after the host, or a `ref`), or the
/// lock pins it as a repository and not as a file. (kustomize downloads every HTTP URL
/// first; a git URL of these forms answers with no YAML, so the result is the same, without
/// the request.)
fn plainly_git(url: &str, spec: &RepoSpec, lock: &Lock) -> bool {
    let path = url.split_once('?').map_or(url, |(p, _)| p);
    let after_scheme = path.split_once("://").map_or(path, |(_, rest)| rest);
    after_scheme.contains("//")
        || after_scheme.contains(".git")
        || after_scheme.contains("_git/")
        || !spec.git_ref.is_empty()
        || (lock.find_http(url).is_none() && lock.find(&spec.clone_spec(), &spec.git_ref).is_some())
}

/// Refuses an entry that looks like a URL but is not a git URL kit (and kustomize) can
/// fetch, where a local path is expected.
fn refuse_remote(entry: &transform::Setting) -> Result<()> {
    let v = entry.value.as_str();
    let remote = v.contains("://")
        || v.starts_with("git@")
        || v.starts_with("github.com/")
        || v.contains(".git//")
        || v.contains("?ref=");
    if remote {
        let why = RepoSpec::parse(v)
            .err()
            .unwrap_or_else(|| "not here".to_string());
        return Err(Diag::error(
            "kit::load::remote",
            format!("'{v}' looks like a URL, but kit cannot fetch it here ({why})"),
        )
        .at(entry.origin)
        .help("remote bases are git URLs in `resources`, `components` or `bases` (`https://host/org/repo//dir?ref=v1`); a file may be an http(s):// URL wherever kustomize reads one; vendor other remote files into the repository"));
    }
    Ok(())
}

/// A root argument that names a git repository (kustomize's URL forms) and no local path.
fn remote_root(root: &Path) -> Option<(&str, RepoSpec)> {
    let text = root.to_str()?;
    if root.exists() {
        return None;
    }
    RepoSpec::parse(text).ok().map(|spec| (text, spec))
}

/// A kustomize Kustomization or Component object (kustomize's group, or no apiVersion, as a
/// kustomization file may omit it; Flux's `Kustomization` is another group and a resource).
fn is_kustomization_object(doc: &crate::model::Node) -> bool {
    let text = |key: &str| doc.get(key).and_then(|v| v.scalar_text());
    matches!(text("kind").as_deref(), Some("Kustomization" | "Component"))
        && text("apiVersion")
            .is_none_or(|v| v.is_empty() || v.starts_with("kustomize.config.k8s.io/"))
}

/// A directory without a kustomization file whose `file` holds a Kustomization: kustomize
/// refuses the directory, and rendering it as plain manifests would print the
/// Kustomization itself as a resource.
fn misnamed_kustomization(dir: &Path, file: &Path, doc: &crate::model::Node) -> Diag {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Diag::error(
        "kit::kustomization::misnamed",
        format!(
            "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{}'",
            crate::source::display_path(dir)
        ),
    )
    .at(doc.origin)
    .help(format!(
        "did you mean kustomization.yaml? `{name}` holds a kustomization, but kustomize and kit read only kustomization.yaml, kustomization.yml or Kustomization: rename it"
    ))
}

/// Canonical path (symlinks resolved): errors on missing paths and symlink loops.
pub fn canonical(path: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(path).map_err(|e| load::io_error(&normalize(path), &e))
}

/// Removes `.` and `..` lexically, for messages.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The canonical ids of resources appended so far, with their positions (so that checking a
/// new resource for a duplicate is a lookup, not a scan).
#[derive(Default)]
struct IdIndex(HashMap<crate::model::ResId, usize>);

impl IdIndex {
    fn of(resources: &[Resource]) -> Self {
        IdIndex(
            resources
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id().canonical(), i))
                .collect(),
        )
    }
}

/// Appends resources, refusing two with the same id (kustomize's `AppendAll`). `seen` indexes
/// `acc` and is kept up to date.
fn append_all(
    acc: &mut Resources,
    seen: &mut IdIndex,
    more: Resources,
    origin: Option<crate::source::Origin>,
) -> Result<()> {
    for r in more {
        let id = r.id();
        let key = id.canonical();
        if let Some(&at) = seen.0.get(&key) {
            let existing = &acc[at];
            return Err(Diag::error(
                "kit::kustomization::duplicate-resource",
                format!(
                    "may not add resource with an already registered id: {}",
                    id.describe()
                ),
            )
            .at(r.node.origin.or(origin))
            .help(format!(
                "the same object is already included (from {}); include it once",
                existing.node.origin.map_or_else(
                    || "another file".to_string(),
                    |_| "an earlier entry".to_string()
                )
            )));
        }
        seen.0.insert(key, acc.len());
        acc.push(r);
    }
    Ok(())
}

/// A layer's patches, loaded.
#[derive(Default)]
struct LayerPatches {
    strategic_merge: Vec<crate::model::Node>,
    entries: Vec<transform::patches::PatchEntry>,
    json6902: Vec<(
        transform::select::Selector,
        crate::patch::json6902::Json6902Patch,
    )>,
}

/// This layer's built-in transformers, in kustomize's order. While origins are tracked,
/// `configured_in` is the kustomization file (relative to the root) and every transformer
/// instance kustomize would configure is recorded on every resource after it runs.
fn run_transformers(
    k: &Kustomization,
    acc: &mut Vec<Resource>,
    d: &TransformerConfig,
    patches: &LayerPatches,
    replacements: &[transform::replacements::Replacement],
    schema: &mut BuildSchema,
    configured_in: Option<&buildmeta::Origin>,
) -> Result<()> {
    let record = |acc: &mut Vec<Resource>, kind: &str| match configured_in {
        Some(file) => {
            buildmeta::record_transformation(acc, &buildmeta::Origin::builtin(file, kind))
        }
        None => Ok(()),
    };
    if !k.patches_strategic_merge.is_empty() {
        transform::patches::apply_strategic_merge_list(acc, &patches.strategic_merge, schema)?;
        record(acc, "PatchStrategicMergeTransformer")?;
    }
    for entry in &patches.entries {
        transform::patches::apply_entry(acc, entry, schema)?;
        record(acc, "PatchTransformer")?;
    }
    if let Some(ns) = &k.namespace {
        transform::namespace::apply(acc, ns, &d.namespace, &|gvk| schema.is_cluster_scoped(gvk))?;
        if !ns.value.is_empty() {
            record(acc, "NamespaceTransformer")?;
        }
    }
    if let Some(p) = k.name_prefix.as_ref().filter(|p| !p.value.is_empty()) {
        transform::names::prefix(acc, p, &d.name_prefix)?;
        record(acc, "PrefixTransformer")?;
    }
    if let Some(s) = k.name_suffix.as_ref().filter(|s| !s.value.is_empty()) {
        transform::names::suffix(acc, s, &d.name_suffix)?;
        record(acc, "SuffixTransformer")?;
    }
    for set in &k.labels {
        let mut specs = set.field_specs.clone();
        let merged = (|| {
            fieldspec::merge_all(&mut specs, &d.labels)?;
            if set.include_selectors {
                fieldspec::merge_all(&mut specs, &d.common_labels)
            } else {
                if set.include_templates {
                    fieldspec::merge_all(&mut specs, &d.template_labels)?;
                }
                fieldspec::merge_all(
                    &mut specs,
                    &[fieldspec::FieldSpec::new("metadata/labels", true)],
                )
            }
        })();
        merged.map_err(|d| d.at(set.origin))?;
        transform::labels::apply_pairs(acc, &set.pairs, &specs)?;
        record(acc, "LabelTransformer")?;
    }
    transform::labels::apply_pairs(acc, &k.common_labels, &d.common_labels)?;
    // kustomize configures a label transformer for `commonLabels` whenever the layer has
    // labels of either kind.
    if !k.labels.is_empty() || !k.common_labels.is_empty() {
        record(acc, "LabelTransformer")?;
    }
    transform::labels::apply_pairs(acc, &k.common_annotations, &d.common_annotations)?;
    if !k.common_annotations.is_empty() {
        record(acc, "AnnotationsTransformer")?;
    }
    for (target, ops) in &patches.json6902 {
        transform::patches::apply_json6902_entry(acc, target, ops)?;
        record(acc, "PatchJson6902Transformer")?;
    }
    for replica in &k.replicas {
        transform::replicas::apply(acc, replica, &d.replicas)?;
        record(acc, "ReplicaCountTransformer")?;
    }
    for image in &k.images {
        transform::images::apply(acc, image, &d.images)?;
        record(acc, "ImageTagTransformer")?;
    }
    if !replacements.is_empty() {
        transform::replacements::apply(acc, replacements)?;
        record(acc, "ReplacementTransformer")?;
    }
    Ok(())
}

/// kustomize's `merge2.Merge(patch, target)` on two values trees (no schema: lists are
/// replaced; a `null` in `patch` removes the key from `target`).
fn kyaml_merge(
    mut target: crate::model::Node,
    patch: &crate::model::Node,
) -> Result<crate::model::Node> {
    crate::patch::smp::strategic_merge_with(
        &crate::openapi::SchemaSet::default(),
        &mut target,
        patch,
    )?;
    Ok(target)
}

/// The plain scalars of `node` as go-yaml v2 reads them (YAML 1.1): kustomize reads the
/// kustomization with sigs.k8s.io/yaml, so in `valuesInline` `yes` is true and `0777` is
/// 511. A quoted, block or tagged scalar keeps its value; the source says which it is.
fn read_as_yaml11(node: &mut crate::model::Node, sources: &crate::source::SourceMap) {
    use crate::model::Value;
    match &mut node.value {
        Value::Map(entries) => entries
            .iter_mut()
            .for_each(|(_, v)| read_as_yaml11(v, sources)),
        Value::Seq(items) => items.iter_mut().for_each(|v| read_as_yaml11(v, sources)),
        _ => {
            let Some(origin) = node.origin else { return };
            let Some(file) = sources.get(origin.file) else {
                return;
            };
            let Some(text) = file.text.get(origin.start as usize..origin.end as usize) else {
                return;
            };
            let plain = !text.is_empty()
                && !text.contains('\n')
                && !text.starts_with(['"', '\'', '|', '>', '!', '&', '*']);
            if plain {
                node.value = crate::gotmpl::funcs::helm_data::plain_scalar_v2(text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_follow_kustomize_into_remote_bases() {
        let root = buildmeta::Origin::default();
        let base = origin_of(&root, "https://host/org/repo//deploy/base?ref=v1");
        assert_eq!(
            (
                base.path.as_str(),
                base.repo.as_str(),
                base.reference.as_str()
            ),
            ("deploy/base", "https://host/org/repo", "v1")
        );
        // A base at the repository's root: kustomize's placeholder clone directory.
        assert_eq!(
            origin_of(&root, "https://host/org/repo?ref=v1").path,
            "notCloned"
        );
        assert_eq!(origin_of(&root, "https://host/org/repo//a/../b").path, "b");
        // Inside the base, paths join and the repository stays.
        let file = origin_of(&base, "../common/cm.yaml");
        assert_eq!(
            (
                file.path.as_str(),
                file.repo.as_str(),
                file.reference.as_str()
            ),
            ("deploy/common/cm.yaml", "https://host/org/repo", "v1")
        );
        // A URL that is no git URL is joined like a path (Go's filepath.Join cleans `//`).
        assert_eq!(
            origin_of(&root, "https://host/cm.yaml").path,
            "https:/host/cm.yaml"
        );
        assert_eq!(origin_of(&root, "./deploy.yaml").path, "deploy.yaml");
    }
}
