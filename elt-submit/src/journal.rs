//! The journal: one SQLite file recording every report that was (or is to be) sent, and what
//! came back.
//!
//! Durability is the point: `sending` is committed with `synchronous=FULL` in WAL mode before
//! a byte of the request leaves, so after a crash the journal knows which report was in
//! flight. One process at a time owns a journal (SQLite's exclusive locking mode, taken when
//! it is opened and kept until it is closed); a second one is told the journal is locked at
//! once instead of waiting, and sends nothing.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior, params};

use crate::error::JournalError;
use crate::state::State;

/// `PRAGMA application_id` of an elt journal ("ELT1"), so that another SQLite file is not
/// mistaken for one.
pub const APPLICATION_ID: i32 = 0x454c_5431;

/// How long to wait for a lock held by another connection: not at all. A journal in use by
/// another process is reported as locked at once.
const BUSY_TIMEOUT: Duration = Duration::ZERO;

/// The schema migrations, in order; migration `n` (1-based) brings the schema to
/// `user_version = n`. Never edit one that has shipped: add the next.
const MIGRATIONS: &[&str] = &[
    // 1: reports and the history of their calls.
    "CREATE TABLE reports (
        id            TEXT PRIMARY KEY NOT NULL,
        digest        TEXT NOT NULL,
        month         TEXT NOT NULL,
        person        TEXT NOT NULL,
        assistant     TEXT NOT NULL,
        state         TEXT NOT NULL
                      CHECK (state IN ('queued', 'sending', 'accepted', 'rejected', 'unknown')),
        attempts      INTEGER NOT NULL DEFAULT 0,
        tx_id         TEXT,
        fault_code    TEXT,
        fault_message TEXT,
        note          TEXT,
        response      BLOB,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
    ) STRICT;
    CREATE INDEX reports_by_month ON reports (month, state);
    CREATE INDEX reports_by_state ON reports (state);
    CREATE TABLE attempts (
        report_id   TEXT NOT NULL REFERENCES reports (id),
        attempt     INTEGER NOT NULL,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        outcome     TEXT,
        detail      TEXT,
        response    BLOB,
        PRIMARY KEY (report_id, attempt)
    ) STRICT;",
];

/// The schema version this program writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// The current time as stored: RFC 3339 in UTC with milliseconds, from SQLite's clock.
const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// What the journal records about a report before it is sent: plain values, so the journal
/// needs nothing but them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewReport<'a> {
    /// The report's `id` (a UUID).
    pub id: &'a str,
    /// Lower-case hex SHA-256 of the signed report (its canonical form).
    pub digest: &'a str,
    /// `redovisningsmanad`, `YYYY-MM`.
    pub month: &'a str,
    /// Personnummer of the person with assistance.
    pub person: &'a str,
    /// Personnummer or samordningsnummer of the assistant.
    pub assistant: &'a str,
}

/// One report as journaled.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    /// The report's `id`.
    pub id: String,
    /// The digest of the signed bytes, as first journaled.
    pub digest: String,
    /// `YYYY-MM`.
    pub month: String,
    /// The person with assistance.
    pub person: String,
    /// The assistant.
    pub assistant: String,
    /// Where it stands.
    pub state: State,
    /// Calls made for it (each `sending`), resends included.
    pub attempts: u32,
    /// The agency's `tx-id`, once accepted.
    pub tx_id: Option<String>,
    /// The fault, when rejected: the declared fault's name (`XmlValidationError`,
    /// `SignatureValidationError`) or the SOAP fault code.
    pub fault_code: Option<String>,
    /// The fault's message, when rejected.
    pub fault_message: Option<String>,
    /// Why the report is where it is, when that needs saying: what made it `unknown`, why it
    /// went back to `queued`, how it was resolved.
    pub note: Option<String>,
    /// The last response body as received (absent when none was read).
    #[serde(skip)]
    pub response: Option<Vec<u8>>,
    /// When it was first journaled (RFC 3339, UTC).
    pub created_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

