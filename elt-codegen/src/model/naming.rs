//! The Rust name of every item the contract's types become: one module per XML namespace, a
//! type per XSD type, model group and inline declaration that needs one, the facet markers of
//! restricted values, the enums of restricted unions and the `RootElement` constants.
//!
//! The names are claimed here, once, in the order the renderer emits the items, so a collision
//! always resolves the same way: named XSD types first (they keep their names), then declared
//! elements and attributes, then anonymous types; then, type by type, the model groups each one
//! uses, its facet marker and union enum; then the groups inside groups; then the root-element
//! constants; then the members of each item (struct fields; the variants of choices,
//! enumerations, unions, substitution groups and abstract types), each item's in a scope of its
//! own. The renderer and the summary (`inspect`, `diff`) read these names; neither claims them
//! again.

use std::collections::{BTreeMap, BTreeSet};

use xsd_parser::models::schema::{MaxOccurs, NamespaceId};
use xsd_parser::{IdentType, MetaTypes, TypeIdent};

use super::Structure;
use super::particles::{Compositor, Particle, Term};
use super::types::{Complex, ContentShape, Kind};
use crate::names::{self, NameSet};

/// Names every module reserves for itself and for the prelude items generated code uses.
pub(crate) const RESERVED: &[&str] = &[
    "NAMESPACE",
    "NAMESPACE_PREFIXES",
    "Option",
    "Some",
    "None",
    "Vec",
    "Box",
    "Ok",
    "Err",
    "Result",
    "String",
    "Default",
];

/// Names the generated functions use for their locals; fields take other names.
pub(crate) const LOCALS: &[&str] = &["c", "node", "s"];

/// What kind of Rust item an XSD type becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A struct with element/attribute fields (or a `value` for simple content).
    Complex,
    /// A model group rendered as a struct (sequence) or enum (choice) written inline.
    Group,
    /// A simple type: alias, restricted value or enum.
    Simple,
    /// A substitution group head: an enum of the member elements.
    Substitution,
}

/// Where an item lives and what it is called there.
#[derive(Debug, Clone)]
pub(crate) struct TypeName {
    pub module: String,
    pub name: String,
}

/// The names a global element gives to its `RootElement` constant and, when the element is
/// nillable, to the `Nillable<T>` alias of its content.
#[derive(Debug, Clone)]
pub(crate) struct RootNames {
    pub alias: Option<String>,
    pub constant: String,
}

/// A member of a generated struct or enum: which field or variant of its item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Slot {
    /// The field of the N-th attribute of a complex type.
    Attribute(usize),
    /// The field holding what an `xs:anyAttribute` allows.
    AnyAttributes,
    /// The N-th particle of a sequence or `xs:all` (a field) or of a choice (a variant); for
    /// a complex type, the particles of the content it flattens.
    Particle(usize),
    /// The field holding a complex type's content when that is one group.
    Content,
    /// The field of simple content.
    Value,
    /// The text of mixed content.
    Text,
    /// The variant of the N-th enumeration value.
    EnumValue(usize),
    /// The variant of the N-th member of an enum whose variants are types or elements: a
    /// union's N-th member type, a substitution group's N-th concrete member (see
    /// `Structure::substitutes`), an abstract type's N-th derived type (see
    /// `Structure::derived`).
    Member(usize),
}

/// How a particle occurs: once, optionally, or repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Occurs {
    One,
    Optional,
    Many,
}

pub(crate) fn occurs(min: usize, max: &MaxOccurs) -> Occurs {
    match (min, max) {
        (1, MaxOccurs::Bounded(1)) => Occurs::One,
        (0, MaxOccurs::Bounded(1)) => Occurs::Optional,
        _ => Occurs::Many,
    }
}

