//! Rendering the interpreted types into Rust: one module per XML namespace.
//!
//! The generated code holds data types and short, flat (de)serialization functions that call
//! `elt-xml`; the logic shared by every type (namespaces, occurrence checks, facets, errors) lives
//! in that runtime crate rather than being repeated per type.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};
use xsd_parser::models::meta::{
    AttributeMetaVariant, ComplexMeta, ElementMeta, ElementMetaVariant, ElementMode,
    EnumerationMeta, GroupMeta, MetaType, MetaTypeVariant, SimpleMeta,
};
use xsd_parser::models::schema::xs::{FormChoiceType, NamespaceListType, Use};
use xsd_parser::models::schema::{MaxOccurs, NamespaceId};
use xsd_parser::{IdentType, MetaTypes, TypeIdent};

use crate::error::{Error, Location, Result};
use crate::names::{self, NameSet};

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
}

struct TypeName {
    module: String,
    name: String,
}

/// Renders all types of `types` that belong to XML namespaces (not the XSD built-ins).
pub fn render(types: &MetaTypes, runtime: &str) -> Result<Vec<RenderedModule>> {
    Renderer::new(types, runtime).run()
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
}

fn doc_attr(docs: &[String]) -> TokenStream {
    let text = docs
        .iter()
        .flat_map(|d| d.lines())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned();
    if text.is_empty() {
        return quote!();
    }
    let lines = text.lines().map(|l| {
        let l = format!(" {}", l.replace('[', "\\[").replace(']', "\\]"));
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
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
    fn new(types: &'a MetaTypes, runtime: &str) -> Self {
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
        }
    }

    /// A namespace as an expression: the `NAMESPACE` constant of its module where it has one.
    fn ns_tokens(&self, ns: &Option<String>) -> TokenStream {
        let Some(n) = ns else { return quote!(None) };
        let module = self
            .module_of
            .iter()
            .find(|(id, _)| self.uri(**id).as_deref() == Some(n.as_str()))
            .map(|(_, m)| m);
        match module {
            Some(m) if *m == self.current_module => quote!(Some(NAMESPACE)),
            Some(m) => {
                let m = ident(m);
                quote!(Some(super::#m::NAMESPACE))
            }
            None => quote!(Some(#n)),
        }
    }

    fn uri(&self, ns: NamespaceId) -> Option<String> {
        self.ns_uri.get(&ns).cloned().flatten()
    }

    fn is_xs(&self, ns: NamespaceId) -> bool {
        self.uri(ns).as_deref() == Some(crate::wsdl::XS_NS)
    }

    fn is_engine_builtin(&self, ident: &TypeIdent) -> bool {
        ident.type_ == IdentType::BuildIn
            || self.is_xs(ident.ns)
            || self.uri(ident.ns).as_deref() == Some("http://www.w3.org/XML/1998/namespace")
    }

    fn unsupported(&self, ident: &TypeIdent, what: &str) -> Error {
        Error::Unsupported {
            location: Location {
                file: self.schema_file(ident),
                position: None,
            },
            message: format!(
                "{what} (in {} `{}`)",
                kind_word(ident.type_),
                ident.name.as_str()
            ),
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
            .or_insert_with(|| NameSet::with_reserved(&["NAMESPACE"]));
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
            MetaTypeVariant::BuildIn(_)
            | MetaTypeVariant::Custom(_)
            | MetaTypeVariant::Dynamic(_) => None,
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
                matches!(i.type_, IdentType::Element | IdentType::ElementType)
                    && s != Shape::Group
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
                && matches!(i.type_, IdentType::Element | IdentType::ElementType)
                && *s == Shape::Simple
                && !matches!(self.types.items[i].variant, MetaTypeVariant::Reference(_))
            {
                self.claim(i, i.name.as_str(), "Element", *s);
            }
        }
    }

    fn run(mut self) -> Result<Vec<RenderedModule>> {
        self.assign_modules();
        self.assign_names();
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
                MetaTypeVariant::Reference(r) => {
                    let name = ident(&self.names[i].name);
                    let target = self.type_path(i, &r.type_)?;
                    let doc = doc_attr(&t.documentation);
                    let target = if occurs(r.min_occurs, &r.max_occurs) == Occurs::Many {
                        return Err(self.unsupported(i, "xs:list types"));
                    } else {
                        target
                    };
                    quote! { #doc pub type #name = #target; }
                }
                MetaTypeVariant::Union(_) => {
                    return Err(self.unsupported(i, "xs:union simple types"));
                }
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
        let mut out = Vec::new();
        let modules: BTreeSet<(String, NamespaceId)> = self
            .module_of
            .iter()
            .map(|(id, m)| (m.clone(), *id))
            .collect();
        for (name, id) in modules {
            let Some(mut items) = self.items.remove(&name) else {
                continue;
            };
            items.sort_by(|a, b| a.0.cmp(&b.0));
            let namespace = self.uri(id);
            let ns_const = match &namespace {
                Some(n) => quote! {
                    /// The XML namespace of this module.
                    pub const NAMESPACE: &str = #n;
                },
                None => quote!(),
            };
            let items = items.into_iter().map(|(_, t)| t);
            out.push(RenderedModule {
                name,
                namespace,
                tokens: quote! { #ns_const #(#items)* },
            });
        }
        Ok(out)
    }

    fn push(&mut self, i: &TypeIdent, tokens: TokenStream) {
        let TypeName { module, name } = &self.names[i];
        self.items
            .entry(module.clone())
            .or_default()
            .push((format!("1{name}"), tokens));
    }

    /// Path of the Rust type for an XSD type, relative to the module of `from`.
    fn type_path(&self, from: &TypeIdent, target: &TypeIdent) -> Result<TokenStream> {
        let ident_ = target;
        let rt = &self.rt;
        if self.is_engine_builtin(ident_) {
            return builtin_type(rt, ident_.name.as_str()).ok_or_else(|| {
                self.unsupported(
                    from,
                    &format!("the built-in type `{}`", ident_.name.as_str()),
                )
            });
        }
        if let Some(TypeName { module, name }) = self.names.get(ident_) {
            let name = ident_tokens(name);
            let here = self.module_of.get(&from.ns);
            return Ok(if here == Some(module) {
                name
            } else {
                let m = ident(module);
                quote!(super::#m::#name)
            });
        }
        match self.types.items.get(ident_).map(|t| &t.variant) {
            // Elements and attributes declared with a named type: use that type.
            Some(MetaTypeVariant::Reference(r)) => self.type_path(from, &r.type_),
            Some(MetaTypeVariant::Dynamic(_)) => Err(self.unsupported(
                from,
                &format!(
                    "the abstract element or type `{}` (substitution groups / xsi:type)",
                    ident_.name.as_str()
                ),
            )),
            Some(_) => {
                Err(self.unsupported(from, &format!("a reference to `{}`", ident_.name.as_str())))
            }
            None => Err(Error::Unresolved {
                location: Location {
                    file: self.schema_file(from),
                    position: None,
                },
                message: format!(
                    "{} `{}` refers to the undefined type `{}`",
                    kind_word(from.type_),
                    from.name.as_str(),
                    ident_.name.as_str()
                ),
            }),
        }
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

    /// Marks by-value fields that close a cycle of types, so they are boxed.
    fn find_boxed(&mut self) {
        let mut edges: BTreeMap<TypeIdent, BTreeSet<TypeIdent>> = BTreeMap::new();
        for (i, s) in &self.shapes {
            if !matches!(s, Shape::Complex | Shape::Group) {
                continue;
            }
            let mut out = BTreeSet::new();
            self.collect_value_edges(i, &mut out, 0);
            edges.insert(i.clone(), out);
        }
        let sccs = tarjan(&edges);
        for (from, tos) in &edges {
            for to in tos {
                if sccs.contains_key(from) && sccs.get(from) == sccs.get(to) {
                    self.boxed.insert((from.clone(), to.clone()));
                }
            }
        }
    }

    fn collect_value_edges(&self, i: &TypeIdent, out: &mut BTreeSet<TypeIdent>, depth: usize) {
        if depth > 16 {
            return;
        }
        let Some(t) = self.types.items.get(i) else {
            return;
        };
        let group = match &t.variant {
            MetaTypeVariant::ComplexType(c) => match &c.content {
                Some(content) => match self.types.items.get(content).map(|t| &t.variant) {
                    Some(MetaTypeVariant::Sequence(g)) if depth == 0 => g,
                    _ => {
                        out.insert(content.clone());
                        return;
                    }
                },
                None => return,
            },
            MetaTypeVariant::Sequence(g) | MetaTypeVariant::Choice(g) | MetaTypeVariant::All(g) => {
                g
            }
            _ => return,
        };
        for e in &group.elements.0 {
            if let ElementMetaVariant::Type { type_, .. } = &e.variant
                && occurs(e.min_occurs, &e.max_occurs) != Occurs::Many
            {
                let target = self.resolve_ref(type_).clone();
                out.insert(target);
            }
        }
    }

    fn complex(&mut self, i: &TypeIdent, t: &MetaType, c: &ComplexMeta) -> Result<TokenStream> {
        let rt = self.rt.clone();
        let name = ident(&self.names[i].name);
        let doc = doc_attr(&t.documentation);
        if c.is_mixed {
            return Err(self.unsupported(i, "mixed content (text between child elements)"));
        }
        let mut fields = Vec::new(); // (field ident, type, doc)
        let mut writes = Vec::new();
        let mut reads = Vec::new();
        let mut field_names = NameSet::default();
        let mut attr_idents: Vec<Ident> = Vec::new();
        // Attributes first: they are written on the start tag.
        for a in c.attributes.iter() {
            let AttributeMetaVariant::Type(aty) = &a.variant else {
                return Err(self.unsupported(i, "xs:anyAttribute"));
            };
            if a.use_ == Use::Prohibited {
                continue;
            }
            let local = a.ident.name.as_str().to_owned();
            let qualified =
                a.form == FormChoiceType::Qualified || aty.type_ == IdentType::Attribute;
            let ans = if qualified {
                self.uri(a.ident.ns)
            } else {
                None
            };
            let ans_t = self.ns_tokens(&ans);
            let f = ident(&field_names.claim(&names::field_name(&local), "_attr"));
            let ty = self.type_path(i, aty)?;
            let fdoc = doc_attr(&a.documentation);
            attr_idents.push(f.clone());
            if a.use_ == Use::Required {
                fields.push(quote! { #fdoc pub #f: #ty, });
                writes.push(
                    quote! { w.attribute(#ans_t, #local, &#rt::XmlValue::to_xml_text(&self.#f)); },
                );
                reads.push(quote! {
                    let #f = #rt::attribute(node, #ans_t, #local)?.ok_or_else(|| {
                        #rt::XmlError::at_node(node, concat!("missing required attribute ", #local))
                    })?;
                });
            } else {
                fields.push(quote! { #fdoc pub #f: Option<#ty>, });
                writes.push(quote! { w.attribute_value(#ans_t, #local, &self.#f); });
                reads.push(quote! { let #f = #rt::attribute(node, #ans_t, #local)?; });
            }
        }
        let content = c
            .content
            .as_ref()
            .map(|ci| (ci, self.types.items.get(ci).map(|t| &t.variant)));
        let mut field_idents: Vec<Ident> = Vec::new();
        match content {
            None => {
                reads.push(quote! { #rt::Children::new(node)?.finish()?; });
            }
            Some((_, Some(MetaTypeVariant::Sequence(g)))) => {
                reads.push(quote! { let mut c = #rt::Children::new(node)?; });
                let g = g.clone();
                self.particles(
                    i,
                    &g,
                    &mut field_names,
                    &mut fields,
                    &mut writes,
                    &mut reads,
                    &mut field_idents,
                )?;
                reads.push(quote! { c.finish()?; });
            }
            Some((ci, Some(MetaTypeVariant::Choice(_) | MetaTypeVariant::All(_)))) => {
                // The whole content is one group: a single field holding it.
                let el = ElementMeta::new(
                    xsd_parser::models::ElementIdent::new(xsd_parser::models::Name::new_generated(
                        "content",
                    )),
                    ci.clone(),
                    ElementMode::Group,
                    FormChoiceType::Unqualified,
                );
                let mut el = el;
                el.min_occurs = c.min_occurs;
                el.max_occurs = c.max_occurs;
                let g = GroupMeta {
                    is_mixed: false,
                    elements: xsd_parser::models::meta::ElementsMeta(vec![el]),
                };
                reads.push(quote! { let mut c = #rt::Children::new(node)?; });
                self.particles(
                    i,
                    &g,
                    &mut field_names,
                    &mut fields,
                    &mut writes,
                    &mut reads,
                    &mut field_idents,
                )?;
                reads.push(quote! { c.finish()?; });
            }
            Some((ci, _)) => {
                // Simple content: the element's text is a value of the content type.
                let ty = self.type_path(i, ci)?;
                let f = ident(&field_names.claim("value", "_"));
                fields.push(quote! { /// The element's text content.
                pub #f: #ty, });
                writes.push(quote! { #rt::XmlContent::write_content(&self.#f, w)?; });
                reads.push(quote! { let #f = #rt::XmlContent::read_content(node)?; });
                field_idents.push(f);
            }
        }
        let all_idents: Vec<&Ident> = attr_idents.iter().chain(field_idents.iter()).collect();
        Ok(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            pub struct #name { #(#fields)* }

            impl #rt::XmlContent for #name {
                fn write_content(&self, w: &mut #rt::Writer) -> ::core::result::Result<(), #rt::XmlError> {
                    #(#writes)*
                    Ok(())
                }
                fn read_content(node: #rt::Node<'_, '_>) -> ::core::result::Result<Self, #rt::XmlError> {
                    #(#reads)*
                    Ok(Self { #(#all_idents),* })
                }
            }
        })
    }

    /// Fields, writes and reads for the particles of a sequence, in order.
    #[allow(clippy::too_many_arguments)]
    fn particles(
        &mut self,
        owner: &TypeIdent,
        g: &GroupMeta,
        field_names: &mut NameSet,
        fields: &mut Vec<TokenStream>,
        writes: &mut Vec<TokenStream>,
        reads: &mut Vec<TokenStream>,
        idents: &mut Vec<Ident>,
    ) -> Result<()> {
        let rt = self.rt.clone();
        if g.is_mixed {
            return Err(self.unsupported(owner, "mixed content (text between child elements)"));
        }
        let owner_ns = self.uri(owner.ns);
        for e in &g.elements.0 {
            let min = e.min_occurs;
            let max = max_tokens(&e.max_occurs);
            let min_l = Literal::usize_unsuffixed(min);
            let occ = occurs(min, &e.max_occurs);
            let fdoc = doc_attr(&e.documentation);
            match &e.variant {
                ElementMetaVariant::Text => {
                    return Err(
                        self.unsupported(owner, "mixed content (text between child elements)")
                    );
                }
                ElementMetaVariant::Any { meta } => {
                    let f = ident(&field_names.claim("any", "_"));
                    let constraint = self.any_constraint(owner, meta.namespace.as_ref())?;
                    let ons = self.ns_tokens(&owner_ns);
                    fields.push(quote! {
                        /// Elements allowed by the schema's `xs:any` here, kept with their namespaces.
                        pub #f: Vec<#rt::AnyElement>,
                    });
                    writes.push(quote! {
                        w.check_occurs("xs:any", self.#f.len(), #min_l, #max)?;
                        w.any_all(&self.#f);
                    });
                    reads.push(quote! { let #f = c.any(&#constraint, #ons, #min_l, #max)?; });
                    idents.push(f);
                }
                ElementMetaVariant::Type {
                    type_,
                    mode: ElementMode::Group,
                } => {
                    let gname = self.group_name(owner, type_, e)?;
                    let f = ident(&field_names.claim(&names::field_name(&gname.1), "_"));
                    let gty = self.type_path(owner, type_)?;
                    let (fty, write, read) = match occ {
                        Occurs::One => (
                            quote!(#gty),
                            quote! { #rt::XmlChoice::write_group(&self.#f, w)?; },
                            quote! { let #f = c.required_group()?; },
                        ),
                        Occurs::Optional => (
                            quote!(Option<#gty>),
                            quote! { if let Some(v) = &self.#f { #rt::XmlChoice::write_group(v, w)?; } },
                            quote! { let #f = c.optional_group()?; },
                        ),
                        Occurs::Many => (
                            quote!(Vec<#gty>),
                            quote! {
                                w.check_occurs(stringify!(#f), self.#f.len(), #min_l, #max)?;
                                for v in &self.#f { #rt::XmlChoice::write_group(v, w)?; }
                            },
                            quote! { let #f = c.repeated_group(#min_l, #max)?; },
                        ),
                    };
                    fields.push(quote! { #fdoc pub #f: #fty, });
                    writes.push(write);
                    reads.push(read);
                    idents.push(f);
                }
                ElementMetaVariant::Type {
                    type_,
                    mode: ElementMode::Element,
                } => {
                    let local = e.ident.name.as_str().to_owned();
                    let qualified =
                        e.form == FormChoiceType::Qualified || type_.type_ == IdentType::Element;
                    let ens = if qualified {
                        self.uri(e.ident.ns)
                    } else {
                        None
                    };
                    let ens = self.ns_tokens(&ens);
                    let f = ident(&field_names.claim(&names::field_name(&local), "_"));
                    let target = self.resolve_ref(type_).clone();
                    let ty = self.type_path(owner, type_)?;
                    let boxed =
                        self.boxed.contains(&(owner.clone(), target)) && occ != Occurs::Many;
                    let (fty, write, read) = match (occ, boxed) {
                        (Occurs::One, false) => (
                            quote!(#ty),
                            quote! { w.element(#ens, #local, &self.#f)?; },
                            quote! { let #f = c.required(#ens, #local)?; },
                        ),
                        (Occurs::One, true) => (
                            quote!(Box<#ty>),
                            quote! { w.element(#ens, #local, &*self.#f)?; },
                            quote! { let #f = Box::new(c.required::<#ty>(#ens, #local)?); },
                        ),
                        (Occurs::Optional, false) => (
                            quote!(Option<#ty>),
                            quote! { w.optional(#ens, #local, &self.#f)?; },
                            quote! { let #f = c.optional(#ens, #local)?; },
                        ),
                        (Occurs::Optional, true) => (
                            quote!(Option<Box<#ty>>),
                            quote! { if let Some(v) = &self.#f { w.element(#ens, #local, &**v)?; } },
                            quote! { let #f = c.optional::<#ty>(#ens, #local)?.map(Box::new); },
                        ),
                        (Occurs::Many, _) => (
                            quote!(Vec<#ty>),
                            quote! { w.repeated(#ens, #local, &self.#f, #min_l, #max)?; },
                            quote! { let #f = c.repeated(#ens, #local, #min_l, #max)?; },
                        ),
                    };
                    fields.push(quote! { #fdoc pub #f: #fty, });
                    writes.push(write);
                    reads.push(read);
                    idents.push(f);
                }
            }
        }
        Ok(())
    }

    fn any_constraint(
        &self,
        owner: &TypeIdent,
        ns: Option<&NamespaceListType>,
    ) -> Result<TokenStream> {
        let rt = &self.rt;
        let Some(list) = ns else {
            return Ok(quote!(#rt::NamespaceConstraint::Any));
        };
        let text = format!("{list:?}");
        // The engine keeps the attribute's words; map the three forms XSD 1.0 defines.
        Ok(if text.contains("Any") && !text.contains("Other") {
            quote!(#rt::NamespaceConstraint::Any)
        } else if text.contains("Other") {
            quote!(#rt::NamespaceConstraint::Other)
        } else {
            return Err(self.unsupported(owner, &format!("xs:any with namespace list {text}")));
        })
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

    /// Elements that can start group `g`.
    fn first_set(&self, g: &TypeIdent, depth: usize) -> Result<Vec<(Option<String>, String)>> {
        let mut out = Vec::new();
        if depth > 16 {
            return Ok(out);
        }
        let Some(t) = self.types.items.get(g) else {
            return Ok(out);
        };
        let (is_choice, gm) = match &t.variant {
            MetaTypeVariant::Choice(gm) => (true, gm),
            MetaTypeVariant::Sequence(gm) | MetaTypeVariant::All(gm) => (false, gm),
            _ => return Ok(out),
        };
        for e in &gm.elements.0 {
            match &e.variant {
                ElementMetaVariant::Type {
                    type_,
                    mode: ElementMode::Element,
                } => {
                    let qualified =
                        e.form == FormChoiceType::Qualified || type_.type_ == IdentType::Element;
                    out.push((
                        if qualified {
                            self.uri(e.ident.ns)
                        } else {
                            None
                        },
                        e.ident.name.as_str().to_owned(),
                    ));
                }
                ElementMetaVariant::Type {
                    type_,
                    mode: ElementMode::Group,
                } => {
                    out.extend(self.first_set(type_, depth + 1)?);
                }
                ElementMetaVariant::Any { .. } => {
                    return Err(self
                        .unsupported(g, "xs:any at the start of a choice branch or nested group"));
                }
                ElementMetaVariant::Text => {}
            }
            if !is_choice && e.min_occurs > 0 {
                break;
            }
        }
        Ok(out)
    }

    fn group(&mut self, g: &TypeIdent) -> Result<TokenStream> {
        let rt = self.rt.clone();
        let name = ident(&self.names[g].name);
        let t = &self.types.items[g];
        let doc = doc_attr(&t.documentation);
        let first = self.first_set(g, 0)?;
        let first_items: Vec<TokenStream> = first
            .iter()
            .map(|(ns, l)| {
                let ns = self.ns_tokens(ns);
                quote!((#ns, #l))
            })
            .collect();
        let first_const = quote! {
            const FIRST: &'static [(Option<&'static str>, &'static str)] = &[#(#first_items),*];
        };
        match &t.variant {
            MetaTypeVariant::Choice(gm) => {
                let gm = gm.clone();
                let mut variants = Vec::new();
                let mut writes = Vec::new();
                let mut reads = Vec::new();
                let mut vnames = NameSet::default();
                for e in &gm.elements.0 {
                    let occ = occurs(e.min_occurs, &e.max_occurs);
                    let min_l = Literal::usize_unsuffixed(e.min_occurs);
                    let max = max_tokens(&e.max_occurs);
                    let vdoc = doc_attr(&e.documentation);
                    match &e.variant {
                        ElementMetaVariant::Type {
                            type_,
                            mode: ElementMode::Element,
                        } => {
                            let local = e.ident.name.as_str().to_owned();
                            let qualified = e.form == FormChoiceType::Qualified
                                || type_.type_ == IdentType::Element;
                            let ens_v = if qualified {
                                self.uri(e.ident.ns)
                            } else {
                                None
                            };
                            let ens = self.ns_tokens(&ens_v);
                            let v = ident(&vnames.claim(&names::type_name(&local), "Element"));
                            let ty = self.type_path(g, type_)?;
                            let target = self.resolve_ref(type_).clone();
                            let boxed = self.boxed.contains(&(g.clone(), target));
                            let (pty, write, read) = match (occ, boxed) {
                                (Occurs::One, false) => (
                                    quote!(#ty),
                                    quote!(w.element(#ens, #local, v)),
                                    quote!(c.required(#ens, #local)?),
                                ),
                                (Occurs::One, true) => (
                                    quote!(Box<#ty>),
                                    quote!(w.element(#ens, #local, &**v)),
                                    quote!(Box::new(c.required::<#ty>(#ens, #local)?)),
                                ),
                                (Occurs::Optional, _) => (
                                    quote!(Option<#ty>),
                                    quote!(w.optional(#ens, #local, v)),
                                    quote!(c.optional(#ens, #local)?),
                                ),
                                (Occurs::Many, _) => (
                                    quote!(Vec<#ty>),
                                    quote!(w.repeated(#ens, #local, v, #min_l, #max)),
                                    quote!(c.repeated(#ens, #local, #min_l, #max)?),
                                ),
                            };
                            variants.push(quote! { #vdoc #v(#pty), });
                            writes.push(quote! { Self::#v(v) => #write, });
                            reads.push(quote! {
                                if c.is_next(#ens, #local) { return Ok(Self::#v(#read)); }
                            });
                        }
                        ElementMetaVariant::Type {
                            type_,
                            mode: ElementMode::Group,
                        } => {
                            let (gname, _) = self.group_name(g, type_, e)?;
                            let v = ident(&vnames.claim(&gname, "Group"));
                            let gty = self.type_path(g, type_)?;
                            let sub_first = self.first_set(type_, 0)?;
                            let sub_items: Vec<TokenStream> = sub_first
                                .iter()
                                .map(|(ns, l)| {
                                    let ns = self.ns_tokens(ns);
                                    quote!((#ns, #l))
                                })
                                .collect();
                            let (pty, write, read) = match occ {
                                Occurs::One => (
                                    quote!(#gty),
                                    quote!(#rt::XmlChoice::write_group(v, w)),
                                    quote!(c.required_group()?),
                                ),
                                Occurs::Optional => (
                                    quote!(Option<#gty>),
                                    quote!(match v { Some(v) => #rt::XmlChoice::write_group(v, w), None => Ok(()) }),
                                    quote!(c.optional_group()?),
                                ),
                                Occurs::Many => (
                                    quote!(Vec<#gty>),
                                    quote!(v.iter().try_for_each(|v| #rt::XmlChoice::write_group(v, w))),
                                    quote!(c.repeated_group(#min_l, #max)?),
                                ),
                            };
                            variants.push(quote! { #vdoc #v(#pty), });
                            writes.push(quote! { Self::#v(v) => #write, });
                            reads.push(quote! {
                                if c.is_next_any_of(&[#(#sub_items),*]) { return Ok(Self::#v(#read)); }
                            });
                        }
                        ElementMetaVariant::Any { .. } => {
                            return Err(self.unsupported(g, "xs:any as a branch of xs:choice"));
                        }
                        ElementMetaVariant::Text => {
                            return Err(
                                self.unsupported(g, "mixed content (text between child elements)")
                            );
                        }
                    }
                }
                Ok(quote! {
                    #doc
                    #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                    pub enum #name { #(#variants)* }

                    impl #rt::XmlChoice for #name {
                        #first_const
                        fn write_group(&self, w: &mut #rt::Writer) -> ::core::result::Result<(), #rt::XmlError> {
                            match self { #(#writes)* }
                        }
                        fn read_group(c: &mut #rt::Children<'_, '_>) -> ::core::result::Result<Self, #rt::XmlError> {
                            #(#reads)*
                            Err(c.expected("a branch of the choice"))
                        }
                    }
                })
            }
            MetaTypeVariant::Sequence(gm) => {
                let gm = gm.clone();
                let mut fields = Vec::new();
                let mut writes = Vec::new();
                let mut reads = Vec::new();
                let mut idents = Vec::new();
                let mut field_names = NameSet::default();
                self.particles(
                    g,
                    &gm,
                    &mut field_names,
                    &mut fields,
                    &mut writes,
                    &mut reads,
                    &mut idents,
                )?;
                Ok(quote! {
                    #doc
                    #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                    pub struct #name { #(#fields)* }

                    impl #rt::XmlChoice for #name {
                        #first_const
                        fn write_group(&self, w: &mut #rt::Writer) -> ::core::result::Result<(), #rt::XmlError> {
                            #(#writes)*
                            Ok(())
                        }
                        fn read_group(c: &mut #rt::Children<'_, '_>) -> ::core::result::Result<Self, #rt::XmlError> {
                            #(#reads)*
                            Ok(Self { #(#idents),* })
                        }
                    }
                })
            }
            _ => Err(self.unsupported(g, "xs:all")),
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

    fn simple(&mut self, i: &TypeIdent, t: &MetaType, s: &SimpleMeta) -> Result<TokenStream> {
        let rt = self.rt.clone();
        if s.is_list {
            return Err(self.unsupported(i, "xs:list simple types"));
        }
        let name = ident(&self.names[i].name);
        let doc = doc_attr(&t.documentation);
        let base = self.type_path(i, &s.base)?;
        let c = &s.constrains;
        let has_facets = !c.patterns.is_empty()
            || c.min_length.is_some()
            || c.max_length.is_some()
            || c.total_digits.is_some()
            || c.fraction_digits.is_some()
            || !matches!(c.range.start, std::ops::Bound::Unbounded)
            || !matches!(c.range.end, std::ops::Bound::Unbounded);
        if !has_facets {
            return Ok(quote! { #doc pub type #name = #base; });
        }
        let rule = format_ident!("{}Facets", self.names[i].name);
        let type_name = i.name.as_str().to_owned();
        let mut facet_fields = Vec::new();
        if !c.patterns.is_empty() {
            // Patterns of one restriction step are alternatives (XSD ORs them).
            let joined = if c.patterns.len() == 1 {
                c.patterns[0].clone()
            } else {
                c.patterns
                    .iter()
                    .map(|p| format!("(?:{p})"))
                    .collect::<Vec<_>>()
                    .join("|")
            };
            facet_fields.push(quote!(patterns: &[#joined],));
        }
        let opt_usize = |v: Option<usize>| match v {
            Some(n) => {
                let n = Literal::usize_unsuffixed(n);
                quote!(Some(#n))
            }
            None => quote!(None),
        };
        if c.min_length.is_some() && c.min_length == c.max_length {
            let l = opt_usize(c.min_length);
            facet_fields.push(quote!(length: #l,));
        } else {
            if c.min_length.is_some() {
                let l = opt_usize(c.min_length);
                facet_fields.push(quote!(min_length: #l,));
            }
            if c.max_length.is_some() {
                let l = opt_usize(c.max_length);
                facet_fields.push(quote!(max_length: #l,));
            }
        }
        if c.total_digits.is_some() {
            let l = opt_usize(c.total_digits);
            facet_fields.push(quote!(total_digits: #l,));
        }
        if c.fraction_digits.is_some() {
            let l = opt_usize(c.fraction_digits);
            facet_fields.push(quote!(fraction_digits: #l,));
        }
        match &c.range.start {
            std::ops::Bound::Included(v) => facet_fields.push(quote!(min_inclusive: Some(#v),)),
            std::ops::Bound::Excluded(v) => facet_fields.push(quote!(min_exclusive: Some(#v),)),
            std::ops::Bound::Unbounded => {}
        }
        match &c.range.end {
            std::ops::Bound::Included(v) => facet_fields.push(quote!(max_inclusive: Some(#v),)),
            std::ops::Bound::Excluded(v) => facet_fields.push(quote!(max_exclusive: Some(#v),)),
            std::ops::Bound::Unbounded => {}
        }
        let ws = match c.whitespace {
            xsd_parser::models::meta::WhiteSpace::Collapse => quote!(Collapse),
            xsd_parser::models::meta::WhiteSpace::Replace => quote!(Replace),
            xsd_parser::models::meta::WhiteSpace::Preserve => {
                match self.builtin_root(&s.base).as_deref() {
                    Some("string") => quote!(Preserve),
                    Some("normalizedString") => quote!(Replace),
                    _ => quote!(Collapse),
                }
            }
        };
        facet_fields.push(quote!(white_space: #rt::WhiteSpace::#ws,));
        let rule_doc = format!(" The facets of [`{}`].", self.names[i].name);
        Ok(quote! {
            #doc
            pub type #name = #rt::Restricted<#base, #rule>;

            #[doc = #rule_doc]
            #[derive(Debug)]
            pub enum #rule {}

            impl #rt::Restriction<#base> for #rule {
                const TYPE_NAME: &'static str = #type_name;
                fn facets() -> &'static #rt::Facets {
                    static FACETS: #rt::Facets = #rt::Facets { #(#facet_fields)* ..#rt::Facets::NONE };
                    &FACETS
                }
            }
        })
    }

    fn enumeration(
        &mut self,
        i: &TypeIdent,
        t: &MetaType,
        e: &EnumerationMeta,
    ) -> Result<TokenStream> {
        let rt = self.rt.clone();
        let name = ident(&self.names[i].name);
        let type_name = i.name.as_str().to_owned();
        let doc = doc_attr(&t.documentation);
        let mut vnames = NameSet::default();
        let mut variants = Vec::new();
        let mut values = Vec::new();
        let mut arms = Vec::new();
        for v in &e.variants.0 {
            let lexical = v.ident.name.as_str().to_owned();
            let vn = ident(&vnames.claim(&names::variant_name(&lexical), "Value"));
            let vdoc = doc_attr(&v.documentation);
            let vdoc = if v.documentation.is_empty() {
                let d = format!(" `{lexical}`");
                quote!(#[doc = #d])
            } else {
                vdoc
            };
            variants.push(quote! { #vdoc #[serde(rename = #lexical)] #vn, });
            values.push(quote! { (#lexical, Self::#vn), });
            arms.push(quote! { Self::#vn => #lexical, });
        }
        if variants.is_empty() {
            return Err(self.unsupported(i, "an enumeration without values"));
        }
        Ok(quote! {
            #doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
            pub enum #name { #(#variants)* }

            impl #rt::XmlEnum for #name {
                const TYPE_NAME: &'static str = #type_name;
                const VALUES: &'static [(&'static str, Self)] = &[#(#values)*];
                fn as_str(&self) -> &'static str {
                    match self { #(#arms)* }
                }
            }

            impl #rt::XmlValue for #name {
                fn to_xml_text(&self) -> ::std::borrow::Cow<'_, str> {
                    ::std::borrow::Cow::Borrowed(#rt::XmlEnum::as_str(self))
                }
                fn from_xml_text(text: &str) -> ::core::result::Result<Self, #rt::ValueError> {
                    <Self as #rt::XmlEnum>::parse(text)
                }
            }
        })
    }

    /// A `RootElement` constant for every global element.
    fn root_elements(&mut self) -> Result<()> {
        let rt = self.rt.clone();
        let elements: Vec<TypeIdent> = self
            .types
            .items
            .keys()
            .filter(|i| i.type_ == IdentType::Element && !self.is_engine_builtin(i))
            .cloned()
            .collect();
        let mut consts: BTreeMap<String, NameSet> = BTreeMap::new();
        for el in elements {
            let ty = match self.type_path(&el, &el) {
                Ok(t) => t,
                Err(e) => {
                    // Abstract heads of substitution groups have no type of their own.
                    if matches!(
                        self.types.items.get(&el).map(|t| &t.variant),
                        Some(MetaTypeVariant::Dynamic(_))
                    ) {
                        return Err(e);
                    }
                    return Err(e);
                }
            };
            let module = self.module_for(el.ns);
            self.current_module = module.clone();
            let local = el.name.as_str().to_owned();
            let cname = consts
                .entry(module.clone())
                .or_insert_with(|| NameSet::with_reserved(&["NAMESPACE"]))
                .claim(&names::const_name(&local), "_ELEMENT");
            let cident = ident(&cname);
            let ns = self.ns_tokens(&self.uri(el.ns));
            let doc = format!(" The global element `{local}`.");
            let tdoc = doc_attr(&self.types.items[&el].documentation);
            self.items.entry(module).or_default().push((
                format!("0{cname}"),
                quote! {
                    #[doc = #doc]
                    #tdoc
                    pub const #cident: #rt::RootElement<#ty> = #rt::RootElement::new(#ns, #local);
                },
            ));
        }
        Ok(())
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
