//! The template engine: minijinja with Helm's objects and functions.
//!
//! Each template sees `values`, `release`, `chart`, `capabilities`, `files` and `template`
//! (Helm's `.Values`, `.Release`, ... in camelCase). Named partials are Jinja macros defined
//! in `_`-prefixed files: `{% macro fullname(ctx) %}...{% endmacro %}` in `_helpers.tpl` of
//! chart `web` is `include("fullname", ctx)` inside `web` and `include("web.fullname", ctx)`
//! anywhere; `include` returns text, so it pipes into `nindent` like Helm's.
//!
//! Functions keep the names Helm users know (toYaml, nindent, quote, default, required, tpl,
//! b64enc, sha256sum, ...). Where a Jinja builtin of the same name behaves differently
//! (`indent` indents the first line too, `default` replaces every empty value), Helm's
//! meaning wins. Most are both a filter (`values.x | quote`) and a function (`quote(x)`).
//!
//! Whitespace: blocks (`{% if %}` lines) are trimmed (`trim_blocks`, `lstrip_blocks`) and a
//! template keeps its final newline, so templates read like the YAML they make.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use base64::Engine as _;
use minijinja::value::{Enumerator, Kwargs, Object, ObjectRepr, Rest, Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior};
use sha2::Digest as _;

/// How deep `include` and `tpl` may nest before the render is refused (a recursive
/// partial would otherwise exhaust the stack).
const MAX_INCLUDE_DEPTH: usize = 100;
/// Instructions one render may run (minijinja's fuel): nested loops of billions of steps
/// end in an error, not a hang.
pub const MAX_STEPS: u64 = 200_000_000;
/// Text functions may make in one render (`indent`, `printf`, `until`, ...), as the Go
/// engine's output budget.
pub const MAX_TEXT_BYTES: usize = 512 << 20;

thread_local! {
    static INCLUDE_DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Bytes of text made by functions in the current render.
    static TEXT_MADE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// One named partial: a macro of a `_` file.
#[derive(Clone, Debug)]
struct Partial {
    /// The chart's name (`web`), for `include("web.fullname")`.
    chart: String,
    /// The chart's place in the tree (`web/charts/db`).
    chart_path: String,
    macro_name: String,
    template: String,
    takes_arg: bool,
}

#[derive(Default, Debug)]
struct Registry {
    partials: Vec<Partial>,
    /// The root context of each chart (by its place in the tree), for partials' top level.
    roots: HashMap<String, Value>,
}

impl Registry {
    /// Finds `name` as seen from the template `from`: a qualified `chart.macro`, else the
    /// macro in the caller's chart, its subcharts (library charts), its ancestors, anywhere.
    fn find(&self, name: &str, from: &str) -> Option<&Partial> {
        if let Some((chart, mac)) = name.rsplit_once('.') {
            let candidates: Vec<&Partial> = self
                .partials
                .iter()
                .filter(|p| p.chart == chart && p.macro_name == mac)
                .collect();
            return candidates
                .iter()
                .find(|p| from.starts_with(&format!("{}/", p.chart_path)))
                .or(candidates.first())
                .copied();
        }
        let from_chart = self
            .partials
            .iter()
            .map(|p| p.chart_path.as_str())
            .chain(self.roots.keys().map(String::as_str))
            .filter(|c| from.starts_with(&format!("{c}/templates/")))
            .max_by_key(|c| c.len())
            .unwrap_or("")
            .to_string();
        let named: Vec<&Partial> = self
            .partials
            .iter()
            .filter(|p| p.macro_name == name)
            .collect();
        named
            .iter()
            .find(|p| p.chart_path == from_chart)
            .or_else(|| {
                named
                    .iter()
                    .find(|p| p.chart_path.starts_with(&format!("{from_chart}/charts/")))
            })
            .or_else(|| {
                named
                    .iter()
                    .filter(|p| from_chart.starts_with(&format!("{}/", p.chart_path)))
                    .max_by_key(|p| p.chart_path.len())
            })
            .or(named.first())
            .copied()
    }
}

/// A template environment for one render.
pub struct Engine {
    env: Environment<'static>,
    registry: Arc<OnceLock<Registry>>,
}

/// A template to add: its name, source, whether it is a partial, and its chart.
pub struct Source {
    pub name: String,
    pub text: String,
    pub partial: bool,
    pub chart_name: String,
    pub chart_path: String,
}

impl Engine {
    /// Compiles every template (a syntax error is returned with its template and line).
    ///
    /// With `lint`, `required` and `fail` do not stop the render (as in `helm lint`): their
    /// messages are collected there instead.
    pub fn new(
        sources: &[Source],
        strict: bool,
        lint: Option<Arc<Mutex<Vec<String>>>>,
    ) -> Result<Engine, Error> {
        let mut env = Environment::new();
        let syntax = minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()?;
        env.set_syntax(syntax);
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        env.set_undefined_behavior(if strict {
            UndefinedBehavior::Strict
        } else {
            UndefinedBehavior::Chainable
        });
        env.set_recursion_limit(500);
        env.set_fuel(Some(MAX_STEPS));
        // Booleans print as Go prints them (`true`, not Python's `True`), none as nothing.
        env.set_formatter(|out, state, value| match value.kind() {
            ValueKind::Bool => out
                .write_str(if value.is_true() { "true" } else { "false" })
                .map_err(|_| Error::new(ErrorKind::WriteFailure, "cannot write output")),
            ValueKind::None => Ok(()),
            _ => minijinja::escape_formatter(out, state, value),
        });
        let registry: Arc<OnceLock<Registry>> = Arc::new(OnceLock::new());
        register_functions(&mut env, &registry, lint);
        for s in sources {
            env.add_template_owned(s.name.clone(), s.text.clone())?;
        }
        Ok(Engine { env, registry })
    }

    /// Evaluates the partials to find their macros; `roots` is each chart's root context.
    pub fn index_partials(
        &self,
        sources: &[Source],
        roots: HashMap<String, Value>,
    ) -> Result<(), Error> {
        let mut partials = Vec::new();
        for s in sources.iter().filter(|s| s.partial) {
            let tmpl = self.env.get_template(&s.name)?;
            let root = roots.get(&s.chart_path).cloned().unwrap_or_default();
            TEXT_MADE.with(|made| made.set(0));
            let _guard = crate::watchdog::watch(
                format!("evaluating the Jinja partial {}", s.name),
                JOIN_HINT,
            );
            let captured = tmpl.render_captured(with_template(&root, &s.name, &s.chart_path))?;
            let state = captured.state();
            for name in state.exports() {
                let Some(v) = state.lookup(name) else {
                    continue;
                };
                let Ok(args) = v.get_attr("arguments") else {
                    continue;
                };
                if v.get_attr("caller").is_err() || args.is_undefined() {
                    continue;
                }
                partials.push(Partial {
                    chart: s.chart_name.clone(),
                    chart_path: s.chart_path.clone(),
                    macro_name: name.to_string(),
                    template: s.name.clone(),
                    takes_arg: args.len().unwrap_or(0) > 0,
                });
            }
        }
        let _ = self.registry.set(Registry { partials, roots });
        Ok(())
    }

    /// Renders one template with its context, with the spans that map output to source.
    pub fn render(
        &self,
        name: &str,
        ctx: Value,
    ) -> Result<(String, Vec<minijinja::OutputSpan>), Error> {
        let tmpl = self.env.get_template(name)?;
        TEXT_MADE.with(|made| made.set(0));
        let _guard =
            crate::watchdog::watch(format!("rendering the Jinja template {name}"), JOIN_HINT);
        tmpl.render_with_spans(ctx)
    }
}

/// What likely fills memory in a Jinja render (minijinja meters no string joins).
const JOIN_HINT: &str = "does a loop join a string to itself?";

/// Charges `bytes` of text made by a function to the render's budget.
fn charge_text(bytes: usize) -> Result<(), Error> {
    TEXT_MADE.with(|made| {
        let total = made.get().saturating_add(bytes);
        made.set(total);
        if total > MAX_TEXT_BYTES {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!(
                    "the template's functions made more than {} MiB of text (kit's limit for one render)",
                    MAX_TEXT_BYTES >> 20
                ),
            ));
        }
        Ok(())
    })
}

