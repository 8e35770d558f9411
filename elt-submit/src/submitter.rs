//! The submitter: one report at a time through the journal and the generated client.

use std::error::Error as StdError;
use std::fmt;

use elt_soap::{Error as SoapError, Fault, SendAttempt};
use elt_types::client::{
    SKICKA_TIDREDOVISNING, SkickaTidredovisningFault, SkickaTidredovisningResponderPortClient,
};
use elt_types::service::SkickaTidredovisningType;
use tracing::Instrument as _;
use tracing::field::Empty;

use crate::error::JournalError;
use crate::journal::{Finish, Journal, NewReport};
use crate::state::State;

/// A boxed error from a report's own code (building its request).
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// A signed report ready to send: what the journal records about it, and its request.
pub trait Submittable {
    /// The report's `id`.
    fn id(&self) -> &str;
    /// Lower-case hex SHA-256 of the signed report.
    fn digest(&self) -> &str;
    /// `redovisningsmanad`, `YYYY-MM`.
    fn month(&self) -> &str;
    /// Personnummer of the person with assistance.
    fn person(&self) -> &str;
    /// Personnummer or samordningsnummer of the assistant.
    fn assistant(&self) -> &str;
    /// The `SkickaTidredovisning` request carrying the report's exact signed bytes and both
    /// signatures. An error (say, a signature that does not carry this report's payload) means
    /// the report is not sent.
    fn request(&self) -> Result<SkickaTidredovisningType, BoxError>;
}

/// What became of one report. Reports whose outcome is not [`Outcome::Accepted`] or one of the
/// `Already*` skips need a person's attention.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Sent and answered with a `tx-id`.
    Accepted {
        /// The agency's `tx-id`.
        tx_id: String,
    },
    /// Sent and answered with a fault: not registered.
    Rejected {
        /// `XmlValidationError`, `SignatureValidationError`, or the SOAP fault code.
        code: String,
        /// The fault's message.
        message: String,
    },
    /// Sent, but no usable answer: it may have been registered. Not sent again until resolved.
    Unknown {
        /// What happened.
        reason: String,
    },
    /// Not sent: accepted before (this run or an earlier one).
    AlreadyAccepted {
        /// Its `tx-id`, if known.
        tx_id: Option<String>,
    },
    /// Not sent: its state is `unknown` from an earlier run and needs `resolve`.
    AwaitingResolution,
    /// Not sent: rejected before; `resolve --resend` queues it again.
    AlreadyRejected {
        /// The earlier fault's message.
        message: String,
    },
    /// Not sent: refused before sending (changed after signing, a request that cannot be
    /// built, a file that cannot be read).
    Refused {
        /// Why.
        reason: String,
    },
}

impl Outcome {
    /// Whether the report is accepted (now or before).
    pub fn is_accepted(&self) -> bool {
        matches!(
            self,
            Outcome::Accepted { .. } | Outcome::AlreadyAccepted { .. }
        )
    }

    /// A short name: `accepted`, `rejected`, `unknown`, `already accepted`, `awaiting
    /// resolution`, `already rejected`, `refused`.
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Accepted { .. } => "accepted",
            Outcome::Rejected { .. } => "rejected",
            Outcome::Unknown { .. } => "unknown",
            Outcome::AlreadyAccepted { .. } => "already accepted",
            Outcome::AwaitingResolution => "awaiting resolution",
            Outcome::AlreadyRejected { .. } => "already rejected",
            Outcome::Refused { .. } => "refused",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Accepted { tx_id } => write!(f, "accepted, tx-id {tx_id}"),
            Outcome::Rejected { code, message } => write!(f, "rejected: {code}: {message}"),
            Outcome::Unknown { reason } => write!(f, "unknown: {reason}"),
            Outcome::AlreadyAccepted { tx_id: Some(tx) } => {
                write!(f, "already accepted, tx-id {tx}")
            }
            Outcome::AlreadyAccepted { tx_id: None } => write!(f, "already accepted"),
            Outcome::AwaitingResolution => write!(
                f,
                "unknown from an earlier run: not sent again until resolved \
                 (resolve ID --accepted TX-ID or --resend)"
            ),
            Outcome::AlreadyRejected { message } => {
                write!(f, "rejected in an earlier run ({message}); not sent again")
            }
            Outcome::Refused { reason } => write!(f, "refused, not sent: {reason}"),
        }
    }
}

