//! `elt submit`: send signed reports through the journal, one call at a time at the agency's
//! rate, with a progress bar on a terminal (plain lines otherwise) and a table at the end.

use std::cell::RefCell;
use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use elt_submit::{BatchSummary, Counts, ItemResult, Journal, Outcome, SignedSubmission, Submitter};
use elt_types::client::SkickaTidredovisningResponderPortClient;
use elt_types::elt_soap::{self, RetryPolicy};
use indicatif::{ProgressBar, ProgressStyle};

/// Arguments of `elt submit`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The service URL (the agency's, or a test environment's).
    #[arg(long, value_name = "URL")]
    endpoint: String,
    /// The vendor's client certificate and key (PKCS#12, as Expisoft issues them).
    #[arg(long, value_name = "FILE.p12")]
    identity: PathBuf,
    /// The environment variable holding the PKCS#12 password (never given on the command line).
    #[arg(long, value_name = "VAR")]
    password_env: String,
    /// Trust only this CA (PEM) for the server's certificate, instead of the built-in roots.
    #[arg(long, value_name = "FILE")]
    ca: Option<PathBuf>,
    /// The journal (SQLite) recording what was sent and what came back.
    #[arg(long, value_name = "FILE")]
    journal: PathBuf,
    /// Create the journal if it does not exist. Without it a missing journal is an error, so
    /// that a mistyped path cannot start a fresh journal and send a month again.
    #[arg(long)]
    new_journal: bool,
    /// Least time between two calls, in milliseconds; the agency asks for about one call per
    /// second (the default). Lower it only against a mock; 0 turns the limit off.
    #[arg(long, value_name = "MILLISECONDS", default_value_t = 1000)]
    interval_ms: u64,
    /// Time allowed for one call, in seconds; a call that takes longer ends `unknown`.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    timeout: u64,
    /// Tries of a call that provably was not sent: no connection could be made, or TLS failed
    /// in the handshake (so trying again is safe); other failures are never retried.
    #[arg(long, value_name = "N", default_value_t = 3)]
    connect_attempts: u32,
    /// Signed reports: `NAME.xml` files, each with `NAME.signatures.json` beside it, or
    /// directories (their `*.xml` files, by name).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

/// An error before anything is sent.
#[derive(Debug, thiserror::Error)]
enum SetupError {
    #[error("{0}; nothing was sent")]
    Journal(elt_submit::JournalError),
    #[error(
        "journal {} does not exist; nothing was sent (pass --new-journal to start a new one)",
        .0.display()
    )]
    JournalMissing(PathBuf),
    #[error("the environment variable {0} (--password-env) is not set; nothing was sent")]
    Password(String),
    #[error("{}: {source}; nothing was sent", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}; nothing was sent")]
    Client(elt_soap::BuildError),
    #[error("{}: not a .xml file or a directory; nothing was sent", .0.display())]
    NotAReport(PathBuf),
    #[error("starting the runtime: {0}; nothing was sent")]
    Runtime(std::io::Error),
}

/// Runs `elt submit`: 0 when every report is accepted, 1 when one is not, 2 when nothing could
/// be sent (bad arguments, a missing, locked, corrupt or read-only journal, an unreadable
/// identity).
pub fn run(args: &Args) -> ExitCode {
    match setup_and_send(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("elt submit: {e}");
            ExitCode::from(2)
        }
    }
}

fn setup_and_send(args: &Args) -> Result<ExitCode, SetupError> {
    // The journal first: a journal that cannot be used means nothing else is looked at.
    let journal = if args.new_journal {
        Journal::create(&args.journal)
    } else {
        Journal::open(&args.journal)
    }
    .map_err(|e| match e {
        elt_submit::JournalError::Missing { path } => SetupError::JournalMissing(path),
        e => SetupError::Journal(e),
    })?;
    if journal.recovered() > 0 {
        eprintln!(
            "elt submit: {} report(s) were being sent when an earlier run ended; they are now \
             unknown and will not be sent again until resolved (elt journal list --state unknown)",
            journal.recovered()
        );
    }
    let password = std::env::var(&args.password_env)
        .map_err(|_| SetupError::Password(args.password_env.clone()))?;
    let read = |path: &Path| {
        std::fs::read(path).map_err(|source| SetupError::Read {
            path: path.to_path_buf(),
            source,
        })
    };
    let mut builder = elt_soap::Client::builder(&args.endpoint)
        .identity_pkcs12(read(&args.identity)?, &password)
        .request_timeout(Duration::from_secs(args.timeout.max(1)))
        .rate_limit(Some(Duration::from_millis(args.interval_ms)))
        .retry(RetryPolicy::attempts(args.connect_attempts.max(1)));
    if let Some(ca) = &args.ca {
        builder = builder
            .add_root_ca_pem(read(ca)?)
            .trust_built_in_roots(false);
    }
    let client =
        SkickaTidredovisningResponderPortClient::new(builder.build().map_err(SetupError::Client)?);
    let files = expand(&args.paths)?;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(SetupError::Runtime)?;
    let submitter = Submitter::new(client, journal);
    Ok(runtime.block_on(send(submitter, files)))
}

/// The report files named by `paths`: files as given, directories' `*.xml` files by name.
fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, SetupError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|source| SetupError::Read {
                path: path.clone(),
                source,
            })?;
            let mut found = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|source| SetupError::Read {
                    path: path.clone(),
                    source,
                })?;
                let p = entry.path();
                if p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")) {
                    found.push(p);
                }
            }
            found.sort();
            files.extend(found);
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
        {
            files.push(path.clone());
        } else {
            return Err(SetupError::NotAReport(path.clone()));
        }
    }
    Ok(files)
}

