//! SOAP envelopes without I/O: writing requests, responses and faults, parsing what comes back,
//! and the HTTP headers each SOAP version requires.
//!
//! The envelope's own elements are written by hand with a conventional prefix (`soap:` for 1.1,
//! `env:` for 1.2). Body and header content is written by a fresh `Writer` per fragment, so the
//! payload's root element (each header block's) declares the namespaces its content uses, with
//! the schemas' prefixes; no default namespace is in scope (the envelope only binds a prefix, and
//! the writer never declares one), so unqualified elements need no `xmlns=""`. A payload prefix
//! equal to the envelope's is declared on the payload's root and shadows it there, which is
//! correct: nothing inside the payload names the envelope namespace.

use elt_xml::{Node, RootElement, Writer, XmlContent, XmlError};

/// Re-exported here because envelope code names it everywhere.
pub use crate::operation::SoapVersion;
use crate::operation::{FaultDetail, HeaderBlock};

/// Namespace of the `xml:` prefix (`xml:lang`).
const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

/// The prefix we bind the envelope namespace to when writing.
fn prefix(version: SoapVersion) -> &'static str {
    match version {
        SoapVersion::Soap11 => "soap",
        SoapVersion::Soap12 => "env",
    }
}

/// Writes `<?xml?><p:Envelope xmlns:p="..">`.
fn open_envelope(out: &mut String, version: SoapVersion) {
    let p = prefix(version);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    out.push_str(&format!(
        "<{p}:Envelope xmlns:{p}=\"{}\">",
        version.envelope_namespace()
    ));
}

fn close_envelope(out: &mut String, version: SoapVersion) {
    out.push_str(&format!("</{}:Envelope>", prefix(version)));
}

/// Writes a fragment with a fresh writer; the writer closes anything left open.
fn fragment(write: impl FnOnce(&mut Writer) -> Result<(), XmlError>) -> Result<String, XmlError> {
    let mut w = Writer::new();
    write(&mut w)?;
    Ok(w.finish())
}

/// Writes a request envelope: optional `Header` with `headers`, and `element` in the `Body`.
pub fn write_request<T: XmlContent>(
    version: SoapVersion,
    element: &RootElement<T>,
    value: &T,
    headers: &[&dyn HeaderBlock],
) -> Result<String, XmlError> {
    let p = prefix(version);
    let mut out = String::new();
    open_envelope(&mut out, version);
    if !headers.is_empty() {
        let content = fragment(|w| {
            for h in headers {
                h.write_header(w)?;
            }
            Ok(())
        })?;
        out.push_str(&format!("<{p}:Header>{content}</{p}:Header>"));
    }
    let body = fragment(|w| element.write(w, value))?;
    out.push_str(&format!("<{p}:Body>{body}</{p}:Body>"));
    close_envelope(&mut out, version);
    Ok(out)
}

/// Writes a response envelope with `element` in the `Body` (for servers such as the mock).
pub fn write_response<T: XmlContent>(
    version: SoapVersion,
    element: &RootElement<T>,
    value: &T,
) -> Result<String, XmlError> {
    write_request(version, element, value, &[])
}

/// Who is to blame for a fault, in words both SOAP versions have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FaultCode {
    /// The request was wrong (`soap:Client` in 1.1, `env:Sender` in 1.2).
    Client,
    /// The server failed (`soap:Server` in 1.1, `env:Receiver` in 1.2).
    Server,
}

impl FaultCode {
    /// The local name of the code in `version` (`Client`, `Sender`, ...).
    pub fn local_name(self, version: SoapVersion) -> &'static str {
        match (version, self) {
            (SoapVersion::Soap11, Self::Client) => "Client",
            (SoapVersion::Soap11, Self::Server) => "Server",
            (SoapVersion::Soap12, Self::Client) => "Sender",
            (SoapVersion::Soap12, Self::Server) => "Receiver",
        }
    }

    /// The code as a resolved name, `{envelope namespace}local`, as [`ParsedFault::code`] has it.
    pub fn expanded_name(self, version: SoapVersion) -> String {
        format!(
            "{{{}}}{}",
            version.envelope_namespace(),
            self.local_name(version)
        )
    }
}

/// The code and reason of a fault to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultMessage {
    /// Who is to blame.
    pub code: FaultCode,
    /// Human-readable explanation (`faultstring` / `Reason/Text`).
    pub reason: String,
}

