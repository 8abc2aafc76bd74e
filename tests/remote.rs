//! Remote bases: git repositories served on loopback (`git http-backend` behind a small
//! HTTP server, and `file://`), built with kit and, for the differential test, with
//! `kubectl kustomize` (kustomize v5.8.1, `KIT_KUBECTL`), which must agree byte for byte and
//! fail on the same inputs. Then the cache (a second build makes no request), the lock file
//! (`kit update`, `--locked` finding a moved branch, `--offline`) and the errors.
//!
//! Without the `git` program these tests are skipped with a loud message, except under
//! CI=true, where they fail. The differential test needs `KIT_KUBECTL` (as
//! tests/differential.rs does) unless `KIT_SKIP_DIFFERENTIAL=1`.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::git_http::{git, have_git, init_repo, publish, GitServer};
use common::{scratch, write};

/// A served repository `org/repo` (and `org/repo2`, whose base is a remote base of
/// `org/repo`), a directory outside of both, and a cache directory.
struct Fixture {
    dir: PathBuf,
    srv: PathBuf,
    work: PathBuf,
    server: GitServer,
    cache: PathBuf,
}

impl Fixture {
    /// The fixture for a test, or `None` (said loudly) when `git` is missing.
    fn for_test(test: &str, name: &str) -> Option<Fixture> {
        have_git(test).then(|| Fixture::new(name))
    }

    fn new(name: &str) -> Fixture {
        let dir = scratch(name);
        let srv = dir.join("srv");
        let outside = dir.join("outside");
        std::fs::create_dir_all(&srv).unwrap();
        let server = GitServer::start(&srv);
        let url = server.url();
        write(&outside, "cm.yaml", &configmap("outside"));
        write(
            &outside,
            "base/kustomization.yaml",
            "resources:\n- ../cm.yaml\n",
        );
        // Enough `..` to reach `/` from any checkout, then the absolute path: a path that
        // exists wherever the tool checked the repository out.
        let up = "../".repeat(40);
        let outside_rel = format!(
            "{up}{}",
            outside.display().to_string().trim_start_matches('/')
        );

        let work = dir.join("work");
        write(
            &work,
            "base/kustomization.yaml",
            "resources:\n- deploy.yaml\n- cm.yaml\nnamePrefix: remote-\nlabels:\n- pairs:\n    from: remote\n",
        );
        write(&work, "base/deploy.yaml", &deployment("web", "nginx:1.25"));
        write(&work, "base/cm.yaml", &configmap("settings"));
        write(
            &work,
            "extra/kustomization.yaml",
            "resources:\n- cm.yaml\nnameSuffix: -extra\n",
        );
        write(&work, "extra/cm.yaml", &configmap("more"));
        write(
            &work,
            "nested/overlay/kustomization.yaml",
            "resources:\n- ../../base\nnamePrefix: nested-\nimages:\n- name: nginx\n  newTag: \"1.27\"\n",
        );
        write(
            &work,
            "components/comp/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations:\n  component: remote\n",
        );
        write(
            &work,
            "escape-file/kustomization.yaml",
            "resources:\n- ../base/cm.yaml\n",
        );
        write(
            &work,
            "escape-repo/kustomization.yaml",
            &format!("resources:\n- {outside_rel}/base\n"),
        );
        write(
            &work,
            "symlink-escape/kustomization.yaml",
            "resources:\n- link.yaml\n",
        );
        std::os::unix::fs::symlink(
            outside.join("cm.yaml"),
            work.join("symlink-escape/link.yaml"),
        )
        .unwrap();
        write(
            &work,
            "generator-escape/kustomization.yaml",
            &format!("configMapGenerator:\n- name: stolen\n  files:\n  - {outside_rel}/cm.yaml\n"),
        );
        init_repo(&srv, "org/repo", &work);
        git(&work, &["tag", "v1"]);
        git(&work, &["tag", "-a", "v1a", "-m", "annotated"]);
        git(&work, &["push", "-q", "served", "--tags"]);

        let work2 = dir.join("work2");
        write(
            &work2,
            "kustomization.yaml",
            &format!("resources:\n- {url}/org/repo//base?ref=v1\nnameSuffix: -two\n"),
        );
        init_repo(&srv, "org/repo2", &work2);

        // Plain files: one at a path that also reads as a git URL (`files/org` + `raw/...`).
        write(&srv, "files/cm.yaml", &configmap("downloaded"));
        write(
            &srv,
            "files/org/raw/deploy.yaml",
            &deployment("raw", "nginx:1.24"),
        );
        write(&srv, "files/not-yaml.txt", "{ this: is: not yaml\n");

        Fixture {
            cache: dir.join("cache"),
            dir,
            srv,
            work,
            server,
        }
    }

