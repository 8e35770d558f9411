//! What can go wrong with the journal and with sending.

use std::path::PathBuf;

use crate::state::State;

/// An error of the journal. Each names the journal file and what was expected.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// No file at the path (and it was not to be created).
    #[error("journal {} does not exist", .path.display())]
    Missing {
        /// The journal's path.
        path: PathBuf,
    },
    /// Another process has the journal open (another `elt submit` or `elt journal`).
    #[error("journal {} is locked by another process", .path.display())]
    Locked {
        /// The journal's path.
        path: PathBuf,
    },
    /// The journal cannot be written.
    #[error("journal {} is read-only: {detail}", .path.display())]
    ReadOnly {
        /// The journal's path.
        path: PathBuf,
        /// Why.
        detail: String,
    },
    /// The file is not an elt journal, or is damaged.
    #[error("journal {} is not a usable elt journal (corrupt or another kind of file): {detail}", .path.display())]
    Corrupt {
        /// The journal's path.
        path: PathBuf,
        /// What SQLite or the header check said.
        detail: String,
    },
    /// The journal was written by a newer version of this program.
    #[error(
        "journal {} has schema version {found}; this program knows versions up to {known}: use a newer elt",
        .path.display()
    )]
    TooNew {
        /// The journal's path.
        path: PathBuf,
        /// The version found.
        found: u32,
        /// The newest version this program knows.
        known: u32,
    },
    /// The report's id is journaled with another digest: it was changed after signing (or
    /// another report reuses its id). Nothing was changed or sent.
    #[error(
        "report {id} is already in the journal with digest {journaled}, but this one has digest {given}: \
         it was changed after it was signed (or another report has its id); refused, nothing sent"
    )]
    DigestMismatch {
        /// The report id.
        id: String,
        /// The digest in the journal.
        journaled: String,
        /// The digest of the report given now.
        given: String,
    },
    /// No report with this id in the journal.
    #[error("report {id} is not in the journal")]
    NotFound {
        /// The id asked for.
        id: String,
    },
    /// The report is not in a state that allows the action.
    #[error("report {id} is {state}; {action} needs it to be {expected}")]
    WrongState {
        /// The report id.
        id: String,
        /// Its state.
        state: State,
        /// What was tried.
        action: &'static str,
        /// The state(s) it would need.
        expected: &'static str,
    },
    /// A value given to the journal is malformed.
    #[error("invalid {what} {value:?}: expected {expected}")]
    InvalidValue {
        /// Which value.
        what: &'static str,
        /// The value given.
        value: String,
        /// What it should look like.
        expected: &'static str,
    },
    /// A file system error outside SQLite.
    #[error("journal {}: {operation}: {source}", .path.display())]
    Io {
        /// The journal's path.
        path: PathBuf,
        /// What was being done.
        operation: &'static str,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// Any other SQLite error.
    #[error("journal {}: {operation} failed: {source}", .path.display())]
    Sqlite {
        /// The journal's path.
        path: PathBuf,
        /// What was being done.
        operation: &'static str,
        /// The error.
        #[source]
        source: rusqlite::Error,
    },
}
