//! `kit create chart NAME`: a new chart in the spirit of `helm create`'s (Deployment, Service,
//! ServiceAccount, Ingress, HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy,
//! partials), written in Go templates (the default: it renders the same with `kit template`
//! and `helm template`) or in Jinja (`--dialect jinja`, kit only), that renders and passes
//! `kit lint` with no finding. Both dialects share values.yaml and values.schema.json.

use std::path::{Path, PathBuf};

use crate::diag::{Diag, Result};
use crate::source::display_path;

/// The template language of a new chart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Dialect {
    /// Go `text/template` with Sprig and Helm's functions, as every Helm chart is.
    #[default]
    Go,
    /// Jinja (minijinja), declared by the `kit.dev/template-dialect: jinja` annotation.
    Jinja,
}

/// A file of the scaffold: `(path in the chart, text)`; `CHARTNAME` stands for the chart's name.
type File = (&'static str, &'static str);

/// The files both dialects share.
const COMMON: &[File] = &[
    ("values.yaml", include_str!("scaffold/values.yaml")),
    (
        "values.schema.json",
        include_str!("scaffold/values.schema.json"),
    ),
];

/// One dialect's Chart.yaml and templates (the same list of files for both).
macro_rules! dialect_files {
    ($dir:literal) => {
        &[
            (
                "Chart.yaml",
                include_str!(concat!("scaffold/", $dir, "/Chart.yaml")),
            ),
            (
                "templates/_helpers.tpl",
                include_str!(concat!("scaffold/", $dir, "/templates/_helpers.tpl")),
            ),
            (
                "templates/deployment.yaml",
                include_str!(concat!("scaffold/", $dir, "/templates/deployment.yaml")),
            ),
            (
                "templates/service.yaml",
                include_str!(concat!("scaffold/", $dir, "/templates/service.yaml")),
            ),
            (
                "templates/serviceaccount.yaml",
                include_str!(concat!("scaffold/", $dir, "/templates/serviceaccount.yaml")),
            ),
            (
                "templates/ingress.yaml",
                include_str!(concat!("scaffold/", $dir, "/templates/ingress.yaml")),
            ),
            (
                "templates/hpa.yaml",
                include_str!(concat!("scaffold/", $dir, "/templates/hpa.yaml")),
            ),
            (
                "templates/pdb.yaml",
                include_str!(concat!("scaffold/", $dir, "/templates/pdb.yaml")),
            ),
            (
                "templates/networkpolicy.yaml",
                include_str!(concat!("scaffold/", $dir, "/templates/networkpolicy.yaml")),
            ),
            (
                "templates/NOTES.txt",
                include_str!(concat!("scaffold/", $dir, "/templates/NOTES.txt")),
            ),
        ]
    };
}

const GO: &[File] = dialect_files!("go");
const JINJA: &[File] = dialect_files!("jinja");

/// The files of a new chart in `dialect`.
pub fn files(dialect: Dialect) -> impl Iterator<Item = &'static File> {
    let own = match dialect {
        Dialect::Go => GO,
        Dialect::Jinja => JINJA,
    };
    own.iter().chain(COMMON)
}

/// Writes a new chart in `dialect` into `dir` (created; it must not exist or be empty), named
/// after the directory. Returns the files written.
pub fn create(dir: &Path, dialect: Dialect) -> Result<Vec<PathBuf>> {
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
    for (rel, text) in files(dialect) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_dialects_write_the_same_files_and_only_jinja_declares_itself() {
        let paths = |d| files(d).map(|(p, _)| *p).collect::<Vec<_>>();
        assert_eq!(paths(Dialect::Go), paths(Dialect::Jinja));
        assert_eq!(paths(Dialect::Go).len(), 12);
        let chart_yaml = |d| {
            files(d)
                .find(|(p, _)| *p == "Chart.yaml")
                .map(|(_, t)| *t)
                .unwrap_or_default()
        };
        assert!(!chart_yaml(Dialect::Go).contains("template-dialect"));
        assert!(chart_yaml(Dialect::Jinja).contains("kit.dev/template-dialect: jinja"));
        // Go partials are global across a chart and its subcharts: each carries the name.
        let helpers = files(Dialect::Go)
            .find(|(p, _)| *p == "templates/_helpers.tpl")
            .map(|(_, t)| *t)
            .unwrap_or_default();
        for line in helpers.lines().filter(|l| l.contains("define ")) {
            assert!(line.contains("define \"CHARTNAME."), "{line}");
        }
    }
}
