//! CEL cost estimates, so that a rule is refused or skipped before it runs for hours: the
//! API server refuses a CRD whose rules it estimates past its budget, and stops a rule at
//! run time past another; kit's CEL evaluator has no such meter.
//!
//! The estimate walks the rule's syntax tree with a [`Shape`] per variable: how many items,
//! entries or characters a value can have, from the schema's `maxItems` / `maxProperties` /
//! `maxLength` (or, unbounded, from the API server's 3 MiB request size), or from the data
//! of one object. It follows cel-go's cost model (identifiers and selections cost 1, a
//! comprehension costs its range's size times its body, string scans 0.1 per character)
//! but counts less wherever unsure: an estimate here is at most cel-go's, so a CRD kit
//! refuses is one the API server refuses too.

use std::collections::HashMap;

use kube_cel::cel::common::ast::operators;
use kube_cel::cel::common::ast::Expr;

use crate::model::{Node, Value};

/// The API server's limit on one rule's estimated cost (`StaticEstimatedCostLimit`).
pub const RULE_COST_LIMIT: f64 = 10_000_000.0;
/// The API server's limit on the estimated cost of all rules of one CRD schema
/// (`StaticEstimatedCRDCostLimit`).
pub const SCHEMA_COST_LIMIT: f64 = 100_000_000.0;
/// The API server's run-time budget for the rules on one object (`RuntimeCELCostBudget`);
/// kit does not run a rule whose cost on the object's data could exceed it.
pub const RUNTIME_COST_BUDGET: f64 = 10_000_000.0;
/// The API server's largest request (`MaxRequestSizeBytes`), which bounds unbounded lists,
/// maps and strings.
const MAX_REQUEST_BYTES: f64 = 3.0 * 1024.0 * 1024.0;

/// How large the values at one place of a document can be.
#[derive(Debug, Default)]
pub struct Shape {
    /// Items of a list, entries of a map, or characters of a string.
    size: f64,
    /// The longest key of a map (a comprehension over a map binds its keys).
    key_size: f64,
    /// An object's properties.
    fields: HashMap<String, Shape>,
    /// A comprehension over it binds keys (a map), not items (a list).
    keys: bool,
    /// A schema's list or map without `maxItems` / `maxProperties`.
    unbounded: bool,
    /// The smallest JSON encoding of a value here (schemas only).
    min_size: f64,
    /// A list's items, or a map's values.
    items: Option<Box<Shape>>,
}

/// A step from a schema node to a child, as the rule sites record it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Property(String),
    Items,
    AdditionalProperties,
    /// An `allOf`/`oneOf`/`anyOf` branch: the same place of the document.
    Branch(&'static str, usize),
}

impl Shape {
    fn string(size: f64) -> Shape {
        Shape {
            size,
            ..Shape::default()
        }
    }

    /// The largest values a schema allows. Unbounded lists and maps are sized as the API
    /// server sizes them, with the largest minimum item size it uses (fewer items, a lower
    /// estimate); an unbounded string counts as empty unless the schema bounds it.
    pub fn of_schema(schema: &Node) -> Shape {
        Self::of_schema_at(schema, 0)
    }

    fn of_schema_at(schema: &Node, depth: usize) -> Shape {
        let mut shape = Shape::default();
        // Schemas are finite trees read from YAML; the depth guard only bounds the work.
        if depth > 64 {
            return shape;
        }
        let number = |key: &str| match schema.get(key).map(|n| &n.value) {
            Some(Value::Int(i)) => Some(*i as f64),
            Some(Value::UInt(u)) => Some(*u as f64),
            Some(Value::Float(f)) => Some(*f),
            _ => None,
        };
        let kind = schema.get("type").and_then(Node::as_str);
        shape.min_size = min_json_size(schema);
        if let Some(items) = schema.get("items") {
            let item = Self::of_schema_at(items, depth + 1);
            shape.unbounded = number("maxItems").is_none();
            shape.size = number("maxItems")
                .unwrap_or_else(|| (MAX_REQUEST_BYTES - 2.0) / (min_json_size(items) + 1.0));
            shape.items = Some(Box::new(item));
        } else if let Some(values) = schema
            .get("additionalProperties")
            .filter(|v| v.as_map().is_some())
        {
            shape.unbounded = number("maxProperties").is_none();
            shape.size = number("maxProperties")
                .unwrap_or_else(|| (MAX_REQUEST_BYTES - 2.0) / (min_json_size(values) + 6.0));
            shape.items = Some(Box::new(Self::of_schema_at(values, depth + 1)));
            shape.keys = true;
        } else if kind == Some("string") {
            shape.size = number("maxLength").unwrap_or(0.0);
        }
        if let Some(props) = schema.get("properties").and_then(Node::as_map) {
            for (name, sub) in props {
                shape
                    .fields
                    .insert(name.clone(), Self::of_schema_at(sub, depth + 1));
            }
        }
        shape
    }

