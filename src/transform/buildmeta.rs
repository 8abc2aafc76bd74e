//! `buildMetadata`: the `config.kubernetes.io/origin` and
//! `alpha.config.kubernetes.io/transformations` annotations, as kustomize v5.8.1 writes them.
//!
//! Only the root kustomization's `buildMetadata` counts (kustomize gives every base and
//! component the root's list). When it is not empty, whatever it holds, kustomize tracks
//! origins during the whole build, as real annotations on the resources:
//!
//! - a resource read from a file gets `path:` (the file as written in `resources:`, joined
//!   to the path of its kustomization relative to the root, and cleaned as Go's
//!   `filepath.Join` does) — [`annotate_loaded`];
//! - a generated resource that has no origin yet gets `configuredIn:` (the kustomization
//!   file, relative to the root) and `configuredBy:` (`apiVersion: builtin`, the generator's
//!   kind) — [`annotate_generated`]; a `behavior: merge` keeps the origin of the resource it
//!   merges into, a `behavior: replace` takes the generator's;
//! - after each transformer (each `patches` entry, each `labels` entry, ...), every
//!   resource of the layer gets the transformer appended to its transformations, or, when
//!   it has no origin, the transformer as its origin — [`record_transformation`].
//!
//! At the end ([`finish`]) kustomize removes its internal build annotations from every
//! resource, the origin annotation unless `originAnnotations` is listed, and the
//! transformations unless `transformerAnnotations` is listed; so both disappear from every
//! build that does not ask for them, even when a resource was written with them. Content
//! hashes of ConfigMaps and Secrets do not read annotations, so tracking never changes a
//! generated name.
//!
//! A transformer or generator plugin records itself with the same functions: build its
//! [`Origin`] with [`Origin::configured`] (or [`Origin::builtin`]), call
//! [`annotate_generated`] on what a generator made before absorbing it, and
//! [`record_transformation`] on the layer's resources after a transformer ran, whenever
//! origins are tracked (the build's `Walk.origin` in `resolve` is `Some(path of the
//! kustomization)`). For plugins named in `generators:` / `transformers:` kustomize
//! (`OriginFromCustomPlugin`) uses the plugin configuration object: `configuredIn` is that
//! object's own origin path (its file joined to the kustomization's path, or the
//! kustomization file itself for an inline configuration) and `configuredBy` its
//! `apiVersion`, `kind`, `name` and `namespace`. Note for generators of other kinds than
//! ConfigMap and Secret: kustomize's content hash of those is the whole object, annotations
//! included, so while origins are tracked the origin annotation changes their hash suffix.

use crate::diag::{Diag, Result};
use crate::model::{Node, Resource, Value};
use crate::source::{FileId, SourceFile};

/// The origin annotation's key.
pub const ORIGIN: &str = "config.kubernetes.io/origin";
/// The transformations annotation's key.
pub const TRANSFORMATIONS: &str = "alpha.config.kubernetes.io/transformations";

/// Annotations kustomize uses during a build and removes from its output
/// (`resource.BuildAnnotations`).
const BUILD_ANNOTATIONS: &[&str] = &[
    "internal.config.kubernetes.io/previousKinds",
    "internal.config.kubernetes.io/previousNames",
    "internal.config.kubernetes.io/prefixes",
    "internal.config.kubernetes.io/suffixes",
    "internal.config.kubernetes.io/previousNamespaces",
    "internal.config.kubernetes.io/allowNameChange",
    "internal.config.kubernetes.io/allowKindChange",
    "internal.config.kubernetes.io/refBy",
    "internal.config.kubernetes.io/generatorBehavior",
    "internal.config.kubernetes.io/needsHashSuffix",
    "internal.config.kubernetes.io/path",
    "internal.config.kubernetes.io/index",
    "internal.config.kubernetes.io/seqindent",
    "internal.config.kubernetes.io/id",
    "internal.config.kubernetes.io/annotations-migration-resource-id",
    "config.kubernetes.io/path",
    "config.kubernetes.io/index",
    "config.k8s.io/id",
    "internal.config.kubernetes.io/helm-generated",
];

