//! Interop with an independent SOAP stack, Python `zeep` (in the test venv, see
//! `elt_tests::python`), loading the contract from the stand-in zip and, when present, from the
//! agency's own files in `../shared/corpus/fk_shs_emottagning`:
//!
//! - for the same inputs, the request our client sends and the one zeep builds from the WSDL
//!   are the same XML tree (`tests/interop/request_equality.py`);
//! - zeep, as a client, calls our mock service over mutual TLS, reads the `tx-id`, and sees
//!   the mock's faults as the declared fault elements (`tests/interop/zeep_client.py`).
//!
//! These never skip: without the venv or without zeep in it they fail.

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use common::{bytes, certs, describe, fixture, fixture_path, run, run_beside_the_mock, start_mock};
use elt_mock::Outcome;
use elt_tests::{python, shared_corpus, workspace_root};
use elt_types::client::SKICKA_TIDREDOVISNING;
use elt_types::elt_soap::envelope::write_request;
use elt_types::elt_xml::{AnyElement, AnyNode};
use elt_types::service::SkickaTidredovisningType;
use elt_types::xmlmime::{Base64Binary, ContentType};
use serde_json::{Value, json};

/// Time allowed for a script: zeep loads the WSDL and schemas once per source.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(120);

/// The contract sources zeep loads: the stand-in zip, and the agency's files when present.
fn sources() -> Vec<PathBuf> {
    let mut sources = vec![workspace_root().join("wsdl/elt/ELT.zip")];
    sources.extend(shared_corpus("fk_shs_emottagning"));
    sources
}

