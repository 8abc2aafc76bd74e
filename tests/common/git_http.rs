//! A git server for tests, on loopback: git's smart HTTP protocol served by `git
//! http-backend` (run as a CGI program per request) behind a tiny HTTP/1.1 server that counts
//! the requests it answers. Repositories are the directories under its root (`org/repo.git`
//! is reachable as `http://127.0.0.1:PORT/org/repo` and `.../org/repo.git`); the files under
//! `ROOT/files/` are served as they are at `/files/...`, `/redirect/N/...` answers a
//! redirect to `http://127.0.0.1:N/...` (another server; the query kept), `/redirect-https/N/...`
//! one to `https://127.0.0.1:N/...`, `/trickle/...` answers a body that never ends, one
//! byte every half second, and `/auth/...` serves the repository only to a request with an
//! `Authorization` header (401 with a Basic challenge without one), logging the header.

#![allow(clippy::print_stderr)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

pub struct GitServer {
    pub port: u16,
    requests: Arc<AtomicUsize>,
    connections: Arc<AtomicUsize>,
    log: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl GitServer {
    /// Serves the repositories under `root` until dropped.
    pub fn start(root: &Path) -> GitServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("addr").port();
        let requests = Arc::new(AtomicUsize::new(0));
        let connections = Arc::new(AtomicUsize::new(0));
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let root = root.to_path_buf();
        let (r, c, l, s) = (
            requests.clone(),
            connections.clone(),
            log.clone(),
            stop.clone(),
        );
        let handle = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                c.fetch_add(1, Ordering::SeqCst);
                let (root, r, l) = (root.clone(), r.clone(), l.clone());
                std::thread::spawn(move || {
                    let _ = serve(conn, &root, &r, &l);
                });
            }
        });
        GitServer {
            port,
            requests,
            connections,
            log,
            stop,
            handle: Some(handle),
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Requests answered so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// Connections accepted so far (a TLS handshake counts, a request need not follow).
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// The request lines answered so far, each with its `Authorization` header if it had one.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Drop for GitServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn serve(
    conn: TcpStream,
    root: &Path,
    requests: &AtomicUsize,
    log: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    conn.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(conn.try_clone()?);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line)? == 0 {
        return Ok(());
    }
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
            break;
        }
        if let Some((k, v)) = line.trim_end().split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("GET").to_string();
    let target = parts.next().unwrap_or("/").to_string();
    let body = if header("transfer-encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
        read_chunked(&mut reader)?
    } else {
        let len: usize = header("content-length")
            .and_then(|l| l.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        reader.read_exact(&mut body)?;
        body
    };
    requests.fetch_add(1, Ordering::SeqCst);
    if let Ok(mut l) = log.lock() {
        l.push(match header("authorization") {
            Some(a) => format!("{method} {target} Authorization: {a}"),
            None => format!("{method} {target}"),
        });
    }
    let target = match target.strip_prefix("/auth/") {
        Some(rest) if header("authorization").is_some() => format!("/{rest}"),
        Some(_) => {
            let mut conn = conn;
            return conn.write_all(
                b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"git\"\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
            );
        }
        None => target,
    };
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    for (prefix, scheme) in [("/redirect/", "http"), ("/redirect-https/", "https")] {
        if let Some(rest) = target.strip_prefix(prefix) {
            let (port, to) = rest.split_once('/').unwrap_or((rest, ""));
            let head = format!(
                "HTTP/1.1 302 Found\r\nLocation: {scheme}://127.0.0.1:{port}/{to}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
            );
            let mut conn = conn;
            return conn.write_all(head.as_bytes());
        }
    }
    if path.starts_with("/trickle/") {
        let mut conn = conn;
        conn.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1048576\r\n\r\n")?;
        // Two minutes at most.
        for _ in 0..240 {
            conn.write_all(b"0")?;
            conn.flush()?;
            std::thread::sleep(Duration::from_millis(500));
        }
        return Ok(());
    }
    if path.starts_with("/files/") && !path.split('/').any(|p| p == "..") {
        let file = root.join(path.trim_start_matches('/'));
        let (status, body) = match std::fs::read(&file) {
            Ok(b) => ("200 OK", b),
            Err(_) => ("404 Not Found", b"not found\n".to_vec()),
        };
        let mut conn = conn;
        conn.write_all(
            format!(
                "HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
                body.len()
            )
            .as_bytes(),
        )?;
        return conn.write_all(&body);
    }
    let mut cmd = Command::new("git");
    cmd.arg("http-backend")
        .env("GIT_PROJECT_ROOT", root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("PATH_INFO", path)
        .env("QUERY_STRING", query)
        .env("REQUEST_METHOD", &method)
        .env("CONTENT_LENGTH", body.len().to_string())
        .env("REMOTE_ADDR", "127.0.0.1")
        .env("SERVER_PROTOCOL", "HTTP/1.1")
        .env("GATEWAY_INTERFACE", "CGI/1.1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (name, var) in [
        ("content-type", "CONTENT_TYPE"),
        ("git-protocol", "HTTP_GIT_PROTOCOL"),
        ("content-encoding", "HTTP_CONTENT_ENCODING"),
    ] {
        if let Some(v) = header(name) {
            cmd.env(var, v);
        }
    }
    let mut child = cmd.spawn()?;
    let mut stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(&body);
        }
    });
    let mut out = Vec::new();
    if let Some(mut o) = child.stdout.take() {
        o.read_to_end(&mut out)?;
    }
    let _ = child.wait();
    let _ = writer.join();
    // CGI output: headers (with `Status:`), a blank line, the body.
    let split = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, 4))
        .or_else(|| out.windows(2).position(|w| w == b"\n\n").map(|i| (i, 2)));
    let (head, body) = match split {
        Some((i, n)) => (
            String::from_utf8_lossy(&out[..i]).into_owned(),
            &out[i + n..],
        ),
        None => (String::new(), &out[..]),
    };
    let mut status = "200 OK".to_string();
    let mut response = Vec::new();
    let mut extra = String::new();
    for line in head.lines() {
        match line.split_once(':') {
            Some((k, v)) if k.eq_ignore_ascii_case("status") => status = v.trim().to_string(),
            Some(_) => {
                extra.push_str(line.trim_end());
                extra.push_str("\r\n");
            }
            None => {}
        }
    }
    response.extend_from_slice(
        format!(
            "HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {}\r\n{extra}\r\n",
            body.len()
        )
        .as_bytes(),
    );
    response.extend_from_slice(body);
    let mut conn = conn;
    conn.write_all(&response)?;
    conn.flush()
}

