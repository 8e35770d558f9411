//! `nillable="true"`: an element that may carry `xsi:nil="true"` in place of its content.

use serde::{Deserialize, Serialize};

use crate::error::XmlError;
use crate::traits::XmlContent;
use crate::write::Writer;

/// The content of a nillable element: a value, or nil (`xsi:nil="true"`, no content).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Nillable<T> {
    /// `xsi:nil="true"`: the element is present and explicitly empty.
    Nil,
    /// The element's content.
    Value(T),
}

impl<T> Nillable<T> {
    /// The value, `None` when nil.
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Self::Nil => None,
            Self::Value(v) => Some(v),
        }
    }

    /// The value taken out, `None` when nil.
    pub fn into_option(self) -> Option<T> {
        match self {
            Self::Nil => None,
            Self::Value(v) => Some(v),
        }
    }

    /// True for [`Nillable::Nil`].
    pub fn is_nil(&self) -> bool {
        matches!(self, Self::Nil)
    }
}

impl<T> From<T> for Nillable<T> {
    fn from(v: T) -> Self {
        Self::Value(v)
    }
}

impl<T> From<Option<T>> for Nillable<T> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Self::Nil, Self::Value)
    }
}

/// Whether `node` carries `xsi:nil` true; a malformed value is an error.
pub fn is_nil(node: roxmltree::Node<'_, '_>) -> Result<bool, XmlError> {
    match node.attribute((crate::XSI_NAMESPACE, "nil")) {
        None => Ok(false),
        Some(v) => match v.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            other => Err(XmlError::at_node(
                node,
                format!("xsi:nil={other:?} is not a boolean"),
            )),
        },
    }
}

impl<T: XmlContent> XmlContent for Nillable<T> {
    fn write_content(&self, w: &mut Writer) -> Result<(), XmlError> {
        match self {
            Self::Nil => {
                w.attribute(Some(crate::XSI_NAMESPACE), "nil", "true");
                Ok(())
            }
            Self::Value(v) => v.write_content(w),
        }
    }

    fn read_content(node: roxmltree::Node<'_, '_>) -> Result<Self, XmlError> {
        if !is_nil(node)? {
            return T::read_content(node).map(Self::Value);
        }
        for child in node.children() {
            if child.is_element() || child.text().is_some_and(|t| !t.is_empty()) && child.is_text()
            {
                return Err(XmlError::at_node(
                    child,
                    "an element with xsi:nil=\"true\" must be empty",
                ));
            }
        }
        if let Some(a) = node
            .attributes()
            .find(|a| a.namespace() != Some(crate::XSI_NAMESPACE))
        {
            return Err(XmlError::at_node(
                node,
                format!(
                    "attribute {} on an element with xsi:nil=\"true\" is not kept by this type; \
                     refused rather than dropped",
                    a.name()
                ),
            ));
        }
        Ok(Self::Nil)
    }
}
