//! The model groups of the contract (`xs:sequence`, `xs:choice`, `xs:all`, named or not) and
//! their particles, as the model holds them: read once from the engine's output, each element
//! with the XML name it is written under (namespace included when it is qualified). The naming
//! pass names their fields and variants, the renderer writes and reads them, and `diff`
//! compares them, all from these lists.

use std::collections::BTreeMap;

use xsd_parser::models::meta::{
    AnyMeta, ElementMetaVariant, ElementMode, GroupMeta, MetaTypeVariant,
};
use xsd_parser::models::schema::MaxOccurs;
use xsd_parser::models::schema::xs::FormChoiceType;
use xsd_parser::{IdentType, MetaTypes, TypeIdent};

/// How a group's particles combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compositor {
    Sequence,
    Choice,
    All,
}

/// What a particle matches.
#[derive(Debug, Clone)]
pub(crate) enum Term {
    /// An element, declared in place or a reference to a global one.
    Element {
        /// The local name.
        local: String,
        /// The namespace it is written in: the declaring schema's for a qualified element
        /// (by `form`, or a global one), none for an unqualified one.
        namespace: Option<String>,
        /// The element's content type; for a reference, the global element itself.
        type_: TypeIdent,
        nillable: bool,
    },
    /// A model group, nested or referenced (`xs:group ref`).
    Group(TypeIdent),
    /// `xs:any`.
    Any(AnyMeta),
    /// Text between the elements (the engine's marker of mixed content).
    Text,
}

/// One particle of a model group.
#[derive(Debug, Clone)]
pub(crate) struct Particle {
    /// Its position in the group, which keys its field's or variant's name
    /// (`Slot::Particle`).
    pub index: usize,
    pub term: Term,
    pub min: usize,
    pub max: MaxOccurs,
    pub documentation: Vec<String>,
}

impl Particle {
    /// The particle of a complex type's content when that is one group occurring `min` to
    /// `max` times: one field holding group `group`.
    pub(crate) fn content(group: &TypeIdent, min: usize, max: MaxOccurs) -> Self {
        Particle {
            index: 0,
            term: Term::Group(group.clone()),
            min,
            max,
            documentation: Vec::new(),
        }
    }
}

/// A model group and its particles, in order.
#[derive(Debug, Clone)]
pub(crate) struct ModelGroup {
    pub compositor: Compositor,
    pub particles: Vec<Particle>,
}

/// Every model group of `types`, by ident.
pub(crate) fn of_all(types: &MetaTypes) -> BTreeMap<TypeIdent, ModelGroup> {
    types
        .items
        .iter()
        .filter_map(|(i, t)| {
            let (compositor, g) = match &t.variant {
                MetaTypeVariant::Sequence(g) => (Compositor::Sequence, g),
                MetaTypeVariant::Choice(g) => (Compositor::Choice, g),
                MetaTypeVariant::All(g) => (Compositor::All, g),
                _ => return None,
            };
            Some((
                i.clone(),
                ModelGroup {
                    compositor,
                    particles: particles(types, g),
                },
            ))
        })
        .collect()
}

fn particles(types: &MetaTypes, g: &GroupMeta) -> Vec<Particle> {
    g.elements
        .0
        .iter()
        .enumerate()
        .map(|(index, e)| {
            let term = match &e.variant {
                ElementMetaVariant::Text => Term::Text,
                ElementMetaVariant::Any { meta } => Term::Any(meta.clone()),
                ElementMetaVariant::Type {
                    type_,
                    mode: ElementMode::Group,
                } => Term::Group(type_.clone()),
                ElementMetaVariant::Type {
                    type_,
                    mode: ElementMode::Element,
                } => {
                    let global = type_.type_ == IdentType::Element && type_.name.is_named();
                    let qualified = e.form == FormChoiceType::Qualified || global;
                    Term::Element {
                        local: e.ident.name.as_str().to_owned(),
                        namespace: if qualified {
                            crate::xsd::namespace_uri(types, e.ident.ns)
                        } else {
                            None
                        },
                        type_: type_.clone(),
                        nillable: e.nillable,
                    }
                }
            };
            Particle {
                index,
                term,
                min: e.min_occurs,
                max: e.max_occurs,
                documentation: e.documentation.clone(),
            }
        })
        .collect()
}
