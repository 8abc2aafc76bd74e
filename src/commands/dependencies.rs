//! `kit template --dependency-update`: a chart whose `Chart.yaml` lists dependencies that
//! `charts/` lacks gets them as Helm's `helm template --dependency-update` gets them (its
//! dependency manager's `Update`), with kit's remote design instead of Helm's writes:
//!
//! - Every dependency with a `repository:` is resolved (as soon as one is missing, Helm
//!   resolves them all): an HTTP chart repository URL (credentials and Helm's cached index
//!   when `repositories.yaml` has an entry with that URL), `@name` / `alias:name` (an entry of
//!   `repositories.yaml`), an `oci://` registry, or `file://PATH` (a chart directory, relative
//!   to the chart). A dependency without a repository must be in `charts/` already.
//! - The version: `Chart.lock`'s, when it lists the dependency (same name and repository) at a
//!   version the constraint admits (`helm dependency build`'s reading: a lock is not re-resolved
//!   behind its author's back); otherwise the constraint resolved on the repository. Helm's
//!   `--dependency-update` re-resolves even then.
//! - Fetched charts go into kit's cache and are pinned by `./kit.lock` like the chart itself
//!   (`--locked`, `--offline` and `--quiet` mean what they mean there); the chart's directory
//!   is left untouched: no archive in `charts/`, no `Chart.lock` written (Helm writes both).
//!   The render is the one Helm makes after its writes: archives in `charts/` that are no
//!   local dependency give way to the fetched charts (Helm deletes them), directories stay.

use std::path::{Path, PathBuf};

use crate::chart::{Chart, Dependency};
use crate::cli::HelmInstallArgs;
use crate::diag::{Diag, Result};
use crate::load::Loader;
use crate::remote::{helmconfig, ChartPin, ChartRequest, Credentials, Lock, Remote};

/// Chart.lock entries kit reads at most (a lock lists one per dependency).
const MAX_LOCK_ENTRIES: usize = 10_000;

/// Puts the dependencies `chart` lists into it (fetched or read, see the module docs);
/// returns the pins of those fetched from a repository or registry.
pub fn update(
    loader: &Loader,
    chart: &mut Chart,
    chart_path: &Path,
    helm: &HelmInstallArgs,
    remote: &Remote,
    lock: &Lock,
) -> Result<Vec<ChartPin>> {
    if !chart_path.is_dir() {
        return Err(Diag::error(
            "kit::template::dependency-update",
            "only unpacked charts can be updated",
        )
        .path(crate::source::display_path(chart_path))
        .help("--dependency-update fetches the dependencies of a chart directory; a packaged chart carries its own in charts/"));
    }
    let chart_lock = read_chart_lock(loader, &chart.dir)?;
    let repositories = helmconfig::repository_config(helm.repository_config.as_deref());
    let local: Vec<String> = (chart.meta.dependencies.iter())
        .filter(|d| d.repository.trim().is_empty())
        .map(|d| d.name.clone())
        .collect();
    let mut fetched = Vec::new();
    let mut pins = Vec::new();
    for dep in &chart.meta.dependencies.clone() {
        let repository = dep.repository.trim();
        if repository.is_empty() {
            if !chart.deps.iter().any(|c| c.meta.name == dep.name) {
                return Err(dependency_error(
                    dep,
                    format!(
                        "directory {} not found",
                        crate::source::display_path(&chart.dir.join("charts").join(&dep.name))
                    ),
                    "a dependency without `repository:` must be in charts/: give its repository, or put the chart there",
                ));
            }
            continue;
        }
        if let Some(path) = repository.strip_prefix("file://") {
            fetched.push(local_chart(loader, chart, dep, path)?);
            continue;
        }
        let request = request_for(dep, &chart_lock, &repositories, helm)?;
        let got = remote.chart(&request, lock).map_err(|d| d.at(dep.origin))?;
        let sub = crate::chart::load(loader, &got.archive)?;
        fetched.push(sub);
        pins.push(got.pin);
    }
    // What Helm's charts/ holds after its update: directories, local dependencies' archives,
    // and the fetched charts.
    chart
        .deps
        .retain(|c| !loaded_from_archive(c) || local.contains(&c.meta.name));
    chart.deps.extend(fetched);
    crate::chart::load::assign_paths(chart, None);
    Ok(pins)
}

/// Whether a subchart came from a `.tgz` in `charts/` (its directory is inside the archive's
/// path) rather than from a directory.
fn loaded_from_archive(chart: &Chart) -> bool {
    chart.dir.parent().is_some_and(|p| {
        let name = p.to_string_lossy();
        (name.ends_with(".tgz") || name.ends_with(".tar.gz")) && !p.is_dir()
    })
}

fn dependency_error(dep: &Dependency, message: String, help: &str) -> Diag {
    Diag::error(
        "kit::template::dependency-update",
        format!("dependency {}: {message}", dep.name),
    )
    .at(dep.origin)
    .help(help.to_string())
}

