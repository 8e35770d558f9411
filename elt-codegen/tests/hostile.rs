//! Hostile and broken contracts: each input is built here, in memory or under the test's
//! temporary folder, and must end in its own error (or, where the input is legal, in code),
//! never in a panic, a hang or unbounded memory.

use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use elt_codegen::{Builder, Error, FileSet, InputLimits};

const XS: &str = "http://www.w3.org/2001/XMLSchema";

// ---------------------------------------------------------------- helpers

fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    for (name, data) in entries {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap();
    buf.into_inner()
}

fn from_zip(bytes: &[u8]) -> Result<FileSet, Error> {
    FileSet::from_zip_bytes("hostile.zip", bytes, InputLimits::default())
}

fn set_of(files: &[(&str, &str)]) -> FileSet {
    let mut set = FileSet::new("hostile");
    for (name, text) in files {
        set.insert(name, text.as_bytes().to_vec()).unwrap();
    }
    set
}

/// Generates on a worker thread: a hang fails the test instead of blocking it, and a panic
/// is reported as a failure naming the input.
fn generate(files: &[(&str, &str)]) -> Result<String, Error> {
    let set = set_of(files);
    generate_set(set)
}

fn generate_set(set: FileSet) -> Result<String, Error> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(8 * 1024 * 1024)
        .spawn(move || {
            let r = Builder::new().generate_from(&set).map(|files| {
                files
                    .into_iter()
                    .map(|f| format!("// file {}\n{}", f.path, f.contents))
                    .collect::<String>()
            });
            let _ = tx.send(r);
        })
        .unwrap();
    rx.recv_timeout(Duration::from_secs(120))
        .expect("the generator must neither panic nor hang")
}

fn schema(tns: &str, body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="{XS}" xmlns:tns="{tns}" targetNamespace="{tns}" elementFormDefault="qualified">
{body}
</xs:schema>
"#
    )
}

