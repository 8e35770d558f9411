//! The code generated from the folder fixture `extensionless/` (an import and includes naming
//! files without an extension) on the wire: a document the independent validator accepts is
//! read, written back equal, and the written text is valid too.

use elt_feature_tests::extensionless::{common, order};
use elt_xml::XmlValue;

fn schema() -> std::path::PathBuf {
    elt_tests::workspace_root().join("elt-codegen/tests/fixtures/features/extensionless/order.xsd")
}

fn valid(xml: &str) {
    if let Err(e) = elt_tests::validate_with_xmlschema(&schema(), xml) {
        panic!("xmlschema refuses {xml}: {e}");
    }
}

// `Buyer` is of the imported `c:PartyType`, whose elements are qualified in its namespace.
const DOCUMENT: &str = r#"<o:Order xmlns:o="urn:example:order" xmlns:c="urn:example:common" number="ORD-0001">
  <o:Buyer id="BUY-0042"><c:Name>Testbolaget AB</c:Name></o:Buyer>
  <o:Line><o:Article>ART-1000</o:Article><o:Quantity>3</o:Quantity><o:Unit>st</o:Unit></o:Line>
  <o:Line><o:Article>ART-2000</o:Article><o:Quantity>12</o:Quantity><o:Unit>kg</o:Unit></o:Line>
</o:Order>"#;

#[test]
fn a_document_of_the_extensionless_set_round_trips() {
    valid(DOCUMENT);
    let value = order::ORDER.from_xml(DOCUMENT).unwrap();
    assert_eq!(value.number.to_xml_text(), "ORD-0001");
    assert_eq!(value.buyer.name, "Testbolaget AB");
    assert_eq!(value.line.len(), 2);
    assert_eq!(value.line[1].quantity, 12);
    assert_eq!(value.line[1].unit, common::UnitCode::Kg);
    let written = order::ORDER.to_xml(&value).unwrap();
    valid(&written);
    assert_eq!(order::ORDER.from_xml(&written).unwrap(), value);
}

#[test]
fn facets_from_the_extensionless_files_are_checked() {
    // `Code` comes from `types/common`, `UnitCode` from `types/units`.
    let bad_code = DOCUMENT.replace("ART-1000", "art-1000");
    assert!(elt_tests::validate_with_xmlschema(&schema(), &bad_code).is_err());
    assert!(order::ORDER.from_xml(&bad_code).is_err());
    let bad_unit = DOCUMENT.replace(">st<", ">m<");
    assert!(elt_tests::validate_with_xmlschema(&schema(), &bad_unit).is_err());
    assert!(order::ORDER.from_xml(&bad_unit).is_err());
}
