//! Generates the ELT code from the contract zip into `OUT_DIR`, as a vendor's crate would.

fn main() {
    let zip = concat!(env!("CARGO_MANIFEST_DIR"), "/../../wsdl/elt/ELT.zip");
    // Everything, as `cargo xtask regen` generates it (one file, for `include!`).
    elt_codegen::Builder::new()
        .input(zip)
        .layout(elt_codegen::Layout::SingleFile("elt.rs".into()))
        .emit_rerun_if_changed(true)
        .write()
        .expect("generating the ELT code");
    // The same contract, reusing the `xmlmime` types of `elt-types` instead of generating them.
    elt_codegen::Builder::new()
        .input(zip)
        .layout(elt_codegen::Layout::SingleFile(
            "elt_reusing_xmlmime.rs".into(),
        ))
        .extern_namespace("http://www.w3.org/2005/05/xmlmime", "::elt_types::xmlmime")
        .write()
        .expect("generating the ELT code with an extern namespace");
    println!("cargo:rerun-if-changed=build.rs");
}
