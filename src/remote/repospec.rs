//! Git URLs as kustomize reads them in `resources`, `components` and `bases`
//! (kustomize's `api/internal/git/repospec.go`): which part is the repository to clone, which
//! the kustomization directory inside it, and the query (`ref`/`version`, `timeout`,
//! `submodules`).
//!
//! The parsing is deliberately as permissive as kustomize's, so that every URL kubectl
//! accepts means the same repository, ref and directory here. The test table at the bottom
//! follows kustomize's own (`repospec_test.go`).

use std::time::Duration;

/// kustomize's default timeout for each git command of a clone.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(27);

/// A git repository, a ref and a directory in it, as a remote base names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoSpec {
    /// The URL as written (for cycle detection and messages).
    pub raw: String,
    /// Scheme, user and host, normalised: `https://github.com/`, `git@github.com:`,
    /// `ssh://git.example.com:7999/`, `file://`.
    pub host: String,
    /// The repository path on the host, e.g. `kubernetes-sigs/kustomize`.
    pub repo_path: String,
    /// The kustomization's directory inside the repository (may be empty).
    pub kust_root_path: String,
    /// Branch, tag or commit (`?ref=`, else `?version=`); empty means the remote's HEAD.
    pub git_ref: String,
    pub submodules: bool,
    /// The limit for each git command.
    pub timeout: Duration,
}

impl RepoSpec {
    /// What `git fetch` is given: host and repository path.
    pub fn clone_spec(&self) -> String {
        format!("{}{}", self.host, self.repo_path)
    }

    /// The ref to fetch: the given one, or the remote's HEAD.
    pub fn fetch_ref(&self) -> &str {
        if self.git_ref.is_empty() {
            "HEAD"
        } else {
            &self.git_ref
        }
    }

    /// Parses a git-like URL; an error means "not a git URL" (callers then treat the entry
    /// as a local path), and says why for messages.
    pub fn parse(n: &str) -> Result<RepoSpec, String> {
        if n.starts_with('/') {
            return Err(format!("uri looks like abs path: {n}"));
        }
        // The query first: `?` cannot appear unescaped elsewhere in a URL.
        let (rest, query) = n.split_once('?').unwrap_or((n, ""));
        let (git_ref, timeout, submodules) = parse_query(query);
        let (host, rest) = extract_host(rest)?;
        let segments = if host.starts_with(FILE_SCHEME) {
            None
        } else {
            Some(2)
        };
        let (repo_path, kust_root_path) = parse_path_parts(&rest, segments)?;
        Ok(RepoSpec {
            raw: n.to_string(),
            host,
            repo_path,
            kust_root_path,
            git_ref,
            submodules,
            timeout,
        })
    }
}

const FILE_SCHEME: &str = "file://";
const HTTP_SCHEME: &str = "http://";
const HTTPS_SCHEME: &str = "https://";
const SSH_SCHEME: &str = "ssh://";

/// Whether `path` is an HTTP(S) URL (kustomize's `IsRemoteFile`: `url.Parse` gives the
/// scheme `http` or `https`, case-insensitively).
pub fn is_http_url(path: &str) -> bool {
    path.split_once(':').is_some_and(|(scheme, _)| {
        scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
    })
}

/// Splits the repository path (given to git) from the kustomization directory inside it:
/// first by an explicit marker (`_git/`, `//`, `.git`), else by taking `segments` path
/// segments (`None`: all of them, for `file://`).
fn parse_path_parts(n: &str, segments: Option<usize>) -> Result<(String, String), String> {
    let split = explicit_marker_split(n).or_else(|| default_length_split(n, segments));
    let Some((repo, root)) = split.filter(|(repo, _)| !repo.is_empty()) else {
        return Err("failed to parse repo path segment".to_string());
    };
    if root_path_exits_repo(&root) {
        return Err(format!("url path exits repo: {n}"));
    }
    let root = root.strip_prefix('/').unwrap_or(&root).to_string();
    Ok((repo, root))
}

