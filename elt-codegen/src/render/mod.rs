//! Rendering the interpreted types into Rust: one module per XML namespace.
//!
//! The generated code holds data types and short, flat (de)serialization functions that call
//! `elt-xml`; the logic shared by every type (namespaces, occurrence checks, facets, errors) lives
//! in that runtime crate rather than being repeated per type.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use xsd_parser::models::meta::{
    AttributeMetaVariant, ElementMeta, ElementMetaVariant, ElementMode, GroupMeta, MetaType,
    MetaTypeVariant,
};
use xsd_parser::models::schema::xs::Use;
use xsd_parser::models::schema::{MaxOccurs, NamespaceId};
use xsd_parser::{IdentType, MetaTypes, TypeIdent};

use crate::error::{Error, Location, Result};
use crate::names::{self, NameSet};

mod client;
mod doc_text;
mod items;
mod prefixes;

/// Names every module reserves for itself and for the prelude items generated code uses.
const RESERVED: &[&str] = &[
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

/// A rendered module: one XML namespace.
#[derive(Debug, Clone)]
pub struct RenderedModule {
    /// Rust module name.
    pub name: String,
    /// XML namespace.
    pub namespace: Option<String>,
    /// The module's items.
    pub tokens: TokenStream,
}

/// What kind of Rust item an XSD type becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A struct with element/attribute fields (or a `value` for simple content).
    Complex,
    /// A model group rendered as a struct (sequence) or enum (choice) written inline.
    Group,
    /// A simple type: alias, restricted value or enum.
    Simple,
    /// A substitution group head: an enum of the member elements.
    Substitution,
}

#[derive(Debug, Clone)]
struct TypeName {
    module: String,
    name: String,
}

/// A global element as the client stubs refer to it.
struct ElementInfo {
    /// Module of its `RootElement` constant.
    module: String,
    /// Name of that constant.
    const_name: String,
    /// Module of its Rust type (`None` for a built-in type) and the type's name there.
    type_module: Option<String>,
    type_name: TokenStream,
}

/// What the rendering produced, for `inspect` and `diff`: the Rust item behind each global
/// element, XSD type, particle, enumeration value, port and operation. Paths are relative to the
/// generated root module.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RenderSummary {
    /// `{namespace}local` of each global element → (Rust type path, `RootElement` constant path),
    /// both relative to the generated root module.
    pub elements: BTreeMap<String, (String, String)>,
    /// XML namespace → Rust module.
    pub modules: BTreeMap<String, String>,
    /// [`ident_key`] of every XSD type (or model group) that becomes a Rust item → `module::Name`.
    /// The keys are only meaningful for the `MetaTypes` that were rendered.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub types: BTreeMap<String, String>,
    /// [`ident_key`] of a complex type, model group or enumeration → slot → Rust member name.
    /// Slots: `attr:N` the field of the N-th attribute; `el:N` the N-th particle of a sequence
    /// (a field) or a choice (a variant); `content` the field holding a complex type's content
    /// when that is a single choice; `value` the field of simple content; `enum:VALUE` the
    /// variant of an enumeration value.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub members: BTreeMap<String, BTreeMap<String, String>>,
    /// `wsdl:port` name → client type (`module::Client`), when client stubs were rendered.
    pub clients: BTreeMap<String, String>,
    /// WSDL operation name → the client methods that call it (`module::Client::method`).
    pub methods: BTreeMap<String, BTreeSet<String>>,
    /// WSDL operation name → fault name → fault enum variant (`module::OpFault::Variant`).
    pub faults: BTreeMap<String, BTreeMap<String, String>>,
}

/// A key for a type ident that stays the same across renderings of the same `MetaTypes`:
/// namespace URI, kind of ident, name and schema.
pub(crate) fn ident_key(types: &MetaTypes, i: &TypeIdent) -> String {
    let uri = types
        .modules
        .get(&i.ns)
        .and_then(|m| m.namespace.as_ref())
        .map(|n| String::from_utf8_lossy(&n.0).into_owned())
        .unwrap_or_default();
    format!("{uri}|{:?}|{}|{:?}", i.type_, i.name.as_str(), i.schema)
}

/// What to render besides the types.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Path of the XML runtime crate (`elt_xml`).
    pub runtime: String,
    /// Path of the SOAP runtime crate (`elt_soap`) for client stubs; `None` renders types only.
    pub soap_runtime: Option<String>,
    /// XML namespaces whose types already exist elsewhere: namespace URI → Rust module path
    /// (e.g. `elt_types::xmlmime`). Their modules are not generated; references point there.
    pub extern_namespaces: BTreeMap<String, String>,
}

impl Default for RenderOptions {
    /// What `Builder` renders by default: types and client stubs, with the runtimes under
    /// their own crate names.
    fn default() -> Self {
        Self {
            runtime: "elt_xml".into(),
            soap_runtime: Some("elt_soap".into()),
            extern_namespaces: BTreeMap::new(),
        }
    }
}

