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

use super::Hit;
use crate::source::Origin;

/// Records a problem at `origin`.
pub(crate) fn hit(out: &mut Vec<super::Hit>, origin: Option<Origin>, message: impl Into<String>) {
    out.push(Hit {
        message: message.into(),
        origin,
    });
}
