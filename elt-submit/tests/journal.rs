//! The journal on its own: states and their rules, recovery after a crash, and the files it
//! refuses.

use std::path::PathBuf;

use elt_submit::{Filter, Finish, Journal, JournalError, NewReport, SCHEMA_VERSION, State};

/// A fresh directory under the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("elt-submit-journal")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const DIGEST: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const TX: &str = "14e81789-715d-497b-b63c-eada732800eb";

fn report(id: &str) -> NewReport<'_> {
    NewReport {
        id,
        digest: DIGEST,
        month: "2026-09",
        person: "191212121212",
        assistant: "201212121212",
    }
}

#[test]
fn a_report_goes_queued_sending_accepted_and_keeps_its_response() {
    let path = scratch("lifecycle").join("j.sqlite");
    let mut journal = Journal::create(&path).unwrap();
    let entry = journal.admit(&report("a")).unwrap();
    assert_eq!(entry.state, State::Queued);
    assert_eq!(entry.attempts, 0);
    // Admitting again changes nothing.
    assert_eq!(journal.admit(&report("a")).unwrap(), entry);

    let attempt = journal.begin_send("a").unwrap();
    assert_eq!(attempt, 1);
    assert_eq!(journal.get("a").unwrap().unwrap().state, State::Sending);
    // Sending twice at once is refused.
    assert!(matches!(
        journal.begin_send("a"),
        Err(JournalError::WrongState {
            state: State::Sending,
            ..
        })
    ));
    let response = b"<Envelope>...tx-id...</Envelope>";
    journal
        .finish(
            "a",
            attempt,
            Finish::Accepted {
                tx_id: TX,
                response,
            },
        )
        .unwrap();
    let entry = journal.get("a").unwrap().unwrap();
    assert_eq!(entry.state, State::Accepted);
    assert_eq!(entry.tx_id.as_deref(), Some(TX));
    assert_eq!(entry.response.as_deref(), Some(&response[..]));
    assert_eq!(entry.attempts, 1);
    assert_eq!(
        (entry.month.as_str(), entry.person.as_str()),
        ("2026-09", "191212121212")
    );

    let attempts = journal.attempts("a").unwrap();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].outcome.as_deref(), Some("accepted"));
    assert_eq!(attempts[0].response.as_deref(), Some(&response[..]));
    assert!(attempts[0].finished_at.is_some());

    // An accepted report cannot be sent or resolved again.
    assert!(journal.begin_send("a").is_err());
    assert!(journal.resolve_resend("a").is_err());
    assert!(journal.resolve_accepted("a", TX).is_err());
}

#[test]
fn a_changed_report_is_refused_and_the_journal_keeps_the_first_digest() {
    let path = scratch("digest").join("j.sqlite");
    let mut journal = Journal::create(&path).unwrap();
    journal.admit(&report("a")).unwrap();
    let other = "0".repeat(64);
    let changed = NewReport {
        digest: &other,
        ..report("a")
    };
    match journal.admit(&changed) {
        Err(e @ JournalError::DigestMismatch { .. }) => {
            let text = e.to_string();
            assert!(text.contains(DIGEST) && text.contains(&other), "{text}");
            assert!(text.contains("changed after it was signed"), "{text}");
        }
        other => panic!("expected a digest mismatch, got {other:?}"),
    }
    assert_eq!(journal.get("a").unwrap().unwrap().digest, DIGEST);
}

