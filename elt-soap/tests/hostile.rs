//! Malformed and hostile SOAP responses from a canned server on loopback: each must end in its
//! own error, quickly, without a panic, a fetch or unbounded memory.

mod common;

use std::time::{Duration, Instant};

use common::*;
use elt_soap::{DEFAULT_MAX_RESPONSE_BYTES, Error};
use elt_types::service::SkickaTidredovisningResponseType;

type CallResult = Result<SkickaTidredovisningResponseType, Error<SkickaTidredovisningFault>>;

async fn answer(status: u16, content_type: &str, body: &str) -> CallResult {
    answer_raw(http(status, content_type, body, false)).await
}

async fn answer_raw(reply: Vec<u8>) -> CallResult {
    let server = CannedServer::start(Reply::Raw(reply)).await;
    let client = client_for(&server).build().expect("client");
    let started = Instant::now();
    let result = client.call(&SKICKA_11, &request()).await;
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "took {:?}",
        started.elapsed()
    );
    result
}

/// The message of an `InvalidResponse` (status 2xx), or a panic naming what came instead.
fn invalid(result: CallResult) -> String {
    match result {
        Err(Error::InvalidResponse {
            status, message, ..
        }) => {
            assert_eq!(status, 200);
            message
        }
        other => panic!("expected an invalid response, got {other:?}"),
    }
}

fn envelope(body: &str) -> String {
    format!(
        r#"<soapenv:Envelope xmlns:soapenv="{SOAP11}"><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"#
    )
}

#[tokio::test]
async fn not_well_formed_xml_names_line_and_column() {
    let body = format!(
        "<soapenv:Envelope xmlns:soapenv=\"{SOAP11}\">\n<soapenv:Body>\n<SkickaTidredovisningResponse xmlns=\"{SERVICE_NS}\"><tx-id>1</tx-id>\n</soapenv:Body></soapenv:Envelope>"
    );
    let m = invalid(answer(200, "text/xml", &body).await);
    assert!(m.contains("not usable XML"), "{m}");
    assert!(m.contains("(line 4, column"), "{m}");
    // Other breakages: mismatched tags, bad attribute, unbound prefix, stray `&`, control
    // characters, two roots, nothing but a declaration.
    for bad in [
        "<a><b></a></b>",
        "<a x=1/>",
        "<p:a/>",
        "<a>&</a>",
        "<a>\u{1}</a>",
        "<a/><b/>",
        "<?xml version=\"1.0\"?>",
        "<a>&undeclared;</a>",
    ] {
        let m = invalid(answer(200, "text/xml", bad).await);
        assert!(m.contains("not usable XML"), "{bad}: {m}");
    }
}

#[tokio::test]
async fn not_well_formed_xml_with_http_500_is_an_http_error() {
    match answer(500, "text/xml", "<soapenv:Envelope><oops").await {
        Err(Error::Http { status: 500, body }) => assert!(body.starts_with(b"<soapenv")),
        other => panic!("expected an HTTP error, got {other:?}"),
    }
}

#[tokio::test]
async fn billion_laughs_is_refused_without_expansion() {
    let mut dtd = String::from("<!ENTITY lol \"lol\">");
    for i in 1..=9 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        dtd.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    let body = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE soapenv:Envelope [{dtd}]>{}",
        envelope(&format!(
            "<SkickaTidredovisningResponse xmlns=\"{SERVICE_NS}\"><tx-id>&lol9;</tx-id></SkickaTidredovisningResponse>"
        ))
    );
    let m = invalid(answer(200, "text/xml", &body).await);
    assert!(m.contains("DTD"), "{m}");
}

#[tokio::test]
async fn external_entities_are_never_fetched() {
    // A server that would serve the entity: it must never see a request.
    let target = CannedServer::start(Reply::Raw(http(200, "text/plain", "SECRET", false))).await;
    let body = format!(
        "<!DOCTYPE e [<!ENTITY xxe SYSTEM \"http://{}/secret\">]>{}",
        target.addr,
        envelope(&format!(
            "<SkickaTidredovisningResponse xmlns=\"{SERVICE_NS}\"><tx-id>&xxe;</tx-id></SkickaTidredovisningResponse>"
        ))
    );
    let m = invalid(answer(200, "text/xml", &body).await);
    assert!(m.contains("DTD"), "{m}");
    assert!(!m.contains("SECRET"));
    let body = format!(
        "<!DOCTYPE e SYSTEM \"http://{}/dtd\">{}",
        target.addr,
        envelope("<x/>")
    );
    invalid(answer(200, "text/xml", &body).await);
    assert_eq!(target.connections(), 0, "nothing was fetched");
}

