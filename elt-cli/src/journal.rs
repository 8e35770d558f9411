//! `elt journal list | show | resolve`: what the journal of `elt submit` holds, and the
//! decisions only a person can make about reports whose fate is unknown.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use elt_submit::{Entry, Filter, Journal, JournalError, State};

/// Arguments of `elt journal`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The journal file (default: the environment variable ELT_JOURNAL).
    #[arg(long, global = true, value_name = "FILE")]
    journal: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// List the journaled reports: id, month, state, attempts, tx-id or fault, last change.
    List {
        /// Only this month (`YYYY-MM`).
        #[arg(long, value_name = "YYYY-MM")]
        month: Option<String>,
        /// Only this state: queued, sending, accepted, rejected or unknown.
        #[arg(long, value_name = "STATE")]
        state: Option<State>,
        /// Print a JSON array of entries instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show one report: every field, each call made, and the last raw response.
    Show {
        /// The report id.
        id: String,
    },
    /// Decide what became of an `unknown` report (after asking the agency).
    Resolve(ResolveArgs),
}

#[derive(Debug, clap::Args)]
struct ResolveArgs {
    /// The report id.
    id: String,
    /// The agency has the report: record it as accepted with this tx-id.
    #[arg(
        long,
        value_name = "TX-ID",
        conflicts_with = "resend",
        required_unless_present = "resend"
    )]
    accepted: Option<String>,
    /// The agency does not have it (or it was rejected and the cause is fixed): queue it so
    /// the next `elt submit` sends it once more.
    #[arg(long)]
    resend: bool,
}

/// Runs `elt journal`: 0 on success, 2 on an error (missing, locked or corrupt journal, an
/// unknown id, a report in the wrong state).
pub fn run(args: &Args) -> ExitCode {
    let path = match args
        .journal
        .clone()
        .or_else(|| std::env::var_os("ELT_JOURNAL").map(PathBuf::from))
    {
        Some(path) => path,
        None => {
            eprintln!("elt journal: name the journal with --journal FILE (or ELT_JOURNAL)");
            return ExitCode::from(2);
        }
    };
    let result = match &args.command {
        Command::List { month, state, json } => list(&path, month.clone(), *state, *json),
        Command::Show { id } => show(&path, id),
        Command::Resolve(r) => resolve(&path, r),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("elt journal: {e}");
            ExitCode::from(2)
        }
    }
}

/// An error of `elt journal`.
#[derive(Debug, thiserror::Error)]
enum Error {
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("writing the output: {0}")]
    Output(#[from] std::io::Error),
}

fn list(
    path: &PathBuf,
    month: Option<String>,
    state: Option<State>,
    json: bool,
) -> Result<(), Error> {
    let journal = Journal::open_read_only(path)?;
    let entries = journal.list(&Filter { month, state })?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &entries).map_err(std::io::Error::other)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<36}  {:<7}  {:<8}  {:>3}  {:<24}  result",
        "id", "month", "state", "try", "updated"
    )?;
    for e in &entries {
        writeln!(
            out,
            "{:<36}  {:<7}  {:<8}  {:>3}  {:<24}  {}",
            e.id,
            e.month,
            e.state,
            e.attempts,
            e.updated_at,
            result_text(e)
        )?;
    }
    writeln!(out, "{} report(s)", entries.len())?;
    Ok(())
}

/// The tx-id, the fault, or the note of an entry.
fn result_text(e: &Entry) -> String {
    match e.state {
        State::Accepted => format!("tx-id {}", e.tx_id.as_deref().unwrap_or("?")),
        State::Rejected => format!(
            "{}: {}",
            e.fault_code.as_deref().unwrap_or("fault"),
            e.fault_message.as_deref().unwrap_or("")
        ),
        State::Sending => "a call was under way when the journal was last closed; it becomes \
                           unknown when the journal is next opened for writing"
            .to_owned(),
        State::Queued | State::Unknown => e.note.clone().unwrap_or_default(),
    }
}

fn show(path: &PathBuf, id: &str) -> Result<(), Error> {
    let journal = Journal::open_read_only(path)?;
    let entry = journal
        .get(id)?
        .ok_or_else(|| JournalError::NotFound { id: id.to_owned() })?;
    let attempts = journal.attempts(id)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let field = |name: &str, value: Option<&str>| format!("{name:<14} {}", value.unwrap_or("-"));
    for line in [
        field("id", Some(&entry.id)),
        field("state", Some(entry.state.as_str())),
        field("month", Some(&entry.month)),
        field("person", Some(&entry.person)),
        field("assistant", Some(&entry.assistant)),
        field("digest", Some(&entry.digest)),
        field("tx-id", entry.tx_id.as_deref()),
        field("fault", entry.fault_code.as_deref()),
        field("fault message", entry.fault_message.as_deref()),
        field("note", entry.note.as_deref()),
        field("journaled", Some(&entry.created_at)),
        field("updated", Some(&entry.updated_at)),
    ] {
        writeln!(out, "{line}")?;
    }
    writeln!(out, "{:<14} {}", "attempts", entry.attempts)?;
    for a in &attempts {
        writeln!(
            out,
            "  #{} {} -> {}: {} {}",
            a.attempt,
            a.started_at,
            a.finished_at.as_deref().unwrap_or("(no end recorded)"),
            a.outcome.as_deref().unwrap_or("under way"),
            a.detail.as_deref().unwrap_or("")
        )?;
    }
    match &entry.response {
        Some(body) => {
            writeln!(out, "response ({} bytes):", body.len())?;
            writeln!(out, "{}", String::from_utf8_lossy(body))?;
        }
        None => writeln!(out, "response: none received")?,
    }
    Ok(())
}

fn resolve(path: &PathBuf, args: &ResolveArgs) -> Result<(), Error> {
    let mut journal = Journal::open(path)?;
    let entry = match (&args.accepted, args.resend) {
        (Some(tx_id), _) => journal.resolve_accepted(&args.id, tx_id)?,
        (None, _) => journal.resolve_resend(&args.id)?,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match entry.state {
        State::Accepted => writeln!(
            out,
            "{}: accepted, tx-id {}",
            entry.id,
            entry.tx_id.as_deref().unwrap_or("?")
        )?,
        _ => writeln!(
            out,
            "{}: queued; the next elt submit with this report sends it once more",
            entry.id
        )?,
    }
    Ok(())
}