/// The values `buildMetadata` accepts.
pub const OPTIONS: &[&str] = &[
    "originAnnotations",
    "transformerAnnotations",
    "managedByLabel",
];

/// The root kustomization's `buildMetadata`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tracking {
    /// Keep `config.kubernetes.io/origin` in the output.
    pub origin_annotations: bool,
    /// Keep `alpha.config.kubernetes.io/transformations` in the output.
    pub transformer_annotations: bool,
    /// Label every resource `app.kubernetes.io/managed-by: kustomize-v5.8.1`.
    pub managed_by_label: bool,
}

impl Tracking {
    /// Reads `buildMetadata` values (already checked against [`OPTIONS`]). `None` when the
    /// list is empty: kustomize then tracks no origins at all.
    pub fn from_values<S: AsRef<str>>(values: &[S]) -> Option<Tracking> {
        if values.is_empty() {
            return None;
        }
        let has = |o: &str| values.iter().any(|v| v.as_ref() == o);
        Some(Tracking {
            origin_annotations: has("originAnnotations"),
            transformer_annotations: has("transformerAnnotations"),
            managed_by_label: has("managedByLabel"),
        })
    }
}

/// The object that configured a generator or transformer (kyaml's `ResourceIdentifier`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ConfiguredBy {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
}

/// Where a resource, generator or transformer came from (kustomize's `resource.Origin`).
/// During a build it also says where the kustomization being built is (kustomize's
/// `KustTarget.origin`): its directory's `path`, and the remote base's `repo` and `ref`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Origin {
    /// The file a resource was read from: relative to the root kustomization, or, in a
    /// remote base, to the root of its repository.
    pub path: String,
    /// The remote base's repository (as `git clone` is given it) and ref.
    pub repo: String,
    pub reference: String,
    /// The file that configured a generator or transformer, relative to the root.
    pub configured_in: String,
    pub configured_by: ConfiguredBy,
}

impl Origin {
    /// A resource read from `path`.
    pub fn file(path: String) -> Origin {
        Origin {
            path,
            ..Origin::default()
        }
    }

    /// A built-in generator or transformer (`ConfigMapGenerator`, `PrefixTransformer`, ...)
    /// configured by the kustomization file at `file` (its path, repository and ref).
    pub fn builtin(file: &Origin, kind: &str) -> Origin {
        Origin::configured(
            file,
            ConfiguredBy {
                api_version: "builtin".to_string(),
                kind: kind.to_string(),
                ..ConfiguredBy::default()
            },
        )
    }

    /// A generator or transformer configured by an object (a plugin's configuration) read
    /// from the file at `file` (kustomize keeps its repository and ref).
    pub fn configured(file: &Origin, by: ConfiguredBy) -> Origin {
        Origin {
            repo: file.repo.clone(),
            reference: file.reference.clone(),
            configured_in: file.path.clone(),
            configured_by: by,
            ..Origin::default()
        }
    }

    /// This origin's `path` joined with `path` (Go's `filepath.Join`), in the same
    /// repository.
    pub fn joined(&self, path: &str) -> Origin {
        Origin {
            path: join(&self.path, path),
            ..self.clone()
        }
    }

    /// The annotation text: the struct as kyaml marshals it (fields in declaration order,
    /// empty ones left out).
    pub fn to_annotation(&self) -> String {
        let mut out = String::new();
        crate::emit::goyaml::write_document_in_order(&self.node(), &mut out);
        out
    }

