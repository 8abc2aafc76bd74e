//! `values.schema.json`: the final values of each chart checked against its schema (JSON
//! Schema, any draft the schema declares), subcharts against their own with their part of
//! the values, as Helm's `ValidateAgainstSchema` does.
//!
//! The report is Helm v3's, word for word where a script might grep it: the header, one
//! `CHART:` section per failing chart, one `- FIELD: DESCRIPTION` line per violation in the
//! words of Helm's validator (gojsonschema), in its order (a value's own violations before
//! those of the values inside it). kit adds where each rule is in the schema.

use jsonschema::error::{ValidationError, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use serde_json::{Map, Value};

use super::{Chart, Schema};
use crate::diag::{Diag, Result};
use crate::gotmpl::fmt::format_float_g;
use crate::gotmpl::funcs::helm_data::{go_json as go_json_marshal, JsonStyle};
use crate::load::Loader;
use crate::source::{display_path, Origin};

/// How long checking one chart's values against its schema may take (real schemas take
/// milliseconds).
pub const MAX_SCHEMA_CHECK: std::time::Duration = std::time::Duration::from_secs(30);

/// Helm's first line of the report.
const HEADER: &str =
    "values don't meet the specifications of the schema(s) in the following chart(s):";

/// One diagnostic for every violation in the tree, `None` when the values fit.
pub fn validate(
    loader: &Loader,
    chart: &Chart,
    values: &Map<String, Value>,
) -> Result<Option<Diag>> {
    let mut sections = Vec::new();
    validate_into(loader, chart, values, &mut sections)?;
    let Some(first_schema) = sections.first().map(|s| s.schema.clone()) else {
        return Ok(None);
    };
    let mut message = HEADER.to_string();
    let mut rules = Vec::new();
    for section in &sections {
        message.push('\n');
        message.push_str(&section.chart);
        message.push(':');
        for v in &section.violations {
            message.push_str(&format!("\n- {}: {}", v.field, v.description));
            rules.push(format!("{}: {} in {}", v.field, v.rule, section.schema));
        }
    }
    Ok(Some(
        Diag::error("kit::template::schema", message)
            .path(first_schema)
            .help(format!(
                "change the values (values files, --set), or the schema's rules: {}",
                rules.join(", ")
            )),
    ))
}

/// The violations of one chart's schema.
struct Section {
    chart: String,
    schema: String,
    violations: Vec<Violation>,
}

struct Violation {
    /// gojsonschema's field: `(root)`, `image.tag`, `hosts.0`.
    field: String,
    description: String,
    /// The JSON pointer of the failing rule in the schema.
    rule: String,
    /// Sort key: the rule's place in the schema, the kind's rank, the validator's order.
    order: (Vec<usize>, u8, usize),
}

/// Whether the chart or one of its subcharts has a `values.schema.json` to check.
pub fn has_schemas(chart: &Chart) -> bool {
    chart.schema.is_some() || chart.deps.iter().any(has_schemas)
}

fn validate_into(
    loader: &Loader,
    chart: &Chart,
    values: &Map<String, Value>,
    out: &mut Vec<Section>,
) -> Result<()> {
    if let Some(schema) = &chart.schema {
        let json = parse(loader, schema)?;
        let validator = jsonschema::validator_for(&json).map_err(|e| {
            Diag::error(
                "kit::template::schema-invalid",
                format!("values.schema.json is not a valid JSON Schema: {e}"),
            )
            .path(display_path(&schema.path))
            .help("fix the schema; https://json-schema.org describes the keywords")
        })?;
        let instance = Value::Object(values.clone());
        let mut violations = Vec::new();
        // The validator explores every branch of nested `anyOf`/`oneOf`s: a schema that
        // fans out 2^30 ways would run for days and fill memory.
        let _guard = crate::watchdog::watch_with_deadline(
            format!("checking the values against {}", display_path(&schema.path)),
            "do nested anyOf/oneOf branches fan out (each level doubling the work)?",
            MAX_SCHEMA_CHECK,
        );
        for err in validator.iter_errors(&instance) {
            collect(&err, &json, &mut violations);
        }
        if !violations.is_empty() {
            violations.sort_by(|a, b| a.order.cmp(&b.order));
            out.push(Section {
                chart: chart.name().to_string(),
                schema: display_path(&schema.path),
                violations,
            });
        }
    }
    for sub in chart.deps.iter().filter(|sub| has_schemas(sub)) {
        let sub_values = values
            .get(sub.name())
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        validate_into(loader, sub, &sub_values, out)?;
    }
    Ok(())
}

/// A chart's `values.schema.json` as JSON, or its syntax error at its line and column.
fn parse(loader: &Loader, schema: &Schema) -> Result<Value> {
    serde_json::from_slice(&schema.bytes).map_err(|e| {
        let text = String::from_utf8_lossy(&schema.bytes).into_owned();
        let len = text.len();
        let id = loader.sources.add(&schema.path, text);
        let offset = loader
            .sources
            .get(id)
            .map_or(0, |f| f.byte_offset(e.line(), e.column().saturating_sub(1)));
        Diag::error(
            "kit::template::schema-json",
            format!("values.schema.json is not valid JSON: {e}"),
        )
        .at(Some(Origin::new(id, offset, (offset + 1).min(len))))
        .help("fix the JSON syntax")
    })
}

/// Where a rule sits in the schema, as gojsonschema walks it: the index of each property
/// the rule's schema path goes through in its `properties` (document order), and the index
/// of each `items`/`anyOf`/... branch. A value's own rules sort before those of the values
/// inside it, and siblings in the schema's order.
fn schema_order(schema: &Value, rule: &str) -> Vec<usize> {
    let mut key = Vec::new();
    let mut node = schema;
    let mut after_properties = false;
    for seg in rule
        .trim_start_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
    {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        let next = match node {
            Value::Object(m) => {
                if after_properties {
                    if let Some(i) = m.keys().position(|k| *k == seg) {
                        key.push(i);
                    }
                }
                m.get(&seg)
            }
            Value::Array(items) => {
                let i = seg.parse::<usize>().ok();
                if let Some(i) = i {
                    key.push(i);
                }
                i.and_then(|i| items.get(i))
            }
            _ => None,
        };
        let Some(next) = next else {
            break;
        };
        after_properties = seg == "properties" && !after_properties;
        node = next;
    }
    key
}

/// Adds the violation `err` reports, in gojsonschema's words; for `anyOf`/`oneOf` that no
/// branch satisfies, also the violations of the branch that came closest, as gojsonschema does.
fn collect(err: &ValidationError, schema: &Value, out: &mut Vec<Violation>) {
    let segments: Vec<String> = err
        .instance_path()
        .into_iter()
        .map(|seg| match seg {
            LocationSegment::Property(p) => p.to_string(),
            LocationSegment::Index(i) => i.to_string(),
        })
        .collect();
    let field = if segments.is_empty() {
        "(root)".to_string()
    } else {
        segments.join(".")
    };
    let rule = err.schema_path().to_string();
    let rule = if rule.is_empty() {
        "/".to_string()
    } else {
        rule
    };
    let (rank, description) = describe(err, schema, &field);
    out.push(Violation {
        order: (schema_order(schema, &rule), rank, out.len()),
        field,
        description,
        rule,
    });
    if let ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } =
        err.kind()
    {
        if let Some(closest) = context.iter().min_by_key(|branch| branch.len()) {
            for e in closest {
                collect(e, schema, out);
            }
        }
    }
}