    /// A root kustomization `cases/NAME` with this text.
    fn root(&self, name: &str, kustomization: &str) -> PathBuf {
        let root = self.dir.join("cases").join(name);
        write(&root, "kustomization.yaml", kustomization);
        root
    }

    /// Runs kit in `dir` with this fixture's cache: (exit code, stdout, stderr).
    fn kit(&self, dir: &Path, args: &[&str]) -> (i32, String, String) {
        self.kit_with_cache(dir, args, &self.cache)
    }

    fn kit_with_cache(&self, dir: &Path, args: &[&str], cache: &Path) -> (i32, String, String) {
        common::kit_cached(dir, args, cache)
    }

    fn commit(&self, rev: &str) -> String {
        git(&self.work, &["rev-parse", &format!("{rev}^{{commit}}")])
    }
}

fn configmap(name: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  key: value-of-{name}\n")
}

fn deployment(name: &str, image: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n      containers:\n      - name: app\n        image: {image}\n"
    )
}

/// The reference kubectl, or `None` when the differential part is skipped.
fn kubectl() -> Option<String> {
    common::differential_kubectl("remote differential")
}

#[test]
fn remote_bases_build_as_kubectl_kustomize_builds_them() {
    let Some(kubectl) = kubectl() else { return };
    let Some(f) = Fixture::for_test(
        "remote_bases_build_as_kubectl_kustomize_builds_them",
        "differential",
    ) else {
        return;
    };
    let url = f.server.url();
    let sha = f.commit("v1");
    let file_repo = format!("file://{}", f.srv.join("org/repo.git").display());
    // (name, kustomization, whether kubectl builds it)
    let cases: Vec<(&str, String, bool)> = vec![
        ("double-slash-tag", format!("resources:\n- {url}/org/repo//base?ref=v1\n"), true),
        ("git-suffix-annotated-tag", format!("resources:\n- {url}/org/repo.git/base?ref=v1a\n"), true),
        ("default-split-version", format!("resources:\n- {url}/org/repo/base?version=v1\n"), true),
        ("git-prefix-commit", format!("resources:\n- git::{url}/org/repo//base?ref={sha}\nnamespace: pinned\n"), true),
        ("head", format!("resources:\n- {url}/org/repo//base\n"), true),
        (
            "file-nested-query",
            format!("resources:\n- {file_repo}//nested/overlay?ref=main&submodules=false&timeout=30s\n"),
            true,
        ),
        (
            "component",
            format!("resources:\n- {url}/org/repo//extra?ref=v1a\ncomponents:\n- {url}/org/repo//components/comp?ref=v1\n"),
            true,
        ),
        ("bases-legacy", format!("bases:\n- {url}/org/repo//base?ref=v1\nnamespace: legacy\n"), true),
        ("remote-of-remote", format!("resources:\n- {url}/org/repo2?ref=main\n"), true),
        (
            "two-directories-one-repo",
            format!("resources:\n- {url}/org/repo//base?ref=v1\n- {url}/org/repo//extra?ref=v1\ncommonLabels:\n  team: a\n"),
            true,
        ),
        ("escape-file", format!("resources:\n- {url}/org/repo//escape-file?ref=main\n"), false),
        ("escape-repo", format!("resources:\n- {url}/org/repo//escape-repo?ref=main\n"), false),
        ("symlink-escape", format!("resources:\n- {url}/org/repo//symlink-escape?ref=main\n"), false),
        ("generator-escape", format!("resources:\n- {url}/org/repo//generator-escape?ref=main\n"), false),
        ("file-not-directory", format!("resources:\n- {url}/org/repo//base/deploy.yaml?ref=v1\n"), false),
        ("missing-directory", format!("resources:\n- {url}/org/repo//nope?ref=v1\n"), false),
        ("path-exits-repo", format!("resources:\n- {url}/org/repo//base/../../x?ref=v1\n"), false),
        ("unknown-ref", format!("resources:\n- {url}/org/repo//base?ref=no-such-tag\n"), false),
        ("unknown-repo", format!("resources:\n- {url}/org/nothing//base?ref=v1\n"), false),
        (
            "http-files",
            format!("resources:\n- {url}/files/cm.yaml\n- {url}/files/org/raw/deploy.yaml\n- {url}/org/repo//extra?ref=v1\nnamePrefix: p-\n"),
            true,
        ),
        ("http-then-git", format!("resources:\n- {url}/org/repo2\n"), true),
        ("http-missing-file", format!("resources:\n- {url}/files/nope.yaml\n"), false),
        ("http-missing-one-segment", format!("resources:\n- {url}/nope.yaml\n"), false),
        ("http-not-yaml", format!("resources:\n- {url}/files/not-yaml.txt\n"), false),
    ];
    let mut failures = Vec::new();
    for (name, text, builds) in &cases {
        let root = f.root(name, text);
        let kit = f.kit(&root, &["build", "."]);
        let kubectl_out = common::output(
            Command::new(&kubectl)
                .args(["kustomize", "."])
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
fn a_remote_base_cannot_read_outside_its_checkout() {
    let Some(f) = Fixture::for_test("a_remote_base_cannot_read_outside_its_checkout", "escapes")
    else {
        return;
    };
    let url = f.server.url();
    // (case, error code kit must give), with `--load-restrictor none` too: it never applies
    // inside a remote base.
    let cases = [
        ("escape-file", "kit::load::outside-root"),
        ("escape-repo", "kit::remote::outside-repo"),
        ("symlink-escape", "kit::load::outside-root"),
        ("generator-escape", "kit::load::outside-root"),
    ];
    for (case, code) in cases {
        let root = f.root(
            case,
            &format!("resources:\n- {url}/org/repo//{case}?ref=main\n"),
        );
        for extra in [&[][..], &["--load-restrictor", "none"][..]] {
            let mut args = vec!["build", "."];
            args.extend_from_slice(extra);
            let (code_out, stdout, stderr) = f.kit(&root, &args);
            assert_eq!(code_out, 2, "{case} {extra:?}: {stdout}{stderr}");
            assert!(
                stderr.contains(code),
                "{case} {extra:?}: want {code}:\n{stderr}"
            );
            // The error names the kustomization line that asked for the URL or the
            // remote file that asked for the path.
            assert!(stderr.contains("kustomization.yaml:"), "{stderr}");
            assert!(
                !stdout.contains("value-of-outside"),
                "{case}: leaked {stdout}"
            );
        }
    }
}

#[test]
fn a_second_build_of_a_pinned_base_makes_no_request() {
    let Some(f) = Fixture::for_test("a_second_build_of_a_pinned_base_makes_no_request", "cache")
    else {
        return;
    };
    let url = f.server.url();
    let sha = f.commit("v1");

    // Pinned by the URL: the first build fetches, the second asks nothing.
    let root = f.root(
        "by-commit",
        &format!("resources:\n- {url}/org/repo//base?ref={sha}\n"),
    );
    let first = f.kit(&root, &["build", "."]);
    assert_eq!(first.0, 0, "{}", first.2);
    assert!(
        first.2.contains("fetching"),
        "a fetch is announced: {}",
        first.2
    );
    let after_first = f.server.requests();
    assert!(after_first > 0, "the first build fetched nothing");
    let second = f.kit(&root, &["build", "."]);
    assert_eq!(second, (0, first.1.clone(), String::new()), "second build");
    assert_eq!(
        f.server.requests(),
        after_first,
        "requests: {:?}",
        f.server.log()
    );
    assert!(f
        .cache
        .join("git/checkouts")
        .join(&sha)
        .join("base/deploy.yaml")
        .is_file());

    // A tag: resolved on the remote each time (a small request), fetched once.
    let root = f.root(
        "by-tag",
        &format!("resources:\n- {url}/org/repo//base?ref=v1\n"),
    );
    let (code, out, err) = f.kit(&root, &["build", "."]);
    assert_eq!((code, &out), (0, &first.1), "{err}");
    assert!(
        err.contains("resolving") && !err.contains("fetching"),
        "{err}"
    );

    // Pinned by kit.lock: no request at all.
    let (code, _, err) = f.kit(&root, &["update", "."]);
    assert_eq!(code, 0, "{err}");
    let before = f.server.requests();
    let (code, out2, err) = f.kit(&root, &["build", "."]);
    assert_eq!(
        (code, out2.as_str(), err.as_str()),
        (0, first.1.as_str(), "")
    );
    assert_eq!(
        f.server.requests(),
        before,
        "requests: {:?}",
        f.server.log()
    );

    // --quiet says nothing even when it fetches.
    let fresh = f.dir.join("cache-quiet");
    let (code, out3, err) = f.kit_with_cache(&root, &["build", ".", "--quiet"], &fresh);
    assert_eq!(
        (code, out3.as_str(), err.as_str()),
        (0, first.1.as_str(), "")
    );
}

#[test]
fn the_lock_pins_commits_and_locked_finds_a_moved_branch() {
    let Some(f) = Fixture::for_test(
        "the_lock_pins_commits_and_locked_finds_a_moved_branch",
        "lock",
    ) else {
        return;
    };
    let url = f.server.url();
    let root = f.root(
        "app",
        &format!("resources:\n- {url}/org/repo//base?ref=main\n- {url}/org/repo2?ref=main\n"),
    );
    let (code, before_move, err) = f.kit(&root, &["build", "."]);
    assert_eq!(code, 0, "{err}");

    // kit update pins every remote base reached, the nested one too.
    let (code, _, err) = f.kit(&root, &["update", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("pinned"), "{err}");
    let lock = std::fs::read_to_string(root.join("kit.lock")).unwrap();
    let main = f.commit("main");
    let v1 = f.commit("v1");
    assert!(
        lock.contains(&format!("  ref: \"main\"\n  commit: \"{main}\"")),
        "{lock}"
    );
    assert!(
        lock.contains(&format!("  ref: \"v1\"\n  commit: \"{v1}\"")),
        "{lock}"
    );
    assert_eq!(lock.matches("- url:").count(), 3, "{lock}");

    // The branch moves on the remote.
    write(
        &f.work,
        "base/deploy.yaml",
        &deployment("web", "nginx:1.26"),
    );
    publish(&f.work, "move main");
    let moved = f.commit("main");

    // A plain build keeps the pinned commit (and asks nothing).
    let requests = f.server.requests();
    let (code, out, err) = f.kit(&root, &["build", "."]);
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (0, before_move.as_str(), "")
    );
    assert_eq!(f.server.requests(), requests);

    // --locked asks, and refuses the moved branch, pointing at the lock entry.
    let (code, _, err) = f.kit(&root, &["build", ".", "--locked"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("kit::lock::changed") && err.contains("moved"),
        "{err}"
    );
    assert!(err.contains(&main) && err.contains(&moved), "{err}");
    assert!(err.contains("kit.lock:"), "points into kit.lock: {err}");

    // kit update takes the new commit; then --locked builds it.
    let (code, _, err) = f.kit(&root, &["update", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&format!("{main} -> {moved}")), "{err}");
    let (code, out, err) = f.kit(&root, &["build", ".", "--locked"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("nginx:1.26") && before_move.contains("nginx:1.25"),
        "{out}"
    );

    // --locked refuses a remote base the lock does not pin.
    let extra = format!(
        "resources:\n- {url}/org/repo//base?ref=main\n- {url}/org/repo2?ref=main\n- {url}/org/repo//extra?ref=v1a\n"
    );
    write(&root, "kustomization.yaml", &extra);
    let (code, _, err) = f.kit(&root, &["build", ".", "--locked"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("kit::lock::missing") && err.contains("v1a"),
        "{err}"
    );
    // A plain build warns that it is not pinned, and builds.
    let (code, _, err) = f.kit(&root, &["build", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("kit::lock::unpinned") && err.contains("v1a"),
        "{err}"
    );
}

#[test]
fn offline_builds_from_the_lock_and_the_cache_alone() {
    let Some(f) = Fixture::for_test(
        "offline_builds_from_the_lock_and_the_cache_alone",
        "offline",
    ) else {
        return;
    };
    let url = f.server.url();
    let root = f.root(
        "app",
        &format!("resources:\n- {url}/org/repo//base?ref=v1\n"),
    );

    // Nothing pinned: --offline names the entry.
    let (code, _, err) = f.kit(&root, &["build", ".", "--offline"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("kit::lock::missing")
            && err.contains("/org/repo")
            && err.contains("--offline"),
        "{err}"
    );
    assert!(
        err.contains("kustomization.yaml:2:3"),
        "points at the entry: {err}"
    );

    let (code, _, err) = f.kit(&root, &["update", "."]);
    assert_eq!(code, 0, "{err}");
    let (code, online, err) = f.kit(&root, &["build", "."]);
    assert_eq!(code, 0, "{err}");

    // Pinned, but not in this cache: --offline says which commit is missing.
    let empty = f.dir.join("empty-cache");
    let (code, _, err) = f.kit_with_cache(&root, &["build", ".", "--offline"], &empty);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("kit::remote::offline") && err.contains(&f.commit("v1")),
        "{err}"
    );

    // With the server gone, the lock and the cache still build it.
    let (code, out, err) = common::output(
        common::kit()
            .current_dir(&root)
            .env("NO_COLOR", "1")
            .env("KIT_CACHE_DIR", &f.cache)
            .args(["build", ".", "--offline"]),
    );
    assert_eq!((code, out.as_str(), err.as_str()), (0, online.as_str(), ""));
}

#[test]
fn without_git_a_remote_base_is_a_clear_error() {
    let dir = scratch("no-git");
    write(
        &dir,
        "kustomization.yaml",
        "resources:\n- https://127.0.0.1:9/org/repo//base?ref=v1\n",
    );
    let empty_path = dir.join("no-programs");
    std::fs::create_dir_all(&empty_path).unwrap();
    let (code, _, err) = common::output(
        common::kit()
            .current_dir(&dir)
            .env("NO_COLOR", "1")
            .env("PATH", &empty_path)
            .env("KIT_CACHE_DIR", dir.join("cache"))
            .args(["build", "."]),
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("kit::remote::git-missing") && err.contains("kustomization.yaml:2:3"),
        "{err}"
    );
}

#[test]
fn http_files_are_pinned_cached_and_checked() {
    let Some(f) = Fixture::for_test("http_files_are_pinned_cached_and_checked", "http") else {
        return;
    };
    let url = f.server.url();
    let root = f.root("app", &format!("resources:\n- {url}/files/cm.yaml\n"));

    // Unpinned: downloaded on every build (as kustomize does).
    let (code, first, err) = f.kit(&root, &["build", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(
        first.contains("value-of-downloaded") && err.contains("downloading"),
        "{first}{err}"
    );
    let before = f.server.requests();
    let (code, again, _) = f.kit(&root, &["build", "."]);
    assert_eq!((code, &again), (0, &first));
    assert_eq!(f.server.requests(), before + 1);

    // Pinned by kit update: from the cache, no request.
    let (code, _, err) = f.kit(&root, &["update", "."]);
    assert_eq!(code, 0, "{err}");
    let lock = std::fs::read_to_string(root.join("kit.lock")).unwrap();
    assert!(
        lock.contains("http:\n- url:") && lock.contains("sha256:"),
        "{lock}"
    );
    let before = f.server.requests();
    let (code, out, err) = f.kit(&root, &["build", "."]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, first.as_str(), ""));
    assert_eq!(
        f.server.requests(),
        before,
        "requests: {:?}",
        f.server.log()
    );

    // The file changes on the server: --locked sees it; the cache still has the pinned bytes.
    write(&f.srv, "files/cm.yaml", &configmap("changed"));
    let (code, _, err) = f.kit(&root, &["build", ".", "--locked"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("kit::lock::changed") && err.contains("kit.lock:"),
        "{err}"
    );
    let (code, out, _) = f.kit(&root, &["build", ".", "--offline"]);
    assert_eq!((code, out.as_str()), (0, first.as_str()));
    // Not cached and changed: the pinned bytes cannot be had.
    let empty = f.dir.join("empty-cache");
    let (code, _, err) = f.kit_with_cache(&root, &["build", "."], &empty);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("kit::lock::changed"), "{err}");
    let (code, _, err) = f.kit(&root, &["update", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("sha256") && err.contains("->"), "{err}");
    let (code, out, err) = f.kit(&root, &["build", ".", "--locked"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("value-of-changed"), "{out}");
}

#[test]
fn http_downloads_follow_redirects_and_name_the_url_on_failure() {
    let Some(f) = Fixture::for_test(
        "http_downloads_follow_redirects_and_name_the_url_on_failure",
        "redirect",
    ) else {
        return;
    };
    // A plain-HTTP redirect to another server is followed ...
    let other = GitServer::start(&f.srv);
    let url = f.server.url();
    let root = f.root(
        "app",
        &format!(
            "resources:\n- {url}/redirect/{}/files/cm.yaml\n",
            other.port
        ),
    );
    let (code, out, err) = f.kit(&root, &["build", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("value-of-downloaded"), "{out}");
    assert_eq!(other.requests(), 1);
    // ... and a URL that cannot be reached is an error naming it, at the entry's line.
    let root = f.root("refused", "resources:\n- https://127.0.0.1:9/cm.yaml\n");
    let (code, _, err) = f.kit(&root, &["build", "."]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("kit::remote::http") && err.contains("kustomization.yaml:2:3"),
        "{err}"
    );
}

#[test]
fn a_remote_base_that_includes_itself_is_a_cycle() {
    let Some(f) = Fixture::for_test("a_remote_base_that_includes_itself_is_a_cycle", "cycle")
    else {
        return;
    };
    let url = f.server.url();
    write(
        &f.work,
        "loop/kustomization.yaml",
        &format!("resources:\n- {url}/org/repo//loop?ref=main\n"),
    );
    publish(&f.work, "loop");
    let root = f.root(
        "app",
        &format!("resources:\n- {url}/org/repo//loop?ref=main\n"),
    );
    let (code, _, err) = f.kit(&root, &["build", "."]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cycle detected"), "{err}");
}

#[test]
fn kit_update_without_remote_inputs_writes_nothing() {
    let dir = scratch("update-local");
    write(&dir, "app/kustomization.yaml", "resources:\n- cm.yaml\n");
    write(&dir, "app/cm.yaml", &configmap("local"));
    let (code, _, err) = common::run(&dir, &["update", "app"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("no remote bases or files"), "{err}");
    assert!(!dir.join("app/kit.lock").exists());
    // Not a kustomization: an error saying what kit.lock needs.
    let (code, _, err) = common::run(&dir, &["update", "."]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("kit::update::not-a-kustomization"), "{err}");
    // A malformed lock fails the build, pointing into it.
    write(
        &dir,
        "app/kit.lock",
        "version: 1\ngit:\n- url: x\n  commit: abc\n",
    );
    let (code, _, err) = common::run(&dir, &["build", "app"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("kit::lock::invalid") && err.contains("kit.lock:4:11"),
        "{err}"
    );
}

/// Runs kit in `dir` with `env` set too: (exit code, stdout, stderr) and how long it took.
fn timed_kit(
    f: &Fixture,
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> ((i32, String, String), std::time::Duration) {
    let mut cmd = common::kit();
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("KIT_CACHE_DIR", &f.cache)
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let started = std::time::Instant::now();
    let got = common::output(&mut cmd);
    (got, started.elapsed())
}

/// The scratch directories a failed fetch could have left in the cache.
fn leftovers(cache: &Path) -> Vec<String> {
    std::fs::read_dir(cache.join("git/checkouts"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.starts_with(".tmp-"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_hostile_git_server_is_refused_clearly() {
    let Some(f) = Fixture::for_test("a_hostile_git_server_is_refused_clearly", "hostile-git")
    else {
        return;
    };
    let url = f.server.url();

    // A redirect from plain HTTP to HTTPS: git does not follow it (no connection reaches
    // the other server, not even a TLS handshake).
    let other = GitServer::start(&f.srv);
    let root = f.root(
        "scheme",
        &format!(
            "resources:\n- {url}/redirect-https/{}/org/repo//base?ref=main\n",
            other.port
        ),
    );
    let (code, out, err) = f.kit(&root, &["build", "."]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(
        err.contains("kit::remote::fetch") && err.contains("kustomization.yaml:2:3"),
        "{err}"
    );
    assert_eq!(other.connections(), 0, "git followed a redirect to https");
    // The same redirect within plain HTTP is followed.
    let root = f.root(
        "same-scheme",
        &format!(
            "resources:\n- {url}/redirect/{}/org/repo//base?ref=main\n",
            other.port
        ),
    );
    let (code, out, err) = f.kit(&root, &["build", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("remote-web"), "{out}");

    // A server that trickles: `?timeout=` bounds each git command.
    let root = f.root(
        "slow",
        &format!("resources:\n- {url}/trickle/org/repo//base?ref=main&timeout=2\n"),
    );
    let ((code, _, err), took) = timed_kit(&f, &root, &["build", "."], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("kit::remote::timeout") && err.contains("within 2s"),
        "{err}"
    );
    assert!(took.as_secs() < 30, "took {took:?}");

    // A repository past the checkout limit is refused, and nothing of it stays cached.
    let big = f.dir.join("big");
    write(&big, "base/kustomization.yaml", "resources:\n- cm.yaml\n");
    write(&big, "base/cm.yaml", &configmap("big"));
    let mut rng = common::rng::Rng::new(17);
    let noise: Vec<u8> = (0..3 * 1024 * 1024 / 8)
        .flat_map(|_| rng.next_u64().to_le_bytes())
        .collect();
    std::fs::write(big.join("noise.bin"), noise).unwrap();
    init_repo(&f.srv, "org/big", &big);
    let root = f.root(
        "big",
        &format!("resources:\n- {url}/org/big//base?ref=main\n"),
    );
    let limit = [("KIT_MAX_CHECKOUT_BYTES", "1048576")];
    let ((code, out, err), _) = timed_kit(&f, &root, &["build", "."], &limit);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(
        err.contains("kit::remote::too-large")
            && err.contains("more than 1 MiB")
            && err.contains("KIT_MAX_CHECKOUT_BYTES"),
        "{err}"
    );
    assert!(leftovers(&f.cache).is_empty(), "{:?}", leftovers(&f.cache));
    // Under the default limit it builds.
    let (code, out, err) = f.kit(&root, &["build", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("value-of-big"), "{out}");
}

#[test]
fn no_hook_filter_or_monitor_runs_on_a_fetched_repository() {
    let Some(f) = Fixture::for_test(
        "no_hook_filter_or_monitor_runs_on_a_fetched_repository",
        "hostile-config",
    ) else {
        return;
    };
    let url = f.server.url();
    // The repository asks for a filter driver on every file; the user's configuration
    // (a HOME of the test's own) defines that driver, hooks (by core.hooksPath and by a
    // template directory) and a filesystem monitor. Each writes a marker when it runs.
    let markers = f.dir.join("markers");
    std::fs::create_dir_all(&markers).unwrap();
    let home = f.dir.join("home");
    let script = |name: &str| {
        let path = home.join("bin").join(name);
        write(
            &home.join("bin"),
            name,
            &format!("#!/bin/sh\ntouch '{}/{name}'\ncat\n", markers.display()),
        );
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path.display().to_string()
    };
    let smudge = script("smudge");
    let fsmonitor = script("fsmonitor");
    let hooks = home.join("hooks");
    for hook in [
        "post-checkout",
        "post-merge",
        "reference-transaction",
        "pre-auto-gc",
    ] {
        let path = script(hook);
        std::fs::create_dir_all(&hooks).unwrap();
        std::fs::copy(&path, hooks.join(hook)).unwrap();
    }
    let template = home.join("template");
    std::fs::create_dir_all(template.join("hooks")).unwrap();
    std::fs::copy(
        hooks.join("post-checkout"),
        template.join("hooks/post-checkout"),
    )
    .unwrap();
    write(
        &home,
        ".gitconfig",
        &format!(
            "[core]\n\thooksPath = {}\n\tfsmonitor = {fsmonitor}\n[init]\n\ttemplateDir = {}\n[filter \"evil\"]\n\tsmudge = {smudge}\n\tclean = {smudge}\n\trequired = true\n",
            hooks.display(),
            template.display()
        ),
    );
    let evil = f.dir.join("evil");
    write(&evil, ".gitattributes", "* filter=evil\n");
    write(&evil, "base/.gitattributes", "*.yaml filter=evil\n");
    write(&evil, "base/kustomization.yaml", "resources:\n- cm.yaml\n");
    write(&evil, "base/cm.yaml", &configmap("evil"));
    init_repo(&f.srv, "org/evil", &evil);
    // The test's fixture commands ran hooks-free; markers start empty.
    assert_eq!(std::fs::read_dir(&markers).unwrap().count(), 0);

    let root = f.root(
        "app",
        &format!("resources:\n- {url}/org/evil//base?ref=main\n"),
    );
    let home_s = home.display().to_string();
    let env = [
        ("HOME", home_s.as_str()),
        ("XDG_CONFIG_HOME", home_s.as_str()),
        ("GIT_CONFIG_NOSYSTEM", "1"),
    ];
    let ((code, out, err), _) = timed_kit(&f, &root, &["build", "."], &env);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("value-of-evil"), "{out}");
    let ran: Vec<String> = std::fs::read_dir(&markers)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert!(ran.is_empty(), "ran on a fetched repository: {ran:?}");
    // The driver is real: git itself runs it on a checkout with this configuration.
    let probe = f.dir.join("probe");
    let status = Command::new("git")
        .args([
            "clone",
            "-q",
            &format!("{url}/org/evil"),
            &probe.to_string_lossy(),
        ])
        .env("HOME", &home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    assert!(markers.join("smudge").exists() && markers.join("post-checkout").exists());
}

#[test]
fn hostile_http_files_are_refused_clearly() {
    let Some(f) = Fixture::for_test("hostile_http_files_are_refused_clearly", "hostile-http")
    else {
        return;
    };
    use common::static_http::{Hostile, StaticServer};
    let files = f.dir.join("static");
    write(&files, "cm.yaml", &configmap("static"));
    let server = StaticServer::start(&files, None);
    let other = StaticServer::start(&files, None);
    let url = server.url();

    // A redirect to another scheme is refused before anything connects there.
    server.set(
        "/to-https.yaml",
        Hostile::Redirect(format!("https://127.0.0.1:{}/cm.yaml", other.port)),
    );
    // One to another host (port) on the same scheme is followed.
    server.set(
        "/moved.yaml",
        Hostile::Redirect(format!("{}/cm.yaml", other.url())),
    );
    server.set("/huge.yaml", Hostile::Endless);
    server.set("/slow.yaml", Hostile::Trickle);

    let root = f.root("scheme", &format!("resources:\n- {url}/to-https.yaml\n"));
    let (code, out, err) = f.kit(&root, &["build", "."]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(
        err.contains("kit::remote::http")
            && err.contains("another scheme")
            && err.contains("kustomization.yaml:2:3"),
        "{err}"
    );
    assert_eq!(other.connections(), 0);

    let root = f.root("moved", &format!("resources:\n- {url}/moved.yaml\n"));
    let (code, out, err) = f.kit(&root, &["build", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("value-of-static"), "{out}");
    assert_eq!(other.requests(), 1);

    // An endless body stops at the size limit, with a message that says so.
    let root = f.root("huge", &format!("resources:\n- {url}/huge.yaml\n"));
    let ((code, _, err), took) = timed_kit(&f, &root, &["build", "."], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("larger than 64 MiB"), "{err}");
    assert!(took.as_secs() < 30, "took {took:?}");

    // A body that trickles stops at the time limit (KIT_REMOTE_TIMEOUT for the test).
    let root = f.root("slow", &format!("resources:\n- {url}/slow.yaml\n"));
    let ((code, _, err), took) =
        timed_kit(&f, &root, &["build", "."], &[("KIT_REMOTE_TIMEOUT", "2")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no complete answer within 2s"), "{err}");
    assert!(took.as_secs() < 20, "took {took:?}");
}

#[test]
fn a_vendored_build_makes_no_request_and_prints_the_same() {
    let Some(f) = Fixture::for_test(
        "a_vendored_build_makes_no_request_and_prints_the_same",
        "vendor",
    ) else {
        return;
    };
    let url = f.server.url();
    // Two repositories (one reached through the other), a file, and a base with a
    // .gitignore that would hide vendored files from git.
    write(&f.work, "base/.gitignore", "*.yaml\n");
    publish(&f.work, "gitignore");
    let root = f.root(
        "app",
        &format!(
            "resources:\n- {url}/org/repo//base?ref=main\n- {url}/org/repo2?ref=main\n- {url}/files/cm.yaml\n"
        ),
    );
    let (code, online, err) = f.kit(&root, &["build", "."]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = f.kit(&root, &["vendor", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("3 repositories, 1 file and 0 charts copied"),
        "{err}"
    );
    let lock = std::fs::read_to_string(root.join("kit.lock")).unwrap();
    assert!(lock.contains("vendor: \"vendor\""), "{lock}");
    assert!(root.join("vendor/http").is_dir() && root.join("vendor/git").is_dir());
    let ignored: Vec<_> = walk_names(&root.join("vendor"))
        .into_iter()
        .filter(|n| n == ".gitignore" || n == ".git")
        .collect();
    assert!(ignored.is_empty(), "{ignored:?}");
    // The kustomization is untouched.
    assert!(std::fs::read_to_string(root.join("kustomization.yaml"))
        .unwrap()
        .contains("?ref=main"));

    // The server stops, the cache is empty: the vendored build makes no request and
    // prints what the online build printed.
    let before = f.server.requests();
    let empty = f.dir.join("no-cache");
    let (code, vendored, err) = f.kit_with_cache(&root, &["build", "."], &empty);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(vendored, online);
    assert_eq!(f.server.requests(), before, "{:?}", f.server.log());
    let (code, again, err) = f.kit_with_cache(&root, &["build", ".", "--locked"], &empty);
    assert_eq!((code, again.as_str()), (0, online.as_str()), "{err}");

    // A new remote entry not vendored yet is an error that says what to do.
    write(
        &root,
        "kustomization.yaml",
        &format!("resources:\n- {url}/org/repo//extra?ref=v1a\n"),
    );
    let (code, _, err) = f.kit_with_cache(&root, &["build", "."], &empty);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("kit::vendor::missing") && err.contains("kit vendor"),
        "{err}"
    );
}

fn walk_names(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            out.push(e.file_name().to_string_lossy().to_string());
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                todo.push(e.path());
            }
        }
    }
    out
}

#[test]
fn git_credentials_are_not_sent_to_another_origin() {
    let Some(f) = Fixture::for_test(
        "git_credentials_are_not_sent_to_another_origin",
        "git-credentials",
    ) else {
        return;
    };
    // The second server serves `/auth/...` only with credentials, and logs what it gets.
    let other = GitServer::start(&f.srv);
    use base64::Engine;
    let secret = base64::engine::general_purpose::STANDARD.encode("user:secret");
    // The credentials belong to the second server: git sends them there (on its challenge).
    let root = f.root(
        "own-origin",
        &format!(
            "resources:\n- http://user:secret@127.0.0.1:{}/auth/org/repo//base?ref=main\n",
            other.port
        ),
    );
    let (code, out, err) = f.kit(&root, &["build", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("remote-web"), "{out}");
    // What kit says it fetches names the URL without its password.
    assert!(
        err.contains("kit: fetching http://user:***@127.0.0.1") && !err.contains("secret"),
        "{err}"
    );
    assert!(
        other.log().iter().any(|l| l.contains(&secret)),
        "{:?}",
        other.log()
    );
    // Credentials written for the first server, which redirects to the second: the second
    // challenges, and gets nothing (the build fails: no credentials of its own).
    let before = other.log().len();
    let root = f.root(
        "redirected",
        &format!(
            "resources:\n- http://user:secret@127.0.0.1:{}/redirect/{}/auth/org/repo//base?ref=v1\n",
            f.server.port, other.port
        ),
    );
    let fresh = f.dir.join("cache-redirected");
    let (code, out, err) = f.kit_with_cache(&root, &["build", "."], &fresh);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    let after: Vec<String> = other.log().split_off(before);
    assert!(!after.is_empty(), "the redirect was not followed");
    assert!(
        after.iter().all(|l| !l.contains("Authorization")),
        "credentials followed a redirect to another origin: {after:?}"
    );
}