/// The names of a loaded contract's types (see the module documentation).
#[derive(Debug, Clone)]
pub(crate) struct Naming {
    /// Namespace id → namespace URI.
    pub ns_uri: BTreeMap<NamespaceId, Option<String>>,
    /// Namespace id → Rust module.
    pub module_of: BTreeMap<NamespaceId, String>,
    /// Every type, group and declaration that becomes a Rust item.
    pub names: BTreeMap<TypeIdent, TypeName>,
    pub shapes: BTreeMap<TypeIdent, Shape>,
    /// The model groups in the order they are rendered.
    pub groups: Vec<TypeIdent>,
    /// Restricted simple types and unions → their facet marker.
    pub facets: BTreeMap<TypeIdent, String>,
    /// Restricted unions → the enum of their members (the type itself is the restricted enum).
    pub union_enums: BTreeMap<TypeIdent, String>,
    /// Global elements → their constant (and alias).
    pub roots: BTreeMap<TypeIdent, RootNames>,
    /// The names taken in each module.
    pub used: BTreeMap<String, NameSet>,
    /// The fields and variants of each struct and enum the renderer fills in member by member:
    /// complex types, model groups and enumerations.
    pub members: BTreeMap<TypeIdent, BTreeMap<Slot, String>>,
    /// The client stubs' names (none until [`Naming::name_clients`]).
    pub clients: super::clients::ClientNaming,
}

impl Naming {
    /// Names every item of `types` that the renderer emits.
    pub(crate) fn of(types: &MetaTypes, structure: &Structure) -> Self {
        let ns_uri = crate::xsd::namespace_uris(types);
        let mut n = Self {
            ns_uri,
            module_of: BTreeMap::new(),
            names: BTreeMap::new(),
            shapes: BTreeMap::new(),
            groups: Vec::new(),
            facets: BTreeMap::new(),
            union_enums: BTreeMap::new(),
            roots: BTreeMap::new(),
            used: BTreeMap::new(),
            members: BTreeMap::new(),
            clients: Default::default(),
        };
        n.assign_modules(types);
        n.assign_type_names(structure);
        n.assign_item_names(structure);
        n.assign_root_names(structure);
        n.assign_member_names(structure);
        n
    }

    /// Names the client stub of every SOAP port of `wsdls`, after every other name.
    pub(crate) fn name_clients(&mut self, wsdls: &[crate::wsdl::Definitions]) {
        self.clients = super::clients::name_clients(self, wsdls);
    }

    /// The module of a WSDL's client stubs (see [`wsdl_module`]).
    pub(crate) fn wsdl_module(
        &self,
        wsdl_modules: &mut BTreeMap<String, Option<String>>,
        defs: &crate::wsdl::Definitions,
    ) -> String {
        wsdl_module(&self.module_of, &self.ns_uri, wsdl_modules, defs)
    }

    pub(crate) fn uri(&self, ns: NamespaceId) -> Option<String> {
        self.ns_uri.get(&ns).cloned().flatten()
    }

    /// True for the XSD built-in types (which become Rust types, not items).
    pub(crate) fn is_builtin(&self, ident: &TypeIdent) -> bool {
        ident.type_ == IdentType::BuildIn
            || self.uri(ident.ns).as_deref() == Some(crate::xml::XS_NS)
    }

    fn assign_modules(&mut self, types: &MetaTypes) {
        let by_uri: BTreeSet<(Option<String>, NamespaceId)> = types
            .items
            .keys()
            .filter(|i| !self.is_builtin(i))
            .map(|i| (self.uri(i.ns), i.ns))
            .collect();
        let mut taken = NameSet::with_reserved(&["generated", "super", "crate"]);
        for (uri, id) in by_uri {
            let name = taken.claim(&names::module_name(uri.as_deref()), "_ns");
            self.module_of.insert(id, name);
        }
    }

    /// Claims `base` (or a suffixed form) in the module of `ns`.
    fn claim_in(&mut self, ns: NamespaceId, base: &str, suffix: &str) -> TypeName {
        let module = self.module_of.get(&ns).cloned().unwrap_or_default();
        let name = self
            .used
            .entry(module.clone())
            .or_insert_with(|| NameSet::with_reserved(RESERVED))
            .claim(base, suffix);
        TypeName { module, name }
    }

    fn claim(&mut self, ident: &TypeIdent, base: &str, suffix: &str, shape: Shape) {
        let name = self.claim_in(ident.ns, &names::type_name(base), suffix);
        self.names.insert(ident.clone(), name);
        self.shapes.insert(ident.clone(), shape);
    }