fn tmp_dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("hostile")
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn position(e: &Error) -> Option<(String, (u32, u32))> {
    match e {
        Error::Syntax { location, .. }
        | Error::Unresolved { location, .. }
        | Error::Unsupported { location, .. } => {
            location.position.map(|p| (location.file.clone(), p))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------- zip

#[test]
fn zip_entry_leaving_the_root_is_refused() {
    for bad in [
        "../x",
        "../x.xsd",
        "/etc/x",
        "/etc/x.xsd",
        "a/../../x.xsd",
        "C:/x.xsd",
    ] {
        let e = from_zip(&zip_with(&[("ok.xsd", b"<x/>"), (bad, b"<x/>")])).unwrap_err();
        let msg = e.to_string();
        assert!(matches!(e, Error::Input { .. }), "{bad}: {msg}");
        assert!(msg.contains("refused") && msg.contains(bad), "{bad}: {msg}");
    }
}

#[test]
fn zip_symlink_entry_is_refused() {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    w.start_file("a.xsd", zip::write::SimpleFileOptions::default())
        .unwrap();
    w.write_all(schema("urn:a", "").as_bytes()).unwrap();
    w.add_symlink(
        "b.xsd",
        "/etc/passwd",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    w.finish().unwrap();
    let bytes = buf.into_inner();
    let e = from_zip(&bytes).unwrap_err();
    assert!(
        e.to_string()
            .contains("\"b.xsd\" is a symbolic link; refused"),
        "{e}"
    );
    // The same from a file on disk.
    let dir = tmp_dir("symlink");
    std::fs::write(dir.join("c.zip"), &bytes).unwrap();
    let e = FileSet::read(&dir.join("c.zip")).unwrap_err();
    assert!(e.to_string().contains("symbolic link"), "{e}");
}

#[test]
fn zip_bomb_stops_at_the_size_cap() {
    // 17 MiB of zeros deflate to a few KiB; the per-entry cap is 16 MiB.
    let zeros = vec![0u8; 17 * 1024 * 1024];
    let bomb = zip_with(&[("bomb.xsd", &zeros)]);
    assert!(bomb.len() < 200 * 1024, "the bomb is small: {}", bomb.len());
    let started = Instant::now();
    let e = from_zip(&bomb).unwrap_err();
    assert!(
        e.to_string()
            .contains("\"bomb.xsd\" expands past the limit of 16777216 bytes"),
        "{e}"
    );
    assert!(started.elapsed() < Duration::from_secs(30));

    // Many entries, each under the per-entry cap, past the total cap.
    let chunk = vec![b' '; 300 * 1024];
    let entries: Vec<(String, &[u8])> = (0..4)
        .map(|i| (format!("{i}.xsd"), chunk.as_slice()))
        .collect();
    let refs: Vec<(&str, &[u8])> = entries.iter().map(|(n, d)| (n.as_str(), *d)).collect();
    let limits = InputLimits {
        max_total_bytes: 1024 * 1024,
        ..InputLimits::default()
    };
    let e = FileSet::from_zip_bytes("t.zip", &zip_with(&refs), limits).unwrap_err();
    assert!(
        e.to_string().contains("total limit of 1048576 bytes"),
        "{e}"
    );
}

#[test]
fn zip_bomb_with_lying_sizes_is_refused_or_capped() {
    // The headers claim 16 bytes; the data inflates to 17 MiB. Reading is capped whatever the
    // headers say, and the short read then fails the checksum.
    let zeros = vec![0u8; 17 * 1024 * 1024];
    let mut bomb = zip_with(&[("bomb.xsd", &zeros)]);
    let claimed = 17u32 * 1024 * 1024;
    let mut patched = 0;
    for i in 0..bomb.len().saturating_sub(4) {
        if bomb[i..i + 4] == claimed.to_le_bytes() {
            bomb[i..i + 4].copy_from_slice(&16u32.to_le_bytes());
            patched += 1;
        }
    }
    assert!(patched >= 2, "local and central sizes patched");
    match from_zip(&bomb) {
        Err(e) => assert!(matches!(e, Error::Input { .. }), "{e}"),
        Ok(set) => assert!(set.files().all(|(_, b)| b.len() <= 16 * 1024 * 1024)),
    }
}

#[test]
fn zip_with_more_entries_than_the_cap_is_refused() {
    let names: Vec<String> = (0..1001).map(|i| format!("f{i}.xsd")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"<x/>"[..])).collect();
    let e = from_zip(&zip_with(&entries)).unwrap_err();
    assert!(
        e.to_string()
            .contains("1001 entries, more than the limit of 1000"),
        "{e}"
    );
}

#[test]
fn zip_with_corrupt_central_directory_is_an_error() {
    let good = zip_with(&[
        ("a.xsd", schema("urn:a", "").as_bytes()),
        ("b.xsd", schema("urn:b", "").as_bytes()),
    ]);
    assert!(from_zip(&good).is_ok());
    let cd = good
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .expect("a central directory");
    // Overwriting the central directory's fields, one byte at a time, and cutting the archive
    // at every length: each variant is an error or a set, never a panic.
    for i in cd..good.len() {
        for v in [0x00u8, 0xff, 0x7f] {
            let mut bad = good.clone();
            bad[i] = v;
            let _ = from_zip(&bad);
        }
    }
    for len in 0..good.len() {
        let _ = from_zip(&good[..len]);
    }
    // A central directory whose signature is gone is reported as unreadable.
    let mut bad = good.clone();
    bad[cd..cd + 4].copy_from_slice(b"XXXX");
    let e = from_zip(&bad).unwrap_err();
    assert!(e.to_string().contains("zip"), "{e}");
}

#[test]
fn non_zip_with_a_zip_name_is_an_error() {
    let dir = tmp_dir("notzip");
    let path = dir.join("contract.zip");
    std::fs::write(&path, "<definitions>this is XML, not a zip</definitions>").unwrap();
    let e = FileSet::read(&path).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("not a readable zip archive"), "{msg}");
    assert!(msg.contains("contract.zip"), "{msg}");
}

#[test]
fn folder_symlinks_are_not_followed() {
    let dir = tmp_dir("folderlink");
    std::fs::write(dir.join("a.xsd"), schema("urn:a", "")).unwrap();
    let outside = tmp_dir("folderlink-outside");
    std::fs::write(outside.join("secret.xsd"), schema("urn:secret", "")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.join("secret.xsd"), dir.join("link.xsd")).unwrap();
        std::os::unix::fs::symlink(&outside, dir.join("linkdir")).unwrap();
    }
    let set = FileSet::read(&dir).unwrap();
    let names: Vec<&str> = set.files().map(|(n, _)| n).collect();
    assert_eq!(names, ["a.xsd"]);
}

#[test]
fn oversized_file_in_a_folder_is_refused_before_reading() {
    let dir = tmp_dir("bigfile");
    // Sparse: 100 MB by its length, nothing written.
    let f = std::fs::File::create(dir.join("big.xsd")).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap();
    let e = FileSet::read(&dir).unwrap_err();
    assert!(e.to_string().contains("larger than the size limit"), "{e}");
}

// ---------------------------------------------------------------- XML

#[test]
fn not_well_formed_schema_names_line_and_column() {
    let text = "<?xml version=\"1.0\"?>\n<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n  <xs:element name=\"a\" type=\"xs:string\">\n</xs:schema>\n";
    let e = generate(&[("bad.xsd", text)]).unwrap_err();
    let (file, (line, col)) = position(&e).unwrap_or_else(|| panic!("no position: {e}"));
    assert_eq!(file, "bad.xsd");
    assert_eq!(line, 4, "{e}");
    assert!(col >= 1, "{e}");
    assert!(e.to_string().contains("not well-formed"), "{e}");
}

#[test]
fn not_well_formed_wsdl_names_line_and_column() {
    let text = "<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\">\n<message name=\"m\">\n<part name=\"p\" element=\"x\"\n</definitions>";
    let e = generate(&[("bad.wsdl", text)]).unwrap_err();
    let (file, (line, _)) = position(&e).unwrap_or_else(|| panic!("no position: {e}"));
    assert_eq!(file, "bad.wsdl");
    assert!(line >= 3, "{e}");
}

fn billion_laughs(root: &str) -> String {
    let mut dtd = String::from("<!ENTITY lol \"lol\">\n");
    for i in 1..=9 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        dtd.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE {root} [\n{dtd}]>\n{}",
        body_with("&lol9;")
    )
}

