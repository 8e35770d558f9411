//! Every way a call can end, against a canned HTTP server on loopback: each case must end in
//! its own `Error` variant, without a panic.

mod common;

use std::time::Duration;

use common::*;
use elt_soap::elt_xml::{ParseLimits, parse_document};
use elt_soap::envelope::{self, Body};
use elt_soap::{Error, FaultCode, FaultMessage, RetryPolicy, SoapVersion, TransportError};
use elt_types::service::{
    SKICKA_TIDREDOVISNING, SignatureValidationErrorType, XmlValidationErrorType,
};

async fn call_once(
    reply: Reply,
    op: &SkickaOperation,
) -> (
    Result<elt_types::service::SkickaTidredovisningResponseType, Error<SkickaTidredovisningFault>>,
    CannedServer,
) {
    let server = CannedServer::start(reply).await;
    let client = client_for(&server).build().expect("client");
    let result = client.call(op, &request()).await;
    (result, server)
}

#[tokio::test]
async fn soap11_request_has_exact_headers_and_a_valid_envelope() {
    let reply = Reply::Raw(http(
        200,
        "text/xml; charset=utf-8",
        &ok_response_11(),
        false,
    ));
    let (result, server) = call_once(reply, &SKICKA_11).await;
    let response = result.expect("a response");
    assert_eq!(response.tx_id, TX_ID);

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(
        r.request_line,
        "POST /shs2/FK.ASE.Tidredovisning.ext HTTP/1.1"
    );
    assert_eq!(r.header("Content-Type"), Some("text/xml; charset=utf-8"));
    assert_eq!(
        r.header("Content-Length"),
        Some(r.body.len().to_string().as_str())
    );
    assert_eq!(r.header("Transfer-Encoding"), None);
    assert_eq!(
        r.header("SOAPAction"),
        Some(format!("\"{ACTION}\"").as_str())
    );

    let text = std::str::from_utf8(&r.body).expect("UTF-8");
    let doc = parse_document(text, ParseLimits::default()).expect("well-formed");
    let env = envelope::parse_envelope(&doc).expect("an envelope");
    assert_eq!(env.version, SoapVersion::Soap11);
    let Body::Payload(node) = env.body else {
        panic!("expected a payload")
    };
    assert_eq!(
        SKICKA_TIDREDOVISNING.read(node).expect("readable"),
        request()
    );
}

#[tokio::test]
async fn soap12_request_puts_the_action_in_the_content_type() {
    let reply = Reply::Raw(http(200, "application/soap+xml", &ok_response_12(), false));
    let (result, server) = call_once(reply, &SKICKA_12).await;
    assert_eq!(result.expect("a response").tx_id, TX_ID);
    let r = &server.requests()[0];
    assert_eq!(
        r.header("Content-Type"),
        Some(format!("application/soap+xml; charset=utf-8; action=\"{ACTION}\"").as_str())
    );
    assert_eq!(r.header("SOAPAction"), None);
    let text = std::str::from_utf8(&r.body).expect("UTF-8");
    assert!(text.contains(SOAP12), "{text}");
}

#[tokio::test]
async fn soap11_declared_fault_with_http_500_is_a_fault() {
    // Written the way a Java stack answers: another prefix, whitespace, an xml declaration.
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<S:Envelope xmlns:S="{SOAP11}">
  <S:Body>
    <S:Fault>
      <faultcode>S:Client</faultcode>
      <faultstring>Schema validation failed</faultstring>
      <detail>
        <ns2:XmlValidationError xmlns:ns2="{SERVICE_NS}"><ns2:message>cvc-pattern-valid on personnummer</ns2:message></ns2:XmlValidationError>
      </detail>
    </S:Fault>
  </S:Body>
</S:Envelope>"#
    );
    let (result, _server) = call_once(
        Reply::Raw(http(500, "text/xml; charset=utf-8", &body, false)),
        &SKICKA_11,
    )
    .await;
    let Err(Error::Fault { detail, fault }) = result else {
        panic!("expected a declared fault, got {result:?}")
    };
    assert_eq!(
        detail,
        SkickaTidredovisningFault::XmlValidationError(XmlValidationErrorType {
            message: "cvc-pattern-valid on personnummer".into()
        })
    );
    assert_eq!(fault.version, SoapVersion::Soap11);
    assert_eq!(fault.http_status, 500);
    assert_eq!(fault.code, format!("{{{SOAP11}}}Client"));
    assert_eq!(fault.reason, "Schema validation failed");
    assert!(
        fault
            .detail_xml
            .as_deref()
            .is_some_and(|d| d.starts_with("<detail>") && d.contains("XmlValidationError"))
    );
}

