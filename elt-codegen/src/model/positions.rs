//! Where each item of the model comes from: the file, line and column of the schema declaration
//! an XSD type, element, attribute or group is read from (in the WSDL for an inline schema).
//! Anonymous types are traced to the declaration they are named after.

use xsd_parser::{IdentType, MetaTypes, TypeIdent};

use crate::xsd::links::{Declarations, Declared, Kind};

/// Where `ident` is declared, or `None` when no declaration of the input matches it (a
/// built-in type, or a name the engine made up that leads to no declaration).
pub(crate) fn declared_at(
    types: &MetaTypes,
    declarations: &Declarations,
    ident: &TypeIdent,
) -> Option<Declared> {
    let ns = crate::xsd::namespace_uri(types, ident.ns);
    let own: &[Kind] = match ident.type_ {
        IdentType::Element
        | IdentType::ElementType
        | IdentType::DynamicElement
        | IdentType::NillableContent => &[Kind::Element],
        IdentType::Attribute => &[Kind::Attribute],
        IdentType::Group => &[Kind::Group],
        IdentType::AttributeGroup => &[Kind::AttributeGroup],
        IdentType::BuildIn => return None,
        IdentType::Type | IdentType::Enumeration => &[Kind::Type],
    };
    // An anonymous type is named after its declaration plus a generated suffix (`Content3`,
    // digits) or the names of inner particles: try the name, then those stems, first as the
    // ident's own kind and then as any declaration that can hold an anonymous type.
    let raw = ident.name.as_str();
    let trimmed = raw.trim_end_matches(|c: char| c.is_ascii_digit());
    let mut candidates = vec![raw, trimmed];
    for marker in ["Content", "Item", "Attribute", "Element", "Type"] {
        if let Some(p) = trimmed.rfind(marker)
            && p > 0
        {
            candidates.push(&trimmed[..p]);
        }
    }
    let holders = [Kind::Type, Kind::Element, Kind::Group, Kind::Attribute];
    candidates.iter().find_map(|name| {
        own.iter()
            .chain(holders.iter())
            .find_map(|kind| declarations.at(*kind, ns.as_deref(), name))
            .cloned()
    })
}
