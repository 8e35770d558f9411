//! The HTTPS server: accepting TLS connections, HTTP/1.1 with hyper, the rate check, and the
//! log of what arrived.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use elt_soap::SoapVersion;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{ALLOW, CONTENT_LENGTH, CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{broadcast, watch};
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;

use crate::certs::CertPaths;
use crate::error::MockError;
use crate::misbehave::{self, Misbehaviour};
use crate::rate::RateLimiter;
use crate::service::{self, Answer, MAX_BODY_BYTES, Outcome, Received, SERVICE_PATH};
use crate::signature::SignatureCheck;
use crate::tls;
use elt_report::PayloadFormat;

/// How long a client may take to complete the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client may take to send a request's head.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// How many requests a slow [`MockServer::subscribe`]r may fall behind before it misses some.
const SUBSCRIBER_BACKLOG: usize = 1024;

/// How to run the mock.
#[derive(Debug, Clone, PartialEq)]
pub struct MockConfig {
    /// The address to listen on; port 0 picks a free port (see [`MockServer::local_addr`]).
    pub listen: SocketAddr,
    /// A directory written by [`write_certs`](crate::write_certs): the server uses `server.pem`
    /// and `server.key`, and accepts client certificates issued by `ca.pem`.
    pub certs_dir: PathBuf,
    /// The most calls per second one client (one client certificate subject) may make;
    /// fractions allowed. `None` or `0` means no limit. The real service asks for about one.
    pub rate_per_second: Option<f64>,
    /// How to misbehave (by default, not at all); see [`Misbehaviour`].
    pub misbehaviour: Misbehaviour,
    /// How the two signatures are checked: [`SignatureCheck::Strict`] (the default of
    /// [`MockConfig::new`]) wants each signature document to carry the report's payload;
    /// [`SignatureCheck::Lenient`] accepts any non-empty bytes, for transport tests.
    pub signatures: SignatureCheck,
    /// How the strict check reads `usrNonVisibleData`: the same [`PayloadFormat`] the vendor
    /// signs with (`elt_report::SigningOptions::payload_format`). The default is
    /// `elt_report`'s, `"{id},{digest}"` joined with `;`.
    pub payload_format: PayloadFormat,
}

impl MockConfig {
    /// A configuration with the real service's rate of one call per second.
    pub fn new(listen: SocketAddr, certs_dir: impl Into<PathBuf>) -> Self {
        Self {
            listen,
            certs_dir: certs_dir.into(),
            rate_per_second: Some(1.0),
            misbehaviour: Misbehaviour::default(),
            signatures: SignatureCheck::Strict,
            payload_format: PayloadFormat::default(),
        }
    }
}

/// A running mock. Dropping it stops the server too; [`MockServer::shutdown`] also waits until
/// it has stopped.
#[derive(Debug)]
pub struct MockServer {
    local_addr: SocketAddr,
    state: Arc<State>,
    stop: watch::Sender<()>,
    task: JoinHandle<()>,
}

/// What the connection tasks share.
#[derive(Debug)]
struct State {
    limiter: RateLimiter,
    rate_per_second: f64,
    signatures: SignatureCheck,
    payload_format: PayloadFormat,
    log: Mutex<Vec<Received>>,
    events: broadcast::Sender<Received>,
    misbehaviour: Mutex<Misbehaviour>,
}

impl State {
    fn record(&self, received: Received) {
        // Nobody listening is fine: subscribing is optional.
        let _ = self.events.send(received.clone());
        self.log
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(received);
    }
}

/// Starts the mock: reads the certificates, binds `config.listen` and serves in the background
/// on the current tokio runtime until [`MockServer::shutdown`] or drop.
pub async fn start(config: MockConfig) -> Result<MockServer, MockError> {
    let rate = config.rate_per_second.unwrap_or(0.0);
    if !rate.is_finite() || rate < 0.0 {
        return Err(MockError::Config(format!(
            "the rate must be a number of calls per second, 0 or more; got {rate}"
        )));
    }
    let tls = tls::server_config(&CertPaths::in_dir(&config.certs_dir))?;
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|e| MockError::io(format!("listening on {}", config.listen), e))?;
    let local_addr = listener
        .local_addr()
        .map_err(|e| MockError::io("reading the listening address", e))?;
    let (events, _) = broadcast::channel(SUBSCRIBER_BACKLOG);
    let state = Arc::new(State {
        limiter: RateLimiter::new(Some(rate)),
        rate_per_second: rate,
        signatures: config.signatures,
        payload_format: config.payload_format,
        log: Mutex::new(Vec::new()),
        events,
        misbehaviour: Mutex::new(config.misbehaviour),
    });
    let (stop, stopped) = watch::channel(());
    let task = tokio::spawn(accept_loop(
        listener,
        TlsAcceptor::from(tls),
        state.clone(),
        stopped,
    ));
    Ok(MockServer {
        local_addr,
        state,
        stop,
        task,
    })
}

impl MockServer {
    /// The service URL, as the real one but on this server:
    /// `https://127.0.0.1:PORT/shs2/FK.ASE.Tidredovisning.ext`. A server listening on an
    /// unspecified address (`0.0.0.0`, `::`) is named by its loopback address.
    pub fn url(&self) -> String {
        let ip = match self.local_addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!(
            "https://{}{SERVICE_PATH}",
            SocketAddr::new(ip, self.local_addr.port())
        )
    }

