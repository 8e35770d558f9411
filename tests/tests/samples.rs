//! Sample documents (`elt_codegen::sample`) checked by the independent validator: a schema
//! with every facet kind and the structures sampling must get right, and the ELT contract's
//! samples against the agency's own files in `../shared/corpus/fk_shs_emottagning`.

use std::path::Path;

use elt_codegen::FileSet;
use elt_codegen::sample::{Kind, Mode, Options, samples};
use elt_tests::{
    shared_corpus, validate_all_with_xmlschema, validate_set_verdicts, workspace_root,
};

const FACETS_XSD: &str = r###"<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:elt:sample:facets"
    targetNamespace="urn:elt:sample:facets" elementFormDefault="qualified">
  <xs:simpleType name="Pnr"><xs:restriction base="xs:string"><xs:pattern value="(19|20)\d{6}[0-9]{4}"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Code"><xs:restriction base="xs:token"><xs:pattern value="[A-Z]{2}-\p{Lu}\d{1,3}"/><xs:pattern value="X"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="ShortCode"><xs:restriction base="t:Code"><xs:pattern value=".{4,5}"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Name"><xs:restriction base="xs:string"><xs:minLength value="3"/><xs:maxLength value="5"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Hours"><xs:restriction base="xs:decimal"><xs:totalDigits value="4"/><xs:fractionDigits value="2"/><xs:minInclusive value="0.25"/><xs:maxExclusive value="24"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Count"><xs:restriction base="xs:int"><xs:minExclusive value="10"/><xs:maxInclusive value="12"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Day"><xs:restriction base="xs:date"><xs:minInclusive value="2030-01-01"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Stamp"><xs:restriction base="xs:dateTime"><xs:pattern value="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Kind"><xs:restriction base="xs:string"><xs:enumeration value="A"/><xs:enumeration value="B"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Ints"><xs:list itemType="xs:positiveInteger"/></xs:simpleType>
  <xs:simpleType name="SomeInts"><xs:restriction base="t:Ints"><xs:minLength value="2"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Either"><xs:union memberTypes="xs:date xs:int"/></xs:simpleType>
  <xs:simpleType name="Blob"><xs:restriction base="xs:base64Binary"><xs:length value="6"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Hex"><xs:restriction base="xs:hexBinary"><xs:maxLength value="2"/></xs:restriction></xs:simpleType>
  <xs:complexType name="Shape" abstract="true"><xs:sequence><xs:element name="Id" type="xs:ID"/></xs:sequence></xs:complexType>
  <xs:complexType name="Circle"><xs:complexContent><xs:extension base="t:Shape"><xs:sequence><xs:element name="R" type="t:Count"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
  <xs:complexType name="Square"><xs:complexContent><xs:extension base="t:Shape"><xs:sequence><xs:element name="Side" type="t:Hours"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
  <xs:complexType name="Node"><xs:sequence><xs:element name="Label" type="t:Name"/><xs:element name="Child" type="t:Node" minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType>
  <xs:element name="Vehicle" abstract="true" type="xs:string"/>
  <xs:element name="Car" substitutionGroup="t:Vehicle" type="xs:string"/>
  <xs:element name="Bike" substitutionGroup="t:Vehicle" type="xs:string"/>
  <xs:element name="Facets">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="Pnr" type="t:Pnr"/>
        <xs:element name="Code" type="t:ShortCode"/>
        <xs:element name="Name" type="t:Name"/>
        <xs:element name="Hours" type="t:Hours"/>
        <xs:element name="Count" type="t:Count"/>
        <xs:element name="Day" type="t:Day"/>
        <xs:element name="Stamp" type="t:Stamp"/>
        <xs:element name="Kind" type="t:Kind" maxOccurs="3"/>
        <xs:element name="Ints" type="t:SomeInts"/>
        <xs:element name="Either" type="t:Either"/>
        <xs:element name="Blob" type="t:Blob"/>
        <xs:element name="Hex" type="t:Hex" minOccurs="0"/>
        <xs:element name="Shape" type="t:Shape" maxOccurs="unbounded"/>
        <xs:element name="Tree" type="t:Node"/>
        <xs:element ref="t:Vehicle"/>
        <xs:choice>
          <xs:element name="First" type="xs:boolean"/>
          <xs:element name="Second" type="xs:gYearMonth"/>
          <xs:sequence><xs:element name="Third" type="xs:duration"/><xs:element name="Fourth" type="xs:anyURI"/></xs:sequence>
        </xs:choice>
        <xs:any namespace="##other" processContents="lax" minOccurs="0"/>
      </xs:sequence>
      <xs:attribute name="version" type="xs:string" fixed="1.0"/>
      <xs:attribute name="lang" type="xs:language" use="required"/>
      <xs:attribute name="code" type="t:Code"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
