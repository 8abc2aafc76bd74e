//! `kit lint` on a repository as the pre-commit hook and CI see it: files named one by one
//! (the staged files), the whole tree, a subdirectory; files that are not Kubernetes objects
//! skipped; files a kustomization or chart reads linted through its render; SARIF and GitHub
//! output with repository-relative paths and the input errors in them.

mod common;

use std::path::{Path, PathBuf};

use common::{run, scratch, write};

/// A Deployment that passes the default gate: pinned image, requests and limits.
const GOOD_DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27.2
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 500m, memory: 256Mi}
";

/// The same Deployment with an unpinned image and no limits (line 15: the image).
const BAD_DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 1
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: ghcr.io/example/api
          resources:
            requests: {cpu: 100m, memory: 128Mi}
";

/// A manifest whose YAML does not parse (an input error, exit 2; line 6 is the end).
const BROKEN: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: [\n";

/// An ordinary repository: an app with a base and two overlays (one patching the base with
/// a partial Deployment), a chart with its values, a Component nothing includes, a plain
/// manifest, and the YAML every repository has that is not Kubernetes.
fn repository(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join(".git")).expect("mkdir .git");
    write(
        &dir,
        ".github/workflows/ci.yml",
        "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n",
    );
    write(
        &dir,
        "compose.yaml",
        "x-common: &common\n  restart: always\nservices:\n  db:\n    <<: *common\n    image: postgres:16\n",
    );
    write(
        &dir,
        "values.yaml",
        "replicaCount: 2\nimage:\n  tag: latest\n",
    );
    write(
        &dir,
        "README.md",
        "# an app\n\n```yaml\napiVersion: v1\nkind: Pod\n```\n",
    );
    write(&dir, ".kit.yaml", "lint:\n  disable: [pod-without-network-policy, run-as-root, writable-root-filesystem, pdb-missing, anti-affinity-missing]\n");
    write(&dir, "app/base/deployment.yaml", GOOD_DEPLOYMENT);
    write(
        &dir,
        "app/base/kustomization.yaml",
        "resources: [deployment.yaml]\n",
    );
    write(
        &dir,
        "app/overlays/prod/kustomization.yaml",
        "resources: [../../base]\nnamespace: prod\npatches:\n  - path: patch.yaml\n",
    );
    // A partial Deployment: no selector, no image. Alone it is not a valid object.
    write(
        &dir,
        "app/overlays/prod/patch.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n",
    );
    write(
        &dir,
        "app/overlays/dev/kustomization.yaml",
        "resources: [../../base]\nnamespace: dev\n",
    );
    write(
        &dir,
        "components/debug/kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - path: debug.yaml\n",
    );
    write(
        &dir,
        "components/debug/debug.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          env: [{name: DEBUG, value: \"1\"}]\n",
    );
    write(
        &dir,
        "charts/web/Chart.yaml",
        "apiVersion: v2\nname: web\nversion: 1.0.0\n",
    );
    write(&dir, "charts/web/values.yaml", "tag: 1.27.2\n");
    write(
        &dir,
        "charts/web/templates/deployment.yaml",
        &GOOD_DEPLOYMENT.replace("nginx:1.27.2", "nginx:{{ .Values.tag }}"),
    );
    dir
}

