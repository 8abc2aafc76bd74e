//! Deprecated and removed API versions: a data table (`apis.yaml`, from the Kubernetes
//! deprecated API migration guide) plus what the embedded schemas show (an apiVersion/kind
//! served by one shipped version and not by a later one; a beta version whose kind is also
//! served at a stable version). Shared by `kit validate` and `kit lint`.

use std::sync::OnceLock;

use crate::model::Node;

/// The embedded table.
pub const APIS_YAML: &str = include_str!("apis.yaml");

/// One row of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiChange {
    pub api_version: String,
    /// Kinds, or `["*"]` for every kind of the apiVersion.
    pub kinds: Vec<String>,
    pub deprecated_in: Option<(u32, u32)>,
    pub removed_in: (u32, u32),
    /// The apiVersion (or mechanism) to use instead.
    pub replacement: String,
}

impl ApiChange {
    pub fn matches(&self, api_version: &str, kind: &str) -> bool {
        self.api_version == api_version && self.kinds.iter().any(|k| k == "*" || k == kind)
    }
}

/// `1.22` → (1, 22).
pub fn parse_version(v: &str) -> Option<(u32, u32)> {
    let v = v.trim().trim_start_matches('v');
    let mut p = v.split('.');
    Some((p.next()?.parse().ok()?, p.next()?.parse().ok()?))
}

pub fn show((major, minor): (u32, u32)) -> String {
    format!("{major}.{minor}")
}

/// The table, parsed once (the data is embedded and tested; a malformed row is skipped).
pub fn table() -> &'static [ApiChange] {
    static CELL: OnceLock<Vec<ApiChange>> = OnceLock::new();
    CELL.get_or_init(|| parse(APIS_YAML).unwrap_or_default())
}

/// Parses table text (the embedded `apis.yaml`, or another in tests).
pub fn parse(text: &str) -> Result<Vec<ApiChange>, String> {
    let file = crate::source::SourceFile::new(
        "src/schema/apis.yaml".into(),
        "src/schema/apis.yaml".into(),
        text,
    );
    let docs = crate::load::yaml::parse_documents(&file, crate::source::FileId(u32::MAX))
        .map_err(|d| d.message)?;
    let list = docs
        .first()
        .and_then(Node::as_seq)
        .ok_or("apis.yaml must be a list")?;
    let mut out = Vec::new();
    for (i, row) in list.iter().enumerate() {
        let text = |k: &str| row.get(k).and_then(Node::scalar_text);
        let bad = |what: &str| format!("apis.yaml row {}: {what}", i + 1);
        out.push(ApiChange {
            api_version: text("api-version").ok_or_else(|| bad("no api-version"))?,
            kinds: row
                .get("kinds")
                .and_then(Node::as_seq)
                .map(|s| s.iter().filter_map(Node::scalar_text).collect())
                .ok_or_else(|| bad("no kinds"))?,
            deprecated_in: text("deprecated-in").and_then(|v| parse_version(&v)),
            removed_in: text("removed-in")
                .and_then(|v| parse_version(&v))
                .ok_or_else(|| bad("no removed-in"))?,
            replacement: text("replacement").ok_or_else(|| bad("no replacement"))?,
        });
    }
    Ok(out)
}

/// The table's row for an apiVersion and kind.
pub fn lookup(api_version: &str, kind: &str) -> Option<&'static ApiChange> {
    table().iter().find(|c| c.matches(api_version, kind))
}

/// What the target Kubernetes version says about an apiVersion and kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Served,
    /// Served, but deprecated: use `replacement` (removed in `removed_in` when known).
    Deprecated {
        since: Option<(u32, u32)>,
        removed_in: Option<(u32, u32)>,
        replacement: String,
    },
    /// No longer served since `removed_in`.
    Removed {
        removed_in: (u32, u32),
        replacement: String,
    },
    /// Not served yet: first served in `since`.
    NotYet {
        since: (u32, u32),
    },
    /// Not known to any shipped version nor to the table (a custom resource, or a typo).
    Unknown,
}

