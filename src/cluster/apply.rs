//! `kit apply`: server-side apply of a rendered object list, in order, with an ApplySet
//! prune and a readiness wait.
//!
//! 1. Every object is checked (apiVersion, kind, name) and sorted ([`super::order`]).
//! 2. With `--prune`, the ApplySet parent is read (and refused if another tool or set owns
//!    it), then updated to the union of the recorded and the new group-kinds and namespaces,
//!    so an interrupted run never orphans members; every object gets the `part-of` label.
//! 3. Objects are applied one by one (PATCH `application/apply-patch+yaml`, field manager
//!    `kit`); namespaced objects without a namespace get the context's. After the Namespaces
//!    and CRDs, each applied CRD is waited for (`Established`) before anything else.
//! 4. Only when every apply succeeded: the members the server lists under the set's label
//!    that the render no longer has are deleted, and the parent is set to the new set.
//! 5. `--wait`: objects are polled until ready ([`super::ready`]), failed, or the timeout.

use std::collections::{BTreeSet, HashSet};
use std::io::Write;
use std::time::{Duration, Instant};

use kube::api::{DeleteParams, ListParams, Patch, PatchParams};
use serde_json::Value;

use super::applyset::{self, Recorded};
use super::ready::{self, Readiness};
use super::{describe, error_code, error_text, from_value, normalize, to_value, Cluster, Target};
use crate::diag::Diag;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum DryRun {
    None,
    /// The server runs admission and validation, and stores nothing.
    Server,
    /// Nothing is sent but reads: what would be applied and pruned.
    Client,
}

/// The ApplySet a run prunes within: its parent Secret.
#[derive(Clone, Debug)]
pub struct SetRef {
    pub name: String,
    pub namespace: String,
}

impl SetRef {
    pub fn id(&self) -> String {
        applyset::id(&self.name, &self.namespace, "Secret", "")
    }
}

#[derive(Clone, Debug)]
pub struct ApplyOptions {
    pub field_manager: String,
    pub force_conflicts: bool,
    pub dry_run: DryRun,
    pub prune: Option<SetRef>,
    /// Wait for readiness, at most this long (also bounds the wait for CRDs).
    pub wait: Option<Duration>,
    pub timeout: Duration,
    /// Redraw progress lines in place (a terminal) instead of printing plain lines.
    pub live_progress: bool,
}

/// One object to apply, as checked and defaulted.
#[derive(Clone, Debug)]
pub struct Planned {
    pub body: Value,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    /// The object's own namespace, if it names one.
    pub namespace: Option<String>,
}

impl Planned {
    pub fn group(&self) -> &str {
        super::split_api_version(&self.api_version).0
    }
    pub fn group_kind(&self) -> String {
        applyset::group_kind(&self.kind, self.group())
    }
}

