//! Rendering the interpreted types into Rust: one module per XML namespace.
//!
//! The generated code holds data types and short, flat (de)serialization functions that call
//! `elt-xml`; the logic shared by every type (namespaces, occurrence checks, facets, errors) lives
//! in that runtime crate rather than being repeated per type.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use xsd_parser::models::schema::{MaxOccurs, NamespaceId};
use xsd_parser::{IdentType, MetaTypes, TypeIdent};

use crate::error::{Error, Location, Result};
use crate::model::clients::ClientNaming;
use crate::model::naming::{Naming, RootNames, Slot};
pub(crate) use crate::model::naming::{Occurs, Shape, TypeName, occurs};
use crate::model::positions::declared_at;
use crate::model::types::Kind;
use crate::model::{Model, Structure};

mod client;
mod doc_text;
mod items;
mod prefixes;

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

/// Where an item goes in its module: the root-element constants first, then the types, then
/// the client stubs, each group in name order (items of one name keep the order they came in).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum ItemOrder {
    Root(String),
    Type(String),
    Client(String),
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
pub fn render(contract: &Model, options: &RenderOptions) -> Result<Vec<RenderedModule>> {
    let loaded = &contract.loaded;
    let wsdls = &loaded.wsdls;
    let mut r = Renderer::new(contract, &options.runtime);
    r.extern_namespaces = options.extern_namespaces.clone();
    r.prepare()?;
    if let Some(soap) = &options.soap_runtime {
        r.clients(wsdls, soap)?;
    }
    r.finish()
}

struct Renderer<'a> {
    types: &'a MetaTypes,
    /// The names of every item (also read through the fields below).
    naming: &'a Naming,
    rt: TokenStream,
    // The names the naming pass gave (see `model::naming`), read, never claimed here.
    ns_uri: &'a BTreeMap<NamespaceId, Option<String>>,
    module_of: &'a BTreeMap<NamespaceId, String>,
    names: &'a BTreeMap<TypeIdent, TypeName>,
    shapes: &'a BTreeMap<TypeIdent, Shape>,
    /// The model groups, in the order they are rendered.
    groups: &'a [TypeIdent],
    /// Facet markers of restricted values, enums of restricted unions, root-element names.
    facet_names: &'a BTreeMap<TypeIdent, String>,
    union_enums: &'a BTreeMap<TypeIdent, String>,
    roots: &'a BTreeMap<TypeIdent, RootNames>,
    /// The client stubs' names.
    clients: &'a ClientNaming,
    /// The fields and variants of complex types, model groups and enumerations.
    members: &'a BTreeMap<TypeIdent, BTreeMap<Slot, String>>,
    items: BTreeMap<String, Vec<(ItemOrder, TokenStream)>>,
    /// The (holder, held) pairs held in a `Box` (`model::boxing`).
    boxed: &'a BTreeSet<(TypeIdent, TypeIdent)>,
    /// Module of the item being rendered: namespace constants are referred to from it.
    current_module: String,
    /// What the schema texts say that the engine's model lost (pattern steps, wildcards).
    source: &'a crate::xsd::SourceFacts,
    /// The declaring namespaces of the element wildcards of the complex type being rendered,
    /// in particle order (see `wildcards`); empty outside one, or when unknown.
    wildcard_namespaces: std::collections::VecDeque<Option<String>>,
    elements: BTreeMap<(Option<String>, String), ElementInfo>,
    /// Modules for WSDL namespaces that declare no schema types (client stubs only).
    wsdl_modules: &'a BTreeMap<String, Option<String>>,
    /// Namespaces rendered elsewhere (see [`RenderOptions::extern_namespaces`]).
    extern_namespaces: BTreeMap<String, String>,
    /// What each type holds: attributes, particles, facets, values, members (`model::Structure`).
    structure: &'a Structure,
    /// The schema documents by path, for the places of refusals.
    schemas: &'a BTreeMap<String, crate::xsd::SchemaDoc>,
    /// Complex types some other complex type derives from.
    bases: BTreeSet<TypeIdent>,
    /// Schema texts by path, for the prefixes they bind.
    sources: BTreeMap<String, String>,
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

