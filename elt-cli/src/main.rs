//! `elt`: the command line for vendors of ELT time reports.
//!
//! ```sh
//! elt check REPORT.xml...          # findings and the hours the agency counts; exit 1 on an error
//! elt check --json REPORT.xml...   # the same as JSON
//! elt submit --endpoint URL --identity FILE.p12 --password-env VAR [--ca FILE] --journal FILE PATH...
//! elt journal list [--month YYYY-MM] [--state S] [--json] --journal FILE
//! elt journal show ID --journal FILE
//! elt journal resolve ID --accepted TX-ID | --resend --journal FILE
//! ```
//!
//! This file holds only the command-line grammar and the dispatch; each subcommand lives in
//! its own module.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
mod journal;
mod submit;

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
    /// Send signed reports (NAME.xml with NAME.signatures.json) through the journal, one call
    /// at a time at the agency's rate; nothing is sent twice.
    ///
    /// Exit status: 0 when every report is accepted (now or in an earlier run), 1 when one is
    /// not (rejected, unknown, refused, or the batch stopped), 2 when nothing could be sent.
    Submit(submit::Args),
    /// Read the journal of `elt submit`, and resolve reports whose fate is unknown.
    Journal(journal::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Submit(args) => submit::run(&args),
        Command::Journal(args) => journal::run(&args),
    }
}
