//! Recognising renamed and moved objects among those that identity did not pair.
//!
//! After pairing by identity, an object left over in the old list (removed) and one left
//! over in the new list (added) are paired as a rename when
//!
//! 1. they have the same API group and kind, and
//! 2. either their names are the same kustomize generator name with another content-hash
//!    suffix (`app-config-2c8d5f9g7b` → `app-config-7h4k6b2m9t`, in the same namespace: the
//!    same `configMapGenerator` entry whose content changed), or their contents are at least
//!    [`RENAME_THRESHOLD`] alike.
//!
//! Content similarity is the Dice coefficient of the two objects' *value lines*, counted as
//! multisets: `2 × shared / (lines of one + lines of the other)`. The value lines of an object
//! are the lines of its YAML (as `kit build` prints it, keys sorted) without `metadata.name`
//! and `metadata.namespace`, without the top-level `apiVersion` and `kind`, and without lines
//! that only open a block (`spec:`, `  containers:`): the lines every object of a kind shares
//! would otherwise make any two of them look alike. Indentation stays part of a line, so a
//! value counts only at the same depth. Identical contents score 1; two objects with no
//! value line score 1 when their texts are identical and 0 otherwise.
//!
//! Pairs are taken greedily: generator-name pairs first, then by falling similarity (ties in
//! list order), each object at most once. Within one kind, when there are more than
//! [`MAX_FUZZY_PAIRS`] removed × added candidates, only identical contents and generator
//! names pair, so the comparison stays linear on large renders.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use crate::emit::goyaml;
use crate::model::Resource;

/// The least content similarity at which a removed and an added object of one kind are taken
/// for one renamed object: 0.6, i.e. three in five value lines shared. Git's default for
/// files is 0.5; Kubernetes objects are small and share labels, so two unrelated ConfigMaps
/// with one label and one key each score 0.5, and must not pair.
pub const RENAME_THRESHOLD: f64 = 0.6;

/// Beyond this many candidate pairs within one kind, only exact contents and generator names
/// are paired (each pair costs a merge of two sorted line lists).
pub const MAX_FUZZY_PAIRS: usize = 1_000_000;

/// What rename detection needs of one object.
struct Print {
    /// The group and kind (pairs never cross them).
    kind: (String, String),
    /// The namespace as the API server reads it.
    namespace: String,
    /// The name without a kustomize content-hash suffix, when it has one.
    stem: Option<String>,
    /// Hash of the text without name and namespace.
    whole: u64,
    /// Hashes of the value lines, sorted.
    lines: Vec<u64>,
}

impl Print {
    fn of(r: &Resource) -> Print {
        let mut node = r.node.clone();
        if let Some(meta) = node.get_mut("metadata") {
            meta.remove("name");
            meta.remove("namespace");
        }
        let mut text = String::new();
        goyaml::write_document(&node, &mut text);
        let mut lines: Vec<u64> = value_lines(&text).map(hash).collect();
        lines.sort_unstable();
        let namespace = match r.namespace() {
            "" => "default".to_string(),
            ns => ns.to_string(),
        };
        Print {
            kind: (r.gvk().group, r.kind().to_string()),
            namespace,
            stem: generator_stem(r.name()).map(str::to_string),
            whole: hash(&text),
            lines,
        }
    }

    fn similarity(&self, other: &Print) -> f64 {
        if self.whole == other.whole {
            return 1.0;
        }
        dice(&self.lines, &other.lines)
    }
}

/// The lines of an object's YAML that carry a value (see the module docs).
fn value_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| {
        !l.trim_end().ends_with(':')
            && !l.starts_with("apiVersion:")
            && !l.starts_with("kind:")
            && !l.trim().is_empty()
    })
}

