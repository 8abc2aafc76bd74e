//! Command-line definitions (clap). Help, completions and the man page all come from here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(name = "kit", version, about = "Kubernetes manifest toolkit: build, validate, lint, diff, apply", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Render kustomizations exactly like `kubectl kustomize` (directories, files or `-`).
    Build(BuildArgs),
    /// Write shell completions and the man page (kept in the repository's completions/).
    Generate(GenerateArgs),
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// Kustomization directories, plain directories of manifests, files, or `-` for stdin.
    /// Several roots render in parallel; output keeps argument order.
    #[arg(value_name = "PATH", default_value = ".")]
    pub roots: Vec<PathBuf>,

    /// Write one file per resource into this directory (one subdirectory per root when
    /// there are several roots) instead of printing.
    #[arg(short = 'o', long = "output-dir", value_name = "DIR")]
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
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Yaml,
    Json,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Restrictor {
    #[value(
        name = "rootOnly",
        alias = "LoadRestrictionsRootOnly",
        alias = "root-only"
    )]
    RootOnly,
    #[value(name = "none", alias = "LoadRestrictionsNone")]
    None,
}

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// Directory to write `kit.bash`, `_kit`, `kit.fish`, `_kit.ps1` and `kit.1` into.
    #[arg(value_name = "DIR", default_value = "completions")]
    pub dir: PathBuf,
}
