//! Legacy `vars`: `$(NAME)` in the fields of the `varReference` specs is replaced by a field
//! of a named object, as kustomize v5 still does (replacements are the successor).
//!
//! Three steps, as kustomize splits them: each layer declares its vars after its transformers
//! ran and marks the object each var names ([`declare`]); bases hand their vars up
//! ([`merge_set`]); the root, once names are final, reads every var's value and substitutes it
//! ([`resolve`]).

use std::collections::BTreeMap;

use crate::diag::{Diag, Result};
use crate::model::{Gvk, Node, ResId, Resource, Value};
use crate::resolve::kustomization::check_fields;
use crate::source::Origin;
use crate::transform::fieldspec::FieldSpec;
use crate::transform::replacements;

/// kustomize's default `fieldref.fieldPath`.
const DEFAULT_FIELD_PATH: &str = "metadata.name";

/// One `vars` entry: a name, the object it reads (by its name as written, before prefixes
/// and suffixes) and the field.
#[derive(Clone, Debug)]
pub struct Var {
    pub name: String,
    pub target: Gvk,
    pub target_name: String,
    pub target_namespace: String,
    pub field_path: String,
    pub origin: Option<Origin>,
}

impl Var {
    /// Reads a `vars` entry: `name`, `objref` (apiVersion or group/version, kind, name,
    /// namespace) and `fieldref.fieldPath`. Keys match case-insensitively, as kustomize's
    /// JSON decoding does.
    pub fn from_node(node: &Node) -> Result<Var> {
        let bad = |msg: &str, origin| {
            Diag::error("kit::kustomization::vars", msg.to_string())
                .at(origin)
                .help("write `- name: VAR` with `objref: {kind, name, apiVersion}` and optionally `fieldref: {fieldPath: ...}`")
        };
        if node.as_map().is_none() {
            return Err(bad("a `vars` entry must be a mapping", node.origin));
        }
        check_fields(node, "vars", &["name", "objref", "fieldref"])?;
        let name = text_ci(node, "name")?;
        if name.is_empty() {
            return Err(bad("a var needs a `name`", node.origin));
        }
        let objref = get_ci(node, "objref");
        let mut target = Gvk::default();
        let (mut target_name, mut target_namespace) = (String::new(), String::new());
        if let Some(objref) = objref {
            check_fields(
                objref,
                "vars.objref",
                &[
                    "apiVersion",
                    "group",
                    "version",
                    "kind",
                    "name",
                    "namespace",
                ],
            )?;
            target.group = text_ci(objref, "group")?;
            target.version = text_ci(objref, "version")?;
            target.kind = text_ci(objref, "kind")?;
            target_name = text_ci(objref, "name")?;
            target_namespace = text_ci(objref, "namespace")?;
            // kustomize's Target.GVK: an apiVersion overrides group and version; a bare
            // version keeps the group as written.
            let api_version = text_ci(objref, "apiVersion")?;
            match api_version.split('/').collect::<Vec<_>>().as_slice() {
                [""] => {}
                [group, version] => {
                    target.group = group.to_string();
                    target.version = version.to_string();
                }
                [version] => target.version = version.to_string(),
                _ => {}
            }
        }
        let mut field_path = match get_ci(node, "fieldref") {
            Some(f) => {
                check_fields(f, "vars.fieldref", &["fieldPath"])?;
                text_ci(f, "fieldPath")?
            }
            None => String::new(),
        };
        if field_path.is_empty() {
            field_path = DEFAULT_FIELD_PATH.to_string();
        }
        Ok(Var {
            name,
            target,
            target_name,
            target_namespace,
            field_path,
            origin: node.origin,
        })
    }

    fn describe(&self) -> String {
        format!(
            "{} ({} {})",
            self.name,
            self.target.kustomize_string(),
            self.target_name
        )
    }
}

fn get_ci<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    node.as_map()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
        .filter(|v| !v.is_null())
}

fn text_ci(node: &Node, key: &str) -> Result<String> {
    match get_ci(node, key) {
        None => Ok(String::new()),
        Some(v) => match &v.value {
            Value::Map(_) | Value::Seq(_) => Err(Diag::error(
                "kit::kustomization::type",
                format!("`{key}` must be a string"),
            )
            .at(v.origin)),
            _ => Ok(v.scalar_text().unwrap_or_default()),
        },
    }
}

/// kustomize's `VarSet.Merge`: adds vars, refusing a name already present. `via` is the
/// `resources` entry that brought `incoming` from a base (the place to report), if any.
pub fn merge_set(set: &mut Vec<Var>, incoming: &[Var], via: Option<Origin>) -> Result<()> {
    for v in incoming {
        if let Some(first) = set.iter().find(|s| s.name == v.name) {
            let d = Diag::error(
                "kit::vars::duplicate",
                format!("var '{}' already encountered", v.name),
            );
            return Err(match via {
                Some(_) => d
                    .at(via)
                    .label("this base declares it again (perhaps both bases include the same base)")
                    .help(format!(
                        "var names must be unique across a build; {} is declared twice; rename one, or include the base that declares it once",
                        first.describe()
                    )),
                None => d.at(v.origin).label("declared again here").help(format!(
                    "var names must be unique across a build; {} is already declared by a base; rename one",
                    first.describe()
                )),
            });
        }
        set.push(v.clone());
    }
    Ok(())
}

