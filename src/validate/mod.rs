//! `check` stage, schema half: validates rendered resources the way the API server would,
//! offline.
//!
//! - Built-in kinds against the embedded Kubernetes schemas of the target version
//!   (`crate::schema`): types, required fields, unknown fields (strict), formats,
//!   int-or-string, quantities.
//! - Custom resources against the `openAPIV3Schema` of their CRD, found in the input or in
//!   `--crd` files ([`crd`]), and against its validation rules (`x-kubernetes-validations`,
//!   CEL, [`cel`]).
//! - The API server's own field rules that schemas do not express ([`fields`]).
//! - Removed and deprecated API versions (`crate::schema::apis`).
//!
//! Each problem is a [`Finding`] of a check in the registry (`checks.yaml`), located at the
//! node to edit. Nothing here mutates resources.

pub mod cel;
pub mod cel_cost;
pub mod combinations;
pub mod crd;
pub mod engine;
pub mod fields;
pub mod registry;
pub mod text;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::model::{Node, Resource};
use crate::report::{Finding, ObjectRef};
use crate::schema::apis::{self, Status};
use crate::schema::Kubernetes;
use crate::source::SourceMap;
pub use crd::CrdSet;
use engine::{Engine, Problem};
pub use registry::Check;

/// How to validate.
#[derive(Clone, Debug)]
pub struct Options {
    /// Unknown fields are errors.
    pub strict: bool,
    /// A custom resource without a known CRD is skipped instead of an error.
    pub ignore_missing_schemas: bool,
}

/// What happened to the resources of one input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub resources: usize,
    /// Resources with at least one error.
    pub invalid: usize,
    /// Resources not validated (no schema, `--ignore-missing-schemas`).
    pub skipped: usize,
}

impl Stats {
    pub fn add(&mut self, other: Stats) {
        self.resources += other.resources;
        self.invalid += other.invalid;
        self.skipped += other.skipped;
    }
}

pub struct Validator<'a> {
    pub kubernetes: &'a Kubernetes,
    pub crds: &'a CrdSet<'a>,
    pub options: &'a Options,
    pub sources: &'a SourceMap,
    minor: u32,
}

impl<'a> Validator<'a> {
    pub fn new(
        kubernetes: &'a Kubernetes,
        crds: &'a CrdSet<'a>,
        options: &'a Options,
        sources: &'a SourceMap,
    ) -> Self {
        let minor = apis::parse_version(&kubernetes.version).map_or(0, |(_, m)| m);
        Validator {
            kubernetes,
            crds,
            options,
            sources,
            minor,
        }
    }

    /// Validates the resources of one input (a file, a kustomization's render, stdin):
    /// findings in resource order, and counts.
    pub fn validate(&self, resources: &[Resource]) -> (Vec<Finding>, Stats) {
        self.validate_input(resources, &[])
    }

    /// [`Validator::validate`], with the repeated keys the loader recorded in the input's
    /// text (strict mode reports each; the last value was read).
    pub fn validate_input(
        &self,
        resources: &[Resource],
        repeated_keys: &[crate::diag::Diag],
    ) -> (Vec<Finding>, Stats) {
        let mut findings = Vec::new();
        // Problems found across the input or in its text, by resource index.
        let mut repeated_in: HashMap<usize, Vec<Problem>> = HashMap::new();
        for d in repeated_keys {
            // The resource whose document holds the key: the last one starting before it.
            let at = d.origin.map_or(0, |o| o.start);
            let index = resources
                .iter()
                .rposition(|r| {
                    r.node.origin.is_some_and(|o| {
                        o.file == d.origin.map_or(o.file, |k| k.file) && o.start <= at
                    })
                })
                .unwrap_or(0);
            let help = d
                .help
                .as_deref()
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            repeated_in.entry(index).or_default().push(Problem {
                check: Check::DuplicateKey,
                message: format!("{}{help}", d.message),
                origin: d.origin,
            });
        }
        let mut stats = Stats::default();
        let mut seen: HashMap<(String, String, String, String), Option<crate::source::Origin>> =
            HashMap::new();
        let mut across = Vec::new();
        fields::target_ports(resources, &mut across);
        for (index, p) in across {
            repeated_in.entry(index).or_default().push(p);
        }
        // Each resource is checked on its own, in parallel; what spans resources is added
        // after, in order.
        let checked: Vec<(bool, Vec<Problem>)> = resources
            .par_iter()
            .map(|res| {
                let mut problems = Vec::new();
                (self.resource(res, &mut problems), problems)
            })
            .collect();
        for ((index, res), (skipped, mut problems)) in resources.iter().enumerate().zip(checked) {
            stats.resources += 1;
            problems.extend(repeated_in.remove(&index).unwrap_or_default());
            let gvk = res.gvk();
            let key = (
                gvk.group.clone(),
                gvk.kind.clone(),
                res.namespace().to_string(),
                res.name().to_string(),
            );
            if !key.3.is_empty() {
                match seen.get(&key) {
                    Some(first) => {
                        let at = first
                            .and_then(|o| {
                                self.sources
                                    .get(o.file)
                                    .map(|f| f.line_col(o.start as usize).0)
                            })
                            .map(|l| format!(" (first at line {l})"))
                            .unwrap_or_default();
                        problems.push(Problem {
                            check: Check::DuplicateResource,
                            message: format!(
                                "{} {:?} is defined twice in this input{at}",
                                gvk.kind, key.3
                            ),
                            origin: res
                                .node
                                .get_path(&["metadata", "name"])
                                .and_then(|n| n.origin)
                                .or(res.node.origin),
                        });
                    }
                    None => {
                        seen.insert(key, res.node.origin);
                    }
                }
            }
            if skipped {
                stats.skipped += 1;
            }
            let object = ObjectRef::of(res);
            let mut invalid = false;
            for p in problems {
                let rule = p.check.rule();
                invalid |= rule.severity == crate::diag::Severity::Error;
                findings.push(Finding {
                    rule,
                    severity: rule.severity,
                    message: p.message,
                    origin: p.origin.or(res.node.origin),
                    object: object.clone(),
                });
            }
            if invalid {
                stats.invalid += 1;
            }
        }
        (findings, stats)
    }