fn body_with(text: &str) -> String {
    format!(
        "<xs:schema xmlns:xs=\"{XS}\" targetNamespace=\"urn:laughs\"><xs:annotation><xs:documentation>{text}</xs:documentation></xs:annotation><xs:element name=\"a\" type=\"xs:string\"/></xs:schema>"
    )
}

#[test]
fn billion_laughs_in_a_schema_is_refused_quickly() {
    let started = Instant::now();
    let e = generate(&[("laughs.xsd", &billion_laughs("xs:schema"))]).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10));
    let msg = e.to_string();
    assert!(msg.starts_with("laughs.xsd:2:"), "{msg}");
    assert!(msg.contains("entity") && msg.contains("refused"), "{msg}");
}

#[test]
fn quadratic_entity_blowup_in_a_schema_is_refused() {
    // One 100 KB entity referenced 2,000 times: 200 MB, without any nesting.
    let big = "x".repeat(100 * 1024);
    let text = format!(
        "<!DOCTYPE xs:schema [<!ENTITY big \"{big}\">]>\n{}",
        body_with(&"&big;".repeat(2000))
    );
    let e = generate(&[("quad.xsd", &text)]).unwrap_err();
    assert!(
        e.to_string()
            .contains("would expand to more than 1048576 bytes"),
        "{e}"
    );
}

