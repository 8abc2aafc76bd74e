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
    man_pages(Cli::command(), "kit", &mut out);
    out
}

/// `kit.1` and one page per subcommand (`kit-build.1`, `kit-chart-lint.1`, ...): the pages
/// `kit.1`'s SEE ALSO names.
fn man_pages(cmd: clap::Command, name: &str, out: &mut Vec<(String, Vec<u8>)>) {
    let cmd = cmd
        .display_name(name.to_string())
        .bin_name(name.replace('-', " "))
        .disable_help_subcommand(true);
    let mut page = Vec::new();
    if clap_mangen::Man::new(cmd.clone()).render(&mut page).is_ok() {
        out.push((format!("{name}.1"), page));
    }
    for sub in cmd.get_subcommands() {
        if sub.get_name() != "help" && !sub.is_hide_set() {
            man_pages(sub.clone(), &format!("{name}-{}", sub.get_name()), out);
        }
    }
}

/// `kit completion SHELL`: the completion script on stdout, as `kubectl completion` and
/// `helm completion` print theirs (`source <(kit completion bash)`).
pub fn completion(shell: Shell) -> ExitStatus {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "kit", &mut buf);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match out.write_all(&buf).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => ExitStatus::InputError,
        _ => ExitStatus::Success,
    }
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
