//! Misbehaviour on request, for tests of what a client does when the service does not answer
//! as it should: close the connection after reading a request (the report is registered, the
//! answer never comes), answer slowly, or answer given report ids with a declared fault.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use base64::Engine as _;

use elt_soap::SoapVersion;
use elt_soap::envelope::{Body, FaultCode, parse_envelope};
use elt_xml::{ParseLimits, parse_document};

use crate::fault::MockFault;
use crate::service::{self, Answer, Outcome};

/// How the mock misbehaves. The default behaves.
///
/// Set it with [`MockConfig::misbehaviour`](crate::MockConfig::misbehaviour) or change it while
/// the server runs with [`MockServer::set_misbehaviour`](crate::MockServer::set_misbehaviour).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Misbehaviour {
    /// Requests to read, process and register (a `tx-id` is made and logged), then close the
    /// connection without answering: the client cannot know whether the report arrived.
    pub drop_after_read: Selection,
    /// Wait this long before answering (or dropping) each request.
    pub delay: Option<Duration>,
    /// Report ids answered with this declared fault instead of being accepted (only reports
    /// that would otherwise be accepted).
    pub faults: BTreeMap<String, DeclaredFault>,
}

/// Which requests a misbehaviour applies to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Selection {
    /// None.
    #[default]
    None,
    /// Every request the mock would accept.
    All,
    /// Requests carrying a report with one of these ids.
    ReportIds(BTreeSet<String>),
}

impl Selection {
    /// Requests carrying a report with one of `ids`.
    pub fn ids<I, S>(ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Selection::ReportIds(ids.into_iter().map(Into::into).collect())
    }

    fn matches(&self, report_id: &str) -> bool {
        match self {
            Selection::None => false,
            Selection::All => true,
            Selection::ReportIds(ids) => ids.contains(report_id),
        }
    }
}

/// A fault the WSDL declares, with its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeclaredFault {
    /// `XmlValidationError`.
    XmlValidation(String),
    /// `SignatureValidationError`.
    SignatureValidation(String),
}

impl fmt::Display for DeclaredFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeclaredFault::XmlValidation(m) => write!(f, "xml:{m}"),
            DeclaredFault::SignatureValidation(m) => write!(f, "signature:{m}"),
        }
    }
}

/// `xml:MESSAGE` or `signature:MESSAGE`.
impl FromStr for DeclaredFault {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once(':') {
            Some(("xml", m)) => Ok(DeclaredFault::XmlValidation(m.to_owned())),
            Some(("signature", m)) => Ok(DeclaredFault::SignatureValidation(m.to_owned())),
            _ => Err(format!(
                "{s:?} is not a declared fault: expected xml:MESSAGE (XmlValidationError) or \
                 signature:MESSAGE (SignatureValidationError)"
            )),
        }
    }
}

/// What to do with a request once its answer is known.
#[derive(Debug)]
pub(crate) struct Decision {
    /// The answer (unless dropped) and what to log.
    pub(crate) answer: Answer,
    /// The report id the request carried, when it could be read.
    pub(crate) report_id: Option<String>,
    /// Close the connection instead of answering.
    pub(crate) drop: bool,
    /// Wait before answering or dropping.
    pub(crate) delay: Option<Duration>,
}

impl Decision {
    /// Answer as is: no misbehaviour applies (the request was not one the mock processes).
    pub(crate) fn plain(answer: Answer) -> Self {
        Decision {
            answer,
            report_id: None,
            drop: false,
            delay: None,
        }
    }
}

/// Returned to hyper to close the connection without answering.
#[derive(Debug)]
pub(crate) struct Dropped;

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped after reading the request, as the misbehaviour asks")
    }
}

impl std::error::Error for Dropped {}

/// Applies `misbehaviour` to the mock's `answer` to a request of `version` with `body`.
pub(crate) fn apply(
    misbehaviour: &Misbehaviour,
    version: SoapVersion,
    body: &[u8],
    answer: Answer,
) -> Decision {
    let delay = misbehaviour.delay;
    let report_id = match &answer.outcome {
        Outcome::Accepted(s) => Some(s.report.id.get().clone()),
        // Refused requests are rare; reading the id again costs nothing that matters.
        _ => report_id_of(body),
    };
    let Some(id) = report_id.as_deref() else {
        return Decision {
            answer,
            report_id,
            drop: false,
            delay,
        };
    };
    if let (Outcome::Accepted(_), Some(fault)) = (&answer.outcome, misbehaviour.faults.get(id)) {
        let (detail, outcome, reason) = match fault {
            DeclaredFault::XmlValidation(m) => (
                MockFault::xml_validation(m.clone()),
                Outcome::XmlValidationError(m.clone()),
                format!("XML validation failed: {m}"),
            ),
            DeclaredFault::SignatureValidation(m) => (
                MockFault::signature_validation(m.clone()),
                Outcome::SignatureValidationError(m.clone()),
                format!("signature validation failed: {m}"),
            ),
        };
        let answer =
            service::fault_answer(version, FaultCode::Client, reason, Some(detail), outcome);
        return Decision {
            answer,
            report_id,
            drop: false,
            delay,
        };
    }
    let drop = misbehaviour.drop_after_read.matches(id);
    match answer {
        Answer {
            status,
            content_type,
            body,
            outcome: Outcome::Accepted(submission),
        } if drop => Decision {
            answer: Answer {
                status,
                content_type,
                body,
                outcome: Outcome::AnswerDropped(submission),
            },
            report_id,
            drop: true,
            delay,
        },
        answer => Decision {
            answer,
            report_id,
            drop: false,
            delay,
        },
    }
}

/// The `id` of the report inside a `SkickaTidredovisning` request, read leniently (the request
/// may have been refused for another reason).
pub(crate) fn report_id_of(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let doc = parse_document(text.trim_start_matches('\u{feff}'), ParseLimits::default()).ok()?;
    let Body::Payload(payload) = parse_envelope(&doc).ok()?.body else {
        return None;
    };
    let encoded = payload
        .children()
        .find(|n| n.is_element() && n.tag_name().name() == "tidredovisning")?
        .text()?;
    let compact: String = encoded
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let report = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()?;
    let report = std::str::from_utf8(&report).ok()?;
    let report = roxmltree::Document::parse(report.trim_start_matches('\u{feff}')).ok()?;
    let id = report
        .root_element()
        .children()
        .find(|n| n.is_element() && n.tag_name().name() == "id")?
        .text()?
        .trim()
        .to_owned();
    Some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_parse_from_the_command_line_form() {
        assert_eq!(
            "xml:dag 31 finns inte".parse(),
            Ok(DeclaredFault::XmlValidation("dag 31 finns inte".into()))
        );
        assert_eq!(
            "signature:bad: really".parse(),
            Ok(DeclaredFault::SignatureValidation("bad: really".into()))
        );
        assert!("other:x".parse::<DeclaredFault>().is_err());
        assert!("xml".parse::<DeclaredFault>().is_err());
    }

    #[test]
    fn selections_match_ids() {
        assert!(!Selection::None.matches("a"));
        assert!(Selection::All.matches("a"));
        let s = Selection::ids(["a", "b"]);
        assert!(s.matches("b") && !s.matches("c"));
    }
}
