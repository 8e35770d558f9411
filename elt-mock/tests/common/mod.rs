//! Shared helpers for the mock's tests: certificates, clients and requests.
#![allow(dead_code)] // Each test crate uses a different part of this module.

use std::path::{Path, PathBuf};
use std::time::Duration;

use elt_mock::{CertPaths, SOAP_ACTION};
use elt_soap::SoapVersion;
use elt_soap::envelope::{Body, ParsedFault, content_type, parse_envelope, write_request};
use elt_types::service::{
    SIGNATURE_VALIDATION_ERROR, SKICKA_TIDREDOVISNING, SignatureType, SkickaTidredovisningType,
    XML_VALIDATION_ERROR,
};
use elt_types::xmlmime::{Base64Binary, ContentType};
use elt_xml::chrono::NaiveDate;
use elt_xml::{Date, ParseLimits, parse_document};

/// A fresh test PKI in a directory of its own under the target directory.
pub fn certs(name: &str) -> CertPaths {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("elt-mock-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    elt_mock::write_certs(&dir).expect("write test certificates")
}

/// The example time report of the contract (invented people, Skatteverket test personnummer).
pub fn example_report() -> Vec<u8> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../wsdl/elt/examples/tidredovisning-1.xml");
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The example report with one personnummer cut to 11 digits.
pub fn invalid_report() -> Vec<u8> {
    let text = String::from_utf8(example_report()).unwrap();
    let bad = text.replacen(
        "<personnummer>191212121212</personnummer>",
        "<personnummer>19121212121</personnummer>",
        1,
    );
    assert_ne!(bad, text, "the example report no longer has 191212121212");
    bad.into_bytes()
}

fn bytes(b: &[u8]) -> Base64Binary {
    Base64Binary {
        content_type: None,
        value: b.to_vec().into(),
    }
}

fn signature(signature: &[u8]) -> SignatureType {
    SignatureType {
        // Placeholders: the mock does not verify BankID signatures.
        signature: bytes(signature),
        ocsp_response: bytes(b"placeholder OCSP response"),
        datum_for_signatur: Date::new(NaiveDate::from_ymd_opt(2016, 10, 3).unwrap()),
        any: Vec::new(),
    }
}

/// A `SkickaTidredovisning` request carrying `report`, signed (in placeholder) by both parties.
pub fn request(report: Vec<u8>) -> SkickaTidredovisningType {
    SkickaTidredovisningType {
        tidredovisning: Base64Binary {
            content_type: Some(ContentType::new("text/xml").unwrap()),
            value: report.into(),
        },
        assistent_signatur: signature(b"placeholder assistant signature"),
        anordnare_signatur: signature(b"placeholder provider signature"),
        any: Vec::new(),
    }
}

/// A `SkickaTidredovisning` request carrying `report` with BankID-shaped test signatures from
/// `elt_report::testing` (not real signatures) whose documents carry the report's payload, as
/// the mock's strict check wants; built by `SignedReport::request`.
pub fn signed_request(report: Vec<u8>) -> SkickaTidredovisningType {
    signed_request_with(report, None)
}

/// As [`signed_request`], with both signatures carrying the report's entry in `format`.
pub fn signed_request_in(
    report: Vec<u8>,
    format: &elt_report::PayloadFormat,
) -> SkickaTidredovisningType {
    use elt_report::testing;
    let signed = elt_report::SignedReport::from_bytes(report).unwrap();
    let at: elt_report::jiff::Timestamp = "2016-10-03T08:00:00Z".parse().unwrap();
    let assistant = testing::completion_data(signed.assistant(), &[&signed], format, at);
    let provider = testing::completion_data("199001012385", &[&signed], format, at);
    let options = elt_report::SigningOptions {
        payload_format: format.clone(),
        ..Default::default()
    };
    signed.request(&assistant, &provider, &options).unwrap()
}

/// As [`signed_request`], but the provider signature carries `provider_payload` instead.
pub fn signed_request_with(
    report: Vec<u8>,
    provider_payload: Option<&str>,
) -> SkickaTidredovisningType {
    use elt_report::testing;
    let signed = elt_report::SignedReport::from_bytes(report).unwrap();
    let at: elt_report::jiff::Timestamp = "2016-10-03T08:00:00Z".parse().unwrap();
    let format = elt_report::PayloadFormat::default();
    let assistant = testing::completion_data(signed.assistant(), &[&signed], &format, at);
    let provider = match provider_payload {
        Some(payload) => {
            testing::completion_data_with_payload("199001012385", "Tidredovisning", payload, at)
        }
        None => testing::completion_data("199001012385", &[&signed], &format, at),
    };
    // `request` refuses a mismatch itself; build the mismatched one by hand.
    let good = testing::completion_data("199001012385", &[&signed], &format, at);
    let mut request = signed
        .request(&assistant, &good, &elt_report::SigningOptions::default())
        .unwrap();
    if provider_payload.is_some() {
        use elt_report::base64::Engine as _;
        let document = elt_report::base64::engine::general_purpose::STANDARD
            .decode(&provider.signature)
            .unwrap();
        request.anordnare_signatur.signature = bytes(&document);
    }
    request
}

/// The request with an empty `signature` from the assistant.
pub fn request_with_empty_signature() -> SkickaTidredovisningType {
    let mut r = request(example_report());
    r.assistent_signatur.signature = bytes(b"");
    r
}

/// A reqwest client with `certs`' CA as its only root, presenting `identity` (client PEM files).
pub fn client_with(ca_pem: &Path, identity: Option<&CertPaths>) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(&std::fs::read(ca_pem).unwrap()).unwrap();
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(ca)
        .timeout(Duration::from_secs(20));
    if let Some(certs) = identity {
        let mut pem = std::fs::read(&certs.client_cert).unwrap();
        pem.extend(std::fs::read(&certs.client_key).unwrap());
        builder = builder.identity(reqwest::Identity::from_pem(&pem).unwrap());
    }
    builder.build().unwrap()
}