#[tokio::test]
async fn soap12_declared_fault_is_a_fault() {
    let detail =
        SkickaTidredovisningFault::SignatureValidationError(SignatureValidationErrorType {
            message: "OCSP response does not match".into(),
        });
    let body = envelope::write_fault(
        SoapVersion::Soap12,
        &FaultMessage {
            code: FaultCode::Client,
            reason: "Signature validation failed".into(),
        },
        Some(&detail),
    )
    .expect("fault written");
    let (result, _server) = call_once(
        Reply::Raw(http(500, "application/soap+xml", &body, false)),
        &SKICKA_12,
    )
    .await;
    let Err(Error::Fault { detail: got, fault }) = result else {
        panic!("expected a declared fault, got {result:?}")
    };
    assert_eq!(got, detail);
    assert_eq!(fault.version, SoapVersion::Soap12);
    assert_eq!(fault.code, format!("{{{SOAP12}}}Sender"));
    assert_eq!(fault.reason, "Signature validation failed");
}

#[tokio::test]
async fn undeclared_detail_keeps_the_raw_xml() {
    let body = format!(
        r#"<soap:Envelope xmlns:soap="{SOAP11}"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>Internal error</faultstring><detail><Trace xmlns="urn:vendor:debug">ref 42</Trace></detail></soap:Fault></soap:Body></soap:Envelope>"#
    );
    let (result, _server) =
        call_once(Reply::Raw(http(500, "text/xml", &body, false)), &SKICKA_11).await;
    let Err(Error::UndeclaredFault(fault)) = result else {
        panic!("expected an undeclared fault, got {result:?}")
    };
    assert_eq!(fault.code, format!("{{{SOAP11}}}Server"));
    assert_eq!(
        fault.detail_xml.as_deref(),
        Some(r#"<detail><Trace xmlns="urn:vendor:debug">ref 42</Trace></detail>"#)
    );
}

#[tokio::test]
async fn fault_without_detail_on_http_500_is_a_fault_not_an_http_error() {
    let body = envelope::write_fault::<elt_soap::NoFaults>(
        SoapVersion::Soap11,
        &FaultMessage {
            code: FaultCode::Server,
            reason: "Too many calls".into(),
        },
        None,
    )
    .expect("fault written");
    let (result, _server) =
        call_once(Reply::Raw(http(500, "text/xml", &body, false)), &SKICKA_11).await;
    match result {
        Err(Error::UndeclaredFault(fault)) => {
            assert_eq!(fault.http_status, 500);
            assert_eq!(fault.reason, "Too many calls");
            assert_eq!(fault.detail_xml, None);
        }
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[tokio::test]
async fn http_500_with_an_html_page_is_an_http_error() {
    let html = "<html><head><title>500</title></head><body><h1>Internal Server Error</h1><br></body></html>";
    let (result, _server) =
        call_once(Reply::Raw(http(500, "text/html", html, false)), &SKICKA_11).await;
    match result {
        Err(Error::Http { status, body }) => {
            assert_eq!(status, 500);
            assert_eq!(&body[..], html.as_bytes());
        }
        other => panic!("expected an HTTP error, got {other:?}"),
    }
}

#[tokio::test]
async fn http_502_with_an_empty_body_is_an_http_error() {
    let (result, _server) =
        call_once(Reply::Raw(http(502, "text/plain", "", false)), &SKICKA_11).await;
    assert!(
        matches!(result, Err(Error::Http { status: 502, ref body }) if body.is_empty()),
        "{result:?}"
    );
}

#[tokio::test]
async fn ok_with_an_html_page_is_an_invalid_response() {
    let html = "<!DOCTYPE html><html><body>Maintenance tonight</body></html>";
    let (result, _server) =
        call_once(Reply::Raw(http(200, "text/html", html, false)), &SKICKA_11).await;
    match result {
        Err(Error::InvalidResponse {
            status,
            message,
            body,
        }) => {
            assert_eq!(status, 200);
            assert!(message.contains("not usable XML"), "{message}");
            assert_eq!(&body[..], html.as_bytes());
        }
        other => panic!("expected an invalid response, got {other:?}"),
    }
}

#[tokio::test]
async fn ok_with_an_empty_body_is_an_invalid_response() {
    let (result, _server) =
        call_once(Reply::Raw(http(200, "text/xml", "", false)), &SKICKA_11).await;
    match result {
        Err(Error::InvalidResponse { message, body, .. }) => {
            assert!(message.contains("empty"), "{message}");
            assert!(body.is_empty());
        }
        other => panic!("expected an invalid response, got {other:?}"),
    }
}

#[tokio::test]
async fn truncated_xml_is_an_invalid_response() {
    let full = ok_response_11();
    let truncated = &full[..full.len() / 2];
    let (result, _server) = call_once(
        Reply::Raw(http(200, "text/xml", truncated, false)),
        &SKICKA_11,
    )
    .await;
    match result {
        Err(Error::InvalidResponse { message, body, .. }) => {
            assert!(message.contains("not well-formed"), "{message}");
            assert_eq!(&body[..], truncated.as_bytes());
        }
        other => panic!("expected an invalid response, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_is_an_invalid_response() {
    let full = ok_response_11();
    let mut raw = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        full.len()
    )
    .into_bytes();
    raw.extend_from_slice(&full.as_bytes()[..40]);
    let (result, _server) = call_once(Reply::Raw(raw), &SKICKA_11).await;
    match result {
        Err(Error::InvalidResponse { message, body, .. }) => {
            assert!(message.contains("broke off"), "{message}");
            assert!(body.len() <= 40);
        }
        other => panic!("expected an invalid response, got {other:?}"),
    }
}

#[tokio::test]
async fn another_body_element_is_an_invalid_response() {
    let body = format!(
        r#"<soap:Envelope xmlns:soap="{SOAP11}"><soap:Body><XmlValidationError xmlns="{SERVICE_NS}"><message>x</message></XmlValidationError></soap:Body></soap:Envelope>"#
    );
    let (result, _server) =
        call_once(Reply::Raw(http(200, "text/xml", &body, false)), &SKICKA_11).await;
    match result {
        Err(Error::InvalidResponse { message, .. }) => assert!(
            message.contains(&format!(
                "expected body element {{{SERVICE_NS}}}SkickaTidredovisningResponse, found {{{SERVICE_NS}}}XmlValidationError"
            )),
            "{message}"
        ),
        other => panic!("expected an invalid response, got {other:?}"),
    }
}

#[tokio::test]
async fn a_response_that_breaks_the_schema_is_an_invalid_response() {
    let body = format!(
        r#"<soap:Envelope xmlns:soap="{SOAP11}"><soap:Body><SkickaTidredovisningResponse xmlns="{SERVICE_NS}"/></soap:Body></soap:Envelope>"#
    );
    let (result, _server) =
        call_once(Reply::Raw(http(200, "text/xml", &body, false)), &SKICKA_11).await;
    match result {
        Err(Error::InvalidResponse { message, .. }) => {
            assert!(message.contains("tx-id"), "{message}")
        }
        other => panic!("expected an invalid response, got {other:?}"),
    }
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let big = format!("<x>{}</x>", "a".repeat(4096));
    // With a declared length, and chunked without one: both stop at the cap.
    let declared = http(200, "text/xml", &big, false);
    let mut chunked =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            .to_vec();
    for part in big.as_bytes().chunks(512) {
        chunked.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        chunked.extend_from_slice(part);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    for raw in [declared, chunked] {
        let server = CannedServer::start(Reply::Raw(raw)).await;
        let client = client_for(&server)
            .max_response_bytes(1024)
            .build()
            .expect("client");
        let result = client.call(&SKICKA_11, &request()).await;
        assert!(
            matches!(result, Err(Error::ResponseTooLarge { limit: 1024 })),
            "{result:?}"
        );
    }
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_and_is_not_retried() {
    let server = CannedServer::start(Reply::Silent).await;
    let client = client_for(&server)
        .request_timeout(Duration::from_millis(300))
        .retry(RetryPolicy::attempts(3))
        .build()
        .expect("client");
    let result = client.call(&SKICKA_11, &request()).await;
    match &result {
        Err(Error::Transport(TransportError::Timeout { .. })) => {}
        other => panic!("expected a timeout, got {other:?}"),
    }
    let error = result.unwrap_err();
    assert!(!error.request_not_sent(), "the request may have arrived");
    // The request reached the server, so it must not be sent again.
    assert_eq!(server.requests().len(), 1);
    assert_eq!(server.connections(), 1);
}

/// A loopback port with nothing listening: bind, note the port, close.
async fn refused_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    format!("http://{addr}/service")
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    let client = elt_soap::Client::builder(&refused_url().await)
        .rate_limit(None)
        .build()
        .expect("client");
    let result = client.call(&SKICKA_11, &request()).await;
    match &result {
        Err(Error::Transport(TransportError::Connect { attempts: 1, .. })) => {}
        other => panic!("expected a connect error, got {other:?}"),
    }
    assert!(result.unwrap_err().request_not_sent());
}

#[tokio::test]
async fn connection_refused_is_retried_up_to_the_policy() {
    let client = elt_soap::Client::builder(&refused_url().await)
        // A short interval, so the retries also go through the limiter.
        .rate_limit(Some(Duration::from_millis(5)))
        .retry(RetryPolicy::attempts(3))
        .build()
        .expect("client");
    let result = client.call(&SKICKA_11, &request()).await;
    match result {
        Err(Error::Transport(TransportError::Connect { attempts, source })) => {
            assert_eq!(attempts, 3);
            assert!(source.is_connect());
        }
        other => panic!("expected a connect error, got {other:?}"),
    }
}

/// A request type whose writer refuses its value, as generated writers refuse values that
/// break an occurrence bound.
#[derive(Debug)]
struct Unwritable;

impl elt_soap::elt_xml::XmlContent for Unwritable {
    fn write_content(
        &self,
        w: &mut elt_soap::elt_xml::Writer,
    ) -> Result<(), elt_soap::elt_xml::XmlError> {
        w.check_occurs("item", 0, 1, None)
    }
    fn read_content(
        node: elt_soap::elt_xml::Node<'_, '_>,
    ) -> Result<Self, elt_soap::elt_xml::XmlError> {
        Err(elt_soap::elt_xml::XmlError::at_node(node, "never read"))
    }
}

#[tokio::test]
async fn an_unserializable_request_is_a_request_error_and_is_not_sent() {
    const OP: elt_soap::Operation<
        Unwritable,
        elt_types::service::SkickaTidredovisningResponseType,
        elt_soap::NoFaults,
    > = elt_soap::Operation::new(
        "Unwritable",
        None,
        SoapVersion::Soap11,
        elt_soap::elt_xml::RootElement::new(Some("urn:test"), "Unwritable"),
        elt_types::service::SKICKA_TIDREDOVISNING_RESPONSE,
    );
    let server =
        CannedServer::start(Reply::Raw(http(200, "text/xml", &ok_response_11(), false))).await;
    let client = client_for(&server).build().expect("client");
    let result = client.call(&OP, &Unwritable).await;
    match &result {
        Err(Error::Request(e)) => assert!(e.message.contains("occurrences"), "{e}"),
        other => panic!("expected a request error, got {other:?}"),
    }
    assert!(result.unwrap_err().request_not_sent());
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn with_endpoint_shares_the_limiter() {
    let server =
        CannedServer::start(Reply::Raw(http(200, "text/xml", &ok_response_11(), false))).await;
    let client = elt_soap::Client::builder("http://127.0.0.1:9/unused")
        .rate_limit(Some(Duration::from_millis(10)))
        .build()
        .expect("client");
    let moved = client.with_endpoint(&server.url());
    assert_eq!(moved.endpoint(), server.url());
    assert_eq!(client.endpoint(), "http://127.0.0.1:9/unused");
    let limiter = client.rate_limiter().expect("on");
    assert!(limiter.shares_schedule_with(moved.rate_limiter().expect("on")));
    assert!(limiter.shares_schedule_with(client.clone().rate_limiter().expect("on")));
    let other = elt_soap::Client::builder("http://127.0.0.1:9/unused")
        .rate_limit(Some(Duration::from_millis(10)))
        .build()
        .expect("client");
    assert!(!limiter.shares_schedule_with(other.rate_limiter().expect("on")));
    assert_eq!(
        moved.call(&SKICKA_11, &request()).await.expect("ok").tx_id,
        TX_ID
    );
}

#[tokio::test]
async fn before_send_is_called_for_each_attempt_with_the_error_that_proved_it_unsent() {
    let client = elt_soap::Client::builder(&refused_url().await)
        .rate_limit(Some(Duration::from_millis(5)))
        .retry(RetryPolicy::attempts(3))
        .build()
        .expect("client");
    let mut seen = Vec::new();
    let exchange = client
        .exchange_with_before_send(&SKICKA_11, &[], &request(), |attempt| {
            seen.push((
                attempt.number,
                attempt.retrying_after.map(TransportError::request_not_sent),
            ));
            Ok::<(), std::convert::Infallible>(())
        })
        .await
        .expect("never stopped");
    assert!(matches!(
        exchange.result,
        Err(Error::Transport(TransportError::Connect {
            attempts: 3,
            ..
        }))
    ));
    assert_eq!(seen, [(1, None), (2, Some(true)), (3, Some(true))]);
}

#[tokio::test]
async fn before_send_runs_after_the_rate_limit_wait() {
    let interval = Duration::from_millis(300);
    let server = CannedServer::start(Reply::Raw(http(
        200,
        "text/xml; charset=utf-8",
        &ok_response_11(),
        false,
    )))
    .await;
    let client = client_for(&server)
        .rate_limit(Some(interval))
        .build()
        .expect("client");
    let first_started = std::time::Instant::now();
    client.call(&SKICKA_11, &request()).await.expect("first");
    let mut called_at = None;
    let exchange = client
        .exchange_with_before_send(&SKICKA_11, &[], &request(), |_| {
            called_at = Some(std::time::Instant::now());
            Ok::<(), std::convert::Infallible>(())
        })
        .await
        .expect("never stopped");
    exchange.result.expect("second");
    // The first call's slot was released after it started, and the next slot comes
    // `interval` after that release: a hook called before the wait would come sooner.
    let called_at = called_at.expect("called");
    assert!(
        called_at - first_started >= interval,
        "{:?}",
        called_at - first_started
    );
}

#[tokio::test]
async fn a_refusal_from_before_send_stops_the_call_with_nothing_sent() {
    let server = CannedServer::start(Reply::Raw(http(
        200,
        "text/xml; charset=utf-8",
        &ok_response_11(),
        false,
    )))
    .await;
    let client = client_for(&server).build().expect("client");
    let stopped = client
        .exchange_with_before_send(&SKICKA_11, &[], &request(), |_| {
            Err("the journal could not be written")
        })
        .await
        .expect_err("stopped");
    assert_eq!(stopped, "the journal could not be written");
    assert!(server.requests().is_empty());
    assert_eq!(server.connections(), 0);
}
