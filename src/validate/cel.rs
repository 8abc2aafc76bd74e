//! CRD validation rules (`x-kubernetes-validations`, CEL), evaluated offline with `kube-cel`
//! (the Kubernetes CEL libraries on the `cel` crate).
//!
//! A CRD version's rules are compiled once, when the CRD is added to the [`CrdSet`]
//! (`super::crd`); each custom resource is then evaluated against the compiled tree, with
//! `self` bound to the value at the rule's schema node and schema defaults applied first, as
//! the API server does. A failing rule is reported like the API server reports it
//! (`spec.replicas: Invalid value: 0: must be positive`), located at the value the rule
//! applies to (or at its `fieldPath`). A rule that does not compile is reported once, on the
//! CRD, at the rule's line.
//!
//! Offline there is no old object: transition rules (`oldSelf`) are skipped, except those
//! with `optionalOldSelf: true`, which see `oldSelf` as null (an object being created).
//!
//! [`CrdSet`]: super::CrdSet

use std::panic::{catch_unwind, AssertUnwindSafe};

use kube_cel::cel::Program;
use kube_cel::{CompilationError, CompiledSchema, ErrorKind, ValidationError};

use super::cel_cost::{self, Shape, Step};
use super::engine::Problem;
use super::registry::Check;
use crate::emit::to_json;
use crate::model::{Node, Value};

/// The compiled rules of one CRD version.
pub struct CelRules {
    compiled: CompiledSchema,
    /// The schema the rules were compiled from, to compile it again without the rules too
    /// costly to run on one object.
    schema: serde_json::Value,
    /// Every rule that compiled: its text and `fieldPath`, to word messages.
    sites: Vec<Site>,
}

impl std::fmt::Debug for CelRules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CelRules({} rules)", self.sites.len())
    }
}

struct Site {
    rule: String,
    message: Option<String>,
    field_path: Option<String>,
    optional_old_self: bool,
    /// Where the rule sits in the schema, and its index in that node's list.
    steps: Vec<Step>,
    index: usize,
    /// Where it sits, as the API server names it (`spec.versions[0]...x-kubernetes-validations[1]`).
    shown_path: String,
    /// The rule, parsed, for its cost estimate.
    program: Option<Program>,
}

impl Site {
    /// The rule's estimated cost with `self` bound at its place in `root` (a schema's or a
    /// document's shape), times how often that place repeats; `None` when the rule did not
    /// parse or its place is absent.
    fn cost(&self, root: &Shape) -> Option<f64> {
        let program = self.program.as_ref()?;
        let (shape, count) = root.at(&self.steps)?;
        let vars = [("self", Some(shape)), ("oldSelf", Some(shape))];
        Some(cel_cost::cost(&program.expression().expr, &vars) * count)
    }
}

/// Whether a schema has a validation rule anywhere.
fn has_rules(schema: &Node) -> bool {
    match &schema.value {
        Value::Map(entries) => entries.iter().any(|(key, value)| {
            if key == "x-kubernetes-validations" {
                value.as_seq().is_some_and(|rules| !rules.is_empty())
            } else {
                has_rules(value)
            }
        }),
        Value::Seq(items) => items.iter().any(has_rules),
        _ => false,
    }
}

