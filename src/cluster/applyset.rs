//! ApplySet bookkeeping as kubectl does it (KEP-3659, `kubectl apply --prune --applyset`):
//! a parent object (a Secret, by default in the context's namespace) labelled
//! `applyset.kubernetes.io/id`, annotated with the group-kinds and extra namespaces of its
//! members; each member labelled `applyset.kubernetes.io/part-of` with the parent's id. kit
//! writes the same labels and annotations, so kubectl sees kit's sets (and kit refuses a
//! parent that another tool manages).

use std::collections::BTreeSet;

use base64::Engine as _;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub const ID_LABEL: &str = "applyset.kubernetes.io/id";
pub const PART_OF_LABEL: &str = "applyset.kubernetes.io/part-of";
pub const TOOLING_ANNOTATION: &str = "applyset.kubernetes.io/tooling";
pub const GROUP_KINDS_ANNOTATION: &str = "applyset.kubernetes.io/contains-group-kinds";
pub const NAMESPACES_ANNOTATION: &str = "applyset.kubernetes.io/additional-namespaces";

/// `kit/v0.1.0`: the tooling annotation kit writes.
pub fn tooling() -> String {
    format!("kit/v{}", env!("CARGO_PKG_VERSION"))
}

/// The field manager of the parent object (kubectl's is `kubectl-applyset`).
pub const PARENT_FIELD_MANAGER: &str = "kit-applyset";

/// The id of the set whose parent is this object: `applyset-<base64url(sha256(
/// <name>.<namespace>.<kind>.<group>))>-v1`, unpadded, as kubectl's `ComputeApplysetID`.
pub fn id(name: &str, namespace: &str, kind: &str, group: &str) -> String {
    let hashed = Sha256::digest(format!("{name}.{namespace}.{kind}.{group}").as_bytes());
    format!(
        "applyset-{}-v1",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(hashed)
    )
}

/// A group-kind as the annotation writes it: `Deployment.apps`, or `ConfigMap` for the core
/// group (Go's `schema.GroupKind.String()`).
pub fn group_kind(kind: &str, group: &str) -> String {
    if group.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}.{group}")
    }
}

/// Splits `Deployment.apps` into (`Deployment`, `apps`) and `ConfigMap` into (`ConfigMap`, ``)
/// (Go's `schema.ParseGroupKind`).
pub fn parse_group_kind(s: &str) -> (String, String) {
    match s.split_once('.') {
        Some((kind, group)) => (kind.to_string(), group.to_string()),
        None => (s.to_string(), String::new()),
    }
}

/// What a parent records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recorded {
    pub group_kinds: BTreeSet<String>,
    pub namespaces: BTreeSet<String>,
}

impl Recorded {
    /// Reads the annotations of a live parent (the parent's own namespace included).
    pub fn from_parent(parent: &Value) -> Self {
        let ann = |k: &str| {
            parent
                .pointer("/metadata/annotations")
                .and_then(|a| a.get(k))
                .and_then(Value::as_str)
                .unwrap_or("")
        };
        let split = |s: &str| {
            s.split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect::<BTreeSet<_>>()
        };
        let mut namespaces = split(ann(NAMESPACES_ANNOTATION));
        if let Some(ns) = parent
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
        {
            if !ns.is_empty() {
                namespaces.insert(ns.to_string());
            }
        }
        Recorded {
            group_kinds: split(ann(GROUP_KINDS_ANNOTATION)),
            namespaces,
        }
    }

    pub fn union(&self, other: &Recorded) -> Recorded {
        Recorded {
            group_kinds: self
                .group_kinds
                .union(&other.group_kinds)
                .cloned()
                .collect(),
            namespaces: self.namespaces.union(&other.namespaces).cloned().collect(),
        }
    }
}

