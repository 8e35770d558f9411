//! Values of the generated types as comparable data, for round-trip properties: shared by
//! `tests/tests/fuzz_regressions.rs` and the `elt_deserialize` fuzz target (which includes
//! this file by path), so that the regression test replays exactly the fuzzer's property.

/// The value as JSON, adjacent text runs of `xs:any` content merged. The prefix declarations
/// kept with `xs:any` content are compared too: they are those QName values use, which a
/// rewrite keeps.
pub fn data<T: serde::Serialize>(value: &T) -> serde_json::Value {
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