/// gojsonschema's description of a violation, and its rank among a value's own violations
/// (gojsonschema checks the combinators first, then the type, the object's, the common, the
/// number's and the string's rules).
fn describe(err: &ValidationError, schema: &Value, field: &str) -> (u8, String) {
    use ValidationErrorKind as K;
    let instance = err.instance();
    match err.kind() {
        K::AnyOf { .. } => (0, "Must validate at least one schema (anyOf)".into()),
        K::OneOfNotValid { .. } | K::OneOfMultipleValid { .. } => {
            (0, "Must validate one and only one schema (oneOf)".into())
        }
        K::Not { .. } => (0, "Must not validate the schema (not)".into()),
        K::FalseSchema => (0, "False always fails validation".into()),
        K::Type { .. } => {
            let expected = schema
                .pointer(&err.schema_path().to_string())
                .map(|t| match t {
                    Value::Array(types) => {
                        let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
                        if names.len() == 1 {
                            names[0].to_string()
                        } else {
                            format!("[{}]", names.join(","))
                        }
                    }
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .unwrap_or_else(|| "undefined".into());
            (
                1,
                format!(
                    "Invalid type. Expected: {expected}, given: {}",
                    json_type(instance)
                ),
            )
        }
        K::MinProperties { limit } => (2, format!("Must have at least {limit} properties")),
        K::MaxProperties { limit } => (2, format!("Must have at most {limit} properties")),
        K::Required { property } => (
            3,
            format!("{} is required", property.as_str().unwrap_or_default()),
        ),
        K::AdditionalProperties { unexpected } => (
            4,
            unexpected
                .iter()
                .map(|p| format!("Additional property {p} is not allowed"))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        K::PropertyNames { error } => (
            4,
            format!(
                "Property name of \"{}\" does not match",
                error.instance().as_str().unwrap_or_default()
            ),
        ),
        K::Constant { expected_value } => (
            5,
            format!("{field} does not match: {}", go_json(expected_value)),
        ),
        K::Enum { options } => {
            let allowed = match options.as_ref() {
                Value::Array(items) => items.iter().map(go_json).collect::<Vec<_>>().join(", "),
                other => go_json(other),
            };
            (
                5,
                format!("{field} must be one of the following: {allowed}"),
            )
        }
        K::Format { format } => (5, format!("Does not match format '{format}'")),
        K::MultipleOf { multiple_of } => (
            6,
            format!("Must be a multiple of {}", format_float_g(*multiple_of)),
        ),
        K::Maximum { limit } => (
            6,
            format!("Must be less than or equal to {}", number(limit)),
        ),
        K::ExclusiveMaximum { limit } => (6, format!("Must be less than {}", number(limit))),
        K::Minimum { limit } => (
            6,
            format!("Must be greater than or equal to {}", number(limit)),
        ),
        K::ExclusiveMinimum { limit } => (6, format!("Must be greater than {}", number(limit))),
        K::MinLength { limit } => (
            7,
            format!("String length must be greater than or equal to {limit}"),
        ),
        K::MaxLength { limit } => (
            7,
            format!("String length must be less than or equal to {limit}"),
        ),
        K::Pattern { pattern } => (7, format!("Does not match pattern '{pattern}'")),
        K::MinItems { limit } => (8, format!("Array must have at least {limit} items")),
        K::MaxItems { limit } => (8, format!("Array must have at most {limit} items")),
        K::UniqueItems => (8, "array items must be unique".into()),
        K::Contains => (8, "At least one of the items must match".into()),
        K::AdditionalItems { .. } => (8, "No additional items allowed on array".into()),
        // Keywords gojsonschema does not know (draft 2019-09 and later): the crate's words.
        _ => (9, err.to_string()),
    }
}

/// gojsonschema's name of a JSON value's type: a number without a fraction is an integer.
fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(n)
            if n.as_f64()
                .is_some_and(|f| f.is_finite() && f.fract() == 0.0) =>
        {
            "integer"
        }
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A limit as Go's `big.Float` prints it (`%v`): `0`, `1.5`, `1e+06`.
fn number(v: &Value) -> String {
    match v {
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), format_float_g),
        other => other.to_string(),
    }
}

/// A value as Go's `json.Marshal` writes it (`<`, `>`, `&` escaped).
fn go_json(v: &Value) -> String {
    let go = super::gorender::from_json(v);
    go_json_marshal(&go, JsonStyle::MARSHAL).unwrap_or_else(|_| v.to_string())
}