/// The part of a schema its rules need, as JSON, or `None` when it has no rule: the nodes
/// on the way to each rule, and the whole subtree of a node with rules (they see `self`
/// whole). Only that part is converted: a large CRD has few rules.
fn rule_paths(schema: &Node) -> Option<serde_json::Value> {
    let entries = schema.as_map()?;
    let own_rules = schema
        .get("x-kubernetes-validations")
        .and_then(Node::as_seq)
        .is_some_and(|rules| !rules.is_empty());
    if own_rules {
        return Some(to_json(schema));
    }
    let mut kept = serde_json::Map::new();
    let mut any = false;
    for (key, value) in entries {
        let pruned = match key.as_str() {
            "properties" => value.as_map().and_then(|props| {
                let props: serde_json::Map<String, serde_json::Value> = props
                    .iter()
                    .filter_map(|(name, sub)| rule_paths(sub).map(|p| (name.clone(), p)))
                    .collect();
                (!props.is_empty()).then_some(serde_json::Value::Object(props))
            }),
            "items" | "additionalProperties" => rule_paths(value),
            // Branches are kept whole, so that their indexes stay those of the text.
            "allOf" | "oneOf" | "anyOf" => has_rules(value).then(|| to_json(value)),
            _ => {
                kept.insert(key.clone(), to_json(value));
                continue;
            }
        };
        if let Some(p) = pruned {
            any = true;
            kept.insert(key.clone(), p);
        }
    }
    any.then_some(serde_json::Value::Object(kept))
}

/// Compiles the rules of one version's `openAPIV3Schema` (`node`, in the CRD's text; `path`
/// is the schema's path in the CRD, e.g. `spec.versions[0].schema.openAPIV3Schema`).
/// Returns the rules (`None` when the schema has none) and a problem per rule that does not
/// compile, located in the CRD.
pub fn compile(node: &Node, path: &str) -> (Option<CelRules>, Vec<Problem>) {
    let Some(schema) = rule_paths(node) else {
        return (None, Vec::new());
    };
    let compiled = match catch_unwind(|| kube_cel::compile_schema(&schema)) {
        Ok(c) => c,
        Err(_) => {
            let problem = Problem {
                check: Check::InvalidValidationRule,
                message: format!(
                    "{path}: the CEL compiler failed on this schema's x-kubernetes-validations (a bug in kit or kube-cel); its rules are not checked"
                ),
                origin: node.origin,
            };
            return (None, vec![problem]);
        }
    };
    let mut sites = Vec::new();
    let mut problems = Vec::new();
    collect(
        &compiled,
        Some(node),
        path.to_string(),
        Vec::new(),
        &mut sites,
        &mut problems,
    );
    let too_costly = static_costs(node, path, &sites, &mut problems);
    let mut rules = CelRules {
        compiled,
        schema,
        sites,
    };
    if !too_costly.is_empty() {
        // The API server refuses such a CRD; its rules are not run here either, since
        // running one could take hours.
        for &i in &too_costly {
            if let Some(site) = rules.sites.get(i) {
                disable(&mut rules.schema, site);
            }
        }
        match catch_unwind(|| kube_cel::compile_schema(&rules.schema)) {
            Ok(compiled) => rules.compiled = compiled,
            Err(_) => return (None, problems),
        }
        let mut index = 0;
        rules.sites.retain(|_| {
            index += 1;
            !too_costly.contains(&(index - 1))
        });
    }
    (Some(rules), problems)
}

/// Checks each rule's estimated cost against the API server's limits, as it does when the
/// CRD is created; returns the sites (indexes into `sites`) past the limit.
fn static_costs(
    node: &Node,
    path: &str,
    sites: &[Site],
    problems: &mut Vec<Problem>,
) -> Vec<usize> {
    let root = Shape::of_schema(node);
    let mut over = Vec::new();
    let mut total = 0.0;
    for (i, site) in sites.iter().enumerate() {
        let Some(cost) = site.cost(&root) else {
            continue;
        };
        total += cost;
        if cost > cel_cost::RULE_COST_LIMIT {
            over.push(i);
            problems.push(Problem {
                check: Check::RuleTooCostly,
                message: format!(
                    "{}.rule: Forbidden: estimated rule cost exceeds budget by factor of {} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)",
                    site.shown_path,
                    cel_cost::factor(cost, cel_cost::RULE_COST_LIMIT)
                ),
                origin: node_at(node, &site.steps, site.index).or(node.origin),
            });
        }
    }
    if total > cel_cost::SCHEMA_COST_LIMIT && over.is_empty() {
        problems.push(Problem {
            check: Check::RuleTooCostly,
            message: format!(
                "{path}: Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of {} (try simplifying the rules, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)",
                cel_cost::factor(total, cel_cost::SCHEMA_COST_LIMIT)
            ),
            origin: node.origin,
        });
    }
    over
}