/// The root context with `template` set for one template.
pub fn with_template(root: &Value, name: &str, chart_path: &str) -> Value {
    let mut m: BTreeMap<String, Value> = BTreeMap::new();
    if let Ok(iter) = root.try_iter() {
        for k in iter {
            if let (Some(key), Ok(v)) = (k.as_str(), root.get_item(&k)) {
                m.insert(key.to_string(), v);
            }
        }
    }
    let mut t = BTreeMap::new();
    t.insert("name".to_string(), Value::from(name));
    t.insert(
        "basePath".to_string(),
        Value::from(format!("{chart_path}/templates")),
    );
    m.insert("template".to_string(), Value::from(t));
    Value::from(m)
}

/// The names a template's root context has.
const ROOT_KEYS: [&str; 6] = [
    "values",
    "release",
    "chart",
    "capabilities",
    "files",
    "template",
];

/// The current template's root context, rebuilt from the state (the default argument of
/// `include` and `tpl`).
fn current_root(state: &State) -> Value {
    let mut m = BTreeMap::new();
    for k in ROOT_KEYS {
        if let Some(v) = state.lookup(k) {
            m.insert(k.to_string(), v);
        }
    }
    Value::from(m)
}

fn err(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg.into())
}

fn register_functions(
    env: &mut Environment<'static>,
    registry: &Arc<OnceLock<Registry>>,
    lint: Option<Arc<Mutex<Vec<String>>>>,
) {
    // include(name, ctx?)
    let reg = registry.clone();
    env.add_function(
        "include",
        move |state: &State, name: String, ctx: Option<Value>| -> Result<Value, Error> {
            let Some(registry) = reg.get() else {
                return Err(err("include is not available while partials are read"));
            };
            let Some(p) = registry.find(&name, state.name()) else {
                let known: Vec<String> = registry
                    .partials
                    .iter()
                    .map(|p| format!("{}.{}", p.chart, p.macro_name))
                    .collect();
                return Err(Error::new(
                    ErrorKind::UnknownFunction,
                    format!(
                        "no partial named {name:?} (partials are macros in templates/_*.tpl files{})",
                        if known.is_empty() {
                            String::new()
                        } else {
                            format!("; known: {}", known.join(", "))
                        }
                    ),
                ));
            };
            let depth = INCLUDE_DEPTH.with(|d| d.get());
            if depth >= MAX_INCLUDE_DEPTH {
                return Err(err(format!(
                    "include({name:?}) nested deeper than {MAX_INCLUDE_DEPTH} levels: is a partial including itself?"
                )));
            }
            let ctx = ctx.unwrap_or_else(|| current_root(state));
            let root = registry.roots.get(&p.chart_path).cloned().unwrap_or_default();
            INCLUDE_DEPTH.with(|d| d.set(depth + 1));
            let result = (|| {
                let tmpl = state.env().get_template(&p.template)?;
                let mut captured =
                    tmpl.render_captured(with_template(&root, &p.template, &p.chart_path))?;
                let args: Vec<Value> = if p.takes_arg { vec![ctx] } else { Vec::new() };
                captured.with_state_mut(|s| s.call_macro(&p.macro_name, &args))
            })();
            INCLUDE_DEPTH.with(|d| d.set(depth));
            result
                .map(Value::from)
                .map_err(|e| err(format!("in include({name:?})")).with_source(e))
        },
    );

    // tpl(text, ctx?)
    env.add_function(
        "tpl",
        |state: &State, text: String, ctx: Option<Value>| -> Result<Value, Error> {
            let ctx = ctx.unwrap_or_else(|| current_root(state));
            let depth = INCLUDE_DEPTH.with(|d| d.get());
            if depth >= MAX_INCLUDE_DEPTH {
                return Err(
                    err(format!("tpl nested deeper than {MAX_INCLUDE_DEPTH} levels"))
                        .with_source(TplNesting { text }),
                );
            }
            INCLUDE_DEPTH.with(|d| d.set(depth + 1));
            // A text rendered by `tpl` is named after the file that called it, once: the
            // name of a `tpl` inside a `tpl` does not grow.
            let mut file = state.name();
            while let Some(outer) = file.strip_suffix(TPL_SUFFIX) {
                file = outer;
            }
            let name = format!("{file}{TPL_SUFFIX}");
            let r = state.env().render_named_str(&name, &text, ctx);
            INCLUDE_DEPTH.with(|d| d.set(depth));
            r.map(Value::from)
                .map_err(|e| err(format!("in tpl({text:?})")).with_source(e))
        },
    );

    let sink = lint.clone();
    env.add_function(
        "required",
        move |msg: String, v: Option<Value>| -> Result<Value, Error> {
            lint_or(&sink, required(v.unwrap_or(Value::UNDEFINED), msg))
        },
    );
    let sink = lint.clone();
    env.add_filter("required", move |v: Value, msg: String| {
        lint_or(&sink, required(v, msg))
    });
    let sink = lint;
    env.add_function("fail", move |msg: String| -> Result<Value, Error> {
        lint_or(
            &sink,
            Err(Error::new(ErrorKind::InvalidOperation, msg).with_source(Failed)),
        )
    });
    env.add_function(
        "lookup",
        |_a: Value, _b: Value, _c: Value, _d: Value| -> Value {
            Value::from(BTreeMap::<String, Value>::new())
        },
    );

    // Serialisation.
    add_both(env, "toYaml", |v: Value| -> Result<Value, Error> {
        Ok(Value::from(to_yaml(&to_json(&v)?)))
    });
    add_both(env, "toJson", |v: Value| -> Result<Value, Error> {
        let mut s = String::new();
        write_go_json(&to_json(&v)?, &mut s);
        Ok(Value::from(s))
    });
    add_both(env, "toPrettyJson", |v: Value| -> Result<Value, Error> {
        Ok(Value::from(
            serde_json::to_string_pretty(&sorted(&to_json(&v)?)).unwrap_or_default(),
        ))
    });
    add_both(env, "fromYaml", |s: String| -> Value { from_yaml(&s) });
    add_both(env, "fromJson", |s: String| -> Value {
        match serde_json::from_str::<serde_json::Value>(&s) {
            Ok(v) => from_json(&v),
            Err(e) => error_map(&e.to_string()),
        }
    });

    // Text.
    env.add_filter("indent", |s: Value, n: usize| -> Result<Value, Error> {
        Ok(Value::from(budgeted_indent(&text(&s), n, "")?))
    });
    env.add_function("indent", |n: usize, s: Value| -> Result<Value, Error> {
        Ok(Value::from(budgeted_indent(&text(&s), n, "")?))
    });
    env.add_filter("nindent", |s: Value, n: usize| -> Result<Value, Error> {
        Ok(Value::from(budgeted_indent(&text(&s), n, "\n")?))
    });
    env.add_function("nindent", |n: usize, s: Value| -> Result<Value, Error> {
        Ok(Value::from(budgeted_indent(&text(&s), n, "\n")?))
    });
    env.add_filter("quote", |v: Value| -> Value { quote(&[v]) });
    env.add_function("quote", |args: Rest<Value>| -> Value { quote(&args.0) });
    env.add_filter("squote", |v: Value| -> Value { squote(&[v]) });
    env.add_function("squote", |args: Rest<Value>| -> Value { squote(&args.0) });
    add_both(env, "b64enc", |s: Value| -> Value {
        Value::from(base64::engine::general_purpose::STANDARD.encode(text(&s)))
    });
    add_both(env, "b64dec", |s: String| -> Value {
        match base64::engine::general_purpose::STANDARD.decode(s.as_bytes()) {
            Ok(b) => Value::from(String::from_utf8_lossy(&b).to_string()),
            Err(e) => Value::from(e.to_string()),
        }
    });
    add_both(env, "sha256sum", |s: Value| -> Value {
        let digest = sha2::Sha256::digest(text(&s).as_bytes());
        let mut out = String::with_capacity(64);
        for b in digest {
            let _ = write!(out, "{b:02x}");
        }
        Value::from(out)
    });
    env.add_filter("trunc", |s: Value, n: i64| -> Value {
        Value::from(trunc(&text(&s), n))
    });
    env.add_function("trunc", |n: i64, s: Value| -> Value {
        Value::from(trunc(&text(&s), n))
    });
    env.add_filter("trimSuffix", |s: Value, suffix: String| -> Value {
        let t = text(&s);
        Value::from(t.strip_suffix(suffix.as_str()).unwrap_or(&t).to_string())
    });
    env.add_function("trimSuffix", |suffix: String, s: Value| -> Value {
        let t = text(&s);
        Value::from(t.strip_suffix(suffix.as_str()).unwrap_or(&t).to_string())
    });
    env.add_filter("trimPrefix", |s: Value, prefix: String| -> Value {
        let t = text(&s);
        Value::from(t.strip_prefix(prefix.as_str()).unwrap_or(&t).to_string())
    });
    env.add_function("trimPrefix", |prefix: String, s: Value| -> Value {
        let t = text(&s);
        Value::from(t.strip_prefix(prefix.as_str()).unwrap_or(&t).to_string())
    });
    add_both(env, "trim", |s: Value| -> Value {
        Value::from(text(&s).trim().to_string())
    });
    add_both(env, "upper", |s: Value| -> Value {
        Value::from(text(&s).to_uppercase())
    });
    add_both(env, "lower", |s: Value| -> Value {
        Value::from(text(&s).to_lowercase())
    });
    add_both(env, "title", |s: Value| -> Value {
        Value::from(title(&text(&s)))
    });
    env.add_function("replace", |old: String, new: String, s: Value| -> Value {
        Value::from(text(&s).replace(&old, &new))
    });
    env.add_filter("contains", |s: Value, sub: String| -> bool {
        text(&s).contains(&sub)
    });
    env.add_function("contains", |sub: String, s: Value| -> bool {
        text(&s).contains(&sub)
    });
    env.add_filter("hasPrefix", |s: Value, p: String| -> bool {
        text(&s).starts_with(&p)
    });
    env.add_function("hasPrefix", |p: String, s: Value| -> bool {
        text(&s).starts_with(&p)
    });
    env.add_filter("hasSuffix", |s: Value, p: String| -> bool {
        text(&s).ends_with(&p)
    });
    env.add_function("hasSuffix", |p: String, s: Value| -> bool {
        text(&s).ends_with(&p)
    });
    env.add_function("splitList", |sep: String, s: Value| -> Value {
        Value::from(
            text(&s)
                .split(sep.as_str())
                .map(Value::from)
                .collect::<Vec<_>>(),
        )
    });
    env.add_filter("splitList", |s: Value, sep: String| -> Value {
        Value::from(
            text(&s)
                .split(sep.as_str())
                .map(Value::from)
                .collect::<Vec<_>>(),
        )
    });
    env.add_function(
        "regexMatch",
        |re: String, s: Value| -> Result<bool, Error> {
            let r = regex::Regex::new(&re).map_err(|e| err(format!("regexMatch: {e}")))?;
            Ok(r.is_match(&text(&s)))
        },
    );
    env.add_function(
        "regexReplaceAll",
        |re: String, s: Value, repl: String| -> Result<Value, Error> {
            let r = regex::Regex::new(&re).map_err(|e| err(format!("regexReplaceAll: {e}")))?;
            Ok(Value::from(
                r.replace_all(&text(&s), repl.as_str()).to_string(),
            ))
        },
    );
    env.add_function(
        "printf",
        |fmt: String, args: Rest<Value>| -> Result<Value, Error> {
            let out = printf(&fmt, &args.0);
            charge_text(out.len())?;
            Ok(Value::from(out))
        },
    );
    add_both(env, "toString", |v: Value| -> Value {
        Value::from(go_string(&v))
    });
    env.add_function("int", |v: Value| -> Value { Value::from(to_int(&v)) });
    env.add_filter("int", |v: Value| -> Value { Value::from(to_int(&v)) });
    env.add_function("float", |v: Value| -> Value { Value::from(to_float(&v)) });
    env.add_filter("float", |v: Value| -> Value { Value::from(to_float(&v)) });
    env.add_function("int64", |v: Value| -> Value { Value::from(to_int(&v)) });
    env.add_function("float64", |v: Value| -> Value { Value::from(to_float(&v)) });

    // Logic.
    // The optional third argument (Jinja's `boolean`) is accepted and has no effect: every
    // empty value is replaced, as Helm does.
    env.add_filter(
        "default",
        |v: Value, d: Value, _boolean: Option<bool>| -> Value {
            if is_empty(&v) {
                d
            } else {
                v
            }
        },
    );
    env.add_function("default", |d: Value, v: Option<Value>| -> Value {
        let v = v.unwrap_or(Value::UNDEFINED);
        if is_empty(&v) {
            d
        } else {
            v
        }
    });
    env.add_function("empty", |v: Option<Value>| -> bool {
        is_empty(&v.unwrap_or(Value::UNDEFINED))
    });
    env.add_filter("empty", |v: Value| -> bool { is_empty(&v) });
    env.add_test("empty", |v: Value| -> bool { is_empty(&v) });
    env.add_function("coalesce", |args: Rest<Value>| -> Value {
        args.0
            .into_iter()
            .find(|v| !is_empty(v))
            .unwrap_or(Value::from(()))
    });
    env.add_function("ternary", |a: Value, b: Value, cond: Value| -> Value {
        if cond.is_true() {
            a
        } else {
            b
        }
    });
    env.add_filter("ternary", |cond: Value, a: Value, b: Value| -> Value {
        if cond.is_true() {
            a
        } else {
            b
        }
    });
    env.add_function(
        "semverCompare",
        |c: String, v: String| -> Result<bool, Error> {
            let constraint = super::semver::Constraint::parse(&c).map_err(err)?;
            let version = super::semver::Version::parse(&v).map_err(err)?;
            Ok(constraint.matches(&version))
        },
    );
    env.add_function("kindIs", |kind: String, v: Value| -> bool {
        go_kind(&v) == kind
    });
    env.add_function("kindOf", |v: Value| -> Value { Value::from(go_kind(&v)) });
    env.add_function("typeOf", |v: Value| -> Value { Value::from(go_kind(&v)) });

    // Collections.
    env.add_function("list", |args: Rest<Value>| -> Value { Value::from(args.0) });
    env.add_function(
        "dict",
        |args: Rest<Value>, kwargs: Kwargs| -> Result<Value, Error> {
            let mut m = BTreeMap::new();
            let mut items = args.0.into_iter();
            while let Some(k) = items.next() {
                let v = items.next().unwrap_or(Value::from(""));
                m.insert(go_string(&k), v);
            }
            let keys: Vec<String> = kwargs.args().map(str::to_string).collect();
            for k in keys {
                let v: Value = kwargs.get(&k)?;
                m.insert(k, v);
            }
            Ok(Value::from(m))
        },
    );
    env.add_function(
        "merge",
        |dst: Value, rest: Rest<Value>| -> Result<Value, Error> {
            let mut out = to_json(&dst)?;
            for src in rest.0 {
                let s = to_json(&src)?;
                merge_under(&mut out, &s);
            }
            Ok(from_json(&out))
        },
    );
    env.add_function(
        "mergeOverwrite",
        |dst: Value, rest: Rest<Value>| -> Result<Value, Error> {
            let mut out = to_json(&dst)?;
            for src in rest.0 {
                let s = to_json(&src)?;
                merge_over(&mut out, &s);
            }
            Ok(from_json(&out))
        },
    );
    env.add_function(
        "set",
        |d: Value, k: String, v: Value| -> Result<Value, Error> {
            let mut m = to_map(&d)?;
            m.insert(k, v);
            Ok(Value::from(m))
        },
    );
    env.add_function("unset", |d: Value, k: String| -> Result<Value, Error> {
        let mut m = to_map(&d)?;
        m.remove(&k);
        Ok(Value::from(m))
    });
    env.add_function("hasKey", |d: Value, k: String| -> bool {
        d.kind() == ValueKind::Map && d.get_item(&Value::from(k)).is_ok_and(|v| !v.is_undefined())
    });
    add_both(env, "keys", |d: Value| -> Result<Value, Error> {
        Ok(Value::from(
            to_map(&d)?.into_keys().map(Value::from).collect::<Vec<_>>(),
        ))
    });
    env.add_function("has", |needle: Value, list: Value| -> Result<bool, Error> {
        Ok(list.try_iter()?.any(|v| v == needle))
    });
    env.add_function("append", |list: Value, v: Value| -> Result<Value, Error> {
        let mut items: Vec<Value> = list.try_iter()?.collect();
        items.push(v);
        Ok(Value::from(items))
    });
    env.add_function("until", |n: i64| -> Result<Value, Error> {
        // A list of n numbers costs about 16 bytes each.
        charge_text(
            usize::try_from(n.max(0))
                .unwrap_or(usize::MAX)
                .saturating_mul(16),
        )?;
        Ok(Value::from((0..n.max(0)).collect::<Vec<_>>()))
    });
    add_both(env, "sortAlpha", |list: Value| -> Result<Value, Error> {
        let mut items: Vec<String> = list.try_iter()?.map(|v| go_string(&v)).collect();
        items.sort();
        Ok(Value::from(items))
    });
    add_both(env, "uniq", |list: Value| -> Result<Value, Error> {
        let mut out: Vec<Value> = Vec::new();
        for v in list.try_iter()? {
            if !out.contains(&v) {
                out.push(v);
            }
        }
        Ok(Value::from(out))
    });
}

