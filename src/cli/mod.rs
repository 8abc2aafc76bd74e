//! Command-line definitions (clap). Help, completions and the man page all come from here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A flag given twice takes its last value, as the Go tools kit stands in for read their
/// flags (helm, kubectl: pflag); wrappers and scripts append flags to a command line.
#[derive(Parser, Debug)]
#[command(name = "kit", version, about = "Kubernetes manifest toolkit: build, validate, lint, diff, apply", long_about = None, args_override_self = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Render kustomizations exactly like `kubectl kustomize` (directories, files or `-`).
    Build(Deferred<BuildArgs>),
    /// Render a chart (Helm's chart layout, Jinja templates), like `helm template`.
    Template(Deferred<Box<TemplateArgs>>),
    /// Chart tools: `kit chart lint`.
    Chart(ChartArgs),
    /// Create things: `kit create chart NAME`.
    Create(CreateArgs),
    /// Validate manifests against the Kubernetes API schemas and the API server's field rules, offline.
    Validate(Deferred<ValidateArgs>),
    /// Check rendered manifests against best-practice and security rules.
    Lint(Deferred<LintArgs>),
    /// Server-side apply rendered manifests to a cluster: ordered, optionally pruned
    /// (ApplySet) and waited for.
    Apply(Deferred<ApplyArgs>),
    /// Show changes: `kit diff PATH` against the live cluster (server-side dry run), or two
    /// renders offline (`kit diff OLD NEW`, `kit diff PATH --git-ref REF`). A unified diff
    /// per object, Secret values masked. Exit 0 no change, 1 changes, 3 error.
    Diff(Deferred<DiffArgs>),
    /// List the lint rules (id, name, severity, category, on by default).
    Rules(Deferred<RulesArgs>),
    /// Print the documentation of a lint rule or validation check (by id or name).
    Explain(Deferred<ExplainArgs>),
    /// Write shell completions and the man pages (kept in the repository's completions/).
    Generate(Deferred<GenerateArgs>),
    /// Print the completion script for a shell (bash, zsh, fish, powershell, elvish), as
    /// `kubectl completion` does: `source <(kit completion bash)`.
    Completion {
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Pin remote bases: resolve every remote base's ref on its remote again, fetch what
    /// changed, and write `kit.lock` beside each kustomization root.
    Update(Deferred<UpdateArgs>),
    /// Copy every remote input (git bases, HTTP files, charts) into a directory beside
    /// `kit.lock` (default `vendor/`) and name it in the lock: builds then read them there and
    /// use no network. The kustomizations are not changed. Commit the directory and the lock.
    Vendor(Deferred<VendorArgs>),
}

/// A subcommand's arguments, built only when that subcommand runs: clap otherwise builds the
/// arguments of every subcommand, with their help texts, before it parses one (about half a
/// millisecond of every run). Not for a subcommand with subcommands of its own: `kit help`'s
/// tree (and so the completions) is built before deferred arguments are.
#[derive(Debug)]
pub struct Deferred<T>(pub T);

impl<T> std::ops::Deref for Deferred<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: clap::FromArgMatches> clap::FromArgMatches for Deferred<T> {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Deferred)
    }
    fn from_arg_matches_mut(matches: &mut clap::ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Deferred)
    }
    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }
    fn update_from_arg_matches_mut(
        &mut self,
        matches: &mut clap::ArgMatches,
    ) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

/// Adds arguments to a subcommand whose description is already set: the subcommand's own doc
/// comment wins over those of the argument structs, as it does when nothing is deferred (the
/// derive sets it after the arguments then; deferred, they come after it).
fn keep_about(cmd: clap::Command, augment: fn(clap::Command) -> clap::Command) -> clap::Command {
    let about = cmd.get_about().cloned();
    let long_about = cmd.get_long_about().cloned();
    let cmd = augment(cmd);
    match (about, long_about) {
        (Some(about), Some(long)) => cmd.about(about).long_about(long),
        (Some(about), None) => cmd.about(about).long_about(None),
        (None, _) => cmd,
    }
}

impl<T: Args> Args for Deferred<T> {
    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }
    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd.defer(|cmd| keep_about(cmd, T::augment_args))
    }
    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        cmd.defer(|cmd| keep_about(cmd, T::augment_args_for_update))
    }
}

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Files, directories of manifests, kustomization directories, or `-` for stdin.
    /// Kustomizations are rendered as `kit build` renders them, then validated; the files of
    /// a plain directory are validated one by one, in parallel.
    #[arg(value_name = "PATH", default_value = ".")]
    pub roots: Vec<PathBuf>,

    /// The Kubernetes version whose schemas and rules apply (1.30 to 1.37; default: the
    /// newest).
    #[arg(long, value_name = "VERSION")]
    pub kubernetes_version: Option<String>,

    /// Reject unknown fields and duplicate keys, like `kubectl apply --validate=strict`
    /// (the default).
    #[arg(long, overrides_with = "no_strict")]
    pub strict: bool,

    /// Accept unknown fields (the API server drops them) and duplicate keys (the last wins).
    #[arg(long, overrides_with = "strict")]
    pub no_strict: bool,

    /// Skip custom resources whose CustomResourceDefinition is not known instead of
    /// reporting them.
    #[arg(long)]
    pub ignore_missing_schemas: bool,

    /// CustomResourceDefinitions (files or directories) that validate custom resources, in
    /// addition to those found in the input. Repeatable.
    #[arg(long = "crd", value_name = "FILE|DIR")]
    pub crds: Vec<PathBuf>,

    /// Output format.
    #[arg(long = "output", value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,

    /// Print a summary line (resources, invalid, skipped, findings) after the findings.
    #[arg(long)]
    pub summary: bool,

    /// Which files a kustomization may read: only under its own directory (default), or any.
    #[arg(long, value_enum, default_value_t = Restrictor::RootOnly)]
    pub load_restrictor: Restrictor,

    #[command(flatten)]
    pub remote: RemoteArgs,

    #[command(flatten)]
    pub config: ConfigArgs,

    // Last: its help heading holds for what follows it.
    #[command(flatten)]
    pub chart: ChartInputArgs,
}

