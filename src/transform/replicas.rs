//! `replicas`: set the replica count of workloads by name.

use super::fieldspec::{CreateKind, FieldSpec};
use super::Resources;
use crate::diag::{Diag, Result};
use crate::model::{Node, Value};
use crate::source::Origin;

#[derive(Debug, Clone)]
pub struct Replica {
    pub name: String,
    pub count: i64,
    pub origin: Option<Origin>,
}

pub fn apply(resources: &mut Resources, replica: &Replica, specs: &[FieldSpec]) -> Result<()> {
    let mut found = false;
    for spec in specs {
        for res in resources.iter_mut() {
            let gvk = res.gvk();
            let selected = res.any_id_matches(|id| {
                id.name == replica.name
                    && id
                        .gvk
                        .is_selected_by(&spec.group, &spec.version, &spec.kind)
            });
            if !selected {
                continue;
            }
            found = true;
            if !spec.matches(&gvk) {
                continue;
            }
            spec.apply(
                &mut res.node,
                Some(CreateKind::Scalar),
                replica.origin,
                &mut |n| {
                    *n = Node::new(Value::Int(replica.count), replica.origin);
                    Ok(())
                },
            )?;
        }
    }
    if !found {
        let kinds: Vec<String> = specs.iter().map(|s| s.kind.clone()).collect();
        return Err(Diag::error(
            "kit::transform::replicas-no-match",
            format!("resource with name {} does not match a config with the following kinds {:?}", replica.name, kinds),
        )
        .at(replica.origin)
        .help("`replicas` applies to Deployments, ReplicationControllers, ReplicaSets and StatefulSets by name; check the name"));
    }
    Ok(())
}
