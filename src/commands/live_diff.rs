//! `kit diff PATH`: the render against the live cluster. Each object is applied with a
//! server-side dry run and compared with the live object (src/cluster/diff.rs); each changed
//! object prints as a unified diff with kubectl diff's `diff -u -N LIVE/... MERGED/...`
//! header, Secret `data`/`stringData` values masked as kubectl masks them. Exit 0 no change,
//! 1 changes, 3 cluster error, 2 input error.
//!
//! The renderer here is deliberately small; the offline `kit diff A B` (src/diff/) is meant
//! to take it over.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};

use serde_json::Value;
use similar::{ChangeTag, TextDiff};

use crate::cli::LiveDiffArgs;
use crate::cluster::apply::{self as engine, print_diag, SetRef};
use crate::cluster::diff::{self as live, DiffOptions, ObjectDiff};
use crate::cluster::{self, Cluster};
use crate::diag::ExitStatus;
use crate::model::{Node, Value as NodeValue};

pub fn run(args: &LiveDiffArgs) -> ExitStatus {
    let roots = vec![args.root.clone()];
    let (objects, loader) = match super::apply::render(&roots, args.load_restrictor) {
        Ok(x) => x,
        Err((errors, loader)) => return super::build::report(&errors, &loader),
    };
    drop(loader);
    let planned = match engine::plan(objects) {
        Ok(p) => p,
        Err(errors) => {
            for d in &errors {
                print_diag(&mut std::io::stderr(), d);
            }
            return ExitStatus::InputError;
        }
    };
    if args.applyset.is_some() && !args.prune {
        let d =
            crate::diag::Diag::error("kit::cli::applyset", "--applyset is only used with --prune");
        print_diag(&mut std::io::stderr(), &d);
        return ExitStatus::InputError;
    }
    let rt = match cluster::runtime() {
        Ok(rt) => rt,
        Err(d) => {
            print_diag(&mut std::io::stderr(), &d);
            return ExitStatus::ClusterError;
        }
    };
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    rt.block_on(async {
        let mut cluster =
            match Cluster::connect(&super::apply::connect_options(&args.cluster)).await {
                Ok(c) => c,
                Err(d) => {
                    print_diag(&mut std::io::stderr(), &d);
                    return ExitStatus::ClusterError;
                }
            };
        let prune = args.prune.then(|| SetRef {
            name: args
                .applyset
                .clone()
                .unwrap_or_else(|| super::apply::default_applyset_name(&roots)),
            namespace: cluster.namespace.clone(),
        });
        let opts = DiffOptions {
            field_manager: args.cluster.field_manager.clone(),
            force_conflicts: args.cluster.force_conflicts,
            prune,
        };
        let mut err = std::io::stderr();
        let (objects, errors) = live::diff(&mut cluster, planned, &opts, &mut err).await;
        let mut text = String::new();
        let mut changed = 0;
        for o in &objects {
            if o.changed() {
                changed += 1;
                text.push_str(&object_diff(o, args.unified, color, args.show_secrets));
            }
        }
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
        if !errors.is_empty() {
            ExitStatus::ClusterError
        } else if changed > 0 {
            ExitStatus::Findings
        } else {
            ExitStatus::Success
        }
    })
}

/// kubectl diff's file name: `apps.v1.Deployment.default.web` (`v1.ConfigMap...` for core).
fn file_name(o: &ObjectDiff) -> String {
    let gv = o.api_version.replace('/', ".");
    format!(
        "{gv}.{}.{}.{}",
        o.kind,
        o.namespace.as_deref().unwrap_or(""),
        o.name
    )
}

