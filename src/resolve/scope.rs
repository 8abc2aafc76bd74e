//! What `kit lint` renders for the paths it is given, inside a repository: the answer to
//! "which renders does this file take part in?".
//!
//! A kustomization or chart directory named on the command line is rendered as it is. For a
//! plain directory or a file, kit first surveys the repository the path is in (the nearest
//! directory above it with `.git`, else the working directory): every kustomization and
//! chart directory in it is rendered with a loader of its own, which records the files the
//! render reads (resources, patches, generator inputs, bases and components, a chart's
//! templates and values). Then:
//!
//! - a file or directory that some render reads is linted through the outermost renders
//!   that read it (the overlays: renders no other render includes), never alone, so a patch
//!   file (a partial Deployment) is not mistaken for a whole object;
//! - a Component is only ever linted through the kustomizations that include it;
//! - a file no render reads is linted on its own when it is a `.yaml`, `.yml` or `.json`
//!   file holding a Kubernetes object (a mapping with a `kind`), and skipped
//!   otherwise, with a note for a YAML or JSON file that holds no object (a
//!   GitHub workflow, a compose file, a values file, `.kit.yaml`), as kube-linter does
//!   unless `--fail-on-invalid-resource`. A file that does not parse is an error only when
//!   it has an `apiVersion` or `kind` key.
//!
//! Renders of the survey that no path leads to are not linted, and their errors are not
//! reported: a broken fixture elsewhere in the repository does not fail `kit lint app/`.
//!
//! A directory is walked as kube-linter walks it: every kustomization and chart below it is
//! rendered, and one that fails is an input error (a broken overlay must fail CI). Paths that
//! `.kit.yaml`'s `lint.exclude` matches are left out of the walk (as kube-linter's
//! `--ignore-paths`): a chart scaffold or a fixture that is not meant to render. A path named
//! on the command line is linted whatever `exclude` says. A render found by the walk that
//! fails says so in its help, with the `exclude` line that leaves it out.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::{canonical, kustomization, Builder};
use crate::config::Globs;
use crate::diag::{Diag, Result};
use crate::load::{self, Loader};
use crate::model::Node;
use crate::source::display_path;
use crate::transform::Resources;

/// What one lint run checks as one render: its objects, and the inputs of it that failed to
/// load (the rest is still linted).
#[derive(Debug, Default)]
pub struct Piece {
    pub resources: Resources,
    pub errors: Vec<Diag>,
}

/// The pieces to lint, in the order of the paths given, each render once, and notes for the
/// user (files skipped, files linted through the renders that include them).
#[derive(Debug, Default)]
pub struct Plan {
    pub pieces: Vec<Piece>,
    pub notes: Vec<String>,
}

/// A kustomization or chart directory of a repository, rendered with its own loader.
struct Render {
    /// Canonical.
    dir: PathBuf,
    /// Its kustomization file or `Chart.yaml` (canonical): what an including render reads.
    file: Option<PathBuf>,
    component: bool,
    /// Canonical paths of every file the render read.
    reads: HashSet<PathBuf>,
    result: Result<Resources>,
}

/// Every render of one repository, and which of them another render includes.
struct Survey {
    renders: Vec<Render>,
    included: Vec<bool>,
}

/// How a path is covered by the renders of its repository.
enum Cover {
    /// No render reads it.
    Alone,
    /// Lint these renders (indexes into the survey).
    Renders(Vec<usize>),
    /// Only Components read it, and no kustomization includes them.
    OrphanComponents(Vec<usize>),
}

/// A directory that holds a kustomization (`Ok(Some(file))`; `Err` when it holds several)
/// or a chart (`Ok(Some(Chart.yaml))`), or neither.
fn render_file(dir: &Path) -> Result<Option<PathBuf>> {
    match kustomization::find_file(dir)? {
        Some(file) => Ok(Some(file)),
        None => {
            let chart = dir.join("Chart.yaml");
            Ok(chart.is_file().then_some(chart))
        }
    }
}

fn is_hidden(entry: &walkdir::DirEntry) -> bool {
    entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.')
}

