//! kustomize's built-in transformers, each a function over the resource list, driven by
//! field-spec data. They run in kustomize's order (see `resolve::overlay`).

pub mod buildmeta;
pub mod fieldspec;
pub mod images;
pub mod labels;
pub mod namereference;
pub mod names;
pub mod namespace;
pub mod patches;
pub mod replacements;
pub mod replicas;
pub mod select;
pub mod sort;
pub mod valueadd;
pub mod vars;

use crate::model::{Node, Resource};
use crate::source::Origin;

/// A string value set by a kustomization field, remembering the field's location.
#[derive(Clone, Debug, Default)]
pub struct Setting {
    pub value: String,
    pub origin: Option<Origin>,
}

impl Setting {
    pub fn node(&self) -> Node {
        Node::str(self.value.clone(), self.origin)
    }
}

/// Ordered key/value pairs (labels, annotations) with the location of each value.
pub type Pairs = Vec<(String, Setting)>;

/// Sets `key` to `value` in the mapping `target` (kustomize's `SetEntry` with a string tag).
pub fn set_entry(target: &mut Node, key: &str, value: &Setting) {
    target.set(key, value.node());
}

pub type Resources = Vec<Resource>;
