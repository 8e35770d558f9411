//! The Rust items for XSD types: structs for complex types and sequences; enums for choices,
//! unions, substitution groups and abstract types (`xsi:type`); aliases, lists and restricted
//! values for simple types; a `RootElement` constant for every global element.
//!
//! Representation of the constructs that need a choice of representation:
//! - `xs:union`: an enum with a variant per member type; reading tries the members in schema
//!   order (as XSD does), writing writes the member held;
//! - `xs:list`: `elt_xml::List<T>`, whose length facets count items;
//! - `xs:anyType`, and elements declared without a type: `elt_xml::AnyContent`, lossless;
//! - mixed content: the typed fields, plus `text: Vec<String>` holding the text before each
//!   child element (and after the last), so text and elements keep their order;
//! - `xs:anyAttribute`: `any_attributes: Vec<(namespace, local name, value)>`;
//! - `xs:all`: the fields of a sequence, read in any order and written in schema order;
//! - a substitution group head: an enum with a variant per concrete member element, read by
//!   element name; an abstract complex type: an enum with a variant per type derived from it,
//!   read and written with `xsi:type`;
//! - `nillable="true"`: `elt_xml::Nillable<T>`.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use xsd_parser::models::meta::{AnyAttributeMeta, AnyMeta};
use xsd_parser::models::schema::MaxOccurs;
use xsd_parser::models::schema::xs::{BasicNamespaceListItemType, NamespaceListType};
use xsd_parser::{IdentType, TypeIdent};

use super::doc_text::doc_attrs;
use super::{
    Occurs, Renderer, TypeName, builtin_type, doc_attr, ident, ident_tokens, max_tokens, occurs,
};
use crate::error::Result;
use crate::model::Structure;
use crate::model::attributes::{AttributeUse, Attributes};
use crate::model::derivation::Substitute;
use crate::model::particles::{Compositor, Particle as ModelParticle, Term};
use crate::names;

use crate::model::naming::Slot;
use crate::model::types::{Complex, ContentShape, Kind};

/// The namespaces a wildcard allows (`None` in a list: no namespace).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Constraint {
    Any,
    Other,
    List(Vec<Option<String>>),
}

/// What an element particle holds.
enum Value {
    /// An element of Rust type `ty` (a `Nillable` where the element is nillable).
    Element {
        ns: TokenStream,
        local: String,
        ty: TokenStream,
    },
    /// A model group or a substitution group head: a type implementing `XmlChoice`.
    Group { ty: TokenStream, emptiable: bool },
    /// `xs:any`.
    Any {
        constraint: TokenStream,
        target: TokenStream,
    },
}

/// One particle: what it holds, how often, and whether it is boxed (it closes a cycle).
struct Part {
    value: Value,
    occ: Occurs,
    min: usize,
    max: MaxOccurs,
    boxed: bool,
}