/// The server-side apply body of the parent Secret recording `set`.
pub fn parent_patch(name: &str, namespace: &str, set: &Recorded) -> Value {
    let kinds: Vec<&str> = set.group_kinds.iter().map(String::as_str).collect();
    let extra: Vec<&str> = set
        .namespaces
        .iter()
        .map(String::as_str)
        .filter(|ns| *ns != namespace)
        .collect();
    json!({
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "labels": { ID_LABEL: id(name, namespace, "Secret", "") },
            "annotations": {
                TOOLING_ANNOTATION: tooling(),
                GROUP_KINDS_ANNOTATION: kinds.join(","),
                NAMESPACES_ANNOTATION: extra.join(","),
            }
        }
    })
}

/// Why a live object cannot serve as this set's parent, if it cannot.
pub fn parent_problem(parent: &Value, want_id: &str) -> Option<String> {
    let label = parent
        .pointer("/metadata/labels")
        .and_then(|l| l.get(ID_LABEL))
        .and_then(Value::as_str);
    let tooling = parent
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(TOOLING_ANNOTATION))
        .and_then(Value::as_str);
    match (label, tooling) {
        (None, _) => Some(format!(
            "it exists and has no {ID_LABEL} label: it is not an ApplySet parent"
        )),
        (Some(l), _) if l != want_id => {
            Some(format!("its {ID_LABEL} label is {l:?}, not {want_id:?}"))
        }
        (Some(_), Some(t)) if tooling_name(t) != "kit" => {
            Some(format!("it is managed by the tooling {t:?}, not kit"))
        }
        _ => None,
    }
}

/// `kubectl/v1.30.0` → `kubectl` (kubectl's `toolingBaseName`).
fn tooling_name(t: &str) -> &str {
    t.rsplit_once('/').map_or(t, |(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_is_kubectls() {
        // kubectl's own test (pkg/cmd/apply/apply_test.go): `kubectl apply --prune
        // --applyset=my-set -n test` labels its parent Secret with this id.
        assert_eq!(
            id("my-set", "test", "Secret", ""),
            "applyset-0eFHV8ySqp7XoShsGvyWFQD3s96yqwHmzc4e0HR1dsY-v1"
        );
    }

    #[test]
    fn group_kinds_round_trip() {
        assert_eq!(group_kind("ConfigMap", ""), "ConfigMap");
        assert_eq!(group_kind("Deployment", "apps"), "Deployment.apps");
        assert_eq!(
            parse_group_kind("Widget.example.com"),
            ("Widget".to_string(), "example.com".to_string())
        );
        assert_eq!(
            parse_group_kind("Secret"),
            ("Secret".to_string(), String::new())
        );
    }

    #[test]
    fn parent_records_and_reads_back() {
        let set = Recorded {
            group_kinds: ["ConfigMap".to_string(), "Deployment.apps".to_string()].into(),
            namespaces: ["default".to_string(), "other".to_string()].into(),
        };
        let p = parent_patch("s", "default", &set);
        assert_eq!(
            p.pointer("/metadata/annotations/applyset.kubernetes.io~1contains-group-kinds"),
            Some(&json!("ConfigMap,Deployment.apps"))
        );
        assert_eq!(
            p.pointer("/metadata/annotations/applyset.kubernetes.io~1additional-namespaces"),
            Some(&json!("other"))
        );
        assert_eq!(Recorded::from_parent(&p), set);
        assert_eq!(parent_problem(&p, &id("s", "default", "Secret", "")), None);
    }

    #[test]
    fn foreign_parents_are_refused() {
        let mut p = parent_patch("s", "default", &Recorded::default());
        p["metadata"]["annotations"][TOOLING_ANNOTATION] = json!("kubectl/v1.30.0");
        let why = parent_problem(&p, &id("s", "default", "Secret", ""));
        assert!(why.is_some_and(|w| w.contains("kubectl/v1.30.0")));
        let plain = json!({"metadata": {"name": "s"}});
        assert!(parent_problem(&plain, "x").is_some());
    }
}
