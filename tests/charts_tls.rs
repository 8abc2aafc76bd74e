//! Chart repositories and OCI registries over TLS, on loopback, with certificates made at
//! test time (tests/common/tls.rs): kit must reach them as the real `helm` (v3.17.2,
//! `KIT_HELM3`) does, from the same servers with the same flags and the same Helm
//! configuration, and print the same bytes; where helm refuses, kit refuses too, saying
//! which host and what to pass.
//!
//! - A chart repository over HTTPS (the tests' static server with rustls): `--ca-file`,
//!   the wrong CA or none, `--insecure-skip-tls-verify`, a client certificate it demands
//!   (`--cert-file`/`--key-file`), and `helm repo add --ca-file --cert-file --key-file`
//!   (repositories.yaml's `caFile`, `certFile`, `keyFile`).
//! - Debian's docker-registry (`KIT_REGISTRY`) over TLS with token authentication: a 401
//!   with `WWW-Authenticate: Bearer realm=…,service=…,scope=…`, a token server on another
//!   host (127.0.0.2) that wants the registry's credentials (from `helm registry login`'s
//!   config.json) and hands out JSON Web Tokens the registry checks. kit must ask the token
//!   server what helm asks it (oras-go's rules: the registry's credentials go to the realm
//!   the registry names, on whatever host); a client certificate the registry demands; and a
//!   realm on plain HTTP, where kit (unlike helm) sends no credentials.
//!
//! Without `KIT_HELM3` (or `KIT_REGISTRY` for the registry test) a test says loudly that it
//! is skipped; under CI=true it fails.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

mod common;

use common::chart_repo::{chart, repository, ChartEnv};
use common::registry::Registry;
use common::static_http::{Seen, StaticServer};
use common::tls::Pki;
use common::{basic, unwrapped, write};

type Outcome = (i32, String, String);

/// `a` then `b`.
fn cat<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<&'a str> {
    [a, b].concat()
}

/// kit and helm with the same arguments and environment (kit with a cache of its own, so
/// that it downloads).
fn both(env: &ChartEnv, helm: &str, args: &[&str], extra: &[(&str, &str)]) -> (Outcome, Outcome) {
    let cache = env.fresh_cache();
    let mut with_cache = extra.to_vec();
    with_cache.push(("KIT_CACHE_DIR", &cache));
    let (kit, _) = env.kit(args, &with_cache);
    let (helm, _) = env.helm_in(helm, &env.work, args, extra);
    (kit, helm)
}

/// Both print the same manifests.
fn agree(what: &str, (kit, helm): &(Outcome, Outcome)) {
    assert_eq!(helm.0, 0, "{what}: helm: {}", helm.2);
    assert_eq!(kit.0, 0, "{what}: kit: {}", kit.2);
    assert_eq!(kit.1, helm.1, "{what}: kit and helm differ");
    assert!(kit.1.contains("name: release-name-served"), "{}", kit.1);
}

/// Both refuse; kit with exit 2, nothing on stdout, and an error (unwrapped) that contains
/// each of `says`.
fn refuse(what: &str, (kit, helm): &(Outcome, Outcome), says: &[&str]) {
    assert_ne!(helm.0, 0, "{what}: helm did not refuse: {}", helm.1);
    assert_eq!((kit.0, kit.1.as_str()), (2, ""), "{what}: kit: {}", kit.2);
    let err = unwrapped(&kit.2);
    println!("{what}: kit says: {err}");
    // miette wraps long lines anywhere, inside a flag's name too.
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    for s in says {
        assert!(
            squash(&err).contains(&squash(s)),
            "{what}: kit's error does not say {s:?}: {err}"
        );
    }
}