fn explicit_marker_split(n: &str) -> Option<(String, String)> {
    // Azure DevOps: `org/project/_git/repo/path`: the repository is the segment after `_git/`.
    if let Some(i) = n.find("_git/") {
        let (head, tail) = n.split_at(i + "_git/".len());
        let (repo, root) = tail.split_once('/').unwrap_or((tail, ""));
        return Some((format!("{head}{repo}"), root.to_string()));
    }
    // `repo//path`: the double slash is a marker, not a path element.
    if let Some(i) = n.find("//") {
        return Some((n[..i].to_string(), n[i + 2..].to_string()));
    }
    // `repo.git/path`: everything up to and including the first `.git`.
    if let Some(i) = n.find(".git") {
        let end = i + ".git".len();
        return Some((n[..end].to_string(), n[end..].to_string()));
    }
    None
}

fn default_length_split(n: &str, segments: Option<usize>) -> Option<(String, String)> {
    let Some(count) = segments else {
        return Some((n.to_string(), String::new()));
    };
    let parts: Vec<&str> = n.split('/').collect();
    if parts.len() < count {
        return None;
    }
    Some((parts[..count].join("/"), parts[count..].join("/")))
}

/// Whether the directory, cleaned lexically, starts with `..`.
fn root_path_exits_repo(root: &str) -> bool {
    let mut stack: Vec<&str> = Vec::new();
    for part in root.trim_start_matches('/').split('/') {
        match part {
            "" | "." => {}
            ".." if stack.last().is_some_and(|p| *p != "..") => {
                stack.pop();
            }
            other => stack.push(other),
        }
    }
    stack.first() == Some(&"..")
}

/// `ref` (or else `version`), `timeout` and `submodules` from the query, as kustomize reads
/// them: a malformed query gives every default, a malformed value its default.
fn parse_query(query: &str) -> (String, Duration, bool) {
    let Some(values) = parse_go_query(query) else {
        return (String::new(), DEFAULT_TIMEOUT, true);
    };
    let get = |key: &str| {
        values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let git_ref = match get("ref") {
        "" => get("version").to_string(),
        r => r.to_string(),
    };
    let timeout = match get("timeout") {
        "" => DEFAULT_TIMEOUT,
        t => parse_go_int(t)
            .filter(|&s| s > 0)
            .map(|s| Duration::from_secs(s.unsigned_abs()))
            .or_else(|| parse_go_duration(t))
            .unwrap_or(DEFAULT_TIMEOUT),
    };
    let submodules = match get("submodules") {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => true,
        "0" | "f" | "F" | "FALSE" | "false" | "False" => false,
        _ => true,
    };
    (git_ref, timeout, submodules)
}

/// Go's `url.ParseQuery`: `&`-separated `key=value` pairs, `+` and `%XX` decoded; `None` when
/// any pair is malformed (a `;`, a bad escape).
fn parse_go_query(query: &str) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    for pair in query.split('&') {
        if pair.is_empty() {
            continue;
        }
        if pair.contains(';') {
            return None;
        }
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        out.push((query_unescape(k)?, query_unescape(v)?));
    }
    Some(out)
}

fn query_unescape(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Go's `strconv.Atoi`: an optional sign and decimal digits.
fn parse_go_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Go's `time.ParseDuration` for positive durations (`61s`, `1m1s`, `1.5h`, `300ms`).
fn parse_go_duration(s: &str) -> Option<Duration> {
    let s = s.strip_prefix('+').unwrap_or(s);
    if s.starts_with('-') || s.is_empty() {
        return None;
    }
    let mut total = 0f64;
    let mut rest = s;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..num_len].parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let nanos = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += number * nanos;
    }
    (total >= 1.0 && total.is_finite()).then(|| Duration::from_nanos(total as u64))
}

