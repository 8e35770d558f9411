//! Following a renamed target namespace through the model: every place the model holds a
//! namespace or a qualified name, field by field.
//!
//! Only names are renamed. A value that merely spells the namespace URI (an enumeration value,
//! an attribute default, a facet, documentation, a SOAP action) is data of the contract: it is
//! compared as written, so an unchanged value stays no change and a changed one is reported.

use std::collections::BTreeMap;

use super::model::{
    ComplexDef, Content, Contract, GlobalElement, Group, Operation, Particle, QKey, TypeDef,
    TypeKind, TypeRef,
};

/// One namespace URI replaced by another.
/// Rebuilds `map` with each key and value renamed in place (a renamed key may sort elsewhere).
fn rekey<K: Ord, V>(map: &mut BTreeMap<K, V>, key: impl Fn(&mut K), mut value: impl FnMut(&mut V)) {
    *map = std::mem::take(map)
        .into_iter()
        .map(|(mut k, mut v)| {
            key(&mut k);
            value(&mut v);
            (k, v)
        })
        .collect();
}

#[derive(Clone, Copy)]
struct Rename<'a> {
    from: &'a str,
    to: &'a str,
}

impl Rename<'_> {
    /// A namespace field.
    fn namespace(&self, ns: &mut Option<String>) {
        if ns.as_deref() == Some(self.from) {
            *ns = Some(self.to.to_owned());
        }
    }

    /// A map key that is a namespace URI.
    fn uri(&self, uri: String) -> String {
        if uri == self.from {
            self.to.to_owned()
        } else {
            uri
        }
    }

    /// A qualified name written as text: `{namespace}local`.
    fn key(&self, key: &mut String) {
        if let Some(local) = key
            .strip_prefix('{')
            .and_then(|r| r.strip_prefix(self.from))
            .and_then(|r| r.strip_prefix('}'))
        {
            *key = format!("{{{}}}{local}", self.to);
        }
    }

    /// The keys of a map keyed by qualified names.
    fn qkey(&self, key: &mut QKey) {
        if key.namespace() == Some(self.from) {
            *key = key.in_namespace(Some(self.to));
        }
    }

    fn keys<V>(&self, map: &mut BTreeMap<String, V>, value: impl FnMut(&mut V)) {
        rekey(map, |k| self.key(k), value);
    }

    fn qkeys<V>(&self, map: &mut BTreeMap<QKey, V>, value: impl FnMut(&mut V)) {
        rekey(map, |k| self.qkey(k), value);
    }

    /// A wildcard's namespace constraint: `##any`, `##other`, or a list of URIs and `##local`
    /// / `##targetNamespace`.
    fn constraint(&self, constraint: &mut String) {
        if constraint.split_whitespace().any(|t| t == self.from) {
            *constraint = constraint
                .split_whitespace()
                .map(|t| if t == self.from { self.to } else { t })
                .collect::<Vec<_>>()
                .join(" ");
        }
    }

    fn operation(&self, op: &mut Operation) {
        for body in [&mut op.input, &mut op.output]
            .into_iter()
            .chain(op.faults.values_mut())
            .flatten()
        {
            if body.key().namespace() == Some(self.from) {
                *body = body.in_namespace(Some(self.to));
            }
        }
        op.headers = std::mem::take(&mut op.headers)
            .into_iter()
            .map(|mut h| {
                self.qkey(&mut h);
                h
            })
            .collect();
    }

    fn element(&self, e: &mut GlobalElement) {
        self.namespace(&mut e.namespace);
        self.type_ref(&mut e.type_ref);
    }

    fn type_ref(&self, r: &mut TypeRef) {
        match r {
            TypeRef::Named { key } | TypeRef::Element { key } => self.qkey(key),
            TypeRef::Unresolved { name } => self.key(name),
            TypeRef::Inline { def } => self.type_def(def),
            TypeRef::Builtin { .. } => {}
        }
    }

    fn type_def(&self, t: &mut TypeDef) {
        self.namespace(&mut t.namespace);
        // The variants' keys are qualified names (`{namespace}local`); union positions stay.
        self.keys(&mut t.rust_variants, |_| {});
        match &mut t.kind {
            TypeKind::Complex(c) => self.complex(c),
            TypeKind::Simple(s) => self.type_ref(&mut s.base),
            TypeKind::Union { members } => members.iter_mut().for_each(|m| self.type_ref(m)),
            TypeKind::Abstract { derived } => {
                *derived = std::mem::take(derived)
                    .into_iter()
                    .map(|mut k| {
                        self.qkey(&mut k);
                        k
                    })
                    .collect();
            }
        }
    }

    fn complex(&self, c: &mut ComplexDef) {
        if let Some(derivation) = &mut c.derivation {
            // `extension of {ns}Base` / `restriction of {ns}Base`.
            if let Some((method, base)) = derivation.split_once(" of ") {
                let mut base = base.to_owned();
                self.key(&mut base);
                *derivation = format!("{method} of {base}");
            }
        }
        self.qkeys(&mut c.attributes, |a| {
            self.namespace(&mut a.namespace);
            self.type_ref(&mut a.type_ref);
        });
        if let Some(any) = &mut c.any_attribute {
            self.constraint(any);
        }
        c.derived = std::mem::take(&mut c.derived)
            .into_iter()
            .map(|mut k| {
                self.qkey(&mut k);
                k
            })
            .collect();
        match &mut c.content {
            Content::Empty => {}
            Content::Simple { type_ref, .. } => self.type_ref(type_ref),
            Content::Particles(g) => self.group(g),
        }
    }

    fn group(&self, g: &mut Group) {
        for p in &mut g.particles {
            match p {
                Particle::Element(e) => {
                    self.namespace(&mut e.namespace);
                    self.type_ref(&mut e.type_ref);
                }
                Particle::Group(inner) => self.group(inner),
                Particle::Any(any) => self.constraint(&mut any.namespace),
            }
        }
    }
}

impl Contract {
    /// Rewrites the model as if namespace `from` had been called `to`: namespace fields, the
    /// keys of elements, types and attributes, type references, derivation bases, operation
    /// messages, and wildcard namespace lists. Nothing else changes.
    pub(crate) fn rename_namespace(&mut self, from: &str, to: &str) {
        let r = Rename { from, to };
        self.namespaces = std::mem::take(&mut self.namespaces)
            .into_iter()
            .map(|(k, v)| (r.uri(k), v))
            .collect();
        self.wsdls = std::mem::take(&mut self.wsdls)
            .into_iter()
            .map(|(k, v)| (r.uri(k), v))
            .collect();
        self.operations.values_mut().for_each(|op| r.operation(op));
        r.qkeys(&mut self.elements, |e| r.element(e));
        r.qkeys(&mut self.types, |t| r.type_def(t));
        r.qkeys(&mut self.declared.elements, |_| {});
        r.qkeys(&mut self.declared.types, |_| {});
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_rename_only_their_namespace_part() {
        let r = Rename {
            from: "urn:a",
            to: "urn:b",
        };
        for (before, after) in [
            ("{urn:a}T", "{urn:b}T"),
            ("{urn:ab}T", "{urn:ab}T"),
            ("urn:a", "urn:a"),
            ("T", "T"),
        ] {
            let mut k = before.to_owned();
            r.key(&mut k);
            assert_eq!(k, after, "{before}");
        }
        let mut c = "##local urn:a urn:c".to_owned();
        r.constraint(&mut c);
        assert_eq!(c, "##local urn:b urn:c");
        let mut c = "urn:ab".to_owned();
        r.constraint(&mut c);
        assert_eq!(c, "urn:ab");
    }
}
