//! Reading generated types from a parsed document, child by child in schema order.

use roxmltree::{Document, Node, ParsingOptions};

use crate::any::{AnyElement, NamespaceConstraint};
use crate::error::XmlError;
use crate::traits::{XmlChoice, XmlContent, XmlValue};

/// Caps that keep a hostile document from exhausting memory.
#[derive(Debug, Clone, Copy)]
pub struct ParseLimits {
    /// Largest input accepted, in bytes.
    pub max_bytes: usize,
    /// Most nodes (elements, text, attributes...) accepted.
    pub max_nodes: u32,
    /// Deepest element nesting accepted.
    pub max_depth: usize,
}

impl Default for ParseLimits {
    fn default() -> Self {
        Self {
            max_bytes: 64 * 1024 * 1024,
            max_nodes: 4_000_000,
            max_depth: 256,
        }
    }
}

/// Parses `text` with DTDs refused (no entity expansion, nothing fetched) and the given limits.
pub fn parse_document(text: &str, limits: ParseLimits) -> Result<Document<'_>, XmlError> {
    if text.len() > limits.max_bytes {
        return Err(XmlError::at_path(
            "",
            format!(
                "document of {} bytes exceeds the limit of {} bytes",
                text.len(),
                limits.max_bytes
            ),
        ));
    }
    // roxmltree recurses per nesting level; refuse deep input before it can overflow the stack.
    prescan_depth(text, limits.max_depth)?;
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: limits.max_nodes,
    };
    let doc = Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        XmlError {
            path: String::new(),
            position: Some((pos.row, pos.col)),
            message: format!("not well-formed XML: {e}"),
        }
    })?;
    check_depth(doc.root_element(), limits.max_depth)?;
    Ok(doc)
}

/// A byte-level scan for element nesting deeper than `max_depth`, before parsing.
fn prescan_depth(text: &str, max_depth: usize) -> Result<(), XmlError> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut depth = 0usize;
    let find = |from: usize, pat: &[u8]| {
        b[from..]
            .windows(pat.len())
            .position(|w| w == pat)
            .map(|p| from + p + pat.len())
    };
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &b[i..];
        let next = if rest.starts_with(b"<!--") {
            find(i, b"-->")
        } else if rest.starts_with(b"<![CDATA[") {
            find(i, b"]]>")
        } else if rest.starts_with(b"<?") {
            find(i, b"?>")
        } else if rest.starts_with(b"<!") || rest.starts_with(b"</") {
            if rest.starts_with(b"</") {
                depth = depth.saturating_sub(1);
            }
            find(i, b">")
        } else {
            // A start tag: find its end outside quoted attribute values.
            let mut j = i + 1;
            let mut quote = None;
            while j < b.len() {
                match (quote, b[j]) {
                    (None, b'"' | b'\'') => quote = Some(b[j]),
                    (Some(q), c) if c == q => quote = None,
                    (None, b'>') => break,
                    _ => {}
                }
                j += 1;
            }
            if j < b.len() && b[j - 1] != b'/' {
                depth += 1;
                if depth > max_depth {
                    let line = 1 + b[..i].iter().filter(|&&c| c == b'\n').count();
                    return Err(XmlError {
                        path: String::new(),
                        position: Some((line as u32, 1)),
                        message: format!("elements nested deeper than {max_depth} levels"),
                    });
                }
            }
            Some(j + 1)
        };
        match next {
            Some(n) => i = n,
            None => break, // unterminated: the parser reports it with a position
        }
    }
    Ok(())
}

