//! Comparing two renders object by object: the stage after build that `kit diff` prints.
//!
//! [`compare`] pairs the objects of an old and a new list by identity ([`ObjectKey`]: group,
//! kind, namespace, name; the API version is not part of it, so `autoscaling/v2beta2` →
//! `autoscaling/v2` is a change of one object), then pairs what is left over as renames and
//! moves ([`matching`]: same group and kind, near-identical content under another name or
//! namespace, such as a generated ConfigMap whose hash suffix changed). Each
//! [`ObjectChange`] carries both sides as the YAML text `kit build` prints, with Secret
//! values masked the way `kubectl diff` masks them ([`mask`]). [`render`] prints a list of
//! changes as a unified diff, a pull-request comment in Markdown, a summary, or JSON.
//!
//! For a live diff, [`live::normalize_live`] drops the fields the API server manages
//! (`managedFields`, `resourceVersion`, `status`, ...) from the cluster's copy before it is
//! compared with the render, and [`live::resource_from_json`] turns an object read from the
//! API into a [`Resource`].
//!
//! ```
//! use kit::diff::{self, ChangeKind};
//! # fn res(text: &str) -> kit::model::Resource {
//! #     let loader = kit::load::Loader::new();
//! #     let loaded = loader.load_text(std::path::Path::new("x.yaml"), text.to_string()).unwrap();
//! #     kit::load::resources_from_docs(&loaded.docs).unwrap().remove(0)
//! # }
//! let old = [res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-config-2c8d5f9g7b}\ndata: {a: '1', b: '2', c: '3'}\n")];
//! let new = [res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-config-7h4k6b2m9t}\ndata: {a: '1', b: '2', c: '4'}\n")];
//! let changes = diff::compare(&old, &new);
//! assert_eq!(changes.len(), 1);
//! assert_eq!(changes[0].change, ChangeKind::Renamed);
//! print!("{}", diff::render::unified(&changes, &diff::render::UnifiedOptions::default()));
//! ```

pub mod live;
pub mod mask;
pub mod matching;
pub mod render;

use std::collections::{HashMap, VecDeque};
use std::fmt;

use crate::emit::goyaml;
use crate::model::Resource;

pub use live::{normalize_live, normalize_live_json, resource_from_json};
pub use matching::RENAME_THRESHOLD;

/// An object's identity in a diff: API group, kind, namespace and name. Two objects with the
/// same key are the same object in two states, whatever their API versions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectKey {
    /// The API group (`apps`; empty for the core group).
    pub group: String,
    pub kind: String,
    /// The namespace as written (empty when the object names none).
    pub namespace: String,
    pub name: String,
}

impl ObjectKey {
    pub fn of(r: &Resource) -> Self {
        ObjectKey {
            group: r.gvk().group,
            kind: r.kind().to_string(),
            namespace: r.namespace().to_string(),
            name: r.name().to_string(),
        }
    }

    /// The key objects are paired by: an unset namespace is `default`, as the API server
    /// reads it (a cluster-scoped object has no namespace on either side, so it still pairs).
    fn matching(&self) -> ObjectKey {
        ObjectKey {
            namespace: if self.namespace.is_empty() {
                "default".to_string()
            } else {
                self.namespace.clone()
            },
            ..self.clone()
        }
    }

    /// `namespace/name`, or `name` when there is no namespace.
    pub fn qualified_name(&self) -> String {
        if self.namespace.is_empty() {
            self.name.clone()
        } else {
            format!("{}/{}", self.namespace, self.name)
        }
    }
}

impl fmt::Display for ObjectKey {
    /// `Deployment prod/web`, `ClusterRole admin`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.qualified_name())
    }
}

/// What happened to one object between the old and the new list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChangeKind {
    /// In both lists, the same text.
    Unchanged,
    /// In both lists under the same key, with different text.
    Changed,
    /// Only in the new list.
    Added,
    /// Only in the old list (pruned, for a live diff).
    Removed,
    /// In both lists under different names or namespaces (see [`matching`]); the content may
    /// differ too.
    Renamed,
}

impl ChangeKind {
    /// `unchanged`, `changed`, `added`, `removed`, `renamed` (as JSON output names them).
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Unchanged => "unchanged",
            ChangeKind::Changed => "changed",
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Renamed => "renamed",
        }
    }
}

