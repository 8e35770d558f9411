//! The code generated from the folder fixture `chameleon/` on the wire: `types.xsd` has no
//! target namespace, and three schemas take its components into their own namespaces, two by
//! `xs:redefine` (each restricting `DeclarationType` its own way) and one by `xs:include`. Each
//! namespace gets its own types; a document the independent validator accepts is read, written
//! back equal, and the written text is valid; what a namespace's restriction forbids is refused
//! by the reader as by the validator. The restrictions keep the attribute they inherit.

use elt_feature_tests::chameleon::{password, plain, token};
use elt_tests::{validate_set_verdicts, workspace_root};

fn verdicts(docs: &[&str]) -> Vec<Option<String>> {
    validate_set_verdicts(
        &workspace_root().join("elt-codegen/tests/fixtures/features/chameleon"),
        docs,
    )
}

const PASSWORD: &str = r#"<p:Declaration xmlns:p="urn:example:ac:password" id="d1">
  <p:Identification><p:Level>high</p:Level></p:Identification>
</p:Declaration>"#;

const TOKEN: &str = r#"<t:Declaration xmlns:t="urn:example:ac:token" id="d2" strength="128"><t:Note>hardware token</t:Note></t:Declaration>"#;

const PLAIN: &str = r#"<c:Declaration xmlns:c="urn:example:ac:plain">
  <c:Identification><c:Level>low</c:Level></c:Identification>
  <c:Note>as included</c:Note>
</c:Declaration>"#;

#[test]
fn each_namespace_reads_and_writes_its_own_declaration() {
    assert_eq!(
        verdicts(&[PASSWORD, TOKEN, PLAIN]),
        [None, None, None],
        "the fixture's documents are valid"
    );

    let p = password::DECLARATION.from_xml(PASSWORD).unwrap();
    assert_eq!(p.id.as_deref(), Some("d1"));
    assert_eq!(p.identification.level, password::LevelType::High);
    let written = password::DECLARATION.to_xml(&p).unwrap();
    assert_eq!(password::DECLARATION.from_xml(&written).unwrap(), p);

    let t = token::DECLARATION.from_xml(TOKEN).unwrap();
    assert_eq!(t.id.as_deref(), Some("d2"));
    assert_eq!(t.note, "hardware token");
    assert_eq!(t.strength.as_ref().map(|s| *s.get()), Some(128));
    let written_t = token::DECLARATION.to_xml(&t).unwrap();
    assert_eq!(token::DECLARATION.from_xml(&written_t).unwrap(), t);

    let c = plain::DECLARATION.from_xml(PLAIN).unwrap();
    assert_eq!(
        c.identification.as_ref().map(|i| i.level),
        Some(plain::LevelType::Low)
    );
    assert_eq!(c.note.as_deref(), Some("as included"));
    let written_c = plain::DECLARATION.to_xml(&c).unwrap();
    assert_eq!(plain::DECLARATION.from_xml(&written_c).unwrap(), c);

    assert_eq!(
        verdicts(&[&written, &written_t, &written_c]),
        [None, None, None],
        "{written}\n{written_t}\n{written_c}"
    );
    assert!(written.contains("urn:example:ac:password") && written.contains("id=\"d1\""));
}

#[test]
fn what_a_namespace_restricts_away_is_refused_as_the_validator_refuses_it() {
    // The token declaration is a note only; the password declaration must identify.
    let token_with_identification = TOKEN.replace(
        "<t:Note>",
        "<t:Identification><t:Level>low</t:Level></t:Identification><t:Note>",
    );
    let password_without_identification = r#"<p:Declaration xmlns:p="urn:example:ac:password"/>"#;
    let v = verdicts(&[&token_with_identification, password_without_identification]);
    assert!(v.iter().all(Option::is_some), "{v:?}");
    assert!(
        token::DECLARATION
            .from_xml(&token_with_identification)
            .is_err()
    );
    assert!(
        password::DECLARATION
            .from_xml(password_without_identification)
            .is_err()
    );
    // The token redefinition declares `strength` again with its own type (at least 64); the
    // password one inherits the original `xs:integer`.
    let weak_token = TOKEN.replace("strength=\"128\"", "strength=\"1\"");
    let weak_password = PASSWORD.replace("id=\"d1\"", "id=\"d1\" strength=\"1\"");
    let v = verdicts(&[&weak_token, &weak_password]);
    assert!(v[0].is_some() && v[1].is_none(), "{v:?}");
    assert!(token::DECLARATION.from_xml(&weak_token).is_err());
    let p = password::DECLARATION.from_xml(&weak_password).unwrap();
    assert_eq!(p.strength, Some(1));
    // The same element name in another namespace is another element.
    assert!(password::DECLARATION.from_xml(TOKEN).is_err());
}
