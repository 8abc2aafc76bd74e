//! `kit template`'s command line as a drop-in for `helm template` v3.17.2: release names
//! (`[NAME] CHART`, `--name-template`, `--generate-name`, Helm's name rule), `--set-literal`,
//! comma-separated `-f`, `-f URL` (served on loopback), `--skip-schema-validation`, `--skip-crds`, `--output-dir` with
//! `--release-name`, `--post-renderer`, Helm's checks before rendering (metadata validation,
//! library charts, missing dependencies, the deprecation warning), and the install/download
//! flags kit accepts or refuses. Each test runs the real binary on a Go-template chart in a
//! scratch directory.

#![allow(clippy::unwrap_used)]

mod common;
use common::scratch;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

const CHART_YAML: &str = "apiVersion: v2\nname: web\nversion: 0.1.0\n";

/// A small chart: a ConfigMap showing the release name and some values, a test hook.
fn chart(name: &str, extra: &[(&str, &str)]) -> PathBuf {
    let dir = scratch(name);
    write(
        &dir,
        &[
            ("chart/Chart.yaml", CHART_YAML),
            ("chart/values.yaml", "greeting: hello\nreplicas: 1\n"),
            (
                "chart/templates/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n  greeting: {{ .Values.greeting | quote }}\n  kind: {{ kindOf .Values.greeting }}\n",
            ),
            (
                "chart/templates/test.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-test\n  annotations:\n    helm.sh/hook: test\n",
            ),
        ],
    );
    write(&dir, extra);
    dir
}

fn kit(dir: &Path, args: &[&str]) -> Out {
    kit_env(dir, args, &[])
}

/// `kit template ARGS` in `dir`, with no kubeconfig or Helm namespace variables but `env`.
fn kit_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Out {
    let o = Command::new(env!("CARGO_BIN_EXE_kit"))
        .arg("template")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("KUBECONFIG", dir.join("no-kubeconfig"))
        .env_remove("HELM_NAMESPACE")
        .env_remove("HELM_KUBECONTEXT")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = kit(dir, args);
    assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
    o.stdout
}

fn err(dir: &Path, args: &[&str]) -> String {
    let o = kit(dir, args);
    assert_ne!(o.code, 0, "{args:?} should fail: {}", o.stdout);
    // Diagnostics wrap long lines: compare words.
    o.stderr.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `text` holds `what`, ignoring white space and the diagnostics' frame characters
/// (messages are wrapped to the terminal's width).
fn has(text: &str, what: &str) {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '│')
            .collect()
    };
    assert!(
        squash(text).contains(&squash(what)),
        "{what:?} not in:\n{text}"
    );
}

#[test]
fn release_name_from_arguments() {
    let d = chart("names", &[]);
    has(&ok(&d, &["chart"]), "name: release-name-cm");
    has(&ok(&d, &["shop", "chart"]), "name: shop-cm");
    // helm template names the release `release-name` even with --generate-name.
    has(&ok(&d, &["-g", "chart"]), "name: release-name-cm");
    has(
        &err(&d, &["--generate-name", "shop", "chart"]),
        "cannot set --generate-name and also specify a name",
    );
    has(
        &err(&d, &["a", "chart", "extra", "more"]),
        "expected at most two arguments, unexpected arguments: extra, more",
    );
}

#[test]
fn release_name_rule() {
    let d = chart("rule", &[]);
    let regex = r"invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53";
    has(&err(&d, &["Bad_Name", "chart"]), regex);
    has(&err(&d, &["a..b", "chart"]), regex);
    has(&err(&d, &["-x", "chart"]), "");
    let long = "a".repeat(54);
    has(&err(&d, &[long.as_str(), "chart"]), regex);
    has(&ok(&d, &["a.b-c", "chart"]), "name: a.b-c-cm");
    has(&ok(&d, &[&"a".repeat(53), "chart"]), "-cm");
    has(&err(&d, &["", "chart"]), "no name provided");
}