/// Why a batch stopped early (a single [`Submitter::submit`] returns it as its error). The
/// report concerned is left `queued`, except where said otherwise.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// The journal failed; what was being sent, if anything, stays `sending` in the file and
    /// becomes `unknown` when it is opened next.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// The agency refused a call for calling too often. The call was not processed; the
    /// report stays `queued`. Sending more now risks being shut off.
    #[error(
        "the service refused report {id} for the call rate ({message}); the batch is stopped, \
         the report stays queued: wait, then run again"
    )]
    RateLimited {
        /// The report refused.
        id: String,
        /// The server's message.
        message: String,
    },
    /// The request provably did not leave (no connection could be made, after the client's
    /// retries, or TLS failed before the request). The report stays `queued`; the others
    /// would fail the same way, so the batch stops.
    #[error("report {id} could not be sent, nothing reached the service: {message}")]
    NotSent {
        /// The report.
        id: String,
        /// The error.
        message: String,
    },
}

/// One report's result in a batch: its id when known, and what became of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemResult {
    /// The report's id, or `None` for an item the batch could not read.
    pub id: Option<String>,
    /// What became of it.
    pub outcome: Outcome,
}

/// Counts of a batch so far; what the progress callback and the batch's end report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Items taken from the iterator.
    pub done: u64,
    /// Sent and accepted in this run.
    pub accepted: u64,
    /// Sent and rejected in this run.
    pub rejected: u64,
    /// Sent without a usable answer in this run.
    pub unknown: u64,
    /// Accepted in an earlier run: skipped.
    pub already_accepted: u64,
    /// Unknown from an earlier run: skipped, awaiting resolution.
    pub awaiting_resolution: u64,
    /// Rejected in an earlier run: skipped.
    pub already_rejected: u64,
    /// Refused before sending.
    pub refused: u64,
}

impl Counts {
    fn add(&mut self, outcome: &Outcome) {
        self.done += 1;
        let counter = match outcome {
            Outcome::Accepted { .. } => &mut self.accepted,
            Outcome::Rejected { .. } => &mut self.rejected,
            Outcome::Unknown { .. } => &mut self.unknown,
            Outcome::AlreadyAccepted { .. } => &mut self.already_accepted,
            Outcome::AwaitingResolution => &mut self.awaiting_resolution,
            Outcome::AlreadyRejected { .. } => &mut self.already_rejected,
            Outcome::Refused { .. } => &mut self.refused,
        };
        *counter += 1;
    }

    /// Whether every item so far is accepted (now or before).
    pub fn all_accepted(&self) -> bool {
        self.accepted + self.already_accepted == self.done
    }
}

/// How a batch ended.
#[derive(Debug)]
pub struct BatchSummary {
    /// What happened to the items taken.
    pub counts: Counts,
    /// Why it stopped before the iterator's end, if it did.
    pub stopped: Option<SubmitError>,
}

/// Sends reports one at a time, journaling each step.
///
/// Every call goes through the client's rate limiter (one call per second by default) and its
/// retry policy (which retries only calls that provably did not leave). Calls run one after
/// another, never in parallel.
#[derive(Debug)]
pub struct Submitter {
    client: SkickaTidredovisningResponderPortClient,
    journal: Journal,
}

impl Submitter {
    /// A submitter sending with `client` and journaling in `journal`.
    pub fn new(client: SkickaTidredovisningResponderPortClient, journal: Journal) -> Self {
        Self { client, journal }
    }

