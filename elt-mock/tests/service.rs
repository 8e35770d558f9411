//! The mock over real mutual TLS on loopback, with reqwest as the vendor's client.

mod common;

use std::time::{Duration, Instant};

use common::{answer, certs, client, client_with, example_report, fault, post, post_raw, request};
use elt_mock::{CLIENT_COMMON_NAME, MockConfig, MockServer, Outcome, SOAP_ACTION, SignatureCheck};
use elt_soap::SoapVersion;
use elt_soap::envelope::{Body, parse_envelope, write_request};
use elt_types::service::{SKICKA_TIDREDOVISNING, SKICKA_TIDREDOVISNING_RESPONSE};
use elt_xml::{ParseLimits, parse_document};

const XML_VALIDATION_ERROR: &str = "{urn:shs:emottagning:SkickaTidredovisning:1}XmlValidationError";
const SIGNATURE_VALIDATION_ERROR: &str =
    "{urn:shs:emottagning:SkickaTidredovisning:1}SignatureValidationError";

/// The mock with lenient signatures: these tests are about the transport and send placeholder
/// signature bytes (`signatures_*` tests below use the strict default).
async fn start(certs: &elt_mock::CertPaths, rate: Option<f64>) -> MockServer {
    elt_mock::start(MockConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        certs_dir: certs.dir.clone(),
        rate_per_second: rate,
        misbehaviour: Default::default(),
        signatures: SignatureCheck::Lenient,
        payload_format: Default::default(),
    })
    .await
    .expect("start the mock")
}

/// Reads the tx-id from a response envelope, checking its SOAP version.
fn tx_id(body: &str, version: SoapVersion) -> String {
    let doc = parse_document(body, ParseLimits::default()).unwrap();
    let envelope = parse_envelope(&doc).unwrap();
    assert_eq!(envelope.version, version);
    let Body::Payload(node) = envelope.body else {
        panic!("a fault: {body}");
    };
    SKICKA_TIDREDOVISNING_RESPONSE.read(node).unwrap().tx_id
}

#[tokio::test]
async fn a_valid_request_gets_a_uuid_tx_id_and_is_logged() {
    let certs = certs("valid");
    let server = start(&certs, None).await;
    assert!(server.url().starts_with("https://127.0.0.1:"));
    assert!(server.url().ends_with("/shs2/FK.ASE.Tidredovisning.ext"));

    let before = Instant::now();
    let response = post(
        &client(&certs),
        &server.url(),
        SoapVersion::Soap11,
        &request(example_report()),
    )
    .await
    .unwrap();
    let after = Instant::now();
    let a = answer(response).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.content_type.starts_with("text/xml"), "{}", a.content_type);
    let tx_id = tx_id(&a.body, SoapVersion::Soap11);
    let uuid = uuid::Uuid::parse_str(&tx_id).unwrap();
    assert_eq!(uuid.get_version_num(), 4);
    assert_eq!(tx_id, uuid.to_string(), "lower case, hyphenated");

    let received = server.received();
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert!(before <= r.arrived && r.arrived <= after);
    assert_eq!(r.status, 200);
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/shs2/FK.ASE.Tidredovisning.ext");
    assert_eq!(r.soap_version, Some(SoapVersion::Soap11));
    let subject = r.client_subject.as_deref().unwrap();
    assert!(subject.contains(CLIENT_COMMON_NAME), "{subject}");
    let submission = r.submission().unwrap();
    assert_eq!(submission.tx_id, tx_id);
    assert_eq!(
        &submission.request.tidredovisning.value[..],
        &example_report()[..]
    );
    assert_eq!(submission.report.redovisningsmanad.get(), "2016-09");
    assert_eq!(submission.report.assistent.fornamn, "Stina");
    server.shutdown().await;
}

