//! The `soap.call` span and captured bodies, as a log subscriber sees them.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("lock")).into_owned()
    }
}

/// The response carries, besides the tx-id, an extension element with a personnummer, to
/// prove captured bodies are redacted both ways.
fn response_with_extension() -> String {
    format!(
        r#"<soap:Envelope xmlns:soap="{SOAP11}"><soap:Body><SkickaTidredovisningResponse xmlns="{SERVICE_NS}"><tx-id>{TX_ID}</tx-id><echo xmlns="urn:vendor:x">191212121212</echo></SkickaTidredovisningResponse></soap:Body></soap:Envelope>"#
    )
}

// Single-threaded runtime (the default): the thread-local subscriber sees every event.
#[tokio::test]
async fn the_span_records_the_outcome_and_tx_id_and_bodies_are_redacted() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = CannedServer::start(Reply::Raw(http(
        200,
        "text/xml",
        &response_with_extension(),
        false,
    )))
    .await;
    let client = client_for(&server)
        .capture_bodies(true)
        .build()
        .expect("client");
    let response = client.call(&SKICKA_11, &request()).await.expect("response");
    assert_eq!(response.tx_id, TX_ID);
    drop(client);
    drop(server);

    let text = logs.text();
    if std::env::var_os("SHOW_LOGS").is_some() {
        eprintln!("{text}");
    }
    assert!(text.contains("soap.call"), "{text}");
    assert!(
        text.contains("operation=\"SkickaTidredovisning\""),
        "{text}"
    );
    assert!(
        text.contains(&format!("soap_action=\"{ACTION}\"")),
        "{text}"
    );
    assert!(text.contains("outcome=\"ok\""), "{text}");
    assert!(text.contains(&format!("tx_id=\"{TX_ID}\"")), "{text}");
    assert!(text.contains("duration_ms="), "{text}");
    assert!(text.contains("request body"), "{text}");
    assert!(text.contains("response body"), "{text}");
    // The request's base64 time report and the response's personnummer are gone.
    assert!(text.contains("[base64 "), "{text}");
    assert!(text.contains("[personnummer redacted]"), "{text}");
    assert!(!text.contains("191212121212"), "{text}");
    let report_b64 = "PFRpZHJlZG92aXNuaW5nPjxwZXJzb25udW1tZXI+";
    assert!(!text.contains(report_b64), "{text}");
}

#[tokio::test]
async fn bodies_are_not_captured_by_default() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server =
        CannedServer::start(Reply::Raw(http(500, "text/html", "<p>down</p>", false))).await;
    let client = client_for(&server).build().expect("client");
    let result = client.call(&SKICKA_11, &request()).await;
    assert!(matches!(
        result,
        Err(elt_soap::Error::Http { status: 500, .. })
    ));
    let text = logs.text();
    assert!(text.contains("outcome=\"http_error\""), "{text}");
    assert!(!text.contains("request body"), "{text}");
}
