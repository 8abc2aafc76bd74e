//! kit as users install it: the wheel of pyproject.toml (built by maturin) run by pre-commit
//! through the hook package of integrations/pre-commit, the install script against a release
//! served on 127.0.0.1, the release workflow and the GitHub Action checked by jactionlint, and
//! the Argo CD plugin's command line. The Python tools come from PyPI through
//! scripts/install-package-tools (cached in .tools/); without them the tests that need them
//! are skipped loudly, and fail under CI=true.

#![allow(clippy::print_stderr)]

mod common;

use common::{skip_or_fail, write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// maturin's cargo build links target/release/kit again even when nothing changed (the file
/// is briefly missing): the wheel build takes this lock for writing, and every other test
/// that runs the tests' kit holds it for reading.
static KIT_BINARY: std::sync::RwLock<()> = std::sync::RwLock::new(());

fn kit_binary_in_use() -> std::sync::RwLockReadGuard<'static, ()> {
    KIT_BINARY.read().unwrap_or_else(|e| e.into_inner())
}

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The bin directory of the venv holding maturin, pre-commit and jactionlint:
/// `$KIT_PACKAGE_TOOLS` (scripts/test exports it), else what scripts/install-package-tools
/// installs. `None` (after a loud skip, or a failure under CI) when neither works.
fn package_tools(test: &str) -> Option<PathBuf> {
    if let Some(dir) = common::env_var("KIT_PACKAGE_TOOLS") {
        return Some(PathBuf::from(dir));
    }
    let out = Command::new(repo_root().join("scripts/install-package-tools")).output();
    match out {
        Ok(out) if out.status.success() => {
            let stdout = String::from_utf8_lossy(&out.stdout);
            stdout.lines().last().map(|l| PathBuf::from(l.trim()))
        }
        Ok(out) => {
            skip_or_fail(
                test,
                &format!(
                    "scripts/install-package-tools failed (maturin and pre-commit come from PyPI): {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ),
            );
            None
        }
        Err(e) => {
            skip_or_fail(
                test,
                &format!("cannot run scripts/install-package-tools: {e}"),
            );
            None
        }
    }
}

/// Runs `cmd`, failing the test with its output unless it exits 0; returns stdout + stderr.
fn must(cmd: &mut Command, what: &str) -> String {
    let (code, out, err) = common::output(cmd);
    assert_eq!(code, 0, "{what} failed:\n{out}\n{err}");
    format!("{out}{err}")
}

fn seconds(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// 1-based line and column of the first occurrence of `needle` in `text`.
fn line_col(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).expect("needle in text");
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = at - before.rfind('\n').map_or(0, |n| n + 1) + 1;
    (line, col)
}

const BAD_DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:latest
";

const FIXED_DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27.3
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 500m, memory: 256Mi}
";

