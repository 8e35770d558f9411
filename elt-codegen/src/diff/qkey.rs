//! [`QKey`]: a qualified name as the diff model keys its global components; [`BodyRef`]: what
//! a message part names.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A qualified name: namespace URI (none for no namespace) and local name. It is written
/// `{namespace}local` (or `local` alone), in reports and JSON, and ordered as that text, so a
/// report lists its subjects in the same order whichever way the keys are built.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct QKey {
    namespace: Option<String>,
    local: String,
}

impl QKey {
    /// The key of `local` in `namespace` (an empty namespace is none).
    pub fn new(namespace: Option<&str>, local: &str) -> Self {
        Self {
            namespace: namespace.filter(|ns| !ns.is_empty()).map(str::to_owned),
            local: local.to_owned(),
        }
    }

    /// Reads `{namespace}local` or `local`.
    pub fn parse(text: &str) -> Self {
        match text.strip_prefix('{').and_then(|r| r.split_once('}')) {
            Some((ns, local)) => Self::new(Some(ns), local),
            None => Self::new(None, text),
        }
    }

    /// The namespace URI, if any.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The local name.
    pub fn local(&self) -> &str {
        &self.local
    }

    /// The same local name in namespace `namespace`.
    pub fn in_namespace(&self, namespace: Option<&str>) -> Self {
        Self::new(namespace, &self.local)
    }

    /// The bytes of the written form, without building it.
    fn text_bytes(&self) -> impl Iterator<Item = u8> + '_ {
        let ns = self.namespace.as_deref();
        let open = ns.map(|_| b'{');
        let close = ns.map(|_| b'}');
        open.into_iter()
            .chain(ns.unwrap_or_default().bytes())
            .chain(close)
            .chain(self.local.bytes())
    }
}

impl From<&str> for QKey {
    /// Reads `{namespace}local` or `local` (see [`QKey::parse`]).
    fn from(text: &str) -> Self {
        Self::parse(text)
    }
}

impl fmt::Display for QKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{{{ns}}}{}", self.local),
            None => f.write_str(&self.local),
        }
    }
}

impl fmt::Debug for QKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_string())
    }
}

impl Ord for QKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.text_bytes().cmp(other.text_bytes())
    }
}

impl PartialOrd for QKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for QKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for QKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| Self::parse(&s))
    }
}

/// What a message part carried in the SOAP body (or a fault) names: a global element (document
/// style, or an rpc part declared by element) or a type (an rpc part declared by type). It is
/// written `{namespace}local` for an element and `type:{namespace}local` for a type.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BodyRef {
    /// A global element.
    Element(QKey),
    /// A type (an rpc part declared with `type=`).
    Type(QKey),
}

impl BodyRef {
    /// Reads the written form (see [`BodyRef`]).
    pub fn parse(text: &str) -> Self {
        match text.strip_prefix("type:") {
            Some(rest) => Self::Type(QKey::parse(rest)),
            None => Self::Element(QKey::parse(text)),
        }
    }

    /// The qualified name of the element or type.
    pub fn key(&self) -> &QKey {
        match self {
            Self::Element(k) | Self::Type(k) => k,
        }
    }

    /// The element, when the part names one.
    pub fn element(&self) -> Option<&QKey> {
        match self {
            Self::Element(k) => Some(k),
            Self::Type(_) => None,
        }
    }

    /// The same reference with its qualified name in namespace `namespace`.
    pub fn in_namespace(&self, namespace: Option<&str>) -> Self {
        match self {
            Self::Element(k) => Self::Element(k.in_namespace(namespace)),
            Self::Type(k) => Self::Type(k.in_namespace(namespace)),
        }
    }
}

impl From<&str> for BodyRef {
    /// Reads the written form (see [`BodyRef::parse`]).
    fn from(text: &str) -> Self {
        Self::parse(text)
    }
}

impl fmt::Display for BodyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Element(k) => write!(f, "{k}"),
            Self::Type(k) => write!(f, "type:{k}"),
        }
    }
}

impl fmt::Debug for BodyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_string())
    }
}

impl Serialize for BodyRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for BodyRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| Self::parse(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_read_and_ordered_as_text() {
        let a = QKey::new(Some("urn:a"), "X");
        assert_eq!(a.to_string(), "{urn:a}X");
        assert_eq!(QKey::parse("{urn:a}X"), a);
        assert_eq!(QKey::new(None, "X").to_string(), "X");
        assert_eq!(QKey::new(Some(""), "X"), QKey::new(None, "X"));
        assert_eq!(a.local(), "X");
        assert_eq!(a.namespace(), Some("urn:a"));
        // The order of the text: `{urn:ab}A` < `{urn:a}Z` because `b` < `}`.
        let mut keys = [
            QKey::new(Some("urn:a"), "Z"),
            QKey::new(Some("urn:ab"), "A"),
            QKey::new(None, "y"),
        ];
        keys.sort();
        let text: Vec<String> = keys.iter().map(ToString::to_string).collect();
        let mut sorted = text.clone();
        sorted.sort();
        assert_eq!(text, sorted);
        assert_eq!(serde_json::to_string(&a).unwrap(), r#""{urn:a}X""#);
        assert_eq!(serde_json::from_str::<QKey>(r#""{urn:a}X""#).unwrap(), a);
    }

    #[test]
    fn body_refs_are_written_and_read_with_their_kind() {
        let e = BodyRef::Element(QKey::new(Some("urn:a"), "Send"));
        let t = BodyRef::Type(QKey::new(Some("urn:a"), "Order"));
        assert_eq!(e.to_string(), "{urn:a}Send");
        assert_eq!(t.to_string(), "type:{urn:a}Order");
        assert_eq!(BodyRef::parse("type:{urn:a}Order"), t);
        assert_eq!(BodyRef::parse("{urn:a}Send"), e);
        assert_eq!(t.element(), None);
        assert_eq!(t.key().local(), "Order");
        assert_eq!(
            t.in_namespace(Some("urn:b")).to_string(),
            "type:{urn:b}Order"
        );
        assert_eq!(serde_json::to_string(&t).unwrap(), r#""type:{urn:a}Order""#);
        assert_eq!(
            serde_json::from_str::<BodyRef>(r#""{urn:a}Send""#).unwrap(),
            e
        );
    }
}
