//! CLI behaviour: generated files are fresh, bad input gives located errors, never a panic.

// Tests report what they compared on the console.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod common;

use std::path::{Path, PathBuf};

use common::{kit, scratch, write};

/// Runs `kit build` in `dir` and returns (exit code, stderr).
fn build_err(dir: &Path, args: &[&str]) -> (i32, String) {
    let (code, _, stderr) = common::output(kit().current_dir(dir).arg("build").args(args));
    (code, stderr)
}

/// The release binary people install stays small (issue 18: 171 MB with debug info made the
/// pre-commit install slow). `cargo test --release` builds kit with the release profile,
/// so this measures the binary a release ships; under the dev profile there is nothing to
/// measure.
#[test]
fn release_binary_is_under_30_mb() {
    if cfg!(debug_assertions) {
        println!("release_binary_is_under_30_mb: a dev-profile build, not measured");
        return;
    }
    let bytes = std::fs::metadata(env!("CARGO_BIN_EXE_kit"))
        .expect("the kit binary")
        .len();
    println!("release binary: {bytes} bytes");
    assert!(
        bytes < 30_000_000,
        "the release binary is {bytes} bytes: keep [profile.release] without debug info and stripped"
    );
}

#[test]
fn completions_and_man_page_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, content) in kit::commands::generate::files() {
        let committed = std::fs::read(root.join("completions").join(&name)).unwrap_or_default();
        assert!(
            committed == content,
            "completions/{name} is stale: run `cargo run -- generate completions`"
        );
    }
}

/// A named case: files to write (path, text) and text the error must contain.
type BadInput<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);

const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n";

/// Builds one bad-input case: its files in `app/` of a scratch directory (with a Deployment
/// beside it, outside the root); `kit build` must exit 2. Returns the directory and stderr.
fn build_bad_case(name: &str, files: &[(&str, &str)]) -> (PathBuf, String) {
    let dir = scratch(name);
    let root = dir.join("app");
    std::fs::create_dir_all(&root).expect("mkdir");
    write(&dir, "outside.yaml", DEPLOY);
    for (f, text) in files {
        write(&root, f, text);
    }
    let (code, stderr) = build_err(&root, &["."]);
    assert_eq!(code, 2, "{name}: expected exit 2, stderr:\n{stderr}");
    (dir, stderr)
}