#[test]
fn a_chart_repository_over_tls_is_reached_as_helm_reaches_it() {
    let test = "a_chart_repository_over_tls_is_reached_as_helm_reaches_it";
    let Some(helm) = common::helm3(test) else {
        return;
    };
    let env = ChartEnv::new("tls-repo");
    let pki = Pki::new(&env.dir.join("pki"));
    let srv = env.dir.join("srv");
    repository(&srv, "charts", &chart(Vec::new()));
    let server = StaticServer::start_tls(&srv, None, "127.0.0.1", Some(pki.server_config(false)));
    let mutual = StaticServer::start_tls(&srv, None, "127.0.0.1", Some(pki.server_config(true)));
    let url = format!("{}/charts", server.url());
    let (ca, other_ca) = (
        pki.ca.display().to_string(),
        pki.other_ca.display().to_string(),
    );
    let (cert, key) = (
        pki.client_cert.display().to_string(),
        pki.client_key.display().to_string(),
    );
    let template = ["template", "web", "--repo", url.as_str()];

    agree(
        "--ca-file",
        &both(&env, &helm, &cat(&template, &["--ca-file", &ca]), &[]),
    );
    agree(
        "--insecure-skip-tls-verify",
        &both(
            &env,
            &helm,
            &cat(&template, &["--insecure-skip-tls-verify"]),
            &[],
        ),
    );
    let host = format!("127.0.0.1:{}", server.port);
    for (what, flags) in [
        ("no CA", Vec::new()),
        ("another CA", vec!["--ca-file", other_ca.as_str()]),
    ] {
        refuse(
            what,
            &both(&env, &helm, &cat(&template, &flags), &[]),
            &[&host, "--ca-file", "--insecure-skip-tls-verify"],
        );
    }

    // A repository that demands a client certificate.
    let murl = format!("{}/charts", mutual.url());
    let mutual_template = ["template", "web", "--repo", murl.as_str(), "--ca-file", &ca];
    agree(
        "a client certificate",
        &both(
            &env,
            &helm,
            &[
                &mutual_template[..],
                &["--cert-file", &cert, "--key-file", &key],
            ]
            .concat(),
            &[],
        ),
    );
    refuse(
        "no client certificate",
        &both(&env, &helm, &mutual_template, &[]),
        &[&format!("127.0.0.1:{}", mutual.port), "--cert-file"],
    );

    // `helm repo add --ca-file`: repositories.yaml's caFile, which kit reads too.
    let (added, _) = env.helm_in(
        &helm,
        &env.work,
        &["repo", "add", "secure", &url, "--ca-file", &ca],
        &[],
    );
    assert_eq!(added.0, 0, "helm repo add: {}", added.2);
    let before = server.requests();
    let (kit, helm_out) = both(&env, &helm, &["template", "secure/web"], &[]);
    agree("repositories.yaml caFile", &(kit, helm_out));
    assert!(server.requests() > before, "nothing was fetched over TLS");
    // And certFile/keyFile, for the repository that demands a client certificate.
    let (added, _) = env.helm_in(
        &helm,
        &env.work,
        &[
            "repo",
            "add",
            "mutual",
            &murl,
            "--ca-file",
            &ca,
            "--cert-file",
            &cert,
            "--key-file",
            &key,
        ],
        &[],
    );
    assert_eq!(added.0, 0, "helm repo add: {}", added.2);
    let before = mutual.requests();
    let (kit, helm_out) = both(&env, &helm, &["template", "mutual/web"], &[]);
    agree("repositories.yaml certFile and keyFile", &(kit, helm_out));
    assert!(mutual.requests() > before, "nothing was fetched over TLS");
    let _ = std::fs::remove_dir_all(&env.dir);
}

const ISSUER: &str = "kit-test-issuer";
const SERVICE: &str = "kit-registry";

/// The registry's `auth:` for tokens from `realm`, signed under the test CA.
fn token_auth(realm: &str, pki: &Pki) -> String {
    format!(
        "auth:\n  token:\n    realm: {realm}\n    service: {SERVICE}\n    issuer: {ISSUER}\n    rootcertbundle: {}\n",
        pki.ca.display()
    )
}

/// The registry's `http.tls`: the server certificate; with `clients`, it demands a client
/// certificate signed by the test CA.
fn registry_tls(pki: &Pki, clients: bool) -> String {
    let mut tls = format!(
        "  tls:\n    certificate: {}\n    key: {}\n",
        pki.server_cert.display(),
        pki.server_key.display()
    );
    if clients {
        tls.push_str(&format!("    clientcas:\n      - {}\n", pki.ca.display()));
    }
    tls
}