/// An ordinary repository: the bad Deployment, an overlay of a good base with a patch (a
/// partial Deployment), a GitHub workflow, a compose file and a values file.
fn user_repository(dir: &Path, hooks_repo: &Path, rev: &str) {
    write(dir, "deploy/web.yaml", BAD_DEPLOYMENT);
    write(
        dir,
        "base/deployment.yaml",
        &FIXED_DEPLOYMENT.replace("web", "api"),
    );
    write(
        dir,
        "base/kustomization.yaml",
        "resources: [deployment.yaml]\n",
    );
    write(
        dir,
        "overlays/prod/kustomization.yaml",
        "resources: [../../base]\npatches:\n  - path: replicas.yaml\n",
    );
    write(
        dir,
        "overlays/prod/replicas.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 3\n",
    );
    write(
        dir,
        ".github/workflows/ci.yml",
        "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n",
    );
    write(
        dir,
        "compose.yaml",
        "services:\n  web:\n    image: nginx:latest\n    ports: [\"8080:80\"]\n",
    );
    write(
        dir,
        "values.yaml",
        "replicaCount: 1\nimage:\n  repository: nginx\n  tag: latest\n",
    );
    write(
        dir,
        ".pre-commit-config.yaml",
        &format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks: [{{id: kit-lint}}]\n",
            file_url(hooks_repo)
        ),
    );
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The Done-when test of packaging: maturin builds the wheel, pip installs it into a fresh
/// virtualenv with no compiler involved, and pre-commit runs kit's `kit-lint` hook, installed
/// from the hook package (integrations/pre-commit plus .pre-commit-hooks.yaml, as the release
/// workflow publishes it) with pip resolving `kit-k8s` to that wheel. On a commit of an
/// ordinary repository the bad Deployment blocks it with its file and line, nothing else
/// does, and the fixed repository commits.
#[test]
fn pre_commit_installs_the_wheel_and_blocks_only_the_bad_deployment() {
    const TEST: &str = "pre_commit_installs_the_wheel_and_blocks_only_the_bad_deployment";
    if !common::git_http::have_git(TEST) {
        return;
    }
    let Some(tools) = package_tools(TEST) else {
        return;
    };
    let version = env!("CARGO_PKG_VERSION");
    let work = common::scratch("pre-commit");
    let wheels = work.join("wheels");

    // The wheel, built in the test's own target directory with the release profile: maturin
    // runs `cargo build --release`, which finds the binary the tests run already built.
    let kit_bin = Path::new(env!("CARGO_BIN_EXE_kit"));
    let target_dir = kit_bin
        .parent()
        .and_then(Path::parent)
        .expect("the target directory");
    let relinking = KIT_BINARY.write().unwrap_or_else(|e| e.into_inner());
    let started = Instant::now();
    let built = must(
        Command::new(tools.join("maturin"))
            .args(["build", "--release", "--out"])
            .arg(&wheels)
            .arg("--manifest-path")
            .arg(repo_root().join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", target_dir)
            .env_remove("CARGO_BUILD_TARGET")
            .env_remove("OUT_DIR")
            // What cargo sets for this test process is no user's environment: ring's build
            // script reruns when CARGO_PKG_NAME or CARGO_MANIFEST_DIR changes, and with them
            // half of kit's dependencies would be compiled again.
            .envs_remove_cargo_package_vars(),
        "maturin build",
    );
    let build_time = started.elapsed();
    drop(relinking);
    let recompiled = built.contains("Compiling kit-k8s");
    // The tests' kit and the wheel's are one build (Cargo.toml, "One build"), unless the
    // tests were built with another profile.
    if kit_bin.parent().and_then(Path::file_name) == Some("release".as_ref()) {
        assert!(
            !recompiled,
            "maturin compiled kit again: `cargo test --release` and `cargo build --release` \
             no longer build the same kit. A dev-dependency turns on features of a dependency \
             (compare `cargo tree -e no-dev -f '{{p}} [{{f}}]'` with `cargo tree -f '{{p}} [{{f}}]'`); \
             turn them on in Cargo.toml's [dependencies] (\"One build\").\n{built}"
        );
    }
    let wheel = std::fs::read_dir(&wheels)
        .expect("wheels")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .expect("maturin made a wheel");
    let wheel_name = wheel
        .file_name()
        .expect("name")
        .to_string_lossy()
        .to_string();
    assert!(
        wheel_name.starts_with(&format!("kit_k8s-{version}-py3-none-")),
        "{wheel_name}"
    );

    // pip installs it into a fresh virtualenv: no index, no build, the `kit` command works.
    let venv = work.join("venv");
    must(
        Command::new("python3").args(["-m", "venv"]).arg(&venv),
        "python3 -m venv",
    );
    let started = Instant::now();
    must(
        Command::new(venv.join("bin/pip"))
            .args([
                "install",
                "--quiet",
                "--no-index",
                "--disable-pip-version-check",
            ])
            .arg(&wheel),
        "pip install of the wheel",
    );
    let install_time = started.elapsed();
    let installed = must(
        Command::new(venv.join("bin/kit")).arg("--version"),
        "kit --version",
    );
    assert!(installed.contains(version), "{installed}");

    // The hook repository as the release workflow publishes it.
    let hooks = work.join("kit-pre-commit");
    std::fs::create_dir_all(&hooks).expect("mkdir");
    for (from, to) in [
        (".pre-commit-hooks.yaml", ".pre-commit-hooks.yaml"),
        ("integrations/pre-commit/pyproject.toml", "pyproject.toml"),
    ] {
        std::fs::copy(repo_root().join(from), hooks.join(to)).expect("copy hook package");
    }
    let shim = std::fs::read_to_string(hooks.join("pyproject.toml")).expect("read");
    assert!(
        shim.contains(&format!("\"kit-k8s=={version}\""))
            && shim.contains(&format!("version = \"{version}\"")),
        "integrations/pre-commit/pyproject.toml must pin kit-k8s=={version}, Cargo.toml's version"
    );
    let rev = format!("v{version}");
    common::git_http::git(&hooks, &["init", "-q", "-b", "main", "."]);
    common::git_http::git(&hooks, &["add", "-A"]);
    common::git_http::git(&hooks, &["commit", "-qm", "hooks"]);
    common::git_http::git(&hooks, &["tag", &rev]);

    let repo = work.join("repo");
    std::fs::create_dir_all(&repo).expect("mkdir");
    user_repository(&repo, &hooks, &rev);
    common::git_http::git(&repo, &["init", "-q", "-b", "main", "."]);

    // pip inside pre-commit sees only local files: the wheel under test and the hook
    // package's build backend (scripts/install-package-tools downloads it).
    let wheelhouse = repo_root().join(".tools/wheelhouse");
    let pre_commit = |args: &[&str]| {
        let mut cmd = Command::new(tools.join("pre-commit"));
        cmd.args(args);
        hook_env(&mut cmd, &work, &wheels, &wheelhouse);
        cmd.current_dir(&repo);
        cmd
    };
    must(&mut pre_commit(&["install"]), "pre-commit install");
    let started = Instant::now();
    must(
        &mut pre_commit(&["install-hooks"]),
        "pre-commit install-hooks",
    );
    let hook_install_time = started.elapsed();

    let commit = |message: &str| {
        let mut cmd = Command::new("git");
        cmd.args([
            "-c",
            "user.name=kit-test",
            "-c",
            "user.email=kit@test",
            "commit",
            "-m",
            message,
        ]);
        hook_env(&mut cmd, &work, &wheels, &wheelhouse);
        cmd.current_dir(&repo);
        let started = Instant::now();
        let result = common::output(&mut cmd);
        (result, started.elapsed())
    };
    common::git_http::git(&repo, &["add", "-A"]);
    let ((code, out, err), blocked_time) = commit("bad");
    let output = format!("{out}{err}");
    assert_ne!(
        code, 0,
        "the bad Deployment must block the commit:\n{output}"
    );
    assert!(
        output.contains("- exit code: 1"),
        "findings, not an input error:\n{output}"
    );
    let (line, col) = line_col(BAD_DEPLOYMENT, "nginx:latest");
    assert!(
        output.contains(&format!("deploy/web.yaml:{line}:{col}")),
        "the latest tag at its file and line:\n{output}"
    );
    let (line, col) = line_col(BAD_DEPLOYMENT, "name: web\n          image");
    assert!(
        output.contains(&format!(
            "deploy/web.yaml:{line}:{col}: container `web` does not set resources.limits"
        )),
        "the missing limits at the container:\n{output}"
    );
    // Errors (what blocks) are the bad Deployment's three and no other file's; the other
    // files are skipped or linted through their overlay.
    assert!(output.contains(" 3 errors,"), "{output}");
    for skipped in [".github/workflows/ci.yml", "compose.yaml", "values.yaml"] {
        assert!(
            output.contains(&format!("skipped {skipped}: not a Kubernetes object")),
            "{skipped}:\n{output}"
        );
    }
    assert!(
        output.contains("overlays/prod/replicas.yaml is linted through overlays/prod"),
        "{output}"
    );

    write(&repo, "deploy/web.yaml", FIXED_DEPLOYMENT);
    common::git_http::git(&repo, &["add", "-A"]);
    let ((code, out, err), passed_time) = commit("fixed");
    assert_eq!(code, 0, "the fixed repository commits:\n{out}{err}");
    assert!(format!("{out}{err}").contains("kit lint"), "{out}{err}");

    eprintln!(
        "{TEST}: maturin build {} ({}), wheel {wheel_name} {} MB, pip install into a fresh venv {}, \
         pre-commit install-hooks {}, hook on the bad commit {}, on the fixed commit {}",
        seconds(build_time),
        if recompiled { "recompiled kit" } else { "reused the release build" },
        std::fs::metadata(&wheel).map(|m| m.len() / 1_000_000).unwrap_or(0),
        seconds(install_time),
        seconds(hook_install_time),
        seconds(blocked_time),
        seconds(passed_time),
    );
}

trait RemoveCargoPackageVars {
    fn envs_remove_cargo_package_vars(&mut self) -> &mut Self;
}

impl RemoveCargoPackageVars for Command {
    /// Removes the variables cargo sets for the package whose test runs (CARGO_PKG_*,
    /// CARGO_MANIFEST_*, CARGO_CRATE_NAME…), keeping the user's (CARGO_HOME…).
    fn envs_remove_cargo_package_vars(&mut self) -> &mut Self {
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy().to_string();
            let package = [
                "CARGO_PKG_",
                "CARGO_MANIFEST_",
                "CARGO_CRATE_",
                "CARGO_BIN_",
                "CARGO_CFG_",
                "CARGO_PRIMARY_PACKAGE",
                "CARGO_TARGET_TMPDIR",
                "CARGO_RUSTC_CURRENT_DIR",
            ]
            .iter()
            .any(|prefix| key.starts_with(prefix));
            if package {
                self.env_remove(&key);
            }
        }
        self
    }
}

