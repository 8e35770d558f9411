//! The error of reading, signing and preparing a report for sending.

use crate::c14n::C14nError;

/// What went wrong reading a report or its signatures, or checking them before sending.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The report bytes could not be canonicalized (not UTF-8, not well-formed, a DTD).
    #[error("the report cannot be read: {0}")]
    Document(#[from] C14nError),
    /// The report is well-formed XML but not a `Tidredovisning` the schema accepts.
    #[error("the report is not a valid Tidredovisning document: {0}")]
    Report(elt_xml::XmlError),
    /// The signatures JSON could not be read.
    #[error("the signatures JSON is not usable: {0}")]
    SignaturesJson(#[from] serde_json::Error),
    /// A base64 field could not be decoded.
    #[error("{field} is not valid base64: {source}")]
    Base64 {
        /// Which field (`assistent.signature`, ...).
        field: String,
        /// The decoder's error.
        source: base64::DecodeError,
    },
    /// The BankID signature document could not be read.
    #[error("{role} signature: {message}")]
    SignatureDocument {
        /// `assistent` or `anordnare`.
        role: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The signature document does not carry this report's payload.
    #[error(
        "{role} signature does not cover this report: its usrNonVisibleData is {found:?}, which does not contain {expected:?} (report {id}, digest {digest})"
    )]
    PayloadMismatch {
        /// `assistent` or `anordnare`.
        role: &'static str,
        /// The entry this report needs, e.g. `ID,DIGEST`.
        expected: String,
        /// The decoded `usrNonVisibleData` found.
        found: String,
        /// The report's id.
        id: String,
        /// The report's digest.
        digest: String,
    },
    /// The assistant signature was made by someone other than the report's assistant.
    #[error(
        "the assistant signature was made by {found} (completionData.user.personalNumber), but the report's assistant is {expected}"
    )]
    SignerMismatch {
        /// The report's assistant.
        expected: String,
        /// The signer's personal number.
        found: String,
    },
    /// The OCSP response could not be read for the signing date.
    #[error("{role} OCSP response: {message}")]
    Ocsp {
        /// `assistent` or `anordnare`.
        role: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// A BankID limit would be exceeded.
    #[error("{field} would be {length} characters after base64, but BankID allows at most {limit}")]
    TooLong {
        /// `userVisibleData` or `userNonVisibleData`.
        field: &'static str,
        /// Its length after base64.
        length: usize,
        /// BankID's limit.
        limit: usize,
    },
    /// Building the request failed (a value the generated types refuse).
    #[error("building the request: {0}")]
    Request(String),
    /// No reports were given where at least one is needed.
    #[error("no reports given: the signing payload needs at least one")]
    NoReports,
}
