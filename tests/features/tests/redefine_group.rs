//! The code generated from the folder fixture `redefine_group/` on the wire: `address-v2.xsd`
//! redefines the group `Lines` of `address.xsd` as the original lines followed by an optional
//! `Country` (a group referring to itself inside `xs:redefine`, which the XSD engine refused).
//! Documents with and without the new element are read, written back equal and valid, and one
//! the redefinition does not allow is refused as the validator refuses it.

use elt_feature_tests::redefine_group::address;
use elt_tests::{validate_set_verdicts, workspace_root};

fn verdicts(docs: &[&str]) -> Vec<Option<String>> {
    validate_set_verdicts(
        &workspace_root().join("elt-codegen/tests/fixtures/features/redefine_group"),
        docs,
    )
}

const WITH_COUNTRY: &str = r#"<a:Address xmlns:a="urn:example:address" kind="home"><a:Street>Storgatan 1</a:Street><a:City>Exempelstad</a:City><a:Country>SE</a:Country></a:Address>"#;

const WITHOUT_COUNTRY: &str = r#"<a:Address xmlns:a="urn:example:address"><a:Street>Storgatan 1</a:Street><a:City>Exempelstad</a:City></a:Address>"#;

#[test]
fn the_redefined_group_is_the_original_lines_then_the_country() {
    assert_eq!(verdicts(&[WITH_COUNTRY, WITHOUT_COUNTRY]), [None, None]);
    for doc in [WITH_COUNTRY, WITHOUT_COUNTRY] {
        let value = address::ADDRESS.from_xml(doc).unwrap();
        assert_eq!(value.sequence.street_and_city.city, "Exempelstad");
        let written = address::ADDRESS.to_xml(&value).unwrap();
        assert_eq!(address::ADDRESS.from_xml(&written).unwrap(), value);
        assert_eq!(verdicts(&[&written]), [None], "{written}");
    }
    let value = address::ADDRESS.from_xml(WITH_COUNTRY).unwrap();
    assert_eq!(value.sequence.country.as_deref(), Some("SE"));
    assert_eq!(value.kind.as_deref(), Some("home"));
    // The country comes after the original lines, not before them.
    let misplaced = r#"<a:Address xmlns:a="urn:example:address"><a:Country>SE</a:Country><a:Street>Storgatan 1</a:Street><a:City>Exempelstad</a:City></a:Address>"#;
    assert!(verdicts(&[misplaced])[0].is_some());
    assert!(address::ADDRESS.from_xml(misplaced).is_err());
}