/// The `rule` line of the site's rule in the schema's text.
fn node_at(schema: &Node, steps: &[Step], index: usize) -> Option<crate::source::Origin> {
    let mut here = schema;
    for step in steps {
        here = match step {
            Step::Property(name) => here.get("properties")?.get(name)?,
            Step::Items => here.get("items")?,
            Step::AdditionalProperties => here.get("additionalProperties")?,
            Step::Branch(key, i) => here.get(key)?.as_seq()?.get(*i)?,
        };
    }
    let rule = here.get("x-kubernetes-validations")?.as_seq()?.get(index)?;
    rule.get("rule").and_then(|r| r.origin).or(rule.origin)
}

/// Replaces a site's rule in the schema by `true` (and drops its messageExpression).
fn disable(schema: &mut serde_json::Value, site: &Site) -> Option<()> {
    let mut here = schema;
    for step in &site.steps {
        here = match step {
            Step::Property(name) => here.get_mut("properties")?.get_mut(name)?,
            Step::Items => here.get_mut("items")?,
            Step::AdditionalProperties => here.get_mut("additionalProperties")?,
            Step::Branch(key, b) => here.get_mut(*key)?.get_mut(*b)?,
        };
    }
    let rule = here
        .get_mut("x-kubernetes-validations")?
        .get_mut(site.index)?
        .as_object_mut()?;
    rule.insert("rule".into(), serde_json::Value::String("true".into()));
    rule.remove("messageExpression");
    Some(())
}

/// The rules compiled again without the sites of `skip` (indexes into `rules.sites`);
/// `None` if the compiler fails.
fn without_rules(rules: &CelRules, skip: &[usize]) -> Option<CompiledSchema> {
    let mut schema = rules.schema.clone();
    for site in skip.iter().filter_map(|&i| rules.sites.get(i)) {
        disable(&mut schema, site);
    }
    catch_unwind(|| kube_cel::compile_schema(&schema)).ok()
}

/// Walks the compiled tree beside the schema's text: records the rules that compiled and
/// reports those that did not.
fn collect(
    c: &CompiledSchema,
    node: Option<&Node>,
    path: String,
    steps: Vec<Step>,
    sites: &mut Vec<Site>,
    problems: &mut Vec<Problem>,
) {
    let rules = node
        .and_then(|n| n.get("x-kubernetes-validations"))
        .and_then(Node::as_seq);
    for (i, result) in c.validations.iter().enumerate() {
        let rule_node = rules.and_then(|r| r.get(i));
        let field = |key: &str| rule_node.and_then(|r| r.get(key));
        let at = |key: &str| {
            field(key)
                .and_then(|n| n.origin)
                .or(rule_node.and_then(|n| n.origin))
                .or(node.and_then(|n| n.origin))
        };
        let here = format!("{path}.x-kubernetes-validations[{i}]");
        match result {
            Ok(r) => sites.push(Site {
                rule: r.rule.rule.clone(),
                message: r.rule.message.clone(),
                field_path: r.rule.field_path.clone(),
                optional_old_self: r.rule.optional_old_self == Some(true),
                steps: steps.clone(),
                index: i,
                program: catch_unwind(|| Program::compile(&r.rule.rule)).ok().and_then(Result::ok),
                shown_path: here,
            }),
            Err(CompilationError::Parse { rule, source }) => problems.push(Problem {
                check: Check::InvalidValidationRule,
                message: format!(
                    "{here}.rule: Invalid value: {}: compilation failed: {}",
                    go_quote(rule),
                    one_line(&source.to_string())
                ),
                origin: at("rule"),
            }),
            Err(CompilationError::MessageExpressionParse {
                message_expression,
                source,
                ..
            }) => problems.push(Problem {
                check: Check::InvalidValidationRule,
                message: format!(
                    "{here}.messageExpression: Invalid value: {}: messageExpression compilation failed: {}",
                    go_quote(message_expression),
                    one_line(&source.to_string())
                ),
                origin: at("messageExpression"),
            }),
            Err(e) => problems.push(Problem {
                check: Check::InvalidValidationRule,
                message: format!("{here}: {}", one_line(&e.to_string())),
                origin: at("rule"),
            }),
        }
    }
    let child = |key: &str| node.and_then(|n| n.get(key));
    for (name, sub) in &c.properties {
        let n = child("properties").and_then(|p| p.get(name));
        let mut steps = steps.clone();
        steps.push(Step::Property(name.clone()));
        collect(
            sub,
            n,
            format!("{path}.properties[{name}]"),
            steps,
            sites,
            problems,
        );
    }
    if let Some(items) = &c.items {
        let mut steps = steps.clone();
        steps.push(Step::Items);
        collect(
            items,
            child("items"),
            format!("{path}.items"),
            steps,
            sites,
            problems,
        );
    }
    if let Some(additional) = &c.additional_properties {
        let mut steps = steps.clone();
        steps.push(Step::AdditionalProperties);
        collect(
            additional,
            child("additionalProperties"),
            format!("{path}.additionalProperties"),
            steps,
            sites,
            problems,
        );
    }
    for (key, branches) in [
        ("allOf", &c.all_of),
        ("oneOf", &c.one_of),
        ("anyOf", &c.any_of),
    ] {
        for (i, b) in branches.iter().enumerate() {
            let n = child(key).and_then(Node::as_seq).and_then(|s| s.get(i));
            let mut steps = steps.clone();
            steps.push(Step::Branch(key, i));
            collect(b, n, format!("{path}.{key}[{i}]"), steps, sites, problems);
        }
    }
}

