//! What a lint run decides per finding: which rules run, and for findings in given files
//! whether they count and at which severity. Built from a policy pack, `.kit.yaml` and the
//! command line, in that order (later wins).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use super::{policy, registry, Finding, Selection};
use crate::config::{Globs, LintConfig};
use crate::diag::{Diag, Severity};
use crate::source::{FileId, SourceMap};

/// A rule's state after a layer: `None` leaves it as it was.
#[derive(Clone, Copy, Debug, Default)]
struct Change {
    on: Option<bool>,
    severity: Option<Severity>,
}

/// Per-rule changes for the files matching `files`.
struct Scoped<'c> {
    files: &'c Globs,
    changes: HashMap<&'static str, Change>,
}

/// The decisions of one run.
pub struct Settings<'c> {
    /// Every rule that may report somewhere: the selection and whatever an override enables.
    pub run: Selection,
    /// The selection for files no override matches.
    base: Selection,
    /// `.kit.yaml`'s `severity:`.
    severity: HashMap<&'static str, Change>,
    overrides: Vec<Scoped<'c>>,
    /// Command-line `--enable` / `--disable`, applied after overrides.
    command_line: HashMap<&'static str, Change>,
    exclude: Option<&'c Globs>,
    /// Glob results per file (files repeat across findings).
    matches: Mutex<HashMap<(usize, FileId), bool>>,
}

/// Rule ids of `keys` (names or ids, `all`), each with `change`.
fn changes(
    keys: &[String],
    change: Change,
    place: &str,
    into: &mut HashMap<&'static str, Change>,
) -> Result<(), Diag> {
    let reg = registry();
    for key in keys {
        let ids: Vec<&'static str> = if key == "all" {
            reg.rules.iter().map(|r| r.id.as_str()).collect()
        } else {
            vec![reg
                .find(key)
                .ok_or_else(|| policy::unknown_rule(key, place))?
                .id
                .as_str()]
        };
        for id in ids {
            // A later change wins over an earlier one.
            let entry = into.entry(id).or_default();
            entry.on = change.on.or(entry.on);
            entry.severity = change.severity.or(entry.severity);
        }
    }
    Ok(())
}

/// `severity:` entries: a severity turns the rule on at it, `off` turns it off.
fn severities(
    list: &[(String, Option<Severity>)],
    place: &str,
    into: &mut HashMap<&'static str, Change>,
) -> Result<(), Diag> {
    for (key, severity) in list {
        let change = match severity {
            Some(s) => Change {
                on: Some(true),
                severity: Some(*s),
            },
            None => Change {
                on: Some(false),
                severity: None,
            },
        };
        changes(std::slice::from_ref(key), change, place, into)?;
    }
    Ok(())
}

const ON: Change = Change {
    on: Some(true),
    severity: None,
};
const OFF: Change = Change {
    on: Some(false),
    severity: None,
};

