//! Hand-written instance documents (`tests/corpus-instances/<case>/*.xml`, invented data) for
//! real-world contracts in `../shared/corpus/`: each parses into the type generated for its root
//! element (the code is generated at build time, see `build.rs`), serializes back to the same
//! XML tree (namespaces, names, attributes, text), and the original and the rewrite both
//! validate against the case's schema with the independent validator (Python `xmlschema`).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use elt_tests::{shared_corpus, validate_all_with_xmlschema, workspace_root};
use elt_xml::{Node, ParseLimits, XmlError, parse_document};

type Roundtrip = fn(Option<&str>, &str, &str) -> Option<Result<String, XmlError>>;

#[cfg(fk_corpus)]
#[allow(missing_docs, dead_code, unused, clippy::all)]
mod fk {
    include!(concat!(env!("OUT_DIR"), "/fk_shs_emottagning.rs"));
    include!(concat!(env!("OUT_DIR"), "/fk_shs_emottagning_roots.rs"));
}

#[cfg(bolagsverket_corpus)]
#[allow(missing_docs, dead_code, unused, clippy::all)]
mod bolagsverket {
    include!(concat!(env!("OUT_DIR"), "/bolagsverket_ssbt.rs"));
    include!(concat!(env!("OUT_DIR"), "/bolagsverket_ssbt_roots.rs"));
}

#[cfg(skatteverket_corpus)]
#[allow(missing_docs, dead_code, unused, clippy::all)]
mod skatteverket {
    include!(concat!(
        env!("OUT_DIR"),
        "/skatteverket_kontrolluppgifter_8_0.rs"
    ));
    include!(concat!(
        env!("OUT_DIR"),
        "/skatteverket_kontrolluppgifter_8_0_roots.rs"
    ));
}

#[cfg(inera_corpus)]
#[allow(missing_docs, dead_code, unused, clippy::all)]
mod inera {
    include!(concat!(env!("OUT_DIR"), "/inera_riv_certificate_v3.rs"));
    include!(concat!(
        env!("OUT_DIR"),
        "/inera_riv_certificate_v3_roots.rs"
    ));
}

/// An element as compared: name, attributes (without namespace declarations), and content.
#[derive(Debug, PartialEq)]
enum Item {
    Element {
        namespace: Option<String>,
        name: String,
        attributes: BTreeMap<(Option<String>, String), String>,
        children: Vec<Item>,
    },
    Text(String),
}

/// The tree of `node`: whitespace-only text between elements is formatting and is left out;
/// comments and processing instructions are not content.
fn tree(node: Node<'_, '_>) -> Item {
    let has_elements = node.children().any(|c| c.is_element());
    let mut children = Vec::new();
    for c in node.children() {
        if c.is_element() {
            children.push(tree(c));
        } else if c.is_text() {
            let t = c.text().unwrap_or("");
            if !(has_elements && t.trim().is_empty()) {
                // Adjacent text (CDATA beside text) is one run.
                if let Some(Item::Text(prev)) = children.last_mut() {
                    prev.push_str(t);
                } else {
                    children.push(Item::Text(t.to_owned()));
                }
            }
        }
    }
    Item::Element {
        namespace: node.tag_name().namespace().map(str::to_owned),
        name: node.tag_name().name().to_owned(),
        attributes: node
            .attributes()
            .map(|a| {
                (
                    (a.namespace().map(str::to_owned), a.name().to_owned()),
                    a.value().to_owned(),
                )
            })
            .collect(),
        children,
    }
}

/// A namespace declared on more than one element of the tree under `root` (the writer declares
/// each once, on the root), if any.
fn declared_twice(root: Node<'_, '_>) -> Option<String> {
    let mut seen = std::collections::BTreeSet::new();
    for e in root.descendants().filter(|n| n.is_element()) {
        let inherited: Vec<_> = e
            .parent_element()
            .map(|p| p.namespaces().map(|n| (n.name(), n.uri())).collect())
            .unwrap_or_default();
        for n in e.namespaces() {
            if !inherited.contains(&(n.name(), n.uri())) && !seen.insert(n.uri().to_owned()) {
                return Some(n.uri().to_owned());
            }
        }
    }
    None
}

