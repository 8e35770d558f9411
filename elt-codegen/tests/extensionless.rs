//! Files that a `schemaLocation` names without an `.xsd` extension are read from a folder and
//! from a zip (the fixture `tests/fixtures/features/extensionless/`); files nothing names are
//! not; a location naming a file that is truly missing is an error at the referencing line.
//!
//! The code generated from the fixture is compiled and round-tripped by `elt-feature-tests`
//! (`tests/features/tests/extensionless.rs`).

use std::io::Write;
use std::path::{Path, PathBuf};

use elt_codegen::{Builder, Error, FileSet, InputLimits, Layout};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/features/extensionless")
}

/// The files of the fixture folder as `(relative path, bytes)`, every one of them.
fn fixture_files() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![fixture()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(fixture()).unwrap();
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn zip_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    for (name, data) in files {
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap();
    buf.into_inner()
}

fn names(set: &FileSet) -> Vec<&str> {
    set.files().map(|(n, _)| n).collect()
}

const READ: [&str; 4] = ["lines", "order.xsd", "types/common", "types/units"];

fn generate(set: &FileSet) -> elt_codegen::Result<String> {
    let files = Builder::new()
        .layout(Layout::SingleFile("out.rs".into()))
        .client(false)
        .generate_from(set)?;
    Ok(files.into_iter().map(|f| f.contents).collect())
}

#[test]
fn a_folder_gives_the_files_its_schemas_name_whatever_their_extension() {
    let set = FileSet::read(&fixture()).unwrap();
    // `notes.txt` is in the folder, but nothing names it.
    assert_eq!(names(&set), READ);
    let mut read: Vec<String> = set
        .read_paths
        .iter()
        .map(|p| {
            p.strip_prefix(fixture())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    read.sort();
    assert_eq!(read, READ, "the files read, for cargo:rerun-if-changed");
    let code = generate(&set).unwrap();
    for item in [
        "pub struct Order",
        "pub struct LineType",
        "pub struct PartyType",
        "pub enum UnitCode",
    ] {
        assert!(code.contains(item), "{item} in\n{code}");
    }
}

#[test]
fn a_zip_gives_the_same_files_and_the_same_code_as_the_folder() {
    let files = fixture_files();
    assert!(files.iter().any(|(n, _)| n == "notes.txt"));
    let zip = zip_of(&files);
    let from_zip =
        FileSet::from_zip_bytes("extensionless.zip", &zip, InputLimits::default()).unwrap();
    assert_eq!(names(&from_zip), READ);
    let folder = FileSet::read(&fixture()).unwrap();
    assert_eq!(from_zip.sha256(), folder.sha256());
    // The header names the input; the code after it is the same.
    let body = |s: &str| s[s.find('\n').unwrap()..].to_owned();
    let folder_code = generate(&folder).unwrap();
    assert_eq!(body(&generate(&from_zip).unwrap()), body(&folder_code));
    // And through `Builder::input` with a zip on disk.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("extensionless");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("extensionless.zip");
    std::fs::write(&path, &zip).unwrap();
    let built = Builder::new()
        .input(&path)
        .layout(Layout::SingleFile("out.rs".into()))
        .client(false)
        .generate()
        .unwrap();
    assert_eq!(body(&built[0].contents), body(&folder_code));
}

#[test]
fn the_size_limits_count_the_files_read_by_reference() {
    let files = fixture_files();
    let zip = zip_of(&files);
    let total: usize = files
        .iter()
        .filter(|(n, _)| READ.contains(&n.as_str()))
        .map(|(_, b)| b.len())
        .sum();
    let limits = InputLimits {
        max_total_bytes: total as u64 - 1,
        ..InputLimits::default()
    };
    let e = FileSet::from_zip_bytes("t.zip", &zip, limits).unwrap_err();
    assert!(e.to_string().contains("total limit"), "{e}");
    let e = FileSet::read_with_limits(&fixture(), limits).unwrap_err();
    assert!(e.to_string().contains("size limit"), "{e}");
    let limits = InputLimits {
        max_entries: 3,
        ..InputLimits::default()
    };
    let e = FileSet::read_with_limits(&fixture(), limits).unwrap_err();
    assert!(e.to_string().contains("more than 3 files"), "{e}");
}

#[test]
fn a_named_file_that_is_missing_is_reported_where_it_is_named() {
    let files: Vec<(String, Vec<u8>)> = fixture_files()
        .into_iter()
        .filter(|(n, _)| n != "lines")
        .collect();
    for set in [
        FileSet::from_zip_bytes("t.zip", &zip_of(&files), InputLimits::default()).unwrap(),
        {
            let mut s = FileSet::new("in memory");
            for (n, b) in files.iter().filter(|(n, _)| n != "notes.txt") {
                s.insert(n, b.clone()).unwrap();
            }
            s
        },
    ] {
        match generate(&set) {
            Err(Error::Unresolved { location, message }) => {
                assert_eq!(location.file, "order.xsd");
                assert_eq!(location.position, Some((10, 3)), "{message}");
                assert!(
                    message.contains("xs:include of \"lines\"")
                        && message.contains("not in the input"),
                    "{message}"
                );
            }
            other => panic!("expected the missing file to be reported, got {other:?}"),
        }
    }
}

/// A `wsdl:import` naming a file without an extension brings that WSDL in; it is read as a
/// WSDL by its root element.
#[test]
fn a_wsdl_import_without_an_extension_is_read_as_a_wsdl() {
    let service = br#"<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"
        xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="urn:example:svc"
        targetNamespace="urn:example:svc">
      <import namespace="urn:example:svc" location="abstract"/>
      <binding name="B" type="tns:P">
        <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
        <operation name="Ping"><soap:operation soapAction="urn:ping"/>
          <input><soap:body use="literal"/></input><output><soap:body use="literal"/></output>
        </operation>
      </binding>
      <service name="S"><port name="Port" binding="tns:B">
        <soap:address location="https://example.org/ping"/></port></service>
    </definitions>"#;
    let abstract_ = br#"<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"
        xmlns:tns="urn:example:svc" xmlns:xs="http://www.w3.org/2001/XMLSchema"
        targetNamespace="urn:example:svc">
      <types><xs:schema targetNamespace="urn:example:svc" elementFormDefault="qualified">
        <xs:element name="Ping" type="xs:string"/>
        <xs:element name="Pong" type="xs:string"/>
      </xs:schema></types>
      <message name="In"><part name="body" element="tns:Ping"/></message>
      <message name="Out"><part name="body" element="tns:Pong"/></message>
      <portType name="P"><operation name="Ping">
        <input message="tns:In"/><output message="tns:Out"/></operation></portType>
    </definitions>"#;
    let zip = zip_of(&[
        ("abstract".to_owned(), abstract_.to_vec()),
        ("service.wsdl".to_owned(), service.to_vec()),
    ]);
    let set = FileSet::from_zip_bytes("t.zip", &zip, InputLimits::default()).unwrap();
    assert_eq!(names(&set), ["abstract", "service.wsdl"]);
    let files = Builder::new()
        .layout(Layout::SingleFile("out.rs".into()))
        .generate_from(&set)
        .unwrap();
    let code = &files[0].contents;
    assert!(
        code.contains("pub struct PortClient") && code.contains("pub async fn ping("),
        "{code}"
    );
}
