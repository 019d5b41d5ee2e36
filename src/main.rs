//! The `newsgrid` binary: parse flags, run the library, map the result to an exit code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("NEWSGRID_LOG").unwrap_or_else(|_| "warn".into()))
        .init();
    let cli = newsgrid::cli::Cli::parse();
    match newsgrid::cli::execute(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
