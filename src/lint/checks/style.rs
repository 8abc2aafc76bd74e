//! Style rules: how a manifest is written rather than what it asks of the cluster.

use std::fmt::Write as _;

use super::hit;
use crate::lint::workload::Object;
use crate::lint::{Ctx, Hit};
use crate::model::{Node, Value};

/// kube-linter `sorted-keys` (recursive): every mapping whose keys are not in byte order
/// (`apiVersion` < `kind` < `metadata` < `spec`; upper case before lower case), once per
/// mapping, at the mapping. Keys keep the order they are written in (the loader keeps
/// document order); empty keys are left out, as kube-linter leaves out keys it cannot
/// read as text.
pub fn unsorted_keys(_: &Ctx, obj: &Object, out: &mut Vec<Hit>) {
    check_node(obj.node(), &mut String::new(), out);
}

fn check_node(node: &Node, path: &mut String, out: &mut Vec<Hit>) {
    match &node.value {
        Value::Map(entries) => {
            let keys: Vec<&str> = entries
                .iter()
                .map(|(k, _)| k.as_str())
                .filter(|k| !k.is_empty())
                .collect();
            if keys.windows(2).any(|w| w[0] > w[1]) {
                let mut sorted = keys.clone();
                sorted.sort_unstable();
                let at = if path.is_empty() {
                    "the top level"
                } else {
                    path.as_str()
                };
                hit(
                    out,
                    node.origin,
                    format!(
                        "keys at {at} are not sorted: expected {}, got {}",
                        sorted.join(", "),
                        keys.join(", ")
                    ),
                );
            }
            for (key, child) in entries {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                check_node(child, path, out);
                path.truncate(len);
            }
        }
        Value::Seq(items) => {
            for (i, child) in items.iter().enumerate() {
                let len = path.len();
                let _ = write!(path, "[{i}]");
                check_node(child, path, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}
