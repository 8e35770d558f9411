//! `elt submit` and `elt journal` as processes against `elt-mock` over mutual TLS on loopback:
//! killed at random points and run again, dropped connections, refused journals.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use elt_mock::{CertPaths, DeclaredFault, Misbehaviour, MockConfig, MockServer, Selection};
use elt_submit::testing::{report_id, submission, submission_of, write_pair};
use elt_submit::{Filter, Journal, NewReport, State};

const PASSWORD_VAR: &str = "ELT_TEST_P12_PASSWORD";

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("elt-cli-submit")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn mock(dir: &Path, rate: Option<f64>) -> (CertPaths, MockServer) {
    let certs = elt_mock::write_certs(&dir.join("certs")).unwrap();
    let server = elt_mock::start(MockConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        certs_dir: certs.dir.clone(),
        rate_per_second: rate,
        misbehaviour: Misbehaviour::default(),
        signatures: elt_mock::SignatureCheck::Strict,
        payload_format: Default::default(),
    })
    .await
    .unwrap();
    (certs, server)
}

/// Writes `n` signed reports of `group` into `dir/reports`; returns the directory and the ids.
fn write_reports(dir: &Path, group: u32, n: u64) -> (PathBuf, Vec<String>) {
    let reports = dir.join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    let ids: Vec<String> = (0..n).map(|i| report_id(group, i)).collect();
    for (i, id) in ids.iter().enumerate() {
        write_pair(&reports, &format!("r{i:04}"), &submission(id).unwrap()).unwrap();
    }
    (reports, ids)
}

/// `elt submit` against `server` with `journal`, sending `paths`.
fn submit(
    server: &MockServer,
    certs: &CertPaths,
    journal: &Path,
    interval_ms: u64,
    paths: &[&Path],
) -> Command {
    submit_trusting(server, certs, &certs.ca_cert, journal, interval_ms, paths)
}

/// [`submit`] trusting `ca` for the server's certificate.
fn submit_trusting(
    server: &MockServer,
    certs: &CertPaths,
    ca: &Path,
    journal: &Path,
    interval_ms: u64,
    paths: &[&Path],
) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_elt"));
    cmd.arg("submit")
        .arg("--endpoint")
        .arg(server.url())
        .arg("--identity")
        .arg(&certs.client_p12)
        .args(["--password-env", PASSWORD_VAR])
        .arg("--ca")
        .arg(ca)
        .arg("--journal")
        .arg(journal)
        .args(["--interval-ms", &interval_ms.to_string(), "--timeout", "10"])
        .args(paths)
        .env(PASSWORD_VAR, elt_mock::P12_PASSWORD)
        .stdin(Stdio::null());
    cmd
}

fn journal_cmd(journal: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_elt"));
    cmd.arg("journal").args(args).arg("--journal").arg(journal);
    cmd
}

/// Runs `cmd` to its end on a blocking thread (so the in-process mock keeps serving).
async fn run(mut cmd: Command) -> Output {
    tokio::task::spawn_blocking(move || cmd.output().expect("running elt"))
        .await
        .unwrap()
}

