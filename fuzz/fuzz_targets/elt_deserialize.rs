//! The generated ELT readers on arbitrary bytes: `Tidredovisning`, `SkickaTidredovisning` and
//! `SkickaTidredovisningResponse`. A document that reads must write back, and the rewrite must
//! read to the same value, compared as data (with the prefix declarations `xs:any` content
//! keeps for its QName values; see `tests/tests/fuzz_regressions.rs`).
#![no_main]

use elt_types::{service, tidredovisning};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;

/// The value as JSON, adjacent text runs merged.
fn data<T: Serialize>(value: &T) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => map.values_mut().for_each(strip),
            serde_json::Value::Array(items) => {
                // Adjacent text (split in the source by a comment or a processing
                // instruction, which are not kept) is one run.
                let mut merged: Vec<serde_json::Value> = Vec::with_capacity(items.len());
                for item in std::mem::take(items) {
                    if let (Some(prev), Some(text)) = (
                        merged.last_mut().and_then(|p| p.get_mut("Text")),
                        item.get("Text").and_then(|t| t.as_str()),
                    ) && let serde_json::Value::String(p) = prev
                    {
                        p.push_str(text);
                        continue;
                    }
                    merged.push(item);
                }
                *items = merged;
                items.iter_mut().for_each(strip);
            }
            _ => {}
        }
    }
    let mut v = serde_json::to_value(value).expect("generated types serialize");
    strip(&mut v);
    v
}

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