/// pre-commit's environment for the test: its own cache, and pip limited to local files.
fn hook_env(cmd: &mut Command, work: &Path, wheels: &Path, wheelhouse: &Path) {
    cmd.env("PRE_COMMIT_HOME", work.join("pre-commit-home"))
        .env("PIP_NO_INDEX", "1")
        .env(
            "PIP_FIND_LINKS",
            format!("{} {}", wheels.display(), wheelhouse.display()),
        )
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env("NO_COLOR", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
}

// ---------------------------------------------------------------------------------------
// install.sh against a release served on 127.0.0.1

/// The release target install.sh picks on this machine, when the release has one.
fn release_target() -> Option<String> {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x86_64",
        "aarch64" => "aarch64",
        _ => return None,
    };
    match std::env::consts::OS {
        "linux" => Some(format!("{arch}-unknown-linux-musl")),
        "macos" => Some(format!("{arch}-apple-darwin")),
        _ => None,
    }
}

/// `kit-<target>.tar.gz` as the release workflow makes it: `kit` at the top, mode 0755.
fn release_archive(binary: &[u8]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    let mut header = tar::Header::new_gnu();
    header.set_size(binary.len() as u64);
    header.set_mode(0o755);
    header.set_mtime(0);
    header.set_cksum();
    tar.append_data(&mut header, "kit", binary)
        .expect("tar entry");
    tar.into_inner().expect("tar").finish().expect("gzip")
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes a release at `releases/download/<tag>/` under the server's `files/`: the archive
/// and the SHA256SUMS given.
fn publish_release(files: &Path, tag: &str, asset: &str, archive: &[u8], sums: &str) {
    let dir = files.join("releases/download").join(tag);
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join(asset), archive).expect("write asset");
    std::fs::write(dir.join("SHA256SUMS"), sums).expect("write sums");
}