#[test]
fn bad_input_is_a_located_error() {
    let cases: &[BadInput] = &[
        ("nan", &[("kustomization.yaml", "resources:\n- a.yaml\n"), ("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  x: .nan\n")], "a.yaml:6:6: unsupported value: NaN"),
        ("yaml-1.1-number", &[("kustomization.yaml", "resources:\n- a.yaml\ncommonAnnotations:\n  v: 1.0\n"), ("a.yaml", DEPLOY)], "kustomization.yaml:4:6: expected a string, found a number `1.0`"),
        ("yaml-1.1-bool", &[("kustomization.yaml", "resources:\n- a.yaml\nnamespace: on\n"), ("a.yaml", DEPLOY)], "found a bool `on`"),
        ("component-api-version", &[("kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Component\nresources:\n- a.yaml\n"), ("a.yaml", DEPLOY)], "kustomization.yaml:1:13: apiVersion for Component"),
        ("only-kind", &[("kustomization.yaml", "kind: Kustomization\n")], "kustomization.yaml is empty"),
        ("patch-no-match", &[("kustomization.yaml", "resources:\n- a.yaml\npatches:\n- patch: |\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: other\n"), ("a.yaml", DEPLOY)], "kustomization.yaml:8:13: no resource matches strategic"),
        ("patch-path-file-url", &[("kustomization.yaml", "resources:\n- a.yaml\npatches:\n- path: file:///p.yaml\n"), ("a.yaml", DEPLOY)], "`file:///p.yaml` is read as a local path"),
        ("patch-path-scp-url", &[("kustomization.yaml", "resources:\n- a.yaml\npatches:\n- path: git@h:r/p.yaml\n"), ("a.yaml", DEPLOY)], "`git@h:r/p.yaml` is read as a local path"),
        ("json-patch-no-target", &[("kustomization.yaml", "resources:\n- a.yaml\npatches:\n- patch: |\n    - op: add\n      path: /x\n      value: 1\n"), ("a.yaml", DEPLOY)], "must specify a target for JSON patch"),
        ("empty-patches-strategic-merge", &[("kustomization.yaml", "resources:\n- a.yaml\npatchesStrategicMerge:\n- p.yaml\n"), ("a.yaml", DEPLOY), ("p.yaml", "# nothing\n")], "patch appears to be empty"),
        ("malformed", &[("kustomization.yaml", "resources:\n- a.yaml\n"), ("a.yaml", "kind: [unclosed\n")], "a.yaml:"),
        ("duplicate-key", &[("kustomization.yaml", "resources:\n- a.yaml\n"), ("a.yaml", "kind: A\nkind: B\n")], "a.yaml:2:1"),
        ("tabs", &[("kustomization.yaml", "resources:\n- a.yaml\n"), ("a.yaml", "metadata:\n\tname: x\n")], "a.yaml:"),
        (
            "alias-bomb",
            &[
                ("kustomization.yaml", "resources:\n- a.yaml\n"),
                ("a.yaml", "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"),
            ],
            "alias",
        ),
        ("unknown-field", &[("kustomization.yaml", "resourcez:\n- a.yaml\n")], "unknown field \"resourcez\""),
        ("missing-file", &[("kustomization.yaml", "resources:\n- nope.yaml\n")], "nope.yaml"),
        ("escapes-root", &[("kustomization.yaml", "resources:\n- ../outside.yaml\n")], "not in or below"),
        ("remote", &[("kustomization.yaml", "resources:\n- https://example.com/x.yaml\n")], "remote"),
        ("self-cycle", &[("kustomization.yaml", "resources:\n- .\n")], "cycle"),
        ("two-kustomizations", &[("kustomization.yaml", "resources: []\n"), ("kustomization.yml", "resources: []\n")], "multiple kustomization files"),
        ("duplicate-resource", &[("kustomization.yaml", "resources:\n- a.yaml\n- b.yaml\n"), ("a.yaml", DEPLOY), ("b.yaml", DEPLOY)], "already registered"),
        ("openapi-missing", &[("kustomization.yaml", "resources:\n- a.yaml\nopenapi:\n  path: nope.json\n"), ("a.yaml", DEPLOY)], "kustomization.yaml:4:9: no such file or directory"),
        ("openapi-json-syntax", &[("kustomization.yaml", "resources:\n- a.yaml\nopenapi:\n  path: s.json\n"), ("a.yaml", DEPLOY), ("s.json", "{\n  \"definitions\": {,}\n}\n")], "s.json:2:19: invalid OpenAPI schema (JSON)"),
        ("openapi-not-a-schema", &[("kustomization.yaml", "resources:\n- a.yaml\nopenapi:\n  path: s.json\n"), ("a.yaml", DEPLOY), ("s.json", "{\n  \"definitions\": {\n    \"a\": [1]\n  }\n}\n")], "s.json:3:10: invalid OpenAPI schema: a schema must be"),
        ("openapi-yaml-type", &[("kustomization.yaml", "resources:\n- a.yaml\nopenapi:\n  path: s.yaml\n"), ("a.yaml", DEPLOY), ("s.yaml", "definitions:\n  a:\n    properties:\n      b:\n        x-kubernetes-patch-strategy: [merge]\n")], "s.yaml:5:38: invalid OpenAPI schema: `x-kubernetes-patch-strategy`"),
        ("openapi-empty", &[("kustomization.yaml", "resources:\n- a.yaml\nopenapi:\n  path: s.json\n"), ("a.yaml", DEPLOY), ("s.json", "")], "s.json:1:1: the OpenAPI schema file is empty"),
        ("openapi-version", &[("kustomization.yaml", "resources:\n- a.yaml\nopenapi:\n  version: v1.30.0\n"), ("a.yaml", DEPLOY)], "kustomization.yaml:4:12: the specified OpenAPI version is not built in"),
        ("openapi-both", &[("kustomization.yaml", "resources:\n- a.yaml\nopenapi:\n  path: s.json\n  version: v1.21.2\n"), ("a.yaml", DEPLOY), ("s.json", "{}")], "kustomization.yaml:5:12: builtin version and custom schema provided"),
        ("openapi-not-a-map", &[("kustomization.yaml", "resources:\n- a.yaml\nopenapi: s.json\n"), ("a.yaml", DEPLOY)], "kustomization.yaml:3:10: `openapi` must be a mapping"),
        ("openapi-remote", &[("kustomization.yaml", "resources:\n- a.yaml\nopenapi:\n  path: https://example.com/s.json\n"), ("a.yaml", DEPLOY)], "remote"),
        ("build-metadata-not-a-list", &[("kustomization.yaml", "resources:\n- a.yaml\nbuildMetadata: originAnnotations\n"), ("a.yaml", DEPLOY)], "kustomization.yaml:3:16: `buildMetadata` must be a list, found a string"),
        ("var-unmatched", &[("kustomization.yaml", "resources:\n- a.yaml\nvars:\n- name: X\n  objref:\n    kind: Deployment\n    name: nope\n    apiVersion: apps/v1\n"), ("a.yaml", DEPLOY)], "kustomization.yaml:4:3: var 'X (Deployment.v1.apps nope)' cannot be mapped"),
        ("var-field-missing", &[("kustomization.yaml", "resources:\n- a.yaml\nvars:\n- name: X\n  objref:\n    kind: Deployment\n    name: web\n    apiVersion: apps/v1\n  fieldref:\n    fieldpath: spec.nothing\n"), ("a.yaml", DEPLOY)], "field 'spec.nothing' specified in var"),
        ("var-ambiguous", &[("kustomization.yaml", "resources:\n- a.yaml\n- b.yaml\nvars:\n- name: X\n  objref:\n    kind: Deployment\n    name: web\n    apiVersion: apps/v1\n"), ("a.yaml", DEPLOY), ("b.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: other\n")], "found 2 resId matches for var X"),
        ("var-duplicate", &[("kustomization.yaml", "resources:\n- a.yaml\nvars:\n- name: X\n  objref: {kind: Deployment, name: web, apiVersion: apps/v1}\n- name: X\n  objref: {kind: Deployment, name: web, apiVersion: apps/v1}\n"), ("a.yaml", DEPLOY)], "kustomization.yaml:6:3: var 'X' already encountered"),
        ("var-unknown-key", &[("kustomization.yaml", "resources:\n- a.yaml\nvars:\n- name: X\n  objref: {kind: Deployment, nam: web}\n"), ("a.yaml", DEPLOY)], "unknown field \"nam\" in `vars.objref`"),
        ("var-list-not-strings", &[("kustomization.yaml", "resources:\n- a.yaml\nvars:\n- name: X\n  objref: {kind: Deployment, name: web, apiVersion: apps/v1}\n"), ("a.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        args: [1]\n")], "a.yaml:10:16: considering field 'spec/template/spec/containers/args'"),
        ("crds-not-definitions", &[("kustomization.yaml", "resources:\n- a.yaml\ncrds:\n- crd.json\n"), ("a.yaml", DEPLOY), ("crd.json", "[1, 2]\n")], "crd.json:1:1: unable to parse open API definition"),
        ("crds-missing-file", &[("kustomization.yaml", "resources:\n- a.yaml\ncrds:\n- nope.json\n"), ("a.yaml", DEPLOY)], "nope.json"),
    ];
    for (name, files, expect) in cases {
        let (dir, stderr) = build_bad_case(name, files);
        assert!(
            stderr.contains(expect),
            "{name}: expected {expect:?} in:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name} panicked:\n{stderr}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// `generators` / `transformers` / `validators`: unknown builtins, external plugins, bad
/// configurations and missing files are errors located in the configuration or the
/// kustomization.
#[test]
fn plugin_bad_input_is_a_located_error() {
    const K: &str = "resources:\n- a.yaml\ntransformers:\n- t.yaml\n";
    let cases: &[BadInput] = &[
        ("unknown-builtin", &[("kustomization.yaml", K), ("a.yaml", DEPLOY), ("t.yaml", "apiVersion: builtin\nkind: FooTransformer\nmetadata:\n  name: x\n")], "t.yaml:2:7: unable to load builtin FooTransformer.builtin.[noGrp]"),
        ("sort-order-is-no-plugin", &[("kustomization.yaml", K), ("a.yaml", DEPLOY), ("t.yaml", "apiVersion: builtin\nkind: SortOrderTransformer\nmetadata:\n  name: x\n")], "sortOptions"),
        ("exec-plugin", &[("kustomization.yaml", K), ("a.yaml", DEPLOY), ("t.yaml", "apiVersion: someteam.example.com/v1\nkind: ChartInflator\nmetadata:\n  name: x\n")], "t.yaml:2:7: external plugins disabled; unable to load external plugin 'ChartInflator'"),
        ("krm-function", &[("kustomization.yaml", K), ("a.yaml", DEPLOY), ("t.yaml", "apiVersion: example.com/v1\nkind: Fn\nmetadata:\n  name: x\n  annotations:\n    config.kubernetes.io/function: |\n      container:\n        image: x\n")], "KRM function"),
        ("missing-config-file", &[("kustomization.yaml", K), ("a.yaml", DEPLOY)], "kustomization.yaml:4:3: no such file or directory"),
        ("config-escapes-root", &[("kustomization.yaml", "transformers:\n- ../outside.yaml\n")], "kustomization.yaml:2:3: security; file"),
        ("malformed-config", &[("kustomization.yaml", K), ("a.yaml", DEPLOY), ("t.yaml", "apiVersion: builtin\nkind: LabelTransformer\nmetadata:\n  name: x\nlabels: [a]\n")], "t.yaml:5:9: LabelTransformer configuration: `labels` must be a mapping of strings, not a list"),
        ("config-string-for-bool", &[("kustomization.yaml", K), ("a.yaml", DEPLOY), ("t.yaml", "apiVersion: builtin\nkind: LabelTransformer\nmetadata:\n  name: x\nlabels: {a: b}\nfieldSpecs:\n- path: metadata/labels\n  create: yes\n")], "t.yaml:8:11: LabelTransformer configuration: `fieldSpecs[].create` must be true or false"),
        ("config-without-name", &[("kustomization.yaml", K), ("a.yaml", DEPLOY), ("t.yaml", "apiVersion: builtin\nkind: LabelTransformer\nlabels: {a: b}\n")], "t.yaml:1:1: missing metadata.name"),
        ("generator-as-transformer", &[("kustomization.yaml", K), ("a.yaml", DEPLOY), ("t.yaml", "apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: x\n")], "t.yaml:2:7: plugin ConfigMapGenerator 'x' is not a transformer"),
        ("prefix-without-field-specs", &[("kustomization.yaml", K), ("a.yaml", DEPLOY), ("t.yaml", "apiVersion: builtin\nkind: PrefixTransformer\nmetadata:\n  name: x\nprefix: p-\n")], "fieldSpecs is not expected to be nil"),
        ("patch-file-missing", &[("kustomization.yaml", K), ("a.yaml", DEPLOY), ("t.yaml", "apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: x\npath: nope.yaml\n")], "t.yaml:5:7: no such file or directory"),
        ("helm-refused", &[("kustomization.yaml", "generators:\n- g.yaml\n"), ("g.yaml", "apiVersion: builtin\nkind: HelmChartInflationGenerator\nmetadata:\n  name: x\n")], "g.yaml:2:7: kit does not support the builtin HelmChartInflationGenerator"),
        ("malformed-inline", &[("kustomization.yaml", "transformers:\n- |\n  apiVersion: builtin\n  kind: [x\n")], "kustomization.yaml:4:11: invalid YAML"),
        ("validator-changes-resources", &[("kustomization.yaml", "resources:\n- a.yaml\nvalidators:\n- t.yaml\n"), ("a.yaml", DEPLOY), ("t.yaml", "apiVersion: builtin\nkind: LabelTransformer\nmetadata:\n  name: x\nlabels: {a: b}\nfieldSpecs: [{path: metadata/labels, create: true}]\n")], "t.yaml:1:1: validator shouldn't modify the resource map"),
    ];
    for (name, files, expect) in cases {
        let (dir, stderr) = build_bad_case(name, files);
        // miette wraps long messages (with a `│` gutter).
        let flat = stderr
            .split_whitespace()
            .filter(|w| *w != "│")
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            stderr.contains(expect) || flat.contains(expect),
            "{name}: expected {expect:?} in:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name} panicked:\n{stderr}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn escaping_root_is_allowed_with_load_restrictor_none() {
    let dir = scratch("restrictor-none");
    write(&dir, "outside.yaml", DEPLOY);
    write(
        &dir,
        "app/kustomization.yaml",
        "resources:\n- ../outside.yaml\n",
    );
    let out = kit()
        .current_dir(dir.join("app"))
        .args(["build", ".", "--load-restrictor", "none"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("name: web"));
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_an_error() {
    let dir = scratch("symlink-loop");
    write(&dir, "kustomization.yaml", "resources:\n- loop\n");
    let _ = std::os::unix::fs::symlink(dir.join("loop"), dir.join("loop"));
    let (code, stderr) = build_err(&dir, &["."]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("symbolic links"), "{stderr}");
}

#[test]
fn several_roots_keep_argument_order_and_explain_origin_points_at_lines() {
    let dir = scratch("multi");
    write(&dir, "base/kustomization.yaml", "resources:\n- d.yaml\n");
    write(&dir, "base/d.yaml", DEPLOY);
    write(
        &dir,
        "a/kustomization.yaml",
        "namePrefix: a-\nresources:\n- ../base\n",
    );
    write(
        &dir,
        "b/kustomization.yaml",
        "namePrefix: b-\nresources:\n- ../base\n",
    );
    let out = kit()
        .current_dir(&dir)
        .args(["build", "b", "a"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    let (b, a) = (text.find("name: b-web"), text.find("name: a-web"));
    assert!(b.is_some() && a.is_some() && b < a, "{text}");
    let out = kit()
        .current_dir(&dir)
        .args(["build", "a", "--explain-origin"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("name: a-web  # from: a/kustomization.yaml:1:13"),
        "{text}"
    );
    assert!(
        text.contains("kind: Deployment  # from: base/d.yaml:2:7"),
        "{text}"
    );
}

#[test]
fn vars_substitute_and_warn_when_deprecated_or_unused() {
    let dir = scratch("vars");
    write(
        &dir,
        "kustomization.yaml",
        "namePrefix: p-\nresources:\n- a.yaml\nvars:\n- name: SVC\n  objref: {kind: Service, name: web, apiVersion: v1}\n- name: PORT\n  objref: {kind: Service, name: web, apiVersion: v1}\n  fieldref: {fieldPath: 'spec.ports[0].port'}\n- name: IDLE\n  objref: {kind: Service, name: web, apiVersion: v1}\n",
    );
    write(
        &dir,
        "a.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 8080\n    targetPort: $(PORT)\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        args: [\"--to=http://$(SVC):$(PORT)\", \"$$(SVC)\"]\n",
    );
    let out = kit()
        .current_dir(&dir)
        .args(["build", "."])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("- --to=http://p-web:8080"), "{stdout}");
    assert!(stdout.contains("- $(SVC)"), "{stdout}");
    // A whole-string var keeps the value's type: an integer port.
    assert!(stdout.contains("targetPort: 8080"), "{stdout}");
    assert!(
        stderr.contains("# Warning: 'vars' is deprecated. Please use 'replacements' instead."),
        "{stderr}"
    );
    assert!(
        stderr.contains("well-defined vars that were never replaced: IDLE"),
        "{stderr}"
    );
}

#[test]
fn plain_merge_keys_merge_and_quoted_ones_are_dropped() {
    // As kubectl kustomize prints them: `<<:` merges its mapping, a quoted `"<<"` key is
    // dropped with its value, whatever the value.
    let dir = scratch("merge-keys");
    write(&dir, "kustomization.yaml", "resources:\n- cm.yaml\n");
    write(
        &dir,
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: v\n  <<: {a: b}\nbinaryData:\n  \"<<\": {c: ZA==}\n",
    );
    let (code, stdout, stderr) = common::run(&dir, &["build", "."]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("data:\n  a: b\n  k: v\n"), "{stdout}");
    assert!(stdout.contains("binaryData: {}\n"), "{stdout}");
}

#[test]
fn closing_bracket_at_its_keys_indentation_is_accepted_as_kubectl_does() {
    // yaml.v3 does not check indentation inside flow collections (a style of the Kubernetes
    // website's examples); findings after the bracket keep their lines.
    let dir = scratch("flow-indent");
    write(&dir, "kustomization.yaml", "resources:\n- pod.yaml\n");
    write(
        &dir,
        "pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    command: [\n      \"/bin/sh\", \"-c\",\n      \"sleep 180\"\n    ]\n    args: {\n      a: b\n   }\n    image: nginx:latest\n",
    );
    let (code, stdout, stderr) = common::run(&dir, &["build", "."]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("    command:\n    - /bin/sh\n    - -c\n    - sleep 180\n"),
        "{stdout}"
    );
    let (code, out, err) = common::run(
        &dir,
        &[
            "lint",
            "pod.yaml",
            "--no-config",
            "--disable",
            "all",
            "--enable",
            "image-tag-latest",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("pod.yaml:15:12"), "{out}");
    // After a comment the bracket cannot move up a line: still an error, at the bracket.
    write(
        &dir,
        "comment.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    command: [\n      \"sh\" # the shell\n    ]\n",
    );
    let (code, _, err) = common::run(&dir, &["lint", "comment.yaml", "--no-config"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("comment.yaml:10:5"), "{err}");
}

/// `kit build -o DIR/` (a directory: an existing one, or a path ending in `/`) names each file after the resource (kustomize's
/// `<group>_<version>_<kind>_<name>.yaml`, lowercased); a name built from hostile input
/// (`apiVersion: /../X`, a name with `/`) is refused rather than written outside DIR, and a
/// root `..` gets a subdirectory of its own (issue 20).
#[test]
fn build_output_dir_stays_inside_the_directory() {
    let dir = scratch("output-dir");
    write(
        &dir,
        "in/ok.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: Web\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
    );
    let (code, out, err) = common::run(&dir, &["build", "in", "-o", "out/"]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    let mut names: Vec<String> = std::fs::read_dir(dir.join("out"))
        .expect("out")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["apps_v1_deployment_web.yaml", "v1_configmap_cm.yaml"]
    );

    for (case, doc) in [
        ("api", "apiVersion: /../X\nkind: K\nmetadata:\n  name: n\n"),
        (
            "name",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ../../../x\n",
        ),
        (
            "kind",
            "apiVersion: v1\nkind: a/../../b\nmetadata:\n  name: n\n",
        ),
    ] {
        let sub = dir.join(case);
        write(&sub, "in/bad.yaml", doc);
        let (code, _, err) = common::run(&sub, &["build", "in", "-o", "out/deeper/"]);
        assert_eq!(code, 2, "{case}: {err}");
        assert!(err.contains("kit::emit::file-name"), "{case}: {err}");
        assert!(err.contains("holds a path separator"), "{case}: {err}");
        assert!(err.contains("bad.yaml:1:1"), "{case}: {err}");
        let written: Vec<_> = walk(&sub)
            .into_iter()
            .filter(|p| !p.ends_with("in/bad.yaml"))
            .collect();
        assert!(
            written.iter().all(|p| p.is_dir()),
            "{case}: wrote {written:?}"
        );
    }

    let up = scratch("output-dir-up");
    let nested = up.join("nested");
    write(
        &nested,
        "a/ok.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
    );
    write(
        &up,
        "top.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: top\n",
    );
    let (code, _, err) = common::run(&nested, &["build", "a", "..", "-o", "out/"]);
    assert_eq!(code, 0, "{err}");
    assert!(nested.join("out/a/v1_configmap_a.yaml").is_file());
    assert!(nested.join("out/parent/v1_configmap_top.yaml").is_file());
}

/// Every path under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p.clone());
            }
            out.push(p);
        }
    }
    out
}
