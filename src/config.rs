//! `.kit.yaml`: a repository's lint and validate settings, so CI, pre-commit and a developer
//! at the terminal run the same gate without repeating flags.
//!
//! ```yaml
//! lint:
//!   policy: production            # a built-in pack to start from
//!   enable: [rbac-wildcard]
//!   disable: [ephemeral-storage-unset]
//!   severity: {image-pull-policy-not-always: warning}
//!   failOn: warning
//!   admissionPolicies: [policies/]  # ValidatingAdmissionPolicy files or directories
//!   exclude: ["vendor/**"]          # left out of a directory walk; findings there dropped
//!   overrides:
//!     - files: ["overlays/dev/**"]
//!       disable: [pdb-missing]
//!       severity: {cpu-limit-missing: info}
//! validate:
//!   kubernetesVersion: "1.33"
//!   strict: true
//!   ignoreMissingSchemas: false
//!   crds: [crds/]
//! ```
//!
//! The file is found by walking up from the first path given on the command line (or the
//! working directory), unless `--config FILE` names one or `--no-config` asks for none.
//! Paths and globs are relative to the file's directory. Command-line flags win over the file.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::diag::{Diag, Severity};
use crate::model::{Node, Value};
use crate::source::{FileId, Origin, SourceMap};

/// The names kit looks for, in order, in each directory.
pub const FILE_NAMES: &[&str] = &[".kit.yaml", ".kit.yml"];

/// A parsed `.kit.yaml`.
#[derive(Debug, Default)]
pub struct Config {
    /// The file, when there is one.
    pub path: Option<PathBuf>,
    pub lint: LintConfig,
    pub validate: ValidateConfig,
}

#[derive(Debug, Default)]
pub struct LintConfig {
    pub policy: Option<String>,
    pub enable: Vec<String>,
    pub disable: Vec<String>,
    /// Rule (id or name) → severity; `None` turns the rule off.
    pub severity: Vec<(String, Option<Severity>)>,
    pub fail_on: Option<Severity>,
    pub admission_policies: Vec<PathBuf>,
    /// The Kubernetes version whose API versions apply (else `validate`'s).
    pub kubernetes_version: Option<String>,
    pub exclude: Option<Globs>,
    pub overrides: Vec<Override>,
    /// Every rule name written in the file, with where, for messages about names that do
    /// not exist.
    pub names: Vec<(String, Option<Origin>)>,
    pub policy_origin: Option<Origin>,
}

/// Settings for the files matching some globs.
#[derive(Debug)]
pub struct Override {
    pub files: Globs,
    pub enable: Vec<String>,
    pub disable: Vec<String>,
    pub severity: Vec<(String, Option<Severity>)>,
}

#[derive(Debug, Default)]
pub struct ValidateConfig {
    pub kubernetes_version: Option<String>,
    pub strict: Option<bool>,
    pub ignore_missing_schemas: Option<bool>,
    pub crds: Vec<PathBuf>,
}

/// Globs relative to a directory.
#[derive(Debug)]
pub struct Globs {
    base: PathBuf,
    set: GlobSet,
}

impl Globs {
    /// Whether `path` (absolute, or relative to the working directory) lies under the base
    /// directory and matches one of the globs.
    pub fn matches(&self, path: &Path) -> bool {
        let absolute = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(path)
        };
        let absolute = std::fs::canonicalize(&absolute).unwrap_or(absolute);
        absolute
            .strip_prefix(&self.base)
            .is_ok_and(|relative| self.set.is_match(relative))
    }
}

/// Where a run's configuration comes from.
#[derive(Clone, Debug)]
pub enum Source {
    /// Walk up from this directory.
    Discover(PathBuf),
    /// This file (`--config`).
    File(PathBuf),
    /// No configuration (`--no-config`).
    None,
}

