//! What the generation benchmarks share: the inputs and the `xsd-parser` baseline.

// Each bench binary uses part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use elt_codegen::FileSet;
use xsd_parser::config::{Config, ParserFlags, Schema};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// Unpacks a file set to disk so that `xsd-parser`'s own file resolver can read it.
pub fn unpack(set: &FileSet, name: &str) -> PathBuf {
    let dir = workspace().join("target/bench-inputs").join(name);
    for (path, bytes) in set.files() {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    dir
}

/// `xsd-parser` alone on the `.xsd` files `xsds` under `dir`: types, optionally formatted and
/// optionally with its quick-xml (de)serializers; the lines of its output when formatted, else
/// its length in bytes.
pub fn baseline(dir: &Path, xsds: &[String], format: bool, quick_xml: bool) -> usize {
    try_baseline(dir, xsds, format, quick_xml).expect("xsd-parser generates")
}

/// [`baseline`], with `xsd-parser`'s error where it refuses the schemas.
pub fn try_baseline(
    dir: &Path,
    xsds: &[String],
    format: bool,
    quick_xml: bool,
) -> Result<usize, String> {
    if xsds.is_empty() {
        return Err("no .xsd file (the schemas are inside WSDL files)".into());
    }
    let mut config = Config::default();
    if quick_xml {
        // Types plus xsd-parser's own quick-xml (de)serializers: what it takes to be correct on
        // the wire, as our output is.
        config = config.with_quick_xml();
    }
    config.parser.schemas = xsds.iter().map(|x| Schema::File(dir.join(x))).collect();
    config.parser.flags |= ParserFlags::RESOLVE_INCLUDES;
    let tokens = xsd_parser::generate(config).map_err(|e| e.to_string())?;
    Ok(if format {
        prettyplease::unparse(&syn::parse2(tokens).map_err(|e| e.to_string())?)
            .lines()
            .count()
    } else {
        tokens.to_string().len()
    })
}

/// The case folder of `corpus` whose `.wsdl` and `.xsd` files are largest in total.
pub fn largest_corpus_case(corpus: &Path) -> Option<(String, PathBuf)> {
    fn schema_bytes(dir: &Path) -> u64 {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return 0;
        };
        entries
            .flatten()
            .map(|e| {
                let p = e.path();
                if p.is_dir() {
                    schema_bytes(&p)
                } else if p.extension().is_some_and(|x| {
                    x.eq_ignore_ascii_case("xsd") || x.eq_ignore_ascii_case("wsdl")
                }) {
                    e.metadata().map(|m| m.len()).unwrap_or(0)
                } else {
                    0
                }
            })
            .sum()
    }
    std::fs::read_dir(corpus)
        .ok()?
        .flatten()
        .filter(|e| e.path().is_dir())
        .max_by_key(|e| schema_bytes(&e.path()))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
}
