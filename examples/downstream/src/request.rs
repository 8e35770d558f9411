//! The `SkickaTidredovisning` request, built from the generated types found at `crate::elt`
//! (the downstream example's `include!`d code, or `elt-types` in `cargo xtask build-time`).

use crate::elt;

/// Builds the `SkickaTidredovisning` request for a signed document's exact bytes.
pub fn request_for(document: &[u8]) -> elt::skicka_tidredovisning_1::SkickaTidredovisningType {
    use elt::{skicka_tidredovisning_1 as s, xmlmime};
    let bytes = |b: &[u8]| xmlmime::Base64Binary {
        content_type: None,
        value: elt_xml::Base64Binary(b.to_vec()),
    };
    let date = elt_xml::Date::new(
        elt_xml::chrono::NaiveDate::from_ymd_opt(2026, 11, 2).expect("valid date"),
    );
    let signature = |tag: &str| s::SignatureType {
        signature: bytes(format!("placeholder signature {tag}").as_bytes()),
        ocsp_response: bytes(format!("placeholder ocsp {tag}").as_bytes()),
        datum_for_signatur: date,
        any: vec![],
    };
    s::SkickaTidredovisningType {
        tidredovisning: bytes(document),
        assistent_signatur: signature("assistent"),
        anordnare_signatur: signature("anordnare"),
        any: vec![],
    }
}
