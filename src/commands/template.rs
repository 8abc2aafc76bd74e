//! `kit template [RELEASE] CHART`: render a chart as `helm template` does.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::chart::output::{
    split_manifests, DebugRender, RenderFailure, RenderOptions, Rendered, ValueSources,
};
use crate::cli::{HelmInstallArgs, TemplateArgs};
use crate::diag::{Diag, ExitStatus};
use crate::load::Loader;

pub fn run(args: &TemplateArgs) -> ExitStatus {
    let loader = Loader::new();
    match run_inner(args, &loader) {
        Ok(status) => status,
        Err(d) => super::build::report(&[d], &loader),
    }
}

fn run_inner(args: &TemplateArgs, loader: &Loader) -> Result<ExitStatus, Diag> {
    check_helm_flags(&args.helm)?;
    let (release, chart_ref) = name_and_chart(args)?;
    let remote = remote_for(args);
    // `./kit.lock`, read once something remote is asked for.
    let mut lock = None;
    let mut pins = Vec::new();
    let chart_path = locate_chart(&chart_ref, args, loader, &remote, &mut lock, &mut pins)?;
    if args.post_renderer.is_some() && args.output_dir.is_some() {
        return Err(usage(
            "--post-renderer does not apply with --output-dir",
            "Helm would run it on an empty input there: drop one of the two flags",
        ));
    }

    // Helm's order: the chart loads, must be installable, warns when deprecated, and must
    // have its dependencies before anything renders.
    let mut chart = crate::chart::load(loader, &chart_path)?;
    crate::chart::output::check_installable(&chart)?;
    if chart.meta_value.get("deprecated") == Some(&serde_json::Value::Bool(true)) {
        let _ = writeln!(std::io::stderr(), "WARNING: This chart is deprecated");
    }
    if let Err(d) = crate::chart::deps::check_present(&chart, args.helm_version.into()) {
        if !args.helm.dependency_update {
            return Err(d);
        }
        let lock = lock_here(loader, &mut lock)?;
        warn_unpinned_dependencies(loader, &chart, &remote, lock);
        let fetched =
            super::dependencies::update(loader, &mut chart, &chart_path, &args.helm, &remote, lock)
                .map_err(lock_help)?;
        pins.extend(fetched);
    }

    let opts = RenderOptions {
        release_name: release.clone(),
        namespace: crate::cluster::helm_namespace(
            args.namespace.as_deref(),
            args.kubeconfig.as_deref(),
            args.kube_context.as_deref(),
        ),
        kube_version: args.kube_version.clone(),
        api_versions: args.api_versions.clone(),
        helm: args.helm_version.into(),
        strict: args.strict,
        include_crds: args.include_crds,
        is_upgrade: args.is_upgrade,
        lint: false,
        skip_schema_validation: args.skip_schema_validation,
        values: value_sources(&args.values),
        process_ends_after: true,
        repeated_keys: crate::load::yaml::DuplicateKeys::Record,
        // The render is printed as text: its objects' values need no template origins.
        template_origins: false,
    };
    let mut rendered = match crate::chart::output::render_chart_or_debug(loader, chart, &opts) {
        Ok(rendered) => rendered,
        Err(failure) => return Err(render_failed(failure, args, &release)),
    };
    {
        let stderr = std::io::stderr();
        let mut err = stderr.lock();
        for w in &rendered.warnings {
            let _ = writeln!(err, "{:?}", w.to_report(&loader.sources));
        }
    }
    keep_hooks(&mut rendered.hooks, args);
    if args.update_lock {
        write_lock(loader, &mut lock, &pins, args.remote.quiet)?;
    }
    if let Some(dir) = &args.output_dir {
        let release_dir = args.release_name.then_some(release.as_str());
        let wrote = write_output_dir(&rendered, dir, release_dir)?;
        // Helm prints what it wrote, then the (empty) rest of the render: one empty line.
        return Ok(print(&format!("{wrote}\n")));
    }
    let mut text = match &args.post_renderer {
        None => rendered.to_text(),
        Some(program) => {
            match post_render(program, &args.post_renderer_args, &rendered.manifest_body()) {
                Ok(body) => rendered.text_with(Some(&body)),
                Err(d) => {
                    // Helm keeps no manifest when the post-renderer fails, only the hooks.
                    let debug = DebugRender {
                        files: String::new(),
                        hooks: std::mem::take(&mut rendered.hooks),
                    };
                    return Err(render_failed(
                        RenderFailure {
                            diag: d,
                            debug: Some(debug),
                        },
                        args,
                        &release,
                    ));
                }
            }
        }
    };
    if !args.show_only.is_empty() {
        text = show_only(&text, &args.show_only)?;
    }
    if args.notes {
        if let Some(notes) = rendered.notes.as_deref().filter(|n| !n.trim().is_empty()) {
            text.push_str("# NOTES:\n");
            for line in notes.trim_end().lines() {
                if line.is_empty() {
                    text.push_str("#\n");
                } else {
                    text.push_str(&format!("# {line}\n"));
                }
            }
        }
    }
    let status = print(&text);
    // The process ends next: freeing every rendered document's model one by one would only
    // delay the exit (about 1 ms on a large chart).
    std::mem::forget(rendered);
    Ok(status)
}

