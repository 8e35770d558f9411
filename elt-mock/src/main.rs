//! `elt-mock`: write test certificates, or serve the mock ELT service until killed.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use elt_mock::{
    DeclaredFault, Misbehaviour, MockConfig, Outcome, PayloadFormat, Received, Selection,
    SignatureCheck,
};

/// A mock of Försäkringskassan's ELT service (SkickaTidredovisning) over mutual TLS.
#[derive(Debug, Parser)]
#[command(name = "elt-mock", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a fresh test CA, server and client certificates into DIR: ca.pem, server.pem,
    /// server.key, client.pem, client.key and client.p12 (password "elt-mock").
    Certs {
        /// The directory to write (created if missing; existing files are replaced).
        dir: PathBuf,
    },
    /// Write BankID-shaped test signatures for a report into DIR: assistant-signature.xml,
    /// assistant-ocsp.der, provider-signature.xml and provider-ocsp.der, for the `submit`
    /// example's `--assistant-signature` ... options. They carry the report's payload, so the
    /// strict mock accepts them; they are NOT signatures and the agency refuses them.
    TestSignatures {
        /// The time report (a `Tidredovisning` document) to make them for.
        #[arg(long, value_name = "REPORT.xml")]
        report: PathBuf,
        /// The directory to write (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Serve the mock until killed. The first line on stdout is `listening on https://HOST:PORT`.
    Serve {
        /// The address to listen on; port 0 picks a free port.
        #[arg(long, default_value = "127.0.0.1:8020")]
        listen: SocketAddr,
        /// A directory written by `elt-mock certs`.
        #[arg(long)]
        certs: PathBuf,
        /// The most calls per second one client may make (fractions allowed); 0 means no limit.
        #[arg(long, value_name = "CALLS_PER_SECOND", default_value_t = 1.0, value_parser = parse_rate)]
        rate: f64,
        /// Misbehave: read and register the request carrying report ID (a tx-id is made and
        /// logged), then close the connection without answering. Repeatable; `*` for every
        /// request.
        #[arg(long, value_name = "ID")]
        drop_after_read: Vec<String>,
        /// Misbehave: wait this many milliseconds before answering each request.
        #[arg(long, value_name = "MILLISECONDS")]
        delay_ms: Option<u64>,
        /// Misbehave: answer the report ID with a declared fault instead of accepting it:
        /// `ID=xml:MESSAGE` (XmlValidationError) or `ID=signature:MESSAGE`
        /// (SignatureValidationError). Repeatable.
        #[arg(long, value_name = "ID=KIND:MESSAGE", value_parser = parse_fault)]
        fault: Vec<(String, DeclaredFault)>,
        /// `strict` (default): each signature document must carry the report's payload, as
        /// `elt_report` builds it; `lenient`: any non-empty bytes, e.g. the `submit` example's
        /// placeholders.
        #[arg(long, value_name = "strict|lenient", default_value = "strict", value_parser = parse_signatures)]
        signatures: SignatureCheck,
        /// How one report's entry is written in `usrNonVisibleData`, with `{id}` and `{digest}`:
        /// the `PayloadFormat` the vendor signs with (`elt_report`'s default if not given).
        #[arg(long, value_name = "TEMPLATE", default_value = "{id},{digest}", value_parser = parse_entry)]
        payload_entry: String,
        /// What joins the entries of several reports in one signature.
        #[arg(long, value_name = "SEPARATOR", default_value = ";")]
        payload_separator: String,
    },
}

fn parse_entry(s: &str) -> Result<String, String> {
    // Without both placeholders no signature could name this report: every strict check
    // would fail, which is a mistake in the command line, not a test of the client.
    if s.contains("{id}") && s.contains("{digest}") {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "{s:?}: expected a template with both {{id}} and {{digest}}"
        ))
    }
}

fn parse_fault(s: &str) -> Result<(String, DeclaredFault), String> {
    let (id, fault) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?} is not ID=xml:MESSAGE or ID=signature:MESSAGE"))?;
    if id.is_empty() {
        return Err(format!("{s:?} names no report id before '='"));
    }
    Ok((id.to_owned(), fault.parse()?))
}

/// The misbehaviour the `serve` flags ask for.
fn misbehaviour(
    drop_after_read: Vec<String>,
    delay_ms: Option<u64>,
    fault: Vec<(String, DeclaredFault)>,
) -> Misbehaviour {
    let drop_after_read = if drop_after_read.iter().any(|id| id == "*") {
        Selection::All
    } else if drop_after_read.is_empty() {
        Selection::None
    } else {
        Selection::ReportIds(drop_after_read.into_iter().collect::<BTreeSet<_>>())
    };
    Misbehaviour {
        drop_after_read,
        delay: delay_ms.map(Duration::from_millis),
        faults: fault.into_iter().collect::<BTreeMap<_, _>>(),
    }
}

