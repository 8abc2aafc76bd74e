//! Shared values. kustomize's label and annotation transformers insert one YAML node at
//! every place a new key goes in a resource (`metadata.labels`, the selector, the pod
//! template). Those places stay one node: a later change to any of them (a patch, an
//! overlay's label on `metadata.labels` alone) shows at all of them. kit marks such values
//! with a share id and, around each in-place change, copies a changed value to the other
//! places of its group.

use std::sync::atomic::{AtomicU32, Ordering};

use super::{Node, Value};

static NEXT_SHARE: AtomicU32 = AtomicU32::new(1);

/// A new share id (never 0).
pub fn fresh_id() -> u32 {
    NEXT_SHARE.fetch_add(1, Ordering::Relaxed).max(1)
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Where each share group's members are, and the value they held, before a change.
pub struct Captured {
    groups: Vec<(u32, Vec<Vec<Step>>, Node)>,
}

/// Records the shared values of a resource; `None` when it has none (the common case).
pub fn capture(root: &Node) -> Option<Captured> {
    let mut groups: Vec<(u32, Vec<Vec<Step>>, Node)> = Vec::new();
    let mut path = Vec::new();
    collect(root, &mut path, &mut groups);
    (!groups.is_empty()).then_some(Captured { groups })
}

fn collect(node: &Node, path: &mut Vec<Step>, groups: &mut Vec<(u32, Vec<Vec<Step>>, Node)>) {
    if node.share != 0 {
        match groups.iter_mut().find(|(id, _, _)| *id == node.share) {
            Some((_, paths, _)) => paths.push(path.clone()),
            None => groups.push((node.share, vec![path.clone()], node.clone())),
        }
    }
    match &node.value {
        Value::Map(entries) => {
            for (k, v) in entries {
                path.push(Step::Key(k.clone()));
                collect(v, path, groups);
                path.pop();
            }
        }
        Value::Seq(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Step::Index(i));
                collect(v, path, groups);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at_mut<'a>(root: &'a mut Node, path: &[Step]) -> Option<&'a mut Node> {
    path.iter().try_fold(root, |n, step| match step {
        Step::Key(k) => n.get_mut(k),
        Step::Index(i) => n.as_seq_mut()?.get_mut(*i),
    })
}

impl Captured {
    /// After an in-place change: where a member of a group now holds a different value,
    /// every other member still in place takes that value (the last changed one wins).
    /// A member is found by its place, as kustomize writes new content into the same node.
    pub fn propagate(self, root: &mut Node) {
        for (id, paths, before) in self.groups {
            let mut changed: Option<Node> = None;
            for path in &paths {
                if let Some(n) = at_mut(root, path) {
                    if !n.same_value(&before) {
                        changed = Some(n.clone());
                    }
                }
            }
            let Some(new) = changed else { continue };
            for path in &paths {
                if let Some(n) = at_mut(root, path) {
                    n.value = new.value.clone();
                    n.origin = new.origin;
                    n.share = id;
                }
            }
        }
    }
}

/// Runs an in-place change on a resource's tree, keeping shared values in step.
pub fn in_place<T>(root: &mut Node, change: impl FnOnce(&mut Node) -> T) -> T {
    let captured = capture(root);
    let result = change(root);
    if let Some(c) = captured {
        c.propagate(root);
    }
    result
}

/// Drops every share mark (kustomize re-reads a resource after a JSON patch, so its nodes
/// stop being shared).
pub fn unshare(root: &mut Node) {
    root.walk_mut(&mut |n| n.share = 0);
}