/// Checks the rendered objects (apiVersion, kind and name present) and returns them in
/// apply order.
pub fn plan(objects: Vec<Value>) -> Result<Vec<Planned>, Vec<Diag>> {
    let mut planned = Vec::new();
    let mut errors = Vec::new();
    for (i, body) in objects.into_iter().enumerate() {
        let s = |p: &str| {
            body.pointer(p)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let (api_version, kind, name) = (s("/apiVersion"), s("/kind"), s("/metadata/name"));
        if api_version.is_empty() || kind.is_empty() || name.is_empty() {
            errors.push(Diag::error(
                "kit::cluster::object",
                format!(
                    "object {} of the render has no {}",
                    i + 1,
                    if api_version.is_empty() {
                        "apiVersion"
                    } else if kind.is_empty() {
                        "kind"
                    } else {
                        "metadata.name"
                    }
                ),
            ));
            continue;
        }
        let namespace = Some(s("/metadata/namespace")).filter(|n| !n.is_empty());
        planned.push(Planned {
            body,
            api_version,
            kind,
            name,
            namespace,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let kinds: Vec<&str> = planned.iter().map(|p| p.kind.as_str()).collect();
    let order = super::order::apply_order(&kinds);
    let mut slots: Vec<Option<Planned>> = planned.into_iter().map(Some).collect();
    Ok(order.into_iter().filter_map(|i| slots[i].take()).collect())
}

/// The API groups the objects use (for a discovery limited to them).
pub fn groups(objects: &[Planned]) -> BTreeSet<String> {
    objects.iter().map(|p| p.group().to_string()).collect()
}

/// What happened to one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Configured,
    Unchanged,
    Failed,
}

/// The result of a run, for the exit code and the tests.
#[derive(Debug, Default)]
pub struct Report {
    pub created: usize,
    pub configured: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub pruned: usize,
    pub not_ready: usize,
    pub errors: Vec<Diag>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.failed == 0 && self.not_ready == 0 && self.errors.is_empty()
    }
}

/// An applied object, as the wait follows it.
#[derive(Clone, Debug)]
pub struct Applied {
    pub target: Target,
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub uid: String,
}

/// The effective namespace of an object of this target (None for cluster-scoped kinds).
pub fn effective_namespace(cluster: &Cluster, p: &Planned, t: &Target) -> Option<String> {
    if t.namespaced {
        Some(
            p.namespace
                .clone()
                .unwrap_or_else(|| cluster.namespace.clone()),
        )
    } else {
        None
    }
}

/// The body to send: namespace defaulted (or dropped for cluster-scoped kinds), the
/// ApplySet label added.
pub fn body_for(p: &Planned, namespace: Option<&str>, set_id: Option<&str>) -> Value {
    let mut body = p.body.clone();
    if let Some(meta) = body.get_mut("metadata").and_then(Value::as_object_mut) {
        match namespace {
            Some(ns) => {
                meta.insert("namespace".to_string(), Value::String(ns.to_string()));
            }
            None => {
                meta.shift_remove("namespace");
            }
        }
        if let Some(id) = set_id {
            let labels = meta
                .entry("labels")
                .or_insert_with(|| Value::Object(serde_json::Map::new()));
            if let Some(l) = labels.as_object_mut() {
                l.insert(
                    applyset::PART_OF_LABEL.to_string(),
                    Value::String(id.to_string()),
                );
            }
        }
    }
    body
}

/// The error for a 409 from server-side apply: who owns which fields.
pub fn conflict_diag(what: &str, status: &kube::core::Status) -> Diag {
    // causes: [{reason: FieldManagerConflict, message: `conflict with "mgr" using v1`,
    //           field: ".data.key"}]
    let mut by_manager: Vec<(String, Vec<String>)> = Vec::new();
    if let Some(details) = &status.details {
        for c in &details.causes {
            let manager = c
                .message
                .split('"')
                .nth(1)
                .map_or_else(|| c.message.clone(), str::to_string);
            let manager = match c.message.split(" using ").nth(1) {
                Some(v) => format!("{manager:?} ({v})"),
                None => format!("{manager:?}"),
            };
            match by_manager.iter_mut().find(|(m, _)| *m == manager) {
                Some((_, fields)) => fields.push(c.field.clone()),
                None => by_manager.push((manager, vec![c.field.clone()])),
            }
        }
    }
    let message = if by_manager.is_empty() {
        format!("{what}: conflict: {}", status.message)
    } else {
        let parts: Vec<String> = by_manager
            .iter()
            .map(|(m, f)| format!("field manager {m} owns {}", f.join(", ")))
            .collect();
        format!("{what}: conflict: {}", parts.join("; "))
    };
    Diag::error("kit::cluster::conflict", message).help(
        "another field manager set these fields to other values; re-run with --force-conflicts \
         to take them over, or leave them out of the manifest",
    )
}

pub fn api_diag(what: &str, e: &kube::Error) -> Diag {
    if let kube::Error::Api(s) = e {
        if s.code == 409 && s.reason == "Conflict" {
            return conflict_diag(what, s);
        }
        // The server keeps some fields as they were created (a workload's selector, a
        // Service's clusterIP, a Job's template, a StatefulSet's claim templates): no apply
        // can change them.
        if s.code == 422 && s.message.contains("field is immutable") {
            return Diag::error(
                "kit::cluster::immutable",
                format!("{what}: {}", error_text(e)),
            )
            .help(
                "the API server never changes these fields of an existing object: keep their \
                 live values, or delete the object and apply again (what it runs or stores is \
                 replaced too)",
            );
        }
    }
    Diag::error("kit::cluster::api", format!("{what}: {}", error_text(e)))
}

/// Prints an error (and its help) at once and records it.
fn fail(report: &mut Report, err: &mut dyn Write, d: Diag) {
    print_diag(err, &d);
    report.errors.push(d);
}

/// `error: message` and `  help: ...` lines.
pub fn print_diag(err: &mut dyn Write, d: &Diag) {
    let _ = writeln!(err, "error: {}", d.message);
    if let Some(h) = &d.help {
        let _ = writeln!(err, "  help: {h}");
    }
    let _ = err.flush();
}

fn line(out: &mut dyn Write, s: &str) {
    let _ = writeln!(out, "{s}");
    let _ = out.flush();
}

fn dry_suffix(dry: DryRun) -> &'static str {
    match dry {
        DryRun::None => "",
        DryRun::Server => " (server dry run)",
        DryRun::Client => " (client dry run)",
    }
}

/// How long the kinds of a CRD this run established may take to be served (the API server's
/// discovery catches up within a second or two).
const CRD_SERVED_WAIT: Duration = Duration::from_secs(10);

/// Applies `objects` (already planned) as the options say, printing one line per object
/// to `out` and problems to `err`.
pub async fn apply(
    cluster: &mut Cluster,
    objects: Vec<Planned>,
    opts: &ApplyOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Report {
    let mut report = Report::default();
    if let Err(d) = cluster.discover(&groups(&objects)).await {
        fail(&mut report, err, d);
        return report;
    }

    // The CRDs of the render, by group and kind: their custom resources can be planned
    // (scope) before the CRD exists.
    let crd_scopes: Vec<(String, String, bool)> = objects
        .iter()
        .filter(|p| p.kind == "CustomResourceDefinition")
        .filter_map(|p| {
            let spec = p.body.get("spec")?;
            Some((
                spec.get("group")?.as_str()?.to_string(),
                spec.pointer("/names/kind")?.as_str()?.to_string(),
                spec.get("scope").and_then(Value::as_str) != Some("Cluster"),
            ))
        })
        .collect();

    // ApplySet: read and check the parent, record the superset before applying.
    let set_id = opts.prune.as_ref().map(SetRef::id);
    let mut previous = Recorded::default();
    if let (Some(set), Some(id)) = (&opts.prune, &set_id) {
        for p in &objects {
            let existing = p
                .body
                .pointer("/metadata/labels")
                .and_then(|l| l.get(applyset::PART_OF_LABEL))
                .and_then(Value::as_str);
            if let Some(other) = existing.filter(|v| v != id) {
                fail(
                    &mut report,
                    err,
                    Diag::error(
                        "kit::cluster::applyset",
                        format!(
                        "{} already carries the label {}={other}, which is not this set's id {id}",
                        describe(&p.kind, p.namespace.as_deref(), &p.name),
                        applyset::PART_OF_LABEL
                    ),
                    ),
                );
            }
        }
        if !report.errors.is_empty() {
            return report;
        }
        match read_parent(cluster, set).await {
            Ok(Some(parent)) => {
                if let Some(why) = applyset::parent_problem(&parent, id) {
                    fail(
                        &mut report,
                        err,
                        Diag::error(
                            "kit::cluster::applyset",
                            format!(
                                "cannot use secret/{} (namespace {}) as the ApplySet parent: {why}",
                                set.name, set.namespace
                            ),
                        )
                        .help("pick another name with --applyset"),
                    );
                    return report;
                }
                previous = Recorded::from_parent(&parent);
            }
            Ok(None) => {}
            Err(d) => {
                fail(&mut report, err, d);
                return report;
            }
        }
        let mut current = Recorded::default();
        current.namespaces.insert(set.namespace.clone());
        for p in &objects {
            current.group_kinds.insert(p.group_kind());
            let namespaced = match cluster.resolve(&p.api_version, &p.kind).await {
                Ok(t) => t.namespaced,
                Err(_) => crd_scopes
                    .iter()
                    .find(|(g, k, _)| g == p.group() && *k == p.kind)
                    .is_none_or(|(_, _, n)| *n),
            };
            if namespaced {
                current.namespaces.insert(
                    p.namespace
                        .clone()
                        .unwrap_or_else(|| cluster.namespace.clone()),
                );
            }
        }
        if opts.dry_run == DryRun::None {
            if let Err(d) = write_parent(cluster, set, &previous.union(&current), opts).await {
                fail(&mut report, err, d);
                return report;
            }
        }
    }

    // Apply, phase by phase.
    let mut applied: Vec<Applied> = Vec::new();
    let mut crds_pending: Vec<Applied> = Vec::new();
    let mut kept: HashSet<Key> = HashSet::new();
    let mut in_phase_zero = true;
    for p in &objects {
        if in_phase_zero && super::order::phase(&p.kind) > 0 {
            in_phase_zero = false;
            if !crds_pending.is_empty() {
                let deadline = Instant::now() + opts.timeout;
                let crds = std::mem::take(&mut crds_pending);
                let r = wait_ready(cluster, &crds, deadline, false, out).await;
                if r > 0 {
                    report.not_ready += r;
                    fail(
                        &mut report,
                        err,
                        Diag::error(
                            "kit::cluster::crd",
                            "a CustomResourceDefinition did not become established; its custom \
                         resources were not applied",
                        ),
                    );
                    return report;
                }
            }
        }
        let own_crd = crd_scopes
            .iter()
            .any(|(g, k, _)| g == p.group() && *k == p.kind);
        let mut resolved = cluster.resolve(&p.api_version, &p.kind).await;
        if resolved.is_err() && own_crd && opts.dry_run == DryRun::None {
            // A CRD this run applied is established, but the API server's discovery can lag
            // behind it for a moment: ask again for a while before calling the kind unknown.
            let deadline = Instant::now() + CRD_SERVED_WAIT;
            let mut pause = Duration::from_millis(50);
            while resolved.is_err() && Instant::now() < deadline {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(1));
                resolved = cluster.resolve(&p.api_version, &p.kind).await;
            }
        }
        let target = match resolved {
            Ok(t) => t,
            Err(d) => {
                if own_crd && opts.dry_run != DryRun::None {
                    line(
                        out,
                        &format!(
                            "{} skipped{}: its CustomResourceDefinition is not in the cluster yet",
                            describe(&p.kind, p.namespace.as_deref(), &p.name),
                            dry_suffix(opts.dry_run)
                        ),
                    );
                    kept.insert((
                        p.group_kind(),
                        p.kind.clone(),
                        p.namespace.clone(),
                        p.name.clone(),
                    ));
                    continue;
                }
                report.failed += 1;
                fail(&mut report, err, d);
                continue;
            }
        };
        let namespace = effective_namespace(cluster, p, &target);
        let what = describe(&p.kind, namespace.as_deref(), &p.name);
        kept.insert((
            p.group_kind(),
            p.kind.clone(),
            namespace.clone(),
            p.name.clone(),
        ));
        let body = body_for(p, namespace.as_deref(), set_id.as_deref());
        match apply_one(cluster, &target, namespace.as_deref(), &p.name, &body, opts).await {
            Ok((outcome, uid)) => {
                let word = match outcome {
                    Outcome::Created => {
                        report.created += 1;
                        "created"
                    }
                    Outcome::Configured => {
                        report.configured += 1;
                        "configured"
                    }
                    Outcome::Unchanged => {
                        report.unchanged += 1;
                        "unchanged"
                    }
                    Outcome::Failed => "failed",
                };
                line(out, &format!("{what} {word}{}", dry_suffix(opts.dry_run)));
                let a = Applied {
                    target: target.clone(),
                    kind: p.kind.clone(),
                    name: p.name.clone(),
                    namespace: namespace.clone(),
                    uid,
                };
                if p.kind == "CustomResourceDefinition" && opts.dry_run == DryRun::None {
                    crds_pending.push(a.clone());
                }
                applied.push(a);
            }
            Err(d) => {
                report.failed += 1;
                fail(&mut report, err, d);
            }
        }
    }
    if !crds_pending.is_empty() {
        // Only Namespaces and CRDs in the render: still wait for the CRDs.
        let deadline = Instant::now() + opts.timeout;
        report.not_ready += wait_ready(cluster, &crds_pending, deadline, false, out).await;
    }

    // Prune, only after every apply succeeded.
    if let (Some(set), Some(id)) = (&opts.prune, &set_id) {
        if report.failed > 0 || !report.errors.is_empty() {
            let _ = writeln!(
                err,
                "not pruning: {} object(s) failed to apply (the ApplySet keeps its previous members)",
                report.failed.max(report.errors.len())
            );
        } else {
            let mut current = Recorded::default();
            for (gk, _, ns, _) in &kept {
                current.group_kinds.insert(gk.clone());
                if let Some(ns) = ns {
                    current.namespaces.insert(ns.clone());
                }
            }
            current.namespaces.insert(set.namespace.clone());
            let scope = previous.union(&current);
            match prune(cluster, id, &scope, &kept, opts, out).await {
                Ok(n) => report.pruned = n,
                Err(d) => {
                    fail(&mut report, err, d);
                }
            }
            if report.errors.is_empty() && opts.dry_run == DryRun::None {
                if let Err(d) = write_parent(cluster, set, &current, opts).await {
                    fail(&mut report, err, d);
                }
            }
        }
    }

    // Wait.
    if let Some(limit) = opts.wait {
        if opts.dry_run == DryRun::None && report.failed == 0 {
            let deadline = Instant::now() + limit;
            let n = wait_ready(cluster, &applied, deadline, opts.live_progress, out).await;
            report.not_ready += n;
            if n > 0 {
                let _ = writeln!(
                    err,
                    "error: {n} object(s) not ready after {}",
                    humantime(limit)
                );
                for a in &applied {
                    describe_unready(cluster, a, err).await;
                }
            }
        }
    }
    report
}

/// `5m`, `90s`, `1m30s`.
pub fn humantime(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 60, s % 60) {
        (0, s) => format!("{s}s"),
        (m, 0) => format!("{m}m"),
        (m, s) => format!("{m}m{s}s"),
    }
}