/// One side of a change: an object as the diff shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Object {
    pub key: ObjectKey,
    /// `apps/v1`, `v1`.
    pub api_version: String,
    /// The YAML document as `kit build` prints it (without `---`), Secret values masked.
    pub text: String,
    /// Position in the list it came from.
    pub index: usize,
}

impl Object {
    /// kubectl diff's file name for the object: `apps.v1.Deployment.prod.web`,
    /// `v1.ConfigMap.prod.app-config` (the group and a dot left out for the core group; an
    /// empty namespace leaves two dots, as kubectl's does).
    pub fn file_name(&self) -> String {
        let version = self
            .api_version
            .rsplit_once('/')
            .map_or(self.api_version.as_str(), |(_, v)| v);
        let group = if self.key.group.is_empty() {
            String::new()
        } else {
            format!("{}.", self.key.group)
        };
        format!(
            "{group}{version}.{}.{}.{}",
            self.key.kind, self.key.namespace, self.key.name
        )
    }
}

/// The change of one object between two lists.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectChange {
    pub change: ChangeKind,
    /// The object before (`None` when added).
    pub old: Option<Object>,
    /// The object after (`None` when removed).
    pub new: Option<Object>,
    /// For a rename: how alike the two objects' contents are, 0 to 1 (see [`matching`]).
    pub similarity: Option<f64>,
}

impl ObjectChange {
    /// The key the change is known by: the new object's, or the old one's when removed.
    pub fn key(&self) -> &ObjectKey {
        match (&self.new, &self.old) {
            (Some(o), _) | (None, Some(o)) => &o.key,
            // Every change has at least one side; `compare` builds no other.
            (None, None) => &EMPTY_KEY,
        }
    }

    /// The old side's text, or "" when added.
    pub fn old_text(&self) -> &str {
        self.old.as_ref().map_or("", |o| o.text.as_str())
    }

    /// The new side's text, or "" when removed.
    pub fn new_text(&self) -> &str {
        self.new.as_ref().map_or("", |o| o.text.as_str())
    }

    /// Lines added and removed by the change.
    pub fn line_counts(&self) -> (usize, usize) {
        render::line_counts(self.old_text(), self.new_text())
    }
}

static EMPTY_KEY: ObjectKey = ObjectKey {
    group: String::new(),
    kind: String::new(),
    namespace: String::new(),
    name: String::new(),
};

/// How [`compare_with`] pairs objects.
#[derive(Clone, Debug)]
pub struct Options {
    /// Pair objects that were renamed or moved (default). A live diff may turn it off: there,
    /// an object under a new name is a new object and the old one is pruned.
    pub detect_renames: bool,
    /// The least content similarity for a rename (default [`RENAME_THRESHOLD`]).
    pub rename_threshold: f64,
    /// Mask Secret `data` and `stringData` values (default). Turn off only for output that
    /// no person or log will read.
    pub mask_secrets: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            detect_renames: true,
            rename_threshold: RENAME_THRESHOLD,
            mask_secrets: true,
        }
    }
}

/// Compares two lists of objects with the default [`Options`]. Every object of either list
/// appears in exactly one change, unchanged ones included; see [`ObjectChange`].
pub fn compare(old: &[Resource], new: &[Resource]) -> Vec<ObjectChange> {
    compare_with(old, new, &Options::default())
}