#[test]
fn sending_becomes_unknown_when_reopened_and_is_resolved_by_hand() {
    let path = scratch("recovery").join("j.sqlite");
    {
        let mut journal = Journal::create(&path).unwrap();
        journal.admit(&report("a")).unwrap();
        journal.admit(&report("b")).unwrap();
        journal.begin_send("a").unwrap();
        // The process ends here, during the call.
    }
    let mut journal = Journal::open(&path).unwrap();
    assert_eq!(journal.recovered(), 1);
    let a = journal.get("a").unwrap().unwrap();
    assert_eq!(a.state, State::Unknown);
    assert!(a.note.unwrap().contains("ended during the call"));
    assert_eq!(
        journal.attempts("a").unwrap()[0].outcome.as_deref(),
        Some("interrupted")
    );
    assert_eq!(journal.get("b").unwrap().unwrap().state, State::Queued);
    // Unknown is never sent automatically.
    assert!(journal.begin_send("a").is_err());

    // Resolved as accepted with the tx-id the agency confirms.
    assert!(matches!(
        journal.resolve_accepted("a", "not-a-uuid"),
        Err(JournalError::InvalidValue { .. })
    ));
    let a = journal.resolve_accepted("a", TX).unwrap();
    assert_eq!(a.state, State::Accepted);
    assert_eq!(a.tx_id.as_deref(), Some(TX));

    // Or queued again, then sent once more.
    journal.begin_send("b").unwrap();
    journal
        .finish(
            "b",
            1,
            Finish::Unknown {
                reason: "connection closed",
                response: None,
            },
        )
        .unwrap();
    assert_eq!(journal.resolve_resend("b").unwrap().state, State::Queued);
    assert_eq!(journal.begin_send("b").unwrap(), 2);
    drop(journal);
    let journal = Journal::open(&path).unwrap();
    assert_eq!(journal.recovered(), 1, "b was sending again");
}

#[test]
fn not_sent_goes_back_to_queued_and_rejected_keeps_the_fault() {
    let path = scratch("not-sent").join("j.sqlite");
    let mut journal = Journal::create(&path).unwrap();
    journal.admit(&report("a")).unwrap();
    journal.begin_send("a").unwrap();
    journal
        .finish(
            "a",
            1,
            Finish::NotSent {
                reason: "could not connect",
                response: None,
            },
        )
        .unwrap();
    let a = journal.get("a").unwrap().unwrap();
    assert_eq!(
        (a.state, a.note.as_deref()),
        (State::Queued, Some("could not connect"))
    );
    assert_eq!(journal.begin_send("a").unwrap(), 2);
    journal
        .finish(
            "a",
            2,
            Finish::Rejected {
                code: "XmlValidationError",
                message: "dag 31 does not exist in 2026-09",
                response: Some(b"<fault/>"),
            },
        )
        .unwrap();
    let a = journal.get("a").unwrap().unwrap();
    assert_eq!(a.state, State::Rejected);
    assert_eq!(a.fault_code.as_deref(), Some("XmlValidationError"));
    assert_eq!(
        a.fault_message.as_deref(),
        Some("dag 31 does not exist in 2026-09")
    );
    assert_eq!(a.response.as_deref(), Some(&b"<fault/>"[..]));
    assert_eq!(journal.attempts("a").unwrap().len(), 2);
}

#[test]
fn list_filters_by_month_and_state() {
    let path = scratch("list").join("j.sqlite");
    let mut journal = Journal::create(&path).unwrap();
    for (id, month) in [("a", "2026-08"), ("b", "2026-09"), ("c", "2026-09")] {
        journal
            .admit(&NewReport {
                month,
                ..report(id)
            })
            .unwrap();
    }
    journal.begin_send("c").unwrap();
    journal
        .finish(
            "c",
            1,
            Finish::Accepted {
                tx_id: TX,
                response: b"",
            },
        )
        .unwrap();
    let ids = |f: Filter| -> Vec<String> {
        journal
            .list(&f)
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect()
    };
    assert_eq!(ids(Filter::default()), ["a", "b", "c"]);
    let sept = Filter {
        month: Some("2026-09".into()),
        state: None,
    };
    assert_eq!(ids(sept), ["b", "c"]);
    let accepted = Filter {
        month: None,
        state: Some(State::Accepted),
    };
    assert_eq!(ids(accepted), ["c"]);
    assert!(
        journal
            .list(&Filter {
                month: Some("2026-13".into()),
                state: None
            })
            .is_err()
    );
    let counts = journal.counts().unwrap();
    assert!(counts.contains(&(State::Queued, 2)) && counts.contains(&(State::Accepted, 1)));
}

#[test]
fn a_missing_journal_is_an_error_unless_created() {
    let path = scratch("missing").join("nope.sqlite");
    let e = Journal::open(&path).unwrap_err();
    assert!(matches!(e, JournalError::Missing { .. }), "{e}");
    assert!(e.to_string().contains("does not exist"), "{e}");
    assert!(Journal::open_read_only(&path).is_err());
    assert!(!path.exists(), "opening must not create it");
    Journal::create(&path).unwrap();
    assert!(path.exists());
}

