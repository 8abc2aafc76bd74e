//! Adding generated objects to the accumulated resources with their `behavior`
//! (kustomize's `ResMap.AbsorbAll`).

use crate::diag::{Diag, Result};
use crate::model::{Mapping, Node, Resource, Value};
use crate::transform::buildmeta;

use super::args::Behavior;
use super::Generated;

/// Adds each generated object to `acc`, in order:
///
/// - An object matches an accumulated resource when its id (kind, name as the generator
///   wrote it, effective namespace) equals that resource's current id or any id it had
///   before a rename. So an overlay's `name: app-config` finds the base's ConfigMap after
///   the base added `namePrefix`, and `name: prefix-app-config` finds it too.
/// - No match: `merge` and `replace` are errors; otherwise the object is appended.
/// - One match: `create` (or no behavior) is an error. `replace` takes the generated
///   object with the old one's labels and annotations merged under its own; `merge` also
///   merges `data` and `binaryData` the same way (the generator's keys win). Either way
///   the result keeps the old resource's name, namespace, position and previous ids, and
///   needs a hash suffix only if both the old and the new one did (a base generator with
///   `disableNameSuffixHash`, or a plain ConfigMap from a file, stays unhashed).
/// - Several matches: an error.
pub fn absorb(acc: &mut Vec<Resource>, generated: Vec<Generated>) -> Result<()> {
    for g in generated {
        absorb_one(acc, g)?;
    }
    Ok(())
}

fn absorb_one(acc: &mut Vec<Resource>, g: Generated) -> Result<()> {
    let id = g.resource.id();
    let matches: Vec<usize> = acc
        .iter()
        .enumerate()
        .filter(|(_, r)| r.any_id_matches(|other| other.same_as(&id)))
        .map(|(i, _)| i)
        .collect();
    match (matches.as_slice(), g.behavior) {
        ([], Behavior::Merge | Behavior::Replace) => Err(Diag::error(
            "kit::generate::behavior",
            format!(
                "id {} does not exist; cannot {} it",
                id.describe(),
                g.behavior.as_str()
            ),
        )
        .at(behavior_origin(&g))
        .help(format!(
            "`behavior: {}` changes a {} that a base or an earlier generator made; none is named '{}' here (in namespace '{}'). Remove `behavior` to create it",
            g.behavior.as_str(),
            id.gvk.kind,
            id.name,
            id.effective_namespace()
        ))),
        ([], _) => {
            acc.push(g.resource);
            Ok(())
        }
        ([i], Behavior::Merge | Behavior::Replace) => {
            let i = *i;
            let merged = combine(&acc[i], g.resource, g.behavior == Behavior::Merge);
            acc[i] = merged;
            Ok(())
        }
        ([i], _) => {
            let existing = acc[*i].id();
            let mut help = format!(
                "a {} named '{}' already exists (as {}); set `behavior: merge` or `behavior: replace` to change it, or give this generator another name",
                id.gvk.kind,
                id.name,
                existing.describe()
            );
            if let Some(text) = &g.behavior_text {
                if g.behavior == Behavior::Unspecified {
                    help = format!(
                        "`behavior: {}` is not one of create, merge, replace (they are lowercase); {help}",
                        text.value
                    );
                }
            }
            Err(Diag::error(
                "kit::generate::behavior",
                format!(
                    "id {} exists; can not use behavior '{}', behavior must be merge or replace",
                    id.describe(),
                    g.behavior.as_str()
                ),
            )
            .at(behavior_origin(&g))
            .help(help))
        }
        (many, _) => Err(Diag::error(
            "kit::generate::behavior",
            format!(
                "found multiple objects ({}) that could accept merge of {}",
                many.iter()
                    .map(|&i| acc[i].id().describe())
                    .collect::<Vec<_>>()
                    .join(", "),
                id.describe()
            ),
        )
        .at(behavior_origin(&g))
        .help("more than one resource has had this id; give the generator the current name of the one to change")),
    }
}

fn behavior_origin(g: &Generated) -> Option<crate::source::Origin> {
    g.behavior_text.as_ref().and_then(|b| b.origin).or(g.origin)
}

/// The generated object `new` taking the place of `old` (kustomize's
/// `CopyMergeMetaDataFieldsFrom`, plus the data maps for `merge`).
fn combine(old: &Resource, new: Resource, merge_data: bool) -> Resource {
    let mut node = new.node;
    let origin = node.origin;
    for field in ["labels", "annotations"] {
        let merged = merge_maps(
            old.node.get_path(&["metadata", field]),
            node.get_path(&["metadata", field]),
        );
        if let Some(meta) = node.entry_map("metadata", origin) {
            set_or_remove(meta, field, merged, origin);
        }
    }
    let name_node = old
        .node
        .get_path(&["metadata", "name"])
        .cloned()
        .unwrap_or_else(|| Node::str("", origin));
    let namespace_node = old.node.get_path(&["metadata", "namespace"]).cloned();
    if let Some(meta) = node.entry_map("metadata", origin) {
        meta.set("name", name_node);
        match namespace_node.filter(|n| !n.scalar_text().unwrap_or_default().is_empty()) {
            Some(ns) => meta.set("namespace", ns),
            None => {
                meta.remove("namespace");
            }
        }
    }
    if merge_data {
        for field in ["data", "binaryData"] {
            let merged = merge_maps(old.node.get(field), node.get(field));
            set_or_remove(&mut node, field, merged, origin);
        }
        // A merge keeps the origin annotation of the resource merged into (`replace` takes
        // the generator's, as the annotations merge above gives it).
        let kept = old
            .node
            .get_path(&["metadata", "annotations", buildmeta::ORIGIN])
            .cloned();
        if let Some(kept) = kept {
            if let Some(annotations) = node
                .entry_map("metadata", origin)
                .and_then(|m| m.entry_map("annotations", origin))
            {
                annotations.set(buildmeta::ORIGIN, kept);
            }
        }
    }
    Resource {
        node,
        previous: old.previous.clone(),
        needs_hash: old.needs_hash && new.needs_hash,
        name_prefixes: old.name_prefixes.clone(),
        name_suffixes: old.name_suffixes.clone(),
        // kustomize replaces the old object with the new one: vars marked on the old are lost.
        ref_var_names: new.ref_var_names.clone(),
        helm_generated: old.helm_generated || new.helm_generated,
    }
}

