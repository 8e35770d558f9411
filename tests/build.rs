//! Generates code from the agency's own contract files in `../shared/corpus/fk_shs_emottagning`
//! (both WSDLs, the sister service included) so the test build proves that code compiles. The
//! folder is test data outside the product; where it is absent the module is left out and the
//! tests that need it say so.

use std::path::Path;

fn main() {
    println!("cargo:rustc-check-cfg=cfg(fk_corpus)");
    let corpus =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/fk_shs_emottagning");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={}", corpus.display());
    if !corpus.is_dir() {
        println!(
            "cargo:warning=../shared/corpus absent: the agency-contract compile test is skipped"
        );
        return;
    }
    elt_codegen::Builder::new()
        .input(&corpus)
        .layout(elt_codegen::Layout::SingleFile(
            "fk_shs_emottagning.rs".into(),
        ))
        .write()
        .unwrap_or_else(|e| panic!("generating from {}: {e}", corpus.display()));
    println!("cargo:rustc-cfg=fk_corpus");
}
