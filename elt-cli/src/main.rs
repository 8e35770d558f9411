//! `elt`: the command line for vendors of ELT time reports.
//!
//! ```sh
//! elt check REPORT.xml...          # findings and the hours the agency counts; exit 1 on an error
//! elt check --json REPORT.xml...   # the same as JSON
//! ```
//!
//! This file holds only the command-line grammar and the dispatch; each subcommand lives in
//! its own module.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;

/// Check, sign and send ELT time reports (Försäkringskassan's SkickaTidredovisning).
#[derive(Debug, Parser)]
#[command(name = "elt", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check time reports beyond the schema and print the hours the agency will count.
    ///
    /// Exit status: 0 when no file has an error finding (warnings allowed), 1 when one has,
    /// 2 when a file cannot be read as a Tidredovisning.
    Check(check::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check::run(&args),
    }
}