impl Survey {
    /// Finds every kustomization directory (descending into them: a kustomization may hold
    /// others it does not include) and chart directory (not descending: its subcharts are
    /// the chart's) under `root`, and renders each.
    fn new(root: &Path, loader: &Loader, template: &Builder) -> Self {
        let mut dirs = Vec::new();
        let mut walk = walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| !is_hidden(e));
        while let Some(entry) = walk.next() {
            let Ok(entry) = entry else { continue };
            if !entry.file_type().is_dir() {
                continue;
            }
            let dir = entry.path();
            let found = render_file(dir);
            let chart = matches!(&found, Ok(Some(f)) if f.ends_with("Chart.yaml"));
            // Several kustomization files (`Err`) are reported if the directory is linted.
            if found.map_or(true, |f| f.is_some()) {
                dirs.push(dir.to_path_buf());
            }
            if chart {
                walk.skip_current_dir();
            }
        }
        let renders: Vec<Render> = dirs
            .par_iter()
            .filter_map(|dir| {
                let dir = canonical(dir).ok()?;
                Some(Render::new(dir, loader, template))
            })
            .collect();
        let included = renders
            .iter()
            .enumerate()
            .map(|(i, r)| {
                r.file.as_ref().is_some_and(|file| {
                    renders
                        .iter()
                        .enumerate()
                        .any(|(j, other)| j != i && other.reads.contains(file))
                })
            })
            .collect();
        Survey { renders, included }
    }

    /// The renders a canonical path takes part in.
    fn cover(&self, path: &Path) -> Cover {
        let readers: Vec<usize> = (0..self.renders.len())
            .filter(|&i| self.renders[i].reads.contains(path))
            .collect();
        if readers.is_empty() {
            return Cover::Alone;
        }
        let not_component = |i: &usize| !self.renders[*i].component;
        let outermost: Vec<usize> = readers
            .iter()
            .copied()
            .filter(|i| !self.included[*i] && not_component(i))
            .collect();
        if !outermost.is_empty() {
            return Cover::Renders(outermost);
        }
        // Renders that include each other (a cycle, reported when rendered).
        let any: Vec<usize> = readers.iter().copied().filter(not_component).collect();
        if any.is_empty() {
            Cover::OrphanComponents(readers)
        } else {
            Cover::Renders(any)
        }
    }
}

impl Render {
    fn new(dir: PathBuf, loader: &Loader, template: &Builder) -> Self {
        let own = Arc::new(loader.sharing_sources());
        let file = render_file(&dir)
            .ok()
            .flatten()
            .and_then(|f| std::fs::canonicalize(f).ok());
        let component = file
            .as_ref()
            .filter(|f| f.file_name().is_some_and(|n| n != "Chart.yaml"))
            .and_then(|f| own.load_kustomization(f).ok())
            .is_some_and(|k| {
                k.docs
                    .first()
                    .and_then(|d| d.get_str("kind"))
                    .is_some_and(|kind| kind == "Component")
            });
        let builder = like(template, own.clone());
        let result = builder.build_root(&dir, None);
        let reads = own
            .reads()
            .iter()
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .collect();
        Render {
            dir,
            file,
            component,
            reads,
            result,
        }
    }
}

/// A directory as the user should read it (`.` for the working directory itself).
fn shown_dir(dir: &Path) -> String {
    let shown = display_path(dir);
    if shown.is_empty() {
        ".".to_string()
    } else {
        shown
    }
}

