//! What may stand in for a type or an element: the concrete members of a substitution group,
//! and the concrete types derived from an abstract complex type. Both become Rust enums with a
//! variant per member; the naming pass names those variants from these lists and the renderer
//! emits them in the same order, so the two read one list.

use std::collections::BTreeMap;

use xsd_parser::models::meta::{DynamicMeta, MetaTypeVariant};
use xsd_parser::models::schema::NamespaceId;
use xsd_parser::{IdentType, MetaTypes, TypeIdent};

/// A concrete member of a substitution group: an element that may appear where the head is
/// expected.
#[derive(Debug, Clone)]
pub(crate) struct Substitute {
    /// The member element's namespace URI.
    pub ns: Option<String>,
    /// The member element's local name.
    pub local: String,
    /// The ident whose Rust type the member's content has.
    pub value: TypeIdent,
}

/// The concrete members of the substitution group of head `h` (whose dynamic meta is `d`):
/// the head itself unless it is abstract, then every member element that is not abstract,
/// transitively, in the engine's order.
fn substitutes(types: &MetaTypes, h: &TypeIdent, d: &DynamicMeta) -> Vec<Substitute> {
    let uri = |ns: NamespaceId| crate::xsd::namespace_uri(types, ns);
    let mut out = Vec::new();
    for x in &d.derived_types {
        if x.type_.type_ != IdentType::Element {
            out.push(Substitute {
                ns: uri(h.ns),
                local: h.name.as_str().to_owned(),
                value: x.type_.clone(),
            });
            continue;
        }
        let value = match types.items.get(&x.type_).map(|t| &t.variant) {
            Some(MetaTypeVariant::Dynamic(md)) => {
                let is_abstract = !md
                    .derived_types
                    .iter()
                    .any(|y| y.type_.type_ != IdentType::Element);
                if is_abstract {
                    continue;
                }
                match &md.type_ {
                    Some(t) => t.clone(),
                    None => continue,
                }
            }
            Some(_) => x.type_.clone(),
            None => continue,
        };
        out.push(Substitute {
            ns: uri(x.type_.ns),
            local: x.type_.name.as_str().to_owned(),
            value,
        });
    }
    out
}

/// The concrete members of every substitution group head of `types` (see `substitutes`).
pub(crate) fn all_substitutes(types: &MetaTypes) -> BTreeMap<TypeIdent, Vec<Substitute>> {
    types
        .items
        .iter()
        .filter_map(|(i, t)| match &t.variant {
            MetaTypeVariant::Dynamic(d) => Some((i.clone(), substitutes(types, i, d))),
            _ => None,
        })
        .collect()
}

/// The named complex types derived (by extension or restriction, in any number of steps) from
/// each abstract complex type, concrete ones only, in the engine's order.
pub(crate) fn derived_types(types: &MetaTypes) -> BTreeMap<TypeIdent, Vec<TypeIdent>> {
    let is_builtin = |i: &TypeIdent| crate::xsd::is_builtin(types, i);
    let mut out: BTreeMap<TypeIdent, Vec<TypeIdent>> = BTreeMap::new();
    for (i, t) in &types.items {
        let MetaTypeVariant::ComplexType(c) = &t.variant else {
            continue;
        };
        if c.is_dynamic || i.type_ != IdentType::Type || !i.name.is_named() || is_builtin(i) {
            continue;
        }
        let mut base = c.base.as_ident().cloned();
        // A bound on the chain: a cyclic derivation (refused elsewhere) must not hang here.
        for _ in 0..64 {
            let Some(b) = base else { break };
            let Some(MetaTypeVariant::ComplexType(bc)) = types.items.get(&b).map(|t| &t.variant)
            else {
                break;
            };
            if bc.is_dynamic && !is_builtin(&b) {
                out.entry(b.clone()).or_default().push(i.clone());
            }
            base = bc.base.as_ident().cloned();
        }
    }
    out
}
