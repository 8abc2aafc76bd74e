//! kustomize's builtin plugins, configured by objects listed in a kustomization's
//! `generators`, `transformers` and `validators` fields.
//!
//! A configuration object has `apiVersion: builtin` and the plugin's name as its `kind`; the
//! rest of the object is the plugin's configuration ([`decode`] reads it as kustomize does).
//! Each builtin maps onto the generator or transformer code the kustomization fields use:
//!
//! | kind | runs |
//! |---|---|
//! | `ConfigMapGenerator`, `SecretGenerator` | [`crate::generate::generate`] (no `generatorOptions`) |
//! | `IAMPolicyGenerator` | [`crate::generate::iam`] |
//! | `AnnotationsTransformer`, `LabelTransformer` | [`crate::transform::labels::apply_pairs`] with the config's own `fieldSpecs` only |
//! | `NamespaceTransformer` | [`crate::transform::namespace::apply_with`] (`unsetOnly`, `setRoleBindingSubjects`) |
//! | `PrefixTransformer`, `SuffixTransformer`, `PrefixSuffixTransformer` | [`crate::transform::names`] |
//! | `ImageTagTransformer` | [`crate::transform::images::apply`] |
//! | `ReplicaCountTransformer` | [`crate::transform::replicas::apply`] |
//! | `PatchTransformer`, `PatchStrategicMergeTransformer`, `PatchJson6902Transformer` | [`crate::transform::patches`] |
//! | `ReplacementTransformer` | [`crate::transform::replacements`] |
//! | `ValueAddTransformer` | [`crate::transform::valueadd`] |
//! | `HashTransformer` | the content-hash suffix, now |
//!
//! A plugin's fieldSpecs are used as written: unlike the kustomization fields, a
//! `LabelTransformer` gets no default field specs. Files a configuration names (patches,
//! generator inputs, replacement files) are relative to the kustomization that lists the
//! plugin, even when the configuration object came from another directory.
//!
//! Anything else (exec and Go plugins, KRM functions) is refused: kustomize runs those only
//! with `--enable-alpha-plugins`, and kit never runs external code. So is
//! `HelmChartInflationGenerator`, which kit does not implement yet.

pub mod decode;

use std::sync::Arc;

use crate::diag::{Diag, Result};
use crate::generate::iam::IamPolicyArgs;
use crate::generate::{GeneratorArgs, GeneratorKind};
use crate::model::{Node, Resource, Value};
use crate::patch::json6902::{self, Json6902Patch};
use crate::patch::smp::IdentityOptions;
use crate::source::{Origin, SourceFile, SourceMap};
use crate::transform::fieldspec::FieldSpec;
use crate::transform::images::ImageSpec;
use crate::transform::replacements::Replacement;
use crate::transform::replicas::Replica;
use crate::transform::select::Selector;
use crate::transform::valueadd::{Target, ValueAdd};
use crate::transform::{self, namespace, patches, Pairs, Resources, Setting};
use decode::{Decoder, Mode};

/// The kustomization field that lists a configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Generator,
    Transformer,
    Validator,
}

impl Role {
    pub fn field(self) -> &'static str {
        match self {
            Role::Generator => "generators",
            Role::Transformer => "transformers",
            Role::Validator => "validators",
        }
    }
}

/// Parsed documents and the file they came from.
pub struct Docs {
    pub docs: Vec<Node>,
    pub file: Option<Arc<SourceFile>>,
}

/// What configuring a plugin needs from the build: files relative to the kustomization
/// that lists the plugin (the load restrictor applied), and parsing of text written inside
/// a configuration.
pub trait Host {
    /// The documents of a YAML file named in a configuration.
    fn load_docs(&self, path: &Setting) -> Result<Docs>;
    /// Parses text held in a configuration (an inline patch); `what` names it in messages.
    fn parse_text(&self, text: &Setting, what: &str) -> Result<Docs>;
    /// The name of the kustomization's directory.
    fn root_name(&self) -> String;
}