#[tokio::test]
async fn an_invalid_report_gets_an_xml_validation_error_naming_the_element() {
    let certs = certs("invalid-report");
    let server = start(&certs, None).await;
    let response = post(
        &client(&certs),
        &server.url(),
        SoapVersion::Soap11,
        &request(common::invalid_report()),
    )
    .await
    .unwrap();
    let a = answer(response).await;
    assert_eq!(a.status, 500);
    assert!(a.content_type.starts_with("text/xml"), "{}", a.content_type);
    let f = fault(&a.body);
    assert_eq!(f.version, SoapVersion::Soap11);
    assert!(f.code.ends_with("}Client"), "{f:?}");
    assert_eq!(f.details.len(), 1, "{f:?}");
    assert_eq!(f.details[0].0, XML_VALIDATION_ERROR);
    assert!(f.details[0].1.contains("personnummer"), "{f:?}");
    assert!(matches!(
        &server.received()[0].outcome,
        Outcome::XmlValidationError(m) if m.contains("personnummer")
    ));
    server.shutdown().await;
}

#[tokio::test]
async fn a_request_that_breaks_the_service_schema_gets_an_xml_validation_error() {
    let certs = certs("invalid-request");
    let server = start(&certs, None).await;
    // `anordnare-signatur` left out.
    let body = write_request(
        SoapVersion::Soap11,
        &SKICKA_TIDREDOVISNING,
        &request(example_report()),
        &[],
    )
    .unwrap();
    // The element, with whatever prefix the writer gave its namespace.
    let start = body[..body.find(":anordnare-signatur>").unwrap()]
        .rfind('<')
        .unwrap();
    let end = body.rfind(":anordnare-signatur>").unwrap() + ":anordnare-signatur>".len();
    let body = format!("{}{}", &body[..start], &body[end..]);
    let response = post_raw(
        &client(&certs),
        &server.url(),
        SoapVersion::Soap11,
        Some(SOAP_ACTION),
        body,
    )
    .await
    .unwrap();
    let a = answer(response).await;
    assert_eq!(a.status, 500);
    let f = fault(&a.body);
    assert_eq!(f.details[0].0, XML_VALIDATION_ERROR);
    assert!(f.details[0].1.contains("anordnare-signatur"), "{f:?}");
    assert!(f.details[0].1.contains("/SkickaTidredovisning"), "{f:?}");
    server.shutdown().await;
}

#[tokio::test]
async fn an_empty_signature_gets_a_signature_validation_error() {
    let certs = certs("empty-signature");
    let server = start(&certs, None).await;
    let response = post(
        &client(&certs),
        &server.url(),
        SoapVersion::Soap11,
        &common::request_with_empty_signature(),
    )
    .await
    .unwrap();
    let a = answer(response).await;
    assert_eq!(a.status, 500);
    let f = fault(&a.body);
    assert_eq!(f.details.len(), 1, "{f:?}");
    assert_eq!(f.details[0].0, SIGNATURE_VALIDATION_ERROR);
    assert!(f.details[0].1.contains("assistent-signatur"), "{f:?}");
    server.shutdown().await;
}

async fn start_strict(certs: &elt_mock::CertPaths) -> MockServer {
    // The default signature check; no rate limit, so that the calls follow each other.
    elt_mock::start(MockConfig {
        rate_per_second: None,
        ..MockConfig::new("127.0.0.1:0".parse().unwrap(), certs.dir.clone())
    })
    .await
    .expect("start the mock")
}