/// Renders all types of the loaded contract that belong to XML namespaces (not the XSD
/// built-ins), and a client stub for every SOAP port of its WSDLs when asked.
pub fn render(
    contract: &crate::xsd::Loaded,
    options: &RenderOptions,
) -> Result<(Vec<RenderedModule>, RenderSummary)> {
    let wsdls = &contract.wsdls;
    let mut r = Renderer::new(&contract.types, &contract.source, &options.runtime);
    r.extern_namespaces = options.extern_namespaces.clone();
    for defs in wsdls {
        for s in &defs.schemas {
            r.inline.insert(
                format!("{}.types{}.xsd", defs.file, s.index),
                (defs.file.clone(), s.position),
            );
        }
    }
    r.prepare()?;
    if let Some(soap) = &options.soap_runtime {
        r.clients(wsdls, soap)?;
    }
    let summary = r.summary(wsdls, options.soap_runtime.is_some());
    Ok((r.finish()?, summary))
}

struct Renderer<'a> {
    types: &'a MetaTypes,
    rt: TokenStream,
    ns_uri: BTreeMap<NamespaceId, Option<String>>,
    module_of: BTreeMap<NamespaceId, String>,
    names: BTreeMap<TypeIdent, TypeName>,
    shapes: BTreeMap<TypeIdent, Shape>,
    used: BTreeMap<String, NameSet>,
    items: BTreeMap<String, Vec<(String, TokenStream)>>,
    pending_groups: VecDeque<TypeIdent>,
    rendered_groups: BTreeSet<TypeIdent>,
    boxed: BTreeSet<(TypeIdent, TypeIdent)>,
    /// Module of the item being rendered: namespace constants are referred to from it.
    current_module: String,
    /// What the schema texts say that the engine's model lost (pattern steps, wildcards).
    source: &'a crate::xsd::SourceFacts,
    /// The declaring namespaces of the element wildcards of the complex type being rendered,
    /// in particle order (see `wildcards`); empty outside one, or when unknown.
    wildcard_namespaces: std::collections::VecDeque<Option<String>>,
    elements: BTreeMap<(Option<String>, String), ElementInfo>,
    /// Modules for WSDL namespaces that declare no schema types (client stubs only).
    wsdl_modules: BTreeMap<String, Option<String>>,
    /// Namespaces rendered elsewhere (see [`RenderOptions::extern_namespaces`]).
    extern_namespaces: BTreeMap<String, String>,
    /// Concrete types derived from each abstract complex type.
    derived: BTreeMap<TypeIdent, Vec<TypeIdent>>,
    /// Complex types some other complex type derives from.
    bases: BTreeSet<TypeIdent>,
    /// Schema texts by path, for the positions of refusals.
    sources: BTreeMap<String, String>,
    /// Inline schemas: their path → the WSDL and the schema's line and column there.
    inline: BTreeMap<String, (String, (u32, u32))>,
}

