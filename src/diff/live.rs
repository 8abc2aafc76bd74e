//! Objects read from a cluster, made comparable with a render.
//!
//! The API server adds fields that no manifest sets and that change without anyone changing
//! the object: [`SERVER_FIELDS`] under `metadata`, and `status`. A live diff drops them from
//! the cluster's copy (and from the server's dry-run result) before comparing, as
//! `kubectl diff` users expect.

use crate::model::{Node, Resource};

/// `metadata` fields the API server manages, dropped by [`normalize_live`]. `selfLink` is
/// no longer set since Kubernetes 1.20, but older servers still send it.
pub const SERVER_FIELDS: [&str; 6] = [
    "managedFields",
    "resourceVersion",
    "generation",
    "uid",
    "creationTimestamp",
    "selfLink",
];

/// The annotation `kubectl apply` (client-side) writes: a JSON copy of the last applied
/// object. It is dropped too: it repeats the object (a Secret's values in clear text, which
/// masking would not catch) and changes with every client-side apply.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Drops the server-managed fields ([`SERVER_FIELDS`], [`LAST_APPLIED`] and `status`) from a
/// live object; an `annotations` map left empty is removed too. Anything that is not a
/// mapping is left as it is.
pub fn normalize_live(node: &mut Node) {
    node.remove("status");
    if let Some(meta) = node.get_mut("metadata") {
        for f in SERVER_FIELDS {
            meta.remove(f);
        }
        if let Some(annotations) = meta.get_mut("annotations") {
            annotations.remove(LAST_APPLIED);
            if annotations.as_map().is_some_and(Vec::is_empty) {
                meta.remove("annotations");
            }
        }
    }
}

/// [`normalize_live`] for an object as JSON (as the API returns it).
pub fn normalize_live_json(value: &mut serde_json::Value) {
    let Some(obj) = value.as_object_mut() else {
        return;
    };
    obj.shift_remove("status");
    if let Some(meta) = obj.get_mut("metadata").and_then(|m| m.as_object_mut()) {
        for f in SERVER_FIELDS {
            meta.shift_remove(f);
        }
        if let Some(annotations) = meta.get_mut("annotations").and_then(|a| a.as_object_mut()) {
            annotations.shift_remove(LAST_APPLIED);
            if annotations.is_empty() {
                meta.shift_remove("annotations");
            }
        }
    }
}

/// A resource from an object as JSON (the API's response), keys in their JSON order, no
/// origins. Not normalised: call [`normalize_live`] on its node (or
/// [`normalize_live_json`] first) for a live object.
pub fn resource_from_json(value: &serde_json::Value) -> Resource {
    Resource::new(crate::emit::from_json(value))
}
