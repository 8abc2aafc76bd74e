//! `kit template [RELEASE] CHART`: render a chart as `helm template` does.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::chart::output::{split_manifests, RenderOptions, Rendered, ValueSources};
use crate::cli::TemplateArgs;
use crate::diag::{Diag, ExitStatus};
use crate::load::Loader;

pub fn run(args: &TemplateArgs) -> ExitStatus {
    let loader = Loader::new();
    let (release, chart) = match args.args.as_slice() {
        [chart] => ("release-name".to_string(), PathBuf::from(chart)),
        [release, chart] => (release.clone(), PathBuf::from(chart)),
        _ => {
            return super::build::report(
                &[Diag::error(
                    "kit::template::usage",
                    "expected [RELEASE] CHART",
                )],
                &loader,
            )
        }
    };
    if let Err(d) = check_release_name(&release) {
        return super::build::report(&[d], &loader);
    }
    let opts = RenderOptions {
        release_name: release,
        namespace: args.namespace.clone(),
        kube_version: args.kube_version.clone(),
        api_versions: args.api_versions.clone(),
        strict: args.strict,
        include_crds: args.include_crds,
        is_upgrade: args.is_upgrade,
        lint: false,
        values: value_sources(&args.values),
    };
    let mut rendered = match crate::chart::render(&loader, &chart, &opts) {
        Ok(r) => r,
        Err(d) => return super::build::report(&[d], &loader),
    };
    {
        let stderr = std::io::stderr();
        let mut err = stderr.lock();
        for w in &rendered.warnings {
            let _ = writeln!(err, "{:?}", w.to_report(&loader.sources));
        }
    }
    if args.no_hooks {
        rendered.hooks.clear();
    }
    if args.skip_tests {
        rendered.hooks.retain(|h| {
            !h.hook_events
                .iter()
                .any(|e| e == "test" || e == "test-success")
        });
    }
    if let Some(dir) = &args.output_dir {
        return match write_output_dir(&rendered, dir) {
            Ok(()) => ExitStatus::Success,
            Err(d) => super::build::report(&[d], &loader),
        };
    }
    let mut text = rendered.to_text();
    if !args.show_only.is_empty() {
        match show_only(&text, &args.show_only) {
            Ok(t) => text = t,
            Err(d) => return super::build::report(&[d], &loader),
        }
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
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => ExitStatus::InputError,
        _ => ExitStatus::Success,
    }
}

/// The value flags as the renderer takes them.
pub fn value_sources(v: &crate::cli::ValueArgs) -> ValueSources {
    ValueSources {
        inline: None,
        files: v.values.clone(),
        set_json: v.set_json.clone(),
        set: v.set.clone(),
        set_string: v.set_string.clone(),
        set_file: v.set_file.clone(),
    }
}

/// Helm's release name rule: a DNS-1123 label of at most 53 characters.
fn check_release_name(name: &str) -> Result<(), Diag> {
    let ok = !name.is_empty()
        && name.len() <= 53
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && name
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphanumeric)
        && name
            .as_bytes()
            .last()
            .is_some_and(u8::is_ascii_alphanumeric);
    if ok {
        Ok(())
    } else {
        Err(Diag::error(
            "kit::template::release-name",
            format!("invalid release name {name:?}"),
        )
        .help("a release name is lowercase letters, digits, '-' and '.', starts and ends with a letter or digit, at most 53 characters"))
    }
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

/// `--output-dir`: each template's documents in DIR/<chart>/templates/<file>.
fn write_output_dir(rendered: &Rendered, dir: &Path) -> Result<(), Diag> {
    let mut written: std::collections::HashSet<String> = std::collections::HashSet::new();
    for d in rendered
        .crds
        .iter()
        .chain(&rendered.manifests)
        .chain(&rendered.hooks)
    {
        let path = crate::emit::path_inside(dir, &d.source)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| crate::load::io_error(parent, &e))?;
        }
        let block = format!("---\n# Source: {}\n{}\n", d.source, d.text);
        let result = if written.insert(d.source.clone()) {
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
    }
    Ok(())
}
