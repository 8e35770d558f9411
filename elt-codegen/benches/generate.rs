//! Full generation (read zip, parse, resolve, render, format) against a baseline of
//! `xsd-parser` alone (parse, interpret, optimize, generate, render its own types) on the same
//! schemas, in the same run. Report the ratio, not the absolute figures.
//!
//! Run with `cargo bench -p elt-codegen --bench generate`.

#![allow(missing_docs)] // criterion_group! generates undocumented items

mod common;

use std::path::PathBuf;

use common::{baseline, largest_corpus_case, unpack, workspace};
use criterion::{Criterion, criterion_group, criterion_main};
use elt_codegen::{Builder, FileSet, InputLimits};

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