fn read_chunked(reader: &mut impl BufRead) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut size = String::new();
        reader.read_line(&mut size)?;
        let n =
            usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16).unwrap_or(0);
        if n == 0 {
            let mut end = String::new();
            reader.read_line(&mut end)?;
            return Ok(body);
        }
        let mut chunk = vec![0; n + 2];
        reader.read_exact(&mut chunk)?;
        body.extend_from_slice(&chunk[..n]);
    }
}

/// Runs git in `dir` (for building fixtures); panics with its stderr when it fails.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=kit-test",
            "-c",
            "user.email=kit@test",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "protocol.file.allow=always",
        ])
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Whether the `git` program can be run. Without it the remote tests are skipped with a
/// loud message, except under CI=true, where its absence fails them.
pub fn have_git(test: &str) -> bool {
    let ok = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!(
                "{test}: the `git` program is missing, and CI=true: remote bases cannot be tested"
            );
        }
        eprintln!("\n*** {test}: SKIPPED: the `git` program is not on PATH; remote bases are not tested ***\n");
    }
    ok
}

/// Creates a bare repository `root/NAME.git` from the files of `work` (a working tree made
/// into a repository, committed on `main`); returns the working tree's path for more
/// commits, which [`publish`] pushes.
pub fn init_repo(root: &Path, name: &str, work: &Path) -> PathBuf {
    git(work, &["init", "-q", "-b", "main", "."]);
    git(work, &["add", "-A"]);
    git(work, &["commit", "-qm", "first"]);
    let bare = root.join(format!("{name}.git"));
    std::fs::create_dir_all(bare.parent().expect("parent")).expect("mkdir");
    git(
        root,
        &[
            "clone",
            "-q",
            "--bare",
            &work.to_string_lossy(),
            &bare.to_string_lossy(),
        ],
    );
    git(work, &["remote", "add", "served", &bare.to_string_lossy()]);
    bare
}

/// Commits everything in `work` and pushes `main` and every tag to its bare repository.
pub fn publish(work: &Path, message: &str) {
    git(work, &["add", "-A"]);
    git(work, &["commit", "-qm", message, "--allow-empty"]);
    git(work, &["push", "-q", "--force", "served", "main", "--tags"]);
}
