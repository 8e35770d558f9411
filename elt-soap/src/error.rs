//! What can go wrong in a call, one variant per kind of outcome, so callers can tell a declared
//! fault from a server that answered with an HTML page, and a request that never left from one
//! that may have arrived.

use std::error::Error as StdError;
use std::fmt;

use bytes::Bytes;

use crate::operation::SoapVersion;

/// A SOAP fault as received, whatever its detail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// The envelope version the fault came in.
    pub version: SoapVersion,
    /// The HTTP status it came with (SOAP servers use 500, some 200 or 4xx).
    pub http_status: u16,
    /// The fault code resolved from its QName, `{namespace}local`.
    pub code: String,
    /// `faultstring` (1.1) or `Reason/Text` (1.2).
    pub reason: String,
    /// The `detail` / `Detail` element as it appeared in the response, if any.
    pub detail_xml: Option<String>,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} fault (HTTP {}) {}: {}",
            self.version, self.http_status, self.code, self.reason
        )
    }
}

/// The error of a call; `F` is the operation's declared fault enum.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<F> {
    /// The server answered with a fault whose detail is one the operation declares.
    #[error("{fault}; declared detail: {detail:?}")]
    Fault {
        /// The declared detail, typed.
        detail: F,
        /// Code, reason and raw detail.
        fault: Fault,
    },
    /// The server answered with a fault without a declared detail (raw detail XML kept).
    #[error("{}; detail: {}", .0, .0.detail_xml.as_deref().unwrap_or("(none)"))]
    UndeclaredFault(Fault),
    /// A non-2xx HTTP status without a SOAP fault in the body (for example a proxy's error page).
    #[error("HTTP status {status} without a SOAP fault; body: {}", snippet(body))]
    Http {
        /// The HTTP status.
        status: u16,
        /// The response body as received.
        body: Bytes,
    },
    /// The server answered, but not with the expected response: an HTML page, an empty or
    /// truncated body, XML that is not well-formed, another body element, or content that does
    /// not follow the schema. The request may have been processed.
    #[error("invalid response (HTTP {status}): {message}; body: {}", snippet(body))]
    InvalidResponse {
        /// The HTTP status.
        status: u16,
        /// What was wrong.
        message: String,
        /// The response body as received (possibly partial).
        body: Bytes,
    },
    /// The response body was larger than the configured cap; reading stopped there.
    #[error("response body larger than the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The cap, in bytes.
        limit: usize,
    },
    /// No usable HTTP exchange happened.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The request could not be serialized (nothing was sent).
    #[error("the request could not be serialized: {0}")]
    Request(#[source] elt_xml::XmlError),
}

impl<F> Error<F> {
    /// The fault, declared or not, if the server answered with one.
    pub fn fault(&self) -> Option<&Fault> {
        match self {
            Self::Fault { fault, .. } | Self::UndeclaredFault(fault) => Some(fault),
            _ => None,
        }
    }

    /// Whether the request certainly did not reach the server (so sending it again cannot
    /// submit twice): it could not be serialized, no connection could be made, or TLS failed
    /// during the handshake (see [`TransportError::request_not_sent`]).
    pub fn request_not_sent(&self) -> bool {
        match self {
            Self::Request(_) => true,
            Self::Transport(e) => e.request_not_sent(),
            _ => false,
        }
    }
}