    fn node(&self) -> Node {
        let mut entries = Vec::new();
        let add = |m: &mut Vec<(String, Node)>, key: &str, value: &str| {
            if !value.is_empty() {
                m.push((key.to_string(), Node::str(value, None)));
            }
        };
        add(&mut entries, "path", &self.path);
        add(&mut entries, "repo", &self.repo);
        add(&mut entries, "ref", &self.reference);
        add(&mut entries, "configuredIn", &self.configured_in);
        let by = &self.configured_by;
        let mut by_entries = Vec::new();
        add(&mut by_entries, "apiVersion", &by.api_version);
        add(&mut by_entries, "kind", &by.kind);
        add(&mut by_entries, "name", &by.name);
        add(&mut by_entries, "namespace", &by.namespace);
        if !by_entries.is_empty() {
            entries.push((
                "configuredBy".to_string(),
                Node::new(Value::Map(by_entries), None),
            ));
        }
        Node::new(Value::Map(entries), None)
    }

    fn from_node(node: &Node) -> std::result::Result<Origin, String> {
        let Value::Map(entries) = &node.value else {
            return Err("an origin must be a mapping".to_string());
        };
        let text = |n: &Node, key: &str| match &n.value {
            Value::Map(_) | Value::Seq(_) => Err(format!("`{key}` must be a string")),
            _ => Ok(n.scalar_text().unwrap_or_default()),
        };
        let mut origin = Origin::default();
        for (key, value) in entries {
            match key.as_str() {
                "path" => origin.path = text(value, key)?,
                "repo" => origin.repo = text(value, key)?,
                "ref" => origin.reference = text(value, key)?,
                "configuredIn" => origin.configured_in = text(value, key)?,
                "configuredBy" => {
                    let by = &mut origin.configured_by;
                    match &value.value {
                        Value::Null => {}
                        Value::Map(fields) => {
                            for (k, v) in fields {
                                match k.as_str() {
                                    "apiVersion" => by.api_version = text(v, k)?,
                                    "kind" => by.kind = text(v, k)?,
                                    "name" => by.name = text(v, k)?,
                                    "namespace" => by.namespace = text(v, k)?,
                                    _ => {}
                                }
                            }
                        }
                        _ => return Err("`configuredBy` must be a mapping".to_string()),
                    }
                }
                _ => {}
            }
        }
        Ok(origin)
    }
}

/// Go's `filepath.Join(base, path)` on slash-separated paths: the non-empty parts joined,
/// then cleaned (`a/./b/../c` is `a/c`); empty when both are empty.
pub fn join(base: &str, path: &str) -> String {
    let joined = match (base.is_empty(), path.is_empty()) {
        (true, true) => return String::new(),
        (true, false) => path.to_string(),
        (false, true) => base.to_string(),
        (false, false) => format!("{base}/{path}"),
    };
    clean(&joined)
}

/// Go's `path.Clean`.
fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            p => parts.push(p),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_string(),
        (false, false) => body,
    }
}

/// kustomize's `OriginFromCustomPlugin`: a plugin configured by `config` was configured in the
/// file the config came from (its origin annotation's path, repository and ref; `inline_in`,
/// the kustomization file, for a configuration written inline). `None` when origins are not
/// tracked.
pub fn plugin_origin(config: &Resource, inline_in: Option<&Origin>) -> Option<Origin> {
    let file = match inline_in {
        Some(file) => file.clone(),
        None => {
            let text = annotation(config, ORIGIN)?;
            let file = SourceFile::new(ORIGIN.into(), ORIGIN.to_string(), text.as_str());
            let docs = crate::load::yaml::parse_documents(&file, FileId(u32::MAX)).ok()?;
            Origin::from_node(docs.first()?).ok()?
        }
    };
    let gvk = config.gvk();
    Some(Origin::configured(
        &file,
        ConfiguredBy {
            api_version: gvk.api_version(),
            kind: gvk.kind,
            name: config.name().to_string(),
            namespace: config.namespace().to_string(),
        },
    ))
}