/// A configured plugin and where its configuration object was written.
#[derive(Clone, Debug)]
pub struct Configured<P> {
    /// The builtin's name (`kind`).
    pub kind: String,
    /// The configuration object's `metadata.name`.
    pub name: String,
    pub origin: Option<Origin>,
    pub plugin: P,
}

#[derive(Clone, Debug)]
pub enum Generator {
    /// `ConfigMapGenerator` or `SecretGenerator`.
    Object(GeneratorArgs),
    IamPolicy(IamPolicyArgs),
}

#[derive(Clone, Debug)]
pub enum Transformer {
    Annotations {
        pairs: Pairs,
        specs: Vec<FieldSpec>,
    },
    Labels {
        pairs: Pairs,
        specs: Vec<FieldSpec>,
    },
    Namespace {
        namespace: Setting,
        specs: Vec<FieldSpec>,
        options: namespace::Options,
    },
    /// `PrefixTransformer`, `SuffixTransformer`, or both (`PrefixSuffixTransformer`, which
    /// runs the prefix then the suffix with the same field specs).
    Affix {
        prefix: Option<Setting>,
        suffix: Option<Setting>,
        specs: Vec<FieldSpec>,
    },
    ImageTag {
        image: ImageSpec,
        specs: Vec<FieldSpec>,
    },
    ReplicaCount {
        replica: Replica,
        specs: Vec<FieldSpec>,
    },
    Patch(patches::PatchEntry),
    StrategicMerge(Vec<Node>),
    Json6902 {
        target: Selector,
        patch: Json6902Patch,
    },
    Replacements(Vec<Replacement>),
    ValueAdd(ValueAdd),
    Hash,
}

/// Which builtin a configuration names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Builtin {
    ConfigMapGenerator,
    SecretGenerator,
    IamPolicyGenerator,
    HelmChartInflationGenerator,
    AnnotationsTransformer,
    HashTransformer,
    ImageTagTransformer,
    LabelTransformer,
    NamespaceTransformer,
    PatchJson6902Transformer,
    PatchStrategicMergeTransformer,
    PatchTransformer,
    PrefixSuffixTransformer,
    PrefixTransformer,
    SuffixTransformer,
    ReplacementTransformer,
    ReplicaCountTransformer,
    ValueAddTransformer,
}

/// kustomize v5.8.1's builtins, by the name a configuration's `kind` must spell exactly.
const BUILTINS: &[(&str, Builtin)] = &[
    ("AnnotationsTransformer", Builtin::AnnotationsTransformer),
    ("ConfigMapGenerator", Builtin::ConfigMapGenerator),
    ("HashTransformer", Builtin::HashTransformer),
    (
        "HelmChartInflationGenerator",
        Builtin::HelmChartInflationGenerator,
    ),
    ("IAMPolicyGenerator", Builtin::IamPolicyGenerator),
    ("ImageTagTransformer", Builtin::ImageTagTransformer),
    ("LabelTransformer", Builtin::LabelTransformer),
    ("NamespaceTransformer", Builtin::NamespaceTransformer),
    (
        "PatchJson6902Transformer",
        Builtin::PatchJson6902Transformer,
    ),
    (
        "PatchStrategicMergeTransformer",
        Builtin::PatchStrategicMergeTransformer,
    ),
    ("PatchTransformer", Builtin::PatchTransformer),
    ("PrefixSuffixTransformer", Builtin::PrefixSuffixTransformer),
    ("PrefixTransformer", Builtin::PrefixTransformer),
    ("ReplacementTransformer", Builtin::ReplacementTransformer),
    ("ReplicaCountTransformer", Builtin::ReplicaCountTransformer),
    ("SecretGenerator", Builtin::SecretGenerator),
    ("SuffixTransformer", Builtin::SuffixTransformer),
    ("ValueAddTransformer", Builtin::ValueAddTransformer),
];

impl Builtin {
    fn is_generator(self) -> bool {
        matches!(
            self,
            Builtin::ConfigMapGenerator
                | Builtin::SecretGenerator
                | Builtin::IamPolicyGenerator
                | Builtin::HelmChartInflationGenerator
        )
    }
}

/// A configuration object read as far as which plugin it names.
struct Config<'a> {
    node: &'a Node,
    kind: String,
    name: String,
    builtin: Builtin,
}