/// Compares two lists of objects. Changes come sorted by kubectl diff's file names (the new
/// side's, or the old side's for a removal), so output is stable whatever the input order.
pub fn compare_with(old: &[Resource], new: &[Resource], opts: &Options) -> Vec<ObjectChange> {
    let old_keys: Vec<ObjectKey> = old.iter().map(ObjectKey::of).collect();
    let new_keys: Vec<ObjectKey> = new.iter().map(ObjectKey::of).collect();

    // Pass 1: identity. With duplicates of one key in a list (a live list, a plain directory
    // read file by file), occurrences pair in order and the rest are left over.
    let mut by_key: HashMap<ObjectKey, VecDeque<usize>> = HashMap::new();
    for (i, k) in old_keys.iter().enumerate() {
        by_key.entry(k.matching()).or_default().push_back(i);
    }
    let mut pairs: Vec<(usize, usize, Option<f64>)> = Vec::new();
    let mut old_used = vec![false; old.len()];
    let mut added: Vec<usize> = Vec::new();
    for (j, k) in new_keys.iter().enumerate() {
        match by_key.get_mut(&k.matching()).and_then(VecDeque::pop_front) {
            Some(i) => {
                old_used[i] = true;
                pairs.push((i, j, None));
            }
            None => added.push(j),
        }
    }
    let removed: Vec<usize> = (0..old.len()).filter(|&i| !old_used[i]).collect();

    // Pass 2: renames and moves among what is left.
    let (renames, added, removed) = if opts.detect_renames {
        matching::pair_renames(old, new, &removed, &added, opts.rename_threshold)
    } else {
        (Vec::new(), added, removed)
    };
    pairs.extend(renames.into_iter().map(|(i, j, s)| (i, j, Some(s))));

    let text = |r: &Resource| {
        let mut s = String::new();
        goyaml::write_document(&r.node, &mut s);
        s
    };
    let side = |r: &Resource, key: &ObjectKey, index: usize, text: String| Object {
        key: key.clone(),
        api_version: r.node.get_str("apiVersion").unwrap_or("").to_string(),
        text,
        index,
    };

    let mut out = Vec::with_capacity(pairs.len() + added.len() + removed.len());
    for (i, j, similarity) in pairs {
        let (o, n) = (&old[i], &new[j]);
        let (old_plain, new_plain) = (text(o), text(n));
        let change = match similarity {
            Some(_) => ChangeKind::Renamed,
            None if old_plain == new_plain => ChangeKind::Unchanged,
            None => ChangeKind::Changed,
        };
        let (old_text, new_text) =
            if opts.mask_secrets && (mask::is_secret(o) || mask::is_secret(n)) {
                let (mo, mn) = mask::mask_pair(Some(&o.node), Some(&n.node));
                (
                    mo.map_or(old_plain, |m| text_of(&m)),
                    mn.map_or(new_plain, |m| text_of(&m)),
                )
            } else {
                (old_plain, new_plain)
            };
        out.push(ObjectChange {
            change,
            old: Some(side(o, &old_keys[i], i, old_text)),
            new: Some(side(n, &new_keys[j], j, new_text)),
            similarity,
        });
    }
    let one_side = |r: &Resource| {
        if opts.mask_secrets && mask::is_secret(r) {
            let (m, _) = mask::mask_pair(Some(&r.node), None);
            m.map_or_else(|| text(r), |m| text_of(&m))
        } else {
            text(r)
        }
    };
    for j in added {
        out.push(ObjectChange {
            change: ChangeKind::Added,
            old: None,
            new: Some(side(&new[j], &new_keys[j], j, one_side(&new[j]))),
            similarity: None,
        });
    }
    for i in removed {
        out.push(ObjectChange {
            change: ChangeKind::Removed,
            old: Some(side(&old[i], &old_keys[i], i, one_side(&old[i]))),
            new: None,
            similarity: None,
        });
    }
    out.sort_by_cached_key(|c| {
        let name = match (&c.new, &c.old) {
            (Some(o), _) | (None, Some(o)) => o.file_name(),
            (None, None) => String::new(),
        };
        (name, c.old.as_ref().map(|o| o.index))
    });
    out
}

fn text_of(node: &crate::model::Node) -> String {
    let mut s = String::new();
    goyaml::write_document(node, &mut s);
    s
}

/// Counts of changes by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub renamed: usize,
    pub unchanged: usize,
}

impl Counts {
    pub fn of(changes: &[ObjectChange]) -> Self {
        let mut c = Counts::default();
        for ch in changes {
            match ch.change {
                ChangeKind::Added => c.added += 1,
                ChangeKind::Changed => c.changed += 1,
                ChangeKind::Removed => c.removed += 1,
                ChangeKind::Renamed => c.renamed += 1,
                ChangeKind::Unchanged => c.unchanged += 1,
            }
        }
        c
    }

    /// Whether anything differs (what `kit diff`'s exit code 1 means).
    pub fn any(&self) -> bool {
        self.added + self.changed + self.removed + self.renamed > 0
    }
}

/// Whether any change is not [`ChangeKind::Unchanged`].
pub fn has_changes(changes: &[ObjectChange]) -> bool {
    changes.iter().any(|c| c.change != ChangeKind::Unchanged)
}

#[cfg(test)]
mod tests;
