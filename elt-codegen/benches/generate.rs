//! Full generation (read zip, parse, resolve, render, format) against a baseline of
//! `xsd-parser` alone (parse, interpret, optimize, generate, render its own types) on the same
//! schemas, in the same run. Report the ratio, not the absolute figures.
//!
//! Run with `cargo bench -p elt-codegen --bench generate`.

#![allow(missing_docs)] // criterion_group! generates undocumented items

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use elt_codegen::{Builder, FileSet, InputLimits};
use xsd_parser::config::{Config, ParserFlags, Schema};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// Unpacks a file set to disk so that `xsd-parser`'s own file resolver can read it.
fn unpack(set: &FileSet, name: &str) -> PathBuf {
    let dir = workspace().join("target/bench-inputs").join(name);
    for (path, bytes) in set.files() {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    dir
}

fn baseline(dir: &Path, xsds: &[String], format: bool, quick_xml: bool) -> usize {
    let mut config = Config::default();
    if quick_xml {
        // Types plus xsd-parser's own quick-xml (de)serializers: what it takes to be correct on
        // the wire, as our output is.
        config = config.with_quick_xml();
    }
    config.parser.schemas = xsds.iter().map(|x| Schema::File(dir.join(x))).collect();
    config.parser.flags |= ParserFlags::RESOLVE_INCLUDES;
    let tokens = xsd_parser::generate(config).expect("xsd-parser generates");
    if format {
        prettyplease::unparse(&syn::parse2(tokens).unwrap()).len()
    } else {
        tokens.to_string().len()
    }
}

fn case(c: &mut Criterion, name: &str, zip_bytes: Option<Vec<u8>>, folder: Option<PathBuf>) {
    let set = match (&zip_bytes, &folder) {
        (Some(b), _) => FileSet::from_zip_bytes(name, b, InputLimits::default()).unwrap(),
        (_, Some(f)) => FileSet::read(f).unwrap(),
        _ => unreachable!(),
    };
    let dir = unpack(&set, name);
    // The XSD files the engine needs as entry points: every .xsd (xsd-parser skips repeats).
    let xsds: Vec<String> = set
        .files()
        .map(|(p, _)| p.to_owned())
        .filter(|p| p.ends_with(".xsd"))
        .collect();
    let mut g = c.benchmark_group(name);
    g.bench_function("elt-codegen (read, parse, resolve, render, format)", |b| {
        b.iter(|| {
            let set = match (&zip_bytes, &folder) {
                (Some(bytes), _) => {
                    FileSet::from_zip_bytes(name, bytes, InputLimits::default()).unwrap()
                }
                (_, Some(f)) => FileSet::read(f).unwrap(),
                _ => unreachable!(),
            };
            Builder::new().generate_from(&set).unwrap()
        })
    });
    g.bench_function("xsd-parser alone (types, unformatted)", |b| {
        b.iter(|| baseline(&dir, &xsds, false, false))
    });
    g.bench_function("xsd-parser alone (types, formatted)", |b| {
        b.iter(|| baseline(&dir, &xsds, true, false))
    });
    g.bench_function("xsd-parser alone (types + quick-xml, formatted)", |b| {
        b.iter(|| baseline(&dir, &xsds, true, true))
    });
    g.finish();
}

/// The case folder of `corpus` whose `.wsdl` and `.xsd` files are largest in total.
fn largest_corpus_case(corpus: &Path) -> Option<(String, PathBuf)> {
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

fn benches(c: &mut Criterion) {
    let zip = std::fs::read(workspace().join("wsdl/elt/ELT.zip")).unwrap();
    case(c, "elt", Some(zip), None);
    // The largest visible corpus case (by the bytes of its .wsdl and .xsd files); test data
    // outside the product, skipped where absent.
    if let Some((name, dir)) = largest_corpus_case(&workspace().join("../shared/corpus")) {
        case(c, &name, None, Some(dir));
    }
}

criterion_group!(generate, benches);
criterion_main!(generate);