    /// Validates one resource; returns whether it was skipped (no schema, ignored).
    fn resource(&self, res: &Resource, out: &mut Vec<Problem>) -> bool {
        let av_node = res.node.get("apiVersion");
        let Some(api_version) = av_node.and_then(Node::as_str).filter(|s| !s.is_empty()) else {
            out.push(Problem {
                check: Check::MissingApiVersion,
                message: "apiVersion: missing or not a string".to_string(),
                origin: av_node.and_then(|n| n.origin).or(res.node.origin),
            });
            return false;
        };
        let av_origin = av_node.and_then(|n| n.origin);
        let kind = res.kind();
        let gvk = res.gvk();
        let engine = |schemas, skip: &'static [&'static str]| Engine {
            schemas,
            sources: self.sources,
            strict: self.options.strict,
            skip_root_keys: skip,
        };
        if let Some(root) = self.kubernetes.resource(api_version, kind) {
            self.api_status(api_version, kind, av_origin, out);
            engine(&self.kubernetes.schemas, &[]).validate(root, &res.node, out);
            fields::metadata(res, true, out);
            fields::builtin(res, &fields::FieldCtx { minor: self.minor }, out);
            if gvk.group == "apiextensions.k8s.io" && kind == "CustomResourceDefinition" {
                out.extend(self.crds.rule_problems(res));
            }
            return false;
        }
        if let Some(crd) = self.crds.get(&gvk.group, &gvk.version, kind) {
            if !crd.served {
                out.push(Problem {
                    check: Check::RemovedApi,
                    message: format!(
                        "apiVersion: {api_version} {kind} is not served (its CustomResourceDefinition {} sets served: false)",
                        crd.crd
                    ),
                    origin: av_origin,
                });
            }
            let before = out.len();
            let (schemas, root) = crd.compiled();
            if let Some(root) = root {
                engine(schemas, &["apiVersion", "kind", "metadata"]).validate(root, &res.node, out);
            }
            if let Some(rules) = &crd.rules {
                // As the API server does, a value of the wrong type blocks the rules.
                let blocked = out[before..].iter().any(|p| p.check == Check::SchemaType);
                cel::evaluate(rules, &res.node, blocked, out);
            }
            if let (Some(meta), Some(id)) = (
                res.node.get("metadata"),
                self.kubernetes
                    .definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"),
            ) {
                engine(&self.kubernetes.schemas, &[]).validate_field(id, "metadata", meta, out);
            }
            fields::metadata(res, false, out);
            return false;
        }
        // Neither a built-in kind of the target version nor a known custom resource.
        let status = apis::status(api_version, kind, &self.kubernetes.version);
        match status.describe(api_version, kind, &self.kubernetes.version) {
            Some(message) if matches!(status, Status::Removed { .. } | Status::NotYet { .. }) => {
                out.push(Problem {
                    check: Check::RemovedApi,
                    message,
                    origin: av_origin,
                });
                false
            }
            _ => {
                let builtin_group = self.kubernetes.has_group(&gvk.group);
                if !builtin_group && self.options.ignore_missing_schemas {
                    return true;
                }
                let message = if builtin_group {
                    let served = self.kubernetes.api_versions_of(&gvk.group, kind);
                    if served.is_empty() {
                        format!(
                            "kind: Kubernetes {} has no kind {kind:?} in {api_version}",
                            self.kubernetes.version
                        )
                    } else {
                        format!(
                            "apiVersion: Kubernetes {} does not serve {kind} at {api_version}; it serves {}",
                            self.kubernetes.version,
                            served.join(", ")
                        )
                    }
                } else if self.crds.knows_kind(&gvk.group, kind) {
                    format!("apiVersion: the CustomResourceDefinition of {kind} in {} does not define version {}", gvk.group, gvk.version)
                } else {
                    format!("no schema for {api_version} {kind}: its CustomResourceDefinition is not in the input (pass it with --crd, or skip such objects with --ignore-missing-schemas)")
                };
                out.push(Problem {
                    check: Check::MissingSchema,
                    message,
                    origin: if builtin_group {
                        res.node.get("kind").and_then(|n| n.origin).or(av_origin)
                    } else {
                        av_origin
                    },
                });
                false
            }
        }
    }

    /// Deprecation warnings for a kind the target version serves.
    fn api_status(
        &self,
        api_version: &str,
        kind: &str,
        origin: Option<crate::source::Origin>,
        out: &mut Vec<Problem>,
    ) {
        if !apis::worth_checking(api_version, kind) {
            return;
        }
        let status = apis::status(api_version, kind, &self.kubernetes.version);
        if let Status::Deprecated { .. } = status {
            if let Some(message) = status.describe(api_version, kind, &self.kubernetes.version) {
                out.push(Problem {
                    check: Check::DeprecatedApi,
                    message,
                    origin,
                });
            }
        }
    }
}