/// `.yaml`, `.yml` or `.json`: the files a directory of manifests is made of.
fn is_manifest_name(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// Whether a YAML document is meant as a Kubernetes object: a mapping with a `kind` (one
/// without `apiVersion` is still an object, and a broken one; `Chart.yaml` has an
/// `apiVersion` and no `kind`).
pub fn is_object(doc: &Node) -> bool {
    doc.as_map().is_some() && doc.get("kind").is_some()
}

/// Whether text that does not parse was meant as manifests: a line that starts (after
/// indentation or a list dash) with an `apiVersion` or `kind` key, in YAML or JSON.
fn looks_like_manifest(text: &str) -> bool {
    text.lines().any(|line| {
        let key = line.trim_start_matches([' ', '\t', '-', '{', '[']);
        ["apiVersion:", "kind:", "\"apiVersion\"", "\"kind\""]
            .iter()
            .any(|k| key.starts_with(k))
    })
}

/// A manifest file on its own: its objects, or `None` when it holds no Kubernetes object
/// (no document has a `kind`; or YAML that does not parse and has no `apiVersion` or `kind`
/// key, such as a template of another tool).
pub fn manifest_file(loader: &Loader, path: &Path) -> Result<Option<Resources>> {
    let text = loader.read_text(path)?;
    let manifest_like = looks_like_manifest(&text);
    let owned = match loader.load_text_owned(path, text) {
        Ok(owned) => owned,
        Err(_) if !manifest_like => return Ok(None),
        Err(d) => return Err(d),
    };
    if !owned.docs.iter().any(is_object) {
        return Ok(None);
    }
    load::resources_from_owned_docs(owned.docs).map(Some)
}

/// A builder for one render with `loader`, as `template` builds: its load restrictor, its
/// fetcher of remote inputs (so that `--offline`, `--locked` and `--quiet` hold for every
/// render, and what one render fetched the others reuse), and its warnings (printed once
/// for the run).
fn like(template: &Builder, loader: Arc<Loader>) -> Builder {
    let mut builder = Builder::new(loader, template.restrictor);
    builder.remote = template.remote.clone();
    builder.warnings = template.warnings.clone();
    builder.options = template.options.clone();
    builder
}

/// The paths to lint, resolved as the module documentation says, each render built as
/// `template` builds (see [`like`]). `stdin` is the text read for `-`. Errors of the renders
/// and files that are linted are in their pieces.
pub fn plan(
    loader: &Arc<Loader>,
    template: &Builder,
    roots: &[PathBuf],
    stdin: Option<&str>,
    exclude: Option<&Globs>,
) -> Plan {
    let mut planner = Planner {
        loader,
        template,
        exclude,
        surveys: HashMap::new(),
        linted: HashSet::new(),
        plan: Plan::default(),
    };
    for root in roots {
        planner.root(root, stdin);
    }
    planner.plan
}

struct Planner<'a> {
    loader: &'a Arc<Loader>,
    template: &'a Builder,
    /// `lint.exclude`: paths a directory walk leaves out.
    exclude: Option<&'a Globs>,
    /// Per repository root.
    surveys: HashMap<PathBuf, Survey>,
    /// Render directories already planned (each is linted once).
    linted: HashSet<PathBuf>,
    plan: Plan,
}

