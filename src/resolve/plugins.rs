//! A kustomization's `generators`, `transformers` and `validators`: finding the plugin
//! configuration objects they list and running them at kustomize's points of the build
//! (see [`crate::plugin`] for what each builtin does).
//!
//! As kustomize does, an entry that reads as one or more objects is an inline configuration;
//! any other entry is a path, to a file of configuration objects or to a directory whose
//! kustomization renders them (built like a base: its own transformers run, names get no
//! hash). Inline configurations come first, then those from paths, each list in order.

use super::{append_all, Builder, IdIndex, Walk};
use crate::diag::{Diag, Result};
use crate::model::{Node, Resource, Value};
use crate::plugin::{self, Configured, Docs, Host, Role, Transformer};
use crate::transform::buildmeta;
use crate::transform::{Resources, Setting};

use super::kustomization::Kustomization;

/// Files for a plugin's configuration: relative to the kustomization that lists the plugin.
struct LayerHost<'a> {
    builder: &'a Builder,
    k: &'a Kustomization,
}

impl Host for LayerHost<'_> {
    fn load_docs(&self, path: &Setting) -> Result<Docs> {
        let file = self.builder.restricted_file(self.k, path)?;
        let loaded = self
            .builder
            .loader
            .load(&file)
            .map_err(|d| d.at(path.origin))?;
        Ok(Docs {
            docs: loaded.docs.clone(),
            file: self.builder.loader.sources.get(loaded.file),
        })
    }

    fn parse_text(&self, text: &Setting, what: &str) -> Result<Docs> {
        let (loaded, inline) = self.builder.load_inline(text, &text.value, what)?;
        let mut docs = loaded.docs.clone();
        // Where the text lines up with how it is written, its nodes are placed in the file
        // that holds it, which then stands for it (its characters are the same there).
        let file = match (&inline.embedding, text.origin) {
            (Some(_), Some(at)) => {
                for doc in &mut docs {
                    doc.walk_mut(&mut |n| n.origin = n.origin.map(|o| inline.place(o)));
                }
                self.builder.loader.sources.get(at.file)
            }
            _ => self.builder.loader.sources.get(loaded.file),
        };
        Ok(Docs { docs, file })
    }

    fn root_name(&self) -> String {
        self.k
            .dir
            .file_name()
            .map_or_else(|| "/".to_string(), |n| n.to_string_lossy().into_owned())
    }
}

impl Builder {
    /// Runs the layer's `generators`, absorbing each result before the next (after the
    /// builtin `configMapGenerator` and `secretGenerator`).
    pub(super) fn run_plugin_generators(
        &self,
        k: &Kustomization,
        acc: &mut Resources,
        walk: &mut Walk,
    ) -> Result<()> {
        if k.plugins.generators.is_empty() {
            return Ok(());
        }
        let configs = self.plugin_configs(k, &k.plugins.generators, Role::Generator, walk)?;
        let host = LayerHost { builder: self, k };
        let generators = configs
            .iter()
            .map(|(c, _)| plugin::configure_generator(c))
            .collect::<Result<Vec<_>>>()?;
        let downloaded = std::cell::RefCell::new(Vec::new());
        let read = |entry: &Setting| -> Result<Vec<u8>> {
            self.read_named(k, entry, &walk.lock, &mut downloaded.borrow_mut())
        };
        for (g, (_, origin)) in generators.iter().zip(&configs) {
            let generated = match &g.plugin {
                plugin::Generator::Object(args) => crate::generate::generate(args, None, &read)?,
                plugin::Generator::IamPolicy(args) => {
                    let parse = |text: String| -> Result<Vec<Node>> {
                        let setting = Setting {
                            value: text,
                            origin: g.origin,
                        };
                        host.parse_text(&setting, "IAMPolicyGenerator output")
                            .map(|d| d.docs)
                    };
                    crate::generate::Generated {
                        resource: crate::generate::iam::generate(args, &parse)?,
                        behavior: crate::generate::Behavior::Unspecified,
                        behavior_text: None,
                        origin: g.origin,
                    }
                }
            };
            let mut generated = vec![generated];
            if let Some(origin) = origin {
                let mut made: Vec<Resource> =
                    generated.iter().map(|g| g.resource.clone()).collect();
                buildmeta::annotate_generated(&mut made, origin)?;
                for (g, r) in generated.iter_mut().zip(made) {
                    g.resource = r;
                }
            }
            crate::generate::absorb(acc, generated)?;
        }
        walk.files.extend(downloaded.into_inner());
        Ok(())
    }

    /// Reads and configures the layer's `transformers` or `validators` (before any runs).
    pub(super) fn configure_plugin_transformers(
        &self,
        k: &Kustomization,
        role: Role,
        walk: &mut Walk,
    ) -> Result<Vec<(Configured<Transformer>, Option<buildmeta::Origin>)>> {
        let entries = match role {
            Role::Validator => &k.plugins.validators,
            _ => &k.plugins.transformers,
        };
        if entries.is_empty() {
            return Ok(Vec::new());
        }
        let configs = self.plugin_configs(k, entries, role, walk)?;
        let host = LayerHost { builder: self, k };
        configs
            .iter()
            .map(|(c, origin)| {
                Ok((
                    plugin::configure_transformer(c, &host, role)?,
                    origin.clone(),
                ))
            })
            .collect()
    }

