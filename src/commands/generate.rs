//! `kit generate`: completions and man page from the clap definitions.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cli, GenerateArgs};
use crate::diag::ExitStatus;

/// Every generated file: name and content.
pub fn files() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell] {
        let mut cmd = Cli::command();
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut cmd, "kit", &mut buf);
        let name = match shell {
            Shell::Bash => "kit.bash",
            Shell::Zsh => "_kit",
            Shell::Fish => "kit.fish",
            _ => "_kit.ps1",
        };
        out.push((name.to_string(), buf));
    }
    let mut man = Vec::new();
    if clap_mangen::Man::new(Cli::command())
        .render(&mut man)
        .is_ok()
    {
        out.push(("kit.1".to_string(), man));
    }
    out
}

pub fn run(args: &GenerateArgs) -> ExitStatus {
    if let Err(e) = std::fs::create_dir_all(&args.dir) {
        let _ = writeln!(
            std::io::stderr(),
            "error: cannot create {}: {e}",
            args.dir.display()
        );
        return ExitStatus::InputError;
    }
    for (name, content) in files() {
        let path = args.dir.join(name);
        if let Err(e) = std::fs::write(&path, content) {
            let _ = writeln!(
                std::io::stderr(),
                "error: cannot write {}: {e}",
                path.display()
            );
            return ExitStatus::InputError;
        }
    }
    ExitStatus::Success
}
