//! `kit diff PATH`: the render against the live cluster. Each object is applied with a
//! server-side dry run and compared with the live object (src/cluster/diff.rs). The objects
//! become the offline diff's changes (LIVE the old side, MERGED the new, Secret
//! `data`/`stringData` values masked as kubectl masks them) and print as `kit diff A B`
//! prints them: `--output` and `--color`, a unified diff with kubectl diff's `diff -u -N
//! LIVE/... MERGED/...` headers by default, or every object handed to
//! `KUBECTL_EXTERNAL_DIFF` as kubectl diff does it. Exit 0 no change, 1 changes (0 with
//! `--exit-code=false`), 3 any error (a render that fails, the cluster), as the offline
//! diff's.

use crate::cli::LiveDiffArgs;
use crate::cluster::apply::{print_diag, SetRef};
use crate::cluster::diff::{self as live, DiffOptions, ObjectDiff};
use crate::cluster::Cluster;
use crate::diag::ExitStatus;
use crate::diff::{self, ChangeKind, ObjectChange, ObjectKey};
use crate::model::Node;

pub fn run(args: &LiveDiffArgs) -> ExitStatus {
    let roots = vec![args.root.clone()];
    let (planned, rt) = match super::apply::prepare(
        &roots,
        args.load_restrictor,
        &args.remote,
        &args.chart,
        args.applyset.is_some() && !args.prune,
    ) {
        Ok(x) => x,
        // kit diff exits 3 on any error, as kubectl diff exits above 1 (kit apply keeps 2 for
        // an input error).
        Err(_) => return ExitStatus::DIFF_ERROR,
    };
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
        let changes = changes_of(&objects, args.show_secrets);
        let title = format!("kit diff `{}` → live cluster", args.root.display());
        let how = super::diff::Show {
            format: args.format,
            color: args.color,
            context: args.unified,
            labels: ("LIVE", "MERGED"),
            title: &title,
        };
        let status = match super::diff::show(&changes, &how) {
            Ok(status) => status,
            Err(d) => {
                print_diag(&mut err, &d);
                ExitStatus::ClusterError
            }
        };
        if errors.is_empty() {
            super::diff::with_exit_code(status, args.exit_code)
        } else {
            ExitStatus::ClusterError
        }
    })
}

/// The live objects as the offline diff's changes, LIVE the old side and MERGED the new:
/// every object of the render, unchanged ones too (`KUBECTL_EXTERNAL_DIFF` gets them all, as
/// from kubectl diff), and the members apply would prune; Secrets masked unless
/// `show_secrets`.
fn changes_of(objects: &[ObjectDiff], show_secrets: bool) -> Vec<ObjectChange> {
    objects
        .iter()
        .enumerate()
        .map(|(index, o)| {
            let key = ObjectKey {
                group: o
                    .api_version
                    .rsplit_once('/')
                    .map_or("", |(group, _)| group)
                    .to_string(),
                kind: o.kind.clone(),
                namespace: o.namespace.clone().unwrap_or_default(),
                name: o.name.clone(),
            };
            let (live, merged) = texts(o, show_secrets);
            let side = |text: Option<String>| {
                text.map(|text| diff::Object {
                    key: key.clone(),
                    api_version: o.api_version.clone(),
                    text,
                    index,
                })
            };
            let change = match (&o.live, &o.merged) {
                (Some(_), Some(_)) if o.changed() => ChangeKind::Changed,
                (None, Some(_)) => ChangeKind::Added,
                (Some(_), None) => ChangeKind::Removed,
                _ => ChangeKind::Unchanged,
            };
            ObjectChange {
                change,
                old: side(live),
                new: side(merged),
                similarity: None,
            }
        })
        .collect()
}

/// The live and merged sides as YAML, as `kit build` prints it, Secret values masked as the
/// offline diff masks them (src/diff/) unless `show_secrets`.
fn texts(o: &ObjectDiff, show_secrets: bool) -> (Option<String>, Option<String>) {
    let old = o.live.as_ref().map(crate::emit::from_json);
    let new = o.merged.as_ref().map(crate::emit::from_json);
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