/// One call made for a report.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Attempt {
    /// 1 for the first call.
    pub attempt: u32,
    /// When `sending` was committed.
    pub started_at: String,
    /// When the outcome was committed; `None` if the process ended during the call.
    pub finished_at: Option<String>,
    /// `accepted`, `rejected`, `unknown`, `not sent`, or `interrupted`.
    pub outcome: Option<String>,
    /// The tx-id, the fault, or the error.
    pub detail: Option<String>,
    /// The response body as received, if one was read.
    #[serde(skip)]
    pub response: Option<Vec<u8>>,
}

/// How a call ended, to be recorded with [`Journal::finish`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Finish<'a> {
    /// Answered with a `tx-id`.
    Accepted {
        /// The agency's `tx-id`.
        tx_id: &'a str,
        /// The response body.
        response: &'a [u8],
    },
    /// Answered with a fault: not registered.
    Rejected {
        /// The declared fault's name or the SOAP fault code.
        code: &'a str,
        /// Its message.
        message: &'a str,
        /// The response body, if read.
        response: Option<&'a [u8]>,
    },
    /// The request may have arrived; no usable answer was read.
    Unknown {
        /// What happened.
        reason: &'a str,
        /// Whatever response body was read.
        response: Option<&'a [u8]>,
    },
    /// Provably not processed (no connection, or the server refused the call for its rate):
    /// back to `queued`, to be sent by a later run.
    NotSent {
        /// Why.
        reason: &'a str,
        /// The response body, if the server answered.
        response: Option<&'a [u8]>,
    },
}

/// Which entries [`Journal::list`] returns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this `YYYY-MM`.
    pub month: Option<String>,
    /// Only this state.
    pub state: Option<State>,
}

/// The journal, open and owned by this process until dropped.
pub struct Journal {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
    recovered: u64,
}

impl fmt::Debug for Journal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Journal")
            .field("path", &self.path)
            .field("read_only", &self.read_only)
            .finish_non_exhaustive()
    }
}

/// How to open.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Existing,
    Create,
    ReadOnly,
}