#[derive(Args, Debug)]
pub struct LintArgs {
    /// Kustomization directories, plain directories of manifests, files, or `-` for stdin.
    /// A kustomization or chart directory is rendered as `kit build` renders it, then
    /// linted. A file or plain directory is linted through the kustomizations and charts of
    /// its repository that read it (a patch or a base through its overlays), else on its
    /// own; YAML that holds no Kubernetes object (workflows, values files) is skipped.
    #[arg(value_name = "PATH", default_value = ".")]
    pub roots: Vec<PathBuf>,

    /// Output format.
    #[arg(long = "output", value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,

    /// Exit with code 1 when a finding has this severity or a higher one (default: error,
    /// or `.kit.yaml`'s `lint.failOn`).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// Run these rules too (ids or names, comma-separated or repeated; `all` for every rule).
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = RuleKeys::LINT, hide_possible_values = true)]
    pub enable: Vec<String>,

    /// Do not run these rules (ids or names, comma-separated or repeated). `--disable all`
    /// clears the selection first, so `--disable all --enable RULE` runs RULE alone.
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = RuleKeys::LINT, hide_possible_values = true)]
    pub disable: Vec<String>,

    /// Start from a built-in policy pack instead of the default rules: default, production,
    /// pod-security-baseline, pod-security-restricted, all.
    #[arg(long, value_name = "NAME")]
    pub policy: Option<String>,

    /// ValidatingAdmissionPolicy files or directories (repeatable): their policies (and
    /// bindings, and params objects) run offline on the render, each object as a CREATE;
    /// findings are reported under `policy:<name>`.
    #[arg(long = "admission-policy", value_name = "FILE|DIR")]
    pub admission_policy: Vec<PathBuf>,

    /// The Kubernetes version the manifests target (1.30 to 1.37; default: `.kit.yaml`'s
    /// `lint.kubernetesVersion` or `validate.kubernetesVersion`, else the newest): API
    /// versions it removed are errors, those it deprecated warnings.
    #[arg(long, value_name = "VERSION")]
    pub kubernetes_version: Option<String>,

    /// Which files a kustomization may read: only under its own directory (default), or any.
    #[arg(long, value_enum, default_value_t = Restrictor::RootOnly)]
    pub load_restrictor: Restrictor,

    #[command(flatten)]
    pub remote: RemoteArgs,

    #[command(flatten)]
    pub config: ConfigArgs,

    // Last: its help heading holds for what follows it.
    #[command(flatten)]
    pub chart: ChartInputArgs,
}

/// How chart directories among the inputs are rendered (`kit lint`, `validate`, `diff`,
/// `apply`): as `kit template` renders them, with these values.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Chart inputs")]
pub struct ChartInputArgs {
    /// The release name chart directories are rendered with.
    #[arg(long, value_name = "NAME", default_value = "release-name")]
    pub release: String,

    #[command(flatten)]
    pub values: ValueArgs,

    /// Render charts as this Helm major version does: 3 (v3.17) or 4 (v4.1); see `kit
    /// template --help`.
    #[arg(long, value_name = "3|4", value_enum, default_value_t = HelmMajor::V3)]
    pub helm_version: HelmMajor,
}

/// Where `.kit.yaml` comes from.
#[derive(Args, Debug, Default)]
pub struct ConfigArgs {
    /// Read settings from this file instead of the nearest `.kit.yaml` (found by walking up
    /// from the first PATH).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore any `.kit.yaml`.
    #[arg(long)]
    pub no_config: bool,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// `OLD NEW`: two kustomizations, plain directories of manifests, files, charts (or `-`
    /// for stdin), each rendered as `kit build` renders it. With `--git-ref`, one PATH. A
    /// single PATH without `--git-ref` is reserved for the live diff against a cluster.
    #[arg(value_name = "PATH", required = true, num_args = 1..=2)]
    pub paths: Vec<PathBuf>,

    /// Compare PATH as it was at this git commit (a branch, tag, sha, `HEAD~1`,
    /// `origin/main`) with PATH in the working tree. The whole repository at REF is
    /// extracted to a temporary directory, so bases outside PATH resolve.
    #[arg(long, value_name = "REF")]
    pub git_ref: Option<String>,

    /// Output format: a unified diff per object, a pull-request comment, JSON, or one line
    /// per object.
    #[arg(long = "output", value_enum, default_value_t = DiffFormat::Unified)]
    pub format: DiffFormat,