/// A render that failed: with `--debug`, what Helm prints then goes to stdout (every rendered
/// template, so that invalid YAML can be seen; sorted by template name, where Helm's order is
/// random), and the error is returned either way. Without `--debug`, the error says what the
/// flag would show when there is rendered output to show.
fn render_failed(failure: RenderFailure, args: &TemplateArgs, release: &str) -> Diag {
    let RenderFailure { mut diag, debug } = failure;
    let Some(mut debug) = debug else {
        return diag;
    };
    if !args.debug {
        if !debug.files.is_empty() {
            let help = diag.help.take().unwrap_or_default();
            diag.help = Some(format!(
                "{help}\nUse --debug flag to render out invalid YAML: `kit template --debug` prints every rendered template on stdout"
            ));
        }
        return diag;
    }
    // Helm's `helm template --debug` after a failed render: the manifest trimmed, then the
    // hooks it had (unless --no-hooks; less tests with --skip-tests), then --show-only.
    keep_hooks(&mut debug.hooks, args);
    let hooks = Rendered {
        hooks: debug.hooks,
        ..Rendered::default()
    };
    let mut text = match &args.output_dir {
        Some(dir) => match write_output_dir(&hooks, dir, args.release_name.then_some(release)) {
            Ok(wrote) => format!("{wrote}{}\n", debug.files.trim()),
            Err(d) => return d,
        },
        None => hooks.text_with(Some(&debug.files)),
    };
    if !args.show_only.is_empty() {
        // Helm reports a pattern that matches nothing instead of the render's error; kit
        // keeps the render's error, which is the one to fix.
        match show_only(&text, &args.show_only) {
            Ok(shown) => text = shown,
            Err(_) => return diag,
        }
    }
    print(&text);
    diag
}

/// The hooks to print: none with --no-hooks, no test hooks with --skip-tests.
fn keep_hooks(hooks: &mut Vec<crate::chart::output::Doc>, args: &TemplateArgs) {
    if args.no_hooks {
        hooks.clear();
    }
    if args.skip_tests {
        hooks.retain(|h| {
            !h.hook_events
                .iter()
                .any(|e| e == "test" || e == "test-success")
        });
    }
}

fn print(text: &str) -> ExitStatus {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => ExitStatus::InputError,
        _ => ExitStatus::Success,
    }
}

fn usage(message: impl Into<String>, help: impl Into<String>) -> Diag {
    Diag::error("kit::template::usage", message).help(help)
}

/// The value flags as the renderer takes them.
/// How `kit lint`, `validate`, `diff` and `apply` render a chart directory among their inputs.
pub fn chart_input_options(chart: &crate::cli::ChartInputArgs) -> RenderOptions {
    RenderOptions {
        release_name: chart.release.clone(),
        values: value_sources(&chart.values),
        helm: chart.helm_version.into(),
        ..RenderOptions::default()
    }
}

pub fn value_sources(v: &crate::cli::ValueArgs) -> ValueSources {
    ValueSources {
        inline: None,
        files: v.values.clone(),
        set_json: v.set_json.clone(),
        set: v.set.clone(),
        set_string: v.set_string.clone(),
        set_file: v.set_file.clone(),
        set_literal: v.set_literal.clone(),
    }
}