/// kustomize's `MergeVars`: marks the one resource each of this layer's vars names (by any
/// of its ids, so the name as written before prefixes works), then adds the vars to the set.
pub fn declare(resources: &mut [Resource], set: &mut Vec<Var>, incoming: &[Var]) -> Result<()> {
    for v in incoming {
        let wanted = ResId {
            gvk: v.target.clone(),
            namespace: v.target_namespace.clone(),
            name: v.target_name.clone(),
        };
        // An empty namespace searches every namespace (kustomize keeps this for
        // compatibility), unless the kind is cluster-scoped.
        let with_namespace = !wanted.namespace.is_empty() || wanted.gvk.is_cluster_scoped();
        let matches = |id: &ResId| {
            if with_namespace {
                wanted.same_as(id)
            } else {
                wanted.gvk == id.gvk && wanted.name == id.name
            }
        };
        let matched: Vec<usize> = resources
            .iter()
            .enumerate()
            .filter(|(_, r)| r.any_id_matches(matches))
            .map(|(i, _)| i)
            .collect();
        match matched.as_slice() {
            [one] => resources[*one].ref_var_names.push(v.name.clone()),
            [] => {}
            many => {
                return Err(Diag::error(
                    "kit::vars::ambiguous",
                    format!(
                        "found {} resId matches for var {} (unable to disambiguate)",
                        many.len(),
                        v.describe()
                    ),
                )
                .at(v.origin)
                .help("add `namespace:` to the var's objref to pick one object"))
            }
        }
    }
    merge_set(set, incoming, None)
}

/// A var's value as kustomize reads it (`GetFieldValue`): scalars keep their type; maps and
/// lists cannot be substituted and leave `$(NAME)` in place.
#[derive(Clone, Debug)]
enum VarValue {
    Scalar(Value),
    Structured,
}

/// kustomize's `ResolveVars`: reads every var's value from the object marked for it, then
/// replaces `$(NAME)` in the fields of `specs`. Returns warnings (vars never used).
pub fn resolve(resources: &mut [Resource], set: &[Var], specs: &[FieldSpec]) -> Result<Vec<Diag>> {
    if set.is_empty() {
        return Ok(Vec::new());
    }
    let mut sorted: Vec<&Var> = set.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let mut values: BTreeMap<String, VarValue> = BTreeMap::new();
    for v in &sorted {
        values.insert(v.name.clone(), value_of(resources, v)?);
    }
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    for res in resources.iter_mut() {
        let gvk = res.gvk();
        for spec in specs.iter().filter(|s| s.matches(&gvk)) {
            spec.apply(&mut res.node, None, None, &mut |node| {
                substitute_in(node, &values, &mut used)
            })?;
        }
    }
    let unused: Vec<&str> = sorted
        .iter()
        .map(|v| v.name.as_str())
        .filter(|n| !used.contains_key(*n))
        .collect();
    if unused.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![Diag::warning(
        "kit::vars::unused",
        format!(
            "well-defined vars that were never replaced: {}",
            unused.join(",")
        ),
    )
    .at(set.iter().find(|v| v.name == unused[0]).and_then(|v| v.origin))
    .help("a var is substituted only in the fields of the varReference field specs; add a `configurations:` entry for other fields, or remove the var")])
}

fn value_of(resources: &[Resource], v: &Var) -> Result<VarValue> {
    let Some(res) = resources.iter().find(|r| r.ref_var_names.contains(&v.name)) else {
        return Err(Diag::error(
            "kit::vars::unmatched",
            format!(
                "var '{}' cannot be mapped to a field in the set of known resources",
                v.describe()
            ),
        )
        .at(v.origin)
        .help("the objref must name an object of this kustomization or its bases by kind, apiVersion and name as written (before prefixes)"));
    };
    let missing = || {
        Diag::error(
            "kit::vars::field-missing",
            format!(
                "field '{}' specified in var '{}' not found in corresponding resource",
                v.field_path,
                v.describe()
            ),
        )
        .at(v.origin)
        .help("fix `fieldref.fieldPath` (dot-separated, e.g. `spec.ports[0].port`)")
    };
    let path = convert_slice_index(replacements::split_field_path(&v.field_path));
    let node = match replacements::lookup(&res.node, &path) {
        Ok(Some(n)) => n,
        Ok(None) | Err(_) => return Err(missing()),
    };
    Ok(match &node.value {
        Value::Map(_) | Value::Seq(_) => VarValue::Structured,
        other => VarValue::Scalar(other.clone()),
    })
}

/// kyaml's `convertSliceIndex`: `ports[1]` becomes `ports`, `1`.
fn convert_slice_index(fields: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(fields.len());
    for f in fields {
        let split = f.strip_suffix(']').and_then(|body| {
            let open = body.rfind('[')?;
            let index = &body[open + 1..];
            (!index.is_empty() && index.bytes().all(|b| b.is_ascii_digit()))
                .then(|| (body[..open].to_string(), index.to_string()))
        });
        match split {
            Some((field, index)) => {
                if !field.is_empty() {
                    out.push(field);
                }
                out.push(index);
            }
            None => out.push(f),
        }
    }
    out
}

