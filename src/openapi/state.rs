//! Which schema the strategic merges of one build use, and how kustomizations choose it.
//!
//! kustomize keeps the OpenAPI schema in process-wide state (`kyaml/openapi`), which
//! kustomizations set as the build reaches them (`SetSchema`):
//!
//! - The root kustomization's `openapi:` is applied first, before anything is read.
//! - Every other kustomization (base or component) applies its `openapi:` when the build
//!   reaches it (before its own resources), but only if no kustomization has chosen yet: the
//!   first choice in build order wins, and the root's always does.
//! - `openapi: {version: v1.21.2}` chooses the built-in schema (the only version kustomize
//!   v5.8.1 embeds); any other version is an error, as are `version` and `path` together.
//! - `openapi: {path: file}` chooses a custom schema. How it combines with the built-in one
//!   depends on what the build did before ([`Layering`]): nothing that needed a schema (only
//!   the custom definitions are known, so built-in kinds merge their lists by replacing
//!   them); a strategic merge (the built-in schema had been read: the custom definitions
//!   replace built-in ones of the same name); or a resource of a kind outside kustomize's
//!   precomputed scope table (kustomize then reads the built-in schema after the custom one,
//!   so built-in definitions win).
//!
//! [`BuildSchema`] is that state as a value, threaded through one build. Its counters let a
//! cached base replay its effect on the state without being built again.

use std::path::PathBuf;
use std::sync::Arc;

use super::{builtin, Layering, SchemaSet};
use crate::model::Gvk;

/// The only Kubernetes version kustomize v5.8.1 has built in.
pub const BUILTIN_VERSION: &str = "v1.21.2";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Progress {
    /// Nothing needed a schema yet.
    Fresh,
    /// A kind outside the precomputed scope table was seen: kustomize reads the built-in
    /// schema after a custom one chosen now.
    Delayed,
    /// A strategic merge ran: the built-in schema has been read.
    Parsed,
}

#[derive(Clone, Debug)]
enum Choice {
    /// No kustomization has chosen: the built-in schema.
    Default(Progress),
    /// `openapi.version` chose the built-in schema.
    Version,
    /// `openapi.path` chose a custom schema.
    Custom {
        file: PathBuf,
        layering: Layering,
        set: Arc<SchemaSet>,
    },
}

/// What identifies the schema in use, for caching a base's render.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SchemaKey {
    Builtin,
    Custom(PathBuf, Layering),
}

/// Monotonic counts of what the build did, to tell what a sub-build changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Strategic merges run.
    pub merges: u64,
    /// Resources read whose kind is outside the precomputed scope table.
    pub unscoped: u64,
    /// `openapi:` fields met.
    pub choices: u64,
}

/// kustomize's OpenAPI state during one build.
#[derive(Clone, Debug)]
pub struct BuildSchema {
    choice: Choice,
    counters: Counters,
}

impl Default for BuildSchema {
    fn default() -> Self {
        Self::new()
    }
}

impl BuildSchema {
    /// The state at the start of a build: nothing chosen, nothing read.
    pub fn new() -> Self {
        BuildSchema {
            choice: Choice::Default(Progress::Fresh),
            counters: Counters::default(),
        }
    }

    /// Whether a kustomization has chosen a schema (later choices are ignored).
    pub fn is_chosen(&self) -> bool {
        !matches!(self.choice, Choice::Default(_))
    }

    /// How a custom schema chosen now would combine with the built-in one.
    pub fn layering_now(&self) -> Layering {
        match self.choice {
            Choice::Default(Progress::Parsed) => Layering::OverBuiltin,
            Choice::Default(Progress::Delayed) => Layering::UnderBuiltin,
            _ => Layering::Alone,
        }
    }

    /// Records an `openapi:` field met (whether or not it chooses).
    pub fn note_field(&mut self) {
        self.counters.choices += 1;
    }

    /// `openapi: {version: v1.21.2}`.
    pub fn choose_version(&mut self) {
        self.choice = Choice::Version;
    }

    /// `openapi: {path: file}`, composed with [`Self::layering_now`].
    pub fn choose_custom(&mut self, file: PathBuf, layering: Layering, set: Arc<SchemaSet>) {
        self.choice = Choice::Custom {
            file,
            layering,
            set,
        };
    }