impl<'a> Renderer<'a> {
    fn new(contract: &'a Model, runtime: &str) -> Self {
        let types = &contract.loaded.types;
        let source = &contract.loaded.source;
        let naming = &contract.naming;
        let rt_ident = ident(runtime);
        let Naming {
            ns_uri,
            module_of,
            names,
            shapes,
            groups,
            facets,
            union_enums,
            roots,
            used: _,
            members,
            clients,
        } = naming;
        Self {
            types,
            naming,
            rt: quote!(::#rt_ident),
            ns_uri,
            module_of,
            names,
            shapes,
            groups,
            facet_names: facets,
            union_enums,
            roots,
            members,
            wsdl_modules: &clients.wsdl_modules,
            clients,
            items: BTreeMap::new(),
            boxed: &contract.boxed,
            current_module: String::new(),
            elements: BTreeMap::new(),
            extern_namespaces: BTreeMap::new(),
            source,
            wildcard_namespaces: Default::default(),
            structure: &contract.structure,
            schemas: &contract.loaded.schemas,
            bases: contract
                .structure
                .types
                .values()
                .filter_map(|t| match &t.kind {
                    Kind::Complex(c) => c.base.base().cloned(),
                    _ => None,
                })
                .collect(),
            sources: crate::xsd::engine::sources(types)
                .into_iter()
                .map(|(p, t)| (p.to_owned(), t.to_owned()))
                .collect(),
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

    fn is_engine_builtin(&self, ident: &TypeIdent) -> bool {
        crate::xsd::is_builtin(self.types, ident)
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
    /// schemas (see `model::positions`), and the first `xs:CONSTRUCT` inside it, when given.
    fn locate(&self, ident: &TypeIdent, construct: Option<&str>) -> Location {
        let Some(declared) = declared_at(self.types, &self.source.declarations, ident) else {
            return Location {
                file: self.schema_file(ident),
                position: None,
            };
        };
        // The construct is looked for in the schema document the declaration was found in,
        // and placed as its declaration is (in the WSDL for an inline schema).
        construct
            .and_then(|c| {
                let doc = self.schemas.get(&declared.schema)?;
                let at = crate::xsd::engine::locate_within(&doc.text, declared.at, c)?;
                Some(crate::xsd::links::location(doc, at))
            })
            .unwrap_or(declared.location)
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

    fn prepare(&mut self) -> Result<()> {
        let idents: Vec<TypeIdent> = self.names.keys().cloned().collect();
        for i in &idents {
            if self.shapes[i] == Shape::Group {
                continue;
            }
            let structure: &'a Structure = self.structure;
            let Some(kind) = structure.kind(i) else {
                continue;
            };
            self.current_module = self.names[i].module.clone();
            let tokens = match kind {
                Kind::Complex(c) => self.complex(i, c)?,
                Kind::Restriction { base, list } => self.simple(i, base, *list)?,
                Kind::Enumeration { .. } => self.enumeration(i)?,
                Kind::Reference {
                    target, list: true, ..
                } => self.list_alias(i, target)?,
                Kind::Reference {
                    target,
                    list: false,
                    nillable,
                } => {
                    let name = ident(&self.names[i].name);
                    let target = self.type_path(i, target)?;
                    let doc = doc_attr(self.docs(i));
                    let target = if *nillable {
                        let rt = &self.rt;
                        quote!(#rt::Nillable<#target>)
                    } else {
                        target
                    };
                    quote! { #doc pub type #name = #target; }
                }
                Kind::Union => self.union(i)?,
                Kind::Substitution(_) => self.substitution(i)?,
                Kind::Group(_) | Kind::BuiltIn => continue,
            };
            self.push(i, tokens);
        }
        for g in self.groups {
            self.current_module = self.names[g].module.clone();
            let tokens = self.group(g)?;
            self.push(g, tokens);
        }
        self.root_elements()?;
        Ok(())
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
            let prefix_const = if items
                .iter()
                .any(|(key, _)| matches!(key, ItemOrder::Root(_)))
            {
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
            .push((ItemOrder::Type(name.clone()), tokens));
    }

    /// The documentation of type `i`. The slice borrows the model, not `self`.
    fn docs(&self, i: &TypeIdent) -> &'a [String] {
        let structure: &'a Structure = self.structure;
        structure.documentation(i)
    }

    /// The XSD type an element or attribute ident finally points to (through references).
    fn resolve_ref<'t>(&'t self, ident: &'t TypeIdent) -> &'t TypeIdent {
        self.naming.resolve(self.structure, ident)
    }

    /// The name the naming pass gave member `slot` of item `owner`.
    fn member(&self, owner: &TypeIdent, slot: Slot) -> Result<Ident> {
        self.members
            .get(owner)
            .and_then(|m| m.get(&slot))
            .map(|n| ident(n))
            .ok_or_else(|| {
                self.unsupported(
                    owner,
                    &format!("a member ({slot:?}) that was not named"),
                    None,
                )
            })
    }

    /// The built-in XSD type a simple type derives from, following restrictions.
    fn builtin_root(&self, ident: &TypeIdent) -> Option<String> {
        let mut cur = ident.clone();
        for _ in 0..64 {
            if self.is_engine_builtin(&cur) {
                return Some(cur.name.as_str().to_owned());
            }
            cur = match self.structure.kind(&cur) {
                Some(Kind::Reference { target, .. }) => target.clone(),
                Some(Kind::Restriction { base, .. }) => base.clone(),
                Some(Kind::Enumeration { base }) => base.clone()?,
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
    use crate::model::builtin::{Builtin, builtin};
    Some(match builtin(name)? {
        // A primitive (`bool`) or an absolute path (`::std::string::String`), built from its
        // segments: this runs for every built-in type a schema uses.
        Builtin::Std(path) => {
            let segments = path.trim_start_matches("::").split("::").map(ident);
            if path.starts_with("::") {
                quote!(#(::#segments)*)
            } else {
                quote!(#(#segments)::*)
            }
        }
        Builtin::Runtime(n) => {
            let n = ident(n);
            quote!(#rt::#n)
        }
    })
}