pub async fn read_parent(cluster: &mut Cluster, set: &SetRef) -> Result<Option<Value>, Diag> {
    let t = cluster.resolve("v1", "Secret").await?;
    let api = cluster.api(&t, Some(&set.namespace));
    match api.get_opt(&set.name).await {
        Ok(o) => Ok(o.as_ref().map(to_value)),
        Err(e) => Err(api_diag(
            &format!("reading the ApplySet parent secret/{}", set.name),
            &e,
        )),
    }
}

async fn write_parent(
    cluster: &mut Cluster,
    set: &SetRef,
    rec: &Recorded,
    opts: &ApplyOptions,
) -> Result<(), Diag> {
    let t = cluster.resolve("v1", "Secret").await?;
    let api = cluster.api(&t, Some(&set.namespace));
    let body = applyset::parent_patch(&set.name, &set.namespace, rec);
    let obj = from_value(&body)?;
    let mut pp = PatchParams::apply(applyset::PARENT_FIELD_MANAGER).force();
    if opts.dry_run == DryRun::Server {
        pp = pp.dry_run();
    }
    api.patch(&set.name, &pp, &Patch::Apply(&obj))
        .await
        .map(|_| ())
        .map_err(|e| {
            api_diag(
                &format!(
                    "updating the ApplySet parent secret/{} (namespace {})",
                    set.name, set.namespace
                ),
                &e,
            )
        })
}