/// Configures a plugin listed under `generators`.
pub fn configure_generator(config: &Resource) -> Result<Configured<Generator>> {
    let c = identify(config, Role::Generator)?;
    let d = Decoder::new(Mode::SigsYaml, &c.kind);
    let plugin = match c.builtin {
        Builtin::ConfigMapGenerator => Generator::Object(crate::generate::parse_plugin_config(
            c.node,
            GeneratorKind::ConfigMap,
            &d,
        )?),
        Builtin::SecretGenerator => Generator::Object(crate::generate::parse_plugin_config(
            c.node,
            GeneratorKind::Secret,
            &d,
        )?),
        Builtin::IamPolicyGenerator => Generator::IamPolicy(iam_policy(&c, &d)?),
        Builtin::HelmChartInflationGenerator => {
            return Err(Diag::error(
                "kit::kustomization::unsupported",
                "kit does not support the builtin HelmChartInflationGenerator yet",
            )
            .at(kind_origin(c.node))
            .help("render this kustomization with `kubectl kustomize --enable-helm` until kit supports Helm charts"))
        }
        _ => return Err(wrong_role(&c, Role::Generator)),
    };
    Ok(Configured {
        kind: c.kind,
        name: c.name,
        origin: c.node.origin,
        plugin,
    })
}

/// Configures a plugin listed under `transformers` or `validators`.
pub fn configure_transformer(
    config: &Resource,
    host: &dyn Host,
    role: Role,
) -> Result<Configured<Transformer>> {
    let c = identify(config, role)?;
    let d = Decoder::new(Mode::SigsYaml, &c.kind);
    let plugin = match c.builtin {
        Builtin::AnnotationsTransformer | Builtin::LabelTransformer => {
            let key = if c.builtin == Builtin::LabelTransformer {
                "labels"
            } else {
                "annotations"
            };
            let f = d.fields(c.node, &[key, "fieldSpecs"], "configuration")?;
            let pairs = f
                .get(key)
                .map(|v| d.string_map(v, key))
                .transpose()?
                .unwrap_or_default();
            let specs = d
                .field_specs(f.get("fieldSpecs"), "fieldSpecs")?
                .unwrap_or_default();
            if c.builtin == Builtin::LabelTransformer {
                Transformer::Labels { pairs, specs }
            } else {
                Transformer::Annotations { pairs, specs }
            }
        }
        Builtin::NamespaceTransformer => namespace_config(&c, &d)?,
        Builtin::PrefixTransformer
        | Builtin::SuffixTransformer
        | Builtin::PrefixSuffixTransformer => affix_config(&c)?,
        Builtin::ImageTagTransformer => {
            let f = d.fields(c.node, &["imageTag", "fieldSpecs"], "configuration")?;
            let mut image = ImageSpec {
                origin: c.node.origin,
                ..ImageSpec::default()
            };
            if let Some(tag) = f.get("imageTag") {
                image.origin = tag.origin;
                let t = d.fields(
                    tag,
                    &["name", "newName", "newTag", "digest", "tagSuffix"],
                    "imageTag",
                )?;
                let text = |name: &str| -> Result<String> {
                    t.get(name)
                        .map(|v| d.string(v, &format!("imageTag.{name}")).map(|s| s.value))
                        .transpose()
                        .map(Option::unwrap_or_default)
                };
                image.name = text("name")?;
                image.new_name = text("newName")?;
                image.new_tag = text("newTag")?;
                image.digest = text("digest")?;
                image.tag_suffix = text("tagSuffix")?;
            }
            let specs = d
                .field_specs(f.get("fieldSpecs"), "fieldSpecs")?
                .unwrap_or_default();
            Transformer::ImageTag { image, specs }
        }
        Builtin::ReplicaCountTransformer => {
            let f = d.fields(c.node, &["replica", "fieldSpecs"], "configuration")?;
            let mut replica = Replica {
                name: String::new(),
                count: 0,
                origin: c.node.origin,
            };
            if let Some(r) = f.get("replica") {
                let rf = d.fields(r, &["name", "count"], "replica")?;
                if let Some(name) = rf.get("name") {
                    replica.name = d.string(name, "replica.name")?.value;
                }
                if let Some(count) = rf.get("count") {
                    replica.count = d.int(count, "replica.count")?;
                    replica.origin = count.origin;
                }
            }
            let specs = d
                .field_specs(f.get("fieldSpecs"), "fieldSpecs")?
                .unwrap_or_default();
            Transformer::ReplicaCount { replica, specs }
        }
        Builtin::PatchTransformer => patch_config(&c, &d, host)?,
        Builtin::PatchStrategicMergeTransformer => strategic_merge_config(&c, &d, host)?,
        Builtin::PatchJson6902Transformer => json6902_config(&c, &d, host)?,
        Builtin::ReplacementTransformer => {
            let f = d.fields(c.node, &["replacements"], "configuration")?;
            let list = match f.get("replacements") {
                Some(node) => {
                    let mut load = |path: &str, origin: Option<Origin>| {
                        let entry = Setting {
                            value: path.to_string(),
                            origin,
                        };
                        host.load_docs(&entry)
                            .map(|d| d.docs)
                            .map_err(|e| e.at(origin))
                    };
                    transform::replacements::parse(node, &mut load)?
                }
                None => Vec::new(),
            };
            Transformer::Replacements(list)
        }
        Builtin::ValueAddTransformer => Transformer::ValueAdd(value_add_config(&c, &d, host)?),
        Builtin::HashTransformer => Transformer::Hash,
        _ => return Err(wrong_role(&c, role)),
    };
    Ok(Configured {
        kind: c.kind,
        name: c.name,
        origin: c.node.origin,
        plugin,
    })
}

