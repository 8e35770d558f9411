//! The SOAP client generated code calls: serialize, wait for a rate-limit slot, POST, read the
//! body under a cap, and sort the answer into a response or one [`Error`] variant.

use std::convert::Infallible;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use elt_xml::{ParseLimits, XmlContent, parse_document};
use tracing::Instrument as _;
use tracing::field::Empty;

use crate::envelope::{self, Body};
use crate::error::{Error, Fault, TransportError, chain};
use crate::operation::{FaultDetail, HeaderBlock, Operation};
use crate::rate::RateLimiter;
use crate::redact::redact;
use crate::retry::RetryPolicy;
use crate::transport::{self, ClientBuilder, ReadError};

/// Per-client settings shared by clones.
#[derive(Debug)]
pub(crate) struct Settings {
    pub(crate) request_timeout: Duration,
    pub(crate) max_response_bytes: usize,
    pub(crate) retry: RetryPolicy,
    pub(crate) capture_bodies: bool,
}

/// A SOAP client for one endpoint.
///
/// Cloning is cheap; clones share the HTTP connection pool and the rate limiter, so the limit
/// holds across every task that uses a clone.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    endpoint: Arc<str>,
    limiter: Option<RateLimiter>,
    settings: Arc<Settings>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.endpoint)
            .field(
                "rate_limit",
                &self.limiter.as_ref().map(RateLimiter::interval),
            )
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// Where the outcome of a call is recorded in its span.
fn outcome<T, F>(result: &Result<T, Error<F>>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(Error::Fault { .. } | Error::UndeclaredFault(_)) => "fault",
        Err(Error::Http { .. }) => "http_error",
        Err(Error::InvalidResponse { .. } | Error::ResponseTooLarge { .. }) => "invalid_response",
        Err(Error::Transport(_)) => "transport_error",
        Err(Error::Request(_)) => "request_error",
    }
}

impl Client {
    /// Starts configuring a client for `endpoint` (an `http` or `https` URL).
    pub fn builder(endpoint: &str) -> ClientBuilder {
        ClientBuilder::new(endpoint)
    }

    pub(crate) fn from_parts(
        http: reqwest::Client,
        endpoint: String,
        limiter: Option<RateLimiter>,
        settings: Settings,
    ) -> Self {
        Self {
            http,
            endpoint: endpoint.into(),
            limiter,
            settings: Arc::new(settings),
        }
    }

    /// The URL requests are sent to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The same client (connection pool, rate limiter, settings) for another URL, such as a
    /// test environment. An invalid URL is reported by the first call.
    pub fn with_endpoint(&self, url: &str) -> Client {
        Self {
            endpoint: url.into(),
            ..self.clone()
        }
    }

    /// The rate limiter shared by this client's clones, if the limit is on.
    pub fn rate_limiter(&self) -> Option<&RateLimiter> {
        self.limiter.as_ref()
    }

    /// Calls `op` with `request` as the body.
    pub async fn call<Req, Resp, F>(
        &self,
        op: &Operation<Req, Resp, F>,
        request: &Req,
    ) -> Result<Resp, Error<F>>
    where
        Req: XmlContent + Sync,
        Resp: XmlContent + Send,
        F: FaultDetail,
    {
        self.call_with_headers(op, &[], request).await
    }

    /// Calls `op` with `headers` in the SOAP `Header` and `request` as the body.
    pub async fn call_with_headers<Req, Resp, F>(
        &self,
        op: &Operation<Req, Resp, F>,
        headers: &[&dyn HeaderBlock],
        request: &Req,
    ) -> Result<Resp, Error<F>>
    where
        Req: XmlContent + Sync,
        Resp: XmlContent + Send,
        F: FaultDetail,
    {
        self.exchange_with_headers(op, headers, request)
            .await
            .result
    }

    /// Calls `op` with `request` as the body, like [`Self::call`], and also returns the response
    /// body exactly as received, for callers that must keep it (the agency asks vendors to
    /// keep each response for troubleshooting).
    pub async fn exchange<Req, Resp, F>(
        &self,
        op: &Operation<Req, Resp, F>,
        request: &Req,
    ) -> Exchange<Resp, F>
    where
        Req: XmlContent + Sync,
        Resp: XmlContent + Send,
        F: FaultDetail,
    {
        self.exchange_with_headers(op, &[], request).await
    }

