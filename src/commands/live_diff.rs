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

use crate::cli::LiveDiffArgs;
use crate::cluster::apply::{print_diag, SetRef};
use crate::cluster::diff::{self as live, DiffOptions, ObjectDiff};
use crate::cluster::Cluster;
use crate::diag::ExitStatus;
use crate::diff;
use crate::model::Node;

pub fn run(args: &LiveDiffArgs) -> ExitStatus {
    let roots = vec![args.root.clone()];
    let (planned, rt) = match super::apply::prepare(
        &roots,
        args.load_restrictor,
        &args.remote,
        args.applyset.is_some() && !args.prune,
    ) {
        Ok(x) => x,
        Err(status) => return status,
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
        } else if changed > 0 && args.exit_code {
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

/// One object as `diff -u -N LIVE/name MERGED/name` with its hunks; the YAML, the Secret
/// masking and the hunks are the offline diff's (src/diff/).
pub fn object_diff(o: &ObjectDiff, context: usize, color: bool, show_secrets: bool) -> String {
    let old = o.live.as_ref().map(diff::live::node_from_json);
    let new = o.merged.as_ref().map(diff::live::node_from_json);
    let (old, new) = if show_secrets {
        (old, new)
    } else {
        diff::mask::mask_pair(old.as_ref(), new.as_ref())
    };
    let yaml = |n: &Node| {
        let mut s = String::new();
        crate::emit::goyaml::write_document(n, &mut s);
        s
    };
    let old_text = old.as_ref().map(yaml).unwrap_or_default();
    let new_text = new.as_ref().map(yaml).unwrap_or_default();
    let name = file_name(o);
    let (bold, reset) = if color {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    let mut out = String::new();
    let _ = writeln!(out, "{bold}diff -u -N LIVE/{name} MERGED/{name}{reset}");
    let _ = writeln!(out, "{bold}--- LIVE/{name}{reset}");
    let _ = writeln!(out, "{bold}+++ MERGED/{name}{reset}");
    out.push_str(&diff::render::hunks(&old_text, &new_text, context, color));
    out
}
