//! A namespace-correct XML writer.
//!
//! Elements are written unprefixed: an element whose namespace differs from the default namespace
//! in scope declares `xmlns="..."` (or `xmlns=""` for an unqualified element). Attributes in a
//! namespace get a prefix, declared on the element unless already in scope. This is always correct,
//! whatever the schema's `elementFormDefault`, and keeps documents readable.

use crate::any::{AnyElement, AnyNode};
use crate::error::XmlError;
use crate::traits::{XmlContent, XmlValue};

/// Prefixes used for well-known attribute namespaces, so output reads as people expect.
const KNOWN_PREFIXES: &[(&str, &str)] = &[
    ("http://www.w3.org/2005/05/xmlmime", "xmime"),
    ("http://www.w3.org/2001/XMLSchema-instance", "xsi"),
    ("http://www.w3.org/XML/1998/namespace", "xml"),
];

#[derive(Debug)]
struct Scope {
    name: String,
    default_ns: Option<String>,
    prefixes: Vec<(String, String)>,
    has_children: bool,
    /// Mixed content: text still to be written before the next child elements, then at the end.
    mixed: Option<std::collections::VecDeque<String>>,
}

/// Writes XML into a `String`.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
    scopes: Vec<Scope>,
    start_tag_open: bool,
    next_prefix: usize,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes the XML declaration (`<?xml version="1.0" encoding="UTF-8"?>`).
    pub fn declaration(&mut self) {
        self.out
            .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    }

    /// The element path of the open elements, for error messages.
    pub fn path(&self) -> String {
        let mut p = String::new();
        for s in &self.scopes {
            p.push('/');
            p.push_str(&s.name);
        }
        p
    }

    fn current_default_ns(&self) -> Option<&str> {
        self.scopes.last().and_then(|s| s.default_ns.as_deref())
    }

    fn close_start_tag(&mut self) {
        if self.start_tag_open {
            self.out.push('>');
            self.start_tag_open = false;
        }
    }

    /// Opens an element in namespace `ns` (None: no namespace).
    pub fn start_element(&mut self, ns: Option<&str>, local: &str) {
        self.close_start_tag();
        let mut before = None;
        if let Some(parent) = self.scopes.last_mut() {
            parent.has_children = true;
            before = parent.mixed.as_mut().and_then(|m| m.pop_front());
        }
        if let Some(text) = before {
            escape_into(&mut self.out, &text, false);
        }
        self.out.push('<');
        self.out.push_str(local);
        let inherited = self.current_default_ns().map(str::to_owned);
        if inherited.as_deref() != ns {
            self.out.push_str(" xmlns=\"");
            escape_into(&mut self.out, ns.unwrap_or(""), true);
            self.out.push('"');
        }
        self.scopes.push(Scope {
            name: local.to_owned(),
            default_ns: ns.map(str::to_owned),
            prefixes: Vec::new(),
            has_children: false,
            mixed: None,
        });
        self.start_tag_open = true;
    }

    /// Starts mixed content in the open element: `texts[k]` is written before its `k`-th child
    /// element, the entries left over after the last child (see
    /// [`Children::mixed_text`](crate::Children::mixed_text)).
    pub fn mixed(&mut self, texts: &[String]) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.mixed = Some(texts.iter().cloned().collect());
        }
    }

    /// Writes `xsi:type` naming the type `{ns}local` on the open start tag.
    pub fn xsi_type(&mut self, ns: Option<&str>, local: &str) -> Result<(), XmlError> {
        let value = match ns {
            // The element's own namespace is the default one: an unprefixed QName means it.
            Some(ns) if self.current_default_ns() == Some(ns) => local.to_owned(),
            Some(ns) => format!("{}:{local}", self.prefix_for(ns)),
            None if self.current_default_ns().is_none() => local.to_owned(),
            None => {
                return Err(XmlError::at_path(
                    self.path(),
                    format!(
                        "xsi:type {local} names a type without namespace, which cannot be \
                         written inside an element that has a default namespace"
                    ),
                ));
            }
        };
        self.attribute(Some(crate::XSI_NAMESPACE), "type", &value);
        Ok(())
    }

    /// Writes attributes kept by an `xs:anyAttribute` wildcard.
    pub fn any_attributes(&mut self, attributes: &[(Option<String>, String, String)]) {
        for (ns, local, value) in attributes {
            self.attribute(ns.as_deref(), local, value);
        }
    }

    /// Declares `prefix` for `ns` on the open start tag (used to keep `xs:any` content as it was).
    pub fn declare_prefix(&mut self, prefix: &str, ns: &str) {
        debug_assert!(self.start_tag_open, "declare_prefix outside a start tag");
        if self.lookup_prefix(ns) == Some(prefix) {
            return;
        }
        self.out.push_str(" xmlns:");
        self.out.push_str(prefix);
        self.out.push_str("=\"");
        escape_into(&mut self.out, ns, true);
        self.out.push('"');
        if let Some(scope) = self.scopes.last_mut() {
            scope.prefixes.push((prefix.to_owned(), ns.to_owned()));
        }
    }

    /// The innermost prefix bound to `ns` that no inner declaration rebinds.
    fn lookup_prefix(&self, ns: &str) -> Option<&str> {
        let mut shadowed: Vec<&str> = Vec::new();
        for scope in self.scopes.iter().rev() {
            for (p, n) in scope.prefixes.iter().rev() {
                if shadowed.contains(&p.as_str()) {
                    continue;
                }
                if n == ns {
                    return Some(p);
                }
                shadowed.push(p);
            }
        }
        None
    }

    fn prefix_for(&mut self, ns: &str) -> String {
        if ns == "http://www.w3.org/XML/1998/namespace" {
            return "xml".to_owned();
        }
        if let Some(p) = self.lookup_prefix(ns) {
            return p.to_owned();
        }
        let prefix = KNOWN_PREFIXES
            .iter()
            .find(|(n, _)| *n == ns)
            .map(|(_, p)| (*p).to_owned())
            .unwrap_or_else(|| {
                self.next_prefix += 1;
                format!("ns{}", self.next_prefix)
            });
        self.declare_prefix(&prefix, ns);
        prefix
    }

    /// Writes an attribute on the open start tag.
    pub fn attribute(&mut self, ns: Option<&str>, local: &str, value: &str) {
        debug_assert!(self.start_tag_open, "attribute outside a start tag");
        let prefix = ns.map(|n| self.prefix_for(n));
        self.out.push(' ');
        if let Some(p) = prefix {
            self.out.push_str(&p);
            self.out.push(':');
        }
        self.out.push_str(local);
        self.out.push_str("=\"");
        escape_into(&mut self.out, value, true);
        self.out.push('"');
    }

    /// Writes an attribute holding a simple value, if present.
    pub fn attribute_value<T: XmlValue>(
        &mut self,
        ns: Option<&str>,
        local: &str,
        value: &Option<T>,
    ) {
        if let Some(v) = value {
            self.attribute(ns, local, &v.to_xml_text());
        }
    }

    /// Writes escaped text content.
    pub fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.close_start_tag();
        if let Some(scope) = self.scopes.last_mut() {
            scope.has_children = true;
        }
        escape_into(&mut self.out, text, false);
    }

    /// Closes the innermost open element.
    pub fn end_element(&mut self) {
        let rest: String = self
            .scopes
            .last_mut()
            .and_then(|s| s.mixed.take())
            .map(|m| m.into_iter().collect())
            .unwrap_or_default();
        if !rest.is_empty() {
            self.text(&rest);
        }
        let Some(scope) = self.scopes.pop() else {
            return;
        };
        if self.start_tag_open && !scope.has_children {
            self.out.push_str("/>");
            self.start_tag_open = false;
        } else {
            self.close_start_tag();
            self.out.push_str("</");
            self.out.push_str(&scope.name);
            self.out.push('>');
        }
    }

    /// Writes a whole element with the given content.
    pub fn element<T: XmlContent>(
        &mut self,
        ns: Option<&str>,
        local: &str,
        value: &T,
    ) -> Result<(), XmlError> {
        self.start_element(ns, local);
        value.write_content(self)?;
        self.end_element();
        Ok(())
    }

    /// Writes an optional element: nothing when absent.
    pub fn optional<T: XmlContent>(
        &mut self,
        ns: Option<&str>,
        local: &str,
        value: &Option<T>,
    ) -> Result<(), XmlError> {
        match value {
            Some(v) => self.element(ns, local, v),
            None => Ok(()),
        }
    }

    /// Writes a repeated element, checking its occurrence bounds first.
    pub fn repeated<T: XmlContent>(
        &mut self,
        ns: Option<&str>,
        local: &str,
        values: &[T],
        min: usize,
        max: Option<usize>,
    ) -> Result<(), XmlError> {
        self.check_occurs(local, values.len(), min, max)?;
        for v in values {
            self.element(ns, local, v)?;
        }
        Ok(())
    }

    /// Fails when `count` lies outside `min..=max`; `what` names the element or group.
    pub fn check_occurs(
        &self,
        what: &str,
        count: usize,
        min: usize,
        max: Option<usize>,
    ) -> Result<(), XmlError> {
        if count < min || max.is_some_and(|m| count > m) {
            let bound = match max {
                Some(m) if m == min => format!("exactly {min}"),
                Some(m) => format!("{min} to {m}"),
                None => format!("at least {min}"),
            };
            return Err(XmlError::at_path(
                format!("{}/{what}", self.path()),
                format!("{count} occurrences, the schema allows {bound}"),
            ));
        }
        Ok(())
    }

    /// Writes `xs:any` content kept from a document or built by the user.
    pub fn any(&mut self, element: &AnyElement) {
        self.start_element(element.namespace.as_deref(), &element.name);
        for (prefix, ns) in &element.namespaces {
            self.declare_prefix(prefix, ns);
        }
        for (ns, name, value) in &element.attributes {
            self.attribute(ns.as_deref(), name, value);
        }
        for child in &element.children {
            match child {
                AnyNode::Element(e) => self.any(e),
                AnyNode::Text(t) => self.text(t),
            }
        }
        self.end_element();
    }

    /// Writes several `xs:any` elements.
    pub fn any_all(&mut self, elements: &[AnyElement]) {
        for e in elements {
            self.any(e);
        }
    }

    /// The XML written so far; closes any open start tag.
    pub fn finish(mut self) -> String {
        while !self.scopes.is_empty() {
            self.end_element();
        }
        self.out
    }

    /// The XML written so far, without closing anything.
    pub fn as_str(&self) -> &str {
        &self.out
    }
}

/// Escapes `&`, `<`, `>` and, in attributes, quotes and whitespace characters that attribute
/// normalisation would otherwise turn into spaces.
fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}