/// Writes a fault envelope, with `detail` written by [`FaultDetail::write_detail`] when given.
pub fn write_fault<F: FaultDetail>(
    version: SoapVersion,
    fault: &FaultMessage,
    detail: Option<&F>,
) -> Result<String, XmlError> {
    let p = prefix(version);
    let code = fault.code.local_name(version);
    let reason = escape(&fault.reason);
    let detail = detail
        .map(|d| fragment(|w| d.write_detail(w)))
        .transpose()?;
    let mut out = String::new();
    open_envelope(&mut out, version);
    out.push_str(&format!("<{p}:Body><{p}:Fault>"));
    match version {
        SoapVersion::Soap11 => {
            // SOAP 1.1 fault children are unqualified; the code is a QName using our prefix.
            out.push_str(&format!(
                "<faultcode>{p}:{code}</faultcode><faultstring>{reason}</faultstring>"
            ));
            if let Some(d) = detail {
                out.push_str(&format!("<detail>{d}</detail>"));
            }
        }
        SoapVersion::Soap12 => {
            out.push_str(&format!(
                "<{p}:Code><{p}:Value>{p}:{code}</{p}:Value></{p}:Code>\
                 <{p}:Reason><{p}:Text xml:lang=\"en\">{reason}</{p}:Text></{p}:Reason>"
            ));
            if let Some(d) = detail {
                out.push_str(&format!("<{p}:Detail>{d}</{p}:Detail>"));
            }
        }
    }
    out.push_str(&format!("</{p}:Fault></{p}:Body>"));
    close_envelope(&mut out, version);
    Ok(out)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// A document that is not a usable SOAP envelope.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}{}", .position.map(|(l, c)| format!(" (line {l}, column {c})")).unwrap_or_default())]
pub struct EnvelopeError {
    /// What was wrong and what was expected.
    pub message: String,
    /// 1-based line and column of the offending node.
    pub position: Option<(u32, u32)>,
}

impl EnvelopeError {
    fn at(node: Node<'_, '_>, message: impl Into<String>) -> Self {
        let pos = node.document().text_pos_at(node.range().start);
        Self {
            message: message.into(),
            position: Some((pos.row, pos.col)),
        }
    }
}

/// A parsed envelope: its version, header blocks and body.
#[derive(Clone, Debug)]
pub struct ParsedEnvelope<'a, 'i> {
    /// The version, from the `Envelope` namespace.
    pub version: SoapVersion,
    /// The child elements of `Header` (empty when there is none).
    pub headers: Vec<Node<'a, 'i>>,
    /// The body: a payload element or a fault.
    pub body: Body<'a, 'i>,
}

/// What a `Body` holds.
#[derive(Clone, Debug)]
pub enum Body<'a, 'i> {
    /// The single body element of a document/literal message.
    Payload(Node<'a, 'i>),
    /// A fault.
    Fault(ParsedFault<'a, 'i>),
}

/// A fault as read from an envelope, in either version.
#[derive(Clone, Debug)]
pub struct ParsedFault<'a, 'i> {
    /// The fault code resolved from its QName, as `{namespace}local` (e.g.
    /// `{http://schemas.xmlsoap.org/soap/envelope/}Client`); the raw text when the prefix is
    /// not declared.
    pub code: String,
    /// `faultstring` (1.1) or the English `Reason/Text`, else the first one (1.2).
    pub reason: String,
    /// The child elements of `detail` / `Detail`.
    pub detail_entries: Vec<Node<'a, 'i>>,
    /// The `detail` / `Detail` element as it appears in the source text.
    pub detail_xml: Option<String>,
}

fn describe(node: Node<'_, '_>) -> String {
    match node.tag_name().namespace() {
        Some(ns) => format!("{{{ns}}}{}", node.tag_name().name()),
        None => node.tag_name().name().to_owned(),
    }
}

fn is_soap(node: Node<'_, '_>, version: SoapVersion, local: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == local
        && node.tag_name().namespace() == Some(version.envelope_namespace())
}

fn element_children<'a, 'i>(node: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    node.children().filter(Node::is_element).collect()
}

/// Refuses non-whitespace text directly inside an envelope structure element.
fn no_text(node: Node<'_, '_>) -> Result<(), EnvelopeError> {
    for child in node.children().filter(Node::is_text) {
        if let Some(t) = child.text().filter(|t| !t.trim().is_empty()) {
            return Err(EnvelopeError::at(
                child,
                format!(
                    "unexpected text {:?} in {}",
                    truncate(t.trim(), 60),
                    describe(node)
                ),
            ));
        }
    }
    Ok(())
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_owned(),
    }
}

