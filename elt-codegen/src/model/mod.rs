//! The generator's own model of the contract, between the loaded schemas and the rendered
//! Rust: what each type holds, where it is declared and what every item is called, each
//! decided once. The renderer emits from it; `inspect` and `diff` read it without rendering.
//! [`Model`] is the entry point.
//!
//! Inside (crate-private):
//! - `types` (in `Structure`): the kind of item each type becomes (struct, enum of derived
//!   types, model group, restricted value, enumeration, union, list, alias, substitution group
//!   enum), what it is built from (base, content shape, target) and its documentation; the
//!   naming pass, the renderer and `diff` dispatch on it;
//! - `attributes`, `particles`, `facets`, `simple` (`Structure`): the attributes of each
//!   complex type, the particles of each model group (each element and attribute with the XML
//!   name it is written under), the facets of each simple type (patterns split into their
//!   derivation steps), the values of each enumeration and the members of each union, read
//!   once from the engine's output;
//! - `derivation` (also in `Structure`): the members of substitution groups and the types
//!   derived from abstract types, whose enums the naming pass names and the renderer emits;
//! - `naming`: the Rust name of every module, type, model group, facet marker, union enum,
//!   root-element constant, struct field and enum variant, claimed in one pass in the order the
//!   items are emitted;
//! - `clients`: the names of the client stubs of the SOAP ports, claimed after those;
//! - `positions`: the file, line and column each item is declared at;
//! - `declared` (read on demand, by `diff`): where each element particle and attribute is
//!   declared, with the `default` and `fixed` values written there;
//! - `boxing`: which fields and variants hold their value in a `Box`;
//! - `summary`: those names as `inspect` and `diff` report them ([`RenderSummary`]);
//! - `builtin`: the Rust type of each XSD built-in type.
//!
//! The renderer and `diff` still read the engine's output (`Model::loaded`) for namespace URIs
//! and for tracing an anonymous type to the declaration it is named after; nothing outside
//! `model` and `xsd` matches on the engine's kinds of type.

pub(crate) mod attributes;
pub(crate) mod boxing;
pub(crate) mod builtin;
pub(crate) mod clients;
#[cfg(feature = "diff")]
pub(crate) mod declared;
pub(crate) mod derivation;
pub(crate) mod facets;
pub(crate) mod naming;
pub(crate) mod particles;
pub(crate) mod positions;
pub(crate) mod simple;
#[cfg(any(feature = "diff", feature = "inspect"))]
pub(crate) mod summary;
pub(crate) mod types;

#[cfg(any(feature = "diff", feature = "inspect"))]
pub use summary::RenderSummary;

use std::collections::BTreeMap;

use crate::error::Result;
use crate::input::FileSet;
use crate::xsd::Loaded;

/// A contract loaded and named: the WSDLs and the interpreted schemas, and the Rust name of
/// every item the generator makes of them (client stubs included). `Builder` renders it;
/// `inspect` and `diff` read its names without rendering.
#[derive(Debug)]
pub struct Model {
    /// The WSDLs, the schema documents and the XSD engine's interpretation of them.
    pub loaded: Loaded,
    pub(crate) naming: naming::Naming,
    /// What the complex types and model groups hold.
    pub(crate) structure: Structure,
    /// The (holder, held) pairs whose field or variant holds its value in a `Box`.
    pub(crate) boxed: std::collections::BTreeSet<(xsd_parser::TypeIdent, xsd_parser::TypeIdent)>,
}