/// Helm's `NameAndChart` as `helm template` runs it (the name defaults to `release-name`,
/// so `--generate-name` changes nothing there).
fn name_and_chart(args: &TemplateArgs) -> Result<(String, String), Diag> {
    match args.args.as_slice() {
        [release, chart] => {
            if args.generate_name {
                return Err(usage(
                    "cannot set --generate-name and also specify a name",
                    "give either NAME CHART or --generate-name CHART",
                ));
            }
            if args.name_template.as_deref().is_some_and(|t| !t.is_empty()) {
                return Err(usage(
                    "cannot set --name-template and also specify a name",
                    "give either NAME CHART or --name-template TEMPLATE CHART",
                ));
            }
            Ok((release.clone(), chart.clone()))
        }
        [chart] => match args.name_template.as_deref().filter(|t| !t.is_empty()) {
            Some(t) => Ok((crate::chart::name_from_template(t)?, chart.clone())),
            None => Ok(("release-name".to_string(), chart.clone())),
        },
        [_, _, rest @ ..] => Err(usage(
            format!(
                "expected at most two arguments, unexpected arguments: {}",
                rest.join(", ")
            ),
            "the arguments are [NAME] CHART; flags go before or after them",
        )),
        [] => Err(usage("expected [NAME] CHART", "give the chart directory")),
    }
}

/// Helm's `LocateChart`: a path on disk (the download flags are ignored for it, as Helm
/// ignores them), else a chart of a repository (`--repo URL`, or `REPO/CHART` through Helm's
/// repositories file) or a registry (`oci://`), fetched into kit's cache.
fn locate_chart(
    chart: &str,
    args: &TemplateArgs,
    loader: &Loader,
    remote: &crate::remote::Remote,
    lock: &mut Option<crate::remote::Lock>,
    pins: &mut Vec<crate::remote::ChartPin>,
) -> Result<PathBuf, Diag> {
    let helm = &args.helm;
    let name = chart.trim();
    let path = Path::new(name);
    if path.exists() {
        if helm.verify {
            let why = if path.is_dir() {
                "unpacked charts cannot be verified"
            } else {
                "kit does not check provenance (.prov) signatures"
            };
            return Err(usage(
                format!("--verify: {why}"),
                "verify the packaged chart with `helm verify CHART.tgz`, then render without --verify",
            ));
        }
        return Ok(path.to_path_buf());
    }
    if path.is_absolute() || name.starts_with('.') {
        return Err(Diag::error(
            "kit::template::not-a-chart",
            format!("path {name:?} not found"),
        )
        .help("pass the directory that holds Chart.yaml, or a packaged chart (.tgz)"));
    }
    if helm.verify {
        return Err(usage(
            "--verify: kit does not check provenance (.prov) signatures",
            "pull and verify the chart with `helm pull --verify`, then render the .tgz without --verify",
        ));
    }
    let request = chart_request(name, helm)?;
    // The current directory's kit.lock pins the chart as a root's lock pins a
    // kustomization's charts: --locked and --offline mean what they mean for `kit build`.
    let lock = lock_here(loader, lock)?;
    warn_if_unpinned(
        loader,
        remote,
        lock,
        (&request.repo, &request.name, &request.constraint),
        None,
    );
    let fetched = remote.chart(&request, lock).map_err(lock_help)?;
    pins.push(fetched.pin);
    Ok(fetched.archive)
}

/// How `kit template` pins what it fetches.
const PIN_HELP: &str = "run the same `kit template` with --update-lock to pin it in ./kit.lock; `--locked` refuses unpinned charts";

/// The remote settings: `--update-lock` resolves anew, as `kit update` does.
fn remote_for(args: &TemplateArgs) -> crate::remote::Remote {
    if !args.update_lock {
        return super::build::remote(&args.remote);
    }
    super::build::remote_in(crate::remote::Mode::Update, args.remote.quiet)
}

/// `./kit.lock`, read the first time it is asked for.
fn lock_here<'a>(
    loader: &Loader,
    lock: &'a mut Option<crate::remote::Lock>,
) -> Result<&'a crate::remote::Lock, Diag> {
    if lock.is_none() {
        *lock = Some(crate::remote::Lock::read(loader, Path::new("."))?);
    }
    lock.as_ref().ok_or_else(|| {
        Diag::error("kit::lock::invalid", "kit.lock could not be read")
            .help("run `kit template ... --update-lock` to write it again")
    })
}