/// A report that needs attention, for the table at the end.
struct Attention {
    file: PathBuf,
    id: Option<String>,
    outcome: Outcome,
}

/// How progress is shown.
enum Display {
    Bar(ProgressBar),
    Lines { total: usize },
}

impl Display {
    fn new(total: usize) -> Self {
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total as u64);
            let style = ProgressStyle::with_template(
                "{bar:40} {pos}/{len} reports, {per_sec}, {eta} left  {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            Display::Bar(bar)
        } else {
            Display::Lines { total }
        }
    }

    fn item(&self, file: &Path, item: &ItemResult, counts: &Counts) {
        match self {
            Display::Bar(bar) => {
                bar.set_position(counts.done);
                bar.set_message(format!(
                    "{} accepted, {} rejected, {} unknown",
                    counts.accepted + counts.already_accepted,
                    counts.rejected,
                    counts.unknown
                ));
                if !item.outcome.is_accepted() {
                    bar.println(line(file, item));
                }
            }
            Display::Lines { total } => {
                eprintln!("[{}/{total}] {}", counts.done, line(file, item));
            }
        }
    }

    fn finish(&self) {
        if let Display::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

fn line(file: &Path, item: &ItemResult) -> String {
    match &item.id {
        Some(id) => format!("{} ({id}): {}", file.display(), item.outcome),
        None => format!("{}: {}", file.display(), item.outcome),
    }
}

async fn send(mut submitter: Submitter, files: Vec<PathBuf>) -> ExitCode {
    let total = files.len();
    let display = Display::new(total);

    // Ctrl-C: finish the call under way, then stop (a second Ctrl-C ends at once; the report
    // in flight then becomes unknown).
    let stop = Arc::new(AtomicBool::new(false));
    let stop_signal = stop.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            stop_signal.store(true, Ordering::SeqCst);
            eprintln!("elt submit: stopping after the report under way (Ctrl-C again to quit now)");
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        }
    });

    let current = Rc::new(RefCell::new(PathBuf::new()));
    let reports = {
        let current = current.clone();
        let stop = stop.clone();
        files.into_iter().map_while(move |file| {
            if stop.load(Ordering::SeqCst) {
                return None;
            }
            let loaded = SignedSubmission::load(&file);
            *current.borrow_mut() = file;
            Some(loaded)
        })
    };
    let mut attention = Vec::new();
    let summary = submitter
        .submit_batch(reports, |item, counts| {
            let file = current.borrow();
            display.item(&file, item, counts);
            if !item.outcome.is_accepted() {
                attention.push(Attention {
                    file: file.clone(),
                    id: item.id.clone(),
                    outcome: item.outcome.clone(),
                });
            }
        })
        .await;
    display.finish();
    let interrupted = stop.load(Ordering::SeqCst);
    let ok = summary.stopped.is_none()
        && !interrupted
        && summary.counts.all_accepted()
        && summary.counts.done == total as u64;
    print_table(&summary, total, &attention, interrupted);
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn print_table(summary: &BatchSummary, total: usize, attention: &[Attention], interrupted: bool) {
    let c = &summary.counts;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut write = || -> std::io::Result<()> {
        writeln!(out, "{:<28} {:>7}", "reports", total)?;
        for (name, n) in [
            ("accepted", c.accepted),
            ("accepted before", c.already_accepted),
            ("rejected", c.rejected),
            ("rejected before", c.already_rejected),
            ("unknown", c.unknown),
            ("unknown before (resolve)", c.awaiting_resolution),
            ("refused, not sent", c.refused),
        ] {
            if n > 0 || name == "accepted" {
                writeln!(out, "{name:<28} {n:>7}")?;
            }
        }
        let not_reached = total as u64 - c.done;
        if not_reached > 0 {
            writeln!(out, "{:<28} {:>7}", "not sent (batch stopped)", not_reached)?;
        }
        if !attention.is_empty() {
            writeln!(out)?;
            writeln!(
                out,
                "{:<40} {:<36} {:<20} reason",
                "file", "report", "outcome"
            )?;
            for a in attention {
                let reason = match &a.outcome {
                    Outcome::Rejected { code, message } => format!("{code}: {message}"),
                    Outcome::Unknown { reason } => reason.clone(),
                    Outcome::AlreadyRejected { message } => message.clone(),
                    Outcome::Refused { reason } => reason.clone(),
                    Outcome::AwaitingResolution => {
                        "resolve with elt journal resolve ID --accepted TX-ID | --resend".to_owned()
                    }
                    Outcome::Accepted { .. } | Outcome::AlreadyAccepted { .. } => String::new(),
                };
                writeln!(
                    out,
                    "{:<40} {:<36} {:<20} {reason}",
                    a.file.display(),
                    a.id.as_deref().unwrap_or("-"),
                    a.outcome.name()
                )?;
            }
        }
        if c.unknown + c.awaiting_resolution > 0 {
            writeln!(out)?;
            writeln!(
                out,
                "unknown reports are never sent again by themselves: ask the agency, then \
                 `elt journal resolve ID --accepted TX-ID` or `--resend`"
            )?;
        }
        if let Some(stop) = &summary.stopped {
            writeln!(out)?;
            writeln!(out, "stopped: {stop}")?;
        } else if interrupted {
            writeln!(out)?;
            writeln!(
                out,
                "stopped: interrupted (Ctrl-C); run again to send the rest"
            )?;
        }
        Ok(())
    };
    if let Err(e) = write() {
        eprintln!("elt submit: writing the table: {e}");
    }
}
