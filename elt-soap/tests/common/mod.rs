//! Shared test helpers: a hand-written operation like the generator emits, and a tiny canned
//! HTTP server on loopback that records what it receives.

#![allow(dead_code)] // each test file uses a different part

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use elt_soap::elt_xml::{self, Node, Writer, XmlError};
use elt_soap::{FaultDetail, Operation, SoapVersion};
use elt_types::service::{
    SIGNATURE_VALIDATION_ERROR, SKICKA_TIDREDOVISNING, SKICKA_TIDREDOVISNING_RESPONSE,
    SignatureType, SignatureValidationErrorType, SkickaTidredovisningResponseType,
    SkickaTidredovisningType, XML_VALIDATION_ERROR, XmlValidationErrorType,
};
use elt_types::xmlmime;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub const ACTION: &str = "urn:shs:emottagning:SkickaTidredovisningResponder:1:SkickaTidredovisning";
pub const TX_ID: &str = "14e81789-715d-497b-b63c-eada732800eb";
pub const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
pub const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";
pub const SERVICE_NS: &str = "urn:shs:emottagning:SkickaTidredovisning:1";

/// The declared faults of `SkickaTidredovisning`, as the generator would emit them.
#[derive(Debug, Clone, PartialEq)]
pub enum SkickaTidredovisningFault {
    XmlValidationError(XmlValidationErrorType),
    SignatureValidationError(SignatureValidationErrorType),
}

impl FaultDetail for SkickaTidredovisningFault {
    fn read_detail(node: Node<'_, '_>) -> Result<Option<Self>, XmlError> {
        if XML_VALIDATION_ERROR.matches(node) {
            return XML_VALIDATION_ERROR
                .read(node)
                .map(|d| Some(Self::XmlValidationError(d)));
        }
        if SIGNATURE_VALIDATION_ERROR.matches(node) {
            return SIGNATURE_VALIDATION_ERROR
                .read(node)
                .map(|d| Some(Self::SignatureValidationError(d)));
        }
        Ok(None)
    }

    fn write_detail(&self, w: &mut Writer) -> Result<(), XmlError> {
        match self {
            Self::XmlValidationError(d) => XML_VALIDATION_ERROR.write(w, d),
            Self::SignatureValidationError(d) => SIGNATURE_VALIDATION_ERROR.write(w, d),
        }
    }
}

pub type SkickaOperation = Operation<
    SkickaTidredovisningType,
    SkickaTidredovisningResponseType,
    SkickaTidredovisningFault,
>;

pub const SKICKA_11: SkickaOperation = Operation::new(
    "SkickaTidredovisning",
    Some(ACTION),
    SoapVersion::Soap11,
    SKICKA_TIDREDOVISNING,
    SKICKA_TIDREDOVISNING_RESPONSE,
);

pub const SKICKA_12: SkickaOperation = Operation::new(
    "SkickaTidredovisning",
    Some(ACTION),
    SoapVersion::Soap12,
    SKICKA_TIDREDOVISNING,
    SKICKA_TIDREDOVISNING_RESPONSE,
);

fn signature() -> SignatureType {
    SignatureType {
        signature: xmlmime::Base64Binary {
            content_type: None,
            value: elt_xml::Base64Binary(b"a BankID signature, invented for tests".to_vec()),
        },
        ocsp_response: xmlmime::Base64Binary {
            content_type: None,
            value: elt_xml::Base64Binary(b"an OCSP response, invented for tests".to_vec()),
        },
        datum_for_signatur: elt_xml::Date::new(
            elt_xml::chrono::NaiveDate::from_ymd_opt(2024, 6, 3).expect("valid date"),
        ),
        any: Vec::new(),
    }
}

/// A request whose time report names the Tax Agency's test personnummer.
pub fn request() -> SkickaTidredovisningType {
    SkickaTidredovisningType {
        tidredovisning: xmlmime::Base64Binary {
            content_type: None,
            value: elt_xml::Base64Binary(
                b"<Tidredovisning><personnummer>191212121212</personnummer></Tidredovisning>"
                    .to_vec(),
            ),
        },
        assistent_signatur: signature(),
        anordnare_signatur: signature(),
        any: Vec::new(),
    }
}

/// The agency's example response, in a SOAP 1.1 envelope.
pub fn ok_response_11() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="{SOAP11}"><soapenv:Body><SkickaTidredovisningResponse xmlns="{SERVICE_NS}"><tx-id>{TX_ID}</tx-id></SkickaTidredovisningResponse></soapenv:Body></soapenv:Envelope>"#
    )
}

/// The example response in a SOAP 1.2 envelope.
pub fn ok_response_12() -> String {
    format!(
        r#"<env:Envelope xmlns:env="{SOAP12}"><env:Body><SkickaTidredovisningResponse xmlns="{SERVICE_NS}"><tx-id>{TX_ID}</tx-id></SkickaTidredovisningResponse></env:Body></env:Envelope>"#
    )
}

/// A complete HTTP/1.1 response with `Content-Length`.
pub fn http(status: u16, content_type: &str, body: &str, keep_alive: bool) -> Vec<u8> {
    let reason = match status {
        200 => "OK",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        _ => "Status",
    };
    let connection = if keep_alive { "keep-alive" } else { "close" };
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: {connection}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Captured {
    /// Request line.
    pub request_line: String,
    /// Headers with lower-case names, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// When the whole request had been read.
    pub arrived: Instant,
}

impl Captured {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == &name.to_ascii_lowercase())
            .map(|(_, v)| v.as_str())
    }
}

