//! What each type of the contract is, as the model holds it: the kind of Rust item it becomes
//! (struct, enum of derived types, model group, restricted value, enumeration, union, list,
//! alias, substitution group enum), what that kind is built from (base, content, target), and
//! its documentation. Read once from the engine's output; the naming pass, the renderer and
//! `diff` dispatch on it. What the items hold member by member (attributes, particles, facets,
//! values, union members) is in the sibling modules.

use std::collections::BTreeMap;

use xsd_parser::models::meta::{Base, ComplexMeta, MetaTypeVariant};
use xsd_parser::models::schema::MaxOccurs;
use xsd_parser::{IdentType, MetaTypes, TypeIdent};

use super::naming::{Occurs, occurs};
use super::particles::Compositor;

/// One type of the contract (a named or anonymous type, an element or attribute declaration,
/// a model group).
#[derive(Debug, Clone)]
pub(crate) struct TypeDef {
    pub kind: Kind,
    /// The `xs:documentation` of its declaration.
    pub documentation: Vec<String>,
}

/// Which kind of item a type is, and what it is built from.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    /// A complex type: a struct of its attributes and content, or, for an abstract type with
    /// derived types, an enum of those (see [`Complex::dynamic`]).
    Complex(Complex),
    /// A model group (its particles are in `Structure::groups`).
    Group(Compositor),
    /// A simple type restricting `base` (its facets are in `Structure::facets`); `list` when
    /// its values are whitespace-separated lists of `base`'s.
    Restriction { base: TypeIdent, list: bool },
    /// An enumeration (its values are in `Structure::enumerations`) of `base`'s values, where
    /// the engine kept the base.
    Enumeration { base: Option<TypeIdent> },
    /// An `xs:union` (its members are in `Structure::unions`).
    Union,
    /// A declaration that takes another type whole: an element or attribute declared with a
    /// type, an inline list of `target`'s values (`list`), a nillable element (`nillable`).
    Reference {
        target: TypeIdent,
        list: bool,
        nillable: bool,
    },
    /// A substitution group head: an enum of the elements that may stand in for it.
    Substitution(Substitution),
    /// An XSD built-in type (or one the engine supplies), which becomes a Rust type.
    BuiltIn,
}

/// What a complex type is built from.
#[derive(Debug, Clone)]
pub(crate) struct Complex {
    pub base: Derivation,
    /// Its content and whether that is mixed.
    pub content: ComplexContent,
    /// How often the content occurs when it is one model group (`ContentShape::Group`).
    pub content_min: usize,
    pub content_max: MaxOccurs,
    /// The type's own `mixed` (its content may still be mixed through its group, see
    /// [`ComplexContent::mixed`]). `diff` compares it.
    #[cfg(feature = "diff")]
    pub declared_mixed: bool,
    /// An abstract type with derived types: it becomes an enum of the concrete types derived
    /// from it (`Structure::derived`), chosen by `xsi:type`.
    pub dynamic: bool,
}

/// How a complex type derives from its base.
#[derive(Debug, Clone)]
pub(crate) enum Derivation {
    None,
    Extension(TypeIdent),
    Restriction(TypeIdent),
}

impl Derivation {
    /// The base type, if any.
    pub(crate) fn base(&self) -> Option<&TypeIdent> {
        match self {
            Derivation::None => None,
            Derivation::Extension(b) | Derivation::Restriction(b) => Some(b),
        }
    }
}

/// What a complex type's content becomes in its struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ContentShape {
    /// No content.
    Empty,
    /// A sequence that occurs once: its particles are the struct's own fields.
    Sequence(TypeIdent),
    /// An `xs:all` that occurs once: its elements are the struct's own fields.
    All(TypeIdent),
    /// Any other model group (a choice, or a group that is optional or repeated): one field
    /// holding the group.
    Group(TypeIdent),
    /// Simple content: one `value` field of this type.
    Simple(TypeIdent),
}

/// A complex type's content shape, and whether it is mixed (text between the elements).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ComplexContent {
    pub shape: ContentShape,
    pub mixed: bool,
}

impl ContentShape {
    /// The content's type or group (none for empty content).
    #[cfg(feature = "diff")]
    pub(crate) fn ident(&self) -> Option<&TypeIdent> {
        match self {
            ContentShape::Empty => None,
            ContentShape::Sequence(i)
            | ContentShape::All(i)
            | ContentShape::Group(i)
            | ContentShape::Simple(i) => Some(i),
        }
    }
}

impl ComplexContent {
    /// True when the content is read element by element (any model group).
    pub(crate) fn is_group(&self) -> bool {
        !matches!(self.shape, ContentShape::Empty | ContentShape::Simple(_))
    }
}

/// A substitution group head.
#[derive(Debug, Clone)]
pub(crate) struct Substitution {
    /// The head's own type, when the engine gives one.
    pub own: Option<TypeIdent>,
    /// What the engine lists as standing in for the head: the member elements, and the head's
    /// own type when the head is not abstract.
    pub derived: Vec<TypeIdent>,
}