impl Planner<'_> {
    fn root(&mut self, root: &Path, stdin: Option<&str>) {
        // Stdin, and a git URL (fetched by the build), are one piece each.
        if root == Path::new("-") || super::remote_root(root).is_some() {
            let builder = like(self.template, self.loader.clone());
            let mut piece = Piece::default();
            match builder.build_root(root, stdin) {
                Ok(r) => piece.resources = r,
                Err(d) => piece.errors.push(d),
            }
            self.plan.pieces.push(piece);
            return;
        }
        let dir = match std::fs::metadata(root) {
            Ok(meta) if meta.is_dir() => match canonical(root) {
                Ok(dir) => Some(dir),
                Err(d) => return self.error(d),
            },
            Ok(_) => None,
            Err(e) => return self.error(load::argument_io_error(root, &e)),
        };
        match dir {
            // A kustomization or chart named on the command line is what the user asked for.
            Some(dir) if render_file(&dir).map_or(true, |f| f.is_some()) => {
                if self.linted.insert(dir.clone()) {
                    let builder = like(self.template, self.loader.clone());
                    let mut piece = Piece::default();
                    match builder.build_root(&dir, None) {
                        Ok(r) => piece.resources = r,
                        Err(d) => piece.errors.push(d),
                    }
                    self.plan.pieces.push(piece);
                }
            }
            Some(dir) => self.plain_directory(&dir),
            None => self.file(root),
        }
    }

    fn error(&mut self, d: Diag) {
        self.plan.pieces.push(Piece {
            resources: Vec::new(),
            errors: vec![d],
        });
    }

    fn survey(&mut self, path: &Path) -> PathBuf {
        let repo = crate::source::repository_root(path);
        if !self.surveys.contains_key(&repo) {
            let survey = Survey::new(&repo, self.loader, self.template);
            self.surveys.insert(repo.clone(), survey);
        }
        repo
    }

    /// Takes the renders out of the survey into pieces (each once). `walked` is the
    /// directory whose walk found them, for the help of a render that fails.
    fn lint_renders(&mut self, repo: &Path, renders: &[usize], walked: Option<&Path>) {
        let Some(survey) = self.surveys.get_mut(repo) else {
            return;
        };
        for &i in renders {
            let render = &mut survey.renders[i];
            if !self.linted.insert(render.dir.clone()) {
                continue;
            }
            let result = std::mem::replace(&mut render.result, Ok(Vec::new()));
            let mut piece = Piece::default();
            match result {
                Ok(r) => piece.resources = r,
                Err(d) => piece.errors.push(match walked {
                    Some(dir) => walk_help(d, dir, &render.dir),
                    None => d,
                }),
            }
            self.plan.pieces.push(piece);
        }
    }

    /// Whether a directory walk leaves `path` out (`lint.exclude` matches it).
    fn excluded(&self, path: &Path) -> bool {
        self.exclude.is_some_and(|globs| globs.matches(path))
    }

    fn names(&self, repo: &Path, renders: &[usize]) -> String {
        let Some(survey) = self.surveys.get(repo) else {
            return String::new();
        };
        renders
            .iter()
            .map(|&i| shown_dir(&survey.renders[i].dir))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A file named on the command line (by a user, or by pre-commit).
    fn file(&mut self, path: &Path) {
        let shown = display_path(path);
        let Ok(canon) = std::fs::canonicalize(path) else {
            return self.error(Diag::error("kit::load::io", "cannot read the file").path(shown));
        };
        let repo = self.survey(&canon);
        let cover = match self.surveys.get(&repo) {
            Some(survey) => survey.cover(&canon),
            None => Cover::Alone,
        };
        match cover {
            // A file no render reads and that is not a manifest by its name (pre-commit may
            // pass every changed file, so that generator inputs lint their kustomization).
            Cover::Alone if !is_manifest_name(path) => return,
            Cover::Alone => {}
            Cover::Renders(renders) => {
                let names = self.names(&repo, &renders);
                let one = renders.len() == 1;
                self.plan.notes.push(format!(
                    "{shown} is linted through {names} (the render{} that read{} it)",
                    if one { "" } else { "s" },
                    if one { "s" } else { "" },
                ));
                return self.lint_renders(&repo, &renders, None);
            }
            Cover::OrphanComponents(renders) => {
                let names = self.names(&repo, &renders);
                self.plan.notes.push(format!(
                    "skipped {shown}: it belongs to the Component {names}, which no kustomization includes"
                ));
                return;
            }
        }
        let mut piece = Piece::default();
        match manifest_file(self.loader, path) {
            Ok(Some(r)) => piece.resources = r,
            Ok(None) => {
                self.plan.notes.push(format!(
                    "skipped {shown}: not a Kubernetes object (no document has a `kind`)"
                ));
                return;
            }
            Err(d) => piece.errors.push(d),
        }
        self.plan.pieces.push(piece);
    }

    /// A directory without a kustomization or chart: the renders below it (through the
    /// renders that include them) and its other manifest files, linted together as one
    /// render (each file read on its own).
    fn plain_directory(&mut self, dir: &Path) {
        let repo = self.survey(dir);
        let mut renders = Vec::new();
        let mut orphans = Vec::new();
        let mut excluded = 0;
        if let Some(survey) = self.surveys.get(&repo) {
            for (i, render) in survey.renders.iter().enumerate() {
                if !render.dir.starts_with(dir) {
                    continue;
                }
                if self.excluded(&render.dir)
                    || render.file.as_ref().is_some_and(|f| self.excluded(f))
                {
                    excluded += 1;
                    continue;
                }
                let Some(file) = &render.file else {
                    renders.push(i);
                    continue;
                };
                match survey.cover(file) {
                    Cover::Renders(r) => renders.extend(r),
                    Cover::OrphanComponents(_) => orphans.push(i),
                    Cover::Alone => renders.push(i),
                }
            }
        }
        let mut files = Vec::new();
        let mut piece = Piece::default();
        match super::walk_plain_directory(dir, true) {
            Ok(walk) => {
                // Said as `kit build` and `kit validate` say it (printed with the warnings),
                // unless `lint.exclude` leaves the path out.
                let links: Vec<PathBuf> = walk
                    .links
                    .into_iter()
                    .filter(|l| !self.excluded(l))
                    .collect();
                self.template.warn_links(&links);
                for input in walk.inputs {
                    if let super::Input::File(f) = input {
                        files.push(f);
                    }
                }
            }
            Err(d) => piece.errors.push(d),
        }
        let mut skipped = 0;
        for f in files {
            let canon = std::fs::canonicalize(&f).unwrap_or_else(|_| f.clone());
            if self.excluded(&canon) {
                excluded += 1;
                continue;
            }
            let cover = match self.surveys.get(&repo) {
                Some(survey) => survey.cover(&canon),
                None => Cover::Alone,
            };
            match cover {
                Cover::Renders(r) => {
                    renders.extend(r);
                    continue;
                }
                Cover::OrphanComponents(_) => continue,
                Cover::Alone => {}
            }
            match manifest_file(self.loader, &f) {
                Ok(Some(r)) => piece.resources.extend(r),
                Ok(None) => skipped += 1,
                Err(d) => piece.errors.push(d),
            }
        }
        let mut seen = HashSet::new();
        renders.retain(|i| seen.insert(*i));
        // An overlay found through an included base is left out when excluded itself.
        if let Some(survey) = self.surveys.get(&repo) {
            renders.retain(|&i| {
                let render = &survey.renders[i];
                !(self.excluded(&render.dir)
                    || render.file.as_ref().is_some_and(|f| self.excluded(f)))
            });
        }
        self.lint_renders(&repo, &renders, Some(dir));
        if !piece.resources.is_empty() || !piece.errors.is_empty() {
            self.plan.pieces.push(piece);
        }
        if !orphans.is_empty() {
            let names = self.names(&repo, &orphans);
            self.plan.notes.push(format!(
                "skipped {names}: a Component is linted through the kustomizations that include it, and none does"
            ));
        }
        if excluded > 0 {
            self.plan.notes.push(format!(
                "left out {excluded} render{} and file{} under {} that `lint.exclude` in .kit.yaml matches",
                if excluded == 1 { "" } else { "s" },
                if excluded == 1 { "" } else { "s" },
                shown_dir(dir),
            ));
        }
        if skipped > 0 {
            self.plan.notes.push(format!(
                "skipped {skipped} file{} under {} that hold{} no Kubernetes object (no document has a `kind`)",
                if skipped == 1 { "" } else { "s" },
                shown_dir(dir),
                if skipped == 1 { "s" } else { "" },
            ));
        }
    }
}

/// The help of a render that a walk of `walked` found and that failed: what to do when it is
/// not meant to render (a scaffold, a fixture), added to the error's own help.
fn walk_help(d: Diag, walked: &Path, render: &Path) -> Diag {
    let shown = shown_dir(render);
    let note = format!(
        "`kit lint {}` renders every kustomization and chart under it; if {shown} is not meant \
         to be rendered (a scaffold, a fixture), leave it out of the walk with `lint: {{exclude: \
         [\"{shown}/**\"]}}` in .kit.yaml (globs are relative to that file), or lint the paths \
         you mean",
        shown_dir(walked)
    );
    let help = match &d.help {
        Some(h) => format!("{h}\n{note}"),
        None => note,
    };
    d.help(help)
}