impl Part {
    /// The Rust type of the field or variant.
    fn ty(&self, rt: &TokenStream) -> TokenStream {
        let inner = match &self.value {
            Value::Element { ty, .. } | Value::Group { ty, .. } => ty.clone(),
            Value::Any { .. } => quote!(#rt::AnyElement),
        };
        let inner = if self.boxed && self.occ != Occurs::Many {
            quote!(Box<#inner>)
        } else {
            inner
        };
        match self.occ {
            Occurs::One => inner,
            Occurs::Optional => quote!(Option<#inner>),
            Occurs::Many => quote!(Vec<#inner>),
        }
    }

    /// An expression writing `val` (a reference to the field or variant value), of type
    /// `Result<(), XmlError>`.
    fn write(&self, rt: &TokenStream, val: TokenStream) -> TokenStream {
        let min = Literal::usize_unsuffixed(self.min);
        let max = max_tokens(&self.max);
        let deref = if self.boxed { quote!(&**) } else { quote!() };
        match (&self.value, self.occ) {
            (Value::Element { ns, local, .. }, Occurs::One) => {
                quote!(w.element(#ns, #local, #deref #val))
            }
            (Value::Element { ns, local, .. }, Occurs::Optional) if !self.boxed => {
                quote!(w.optional(#ns, #local, #val))
            }
            (Value::Element { ns, local, .. }, Occurs::Optional) => quote! {
                match #val { Some(v) => w.element(#ns, #local, &**v), None => Ok(()) }
            },
            (Value::Element { ns, local, .. }, Occurs::Many) => {
                quote!(w.repeated(#ns, #local, #val, #min, #max))
            }
            (Value::Group { .. }, Occurs::One) => {
                quote!(#rt::XmlChoice::write_group(#deref #val, w))
            }
            (Value::Group { .. }, Occurs::Optional) => quote! {
                match #val { Some(v) => #rt::XmlChoice::write_group(#deref v, w), None => Ok(()) }
            },
            (Value::Group { .. }, Occurs::Many) => quote! {
                w.check_occurs("group", (#val).len(), #min, #max)
                    .and_then(|()| (#val).iter().try_for_each(|v| #rt::XmlChoice::write_group(v, w)))
            },
            (Value::Any { .. }, Occurs::One) => quote!({ w.any(#val); Ok(()) }),
            (Value::Any { .. }, Occurs::Optional) => quote!({
                if let Some(v) = #val { w.any(v); }
                Ok(())
            }),
            (Value::Any { .. }, Occurs::Many) => quote!({
                w.check_occurs("xs:any", (#val).len(), #min, #max)?;
                w.any_all(#val);
                Ok(())
            }),
        }
    }

    /// An expression reading the value with the cursor `c`.
    fn read(&self) -> TokenStream {
        let min = Literal::usize_unsuffixed(self.min);
        let max = max_tokens(&self.max);
        match (&self.value, self.occ, self.boxed) {
            (Value::Element { ns, local, .. }, Occurs::One, false) => {
                quote!(c.required(#ns, #local)?)
            }
            (Value::Element { ns, local, ty }, Occurs::One, true) => {
                quote!(Box::new(c.required::<#ty>(#ns, #local)?))
            }
            (Value::Element { ns, local, .. }, Occurs::Optional, false) => {
                quote!(c.optional(#ns, #local)?)
            }
            (Value::Element { ns, local, ty }, Occurs::Optional, true) => {
                quote!(c.optional::<#ty>(#ns, #local)?.map(Box::new))
            }
            (Value::Element { ns, local, .. }, Occurs::Many, _) => {
                quote!(c.repeated(#ns, #local, #min, #max)?)
            }
            (
                Value::Group {
                    emptiable: true, ..
                },
                Occurs::One,
                false,
            ) => quote!(c.group()?),
            (
                Value::Group {
                    ty,
                    emptiable: true,
                },
                Occurs::One,
                true,
            ) => {
                quote!(Box::new(c.group::<#ty>()?))
            }
            (Value::Group { .. }, Occurs::One, false) => quote!(c.required_group()?),
            (Value::Group { ty, .. }, Occurs::One, true) => {
                quote!(Box::new(c.required_group::<#ty>()?))
            }
            (Value::Group { .. }, Occurs::Optional, false) => quote!(c.optional_group()?),
            (Value::Group { ty, .. }, Occurs::Optional, true) => {
                quote!(c.optional_group::<#ty>()?.map(Box::new))
            }
            (Value::Group { .. }, Occurs::Many, _) => quote!(c.repeated_group(#min, #max)?),
            (Value::Any { .. }, Occurs::One, _) => quote!(c.any_element()?),
            (Value::Any { .. }, Occurs::Optional, _) => quote!(Some(c.any_element()?)),
            (Value::Any { constraint, target }, _, _) => {
                quote!(c.any(&#constraint, #target, #min, #max)?)
            }
        }
    }

    /// A condition true when the next child starts this particle (for choice branches).
    fn starts(&self) -> TokenStream {
        match &self.value {
            Value::Element { ns, local, .. } => quote!(c.is_next(#ns, #local)),
            Value::Group { ty, .. } => quote!(c.is_next_group::<#ty>()),
            Value::Any { constraint, target } => quote!(c.is_next_wildcard(&#constraint, #target)),
        }
    }

    /// Whether the particle can match nothing.
    fn emptiable(&self) -> bool {
        self.min == 0
            || matches!(
                self.value,
                Value::Group {
                    emptiable: true,
                    ..
                }
            )
    }
}

/// The elements and wildcards that can start a group.
#[derive(Default)]
struct FirstSet {
    names: Vec<(Option<String>, String)>,
    wildcards: Vec<(TokenStream, Option<String>)>,
}

impl<'a> Renderer<'a> {
    /// Rust path of the type an element particle's content has (nillable included).
    fn value_type(
        &self,
        owner: &TypeIdent,
        type_: &TypeIdent,
        nillable: bool,
    ) -> Result<TokenStream> {
        let rt = &self.rt;
        let ty = self.type_path(owner, type_)?;
        Ok(if nillable {
            quote!(#rt::Nillable<#ty>)
        } else {
            ty
        })
    }

    /// The particles of model group `g` (none for an ident that is not one). The slice
    /// borrows the model, not `self`.
    fn particles_of(&self, g: &TypeIdent) -> &'a [ModelParticle] {
        let structure: &'a Structure = self.structure;
        structure.particles(g)
    }

    /// True when `i` names a substitution group head (a global element with members).
    pub(super) fn is_head(&self, i: &TypeIdent) -> bool {
        i.type_ == IdentType::Element
            && matches!(self.structure.kind(i), Some(Kind::Substitution(_)))
    }

    /// The concrete members of the substitution group of head `h`, in the order of its
    /// enum's variants.
    fn members(&self, h: &TypeIdent) -> &'a [Substitute] {
        let structure: &'a Structure = self.structure;
        structure.substitutes.get(h).map_or(&[], Vec::as_slice)
    }

    /// Whether a model group can match no element at all.
    pub(super) fn group_emptiable(&self, g: &TypeIdent, depth: usize) -> bool {
        if depth > 32 {
            return false;
        }
        let Some(group) = self.structure.groups.get(g) else {
            return false;
        };
        let empty = |p: &ModelParticle| {
            p.min == 0
                || matches!(&p.term, Term::Group(inner) if self.group_emptiable(inner, depth + 1))
        };
        if group.compositor == Compositor::Choice {
            group.particles.iter().any(empty)
        } else {
            group.particles.iter().all(empty)
        }
    }

    /// The particle `p` inside `owner`.
    fn part(&mut self, owner: &TypeIdent, p: &ModelParticle) -> Result<Part> {
        let occ = occurs(p.min, &p.max);
        let owner_ns = self.uri(owner.ns);
        let (value, target) = match &p.term {
            Term::Text => {
                return Err(self.unsupported(owner, "text as a particle of a model group", None));
            }
            Term::Any(meta) => {
                // The namespace of the schema that wrote the wildcard: the owner's, unless the
                // particle is inherited from a base declared elsewhere (see `wildcards`).
                let declared_in = self
                    .wildcard_namespaces
                    .pop_front()
                    .unwrap_or_else(|| owner_ns.clone());
                let constraint = self.any_constraint(owner, meta, declared_in.as_deref())?;
                let target = self.ns_tokens(&declared_in);
                (Value::Any { constraint, target }, None)
            }
            Term::Group(type_) => {
                let ty = self.type_path(owner, type_)?;
                let emptiable = self.group_emptiable(type_, 0);
                (Value::Group { ty, emptiable }, Some(type_.clone()))
            }
            Term::Element { type_, .. } if self.is_head(type_) => {
                let ty = self.type_path(owner, type_)?;
                (
                    Value::Group {
                        ty,
                        emptiable: false,
                    },
                    Some(type_.clone()),
                )
            }
            Term::Element {
                local,
                namespace,
                type_,
                nillable,
            } => {
                let ns = self.ns_tokens(namespace);
                let ty = self.value_type(owner, type_, *nillable)?;
                (
                    Value::Element {
                        ns,
                        local: local.clone(),
                        ty,
                    },
                    Some(self.resolve_ref(type_).clone()),
                )
            }
        };
        let boxed = target.is_some_and(|t| self.boxed.contains(&(owner.clone(), t)));
        Ok(Part {
            value,
            occ,
            min: p.min,
            max: p.max,
            boxed,
        })
    }

    /// The `NamespaceConstraint` of an `xs:any` or `xs:anyAttribute`; `declared_in` is the
    /// target namespace of the schema that writes it (what `##targetNamespace` means).
    fn namespace_constraint(
        &self,
        owner: &TypeIdent,
        namespace: Option<&NamespaceListType>,
        refused: bool,
        declared_in: Option<&str>,
    ) -> Result<Constraint> {
        if refused {
            return Err(self.unsupported(
                owner,
                "a wildcard with notNamespace or notQName (XSD 1.1)",
                Some("any"),
            ));
        }
        Ok(match namespace {
            None | Some(NamespaceListType::Any) => Constraint::Any,
            Some(NamespaceListType::Other) => Constraint::Other,
            Some(NamespaceListType::BasicNamespaceList(list)) => Constraint::List(
                list.0
                    .iter()
                    .map(|item| match item {
                        BasicNamespaceListItemType::String(uri) => Some(uri.clone()),
                        BasicNamespaceListItemType::TargetNamespace => {
                            declared_in.map(str::to_owned)
                        }
                        BasicNamespaceListItemType::Local => None,
                    })
                    .collect(),
            ),
        })
    }

    /// A namespace constraint as the runtime's `NamespaceConstraint` expression.
    fn constraint_tokens(&self, c: &Constraint) -> TokenStream {
        let rt = &self.rt;
        match c {
            Constraint::Any => quote!(#rt::NamespaceConstraint::Any),
            Constraint::Other => quote!(#rt::NamespaceConstraint::Other),
            Constraint::List(list) => {
                let items = list.iter().map(|ns| match ns {
                    Some(uri) => quote!(Some(#uri)),
                    None => quote!(None),
                });
                quote!(#rt::NamespaceConstraint::List(&[#(#items),*]))
            }
        }
    }

    fn any_constraint(
        &self,
        owner: &TypeIdent,
        meta: &AnyMeta,
        declared_in: Option<&str>,
    ) -> Result<TokenStream> {
        let c = self.namespace_constraint(
            owner,
            meta.namespace.as_ref(),
            meta.not_namespace.is_some() || meta.not_q_name.is_some(),
            declared_in,
        )?;
        Ok(self.constraint_tokens(&c))
    }

    fn any_attribute_constraint(
        &self,
        owner: &TypeIdent,
        meta: &AnyAttributeMeta,
        declared_in: Option<&str>,
    ) -> Result<Constraint> {
        self.namespace_constraint(
            owner,
            meta.namespace.as_ref(),
            meta.not_namespace.is_some() || meta.not_q_name.is_some(),
            declared_in,
        )
    }

    /// The key of a named type in what the schema texts say (`SourceFacts`): namespace and
    /// local name.
    fn source_key(&self, i: &TypeIdent) -> (Option<String>, String) {
        (self.uri(i.ns), i.name.as_str().to_owned())
    }

    /// The declaring namespaces of the element wildcards among the particles `g` of the named
    /// complex type `i`, in order, where the source accounts for exactly those wildcards; else
    /// none, and each wildcard is taken as the owner's.
    fn wildcard_origins(
        &self,
        i: &TypeIdent,
        particles: &[ModelParticle],
    ) -> std::collections::VecDeque<Option<String>> {
        let key = self.source_key(i);
        let direct = particles
            .iter()
            .filter(|p| matches!(p.term, Term::Any(_)))
            .count();
        match crate::xsd::wildcards::origins(&self.source.wildcards, &key) {
            Some(origins) if origins.len() == direct => origins.into(),
            _ => Default::default(),
        }
    }

    /// Types with derived types in the set (not abstract): their instances may name a derived
    /// type with `xsi:type`, which is refused when read rather than half read.
    fn has_derived_types(&self, i: &TypeIdent) -> bool {
        self.bases.contains(i)
    }

    pub(super) fn complex(&mut self, i: &TypeIdent, c: &'a Complex) -> Result<TokenStream> {
        if c.dynamic {
            return self.abstract_type(i);
        }
        let rt = self.rt.clone();
        let name = ident(&self.names[i].name);
        let doc = doc_attr(self.docs(i));
        let content = &c.content;
        let mixed = content.mixed;
        let mut fields = Vec::new();
        let mut writes = Vec::new();
        let mut reads = Vec::new();
        let mut attr_idents: Vec<Ident> = Vec::new();
        let mut declared = Vec::new();
        let mut wildcard: Option<Constraint> = None;
        let mut attribute_wildcard_ns = self.uri(i.ns);
        // Attributes first: they are written on the start tag.
        // The map outlives `self`'s borrow, so the attributes are read in place.
        let all_attributes = &self.structure.attributes;
        let no_attributes = Attributes::default();
        let attributes = all_attributes.get(i).unwrap_or(&no_attributes);
        for meta in &attributes.wildcards {
            // Inherited from a base in another schema: that schema's namespace is what
            // `##other` excludes (see `wildcards`).
            let declared_in = crate::xsd::wildcards::attribute_origin(
                &self.source.wildcards,
                &self.source_key(i),
            )
            .unwrap_or_else(|| self.uri(i.ns));
            attribute_wildcard_ns = declared_in.clone();
            let constraint = self.any_attribute_constraint(i, meta, declared_in.as_deref())?;
            if wildcard.as_ref().is_some_and(|w| *w != constraint) {
                return Err(self.unsupported(
                    i,
                    "several xs:anyAttribute wildcards with different namespaces",
                    Some("anyAttribute"),
                ));
            }
            wildcard = Some(constraint);
        }
        for a in attributes.fields() {
            let local = &a.local;
            let ans_t = self.ns_tokens(&a.namespace);
            declared.push(quote!((#ans_t, #local)));
            let f = self.member(i, Slot::Attribute(a.index))?;
            let ty = self.type_path(i, &a.type_)?;
            let fdoc = doc_attr(&a.documentation);
            attr_idents.push(f.clone());
            if a.use_ == AttributeUse::Required {
                fields.push(quote! { #fdoc pub #f: #ty, });
                writes.push(
                    quote! { w.attribute(#ans_t, #local, &#rt::XmlValue::to_xml_text(&self.#f)); },
                );
                reads.push(quote! {
                    let #f = #rt::encoding::attribute(node, #ans_t, #local)?.ok_or_else(|| {
                        #rt::XmlError::at_node(node, concat!("missing required attribute ", #local))
                    })?;
                });
            } else {
                fields.push(quote! { #fdoc pub #f: Option<#ty>, });
                writes.push(quote! { w.attribute_value(#ans_t, #local, &self.#f); });
                reads.push(quote! { let #f = #rt::encoding::attribute(node, #ans_t, #local)?; });
            }
        }
        if let Some(constraint) = wildcard {
            let constraint = self.constraint_tokens(&constraint);
            let f = self.member(i, Slot::AnyAttributes)?;
            let ons = self.ns_tokens(&attribute_wildcard_ns);
            fields.push(quote! {
                /// Attributes allowed by the schema's `xs:anyAttribute`, as `(namespace, local
                /// name, value)`.
                pub #f: Vec<(Option<::std::string::String>, ::std::string::String, ::std::string::String)>,
            });
            writes.push(quote! { w.any_attributes(&self.#f); });
            reads.push(quote! { let #f = #rt::encoding::any_attributes(node, &[#(#declared),*], &#constraint, #ons)?; });
            attr_idents.push(f);
        }
        let attr_writes = writes.len();
        if self.has_derived_types(i) {
            let ons = self.ns_tokens(&self.uri(i.ns));
            let local = i.name.as_str();
            reads.insert(
                0,
                quote! { #rt::encoding::check_xsi_type(node, #ons, #local)?; },
            );
        }
        let mut field_idents: Vec<Ident> = Vec::new();
        let open_children = if mixed {
            quote! { let mut c = #rt::encoding::Children::new_mixed(node); }
        } else {
            quote! { let mut c = #rt::encoding::Children::new(node)?; }
        };
        match &content.shape {
            ContentShape::Empty if !mixed => {
                reads.push(quote! { #rt::encoding::Children::new(node)?.finish()?; });
            }
            ContentShape::Empty => reads.push(open_children),
            ContentShape::Sequence(g) => {
                let particles = self.particles_of(g);
                reads.push(open_children);
                self.wildcard_namespaces = self.wildcard_origins(i, particles);
                self.particles(
                    i,
                    particles,
                    false,
                    &mut fields,
                    &mut writes,
                    &mut reads,
                    &mut field_idents,
                )?;
                self.wildcard_namespaces.clear();
            }
            ContentShape::All(g) => {
                let particles = self.particles_of(g);
                reads.push(open_children);
                self.wildcard_namespaces = self.wildcard_origins(i, particles);
                self.all_particles(
                    i,
                    particles,
                    &mut fields,
                    &mut writes,
                    &mut reads,
                    &mut field_idents,
                )?;
                self.wildcard_namespaces.clear();
            }
            ContentShape::Group(ci) => {
                // The whole content is one group (a choice, or a group that is optional or
                // repeated): a single field holding it.
                let content = [ModelParticle::content(ci, c.content_min, c.content_max)];
                reads.push(open_children);
                self.particles(
                    i,
                    &content,
                    true,
                    &mut fields,
                    &mut writes,
                    &mut reads,
                    &mut field_idents,
                )?;
            }
            ContentShape::Simple(ci) => {
                // Simple content: the element's text is a value of the content type.
                let ty = self.type_path(i, ci)?;
                let f = self.member(i, Slot::Value)?;
                fields.push(quote! { /// The element's text content.
                pub #f: #ty, });
                writes.push(quote! { #rt::XmlContent::write_content(&self.#f, w)?; });
                reads.push(quote! { let #f = #rt::XmlContent::read_content(node)?; });
                field_idents.push(f);
            }
        }
        if mixed {
            if matches!(content.shape, ContentShape::Simple(_)) {
                return Err(self.unsupported(i, "mixed content with simple content", None));
            }
            let f = self.member(i, Slot::Text)?;
            fields.push(quote! {
                /// Mixed content: the text before each child element, in order, then the text
                /// after the last one (see `Children::mixed_text`).
                pub #f: Vec<::std::string::String>,
            });
            writes.insert(attr_writes, quote! { w.mixed(&self.#f); });
            reads.push(quote! { let #f = c.mixed_text(); });
            field_idents.push(f);
        }
        if content.is_group() || (matches!(content.shape, ContentShape::Empty) && mixed) {
            reads.push(quote! { c.finish()?; });
        }
        if writes.is_empty() {
            writes.push(quote! { let _ = w; });
        }
        let all_idents: Vec<&Ident> = attr_idents.iter().chain(field_idents.iter()).collect();
        Ok(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            pub struct #name { #(#fields)* }

            impl #rt::XmlContent for #name {
                fn write_content(&self, w: &mut #rt::Writer) -> #rt::XmlResult<()> {
                    #(#writes)*
                    Ok(())
                }
                fn read_content(node: #rt::Node<'_, '_>) -> #rt::XmlResult<Self> {
                    #(#reads)*
                    Ok(Self { #(#all_idents),* })
                }
            }
        })
    }

    /// Fields, writes and reads for the particles of a sequence, in order.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn particles(
        &mut self,
        owner: &TypeIdent,
        particles: &[ModelParticle],
        content: bool,
        fields: &mut Vec<TokenStream>,
        writes: &mut Vec<TokenStream>,
        reads: &mut Vec<TokenStream>,
        idents: &mut Vec<Ident>,
    ) -> Result<()> {
        let rt = self.rt.clone();
        for p in particles {
            let fdoc = doc_attr(&p.documentation);
            let part = self.part(owner, p)?;
            // The one group a complex type's content is, or a particle of a sequence.
            let f = self.member(
                owner,
                if content {
                    Slot::Content
                } else {
                    Slot::Particle(p.index)
                },
            )?;
            if let Value::Any { constraint, target } = &part.value {
                // Kept as it was before wildcards could be choice branches: always a Vec.
                let min = Literal::usize_unsuffixed(part.min);
                let max = max_tokens(&part.max);
                fields.push(quote! {
                    /// Elements allowed by the schema's `xs:any` here, kept with their namespaces.
                    pub #f: Vec<#rt::AnyElement>,
                });
                writes.push(quote! {
                    w.check_occurs("xs:any", self.#f.len(), #min, #max)?;
                    w.any_all(&self.#f);
                });
                reads.push(quote! { let #f = c.any(&#constraint, #target, #min, #max)?; });
                idents.push(f);
                continue;
            }
            let ty = part.ty(&rt);
            let write = part.write(&rt, quote!(&self.#f));
            let read = part.read();
            fields.push(quote! { #fdoc pub #f: #ty, });
            writes.push(quote! { #write?; });
            reads.push(quote! { let #f = #read; });
            idents.push(f);
        }
        Ok(())
    }

    /// Fields, writes and reads for the elements of an `xs:all`: read in any order into slots.
    #[allow(clippy::too_many_arguments)]
    fn all_particles(
        &mut self,
        owner: &TypeIdent,
        particles: &[ModelParticle],
        fields: &mut Vec<TokenStream>,
        writes: &mut Vec<TokenStream>,
        reads: &mut Vec<TokenStream>,
        idents: &mut Vec<Ident>,
    ) -> Result<()> {
        let rt = self.rt.clone();
        let mut names_ = Vec::new();
        let mut slot_reads = Vec::new();
        for (n, p) in particles.iter().enumerate() {
            let part = self.part(owner, p)?;
            let Value::Element { ns, local, ty } = &part.value else {
                return Err(self.unsupported(
                    owner,
                    "a group, wildcard or substitution group head inside xs:all (XSD 1.1)",
                    Some("all"),
                ));
            };
            if part.occ == Occurs::Many {
                return Err(self.unsupported(
                    owner,
                    "an element occurring more than once inside xs:all (XSD 1.1)",
                    Some("all"),
                ));
            }
            let fdoc = doc_attr(&p.documentation);
            let f = self.member(owner, Slot::Particle(p.index))?;
            let n = Literal::usize_unsuffixed(n);
            names_.push(quote!((#ns, #local)));
            let read = match (part.occ, part.boxed) {
                (Occurs::One, false) => quote!(s.required(#n, #ns, #local)?),
                (Occurs::One, true) => quote!(Box::new(s.required::<#ty>(#n, #ns, #local)?)),
                (_, false) => quote!(s.optional(#n)?),
                (_, true) => quote!(s.optional::<#ty>(#n)?.map(Box::new)),
            };
            let fty = part.ty(&rt);
            let write = part.write(&rt, quote!(&self.#f));
            fields.push(quote! { #fdoc pub #f: #fty, });
            writes.push(quote! { #write?; });
            slot_reads.push(quote! { let #f = #read; });
            idents.push(f);
        }
        reads.push(quote! { let s = c.all(&[#(#names_),*])?; });
        reads.extend(slot_reads);
        Ok(())
    }

    /// Elements and wildcards that can start group `g`.
    fn first_set(&self, g: &TypeIdent, depth: usize) -> Result<FirstSet> {
        let mut out = FirstSet::default();
        if depth > 16 {
            return Ok(out);
        }
        if let Some(Kind::Substitution(_)) = self.structure.kind(g) {
            for m in self.members(g) {
                out.names.push((m.ns.clone(), m.local.clone()));
            }
            return Ok(out);
        }
        let Some(group) = self.structure.groups.get(g) else {
            return Ok(out);
        };
        for p in &group.particles {
            match &p.term {
                Term::Element { type_, .. } if self.is_head(type_) => {
                    let sub = self.first_set(type_, depth + 1)?;
                    out.names.extend(sub.names);
                }
                Term::Element {
                    local, namespace, ..
                } => out.names.push((namespace.clone(), local.clone())),
                Term::Group(type_) => {
                    let sub = self.first_set(type_, depth + 1)?;
                    out.names.extend(sub.names);
                    out.wildcards.extend(sub.wildcards);
                }
                Term::Any(meta) => {
                    let declared_in = self.uri(g.ns);
                    let c = self.any_constraint(g, meta, declared_in.as_deref())?;
                    out.wildcards.push((c, declared_in));
                }
                Term::Text => {}
            }
            let emptiable = p.min == 0
                || matches!(&p.term, Term::Group(type_) if self.group_emptiable(type_, 0));
            if group.compositor == Compositor::Sequence && !emptiable {
                break;
            }
        }
        Ok(out)
    }

    fn first_consts(&self, first: &FirstSet) -> TokenStream {
        let rt = &self.rt;
        let items: Vec<TokenStream> = first
            .names
            .iter()
            .map(|(ns, l)| {
                let ns = self.ns_tokens(ns);
                quote!((#ns, #l))
            })
            .collect();
        let wild = if first.wildcards.is_empty() {
            quote!()
        } else {
            let w = first.wildcards.iter().map(|(c, target)| {
                let t = self.ns_tokens(target);
                quote!((#c, #t))
            });
            quote! {
                const FIRST_ANY: &'static [(#rt::NamespaceConstraint, Option<&'static str>)] = &[#(#w),*];
            }
        };
        quote! {
            const FIRST: &'static [(Option<&'static str>, &'static str)] = &[#(#items),*];
            #wild
        }
    }

    pub(super) fn group(&mut self, g: &TypeIdent) -> Result<TokenStream> {
        let rt = self.rt.clone();
        let name = ident(&self.names[g].name);
        let doc = doc_attr(self.docs(g));
        let first = self.first_set(g, 0)?;
        let first_const = self.first_consts(&first);
        // The map outlives `self`'s borrow, so the particles are read in place.
        let groups = &self.structure.groups;
        let Some(group) = groups.get(g) else {
            return Err(self.unsupported(g, "a model group of an unexpected kind", None));
        };
        match group.compositor {
            Compositor::Choice => {
                let mut variants = Vec::new();
                let mut writes = Vec::new();
                let mut reads = Vec::new();
                let mut fallback = None;
                for p in &group.particles {
                    let vdoc = doc_attr(&p.documentation);
                    let part = self.part(g, p)?;
                    let v = self.member(g, Slot::Particle(p.index))?;
                    let pty = part.ty(&rt);
                    let write = part.write(&rt, quote!(v));
                    let read = part.read();
                    let starts = part.starts();
                    variants.push(quote! { #vdoc #v(#pty), });
                    writes.push(quote! { Self::#v(v) => #write, });
                    reads.push(quote! {
                        if #starts { return Ok(Self::#v(#read)); }
                    });
                    if fallback.is_none() && part.emptiable() {
                        fallback = Some(match part.occ {
                            Occurs::One => quote!(Ok(Self::#v(#read))),
                            _ => quote!(Ok(Self::#v(Default::default()))),
                        });
                    }
                }
                let fallback =
                    fallback.unwrap_or_else(|| quote!(Err(c.expected("a branch of the choice"))));
                Ok(quote! {
                    #doc
                    #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                    pub enum #name { #(#variants)* }

                    impl #rt::XmlChoice for #name {
                        #first_const
                        fn write_group(&self, w: &mut #rt::Writer) -> #rt::XmlResult<()> {
                            match self { #(#writes)* }
                        }
                        fn read_group(c: &mut #rt::encoding::Children<'_, '_>) -> #rt::XmlResult<Self> {
                            #(#reads)*
                            #fallback
                        }
                    }
                })
            }
            Compositor::Sequence | Compositor::All => {
                let mut fields = Vec::new();
                let mut writes = Vec::new();
                let mut reads = Vec::new();
                let mut idents = Vec::new();
                if group.compositor == Compositor::All {
                    self.all_particles(
                        g,
                        &group.particles,
                        &mut fields,
                        &mut writes,
                        &mut reads,
                        &mut idents,
                    )?;
                } else {
                    self.particles(
                        g,
                        &group.particles,
                        false,
                        &mut fields,
                        &mut writes,
                        &mut reads,
                        &mut idents,
                    )?;
                }
                Ok(quote! {
                    #doc
                    #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                    pub struct #name { #(#fields)* }

                    impl #rt::XmlChoice for #name {
                        #first_const
                        fn write_group(&self, w: &mut #rt::Writer) -> #rt::XmlResult<()> {
                            #(#writes)*
                            Ok(())
                        }
                        fn read_group(c: &mut #rt::encoding::Children<'_, '_>) -> #rt::XmlResult<Self> {
                            #(#reads)*
                            Ok(Self { #(#idents),* })
                        }
                    }
                })
            }
        }
    }

    /// A substitution group head: an enum of its concrete members, read by element name.
    pub(super) fn substitution(&mut self, h: &TypeIdent) -> Result<TokenStream> {
        let rt = self.rt.clone();
        let name = ident(&self.names[h].name);
        let doc = doc_attrs(
            self.docs(h),
            &[format!(
                "The element `{}` or any element of its substitution group.",
                h.name.as_str()
            )],
        );
        let members = self.members(h);
        let first = self.first_set(h, 0)?;
        let first_const = self.first_consts(&first);
        let mut variants = Vec::new();
        let mut writes = Vec::new();
        let mut reads = Vec::new();
        for (n, m) in members.iter().enumerate() {
            let v = self.member(h, Slot::Member(n))?;
            let ty = self.type_path(h, &m.value)?;
            let target = self.resolve_ref(&m.value).clone();
            let boxed = self.boxed.contains(&(h.clone(), target));
            let ns = self.ns_tokens(&m.ns);
            let local = &m.local;
            let vdoc = format!(" The element `{local}`.");
            if boxed {
                variants.push(quote! { #[doc = #vdoc] #v(Box<#ty>), });
                writes.push(quote! { Self::#v(v) => w.element(#ns, #local, &**v), });
                reads.push(quote! {
                    if c.is_next(#ns, #local) { return Ok(Self::#v(Box::new(c.required::<#ty>(#ns, #local)?))); }
                });
            } else {
                variants.push(quote! { #[doc = #vdoc] #v(#ty), });
                writes.push(quote! { Self::#v(v) => w.element(#ns, #local, v), });
                reads.push(quote! {
                    if c.is_next(#ns, #local) { return Ok(Self::#v(c.required(#ns, #local)?)); }
                });
            }
        }
        let write_body = if writes.is_empty() {
            quote!({
                let _ = w;
                match *self {}
            })
        } else {
            quote!(match self { #(#writes)* })
        };
        let what = format!(
            "an element of the substitution group of {}",
            h.name.as_str()
        );
        Ok(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            pub enum #name { #(#variants)* }

            impl #rt::XmlChoice for #name {
                #first_const
                fn write_group(&self, w: &mut #rt::Writer) -> #rt::XmlResult<()> {
                    #write_body
                }
                fn read_group(c: &mut #rt::encoding::Children<'_, '_>) -> #rt::XmlResult<Self> {
                    #(#reads)*
                    Err(c.expected(#what))
                }
            }
        })
    }

    /// An abstract complex type: an enum of the concrete types derived from it, chosen by
    /// `xsi:type`.
    fn abstract_type(&mut self, i: &TypeIdent) -> Result<TokenStream> {
        let rt = self.rt.clone();
        let name = ident(&self.names[i].name);
        let doc = doc_attrs(
            self.docs(i),
            &[format!(
                "The abstract type `{}`: an element of this type names the type of its content with \
             `xsi:type`, one of the types derived from it in the schema.",
                i.name.as_str()
            )],
        );
        let derived = self
            .structure
            .derived
            .get(i)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let abstract_name = i.name.as_str();
        let mut variants = Vec::new();
        let mut writes = Vec::new();
        let mut reads = Vec::new();
        let mut known = Vec::new();
        for (n, d) in derived.iter().enumerate() {
            if !self.names.contains_key(d) {
                continue;
            }
            let v = self.member(i, Slot::Member(n))?;
            let ty = self.type_path(i, d)?;
            let boxed = self.boxed.contains(&(i.clone(), d.clone()));
            let ns = self.ns_tokens(&self.uri(d.ns));
            let local = d.name.as_str();
            let vdoc = format!(" `xsi:type=\"{local}\"`");
            known.push(quote!((#ns, #local)));
            let (vty, val) = if boxed {
                (quote!(Box<#ty>), quote!(&**v))
            } else {
                (quote!(#ty), quote!(v))
            };
            let read = if boxed {
                quote!(Box::new(<#ty as #rt::XmlContent>::read_content(node)?))
            } else {
                quote!(#rt::XmlContent::read_content(node)?)
            };
            variants.push(quote! { #[doc = #vdoc] #v(#vty), });
            writes.push(quote! {
                Self::#v(v) => { w.xsi_type(#ns, #local)?; #rt::XmlContent::write_content(#val, w) }
            });
            reads.push(quote! {
                if t.0.as_deref() == #ns && t.1 == #local { return Ok(Self::#v(#read)); }
            });
        }
        let write_body = if writes.is_empty() {
            quote!({
                let _ = w;
                match *self {}
            })
        } else {
            quote!(match self { #(#writes)* })
        };
        Ok(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            pub enum #name { #(#variants)* }

            impl #rt::XmlContent for #name {
                fn write_content(&self, w: &mut #rt::Writer) -> #rt::XmlResult<()> {
                    #write_body
                }
                fn read_content(node: #rt::Node<'_, '_>) -> #rt::XmlResult<Self> {
                    let t = #rt::encoding::xsi_type(node, #abstract_name)?;
                    #(#reads)*
                    Err(#rt::encoding::unknown_xsi_type(node, #abstract_name, &t, &[#(#known),*]))
                }
            }
        })
    }

    /// Tokens of the facet set of a restriction, or `None` without facets.
    fn facet_fields(
        &self,
        owner: &TypeIdent,
        base_for_ws: Option<&TypeIdent>,
    ) -> Option<Vec<TokenStream>> {
        let rt = &self.rt;
        let c = self.structure.facets.get(owner).filter(|f| f.restricts())?;
        let list = c.list;
        let min_length = c.effective_min_length();
        let mut facet_fields = Vec::new();
        if !c.pattern_steps.is_empty() {
            // Patterns of one step are alternatives (XSD ORs them); the runtime ANDs the steps.
            // The alternatives are joined in XSD syntax (plain groups), which the runtime reads.
            let joined = c.pattern_steps.iter().map(|step| {
                if step.len() == 1 {
                    step[0].clone()
                } else {
                    step.iter()
                        .map(|p| format!("({p})"))
                        .collect::<Vec<_>>()
                        .join("|")
                }
            });
            facet_fields.push(quote!(patterns: &[#(#joined),*],));
        }
        let opt_usize = |v: Option<usize>| match v {
            Some(n) => {
                let n = Literal::usize_unsuffixed(n);
                quote!(Some(#n))
            }
            None => quote!(None),
        };
        if min_length.is_some() && min_length == c.max_length {
            let l = opt_usize(min_length);
            facet_fields.push(quote!(length: #l,));
        } else {
            if min_length.is_some() {
                let l = opt_usize(min_length);
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
        match &c.min {
            std::ops::Bound::Included(v) => facet_fields.push(quote!(min_inclusive: Some(#v),)),
            std::ops::Bound::Excluded(v) => facet_fields.push(quote!(min_exclusive: Some(#v),)),
            std::ops::Bound::Unbounded => {}
        }
        match &c.max {
            std::ops::Bound::Included(v) => facet_fields.push(quote!(max_inclusive: Some(#v),)),
            std::ops::Bound::Excluded(v) => facet_fields.push(quote!(max_exclusive: Some(#v),)),
            std::ops::Bound::Unbounded => {}
        }
        let ws = match c.white_space {
            xsd_parser::models::meta::WhiteSpace::Collapse => quote!(Collapse),
            xsd_parser::models::meta::WhiteSpace::Replace => quote!(Replace),
            xsd_parser::models::meta::WhiteSpace::Preserve if list => quote!(Collapse),
            xsd_parser::models::meta::WhiteSpace::Preserve => {
                match base_for_ws.and_then(|b| self.builtin_root(b)).as_deref() {
                    Some("string") => quote!(Preserve),
                    Some("normalizedString") => quote!(Replace),
                    _ => quote!(Collapse),
                }
            }
        };
        facet_fields.push(quote!(white_space: #rt::WhiteSpace::#ws,));
        Some(facet_fields)
    }

    /// `pub type Name = Restricted<Base, NameFacets>` and the facet marker.
    fn restricted(
        &mut self,
        i: &TypeIdent,
        doc: TokenStream,
        base: TokenStream,
        facet_fields: Vec<TokenStream>,
    ) -> TokenStream {
        let rt = self.rt.clone();
        let tn = self.names[i].clone();
        let name = ident(&tn.name);
        let rule_name = self
            .facet_names
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("{}Facets", tn.name));
        let rule = format_ident!("{}", rule_name);
        let type_name = i.name.as_str().to_owned();
        let rule_doc = format!(" The facets of [`{}`].", tn.name);
        quote! {
            #doc
            pub type #name = #rt::Restricted<#base, #rule>;

            #[doc = #rule_doc]
            #[derive(Debug)]
            pub enum #rule {}

            impl #rt::Restriction<#base> for #rule {
                const TYPE_NAME: &'static str = #type_name;
                const FACETS: #rt::Facets = #rt::Facets { #(#facet_fields)* ..#rt::Facets::NONE };
            }
        }
    }

    pub(super) fn simple(
        &mut self,
        i: &TypeIdent,
        base_type: &TypeIdent,
        list: bool,
    ) -> Result<TokenStream> {
        let rt = self.rt.clone();
        let name = ident(&self.names[i].name);
        let doc = doc_attr(self.docs(i));
        let item = self.type_path(i, base_type)?;
        let base = if list { quote!(#rt::List<#item>) } else { item };
        match self.facet_fields(i, Some(base_type)) {
            None => Ok(quote! { #doc pub type #name = #base; }),
            Some(facets) => Ok(self.restricted(i, doc, base, facets)),
        }
    }

    /// `xs:union`: an enum with a variant per member type, tried in schema order.
    pub(super) fn union(&mut self, i: &TypeIdent) -> Result<TokenStream> {
        let rt = self.rt.clone();
        let tn = self.names[i].clone();
        let doc = doc_attr(self.docs(i));
        let facets = self.facet_fields(i, None);
        // With facets, the enum gets its own name and the type is the restricted enum.
        let enum_name = match facets {
            None => tn.name.clone(),
            Some(_) => self
                .union_enums
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("{}Member", tn.name)),
        };
        let name = ident(&enum_name);
        let type_name = i.name.as_str().to_owned();
        let mut variants = Vec::new();
        let mut writes = Vec::new();
        let mut tries = Vec::new();
        let all_unions = &self.structure.unions;
        let members = all_unions.get(i).map(Vec::as_slice).unwrap_or_default();
        for (n, m) in members.iter().enumerate() {
            let ty = self.type_path(i, m)?;
            let v = self.member(i, Slot::Member(n))?;
            let vdoc = format!(" A value of the member type `{}`.", m.name.as_str());
            variants.push(quote! { #[doc = #vdoc] #v(#ty), });
            writes.push(quote! { Self::#v(v) => #rt::XmlValue::to_xml_text(v), });
            tries.push(quote! {
                if let Some(v) = #rt::encoding::union_member(text, Self::#v, &mut e) { return Ok(v); }
            });
        }
        if variants.is_empty() {
            return Err(self.unsupported(i, "an xs:union without member types", Some("union")));
        }
        let enum_doc = doc_attrs(
            self.docs(i),
            &[format!(
                "The union `{type_name}`: a value of the first member type (in schema order) that accepts it."
            )],
        );
        let enum_tokens = quote! {
            #enum_doc
            #[derive(Debug, Clone, PartialEq, PartialOrd, ::serde::Serialize, ::serde::Deserialize)]
            pub enum #name { #(#variants)* }

            impl #rt::XmlValue for #name {
                fn to_xml_text(&self) -> ::std::borrow::Cow<'_, str> {
                    match self { #(#writes)* }
                }
                fn from_xml_text(text: &str) -> ::core::result::Result<Self, #rt::ValueError> {
                    let mut e = Vec::new();
                    #(#tries)*
                    Err(#rt::encoding::union_error(#type_name, text, e))
                }
            }
        };
        Ok(match facets {
            None => enum_tokens,
            Some(facets) => {
                let restricted = self.restricted(i, doc, quote!(#name), facets);
                quote! { #enum_tokens #restricted }
            }
        })
    }

    pub(super) fn enumeration(&mut self, i: &TypeIdent) -> Result<TokenStream> {
        let rt = self.rt.clone();
        let name = ident(&self.names[i].name);
        let type_name = i.name.as_str().to_owned();
        let doc = doc_attr(self.docs(i));
        let mut variants = Vec::new();
        let mut values = Vec::new();
        let mut arms = Vec::new();
        let all_values = &self.structure.enumerations;
        let values_of = all_values.get(i).map(Vec::as_slice).unwrap_or_default();
        for (n, v) in values_of.iter().enumerate() {
            let lexical = &v.lexical;
            let vn = self.member(i, Slot::EnumValue(n))?;
            let vdoc = if v.documentation.is_empty() {
                let d = format!(" `{lexical}`");
                quote!(#[doc = #d])
            } else {
                doc_attr(&v.documentation)
            };
            variants.push(quote! { #vdoc #[serde(rename = #lexical)] #vn, });
            values.push(quote! { (#lexical, Self::#vn), });
            arms.push(quote! { Self::#vn => #lexical, });
        }
        if variants.is_empty() {
            return Err(self.unsupported(i, "an enumeration without values", Some("restriction")));
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

    /// `pub type Name = List<Item>` for an unrestricted `xs:list`.
    pub(super) fn list_alias(&mut self, i: &TypeIdent, item: &TypeIdent) -> Result<TokenStream> {
        let rt = self.rt.clone();
        let name = ident(&self.names[i].name);
        let doc = doc_attr(self.docs(i));
        let item = self.type_path(i, item)?;
        Ok(quote! { #doc pub type #name = #rt::List<#item>; })
    }

    /// A `RootElement` constant for every global element (a nillable one gets a type alias
    /// `Nillable<T>` named after it, an abstract substitution group head none).
    pub(super) fn root_elements(&mut self) -> Result<()> {
        let rt = self.rt.clone();
        let elements: Vec<TypeIdent> = self
            .structure
            .types
            .keys()
            .filter(|i| is_global_element(i) && !self.is_engine_builtin(i))
            .cloned()
            .collect();
        for el in elements {
            let Some(names_of) = self.roots.get(&el).cloned() else {
                continue; // an abstract head never occurs itself
            };
            let module = self.module_for(el.ns);
            self.current_module = module.clone();
            let local = el.name.as_str().to_owned();
            // The type of the element's own content.
            let (own, nillable) = match self.structure.kind(&el) {
                Some(Kind::Substitution(s)) => match s.occurring_type() {
                    Some(t) => (t.clone(), false),
                    None => continue, // an abstract head never occurs itself
                },
                Some(Kind::Reference {
                    target,
                    nillable: true,
                    ..
                }) => (target.clone(), true),
                _ => (el.clone(), false),
            };
            let inner = self.type_path(&el, &own)?;
            let target = self.resolve_ref(&own).clone();
            let (ty, type_module, type_name) = if nillable {
                let alias = names_of
                    .alias
                    .clone()
                    .unwrap_or_else(|| names::type_name(&local));
                let a = ident(&alias);
                let adoc = format!(" The content of the nillable element `{local}`.");
                self.items.entry(module.clone()).or_default().push((
                    super::ItemOrder::Type(alias.clone()),
                    quote! {
                        #[doc = #adoc]
                        pub type #a = #rt::Nillable<#inner>;
                    },
                ));
                (quote!(#a), Some(module.clone()), ident_tokens(&alias))
            } else {
                match self.names.get(&target) {
                    Some(n) => (inner.clone(), Some(n.module.clone()), ident_tokens(&n.name)),
                    None => (inner.clone(), None, inner.clone()),
                }
            };
            let cname = names_of.constant.clone();
            let cident = ident(&cname);
            self.elements.insert(
                (self.uri(el.ns), local.clone()),
                super::ElementInfo {
                    module: module.clone(),
                    const_name: cname.clone(),
                    type_module,
                    type_name,
                },
            );
            let ns = self.ns_tokens(&self.uri(el.ns));
            let doc = format!(" The global element `{local}`.");
            let tdoc = doc_attr(self.docs(&el));
            self.items.entry(module).or_default().push((
                super::ItemOrder::Root(cname.clone()),
                quote! {
                    #[doc = #doc]
                    #tdoc
                    pub const #cident: #rt::RootElement<#ty> = #rt::RootElement::new(#ns, #local).with_prefixes(NAMESPACE_PREFIXES);
                },
            ));
        }
        Ok(())
    }

    /// Path of the Rust type for an XSD type, relative to the module of `from`.
    pub(super) fn type_path(&self, from: &TypeIdent, target: &TypeIdent) -> Result<TokenStream> {
        self.type_path_at(from, target, 0)
    }

    fn type_path_at(
        &self,
        from: &TypeIdent,
        target: &TypeIdent,
        depth: usize,
    ) -> Result<TokenStream> {
        let rt = &self.rt;
        if depth > 64 {
            return Err(self.unsupported(
                from,
                &format!("a circular definition through `{}`", target.name.as_str()),
                None,
            ));
        }
        if self.is_engine_builtin(target) {
            return builtin_type(rt, target.name.as_str()).ok_or_else(|| {
                self.unsupported(
                    from,
                    &format!("the built-in type `{}`", target.name.as_str()),
                    None,
                )
            });
        }
        if let Some(TypeName { module, name }) = self.names.get(target) {
            let name = ident_tokens(name);
            let here = self
                .module_of
                .get(&from.ns)
                .map(String::as_str)
                .unwrap_or_default();
            return Ok(match self.module_prefix_from(here, module) {
                None => name,
                Some(p) => quote!(#p::#name),
            });
        }
        match self.structure.kind(target) {
            // Elements and attributes declared with a named type: use that type; a list
            // declared inline: a `List` of its items; a nillable element: `Nillable`.
            Some(Kind::Reference {
                target,
                list,
                nillable,
            }) => {
                let inner = self.type_path_at(from, target, depth + 1)?;
                let inner = if *list {
                    quote!(#rt::List<#inner>)
                } else {
                    inner
                };
                Ok(if *nillable {
                    quote!(#rt::Nillable<#inner>)
                } else {
                    inner
                })
            }
            Some(Kind::Substitution(_)) => Err(self.unsupported(
                from,
                &format!(
                    "the abstract element `{}` used as a type",
                    target.name.as_str()
                ),
                None,
            )),
            Some(_) => Err(self.unsupported(
                from,
                &format!("a reference to `{}`", target.name.as_str()),
                None,
            )),
            None => Err(crate::error::Error::Unresolved {
                location: self.locate(from, None),
                message: format!(
                    "{} `{}` refers to the undefined type `{}`",
                    super::kind_word(from.type_),
                    from.name.as_str(),
                    target.name.as_str()
                ),
            }),
        }
    }
}

/// Whether `i` is a global element (an element reference points to one; local elements
/// declared without a type get generated names).
fn is_global_element(i: &TypeIdent) -> bool {
    i.type_ == IdentType::Element && i.name.is_named()
}
