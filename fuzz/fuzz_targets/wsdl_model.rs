//! The WSDL model builder on arbitrary text: `wsdl::parse` (definitions, messages, port types,
//! bindings, services, inline schemas) and, for a set holding the text as a WSDL, the scan of
//! its inline schemas; an error or a model, never a panic.
#![no_main]

use elt_codegen::FileSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = elt_codegen::wsdl::is_wsdl(text);
    if elt_codegen::wsdl::parse("fuzz.wsdl", text).is_ok() {
        let mut set = FileSet::new("fuzz");
        set.insert("dir/fuzz.wsdl", data.to_vec())
            .expect("a valid path");
        let _ = elt_codegen::xsd::collect(&set);
    }
});
