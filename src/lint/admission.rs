//! Custom policies: Kubernetes `ValidatingAdmissionPolicy` (and its bindings) run offline
//! against a render, with the Kubernetes CEL libraries (kube-cel on the `cel` crate).
//!
//! Every rendered object is admitted as a CREATE. Semantics follow the API server:
//! `matchConstraints` (resourceRules, excludeResourceRules, objectSelector,
//! namespaceSelector), `matchConditions`, `variables`, `validations` (expression, message,
//! messageExpression, reason) and `failurePolicy`; a binding's `matchResources`, `paramRef`
//! and `validationActions` (Deny → error, Warn → warning, Audit → info). Offline choices:
//!
//! - A policy without a binding applies to everything it matches, as if bound with `Deny`.
//! - Kinds map to resources by the CRDs of the render (`spec.names.plural`), else by
//!   Kubernetes' pluralization (`NetworkPolicy` → `networkpolicies`).
//! - A namespaced object without a namespace is in `default`. `namespaceSelector` is matched
//!   against the Namespace object of the render; a namespace not in the render has only the
//!   `kubernetes.io/metadata.name` label the API server sets on every namespace.
//! - `authorizer` needs a cluster: an expression that uses it is not evaluated, and a
//!   warning says so.
//! - Params come from the render or the policy files (objects of the `paramKind`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use kube_cel::cel::objects::{Key, Map};
use kube_cel::cel::{Context, Program, Value as Cel};
use kube_cel::KubeCelExt;

use crate::validate::cel_cost::{self, Shape};

use crate::diag::{Diag, Severity};
use crate::model::{Node, Resource, Value};
use crate::report::{Finding, ObjectRef, RuleDoc};
use crate::resolve::Builder;

/// A policy's rule in reports: `policy:<name>`. Built once per loaded policy and leaked, so
/// that findings can hold it as `&'static dyn RuleDoc` like built-in rules (a run loads
/// its policies once).
#[derive(Debug)]
pub struct PolicyRule {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub category: String,
    pub summary: String,
    pub why: String,
    pub fix: String,
}

crate::rules_doc::impl_rule_doc!(PolicyRule);

/// A compiled CEL expression with its source node.
struct Expr {
    text: String,
    program: Program,
    uses_authorizer: bool,
}

struct Validation {
    expr: Expr,
    message: Option<String>,
    message_expr: Option<Expr>,
    reason: Option<String>,
}

/// Which objects a policy or binding looks at.
#[derive(Default)]
struct Match {
    rules: Vec<ResourceRule>,
    exclude: Vec<ResourceRule>,
    object_selector: Option<Selector>,
    namespace_selector: Option<Selector>,
    /// `matchConstraints` of a policy must have rules; a binding's `matchResources`
    /// without rules matches what the policy matches.
    any_when_empty: bool,
}

struct ResourceRule {
    groups: Vec<String>,
    versions: Vec<String>,
    resources: Vec<String>,
    operations: Vec<String>,
    scope: String,
    names: Vec<String>,
}

#[derive(Default)]
struct Selector {
    labels: Vec<(String, String)>,
    /// (key, operator, values)
    expressions: Vec<(String, String, Vec<String>)>,
}

struct Policy {
    name: String,
    rule: &'static PolicyRule,
    param_kind: Option<(String, String)>,
    matching: Match,
    conditions: Vec<(String, Expr)>,
    variables: Vec<(String, Expr)>,
    validations: Vec<Validation>,
    fail_closed: bool,
}

struct Binding {
    name: String,
    policy: String,
    matching: Option<Match>,
    severity: Severity,
    param_name: Option<String>,
    param_namespace: Option<String>,
    param_selector: Option<Selector>,
    params_required: bool,
}

/// Policies, bindings and the other objects of the policy files (possible params).
#[derive(Default)]
pub struct AdmissionPolicies {
    policies: Vec<Policy>,
    bindings: Vec<Binding>,
    params: Vec<Resource>,
}

impl AdmissionPolicies {
    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    /// The rules of the loaded policies (for SARIF's rule list).
    pub fn rules(&self) -> Vec<&'static dyn RuleDoc> {
        self.policies
            .iter()
            .map(|p| p.rule as &'static dyn RuleDoc)
            .collect()
    }
}

