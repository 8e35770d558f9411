//! What a user adds to the generated items, in the manner of `prost-build`'s `type_attribute`
//! and `field_attribute`, and the constructors every generated struct gets.
//!
//! Both work on the rendered modules' syntax trees, after rendering and before formatting, so
//! they see the items exactly as they will be written: a rule names items by their Rust path
//! (`module::Type`, `module::Type::field`), the same paths `inspect` and `diff` report.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::error::{Error, Result};
use crate::render::RenderedModule;

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

/// Applies the attribute rules and adds constructors to each module. A rule that matches no
/// item is an error: it is almost always a misspelled path.
pub(crate) fn apply(modules: &mut [RenderedModule], attributes: &Attributes) -> Result<()> {
    let types = attributes
        .types
        .iter()
        .map(|(p, s)| Ok((p.as_str(), parse_attributes("type", p, s)?)))
        .collect::<Result<Vec<_>>>()?;
    let fields = attributes
        .fields
        .iter()
        .map(|(p, s)| Ok((p.as_str(), parse_attributes("field", p, s)?)))
        .collect::<Result<Vec<_>>>()?;
    let mut used_types = vec![false; types.len()];
    let mut used_fields = vec![false; fields.len()];
    for m in modules.iter_mut() {
        let mut file: syn::File =
            syn::parse2(std::mem::take(&mut m.tokens)).map_err(|e| Error::Render {
                module: m.name.clone(),
                message: e.to_string(),
            })?;
        let has_new = inherent_news(&file);
        let mut items = Vec::with_capacity(file.items.len() * 2);
        for mut item in std::mem::take(&mut file.items) {
            let mut constructor_impl = None;
            let (name, attrs) = match &mut item {
                syn::Item::Struct(s) => (s.ident.to_string(), &mut s.attrs),
                syn::Item::Enum(e) => (e.ident.to_string(), &mut e.attrs),
                _ => {
                    items.push(item);
                    continue;
                }
            };
            let path = format!("{}::{name}", m.name);
            for (n, (pattern, add)) in types.iter().enumerate() {
                if covers(pattern, &path) {
                    attrs.extend(add.iter().cloned());
                    used_types[n] = true;
                }
            }
            let mut member = |member: &str, attrs: &mut Vec<syn::Attribute>| {
                let member_path = format!("{path}::{member}");
                for (n, (pattern, add)) in fields.iter().enumerate() {
                    if covers(pattern, &member_path) {
                        attrs.extend(add.iter().cloned());
                        used_fields[n] = true;
                    }
                }
            };
            match &mut item {
                syn::Item::Struct(s) => {
                    if let syn::Fields::Named(named) = &mut s.fields {
                        for f in named.named.iter_mut() {
                            let fname = f.ident.as_ref().map(|i| i.to_string());
                            if let Some(fname) = fname {
                                member(&fname, &mut f.attrs);
                            }
                        }
                    }
                    if !has_new.contains(&name) {
                        constructor_impl = constructor(s);
                    }
                }
                syn::Item::Enum(e) => {
                    for v in e.variants.iter_mut() {
                        member(&v.ident.to_string(), &mut v.attrs);
                    }
                }
                _ => {}
            }
            items.push(item);
            // The constructor right after its struct, where a reader looks for it.
            if let Some(tokens) = constructor_impl {
                let parsed: syn::File = syn::parse2(tokens).map_err(|e| Error::Render {
                    module: m.name.clone(),
                    message: format!("constructor of {name}: {e}"),
                })?;
                items.extend(parsed.items);
            }
        }
        file.items = items;
        m.tokens = file.into_token_stream();
    }
    let unused = types
        .iter()
        .zip(&used_types)
        .chain(fields.iter().zip(&used_fields))
        .find(|(_, used)| !**used);
    if let Some(((pattern, _), _)) = unused {
        return Err(Error::Input {
            input: format!("attribute rule {pattern:?}"),
            message: "it matches no generated item (paths are `module`, `module::Type` or \
                      `module::Type::field`, as `elt-codegen inspect` reports them, or `.` for \
                      every item)"
                .into(),
        });
    }
    Ok(())
}

/// Types of the module that already have an inherent `new` (client stubs).
fn inherent_news(file: &syn::File) -> std::collections::BTreeSet<String> {
    file.items
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
fn constructor(s: &syn::ItemStruct) -> Option<TokenStream> {
    let syn::Fields::Named(named) = &s.fields else {
        return None;
    };
    let name = &s.ident;
    let mut params = Vec::new();
    let mut inits = Vec::new();
    for f in &named.named {
        let ident = f.ident.as_ref()?;
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
    let default = params.is_empty().then(|| {
        let default_doc = format!(" An empty `{name}`: the same as [`{name}::new`].");
        quote! {
            impl Default for #name {
                #[doc = #default_doc]
                fn default() -> Self { Self::new() }
            }
        }
    });
    Some(quote! {
        impl #name {
            #[doc = #doc]
            #allow
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
        }
        #default
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_cover_paths_and_what_is_inside() {
        assert!(covers(".", "m::T"));
        assert!(covers("m", "m::T::f"));
        assert!(covers("m::T", "m::T"));
        assert!(covers("m::T", "m::T::f"));
        assert!(!covers("m::T", "m::Type"));
        assert!(!covers("m::T::f", "m::T"));
    }

    #[test]
    fn constructors_take_the_required_fields() {
        let s: syn::ItemStruct = syn::parse_quote! {
            pub struct S { pub a: String, pub b: Option<u8>, pub c: Vec<u8>, pub d: Box<S> }
        };
        let code = constructor(&s).unwrap().to_string();
        assert!(
            code.contains("pub fn new (a : String , d : Box < S >) -> Self"),
            "{code}"
        );
        assert!(code.contains("b : None"), "{code}");
        assert!(code.contains("c : Vec :: new ()"), "{code}");
        assert!(!code.contains("impl Default"), "{code}");
        let empty: syn::ItemStruct = syn::parse_quote! { pub struct E { pub x: Option<u8> } };
        let code = constructor(&empty).unwrap().to_string();
        assert!(code.contains("impl Default for E"), "{code}");
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
