//! Patches: kustomize's strategic-merge patches ([`smp`]) of single resources. Selecting the
//! resources a `patches:` entry applies to is the caller's job (see [`smp`] for the steps).

pub mod smp;