/// One object as `diff -u -N LIVE/name MERGED/name` with its hunks.
pub fn object_diff(o: &ObjectDiff, context: usize, color: bool, show_secrets: bool) -> String {
    let (mut old, mut new) = (o.live.clone(), o.merged.clone());
    if o.kind == "Secret" && !show_secrets {
        mask_secret(&mut old, &mut new);
    }
    let old_text = old.as_ref().map(yaml).unwrap_or_default();
    let new_text = new.as_ref().map(yaml).unwrap_or_default();
    let name = file_name(o);
    let (bold, red, green, cyan, reset) = if color {
        ("\x1b[1m", "\x1b[31m", "\x1b[32m", "\x1b[36m", "\x1b[0m")
    } else {
        ("", "", "", "", "")
    };
    let mut out = String::new();
    let _ = writeln!(out, "{bold}diff -u -N LIVE/{name} MERGED/{name}{reset}");
    let _ = writeln!(out, "{bold}--- LIVE/{name}{reset}");
    let _ = writeln!(out, "{bold}+++ MERGED/{name}{reset}");
    let diff = TextDiff::from_lines(&old_text, &new_text);
    for group in diff.grouped_ops(context) {
        let header = similar::udiff::UnifiedHunkHeader::new(&group);
        let _ = writeln!(out, "{cyan}{header}{reset}");
        for op in &group {
            for change in diff.iter_changes(op) {
                let line = change.value().trim_end_matches('\n');
                match change.tag() {
                    ChangeTag::Equal => {
                        let _ = writeln!(out, " {line}");
                    }
                    ChangeTag::Delete => {
                        let _ = writeln!(out, "{red}-{line}{reset}");
                    }
                    ChangeTag::Insert => {
                        let _ = writeln!(out, "{green}+{line}{reset}");
                    }
                }
            }
        }
    }
    out
}

/// Masks Secret values as kubectl diff does: `***` where both sides agree, `*** (before)`
/// and `*** (after)` where they differ.
pub fn mask_secret(old: &mut Option<Value>, new: &mut Option<Value>) {
    for field in ["data", "stringData"] {
        let before = old.as_ref().and_then(|o| o.get(field)).cloned();
        let after = new.as_ref().and_then(|o| o.get(field)).cloned();
        let same = |k: &str| {
            before.as_ref().and_then(|b| b.get(k)) == after.as_ref().and_then(|a| a.get(k))
        };
        for (side, suffix) in [(&mut *old, " (before)"), (&mut *new, " (after)")] {
            if let Some(map) = side
                .as_mut()
                .and_then(|o| o.get_mut(field))
                .and_then(Value::as_object_mut)
            {
                for (k, v) in map.iter_mut() {
                    let mask = if same(k) {
                        "***".to_string()
                    } else {
                        format!("***{suffix}")
                    };
                    *v = Value::String(mask);
                }
            }
        }
    }
}

/// An object as YAML (sorted keys, as kubectl prints it).
pub fn yaml(v: &Value) -> String {
    let mut s = String::new();
    crate::emit::goyaml::write_document(&node(v), &mut s);
    s
}

fn node(v: &Value) -> Node {
    let value = match v {
        Value::Null => NodeValue::Null,
        Value::Bool(b) => NodeValue::Bool(*b),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => NodeValue::Int(i),
            (None, Some(u)) => NodeValue::UInt(u),
            _ => NodeValue::Float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => NodeValue::Str(s.clone()),
        Value::Array(a) => NodeValue::Seq(a.iter().map(node).collect()),
        Value::Object(m) => NodeValue::Map(m.iter().map(|(k, v)| (k.clone(), node(v))).collect()),
    };
    Node::new(value, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_masked_like_kubectl_diff() {
        let mut old = Some(json!({"kind": "Secret", "data": {"a": "eA==", "b": "eQ=="}}));
        let mut new = Some(json!({"kind": "Secret", "data": {"a": "eA==", "b": "eg=="}}));
        mask_secret(&mut old, &mut new);
        assert_eq!(
            old,
            Some(json!({"kind": "Secret", "data": {"a": "***", "b": "*** (before)"}}))
        );
        assert_eq!(
            new,
            Some(json!({"kind": "Secret", "data": {"a": "***", "b": "*** (after)"}}))
        );
        let mut none = None;
        let mut added = Some(json!({"stringData": {"p": "hunter2"}}));
        mask_secret(&mut none, &mut added);
        assert_eq!(added, Some(json!({"stringData": {"p": "*** (after)"}})));
    }
}
