//! `kit chart lint`: what `helm lint` checks. Chart.yaml (fields, maintainers, icon), the
//! values file and schema, template file names, a render with the given values (where
//! `required` and `fail` only warn), and the rendered objects (YAML well formed, names that
//! Kubernetes accepts), and the CRDs of `crds/`.

use std::path::Path;

use super::output::RenderOptions;
use crate::diag::{Diag, Severity};
use crate::load::Loader;
use crate::source::display_path;

/// Findings for one chart, most severe first within each stage, in the order found.
pub fn lint(loader: &Loader, path: &Path, opts: &RenderOptions) -> Vec<Diag> {
    let mut out = Vec::new();
    let chart = match super::load(loader, path) {
        Ok(c) => c,
        Err(d) => {
            out.push(d);
            return out;
        }
    };
    let chart_yaml = path.join("Chart.yaml");
    let chart_file = chart
        .chart_yaml
        .and_then(|id| loader.sources.get(id).map(|f| (id, f)));
    // Where a top-level Chart.yaml field is written (for the snippet).
    let origin_of = |key: &str| {
        let (id, f) = chart_file.as_ref()?;
        let needle = format!("\n{key}:");
        let at = if f.text.starts_with(&needle[1..]) {
            Some(0)
        } else {
            f.text.find(&needle).map(|i| i + 1)
        }?;
        Some(crate::source::Origin::new(*id, at, at + key.len()))
    };

    let name = &chart.meta.name;
    let dns_label = |s: &str| {
        !s.is_empty()
            && s.len() <= 63
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
    };
    if !dns_label(name) {
        out.push(
            Diag::warning(
                "kit::chart-lint::name",
                format!("chart name {name:?} is not lower case letters, digits and dashes"),
            )
            .at(origin_of("name"))
            .help("Helm's convention: the chart name is a DNS label (it becomes part of object names)"),
        );
    }
    if chart.meta.api_version == "v1" {
        out.push(
            Diag::warning(
                "kit::chart-lint::api-version",
                "Chart.yaml has apiVersion v1 (Helm 2)",
            )
            .at(origin_of("apiVersion"))
            .help("use apiVersion: v2 and list dependencies in Chart.yaml"),
        );
    }
    if chart.meta_value.get("icon").is_none_or(|v| v.is_null()) {
        out.push(
            Diag {
                severity: Severity::Info,
                ..Diag::warning("kit::chart-lint::icon", "icon is recommended")
            }
            .path(display_path(&chart_yaml))
            .help("add `icon:` (a URL to an SVG or PNG) to Chart.yaml"),
        );
    }
    if let Some(maintainers) = chart
        .meta_value
        .get("maintainers")
        .and_then(|m| m.as_array())
    {
        for (i, m) in maintainers.iter().enumerate() {
            if m.get("name")
                .and_then(|n| n.as_str())
                .is_none_or(str::is_empty)
            {
                out.push(
                    Diag::error(
                        "kit::chart-lint::maintainer",
                        format!("maintainer {} has no name", i + 1),
                    )
                    .at(origin_of("maintainers"))
                    .help("give each maintainer a `name` (and optionally email, url)"),
                );
            }
        }
    }
    if !path.join("values.yaml").is_file() && path.is_dir() {
        out.push(
            Diag {
                severity: Severity::Info,
                ..Diag::warning("kit::chart-lint::values", "values.yaml does not exist")
            }
            .path(display_path(path))
            .help("a chart's defaults live in values.yaml; add one, even if short"),
        );
    }
    if chart.templates.is_empty() && !chart.meta.library {
        out.push(
            Diag::warning("kit::chart-lint::templates", "the chart has no templates")
                .path(display_path(&path.join("templates")))
                .help("put the chart's manifests in templates/"),
        );
    }
    for t in &chart.templates {
        let ok = [".yaml", ".yml", ".tpl", ".txt"]
            .iter()
            .any(|ext| t.rel.ends_with(ext));
        if !ok {
            out.push(
                Diag::error(
                    "kit::chart-lint::extension",
                    format!(
                        "{}: the file extension is not one of .yaml, .yml, .tpl or .txt",
                        t.rel
                    ),
                )
                .path(display_path(&chart.dir.join(&t.rel)))
                .help("rename the file: Helm renders only these"),
            );
        }
    }

    let opts = RenderOptions {
        lint: true,
        include_crds: true,
        ..opts.clone()
    };
    match super::render(loader, path, &opts) {
        Err(d) => out.push(d),
        Ok(rendered) => {
            out.extend(rendered.warnings.iter().cloned());
            out.extend(
                rendered
                    .crds
                    .iter()
                    .filter_map(|d| d.unread.as_deref().cloned()),
            );
            for doc in rendered
                .manifests
                .iter()
                .chain(&rendered.hooks)
                .chain(&rendered.crds)
            {
                for r in &doc.resources {
                    let name = r.name();
                    let at = r
                        .node
                        .get_path(&["metadata", "name"])
                        .and_then(|n| n.origin)
                        .or(r.node.origin);
                    if name.is_empty() {
                        out.push(
                            Diag::error(
                                "kit::chart-lint::object-name",
                                format!("{} in {} has no metadata.name", r.kind(), doc.source),
                            )
                            .at(at)
                            .help("every object needs metadata.name"),
                        );
                    } else if !dns_subdomain(name) {
                        out.push(
                            Diag::error(
                                "kit::chart-lint::object-name",
                                format!(
                                    "object name does not conform to Kubernetes naming requirements: {name:?} ({} in {})",
                                    r.kind(),
                                    doc.source
                                ),
                            )
                            .at(at)
                            .help("names are lower case letters, digits, '-' and '.', at most 253 characters, starting and ending with a letter or digit"),
                        );
                    }
                }
            }
            for (rel, _) in chart.crd_files() {
                let Some(doc) = rendered.crds.iter().find(|d| d.source.ends_with(rel)) else {
                    continue;
                };
                for r in &doc.resources {
                    let api = r.node.get_str("apiVersion").unwrap_or_default();
                    if r.kind() != "CustomResourceDefinition"
                        || !api.starts_with("apiextensions.k8s.io/")
                    {
                        out.push(
                            Diag::error(
                                "kit::chart-lint::crd",
                                format!("{rel}: {} {api} is not a CustomResourceDefinition", r.kind()),
                            )
                            .at(r.node.origin)
                            .help("crds/ holds CustomResourceDefinitions only; move other objects to templates/"),
                        );
                    }
                }
            }
        }
    }
    out
}

/// A DNS-1123 subdomain (most object names).
fn dns_subdomain(s: &str) -> bool {
    s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}
