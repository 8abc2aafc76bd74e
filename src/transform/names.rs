//! `namePrefix` and `nameSuffix`. Namespaces, CRDs and APIServices keep their names, as in
//! kustomize; each kustomization layer adds its own prefix once.

use super::fieldspec::{CreateKind, FieldSpec};
use super::{Resources, Setting};
use crate::diag::Result;
use crate::model::{Node, Value};

fn skipped(kind: &str, group: &str) -> bool {
    kind == "CustomResourceDefinition"
        || kind == "Namespace"
        || (kind == "APIService" && group == "apiregistration.k8s.io")
}

pub fn prefix(resources: &mut Resources, prefix: &Setting, specs: &[FieldSpec]) -> Result<()> {
    affix(resources, prefix, specs, true)
}

pub fn suffix(resources: &mut Resources, suffix: &Setting, specs: &[FieldSpec]) -> Result<()> {
    affix(resources, suffix, specs, false)
}

fn affix(
    resources: &mut Resources,
    affix: &Setting,
    specs: &[FieldSpec],
    is_prefix: bool,
) -> Result<()> {
    for res in resources.iter_mut() {
        let org = res.org_id();
        if skipped(&org.gvk.kind, &org.gvk.group) {
            continue;
        }
        for spec in specs.iter().filter(|s| s.matches(&org.gvk)) {
            if spec.path_string() == "metadata/name" && !affix.value.is_empty() {
                if is_prefix {
                    res.name_prefixes.push(affix.value.clone());
                } else {
                    res.name_suffixes.push(affix.value.clone());
                }
                res.store_previous_id();
            }
            // kustomize's prefix and suffix filters create a missing field (as "") where
            // the spec says `create: true`.
            spec.apply(
                &mut res.node,
                Some(CreateKind::Scalar),
                affix.origin,
                &mut |target: &mut Node| {
                    if let Some(text) = target.scalar_text() {
                        if !matches!(target.value, Value::Seq(_) | Value::Map(_)) {
                            let value = if is_prefix {
                                format!("{}{}", affix.value, text)
                            } else {
                                format!("{}{}", text, affix.value)
                            };
                            *target = Node::str(value, affix.origin.or(target.origin));
                        }
                    }
                    Ok(())
                },
            )?;
        }
    }
    Ok(())
}
