//! `kit create chart NAME`: a new chart like `helm create`'s (Deployment, Service,
//! ServiceAccount, Ingress, HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy,
//! partials), written in Jinja, that renders and passes `kit lint` with no warning.

use std::path::{Path, PathBuf};

use crate::diag::{Diag, Result};
use crate::source::display_path;

/// The scaffold's files: path in the chart and text, with `CHARTNAME` for the chart's name.
const FILES: &[(&str, &str)] = &[
    ("Chart.yaml", include_str!("scaffold/Chart.yaml")),
    ("values.yaml", include_str!("scaffold/values.yaml")),
    (
        "values.schema.json",
        include_str!("scaffold/values.schema.json"),
    ),
    (
        "templates/_helpers.tpl",
        include_str!("scaffold/templates/_helpers.tpl"),
    ),
    (
        "templates/deployment.yaml",
        include_str!("scaffold/templates/deployment.yaml"),
    ),
    (
        "templates/service.yaml",
        include_str!("scaffold/templates/service.yaml"),
    ),
    (
        "templates/serviceaccount.yaml",
        include_str!("scaffold/templates/serviceaccount.yaml"),
    ),
    (
        "templates/ingress.yaml",
        include_str!("scaffold/templates/ingress.yaml"),
    ),
    (
        "templates/hpa.yaml",
        include_str!("scaffold/templates/hpa.yaml"),
    ),
    (
        "templates/pdb.yaml",
        include_str!("scaffold/templates/pdb.yaml"),
    ),
    (
        "templates/networkpolicy.yaml",
        include_str!("scaffold/templates/networkpolicy.yaml"),
    ),
    (
        "templates/NOTES.txt",
        include_str!("scaffold/templates/NOTES.txt"),
    ),
];

/// Writes a new chart into `dir` (created; it must not exist or be empty), named after the
/// directory. Returns the files written.
pub fn create(dir: &Path) -> Result<Vec<PathBuf>> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let valid = !name.is_empty()
        && name.len() <= 53
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && name.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
        && !name.ends_with('-');
    if !valid {
        return Err(Diag::error(
            "kit::create::name",
            format!("chart name {name:?} is not valid"),
        )
        .help("name the directory with lower case letters, digits and dashes, starting with a letter (it becomes the chart's name)"));
    }
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(Diag::error(
                "kit::create::exists",
                "the directory exists and is not empty",
            )
            .path(display_path(dir))
            .help("choose a new directory; kit does not overwrite files"));
        }
    }
    let mut written = Vec::new();
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| crate::load::io_error(parent, &e))?;
        }
        std::fs::write(&path, text.replace("CHARTNAME", &name)).map_err(|e| {
            Diag::error("kit::create::write", format!("cannot write: {e}"))
                .path(display_path(&path))
        })?;
        written.push(path);
    }
    Ok(written)
}
