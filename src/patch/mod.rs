//! Patches applied to resources.

pub mod json6902;