    /// The journal.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// The journal, for resolving or listing after the batch.
    pub fn into_journal(self) -> Journal {
        self.journal
    }

    /// Sends one report unless the journal says it must not be: journals it as `queued`, waits
    /// for the client's rate-limit slot, commits `sending`, calls, and commits the outcome.
    ///
    /// Per-report results (rejected, unknown, refused, skipped) are the [`Outcome`]; an error
    /// is what should stop a batch.
    pub async fn submit<R: Submittable + ?Sized>(
        &mut self,
        report: &R,
    ) -> Result<Outcome, SubmitError> {
        let span = tracing::info_span!(
            "elt.submit",
            report_id = report.id(),
            month = report.month(),
            attempt = Empty,
            tx_id = Empty,
            outcome = Empty,
        );
        let result = self.submit_in(report, &span).instrument(span.clone()).await;
        match &result {
            Ok(outcome) => {
                span.record("outcome", outcome.name());
                if let Outcome::Accepted { tx_id }
                | Outcome::AlreadyAccepted { tx_id: Some(tx_id) } = outcome
                {
                    span.record("tx_id", tx_id.as_str());
                }
                span.in_scope(|| tracing::info!(outcome = %outcome, "report done"));
            }
            Err(e) => {
                span.record("outcome", "stopped");
                span.in_scope(|| tracing::warn!(error = %e, "batch stops"));
            }
        }
        result
    }

