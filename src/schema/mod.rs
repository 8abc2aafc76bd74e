//! Kubernetes API schemas for every supported minor version, embedded in the binary.
//!
//! `schemas/kubernetes.txt` (see [`store`]) holds the definitions of Kubernetes 1.30–1.37;
//! [`kubernetes`] compiles one version on first use (a few milliseconds) into an arena of
//! [`compile::Node`]s, indexed by apiVersion and kind. CRDs compile into their own arenas
//! with the same types (see `validate::crd`).

pub mod apis;
pub mod compile;
pub mod quantity;
pub mod store;

use std::collections::HashMap;
use std::sync::OnceLock;

use compile::{Compiler, Dialect, SchemaId, Schemas};

use crate::diag::Diag;

/// The embedded store.
pub const STORE: &str = include_str!("../../schemas/kubernetes.txt");

/// The Kubernetes minor versions shipped, oldest first (`1.30`, ...).
pub fn versions() -> Vec<&'static str> {
    parsed()
        .map(|s| s.versions.iter().map(|(v, _)| *v).collect())
        .unwrap_or_default()
}

/// The newest version shipped (the default).
pub fn newest() -> &'static str {
    parsed()
        .ok()
        .and_then(|s| s.versions.last().map(|(v, _)| *v))
        .unwrap_or("")
}

/// The shipped version `wanted` names (`1.33`, `v1.33.2`; default: the newest), normalized,
/// or an error listing the shipped versions. `code` names the command asking.
pub fn target_version(wanted: Option<&str>, code: &'static str) -> Result<String, Diag> {
    let Some(wanted) = wanted else {
        return Ok(newest().to_string());
    };
    match normalize_version(wanted).filter(|v| versions().contains(&v.as_str())) {
        Some(v) => Ok(v),
        None => Err(Diag::error(code, format!("no schemas for Kubernetes {wanted:?}")).help(
            format!(
                "kit ships the schemas of Kubernetes {}; pass one of them with --kubernetes-version",
                versions().join(", ")
            ),
        )),
    }
}

/// The compiled schemas of [`target_version`].
pub fn target(wanted: Option<&str>, code: &'static str) -> Result<&'static Kubernetes, Diag> {
    let version = target_version(wanted, code)?;
    kubernetes(&version).ok_or_else(|| {
        Diag::error(
            code,
            format!("the embedded schemas of Kubernetes {version} do not load"),
        )
        .help("this is a bug in kit: please report it")
    })
}

fn parsed() -> Result<&'static store::Store<'static>, &'static String> {
    static CELL: OnceLock<Result<store::Store<'static>, String>> = OnceLock::new();
    CELL.get_or_init(|| store::parse(STORE)).as_ref()
}

/// The built-in types of one Kubernetes version.
#[derive(Debug, Default)]
pub struct Kubernetes {
    pub version: String,
    pub schemas: Schemas,
    /// (apiVersion, kind) → the resource's schema.
    kinds: HashMap<(String, String), SchemaId>,
    /// Definition name → schema.
    definitions: HashMap<String, SchemaId>,
    /// The API groups served (`""` for the core group).
    groups: std::collections::HashSet<String>,
}

impl Kubernetes {
    pub fn resource(&self, api_version: &str, kind: &str) -> Option<SchemaId> {
        self.kinds
            .get(&(api_version.to_string(), kind.to_string()))
            .copied()
    }

    /// Whether the group is one of Kubernetes' own API groups.
    pub fn has_group(&self, group: &str) -> bool {
        self.groups.contains(group)
    }

    /// Every apiVersion of `group` that serves `kind`.
    pub fn api_versions_of(&self, group: &str, kind: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .kinds
            .keys()
            .filter(|(av, k)| {
                k == kind
                    && match av.split_once('/') {
                        Some((g, _)) => g == group,
                        None => group.is_empty(),
                    }
            })
            .map(|(av, _)| av.clone())
            .collect();
        out.sort();
        out
    }

    pub fn definition(&self, name: &str) -> Option<SchemaId> {
        self.definitions.get(name).copied()
    }
}

/// The schemas of a Kubernetes minor version (`1.33`, `v1.33` or `1.33.2`), compiled on
/// first use; `None` for a version that is not shipped.
pub fn kubernetes(version: &str) -> Option<&'static Kubernetes> {
    static CELLS: OnceLock<Vec<(String, OnceLock<Kubernetes>)>> = OnceLock::new();
    let cells = CELLS.get_or_init(|| {
        versions()
            .into_iter()
            .map(|v| (v.to_string(), OnceLock::new()))
            .collect()
    });
    let wanted = normalize_version(version)?;
    let (v, cell) = cells.iter().find(|(v, _)| *v == wanted)?;
    Some(cell.get_or_init(|| compile_version(v)))
}

/// `v1.33.2` → `1.33`.
pub fn normalize_version(version: &str) -> Option<String> {
    let v = version.trim().trim_start_matches('v');
    let mut parts = v.split('.');
    let major = parts.next()?.parse::<u32>().ok()?;
    let minor = parts.next()?.parse::<u32>().ok()?;
    Some(format!("{major}.{minor}"))
}

fn compile_version(version: &str) -> Kubernetes {
    let mut k = Kubernetes {
        version: version.to_string(),
        ..Kubernetes::default()
    };
    let Ok(store) = parsed() else {
        return k;
    };
    let Some((_, ids)) = store.versions.iter().find(|(v, _)| *v == version) else {
        return k;
    };
    let mut compiler = Compiler::new(&mut k.schemas, Dialect::Builtin);
    let mut gvks = Vec::new();
    for &i in ids {
        let Some(&(name, json)) = store.records.get(i) else {
            continue;
        };
        // The store is generated and tested; a record that does not parse is skipped.
        let Ok(schema) = serde_json::from_str::<serde_json::Value>(json) else {
            continue;
        };
        compiler.define(name, &schema);
        if let Some(list) = schema
            .get("x-kubernetes-group-version-kind")
            .and_then(|v| v.as_array())
        {
            for g in list {
                let group = g.get("group").and_then(|v| v.as_str()).unwrap_or("");
                let version = g.get("version").and_then(|v| v.as_str()).unwrap_or("");
                let kind = g.get("kind").and_then(|v| v.as_str()).unwrap_or("");
                let api_version = if group.is_empty() {
                    version.to_string()
                } else {
                    format!("{group}/{version}")
                };
                gvks.push((api_version, kind.to_string(), name.to_string()));
            }
        }
    }
    let definitions = std::mem::take(&mut compiler.definitions);
    for (api_version, kind, name) in gvks {
        if let Some(&id) = definitions.get(&name) {
            // Several definitions can claim a kind (DeleteOptions, WatchEvent in every
            // group); the resource types themselves are unique.
            let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
            k.groups.insert(group.to_string());
            k.kinds.entry((api_version, kind)).or_insert(id);
        }
    }
    k.definitions = definitions;
    k
}
