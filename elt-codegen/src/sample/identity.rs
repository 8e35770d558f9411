//! Identity constraints (`xs:key`, `xs:unique`, `xs:keyref`) in sample documents: a keyref's
//! fields must name a key that the same element instance holds, which values chosen one field
//! at a time cannot know. After a sample is built, every `xs:keyref` under a global element is
//! pointed at the first key its `refer` selects there.
//!
//! The selectors and fields are the restricted XPath of XML Schema 1.0 (§3.11.6):
//! `('.//')? step ('/' step)*` joined by `|`, a step being `.`, a QName, `*` or `prefix:*`, and a
//! field ending in an element step or `@name`. Unprefixed names are in no namespace.

use std::collections::BTreeMap;

use roxmltree::Node;

use super::xml::{El, Value};

/// What kind of identity constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// `xs:key`: present and unique.
    Key,
    /// `xs:unique`: unique where present.
    Unique,
    /// `xs:keyref`, referring to a key or unique constraint by `{namespace}name`.
    Keyref(String),
}

/// One identity constraint of an element declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    /// `{namespace}name` (identity constraint names are in the schema's target namespace).
    pub name: String,
    /// Key, unique or keyref.
    pub kind: Kind,
    /// The selector's alternatives.
    pub selector: Vec<Path>,
    /// The fields, in order.
    pub fields: Vec<Field>,
}

/// A name test of a step.
#[derive(Debug, Clone, PartialEq)]
pub enum NameTest {
    /// `.`: the node itself.
    SelfNode,
    /// `*`.
    Any,
    /// `prefix:*`: any name in that namespace.
    AnyIn(Option<String>),
    /// A name in a namespace (or in none).
    Name(Option<String>, String),
}

/// A path of child steps, optionally starting anywhere below (`.//`).
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// Starts with `.//`.
    pub descendants: bool,
    /// The steps.
    pub steps: Vec<NameTest>,
}

/// A field: a path to an element, and the attribute on it if the field names one.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The element path (empty: the selected node).
    pub path: Path,
    /// The attribute, for `@name`.
    pub attribute: Option<NameTest>,
}

/// Reads the identity constraints of an `xs:element` declaration; a constraint whose XPath is
/// outside the restricted grammar is left out (the sample may then not satisfy it).
pub fn read(element: Node<'_, '_>, tns: Option<&str>) -> Vec<Constraint> {
    let mut out = Vec::new();
    for c in element.children().filter(Node::is_element) {
        if c.tag_name().namespace() != Some(crate::xml::XS_NS) {
            continue;
        }
        let Some(name) = c.attribute("name") else {
            continue;
        };
        let kind = match c.tag_name().name() {
            "key" => Kind::Key,
            "unique" => Kind::Unique,
            "keyref" => {
                let Some(refer) = c.attribute("refer").and_then(|r| resolve_qname(c, r)) else {
                    continue;
                };
                Kind::Keyref(crate::diff::model::qkey(refer.0.as_deref(), &refer.1))
            }
            _ => continue,
        };
        let child = |local: &'static str| {
            c.children().filter(Node::is_element).filter(move |n| {
                n.tag_name().namespace() == Some(crate::xml::XS_NS) && n.tag_name().name() == local
            })
        };
        let selector = child("selector")
            .next()
            .and_then(|s| Some((s, s.attribute("xpath")?)))
            .and_then(|(s, x)| parse_union(s, x));
        let fields: Option<Vec<Field>> = child("field")
            .map(|f| f.attribute("xpath").and_then(|x| parse_field(f, x)))
            .collect();
        let (Some(selector), Some(fields)) = (selector, fields) else {
            continue;
        };
        if fields.is_empty() {
            continue;
        }
        out.push(Constraint {
            name: crate::diff::model::qkey(tns, name),
            kind,
            selector,
            fields,
        });
    }
    out
}