    /// Color the unified diff: `auto` when stdout is a terminal and NO_COLOR is unset.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Lines of context around each change.
    #[arg(
        short = 'U',
        long = "unified",
        value_name = "LINES",
        default_value_t = 3
    )]
    pub context: usize,

    /// Do not pair renamed or moved objects: show them as removed and added.
    #[arg(long)]
    pub no_renames: bool,

    /// Show Secret `data` and `stringData` values instead of `***` (never in CI logs).
    #[arg(long)]
    pub show_secrets: bool,

    /// How chart inputs (both sides) are rendered.
    #[command(flatten)]
    pub chart: ChartInputArgs,

    /// Which files a kustomization may read: only under its own directory (default), or any.
    #[arg(long, value_enum, default_value_t = Restrictor::RootOnly)]
    pub load_restrictor: Restrictor,

    #[command(flatten)]
    pub remote: RemoteArgs,

    /// Live diff: the cluster (kubeconfig, context, namespace, field manager).
    #[command(flatten)]
    pub cluster: ClusterArgs,

    /// Live diff: also show the members of the ApplySet that `kit apply --prune` would
    /// delete.
    #[arg(long)]
    pub prune: bool,

    /// Live diff: the ApplySet's parent Secret name (as for `kit apply --prune`).
    #[arg(long, value_name = "NAME")]
    pub applyset: Option<String>,

    /// Exit 1 when there are differences (the default, as `diff` and `kubectl diff`);
    /// `--exit-code=false` exits 0 on differences, as `argocd app diff --exit-code=false`
    /// (errors still exit above 1).
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_value_t = true, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub exit_code: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A unified diff per object, with kubectl diff's `diff -u -N` headers.
    Unified,
    /// A pull-request comment: counts and a collapsed diff per object.
    Markdown,
    /// The changes as JSON (kind, names, line counts, hunks).
    Json,
    /// One line per changed object and the counts.
    Summary,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Where the cluster is (shared by `kit apply` and `kit diff`).
#[derive(Args, Debug, Clone, Default)]
pub struct ClusterArgs {
    /// The kubeconfig file (default: $KUBECONFIG, else ~/.kube/config).
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,

    /// The kubeconfig context to use (default: its current context).
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,

    /// The namespace of namespaced objects that name none (default: the context's, else
    /// `default`); also the namespace of the ApplySet parent.
    #[arg(short = 'n', long, value_name = "NS")]
    pub namespace: Option<String>,

    /// The field manager that owns the applied fields.
    #[arg(long, value_name = "NAME", default_value = "kit")]
    pub field_manager: String,

    /// Take over fields that another field manager owns instead of failing with a conflict.
    #[arg(long)]
    pub force_conflicts: bool,
}

#[derive(Args, Debug)]
pub struct ApplyArgs {
    /// Kustomization directories, plain directories of manifests, files, charts, or `-` for
    /// stdin, rendered as `kit build` renders them.
    #[arg(value_name = "PATH", default_value = ".")]
    pub roots: Vec<PathBuf>,

    #[command(flatten)]
    pub cluster: ClusterArgs,

    /// `server`: the API server validates and admits every object (and prune), storing
    /// nothing; `client`: only reads, and says what would be applied and pruned.
    #[arg(long, value_enum, value_name = "MODE", num_args = 0..=1, require_equals = true, default_missing_value = "server")]
    pub dry_run: Option<DryRunMode>,

    /// Delete the objects of the ApplySet (`--applyset`) that the render no longer has, once
    /// every object applied. Compatible with `kubectl apply --prune --applyset`.
    #[arg(long)]
    pub prune: bool,

    /// The ApplySet's parent Secret (in --namespace): its name. Default with --prune:
    /// `kit-` and the first PATH's directory name.
    #[arg(long, value_name = "NAME")]
    pub applyset: Option<String>,

    /// Wait until every applied object is ready (Deployments rolled out, Jobs complete, ...).
    #[arg(long)]
    pub wait: bool,

    /// How long --wait (and the wait for CRDs to be established) may take: `90s`, `5m`, `1h`.
    #[arg(long, value_name = "DURATION", default_value = "5m")]
    pub timeout: String,

    /// Which files a kustomization may read: only under its own directory (default), or any.
    #[arg(long, value_enum, default_value_t = Restrictor::RootOnly)]
    pub load_restrictor: Restrictor,

    #[command(flatten)]
    pub remote: RemoteArgs,

    #[command(flatten)]
    pub chart: ChartInputArgs,
}