/// What a text rendered by `tpl` is named: the calling file's name and this.
pub const TPL_SUFFIX: &str = " (tpl)";

/// Marks the error of a `tpl` nested past [`MAX_INCLUDE_DEPTH`], with the text it was
/// given (a value that renders itself, usually: messages name the values key).
#[derive(Debug)]
pub struct TplNesting {
    pub text: String,
}

impl std::fmt::Display for TplNesting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("tpl nested too deep")
    }
}

impl std::error::Error for TplNesting {}

/// Marks the error of `fail()` (its message is the whole story).
#[derive(Debug)]
pub struct Failed;

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("fail() called")
    }
}

impl std::error::Error for Failed {}

fn add_both<F, Rv, Args>(env: &mut Environment<'static>, name: &'static str, f: F)
where
    F: minijinja::functions::Function<Rv, Args> + Clone + 'static,
    Rv: minijinja::value::FunctionResult,
    Args: for<'a> minijinja::value::FunctionArgs<'a>,
{
    env.add_filter(name, f.clone());
    env.add_function(name, f);
}

/// In lint mode an error of `required` or `fail` is noted and rendering goes on.
fn lint_or(
    sink: &Option<Arc<Mutex<Vec<String>>>>,
    r: Result<Value, Error>,
) -> Result<Value, Error> {
    match (sink, r) {
        (Some(sink), Err(e)) => {
            sink.lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(e.detail().unwrap_or_default().to_string());
            Ok(Value::from(""))
        }
        (_, r) => r,
    }
}