fn check_depth(root: Node<'_, '_>, max_depth: usize) -> Result<(), XmlError> {
    // Iterative walk: a deep document must not overflow our own stack either.
    let mut stack = vec![(root, 1usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > max_depth {
            return Err(XmlError::at_node(
                node,
                format!("elements nested deeper than {max_depth} levels"),
            ));
        }
        for child in node.children().filter(Node::is_element) {
            stack.push((child, depth + 1));
        }
    }
    Ok(())
}

/// The text of a simple-content element; child elements are an error.
pub fn text_content(node: Node<'_, '_>) -> Result<String, XmlError> {
    let mut text = String::new();
    for child in node.children() {
        if child.is_element() {
            return Err(XmlError::at_node(
                child,
                "unexpected child element in simple content",
            ));
        }
        if let Some(t) = child.text() {
            text.push_str(t);
        }
    }
    Ok(text)
}

/// Reads an attribute; `Ok(None)` when absent.
pub fn attribute<T: XmlValue>(
    node: Node<'_, '_>,
    ns: Option<&str>,
    local: &str,
) -> Result<Option<T>, XmlError> {
    let found = node
        .attributes()
        .find(|a| a.name() == local && a.namespace() == ns);
    match found {
        None => Ok(None),
        Some(a) => T::from_xml_text(a.value())
            .map(Some)
            .map_err(|e| XmlError::at_node(node, format!("attribute {local}: {}", e.message))),
    }
}

fn describe(ns: Option<&str>, local: &str) -> String {
    match ns {
        Some(ns) => format!("{{{ns}}}{local}"),
        None => local.to_owned(),
    }
}

/// A cursor over an element's child elements, consumed in schema order.
#[derive(Debug)]
pub struct Children<'a, 'input> {
    parent: Node<'a, 'input>,
    elements: Vec<Node<'a, 'input>>,
    next: usize,
}

impl<'a, 'input> Children<'a, 'input> {
    /// Children of an element-only content model; non-whitespace text is an error.
    pub fn new(parent: Node<'a, 'input>) -> Result<Self, XmlError> {
        let mut elements = Vec::new();
        for child in parent.children() {
            if child.is_element() {
                elements.push(child);
            } else if let Some(t) = child.text()
                && child.is_text()
                && !t.trim().is_empty()
            {
                return Err(XmlError::at_node(
                    child,
                    format!("unexpected text {:?} in element-only content", t.trim()),
                ));
            }
        }
        Ok(Self {
            parent,
            elements,
            next: 0,
        })
    }

    /// The element whose children these are.
    pub fn parent(&self) -> Node<'a, 'input> {
        self.parent
    }

    fn peek(&self) -> Option<Node<'a, 'input>> {
        self.elements.get(self.next).copied()
    }

    /// True when the next child is the element `{ns}local`.
    pub fn is_next(&self, ns: Option<&str>, local: &str) -> bool {
        self.peek()
            .is_some_and(|n| n.tag_name().name() == local && n.tag_name().namespace() == ns)
    }

    /// True when the next child is one of `names`.
    pub fn is_next_any_of(&self, names: &[(Option<&str>, &str)]) -> bool {
        names.iter().any(|(ns, l)| self.is_next(*ns, l))
    }

    /// An error saying what was expected at the cursor and what was found.
    pub fn expected(&self, what: &str) -> XmlError {
        match self.peek() {
            Some(n) => XmlError::at_node(
                n,
                format!(
                    "expected {what}, found element {}",
                    describe(n.tag_name().namespace(), n.tag_name().name())
                ),
            ),
            None => XmlError::at_node(
                self.parent,
                format!("expected {what}, found the end of the element"),
            ),
        }
    }

    fn take(&mut self) -> Node<'a, 'input> {
        let n = self.elements[self.next];
        self.next += 1;
        n
    }

    /// Reads a required element.
    pub fn required<T: XmlContent>(
        &mut self,
        ns: Option<&str>,
        local: &str,
    ) -> Result<T, XmlError> {
        if !self.is_next(ns, local) {
            return Err(self.expected(&format!("element {}", describe(ns, local))));
        }
        T::read_content(self.take())
    }

    /// Reads an optional element.
    pub fn optional<T: XmlContent>(
        &mut self,
        ns: Option<&str>,
        local: &str,
    ) -> Result<Option<T>, XmlError> {
        if self.is_next(ns, local) {
            T::read_content(self.take()).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Reads a repeated element, checking its occurrence bounds.
    pub fn repeated<T: XmlContent>(
        &mut self,
        ns: Option<&str>,
        local: &str,
        min: usize,
        max: Option<usize>,
    ) -> Result<Vec<T>, XmlError> {
        let mut out = Vec::new();
        while self.is_next(ns, local) && max.is_none_or(|m| out.len() < m) {
            out.push(T::read_content(self.take())?);
        }
        if out.len() < min {
            return Err(self.expected(&format!(
                "element {} (at least {min}, found {})",
                describe(ns, local),
                out.len()
            )));
        }
        Ok(out)
    }

    /// Reads a required choice or nested group.
    pub fn required_group<T: XmlChoice>(&mut self) -> Result<T, XmlError> {
        if !self.is_next_any_of(T::FIRST) {
            return Err(self.expected(&one_of(T::FIRST)));
        }
        T::read_group(self)
    }

    /// Reads an optional choice or nested group.
    pub fn optional_group<T: XmlChoice>(&mut self) -> Result<Option<T>, XmlError> {
        if self.is_next_any_of(T::FIRST) {
            T::read_group(self).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Reads a repeated choice or nested group, checking its occurrence bounds.
    pub fn repeated_group<T: XmlChoice>(
        &mut self,
        min: usize,
        max: Option<usize>,
    ) -> Result<Vec<T>, XmlError> {
        let mut out = Vec::new();
        while self.is_next_any_of(T::FIRST) && max.is_none_or(|m| out.len() < m) {
            let before = self.next;
            out.push(T::read_group(self)?);
            if self.next == before {
                break; // an emptiable group matched nothing; stop rather than loop
            }
        }
        if out.len() < min {
            return Err(self.expected(&format!("{} (at least {min})", one_of(T::FIRST))));
        }
        Ok(out)
    }

    /// Reads `xs:any` elements allowed by `constraint`; `target_ns` is the schema's namespace.
    pub fn any(
        &mut self,
        constraint: &NamespaceConstraint,
        target_ns: Option<&str>,
        min: usize,
        max: Option<usize>,
    ) -> Result<Vec<AnyElement>, XmlError> {
        let mut out = Vec::new();
        while let Some(n) = self.peek() {
            if max.is_some_and(|m| out.len() >= m)
                || !constraint.allows(n.tag_name().namespace(), target_ns)
            {
                break;
            }
            out.push(AnyElement::from_node(self.take()));
        }
        if out.len() < min {
            return Err(self.expected(&format!(
                "at least {min} element(s) matching xs:any ({constraint})"
            )));
        }
        Ok(out)
    }

    /// Fails if any child is left unread.
    pub fn finish(self) -> Result<(), XmlError> {
        match self.peek() {
            None => Ok(()),
            Some(n) => Err(XmlError::at_node(
                n,
                format!(
                    "unexpected element {} (not allowed here by the schema)",
                    describe(n.tag_name().namespace(), n.tag_name().name())
                ),
            )),
        }
    }
}

fn one_of(names: &[(Option<&str>, &str)]) -> String {
    let list: Vec<String> = names.iter().map(|(ns, l)| describe(*ns, l)).collect();
    format!("one of the elements {}", list.join(", "))
}
