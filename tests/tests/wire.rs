//! What goes on the wire: documents built through `elt-types` validate against the schemas with
//! an independent validator (Python `xmlschema`) and read back to equal values.

use elt_tests::{shared_corpus, validate_with_xmlschema, workspace_root};
use elt_types::elt_xml::{self, Base64Binary, Date, XmlError};
use elt_types::{service, tidredovisning as t, xmlmime};

fn date(y: i32, m: u32, d: u32) -> Date {
    Date::new(elt_xml::chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn report() -> t::Tidredovisning {
    t::Tidredovisning {
        id: t::Uuid::new("9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d").unwrap(),
        redovisningsmanad: t::Redovisningsmanad::new("2026-10").unwrap(),
        person_som_har_assistans: t::PersonSomHarAssistans {
            personnummer: t::Personnummer::new("191212121212").unwrap(),
            fornamn: "Tolvan".into(),
            efternamn: "Tolvansson".into(),
        },
        assistent: t::Assistent {
            personnummer_or_samordningsnummer:
                t::AssistentPersonnummerOrSamordningsnummer::Personnummer(
                    t::Personnummer::new("201212121212").unwrap(),
                ),
            fornamn: "Elva".into(),
            efternamn: "Elvasson".into(),
            kollektivavtal: true,
        },
        berakningsperiod: vec![t::Berakningsperiod {
            from_dag: date(2026, 10, 1),
            tom_dag: date(2026, 10, 31),
        }],
        choice: t::TidredovisningChoice::Assistansanordnare(t::Anordnare {
            anordnare_namn: Some("Assistans & Omsorg AB".into()),
            organisationsnummer: t::Organisationsnummer::new("5599001236").unwrap(),
            kontaktperson: None,
            telefonnummer: Some(t::Telefonnummer::new("0701740605").unwrap()),
            choice: t::AnordnareChoice::AssistentAnstalldAvAnordnare(t::True::True),
        }),
        tidrapport: t::Tidrapport {
            rapport_rad: vec![
                t::RapportRad {
                    dag: t::Dag::new(1).unwrap(),
                    from_tid: t::Klockslag::new("07.30").unwrap(),
                    tom_tid: t::Klockslag::new("16.00").unwrap(),
                    aktiv_tid_or_vante_tid_or_beredskaps_tid:
                        t::RapportRadAktivTidOrVanteTidOrBeredskapsTid::AktivTid(t::True::True),
                },
                t::RapportRad {
                    dag: t::Dag::new(31).unwrap(),
                    from_tid: t::Klockslag::new("22.00").unwrap(),
                    tom_tid: t::Klockslag::new("23.30").unwrap(),
                    aktiv_tid_or_vante_tid_or_beredskaps_tid:
                        t::RapportRadAktivTidOrVanteTidOrBeredskapsTid::BeredskapsTid(t::True::True),
                },
            ],
        },
        telefonnummer_anordnare: t::Telefonnummer::new("031-3900600").unwrap(),
        telefonnummer_assistent: None,
    }
}

fn signature(tag: &str) -> service::SignatureType {
    service::SignatureType {
        signature: xmlmime::Base64Binary {
            content_type: None,
            value: Base64Binary(format!("placeholder signature {tag}").into_bytes()),
        },
        ocsp_response: xmlmime::Base64Binary {
            content_type: None,
            value: Base64Binary(format!("placeholder ocsp {tag}").into_bytes()),
        },
        datum_for_signatur: date(2026, 11, 2),
        any: vec![],
    }
}

fn request(document: &[u8]) -> service::SkickaTidredovisningType {
    service::SkickaTidredovisningType {
        tidredovisning: xmlmime::Base64Binary {
            content_type: Some(xmlmime::ContentType::new("text/xml").unwrap()),
            value: Base64Binary(document.to_vec()),
        },
        assistent_signatur: signature("assistent"),
        anordnare_signatur: signature("anordnare"),
        any: vec![],
    }
}

/// Schema files to validate against: the contract zip's (unpacked once), and the agency's
/// files where present.
fn schema_dirs() -> Vec<std::path::PathBuf> {
    static UNPACKED: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let unpacked = UNPACKED.get_or_init(|| {
        let set = elt_codegen::FileSet::read(&workspace_root().join("wsdl/elt/ELT.zip")).unwrap();
        let dir = std::env::temp_dir().join(format!("elt-contract-{}", std::process::id()));
        for (name, bytes) in set.files() {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        dir
    });
    let mut dirs = vec![unpacked.clone()];
    dirs.extend(shared_corpus("fk_shs_emottagning"));
    dirs
}

#[test]
fn time_report_validates_and_reads_back() {
    let doc = report();
    let xml = t::TIDREDOVISNING.to_xml(&doc).unwrap();
    for dir in schema_dirs() {
        validate_with_xmlschema(&dir.join("tidredovisning_extern_v1.xsd"), &xml)
            .unwrap_or_else(|e| panic!("{}: {e}\n{xml}", dir.display()));
    }
    assert_eq!(t::TIDREDOVISNING.from_xml(&xml).unwrap(), doc);
}

#[test]
fn request_validates_and_reads_back() {
    let doc = t::TIDREDOVISNING.to_xml(&report()).unwrap();
    let req = request(doc.as_bytes());
    let xml = service::SKICKA_TIDREDOVISNING.to_xml(&req).unwrap();
    assert!(xml.contains("xmime:contentType=\"text/xml\""), "{xml}");
    for dir in schema_dirs() {
        validate_with_xmlschema(&dir.join("SkickaTidredovisningResponder_1.0.xsd"), &xml)
            .unwrap_or_else(|e| panic!("{}: {e}\n{xml}", dir.display()));
    }
    let back = service::SKICKA_TIDREDOVISNING.from_xml(&xml).unwrap();
    assert_eq!(back, req);
    // The signed document travels as its exact bytes.
    assert_eq!(back.tidredovisning.value.0, doc.as_bytes());
}

#[test]
fn fixture_documents_read_and_rewrite_valid() {
    let dir = workspace_root().join("wsdl/elt/examples");
    for name in ["tidredovisning-1.xml", "tidredovisning-2.xml"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let doc = t::TIDREDOVISNING
            .from_xml(&text)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let again = t::TIDREDOVISNING.to_xml(&doc).unwrap();
        for sdir in schema_dirs() {
            validate_with_xmlschema(&sdir.join("tidredovisning_extern_v1.xsd"), &again)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        assert_eq!(t::TIDREDOVISNING.from_xml(&again).unwrap(), doc);
    }
    let text = std::fs::read_to_string(dir.join("skicka-tidredovisning-request.xml")).unwrap();
    let req = service::SKICKA_TIDREDOVISNING.from_xml(&text).unwrap();
    let inner = std::str::from_utf8(&req.tidredovisning.value.0).unwrap();
    t::TIDREDOVISNING.from_xml(inner).unwrap();
}

/// The request as the example in `wsdl/elt/examples` holds it, written by `elt-types`: every
/// namespace declared once, on the root, with the prefixes the agency's schemas declare (`tns`
/// for the service, `xmime` for the content type), and nothing repeated on the elements.
#[test]
fn request_bytes_declare_each_namespace_once_with_the_schema_prefixes() {
    let dir = workspace_root().join("wsdl/elt/examples");
    let text = std::fs::read_to_string(dir.join("skicka-tidredovisning-request.xml")).unwrap();
    let req = service::SKICKA_TIDREDOVISNING.from_xml(&text).unwrap();
    let xml = service::SKICKA_TIDREDOVISNING.to_xml(&req).unwrap();
    let report = elt_xml::XmlValue::to_xml_text(&req.tidredovisning.value);
    let expected = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<tns:SkickaTidredovisning xmlns:tns="urn:shs:emottagning:SkickaTidredovisning:1" xmlns:xmime="http://www.w3.org/2005/05/xmlmime">"#,
            r#"<tns:tidredovisning xmime:contentType="text/xml">{report}</tns:tidredovisning>"#,
            r#"<tns:assistent-signatur>"#,
            r#"<tns:signature>cGxhY2Vob2xkZXIgc2lnbmF0dXJlIG9mIHRoZSBhc3Npc3RhbnQ=</tns:signature>"#,
            r#"<tns:ocspResponse>cGxhY2Vob2xkZXIgT0NTUCByZXNwb25zZSAoYXNzaXN0YW50KQ==</tns:ocspResponse>"#,
            r#"<tns:datumForSignatur>2016-10-03</tns:datumForSignatur>"#,
            r#"</tns:assistent-signatur>"#,
            r#"<tns:anordnare-signatur>"#,
            r#"<tns:signature>cGxhY2Vob2xkZXIgc2lnbmF0dXJlIG9mIHRoZSBwcm92aWRlcg==</tns:signature>"#,
            r#"<tns:ocspResponse>cGxhY2Vob2xkZXIgT0NTUCByZXNwb25zZSAocHJvdmlkZXIp</tns:ocspResponse>"#,
            r#"<tns:datumForSignatur>2016-10-04</tns:datumForSignatur>"#,
            r#"</tns:anordnare-signatur>"#,
            r#"</tns:SkickaTidredovisning>"#,
        ),
        report = report
    );
    assert_eq!(xml, expected);
    assert_eq!(xml.matches("xmlns").count(), 2, "{xml}");
    for sdir in schema_dirs() {
        validate_with_xmlschema(&sdir.join("SkickaTidredovisningResponder_1.0.xsd"), &xml)
            .unwrap_or_else(|e| panic!("{}: {e}\n{xml}", sdir.display()));
    }
    // The report inside keeps the agency's prefix for its own namespace.
    let inner = t::TIDREDOVISNING
        .from_xml(std::str::from_utf8(&req.tidredovisning.value.0).unwrap())
        .unwrap();
    let inner = t::TIDREDOVISNING.to_xml(&inner).unwrap();
    assert!(
        inner.starts_with(
            r#"<?xml version="1.0" encoding="UTF-8"?><ase:Tidredovisning xmlns:ase="http://schema.forsakringskassan.se/integration/isassistansersattning/tidredovisning/1"><ase:id>"#
        ),
        "{inner}"
    );
    assert_eq!(inner.matches("xmlns").count(), 1, "{inner}");
}

#[test]
fn agency_example_response_gives_the_tx_id() {
    let xml = r#"<SkickaTidredovisningResponse xmlns="urn:shs:emottagning:SkickaTidredovisning:1"><tx-id>14e81789-715d-497b-b63c-eada732800eb</tx-id></SkickaTidredovisningResponse>"#;
    let r = service::SKICKA_TIDREDOVISNING_RESPONSE
        .from_xml(xml)
        .unwrap();
    assert_eq!(r.tx_id, "14e81789-715d-497b-b63c-eada732800eb");
    assert!(r.any.is_empty());
}

#[test]
fn xs_any_content_round_trips_with_its_namespace() {
    let xml = r#"<SkickaTidredovisningResponse xmlns="urn:shs:emottagning:SkickaTidredovisning:1"><tx-id>14e81789-715d-497b-b63c-eada732800eb</tx-id><x:trace xmlns:x="urn:example:trace" x:level="2">abc<x:hop>1</x:hop></x:trace></SkickaTidredovisningResponse>"#;
    let r = service::SKICKA_TIDREDOVISNING_RESPONSE
        .from_xml(xml)
        .unwrap();
    assert_eq!(r.any.len(), 1);
    assert_eq!(r.any[0].namespace.as_deref(), Some("urn:example:trace"));
    let again = service::SKICKA_TIDREDOVISNING_RESPONSE.to_xml(&r).unwrap();
    assert_eq!(
        service::SKICKA_TIDREDOVISNING_RESPONSE
            .from_xml(&again)
            .unwrap(),
        r
    );
    // An element of the service's own namespace is not allowed by `##other`.
    let bad = xml.replace(
        "<x:trace xmlns:x=\"urn:example:trace\" x:level=\"2\">abc<x:hop>1</x:hop></x:trace>",
        "<extra/>",
    );
    let e: XmlError = service::SKICKA_TIDREDOVISNING_RESPONSE
        .from_xml(&bad)
        .unwrap_err();
    assert!(e.to_string().contains("extra"), "{e}");
}

#[test]
fn types_round_trip_through_json() {
    let doc = report();
    let json = serde_json::to_string(&doc).unwrap();
    let back: t::Tidredovisning = serde_json::from_str(&json).unwrap();
    assert_eq!(back, doc);
    // Facets hold on deserialization too.
    let bad = json.replace("191212121212", "19121212121");
    assert!(serde_json::from_str::<t::Tidredovisning>(&bad).is_err());
    // Bytes are bytes in Rust and base64 in JSON.
    let req = request(b"<x/>");
    let json = serde_json::to_string(&req).unwrap();
    assert!(json.contains("PHgvPg=="), "{json}");
}
