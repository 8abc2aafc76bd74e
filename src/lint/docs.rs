//! Rule documentation from the registry: `kit explain`, `kit rules` and `docs/rules.md`.

use std::fmt::Write;

use super::policy::{self, POLICIES};
use super::{registry, Rule};
use crate::report::severity_name;

fn peers(rule: &Rule) -> (String, String) {
    let join = |v: &[String]| {
        if v.is_empty() {
            "-".to_string()
        } else {
            v.join(", ")
        }
    };
    (join(&rule.kube_score), join(&rule.kube_linter))
}

/// The full docs of one rule, as `kit explain` prints them.
pub fn explain(rule: &Rule) -> String {
    let (ks, kl) = peers(rule);
    let mut s = String::new();
    let _ = writeln!(s, "{} {}: {}", rule.id, rule.name, rule.summary);
    let _ = writeln!(
        s,
        "severity: {}   category: {}   enabled by default: {}",
        severity_name(rule.severity),
        rule.category,
        if rule.enabled { "yes" } else { "no" }
    );
    let _ = writeln!(s, "applies to: {}", rule.applies_to.join(", "));
    let _ = writeln!(s, "kube-score: {ks}   kube-linter: {kl}");
    let _ = writeln!(s, "\nWhy\n{}", indent(&rule.why));
    let _ = writeln!(s, "\nHow to fix\n{}", indent(&rule.fix));
    let _ = writeln!(s, "\nExample (flagged)\n{}", indent(&rule.bad));
    let _ = writeln!(s, "Instead\n{}", indent(&rule.good));
    let _ = write!(
        s,
        "Silence it on one object with the annotation `kit.io/ignore: {}`.",
        rule.name
    );
    s
}

pub fn indent(text: &str) -> String {
    text.trim_end()
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The `kit rules` table.
pub fn table() -> String {
    let reg = registry();
    let w_name = reg.rules.iter().map(|r| r.name.len()).max().unwrap_or(4);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<11} {:<w_name$} {:<8} {:<13} {:<3} SUMMARY",
        "ID", "NAME", "SEVERITY", "CATEGORY", "ON"
    );
    for r in &reg.rules {
        let _ = writeln!(
            s,
            "{:<11} {:<w_name$} {:<8} {:<13} {:<3} {}",
            r.id,
            r.name,
            severity_name(r.severity),
            r.category,
            if r.enabled { "yes" } else { "no" },
            r.summary
        );
    }
    s
}

/// `docs/rules.md`: the rule reference and the peer mapping table.
pub fn markdown() -> String {
    let reg = registry();
    let mut s = String::new();
    s.push_str("# kit lint rules\n\n");
    s.push_str(
        "Generated from `src/lint/rules.yaml` by `kit rules --format markdown`; \
         `cargo test` fails when this file is stale.\n\n",
    );
    s.push_str("Silence a rule on one object with `kit.io/ignore: <name or id>[, ...]` in its annotations \
(kube-score's `kube-score/ignore` and kube-linter's `ignore-check.kube-linter.io/<check>` work too).\n\n");
    s.push_str("## Rules\n\n| ID | Name | Severity | Category | On by default | kube-score | kube-linter |\n|---|---|---|---|---|---|---|\n");
    for r in &reg.rules {
        let (ks, kl) = peers(r);
        let _ = writeln!(
            s,
            "| [{}](#{}) | {} | {} | {} | {} | {} | {} |",
            r.id,
            r.id.to_ascii_lowercase(),
            r.name,
            severity_name(r.severity),
            r.category,
            if r.enabled { "yes" } else { "no" },
            ks,
            kl
        );
    }
    s.push_str("\n## Policies\n\n`--policy NAME` selects a built-in pack (`policies/`):\n\n");
    for (name, text) in POLICIES {
        let desc = policy::parse(name, text)
            .map(|p| p.description)
            .unwrap_or_default();
        let _ = writeln!(s, "- `{name}`: {desc}");
    }
    for r in &reg.rules {
        let (ks, kl) = peers(r);
        let _ = write!(
            s,
            "\n## {}\n\n**{}**: {}\n\nSeverity {}, category {}, {} by default. Applies to: {}. \
             kube-score: {ks}. kube-linter: {kl}.\n\n### Why\n\n{}\n\n### How to fix\n\n{}\n\n\
             ### Flagged\n\n```yaml\n{}```\n\n### Instead\n\n```yaml\n{}```\n",
            r.id,
            r.name,
            r.summary,
            severity_name(r.severity),
            r.category,
            if r.enabled { "on" } else { "off" },
            r.applies_to.join(", "),
            r.why,
            r.fix,
            r.bad,
            r.good
        );
    }
    s
}
