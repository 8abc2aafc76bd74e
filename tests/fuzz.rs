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

/// Validation over arbitrary values under real kinds: a result, never a panic.
fn validate_any(text: &str) {
    let loader = kit::load::Loader::new();
    let Ok(loaded) = loader.load_text(std::path::Path::new("fuzz.yaml"), text.to_string()) else {
        return;
    };
    let Ok(resources) = kit::load::resources_from_docs(&loaded.docs) else {
        return;
    };
    let mut crds = kit::validate::CrdSet::default();
    resources.iter().for_each(|r| crds.add(r));
    let options = kit::validate::Options {
        strict: true,
        ignore_missing_schemas: false,
    };
    for v in ["1.30", "1.37"] {
        let k = kit::schema::kubernetes(v).expect("shipped");
        let _ =
            kit::validate::Validator::new(k, &crds, &options, &loader.sources).validate(&resources);
    }
}

fn value_strategy() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("-1".to_string()),
        Just("99999999999".to_string()),
        Just(".nan".to_string()),
        Just("\"1Gi\"".to_string()),
        Just("\"é/x\"".to_string()),
        "[a-zA-Z0-9_./:-]{0,12}".prop_map(|s| format!("{s:?}")),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        let keys = prop_oneof![
            Just("name".to_string()),
            Just("containers".to_string()),
            Just("ports".to_string()),
            Just("labels".to_string()),
            Just("resources".to_string()),
            Just("limits".to_string()),
            Just("selector".to_string()),
            Just("template".to_string()),
            Just("spec".to_string()),
            Just("metadata".to_string()),
            Just("openAPIV3Schema".to_string()),
            Just("versions".to_string()),
            "[a-z]{1,6}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec((keys, inner), 0..4).prop_map(|kv| {
                let body: Vec<String> =
                    kv.into_iter().map(|(k, v)| format!("{k:?}: {v}")).collect();
                format!("{{{}}}", body.join(", "))
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn validation_never_panics(
        kind in prop_oneof![
            Just(("v1", "Pod")), Just(("apps/v1", "Deployment")), Just(("v1", "Service")),
            Just(("apps/v1", "StatefulSet")), Just(("apiextensions.k8s.io/v1", "CustomResourceDefinition")),
            Just(("example.com/v1", "Widget")), Just(("policy/v1beta1", "PodSecurityPolicy")),
        ],
        spec in value_strategy(),
        meta in value_strategy(),
    ) {
        validate_any(&format!("apiVersion: {}\nkind: {}\nmetadata: {meta}\nspec: {spec}\n", kind.0, kind.1));
    }
}
