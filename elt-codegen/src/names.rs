//! Rust names for XML names: modules from namespace URIs, types, fields and variants, with
//! keywords escaped and collisions resolved deterministically.

use std::collections::BTreeSet;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

fn sanitize(raw: &str) -> String {
    raw.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn fix_start(mut s: String, prefix: &str) -> String {
    if s.is_empty() {
        s = prefix.to_owned();
    } else if s.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        s = format!("{prefix}{s}");
    }
    s
}

/// A Rust type name (UpperCamelCase) for an XML name.
pub fn type_name(xml: &str) -> String {
    let s = fix_start(sanitize(xml).to_upper_camel_case(), "T");
    if s == "Self" { "Self_".into() } else { s }
}

/// A Rust field or module name (snake_case), keywords suffixed with `_`.
pub fn field_name(xml: &str) -> String {
    let s = fix_start(sanitize(xml).to_snake_case(), "f_");
    if KEYWORDS.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// A Rust constant name (SHOUTY_SNAKE_CASE).
pub fn const_name(xml: &str) -> String {
    fix_start(sanitize(xml).to_shouty_snake_case(), "C_")
}

/// An enum variant name for a lexical value.
pub fn variant_name(value: &str) -> String {
    if value.is_empty() {
        return "Empty".into();
    }
    let s = sanitize(value).to_upper_camel_case();
    let s = if s.is_empty() {
        // Values made only of punctuation: spell their code points.
        value.chars().map(|c| format!("U{:X}", c as u32)).collect()
    } else {
        s
    };
    fix_start(s, "V")
}

/// A module name for a namespace URI: its last meaningful segment, with a trailing version
/// segment kept (`.../tidredovisning/1` → `tidredovisning_1`).
pub fn module_name(namespace: Option<&str>) -> String {
    let Some(ns) = namespace else {
        return "no_namespace".into();
    };
    let body = ns
        .trim_start_matches("urn:")
        .split("://")
        .last()
        .unwrap_or(ns)
        .trim_end_matches(['/', '#']);
    let segments: Vec<&str> = body
        .split(['/', ':', '#'])
        .filter(|s| !s.is_empty())
        .collect();
    let is_version = |s: &str| {
        let t = s.trim_start_matches(['v', 'V']);
        !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '_')
    };
    let mut picked: Vec<&str> = Vec::new();
    for seg in segments.iter().rev() {
        picked.push(seg);
        if !is_version(seg) || picked.len() >= 3 {
            break;
        }
    }
    picked.reverse();
    // A host name alone (`www.w3.org`) makes a poor module name; the whole URI is better then.
    let joined = picked.join("_").replace('.', "_");
    let name = field_name(&joined);
    if name.is_empty() { "ns".into() } else { name }
}

/// Hands out names unique within one scope, in the order asked.
#[derive(Debug, Clone, Default)]
pub struct NameSet {
    used: BTreeSet<String>,
}

impl NameSet {
    /// A scope that already holds `reserved`.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            used: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// `base` if free, else `base` + `suffix`, else numbered.
    pub fn claim(&mut self, base: &str, suffix: &str) -> String {
        if self.used.insert(base.to_owned()) {
            return base.to_owned();
        }
        let with_suffix = format!("{base}{suffix}");
        if !suffix.is_empty() && self.used.insert(with_suffix.clone()) {
            return with_suffix;
        }
        (2..)
            .map(|i| format!("{with_suffix}{i}"))
            .find(|n| self.used.insert(n.clone()))
            .expect("an unused name exists")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_from_namespaces() {
        assert_eq!(
            module_name(Some(
                "http://schema.forsakringskassan.se/integration/isassistansersattning/tidredovisning/1"
            )),
            "tidredovisning_1"
        );
        assert_eq!(
            module_name(Some("urn:shs:emottagning:SkickaTidredovisning:1")),
            "skicka_tidredovisning_1"
        );
        assert_eq!(
            module_name(Some("http://www.w3.org/2005/05/xmlmime")),
            "xmlmime"
        );
        assert_eq!(module_name(None), "no_namespace");
    }

    #[test]
    fn names_are_valid_identifiers() {
        assert_eq!(field_name("tx-id"), "tx_id");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(type_name("3dThing"), "T3dThing");
        assert_eq!(variant_name("true"), "True");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("+"), "U2B");
        let mut set = NameSet::default();
        assert_eq!(set.claim("Foo", "Type"), "Foo");
        assert_eq!(set.claim("Foo", "Type"), "FooType");
        assert_eq!(set.claim("Foo", "Type"), "FooType2");
    }
}