/// Scheme, user and host (normalised for GitHub), and the rest of the URL.
fn extract_host(n: &str) -> Result<(String, String), String> {
    let n = strip_prefix_ignore_case(n, "git::").unwrap_or(n);
    let (scheme, n) = extract_scheme(n);
    let (username, n) = extract_username(n);
    let std_github = {
        let lower = n.get(..11).unwrap_or(n).to_ascii_lowercase();
        lower.starts_with("github.com/") || lower.starts_with("github.com:")
    };
    let accept_scp = scheme.is_empty() && (!username.is_empty() || std_github);
    if scheme.is_empty() && !accept_scp {
        return Err("failed to parse scheme".to_string());
    }
    // file:// names an absolute path: everything after the scheme is the path.
    if scheme == FILE_SCHEME {
        return Ok((scheme.to_string(), format!("{username}{n}")));
    }
    let (mut host, rest) = match find_path_separator(n, accept_scp) {
        Some(i) => (n[..=i].to_string(), n[i + 1..].to_string()),
        None => (n.to_string(), String::new()),
    };
    let (mut scheme, mut username) = (scheme.to_string(), username);
    if std_github {
        if scheme.starts_with(SSH_SCHEME) || !username.is_empty() {
            scheme = String::new();
            host = "github.com:".to_string();
        } else {
            scheme = HTTPS_SCHEME.to_string();
            username = String::new();
            host = "github.com/".to_string();
        }
    }
    if host.is_empty() {
        return Err("failed to parse host segment".to_string());
    }
    Ok((format!("{scheme}{username}{host}"), rest))
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn extract_scheme(s: &str) -> (&'static str, &str) {
    for prefix in [SSH_SCHEME, HTTPS_SCHEME, HTTP_SCHEME, FILE_SCHEME] {
        if let Some(rest) = strip_prefix_ignore_case(s, prefix) {
            return (prefix, rest);
        }
    }
    ("", s)
}

/// A leading `user@` (a letter, then letters, digits and dashes).
fn extract_username(s: &str) -> (String, &str) {
    let bytes = s.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_alphabetic) {
        return (String::new(), s);
    }
    let end = bytes
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-'))
        .unwrap_or(bytes.len());
    if bytes.get(end) == Some(&b'@') {
        (s[..=end].to_string(), &s[end + 1..])
    } else {
        (String::new(), s)
    }
}