/// A client with the right CA and client certificate.
pub fn client(certs: &CertPaths) -> reqwest::Client {
    client_with(&certs.ca_cert, Some(certs))
}

/// Posts `request` in `version` with the right action headers.
pub async fn post(
    client: &reqwest::Client,
    url: &str,
    version: SoapVersion,
    request: &SkickaTidredovisningType,
) -> reqwest::Result<reqwest::Response> {
    let body = write_request(version, &SKICKA_TIDREDOVISNING, request, &[]).unwrap();
    post_raw(client, url, version, Some(SOAP_ACTION), body).await
}

/// Posts `body` in `version` with `action`.
pub async fn post_raw(
    client: &reqwest::Client,
    url: &str,
    version: SoapVersion,
    action: Option<&str>,
    body: String,
) -> reqwest::Result<reqwest::Response> {
    let mut req = client
        .post(url)
        .header("Content-Type", content_type(version, action))
        .body(body);
    if version == SoapVersion::Soap11 {
        req = req.header("SOAPAction", format!("\"{}\"", action.unwrap_or("")));
    }
    req.send().await
}

/// An answer read back: HTTP status, Content-Type and body text.
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

pub async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = response.text().await.unwrap();
    Answer {
        status,
        content_type,
        body,
    }
}

/// What a fault says: SOAP version, code, reason, and the declared detail entries as
/// `({namespace}name, message)`.
#[derive(Debug)]
pub struct Fault {
    pub version: SoapVersion,
    pub code: String,
    pub reason: String,
    pub details: Vec<(String, String)>,
}

/// Parses `body` as a fault envelope.
pub fn fault(body: &str) -> Fault {
    let doc = parse_document(body, ParseLimits::default()).unwrap();
    let envelope = parse_envelope(&doc).unwrap();
    let Body::Fault(ParsedFault {
        code,
        reason,
        detail_entries,
        ..
    }) = envelope.body
    else {
        panic!("not a fault: {body}");
    };
    let details = detail_entries
        .iter()
        .map(|n| {
            let name = format!(
                "{{{}}}{}",
                n.tag_name().namespace().unwrap_or(""),
                n.tag_name().name()
            );
            let message = if XML_VALIDATION_ERROR.matches(*n) {
                XML_VALIDATION_ERROR.read(*n).unwrap().message
            } else if SIGNATURE_VALIDATION_ERROR.matches(*n) {
                SIGNATURE_VALIDATION_ERROR.read(*n).unwrap().message
            } else {
                panic!("undeclared fault detail {name}: {body}")
            };
            (name, message)
        })
        .collect();
    Fault {
        version: envelope.version,
        code,
        reason,
        details,
    }
}