"###;

fn facets_schema() -> std::path::PathBuf {
    let dir = workspace_root().join("target/sample-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let xsd = dir.join("facets.xsd");
    std::fs::write(&xsd, FACETS_XSD).unwrap();
    xsd
}

#[test]
fn every_facet_kind_gives_documents_the_validator_accepts() {
    let xsd = facets_schema();
    let set = FileSet::read(&xsd).unwrap();
    let out = samples(&set, &Options::default()).unwrap();
    assert_eq!(
        out.skipped,
        [(
            "{urn:elt:sample:facets}Vehicle".to_owned(),
            "abstract element: its substitution group members are sampled".to_owned()
        )]
    );
    let docs: Vec<(String, String)> = out
        .samples
        .iter()
        .map(|s| (s.file_name.replace('/', "_"), s.xml.clone()))
        .collect();
    validate_all_with_xmlschema(&xsd, &docs).unwrap();

    let facets: Vec<&str> = out
        .samples
        .iter()
        .filter(|s| s.element == "{urn:elt:sample:facets}Facets")
        .map(|s| s.xml.as_str())
        .collect();
    let full: String = out
        .samples
        .iter()
        .filter(|s| s.element.ends_with("}Facets") && matches!(s.kind, Kind::Full(_)))
        .map(|s| s.xml.as_str())
        .collect();
    // Every choice branch, both derived types, both substitution group members, the optional
    // element, the optional attributes with the fixed value, and the foreign element.
    for needle in [
        ":First>",
        ":Second>",
        ":Third>",
        ":Fourth>",
        "xsi:type=\"ns1:Circle\"",
        "xsi:type=\"ns1:Square\"",
        ":Car>",
        ":Bike>",
        ":Hex>",
        "version=\"1.0\"",
        "code=",
        "urn:elt:sample:foreign",
    ] {
        assert!(
            full.contains(needle),
            "no full sample has {needle:?}:\n{full}"
        );
    }
    let minimal = facets[0];
    assert!(
        !minimal.contains(":Hex>") && !minimal.lines().nth(1).unwrap().contains("version="),
        "{minimal}"
    );
    assert!(
        minimal.contains("<ns1:Pnr>190000000000</ns1:Pnr>"),
        "{minimal}"
    );
}

#[test]
fn a_value_the_schema_rejects_is_rejected_by_the_validator_too() {
    // The validation above can fail: the same schema refuses a document with one facet broken.
    let xsd = facets_schema();
    let set = FileSet::read(&xsd).unwrap();
    let out = samples(
        &set,
        &Options {
            element: Some("Facets".into()),
            mode: Mode::Minimal,
            no_envelopes: true,
        },
    )
    .unwrap();
    let good = &out.samples[0].xml;
    let start = good.find(":Count>").unwrap() + ":Count>".len();
    let end = start + good[start..].find('<').unwrap();
    let bad = format!("{}10{}", &good[..start], &good[end..]);
    assert!(validate_all_with_xmlschema(&xsd, &[("bad.xml".into(), bad)]).is_err());
}

/// Runs `tests/validate_set.py` over `docs` against the contract folder `dir`; returns the
/// documents it found invalid, as `name: reason`.
fn validate_against_folder(dir: &Path, docs: &[(String, String)]) -> Vec<String> {
    let texts: Vec<&str> = docs.iter().map(|(_, xml)| xml.as_str()).collect();
    validate_set_verdicts(dir, &texts)
        .into_iter()
        .zip(docs)
        .filter_map(|(verdict, (name, _))| verdict.map(|why| format!("{name}: {why}")))
        .collect()
}

#[test]
fn elt_samples_validate_against_the_agency_files() {
    let Some(agency) = shared_corpus("fk_shs_emottagning") else {
        return;
    };
    let set = FileSet::read(&workspace_root().join("wsdl/elt/ELT.zip")).unwrap();
    let out = samples(&set, &Options::default()).unwrap();
    assert!(out.skipped.is_empty(), "{:?}", out.skipped);
    let docs: Vec<(String, String)> = out
        .samples
        .iter()
        .map(|s| (s.file_name.clone(), s.xml.clone()))
        .collect();
    assert!(
        docs.iter()
            .any(|(n, _)| n == "elements/Tidredovisning.full.1.xml")
    );
    assert!(docs.iter().any(|(n, _)| n.starts_with("operations/")));
    let invalid = validate_against_folder(&agency, &docs);
    assert!(invalid.is_empty(), "{invalid:#?}");
}

const REFERENCES_XSD: &str = r###"<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:r="urn:elt:sample:refs"
    targetNamespace="urn:elt:sample:refs" elementFormDefault="qualified">
  <xs:simpleType name="Latin"><xs:restriction base="xs:string"><xs:pattern value="\p{IsBasicLatin}{3}\w\$"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="NotLower"><xs:restriction base="xs:string"><xs:pattern value="[^a-z-[0-8]]^"/></xs:restriction></xs:simpleType>
  <xs:element name="Links">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="Target" minOccurs="0" maxOccurs="2">
          <xs:complexType><xs:attribute name="id" type="xs:ID" use="required"/></xs:complexType>
        </xs:element>
        <xs:element name="Ref" type="xs:IDREF"/>
        <xs:element name="Refs" type="xs:IDREFS" minOccurs="0"/>
        <xs:element name="Latin" type="r:Latin"/>
        <xs:element name="NotLower" type="r:NotLower"/>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
  <xs:element name="Unparsed" type="xs:ENTITY"/>
</xs:schema>
"###;

/// An `xs:IDREF` must name an ID of its document: the minimal document has no ID (the target is
/// optional) and is refused with the reason, the full one points every reference at its ID;
/// `xs:ENTITY` needs a DTD, so it gets no sample; patterns with a Unicode block, `\w`, `$`, `^`
/// and a subtraction inside a negated class give values the validator accepts.
#[test]
fn references_point_at_ids_of_the_document_and_entities_are_not_invented() {
    let dir = workspace_root().join("target/sample-tests/refs");
    std::fs::create_dir_all(&dir).unwrap();
    let xsd = dir.join("refs.xsd");
    std::fs::write(&xsd, REFERENCES_XSD).unwrap();
    let set = FileSet::read(&xsd).unwrap();
    let out = samples(&set, &Options::default()).unwrap();
    let skipped: Vec<(&str, &str)> = out
        .skipped
        .iter()
        .map(|(k, why)| (k.as_str(), why.as_str()))
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert_eq!(skipped[0].0, "{urn:elt:sample:refs}Links");
    assert!(skipped[0].1.contains("IDREF"), "{}", skipped[0].1);
    assert_eq!(skipped[1].0, "{urn:elt:sample:refs}Unparsed");
    assert!(skipped[1].1.contains("DTD"), "{}", skipped[1].1);

    let full: Vec<&str> = out
        .samples
        .iter()
        .filter(|s| matches!(s.kind, Kind::Full(_)))
        .map(|s| s.xml.as_str())
        .collect();
    assert!(!full.is_empty(), "no full sample of Links");
    for xml in &full {
        let doc = roxmltree::Document::parse(xml).unwrap();
        let ids: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("id"))
            .collect();
        assert!(!ids.is_empty(), "{xml}");
        for n in doc
            .descendants()
            .filter(|n| n.is_element() && matches!(n.tag_name().name(), "Ref" | "Refs"))
        {
            for reference in n.text().unwrap_or("").split_whitespace() {
                assert!(
                    ids.contains(&reference),
                    "{reference} names no ID in\n{xml}"
                );
            }
        }
    }
    let docs: Vec<(String, String)> = out
        .samples
        .iter()
        .map(|s| (s.file_name.replace('/', "_"), s.xml.clone()))
        .collect();
    assert_eq!(validate_against_folder(&dir, &docs), Vec::<String>::new());
    // The check can fail: a reference to an ID the document lacks is refused.
    let start = full[0].find(":Ref>").unwrap() + ":Ref>".len();
    let end = start + full[0][start..].find('<').unwrap();
    let dangling = format!("{}nowhere{}", &full[0][..start], &full[0][end..]);
    let refused = validate_against_folder(&dir, &[("dangling.xml".into(), dangling)]);
    assert_eq!(refused.len(), 1, "a dangling reference was accepted");
}