/// What to do about a chart `--locked`/`--offline` find unpinned.
fn lock_help(d: Diag) -> Diag {
    if d.code == "kit::lock::missing" {
        d.help("kit template reads kit.lock in the current directory: `kit template ... --update-lock` pins the charts it names (and, with --dependency-update, their dependencies); or render without --locked/--offline")
    } else {
        d
    }
}

/// A plain render with an existing `./kit.lock` that does not pin some dependency resolves
/// it anew each time: said, as for the chart itself.
fn warn_unpinned_dependencies(
    loader: &Loader,
    chart: &crate::chart::Chart,
    remote: &crate::remote::Remote,
    lock: &crate::remote::Lock,
) {
    for dep in &chart.meta.dependencies {
        let repo = dep.repository.trim();
        if ["http://", "https://", "oci://"]
            .iter()
            .any(|scheme| repo.starts_with(scheme))
        {
            let chart = (repo, dep.name.as_str(), dep.version.trim());
            warn_if_unpinned(loader, remote, lock, chart, dep.origin);
        }
    }
}

/// With an existing `./kit.lock` and no `--locked`/`--offline`, a chart `(repository, name,
/// constraint)` the lock does not pin is resolved anew on every render: said on stderr, at
/// `origin` when it has one (a dependency's Chart.yaml entry).
fn warn_if_unpinned(
    loader: &Loader,
    remote: &crate::remote::Remote,
    lock: &crate::remote::Lock,
    (repo, name, constraint): (&str, &str, &str),
    origin: Option<crate::source::Origin>,
) {
    if !lock.exists
        || remote.mode() != crate::remote::Mode::Normal
        || lock.find_chart(repo, name, constraint).is_some()
    {
        return;
    }
    let warning = lock
        .unpinned_chart(repo, name, constraint)
        .at(origin)
        .help(PIN_HELP);
    let _ = writeln!(
        std::io::stderr(),
        "{:?}",
        warning.to_report(&loader.sources)
    );
}

/// `--update-lock`: `./kit.lock` with this render's pins (an entry of the same chart and
/// constraint replaced; every other entry kept).
fn write_lock(
    loader: &Loader,
    lock: &mut Option<crate::remote::Lock>,
    pins: &[crate::remote::ChartPin],
    quiet: bool,
) -> Result<(), Diag> {
    use crate::remote::lock;
    let old = lock_here(loader, lock)?;
    if pins.is_empty() {
        return Err(usage(
            "--update-lock: nothing to pin",
            "the chart is on disk and fetched no dependency: --update-lock pins a chart of a repository or registry (REPO/CHART, --repo URL CHART, oci://...) and, with --dependency-update, the dependencies it fetches",
        ));
    }
    let git: Vec<_> = old.git.iter().map(|l| l.pin.clone()).collect();
    let http: Vec<_> = old.http.iter().map(|l| l.pin.clone()).collect();
    let same = |a: &crate::remote::ChartPin, b: &crate::remote::ChartPin| {
        lock::without_credentials(&a.repo).trim_end_matches('/')
            == lock::without_credentials(&b.repo).trim_end_matches('/')
            && a.name == b.name
            && a.constraint == b.constraint
    };
    let mut charts: Vec<_> = (old.charts.iter())
        .map(|l| l.pin.clone())
        .filter(|p| !pins.iter().any(|n| same(n, p)))
        .collect();
    charts.extend(pins.iter().cloned());
    let vendor = old.vendor.as_ref().map(|v| v.written.as_str());
    let text = lock::render(&git, &http, &charts, vendor);
    std::fs::write(&old.path, text).map_err(|e| {
        crate::load::io_error(&old.path, &e)
            .help("--update-lock writes kit.lock in the current directory: make it writable")
    })?;
    if !quiet {
        let mut err = std::io::stderr().lock();
        for p in pins {
            let _ = writeln!(
                err,
                "{}: chart {} {} pinned at {} {}",
                crate::source::display_path(&old.path),
                lock::without_credentials(&p.repo).trim_end_matches('/'),
                p.name,
                p.version,
                p.digest
            );
        }
    }
    Ok(())
}