#[test]
fn name_template() {
    let d = chart("name-template", &[]);
    has(
        &ok(
            &d,
            &[
                "chart",
                "--name-template",
                r#"pg-{{ "Main" | lower }}-{{ add 3 4 }}"#,
            ],
        ),
        "name: pg-main-7-cm",
    );
    has(
        &err(&d, &["x", "chart", "--name-template", "y"]),
        "cannot set --name-template and also specify a name",
    );
    // Sprig's functions only: Helm's own are not in the name template's function map.
    has(
        &err(&d, &["chart", "--name-template", "{{ toYaml 1 }}"]),
        r#"template: name-template:1: function "toYaml" not defined"#,
    );
    has(
        &err(&d, &["chart", "--name-template", "{{ fail \"no\" }}"]),
        "no",
    );
    // The result must still be a valid release name.
    has(
        &err(&d, &["chart", "--name-template", "UPPER"]),
        "invalid release name",
    );
}

#[test]
fn set_literal() {
    let d = chart("literal", &[]);
    let out = ok(
        &d,
        &[
            "chart",
            "--set",
            "greeting=1",
            "--set-literal",
            r"greeting=a,b=c\d,{e}",
        ],
    );
    has(&out, r#"greeting: "a,b=c\\d,{e}""#);
    has(&out, "kind: string");
    // Never typed: 10 stays a string.
    has(
        &ok(&d, &["chart", "--set-literal", "greeting=10"]),
        "kind: string",
    );
    has(
        &err(&d, &["chart", "--set-literal", "greeting"]),
        r#"--set-literal "greeting": key "greeting" has no value"#,
    );
}

#[test]
fn set_json_numbers_are_float64_set_numbers_int64() {
    // As helm prints them (v3.17.2; the whole-object form as v4.1.4, v3 refuses it): JSON
    // decodes numbers as float64, --set as int64.
    let d = chart(
        "set-json-float",
        &[(
            "chart/templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ printf \"%T %v\" .Values.a .Values.a | quote }}\n  b: {{ printf \"%T %v\" .Values.b .Values.b | quote }}\n  c: {{ printf \"%T %v\" .Values.c .Values.c | quote }}\n",
        )],
    );
    let out = ok(
        &d,
        &[
            "chart",
            "--set-json",
            "a=1000000",
            "--set-json",
            r#"{"b": 2}"#,
            "--set",
            "c=3",
        ],
    );
    has(&out, r#"a: "float64 1e+06""#);
    has(&out, r#"b: "float64 2""#);
    has(&out, r#"c: "int64 3""#);
}

#[test]
fn values_files_separated_by_commas() {
    let d = chart(
        "values-commas",
        &[("a.yaml", "greeting: a\n"), ("b.yaml", "greeting: b\n")],
    );
    has(
        &ok(&d, &["chart", "-f", "a.yaml,b.yaml"]),
        r#"greeting: "b""#,
    );
}

/// A flag given twice takes its last value and a switch given twice is on, as in helm
/// (pflag); wrappers append flags to a command line. Lists (`--set`, `-f`) still add up.
#[test]
fn repeated_flags_take_the_last_value() {
    let d = chart(
        "repeated-flags",
        &[("chart/templates/ns.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ns\ndata:\n  ns: {{ .Release.Namespace }}\n  kube: {{ .Capabilities.KubeVersion.Minor | quote }}\n  a: {{ .Values.a | quote }}\n  b: {{ .Values.b | quote }}\n")],
    );
    let out = ok(
        &d,
        &[
            "chart",
            "-n",
            "first",
            "--namespace",
            "second",
            "--kube-version",
            "1.29",
            "--kube-version",
            "1.31",
            "--include-crds",
            "--include-crds",
            "--set",
            "a=1",
            "--set",
            "b=2",
        ],
    );
    has(&out, "ns: second");
    has(&out, r#"kube: "31""#);
    has(&out, r#"a: "1""#);
    has(&out, r#"b: "2""#);
}

/// `-f URL` downloads the values file, as Helm does (served here on loopback), and says so;
/// the values read as any values file's (YAML 1.1), in their place among the others.
#[test]
fn values_files_by_url_are_downloaded() {
    use common::static_http::StaticServer;
    let d = chart(
        "values-url",
        &[
            ("a.yaml", "greeting: a\n"),
            ("served/v.yaml", "greeting: served\nflag: on\n"),
        ],
    );
    let server = StaticServer::start(&d.join("served"), None);
    let url = format!("http://127.0.0.1:{}/v.yaml", server.port);
    let out = kit(&d, &["chart", "-f", "a.yaml", "-f", &url]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    has(&out.stdout, r#"greeting: "served""#);
    assert!(
        out.stderr.contains(&format!("kit: downloading {url}")),
        "{}",
        out.stderr
    );
    has(
        &ok(&d, &["chart", "-f", &format!("{url},a.yaml")]),
        r#"greeting: "a""#,
    );
    let missing = format!("http://127.0.0.1:{}/missing.yaml", server.port);
    has(
        &err(&d, &["chart", "-f", &missing]),
        "the server answered 404",
    );
    has(
        &err(&d, &["chart", "-f", "oci://127.0.0.1:1/values"]),
        "kit reads values files from disk or HTTP(S) only",
    );
}

/// The release namespace without -n, as Helm finds it: $HELM_NAMESPACE, else the kubeconfig
/// context's namespace (--kubeconfig, --kube-context, $KUBECONFIG, $HELM_KUBECONTEXT), else
/// `default`.
#[test]
fn release_namespace_comes_from_helm_namespace_or_the_kubeconfig() {
    let d = chart("namespace", &[("chart/templates/ns.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ns\ndata:\n  ns: {{ .Release.Namespace }}\n")]);
    let context = |name: &str, ns: &str| {
        format!("- name: {name}\n  context:\n    cluster: c\n    user: u\n    namespace: {ns}\n")
    };
    let config = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:1\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n{}{}current-context: dev\n",
        context("dev", "dev-ns"),
        context("prod", "prod-ns")
    );
    write(&d, &[("kubeconfig", &config)]);
    let kubeconfig = d.join("kubeconfig");
    let kubeconfig = kubeconfig.to_str().unwrap();
    let ns = |args: &[&str], env: &[(&str, &str)]| -> String {
        let o = kit_env(&d, args, env);
        assert_eq!(o.code, 0, "{args:?} {env:?}: {}", o.stderr);
        o.stdout
            .lines()
            .find_map(|l| l.strip_prefix("  ns: "))
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(ns(&["chart"], &[]), "default");
    assert_eq!(ns(&["chart"], &[("KUBECONFIG", kubeconfig)]), "dev-ns");
    assert_eq!(ns(&["chart", "--kubeconfig", kubeconfig], &[]), "dev-ns");
    assert_eq!(
        ns(
            &[
                "chart",
                "--kubeconfig",
                kubeconfig,
                "--kube-context",
                "prod"
            ],
            &[]
        ),
        "prod-ns"
    );
    assert_eq!(
        ns(
            &["chart"],
            &[("KUBECONFIG", kubeconfig), ("HELM_KUBECONTEXT", "prod")]
        ),
        "prod-ns"
    );
    assert_eq!(
        ns(
            &["chart"],
            &[("KUBECONFIG", kubeconfig), ("HELM_NAMESPACE", "env-ns")]
        ),
        "env-ns"
    );
    assert_eq!(
        ns(
            &["chart", "-n", "flag-ns"],
            &[("KUBECONFIG", kubeconfig), ("HELM_NAMESPACE", "env-ns")]
        ),
        "flag-ns"
    );
    assert_eq!(
        ns(
            &["chart", "-n", ""],
            &[("KUBECONFIG", kubeconfig), ("HELM_NAMESPACE", "env-ns")]
        ),
        "dev-ns"
    );
}

/// A values file the user names may be a pipe or a device, as Helm reads it (`-f <(cmd)`).
#[cfg(unix)]
#[test]
fn values_from_a_device_or_pipe() {
    let d = chart("values-device", &[]);
    let plain = ok(&d, &["chart"]);
    assert_eq!(ok(&d, &["chart", "-f", "/dev/null"]), plain);
    let o = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "{} template chart -f <(printf 'greeting: from-a-pipe\\n')",
            env!("CARGO_BIN_EXE_kit")
        ))
        .current_dir(&d)
        .env("KUBECONFIG", d.join("no-kubeconfig"))
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("greeting: \"from-a-pipe\""),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn skip_schema_validation() {
    let d = chart(
        "schema",
        &[(
            "chart/values.schema.json",
            r#"{"type":"object","properties":{"replicas":{"type":"integer"}}}"#,
        )],
    );
    err(&d, &["chart", "--set", "replicas=two"]);
    ok(
        &d,
        &["chart", "--set", "replicas=two", "--skip-schema-validation"],
    );

    // Helm reads the schema only to check the values: with the check skipped, a schema that
    // is not even JSON is no error; without, the error points at its line.
    let broken = chart(
        "broken-schema",
        &[("chart/values.schema.json", "{\n  \"type\": \n}\n")],
    );
    ok(&broken, &["chart", "--skip-schema-validation"]);
    has(&err(&broken, &["chart"]), "values.schema.json:3:1");
}

#[test]
fn skip_crds_changes_nothing_include_crds_decides() {
    let d = chart(
        "crds",
        &[(
            "chart/crds/crd.yaml",
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things.example.com\n",
        )],
    );
    let with = ok(&d, &["chart", "--include-crds"]);
    has(&with, "# Source: web/crds/crd.yaml");
    assert_eq!(ok(&d, &["chart", "--include-crds", "--skip-crds"]), with);
    assert!(!ok(&d, &["chart", "--skip-crds"]).contains("CustomResourceDefinition"));
}

#[test]
fn output_dir_with_release_name() {
    let d = chart("outdir", &[]);
    let out = ok(
        &d,
        &["shop", "chart", "--output-dir", "out", "--release-name"],
    );
    assert_eq!(
        out,
        "wrote out/shop/web/templates/cm.yaml\nwrote out/shop/web/templates/test.yaml\n\n"
    );
    let text = std::fs::read_to_string(d.join("out/shop/web/templates/cm.yaml")).unwrap();
    assert!(
        text.starts_with("---\n# Source: web/templates/cm.yaml\n"),
        "{text}"
    );
    let out = ok(
        &d,
        &["shop", "chart", "--output-dir", "plain", "--skip-tests"],
    );
    assert_eq!(out, "wrote plain/web/templates/cm.yaml\n\n");
}

#[cfg(unix)]
#[test]
fn post_renderer() {
    use std::os::unix::fs::PermissionsExt;
    let d = chart(
        "post",
        &[
            ("upper.sh", "#!/bin/sh\n# hooks are not piped through: count the documents\nsed \"s/hello/$1/\"\n"),
            ("fail.sh", "#!/bin/sh\ncat >/dev/null\necho broken >&2\nexit 3\n"),
        ],
    );
    for f in ["upper.sh", "fail.sh"] {
        std::fs::set_permissions(d.join(f), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let out = ok(
        &d,
        &[
            "chart",
            "--post-renderer",
            "./upper.sh",
            "--post-renderer-args",
            "bye",
        ],
    );
    has(&out, r#"greeting: "bye""#);
    // Hooks come after the post-rendered manifests, untouched.
    has(&out, "# Source: web/templates/test.yaml");
    let e = err(&d, &["chart", "--post-renderer", "./fail.sh"]);
    has(&e, "error while running post render on files");
    has(&e, "broken");
    has(&e, "exit status 3");
    has(
        &err(&d, &["chart", "--post-renderer", "./missing.sh"]),
        "unable to find binary at ./missing.sh",
    );
    // Without the flag nothing runs.
    has(&ok(&d, &["chart"]), r#"greeting: "hello""#);
}

#[test]
fn chart_checks_before_rendering() {
    let d = scratch("checks");
    write(
        &d,
        &[
            ("lib/Chart.yaml", "apiVersion: v2\nname: lib\nversion: 1.0.0\ntype: library\n"),
            ("bad-type/Chart.yaml", "apiVersion: v2\nname: x\nversion: 1.0.0\ntype: app\n"),
            ("bad-version/Chart.yaml", "apiVersion: v2\nname: x\nversion: one\n"),
            ("no-name/Chart.yaml", "apiVersion: v2\nversion: 1.0.0\n"),
            (
                "dup/Chart.yaml",
                "apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n- name: a\n  version: 1.0.0\n- name: b\n  alias: a\n  version: 1.0.0\n",
            ),
            (
                "missing/Chart.yaml",
                "apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n- name: db\n  version: 1.0.0\n- name: cache\n  version: 1.0.0\n",
            ),
            ("v1/Chart.yaml", "name: old\nversion: 1.0.0\n"),
            ("v1/templates/cm.yaml", "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: old\n"),
            (
                "deprecated/Chart.yaml",
                "apiVersion: v2\nname: old\nversion: 1.0.0\ndeprecated: true\n",
            ),
            ("deprecated/templates/cm.yaml", "{{ fail \"boom\" }}"),
        ],
    );
    has(&err(&d, &["lib"]), "library charts are not installable");
    has(
        &err(&d, &["bad-type"]),
        "validation: chart.metadata.type must be application or library",
    );
    has(
        &err(&d, &["bad-version"]),
        r#"validation: chart.metadata.version "one" is invalid"#,
    );
    has(
        &err(&d, &["no-name"]),
        "validation: chart.metadata.name is required",
    );
    has(
        &err(&d, &["dup"]),
        r#"validation: more than one dependency with name or alias "a""#,
    );
    let e = err(&d, &["missing"]);
    has(&e, "An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: db, cache");
    // With --dependency-update, Helm's update: a dependency without a repository must be
    // in charts/ already.
    has(
        &err(&d, &["missing", "--dependency-update"]),
        "charts/db not found",
    );
    // A chart without apiVersion is a Helm 2 (v1) chart, as Helm reads it.
    has(&ok(&d, &["v1"]), "name: old");
    // The deprecation warning comes once, first, on stderr.
    let o = kit(&d, &["deprecated"]);
    assert_ne!(o.code, 0);
    assert!(
        o.stderr.starts_with("WARNING: This chart is deprecated\n"),
        "{}",
        o.stderr
    );
    assert_eq!(
        o.stderr.matches("This chart is deprecated").count(),
        1,
        "{}",
        o.stderr
    );
}

#[test]
fn install_flags_accepted_without_effect() {
    let d = chart("accepted", &[]);
    let plain = ok(&d, &["chart"]);
    let args = [
        "chart",
        "--create-namespace",
        "--wait",
        "--wait-for-jobs",
        "--atomic",
        "--force",
        "--replace",
        "--take-ownership",
        "--disable-openapi-validation",
        "--hide-notes",
        "--render-subchart-notes",
        "--skip-crds",
        "--timeout",
        "5m30s",
        "--description",
        "x",
        "-l",
        "team=web,tier=front",
        "--dry-run",
        "--debug",
        // Helm's cluster flags: helm template contacts no cluster.
        "--kube-apiserver",
        "https://127.0.0.1:1",
        "--kube-as-group",
        "a",
        "--kube-as-group",
        "b",
        "--kube-as-user",
        "u",
        "--kube-ca-file",
        "ca.crt",
        "--kube-insecure-skip-tls-verify",
        "--kube-tls-server-name",
        "api",
        "--kube-token",
        "t",
        "--burst-limit",
        "50",
        "--qps",
        "2.5",
        // Download flags: ignored for a chart on disk, as Helm ignores them.
        "--version",
        "9.9.9",
        "--devel",
        "--repo",
        "https://charts.example.com",
        "--username",
        "u",
        "--password",
        "p",
        "--ca-file",
        "ca",
        "--cert-file",
        "c",
        "--key-file",
        "k",
        "--insecure-skip-tls-verify",
        "--plain-http",
        "--pass-credentials",
        "--keyring",
        "ring",
        "--dependency-update",
    ];
    assert_eq!(ok(&d, &args), plain);
    assert_eq!(ok(&d, &["chart", "--dry-run=client"]), plain);
    // Helm v4's install flags, as `helm template` v4.1.4 takes them.
    let v4 = [
        "chart",
        "--wait=hookOnly",
        "--force-conflicts",
        "--force-replace",
        "--rollback-on-failure",
        "--server-side=false",
        "--colour",
        "never",
        "--content-cache",
        "cache",
    ];
    assert_eq!(ok(&d, &v4), plain);
    for bad in ["--wait=bogus", "--server-side=maybe", "--color=bogus"] {
        err(&d, &["chart", bad]);
    }
}

#[test]
fn flags_that_need_a_cluster_or_the_network_are_refused() {
    let d = chart("refused", &[]);
    has(
        &err(&d, &["chart", "--validate"]),
        "--validate needs a Kubernetes cluster",
    );
    has(&err(&d, &["chart", "--dry-run=server"]), "--dry-run=server");
    has(
        &err(&d, &["chart", "--dry-run=maybe"]),
        "Invalid dry-run flag. Flag must one of the following: false, true, none, client, server",
    );
    has(
        &err(&d, &["chart", "--enable-dns"]),
        "kit does no DNS lookups",
    );
    has(
        &err(&d, &["chart", "--verify"]),
        "unpacked charts cannot be verified",
    );
    has(
        &err(&d, &["chart", "--timeout", "5 minutes"]),
        "invalid duration",
    );
    has(
        &err(&d, &["chart", "-l", "owner=me"]),
        "system reserved label name",
    );
    has(
        &err(&d, &["chart", "-l", "novalue"]),
        "must be formatted as key=value",
    );
    let no_config = d.join("no-such-repositories.yaml");
    let e = err(
        &d,
        &[
            "bitnami/redis",
            "--version",
            "1.2.3",
            "--repository-config",
            &no_config.to_string_lossy(),
        ],
    );
    has(&e, "repo bitnami not found");
    has(&e, "helm repo add bitnami URL");
    // Nothing listens on port 9.
    has(
        &err(&d, &["redis", "--repo", "http://127.0.0.1:9/charts"]),
        "\"http://127.0.0.1:9/charts\" is not a valid chart repository or cannot be reached",
    );
    has(
        &err(&d, &["redis"]),
        "non-absolute URLs should be in form of repo_name/path_to_chart",
    );
    has(&err(&d, &["./nope"]), r#"path "./nope" not found"#);
}

#[test]
fn helm_version_picks_what_templates_see_and_refuses_other_majors() {
    let d = chart(
        "helm-version",
        &[("chart/templates/caps.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caps\ndata:\n  helm: {{ .Capabilities.HelmVersion.Version | quote }}\n  kube: {{ .Capabilities.KubeVersion.String | quote }}\n  type: {{ typeOf .Chart | quote }}\n")],
    );
    let v3 = ok(&d, &["chart"]);
    has(&v3, r#"helm: "v3.17.2""#);
    has(&v3, r#"kube: "v1.32.0""#);
    has(&v3, r#"type: "struct { chart.Metadata; IsRoot bool }""#);
    for v4 in ["4", "v4"] {
        let out = ok(&d, &["chart", "--helm-version", v4]);
        has(&out, r#"helm: "v4.1.4""#);
        has(&out, r#"kube: "v1.35.0""#);
        has(&out, r#"type: "map[string]interface {}""#);
    }
    let out = ok(
        &d,
        &[
            "chart",
            "--helm-version",
            "4",
            "--kube-version",
            "1.33.4-gke.1",
        ],
    );
    has(&out, r#"kube: "v1.33.4""#);
    has(
        &err(&d, &["chart", "--helm-version", "5"]),
        "--helm-version",
    );
    // v4 reads --kube-version with Kubernetes' parser, which wants MAJOR.MINOR.
    let stderr = err(&d, &["chart", "--helm-version", "4", "--kube-version", "1"]);
    has(&stderr, r#"illegal version string "1""#);
}
