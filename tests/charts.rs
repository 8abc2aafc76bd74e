//! Charts from chart repositories and OCI registries, served on loopback: a static HTTP
//! chart repository (charts packaged by the real `helm package`, indexed by `helm repo
//! index`) and Debian's `docker-registry` (charts pushed by the real `helm push`). kit must
//! render what `helm template` (v3.17.2, `KIT_HELM3`) and `kubectl kustomize --enable-helm`
//! (`KIT_KUBECTL`) render from the same servers, byte for byte; then the version choice,
//! the digest and size checks, where credentials go, the cache and `kit.lock`.
//!
//! Without `KIT_HELM3` (or `KIT_KUBECTL`, or `KIT_REGISTRY` for the OCI test) a test says
//! loudly that it is skipped; under CI=true it fails.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::registry::Registry;
use common::static_http::StaticServer;
use common::{scratch, write};

use common::helm3 as helm;

/// A scratch directory with Helm's own homes in it (so no user configuration is read).
struct Env {
    dir: PathBuf,
    helm: String,
}

impl Env {
    fn new(test: &str, name: &str) -> Option<Env> {
        let helm = helm(test)?;
        Some(Env {
            dir: scratch(name),
            helm,
        })
    }

    fn apply(&self, cmd: &mut Command) {
        cmd.env("HELM_CONFIG_HOME", self.dir.join("helm-config"))
            .env("HELM_CACHE_HOME", self.dir.join("helm-cache"))
            .env("HELM_DATA_HOME", self.dir.join("helm-data"))
            .env("KIT_CACHE_DIR", self.dir.join("kit-cache"))
            .env("NO_COLOR", "1");
    }

    /// Runs helm in `dir`: (exit code, stdout, stderr).
    fn helm(&self, dir: &Path, args: &[&str]) -> (i32, String, String) {
        let mut cmd = Command::new(&self.helm);
        cmd.args(args).current_dir(dir);
        self.apply(&mut cmd);
        common::output(&mut cmd)
    }

    fn kit(&self, dir: &Path, args: &[&str]) -> (i32, String, String) {
        self.kit_with_cache(dir, args, &self.dir.join("kit-cache"))
    }

    fn kit_with_cache(&self, dir: &Path, args: &[&str], cache: &Path) -> (i32, String, String) {
        let mut cmd = common::kit();
        cmd.args(args).current_dir(dir);
        self.apply(&mut cmd);
        cmd.env("KIT_CACHE_DIR", cache);
        common::output(&mut cmd)
    }