    /// The sizes of one document's values: at each place, the largest value found there
    /// (every item of a list is merged into one shape).
    pub fn of_value(node: &Node) -> Shape {
        let mut shape = Shape::default();
        shape.merge_value(node, 0);
        shape
    }

    fn merge_value(&mut self, node: &Node, depth: usize) {
        if depth > 512 {
            return;
        }
        match &node.value {
            Value::Seq(items) => {
                self.size = self.size.max(items.len() as f64);
                let merged = self.items.get_or_insert_with(Box::default);
                for item in items {
                    merged.merge_value(item, depth + 1);
                }
            }
            Value::Map(entries) => {
                self.size = self.size.max(entries.len() as f64);
                self.keys = true;
                for (key, value) in entries {
                    self.key_size = self.key_size.max(key.chars().count() as f64);
                    self.fields
                        .entry(key.clone())
                        .or_default()
                        .merge_value(value, depth + 1);
                }
            }
            Value::Str(s) => self.size = self.size.max(s.chars().count() as f64),
            _ => {}
        }
    }

    /// The shape at a rule site (following `path`), and how many values of the document
    /// sit there at most: the product of the sizes of the lists and maps on the way, or,
    /// under an unbounded one, as many of the smallest such values as fit in a request
    /// (the API server's `maxCardinality`).
    pub fn at(&self, path: &[Step]) -> Option<(&Shape, f64)> {
        let mut here = self;
        let mut count = 1.0;
        let mut unbounded = false;
        for step in path {
            match step {
                Step::Property(name) => here = here.fields.get(name)?,
                Step::Items | Step::AdditionalProperties => {
                    count *= here.size.max(1.0);
                    unbounded |= here.unbounded;
                    here = here.values()?;
                }
                Step::Branch(..) => {}
            }
        }
        if unbounded {
            count = MAX_REQUEST_BYTES / (here.min_size + 1.0);
        }
        Some((here, count))
    }

    /// What an item of a list or a value of a map can be. A document's map keeps its
    /// values by key only (merging them too would double the work at every level): its
    /// largest value stands for all.
    fn values(&self) -> Option<&Shape> {
        self.items.as_deref().or_else(|| {
            self.fields
                .values()
                .max_by(|a, b| a.size.total_cmp(&b.size))
        })
    }
}

/// The smallest JSON encoding of a value of this schema, as the API server estimates it,
/// or more where unsure (a larger minimum means fewer items fit a request: a lower
/// estimate). An object counts its required properties, each with its name.
fn min_json_size(schema: &Node) -> f64 {
    min_json_size_at(schema, 0)
}

fn min_json_size_at(schema: &Node, depth: usize) -> f64 {
    let min_length = match schema.get("minLength").map(|n| &n.value) {
        Some(Value::Int(i)) => *i as f64,
        Some(Value::UInt(u)) => *u as f64,
        _ => 0.0,
    };
    match schema.get("type").and_then(Node::as_str) {
        Some("integer" | "number") => 1.0,
        Some("string") => match schema.get("format").and_then(Node::as_str) {
            // `"2006-01-02T15:04:05Z"`, `"2006-01-02"`.
            Some("date-time") => 22.0,
            Some("date") => 12.0,
            _ => 2.0 + min_length,
        },
        Some("array") => 2.0,
        Some("object") => {
            let required = schema.get("required").and_then(Node::as_seq);
            let props = schema.get("properties");
            let mut size = 2.0;
            for name in required.into_iter().flatten().filter_map(Node::as_str) {
                let value = match props.and_then(|p| p.get(name)) {
                    Some(p) if depth < 32 => min_json_size_at(p, depth + 1),
                    _ => 1.0,
                };
                // `"name":value,`
                size += name.len() as f64 + 4.0 + value;
            }
            size
        }
        _ => 4.0,
    }
}

/// Variables in scope: innermost last.
type Scope<'s> = Vec<(String, Option<&'s Shape>)>;

/// The estimated cost of evaluating `expr` once, with `vars` bound.
pub fn cost(expr: &Expr, vars: &[(&str, Option<&Shape>)]) -> f64 {
    let mut scope: Scope<'_> = vars.iter().map(|(n, s)| (n.to_string(), *s)).collect();
    estimate(expr, &mut scope, 0).0
}