const CODE: &str = "kit::lint::admission-policy";

/// Loads `ValidatingAdmissionPolicy` and `ValidatingAdmissionPolicyBinding` documents
/// (`admissionregistration.k8s.io` v1, v1beta1) from files and directories of files. Every
/// expression is compiled here; a document that does not parse or an expression that does
/// not compile is an error at its file, line and column.
pub fn load(builder: &Builder, paths: &[PathBuf]) -> Result<AdmissionPolicies, Vec<Diag>> {
    let mut errors = Vec::new();
    let mut out = AdmissionPolicies::default();
    for path in paths {
        let inputs = match builder.inputs(path) {
            Ok(i) => i,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        for input in inputs {
            let resources = match builder.build_input(&input, None) {
                Ok((r, _)) => r,
                Err(d) => {
                    errors.push(d);
                    continue;
                }
            };
            for res in resources {
                let gvk = res.gvk();
                if gvk.group != "admissionregistration.k8s.io" {
                    out.params.push(res);
                    continue;
                }
                match gvk.kind.as_str() {
                    "ValidatingAdmissionPolicy" => match policy(&res) {
                        Ok(p) => out.policies.push(p),
                        Err(d) => errors.extend(d),
                    },
                    "ValidatingAdmissionPolicyBinding" => match binding(&res) {
                        Ok(b) => out.bindings.push(b),
                        Err(d) => errors.push(d),
                    },
                    _ => out.params.push(res),
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn strings(node: Option<&Node>) -> Vec<String> {
    node.map_or_else(Vec::new, |n| n.scalars_at(&[]))
}

fn compile(node: Option<&Node>, what: &str, owner: &Resource) -> Result<Expr, Diag> {
    let text = node.and_then(Node::as_str).unwrap_or("");
    let at = node.and_then(|n| n.origin).or(owner.node.origin);
    if text.trim().is_empty() {
        return Err(Diag::error(CODE, format!("{what}: an expression is required")).at(at));
    }
    let program = std::panic::catch_unwind(|| Program::compile(text))
        .map_err(|_| Diag::error(CODE, format!("{what}: the CEL parser failed")).at(at))?
        .map_err(|e| {
            let text_of = e.to_string();
            let msg: Vec<&str> = text_of
                .lines()
                .filter(|l| !l.trim_start().starts_with('|'))
                .map(str::trim)
                .collect();
            Diag::error(
                CODE,
                format!("{what}: {text:?} does not compile: {}", msg.join(" ")),
            )
            .at(at)
        })?;
    let uses_authorizer = program.references().has_variable("authorizer");
    Ok(Expr {
        text: text.to_string(),
        program,
        uses_authorizer,
    })
}

fn selector(node: Option<&Node>) -> Option<Selector> {
    let node = node?;
    let mut s = Selector::default();
    if let Some(m) = node.get("matchLabels").and_then(Node::as_map) {
        for (k, v) in m {
            s.labels
                .push((k.clone(), v.scalar_text().unwrap_or_default()));
        }
    }
    for e in node
        .get("matchExpressions")
        .and_then(Node::as_seq)
        .into_iter()
        .flatten()
    {
        s.expressions.push((
            e.get_str("key").unwrap_or("").to_string(),
            e.get_str("operator").unwrap_or("").to_string(),
            strings(e.get("values")),
        ));
    }
    Some(s)
}

fn rules(node: Option<&Node>) -> Vec<ResourceRule> {
    node.and_then(Node::as_seq)
        .into_iter()
        .flatten()
        .map(|r| ResourceRule {
            groups: strings(r.get("apiGroups")),
            versions: strings(r.get("apiVersions")),
            resources: strings(r.get("resources")),
            operations: strings(r.get("operations")),
            scope: r.get_str("scope").unwrap_or("*").to_string(),
            names: strings(r.get("resourceNames")),
        })
        .collect()
}

fn matching(node: Option<&Node>, any_when_empty: bool) -> Match {
    Match {
        rules: rules(node.and_then(|n| n.get("resourceRules"))),
        exclude: rules(node.and_then(|n| n.get("excludeResourceRules"))),
        object_selector: selector(node.and_then(|n| n.get("objectSelector"))),
        namespace_selector: selector(node.and_then(|n| n.get("namespaceSelector"))),
        any_when_empty,
    }
}

fn policy(res: &Resource) -> Result<Policy, Vec<Diag>> {
    let name = res.name().to_string();
    let spec = res.node.get("spec");
    let mut errors = Vec::new();
    let mut named = |list: &str, key: &str| -> Vec<(String, Expr)> {
        let mut out = Vec::new();
        for (i, item) in spec
            .and_then(|s| s.get(list))
            .and_then(Node::as_seq)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let what = format!("spec.{list}[{i}].{key}");
            match compile(item.get(key), &what, res) {
                Ok(e) => out.push((item.get_str("name").unwrap_or("").to_string(), e)),
                Err(d) => errors.push(d),
            }
        }
        out
    };
    let conditions = named("matchConditions", "expression");
    let variables = named("variables", "expression");
    let mut validations = Vec::new();
    for (i, v) in spec
        .and_then(|s| s.get("validations"))
        .and_then(Node::as_seq)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let expr = compile(
            v.get("expression"),
            &format!("spec.validations[{i}].expression"),
            res,
        );
        let message_expr = v.get("messageExpression").map(|m| {
            compile(
                Some(m),
                &format!("spec.validations[{i}].messageExpression"),
                res,
            )
        });
        match (expr, message_expr.transpose()) {
            (Ok(expr), Ok(message_expr)) => validations.push(Validation {
                expr,
                message: v.get_str("message").map(str::to_string),
                message_expr,
                reason: v.get_str("reason").map(str::to_string),
            }),
            (a, b) => {
                errors.extend(a.err());
                errors.extend(b.err());
            }
        }
    }
    if validations.is_empty() && errors.is_empty() {
        errors.push(
            Diag::error(
                CODE,
                format!("ValidatingAdmissionPolicy {name:?} has no spec.validations"),
            )
            .at(res.node.origin),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let param_kind = spec.and_then(|s| s.get("paramKind")).map(|p| {
        (
            p.get_str("apiVersion").unwrap_or("").to_string(),
            p.get_str("kind").unwrap_or("").to_string(),
        )
    });
    let description = res
        .node
        .get_path(&["metadata", "annotations", "kit.dev/description"])
        .and_then(Node::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| format!("ValidatingAdmissionPolicy {name}"));
    let rule: &'static PolicyRule = Box::leak(Box::new(PolicyRule {
        id: format!("policy:{name}"),
        name: name.clone(),
        severity: Severity::Error,
        category: "policy".to_string(),
        summary: description,
        why: "A ValidatingAdmissionPolicy given with --admission-policy denies this object."
            .to_string(),
        fix: format!("Change the object so that the policy {name} admits it."),
    }));
    Ok(Policy {
        name,
        rule,
        param_kind,
        matching: matching(spec.and_then(|s| s.get("matchConstraints")), false),
        conditions,
        variables,
        validations,
        fail_closed: spec
            .and_then(|s| s.get_str("failurePolicy"))
            .is_none_or(|f| f != "Ignore"),
    })
}

fn binding(res: &Resource) -> Result<Binding, Diag> {
    let spec = res.node.get("spec");
    let policy = spec
        .and_then(|s| s.get_str("policyName"))
        .ok_or_else(|| {
            Diag::error(
                CODE,
                format!(
                    "ValidatingAdmissionPolicyBinding {:?} has no spec.policyName",
                    res.name()
                ),
            )
            .at(res.node.origin)
        })?
        .to_string();
    let actions = strings(spec.and_then(|s| s.get("validationActions")));
    let severity = if actions.is_empty() || actions.iter().any(|a| a == "Deny") {
        Severity::Error
    } else if actions.iter().any(|a| a == "Warn") {
        Severity::Warning
    } else {
        Severity::Info
    };
    let param_ref = spec.and_then(|s| s.get("paramRef"));
    Ok(Binding {
        name: res.name().to_string(),
        policy,
        matching: spec
            .and_then(|s| s.get("matchResources"))
            .map(|m| matching(Some(m), true)),
        severity,
        param_name: param_ref
            .and_then(|p| p.get_str("name"))
            .map(str::to_string),
        param_namespace: param_ref
            .and_then(|p| p.get_str("namespace"))
            .map(str::to_string),
        param_selector: selector(param_ref.and_then(|p| p.get("selector"))),
        params_required: param_ref
            .and_then(|p| p.get_str("parameterNotFoundAction"))
            .is_none_or(|a| a != "Allow"),
    })
}

fn labels_of(node: &Node) -> Vec<(String, String)> {
    node.get_path(&["metadata", "labels"])
        .and_then(Node::as_map)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.scalar_text().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default()
}

impl Selector {
    fn matches(&self, labels: &[(String, String)]) -> bool {
        let get = |k: &str| labels.iter().find(|(l, _)| l == k).map(|(_, v)| v.as_str());
        self.labels.iter().all(|(k, v)| get(k) == Some(v.as_str()))
            && self.expressions.iter().all(|(k, op, values)| {
                let v = get(k);
                match op.as_str() {
                    "In" => v.is_some_and(|v| values.iter().any(|x| x == v)),
                    "NotIn" => v.is_none_or(|v| !values.iter().any(|x| x == v)),
                    "Exists" => v.is_some(),
                    "DoesNotExist" => v.is_none(),
                    _ => false,
                }
            })
    }
}

/// Kubernetes' plural of a kind (as the API server names resources).
pub fn plural(kind: &str) -> String {
    let k = kind.to_ascii_lowercase();
    match k.as_str() {
        "endpoints" => return k,
        "podsecuritypolicy" => return "podsecuritypolicies".into(),
        _ => {}
    }
    if let Some(stem) = k.strip_suffix('y') {
        if !stem.ends_with(['a', 'e', 'i', 'o', 'u']) {
            return format!("{stem}ies");
        }
    }
    if k.ends_with('s') || k.ends_with('x') || k.ends_with("ch") || k.ends_with("sh") {
        return format!("{k}es");
    }
    format!("{k}s")
}

/// What the matcher needs to know about one object.
struct Subject<'a> {
    res: &'a Resource,
    group: String,
    version: String,
    resource: String,
    namespace: String,
    cluster_scoped: bool,
    labels: Vec<(String, String)>,
    namespace_labels: Vec<(String, String)>,
    namespace_object: Option<&'a Resource>,
    /// The sizes in the object, for cost estimates; computed when a policy matches.
    shape: std::cell::OnceCell<Shape>,
}

impl ResourceRule {
    fn matches(&self, s: &Subject) -> bool {
        let any = |list: &[String], v: &str| list.iter().any(|x| x == "*" || x == v);
        any(&self.groups, &s.group)
            && any(&self.versions, &s.version)
            && self
                .resources
                .iter()
                .any(|r| r == "*" || r == "*/*" || *r == s.resource)
            && (self.operations.is_empty() || any(&self.operations, "CREATE"))
            && match self.scope.as_str() {
                "Cluster" => s.cluster_scoped,
                "Namespaced" => !s.cluster_scoped,
                _ => true,
            }
            && (self.names.is_empty() || self.names.iter().any(|n| n == s.res.name()))
    }
}

impl Match {
    fn matches(&self, s: &Subject) -> bool {
        let included = if self.rules.is_empty() {
            self.any_when_empty
        } else {
            self.rules.iter().any(|r| r.matches(s))
        };
        if !included || self.exclude.iter().any(|r| r.matches(s)) {
            return false;
        }
        if let Some(sel) = &self.object_selector {
            if !sel.matches(&s.labels) {
                return false;
            }
        }
        if let Some(sel) = &self.namespace_selector {
            let is_namespace = s.group.is_empty() && s.res.kind() == "Namespace";
            if is_namespace {
                return sel.matches(&s.labels);
            }
            if !s.cluster_scoped && !sel.matches(&s.namespace_labels) {
                return false;
            }
        }
        true
    }
}

fn to_cel(node: &Node) -> Cel {
    match &node.value {
        Value::Null => Cel::Null,
        Value::Bool(b) => Cel::Bool(*b),
        Value::Int(i) => Cel::Int(*i),
        Value::UInt(u) => i64::try_from(*u).map_or(Cel::UInt(*u), Cel::Int),
        Value::Float(f) => Cel::Float(*f),
        Value::Str(s) => Cel::String(Arc::new(s.clone())),
        Value::Seq(items) => Cel::List(Arc::new(items.iter().map(to_cel).collect())),
        Value::Map(m) => cel_map(
            m.iter()
                .map(|(k, v)| (k.clone(), to_cel(v)))
                .collect::<Vec<_>>(),
        ),
    }
}

fn cel_map(entries: Vec<(String, Cel)>) -> Cel {
    let map: HashMap<Key, Cel> = entries
        .into_iter()
        .map(|(k, v)| (Key::String(Arc::new(k)), v))
        .collect();
    Cel::Map(Map { map: Arc::new(map) })
}

fn cel_str(s: &str) -> Cel {
    Cel::String(Arc::new(s.to_string()))
}

fn request(s: &Subject) -> Cel {
    let kind = s.res.kind().to_string();
    cel_map(vec![
        ("operation".into(), cel_str("CREATE")),
        ("name".into(), cel_str(s.res.name())),
        (
            "namespace".into(),
            cel_str(if s.cluster_scoped { "" } else { &s.namespace }),
        ),
        ("dryRun".into(), Cel::Bool(true)),
        (
            "kind".into(),
            cel_map(vec![
                ("group".into(), cel_str(&s.group)),
                ("version".into(), cel_str(&s.version)),
                ("kind".into(), cel_str(&kind)),
            ]),
        ),
        (
            "resource".into(),
            cel_map(vec![
                ("group".into(), cel_str(&s.group)),
                ("version".into(), cel_str(&s.version)),
                ("resource".into(), cel_str(&s.resource)),
            ]),
        ),
        (
            "userInfo".into(),
            cel_map(vec![
                ("username".into(), cel_str("")),
                ("uid".into(), cel_str("")),
                ("groups".into(), Cel::List(Arc::new(Vec::new()))),
            ]),
        ),
    ])
}

fn run(e: &Expr, ctx: &Context) -> Result<Cel, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| e.program.execute(ctx))) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(err)) => Err(err.to_string()),
        Err(_) => Err("the CEL evaluator failed (a bug in kit or kube-cel)".to_string()),
    }
}

