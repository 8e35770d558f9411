//! Qualified names and element lookups on `roxmltree` nodes.

use roxmltree::Node;

use crate::xml::XML_NS;

/// A qualified name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct QName {
    /// Namespace, if any.
    pub namespace: Option<String>,
    /// Local name.
    pub local: String,
}

impl std::fmt::Display for QName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{{{ns}}}{}", self.local),
            None => f.write_str(&self.local),
        }
    }
}

/// Resolves a QName through the namespaces in scope on `node`; an unprefixed name takes the
/// default namespace. Fails with the prefix when it is not declared.
pub(crate) fn resolve_qname<'v>(
    node: Node<'_, '_>,
    value: &'v str,
) -> std::result::Result<QName, &'v str> {
    let (namespace, local) = match value.split_once(':') {
        Some(("xml", l)) => (Some(XML_NS.to_owned()), l),
        Some((p, l)) => (
            Some(node.lookup_namespace_uri(Some(p)).ok_or(p)?.to_owned()),
            l,
        ),
        None => (node.lookup_namespace_uri(None).map(str::to_owned), value),
    };
    Ok(QName {
        namespace,
        local: local.to_owned(),
    })
}

/// The child elements of `node` named `{ns}name`.
pub(crate) fn children<'a, 'i>(
    node: Node<'a, 'i>,
    ns: &'a str,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |c| {
        c.is_element() && c.tag_name().namespace() == Some(ns) && c.tag_name().name() == name
    })
}

/// The first child element of `node` named `{ns}name`.
pub(crate) fn child<'a, 'i>(
    node: Node<'a, 'i>,
    ns: &'a str,
    name: &'a str,
) -> Option<Node<'a, 'i>> {
    children(node, ns, name).next()
}