/// The set validator loads a folder's schema files together: a document whose strict
/// wildcard holds an element declared in a file its own schema does not import is judged
/// against that declaration (accepted when it is right, refused when it is not), as a
/// validator given the whole contract judges it.
#[test]
fn the_set_validator_reads_the_schema_files_together() {
    let dir = workspace_root().join("target/sample-tests/joined");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("a.xsd"),
        r###"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:a" elementFormDefault="qualified">
  <xs:element name="Box"><xs:complexType><xs:sequence><xs:any namespace="##other" processContents="strict"/></xs:sequence></xs:complexType></xs:element>
</xs:schema>"###,
    )
    .unwrap();
    std::fs::write(
        dir.join("b.xsd"),
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:b" elementFormDefault="qualified">
  <xs:element name="Item" type="xs:int"/>
</xs:schema>"#,
    )
    .unwrap();
    let doc = |value: &str| {
        format!(r#"<a:Box xmlns:a="urn:a"><b:Item xmlns:b="urn:b">{value}</b:Item></a:Box>"#)
    };
    let verdicts = validate_against_folder(
        &dir,
        &[
            ("good.xml".into(), doc("7")),
            ("bad.xml".into(), doc("seven")),
        ],
    );
    assert_eq!(verdicts.len(), 1, "{verdicts:?}");
    assert!(verdicts[0].contains("bad.xml"), "{verdicts:?}");
}