/// What the live `kit diff PATH` reads from [`DiffArgs`].
#[derive(Debug)]
pub struct LiveDiffArgs {
    pub root: PathBuf,
    pub cluster: ClusterArgs,
    pub prune: bool,
    pub applyset: Option<String>,
    pub unified: usize,
    pub show_secrets: bool,
    pub load_restrictor: Restrictor,
    pub remote: RemoteArgs,
    pub chart: ChartInputArgs,
    /// `--exit-code`: whether differences exit 1.
    pub exit_code: bool,
    /// `--output`, as the offline diff's.
    pub format: DiffFormat,
    /// `--color`, as the offline diff's.
    pub color: ColorChoice,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum DryRunMode {
    /// Apply for real (the default without --dry-run).
    None,
    Server,
    Client,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Diagnostics with the source snippet.
    Text,
    /// One line per finding: `path:line:col: severity rule-id: message [name] (object)`.
    Concise,
    /// One JSON document: findings and a summary.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning and other CI tools).
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// JUnit XML: a test suite per file, a test case per object and per finding.
    Junit,
    /// Checkstyle XML (reviewdog, Jenkins warnings, editors).
    Checkstyle,
    /// TAP version 13: one test point per object.
    Tap,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Output format (`--output`, as on the other commands; `--format` is kept as an alias).
    #[arg(long = "output", visible_alias = "format", value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
    /// List `kit validate`'s checks instead of the lint rules.
    #[arg(long)]
    pub validate: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Table,
    /// The rule reference, as docs/rules.md holds it.
    Markdown,
    Json,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A rule or check id (`KIT-IMG001`, `KIT-SCH003`) or name (`image-tag-latest`).
    #[arg(value_name = "RULE", value_parser = RuleKeys::EXPLAIN, hide_possible_values = true)]
    pub rule: String,
}

/// The value of a flag that names rules: any text parses (kit reports an unknown rule
/// itself, with where to look), and the ids and names of the rule registries are offered to
/// shell completion, each with its other spelling as its description.
#[derive(Clone, Copy, Debug)]
pub struct RuleKeys {
    /// `all`, which `--enable` and `--disable` take.
    all: bool,
    /// `kit validate`'s checks, which `kit explain` takes too.
    checks: bool,
}

impl RuleKeys {
    const LINT: RuleKeys = RuleKeys {
        all: true,
        checks: false,
    };
    const EXPLAIN: RuleKeys = RuleKeys {
        all: false,
        checks: true,
    };
}

impl clap::builder::TypedValueParser for RuleKeys {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        use clap::builder::PossibleValue;
        let lint = crate::lint::registry::registry()
            .rules
            .iter()
            .map(|r| (r.id.as_str(), r.name.as_str()));
        let checks = crate::validate::registry::registry()
            .checks
            .iter()
            .filter(|_| self.checks)
            .map(|c| (c.id.as_str(), c.name.as_str()));
        let keys = lint.chain(checks).flat_map(|(id, name)| {
            [
                PossibleValue::new(id).help(name),
                PossibleValue::new(name).help(id),
            ]
        });
        let all = self
            .all
            .then(|| PossibleValue::new("all").help("every rule"));
        Some(Box::new(all.into_iter().chain(keys)))
    }
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// Kustomization directories, plain directories of manifests, files, or `-` for stdin.
    /// Several roots render in parallel; output keeps argument order.
    #[arg(value_name = "PATH", default_value = ".")]
    pub roots: Vec<PathBuf>,

    /// Write the output to this path instead of printing, as `kubectl kustomize -o` does:
    /// into an existing directory, one file per resource (one subdirectory per root when
    /// there are several roots); a path ending in `/` is created as such a directory; any
    /// other path is one file holding what would be printed.
    #[arg(short = 'o', long = "output-dir", value_name = "PATH")]
    pub output_dir: Option<PathBuf>,

    /// Output format.
    #[arg(long = "output", value_enum, default_value_t = Format::Yaml)]
    pub format: Format,

    /// Which files a kustomization may read: only under its own directory (default), or any.
    #[arg(long, value_enum, default_value_t = Restrictor::RootOnly)]
    pub load_restrictor: Restrictor,

    /// Annotate every value with the file, line and column it came from (`# from: ...`).
    #[arg(long)]
    pub explain_origin: bool,

    #[command(flatten)]
    pub remote: RemoteArgs,

    #[command(flatten)]
    pub kustomize: KustomizeArgs,
}

/// `kubectl kustomize` / `kustomize build` flags, so that a script can swap in `kit build`:
/// each is honoured with kustomize's meaning, or has no effect where kit already does what
/// it asks (charts) or never does it (functions and plugins), or is refused with what kit
/// does instead.
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "kustomize compatibility")]
pub struct KustomizeArgs {
    /// Accepted; no effect: kit renders `helmCharts` itself, always (kustomize needs this
    /// flag and a helm binary).
    #[arg(long)]
    pub enable_helm: bool,

    /// Accepted; no effect: kit runs no helm binary, it renders charts in-process as
    /// `helm template` v3.17 does (v4.1 with --helm-version 4).
    #[arg(long, value_name = "PATH")]
    pub helm_command: Option<String>,

    /// Render helmCharts as this Helm major version does (kubectl kustomize runs whichever
    /// helm is on PATH): 3 (v3.17) or 4 (v4.1); see `kit template --help`.
    #[arg(long, value_name = "3|4", value_enum, default_value_t = HelmMajor::V3)]
    pub helm_version: HelmMajor,

    /// Kubernetes API versions charts see in `Capabilities.APIVersions`, for helmCharts
    /// entries that list no `apiVersions` (repeatable), as in kubectl kustomize.
    #[arg(long, value_name = "GROUP/VERSION")]
    pub helm_api_versions: Vec<String>,

    /// The Kubernetes version charts see in `Capabilities.KubeVersion`, for helmCharts
    /// entries without a `kubeVersion`, as in kubectl kustomize.
    #[arg(long, value_name = "VERSION")]
    pub helm_kube_version: Option<String>,

    /// Accepted; no effect (kit's chart errors already name the template line).
    #[arg(long)]
    pub helm_debug: bool,

    /// Deprecated in kustomize (use `sortOptions`): `legacy` (the default order) or `none`
    /// (the order of the input); a kustomization's `sortOptions` wins.
    #[arg(long, value_name = "legacy|none")]
    pub reorder: Option<String>,

