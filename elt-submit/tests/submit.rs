//! The submitter against `elt-mock` over mutual TLS on loopback: the journal and the mock's log
//! agree one by one, and every misbehaviour ends in the state the rules ask for.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::path::PathBuf;
use std::time::Duration;

use elt_mock::{
    CertPaths, DeclaredFault, Misbehaviour, MockConfig, MockServer, Outcome as Logged, Selection,
};
use elt_submit::testing::{report_id, submission, submission_of};
use elt_submit::{Filter, Journal, Outcome, SignedSubmission, State, SubmitError, Submitter};
use elt_types::client::SkickaTidredovisningResponderPortClient;
use elt_types::elt_soap;

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("elt-submit-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn mock(
    dir: &std::path::Path,
    rate: Option<f64>,
    misbehaviour: Misbehaviour,
) -> (CertPaths, MockServer) {
    let certs = elt_mock::write_certs(&dir.join("certs")).unwrap();
    let server = elt_mock::start(MockConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        certs_dir: certs.dir.clone(),
        rate_per_second: rate,
        misbehaviour,
        // The test reports carry their payload: the strict check applies.
        signatures: elt_mock::SignatureCheck::Strict,
        payload_format: Default::default(),
    })
    .await
    .unwrap();
    (certs, server)
}

fn client(
    url: &str,
    certs: &CertPaths,
    interval: Option<Duration>,
    timeout: Duration,
) -> SkickaTidredovisningResponderPortClient {
    let soap = elt_soap::Client::builder(url)
        .add_root_ca_pem(std::fs::read(&certs.ca_cert).unwrap())
        .trust_built_in_roots(false)
        .identity_pkcs12(
            std::fs::read(&certs.client_p12).unwrap(),
            elt_mock::P12_PASSWORD,
        )
        .connect_timeout(Duration::from_secs(5))
        .request_timeout(timeout)
        .rate_limit(interval)
        .build()
        .unwrap();
    SkickaTidredovisningResponderPortClient::new(soap)
}

fn reports(group: u32, n: u64) -> Vec<SignedSubmission> {
    (0..n)
        .map(|i| submission(&report_id(group, i)).unwrap())
        .collect()
}

