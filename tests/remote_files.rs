//! Remote files wherever kustomize reads a file (its `FileLoader.Load` downloads any HTTP(S)
//! path): `patches` paths, `patchesStrategicMerge`, `patchesJson6902`, `configurations`,
//! `crds`, generator `files` and `envs`, `replacements` paths, `openapi: path:` and helmCharts
//! `valuesFile`; and buildMetadata origin annotations with remote bases and files. Served on
//! loopback by the git test server (plain files under `/files/`), built by kit and by
//! `kubectl kustomize` (`KIT_KUBECTL`), which must agree byte for byte and fail on the same
//! inputs. Then a remote patch file through the cache, `kit.lock`, `--locked`, `--offline`
//! and `kit vendor`, counting the server's requests.
//!
//! Without the `git` program these tests are skipped with a loud message, except under
//! CI=true, where they fail; the differential tests need `KIT_KUBECTL` unless
//! `KIT_SKIP_DIFFERENTIAL=1` (and `KIT_HELM3` for the helm case).

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::git_http::{git, have_git, init_repo, GitServer};
use common::{scratch, write};

/// A served directory of plain files (`/files/...`), a repository `org/repo` with a base
/// that generates, transforms and patches, and a cache directory.
struct Fixture {
    dir: PathBuf,
    srv: PathBuf,
    server: GitServer,
    cache: PathBuf,
}

const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.25\n";

const SETTINGS: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  key: from-settings\n";

const MY_KIND: &str = "apiVersion: example.com/v1alpha1\nkind: MyKind\nmetadata:\n  name: thing\nspec:\n  image: nginx:1.25\n  secretRef:\n    name: creds\n  hosts:\n  - host: x\n    port: 1\n  - host: y\n";

/// A custom OpenAPI schema: MyKind's `spec.hosts` merge by `host`.
const SCHEMA: &str = r##"{
  "definitions": {
    "v1alpha1.MyKind": {
      "type": "object",
      "properties": {
        "spec": {
          "type": "object",
          "properties": {
            "hosts": {
              "type": "array",
              "items": {"type": "object", "properties": {"host": {"type": "string"}}},
              "x-kubernetes-patch-merge-key": "host",
              "x-kubernetes-patch-strategy": "merge"
            }
          }
        }
      },
      "x-kubernetes-group-version-kind": [
        {"group": "example.com", "kind": "MyKind", "version": "v1alpha1"}
      ]
    }
  }
}
"##;

/// Legacy `crds:` definitions: MyKind's `spec.secretRef` names a Secret.
const CRDS: &str = r##"{
  "github.com/example/v1alpha1.MyKind": {
    "Schema": {
      "description": "MyKind",
      "properties": {
        "apiVersion": {"type": "string"},
        "kind": {"type": "string"},
        "metadata": {"$ref": "k8s.io/apimachinery/pkg/apis/meta/v1.ObjectMeta"},
        "spec": {"$ref": "github.com/example/v1alpha1.MyKindSpec"}
      }
    }
  },
  "github.com/example/v1alpha1.MyKindSpec": {
    "Schema": {
      "properties": {
        "secretRef": {
          "type": "string",
          "x-kubernetes-object-ref-api-version": "v1",
          "x-kubernetes-object-ref-kind": "Secret"
        }
      }
    }
  }
}
"##;

impl Fixture {
    fn for_test(test: &str, name: &str) -> Option<Fixture> {
        have_git(test).then(|| Fixture::new(name))
    }

