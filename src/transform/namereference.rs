//! Name references: after prefixes, suffixes, namespaces and content hashes have renamed
//! resources, every field that names one of them (env `configMapKeyRef`, volumes,
//! `roleRef`, `scaleTargetRef`, ...) is rewritten to the new name. Which fields hold which
//! kind's name is data (`fieldspec/namereference.yaml` plus `configurations:`); the choice
//! among several renamed candidates follows kustomize's rules (same namespace, same
//! prefixes and suffixes).

use std::collections::{HashMap, HashSet};

use super::fieldspec::config::NameBackRef;
use super::fieldspec::FieldSpec;
use super::Resources;
use crate::diag::{Diag, Result};
use crate::model::{Gvk, Node, ResId, Resource, Value};
use crate::source::Origin;

/// What name references need to know about a possible target, taken before any field is
/// rewritten (rewriting never changes names, so one snapshot serves every referrer).
struct Candidate {
    current: ResId,
    /// `current`'s scope and effective namespace, computed once.
    cluster_scoped: bool,
    namespace: String,
    previous: Vec<ResId>,
    original_namespace: String,
    prefixes: Vec<String>,
    suffixes: Vec<String>,
    name_origin: Option<Origin>,
}

impl Candidate {
    fn of(r: &Resource) -> Self {
        let current = r.id();
        Candidate {
            cluster_scoped: current.gvk.is_cluster_scoped(),
            namespace: current.effective_namespace().to_string(),
            current,
            previous: r.previous.clone(),
            original_namespace: r.org_id().effective_namespace().to_string(),
            prefixes: r.name_prefixes.clone(),
            suffixes: r.name_suffixes.clone(),
            name_origin: r
                .node
                .get_path(&["metadata", "name"])
                .and_then(|n| n.origin),
        }
    }
}

/// The candidates, indexed so that a reference costs a lookup rather than a scan.
struct Index {
    candidates: Vec<Candidate>,
    /// Candidates by each name they ever had (kustomize matches references against
    /// previous names).
    by_name: HashMap<String, Vec<usize>>,
    /// Original namespaces of namespaced candidates: all of them, by effective namespace,
    /// and by namespace as written (for `set_mapping`'s fallback rule).
    original_namespaces: HashSet<String>,
    original_by_effective: HashSet<(String, String)>,
    original_by_written: HashSet<(String, String)>,
}

impl Index {
    fn new(resources: &[Resource]) -> Self {
        let candidates: Vec<Candidate> = resources.iter().map(Candidate::of).collect();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut index = Index {
            candidates: Vec::new(),
            by_name: HashMap::new(),
            original_namespaces: HashSet::new(),
            original_by_effective: HashSet::new(),
            original_by_written: HashSet::new(),
        };
        for (i, c) in candidates.iter().enumerate() {
            let mut names: Vec<&str> = c.previous.iter().map(|id| id.name.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            for name in names {
                by_name.entry(name.to_string()).or_default().push(i);
            }
            if !c.cluster_scoped {
                let original = c.original_namespace.clone();
                index.original_namespaces.insert(original.clone());
                index
                    .original_by_effective
                    .insert((c.namespace.clone(), original.clone()));
                index
                    .original_by_written
                    .insert((c.current.namespace.clone(), original));
            }
        }
        index.candidates = candidates;
        index.by_name = by_name;
        index
    }
}

/// Rewrites every reference to a renamed resource (kustomize's `FixBackReferences`).
pub fn fix(resources: &mut Resources, backrefs: &[NameBackRef]) -> Result<()> {
    let index = Index::new(resources);
    let org_gvks: Vec<Gvk> = resources.iter().map(|r| r.org_id().gvk).collect();
    for (i, referrer) in resources.iter_mut().enumerate() {
        let filters: Vec<(&FieldSpec, &Gvk)> = backrefs
            .iter()
            .flat_map(|b| b.referrers.iter().map(move |spec| (spec, &b.target)))
            .filter(|(spec, _)| spec.matches(&org_gvks[i]))
            .collect();
        if filters.is_empty() {
            continue;
        }
        let referrer_id = referrer.id();
        let subset = referable_by(referrer, &referrer_id)?;
        for (spec, target) in filters {
            let fix = Fix {
                referrer: &referrer_id,
                referrer_prefixes: referrer.name_prefixes.clone(),
                referrer_suffixes: referrer.name_suffixes.clone(),
                role_ref: role_ref_gvk(&referrer.node, spec),
                target,
                index: &index,
                subset: &subset,
            };
            spec.apply(&mut referrer.node, None, None, &mut |n| fix.set(n))
                .map_err(|mut d| {
                    d.message = format!(
                        "updating name reference in '{}' field of '{}': {}",
                        spec.path_string(),
                        referrer_id.describe(),
                        d.message
                    );
                    d
                })?;
        }
    }
    Ok(())
}

/// kustomize's `SubsetThatCouldBeReferencedByResource`, as a membership test: cluster-scoped
/// resources refer to anything; namespaced ones to cluster-scoped resources, their own
/// namespace, and (RoleBindings) the namespaces of their ServiceAccount subjects.
struct Referable {
    everything: bool,
    namespace: String,
    binding_namespaces: Vec<String>,
}

impl Referable {
    fn contains(&self, c: &Candidate) -> bool {
        self.everything
            || c.cluster_scoped
            || c.namespace == self.namespace
            || self.binding_namespaces.contains(&c.current.namespace)
    }