    async fn submit_in<R: Submittable + ?Sized>(
        &mut self,
        report: &R,
        span: &tracing::Span,
    ) -> Result<Outcome, SubmitError> {
        let new = NewReport {
            id: report.id(),
            digest: report.digest(),
            month: report.month(),
            person: report.person(),
            assistant: report.assistant(),
        };
        let entry = match self.journal.admit(&new) {
            Ok(entry) => entry,
            Err(e @ (JournalError::DigestMismatch { .. } | JournalError::InvalidValue { .. })) => {
                return Ok(Outcome::Refused {
                    reason: e.to_string(),
                });
            }
            Err(e) => return Err(e.into()),
        };
        match entry.state {
            State::Queued => {}
            State::Accepted => {
                return Ok(Outcome::AlreadyAccepted { tx_id: entry.tx_id });
            }
            // A `sending` row cannot be seen here: opening the journal turned it into
            // `unknown`, and nobody else can have the journal open.
            State::Unknown | State::Sending => return Ok(Outcome::AwaitingResolution),
            State::Rejected => {
                return Ok(Outcome::AlreadyRejected {
                    message: entry.fault_message.unwrap_or_default(),
                });
            }
        }
        let request = match report.request() {
            Ok(request) => request,
            Err(e) => {
                return Ok(Outcome::Refused {
                    reason: format!("its request could not be built: {e}"),
                });
            }
        };

        let id = report.id();
        // `sending` is committed inside the client's call, once the rate limiter's slot is
        // held and right before the bytes leave: a crash while waiting for the limiter leaves
        // the report `queued` (it never left), not `unknown`. A retry of an attempt that
        // provably was not sent closes that attempt as `not sent` and journals the next.
        let journal = &mut self.journal;
        let mut current: Option<u32> = None;
        let before_send = |send: &SendAttempt<'_>| {
            if let (Some(previous), Some(error)) = (current, send.retrying_after) {
                let reason = format!("not sent, trying again: {error}");
                let finish = Finish::NotSent {
                    reason: &reason,
                    response: None,
                };
                journal.finish(id, previous, finish)?;
            }
            let attempt = journal.begin_send(id)?;
            span.record("attempt", attempt);
            current = Some(attempt);
            Ok::<(), JournalError>(())
        };
        let exchange = self
            .client
            .soap()
            .exchange_with_before_send(&SKICKA_TIDREDOVISNING, &[], &request, before_send)
            .await?;
        let Some(attempt) = current else {
            // The call ended before its first attempt: the request could not be serialized.
            let reason = match exchange.result {
                Err(e) => format!("its request could not be serialized: {e}"),
                Ok(_) => "the call ended without sending".to_owned(),
            };
            return Ok(Outcome::Refused { reason });
        };
        let body = exchange.response_body.as_deref();
        match classify(exchange.result) {
            Classified::Accepted(tx_id) => {
                let finish = Finish::Accepted {
                    tx_id: &tx_id,
                    response: body.unwrap_or_default(),
                };
                self.journal.finish(id, attempt, finish)?;
                Ok(Outcome::Accepted { tx_id })
            }
            Classified::Rejected { code, message } => {
                let finish = Finish::Rejected {
                    code: &code,
                    message: &message,
                    response: body,
                };
                self.journal.finish(id, attempt, finish)?;
                Ok(Outcome::Rejected { code, message })
            }
            Classified::Unknown(reason) => {
                let finish = Finish::Unknown {
                    reason: &reason,
                    response: body,
                };
                self.journal.finish(id, attempt, finish)?;
                Ok(Outcome::Unknown { reason })
            }
            Classified::RateLimited(message) => {
                let reason = format!("refused for the call rate, not processed: {message}");
                let finish = Finish::NotSent {
                    reason: &reason,
                    response: body,
                };
                self.journal.finish(id, attempt, finish)?;
                Err(SubmitError::RateLimited {
                    id: id.to_owned(),
                    message,
                })
            }
            Classified::NotSent(message) => {
                let finish = Finish::NotSent {
                    reason: &message,
                    response: body,
                };
                self.journal.finish(id, attempt, finish)?;
                Err(SubmitError::NotSent {
                    id: id.to_owned(),
                    message,
                })
            }
        }
    }

    /// Sends every report `reports` yields, in order, one at a time; the iterator is read
    /// lazily, so memory does not grow with the batch. `progress` is called after each item
    /// with its result and the counts so far.
    ///
    /// An `Err` item (a file that could not be read, say) is counted as refused and the batch
    /// goes on. The batch stops early on a [`SubmitError`]: the service refused a call for its
    /// rate, nothing could be sent, or the journal failed.
    pub async fn submit_batch<I, R, E, P>(&mut self, reports: I, mut progress: P) -> BatchSummary
    where
        I: IntoIterator<Item = Result<R, E>>,
        R: Submittable,
        E: fmt::Display,
        P: FnMut(&ItemResult, &Counts),
    {
        let mut counts = Counts::default();
        for item in reports {
            let result = match item {
                Ok(report) => match self.submit(&report).await {
                    Ok(outcome) => ItemResult {
                        id: Some(report.id().to_owned()),
                        outcome,
                    },
                    Err(e) => {
                        return BatchSummary {
                            counts,
                            stopped: Some(e),
                        };
                    }
                },
                Err(e) => ItemResult {
                    id: None,
                    outcome: Outcome::Refused {
                        reason: e.to_string(),
                    },
                },
            };
            counts.add(&result.outcome);
            progress(&result, &counts);
        }
        BatchSummary {
            counts,
            stopped: None,
        }
    }
}

/// A call's result sorted by what it means for the report.
#[derive(Debug, PartialEq, Eq)]
enum Classified {
    Accepted(String),
    Rejected { code: String, message: String },
    Unknown(String),
    RateLimited(String),
    NotSent(String),
}