fn hash(s: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// `2 × |a ∩ b| / (|a| + |b|)` over sorted multisets.
fn dice(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (2 * shared) as f64 / (a.len() + b.len()) as f64
}

/// The upper bound of [`dice`] from the sizes alone.
fn dice_bound(a: usize, b: usize) -> f64 {
    if a + b == 0 {
        return 0.0;
    }
    (2 * a.min(b)) as f64 / (a + b) as f64
}

/// The name without kustomize's content-hash suffix (`-` and ten characters of
/// `2456789bcdfghkmt`: hex digits with `0 1 3 a e` turned into `g h k m t`), if it has one.
pub fn generator_stem(name: &str) -> Option<&str> {
    let (stem, suffix) = name.rsplit_once('-')?;
    let ok = suffix.len() == 10 && suffix.bytes().all(|b| b"2456789bcdfghkmt".contains(&b));
    (ok && !stem.is_empty()).then_some(stem)
}

/// How alike two objects' contents are, 0 to 1, as rename detection measures it (see the
/// module docs).
pub fn similarity(a: &Resource, b: &Resource) -> f64 {
    Print::of(a).similarity(&Print::of(b))
}

/// Renamed objects among the removed (indices into `old`) and added (into `new`) ones:
/// `(old index, new index, similarity)`, and the removed and added objects left unpaired, in
/// their given order.
pub(crate) type Paired = (Vec<(usize, usize, f64)>, Vec<usize>, Vec<usize>);

pub(crate) fn pair_renames(
    old: &[Resource],
    new: &[Resource],
    removed: &[usize],
    added: &[usize],
    threshold: f64,
) -> Paired {
    if removed.is_empty() || added.is_empty() {
        return (Vec::new(), added.to_vec(), removed.to_vec());
    }
    let old_prints: Vec<Print> = removed.iter().map(|&i| Print::of(&old[i])).collect();
    let new_prints: Vec<Print> = added.iter().map(|&j| Print::of(&new[j])).collect();

    // Candidates within each kind: (generator-name match, similarity, a, b), with a and b
    // positions in `removed` and `added`.
    // Per group and kind: the positions of its removed and of its added objects.
    type Sides = (Vec<usize>, Vec<usize>);
    let mut by_kind: HashMap<&(String, String), Sides> = HashMap::new();
    for (a, p) in old_prints.iter().enumerate() {
        by_kind.entry(&p.kind).or_default().0.push(a);
    }
    for (b, p) in new_prints.iter().enumerate() {
        if let Some(e) = by_kind.get_mut(&p.kind) {
            e.1.push(b);
        }
    }
    let mut candidates: Vec<(bool, f64, usize, usize)> = Vec::new();
    for (olds, news) in by_kind.values() {
        if olds.is_empty() || news.is_empty() {
            continue;
        }
        if olds.len().saturating_mul(news.len()) <= MAX_FUZZY_PAIRS {
            for &a in olds {
                for &b in news {
                    let (p, q) = (&old_prints[a], &new_prints[b]);
                    let stem = same_stem(p, q);
                    if !stem
                        && p.whole != q.whole
                        && dice_bound(p.lines.len(), q.lines.len()) < threshold
                    {
                        continue;
                    }
                    let s = p.similarity(q);
                    if stem || s >= threshold {
                        candidates.push((stem, s, a, b));
                    }
                }
            }
        } else {
            // Too many to compare all: identical contents and generator names only.
            let mut whole: HashMap<u64, Vec<usize>> = HashMap::new();
            let mut stems: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
            for &a in olds {
                let p = &old_prints[a];
                whole.entry(p.whole).or_default().push(a);
                if let Some(s) = &p.stem {
                    stems.entry((s, &p.namespace)).or_default().push(a);
                }
            }
            for &b in news {
                let q = &new_prints[b];
                for &a in whole.get(&q.whole).into_iter().flatten() {
                    candidates.push((same_stem(&old_prints[a], q), 1.0, a, b));
                }
                if let Some(s) = &q.stem {
                    for &a in stems
                        .get(&(s.as_str(), q.namespace.as_str()))
                        .into_iter()
                        .flatten()
                    {
                        let p = &old_prints[a];
                        if p.whole != q.whole {
                            candidates.push((true, p.similarity(q), a, b));
                        }
                    }
                }
            }
        }
    }
    candidates.sort_by(|x, y| {
        y.0.cmp(&x.0)
            .then(y.1.total_cmp(&x.1))
            .then(x.2.cmp(&y.2))
            .then(x.3.cmp(&y.3))
    });
    let mut old_taken = vec![false; removed.len()];
    let mut new_taken = vec![false; added.len()];
    let mut pairs = Vec::new();
    for (_, s, a, b) in candidates {
        if old_taken[a] || new_taken[b] {
            continue;
        }
        old_taken[a] = true;
        new_taken[b] = true;
        pairs.push((removed[a], added[b], s));
    }
    let added_left = added
        .iter()
        .zip(&new_taken)
        .filter(|(_, t)| !**t)
        .map(|(j, _)| *j)
        .collect();
    let removed_left = removed
        .iter()
        .zip(&old_taken)
        .filter(|(_, t)| !**t)
        .map(|(i, _)| *i)
        .collect();
    (pairs, added_left, removed_left)
}

fn same_stem(p: &Print, q: &Print) -> bool {
    p.namespace == q.namespace && p.stem.is_some() && p.stem == q.stem
}

/// Used by the tests to check the measure on text.
#[cfg(test)]
pub(crate) fn dice_of_texts(a: &str, b: &str) -> f64 {
    let prep = |t: &str| {
        let mut v: Vec<u64> = value_lines(t).map(hash).collect();
        v.sort_unstable();
        v
    };
    dice(&prep(a), &prep(b))
}