/// Parses a SOAP 1.1 or 1.2 envelope (the version comes from the `Envelope` namespace).
///
/// The body must hold exactly one element, as document/literal requires: a payload or a
/// `Fault`. A fault missing its code or reason is still returned as a fault (with empty
/// strings), because the server has said the call failed and that must not be lost.
pub fn parse_envelope<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
) -> Result<ParsedEnvelope<'a, 'i>, EnvelopeError> {
    let root = doc.root_element();
    let version = match root
        .tag_name()
        .namespace()
        .and_then(SoapVersion::from_namespace)
    {
        Some(v) if root.tag_name().name() == "Envelope" => v,
        _ => {
            return Err(EnvelopeError::at(
                root,
                format!(
                    "expected a SOAP Envelope ({{{}}}Envelope for SOAP 1.1 or {{{}}}Envelope for \
                     SOAP 1.2), found {}",
                    SoapVersion::Soap11.envelope_namespace(),
                    SoapVersion::Soap12.envelope_namespace(),
                    describe(root)
                ),
            ));
        }
    };
    no_text(root)?;
    let children = element_children(root);
    let mut rest = children.as_slice();
    let mut headers = Vec::new();
    if let Some((first, tail)) = rest.split_first()
        && is_soap(*first, version, "Header")
    {
        headers = element_children(*first);
        rest = tail;
    }
    let body = match rest.split_first() {
        Some((first, tail)) if is_soap(*first, version, "Body") => {
            // SOAP 1.1 allows further elements after the Body; SOAP 1.2 does not.
            if version == SoapVersion::Soap12
                && let Some(extra) = tail.first()
            {
                return Err(EnvelopeError::at(
                    *extra,
                    format!(
                        "unexpected element {} after the SOAP 1.2 Body",
                        describe(*extra)
                    ),
                ));
            }
            *first
        }
        Some((first, _)) => {
            return Err(EnvelopeError::at(
                *first,
                format!(
                    "expected {{{}}}Body (after an optional Header), found {}",
                    version.envelope_namespace(),
                    describe(*first)
                ),
            ));
        }
        None => {
            return Err(EnvelopeError::at(
                root,
                format!("the {version} Envelope has no Body"),
            ));
        }
    };
    no_text(body)?;
    let entries = element_children(body);
    let entry = match entries.as_slice() {
        [one] => *one,
        [] => {
            return Err(EnvelopeError::at(
                body,
                "the SOAP Body is empty; expected exactly one element",
            ));
        }
        several => {
            let names: Vec<String> = several.iter().map(|n| describe(*n)).collect();
            return Err(EnvelopeError::at(
                body,
                format!(
                    "the SOAP Body holds {} elements ({}); expected exactly one",
                    several.len(),
                    names.join(", ")
                ),
            ));
        }
    };
    let body = if is_soap(entry, version, "Fault") {
        Body::Fault(parse_fault(doc, entry, version))
    } else {
        Body::Payload(entry)
    };
    Ok(ParsedEnvelope {
        version,
        headers,
        body,
    })
}

/// Finds a fault child by local name. SOAP 1.1 fault children are unqualified, but some
/// toolkits qualify them with the envelope namespace; accept both.
fn fault_child<'a, 'i>(
    parent: Node<'a, 'i>,
    version: SoapVersion,
    local: &str,
) -> Option<Node<'a, 'i>> {
    parent.children().find(|n| {
        n.is_element()
            && n.tag_name().name() == local
            && match version {
                SoapVersion::Soap11 => {
                    n.tag_name().namespace().is_none()
                        || n.tag_name().namespace() == Some(version.envelope_namespace())
                }
                SoapVersion::Soap12 => {
                    n.tag_name().namespace() == Some(version.envelope_namespace())
                }
            }
    })
}

