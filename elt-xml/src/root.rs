//! Global elements: the names documents and SOAP bodies are written under.

use std::marker::PhantomData;

use crate::error::XmlError;
use crate::read::{ParseLimits, parse_document};
use crate::traits::XmlContent;
use crate::write::Writer;

/// A global element declaration of type `T`: its namespace and name.
pub struct RootElement<T> {
    /// Namespace of the element.
    pub namespace: Option<&'static str>,
    /// Local name of the element.
    pub name: &'static str,
    /// The prefixes the schemas declare for the namespaces that may appear in the element's
    /// content, as `(namespace, prefix)`: the writer uses them (see [`Writer::prefer_prefixes`]).
    pub prefixes: &'static [(&'static str, &'static str)],
    ty: PhantomData<fn() -> T>,
}

impl<T> Clone for RootElement<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for RootElement<T> {}

impl<T> std::fmt::Debug for RootElement<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{{{}}}{}", self.namespace.unwrap_or(""), self.name)
    }
}

impl<T: XmlContent> RootElement<T> {
    /// Declares the element `{namespace}name`.
    pub const fn new(namespace: Option<&'static str>, name: &'static str) -> Self {
        Self {
            namespace,
            name,
            prefixes: &[],
            ty: PhantomData,
        }
    }

    /// The same element, written with the prefixes `prefixes` (`(namespace, prefix)` pairs,
    /// the schemas' own, as generated code passes them) where they are free.
    pub const fn with_prefixes(self, prefixes: &'static [(&'static str, &'static str)]) -> Self {
        Self { prefixes, ..self }
    }

    /// Writes `value` as this element into `w` (for example inside a SOAP body).
    /// Its namespace declarations go on this element when it is the outermost one written.
    pub fn write(&self, w: &mut Writer, value: &T) -> Result<(), XmlError> {
        w.prefer_prefixes(self.prefixes);
        w.element(self.namespace, self.name, value)
    }

    /// Serializes `value` as a complete document with an XML declaration.
    pub fn to_xml(&self, value: &T) -> Result<String, XmlError> {
        let mut w = Writer::new();
        w.declaration();
        self.write(&mut w, value)?;
        Ok(w.finish())
    }

    /// Whether `node` is this element.
    pub fn matches(&self, node: roxmltree::Node<'_, '_>) -> bool {
        node.is_element()
            && node.tag_name().name() == self.name
            && crate::read::element_namespace(node) == self.namespace
    }

    /// Reads this element from `node`, checking its name and namespace.
    pub fn read(&self, node: roxmltree::Node<'_, '_>) -> Result<T, XmlError> {
        if !self.matches(node) {
            return Err(XmlError::at_node(
                node,
                format!(
                    "expected element {{{}}}{}, found {{{}}}{}",
                    self.namespace.unwrap_or(""),
                    self.name,
                    node.tag_name().namespace().unwrap_or(""),
                    node.tag_name().name()
                ),
            ));
        }
        T::read_content(node)
    }

    /// Parses a whole document whose root is this element.
    pub fn from_xml(&self, text: &str) -> Result<T, XmlError> {
        let doc = parse_document(text, ParseLimits::default())?;
        self.read(doc.root_element())
    }

    /// Parses a whole document given as bytes (UTF-8).
    pub fn from_xml_bytes(&self, bytes: &[u8]) -> Result<T, XmlError> {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| XmlError::at_path("", format!("document is not UTF-8: {e}")))?;
        self.from_xml(text.strip_prefix('\u{feff}').unwrap_or(text))
    }
}
