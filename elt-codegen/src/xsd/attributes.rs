//! One attribute per name on the wire, whatever the derivation chain.
//!
//! The interpreter identifies an attribute by its name and the namespace of the schema that
//! declares it, also when the attribute is unqualified (and so has no namespace on the wire).
//! A type restricting a base from another schema (UBL's `udt:AmountType` restricting
//! `ccts-cct:AmountType`, re-declaring `currencyID` as required) therefore got both
//! declarations: the attribute was stored twice and written twice, which is not well-formed.
//! In one namespace the interpreter finds the base's entry instead and updates its use, but keeps
//! the base's type, so a narrowed type was lost.
//!
//! [`once_each`] keeps, for every complex type, one attribute per wire name (namespace when
//! qualified, local name) at the place of its first declaration, holding the most derived
//! declaration (which comes last in the interpreter's list: base attributes are copied first);
//! and it gives an attribute the type of the nearest declaration along the derivation chain
//! that names one: the type's own (from the schema text), else its base's, settled first.

use std::collections::BTreeMap;

use xsd_parser::models::meta::{AttributeMeta, AttributeMetaVariant, MetaTypeVariant};
use xsd_parser::models::schema::NamespaceId;
use xsd_parser::models::schema::xs::FormChoiceType;
use xsd_parser::{IdentType, MetaTypes, TypeIdent};

use super::engine::QKey;

/// The attributes named complex types declare themselves: type → local name → declared type
/// (`None` for an inline simple type or none).
pub(crate) type OwnAttributes = BTreeMap<QKey, BTreeMap<String, Option<QKey>>>;

/// Derivation chains longer than this are left as the interpreter made them.
const MAX_DEPTH: usize = 64;

/// The name an attribute has on the wire: its namespace when qualified (by `form` or as a
/// reference to a global attribute), and its local name. `None` for a wildcard.
fn wire_name(a: &AttributeMeta, uri: &dyn Fn(NamespaceId) -> Option<String>) -> Option<QKey> {
    let AttributeMetaVariant::Type(t) = &a.variant else {
        return None;
    };
    let qualified = a.form == FormChoiceType::Qualified || t.type_ == IdentType::Attribute;
    let ns = if qualified { uri(a.ident.ns) } else { None };
    Some((ns, a.ident.name.as_str().to_owned()))
}

/// `list` with one entry per wire name: the last declaration, at the first one's place (with
/// the earlier documentation when the later declaration has none). Wildcards stay as they are.
fn dedupe(
    list: &[AttributeMeta],
    uri: &dyn Fn(NamespaceId) -> Option<String>,
) -> Vec<AttributeMeta> {
    let mut out: Vec<AttributeMeta> = Vec::with_capacity(list.len());
    let mut at: BTreeMap<QKey, usize> = BTreeMap::new();
    for a in list {
        let Some(k) = wire_name(a, uri) else {
            out.push(a.clone());
            continue;
        };
        match at.get(&k) {
            Some(&i) => {
                let docs = std::mem::take(&mut out[i].documentation);
                out[i] = a.clone();
                if out[i].documentation.is_empty() {
                    out[i].documentation = docs;
                }
            }
            None => {
                at.insert(k, out.len());
                out.push(a.clone());
            }
        }
    }
    out
}

fn type_of(a: &AttributeMeta) -> Option<&TypeIdent> {
    match &a.variant {
        AttributeMetaVariant::Type(t) => Some(t),
        AttributeMetaVariant::Any(_) => None,
    }
}

/// Everything [`settle`] reads.
struct Chain<'a> {
    /// Each complex type: its base, and its attributes once per wire name.
    raw: BTreeMap<TypeIdent, (Option<TypeIdent>, Vec<AttributeMeta>)>,
    own: &'a OwnAttributes,
    /// Named types by qualified name, to resolve a declaration's `type=`.
    by_name: BTreeMap<QKey, TypeIdent>,
    uri: &'a dyn Fn(NamespaceId) -> Option<String>,
}

/// Stores in `done` the attributes of complex type `i`, its base's first.
fn settle(
    c: &Chain<'_>,
    i: &TypeIdent,
    done: &mut BTreeMap<TypeIdent, Vec<AttributeMeta>>,
    depth: usize,
) {
    if done.contains_key(i) {
        return;
    }
    let Some((base, attrs)) = c.raw.get(i) else {
        return;
    };
    let base = base.as_ref().filter(|b| c.raw.contains_key(*b) && *b != i);
    if let Some(b) = base
        && depth < MAX_DEPTH
    {
        settle(c, b, done, depth + 1);
    }
    let own_ns = (c.uri)(i.ns);
    let own = (i.type_ == IdentType::Type && i.name.is_named())
        .then(|| c.own.get(&(own_ns.clone(), i.name.as_str().to_owned())))
        .flatten();
    let mut out = attrs.clone();
    for a in &mut out {
        let Some(k) = wire_name(a, c.uri) else {
            continue;
        };
        let Some(t) = type_of(a).cloned() else {
            continue;
        };
        // A declaration of this type's own, when it can be the one on the wire (an unqualified
        // attribute, or one qualified with this type's namespace; references keep their type).
        let declared = (t.type_ != IdentType::Attribute && (k.0.is_none() || k.0 == own_ns))
            .then(|| own.and_then(|d| d.get(&k.1)))
            .flatten();
        match declared {
            Some(Some(q)) => {
                if let Some(ti) = c.by_name.get(q) {
                    a.variant = AttributeMetaVariant::Type(ti.clone());
                }
            }
            // Declared here with an inline type (or none): the interpreter's type stands.
            Some(None) => {}
            // Inherited unchanged from the base: the base's settled type.
            None => {
                let Some(b) = base else { continue };
                let find = |list: &[AttributeMeta]| {
                    list.iter()
                        .find(|x| wire_name(x, c.uri).as_ref() == Some(&k))
                        .and_then(type_of)
                        .cloned()
                };
                let before = find(&c.raw[b].1);
                let after = done.get(b).and_then(|l| find(l));
                if before.as_ref() == Some(&t)
                    && let Some(after) = after
                {
                    a.variant = AttributeMetaVariant::Type(after);
                }
            }
        }
    }
    done.insert(i.clone(), out);
}

/// Rewrites the attributes of every complex type of `types` as the module documentation says.
pub(crate) fn once_each(
    types: &mut MetaTypes,
    own: &OwnAttributes,
    uri: &dyn Fn(NamespaceId) -> Option<String>,
) {
    let mut raw = BTreeMap::new();
    for (i, t) in &types.items {
        if let MetaTypeVariant::ComplexType(ct) = &t.variant {
            raw.insert(
                i.clone(),
                (ct.base.as_ident().cloned(), dedupe(&ct.attributes, uri)),
            );
        }
    }
    let by_name = types
        .items
        .keys()
        .filter(|i| i.type_ == IdentType::Type && i.name.is_named())
        .map(|i| ((uri(i.ns), i.name.as_str().to_owned()), i.clone()))
        .collect();
    let chain = Chain {
        raw,
        own,
        by_name,
        uri,
    };
    let mut done = BTreeMap::new();
    for i in chain.raw.keys() {
        settle(&chain, i, &mut done, 0);
    }
    for (i, t) in types.items.iter_mut() {
        if let MetaTypeVariant::ComplexType(ct) = &mut t.variant
            && let Some(attrs) = done.remove(i)
        {
            *ct.attributes = attrs;
        }
    }
}