impl Journal {
    /// Opens an existing journal for writing: checks it, applies pending migrations, and turns
    /// `sending` rows (left by a process that ended during a call) into `unknown`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, JournalError> {
        Self::open_mode(path.as_ref(), Mode::Existing)
    }

    /// Opens the journal at `path`, creating an empty one if there is no file.
    pub fn create(path: impl AsRef<Path>) -> Result<Self, JournalError> {
        Self::open_mode(path.as_ref(), Mode::Create)
    }

    /// Opens an existing journal for reading only: nothing is changed, so `sending` rows of an
    /// interrupted run are shown as `sending` (see [`Journal::open`]).
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Self, JournalError> {
        Self::open_mode(path.as_ref(), Mode::ReadOnly)
    }

    fn open_mode(path: &Path, mode: Mode) -> Result<Self, JournalError> {
        let path_buf = path.to_path_buf();
        let exists = match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                return Err(JournalError::Corrupt {
                    path: path_buf,
                    detail: "it is a directory".to_owned(),
                });
            }
            Ok(meta) => {
                if mode != Mode::ReadOnly && meta.permissions().readonly() {
                    return Err(JournalError::ReadOnly {
                        path: path_buf,
                        detail: "the file is not writable (its permissions say read-only)"
                            .to_owned(),
                    });
                }
                true
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => {
                return Err(JournalError::Io {
                    path: path_buf,
                    operation: "reading the file's metadata",
                    source: e,
                });
            }
        };
        if !exists && mode != Mode::Create {
            return Err(JournalError::Missing { path: path_buf });
        }
        let flags = match mode {
            Mode::ReadOnly => OpenFlags::SQLITE_OPEN_READ_ONLY,
            Mode::Existing => OpenFlags::SQLITE_OPEN_READ_WRITE,
            Mode::Create => OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let err = |operation| sql_error(&path_buf, operation);
        let conn = Connection::open_with_flags(path, flags).map_err(err("opening"))?;
        let mut journal = Journal {
            conn,
            path: path_buf.clone(),
            read_only: mode == Mode::ReadOnly,
            recovered: 0,
        };
        journal
            .conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(err("setting the busy timeout"))?;
        if mode != Mode::ReadOnly
            && journal
                .conn
                .is_readonly(rusqlite::MAIN_DB)
                .map_err(err("opening"))?
        {
            return Err(JournalError::ReadOnly {
                path: path_buf,
                detail: "SQLite could open it for reading only".to_owned(),
            });
        }
        // A writer locks exclusively before the first access: the lock is taken by the first
        // read or write and held until the journal is closed, so no other process can use the
        // journal meanwhile (and WAL needs no shared memory file). A reader locks in the
        // normal way (an exclusive lock needs a writable file descriptor); it still cannot
        // read while a writer holds the journal.
        if mode != Mode::ReadOnly {
            journal
                .conn
                .pragma_update(None, "locking_mode", "EXCLUSIVE")
                .map_err(err("setting the locking mode"))?;
        }
        journal.check_header()?;
        if mode != Mode::ReadOnly {
            let wal: String = journal
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                .map_err(err("switching to WAL"))?;
            if !wal.eq_ignore_ascii_case("wal") {
                return Err(JournalError::Corrupt {
                    path: path_buf,
                    detail: format!("SQLite refused WAL mode (journal mode {wal})"),
                });
            }
            journal
                .conn
                .pragma_update(None, "synchronous", "FULL")
                .map_err(err("setting synchronous=FULL"))?;
            journal.migrate_and_recover()?;
        } else {
            journal.check_version()?;
        }
        journal.quick_check()?;
        Ok(journal)
    }

    /// Refuses files that are not elt journals: another application's SQLite file.
    fn check_header(&self) -> Result<(), JournalError> {
        let app_id: i32 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(|e| JournalError::from_sqlite(&self.path, "reading the header", e))?;
        if app_id == APPLICATION_ID {
            return Ok(());
        }
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(|e| JournalError::from_sqlite(&self.path, "reading the schema", e))?;
        if app_id == 0 && tables == 0 {
            // An empty database: a new journal.
            return Ok(());
        }
        Err(JournalError::Corrupt {
            path: self.path.clone(),
            detail: format!(
                "it is an SQLite database of another application \
                 (application_id {app_id:#x}, {tables} schema objects), not an elt journal"
            ),
        })
    }

    fn version(&self) -> Result<u32, JournalError> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| JournalError::from_sqlite(&self.path, "reading the schema version", e))?;
        let version = u32::try_from(version).map_err(|_| JournalError::Corrupt {
            path: self.path.clone(),
            detail: format!("schema version {version} is not a version"),
        })?;
        if version > SCHEMA_VERSION {
            return Err(JournalError::TooNew {
                path: self.path.clone(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        Ok(version)
    }

    fn check_version(&self) -> Result<(), JournalError> {
        match self.version()? {
            0 => Err(JournalError::Corrupt {
                path: self.path.clone(),
                detail: "the journal is empty (it was never written)".to_owned(),
            }),
            _ => Ok(()),
        }
    }

    /// Applies pending migrations and recovers `sending` rows, in one transaction (which also
    /// takes the exclusive lock for good).
    fn migrate_and_recover(&mut self) -> Result<(), JournalError> {
        let path = self.path.clone();
        let err = |operation| sql_error(&path, operation);
        let version = self.version()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Exclusive)
            .map_err(err("locking"))?;
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let to = index + 1;
            tx.execute_batch(sql).map_err(err("migrating the schema"))?;
            tx.pragma_update(None, "user_version", to as i64)
                .map_err(err("migrating the schema"))?;
        }
        if version == 0 {
            tx.pragma_update(None, "application_id", APPLICATION_ID)
                .map_err(err("writing the header"))?;
        }
        tx.execute(
            &format!(
                "UPDATE attempts SET finished_at = {NOW}, outcome = 'interrupted',
                    detail = 'the process ended during the call'
                 WHERE finished_at IS NULL"
            ),
            [],
        )
        .map_err(err("recovering interrupted calls"))?;
        let recovered = tx
            .execute(
                &format!(
                    "UPDATE reports SET state = 'unknown', updated_at = {NOW},
                        note = 'the process ended during the call: the request may have reached \
                                the agency; resolve with --accepted TX-ID or --resend'
                     WHERE state = 'sending'"
                ),
                [],
            )
            .map_err(err("recovering interrupted calls"))?;
        tx.commit().map_err(err("committing"))?;
        self.recovered = recovered as u64;
        Ok(())
    }

    fn quick_check(&self) -> Result<(), JournalError> {
        let result: String = self
            .conn
            .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
            .map_err(|e| JournalError::from_sqlite(&self.path, "checking integrity", e))?;
        if result == "ok" {
            Ok(())
        } else {
            Err(JournalError::Corrupt {
                path: self.path.clone(),
                detail: format!("integrity check: {result}"),
            })
        }
    }

    /// The journal's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many `sending` rows were turned into `unknown` when this journal was opened.
    pub fn recovered(&self) -> u64 {
        self.recovered
    }

    fn sqlite(&self, operation: &'static str) -> impl Fn(rusqlite::Error) -> JournalError + '_ {
        move |e| JournalError::from_sqlite(&self.path, operation, e)
    }

    fn writable(&self) -> Result<(), JournalError> {
        if self.read_only {
            Err(JournalError::ReadOnly {
                path: self.path.clone(),
                detail: "it was opened for reading only".to_owned(),
            })
        } else {
            Ok(())
        }
    }

    /// Journals `report` as `queued` if its id is new, and returns its entry.
    ///
    /// A report whose id is journaled with another digest was changed after it was signed (or
    /// another report reuses its id): refused with [`JournalError::DigestMismatch`], and the
    /// journal is not changed.
    pub fn admit(&mut self, report: &NewReport<'_>) -> Result<Entry, JournalError> {
        self.writable()?;
        validate_month(report.month)?;
        if report.id.is_empty() {
            return Err(JournalError::InvalidValue {
                what: "report id",
                value: String::new(),
                expected: "a non-empty id",
            });
        }
        let path = self.path.clone();
        let err = |operation| sql_error(&path, operation);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err("admitting a report"))?;
        if let Some(existing) = get_entry(&tx, report.id).map_err(err("reading a report"))? {
            if existing.digest != report.digest {
                return Err(JournalError::DigestMismatch {
                    id: report.id.to_owned(),
                    journaled: existing.digest,
                    given: report.digest.to_owned(),
                });
            }
            return Ok(existing);
        }
        tx.execute(
            &format!(
                "INSERT INTO reports (id, digest, month, person, assistant, state,
                                      created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'queued', {NOW}, {NOW})"
            ),
            params![
                report.id,
                report.digest,
                report.month,
                report.person,
                report.assistant
            ],
        )
        .map_err(err("admitting a report"))?;
        let entry = get_entry(&tx, report.id)
            .map_err(err("reading a report"))?
            .ok_or_else(|| JournalError::NotFound {
                id: report.id.to_owned(),
            })?;
        tx.commit().map_err(err("committing"))?;
        Ok(entry)
    }

    /// Marks a `queued` report `sending` and records the start of a call, durably, before the
    /// request is sent. Returns the attempt number (1 for the first call).
    pub fn begin_send(&mut self, id: &str) -> Result<u32, JournalError> {
        self.writable()?;
        let path = self.path.clone();
        let err = |operation| sql_error(&path, operation);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err("recording a send"))?;
        let state = get_state(&tx, id).map_err(err("reading a report"))?;
        match state {
            None => return Err(JournalError::NotFound { id: id.to_owned() }),
            Some(State::Queued) => {}
            Some(state) => {
                return Err(JournalError::WrongState {
                    id: id.to_owned(),
                    state,
                    action: "sending",
                    expected: "queued",
                });
            }
        }
        let attempt: u32 = tx
            .query_row(
                &format!(
                    "UPDATE reports SET state = 'sending', attempts = attempts + 1,
                        updated_at = {NOW}, note = NULL
                     WHERE id = ?1 RETURNING attempts"
                ),
                [id],
                |r| r.get(0),
            )
            .map_err(err("recording a send"))?;
        tx.execute(
            &format!(
                "INSERT INTO attempts (report_id, attempt, started_at) VALUES (?1, ?2, {NOW})"
            ),
            params![id, attempt],
        )
        .map_err(err("recording a send"))?;
        tx.commit().map_err(err("committing"))?;
        Ok(attempt)
    }

    /// Records how the call `attempt` of the `sending` report `id` ended.
    pub fn finish(&mut self, id: &str, attempt: u32, how: Finish<'_>) -> Result<(), JournalError> {
        self.writable()?;
        let (state, tx_id, code, message, note, response, outcome, detail) = match how {
            Finish::Accepted { tx_id, response } => (
                State::Accepted,
                Some(tx_id),
                None,
                None,
                None,
                Some(response),
                "accepted",
                format!("tx-id {tx_id}"),
            ),
            Finish::Rejected {
                code,
                message,
                response,
            } => (
                State::Rejected,
                None,
                Some(code),
                Some(message),
                None,
                response,
                "rejected",
                format!("{code}: {message}"),
            ),
            Finish::Unknown { reason, response } => (
                State::Unknown,
                None,
                None,
                None,
                Some(reason),
                response,
                "unknown",
                reason.to_owned(),
            ),
            Finish::NotSent { reason, response } => (
                State::Queued,
                None,
                None,
                None,
                Some(reason),
                response,
                "not sent",
                reason.to_owned(),
            ),
        };
        let path = self.path.clone();
        let err = |operation| sql_error(&path, operation);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err("recording an outcome"))?;
        match get_state(&tx, id).map_err(err("reading a report"))? {
            None => return Err(JournalError::NotFound { id: id.to_owned() }),
            Some(State::Sending) => {}
            Some(state) => {
                return Err(JournalError::WrongState {
                    id: id.to_owned(),
                    state,
                    action: "recording the outcome of a call",
                    expected: "sending",
                });
            }
        }
        tx.execute(
            &format!(
                "UPDATE reports SET state = ?2, tx_id = coalesce(?3, tx_id), fault_code = ?4,
                    fault_message = ?5, note = ?6, response = coalesce(?7, response),
                    updated_at = {NOW}
                 WHERE id = ?1"
            ),
            params![id, state.as_str(), tx_id, code, message, note, response],
        )
        .map_err(err("recording an outcome"))?;
        tx.execute(
            &format!(
                "UPDATE attempts SET finished_at = {NOW}, outcome = ?3, detail = ?4, response = ?5
                 WHERE report_id = ?1 AND attempt = ?2"
            ),
            params![id, attempt, outcome, detail, response],
        )
        .map_err(err("recording an outcome"))?;
        tx.commit().map_err(err("committing"))?;
        Ok(())
    }

    /// Resolves an `unknown` report as accepted with `tx_id` (the agency confirmed it arrived).
    pub fn resolve_accepted(&mut self, id: &str, tx_id: &str) -> Result<Entry, JournalError> {
        self.writable()?;
        validate_tx_id(tx_id)?;
        let note = format!("resolved by hand as accepted with tx-id {tx_id}");
        self.resolve(id, State::Accepted, Some(tx_id), &note, &[State::Unknown])
    }

    /// Queues an `unknown` or `rejected` report to be sent again by the next run (for
    /// `unknown`: the agency confirmed it did not arrive).
    pub fn resolve_resend(&mut self, id: &str) -> Result<Entry, JournalError> {
        self.writable()?;
        self.resolve(
            id,
            State::Queued,
            None,
            "resolved by hand: to be sent again",
            &[State::Unknown, State::Rejected],
        )
    }

    fn resolve(
        &mut self,
        id: &str,
        to: State,
        tx_id: Option<&str>,
        note: &str,
        from: &[State],
    ) -> Result<Entry, JournalError> {
        let path = self.path.clone();
        let err = |operation| sql_error(&path, operation);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err("resolving a report"))?;
        match get_state(&tx, id).map_err(err("reading a report"))? {
            None => return Err(JournalError::NotFound { id: id.to_owned() }),
            Some(state) if from.contains(&state) => {}
            Some(state) => {
                return Err(JournalError::WrongState {
                    id: id.to_owned(),
                    state,
                    action: "resolving",
                    expected: if from.len() == 1 {
                        "unknown"
                    } else {
                        "unknown or rejected"
                    },
                });
            }
        }
        tx.execute(
            &format!(
                "UPDATE reports SET state = ?2, tx_id = ?3, note = ?4,
                    fault_code = CASE WHEN ?2 = 'queued' THEN NULL ELSE fault_code END,
                    fault_message = CASE WHEN ?2 = 'queued' THEN NULL ELSE fault_message END,
                    updated_at = {NOW}
                 WHERE id = ?1"
            ),
            params![id, to.as_str(), tx_id, note],
        )
        .map_err(err("resolving a report"))?;
        let entry = get_entry(&tx, id)
            .map_err(err("reading a report"))?
            .ok_or_else(|| JournalError::NotFound { id: id.to_owned() })?;
        tx.commit().map_err(err("committing"))?;
        Ok(entry)
    }

    /// The entry for `id`, if journaled.
    pub fn get(&self, id: &str) -> Result<Option<Entry>, JournalError> {
        get_entry(&self.conn, id).map_err(self.sqlite("reading a report"))
    }

    /// The calls made for `id`, oldest first.
    pub fn attempts(&self, id: &str) -> Result<Vec<Attempt>, JournalError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT attempt, started_at, finished_at, outcome, detail, response
                 FROM attempts WHERE report_id = ?1 ORDER BY attempt",
            )
            .map_err(self.sqlite("reading attempts"))?;
        let rows = stmt
            .query_map([id], |r| {
                Ok(Attempt {
                    attempt: r.get(0)?,
                    started_at: r.get(1)?,
                    finished_at: r.get(2)?,
                    outcome: r.get(3)?,
                    detail: r.get(4)?,
                    response: r.get(5)?,
                })
            })
            .map_err(self.sqlite("reading attempts"))?;
        rows.collect::<Result<_, _>>()
            .map_err(self.sqlite("reading attempts"))
    }

    /// Entries matching `filter`, by month, then when they were journaled; the response bodies
    /// are left out (see [`Journal::get`]).
    pub fn list(&self, filter: &Filter) -> Result<Vec<Entry>, JournalError> {
        if let Some(month) = &filter.month {
            validate_month(month)?;
        }
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ENTRY_COLUMNS_WITHOUT_RESPONSE} FROM reports
                 WHERE (?1 IS NULL OR month = ?1) AND (?2 IS NULL OR state = ?2)
                 ORDER BY month, created_at, id"
            ))
            .map_err(self.sqlite("listing reports"))?;
        let rows = stmt
            .query_map(
                params![filter.month, filter.state.map(State::as_str)],
                entry_from_row,
            )
            .map_err(self.sqlite("listing reports"))?;
        rows.collect::<Result<_, _>>()
            .map_err(self.sqlite("listing reports"))
    }

    /// How many reports are in each state.
    pub fn counts(&self) -> Result<Vec<(State, u64)>, JournalError> {
        let mut out = Vec::new();
        for state in State::ALL {
            let n: i64 = self
                .conn
                .query_row(
                    "SELECT count(*) FROM reports WHERE state = ?1",
                    [state.as_str()],
                    |r| r.get(0),
                )
                .map_err(self.sqlite("counting reports"))?;
            out.push((state, n.max(0) as u64));
        }
        Ok(out)
    }
}

