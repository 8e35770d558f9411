//! The ELT operation itself, without I/O: from a request body to the answer and what to record.

use std::net::SocketAddr;
use std::time::{Instant, SystemTime};

use elt_soap::SoapVersion;
use elt_soap::envelope::{
    Body, FaultCode, FaultMessage, content_type, parse_envelope, write_fault, write_response,
};
use elt_types::service::{
    SKICKA_TIDREDOVISNING, SKICKA_TIDREDOVISNING_RESPONSE, SkickaTidredovisningResponseType,
    SkickaTidredovisningType,
};
use elt_types::tidredovisning::{TIDREDOVISNING, Tidredovisning};
use elt_xml::{ParseLimits, parse_document};

use crate::fault::MockFault;
use crate::signature::{self, SignatureCheck};
use elt_report::PayloadFormat;

/// The SOAPAction of `SkickaTidredovisning`; requests with another action get a Client fault.
pub const SOAP_ACTION: &str =
    "urn:shs:emottagning:SkickaTidredovisningResponder:1:SkickaTidredovisning";

/// The path of the real service's endpoint, used in [`MockServer::url`](crate::MockServer::url).
/// The mock answers POSTs to any path.
pub const SERVICE_PATH: &str = "/shs2/FK.ASE.Tidredovisning.ext";

/// The largest request body the mock reads; larger ones get HTTP 413.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// One request as the mock saw it, accepted or not.
#[derive(Debug, Clone)]
pub struct Received {
    /// When the request's head arrived (monotonic clock, for checking intervals).
    pub arrived: Instant,
    /// When the request's head arrived (wall clock, for logs).
    pub arrived_at: SystemTime,
    /// The client's address.
    pub peer: SocketAddr,
    /// The subject of the client certificate, e.g. `CN=elt-mock test vendor, O=...`.
    pub client_subject: Option<String>,
    /// The HTTP method.
    pub method: String,
    /// The request path (with query, if any).
    pub path: String,
    /// The SOAP version of the request, when its headers named one.
    pub soap_version: Option<SoapVersion>,
    /// The HTTP status of the answer.
    pub status: u16,
    /// What the mock did with it.
    pub outcome: Outcome,
    /// The `id` of the report the request carried, when it could be read (also for refused
    /// requests), so tests can match the log with their own records one by one.
    pub report_id: Option<String>,
    /// The `tx-id` the mock made for it: accepted, or registered and then dropped.
    pub tx_id: Option<String>,
}

impl Received {
    /// The accepted submission, if the request was accepted.
    pub fn submission(&self) -> Option<&Submission> {
        match &self.outcome {
            Outcome::Accepted(s) => Some(s),
            _ => None,
        }
    }
}

/// What the mock did with a request.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Accepted: answered `SkickaTidredovisningResponse` with a new `tx-id` (HTTP 200).
    Accepted(Box<Submission>),
    /// Accepted and registered with a `tx-id`, but the connection was closed without an
    /// answer, as [`Misbehaviour::drop_after_read`](crate::Misbehaviour::drop_after_read) asks.
    AnswerDropped(Box<Submission>),
    /// Answered with an `XmlValidationError` fault carrying this message (HTTP 500).
    XmlValidationError(String),
    /// Answered with a `SignatureValidationError` fault carrying this message (HTTP 500).
    SignatureValidationError(String),
    /// Answered with a Client (SOAP 1.2: Sender) fault without declared detail, with this
    /// reason (HTTP 500): a wrong SOAPAction, or a body that is not a usable SOAP envelope.
    ClientFault(String),
    /// Refused for calling faster than the configured rate: a Server (SOAP 1.2: Receiver) fault
    /// without declared detail (HTTP 500). The request was not processed.
    RateLimited,
    /// Not a SOAP request the mock can answer in SOAP (wrong method, content type, or a body
    /// too large): answered with a plain-text HTTP error with this text.
    HttpError(String),
}

/// An accepted time report.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The `tx-id` the mock answered (a UUID v4, lower case).
    pub tx_id: String,
    /// The request body element as received.
    pub request: SkickaTidredovisningType,
    /// The time report decoded from `request.tidredovisning`.
    pub report: Tidredovisning,
}

/// An HTTP answer and what to record about it.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) content_type: String,
    pub(crate) body: String,
    pub(crate) outcome: Outcome,
}