fn text_of(node: Node<'_, '_>) -> String {
    node.descendants()
        .filter(Node::is_text)
        .filter_map(|n| n.text())
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Resolves a QName value against the namespaces in scope at `node`.
fn resolve_qname(node: Node<'_, '_>) -> String {
    let text = text_of(node);
    let (prefix, local) = match text.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, text.as_str()),
    };
    match node.lookup_namespace_uri(prefix) {
        Some(ns) if !ns.is_empty() => format!("{{{ns}}}{local}"),
        _ if prefix.is_none() => local.to_owned(),
        _ => text.clone(),
    }
}

fn parse_fault<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    fault: Node<'a, 'i>,
    version: SoapVersion,
) -> ParsedFault<'a, 'i> {
    let (code, reason, detail) = match version {
        SoapVersion::Soap11 => (
            fault_child(fault, version, "faultcode").map(resolve_qname),
            fault_child(fault, version, "faultstring").map(text_of),
            fault_child(fault, version, "detail"),
        ),
        SoapVersion::Soap12 => {
            let code = fault_child(fault, version, "Code")
                .and_then(|c| fault_child(c, version, "Value"))
                .map(resolve_qname);
            let reason = fault_child(fault, version, "Reason").and_then(|r| {
                let texts: Vec<Node> = r
                    .children()
                    .filter(|n| is_soap(*n, version, "Text"))
                    .collect();
                texts
                    .iter()
                    .find(|t| {
                        t.attribute((XML_NAMESPACE, "lang"))
                            .is_some_and(|l| l.eq_ignore_ascii_case("en") || l.starts_with("en-"))
                    })
                    .or(texts.first())
                    .map(|t| text_of(*t))
            });
            (code, reason, fault_child(fault, version, "Detail"))
        }
    };
    ParsedFault {
        code: code.unwrap_or_default(),
        reason: reason.unwrap_or_default(),
        detail_entries: detail.map(element_children).unwrap_or_default(),
        detail_xml: detail.map(|d| doc.input_text()[d.range()].to_owned()),
    }
}

/// The `Content-Type` of a request or response in `version`.
///
/// SOAP 1.1: `text/xml; charset=utf-8` (the action travels in the `SOAPAction` header).
/// SOAP 1.2: `application/soap+xml; charset=utf-8`, with `action="..."` when there is one.
pub fn content_type(version: SoapVersion, soap_action: Option<&str>) -> String {
    match (version, soap_action) {
        (SoapVersion::Soap11, _) => "text/xml; charset=utf-8".to_owned(),
        (SoapVersion::Soap12, Some(action)) => format!(
            "application/soap+xml; charset=utf-8; action=\"{}\"",
            quote_inner(action)
        ),
        (SoapVersion::Soap12, None) => "application/soap+xml; charset=utf-8".to_owned(),
    }
}

/// The `SOAPAction` header value: SOAP 1.1 always sends it, quoted (`""` when the binding has
/// no action); SOAP 1.2 never does.
pub fn soap_action_header(version: SoapVersion, soap_action: Option<&str>) -> Option<String> {
    match version {
        SoapVersion::Soap11 => Some(format!("\"{}\"", quote_inner(soap_action.unwrap_or("")))),
        SoapVersion::Soap12 => None,
    }
}

/// Every HTTP header a request in `version` needs, as `(name, value)`.
pub fn request_headers(
    version: SoapVersion,
    soap_action: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut headers = vec![("Content-Type", content_type(version, soap_action))];
    if let Some(action) = soap_action_header(version, soap_action) {
        headers.push(("SOAPAction", action));
    }
    headers
}

