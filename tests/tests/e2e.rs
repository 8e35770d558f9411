//! End to end over real mutual TLS on loopback: the generated client
//! (`SkickaTidredovisningResponderPortClient` over `elt_soap::Client`) against the mock service
//! started in this process, and the `submit` example (built by cargo, then run as a child
//! process) against the same mock.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{
    builder, certs, client, describe, example_report, fixture_path, invalid_report,
    is_lowercase_uuid, request, run, run_beside_the_mock, start_mock,
};
use elt_mock::Outcome;
use elt_tests::workspace_root;
use elt_types::client::{SkickaTidredovisningFault, SkickaTidredovisningResponderPortClient};
use elt_types::elt_soap::{Error, TransportError};

const SOAP11_CLIENT: &str = "{http://schemas.xmlsoap.org/soap/envelope/}Client";

#[tokio::test]
async fn a_valid_report_gets_a_tx_id_and_arrives_byte_for_byte() {
    let certs = certs("e2e-valid");
    let server = start_mock(&certs, None).await;
    let client = client(&server.url(), &certs, None);
    let report = example_report();

    let response = client
        .skicka_tidredovisning(&request(report.clone()))
        .await
        .expect("the mock accepts the example report");
    assert!(
        is_lowercase_uuid(&response.tx_id),
        "tx-id {:?} is not a lower-case UUID",
        response.tx_id
    );

    let received = server.received();
    assert_eq!(received.len(), 1, "{received:#?}");
    let submission = received[0].submission().expect("accepted");
    assert_eq!(submission.tx_id, response.tx_id);
    assert!(
        submission.request.tidredovisning.value.0 == report,
        "the report arrived changed: {} bytes sent, {} arrived",
        report.len(),
        submission.request.tidredovisning.value.0.len()
    );
    assert_eq!(
        received[0]
            .client_subject
            .as_deref()
            .map(|s| s.contains(elt_mock::CLIENT_COMMON_NAME)),
        Some(true),
        "the client certificate was presented"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn an_invalid_report_gets_the_declared_xml_validation_error() {
    let certs = certs("e2e-invalid");
    let server = start_mock(&certs, None).await;
    let client = client(&server.url(), &certs, None);

    let result = client
        .skicka_tidredovisning(&request(invalid_report()))
        .await;
    let (message, fault) = match result {
        Err(Error::Fault {
            detail: SkickaTidredovisningFault::XmlValidationError(detail),
            fault,
        }) => (detail.message, fault),
        other => panic!("expected an XmlValidationError fault, got {other:?}"),
    };
    assert!(
        message.contains("personnummer") && message.contains("19121212121"),
        "the message names the element and the value: {message}"
    );
    assert_eq!(fault.code, SOAP11_CLIENT);
    assert_eq!(fault.http_status, 500);

    let received = server.received();
    assert_eq!(received.len(), 1);
    match &received[0].outcome {
        Outcome::XmlValidationError(logged) => assert_eq!(logged, &message),
        other => panic!("the mock logged {other:?}"),
    }
    server.shutdown().await;
}

#[tokio::test]
async fn an_empty_signature_gets_the_declared_signature_validation_error() {
    let certs = certs("e2e-signature");
    let server = start_mock(&certs, None).await;
    let client = client(&server.url(), &certs, None);
    let mut request = request(example_report());
    request.anordnare_signatur.signature = common::bytes(b"");

    match client.skicka_tidredovisning(&request).await {
        Err(Error::Fault {
            detail: SkickaTidredovisningFault::SignatureValidationError(detail),
            fault,
        }) => {
            assert!(
                detail.message.contains("anordnare-signatur"),
                "{}",
                detail.message
            );
            assert_eq!(fault.code, SOAP11_CLIENT);
        }
        other => panic!("expected a SignatureValidationError fault, got {other:?}"),
    }
    server.shutdown().await;
}

#[tokio::test]
async fn a_client_without_a_certificate_cannot_connect() {
    let certs = certs("e2e-no-client-cert");
    let server = start_mock(&certs, None).await;
    let soap = builder(&server.url(), &certs.ca_cert)
        .rate_limit(None)
        .build()
        .expect("client");
    let client = SkickaTidredovisningResponderPortClient::new(soap);

    match client
        .skicka_tidredovisning(&request(example_report()))
        .await
    {
        Err(Error::Transport(TransportError::Tls { .. })) => {}
        other => panic!("expected a TLS error, got {other:?}"),
    }
    assert!(
        server.received().is_empty(),
        "no request may reach the service without a client certificate"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_wrong_server_ca_fails() {
    let certs = certs("e2e-wrong-ca");
    // Another test PKI: its CA did not issue the mock's server certificate.
    let other = common::certs("e2e-wrong-ca-other");
    let server = start_mock(&certs, None).await;
    let soap = builder(&server.url(), &other.ca_cert)
        .identity_pkcs12(
            std::fs::read(&certs.client_p12).unwrap(),
            elt_mock::P12_PASSWORD,
        )
        .rate_limit(None)
        .build()
        .expect("client");
    let client = SkickaTidredovisningResponderPortClient::new(soap);

    match client
        .skicka_tidredovisning(&request(example_report()))
        .await
    {
        Err(e @ Error::Transport(TransportError::Tls { .. })) => {
            let text = e.to_string();
            assert!(text.contains("certificate"), "{text}");
        }
        other => panic!("expected a TLS error, got {other:?}"),
    }
    assert!(server.received().is_empty());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_through_clones_arrive_spaced_by_the_interval() {
    const CALLS: usize = 5;
    let interval = Duration::from_millis(50);
    // What the property allows for the server's clock reading against the client's.
    let slack = Duration::from_millis(2);
    let certs = certs("e2e-rate");
    let server = start_mock(&certs, None).await;
    let client = client(&server.url(), &certs, Some(interval));

    let calls: Vec<_> = (0..CALLS)
        .map(|_| {
            let client = client.clone();
            let request = request(example_report());
            tokio::spawn(async move { client.skicka_tidredovisning(&request).await })
        })
        .collect();
    for call in calls {
        call.await
            .expect("the task")
            .expect("every call is accepted");
    }

    let received = server.received();
    assert_eq!(received.len(), CALLS);
    assert!(
        received
            .iter()
            .all(|r| matches!(r.outcome, Outcome::Accepted(_))),
        "none rejected: {received:#?}"
    );
    let mut arrivals: Vec<_> = received.iter().map(|r| r.arrived).collect();
    arrivals.sort();
    for pair in arrivals.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(
            gap + slack >= interval,
            "two calls arrived {gap:?} apart; the interval is {interval:?}"
        );
    }
    server.shutdown().await;
}

/// Builds the `submit` example with cargo (one invocation; usually nothing is left to build
/// after `cargo test --workspace`) and returns the path of its executable, or what cargo said.
/// A failed build is tried once more (other tests run cargo in the same workspace at the same
/// time); both outputs are kept in the error.
fn build_submit_example() -> Result<PathBuf, String> {
    let mut failures = Vec::new();
    for _ in 0..2 {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
        let mut cmd = Command::new(cargo);
        cmd.current_dir(workspace_root()).args([
            "build",
            "-p",
            "elt-types",
            "--example",
            "submit",
            "--message-format=json-render-diagnostics",
        ]);
        // Generous: on a busy machine cargo may wait for the build lock, then compile.
        let out = run(&mut cmd, Duration::from_secs(900));
        let executable = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "submit")
            .find_map(|m| m["executable"].as_str().map(PathBuf::from));
        match executable {
            Some(path) if out.status.success() => {
                if !failures.is_empty() {
                    eprintln!("the first build of the example failed:\n{}", failures[0]);
                }
                return Ok(path);
            }
            _ => failures.push(format!(
                "building the example (no executable named): {}",
                describe(&out)
            )),
        }
    }
    Err(failures.join("\n\nand again:\n"))
}

/// The `submit` example against the mock: a report accepted (exit 0, `tx-id: UUID`), then an
/// invalid one answered with the declared fault (exit 1, `fault: XmlValidationError: ...`).
/// The mock checks signatures leniently here: the example sends placeholder signatures
/// without signature files (see the next test for the strict mock).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_submit_example_sends_a_report_and_reports_a_fault() {
    let submit_exe = tokio::task::spawn_blocking(build_submit_example)
        .await
        .expect("the build's thread")
        .unwrap_or_else(|e| panic!("{e}"));
    let certs = certs("e2e-submit");
    let server = start_mock(&certs, None).await;
    let dir = common::scratch("e2e-submit-files");
    let invalid = dir.join("invalid.xml");
    std::fs::write(&invalid, invalid_report()).unwrap();

    let submit_to = |url: String, report: &Path| {
        let mut cmd = Command::new(&submit_exe);
        cmd.arg("--endpoint")
            .arg(url)
            .arg("--ca")
            .arg(&certs.ca_cert)
            .arg("--identity")
            .arg(&certs.client_p12)
            .args(["--password", elt_mock::P12_PASSWORD, "--timeout", "15"])
            .arg("--report")
            .arg(report);
        cmd
    };
    let submit = |report: &Path| submit_to(server.url(), report);
    let timeout = Duration::from_secs(60);

    let out = run_beside_the_mock(submit(&fixture_path("tidredovisning-1.xml")), timeout).await;
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let tx_id = stdout
        .lines()
        .find_map(|l| l.strip_prefix("tx-id: "))
        .unwrap_or_else(|| panic!("no tx-id line: {}", describe(&out)));
    assert!(is_lowercase_uuid(tx_id), "{tx_id:?}");
    let received = server.received();
    assert_eq!(received.len(), 1);
    let submission = received[0].submission().expect("accepted");
    assert_eq!(submission.tx_id, tx_id);
    assert!(
        submission.request.tidredovisning.value.0 == example_report(),
        "the example must send the file's bytes unchanged"
    );
    let placeholder =
        String::from_utf8_lossy(&submission.request.assistent_signatur.signature.value.0)
            .into_owned();
    assert!(placeholder.contains("PLACEHOLDER"), "{placeholder}");

    // The strict mock (the default) refuses placeholders with the declared fault, and accepts
    // the test signatures `elt-mock test-signatures` writes for the report.
    let strict = common::start_strict_mock(&certs, None).await;
    let to_strict = |report: &Path| submit_to(strict.url(), report);
    let out = run_beside_the_mock(to_strict(&fixture_path("tidredovisning-1.xml")), timeout).await;
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("fault: SignatureValidationError: "),
        "{}",
        describe(&out)
    );
    let signatures = dir.join("test-signatures");
    // What `elt-mock test-signatures` writes (tested in elt-mock/tests/cli.rs).
    std::fs::create_dir_all(&signatures).unwrap();
    let report = elt_report::SignedReport::from_bytes(example_report()).unwrap();
    let payload = elt_report::PayloadFormat::default().payload(&[&report]);
    let now = elt_report::jiff::Timestamp::now();
    for who in ["assistant", "provider"] {
        let document = elt_report::testing::signature_document("Tidredovisning", &payload);
        std::fs::write(signatures.join(format!("{who}-signature.xml")), document).unwrap();
        let ocsp = elt_report::testing::ocsp_response(now);
        std::fs::write(signatures.join(format!("{who}-ocsp.der")), ocsp).unwrap();
    }
    let mut signed = to_strict(&fixture_path("tidredovisning-1.xml"));
    for (flag, file) in [
        ("--assistant-signature", "assistant-signature.xml"),
        ("--assistant-ocsp", "assistant-ocsp.der"),
        ("--provider-signature", "provider-signature.xml"),
        ("--provider-ocsp", "provider-ocsp.der"),
    ] {
        signed.arg(flag).arg(signatures.join(file));
    }
    let out = run_beside_the_mock(signed, timeout).await;
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let accepted = strict.received();
    assert!(matches!(
        accepted[0].outcome,
        Outcome::SignatureValidationError(_)
    ));
    assert!(
        accepted[1].submission().is_some(),
        "{:?}",
        accepted[1].outcome
    );
    strict.shutdown().await;

    let out = run_beside_the_mock(submit(&invalid), timeout).await;
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let fault = stderr
        .lines()
        .find_map(|l| l.strip_prefix("fault: XmlValidationError: "))
        .unwrap_or_else(|| panic!("no fault line: {}", describe(&out)));
    let received = server.received();
    assert_eq!(received.len(), 2);
    match &received[1].outcome {
        Outcome::XmlValidationError(logged) => assert_eq!(logged, fault),
        other => panic!("the mock logged {other:?}"),
    }
    server.shutdown().await;
}