async fn apply_one(
    cluster: &Cluster,
    target: &Target,
    namespace: Option<&str>,
    name: &str,
    body: &Value,
    opts: &ApplyOptions,
) -> Result<(Outcome, String), Diag> {
    let what = describe(&target.resource.kind, namespace, name);
    let api = cluster.api(target, namespace);
    let live = api.get_opt(name).await.map_err(|e| api_diag(&what, &e))?;
    if opts.dry_run == DryRun::Client {
        let outcome = if live.is_some() {
            Outcome::Configured
        } else {
            Outcome::Created
        };
        let uid = live.and_then(|l| l.metadata.uid).unwrap_or_default();
        return Ok((outcome, uid));
    }
    let obj = from_value(body)?;
    let mut pp = PatchParams::apply(&opts.field_manager);
    if opts.force_conflicts {
        pp = pp.force();
    }
    if opts.dry_run == DryRun::Server {
        pp = pp.dry_run();
    }
    let result = api
        .patch(name, &pp, &Patch::Apply(&obj))
        .await
        .map_err(|e| api_diag(&what, &e))?;
    let uid = result.metadata.uid.clone().unwrap_or_default();
    // Unchanged: the server stored nothing new (same resourceVersion), or (a dry run, or a
    // server that rewrote only managedFields timestamps) nothing but server fields differ.
    let outcome = match &live {
        None => Outcome::Created,
        Some(l)
            if l.metadata.resource_version == result.metadata.resource_version
                && opts.dry_run == DryRun::None =>
        {
            Outcome::Unchanged
        }
        Some(l) if normalize(&to_value(l)) == normalize(&to_value(&result)) => Outcome::Unchanged,
        Some(_) => Outcome::Configured,
    };
    Ok((outcome, uid))
}

