//! Certificates made at test time for loopback TLS: a CA, a server certificate for
//! 127.0.0.1 and 127.0.0.2 signed by it, a client certificate signed by it, and a second,
//! unrelated CA (what a client that trusts the wrong CA has). Written as PEM files for kit,
//! helm and docker-registry; a rustls server configuration for the tests' own servers; and
//! ES256 JSON Web Tokens as a distribution registry's token server signs them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SigningKey,
};

/// The PEM files of one test's certificates, under `dir`.
pub struct Pki {
    /// The CA that signed the server, client and token certificates.
    pub ca: PathBuf,
    /// A CA that signed nothing here.
    pub other_ca: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
    pub client_cert: PathBuf,
    pub client_key: PathBuf,
    /// The token signer's certificate (the registry's `rootcertbundle` is the CA).
    token_cert_der: Vec<u8>,
    token_key: KeyPair,
    server: (Vec<u8>, Vec<u8>),
    ca_der: Vec<u8>,
}

fn ca_params(name: &str) -> CertificateParams {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.distinguished_name.push(DnType::CommonName, name);
    params
}

fn leaf_params(names: &[&str], name: &str, usage: ExtendedKeyUsagePurpose) -> CertificateParams {
    let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    let mut params = CertificateParams::new(names).expect("leaf parameters");
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![usage];
    params
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

impl Pki {
    /// New certificates (ECDSA P-256) written under `dir`.
    pub fn new(dir: &Path) -> Pki {
        std::fs::create_dir_all(dir).expect("pki directory");
        let ca_key = KeyPair::generate().expect("CA key");
        let params = ca_params("kit test CA");
        let ca_cert = params.self_signed(&ca_key).expect("CA certificate");
        let issuer = Issuer::new(params, ca_key);
        let other_key = KeyPair::generate().expect("key");
        let other = ca_params("kit test CA nobody trusts")
            .self_signed(&other_key)
            .expect("CA certificate");

        let server_key = KeyPair::generate().expect("server key");
        let server_cert = leaf_params(
            &["127.0.0.1", "127.0.0.2", "localhost"],
            "kit test server",
            ExtendedKeyUsagePurpose::ServerAuth,
        )
        .signed_by(&server_key, &issuer)
        .expect("server certificate");
        let client_key = KeyPair::generate().expect("client key");
        let client_cert = leaf_params(&[], "kit test client", ExtendedKeyUsagePurpose::ClientAuth)
            .signed_by(&client_key, &issuer)
            .expect("client certificate");
        let token_key = KeyPair::generate().expect("token key");
        let mut token_params = CertificateParams::new(Vec::<String>::new()).expect("params");
        token_params
            .distinguished_name
            .push(DnType::CommonName, "kit test token signer");
        let token_cert = token_params
            .signed_by(&token_key, &issuer)
            .expect("token certificate");

        let pki = Pki {
            ca: dir.join("ca.pem"),
            other_ca: dir.join("other-ca.pem"),
            server_cert: dir.join("server.pem"),
            server_key: dir.join("server-key.pem"),
            client_cert: dir.join("client.pem"),
            client_key: dir.join("client-key.pem"),
            token_cert_der: token_cert.der().to_vec(),
            token_key,
            server: (server_cert.der().to_vec(), server_key.serialize_der()),
            ca_der: ca_cert.der().to_vec(),
        };
        write(&pki.ca, &ca_cert.pem());
        write(&pki.other_ca, &other.pem());
        write(&pki.server_cert, &server_cert.pem());
        write(&pki.server_key, &server_key.serialize_pem());
        write(&pki.client_cert, &client_cert.pem());
        write(&pki.client_key, &client_key.serialize_pem());
        pki
    }

    /// A rustls server configuration with the server certificate; with `client_ca`, it
    /// demands a client certificate signed by the CA.
    pub fn server_config(&self, client_ca: bool) -> Arc<rustls::ServerConfig> {
        use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .expect("TLS versions");
        let builder = if client_ca {
            let mut roots = rustls::RootCertStore::empty();
            roots
                .add(CertificateDer::from(self.ca_der.clone()))
                .expect("CA");
            let verifier =
                rustls::server::WebPkiClientVerifier::builder_with_provider(roots.into(), provider)
                    .build()
                    .expect("client verifier");
            builder.with_client_cert_verifier(verifier)
        } else {
            builder.with_no_client_auth()
        };
        let config = builder
            .with_single_cert(
                vec![CertificateDer::from(self.server.0.clone())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.server.1.clone())),
            )
            .expect("server certificate");
        Arc::new(config)
    }

    /// A JSON Web Token (ES256, its certificate in `x5c`) as the token server of a
    /// distribution registry issues it: from `issuer`, for `service`, allowing pull and
    /// push on each repository of `repositories`, valid for an hour.
    pub fn token(&self, issuer: &str, service: &str, repositories: &[&str]) -> String {
        use base64::Engine;
        let url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let std = base64::engine::general_purpose::STANDARD;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs();
        let header = serde_json::json!({
            "typ": "JWT",
            "alg": "ES256",
            "x5c": [std.encode(&self.token_cert_der)],
        });
        let access: Vec<serde_json::Value> = repositories
            .iter()
            .map(|r| serde_json::json!({"type": "repository", "name": r, "actions": ["pull", "push"]}))
            .collect();
        let claims = serde_json::json!({
            "iss": issuer,
            "sub": "user",
            "aud": service,
            "exp": now + 3600,
            "nbf": now - 60,
            "iat": now,
            "jti": format!("kit-{now}"),
            "access": access,
        });
        let signed = format!(
            "{}.{}",
            url.encode(header.to_string()),
            url.encode(claims.to_string())
        );
        let der = self.token_key.sign(signed.as_bytes()).expect("sign");
        format!("{signed}.{}", url.encode(raw_signature(&der)))
    }
}

/// An ECDSA signature in DER (`SEQUENCE { INTEGER r, INTEGER s }`) as JOSE writes it: `r`
/// and `s` as 32 bytes each.
fn raw_signature(der: &[u8]) -> Vec<u8> {
    // A P-256 signature is short: one-byte lengths throughout.
    assert_eq!(der[0], 0x30, "not a DER sequence");
    let mut at = 2;
    let mut out = Vec::new();
    for _ in 0..2 {
        assert_eq!(der[at], 0x02, "not a DER integer");
        let len = der[at + 1] as usize;
        let int = &der[at + 2..at + 2 + len];
        let int = &int[int.len().saturating_sub(32)..];
        out.extend(std::iter::repeat_n(0u8, 32 - int.len()));
        out.extend_from_slice(int);
        at += 2 + len;
    }
    out
}