impl Status {
    /// What a finding says of `api_version`/`kind` in `target`; `None` when it is served
    /// (or unknown).
    pub fn describe(&self, api_version: &str, kind: &str, target: &str) -> Option<String> {
        match self {
            Status::Served | Status::Unknown => None,
            Status::Deprecated {
                since,
                removed_in,
                replacement,
            } => {
                let since = since
                    .map(|v| format!(" since Kubernetes {}", show(v)))
                    .unwrap_or_default();
                let removal = removed_in
                    .map(|v| format!(" and removed in {}", show(v)))
                    .unwrap_or_default();
                Some(format!(
                    "apiVersion: {api_version} {kind} is deprecated{since}{removal}; use {replacement}"
                ))
            }
            Status::Removed {
                removed_in,
                replacement,
            } => Some(format!(
                "apiVersion: {api_version} {kind} was removed in Kubernetes {}; use {replacement} (target: Kubernetes {target})",
                show(*removed_in)
            )),
            Status::NotYet { since } => Some(format!(
                "apiVersion: {api_version} {kind} is not served by Kubernetes {target}; it is first served in {}",
                show(*since)
            )),
        }
    }
}

/// Whether the table or the schemas may say something about `api_version`: it is in the
/// table, or a pre-release version. A stable version of a kind the target does not serve
/// is a custom resource (or a typo) and needs no look at every shipped version.
pub fn worth_checking(api_version: &str, kind: &str) -> bool {
    is_prerelease(api_version) || lookup(api_version, kind).is_some()
}

/// The status of `api_version`/`kind` in `target` (e.g. `1.33`).
pub fn status(api_version: &str, kind: &str, target: &str) -> Status {
    let Some(t) = parse_version(target) else {
        return Status::Unknown;
    };
    if let Some(c) = lookup(api_version, kind) {
        if t >= c.removed_in {
            return Status::Removed {
                removed_in: c.removed_in,
                replacement: c.replacement.clone(),
            };
        }
        if c.deprecated_in.is_some_and(|d| t >= d) {
            return Status::Deprecated {
                since: c.deprecated_in,
                removed_in: Some(c.removed_in),
                replacement: c.replacement.clone(),
            };
        }
    }
    // A group the newest version does not have is a custom resource's (Kubernetes' own
    // groups are never dropped whole; the table covers `extensions`): no need to compile
    // every shipped version to learn that.
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    if !super::kubernetes(super::newest()).is_some_and(|k| k.has_group(group)) {
        return Status::Unknown;
    }
    let served_now =
        super::kubernetes(target).is_some_and(|k| k.resource(api_version, kind).is_some());
    if served_now {
        // A pre-release version whose kind is also served at a stable version of its group.
        if is_prerelease(api_version) {
            if let Some(stable) = stable_version(api_version, kind, target) {
                return Status::Deprecated {
                    since: None,
                    removed_in: None,
                    replacement: stable,
                };
            }
        }
        return Status::Served;
    }
    let shipped: Vec<(u32, u32)> = super::versions()
        .into_iter()
        .filter_map(parse_version)
        .collect();
    let served_in: Vec<(u32, u32)> = shipped
        .iter()
        .copied()
        .filter(|v| {
            super::kubernetes(&show(*v)).is_some_and(|k| k.resource(api_version, kind).is_some())
        })
        .collect();
    match served_in.iter().copied().filter(|v| *v < t).max() {
        Some(last) => Status::Removed {
            removed_in: shipped.iter().copied().find(|v| *v > last).unwrap_or(t),
            replacement: stable_version(api_version, kind, target)
                .unwrap_or_else(|| "a version the target serves".to_string()),
        },
        None => match served_in.first() {
            Some(&since) => Status::NotYet { since },
            None => Status::Unknown,
        },
    }
}

fn is_prerelease(api_version: &str) -> bool {
    let v = api_version.rsplit('/').next().unwrap_or(api_version);
    v.contains("alpha") || v.contains("beta")
}

/// A stable apiVersion of the same group that serves `kind` in `target`.
fn stable_version(api_version: &str, kind: &str, target: &str) -> Option<String> {
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    let k = super::kubernetes(target)?;
    k.api_versions_of(group, kind)
        .into_iter()
        .filter(|av| !is_prerelease(av))
        .max()
}