/// `file:line rule` of every finding of a JSON run that is an error or a warning (info
/// findings never block a commit).
fn located(out: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(out).expect("json output");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] != "info")
        .map(|f| {
            format!(
                "{}:{} {}",
                f["file"].as_str().unwrap_or("-"),
                f["line"],
                f["name"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn staged_files_of_an_ordinary_repository_pass() {
    let dir = repository("staged");
    // What pre-commit passes: every staged file.
    let staged = [
        ".github/workflows/ci.yml",
        "compose.yaml",
        "values.yaml",
        ".kit.yaml",
        "app/overlays/prod/patch.yaml",
        "app/overlays/prod/kustomization.yaml",
        "app/base/deployment.yaml",
        "charts/web/Chart.yaml",
        "charts/web/values.yaml",
        "components/debug/debug.yaml",
        "README.md",
    ];
    let mut args = vec!["lint", "--output", "json"];
    args.extend(staged);
    let (code, out, err) = run(&dir, &args);
    assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
    assert_eq!(located(&out), Vec::<String>::new(), "{err}");
    // Each skip and each redirection is said, once per file.
    for note in [
        "note: skipped .github/workflows/ci.yml: not a Kubernetes object",
        "note: skipped compose.yaml: not a Kubernetes object",
        "note: skipped values.yaml: not a Kubernetes object",
        "note: skipped .kit.yaml: not a Kubernetes object",
        "note: app/overlays/prod/patch.yaml is linted through app/overlays/prod (the render that reads it)",
        "note: app/base/deployment.yaml is linted through app/overlays/dev, app/overlays/prod (the renders that read it)",
        "note: charts/web/Chart.yaml is linted through charts/web",
        "note: skipped components/debug/debug.yaml: it belongs to the Component components/debug, which no kustomization includes",
    ] {
        assert!(err.contains(note), "missing `{note}` in:\n{err}");
    }
    assert!(!err.contains("README.md"), "{err}");
}

#[test]
fn a_bad_deployment_blocks_the_commit_with_its_file_and_line() {
    let dir = repository("bad");
    write(&dir, "apps/api.yaml", BAD_DEPLOYMENT);
    let (code, out, err) = run(
        &dir,
        &[
            "lint",
            "--output",
            "json",
            "compose.yaml",
            "apps/api.yaml",
            "app/overlays/prod/patch.yaml",
        ],
    );
    assert_eq!(code, 1, "{out}\n{err}");
    let found = located(&out);
    assert!(
        found.contains(&"apps/api.yaml:15 image-tag-latest".to_string()),
        "{found:?}"
    );
    assert!(
        found.contains(&"apps/api.yaml:14 cpu-limit-missing".to_string()),
        "{found:?}"
    );
    assert!(
        found.contains(&"apps/api.yaml:14 memory-limit-missing".to_string()),
        "{found:?}"
    );
    assert!(
        found.iter().all(|f| f.starts_with("apps/api.yaml:")),
        "{found:?}"
    );

    // A change in the base lints it through each overlay: a finding in the base is reported
    // once, at the base's line.
    write(
        &dir,
        "app/base/deployment.yaml",
        &GOOD_DEPLOYMENT.replace("nginx:1.27.2", "nginx:latest"),
    );
    let (code, out, err) = run(
        &dir,
        &["lint", "--output", "json", "app/base/deployment.yaml"],
    );
    assert_eq!(code, 1, "{out}\n{err}");
    assert_eq!(
        located(&out),
        vec!["app/base/deployment.yaml:15 image-tag-latest"],
        "{err}"
    );

    // A patch that breaks the render is the overlay's error (exit 2), named at the patch.
    write(
        &dir,
        "app/overlays/prod/patch.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: [3\n",
    );
    let (code, _, err) = run(&dir, &["lint", "app/overlays/prod/patch.yaml"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("app/overlays/prod/patch.yaml:6:15: invalid YAML"),
        "{err}"
    );
}

#[test]
fn the_whole_tree_lints_overlays_charts_and_manifests_and_skips_the_rest() {
    let dir = repository("tree");
    write(&dir, "apps/api.yaml", BAD_DEPLOYMENT);
    let (code, out, err) = run(&dir, &["lint", ".", "--output", "json"]);
    assert_eq!(code, 1, "{out}\n{err}");
    let found = located(&out);
    // Only the bad manifest: the patch is not read alone, the base is read through its
    // overlays, the chart is rendered, the values files and compose file are not objects.
    assert!(
        found.iter().all(|f| f.starts_with("apps/api.yaml:")),
        "{found:?}"
    );
    assert!(
        err.contains("note: skipped 2 files under . that hold no Kubernetes object"),
        "{err}"
    );
    assert!(
        err.contains("note: skipped components/debug: a Component"),
        "{err}"
    );

    // Without the bad manifest the tree passes, and the objects linted are those of the
    // overlays (namespaced) and of the chart.
    std::fs::remove_file(dir.join("apps/api.yaml")).expect("rm");
    let (code, out, err) = run(&dir, &["lint", ".", "--output", "junit"]);
    assert_eq!(code, 0, "{out}\n{err}");
    for object in ["Deployment/web in prod", "Deployment/web in dev"] {
        assert!(out.contains(object), "{object} not linted:\n{out}");
    }
}

/// `kit lint .` renders every chart and kustomization below `.`, as kube-linter's walk does,
/// and one that fails is an input error (exit 2), whose help says how to leave it out when it
/// is not meant to render (kit's own repository has a chart scaffold: a `Chart.yaml` whose
/// values live elsewhere). `lint.exclude` in `.kit.yaml` leaves paths out of the walk, charts
/// and files alike; a path named on the command line is still linted.
#[test]
fn a_chart_scaffold_fails_the_walk_until_excluded() {
    let dir = repository("scaffold");
    write(
        &dir,
        "scaffold/chart/Chart.yaml",
        "apiVersion: v2\nname: CHARTNAME\nversion: 0.1.0\n",
    );
    write(
        &dir,
        "scaffold/chart/templates/serviceaccount.yaml",
        "{{- if .Values.serviceAccount.create }}\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n{{- end }}\n",
    );
    write(&dir, "scaffold/example.yaml", BAD_DEPLOYMENT);
    let (code, out, err) = run(&dir, &["lint", ".", "--output", "json"]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(
        err.contains("scaffold/chart/templates/serviceaccount.yaml:1:"),
        "{err}"
    );
    let flat = err.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("`kit lint .` renders every kustomization and chart under it")
            && flat.contains(r#"`lint: {exclude: ["scaffold/chart/**"]}` in .kit.yaml"#),
        "{err}"
    );

    let config = std::fs::read_to_string(dir.join(".kit.yaml")).expect("read .kit.yaml");
    write(
        &dir,
        ".kit.yaml",
        &format!("{config}  exclude: [\"scaffold/**\"]\n"),
    );
    let (code, out, err) = run(&dir, &["lint", ".", "--output", "json"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        err.contains(
            "note: left out 2 renders and files under . that `lint.exclude` in .kit.yaml matches"
        ),
        "{err}"
    );
    // The overlays and the chart of the repository are still linted.
    let (_, junit, _) = run(&dir, &["lint", ".", "--output", "junit"]);
    assert!(junit.contains("Deployment/web in prod"), "{junit}");
    // Named on the command line, the scaffold is what the user asked for.
    let (code, _, err) = run(&dir, &["lint", "scaffold/chart"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn yaml_that_does_not_parse_is_an_error_only_when_it_looks_like_a_manifest() {
    let dir = repository("parse");
    // Helm-style templating outside a chart: not YAML, not a manifest either.
    write(
        &dir,
        "deploy/ansible.yml",
        "- hosts: all\n  tasks: {{ tasks }}\n  x: [\n",
    );
    write(&dir, "deploy/broken.yaml", BROKEN);
    let (code, _, err) = run(&dir, &["lint", "deploy/ansible.yml"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("note: skipped deploy/ansible.yml"), "{err}");
    let (code, _, err) = run(&dir, &["lint", "deploy"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("deploy/broken.yaml:"), "{err}");
    assert!(!err.contains("ansible.yml:"), "{err}");
}

/// The SARIF 2.1.0 schema (rtm.5, the OASIS standard's final schema), vendored from the npm
/// package @microsoft/jest-sarif 1.0.0-beta.0 (MIT): see tests/data/sarif/SOURCE.
fn sarif_schema() -> serde_json::Value {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif/sarif-schema-2.1.0.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("schema json")
}

fn assert_valid_sarif(sarif: &serde_json::Value) {
    let mut schema = sarif_schema();
    // The schema's `language` patterns (of `run` and `toolComponent`) end in `]?$`, an
    // unescaped `]` that ECMAScript reads as a literal and Rust's regex engines refuse (so the
    // schema fails its meta-schema's `format: regex`): the same patterns, escaped. kit writes
    // no `language`.
    fn escape_language(v: &mut serde_json::Value) -> usize {
        const PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
        match v {
            serde_json::Value::String(s) if s == PATTERN => {
                *s = PATTERN.replace("]?$", "\\]?$");
                1
            }
            serde_json::Value::Object(map) => map.values_mut().map(escape_language).sum(),
            serde_json::Value::Array(list) => list.iter_mut().map(escape_language).sum(),
            _ => 0,
        }
    }
    assert_eq!(escape_language(&mut schema), 2);
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("compile the SARIF schema");
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
}

/// Every `artifactLocation.uri` of a SARIF log.
fn uris(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                if k == "artifactLocation" {
                    out.push(v["uri"].as_str().unwrap_or("").to_string());
                } else {
                    uris(v, out);
                }
            }
        }
        serde_json::Value::Array(list) => list.iter().for_each(|v| uris(v, out)),
        _ => {}
    }
}

#[test]
fn sarif_from_a_subdirectory_validates_and_names_files_from_the_repository_root() {
    let dir = repository("sarif");
    write(&dir, "deploy/apps/api.yaml", BAD_DEPLOYMENT);
    write(
        &dir,
        "deploy/apps/my file.yaml",
        &BAD_DEPLOYMENT.replace("name: api", "name: api2"),
    );
    write(&dir, "deploy/apps/broken.yaml", BROKEN);
    let sub = dir.join("deploy/apps");
    let (code, out, err) = run(&sub, &["lint", ".", "--output", "sarif"]);
    assert_eq!(code, 2, "{err}");
    let sarif: serde_json::Value = serde_json::from_str(&out).expect("sarif json");
    assert_valid_sarif(&sarif);
    let mut found = Vec::new();
    uris(&sarif, &mut found);
    assert!(!found.is_empty());
    for uri in &found {
        assert!(
            uri.starts_with("deploy/apps/"),
            "not relative to the repository root: {uri}"
        );
        assert!(!uri.contains(".."), "{uri}");
    }
    assert!(
        found.contains(&"deploy/apps/my%20file.yaml".to_string()),
        "{found:?}"
    );
    let run0 = &sarif["runs"][0];
    let results = run0["results"].as_array().expect("results");
    assert!(results.iter().any(|r| r["ruleId"] == "KIT-IMG001"
        && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == "deploy/apps/api.yaml"
        && r["locations"][0]["physicalLocation"]["region"]["startLine"] == 15));
    // The file that does not parse is in the log, at its line, and the run is unsuccessful.
    let broken = results
        .iter()
        .find(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                == "deploy/apps/broken.yaml"
        })
        .expect("the input error as a result");
    assert_eq!(broken["level"], "error");
    assert!(
        broken["ruleId"]
            .as_str()
            .is_some_and(|id| id.starts_with("kit::")),
        "{broken}"
    );
    let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.iter().any(|r| r["id"] == broken["ruleId"]));
    assert_eq!(run0["invocations"][0]["executionSuccessful"], false);
    assert_eq!(
        run0["invocations"][0]["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]
            ["artifactLocation"]["uri"],
        "deploy/apps/broken.yaml"
    );
    // informationUri is the project's repository, the one Cargo.toml, install.sh and the
    // README name.
    let info = &run0["tool"]["driver"]["informationUri"];
    assert_eq!(info, "https://github.com/kit-k8s/kit");
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .expect("Cargo.toml");
    assert!(manifest.contains("repository = \"https://github.com/kit-k8s/kit\""));
    for file in ["install.sh", "action.yml", "README.md", "pyproject.toml"] {
        let text =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).expect(file);
        assert!(
            text.contains("github.com/kit-k8s/kit"),
            "{file} names the repository"
        );
    }

    // kit validate shares the report: same paths, same input errors.
    let (code, out, err) = run(&sub, &["validate", ".", "--output", "sarif"]);
    assert_eq!(code, 2, "{err}");
    let sarif: serde_json::Value = serde_json::from_str(&out).expect("sarif json");
    assert_valid_sarif(&sarif);
    let mut found = Vec::new();
    uris(&sarif, &mut found);
    assert!(
        found.contains(&"deploy/apps/broken.yaml".to_string()),
        "{found:?}"
    );
    assert!(
        found.iter().all(|u| u.starts_with("deploy/apps/")),
        "{found:?}"
    );
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );

    // A clean run validates too, and says it succeeded.
    std::fs::remove_file(dir.join("deploy/apps/broken.yaml")).expect("rm");
    let (code, out, _) = run(&sub, &["lint", "api.yaml", "--output", "sarif"]);
    assert_eq!(code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&out).expect("sarif json");
    assert_valid_sarif(&sarif);
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

#[test]
fn github_annotations_name_files_from_the_repository_root_and_carry_input_errors() {
    let dir = repository("github");
    write(&dir, "deploy/api.yaml", BAD_DEPLOYMENT);
    write(&dir, "deploy/broken.yaml", BROKEN);
    let sub = dir.join("deploy");
    let (code, out, err) = run(&sub, &["lint", ".", "--output", "github"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        out.contains(
            "::error file=deploy/api.yaml,line=15,col=18,title=KIT-IMG001 image-tag-latest::"
        ),
        "{out}"
    );
    let broken = out
        .lines()
        .find(|l| l.contains("file=deploy/broken.yaml"))
        .unwrap_or_else(|| panic!("no annotation for the input error:\n{out}"));
    assert!(
        broken.starts_with("::error file=deploy/broken.yaml,line=5,col=8,"),
        "{broken}"
    );
    assert!(broken.contains("title=kit%3A%3A"), "{broken}");
    // And the error still goes to stderr for people reading the log.
    assert!(err.contains("broken.yaml"), "{err}");
}