#[test]
fn a_second_opener_is_told_the_journal_is_locked() {
    let path = scratch("locked").join("j.sqlite");
    let mut first = Journal::create(&path).unwrap();
    first.admit(&report("a")).unwrap();
    for e in [
        Journal::open(&path).unwrap_err(),
        Journal::open_read_only(&path).unwrap_err(),
    ] {
        assert!(matches!(e, JournalError::Locked { .. }), "{e:?}");
        assert!(e.to_string().contains("locked by another process"), "{e}");
    }
    drop(first);
    Journal::open(&path).unwrap();
}

#[test]
fn corrupt_and_foreign_files_are_refused() {
    let dir = scratch("corrupt");
    let garbage = dir.join("garbage.sqlite");
    std::fs::write(
        &garbage,
        b"this is not a database, just some bytes ".repeat(200),
    )
    .unwrap();
    for e in [
        Journal::open(&garbage).unwrap_err(),
        Journal::open_read_only(&garbage).unwrap_err(),
        Journal::create(&garbage).unwrap_err(),
    ] {
        assert!(matches!(e, JournalError::Corrupt { .. }), "{e:?}");
        assert!(e.to_string().contains("garbage.sqlite"), "{e}");
    }

    // A valid SQLite file of another application.
    let foreign = dir.join("foreign.sqlite");
    make_foreign(&foreign);
    let e = Journal::open(&foreign).unwrap_err();
    assert!(
        matches!(e, JournalError::Corrupt { .. }) && e.to_string().contains("another application"),
        "{e}"
    );

    // A journal whose pages were damaged after it was written.
    let damaged = dir.join("damaged.sqlite");
    {
        let mut j = Journal::create(&damaged).unwrap();
        for i in 0..200 {
            j.admit(&report(&format!("report-{i:04}"))).unwrap();
        }
    }
    let mut bytes = std::fs::read(&damaged).unwrap();
    assert!(bytes.len() > 8192, "{} bytes", bytes.len());
    for b in &mut bytes[4096..8192] {
        *b = 0xA5;
    }
    std::fs::write(&damaged, bytes).unwrap();
    let e = Journal::open(&damaged).unwrap_err();
    assert!(matches!(e, JournalError::Corrupt { .. }), "{e:?}");
}

/// An SQLite file with tables that is not an elt journal: a journal whose application id
/// (header offset 68, big endian) is another application's.
fn make_foreign(path: &std::path::Path) {
    drop(Journal::create(path).unwrap());
    let mut bytes = std::fs::read(path).unwrap();
    bytes[68..72].copy_from_slice(&0x1234_5678u32.to_be_bytes());
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_read_only_journal_is_refused_for_writing_and_readable() {
    let path = scratch("read-only").join("j.sqlite");
    {
        let mut j = Journal::create(&path).unwrap();
        j.admit(&report("a")).unwrap();
    }
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();
    let e = Journal::open(&path).unwrap_err();
    assert!(matches!(e, JournalError::ReadOnly { .. }), "{e:?}");
    assert!(e.to_string().contains("read-only"), "{e}");
    let mut reader = Journal::open_read_only(&path).unwrap();
    assert_eq!(reader.list(&Filter::default()).unwrap().len(), 1);
    assert!(matches!(
        reader.admit(&report("b")),
        Err(JournalError::ReadOnly { .. })
    ));
}

#[test]
fn a_journal_from_a_newer_program_is_refused() {
    let path = scratch("too-new").join("j.sqlite");
    drop(Journal::create(&path).unwrap());
    // user_version lives at offset 60 of the header (big endian).
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[60..64].copy_from_slice(&(SCHEMA_VERSION + 1).to_be_bytes());
    std::fs::write(&path, bytes).unwrap();
    let e = Journal::open(&path).unwrap_err();
    assert!(matches!(e, JournalError::TooNew { .. }), "{e:?}");
    assert!(e.to_string().contains("newer elt"), "{e}");
}

/// The example report the crate carries for tests is the contract's example, byte for byte.
#[test]
fn the_crates_example_report_is_the_contracts() {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let contract = std::fs::read(workspace.join("wsdl/elt/examples/tidredovisning-1.xml")).unwrap();
    assert_eq!(elt_submit::testing::EXAMPLE_REPORT, contract.as_slice());
}