/// kustomize's `AnnotateAll(origin)` on resources read from a file: the origin annotation is
/// set (replacing any), creating `metadata.annotations` when missing.
pub fn annotate_loaded(resources: &mut [Resource], origin: &Origin) -> Result<()> {
    let text = origin.to_annotation();
    for res in resources {
        let annotations = annotations_mut(res)?;
        annotations.set(ORIGIN, Node::str(text.clone(), None));
    }
    Ok(())
}

/// kustomize's `AddOriginAnnotation`: generated resources without an origin get `origin`.
pub fn annotate_generated(resources: &mut [Resource], origin: &Origin) -> Result<()> {
    for res in resources {
        if annotation(res, ORIGIN).is_some() {
            continue;
        }
        set_annotations(res, &[(ORIGIN, origin.to_annotation())])?;
    }
    Ok(())
}

/// kustomize's `AddTransformerAnnotation`, run after every transformer of a layer while
/// origins are tracked: each resource with an origin gets `origin` appended to its
/// transformations; a resource without one (a transformer made it) gets it as its origin.
pub fn record_transformation(resources: &mut [Resource], origin: &Origin) -> Result<()> {
    for res in resources {
        if annotation(res, ORIGIN).is_none() {
            set_annotations(res, &[(ORIGIN, origin.to_annotation())])?;
            continue;
        }
        let mut list = match annotation(res, TRANSFORMATIONS) {
            Some(text) => parse_transformations(&text).map_err(|why| {
                Diag::error(
                    "kit::buildmeta::transformations",
                    format!(
                        "cannot read the {TRANSFORMATIONS} annotation of {}: {why}",
                        res.id().describe()
                    ),
                )
                .at(res.node.origin)
                .help("remove the annotation from the resource: kustomize writes it itself")
            })?,
            None => Vec::new(),
        };
        list.push(Some(origin.clone()));
        set_annotations(res, &[(TRANSFORMATIONS, render_transformations(&list))])?;
    }
    Ok(())
}

/// The end of a build: kustomize's internal annotations go, and the origin and
/// transformation annotations unless the root asked for them. Annotation maps left empty
/// are removed later with the others (`labels::stringify_annotations`).
pub fn finish(resources: &mut [Resource], tracking: Option<Tracking>) {
    let keep = tracking.unwrap_or_default();
    for res in resources {
        let Some(annotations) = res
            .node
            .get_mut("metadata")
            .and_then(|m| m.get_mut("annotations"))
            .and_then(Node::as_map_mut)
        else {
            continue;
        };
        annotations.retain(|(key, _)| {
            !(BUILD_ANNOTATIONS.contains(&key.as_str())
                || (key == ORIGIN && !keep.origin_annotations)
                || (key == TRANSFORMATIONS && !keep.transformer_annotations))
        });
    }
}

/// An annotation's text.
fn annotation(res: &Resource, key: &str) -> Option<String> {
    res.node
        .get_path(&["metadata", "annotations", key])
        .and_then(Node::scalar_text)
}

/// `metadata.annotations`, created when missing or null.
fn annotations_mut(res: &mut Resource) -> Result<&mut Node> {
    let describe = res.id().describe();
    let origin = res.node.origin;
    let not_a_map = |what: &str| {
        Diag::error(
            "kit::buildmeta::annotations",
            format!("{what} of {describe} is not a mapping"),
        )
        .at(origin)
        .help("kustomize adds origin annotations to every resource when `buildMetadata` is set")
    };
    let meta = res
        .node
        .entry_map("metadata", None)
        .ok_or_else(|| not_a_map("the resource"))?;
    if meta.as_map().is_none() {
        return Err(not_a_map("metadata"));
    }
    let annotations = meta
        .entry_map("annotations", None)
        .ok_or_else(|| not_a_map("metadata"))?;
    if annotations.as_map().is_none() {
        return Err(not_a_map("metadata.annotations"));
    }
    Ok(annotations)
}

