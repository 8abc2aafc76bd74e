//! The transformer configuration: which fields each built-in transformer reads and writes.
//! Starts from kustomize's defaults (`defaults.yaml`, `namereference.yaml`,
//! `varreference.yaml`) and grows with
//! each kustomization's `configurations:` files, merged as kustomize merges them.

use std::cmp::Ordering;
use std::sync::OnceLock;

use super::FieldSpec;
use crate::diag::{Diag, Result};
use crate::model::{Gvk, Node};
use crate::source::{FileId, SourceFile};

/// Kinds whose fields hold the name of a `target` kind: when a resource of that kind is
/// renamed, these fields are rewritten (kustomize's `NameBackReferences`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameBackRef {
    pub target: Gvk,
    pub referrers: Vec<FieldSpec>,
}

/// kustomize's `TransformerConfig`.
#[derive(Clone, Debug, Default)]
pub struct TransformerConfig {
    pub name_prefix: Vec<FieldSpec>,
    pub name_suffix: Vec<FieldSpec>,
    pub namespace: Vec<FieldSpec>,
    pub common_labels: Vec<FieldSpec>,
    pub labels: Vec<FieldSpec>,
    pub template_labels: Vec<FieldSpec>,
    pub common_annotations: Vec<FieldSpec>,
    pub name_reference: Vec<NameBackRef>,
    pub var_reference: Vec<FieldSpec>,
    pub images: Vec<FieldSpec>,
    pub replicas: Vec<FieldSpec>,
}

const DEFAULTS_YAML: &str = include_str!("defaults.yaml");
const NAME_REFERENCE_YAML: &str = include_str!("namereference.yaml");
const VAR_REFERENCE_YAML: &str = include_str!("varreference.yaml");

/// kustomize's built-in configuration (parsed once).
pub fn defaults() -> &'static TransformerConfig {
    static DEFAULTS: OnceLock<TransformerConfig> = OnceLock::new();
    DEFAULTS.get_or_init(|| {
        let mut config = TransformerConfig::default();
        for (name, text) in [
            ("defaults.yaml", DEFAULTS_YAML),
            ("namereference.yaml", NAME_REFERENCE_YAML),
            ("varreference.yaml", VAR_REFERENCE_YAML),
        ] {
            let file = SourceFile::new(name.into(), name.into(), text);
            // The embedded files are tested to parse (see tests below); a failure here
            // would be a build defect, and an empty config is the only safe fallback.
            if let Ok(docs) = crate::load::yaml::parse_documents(&file, FileId(u32::MAX)) {
                for doc in &docs {
                    if let Ok(more) = TransformerConfig::from_node(doc) {
                        config.append_unchecked(more);
                    }
                }
                // kustomize's own specs have no place in the user's files.
                config.forget_origins();
            }
        }
        config
    })
}

impl TransformerConfig {
    /// Reads a configuration document (a `configurations:` file).
    pub fn from_node(node: &Node) -> Result<Self> {
        let Some(map) = node.as_map() else {
            if node.is_null() {
                return Ok(TransformerConfig::default());
            }
            return Err(Diag::error(
                "kit::configurations::not-a-mapping",
                "a transformer configuration must be a mapping",
            )
            .at(node.origin)
            .help("use keys such as `nameReference:`, `commonLabels:`, `varReference:`"));
        };
        let mut config = TransformerConfig::default();
        for (key, value) in map {
            // Decoded as kustomize does (Go's encoding/json): keys match case-insensitively.
            let slot = match key.to_ascii_lowercase().as_str() {
                "nameprefix" => &mut config.name_prefix,
                "namesuffix" => &mut config.name_suffix,
                "namespace" => &mut config.namespace,
                "commonlabels" => &mut config.common_labels,
                "labels" => &mut config.labels,
                "templatelabels" => &mut config.template_labels,
                "commonannotations" => &mut config.common_annotations,
                "varreference" => &mut config.var_reference,
                "images" => &mut config.images,
                "replicas" => &mut config.replicas,
                "namereference" => {
                    for entry in seq(value)? {
                        config.name_reference.push(NameBackRef::from_node(entry)?);
                    }
                    continue;
                }
                other => {
                    return Err(Diag::error(
                        "kit::configurations::unknown-field",
                        format!("unknown field \"{other}\" in a transformer configuration"),
                    )
                    .at(value.origin)
                    .help("known fields: namePrefix, nameSuffix, namespace, commonLabels, labels, templateLabels, commonAnnotations, nameReference, varReference, images, replicas"));
                }
            };
            for entry in seq(value)? {
                slot.push(FieldSpec::from_node(entry)?);
            }
        }
        Ok(config)
    }

    /// Drops where each spec was written (the defaults' file is none of the user's).
    fn forget_origins(&mut self) {
        let lists = [
            &mut self.name_prefix,
            &mut self.name_suffix,
            &mut self.namespace,
            &mut self.common_labels,
            &mut self.labels,
            &mut self.template_labels,
            &mut self.common_annotations,
            &mut self.var_reference,
            &mut self.images,
            &mut self.replicas,
        ];
        let backrefs = self.name_reference.iter_mut().map(|b| &mut b.referrers);
        for list in lists.into_iter().chain(backrefs) {
            for spec in list.iter_mut() {
                spec.origin = None;
            }
        }
    }

    /// Concatenates without merging (for assembling the defaults).
    fn append_unchecked(&mut self, more: TransformerConfig) {
        self.name_prefix.extend(more.name_prefix);
        self.name_suffix.extend(more.name_suffix);
        self.namespace.extend(more.namespace);
        self.common_labels.extend(more.common_labels);
        self.labels.extend(more.labels);
        self.template_labels.extend(more.template_labels);
        self.common_annotations.extend(more.common_annotations);
        self.name_reference.extend(more.name_reference);
        self.var_reference.extend(more.var_reference);
        self.images.extend(more.images);
        self.replicas.extend(more.replicas);
    }

