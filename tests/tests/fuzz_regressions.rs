//! Inputs the fuzzers (`fuzz/`) found, replayed with the property of their target, so a fixed
//! bug stays fixed: `tests/fuzz-regressions/<target>/*`. To add one, copy the file from
//! `fuzz/artifacts/<target>/` there (the `input_folder` target's inputs are `arbitrary`
//! encodings; replay those with `cargo fuzz run input_folder FILE`).

use std::path::PathBuf;

use elt_codegen::{FileSet, InputLimits};
use elt_tests::comparable::data;
use elt_tests::workspace_root;
use elt_types::elt_soap::FaultDetail;
use elt_types::elt_xml::{ParseLimits, RootElement, XmlContent, parse_document};
use elt_types::{client, service, tidredovisning};
use serde::Serialize;

/// The saved inputs of a fuzz target. A missing or empty folder fails: a replay of nothing
/// would pass while checking nothing.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = workspace_root().join("tests/fuzz-regressions").join(target);
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e} (the replay needs its inputs)", dir.display()));
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(!files.is_empty(), "{} holds no inputs", dir.display());
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// Reads `bytes` as `root` and, when it reads, checks that it writes back to the same value;
/// whether it read.
fn round_trip<T: XmlContent + Serialize>(root: &RootElement<T>, name: &str, bytes: &[u8]) -> bool {
    let Ok(value) = root.from_xml_bytes(bytes) else {
        return false;
    };
    let xml = root
        .to_xml(&value)
        .unwrap_or_else(|e| panic!("{name}: does not write back: {e}"));
    let again = root
        .from_xml(&xml)
        .unwrap_or_else(|e| panic!("{name}: the rewrite does not read: {e}\n{xml}"));
    assert_eq!(data(&value), data(&again), "{name}: {xml}");
    true
}

/// The global element each saved `elt_deserialize` input reads as, or `None` for an input the
/// reader refuses (its finding was a panic; the property left is that it is refused cleanly).
/// An input that stops reading, starts reading as something else, or is not listed fails.
const ELT_DESERIALIZE_EXPECTED: &[(&str, Option<&str>)] = &[
    (
        "any-prefix-declared-outside-fuzzed.xml",
        Some("SkickaTidredovisning"),
    ),
    (
        "any-prefix-declared-outside.xml",
        Some("SkickaTidredovisningResponse"),
    ),
    (
        "any-qname-in-a-comment-fuzzed.xml",
        Some("SkickaTidredovisning"),
    ),
    (
        "any-text-split-by-a-comment-fuzzed.xml",
        Some("SkickaTidredovisning"),
    ),
    (
        "any-text-split-by-a-comment.xml",
        Some("SkickaTidredovisningResponse"),
    ),
    ("date-with-multibyte-near-the-end-fuzzed.xml", None),
];

/// Each input reads as none of the types or round-trips. The findings: `xs:any` content whose
/// attributes use a prefix declared outside it (the prefix declarations recorded with the
/// content differed after a rewrite, since the writer declares the prefix where the attribute
/// needs it; now only prefixes used in values are recorded, and they are compared), `xs:any`
/// text split by a comment (read as several text runs, written as one; compared merged), and a
/// date whose sixth byte from the end is inside a character (the timezone split panicked; fixed
/// in `elt-xml`), and a `p:x` inside a comment in `xs:any` content, which kept the prefix `p`
/// as if a value used it (comments are not kept, so the rewrite did not; only text nodes count
/// now).
#[test]
fn elt_deserialize_inputs_round_trip() {
    let found = inputs("elt_deserialize");
    let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
    let listed: Vec<&str> = ELT_DESERIALIZE_EXPECTED.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names, listed,
        "every saved input is listed with what it reads as"
    );
    for ((name, bytes), (_, expected)) in found.iter().zip(ELT_DESERIALIZE_EXPECTED) {
        let read: Vec<&str> = [
            round_trip(&tidredovisning::TIDREDOVISNING, name, bytes).then_some("Tidredovisning"),
            round_trip(&service::SKICKA_TIDREDOVISNING, name, bytes)
                .then_some("SkickaTidredovisning"),
            round_trip(&service::SKICKA_TIDREDOVISNING_RESPONSE, name, bytes)
                .then_some("SkickaTidredovisningResponse"),
        ]
        .into_iter()
        .flatten()
        .collect();
        assert_eq!(read, expected.iter().copied().collect::<Vec<_>>(), "{name}");
    }
}

/// A QName in `xs:any` content whose prefix is declared outside the content (here the text
/// `x:qname`, with `xmlns:x` on the response element) keeps its binding when the content is
/// written back: `AnyElement` keeps every prefix in scope on the element it copies.
#[test]
fn qname_in_any_content_keeps_an_outer_prefix() {
    let bytes = std::fs::read(
        workspace_root()
            .join("tests/fuzz-regressions/elt_deserialize/any-prefix-declared-outside.xml"),
    )
    .unwrap();
    let value = service::SKICKA_TIDREDOVISNING_RESPONSE
        .from_xml_bytes(&bytes)
        .unwrap();
    let xml = service::SKICKA_TIDREDOVISNING_RESPONSE
        .to_xml(&value)
        .unwrap();
    let doc = parse_document(&xml, ParseLimits::default()).unwrap();
    let b = doc
        .descendants()
        .find(|n| n.has_tag_name(("urn:example:x", "b")))
        .unwrap();
    assert_eq!(
        b.lookup_namespace_uri(Some("x")),
        Some("urn:example:x"),
        "{xml}"
    );
}

