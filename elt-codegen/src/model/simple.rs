//! The values of each enumeration and the member types of each union, as the model holds them:
//! read once from the engine's output for the naming pass (their variants), the renderer and
//! `diff`.

use std::collections::BTreeMap;

use xsd_parser::models::meta::MetaTypeVariant;
use xsd_parser::{MetaTypes, TypeIdent};

/// One value of an enumeration.
#[derive(Debug, Clone)]
pub(crate) struct EnumValue {
    /// The value as the schema writes it.
    pub lexical: String,
    pub documentation: Vec<String>,
}

/// The values of every enumeration of `types`, in the schema's order.
pub(crate) fn enumerations(types: &MetaTypes) -> BTreeMap<TypeIdent, Vec<EnumValue>> {
    types
        .items
        .iter()
        .filter_map(|(i, t)| match &t.variant {
            MetaTypeVariant::Enumeration(e) => Some((
                i.clone(),
                e.variants
                    .0
                    .iter()
                    .map(|v| EnumValue {
                        lexical: v.ident.name.as_str().to_owned(),
                        documentation: v.documentation.clone(),
                    })
                    .collect(),
            )),
            _ => None,
        })
        .collect()
}

/// The member types of every union of `types`, in the schema's order (tried in that order).
pub(crate) fn unions(types: &MetaTypes) -> BTreeMap<TypeIdent, Vec<TypeIdent>> {
    types
        .items
        .iter()
        .filter_map(|(i, t)| match &t.variant {
            MetaTypeVariant::Union(u) => {
                Some((i.clone(), u.types.iter().map(|m| m.type_.clone()).collect()))
            }
            _ => None,
        })
        .collect()
}
