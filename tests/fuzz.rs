//! Property test over the YAML loader and the kustomization reader: arbitrary input gives a
//! result or a diagnostic, never a panic. Seeds of inputs that once broke things live below.

// Tests report what they compared on the console.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use proptest::prelude::*;

use kit::load::yaml::parse_documents;
use kit::source::SourceFile;

fn parse(text: &str) {
    let sources = kit::source::SourceMap::new();
    let id = sources.add(std::path::Path::new("fuzz.yaml"), text);
    let file = SourceFile::new("fuzz.yaml".into(), "fuzz.yaml".into(), text);
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

// ---------------------------------------------------------------------------------------
// Charts: the chart loader and both template engines on generated templates, values and
// Chart.yaml files. Cases per property: `KIT_FUZZ_CASES` (default below), seed:
// `KIT_FUZZ_SEED` (default fixed, so that a failure replays). The long run the README
// documents: `KIT_FUZZ_CASES=200000 KIT_FUZZ_SEED=$RANDOM cargo test --release --test fuzz`.

fn fuzz_config(default_cases: u32) -> ProptestConfig {
    let cases = std::env::var("KIT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    let seed = std::env::var("KIT_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_261_206);
    ProptestConfig {
        cases,
        rng_seed: proptest::test_runner::RngSeed::Fixed(seed),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Pieces real Go templates are made of, to be strung together in any order.
const GO_PIECES: &[&str] = &[
    "{{",
    "}}",
    "{{-",
    " -}}",
    "{{/* c */}}",
    " ",
    "\n",
    "x",
    ".Values",
    ".Values.a",
    ".Values.b.c",
    ".Release.Name",
    ".Chart.Name",
    ".Capabilities.APIVersions.Has \"v1\"",
    ".Files.Get \"f\"",
    "$",
    "$x",
    "$x :=",
    "$x =",
    "|",
    "(",
    ")",
    "\"s\"",
    "`raw`",
    "'c'",
    "1",
    "-2",
    "1.5",
    "1e3",
    "nil",
    "true",
    "if",
    "else",
    "else if",
    "end",
    "range",
    "range $i, $v :=",
    "with",
    "define \"d\"",
    "template \"d\" .",
    "block \"b\" .",
    "include \"d\" .",
    "tpl .Values.a .",
    "break",
    "continue",
    "and",
    "or",
    "not",
    "eq",
    "ne",
    "lt",
    "index",
    "slice",
    "len",
    "print",
    "printf \"%d %s %v\"",
    "default",
    "required \"r\"",
    "fail \"f\"",
    "toYaml",
    "fromYaml",
    "toJson",
    "fromJson",
    "quote",
    "nindent 4",
    "indent 2",
    "trunc 3",
    "until 5",
    "seq 1 3",
    "repeat 3",
    "dict \"k\" 1",
    "list 1 2",
    "set",
    "merge",
    "b64enc",
    "sha256sum",
    "semverCompare \">1\" \"2\"",
    "lookup \"v1\" \"Pod\" \"\" \"\"",
    "kindIs \"map\"",
    "typeOf",
    "regexReplaceAll \"a\" \"b\" \"c\"",
    "splitList \",\"",
    "join \",\"",
];

/// Pieces of Jinja templates, as kit's Jinja charts use them.
const JINJA_PIECES: &[&str] = &[
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "{%-",
    "-%}",
    " ",
    "\n",
    "x",
    "values",
    "values.a",
    "values.b.c",
    "release.name",
    "chart.name",
    "(",
    ")",
    "[",
    "]",
    "|",
    ",",
    "'s'",
    "1",
    "-2",
    "1.5",
    "none",
    "true",
    "if",
    "elif",
    "else",
    "endif",
    "for x in",
    "endfor",
    "set y =",
    "macro m(a)",
    "endmacro",
    "m(1)",
    "include('t')",
    "tpl(values.a)",
    "indent(2)",
    "nindent(4)",
    "toYaml",
    "fromYaml",
    "toJson",
    "quote",
    "default(1)",
    "required('r')",
    "printf('%d', 1)",
    "until(3)",
    "range(3)",
    "~",
    "+",
    "*",
    "loop.index",
    "break",
    "continue",
    "namespace(x=1)",
];

fn template_strategy(pieces: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            9 => prop::sample::select(pieces).prop_map(str::to_string),
            1 => "\\PC{0,4}",
        ],
        0..40,
    )
    .prop_map(|parts| parts.join(""))
}

fn chart_yaml_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("apiVersion: v2\nname: c\nversion: 0.1.0\n".to_string()),
        Just("apiVersion: v1\nname: c\nversion: 1.0.0\nappVersion: \"1\"\n".to_string()),
        Just("apiVersion: v2\nname: c\nversion: 0.1.0\ntype: library\n".to_string()),
        Just("apiVersion: v2\nname: c\nversion: x\ndependencies:\n- name: d\n  version: 1\n  condition: a.b\n".to_string()),
        value_strategy().prop_map(|v| format!("apiVersion: v2\nname: c\nversion: 0.1.0\nannotations: {v}\n")),
        value_strategy(),
    ]
}

/// Renders a chart made of the generated parts; any result but a panic is fine.
fn render_chart(jinja: bool, chart_yaml: &str, values: &str, template: &str, helper: &str) {
    thread_local! {
        static DIR: std::path::PathBuf = {
            let dir = std::env::temp_dir().join(format!(
                "kit-fuzz-chart-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("c/templates")).expect("mkdir");
            dir
        };
    }
    DIR.with(|dir| {
        let chart = dir.join("c");
        let meta = if jinja {
            format!("{chart_yaml}\nannotations:\n  kit.dev/template-dialect: jinja\n")
        } else {
            chart_yaml.to_string()
        };
        std::fs::write(chart.join("Chart.yaml"), meta).expect("write");
        std::fs::write(chart.join("values.yaml"), values).expect("write");
        std::fs::write(chart.join("templates/t.yaml"), template).expect("write");
        std::fs::write(chart.join("templates/_h.tpl"), helper).expect("write");
        let loader = kit::load::Loader::new();
        let _ = kit::chart::output::render(
            &loader,
            &chart,
            &kit::chart::output::RenderOptions::default(),
        );
    });
}

proptest! {
    #![proptest_config(fuzz_config(400))]
    #[test]
    fn go_charts_never_panic(
        chart in chart_yaml_strategy(),
        values in value_strategy(),
        template in template_strategy(GO_PIECES),
        helper in template_strategy(GO_PIECES),
    ) {
        render_chart(false, &chart, &values, &template, &format!("{{{{ define \"d\" }}}}{helper}{{{{ end }}}}"));
    }

    #[test]
    fn jinja_charts_never_panic(
        chart in chart_yaml_strategy(),
        values in value_strategy(),
        template in template_strategy(JINJA_PIECES),
        helper in template_strategy(JINJA_PIECES),
    ) {
        render_chart(true, &chart, &values, &template, &helper);
    }
}
