//! What `xs:redefine` and `xs:override` leave behind in the engine's model.
//!
//! The engine interprets a redefining schema by copying into it every component of the
//! redefined schema that depends on a redefined one (an element whose type is redefined, the
//! types using that element, ...), and keeps the originals in the redefined schema as well. A
//! contract then had each such element twice: once with the redefined type, and once more, as
//! `NAME_ELEMENT`, with the type as it was before the redefinition, which no document valid
//! against the contract can match (and a client stub could pick either). In the schema the
//! contract means there is one component of each name: the redefined one.
//!
//! [`drop_shadowed`] removes the originals that have a copy in the redefining schema and points
//! every reference to them at the copy. The one original kept is the type a redefinition
//! derives from (`<xs:restriction base="T">` inside the redefine of `T`), which is its base.

use std::collections::{BTreeMap, BTreeSet};

use xsd_parser::models::meta::{AttributeMetaVariant, ElementMetaVariant, MetaTypeVariant};
use xsd_parser::models::schema::{Dependency, SchemaId, Schemas};
use xsd_parser::{MetaTypes, TypeIdent};

/// (redefining schema, redefined schema) for every `xs:redefine` and `xs:override`.
pub(crate) type Redefinitions = BTreeSet<(SchemaId, SchemaId)>;

/// The redefinitions among the parsed schemas.
pub(crate) fn redefinitions(schemas: &Schemas) -> Redefinitions {
    let mut out = BTreeSet::new();
    for (id, info) in schemas.schemas() {
        for dependency in info.dependencies().values() {
            if let Dependency::Redefine(o) | Dependency::Override(o) = dependency {
                out.insert((*id, *o));
            }
        }
    }
    out
}

/// Removes the components a redefinition shadows, as the module documentation says.
pub(crate) fn drop_shadowed(types: &mut MetaTypes, redefinitions: &Redefinitions) {
    let mut shadowed: BTreeMap<TypeIdent, TypeIdent> = BTreeMap::new();
    for (redefining, redefined) in redefinitions {
        for original in types
            .items
            .keys()
            .filter(|i| i.schema == *redefined && i.name.is_named())
        {
            let copy = original.clone().with_schema(*redefining);
            if types.items.contains_key(&copy) {
                shadowed.insert(original.clone(), copy);
            }
        }
    }
    // The type a redefinition derives from stays: it is that redefinition's base.
    shadowed.retain(|original, copy| {
        types
            .items
            .get(copy)
            .and_then(|t| base_of(&t.variant))
            .is_none_or(|base| base != original)
    });
    if shadowed.is_empty() {
        return;
    }
    for original in shadowed.keys() {
        types.items.remove(original);
    }
    // A redefinition of a redefinition: follow the copies to the last one.
    let last = |i: &TypeIdent| {
        let mut at = i;
        for _ in 0..=shadowed.len() {
            match shadowed.get(at) {
                Some(next) => at = next,
                None => break,
            }
        }
        at.clone()
    };
    for t in types.items.values_mut() {
        references_mut(&mut t.variant, &mut |i| {
            if shadowed.contains_key(i) {
                *i = last(i);
            }
        });
    }
}

/// The base a type derives from, when it has one.
fn base_of(v: &MetaTypeVariant) -> Option<&TypeIdent> {
    match v {
        MetaTypeVariant::ComplexType(c) => c.base.as_ident(),
        MetaTypeVariant::SimpleType(s) => Some(&s.base),
        MetaTypeVariant::Enumeration(e) => e.base.as_ident(),
        MetaTypeVariant::Union(u) => u.base.as_ident(),
        _ => None,
    }
}

/// Calls `f` on every type a variant refers to.
fn references_mut(v: &mut MetaTypeVariant, f: &mut dyn FnMut(&mut TypeIdent)) {
    let base = |b: &mut xsd_parser::models::meta::Base, f: &mut dyn FnMut(&mut TypeIdent)| {
        use xsd_parser::models::meta::Base;
        match b {
            Base::Extension(i) | Base::Restriction(i) => f(i),
            Base::None => {}
        }
    };
    match v {
        MetaTypeVariant::ComplexType(c) => {
            base(&mut c.base, f);
            if let Some(content) = &mut c.content {
                f(content);
            }
            for a in c.attributes.iter_mut() {
                if let AttributeMetaVariant::Type(t) = &mut a.variant {
                    f(t);
                }
            }
        }
        MetaTypeVariant::All(g) | MetaTypeVariant::Choice(g) | MetaTypeVariant::Sequence(g) => {
            for e in &mut g.elements.0 {
                if let ElementMetaVariant::Type { type_, .. } = &mut e.variant {
                    f(type_);
                }
            }
        }
        MetaTypeVariant::SimpleType(s) => f(&mut s.base),
        MetaTypeVariant::Enumeration(e) => {
            base(&mut e.base, f);
            for variant in &mut e.variants.0 {
                if let Some(t) = &mut variant.type_ {
                    f(t);
                }
            }
        }
        MetaTypeVariant::Union(u) => {
            base(&mut u.base, f);
            for member in &mut u.types.0 {
                f(&mut member.type_);
            }
        }
        MetaTypeVariant::Reference(r) => f(&mut r.type_),
        MetaTypeVariant::Dynamic(d) => {
            if let Some(t) = &mut d.type_ {
                f(t);
            }
            for derived in &mut d.derived_types {
                f(&mut derived.type_);
            }
        }
        MetaTypeVariant::BuildIn(_) | MetaTypeVariant::Custom(_) => {}
    }
}