#[tokio::test]
async fn signatures_are_strict_by_default_and_must_carry_the_reports_payload() {
    let certs = certs("strict-signatures");
    let server = start_strict(&certs).await;
    assert_eq!(
        MockConfig::new("127.0.0.1:0".parse().unwrap(), ".").signatures,
        SignatureCheck::Strict
    );
    let report = elt_report::SignedReport::from_bytes(example_report()).unwrap();
    let http = client(&certs);

    // Carrying "{id},{digest}": accepted.
    let a = answer(
        post(
            &http,
            &server.url(),
            SoapVersion::Soap11,
            &common::signed_request(example_report()),
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);

    // The provider signed another digest, the same report id: refused, saying what differs.
    let other = format!("{},{}", report.id(), "ab".repeat(32));
    let request = common::signed_request_with(example_report(), Some(&other));
    let a = answer(
        post(&http, &server.url(), SoapVersion::Soap12, &request)
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(a.status, 500);
    let f = fault(&a.body);
    assert_eq!(f.details.len(), 1, "{}", a.body);
    assert_eq!(f.details[0].0, SIGNATURE_VALIDATION_ERROR);
    let message = &f.details[0].1;
    assert!(message.contains("anordnare-signatur"), "{message}");
    assert!(
        message.contains(report.digest()) && message.contains(&other),
        "{message}"
    );

    // Several reports in one provider signature, joined with ';': accepted.
    let several = format!(
        "{},{};{},{}",
        "0".repeat(8) + "-0000-4000-8000-" + &"0".repeat(12),
        "cd".repeat(32),
        report.id(),
        report.digest()
    );
    let request = common::signed_request_with(example_report(), Some(&several));
    let a = answer(
        post(&http, &server.url(), SoapVersion::Soap11, &request)
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);

    // Placeholder bytes: refused (they are not a signature document).
    let a = answer(
        post(
            &http,
            &server.url(),
            SoapVersion::Soap11,
            &request_placeholder(),
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(a.status, 500);
    let f = fault(&a.body);
    assert_eq!(f.details[0].0, SIGNATURE_VALIDATION_ERROR);
    assert!(f.details[0].1.contains("assistent-signatur"), "{f:?}");

    let outcomes: Vec<_> = server.received().into_iter().map(|r| r.outcome).collect();
    assert!(matches!(outcomes[0], Outcome::Accepted(_)));
    assert!(matches!(outcomes[1], Outcome::SignatureValidationError(_)));
    assert!(matches!(outcomes[2], Outcome::Accepted(_)));
    assert!(matches!(outcomes[3], Outcome::SignatureValidationError(_)));
    server.shutdown().await;
}

fn request_placeholder() -> elt_types::service::SkickaTidredovisningType {
    request(example_report())
}

#[tokio::test]
async fn a_wrong_soap_action_gets_a_client_fault_without_detail() {
    let certs = certs("wrong-action");
    let server = start(&certs, None).await;
    let body = write_request(
        SoapVersion::Soap11,
        &SKICKA_TIDREDOVISNING,
        &request(example_report()),
        &[],
    )
    .unwrap();
    let response = post_raw(
        &client(&certs),
        &server.url(),
        SoapVersion::Soap11,
        Some("urn:shs:emottagning:SkickaTidredovisningResponder:1:Annat"),
        body,
    )
    .await
    .unwrap();
    let a = answer(response).await;
    assert_eq!(a.status, 500);
    let f = fault(&a.body);
    assert!(f.code.ends_with("}Client"), "{f:?}");
    assert!(f.reason.contains("SOAPAction"), "{f:?}");
    assert!(f.details.is_empty(), "{f:?}");
    server.shutdown().await;
}

#[tokio::test]
async fn a_soap_12_request_gets_a_soap_12_answer() {
    let certs = certs("soap12");
    let server = start(&certs, None).await;
    let client = client(&certs);

    let response = post(
        &client,
        &server.url(),
        SoapVersion::Soap12,
        &request(example_report()),
    )
    .await
    .unwrap();
    let a = answer(response).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(
        a.content_type.starts_with("application/soap+xml"),
        "{}",
        a.content_type
    );
    uuid::Uuid::parse_str(&tx_id(&a.body, SoapVersion::Soap12)).unwrap();

    // Faults too come in SOAP 1.2, with its Sender code.
    let response = post(
        &client,
        &server.url(),
        SoapVersion::Soap12,
        &request(common::invalid_report()),
    )
    .await
    .unwrap();
    let a = answer(response).await;
    assert_eq!(a.status, 500);
    assert!(a.content_type.starts_with("application/soap+xml"));
    let f = fault(&a.body);
    assert_eq!(f.version, SoapVersion::Soap12);
    assert!(f.code.ends_with("}Sender"), "{f:?}");
    assert_eq!(f.details[0].0, XML_VALIDATION_ERROR);
    server.shutdown().await;
}

#[tokio::test]
async fn calls_faster_than_the_rate_get_a_server_fault() {
    let certs = certs("rate");
    // One call per second, the agency's rule: the two calls below must arrive within a second
    // of each other, which holds on a loaded machine too (a faster rate would make the test
    // depend on two requests arriving within a few milliseconds).
    let server = start(&certs, Some(1.0)).await;
    // Two clients with the same certificate are one client to the mock. Each opens its
    // connection first with a GET (answered 405, not counted), so the two calls below arrive
    // together however slow the TLS handshakes are on a busy machine.
    let (a, b) = (client(&certs), client(&certs));
    for c in [&a, &b] {
        c.get(server.url()).send().await.unwrap();
    }
    let (url, req) = (server.url(), request(example_report()));
    let (first, second) = tokio::join!(
        post(&a, &url, SoapVersion::Soap11, &req),
        post(&b, &url, SoapVersion::Soap11, &req),
    );
    let (first, second) = (answer(first.unwrap()).await, answer(second.unwrap()).await);
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [200, 500], "{}\n{}", first.body, second.body);
    let refused = if first.status == 500 { &first } else { &second };
    let f = fault(&refused.body);
    assert!(f.code.ends_with("}Server"), "{f:?}");
    assert!(f.reason.contains("call rate"), "{f:?}");
    assert!(f.details.is_empty(), "{f:?}");

    // After the interval (1 s, and the mock's tolerance) the client may call again.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let third = answer(
        post(&a, &server.url(), SoapVersion::Soap11, &req)
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(third.status, 200, "{}", third.body);

    let posts: Vec<_> = server
        .received()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    assert_eq!(posts.len(), 3);
    let accepted = posts.iter().filter(|r| r.submission().is_some()).count();
    let limited = posts
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::RateLimited))
        .count();
    assert_eq!((accepted, limited), (2, 1));
    assert!(matches!(posts[2].outcome, Outcome::Accepted(_)));
    server.shutdown().await;
}

/// The call failed in the TLS layer, with `cause` (a rustls error or alert) in its error chain.
fn assert_tls_failure(result: reqwest::Result<reqwest::Response>, cause: &str) {
    let err = result.expect_err("the call should have failed");
    let chain = format!("{err:?}");
    assert!(chain.contains(cause), "expected {cause} in {chain}");
}

#[tokio::test]
async fn a_client_without_a_certificate_cannot_call() {
    let certs = certs("no-client-cert");
    let server = start(&certs, None).await;
    let client = client_with(&certs.ca_cert, None);
    let result = post(
        &client,
        &server.url(),
        SoapVersion::Soap11,
        &request(example_report()),
    )
    .await;
    assert_tls_failure(result, "CertificateRequired");
    assert!(server.received().is_empty());
    server.shutdown().await;
}

#[tokio::test]
async fn a_client_certificate_from_another_ca_cannot_call() {
    let certs = certs("foreign-client");
    let other = common::certs("foreign-client-other-ca");
    let server = start(&certs, None).await;
    // Trusts the server, but presents a certificate the mock's CA did not issue.
    let client = client_with(&certs.ca_cert, Some(&other));
    let result = post(
        &client,
        &server.url(),
        SoapVersion::Soap11,
        &request(example_report()),
    )
    .await;
    assert_tls_failure(result, "AlertReceived");
    assert!(server.received().is_empty());
    server.shutdown().await;
}

#[tokio::test]
async fn a_client_trusting_another_ca_refuses_the_server() {
    let certs = certs("foreign-root");
    let other = common::certs("foreign-root-other-ca");
    let server = start(&certs, None).await;
    let client = client_with(&other.ca_cert, Some(&certs));
    let result = post(
        &client,
        &server.url(),
        SoapVersion::Soap11,
        &request(example_report()),
    )
    .await;
    assert_tls_failure(result, "InvalidCertificate");
    assert!(server.received().is_empty());
    server.shutdown().await;
}

#[tokio::test]
async fn requests_that_are_not_soap_get_http_errors() {
    let certs = certs("not-soap");
    let server = start(&certs, None).await;
    let client = client(&certs);

    let get = client.get(server.url()).send().await.unwrap();
    assert_eq!(get.status().as_u16(), 405);
    assert_eq!(get.headers()["allow"], "POST");

    let json = client
        .post(server.url())
        .header("Content-Type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(json.status().as_u16(), 415);

    // Not XML at all, but sent as SOAP: a fault, not a crash.
    for body in ["", "<", "\u{0}\u{1}", "<Envelope/>"] {
        let a = answer(
            post_raw(
                &client,
                &server.url(),
                SoapVersion::Soap11,
                Some(SOAP_ACTION),
                body.to_owned(),
            )
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(a.status, 500, "{body:?}: {}", a.body);
        fault(&a.body);
    }

    let statuses: Vec<u16> = server.received().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [405, 415, 500, 500, 500, 500]);
    server.shutdown().await;
}

#[tokio::test]
async fn the_mock_refuses_a_bad_rate_and_missing_certificates() {
    let certs = certs("bad-config");
    let bad_rate = elt_mock::start(MockConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        certs_dir: certs.dir.clone(),
        rate_per_second: Some(f64::NAN),
        misbehaviour: Default::default(),
        signatures: SignatureCheck::Strict,
        payload_format: Default::default(),
    })
    .await;
    assert!(matches!(bad_rate, Err(elt_mock::MockError::Config(_))));

    let missing = elt_mock::start(MockConfig::new(
        "127.0.0.1:0".parse().unwrap(),
        certs.dir.join("nowhere"),
    ))
    .await;
    let err = missing.err().unwrap().to_string();
    assert!(err.contains("ca.pem"), "{err}");
}

#[tokio::test]
async fn shutdown_and_drop_stop_listening() {
    let certs = certs("stop");
    let server = start(&certs, None).await;
    let addr = server.local_addr();
    server.shutdown().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());

    let server = start(&certs, None).await;
    let addr = server.local_addr();
    drop(server);
    // The accept loop notices on its next poll.
    let mut refused = false;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(10)).await;
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
    }
    assert!(refused, "still listening on {addr} after drop");
}