/// What a token server was asked: each request's credentials and query parameters (sorted),
/// once each.
fn asked(seen: &[Seen]) -> std::collections::BTreeSet<(Option<String>, Vec<String>)> {
    seen.iter()
        .map(|s| {
            let mut params: Vec<String> = s.query.split('&').map(str::to_string).collect();
            params.sort();
            (s.authorization.clone(), params)
        })
        .collect()
}

#[test]
fn a_tls_registry_with_token_auth_is_reached_as_helm_reaches_it() {
    let test = "a_tls_registry_with_token_auth_is_reached_as_helm_reaches_it";
    // Helm 3's registry client (containerd's resolver) talks plain HTTP to any loopback
    // host whatever the flags, so it cannot reach a TLS registry here; Helm 4's (oras-go
    // v2, the same authentication rules) can.
    let Some(helm) = common::helm4(test) else {
        return;
    };
    let Some(binary) = common::registry::binary(test) else {
        return;
    };
    let env = ChartEnv::new("tls-registry");
    let pki = Pki::new(&env.dir.join("pki"));
    let archive = env.dir.join("web-1.0.0.tgz");
    std::fs::write(&archive, chart(Vec::new())).unwrap();
    let archive = archive.display().to_string();
    let (ca, other_ca) = (
        pki.ca.display().to_string(),
        pki.other_ca.display().to_string(),
    );
    let (cert, key) = (
        pki.client_cert.display().to_string(),
        pki.client_key.display().to_string(),
    );
    let helm_ok = |args: &[&str]| {
        let ((code, _, err), _) = env.helm_in(&helm, &env.work, args, &[]);
        assert_eq!(code, 0, "helm {args:?}: {err}");
    };

    // The token server: another host, HTTPS, the registry's credentials wanted.
    let tokens = env.dir.join("tokens");
    write(
        &tokens,
        "token",
        &format!(
            r#"{{"token":"{}"}}"#,
            pki.token(ISSUER, SERVICE, &["charts/web"])
        ),
    );
    let token_server = StaticServer::start_tls(
        &tokens,
        Some(basic("user", "secret")),
        "127.0.0.2",
        Some(pki.server_config(false)),
    );
    let registry = Registry::start(
        &binary,
        &env.dir.join("registry"),
        &token_auth(&format!("{}/token", token_server.url()), &pki),
        &registry_tls(&pki, false),
    );
    let host = registry.host();
    helm_ok(&[
        "registry",
        "login",
        &host,
        "--username",
        "user",
        "--password",
        "secret",
        "--ca-file",
        &ca,
    ]);
    helm_ok(&[
        "push",
        &archive,
        &format!("oci://{host}/charts"),
        "--ca-file",
        &ca,
    ]);
    let reference = format!("oci://{host}/charts/web");
    let template = ["template", reference.as_str(), "--ca-file", ca.as_str()];

    // The credentials of Helm's registry config, for the tag given or listed: the same
    // bytes, and the token server asked the same (the registry's credentials, its service
    // and scope) by both.
    for version in [&["--version", "1.0.0"][..], &[]] {
        let args = [&template[..], version].concat();
        let cache = env.fresh_cache();
        let start = token_server.requests();
        let (kit, _) = env.kit(&args, &[("KIT_CACHE_DIR", &cache)]);
        let by_kit = asked(&token_server.seen()[start..]);
        let start = token_server.requests();
        let (helm_out, _) = env.helm_in(&helm, &env.work, &args, &[]);
        let by_helm = asked(&token_server.seen()[start..]);
        agree(&format!("token auth {version:?}"), &(kit, helm_out));
        assert_eq!(
            by_kit, by_helm,
            "kit and helm asked the token server differently"
        );
        assert!(
            by_kit
                .iter()
                .all(|(auth, _)| *auth == Some(basic("user", "secret"))),
            "{by_kit:?}"
        );
    }
    // The credentials as flags, with no registry config.
    let nowhere = env
        .dir
        .join("no-registry-config.json")
        .display()
        .to_string();
    let no_config = [("HELM_REGISTRY_CONFIG", nowhere.as_str())];
    agree(
        "--username/--password",
        &both(
            &env,
            &helm,
            &[
                &template[..],
                &["--username", "user", "--password", "secret"],
            ]
            .concat(),
            &no_config,
        ),
    );
    // No credentials: the token server refuses both.
    refuse(
        "no credentials",
        &both(&env, &helm, &template, &no_config),
        &[
            &token_server.url(),
            "401",
            &format!("helm registry login {host}"),
        ],
    );
    // The registry's certificate not trusted, then not checked.
    for (what, flags) in [
        ("no CA", vec![]),
        ("another CA", vec!["--ca-file", other_ca.as_str()]),
    ] {
        refuse(
            what,
            &both(
                &env,
                &helm,
                &[&["template", &reference][..], &flags].concat(),
                &[],
            ),
            &[&host, "--ca-file", "--insecure-skip-tls-verify"],
        );
    }
    agree(
        "--insecure-skip-tls-verify",
        &both(
            &env,
            &helm,
            &["template", &reference, "--insecure-skip-tls-verify"],
            &[],
        ),
    );
    drop(registry);

    // A registry that demands a client certificate.
    let mutual = Registry::start(
        &binary,
        &env.dir.join("mutual"),
        "",
        &registry_tls(&pki, true),
    );
    let mhost = mutual.host();
    let client = ["--cert-file", cert.as_str(), "--key-file", key.as_str()];
    helm_ok(
        &[
            &[
                "push",
                &archive,
                &format!("oci://{mhost}/charts"),
                "--ca-file",
                &ca,
            ][..],
            &client,
        ]
        .concat(),
    );
    let mreference = format!("oci://{mhost}/charts/web");
    let mtemplate = ["template", mreference.as_str(), "--ca-file", ca.as_str()];
    agree(
        "a client certificate",
        &both(&env, &helm, &[&mtemplate[..], &client].concat(), &[]),
    );
    refuse(
        "no client certificate",
        &both(&env, &helm, &mtemplate, &[]),
        &[&mhost, "--cert-file"],
    );
    drop(mutual);

    // A token realm on plain HTTP: helm sends the registry's credentials there; kit refuses
    // before it connects.
    let plain_tokens =
        StaticServer::start_tls(&tokens, Some(basic("user", "secret")), "127.0.0.2", None);
    let leaky = Registry::start(
        &binary,
        &env.dir.join("leaky"),
        &token_auth(&format!("{}/token", plain_tokens.url()), &pki),
        &registry_tls(&pki, false),
    );
    let lhost = leaky.host();
    let lreference = format!("oci://{lhost}/charts/web");
    let leaky_args = [
        "template",
        &lreference,
        "--ca-file",
        &ca,
        "--username",
        "user",
        "--password",
        "secret",
    ];
    let (kit, _) = env.kit(&leaky_args, &[("KIT_CACHE_DIR", &env.fresh_cache())]);
    assert_eq!((kit.0, kit.1.as_str()), (2, ""), "{}", kit.2);
    let err = unwrapped(&kit.2);
    assert!(
        err.contains(&plain_tokens.url()) && err.contains("plain HTTP"),
        "{err}"
    );
    assert_eq!(
        plain_tokens.connections(),
        0,
        "kit reached the plain-HTTP realm"
    );
    let (helm_out, _) = env.helm_in(&helm, &env.work, &leaky_args, &[]);
    // What kit guards against: helm sends the credentials over plain HTTP.
    assert!(
        plain_tokens
            .seen()
            .iter()
            .any(|s| s.authorization == Some(basic("user", "secret"))),
        "helm no longer sends credentials to a plain-HTTP realm (exit {}): {:?}",
        helm_out.0,
        plain_tokens.seen()
    );
    drop(leaky);
    let _ = std::fs::remove_dir_all(&env.dir);
}