fn required(v: Value, msg: String) -> Result<Value, Error> {
    if v.is_undefined() || v.is_none() || v.as_str() == Some("") {
        return Err(Error::new(ErrorKind::InvalidOperation, msg).with_source(Failed));
    }
    Ok(v)
}

/// Helm's notion of empty: undefined, none, false, 0, "", and empty lists and maps.
pub fn is_empty(v: &Value) -> bool {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => true,
        ValueKind::Bool | ValueKind::Number => !v.is_true(),
        ValueKind::String | ValueKind::Bytes | ValueKind::Seq | ValueKind::Map => {
            v.len() == Some(0)
        }
        _ => false,
    }
}

/// A value as text for the string functions (undefined and none are empty).
fn text(v: &Value) -> String {
    if v.is_undefined() || v.is_none() {
        return String::new();
    }
    match v.as_str() {
        Some(s) => s.to_string(),
        None => go_string(v),
    }
}

/// Go's `%v` of a value (sprig's `toString`).
pub fn go_string(v: &Value) -> String {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => "<nil>".to_string(),
        ValueKind::Bool => v.is_true().to_string(),
        ValueKind::String => v.as_str().unwrap_or_default().to_string(),
        ValueKind::Number => {
            if let Some(i) = v.as_i64() {
                i.to_string()
            } else if let Ok(f) = f64::try_from(v.clone()) {
                crate::emit::goyaml::format_go_float(f)
            } else {
                v.to_string()
            }
        }
        ValueKind::Seq => {
            let items: Vec<String> = v
                .try_iter()
                .map(|it| it.map(|x| go_string(&x)).collect())
                .unwrap_or_default();
            format!("[{}]", items.join(" "))
        }
        ValueKind::Map => {
            let mut parts = Vec::new();
            if let Ok(it) = v.try_iter() {
                for k in it {
                    let val = v.get_item(&k).unwrap_or_default();
                    parts.push(format!("{}:{}", go_string(&k), go_string(&val)));
                }
            }
            format!("map[{}]", parts.join(" "))
        }
        _ => v.to_string(),
    }
}