/// The first difference between two trees, with the element path.
fn difference(a: &Item, b: &Item, path: &str) -> Option<String> {
    match (a, b) {
        (
            Item::Element {
                namespace: na,
                name: a_name,
                attributes: aa,
                children: ac,
            },
            Item::Element {
                namespace: nb,
                name: b_name,
                attributes: ba,
                children: bc,
            },
        ) => {
            let here = format!("{path}/{a_name}");
            if (na, a_name) != (nb, b_name) {
                return Some(format!(
                    "{path}: element {{{}}}{a_name} became {{{}}}{b_name}",
                    na.as_deref().unwrap_or(""),
                    nb.as_deref().unwrap_or("")
                ));
            }
            if aa != ba {
                return Some(format!("{here}: attributes {aa:?} became {ba:?}"));
            }
            if ac.len() != bc.len() {
                return Some(format!(
                    "{here}: {} children became {}: {ac:?} / {bc:?}",
                    ac.len(),
                    bc.len()
                ));
            }
            ac.iter().zip(bc).find_map(|(x, y)| difference(x, y, &here))
        }
        (Item::Text(x), Item::Text(y)) if x == y => None,
        _ => Some(format!("{path}: {a:?} became {b:?}")),
    }
}

fn instances(case: &str) -> Vec<PathBuf> {
    let dir = workspace_root().join("tests/corpus-instances").join(case);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 2,
        "{}: at least two instance documents per case",
        dir.display()
    );
    files
}

/// The stack a tokio worker thread has: reading and writing must fit in it whatever the schema.
const WORKER_STACK: usize = 2 << 20;

/// `roundtrip` on a thread with `stack` bytes of stack (a thread that overflows it aborts the
/// test process, so the test fails).
fn roundtrip_with_stack(
    stack: usize,
    roundtrip: Roundtrip,
    ns: Option<&str>,
    name: &str,
    xml: &str,
) -> Option<Result<String, XmlError>> {
    let (ns, name, xml) = (ns.map(str::to_owned), name.to_owned(), xml.to_owned());
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || roundtrip(ns.as_deref(), &name, &xml))
        .expect("a thread starts")
        .join()
        .expect("the round trip does not panic")
}

/// `roundtrip` on a thread with the stack of a tokio worker.
fn on_small_stack(
    roundtrip: Roundtrip,
    ns: Option<&str>,
    name: &str,
    xml: &str,
) -> Option<Result<String, XmlError>> {
    roundtrip_with_stack(WORKER_STACK, roundtrip, ns, name, xml)
}

/// `schemas`: root element namespace → the schema file (relative to the case folder) that
/// declares it, for the validator.
fn check_case(case: &str, schemas: &[(&str, &str)], roundtrip: Option<Roundtrip>) {
    let Some(dir) = shared_corpus(case) else {
        return;
    };
    let mut by_schema: BTreeMap<PathBuf, Vec<(String, String)>> = BTreeMap::new();
    let mut sizes = (0, 0);
    for file in instances(case) {
        let label = file.file_name().unwrap().to_string_lossy().into_owned();
        let original = std::fs::read_to_string(&file).unwrap();
        let doc = parse_document(&original, ParseLimits::default())
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        let root = doc.root_element();
        let ns = root.tag_name().namespace();
        let schema = schemas
            .iter()
            .find(|(n, _)| Some(*n) == ns)
            .map(|(_, s)| dir.join(s))
            .unwrap_or_else(|| panic!("{label}: no schema listed for the namespace {ns:?}"));
        let docs = by_schema.entry(schema).or_default();
        if let Some(roundtrip) = roundtrip {
            let rewritten = on_small_stack(roundtrip, ns, root.tag_name().name(), &original)
                .unwrap_or_else(|| {
                    panic!(
                        "{label}: the generated code has no global element {{{}}}{}",
                        ns.unwrap_or(""),
                        root.tag_name().name()
                    )
                })
                .unwrap_or_else(|e| panic!("{label}: does not read into the generated type: {e}"));
            let again = parse_document(&rewritten, ParseLimits::default())
                .unwrap_or_else(|e| panic!("{label}: the rewrite is not well-formed: {e}"));
            if let Some(d) = difference(&tree(root), &tree(again.root_element()), "") {
                panic!("{label}: the rewrite differs: {d}\nrewrite: {rewritten}");
            }
            if let Some(twice) = declared_twice(again.root_element()) {
                panic!(
                    "{label}: the rewrite declares {twice} more than once\nrewrite: {rewritten}"
                );
            }
            sizes.0 += original.len();
            sizes.1 += rewritten.len();
            // Figures for the notes: `cargo test -p elt-tests --test corpus_roundtrip -- --nocapture`.
            println!(
                "{case}/{label}: {} bytes read, {} bytes written",
                original.len(),
                rewritten.len()
            );
            docs.push((format!("{label} (rewritten)"), rewritten));
        }
        docs.push((label, original));
    }
    if roundtrip.is_some() {
        println!("{case}: {} bytes read, {} bytes written", sizes.0, sizes.1);
    }
    for (schema, docs) in &by_schema {
        if let Err(e) = validate_all_with_xmlschema(schema, docs) {
            panic!("{case}: {} refused: {e}", schema.display());
        }
    }
}