#[test]
fn many_entities_are_checked_in_linear_time() {
    // 2,000 entities of 255 references each to one 100-byte entity, each referenced once.
    let mut dtd = format!("<!ENTITY e0 \"{}\">", "y".repeat(100));
    let mut body = String::new();
    for i in 1..2000 {
        dtd.push_str(&format!("<!ENTITY e{i} \"{}\">", "&e0;".repeat(255)));
        body.push_str(&format!("&e{i};"));
    }
    let text = format!("<!DOCTYPE xs:schema [{dtd}]>\n{}", body_with(&body));
    let started = Instant::now();
    let e = generate(&[("wide.xsd", &text)]).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(e.to_string().contains("would expand to more than"), "{e}");
    // A chain deeper than the parser allows.
    let mut dtd = String::from("<!ENTITY c0 \"z\">");
    for i in 1..2000 {
        dtd.push_str(&format!("<!ENTITY c{i} \"&c{};\">", i - 1));
    }
    let text = format!("<!DOCTYPE xs:schema [{dtd}]>\n{}", body_with("&c1999;"));
    let e = generate(&[("chain.xsd", &text)]).unwrap_err();
    assert!(e.to_string().contains("nest deeper than 10"), "{e}");
}

#[test]
fn entity_loops_and_markup_in_entities_are_refused() {
    let looped = format!(
        "<!DOCTYPE xs:schema [<!ENTITY a \"&b;\"><!ENTITY b \"&a;\">]>\n{}",
        body_with("&a;")
    );
    let e = generate(&[("loop.xsd", &looped)]).unwrap_err();
    assert!(e.to_string().contains("refused"), "{e}");
    let markup = format!(
        "<!DOCTYPE xs:schema [<!ENTITY m \"<xs:element name='x'/>\">]>\n{}",
        body_with("&m;")
    );
    let e = generate(&[("markup.xsd", &markup)]).unwrap_err();
    assert!(e.to_string().contains("holds markup"), "{e}");
}

#[test]
fn dtd_in_a_wsdl_is_refused() {
    let text = billion_laughs("definitions").replace(
        &body_with("&lol9;"),
        "<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\">&lol9;</definitions>",
    );
    let e = generate(&[("laughs.wsdl", &text)]).unwrap_err();
    assert!(e.to_string().contains("laughs.wsdl"), "{e}");
    assert!(matches!(e, Error::Syntax { .. }), "{e}");
}

#[test]
fn external_entities_are_never_fetched() {
    let dir = tmp_dir("xxe");
    let secret = dir.join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET-MARKER").unwrap();
    let url = format!("file://{}", secret.display());
    // Referenced: an error, without the file's content.
    let text = format!(
        "<!DOCTYPE xs:schema [<!ENTITY xxe SYSTEM \"{url}\">]>\n{}",
        body_with("&xxe;")
    );
    let e = generate(&[("xxe.xsd", &text)]).unwrap_err();
    let msg = e.to_string();
    assert!(!msg.contains("TOP-SECRET-MARKER"), "{msg}");
    assert!(msg.contains("xxe"), "{msg}");
    // Declared but not referenced, and an external DTD: nothing is read, the schema generates.
    let text = format!(
        "<!DOCTYPE xs:schema SYSTEM \"{url}\" [<!ENTITY xxe SYSTEM \"{url}\"><!ENTITY % pe SYSTEM \"{url}\">]>\n{}",
        body_with("no entity here")
    );
    let code = generate(&[("xxe.xsd", &text)]).unwrap();
    assert!(!code.contains("TOP-SECRET-MARKER"));
}