#[tokio::test]
async fn ten_thousand_deep_nesting_is_refused() {
    let deep = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
    let body = envelope(&format!(
        "<SkickaTidredovisningResponse xmlns=\"{SERVICE_NS}\"><tx-id>1</tx-id>{deep}</SkickaTidredovisningResponse>"
    ));
    let m = invalid(answer(200, "text/xml", &body).await);
    assert!(m.contains("nested deeper than 256 levels"), "{m}");
    // The same inside a fault's detail, with HTTP 500: not a fault, since it is not XML we read.
    let body = envelope(&format!(
        "<soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>x</faultstring><detail>{deep}</detail></soapenv:Fault>"
    ));
    match answer(500, "text/xml", &body).await {
        Err(Error::Http { status: 500, .. }) => {}
        other => panic!("expected an HTTP error, got {other:?}"),
    }
}

#[tokio::test]
async fn hundred_megabyte_text_node_is_refused_by_the_size_cap() {
    let big = "x".repeat(100 * 1024 * 1024);
    let body = envelope(&format!(
        "<SkickaTidredovisningResponse xmlns=\"{SERVICE_NS}\"><tx-id>{big}</tx-id></SkickaTidredovisningResponse>"
    ));
    drop(big);
    match answer(200, "text/xml", &body).await {
        Err(Error::ResponseTooLarge { limit }) => assert_eq!(limit, DEFAULT_MAX_RESPONSE_BYTES),
        other => panic!("expected ResponseTooLarge, got {:?}", other.map(|_| ())),
    }
}

#[tokio::test]
async fn large_text_under_the_cap_is_read_but_not_logged_as_tx_id() {
    // 8 MB of tx-id: under the cap, so it parses; the schema's type decides, and nothing panics.
    let big = "1".repeat(8 * 1024 * 1024);
    let body = envelope(&format!(
        "<SkickaTidredovisningResponse xmlns=\"{SERVICE_NS}\"><tx-id>{big}</tx-id></SkickaTidredovisningResponse>"
    ));
    match answer(200, "text/xml", &body).await {
        Ok(r) => assert_eq!(r.tx_id.len(), big.len()),
        Err(Error::InvalidResponse { message, .. }) => {
            assert!(message.contains("schema"), "{message}")
        }
        Err(other) => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn not_utf8_and_mislabelled_encodings_are_invalid() {
    let mut body = envelope(&format!(
        "<SkickaTidredovisningResponse xmlns=\"{SERVICE_NS}\"><tx-id>1</tx-id></SkickaTidredovisningResponse>"
    ))
    .into_bytes();
    body.insert(60, 0xff);
    let mut reply = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    reply.extend_from_slice(&body);
    let m = invalid(answer_raw(reply).await);
    assert!(m.contains("not UTF-8"), "{m}");
    // UTF-16 with a BOM: also refused as not UTF-8, not misread.
    let utf16: Vec<u8> = "\u{feff}<a/>"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let mut reply = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-16\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        utf16.len()
    )
    .into_bytes();
    reply.extend_from_slice(&utf16);
    invalid(answer_raw(reply).await);
}

#[tokio::test]
async fn envelope_shapes_that_are_wrong_are_invalid() {
    for (body, expected) in [
        (
            format!("<soapenv:Envelope xmlns:soapenv=\"{SOAP11}\"/>"),
            "has no Body",
        ),
        (
            format!(
                "<soapenv:Envelope xmlns:soapenv=\"{SOAP11}\">text<soapenv:Body/></soapenv:Envelope>"
            ),
            "unexpected text",
        ),
        (envelope(""), "Body is empty"),
        (envelope("<a/><b/>"), "expected exactly one"),
        (
            "<Envelope xmlns=\"urn:not-soap\"><Body/></Envelope>".to_owned(),
            "expected a SOAP Envelope",
        ),
        (
            format!(
                "<env:Envelope xmlns:env=\"{SOAP12}\"><env:Body><SkickaTidredovisningResponse xmlns=\"{SERVICE_NS}\"><tx-id>1</tx-id></SkickaTidredovisningResponse></env:Body></env:Envelope>"
            ),
            "expected a SOAP 1.1 envelope",
        ),
    ] {
        let m = invalid(answer(200, "text/xml", &body).await);
        assert!(m.contains(expected), "{body}: {m}");
    }
}

#[tokio::test]
async fn hostile_fault_parts_are_still_a_fault() {
    // A fault with an unbound code prefix, no faultstring and a detail of unknown elements.
    let body = envelope(
        "<soapenv:Fault><faultcode>nope:Oops</faultcode><detail><x:y xmlns:x=\"urn:x\">&lt;script&gt;</x:y></detail></soapenv:Fault>",
    );
    match answer(500, "text/xml", &body).await {
        Err(Error::UndeclaredFault(f)) => {
            assert_eq!(f.code, "nope:Oops");
            assert_eq!(f.reason, "");
            assert!(f.detail_xml.unwrap().contains("&lt;script&gt;"));
        }
        other => panic!("expected an undeclared fault, got {other:?}"),
    }
}