/// Evaluates the rules on one custom resource. `blocked`: the schema walk found a type
/// error, so (as the API server does) the rules are not run, and a note says so.
pub fn evaluate(rules: &CelRules, res: &Node, blocked: bool, out: &mut Vec<Problem>) {
    if blocked {
        out.push(Problem {
            check: Check::RuleNotEvaluated,
            message: "(root): some validation rules were not checked because the object was invalid; correct the existing errors to complete validation".to_string(),
            origin: res.origin,
        });
        return;
    }
    let skipped = runtime_costs(rules, res, out);
    let recompiled = if skipped.is_empty() {
        None
    } else {
        match without_rules(rules, &skipped) {
            Some(c) => Some(c),
            None => return,
        }
    };
    let compiled = recompiled.as_ref().unwrap_or(&rules.compiled);
    let json = to_json(res);
    let result = catch_unwind(AssertUnwindSafe(|| {
        kube_cel::validate_compiled(compiled, &json, None)
    }));
    let errors = match result {
        Ok(Ok(())) => return,
        Ok(Err(errors)) => errors,
        Err(_) => {
            out.push(Problem {
                check: Check::RuleNotEvaluated,
                message: "(root): the CEL evaluator failed on this object (a bug in kit or kube-cel); its validation rules are not checked".to_string(),
                origin: res.origin,
            });
            return;
        }
    };
    for e in errors.iter() {
        if let Some(p) = problem(rules, res, e) {
            out.push(p);
        }
    }
}

/// The rules (indexes into `rules.sites`) whose cost on this object's data could exceed
/// the API server's run-time budget, each reported as not evaluated.
fn runtime_costs(rules: &CelRules, res: &Node, out: &mut Vec<Problem>) -> Vec<usize> {
    let data = Shape::of_value(res);
    let mut over = Vec::new();
    for (i, site) in rules.sites.iter().enumerate() {
        let Some(cost) = site.cost(&data) else {
            continue;
        };
        if cost > cel_cost::RUNTIME_COST_BUDGET {
            over.push(i);
            out.push(Problem {
                check: Check::RuleNotEvaluated,
                message: format!(
                    "{}: rule {} was not evaluated: on this object it could cost up to {}, past the API server's budget of {} for the rules of one object (past it, the API server stops and refuses the object)",
                    site.shown_path,
                    go_quote(site.rule.trim()),
                    cel_cost::format_cost(cost),
                    cel_cost::format_cost(cel_cost::RUNTIME_COST_BUDGET),
                ),
                origin: res.origin,
            });
        }
    }
    over
}

