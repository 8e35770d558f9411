//! Prepare a month's ELT time report before it is signed and sent: checks beyond the schema,
//! the hours the agency will count, and the BankID signing payload.
//!
//! `elt-types` lets a vendor build a `Tidredovisning` the XSD accepts, but the XSD accepts a lot
//! that is wrong (day 30 in February, `25.99`, a bad check digit, overlapping rows, a time that
//! never existed on the night the clocks go forward). This crate finds those
//! ([`check()`]), sums the hours the way the agency says it does, as real elapsed time in
//! Europe/Stockholm ([`hours`]), and prepares signing with BankID ([`signing`]).
//!
//! - [`ids`]: personnummer, samordningsnummer and organisationsnummer, from the forms people
//!   type to the schema's forms, each error naming the rule;
//! - [`check()`]: every [`Finding`] with severity, element path, rule and message;
//! - [`hours`]: minutes per kind and in total, per day and for the month, with the switch
//!   nights counted as they really are (00.00–04.00 is 3 hours in March, 5 in October) and the
//!   rule for the repeated October hour stated there;
//! - [`c14n`]: Canonical XML 1.0, whose SHA-256 is the report's digest;
//! - [`signing`]: [`SignedReport`] (the exact signed bytes), the `/sign` payload, BankID's
//!   `completionData` to the request's `SignatureType`, and the checks before sending;
//! - [`testing`]: BankID-shaped (not signed) signature documents for tests against the mock.
//!
//! ```
//! use elt_report::{SignedReport, Severity};
//!
//! // The contract's example report (invented people), which the crate carries.
//! let xml = std::fs::read("examples/tidredovisning-1.xml").unwrap();
//! let report = SignedReport::from_bytes(xml).unwrap();
//!
//! // Nothing wrong with the example.
//! let findings = elt_report::check(report.report());
//! assert!(findings.iter().all(|f| f.severity != Severity::Error));
//!
//! // 4 h 30 + 8 h 30 active, 1 h waiting, 2 h on call.
//! let summary = report.summary();
//! assert_eq!(summary.total.aktiv_tid.to_string(), "13:00");
//! assert_eq!(summary.total.total.to_string(), "16:00");
//!
//! // The assistant's BankID /sign body: base64 of "{id},{digest}".
//! let sign = elt_report::sign_request(&[&report], "192.0.2.1", &Default::default()).unwrap();
//! assert_eq!(sign.user_visible_data_format, "simpleMarkdownV1");
//! assert_eq!(report.digest().len(), 64);
//! ```

pub mod c14n;
pub mod check;
mod error;
pub mod hours;
pub mod ids;
pub mod ocsp;
pub mod signing;
pub mod testing;

/// Re-exported: BankID's fields are base64 text.
pub use base64;
/// Re-exported: the time types of this crate's API (`jiff::civil::Date`, `jiff::Timestamp`).
pub use jiff;

pub use check::{Finding, Severity, check, has_errors};
pub use error::ReportError;
pub use hours::{Summary, summarize};
pub use ids::{IdError, Organisationsnummer, Personnummer};
pub use signing::{
    CompletionData, PayloadFormat, SignRequest, Signatures, SignedReport, SigningOptions, User,
    load_signatures, sign_request,
};