/// Answers a `SkickaTidredovisning` request in `version`, whose action (SOAP 1.1: the
/// `SOAPAction` header; SOAP 1.2: the `action` parameter) was `action`.
pub(crate) fn answer(
    version: SoapVersion,
    action: Option<&str>,
    body: &[u8],
    signatures: SignatureCheck,
    format: &PayloadFormat,
) -> Answer {
    match process(version, action, body, signatures, format) {
        Ok(submission) => accepted(version, submission),
        Err(refusal) => refusal.into_answer(version),
    }
}

/// The fault for a client that calls faster than `calls_per_second`.
pub(crate) fn rate_limited(version: SoapVersion, calls_per_second: f64) -> Answer {
    let reason = format!(
        "call rate exceeded: at most {calls_per_second} calls per second per client; \
         this call was not processed"
    );
    fault_answer(
        version,
        FaultCode::Server,
        reason,
        None,
        Outcome::RateLimited,
    )
}

/// A plain-text HTTP error, for requests that are not SOAP.
pub(crate) fn http_error(status: u16, message: impl Into<String>) -> Answer {
    let message = message.into();
    Answer {
        status,
        content_type: "text/plain; charset=utf-8".to_owned(),
        body: format!("{message}\n"),
        outcome: Outcome::HttpError(message),
    }
}

/// Why a request was not accepted.
enum Refusal {
    Client(String),
    XmlValidation(String),
    SignatureValidation(String),
}

impl Refusal {
    fn into_answer(self, version: SoapVersion) -> Answer {
        match self {
            Self::Client(reason) => {
                let outcome = Outcome::ClientFault(reason.clone());
                fault_answer(version, FaultCode::Client, reason, None, outcome)
            }
            Self::XmlValidation(message) => fault_answer(
                version,
                FaultCode::Client,
                format!("XML validation failed: {message}"),
                Some(MockFault::xml_validation(message.clone())),
                Outcome::XmlValidationError(message),
            ),
            Self::SignatureValidation(message) => fault_answer(
                version,
                FaultCode::Client,
                format!("signature validation failed: {message}"),
                Some(MockFault::signature_validation(message.clone())),
                Outcome::SignatureValidationError(message),
            ),
        }
    }
}