impl Source {
    /// `--config`, `--no-config`, or discovery from the first root (a file's directory; the
    /// working directory for stdin).
    pub fn from_flags(config: Option<&Path>, no_config: bool, roots: &[PathBuf]) -> Self {
        if no_config {
            return Source::None;
        }
        if let Some(file) = config {
            return Source::File(file.to_path_buf());
        }
        let start = roots
            .iter()
            .find(|r| r.as_os_str() != "-")
            .map(|r| {
                if r.is_dir() {
                    r.clone()
                } else {
                    r.parent().map(Path::to_path_buf).unwrap_or_default()
                }
            })
            .unwrap_or_default();
        Source::Discover(start)
    }
}

/// The nearest `.kit.yaml` at or above `dir`.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    let start = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let start = std::fs::canonicalize(start).ok()?;
    start.ancestors().find_map(|d| {
        FILE_NAMES
            .iter()
            .map(|name| d.join(name))
            .find(|p| p.is_file())
    })
}

/// Reads the configuration `source` names (an empty one when there is none).
pub fn load(source: &Source, sources: &SourceMap) -> Result<Config, Diag> {
    let path = match source {
        Source::None => return Ok(Config::default()),
        Source::File(path) => path.clone(),
        Source::Discover(dir) => match discover(dir) {
            Some(path) => path,
            None => return Ok(Config::default()),
        },
    };
    let meta = std::fs::metadata(&path).map_err(|e| crate::load::io_error(&path, &e))?;
    crate::load::check_regular(&path, &meta)?;
    let text = std::fs::read_to_string(&path).map_err(|e| crate::load::io_error(&path, &e))?;
    parse(&path, text, sources)
}

/// Parses a configuration file's text; `path` locates relative paths and messages.
pub fn parse(path: &Path, text: String, sources: &SourceMap) -> Result<Config, Diag> {
    let file = sources.add(path, text);
    let source = sources
        .get(file)
        .ok_or_else(|| Diag::error("kit::config", "internal: configuration file not recorded"))?;
    let docs = crate::load::yaml::parse_documents(&source, file)?;
    let base = path
        .parent()
        .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()))
        .unwrap_or_default();
    let mut config = Config {
        path: Some(path.to_path_buf()),
        ..Config::default()
    };
    let Some(doc) = docs.first().filter(|d| !d.is_null()) else {
        return Ok(config);
    };
    let reader = Reader {
        base: &base,
        file,
        sources,
    };
    for (key, value) in reader.mapping(doc, "the configuration")? {
        match key.as_str() {
            "lint" => config.lint = reader.lint(value)?,
            "validate" => config.validate = reader.validate(value)?,
            _ => {
                return Err(reader.unknown(key, value, "the configuration", &["lint", "validate"]))
            }
        }
    }
    Ok(config)
}

/// Typed reads with located errors.
struct Reader<'a> {
    base: &'a Path,
    file: FileId,
    sources: &'a SourceMap,
}

