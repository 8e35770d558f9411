//! Canonical XML 1.0 (inclusive, without comments) of a whole document, over `roxmltree`.
//!
//! This is the form whose SHA-256 is the report's digest. The rules implemented are those of
//! W3C Canonical XML 1.0 (`http://www.w3.org/TR/2001/REC-xml-c14n-20010315`) for a whole
//! document (no node-set subsets):
//! - UTF-8 output, line endings normalized to `#xA` (the parser does this), the XML declaration
//!   and the document type declaration removed, comments removed;
//! - character and entity references replaced by their characters, CDATA sections by their
//!   (escaped) text;
//! - empty elements written as start and end tag pairs;
//! - whitespace outside the document element removed; a processing instruction before the
//!   document element is followed by `#xA`, one after it preceded by `#xA`;
//! - attribute values normalized (the parser does this) and written in double quotes, with
//!   `&`, `<`, `"`, tab, line feed and carriage return escaped; text with `&`, `<`, `>` and
//!   carriage return escaped;
//! - on each element, the namespace declarations whose binding differs from its parent's (or
//!   `xmlns=""` when the parent had a default namespace and the element has none), sorted by
//!   prefix with the default namespace first, then the attributes sorted by namespace URI and
//!   local name, attributes without a namespace first;
//! - prefixes kept as written.
//!
//! Documents with a DTD are refused (a signed time report has none, and refusing it means no
//! entity is ever expanded or fetched). Checked against Python `lxml`'s C14N in the workspace
//! tests (`tests/tests/report.rs`).
//!
//! Why not a crate: at the time of writing the Rust crates offering C14N were either bindings
//! to libxml2 (a C library to install) or young pure-Rust security stacks (`xml-sec`,
//! `xml-canonical`, both 0.1) pulling in far more than this module needs; canonicalizing a
//! whole document is small enough to own and test against an independent implementation.

use std::fmt::Write as _;

use roxmltree::{Document, Node, NodeType};