const ENTRY_COLUMNS: &str = "id, digest, month, person, assistant, state, attempts, tx_id, \
     fault_code, fault_message, note, created_at, updated_at, response";
const ENTRY_COLUMNS_WITHOUT_RESPONSE: &str = "id, digest, month, person, assistant, state, \
     attempts, tx_id, fault_code, fault_message, note, created_at, updated_at, NULL";

fn entry_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    let state: String = r.get(5)?;
    let state = state.parse::<State>().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(Entry {
        id: r.get(0)?,
        digest: r.get(1)?,
        month: r.get(2)?,
        person: r.get(3)?,
        assistant: r.get(4)?,
        state,
        attempts: r.get(6)?,
        tx_id: r.get(7)?,
        fault_code: r.get(8)?,
        fault_message: r.get(9)?,
        note: r.get(10)?,
        created_at: r.get(11)?,
        updated_at: r.get(12)?,
        response: r.get(13)?,
    })
}

fn get_entry(conn: &Connection, id: &str) -> rusqlite::Result<Option<Entry>> {
    conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM reports WHERE id = ?1"
    ))?
    .query_row([id], entry_from_row)
    .optional()
}

fn get_state(conn: &Connection, id: &str) -> rusqlite::Result<Option<State>> {
    let state: Option<String> = conn
        .prepare_cached("SELECT state FROM reports WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    state
        .map(|s| {
            s.parse::<State>().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    0,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })
        })
        .transpose()
}