/// What a chart reference that is not a path asks for, as Helm's `ChartDownloader` reads it.
fn chart_request(name: &str, helm: &HelmInstallArgs) -> Result<crate::remote::ChartRequest, Diag> {
    use crate::remote::{helmconfig, http::Tls, ChartRequest, Credentials};
    let flags = Credentials {
        username: helm.username.clone().unwrap_or_default(),
        password: helm.password.clone().unwrap_or_default(),
        tls: Tls {
            ca_file: helm.ca_file.clone().map(PathBuf::from),
            cert_file: helm.cert_file.clone().map(PathBuf::from),
            key_file: helm.key_file.clone().map(PathBuf::from),
            insecure: helm.insecure_skip_tls_verify,
        },
        pass_credentials: helm.pass_credentials,
        plain_http: helm.plain_http,
    };
    let version = helm.version.as_deref().unwrap_or("").trim().to_string();
    if let Some(rest) = name.strip_prefix("oci://") {
        let (path, chart) = rest.rsplit_once('/').ok_or_else(|| {
            usage(
                format!("invalid OCI reference {name:?}"),
                "an OCI chart reference is oci://HOST/PATH/CHART",
            )
        })?;
        // A tag in the reference (`chart:1.2.3`) stands for --version.
        let (chart, tag) = match chart.split_once(':') {
            Some((c, t)) => (c, t.to_string()),
            None => (chart, String::new()),
        };
        if !tag.is_empty() && !version.is_empty() && tag != version {
            return Err(usage(
                format!("chart reference and version mismatch: {tag} is not {version}"),
                "give the version once: in the reference or with --version",
            ));
        }
        return Ok(ChartRequest {
            repo: format!("oci://{path}"),
            name: chart.to_string(),
            constraint: if tag.is_empty() { version } else { tag },
            devel: helm.devel,
            credentials: flags,
            cached_index: None,
            registry_config: helm.registry_config.clone(),
            what: format!("chart {name}"),
        });
    }
    if let Some(repo) = helm.repo.as_deref().filter(|r| !r.is_empty()) {
        return Ok(ChartRequest {
            repo: repo.to_string(),
            name: name.to_string(),
            constraint: version,
            devel: helm.devel,
            credentials: flags,
            cached_index: None,
            registry_config: None,
            what: format!("chart {name} of {repo}"),
        });
    }
    if name.contains("://") {
        return Err(usage(
            format!("kit does not download chart archives by URL ({name})"),
            "name the chart's repository with --repo URL and the chart by name, or download the .tgz and pass its path",
        ));
    }
    let Some((repo_name, chart)) = name.split_once('/') else {
        return Err(Diag::error(
            "kit::template::not-a-chart",
            format!("non-absolute URLs should be in form of repo_name/path_to_chart, got: {name}"),
        )
        .help("pass a chart directory or .tgz, REPO/CHART (a repository `helm repo add` knows), --repo URL CHART, or oci://HOST/PATH/CHART"));
    };
    let config = helmconfig::repository_config(helm.repository_config.as_deref());
    let repo = helmconfig::find_repository(&config, repo_name)?;
    let mut credentials = repo.credentials.clone();
    if credentials.username.is_empty() || credentials.password.is_empty() {
        credentials.username = flags.username;
        credentials.password = flags.password;
    }
    let cache = helmconfig::repository_cache(helm.repository_cache.as_deref());
    Ok(ChartRequest {
        repo: repo.url.clone(),
        name: chart.to_string(),
        constraint: version,
        devel: helm.devel,
        credentials,
        cached_index: Some(cache.join(format!("{repo_name}-index.yaml"))),
        registry_config: None,
        what: format!("chart {name}"),
    })
}

