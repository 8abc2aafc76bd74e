//! A static file server for tests, on loopback: `GET /PATH` answers the file `ROOT/PATH`
//! (404 when there is none). It logs every request with its `Authorization` header, and can
//! demand Basic credentials (401 without them), as a private chart repository does. A path
//! can be made hostile ([`Hostile`]): a redirect, an endless body, a body that trickles, a
//! header that lies. It can serve HTTPS too ([`StaticServer::start_tls`]), on another
//! loopback address than 127.0.0.1 (another host, as far as a client can tell).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// One request the server answered.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    /// What followed `?` in the request target (empty when nothing did).
    pub query: String,
    pub authorization: Option<String>,
}

/// How a path misbehaves.
#[derive(Clone, Debug)]
pub enum Hostile {
    /// `302 Found` to this URL.
    Redirect(String),
    /// A 200 with no length whose body never ends (until the client hangs up, or 4 GiB).
    Endless,
    /// A 200 that promises a megabyte and sends one byte every half second.
    Trickle,
    /// The file as usual, with this extra header (a registry's `Docker-Content-Digest`).
    Header(String, String),
    /// The file as usual, after this many milliseconds.
    Delay(u64),
}

type Hostiles = Arc<Mutex<HashMap<String, Hostile>>>;

pub struct StaticServer {
    pub port: u16,
    /// The loopback address it listens on.
    pub host: String,
    tls: bool,
    log: Arc<Mutex<Vec<Seen>>>,
    hostile: Hostiles,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Serves the files under `root` until dropped; with `auth`, only to requests whose
    /// `Authorization` header is that value.
    pub fn start(root: &Path, auth: Option<String>) -> StaticServer {
        StaticServer::start_tls(root, auth, "127.0.0.1", None)
    }

    /// [`StaticServer::start`] on `host` (a loopback address), over TLS with `tls` when
    /// given (a failed handshake ends the connection, as any server's does).
    pub fn start_tls(
        root: &Path,
        auth: Option<String>,
        host: &str,
        tls: Option<Arc<rustls::ServerConfig>>,
    ) -> StaticServer {
        let listener = TcpListener::bind((host, 0)).expect("bind loopback");
        let port = listener.local_addr().expect("addr").port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let hostile: Hostiles = Arc::new(Mutex::new(HashMap::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let root = root.to_path_buf();
        let secure = tls.is_some();
        let (l, h, c, s) = (
            log.clone(),
            hostile.clone(),
            connections.clone(),
            stop.clone(),
        );
        let handle = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                c.fetch_add(1, Ordering::SeqCst);
                let (root, l, h, auth) = (root.clone(), l.clone(), h.clone(), auth.clone());
                let tls = tls.clone();
                std::thread::spawn(move || {
                    let _ = conn.set_read_timeout(Some(Duration::from_secs(30)));
                    let _ = match tls {
                        Some(config) => match rustls::ServerConnection::new(config) {
                            Ok(session) => serve(
                                rustls::StreamOwned::new(session, conn),
                                &root,
                                &l,
                                &h,
                                auth.as_deref(),
                            ),
                            Err(_) => Ok(()),
                        },
                        None => serve(conn, &root, &l, &h, auth.as_deref()),
                    };
                });
            }
        });
        StaticServer {
            port,
            host: host.to_string(),
            tls: secure,
            log,
            hostile,
            connections,
            stop,
            handle: Some(handle),
        }
    }

    /// Makes `path` (as requested, without the query) misbehave.
    pub fn set(&self, path: &str, how: Hostile) {
        if let Ok(mut h) = self.hostile.lock() {
            h.insert(path.to_string(), how);
        }
    }

    /// Connections accepted so far (a TLS handshake counts, a request need not follow).
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    pub fn url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}:{}", self.host, self.port)
    }

    /// The requests answered so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    pub fn requests(&self) -> usize {
        self.seen().len()
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect((self.host.as_str(), self.port));
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn serve(
    conn: impl Read + Write,
    root: &Path,
    log: &Mutex<Vec<Seen>>,
    hostile: &Mutex<HashMap<String, Hostile>>,
    auth: Option<&str>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(conn);
    let answered = respond(&mut reader, root, log, hostile, auth);
    // Over TLS, what the session still holds goes out now.
    let _ = reader.get_mut().flush();
    answered
}

fn respond<S: Read + Write>(
    reader: &mut BufReader<S>,
    root: &Path,
    log: &Mutex<Vec<Seen>>,
    hostile: &Mutex<HashMap<String, Hostile>>,
    auth: Option<&str>,
) -> std::io::Result<()> {
    let mut request_line = String::new();
    if reader.read_line(&mut request_line)? == 0 {
        return Ok(());
    }
    let mut authorization = None;
    // At most 100 header lines.
    for _ in 0..100 {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
            break;
        }
        if let Some((k, v)) = line.trim_end().split_once(':') {
            if k.trim().eq_ignore_ascii_case("authorization") {
                authorization = Some(v.trim().to_string());
            }
        }
    }
    let target = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let (path, query) = (path.to_string(), query.to_string());
    if let Ok(mut l) = log.lock() {
        l.push(Seen {
            path: path.clone(),
            query,
            authorization: authorization.clone(),
        });
    }
    let conn = reader.get_mut();
    if auth.is_some() && authorization.as_deref() != auth {
        return conn.write_all(
            b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"charts\"\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
        );
    }
    let how = hostile.lock().ok().and_then(|h| h.get(&path).cloned());
    match &how {
        Some(Hostile::Redirect(to)) => {
            return conn.write_all(
                format!("HTTP/1.1 302 Found\r\nLocation: {to}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                    .as_bytes(),
            )
        }
        Some(Hostile::Endless) => {
            conn.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")?;
            let chunk = vec![b'a'; 64 * 1024];
            // 4 GiB at most; a client that stops reading ends it sooner.
            for _ in 0..65536 {
                conn.write_all(&chunk)?;
            }
            return Ok(());
        }
        Some(Hostile::Trickle) => {
            conn.write_all(
                b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1048576\r\n\r\n",
            )?;
            // Two minutes at most.
            for _ in 0..240 {
                conn.write_all(b"a")?;
                conn.flush()?;
                std::thread::sleep(Duration::from_millis(500));
            }
            return Ok(());
        }
        Some(Hostile::Delay(ms)) => std::thread::sleep(Duration::from_millis(*ms)),
        Some(Hostile::Header(..)) | None => {}
    }
    let extra = match how {
        Some(Hostile::Header(k, v)) => format!("{k}: {v}\r\n"),
        _ => String::new(),
    };
    let file = root.join(path.trim_start_matches('/'));
    let body = if path.split('/').any(|p| p == "..") {
        None
    } else {
        std::fs::read(&file).ok()
    };
    let (status, body) = match body {
        Some(b) => ("200 OK", b),
        None => ("404 Not Found", b"not found\n".to_vec()),
    };
    conn.write_all(
        format!(
            "HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {}\r\n{extra}\r\n",
            body.len()
        )
        .as_bytes(),
    )?;
    conn.write_all(&body)
}
