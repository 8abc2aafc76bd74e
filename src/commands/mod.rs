//! Commands compose the pipeline stages; nothing else does.

pub mod build;
pub mod generate;
pub mod lint;
pub mod validate;

use crate::cli::{Cli, Command};
use crate::diag::ExitStatus;

pub fn run(cli: Cli) -> ExitStatus {
    match cli.command {
        Command::Build(args) => build::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Rules(args) => lint::rules(&args),
        Command::Explain(args) => lint::explain(&args),
        Command::Generate(args) => generate::run(&args),
    }
}