#[test]
fn the_xmldsig_internal_subset_still_loads() {
    let text = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE schema\n  PUBLIC \"-//W3C//DTD XMLSchema 200102//EN\" \"http://www.w3.org/2001/XMLSchema.dtd\"\n [\n   <!ATTLIST schema\n     xmlns:ds CDATA #FIXED \"http://www.w3.org/2000/09/xmldsig#\">\n   <!ENTITY dsig 'http://www.w3.org/2000/09/xmldsig#'>\n   <!ENTITY % p ''>\n   <!ENTITY % s ''>\n  ]>\n{}",
        body_with("uses &dsig; once")
    );
    let code = generate(&[("dsig.xsd", &text)]).unwrap();
    assert!(
        code.contains("pub struct") || code.contains("pub const"),
        "{code}"
    );
}

fn nested(depth: usize) -> String {
    let mut s = format!("<xs:schema xmlns:xs=\"{XS}\" targetNamespace=\"urn:deep\">\n");
    s.push_str(&"<a>".repeat(depth));
    s.push_str(&"</a>".repeat(depth));
    s.push_str("</xs:schema>\n");
    s
}

#[test]
fn ten_thousand_deep_nesting_is_refused_with_a_position() {
    let started = Instant::now();
    let e = generate(&[("deep.xsd", &nested(10_000))]).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10));
    let (file, (line, _)) = position(&e).unwrap_or_else(|| panic!("no position: {e}"));
    assert_eq!((file.as_str(), line), ("deep.xsd", 2), "{e}");
    assert!(e.to_string().contains("nested deeper than 256"), "{e}");
    let wsdl = format!(
        "<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\">{}{}</definitions>",
        "<documentation>".repeat(10_000),
        "</documentation>".repeat(10_000)
    );
    let e = generate(&[("deep.wsdl", &wsdl)]).unwrap_err();
    assert!(e.to_string().contains("nested deeper than 256"), "{e}");
    // The check that decides WSDL from schema is guarded too.
    assert!(!elt_codegen::wsdl::is_wsdl(&wsdl));
}

#[test]
fn deeply_nested_anonymous_types_below_the_cap_generate() {
    // 80 levels of element/complexType/sequence (240 XML levels): legal, and near the cap.
    let mut body = String::new();
    for i in 0..80 {
        body.push_str(&format!(
            "<xs:element name=\"e{i}\"><xs:complexType><xs:sequence>"
        ));
    }
    body.push_str("<xs:element name=\"leaf\" type=\"xs:string\"/>");
    body.push_str(&"</xs:sequence></xs:complexType></xs:element>".repeat(80));
    let text = schema("urn:nest", &body);
    match generate(&[("nest.xsd", &text)]) {
        // The deepest level's type and field (local elements get no `RootElement` constant).
        Ok(code) => assert!(code.contains("pub e79:")),
        Err(e) => panic!("legal nesting refused: {e}"),
    }
}

#[test]
fn hundred_megabyte_text_node_is_refused_by_size() {
    let mut text = String::with_capacity(100 * 1024 * 1024 + 200);
    text.push_str(&format!(
        "<xs:schema xmlns:xs=\"{XS}\"><xs:annotation><xs:documentation>"
    ));
    text.extend(std::iter::repeat_n('x', 100 * 1024 * 1024));
    text.push_str("</xs:documentation></xs:annotation></xs:schema>");
    let mut set = FileSet::new("big");
    set.insert("big.xsd", text.into_bytes()).unwrap();
    let started = Instant::now();
    let e = generate_set(set).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        e.to_string()
            .contains("more than the limit of 16777216 bytes"),
        "{e}"
    );
    assert!(e.to_string().starts_with("big.xsd"), "{e}");
}

// ---------------------------------------------------------------- WSDL/XSD

