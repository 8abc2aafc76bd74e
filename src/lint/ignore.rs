//! Per-object suppression by annotation, on the object or its pod template:
//!
//! - `kit.io/ignore: image-tag-latest, KIT-SEC003` — rule names or ids, comma-separated;
//!   an entry may carry a reason after a colon (`run-as-root: needs to bind :80`); `all`
//!   silences every rule.
//! - kube-score's `kube-score/ignore: container-image-tag,...` silences the kit rules mapped
//!   to those checks (and `container-resources` implies
//!   `container-ephemeral-storage-request-and-limit`, as in kube-score).
//! - kube-linter's `ignore-check.kube-linter.io/<check>` and `kube-linter.io/ignore-all`.

use super::Rule;

pub const KIT_IGNORE: &str = "kit.io/ignore";
pub const KUBE_SCORE_IGNORE: &str = "kube-score/ignore";
pub const KUBE_LINTER_PREFIX: &str = "ignore-check.kube-linter.io/";
pub const KUBE_LINTER_ALL: &str = "kube-linter.io/ignore-all";

/// kube-score's implied ignores: ignoring the key also ignores the values.
const KUBE_SCORE_IMPLIED: &[(&str, &str)] = &[(
    "container-resources",
    "container-ephemeral-storage-request-and-limit",
)];

/// The rule keys (ids or names) in a `kit.io/ignore` value.
pub fn kit_entries(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').filter_map(|entry| {
        let key = entry.split(':').next().unwrap_or("").trim();
        (!key.is_empty()).then_some(key)
    })
}

pub fn is_ignored(rule: &Rule, annotations: &[(&str, String)]) -> bool {
    annotations.iter().any(|(key, value)| match *key {
        KIT_IGNORE => kit_entries(value).any(|k| k == "all" || rule.is_named(k)),
        KUBE_SCORE_IGNORE => value.split(',').map(str::trim).any(|check| {
            rule.kube_score.iter().any(|ks| {
                ks == check
                    || KUBE_SCORE_IMPLIED
                        .iter()
                        .any(|(from, to)| *from == check && ks == to)
            })
        }),
        KUBE_LINTER_ALL => true,
        _ => key
            .strip_prefix(KUBE_LINTER_PREFIX)
            .is_some_and(|check| rule.kube_linter.iter().any(|kl| kl == check)),
    })
}