/// One kube-cel error as a problem, or `None` for what is reported elsewhere (rules that
/// do not compile: on the CRD) or not at all (a rule on a null value).
fn problem(rules: &CelRules, root: &Node, e: &ValidationError) -> Option<Problem> {
    let site = rules.sites.iter().find(|s| s.rule == e.rule);
    let segs = parse_path(&e.field_path);
    let (node, complete) = resolve(root, &segs);
    let shown = if e.field_path.is_empty() {
        "(root)".to_string()
    } else {
        e.field_path.clone()
    };
    let has_field_path = site.is_some_and(|s| s.field_path.is_some());
    // The API server validates only non-null values.
    if complete && !has_field_path && node.is_null() {
        return None;
    }
    let rule_text = |s: Option<&Site>| -> String {
        match s.and_then(|s| s.message.as_deref()).map(str::trim) {
            Some(m) if !m.is_empty() => m.to_string(),
            _ => e.rule.trim().to_string(),
        }
    };
    let (check, message) = match e.kind {
        ErrorKind::ValidationFailure => {
            let detail = e.message.trim();
            // With a fieldPath the rule sits on an object, whose value is not shown.
            let value = if has_field_path || !complete {
                None
            } else {
                shown_value(node)
            };
            let body = match e.reason.as_deref() {
                Some("FieldValueForbidden") => format!("Forbidden: {detail}"),
                Some("FieldValueRequired") => format!("Required value: {detail}"),
                Some("FieldValueDuplicate") => match value {
                    Some(v) => format!("Duplicate value: {v}"),
                    None => "Duplicate value".to_string(),
                },
                _ => match value {
                    Some(v) => format!("Invalid value: {v}: {detail}"),
                    None => format!("Invalid value: {detail}"),
                },
            };
            (Check::ValidationRule, format!("{shown}: {body}"))
        }
        // kube-cel binds oldSelf to null where the API server binds optional.none(), so a
        // rule written for the API server (`oldSelf.hasValue()`) cannot be evaluated.
        ErrorKind::EvaluationError if site.is_some_and(|s| s.optional_old_self) => (
            Check::RuleNotEvaluated,
            format!(
                "{shown}: rule {} was not checked: with optionalOldSelf, kit's CEL engine (kube-cel) binds oldSelf to null rather than optional.none() ({}); the API server will check it",
                go_quote(e.rule.trim()),
                one_line(e.message.strip_prefix("rule evaluation error: ").unwrap_or(&e.message))
            ),
        ),
        ErrorKind::EvaluationError | ErrorKind::InvalidResult => {
            let err = e
                .message
                .strip_prefix("rule evaluation error: ")
                .unwrap_or(&e.message);
            let err = if e.kind == ErrorKind::InvalidResult {
                "rule did not evaluate to a boolean"
            } else {
                err
            };
            (
                Check::ValidationRule,
                format!(
                    "{shown}: Invalid value: \"{}\": {} evaluating rule: {}",
                    type_name(node),
                    one_line(err),
                    rule_text(site)
                ),
            )
        }
        ErrorKind::UnsupportedReference => {
            // kube-cel names what it lacks between quotes.
            let what = e.message.split('\'').nth(1).unwrap_or("a CEL feature");
            (
                Check::RuleNotEvaluated,
                format!(
                    "{shown}: rule {} was not checked: it uses `{what}`, which kit's CEL engine (kube-cel) does not implement yet; the API server will check it",
                    go_quote(e.rule.trim())
                ),
            )
        }
        ErrorKind::CompilationFailure | ErrorKind::InvalidRule | ErrorKind::SchemaTooDeep => {
            return None
        }
        _ => (
            Check::ValidationRule,
            format!("{shown}: {}", one_line(&e.message)),
        ),
    };
    Some(Problem {
        check,
        message,
        origin: node.origin.or(root.origin),
    })
}