    fn new(name: &str) -> Fixture {
        let dir = scratch(name);
        let srv = dir.join("srv");
        std::fs::create_dir_all(&srv).unwrap();
        let server = GitServer::start(&srv);
        let files = srv.join("files");
        write(
            &files,
            "patch-sm.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n",
        );
        write(
            &files,
            "patch-json.yaml",
            "- op: add\n  path: /metadata/annotations\n  value:\n    patched: json\n",
        );
        write(
            &files,
            "patch-hosts.yaml",
            "apiVersion: example.com/v1alpha1\nkind: MyKind\nmetadata:\n  name: thing\nspec:\n  hosts:\n  - host: y\n    port: 2\n",
        );
        write(
            &files,
            "config.yaml",
            "images:\n- path: spec/image\n  kind: MyKind\n",
        );
        write(&files, "crds.json", CRDS);
        write(&files, "schema.json", SCHEMA);
        write(
            &files,
            "schema-broken.json",
            "{\"definitions\": {\"x\": [}}\n",
        );
        write(&files, "app.properties", "color=blue\nsize=3\n");
        write(&files, "vars.env", "# settings\nLEVEL=debug\nMODE=fast\n");
        write(
            &files,
            "replacement.yaml",
            "source:\n  kind: ConfigMap\n  name: settings\n  fieldPath: data.key\ntargets:\n- select:\n    kind: Deployment\n  fieldPaths:\n  - metadata.annotations.from\n  options:\n    create: true\n",
        );
        write(&files, "values.yaml", "replicas: 4\nname: from-url\n");
        write(
            &files,
            "broken.yaml",
            "kind: Deployment\nmetadata: [unclosed\n",
        );
        write(&files, "cm.yaml", SETTINGS);

        // A repository whose base reads local files, generates and transforms; and a
        // component.
        let work = dir.join("work");
        write(
            &work,
            "base/kustomization.yaml",
            "resources:\n- deploy.yaml\n- sub/../sub/cm.yaml\nnamePrefix: remote-\nconfigMapGenerator:\n- name: gen\n  literals:\n  - a=b\npatches:\n- path: patch.yaml\ntransformers:\n- |-\n  apiVersion: builtin\n  kind: LabelTransformer\n  metadata:\n    name: inline\n  labels:\n    inline: label\n  fieldSpecs:\n  - path: metadata/labels\n    create: true\n",
        );
        write(&work, "base/deploy.yaml", DEPLOYMENT);
        write(
            &work,
            "base/patch.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n",
        );
        write(&work, "base/sub/cm.yaml", SETTINGS);
        // A remote base that downloads its own patch (held to no load restrictor).
        write(
            &work,
            "with-patch/kustomization.yaml",
            &format!(
                "resources:\n- deploy.yaml\npatches:\n- path: {}/files/patch-sm.yaml\n",
                server.url()
            ),
        );
        write(&work, "with-patch/deploy.yaml", DEPLOYMENT);
        write(&work, "shared/cm.yaml", SETTINGS);
        write(
            &work,
            "kustomization.yaml",
            "resources:\n- shared/cm.yaml\nnameSuffix: -root\n",
        );
        write(
            &work,
            "comp/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations:\n  component: remote\n",
        );
        init_repo(&srv, "org/repo", &work);
        git(&work, &["tag", "v1"]);
        git(&work, &["push", "-q", "served", "--tags"]);

        Fixture {
            cache: dir.join("cache"),
            dir,
            srv,
            server,
        }
    }

    /// A root kustomization `cases/NAME` with this text, beside the local resources.
    fn root(&self, name: &str, kustomization: &str) -> PathBuf {
        let root = self.dir.join("cases").join(name);
        write(&root, "kustomization.yaml", kustomization);
        write(&root, "deploy.yaml", DEPLOYMENT);
        write(&root, "cm.yaml", SETTINGS);
        write(&root, "kind.yaml", MY_KIND);
        root
    }

    fn kit(&self, dir: &Path, args: &[&str]) -> (i32, String, String) {
        self.kit_with_cache(dir, args, &self.cache)
    }

    fn kit_with_cache(&self, dir: &Path, args: &[&str], cache: &Path) -> (i32, String, String) {
        common::kit_cached(dir, args, cache)
    }
}

/// The reference kubectl, or `None` when the differential part is skipped.
fn kubectl() -> Option<String> {
    common::differential_kubectl("remote files differential")
}