fn have_program(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn install_script(base: &str, home: &Path, args: &[&str]) -> (i32, String, String) {
    common::output(
        Command::new("sh")
            .arg(repo_root().join("install.sh"))
            .args(args)
            .env("KIT_INSTALL_BASE_URL", base)
            .env("HOME", home)
            .env_remove("KIT_VERSION")
            .env_remove("KIT_INSTALL_DIR"),
    )
}

/// install.sh downloads the platform's archive of a release, checks it against the
/// release's SHA256SUMS and installs `kit`; it refuses a mismatch, an archive SHA256SUMS
/// does not list and a missing release, installing nothing.
#[cfg(unix)]
#[test]
fn install_script_checks_the_checksum_and_installs_the_release_binary() {
    let _kit = kit_binary_in_use();
    const TEST: &str = "install_script_checks_the_checksum_and_installs_the_release_binary";
    let Some(target) = release_target() else {
        skip_or_fail(TEST, "no kit release is built for this platform");
        return;
    };
    if !have_program("curl") && !have_program("wget") {
        skip_or_fail(
            TEST,
            "install.sh needs curl or wget, and neither is installed",
        );
        return;
    }
    let work = common::scratch("install");
    let files = work.join("server/files");
    let binary = std::fs::read(env!("CARGO_BIN_EXE_kit")).expect("read kit");
    let archive = release_archive(&binary);
    let asset = format!("kit-{target}.tar.gz");
    let sums = format!(
        "{}  {asset}\n{}  install.sh\n",
        sha256_hex(&archive),
        sha256_hex(b"not this")
    );
    publish_release(&files, "v0.1.0", &asset, &archive, &sums);
    // GitHub serves the latest release's assets at releases/latest/download/.
    let latest = files.join("releases/latest/download");
    std::fs::create_dir_all(&latest).expect("mkdir");
    std::fs::write(latest.join(&asset), &archive).expect("write");
    std::fs::write(latest.join("SHA256SUMS"), &sums).expect("write");
    // A tampered release: the archive is not the one SHA256SUMS lists.
    let tampered = release_archive(b"#!/bin/sh\necho tampered\n");
    publish_release(&files, "v0.1.1", &asset, &tampered, &sums);
    // A release whose SHA256SUMS does not list this platform.
    publish_release(
        &files,
        "v0.1.2",
        &asset,
        &archive,
        "0000  kit-other.tar.gz\n",
    );

    let server = common::git_http::GitServer::start(&work.join("server"));
    let base = format!("{}/files/releases", server.url());

    let to = work.join("bin");
    let (code, _, err) = install_script(
        &base,
        &work,
        &["--version", "v0.1.0", "--to", &to.to_string_lossy()],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read(to.join("kit")).expect("installed"), binary);
    let version = must(
        Command::new(to.join("kit")).arg("--version"),
        "the installed kit",
    );
    assert!(version.contains("kit"), "{version}");
    assert!(
        err.contains(&format!("installed kit {}", env!("CARGO_PKG_VERSION"))),
        "{err}"
    );

    // The default: the latest release, into ~/.local/bin.
    let (code, _, err) = install_script(&base, &work, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read(work.join(".local/bin/kit")).expect("installed"),
        binary
    );

    for (version, message) in [
        ("v0.1.1", "checksum mismatch"),
        ("v0.1.2", &format!("lists no {asset}") as &str),
        ("v9.9.9", "could not download"),
    ] {
        let to = work.join(format!("refused-{version}"));
        let (code, _, err) = install_script(
            &base,
            &work,
            &["--version", version, "--to", &to.to_string_lossy()],
        );
        assert_eq!(code, 1, "{version}: {err}");
        assert!(err.contains(message), "{version}: {err}");
        assert!(!to.join("kit").exists(), "{version}: nothing is installed");
    }
}

// ---------------------------------------------------------------------------------------
// The container image's binary

/// The Dockerfile copies `${TARGETPLATFORM}/kit` from a context the release workflow lays
/// out from the release archives; that binary runs with the empty environment and the
/// nonroot user's HOME of distroless/static. (The image itself needs a docker daemon, and
/// the musl binary a musl target: neither is here, so the binary is the test's own.)
#[cfg(unix)]
#[test]
fn the_container_context_holds_a_kit_that_runs_without_an_environment() {
    let _kit = kit_binary_in_use();
    let dockerfile = std::fs::read_to_string(repo_root().join("Dockerfile")).expect("Dockerfile");
    let copy = dockerfile
        .lines()
        .find(|l| l.starts_with("COPY "))
        .expect("a COPY line");
    let source = copy
        .split_whitespace()
        .find(|w| w.contains("kit") && !w.starts_with("--"))
        .expect("the COPY source");
    assert!(
        dockerfile.contains("FROM gcr.io/distroless/static"),
        "{dockerfile}"
    );
    let workflow = std::fs::read_to_string(repo_root().join(".github/workflows/release.yml"))
        .expect("release.yml");
    assert!(
        workflow.contains("-C \"context/linux/${pair%%:*}\"")
            && workflow.contains("cp Dockerfile context/"),
        "release.yml lays out context/linux/<arch>/kit for the Dockerfile"
    );
    let work = common::scratch("container");
    let context = work.join("context");
    let archive = release_archive(&std::fs::read(env!("CARGO_BIN_EXE_kit")).expect("kit"));
    for platform in ["linux/amd64", "linux/arm64"] {
        let dir = context.join(platform);
        std::fs::create_dir_all(&dir).expect("mkdir");
        tar::Archive::new(flate2::read::GzDecoder::new(archive.as_slice()))
            .unpack(&dir)
            .expect("unpack");
    }
    let host = match std::env::consts::ARCH {
        "aarch64" => "linux/arm64",
        _ => "linux/amd64",
    };
    let copied = context.join(source.replace("${TARGETPLATFORM}", host));
    assert!(copied.is_file(), "{} from {copy}", copied.display());
    let out = must(
        Command::new(&copied)
            .arg("--version")
            .env_clear()
            .env("HOME", "/home/nonroot")
            .current_dir("/"),
        "the container's kit",
    );
    assert!(out.contains(env!("CARGO_PKG_VERSION")), "{out}");
    let example = repo_root().join("examples/overlays/prod");
    let (code, out, err) = common::output(
        Command::new(&copied)
            .args(["build", "."])
            .env_clear()
            .env("HOME", "/home/nonroot")
            .current_dir(&example),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("kind: Deployment"), "{out}");
}

// ---------------------------------------------------------------------------------------
// The release workflow and the GitHub Action, checked by jactionlint

fn jactionlint(tools: &Path, repo: &Path, args: &[&str]) -> (i32, String, String) {
    // --shellcheck= : shellcheck is not a test tool; unpinned-uses: pinning actions to
    // commits needs GitHub, which the tests cannot reach.
    common::output(
        Command::new(tools.join("jactionlint"))
            .args(["--shellcheck=", "--ignore", "unpinned-uses", "--no-color"])
            .args(args)
            .current_dir(repo),
    )
}

/// The release workflow and the action pass jactionlint (offline: action inputs, runner
/// labels, expressions, permissions), a workflow using the action as the README shows
/// passes it too, and one passing an input the action lacks does not. The workflow's
/// assets are what install.sh downloads.
#[test]
fn the_release_workflow_and_the_action_pass_jactionlint() {
    const TEST: &str = "the_release_workflow_and_the_action_pass_jactionlint";
    if !common::git_http::have_git(TEST) {
        return;
    }
    let Some(tools) = package_tools(TEST) else {
        return;
    };
    let work = common::scratch("actions");
    for file in [".github/workflows/release.yml", "action.yml", "install.sh"] {
        let to = work.join(file);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(repo_root().join(file), to).expect("copy");
    }
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README");
    let snippet = readme
        .split("```yaml\n")
        .filter_map(|block| block.split("```").next())
        .find(|block| block.contains("uses: kit-k8s/kit@"))
        .expect("README shows the action in a yaml block");
    let workflow = |with: &str| {
        format!(
            "name: lint\non: [pull_request]\npermissions: {{}}\nconcurrency: {{group: \"lint-${{{{ github.ref }}}}\", cancel-in-progress: true}}\njobs:\n  kit:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 10\n    permissions: {{contents: read, security-events: write}}\n    steps:\n      - uses: actions/checkout@v4\n        with: {{persist-credentials: false}}\n      - uses: ./\n        with: {with}\n"
        )
    };
    // The README's `with:` line, applied to the local copy of the action.
    let with = snippet
        .lines()
        .find_map(|l| l.trim().strip_prefix("with: "))
        .expect("the README's snippet passes `with:`");
    write(&work, ".github/workflows/uses.yml", &workflow(with));
    common::git_http::git(&work, &["init", "-q", "-b", "main", "."]);
    let (code, out, err) = jactionlint(&tools, &work, &[]);
    assert_eq!(code, 0, "jactionlint:\n{out}{err}");

    write(
        &work,
        ".github/workflows/uses.yml",
        &workflow("{paths: overlays/prod, no-such-input: 1}"),
    );
    let (code, out, _) = jactionlint(&tools, &work, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("no-such-input"), "{out}");

    // The README's CI examples, for what actionlint itself checks (they are kept short:
    // no timeouts or concurrency, which the default profile asks for).
    let mut examples = Vec::new();
    for entry in std::fs::read_dir(repo_root().join("examples/ci")).expect("examples/ci") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        let to = format!(".github/workflows/example-{name}");
        std::fs::copy(&path, work.join(&to)).expect("copy");
        examples.push(to);
    }
    assert!(!examples.is_empty());
    let mut args = vec!["--profile", "correctness"];
    args.extend(examples.iter().map(String::as_str));
    let (code, out, err) = jactionlint(&tools, &work, &args);
    assert_eq!(code, 0, "jactionlint on examples/ci:\n{out}{err}");

    // The assets: archives named as install.sh names them, and SHA256SUMS beside them.
    let release = std::fs::read_to_string(repo_root().join(".github/workflows/release.yml"))
        .expect("release.yml");
    let install = std::fs::read_to_string(repo_root().join("install.sh")).expect("install.sh");
    assert!(install.contains("asset=\"kit-$target.tar.gz\""));
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(release.contains(&format!("target: {target},")), "{target}");
    }
    for needle in [
        "tar -czf \"kit-${{ matrix.target }}.tar.gz\"",
        "sha256sum -- * > SHA256SUMS",
        "cp install.sh dist/",
        "cp .pre-commit-hooks.yaml mirror/",
        "cp integrations/pre-commit/pyproject.toml mirror/",
    ] {
        assert!(release.contains(needle), "release.yml: {needle}");
    }
    assert!(install.contains("$base_url/download/$version") && install.contains("SHA256SUMS"));
}