const FK_SCHEMAS: &[(&str, &str)] = &[
    (
        "http://schema.forsakringskassan.se/integration/isassistansersattning/tidredovisning/1",
        "tidredovisning_extern_v1.xsd",
    ),
    (
        "urn:shs:emottagning:SkickaTidredovisning:1",
        "SkickaTidredovisningResponder_1.0.xsd",
    ),
];

const BOLAGSVERKET_SCHEMAS: &[(&str, &str)] = &[
    (
        "http://schema.bolagsverket.se/ssbten/engagemang",
        "schema/ssbten/Engagemang.xsd",
    ),
    (
        "http://schema.bolagsverket.se/ssbten/servicefel",
        "schema/ssbten/Servicefel.xsd",
    ),
];

const INERA_SCHEMAS: &[(&str, &str)] = &[
    (
        "urn:riv:clinicalprocess:healthcond:certificate:RevokeCertificateResponder:2",
        "interactions/RevokeCertificateInteraction/RevokeCertificateResponder_2.1.xsd",
    ),
    (
        "urn:riv:clinicalprocess:healthcond:certificate:SetCertificateStatusResponder:2",
        "interactions/SetCertificateStatusInteraction/SetCertificateStatusResponder_2.0.xsd",
    ),
];

#[cfg(fk_corpus)]
#[test]
fn fk_shs_emottagning_instances_round_trip_and_validate() {
    check_case("fk_shs_emottagning", FK_SCHEMAS, Some(fk::roundtrip));
}

#[cfg(bolagsverket_corpus)]
#[test]
fn bolagsverket_ssbt_instances_round_trip_and_validate() {
    check_case(
        "bolagsverket_ssbt",
        BOLAGSVERKET_SCHEMAS,
        Some(bolagsverket::roundtrip),
    );
}

const SKATTEVERKET_SCHEMAS: &[(&str, &str)] = &[(
    "http://xmls.skatteverket.se/se/skatteverket/ai/instans/infoForBeskattning/8.0",
    "instans/Kontrolluppgifter_8.0.xsd",
)];

#[cfg(skatteverket_corpus)]
#[test]
fn skatteverket_kontrolluppgifter_8_0_instances_round_trip_and_validate() {
    check_case(
        "skatteverket_kontrolluppgifter_8_0",
        SKATTEVERKET_SCHEMAS,
        Some(skatteverket::roundtrip),
    );
}