    /// Whether some namespaced candidate in the subset was originally in `ns`.
    fn has_original_namespace(&self, index: &Index, ns: &str) -> bool {
        if self.everything {
            return index.original_namespaces.contains(ns);
        }
        let pair = |a: &str| (a.to_string(), ns.to_string());
        index.original_by_effective.contains(&pair(&self.namespace))
            || self
                .binding_namespaces
                .iter()
                .any(|b| index.original_by_written.contains(&pair(b)))
    }
}

fn referable_by(referrer: &Resource, id: &ResId) -> Result<Referable> {
    if id.gvk.is_cluster_scoped() {
        return Ok(Referable {
            everything: true,
            namespace: String::new(),
            binding_namespaces: Vec::new(),
        });
    }
    let mut binding_namespaces: Vec<String> = Vec::new();
    if referrer.kind() == "RoleBinding" {
        for subject in referrer
            .node
            .get("subjects")
            .and_then(Node::as_seq)
            .into_iter()
            .flatten()
        {
            let (Some(ns), Some("ServiceAccount")) =
                (subject.get("namespace"), subject.get_str("kind"))
            else {
                continue;
            };
            match ns.as_str() {
                Some(ns) => binding_namespaces.push(ns.to_string()),
                None => {
                    return Err(Diag::error(
                        "kit::namereference::blank-namespace",
                        format!("namespace is blank for resource '{}'", id.describe()),
                    )
                    .at(ns.origin.or(subject.origin))
                    .help("give the ServiceAccount subject a namespace name, or remove the `namespace:` key"));
                }
            }
        }
    }
    Ok(Referable {
        everything: false,
        namespace: id.effective_namespace().to_string(),
        binding_namespaces,
    })
}

/// For `roleRef/name` fields: the kind the roleRef names (`apiGroup` and `kind`).
fn role_ref_gvk(node: &Node, spec: &FieldSpec) -> Option<Gvk> {
    if !spec.path_string().ends_with("roleRef/name") {
        return None;
    }
    let role_ref = node.get("roleRef")?;
    Some(Gvk {
        group: role_ref.get("apiGroup")?.scalar_text()?,
        version: String::new(),
        kind: role_ref.get("kind")?.scalar_text()?,
    })
}

/// One referrer field spec being fixed.
struct Fix<'a> {
    referrer: &'a ResId,
    referrer_prefixes: Vec<String>,
    referrer_suffixes: Vec<String>,
    role_ref: Option<Gvk>,
    target: &'a Gvk,
    index: &'a Index,
    subset: &'a Referable,
}