/// Sorts a call's result. The rule: only an answer from the service decides `accepted` or
/// `rejected`; only proof that nothing left (or the service's word that it did not process the
/// call) makes it `queued` again; everything else is `unknown`.
fn classify(
    result: Result<
        elt_types::service::SkickaTidredovisningResponseType,
        SoapError<SkickaTidredovisningFault>,
    >,
) -> Classified {
    match result {
        Ok(response) => Classified::Accepted(response.tx_id),
        Err(SoapError::Fault { detail, .. }) => match detail {
            SkickaTidredovisningFault::XmlValidationError(d) => Classified::Rejected {
                code: "XmlValidationError".to_owned(),
                message: d.message,
            },
            SkickaTidredovisningFault::SignatureValidationError(d) => Classified::Rejected {
                code: "SignatureValidationError".to_owned(),
                message: d.message,
            },
        },
        Err(SoapError::UndeclaredFault(fault)) => {
            if is_rate_fault(&fault) {
                Classified::RateLimited(fault.reason)
            } else if is_server_fault(&fault) {
                // The service failed while handling it: it may have registered the report.
                Classified::Unknown(format!("the service answered with a server fault: {fault}"))
            } else {
                Classified::Rejected {
                    code: fault.code.clone(),
                    message: fault.reason,
                }
            }
        }
        Err(SoapError::Http { status: 429, .. }) => {
            Classified::RateLimited("HTTP 429 Too Many Requests".to_owned())
        }
        // No connection, or TLS failed in the handshake: nothing was written (after the
        // client's retries).
        Err(e) if e.request_not_sent() => Classified::NotSent(e.to_string()),
        Err(e) => Classified::Unknown(format!(
            "no usable answer, the report may have arrived: {e}"
        )),
    }
}

/// Whether `fault` is the service refusing a call for its rate: a fault without declared
/// detail, coded as the server's, whose reason speaks of the rate. The agency's exact wording
/// is not published; this reads English and Swedish phrasings.
fn is_rate_fault(fault: &Fault) -> bool {
    let reason = fault.reason.to_lowercase();
    is_server_fault(fault)
        && [
            "call rate",
            "rate limit",
            "too many",
            "för många",
            "throttl",
        ]
        .iter()
        .any(|needle| reason.contains(needle))
}

/// Whether the fault code is SOAP 1.1 `Server` or SOAP 1.2 `Receiver`.
fn is_server_fault(fault: &Fault) -> bool {
    fault.code.ends_with("}Server") || fault.code.ends_with("}Receiver")
}

#[cfg(test)]
mod tests {
    use super::*;
    use elt_soap::SoapVersion;

    fn fault(code: &str, reason: &str) -> Fault {
        Fault {
            version: SoapVersion::Soap11,
            http_status: 500,
            code: format!("{{http://schemas.xmlsoap.org/soap/envelope/}}{code}"),
            reason: reason.to_owned(),
            detail_xml: None,
        }
    }

    #[test]
    fn rate_faults_are_server_faults_about_the_rate() {
        assert!(is_rate_fault(&fault(
            "Server",
            "call rate exceeded: at most 1 calls per second per client"
        )));
        assert!(is_rate_fault(&fault("Server", "För många anrop")));
        assert!(!is_rate_fault(&fault("Client", "call rate exceeded")));
        assert!(!is_rate_fault(&fault("Server", "internal error")));
    }

    #[test]
    fn faults_sort_by_what_they_mean_for_the_report() {
        assert_eq!(
            classify(Err(SoapError::UndeclaredFault(fault(
                "Client",
                "unknown SOAPAction"
            )))),
            Classified::Rejected {
                code: "{http://schemas.xmlsoap.org/soap/envelope/}Client".to_owned(),
                message: "unknown SOAPAction".to_owned()
            }
        );
        assert!(matches!(
            classify(Err(SoapError::UndeclaredFault(fault("Server", "boom")))),
            Classified::Unknown(_)
        ));
        assert!(matches!(
            classify(Err(SoapError::Http {
                status: 502,
                body: Default::default()
            })),
            Classified::Unknown(_)
        ));
        assert!(matches!(
            classify(Err(SoapError::Http {
                status: 429,
                body: Default::default()
            })),
            Classified::RateLimited(_)
        ));
        assert!(matches!(
            classify(Err(SoapError::InvalidResponse {
                status: 200,
                message: "truncated".into(),
                body: Default::default()
            })),
            Classified::Unknown(_)
        ));
    }
}
