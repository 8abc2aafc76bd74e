use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    kit::stack::use_large_stacks_for_rayon();
    kit::stack::run_program(run)
}

fn run() -> std::process::ExitCode {
    let cli = match kit::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap exits 0 for --help and --version and 2 for usage errors; `kit diff`
            // keeps 1 for "changes found" and 2 apart, so its usage errors exit 3.
            let code = e.exit_code();
            let diff = std::env::args_os().nth(1).is_some_and(|a| a == "diff");
            let code = if code != 0 && diff {
                kit::diag::ExitStatus::DIFF_ERROR as i32
            } else {
                code
            };
            return std::process::ExitCode::from(u8::try_from(code).unwrap_or(2));
        }
    };
    let status = kit::commands::run(cli);
    std::process::ExitCode::from(status as u8)
}
