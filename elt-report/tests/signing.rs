//! Signing: the exact bytes, the `/sign` payload, `completionData` to `SignatureType`, and the
//! checks before sending.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use elt_report::jiff::Timestamp;
use elt_report::jiff::civil::date;
use elt_report::signing::{
    SignatureDocument, USER_NON_VISIBLE_DATA_MAX, USER_VISIBLE_DATA_MAX, visible_text,
};
use elt_report::{
    PayloadFormat, ReportError, SignedReport, SigningOptions, load_signatures, sign_request,
    testing,
};

fn example(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../wsdl/elt/examples/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn report() -> SignedReport {
    SignedReport::from_bytes(example("tidredovisning-1.xml")).unwrap()
}

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

const PROVIDER_SIGNER: &str = "199001012385";

#[test]
fn the_report_keeps_its_bytes_and_names_its_parts() {
    // CRLF and a BOM stay in the bytes; the digest does not see them.
    let mut bytes = vec![0xef, 0xbb, 0xbf];
    bytes.extend(
        String::from_utf8(example("tidredovisning-1.xml"))
            .unwrap()
            .replace('\n', "\r\n")
            .into_bytes(),
    );
    let crlf = SignedReport::from_bytes(bytes.clone()).unwrap();
    let r = report();
    assert_eq!(crlf.bytes(), &bytes[..]);
    assert_eq!(crlf.digest(), r.digest());
    assert_eq!(
        r.digest(),
        "74054e4896c10276c6db4e790b82ea2bf94b89e298b7e2265f2fc4bc2f18c0dc"
    );
    assert_eq!(r.id(), "3f2c8a1e-5b7d-4c9a-9e21-7d4b6a0c1f58");
    assert_eq!(r.month(), "2016-09");
    assert_eq!(r.person(), "191212121212");
    assert_eq!(r.assistant(), "201212121212");
    assert_eq!(r.report().assistent.fornamn, "Stina");
}

#[test]
fn what_is_not_a_report_is_refused_naming_why() {
    for (bytes, says) in [
        (&b"\xff\xfe"[..], "not UTF-8"),
        (b"<a", "not usable XML"),
        (b"<!DOCTYPE a><a/>", "not usable XML"),
        (b"<a/>", "not a valid Tidredovisning"),
    ] {
        let e = SignedReport::from_bytes(bytes.to_vec()).unwrap_err();
        assert!(e.to_string().contains(says), "{e}");
    }
}

#[test]
fn the_sign_payload_is_base64_of_id_comma_digest_joined_with_semicolons() {
    let one = report();
    let two = SignedReport::from_bytes(example("tidredovisning-2.xml")).unwrap();
    let format = PayloadFormat::default();

    let sign = sign_request(&[&one], "192.0.2.1", &format).unwrap();
    assert_eq!(sign.end_user_ip, "192.0.2.1");
    assert_eq!(sign.user_visible_data_format, "simpleMarkdownV1");
    let non_visible = String::from_utf8(B64.decode(&sign.user_non_visible_data).unwrap()).unwrap();
    assert_eq!(non_visible, format!("{},{}", one.id(), one.digest()));

    let sign = sign_request(&[&one, &two], "192.0.2.1", &format).unwrap();
    let non_visible = String::from_utf8(B64.decode(&sign.user_non_visible_data).unwrap()).unwrap();
    assert_eq!(
        non_visible,
        format!(
            "{},{};{},{}",
            one.id(),
            one.digest(),
            two.id(),
            two.digest()
        )
    );

    // Another format, if the agency's description says so.
    let custom = PayloadFormat {
        entry: "{digest}:{id}".to_owned(),
        separator: "\n".to_owned(),
    };
    let sign = sign_request(&[&one, &two], "192.0.2.1", &custom).unwrap();
    let non_visible = String::from_utf8(B64.decode(&sign.user_non_visible_data).unwrap()).unwrap();
    assert_eq!(
        non_visible,
        format!(
            "{}:{}\n{}:{}",
            one.digest(),
            one.id(),
            two.digest(),
            two.id()
        )
    );

    // The JSON BankID wants.
    let json = serde_json::to_value(&sign).unwrap();
    for key in [
        "endUserIp",
        "userVisibleData",
        "userVisibleDataFormat",
        "userNonVisibleData",
    ] {
        assert!(json.get(key).is_some(), "{key} in {json}");
    }
    assert!(matches!(
        sign_request(&[], "192.0.2.1", &format),
        Err(ReportError::NoReports)
    ));
}

#[test]
fn the_visible_text_is_short_swedish_markdown_within_bankids_limit() {
    let r = report();
    let text = visible_text(&[&r]);
    assert_eq!(
        text,
        "# Tidredovisning september 2016\n\n\
         Assistansberättigad: Tolvan Tolvansson, 19121212-1212\n\n\
         Assistent: Stina Provsdotter, 20121212-1212\n\n\
         Aktiv tid: 13 h 00 min\n\n\
         Väntetid: 1 h 00 min\n\n\
         Beredskapstid: 2 h 00 min\n\n\
         Totalt: 16 h 00 min\n"
    );
    let sign = sign_request(&[&r], "192.0.2.1", &PayloadFormat::default()).unwrap();
    assert_eq!(
        B64.decode(&sign.user_visible_data).unwrap(),
        text.as_bytes()
    );

    // Markdown in a name cannot change the layout.
    let bytes = String::from_utf8(example("tidredovisning-1.xml"))
        .unwrap()
        .replace("<fornamn>Stina</fornamn>", "<fornamn># *Stina*</fornamn>");
    let named = SignedReport::from_bytes(bytes).unwrap();
    assert!(visible_text(&[&named]).contains("Assistent:  Stina Provsdotter"));

    // Too many reports for one visible text: refused with BankID's limit named.
    let many: Vec<&SignedReport> = std::iter::repeat_n(&r, 150).collect();
    match sign_request(&many, "192.0.2.1", &PayloadFormat::default()) {
        Err(ReportError::TooLong { field, limit, .. }) => {
            assert_eq!((field, limit), ("userVisibleData", USER_VISIBLE_DATA_MAX));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_non_visible_data_is_refused_past_bankids_limit() {
    let r = report();
    // A vendor's entry format with a long fixed part, so that one report's payload reaches
    // the limit (the visible text stays short).
    let padded = |pad: usize| PayloadFormat {
        entry: format!("{{id}},{{digest}},{}", "x".repeat(pad)),
        separator: ";".to_owned(),
    };
    // Base64 writes 4 characters per 3 bytes: a payload of limit * 3 / 4 bytes is exactly at
    // the limit.
    let at_limit = USER_NON_VISIBLE_DATA_MAX / 4 * 3;
    let fixed = padded(0).payload(&[&r]).len();
    let exactly = padded(at_limit - fixed);
    let sign = sign_request(&[&r], "192.0.2.1", &exactly).expect("at the limit");
    assert_eq!(sign.user_non_visible_data.len(), USER_NON_VISIBLE_DATA_MAX);

    let over = padded(at_limit - fixed + 1);
    match sign_request(&[&r], "192.0.2.1", &over) {
        Err(
            e @ ReportError::TooLong {
                field,
                length,
                limit,
            },
        ) => {
            assert_eq!(field, "userNonVisibleData");
            assert_eq!(limit, USER_NON_VISIBLE_DATA_MAX);
            assert_eq!(length, USER_NON_VISIBLE_DATA_MAX + 4);
            assert!(
                e.to_string().contains("BankID allows at most 200000"),
                "{e}"
            );
        }
        other => panic!("expected userNonVisibleData to be refused, got {other:?}"),
    }
}

#[test]
fn completion_data_becomes_the_requests_signatures() {
    let r = report();
    let format = PayloadFormat::default();
    // 22:30 UTC on 31 March 2026 is 00:30 on 1 April in Stockholm (summer time).
    let assistant =
        testing::completion_data(r.assistant(), &[&r], &format, at("2026-03-31T22:30:00Z"));
    let provider =
        testing::completion_data(PROVIDER_SIGNER, &[&r], &format, at("2026-01-15T22:59:59Z"));
    let request = r
        .request(&assistant, &provider, &SigningOptions::default())
        .unwrap();
    assert_eq!(request.tidredovisning.value.0, r.bytes());
    assert_eq!(
        request.assistent_signatur.signature.value.0,
        B64.decode(&assistant.signature).unwrap()
    );
    assert_eq!(
        request.anordnare_signatur.ocsp_response.value.0,
        B64.decode(&provider.ocsp_response).unwrap()
    );
    assert_eq!(
        request.assistent_signatur.datum_for_signatur.to_string(),
        "2026-04-01"
    );
    // 22:59:59 UTC in winter is 23:59:59 in Stockholm.
    assert_eq!(
        request.anordnare_signatur.datum_for_signatur.to_string(),
        "2026-01-15"
    );
    // The request serializes and reads back as the schema wants.
    let xml = elt_types::service::SKICKA_TIDREDOVISNING
        .to_xml(&request)
        .unwrap();
    let back = elt_types::service::SKICKA_TIDREDOVISNING
        .from_xml(&xml)
        .unwrap();
    assert_eq!(back, request);

    // The caller may give the date instead of the OCSP response's.
    let opts = SigningOptions {
        signing_date: Some(date(2026, 4, 2)),
        ..Default::default()
    };
    let request = r.request(&assistant, &provider, &opts).unwrap();
    assert_eq!(
        request.anordnare_signatur.datum_for_signatur.to_string(),
        "2026-04-02"
    );
}

#[test]
fn each_mismatch_is_refused_with_what_differs() {
    let r = report();
    let other = SignedReport::from_bytes(example("tidredovisning-2.xml")).unwrap();
    let format = PayloadFormat::default();
    let when = at("2026-03-31T10:00:00Z");
    let good_a = testing::completion_data(r.assistant(), &[&r], &format, when);
    let good_p = testing::completion_data(PROVIDER_SIGNER, &[&other, &r], &format, when);
    let opts = SigningOptions::default();
    assert!(r.request(&good_a, &good_p, &opts).is_ok());

    // The assistant signature made by someone else.
    let by_other = testing::completion_data(PROVIDER_SIGNER, &[&r], &format, when);
    match r.request(&by_other, &good_p, &opts) {
        Err(ReportError::SignerMismatch { expected, found }) => {
            assert_eq!(
                (expected.as_str(), found.as_str()),
                ("201212121212", PROVIDER_SIGNER)
            );
        }
        other => panic!("{other:?}"),
    }

    // The provider signed another report.
    let wrong_p = testing::completion_data(PROVIDER_SIGNER, &[&other], &format, when);
    match r.request(&good_a, &wrong_p, &opts) {
        Err(ReportError::PayloadMismatch {
            role,
            expected,
            found,
            ..
        }) => {
            assert_eq!(role, "anordnare");
            assert_eq!(expected, format!("{},{}", r.id(), r.digest()));
            assert_eq!(found, format!("{},{}", other.id(), other.digest()));
        }
        other => panic!("{other:?}"),
    }

    // The same id with another digest (the report changed after signing).
    let stale = testing::completion_data_with_payload(
        r.assistant(),
        "x",
        &format!("{},{}", r.id(), "0".repeat(64)),
        when,
    );
    let e = r.request(&stale, &good_p, &opts).unwrap_err();
    assert!(
        matches!(
            e,
            ReportError::PayloadMismatch {
                role: "assistent",
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains(r.digest()), "{e}");

    // A payload in another format than the one checked.
    let custom = PayloadFormat {
        entry: "{digest}".to_owned(),
        separator: ";".to_owned(),
    };
    let signed_custom = testing::completion_data(r.assistant(), &[&r], &custom, when);
    assert!(r.request(&signed_custom, &good_p, &opts).is_err());
    let custom_opts = SigningOptions {
        payload_format: custom.clone(),
        ..Default::default()
    };
    let p_custom = testing::completion_data(PROVIDER_SIGNER, &[&r], &custom, when);
    assert!(r.request(&signed_custom, &p_custom, &custom_opts).is_ok());

    // Not base64, not a signature document, no OCSP time.
    let mut bad = good_a.clone();
    bad.signature = "not base64!".to_owned();
    let e = r.request(&bad, &good_p, &opts).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("assistent.signature is not valid base64"),
        "{e}"
    );
    let mut bad = good_a.clone();
    bad.signature = B64.encode("<a/>");
    let e = r.request(&bad, &good_p, &opts).unwrap_err();
    assert!(e.to_string().contains("not an XML-DSig Signature"), "{e}");
    let mut bad = good_a.clone();
    bad.signature = B64.encode(r#"<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/>"#);
    let e = r.request(&bad, &good_p, &opts).unwrap_err();
    assert!(e.to_string().contains("no bankIdSignedData"), "{e}");
    let mut bad = good_a.clone();
    bad.ocsp_response = B64.encode(b"\x30\x03\x0a\x01\x01");
    let e = r.request(&bad, &good_p, &opts).unwrap_err();
    assert!(e.to_string().contains("responseStatus is 1"), "{e}");
    let mut bad = good_a.clone();
    bad.ocsp_response = B64.encode(b"garbage");
    let e = r.request(&bad, &good_p, &opts).unwrap_err();
    assert!(e.to_string().contains("assistent OCSP response"), "{e}");
}

#[test]
fn the_signature_document_has_bankids_structure() {
    let doc = testing::signature_document("synligt", "id,digest");
    let parsed = SignatureDocument::parse(&doc).unwrap();
    assert_eq!(parsed.non_visible_text().unwrap(), "id,digest");
    assert_eq!(
        B64.decode(parsed.usr_visible_data.unwrap()).unwrap(),
        b"synligt"
    );
    let text = String::from_utf8(doc).unwrap();
    for part in [
        "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">",
        "<Object><bankIdSignedData xmlns=\"http://www.bankid.com/signature/v1.0.0/types\"",
        "<srvInfo>",
    ] {
        assert!(text.contains(part), "{part}");
    }
}

#[test]
fn the_ocsp_time_is_read_from_der() {
    for t in [
        "2025-10-26T00:59:59Z",
        "2026-03-29T01:00:00Z",
        "1999-12-31T23:59:59Z",
    ] {
        let der = testing::ocsp_response(at(t));
        assert_eq!(elt_report::ocsp::produced_at(&der).unwrap(), at(t));
        // Any truncation is an error, never a panic.
        for n in 0..der.len() {
            assert!(
                elt_report::ocsp::produced_at(&der[..n]).is_err(),
                "{t} cut at {n}"
            );
        }
    }
}

#[test]
fn signatures_json_has_the_agreed_shape() {
    let r = report();
    let format = PayloadFormat::default();
    let when = at("2026-03-31T10:00:00Z");
    let a = testing::completion_data(r.assistant(), &[&r], &format, when);
    let p = testing::completion_data(PROVIDER_SIGNER, &[&r], &format, when);
    let json = format!(
        r#"{{"assistent": {{"user": {{"personalNumber": "{}", "name": "Stina Provsdotter", "givenName": "Stina", "surname": "Provsdotter"}},
             "device": {{"ipAddress": "192.0.2.1", "uhi": "OZvYM9VvyiAmG7NA5jU5zRGcIA=="}},
             "bankIdIssueDate": "2020-02-01", "stepUp": {{"mrtd": false}},
             "signature": "{}", "ocspResponse": "{}"}},
           "anordnare": {}}}"#,
        r.assistant(),
        a.signature,
        a.ocsp_response,
        serde_json::to_string(&p).unwrap()
    );
    let s = load_signatures(json.as_bytes()).unwrap();
    assert_eq!(s.assistant.user.personal_number, "201212121212");
    assert_eq!(s.assistant.user.given_name, "Stina");
    assert_eq!(s.assistant.device.as_ref().unwrap().ip_address, "192.0.2.1");
    assert_eq!(s.provider, p);
    assert!(
        r.request(&s.assistant, &s.provider, &SigningOptions::default())
            .is_ok()
    );

    let e = load_signatures(br#"{"assistent": {}}"#).unwrap_err();
    assert!(e.to_string().contains("signatures JSON"), "{e}");
}

/// The example report the crate carries for its front-page example (so the published package
/// documents and tests without the workspace) is the contract's example, byte for byte.
#[test]
fn the_crates_example_report_is_the_contracts() {
    let carried = std::fs::read(format!(
        "{}/examples/tidredovisning-1.xml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    assert_eq!(carried, example("tidredovisning-1.xml"));
}
