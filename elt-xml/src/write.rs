//! A namespace-correct XML writer that declares each namespace once.
//!
//! Elements in a namespace are written with a prefix; unqualified elements without one, and no
//! default namespace is ever declared by the writer itself, so an unqualified element is in no
//! namespace wherever it sits. A namespace gets its prefix the first time it is needed: the
//! schema's own prefix when the [`RootElement`](crate::RootElement) being written knows it (see
//! [`Writer::prefer_prefixes`]), a well-known one (`xsi`, `xmime`), or else `ns1`, `ns2`, ...; a
//! prefix is never bound to two namespaces at once. The declaration is hoisted to the outermost
//! element being written (the document's root, or the payload's root in a SOAP body), so each
//! namespace is declared once per document.
//!
//! A start tag stays open (in memory) until its content begins, so that prefixes kept by `xs:any`
//! content ([`Writer::declare_prefix`]) are known before the element's own name and its QName
//! attribute values (`xsi:type`) get their prefixes. Only such kept prefixes are declared where
//! they were found, on the element itself, since QName values in that content rely on them.

use std::collections::VecDeque;

use crate::any::{AnyElement, AnyNode};
use crate::error::XmlError;
use crate::traits::{XmlContent, XmlValue};

/// Prefixes used for well-known attribute namespaces, so output reads as people expect.
const KNOWN_PREFIXES: &[(&str, &str)] = &[
    ("http://www.w3.org/2005/05/xmlmime", "xmime"),
    ("http://www.w3.org/2001/XMLSchema-instance", "xsi"),
];

/// The namespace the `xml:` prefix is bound to by definition; it is never declared.
const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

#[derive(Debug)]
struct Scope {
    /// Local name, for the element path in errors.
    local: String,
    /// Name as written (with its prefix), for the end tag.
    qname: String,
    /// Declarations on this element: `(prefix, namespace)`; the prefix `""` is the default
    /// namespace (only ever undeclared, `xmlns=""`, or kept from `xs:any` content).
    bindings: Vec<(String, String)>,
    has_children: bool,
    /// Mixed content: text still to be written before the next child elements, then at the end.
    mixed: Option<VecDeque<String>>,
}

/// An attribute value: text, or a QName whose prefix is chosen when the start tag is written.
#[derive(Debug)]
enum Value {
    Text(String),
    QName(Option<String>, String),
}

/// A start tag not yet written: its name and attributes.
#[derive(Debug)]
struct OpenTag {
    namespace: Option<String>,
    attributes: Vec<(Option<String>, String, Value)>,
}

