//! The `xs:pattern` facets of each named simple type, step by step, as the schemas write them.
//!
//! XSD ORs the patterns of one restriction step and ANDs the steps of a derivation chain: a
//! value of `B` (restricting `A`) must match one of `A`'s patterns and one of `B`'s. `xsd-parser`
//! hands the generator the patterns of a whole chain as one flat list, so the steps are read
//! here from the source, and the renderer uses them where they account for exactly the flat list.

use std::collections::BTreeMap;

use roxmltree::Node;

use crate::xml::{XS_NS, child, children, resolve_qname};

/// A named simple type's restriction as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatternSteps {
    /// The type restricted, `(namespace, local name)`, where the chain goes on to a named type.
    pub base: Option<(Option<String>, String)>,
    /// The patterns of each step inside this type's definition that has any, the base-most
    /// first (an anonymous `xs:simpleType` inside `xs:restriction` is a step before its own).
    pub steps: Vec<Vec<String>>,
}

/// `(namespace, local name)` of every top-level named simple type → its pattern steps.
pub type PatternMap = BTreeMap<(Option<String>, String), PatternSteps>;

/// The steps of one `xs:restriction` (and the anonymous types nested in it), base-most first;
/// returns the named base where there is one.
fn restriction(r: Node<'_, '_>, steps: &mut Vec<Vec<String>>) -> Option<(Option<String>, String)> {
    let base = match r.attribute("base") {
        Some(b) => resolve_qname(r, b).ok().map(|q| (q.namespace, q.local)),
        None => child(r, XS_NS, "simpleType")
            .and_then(|inner| child(inner, XS_NS, "restriction"))
            .and_then(|inner| restriction(inner, steps)),
    };
    let own: Vec<String> = children(r, XS_NS, "pattern")
        .filter_map(|c| c.attribute("value").map(str::to_owned))
        .collect();
    if !own.is_empty() {
        steps.push(own);
    }
    base
}

/// The pattern steps of the top-level named simple types of one schema document.
pub fn scan(
    root: Node<'_, '_>,
    target_namespace: Option<&str>,
) -> Vec<((Option<String>, String), PatternSteps)> {
    children(root, XS_NS, "simpleType")
        .filter_map(|st| {
            let name = st.attribute("name")?;
            let r = child(st, XS_NS, "restriction")?;
            let mut steps = Vec::new();
            let base = restriction(r, &mut steps);
            Some((
                (target_namespace.map(str::to_owned), name.to_owned()),
                PatternSteps { base, steps },
            ))
        })
        .collect()
}

/// The steps of the type `key`, following its chain of named bases, when they hold exactly the
/// patterns of `flat` (the engine's list for the type, in any order); else `None`, and the
/// caller keeps the flat list as one step.
pub fn steps_for(
    map: &PatternMap,
    key: &(Option<String>, String),
    flat: &[String],
) -> Option<Vec<Vec<String>>> {
    let mut steps: Vec<Vec<String>> = Vec::new();
    let mut cur = Some(key.clone());
    // A chain longer than this is a cycle the engine would have refused already.
    for _ in 0..64 {
        let Some(k) = cur else { break };
        let Some(t) = map.get(&k) else { break };
        steps.splice(0..0, t.steps.iter().cloned());
        cur = t.base.clone();
    }
    let mut ours: Vec<&String> = steps.iter().flatten().collect();
    let mut theirs: Vec<&String> = flat.iter().collect();
    ours.sort();
    theirs.sort();
    (!steps.is_empty() && ours == theirs).then_some(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:p" targetNamespace="urn:p">
  <xs:simpleType name="Digits">
    <xs:restriction base="xs:string"><xs:pattern value="[0-9]+"/><xs:pattern value="x"/></xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="Three">
    <xs:restriction base="t:Digits"><xs:pattern value=".{3}"/></xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="Nested">
    <xs:restriction>
      <xs:simpleType><xs:restriction base="t:Three"><xs:pattern value="1.*"/></xs:restriction></xs:simpleType>
      <xs:maxLength value="3"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="Items"><xs:list itemType="t:Digits"/></xs:simpleType>
</xs:schema>"#;

    fn map() -> PatternMap {
        let doc = roxmltree::Document::parse(SCHEMA).unwrap();
        scan(doc.root_element(), Some("urn:p"))
            .into_iter()
            .collect()
    }

    fn key(name: &str) -> (Option<String>, String) {
        (Some("urn:p".into()), name.into())
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn steps_follow_the_chain_and_nested_anonymous_types() {
        let m = map();
        assert_eq!(m[&key("Three")].base, Some(key("Digits")));
        assert_eq!(m[&key("Nested")].base, Some(key("Three")));
        assert!(!m.contains_key(&key("Items")));
        let flat = strings(&["[0-9]+", "x", ".{3}", "1.*"]);
        assert_eq!(
            steps_for(&m, &key("Nested"), &flat),
            Some(vec![
                strings(&["[0-9]+", "x"]),
                strings(&[".{3}"]),
                strings(&["1.*"])
            ])
        );
    }

    #[test]
    fn a_flat_list_the_steps_do_not_account_for_is_kept_whole() {
        let m = map();
        // A pattern the source does not show for the chain: no split.
        assert_eq!(
            steps_for(&m, &key("Three"), &strings(&["[0-9]+", "x", ".{3}", "y"])),
            None
        );
        assert_eq!(steps_for(&m, &key("Unknown"), &strings(&["a"])), None);
    }
}