/// kustomize's refvar filter on one reached node: string scalars, the string values of a
/// mapping, or a list that must hold only strings.
fn substitute_in(
    node: &mut Node,
    values: &BTreeMap<String, VarValue>,
    used: &mut BTreeMap<String, usize>,
) -> Result<()> {
    match &mut node.value {
        Value::Null => Ok(()),
        Value::Str(_) => {
            substitute_scalar(node, values, used);
            Ok(())
        }
        Value::Map(entries) => {
            for (_, v) in entries.iter_mut() {
                if matches!(v.value, Value::Str(_)) {
                    substitute_scalar(v, values, used);
                }
            }
            Ok(())
        }
        Value::Seq(items) => {
            for item in items.iter_mut() {
                if !matches!(item.value, Value::Str(_)) {
                    return Err(Diag::error(
                        "kit::vars::not-a-string",
                        "invalid value type expect a string",
                    )
                    .at(item.origin)
                    .help(
                        "with vars declared, every item of this list must be a string; quote it",
                    ));
                }
                substitute_scalar(item, values, used);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn substitute_scalar(
    node: &mut Node,
    values: &BTreeMap<String, VarValue>,
    used: &mut BTreeMap<String, usize>,
) {
    let Value::Str(text) = &node.value else {
        return;
    };
    let mut lookup = |name: &str| -> Option<Value> {
        match values.get(name) {
            Some(VarValue::Scalar(v)) => {
                *used.entry(name.to_string()).or_default() += 1;
                Some(v.clone())
            }
            Some(VarValue::Structured) | None => None,
        }
    };
    if let Some(value) = expand(text, &mut lookup) {
        node.value = value;
    }
}

/// kustomize's `DoReplacements`: `$(NAME)` becomes the var's value (keeping its type when
/// it is the whole string), `$$` becomes `$`, anything else stays. `None` when unchanged.
fn expand(input: &str, lookup: &mut dyn FnMut(&str) -> Option<Value>) -> Option<Value> {
    if !input.contains('$') {
        return None;
    }
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let Some(next) = after.chars().next() else {
            // A trailing `$` is copied as is.
            out.push('$');
            rest = after;
            break;
        };
        match next {
            '$' => {
                out.push('$');
                rest = &after[1..];
            }
            '(' => match after.find(')') {
                Some(close) => {
                    let name = &after[1..close];
                    let value = lookup(name);
                    if input.len() == name.len() + 3 {
                        // The whole string is `$(NAME)`: the value keeps its type.
                        return Some(value.unwrap_or_else(|| Value::Str(input.to_string())));
                    }
                    match value {
                        Some(v) => out.push_str(&go_format(&v)),
                        None => {
                            out.push_str("$(");
                            out.push_str(name);
                            out.push(')');
                        }
                    }
                    rest = &after[close + 1..];
                }
                None => {
                    out.push_str("$(");
                    rest = &after[1..];
                }
            },
            other => {
                out.push('$');
                out.push(other);
                rest = &after[other.len_utf8()..];
            }
        }
    }
    out.push_str(rest);
    Some(Value::Str(out))
}

/// Go's `fmt.Sprintf("%v", v)` of a scalar var value.
fn go_format(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".to_string(),
        _ => Node::new(v.clone(), None).scalar_text().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str, vars: &[(&str, Value)]) -> Option<Value> {
        let mut lookup = |name: &str| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
        };
        expand(input, &mut lookup)
    }

    fn text(v: Option<Value>) -> String {
        match v {
            Some(Value::Str(s)) => s,
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn expands_as_kustomize_does() {
        let vars = [
            ("A", Value::Str("x".into())),
            ("N", Value::Int(8080)),
            ("B", Value::Bool(true)),
        ];
        assert_eq!(text(run("$(A)-$(A)", &vars)), "x-x");
        assert_eq!(text(run("$$(A)", &vars)), "$(A)");
        assert_eq!(text(run("$(MISSING) $(A)", &vars)), "$(MISSING) x");
        assert_eq!(text(run("cost $5 $", &vars)), "cost $5 $");
        assert_eq!(text(run("$(A", &vars)), "$(A");
        assert_eq!(text(run("port=$(N)", &vars)), "port=8080");
        assert!(matches!(run("$(N)", &vars), Some(Value::Int(8080))));
        assert!(matches!(run("$(B)", &vars), Some(Value::Bool(true))));
        assert!(run("no vars", &vars).is_none());
        assert_eq!(text(run("é$(A)é", &vars)), "éxé");
    }

    #[test]
    fn slice_indexes_split() {
        let got = convert_slice_index(vec![
            "spec".into(),
            "ports[1]".into(),
            "[0]".into(),
            "a[x]".into(),
        ]);
        assert_eq!(got, ["spec", "ports", "1", "0", "a[x]"]);
    }
}