fn go_kind(v: &Value) -> &'static str {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => "invalid",
        ValueKind::Bool => "bool",
        ValueKind::Number => {
            if v.is_integer() {
                "int64"
            } else {
                "float64"
            }
        }
        ValueKind::String => "string",
        ValueKind::Bytes => "slice",
        ValueKind::Seq => "slice",
        ValueKind::Map => "map",
        _ => "invalid",
    }
}

fn to_int(v: &Value) -> i64 {
    match v.kind() {
        ValueKind::Number => v
            .as_i64()
            .unwrap_or_else(|| f64::try_from(v.clone()).map_or(0, |f| f as i64)),
        ValueKind::Bool => i64::from(v.is_true()),
        ValueKind::String => {
            let s = v.as_str().unwrap_or_default().trim();
            s.parse::<i64>()
                .ok()
                .or_else(|| s.parse::<f64>().ok().map(|f| f as i64))
                .unwrap_or(0)
        }
        _ => 0,
    }
}

fn to_float(v: &Value) -> f64 {
    match v.kind() {
        ValueKind::Number => f64::try_from(v.clone()).unwrap_or(0.0),
        ValueKind::Bool => f64::from(u8::from(v.is_true())),
        ValueKind::String => v.as_str().unwrap_or_default().trim().parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

/// `prefix` and Helm's `indent` of `s`, its size charged to the render's text budget first.
fn budgeted_indent(s: &str, n: usize, prefix: &str) -> Result<String, Error> {
    let lines = s.bytes().filter(|&b| b == b'\n').count() + 1;
    charge_text(lines.saturating_mul(n).saturating_add(s.len()))?;
    Ok(format!("{prefix}{}", indent(s, n)))
}

/// Helm's `indent`: every line, the first included, gets `n` spaces.
pub fn indent(s: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    format!("{pad}{}", s.replace('\n', &format!("\n{pad}")))
}

/// sprig's `trunc`: a negative count keeps the end.
fn trunc(s: &str, n: i64) -> String {
    let chars: Vec<char> = s.chars().collect();
    let len = i64::try_from(chars.len()).unwrap_or(i64::MAX);
    if n < 0 {
        let keep = (-n).min(len);
        let start = usize::try_from(len - keep).unwrap_or(0);
        chars[start..].iter().collect()
    } else if n < len {
        chars[..usize::try_from(n).unwrap_or(0)].iter().collect()
    } else {
        s.to_string()
    }
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = c.is_whitespace() || c == '-' || c == '_';
    }
    out
}

/// Go's `%q` of a string.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn quote(args: &[Value]) -> Value {
    let parts: Vec<String> = args
        .iter()
        .filter(|v| !v.is_undefined() && !v.is_none())
        .map(|v| go_quote(&text(v)))
        .collect();
    Value::from(parts.join(" "))
}