/// `old` and `new` string maps merged, `new` winning; values become strings (as
/// kustomize reads them with `GetValue`). Keys sorted (the emitter sorts anyway).
fn merge_maps(old: Option<&Node>, new: Option<&Node>) -> Mapping {
    let mut out: Mapping = Vec::new();
    for map in [old, new].into_iter().flatten().filter_map(Node::as_map) {
        for (k, v) in map {
            let value = Node::str(
                match &v.value {
                    Value::Null | Value::Seq(_) | Value::Map(_) => String::new(),
                    _ => v.scalar_text().unwrap_or_default(),
                },
                v.origin,
            );
            match out.iter_mut().find(|(have, _)| have == k) {
                Some((_, slot)) => *slot = value,
                None => out.push((k.clone(), value)),
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn set_or_remove(
    target: &mut Node,
    field: &str,
    map: Mapping,
    origin: Option<crate::source::Origin>,
) {
    if map.is_empty() {
        target.remove(field);
    } else {
        let at = target.get(field).and_then(|n| n.origin).or(origin);
        target.set(field, Node::new(Value::Map(map), at));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::generate::testing::{map, s};
    use crate::model::ResId;

    fn cm(name: &str, data: Vec<(&str, Node)>, labels: Vec<(&str, Node)>) -> Resource {
        let mut meta = vec![("name", s(name))];
        if !labels.is_empty() {
            meta.push(("labels", map(labels)));
        }
        Resource::new(map(vec![
            ("apiVersion", s("v1")),
            ("kind", s("ConfigMap")),
            ("metadata", map(meta)),
            ("data", map(data)),
        ]))
    }

    fn generated(r: Resource, behavior: Behavior) -> Generated {
        Generated {
            resource: r,
            behavior,
            behavior_text: None,
            origin: None,
        }
    }

    #[test]
    fn merge_keeps_old_identity_and_merges_maps() {
        let mut base = cm(
            "p-app",
            vec![("a", s("1")), ("b", Node::new(Value::Int(2), None))],
            vec![("team", s("x"))],
        );
        base.previous.push(ResId {
            gvk: base.gvk(),
            namespace: String::new(),
            name: "app".into(),
        });
        base.needs_hash = true;
        let mut acc = vec![base];
        let mut new = cm("app", vec![("b", s("3"))], vec![("env", s("dev"))]);
        new.needs_hash = true;
        absorb(&mut acc, vec![generated(new, Behavior::Merge)]).unwrap();
        let r = &acc[0];
        assert_eq!(r.name(), "p-app");
        assert_eq!(r.previous.len(), 1);
        assert!(r.needs_hash);
        let data = r.node.get("data").unwrap();
        assert_eq!(data.get_str("a"), Some("1"));
        assert_eq!(data.get_str("b"), Some("3"));
        let labels = r.node.get_path(&["metadata", "labels"]).unwrap();
        assert_eq!(labels.get_str("team"), Some("x"));
        assert_eq!(labels.get_str("env"), Some("dev"));
    }

    #[test]
    fn replace_drops_old_data_and_plain_targets_stay_unhashed() {
        let mut acc = vec![cm("app", vec![("a", s("1"))], vec![])];
        let mut new = cm("app", vec![("b", s("2"))], vec![]);
        new.needs_hash = true;
        absorb(&mut acc, vec![generated(new, Behavior::Replace)]).unwrap();
        assert!(acc[0].node.get("data").unwrap().get("a").is_none());
        assert!(!acc[0].needs_hash);
    }

    #[test]
    fn conflicts_and_missing_targets_are_errors() {
        let mut acc = vec![cm("app", vec![], vec![])];
        let dup = generated(cm("app", vec![], vec![]), Behavior::Unspecified);
        let err = absorb(&mut acc, vec![dup]).unwrap_err();
        assert!(
            err.message.contains("can not use behavior 'unspecified'"),
            "{}",
            err.message
        );
        let missing = generated(cm("other", vec![], vec![]), Behavior::Merge);
        assert!(absorb(&mut acc, vec![missing]).is_err());
        let fresh = generated(cm("other", vec![], vec![]), Behavior::Create);
        absorb(&mut acc, vec![fresh]).unwrap();
        assert_eq!(acc.len(), 2);
    }
}