/// What the contract's types are and hold, read once from the engine's output (and the schema
/// texts, where the engine loses something): the kind of each type, the attributes of each complex type, the particles of
/// each model group, the facets of each simple type, the values of each enumeration and the
/// member types of each union, and what stands in for substitution group heads and abstract
/// types.
#[derive(Debug, Clone, Default)]
pub(crate) struct Structure {
    /// Every type: the kind of item it becomes and what that is built from.
    pub types: BTreeMap<xsd_parser::TypeIdent, types::TypeDef>,
    pub attributes: BTreeMap<xsd_parser::TypeIdent, attributes::Attributes>,
    pub groups: BTreeMap<xsd_parser::TypeIdent, particles::ModelGroup>,
    pub facets: BTreeMap<xsd_parser::TypeIdent, facets::Facets>,
    pub enumerations: BTreeMap<xsd_parser::TypeIdent, Vec<simple::EnumValue>>,
    pub unions: BTreeMap<xsd_parser::TypeIdent, Vec<xsd_parser::TypeIdent>>,
    /// Substitution group heads → their concrete members, in the order of their enum's
    /// variants.
    pub substitutes: BTreeMap<xsd_parser::TypeIdent, Vec<derivation::Substitute>>,
    /// Abstract complex types → the concrete types derived from them, in the order of their
    /// enum's variants.
    pub derived: BTreeMap<xsd_parser::TypeIdent, Vec<xsd_parser::TypeIdent>>,
}

impl Structure {
    fn of(loaded: &Loaded) -> Self {
        Self {
            types: types::of_all(&loaded.types),
            attributes: attributes::of_all(&loaded.types),
            groups: particles::of_all(&loaded.types),
            facets: facets::of_all(&loaded.types, &loaded.source),
            enumerations: simple::enumerations(&loaded.types),
            unions: simple::unions(&loaded.types),
            substitutes: derivation::all_substitutes(&loaded.types),
            derived: derivation::derived_types(&loaded.types),
        }
    }

    /// The particles of model group `g` (none for an ident that is not one).
    pub(crate) fn particles(&self, g: &xsd_parser::TypeIdent) -> &[particles::Particle] {
        self.groups.get(g).map_or(&[], |g| g.particles.as_slice())
    }

    /// The kind of item type `i` is (none for an ident the contract does not define).
    pub(crate) fn kind(&self, i: &xsd_parser::TypeIdent) -> Option<&types::Kind> {
        self.types.get(i).map(|t| &t.kind)
    }

    /// The documentation of type `i`.
    pub(crate) fn documentation(&self, i: &xsd_parser::TypeIdent) -> &[String] {
        self.types
            .get(i)
            .map_or(&[], |t| t.documentation.as_slice())
    }

    /// Whether simple type `i` has facets that restrict its values.
    pub(crate) fn restricts(&self, i: &xsd_parser::TypeIdent) -> bool {
        self.facets.get(i).is_some_and(facets::Facets::restricts)
    }
}

impl Model {
    /// Loads `set` (WSDL imports, XSD includes and imports resolved inside it) and names its
    /// items.
    pub fn load(set: &FileSet) -> Result<Self> {
        let loaded = crate::xsd::load(set)?;
        let structure = Structure::of(&loaded);
        let mut naming = naming::Naming::of(&loaded.types, &structure);
        naming.name_clients(&loaded.wsdls);
        let boxed = boxing::boxed(&structure, &naming);
        Ok(Self {
            loaded,
            naming,
            structure,
            boxed,
        })
    }

    /// Where the XSD component `ident` is declared (file, line and column; the WSDL for an
    /// inline schema), traced to the declaration an anonymous type is named after.
    #[cfg(feature = "inspect")]
    pub(crate) fn declared_at(
        &self,
        ident: &xsd_parser::TypeIdent,
    ) -> Option<crate::error::Location> {
        positions::declared_at(&self.loaded.types, &self.loaded.source.declarations, ident)
            .map(|d| d.location)
    }

    /// The Rust names of the items, as `Builder` generates them by default (types and client
    /// stubs, runtime crate `elt_xml`).
    #[cfg(any(feature = "diff", feature = "inspect"))]
    pub fn names(&self) -> RenderSummary {
        summary::summarize(&self.loaded.types, &self.naming, &self.structure, "elt_xml")
    }
}
