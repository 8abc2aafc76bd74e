//! `patches`, `patchesStrategicMerge` and `patchesJson6902`: which resources a patch applies
//! to and how, as kustomize's patch transformers decide; the merging itself is in
//! `crate::patch`.

use super::select::{CompiledSelector, Selector};
use super::{Resources, Setting};
use crate::diag::{Diag, Result};
use crate::model::{share, Node, ResId, Resource};
use crate::openapi::BuildSchema;
use crate::patch::json6902::{self, Json6902Patch};
use crate::patch::smp::{self, Identity, IdentityOptions, MergeOutcome};
use crate::source::Origin;

/// A patch as loaded: strategic-merge documents, or JSON 6902 operations.
#[derive(Clone, Debug)]
pub enum Loaded {
    Strategic(Vec<Node>),
    Json(Json6902Patch),
}

impl Loaded {
    /// Moves every origin through `place` (text parsed out of a kustomization's value is
    /// located in the kustomization: see [`crate::source::Embedding`]).
    pub fn relocate(&mut self, place: &impl Fn(Origin) -> Origin) {
        let node = |n: &mut Node| n.walk_mut(&mut |n| n.origin = n.origin.map(place));
        match self {
            Loaded::Strategic(docs) => docs.iter_mut().for_each(node),
            Loaded::Json(patch) => {
                patch.origin = patch.origin.map(place);
                for op in &mut patch.ops {
                    op.origin = op.origin.map(place);
                    if let Some(value) = &mut op.value {
                        node(value);
                    }
                }
            }
        }
    }
}

/// One `patches:` entry, its patch loaded.
#[derive(Clone, Debug)]
pub struct PatchEntry {
    pub patch: Loaded,
    pub target: Option<Selector>,
    pub options: IdentityOptions,
    /// How messages name the patch (`path: x.yaml` or the inline text).
    pub source: String,
    pub origin: Option<Origin>,
}

/// Decides what loaded patch documents are: a list of operations is a JSON patch, mappings
/// are strategic-merge patches (kustomize tries both readings).
pub fn classify(docs: Vec<Node>, file: Option<&crate::source::SourceFile>) -> Result<Loaded> {
    if json6902::is_json6902(&docs) {
        return Ok(Loaded::Json(json6902::parse(&docs, file)?));
    }
    if let Some(bad) = docs.iter().find(|d| d.as_map().is_none()) {
        return Err(Diag::error(
            "kit::patch::parse",
            "unable to parse a strategic-merge or JSON patch",
        )
        .at(bad.origin)
        .help("a patch is either Kubernetes objects (strategic merge) or a list of `op:` entries (JSON 6902)"));
    }
    Ok(Loaded::Strategic(docs))
}

/// Applies one `patches:` entry (kustomize's `PatchTransformer`). Strategic merges read
/// `schema` (and record that they did).
pub fn apply_entry(
    resources: &mut Resources,
    entry: &PatchEntry,
    schema: &mut BuildSchema,
) -> Result<()> {
    let selector = entry.target.as_ref().map(Selector::compile).transpose()?;
    match (&entry.patch, selector) {
        (Loaded::Json(patch), Some(selector)) => {
            for res in resources.iter_mut() {
                if selector.selects_patch_target(res) {
                    res.store_previous_id();
                    apply_json(res, patch)?;
                }
            }
            Ok(())
        }
        (Loaded::Json(_), None) => Err(Diag::error(
            "kit::patch::no-target",
            format!("must specify a target for JSON patch {}", entry.source),
        )
        .at(entry.origin)
        .help("add `target:` (kind, name, ...) to the entry: a JSON patch does not say what it patches")),
        (Loaded::Strategic(docs), Some(selector)) => {
            let [patch] = docs.as_slice() else {
                return Err(Diag::error(
                    "kit::patch::multiple-with-target",
                    format!("Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set `patches.target` field: {}", entry.source),
                )
                .at(entry.origin)
                .help("split the documents into separate `patches:` entries"));
            };
            apply_selected(resources, &selector, patch, entry.options, schema)
        }
        (Loaded::Strategic(docs), None) => {
            for patch in docs {
                let i = find_by_id(resources, patch, entry.origin)?;
                if apply_strategic(&mut resources[i], patch, entry.options, schema)? {
                    resources.remove(i);
                }
            }
            Ok(())
        }
    }
}