/// kyaml's `SetAnnotations` with some keys changed: the annotation map is written anew, so
/// its values stop being shared with copies elsewhere in the resource (a label or
/// annotation transformer's single node at several places).
fn set_annotations(res: &mut Resource, changes: &[(&str, String)]) -> Result<()> {
    let annotations = annotations_mut(res)?;
    if let Some(entries) = annotations.as_map_mut() {
        for (_, v) in entries.iter_mut() {
            v.share = 0;
        }
    }
    for (key, text) in changes {
        annotations.set(key, Node::str(text.clone(), None));
    }
    Ok(())
}

/// Reads a transformations annotation (a YAML list of origins; `null` items kept).
fn parse_transformations(text: &str) -> std::result::Result<Vec<Option<Origin>>, String> {
    let file = SourceFile::new(TRANSFORMATIONS.into(), TRANSFORMATIONS.to_string(), text);
    let docs =
        crate::load::yaml::parse_documents(&file, FileId(u32::MAX)).map_err(|d| d.message)?;
    let Some(doc) = docs.first() else {
        return Ok(Vec::new());
    };
    match &doc.value {
        Value::Null => Ok(Vec::new()),
        Value::Seq(items) => items
            .iter()
            .map(|item| match item.value {
                Value::Null => Ok(None),
                _ => Origin::from_node(item).map(Some),
            })
            .collect(),
        _ => Err("it must be a list of origins".to_string()),
    }
}

fn render_transformations(list: &[Option<Origin>]) -> String {
    let items = list
        .iter()
        .map(|o| match o {
            Some(o) => o.node(),
            None => Node::new(Value::Null, None),
        })
        .collect();
    let mut out = String::new();
    crate::emit::goyaml::write_document_in_order(&Node::new(Value::Seq(items), None), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_render_as_kustomize_marshals_them() {
        assert_eq!(
            Origin::file("../base/a b.yaml".into()).to_annotation(),
            "path: ../base/a b.yaml\n"
        );
        assert_eq!(
            Origin::file("true".into()).to_annotation(),
            "path: \"true\"\n"
        );
        assert_eq!(
            Origin::builtin(&Origin::file("kustomization.yaml".into()), "ConfigMapGenerator")
                .to_annotation(),
            "configuredIn: kustomization.yaml\nconfiguredBy:\n  apiVersion: builtin\n  kind: ConfigMapGenerator\n"
        );
        let list = vec![
            Some(Origin::builtin(
                &Origin::file("../base/kustomization.yaml".into()),
                "PrefixTransformer",
            )),
            Some(Origin::builtin(
                &Origin::file("kustomization.yaml".into()),
                "PrefixTransformer",
            )),
        ];
        let text = render_transformations(&list);
        assert_eq!(
            text,
            "- configuredIn: ../base/kustomization.yaml\n  configuredBy:\n    apiVersion: builtin\n    kind: PrefixTransformer\n- configuredIn: kustomization.yaml\n  configuredBy:\n    apiVersion: builtin\n    kind: PrefixTransformer\n"
        );
        assert_eq!(parse_transformations(&text), Ok(list));
        assert_eq!(Origin::default().to_annotation(), "{}\n");
        assert!(parse_transformations("x: 1").is_err());
    }

    #[test]
    fn join_cleans_like_go() {
        assert_eq!(join("", "service.yaml"), "service.yaml");
        assert_eq!(join("", "./service.yaml"), "service.yaml");
        assert_eq!(
            join("../base", "kustomization.yaml"),
            "../base/kustomization.yaml"
        );
        assert_eq!(join("../base", "../common/"), "../common");
        assert_eq!(join("a", "../.."), "..");
        assert_eq!(join("a", ".."), ".");
        assert_eq!(join("", ""), "");
        assert_eq!(join("/abs", "x"), "/abs/x");
        assert_eq!(join("x", "/abs"), "x/abs");
    }
}