impl<'c> Settings<'c> {
    /// The policy (command line, else the file's, else `default`), the file's
    /// enable/disable/severity, then `--enable` / `--disable`.
    pub fn new(
        config: &'c LintConfig,
        policy_flag: Option<&str>,
        enable: &[String],
        disable: &[String],
    ) -> Result<Self, Diag> {
        // A name in the file that is no rule is reported where it is written.
        let reg = registry();
        for (name, origin) in &config.names {
            if name != "all" && reg.find(name).is_none() {
                return Err(policy::unknown_rule(name, ".kit.yaml").at(*origin));
            }
        }
        let policy = policy_flag.or(config.policy.as_deref());
        let file_layer = policy::Layer {
            enable: &config.enable,
            disable: &config.disable,
            place: ".kit.yaml",
        };
        let cli_layer = policy::Layer {
            enable,
            disable,
            place: "the command line",
        };
        let from_file = policy_flag.is_none() && config.policy.is_some();
        let mut base =
            policy::resolve_layers(policy, &[file_layer, cli_layer]).map_err(|d| {
                match (from_file, d.origin) {
                    (true, None) => d.at(config.policy_origin),
                    _ => d,
                }
            })?;
        let mut severity = HashMap::new();
        severities(&config.severity, ".kit.yaml `severity`", &mut severity)?;
        let mut command_line = HashMap::new();
        // As `policy::resolve` reads them: `--disable all`, then `--enable`, then the rest.
        let (all, specific): (Vec<String>, Vec<String>) =
            disable.iter().cloned().partition(|k| k == "all");
        changes(&all, OFF, "--disable", &mut command_line)?;
        changes(enable, ON, "--enable", &mut command_line)?;
        changes(&specific, OFF, "--disable", &mut command_line)?;
        // A severity in the file turns its rule on, unless the command line turned it off.
        for (id, change) in &severity {
            let cli_off = command_line.get(id).and_then(|c| c.on) == Some(false);
            match change.on {
                Some(true) if !cli_off => base.enabled.insert(id),
                Some(false) if command_line.get(id).and_then(|c| c.on) != Some(true) => {
                    base.enabled.remove(id)
                }
                _ => false,
            };
        }
        let mut overrides = Vec::new();
        for (n, o) in config.overrides.iter().enumerate() {
            let place = format!(".kit.yaml override #{}", n + 1);
            let mut scoped = HashMap::new();
            changes(&o.enable, ON, &place, &mut scoped)?;
            changes(&o.disable, OFF, &place, &mut scoped)?;
            severities(&o.severity, &place, &mut scoped)?;
            overrides.push(Scoped {
                files: &o.files,
                changes: scoped,
            });
        }
        let mut run = base.clone();
        for o in &overrides {
            for (id, change) in &o.changes {
                if change.on == Some(true) && command_line.get(id).and_then(|c| c.on) != Some(false)
                {
                    run.enabled.insert(id);
                }
            }
        }
        Ok(Settings {
            run,
            base,
            severity,
            overrides,
            command_line,
            exclude: config.exclude.as_ref(),
            matches: Mutex::new(HashMap::new()),
        })
    }

    /// Whether anything depends on the files a finding is in (else `apply` keeps all).
    fn scoped(&self) -> bool {
        self.exclude.is_some() || !self.overrides.is_empty()
    }

    /// Whether glob set `key` (0: exclude, 1..: overrides) matches `file`.
    fn matches(&self, key: usize, globs: &Globs, file: FileId, sources: &SourceMap) -> bool {
        let mut cache = self.matches.lock().unwrap_or_else(|e| e.into_inner());
        *cache.entry((key, file)).or_insert_with(|| {
            sources
                .get(file)
                .is_some_and(|f| f.path != Path::new("") && globs.matches(&f.path))
        })
    }

    /// Drops the findings that are off for their files and sets the severities of the rest.
    /// A finding's files are the one it points at and the one its object is defined in.
    pub fn apply(&self, findings: Vec<Finding>, sources: &SourceMap) -> Vec<Finding> {
        let scoped = self.scoped();
        findings
            .into_iter()
            .filter_map(|mut f| {
                let files: Vec<FileId> = [f.origin, f.object.origin]
                    .iter()
                    .flatten()
                    .map(|o| o.file)
                    .collect();
                let in_files = |key: usize, globs: &Globs| {
                    scoped
                        && files
                            .iter()
                            .any(|&file| self.matches(key, globs, file, sources))
                };
                if let Some(exclude) = self.exclude {
                    if in_files(0, exclude) {
                        return None;
                    }
                }
                let id = f.rule.id();
                // Admission policies (`policy:<name>`) are not registry rules: they are on
                // wherever they are loaded; only `exclude` applies to them.
                let mut on = self.base.enabled.contains(id) || registry().find(id).is_none();
                let mut severity = self
                    .severity
                    .get(id)
                    .and_then(|c| c.severity)
                    .unwrap_or(f.severity);
                let layers = self
                    .overrides
                    .iter()
                    .enumerate()
                    .filter(|(n, o)| in_files(n + 1, o.files))
                    .map(|(_, o)| &o.changes)
                    .chain(std::iter::once(&self.command_line));
                for layer in layers {
                    if let Some(change) = layer.get(id) {
                        on = change.on.unwrap_or(on);
                        severity = change.severity.unwrap_or(severity);
                    }
                }
                on.then(|| {
                    f.severity = severity;
                    f
                })
            })
            .collect()
    }
}