#[test]
fn import_cycle_terminates_and_generates() {
    let a = schema(
        "urn:a",
        r#"<xs:import namespace="urn:b" schemaLocation="b.xsd"/>
<xs:complexType name="A"><xs:sequence><xs:element name="b" type="b:B" minOccurs="0" xmlns:b="urn:b"/></xs:sequence></xs:complexType>
<xs:element name="RootA" type="tns:A"/>"#,
    );
    let b = schema(
        "urn:b",
        r#"<xs:import namespace="urn:a" schemaLocation="a.xsd"/>
<xs:complexType name="B"><xs:sequence><xs:element name="a" type="a:A" minOccurs="0" xmlns:a="urn:a"/></xs:sequence></xs:complexType>
<xs:element name="RootB" type="tns:B"/>"#,
    );
    let code = generate(&[("a.xsd", &a), ("b.xsd", &b)]).unwrap();
    // Nothing is dropped: both namespaces' types are generated although neither file is an
    // entry point (each is imported by the other).
    assert!(code.contains("pub struct A"), "{code}");
    assert!(code.contains("pub struct B"), "{code}");
    assert!(code.contains("ROOT_A") && code.contains("ROOT_B"), "{code}");
}

#[test]
fn include_cycle_and_self_import_terminate() {
    let a = schema(
        "urn:c",
        r#"<xs:include schemaLocation="b.xsd"/><xs:element name="A" type="xs:string"/>"#,
    );
    let b = schema(
        "urn:c",
        r#"<xs:include schemaLocation="a.xsd"/><xs:element name="B" type="xs:string"/>"#,
    );
    let code = generate(&[("a.xsd", &a), ("b.xsd", &b)]).unwrap();
    assert!(
        code.contains("pub const A") && code.contains("pub const B"),
        "{code}"
    );
    let s = schema(
        "urn:s",
        r#"<xs:import namespace="urn:s" schemaLocation="self.xsd"/><xs:element name="S" type="xs:string"/>"#,
    );
    match generate(&[("self.xsd", &s)]) {
        Ok(code) => assert!(code.contains("pub const S"), "{code}"),
        Err(e) => assert!(e.to_string().contains("self.xsd"), "{e}"),
    }
}

#[test]
fn include_of_a_missing_file_names_both_files() {
    let a = schema(
        "urn:a",
        "<xs:include schemaLocation=\"common/missing.xsd\"/>\n<xs:element name=\"A\" type=\"xs:string\"/>",
    );
    let e = generate(&[("dir/a.xsd", &a)]).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, Error::Unresolved { .. }), "{msg}");
    assert!(msg.starts_with("dir/a.xsd:3:1:"), "{msg}");
    assert!(msg.contains("common/missing.xsd"), "{msg}");
    // Leaving the contract is refused, with the place.
    let a = schema(
        "urn:a",
        "<xs:import namespace=\"urn:x\" schemaLocation=\"../../x.xsd\"/>",
    );
    let e = generate(&[("a.xsd", &a)]).unwrap_err();
    assert!(e.to_string().contains("points outside the contract"), "{e}");
    let a = schema(
        "urn:a",
        "<xs:import namespace=\"urn:x\" schemaLocation=\"http://example.invalid/x.xsd\"/>",
    );
    let e = generate(&[("a.xsd", &a)]).unwrap_err();
    assert!(e.to_string().contains("points outside the contract"), "{e}");
}

