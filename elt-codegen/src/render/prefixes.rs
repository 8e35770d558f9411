//! The schemas' own namespace prefixes, for the writer to use in documents.
//!
//! A namespace's prefix is the one its schema file binds to its target namespace on the
//! `xs:schema` element (`xmlns:tns="…"` beside `targetNamespace="…"`); failing that, one another
//! schema binds to it there (an importing schema's `xmlns:cmn="…"`). When two namespaces want the
//! same prefix, the first by namespace URI has it and the other takes its next candidate; a
//! namespace left without one gets `ns1`, `ns2`, ... from the writer. Everything is ordered (paths,
//! URIs, declaration order), so the table is the same on every run.

use std::collections::{BTreeMap, BTreeSet};

const XS_NAMESPACE: &str = "http://www.w3.org/2001/XMLSchema";
const XSI_NAMESPACE: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The prefixes a schema text binds on its `xs:schema` element: `(target namespace's prefixes,
/// every (namespace, prefix) bound there)`, in declaration order.
type Declared = (Vec<(String, String)>, Vec<(String, String)>);

fn declared(text: &str) -> Option<Declared> {
    let doc = crate::xml::reparse(text)?;
    let root = doc.root_element();
    if root.tag_name().name() != "schema" || root.tag_name().namespace() != Some(XS_NAMESPACE) {
        return None;
    }
    let target = root.attribute("targetNamespace");
    let mut own = Vec::new();
    let mut all = Vec::new();
    for n in root.namespaces() {
        let Some(prefix) = n.name() else { continue };
        let pair = (n.uri().to_owned(), prefix.to_owned());
        if Some(n.uri()) == target {
            own.push(pair.clone());
        }
        all.push(pair);
    }
    Some((own, all))
}

/// Whether the writer may use `prefix` for `ns`: not reserved by XML, and `xsi` only for its
/// own namespace (the writer needs it for `xsi:type` and `xsi:nil`).
fn usable(ns: &str, prefix: &str) -> bool {
    !prefix
        .get(..3)
        .is_some_and(|p| p.eq_ignore_ascii_case("xml"))
        && (prefix != "xsi" || ns == XSI_NAMESPACE)
}

/// `(namespace, prefix)` for each namespace of `namespaces` that the schemas in `sources`
/// (path → text) declare a usable prefix for, sorted by namespace; no prefix twice.
pub(super) fn schema_prefixes<'s>(
    sources: impl IntoIterator<Item = (&'s String, &'s String)>,
    namespaces: &BTreeSet<String>,
) -> Vec<(String, String)> {
    let mut own: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut other: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut texts: Vec<_> = sources.into_iter().collect();
    texts.sort();
    for (_, text) in texts {
        let Some((o, a)) = declared(text) else {
            continue;
        };
        for (into, pairs) in [(&mut own, o), (&mut other, a)] {
            for (ns, prefix) in pairs {
                if let Some(ns) = namespaces.get(&ns)
                    && usable(ns, &prefix)
                {
                    let list = into.entry(ns.as_str()).or_default();
                    if !list.contains(&prefix) {
                        list.push(prefix);
                    }
                }
            }
        }
    }
    let mut chosen: BTreeMap<&str, String> = BTreeMap::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    // The schema's own prefix first for every namespace, then the others' names for it.
    for candidates in [&own, &other] {
        for ns in namespaces {
            if chosen.contains_key(ns.as_str()) {
                continue;
            }
            let free = candidates
                .get(ns.as_str())
                .and_then(|c| c.iter().find(|p| !taken.contains(*p)));
            if let Some(p) = free {
                taken.insert(p.clone());
                chosen.insert(ns, p.clone());
            }
        }
    }
    chosen.into_iter().map(|(n, p)| (n.to_owned(), p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(tns: &str, decls: &str) -> String {
        format!(r#"<xs:schema xmlns:xs="{XS_NAMESPACE}" {decls} targetNamespace="{tns}"/>"#)
    }

    #[test]
    fn own_prefix_first_then_the_importers_then_none() {
        let sources: BTreeMap<String, String> = [
            (
                "a.xsd",
                schema("urn:a", r#"xmlns:tns="urn:a" xmlns:c="urn:c""#),
            ),
            (
                "b.xsd",
                schema("urn:b", r#"xmlns:tns="urn:b" xmlns:bb="urn:b""#),
            ),
            ("c.xsd", schema("urn:c", r#"xmlns="urn:c""#)),
            (
                "d.xsd",
                schema("urn:d", r#"xmlns:xmlx="urn:d" xmlns:xsi="urn:d""#),
            ),
        ]
        .into_iter()
        .map(|(p, t)| (p.to_owned(), t))
        .collect();
        let namespaces: BTreeSet<String> = ["urn:a", "urn:b", "urn:c", "urn:d"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        let table = schema_prefixes(&sources, &namespaces);
        let pairs: Vec<(&str, &str)> = table
            .iter()
            .map(|(n, p)| (n.as_str(), p.as_str()))
            .collect();
        // urn:b wants `tns` too: urn:a has it (first by URI), so urn:b takes its other own
        // prefix; urn:c declares none itself and gets the importer's; urn:d's are reserved.
        assert_eq!(pairs, [("urn:a", "tns"), ("urn:b", "bb"), ("urn:c", "c")]);
    }
}
