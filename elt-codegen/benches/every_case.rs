//! Generation time and peak heap on ELT and every visible corpus case, against `xsd-parser` alone
//! on the same schemas, in the same run: types only (formatted), and types with its quick-xml
//! (de)serializers (formatted), the configuration that does the job our output does.
//!
//! Run with `cargo bench -p elt-codegen --bench every_case` (`-- --runs N` for the number of
//! timed runs per configuration, 5 by default). Times are medians; the peak heap is the most
//! bytes allocated at once during one run, above what was allocated before it, counted by this
//! binary's global allocator (`peakmem-alloc`, a counting wrapper of the system allocator). The table gives ratios against the baselines; `criterion`
//! figures for ELT and the largest case are in the `generate` bench.

use std::alloc::System;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use elt_codegen::{Builder, FileSet, InputLimits};
use peakmem_alloc::{INSTRUMENTED_SYSTEM, PeakMemAlloc, PeakMemAllocTrait};

mod common;

/// The system allocator, counting the most bytes in use since the last reset.
#[global_allocator]
static GLOBAL: &PeakMemAlloc<System> = &INSTRUMENTED_SYSTEM;

/// The median time of `runs` runs of `f`, and the peak heap above the starting level during the
/// first of them.
fn measure(runs: usize, mut f: impl FnMut() -> usize) -> (Duration, usize, usize) {
    GLOBAL.reset_peak_memory();
    let out = std::hint::black_box(f());
    let peak = GLOBAL.get_peak_memory();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(f());
            started.elapsed()
        })
        .collect();
    times.sort();
    (times[times.len() / 2], peak, out)
}

/// A measured configuration, or why it could not run.
type Measured = Result<(Duration, usize, usize), String>;

struct Row {
    case: String,
    ours: (Duration, usize, usize),
    types: Measured,
    quick_xml: Measured,
}

/// [`measure`] of the baseline, or its error (tried once, untimed).
fn measure_baseline(
    runs: usize,
    dir: &std::path::Path,
    xsds: &[String],
    quick_xml: bool,
) -> Measured {
    let tried = std::panic::catch_unwind(|| common::try_baseline(dir, xsds, true, quick_xml))
        .unwrap_or_else(|_| Err("xsd-parser panicked".into()));
    tried?;
    Ok(measure(runs, || {
        common::baseline(dir, xsds, true, quick_xml)
    }))
}

fn case(name: &str, set: &FileSet, runs: usize) -> Row {
    let dir = common::unpack(set, name);
    let xsds: Vec<String> = set
        .files()
        .map(|(p, _)| p.to_owned())
        .filter(|p| p.to_ascii_lowercase().ends_with(".xsd"))
        .collect();
    // Lines of our generated files, as the output's size.
    let ours = measure(runs, || {
        Builder::new()
            .generate_from(set)
            .unwrap()
            .iter()
            .map(|f| f.contents.lines().count())
            .sum()
    });
    let types = measure_baseline(runs, &dir, &xsds, false);
    let quick_xml = measure_baseline(runs, &dir, &xsds, true);
    Row {
        case: name.to_owned(),
        ours,
        types,
        quick_xml,
    }
}

fn main() {
    let mut runs = 5;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--runs" {
            runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs);
        }
    }
    let root = common::workspace();
    let mut cases: Vec<(String, FileSet)> = Vec::new();
    let zip = std::fs::read(root.join("wsdl/elt/ELT.zip")).unwrap();
    cases.push((
        "elt".into(),
        FileSet::from_zip_bytes("ELT.zip", &zip, InputLimits::default()).unwrap(),
    ));
    let corpus = root.join("../shared/corpus");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    if folders.is_empty() && std::env::var_os("ELT_REQUIRE_CORPUS").is_some() {
        panic!("{} holds no case", corpus.display());
    }
    folders.sort();
    for f in folders {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        cases.push((name, FileSet::read(&f).unwrap()));
    }
    println!(
        "| case | ours: time, peak heap, lines | xsd-parser types: time, peak heap, lines | ours ÷ it: time, heap, time per line | xsd-parser + quick-xml: time, peak heap, lines | ours ÷ it: time, heap, time per line |"
    );
    println!("|---|---|---|---|---|---|");
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mib = |b: usize| b as f64 / (1024.0 * 1024.0);
    let columns = |ours: &(Duration, usize, usize), it: &Measured| match it {
        Ok(it) => format!(
            "{:.1} ms, {:.1} MiB, {} | {:.2}×, {:.2}×, {:.2}×",
            ms(it.0),
            mib(it.1),
            it.2,
            ms(ours.0) / ms(it.0),
            ours.1 as f64 / it.1 as f64,
            (ms(ours.0) / ours.2 as f64) / (ms(it.0) / it.2 as f64)
        ),
        Err(e) => format!("not run: {} | -", e.lines().next().unwrap_or_default()),
    };
    for (name, set) in &cases {
        let r = case(name, set, runs);
        println!(
            "| {} | {:.1} ms, {:.1} MiB, {} | {} | {} |",
            r.case,
            ms(r.ours.0),
            mib(r.ours.1),
            r.ours.2,
            columns(&r.ours, &r.types),
            columns(&r.ours, &r.quick_xml),
        );
    }
}
