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
use xsd_parser::models::schema::xs::{GroupType, GroupTypeContent, RedefineContent, SchemaContent};
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
    let bases: BTreeSet<TypeIdent> = replaced(types).into_iter().cloned().collect();
    shadowed.retain(|original, _| !bases.contains(original));
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

/// The types a redefinition replaced and derives from: a type of the same namespace, kind and
/// name has each as its base. The contract's type of that name is the replacing one.
pub(crate) fn replaced(types: &MetaTypes) -> BTreeSet<&TypeIdent> {
    types
        .items
        .iter()
        .filter_map(|(j, t)| {
            base_of(&t.variant)
                .filter(|b| *b != j && b.ns == j.ns && b.name == j.name && b.type_ == j.type_)
        })
        .collect()
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

/// Inside `xs:redefine`, a group that refers to itself (`<xs:group ref="G"/>` in the new `G`,
/// the usual way to extend a group) means the group it replaces. The engine refused such a
/// group ("Type has already been defined"), so the reference is replaced, before the engine
/// reads the schemas, by the replaced group's own model group, with the reference's
/// occurrence.
pub(crate) fn expand_self_referencing_groups(schemas: &mut Schemas) {
    let ids: Vec<SchemaId> = schemas.schemas().map(|(id, _)| *id).collect();
    for id in ids {
        let Some(info) = schemas.get_schema(&id) else {
            continue;
        };
        let ns = schemas
            .get_namespace_info(&info.namespace_id())
            .and_then(|n| n.namespace.clone());
        // (index of the redefine in the schema's content, the group's name, its replaced model group)
        let mut plans: Vec<(usize, String, GroupTypeContent)> = Vec::new();
        for (at, c) in info.schema.content.iter().enumerate() {
            let SchemaContent::Redefine(r) = c else {
                continue;
            };
            let Some(Dependency::Redefine(original)) = info.dependencies().get(&r.schema_location)
            else {
                continue;
            };
            for rc in &r.content {
                let RedefineContent::Group(g) = rc else {
                    continue;
                };
                let Some(name) = &g.name else { continue };
                let replaced = schemas.get_schema(original).and_then(|o| {
                    o.schema.content.iter().find_map(|oc| match oc {
                        SchemaContent::Group(og) if og.name.as_ref() == Some(name) => {
                            og.content.iter().find(|x| {
                                matches!(
                                    x,
                                    GroupTypeContent::Sequence(_)
                                        | GroupTypeContent::Choice(_)
                                        | GroupTypeContent::All(_)
                                )
                            })
                        }
                        _ => None,
                    })
                });
                if let Some(replaced) = replaced {
                    plans.push((at, name.clone(), replaced.clone()));
                }
            }
        }
        if plans.is_empty() {
            continue;
        }
        let Some(info) = schemas.get_schema_mut(&id) else {
            continue;
        };
        for (at, name, replaced) in plans {
            let Some(SchemaContent::Redefine(r)) = info.schema.content.get_mut(at) else {
                continue;
            };
            for rc in &mut r.content {
                if let RedefineContent::Group(g) = rc
                    && g.name.as_ref() == Some(&name)
                {
                    replace_self_reference(&mut g.content, &ns, &name, &replaced, 0);
                }
            }
        }
    }
}

/// Replaces, in `content`, a reference to the group `{ns}name` by `replaced`.
fn replace_self_reference(
    content: &mut [GroupTypeContent],
    ns: &Option<xsd_parser::config::Namespace>,
    name: &str,
    replaced: &GroupTypeContent,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    for c in content {
        match c {
            GroupTypeContent::Group(reference)
                if reference.ref_.as_ref().is_some_and(|q| {
                    q.local_name() == name.as_bytes() && q.namespace() == ns.as_ref()
                }) =>
            {
                let (min, max) = (reference.min_occurs, reference.max_occurs);
                let mut inline = replaced.clone();
                if let GroupTypeContent::Sequence(g)
                | GroupTypeContent::Choice(g)
                | GroupTypeContent::All(g) = &mut inline
                {
                    set_occurs(g, min, max);
                }
                *c = inline;
            }
            GroupTypeContent::Sequence(g)
            | GroupTypeContent::Choice(g)
            | GroupTypeContent::All(g) => {
                replace_self_reference(&mut g.content, ns, name, replaced, depth + 1);
            }
            _ => {}
        }
    }
}

/// The occurrence of an inlined model group: the reference's, times the group's own.
fn set_occurs(g: &mut GroupType, min: usize, max: xsd_parser::models::schema::MaxOccurs) {
    use xsd_parser::models::schema::MaxOccurs;
    g.min_occurs *= min;
    g.max_occurs = match (g.max_occurs, max) {
        (MaxOccurs::Bounded(a), MaxOccurs::Bounded(b)) => MaxOccurs::Bounded(a * b),
        _ => MaxOccurs::Unbounded,
    };
}