fn squote(args: &[Value]) -> Value {
    let parts: Vec<String> = args
        .iter()
        .filter(|v| !v.is_undefined() && !v.is_none())
        .map(|v| format!("'{}'", text(v)))
        .collect();
    Value::from(parts.join(" "))
}

/// Go's `fmt.Sprintf` for the verbs templates use: `%s %v %d %q %f %t %x %X %o %%`, with
/// flags, width and precision.
pub fn printf(fmt: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    let mut next_arg = args.iter();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.peek() {
            if "-+ 0#".contains(f) {
                flags.push(f);
                chars.next();
            } else {
                break;
            }
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek() {
            if d.is_ascii_digit() {
                width.push(d);
                chars.next();
            } else {
                break;
            }
        }
        let mut precision: Option<usize> = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek() {
                if d.is_ascii_digit() {
                    p.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            match p.parse::<i64>() {
                Ok(n) if n <= crate::gotmpl::fmt::MAX_WIDTH => precision = usize::try_from(n).ok(),
                // Go refuses a precision past its limit and formats without one.
                Ok(_) | Err(_) if !p.is_empty() => out.push_str("%!(BADPREC)"),
                _ => precision = Some(0),
            }
        }
        if width
            .parse::<i64>()
            .map_or(!width.is_empty(), |w| w > crate::gotmpl::fmt::MAX_WIDTH)
        {
            out.push_str("%!(BADWIDTH)");
            width.clear();
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = next_arg.next() else {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        };
        let body = match verb {
            's' | 'v' => {
                let s = go_string(arg);
                match precision {
                    Some(p) if verb == 's' => s.chars().take(p).collect(),
                    _ => s,
                }
            }
            'q' => go_quote(&go_string(arg)),
            'd' => {
                let i = to_int(arg);
                if flags.contains('+') && i >= 0 {
                    format!("+{i}")
                } else {
                    i.to_string()
                }
            }
            'f' | 'F' => format!("{:.*}", precision.unwrap_or(6), to_float(arg)),
            't' => arg.is_true().to_string(),
            'x' => match arg.kind() {
                ValueKind::String => arg
                    .as_str()
                    .unwrap_or_default()
                    .bytes()
                    .map(|b| format!("{b:02x}"))
                    .collect(),
                _ => format!("{:x}", to_int(arg)),
            },
            'X' => format!("{:X}", to_int(arg)),
            'o' => format!("{:o}", to_int(arg)),
            other => format!("%!{other}({})", go_string(arg)),
        };
        let w: usize = width.parse().unwrap_or(0);
        let len = body.chars().count();
        if len < w {
            let pad = w - len;
            if flags.contains('-') {
                out.push_str(&body);
                out.push_str(&" ".repeat(pad));
            } else if flags.contains('0') && matches!(verb, 'd' | 'f' | 'F' | 'x' | 'X' | 'o') {
                let (sign, digits) = match body.strip_prefix('-') {
                    Some(d) => ("-", d.to_string()),
                    None => ("", body.clone()),
                };
                out.push_str(sign);
                out.push_str(&"0".repeat(pad));
                out.push_str(&digits);
            } else {
                out.push_str(&" ".repeat(pad));
                out.push_str(&body);
            }
        } else {
            out.push_str(&body);
        }
    }
    let extra: Vec<String> = next_arg
        .map(|a| format!("{}={}", go_kind(a), go_string(a)))
        .collect();
    if !extra.is_empty() {
        let _ = write!(out, "%!(EXTRA {})", extra.join(", "));
    }
    out
}

/// A template value as JSON (for toYaml, toJson, merge).
pub fn to_json(v: &Value) -> Result<serde_json::Value, Error> {
    Ok(match v.kind() {
        ValueKind::Undefined | ValueKind::None => serde_json::Value::Null,
        ValueKind::Bool => serde_json::Value::Bool(v.is_true()),
        ValueKind::Number => {
            if let Some(i) = v.as_i64() {
                serde_json::Value::from(i)
            } else if let Ok(u) = u64::try_from(v.clone()) {
                serde_json::Value::from(u)
            } else {
                let f = f64::try_from(v.clone()).unwrap_or(0.0);
                serde_json::Number::from_f64(f)
                    .map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
        }
        ValueKind::String => serde_json::Value::String(v.as_str().unwrap_or_default().to_string()),
        ValueKind::Bytes => serde_json::Value::String(
            String::from_utf8_lossy(v.as_bytes().unwrap_or_default()).to_string(),
        ),
        ValueKind::Seq | ValueKind::Iterable => {
            let mut items = Vec::new();
            for x in v.try_iter()? {
                items.push(to_json(&x)?);
            }
            serde_json::Value::Array(items)
        }
        ValueKind::Map => {
            let mut m = serde_json::Map::new();
            for k in v.try_iter()? {
                let val = v.get_item(&k)?;
                if val.is_undefined() {
                    continue;
                }
                m.insert(go_string(&k), to_json(&val)?);
            }
            serde_json::Value::Object(m)
        }
        _ => serde_json::Value::String(v.to_string()),
    })
}

/// JSON as a template value (maps sorted by key, as Go ranges over maps).
pub fn from_json(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::from(()),
        serde_json::Value::Bool(b) => Value::from(*b),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                Value::from(n.as_f64().unwrap_or(0.0))
            }
        }
        serde_json::Value::String(s) => Value::from(s.as_str()),
        serde_json::Value::Array(a) => Value::from(a.iter().map(from_json).collect::<Vec<_>>()),
        serde_json::Value::Object(m) => Value::from(
            m.iter()
                .map(|(k, v)| (k.clone(), from_json(v)))
                .collect::<BTreeMap<String, Value>>(),
        ),
    }
}

