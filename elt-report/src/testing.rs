//! BankID-shaped test data for tests against the mock (and vendors' own tests): signature
//! documents, OCSP responses and `completionData` built from invented values.
//!
//! **Nothing here is a signature.** The documents have BankID's published structure (an
//! XML-DSig `Signature` whose `Object` holds `bankIdSignedData` with `usrVisibleData`,
//! `usrNonVisibleData` and `srvInfo`) but their `SignatureValue` and certificates are
//! placeholders, and the OCSP responses carry no valid signature. The agency refuses them;
//! the mock, which checks only the payload, accepts them.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use jiff::Timestamp;

use crate::signing::{CompletionData, PayloadFormat, SignedReport, User, visible_text};

/// A BankID-shaped signature document whose `usrNonVisibleData` is the base64 of
/// `non_visible` and `usrVisibleData` the base64 of `visible`.
pub fn signature_document(visible: &str, non_visible: &str) -> Vec<u8> {
    let v = BASE64.encode(visible);
    let nv = BASE64.encode(non_visible);
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>"#,
            r#"<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">"#,
            r#"<SignedInfo xmlns="http://www.w3.org/2000/09/xmldsig#">"#,
            r#"<CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>"#,
            r#"<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>"#,
            r##"<Reference Type="http://www.bankid.com/signature/v1.0.0/types" URI="#bidSignedData">"##,
            r#"<Transforms><Transform Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/></Transforms>"#,
            r#"<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>"#,
            r#"<DigestValue>VEVTVCBPTkxZ</DigestValue></Reference></SignedInfo>"#,
            r#"<SignatureValue>VEVTVCBPTkxZLCBOT1QgQSBTSUdOQVRVUkU=</SignatureValue>"#,
            r#"<KeyInfo Id="bidKeyInfo"><X509Data><X509Certificate>VEVTVA==</X509Certificate></X509Data></KeyInfo>"#,
            r#"<Object><bankIdSignedData xmlns="http://www.bankid.com/signature/v1.0.0/types" Id="bidSignedData">"#,
            r#"<usrVisibleData charset="UTF-8" visible="wysiwys">{v}</usrVisibleData>"#,
            r#"<usrNonVisibleData>{nv}</usrNonVisibleData>"#,
            r#"<srvInfo><name>VGVzdCByZWx5aW5nIHBhcnR5</name><nonce>VEVTVC1OT05DRQ==</nonce><displayName>VGVzdA==</displayName></srvInfo>"#,
            r#"<clientInfo><funcId>Signing</funcId><version>VEVTVA==</version><env><ai><type>TU9CSUxF</type></ai></env></clientInfo>"#,
            r#"</bankIdSignedData></Object></Signature>"#
        ),
        v = v,
        nv = nv
    )
    .into_bytes()
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
    out
}

/// A DER OCSP response (RFC 6960, status successful, `id-pkix-ocsp-basic`) whose only
/// meaningful field is `producedAt`; the signature is a placeholder.
pub fn ocsp_response(produced_at: Timestamp) -> Vec<u8> {
    let utc = produced_at.to_zoned(jiff::tz::TimeZone::UTC);
    let time = format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}Z",
        utc.year(),
        utc.month(),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    );
    let responder = tlv(0xa2, &tlv(0x04, &[0x11; 20]));
    let produced = tlv(0x18, time.as_bytes());
    let responses = tlv(0x30, &[]);
    let tbs = tlv(0x30, &[responder, produced, responses].concat());
    // sha256WithRSAEncryption, NULL parameters.
    let alg = tlv(
        0x30,
        &[
            tlv(
                0x06,
                &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b],
            ),
            tlv(0x05, &[]),
        ]
        .concat(),
    );
    let signature = tlv(0x03, &[0x00, 0x54, 0x45, 0x53, 0x54]);
    let basic = tlv(0x30, &[tbs, alg, signature].concat());
    // 1.3.6.1.5.5.7.48.1.1
    let oid = tlv(
        0x06,
        &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01],
    );
    let response_bytes = tlv(0xa0, &tlv(0x30, &[oid, tlv(0x04, &basic)].concat()));
    tlv(0x30, &[tlv(0x0a, &[0x00]), response_bytes].concat())
}

/// `completionData` for a signing of `reports` by `personal_number` at `signed_at`, with a
/// signature document carrying the payload of `format` and an OCSP response produced then.
pub fn completion_data(
    personal_number: &str,
    reports: &[&SignedReport],
    format: &PayloadFormat,
    signed_at: Timestamp,
) -> CompletionData {
    completion_data_with_payload(
        personal_number,
        &visible_text(reports),
        &format.payload(reports),
        signed_at,
    )
}

/// `completionData` whose signature document carries `non_visible` as given (for tests of
/// mismatches).
pub fn completion_data_with_payload(
    personal_number: &str,
    visible: &str,
    non_visible: &str,
    signed_at: Timestamp,
) -> CompletionData {
    CompletionData {
        user: User {
            personal_number: personal_number.to_owned(),
            name: "Test Testsson".to_owned(),
            given_name: "Test".to_owned(),
            surname: "Testsson".to_owned(),
        },
        device: None,
        bank_id_issue_date: None,
        signature: BASE64.encode(signature_document(visible, non_visible)),
        ocsp_response: BASE64.encode(ocsp_response(signed_at)),
    }
}
