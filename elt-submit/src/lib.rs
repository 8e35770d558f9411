//! Sending a month of ELT time reports: a durable journal, nothing lost, nothing sent twice,
//! at the agency's one call per second.
//!
//! A report is not idempotent: sending it twice creates two submissions. So every report goes
//! through a [`Journal`] (one SQLite file the user names) before and after its call:
//!
//! - `queued` when first seen; `sending` committed to disk (WAL, `synchronous=FULL`) before a
//!   byte of the request leaves, once the call holds its rate-limit slot (a crash while waiting
//!   for the limiter leaves it `queued`); then `accepted` with the `tx-id`, `rejected` with the fault's
//!   message, or `unknown` when the request may have arrived but no answer was read. The raw
//!   response is kept.
//! - A `sending` row found when the journal is opened belongs to a process that ended mid-call:
//!   it becomes `unknown`.
//! - `accepted` and `unknown` reports are never sent again automatically; an `unknown` one
//!   waits for [`Journal::resolve_accepted`] (the agency confirms it arrived, with its tx-id)
//!   or [`Journal::resolve_resend`].
//! - A report whose id is journaled with another digest (changed after signing) is refused.
//! - One process at a time: a journal in use is reported as locked at once.
//!
//! The [`Submitter`] sends through the generated client
//! (`elt_types::client::SkickaTidredovisningResponderPortClient`), whose `elt_soap::Client`
//! carries the rate limit and the retry policy (only calls that provably did not leave, no
//! connection or a failed TLS handshake, are retried; each attempt is journaled). [`Submitter::submit_batch`] streams reports from an iterator, one call at a time,
//! with a progress callback; a rate fault from the service stops the batch. What it sends is
//! a [`Submittable`]: [`SignedSubmission`] is an `elt_report::SignedReport` with its two BankID
//! signatures (`NAME.xml` beside `NAME.signatures.json`, read by [`SignedSubmission::load`]).
//!
//! ```
//! use elt_submit::{Finish, Journal, NewReport, State};
//!
//! # let dir = std::env::temp_dir().join(format!("elt-submit-doctest-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir).unwrap();
//! let path = dir.join("2026-09.journal");
//! # let _ = std::fs::remove_file(&path);
//! let mut journal = Journal::create(&path)?;
//! let report = NewReport {
//!     id: "3f2c8a1e-5b7d-4c9a-9e21-7d4b6a0c1f58",
//!     digest: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
//!     month: "2026-09",
//!     person: "191212121212",
//!     assistant: "201212121212",
//! };
//! assert_eq!(journal.admit(&report)?.state, State::Queued);
//! let attempt = journal.begin_send(report.id)?; // durable before anything is sent
//! // ... the call ...
//! journal.finish(report.id, attempt, Finish::Accepted {
//!     tx_id: "14e81789-715d-497b-b63c-eada732800eb",
//!     response: b"<SkickaTidredovisningResponse .../>",
//! })?;
//! let entry = journal.get(report.id)?.expect("journaled");
//! assert_eq!(entry.state, State::Accepted);
//! assert_eq!(entry.tx_id.as_deref(), Some("14e81789-715d-497b-b63c-eada732800eb"));
//!
//! // The same id with another digest: changed after signing, refused.
//! let changed = NewReport { digest: "0000000000000000000000000000000000000000000000000000000000000000", ..report };
//! assert!(journal.admit(&changed).is_err());
//! # drop(journal);
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), elt_submit::JournalError>(())
//! ```

mod error;
mod journal;
mod signed;
mod state;
mod submitter;
pub mod testing;

pub use error::JournalError;
pub use journal::{
    APPLICATION_ID, Attempt, Entry, Filter, Finish, Journal, NewReport, SCHEMA_VERSION,
};
pub use signed::{LoadError, SignedSubmission, signatures_path};
pub use state::{State, UnknownState};
pub use submitter::{
    BatchSummary, BoxError, Counts, ItemResult, Outcome, SubmitError, Submittable, Submitter,
};