/// A vendor's own entry format, unlike `elt_report`'s default.
fn vendor_format() -> elt_mock::PayloadFormat {
    elt_mock::PayloadFormat {
        entry: "ELT:{id}:{digest}".to_owned(),
        separator: "|".to_owned(),
    }
}

#[tokio::test]
async fn signatures_are_read_in_the_configured_payload_format() {
    let certs = certs("payload-format");
    let custom = elt_mock::start(MockConfig {
        rate_per_second: None,
        payload_format: vendor_format(),
        ..MockConfig::new("127.0.0.1:0".parse().unwrap(), certs.dir.clone())
    })
    .await
    .expect("start the mock");
    let default = start_strict(&certs).await;
    let http = client(&certs);
    let in_vendor_format = common::signed_request_in(example_report(), &vendor_format());
    let in_default_format = common::signed_request(example_report());

    // The mock told the vendor's format accepts it.
    let a = answer(
        post(&http, &custom.url(), SoapVersion::Soap11, &in_vendor_format)
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    // ... and refuses the default format, which carries no entry in its format.
    let a = answer(
        post(
            &http,
            &custom.url(),
            SoapVersion::Soap11,
            &in_default_format,
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(a.status, 500, "{}", a.body);
    let f = fault(&a.body);
    assert_eq!(f.details[0].0, SIGNATURE_VALIDATION_ERROR);
    assert!(f.details[0].1.contains("ELT:"), "{}", f.details[0].1);

    // A mock with the default format refuses the vendor's.
    let a = answer(
        post(
            &http,
            &default.url(),
            SoapVersion::Soap11,
            &in_vendor_format,
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(a.status, 500, "{}", a.body);
    assert_eq!(fault(&a.body).details[0].0, SIGNATURE_VALIDATION_ERROR);
    custom.shutdown().await;
    default.shutdown().await;
}