fn script(name: &str) -> PathBuf {
    workspace_root().join("tests/interop").join(name)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A base64Binary value as the script takes it: the bytes in hex (so that the base64 on each
/// side is made independently) and the content type.
fn binary_json(value: &Base64Binary) -> Value {
    json!({
        "hex": hex(&value.value.0),
        "contentType": value.content_type.as_ref().map(|c| c.get().clone()),
    })
}

/// An extension element (`xs:any namespace="##other"`), and the same as XML text for zeep.
fn extension(name: &str, text: &str) -> (AnyElement, String) {
    const NS: &str = "urn:example:elt-extension";
    let mut element = AnyElement::new(Some(NS), name);
    element
        .attributes
        .push((None, "system".to_owned(), "test".to_owned()));
    element.children.push(AnyNode::Text(text.to_owned()));
    let xml = format!(r#"<x:{name} xmlns:x="{NS}" system="test">{text}</x:{name}>"#);
    (element, xml)
}

/// The cases: our request and the inputs it was built from, as the script reads them.
fn cases() -> Vec<(&'static str, SkickaTidredovisningType, Value)> {
    let mut cases = Vec::new();

    // The contract's example report with its content type and text placeholders.
    let request = common::request(fixture("tidredovisning-1.xml"));
    cases.push(("example report", request, json!({})));

    // Another report without content type; every byte value in a signature (base64 with `+`
    // and `/`), content types on the signature values, and extension elements.
    let mut request = common::request(fixture("tidredovisning-2.xml"));
    request.tidredovisning.content_type = None;
    request.assistent_signatur.signature = bytes(&(0..=255).collect::<Vec<u8>>());
    request.assistent_signatur.ocsp_response = Base64Binary {
        content_type: Some(ContentType::new("application/ocsp-response").unwrap()),
        value: (0..=255).rev().collect::<Vec<u8>>().into(),
    };
    let (inner, inner_xml) = extension("signaturReferens", "order 7");
    request.anordnare_signatur.any.push(inner);
    let (outer, outer_xml) = extension("leverantorsReferens", "ref-42");
    request.any.push(outer);
    let extensions = json!({"any": [outer_xml], "anordnare-any": [inner_xml]});
    cases.push((
        "binary signatures, no content type, extensions",
        request,
        extensions,
    ));
    cases
}

fn signature_json(s: &elt_types::service::SignatureType, any: &Value) -> Value {
    json!({
        "signature": binary_json(&s.signature),
        "ocspResponse": binary_json(&s.ocsp_response),
        "datumForSignatur": s.datum_for_signatur.to_string(),
        "any": any,
    })
}

#[test]
fn our_request_is_the_one_zeep_builds_from_the_wsdl() {
    let dir = common::scratch("interop-request-equality");
    let op = &SKICKA_TIDREDOVISNING;
    let mut json_cases = Vec::new();
    for (i, (name, request, extra)) in cases().into_iter().enumerate() {
        // Exactly what `Client::call` sends: it calls `call_with_headers(op, &[], request)`,
        // whose `execute` serializes with `envelope::write_request(op.version, &op.input,
        // request, headers)` and POSTs those bytes unchanged as the body (elt-soap's
        // client.rs).
        let xml = write_request(op.version, &op.input, &request, &[]).expect("serializes");
        let file = dir.join(format!("request-{i}.xml"));
        std::fs::write(&file, &xml).unwrap();
        json_cases.push(json!({
            "name": name,
            "request": file,
            "tidredovisning": binary_json(&request.tidredovisning),
            "assistent-signatur": signature_json(&request.assistent_signatur, &json!([])),
            "anordnare-signatur": signature_json(
                &request.anordnare_signatur,
                extra.get("anordnare-any").unwrap_or(&json!([])),
            ),
            "any": extra.get("any").unwrap_or(&json!([])),
        }));
    }
    let inputs = dir.join("inputs.json");
    let document = json!({
        "soap_action": op.soap_action.expect("the binding has a SOAPAction"),
        "cases": json_cases,
    });
    std::fs::write(&inputs, serde_json::to_vec_pretty(&document).unwrap()).unwrap();

    let out = run(
        Command::new(python())
            .arg(script("request_equality.py"))
            .arg(&inputs)
            .args(sources()),
        SCRIPT_TIMEOUT,
    );
    assert!(
        out.status.success(),
        "our request differs from zeep's: {}",
        describe(&out)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let compared = stdout.lines().filter(|l| l.starts_with("ok ")).count();
    assert_eq!(
        compared,
        2 * sources().len(),
        "every case compared: {}",
        describe(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zeep_calls_the_mock_and_sees_the_declared_faults() {
    let certs = certs("interop-zeep-client");
    let server = start_mock(&certs, None).await;
    let report = fixture_path("tidredovisning-1.xml");

    let mut cmd = Command::new(python());
    cmd.arg(script("zeep_client.py"))
        .arg("--url")
        .arg(server.url())
        .arg("--ca")
        .arg(&certs.ca_cert)
        .arg("--cert")
        .arg(&certs.client_cert)
        .arg("--key")
        .arg(&certs.client_key)
        .arg("--report")
        .arg(&report)
        .args(sources());
    let out = run_beside_the_mock(cmd, SCRIPT_TIMEOUT).await;
    assert!(out.status.success(), "zeep as client: {}", describe(&out));

    let results: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let received = server.received();
    assert_eq!(results.len(), 3 * sources().len(), "{}", describe(&out));
    assert_eq!(received.len(), results.len(), "one request per call");
    // The script calls one after the other, so the log is in the same order.
    for (result, logged) in results.iter().zip(&received) {
        let field = |name: &str| result[name].as_str().unwrap_or_default().to_owned();
        match (field("call").as_str(), &logged.outcome) {
            ("valid", Outcome::Accepted(submission)) => {
                assert_eq!(field("tx_id"), submission.tx_id, "zeep read the tx-id");
                assert!(
                    submission.request.tidredovisning.value.0 == fixture("tidredovisning-1.xml"),
                    "zeep's report arrived byte for byte"
                );
            }
            ("invalid", Outcome::XmlValidationError(message)) => {
                assert_eq!(field("fault"), "XmlValidationError");
                assert_eq!(&field("message"), message);
            }
            ("empty-signature", Outcome::SignatureValidationError(message)) => {
                assert_eq!(field("fault"), "SignatureValidationError");
                assert_eq!(&field("message"), message);
            }
            (call, outcome) => panic!("call {call:?} was logged as {outcome:?}"),
        }
    }
    server.shutdown().await;
}
