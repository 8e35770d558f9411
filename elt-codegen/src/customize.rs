//! What a user adds to the generated items, in the manner of `prost-build`'s `type_attribute`
//! and `field_attribute`, and the constructors every generated struct gets.
//!
//! Both work on the rendered modules' syntax trees, after rendering and before formatting, so
//! they see the items exactly as they will be written: a rule names items by their Rust path
//! (`module::Type`, `module::Type::field`), the same paths `inspect` and `diff` report.

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::{Error, Result};

/// Attributes to add to generated types and fields.
#[derive(Debug, Clone, Default)]
pub(crate) struct Attributes {
    /// (path pattern, attribute source) for structs and enums.
    pub types: Vec<(String, String)>,
    /// (path pattern, attribute source) for struct fields and enum variants.
    pub fields: Vec<(String, String)>,
}

/// Does the rule `pattern` cover `path`? `.` covers everything; otherwise the pattern names a
/// module, an item or a member, and covers it and everything inside it.
fn covers(pattern: &str, path: &str) -> bool {
    pattern == "."
        || pattern == path
        || path
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.starts_with("::"))
}

/// Parses `#[...]` attribute source, as a user writes it in `Builder::type_attribute`.
fn parse_attributes(kind: &str, pattern: &str, source: &str) -> Result<Vec<syn::Attribute>> {
    let bad = |why: String| Error::Input {
        input: format!("Builder::{kind}_attribute({pattern:?}, {source:?})"),
        message: format!("expected one or more outer attributes such as `#[derive(Hash)]`: {why}"),
    };
    let tokens: TokenStream = source.parse().map_err(|e| bad(format!("{e}")))?;
    let parser = syn::Attribute::parse_outer;
    let attrs = syn::parse::Parser::parse2(parser, tokens).map_err(|e| bad(e.to_string()))?;
    if attrs.is_empty() {
        return Err(bad("no attribute given".into()));
    }
    Ok(attrs)
}

/// Rule (path pattern, parsed attributes), and whether it matched an item yet.
type Rule<'a> = (&'a str, Vec<syn::Attribute>, bool);

/// The attribute rules, parsed once, applied module by module on the syntax tree the output
/// step parses for formatting anyway (see `output`), then checked for rules that matched
/// nothing. The default has no rules: it only adds the constructors.
#[derive(Default)]
pub(crate) struct Customizer<'a> {
    types: Vec<Rule<'a>>,
    fields: Vec<Rule<'a>>,
}

impl<'a> Customizer<'a> {
    /// Parses the rules; an attribute that does not parse is an error naming its rule.
    pub(crate) fn new(attributes: &'a Attributes) -> Result<Self> {
        let parse = |kind: &str, rules: &'a [(String, String)]| {
            rules
                .iter()
                .map(|(p, s)| Ok((p.as_str(), parse_attributes(kind, p, s)?, false)))
                .collect::<Result<Vec<_>>>()
        };
        Ok(Self {
            types: parse("type", &attributes.types)?,
            fields: parse("field", &attributes.fields)?,
        })
    }

    /// Applies the rules to the items of `module` and adds a constructor after each struct.
    pub(crate) fn apply(&mut self, module: &str, items: &mut Vec<syn::Item>) {
        let has_new = inherent_news(items);
        let mut out = Vec::with_capacity(items.len() * 2);
        for mut item in std::mem::take(items) {
            let (name, attrs) = match &mut item {
                syn::Item::Struct(s) => (s.ident.to_string(), &mut s.attrs),
                syn::Item::Enum(e) => (e.ident.to_string(), &mut e.attrs),
                _ => {
                    out.push(item);
                    continue;
                }
            };
            let path = format!("{module}::{name}");
            add_matching(&mut self.types, &path, attrs);
            let mut constructor_impl = Vec::new();
            match &mut item {
                syn::Item::Struct(s) => {
                    if let syn::Fields::Named(named) = &mut s.fields {
                        for f in named.named.iter_mut() {
                            if let Some(field) = &f.ident {
                                let field_path = format!("{path}::{field}");
                                add_matching(&mut self.fields, &field_path, &mut f.attrs);
                            }
                        }
                    }
                    if !has_new.contains(&name) {
                        constructor_impl = constructor(s);
                    }
                }
                syn::Item::Enum(e) => {
                    for v in e.variants.iter_mut() {
                        let variant_path = format!("{path}::{}", v.ident);
                        add_matching(&mut self.fields, &variant_path, &mut v.attrs);
                    }
                }
                _ => {}
            }
            out.push(item);
            // The constructor right after its struct, where a reader looks for it.
            out.extend(constructor_impl);
        }
        *items = out;
    }

    /// A rule that matched no item is an error: it is almost always a misspelled path.
    pub(crate) fn finish(self) -> Result<()> {
        match self.types.iter().chain(&self.fields).find(|r| !r.2) {
            Some((pattern, _, _)) => Err(Error::Input {
                input: format!("attribute rule {pattern:?}"),
                message: "it matches no generated item (paths are `module`, `module::Type` or \
                          `module::Type::field`, as `elt-codegen inspect` reports them, or `.` \
                          for every item)"
                    .into(),
            }),
            None => Ok(()),
        }
    }
}