fn parse_signatures(s: &str) -> Result<SignatureCheck, String> {
    match s {
        "strict" => Ok(SignatureCheck::Strict),
        "lenient" => Ok(SignatureCheck::Lenient),
        _ => Err(format!("{s:?}: expected strict or lenient")),
    }
}

fn parse_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(r) if r.is_finite() && r >= 0.0 => Ok(r),
        _ => Err(format!(
            "{s:?} is not a number of calls per second (0 or more)"
        )),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Certs { dir } => certs(dir),
        Command::TestSignatures { report, out } => test_signatures(&report, &out),
        Command::Serve {
            listen,
            certs,
            rate,
            drop_after_read,
            delay_ms,
            fault,
            signatures,
            payload_entry,
            payload_separator,
        } => serve(MockConfig {
            listen,
            certs_dir: certs,
            rate_per_second: Some(rate),
            misbehaviour: misbehaviour(drop_after_read, delay_ms, fault),
            signatures,
            payload_format: PayloadFormat {
                entry: payload_entry,
                separator: payload_separator,
            },
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("elt-mock: {e}");
            ExitCode::FAILURE
        }
    }
}

fn certs(dir: PathBuf) -> Result<(), Box<dyn std::error::Error>> {
    let paths = elt_mock::write_certs(&dir)?;
    for path in [
        &paths.ca_cert,
        &paths.server_cert,
        &paths.server_key,
        &paths.client_cert,
        &paths.client_key,
        &paths.client_p12,
    ] {
        println!("wrote {}", path.display());
    }
    println!(
        "client certificate CN={}; client.p12 password {:?}",
        elt_mock::CLIENT_COMMON_NAME,
        elt_mock::P12_PASSWORD
    );
    Ok(())
}

fn test_signatures(
    report: &std::path::Path,
    out: &std::path::Path,
) -> Result<(), Box<dyn std::error::Error>> {
    use elt_report::testing;
    let bytes = std::fs::read(report).map_err(|e| format!("reading {}: {e}", report.display()))?;
    let signed = elt_report::SignedReport::from_bytes(bytes)?;
    let format = elt_report::PayloadFormat::default();
    let payload = format.payload(&[&signed]);
    let visible = elt_report::signing::visible_text(&[&signed]);
    let now = elt_report::jiff::Timestamp::now();
    std::fs::create_dir_all(out).map_err(|e| format!("creating {}: {e}", out.display()))?;
    for who in ["assistant", "provider"] {
        let files = [
            (
                format!("{who}-signature.xml"),
                testing::signature_document(&visible, &payload),
            ),
            (format!("{who}-ocsp.der"), testing::ocsp_response(now)),
        ];
        for (name, content) in files {
            let path = out.join(name);
            std::fs::write(&path, content)
                .map_err(|e| format!("writing {}: {e}", path.display()))?;
            println!("wrote {}", path.display());
        }
    }
    println!(
        "test signatures (not BankID signatures) of report {} with payload {payload:?}",
        signed.id()
    );
    Ok(())
}

fn serve(config: MockConfig) -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let server = elt_mock::start(config).await?;
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on https://{}", server.local_addr())?;
        stdout.flush()?;
        drop(stdout);
        eprintln!("elt-mock: service URL {}", server.url());

        let mut events = server.subscribe();
        let logger = tokio::spawn(async move {
            loop {
                match events.recv().await {
                    Ok(received) => eprintln!("{}", log_line(&received)),
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                        eprintln!("elt-mock: {n} requests not logged (log output too slow)");
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                }
            }
        });

        wait_for_termination().await?;
        server.shutdown().await;
        logger.abort();
        Ok(())
    })
}

/// One line per request on stderr, for a person watching the mock.
fn log_line(r: &Received) -> String {
    let who = r
        .client_subject
        .as_deref()
        .unwrap_or("no client certificate");
    let what = match &r.outcome {
        Outcome::Accepted(s) => format!("accepted, tx-id {}", s.tx_id),
        Outcome::AnswerDropped(s) => {
            format!(
                "registered with tx-id {}, connection dropped unanswered",
                s.tx_id
            )
        }
        Outcome::XmlValidationError(m) => format!("XmlValidationError: {m}"),
        Outcome::SignatureValidationError(m) => format!("SignatureValidationError: {m}"),
        Outcome::ClientFault(m) => format!("Client fault: {m}"),
        Outcome::RateLimited => "refused: call rate exceeded".to_owned(),
        Outcome::HttpError(m) => m.clone(),
    };
    let report = r
        .report_id
        .as_deref()
        .map(|id| format!(" report {id}:"))
        .unwrap_or_default();
    format!(
        "{} {} from {} ({who}):{report} {} {what}",
        r.method, r.path, r.peer, r.status
    )
}

/// Until Ctrl-C, or SIGTERM on Unix.
async fn wait_for_termination() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r,
            _ = term.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}