fn ok_items(
    v: &[SignedSubmission],
) -> impl Iterator<Item = Result<SignedSubmission, Infallible>> + '_ {
    v.iter().cloned().map(Ok)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hundred_reports_are_accepted_and_match_the_mock_log_one_by_one() {
    let dir = scratch("three-hundred");
    let interval = Duration::from_millis(5);
    // The mock refuses calls closer than 5 ms (less its grace): the limiter must hold.
    let (certs, server) = mock(&dir, Some(200.0), Misbehaviour::default()).await;
    let journal = Journal::create(dir.join("journal.sqlite")).unwrap();
    let mut submitter = Submitter::new(
        client(
            &server.url(),
            &certs,
            Some(interval),
            Duration::from_secs(15),
        ),
        journal,
    );
    let batch = reports(0x300, 300);
    let mut calls = 0;
    let summary = submitter
        .submit_batch(ok_items(&batch), |_, counts| {
            calls += 1;
            assert_eq!(counts.done, calls);
        })
        .await;
    assert!(summary.stopped.is_none(), "{:?}", summary.stopped);
    assert_eq!(summary.counts.accepted, 300, "{:?}", summary.counts);
    assert!(summary.counts.all_accepted());

    let journal = submitter.journal();
    let received = server.received();
    assert_eq!(received.len(), 300);
    for (report, logged) in batch.iter().zip(&received) {
        let id = report.report.id();
        assert!(
            matches!(logged.outcome, Logged::Accepted(_)),
            "{:?}",
            logged.outcome
        );
        assert_eq!(logged.report_id.as_deref(), Some(id));
        let entry = journal.get(id).unwrap().unwrap();
        assert_eq!(entry.state, State::Accepted);
        assert_eq!(entry.tx_id, logged.tx_id, "report {id}");
        assert_eq!(entry.attempts, 1);
        // The raw response is kept and carries the tx-id.
        let response = String::from_utf8(entry.response.unwrap()).unwrap();
        assert!(
            response.contains(logged.tx_id.as_deref().unwrap()),
            "{response}"
        );
        // What arrived is exactly the signed bytes.
        assert_eq!(
            &logged.submission().unwrap().request.tidredovisning.value[..],
            report.report.bytes()
        );
    }

    // A second run sends nothing.
    let summary = submitter.submit_batch(ok_items(&batch), |_, _| {}).await;
    assert_eq!(summary.counts.already_accepted, 300);
    assert_eq!(server.received().len(), 300);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_is_unknown_not_resent_and_resend_sends_it_once() {
    let dir = scratch("dropped");
    let batch = reports(0xd20, 3);
    let dropped = batch[1].report.id().to_owned();
    let (certs, server) = mock(
        &dir,
        None,
        Misbehaviour {
            drop_after_read: Selection::ids([dropped.clone()]),
            ..Misbehaviour::default()
        },
    )
    .await;
    let journal = Journal::create(dir.join("journal.sqlite")).unwrap();
    let mut submitter = Submitter::new(
        client(&server.url(), &certs, None, Duration::from_secs(15)),
        journal,
    );
    let mut outcomes = Vec::new();
    let summary = submitter
        .submit_batch(ok_items(&batch), |item, _| {
            outcomes.push(item.outcome.clone())
        })
        .await;
    assert!(summary.stopped.is_none());
    assert!(matches!(outcomes[0], Outcome::Accepted { .. }));
    assert!(
        matches!(outcomes[1], Outcome::Unknown { .. }),
        "{:?}",
        outcomes[1]
    );
    assert!(
        matches!(outcomes[2], Outcome::Accepted { .. }),
        "the batch goes on"
    );
    assert_eq!(
        submitter.journal().get(&dropped).unwrap().unwrap().state,
        State::Unknown
    );

    // Again, with the mock behaving: unknown is not sent automatically.
    server.set_misbehaviour(Misbehaviour::default());
    let summary = submitter.submit_batch(ok_items(&batch), |_, _| {}).await;
    assert_eq!(summary.counts.awaiting_resolution, 1);
    assert_eq!(summary.counts.already_accepted, 2);
    assert_eq!(server.received().len(), 3, "nothing sent again");

    // Resolved to be sent again: sent once, accepted.
    let mut journal = submitter.into_journal();
    journal.resolve_resend(&dropped).unwrap();
    let mut submitter = Submitter::new(
        client(&server.url(), &certs, None, Duration::from_secs(15)),
        journal,
    );
    let summary = submitter.submit_batch(ok_items(&batch), |_, _| {}).await;
    assert_eq!(summary.counts.accepted, 1);
    let summary = submitter.submit_batch(ok_items(&batch), |_, _| {}).await;
    assert_eq!(summary.counts.already_accepted, 3);
    let received = server.received();
    let of_dropped: Vec<_> = received
        .iter()
        .filter(|r| r.report_id.as_deref() == Some(&dropped))
        .collect();
    assert_eq!(of_dropped.len(), 2, "dropped once, resent once");
    assert!(matches!(of_dropped[0].outcome, Logged::AnswerDropped(_)));
    let entry = submitter.journal().get(&dropped).unwrap().unwrap();
    assert_eq!(entry.attempts, 2);
    assert_eq!(entry.tx_id, of_dropped[1].tx_id);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn declared_faults_reject_those_reports_and_the_batch_goes_on() {
    let dir = scratch("faults");
    let batch = reports(0xfa0, 5);
    let faults = BTreeMap::from([
        (
            batch[1].report.id().to_owned(),
            DeclaredFault::XmlValidation("dag 31 finns inte i 2016-09".to_owned()),
        ),
        (
            batch[3].report.id().to_owned(),
            DeclaredFault::SignatureValidation("anordnarens signatur är återkallad".to_owned()),
        ),
    ]);
    let (certs, server) = mock(
        &dir,
        None,
        Misbehaviour {
            faults,
            ..Misbehaviour::default()
        },
    )
    .await;
    let journal = Journal::create(dir.join("journal.sqlite")).unwrap();
    let mut submitter = Submitter::new(
        client(&server.url(), &certs, None, Duration::from_secs(15)),
        journal,
    );
    let summary = submitter.submit_batch(ok_items(&batch), |_, _| {}).await;
    assert!(summary.stopped.is_none());
    assert_eq!((summary.counts.accepted, summary.counts.rejected), (3, 2));
    let journal = submitter.journal();
    let rejected = journal
        .list(&Filter {
            month: None,
            state: Some(State::Rejected),
        })
        .unwrap();
    let by_id: BTreeMap<_, _> = rejected.iter().map(|e| (e.id.as_str(), e)).collect();
    let e = by_id[batch[1].report.id()];
    assert_eq!(e.fault_code.as_deref(), Some("XmlValidationError"));
    assert_eq!(
        e.fault_message.as_deref(),
        Some("dag 31 finns inte i 2016-09")
    );
    let e = by_id[batch[3].report.id()];
    assert_eq!(e.fault_code.as_deref(), Some("SignatureValidationError"));
    assert_eq!(
        e.fault_message.as_deref(),
        Some("anordnarens signatur är återkallad")
    );
    let full = journal.get(&e.id).unwrap().unwrap();
    assert!(String::from_utf8_lossy(full.response.as_deref().unwrap()).contains("återkallad"));
    // Rejected reports are not sent again by a rerun.
    let summary = submitter.submit_batch(ok_items(&batch), |_, _| {}).await;
    assert_eq!(summary.counts.already_rejected, 2);
    assert_eq!(server.received().len(), 5);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_changed_after_signing_is_refused_before_sending() {
    let dir = scratch("changed");
    let (certs, server) = mock(&dir, None, Misbehaviour::default()).await;
    let journal = Journal::create(dir.join("journal.sqlite")).unwrap();
    let mut submitter = Submitter::new(
        client(&server.url(), &certs, None, Duration::from_secs(15)),
        journal,
    );
    let id = report_id(0xc4a, 1);
    let original = submission(&id).unwrap();
    assert!(matches!(
        submitter.submit(&original).await.unwrap(),
        Outcome::Accepted { .. }
    ));

    // Same id, one shift longer, signed anew: another digest.
    let text = String::from_utf8(original.report.bytes().to_vec()).unwrap();
    let changed_text = text.replacen("<tomTid>16.30</tomTid>", "<tomTid>17.30</tomTid>", 1);
    assert_ne!(changed_text, text);
    let changed = submission_of(changed_text.into_bytes()).unwrap();
    assert_ne!(changed.report.digest(), original.report.digest());
    match submitter.submit(&changed).await.unwrap() {
        Outcome::Refused { reason } => {
            assert!(reason.contains("changed after it was signed"), "{reason}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(server.received().len(), 1, "nothing more was sent");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signature_without_the_reports_payload_is_refused_before_sending() {
    let dir = scratch("payload");
    let (certs, server) = mock(&dir, None, Misbehaviour::default()).await;
    let journal = Journal::create(dir.join("journal.sqlite")).unwrap();
    let mut submitter = Submitter::new(
        client(&server.url(), &certs, None, Duration::from_secs(15)),
        journal,
    );
    let mut report = submission(&report_id(0x5a1, 1)).unwrap();
    // The signatures of another report.
    report.signatures = submission(&report_id(0x5a1, 2)).unwrap().signatures;
    assert!(matches!(
        submitter.submit(&report).await.unwrap(),
        Outcome::Refused { .. }
    ));
    assert!(server.received().is_empty());
    let entry = submitter
        .journal()
        .get(report.report.id())
        .unwrap()
        .unwrap();
    assert_eq!((entry.state, entry.attempts), (State::Queued, 0));
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_fault_stops_the_batch_and_leaves_the_report_queued() {
    let dir = scratch("rate");
    // The mock allows one call a second; the client's limit is off.
    let (certs, server) = mock(&dir, Some(1.0), Misbehaviour::default()).await;
    let journal = Journal::create(dir.join("journal.sqlite")).unwrap();
    let mut submitter = Submitter::new(
        client(&server.url(), &certs, None, Duration::from_secs(15)),
        journal,
    );
    let batch = reports(0x7a7, 4);
    let summary = submitter.submit_batch(ok_items(&batch), |_, _| {}).await;
    assert_eq!(summary.counts.accepted, 1);
    match &summary.stopped {
        Some(e @ SubmitError::RateLimited { id, .. }) => {
            assert_eq!(id, batch[1].report.id());
            assert!(e.to_string().contains("call rate"), "{e}");
        }
        other => panic!("expected a rate stop, got {other:?}"),
    }
    assert_eq!(server.received().len(), 2, "nothing after the rate fault");
    let entry = submitter
        .journal()
        .get(batch[1].report.id())
        .unwrap()
        .unwrap();
    assert_eq!(entry.state, State::Queued);
    assert!(entry.note.unwrap().contains("call rate"));
    assert!(
        submitter
            .journal()
            .get(batch[2].report.id())
            .unwrap()
            .is_none()
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_connection_sends_nothing_and_stops_the_batch() {
    let dir = scratch("refused");
    let (certs, server) = mock(&dir, None, Misbehaviour::default()).await;
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "https://{}/shs2/FK.ASE.Tidredovisning.ext",
        closed.local_addr().unwrap()
    );
    drop(closed);
    let journal = Journal::create(dir.join("journal.sqlite")).unwrap();
    let mut submitter =
        Submitter::new(client(&url, &certs, None, Duration::from_secs(15)), journal);
    let batch = reports(0xc0c, 2);
    let summary = submitter.submit_batch(ok_items(&batch), |_, _| {}).await;
    assert!(
        matches!(summary.stopped, Some(SubmitError::NotSent { .. })),
        "{:?}",
        summary.stopped
    );
    let entry = submitter
        .journal()
        .get(batch[0].report.id())
        .unwrap()
        .unwrap();
    assert_eq!(
        entry.state,
        State::Queued,
        "provably not sent: sent by the next run"
    );
    assert!(server.received().is_empty());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tls_handshake_failure_is_retried_per_the_policy_then_stops_the_batch() {
    let dir = scratch("tls-handshake");
    let (certs, server) = mock(&dir, None, Misbehaviour::default()).await;
    // Another test PKI: its CA did not issue the mock's server certificate, so the client
    // refuses the server in the handshake, before any request byte is written.
    let other = elt_mock::write_certs(&dir.join("other-certs")).unwrap();
    let soap = elt_soap::Client::builder(&server.url())
        .add_root_ca_pem(std::fs::read(&other.ca_cert).unwrap())
        .trust_built_in_roots(false)
        .identity_pkcs12(
            std::fs::read(&certs.client_p12).unwrap(),
            elt_mock::P12_PASSWORD,
        )
        .connect_timeout(Duration::from_secs(5))
        .rate_limit(Some(Duration::from_millis(10)))
        .retry(elt_soap::RetryPolicy::attempts(3))
        .build()
        .unwrap();
    let journal = Journal::create(dir.join("journal.sqlite")).unwrap();
    let mut submitter = Submitter::new(SkickaTidredovisningResponderPortClient::new(soap), journal);
    let batch = reports(0x715, 2);
    let mut items = 0;
    let summary = submitter
        .submit_batch(ok_items(&batch), |_, _| items += 1)
        .await;
    match &summary.stopped {
        Some(e @ SubmitError::NotSent { id, message }) => {
            assert_eq!(id, batch[0].report.id());
            assert!(message.contains("handshake"), "{message}");
            assert!(message.contains("(3 attempt(s))"), "{message}");
            assert!(e.to_string().contains("nothing reached the service"), "{e}");
        }
        other => panic!("expected the batch to stop with NotSent, got {other:?}"),
    }
    assert_eq!(items, 0, "the batch stopped at its first report");
    assert!(server.received().is_empty(), "nothing reached the mock");

    let journal = submitter.journal();
    let entry = journal.get(batch[0].report.id()).unwrap().unwrap();
    assert_eq!(entry.state, State::Queued, "provably not sent: queued");
    // Each attempt of the policy is journaled, and each ended `not sent`.
    let attempts = journal.attempts(batch[0].report.id()).unwrap();
    assert_eq!(attempts.len(), 3, "{attempts:?}");
    assert_eq!(entry.attempts, 3);
    for a in &attempts {
        assert_eq!(a.outcome.as_deref(), Some("not sent"), "{a:?}");
        assert!(a.finished_at.is_some());
    }
    assert!(journal.get(batch[1].report.id()).unwrap().is_none());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_while_waiting_for_the_rate_limiter_leaves_the_report_queued() {
    let dir = scratch("limiter-crash");
    let (certs, server) = mock(&dir, None, Misbehaviour::default()).await;
    let path = dir.join("journal.sqlite");
    let batch = reports(0x1a7, 2);
    // A long interval: the second report waits for its slot long after the first is answered.
    let mut submitter = Submitter::new(
        client(
            &server.url(),
            &certs,
            Some(Duration::from_secs(30)),
            Duration::from_secs(15),
        ),
        Journal::create(&path).unwrap(),
    );
    let first = submitter.submit(&batch[0]).await.unwrap();
    assert!(matches!(first, Outcome::Accepted { .. }), "{first:?}");
    // The process ends while the second report waits for the limiter: its future is dropped
    // there, as a crash would stop it.
    let waited =
        tokio::time::timeout(Duration::from_millis(300), submitter.submit(&batch[1])).await;
    assert!(waited.is_err(), "the second call waits for its slot");
    let second = batch[1].report.id();
    assert_eq!(
        submitter.journal().get(second).unwrap().unwrap().state,
        State::Queued,
        "nothing is committed as sending before the slot is taken"
    );
    drop(submitter);

    // The next run finds nothing to recover: the report never left, so it is not `unknown`.
    let journal = Journal::open(&path).unwrap();
    assert_eq!(journal.recovered(), 0);
    let entry = journal.get(second).unwrap().unwrap();
    assert_eq!(entry.state, State::Queued);
    assert_eq!(entry.attempts, 0);
    assert!(journal.attempts(second).unwrap().is_empty());
    assert_eq!(server.received().len(), 1, "only the first report left");

    // And it is sent by that run, once.
    let mut submitter = Submitter::new(
        client(&server.url(), &certs, None, Duration::from_secs(15)),
        journal,
    );
    let outcome = submitter.submit(&batch[1]).await.unwrap();
    assert!(matches!(outcome, Outcome::Accepted { .. }), "{outcome:?}");
    assert_eq!(server.received().len(), 2);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_slower_than_the_timeout_is_unknown() {
    let dir = scratch("slow");
    let (certs, server) = mock(
        &dir,
        None,
        Misbehaviour {
            delay: Some(Duration::from_millis(1500)),
            ..Misbehaviour::default()
        },
    )
    .await;
    let journal = Journal::create(dir.join("journal.sqlite")).unwrap();
    let mut submitter = Submitter::new(
        client(&server.url(), &certs, None, Duration::from_millis(400)),
        journal,
    );
    let report = submission(&report_id(0x510, 1)).unwrap();
    match submitter.submit(&report).await.unwrap() {
        Outcome::Unknown { reason } => assert!(reason.contains("timed out"), "{reason}"),
        other => panic!("expected unknown, got {other:?}"),
    }
    server.shutdown().await;
}

/// Collects what the log subscriber writes.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

// Single-threaded runtime: the thread-local subscriber sees every span.
#[tokio::test]
async fn each_call_has_a_span_with_the_report_id_and_tx_id() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let dir = scratch("span");
    let (certs, server) = mock(&dir, None, Misbehaviour::default()).await;
    let journal = Journal::create(dir.join("journal.sqlite")).unwrap();
    let mut submitter = Submitter::new(
        client(&server.url(), &certs, None, Duration::from_secs(15)),
        journal,
    );
    let report = submission(&report_id(0x5a2, 1)).unwrap();
    let Outcome::Accepted { tx_id } = submitter.submit(&report).await.unwrap() else {
        panic!("not accepted");
    };
    server.shutdown().await;
    let text = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    let closed = text
        .lines()
        .find(|l| l.contains("elt_submit::submitter: close"))
        .unwrap_or_else(|| panic!("no closed elt.submit span in:\n{text}"));
    assert!(
        closed.contains(&format!("report_id=\"{}\"", report.report.id()))
            || closed.contains(&format!("report_id={}", report.report.id())),
        "{closed}"
    );
    assert!(closed.contains(&tx_id), "{closed}");
    assert!(
        closed.contains("outcome=\"accepted\"") || closed.contains("outcome=accepted"),
        "{closed}"
    );
    // The SOAP call's span is inside it.
    assert!(
        text.contains("elt.submit") && text.contains("soap.call"),
        "{text}"
    );
}