/// Escapes a value for an HTTP quoted-string.
fn quote_inner(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Reads the SOAP version and action of an incoming request from its headers (for servers).
///
/// Returns `None` when the content type is neither SOAP 1.1's `text/xml` nor SOAP 1.2's
/// `application/soap+xml`. For 1.1 the action is the unquoted `SOAPAction` header; for 1.2 the
/// `action` parameter of the content type.
pub fn request_action(
    content_type: &str,
    soap_action_header: Option<&str>,
) -> Option<(SoapVersion, Option<String>)> {
    let mut parts = content_type.split(';');
    let mime = parts.next()?.trim().to_ascii_lowercase();
    match mime.as_str() {
        "text/xml" => Some((
            SoapVersion::Soap11,
            soap_action_header.map(|a| unquote(a.trim())),
        )),
        "application/soap+xml" => {
            let action = parts.find_map(|p| {
                let (name, value) = p.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("action")
                    .then(|| unquote(value.trim()))
            });
            Some((SoapVersion::Soap12, action))
        }
        _ => None,
    }
}

fn unquote(s: &str) -> String {
    match s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) => inner.replace("\\\"", "\"").replace("\\\\", "\\"),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use elt_xml::{ParseLimits, parse_document};

    #[derive(Debug, PartialEq)]
    struct Msg {
        text: String,
    }
    impl XmlContent for Msg {
        fn write_content(&self, w: &mut Writer) -> Result<(), XmlError> {
            w.element(Some("urn:test"), "text", &self.text)
        }
        fn read_content(node: Node<'_, '_>) -> Result<Self, XmlError> {
            let mut c = elt_xml::encoding::Children::new(node)?;
            let text = c.required(Some("urn:test"), "text")?;
            c.finish()?;
            Ok(Self { text })
        }
    }
    const MSG: RootElement<Msg> =
        RootElement::new(Some("urn:test"), "Msg").with_prefixes(&[("urn:test", "t")]);

    #[derive(Debug, PartialEq)]
    enum TestFault {
        Bad(Msg),
    }
    impl FaultDetail for TestFault {
        fn read_detail(node: Node<'_, '_>) -> Result<Option<Self>, XmlError> {
            if MSG.matches(node) {
                MSG.read(node).map(|m| Some(Self::Bad(m)))
            } else {
                Ok(None)
            }
        }
        fn write_detail(&self, w: &mut Writer) -> Result<(), XmlError> {
            match self {
                Self::Bad(m) => MSG.write(w, m),
            }
        }
    }

    struct Hdr;
    impl HeaderBlock for Hdr {
        fn write_header(&self, w: &mut Writer) -> Result<(), XmlError> {
            w.element(Some("urn:hdr"), "Token", &"abc".to_owned())
        }
    }

    #[test]
    fn request_round_trip_both_versions() {
        for version in [SoapVersion::Soap11, SoapVersion::Soap12] {
            let value = Msg {
                text: "a < b & \"c\"".into(),
            };
            let xml = write_request(version, &MSG, &value, &[&Hdr]).unwrap();
            assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
            let doc = parse_document(&xml, ParseLimits::default()).unwrap();
            let env = parse_envelope(&doc).unwrap();
            assert_eq!(env.version, version);
            assert_eq!(env.headers.len(), 1);
            assert_eq!(env.headers[0].tag_name().namespace(), Some("urn:hdr"));
            let Body::Payload(node) = env.body else {
                panic!("expected a payload")
            };
            assert_eq!(MSG.read(node).unwrap(), value);
        }
    }

    #[test]
    fn response_has_no_header() {
        let xml = write_response(SoapVersion::Soap11, &MSG, &Msg { text: "ok".into() }).unwrap();
        assert!(!xml.contains("Header"));
        assert!(
            xml.contains(r#"<soap:Body><t:Msg xmlns:t="urn:test"><t:text>ok</t:text></t:Msg>"#),
            "{xml}"
        );
    }

    #[test]
    fn fault_round_trip_both_versions() {
        for (version, code) in [
            (
                SoapVersion::Soap11,
                "{http://schemas.xmlsoap.org/soap/envelope/}Client",
            ),
            (
                SoapVersion::Soap12,
                "{http://www.w3.org/2003/05/soap-envelope}Sender",
            ),
        ] {
            let message = FaultMessage {
                code: FaultCode::Client,
                reason: "invalid <xml>".into(),
            };
            let detail = TestFault::Bad(Msg {
                text: "line 3".into(),
            });
            let xml = write_fault(version, &message, Some(&detail)).unwrap();
            let doc = parse_document(&xml, ParseLimits::default()).unwrap();
            let env = parse_envelope(&doc).unwrap();
            assert_eq!(env.version, version);
            let Body::Fault(fault) = env.body else {
                panic!("expected a fault")
            };
            assert_eq!(fault.code, code);
            assert_eq!(fault.code, FaultCode::Client.expanded_name(version));
            assert_eq!(fault.reason, "invalid <xml>");
            assert_eq!(fault.detail_entries.len(), 1);
            assert_eq!(
                TestFault::read_detail(fault.detail_entries[0]).unwrap(),
                Some(detail)
            );
            let raw = fault.detail_xml.unwrap();
            assert!(
                raw.contains(r#"<t:Msg xmlns:t="urn:test"><t:text>line 3</t:text></t:Msg>"#),
                "{raw}"
            );
        }
    }

    #[test]
    fn fault_without_detail() {
        let message = FaultMessage {
            code: FaultCode::Server,
            reason: "down".into(),
        };
        let xml = write_fault::<crate::NoFaults>(SoapVersion::Soap12, &message, None).unwrap();
        assert!(xml.contains("<env:Text xml:lang=\"en\">down</env:Text>"));
        let doc = parse_document(&xml, ParseLimits::default()).unwrap();
        let Body::Fault(f) = parse_envelope(&doc).unwrap().body else {
            panic!("expected a fault")
        };
        assert_eq!(f.code, FaultCode::Server.expanded_name(SoapVersion::Soap12));
        assert!(f.detail_entries.is_empty());
        assert!(f.detail_xml.is_none());
    }

    fn parse_err(xml: &str) -> String {
        let doc = parse_document(xml, ParseLimits::default()).unwrap();
        parse_envelope(&doc).unwrap_err().to_string()
    }

    #[test]
    fn refuses_what_is_not_an_envelope() {
        let e = parse_err("<html><body>Bad gateway</body></html>");
        assert!(e.contains("expected a SOAP Envelope"), "{e}");
        assert!(e.contains("found html"), "{e}");
        let e = parse_err(r#"<Envelope xmlns="urn:other"><Body/></Envelope>"#);
        assert!(e.contains("found {urn:other}Envelope"), "{e}");
    }

    #[test]
    fn body_must_hold_exactly_one_element() {
        let ns = SoapVersion::Soap11.envelope_namespace();
        let e = parse_err(&format!(
            r#"<s:Envelope xmlns:s="{ns}"><s:Body/></s:Envelope>"#
        ));
        assert!(e.contains("Body is empty"), "{e}");
        let e = parse_err(&format!(
            r#"<s:Envelope xmlns:s="{ns}"><s:Body><a xmlns="urn:x"/><b/></s:Body></s:Envelope>"#
        ));
        assert!(e.contains("2 elements ({urn:x}a, b)"), "{e}");
        let e = parse_err(&format!(
            r#"<s:Envelope xmlns:s="{ns}"><s:Header/></s:Envelope>"#
        ));
        assert!(e.contains("has no Body"), "{e}");
    }

    #[test]
    fn soap11_fault_code_resolves_any_prefix() {
        let xml = r#"<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>
            <S:Fault xmlns:x="urn:custom"><faultcode>x:Oops</faultcode><faultstring>no</faultstring>
            </S:Fault></S:Body></S:Envelope>"#;
        let doc = parse_document(xml, ParseLimits::default()).unwrap();
        let Body::Fault(f) = parse_envelope(&doc).unwrap().body else {
            panic!("expected a fault")
        };
        assert_eq!(f.code, "{urn:custom}Oops");
        assert_eq!(f.reason, "no");
    }

    #[test]
    fn headers_per_version() {
        let action = Some("urn:a:1:Op");
        assert_eq!(
            request_headers(SoapVersion::Soap11, action),
            vec![
                ("Content-Type", "text/xml; charset=utf-8".to_owned()),
                ("SOAPAction", "\"urn:a:1:Op\"".to_owned())
            ]
        );
        assert_eq!(
            soap_action_header(SoapVersion::Soap11, None).as_deref(),
            Some("\"\"")
        );
        assert_eq!(
            request_headers(SoapVersion::Soap12, action),
            vec![(
                "Content-Type",
                "application/soap+xml; charset=utf-8; action=\"urn:a:1:Op\"".to_owned()
            )]
        );
        assert_eq!(
            content_type(SoapVersion::Soap12, None),
            "application/soap+xml; charset=utf-8"
        );
        assert_eq!(
            request_action("text/xml; charset=utf-8", Some("\"urn:a:1:Op\"")),
            Some((SoapVersion::Soap11, Some("urn:a:1:Op".to_owned())))
        );
        assert_eq!(
            request_action(&content_type(SoapVersion::Soap12, action), None),
            Some((SoapVersion::Soap12, Some("urn:a:1:Op".to_owned())))
        );
        assert_eq!(request_action("application/json", None), None);
    }
}
