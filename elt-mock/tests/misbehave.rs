//! The mock's misbehaviour over real mutual TLS on loopback: a connection dropped after the
//! request was read, slow answers, declared faults for given report ids, and the log of report
//! ids and tx-ids.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::{answer, certs, client, example_report, fault, post, request};
use elt_mock::{DeclaredFault, Misbehaviour, MockConfig, MockServer, Outcome, Selection};
use elt_soap::SoapVersion;

/// The id of `wsdl/elt/examples/tidredovisning-1.xml`.
const EXAMPLE_ID: &str = "3f2c8a1e-5b7d-4c9a-9e21-7d4b6a0c1f58";

async fn start(certs: &elt_mock::CertPaths, misbehaviour: Misbehaviour) -> MockServer {
    elt_mock::start(MockConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        certs_dir: certs.dir.clone(),
        rate_per_second: None,
        misbehaviour,
        // Placeholder signatures: these tests are about the misbehaviour.
        signatures: elt_mock::SignatureCheck::Lenient,
        payload_format: Default::default(),
    })
    .await
    .expect("start the mock")
}

/// The example report with another id.
fn report_with_id(id: &str) -> Vec<u8> {
    let text = String::from_utf8(example_report()).unwrap();
    let changed = text.replacen(EXAMPLE_ID, id, 1);
    assert_ne!(changed, text);
    changed.into_bytes()
}

#[tokio::test]
async fn the_log_names_the_report_and_tx_id_of_each_request() {
    let certs = certs("misbehave-log");
    let server = start(&certs, Misbehaviour::default()).await;
    let client = client(&certs);
    let invalid = common::invalid_report();
    for body in [example_report(), invalid] {
        let response = post(&client, &server.url(), SoapVersion::Soap11, &request(body))
            .await
            .unwrap();
        answer(response).await;
    }
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].report_id.as_deref(), Some(EXAMPLE_ID));
    let accepted = received[0].submission().expect("accepted");
    assert_eq!(received[0].tx_id.as_deref(), Some(accepted.tx_id.as_str()));
    // A refused report is still named, without a tx-id.
    assert!(matches!(
        received[1].outcome,
        Outcome::XmlValidationError(_)
    ));
    assert_eq!(received[1].report_id.as_deref(), Some(EXAMPLE_ID));
    assert_eq!(received[1].tx_id, None);
    server.shutdown().await;
}

#[tokio::test]
async fn a_dropped_connection_registers_the_report_and_answers_nothing() {
    let certs = certs("misbehave-drop");
    let dropped = "0b6f3d1c-8a2e-4f5b-9c7d-1e2f3a4b5c6d";
    let server = start(
        &certs,
        Misbehaviour {
            drop_after_read: Selection::ids([dropped]),
            ..Misbehaviour::default()
        },
    )
    .await;
    let client = client(&certs);
    let result = post(
        &client,
        &server.url(),
        SoapVersion::Soap11,
        &request(report_with_id(dropped)),
    )
    .await;
    let error = result.expect_err("no answer may come");
    assert!(!error.is_connect(), "the request was sent: {error:?}");

    // Another report on the same server is answered.
    let response = post(
        &client,
        &server.url(),
        SoapVersion::Soap11,
        &request(example_report()),
    )
    .await
    .unwrap();
    assert_eq!(answer(response).await.status, 200);

    let received = server.received();
    assert_eq!(received.len(), 2);
    let Outcome::AnswerDropped(submission) = &received[0].outcome else {
        panic!("expected a dropped answer, got {:?}", received[0].outcome);
    };
    assert_eq!(received[0].report_id.as_deref(), Some(dropped));
    assert_eq!(
        received[0].tx_id.as_deref(),
        Some(submission.tx_id.as_str())
    );
    assert!(
        received[0].submission().is_none(),
        "not an answered acceptance"
    );

    // Changed while running: the same report is now answered.
    server.set_misbehaviour(Misbehaviour::default());
    let response = post(
        &client,
        &server.url(),
        SoapVersion::Soap11,
        &request(report_with_id(dropped)),
    )
    .await
    .unwrap();
    assert_eq!(answer(response).await.status, 200);
    assert!(matches!(server.received()[2].outcome, Outcome::Accepted(_)));
    server.shutdown().await;
}

#[tokio::test]
async fn declared_faults_answer_the_given_ids_only() {
    let certs = certs("misbehave-fault");
    let refused = "5d7e9f11-2a3b-4c5d-8e6f-7a8b9c0d1e2f";
    let faults = BTreeMap::from([(
        refused.to_owned(),
        DeclaredFault::SignatureValidation("the provider's signature is revoked".to_owned()),
    )]);
    let server = start(
        &certs,
        Misbehaviour {
            faults,
            ..Misbehaviour::default()
        },
    )
    .await;
    let client = client(&certs);
    let response = post(
        &client,
        &server.url(),
        SoapVersion::Soap11,
        &request(report_with_id(refused)),
    )
    .await
    .unwrap();
    let a = answer(response).await;
    assert_eq!(a.status, 500);
    let f = fault(&a.body);
    assert_eq!(
        f.details,
        [(
            "{urn:shs:emottagning:SkickaTidredovisning:1}SignatureValidationError".to_owned(),
            "the provider's signature is revoked".to_owned()
        )],
        "{}",
        a.body
    );
    let response = post(
        &client,
        &server.url(),
        SoapVersion::Soap11,
        &request(example_report()),
    )
    .await
    .unwrap();
    assert_eq!(answer(response).await.status, 200);
    let received = server.received();
    assert!(matches!(
        &received[0].outcome,
        Outcome::SignatureValidationError(m) if m == "the provider's signature is revoked"
    ));
    assert_eq!(received[0].report_id.as_deref(), Some(refused));
    assert!(matches!(received[1].outcome, Outcome::Accepted(_)));
    server.shutdown().await;
}

#[tokio::test]
async fn a_slow_answer_outlasts_a_short_client_timeout() {
    let certs = certs("misbehave-slow");
    let server = start(
        &certs,
        Misbehaviour {
            delay: Some(Duration::from_millis(1500)),
            ..Misbehaviour::default()
        },
    )
    .await;
    // The common client with a short timeout instead of 20 s.
    let ca = reqwest::Certificate::from_pem(&std::fs::read(&certs.ca_cert).unwrap()).unwrap();
    let mut pem = std::fs::read(&certs.client_cert).unwrap();
    pem.extend(std::fs::read(&certs.client_key).unwrap());
    let client = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(ca)
        .identity(reqwest::Identity::from_pem(&pem).unwrap())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let result = post(
        &client,
        &server.url(),
        SoapVersion::Soap11,
        &request(example_report()),
    )
    .await;
    let error = result.expect_err("the answer comes after the client gave up");
    assert!(error.is_timeout(), "{error:?}");
    // The mock processed it and logged it before the delay.
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert!(matches!(received[0].outcome, Outcome::Accepted(_)));
    server.shutdown().await;
}