/// The samples of the `chameleon/` fixture (one types schema without a namespace, redefined in
/// two namespaces and included in a third) follow each namespace's own declarations: the
/// redefinitions' restricted content, not the types as they were before, so every sample is
/// valid against the whole set.
#[test]
fn samples_of_redefined_types_follow_the_redefinition() {
    let dir = workspace_root().join("elt-codegen/tests/fixtures/features/chameleon");
    let set = FileSet::read(&dir).unwrap();
    let out = samples(&set, &Options::default()).unwrap();
    assert!(out.skipped.is_empty(), "{:?}", out.skipped);
    let docs: Vec<&str> = out.samples.iter().map(|s| s.xml.as_str()).collect();
    // Two elements in each of three namespaces, each sampled.
    for ns in ["password", "token", "plain"] {
        for element in ["Declaration", "Identification"] {
            let root = format!("<ns1:{element} xmlns:ns1=\"urn:example:ac:{ns}\"");
            assert!(
                docs.iter().any(|d| d.contains(&root)),
                "{root} in {docs:#?}"
            );
        }
    }
    let verdicts = validate_set_verdicts(&dir, &docs);
    let refused: Vec<(&str, &String)> = docs
        .iter()
        .zip(&verdicts)
        .filter_map(|(d, v)| v.as_ref().map(|why| (*d, why)))
        .collect();
    assert!(refused.is_empty(), "{refused:#?}");
    // The password declaration must identify, the token declaration never does.
    let minimal_password = out
        .samples
        .iter()
        .find(|s| {
            matches!(s.kind, Kind::Minimal)
                && s.xml.contains("urn:example:ac:password")
                && s.xml.contains("Declaration")
        })
        .expect("a minimal password declaration");
    assert!(
        minimal_password.xml.contains("Identification"),
        "{}",
        minimal_password.xml
    );
    assert!(
        out.samples
            .iter()
            .filter(|s| s.xml.contains("urn:example:ac:token") && s.xml.contains(":Declaration"))
            .all(|s| !s.xml.contains("Identification")),
        "a token declaration with an identification"
    );
}