impl Reader<'_> {
    fn error(&self, node: &Node, message: String, help: &str) -> Diag {
        let origin = node
            .origin
            .or(Some(crate::source::Origin::new(self.file, 0, 0)));
        Diag::error("kit::config", message)
            .at(origin)
            .help(help.to_string())
    }

    fn unknown(&self, key: &str, value: &Node, place: &str, known: &[&str]) -> Diag {
        self.error(
            value,
            format!("unknown key `{key}` in {place}"),
            &format!("known keys: {}", known.join(", ")),
        )
    }

    fn mapping<'n>(&self, node: &'n Node, place: &str) -> Result<&'n [(String, Node)], Diag> {
        match &node.value {
            Value::Map(m) => Ok(m),
            Value::Null => Ok(&[]),
            _ => Err(self.error(
                node,
                format!("{place} must be a mapping"),
                "see the README (.kit.yaml)",
            )),
        }
    }

    /// A string; a number is read as written (`kubernetesVersion: 1.30` is "1.30", not 1.3).
    fn string(&self, node: &Node, key: &str) -> Result<String, Diag> {
        match &node.value {
            Value::Str(s) => Ok(s.clone()),
            Value::Int(_) | Value::UInt(_) | Value::Float(_) => node
                .origin
                .and_then(|o| self.sources.text_of(o))
                .map(|t| t.trim().to_string())
                .or_else(|| node.scalar_text())
                .ok_or_else(|| {
                    self.error(node, format!("`{key}` must be a string"), "write a string")
                }),
            _ => Err(self.error(node, format!("`{key}` must be a string"), "write a string")),
        }
    }

    fn bool(&self, node: &Node, key: &str) -> Result<bool, Diag> {
        match node.value {
            Value::Bool(b) => Ok(b),
            _ => Err(self.error(
                node,
                format!("`{key}` must be true or false"),
                "write true or false",
            )),
        }
    }

    /// A list of strings; a single string is a list of one.
    fn strings(&self, node: &Node, key: &str) -> Result<Vec<String>, Diag> {
        match &node.value {
            Value::Seq(items) => items.iter().map(|i| self.string(i, key)).collect(),
            Value::Null => Ok(Vec::new()),
            _ => Ok(vec![self.string(node, key)?]),
        }
    }

    fn paths(&self, node: &Node, key: &str) -> Result<Vec<PathBuf>, Diag> {
        Ok(self
            .strings(node, key)?
            .into_iter()
            .map(|p| self.base.join(p))
            .collect())
    }

    fn globs(&self, node: &Node, key: &str) -> Result<Globs, Diag> {
        let mut builder = GlobSetBuilder::new();
        for pattern in self.strings(node, key)? {
            // `dir/` means everything under it.
            let pattern = match pattern.strip_suffix('/') {
                Some(dir) => format!("{dir}/**"),
                None => pattern,
            };
            let glob = Glob::new(&pattern).map_err(|e| {
                self.error(
                    node,
                    format!("`{key}`: {pattern:?} is not a glob: {e}"),
                    "globs are relative to the .kit.yaml directory, e.g. `overlays/dev/**`",
                )
            })?;
            builder.add(glob);
        }
        let set = builder
            .build()
            .map_err(|e| self.error(node, format!("`{key}`: {e}"), "check the globs"))?;
        Ok(Globs {
            base: self.base.to_path_buf(),
            set,
        })
    }

    fn severity_value(&self, node: &Node) -> Result<Option<Severity>, Diag> {
        match node.as_str() {
            Some("error") => Ok(Some(Severity::Error)),
            Some("warning") => Ok(Some(Severity::Warning)),
            Some("info") => Ok(Some(Severity::Info)),
            Some("off") => Ok(None),
            _ => Err(self.error(
                node,
                format!(
                    "unknown severity {}",
                    node.scalar_text().unwrap_or_default()
                ),
                "use error, warning, info or off",
            )),
        }
    }

    fn severities(&self, node: &Node) -> Result<Vec<(String, Option<Severity>)>, Diag> {
        self.mapping(node, "`severity`")?
            .iter()
            .map(|(rule, value)| Ok((rule.clone(), self.severity_value(value)?)))
            .collect()
    }

    fn lint(&self, node: &Node) -> Result<LintConfig, Diag> {
        const KEYS: &[&str] = &[
            "policy",
            "enable",
            "disable",
            "severity",
            "failOn",
            "admissionPolicies",
            "kubernetesVersion",
            "exclude",
            "overrides",
        ];
        let mut lint = LintConfig::default();
        collect_names(node, &mut lint.names);
        for (key, value) in self.mapping(node, "`lint`")? {
            match key.as_str() {
                "policy" => {
                    lint.policy = Some(self.string(value, key)?);
                    lint.policy_origin = value.origin;
                }
                "enable" => lint.enable = self.strings(value, key)?,
                "disable" => lint.disable = self.strings(value, key)?,
                "severity" => lint.severity = self.severities(value)?,
                "failOn" => {
                    lint.fail_on = Some(self.severity_value(value)?.ok_or_else(|| {
                        self.error(
                            value,
                            "`failOn` cannot be off".into(),
                            "use error, warning or info",
                        )
                    })?)
                }
                "admissionPolicies" => lint.admission_policies = self.paths(value, key)?,
                "kubernetesVersion" => lint.kubernetes_version = Some(self.string(value, key)?),
                "exclude" => lint.exclude = Some(self.globs(value, key)?),
                "overrides" => {
                    let Value::Seq(items) = &value.value else {
                        return Err(self.error(
                            value,
                            "`overrides` must be a list".into(),
                            "write a list of {files, enable, disable, severity}",
                        ));
                    };
                    for item in items {
                        lint.overrides.push(self.override_entry(item)?);
                    }
                }
                _ => return Err(self.unknown(key, value, "`lint`", KEYS)),
            }
        }
        Ok(lint)
    }

    fn override_entry(&self, node: &Node) -> Result<Override, Diag> {
        const KEYS: &[&str] = &["files", "enable", "disable", "severity"];
        let mut files = None;
        let mut entry = Override {
            files: self.globs(&Node::new(Value::Null, None), "files")?,
            enable: Vec::new(),
            disable: Vec::new(),
            severity: Vec::new(),
        };
        for (key, value) in self.mapping(node, "an override")? {
            match key.as_str() {
                "files" => files = Some(self.globs(value, key)?),
                "enable" => entry.enable = self.strings(value, key)?,
                "disable" => entry.disable = self.strings(value, key)?,
                "severity" => entry.severity = self.severities(value)?,
                _ => return Err(self.unknown(key, value, "an override", KEYS)),
            }
        }
        entry.files = files.ok_or_else(|| {
            self.error(
                node,
                "an override needs `files`".into(),
                "add `files: [\"path/glob/**\"]`",
            )
        })?;
        Ok(entry)
    }

    fn validate(&self, node: &Node) -> Result<ValidateConfig, Diag> {
        const KEYS: &[&str] = &[
            "kubernetesVersion",
            "strict",
            "ignoreMissingSchemas",
            "crds",
        ];
        let mut validate = ValidateConfig::default();
        for (key, value) in self.mapping(node, "`validate`")? {
            match key.as_str() {
                "kubernetesVersion" => validate.kubernetes_version = Some(self.string(value, key)?),
                "strict" => validate.strict = Some(self.bool(value, key)?),
                "ignoreMissingSchemas" => {
                    validate.ignore_missing_schemas = Some(self.bool(value, key)?)
                }
                "crds" => validate.crds = self.paths(value, key)?,
                _ => return Err(self.unknown(key, value, "`validate`", KEYS)),
            }
        }
        Ok(validate)
    }
}

/// The rule names under a `lint` node: the items of `enable` and
/// `disable`, and the keys of `severity`, at any depth (overrides too).
fn collect_names(node: &Node, out: &mut Vec<(String, Option<Origin>)>) {
    let Some(map) = node.as_map() else {
        if let Some(items) = node.as_seq() {
            items.iter().for_each(|i| collect_names(i, out));
        }
        return;
    };
    for (key, value) in map {
        match key.as_str() {
            "enable" | "disable" => {
                let items = value
                    .as_seq()
                    .map(Vec::as_slice)
                    .unwrap_or(std::slice::from_ref(value));
                for item in items {
                    if let Some(text) = item.scalar_text() {
                        out.push((text, item.origin));
                    }
                }
            }
            "severity" => {
                for (rule, v) in value.as_map().map(Vec::as_slice).unwrap_or(&[]) {
                    out.push((rule.clone(), v.origin));
                }
            }
            "overrides" => collect_names(value, out),
            _ => {}
        }
    }
}