    /// Deprecated in kustomize (use `buildMetadata: [managedByLabel]`): label every object
    /// `app.kubernetes.io/managed-by: kustomize-v5.8.1` (also with
    /// KUSTOMIZE_ENABLE_MANAGEDBY_LABEL=on).
    #[arg(long)]
    pub enable_managedby_label: bool,

    /// Accepted; kit never runs plugins or KRM functions: a kustomization that declares an
    /// exec, container or Go plugin is refused with its file and line, flag or not.
    #[arg(long)]
    pub enable_alpha_plugins: bool,

    /// Refused: kit never runs exec functions (kustomize's alpha flag; `kubectl kustomize`
    /// does not have it either).
    #[arg(long)]
    pub enable_exec: bool,

    /// Accepted; no effect: for KRM functions, which kit does not run.
    #[arg(long)]
    pub network: bool,

    /// Accepted; no effect: for KRM functions, which kit does not run.
    #[arg(long, value_name = "NAME")]
    pub network_name: Option<String>,

    /// Accepted; no effect: for KRM functions, which kit does not run.
    #[arg(long, value_name = "OPTIONS")]
    pub mount: Vec<String>,

    /// Accepted; no effect: for KRM functions, which kit does not run.
    #[arg(short = 'e', long, value_name = "KEY=VALUE")]
    pub env: Vec<String>,

    /// Accepted; no effect: for KRM functions, which kit does not run.
    #[arg(long)]
    pub as_current_user: bool,
}

/// How remote inputs (git bases, HTTP files, charts from repositories and registries) are
/// resolved; one definition for every command that can reach them.
#[derive(Args, Debug, Clone, Default)]
pub struct RemoteArgs {
    /// Refuse remote inputs that `kit.lock` does not pin, and those that moved or changed on
    /// the remote since they were pinned (asks the remote: for CI).
    #[arg(long, conflicts_with = "offline")]
    pub locked: bool,

    /// Use no network: remote inputs come from `kit.lock` and the cache alone (an error names
    /// the entry that is missing).
    #[arg(long)]
    pub offline: bool,

    /// Do not announce on stderr what is fetched from the network.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct UpdateArgs {
    /// Kustomization directories whose `kit.lock` to write.
    #[arg(value_name = "DIR", default_value = ".")]
    pub roots: Vec<PathBuf>,

    /// Which files a kustomization may read: only under its own directory (default), or any.
    #[arg(long, value_enum, default_value_t = Restrictor::RootOnly)]
    pub load_restrictor: Restrictor,

    /// Do not announce on stderr what is fetched, nor what changed.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct VendorArgs {
    /// Kustomization directories whose remote inputs to copy.
    #[arg(value_name = "DIR", default_value = ".")]
    pub roots: Vec<PathBuf>,

    /// The vendor directory, relative to each kustomization (default: the one kit.lock
    /// names, else `vendor`). kit owns its `git/`, `http/` and `charts/` subdirectories.
    #[arg(long = "dir", value_name = "PATH")]
    pub dir: Option<PathBuf>,

    /// Which files a kustomization may read: only under its own directory (default), or any.
    #[arg(long, value_enum, default_value_t = Restrictor::RootOnly)]
    pub load_restrictor: Restrictor,

    /// Copy from kit.lock and the cache alone; fetch nothing.
    #[arg(long)]
    pub offline: bool,

    /// Do not announce on stderr what is fetched, nor what was copied.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct TemplateArgs {
    /// `[NAME] CHART`, as `helm template`: the release name (default `release-name`, or
    /// --name-template's) and the chart (a directory, or a packaged `.tgz`).
    #[arg(value_name = "ARGS", required = true, num_args = 1..)]
    pub args: Vec<String>,

    /// Make the release name with this Go template (Sprig's functions), e.g.
    /// `{{ randAlpha 6 | lower }}`; then CHART is the only argument.
    #[arg(long, value_name = "TEMPLATE")]
    pub name_template: Option<String>,

    /// Accepted as Helm accepts it: `helm template` names the release `release-name` all the
    /// same (with NAME given, this is an error).
    #[arg(short = 'g', long)]
    pub generate_name: bool,

    #[command(flatten)]
    pub values: ValueArgs,

    /// The release namespace (`release.namespace`); as in Helm, without it $HELM_NAMESPACE,
    /// else the kubeconfig context's namespace, else `default`.
    #[arg(short = 'n', long, value_name = "NS")]
    pub namespace: Option<String>,

    /// The kubeconfig whose context gives the release namespace when -n and $HELM_NAMESPACE
    /// give none (default: $KUBECONFIG, else ~/.kube/config); nothing else is read from it.
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,

    /// The kubeconfig context for the release namespace (default: $HELM_KUBECONTEXT, else
    /// the current context).
    #[arg(long, value_name = "NAME")]
    pub kube_context: Option<String>,

    /// Kubernetes version for `capabilities.kubeVersion` and Chart.yaml's kubeVersion check.
    #[arg(long, value_name = "VERSION")]
    pub kube_version: Option<String>,

    /// Extra API versions for `capabilities.apiVersions` (`group/version` or
    /// `group/version/Kind`; repeated or comma-separated).
    #[arg(short = 'a', long = "api-versions", value_name = "GV")]
    pub api_versions: Vec<String>,

    /// Print what this Helm major version prints: 3 (v3.17.2) or 4 (v4.1.4: Kubernetes
    /// v1.35.0 by default, --kube-version kept as given, webhook configurations in the
    /// install order, `.Chart` as a map, each alias of a dependency with its own subcharts).
    #[arg(long, value_name = "3|4", value_enum, default_value_t = HelmMajor::V3)]
    pub helm_version: HelmMajor,

