//! `commonLabels`, `labels` and `commonAnnotations`: set key/value pairs at every field spec.

use super::fieldspec::{CreateKind, FieldSpec};
use super::{Pairs, Resources};
use crate::diag::{Diag, Result};
use crate::model::{share, Value};
use crate::source::SourceMap;

/// Writes every pair at every matching field spec of every resource, keys in sorted order
/// (as kustomize iterates them). Works for labels and annotations alike.
pub fn apply_pairs(resources: &mut Resources, pairs: &Pairs, specs: &[FieldSpec]) -> Result<()> {
    if pairs.is_empty() {
        return Ok(());
    }
    let mut sorted: Vec<&(String, super::Setting)> = pairs.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    for res in resources.iter_mut() {
        let gvk = res.gvk();
        share::in_place(&mut res.node, |node| -> Result<()> {
            for (key, value) in &sorted {
                // One value per resource and key, shared by every place the key is new.
                let mut fresh = value.node();
                fresh.share = share::fresh_id();
                for spec in specs.iter().filter(|s| s.matches(&gvk)) {
                    spec.apply(node, Some(CreateKind::Map), value.origin, &mut |target| {
                        match &target.value {
                            Value::Map(_) => {
                                match target.get_mut(key) {
                                    Some(existing) => {
                                        existing.value = fresh.value.clone();
                                        existing.origin = fresh.origin;
                                    }
                                    None => target.set(key, fresh.clone()),
                                }
                                Ok(())
                            }
                            _ => Err(Diag::error(
                                "kit::transform::not-a-map",
                                format!("cannot set \"{key}\": the field is not a mapping"),
                            )
                            .at(target.origin)),
                        }
                    })?;
                }
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// kustomize rewrites every non-empty `metadata.annotations` as a string map at the end of a
/// build, keeping each value's source text: `port: 0x1F` comes out as `port: "0x1F"`.
pub fn stringify_annotations(resources: &mut Resources, sources: &SourceMap) {
    for res in resources.iter_mut() {
        // kustomize's internal annotations come and go on every resource during a build;
        // a map left empty (or null) is removed with them.
        if let Some(meta) = res.node.get_mut("metadata") {
            if meta
                .get("annotations")
                .is_some_and(|a| a.is_null() || a.as_map().is_some_and(Vec::is_empty))
            {
                meta.remove("annotations");
            }
        }
        let Some(annotations) = res
            .node
            .get_mut("metadata")
            .and_then(|m| m.get_mut("annotations"))
        else {
            continue;
        };
        if let Value::Map(entries) = &mut annotations.value {
            for (_, v) in entries.iter_mut() {
                if matches!(v.value, Value::Map(_) | Value::Seq(_)) {
                    continue;
                }
                let written = v.origin.and_then(|o| sources.text_of(o)).filter(|t| {
                    !t.starts_with(['"', '\'', '!', '*', '&', '|', '>']) && !t.contains('\n')
                });
                match (&v.value, written) {
                    // A plain timestamp was read as RFC 3339; annotations keep what was written.
                    (Value::Str(s), Some(w)) => {
                        if crate::load::timestamp::to_rfc3339(&w).as_deref() == Some(s.as_str()) {
                            v.value = Value::Str(w);
                        }
                    }
                    (Value::Str(_), None) => {}
                    (_, w) => {
                        v.value = Value::Str(w.or_else(|| v.scalar_text()).unwrap_or_default())
                    }
                }
            }
        }
    }
}