/// A transport failure, by what it means for the request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// No connection could be made (refused, name not resolved, connect timeout): the request
    /// was not sent. `attempts` counts the tries, retries included.
    #[error("could not connect ({attempts} attempt(s)): {}", chain(source))]
    Connect {
        /// How many times a connection was tried.
        attempts: u32,
        /// The last error.
        #[source]
        source: reqwest::Error,
    },
    /// TLS failed: the server's certificate was not trusted, or the server refused ours.
    #[error("TLS error{}: {}", handshake_note(*handshake, *attempts), chain(source))]
    Tls {
        /// How many times a connection was tried, retries included.
        attempts: u32,
        /// Whether TLS failed while connecting, in the handshake, before any byte of the
        /// request was written (an untrusted server certificate, a handshake the server
        /// aborted). `false` when it failed later: in TLS 1.3 a server refuses a client
        /// certificate only after the client has finished its side of the handshake, by which
        /// time the request may have been written.
        handshake: bool,
        /// The error.
        #[source]
        source: reqwest::Error,
    },
    /// The request timeout passed after connecting; the request may have been processed.
    #[error("timed out: {}", chain(source))]
    Timeout {
        /// The error.
        #[source]
        source: reqwest::Error,
    },
    /// Anything else, such as a connection closed while waiting for the response.
    #[error("transport error: {}", chain(source))]
    Other {
        /// The error.
        #[source]
        source: reqwest::Error,
    },
}

impl TransportError {
    /// Whether this failure proves the request was not sent, so that sending it again cannot
    /// submit twice: no connection could be made, or TLS failed in the handshake, before any
    /// request byte was written. Timeouts after connecting, TLS failures after the handshake
    /// and broken connections prove nothing.
    pub fn request_not_sent(&self) -> bool {
        matches!(
            self,
            Self::Connect { .. }
                | Self::Tls {
                    handshake: true,
                    ..
                }
        )
    }
}

/// What a TLS error's message says about when it happened.
fn handshake_note(handshake: bool, attempts: u32) -> String {
    if handshake {
        format!(" during the handshake, before the request ({attempts} attempt(s))")
    } else {
        String::new()
    }
}

/// Deepest error chain walked; real chains are a handful of links.
const MAX_CHAIN: usize = 32;

/// Every error in `e`'s chain, including the inner error of `io::Error`s, which
/// `io::Error::source` skips.
pub(crate) fn error_chain<'a>(
    e: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    let mut next = Some(e);
    std::iter::from_fn(move || {
        let cur = next?;
        next = match cur
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => cur.source(),
        };
        Some(cur)
    })
    .take(MAX_CHAIN)
}

/// `e` and its causes, joined with `: `, skipping causes whose text the previous one repeats.
pub(crate) fn chain(e: &(dyn StdError + 'static)) -> String {
    let mut out = String::new();
    for cause in error_chain(e) {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// The start of a body for error messages: lossy UTF-8, at most 200 characters, redacted.
fn snippet(body: &Bytes) -> String {
    const CHARS: usize = 200;
    if body.is_empty() {
        return "(empty)".to_owned();
    }
    // Redact before cutting, so a cut cannot leave part of a personnummer readable; 200
    // characters are at most 800 bytes of UTF-8.
    let head = String::from_utf8_lossy(&body[..body.len().min(4 * CHARS)]);
    let text: String = crate::redact::redact(&head).chars().take(CHARS).collect();
    if body.len() > text.len() {
        format!("{text}... ({} bytes)", body.len())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_show_a_redacted_start_of_the_body() {
        let e: Error<crate::NoFaults> = Error::Http {
            status: 502,
            body: Bytes::from_static(b"<p>Bad gateway for 191212121212</p>"),
        };
        assert_eq!(
            e.to_string(),
            "HTTP status 502 without a SOAP fault; body: <p>Bad gateway for [personnummer redacted]</p>"
        );
        let long = Bytes::from(format!("<p>{}</p>", "x".repeat(500)));
        let e: Error<crate::NoFaults> = Error::InvalidResponse {
            status: 200,
            message: "the response is not a SOAP envelope".into(),
            body: long,
        };
        let text = e.to_string();
        assert!(text.ends_with("... (507 bytes)"), "{text}");
        let e: Error<crate::NoFaults> = Error::Http {
            status: 500,
            body: Bytes::new(),
        };
        assert!(e.to_string().ends_with("body: (empty)"));
    }
}