/// A QName-valued schema attribute (`refer`) resolved in the scope of `at`: an unprefixed
/// name is in the default namespace, as for every QName in a schema document.
fn resolve_qname(at: Node<'_, '_>, qname: &str) -> Option<(Option<String>, String)> {
    match qname.split_once(':') {
        Some(_) => resolve(at, qname),
        None => Some((
            at.lookup_namespace_uri(None).map(str::to_owned),
            qname.to_owned(),
        )),
    }
}

/// A name test of an XPath step resolved in the scope of `at`: an unprefixed name is in no
/// namespace (XML Schema 1.0 has no default namespace for XPath).
fn resolve(at: Node<'_, '_>, qname: &str) -> Option<(Option<String>, String)> {
    match qname.split_once(':') {
        Some((prefix, local)) => Some((
            Some(at.lookup_namespace_uri(Some(prefix))?.to_owned()),
            local.to_owned(),
        )),
        None => Some((None, qname.to_owned())),
    }
}

fn parse_step(at: Node<'_, '_>, step: &str) -> Option<NameTest> {
    let step = step.trim();
    let step = step.strip_prefix("child::").unwrap_or(step);
    Some(match step {
        "." => NameTest::SelfNode,
        "*" => NameTest::Any,
        s if s.ends_with(":*") => {
            let prefix = &s[..s.len() - 2];
            NameTest::AnyIn(Some(at.lookup_namespace_uri(Some(prefix))?.to_owned()))
        }
        s if !s.is_empty() && !s.contains(['/', '@', '[', '(']) => {
            let (ns, local) = resolve(at, s)?;
            NameTest::Name(ns, local)
        }
        _ => return None,
    })
}

fn parse_path(at: Node<'_, '_>, xpath: &str) -> Option<Path> {
    let xpath = xpath.trim();
    let (descendants, rest) = match xpath.strip_prefix(".//") {
        Some(r) => (true, r),
        None => (false, xpath),
    };
    let steps = rest
        .split('/')
        .map(|s| parse_step(at, s))
        .collect::<Option<Vec<_>>>()?;
    Some(Path { descendants, steps })
}

fn parse_union(at: Node<'_, '_>, xpath: &str) -> Option<Vec<Path>> {
    xpath.split('|').map(|p| parse_path(at, p)).collect()
}

fn parse_field(at: Node<'_, '_>, xpath: &str) -> Option<Field> {
    // A union in a field is legal but selects one node; its first alternative is used.
    let xpath = xpath.split('|').next()?.trim();
    let (path, last) = match xpath.rsplit_once('/') {
        Some((p, l)) => (Some(p), l),
        None => (None, xpath),
    };
    let last = last.trim();
    let last = last
        .strip_prefix("attribute::")
        .map_or(last.to_owned(), |a| format!("@{a}"));
    if let Some(attr) = last.strip_prefix('@') {
        let attribute = parse_step(at, attr)?;
        let path = match path {
            Some(p) => parse_path(at, p)?,
            None => Path {
                descendants: false,
                steps: Vec::new(),
            },
        };
        Some(Field {
            path,
            attribute: Some(attribute),
        })
    } else {
        Some(Field {
            path: parse_path(at, xpath)?,
            attribute: None,
        })
    }
}

fn matches(test: &NameTest, ns: Option<&str>, name: &str) -> bool {
    match test {
        NameTest::SelfNode => true,
        NameTest::Any => true,
        NameTest::AnyIn(n) => n.as_deref() == ns,
        NameTest::Name(n, l) => n.as_deref() == ns && l == name,
    }
}

/// The nodes `path` selects below `el`, as child-index paths from `el`.
fn select(el: &El, path: &Path) -> Vec<Vec<usize>> {
    let mut starts = vec![Vec::new()];
    if path.descendants {
        collect_all(el, &mut Vec::new(), &mut starts);
    }
    let mut out = Vec::new();
    for start in starts {
        let mut current = vec![start];
        for step in &path.steps {
            let mut next = Vec::new();
            for at in &current {
                let node = node_at(el, at);
                if *step == NameTest::SelfNode {
                    next.push(at.clone());
                    continue;
                }
                for (i, c) in node.children.iter().enumerate() {
                    if matches(step, c.ns.as_deref(), &c.name) {
                        let mut p = at.clone();
                        p.push(i);
                        next.push(p);
                    }
                }
            }
            current = next;
        }
        out.extend(current);
    }
    out.sort();
    out.dedup();
    out
}

