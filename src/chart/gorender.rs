//! Go-template charts rendered as Helm's engine renders them (`pkg/engine/engine.go`).
//!
//! Every template of the chart tree goes into one template set, parsed and then executed in
//! Helm's order: deepest paths first, then by name descending (so a parent's `define` of a
//! name wins over a subchart's, and side effects on `.Values` happen in Helm's order). Each
//! chart's templates share one top-level map (`.Values`, `.Chart`, `.Release`,
//! `.Capabilities`, `.Files`, `.Subcharts`; `.Template` is set per template), and a
//! subchart's `.Values` is the very map under its name in the parent's, as in Helm.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use super::objects;
use super::{Chart, HelmVersion};
use crate::diag::{Diag, Result};
use crate::gotmpl::exec::{self, ErrorKind, Exec, ExecError, Options, Set};
use crate::gotmpl::parse;
use crate::gotmpl::{ListKind, MapKind, Value};
use crate::source::{FileId, Origin, SharedText};

/// What the templates rendered besides their output (which goes to the caller as each
/// template renders): the top chart's notes and the engine's warnings.
pub struct Texts {
    pub notes: Option<String>,
    pub warnings: Vec<String>,
}

/// Each template's file and text by its name. Every value of every rendered document looks
/// its template up here, so the map uses foldhash rather than SipHash.
pub type TemplateFiles = HashMap<String, (FileId, SharedText), foldhash::fast::FixedState>;

/// The render's inputs that are not the chart.
pub struct Inputs<'a> {
    pub release_name: &'a str,
    pub namespace: &'a str,
    pub is_upgrade: bool,
    /// `.Capabilities.KubeVersion`.
    pub kube: &'a objects::KubeVersion,
    pub api_versions: Vec<String>,
    pub helm: HelmVersion,
    pub strict: bool,
    pub lint: bool,
    /// The parsed templates and the executor are left unfreed (see
    /// [`RenderOptions::process_ends_after`](super::output::RenderOptions::process_ends_after)).
    pub process_ends_after: bool,
    /// Names the values key that holds a string (and where it was set), for messages
    /// about text rendered with `tpl`.
    pub describe_value: &'a dyn Fn(&str) -> Option<String>,
    /// Each template's file and text by name ([`template_files`]), to locate errors.
    pub files_of: &'a TemplateFiles,
}

struct Tpl {
    name: String,
    text: SharedText,
    file: FileId,
    /// The chart's top-level map.
    top: Value,
    base_path: String,
}

/// A values tree (JSON, as Helm's values are) as Go template values: numbers that came
/// from YAML or JSON are float64, integers from `--set` int64.
pub fn from_json(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => {
            if n.is_f64() {
                Value::Float(n.as_f64().unwrap_or(0.0))
            } else if let Some(i) = n.as_i64() {
                Value::Int64(i)
            } else {
                Value::Float(n.as_f64().unwrap_or(0.0))
            }
        }
        serde_json::Value::String(s) => Value::from(s.as_str()),
        serde_json::Value::Array(a) => {
            Value::list_of(a.iter().map(from_json).collect(), ListKind::Any)
        }
        serde_json::Value::Object(m) => from_json_map(m, MapKind::Any),
    }
}

/// [`from_json`] of a mapping, as a map of `kind`.
fn from_json_map(m: &serde_json::Map<String, serde_json::Value>, kind: MapKind) -> Value {
    let map: BTreeMap<String, Value> = m.iter().map(|(k, v)| (k.clone(), from_json(v))).collect();
    Value::Map(Rc::new(std::cell::RefCell::new(map)), kind)
}

/// A Go value as JSON (the form the chart pipeline merges values in): float64 numbers stay
/// floats, int64 integers.
pub fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Nil => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) | Value::Int64(i) => serde_json::Value::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::Str(s) => serde_json::Value::String(s.to_string()),
        Value::Bytes(b) => serde_json::Value::String(String::from_utf8_lossy(b).into_owned()),
        Value::List(l, _) => serde_json::Value::Array(l.iter().map(to_json).collect()),
        Value::Map(m, _) => serde_json::Value::Object(
            m.borrow()
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect(),
        ),
        Value::Object(o) => to_json(&o.to_data()),
    }
}

/// A values file as Helm reads it (`sigs.k8s.io/yaml`: YAML 1.1, so `yes`/`on`/`y` are
/// booleans and a `y:` key is `"true"`; every number a float64). kit's own reader runs first,
/// so a malformed file is reported at its line and column.
pub fn helm_values(
    loader: &crate::load::Loader,
    path: &std::path::Path,
    text: &str,
) -> Result<serde_json::Map<String, serde_json::Value>> {
    helm_values_or_error(loader, path, text, decode_values(text))
}

