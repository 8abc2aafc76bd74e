//! Patch engines for single resources: kustomize's strategic-merge patches ([`smp`]) and
//! JSON 6902 patches ([`json6902`]). Choosing the resources a patch applies to is
//! `transform::patches`' job.

pub mod json6902;
pub mod smp;