/// The install flags that need a cluster or the network, and Helm's checks of the others.
fn check_helm_flags(helm: &HelmInstallArgs) -> Result<(), Diag> {
    if helm.validate {
        return Err(usage(
            "--validate needs a Kubernetes cluster, which `kit template` never contacts",
            "validate the output offline with `kit template ... | kit validate -`",
        ));
    }
    if helm.enable_dns {
        return Err(usage(
            "--enable-dns: kit does no DNS lookups while rendering",
            "drop the flag: getHostByName then returns \"\", as in Helm without --enable-dns",
        ));
    }
    if let Some(mode) = &helm.dry_run {
        match mode.as_str() {
            "client" | "true" => {}
            "server" | "none" | "false" => {
                return Err(usage(
                    format!("--dry-run={mode} lets Helm contact the cluster (for `lookup`), which kit never does"),
                    "use --dry-run or --dry-run=client (kit's lookup returns empty results, as Helm's client dry run)",
                ))
            }
            _ => {
                return Err(usage(
                    "Invalid dry-run flag. Flag must one of the following: false, true, none, client, server",
                    "kit accepts --dry-run, --dry-run=client and --dry-run=true",
                ))
            }
        }
    }
    if let Some(t) = &helm.timeout {
        if !is_go_duration(t) {
            return Err(usage(
                format!(
                    "invalid argument {t:?} for \"--timeout\" flag: time: invalid duration {t:?}"
                ),
                "a Go duration: 300s, 5m, 1h30m",
            ));
        }
    }
    const RESERVED: &[&str] = &[
        "name",
        "owner",
        "status",
        "version",
        "createdAt",
        "modifiedAt",
    ];
    for entry in helm.labels.iter().flat_map(|l| l.split(',')) {
        let Some((key, _)) = entry.split_once('=') else {
            return Err(usage(
                format!("invalid argument for \"-l, --labels\" flag: {entry} must be formatted as key=value"),
                "give labels as key=value, separated by commas",
            ));
        };
        if RESERVED.contains(&key) {
            return Err(usage(
                "user supplied labels contains system reserved label name. System labels: [name owner status version createdAt modifiedAt]",
                "rename the label",
            ));
        }
    }
    Ok(())
}

/// Go's `time.ParseDuration` syntax: `0`, or an optional sign and numbers with units.
fn is_go_duration(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    if s == "0" {
        return true;
    }
    if s.is_empty() {
        return false;
    }
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..digits];
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return false;
        }
        rest = &rest[digits..];
        let unit = ["ns", "us", "\u{b5}s", "\u{3bc}s", "ms", "s", "m", "h"]
            .iter()
            .filter(|u| rest.starts_with(**u))
            .max_by_key(|u| u.len());
        match unit {
            Some(u) => rest = &rest[u.len()..],
            None => return false,
        }
    }
    true
}

/// Output a post-renderer may write at most.
const MAX_POST_RENDER_BYTES: u64 = 256 * 1024 * 1024;

/// `--post-renderer`: runs the program with `input` on stdin and returns its stdout.
fn post_render(program: &Path, args: &[String], input: &str) -> Result<String, Diag> {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let shown = program.display().to_string();
    let fail = |message: String, help: &str| {
        Diag::error(
            "kit::template::post-renderer",
            format!("error while running post render on files: {message}"),
        )
        .help(help.to_string())
    };
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            fail(
                format!("unable to find binary at {shown}: {e}"),
                "give the path of an executable (or a program name found in PATH)",
            )
        })?;
    let stdin = child.stdin.take();
    let data = input.as_bytes().to_vec();
    let writer = std::thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            // The program may exit without reading all of it: that is its choice.
            let _ = stdin.write_all(&data);
        }
    });
    let stderr = child.stderr.take();
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(e) = stderr {
            let _ = e.take(64 * 1024).read_to_end(&mut buf);
        }
        buf
    });
    let mut out = Vec::new();
    let read = match child.stdout.take() {
        Some(o) => o.take(MAX_POST_RENDER_BYTES + 1).read_to_end(&mut out),
        None => Ok(0),
    };
    if read.is_err() || out.len() as u64 > MAX_POST_RENDER_BYTES {
        let _ = child.kill();
        let _ = child.wait();
        let _ = writer.join();
        return Err(fail(
            format!(
                "the output of {shown} is larger than {} MiB (or unreadable)",
                MAX_POST_RENDER_BYTES / (1024 * 1024)
            ),
            "the post-renderer should print the manifests it was given, changed",
        ));
    }
    let status = child
        .wait()
        .map_err(|e| fail(format!("{shown}: {e}"), "check the program"))?;
    let _ = writer.join();
    let err_text = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    if !status.success() {
        let code = status.code().map_or_else(
            || "killed by a signal".to_string(),
            |c| format!("exit status {c}"),
        );
        return Err(fail(
            format!("error while running command {shown}. error output:\n{err_text}: {code}"),
            "the post-renderer failed: its error output is above",
        ));
    }
    String::from_utf8(out).map_err(|_| {
        fail(
            format!("the output of {shown} is not UTF-8"),
            "the post-renderer must print YAML",
        )
    })
}

