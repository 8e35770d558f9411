//! What sampling needs from the schema sources that the model does not hold: which types and
//! elements are `abstract`, the `fixed` values of attributes and elements, and the identity
//! constraints of global elements.

use std::collections::{BTreeMap, BTreeSet};

use roxmltree::Node;

use crate::diff::model::{QKey, qkey};
use crate::xml::XS_NS;
use crate::xsd::SchemaDoc;

/// Facts read from the schema documents.
#[derive(Debug, Clone, Default)]
pub struct SchemaFacts {
    /// Named types declared `abstract="true"`, by `{namespace}Name`.
    pub abstract_types: BTreeSet<QKey>,
    /// Global elements declared `abstract="true"`, by `{namespace}local`.
    pub abstract_elements: BTreeSet<QKey>,
    /// `fixed` values of attribute declarations, by `SCOPE/name`: the scope is `type {ns}Name`
    /// for a declaration inside a named complex type, `element name` inside the anonymous type
    /// of a named element, and empty for a global attribute or one in an attribute group
    /// (which the model does not trace back).
    pub fixed_attributes: BTreeMap<String, BTreeSet<String>>,
    /// `fixed` values of element declarations, by `SCOPE/name` as for attributes (a global
    /// element's scope is empty).
    pub fixed_elements: BTreeMap<String, BTreeSet<String>>,
    /// The identity constraints (`xs:key`, `xs:unique`, `xs:keyref`) of global elements, by
    /// `{namespace}local`.
    pub identity: BTreeMap<String, Vec<super::identity::Constraint>>,
}

impl SchemaFacts {
    /// Reads the facts from schema documents (as `xsd::collect` returns them).
    pub fn read<'a>(docs: impl IntoIterator<Item = &'a SchemaDoc>) -> SchemaFacts {
        let mut f = SchemaFacts::default();
        for doc in docs {
            let Some(parsed) = crate::xml::reparse(&doc.text) else {
                continue;
            };
            let Some(schema) = std::iter::once(parsed.root_element())
                .chain(parsed.root_element().descendants())
                .find(|n| is_xs(n, "schema"))
            else {
                continue;
            };
            let tns = schema
                .attribute("targetNamespace")
                .or(doc.target_namespace.as_deref());
            for top in schema.children().filter(Node::is_element) {
                if is_xs(&top, "element")
                    && let Some(name) = top.attribute("name")
                {
                    let constraints = super::identity::read(top, tns);
                    if !constraints.is_empty() {
                        f.identity
                            .entry(qkey(tns, name))
                            .or_default()
                            .extend(constraints);
                    }
                }
                let abstract_ = top.attribute("abstract") == Some("true");
                if let (true, Some(name)) = (abstract_, top.attribute("name")) {
                    if is_xs(&top, "complexType") {
                        f.abstract_types.insert(QKey::new(tns, name));
                    } else if is_xs(&top, "element") {
                        f.abstract_elements.insert(QKey::new(tns, name));
                    }
                }
            }
            for n in schema.descendants().filter(Node::is_element) {
                let (Some(fixed), Some(name)) = (
                    n.attribute("fixed"),
                    n.attribute("name").or_else(|| {
                        n.attribute("ref")
                            .map(|r| r.rsplit(':').next().unwrap_or(r))
                    }),
                ) else {
                    continue;
                };
                let map = if is_xs(&n, "attribute") {
                    &mut f.fixed_attributes
                } else if is_xs(&n, "element") {
                    &mut f.fixed_elements
                } else {
                    continue;
                };
                let scope = scope_of(n, tns).unwrap_or_default();
                map.entry(format!("{scope}/{name}"))
                    .or_default()
                    .insert(fixed.to_owned());
            }
        }
        f
    }
}

/// The scope of a declaration: its nearest enclosing named complex type or named element.
fn scope_of(n: Node<'_, '_>, tns: Option<&str>) -> Option<String> {
    for a in n.ancestors().skip(1) {
        if is_xs(&a, "attributeGroup") || is_xs(&a, "group") || is_xs(&a, "schema") {
            return None;
        }
        if is_xs(&a, "complexType")
            && let Some(name) = a.attribute("name")
        {
            return Some(format!("type {}", qkey(tns, name)));
        }
        if is_xs(&a, "element")
            && let Some(name) = a.attribute("name")
        {
            return Some(format!("element {name}"));
        }
    }
    None
}

fn is_xs(n: &Node<'_, '_>, name: &str) -> bool {
    n.is_element() && n.tag_name().namespace() == Some(XS_NS) && n.tag_name().name() == name
}
