//! The build.rs route works and gives the same code as the checked-in `elt-types`.

use elt_example_downstream::{elt, elt_reusing_xmlmime, request_for};

fn workspace() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn builds_a_request_and_reads_the_example_response() {
    let doc = std::fs::read(workspace().join("wsdl/elt/examples/tidredovisning-1.xml")).unwrap();
    let req = request_for(&doc);
    let xml = elt::skicka_tidredovisning_1::SKICKA_TIDREDOVISNING
        .to_xml(&req)
        .unwrap();
    let back = elt::skicka_tidredovisning_1::SKICKA_TIDREDOVISNING
        .from_xml(&xml)
        .unwrap();
    assert_eq!(back, req);
    let response = r#"<SkickaTidredovisningResponse xmlns="urn:shs:emottagning:SkickaTidredovisning:1"><tx-id>14e81789-715d-497b-b63c-eada732800eb</tx-id></SkickaTidredovisningResponse>"#;
    let r = elt::skicka_tidredovisning_1::SKICKA_TIDREDOVISNING_RESPONSE
        .from_xml(response)
        .unwrap();
    assert_eq!(r.tx_id, "14e81789-715d-497b-b63c-eada732800eb");
}

#[test]
fn extern_namespace_reuses_elt_types() {
    // The request type generated with `xmlmime` mapped to `elt_types::xmlmime` takes
    // `elt_types`' own values: no second copy of the type exists.
    let value: elt_types::xmlmime::Base64Binary = elt_types::xmlmime::Base64Binary {
        content_type: None,
        value: elt_xml::Base64Binary(b"<x/>".to_vec()),
    };
    let full = request_for(b"<x/>");
    let req = elt_reusing_xmlmime::skicka_tidredovisning_1::SkickaTidredovisningType {
        tidredovisning: value,
        assistent_signatur: elt_reusing_xmlmime::skicka_tidredovisning_1::SignatureType {
            signature: elt_types::xmlmime::Base64Binary {
                content_type: None,
                value: full.assistent_signatur.signature.value.clone(),
            },
            ocsp_response: elt_types::xmlmime::Base64Binary {
                content_type: None,
                value: full.assistent_signatur.ocsp_response.value.clone(),
            },
            datum_for_signatur: full.assistent_signatur.datum_for_signatur,
            any: vec![],
        },
        anordnare_signatur: elt_reusing_xmlmime::skicka_tidredovisning_1::SignatureType {
            signature: elt_types::xmlmime::Base64Binary {
                content_type: None,
                value: full.anordnare_signatur.signature.value.clone(),
            },
            ocsp_response: elt_types::xmlmime::Base64Binary {
                content_type: None,
                value: full.anordnare_signatur.ocsp_response.value.clone(),
            },
            datum_for_signatur: full.anordnare_signatur.datum_for_signatur,
            any: vec![],
        },
        any: vec![],
    };
    // Same bytes on the wire as the fully generated code.
    assert_eq!(
        elt_reusing_xmlmime::skicka_tidredovisning_1::SKICKA_TIDREDOVISNING
            .to_xml(&req)
            .unwrap(),
        elt::skicka_tidredovisning_1::SKICKA_TIDREDOVISNING
            .to_xml(&full)
            .unwrap()
    );
}

/// Items of the build.rs output (one file, inline modules) equal those of the checked-in
/// module tree, module by module.
#[test]
fn generated_code_equals_checked_in_elt_types() {
    let single = std::fs::read_to_string(concat!(env!("OUT_DIR"), "/elt.rs")).unwrap();
    let single: syn::File = syn::parse_file(&single).unwrap();
    let mut seen = 0;
    for item in single.items {
        let syn::Item::Mod(m) = item else {
            panic!("only modules at the top level")
        };
        let name = m.ident.to_string();
        let (_, items) = m.content.expect("inline module");
        let path = workspace()
            .join("elt-types/src/generated")
            .join(format!("{name}.rs"));
        let checked_in: syn::File =
            syn::parse_file(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let a: Vec<String> = items.iter().map(|i| tokens(quote::quote!(#i))).collect();
        let b: Vec<String> = checked_in
            .items
            .iter()
            .map(|i| tokens(quote::quote!(#i)))
            .collect();
        assert_eq!(
            a.len(),
            b.len(),
            "module {name}: item count differs from {}",
            path.display()
        );
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x, y, "module {name} differs from {}", path.display());
        }
        seen += 1;
    }
    let on_disk = std::fs::read_dir(workspace().join("elt-types/src/generated"))
        .unwrap()
        .count();
    assert_eq!(
        seen + 1,
        on_disk,
        "every checked-in module (and mod.rs) is accounted for"
    );
}

/// Tokens as text, without spacing and without the trailing commas that the formatter adds or drops depending on
/// line width (an inline module is indented one level deeper than a module file).
fn tokens(t: proc_macro2::TokenStream) -> String {
    let text = t.to_string();
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some(')' | ']' | '}' | '>')) {
                continue;
            }
        }
        if !c.is_whitespace() {
            out.push(*c);
        }
    }
    out
}