/// `--show-only`: the documents whose `# Source:` path (without the chart's name) matches
/// one of the patterns; a pattern that matches nothing is an error.
pub fn show_only(text: &str, patterns: &[String]) -> Result<String, Diag> {
    let chunks: Vec<&str> = split_manifests(text).into_iter().map(|(_, c)| c).collect();
    let mut out = String::new();
    for pattern in patterns {
        let pattern = pattern.replace('\\', "/");
        let mut found = false;
        for chunk in &chunks {
            let Some(rest) = chunk.lines().find_map(|l| l.strip_prefix("# Source: ")) else {
                continue;
            };
            let Some((_, path)) = rest.split_once('/') else {
                continue;
            };
            if path_match(&pattern, path.trim_end()) {
                out.push_str(&format!("---\n{chunk}\n"));
                found = true;
            }
        }
        if !found {
            return Err(Diag::error(
                "kit::template::show-only",
                format!("could not find template {pattern} in chart"),
            )
            .help("give the path inside the chart, e.g. templates/deployment.yaml (globs allowed); a template that renders nothing cannot be shown"));
        }
    }
    Ok(out)
}

/// Go's `filepath.Match`: `*` and `?` do not cross `/`; `[...]` classes; `\` escapes.
pub fn path_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    fn go(p: &[char], n: &[char]) -> bool {
        match p.first() {
            None => n.is_empty(),
            Some('*') => {
                for i in 0..=n.len() {
                    if i > 0 && n[i - 1] == '/' {
                        break;
                    }
                    if go(&p[1..], &n[i..]) {
                        return true;
                    }
                }
                false
            }
            Some('?') => n.first().is_some_and(|c| *c != '/') && go(&p[1..], &n[1..]),
            Some('[') => {
                let Some(close) = p.iter().position(|c| *c == ']') else {
                    return false;
                };
                let Some(c) = n.first() else { return false };
                let mut class = &p[1..close];
                let negate = class.first() == Some(&'^');
                if negate {
                    class = &class[1..];
                }
                let mut hit = false;
                let mut i = 0;
                while i < class.len() {
                    if i + 2 < class.len() && class[i + 1] == '-' {
                        if class[i] <= *c && *c <= class[i + 2] {
                            hit = true;
                        }
                        i += 3;
                    } else {
                        if class[i] == *c {
                            hit = true;
                        }
                        i += 1;
                    }
                }
                hit != negate && *c != '/' && go(&p[close + 1..], &n[1..])
            }
            Some('\\') if p.len() > 1 => n.first() == Some(&p[1]) && go(&p[2..], &n[1..]),
            Some(c) => n.first() == Some(c) && go(&p[1..], &n[1..]),
        }
    }
    go(&p, &n)
}

/// `--output-dir`: each template's documents in DIR/<chart>/templates/<file> (with
/// `--release-name`, DIR/NAME/...; CRDs stay in DIR, as Helm writes them). Returns Helm's
/// `wrote PATH` lines.
fn write_output_dir(
    rendered: &Rendered,
    dir: &Path,
    release: Option<&str>,
) -> Result<String, Diag> {
    let manifest_dir = match release {
        Some(r) => dir.join(r),
        None => dir.to_path_buf(),
    };
    let mut written: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let mut lines = String::new();
    let crds = rendered.crds.iter().map(|d| (dir, d));
    let rest = rendered
        .manifests
        .iter()
        .chain(&rendered.hooks)
        .map(|d| (manifest_dir.as_path(), d));
    for (base, d) in crds.chain(rest) {
        let path = crate::emit::path_inside(base, &d.source)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| crate::load::io_error(parent, &e))?;
        }
        let mut block = String::new();
        crate::chart::output::push_source_block(&mut block, &d.source, &d.text);
        let result = if written.insert(path.clone()) {
            std::fs::write(&path, block)
        } else {
            std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .and_then(|mut f| f.write_all(block.as_bytes()))
        };
        result.map_err(|e| {
            Diag::error("kit::emit::write", format!("cannot write: {e}"))
                .path(path.display().to_string())
        })?;
        lines.push_str(&format!("wrote {}/{}\n", base.display(), d.source));
    }
    Ok(lines)
}