/// Runs a configured transformer over the resources.
pub fn transform(
    t: &Configured<Transformer>,
    resources: &mut Resources,
    sources: &SourceMap,
    schema: &mut crate::openapi::BuildSchema,
) -> Result<()> {
    match &t.plugin {
        Transformer::Annotations { pairs, specs } | Transformer::Labels { pairs, specs } => {
            transform::labels::apply_pairs(resources, pairs, specs)
        }
        Transformer::Namespace {
            namespace,
            specs,
            options,
        } => namespace::apply_with(resources, namespace, specs, *options, &|gvk| {
            schema.is_cluster_scoped(gvk)
        }),
        Transformer::Affix {
            prefix,
            suffix,
            specs,
        } => {
            if let Some(p) = prefix {
                transform::names::prefix(resources, p, specs)?;
            }
            if let Some(s) = suffix {
                transform::names::suffix(resources, s, specs)?;
            }
            Ok(())
        }
        Transformer::ImageTag { image, specs } => transform::images::apply(resources, image, specs),
        Transformer::ReplicaCount { replica, specs } => {
            transform::replicas::apply(resources, replica, specs)
        }
        Transformer::Patch(entry) => patches::apply_entry(resources, entry, schema),
        Transformer::StrategicMerge(docs) => {
            patches::apply_strategic_merge_list(resources, docs, schema)
        }
        Transformer::Json6902 { target, patch } => {
            patches::apply_json6902_entry(resources, target, patch)
        }
        Transformer::Replacements(list) => transform::replacements::apply(resources, list),
        Transformer::ValueAdd(va) => transform::valueadd::apply(resources, va, sources),
        Transformer::Hash => crate::generate::hash_in_place(resources),
    }
}

