//! The second validator of the corpus gate, libxml2 over a wrapper schema joining a whole set
//! (`tests/validate_set_libxml2.py`), on a small set built to need each part of the join: a
//! namespace spread over files that no import names together (strict `xs:any` content declared
//! in the other file), a WSDL types schema whose QNames use a prefix declared on
//! `wsdl:definitions`, and a file with another that redefines it. It must accept what is valid
//! and reject what is not, naming the element.

use std::path::{Path, PathBuf};
use std::process::Command;

use elt_tests::{python, workspace_root};

const XS: &str = "http://www.w3.org/2001/XMLSchema";

fn write(path: &Path, text: &str) -> PathBuf {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    path.to_owned()
}

fn set(root: &Path) {
    write(
        &root.join("main/main.xsd"),
        &format!(
            r#"<xs:schema xmlns:xs="{XS}" xmlns:x="urn:x" targetNamespace="urn:m" elementFormDefault="qualified">
  <xs:import namespace="urn:x" schemaLocation="../x/one.xsd"/>
  <xs:element name="Root">
    <xs:complexType><xs:sequence>
      <xs:element ref="x:One"/>
      <xs:any namespace="urn:x" processContents="strict"/>
    </xs:sequence></xs:complexType>
  </xs:element>
</xs:schema>"#
        ),
    );
    write(
        &root.join("x/one.xsd"),
        &format!(
            r#"<xs:schema xmlns:xs="{XS}" targetNamespace="urn:x"><xs:element name="One" type="xs:int"/></xs:schema>"#
        ),
    );
    // Nothing imports this file: only a join of the whole set knows `Two`.
    write(
        &root.join("x/two.xsd"),
        &format!(
            r#"<xs:schema xmlns:xs="{XS}" targetNamespace="urn:x"><xs:element name="Two" type="xs:string"/></xs:schema>"#
        ),
    );
    write(
        &root.join("service.wsdl"),
        &format!(
            r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:tns="urn:w" targetNamespace="urn:w">
  <wsdl:types>
    <xs:schema xmlns:xs="{XS}" targetNamespace="urn:w" elementFormDefault="qualified">
      <xs:simpleType name="Code"><xs:restriction base="xs:string"><xs:pattern value="[A-Z]{{3}}"/></xs:restriction></xs:simpleType>
      <xs:element name="Request" type="tns:Code"/>
    </xs:schema>
  </wsdl:types>
</wsdl:definitions>"#
        ),
    );
    write(
        &root.join("r/base.xsd"),
        &format!(
            r#"<xs:schema xmlns:xs="{XS}" xmlns:r="urn:r" targetNamespace="urn:r" elementFormDefault="qualified">
  <xs:group name="G"><xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence></xs:group>
  <xs:element name="Doc"><xs:complexType><xs:group ref="r:G"/></xs:complexType></xs:element>
</xs:schema>"#
        ),
    );
    write(
        &root.join("r/redefined.xsd"),
        &format!(
            r#"<xs:schema xmlns:xs="{XS}" xmlns:r="urn:r" targetNamespace="urn:r" elementFormDefault="qualified">
  <xs:redefine schemaLocation="base.xsd">
    <xs:group name="G"><xs:sequence><xs:group ref="r:G"/><xs:element name="b" type="xs:string"/></xs:sequence></xs:group>
  </xs:redefine>
</xs:schema>"#
        ),
    );
}

/// The verdicts on `docs` (name, text), in order: `None` when accepted, the error otherwise.
fn verdicts(root: &Path, docs: &[(&str, &str)]) -> Vec<Option<String>> {
    let dir = root.join("docs");
    let files: Vec<PathBuf> = docs
        .iter()
        .map(|(name, text)| write(&dir.join(name), text))
        .collect();
    let out = Command::new(python())
        .arg(workspace_root().join("tests/validate_set_libxml2.py"))
        .arg(root.join("set"))
        .args(&files)
        .output()
        .expect("running the libxml2 validator");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines = stdout.lines().map(|l| {
        serde_json::from_str::<serde_json::Value>(l).unwrap_or_else(|e| panic!("{l}: {e}"))
    });
    let head = lines.next().expect("a line about loading the set");
    assert_eq!(head["loaded"], true, "{head}");
    let verdicts: Vec<Option<String>> = lines
        .map(|v| (v["ok"] != true).then(|| v["error"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(verdicts.len(), docs.len(), "{stdout}");
    verdicts
}

#[test]
fn libxml2_judges_documents_against_the_whole_set() {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("libxml2-set");
    let _ = std::fs::remove_dir_all(&root);
    set(&root.join("set"));
    let v = verdicts(
        &root,
        &[
            (
                "strict-any-from-another-file.xml",
                r#"<Root xmlns="urn:m" xmlns:x="urn:x"><x:One>1</x:One><x:Two>two</x:Two></Root>"#,
            ),
            (
                "undeclared-in-strict-any.xml",
                r#"<Root xmlns="urn:m" xmlns:x="urn:x"><x:One>1</x:One><x:Three/></Root>"#,
            ),
            (
                "bad-int.xml",
                r#"<Root xmlns="urn:m" xmlns:x="urn:x"><x:One>one</x:One><x:Two/></Root>"#,
            ),
            ("wsdl-types.xml", r#"<Request xmlns="urn:w">ABC</Request>"#),
            (
                "wsdl-types-pattern.xml",
                r#"<Request xmlns="urn:w">abc</Request>"#,
            ),
            // The set's first file declaring `Doc` is base.xsd (as validate_set.py picks it),
            // whose group has `a` alone.
            ("base.xml", r#"<Doc xmlns="urn:r"><a>x</a></Doc>"#),
            (
                "base-with-b.xml",
                r#"<Doc xmlns="urn:r"><a>x</a><b>y</b></Doc>"#,
            ),
            (
                "envelope.xml",
                r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Request xmlns="urn:w">AB</Request></s:Body></s:Envelope>"#,
            ),
        ],
    );
    assert_eq!(v[0], None, "the join knows x/two.xsd");
    assert!(v[1].as_deref().unwrap().contains("Three"), "{v:?}");
    assert!(v[2].as_deref().unwrap().contains("One"), "{v:?}");
    assert_eq!(v[3], None, "the WSDL schema's `tns:` prefix resolves");
    assert!(v[4].as_deref().unwrap().contains("pattern"), "{v:?}");
    assert_eq!(v[5], None);
    assert!(v[6].as_deref().unwrap().contains("b"), "{v:?}");
    assert!(v[7].as_deref().unwrap().contains("Request"), "{v:?}");
}
