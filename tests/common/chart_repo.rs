//! Chart repositories made by hand for tests: gzipped tars written entry by entry (so that
//! an archive can hold what `helm package` would never write: `..`, absolute paths, links),
//! the chart `web` 1.0.0, and an `index.yaml` that lists it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{scratch, write};

/// A scratch directory for a chart test: kit's cache, Helm's homes (so no configuration of
/// the user's is read), no kubeconfig, and a work directory to run kit in.
pub struct ChartEnv {
    pub dir: PathBuf,
    pub work: PathBuf,
}

impl ChartEnv {
    pub fn new(name: &str) -> ChartEnv {
        let dir = scratch(name);
        let work = dir.join("work");
        std::fs::create_dir_all(&work).expect("work directory");
        ChartEnv { dir, work }
    }

    /// Runs kit in `dir` with `env` set too: (exit code, stdout, stderr), and how long it
    /// took.
    pub fn kit_in(
        &self,
        dir: &Path,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> ((i32, String, String), Duration) {
        self.run_in(super::kit(), dir, args, env)
    }

    /// Runs the real `helm` as [`ChartEnv::kit_in`] runs kit (the same Helm homes, so each
    /// reads what the other's `helm repo add` or `helm registry login` wrote).
    pub fn helm_in(
        &self,
        helm: &str,
        dir: &Path,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> ((i32, String, String), Duration) {
        self.run_in(std::process::Command::new(helm), dir, args, env)
    }

    fn run_in(
        &self,
        mut cmd: std::process::Command,
        dir: &Path,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> ((i32, String, String), Duration) {
        cmd.args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env("KIT_CACHE_DIR", self.dir.join("kit-cache"))
            .env("HELM_CONFIG_HOME", self.dir.join("helm-config"))
            .env("HELM_CACHE_HOME", self.dir.join("helm-cache"))
            .env("HELM_DATA_HOME", self.dir.join("helm-data"))
            .env("KUBECONFIG", self.dir.join("no-kubeconfig"))
            .env_remove("HELM_REPOSITORY_CONFIG")
            .env_remove("HELM_REGISTRY_CONFIG");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let started = Instant::now();
        let got = super::output(&mut cmd);
        (got, started.elapsed())
    }

    /// [`ChartEnv::kit_in`] the work directory.
    pub fn kit(&self, args: &[&str], env: &[(&str, &str)]) -> ((i32, String, String), Duration) {
        self.kit_in(&self.work, args, env)
    }

    /// A new, empty cache directory (for `KIT_CACHE_DIR`).
    pub fn fresh_cache(&self) -> String {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.dir.join(format!("cache-{n}")).display().to_string()
    }
}

/// One entry of a hand-made chart archive.
pub enum Entry {
    File(Vec<u8>),
    Symlink(&'static str),
    Hardlink(&'static str),
}

/// A gzipped tar of `entries`, their names written as they are (`..` and absolute paths
/// too, which the tar crate's own setters refuse).
pub fn archive(entries: Vec<(String, Entry)>) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    for (name, entry) in entries {
        let mut header = tar::Header::new_gnu();
        let field = &mut header.as_old_mut().name;
        field[..name.len()].copy_from_slice(name.as_bytes());
        header.set_mode(0o644);
        let data = match entry {
            Entry::File(data) => {
                header.set_entry_type(tar::EntryType::Regular);
                header.set_size(data.len() as u64);
                data
            }
            Entry::Symlink(to) | Entry::Hardlink(to) => {
                let kind = if matches!(entry, Entry::Symlink(_)) {
                    tar::EntryType::Symlink
                } else {
                    tar::EntryType::Link
                };
                header.set_entry_type(kind);
                header.set_size(0);
                header.as_old_mut().linkname[..to.len()].copy_from_slice(to.as_bytes());
                Vec::new()
            }
        };
        header.set_cksum();
        tar.append(&header, data.as_slice()).expect("chart archive");
    }
    tar.into_inner()
        .expect("chart archive")
        .finish()
        .expect("chart archive")
}

/// The chart `web` 1.0.0 (one ConfigMap), plus `extra` entries.
pub fn chart(extra: Vec<(String, Entry)>) -> Vec<u8> {
    let mut entries = vec![
        (
            "web/Chart.yaml".to_string(),
            Entry::File(b"apiVersion: v2\nname: web\nversion: 1.0.0\n".to_vec()),
        ),
        (
            "web/templates/cm.yaml".to_string(),
            Entry::File(
                b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-served\n"
                    .to_vec(),
            ),
        ),
    ];
    entries.extend(extra);
    archive(entries)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An index listing `web` 1.0.0 at `url` with this digest.
pub fn index(url: &str, digest: &str) -> String {
    format!(
        "apiVersion: v1\nentries:\n  web:\n  - apiVersion: v2\n    name: web\n    version: 1.0.0\n    digest: {digest}\n    urls:\n    - {url}\ngenerated: \"2026-01-01T00:00:00Z\"\n"
    )
}

/// `DIR/NAME/` as a chart repository serving `archive` (the index's digest is its own).
pub fn repository(dir: &Path, name: &str, archive: &[u8]) {
    std::fs::create_dir_all(dir.join(name)).expect("chart archive");
    std::fs::write(dir.join(name).join("web-1.0.0.tgz"), archive).expect("chart archive");
    write(
        dir,
        &format!("{name}/index.yaml"),
        &index("web-1.0.0.tgz", &sha256_hex(archive)),
    );
}