/// The identity of an object of the render: (group-kind, kind, namespace, name).
pub type Key = (String, String, Option<String>, String);

/// A live member of an ApplySet that the render no longer has.
pub struct Candidate {
    pub target: Target,
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub live: Value,
}

/// The live members of set `id` (its group-kinds and namespaces in `scope`, listed by the
/// `part-of` label) that `kept` does not list. Objects of other sets never match the label.
pub async fn prune_candidates(
    cluster: &mut Cluster,
    id: &str,
    scope: &Recorded,
    kept: &HashSet<Key>,
) -> Result<Vec<Candidate>, Diag> {
    let selector = format!("{}={id}", applyset::PART_OF_LABEL);
    let mut out = Vec::new();
    for gk in &scope.group_kinds {
        let (kind, group) = applyset::parse_group_kind(gk);
        let Some(target) = cluster.resolve_group_kind(&group, &kind).await else {
            // The server no longer serves the kind (its CRD is gone): nothing to list.
            continue;
        };
        let namespaces: Vec<Option<&str>> = if target.namespaced {
            scope.namespaces.iter().map(|n| Some(n.as_str())).collect()
        } else {
            vec![None]
        };
        for ns in namespaces {
            let api = cluster.api(&target, ns);
            let list = api
                .list(&ListParams::default().labels(&selector))
                .await
                .map_err(|e| api_diag(&format!("listing {gk} of the ApplySet"), &e))?;
            for mut item in list.items {
                // A list's items come without apiVersion and kind: the list's are theirs
                // (kubectl's dynamic client fills them in the same way).
                if item.types.is_none() {
                    item.types = Some(kube::core::TypeMeta {
                        api_version: target.resource.api_version.clone(),
                        kind: target.resource.kind.clone(),
                    });
                }
                let name = item.metadata.name.clone().unwrap_or_default();
                let item_ns = item.metadata.namespace.clone();
                // The selector already restricts to this set; check the label once more.
                let label = item
                    .metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get(applyset::PART_OF_LABEL));
                if label.map(String::as_str) != Some(id) {
                    continue;
                }
                if kept.contains(&(gk.clone(), kind.clone(), item_ns.clone(), name.clone())) {
                    continue;
                }
                out.push(Candidate {
                    target: target.clone(),
                    kind: kind.clone(),
                    name,
                    namespace: item_ns,
                    live: to_value(&item),
                });
            }
        }
    }
    Ok(out)
}