/// An import whose `schemaLocation` is a web address is linked by its namespace when a schema of
/// the input declares that namespace (the location is a hint, and the input is read offline);
/// the XML namespace's schema is built in when the input does not carry it. An import of a
/// namespace nobody declares, and an include (which has no namespace to go by), are refused
/// with their place.
#[test]
fn imports_naming_web_addresses_are_linked_by_namespace() {
    let a = schema(
        "urn:a",
        r#"<xs:import namespace="urn:x" schemaLocation="https://example.invalid/x/1.0/x.xsd"/>
<xs:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="http://www.w3.org/2001/xml.xsd"/>
<xs:element name="A"><xs:complexType><xs:sequence><xs:element name="X" type="x:T"/></xs:sequence><xs:attribute ref="xml:lang"/></xs:complexType></xs:element>"#,
    )
    .replace("xmlns:tns=", "xmlns:x=\"urn:x\" xmlns:tns=");
    let x = schema(
        "urn:x",
        r#"<xs:simpleType name="T"><xs:restriction base="xs:int"/></xs:simpleType>"#,
    );
    let code = generate(&[("a.xsd", &a), ("lib/x.xsd", &x)]).unwrap();
    assert!(code.contains("pub x: super::x::T"), "{code}");
    assert!(
        code.contains("pub lang: Option<super::namespace::Lang>"),
        "{code}"
    );
    // `xml:lang` used without any import of the XML namespace gets the built-in schema too.
    let bare = schema(
        "urn:b",
        r#"<xs:element name="B"><xs:complexType><xs:attribute ref="xml:space"/></xs:complexType></xs:element>"#,
    );
    let code = generate(&[("b.xsd", &bare)]).unwrap();
    assert!(code.contains("Preserve"), "{code}");
    // A remote include is refused at its place.
    let inc = schema(
        "urn:a",
        "<xs:include schemaLocation=\"https://example.invalid/common.xsd\"/>",
    );
    let e = generate(&[("a.xsd", &inc)]).unwrap_err();
    assert!(e.to_string().starts_with("a.xsd:3:1:"), "{e}");
    assert!(
        e.to_string().contains("points outside the contract;"),
        "{e}"
    );
}

#[test]
fn reference_to_an_undefined_type_names_the_place() {
    let a = schema(
        "urn:a",
        "<xs:complexType name=\"T\">\n<xs:sequence>\n<xs:element name=\"x\" type=\"tns:Missing\"/>\n</xs:sequence></xs:complexType>",
    );
    let e = generate(&[("a.xsd", &a)]).unwrap_err();
    let msg = e.to_string();
    assert!(msg.starts_with("a.xsd:5:1:"), "{msg}");
    assert!(msg.contains("{urn:a}Missing"), "{msg}");
    let a = schema("urn:a", "<xs:element name=\"x\" type=\"nope:T\"/>");
    let e = generate(&[("a.xsd", &a)]).unwrap_err();
    assert!(
        e.to_string().contains("prefix `nope` is not declared"),
        "{e}"
    );
}

/// Every item name in the generated modules is unique in its namespace (types; values), the
/// condition the names must meet to compile. (`cargo xtask corpus` compiles such a case; see
/// xtask/tests/corpus.rs.)
fn assert_unique_item_names(code: &str) {
    use std::collections::BTreeSet;
    fn walk(items: &[syn::Item], path: &str) {
        let mut types = BTreeSet::new();
        let mut values = BTreeSet::new();
        for item in items {
            let (ns, name) = match item {
                syn::Item::Struct(s) => {
                    if !matches!(s.fields, syn::Fields::Named(_)) {
                        assert!(
                            values.insert(s.ident.to_string()),
                            "{path}: value {} twice",
                            s.ident
                        );
                    }
                    (&mut types, s.ident.to_string())
                }
                syn::Item::Enum(e) => (&mut types, e.ident.to_string()),
                syn::Item::Type(t) => (&mut types, t.ident.to_string()),
                syn::Item::Trait(t) => (&mut types, t.ident.to_string()),
                syn::Item::Mod(m) => {
                    if let Some((_, inner)) = &m.content {
                        walk(inner, &format!("{path}::{}", m.ident));
                    }
                    (&mut types, m.ident.to_string())
                }
                syn::Item::Const(c) => (&mut values, c.ident.to_string()),
                syn::Item::Static(s) => (&mut values, s.ident.to_string()),
                syn::Item::Fn(f) => (&mut values, f.sig.ident.to_string()),
                _ => continue,
            };
            assert!(ns.insert(name.clone()), "{path}: {name} is defined twice");
        }
    }
    for part in code.split("// file ").filter(|p| !p.is_empty()) {
        let (name, text) = part.split_once('\n').unwrap();
        let file: syn::File =
            syn::parse_str(text).unwrap_or_else(|e| panic!("{name} does not parse: {e}"));
        walk(&file.items, name);
    }
}

