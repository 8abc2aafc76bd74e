//! `kit diff PATH`: the render against the live cluster. Each object is applied with a
//! server-side dry run and compared with the live object (src/cluster/diff.rs); each changed
//! object prints as a unified diff with kubectl diff's `diff -u -N LIVE/... MERGED/...`
//! header, Secret `data`/`stringData` values masked as kubectl masks them. With
//! `KUBECTL_EXTERNAL_DIFF` set, every object goes to that program instead, as kubectl diff
//! does it (the render-vs-render diff's `external_diff`). Exit 0 no change, 1 changes (0 with
//! `--exit-code=false`), 3 cluster error, 2 input error.
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
        let changed = objects.iter().any(ObjectDiff::changed);
        let status = if let Some(command) = super::diff::external_diff_command() {
            match super::diff::external_diff(&command, &external_sides(&objects, args.show_secrets))
            {
                Ok(status) => status,
                Err(d) => {
                    print_diag(&mut err, &d);
                    ExitStatus::ClusterError
                }
            }
        } else {
            let mut text = String::new();
            for o in objects.iter().filter(|o| o.changed()) {
                text.push_str(&object_diff(o, args.unified, color, args.show_secrets));
            }
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
            if changed {
                ExitStatus::Findings
            } else {
                ExitStatus::Success
            }
        };
        if errors.is_empty() {
            super::diff::with_exit_code(status, args.exit_code)
        } else {
            ExitStatus::ClusterError
        }
    })
}

/// The objects as kubectl diff writes them for `KUBECTL_EXTERNAL_DIFF`: every object of the
/// render, unchanged ones too, and the members apply would prune; Secrets masked.
fn external_sides(objects: &[ObjectDiff], show_secrets: bool) -> super::diff::ExternalSides {
    let mut sides = super::diff::ExternalSides::default();
    for o in objects {
        let name = file_name(o);
        let (live, merged) = texts(o, show_secrets);
        sides.push(
            live.map(|t| (name.clone(), t)),
            merged.map(|t| (name.clone(), t)),
        );
    }
    sides
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

/// The live and merged sides as YAML, as `kit build` prints it, Secret values masked as the
/// offline diff masks them (src/diff/) unless `show_secrets`.
fn texts(o: &ObjectDiff, show_secrets: bool) -> (Option<String>, Option<String>) {
    let old = o.live.as_ref().map(diff::live::node_from_json);
    let new = o.merged.as_ref().map(diff::live::node_from_json);
    let (old, new) = if show_secrets {
        (old, new)
    } else {
        diff::mask::mask_pair(old.as_ref(), new.as_ref())
    };
    let yaml = |n: Node| {
        let mut s = String::new();
        crate::emit::goyaml::write_document(&n, &mut s);
        s
    };
    (old.map(yaml), new.map(yaml))
}

/// One object as `diff -u -N LIVE/name MERGED/name` with its hunks (the offline diff's).
pub fn object_diff(o: &ObjectDiff, context: usize, color: bool, show_secrets: bool) -> String {
    let (old_text, new_text) = texts(o, show_secrets);
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
    out.push_str(&diff::render::hunks(
        old_text.as_deref().unwrap_or_default(),
        new_text.as_deref().unwrap_or_default(),
        context,
        color,
    ));
    out
}
