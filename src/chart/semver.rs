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

/// Kubernetes' generic version (`k8s.io/apimachinery/pkg/util/version.ParseGeneric`, which
/// Helm v4 reads `--kube-version` with): optional leading whitespace and `v`, then at least two
/// dot-separated numbers (the first without a leading zero); whatever follows is ignored.
/// Returns the numbers.
pub fn parse_kubernetes_generic(text: &str) -> Result<Vec<u64>, String> {
    // Go's `\s`: tab, newline, form feed, carriage return, space.
    let rest = text.trim_start_matches(['\t', '\n', '\x0c', '\r', ' ']);
    let rest = rest.strip_prefix('v').unwrap_or(rest);
    let digits_end = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let first = digits_end(rest);
    if first == 0 {
        return Err(format!("could not parse {text:?} as version"));
    }
    // The numbers: digits, then `.digits` as long as a digit follows the dot.
    let mut end = first;
    while let Some(after) = rest[end..].strip_prefix('.') {
        let n = digits_end(after);
        if n == 0 {
            break;
        }
        end += 1 + n;
    }
    let components: Vec<&str> = rest[..end].split('.').collect();
    if components.len() < 2 {
        return Err(format!("illegal version string {text:?}"));
    }
    components
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i == 0 && c.starts_with('0') && *c != "0" {
                return Err(format!(
                    "illegal zero-prefixed version component {c:?} in {text:?}"
                ));
            }
            c.parse::<u64>().map_err(|_| {
                format!(
                    "illegal non-numeric version component {c:?} in {text:?}: strconv.ParseUint: parsing {c:?}: value out of range"
                )
            })
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn kubernetes_generic_versions_read_as_helm_v4_reads_kube_version() {
        // Each as helm v4.1.4 `template --kube-version` read it.
        let ok = |t: &str| parse_kubernetes_generic(t).unwrap();
        assert_eq!(ok("1.33.4-gke.1245000"), [1, 33, 4]);
        assert_eq!(ok("v1.29"), [1, 29]);
        assert_eq!(ok("1.2.3.4"), [1, 2, 3, 4]);
        assert_eq!(ok(" 1.30"), [1, 30]);
        assert_eq!(ok("1.30.x"), [1, 30]);
        assert_eq!(ok("1.030"), [1, 30]);
        assert_eq!(ok("1.30abc"), [1, 30]);
        let err = |t: &str| parse_kubernetes_generic(t).unwrap_err();
        assert_eq!(err("1"), r#"illegal version string "1""#);
        assert_eq!(err("1.x"), r#"illegal version string "1.x""#);
        assert_eq!(err("v"), r#"could not parse "v" as version"#);
        assert_eq!(
            err("01.2"),
            r#"illegal zero-prefixed version component "01" in "01.2""#
        );
        assert!(err("1.99999999999999999999").starts_with("illegal non-numeric"));
    }
}
