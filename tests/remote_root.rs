//! A git URL as the root (`kit build https://host/org/repo//dir?ref=v1`, as `kubectl
//! kustomize URL`): repositories served on loopback (`git http-backend` behind a small HTTP
//! server, and `file://`), built with kit and with `kubectl kustomize` (kustomize v5.8.1,
//! `KIT_KUBECTL`), which must agree byte for byte and fail on the same roots; then `kit lint`
//! and `kit validate` of a URL, and the cache (a second build makes no fetch).
//!
//! Without the `git` program these tests are skipped with a loud message, except under
//! CI=true, where they fail. The differential test needs `KIT_KUBECTL` unless
//! `KIT_SKIP_DIFFERENTIAL=1`.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::git_http::{git, have_git, init_repo, GitServer};
use common::{scratch, write};

const CONFIGMAP: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n";

/// A served repository `org/repo` with a base, an overlay of it, a base that reads a file
/// outside its directory, and a plain file.
struct Fixture {
    dir: PathBuf,
    srv: PathBuf,
    server: GitServer,
}

impl Fixture {
    fn new(name: &str) -> Fixture {
        let dir = scratch(name);
        let srv = dir.join("srv");
        std::fs::create_dir_all(&srv).unwrap();
        let server = GitServer::start(&srv);
        let work = dir.join("work");
        write(
            &work,
            "base/kustomization.yaml",
            "resources:\n- cm.yaml\nnamePrefix: remote-\nlabels:\n- pairs:\n    from: remote\n",
        );
        write(&work, "base/cm.yaml", CONFIGMAP);
        write(
            &work,
            "overlay/kustomization.yaml",
            "resources:\n- ../base\nnamespace: prod\ncommonAnnotations:\n  note: overlay\n",
        );
        write(
            &work,
            "escape/kustomization.yaml",
            "resources:\n- ../base/cm.yaml\n",
        );
        init_repo(&srv, "org/repo", &work);
        git(&work, &["tag", "v1"]);
        git(&work, &["push", "-q", "served", "--tags"]);
        Fixture { dir, srv, server }
    }

    /// Runs kit in the fixture's directory with its own cache: (exit code, stdout, stderr).
    fn kit(&self, args: &[&str]) -> (i32, String, String) {
        common::output(
            common::kit()
                .current_dir(&self.dir)
                .env("NO_COLOR", "1")
                .env("KIT_CACHE_DIR", self.dir.join("cache"))
                .args(args),
        )
    }
}

fn file_url(srv: &Path) -> String {
    format!("file://{}", srv.join("org/repo.git").display())
}

#[test]
fn a_url_root_builds_as_kubectl_kustomize_builds_it() {
    if !have_git("a_url_root_builds_as_kubectl_kustomize_builds_it") {
        return;
    }
    let Some(kubectl) = common::differential_kubectl("remote root differential") else {
        return;
    };
    let f = Fixture::new("differential");
    let url = f.server.url();
    let file = file_url(&f.srv);
    // (root, whether kubectl builds it)
    let cases = [
        (format!("{url}/org/repo//base?ref=v1"), true),
        (format!("{url}/org/repo.git/overlay?ref=main"), true),
        (format!("git::{url}/org/repo//overlay?ref=v1"), true),
        (format!("{file}//overlay?ref=v1&timeout=30s"), true),
        (format!("{url}/org/repo//nope?ref=v1"), false),
        (format!("{url}/org/repo//base/cm.yaml?ref=v1"), false),
        (format!("{url}/org/repo//escape?ref=v1"), false),
        (format!("{url}/org/repo//base?ref=no-such-tag"), false),
    ];
    let mut failures = Vec::new();
    for (root, builds) in &cases {
        let kit = f.kit(&["build", root]);
        let theirs = common::output(
            Command::new(&kubectl)
                .args(["kustomize", root])
                .current_dir(&f.dir),
        );
        let agree = common::agree(&kit, &theirs);
        if !agree || (theirs.0 == 0) != *builds {
            failures.push(format!(
                "root {root}:\n--- kit (exit {}):\n{}{}\n--- kubectl (exit {}):\n{}{}",
                kit.0, kit.1, kit.2, theirs.0, theirs.1, theirs.2
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} roots differ:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn a_url_root_is_fetched_once_and_linted_and_validated() {
    if !have_git("a_url_root_is_fetched_once_and_linted_and_validated") {
        return;
    }
    let f = Fixture::new("commands");
    let root = format!("{}/org/repo//overlay?ref=v1", f.server.url());

    let first = f.kit(&["build", &root]);
    assert_eq!(first.0, 0, "{}", first.2);
    assert!(first.1.contains("name: remote-settings"), "{}", first.1);
    assert!(
        first.2.contains("fetching"),
        "a fetch is announced: {}",
        first.2
    );

    // A tag's commit is in the cache: the second build asks the server only what the tag
    // names now, and fetches nothing.
    let before = f.server.requests();
    let second = f.kit(&["build", &root, "--quiet"]);
    assert_eq!((second.0, &second.1), (0, &first.1), "{}", second.2);
    assert!(!second.2.contains("fetching"), "{}", second.2);
    assert!(
        f.server.requests() - before <= 2,
        "only ls-remote may ask the server: {} requests",
        f.server.requests() - before
    );

    let lint = f.kit(&["lint", &root, "--quiet"]);
    assert_eq!(lint.0, 0, "{}\n{}", lint.1, lint.2);
    let validate = f.kit(&["validate", &root, "--quiet"]);
    assert_eq!(validate.0, 0, "{}\n{}", validate.1, validate.2);

    // A URL of a directory the repository lacks says so, naming the URL's path.
    let missing = f.kit(&[
        "build",
        &format!("{}/org/repo//nope?ref=v1", f.server.url()),
    ]);
    assert_eq!(missing.0, 2, "{}", missing.2);
    assert!(
        missing.2.contains("has no directory 'nope'"),
        "{}",
        missing.2
    );

    // A local path that happens to read as a URL is a local path.
    let local = f.dir.join("github.com/org/repo");
    write(&local, "kustomization.yaml", "resources:\n- cm.yaml\n");
    write(&local, "cm.yaml", CONFIGMAP);
    let out = f.kit(&["build", "github.com/org/repo", "--quiet"]);
    assert_eq!(out.0, 0, "{}", out.2);
    assert!(out.1.contains("name: settings"), "{}", out.1);
}