/// Decodes a values file as Helm does, or says why not (no sources touched: it may run on
/// any thread).
pub fn decode_values(
    text: &str,
) -> std::result::Result<serde_json::Map<String, serde_json::Value>, String> {
    let v = crate::gotmpl::funcs::helm_data::yaml_to_map(text, "chartutil.Values")?;
    Ok(match to_json(&v) {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    })
}

/// [`decode_values`]'s result, its error located in the file.
pub fn helm_values_or_error(
    loader: &crate::load::Loader,
    path: &std::path::Path,
    text: &str,
    decoded: std::result::Result<serde_json::Map<String, serde_json::Value>, String>,
) -> Result<serde_json::Map<String, serde_json::Value>> {
    match decoded {
        Ok(m) => Ok(m),
        Err(e) => {
            // Only a broken file is read again, by kit's loader, for a located error.
            let loaded = loader.load_text(path, text.to_string())?;
            Err(Diag::error("kit::template::values", e)
                .at(loaded.docs.first().and_then(|d| d.origin))
                .path(crate::source::display_path(path))
                .help("a values file is a YAML mapping of keys to values"))
        }
    }
}

/// Makes every number of a values tree read from a file a float64, as Helm's YAML and JSON
/// decoding does (`replicas: 3` is `float64(3)` to a template).
pub fn floats(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Number(n) if !n.is_f64() => {
            if let Some(f) = n.as_f64().and_then(serde_json::Number::from_f64) {
                *n = f;
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(floats),
        serde_json::Value::Object(m) => m.values_mut().for_each(floats),
        _ => {}
    }
}

fn map_of(entries: Vec<(&str, Value)>, kind: MapKind) -> Value {
    let m: BTreeMap<String, Value> = entries
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    Value::Map(Rc::new(std::cell::RefCell::new(m)), kind)
}

/// A template's name, its output, and where each piece of the output came from.
pub type OnRendered<'a> = dyn Fn(String, String, Vec<exec::Span>) + 'a;

/// Renders every template of the chart tree, handing each template's output to `on_rendered`
/// as soon as it is rendered (in Helm's order), so that it can be parsed while the next
/// templates render.
pub fn render(
    chart: &Chart,
    values: &serde_json::Map<String, serde_json::Value>,
    inputs: &Inputs,
    on_rendered: &OnRendered,
) -> Result<Texts> {
    let release = map_of(
        vec![
            ("Name", Value::from(inputs.release_name)),
            ("Namespace", Value::from(inputs.namespace)),
            ("IsUpgrade", Value::Bool(inputs.is_upgrade)),
            ("IsInstall", Value::Bool(!inputs.is_upgrade)),
            ("Revision", Value::Int(1)),
            ("Service", Value::from("Helm")),
        ],
        MapKind::Any,
    );
    let caps = objects::capabilities_object(
        inputs.kube.clone(),
        inputs.api_versions.clone(),
        inputs.helm,
    );
    // Converted in place: the values tree is large, and a copy of it only to wrap it in a
    // JSON object took more instructions than the conversion.
    let values_kind = inputs.helm.spec().values_type;
    let vals = from_json_map(values, values_kind);
    let mut tpls = Vec::new();
    let shared = Shared {
        root_vals: &vals,
        release: &release,
        caps: &caps,
        helm: inputs.helm,
    };
    collect(chart, None, &shared, &mut tpls);
    // Helm keeps templates in a map by name: where two charts render under one name (Helm
    // v3's aliased copies of a chart share its unlisted subcharts), the last one wins.
    let mut seen = std::collections::HashSet::new();
    let mut unique: Vec<Tpl> = tpls
        .into_iter()
        .rev()
        .filter(|t| seen.insert(t.name.clone()))
        .collect();
    unique.reverse();
    let mut tpls = unique;
    // Helm's sortTemplates: more path segments first, then names descending (each name's
    // segments counted once, not at every comparison).
    tpls.sort_by_cached_key(|t| std::cmp::Reverse((t.name.matches('/').count(), t.name.clone())));

    let set = parse_templates(&tpls)?;

    let opts = Options {
        strict: inputs.strict,
        lint: inputs.lint,
        keep_no_value: false,
        range_over_int: inputs.helm.spec().range_over_int,
        limits: exec::Limits::default(),
    };
    let mut exec = Exec::new(&set, opts);
    let mut notes = None;
    let top_notes = format!("{}/templates/NOTES.txt", chart.full_path);
    for t in &tpls {
        let base = t.name.rsplit('/').next().unwrap_or(&t.name);
        if base.starts_with('_') {
            continue;
        }
        if let Value::Map(m, _) = &t.top {
            m.borrow_mut().insert(
                "Template".to_string(),
                map_of(
                    vec![
                        ("Name", Value::from(t.name.as_str())),
                        ("BasePath", Value::from(t.base_path.as_str())),
                    ],
                    values_kind,
                ),
            );
        }
        let (out, spans) = exec
            .execute_with_spans(&t.name, Some(t.top.clone()))
            .map_err(|e| exec_diag(&e, inputs.files_of, inputs.describe_value))?;
        if t.name.ends_with("/NOTES.txt") {
            if t.name == top_notes {
                notes = Some(out);
            }
            continue;
        }
        on_rendered(t.name.clone(), out, spans);
    }
    let warnings = std::mem::take(&mut exec.warnings);
    if inputs.process_ends_after {
        std::mem::forget(exec);
        std::mem::forget(set);
    }
    Ok(Texts { notes, warnings })
}

/// Parses every template, in parallel, into one set in Helm's order (a later definition of a
/// name replaces an earlier one); the first syntax error in that order is the one reported.
fn parse_templates(tpls: &[Tpl]) -> Result<Set> {
    use rayon::prelude::*;
    let texts: Vec<(&String, &SharedText)> = tpls.iter().map(|t| (&t.name, &t.text)).collect();
    let parsed: Vec<_> = texts
        .par_iter()
        .map(|(name, text)| parse::parse_detached((*name).clone(), (*text).clone(), exec::is_func))
        .collect();
    let mut set = Set::default();
    for (t, trees) in tpls.iter().zip(parsed) {
        set.add(trees.map_err(|e| syntax_error(t, &e))?.into_trees());
    }
    Ok(set)
}

/// A template's syntax error at its position.
fn syntax_error(t: &Tpl, e: &parse::ParseError) -> Diag {
    let origin = Origin::new(
        t.file,
        e.pos.min(t.text.len()),
        (e.pos + 1).min(t.text.len()),
    );
    let d = Diag::error(
        "kit::template::syntax",
        format!("{}: {}", t.name, e.message),
    )
    .at(Some(origin))
    .help("fix the template syntax: actions are {{ ... }}, blocks end with {{ end }}");
    if e.message.contains("not defined") && e.message.starts_with("function") {
        d.help("check the function's name: kit knows Go's builtins, Sprig's functions and Helm's own (the README lists them)")
    } else {
        d
    }
}

/// What every chart's top-level map shares.
struct Shared<'a> {
    root_vals: &'a Value,
    release: &'a Value,
    caps: &'a Value,
    helm: HelmVersion,
}

