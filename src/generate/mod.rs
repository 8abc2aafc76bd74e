//! kustomize's built-in generators: `configMapGenerator` and `secretGenerator`, with
//! `generatorOptions`, `behavior` (create, merge, replace) and the content-hash name suffix.
//!
//! How a build uses this module, in kustomize's order:
//!
//! 1. When reading a kustomization: [`Generators::from_fields`] (or [`parse_generators`] and
//!    [`parse_options`]) on the values of `configMapGenerator`, `secretGenerator` and
//!    `generatorOptions`. Type errors surface here, before anything is built.
//! 2. In each kustomization or component, after its `resources` are accumulated and before
//!    its `components` and transformers: [`Generators::run`], which generates each
//!    ConfigMap generator then each Secret generator in order and absorbs each one into the
//!    accumulated resources before the next ([`generate`] then [`absorb`]).
//! 3. Once, at the end of the root kustomization (after all transformers of every layer,
//!    before name references are fixed and before sorting): [`add_hash_suffixes`].
//!
//! Files named by generators are read through a caller-supplied [`ReadFile`] closure that
//! gets the path as written (relative to the kustomization's directory) with the origin of
//! the entry that names it. The caller resolves the path and enforces the load restrictor
//! (with `RootOnly`, the file must be in or below the kustomization's directory), and
//! reports errors at that origin.

mod absorb;
mod args;
mod hash;
pub mod iam;
mod kv;
mod make;

pub use absorb::absorb;
pub use args::{
    parse_generators, parse_options, parse_plugin_config, Behavior, GeneratorArgs, GeneratorKind,
    Options,
};
pub use hash::{add_hash_suffixes, content_hash, hash_in_place};
pub use kv::{Pair, ReadFile};
pub use make::{encode_base64, generate};

use crate::diag::Result;
use crate::model::{Node, Resource};
use crate::source::Origin;
use crate::transform::{buildmeta, Setting};

/// A generated object and how it joins the resources accumulated so far.
#[derive(Clone, Debug)]
pub struct Generated {
    pub resource: Resource,
    pub behavior: Behavior,
    /// `behavior` as written, for messages.
    pub behavior_text: Option<Setting>,
    /// The generator entry.
    pub origin: Option<Origin>,
}

/// The generator fields of one kustomization.
#[derive(Clone, Debug, Default)]
pub struct Generators {
    pub config_maps: Vec<GeneratorArgs>,
    pub secrets: Vec<GeneratorArgs>,
    /// `generatorOptions`.
    pub options: Option<Options>,
}

impl Generators {
    /// Reads the values of `configMapGenerator`, `secretGenerator` and `generatorOptions`
    /// (each `None` when the kustomization does not have it).
    pub fn from_fields(
        config_map_generator: Option<&Node>,
        secret_generator: Option<&Node>,
        generator_options: Option<&Node>,
    ) -> Result<Self> {
        Ok(Generators {
            config_maps: config_map_generator
                .map(|n| parse_generators(n, GeneratorKind::ConfigMap))
                .transpose()?
                .unwrap_or_default(),
            secrets: secret_generator
                .map(|n| parse_generators(n, GeneratorKind::Secret))
                .transpose()?
                .unwrap_or_default(),
            options: generator_options.map(parse_options).transpose()?.flatten(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.config_maps.is_empty() && self.secrets.is_empty()
    }

    /// Runs every generator (ConfigMaps first, then Secrets, each in written order),
    /// absorbing each result into `acc` before generating the next.
    pub fn run(&self, acc: &mut Vec<Resource>, read: &ReadFile<'_>) -> Result<()> {
        self.run_tracked(acc, read, None)
    }

    /// [`Generators::run`] while origins are tracked (`buildMetadata`): each generated
    /// object gets the origin annotation of its generator, configured in the kustomization
    /// file `configured_in` (relative to the root), before it is absorbed.
    pub fn run_tracked(
        &self,
        acc: &mut Vec<Resource>,
        read: &ReadFile<'_>,
        configured_in: Option<&buildmeta::Origin>,
    ) -> Result<()> {
        for args in self.config_maps.iter().chain(&self.secrets) {
            let mut generated = generate(args, self.options.as_ref(), read)?;
            if let Some(configured_in) = configured_in {
                let origin = buildmeta::Origin::builtin(
                    configured_in,
                    &format!("{}Generator", args.kind.kind()),
                );
                buildmeta::annotate_generated(
                    std::slice::from_mut(&mut generated.resource),
                    &origin,
                )?;
            }
            absorb(acc, vec![generated])?;
        }
        Ok(())
    }
}

/// Node builders shared by this module's tests.
#[cfg(test)]
pub(crate) mod testing {
    use crate::model::{Node, Value};

    pub fn s(v: &str) -> Node {
        Node::str(v, None)
    }

    pub fn map(entries: Vec<(&str, Node)>) -> Node {
        Node::new(
            Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            ),
            None,
        )
    }
}
