//! The shared resource model: value trees with origins, identities, resource lists.

mod node;
mod resource;
pub mod share;

pub use node::{Mapping, Node, Value};
pub use resource::{Gvk, ResId, Resource};
