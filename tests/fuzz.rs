//! Property test over the YAML loader and the kustomization reader: arbitrary input gives a
//! result or a diagnostic, never a panic. Seeds of inputs that once broke things live below.

// Tests report what they compared on the console.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use proptest::prelude::*;

use kit::load::yaml::parse_documents;
use kit::source::SourceFile;

fn parse(text: &str) {
    let sources = kit::source::SourceMap::new();
    let id = sources.add(std::path::Path::new("fuzz.yaml"), text.into());
    let file = SourceFile::new("fuzz.yaml".into(), "fuzz.yaml".into(), text.into());
    if let Ok(docs) = parse_documents(&file, id) {
        for doc in &docs {
            let _ = kit::resolve::kustomization::Kustomization::from_node(
                doc,
                std::path::Path::new("kustomization.yaml"),
                &sources,
            );
            let mut out = String::new();
            kit::emit::goyaml::write_document(doc, &mut out);
        }
        let _ = kit::load::resources_from_docs(&docs);
    }
}

const SEEDS: &[&str] = &[
    "",
    "---",
    "- a\n- b",
    "a: &x [*x]",
    "a: *nope",
    "? [a]\n: b",
    "a: b\na: c",
    "\tkey: v",
    "a:\n  - b\n - c",
    "kind: List\nitems: 3",
    "a: \"\\u00e9\\U0001F600\"",
    "'\n",
    "resources: {a: b}",
    "labels: [{pairs: 3}]",
    "replicas: [{name: x, count: x}]",
    "sortOptions: {order: legacy, legacySortOptions: 3}",
    "a: !!int x",
    "%YAML 1.2\n---\na: b",
    "a: |\n  x\n b",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
];

#[test]
fn seeds_do_not_panic() {
    for s in SEEDS {
        parse(s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn arbitrary_text_does_not_panic(s in "\\PC{0,200}") {
        parse(&s);
    }

    #[test]
    fn yaml_like_text_does_not_panic(s in "([a-z:\\-\\[\\]{}&*!|>'\" \\n\\t#,?%@0-9.]){0,300}") {
        parse(&s);
    }
}