    fn shape_of(kind: &Kind) -> Option<Shape> {
        match kind {
            Kind::Complex(_) => Some(Shape::Complex),
            Kind::Group(_) => Some(Shape::Group),
            Kind::Restriction { .. }
            | Kind::Enumeration { .. }
            | Kind::Reference { .. }
            | Kind::Union => Some(Shape::Simple),
            Kind::Substitution(_) => Some(Shape::Substitution),
            Kind::BuiltIn => None,
        }
    }

    /// Names every type that becomes a Rust item (model groups apart), named XSD types first
    /// so they keep their names when an anonymous type or attribute would collide.
    fn assign_type_names(&mut self, structure: &Structure) {
        let items: Vec<(TypeIdent, Shape)> = structure
            .types
            .iter()
            .filter(|(i, _)| !self.is_builtin(i))
            .filter_map(|(i, t)| Self::shape_of(&t.kind).map(|s| (i.clone(), s)))
            .collect();
        let is_element = |i: &TypeIdent| {
            matches!(
                i.type_,
                IdentType::Element
                    | IdentType::ElementType
                    | IdentType::DynamicElement
                    | IdentType::NillableContent
            )
        };
        type Pass<'p> = &'p dyn Fn(&TypeIdent, Shape) -> bool;
        let passes: [Pass<'_>; 4] = [
            &|i, s| i.type_ == IdentType::Type && i.name.is_named() && s != Shape::Group,
            &|i, s| is_element(i) && s != Shape::Group && s != Shape::Simple,
            &|i, s| i.type_ == IdentType::Attribute && s == Shape::Simple,
            &|i, s| i.type_ == IdentType::Type && i.name.is_generated() && s != Shape::Group,
        ];
        let is_reference =
            |i: &TypeIdent| matches!(structure.kind(i), Some(Kind::Reference { .. }));
        for (n, pass) in passes.iter().enumerate() {
            for (i, s) in &items {
                if self.names.contains_key(i) || !pass(i, *s) {
                    continue;
                }
                if n == 2 && is_reference(i) {
                    continue; // attribute with a plain type: refer to that type directly
                }
                let suffix = match n {
                    1 => "Element",
                    2 => "Attribute",
                    _ => "Type",
                };
                self.claim(i, i.name.as_str(), suffix, *s);
            }
        }
        // Elements whose type is a simple restriction declared inline.
        for (i, s) in &items {
            if !self.names.contains_key(i)
                && is_element(i)
                && *s == Shape::Simple
                && !is_reference(i)
            {
                self.claim(i, i.name.as_str(), "Element", *s);
            }
        }
    }

    /// Type by type, in the order they are rendered: the model groups each uses, its facet
    /// marker and its union enum; then the groups used inside groups, breadth first.
    fn assign_item_names(&mut self, structure: &Structure) {
        let mut queued: BTreeSet<TypeIdent> = BTreeSet::new();
        let idents: Vec<TypeIdent> = self.names.keys().cloned().collect();
        for i in &idents {
            let Some(kind) = structure.kind(i) else {
                continue;
            };
            match kind {
                Kind::Complex(c) if !c.dynamic => match &c.content.shape {
                    ContentShape::Sequence(g) | ContentShape::All(g) => {
                        self.name_particle_groups(structure, i, g, &mut queued);
                    }
                    // The whole content is one group: a single field holding it.
                    ContentShape::Group(ci) => self.name_group(structure, i, ci, &mut queued),
                    ContentShape::Empty | ContentShape::Simple(_) => {}
                },
                Kind::Restriction { .. } if structure.restricts(i) => {
                    let rule = self.claim_beside(i, "Facets", "Rule");
                    self.facets.insert(i.clone(), rule);
                }
                Kind::Union if structure.restricts(i) => {
                    let members = self.claim_beside(i, "Member", "Union");
                    self.union_enums.insert(i.clone(), members);
                    let rule = self.claim_beside(i, "Facets", "Rule");
                    self.facets.insert(i.clone(), rule);
                }
                _ => {}
            }
        }
        // `groups` is the queue: the groups used inside each group are named after it.
        let mut next = 0;
        while let Some(g) = self.groups.get(next).cloned() {
            next += 1;
            self.name_particle_groups(structure, &g, &g, &mut queued);
        }
    }