/// A table of recorded outcomes as owned pairs, to compare with what the replay found.
fn recorded(table: &[(&str, &str)]) -> Vec<(String, String)> {
    table
        .iter()
        .map(|(name, outcome)| ((*name).to_owned(), (*outcome).to_owned()))
        .collect()
}

/// How each saved SOAP response reads: `response` (a tx-id), `declared fault`, `undeclared
/// fault`, or `refused: <stage>`. Every input is listed, so none is replayed for nothing.
const SOAP_RESPONSE_EXPECTED: &[(&str, &str)] = &[
    (
        "declared-fault-without-message.xml",
        "refused: fault detail",
    ),
    ("fault-with-undeclared-detail.xml", "undeclared fault"),
    ("response-with-two-tx-ids.xml", "refused: payload"),
    ("response.xml", "response"),
    ("soap12-fault-without-reason.xml", "undeclared fault"),
];

/// Reads a SOAP response the way the client does, and says how far it got.
fn soap_outcome(bytes: &[u8]) -> String {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return "refused: utf-8".into();
    };
    let Ok(doc) = parse_document(text, ParseLimits::default()) else {
        return "refused: xml".into();
    };
    let Ok(env) = elt_types::elt_soap::envelope::parse_envelope(&doc) else {
        return "refused: envelope".into();
    };
    match env.body {
        elt_types::elt_soap::envelope::Body::Payload(node) => {
            match service::SKICKA_TIDREDOVISNING_RESPONSE.read(node) {
                Ok(_) => "response".into(),
                Err(_) => "refused: payload".into(),
            }
        }
        elt_types::elt_soap::envelope::Body::Fault(f) => {
            let mut outcome = "undeclared fault".to_owned();
            for entry in f.detail_entries {
                match client::SkickaTidredovisningFault::read_detail(entry) {
                    Ok(Some(_)) => outcome = "declared fault".into(),
                    Ok(None) => {}
                    Err(_) => return "refused: fault detail".into(),
                }
            }
            outcome
        }
    }
}

#[test]
fn soap_response_inputs_read_as_recorded() {
    let found = inputs("soap_response");
    let got: Vec<(String, String)> = found
        .iter()
        .map(|(name, bytes)| (name.clone(), soap_outcome(bytes)))
        .collect();
    let expected = recorded(SOAP_RESPONSE_EXPECTED);
    assert_eq!(got, expected);
}

/// How each saved zip reads: refused by the zip reader, or read and then loaded as schemas
/// (`xsd::load`: the link check and the XSD engine) with or without an error.
const INPUT_EXPECTED: &[(&str, &str)] = &[
    ("include-of-a-missing-file.zip", "read, schemas error"),
    ("one-schema.zip", "read, schemas ok"),
    ("path-traversal.zip", "zip error"),
    ("truncated.zip", "zip error"),
];

/// `wsdl::parse` builds the model; references between WSDL parts are resolved later (the link
/// check, the client stub), so an undeclared port type or an operation without messages read.
const WSDL_EXPECTED: &[(&str, &str)] = &[
    ("binding-of-an-undeclared-port-type.wsdl", "ok"),
    ("inline-schema.wsdl", "ok"),
    ("operation-without-messages.wsdl", "ok"),
    ("undeclared-prefix-in-a-qname.wsdl", "error"),
];

#[test]
fn input_and_wsdl_inputs_read_as_recorded() {
    let limits = InputLimits {
        max_entries: 64,
        max_entry_bytes: 1 << 20,
        max_total_bytes: 4 << 20,
    };
    let zips: Vec<(String, String)> = inputs("input_zip")
        .into_iter()
        .map(|(name, bytes)| {
            let outcome = match FileSet::from_zip_bytes("fuzz.zip", &bytes, limits) {
                Ok(set) => match elt_codegen::xsd::load(&set) {
                    Ok(_) => "read, schemas ok",
                    Err(_) => "read, schemas error",
                },
                Err(_) => "zip error",
            };
            (name, outcome.to_owned())
        })
        .collect();
    let expected = recorded(INPUT_EXPECTED);
    assert_eq!(zips, expected);
    let wsdls: Vec<(String, String)> = inputs("wsdl_model")
        .into_iter()
        .map(|(name, bytes)| {
            let text = String::from_utf8(bytes).expect("the saved WSDLs are UTF-8");
            let outcome = match elt_codegen::wsdl::parse("fuzz.wsdl", &text) {
                Ok(_) => "ok",
                Err(_) => "error",
            };
            (name, outcome.to_owned())
        })
        .collect();
    let expected = recorded(WSDL_EXPECTED);
    assert_eq!(wsdls, expected);
}
