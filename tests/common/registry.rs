//! Debian's docker-registry (the reference distribution registry, `KIT_REGISTRY`) on a free
//! loopback port, storing under a scratch directory, until dropped.

use std::path::Path;
use std::process::{Child, Command, Stdio};

use super::write;

pub struct Registry {
    child: Child,
    pub port: u16,
}

/// The registry binary (`KIT_REGISTRY`), or `None` (said loudly, a failure under CI).
pub fn binary(test: &str) -> Option<String> {
    let binary = super::env_var("KIT_REGISTRY");
    if binary.is_none() {
        super::skip_or_fail(
            test,
            "the OCI registry is missing: KIT_REGISTRY is not set (run scripts/test, or scripts/install-registry and export KIT_REGISTRY=<the path it prints>)",
        );
    }
    binary
}

impl Registry {
    /// Starts the registry with its configuration file in `dir` and its storage under it;
    /// `auth` is the configuration's `auth:` section (YAML at the top level, or empty) and
    /// `tls` its `http.tls` (YAML indented by two spaces, or empty).
    pub fn start(binary: &str, dir: &Path, auth: &str, tls: &str) -> Registry {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        write(
            dir,
            "registry.yml",
            &format!(
                "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{port}\n{tls}{auth}",
                dir.join("storage").display(),
            ),
        );
        let child = Command::new(binary)
            .arg("serve")
            .arg(dir.join("registry.yml"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run KIT_REGISTRY={binary}: {e}"));
        let registry = Registry { child, port };
        // Wait (at most 10 s) until it answers.
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return registry;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("the registry did not start on 127.0.0.1:{port}");
    }

    /// `127.0.0.1:PORT`.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