/// Adds the attributes of every rule covering `path` to `attrs`, and marks those rules used.
fn add_matching(rules: &mut [Rule<'_>], path: &str, attrs: &mut Vec<syn::Attribute>) {
    for (pattern, add, used) in rules.iter_mut() {
        if covers(pattern, path) {
            attrs.extend(add.iter().cloned());
            *used = true;
        }
    }
}

/// Types of the module that already have an inherent `new` (client stubs).
fn inherent_news(items: &[syn::Item]) -> std::collections::BTreeSet<String> {
    items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Impl(im) if im.trait_.is_none() => {
                let has_new = im
                    .items
                    .iter()
                    .any(|f| matches!(f, syn::ImplItem::Fn(f) if f.sig.ident == "new"));
                match &*im.self_ty {
                    syn::Type::Path(p) if has_new => {
                        p.path.segments.last().map(|s| s.ident.to_string())
                    }
                    _ => None,
                }
            }
            _ => None,
        })
        .collect()
}

/// What a field starts as when the constructor does not take it: `None` for an optional field,
/// empty for a repeated one. `None` when the field is required.
fn empty_value(ty: &syn::Type) -> Option<TokenStream> {
    let syn::Type::Path(p) = ty else { return None };
    if p.qself.is_some() || p.path.segments.len() != 1 {
        return None;
    }
    // Generated modules reserve `Option` and `Vec` (see `render::RESERVED`): these are std's.
    match p.path.segments[0].ident.to_string().as_str() {
        "Option" => Some(quote!(None)),
        "Vec" => Some(quote!(Vec::new())),
        _ => None,
    }
}

/// `impl S { pub fn new(required fields) -> Self }`, and `Default` when nothing is required.
fn constructor(s: &syn::ItemStruct) -> Vec<syn::Item> {
    let syn::Fields::Named(named) = &s.fields else {
        return Vec::new();
    };
    let name = &s.ident;
    let mut params = Vec::new();
    let mut inits = Vec::new();
    for f in &named.named {
        let Some(ident) = f.ident.as_ref() else {
            return Vec::new();
        };
        match empty_value(&f.ty) {
            Some(empty) => inits.push(quote!(#ident: #empty)),
            None => {
                let ty = &f.ty;
                params.push(quote!(#ident: #ty));
                inits.push(quote!(#ident));
            }
        }
    }
    let doc = format!(
        " Builds a `{name}` from its required fields; optional fields start as `None`, repeated \
         ones empty."
    );
    let allow = (params.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let mut items: Vec<syn::Item> = vec![syn::parse_quote! {
        impl #name {
            #[doc = #doc]
            #allow
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
        }
    }];
    if params.is_empty() {
        let default_doc = format!(" An empty `{name}`: the same as [`{name}::new`].");
        items.push(syn::parse_quote! {
            impl Default for #name {
                #[doc = #default_doc]
                fn default() -> Self { Self::new() }
            }
        });
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn patterns_cover_paths_and_what_is_inside() {
        assert!(covers(".", "m::T"));
        assert!(covers("m", "m::T::f"));
        assert!(covers("m::T", "m::T"));
        assert!(covers("m::T", "m::T::f"));
        assert!(!covers("m::T", "m::Type"));
        assert!(!covers("m::T::f", "m::T"));
    }

    fn tokens(items: &[syn::Item]) -> String {
        items
            .iter()
            .map(|i| i.to_token_stream().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn constructors_take_the_required_fields() {
        let s: syn::ItemStruct = syn::parse_quote! {
            pub struct S { pub a: String, pub b: Option<u8>, pub c: Vec<u8>, pub d: Box<S> }
        };
        let code = tokens(&constructor(&s));
        assert!(
            code.contains("pub fn new (a : String , d : Box < S >) -> Self"),
            "{code}"
        );
        assert!(code.contains("b : None"), "{code}");
        assert!(code.contains("c : Vec :: new ()"), "{code}");
        assert!(!code.contains("impl Default"), "{code}");
        let empty: syn::ItemStruct = syn::parse_quote! { pub struct E { pub x: Option<u8> } };
        let code = tokens(&constructor(&empty));
        assert!(code.contains("impl Default for E"), "{code}");
    }

    #[test]
    fn a_rule_that_matches_nothing_is_an_error() {
        let attributes = Attributes {
            types: vec![("m::T".into(), "#[derive(Hash)]".into())],
            fields: vec![("m::Missing::f".into(), "#[serde(default)]".into())],
        };
        let mut c = Customizer::new(&attributes).unwrap();
        let mut items: Vec<syn::Item> = vec![syn::parse_quote! { pub struct T { pub f: u8 } }];
        c.apply("m", &mut items);
        let code = tokens(&items);
        assert!(code.contains("derive (Hash)"), "{code}");
        assert!(code.contains("pub fn new (f : u8)"), "{code}");
        let Err(e) = c.finish() else {
            panic!("an unmatched field rule is accepted");
        };
        assert!(e.to_string().contains("m::Missing::f"), "{e}");
    }

    #[test]
    fn bad_attributes_are_refused_with_the_rule() {
        let Err(e) = parse_attributes("type", "m::T", "derive(Hash)") else {
            panic!("an attribute without `#[...]` is accepted");
        };
        assert!(e.to_string().contains("m::T"), "{e}");
        assert!(parse_attributes("type", ".", "#[derive(Hash)] #[serde(default)]").is_ok());
    }
}
