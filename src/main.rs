use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = kit::cli::Cli::parse();
    let status = kit::commands::run(cli);
    std::process::ExitCode::from(status as u8)
}
