//! The code generated from the folder fixture `remote_imports/`, whose imports name web
//! addresses (`http://www.w3.org/2001/xml.xsd`, the publisher's address of `party/party.xsd`),
//! on the wire: the generator links each import by its namespace, so a document the
//! independent validator accepts is read, written back equal, and the written text is valid;
//! `xml:lang` and `xml:space` get the XML namespace's own types.

use elt_feature_tests::remote_imports::{namespace as xml, note};
use elt_tests::{validate_set_verdicts, workspace_root};
use elt_xml::XmlValue;

fn verdicts(docs: &[&str]) -> Vec<Option<String>> {
    validate_set_verdicts(
        &workspace_root().join("elt-codegen/tests/fixtures/features/remote_imports"),
        docs,
    )
}

const DOCUMENT: &str = r#"<n:Note xmlns:n="urn:example:note" xmlns:p="urn:example:party" xml:space="preserve">
  <n:From id="P-1"><p:Name>Testbolaget AB</p:Name></n:From>
  <n:Text xml:lang="sv">Hej</n:Text>
  <n:Text xml:lang="">Neutral</n:Text>
</n:Note>"#;

#[test]
fn a_document_of_a_contract_importing_web_addresses_round_trips() {
    let value = note::NOTE.from_xml(DOCUMENT).unwrap();
    assert_eq!(value.from.name, "Testbolaget AB");
    assert_eq!(value.text.len(), 2);
    assert_eq!(value.space, Some(xml::Space::Preserve));
    let written = note::NOTE.to_xml(&value).unwrap();
    assert_eq!(verdicts(&[DOCUMENT, &written]), [None, None], "{written}");
    assert_eq!(note::NOTE.from_xml(&written).unwrap(), value);
    assert!(written.contains("xml:lang=\"sv\""), "{written}");
}

#[test]
fn the_xml_namespace_types_are_checked_as_the_validator_checks_them() {
    let bad_space = DOCUMENT.replace("\"preserve\"", "\"keep\"");
    assert!(verdicts(&[&bad_space])[0].is_some());
    assert!(note::NOTE.from_xml(&bad_space).is_err());
    // `xml:lang` is a union of `xs:language` and the empty string: both members are read.
    let value = note::NOTE.from_xml(DOCUMENT).unwrap();
    assert_eq!(value.text[0].lang, xml::Lang::Language("sv".into()));
    assert_eq!(value.text[1].lang.to_xml_text(), "");
    // (`xs:language`'s own lexical rule is not checked by generated code: a value such as
    // `not a tag`, which the validator refuses, is read as text.)
}