/// The round trips of the cases' instance documents, for [`stack_figures`].
// Each push depends on a cfg, so `vec![]` cannot list them.
#[allow(clippy::vec_init_then_push)]
fn stack_cases() -> Vec<(&'static str, Roundtrip)> {
    #[allow(unused_mut)]
    let mut out: Vec<(&'static str, Roundtrip)> = Vec::new();
    #[cfg(fk_corpus)]
    out.push(("fk_shs_emottagning", fk::roundtrip));
    #[cfg(bolagsverket_corpus)]
    out.push(("bolagsverket_ssbt", bolagsverket::roundtrip));
    #[cfg(inera_corpus)]
    out.push(("inera_riv_certificate_v3", inera::roundtrip));
    #[cfg(skatteverket_corpus)]
    out.push((
        "skatteverket_kontrolluppgifter_8_0",
        skatteverket::roundtrip,
    ));
    out
}

/// Run by [`stack_figures`] in a child process: the round trip of the document named by
/// `ELT_STACK_PROBE` (`case/file`) on a thread with `ELT_STACK_KIB` KiB of stack. A stack
/// overflow aborts the process, which the parent sees in the exit status.
#[test]
#[ignore = "a probe run by stack_figures in a child process"]
fn stack_probe() {
    let (Ok(probe), Ok(kib)) = (
        std::env::var("ELT_STACK_PROBE"),
        std::env::var("ELT_STACK_KIB"),
    ) else {
        return;
    };
    let (case, file) = probe.split_once('/').expect("case/file");
    let roundtrip = stack_cases()
        .into_iter()
        .find(|(c, _)| *c == case)
        .map(|(_, r)| r)
        .expect("a generated case");
    let xml = std::fs::read_to_string(workspace_root().join("tests/corpus-instances").join(&probe))
        .unwrap();
    let doc = parse_document(&xml, ParseLimits::default()).unwrap();
    let root = doc.root_element();
    let kib: usize = kib.parse().unwrap();
    roundtrip_with_stack(
        kib << 10,
        roundtrip,
        root.tag_name().namespace(),
        root.tag_name().name(),
        &xml,
    )
    .expect("a global element")
    .unwrap_or_else(|e| panic!("{probe}: {e}"));
    let _ = file;
}

/// The least stack (in KiB, to 4 KiB) the round trip of each instance document needs, found by
/// bisection in child processes (a measurement, not a check: run with `--ignored --nocapture`).
#[test]
#[ignore = "a measurement: prints the stack each round trip needs"]
fn stack_figures() {
    let exe = std::env::current_exe().unwrap();
    for (case, _) in stack_cases() {
        for file in instances(case) {
            let probe = format!("{case}/{}", file.file_name().unwrap().to_string_lossy());
            let fits = |kib: usize| {
                std::process::Command::new(&exe)
                    .args(["--exact", "stack_probe", "--ignored", "--quiet"])
                    .env("ELT_STACK_PROBE", &probe)
                    .env("ELT_STACK_KIB", kib.to_string())
                    .output()
                    .unwrap()
                    .status
                    .success()
            };
            let (mut lo, mut hi) = (4usize, 64 << 10);
            if !fits(hi) {
                println!("{probe}: more than {hi} KiB");
                continue;
            }
            while hi - lo > 4 {
                let mid = (lo + hi) / 2;
                if fits(mid) { hi = mid } else { lo = mid }
            }
            println!("{probe}: {hi} KiB");
        }
    }
}

#[cfg(inera_corpus)]
#[test]
fn inera_riv_certificate_v3_instances_round_trip_and_validate() {
    check_case(
        "inera_riv_certificate_v3",
        INERA_SCHEMAS,
        Some(inera::roundtrip),
    );
}

/// While the generator refuses a case, its documents are still checked against the schemas,
/// so they are ready for the round trip.
#[cfg(not(inera_corpus))]
#[test]
fn inera_riv_certificate_v3_instances_validate() {
    check_case("inera_riv_certificate_v3", INERA_SCHEMAS, None);
}

#[test]
fn tree_comparison_sees_names_attributes_and_text() {
    let t = |x: &str| {
        tree(
            parse_document(x, ParseLimits::default())
                .unwrap()
                .root_element(),
        )
    };
    let same = [
        r#"<a xmlns="urn:x" b="1"><c>t</c>
           </a>"#,
        r#"<p:a xmlns:p="urn:x" b="1"><p:c>t</p:c></p:a>"#,
    ];
    assert_eq!(difference(&t(same[0]), &t(same[1]), ""), None);
    for other in [
        r#"<a xmlns="urn:y" b="1"><c>t</c></a>"#,
        r#"<a xmlns="urn:x" b="2"><c>t</c></a>"#,
        r#"<a xmlns="urn:x" b="1"><c>u</c></a>"#,
        r#"<a xmlns="urn:x" b="1"><c>t</c><c/></a>"#,
        r#"<a xmlns="urn:x" b="1"><c xmlns="">t</c></a>"#,
    ] {
        assert!(difference(&t(same[0]), &t(other), "").is_some(), "{other}");
    }
}