/// Deletes the members of set `id` (within `scope`) that `kept` does not list; returns how
/// many were (or, dry, would be) pruned.
async fn prune(
    cluster: &mut Cluster,
    id: &str,
    scope: &Recorded,
    kept: &HashSet<Key>,
    opts: &ApplyOptions,
    out: &mut dyn Write,
) -> Result<usize, Diag> {
    let candidates = prune_candidates(cluster, id, scope, kept).await?;
    for c in &candidates {
        let what = describe(&c.kind, c.namespace.as_deref(), &c.name);
        let api = cluster.api(&c.target, c.namespace.as_deref());
        match opts.dry_run {
            DryRun::Client => {}
            DryRun::Server => {
                let dp = DeleteParams::background().dry_run();
                api.delete(&c.name, &dp)
                    .await
                    .map_err(|e| api_diag(&format!("pruning {what}"), &e))?;
            }
            DryRun::None => {
                if let Err(e) = api.delete(&c.name, &DeleteParams::background()).await {
                    if error_code(&e) != Some(404) {
                        return Err(api_diag(&format!("pruning {what}"), &e));
                    }
                }
            }
        }
        line(out, &format!("{what} pruned{}", dry_suffix(opts.dry_run)));
    }
    Ok(candidates.len())
}

/// Polls `objects` until all are ready, one failed, or the deadline passes; returns how many
/// are not ready. Progress: redrawn lines on a terminal, a line per change otherwise.
pub async fn wait_ready(
    cluster: &Cluster,
    objects: &[Applied],
    deadline: Instant,
    live: bool,
    out: &mut dyn Write,
) -> usize {
    let mut last: Vec<Option<Readiness>> = vec![None; objects.len()];
    let mut drawn = 0usize;
    loop {
        let mut states = Vec::with_capacity(objects.len());
        for a in objects {
            let api = cluster.api(&a.target, a.namespace.as_deref());
            let state = match api.get_opt(&a.name).await {
                Ok(Some(o)) => ready::readiness(&to_value(&o)),
                Ok(None) => Readiness::Pending("not found".to_string()),
                Err(e) => Readiness::Pending(format!("cannot read it: {}", error_text(&e))),
            };
            states.push(state);
        }
        let pending: Vec<usize> = (0..objects.len())
            .filter(|&i| !states[i].is_ready())
            .collect();
        let failed = states.iter().any(|s| matches!(s, Readiness::Failed(_)));
        let done = pending.is_empty() || failed || Instant::now() >= deadline;
        if live {
            if drawn > 0 {
                let _ = write!(out, "\x1b[{drawn}A\x1b[J");
            }
            drawn = 0;
            for (i, a) in objects.iter().enumerate() {
                let changed = last[i].as_ref() != Some(&states[i]);
                if states[i].is_ready() && changed {
                    let _ = writeln!(
                        out,
                        "{} ready",
                        describe(&a.kind, a.namespace.as_deref(), &a.name)
                    );
                }
            }
            if !done {
                let left = deadline.saturating_duration_since(Instant::now());
                for &i in &pending {
                    let a = &objects[i];
                    let _ = writeln!(
                        out,
                        "  waiting for {}: {} ({} left)",
                        describe(&a.kind, a.namespace.as_deref(), &a.name),
                        state_text(&states[i]),
                        humantime(left)
                    );
                    drawn += 1;
                }
            }
            let _ = out.flush();
        } else {
            for (i, a) in objects.iter().enumerate() {
                if last[i].as_ref() != Some(&states[i]) {
                    let what = describe(&a.kind, a.namespace.as_deref(), &a.name);
                    match &states[i] {
                        Readiness::Ready => line(out, &format!("{what} ready")),
                        s => line(out, &format!("waiting for {what}: {}", state_text(s))),
                    }
                }
            }
        }
        for (i, s) in states.iter().enumerate() {
            last[i] = Some(s.clone());
        }
        if done {
            if live && !pending.is_empty() {
                for &i in &pending {
                    let a = &objects[i];
                    line(
                        out,
                        &format!(
                            "{} not ready: {}",
                            describe(&a.kind, a.namespace.as_deref(), &a.name),
                            state_text(&states[i])
                        ),
                    );
                }
            }
            return pending.len();
        }
        let pause =
            Duration::from_millis(1000).min(deadline.saturating_duration_since(Instant::now()));
        tokio::time::sleep(pause.max(Duration::from_millis(50))).await;
    }
}

