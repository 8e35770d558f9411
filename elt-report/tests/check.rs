//! `check` reports every finding of a document, whatever their rules, not only the first.

use elt_report::{Severity, SignedReport, check, has_errors};

fn example() -> String {
    std::fs::read_to_string(format!(
        "{}/../wsdl/elt/examples/tidredovisning-1.xml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// `text` with the first `from` replaced by `to`; the test's edit must apply.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "the example no longer holds {from:?}");
    text.replacen(from, to, 1)
}

#[test]
fn several_findings_of_different_rules_come_from_one_document() {
    let clean = SignedReport::from_bytes(example().into_bytes()).unwrap();
    assert_eq!(check(clean.report()), [], "the example itself is clean");

    // Three mistakes of three rules, in different parts of the report.
    let text = example();
    // September has no day 31.
    let text = edit(
        &text,
        "<dag>1</dag>\n      <fromTid>07.30</fromTid>",
        "<dag>31</dag>\n      <fromTid>07.30</fromTid>",
    );
    // The second row ends before it starts.
    let text = edit(
        &text,
        "<fromTid>12.00</fromTid>\n      <tomTid>13.00</tomTid>",
        "<fromTid>13.00</fromTid>\n      <tomTid>12.00</tomTid>",
    );
    // The assistant is the person with assistance.
    let text = edit(
        &text,
        "<personnummer>201212121212</personnummer>",
        "<personnummer>191212121212</personnummer>",
    );
    let report = SignedReport::from_bytes(text.into_bytes()).unwrap();
    let findings = check(report.report());
    let listed: Vec<String> = findings.iter().map(ToString::to_string).collect();
    let found = |rule: &str, path: &str| {
        findings
            .iter()
            .any(|f| f.rule == rule && f.path == path && f.severity == Severity::Error)
    };
    assert!(
        found("day.exists", "/Tidredovisning/tidrapport/rapportRad[1]/dag"),
        "{listed:#?}"
    );
    assert!(
        found(
            "row.order",
            "/Tidredovisning/tidrapport/rapportRad[2]/tomTid"
        ),
        "{listed:#?}"
    );
    assert!(
        found(
            "assistant.is-person",
            "/Tidredovisning/assistent/personnummer"
        ),
        "{listed:#?}"
    );
    assert!(has_errors(&findings));
}