    /// Runs validators: each may not change the resources (a `validated-by` label aside,
    /// which stays, as in kustomize).
    pub(super) fn run_validators(
        &self,
        validators: &[(Configured<Transformer>, Option<buildmeta::Origin>)],
        acc: &mut Resources,
        schema: &mut crate::openapi::BuildSchema,
    ) -> Result<()> {
        for (v, _) in validators {
            let before = acc.clone();
            plugin::transform(v, acc, &self.loader.sources, schema)?;
            let mut after = acc.clone();
            for r in &mut after {
                remove_validated_by(r);
            }
            if let Some(changed) = first_difference(&before, &after) {
                return Err(Diag::error(
                    "kit::plugin::validator-modified",
                    format!(
                        "validator shouldn't modify the resource map: plugin {} '{}' changed {}",
                        v.kind, v.name, changed
                    ),
                )
                .at(v.origin)
                .help(
                    "a validator only checks resources; list this plugin under `transformers:`",
                ));
            }
        }
        Ok(())
    }

    /// The configuration objects of one list: inline ones first, then files and directories.
    fn plugin_configs(
        &self,
        k: &Kustomization,
        entries: &[Setting],
        role: Role,
        walk: &mut Walk,
    ) -> Result<Vec<(Resource, Option<buildmeta::Origin>)>> {
        let mut configs = Vec::new();
        let mut seen = IdIndex::default();
        let mut paths = Vec::new();
        for entry in entries {
            match self.inline_configs(entry, role)? {
                Some(found) => append_all(&mut configs, &mut seen, found, entry.origin)?,
                None => paths.push(entry),
            }
        }
        let inline = configs.len();
        for entry in paths {
            let loaded = self.resource_entry(k, entry, walk)?;
            append_all(&mut configs, &mut seen, loaded.resources, entry.origin)?;
        }
        for c in &configs {
            if c.name().is_empty() {
                return Err(Diag::error(
                    "kit::plugin::no-name",
                    format!(
                        "missing metadata.name in the {} plugin configuration",
                        c.kind()
                    ),
                )
                .at(c.node.origin)
                .help("give the configuration object a `metadata: {name: ...}`"));
            }
        }
        // While origins are tracked, each plugin records where its configuration came from:
        // the kustomization file for inline ones, the configuration's own file otherwise.
        let configured_in = walk.configured_in(k);
        Ok(configs
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let origin = configured_in
                    .as_ref()
                    .and_then(|file| buildmeta::plugin_origin(&c, (i < inline).then_some(file)));
                (c, origin)
            })
            .collect())
    }

    /// An entry written as configuration objects rather than a path.
    fn inline_configs(&self, entry: &Setting, role: Role) -> Result<Option<Resources>> {
        let text = entry.value.trim();
        // A path never starts a YAML mapping on its own; skip parsing the common case.
        if !text.contains(':') && !text.is_empty() {
            return Ok(None);
        }
        let what = format!("inline {} entry", role.field());
        let (loaded, inline) = match self.load_inline(entry, &entry.value, &what) {
            Ok(loaded) => loaded,
            // A path has no line breaks: text that has them is a configuration written
            // inline, and malformed.
            Err(e) if text.contains('\n') => return Err(e),
            Err(_) => return Ok(None),
        };
        if !loaded.docs.iter().all(|d| matches!(d.value, Value::Map(_))) {
            return Ok(None);
        }
        // Located in the kustomization, as written (its field specs, for one).
        let mut docs = loaded.docs.clone();
        for doc in &mut docs {
            doc.walk_mut(&mut |n| n.origin = n.origin.map(|o| inline.place(o)));
        }
        crate::load::resources_from_docs(&docs).map(Some)
    }
}

/// kustomize's validators may add this label.
fn remove_validated_by(r: &mut Resource) {
    let Some(meta) = r.node.get_mut("metadata") else {
        return;
    };
    let Some(labels) = meta.get_mut("labels") else {
        return;
    };
    labels.remove("validated-by");
    if labels.as_map().is_some_and(Vec::is_empty) {
        meta.remove("labels");
    }
}

/// The first resource that differs between two lists (by id, value, renames).
fn first_difference(before: &[Resource], after: &[Resource]) -> Option<String> {
    if before.len() != after.len() {
        return Some(format!(
            "the number of resources ({} before, {} after)",
            before.len(),
            after.len()
        ));
    }
    for b in before {
        let id = b.id();
        let file = b.node.origin.map(|o| o.file);
        let same = after.iter().find(|a| a.id().same_as(&id)).is_some_and(|a| {
            identical(&b.node, &a.node, file)
                && a.previous == b.previous
                && a.name_prefixes == b.name_prefixes
                && a.name_suffixes == b.name_suffixes
        });
        if !same {
            return Some(id.describe());
        }
    }
    None
}

/// Same values; and a node read with the resource (from `file`) not replaced by another,
/// even of the same value. kustomize compares its YAML nodes deeply: a transformer that
/// rewrites a field read from a file changes its position, one that rewrites a field an
/// earlier transformer set does not.
fn identical(before: &Node, after: &Node, file: Option<crate::source::FileId>) -> bool {
    let read_with_resource = before.origin.is_some() && before.origin.map(|o| o.file) == file;
    if read_with_resource && before.origin != after.origin {
        return false;
    }
    match (&before.value, &after.value) {
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| identical(p, q, file))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((kp, p), (kq, q))| kp == kq && identical(p, q, file))
        }
        _ => before.same_value(after),
    }
}
