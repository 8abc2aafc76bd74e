//! The rule registry: every rule has docs, examples and a check; its bad example fires and
//! its good example does not (snapshotted); docs/rules.md is fresh.

mod common;

use std::collections::HashSet;
use std::path::Path;

use kit::lint::{self, registry, Selection};
use kit::load::{self, Loader};

/// Lints `text` (as a file named `name`) with only `rule` enabled; one line per finding.
fn lint_one(rule: &str, name: &str, text: &str) -> Vec<String> {
    let loader = Loader::new();
    let loaded = loader
        .load_text(Path::new(name), text.to_string())
        .unwrap_or_else(|d| panic!("{name}: {}", d.one_line(&loader.sources)));
    let resources = load::resources_from_docs(&loaded.docs)
        .unwrap_or_else(|d| panic!("{name}: {}", d.one_line(&loader.sources)));
    let mut findings = lint::lint(&resources, &Selection::only([rule]), kit::schema::newest());
    lint::sort_and_dedup(&mut findings, &loader.sources);
    common::finding_lines(&findings, &loader.sources)
}

#[test]
fn registry_parses_and_binds_every_check() {
    assert!(
        lint::registry::registry_error().is_none(),
        "{:?}",
        lint::registry::registry_error()
    );
    let reg = registry();
    assert!(reg.rules.len() >= 50, "{} rules", reg.rules.len());
    let ids: HashSet<&str> = reg.rules.iter().map(|r| r.id.as_str()).collect();
    let names: HashSet<&str> = reg.rules.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(ids.len(), reg.rules.len(), "duplicate rule ids");
    assert_eq!(names.len(), reg.rules.len(), "duplicate rule names");
    for (id, _) in lint::registry::CHECKS {
        assert!(
            ids.contains(id),
            "CHECKS binds {id}, which rules.yaml does not define"
        );
    }
}

#[test]
fn every_rule_has_docs_and_examples() {
    for r in &registry().rules {
        let id = &r.id;
        assert!(id.starts_with("KIT-"), "{id}: ids start with KIT-");
        assert!(
            !r.name.is_empty()
                && r.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{id}: name must be kebab-case"
        );
        for (field, text) in [
            ("summary", &r.summary),
            ("why", &r.why),
            ("fix", &r.fix),
            ("bad", &r.bad),
            ("good", &r.good),
            ("category", &r.category),
        ] {
            assert!(!text.trim().is_empty(), "{id}: `{field}` is empty");
        }
        assert!(!r.applies_to.is_empty(), "{id}: `applies-to` is empty");
    }
}

#[test]
fn bad_examples_fire_and_good_examples_do_not() {
    let mut failures = Vec::new();
    for r in &registry().rules {
        let bad = lint_one(&r.id, &format!("{}.bad.yaml", r.name), &r.bad);
        let good = lint_one(&r.id, &format!("{}.good.yaml", r.name), &r.good);
        if bad.is_empty() {
            failures.push(format!("{}: the bad example does not fire", r.id));
        }
        if !good.is_empty() {
            failures.push(format!("{}: the good example fires: {good:?}", r.id));
        }
        insta::with_settings!({
            snapshot_path => "snapshots/lint",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(r.id.clone(), bad.join("\n"));
        });
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rules_reference_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let committed = std::fs::read_to_string(root.join("docs/rules.md")).unwrap_or_default();
    if std::env::var_os("KIT_UPDATE").is_some() {
        std::fs::create_dir_all(root.join("docs")).expect("mkdir docs");
        std::fs::write(root.join("docs/rules.md"), lint::docs::markdown()).expect("write");
        return;
    }
    assert!(
        committed == lint::docs::markdown(),
        "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md` (or KIT_UPDATE=1 cargo test --test lint)"
    );
}