impl Substitution {
    /// The type of the head's own content, when the head may occur itself (it is not
    /// abstract): an abstract head is only ever one of its members.
    pub(crate) fn occurring_type(&self) -> Option<&TypeIdent> {
        let is_abstract = !self.derived.iter().any(|d| d.type_ != IdentType::Element);
        self.own.as_ref().filter(|_| !is_abstract)
    }
}

impl Kind {
    /// True for a model group.
    pub(crate) fn is_group(&self) -> bool {
        matches!(self, Kind::Group(_))
    }
}

/// Every type of `types`, by ident, in the engine's order.
pub(crate) fn of_all(types: &MetaTypes) -> BTreeMap<TypeIdent, TypeDef> {
    types
        .items
        .iter()
        .map(|(i, t)| {
            let kind = match &t.variant {
                MetaTypeVariant::ComplexType(c) => Kind::Complex(complex(types, c)),
                MetaTypeVariant::Sequence(_) => Kind::Group(Compositor::Sequence),
                MetaTypeVariant::Choice(_) => Kind::Group(Compositor::Choice),
                MetaTypeVariant::All(_) => Kind::Group(Compositor::All),
                MetaTypeVariant::SimpleType(s) => Kind::Restriction {
                    base: s.base.clone(),
                    list: s.is_list,
                },
                MetaTypeVariant::Enumeration(e) => Kind::Enumeration {
                    base: e.base.as_ident().cloned(),
                },
                MetaTypeVariant::Union(_) => Kind::Union,
                MetaTypeVariant::Reference(r) => Kind::Reference {
                    target: r.type_.clone(),
                    list: occurs(r.min_occurs, &r.max_occurs) == Occurs::Many,
                    nillable: r.nillable,
                },
                MetaTypeVariant::Dynamic(d) => Kind::Substitution(Substitution {
                    own: d.type_.clone(),
                    derived: d.derived_types.iter().map(|d| d.type_.clone()).collect(),
                }),
                MetaTypeVariant::BuildIn(_) | MetaTypeVariant::Custom(_) => Kind::BuiltIn,
            };
            (
                i.clone(),
                TypeDef {
                    kind,
                    documentation: t.documentation.clone(),
                },
            )
        })
        .collect()
}

fn complex(types: &MetaTypes, c: &ComplexMeta) -> Complex {
    Complex {
        base: match &c.base {
            Base::None => Derivation::None,
            Base::Extension(b) => Derivation::Extension(b.clone()),
            Base::Restriction(b) => Derivation::Restriction(b.clone()),
        },
        content: complex_content(types, c),
        content_min: c.min_occurs,
        content_max: c.max_occurs,
        #[cfg(feature = "diff")]
        declared_mixed: c.is_mixed,
        dynamic: c.is_dynamic,
    }
}

/// The content of complex type `c`: a group occurring once is flattened into the struct
/// (sequence, `xs:all`), any other is one field; mixed when the type says so, or when its
/// group does and it extends `xs:anyType`.
fn complex_content(types: &MetaTypes, c: &ComplexMeta) -> ComplexContent {
    let once = occurs(c.min_occurs, &c.max_occurs) == Occurs::One;
    let (shape, group_mixed) = match c
        .content
        .as_ref()
        .map(|ci| (ci, types.items.get(ci).map(|t| &t.variant)))
    {
        None => (ContentShape::Empty, false),
        Some((ci, Some(MetaTypeVariant::Sequence(g)))) if once => {
            (ContentShape::Sequence(ci.clone()), g.is_mixed)
        }
        Some((ci, Some(MetaTypeVariant::All(g)))) if once => {
            (ContentShape::All(ci.clone()), g.is_mixed)
        }
        Some((
            ci,
            Some(
                MetaTypeVariant::Sequence(g) | MetaTypeVariant::Choice(g) | MetaTypeVariant::All(g),
            ),
        )) => (ContentShape::Group(ci.clone()), g.is_mixed),
        Some((ci, _)) => (ContentShape::Simple(ci.clone()), false),
    };
    ComplexContent {
        shape,
        mixed: c.is_mixed || (group_mixed && extends_any_type(types, c, 0)),
    }
}

/// True when complex type `c` extends `xs:anyType` (directly or through its bases): its
/// content is mixed when its group says so.
fn extends_any_type(types: &MetaTypes, c: &ComplexMeta, depth: usize) -> bool {
    match &c.base {
        Base::Extension(b) => {
            let is_xs =
                crate::xsd::namespace_uri(types, b.ns).as_deref() == Some(crate::xml::XS_NS);
            (is_xs && b.name.as_str() == "anyType")
                || (depth < 32
                    && matches!(types.items.get(b).map(|t| &t.variant),
                        Some(MetaTypeVariant::ComplexType(bc)) if extends_any_type(types, bc, depth + 1)))
        }
        _ => false,
    }
}