/// Reads `apiVersion` and `kind` and refuses what kit cannot run.
fn identify(config: &Resource, role: Role) -> Result<Config<'_>> {
    let node = &config.node;
    let gvk = config.gvk();
    let kind = gvk.kind.clone();
    let name = config.name().to_string();
    if !(gvk.group.is_empty() && gvk.version == "builtin") {
        let function = ["config.kubernetes.io/function", "config.k8s.io/function"]
            .iter()
            .any(|a| node.get_path(&["metadata", "annotations", a]).is_some());
        let what = if function {
            "a KRM function (`config.kubernetes.io/function`), which runs a container or an executable"
        } else {
            "an exec or Go plugin, which runs a program from kustomize's plugin directory"
        };
        return Err(Diag::error(
            "kit::plugin::external",
            format!(
                "external plugins disabled; unable to load external plugin '{kind}' (apiVersion: {}) listed in `{}`",
                node.get_str("apiVersion").unwrap_or(""),
                role.field()
            ),
        )
        .at(kind_origin(node))
        .label(format!("'{kind}' is {what}"))
        .help("kit runs only kustomize's builtin plugins (`apiVersion: builtin`) and never runs external code; kustomize needs `--enable-alpha-plugins` for this one. Replace it with a builtin plugin, or run it outside kit"));
    }
    let Some(builtin) = BUILTINS.iter().find(|(n, _)| *n == kind).map(|(_, b)| *b) else {
        let help = if kind == "SortOrderTransformer" {
            "SortOrderTransformer is not a plugin in kustomize; set `sortOptions:` in the top-level kustomization instead".to_string()
        } else {
            format!(
                "builtin plugins are: {}",
                BUILTINS
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Err(Diag::error(
            "kit::plugin::unknown-builtin",
            format!(
                "unable to load builtin {}",
                config.org_id().gvk.kustomize_string()
            ),
        )
        .at(kind_origin(node))
        .help(help));
    };
    Ok(Config {
        node,
        kind,
        name,
        builtin,
    })
}

fn kind_origin(node: &Node) -> Option<Origin> {
    node.get("kind").and_then(|k| k.origin).or(node.origin)
}

fn wrong_role(c: &Config<'_>, role: Role) -> Diag {
    let (is, listed) = if c.builtin.is_generator() {
        ("a generator", "generators")
    } else {
        ("a transformer", "transformers")
    };
    let not = match role {
        Role::Generator => "generator",
        Role::Transformer | Role::Validator => "transformer",
    };
    Diag::error(
        "kit::plugin::wrong-field",
        format!(
            "plugin {} '{}' is not a {not} (listed in `{}`)",
            c.kind,
            c.name,
            role.field()
        ),
    )
    .at(kind_origin(c.node))
    .help(format!("{} is {is}: list it under `{listed}:`", c.kind))
}

/// An error in a configuration's values, at `origin`.
fn config_error(c: &Config<'_>, message: impl Into<String>, origin: Option<Origin>) -> Diag {
    Diag::error(
        "kit::plugin::config",
        format!("plugin {} '{}': {}", c.kind, c.name, message.into()),
    )
    .at(origin.or(c.node.origin))
}

fn iam_policy(c: &Config<'_>, d: &Decoder<'_>) -> Result<IamPolicyArgs> {
    // Every field is promoted from the embedded `IAMPolicyGeneratorArgs`.
    let d = &d.promoted();
    let f = d.fields(
        c.node,
        &["cloud", "kubernetesService", "serviceAccount"],
        "configuration",
    )?;
    let text = |node: Option<&Node>, what: &str| -> Result<Setting> {
        match node {
            Some(v) => d.string(v, what),
            None => Ok(Setting {
                value: String::new(),
                origin: None,
            }),
        }
    };
    let service = f
        .get("kubernetesService")
        .map(|n| d.fields(n, &["name", "namespace"], "kubernetesService"))
        .transpose()?;
    let account = f
        .get("serviceAccount")
        .map(|n| d.fields(n, &["name", "projectId"], "serviceAccount"))
        .transpose()?;
    Ok(IamPolicyArgs {
        cloud: text(f.get("cloud"), "cloud")?,
        service_name: text(
            service.as_ref().and_then(|s| s.get("name")),
            "kubernetesService.name",
        )?
        .value,
        service_namespace: text(
            service.as_ref().and_then(|s| s.get("namespace")),
            "kubernetesService.namespace",
        )?
        .value,
        account_name: text(
            account.as_ref().and_then(|s| s.get("name")),
            "serviceAccount.name",
        )?
        .value,
        project_id: text(
            account.as_ref().and_then(|s| s.get("projectId")),
            "serviceAccount.projectId",
        )?
        .value,
        origin: c.node.origin,
    })
}

fn namespace_config(c: &Config<'_>, d: &Decoder<'_>) -> Result<Transformer> {
    let f = d.fields(
        c.node,
        &[
            "metadata",
            "fieldSpecs",
            "unsetOnly",
            "setRoleBindingSubjects",
        ],
        "configuration",
    )?;
    let mut ns = Setting {
        value: String::new(),
        origin: c.node.origin,
    };
    if let Some(meta) = f.get("metadata") {
        let m = d.fields(meta, &["namespace"], "metadata")?;
        if let Some(n) = m.get("namespace") {
            ns = d.string(n, "metadata.namespace")?;
        }
    }
    let unset_only = f
        .get("unsetOnly")
        .map(|v| d.boolean(v, "unsetOnly"))
        .transpose()?
        .unwrap_or(false);
    let mode = f
        .get("setRoleBindingSubjects")
        .map(|v| d.string(v, "setRoleBindingSubjects"))
        .transpose()?;
    let subjects = match &mode {
        None => namespace::SubjectMode::DefaultOnly,
        Some(m) => namespace::SubjectMode::parse(&m.value).ok_or_else(|| {
            config_error(
                c,
                format!(
                    "invalid value \"{}\" for setRoleBindingSubjects: must be one of \"defaultOnly\", \"none\" or \"allServiceAccounts\"",
                    m.value
                ),
                m.origin,
            )
        })?,
    };
    Ok(Transformer::Namespace {
        namespace: ns,
        specs: d
            .field_specs(f.get("fieldSpecs"), "fieldSpecs")?
            .unwrap_or_default(),
        options: namespace::Options {
            unset_only,
            subjects,
        },
    })
}

/// `PrefixTransformer` and `SuffixTransformer` read their configuration with yaml.v3 and
/// require `fieldSpecs`; `PrefixSuffixTransformer` configures both from the same object.
fn affix_config(c: &Config<'_>) -> Result<Transformer> {
    let d = Decoder::new(Mode::YamlV3, &c.kind);
    let f = d.fields(c.node, &["prefix", "suffix", "fieldSpecs"], "configuration")?;
    let Some(specs) = d.field_specs(f.get("fieldSpecs"), "fieldSpecs")? else {
        return Err(
            config_error(c, "fieldSpecs is not expected to be nil", None).help(
                "list where the prefix or suffix goes, e.g. `fieldSpecs: [{path: metadata/name}]`",
            ),
        );
    };
    let text = |name: &str| -> Result<Setting> {
        match f.get(name) {
            Some(v) => d.string(v, name),
            None => Ok(Setting {
                value: String::new(),
                origin: c.node.origin,
            }),
        }
    };
    let (prefix, suffix) = match c.builtin {
        Builtin::PrefixTransformer => (Some(text("prefix")?), None),
        Builtin::SuffixTransformer => (None, Some(text("suffix")?)),
        _ => (Some(text("prefix")?), Some(text("suffix")?)),
    };
    Ok(Transformer::Affix {
        prefix,
        suffix,
        specs,
    })
}

fn patch_config(c: &Config<'_>, d: &Decoder<'_>, host: &dyn Host) -> Result<Transformer> {
    let f = d.fields(
        c.node,
        &["path", "patch", "target", "options"],
        "configuration",
    )?;
    let path = f.get("path").map(|v| d.string(v, "path")).transpose()?;
    let patch = f.get("patch").map(|v| d.string(v, "patch")).transpose()?;
    let path = path.filter(|p| !p.value.is_empty());
    let patch = patch.filter(|p| !p.value.trim().is_empty());
    let (docs, source) = match (&path, &patch) {
        (None, None) => {
            return Err(config_error(c, "must specify one of patch and path", None)
                .help("give the configuration `path: file.yaml` or an inline `patch: |`"))
        }
        (Some(_), Some(_)) => {
            return Err(
                config_error(c, "patch and path can't be set at the same time", None)
                    .help("keep either `path:` or `patch:`"),
            )
        }
        (Some(p), None) => (host.load_docs(p)?, format!("[path: {:?}]", p.value)),
        (None, Some(text)) => {
            let trimmed = Setting {
                value: text.value.trim().to_string(),
                origin: text.origin,
            };
            (
                host.parse_text(&trimmed, "inline patch")?,
                patches::inline_source(text),
            )
        }
    };
    let loaded =
        patches::classify(docs.docs, docs.file.as_deref()).map_err(|e| e.at(c.node.origin))?;
    let target = f.get("target").map(|t| selector(d, t)).transpose()?;
    let mut options = IdentityOptions::default();
    if let Some(o) = f.get("options") {
        let of = d.fields(o, &["allowNameChange", "allowKindChange"], "options")?;
        let flag = |name: &str| -> Result<bool> {
            of.get(name)
                .map(|v| d.boolean(v, &format!("options.{name}")))
                .transpose()
                .map(|b| b.unwrap_or(false))
        };
        options.allow_name_change = flag("allowNameChange")?;
        options.allow_kind_change = flag("allowKindChange")?;
    }
    Ok(Transformer::Patch(patches::PatchEntry {
        patch: loaded,
        target,
        options,
        source,
        origin: c.node.origin,
    }))
}

fn strategic_merge_config(c: &Config<'_>, d: &Decoder<'_>, host: &dyn Host) -> Result<Transformer> {
    let f = d.fields(c.node, &["paths", "patches"], "configuration")?;
    let paths = f
        .get("paths")
        .map(|v| d.strings(v, "paths"))
        .transpose()?
        .unwrap_or_default();
    let inline = f
        .get("patches")
        .map(|v| d.string(v, "patches"))
        .transpose()?;
    let inline = inline.filter(|p| !p.value.is_empty());
    if paths.is_empty() && inline.is_none() {
        return Err(
            config_error(c, "empty file path and empty patch content", None)
                .help("give `paths:` (files or inline patches) or `patches: |`"),
        );
    }
    let mut out = Vec::new();
    for path in &paths {
        // An entry is an inline patch when it reads as objects, else a file.
        match host.parse_text(path, "inline patch") {
            Ok(docs)
                if !docs.docs.is_empty()
                    && docs.docs.iter().all(|d| {
                        d.as_map().is_some() && d.get_str("kind").is_some_and(|k| !k.is_empty())
                    }) =>
            {
                out.extend(docs.docs)
            }
            _ => out.extend(host.load_docs(path)?.docs),
        }
    }
    if let Some(text) = &inline {
        out.extend(host.parse_text(text, "inline patch")?.docs);
    }
    if out.is_empty() {
        return Err(
            config_error(c, "patch appears to be empty", None).help("the patches hold no objects")
        );
    }
    if let Some(bad) = out.iter().find(|d| d.as_map().is_none()) {
        return Err(config_error(
            c,
            "a strategic-merge patch must be an object",
            bad.origin,
        ));
    }
    Ok(Transformer::StrategicMerge(out))
}

fn json6902_config(c: &Config<'_>, d: &Decoder<'_>, host: &dyn Host) -> Result<Transformer> {
    let f = d.fields(c.node, &["target", "path", "jsonOp"], "configuration")?;
    let target = f.get("target").map(|t| selector(d, t)).transpose()?;
    let Some(target) = target.filter(|t| !t.name.is_empty()) else {
        return Err(config_error(
            c,
            "must specify the target name",
            f.get("target").and_then(|t| t.origin),
        )
        .help("give the configuration `target:` with at least `name:`"));
    };
    let path = f.get("path").map(|v| d.string(v, "path")).transpose()?;
    let op = f.get("jsonOp").map(|v| d.string(v, "jsonOp")).transpose()?;
    let path = path.filter(|p| !p.value.is_empty());
    let op = op.filter(|p| !p.value.is_empty());
    let docs = match (&path, &op) {
        (None, None) => {
            return Err(config_error(c, "empty file path and empty jsonOp", None)
                .help("give `path: ops.yaml` or `jsonOp: '[...]'`"))
        }
        (Some(_), Some(_)) => {
            return Err(config_error(
                c,
                "must specify a file path or jsonOp, not both",
                None,
            ))
        }
        (Some(p), None) => host.load_docs(p)?,
        (None, Some(text)) => host.parse_text(text, "jsonOp")?,
    };
    let patch =
        json6902::parse(&docs.docs, docs.file.as_deref()).map_err(|e| e.at(c.node.origin))?;
    if patch.ops.is_empty() {
        return Err(config_error(c, "patch appears to be empty", None)
            .help("the JSON patch has no operations"));
    }
    Ok(Transformer::Json6902 { target, patch })
}

fn value_add_config(c: &Config<'_>, d: &Decoder<'_>, host: &dyn Host) -> Result<ValueAdd> {
    let f = d.fields(
        c.node,
        &["value", "targets", "targetFilePath"],
        "configuration",
    )?;
    let mut value = match f.get("value") {
        Some(v) => d.string(v, "value")?,
        None => Setting {
            value: String::new(),
            origin: c.node.origin,
        },
    };
    value.value = value.value.trim().to_string();
    if value.value.is_empty() {
        value.value = host.root_name();
    }
    let mut targets = targets(d, f.get("targets"))?;
    if let Some(path) = f
        .get("targetFilePath")
        .map(|v| d.string(v, "targetFilePath"))
        .transpose()?
    {
        if !path.value.is_empty() {
            let docs = host.load_docs(&path)?;
            if let Some(doc) = docs.docs.first() {
                let tf = d.fields(doc, &["targets"], "targetFilePath")?;
                targets.extend(self::targets(d, tf.get("targets"))?);
            }
        }
    }
    if targets.is_empty() {
        return Err(config_error(c, "must specify at least one target", None)
            .help("add `targets:` with a `fieldPath` each"));
    }
    for t in &targets {
        if t.field_path.is_empty() {
            return Err(config_error(c, "fieldPath cannot be empty", t.origin));
        }
        if t.file_path_position < 0 {
            return Err(config_error(
                c,
                format!(
                    "value of FilePathPosition ({}) cannot be negative",
                    t.file_path_position
                ),
                t.origin,
            ));
        }
    }
    Ok(ValueAdd { value, targets })
}

fn targets(d: &Decoder<'_>, node: Option<&Node>) -> Result<Vec<Target>> {
    let Some(node) = node else {
        return Ok(Vec::new());
    };
    let items = match &node.value {
        Value::Null => return Ok(Vec::new()),
        Value::Seq(items) => items,
        _ => {
            return Err(Diag::error(
                "kit::plugin::config-type",
                format!("{} configuration: `targets` must be a list", d.plugin),
            )
            .at(node.origin))
        }
    };
    let mut out = Vec::new();
    for item in items {
        let f = d.fields(
            item,
            &["selector", "fieldPath", "filePathPosition"],
            "targets",
        )?;
        out.push(Target {
            selector: f.get("selector").map(|s| selector(d, s)).transpose()?,
            field_path: f
                .get("fieldPath")
                .map(|v| d.string(v, "targets[].fieldPath"))
                .transpose()?
                .map(|s| s.value)
                .unwrap_or_default(),
            file_path_position: f
                .get("filePathPosition")
                .map(|v| d.int(v, "targets[].filePathPosition"))
                .transpose()?
                .unwrap_or(0),
            origin: item.origin,
        });
    }
    Ok(out)
}

/// A `types.Selector`: the id fields are promoted from the embedded `resid.ResId`.
fn selector(d: &Decoder<'_>, node: &Node) -> Result<Selector> {
    let f = d.fields(
        node,
        &[
            "group",
            "version",
            "kind",
            "name",
            "namespace",
            "labelSelector",
            "annotationSelector",
        ],
        "target",
    )?;
    let id = d.promoted();
    let text = |d: &Decoder<'_>, name: &str| -> Result<String> {
        f.get(name)
            .map(|v| d.string(v, &format!("target.{name}")).map(|s| s.value))
            .transpose()
            .map(Option::unwrap_or_default)
    };
    Ok(Selector {
        group: text(&id, "group")?,
        version: text(&id, "version")?,
        kind: text(&id, "kind")?,
        name: text(&id, "name")?,
        namespace: text(&id, "namespace")?,
        label_selector: text(d, "labelSelector")?,
        annotation_selector: text(d, "annotationSelector")?,
        origin: node.origin,
    })
}
