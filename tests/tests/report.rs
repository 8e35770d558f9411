//! `elt-report` against independent implementations and the agency's own schema:
//! - every rule of `check` in both directions, on documents the agency's XSD accepts (each
//!   document here is validated with Python `xmlschema` against
//!   `../shared/corpus/fk_shs_emottagning/tidredovisning_extern_v1.xsd`);
//! - the hours on the switch nights of 2025 and 2026;
//! - the digest equal to Python `lxml`'s Canonical XML 1.0 (without comments) + SHA-256;
//! - a report signed with `elt_report::testing` signatures accepted by the strict mock through
//!   the generated client, and a mismatch refused with the declared `SignatureValidationError`.

mod common;

use std::path::PathBuf;
use std::process::Command;

use elt_report::{Severity, SignedReport, SigningOptions, testing};
use elt_tests::{python, validate_all_with_xmlschema, workspace_root};

/// The agency's time report schema. The test FAILS (never skips) when it is missing.
fn agency_xsd() -> PathBuf {
    let xsd =
        workspace_root().join("../shared/corpus/fk_shs_emottagning/tidredovisning_extern_v1.xsd");
    assert!(
        xsd.is_file(),
        "{} is missing: these tests validate against the agency's own schema",
        xsd.display()
    );
    xsd
}

const NS: &str =
    "http://schema.forsakringskassan.se/integration/isassistansersattning/tidredovisning/1";

