//! Hostile chart repositories and OCI registries, served on loopback by the tests' static
//! server: indexes, archives, manifests and blobs that are huge, slow, redirected to another
//! scheme, or not what their digest says; chart archives whose entries point out of the
//! chart (`..`, absolute paths, symbolic and hard links) or unpack to a bomb; and where
//! credentials go along redirects. Every rule here has a check that fails without it.
//!
//! The archives are made here (tar and gzip crates), not by helm: a hostile archive is
//! one `helm package` would never write. These tests need nothing but kit.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

mod common;

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use common::chart_repo::{chart, index, repository, sha256_hex, ChartEnv, Entry};
use common::static_http::{Hostile, StaticServer};
use common::unwrapped as flat;
use common::write;

/// `kit template web --repo URL`, which must fail (exit 2, nothing printed), with a cache
/// of its own (the archive a digest names may be in the shared one); stderr with its lines
/// joined (miette wraps long messages).
fn refused(env: &ChartEnv, repo: &str, extra: &[(&str, &str)]) -> (String, Duration) {
    let cache = env.fresh_cache();
    let mut extra = extra.to_vec();
    extra.push(("KIT_CACHE_DIR", &cache));
    let ((code, out, err), took) = env.kit(&["template", "web", "--repo", repo], &extra);
    assert_eq!((code, out.as_str()), (2, ""), "{repo}: {err}");
    (flat(&err), took)
}

/// `s` without whitespace: miette wraps long messages anywhere, inside a path too.
fn squash(s: &str) -> String {
    s.split_whitespace().collect()
}

