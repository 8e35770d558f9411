//! `xs:any` content kept as a small element tree with its namespaces.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An element matched by `xs:any`, kept with its namespace, attributes and children.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnyElement {
    /// Namespace of the element, if any.
    pub namespace: Option<String>,
    /// Local name.
    pub name: String,
    /// Prefix declarations made on this element in the source, kept so that QName values in
    /// its content keep their meaning.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<(String, String)>,
    /// Attributes as `(namespace, local name, value)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<(Option<String>, String, String)>,
    /// Child elements and text, in document order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<AnyNode>,
}

/// A child of an [`AnyElement`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnyNode {
    /// A child element.
    Element(AnyElement),
    /// Text (CDATA is kept as text).
    Text(String),
}

impl AnyElement {
    /// A new element with no attributes or children.
    pub fn new(namespace: Option<&str>, name: &str) -> Self {
        Self {
            namespace: namespace.map(str::to_owned),
            name: name.to_owned(),
            namespaces: Vec::new(),
            attributes: Vec::new(),
            children: Vec::new(),
        }
    }

    /// Copies an element of a parsed document.
    pub fn from_node(node: roxmltree::Node<'_, '_>) -> Self {
        let parent_ns: Vec<_> = node
            .parent_element()
            .map(|p| p.namespaces().map(|n| (n.name(), n.uri())).collect())
            .unwrap_or_default();
        let namespaces = node
            .namespaces()
            .filter(|n| !parent_ns.contains(&(n.name(), n.uri())))
            .filter_map(|n| n.name().map(|p| (p.to_owned(), n.uri().to_owned())))
            .collect();
        let attributes = node
            .attributes()
            .map(|a| {
                (
                    a.namespace().map(str::to_owned),
                    a.name().to_owned(),
                    a.value().to_owned(),
                )
            })
            .collect();
        let children = node
            .children()
            .filter_map(|c| {
                if c.is_element() {
                    Some(AnyNode::Element(AnyElement::from_node(c)))
                } else if c.is_text() {
                    c.text().map(|t| AnyNode::Text(t.to_owned()))
                } else {
                    None
                }
            })
            .collect();
        Self {
            namespace: node.tag_name().namespace().map(str::to_owned),
            name: node.tag_name().name().to_owned(),
            namespaces,
            attributes,
            children,
        }
    }
}

/// The `namespace` attribute of an `xs:any`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamespaceConstraint {
    /// `##any`
    Any,
    /// `##other`: any namespace but the target namespace, and not unqualified.
    Other,
    /// A list of namespaces; `None` stands for `##local`, and `##targetNamespace` is resolved
    /// by the generator.
    List(&'static [Option<&'static str>]),
}

impl NamespaceConstraint {
    /// Whether an element in namespace `ns` matches, for a schema with `target_ns`.
    pub fn allows(&self, ns: Option<&str>, target_ns: Option<&str>) -> bool {
        match self {
            Self::Any => true,
            Self::Other => ns.is_some() && ns != target_ns,
            Self::List(list) => list.contains(&ns),
        }
    }
}

impl fmt::Display for NamespaceConstraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Any => f.write_str("##any"),
            Self::Other => f.write_str("##other"),
            Self::List(list) => {
                let names: Vec<&str> = list.iter().map(|n| n.unwrap_or("##local")).collect();
                f.write_str(&names.join(" "))
            }
        }
    }
}

/// The content of an element of type `xs:anyType` (or declared without a type): any
/// attributes, and any elements and text in document order. Nothing is dropped, so it
/// round-trips; nothing is checked either (it is what XSD calls lax content).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AnyContent {
    /// The prefixes in scope on the element in the source (declared on it or around it), kept
    /// so that QName values in the content keep their meaning; written back as declarations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<(String, String)>,
    /// Attributes as `(namespace, local name, value)`, `xsi:` ones included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<(Option<String>, String, String)>,
    /// Child elements and text, in document order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<AnyNode>,
}

impl AnyContent {
    /// Content that is just text.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            children: vec![AnyNode::Text(text.into())],
            ..Self::default()
        }
    }
}

impl crate::traits::XmlContent for AnyContent {
    fn write_content(&self, w: &mut crate::Writer) -> Result<(), crate::XmlError> {
        for (prefix, ns) in &self.namespaces {
            w.declare_prefix(prefix, ns);
        }
        for (ns, name, value) in &self.attributes {
            w.attribute(ns.as_deref(), name, value);
        }
        for child in &self.children {
            match child {
                AnyNode::Element(e) => w.any(e),
                AnyNode::Text(t) => w.text(t),
            }
        }
        Ok(())
    }

    fn read_content(node: roxmltree::Node<'_, '_>) -> Result<Self, crate::XmlError> {
        let AnyElement {
            attributes,
            children,
            ..
        } = AnyElement::from_node(node);
        // Every prefix in scope, not only those declared here: the content may use prefixes
        // declared on the typed elements around it (in QName values such as `xsi:type`).
        let namespaces = node
            .namespaces()
            .filter_map(|n| Some((n.name()?.to_owned(), n.uri().to_owned())))
            .filter(|(p, _)| p != "xml")
            .collect();
        Ok(Self {
            namespaces,
            attributes,
            children,
        })
    }
}