    /// kustomize's `TransformerConfig.Merge`: each list gains the specs it lacks, name
    /// references merge by target kind, and every list ends sorted by kind as kustomize
    /// sorts them (which decides the order transformers visit fields).
    pub fn merge(&mut self, more: &TransformerConfig) -> Result<()> {
        let lists: [(&mut Vec<FieldSpec>, &Vec<FieldSpec>); 10] = [
            (&mut self.name_prefix, &more.name_prefix),
            (&mut self.name_suffix, &more.name_suffix),
            (&mut self.namespace, &more.namespace),
            (&mut self.common_annotations, &more.common_annotations),
            (&mut self.common_labels, &more.common_labels),
            (&mut self.labels, &more.labels),
            (&mut self.template_labels, &more.template_labels),
            (&mut self.var_reference, &more.var_reference),
            (&mut self.images, &more.images),
            (&mut self.replicas, &more.replicas),
        ];
        for (into, from) in lists {
            merge_all(into, from)?;
            into.sort_by(|a, b| gvk_order(&a.gvk(), &b.gvk()));
        }
        for backref in &more.name_reference {
            match self
                .name_reference
                .iter_mut()
                .find(|b| b.target == backref.target)
            {
                Some(existing) => merge_all(&mut existing.referrers, &backref.referrers)?,
                None => self.name_reference.push(backref.clone()),
            }
        }
        self.name_reference
            .sort_by(|a, b| gvk_order(&a.target, &b.target));
        Ok(())
    }
}

impl NameBackRef {
    fn from_node(node: &Node) -> Result<Self> {
        let text = |k: &str| node.get(k).and_then(Node::scalar_text).unwrap_or_default();
        let mut referrers = Vec::new();
        if let Some(specs) = node.get("fieldSpecs") {
            for entry in seq(specs)? {
                referrers.push(FieldSpec::from_node(entry)?);
            }
        }
        Ok(NameBackRef {
            target: Gvk {
                group: text("group"),
                version: text("version"),
                kind: text("kind"),
            },
            referrers,
        })
    }
}

fn seq(node: &Node) -> Result<&[Node]> {
    if node.is_null() {
        return Ok(&[]);
    }
    node.as_seq().map(Vec::as_slice).ok_or_else(|| {
        Diag::error(
            "kit::configurations::not-a-list",
            "expected a list of field specs",
        )
        .at(node.origin)
        .help("write each entry as `- path: spec/some/field` with optional group, version, kind, create")
    })
}

/// kustomize's `FsSlice.MergeAll`: a spec already present (same path, and the present
/// one's kind selected by the new one's) is kept; one differing only in `create` is a
/// conflict.
pub fn merge_all(into: &mut Vec<FieldSpec>, more: &[FieldSpec]) -> Result<()> {
    for fs in more {
        match into
            .iter()
            .find(|e| e.path == fs.path && fs.matches(&e.gvk()))
        {
            Some(existing) if existing.create != fs.create => {
                return Err(Diag::error(
                    "kit::configurations::conflict",
                    format!(
                        "conflicting fieldspecs for path '{}': create is {} in one and {} in the other",
                        fs.path_string(),
                        existing.create,
                        fs.create
                    ),
                )
                .at(fs.origin.or(existing.origin))
                .help("give the same `create` value to both field specs"));
            }
            Some(_) => {}
            None => into.push(fs.clone()),
        }
    }
    Ok(())
}

/// kustomize's `Gvk.IsLessThan`: kinds in the legacy order first, then by
/// group/version/kind text.
pub fn gvk_order(a: &Gvk, b: &Gvk) -> Ordering {
    let (ra, rb) = (
        crate::transform::sort::kind_rank(&a.kind),
        crate::transform::sort::kind_rank(&b.kind),
    );
    ra.cmp(&rb).then_with(|| {
        crate::transform::sort::gvk_sort_string(a).cmp(&crate::transform::sort::gvk_sort_string(b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse() {
        let d = defaults();
        assert_eq!(d.name_prefix.len(), 1);
        assert_eq!(d.common_labels.len(), 32);
        assert_eq!(d.template_labels.len(), 10);
        assert_eq!(d.images.len(), 6);
        assert_eq!(d.replicas.len(), 4);
        assert_eq!(d.namespace.len(), 3);
        assert!(d.name_reference.len() > 15);
        assert_eq!(d.var_reference.len(), 72);
        for text in [DEFAULTS_YAML, NAME_REFERENCE_YAML, VAR_REFERENCE_YAML] {
            let file = SourceFile::new("t".into(), "t".into(), text);
            let docs = crate::load::yaml::parse_documents(&file, FileId(0));
            assert!(docs.is_ok());
            for doc in docs.unwrap_or_default() {
                assert!(TransformerConfig::from_node(&doc).is_ok());
            }
        }
    }

    #[test]
    fn merge_keeps_existing_and_rejects_conflicts() {
        let mut a = TransformerConfig {
            common_labels: vec![FieldSpec::new("spec/selector", true)],
            ..Default::default()
        };
        let same = TransformerConfig {
            common_labels: vec![FieldSpec::new("spec/selector", true)],
            ..Default::default()
        };
        assert!(a.merge(&same).is_ok());
        assert_eq!(a.common_labels.len(), 1);
        let conflicting = TransformerConfig {
            common_labels: vec![FieldSpec::new("spec/selector", false)],
            ..Default::default()
        };
        assert!(a.merge(&conflicting).is_err());
    }
}