fn to_map(v: &Value) -> Result<BTreeMap<String, Value>, Error> {
    let mut m = BTreeMap::new();
    if v.is_undefined() || v.is_none() {
        return Ok(m);
    }
    if v.kind() != ValueKind::Map {
        return Err(err(format!("expected a dict, got {}", go_kind(v))));
    }
    for k in v.try_iter()? {
        let val = v.get_item(&k)?;
        m.insert(go_string(&k), val);
    }
    Ok(m)
}

/// sprig's `merge`: keys of `src` that `dst` lacks are added, maps merged deeply.
fn merge_under(dst: &mut serde_json::Value, src: &serde_json::Value) {
    if let (serde_json::Value::Object(d), serde_json::Value::Object(s)) = (dst, src) {
        for (k, sv) in s {
            match d.get_mut(k) {
                None => {
                    d.insert(k.clone(), sv.clone());
                }
                Some(dv) => merge_under(dv, sv),
            }
        }
    }
}

/// sprig's `mergeOverwrite`: `src` wins, maps merged deeply.
fn merge_over(dst: &mut serde_json::Value, src: &serde_json::Value) {
    match (dst, src) {
        (serde_json::Value::Object(d), serde_json::Value::Object(s)) => {
            for (k, sv) in s {
                match d.get_mut(k) {
                    Some(dv) if dv.is_object() && sv.is_object() => merge_over(dv, sv),
                    _ => {
                        d.insert(k.clone(), sv.clone());
                    }
                }
            }
        }
        (d, s) => *d = s.clone(),
    }
}

fn sorted(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            serde_json::Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sorted(&m[k])))
                    .collect(),
            )
        }
        serde_json::Value::Array(a) => serde_json::Value::Array(a.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// JSON as Go's `encoding/json` writes it: keys sorted, HTML characters escaped.
pub fn write_go_json(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                crate::emit::write_go_json_string(k, out);
                out.push(':');
                write_go_json(&m[k], out);
            }
            out.push('}');
        }
        serde_json::Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_json(x, out);
            }
            out.push(']');
        }
        serde_json::Value::String(s) => crate::emit::write_go_json_string(s, out),
        other => out.push_str(&other.to_string()),
    }
}

/// Helm's `toYaml`: go-yaml v2 output (keys sorted), without the final line break.
pub fn to_yaml(v: &serde_json::Value) -> String {
    let mut out = String::new();
    crate::emit::goyaml::write_document(&crate::emit::from_json(v), &mut out);
    out.strip_suffix('\n').unwrap_or(&out).to_string()
}

fn error_map(msg: &str) -> Value {
    let mut m = BTreeMap::new();
    m.insert("Error".to_string(), Value::from(msg));
    Value::from(m)
}

