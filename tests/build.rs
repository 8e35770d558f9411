//! Generates code from real-world contracts in `../shared/corpus/` so the test build proves that
//! code compiles and the tests can round-trip instance documents through it:
//! - `fk_shs_emottagning`: the agency's own contract files (both WSDLs, the sister service
//!   included); it must generate, so a failure fails the build;
//! - `bolagsverket_ssbt`, `inera_riv_certificate_v3` and `skatteverket_kontrolluppgifter_8_0`: for `tests/corpus_roundtrip.rs`; a case
//!   the generator still refuses is left out with a warning naming the refusal, and its
//!   round-trip test reports the case as refused.
//!
//! The folder is test data outside the product; where it is absent the modules are left out and
//! the tests that need them say so. Each case present and generated sets `cfg(<case>_corpus)`
//! (`fk_corpus` for the agency's case). With `ELT_REQUIRE_CORPUS=1` (set by `cargo xtask test`,
//! so in CI) an absent or refused case fails the build instead: nothing is compiled out.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=ELT_REQUIRE_CORPUS");
    let all_required = std::env::var("ELT_REQUIRE_CORPUS").is_ok_and(|v| v == "1");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    for (case, cfg, required) in [
        ("fk_shs_emottagning", "fk_corpus", true),
        ("bolagsverket_ssbt", "bolagsverket_corpus", false),
        ("inera_riv_certificate_v3", "inera_corpus", false),
        // The largest visible case: its round trip runs on a 2 MiB thread.
        (
            "skatteverket_kontrolluppgifter_8_0",
            "skatteverket_corpus",
            false,
        ),
    ] {
        println!("cargo:rustc-check-cfg=cfg({cfg})");
        let dir = corpus.join(case);
        println!("cargo:rerun-if-changed={}", dir.display());
        let required = required || all_required;
        if !dir.is_dir() {
            assert!(
                !all_required,
                "{} is absent, and ELT_REQUIRE_CORPUS=1 requires it",
                dir.display()
            );
            println!(
                "cargo:warning=../shared/corpus/{case} absent: the tests that need its generated code are skipped"
            );
            continue;
        }
        let result = elt_codegen::Builder::new()
            .input(&dir)
            .layout(elt_codegen::Layout::SingleFile(format!("{case}.rs")))
            .write();
        match result {
            Ok(_) => {
                let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR is set")).to_owned();
                let code = std::fs::read_to_string(out.join(format!("{case}.rs")))
                    .expect("the generated file was written");
                std::fs::write(out.join(format!("{case}_roots.rs")), roots_dispatch(&code))
                    .expect("OUT_DIR is writable");
                println!("cargo:rustc-cfg={cfg}");
            }
            Err(e) if required => panic!("generating from {}: {e}", dir.display()),
            Err(e) => println!(
                "cargo:warning={case} is refused by the generator, its round trip is skipped: {}",
                e.to_string().replace('\n', " ")
            ),
        }
    }
}

/// A `roundtrip(namespace, name, xml)` function over every global element (`RootElement`
/// constant) of the generated file: reads `xml` as that element and writes it back. It lets
/// the round-trip test dispatch on a document's root element without naming the generated
/// modules. The file is scanned as `prettyplease` lays it out: `pub mod m {` at the start of a
/// line, `    pub const C: ::elt_xml::RootElement<` inside it.
fn roots_dispatch(code: &str) -> String {
    let mut arms = String::new();
    let mut module = None;
    for line in code.lines() {
        if let Some(rest) = line.strip_prefix("pub mod ") {
            module = rest.strip_suffix(" {").map(str::to_owned);
        } else if let (Some(m), Some(rest)) = (&module, line.strip_prefix("    pub const "))
            && let Some((name, ty)) = rest.split_once(": ")
            && ty.starts_with("::elt_xml::RootElement<")
        {
            arms.push_str(&format!(
                "    if {m}::{name}.namespace == namespace && {m}::{name}.name == name {{\n        \
                 return Some(rt(&{m}::{name}, xml));\n    }}\n"
            ));
        }
    }
    format!(
        "/// Reads `xml` as the global element `{{namespace}}name` and writes it back, when the\n\
         /// contract declares that element.\n\
         pub fn roundtrip(\n    namespace: Option<&str>,\n    name: &str,\n    xml: &str,\n) -> \
         Option<Result<String, ::elt_xml::XmlError>> {{\n    \
         fn rt<T: ::elt_xml::XmlContent>(\n        root: &::elt_xml::RootElement<T>,\n        \
         xml: &str,\n    ) -> Result<String, ::elt_xml::XmlError> {{\n        \
         root.to_xml(&root.from_xml(xml)?)\n    }}\n{arms}    None\n}}\n"
    )
}