#[test]
fn hostile_chart_repositories_are_refused_clearly() {
    let env = ChartEnv::new("hostile-repo");
    let srv = env.dir.join("srv");
    let good = chart(Vec::new());
    repository(&srv, "good", &good);
    for name in ["huge-archive", "slow-archive", "scheme-archive"] {
        repository(&srv, name, &good);
    }
    let server = StaticServer::start(&srv, None);
    let other = StaticServer::start(&srv, None);
    let url = server.url();

    // The repository as it should be renders.
    let ((code, out, err), _) =
        env.kit(&["template", "web", "--repo", &format!("{url}/good")], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("name: release-name-served"), "{out}");

    // index.yaml: endless (the 64 MiB limit), trickling (the time limit), redirected to
    // another scheme (refused before anything connects there).
    server.set("/huge/index.yaml", Hostile::Endless);
    let (err, took) = refused(&env, &format!("{url}/huge"), &[]);
    assert!(
        err.contains("kit::remote::http") && err.contains("larger than 64 MiB"),
        "{err}"
    );
    assert!(took < Duration::from_secs(30), "took {took:?}");
    server.set("/slow/index.yaml", Hostile::Trickle);
    let (err, took) = refused(&env, &format!("{url}/slow"), &[("KIT_REMOTE_TIMEOUT", "2")]);
    assert!(err.contains("no complete answer within 2s"), "{err}");
    assert!(took < Duration::from_secs(20), "took {took:?}");
    server.set(
        "/scheme/index.yaml",
        Hostile::Redirect(format!("https://127.0.0.1:{}/good/index.yaml", other.port)),
    );
    let (err, _) = refused(&env, &format!("{url}/scheme"), &[]);
    assert!(err.contains("another scheme"), "{err}");

    // The chart archive: the same three (the archive's limit is 20 MiB).
    server.set("/huge-archive/web-1.0.0.tgz", Hostile::Endless);
    let (err, took) = refused(&env, &format!("{url}/huge-archive"), &[]);
    assert!(
        err.contains("cannot download chart web 1.0.0") && err.contains("larger than 20 MiB"),
        "{err}"
    );
    assert!(took < Duration::from_secs(30), "took {took:?}");
    server.set("/slow-archive/web-1.0.0.tgz", Hostile::Trickle);
    let (err, took) = refused(
        &env,
        &format!("{url}/slow-archive"),
        &[("KIT_REMOTE_TIMEOUT", "2")],
    );
    assert!(err.contains("no complete answer within 2s"), "{err}");
    assert!(took < Duration::from_secs(20), "took {took:?}");
    server.set(
        "/scheme-archive/web-1.0.0.tgz",
        Hostile::Redirect(format!(
            "https://127.0.0.1:{}/good/web-1.0.0.tgz",
            other.port
        )),
    );
    let (err, _) = refused(&env, &format!("{url}/scheme-archive"), &[]);
    assert!(err.contains("another scheme"), "{err}");
    assert_eq!(other.connections(), 0, "a redirect to https was followed");

    // An archive that is not the one the index's digest names: refused, not cached.
    std::fs::create_dir_all(srv.join("swapped")).unwrap();
    std::fs::write(
        srv.join("swapped/web-1.0.0.tgz"),
        chart(vec![(
            "web/templates/extra.yaml".into(),
            Entry::File(b"# not what was published\n".to_vec()),
        )]),
    )
    .unwrap();
    write(
        &srv,
        "swapped/index.yaml",
        &index("web-1.0.0.tgz", &sha256_hex(&good)),
    );
    let cache = env.fresh_cache();
    let ((code, out, err), _) = env.kit(
        &["template", "web", "--repo", &format!("{url}/swapped")],
        &[("KIT_CACHE_DIR", &cache)],
    );
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    let err = flat(&err);
    assert!(
        err.contains("kit::chart::digest")
            && err.contains(&sha256_hex(&good))
            && err.contains("the repository's index"),
        "{err}"
    );
    let cached = std::fs::read_dir(Path::new(&cache).join("charts"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(cached, 0, "a refused archive is cached");
    let _ = std::fs::remove_dir_all(&env.dir);
}

#[test]
fn chart_archives_that_reach_outside_the_chart_are_refused_naming_the_entry() {
    let env = ChartEnv::new("hostile-archive");
    let srv = env.dir.join("srv");
    let victim = env.dir.join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    // Short, so that the message naming it is not wrapped inside the path.
    let absolute = format!("/tmp/kit-abs-{}.yaml", std::process::id());
    let file = |text: &str| Entry::File(text.as_bytes().to_vec());
    // (repository, archive, what the error says)
    let cases: Vec<(&str, Vec<u8>, String)> = vec![
        (
            "dotdot",
            chart(vec![("web/../../escaped.yaml".into(), file("x: 1\n"))]),
            "\"web/../../escaped.yaml\" names a file outside the chart".into(),
        ),
        (
            "absolute",
            chart(vec![(absolute.clone(), file("x: 1\n"))]),
            format!("{absolute:?} names a file outside the chart"),
        ),
        (
            "symlink-absolute",
            chart(vec![("web/templates/passwd.yaml".into(), Entry::Symlink("/etc/passwd"))]),
            "\"web/templates/passwd.yaml\" is a symbolic link to \"/etc/passwd\", outside the chart".into(),
        ),
        (
            "symlink-up",
            chart(vec![("web/files/up".into(), Entry::Symlink("../../victim/x"))]),
            "\"web/files/up\" is a symbolic link to \"../../victim/x\", outside the chart".into(),
        ),
        (
            "hardlink",
            chart(vec![("web/files/h".into(), Entry::Hardlink("../etc/passwd"))]),
            "\"web/files/h\" is a hard link to \"../etc/passwd\", outside the chart".into(),
        ),
        (
            "hardlink-other-top",
            chart(vec![("web/files/h".into(), Entry::Hardlink("other/secret"))]),
            "\"web/files/h\" is a hard link to \"other/secret\", outside the chart".into(),
        ),
    ];
    for (name, archive, _) in &cases {
        repository(&srv, name, archive);
    }
    // Links that stay inside the chart are taken (Helm reads them as empty files).
    repository(
        &srv,
        "inside",
        &chart(vec![
            ("web/files/real".into(), file("real\n")),
            ("web/files/link".into(), Entry::Symlink("real")),
            ("web/files/hard".into(), Entry::Hardlink("web/files/real")),
        ]),
    );
    // A gzip bomb: 300 MiB of zeros, some 300 KiB packed (under the download limit).
    let bomb = chart(vec![(
        "web/files/zeros".into(),
        Entry::File(vec![0u8; 300 * 1024 * 1024]),
    )]);
    assert!(bomb.len() < 2 * 1024 * 1024, "{}", bomb.len());
    repository(&srv, "bomb", &bomb);
    let server = StaticServer::start(&srv, None);
    let url = server.url();

    let ((code, out, err), _) = env.kit(
        &["template", "web", "--repo", &format!("{url}/inside")],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("name: release-name-served"), "{out}");

    for (name, _, expect) in &cases {
        let (err, _) = refused(&env, &format!("{url}/{name}"), &[]);
        assert!(
            err.contains("kit::template::archive") && squash(&err).contains(&squash(expect)),
            "{name}: {err}"
        );
    }
    let (err, took) = refused(&env, &format!("{url}/bomb"), &[]);
    assert!(
        err.contains("kit::template::archive")
            && squash(&err).contains(&squash(
                "unpacks to more than 268435456 bytes (at entry \"web/files/zeros\""
            )),
        "{err}"
    );
    assert!(took < Duration::from_secs(20), "took {took:?}");
    // Nothing was written outside kit's cache: not beside the work directory, not at the
    // absolute path, not in the work directory itself.
    assert!(!env.dir.join("escaped.yaml").exists());
    assert!(!env.work.join("escaped.yaml").exists());
    assert!(!Path::new(&absolute).exists());
    assert_eq!(std::fs::read_dir(&env.work).unwrap().count(), 0);
    assert_eq!(std::fs::read_dir(&victim).unwrap().count(), 0);
    let _ = std::fs::remove_dir_all(&env.dir);
}

const MANIFEST_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";

/// An OCI manifest of a Helm chart whose layer is `layer` (by digest and size).
fn manifest(layer_digest: &str, size: usize) -> String {
    format!(
        r#"{{"schemaVersion":2,"mediaType":"{MANIFEST_TYPE}","config":{{"mediaType":"application/vnd.cncf.helm.config.v1+json","digest":"sha256:{}","size":2}},"layers":[{{"mediaType":"application/vnd.cncf.helm.chart.content.v1.tar+gzip","digest":"sha256:{layer_digest}","size":{size}}}]}}"#,
        "0".repeat(64)
    )
}

/// `ROOT/v2/charts/NAME/` as a registry's repository: the manifest of tag 1.0.0 naming
/// `named`'s digest, and `served` as the blob at that digest.
fn registry_repository(root: &Path, name: &str, named: &[u8], served: &[u8]) -> String {
    let digest = sha256_hex(named);
    let repo = root.join("v2/charts").join(name);
    std::fs::create_dir_all(repo.join("blobs")).unwrap();
    std::fs::create_dir_all(repo.join("manifests")).unwrap();
    let text = manifest(&digest, named.len());
    std::fs::write(repo.join("manifests/1.0.0"), &text).unwrap();
    std::fs::write(repo.join(format!("blobs/sha256:{digest}")), served).unwrap();
    digest
}

#[test]
fn hostile_oci_registries_are_refused_clearly() {
    let env = ChartEnv::new("hostile-oci");
    let srv = env.dir.join("srv");
    let good = chart(Vec::new());
    let other_chart = chart(vec![(
        "web/templates/extra.yaml".into(),
        Entry::File(b"# not what was pushed\n".to_vec()),
    )]);
    let digest = registry_repository(&srv, "web", &good, &good);
    for name in ["lying", "huge", "scheme"] {
        registry_repository(&srv, name, &good, &good);
    }
    registry_repository(&srv, "swapped", &good, &other_chart);
    let server = StaticServer::start(&srv, None);
    let host = format!("127.0.0.1:{}", server.port);
    let template = |name: &str| {
        let cache = env.fresh_cache();
        env.kit(
            &[
                "template",
                &format!("oci://{host}/charts/{name}"),
                "--version",
                "1.0.0",
                "--plain-http",
            ],
            &[("KIT_CACHE_DIR", &cache)],
        )
    };

    let ((code, out, err), _) = template("web");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("name: release-name-served"), "{out}");

    // A manifest whose bytes are not the digest the registry states for them.
    let stated = format!("sha256:{}", "ab".repeat(32));
    server.set(
        "/v2/charts/lying/manifests/1.0.0",
        Hostile::Header("Docker-Content-Digest".into(), stated.clone()),
    );
    let ((code, _, err), _) = template("lying");
    let err = flat(&err);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("kit::chart::oci")
            && err.contains("the manifest's digest is sha256:")
            && err.contains(&stated),
        "{err}"
    );
    // The true digest stated: taken.
    let true_digest = format!(
        "sha256:{}",
        sha256_hex(&std::fs::read(srv.join("v2/charts/lying/manifests/1.0.0")).unwrap())
    );
    server.set(
        "/v2/charts/lying/manifests/1.0.0",
        Hostile::Header("Docker-Content-Digest".into(), true_digest),
    );
    let ((code, _, err), _) = template("lying");
    assert_eq!(code, 0, "{err}");

    // A blob that is not what the manifest's layer digest names.
    let ((code, _, err), _) = template("swapped");
    let err = flat(&err);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("kit::chart::digest")
            && err.contains(&format!("sha256:{digest}"))
            && err.contains("the registry's manifest"),
        "{err}"
    );

    // An endless manifest (4 MiB limit), an endless blob (20 MiB), a redirect to https.
    server.set("/v2/charts/huge/manifests/1.0.0", Hostile::Endless);
    let ((code, _, err), took) = template("huge");
    assert_eq!(code, 2, "{err}");
    assert!(flat(&err).contains("larger than 4 MiB"), "{err}");
    assert!(took < Duration::from_secs(30), "took {took:?}");
    server.set(
        "/v2/charts/huge/manifests/1.0.0",
        Hostile::Header("X-Ok".into(), "1".into()),
    );
    server.set(
        &format!("/v2/charts/huge/blobs/sha256:{digest}"),
        Hostile::Endless,
    );
    let ((code, _, err), _) = template("huge");
    assert_eq!(code, 2, "{err}");
    assert!(flat(&err).contains("larger than 20 MiB"), "{err}");
    let other = StaticServer::start(&srv, None);
    server.set(
        &format!("/v2/charts/scheme/blobs/sha256:{digest}"),
        Hostile::Redirect(format!(
            "https://127.0.0.1:{}/v2/charts/web/blobs/sha256:{digest}",
            other.port
        )),
    );
    let ((code, _, err), _) = template("scheme");
    assert_eq!(code, 2, "{err}");
    assert!(flat(&err).contains("another scheme"), "{err}");
    assert_eq!(other.connections(), 0);
    let _ = std::fs::remove_dir_all(&env.dir);
}