/// The parts of a report a test changes; the rest is fixed, valid invented data.
#[derive(Clone)]
struct Doc {
    month: &'static str,
    person: &'static str,
    /// `("personnummer" | "samordningsnummer", number)`.
    assistant: (&'static str, &'static str),
    periods: Vec<(&'static str, &'static str)>,
    provider: &'static str,
    employer: Option<&'static str>,
    /// `(dag, fromTid, tomTid, kind)`.
    rows: Vec<(u32, &'static str, &'static str, &'static str)>,
}

fn base() -> Doc {
    Doc {
        month: "2026-03",
        person: "191212121212",
        assistant: ("personnummer", "201212121212"),
        periods: vec![("2026-03-01", "2026-03-31")],
        provider: "5599001236",
        employer: Some("5599114567"),
        rows: vec![(2, "08.00", "12.00", "aktivTid")],
    }
}

impl Doc {
    fn month(mut self, m: &'static str) -> Self {
        self.month = m;
        self
    }
    fn rows(mut self, rows: &[(u32, &'static str, &'static str, &'static str)]) -> Self {
        self.rows = rows.to_vec();
        self
    }
    fn xml(&self) -> String {
        let mut x = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Tidredovisning xmlns=\"{NS}\">\n  <id>6a1f0c3e-2b4d-4e8f-9a7b-1c2d3e4f5a6b</id>\n  <redovisningsmanad>{}</redovisningsmanad>\n  <personSomHarAssistans><personnummer>{}</personnummer><fornamn>Tolvan</fornamn><efternamn>Tolvansson</efternamn></personSomHarAssistans>\n  <assistent><{a}>{}</{a}><fornamn>Stina</fornamn><efternamn>Provsdotter</efternamn><kollektivavtal>false</kollektivavtal></assistent>\n",
            self.month,
            self.person,
            self.assistant.1,
            a = self.assistant.0
        );
        for (from, to) in &self.periods {
            x.push_str(&format!(
                "  <berakningsperiod><fromDag>{from}</fromDag><tomDag>{to}</tomDag></berakningsperiod>\n"
            ));
        }
        x.push_str(&format!(
            "  <assistansanordnare><anordnareNamn>Exempelassistans AB</anordnareNamn><organisationsnummer>{}</organisationsnummer>",
            self.provider
        ));
        match self.employer {
            Some(e) => x.push_str(&format!(
                "<annanArbetsgivare><organisationsnummer>{e}</organisationsnummer></annanArbetsgivare>"
            )),
            None => x.push_str("<assistentAnstalldAvAnordnare>true</assistentAnstalldAvAnordnare>"),
        }
        x.push_str("</assistansanordnare>\n  <tidrapport>\n");
        for (dag, from, to, kind) in &self.rows {
            x.push_str(&format!(
                "    <rapportRad><dag>{dag}</dag><fromTid>{from}</fromTid><tomTid>{to}</tomTid><{kind}>true</{kind}></rapportRad>\n"
            ));
        }
        x.push_str("  </tidrapport>\n  <telefonnummerAnordnare>08-123 456 78</telefonnummerAnordnare>\n</Tidredovisning>\n");
        x
    }
}

/// One case of the rule table: `expect` is the finding (severity, path) the rule must give, or
/// `None` when the rule must stay silent.
struct Case {
    name: &'static str,
    doc: Doc,
    rule: &'static str,
    expect: Option<(Severity, &'static str)>,
    /// A text the message must contain.
    says: &'static str,
}

fn case(
    name: &'static str,
    doc: Doc,
    rule: &'static str,
    expect: Option<(Severity, &'static str)>,
    says: &'static str,
) -> Case {
    Case {
        name,
        doc,
        rule,
        expect,
        says,
    }
}

fn cases() -> Vec<Case> {
    use Severity::{Error, Warning};
    let row = |d, f, t| base().rows(&[(d, f, t, "aktivTid")]);
    vec![
        // month.exists
        case(
            "month 13",
            base().month("2026-13").rows(&[]),
            "month.exists",
            Some((Error, "/Tidredovisning/redovisningsmanad")),
            "months are 01 to 12",
        ),
        case(
            "month 00",
            base().month("2026-00").rows(&[]),
            "month.exists",
            Some((Error, "/Tidredovisning/redovisningsmanad")),
            "01 to 12",
        ),
        case(
            "month 12",
            base().month("2026-12").rows(&[]),
            "month.exists",
            None,
            "",
        ),
        // day.exists
        case(
            "30 February",
            base()
                .month("2026-02")
                .rows(&[(30, "08.00", "09.00", "aktivTid")]),
            "day.exists",
            Some((Error, "/Tidredovisning/tidrapport/rapportRad[1]/dag")),
            "28 days",
        ),
        case(
            "29 February 2026",
            base()
                .month("2026-02")
                .rows(&[(29, "08.00", "09.00", "aktivTid")]),
            "day.exists",
            Some((Error, "/Tidredovisning/tidrapport/rapportRad[1]/dag")),
            "day 29",
        ),
        case(
            "29 February 2024",
            base()
                .month("2024-02")
                .rows(&[(29, "08.00", "09.00", "aktivTid")]),
            "day.exists",
            None,
            "",
        ),
        case(
            "31 April",
            base()
                .month("2026-04")
                .rows(&[(31, "08.00", "09.00", "aktivTid")]),
            "day.exists",
            Some((Error, "/Tidredovisning/tidrapport/rapportRad[1]/dag")),
            "30 days",
        ),
        case(
            "31 March",
            row(31, "08.00", "09.00"),
            "day.exists",
            None,
            "",
        ),
        // time.of-day
        case(
            "25.99",
            row(2, "25.99", "26.00"),
            "time.of-day",
            Some((Error, "/Tidredovisning/tidrapport/rapportRad[1]/fromTid")),
            "hours run from 00 to 23",
        ),
        case(
            "12.60",
            row(2, "08.00", "12.60"),
            "time.of-day",
            Some((Error, "/Tidredovisning/tidrapport/rapportRad[1]/tomTid")),
            "minutes",
        ),
        case(
            "24.00 as fromTid",
            row(2, "24.00", "24.00"),
            "time.of-day",
            Some((Error, "/Tidredovisning/tidrapport/rapportRad[1]/fromTid")),
            "only as tomTid",
        ),
        case(
            "24.30 as tomTid",
            row(2, "22.00", "24.30"),
            "time.of-day",
            Some((Error, "/Tidredovisning/tidrapport/rapportRad[1]/tomTid")),
            "24.00 only",
        ),
        case(
            "24.00 as tomTid",
            row(2, "22.00", "24.00"),
            "time.of-day",
            None,
            "",
        ),
        case(
            "00.00 to 23.59",
            row(2, "00.00", "23.59"),
            "time.of-day",
            None,
            "",
        ),
        // row.order
        case(
            "over midnight",
            row(2, "22.00", "06.00"),
            "row.order",
            Some((Error, "/Tidredovisning/tidrapport/rapportRad[1]/tomTid")),
            "a shift over midnight is two rows: 22.00–24.00 on day 2 and 00.00–06.00 on day 3",
        ),
        case(
            "empty row",
            row(2, "10.00", "10.00"),
            "row.order",
            Some((Error, "/Tidredovisning/tidrapport/rapportRad[1]/tomTid")),
            "starts and ends at 10.00",
        ),
        case(
            "midnight as two rows",
            base().rows(&[
                (2, "22.00", "24.00", "aktivTid"),
                (3, "00.00", "06.00", "aktivTid"),
            ]),
            "row.order",
            None,
            "",
        ),
        // time.nonexistent (spring switch nights)
        case(
            "02.30 on 2025-03-30",
            base()
                .month("2025-03")
                .rows(&[(30, "02.30", "05.00", "aktivTid")]),
            "time.nonexistent",
            Some((Error, "/Tidredovisning/tidrapport/rapportRad[1]/fromTid")),
            "does not exist",
        ),
        case(
            "02.00 end on 2026-03-29",
            base().rows(&[(29, "00.00", "02.00", "aktivTid")]),
            "time.nonexistent",
            Some((Error, "/Tidredovisning/tidrapport/rapportRad[1]/tomTid")),
            "write 03.00",
        ),
        case(
            "03.00 on 2026-03-29",
            base().rows(&[(29, "00.00", "03.00", "aktivTid")]),
            "time.nonexistent",
            None,
            "",
        ),
        case(
            "02.30 a week earlier",
            base().rows(&[(22, "02.30", "05.00", "aktivTid")]),
            "time.nonexistent",
            None,
            "",
        ),
        case(
            "02.30 on 2025-10-26",
            base()
                .month("2025-10")
                .rows(&[(26, "02.30", "05.00", "aktivTid")]),
            "time.nonexistent",
            None,
            "",
        ),
        // time.repeated-hour (autumn switch nights)
        case(
            "02.00 on 2025-10-26",
            base()
                .month("2025-10")
                .rows(&[(26, "02.00", "02.30", "aktivTid")]),
            "time.repeated-hour",
            Some((Warning, "/Tidredovisning/tidrapport/rapportRad[1]/fromTid")),
            "first time, in summer time",
        ),
        case(
            "02.59 end on 2026-10-25",
            base()
                .month("2026-10")
                .rows(&[(25, "01.00", "02.59", "aktivTid")]),
            "time.repeated-hour",
            Some((Warning, "/Tidredovisning/tidrapport/rapportRad[1]/tomTid")),
            "happens twice",
        ),
        case(
            "01.00–03.00 on 2026-10-25",
            base()
                .month("2026-10")
                .rows(&[(25, "01.00", "03.00", "aktivTid")]),
            "time.repeated-hour",
            None,
            "",
        ),
        case(
            "02.30 a week earlier in October",
            base()
                .month("2026-10")
                .rows(&[(18, "02.30", "03.00", "aktivTid")]),
            "time.repeated-hour",
            None,
            "",
        ),
        // row.overlap
        case(
            "overlap",
            base().rows(&[
                (2, "08.00", "12.00", "aktivTid"),
                (2, "11.00", "13.00", "vanteTid"),
            ]),
            "row.overlap",
            Some((Error, "/Tidredovisning/tidrapport/rapportRad[2]")),
            "rapportRad[2] (day 2, 11.00–13.00) overlaps rapportRad[1] (day 2, 08.00–12.00)",
        ),
        case(
            "overlap out of order",
            base().rows(&[
                (3, "08.00", "09.00", "aktivTid"),
                (2, "10.00", "12.00", "aktivTid"),
                (2, "08.00", "10.30", "beredskapsTid"),
            ]),
            "row.overlap",
            Some((Error, "/Tidredovisning/tidrapport/rapportRad[3]")),
            "overlaps rapportRad[2]",
        ),
        case(
            "adjacent rows",
            base().rows(&[
                (2, "08.00", "12.00", "aktivTid"),
                (2, "12.00", "13.00", "vanteTid"),
            ]),
            "row.overlap",
            None,
            "",
        ),
        case(
            "over midnight, no overlap",
            base().rows(&[
                (2, "22.00", "24.00", "aktivTid"),
                (3, "00.00", "01.00", "aktivTid"),
            ]),
            "row.overlap",
            None,
            "",
        ),
        // period.order
        case(
            "period backwards",
            Doc {
                periods: vec![("2026-03-15", "2026-03-01")],
                ..base()
            },
            "period.order",
            Some((Error, "/Tidredovisning/berakningsperiod[1]/tomDag")),
            "ends (2026-03-01) before it starts (2026-03-15)",
        ),
        case(
            "one-day period",
            Doc {
                periods: vec![("2026-03-01", "2026-03-31"), ("2026-03-15", "2026-03-15")],
                ..base()
            },
            "period.order",
            None,
            "",
        ),
        // identity numbers
        case(
            "person check digit",
            Doc {
                person: "191212121213",
                ..base()
            },
            "id.check-digit",
            Some((Error, "/Tidredovisning/personSomHarAssistans/personnummer")),
            "gives 2",
        ),
        case("person valid", base(), "id.check-digit", None, ""),
        case(
            "assistant month 13",
            Doc {
                assistant: ("personnummer", "201313121210"),
                ..base()
            },
            "id.date",
            Some((Error, "/Tidredovisning/assistent/personnummer")),
            "2013-13-12 is not a date",
        ),
        case(
            "assistant samordningsnummer",
            Doc {
                assistant: ("samordningsnummer", "191212721219"),
                ..base()
            },
            "id.kind",
            None,
            "",
        ),
        case(
            "samordningsnummer as personnummer",
            Doc {
                assistant: ("personnummer", "191212721219"),
                ..base()
            },
            "id.kind",
            Some((Error, "/Tidredovisning/assistent/personnummer")),
            "samordningsnummer",
        ),
        case(
            "personnummer as samordningsnummer",
            Doc {
                assistant: ("samordningsnummer", "201212121212"),
                ..base()
            },
            "id.kind",
            Some((Error, "/Tidredovisning/assistent/samordningsnummer")),
            "is a personnummer",
        ),
        case(
            "provider check digit",
            Doc {
                provider: "5599001237",
                ..base()
            },
            "id.check-digit",
            Some((
                Error,
                "/Tidredovisning/assistansanordnare/organisationsnummer",
            )),
            "gives 6",
        ),
        case(
            "provider group",
            Doc {
                provider: "5513012343",
                ..base()
            },
            "id.organisation-group",
            Some((
                Error,
                "/Tidredovisning/assistansanordnare/organisationsnummer",
            )),
            "at least 20",
        ),
        case(
            "provider sole trader",
            Doc {
                provider: "1212121212",
                ..base()
            },
            "id.organisation-group",
            None,
            "",
        ),
        case(
            "employer check digit",
            Doc {
                employer: Some("5599114568"),
                ..base()
            },
            "id.check-digit",
            Some((
                Error,
                "/Tidredovisning/assistansanordnare/annanArbetsgivare/organisationsnummer",
            )),
            "check digit",
        ),
        case("employer valid", base(), "id.check-digit", None, ""),
        // assistant.is-person
        case(
            "own assistant",
            Doc {
                assistant: ("personnummer", "191212121212"),
                ..base()
            },
            "assistant.is-person",
            Some((Error, "/Tidredovisning/assistent/personnummer")),
            "cannot be their own assistant",
        ),
        case("another assistant", base(), "assistant.is-person", None, ""),
    ]
}

#[test]
fn each_rule_in_both_directions_on_documents_the_agency_schema_accepts() {
    let cases = cases();
    let mut failures = Vec::new();
    for c in &cases {
        let report =
            SignedReport::from_bytes(c.doc.xml()).unwrap_or_else(|e| panic!("{}: {e}", c.name));
        let findings = elt_report::check(report.report());
        let hits: Vec<_> = findings.iter().filter(|f| f.rule == c.rule).collect();
        match c.expect {
            Some((severity, path)) => {
                let hit = hits
                    .iter()
                    .find(|f| f.path == path && f.severity == severity);
                match hit {
                    Some(f) if f.message.contains(c.says) => {}
                    _ => failures.push(format!(
                        "{}: expected {severity} {} at {path} saying {:?}; got {findings:#?}",
                        c.name, c.rule, c.says
                    )),
                }
            }
            None if !hits.is_empty() => {
                failures.push(format!("{}: expected no {}; got {hits:#?}", c.name, c.rule))
            }
            None => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));

    // Every document above is one the agency's own schema accepts: the checks are beyond it.
    let docs: Vec<(String, String)> = cases
        .iter()
        .map(|c| (c.name.to_owned(), c.doc.xml()))
        .collect();
    validate_all_with_xmlschema(&agency_xsd(), &docs).unwrap();
}

#[test]
fn a_clean_report_has_no_findings() {
    let report = SignedReport::from_bytes(base().xml()).unwrap();
    assert_eq!(elt_report::check(report.report()), vec![]);
}

/// Minutes of one day's rows in `doc`.
fn day_total(doc: &Doc) -> i64 {
    let report = SignedReport::from_bytes(doc.xml()).unwrap();
    let s = report.summary();
    assert!(s.rows_left_out.is_empty(), "{s:?}");
    assert_eq!(s.days.len(), 1, "{s:?}");
    assert_eq!(s.days[0].hours.total, s.total.total);
    s.total.total.0
}

#[test]
fn the_switch_nights_count_real_elapsed_time() {
    let mut docs = Vec::new();
    for (month, day, hours_0_4, hours_day) in [
        ("2025-03", 30, 3, 23),
        ("2025-10", 26, 5, 25),
        ("2026-03", 29, 3, 23),
        ("2026-10", 25, 5, 25),
    ] {
        let night = base()
            .month(month)
            .rows(&[(day, "00.00", "04.00", "aktivTid")]);
        assert_eq!(
            day_total(&night),
            hours_0_4 * 60,
            "{month}-{day} 00.00–04.00"
        );
        let whole = base()
            .month(month)
            .rows(&[(day, "00.00", "24.00", "beredskapsTid")]);
        assert_eq!(
            day_total(&whole),
            hours_day * 60,
            "{month}-{day} 00.00–24.00"
        );
        // The same night a week earlier is an ordinary night.
        let ordinary = base()
            .month(month)
            .rows(&[(day - 7, "00.00", "04.00", "aktivTid")]);
        assert_eq!(
            day_total(&ordinary),
            4 * 60,
            "{month}-{} 00.00–04.00",
            day - 7
        );
        docs.extend([night, whole, ordinary]);
    }

    // The repeated October hour: first occurrence; splitting a row never changes the sum.
    let split = base().month("2025-10").rows(&[
        (26, "01.00", "02.30", "aktivTid"),
        (26, "02.30", "03.00", "aktivTid"),
    ]);
    let report = SignedReport::from_bytes(split.xml()).unwrap();
    let s = report.summary();
    assert_eq!(s.total.aktiv_tid.0, 180, "{s:?}");
    let first = base()
        .month("2025-10")
        .rows(&[(26, "01.00", "02.30", "aktivTid")]);
    assert_eq!(day_total(&first), 90);
    let inside = base()
        .month("2025-10")
        .rows(&[(26, "02.00", "02.30", "aktivTid")]);
    assert_eq!(day_total(&inside), 30);
    docs.extend([split, first, inside]);

    let docs: Vec<(String, String)> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (format!("hours-{i}"), d.xml()))
        .collect();
    validate_all_with_xmlschema(&agency_xsd(), &docs).unwrap();
}

#[test]
fn hours_per_kind_per_day_and_month() {
    let doc = base().rows(&[
        (2, "08.00", "12.00", "aktivTid"),
        (2, "12.00", "12.45", "vanteTid"),
        (2, "22.00", "24.00", "beredskapsTid"),
        (29, "00.00", "04.00", "aktivTid"),
        (31, "10.15", "11.00", "vanteTid"),
        (31, "25.00", "26.00", "aktivTid"),
    ]);
    let report = SignedReport::from_bytes(doc.xml()).unwrap();
    let s = report.summary();
    assert_eq!(s.rows_left_out, vec![6]);
    let days: Vec<_> = s
        .days
        .iter()
        .map(|d| {
            (
                d.date.as_str(),
                d.hours.aktiv_tid.0,
                d.hours.vante_tid.0,
                d.hours.beredskaps_tid.0,
                d.hours.total.0,
            )
        })
        .collect();
    assert_eq!(
        days,
        vec![
            ("2026-03-02", 240, 45, 120, 405),
            ("2026-03-29", 180, 0, 0, 180),
            ("2026-03-31", 0, 45, 0, 45)
        ]
    );
    assert_eq!(
        (
            s.total.aktiv_tid.0,
            s.total.vante_tid.0,
            s.total.beredskaps_tid.0,
            s.total.total.0
        ),
        (420, 90, 120, 630)
    );
    assert_eq!(s.total.total.to_string(), "10:30");
    validate_all_with_xmlschema(&agency_xsd(), &[("kinds".to_owned(), doc.xml())]).unwrap();
}

/// Reports for the digest comparison: the contract's examples, the rule documents, and the
/// shapes C14N must normalize (other prefixes, a default namespace, CR and CRLF line endings,
/// attributes and namespace declarations in another order, references, CDATA, comments and
/// processing instructions, an encoding declaration, a byte order mark).
fn digest_reports() -> Vec<(String, Vec<u8>)> {
    let mut v = vec![
        (
            "example-1".to_owned(),
            std::fs::read(workspace_root().join("wsdl/elt/examples/tidredovisning-1.xml")).unwrap(),
        ),
        (
            "example-2".to_owned(),
            std::fs::read(workspace_root().join("wsdl/elt/examples/tidredovisning-2.xml")).unwrap(),
        ),
    ];
    for (i, c) in cases().iter().enumerate().take(12) {
        v.push((format!("rule-{i}"), c.doc.xml().into_bytes()));
    }
    let plain = base().xml();
    let body = plain.split_once("?>\n").unwrap().1.to_owned();
    let prefixed = body
        .replace("<Tidredovisning xmlns=", "<fk:Tidredovisning xmlns:fk=")
        .replace("</Tidredovisning>", "</fk:Tidredovisning>")
        .replace('<', "<fk:")
        .replace("<fk:/", "</fk:")
        .replace("<fk:fk:", "<fk:")
        .replace("</fk:fk:", "</fk:");
    v.push(("other-prefix".to_owned(), prefixed.clone().into_bytes()));
    // Two prefixes for the same namespace, and a redundant redeclaration on an inner element.
    let mixed = body
        .replace(
            &format!("<Tidredovisning xmlns=\"{NS}\">"),
            &format!("<Tidredovisning xmlns=\"{NS}\" xmlns:t=\"{NS}\">"),
        )
        .replace("<personSomHarAssistans>", "<t:personSomHarAssistans>")
        .replace("</personSomHarAssistans>", "</t:personSomHarAssistans>")
        .replace("<tidrapport>", &format!("<tidrapport xmlns=\"{NS}\">"));
    v.push(("two-prefixes".to_owned(), mixed.into_bytes()));
    v.push(("crlf".to_owned(), plain.replace('\n', "\r\n").into_bytes()));
    v.push(("cr".to_owned(), plain.replace('\n', "\r").into_bytes()));
    v.push((
        "crlf-prefixed".to_owned(),
        prefixed.replace('\n', "\r\n").into_bytes(),
    ));
    // Namespace declarations and attributes in another order than the canonical one.
    let xsi = "http://www.w3.org/2001/XMLSchema-instance";
    let attrs = body.replace(
        &format!("<Tidredovisning xmlns=\"{NS}\">"),
        &format!("<Tidredovisning xsi:schemaLocation=\"{NS} tidredovisning_extern_v1.xsd\" xmlns:zz=\"urn:example:unused\" xmlns=\"{NS}\" xmlns:xsi=\"{xsi}\" xmlns:aa=\"urn:example:also-unused\">"),
    );
    v.push(("attribute-order".to_owned(), attrs.clone().into_bytes()));
    v.push((
        "attribute-order-crlf".to_owned(),
        attrs.replace('\n', "\r\n").into_bytes(),
    ));
    // References, CDATA, comments, a processing instruction, single quotes, a BOM.
    let refs = plain
        .replace(
            "<fornamn>Tolvan</fornamn>",
            "<fornamn>T&#xF6;lvan &amp; <![CDATA[<Tolv>]]></fornamn>",
        )
        .replace(
            "<efternamn>Provsdotter</efternamn>",
            "<efternamn><!-- comment -->Prov&#x9;s&gt;dotter&#13;</efternamn>",
        )
        .replace(
            "encoding=\"UTF-8\"?>\n",
            "encoding='UTF-8'?>\n<?elt-report test?>\n<!-- before -->\n",
        );
    v.push(("references".to_owned(), refs.clone().into_bytes()));
    let mut bom = vec![0xef, 0xbb, 0xbf];
    bom.extend_from_slice(refs.replace('\n', "\r\n").as_bytes());
    v.push(("bom-crlf".to_owned(), bom));
    v.push((
        "whitespace-in-tags".to_owned(),
        body.replace("<id>", "<id\n  >")
            .replace("</tidrapport>", "</tidrapport   >")
            .into_bytes(),
    ));
    v
}

/// SHA-256 of lxml's C14N 1.0 without comments for each file, in order.
fn lxml_digests(files: &[PathBuf]) -> Vec<String> {
    let script = "import sys, hashlib\nfrom lxml import etree\nfor p in sys.argv[1:]:\n    t = etree.parse(p)\n    print(hashlib.sha256(etree.tostring(t, method='c14n', with_comments=False)).hexdigest())\n";
    let out = Command::new(python())
        .arg("-c")
        .arg(script)
        .args(files)
        .output()
        .expect("running python");
    assert!(
        out.status.success(),
        "lxml failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_digest_equals_lxml_c14n_on_reports_of_every_shape() {
    let reports = digest_reports();
    assert!(reports.len() >= 20, "{}", reports.len());
    let dir = common::scratch("report-digests");
    let mut files = Vec::new();
    let mut ours = Vec::new();
    for (name, bytes) in &reports {
        let file = dir.join(format!("{name}.xml"));
        std::fs::write(&file, bytes).unwrap();
        files.push(file);
        let report =
            SignedReport::from_bytes(bytes.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            report.bytes(),
            &bytes[..],
            "{name}: the bytes are kept as given"
        );
        ours.push(report.digest().to_owned());
    }
    let theirs = lxml_digests(&files);
    assert_eq!(theirs.len(), reports.len());
    for (((name, _), a), b) in reports.iter().zip(&ours).zip(&theirs) {
        assert_eq!(a, b, "{name}: our digest against lxml's");
    }
    // The shapes differ as bytes but several mean the same document: the same digest.
    let by_name = |n: &str| ours[reports.iter().position(|(name, _)| name == n).unwrap()].clone();
    assert_eq!(by_name("crlf"), by_name("cr"));
    assert_ne!(
        by_name("crlf"),
        by_name("other-prefix"),
        "prefixes are kept by C14N"
    );

    let docs: Vec<(String, String)> = reports
        .iter()
        .map(|(n, b)| {
            (
                n.clone(),
                String::from_utf8_lossy(b.strip_prefix(&[0xef, 0xbb, 0xbf][..]).unwrap_or(b))
                    .into_owned(),
            )
        })
        .collect();
    validate_all_with_xmlschema(&agency_xsd(), &docs).unwrap();
}

#[test]
fn canonical_xml_equals_lxml_on_documents_beyond_reports() {
    let docs = [
        "<a xmlns:b='urn:b' b:z='1' y='2' b:a='3' x='4' xmlns='urn:d'><b:c xmlns:b='urn:b' xmlns:e='urn:e'/><f xmlns=''><g/></f></a>",
        "<?pi one?><!-- c --><a  z = \"&quot;&lt;&gt;&amp;\" a='&#9;&#10;&#13;x'>\r\n t &#xD; ]]&gt; <?pi  two  ?></a><!-- c --><?pi three?>",
        "<r xmlns:p='urn:p'><p:x p:b='1' p:a='2' b='3'/><x xmlns:p='urn:q' p:a='4'/></r>",
        "<a xml:lang='sv' xml:space='preserve'><b xml:lang='en'>å ä ö &#x1F600;</b></a>",
    ];
    let dir = common::scratch("c14n-documents");
    let mut files = Vec::new();
    let mut ours = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let file = dir.join(format!("{i}.xml"));
        std::fs::write(&file, d).unwrap();
        files.push(file);
        let c = elt_report::c14n::canonicalize(d.as_bytes()).unwrap();
        use sha2::Digest as _;
        ours.push(
            sha2::Sha256::digest(&c)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>(),
        );
    }
    assert_eq!(ours, lxml_digests(&files));
}

#[tokio::test]
async fn the_strict_mock_accepts_a_prepared_request_and_refuses_a_mismatch() {
    let certs = common::certs("report-strict");
    let server = common::start_strict_mock(&certs, None).await;
    let client = common::client(&server.url(), &certs, None);
    let report = SignedReport::from_bytes(common::example_report()).unwrap();
    let at: elt_report::jiff::Timestamp = "2016-10-03T21:30:00Z".parse().unwrap();
    let format = elt_report::PayloadFormat::default();
    let assistant = testing::completion_data(report.assistant(), &[&report], &format, at);
    let provider = testing::completion_data("199001012385", &[&report], &format, at);
    let request = report
        .request(&assistant, &provider, &SigningOptions::default())
        .unwrap();
    // 21:30 UTC is 23:30 in Stockholm (summer time): still the 3rd.
    assert_eq!(
        request.assistent_signatur.datum_for_signatur.to_string(),
        "2016-10-03"
    );
    // What goes on the wire is what the agency's service schema accepts.
    let xml = elt_types::service::SKICKA_TIDREDOVISNING
        .to_xml(&request)
        .unwrap();
    let service_xsd = agency_xsd().with_file_name("SkickaTidredovisningResponder_1.0.xsd");
    validate_all_with_xmlschema(&service_xsd, &[("request".to_owned(), xml)]).unwrap();
    let tx_id = client.skicka_tidredovisning(&request).await.unwrap().tx_id;
    assert!(common::is_lowercase_uuid(&tx_id));
    assert_eq!(
        server.received()[0]
            .submission()
            .unwrap()
            .request
            .tidredovisning
            .value
            .0,
        common::example_report()
    );

    // A signature over another report: `request` refuses it before sending; sent anyway, the
    // mock answers the declared fault.
    let other = SignedReport::from_bytes(common::fixture("tidredovisning-2.xml")).unwrap();
    let wrong = testing::completion_data("199001012385", &[&other], &format, at);
    let refused = report
        .request(&assistant, &wrong, &SigningOptions::default())
        .unwrap_err();
    assert!(refused.to_string().contains(report.digest()), "{refused}");
    let mut forced = request.clone();
    forced.anordnare_signatur = other
        .request(
            &testing::completion_data(other.assistant(), &[&other], &format, at),
            &wrong,
            &SigningOptions::default(),
        )
        .unwrap()
        .anordnare_signatur;
    match client.skicka_tidredovisning(&forced).await {
        Err(elt_types::elt_soap::Error::Fault {
            detail: elt_types::client::SkickaTidredovisningFault::SignatureValidationError(e),
            ..
        }) => {
            assert!(
                e.message.contains("anordnare-signatur") && e.message.contains(report.digest()),
                "{}",
                e.message
            );
        }
        other => panic!("expected SignatureValidationError, got {other:?}"),
    }
    server.shutdown().await;
}
