//! `kit apply`: render the roots, then server-side apply the objects to the cluster
//! (ordered, optionally pruned within an ApplySet and waited for). Exit codes: 0 applied
//! (and ready), 2 input error, 3 cluster error (an object failed, a conflict, not ready).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::cli::{ApplyArgs, ChartInputArgs, ClusterArgs, DryRunMode, RemoteArgs, Restrictor};
use crate::cluster::apply::{self as engine, print_diag, ApplyOptions, DryRun, SetRef};
use crate::cluster::{self, Cluster, ConnectOptions};
use crate::diag::{Diag, ExitStatus};
use crate::emit;
use crate::load::Loader;

/// What `kit apply` and the live `kit diff` do before they reach the cluster: render the
/// roots, plan the objects (order, identities), refuse `--applyset` without `--prune`, and
/// make the runtime. An error is printed and its exit status returned.
pub(super) fn prepare(
    roots: &[PathBuf],
    restrictor: Restrictor,
    remote: &RemoteArgs,
    chart: &ChartInputArgs,
    applyset_without_prune: bool,
) -> Result<(Vec<engine::Planned>, tokio::runtime::Runtime), ExitStatus> {
    let (objects, loader) = match render(roots, restrictor, remote, chart) {
        Ok(x) => x,
        Err((errors, loader)) => return Err(super::build::report(&errors, &loader)),
    };
    drop(loader);
    let planned = match engine::plan(objects) {
        Ok(p) => p,
        Err(errors) => {
            for d in &errors {
                print_diag(&mut std::io::stderr(), d);
            }
            return Err(ExitStatus::InputError);
        }
    };
    if applyset_without_prune {
        let d = Diag::error("kit::cli::applyset", "--applyset is only used with --prune");
        print_diag(&mut std::io::stderr(), &d);
        return Err(ExitStatus::InputError);
    }
    match cluster::runtime() {
        Ok(rt) => Ok((planned, rt)),
        Err(d) => {
            print_diag(&mut std::io::stderr(), &d);
            Err(ExitStatus::ClusterError)
        }
    }
}

pub fn run(args: &ApplyArgs) -> ExitStatus {
    let timeout = match parse_duration(&args.timeout) {
        Some(d) => d,
        None => {
            let d = Diag::error(
                "kit::cli::timeout",
                format!("--timeout {:?} is not a duration", args.timeout),
            )
            .help("write it as 90s, 5m, 1h or 1m30s");
            print_diag(&mut std::io::stderr(), &d);
            return ExitStatus::InputError;
        }
    };
    let dry_run = match args.dry_run {
        None | Some(DryRunMode::None) => DryRun::None,
        Some(DryRunMode::Server) => DryRun::Server,
        Some(DryRunMode::Client) => DryRun::Client,
    };
    let (planned, rt) = match prepare(
        &args.roots,
        args.load_restrictor,
        &args.remote,
        &args.chart,
        args.applyset.is_some() && !args.prune,
    ) {
        Ok(x) => x,
        Err(status) => return status,
    };
    rt.block_on(async {
        let mut cluster = match Cluster::connect(&connect_options(&args.cluster)).await {
            Ok(c) => c,
            Err(d) => {
                print_diag(&mut std::io::stderr(), &d);
                return ExitStatus::ClusterError;
            }
        };
        let prune = args.prune.then(|| SetRef {
            name: args
                .applyset
                .clone()
                .unwrap_or_else(|| default_applyset_name(&args.roots)),
            namespace: cluster.namespace.clone(),
        });
        let opts = ApplyOptions {
            field_manager: args.cluster.field_manager.clone(),
            force_conflicts: args.cluster.force_conflicts,
            dry_run,
            prune,
            wait: args.wait.then_some(timeout),
            timeout,
            live_progress: std::io::stdout().is_terminal() && std::env::var_os("CI").is_none(),
        };
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        let mut err = std::io::stderr();
        let report = engine::apply(&mut cluster, planned, &opts, &mut out, &mut err).await;
        let mut summary = format!(
            "{} created, {} configured, {} unchanged",
            report.created, report.configured, report.unchanged
        );
        if opts.prune.is_some() {
            summary.push_str(&format!(", {} pruned", report.pruned));
        }
        if report.failed > 0 {
            summary.push_str(&format!(", {} failed", report.failed));
        }
        if report.not_ready > 0 {
            summary.push_str(&format!(", {} not ready", report.not_ready));
        }
        let _ = writeln!(err, "{summary}");
        if report.ok() {
            ExitStatus::Success
        } else {
            ExitStatus::ClusterError
        }
    })
}

