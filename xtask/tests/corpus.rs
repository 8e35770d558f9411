//! `cargo xtask corpus` on a tiny synthetic corpus: one case that generates (with colliding
//! names, so the compile step proves they were made distinct) and whose samples round-trip,
//! and one the generator refuses.

use std::path::{Path, PathBuf};
use std::process::Command;

const XS: &str = "http://www.w3.org/2001/XMLSchema";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn schema(tns: &str, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xs:schema xmlns:xs=\"{XS}\" xmlns:tns=\"{tns}\" targetNamespace=\"{tns}\" elementFormDefault=\"qualified\">\n{body}\n</xs:schema>\n"
    )
}

fn corpus() -> (PathBuf, PathBuf) {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("corpus-selftest");
    let input = root.join("in");
    let _ = std::fs::remove_dir_all(&input);
    write(&input.join("README.md"), "not a case");
    write(&input.join(".hidden/x.xsd"), "not a case either");
    write(
        &input.join("good/types/clash.xsd"),
        &schema(
            "urn:clash",
            r#"<xs:complexType name="foo_bar"><xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence></xs:complexType>
<xs:complexType name="FooBar"><xs:sequence><xs:element name="b" type="tns:fooBar" minOccurs="0"/></xs:sequence></xs:complexType>
<xs:complexType name="fooBar"><xs:sequence><xs:element name="count" type="xs:int" maxOccurs="unbounded"/></xs:sequence></xs:complexType>
<xs:simpleType name="foo-bar"><xs:restriction base="xs:string"><xs:maxLength value="3"/></xs:restriction></xs:simpleType>
<xs:element name="FooBar" type="tns:FooBar"/>
<xs:element name="foo_bar" type="tns:foo_bar"/>
<xs:element name="foo-bar" type="tns:foo-bar"/>
<xs:complexType name="Self"><xs:sequence><xs:element name="type" type="xs:string"/><xs:element name="Type" type="xs:string"/><xs:element name="self" type="tns:Self" minOccurs="0"/></xs:sequence><xs:attribute name="crate" type="xs:string"/></xs:complexType>
<xs:element name="Self" type="tns:Self"/>"#,
        ),
    );
    write(&input.join("good/SOURCE.txt"), "ignored");
    write(
        &input.join("refused/a.xsd"),
        &schema(
            "urn:a",
            "<xs:complexType name=\"T\">\n<xs:sequence>\n<xs:element name=\"x\" type=\"tns:Missing\"/>\n</xs:sequence></xs:complexType>",
        ),
    );
    (input, root.join("out"))
}

#[test]
fn reports_each_case_and_the_summary_line() {
    let (input, out) = corpus();
    let run = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("corpus")
        .arg(&input)
        .arg("--json")
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let line = "corpus: 2 cases, 1 generated, 1 compiled, 1 refused, 0 panicked; 4 elements, 6 of 6 samples valid, 6 of 6 round-tripped";
    assert_eq!(report["summary_line"], line);
    assert!(stderr.trim_end().ends_with(line), "{stderr}");
    let cases = report["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2, "hidden folders and files are not cases");

    let good = &cases[0];
    assert_eq!(good["case"], "good");
    assert_eq!(good["entry_points"], serde_json::json!(["types/clash.xsd"]));
    assert_eq!(good["generation"], "generated");
    assert!(good["generated_lines"].as_u64().unwrap() > 50);
    assert_eq!(good["compile"]["status"], "compiled", "{good}");
    assert_eq!(good["compile"]["errors"], 0);
    assert!(out.join("good/src/generated/mod.rs").exists());
    // Every element sample was read by the generated code and written back.
    assert_eq!(good["roundtrip"]["documents"], 6, "{good}");
    assert_eq!(good["roundtrip"]["round_tripped"], 6, "{good}");
    let rewrites = std::fs::read_dir(out.join("roundtrip/good/elements"))
        .unwrap()
        .count();
    assert_eq!(rewrites, 6);
    let workspace = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(workspace.contains("[workspace]") && workspace.contains("\"good\""));

    let refused = &cases[1];
    assert_eq!(refused["case"], "refused");
    assert_eq!(refused["generation"], "refused");
    let message = refused["message"].as_str().unwrap();
    assert!(message.starts_with("a.xsd:5:1: "), "{message}");
    assert!(message.contains("{urn:a}Missing"), "{message}");
    assert!(refused["compile"].is_null());
    assert!(!out.join("refused").exists());

    // Text mode, one case, refusals failing the run.
    let run = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("corpus")
        .arg(&input)
        .args(["--case", "refused", "--fail-on-refused", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("| refused | 1 | refused |"), "{stdout}");
    assert!(
        stdout
            .trim_end()
            .ends_with("corpus: 1 cases, 0 generated, 0 compiled, 1 refused, 0 panicked; 0 elements, 0 of 0 samples valid, 0 of 0 round-tripped"),
        "{stdout}"
    );

    // Bad arguments and a missing case are usage errors.
    let run = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("corpus")
        .arg(&input)
        .args(["--case", "nope"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
}
