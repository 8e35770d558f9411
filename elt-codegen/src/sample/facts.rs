//! What sampling needs from the schema sources that the model does not hold: which types and
//! elements are `abstract`, and the identity constraints of global elements. (The `fixed`
//! values of elements and attributes are in the model: `model::declared`.)

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
        }
        f
    }
}

fn is_xs(n: &Node<'_, '_>, name: &str) -> bool {
    n.is_element() && n.tag_name().namespace() == Some(XS_NS) && n.tag_name().name() == name
}
