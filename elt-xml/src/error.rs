//! Error types: every read error names the element path and, where known, line and column.

use std::fmt;

/// A value that does not fit its XSD type or facets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ValueError {
    /// What was wrong, in words.
    pub message: String,
}

impl ValueError {
    /// A new error with the given message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

/// A value refused by a facet of a restricted simple type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{type_name}: {message}")]
pub struct FacetError {
    /// Name of the XSD simple type whose facet refused the value.
    pub type_name: &'static str,
    /// Which facet refused it and why.
    pub message: String,
}

impl From<FacetError> for ValueError {
    fn from(e: FacetError) -> Self {
        ValueError::new(e.to_string())
    }
}

/// The result of reading or writing XML. Generated code spells its signatures with it.
pub type XmlResult<T> = Result<T, XmlError>;

/// An error while reading or writing XML, with the place it happened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct XmlError {
    /// Element path, e.g. `/Tidredovisning/assistent/personnummer`.
    pub path: String,
    /// 1-based line and column in the input, when reading.
    pub position: Option<(u32, u32)>,
    /// What was wrong.
    pub message: String,
}

impl XmlError {
    /// An error at `path` with no input position (used when writing).
    pub fn at_path(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            position: None,
            message: message.into(),
        }
    }

    /// An error at a node of a parsed document.
    pub fn at_node(node: roxmltree::Node<'_, '_>, message: impl Into<String>) -> Self {
        let text = node.document().input_text();
        Self {
            path: node_path(node),
            position: Some(crate::scan::line_column(text, node.range().start)),
            message: message.into(),
        }
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)?;
        } else {
            write!(f, "{}: {}", self.path, self.message)?;
        }
        if let Some((line, col)) = self.position {
            write!(f, " (line {line}, column {col})")?;
        }
        Ok(())
    }
}

/// The path of element local names from the document root down to `node`.
pub(crate) fn node_path(node: roxmltree::Node<'_, '_>) -> String {
    let mut names: Vec<&str> = node
        .ancestors()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name())
        .collect();
    names.reverse();
    let mut path = String::new();
    for n in names {
        path.push('/');
        path.push_str(n);
    }
    path
}