// ---------------------------------------------------------------------------------------
// The GitHub Action's scripts

/// The value of a `${{ ... }}` expression of action.yml, for the ones it uses.
fn action_expression(
    expr: &str,
    inputs: &serde_json::Value,
    given: &[(&str, &str)],
    temp: &Path,
    output: &str,
) -> String {
    let expr = expr.trim();
    if let Some(name) = expr.strip_prefix("inputs.") {
        if let Some((_, v)) = given.iter().find(|(k, _)| *k == name) {
            return v.to_string();
        }
        return inputs[name]["default"].as_str().unwrap_or("").to_string();
    }
    if let Some(key) = expr.strip_prefix("steps.lint.outputs.") {
        return output
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .unwrap_or("")
            .to_string();
    }
    match expr {
        "runner.temp" => temp.display().to_string(),
        "github.action_ref" => String::new(),
        _ => panic!("action.yml uses `${{{{ {expr} }}}}`: teach tests/package.rs its value"),
    }
}

fn substitute(text: &str, eval: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").expect("closing }}") + start;
        out.push_str(&eval(&rest[start + 3..end]));
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The action's shell steps, run as the runner runs them (bash -e, env from `env:`,
/// GITHUB_PATH and GITHUB_OUTPUT files) against a release on 127.0.0.1: kit is installed
/// with its checksum checked, `kit lint` writes SARIF with the bad Deployment in it, the
/// exit code is the step's output, and the last step fails the job with it.
#[cfg(unix)]
#[test]
fn the_action_installs_kit_writes_sarif_and_fails_on_findings() {
    let _kit = kit_binary_in_use();
    const TEST: &str = "the_action_installs_kit_writes_sarif_and_fails_on_findings";
    let Some(target) = release_target() else {
        skip_or_fail(TEST, "no kit release is built for this platform");
        return;
    };
    let Some(tools) = package_tools(TEST) else {
        return;
    };
    let work = common::scratch("action");
    // action.yml as JSON, through PyYAML (pre-commit's dependency, in the tools' venv).
    let json = must(
        Command::new(tools.join("python"))
            .args([
                "-c",
                "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)",
            ])
            .arg(repo_root().join("action.yml")),
        "reading action.yml",
    );
    let action: serde_json::Value = serde_json::from_str(&json).expect("action.yml as JSON");
    assert_eq!(action["runs"]["using"], "composite");

    let files = work.join("server/files");
    let archive = release_archive(&std::fs::read(env!("CARGO_BIN_EXE_kit")).expect("kit"));
    let asset = format!("kit-{target}.tar.gz");
    let dir = files.join("releases/latest/download");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join(&asset), &archive).expect("write");
    std::fs::write(
        dir.join("SHA256SUMS"),
        format!("{}  {asset}\n", sha256_hex(&archive)),
    )
    .expect("write");
    let server = common::git_http::GitServer::start(&work.join("server"));

    let checkout = work.join("checkout");
    write(&checkout, "deploy/web.yaml", BAD_DEPLOYMENT);
    let temp = work.join("runner-temp");
    std::fs::create_dir_all(&temp).expect("mkdir");
    let (github_path, github_output) = (work.join("github-path"), work.join("github-output"));
    std::fs::write(&github_output, "").expect("write");
    let given = [("paths", "deploy")];
    let mut ran = Vec::new();
    let mut last = (0, String::new());
    for step in action["runs"]["steps"].as_array().expect("steps") {
        let Some(script) = step["run"].as_str() else {
            continue; // upload-sarif: GitHub's own action.
        };
        let output = std::fs::read_to_string(&github_output).unwrap_or_default();
        let eval = |e: &str| action_expression(e, &action["inputs"], &given, &temp, &output);
        if let Some(condition) = step["if"].as_str() {
            // Shell steps' conditions are `${{ EXPR != 'VALUE' }}`.
            let inner = condition
                .trim()
                .strip_prefix("${{")
                .and_then(|c| c.strip_suffix("}}"))
                .expect("an ${{ }} condition");
            let (left, right) = inner
                .split_once("!=")
                .expect("tests/package.rs evaluates only `EXPR != 'VALUE'` conditions");
            if eval(left) == right.trim().trim_matches('\'') {
                continue;
            }
        }
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(&checkout)
            .env("GITHUB_ACTION_PATH", repo_root())
            .env("GITHUB_PATH", &github_path)
            .env("GITHUB_OUTPUT", &github_output)
            .env(
                "KIT_INSTALL_BASE_URL",
                format!("{}/files/releases", server.url()),
            )
            .env("HOME", &work);
        if let Some(env) = step["env"].as_object() {
            for (k, v) in env {
                cmd.env(k, substitute(v.as_str().unwrap_or(""), &eval));
            }
        }
        let (code, out, err) = common::output(&mut cmd);
        ran.push(step["name"].as_str().unwrap_or("").to_string());
        if step["id"] != "lint" && ran.len() < 3 {
            assert_eq!(code, 0, "{}: {out}{err}", ran.last().expect("name"));
        }
        last = (code, format!("{out}{err}"));
    }
    let installed = std::fs::read_to_string(&github_path).expect("GITHUB_PATH");
    assert_eq!(installed.trim(), temp.join("kit-bin").display().to_string());
    let output = std::fs::read_to_string(&github_output).expect("GITHUB_OUTPUT");
    assert!(output.contains("exit-code=1"), "{output}");
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(checkout.join("kit.sarif")).expect("the SARIF report"),
    )
    .expect("SARIF JSON");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(results.iter().any(|r| r["ruleId"] == "KIT-IMG001"
        && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "deploy/web.yaml"));
    assert_eq!(
        ran.len(),
        3,
        "install, lint and the failing step ran: {ran:?}"
    );
    assert_eq!(
        last.0, 1,
        "the last step fails with kit's exit code: {}",
        last.1
    );
    assert!(
        last.1.contains("::error title=kit lint::kit lint exited 1"),
        "{}",
        last.1
    );
}

