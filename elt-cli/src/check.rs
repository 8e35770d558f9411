//! `elt check FILE...`: the findings of [`elt_report::check()`] and the hours summary of each
//! file, as text or JSON.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use elt_report::{Finding, SignedReport, Summary};
use serde::Serialize;

/// Arguments of `elt check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Time report files (`Tidredovisning` documents).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Print one JSON document: `{"files": [{"file", "id", "digest", "findings", "summary"} or
    /// {"file", "error"}], "errors": N, "warnings": N}`.
    #[arg(long)]
    json: bool,
}

/// The result for one file.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum FileResult {
    Checked {
        file: String,
        id: String,
        digest: String,
        findings: Vec<Finding>,
        summary: Summary,
    },
    Unreadable {
        file: String,
        error: String,
    },
}

#[derive(Debug, Serialize)]
struct Output {
    files: Vec<FileResult>,
    errors: usize,
    warnings: usize,
}

fn check_file(path: &PathBuf) -> FileResult {
    let file = path.display().to_string();
    let report = std::fs::read(path)
        .map_err(|e| format!("cannot read the file: {e}"))
        .and_then(|bytes| SignedReport::from_bytes(bytes).map_err(|e| e.to_string()));
    match report {
        Ok(report) => FileResult::Checked {
            file,
            id: report.id().to_owned(),
            digest: report.digest().to_owned(),
            findings: elt_report::check(report.report()),
            summary: report.summary(),
        },
        Err(error) => FileResult::Unreadable { file, error },
    }
}

fn print_text(out: &mut impl std::io::Write, result: &FileResult) -> std::io::Result<()> {
    match result {
        FileResult::Unreadable { file, error } => {
            writeln!(out, "{file}: error: {error}")?;
        }
        FileResult::Checked {
            file,
            id,
            digest,
            findings,
            summary,
        } => {
            for f in findings {
                writeln!(
                    out,
                    "{file}: {}: {} [{}] {}",
                    f.severity, f.path, f.rule, f.message
                )?;
            }
            let errors = findings
                .iter()
                .filter(|f| f.severity == elt_report::Severity::Error)
                .count();
            let warnings = findings.len() - errors;
            writeln!(
                out,
                "{file}: report {id}, month {}, digest {digest}: {errors} error(s), {warnings} warning(s)",
                summary.month
            )?;
            writeln!(
                out,
                "  day         aktivTid  vanteTid  beredskapsTid  total"
            )?;
            for d in &summary.days {
                writeln!(
                    out,
                    "  {}  {:>8}  {:>8}  {:>13}  {:>5}",
                    d.date,
                    d.hours.aktiv_tid,
                    d.hours.vante_tid,
                    d.hours.beredskaps_tid,
                    d.hours.total
                )?;
            }
            let t = &summary.total;
            writeln!(
                out,
                "  month       {:>8}  {:>8}  {:>13}  {:>5}",
                t.aktiv_tid, t.vante_tid, t.beredskaps_tid, t.total
            )?;
            if !summary.rows_left_out.is_empty() {
                let rows: Vec<String> = summary
                    .rows_left_out
                    .iter()
                    .map(|r| r.to_string())
                    .collect();
                writeln!(
                    out,
                    "  rows left out of the sums (see the errors above): {}",
                    rows.join(", ")
                )?;
            }
        }
    }
    Ok(())
}

/// Runs `elt check`.
pub fn run(args: &Args) -> ExitCode {
    let results: Vec<FileResult> = args.files.iter().map(check_file).collect();
    let mut errors = 0;
    let mut warnings = 0;
    let mut unreadable = false;
    for r in &results {
        match r {
            FileResult::Checked { findings, .. } => {
                let e = findings
                    .iter()
                    .filter(|f| f.severity == elt_report::Severity::Error)
                    .count();
                errors += e;
                warnings += findings.len() - e;
            }
            FileResult::Unreadable { .. } => unreadable = true,
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = if args.json {
        let output = Output {
            files: results,
            errors,
            warnings,
        };
        serde_json::to_writer_pretty(&mut out, &output)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out))
    } else {
        results.iter().try_for_each(|r| print_text(&mut out, r))
    };
    if let Err(e) = written {
        eprintln!("error: writing the output: {e}");
        return ExitCode::from(2);
    }
    if unreadable {
        ExitCode::from(2)
    } else if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
