//! kit: a Kubernetes manifest toolkit. The pipeline is `load → resolve → transform → check
//! → emit`; each stage is a module, and only `commands` composes them.

pub mod chart;
pub mod cli;
pub mod cluster;
pub mod commands;
pub mod config;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod generate;
pub mod gotmpl;
pub mod lint;
pub mod load;
pub mod model;
pub mod openapi;
pub mod patch;
pub mod plugin;
pub mod remote;
pub mod report;
pub mod resolve;
pub mod rules_doc;
pub mod schema;
pub mod source;
pub mod stack;
pub mod transform;
pub mod validate;
pub mod watchdog;

use std::path::Path;
use std::sync::Arc;

/// Renders one root (a kustomization, a directory, a file) like `kubectl kustomize`,
/// returning the YAML text or the first error as a one-line message.
pub fn build_to_string(root: &Path, restrictor: resolve::LoadRestrictor) -> Result<String, String> {
    let loader = Arc::new(load::Loader::new());
    let builder = resolve::Builder::new(loader.clone(), restrictor);
    builder
        .build_root(root, None)
        .and_then(|r| emit::check_representable(&r).map(|()| emit::yaml_stream(&r)))
        .map_err(|d| d.one_line(&loader.sources))
}