    /// [`Self::exchange`] with `headers` in the SOAP `Header`.
    pub async fn exchange_with_headers<Req, Resp, F>(
        &self,
        op: &Operation<Req, Resp, F>,
        headers: &[&dyn HeaderBlock],
        request: &Req,
    ) -> Exchange<Resp, F>
    where
        Req: XmlContent + Sync,
        Resp: XmlContent + Send,
        F: FaultDetail,
    {
        let never_stops = |_: &SendAttempt<'_>| Ok::<(), Infallible>(());
        match self
            .exchange_with_before_send(op, headers, request, never_stops)
            .await
        {
            Ok(exchange) => exchange,
            Err(never) => match never {},
        }
    }

    /// [`Self::exchange_with_headers`], calling `before_send` right before each attempt's
    /// bytes leave: after the attempt has its rate-limit slot (so any wait for the limiter is
    /// over) and before the connection is opened. An `Err` from it ends the call with nothing
    /// (more) sent, and is returned as it is.
    ///
    /// This is the seam for a write-ahead journal: recording "sending" in `before_send` keeps
    /// the wait for the limiter out of the window in which a crash leaves it unknown whether
    /// the request left. A retry (see [`RetryPolicy`]) calls it again, with the error that
    /// proved the previous attempt was not sent.
    pub async fn exchange_with_before_send<Req, Resp, F, E, H>(
        &self,
        op: &Operation<Req, Resp, F>,
        headers: &[&dyn HeaderBlock],
        request: &Req,
        mut before_send: H,
    ) -> Result<Exchange<Resp, F>, E>
    where
        Req: XmlContent + Sync,
        Resp: XmlContent + Send,
        F: FaultDetail,
        H: FnMut(&SendAttempt<'_>) -> Result<(), E>,
    {
        let span = tracing::info_span!(
            "soap.call",
            operation = op.name,
            endpoint = %self.endpoint,
            soap_action = op.soap_action.unwrap_or(""),
            attempts = Empty,
            http_status = Empty,
            duration_ms = Empty,
            outcome = Empty,
            tx_id = Empty,
        );
        let started = std::time::Instant::now();
        let executed = self
            .execute(op, headers, request, &span, &mut before_send)
            .instrument(span.clone())
            .await;
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let (result, tx_id, response_body) = match executed {
            Ok(done) => done,
            Err(stopped) => {
                span.record("duration_ms", duration_ms);
                span.record("outcome", "stopped_before_send");
                span.in_scope(|| {
                    tracing::warn!(duration_ms, "the caller stopped the call before sending")
                });
                return Err(stopped);
            }
        };
        let outcome = outcome(&result);
        span.record("duration_ms", duration_ms);
        span.record("outcome", outcome);
        if let Some(tx_id) = &tx_id {
            span.record("tx_id", tx_id.as_str());
        }
        span.in_scope(|| match &result {
            Ok(_) => tracing::info!(outcome, duration_ms, tx_id, "SOAP call succeeded"),
            // Fault reasons and details may quote the report; keep personnummer out of logs.
            Err(e) => tracing::warn!(
                outcome,
                duration_ms,
                error = %redact(&e.to_string()),
                "SOAP call failed"
            ),
        });
        Ok(Exchange {
            result,
            response_body,
        })
    }

    /// Serializes, sends (retrying only what was provably not sent) and interprets; returns
    /// the `tx-id` of a successful response and the response body as received beside the
    /// result, or `before_send`'s error if it stopped the call.
    async fn execute<Req, Resp, F, E, H>(
        &self,
        op: &Operation<Req, Resp, F>,
        headers: &[&dyn HeaderBlock],
        request: &Req,
        span: &tracing::Span,
        before_send: &mut H,
    ) -> Result<Executed<Resp, F>, E>
    where
        Req: XmlContent + Sync,
        Resp: XmlContent + Send,
        F: FaultDetail,
        H: FnMut(&SendAttempt<'_>) -> Result<(), E>,
    {
        let body = match envelope::write_request(op.version, &op.input, request, headers) {
            Ok(body) => body,
            Err(e) => return Ok((Err(Error::Request(e)), None, None)),
        };
        if self.settings.capture_bodies {
            tracing::debug!(target: "elt_soap::body", body = %redact(&body), "request body");
        }
        let body = Bytes::from(body);
        let content_type = envelope::content_type(op.version, op.soap_action);
        let soap_action = envelope::soap_action_header(op.version, op.soap_action);

        let mut attempt = 0u32;
        let mut previous: Option<TransportError> = None;
        let mut response = loop {
            attempt += 1;
            // Every attempt, retries included, takes its own slot, held until the response head
            // is back (see `RateLimiter` for why).
            let slot = match &self.limiter {
                Some(limiter) => Some(limiter.acquire().await),
                None => None,
            };
            // The slot is held: nothing stands between this and the bytes leaving but the
            // caller's own step. A refusal drops the slot, which still counts (nothing is lost
            // by spacing the next call).
            if let Err(stopped) = before_send(&SendAttempt {
                number: attempt,
                retrying_after: previous.as_ref(),
            }) {
                span.record("attempts", attempt - 1);
                return Err(stopped);
            }
            let mut builder = self
                .http
                .post(&*self.endpoint)
                .timeout(self.settings.request_timeout)
                .header(reqwest::header::CONTENT_TYPE, content_type.as_str())
                .body(body.clone());
            if let Some(action) = &soap_action {
                builder = builder.header("SOAPAction", action.as_str());
            }
            let sent = builder.send().await;
            drop(slot);
            match sent {
                Ok(response) => break response,
                Err(e) => {
                    let error = transport::classify(e, attempt);
                    if self.settings.retry.should_retry(&error, attempt) {
                        tracing::debug!(attempt, error = %error, "the request was not sent; trying again");
                        previous = Some(error);
                        continue;
                    }
                    span.record("attempts", attempt);
                    return Ok((Err(Error::Transport(error)), None, None));
                }
            }
        };
        span.record("attempts", attempt);

        let status = response.status().as_u16();
        span.record("http_status", status);
        let limit = self.settings.max_response_bytes;
        let bytes = match transport::read_capped(&mut response, limit).await {
            Ok(bytes) => bytes,
            Err(ReadError::TooLarge) => {
                return Ok((Err(Error::ResponseTooLarge { limit }), None, None));
            }
            Err(ReadError::Timeout(source)) => {
                return Ok((
                    Err(Error::Transport(TransportError::Timeout { source })),
                    None,
                    None,
                ));
            }
            Err(ReadError::Broken(e, partial)) => {
                let message = format!("the response body broke off: {}", chain(&e));
                let error = Error::InvalidResponse {
                    status,
                    message,
                    body: partial.clone(),
                };
                return Ok((Err(error), None, Some(partial)));
            }
        };
        if self.settings.capture_bodies {
            tracing::debug!(
                target: "elt_soap::body",
                status,
                body = %redact(&String::from_utf8_lossy(&bytes)),
                "response body"
            );
        }
        let (result, tx_id) = interpret(op, status, bytes.clone());
        Ok((result, tx_id, Some(bytes)))
    }
}

/// What [`Client::execute`] gives back: the result, the `tx-id` if any, and the response body
/// as received.
type Executed<Resp, F> = (Result<Resp, Error<F>>, Option<String>, Option<Bytes>);

/// One attempt of a call about to be sent, as
/// [`Client::exchange_with_before_send`] shows it to its hook.
#[derive(Debug)]
#[non_exhaustive]
pub struct SendAttempt<'a> {
    /// 1 for the first attempt, 2 for the first retry, and so on.
    pub number: u32,
    /// For a retry, the error that proved the previous attempt was not sent.
    pub retrying_after: Option<&'a TransportError>,
}

/// The result of [`Client::exchange`]: the call's result and the response body as received.
#[derive(Debug)]
pub struct Exchange<Resp, F> {
    /// What [`Client::call`] would have returned.
    pub result: Result<Resp, Error<F>>,
    /// The response body as received (partial when it broke off); `None` when no response was
    /// read: nothing could be sent, no response came, or it was larger than the cap.
    pub response_body: Option<Bytes>,
}

/// Longest `tx-id` text recorded in a span; a UUID is 36 characters.
const MAX_TX_ID_CHARS: usize = 128;

/// Sorts a received response into the expected message or an error, whatever its status:
/// a fault is a fault with any status; a non-2xx status without one is [`Error::Http`]; a 2xx
/// without the expected body element is [`Error::InvalidResponse`].
pub(crate) fn interpret<Req, Resp, F>(
    op: &Operation<Req, Resp, F>,
    status: u16,
    body: Bytes,
) -> (Result<Resp, Error<F>>, Option<String>)
where
    Resp: XmlContent,
    F: FaultDetail,
{
    let success = (200..300).contains(&status);
    // Without a fault, a non-2xx status is reported as an HTTP error; a 2xx is invalid.
    let unusable = |message: String| {
        let body = body.clone();
        Err(if success {
            Error::InvalidResponse {
                status,
                message,
                body,
            }
        } else {
            Error::Http { status, body }
        })
    };
    let text = match std::str::from_utf8(&body) {
        Ok(text) => text.strip_prefix('\u{feff}').unwrap_or(text),
        Err(e) => return (unusable(format!("the response is not UTF-8: {e}")), None),
    };
    if text.trim().is_empty() {
        return (unusable("the response body is empty".to_owned()), None);
    }
    let doc = match parse_document(text, ParseLimits::default()) {
        Ok(doc) => doc,
        Err(e) => {
            return (
                unusable(format!("the response is not usable XML: {e}")),
                None,
            );
        }
    };
    let parsed = match envelope::parse_envelope(&doc) {
        Ok(parsed) => parsed,
        Err(e) => {
            let message = format!("the response is not a SOAP envelope: {e}");
            return (unusable(message), None);
        }
    };
    match parsed.body {
        Body::Fault(f) => {
            let fault = Fault {
                version: parsed.version,
                http_status: status,
                code: f.code,
                reason: f.reason,
                detail_xml: f.detail_xml,
            };
            for entry in f.detail_entries {
                match F::read_detail(entry) {
                    Ok(Some(detail)) => return (Err(Error::Fault { detail, fault }), None),
                    Ok(None) => {}
                    // A declared detail that does not follow its schema: the fault is still
                    // the server's answer, so report it with its raw detail, not as invalid.
                    Err(e) => tracing::warn!(
                        error = %redact(&e.to_string()),
                        "fault detail could not be read"
                    ),
                }
            }
            (Err(Error::UndeclaredFault(fault)), None)
        }
        Body::Payload(node) => {
            let name = |ns: Option<&str>, local: &str| match ns {
                Some(ns) => format!("{{{ns}}}{local}"),
                None => local.to_owned(),
            };
            if !success {
                return (unusable(String::new()), None);
            }
            if parsed.version != op.version {
                let message = format!(
                    "expected a {} envelope, the response is {}",
                    op.version, parsed.version
                );
                return (unusable(message), None);
            }
            if !op.output.matches(node) {
                let message = format!(
                    "expected body element {}, found {}",
                    name(op.output.namespace, op.output.name),
                    name(node.tag_name().namespace(), node.tag_name().name())
                );
                return (unusable(message), None);
            }
            let tx_id = node
                .children()
                .find(|c| c.is_element() && c.tag_name().name() == "tx-id")
                .and_then(|c| c.text())
                .map(str::trim)
                .filter(|t| !t.is_empty() && t.chars().count() <= MAX_TX_ID_CHARS)
                .map(str::to_owned);
            match op.output.read(node) {
                Ok(response) => (Ok(response), tx_id),
                Err(e) => {
                    let message = format!("the response does not follow the schema: {e}");
                    (unusable(message), tx_id)
                }
            }
        }
    }
}
