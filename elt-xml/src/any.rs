//! `xs:any` content kept as a small element tree with its namespaces.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

/// An element matched by `xs:any`, kept with its namespace, attributes and children.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnyElement {
    /// Namespace of the element, if any.
    pub namespace: Option<String>,
    /// Local name.
    pub name: String,
    /// Prefixes this element needs declared so that QName values in its content (such as
    /// `xsi:type="p:T"` or a text `p:T`) keep their meaning, sorted: for the element `xs:any`
    /// matched, those in scope on it in the source, wherever declared, that such values use
    /// (see [`AnyElement::from_node`]); for the elements inside it, those of them declared on
    /// them. The writer skips those already in scope.
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
#[non_exhaustive]
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

    /// Copies an element of a parsed document. The element leaves its document, so it keeps
    /// the prefixes in scope on it that QName values inside it may use (see
    /// [`AnyElement::namespaces`]: prefixes used in attribute values and text that look like QNames).
    pub fn from_node(node: roxmltree::Node<'_, '_>) -> Self {
        let used = prefixes_in_values(node);
        let namespaces = node
            .namespaces()
            .filter_map(|n| Some((n.name()?.to_owned(), n.uri().to_owned())))
            .filter(|(p, _)| p != "xml" && used.contains(p))
            .collect();
        Self::copy(node, namespaces, &used)
    }

    /// Copies an element inside copied content: of the prefixes declared on it (bound
    /// otherwise than around it), those QName values in the copied content may use.
    fn from_inner_node(node: roxmltree::Node<'_, '_>, used: &BTreeSet<String>) -> Self {
        let parent_ns: Vec<_> = node
            .parent_element()
            .map(|p| p.namespaces().map(|n| (n.name(), n.uri())).collect())
            .unwrap_or_default();
        let namespaces = node
            .namespaces()
            .filter(|n| !parent_ns.contains(&(n.name(), n.uri())))
            .filter_map(|n| Some((n.name()?.to_owned(), n.uri().to_owned())))
            .filter(|(p, _)| used.contains(p))
            .collect();
        Self::copy(node, namespaces, used)
    }

    fn copy(
        node: roxmltree::Node<'_, '_>,
        mut namespaces: Vec<(String, String)>,
        used: &BTreeSet<String>,
    ) -> Self {
        namespaces.sort();
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
                    Some(AnyNode::Element(AnyElement::from_inner_node(c, used)))
                } else if c.is_text() {
                    c.text().map(|t| AnyNode::Text(t.to_owned()))
                } else {
                    None
                }
            })
            .collect();
        Self {
            namespace: crate::read::element_namespace(node).map(str::to_owned),
            name: node.tag_name().name().to_owned(),
            namespaces,
            attributes,
            children,
        }
    }
}

/// The prefixes QName values in `node` and its descendants may use: those followed by `:` at
/// the start of a whitespace-separated token of an attribute value or a text (as in
/// `xsi:type="p:T"`, `<code>p:T</code>`, or a list of QNames). Element and attribute names need
/// no kept prefix (the writer declares its own), so keeping only these makes copying, writing
/// and reading again give the same declarations.
fn prefixes_in_values(node: roxmltree::Node<'_, '_>) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let mut note = |text: &str| {
        for token in text.split_ascii_whitespace() {
            if let Some((prefix, local)) = token.split_once(':')
                && !prefix.is_empty()
                && !local.is_empty()
            {
                used.insert(prefix.to_owned());
            }
        }
    };
    for d in node.descendants() {
        if d.is_element() {
            d.attributes().for_each(|a| note(a.value()));
        } else if d.is_text()
            && let Some(t) = d.text()
        {
            // Text nodes only: roxmltree gives a comment's text too, and comments are not
            // kept, so a `p:x` inside one is no value and its prefix no reason to keep.
            note(t);
        }
    }
    used
}

/// The `namespace` attribute of an `xs:any`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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
    /// The prefixes in scope on the element in the source (declared on it or around it) that
    /// QName values in the content use (as for [`AnyElement::from_node`]), sorted; written back
    /// as declarations so that those values keep their meaning.
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
        // Every prefix in scope, not only those declared here: the content may use prefixes
        // declared on the typed elements around it (in QName values such as `xsi:type`).
        let AnyElement {
            namespaces,
            attributes,
            children,
            ..
        } = AnyElement::from_node(node);
        Ok(Self {
            namespaces,
            attributes,
            children,
        })
    }
}