pub fn connect_options(args: &ClusterArgs) -> ConnectOptions {
    ConnectOptions {
        kubeconfig: args.kubeconfig.clone(),
        context: args.context.clone(),
        namespace: args.namespace.clone(),
    }
}

/// The objects of a render as JSON documents, or its errors; with the loader (its sources
/// print the errors).
pub type Rendered = Result<(Vec<Value>, Arc<Loader>), (Vec<Diag>, Arc<Loader>)>;

/// Renders every root as `kit build` does and returns the objects as JSON documents.
pub fn render(
    roots: &[PathBuf],
    restrictor: Restrictor,
    remote: &RemoteArgs,
    chart: &ChartInputArgs,
) -> Rendered {
    let loader = Arc::new(Loader::new());
    let restrictor = super::load_restrictor(restrictor);
    let builder = super::build::input_builder(loader.clone(), restrictor, remote, chart);
    let stdin = match super::stdin_for(roots) {
        Ok(s) => s,
        Err(d) => return Err((vec![d], loader)),
    };
    let mut objects = Vec::new();
    let mut errors = Vec::new();
    for root in roots {
        match builder
            .build_root(root, stdin.as_deref())
            .and_then(|r| emit::check_representable(&r).map(|()| r))
        {
            Ok(resources) => objects.extend(resources.iter().map(|r| emit::to_json(&r.node))),
            Err(d) => errors.push(d),
        }
    }
    super::build::print_warnings(&builder, &loader);
    if errors.is_empty() {
        Ok((objects, loader))
    } else {
        Err((errors, loader))
    }
}

/// `kit-<directory name of the first root>`, as a Secret name allows (lowercase letters,
/// digits, `-`, `.`).
pub fn default_applyset_name(roots: &[PathBuf]) -> String {
    let root = roots.first().map_or(Path::new("."), PathBuf::as_path);
    let path = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let base = if path.is_file() {
        path.file_stem().map(|s| s.to_string_lossy().into_owned())
    } else {
        path.file_name().map(|s| s.to_string_lossy().into_owned())
    }
    .unwrap_or_else(|| "root".to_string());
    let mut name: String = base
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    name = name.trim_matches(|c| c == '-' || c == '.').to_string();
    if name.is_empty() {
        name = "root".to_string();
    }
    let mut full = format!("kit-{name}");
    full.truncate(253);
    full
}

/// `90s`, `5m`, `1h`, `1m30s`, `2h5m`, or a number of seconds.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    if let Ok(n) = s.parse::<u64>() {
        return Some(Duration::from_secs(n));
    }
    let mut total = 0u64;
    let mut num = String::new();
    let mut any = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: u64 = num.parse().ok()?;
        num.clear();
        total += n * match c {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        any = true;
    }
    if !num.is_empty() || !any {
        return None;
    }
    Some(Duration::from_secs(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("5m"), Some(Duration::from_secs(300)));
        assert_eq!(parse_duration("1m30s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("2h"), Some(Duration::from_secs(7200)));
        assert_eq!(parse_duration("12"), Some(Duration::from_secs(12)));
        assert_eq!(parse_duration("5x"), None);
        assert_eq!(parse_duration("m"), None);
        assert_eq!(parse_duration("5m3"), None);
    }
}