/// Checks and decodes a request; the submission without its `tx-id` yet.
fn process(
    version: SoapVersion,
    action: Option<&str>,
    body: &[u8],
    signatures: SignatureCheck,
    format: &PayloadFormat,
) -> Result<(SkickaTidredovisningType, Tidredovisning), Refusal> {
    match action {
        Some(SOAP_ACTION) => {}
        Some(other) => {
            return Err(Refusal::Client(format!(
                "unknown SOAPAction {other:?}: this service has one operation, \
                 SkickaTidredovisning, with SOAPAction {SOAP_ACTION:?}"
            )));
        }
        None => {
            return Err(Refusal::Client(format!(
                "no SOAPAction: SkickaTidredovisning requires {SOAP_ACTION:?} ({})",
                match version {
                    SoapVersion::Soap11 => "in the SOAPAction header",
                    SoapVersion::Soap12 => "as the action parameter of the Content-Type",
                }
            )));
        }
    }

    let text = std::str::from_utf8(body)
        .map_err(|e| Refusal::XmlValidation(format!("the request is not UTF-8: {e}")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = parse_document(text, ParseLimits::default())
        .map_err(|e| Refusal::XmlValidation(e.to_string()))?;
    let envelope = parse_envelope(&doc)
        .map_err(|e| Refusal::Client(format!("not a usable SOAP envelope: {e}")))?;
    if envelope.version != version {
        return Err(Refusal::Client(format!(
            "a {} envelope sent with the Content-Type of {}",
            envelope.version, version
        )));
    }
    let payload = match envelope.body {
        Body::Payload(node) => node,
        Body::Fault(_) => {
            return Err(Refusal::Client(
                "the request body is a Fault, not SkickaTidredovisning".to_owned(),
            ));
        }
    };
    let request = SKICKA_TIDREDOVISNING
        .read(payload)
        .map_err(|e| Refusal::XmlValidation(e.to_string()))?;
    let report = TIDREDOVISNING
        .from_xml_bytes(&request.tidredovisning.value)
        .map_err(|e| {
            Refusal::XmlValidation(format!(
                "tidredovisning is not a valid Tidredovisning document: {e}"
            ))
        })?;
    signature::check(signatures, format, &request).map_err(Refusal::SignatureValidation)?;
    Ok((request, report))
}

fn accepted(
    version: SoapVersion,
    (request, report): (SkickaTidredovisningType, Tidredovisning),
) -> Answer {
    let tx_id = uuid::Uuid::new_v4().to_string();
    let response = SkickaTidredovisningResponseType {
        tx_id: tx_id.clone(),
        any: Vec::new(),
    };
    match write_response(version, &SKICKA_TIDREDOVISNING_RESPONSE, &response) {
        Ok(body) => Answer {
            status: 200,
            content_type: content_type(version, None),
            body,
            outcome: Outcome::Accepted(Box::new(Submission {
                tx_id,
                request,
                report,
            })),
        },
        Err(e) => http_error(500, format!("the mock could not write its response: {e}")),
    }
}

/// A SOAP fault answer (HTTP 500).
pub(crate) fn fault_answer(
    version: SoapVersion,
    code: FaultCode,
    reason: String,
    detail: Option<MockFault>,
    outcome: Outcome,
) -> Answer {
    let message = FaultMessage { code, reason };
    match write_fault(version, &message, detail.as_ref()) {
        Ok(body) => Answer {
            status: 500,
            content_type: content_type(version, None),
            body,
            outcome,
        },
        Err(e) => http_error(500, format!("the mock could not write its fault: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(version: SoapVersion, body: &str) -> String {
        let ns = version.envelope_namespace();
        format!(r#"<e:Envelope xmlns:e="{ns}"><e:Body>{body}</e:Body></e:Envelope>"#)
    }

    #[test]
    fn wrong_or_missing_action_is_a_client_fault() {
        let body = envelope(SoapVersion::Soap11, "<x/>");
        for action in [Some("urn:other"), None] {
            let a = answer(
                SoapVersion::Soap11,
                action,
                body.as_bytes(),
                SignatureCheck::Strict,
                &PayloadFormat::default(),
            );
            assert_eq!(a.status, 500);
            assert!(matches!(a.outcome, Outcome::ClientFault(_)), "{a:?}");
            assert!(a.body.contains("faultcode>soap:Client<"), "{}", a.body);
            assert!(!a.body.contains("detail"), "{}", a.body);
        }
    }

    #[test]
    fn garbage_is_answered_not_crashed_on() {
        for body in [&b"\xff\xfe"[..], b"", b"<a", b"<a/>", b"not xml at all"] {
            let a = answer(
                SoapVersion::Soap12,
                Some(SOAP_ACTION),
                body,
                SignatureCheck::Strict,
                &PayloadFormat::default(),
            );
            assert_eq!(a.status, 500, "{a:?}");
            assert!(a.content_type.starts_with("application/soap+xml"));
        }
    }

    #[test]
    fn wrong_body_element_is_an_xml_validation_error() {
        let body = envelope(SoapVersion::Soap11, r#"<Other xmlns="urn:x"/>"#);
        let a = answer(
            SoapVersion::Soap11,
            Some(SOAP_ACTION),
            body.as_bytes(),
            SignatureCheck::Strict,
            &PayloadFormat::default(),
        );
        assert!(
            matches!(&a.outcome, Outcome::XmlValidationError(m) if m.contains("SkickaTidredovisning")),
            "{a:?}"
        );
        assert!(a.body.contains("XmlValidationError"), "{}", a.body);
    }

    #[test]
    fn version_mismatch_is_a_client_fault() {
        let body = envelope(SoapVersion::Soap12, "<x/>");
        let a = answer(
            SoapVersion::Soap11,
            Some(SOAP_ACTION),
            body.as_bytes(),
            SignatureCheck::Strict,
            &PayloadFormat::default(),
        );
        assert!(matches!(a.outcome, Outcome::ClientFault(_)), "{a:?}");
    }

    #[test]
    fn rate_fault_is_a_server_fault_naming_the_rate() {
        let a = rate_limited(SoapVersion::Soap12, 1.0);
        assert_eq!(a.status, 500);
        assert!(a.body.contains("Receiver"), "{}", a.body);
        assert!(a.body.contains("call rate"), "{}", a.body);
    }
}