/// A `file://` dependency: the chart directory it names (relative to the chart), whose
/// version must satisfy the constraint.
fn local_chart(loader: &Loader, chart: &Chart, dep: &Dependency, path: &str) -> Result<Chart> {
    let dir: PathBuf = if Path::new(path).is_absolute() {
        PathBuf::from(path)
    } else {
        chart.dir.join(path)
    };
    if !dir.exists() {
        return Err(dependency_error(
            dep,
            format!("directory {} not found", crate::source::display_path(&dir)),
            "a file:// repository names a chart directory, relative to the chart",
        ));
    }
    let sub = crate::chart::load(loader, &dir)?;
    if !crate::chart::semver::compatible(&dep.version, &sub.meta.version) {
        return Err(dependency_error(
            dep,
            format!(
                "can't get a valid version for dependency {} ({} has version {}, Chart.yaml asks for {:?})",
                dep.name,
                crate::source::display_path(&dir),
                sub.meta.version,
                dep.version
            ),
            "change the version constraint in Chart.yaml or the version of the local chart",
        ));
    }
    Ok(sub)
}

/// One entry of `Chart.lock`.
struct LockedDependency {
    name: String,
    repository: String,
    version: String,
}

/// `Chart.lock` beside `Chart.yaml` (`requirements.lock` for a v1 chart), if there is one.
fn read_chart_lock(loader: &Loader, dir: &Path) -> Result<Vec<LockedDependency>> {
    let Some(path) = ["Chart.lock", "requirements.lock"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
    else {
        return Ok(Vec::new());
    };
    let loaded = loader.load(&path)?;
    let Some(doc) = loaded.docs.first() else {
        return Ok(Vec::new());
    };
    let doc = crate::emit::to_json(doc);
    let entries = doc
        .get("dependencies")
        .and_then(|d| d.as_array())
        .cloned()
        .unwrap_or_default();
    let text = |v: &serde_json::Value, k: &str| {
        v.get(k)
            .and_then(|s| s.as_str())
            .unwrap_or_default()
            .to_string()
    };
    Ok(entries
        .iter()
        .take(MAX_LOCK_ENTRIES)
        .map(|e| LockedDependency {
            name: text(e, "name"),
            repository: text(e, "repository"),
            version: text(e, "version"),
        })
        .collect())
}

/// What a dependency with a repository asks for, as Helm's dependency manager resolves its
/// repository (`resolveRepoNames`) and credentials (`findChartURL`).
fn request_for(
    dep: &Dependency,
    chart_lock: &[LockedDependency],
    repositories: &Path,
    helm: &HelmInstallArgs,
) -> Result<ChartRequest> {
    let written = dep.repository.trim();
    let named = written
        .strip_prefix('@')
        .or_else(|| written.strip_prefix("alias:"));
    let (url, entry) = if let Some(name) = named {
        let repo = helmconfig::find_repository(repositories, name).map_err(|d| {
            d.at(dep.origin).help(format!(
                "Chart.yaml names the repository `{written}`: add it with `helm repo add {name} URL` (kit reads {})",
                repositories.display()
            ))
        })?;
        (repo.url.clone(), Some(repo))
    } else if written.starts_with("oci://") {
        (written.to_string(), None)
    } else if written.starts_with("http://") || written.starts_with("https://") {
        (
            written.to_string(),
            helmconfig::repository_with_url(repositories, written)?,
        )
    } else {
        return Err(dependency_error(
            dep,
            format!("no repository definition for {written}. Please add them via 'helm repo add'"),
            "a repository is a URL (https://..., oci://..., file://...) or the name of one `helm repo add` knows, as @NAME or alias:NAME",
        ));
    };
    // Chart.lock's version, when it still answers Chart.yaml's constraint.
    let locked = chart_lock.iter().find(|l| {
        l.name == dep.name
            && (l.repository.trim() == written
                || l.repository.trim_end_matches('/') == url.trim_end_matches('/'))
            && !l.version.is_empty()
            && crate::chart::semver::compatible(&dep.version, &l.version)
    });
    let constraint = match locked {
        Some(l) => l.version.clone(),
        None => dep.version.trim().to_string(),
    };
    // Helm's registry client takes the flags' credentials; an HTTP repository gets those of
    // its repositories.yaml entry only. The index is read fresh: Helm's update downloads
    // every index before it resolves.
    let credentials = match &entry {
        Some(repo) => repo.credentials.clone(),
        None if url.starts_with("oci://") => Credentials {
            username: helm.username.clone().unwrap_or_default(),
            password: helm.password.clone().unwrap_or_default(),
            plain_http: helm.plain_http,
            ..Credentials::default()
        },
        None => Credentials::default(),
    };
    Ok(ChartRequest {
        repo: url.clone(),
        name: dep.name.clone(),
        constraint,
        devel: false,
        credentials,
        cached_index: None,
        registry_config: helm.registry_config.clone(),
        what: format!("dependency {} of {}", dep.name, url),
    })
}