/// Basic `user:secret`.
fn basic() -> String {
    common::basic("user", "secret")
}

#[test]
fn credentials_from_helms_configuration_stay_on_their_origin_along_redirects() {
    let env = ChartEnv::new("hostile-credentials");
    let good = chart(Vec::new());
    let digest = sha256_hex(&good);
    // The repository's host wants credentials; the other host (another port) serves
    // whatever it is redirected to, and records what it was sent.
    let repo_root = env.dir.join("repo");
    let other_root = env.dir.join("other");
    let repo = StaticServer::start(&repo_root, Some(basic()));
    let other = StaticServer::start(&other_root, None);
    std::fs::create_dir_all(&other_root).unwrap();
    std::fs::write(other_root.join("web-1.0.0.tgz"), &good).unwrap();
    write(
        &other_root,
        "index.yaml",
        &index(&format!("{}/web-1.0.0.tgz", other.url()), &digest),
    );
    // /charts/index.yaml moves within the repository's origin (credentials kept), and
    // the archive it lists moves to the other host (credentials dropped).
    repo.set(
        "/charts/index.yaml",
        Hostile::Redirect(format!("{}/current/index.yaml", repo.url())),
    );
    write(
        &repo_root,
        "current/index.yaml",
        &index("web-1.0.0.tgz", &digest),
    );
    repo.set(
        "/charts/web-1.0.0.tgz",
        Hostile::Redirect(format!("{}/web-1.0.0.tgz", other.url())),
    );
    // /moved/index.yaml moves to the other host at once.
    repo.set(
        "/moved/index.yaml",
        Hostile::Redirect(format!("{}/index.yaml", other.url())),
    );
    // The credentials come from Helm's repositories file, as `helm repo add` writes it.
    let config = env.dir.join("repositories.yaml");
    write(
        &env.dir,
        "repositories.yaml",
        &format!(
            "apiVersion: \"\"\ngenerated: \"0001-01-01T00:00:00Z\"\nrepositories:\n- name: private\n  url: {0}/charts\n  username: user\n  password: secret\n- name: moved\n  url: {0}/moved\n  username: user\n  password: secret\n",
            repo.url()
        ),
    );
    let config_s = config.display().to_string();
    let with_config = [("HELM_REPOSITORY_CONFIG", config_s.as_str())];
    let ((code, out, err), _) = env.kit(&["template", "private/web"], &with_config);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("name: release-name-served"), "{out}");
    let seen = repo.seen();
    assert!(
        seen.iter()
            .any(|s| s.path == "/current/index.yaml" && s.authorization == Some(basic())),
        "the redirect within the repository's origin lost the credentials: {seen:?}"
    );
    let ((code, _, err), _) = env.kit(&["template", "moved/web"], &with_config);
    assert_eq!(code, 0, "{err}");
    let far = other.seen();
    assert!(far.len() >= 2, "{far:?}");
    assert!(
        far.iter().all(|s| s.authorization.is_none()),
        "credentials went to another origin: {far:?}"
    );

    // An OCI registry that wants the credentials of Helm's registry config, and whose blob
    // moves to the other host (as registries send blobs to a storage host).
    let reg_root = env.dir.join("registry");
    registry_repository(&reg_root, "web", &good, &good);
    let registry = StaticServer::start(&reg_root, Some(basic()));
    registry.set(
        &format!("/v2/charts/web/blobs/sha256:{digest}"),
        Hostile::Redirect(format!("{}/web-1.0.0.tgz", other.url())),
    );
    let host = format!("127.0.0.1:{}", registry.port);
    use base64::Engine;
    let auth = base64::engine::general_purpose::STANDARD.encode("user:secret");
    let registry_config = env.dir.join("registry.json");
    let mut f = std::fs::File::create(&registry_config).unwrap();
    write!(f, r#"{{"auths":{{"{host}":{{"auth":"{auth}"}}}}}}"#).unwrap();
    drop(f);
    let before = other.seen().len();
    let registry_config_s = registry_config.display().to_string();
    let fresh = env.dir.join("cache-oci").display().to_string();
    let ((code, out, err), _) = env.kit(
        &[
            "template",
            &format!("oci://{host}/charts/web"),
            "--version",
            "1.0.0",
            "--plain-http",
        ],
        &[
            ("HELM_REGISTRY_CONFIG", registry_config_s.as_str()),
            ("KIT_CACHE_DIR", fresh.as_str()),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("name: release-name-served"), "{out}");
    assert!(
        registry
            .seen()
            .iter()
            .any(|s| s.authorization == Some(basic())),
        "{:?}",
        registry.seen()
    );
    let far = other.seen();
    assert!(
        far.len() > before,
        "the blob was not fetched from the other host"
    );
    assert!(
        far.iter().all(|s| s.authorization.is_none()),
        "registry credentials went to another origin: {far:?}"
    );
    let _ = std::fs::remove_dir_all(&env.dir);
}
