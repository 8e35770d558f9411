//! `xs:list`: a whitespace-separated list of simple values.

use std::borrow::Cow;
use std::ops::{Deref, DerefMut};

use serde::{Deserialize, Serialize};

use crate::error::ValueError;
use crate::traits::XmlValue;

/// A value of an `xs:list` type: items of type `T`, written separated by single spaces.
///
/// The `length`, `minLength` and `maxLength` facets of a restricted list count items.
/// Items are split at XML whitespace when read, so an item's own lexical form must not contain
/// whitespace (XSD lists cannot hold such items).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct List<T>(pub Vec<T>);

impl<T> List<T> {
    /// A list of the given items.
    pub fn new(items: Vec<T>) -> Self {
        Self(items)
    }

    /// The items, taken out.
    pub fn into_inner(self) -> Vec<T> {
        self.0
    }
}

impl<T> From<Vec<T>> for List<T> {
    fn from(items: Vec<T>) -> Self {
        Self(items)
    }
}

impl<T> FromIterator<T> for List<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl<T> Deref for List<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T> DerefMut for List<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.0
    }
}

impl<T: XmlValue> XmlValue for List<T> {
    fn to_xml_text(&self) -> Cow<'_, str> {
        let items: Vec<Cow<'_, str>> = self.0.iter().map(XmlValue::to_xml_text).collect();
        Cow::Owned(items.join(" "))
    }

    fn from_xml_text(text: &str) -> Result<Self, ValueError> {
        text.split([' ', '\t', '\n', '\r'])
            .filter(|s| !s.is_empty())
            .enumerate()
            .map(|(i, item)| {
                T::from_xml_text(item)
                    .map_err(|e| ValueError::new(format!("list item {}: {}", i + 1, e.message)))
            })
            .collect()
    }

    fn xml_length(&self) -> Option<usize> {
        Some(self.0.len())
    }
}
