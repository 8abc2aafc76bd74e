//! Built-in policy packs (`policies/*.yaml`, embedded): named selections of rules, with
//! `extends` to build on another pack. `--enable` and `--disable` apply on top.

use std::path::PathBuf;

use super::{registry, Selection};
use crate::diag::Diag;
use crate::source::{FileId, SourceFile};

/// (name, YAML) of every built-in pack.
pub const POLICIES: &[(&str, &str)] = &[
    ("default", include_str!("../../policies/default.yaml")),
    ("production", include_str!("../../policies/production.yaml")),
    (
        "pod-security-baseline",
        include_str!("../../policies/pod-security-baseline.yaml"),
    ),
    (
        "pod-security-restricted",
        include_str!("../../policies/pod-security-restricted.yaml"),
    ),
    ("all", include_str!("../../policies/all.yaml")),
];

/// One parsed pack.
pub struct Policy {
    pub name: String,
    pub description: String,
    pub extends: Option<String>,
    pub enable: Vec<String>,
    pub disable: Vec<String>,
}

pub fn parse(name: &str, text: &str) -> Result<Policy, Diag> {
    let path = format!("policies/{name}.yaml");
    let file = SourceFile::new(PathBuf::from(&path), path.clone(), text);
    let docs = crate::load::yaml::parse_documents(&file, FileId(u32::MAX))?;
    let doc = docs
        .first()
        .filter(|d| d.as_map().is_some())
        .ok_or_else(|| Diag::error("kit::lint::policy", format!("{path} is not a mapping")))?;
    let list = |key: &str| doc.scalars_at(&[key]);
    Ok(Policy {
        name: doc.get_str("name").unwrap_or(name).to_string(),
        description: doc.get_str("description").unwrap_or("").to_string(),
        extends: doc.get_str("extends").map(str::to_string),
        enable: list("enable"),
        disable: list("disable"),
    })
}

pub(super) fn unknown_rule(key: &str, place: &str) -> Diag {
    let reg = registry();
    let close = reg
        .rules
        .iter()
        .find(|r| r.name.contains(key) || key.contains(r.name.as_str()))
        .map(|r| format!("did you mean `{}` ({})? ", r.name, r.id))
        .unwrap_or_default();
    Diag::error(
        "kit::lint::unknown-rule",
        format!("unknown rule `{key}` in {place}"),
    )
    .help(format!("{close}`kit rules` lists every rule id and name"))
}

fn apply(selection: &mut Selection, keys: &[String], on: bool, place: &str) -> Result<(), Diag> {
    let reg = registry();
    for key in keys {
        if key == "all" {
            for r in &reg.rules {
                if on {
                    selection.enabled.insert(r.id.as_str());
                } else {
                    selection.enabled.remove(r.id.as_str());
                }
            }
            continue;
        }
        let rule = reg.find(key).ok_or_else(|| unknown_rule(key, place))?;
        if on {
            selection.enabled.insert(rule.id.as_str());
        } else {
            selection.enabled.remove(rule.id.as_str());
        }
    }
    Ok(())
}

fn policy_selection(name: &str, depth: usize) -> Result<Selection, Diag> {
    let Some((_, text)) = POLICIES.iter().find(|(n, _)| *n == name) else {
        let names: Vec<&str> = POLICIES.iter().map(|(n, _)| *n).collect();
        return Err(Diag::error(
            "kit::lint::unknown-policy",
            format!("unknown policy `{name}`"),
        )
        .help(format!("built-in policies: {}", names.join(", "))));
    };
    let policy = parse(name, text)?;
    let mut selection = match (&policy.extends, name) {
        (_, "default") => Selection::defaults(),
        (Some(base), _) if depth < 8 => policy_selection(base, depth + 1)?,
        _ => Selection::default(),
    };
    let place = format!("policy `{name}`");
    apply(&mut selection, &policy.enable, true, &place)?;
    apply(&mut selection, &policy.disable, false, &place)?;
    Ok(selection)
}

/// Rules a layer of settings turns on and off.
pub struct Layer<'a> {
    pub enable: &'a [String],
    pub disable: &'a [String],
    /// Where the layer was written, for messages.
    pub place: &'a str,
}

/// The rules to run: the policy's (default: `default`), then `--enable`, then `--disable`
/// (a rule in both is disabled). `--disable all` applies first, so `--disable all --enable X`
/// runs X alone.
pub fn resolve(
    policy: Option<&str>,
    enable: &[String],
    disable: &[String],
) -> Result<Selection, Diag> {
    resolve_layers(
        policy,
        &[Layer {
            enable,
            disable,
            place: "the command line",
        }],
    )
}

/// The policy's rules, then each layer in order, read as [`resolve`] reads the command line.
pub fn resolve_layers(policy: Option<&str>, layers: &[Layer]) -> Result<Selection, Diag> {
    let mut selection = policy_selection(policy.unwrap_or("default"), 0)?;
    for layer in layers {
        let (all, specific): (Vec<String>, Vec<String>) =
            layer.disable.iter().cloned().partition(|k| k == "all");
        apply(&mut selection, &all, false, layer.place)?;
        apply(&mut selection, layer.enable, true, layer.place)?;
        apply(&mut selection, &specific, false, layer.place)?;
    }
    Ok(selection)
}
