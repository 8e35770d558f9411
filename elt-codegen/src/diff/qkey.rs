//! [`QKey`]: a qualified name as the diff model keys its global components.

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
}