    /// `helm create NAME` once, then a package of it at each version into `out`, with
    /// `note` in its description (so that two packages of one version differ).
    fn package(&self, name: &str, versions: &[&str], out: &Path, note: &str) {
        let src = self.dir.join("src");
        std::fs::create_dir_all(&src).unwrap();
        if !src.join(name).is_dir() {
            let (code, _, err) = self.helm(&src, &["create", name]);
            assert_eq!(code, 0, "helm create: {err}");
        }
        std::fs::create_dir_all(out).unwrap();
        let chart_yaml = src.join(name).join("Chart.yaml");
        let original = std::fs::read_to_string(&chart_yaml).unwrap();
        for version in versions {
            let text: String = original
                .lines()
                .map(|l| {
                    if l.starts_with("version:") {
                        format!("version: {version}")
                    } else if l.starts_with("description:") {
                        format!("description: A chart for the tests {note}")
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
            std::fs::write(&chart_yaml, text + "\n").unwrap();
            let (code, _, err) = self.helm(
                &src,
                &["package", name, "--destination", &out.to_string_lossy()],
            );
            assert_eq!(code, 0, "helm package {version}: {err}");
        }
        std::fs::write(&chart_yaml, original).unwrap();
    }

    /// `helm repo index DIR` (with `--url` when given: absolute URLs in the index).
    fn index(&self, dir: &Path, url: Option<&str>) {
        let mut args = vec!["repo", "index", "."];
        if let Some(u) = url {
            args.extend(["--url", u]);
        }
        let (code, _, err) = self.helm(dir, &args);
        assert_eq!(code, 0, "helm repo index: {err}");
    }
}

/// Runs `kit ARGS+SPEC` and `helm ARGS+SPEC` in `dir` for each spec: both must print the
/// same, or both fail (kit with exit 2); the differences, described.
fn differences(env: &Env, dir: &Path, args: &[&str], specs: &[&[&str]]) -> Vec<String> {
    let mut failures = Vec::new();
    for spec in specs {
        let mut all = args.to_vec();
        all.extend_from_slice(spec);
        let kit = env.kit(dir, &all);
        let helm = env.helm(dir, &all);
        let agree = common::agree(&kit, &helm);
        if !agree {
            failures.push(format!(
                "{all:?}:\n--- kit (exit {}):\n{}{}\n--- helm (exit {}):\n{}{}",
                kit.0, kit.1, kit.2, helm.0, helm.1, helm.2
            ));
        }
    }
    failures
}

/// The versions the repository serves; `1.10.0` sorts above `1.2.0` only as semver does,
/// and `2.0.0-rc.1` is a pre-release.
const VERSIONS: &[&str] = &["1.1.0", "1.2.0", "1.10.0", "2.0.0-rc.1"];

#[test]
fn charts_from_a_repository_render_as_helm_and_kubectl_render_them() {
    let Some(env) = Env::new(
        "charts_from_a_repository_render_as_helm_and_kubectl_render_them",
        "differential",
    ) else {
        return;
    };
    let srv = env.dir.join("srv");
    env.package("web", VERSIONS, &srv, "v1");
    env.index(&srv, None);
    let server = StaticServer::start(&srv, None);
    let url = format!("{}/", server.url());
    let work = env.dir.join("work");
    std::fs::create_dir_all(&work).unwrap();

    // kit template NAME --repo URL [--version V] against helm template.
    let specs: &[&[&str]] = &[
        &[],
        &["--version", "1.2.0"],
        &["--version", "^1.1"],
        &["--version", "~1.1.0"],
        &["--version", "<1.10"],
        &["--version", ">=1.2.0 <2.0.0"],
        &["--version", ">=2.0.0-0"],
        &["--version", "2.0.0-rc.1"],
        &["--devel"],
        &["--version", ">=3"],
        &["--version", "not-a-range!"],
    ];
    let failures = differences(
        &env,
        &work,
        &[
            "template",
            "rel",
            "web",
            "--repo",
            &url,
            "--set",
            "replicaCount=2",
        ],
        specs,
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));

    // REPO/CHART through Helm's repositories file and repository cache: kit reads the index
    // `helm repo add` cached, and downloads only the archive.
    let (code, _, err) = env.helm(&work, &["repo", "add", "myrepo", &url]);
    assert_eq!(code, 0, "{err}");
    let before = server.requests();
    let kit = env.kit_with_cache(
        &work,
        &["template", "myrepo/web", "--version", "~1.1"],
        &env.dir.join("cache-repo"),
    );
    let seen: Vec<String> = server.seen()[before..]
        .iter()
        .map(|s| s.path.clone())
        .collect();
    assert_eq!(seen, ["/web-1.1.0.tgz"], "{}", kit.2);
    let helm = env.helm(&work, &["template", "myrepo/web", "--version", "~1.1"]);
    assert_eq!((kit.0, &kit.1), (0, &helm.1), "{}", kit.2);
    let kit = env.kit(&work, &["template", "nosuch/web"]);
    let helm = env.helm(&work, &["template", "nosuch/web"]);
    assert!(
        kit.0 == 2 && helm.0 != 0 && kit.2.contains("repo nosuch not found"),
        "{kit:?} {helm:?}"
    );

    // helmCharts with repo: against kubectl kustomize --enable-helm.
    let Some(kubectl) = common::env_var("KIT_KUBECTL") else {
        common::skip_or_fail(
            "charts_from_a_repository_render_as_helm_and_kubectl_render_them",
            "kubectl is missing: KIT_KUBECTL is not set (run scripts/test)",
        );
        return;
    };
    let kustomizations = [
        format!(
            "helmCharts:\n- name: web\n  repo: {url}\n  version: \"~1.1\"\n  releaseName: one\n  valuesInline:\n    replicaCount: 3\n  valuesMerge: merge\n- name: web\n  repo: {}\n  releaseName: two\n  namespace: apps\n  valuesInline:\n    service:\n      port: 8080\nnamePrefix: p-\n",
            server.url()
        ),
        format!("helmCharts:\n- name: web\n  repo: {url}\n  version: \">=1.2.0-0\"\n  releaseName: pre\n  valuesMerge: replace\n  valuesInline:\n    image:\n      tag: \"9\"\n"),
        format!("helmCharts:\n- name: web\n  repo: {url}\n  version: \"5.0.0\"\n"),
        format!("helmCharts:\n- name: nothing\n  repo: {url}\n"),
    ];
    for (i, text) in kustomizations.iter().enumerate() {
        // Separate directories: kubectl pulls the chart into charts/ of its own.
        let for_kit = env.dir.join(format!("k{i}/kit"));
        let for_kubectl = env.dir.join(format!("k{i}/kubectl"));
        write(&for_kit, "kustomization.yaml", text);
        write(&for_kubectl, "kustomization.yaml", text);
        let kit = env.kit(&for_kit, &["build", "."]);
        let mut cmd = Command::new(&kubectl);
        cmd.args([
            "kustomize",
            "--enable-helm",
            "--helm-command",
            &env.helm,
            ".",
        ])
        .current_dir(&for_kubectl);
        env.apply(&mut cmd);
        let kubectl_out = common::output(&mut cmd);
        let agree = common::agree(&kit, &kubectl_out);
        assert!(
            agree && (i < 2) == (kit.0 == 0),
            "{text}\n--- kit (exit {}):\n{}{}\n--- kubectl (exit {}):\n{}{}",
            kit.0,
            kit.1,
            kit.2,
            kubectl_out.0,
            kubectl_out.1,
            kubectl_out.2
        );
        // kit writes nothing under the kustomization.
        assert!(!for_kit.join("charts").exists());
    }
    // A chart already where kustomize v5 pulls it (<chartHome>/<name>-<version>/<name>)
    // is used as it is: no request.
    let local = env.dir.join("k0/kubectl");
    let before = server.requests();
    let kit = env.kit(&local, &["build", "."]);
    let kubectl_out = common::output(
        Command::new(&kubectl)
            .args([
                "kustomize",
                "--enable-helm",
                "--helm-command",
                &env.helm,
                ".",
            ])
            .current_dir(&local),
    );
    assert_eq!((kit.0, &kit.1), (0, &kubectl_out.1), "{}", kit.2);
    assert!(local.join("charts/web-~1.1/web/Chart.yaml").is_file());
    let kit_requests: Vec<String> = server.seen()[before..]
        .iter()
        .map(|s| s.path.clone())
        .collect();
    // kubectl pulled the second entry (no version) again; kit asked for nothing but what
    // it had not cached: the second entry's index.
    assert!(
        !kit_requests.iter().any(|p| p.contains("1.1.0")),
        "{kit_requests:?}"
    );
}

#[test]
fn the_archive_must_match_the_index_and_stay_under_the_limit() {
    let Some(env) = Env::new(
        "the_archive_must_match_the_index_and_stay_under_the_limit",
        "checks",
    ) else {
        return;
    };
    let srv = env.dir.join("srv");
    env.package("web", &["1.0.0"], &srv.join("good"), "v1");
    env.index(&srv.join("good"), None);
    let server = StaticServer::start(&srv, None);
    let work = env.dir.join("work");
    std::fs::create_dir_all(&work).unwrap();

    // The index's digest is not the archive's: refused, nothing cached.
    let index = std::fs::read_to_string(srv.join("good/index.yaml")).unwrap();
    let digest = index
        .lines()
        .find_map(|l| l.trim().strip_prefix("digest: "))
        .unwrap()
        .to_string();
    write(
        &srv,
        "bad/index.yaml",
        &index.replace(&digest, &"ab".repeat(32)),
    );
    std::fs::copy(
        srv.join("good/web-1.0.0.tgz"),
        srv.join("bad/web-1.0.0.tgz"),
    )
    .unwrap();
    let bad = format!("{}/bad", server.url());
    let (code, out, err) = env.kit(&work, &["template", "web", "--repo", &bad]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(
        err.contains("kit::chart::digest") && err.contains(&digest),
        "{err}"
    );
    let cached = std::fs::read_dir(env.dir.join("kit-cache/charts"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(cached, 0, "a refused archive is not cached");
    // The same archive with the right digest renders.
    let good = format!("{}/good", server.url());
    let (code, _, err) = env.kit(&work, &["template", "web", "--repo", &good]);
    assert_eq!(code, 0, "{err}");

    // An archive over the limit (20 MiB) is refused while downloading.
    let big = srv.join("big");
    std::fs::create_dir_all(&big).unwrap();
    std::fs::write(big.join("web-1.0.0.tgz"), vec![0u8; 21 * 1024 * 1024]).unwrap();
    write(
        &big,
        "index.yaml",
        &index.replace(&digest, &"cd".repeat(32)),
    );
    let (code, _, err) = env.kit(
        &work,
        &[
            "template",
            "web",
            "--repo",
            &format!("{}/big", server.url()),
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("kit::remote::http") && err.contains("larger than 20 MiB"),
        "{err}"
    );

    // A repository without an index, and an index that is not one.
    let (code, _, err) = env.kit(
        &work,
        &[
            "template",
            "web",
            "--repo",
            &format!("{}/none", server.url()),
        ],
    );
    assert!(code == 2 && err.contains("404"), "{err}");
    write(&srv, "junk/index.yaml", "entries: {}\n");
    let (code, _, err) = env.kit(
        &work,
        &[
            "template",
            "web",
            "--repo",
            &format!("{}/junk", server.url()),
        ],
    );
    assert!(
        code == 2 && err.contains("no API version specified"),
        "{err}"
    );
}

#[test]
fn credentials_go_only_to_the_repository_host() {
    let Some(env) = Env::new("credentials_go_only_to_the_repository_host", "credentials") else {
        return;
    };
    use base64::Engine;
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("user:secret")
    );
    // The repository (credentials required) lists one chart on its own host and one on
    // another host (another port).
    let repo_root = env.dir.join("repo");
    let other_root = env.dir.join("other");
    let other = StaticServer::start(&other_root, None);
    let repo = StaticServer::start(&repo_root, Some(basic.clone()));
    env.package("web", &["1.0.0"], &repo_root, "v1");
    env.package("far", &["1.0.0"], &other_root, "v1");
    // One index listing both: `web` relative, `far` absolute on the other host.
    env.index(&other_root, Some(&other.url()));
    let far_index = std::fs::read_to_string(other_root.join("index.yaml")).unwrap();
    std::fs::rename(other_root.join("index.yaml"), env.dir.join("far.yaml")).unwrap();
    env.index(&repo_root, None);
    let web_index = std::fs::read_to_string(repo_root.join("index.yaml")).unwrap();
    let far_entry = far_index
        .split_once("entries:\n")
        .unwrap()
        .1
        .split("generated:")
        .next()
        .unwrap();
    write(
        &repo_root,
        "index.yaml",
        &web_index.replace("entries:\n", &format!("entries:\n{far_entry}")),
    );
    let work = env.dir.join("work");
    std::fs::create_dir_all(&work).unwrap();
    let url = repo.url();
    let creds = ["--username", "user", "--password", "secret"];

    // Without credentials: the repository refuses, and kit says what to do.
    let (code, _, err) = env.kit(&work, &["template", "web", "--repo", &url]);
    assert!(
        code == 2 && err.contains("401") && err.contains("--username"),
        "{err}"
    );

    // The chart on the repository's host gets them; the one on the other host does not.
    for chart in ["web", "far"] {
        let mut args = vec!["template", chart, "--repo", &url];
        args.extend(creds);
        let kit = env.kit(&work, &args);
        let helm = env.helm(&work, &args);
        assert_eq!((kit.0, &kit.1), (0, &helm.1), "{chart}: {}", kit.2);
    }
    assert!(
        repo.seen()
            .iter()
            .filter(|s| s.authorization.is_some())
            .all(|s| s.authorization.as_deref() == Some(basic.as_str())),
        "{:?}",
        repo.seen()
    );
    assert!(
        other.seen().iter().all(|s| s.authorization.is_none()),
        "credentials leaked to another host: {:?}",
        other.seen()
    );
    assert!(!other.seen().is_empty());

    // --pass-credentials sends them to the other host too (as Helm does).
    let mut args = vec!["template", "far", "--repo", &url, "--pass-credentials"];
    args.extend(creds);
    let fresh = env.dir.join("cache-pass");
    let (code, _, err) = env.kit_with_cache(&work, &args, &fresh);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        other.seen().last().and_then(|s| s.authorization.clone()),
        Some(basic)
    );
}

#[test]
fn charts_are_cached_pinned_and_checked_by_the_lock() {
    let Some(env) = Env::new("charts_are_cached_pinned_and_checked_by_the_lock", "lock") else {
        return;
    };
    let srv = env.dir.join("srv");
    env.package("web", &["1.1.0", "1.2.0"], &srv, "v1");
    env.index(&srv, None);
    let server = StaticServer::start(&srv, None);
    let url = server.url();
    let root = env.dir.join("app");
    write(
        &root,
        "kustomization.yaml",
        &format!(
            "helmCharts:\n- name: web\n  repo: {url}\n  version: \"^1.1\"\n  releaseName: app\n"
        ),
    );

    // Unpinned: the index is read on every build, the archive downloaded once.
    let (code, first, err) = env.kit(&root, &["build", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("downloading chart web 1.2.0") && first.contains("web-1.2.0"),
        "{err}"
    );
    let before = server.requests();
    let (code, again, err) = env.kit(&root, &["build", "."]);
    assert_eq!((code, &again), (0, &first), "{err}");
    let paths: Vec<String> = server.seen()[before..]
        .iter()
        .map(|s| s.path.clone())
        .collect();
    assert_eq!(paths, ["/index.yaml"]);
    // --quiet says nothing.
    let (code, _, err) = env.kit(&root, &["build", ".", "--quiet"]);
    assert_eq!((code, err.as_str()), (0, ""));

    // Pinned by kit update: no request at all.
    let (code, _, err) = env.kit(&root, &["update", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 chart pinned"), "{err}");
    let lock = std::fs::read_to_string(root.join("kit.lock")).unwrap();
    assert!(
        lock.contains("charts:\n- repo:")
            && lock.contains("constraint: \"^1.1\"")
            && lock.contains("version: \"1.2.0\"")
            && lock.contains("digest: \"sha256:"),
        "{lock}"
    );
    let before = server.requests();
    let (code, out, err) = env.kit(&root, &["build", "."]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, first.as_str(), ""));
    assert_eq!(server.requests(), before, "{:?}", server.seen());

    // A newer version appears: the lock keeps 1.2.0; --locked sees the change.
    env.package("web", &["1.3.0"], &srv, "v1");
    env.index(&srv, None);
    let (code, out, err) = env.kit(&root, &["build", "."]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, first.as_str(), ""));
    let (code, _, err) = env.kit(&root, &["build", ".", "--locked"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("kit::lock::changed") && err.contains("1.3.0") && err.contains("kit.lock:"),
        "{err}"
    );

    // 1.2.0 is published again with other bytes: the cache still has the pinned ones
    // (--offline builds), an empty cache refuses the new bytes against the lock.
    env.package("web", &["1.2.0"], &srv, "v2");
    env.index(&srv, None);
    let (code, out, err) = env.kit(&root, &["build", ".", "--offline"]);
    assert_eq!((code, out.as_str()), (0, first.as_str()), "{err}");
    let empty = env.dir.join("empty-cache");
    let (code, _, err) = env.kit_with_cache(&root, &["build", "."], &empty);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("kit::chart::digest") && err.contains("kit.lock"),
        "{err}"
    );
    let (code, _, err) = env.kit_with_cache(&root, &["build", ".", "--offline"], &empty);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("kit::remote::offline"), "{err}");

    // kit update takes 1.3.0; then --locked builds it.
    let (code, _, err) = env.kit(&root, &["update", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1.2.0") && err.contains("-> 1.3.0"), "{err}");
    let (code, out, err) = env.kit(&root, &["build", ".", "--locked"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("web-1.3.0"), "{out}");

    // --offline and --locked refuse a chart the lock does not pin, at its entry.
    write(
        &root,
        "kustomization.yaml",
        &format!("helmCharts:\n- name: web\n  repo: {url}\n  version: \"~1.1\"\n"),
    );
    for flag in ["--offline", "--locked"] {
        let (code, _, err) = env.kit(&root, &["build", ".", flag]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("kit::lock::missing") && err.contains("kustomization.yaml:2:9"),
            "{flag}: {err}"
        );
    }
    let (code, _, err) = env.kit(&root, &["build", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("kit::lock::unpinned"), "{err}");
}

#[test]
fn charts_from_an_oci_registry_render_as_helm_renders_them() {
    let test = "charts_from_an_oci_registry_render_as_helm_renders_them";
    let Some(env) = Env::new(test, "oci") else {
        return;
    };
    let Some(binary) = common::registry::binary(test) else {
        return;
    };
    let registry = Registry::start(&binary, &env.dir, "", "");
    let packages = env.dir.join("packages");
    env.package(
        "web",
        &["1.1.0", "1.2.0", "1.10.0+build.7", "2.0.0-rc.1"],
        &packages,
        "v1",
    );
    let target = format!("oci://127.0.0.1:{}/charts", registry.port);
    let mut archives: Vec<PathBuf> = std::fs::read_dir(&packages)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    archives.sort();
    for archive in &archives {
        let (code, _, err) = env.helm(
            &env.dir,
            &["push", &archive.to_string_lossy(), &target, "--plain-http"],
        );
        assert_eq!(code, 0, "helm push: {err}");
    }
    let work = env.dir.join("work");
    std::fs::create_dir_all(&work).unwrap();
    let reference = format!("{target}/web");
    let specs: &[&[&str]] = &[
        &[],
        &["--version", "1.2.0"],
        &["--version", "~1.1"],
        &["--version", "^1.2"],
        &["--version", "1.10.0+build.7"],
        &["--version", ">=2.0.0-0"],
        &["--devel"],
        &["--version", ">=3"],
        &["--version", "9.9.9"],
    ];
    let failures = differences(
        &env,
        &work,
        &["template", "rel", &reference, "--plain-http"],
        specs,
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));

    // The tag in the reference stands for --version; a chart that is not there is an error.
    let kit = env.kit(
        &work,
        &["template", &format!("{reference}:1.1.0"), "--plain-http"],
    );
    let helm = env.helm(
        &work,
        &["template", &format!("{reference}:1.1.0"), "--plain-http"],
    );
    assert_eq!((kit.0, &kit.1), (0, &helm.1), "{}", kit.2);
    let (code, _, err) = env.kit(
        &work,
        &["template", &format!("{target}/nothing"), "--plain-http"],
    );
    assert!(code == 2 && err.contains("kit::chart::oci"), "{err}");

    // A registry that wants credentials: `helm registry login` writes them into Helm's
    // registry config, which kit reads; without them kit says what to do.
    let secured_dir = env.dir.join("secured");
    let hash = bcrypt::hash_with_result("secret", 4)
        .unwrap()
        .format_for_version(bcrypt::Version::TwoA);
    write(&secured_dir, "htpasswd", &format!("user:{hash}\n"));
    let secured = Registry::start(
        &binary,
        &secured_dir,
        &format!(
            "auth:\n  htpasswd:\n    realm: kit-test\n    path: {}\n",
            secured_dir.join("htpasswd").display()
        ),
        "",
    );
    let host = format!("127.0.0.1:{}", secured.port);
    let secured_ref = format!("oci://{host}/charts/web");
    let (code, _, err) = env.kit(&work, &["template", &secured_ref, "--plain-http"]);
    assert!(
        code == 2 && err.contains("wants credentials") && err.contains("helm registry login"),
        "{err}"
    );
    let (code, _, err) = env.helm(
        &env.dir,
        &[
            "registry",
            "login",
            &host,
            "--username",
            "user",
            "--password",
            "secret",
            "--insecure",
        ],
    );
    assert_eq!(code, 0, "helm registry login: {err}");
    let (code, _, err) = env.helm(
        &env.dir,
        &[
            "push",
            &archives[0].to_string_lossy(),
            &format!("oci://{host}/charts"),
            "--plain-http",
        ],
    );
    assert_eq!(code, 0, "helm push: {err}");
    let helm_out = env.helm(&work, &["template", &secured_ref, "--plain-http"]);
    assert_eq!(helm_out.0, 0, "{}", helm_out.2);
    let kit = env.kit_with_cache(
        &work,
        &["template", &secured_ref, "--plain-http"],
        &env.dir.join("cache-login"),
    );
    assert_eq!((kit.0, &kit.1), (0, &helm_out.1), "{}", kit.2);
    // With the flags and no registry config.
    let mut cmd = common::kit();
    cmd.args([
        "template",
        &secured_ref,
        "--plain-http",
        "--username",
        "user",
        "--password",
        "secret",
    ])
    .current_dir(&work)
    .env("HELM_CONFIG_HOME", env.dir.join("no-config"))
    .env("KIT_CACHE_DIR", env.dir.join("cache-flags"));
    let kit = common::output(&mut cmd);
    assert_eq!((kit.0, &kit.1), (0, &helm_out.1), "{}", kit.2);
    drop(secured);

    // helmCharts with an oci:// repo.
    let root = env.dir.join("app");
    write(
        &root,
        "kustomization.yaml",
        &format!(
            "helmCharts:\n- name: web\n  repo: {target}\n  version: \"~1.1\"\n  releaseName: rel\n"
        ),
    );
    // kustomize's helm pulls oci:// charts over HTTPS only, so this registry (plain HTTP)
    // is reached by kit alone: kit's default for oci:// is HTTPS too, and a plain-HTTP
    // registry is refused.
    let (code, _, err) = env.kit(&root, &["build", "."]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("kit::chart::oci"), "{err}");
}

/// The manifests of a `helm template` run: Helm's dependency manager prints its progress
/// (`Saving 4 charts`, `Downloading ...`) on stdout ahead of them, which kit prints on stderr.
fn manifests_only(stdout: &str) -> &str {
    match stdout.find("---\n") {
        Some(at) if at == 0 || stdout[..at].ends_with('\n') => &stdout[at..],
        _ => stdout,
    }
}

/// Every file under `dir` (relative path → bytes), to see that nothing was written there.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

fn copy_dir(from: &Path, to: &Path) {
    for (rel, bytes) in tree(from) {
        let path = to.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

#[test]
fn dependency_update_fetches_the_dependencies_helm_fetches() {
    let test = "dependency_update_fetches_the_dependencies_helm_fetches";
    let Some(env) = Env::new(test, "chartdeps") else {
        return;
    };
    let Some(binary) = common::registry::binary(test) else {
        return;
    };
    // An HTTP repository (web, cache), a registry (db), a chart directory (local).
    let srv = env.dir.join("srv");
    env.package("web", &["1.1.0", "1.2.0"], &srv, "v1");
    env.package("cache", &["0.1.0"], &srv, "v1");
    env.index(&srv, None);
    let server = StaticServer::start(&srv, None);
    let url = server.url();
    let registry = Registry::start(&binary, &env.dir, "", "");
    let packages = env.dir.join("packages");
    env.package("db", &["1.0.0"], &packages, "v1");
    let oci = format!("oci://127.0.0.1:{}/charts", registry.port);
    let (code, _, err) = env.helm(
        &env.dir,
        &[
            "push",
            &packages.join("db-1.0.0.tgz").to_string_lossy(),
            &oci,
            "--plain-http",
        ],
    );
    assert_eq!(code, 0, "helm push: {err}");
    let work = env.dir.join("work");
    std::fs::create_dir_all(&work).unwrap();
    let (code, _, err) = env.helm(&work, &["repo", "add", "myrepo", &url]);
    assert_eq!(code, 0, "{err}");
    for name in ["app", "local"] {
        let (code, _, err) = env.helm(&work, &["create", name]);
        assert_eq!(code, 0, "helm create: {err}");
    }
    let chart_yaml = work.join("app/Chart.yaml");
    let text = std::fs::read_to_string(&chart_yaml).unwrap();
    std::fs::write(
        &chart_yaml,
        format!(
            "{text}dependencies:\n- name: web\n  version: \"^1.1\"\n  repository: {url}\n- name: cache\n  version: 0.1.0\n  repository: \"@myrepo\"\n  alias: kv\n- name: db\n  version: \"~1.0\"\n  repository: {oci}\n- name: local\n  version: \">=0.1.0\"\n  repository: file://../local\n"
        ),
    )
    .unwrap();
    let before = tree(&work.join("app"));

    // Without the flag, both refuse the chart.
    let args = ["template", "rel", "./app", "--plain-http"];
    let (code, _, err) = env.kit(&work, &args);
    assert!(code == 2 && err.contains("missing in charts/"), "{err}");
    assert_ne!(env.helm(&work, &args).0, 0);

    // With it: the manifests helm renders after writing into a copy of the chart.
    copy_dir(&work.join("app"), &work.join("app-helm"));
    let helm = env.helm(
        &work,
        &[
            "template",
            "rel",
            "./app-helm",
            "--plain-http",
            "--dependency-update",
        ],
    );
    assert_eq!(helm.0, 0, "{}", helm.2);
    let with = [
        "template",
        "rel",
        "./app",
        "--plain-http",
        "--dependency-update",
    ];
    let kit = env.kit(&work, &with);
    assert_eq!(kit.0, 0, "{}", kit.2);
    assert_eq!(kit.1, manifests_only(&helm.1), "{}", kit.2);
    for sub in ["rel-web", "rel-kv", "rel-db", "rel-local"] {
        assert!(
            kit.1.contains(&format!("name: {sub}\n")),
            "{sub}: {}",
            kit.1
        );
    }
    assert!(kit.2.contains("downloading chart web 1.2.0"), "{}", kit.2);
    // kit wrote nothing into the chart (helm wrote charts/*.tgz and Chart.lock).
    assert!(
        before == tree(&work.join("app")),
        "kit wrote into the chart"
    );
    assert!(work.join("app-helm/Chart.lock").is_file());

    // --update-lock pins the three fetched charts in ./kit.lock; then --locked and
    // --offline render them, and a plain render keeps them when the repository moves on.
    let mut pin = with.to_vec();
    pin.push("--update-lock");
    let (code, out, err) = env.kit(&work, &pin);
    assert_eq!((code, out.as_str()), (0, kit.1.as_str()), "{err}");
    let lock = std::fs::read_to_string(work.join("kit.lock")).unwrap();
    for want in [
        "name: \"web\"",
        "name: \"cache\"",
        "name: \"db\"",
        "version: \"1.2.0\"",
    ] {
        assert!(lock.contains(want), "{want}: {lock}");
    }
    assert!(!lock.contains("local"), "{lock}");
    env.package("web", &["1.3.0"], &srv, "v1");
    env.index(&srv, None);
    for extra in [None, Some("--offline")] {
        let mut args = with.to_vec();
        args.extend(extra);
        let (code, out, err) = env.kit(&work, &args);
        assert_eq!(
            (code, out.as_str()),
            (0, kit.1.as_str()),
            "{extra:?}: {err}"
        );
    }
    let mut locked = with.to_vec();
    locked.push("--locked");
    let (code, _, err) = env.kit(&work, &locked);
    assert!(
        code == 2 && err.contains("kit::lock::changed") && err.contains("1.3.0"),
        "{err}"
    );
    let (code, _, err) = env.kit(&work, &pin);
    assert!(code == 0 && err.contains("1.3.0"), "{err}");
    let (code, out, err) = env.kit(&work, &locked);
    assert!(code == 0 && out.contains("web-1.3.0"), "{err}");

    // Chart.lock is read as `helm dependency build` reads it: helm's own Chart.lock (1.2.0)
    // holds although 1.3.0 now answers ^1.1 too.
    std::fs::remove_file(work.join("kit.lock")).unwrap();
    std::fs::copy(
        work.join("app-helm/Chart.lock"),
        work.join("app/Chart.lock"),
    )
    .unwrap();
    let built = env.helm(&work, &["template", "rel", "./app-helm", "--plain-http"]);
    assert_eq!(built.0, 0, "{}", built.2);
    let (code, out, err) = env.kit(&work, &with);
    assert_eq!((code, out.as_str()), (0, built.1.as_str()), "{err}");
    assert!(out.contains("web-1.2.0"), "{out}");

    // --locked refuses dependencies kit.lock does not pin, naming the Chart.yaml entry.
    let (code, _, err) = env.kit(&work, &locked);
    assert!(
        code == 2 && err.contains("kit::lock::missing") && err.contains("--update-lock"),
        "{err}"
    );
}

#[test]
fn credentials_in_a_repository_url_stay_out_of_kit_lock() {
    let Some(env) = Env::new(
        "credentials_in_a_repository_url_stay_out_of_kit_lock",
        "lock-credentials",
    ) else {
        return;
    };
    let srv = env.dir.join("srv");
    env.package("web", &["1.0.0"], &srv, "v1");
    env.index(&srv, None);
    let server = StaticServer::start(&srv, None);
    let plain = server.url();
    let with_secret = plain.replacen("://", "://user:s3cret@", 1);
    let root = env.dir.join("app");
    let kustomization = |repo: &str| {
        write(
            &root,
            "kustomization.yaml",
            &format!("helmCharts:\n- name: web\n  repo: {repo}\n  releaseName: app\n"),
        )
    };
    kustomization(&with_secret);
    let (code, _, err) = env.kit(&root, &["update", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("s3cret"), "{err}");
    let lock = std::fs::read_to_string(root.join("kit.lock")).unwrap();
    assert!(!lock.contains("s3cret") && !lock.contains("user"), "{lock}");
    assert!(lock.contains(&format!("repo: \"{plain}\"")), "{lock}");
    // The entry matches the URL with its credentials and without them.
    for repo in [&with_secret, &plain] {
        kustomization(repo);
        let (code, _, err) = env.kit(&root, &["build", ".", "--locked"]);
        assert_eq!(code, 0, "{repo}: {err}");
        let (code, _, err) = env.kit(&root, &["update", "."]);
        assert!(code == 0 && err.contains("0 changes"), "{repo}: {err}");
    }

    // kit template --update-lock writes ./kit.lock the same way.
    let work = env.dir.join("work");
    std::fs::create_dir_all(&work).unwrap();
    let (code, _, err) = env.kit(
        &work,
        &["template", "web", "--repo", &with_secret, "--update-lock"],
    );
    assert_eq!(code, 0, "{err}");
    let lock = std::fs::read_to_string(work.join("kit.lock")).unwrap();
    assert!(!lock.contains("s3cret"), "{lock}");
    for repo in [&with_secret, &plain] {
        let (code, _, err) = env.kit(&work, &["template", "web", "--repo", repo, "--locked"]);
        assert_eq!(code, 0, "{repo}: {err}");
    }
}

/// `kubectl kustomize --enable-helm` runs `helm pull --repo URL` with a fresh
/// HELM_CONFIG_HOME, and `helm pull --repo` reads index.yaml with the flags' credentials
/// only: a `helmCharts:` repository that wants credentials is refused by both, whatever
/// repositories.yaml holds (even named by $HELM_REPOSITORY_CONFIG, which reaches helm).
/// `REPO/CHART` and a chart's dependencies (`--dependency-update`) do get that entry's
/// credentials, in Helm and in kit.
#[test]
fn helm_charts_get_no_credentials_from_repositories_yaml_as_in_kustomize() {
    let test = "helm_charts_get_no_credentials_from_repositories_yaml_as_in_kustomize";
    let Some(env) = Env::new(test, "helmcharts-auth") else {
        return;
    };
    let Some(kubectl) = common::env_var("KIT_KUBECTL") else {
        common::skip_or_fail(
            test,
            "kubectl is missing: KIT_KUBECTL is not set (run scripts/test)",
        );
        return;
    };
    use base64::Engine;
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("user:secret")
    );
    let srv = env.dir.join("srv");
    let server = StaticServer::start(&srv, Some(basic.clone()));
    env.package("web", &["1.0.0"], &srv, "v1");
    env.index(&srv, None);
    let url = server.url();
    let repositories = env.dir.join("repositories.yaml");
    write(
        &env.dir,
        "repositories.yaml",
        &format!("apiVersion: \"\"\ngenerated: \"0001-01-01T00:00:00Z\"\nrepositories:\n- name: private\n  url: {url}\n  username: user\n  password: secret\n"),
    );
    let root = env.dir.join("app");
    write(
        &root,
        "kustomization.yaml",
        &format!("helmCharts:\n- name: web\n  repo: {url}\n  version: 1.0.0\n  releaseName: app\n"),
    );
    let mut cmd = Command::new(&kubectl);
    cmd.args([
        "kustomize",
        "--enable-helm",
        "--helm-command",
        &env.helm,
        ".",
    ])
    .current_dir(&root);
    env.apply(&mut cmd);
    cmd.env("HELM_REPOSITORY_CONFIG", &repositories);
    let kubectl_out = common::output(&mut cmd);
    assert!(
        kubectl_out.0 != 0 && kubectl_out.2.contains("401"),
        "kubectl: {kubectl_out:?}"
    );
    let mut cmd = common::kit();
    cmd.args(["build", "."]).current_dir(&root);
    env.apply(&mut cmd);
    cmd.env("HELM_REPOSITORY_CONFIG", &repositories);
    let (code, _, err) = common::output(&mut cmd);
    assert!(code == 2 && err.contains("401"), "{err}");
    assert!(
        server.seen().iter().all(|s| s.authorization.is_none()),
        "{:?}",
        server.seen()
    );
    // The same file names the repository for `kit template private/web`, with its
    // credentials, as for `helm template private/web`.
    let mut cmd = common::kit();
    cmd.args(["template", "private/web"]).current_dir(&root);
    env.apply(&mut cmd);
    cmd.env("HELM_REPOSITORY_CONFIG", &repositories);
    let (code, _, err) = common::output(&mut cmd);
    assert_eq!(code, 0, "{err}");
    assert!(server
        .seen()
        .iter()
        .any(|s| s.authorization.as_deref() == Some(basic.as_str())));

    // A chart's dependency on that repository URL gets the entry's credentials from Helm's
    // dependency manager, and from kit's --dependency-update.
    let work = env.dir.join("work");
    std::fs::create_dir_all(&work).unwrap();
    let (code, _, err) = env.helm(&work, &["create", "app"]);
    assert_eq!(code, 0, "{err}");
    let chart_yaml = work.join("app/Chart.yaml");
    let text = std::fs::read_to_string(&chart_yaml).unwrap();
    std::fs::write(
        &chart_yaml,
        format!("{text}dependencies:\n- name: web\n  version: 1.0.0\n  repository: {url}\n"),
    )
    .unwrap();
    copy_dir(&work.join("app"), &work.join("app-helm"));
    let run = |mut cmd: Command, chart: &str| {
        cmd.args(["template", "rel", chart, "--dependency-update"])
            .current_dir(&work);
        env.apply(&mut cmd);
        cmd.env("HELM_REPOSITORY_CONFIG", &repositories);
        common::output(&mut cmd)
    };
    let helm = run(Command::new(&env.helm), "./app-helm");
    assert_eq!(helm.0, 0, "{}", helm.2);
    let kit = run(common::kit(), "./app");
    assert_eq!(kit.0, 0, "{}", kit.2);
    assert_eq!(kit.1, manifests_only(&helm.1));
    assert!(kit.1.contains("app/charts/web/templates/"), "{}", kit.1);
}
