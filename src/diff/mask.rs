//! Masking Secret values the way `kubectl diff` does (its `Masker`, in kubectl's
//! `pkg/cmd/diff`): every value under `data` is replaced by `***`, and a key whose value
//! differs between the two sides shows `*** (before)` on the old side and `*** (after)` on
//! the new one, so a diff still says which keys changed without showing a value. kubectl
//! masks `data` only (the API server turns `stringData` into `data`); a render still has
//! `stringData`, so kit masks it the same way, on its own.

use crate::model::{Node, Resource};

/// What every Secret value becomes.
pub const MASK: &str = "***";
/// An old value that differs from the new one.
pub const MASK_BEFORE: &str = "*** (before)";
/// A new value that differs from the old one.
pub const MASK_AFTER: &str = "*** (after)";

/// The Secret fields whose values are masked.
pub const MASKED_FIELDS: [&str; 2] = ["data", "stringData"];

/// Whether the object is a core `v1` Secret (what kubectl masks).
pub fn is_secret(r: &Resource) -> bool {
    is_secret_node(&r.node)
}

fn is_secret_node(n: &Node) -> bool {
    n.get_str("kind") == Some("Secret") && n.get_str("apiVersion") == Some("v1")
}

/// Masked copies of the two sides of a Secret (either may be missing: an added or removed
/// object). A side that is not a Secret comes back unmasked; a missing side comes back
/// `None`.
pub fn mask_pair(old: Option<&Node>, new: Option<&Node>) -> (Option<Node>, Option<Node>) {
    let mut old = old.cloned();
    let mut new = new.cloned();
    let secret = |n: &Option<Node>| n.as_ref().is_some_and(is_secret_node);
    let (mask_old, mask_new) = (secret(&old), secret(&new));
    for field in MASKED_FIELDS {
        let before = old
            .as_ref()
            .filter(|_| mask_old)
            .and_then(|n| n.get(field))
            .and_then(Node::as_map)
            .cloned();
        let after = new
            .as_ref()
            .filter(|_| mask_new)
            .and_then(|n| n.get(field))
            .and_then(Node::as_map)
            .cloned();
        let masked = |value: &str, n: &Node| Node::str(value, n.origin);
        if let (Some(before), Some(node)) = (&before, old.as_mut()) {
            if let Some(map) = node.get_mut(field).and_then(Node::as_map_mut) {
                for (k, v) in map.iter_mut() {
                    let other = after
                        .as_ref()
                        .and_then(|a| a.iter().find(|(k2, _)| k2 == k).map(|(_, v2)| v2));
                    let orig = before.iter().find(|(k2, _)| k2 == k).map(|(_, v0)| v0);
                    *v = match (other, orig) {
                        (Some(o), Some(b)) if !o.same_value(b) => masked(MASK_BEFORE, v),
                        _ => masked(MASK, v),
                    };
                }
            }
        }
        if let (Some(after), Some(node)) = (&after, new.as_mut()) {
            if let Some(map) = node.get_mut(field).and_then(Node::as_map_mut) {
                for (k, v) in map.iter_mut() {
                    let other = before
                        .as_ref()
                        .and_then(|b| b.iter().find(|(k2, _)| k2 == k).map(|(_, v2)| v2));
                    let orig = after.iter().find(|(k2, _)| k2 == k).map(|(_, v0)| v0);
                    *v = match (other, orig) {
                        (Some(o), Some(a)) if !o.same_value(a) => masked(MASK_AFTER, v),
                        _ => masked(MASK, v),
                    };
                }
            }
        }
    }
    (old, new)
}