    /// Claims the type `i`'s name followed by `word` (`AmountFacets`) in `i`'s module.
    fn claim_beside(&mut self, i: &TypeIdent, word: &str, suffix: &str) -> String {
        let tn = self.names[i].clone();
        self.used
            .entry(tn.module)
            .or_insert_with(|| NameSet::with_reserved(RESERVED))
            .claim(&format!("{}{word}", tn.name), suffix)
    }

    /// Names the model groups among the particles of group `g`, used inside `owner`.
    fn name_particle_groups(
        &mut self,
        structure: &Structure,
        owner: &TypeIdent,
        g: &TypeIdent,
        queued: &mut BTreeSet<TypeIdent>,
    ) {
        for p in structure.particles(g) {
            if let Term::Group(inner) = &p.term {
                self.name_group(structure, owner, inner, queued);
            }
        }
    }

    /// Names model group `g` used inside `owner` (after its elements when short, else after the
    /// owner) and queues it for rendering.
    fn name_group(
        &mut self,
        structure: &Structure,
        owner: &TypeIdent,
        g: &TypeIdent,
        queued: &mut BTreeSet<TypeIdent>,
    ) {
        if !self.names.contains_key(g) {
            let field = group_field(structure, g);
            let owner_name = self
                .names
                .get(owner)
                .map(|n| n.name.clone())
                .unwrap_or_default();
            let base = format!("{owner_name}{}", names::type_name(&field));
            self.claim(g, &base, "Group", Shape::Group);
        }
        if queued.insert(g.clone()) {
            self.groups.push(g.clone());
        }
    }

    /// The `RootElement` constant of every global element (an abstract substitution group head
    /// gets none) and the alias of a nillable one's content.
    fn assign_root_names(&mut self, structure: &Structure) {
        let elements: Vec<TypeIdent> = structure
            .types
            .keys()
            .filter(|i| is_global_element(i) && !self.is_builtin(i))
            .cloned()
            .collect();
        for el in elements {
            let local = el.name.as_str().to_owned();
            let nillable = match structure.kind(&el) {
                Some(Kind::Substitution(s)) => {
                    if s.occurring_type().is_none() {
                        continue; // an abstract head never occurs itself
                    }
                    false
                }
                Some(Kind::Reference { nillable, .. }) => *nillable,
                _ => false,
            };
            let alias = nillable.then(|| {
                self.claim_in(el.ns, &names::type_name(&local), "Element")
                    .name
            });
            let constant = self
                .claim_in(el.ns, &names::const_name(&local), "_ELEMENT")
                .name;
            self.roots.insert(el, RootNames { alias, constant });
        }
    }
}

