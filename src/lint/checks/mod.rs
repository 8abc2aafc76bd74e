//! Check functions, one per rule, grouped by what they look at. Each is bound to its rule's
//! id in `registry::CHECKS`; its docs live in `rules.yaml`.

pub mod availability;
pub mod container;
pub mod cross;
pub mod meta;
pub mod network;
pub mod rbac;
pub mod security;
pub mod style;

use super::workload::Object;
use super::Hit;
use crate::source::Origin;

/// Records a problem at `origin`.
pub(crate) fn hit(out: &mut Vec<super::Hit>, origin: Option<Origin>, message: impl Into<String>) {
    out.push(Hit {
        message: message.into(),
        origin,
    });
}

/// Records `message` at the object's spec (the object when it has none) unless the spec sets
/// one of `fields` (present and not null).
pub(crate) fn hit_unless_spec_sets(
    obj: &Object,
    fields: &[&str],
    out: &mut Vec<super::Hit>,
    message: &str,
) {
    let spec = obj.get(&["spec"]);
    let set = |f: &&str| spec.and_then(|s| s.get(f)).is_some_and(|n| !n.is_null());
    if !fields.iter().any(set) {
        hit(out, spec.and_then(|s| s.origin).or(obj.origin()), message);
    }
}