/// What the canned server does with each request.
#[derive(Clone)]
pub enum Reply {
    /// Writes these bytes; closes the connection if they contain `Connection: close`.
    Raw(Vec<u8>),
    /// Reads the request and never answers (holds the connection for a bounded while).
    Silent,
}

/// A loopback HTTP server answering every request with the same canned reply.
pub struct CannedServer {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Captured>>>,
    connections: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl Drop for CannedServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl CannedServer {
    pub async fn start(reply: Reply) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let (reqs, conns) = (requests.clone(), connections.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                conns.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve_connection(stream, reply.clone(), reqs.clone()));
            }
        });
        Self {
            addr,
            requests,
            connections,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}/shs2/FK.ASE.Tidredovisning.ext", self.addr)
    }

    pub fn requests(&self) -> Vec<Captured> {
        self.requests.lock().expect("lock").clone()
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Longest request head read; the client's are a few hundred bytes.
const MAX_HEAD: usize = 64 * 1024;

/// Serves requests on one connection with `reply`, recording them in `requests`.
pub async fn serve_connection<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    reply: Reply,
    requests: Arc<Mutex<Vec<Captured>>>,
) {
    let mut buf = Vec::new();
    // Bounded: a connection serves at most this many requests.
    for _ in 0..100 {
        let Some(captured) = read_request(&mut stream, &mut buf).await else {
            return;
        };
        requests.lock().expect("lock").push(captured);
        match &reply {
            Reply::Raw(bytes) => {
                if stream.write_all(bytes).await.is_err() {
                    return;
                }
                let _ = stream.flush().await;
                if String::from_utf8_lossy(bytes).contains("Connection: close") {
                    let _ = stream.shutdown().await;
                    return;
                }
            }
            Reply::Silent => {
                tokio::time::sleep(Duration::from_secs(30)).await;
                return;
            }
        }
    }
}

/// Reads one request (head and `Content-Length` body) from `stream`; `None` at EOF or on error.
pub async fn read_request<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut Vec<u8>,
) -> Option<Captured> {
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let body_start = head_end + 4;
    while buf.len() < body_start + length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf[body_start..body_start + length].to_vec();
    buf.drain(..body_start + length);
    Some(Captured {
        request_line,
        headers,
        body,
        arrived: Instant::now(),
    })
}

/// A client for `server` without rate limit, with a generous timeout so no test can hang.
pub fn client_for(server: &CannedServer) -> elt_soap::ClientBuilder {
    elt_soap::Client::builder(&server.url())
        .rate_limit(None)
        .request_timeout(Duration::from_secs(20))
}

/// A loopback HTTP server on plain OS threads with blocking reads, for timing tests: the
/// kernel wakes the reading thread directly, so an arrival is stamped when its first bytes are
/// read, without waiting for an async runtime's turn. Every thread is already waiting in
/// `accept` before a client connects, so a new connection is read without a thread start-up
/// delaying its stamp.
pub struct ThreadServer {
    pub addr: SocketAddr,
    arrivals: Arc<Mutex<Vec<Instant>>>,
}

impl ThreadServer {
    /// Answers every request with `response` (which should keep the connection alive);
    /// accepts at most `max_connections` connections.
    pub fn start(response: Vec<u8>, max_connections: usize) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let arrivals = Arc::new(Mutex::new(Vec::new()));
        for _ in 0..max_connections {
            let listener = listener.try_clone().expect("listener handle");
            let (response, stamps) = (response.clone(), arrivals.clone());
            std::thread::spawn(move || {
                if let Ok((stream, _)) = listener.accept() {
                    serve_blocking(stream, &response, &stamps);
                }
            });
        }
        Self { addr, arrivals }
    }

    pub fn url(&self) -> String {
        format!("http://{}/shs2/FK.ASE.Tidredovisning.ext", self.addr)
    }

    /// When each request's first bytes were read, in order.
    pub fn arrivals(&self) -> Vec<Instant> {
        self.arrivals.lock().expect("lock").clone()
    }
}

fn serve_blocking(
    mut stream: std::net::TcpStream,
    response: &[u8],
    arrivals: &Mutex<Vec<Instant>>,
) {
    use std::io::{Read, Write};
    // Bounded: an idle connection is dropped after this long.
    if stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .is_err()
    {
        return;
    }
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = [0u8; 8192];
    // Bounded: a connection serves at most this many requests.
    for _ in 0..100 {
        let mut stamped = !buf.is_empty();
        if stamped {
            arrivals.lock().expect("lock").push(Instant::now());
        }
        let head_end = loop {
            if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break pos;
            }
            if buf.len() > MAX_HEAD {
                return;
            }
            let n = match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            if !stamped {
                arrivals.lock().expect("lock").push(Instant::now());
                stamped = true;
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
        let length: usize = head
            .split("\r\n")
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        let end = head_end + 4 + length;
        while buf.len() < end {
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        buf.drain(..end);
        if stream.write_all(response).is_err() {
            return;
        }
    }
}