impl Naming {
    /// The fields and variants of every complex type, model group, enumeration, union,
    /// substitution group and abstract type, each item's in a scope of its own, in the order
    /// the renderer emits them.
    fn assign_member_names(&mut self, structure: &Structure) {
        let particles_of = |g: &TypeIdent| structure.particles(g);
        for (i, shape) in &self.shapes {
            let Some(kind) = structure.kind(i) else {
                continue;
            };
            let own = match (kind, shape) {
                (Kind::Complex(c), Shape::Complex) if !c.dynamic => {
                    complex_members(structure, c, structure.attributes.get(i))
                }
                (Kind::Group(Compositor::Sequence | Compositor::All), Shape::Group) => {
                    let mut taken = NameSet::with_reserved(LOCALS);
                    let mut own = BTreeMap::new();
                    particle_fields(structure, particles_of(i), &mut taken, &mut own);
                    own
                }
                (Kind::Group(Compositor::Choice), Shape::Group) => {
                    let mut taken = NameSet::default();
                    let mut own = BTreeMap::new();
                    for p in particles_of(i) {
                        let v = match &p.term {
                            Term::Group(g) => {
                                let Some(gn) = self.names.get(g) else {
                                    continue;
                                };
                                taken.claim(&gn.name, "Group")
                            }
                            Term::Any(_) => taken.claim("Any", "Element"),
                            Term::Element { local, .. } => {
                                taken.claim(&names::type_name(local), "Element")
                            }
                            // Refused by the renderer; named by nothing.
                            Term::Text => continue,
                        };
                        own.insert(Slot::Particle(p.index), v);
                    }
                    own
                }
                (Kind::Complex(c), Shape::Complex) => {
                    debug_assert!(c.dynamic);
                    let mut taken = NameSet::default();
                    let derived = structure
                        .derived
                        .get(i)
                        .map(Vec::as_slice)
                        .unwrap_or_default();
                    derived
                        .iter()
                        .enumerate()
                        .filter_map(|(n, d)| {
                            let tn = self.names.get(d)?;
                            Some((Slot::Member(n), taken.claim(&tn.name, "Type")))
                        })
                        .collect()
                }
                (Kind::Substitution(_), Shape::Substitution) => {
                    let mut taken = NameSet::default();
                    let members = structure.substitutes.get(i).map(Vec::as_slice);
                    members
                        .unwrap_or_default()
                        .iter()
                        .enumerate()
                        .map(|(n, m)| {
                            let name = taken.claim(&names::type_name(&m.local), "Element");
                            (Slot::Member(n), name)
                        })
                        .collect()
                }
                (Kind::Union, Shape::Simple) => {
                    let mut taken = NameSet::default();
                    let members = structure
                        .unions
                        .get(i)
                        .map(Vec::as_slice)
                        .unwrap_or_default();
                    members
                        .iter()
                        .enumerate()
                        .map(|(n, m)| {
                            let base = if m.name.is_named() {
                                names::type_name(m.name.as_str())
                            } else {
                                match self.names.get(m) {
                                    Some(tn) => tn.name.clone(),
                                    None => format!("Member{}", n + 1),
                                }
                            };
                            (Slot::Member(n), taken.claim(&base, "Member"))
                        })
                        .collect()
                }
                (Kind::Enumeration { .. }, Shape::Simple) => {
                    let mut taken = NameSet::default();
                    let values = structure
                        .enumerations
                        .get(i)
                        .map(Vec::as_slice)
                        .unwrap_or_default();
                    values
                        .iter()
                        .enumerate()
                        .map(|(n, v)| {
                            let name = taken.claim(&names::variant_name(&v.lexical), "Value");
                            (Slot::EnumValue(n), name)
                        })
                        .collect()
                }
                _ => continue,
            };
            self.members.insert(i.clone(), own);
        }
    }
}

/// The fields of a complex type's struct: attributes (with the wildcard's), then the content
/// (flattened particles, one group, or a simple value), then mixed text.
fn complex_members(
    structure: &Structure,
    c: &Complex,
    attributes: Option<&super::attributes::Attributes>,
) -> BTreeMap<Slot, String> {
    let mut taken = NameSet::with_reserved(LOCALS);
    let mut own = BTreeMap::new();
    if let Some(attributes) = attributes {
        for a in attributes.fields() {
            let f = taken.claim(&names::field_name(&a.local), "_attr");
            own.insert(Slot::Attribute(a.index), f);
        }
        if !attributes.wildcards.is_empty() {
            own.insert(Slot::AnyAttributes, taken.claim("any_attributes", "_"));
        }
    }
    let content = &c.content;
    match &content.shape {
        ContentShape::Empty => {}
        ContentShape::Sequence(g) | ContentShape::All(g) => {
            particle_fields(structure, structure.particles(g), &mut taken, &mut own);
        }
        ContentShape::Group(ci) => {
            let f = taken.claim(&names::field_name(&group_field(structure, ci)), "_");
            own.insert(Slot::Content, f);
        }
        ContentShape::Simple(_) => {
            own.insert(Slot::Value, taken.claim("value", "_"));
        }
    }
    if content.mixed && !matches!(content.shape, ContentShape::Simple(_)) {
        own.insert(Slot::Text, taken.claim("text", "_"));
    }
    own
}