impl Fix<'_> {
    /// Candidates that once had the name `old` and that the referrer may refer to.
    fn named(&self, old: &str) -> Vec<usize> {
        self.index
            .by_name
            .get(old)
            .map(|ids| {
                ids.iter()
                    .copied()
                    .filter(|&i| self.subset.contains(&self.index.candidates[i]))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn set(&self, node: &mut Node) -> Result<()> {
        match &mut node.value {
            Value::Null => Ok(()),
            Value::Map(_) => self.set_mapping(node),
            Value::Seq(items) => {
                for item in items.iter_mut() {
                    match item.value {
                        Value::Map(_) => self.set_mapping(item)?,
                        Value::Seq(_) => {
                            return Err(Diag::error(
                                "kit::namereference::bad-field",
                                "a name reference list must hold names or mappings",
                            )
                            .at(item.origin))
                        }
                        _ => self.set_scalar(item)?,
                    }
                }
                Ok(())
            }
            _ => self.set_scalar(node),
        }
    }

    fn set_scalar(&self, node: &mut Node) -> Result<()> {
        let Some(old) = node.scalar_text() else {
            return Ok(());
        };
        let Some(referral) = self
            .select(&old, self.named(&old), false)
            .map_err(|d| d.at(node.origin))?
        else {
            return Ok(());
        };
        let referral = &self.index.candidates[referral];
        if referral.current.name != old {
            *node = Node::str(referral.current.name.clone(), referral.name_origin);
        }
        Ok(())
    }

    fn set_mapping(&self, node: &mut Node) -> Result<()> {
        let Some(old) = node.get("name").and_then(Node::scalar_text) else {
            return Err(Diag::error(
                "kit::namereference::no-name",
                "path config error; no 'name' field in node",
            )
            .at(node.origin)
            .help("a name reference field spec that ends at a mapping needs a `name` key in it"));
        };
        let named = self.named(&old);
        let candidates = &self.index.candidates;
        let pool = match node.get("namespace").and_then(Node::scalar_text) {
            None => named,
            // Candidates originally in that namespace, when the subset has any; otherwise
            // those in it now.
            Some(ns) if self.subset.has_original_namespace(self.index, &ns) => named
                .into_iter()
                .filter(|&i| {
                    !candidates[i].cluster_scoped && candidates[i].original_namespace == ns
                })
                .collect(),
            Some(ns) => named
                .into_iter()
                .filter(|&i| !candidates[i].cluster_scoped && candidates[i].namespace == ns)
                .collect(),
        };
        let Some(referral) = self
            .select(&old, pool, true)
            .map_err(|d| d.at(node.get("name").and_then(|n| n.origin).or(node.origin)))?
        else {
            return Ok(());
        };
        let referral = &self.index.candidates[referral];
        let namespace = &referral.current.namespace;
        if referral.current.name == old && namespace.is_empty() {
            return Ok(());
        }
        node.set(
            "name",
            Node::str(referral.current.name.clone(), referral.name_origin),
        );
        if !namespace.is_empty() {
            node.set(
                "namespace",
                Node::str(namespace.clone(), referral.name_origin),
            );
        }
        Ok(())
    }

    /// kustomize's `selectReferral`: narrows the candidates step by step; several that
    /// would write the same value are fine, several that differ are an error.
    fn select(
        &self,
        old: &str,
        mut pool: Vec<usize>,
        with_namespace: bool,
    ) -> Result<Option<usize>> {
        let c = &self.index.candidates;
        let selected_by =
            |id: &ResId, g: &Gvk| id.gvk.is_selected_by(&g.group, &g.version, &g.kind);
        pool.retain(|&i| c[i].previous.iter().any(|id| id.name == old));
        pool.retain(|&i| c[i].previous.iter().any(|id| selected_by(id, self.target)));
        if let Some(role) = &self.role_ref {
            pool.retain(|&i| c[i].previous.iter().any(|id| selected_by(id, role)));
        }
        if !self.referrer.gvk.is_cluster_scoped() {
            let referrer_namespace = self.referrer.effective_namespace();
            pool.retain(|&i| {
                c[i].cluster_scoped
                    || c[i].current.gvk.kind == "ServiceAccount"
                    || c[i].namespace == referrer_namespace
            });
        }
        if pool.len() == 1 {
            return Ok(pool.first().copied());
        }
        pool.retain(|&i| self.affixes_match(&c[i], true));
        if pool.len() > 1 {
            pool.retain(|&i| self.affixes_match(&c[i], false));
        }
        let Some(&first) = pool.first() else {
            return Ok(None);
        };
        let same = |i: &usize| {
            c[*i].current.name == c[first].current.name
                && (!with_namespace || c[*i].current.namespace == c[first].current.namespace)
        };
        if pool.iter().all(same) {
            return Ok(Some(first));
        }
        let ids: Vec<String> = pool.iter().map(|&i| c[i].current.describe()).collect();
        Err(Diag::error(
            "kit::namereference::ambiguous",
            format!("found multiple possible referrals: {}", ids.join(", ")),
        )
        .help(format!(
            "'{old}' in {} could mean any of these renamed resources; give them distinct original names or namespaces",
            self.referrer.describe()
        )))
    }

    /// kustomize's `PrefixesSuffixesEquals`.
    fn affixes_match(&self, c: &Candidate, allow_empty: bool) -> bool {
        let ok = |a: &[String], b: &[String]| {
            (allow_empty && (a.is_empty() || b.is_empty())) || same_ending(a, b)
        };
        ok(&c.prefixes, &self.referrer_prefixes) && ok(&c.suffixes, &self.referrer_suffixes)
    }
}

/// Whether the shorter list is the tail of the longer one (two empty lists match; an empty
/// and a non-empty one do not).
fn same_ending(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return long.is_empty();
    }
    long.ends_with(short)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_ending_rules() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(same_ending(&s(&["a", "b", "c"]), &s(&["b", "c"])));
        assert!(!same_ending(&s(&["a", "b", "c"]), &s(&["a", "b"])));
        assert!(same_ending(&s(&[]), &s(&[])));
        assert!(!same_ending(&s(&[]), &s(&["a"])));
    }
}