fn state_text(s: &Readiness) -> String {
    match s {
        Readiness::Ready => "ready".to_string(),
        Readiness::Pending(why) => why.clone(),
        Readiness::Failed(why) => format!("failed: {why}"),
    }
}

/// For an object that is not ready: its state, conditions and latest events.
pub async fn describe_unready(cluster: &Cluster, a: &Applied, err: &mut dyn Write) {
    let api = cluster.api(&a.target, a.namespace.as_deref());
    let Ok(Some(obj)) = api.get_opt(&a.name).await else {
        return;
    };
    let v = to_value(&obj);
    let state = ready::readiness(&v);
    if state.is_ready() {
        return;
    }
    let _ = writeln!(
        err,
        "{}: {}",
        describe(&a.kind, a.namespace.as_deref(), &a.name),
        state_text(&state)
    );
    let conditions = ready::condition_lines(&v);
    if conditions.is_empty() {
        let _ = writeln!(
            err,
            "  conditions: none reported (no controller has updated its status)"
        );
    } else {
        let _ = writeln!(err, "  conditions:");
        for c in conditions {
            let _ = writeln!(err, "    {c}");
        }
    }
    let events = latest_events(cluster, a, 5).await;
    if events.is_empty() {
        let _ = writeln!(err, "  events: none");
    } else {
        let _ = writeln!(err, "  latest events:");
        for e in events {
            let _ = writeln!(err, "    {e}");
        }
    }
}

