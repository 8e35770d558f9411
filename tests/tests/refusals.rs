//! Bad values are refused, with the element path in the message.

use elt_tests::workspace_root;
use elt_types::elt_xml::XmlError;
use elt_types::tidredovisning as t;

fn fixture() -> String {
    std::fs::read_to_string(workspace_root().join("wsdl/elt/examples/tidredovisning-1.xml"))
        .unwrap()
}

fn refused(xml: &str) -> XmlError {
    t::TIDREDOVISNING
        .from_xml(xml)
        .expect_err("document must be refused")
}

#[test]
fn personnummer_of_eleven_digits() {
    let e = refused(&fixture().replacen("191212121212", "19121212121", 1));
    let msg = e.to_string();
    assert!(
        msg.contains("/Tidredovisning/personSomHarAssistans/personnummer"),
        "{msg}"
    );
    assert!(msg.contains("pattern"), "{msg}");
    assert!(e.position.is_some(), "{msg}");
    assert!(t::Personnummer::new("19121212121").is_err());
}

#[test]
fn day_thirty_two() {
    let xml = fixture();
    let first_dag = xml.find("<dag>").expect("fixture has a dag");
    let end = xml[first_dag..].find("</dag>").unwrap() + first_dag;
    let bad = format!("{}<dag>32{}", &xml[..first_dag], &xml[end..]);
    let msg = refused(&bad).to_string();
    assert!(
        msg.contains("/Tidredovisning/tidrapport/rapportRad/dag"),
        "{msg}"
    );
    assert!(msg.contains("<= 31"), "{msg}");
    assert!(t::Dag::new(32).is_err() && t::Dag::new(0).is_err() && t::Dag::new(31).is_ok());
}

#[test]
fn klockslag_seven_thirty() {
    let xml = fixture();
    let at = xml.find("<fromTid>").unwrap();
    let end = xml[at..].find("</fromTid>").unwrap() + at;
    let bad = format!("{}<fromTid>7.30{}", &xml[..at], &xml[end..]);
    let msg = refused(&bad).to_string();
    assert!(
        msg.contains("/Tidredovisning/tidrapport/rapportRad/fromTid"),
        "{msg}"
    );
    assert!(t::Klockslag::new("7.30").is_err());
    assert!(t::Klockslag::new("07.30").is_ok());
}

#[test]
fn document_in_the_wrong_namespace() {
    let bad = fixture().replace(
        "http://schema.forsakringskassan.se/integration/isassistansersattning/tidredovisning/1",
        "urn:example:not-the-contract",
    );
    let msg = refused(&bad).to_string();
    assert!(msg.contains("/Tidredovisning"), "{msg}");
    assert!(msg.contains("expected element"), "{msg}");
}

#[test]
fn two_branches_of_one_choice() {
    let xml = fixture();
    // A row with both <aktivTid> and <vanteTid>.
    let at = xml
        .find("<aktivTid>true</aktivTid>")
        .expect("fixture has an aktivTid row");
    let end = at + "<aktivTid>true</aktivTid>".len();
    let bad = format!("{}<vanteTid>true</vanteTid>{}", &xml[..end], &xml[end..]);
    let msg = refused(&bad).to_string();
    assert!(
        msg.contains("/Tidredovisning/tidrapport/rapportRad/vanteTid"),
        "{msg}"
    );
    assert!(msg.contains("unexpected element"), "{msg}");
}

#[test]
fn not_well_formed_gives_line_and_column() {
    let e = refused("<Tidredovisning>\n  <id>\n</Tidredovisning>");
    assert_eq!(e.position.map(|p| p.0), Some(3), "{e}");
}

/// `rapportRad` is `minOccurs="0"`: an empty report writes. (Every repeated element of the
/// ELT contract may be empty, so the broken rule is tested on a feature fixture:
/// `tests/features/tests/wire.rs`, `writing_refuses_a_broken_occurrence_rule`.)
#[test]
fn writing_allows_what_the_occurrence_rules_allow() {
    let mut doc = t::TIDREDOVISNING.from_xml(&fixture()).unwrap();
    doc.tidrapport.rapport_rad.clear();
    let xml = t::TIDREDOVISNING.to_xml(&doc).unwrap();
    assert!(!xml.contains("rapportRad"), "{xml}");
    assert!(
        xml.contains("<ase:tidrapport/>") || xml.contains("<ase:tidrapport></ase:tidrapport>"),
        "{xml}"
    );
}