fn describe(out: &Output) -> String {
    format!(
        "{}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// How many of `ids` reached the mock.
fn seen(server: &MockServer, ids: &[String]) -> usize {
    server
        .received()
        .iter()
        .filter(|r| r.report_id.as_ref().is_some_and(|id| ids.contains(id)))
        .count()
}

/// SplitMix64: a small deterministic generator, so each seed kills at the same points.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_at_random_points_then_run_again_nothing_is_sent_twice() {
    let dir = scratch("sigkill");
    let (certs, server) = mock(&dir, None).await;
    for seed in 1..=5u64 {
        let case = dir.join(format!("seed-{seed}"));
        std::fs::create_dir_all(&case).unwrap();
        let (reports, ids) = write_reports(&case, 0x5100 + seed as u32, 12);
        let journal = case.join("journal.sqlite");
        let mut rng = SplitMix(seed);

        // Killed (SIGKILL) one to three times, each at a random point of the batch: once the
        // mock has seen a random number of this seed's reports, plus a random few milliseconds
        // (so the kill lands before, during or after a call).
        let kills = 1 + rng.next() % 3;
        let mut target = 0;
        for _ in 0..kills {
            target = (target + 1 + (rng.next() % 4) as usize).min(ids.len() - 1);
            let mut cmd = submit(&server, &certs, &journal, 20, &[&reports]);
            cmd.arg("--new-journal")
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            let mut child = cmd.spawn().unwrap();
            let deadline = std::time::Instant::now() + Duration::from_secs(20);
            while seen(&server, &ids) < target && std::time::Instant::now() < deadline {
                if child.try_wait().unwrap().is_some() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            tokio::time::sleep(Duration::from_millis(rng.next() % 25)).await;
            let _ = child.kill(); // SIGKILL
            child.wait().unwrap();
        }
        let before_last_run = seen(&server, &ids);
        assert!(
            before_last_run > 0 && before_last_run < ids.len(),
            "seed {seed}: the kills should land mid-batch ({before_last_run} of {} sent)",
            ids.len()
        );
        // Then to the end.
        let mut cmd = submit(&server, &certs, &journal, 20, &[&reports]);
        cmd.arg("--new-journal");
        let out = run(cmd).await;

        let j = Journal::open_read_only(&journal).unwrap();
        let entries = j.list(&Filter::default()).unwrap();
        assert_eq!(entries.len(), ids.len(), "seed {seed}: {}", describe(&out));
        let received = server.received();
        let mut unknown = 0;
        for id in &ids {
            let arrivals: Vec<_> = received
                .iter()
                .filter(|r| r.report_id.as_deref() == Some(id))
                .collect();
            assert!(
                arrivals.len() <= 1,
                "seed {seed}: {id} reached the mock {} times",
                arrivals.len()
            );
            let entry = entries.iter().find(|e| &e.id == id).unwrap();
            match entry.state {
                State::Accepted => {
                    assert_eq!(arrivals.len(), 1, "seed {seed}: {id}");
                    assert_eq!(entry.tx_id, arrivals[0].tx_id, "seed {seed}: {id}");
                }
                State::Unknown => unknown += 1,
                other => panic!("seed {seed}: {id} ended {other}: {}", describe(&out)),
            }
        }
        // At most one report in flight per kill.
        assert!(
            unknown <= kills,
            "seed {seed}: {unknown} unknown after {kills} kills"
        );
        let expected = if unknown == 0 { Some(0) } else { Some(1) };
        assert_eq!(
            out.status.code(),
            expected,
            "seed {seed}: {}",
            describe(&out)
        );
    }
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_is_unknown_and_resolve_resend_sends_it_once() {
    let dir = scratch("dropped");
    let (certs, server) = mock(&dir, None).await;
    let (reports, ids) = write_reports(&dir, 0xd2, 3);
    let journal = dir.join("journal.sqlite");
    server.set_misbehaviour(Misbehaviour {
        drop_after_read: Selection::ids([ids[1].clone()]),
        ..Misbehaviour::default()
    });
    let mut cmd = submit(&server, &certs, &journal, 0, &[&reports]);
    cmd.arg("--new-journal");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains(&ids[1]) && table.contains("unknown"),
        "{table}"
    );
    assert_eq!(server.received().len(), 3);

    // Run again: the unknown report is not sent.
    server.set_misbehaviour(Misbehaviour::default());
    let out = run(submit(&server, &certs, &journal, 0, &[&reports])).await;
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("unknown before"));
    assert_eq!(server.received().len(), 3, "nothing sent again");

    let out = run(journal_cmd(
        &journal,
        &["list", "--state", "unknown", "--json"],
    ))
    .await;
    assert!(out.status.success(), "{}", describe(&out));
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], ids[1].as_str());
    assert_eq!(listed[0]["state"], "unknown");

    let out = run(journal_cmd(&journal, &["resolve", &ids[1], "--resend"])).await;
    assert!(out.status.success(), "{}", describe(&out));
    let out = run(submit(&server, &certs, &journal, 0, &[&reports])).await;
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let received = server.received();
    assert_eq!(received.len(), 4, "the resent report once, nothing else");
    assert_eq!(received[3].report_id.as_deref(), Some(ids[1].as_str()));

    // show: the entry, its two calls and the raw response with the tx-id.
    let out = run(journal_cmd(&journal, &["show", &ids[1]])).await;
    assert!(out.status.success(), "{}", describe(&out));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("accepted"), "{shown}");
    assert!(shown.contains("#2"), "{shown}");
    assert!(
        shown.contains(received[3].tx_id.as_deref().unwrap()),
        "{shown}"
    );
    assert!(shown.contains("SkickaTidredovisningResponse"), "{shown}");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resolve_accepted_records_the_tx_id_and_refuses_nonsense() {
    let dir = scratch("resolve-accepted");
    let (certs, server) = mock(&dir, None).await;
    let (reports, ids) = write_reports(&dir, 0xacc, 1);
    let journal = dir.join("journal.sqlite");
    server.set_misbehaviour(Misbehaviour {
        drop_after_read: Selection::All,
        ..Misbehaviour::default()
    });
    let mut cmd = submit(&server, &certs, &journal, 0, &[&reports]);
    cmd.arg("--new-journal");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let tx = server.received()[0].tx_id.clone().unwrap();

    let out = run(journal_cmd(
        &journal,
        &["resolve", &ids[0], "--accepted", "nonsense"],
    ))
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("tx-id"),
        "{}",
        describe(&out)
    );
    let out = run(journal_cmd(
        &journal,
        &["resolve", &ids[0], "--accepted", &tx],
    ))
    .await;
    assert!(out.status.success(), "{}", describe(&out));
    let out = run(journal_cmd(&journal, &["resolve", &ids[0], "--resend"])).await;
    assert_eq!(
        out.status.code(),
        Some(2),
        "an accepted report cannot be resent"
    );
    let out = run(journal_cmd(&journal, &["list"])).await;
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(listed.contains(&format!("tx-id {tx}")), "{listed}");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_changed_after_signing_is_refused_and_nothing_is_sent() {
    let dir = scratch("changed");
    let (certs, server) = mock(&dir, None).await;
    let (reports, ids) = write_reports(&dir, 0xc4, 1);
    let journal = dir.join("journal.sqlite");
    let mut cmd = submit(&server, &certs, &journal, 0, &[&reports]);
    cmd.arg("--new-journal");
    assert_eq!(run(cmd).await.status.code(), Some(0));

    // The file is edited (one shift longer) and signed anew under the same id.
    let xml = reports.join("r0000.xml");
    let text = std::fs::read_to_string(&xml).unwrap();
    let changed = text.replacen("<tomTid>16.30</tomTid>", "<tomTid>17.30</tomTid>", 1);
    write_pair(
        &reports,
        "r0000",
        &submission_of(changed.into_bytes()).unwrap(),
    )
    .unwrap();
    let out = run(submit(&server, &certs, &journal, 0, &[&xml])).await;
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("refused") && table.contains("changed after it was signed"),
        "{table}"
    );
    assert!(table.contains(&ids[0]), "{table}");
    assert_eq!(server.received().len(), 1, "only the first run's call");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_corrupt_locked_and_read_only_journals_send_nothing() {
    let dir = scratch("journals");
    let (certs, server) = mock(&dir, None).await;
    let (reports, _) = write_reports(&dir, 0xbad, 2);

    let missing = dir.join("missing.sqlite");
    let corrupt = dir.join("corrupt.sqlite");
    std::fs::write(&corrupt, b"SQLite format 3\0 but then garbage ".repeat(300)).unwrap();
    let locked = dir.join("locked.sqlite");
    let holder = Journal::create(&locked).unwrap();
    let read_only = dir.join("read-only.sqlite");
    drop(Journal::create(&read_only).unwrap());
    let mut perms = std::fs::metadata(&read_only).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&read_only, perms).unwrap();

    for (journal, expected) in [
        (&missing, "does not exist"),
        (&corrupt, "not a usable elt journal"),
        (&locked, "locked by another process"),
        (&read_only, "read-only"),
    ] {
        let out = run(submit(&server, &certs, journal, 0, &[&reports])).await;
        assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{}: {stderr}", journal.display());
        assert!(stderr.contains("nothing was sent"), "{stderr}");
        assert!(stderr.contains(&journal.display().to_string()), "{stderr}");
    }
    // `elt journal` says the same.
    let out = run(journal_cmd(&locked, &["list"])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("locked by another process"));
    assert!(server.received().is_empty(), "no request may be sent");
    assert!(
        !missing.exists(),
        "a missing journal is not created without --new-journal"
    );
    drop(holder);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tls_handshake_failure_is_retried_then_stops_with_the_report_queued() {
    let dir = scratch("tls-handshake");
    let (certs, server) = mock(&dir, None).await;
    // Another test PKI's CA did not issue the mock's server certificate.
    let other = elt_mock::write_certs(&dir.join("other-certs")).unwrap();
    let (reports, ids) = write_reports(&dir, 0x7b, 2);
    let journal = dir.join("journal.sqlite");
    let mut cmd = submit_trusting(&server, &certs, &other.ca_cert, &journal, 10, &[&reports]);
    cmd.args(["--new-journal", "--connect-attempts", "3"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("not sent (batch stopped)"), "{table}");
    let stopped = table
        .lines()
        .find(|l| l.starts_with("stopped:"))
        .unwrap_or_else(|| panic!("no stop line: {table}"));
    assert!(
        stopped.contains(&ids[0])
            && stopped.contains("nothing reached the service")
            && stopped.contains("handshake")
            && stopped.contains("(3 attempt(s))"),
        "{stopped}"
    );
    assert!(server.received().is_empty(), "nothing reached the mock");

    let out = run(journal_cmd(&journal, &["list", "--json"])).await;
    assert!(out.status.success(), "{}", describe(&out));
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 1, "the batch stopped at its first report");
    assert_eq!(listed[0]["id"], ids[0].as_str());
    assert_eq!(listed[0]["state"], "queued");
    assert_eq!(listed[0]["attempts"], 3);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_table_shows_a_rejected_report_with_its_reason() {
    let dir = scratch("rejected-row");
    let (certs, server) = mock(&dir, None).await;
    let (reports, ids) = write_reports(&dir, 0x4e, 3);
    let message = "dag 31 finns inte i 2016-09";
    server.set_misbehaviour(Misbehaviour {
        faults: [(
            ids[1].clone(),
            DeclaredFault::XmlValidation(message.to_owned()),
        )]
        .into(),
        ..Misbehaviour::default()
    });
    let journal = dir.join("journal.sqlite");
    let mut cmd = submit(&server, &certs, &journal, 0, &[&reports]);
    cmd.arg("--new-journal");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let table = String::from_utf8_lossy(&out.stdout);
    let count = |name: &str| {
        table
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().last())
            .and_then(|n| n.parse::<u32>().ok())
    };
    assert_eq!(count("accepted"), Some(2), "{table}");
    assert_eq!(count("rejected"), Some(1), "{table}");
    // One row for the report needing attention: its file, id, outcome and the fault's reason.
    let rows: Vec<&str> = table.lines().filter(|l| l.contains("r000")).collect();
    assert_eq!(rows.len(), 1, "{table}");
    let row = rows[0];
    assert!(row.contains("r0001.xml"), "{row}");
    assert!(row.contains(&ids[1]), "{row}");
    assert!(row.contains("rejected"), "{row}");
    assert!(
        row.ends_with(&format!("XmlValidationError: {message}")),
        "{row}"
    );
    assert_eq!(server.received().len(), 3, "the batch went on");
    server.shutdown().await;
}

