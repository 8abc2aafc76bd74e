//! `commonLabels`, `labels` and `commonAnnotations`: set key/value pairs at every field spec.

use super::fieldspec::{CreateKind, FieldSpec};
use super::{set_entry, Pairs, Resources};
use crate::diag::{Diag, Result};
use crate::model::Value;

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
        for (key, value) in &sorted {
            for spec in specs.iter().filter(|s| s.matches(&gvk)) {
                spec.apply(
                    &mut res.node,
                    Some(CreateKind::Map),
                    value.origin,
                    &mut |target| match &target.value {
                        Value::Map(_) => {
                            set_entry(target, key, value);
                            Ok(())
                        }
                        _ => Err(Diag::error(
                            "kit::transform::not-a-map",
                            format!("cannot set \"{key}\": the field is not a mapping"),
                        )
                        .at(target.origin)),
                    },
                )?;
            }
        }
    }
    Ok(())
}
