//! `namePrefix` and `nameSuffix`. Namespaces, CRDs and APIServices keep their names, as in
//! kustomize; each kustomization layer adds its own prefix once.

use super::fieldspec::{CreateKind, FieldSpec};
use super::{Resources, Setting};
use saphyr_parser::ScalarStyle;

use crate::diag::{Diag, Result};
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
            // kustomize's prefix and suffix filters create a missing field (empty) where
            // the spec says `create: true`.
            spec.apply(
                &mut res.node,
                Some(CreateKind::Scalar),
                affix.origin,
                &mut |target: &mut Node| {
                    if matches!(target.value, Value::Seq(_) | Value::Map(_)) {
                        return Err(Diag::error(
                            "kit::transform::affix-not-scalar",
                            "wrong node kind: expected a scalar, found a mapping or list",
                        )
                        .at(target.origin)
                        .help("a name prefix or suffix field spec must point at a string field"));
                    }
                    let text = target.scalar_text().unwrap_or_default();
                    let value = if is_prefix {
                        format!("{}{}", affix.value, text)
                    } else {
                        format!("{}{}", text, affix.value)
                    };
                    let origin = affix.origin.or(target.origin);
                    // kustomize sets an untagged scalar in the field's own style: a plain
                    // field is read back as YAML (`1` stays a number, an empty one is null);
                    // a quoted one stays text.
                    *target = if was_quoted(target) {
                        Node::str(value, origin)
                    } else {
                        Node::new(
                            crate::load::yaml::resolve_scalar(&value, ScalarStyle::Plain, None),
                            origin,
                        )
                    };
                    Ok(())
                },
            )?;
        }
    }
    Ok(())
}

/// Whether a string field must have been written quoted: plain, it would not be a string
/// (an empty plain field is null). kit keeps no scalar styles, so a string that reads the
/// same plain is taken as plain.
fn was_quoted(node: &Node) -> bool {
    match &node.value {
        Value::Str(s) => {
            s.is_empty()
                || !matches!(
                    crate::load::yaml::resolve_scalar(s, ScalarStyle::Plain, None),
                    Value::Str(_)
                )
        }
        _ => false,
    }
}