/// Helm's `fromYaml`: a map, or `{Error: message}` when the text is not YAML.
fn from_yaml(s: &str) -> Value {
    let file = crate::source::SourceFile::new(
        std::path::PathBuf::from("fromYaml"),
        "fromYaml".to_string(),
        s,
    );
    match crate::load::yaml::parse_documents(&file, crate::source::FileId(u32::MAX)) {
        Ok(docs) => match docs.first() {
            Some(d) => from_json(&crate::emit::to_json(d)),
            None => Value::from(BTreeMap::<String, Value>::new()),
        },
        Err(d) => error_map(&d.message),
    }
}

/// `files`: the chart's other files (Helm's `.Files`).
#[derive(Debug)]
pub struct Files {
    pub all: Arc<BTreeMap<String, Vec<u8>>>,
    /// The subset a `glob` selected (`None`: every file).
    pub only: Option<Vec<String>>,
}

impl Files {
    fn names(&self) -> Vec<String> {
        match &self.only {
            Some(o) => o.clone(),
            None => self.all.keys().cloned().collect(),
        }
    }

    fn get(&self, name: &str) -> Option<&Vec<u8>> {
        if let Some(o) = &self.only {
            if !o.iter().any(|n| n == name) {
                return None;
            }
        }
        self.all.get(name)
    }

    fn as_map(&self, f: impl Fn(&[u8]) -> String) -> String {
        let mut m = serde_json::Map::new();
        for n in self.names() {
            if let Some(b) = self.all.get(&n) {
                let base = n.rsplit('/').next().unwrap_or(&n).to_string();
                m.insert(base, serde_json::Value::String(f(b)));
            }
        }
        if m.is_empty() {
            return String::new();
        }
        to_yaml(&serde_json::Value::Object(m))
    }
}

impl Object for Files {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let b = self.get(key.as_str()?)?;
        Some(Value::from(String::from_utf8_lossy(b).to_string()))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.names().into_iter().map(Value::from).collect())
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &mut State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        let arg = |i: usize| -> Result<String, Error> {
            args.get(i)
                .and_then(|v| v.as_str().map(str::to_string))
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::MissingArgument,
                        format!("files.{method} needs a path"),
                    )
                })
        };
        match method {
            "get" => Ok(Value::from(
                self.get(&arg(0)?)
                    .map(|b| String::from_utf8_lossy(b).to_string())
                    .unwrap_or_default(),
            )),
            "getBytes" => Ok(Value::from_bytes(self.get(&arg(0)?).cloned().unwrap_or_default())),
            "glob" => {
                let re = glob_regex(&arg(0)?);
                let only = self
                    .names()
                    .into_iter()
                    .filter(|n| re.as_ref().is_none_or(|re| re.is_match(n)))
                    .collect();
                Ok(Value::from_object(Files {
                    all: self.all.clone(),
                    only: Some(only),
                }))
            }
            "lines" => {
                let Some(b) = self.get(&arg(0)?) else {
                    return Ok(Value::from(Vec::<Value>::new()));
                };
                let s = String::from_utf8_lossy(b);
                let s = s.strip_suffix('\n').unwrap_or(&s);
                Ok(Value::from(s.split('\n').map(Value::from).collect::<Vec<_>>()))
            }
            "asConfig" => Ok(Value::from(self.as_map(|b| String::from_utf8_lossy(b).to_string()))),
            "asSecrets" => Ok(Value::from(
                self.as_map(|b| base64::engine::general_purpose::STANDARD.encode(b)),
            )),
            _ => Err(Error::new(
                ErrorKind::UnknownMethod,
                format!("files has no method {method:?} (get, getBytes, glob, lines, asConfig, asSecrets)"),
            )),
        }
    }
}

/// A glob as gobwas/glob reads it with `/` as separator: `*` and `?` stay within a path
/// segment, `**` crosses segments, `[...]` and `{a,b}` as usual.
pub fn glob_regex(pattern: &str) -> Option<regex::Regex> {
    let mut re = String::from("^");
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    let mut in_alt = false;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '*' if chars.get(i + 1) == Some(&'*') => {
                re.push_str(".*");
                i += 1;
            }
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            '[' => {
                let mut j = i + 1;
                let mut class = String::from("[");
                if chars.get(j) == Some(&'!') {
                    class.push('^');
                    j += 1;
                }
                while j < chars.len() && chars[j] != ']' {
                    if chars[j] == '\\' || chars[j] == '[' {
                        class.push('\\');
                    }
                    class.push(chars[j]);
                    j += 1;
                }
                class.push(']');
                re.push_str(&class);
                i = j;
            }
            '{' => {
                re.push_str("(?:");
                in_alt = true;
            }
            '}' if in_alt => {
                re.push(')');
                in_alt = false;
            }
            ',' if in_alt => re.push('|'),
            '\\' => {
                if let Some(n) = chars.get(i + 1) {
                    re.push_str(&regex::escape(&n.to_string()));
                    i += 1;
                }
            }
            c => re.push_str(&regex::escape(&c.to_string())),
        }
        i += 1;
    }
    re.push('$');
    // An unreadable pattern matches everything, as Helm falls back to `**`.
    regex::Regex::new(&re).ok()
}

/// `capabilities.apiVersions`: a list with a `has` method.
#[derive(Debug)]
pub struct ApiVersions(pub Vec<String>);

impl Object for ApiVersions {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let i = key.as_usize()?;
        self.0.get(i).map(|s| Value::from(s.as_str()))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.len())
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &mut State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        match method {
            "has" => {
                let want = args.first().and_then(|v| v.as_str()).unwrap_or_default();
                Ok(Value::from(self.0.iter().any(|v| v == want)))
            }
            _ => Err(Error::new(
                ErrorKind::UnknownMethod,
                format!("apiVersions has no method {method:?} (has)"),
            )),
        }
    }
}