/// Why a document could not be canonicalized.
#[derive(Debug, thiserror::Error)]
pub enum C14nError {
    /// The bytes are not UTF-8 text.
    #[error("the document is not UTF-8: {0}")]
    NotUtf8(#[from] std::str::Utf8Error),
    /// The text is not a well-formed XML document (or has a DTD, which is refused).
    #[error("the document is not usable XML: {0}")]
    Xml(#[from] elt_xml::XmlError),
}

/// The canonical form (Canonical XML 1.0, without comments) of the document in `bytes`.
///
/// A leading byte order mark is skipped. Parsing uses the limits of
/// [`elt_xml::ParseLimits::default`] and refuses DTDs.
pub fn canonicalize(bytes: &[u8]) -> Result<Vec<u8>, C14nError> {
    let text = std::str::from_utf8(bytes)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = elt_xml::parse_document(text, elt_xml::ParseLimits::default())?;
    Ok(canonicalize_document(&doc).into_bytes())
}

/// The canonical form of an already parsed document.
pub fn canonicalize_document(doc: &Document<'_>) -> String {
    let mut out = String::with_capacity(doc.input_text().len());
    let mut seen_element = false;
    for child in doc.root().children() {
        match child.node_type() {
            NodeType::Element => {
                element(child, &mut out);
                seen_element = true;
            }
            NodeType::PI => {
                if seen_element {
                    out.push('\n');
                }
                pi(child, &mut out);
                if !seen_element {
                    out.push('\n');
                }
            }
            // Comments are left out; text outside the document element is whitespace only.
            NodeType::Comment | NodeType::Text | NodeType::Root => {}
        }
    }
    out
}

fn pi(node: Node<'_, '_>, out: &mut String) {
    if let Some(pi) = node.pi() {
        out.push_str("<?");
        out.push_str(pi.target);
        if let Some(value) = pi.value.filter(|v| !v.is_empty()) {
            out.push(' ');
            out.push_str(value);
        }
        out.push_str("?>");
    }
}

/// The element's name as written (with its prefix), read from the input at the start tag.
fn qname<'a>(node: Node<'_, 'a>) -> &'a str {
    let input = node.document().input_text();
    let start = node.range().start + 1;
    let rest = input.get(start..).unwrap_or("");
    let end = rest
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The in-scope namespace bindings of `node`, with an empty default namespace meaning none.
fn bindings<'a>(node: Node<'a, '_>) -> Vec<(&'a str, &'a str)> {
    let mut v: Vec<(&str, &str)> = node
        .namespaces()
        .map(|ns| (ns.name().unwrap_or(""), ns.uri()))
        .filter(|(prefix, uri)| *prefix != "xml" && !(prefix.is_empty() && uri.is_empty()))
        .collect();
    v.sort_unstable();
    v
}

fn element(node: Node<'_, '_>, out: &mut String) {
    let name = qname(node);
    out.push('<');
    out.push_str(name);

    // Most elements declare nothing: the same in-scope namespaces as the parent, so nothing to
    // write; compared without allocating (the same binding is usually the same stored string,
    // so the pointers are compared first).
    let same_as_parent = node.parent_element().is_some_and(|p| {
        p.namespaces().len() == node.namespaces().len()
            && p.namespaces().zip(node.namespaces()).all(|(a, b)| {
                a.name() == b.name() && (std::ptr::eq(a.uri(), b.uri()) || a.uri() == b.uri())
            })
    });
    let (own, parent) = if same_as_parent {
        (Vec::new(), Vec::new())
    } else {
        (
            bindings(node),
            node.parent_element().map(bindings).unwrap_or_default(),
        )
    };
    // `own` is sorted by prefix, and "" (the default namespace) sorts first.
    let own_default = own.iter().find(|(p, _)| p.is_empty());
    let parent_default = parent.iter().find(|(p, _)| p.is_empty());
    if own_default.is_none() && parent_default.is_some() {
        out.push_str(" xmlns=\"\"");
    }
    for binding in &own {
        if parent.binary_search(binding).is_err() {
            let (prefix, uri) = binding;
            if prefix.is_empty() {
                out.push_str(" xmlns=\"");
            } else {
                out.push_str(" xmlns:");
                out.push_str(prefix);
                out.push_str("=\"");
            }
            escape_attribute(uri, out);
            out.push('"');
        }
    }

    let input = node.document().input_text();
    let mut attributes: Vec<_> = node.attributes().collect();
    attributes.sort_by(|a, b| {
        (a.namespace().unwrap_or(""), a.name()).cmp(&(b.namespace().unwrap_or(""), b.name()))
    });
    for a in attributes {
        out.push(' ');
        out.push_str(input.get(a.range_qname()).unwrap_or(a.name()));
        out.push_str("=\"");
        escape_attribute(a.value(), out);
        out.push('"');
    }
    out.push('>');

    for child in node.children() {
        match child.node_type() {
            NodeType::Element => element(child, out),
            NodeType::Text => escape_text(child.text().unwrap_or(""), out),
            NodeType::PI => pi(child, out),
            NodeType::Comment | NodeType::Root => {}
        }
    }
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn escape_text(text: &str, out: &mut String) {
    escape(text, out, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'\r' => Some("&#xD;"),
        _ => None,
    });
}

fn escape_attribute(text: &str, out: &mut String) {
    escape(text, out, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'"' => Some("&quot;"),
        b'\t' => Some("&#x9;"),
        b'\n' => Some("&#xA;"),
        b'\r' => Some("&#xD;"),
        _ => None,
    });
}

/// Copies `text` to `out`, replacing the ASCII bytes `replace` names; runs without them are
/// copied whole (the replaced bytes are ASCII, so every cut is on a character boundary).
fn escape(text: &str, out: &mut String, replace: impl Fn(u8) -> Option<&'static str>) {
    let mut run = 0;
    for (i, b) in text.bytes().enumerate() {
        if let Some(with) = replace(b) {
            out.push_str(&text[run..i]);
            out.push_str(with);
            run = i + 1;
        }
    }
    out.push_str(&text[run..]);
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Lower-case hex SHA-256 of the canonical form of `doc`.
pub fn digest_document(doc: &Document<'_>) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(canonicalize_document(doc).as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c14n(s: &str) -> String {
        String::from_utf8(canonicalize(s.as_bytes()).unwrap()).unwrap()
    }

    #[test]
    fn spec_example_shapes() {
        assert_eq!(
            c14n(
                "<?xml version=\"1.0\"?>\n<!-- c -->\n<?pi  data?>\n<a b='1' a='&amp;'><e/></a>\n<!-- after -->"
            ),
            "<?pi data?>\n<a a=\"&amp;\" b=\"1\"><e></e></a>"
        );
        assert_eq!(
            c14n(
                "<a xmlns='urn:a' xmlns:z='urn:z' xmlns:b='urn:b'><b:x z:q='1' p='2'/><y xmlns=''/></a>"
            ),
            "<a xmlns=\"urn:a\" xmlns:b=\"urn:b\" xmlns:z=\"urn:z\"><b:x p=\"2\" z:q=\"1\"></b:x><y xmlns=\"\"></y></a>"
        );
        assert_eq!(
            c14n("<a>x\r\ny&#13;<![CDATA[<&>]]>&gt;</a>"),
            "<a>x\ny&#xD;&lt;&amp;&gt;&gt;</a>"
        );
    }

    #[test]
    fn a_dtd_is_refused() {
        assert!(canonicalize(b"<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>").is_err());
        assert!(canonicalize(b"\xff").is_err());
    }
}