    /// A resource of this type joined the build (kustomize computes its scope).
    pub fn saw_kind(&mut self, gvk: &Gvk) {
        if gvk.has_precomputed_scope() {
            return;
        }
        self.counters.unscoped += 1;
        if let Choice::Default(p @ Progress::Fresh) = &mut self.choice {
            *p = Progress::Delayed;
        }
    }

    /// The schemas for a strategic merge about to run (which reads the schema).
    pub fn for_merge(&mut self) -> &SchemaSet {
        self.counters.merges += 1;
        match &mut self.choice {
            Choice::Default(p) => {
                *p = Progress::Parsed;
                builtin()
            }
            Choice::Version => builtin(),
            Choice::Custom { set, .. } => set,
        }
    }

    /// kustomize's `IsCertainlyClusterScoped` under this state: the precomputed table, then
    /// the scopes a chosen custom schema's `paths` tell.
    pub fn is_cluster_scoped(&self, gvk: &Gvk) -> bool {
        if gvk.is_cluster_scoped() {
            return true;
        }
        match &self.choice {
            Choice::Custom { set, .. } if !gvk.has_precomputed_scope() => {
                set.namespaced(gvk) == Some(false)
            }
            _ => false,
        }
    }

    /// The schema in use.
    pub fn key(&self) -> SchemaKey {
        match &self.choice {
            Choice::Default(_) | Choice::Version => SchemaKey::Builtin,
            Choice::Custom { file, layering, .. } => SchemaKey::Custom(file.clone(), *layering),
        }
    }

    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// Whether two states behave the same from here on.
    pub fn same_state(&self, other: &BuildSchema) -> bool {
        match (&self.choice, &other.choice) {
            (Choice::Default(a), Choice::Default(b)) => a == b,
            (Choice::Version, Choice::Version) => true,
            (Choice::Custom { .. }, Choice::Custom { .. }) => self.key() == other.key(),
            _ => false,
        }
    }

    /// Replays what a sub-build that met no `openapi:` field did: `delta` is the difference
    /// of its counters.
    pub fn replay(&mut self, delta: Counters) {
        if delta.unscoped > 0 {
            if let Choice::Default(p @ Progress::Fresh) = &mut self.choice {
                *p = Progress::Delayed;
            }
        }
        if delta.merges > 0 {
            if let Choice::Default(p) = &mut self.choice {
                *p = Progress::Parsed;
            }
        }
        self.add(delta);
    }

    /// Takes the state a sub-build ended in (from a cache), keeping the counts going.
    pub fn restore(&mut self, end: &BuildSchema, delta: Counters) {
        self.choice = end.choice.clone();
        self.add(delta);
    }

    fn add(&mut self, delta: Counters) {
        self.counters.merges += delta.merges;
        self.counters.unscoped += delta.unscoped;
        self.counters.choices += delta.choices;
    }
}

impl Counters {
    /// `self - earlier`.
    pub fn since(self, earlier: Counters) -> Counters {
        Counters {
            merges: self.merges.saturating_sub(earlier.merges),
            unscoped: self.unscoped.saturating_sub(earlier.unscoped),
            choices: self.choices.saturating_sub(earlier.choices),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layering_follows_what_the_build_did() {
        let mut s = BuildSchema::new();
        assert_eq!(s.layering_now(), Layering::Alone);
        s.saw_kind(&Gvk::from_api_version("apps/v1", "Deployment"));
        assert_eq!(s.layering_now(), Layering::Alone);
        s.saw_kind(&Gvk::from_api_version("example.com/v1", "Widget"));
        assert_eq!(s.layering_now(), Layering::UnderBuiltin);
        s.for_merge();
        assert_eq!(s.layering_now(), Layering::OverBuiltin);
        s.choose_version();
        assert!(s.is_chosen());
        assert_eq!(s.key(), SchemaKey::Builtin);
    }

    #[test]
    fn replay_matches_doing() {
        let mut a = BuildSchema::new();
        let before = a.counters();
        a.saw_kind(&Gvk::from_api_version("v1", "Deployment"));
        let delta = a.counters().since(before);
        let mut b = BuildSchema::new();
        b.replay(delta);
        assert!(a.same_state(&b));
        assert_eq!(a.counters(), b.counters());
    }
}
