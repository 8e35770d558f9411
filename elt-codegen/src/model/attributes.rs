//! The attributes of each complex type, as the model holds them: read once from the engine's
//! output, with the XML name each is written under (namespace included when it is qualified),
//! its type, use, default and documentation. The naming pass names their fields, the renderer
//! writes and reads them, and `diff` compares them, all from this one list.

use std::collections::BTreeMap;

use xsd_parser::models::meta::{
    AnyAttributeMeta, AttributeMetaVariant, ComplexMeta, MetaTypeVariant,
};
use xsd_parser::models::schema::xs::{FormChoiceType, Use};
use xsd_parser::{IdentType, MetaTypes, TypeIdent};

/// How an attribute is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AttributeUse {
    Required,
    Optional,
    /// Declared `use="prohibited"` (in a restriction): no field, and never written.
    Prohibited,
}

/// One declared attribute of a complex type.
#[derive(Debug, Clone)]
pub(crate) struct Attribute {
    /// Its position among the type's attributes (wildcards included), which keys its field's
    /// name (`Slot::Attribute`).
    pub index: usize,
    /// The local name.
    pub local: String,
    /// The namespace it is written in: the declaring schema's for a qualified attribute (by
    /// `form`, or a reference to a global one), none for an unqualified one.
    pub namespace: Option<String>,
    /// Its simple type.
    pub type_: TypeIdent,
    pub use_: AttributeUse,
    /// `default`, when declared. (`diff` compares it; generated code leaves an absent
    /// attribute `None`.)
    #[cfg_attr(not(feature = "diff"), allow(dead_code))]
    pub default: Option<String>,
    pub documentation: Vec<String>,
}

/// The attributes of one complex type: its declared attributes, inherited ones included once,
/// in the engine's order, and its attribute wildcards (`xs:anyAttribute`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Attributes {
    pub declared: Vec<Attribute>,
    pub wildcards: Vec<AnyAttributeMeta>,
}

impl Attributes {
    /// The attributes that become fields: the declared ones that are not prohibited.
    pub(crate) fn fields(&self) -> impl Iterator<Item = &Attribute> {
        self.declared
            .iter()
            .filter(|a| a.use_ != AttributeUse::Prohibited)
    }
}

/// The attributes of every complex type of `types`.
pub(crate) fn of_all(types: &MetaTypes) -> BTreeMap<TypeIdent, Attributes> {
    types
        .items
        .iter()
        .filter_map(|(i, t)| match &t.variant {
            MetaTypeVariant::ComplexType(c) => Some((i.clone(), of(types, c))),
            _ => None,
        })
        .collect()
}

/// The attributes of complex type `c`.
fn of(types: &MetaTypes, c: &ComplexMeta) -> Attributes {
    let mut out = Attributes::default();
    for (index, a) in c.attributes.iter().enumerate() {
        match &a.variant {
            AttributeMetaVariant::Any(any) => out.wildcards.push(any.clone()),
            AttributeMetaVariant::Type(type_) => {
                let qualified =
                    a.form == FormChoiceType::Qualified || type_.type_ == IdentType::Attribute;
                out.declared.push(Attribute {
                    index,
                    local: a.ident.name.as_str().to_owned(),
                    namespace: if qualified {
                        crate::xsd::namespace_uri(types, a.ident.ns)
                    } else {
                        None
                    },
                    type_: type_.clone(),
                    use_: match a.use_ {
                        Use::Required => AttributeUse::Required,
                        Use::Optional => AttributeUse::Optional,
                        Use::Prohibited => AttributeUse::Prohibited,
                    },
                    default: a.default.clone(),
                    documentation: a.documentation.clone(),
                });
            }
        }
    }
    out
}
