//! A small element tree for sample documents and its serialisation: every namespace is
//! declared once, on the root element, with a deterministic prefix, so the documents are
//! readable and byte-stable.

use std::collections::BTreeMap;

use crate::xml::escape;

/// The `xsi` namespace.
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// The `xml` namespace (always bound to `xml`, never declared).
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// An attribute value: text, or a QName whose prefix is chosen when the document is written.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Plain text.
    Text(String),
    /// A qualified name (`xsi:type`).
    QName(Option<String>, String),
}

/// An attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    /// Namespace when qualified.
    pub ns: Option<String>,
    /// Local name.
    pub name: String,
    /// Value.
    pub value: Value,
}

/// An element.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct El {
    /// Namespace (`None`: unqualified).
    pub ns: Option<String>,
    /// Local name.
    pub name: String,
    /// Attributes in order.
    pub attrs: Vec<Attr>,
    /// Child elements.
    pub children: Vec<El>,
    /// Text content (for simple content).
    pub text: Option<String>,
}

impl El {
    /// An element with no content.
    pub fn new(ns: Option<String>, name: &str) -> El {
        El {
            ns,
            name: name.to_owned(),
            ..El::default()
        }
    }
}

/// Prefixes by namespace, in the order the namespaces first appear.
struct Prefixes {
    map: BTreeMap<String, String>,
    order: Vec<String>,
    soap: Vec<(String, String)>,
}

impl Prefixes {
    fn see(&mut self, ns: &Option<String>) {
        let Some(ns) = ns else { return };
        if ns == XML_NS || self.map.contains_key(ns) {
            return;
        }
        let prefix = if ns == XSI_NS {
            "xsi".to_owned()
        } else if let Some((_, p)) = self.soap.iter().find(|(n, _)| n == ns) {
            p.clone()
        } else {
            format!(
                "ns{}",
                self.order.iter().filter(|n| *n != XSI_NS).count() + 1
            )
        };
        self.map.insert(ns.clone(), prefix);
        self.order.push(ns.clone());
    }

    fn walk(&mut self, e: &El) {
        self.see(&e.ns);
        for a in &e.attrs {
            self.see(&a.ns);
            if let Value::QName(ns, _) = &a.value {
                self.see(ns);
            }
        }
        for c in &e.children {
            self.walk(c);
        }
    }

    fn name(&self, ns: &Option<String>, local: &str) -> String {
        match ns {
            Some(ns) if ns == XML_NS => format!("xml:{local}"),
            Some(ns) => format!("{}:{local}", self.map[ns]),
            None => local.to_owned(),
        }
    }
}

/// The document as text: an XML declaration, the tree indented by two spaces, namespaces
/// declared on the root. `soap_prefixes` names prefixes to use for given namespaces (the
/// envelope's `soap`).
pub fn write(root: &El, soap_prefixes: &[(&str, &str)]) -> String {
    let mut p = Prefixes {
        map: BTreeMap::new(),
        order: Vec::new(),
        soap: soap_prefixes
            .iter()
            .map(|(n, p)| ((*n).to_owned(), (*p).to_owned()))
            .collect(),
    };
    p.walk(root);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    element(root, &p, 0, true, &mut out);
    out
}

fn element(e: &El, p: &Prefixes, depth: usize, root: bool, out: &mut String) {
    let indent = "  ".repeat(depth);
    let name = p.name(&e.ns, &e.name);
    out.push_str(&indent);
    out.push('<');
    out.push_str(&name);
    if root {
        for ns in &p.order {
            out.push_str(&format!(" xmlns:{}=\"{}\"", p.map[ns], escape(ns, true)));
        }
    }
    for a in &e.attrs {
        let v = match &a.value {
            Value::Text(t) => t.clone(),
            Value::QName(ns, local) => p.name(ns, local),
        };
        out.push_str(&format!(
            " {}=\"{}\"",
            p.name(&a.ns, &a.name),
            escape(&v, true)
        ));
    }
    if e.children.is_empty() && e.text.as_deref().is_none_or(str::is_empty) {
        out.push_str("/>\n");
        return;
    }
    out.push('>');
    if let Some(t) = &e.text {
        out.push_str(&escape(t, false));
    }
    if !e.children.is_empty() {
        out.push('\n');
        for c in &e.children {
            element(c, p, depth + 1, false, out);
        }
        out.push_str(&indent);
    }
    out.push_str(&format!("</{name}>\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_are_declared_once_on_the_root() {
        let mut root = El::new(Some("urn:a".into()), "R");
        root.attrs.push(Attr {
            ns: Some(XSI_NS.into()),
            name: "type".into(),
            value: Value::QName(Some("urn:b".into()), "T".into()),
        });
        let mut child = El::new(None, "c");
        child.text = Some("a<b&\"".into());
        root.children.push(child);
        root.children.push(El::new(Some("urn:a".into()), "d"));
        assert_eq!(
            write(&root, &[]),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ns1:R xmlns:ns1=\"urn:a\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:ns2=\"urn:b\" \
             xsi:type=\"ns2:T\">\n  <c>a&lt;b&amp;\"</c>\n  <ns1:d/>\n</ns1:R>\n"
        );
    }
}
