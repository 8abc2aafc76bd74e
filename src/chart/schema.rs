//! `values.schema.json`: the final values of each chart checked against its schema (JSON
//! Schema, any draft the schema declares), subcharts against their own with their part of
//! the values, as Helm's `ValidateAgainstSchema` does.

use serde_json::{Map, Value};

use super::Chart;
use crate::diag::{Diag, Result};
use crate::source::display_path;

/// Every violation in the tree, one diagnostic each (empty when the values fit).
pub fn validate(chart: &Chart, values: &Map<String, Value>) -> Result<Vec<Diag>> {
    let mut out = Vec::new();
    validate_into(chart, values, "", &mut out)?;
    Ok(out)
}

fn validate_into(
    chart: &Chart,
    values: &Map<String, Value>,
    prefix: &str,
    out: &mut Vec<Diag>,
) -> Result<()> {
    if let Some(schema) = &chart.schema {
        let validator = jsonschema::validator_for(&schema.json).map_err(|e| {
            Diag::error(
                "kit::template::schema-invalid",
                format!("values.schema.json is not a valid JSON Schema: {e}"),
            )
            .path(display_path(&schema.path))
            .help("fix the schema; https://json-schema.org describes the keywords")
        })?;
        let instance = Value::Object(values.clone());
        for err in validator.iter_errors(&instance) {
            let pointer = err.instance_path().to_string();
            let at = if pointer.is_empty() {
                if prefix.is_empty() {
                    "(root)".to_string()
                } else {
                    prefix.trim_end_matches('.').to_string()
                }
            } else {
                format!("{prefix}{}", pointer_to_path(&pointer))
            };
            let rule = err.schema_path().to_string();
            let rule = if rule.is_empty() {
                "/".to_string()
            } else {
                rule
            };
            out.push(
                Diag::error(
                    "kit::template::schema",
                    format!(
                        "{}: values don't meet the schema: {at}: {err} (rule {rule})",
                        chart.name()
                    ),
                )
                .path(display_path(&schema.path))
                .help(format!(
                    "change the value, or the rule at {rule} in {}",
                    display_path(&schema.path)
                )),
            );
        }
    }
    for sub in &chart.deps {
        let sub_values = values
            .get(sub.name())
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        validate_into(sub, &sub_values, &format!("{prefix}{}.", sub.name()), out)?;
    }
    Ok(())
}

/// `/image/tags/0` → `image.tags[0]`.
fn pointer_to_path(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.trim_start_matches('/').split('/') {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}