/// Writes XML into a `String`.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
    scopes: Vec<Scope>,
    /// The start tag of the innermost element, while it is still open.
    open: Option<OpenTag>,
    /// Preferred prefixes: `(namespace, prefix)`, the first entry for a namespace wins.
    preferred: Vec<(String, String)>,
    /// Declarations hoisted to the outermost open element, written there when it closes.
    hoisted: Vec<(String, String)>,
    /// Where in `out` the hoisted declarations go: just after the outermost element's name.
    hoist_at: usize,
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

    /// Prefers `prefix` for `namespace` for each `(namespace, prefix)` of `table` (generated
    /// code passes the prefixes its schemas declare). A namespace already given a preference
    /// keeps it; a prefix already bound to another namespace where it is needed is not used.
    pub fn prefer_prefixes(&mut self, table: &[(&str, &str)]) {
        for (ns, prefix) in table {
            if valid_prefix(prefix) && !self.preferred.iter().any(|(n, _)| n == ns) {
                self.preferred
                    .push(((*ns).to_owned(), (*prefix).to_owned()));
            }
        }
    }

    /// The element path of the open elements, for error messages.
    pub fn path(&self) -> String {
        let mut p = String::new();
        for s in &self.scopes {
            p.push('/');
            p.push_str(&s.local);
        }
        p
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
        self.scopes.push(Scope {
            local: local.to_owned(),
            qname: String::new(),
            bindings: Vec::new(),
            has_children: false,
            mixed: None,
        });
        self.open = Some(OpenTag {
            namespace: ns.map(str::to_owned),
            attributes: Vec::new(),
        });
    }

    /// Starts mixed content in the open element: `texts[k]` is written before its `k`-th child
    /// element, the entries left over after the last child (see
    /// [`Children::mixed_text`](crate::encoding::Children::mixed_text)).
    pub fn mixed(&mut self, texts: &[String]) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.mixed = Some(texts.iter().cloned().collect());
        }
    }

    /// Writes `xsi:type` naming the type `{ns}local` on the open start tag; the value's prefix
    /// is one in scope on the element (declared if need be).
    pub fn xsi_type(&mut self, ns: Option<&str>, local: &str) -> Result<(), XmlError> {
        let value = Value::QName(ns.map(str::to_owned), local.to_owned());
        self.push_attribute(Some(crate::XSI_NAMESPACE), "type", value);
        Ok(())
    }

    /// Writes attributes kept by an `xs:anyAttribute` wildcard.
    pub fn any_attributes(&mut self, attributes: &[(Option<String>, String, String)]) {
        for (ns, local, value) in attributes {
            self.attribute(ns.as_deref(), local, value);
        }
    }

    /// Declares `prefix` for `ns` on the open start tag, unless it already means `ns` there
    /// (used to keep `xs:any` content as it was: QName values in it use these prefixes).
    pub fn declare_prefix(&mut self, prefix: &str, ns: &str) {
        debug_assert!(self.open.is_some(), "declare_prefix outside a start tag");
        if prefix == "xml" || prefix == "xmlns" || self.resolve(prefix) == Some(ns) {
            return;
        }
        if let Some(scope) = self.scopes.last_mut() {
            scope.bindings.retain(|(p, _)| p != prefix);
            scope.bindings.push((prefix.to_owned(), ns.to_owned()));
        }
    }

    /// Writes an attribute on the open start tag.
    pub fn attribute(&mut self, ns: Option<&str>, local: &str, value: &str) {
        self.push_attribute(ns, local, Value::Text(value.to_owned()));
    }

    fn push_attribute(&mut self, ns: Option<&str>, local: &str, value: Value) {
        debug_assert!(self.open.is_some(), "attribute outside a start tag");
        if let Some(open) = self.open.as_mut() {
            open.attributes
                .push((ns.map(str::to_owned), local.to_owned(), value));
        }
    }

    /// The namespace `prefix` means at the innermost open element (`""`: the default one),
    /// counting the hoisted declarations as the outermost element's.
    fn resolve(&self, prefix: &str) -> Option<&str> {
        for (i, scope) in self.scopes.iter().enumerate().rev() {
            if let Some((_, n)) = scope.bindings.iter().find(|(p, _)| p == prefix) {
                return Some(n);
            }
            if i == 0
                && let Some((_, n)) = self.hoisted.iter().find(|(p, _)| p == prefix)
            {
                return Some(n);
            }
        }
        None
    }

    /// A prefix that means `ns` at the innermost open element, if any.
    fn lookup_prefix(&self, ns: &str) -> Option<String> {
        let mut seen: Vec<&str> = Vec::new();
        for (i, scope) in self.scopes.iter().enumerate().rev() {
            let hoisted = if i == 0 { &self.hoisted[..] } else { &[] };
            for (p, n) in scope.bindings.iter().chain(hoisted) {
                if seen.contains(&p.as_str()) {
                    continue;
                }
                if n == ns && !p.is_empty() {
                    return Some(p.clone());
                }
                seen.push(p);
            }
        }
        None
    }

    /// The prefix for `ns` at the innermost open element: one in scope, or a new one declared
    /// on the outermost element. A new prefix is bound nowhere in scope, so the declaration
    /// means the same on every open element, and content written before is not affected.
    fn prefix_for(&mut self, ns: &str) -> String {
        if ns == XML_NAMESPACE {
            return "xml".to_owned();
        }
        if let Some(p) = self.lookup_prefix(ns) {
            return p;
        }
        let wanted: Vec<&str> = self
            .preferred
            .iter()
            .map(|(n, p)| (n.as_str(), p.as_str()))
            .chain(KNOWN_PREFIXES.iter().copied())
            .filter(|(n, _)| *n == ns)
            .map(|(_, p)| p)
            .collect();
        let prefix = match wanted.into_iter().find(|p| self.resolve(p).is_none()) {
            Some(p) => p.to_owned(),
            None => (1..)
                .map(|k| format!("ns{k}"))
                .find(|p| self.resolve(p).is_none())
                .unwrap_or_default(),
        };
        self.hoisted.push((prefix.clone(), ns.to_owned()));
        prefix
    }

    /// Writes the open start tag, choosing the prefixes of its name and attributes.
    fn close_start_tag(&mut self) {
        self.write_start_tag(false);
    }

    fn write_start_tag(&mut self, empty: bool) {
        let Some(open) = self.open.take() else {
            return;
        };
        let mut undeclare_default = false;
        let name_prefix = match &open.namespace {
            Some(ns) => Some(self.prefix_for(ns)),
            None => {
                undeclare_default = true;
                None
            }
        };
        let mut attributes = Vec::with_capacity(open.attributes.len());
        for (ns, local, value) in open.attributes {
            let prefix = ns.map(|n| self.prefix_for(&n));
            let value = match value {
                Value::Text(t) => t,
                Value::QName(Some(n), l) => format!("{}:{l}", self.prefix_for(&n)),
                Value::QName(None, l) => {
                    undeclare_default = true;
                    l
                }
            };
            attributes.push((prefix, local, value));
        }
        // Names without a prefix must be in no namespace: undo a default namespace kept from
        // `xs:any` content around them.
        if undeclare_default
            && self.resolve("").is_some_and(|n| !n.is_empty())
            && let Some(scope) = self.scopes.last_mut()
        {
            scope.bindings.retain(|(p, _)| !p.is_empty());
            scope.bindings.push((String::new(), String::new()));
        }
        let outermost = self.scopes.len() == 1;
        let Some(scope) = self.scopes.last_mut() else {
            return;
        };
        scope.qname = match name_prefix {
            Some(p) => format!("{p}:{}", scope.local),
            None => scope.local.clone(),
        };
        self.out.push('<');
        self.out.push_str(&scope.qname);
        if outermost {
            self.hoist_at = self.out.len();
        }
        for (p, n) in &scope.bindings {
            write_declaration(&mut self.out, p, n);
        }
        for (prefix, local, value) in attributes {
            self.out.push(' ');
            if let Some(p) = prefix {
                self.out.push_str(&p);
                self.out.push(':');
            }
            self.out.push_str(&local);
            self.out.push_str("=\"");
            escape_into(&mut self.out, &value, true);
            self.out.push('"');
        }
        self.out.push_str(if empty { "/>" } else { ">" });
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
        if self.scopes.is_empty() {
            return;
        }
        let has_children = self.scopes.last().is_some_and(|s| s.has_children);
        if self.open.is_some() && !has_children {
            self.write_start_tag(true);
        } else {
            self.close_start_tag();
            if let Some(scope) = self.scopes.last() {
                self.out.push_str("</");
                self.out.push_str(&scope.qname);
                self.out.push('>');
            }
        }
        self.scopes.pop();
        if self.scopes.is_empty() {
            self.write_hoisted();
        }
    }

    /// Writes the declarations hoisted to the outermost element into its start tag.
    fn write_hoisted(&mut self) {
        if self.hoisted.is_empty() {
            return;
        }
        let mut decls = String::new();
        for (p, n) in std::mem::take(&mut self.hoisted) {
            write_declaration(&mut decls, &p, &n);
        }
        self.out.insert_str(self.hoist_at, &decls);
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

    /// The XML written so far, without closing anything: an open start tag, and the
    /// declarations hoisted to the outermost open element, are not in it yet.
    pub fn as_str(&self) -> &str {
        &self.out
    }
}

/// Writes ` xmlns:prefix="ns"` (or ` xmlns="ns"` for the prefix `""`).
fn write_declaration(out: &mut String, prefix: &str, ns: &str) {
    out.push_str(" xmlns");
    if !prefix.is_empty() {
        out.push(':');
        out.push_str(prefix);
    }
    out.push_str("=\"");
    escape_into(out, ns, true);
    out.push('"');
}

/// Whether `prefix` may be declared: an NCName-like word not reserved by XML (`xml...`).
fn valid_prefix(prefix: &str) -> bool {
    let mut chars = prefix.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !prefix
            .get(..3)
            .is_some_and(|p| p.eq_ignore_ascii_case("xml"))
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