/// Helm's `recAllTpls`: each chart's top-level map and its templates.
fn collect(
    chart: &Chart,
    parent_values: Option<&Value>,
    shared: &Shared,
    out: &mut Vec<Tpl>,
) -> Value {
    let values_kind = shared.helm.spec().values_type;
    let values = match parent_values {
        None => shared.root_vals.clone(),
        Some(Value::Map(m, _)) => match m.borrow().get(chart.name()) {
            Some(Value::Map(sub, _)) => Value::Map(sub.clone(), values_kind),
            _ => Value::Map(Rc::default(), values_kind),
        },
        Some(_) => Value::Map(Rc::default(), values_kind),
    };
    let subcharts = Value::new_map();
    let top = map_of(
        vec![
            (
                "Chart",
                objects::chart_object(
                    &chart.meta_value,
                    &chart.meta.dependencies,
                    parent_values.is_none(),
                    shared.helm,
                ),
            ),
            (
                "Files",
                Value::Object(Rc::new(objects::Files {
                    files: chart.files.clone(),
                    only: None,
                })),
            ),
            ("Release", shared.release.clone()),
            ("Capabilities", shared.caps.clone()),
            ("Values", values.clone()),
            ("Subcharts", subcharts.clone()),
        ],
        MapKind::Any,
    );
    for d in &chart.deps {
        let child = collect(d, Some(&values), shared, out);
        if let Value::Map(m, _) = &subcharts {
            m.borrow_mut().insert(d.name().to_string(), child);
        }
    }
    // Templates see the map as Helm's `Values` type; `.Subcharts` holds it as a plain map.
    let as_values = match &top {
        Value::Map(m, _) => Value::Map(m.clone(), values_kind),
        other => other.clone(),
    };
    for t in &chart.templates {
        if chart.meta.library && !t.is_partial() {
            continue;
        }
        out.push(Tpl {
            name: t.name.clone(),
            text: t.text.clone(),
            file: t.file,
            top: as_values.clone(),
            base_path: format!("{}/templates", chart.full_path),
        });
    }
    top
}