impl AdmissionPolicies {
    /// Runs every policy (per binding) on every object of one render; findings in object
    /// order.
    pub fn check(&self, resources: &[Resource]) -> Vec<Finding> {
        let mut out = Vec::new();
        if self.policies.is_empty() {
            return out;
        }
        let base = Context::default().with_all();
        let plurals: HashMap<(String, String), String> = resources
            .iter()
            .filter(|r| r.kind() == "CustomResourceDefinition")
            .filter_map(|r| {
                let spec = r.node.get("spec")?;
                Some((
                    (
                        spec.get_str("group")?.to_string(),
                        spec.get_path(&["names", "kind"])?.as_str()?.to_string(),
                    ),
                    spec.get_path(&["names", "plural"])?.as_str()?.to_string(),
                ))
            })
            .collect();
        let cluster_kinds: std::collections::HashSet<(&str, &str)> = resources
            .iter()
            .filter(|r| r.kind() == "CustomResourceDefinition")
            .filter(|r| {
                r.node.get_path(&["spec", "scope"]).and_then(Node::as_str) == Some("Cluster")
            })
            .filter_map(|r| {
                Some((
                    r.node.get_path(&["spec", "group"])?.as_str()?,
                    r.node.get_path(&["spec", "names", "kind"])?.as_str()?,
                ))
            })
            .collect();
        let namespaces: HashMap<&str, &Resource> = resources
            .iter()
            .filter(|r| r.kind() == "Namespace" && r.gvk().group.is_empty())
            .map(|r| (r.name(), r))
            .collect();
        for res in resources {
            let gvk = res.gvk();
            let cluster_scoped = gvk.is_cluster_scoped()
                || cluster_kinds.contains(&(gvk.group.as_str(), gvk.kind.as_str()));
            let namespace = match res.namespace() {
                "" => "default".to_string(),
                ns => ns.to_string(),
            };
            let namespace_object = namespaces.get(namespace.as_str()).copied();
            let namespace_labels = match namespace_object {
                Some(n) => labels_of(&n.node),
                None => vec![("kubernetes.io/metadata.name".to_string(), namespace.clone())],
            };
            let subject = Subject {
                res,
                resource: plurals
                    .get(&(gvk.group.clone(), gvk.kind.clone()))
                    .cloned()
                    .unwrap_or_else(|| plural(&gvk.kind)),
                group: gvk.group.clone(),
                version: gvk.version.clone(),
                namespace,
                cluster_scoped,
                labels: labels_of(&res.node),
                namespace_labels,
                namespace_object,
                shape: std::cell::OnceCell::new(),
            };
            let object = to_cel(&res.node);
            for p in &self.policies {
                if !p.matching.matches(&subject) {
                    continue;
                }
                let bindings: Vec<&Binding> = self
                    .bindings
                    .iter()
                    .filter(|b| b.policy == p.name)
                    .collect();
                if bindings.is_empty() {
                    self.evaluate(p, None, &subject, &object, &base, resources, &mut out);
                }
                for b in bindings {
                    if b.matching.as_ref().is_none_or(|m| m.matches(&subject)) {
                        self.evaluate(p, Some(b), &subject, &object, &base, resources, &mut out);
                    }
                }
            }
        }
        out
    }

