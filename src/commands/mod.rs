//! Commands compose the pipeline stages; nothing else does.

pub mod apply;
pub mod build;
pub mod chart;
pub mod dependencies;
pub mod diff;
pub mod generate;
pub mod lint;
pub mod live_diff;
pub mod template;
pub mod update;
pub mod validate;
pub mod vendor;

use crate::cli::{Cli, Command};
use crate::diag::ExitStatus;

pub fn run(cli: Cli) -> ExitStatus {
    match cli.command {
        Command::Build(args) => build::run(&args),
        Command::Template(args) => template::run(&args),
        Command::Chart(args) => chart::run(&args),
        Command::Create(args) => chart::create(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Apply(args) => apply::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Rules(args) => lint::rules(&args),
        Command::Explain(args) => lint::explain(&args),
        Command::Generate(args) => generate::run(&args),
        Command::Completion { shell } => generate::completion(shell),
        Command::Update(args) => update::run(&args),
        Command::Vendor(args) => vendor::run(&args),
    }
}

/// Reads stdin once when one of the roots is `-` (several `-` roots share the text).
pub fn stdin_for(roots: &[std::path::PathBuf]) -> Result<Option<String>, crate::diag::Diag> {
    use std::io::Read;
    if !roots.iter().any(|r| r == std::path::Path::new("-")) {
        return Ok(None);
    }
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).map_err(|e| {
        crate::diag::Diag::error("kit::load::stdin", format!("cannot read stdin: {e}"))
    })?;
    Ok(Some(s))
}

/// The `--load-restrictor` flag as the builder takes it.
fn load_restrictor(flag: crate::cli::Restrictor) -> crate::resolve::LoadRestrictor {
    match flag {
        crate::cli::Restrictor::RootOnly => crate::resolve::LoadRestrictor::RootOnly,
        crate::cli::Restrictor::None => crate::resolve::LoadRestrictor::None,
    }
}