    /// The address the server listens on, with the actual port.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Every request received so far, oldest first, accepted or not.
    pub fn received(&self) -> Vec<Received> {
        self.state
            .log
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Changes how the mock misbehaves, for requests answered from now on.
    pub fn set_misbehaviour(&self, misbehaviour: Misbehaviour) {
        *self
            .state
            .misbehaviour
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = misbehaviour;
    }

    /// How the mock misbehaves now.
    pub fn misbehaviour(&self) -> Misbehaviour {
        self.state
            .misbehaviour
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Every request received from now on, as it is answered (for logging, or for waiting on
    /// a request in a test).
    pub fn subscribe(&self) -> broadcast::Receiver<Received> {
        self.state.events.subscribe()
    }

    /// Stops accepting connections, closes the open ones and waits until the server has
    /// stopped.
    pub async fn shutdown(self) {
        drop(self.stop);
        // The task ends by itself once `stop` is gone; a panic in it has nothing left to clean.
        let _ = self.task.await;
    }
}

async fn accept_loop(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    state: Arc<State>,
    mut stopped: watch::Receiver<()>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            // Resolves with an error when the `MockServer` (holding the sender) is gone.
            _ = stopped.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((tcp, peer)) => {
                    connections.spawn(serve_connection(tcp, peer, acceptor.clone(), state.clone()));
                }
                // Out of file descriptors and the like: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}

async fn serve_connection(
    tcp: TcpStream,
    peer: SocketAddr,
    acceptor: TlsAcceptor,
    state: Arc<State>,
) {
    // A client without a certificate from the CA ends here: rustls refuses the handshake.
    let tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
        Ok(Ok(tls)) => tls,
        Ok(Err(_)) | Err(_) => return,
    };
    let subject = tls::client_subject(tls.get_ref().1);
    let service = hyper::service::service_fn(move |req| {
        let state = state.clone();
        let subject = subject.clone();
        async move { handle(req, &state, peer, subject).await }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .serve_connection(TokioIo::new(tls), service)
        .await;
}

async fn handle(
    req: Request<Incoming>,
    state: &State,
    peer: SocketAddr,
    subject: Option<String>,
) -> Result<Response<Full<Bytes>>, misbehave::Dropped> {
    let arrived = Instant::now();
    let arrived_at = SystemTime::now();
    let method = req.method().to_string();
    let path = req
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |p| p.to_string());
    let client_key = subject.clone().unwrap_or_else(|| peer.ip().to_string());

    let (soap_version, decision) = respond(req, state, &client_key, arrived).await;
    let Answer {
        status,
        content_type,
        body,
        outcome,
    } = decision.answer;
    let tx_id = match &outcome {
        Outcome::Accepted(s) | Outcome::AnswerDropped(s) => Some(s.tx_id.clone()),
        _ => None,
    };
    state.record(Received {
        arrived,
        arrived_at,
        peer,
        client_subject: subject,
        method,
        path,
        soap_version,
        status,
        outcome,
        report_id: decision.report_id,
        tx_id,
    });
    // Logged before the delay: the request was processed, whether or not the client waits
    // for the answer.
    if let Some(delay) = decision.delay {
        tokio::time::sleep(delay).await;
    }
    if decision.drop {
        // hyper closes the connection without writing a response.
        return Err(misbehave::Dropped);
    }
    Ok(to_response(status, &content_type, body))
}

/// Reads and answers one request, as the misbehaviour in force asks.
async fn respond(
    req: Request<Incoming>,
    state: &State,
    client_key: &str,
    arrived: Instant,
) -> (Option<SoapVersion>, misbehave::Decision) {
    let plain = misbehave::Decision::plain;
    if req.method() != Method::POST {
        return (
            None,
            plain(service::http_error(
                405,
                "the ELT service answers POST requests only",
            )),
        );
    }
    let header = |name| req.headers().get(name).and_then(|v| v.to_str().ok());
    let content_type = header(CONTENT_TYPE.as_str()).unwrap_or("");
    let Some((version, action)) =
        elt_soap::envelope::request_action(content_type, header("soapaction"))
    else {
        return (
            None,
            plain(service::http_error(
                415,
                format!(
                    "unsupported Content-Type {content_type:?}: SOAP 1.1 requests use text/xml \
                     (with a SOAPAction header), SOAP 1.2 requests application/soap+xml"
                ),
            )),
        );
    };
    let declared_length = header(CONTENT_LENGTH.as_str()).and_then(|v| v.parse::<u64>().ok());
    if declared_length.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return (Some(version), plain(too_large()));
    }
    let body = match Limited::new(req.into_body(), MAX_BODY_BYTES)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => {
            return (Some(version), plain(too_large()));
        }
        Err(e) => {
            return (
                Some(version),
                plain(service::http_error(
                    400,
                    format!("could not read the request body: {e}"),
                )),
            );
        }
    };
    if !state.limiter.admit(client_key, arrived) {
        return (
            Some(version),
            plain(service::rate_limited(version, state.rate_per_second)),
        );
    }
    let answer = service::answer(
        version,
        action.as_deref(),
        &body,
        state.signatures,
        &state.payload_format,
    );
    let misbehaviour = state
        .misbehaviour
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone();
    (
        Some(version),
        misbehave::apply(&misbehaviour, version, &body, answer),
    )
}

fn too_large() -> Answer {
    service::http_error(
        413,
        format!("the request body is larger than the mock's limit of {MAX_BODY_BYTES} bytes"),
    )
}

fn to_response(status: u16, content_type: &str, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(value) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(CONTENT_TYPE, value);
    }
    if status == 405 {
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("POST"));
    }
    response
}
