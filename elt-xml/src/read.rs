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

/// The namespace of an element, `None` when it has none. An element the writer puts out of a
/// default namespace (`<b xmlns="">`, an unqualified child of a default-namespaced parent)
/// is in no namespace, though the parser reports the empty string for it.
pub(crate) fn element_namespace<'a>(n: roxmltree::Node<'a, '_>) -> Option<&'a str> {
    n.tag_name().namespace().filter(|ns| !ns.is_empty())
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
        let offset = crate::scan::roxmltree_offset(text, pos.row, pos.col);
        XmlError {
            path: String::new(),
            position: Some(crate::scan::line_column(text, offset)),
            message: format!("not well-formed XML: {e}"),
        }
    })?;
    check_depth(doc.root_element(), limits.max_depth)?;
    Ok(doc)
}

/// The byte-level depth scan before parsing, as an error with the offending tag's position.
fn prescan_depth(text: &str, max_depth: usize) -> Result<(), XmlError> {
    let Some(offset) = crate::scan::deeper_than(text, max_depth) else {
        return Ok(());
    };
    Err(XmlError {
        path: String::new(),
        position: Some(crate::scan::line_column(text, offset)),
        message: format!("elements nested deeper than {max_depth} levels"),
    })
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

pub(crate) fn describe(ns: Option<&str>, local: &str) -> String {
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
    /// For mixed content: the text before each child element, and after the last.
    texts: Vec<String>,
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
            texts: Vec::new(),
        })
    }

    /// Children of a mixed content model (`mixed="true"`): the text around the child elements
    /// is kept, see [`Children::mixed_text`].
    pub fn new_mixed(parent: Node<'a, 'input>) -> Self {
        let mut elements = Vec::new();
        let mut texts = vec![String::new()];
        for child in parent.children() {
            if child.is_element() {
                elements.push(child);
                texts.push(String::new());
            } else if child.is_text()
                && let (Some(t), Some(last)) = (child.text(), texts.last_mut())
            {
                last.push_str(t);
            }
        }
        Self {
            parent,
            elements,
            next: 0,
            texts,
        }
    }

    /// The text of mixed content: entry `k` is the text before the `k`-th child element, the
    /// entry after the last child the text that ends the content; trailing empty entries are
    /// left out. [`Writer::mixed`](crate::Writer::mixed) writes it back in the same places.
    pub fn mixed_text(&mut self) -> Vec<String> {
        let mut texts = std::mem::take(&mut self.texts);
        while texts.last().is_some_and(String::is_empty) {
            texts.pop();
        }
        texts
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
            .is_some_and(|n| n.tag_name().name() == local && element_namespace(n) == ns)
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
                    describe(element_namespace(n), n.tag_name().name())
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

    /// True when the next child can start group `T`.
    pub fn is_next_group<T: XmlChoice>(&self) -> bool {
        self.peek()
            .is_some_and(|n| T::starts_with(element_namespace(n), n.tag_name().name()))
    }

    /// True when the next child matches a wildcard.
    pub fn is_next_wildcard(
        &self,
        constraint: &NamespaceConstraint,
        target_ns: Option<&str>,
    ) -> bool {
        self.peek()
            .is_some_and(|n| constraint.allows(element_namespace(n), target_ns))
    }

    /// Reads the next child as a wildcard (`xs:any`) element; call after
    /// [`Children::is_next_wildcard`].
    pub fn any_element(&mut self) -> Result<AnyElement, XmlError> {
        match self.peek() {
            Some(_) => Ok(AnyElement::from_node(self.take())),
            None => Err(self.expected("an element")),
        }
    }

    /// Reads a required group whose content may be empty (no check of the first element).
    pub fn group<T: XmlChoice>(&mut self) -> Result<T, XmlError> {
        T::read_group(self)
    }

    /// Reads a required choice or nested group.
    pub fn required_group<T: XmlChoice>(&mut self) -> Result<T, XmlError> {
        if !self.is_next_group::<T>() {
            return Err(self.expected(&first_of::<T>()));
        }
        T::read_group(self)
    }

    /// Reads an optional choice or nested group.
    pub fn optional_group<T: XmlChoice>(&mut self) -> Result<Option<T>, XmlError> {
        if self.is_next_group::<T>() {
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
        while self.is_next_group::<T>() && max.is_none_or(|m| out.len() < m) {
            let before = self.next;
            out.push(T::read_group(self)?);
            if self.next == before {
                break; // an emptiable group matched nothing; stop rather than loop
            }
        }
        if out.len() < min {
            return Err(self.expected(&format!("{} (at least {min})", first_of::<T>())));
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
                || !constraint.allows(element_namespace(n), target_ns)
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

    /// Reads the elements of an `xs:all` group: each of `names` at most once, in any order.
    /// Stops at the first child that is not one of `names`.
    pub fn all(
        &mut self,
        names: &[(Option<&str>, &str)],
    ) -> Result<AllSlots<'a, 'input>, XmlError> {
        let mut slots = vec![None; names.len()];
        while let Some(n) = self.peek() {
            let name = (element_namespace(n), n.tag_name().name());
            let Some(i) = names.iter().position(|x| *x == name) else {
                break;
            };
            if slots[i].is_some() {
                return Err(XmlError::at_node(
                    n,
                    format!(
                        "element {} occurs twice; xs:all allows each element once",
                        describe(name.0, name.1)
                    ),
                ));
            }
            slots[i] = Some(self.take());
        }
        Ok(AllSlots {
            parent: self.parent,
            slots,
        })
    }

    /// Fails if any child is left unread.
    pub fn finish(self) -> Result<(), XmlError> {
        match self.peek() {
            None => Ok(()),
            Some(n) => Err(XmlError::at_node(
                n,
                format!(
                    "unexpected element {} (not allowed here by the schema)",
                    describe(element_namespace(n), n.tag_name().name())
                ),
            )),
        }
    }
}

fn one_of(names: &[(Option<&str>, &str)]) -> String {
    let list: Vec<String> = names.iter().map(|(ns, l)| describe(*ns, l)).collect();
    format!("one of the elements {}", list.join(", "))
}

fn first_of<T: XmlChoice>() -> String {
    let mut out = if T::FIRST.is_empty() {
        String::new()
    } else {
        one_of(T::FIRST)
    };
    for (c, _) in T::FIRST_ANY {
        if !out.is_empty() {
            out.push_str(" or ");
        }
        out.push_str(&format!("an element matching xs:any ({c})"));
    }
    if out.is_empty() {
        out.push_str("an element");
    }
    out
}

/// The elements of an `xs:all` group found by [`Children::all`], by position in the group.
#[derive(Debug)]
pub struct AllSlots<'a, 'input> {
    parent: Node<'a, 'input>,
    slots: Vec<Option<Node<'a, 'input>>>,
}

impl AllSlots<'_, '_> {
    /// Reads the required element at position `i`.
    pub fn required<T: XmlContent>(
        &self,
        i: usize,
        ns: Option<&str>,
        local: &str,
    ) -> Result<T, XmlError> {
        match self.slots.get(i).copied().flatten() {
            Some(n) => T::read_content(n),
            None => Err(XmlError::at_node(
                self.parent,
                format!(
                    "missing element {} of the xs:all group",
                    describe(ns, local)
                ),
            )),
        }
    }

    /// Reads the optional element at position `i`.
    pub fn optional<T: XmlContent>(&self, i: usize) -> Result<Option<T>, XmlError> {
        self.slots
            .get(i)
            .copied()
            .flatten()
            .map(T::read_content)
            .transpose()
    }

    /// Whether no element of the group was present.
    pub fn is_empty(&self) -> bool {
        self.slots.iter().all(Option::is_none)
    }
}

/// The attributes of `node` not declared by its type (`declared`, as namespace and local name)
/// that an `xs:anyAttribute` with `constraint` allows; `xsi:` attributes are left out. An
/// undeclared attribute the wildcard does not allow is an error.
pub fn any_attributes(
    node: Node<'_, '_>,
    declared: &[(Option<&str>, &str)],
    constraint: &NamespaceConstraint,
    target_ns: Option<&str>,
) -> Result<Vec<(Option<String>, String, String)>, XmlError> {
    let mut out = Vec::new();
    for a in node.attributes() {
        let name = (a.namespace(), a.name());
        if declared.contains(&name) || name.0 == Some(crate::XSI_NAMESPACE) {
            continue;
        }
        if !constraint.allows(name.0, target_ns) {
            return Err(XmlError::at_node(
                node,
                format!(
                    "attribute {} is not declared and not allowed by xs:anyAttribute ({constraint})",
                    describe(name.0, name.1)
                ),
            ));
        }
        out.push((
            name.0.map(str::to_owned),
            name.1.to_owned(),
            a.value().to_owned(),
        ));
    }
    Ok(out)
}
