//! `--locked`, `--offline` and `--quiet` on `kit template` (a chart from a repository),
//! `kit diff` and `kit apply` (a kustomization whose `helmCharts:` names a repository):
//! the meaning they have on `kit build`, against a chart repository on loopback that
//! counts its requests. `kit apply` and the live `kit diff` refuse before any cluster is
//! needed (`KUBECONFIG` points nowhere).

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::chart_repo::{chart, repository, sha256_hex, ChartEnv, Entry};
use common::static_http::{Hostile, StaticServer};
use common::write;

/// Runs kit in `dir`: (exit code, stdout, stderr).
fn kit(env: &ChartEnv, dir: &Path, args: &[&str]) -> (i32, String, String) {
    env.kit_in(dir, args, &[]).0
}

/// A `kit.lock` pinning `web` of `repo` (constraint and version 1.0.0) at `digest`.
fn lock_text(repo: &str, digest: &str) -> String {
    format!(
        "version: 1\ncharts:\n- repo: \"{repo}\"\n  name: \"web\"\n  constraint: \"1.0.0\"\n  version: \"1.0.0\"\n  digest: \"sha256:{digest}\"\n"
    )
}

#[test]
fn template_of_a_repository_chart_is_locked_offline_and_quiet_as_build_is() {
    let env = ChartEnv::new("template-flags");
    let srv = env.dir.join("srv");
    let good = chart(Vec::new());
    repository(&srv, "repo", &good);
    let server = StaticServer::start(&srv, None);
    let repo = format!("{}/repo", server.url());
    let work = &env.work;
    let template = |extra: &[&str]| {
        let mut args = vec!["template", "web", "--repo", &repo, "--version", "1.0.0"];
        args.extend_from_slice(extra);
        kit(&env, work, &args)
    };

    // No kit.lock: --offline and --locked refuse, naming the chart and the lock, and ask
    // nothing of the repository.
    for flag in ["--offline", "--locked"] {
        let (code, out, err) = template(&[flag]);
        assert_eq!((code, out.as_str()), (2, ""), "{flag}: {err}");
        assert!(
            err.contains("kit::lock::missing")
                && err.contains("chart web")
                && err.contains("kit.lock"),
            "{flag}: {err}"
        );
        assert_eq!(server.requests(), 0, "{flag}: {:?}", server.seen());
    }
    let (code, _, err) = template(&["--offline", "--locked"]);
    assert!(code == 2 && err.contains("cannot be used with"), "{err}");

    // The current directory's kit.lock pins it; the cache does not have it yet.
    write(work, "kit.lock", &lock_text(&repo, &sha256_hex(&good)));
    let (code, _, err) = template(&["--offline"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("kit::remote::offline") && err.contains("not in the cache"),
        "{err}"
    );
    assert_eq!(server.requests(), 0);

    // Online it is fetched, and said so; then --offline renders it with no request.
    let (code, online, err) = template(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("kit: downloading chart web 1.0.0"), "{err}");
    let requests = server.requests();
    assert!(requests > 0);
    assert!(!err.contains("kit::lock::unpinned"), "{err}");
    let (code, offline, err) = template(&["--offline"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(offline, online);
    assert_eq!(server.requests(), requests, "--offline made a request");
    assert!(!err.contains("kit: "), "{err}");

    // --locked asks the repository again (quietly with --quiet) and agrees.
    let (code, out, err) = template(&["--locked", "--quiet"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, online);
    assert_eq!(err, "", "--quiet printed");
    assert!(
        server.requests() > requests,
        "--locked did not ask the repository"
    );

    // Another constraint is not pinned: rendered, with the warning `kit build` gives.
    let mut args = vec!["template", "web", "--repo", &repo, "--version", "^1"];
    let (code, out, err) = kit(&env, work, &args);
    assert_eq!((code, &out), (0, &online), "{err}");
    assert!(
        err.contains("kit::lock::unpinned") && err.contains("at '^1' is not pinned in"),
        "{err}"
    );
    args.push("--locked");
    let (code, _, err) = kit(&env, work, &args);
    assert!(code == 2 && err.contains("kit::lock::missing"), "{err}");

    // The repository republishes 1.0.0 with other bytes: --locked refuses it, pointing at
    // the lock; --offline still builds what was pinned.
    let republished = chart(vec![(
        "web/templates/extra.yaml".into(),
        Entry::File(b"# republished\n".to_vec()),
    )]);
    repository(&srv, "repo", &republished);
    let (code, out, err) = template(&["--locked"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(
        err.contains("kit::lock::changed") && err.contains("kit.lock"),
        "{err}"
    );
    let (code, out, err) = template(&["--offline"]);
    assert_eq!((code, out), (0, online), "{err}");
    let _ = std::fs::remove_dir_all(&env.dir);
}

#[test]
fn diff_and_apply_take_the_remote_flags_of_build() {
    let env = ChartEnv::new("diff-apply-flags");
    let srv = env.dir.join("srv");
    let good = chart(Vec::new());
    repository(&srv, "repo", &good);
    let server = StaticServer::start(&srv, None);
    let repo = format!("{}/repo", server.url());
    let app = env.work.join("app");
    write(
        &app,
        "kustomization.yaml",
        &format!(
            "helmCharts:\n- name: web\n  repo: {repo}\n  version: 1.0.0\n  releaseName: shop\n"
        ),
    );
    let work = &env.work;

    // Nothing pinned: --offline refuses in the render, before a cluster is needed (kit
    // diff, offline or live, exits 3 on any error, kit apply 2 on an input error), with no
    // request.
    for (args, code_wanted) in [
        (vec!["diff", "app", "app", "--offline"], 3),
        (vec!["diff", "app", "--offline"], 3),
        (vec!["apply", "app", "--offline"], 2),
        (vec!["apply", "app", "--dry-run=client", "--locked"], 2),
    ] {
        let (code, out, err) = kit(&env, work, &args);
        assert_eq!(code, code_wanted, "{args:?}: {out}{err}");
        assert!(err.contains("kit::lock::missing"), "{args:?}: {err}");
        assert_eq!(server.requests(), 0, "{args:?}: {:?}", server.seen());
    }
    let (code, _, err) = kit(&env, work, &["apply", "app", "--offline", "--locked"]);
    assert!(code == 2 && err.contains("cannot be used with"), "{err}");

    // Online, an offline diff of two renders fetches the chart once, and says so unless
    // --quiet.
    let (code, out, err) = kit(&env, work, &["diff", "app", "app"]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert!(err.contains("kit: downloading chart web 1.0.0"), "{err}");
    let (code, _, err) = kit(&env, work, &["diff", "app", "app", "--quiet"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("kit: "), "{err}");

    // Pinned (kit update), --offline renders from the lock and the cache alone.
    let (code, _, err) = kit(&env, work, &["update", "app", "--quiet"]);
    assert_eq!(code, 0, "{err}");
    let requests = server.requests();
    let (code, out, err) = kit(&env, work, &["diff", "app", "app", "--offline"]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert_eq!(server.requests(), requests, "--offline made a request");
    // kit apply --offline gets past the render, to the cluster it cannot reach.
    let (code, _, err) = kit(&env, work, &["apply", "app", "--offline"]);
    assert_eq!(code, 3, "{err}");
    assert!(!err.contains("kit::lock"), "{err}");
    assert_eq!(server.requests(), requests, "--offline made a request");
    let _ = std::fs::remove_dir_all(&env.dir);
}

#[test]
fn two_renders_needing_one_chart_download_it_once() {
    let env = ChartEnv::new("diff-one-download");
    let srv = env.dir.join("srv");
    repository(&srv, "repo", &chart(Vec::new()));
    let server = StaticServer::start(&srv, None);
    // Slow enough that both renders of `kit diff` are waiting for them at once.
    server.set("/repo/index.yaml", Hostile::Delay(300));
    server.set("/repo/web-1.0.0.tgz", Hostile::Delay(300));
    let repo = format!("{}/repo", server.url());
    for side in ["old", "new"] {
        write(
            &env.work,
            &format!("{side}/kustomization.yaml"),
            &format!(
                "helmCharts:\n- name: web\n  repo: {repo}\n  version: 1.0.0\n  releaseName: {side}\n"
            ),
        );
    }
    let (code, out, err) = kit(
        &env,
        &env.work,
        &["diff", "old", "new", "--output", "summary"],
    );
    assert_eq!(code, 1, "{out}{err}");
    // The index and the archive, once each.
    let paths: Vec<String> = server.seen().into_iter().map(|s| s.path).collect();
    assert_eq!(paths, ["/repo/index.yaml", "/repo/web-1.0.0.tgz"]);
    assert_eq!(err.matches("kit: downloading chart").count(), 1, "{err}");
    let _ = std::fs::remove_dir_all(&env.dir);
}

#[test]
fn lint_takes_the_remote_flags_of_build() {
    let env = ChartEnv::new("lint-flags");
    let srv = env.dir.join("srv");
    repository(&srv, "repo", &chart(Vec::new()));
    let server = StaticServer::start(&srv, None);
    let repo = format!("{}/repo", server.url());
    write(
        &env.work,
        "app/kustomization.yaml",
        &format!(
            "helmCharts:\n- name: web\n  repo: {repo}\n  version: 1.0.0\n  releaseName: shop\n"
        ),
    );
    let work = &env.work;
    // Nothing pinned: --offline and --locked refuse at the helmCharts entry, with no
    // request, for a kustomization named and for one a directory walk finds (the render of
    // the repository survey).
    for args in [
        ["lint", "app", "--offline"],
        ["lint", ".", "--offline"],
        ["lint", ".", "--locked"],
    ] {
        let (code, out, err) = kit(&env, work, &args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(
            err.contains("kit::lock::missing") && err.contains("app/kustomization.yaml:2:9"),
            "{args:?}: {err}"
        );
        assert_eq!(server.requests(), 0, "{args:?}: {:?}", server.seen());
    }
    // Online, quietly: the chart is fetched (once) and nothing is said of it.
    let (code, out, err) = kit(&env, work, &["lint", ".", "--quiet"]);
    assert!(code == 0 || code == 1, "{out}{err}");
    assert!(!err.contains("kit: "), "{err}");
    let paths: Vec<String> = server.seen().into_iter().map(|s| s.path).collect();
    assert_eq!(paths, ["/repo/index.yaml", "/repo/web-1.0.0.tgz"]);
    let _ = std::fs::remove_dir_all(&env.dir);
}