fn collect_all(el: &El, at: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    for (i, c) in el.children.iter().enumerate() {
        at.push(i);
        out.push(at.clone());
        collect_all(c, at, out);
        at.pop();
    }
}

fn node_at<'a>(el: &'a El, path: &[usize]) -> &'a El {
    path.iter().fold(el, |n, &i| &n.children[i])
}

fn node_at_mut<'a>(el: &'a mut El, path: &[usize]) -> &'a mut El {
    path.iter().fold(el, |n, &i| &mut n.children[i])
}

/// Where a field's value sits: an element (its text) or an attribute on it.
#[derive(Debug, Clone)]
struct Slot {
    element: Vec<usize>,
    attribute: Option<usize>,
}

fn field_slot(el: &El, node: &[usize], field: &Field) -> Option<Slot> {
    let base = node_at(el, node);
    let found = select(base, &field.path).into_iter().next()?;
    let mut element = node.to_vec();
    element.extend(found);
    let target = node_at(el, &element);
    let attribute = match &field.attribute {
        None => None,
        Some(test) => Some(
            target
                .attrs
                .iter()
                .position(|a| matches(test, a.ns.as_deref(), &a.name))?,
        ),
    };
    Some(Slot { element, attribute })
}

fn slot_value(el: &El, slot: &Slot) -> Option<String> {
    let node = node_at(el, &slot.element);
    match slot.attribute {
        Some(i) => match &node.attrs[i].value {
            Value::Text(t) => Some(t.clone()),
            Value::QName(..) => None,
        },
        None => node.text.clone(),
    }
}

fn set_slot(el: &mut El, slot: &Slot, value: &str) {
    let node = node_at_mut(el, &slot.element);
    match slot.attribute {
        Some(i) => node.attrs[i].value = Value::Text(value.to_owned()),
        None => node.text = Some(value.to_owned()),
    }
}

/// The field values of every node `c` selects under `el` that has all its fields.
fn tuples(el: &El, c: &Constraint) -> Vec<(Vec<Slot>, Vec<String>)> {
    let mut out = Vec::new();
    for path in &c.selector {
        for node in select(el, path) {
            let slots: Option<Vec<Slot>> =
                c.fields.iter().map(|f| field_slot(el, &node, f)).collect();
            let Some(slots) = slots else { continue };
            let values: Option<Vec<String>> = slots.iter().map(|s| slot_value(el, s)).collect();
            if let Some(values) = values {
                out.push((slots, values));
            }
        }
    }
    out
}

