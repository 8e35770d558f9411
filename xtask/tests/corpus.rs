//! `cargo xtask corpus` on a tiny synthetic corpus: one case that generates (with colliding
//! names, so the compile step proves they were made distinct) and whose samples round-trip,
//! one the generator refuses, and a SOAP service whose request envelope round-trips.

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
    // A document/literal service with a header block: its request envelope is read back with
    // the generated client's runtime.
    write(
        &input.join("service/service.wsdl"),
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="urn:svc" targetNamespace="urn:svc">
  <wsdl:types>
    <xs:schema xmlns:xs="{XS}" targetNamespace="urn:svc" elementFormDefault="qualified">
      <xs:element name="Ask"><xs:complexType><xs:sequence><xs:element name="q" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="Answer"><xs:complexType><xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="Route"><xs:simpleType><xs:restriction base="xs:string"><xs:length value="4"/></xs:restriction></xs:simpleType></xs:element>
    </xs:schema>
  </wsdl:types>
  <wsdl:message name="AskIn"><wsdl:part name="route" element="tns:Route"/><wsdl:part name="body" element="tns:Ask"/></wsdl:message>
  <wsdl:message name="AskOut"><wsdl:part name="body" element="tns:Answer"/></wsdl:message>
  <wsdl:portType name="Port"><wsdl:operation name="Ask"><wsdl:input message="tns:AskIn"/><wsdl:output message="tns:AskOut"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="Binding" type="tns:Port">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Ask">
      <soap:operation soapAction="urn:svc:Ask"/>
      <wsdl:input><soap:header message="tns:AskIn" part="route" use="literal"/><soap:body parts="body" use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="Service"><wsdl:port name="Port" binding="tns:Binding"><soap:address location="https://example.invalid/svc"/></wsdl:port></wsdl:service>
</wsdl:definitions>
"#
        ),
    );
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
    let line = "corpus: 3 cases, 2 generated, 2 compiled, 1 refused, 0 panicked; 7 elements, 10 of 10 samples valid, 10 of 10 round-tripped";
    assert_eq!(report["summary_line"], line);
    assert!(stderr.trim_end().ends_with(line), "{stderr}");
    let cases = report["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 3, "hidden folders and files are not cases");

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
    // Both validators judged the samples.
    assert_eq!(good["samples"]["libxml2"]["status"], "judged", "{good}");
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

    // The service's request envelope, with its header block, was read and written back by the
    // envelope writer and compared equal, beside its three element samples.
    let service = &cases[2];
    assert_eq!(service["case"], "service");
    assert_eq!(service["compile"]["status"], "compiled", "{service}");
    assert_eq!(
        service["samples"]["libxml2"]["status"], "judged",
        "{service}"
    );
    assert_eq!(service["roundtrip"]["documents"], 4, "{service}");
    assert_eq!(service["roundtrip"]["round_tripped"], 4, "{service}");
    let envelope =
        std::fs::read_to_string(out.join("roundtrip/service/operations/Ask.soap11.request.xml"))
            .unwrap_or_else(|e| panic!("{e}: {service}"));
    let name_after = |tag: &str| -> String {
        let rest =
            &envelope[envelope.find(tag).unwrap_or_else(|| panic!("{envelope}")) + tag.len()..];
        let name = rest
            .trim_start_matches('<')
            .split([' ', '>', '/'])
            .next()
            .unwrap();
        name.rsplit(':').next().unwrap().to_owned()
    };
    // The header part goes into the Header, the body part (not the message's first part) into
    // the Body.
    assert_eq!(name_after("Header>"), "Route", "{envelope}");
    assert_eq!(name_after("Body>"), "Ask", "{envelope}");

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
