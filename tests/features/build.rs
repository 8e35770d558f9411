//! Generates code at build time, so that every test build compiles it:
//! - one file per feature fixture in `elt-codegen/tests/fixtures/features/` (types only), and
//!   one per folder fixture there (`chameleon/`: a schema without a namespace included and
//!   redefined by schemas of three; `extensionless/`: files named without an extension;
//!   `inherited_wildcards/`: wildcards extended from another namespace; `redefine_group/`: a
//!   group redefined in terms of itself; `remote_imports/`:
//!   imports naming web addresses; `rpc_literal/`: an rpc/literal service,
//!   with its client stubs);
//! - when `../shared/corpus` is present, one file per real-world case there (with client stubs
//!   where the case has SOAP ports the generator supports), under `cfg(corpus)`.
//!
//! The time each generation took is written to `OUT_DIR/timings.txt`;
//! `ELT_FEATURE_TESTS_CORPUS=0` leaves the corpus out, except under `ELT_REQUIRE_CORPUS=1`
//! (set by `cargo xtask test`), where a corpus left out or absent fails the build.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

/// Feature fixtures, by file stem.
const FIXTURES: &[&str] = &[
    "all",
    "any_attribute",
    "any_type",
    "collisions",
    "derivation",
    "inheritance",
    "list",
    "mixed",
    "nillable",
    "pattern_steps",
    "recursive",
    "substitution",
    "union",
    "xsi_type",
];

/// Real-world cases: folder under `../shared/corpus`, and whether to render client stubs.
const CORPUS: &[(&str, bool)] = &[
    ("fk_shs_emottagning", true),
    ("bolagsverket_ssbt", true),
    ("cdyne_weather_asmx", true),
    // RIV-TA: the LogicalAddress travels as a `soap:header` part beside the body part.
    ("inera_riv_certificate_v3", true),
    ("isdoc_6_0_2", false),
    ("saml2", false),
    ("skatteverket_kontrolluppgifter_8_0", false),
];

fn main() {
    println!("cargo:rustc-check-cfg=cfg(corpus)");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures = manifest.join("../../elt-codegen/tests/fixtures/features");
    let corpus = manifest.join("../../../shared/corpus");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={}", fixtures.display());
    println!("cargo:rerun-if-changed={}", corpus.display());
    let mut timings = String::new();
    for name in FIXTURES {
        // A fixture of several files is the folder named after it.
        let dir = fixtures.join(name);
        let input = if dir.is_dir() {
            dir
        } else {
            fixtures.join(format!("{name}.xsd"))
        };
        let start = Instant::now();
        let mut builder = elt_codegen::Builder::new()
            .input(&input)
            .layout(elt_codegen::Layout::SingleFile(format!("{name}.rs")))
            .client(false);
        if *name == "all" {
            // The Builder's attribute hooks, checked in tests/wire.rs (`mod all`).
            builder = builder
                .type_attribute("all::Person", "#[serde(deny_unknown_fields)]")
                .field_attribute("all::Person::first", "#[serde(rename = \"given\")]");
        }
        builder
            .write()
            .unwrap_or_else(|e| panic!("generating from {}: {e}", input.display()));
        let _ = writeln!(timings, "{name} {:?}", start.elapsed());
    }
    // Folder fixtures: contracts of several files, generated from the folder (with client
    // stubs where the fixture is a service).
    for (name, client) in [
        ("chameleon", false),
        ("extensionless", false),
        ("inherited_wildcards", false),
        ("redefine_group", false),
        ("remote_imports", false),
        ("rpc_literal", true),
    ] {
        let input = fixtures.join(name);
        elt_codegen::Builder::new()
            .input(&input)
            .layout(elt_codegen::Layout::SingleFile(format!("{name}.rs")))
            .client(client)
            .write()
            .unwrap_or_else(|e| panic!("generating from {}: {e}", input.display()));
    }
    // `ELT_FEATURE_TESTS_CORPUS=0` leaves the corpus out (a faster build while iterating).
    println!("cargo:rerun-if-env-changed=ELT_FEATURE_TESTS_CORPUS");
    let wanted = std::env::var("ELT_FEATURE_TESTS_CORPUS").map_or(true, |v| v != "0");
    println!("cargo:rerun-if-env-changed=ELT_REQUIRE_CORPUS");
    if std::env::var("ELT_REQUIRE_CORPUS").is_ok_and(|v| v == "1") {
        assert!(
            wanted,
            "ELT_REQUIRE_CORPUS=1 and ELT_FEATURE_TESTS_CORPUS=0 contradict each other: a run that \
             requires the corpus cannot leave it out"
        );
        assert!(
            corpus.is_dir(),
            "{} is absent, and ELT_REQUIRE_CORPUS=1 requires it",
            corpus.display()
        );
    }
    if wanted && corpus.is_dir() {
        for (case, client) in CORPUS {
            let input = corpus.join(case);
            let start = Instant::now();
            elt_codegen::Builder::new()
                .input(&input)
                .layout(elt_codegen::Layout::SingleFile(format!("{case}.rs")))
                .client(*client)
                .write()
                .unwrap_or_else(|e| panic!("generating from {}: {e}", input.display()));
            let _ = writeln!(timings, "corpus/{case} {:?}", start.elapsed());
        }
        println!("cargo:rustc-cfg=corpus");
    } else if wanted {
        println!("cargo:warning=../shared/corpus absent: the real-world cases are not compiled");
    }
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("timings.txt"), timings).expect("OUT_DIR is writable");
}
