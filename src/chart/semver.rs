//! Semantic versions and constraints as Helm reads them: Masterminds/semver v3.3.0, whose
//! port lives with Sprig's `semver` and `semverCompare` ([`crate::gotmpl::funcs::sprig_semver`]).
//! A leading `v` and missing minor/patch are allowed (`v1.2` is 1.2.0); constraints are
//! comparisons, tilde, caret, wildcards and hyphen ranges, joined by `,` or spaces (and) and
//! `||` (or). A prerelease version only satisfies a comparison whose own version has a
//! prerelease (so `>=1.20.0-0` admits `1.33.0-gke.1`, `>=1.20.0` does not).

pub use crate::gotmpl::funcs::sprig_semver::{Constraints as Constraint, Version};

impl Constraint {
    /// `Constraints.Check`.
    pub fn matches(&self, v: &Version) -> bool {
        self.check(v)
    }
}

/// Helm's `IsCompatibleRange`; an empty constraint accepts any version.
pub fn compatible(constraint: &str, version: &str) -> bool {
    if constraint.trim().is_empty() {
        return true;
    }
    match (Constraint::parse(constraint), Version::parse(version)) {
        (Ok(c), Ok(v)) => c.matches(&v),
        _ => false,
    }
}