#[test]
fn colliding_rust_names_get_distinct_names() {
    let a = schema(
        "urn:clash",
        r#"<xs:complexType name="foo_bar"><xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence></xs:complexType>
<xs:complexType name="FooBar"><xs:sequence><xs:element name="b" type="xs:string"/></xs:sequence></xs:complexType>
<xs:complexType name="fooBar"><xs:sequence><xs:element name="c" type="xs:int"/></xs:sequence></xs:complexType>
<xs:simpleType name="foo-bar"><xs:restriction base="xs:string"><xs:maxLength value="3"/></xs:restriction></xs:simpleType>
<xs:element name="FooBar" type="tns:FooBar"/>
<xs:element name="foo_bar" type="tns:foo_bar"/>
<xs:complexType name="Self"><xs:sequence><xs:element name="type" type="xs:string"/><xs:element name="Type" type="xs:string"/><xs:element name="self" type="xs:string"/></xs:sequence></xs:complexType>
<xs:complexType name="crate"><xs:sequence><xs:element name="_" type="xs:string"/><xs:element name="__" type="xs:string"/></xs:sequence></xs:complexType>
<xs:element name="Self" type="tns:Self"/>"#,
    );
    let code = generate(&[("clash.xsd", &a)]).unwrap();
    assert_unique_item_names(&code);
}

#[test]
fn dangling_wsdl_references_are_refused_by_name() {
    let wsdl = |part: &str, output: &str, port_type: &str, binding: &str| {
        format!(
            r#"<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="urn:d" targetNamespace="urn:d">
  <types><xs:schema xmlns:xs="{XS}" targetNamespace="urn:d"><xs:element name="E" type="xs:string"/></xs:schema></types>
  <message name="In"><part name="p" element="tns:{part}"/></message>
  <message name="Out"><part name="p" element="tns:E"/></message>
  <portType name="PT"><operation name="Op"><input message="tns:In"/><output message="tns:{output}"/></operation></portType>
  <binding name="B" type="tns:{port_type}"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Op"><soap:operation soapAction="urn:op"/><input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation></binding>
  <service name="S"><port name="P" binding="tns:{binding}"><soap:address location="http://localhost/"/></port></service>
</definitions>"#
        )
    };
    assert!(generate(&[("d.wsdl", &wsdl("E", "Out", "PT", "B"))]).is_ok());
    for (text, missing) in [
        (wsdl("E", "Out", "PT", "NoSuchBinding"), "NoSuchBinding"),
        (wsdl("E", "Out", "NoSuchPortType", "B"), "NoSuchPortType"),
        (wsdl("E", "NoSuchMessage", "PT", "B"), "NoSuchMessage"),
        (wsdl("NoSuchElement", "Out", "PT", "B"), "NoSuchElement"),
    ] {
        let e = generate(&[("d.wsdl", &text)]).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("d.wsdl") && msg.contains(missing),
            "{missing}: {msg}"
        );
    }
}

#[test]
fn a_syntax_error_in_a_file_with_lone_carriage_returns_is_on_its_line() {
    // Classic Mac line ends (the agency's time report schema has them): the end tag that does
    // not match `<xs:element name="b">` is on line 5, where an editor shows it, not on line 1.
    let xsd = format!(
        "<?xml version=\"1.0\"?>\r<xs:schema xmlns:xs=\"{XS}\">\r  <xs:element name=\"a\"/>\r  <xs:element name=\"b\">\r</xs:schema>"
    );
    match generate(&[("mac.xsd", &xsd)]) {
        Err(Error::Syntax { location, message }) => {
            assert_eq!(location.file, "mac.xsd");
            assert_eq!(location.position.map(|p| p.0), Some(5), "{message}");
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}
