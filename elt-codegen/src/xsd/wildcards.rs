//! Where each element wildcard (`xs:any`) of a named complex type is declared.
//!
//! `##other` and `##targetNamespace` mean the target namespace of the schema that writes the
//! wildcard (XML Schema Part 1, 3.10.2). A type that extends a base from another namespace
//! inherits the base's wildcards with the base's meaning: WS-BaseFaults' `BaseFaultType`
//! (`##other`, then its own `Timestamp`) extended in the WS-Resource namespace must not take
//! `Timestamp` for foreign content. `xsd-parser` hands the generator the extended content as
//! one list of particles without the schema each came from, so the declaring namespaces are
//! read here from the source, as `patterns` reads pattern steps.

use std::collections::BTreeMap;

use roxmltree::Node;

use crate::xml::{XS_NS, child, resolve_qname};

/// `(namespace, local name)` of a named type.
pub type TypeKey = (Option<String>, String);

/// A named complex type's own element wildcards and what it extends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wildcards {
    /// The type extended (`complexContent/extension`), whose particles come first.
    pub extends: Option<TypeKey>,
    /// The number of `xs:any` the type's own content model writes.
    pub own: usize,
    /// Whether the type itself writes an `xs:anyAttribute`.
    pub any_attribute: bool,
}

/// Every top-level named complex type → its wildcards.
pub type WildcardMap = BTreeMap<TypeKey, Wildcards>;

/// The `xs:any` particles under `n` that belong to its content model (not to a local element's
/// own anonymous type).
fn count_any(n: Node<'_, '_>) -> usize {
    n.children()
        .filter(|c| c.is_element() && c.tag_name().namespace() == Some(XS_NS))
        .map(|c| match c.tag_name().name() {
            "any" => 1,
            "sequence" | "choice" | "all" | "complexContent" | "extension" | "restriction" => {
                count_any(c)
            }
            _ => 0,
        })
        .sum()
}

/// The wildcards of the top-level named complex types of one schema document.
pub fn scan(root: Node<'_, '_>, target_namespace: Option<&str>) -> Vec<(TypeKey, Wildcards)> {
    root.children()
        .filter(|n| {
            n.is_element()
                && n.tag_name().namespace() == Some(XS_NS)
                && n.tag_name().name() == "complexType"
        })
        .filter_map(|ct| {
            let name = ct.attribute("name")?;
            let extends = child(ct, XS_NS, "complexContent")
                .and_then(|cc| child(cc, XS_NS, "extension"))
                .and_then(|ext| ext.attribute("base").map(|b| (ext, b)))
                .and_then(|(ext, b)| resolve_qname(ext, b).ok())
                .map(|q| (q.namespace, q.local));
            let any_attribute = ct.descendants().any(|d| {
                d.tag_name().namespace() == Some(XS_NS) && d.tag_name().name() == "anyAttribute"
            });
            Some((
                (target_namespace.map(str::to_owned), name.to_owned()),
                Wildcards {
                    extends,
                    own: count_any(ct),
                    any_attribute,
                },
            ))
        })
        .collect()
}

/// The type `key` and the types it extends, most derived first, each with its key (whose
/// namespace is the declaring schema's); `None` when the chain leaves the source (a built-in
/// base, an unknown type) or loops.
fn chain<'m>(map: &'m WildcardMap, key: &TypeKey) -> Option<Vec<(&'m TypeKey, &'m Wildcards)>> {
    let mut chain = Vec::new();
    let mut cur = Some(key.clone());
    while let Some(k) = cur {
        if chain.len() > 64 {
            return None;
        }
        let entry = map.get_key_value(&k)?;
        chain.push(entry);
        cur = entry
            .1
            .extends
            .clone()
            .filter(|b| b.0.as_deref() != Some(XS_NS));
    }
    Some(chain)
}

/// The declaring namespace of each element wildcard in the content of the type `key`, in the
/// order the particles come (the base's first); `None` when the chain is not in the source.
pub fn origins(map: &WildcardMap, key: &TypeKey) -> Option<Vec<Option<String>>> {
    Some(
        chain(map, key)?
            .iter()
            .rev()
            .flat_map(|(k, w)| std::iter::repeat_n(k.0.clone(), w.own))
            .collect(),
    )
}

/// The declaring namespace of the attribute wildcard of the type `key` when it is inherited
/// from exactly one type of its extension chain (the type itself writes none); `None` when the
/// type writes its own, or several types of the chain do (their union is the owner's to form),
/// or the chain is not in the source.
pub fn attribute_origin(map: &WildcardMap, key: &TypeKey) -> Option<Option<String>> {
    let chain = chain(map, key)?;
    let mut declaring = chain.iter().filter(|(_, w)| w.any_attribute);
    match (chain[0].1.any_attribute, declaring.next(), declaring.next()) {
        (false, Some((k, _)), None) => Some(k.0.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r###"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:bf">
  <xs:complexType name="BaseFault">
    <xs:sequence>
      <xs:any namespace="##other" minOccurs="0" maxOccurs="unbounded"/>
      <xs:element name="Timestamp" type="xs:dateTime"/>
      <xs:element name="Detail"><xs:complexType><xs:sequence><xs:any/></xs:sequence></xs:complexType></xs:element>
    </xs:sequence>
    <xs:anyAttribute namespace="##other"/>
  </xs:complexType>
</xs:schema>"###;

    const DERIVED: &str = r###"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:bf="urn:bf" targetNamespace="urn:r">
  <xs:complexType name="Unknown">
    <xs:complexContent><xs:extension base="bf:BaseFault">
      <xs:sequence><xs:choice><xs:any namespace="##targetNamespace"/><xs:element name="X" type="xs:int"/></xs:choice></xs:sequence>
    </xs:extension></xs:complexContent>
  </xs:complexType>
  <xs:complexType name="Loop"><xs:complexContent><xs:extension base="Loop"/></xs:complexContent></xs:complexType>
</xs:schema>"###;

    fn map() -> WildcardMap {
        let mut m = WildcardMap::new();
        for (text, ns) in [(BASE, "urn:bf"), (DERIVED, "urn:r")] {
            let doc = roxmltree::Document::parse(text).unwrap();
            m.extend(scan(doc.root_element(), Some(ns)));
        }
        m
    }

    #[test]
    fn inherited_wildcards_keep_the_namespace_of_their_schema() {
        let m = map();
        let key = |ns: &str, n: &str| (Some(ns.to_owned()), n.to_owned());
        // The wildcard inside the local element `Detail` is that element's, not the type's.
        assert_eq!(m[&key("urn:bf", "BaseFault")].own, 1);
        assert_eq!(
            origins(&m, &key("urn:r", "Unknown")),
            Some(vec![Some("urn:bf".to_owned()), Some("urn:r".to_owned())])
        );
        assert_eq!(origins(&m, &key("urn:r", "Missing")), None);
        assert_eq!(
            attribute_origin(&m, &key("urn:r", "Unknown")),
            Some(Some("urn:bf".to_owned()))
        );
        assert_eq!(attribute_origin(&m, &key("urn:bf", "BaseFault")), None);
        // `Loop` has no namespace prefix for its base: unprefixed means no namespace here.
        assert_eq!(origins(&m, &key("urn:r", "Loop")), None);
    }
}