/// The value as the API server prints it in `Invalid value: ...`: scalars as Go prints them
/// (strings quoted), objects and lists not at all.
fn shown_value(node: &Node) -> Option<String> {
    match &node.value {
        Value::Null => Some("null".to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::UInt(u) => Some(u.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Str(s) => Some(go_quote(s)),
        Value::Seq(_) | Value::Map(_) => None,
    }
}

fn type_name(node: &Node) -> &'static str {
    match &node.value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Int(_) | Value::UInt(_) => "integer",
        Value::Float(_) => "number",
        Value::Str(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    }
}

/// A string quoted as Go's `%q` does (close enough: JSON escapes).
fn go_quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}

/// Error texts from the CEL parser span lines (the error, then the source with a caret);
/// a finding's message is one line: the errors alone.
fn one_line(s: &str) -> String {
    s.lines()
        .filter(|l| !l.trim_start().starts_with('|'))
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// `spec.items[0].name`, `spec['a.b']`, as kube-cel and `fieldPath` write paths.
fn parse_path(p: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut chars = p.chars().peekable();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<Seg>| {
        if !word.is_empty() {
            out.push(Seg::Key(std::mem::take(word)));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '.' => flush(&mut word, &mut out),
            '[' => {
                flush(&mut word, &mut out);
                let mut inner = String::new();
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    while let Some(c) = chars.next() {
                        match c {
                            '\\' => {
                                if let Some(n) = chars.next() {
                                    inner.push(n);
                                }
                            }
                            '\'' => break,
                            c => inner.push(c),
                        }
                    }
                    // The closing bracket.
                    for c in chars.by_ref() {
                        if c == ']' {
                            break;
                        }
                    }
                    out.push(Seg::Key(inner));
                } else {
                    for c in chars.by_ref() {
                        if c == ']' {
                            break;
                        }
                        inner.push(c);
                    }
                    match inner.parse::<usize>() {
                        Ok(i) => out.push(Seg::Index(i)),
                        Err(_) => out.push(Seg::Key(inner)),
                    }
                }
            }
            c => word.push(c),
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The node a path leads to, or the deepest one on the way when the rest is absent; and
/// whether the whole path was found. Keys with dots (joined by `.` in the path) are tried
/// joined.
fn resolve<'n>(root: &'n Node, segs: &[Seg]) -> (&'n Node, bool) {
    let mut node = root;
    let mut i = 0;
    'outer: while i < segs.len() {
        match &segs[i] {
            Seg::Index(n) => match node.as_seq().and_then(|s| s.get(*n)) {
                Some(next) => {
                    node = next;
                    i += 1;
                }
                None => return (node, false),
            },
            Seg::Key(k) => {
                let mut key = k.clone();
                let mut j = i;
                loop {
                    if let Some(next) = node.get(&key) {
                        node = next;
                        i = j + 1;
                        continue 'outer;
                    }
                    match segs.get(j + 1) {
                        Some(Seg::Key(more)) => {
                            key.push('.');
                            key.push_str(more);
                            j += 1;
                        }
                        _ => return (node, false),
                    }
                }
            }
        }
    }
    (node, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse() {
        assert_eq!(
            parse_path("spec.items[0].name"),
            vec![
                Seg::Key("spec".into()),
                Seg::Key("items".into()),
                Seg::Index(0),
                Seg::Key("name".into())
            ]
        );
        assert_eq!(
            parse_path("spec['a.b'].c"),
            vec![
                Seg::Key("spec".into()),
                Seg::Key("a.b".into()),
                Seg::Key("c".into())
            ]
        );
        assert!(parse_path("").is_empty());
    }
}