/// The field of each particle of a sequence or `xs:all`, in order: a wildcard's is `any`, a
/// group's is named after the group, an element's after the element.
fn particle_fields(
    structure: &Structure,
    particles: &[Particle],
    taken: &mut NameSet,
    own: &mut BTreeMap<Slot, String>,
) {
    for p in particles {
        let f = match &p.term {
            Term::Any(_) => taken.claim("any", "_"),
            Term::Group(g) => taken.claim(&names::field_name(&group_field(structure, g)), "_"),
            Term::Element { local, .. } => taken.claim(&names::field_name(local), "_"),
            Term::Text => continue,
        };
        own.insert(Slot::Particle(p.index), f);
    }
}

/// The module of a WSDL's client stubs: the module of its target namespace when that has
/// schema types, else a new one (recorded in `wsdl_modules`, module → namespace) named after
/// the WSDL.
pub(crate) fn wsdl_module(
    module_of: &BTreeMap<NamespaceId, String>,
    ns_uri: &BTreeMap<NamespaceId, Option<String>>,
    wsdl_modules: &mut BTreeMap<String, Option<String>>,
    defs: &crate::wsdl::Definitions,
) -> String {
    let uri = defs.target_namespace.clone();
    let uri_of = |id: &NamespaceId| ns_uri.get(id).cloned().flatten();
    if let Some((_, m)) = module_of.iter().find(|(id, _)| uri_of(id) == uri) {
        return m.clone();
    }
    if let Some((m, _)) = wsdl_modules.iter().find(|(_, u)| **u == uri) {
        return m.clone();
    }
    let mut taken = NameSet::with_reserved(&["generated", "super", "crate"]);
    for m in module_of.values().chain(wsdl_modules.keys()) {
        taken.claim(m, "");
    }
    // The WSDL's own name (`SkickaTidredovisningInteraction`) reads better than the last
    // segment of its namespace, which is often a profile tag such as `shsbp10`.
    let base = match &defs.name {
        Some(n) => names::field_name(n),
        None => names::module_name(uri.as_deref()),
    };
    let name = taken.claim(&base, "_ns");
    wsdl_modules.insert(name.clone(), uri);
    name
}

impl Naming {
    /// The type an element or attribute ident finally points to, as the generated code names
    /// it: references are followed until a named item or a built-in, or an ident that is not a
    /// reference.
    pub(crate) fn resolve<'t>(
        &self,
        structure: &'t Structure,
        ident: &'t TypeIdent,
    ) -> &'t TypeIdent {
        let mut cur = ident;
        for _ in 0..64 {
            if self.names.contains_key(cur) || self.is_builtin(cur) {
                return cur;
            }
            match structure.kind(cur) {
                Some(Kind::Reference { target, .. }) => cur = target,
                _ => return cur,
            }
        }
        cur
    }
}

/// True for a global element declaration (not a local one, not a type).
pub(crate) fn is_global_element(i: &TypeIdent) -> bool {
    i.type_ == IdentType::Element
}

/// The name a model group gives the field (or variant) that holds it: a named group's own
/// name, else its elements' names joined when short, else `choice` or `sequence`.
pub(crate) fn group_field(structure: &Structure, g: &TypeIdent) -> String {
    if g.name.is_named() && g.type_ == IdentType::Group {
        return g.name.as_str().to_owned();
    }
    let Some(group) = structure.groups.get(g) else {
        return "content".into();
    };
    let word = match group.compositor {
        Compositor::Choice => "_or_",
        Compositor::Sequence | Compositor::All => "_and_",
    };
    let parts: Vec<String> = group
        .particles
        .iter()
        .map(|p| match &p.term {
            Term::Element { local, .. } => names::field_name(local),
            _ => String::new(),
        })
        .collect();
    let joined = parts.join(word);
    if parts.iter().all(|p| !p.is_empty()) && parts.len() <= 3 && joined.len() <= 48 {
        joined
    } else if word == "_or_" {
        "choice".into()
    } else {
        "sequence".into()
    }
}