/// `YYYY-MM` with a month 01..=12.
pub(crate) fn validate_month(month: &str) -> Result<(), JournalError> {
    let b = month.as_bytes();
    let ok = b.len() == 7
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..].iter().all(u8::is_ascii_digit)
        && matches!(
            &month[5..],
            "01" | "02" | "03" | "04" | "05" | "06" | "07" | "08" | "09" | "10" | "11" | "12"
        );
    if ok {
        Ok(())
    } else {
        Err(JournalError::InvalidValue {
            what: "month",
            value: month.to_owned(),
            expected: "YYYY-MM with a month from 01 to 12",
        })
    }
}

/// A `tx-id` is a UUID (`8-4-4-4-12` hex digits).
fn validate_tx_id(tx_id: &str) -> Result<(), JournalError> {
    let ok = tx_id.len() == 36
        && tx_id.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        });
    if ok {
        Ok(())
    } else {
        Err(JournalError::InvalidValue {
            what: "tx-id",
            value: tx_id.to_owned(),
            expected: "a UUID as the agency gives it, e.g. 14e81789-715d-497b-b63c-eada732800eb",
        })
    }
}

impl JournalError {
    /// Sorts an SQLite error by what it means for the user.
    pub(crate) fn from_sqlite(path: &Path, operation: &'static str, e: rusqlite::Error) -> Self {
        let path = path.to_path_buf();
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                JournalError::Locked { path }
            }
            Some(ErrorCode::ReadOnly) => JournalError::ReadOnly {
                path,
                detail: e.to_string(),
            },
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => JournalError::Corrupt {
                path,
                detail: e.to_string(),
            },
            _ => JournalError::Sqlite {
                path,
                operation,
                source: e,
            },
        }
    }
}

/// An error mapper for SQLite calls on the journal at `path`: the journal's error names the file
/// and what was being done.
fn sql_error(path: &Path, operation: &'static str) -> impl Fn(rusqlite::Error) -> JournalError {
    let path = path.to_owned();
    move |e| JournalError::from_sqlite(&path, operation, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_checked() {
        for ok in ["2026-01", "2026-12", "1999-09"] {
            validate_month(ok).unwrap();
        }
        for bad in [
            "2026-13", "2026-00", "2026-1", "26-01", "2026/01", "", "2026-011",
        ] {
            assert!(validate_month(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tx_ids_are_uuids() {
        validate_tx_id("14e81789-715d-497b-b63c-eada732800eb").unwrap();
        validate_tx_id("14E81789-715D-497B-B63C-EADA732800EB").unwrap();
        for bad in [
            "",
            "14e81789",
            "14e81789-715d-497b-b63c-eada732800eg",
            "x".repeat(36).as_str(),
        ] {
            assert!(validate_tx_id(bad).is_err(), "{bad}");
        }
    }
}