/// Builds each case with kit and kubectl (`kubectl_args` added), and fails listing those
/// where they disagree, or where kubectl's success is not what the case expects.
fn assert_agree(f: &Fixture, kubectl: &str, cases: &[(&str, String, bool)], kubectl_args: &[&str]) {
    let mut failures = Vec::new();
    for (name, text, builds) in cases {
        let root = f.root(name, text);
        let kit = f.kit(&root, &["build", "."]);
        let kubectl_out = common::output(
            Command::new(kubectl)
                .args(["kustomize", "."])
                .args(kubectl_args)
                .current_dir(&root),
        );
        let agree = common::agree(&kit, &kubectl_out);
        if !agree || (kubectl_out.0 == 0) != *builds {
            failures.push(format!(
                "case {name}:\n{text}\n--- kit (exit {}):\n{}{}\n--- kubectl (exit {}):\n{}{}",
                kit.0, kit.1, kit.2, kubectl_out.0, kubectl_out.1, kubectl_out.2
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn remote_files_build_as_kubectl_kustomize_builds_them() {
    let Some(kubectl) = kubectl() else { return };
    let Some(f) = Fixture::for_test(
        "remote_files_build_as_kubectl_kustomize_builds_them",
        "remote-files",
    ) else {
        return;
    };
    let u = format!("{}/files", f.server.url());
    let url = f.server.url();
    // (name, kustomization, whether kubectl builds it)
    let cases: Vec<(&str, String, bool)> = vec![
        ("patches-path", format!("resources:\n- deploy.yaml\npatches:\n- path: {u}/patch-sm.yaml\n"), true),
        (
            "patches-json-path",
            format!("resources:\n- deploy.yaml\npatches:\n- path: {u}/patch-json.yaml\n  target:\n    kind: Deployment\n"),
            true,
        ),
        ("patches-strategic-merge", format!("resources:\n- deploy.yaml\npatchesStrategicMerge:\n- {u}/patch-sm.yaml\n"), true),
        (
            "patches-json6902",
            format!("resources:\n- deploy.yaml\npatchesJson6902:\n- path: {u}/patch-json.yaml\n  target:\n    group: apps\n    version: v1\n    kind: Deployment\n    name: web\n"),
            true,
        ),
        (
            "configurations",
            format!("resources:\n- kind.yaml\nconfigurations:\n- {u}/config.yaml\nimages:\n- name: nginx\n  newTag: \"1.27\"\n"),
            true,
        ),
        (
            "crds",
            format!("resources:\n- kind.yaml\ncrds:\n- {u}/crds.json\nsecretGenerator:\n- name: creds\n  literals:\n  - password=x\nnamePrefix: p-\n"),
            true,
        ),
        (
            "generator-files-and-envs",
            format!("configMapGenerator:\n- name: cfg\n  files:\n  - {u}/app.properties\n  envs:\n  - {u}/vars.env\nsecretGenerator:\n- name: sec\n  files:\n  - renamed={u}/app.properties\n"),
            true,
        ),
        (
            "replacements-path",
            format!("resources:\n- deploy.yaml\n- cm.yaml\nreplacements:\n- path: {u}/replacement.yaml\n"),
            true,
        ),
        (
            "openapi-path",
            format!("resources:\n- kind.yaml\nopenapi:\n  path: {u}/schema.json\npatches:\n- path: {u}/patch-hosts.yaml\n"),
            true,
        ),
        (
            "remote-base-with-remote-patch",
            format!("resources:\n- {url}/org/repo//with-patch?ref=v1\nbuildMetadata: [originAnnotations]\n"),
            true,
        ),
        ("missing-file", format!("resources:\n- deploy.yaml\npatches:\n- path: {url}/nope.yaml\n"), false),
        ("git-looking-missing", format!("resources:\n- deploy.yaml\npatches:\n- path: {url}/org/nothing/p.yaml\n"), false),
        ("broken-yaml", format!("resources:\n- deploy.yaml\npatchesStrategicMerge:\n- {u}/broken.yaml\n"), false),
        ("generator-missing", format!("configMapGenerator:\n- name: cfg\n  files:\n  - {url}/nope.txt\n"), false),
    ];
    assert_agree(&f, &kubectl, &cases, &[]);
}

#[test]
fn origin_annotations_follow_remote_bases_and_files_as_kubectl_writes_them() {
    let Some(kubectl) = kubectl() else { return };
    let Some(f) = Fixture::for_test(
        "origin_annotations_follow_remote_bases_and_files_as_kubectl_writes_them",
        "remote-origins",
    ) else {
        return;
    };
    let url = f.server.url();
    let cases: Vec<(&str, String, bool)> = vec![
        (
            "origins",
            format!("resources:\n- {url}/org/repo//base?ref=v1\n- {url}/org/repo?ref=v1\n- {url}/files/cm.yaml\n- deploy.yaml\ncomponents:\n- {url}/org/repo//comp?ref=v1\nbuildMetadata: [originAnnotations]\nnamespace: x\n"),
            true,
        ),
        (
            "transformations",
            format!("resources:\n- {url}/org/repo//base?ref=v1\nbuildMetadata: [originAnnotations, transformerAnnotations]\nnamePrefix: top-\n"),
            true,
        ),
        (
            "transformations-only",
            format!("resources:\n- {url}/org/repo.git/base?version=v1\n- {url}/files/cm.yaml\nbuildMetadata: [transformerAnnotations]\ncommonLabels:\n  top: label\n"),
            true,
        ),
    ];
    assert_agree(&f, &kubectl, &cases, &[]);
    // What kustomize writes, said once here so that a change in either tool shows.
    let root = f.dir.join("cases/origins");
    let (_, out, _) = f.kit(&root, &["build", "."]);
    assert!(
        out.contains(&format!(
            "      path: base/deploy.yaml\n      repo: {url}/org/repo\n      ref: v1\n"
        )),
        "{out}"
    );
}

#[test]
fn a_remote_helm_values_file_renders_as_kubectl_kustomize_renders_it() {
    let Some(kubectl) = kubectl() else { return };
    let Some(helm) =
        common::helm3("a_remote_helm_values_file_renders_as_kubectl_kustomize_renders_it")
    else {
        return;
    };
    let Some(f) = Fixture::for_test(
        "a_remote_helm_values_file_renders_as_kubectl_kustomize_renders_it",
        "remote-values",
    ) else {
        return;
    };
    let u = format!("{}/files", f.server.url());
    let chart = |name: &str| {
        let dir = f.dir.join("cases").join(name).join("charts/app");
        write(
            &dir,
            "Chart.yaml",
            "apiVersion: v2\nname: app\nversion: 0.1.0\n",
        );
        write(&dir, "values.yaml", "replicas: 1\nname: default\n");
        write(
            &dir,
            "templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\ndata:\n  replicas: {{ .Values.replicas | quote }}\n",
        );
    };
    let cases: Vec<(&str, String, bool)> = vec![
        ("values-file", format!("helmCharts:\n- name: app\n  valuesFile: {u}/values.yaml\n"), true),
        (
            "values-file-and-inline",
            format!("helmCharts:\n- name: app\n  valuesFile: {u}/values.yaml\n  valuesInline:\n    name: inline\n"),
            true,
        ),
        (
            "additional-values-file",
            format!("helmCharts:\n- name: app\n  additionalValuesFiles:\n  - {u}/values.yaml\n"),
            false,
        ),
    ];
    for (name, _, _) in &cases {
        chart(name);
    }
    assert_agree(
        &f,
        &kubectl,
        &cases,
        &["--enable-helm", "--helm-command", &helm],
    );
}

#[test]
fn a_remote_patch_file_is_pinned_cached_vendored_and_named_in_errors() {
    let Some(f) = Fixture::for_test(
        "a_remote_patch_file_is_pinned_cached_vendored_and_named_in_errors",
        "remote-patch-lock",
    ) else {
        return;
    };
    let u = format!("{}/files", f.server.url());
    let patch_url = format!("{u}/patch-sm.yaml");
    let root = f.root(
        "app",
        &format!("resources:\n- deploy.yaml\npatches:\n- path: {patch_url}\n"),
    );

    // --offline with nothing pinned names the URL and the entry.
    let (code, _, err) = f.kit(&root, &["build", ".", "--offline"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("kit::lock::missing")
            && err.contains(&patch_url)
            && err.contains("kustomization.yaml:4:9"),
        "{err}"
    );

    // Unpinned: downloaded, announced; --quiet silences it.
    let (code, first, err) = f.kit(&root, &["build", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(
        first.contains("replicas: 3") && err.contains(&format!("downloading {patch_url}")),
        "{first}{err}"
    );
    let (code, quiet, err) = f.kit(&root, &["build", ".", "--quiet"]);
    assert_eq!(
        (code, quiet.as_str(), err.as_str()),
        (0, first.as_str(), "")
    );

    // kit update pins it; then a build makes no request.
    let (code, _, err) = f.kit(&root, &["update", "."]);
    assert_eq!(code, 0, "{err}");
    let lock = std::fs::read_to_string(root.join("kit.lock")).unwrap();
    assert!(
        lock.contains(&format!("- url: \"{patch_url}\"")) && lock.contains("sha256:"),
        "{lock}"
    );
    let before = f.server.requests();
    let (code, out, err) = f.kit(&root, &["build", "."]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, first.as_str(), ""));
    assert_eq!(f.server.requests(), before, "{:?}", f.server.log());

    // The file changes on the server: --locked refuses it; --offline builds the pinned bytes.
    write(
        &f.srv.join("files"),
        "patch-sm.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n",
    );
    let (code, _, err) = f.kit(&root, &["build", ".", "--locked"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("kit::lock::changed") && err.contains(&patch_url),
        "{err}"
    );
    let (code, out, err) = f.kit(&root, &["build", ".", "--offline"]);
    assert_eq!((code, out.as_str()), (0, first.as_str()), "{err}");
    // Pinned but not cached: --offline says which digest is missing.
    let empty = f.dir.join("empty-cache");
    let (code, _, err) = f.kit_with_cache(&root, &["build", ".", "--offline"], &empty);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("kit::remote::offline") && err.contains(&patch_url),
        "{err}"
    );

    // kit vendor copies it; a build with an empty cache then makes no request.
    let (code, _, err) = f.kit(&root, &["vendor", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 file"), "{err}");
    let before = f.server.requests();
    let fresh = f.dir.join("fresh-cache");
    let (code, out, err) = f.kit_with_cache(&root, &["build", "."], &fresh);
    assert_eq!((code, out.as_str(), err.as_str()), (0, first.as_str(), ""));
    assert_eq!(f.server.requests(), before, "{:?}", f.server.log());

    // A YAML error in a downloaded file is shown in the URL, never in the cache.
    let broken = f.root(
        "broken",
        &format!("resources:\n- deploy.yaml\npatches:\n- path: {u}/broken.yaml\n"),
    );
    let (code, _, err) = f.kit(&broken, &["build", "."]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("{u}/broken.yaml:2:20"))
            && err.contains("downloaded for")
            && err.contains("kustomization.yaml:4:9"),
        "names the URL and the entry: {err}"
    );
    assert!(
        !err.contains(&f.cache.display().to_string()),
        "no cache path: {err}"
    );
    // The same for a downloaded OpenAPI schema.
    let schema = f.root(
        "broken-schema",
        &format!("resources:\n- kind.yaml\nopenapi:\n  path: {u}/schema-broken.json\n"),
    );
    let (code, _, err) = f.kit(&schema, &["build", "."]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("{u}/schema-broken.json:1:"))
            && !err.contains("#sha256")
            && !err.contains(&f.cache.display().to_string()),
        "names the URL: {err}"
    );
}
