//! Check + hours summary + digest of a month's report with 200 rows, the work a vendor's
//! system does for each report before signing.
//!
//! - `report/prepare_200_rows`: `SignedReport::from_bytes` (parse, typed read, Canonical XML,
//!   SHA-256), `check` and `summarize`;
//! - `report/parse_only_200_rows`: the typed read alone (`TIDREDOVISNING.from_xml_bytes`, in
//!   `elt-types`/`elt-xml`), the baseline measured in the same run: the ratio says what the
//!   checks, the hours and the digest cost on top of reading the document at all;
//! - `report/c14n_200_rows`: parsing and Canonical XML alone (the digest without SHA-256);
//! - `report/roxmltree_only_200_rows`: the XML parser the runtime reads with (`roxmltree`),
//!   building its tree of the document and nothing else: the floor under every other figure;
//! - `report/quick_xml_events_200_rows`: a streaming tokenizer (`quick-xml`) reading every event
//!   of the same document with no tree, the reference for a reader that would meet the target;
//! - `report/check_and_summary_200_rows`: `check` and `summarize` on a report already read.
//!
//! Run with `cargo bench -p elt-report --bench report -- --warm-up-time 1 --measurement-time 5`;
//! reports per second on one core = 1 / time per iteration.

#![allow(missing_docs)] // criterion_group! generates undocumented items

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group};
use elt_report::SignedReport;
use elt_types::tidredovisning::TIDREDOVISNING;

/// A valid March 2026 report (with the spring switch night) with `rows` non-overlapping rows.
fn month(rows: usize) -> Vec<u8> {
    let mut xml = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        "\n",
        r#"<Tidredovisning xmlns="http://schema.forsakringskassan.se/integration/isassistansersattning/tidredovisning/1">"#,
        "<id>0b6f3c2a-9d41-4e7b-8a15-3c2d1e0f9a87</id><redovisningsmanad>2026-03</redovisningsmanad>",
        "<personSomHarAssistans><personnummer>191212121212</personnummer><fornamn>Tolvan</fornamn><efternamn>Tolvansson</efternamn></personSomHarAssistans>",
        "<assistent><personnummer>201212121212</personnummer><fornamn>Stina</fornamn><efternamn>Provsdotter</efternamn><kollektivavtal>true</kollektivavtal></assistent>",
        "<assistansanordnare><anordnareNamn>Exempelassistans AB</anordnareNamn><organisationsnummer>5599001236</organisationsnummer>",
        "<assistentAnstalldAvAnordnare>true</assistentAnstalldAvAnordnare></assistansanordnare><tidrapport>\n"
    ));
    let kinds = ["aktivTid", "vanteTid", "beredskapsTid"];
    for i in 0..rows {
        let day = i % 31 + 1;
        let slot = i / 31; // 0..=6
        let from = 4 + slot * 2;
        xml.push_str(&format!(
            "<rapportRad><dag>{day}</dag><fromTid>{from:02}.00</fromTid><tomTid>{:02}.30</tomTid><{k}>true</{k}></rapportRad>\n",
            from + 1,
            k = kinds[i % 3]
        ));
    }
    xml.push_str("</tidrapport><telefonnummerAnordnare>08-465 004 10</telefonnummerAnordnare></Tidredovisning>\n");
    xml.into_bytes()
}

fn prepare(bytes: &[u8]) -> usize {
    let report = SignedReport::from_bytes(bytes.to_vec()).expect("the bench report reads");
    let findings = elt_report::check(report.report());
    let summary = report.summary();
    findings.len() + summary.days.len() + report.digest().len()
}

fn bench(c: &mut Criterion) {
    let bytes = month(200);
    // The bench measures a clean report: no findings, every row counted.
    let report = SignedReport::from_bytes(bytes.clone()).expect("the bench report reads");
    assert!(elt_report::check(report.report()).is_empty());
    assert!(report.summary().rows_left_out.is_empty());
    assert_eq!(report.report().tidrapport.rapport_rad.len(), 200);

    let mut g = c.benchmark_group("report");
    g.bench_function("prepare_200_rows", |b| {
        b.iter(|| prepare(black_box(&bytes)))
    });
    g.bench_function("parse_only_200_rows", |b| {
        b.iter(|| {
            TIDREDOVISNING
                .from_xml_bytes(black_box(&bytes))
                .map(|r| r.tidrapport.rapport_rad.len())
        })
    });
    g.bench_function("roxmltree_only_200_rows", |b| {
        b.iter(|| {
            let text = std::str::from_utf8(black_box(&bytes)).expect("UTF-8");
            roxmltree::Document::parse(text).map(|d| d.descendants().count())
        })
    });
    g.bench_function("quick_xml_events_200_rows", |b| {
        b.iter(|| {
            let mut reader = quick_xml::Reader::from_reader(black_box(&bytes[..]));
            let mut buf = Vec::new();
            let mut events = 0usize;
            loop {
                match reader.read_event_into(&mut buf) {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => events += 1,
                    Err(e) => panic!("the bench report is well-formed: {e}"),
                }
                buf.clear();
            }
            events
        })
    });
    g.bench_function("c14n_200_rows", |b| {
        b.iter(|| elt_report::c14n::canonicalize(black_box(&bytes)).map(|c| c.len()))
    });
    let parsed = report.report().clone();
    g.bench_function("check_and_summary_200_rows", |b| {
        b.iter(|| {
            elt_report::check(black_box(&parsed)).len()
                + elt_report::summarize(black_box(&parsed)).days.len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);

fn main() {
    benches();
    // One plain figure beside criterion's: reports per second over 2,000 reports.
    let bytes = month(200);
    let n = 2_000;
    let started = Instant::now();
    let mut sink = 0;
    for _ in 0..n {
        sink += prepare(black_box(&bytes));
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "prepare_200_rows: {:.0} reports per second on one core ({n} reports in {secs:.3} s; {} bytes each; sink {sink})",
        f64::from(n) / secs,
        bytes.len()
    );
    Criterion::default().configure_from_args().final_summary();
}
