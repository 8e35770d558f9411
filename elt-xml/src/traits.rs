//! The traits generated types implement.

use std::borrow::Cow;

use crate::any::NamespaceConstraint;
use crate::error::{ValueError, XmlError};
use crate::read::{Children, text_content};
use crate::write::Writer;

/// A simple value with an XSD lexical form (element text or attribute value).
pub trait XmlValue: Sized {
    /// The lexical form written to XML.
    fn to_xml_text(&self) -> Cow<'_, str>;
    /// Parses the lexical form read from XML.
    fn from_xml_text(text: &str) -> Result<Self, ValueError>;
    /// The length the `length`, `minLength` and `maxLength` facets measure, where it is not
    /// the number of characters of the lexical form: items of a list, octets of binary data.
    fn xml_length(&self) -> Option<usize> {
        None
    }
    /// Every lexical form of the value this crate can write, the canonical one first. A
    /// `pattern` facet constrains the lexical form, so a restricted type writes the first of
    /// these its patterns accept (`1` for `true` where the pattern is `0|1`).
    fn lexical_forms(&self) -> Vec<Cow<'_, str>> {
        vec![self.to_xml_text()]
    }
}

/// Content of an element: attributes, then child elements or text.
///
/// Implemented by generated complex types, and for every [`XmlValue`] (text-only content).
pub trait XmlContent: Sized {
    /// Writes attributes and content; the start tag is open in `w` when this is called.
    fn write_content(&self, w: &mut Writer) -> Result<(), XmlError>;
    /// Reads attributes and content of `node`.
    fn read_content(node: roxmltree::Node<'_, '_>) -> Result<Self, XmlError>;
}

impl<T: XmlValue> XmlContent for T {
    fn write_content(&self, w: &mut Writer) -> Result<(), XmlError> {
        w.text(&self.to_xml_text());
        Ok(())
    }

    fn read_content(node: roxmltree::Node<'_, '_>) -> Result<Self, XmlError> {
        let text = text_content(node)?;
        T::from_xml_text(&text).map_err(|e| XmlError::at_node(node, e.message))
    }
}

/// A model group (`xs:choice`, or a nested `xs:sequence`) written inline among its parent's
/// children.
pub trait XmlChoice: Sized {
    /// The elements that can start this group, as `(namespace, local name)`.
    const FIRST: &'static [(Option<&'static str>, &'static str)];
    /// Wildcards (`xs:any`) that can start this group, with the namespace of their schema.
    const FIRST_ANY: &'static [(NamespaceConstraint, Option<&'static str>)] = &[];
    /// Whether an element `{ns}local` can start this group.
    fn starts_with(ns: Option<&str>, local: &str) -> bool {
        Self::FIRST.iter().any(|(n, l)| *n == ns && *l == local)
            || Self::FIRST_ANY
                .iter()
                .any(|(c, target)| c.allows(ns, *target))
    }
    /// Writes the group's elements.
    fn write_group(&self, w: &mut Writer) -> Result<(), XmlError>;
    /// Reads the group; called only when the next child is one of [`Self::FIRST`].
    fn read_group(children: &mut Children<'_, '_>) -> Result<Self, XmlError>;
}

/// An XSD enumeration rendered as a Rust enum.
pub trait XmlEnum: Sized + Copy + 'static {
    /// Name of the XSD type, for error messages.
    const TYPE_NAME: &'static str;
    /// Every variant with its lexical value, in schema order.
    const VALUES: &'static [(&'static str, Self)];
    /// The lexical value of this variant.
    fn as_str(&self) -> &'static str;
    /// The variant for a lexical value.
    fn parse(text: &str) -> Result<Self, ValueError> {
        Self::VALUES
            .iter()
            .find(|(v, _)| *v == text)
            .map(|(_, x)| *x)
            .ok_or_else(|| {
                let allowed: Vec<String> =
                    Self::VALUES.iter().map(|(v, _)| format!("{v:?}")).collect();
                ValueError::new(format!(
                    "{}: {text:?} is not one of the allowed values {}",
                    Self::TYPE_NAME,
                    allowed.join(", ")
                ))
            })
    }
}