    /// Only print the manifests of these templates (`templates/x.yaml`, globs allowed).
    #[arg(short = 's', long = "show-only", value_name = "TEMPLATE")]
    pub show_only: Vec<String>,

    /// Print the chart's CRDs (crds/) first.
    #[arg(long)]
    pub include_crds: bool,

    /// No effect on the output, as with Helm (it only stops `helm install` from installing
    /// CRDs): --include-crds decides whether CRDs are printed.
    #[arg(long)]
    pub skip_crds: bool,

    /// Do not check the values against the charts' values.schema.json.
    #[arg(long)]
    pub skip_schema_validation: bool,

    /// Write each template's manifests to DIR/chart/templates/... instead of printing (and
    /// print `wrote PATH` for each write, as Helm does).
    #[arg(long = "output-dir", value_name = "DIR")]
    pub output_dir: Option<PathBuf>,

    /// With --output-dir: write into DIR/NAME/ (the release name), as Helm does; the CRDs of
    /// --include-crds still go to DIR/.
    #[arg(long)]
    pub release_name: bool,

    /// Pipe the rendered manifests (CRDs and manifests; hooks are added after) through this
    /// program, as Helm does: it runs only when given, reads the whole render on stdin, and its
    /// stdout (at most 256 MiB) replaces it. A program name without `/` is looked up in PATH.
    #[arg(long, value_name = "PATH")]
    pub post_renderer: Option<PathBuf>,

    /// An argument to the --post-renderer program (repeatable).
    #[arg(long, value_name = "ARG", allow_hyphen_values = true)]
    pub post_renderer_args: Vec<String>,

    /// When the render fails, print what Helm prints with --debug on stdout: after a
    /// rendered template that is not valid YAML, every rendered template (`# Source:` each,
    /// sorted by template name, where Helm's order is random), so the invalid YAML can be
    /// read. The error still names the template line, and the exit code is still 2.
    #[arg(long)]
    pub debug: bool,

    #[command(flatten)]
    pub helm: HelmInstallArgs,

    /// Print the rendered templates/NOTES.txt after the manifests.
    #[arg(long)]
    pub notes: bool,

    /// Undefined values are errors (otherwise they render as empty).
    #[arg(long)]
    pub strict: bool,

    /// Set `release.isUpgrade` instead of `release.isInstall`.
    #[arg(long)]
    pub is_upgrade: bool,

    /// Leave out hooks (documents annotated `helm.sh/hook`).
    #[arg(long)]
    pub no_hooks: bool,

    /// Leave out test hooks (`helm.sh/hook: test`).
    #[arg(long)]
    pub skip_tests: bool,

    /// A chart from a repository or registry: pinned by `kit.lock` in the current directory.
    #[command(flatten)]
    pub remote: RemoteArgs,

    /// Resolve the chart of a repository or registry (and, with --dependency-update, the
    /// chart's dependencies) on the repository again, whatever `./kit.lock` pins, and write
    /// their pins into `./kit.lock` (its other entries kept): `kit update` for the charts
    /// that only `kit template` names. Then `--locked` and `--offline` render them.
    #[arg(long, conflicts_with_all = ["locked", "offline"])]
    pub update_lock: bool,
}

/// `helm template` flags for fetching charts and for `helm install`. Flags that matter only
/// to a cluster are accepted and have no effect on the output (as with `helm template`);
/// flags that need the network or a cluster are refused with what to do instead.
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "Helm compatibility")]
pub struct HelmInstallArgs {
    /// Refused: kit cannot reach a cluster to validate against (use `kit validate` offline).
    #[arg(long)]
    pub validate: bool,

    /// Only `client` (the default with the bare flag) and `true` are accepted: kit never
    /// contacts a cluster.
    #[arg(long, value_name = "MODE", num_args = 0..=1, require_equals = true, default_missing_value = "client")]
    pub dry_run: Option<String>,

    /// Refused: the template function getHostByName returns "" (kit does no DNS lookups).
    #[arg(long)]
    pub enable_dns: bool,

    /// When dependencies Chart.yaml lists are missing from charts/, fetch them (from the
    /// repository each names: URL, @NAME of repositories.yaml, oci://, file://) into kit's
    /// cache, pinned by ./kit.lock, and render with them. The chart's directory is not
    /// written to (Helm writes the archives into charts/ and a Chart.lock).
    #[arg(long)]
    pub dependency_update: bool,