/// An execution error as a diagnostic at the failing action, with the include chain.
fn exec_diag(
    e: &ExecError,
    files_of: &TemplateFiles,
    describe_value: &dyn Fn(&str) -> Option<String>,
) -> Diag {
    let code = match e.kind {
        ErrorKind::Fail => "kit::template::failed",
        ErrorKind::Budget => "kit::template::limit",
        ErrorKind::Exec => "kit::template::render",
    };
    let message = match (&e.kind, &e.function) {
        (ErrorKind::Fail, _) => e.message.clone(),
        (_, Some(f)) => format!("error calling {f}: {}", e.message),
        (_, None) => e.message.clone(),
    };
    // The innermost frame that is a file of the chart (a `tpl` text is not).
    let located = e
        .frames
        .iter()
        .rev()
        .find(|f| files_of.contains_key(&f.source.name));
    let mut d = Diag::error(code, message);
    if let Some(f) = located {
        if let Some((file, text)) = files_of.get(&f.source.name) {
            let start = f.pos.min(text.len());
            let len = f.context.len().max(1);
            let end = (start + len).min(text.len()).max(start);
            d = d.at(Some(Origin::new(*file, start, end)));
            d.label = Some(if f.context.is_empty() {
                "here".to_string()
            } else {
                format!("while evaluating {}", f.context)
            });
        }
    }
    let chain: Vec<String> = e
        .frames
        .iter()
        .map(|f| {
            if f.template == f.source.name {
                f.location()
            } else {
                format!("{} (template {:?})", f.location(), f.template)
            }
        })
        .collect();
    // The text given to `tpl` innermost, and the values key that holds it.
    let tpl_value = e
        .frames
        .iter()
        .rev()
        .find(|f| f.source.name == "gotpl")
        .and_then(|f| describe_value(&f.source.text));
    // A limit passed by `tpl` after `tpl`: a value that renders itself.
    let tpl_frames = e.frames.iter().filter(|f| f.source.name == "gotpl").count();
    let tpl_recursion =
        e.kind == ErrorKind::Budget && tpl_frames > 1 && tpl_frames * 2 > e.frames.len();
    if let (true, Some(value)) = (tpl_recursion, &tpl_value) {
        let limit = e.message.split(" (").next().unwrap_or(&e.message);
        d.message = format!("{limit}: `tpl` renders the text of {value} inside itself");
    }
    let what = match (&e.kind, &tpl_value) {
        (ErrorKind::Fail, _) => "the chart refused these values; change them as the message says".to_string(),
        (ErrorKind::Budget, Some(value)) if tpl_recursion => format!(
            "the text of {value} is rendered with `tpl` and renders itself again: change that value (or the template that renders it) so it stops"
        ),
        (ErrorKind::Budget, _) => "the templates passed a limit of kit's (the README lists them): check for a template that never ends".to_string(),
        (ErrorKind::Exec, _) => "fix the template or the values it reads at this line".to_string(),
    };
    let mut help = what;
    if chain.len() > 1 {
        help.push_str(&format!(
            "; the chain of {} templates: {}",
            chain.len(),
            crate::diag::summarise_chain(&chain, " -> ")
        ));
    }
    match tpl_value {
        Some(value) if !tpl_recursion => {
            help.push_str(&format!(
                "; the error is in the text of {value}, rendered with `tpl`"
            ));
        }
        None if e.frames.iter().any(|f| f.source.name == "gotpl") => {
            help.push_str(
                "; the error is in a text given to `tpl` (a value rendered as a template)",
            );
        }
        _ => {}
    }
    d.help(help)
}

/// Every template of the tree by name, with its file (for diagnostics on rendered output).
pub fn template_files(chart: &Chart) -> Vec<(String, (FileId, SharedText))> {
    let mut out: Vec<(String, (FileId, SharedText))> = chart
        .templates
        .iter()
        .map(|t| (t.name.clone(), (t.file, t.text.clone())))
        .collect();
    for d in &chart.deps {
        out.extend(template_files(d));
    }
    out
}