/// The first `/`; for SCP-like URLs a `:` before it.
fn find_path_separator(host_path: &str, accept_scp: bool) -> Option<usize> {
    let slash = host_path.find('/');
    if accept_scp {
        let colon = host_path.find(':');
        match (slash, colon) {
            (None, c) => return c,
            (Some(s), Some(c)) if c > 0 && c < s => return Some(c),
            _ => {}
        }
    }
    slash
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOT_CLONED: &str = "/notCloned";

    fn abs_path(rs: &RepoSpec) -> String {
        // kustomize's `ConfirmedDir.Join` is `filepath.Join`: cleaned, no trailing slash.
        let joined = format!("{NOT_CLONED}/{}", rs.kust_root_path);
        let cleaned: Vec<&str> = joined.split('/').filter(|p| !p.is_empty()).collect();
        format!("/{}", cleaned.join("/"))
    }

    #[test]
    fn permutations() {
        let hosts = [
            ("gitHub.com/", "https://github.com/"),
            ("github.com:", "https://github.com/"),
            ("http://github.com/", "https://github.com/"),
            ("https://github.com/", "https://github.com/"),
            ("hTTps://github.com/", "https://github.com/"),
            (
                "https://git-codecommit.us-east-2.amazonaws.com/",
                "https://git-codecommit.us-east-2.amazonaws.com/",
            ),
            (
                "https://fabrikops2.visualstudio.com/",
                "https://fabrikops2.visualstudio.com/",
            ),
            ("ssh://git.example.com:7999/", "ssh://git.example.com:7999/"),
            ("git::https://gitlab.com/", "https://gitlab.com/"),
            ("git::http://git.example.com/", "http://git.example.com/"),
            ("git::https://git.example.com/", "https://git.example.com/"),
            ("git@github.com:", "git@github.com:"),
            ("git@github.com/", "git@github.com:"),
            ("git::git@github.com:", "git@github.com:"),
            ("org-12345@github.com:", "org-12345@github.com:"),
            ("org-12345@github.com/", "org-12345@github.com:"),
        ];
        let repos = ["someOrg/someRepo", "kubernetes/website"];
        let paths = ["README.md", "foo/krusty.txt", ""];
        let refs = ["group/version", "someBranch", "master", "v0.1.0", ""];
        for (raw, normal) in hosts {
            for repo in repos {
                for path in paths {
                    for r in refs {
                        let mut url = format!("{raw}{repo}");
                        if !path.is_empty() {
                            url = format!("{url}/{path}");
                        }
                        if !r.is_empty() {
                            url = format!("{url}?ref={r}");
                        }
                        let rs = RepoSpec::parse(&url).unwrap_or_else(|e| panic!("{url}: {e}"));
                        assert_eq!(rs.host, normal, "{url}");
                        assert_eq!(rs.repo_path, repo, "{url}");
                        assert_eq!(rs.kust_root_path, path, "{url}");
                        assert_eq!(rs.git_ref, r, "{url}");
                    }
                }
            }
        }
    }

    #[test]
    fn errors() {
        let cases = [
            ("/tmp", "uri looks like abs path"),
            ("../../tmp", "failed to parse scheme"),
            ("src/github.com/org/repo/path", "failed to parse scheme"),
            ("iauhsdiuashduas", "failed to parse scheme"),
            ("htxxxtp://github.com/", "failed to parse scheme"),
            ("ssh://git.example.com", "failed to parse repo path segment"),
            ("git::___", "failed to parse scheme"),
            (
                "https://host?ref=group/version/minor_version",
                "failed to parse repo path segment",
            ),
            (
                "https://github.com/org/repo.git//path/../../exits/repo",
                "url path exits repo",
            ),
            ("github.com!org/repo.git//path", "failed to parse scheme"),
            ("gh:org/repo", "failed to parse scheme"),
            (
                "https://github.com/thisisa404.yaml",
                "failed to parse repo path segment",
            ),
            (
                "file:////tmp//path/to/whatever",
                "failed to parse repo path segment",
            ),
            (
                "git@scp://github.com/org/repo.git//path",
                "failed to parse repo path segment",
            ),
            (
                "git@ssh://github.com/org/repo.git//path",
                "failed to parse repo path segment",
            ),
        ];
        for (url, want) in cases {
            match RepoSpec::parse(url) {
                Ok(rs) => panic!("{url} parsed: {rs:?}"),
                Err(e) => assert!(e.contains(want), "{url}: {e} (want {want})"),
            }
        }
    }

    #[test]
    fn smoke() {
        // (input, clone spec, abs path, host, repo path, kust root path, ref)
        let cases: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
            ("https://git-codecommit.us-east-2.amazonaws.com/someorg/somerepo/somedir", "https://git-codecommit.us-east-2.amazonaws.com/someorg/somerepo", "/notCloned/somedir", "https://git-codecommit.us-east-2.amazonaws.com/", "someorg/somerepo", "somedir", ""),
            ("https://git-codecommit.us-east-2.amazonaws.com/someorg/somerepo/somedir?ref=testbranch", "https://git-codecommit.us-east-2.amazonaws.com/someorg/somerepo", "/notCloned/somedir", "https://git-codecommit.us-east-2.amazonaws.com/", "someorg/somerepo", "somedir", "testbranch"),
            ("https://fabrikops2.visualstudio.com/someorg/somerepo?ref=master", "https://fabrikops2.visualstudio.com/someorg/somerepo", "/notCloned", "https://fabrikops2.visualstudio.com/", "someorg/somerepo", "", "master"),
            ("http://github.com/someorg/somerepo/somedir", "https://github.com/someorg/somerepo", "/notCloned/somedir", "https://github.com/", "someorg/somerepo", "somedir", ""),
            ("git@github.com:someorg/somerepo/somedir", "git@github.com:someorg/somerepo", "/notCloned/somedir", "git@github.com:", "someorg/somerepo", "somedir", ""),
            ("http://github.com/someorg/somerepo.git/somedir", "https://github.com/someorg/somerepo.git", "/notCloned/somedir", "https://github.com/", "someorg/somerepo.git", "somedir", ""),
            ("git@github.com:someorg/somerepo.git/somedir", "git@github.com:someorg/somerepo.git", "/notCloned/somedir", "git@github.com:", "someorg/somerepo.git", "somedir", ""),
            ("git@gitlab2.sqtools.ru:infra/kubernetes/thanos-base.git?ref=v0.1.0", "git@gitlab2.sqtools.ru:infra/kubernetes/thanos-base.git", "/notCloned", "git@gitlab2.sqtools.ru:", "infra/kubernetes/thanos-base.git", "", "v0.1.0"),
            ("git@bitbucket.org:company/project.git//path?ref=branch", "git@bitbucket.org:company/project.git", "/notCloned/path", "git@bitbucket.org:", "company/project.git", "path", "branch"),
            ("git@bitbucket.org/company/project.git//path?ref=branch", "git@bitbucket.org/company/project.git", "/notCloned/path", "git@bitbucket.org/", "company/project.git", "path", "branch"),
            ("ssh://git@bitbucket.org/company/project.git//path?ref=branch", "ssh://git@bitbucket.org/company/project.git", "/notCloned/path", "ssh://git@bitbucket.org/", "company/project.git", "path", "branch"),
            ("https://itfs.mycompany.com/collection/project/_git/somerepos", "https://itfs.mycompany.com/collection/project/_git/somerepos", "/notCloned", "https://itfs.mycompany.com/", "collection/project/_git/somerepos", "", ""),
            ("https://itfs.mycompany.com/collection/project/_git/somerepos?version=v1.0.0", "https://itfs.mycompany.com/collection/project/_git/somerepos", "/notCloned", "https://itfs.mycompany.com/", "collection/project/_git/somerepos", "", "v1.0.0"),
            ("https://itfs.mycompany.com/collection/project/_git/somerepos/somedir?version=v1.0.0", "https://itfs.mycompany.com/collection/project/_git/somerepos", "/notCloned/somedir", "https://itfs.mycompany.com/", "collection/project/_git/somerepos", "somedir", "v1.0.0"),
            ("git::https://itfs.mycompany.com/collection/project/_git/somerepos", "https://itfs.mycompany.com/collection/project/_git/somerepos", "/notCloned", "https://itfs.mycompany.com/", "collection/project/_git/somerepos", "", ""),
            ("https://bitbucket.example.com/scm/project/repository.git", "https://bitbucket.example.com/scm/project/repository.git", "/notCloned", "https://bitbucket.example.com/", "scm/project/repository.git", "", ""),
            ("ssh://git-codecommit.us-east-2.amazonaws.com/someorg/somerepo/somepath", "ssh://git-codecommit.us-east-2.amazonaws.com/someorg/somerepo", "/notCloned/somepath", "ssh://git-codecommit.us-east-2.amazonaws.com/", "someorg/somerepo", "somepath", ""),
            ("git@github.com/someorg/somerepo/somepath", "git@github.com:someorg/somerepo", "/notCloned/somepath", "git@github.com:", "someorg/somerepo", "somepath", ""),
            ("https://github.com/kubernetes-sigs/kustomize//examples/multibases/dev/?ref=v1.0.6", "https://github.com/kubernetes-sigs/kustomize", "/notCloned/examples/multibases/dev", "https://github.com/", "kubernetes-sigs/kustomize", "examples/multibases/dev/", "v1.0.6"),
            ("file://a/b/c/someRepo.git/somepath?ref=someBranch", "file://a/b/c/someRepo.git", "/notCloned/somepath", "file://", "a/b/c/someRepo.git", "somepath", "someBranch"),
            ("file://a/b/c/someRepo//somepath?ref=someBranch", "file://a/b/c/someRepo", "/notCloned/somepath", "file://", "a/b/c/someRepo", "somepath", "someBranch"),
            ("file://a/b/c/someRepo?ref=someBranch", "file://a/b/c/someRepo", "/notCloned", "file://", "a/b/c/someRepo", "", "someBranch"),
            ("file:///a/b/c/someRepo?ref=someBranch", "file:///a/b/c/someRepo", "/notCloned", "file://", "/a/b/c/someRepo", "", "someBranch"),
            ("ssh://git@github.com/kubernetes-sigs/kustomize//examples/multibases/dev?ref=v1.0.6", "git@github.com:kubernetes-sigs/kustomize", "/notCloned/examples/multibases/dev", "git@github.com:", "kubernetes-sigs/kustomize", "examples/multibases/dev", "v1.0.6"),
            ("file:///a/b/c/someRepo", "file:///a/b/c/someRepo", "/notCloned", "file://", "/a/b/c/someRepo", "", ""),
            ("file:///", "file:///", "/notCloned", "file://", "/", "", ""),
            ("https://example.org/path/to/repo//examples/multibases/dev", "https://example.org/path/to/repo", "/notCloned/examples/multibases/dev", "https://example.org/", "path/to/repo", "examples/multibases/dev", ""),
            ("https://example.org/path/to/repo.git/examples/multibases/dev", "https://example.org/path/to/repo.git", "/notCloned/examples/multibases/dev", "https://example.org/", "path/to/repo.git", "examples/multibases/dev", ""),
            ("ssh://alice@example.com/path/to/repo//examples/multibases/dev", "ssh://alice@example.com/path/to/repo", "/notCloned/examples/multibases/dev", "ssh://alice@example.com/", "path/to/repo", "examples/multibases/dev", ""),
            ("https://authority/org/repo?ref=group/version", "https://authority/org/repo", "/notCloned", "https://authority/", "org/repo", "", "group/version"),
            ("https://authority/org/repo/?ref=includes_git/for_some_reason", "https://authority/org/repo", "/notCloned", "https://authority/", "org/repo", "", "includes_git/for_some_reason"),
            ("https://authority/org/repo/?ref=includes.git/for_some_reason", "https://authority/org/repo", "/notCloned", "https://authority/", "org/repo", "", "includes.git/for_some_reason"),
            ("https://authority/org/repo/%-invalid-uri-so-not-parsable-by-net/url.Parse", "https://authority/org/repo", "/notCloned/%-invalid-uri-so-not-parsable-by-net/url.Parse", "https://authority/", "org/repo", "%-invalid-uri-so-not-parsable-by-net/url.Parse", ""),
            ("ssh://myusername@bitbucket.org/ourteamname/ourrepositoryname.git//path?ref=branch", "ssh://myusername@bitbucket.org/ourteamname/ourrepositoryname.git", "/notCloned/path", "ssh://myusername@bitbucket.org/", "ourteamname/ourrepositoryname.git", "path", "branch"),
            ("file://git@home/path/to/repository.git//path?ref=branch", "file://git@home/path/to/repository.git", "/notCloned/path", "file://", "git@home/path/to/repository.git", "path", "branch"),
            ("http://git@home.com/path/to/repository.git//path?ref=branch", "http://git@home.com/path/to/repository.git", "/notCloned/path", "http://git@home.com/", "path/to/repository.git", "path", "branch"),
            ("https://git@home.com/path/to/repository.git//path?ref=branch", "https://git@home.com/path/to/repository.git", "/notCloned/path", "https://git@home.com/", "path/to/repository.git", "path", "branch"),
            ("ssh://git@ssh.github.com:443/YOUR-USERNAME/YOUR-REPOSITORY.git", "ssh://git@ssh.github.com:443/YOUR-USERNAME/YOUR-REPOSITORY.git", "/notCloned", "ssh://git@ssh.github.com:443/", "YOUR-USERNAME/YOUR-REPOSITORY.git", "", ""),
            ("git@gitlab.com/user:name/YOUR-REPOSITORY.git/path", "git@gitlab.com/user:name/YOUR-REPOSITORY.git", "/notCloned/path", "git@gitlab.com/", "user:name/YOUR-REPOSITORY.git", "path", ""),
            ("git@gitlab.com:gitlab-tests/sample-project.git", "git@gitlab.com:gitlab-tests/sample-project.git", "/notCloned", "git@gitlab.com:", "gitlab-tests/sample-project.git", "", ""),
            ("git@gitlab.com:gitlab-tests/sample-project", "git@gitlab.com:gitlab-tests/sample-project", "/notCloned", "git@gitlab.com:", "gitlab-tests/sample-project", "", ""),
            ("https://username@dev.azure.com/org/project/_git/repo//path/to/kustomization/root", "https://username@dev.azure.com/org/project/_git/repo", "/notCloned/path/to/kustomization/root", "https://username@dev.azure.com/", "org/project/_git/repo", "path/to/kustomization/root", ""),
            ("https://org.visualstudio.com/project/_git/repo/path/to/kustomization/root", "https://org.visualstudio.com/project/_git/repo", "/notCloned/path/to/kustomization/root", "https://org.visualstudio.com/", "project/_git/repo", "path/to/kustomization/root", ""),
            ("ssh://org-12345@github.com/kubernetes-sigs/kustomize", "org-12345@github.com:kubernetes-sigs/kustomize", "/notCloned", "org-12345@github.com:", "kubernetes-sigs/kustomize", "", ""),
            ("org-12345@github.com/kubernetes-sigs/kustomize", "org-12345@github.com:kubernetes-sigs/kustomize", "/notCloned", "org-12345@github.com:", "kubernetes-sigs/kustomize", "", ""),
            ("git@gist.github.com:bc7947cb727d7f9217e7862d961a1ffd.git", "git@gist.github.com:bc7947cb727d7f9217e7862d961a1ffd.git", "/notCloned", "git@gist.github.com:", "bc7947cb727d7f9217e7862d961a1ffd.git", "", ""),
            ("https://gist.github.com/bc7947cb727d7f9217e7862d961a1ffd.git", "https://gist.github.com/bc7947cb727d7f9217e7862d961a1ffd.git", "/notCloned", "https://gist.github.com/", "bc7947cb727d7f9217e7862d961a1ffd.git", "", ""),
        ];
        for &(input, clone, abs, host, repo, root, r) in cases {
            let rs = RepoSpec::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(rs.clone_spec(), clone, "{input}");
            assert_eq!(abs_path(&rs), abs, "{input}");
            assert_eq!(
                (
                    rs.host.as_str(),
                    rs.repo_path.as_str(),
                    rs.kust_root_path.as_str(),
                    rs.git_ref.as_str()
                ),
                (host, repo, root, r),
                "{input}"
            );
        }
    }

    #[test]
    fn defaults() {
        let rs = RepoSpec::parse("https://github.com/org/repo").expect("parses");
        assert!(rs.submodules);
        assert_eq!(rs.timeout, DEFAULT_TIMEOUT);
        assert_eq!(rs.fetch_ref(), "HEAD");
    }

    #[test]
    fn query() {
        let s = |n| Duration::from_secs(n);
        let cases = [
            ("", "", true, DEFAULT_TIMEOUT),
            ("ref=v1.0.0", "v1.0.0", true, DEFAULT_TIMEOUT),
            (
                "ref=kustomize/v4.5.7",
                "kustomize/v4.5.7",
                true,
                DEFAULT_TIMEOUT,
            ),
            ("version=master", "master", true, DEFAULT_TIMEOUT),
            ("version=master&ref=v1.0.0", "v1.0.0", true, DEFAULT_TIMEOUT),
            (
                "version=master&submodules=",
                "master",
                true,
                DEFAULT_TIMEOUT,
            ),
            (
                "version=master&submodules=maybe",
                "master",
                true,
                DEFAULT_TIMEOUT,
            ),
            (
                "version=master&submodules=true",
                "master",
                true,
                DEFAULT_TIMEOUT,
            ),
            (
                "version=master&submodules=false",
                "master",
                false,
                DEFAULT_TIMEOUT,
            ),
            ("version=master&timeout=", "master", true, DEFAULT_TIMEOUT),
            (
                "version=master&timeout=jiffy",
                "master",
                true,
                DEFAULT_TIMEOUT,
            ),
            ("version=master&timeout=0", "master", true, DEFAULT_TIMEOUT),
            ("version=master&timeout=0s", "master", true, DEFAULT_TIMEOUT),
            ("version=master&timeout=61", "master", true, s(61)),
            ("version=master&timeout=1m1s", "master", true, s(61)),
            (
                "version=master&submodules=false&timeout=1m1s",
                "master",
                false,
                s(61),
            ),
            // Go's url.ParseQuery: a `;` or a bad escape makes the whole query default.
            ("ref=v1;x", "", true, DEFAULT_TIMEOUT),
            ("ref=v1&x=%zz", "", true, DEFAULT_TIMEOUT),
            ("ref=a%2Fb+c", "a/b c", true, DEFAULT_TIMEOUT),
            ("timeout=1.5m", "", true, s(90)),
            ("timeout=300ms", "", true, Duration::from_millis(300)),
        ];
        for (q, r, sub, t) in cases {
            assert_eq!(parse_query(q), (r.to_string(), t, sub), "{q}");
        }
    }

    #[test]
    fn http_urls() {
        assert!(is_http_url("https://example.com/x.yaml"));
        assert!(is_http_url("HTTP://example.com/x.yaml"));
        assert!(!is_http_url("git@github.com:org/repo"));
        assert!(!is_http_url("base"));
    }
}
