//! The generated ELT readers on arbitrary bytes: `Tidredovisning`, `SkickaTidredovisning` and
//! `SkickaTidredovisningResponse`. A document that reads must write back, and the rewrite must
//! read to the same value, compared as data (with the prefix declarations `xs:any` content
//! keeps for its QName values; see `tests/tests/fuzz_regressions.rs`).
#![no_main]

use elt_types::{service, tidredovisning};
use libfuzzer_sys::fuzz_target;

// The same comparison as the regression test replaying this target's findings.
#[path = "../../tests/src/comparable.rs"]
mod comparable;
use comparable::data;

macro_rules! round_trip {
    ($root:expr, $data:expr) => {
        if let Ok(value) = $root.from_xml_bytes($data) {
            let xml = $root
                .to_xml(&value)
                .expect("a value that was read writes back");
            let again = $root.from_xml(&xml).expect("the rewrite reads");
            assert_eq!(
                data(&value),
                data(&again),
                "the rewrite reads to the same value: {xml}"
            );
        }
    };
}

fuzz_target!(|bytes: &[u8]| {
    round_trip!(tidredovisning::TIDREDOVISNING, bytes);
    round_trip!(service::SKICKA_TIDREDOVISNING, bytes);
    round_trip!(service::SKICKA_TIDREDOVISNING_RESPONSE, bytes);
});