    /// The chart repository to take CHART from (its index.yaml is read, the version
    /// resolved and the archive's digest checked; kit's cache keeps it). Ignored for a chart
    /// on disk, as Helm ignores it.
    #[arg(long, value_name = "URL")]
    pub repo: Option<String>,
    /// The chart version or semver range (`1.2.3`, `^1.2`, `>=1 <2`) for a chart of a
    /// repository or a registry; the latest stable version when not given.
    #[arg(long, value_name = "VERSION")]
    pub version: Option<String>,
    /// With no --version, take pre-release versions too (`>0.0.0-0`).
    #[arg(long)]
    pub devel: bool,
    /// Refused: kit does not check provenance files; run `helm verify CHART.tgz` first.
    #[arg(long)]
    pub verify: bool,
    /// See --verify (has no effect without it).
    #[arg(long, value_name = "FILE")]
    pub keyring: Option<String>,
    /// User name for the chart repository or registry (sent only to its host).
    #[arg(long, value_name = "USER")]
    pub username: Option<String>,
    /// Password for the chart repository or registry (sent only to its host).
    #[arg(long, value_name = "PASSWORD")]
    pub password: Option<String>,
    /// Trust only the certificates in this PEM file for the repository's HTTPS.
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<String>,
    /// Client certificate (PEM) for the repository's HTTPS.
    #[arg(long, value_name = "FILE")]
    pub cert_file: Option<String>,
    /// Client key (PEM) for the repository's HTTPS.
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<String>,
    /// Do not check the repository's TLS certificate.
    #[arg(long)]
    pub insecure_skip_tls_verify: bool,
    /// Talk plain HTTP to an OCI registry.
    #[arg(long)]
    pub plain_http: bool,
    /// Send --username/--password to every host the download reaches, not only the
    /// repository's own (Helm's rule; never on a redirect, in kit).
    #[arg(long)]
    pub pass_credentials: bool,
    /// Helm's repositories file, for REPO/CHART (default: $HELM_REPOSITORY_CONFIG, else
    /// ~/.config/helm/repositories.yaml).
    #[arg(long, value_name = "FILE")]
    pub repository_config: Option<PathBuf>,
    /// Helm's repository cache, whose NAME-index.yaml `helm repo update` wrote (default:
    /// $HELM_REPOSITORY_CACHE, else ~/.cache/helm/repository); without it kit downloads the
    /// index.
    #[arg(long, value_name = "DIR")]
    pub repository_cache: Option<PathBuf>,
    /// Registry credentials (`helm registry login`'s config.json; default:
    /// $HELM_REGISTRY_CONFIG, else ~/.config/helm/registry/config.json).
    #[arg(long, value_name = "FILE")]
    pub registry_config: Option<PathBuf>,

    /// No effect on the output (as with `helm template`).
    #[arg(long)]
    pub create_namespace: bool,
    /// No effect on the output (as with `helm template`); Helm v4's strategies are taken
    /// (`--wait=watcher`, `hookOnly`, `legacy`; `true` and `false` as v4 still takes them).
    #[arg(long, value_name = "STRATEGY", num_args = 0..=1, require_equals = true,
        default_missing_value = "watcher",
        value_parser = ["watcher", "hookOnly", "legacy", "true", "false"])]
    pub wait: Option<String>,
    /// No effect on the output (as with `helm template`).
    #[arg(long)]
    pub wait_for_jobs: bool,
    /// No effect on the output (as with `helm template`).
    #[arg(long)]
    pub atomic: bool,
    /// No effect on the output (as with `helm template`).
    #[arg(long)]
    pub force: bool,
    /// No effect on the output (as with `helm template`).
    #[arg(long)]
    pub replace: bool,
    /// No effect on the output (as with `helm template`).
    #[arg(long)]
    pub take_ownership: bool,
    /// Helm v4's: no effect on the output (as with `helm template`).
    #[arg(long)]
    pub force_conflicts: bool,
    /// Helm v4's: no effect on the output (as with `helm template`).
    #[arg(long)]
    pub force_replace: bool,
    /// Helm v4's: no effect on the output (as with `helm template`).
    #[arg(long)]
    pub rollback_on_failure: bool,
    /// Helm v4's (`--server-side=false` too): no effect on the output.
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true,
        default_missing_value = "true",
        value_parser = ["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"])]
    pub server_side: Option<String>,
    /// Helm v4's colored output setting: no effect (kit colours its errors itself; see
    /// NO_COLOR).
    #[arg(long, alias = "colour", value_name = "WHEN", value_parser = ["never", "auto", "always"])]
    pub color: Option<String>,
    /// Helm v4's content cache: no effect on a chart on disk (kit's cache holds what it
    /// downloads).
    #[arg(long, value_name = "DIR")]
    pub content_cache: Option<PathBuf>,
    /// No effect on the output (as with `helm template`).
    #[arg(long)]
    pub disable_openapi_validation: bool,
    /// No effect on the output (as with `helm template`).
    #[arg(long)]
    pub hide_notes: bool,
    /// No effect on the output (as with `helm template`).
    #[arg(long)]
    pub render_subchart_notes: bool,
    /// No effect on the output; a Go duration (`5m0s`), checked as Helm checks it.
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,
    /// No effect on the output (the release's description).
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// Release labels `k=v,k2=v2`: no effect on the output; checked as Helm checks them.
    #[arg(short = 'l', long, value_name = "KEY=VALUE")]
    pub labels: Vec<String>,
    /// Helm's cluster connection flag: no effect (`helm template` contacts no cluster).
    #[arg(long, value_name = "URL")]
    pub kube_apiserver: Option<String>,
    /// Helm's cluster connection flag: no effect (`helm template` contacts no cluster).
    #[arg(long, value_name = "GROUP")]
    pub kube_as_group: Vec<String>,
    /// Helm's cluster connection flag: no effect (`helm template` contacts no cluster).
    #[arg(long, value_name = "USER")]
    pub kube_as_user: Option<String>,
    /// Helm's cluster connection flag: no effect (`helm template` contacts no cluster).
    #[arg(long, value_name = "FILE")]
    pub kube_ca_file: Option<PathBuf>,
    /// Helm's cluster connection flag: no effect (`helm template` contacts no cluster).
    #[arg(long)]
    pub kube_insecure_skip_tls_verify: bool,
    /// Helm's cluster connection flag: no effect (`helm template` contacts no cluster).
    #[arg(long, value_name = "NAME")]
    pub kube_tls_server_name: Option<String>,
    /// Helm's cluster connection flag: no effect (`helm template` contacts no cluster).
    #[arg(long, value_name = "TOKEN")]
    pub kube_token: Option<String>,
    /// Helm's client throttling flag: no effect (`helm template` contacts no cluster).
    #[arg(long, value_name = "N")]
    pub burst_limit: Option<i64>,
    /// Helm's client throttling flag: no effect (`helm template` contacts no cluster).
    #[arg(long, value_name = "N")]
    pub qps: Option<f32>,
}