#[tokio::test]
async fn journal_list_filters_by_month() {
    let dir = scratch("list-month");
    let path = dir.join("journal.sqlite");
    let mut journal = Journal::create(&path).unwrap();
    let months = ["2026-08", "2026-09", "2026-09", "2026-10"];
    let ids: Vec<String> = (0..months.len() as u64)
        .map(|i| report_id(0x3a, i))
        .collect();
    for (id, month) in ids.iter().zip(months) {
        let digest = format!("{:064x}", id.len() + month.len());
        journal
            .admit(&NewReport {
                id,
                digest: &digest,
                month,
                person: "191212121212",
                assistant: "201212121212",
            })
            .unwrap();
    }
    drop(journal);

    let out = run(journal_cmd(
        &path,
        &["list", "--month", "2026-09", "--json"],
    ))
    .await;
    assert!(out.status.success(), "{}", describe(&out));
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    got.sort();
    assert_eq!(got, [ids[1].as_str(), ids[2].as_str()]);

    // The table form too, and a month without reports lists none.
    let out = run(journal_cmd(&path, &["list", "--month", "2026-10"])).await;
    assert!(out.status.success(), "{}", describe(&out));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains(&ids[3]) && !table.contains(&ids[0]),
        "{table}"
    );
    assert!(table.contains("1 report(s)"), "{table}");
    let out = run(journal_cmd(&path, &["list", "--month", "2026-11"])).await;
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 report(s)"));
}