/// The latest `n` events about an object, oldest first, as `Type Reason (xN): message`.
pub async fn latest_events(cluster: &Cluster, a: &Applied, n: usize) -> Vec<String> {
    let t = events_target();
    let api = cluster.api(&t, a.namespace.as_deref().or(Some("default")));
    let mut fields = format!(
        "involvedObject.name={},involvedObject.kind={}",
        a.name, a.kind
    );
    if !a.uid.is_empty() {
        fields.push_str(&format!(",involvedObject.uid={}", a.uid));
    }
    let Ok(list) = api.list(&ListParams::default().fields(&fields)).await else {
        return Vec::new();
    };
    let mut events: Vec<Value> = list.items.iter().map(to_value).collect();
    events.sort_by_key(event_time);
    let start = events.len().saturating_sub(n);
    events[start..].iter().map(event_line).collect()
}

/// core/v1 Event (served by every API server).
fn events_target() -> Target {
    Target {
        resource: kube::core::ApiResource {
            group: String::new(),
            version: "v1".to_string(),
            api_version: "v1".to_string(),
            kind: "Event".to_string(),
            plural: "events".to_string(),
        },
        namespaced: true,
    }
}

/// The time an event last happened (RFC 3339 strings sort as times).
pub fn event_time(e: &Value) -> String {
    [
        "/lastTimestamp",
        "/eventTime",
        "/firstTimestamp",
        "/metadata/creationTimestamp",
    ]
    .iter()
    .find_map(|p| {
        e.pointer(p)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    })
    .unwrap_or("")
    .to_string()
}

/// `Warning FailedCreate (x3): message`.
pub fn event_line(e: &Value) -> String {
    let s = |p: &str| e.pointer(p).and_then(Value::as_str).unwrap_or("");
    let count = e.get("count").and_then(Value::as_i64).unwrap_or(1);
    let mut l = format!("{} {}", s("/type"), s("/reason"));
    if count > 1 {
        l.push_str(&format!(" (x{count})"));
    }
    let t = event_time(e);
    if !t.is_empty() {
        l.push_str(&format!(" at {t}"));
    }
    l.push_str(": ");
    l.push_str(s("/message"));
    l
}