/// `patchesStrategicMerge`: each patch to the one resource with its id, merged as a
/// selected target (kustomize's `PatchStrategicMergeTransformer`).
pub fn apply_strategic_merge_list(
    resources: &mut Resources,
    patches: &[Node],
    schema: &mut BuildSchema,
) -> Result<()> {
    for patch in patches {
        let i = find_by_id(resources, patch, patch.origin)?;
        let copy = smp::targeted_patch_copy(patch, &resources[i].node);
        if apply_strategic(&mut resources[i], &copy, IdentityOptions::default(), schema)? {
            resources.remove(i);
        }
    }
    Ok(())
}

/// `patchesJson6902`: the operations to every resource the target selects.
pub fn apply_json6902_entry(
    resources: &mut Resources,
    target: &Selector,
    patch: &Json6902Patch,
) -> Result<()> {
    let selector = target.compile()?;
    for res in resources.iter_mut() {
        if selector.selects_patch_target(res) {
            apply_json(res, patch)?;
        }
    }
    Ok(())
}

fn apply_json(res: &mut Resource, patch: &Json6902Patch) -> Result<()> {
    json6902::apply_to_resource(res, patch)?;
    // kustomize re-reads a resource after a JSON patch: its values stop being shared.
    share::unshare(&mut res.node);
    Ok(())
}

fn apply_selected(
    resources: &mut Resources,
    selector: &CompiledSelector,
    patch: &Node,
    options: IdentityOptions,
    schema: &mut BuildSchema,
) -> Result<()> {
    let mut i = 0;
    while i < resources.len() {
        if selector.selects_patch_target(&resources[i]) {
            let copy = smp::targeted_patch_copy(patch, &resources[i].node);
            if apply_strategic(&mut resources[i], &copy, options, schema)? {
                resources.remove(i);
                continue;
            }
        }
        i += 1;
    }
    Ok(())
}

/// kustomize's `Resource.ApplySmPatch`; `true` when the resource was deleted.
fn apply_strategic(
    res: &mut Resource,
    patch: &Node,
    options: IdentityOptions,
    schema: &mut BuildSchema,
) -> Result<bool> {
    let before = Identity::of(&res.node);
    if options.allow_name_change || options.allow_kind_change {
        res.store_previous_id();
    }
    let schemas = schema.for_merge();
    let outcome = share::in_place(&mut res.node, |node| {
        smp::strategic_merge_with(schemas, node, patch)
    })?;
    let emptied = res.node.as_map().is_some_and(Vec::is_empty) || res.node.is_null();
    if outcome == MergeOutcome::Deleted || emptied {
        return Ok(true);
    }
    smp::restore_identity(&mut res.node, &before, options);
    Ok(false)
}

/// The one resource whose current or earlier id is the patch's (kustomize's `GetById`).
fn find_by_id(resources: &Resources, patch: &Node, origin: Option<Origin>) -> Result<usize> {
    let id = Resource::new(patch.clone()).id();
    // The name is what is most often wrong (a typo, a rename the patch missed), and where a
    // namespace would go to pick one of several.
    let at = patch
        .get_path(&["metadata", "name"])
        .and_then(|n| n.origin)
        .or(patch.origin)
        .or(origin);
    let matches: Vec<usize> = resources
        .iter()
        .enumerate()
        .filter(|(_, r)| r.any_id_matches(|rid| same_id(rid, &id)))
        .map(|(i, _)| i)
        .collect();
    match matches.as_slice() {
        [i] => Ok(*i),
        [] => Err(Diag::error(
            "kit::patch::no-match",
            format!("no resource matches strategic merge patch {}", id.describe()),
        )
        .at(at)
        .help("the patch's apiVersion, kind, metadata.name and metadata.namespace must name a resource of the build (before or after its renames); or give the entry a `target:`")),
        _ => Err(Diag::error(
            "kit::patch::multiple-matches",
            format!("multiple resources match strategic merge patch {}", id.describe()),
        )
        .at(at)
        .help("add metadata.namespace to the patch to say which one")),
    }
}

fn same_id(a: &ResId, b: &ResId) -> bool {
    a.gvk == b.gvk && a.name == b.name && a.effective_namespace() == b.effective_namespace()
}

/// How kustomize names an inline patch in messages.
pub fn inline_source(text: &Setting) -> String {
    format!("[patch: {:?}]", text.value.trim())
}