/// Points every keyref of the constraints declared on `{namespace}local` elements (by
/// `constraints`' keys) at a key that holds, wherever such an element occurs in `el`.
pub fn satisfy(el: &mut El, constraints: &BTreeMap<String, Vec<Constraint>>) {
    if constraints.is_empty() {
        return;
    }
    let mut scopes = Vec::new();
    let mut all = vec![Vec::new()];
    collect_all(el, &mut Vec::new(), &mut all);
    for path in all {
        let node = node_at(el, &path);
        let key = crate::diff::model::qkey(node.ns.as_deref(), &node.name);
        if let Some(cs) = constraints.get(&key) {
            scopes.push((path, cs));
        }
    }
    for (path, cs) in scopes {
        let scope = node_at_mut(el, &path);
        for c in cs {
            let Kind::Keyref(refer) = &c.kind else {
                continue;
            };
            let Some(target) = cs.iter().find(|k| &k.name == refer && k.kind != c.kind) else {
                continue;
            };
            let keys = tuples(scope, target);
            let Some((_, first)) = keys.first() else {
                continue;
            };
            let first = first.clone();
            for (slots, values) in tuples(scope, c) {
                if keys.iter().any(|(_, k)| *k == values) || slots.len() != first.len() {
                    continue;
                }
                for (slot, v) in slots.iter().zip(&first) {
                    set_slot(scope, slot, v);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::xml::Attr;

    fn doc(text: &str) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(text).unwrap()
    }

    const SCHEMA: &str = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="urn:t" xmlns:t="urn:t" targetNamespace="urn:t">
  <xs:element name="Invoice">
    <xs:key name="Orders"><xs:selector xpath="t:Orders/t:Order"/><xs:field xpath="@id"/></xs:key>
    <xs:keyref name="OrdersRef" refer="Orders"><xs:selector xpath="t:Lines/t:Line/t:OrderRef | .//t:Other"/><xs:field xpath="@ref"/></xs:keyref>
    <xs:unique name="Ids"><xs:selector xpath=".//t:Line"/><xs:field xpath="t:ID"/></xs:unique>
    <xs:key name="Broken"><xs:selector xpath="t:a[1]"/><xs:field xpath="@x"/></xs:key>
  </xs:element>
</xs:schema>"#;

    fn el(name: &str, children: Vec<El>) -> El {
        El {
            ns: Some("urn:t".into()),
            name: name.into(),
            children,
            ..El::default()
        }
    }

    fn with_attr(mut e: El, name: &str, v: &str) -> El {
        e.attrs.push(Attr {
            ns: None,
            name: name.into(),
            value: Value::Text(v.into()),
        });
        e
    }

    #[test]
    fn reads_the_restricted_xpath_and_leaves_out_what_it_cannot_read() {
        let d = doc(SCHEMA);
        let invoice = d.root_element().first_element_child().unwrap();
        let cs = read(invoice, Some("urn:t"));
        let names: Vec<&str> = cs.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["{urn:t}Orders", "{urn:t}OrdersRef", "{urn:t}Ids"]);
        assert_eq!(cs[1].kind, Kind::Keyref("{urn:t}Orders".into()));
        assert_eq!(cs[1].selector.len(), 2);
        assert!(cs[1].selector[1].descendants);
        assert_eq!(
            cs[2].fields[0],
            Field {
                path: Path {
                    descendants: false,
                    steps: vec![NameTest::Name(Some("urn:t".into()), "ID".into())]
                },
                attribute: None
            }
        );
    }

    #[test]
    fn a_keyref_is_pointed_at_the_first_key() {
        let d = doc(SCHEMA);
        let invoice = d.root_element().first_element_child().unwrap();
        let constraints =
            BTreeMap::from([("{urn:t}Invoice".to_owned(), read(invoice, Some("urn:t")))]);
        let mut sample = el(
            "Invoice",
            vec![
                el(
                    "Lines",
                    vec![el(
                        "Line",
                        vec![with_attr(el("OrderRef", vec![]), "ref", "string")],
                    )],
                ),
                el(
                    "Orders",
                    vec![
                        with_attr(el("Order", vec![]), "id", "A1"),
                        with_attr(el("Order", vec![]), "id", "B2"),
                    ],
                ),
                with_attr(el("Other", vec![]), "ref", "B2"),
            ],
        );
        satisfy(&mut sample, &constraints);
        let r = &sample.children[0].children[0].children[0].attrs[0].value;
        assert_eq!(
            *r,
            Value::Text("A1".into()),
            "the dangling reference now names a key"
        );
        // A reference that already names a key is left alone.
        assert_eq!(sample.children[2].attrs[0].value, Value::Text("B2".into()));
    }

    #[test]
    fn without_a_key_the_reference_is_left_as_it_was() {
        let d = doc(SCHEMA);
        let invoice = d.root_element().first_element_child().unwrap();
        let constraints =
            BTreeMap::from([("{urn:t}Invoice".to_owned(), read(invoice, Some("urn:t")))]);
        let mut sample = el("Invoice", vec![with_attr(el("Other", vec![]), "ref", "x")]);
        let before = sample.clone();
        satisfy(&mut sample, &constraints);
        assert_eq!(sample, before);
    }
}