/// Where a chart's values come from (shared by `kit template` and `kit chart lint`).
#[derive(Args, Debug, Clone, Default)]
pub struct ValueArgs {
    /// Values files, merged in order (later files win); `-` reads standard input, an
    /// http(s) URL is downloaded. Repeat the flag or separate files with commas, as Helm does.
    #[arg(
        short = 'f',
        long = "values",
        value_name = "FILE",
        value_delimiter = ','
    )]
    pub values: Vec<PathBuf>,

    /// Set values: `a.b=c,list[0]=x,l={a,b}` (numbers, booleans and null are typed).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,

    /// Set values as strings (no typing).
    #[arg(long = "set-string", value_name = "KEY=VALUE")]
    pub set_string: Vec<String>,

    /// Set values from files: `key=path` takes the file's text as the value.
    #[arg(long = "set-file", value_name = "KEY=PATH")]
    pub set_file: Vec<String>,

    /// Set values as JSON: `key={"a":1}`, `key=[1,2]`, or a whole JSON object.
    #[arg(long = "set-json", value_name = "KEY=JSON")]
    pub set_json: Vec<String>,

    /// Set one value as a literal string: everything after the first `=` (commas, braces,
    /// backslashes included), never typed. Applied last.
    #[arg(long = "set-literal", value_name = "KEY=VALUE")]
    pub set_literal: Vec<String>,
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    #[command(subcommand)]
    pub command: CreateCommand,
}

#[derive(Subcommand, Debug)]
pub enum CreateCommand {
    /// A new chart in directory NAME, like `helm create`'s: Go templates that render the
    /// same with `kit template` and `helm template`, or Jinja with `--dialect jinja`.
    Chart {
        /// The directory to create; its name is the chart's name.
        #[arg(value_name = "NAME")]
        path: PathBuf,

        /// The templates' language.
        #[arg(long, value_enum, default_value_t = TemplateDialect::Go)]
        dialect: TemplateDialect,
    },
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum TemplateDialect {
    /// Go templates with Sprig's and Helm's functions, as every Helm chart is.
    Go,
    /// Jinja (kit only): Chart.yaml declares it with `kit.dev/template-dialect: jinja`.
    Jinja,
}

#[derive(Args, Debug)]
pub struct ChartArgs {
    #[command(subcommand)]
    pub command: ChartCommand,
}

#[derive(Subcommand, Debug)]
pub enum ChartCommand {
    /// Check charts as `helm lint` does: Chart.yaml, values and schema, templates render,
    /// rendered objects are well formed.
    Lint(ChartLintArgs),
}

#[derive(Args, Debug)]
pub struct ChartLintArgs {
    /// Chart directories (or packaged .tgz charts).
    #[arg(value_name = "CHART", default_value = ".")]
    pub charts: Vec<PathBuf>,

    #[command(flatten)]
    pub values: ValueArgs,

    /// The release namespace the templates see.
    #[arg(short = 'n', long, value_name = "NS", default_value = "default")]
    pub namespace: String,

    /// Kubernetes version for `capabilities.kubeVersion` and Chart.yaml's kubeVersion check.
    #[arg(long, value_name = "VERSION")]
    pub kube_version: Option<String>,

    /// Undefined values are errors.
    #[arg(long)]
    pub strict: bool,

    /// Exit with code 1 on warnings too (not only errors).
    #[arg(long)]
    pub fail_on_warning: bool,
}

/// The Helm major version whose output to reproduce.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum HelmMajor {
    /// Helm v3.17.
    #[default]
    #[value(name = "3", alias = "v3")]
    V3,
    /// Helm v4.1.
    #[value(name = "4", alias = "v4")]
    V4,
}

impl From<HelmMajor> for crate::chart::HelmVersion {
    fn from(major: HelmMajor) -> Self {
        match major {
            HelmMajor::V3 => crate::chart::HelmVersion::V3,
            HelmMajor::V4 => crate::chart::HelmVersion::V4,
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Yaml,
    Json,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Restrictor {
    /// Files only in or below the kustomization's directory (kustomize's default).
    #[value(
        name = "LoadRestrictionsRootOnly",
        alias = "rootOnly",
        alias = "root-only"
    )]
    RootOnly,
    /// Files anywhere (kustomize's spelling; `none` is accepted too).
    #[value(name = "LoadRestrictionsNone", alias = "none")]
    None,
}

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// Directory to write `kit.bash`, `_kit`, `kit.fish`, `_kit.ps1`, `kit.1` and one man
    /// page per command (`kit-build.1`, ...) into.
    #[arg(value_name = "DIR", default_value = "completions")]
    pub dir: PathBuf,
}