    /// The params of a binding for one object: `None` for "no params" (null); an empty
    /// list when params were asked for and none were found.
    fn params<'r>(
        &'r self,
        p: &Policy,
        b: Option<&Binding>,
        s: &Subject,
        resources: &'r [Resource],
    ) -> Option<Vec<&'r Resource>> {
        let (api_version, kind) = p.param_kind.as_ref()?;
        let b = b?;
        let found = resources
            .iter()
            .chain(&self.params)
            .filter(|r| r.kind() == kind && r.node.get_str("apiVersion") == Some(api_version))
            .filter(|r| b.param_name.as_deref().is_none_or(|n| r.name() == n))
            .filter(|r| match (&b.param_namespace, r.namespace()) {
                (Some(ns), rns) => rns == ns,
                (None, "") => true,
                (None, rns) => s.cluster_scoped || rns == s.namespace,
            })
            .filter(|r| {
                b.param_selector
                    .as_ref()
                    .is_none_or(|sel| sel.matches(&labels_of(&r.node)))
            })
            .collect();
        Some(found)
    }

    #[allow(clippy::too_many_arguments)]
    fn evaluate(
        &self,
        p: &Policy,
        b: Option<&Binding>,
        s: &Subject,
        object: &Cel,
        base: &Context,
        resources: &[Resource],
        out: &mut Vec<Finding>,
    ) {
        let severity = b.map_or(Severity::Error, |b| b.severity);
        let via = b
            .map(|b| format!(" (binding {})", b.name))
            .unwrap_or_default();
        let mut push = |severity: Severity, message: String| {
            out.push(Finding {
                rule: p.rule,
                severity,
                message,
                origin: s.res.node.origin,
                object: ObjectRef::of(s.res),
            });
        };
        let params: Vec<Option<&Resource>> = match self.params(p, b, s, resources) {
            None => vec![None],
            Some(list) if list.is_empty() => {
                if b.is_some_and(|b| b.params_required) {
                    push(
                        severity,
                        format!("no params object ({}) found for this object{via}: the API server denies it (parameterNotFoundAction: Deny)", p.param_kind.as_ref().map(|(a, k)| format!("{a} {k}")).unwrap_or_default()),
                    );
                }
                return;
            }
            Some(list) => list.into_iter().map(Some).collect(),
        };
        for param in params {
            let mut ctx = base.new_inner_scope();
            ctx.add_variable_from_value("object", object.clone());
            ctx.add_variable_from_value("oldObject", Cel::Null);
            ctx.add_variable_from_value("request", request(s));
            ctx.add_variable_from_value(
                "namespaceObject",
                s.namespace_object.map_or(Cel::Null, |n| to_cel(&n.node)),
            );
            ctx.add_variable_from_value("params", param.map_or(Cel::Null, |r| to_cel(&r.node)));
            let object_shape = s.shape.get_or_init(|| Shape::of_value(&s.res.node));
            let param_shape = param.map(|r| Shape::of_value(&r.node));
            let namespace_shape = s.namespace_object.map(|n| Shape::of_value(&n.node));
            // The API server stops an expression past its cost budget; kit does not start
            // one that could run that long (it has no meter), and says so.
            let costly = |e: &Expr, out: &mut dyn FnMut(Severity, String)| -> bool {
                let vars = [
                    ("object", Some(object_shape)),
                    ("params", param_shape.as_ref()),
                    ("namespaceObject", namespace_shape.as_ref()),
                ];
                let cost = cel_cost::cost(&e.program.expression().expr, &vars);
                if cost <= cel_cost::RUNTIME_COST_BUDGET {
                    return false;
                }
                out(
                    Severity::Warning,
                    format!(
                        "expression {:?} was not evaluated: on this object it could cost up to {}, past the API server's budget of {} (past it, the API server stops and applies failurePolicy){via}",
                        e.text,
                        cel_cost::format_cost(cost),
                        cel_cost::format_cost(cel_cost::RUNTIME_COST_BUDGET)
                    ),
                );
                true
            };
            let failed = |e: &Expr, err: String, out: &mut dyn FnMut(Severity, String)| {
                if e.uses_authorizer {
                    out(
                        Severity::Warning,
                        format!("expression {:?} was not evaluated: it uses `authorizer`, which needs a cluster (kit lint runs offline){via}", e.text),
                    );
                } else if p.fail_closed {
                    out(
                        severity,
                        format!("expression {:?} could not be evaluated: {err} (failurePolicy: Fail){via}", e.text),
                    );
                }
            };
            // Variables, in order; a later one sees the earlier ones.
            let mut vars: Vec<(String, Cel)> = Vec::new();
            for (name, e) in &p.variables {
                ctx.add_variable_from_value("variables", cel_map(vars.clone()));
                if costly(e, &mut push) {
                    continue;
                }
                if let Ok(v) = run(e, &ctx) {
                    vars.push((name.clone(), v));
                }
            }
            ctx.add_variable_from_value("variables", cel_map(vars));
            let mut matched = true;
            for (_, e) in &p.conditions {
                if costly(e, &mut push) {
                    matched = false;
                    break;
                }
                match run(e, &ctx) {
                    Ok(Cel::Bool(true)) => {}
                    Ok(Cel::Bool(false)) => {
                        matched = false;
                        break;
                    }
                    Ok(_) => {
                        failed(
                            e,
                            "matchCondition did not evaluate to a boolean".into(),
                            &mut push,
                        );
                        matched = false;
                        break;
                    }
                    Err(err) => {
                        failed(e, err, &mut push);
                        matched = false;
                        break;
                    }
                }
            }
            if !matched {
                continue;
            }
            for v in &p.validations {
                if v.expr.uses_authorizer {
                    failed(&v.expr, String::new(), &mut push);
                    continue;
                }
                if costly(&v.expr, &mut push) {
                    continue;
                }
                match run(&v.expr, &ctx) {
                    Ok(Cel::Bool(true)) => {}
                    Ok(Cel::Bool(false)) => {
                        let dynamic = v.message_expr.as_ref().and_then(|m| match run(m, &ctx) {
                            Ok(Cel::String(s)) if !s.trim().is_empty() => Some(s.to_string()),
                            _ => None,
                        });
                        let message = dynamic
                            .or_else(|| v.message.clone())
                            .unwrap_or_else(|| format!("failed expression: {}", v.expr.text));
                        let reason = match v.reason.as_deref() {
                            Some(r) if r != "Forbidden" => format!(" (reason: {r})"),
                            _ => String::new(),
                        };
                        push(severity, format!("{}{reason}{via}", message.trim()));
                    }
                    Ok(_) => failed(
                        &v.expr,
                        "validation did not evaluate to a boolean".into(),
                        &mut push,
                    ),
                    Err(err) => failed(&v.expr, err, &mut push),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::plural;

    #[test]
    fn plurals() {
        for (k, p) in [
            ("Deployment", "deployments"),
            ("NetworkPolicy", "networkpolicies"),
            ("Ingress", "ingresses"),
            ("Endpoints", "endpoints"),
            ("Gateway", "gateways"),
            ("StorageClass", "storageclasses"),
        ] {
            assert_eq!(plural(k), p);
        }
    }
}