fn doc_attr(docs: &[String]) -> TokenStream {
    doc_text::doc_attrs(docs, &[])
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

fn max_tokens(max: &MaxOccurs) -> TokenStream {
    match max {
        MaxOccurs::Unbounded => quote!(None),
        MaxOccurs::Bounded(n) => {
            let n = Literal::usize_unsuffixed(*n);
            quote!(Some(#n))
        }
    }
}

/// How a particle occurs: once, optionally, or repeated.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Occurs {
    One,
    Optional,
    Many,
}

fn occurs(min: usize, max: &MaxOccurs) -> Occurs {
    match (min, max) {
        (1, MaxOccurs::Bounded(1)) => Occurs::One,
        (0, MaxOccurs::Bounded(1)) => Occurs::Optional,
        _ => Occurs::Many,
    }
}

impl<'a> Renderer<'a> {
    fn new(types: &'a MetaTypes, source: &'a crate::xsd::SourceFacts, runtime: &str) -> Self {
        let rt_ident = ident(runtime);
        let mut ns_uri = BTreeMap::new();
        for (id, m) in &types.modules {
            ns_uri.insert(
                *id,
                m.namespace
                    .as_ref()
                    .map(|n| String::from_utf8_lossy(&n.0).into_owned()),
            );
        }
        Self {
            types,
            rt: quote!(::#rt_ident),
            ns_uri,
            module_of: BTreeMap::new(),
            names: BTreeMap::new(),
            shapes: BTreeMap::new(),
            used: BTreeMap::new(),
            items: BTreeMap::new(),
            pending_groups: VecDeque::new(),
            rendered_groups: BTreeSet::new(),
            boxed: BTreeSet::new(),
            current_module: String::new(),
            elements: BTreeMap::new(),
            wsdl_modules: BTreeMap::new(),
            extern_namespaces: BTreeMap::new(),
            source,
            wildcard_namespaces: Default::default(),
            derived: BTreeMap::new(),
            bases: types
                .items
                .values()
                .filter_map(|t| match &t.variant {
                    MetaTypeVariant::ComplexType(c) => c.base.as_ident().cloned(),
                    _ => None,
                })
                .collect(),
            sources: crate::xsd::engine::sources(types)
                .into_iter()
                .map(|(p, t)| (p.to_owned(), t.to_owned()))
                .collect(),
            inline: BTreeMap::new(),
        }
    }

    /// How code in the module being rendered reaches items of `module`: nothing (same module),
    /// the user's path (extern namespace), or `super::module`.
    fn module_prefix(&self, module: &str) -> Option<TokenStream> {
        self.module_prefix_from(&self.current_module, module)
    }

    /// As [`Self::module_prefix`], seen from module `here`.
    fn module_prefix_from(&self, here: &str, module: &str) -> Option<TokenStream> {
        if module == here {
            return None;
        }
        let extern_path = self
            .module_of
            .iter()
            .find(|(_, m)| *m == module)
            .and_then(|(id, _)| self.uri(*id))
            .and_then(|uri| self.extern_namespaces.get(&uri));
        Some(
            match extern_path.and_then(|p| syn::parse_str::<syn::Path>(p).ok()) {
                Some(p) => quote!(#p),
                None => {
                    let m = ident(module);
                    quote!(super::#m)
                }
            },
        )
    }

    /// True when `module` is rendered elsewhere (an extern namespace).
    fn is_extern_module(&self, module: &str) -> bool {
        self.module_of.iter().any(|(id, m)| {
            m == module
                && self
                    .uri(*id)
                    .is_some_and(|u| self.extern_namespaces.contains_key(&u))
        })
    }

    /// A namespace as an expression: the `NAMESPACE` constant of its module where it has one.
    fn ns_tokens(&self, ns: &Option<String>) -> TokenStream {
        let Some(n) = ns else { return quote!(None) };
        let module = self
            .module_of
            .iter()
            .find(|(id, _)| self.uri(**id).as_deref() == Some(n.as_str()))
            .map(|(_, m)| m);
        match module.map(|m| self.module_prefix(m)) {
            Some(None) => quote!(Some(NAMESPACE)),
            Some(Some(prefix)) => quote!(Some(#prefix::NAMESPACE)),
            None => quote!(Some(#n)),
        }
    }

    fn uri(&self, ns: NamespaceId) -> Option<String> {
        self.ns_uri.get(&ns).cloned().flatten()
    }

    fn is_xs(&self, ns: NamespaceId) -> bool {
        self.uri(ns).as_deref() == Some(crate::xml::XS_NS)
    }

    fn is_engine_builtin(&self, ident: &TypeIdent) -> bool {
        ident.type_ == IdentType::BuildIn || self.is_xs(ident.ns)
    }

    /// A refusal of `what` in the component `ident`, located at the component's declaration
    /// (and the first `xs:CONSTRUCT` inside it, when given).
    fn unsupported(&self, ident: &TypeIdent, what: &str, construct: Option<&str>) -> Error {
        Error::Unsupported {
            location: self.locate(ident, construct),
            message: format!(
                "{what} (in {} `{}`)",
                kind_word(ident.type_),
                ident.name.as_str()
            ),
        }
    }

    /// Where component `ident` is declared: file, line and column, in the WSDL for inline
    /// schemas. Generated names (anonymous types) are traced to the declaration they are named
    /// after.
    fn locate(&self, ident: &TypeIdent, construct: Option<&str>) -> Location {
        let file = self.schema_file(ident);
        let Some(text) = self.sources.get(&file) else {
            return Location {
                file,
                position: None,
            };
        };
        let kinds: &[&str] = match ident.type_ {
            IdentType::Element
            | IdentType::ElementType
            | IdentType::DynamicElement
            | IdentType::NillableContent => &["element"],
            IdentType::Attribute => &["attribute"],
            IdentType::Group => &["group"],
            IdentType::AttributeGroup => &["attributeGroup"],
            _ => &["complexType", "simpleType", "element", "group", "attribute"],
        };
        // Candidate names: the name itself, then without a generated suffix (`Content3`,
        // digits) and without the names of inner particles.
        let raw = ident.name.as_str();
        let mut candidates = vec![raw.to_owned()];
        let trimmed = raw.trim_end_matches(|c: char| c.is_ascii_digit());
        candidates.push(trimmed.to_owned());
        for marker in ["Content", "Item", "Attribute", "Element", "Type"] {
            if let Some(p) = trimmed.rfind(marker)
                && p > 0
            {
                candidates.push(trimmed[..p].to_owned());
            }
        }
        let mut position = None;
        'found: for name in &candidates {
            for kind in kinds
                .iter()
                .chain(["complexType", "simpleType", "element"].iter())
            {
                let mut steps = vec![(*kind, Some(name.as_str()))];
                if let Some(c) = construct {
                    steps.push((c, None));
                }
                if let Some(p) = crate::xsd::engine::locate(text, &steps)
                    .or_else(|| crate::xsd::engine::locate(text, &steps[..1]))
                {
                    position = Some(p);
                    break 'found;
                }
            }
        }
        match self.inline.get(&file) {
            Some((wsdl, at)) => Location {
                file: wsdl.clone(),
                position: position
                    .map(|(l, c)| (l + at.0 - 1, if l == 1 { c + at.1 - 1 } else { c })),
            },
            None => Location { file, position },
        }
    }

    fn schema_file(&self, ident: &TypeIdent) -> String {
        self.types
            .schemas
            .get(&ident.schema)
            .and_then(|s| s.name.as_ref())
            .map(|n| n.as_str().to_owned())
            .unwrap_or_else(|| self.uri(ident.ns).unwrap_or_default())
    }

    fn module_for(&mut self, ns: NamespaceId) -> String {
        if let Some(m) = self.module_of.get(&ns) {
            return m.clone();
        }
        unreachable!("modules are assigned before rendering")
    }

    fn assign_modules(&mut self) {
        let mut by_uri: Vec<(Option<String>, NamespaceId)> = self
            .types
            .items
            .keys()
            .filter(|i| !self.is_engine_builtin(i))
            .map(|i| (self.uri(i.ns), i.ns))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        by_uri.sort();
        let mut taken = NameSet::with_reserved(&["generated", "super", "crate"]);
        for (uri, id) in by_uri {
            let name = taken.claim(&names::module_name(uri.as_deref()), "_ns");
            self.module_of.insert(id, name);
        }
    }

    fn claim(&mut self, ident: &TypeIdent, base: &str, suffix: &str, shape: Shape) {
        let module = self.module_for(ident.ns);
        let set = self
            .used
            .entry(module.clone())
            .or_insert_with(|| NameSet::with_reserved(RESERVED));
        let name = set.claim(&names::type_name(base), suffix);
        self.names.insert(ident.clone(), TypeName { module, name });
        self.shapes.insert(ident.clone(), shape);
    }

    fn shape_of(t: &MetaType) -> Option<Shape> {
        match &t.variant {
            MetaTypeVariant::ComplexType(_) => Some(Shape::Complex),
            MetaTypeVariant::Sequence(_) | MetaTypeVariant::Choice(_) | MetaTypeVariant::All(_) => {
                Some(Shape::Group)
            }
            MetaTypeVariant::SimpleType(_)
            | MetaTypeVariant::Enumeration(_)
            | MetaTypeVariant::Reference(_)
            | MetaTypeVariant::Union(_) => Some(Shape::Simple),
            MetaTypeVariant::Dynamic(_) => Some(Shape::Substitution),
            MetaTypeVariant::BuildIn(_) | MetaTypeVariant::Custom(_) => None,
        }
    }

    /// Names every type that becomes a Rust item, named XSD types first so they keep their
    /// names when an anonymous type or attribute would collide.
    fn assign_names(&mut self) {
        let items: Vec<(TypeIdent, Shape)> = self
            .types
            .items
            .iter()
            .filter(|(i, _)| !self.is_engine_builtin(i))
            .filter_map(|(i, t)| Self::shape_of(t).map(|s| (i.clone(), s)))
            .collect();
        type Pass<'p> = &'p dyn Fn(&TypeIdent, Shape) -> bool;
        let passes: [Pass<'_>; 4] = [
            &|i, s| i.type_ == IdentType::Type && i.name.is_named() && s != Shape::Group,
            &|i, s| {
                matches!(
                    i.type_,
                    IdentType::Element
                        | IdentType::ElementType
                        | IdentType::DynamicElement
                        | IdentType::NillableContent
                ) && s != Shape::Group
                    && !matches!(s, Shape::Simple)
            },
            &|i, s| i.type_ == IdentType::Attribute && s == Shape::Simple,
            &|i, s| i.type_ == IdentType::Type && i.name.is_generated() && s != Shape::Group,
        ];
        for (n, pass) in passes.iter().enumerate() {
            for (i, s) in &items {
                if self.names.contains_key(i) || !pass(i, *s) {
                    continue;
                }
                if n == 2 && matches!(self.types.items[i].variant, MetaTypeVariant::Reference(_)) {
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
                && matches!(
                    i.type_,
                    IdentType::Element
                        | IdentType::ElementType
                        | IdentType::DynamicElement
                        | IdentType::NillableContent
                )
                && *s == Shape::Simple
                && !matches!(self.types.items[i].variant, MetaTypeVariant::Reference(_))
            {
                self.claim(i, i.name.as_str(), "Element", *s);
            }
        }
    }

    fn prepare(&mut self) -> Result<()> {
        self.assign_modules();
        self.assign_names();
        self.derived = self.derived_types();
        self.find_boxed();
        let idents: Vec<TypeIdent> = self.names.keys().cloned().collect();
        for i in &idents {
            if self.shapes[i] == Shape::Group {
                continue;
            }
            let t = &self.types.items[i];
            self.current_module = self.names[i].module.clone();
            let tokens = match &t.variant {
                MetaTypeVariant::ComplexType(c) => self.complex(i, t, c)?,
                MetaTypeVariant::SimpleType(s) => self.simple(i, t, s)?,
                MetaTypeVariant::Enumeration(e) => self.enumeration(i, t, e)?,
                MetaTypeVariant::Reference(r)
                    if occurs(r.min_occurs, &r.max_occurs) == Occurs::Many =>
                {
                    self.list_alias(i, t, &r.type_)?
                }
                MetaTypeVariant::Reference(r) => {
                    let name = ident(&self.names[i].name);
                    let target = self.type_path(i, &r.type_)?;
                    let doc = doc_attr(&t.documentation);
                    let target = if r.nillable {
                        let rt = &self.rt;
                        quote!(#rt::Nillable<#target>)
                    } else {
                        target
                    };
                    quote! { #doc pub type #name = #target; }
                }
                MetaTypeVariant::Union(u) => self.union(i, t, u)?,
                MetaTypeVariant::Dynamic(d) => self.substitution(i, t, d)?,
                _ => continue,
            };
            self.push(i, tokens);
        }
        while let Some(g) = self.pending_groups.pop_front() {
            if !self.rendered_groups.insert(g.clone()) {
                continue;
            }
            self.current_module = self.names[&g].module.clone();
            let tokens = self.group(&g)?;
            self.push(&g, tokens);
        }
        self.root_elements()?;
        Ok(())
    }

    /// What was rendered, under stable names. The member, client and method names replay the
    /// claims that `complex`, `particles`, `group`, `enumeration` and `clients` make, in the
    /// same order (`tests/names.rs` checks every name against the rendered code, item by item,
    /// on ELT, the feature fixtures and the corpus).
    fn summary(&self, wsdls: &[crate::wsdl::Definitions], clients: bool) -> RenderSummary {
        let mut out = RenderSummary::default();
        let key = |i: &TypeIdent| ident_key(self.types, i);
        for (i, n) in &self.names {
            out.types
                .insert(key(i), format!("{}::{}", n.module, n.name));
        }
        for (i, shape) in &self.shapes {
            let Some(t) = self.types.items.get(i) else {
                continue;
            };
            match (&t.variant, shape) {
                // An abstract type with derived types is an enum of them (`abstract_type`):
                // it has no fields.
                (MetaTypeVariant::ComplexType(c), Shape::Complex) if c.is_dynamic => {}
                (MetaTypeVariant::ComplexType(c), Shape::Complex) => {
                    let mut taken = NameSet::with_reserved(items::LOCALS);
                    let mut own = BTreeMap::new();
                    for (n, a) in c.attributes.iter().enumerate() {
                        if matches!(a.variant, AttributeMetaVariant::Type(_))
                            && a.use_ != Use::Prohibited
                        {
                            let f = taken.claim(&names::field_name(a.ident.name.as_str()), "_attr");
                            own.insert(format!("attr:{n}"), f);
                        }
                    }
                    match c
                        .content
                        .as_ref()
                        .map(|ci| (ci, self.types.items.get(ci).map(|t| &t.variant)))
                    {
                        None => {}
                        // A sequence or `xs:all` that occurs once is flattened into the
                        // struct (see `complex`): one field per particle.
                        Some((
                            ci,
                            Some(MetaTypeVariant::Sequence(g) | MetaTypeVariant::All(g)),
                        )) if occurs(c.min_occurs, &c.max_occurs) == Occurs::One => {
                            out.members
                                .insert(key(ci), self.summary_fields(g, &mut taken));
                        }
                        Some((
                            ci,
                            Some(
                                MetaTypeVariant::Sequence(_)
                                | MetaTypeVariant::Choice(_)
                                | MetaTypeVariant::All(_),
                            ),
                        )) => {
                            let f =
                                taken.claim(&names::field_name(&self.summary_group_field(ci)), "_");
                            own.insert("content".into(), f);
                        }
                        Some(_) => {
                            own.insert("value".into(), taken.claim("value", "_"));
                        }
                    }
                    out.members.insert(key(i), own);
                }
                (MetaTypeVariant::Sequence(g) | MetaTypeVariant::All(g), Shape::Group) => {
                    out.members.insert(
                        key(i),
                        self.summary_fields(g, &mut NameSet::with_reserved(items::LOCALS)),
                    );
                }
                (MetaTypeVariant::Choice(g), Shape::Group) => {
                    let mut taken = NameSet::default();
                    let mut own = BTreeMap::new();
                    for (n, e) in g.elements.0.iter().enumerate() {
                        let v = match &e.variant {
                            ElementMetaVariant::Type {
                                mode: ElementMode::Element,
                                ..
                            } => taken.claim(&names::type_name(e.ident.name.as_str()), "Element"),
                            ElementMetaVariant::Type {
                                type_,
                                mode: ElementMode::Group,
                            } => {
                                let Some(gn) = self.names.get(type_) else {
                                    continue;
                                };
                                taken.claim(&gn.name, "Group")
                            }
                            ElementMetaVariant::Any { .. } => taken.claim("Any", "Element"),
                            ElementMetaVariant::Text => continue,
                        };
                        own.insert(format!("el:{n}"), v);
                    }
                    out.members.insert(key(i), own);
                }
                (MetaTypeVariant::Enumeration(e), Shape::Simple) => {
                    let mut taken = NameSet::default();
                    let own = e
                        .variants
                        .0
                        .iter()
                        .map(|v| {
                            let lexical = v.ident.name.as_str();
                            (
                                format!("enum:{lexical}"),
                                taken.claim(&names::variant_name(lexical), "Value"),
                            )
                        })
                        .collect();
                    out.members.insert(key(i), own);
                }
                _ => {}
            }
        }
        if clients {
            self.summary_clients(wsdls, &mut out);
        }
        for ((ns, local), info) in &self.elements {
            let key = match ns {
                Some(ns) => format!("{{{ns}}}{local}"),
                None => local.clone(),
            };
            let ty = match &info.type_module {
                Some(m) => format!("{m}::{}", info.type_name),
                None => info.type_name.to_string().replace(' ', ""),
            };
            out.elements
                .insert(key, (ty, format!("{}::{}", info.module, info.const_name)));
        }
        // A namespace whose declarations all map to built-in types (say, one global attribute
        // of type `xs:string`) gets no module.
        for (id, m) in self
            .module_of
            .iter()
            .filter(|(_, m)| self.items.contains_key(*m))
        {
            out.modules
                .insert(self.uri(*id).unwrap_or_default(), m.clone());
        }
        for (m, uri) in &self.wsdl_modules {
            out.modules
                .insert(uri.clone().unwrap_or_default(), m.clone());
        }
        out
    }

    /// Field names of the particles of a sequence, as `particles` claims them.
    fn summary_fields(&self, g: &GroupMeta, taken: &mut NameSet) -> BTreeMap<String, String> {
        let mut own = BTreeMap::new();
        for (n, e) in g.elements.0.iter().enumerate() {
            let f = match &e.variant {
                ElementMetaVariant::Any { .. } => taken.claim("any", "_"),
                ElementMetaVariant::Type {
                    type_,
                    mode: ElementMode::Group,
                } => taken.claim(&names::field_name(&self.summary_group_field(type_)), "_"),
                ElementMetaVariant::Type {
                    mode: ElementMode::Element,
                    ..
                } => taken.claim(&names::field_name(e.ident.name.as_str()), "_"),
                ElementMetaVariant::Text => continue,
            };
            own.insert(format!("el:{n}"), f);
        }
        own
    }

    /// The field base name `group_name` gives a model group.
    fn summary_group_field(&self, g: &TypeIdent) -> String {
        if g.name.is_named() {
            g.name.as_str().to_owned()
        } else {
            self.group_field_base(g)
        }
    }

    /// Client types, methods and fault variants, as `clients` and `port_client` claim them.
    fn summary_clients(&self, wsdls: &[crate::wsdl::Definitions], out: &mut RenderSummary) {
        use crate::wsdl::QName;
        let q = |d: &crate::wsdl::Definitions, local: &str| QName {
            namespace: d.target_namespace.clone(),
            local: local.to_owned(),
        };
        let mut used: BTreeMap<String, NameSet> = BTreeMap::new();
        for defs in wsdls {
            let Some(module) = self
                .module_of
                .iter()
                .find(|(id, _)| self.uri(**id) == defs.target_namespace)
                .map(|(_, m)| m.clone())
                .or_else(|| {
                    self.wsdl_modules
                        .iter()
                        .find(|(_, u)| **u == defs.target_namespace)
                        .map(|(m, _)| m.clone())
                })
            else {
                continue;
            };
            let taken = used.entry(module.clone()).or_insert_with(|| {
                let mut set = NameSet::with_reserved(&["NAMESPACE"]);
                for n in self.names.values().filter(|n| n.module == module) {
                    set.claim(&n.name, "");
                }
                set
            });
            for service in &defs.services {
                for port in &service.ports {
                    let Some(binding) = wsdls
                        .iter()
                        .flat_map(|d| d.bindings.iter().map(move |b| (q(d, &b.name), b)))
                        .find(|(n, _)| *n == port.binding)
                        .map(|(_, b)| b)
                    else {
                        continue;
                    };
                    if binding.soap.is_none() {
                        continue;
                    }
                    let Some(port_type) = wsdls
                        .iter()
                        .flat_map(|d| d.port_types.iter().map(move |p| (q(d, &p.name), p)))
                        .find(|(n, _)| *n == binding.port_type)
                        .map(|(_, p)| p)
                    else {
                        continue;
                    };
                    let client =
                        taken.claim(&names::type_name(&format!("{}Client", port.name)), "Stub");
                    let client = format!("{module}::{client}");
                    out.clients.insert(port.name.clone(), client.clone());
                    let mut methods = NameSet::with_reserved(&["new", "soap", "with_endpoint"]);
                    for bop in &binding.operations {
                        let Some(op) = port_type.operations.iter().find(|o| o.name == bop.name)
                        else {
                            continue;
                        };
                        taken.claim(&names::const_name(&op.name), "_OPERATION");
                        if !op.faults.is_empty() {
                            let fault = taken
                                .claim(&names::type_name(&format!("{}Fault", op.name)), "Enum");
                            let mut variants = NameSet::default();
                            for (fname, _) in &op.faults {
                                let v = variants.claim(&names::type_name(fname), "Fault");
                                out.faults
                                    .entry(op.name.clone())
                                    .or_default()
                                    .insert(fname.clone(), format!("{module}::{fault}::{v}"));
                            }
                        }
                        // rpc style: the wrapper types and constants (`client::rpc_wrapper`).
                        let style = bop.style.as_deref().or(binding.style.as_deref());
                        if style == Some("rpc") {
                            for base in [
                                format!("{}Request", op.name),
                                format!("{}Response", op.name),
                            ] {
                                taken.claim(&names::type_name(&base), "Wrapper");
                                taken.claim(&names::const_name(&base), "_ELEMENT");
                            }
                        }
                        let m = methods.claim(&names::field_name(&op.name), "_op");
                        out.methods
                            .entry(op.name.clone())
                            .or_default()
                            .insert(format!("{client}::{m}"));
                    }
                }
            }
        }
    }

    fn finish(mut self) -> Result<Vec<RenderedModule>> {
        let mut out = Vec::new();
        let mut modules: BTreeMap<String, Option<String>> = self
            .module_of
            .iter()
            .map(|(id, m)| (m.clone(), self.uri(*id)))
            .collect();
        modules.extend(self.wsdl_modules.clone());
        let table = self.prefix_table();
        for (name, namespace) in modules {
            let Some(mut items) = self.items.remove(&name) else {
                continue;
            };
            if self.is_extern_module(&name) {
                continue; // its types live in the user's crate already
            }
            items.sort_by(|a, b| a.0.cmp(&b.0));
            let ns_const = match &namespace {
                Some(n) => quote! {
                    /// The XML namespace of this module.
                    pub const NAMESPACE: &str = #n;
                },
                None => quote!(),
            };
            // Modules with global elements hold the table their `RootElement`s hand the writer.
            let prefix_const = if items.iter().any(|(key, _)| key.starts_with('0')) {
                table.clone()
            } else {
                quote!()
            };
            let items = items.into_iter().map(|(_, t)| t);
            out.push(RenderedModule {
                name,
                namespace,
                tokens: quote! { #ns_const #prefix_const #(#items)* },
            });
        }
        Ok(out)
    }

    /// The `NAMESPACE_PREFIXES` constant: the schemas' own prefixes of every namespace rendered.
    fn prefix_table(&self) -> TokenStream {
        let namespaces: BTreeSet<String> = self
            .module_of
            .keys()
            .filter_map(|id| self.uri(*id))
            .collect();
        let pairs = prefixes::schema_prefixes(&self.sources, &namespaces)
            .into_iter()
            .map(|(ns, p)| quote!((#ns, #p)));
        quote! {
            /// The prefix each namespace of the contract is written with, where its schemas
            /// declare one: `(namespace, prefix)`.
            pub const NAMESPACE_PREFIXES: &[(&str, &str)] = &[#(#pairs),*];
        }
    }

    fn push(&mut self, i: &TypeIdent, tokens: TokenStream) {
        let TypeName { module, name } = &self.names[i];
        self.items
            .entry(module.clone())
            .or_default()
            .push((format!("1{name}"), tokens));
    }

    /// The XSD type an element or attribute ident finally points to (through references).
    fn resolve_ref<'t>(&'t self, ident: &'t TypeIdent) -> &'t TypeIdent {
        let mut cur = ident;
        for _ in 0..64 {
            if self.names.contains_key(cur) || self.is_engine_builtin(cur) {
                return cur;
            }
            match self.types.items.get(cur).map(|t| &t.variant) {
                Some(MetaTypeVariant::Reference(r)) => cur = &r.type_,
                _ => return cur,
            }
        }
        cur
    }

    /// The Rust name of a model group used inside `owner`, named after its elements when short,
    /// else after the owner; queued for rendering.
    fn group_name(
        &mut self,
        owner: &TypeIdent,
        g: &TypeIdent,
        e: &ElementMeta,
    ) -> Result<(String, String)> {
        if let Some(n) = self.names.get(g) {
            let field = if g.name.is_named() {
                g.name.as_str().to_owned()
            } else {
                self.group_field_base(g)
            };
            self.pending_groups.push_back(g.clone());
            return Ok((n.name.clone(), field));
        }
        let field = if g.name.is_named() && g.type_ == IdentType::Group {
            g.name.as_str().to_owned()
        } else {
            self.group_field_base(g)
        };
        let owner_name = self
            .names
            .get(owner)
            .map(|n| n.name.clone())
            .unwrap_or_default();
        let base = format!("{owner_name}{}", names::type_name(&field));
        let _ = e;
        self.claim(g, &base, "Group", Shape::Group);
        self.pending_groups.push_back(g.clone());
        Ok((self.names[g].name.clone(), field))
    }

    fn group_field_base(&self, g: &TypeIdent) -> String {
        let Some(t) = self.types.items.get(g) else {
            return "content".into();
        };
        let (word, gm) = match &t.variant {
            MetaTypeVariant::Choice(gm) => ("_or_", gm),
            MetaTypeVariant::Sequence(gm) | MetaTypeVariant::All(gm) => ("_and_", gm),
            _ => return "content".into(),
        };
        let parts: Vec<String> = gm
            .elements
            .0
            .iter()
            .map(|e| match &e.variant {
                ElementMetaVariant::Type {
                    mode: ElementMode::Element,
                    ..
                } => names::field_name(e.ident.name.as_str()),
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

    /// The built-in XSD type a simple type derives from, following restrictions.
    fn builtin_root(&self, ident: &TypeIdent) -> Option<String> {
        let mut cur = ident.clone();
        for _ in 0..64 {
            if self.is_engine_builtin(&cur) {
                return Some(cur.name.as_str().to_owned());
            }
            cur = match self.types.items.get(&cur).map(|t| &t.variant) {
                Some(MetaTypeVariant::Reference(r)) => r.type_.clone(),
                Some(MetaTypeVariant::SimpleType(s)) => s.base.clone(),
                Some(MetaTypeVariant::Enumeration(e)) => e.base.as_ident()?.clone(),
                _ => return None,
            };
        }
        None
    }
}

fn ident_tokens(name: &str) -> TokenStream {
    let i = ident(name);
    quote!(#i)
}

fn kind_word(t: IdentType) -> &'static str {
    match t {
        IdentType::Element | IdentType::ElementType | IdentType::DynamicElement => "element",
        IdentType::Attribute => "attribute",
        IdentType::Group => "group",
        IdentType::AttributeGroup => "attribute group",
        _ => "type",
    }
}

/// Rust type for an XSD built-in type.
fn builtin_type(rt: &TokenStream, name: &str) -> Option<TokenStream> {
    Some(match name {
        "string" | "normalizedString" | "token" | "language" | "Name" | "NCName" | "ID"
        | "IDREF" | "IDREFS" | "ENTITY" | "ENTITIES" | "NMTOKEN" | "NMTOKENS" | "QName"
        | "NOTATION" | "anyURI" | "anySimpleType" | "duration" | "gYearMonth" | "gYear"
        | "gMonthDay" | "gDay" | "gMonth" | "String" | "str" => quote!(::std::string::String),
        "boolean" | "bool" => quote!(bool),
        "decimal" => quote!(#rt::Decimal),
        "integer" | "long" | "nonPositiveInteger" | "negativeInteger" | "i64" | "isize" => {
            quote!(i64)
        }
        "int" | "i32" => quote!(i32),
        "short" | "i16" => quote!(i16),
        "byte" | "i8" => quote!(i8),
        "nonNegativeInteger" | "positiveInteger" | "unsignedLong" | "u64" | "usize" => quote!(u64),
        "unsignedInt" | "u32" => quote!(u32),
        "unsignedShort" | "u16" => quote!(u16),
        "unsignedByte" | "u8" => quote!(u8),
        "float" | "f32" => quote!(f32),
        "double" | "f64" => quote!(f64),
        "dateTime" => quote!(#rt::DateTime),
        "time" => quote!(#rt::Time),
        "date" => quote!(#rt::Date),
        "hexBinary" => quote!(#rt::HexBinary),
        "base64Binary" => quote!(#rt::Base64Binary),
        "anyType" => quote!(#rt::AnyContent),
        _ => return None,
    })
}

/// Strongly connected components: a component id per node.
fn tarjan(edges: &BTreeMap<TypeIdent, BTreeSet<TypeIdent>>) -> BTreeMap<TypeIdent, usize> {
    struct State<'e> {
        edges: &'e BTreeMap<TypeIdent, BTreeSet<TypeIdent>>,
        index: BTreeMap<&'e TypeIdent, usize>,
        low: BTreeMap<&'e TypeIdent, usize>,
        on_stack: BTreeSet<&'e TypeIdent>,
        stack: Vec<&'e TypeIdent>,
        next: usize,
        comp: BTreeMap<TypeIdent, usize>,
        ncomp: usize,
    }
    fn visit<'e>(s: &mut State<'e>, v: &'e TypeIdent) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(tos) = s.edges.get(v) {
            for w in tos {
                let Some((w, _)) = s.edges.get_key_value(w) else {
                    continue;
                };
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let lw = s.low[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(lw));
                } else if s.on_stack.contains(w) {
                    let iw = s.index[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(iw));
                }
            }
        }
        if s.low[v] == s.index[v] {
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                s.comp.insert(w.clone(), s.ncomp);
                if w == v {
                    break;
                }
            }
            s.ncomp += 1;
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        on_stack: BTreeSet::new(),
        stack: Vec::new(),
        next: 0,
        comp: BTreeMap::new(),
        ncomp: 0,
    };
    for v in edges.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    // A node alone in its component is only a cycle when it points at itself.
    let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
    for c in s.comp.values() {
        *sizes.entry(*c).or_default() += 1;
    }
    let mut out = BTreeMap::new();
    for (v, c) in s.comp {
        let self_loop = edges.get(&v).is_some_and(|t| t.contains(&v));
        if sizes[&c] > 1 || self_loop {
            out.insert(v, c);
        }
    }
    out
}
