//! The code generated from the folder fixture `inherited_wildcards/` on the wire: a fault type
//! extends, from another namespace, a base whose `##other` wildcards come before its own
//! elements (as WS-BaseFaults' `BaseFaultType` does). The inherited wildcards keep the base
//! schema's meaning, so the base's `Timestamp` is not taken for foreign content, and content of
//! the fault's own namespace is foreign content, as the validator judges it.

use elt_feature_tests::inherited_wildcards::fault;
use elt_tests::{validate_set_verdicts, workspace_root};

fn verdicts(docs: &[&str]) -> Vec<Option<String>> {
    validate_set_verdicts(
        &workspace_root().join("elt-codegen/tests/fixtures/features/inherited_wildcards"),
        docs,
    )
}

const DOCUMENT: &str = r#"<f:UnknownFault xmlns:f="urn:example:fault" xmlns:b="urn:example:base" f:code="7">
  <f:Extra>x</f:Extra>
  <b:Timestamp>2026-12-03T08:00:00Z</b:Timestamp>
  <b:Description>Okänd resurs</b:Description>
</f:UnknownFault>"#;

#[test]
fn inherited_wildcards_keep_the_namespace_of_their_schema() {
    let value = fault::UNKNOWN_FAULT.from_xml(DOCUMENT).unwrap();
    // The fault's own namespace is foreign to the base: its element and attribute are wildcard
    // content; the base's elements are fields.
    assert_eq!(value.any.len(), 1);
    assert_eq!(value.any_attributes.len(), 1);
    assert_eq!(value.description.as_deref(), Some("Okänd resurs"));
    let written = fault::UNKNOWN_FAULT.to_xml(&value).unwrap();
    assert_eq!(verdicts(&[DOCUMENT, &written]), [None, None], "{written}");
    assert_eq!(fault::UNKNOWN_FAULT.from_xml(&written).unwrap(), value);
}

#[test]
fn content_of_the_base_namespace_is_not_foreign() {
    // An unknown element of the base's namespace before `Timestamp`: not `##other` for the
    // base, so both the validator and the generated reader refuse it.
    let bad = DOCUMENT.replace("<f:Extra>x</f:Extra>", "<b:Extra>x</b:Extra>");
    assert!(verdicts(&[&bad])[0].is_some());
    assert!(fault::UNKNOWN_FAULT.from_xml(&bad).is_err());
}
