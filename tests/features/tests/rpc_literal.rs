//! rpc/literal client stubs against zeep, on the fixture
//! `elt-codegen/tests/fixtures/features/rpc_literal/` (WS-I Basic Profile 1.1: the wrapper
//! `{soap:body namespace}Report` / `ReportResponse`, each part an unqualified child named after
//! it, of the part's `type=`; two parts of simple types, one of a complex type; a declared fault).
//!
//! zeep builds the request envelope for the operation and the generated code reads it back
//! equal; zeep reads the request and the response envelopes the generated code writes into the
//! same values; the declared fault is read from a fault envelope, as for document/literal.

use std::path::PathBuf;
use std::process::Command;

use elt_feature_tests::rpc_literal::{rpc_report, types};
use elt_soap::envelope::{Body, parse_envelope, write_fault, write_request, write_response};
use elt_soap::{FaultCode, FaultDetail, FaultMessage, SoapVersion};
use elt_xml::{Decimal, ParseLimits, XmlValue, parse_document};
use serde_json::{Value, json};

fn wsdl() -> PathBuf {
    elt_tests::workspace_root().join("elt-codegen/tests/fixtures/features/rpc_literal/report.wsdl")
}

/// Runs `tests/interop/rpc_literal.py` with `command` on `input` (written to a file first).
fn zeep(command: &str, name: &str, input: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rpc_literal");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, input).unwrap();
    let out = Command::new(elt_tests::python())
        .arg(elt_tests::workspace_root().join("tests/interop/rpc_literal.py"))
        .arg(wsdl())
        .arg(command)
        .arg(&file)
        .output()
        .expect("the validator venv's Python runs");
    assert!(
        out.status.success(),
        "rpc_literal.py {command}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn request() -> rpc_report::ReportRequest {
    rpc_report::ReportRequest {
        person: types::Person {
            personnummer: types::Personnummer::from_xml_text("191212121212").unwrap(),
            name: "Tolvan Tolvansson".into(),
            hours: Some(Decimal::from_xml_text("12.5").unwrap()),
        },
        month: types::Month::from_xml_text("2026-01").unwrap(),
        count: 3,
    }
}

fn request_json() -> Value {
    json!({
        "person": {"personnummer": "191212121212", "name": "Tolvan Tolvansson", "hours": "12.5"},
        "month": "2026-01",
        "count": 3,
    })
}

/// The body element of an envelope, read by `read`.
fn body<T>(envelope: &str, read: impl FnOnce(elt_xml::Node<'_, '_>) -> T) -> T {
    let doc = parse_document(envelope, ParseLimits::default()).unwrap();
    let env = parse_envelope(&doc).unwrap();
    let Body::Payload(node) = env.body else {
        panic!("expected a payload in {envelope}")
    };
    read(node)
}

#[test]
fn the_request_zeep_builds_is_read_back_equal() {
    let envelope = zeep("build-request", "in.json", &request_json().to_string());
    // The wrapper is named after the operation, in the soap:body namespace; parts unqualified.
    assert!(
        envelope.contains("Report xmlns:ns0=\"urn:elt:rpc:service\"><person><personnummer>"),
        "{envelope}"
    );
    let value = body(&envelope, |n| rpc_report::REPORT_REQUEST.read(n)).unwrap();
    assert_eq!(value, request());
}

#[test]
fn zeep_reads_the_request_we_write_into_the_same_values() {
    let operation = rpc_report::REPORT;
    let envelope = write_request(operation.version, &operation.input, &request(), &[]).unwrap();
    let read: Value =
        serde_json::from_str(&zeep("read-request", "request.xml", &envelope)).unwrap();
    assert_eq!(read, request_json(), "zeep read {envelope}");
    assert_eq!(operation.name, "Report");
    assert_eq!(operation.soap_action, Some("urn:elt:rpc:report"));
}

#[test]
fn zeep_reads_the_response_we_write_and_we_read_it_back() {
    let response = rpc_report::ReportResponse {
        receipt: "R-2026-0001".into(),
        accepted: true,
    };
    let operation = rpc_report::REPORT;
    let envelope = write_response(SoapVersion::Soap11, &operation.output, &response).unwrap();
    assert!(
        envelope.contains("ReportResponse"),
        "the response wrapper is the operation name + Response: {envelope}"
    );
    let read: Value =
        serde_json::from_str(&zeep("read-response", "response.xml", &envelope)).unwrap();
    assert_eq!(read, json!({"receipt": "R-2026-0001", "accepted": true}));
    let back = body(&envelope, |n| operation.output.read(n)).unwrap();
    assert_eq!(back, response);
}

#[test]
fn the_declared_fault_is_read_as_for_document_literal() {
    let fault = rpc_report::ReportFault::Rejected(types::Rejected {
        code: 42,
        reason: "månaden är redan redovisad".into(),
    });
    let message = FaultMessage {
        code: FaultCode::Client,
        reason: "rejected".into(),
    };
    let envelope = write_fault(SoapVersion::Soap11, &message, Some(&fault)).unwrap();
    let doc = parse_document(&envelope, ParseLimits::default()).unwrap();
    let env = parse_envelope(&doc).unwrap();
    let Body::Fault(parsed) = env.body else {
        panic!("expected a fault in {envelope}")
    };
    let read = rpc_report::ReportFault::read_detail(parsed.detail_entries[0]).unwrap();
    assert_eq!(read, Some(fault));
}
