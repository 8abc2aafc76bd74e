//! `kit diff` against a cluster: each object of the render is applied with a server-side
//! dry run (so defaults, admission and field ownership are the server's), and the result is
//! compared with the live object, both without what the server alone writes
//! ([`super::normalize`]). With an ApplySet, the members that `kit apply --prune` would delete
//! are listed too.

use std::collections::HashSet;
use std::io::Write;

use kube::api::{Patch, PatchParams};
use serde_json::Value;

use super::apply::{
    api_diag, body_for, effective_namespace, print_diag, prune_candidates, read_parent, Key,
    Planned, SetRef,
};
use super::applyset::Recorded;
use super::{describe, from_value, normalize, to_value, Cluster};
use crate::diag::Diag;

/// One object's two sides; `None` for a side where it does not exist.
#[derive(Clone, Debug)]
pub struct ObjectDiff {
    /// `deployment/web (namespace default)`.
    pub what: String,
    pub kind: String,
    pub api_version: String,
    pub name: String,
    pub namespace: Option<String>,
    pub live: Option<Value>,
    pub merged: Option<Value>,
}

impl ObjectDiff {
    pub fn changed(&self) -> bool {
        self.live != self.merged
    }

    /// An object the server cannot dry-run yet (its CRD or its namespace comes with the
    /// render): new, as rendered.
    fn new_as_rendered(p: &Planned, namespace: Option<String>, body: Value) -> ObjectDiff {
        ObjectDiff {
            what: describe(&p.kind, namespace.as_deref(), &p.name),
            kind: p.kind.clone(),
            api_version: p.api_version.clone(),
            name: p.name.clone(),
            namespace,
            live: None,
            merged: Some(body),
        }
    }
}

#[derive(Clone, Debug)]
pub struct DiffOptions {
    pub field_manager: String,
    pub force_conflicts: bool,
    pub prune: Option<SetRef>,
}

/// Computes the diff of every object (in apply order), then the pruned members; errors are
/// per object and do not stop the others.
pub async fn diff(
    cluster: &mut Cluster,
    objects: Vec<Planned>,
    opts: &DiffOptions,
    err: &mut dyn Write,
) -> (Vec<ObjectDiff>, Vec<Diag>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    if let Err(d) = cluster.discover(&super::apply::groups(&objects)).await {
        return (out, vec![d]);
    }
    let set_id = opts.prune.as_ref().map(SetRef::id);
    let own_crds: Vec<(String, String, bool)> = objects
        .iter()
        .filter(|p| p.kind == "CustomResourceDefinition")
        .filter_map(|p| {
            let spec = p.body.get("spec")?;
            Some((
                spec.get("group")?.as_str()?.to_string(),
                spec.pointer("/names/kind")?.as_str()?.to_string(),
                spec.get("scope").and_then(Value::as_str) != Some("Cluster"),
            ))
        })
        .collect();
    let mut kept: HashSet<Key> = HashSet::new();
    // Namespaces of the render that the cluster lacks (apply creates them first). The server
    // refuses a dry run in a namespace that does not exist, so their objects are new as
    // rendered (`kubectl diff` fails on them instead).
    let mut new_namespaces: HashSet<String> = HashSet::new();
    for p in &objects {
        let target = match cluster.resolve(&p.api_version, &p.kind).await {
            Ok(t) => t,
            Err(d) => {
                // A custom resource whose CRD is in the render but not in the cluster: new.
                if let Some((_, _, namespaced)) = own_crds
                    .iter()
                    .find(|(g, k, _)| g == p.group() && *k == p.kind)
                {
                    let ns = if *namespaced {
                        Some(
                            p.namespace
                                .clone()
                                .unwrap_or_else(|| cluster.namespace.clone()),
                        )
                    } else {
                        None
                    };
                    let body = body_for(p, ns.as_deref(), set_id.as_deref());
                    kept.insert((p.group_kind(), p.kind.clone(), ns.clone(), p.name.clone()));
                    out.push(ObjectDiff::new_as_rendered(p, ns, body));
                    continue;
                }
                print_diag(err, &d);
                errors.push(d);
                continue;
            }
        };
        let ns = effective_namespace(cluster, p, &target);
        let what = describe(&p.kind, ns.as_deref(), &p.name);
        kept.insert((p.group_kind(), p.kind.clone(), ns.clone(), p.name.clone()));
        let body = body_for(p, ns.as_deref(), set_id.as_deref());
        if ns.as_ref().is_some_and(|ns| new_namespaces.contains(ns)) {
            out.push(ObjectDiff::new_as_rendered(p, ns, body));
            continue;
        }
        let api = cluster.api(&target, ns.as_deref());
        let live = match api.get_opt(&p.name).await {
            Ok(l) => l,
            Err(e) => {
                let d = api_diag(&what, &e);
                print_diag(err, &d);
                errors.push(d);
                continue;
            }
        };
        if live.is_none() && p.kind == "Namespace" && p.group().is_empty() {
            new_namespaces.insert(p.name.clone());
        }
        let obj = match from_value(&body) {
            Ok(o) => o,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let mut pp = PatchParams::apply(&opts.field_manager).dry_run();
        if opts.force_conflicts {
            pp = pp.force();
        }
        match api.patch(&p.name, &pp, &Patch::Apply(&obj)).await {
            Ok(merged) => out.push(ObjectDiff {
                what,
                kind: p.kind.clone(),
                api_version: p.api_version.clone(),
                name: p.name.clone(),
                namespace: ns,
                live: live.as_ref().map(|l| normalize(&to_value(l))),
                merged: Some(normalize(&to_value(&merged))),
            }),
            Err(e) => {
                let d = api_diag(&what, &e);
                print_diag(err, &d);
                errors.push(d);
            }
        }
    }
    if let (Some(set), Some(id)) = (&opts.prune, &set_id) {
        match read_parent(cluster, set).await {
            Ok(Some(parent)) => {
                let mut scope = Recorded::from_parent(&parent);
                for (gk, _, ns, _) in &kept {
                    scope.group_kinds.insert(gk.clone());
                    if let Some(ns) = ns {
                        scope.namespaces.insert(ns.clone());
                    }
                }
                match prune_candidates(cluster, id, &scope, &kept).await {
                    Ok(cands) => {
                        for c in cands {
                            out.push(ObjectDiff {
                                what: describe(&c.kind, c.namespace.as_deref(), &c.name),
                                kind: c.kind.clone(),
                                api_version: c
                                    .live
                                    .get("apiVersion")
                                    .and_then(Value::as_str)
                                    .unwrap_or("")
                                    .to_string(),
                                name: c.name,
                                namespace: c.namespace,
                                live: Some(normalize(&c.live)),
                                merged: None,
                            });
                        }
                    }
                    Err(d) => errors.push(d),
                }
            }
            Ok(None) => {}
            Err(d) => errors.push(d),
        }
    }
    (out, errors)
}