// ---------------------------------------------------------------------------------------
// The Argo CD config management plugin

/// The reference kubectl (KIT_KUBECTL), or a loud skip (a failure under CI).
fn kubectl(test: &str) -> Option<String> {
    let found = common::env_var("KIT_KUBECTL");
    if found.is_none() {
        skip_or_fail(
            test,
            "KIT_KUBECTL is not set (scripts/test installs kubectl)",
        );
    }
    found
}

/// The plugin's generate command, run as Argo CD runs it (in the Application's source path,
/// with the ARGOCD_APP_* variables) on the example overlay, prints what `kubectl kustomize`
/// prints; and the Component that adds the sidecar builds as kubectl builds it.
#[test]
fn the_argocd_plugin_generates_what_kubectl_kustomize_does() {
    let _kit = kit_binary_in_use();
    const TEST: &str = "the_argocd_plugin_generates_what_kubectl_kustomize_does";
    let Some(kubectl) = kubectl(TEST) else {
        return;
    };
    let plugin = repo_root().join("integrations/argocd/plugin.yaml");
    let (code, out, err) = common::run(
        repo_root(),
        &["build", &plugin.to_string_lossy(), "--output", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let plugin: serde_json::Value = serde_json::from_str(&out).expect("plugin as JSON");
    let plugin = &plugin[0];
    assert_eq!(plugin["kind"], "ConfigManagementPlugin");
    assert_eq!(plugin["metadata"]["name"], "kit");
    let command: Vec<&str> = plugin["spec"]["generate"]["command"]
        .as_array()
        .expect("generate.command")
        .iter()
        .chain(
            plugin["spec"]["generate"]["args"]
                .as_array()
                .into_iter()
                .flatten(),
        )
        .map(|v| v.as_str().expect("a string"))
        .collect();
    assert_eq!(
        command[0], "/usr/local/bin/kit",
        "the Dockerfile's path of kit"
    );
    let example = repo_root().join("examples/overlays/prod");
    let (code, generated, err) = common::output(
        common::kit()
            .args(&command[1..])
            .current_dir(&example)
            .env("ARGOCD_APP_NAME", "prod")
            .env("ARGOCD_APP_NAMESPACE", "default")
            .env("ARGOCD_APP_SOURCE_PATH", "examples/overlays/prod"),
    );
    assert_eq!(code, 0, "{err}");
    let (code, expected, err) = common::output(
        Command::new(&kubectl)
            .args(["kustomize", "."])
            .current_dir(&example),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(generated, expected);

    // The Component on a repo-server Deployment shaped like Argo CD's.
    let work = common::scratch("argocd");
    write(
        &work,
        "argocd/repo-server.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: argocd-repo-server\nspec:\n  selector:\n    matchLabels: {app.kubernetes.io/name: argocd-repo-server}\n  template:\n    metadata:\n      labels: {app.kubernetes.io/name: argocd-repo-server}\n    spec:\n      containers:\n        - name: argocd-repo-server\n          image: quay.io/argoproj/argocd:v3.2.0\n      volumes:\n        - {name: var-files, emptyDir: {}}\n        - {name: plugins, emptyDir: {}}\n",
    );
    std::fs::create_dir_all(work.join("argocd/component")).expect("mkdir");
    for file in ["kustomization.yaml", "plugin.yaml", "repo-server.yaml"] {
        std::fs::copy(
            repo_root().join("integrations/argocd").join(file),
            work.join("argocd/component").join(file),
        )
        .expect("copy");
    }
    write(
        &work,
        "argocd/kustomization.yaml",
        "resources: [repo-server.yaml]\ncomponents: [component]\n",
    );
    let (code, built, err) = common::run(&work, &["build", "argocd"]);
    assert_eq!(code, 0, "{err}");
    let (code, expected, err) = common::output(
        Command::new(&kubectl)
            .args(["kustomize", "argocd"])
            .current_dir(&work),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(built, expected);
    assert!(
        built.contains("command:\n        - /var/run/argocd/argocd-cmp-server"),
        "{built}"
    );
    assert!(built.contains("name: kit-cmp-plugin-"), "{built}");
}
