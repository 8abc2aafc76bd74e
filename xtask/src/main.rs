//! Repository tasks.
//!
//! `cargo xtask schemas [OPENAPI_DIR]` regenerates `schemas/kubernetes.txt` from
//! `OPENAPI_DIR/vX.Y/definitions.json.gz` (default `../shared/openapi`), one version per
//! folder, oldest first. The binary embeds the file; nothing reads OPENAPI_DIR at build time.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    match args.first().map(String::as_str) {
        Some("schemas") => {
            let dir = args
                .get(1)
                .map(PathBuf::from)
                .unwrap_or_else(|| root.join("../shared/openapi"));
            match schemas(&dir, &root.join("schemas/kubernetes.txt")) {
                Ok(msg) => {
                    println!("{msg}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!("usage: cargo xtask schemas [OPENAPI_DIR]");
            ExitCode::from(2)
        }
    }
}

fn schemas(dir: &Path, out: &Path) -> Result<String, String> {
    let inputs = read_definitions(dir)?;
    let text = kit::schema::store::build(&inputs)?;
    std::fs::write(out, &text).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(format!(
        "wrote {} ({} bytes, versions {})",
        out.display(),
        text.len(),
        inputs
            .iter()
            .map(|(v, _)| v.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    ))
}

/// Every `vX.Y/definitions.json.gz` under `dir`, by version, oldest first.
pub fn read_definitions(dir: &Path) -> Result<Vec<(String, serde_json::Value)>, String> {
    kit::schema::store::read_openapi_dir(dir, &|path| {
        let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut text = String::new();
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut text)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(text)
    })
}