/// The cost of `expr` and the shape of its result, when known.
fn estimate<'s>(expr: &'s Expr, scope: &mut Scope<'s>, depth: usize) -> (f64, Option<&'s Shape>) {
    // The parser bounds nesting; this keeps a hostile tree from costing more than parsing.
    if depth > 256 {
        return (0.0, None);
    }
    match expr {
        Expr::Ident(name) => {
            let shape = scope
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .and_then(|(_, s)| *s);
            (1.0, shape)
        }
        Expr::Select(select) => {
            let (c, operand) = estimate(&select.operand.expr, scope, depth + 1);
            let shape = operand.and_then(|s| s.fields.get(&select.field).or_else(|| s.values()));
            (c + 1.0, if select.test { None } else { shape })
        }
        Expr::Call(call) => {
            let mut total = 0.0;
            let mut shapes = Vec::new();
            if let Some(target) = &call.target {
                let (c, s) = estimate(&target.expr, scope, depth + 1);
                total += c;
                shapes.push(s);
            }
            let mut arg_costs = Vec::new();
            for arg in &call.args {
                let (c, s) = estimate(&arg.expr, scope, depth + 1);
                arg_costs.push(c);
                shapes.push(s);
            }
            let size = |i: usize| shapes.get(i).copied().flatten().map_or(0.0, |s| s.size);
            let shape = match call.func_name.as_str() {
                operators::INDEX => shapes.first().copied().flatten().and_then(Shape::values),
                _ => None,
            };
            total += match call.func_name.as_str() {
                // Only one branch runs.
                operators::CONDITIONAL => {
                    arg_costs.first().copied().unwrap_or(0.0)
                        + arg_costs.iter().skip(1).copied().fold(0.0, f64::max)
                }
                // Membership scans the list (cel-go: its size, times 1).
                operators::IN => arg_costs.iter().sum::<f64>() + size(1),
                "contains" | "startsWith" | "endsWith" | "matches" | "find" | "findAll"
                | "indexOf" | "lastIndexOf" | "replace" | "split" | "lowerAscii" | "upperAscii"
                | "trim" => arg_costs.iter().sum::<f64>() + 0.1 * size(0),
                _ => arg_costs.iter().sum::<f64>(),
            };
            (total, shape)
        }
        Expr::Comprehension(c) => {
            let (range_cost, range) = estimate(&c.iter_range.expr, scope, depth + 1);
            let (init_cost, _) = estimate(&c.accu_init.expr, scope, depth + 1);
            let count = range.map_or(1.0, |r| r.size.max(1.0));
            // A list binds its items, a map its keys (two-variable forms: keys and values).
            let key = Shape::string(range.map_or(0.0, |r| r.key_size));
            let is_map = range.is_some_and(|r| r.keys);
            let element = range.and_then(Shape::values);
            let body = {
                // A narrower scope: the key shape lives only as long as this block.
                let mut inner: Scope<'_> = scope.clone();
                let first = if is_map { Some(&key) } else { element };
                match &c.iter_var2 {
                    // Two variables: a list's index and item, or a map's key and value.
                    Some(second) => {
                        inner.push((c.iter_var.clone(), if is_map { Some(&key) } else { None }));
                        inner.push((second.clone(), element));
                    }
                    None => inner.push((c.iter_var.clone(), first)),
                }
                inner.push((c.accu_var.clone(), None));
                let (cond, _) = estimate(&c.loop_cond.expr, &mut inner, depth + 1);
                let (step, _) = estimate(&c.loop_step.expr, &mut inner, depth + 1);
                cond + step
            };
            let mut inner: Scope<'_> = scope.clone();
            inner.push((c.accu_var.clone(), None));
            let (result, _) = estimate(&c.result.expr, &mut inner, depth + 1);
            (range_cost + init_cost + count * body + result, None)
        }
        Expr::List(list) => (
            list.elements
                .iter()
                .map(|e| estimate(&e.expr, scope, depth + 1).0)
                .sum(),
            None,
        ),
        Expr::Map(map) => {
            let mut total = 0.0;
            for entry in &map.entries {
                if let kube_cel::cel::common::ast::EntryExpr::MapEntry(e) = &entry.expr {
                    total += estimate(&e.key.expr, scope, depth + 1).0;
                    total += estimate(&e.value.expr, scope, depth + 1).0;
                }
            }
            (total, None)
        }
        Expr::Struct(s) => {
            let mut total = 0.0;
            for entry in &s.entries {
                if let kube_cel::cel::common::ast::EntryExpr::StructField(f) = &entry.expr {
                    total += estimate(&f.value.expr, scope, depth + 1).0;
                }
            }
            (total, None)
        }
        Expr::Literal(_) | Expr::Unspecified => (0.0, None),
    }
}

/// A cost for a message: `12,345,678`.
pub fn format_cost(cost: f64) -> String {
    let whole = if cost.is_finite() && cost < 1e18 {
        cost.round() as u64
    } else {
        return "more than 10^18".to_string();
    };
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The API server's wording of how far past its budget an estimate is.
pub fn factor(cost: f64, limit: f64) -> String {
    let factor = cost / limit;
    if factor > 100.0 {
        "more than 100x".to_string()
    } else if factor < 1.5 {
        format!("{factor:.6}x")
    } else {
        format!("{factor:.1}x")
    }
}
