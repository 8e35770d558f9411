//! The `elt-codegen` command line: inspect, generate, generate --crate, and error reports.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_elt-codegen"))
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

fn zip() -> PathBuf {
    workspace().join("wsdl/elt/ELT.zip")
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the binary runs")
}

fn scratch(name: &str) -> PathBuf {
    let d = workspace().join("target/cli-tests").join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn inspect_lists_services_operations_and_types() {
    let out = run(bin().arg("inspect").arg(zip()));
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "service SkickaTidredovisningResponderService",
        "port SkickaTidredovisningResponderPort (binding SkickaTidredovisningResponderBinding, SOAP 1.1)",
        "endpoint: https://shsext.forsakringskassan.se:8020/shs2/FK.ASE.Tidredovisning.ext",
        "soapAction: urn:shs:emottagning:SkickaTidredovisningResponder:1:SkickaTidredovisning",
        "-> skicka_tidredovisning_1::SkickaTidredovisningType",
        "fault XmlValidationError: {urn:shs:emottagning:SkickaTidredovisning:1}XmlValidationError",
        "tidredovisning_extern_v1.xsd",
        "urn:shs:emottagning:SkickaTidredovisning:1 -> skicka_tidredovisning_1",
        // Where each global element is declared. The time report schema has classic Mac line
        // ends (a lone CR), as the agency publishes it: line 231, not line 1.
        "(tidredovisning_1::TIDREDOVISNING), declared at tidredovisning_extern_v1.xsd:231:2",
        "(skicka_tidredovisning_1::SKICKA_TIDREDOVISNING), declared at SkickaTidredovisningResponder_1.0.xsd:13:3",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

#[test]
fn inspect_json_is_machine_readable() {
    let out = run(bin().args(["inspect", "--json"]).arg(zip()));
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let op = &v["services"][0]["ports"][0]["operations"][0];
    assert_eq!(op["name"], "SkickaTidredovisning");
    assert_eq!(op["style"], "document");
    assert_eq!(op["faults"].as_array().unwrap().len(), 2);
    assert_eq!(v["services"][0]["ports"][0]["soap_version"], "Soap11");
}

#[test]
fn inspect_describes_a_contract_generate_refuses() {
    // Mixed content with simple content is refused by `generate`; `inspect` reads the names
    // the generator would give and describes the contract all the same.
    let dir = scratch("inspect-refused");
    let xsd = dir.join("refused.xsd");
    std::fs::write(
        &xsd,
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:r" targetNamespace="urn:r">
  <xs:complexType name="Note" mixed="true"><xs:simpleContent><xs:extension base="xs:string"/></xs:simpleContent></xs:complexType>
  <xs:element name="note" type="t:Note"/>
</xs:schema>"#,
    )
    .unwrap();
    let generated = run(bin()
        .arg("generate")
        .arg(&xsd)
        .arg("--out")
        .arg(dir.join("out")));
    assert!(
        !generated.status.success(),
        "generate refuses mixed simple content"
    );
    let out = run(bin().arg("inspect").arg(&xsd));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("r::Note"), "{text}");
}

#[test]
fn generate_writes_what_the_builder_generates() {
    let dir = scratch("tree");
    let out = run(bin().arg("generate").arg(zip()).arg("--out").arg(&dir));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = elt_codegen::Builder::new().input(zip()).generate().unwrap();
    for f in &expected {
        let got = std::fs::read_to_string(dir.join(&f.path)).unwrap();
        assert_eq!(got, f.contents, "{}", f.path);
    }
}

/// A folder outside the repository, as a user's empty folder would be.
fn outside_scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir()
        .join(format!("elt-codegen-cli-{}", std::process::id()))
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `cargo install --path elt-codegen` into a folder of its own, so the crate tests below run the
/// binary a user would have, not the test harness's. Installed once per test run: the tests run
/// in parallel and must not reinstall the binary while another one runs it.
fn installed_bin() -> PathBuf {
    static INSTALLED: OnceLock<PathBuf> = OnceLock::new();
    INSTALLED.get_or_init(install).clone()
}

fn install() -> PathBuf {
    let root = workspace().join("target/cli-tests/install");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = run(Command::new(cargo)
        .args([
            "install",
            "--quiet",
            "--offline",
            "--debug",
            "--force",
            "--path",
        ])
        .arg(workspace().join("elt-codegen"))
        .arg("--root")
        .arg(&root)
        // The tests' own build cache (`CARGO_TARGET_DIR` when set, else the workspace's
        // `target/`): the binary's code is already compiled for the tests.
        .env(
            "CARGO_TARGET_DIR",
            std::env::var_os("CARGO_TARGET_DIR")
                .map_or_else(|| workspace().join("target"), PathBuf::from),
        ));
    assert!(
        out.status.success(),
        "cargo install failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    root.join("bin/elt-codegen")
}

/// The installed generator writes crate `name` (with `args` after `--crate NAME`) into an empty
/// folder outside the repository; its manifest must depend on exactly `runtime` of our crates,
/// each at this version from the registry. Nothing is published yet, so the crate is then
/// built against this workspace through a `[patch.crates-io]` section, as a user trying an
/// unreleased version would, and `cargo check`ed.
fn installed_generator_crate_checks(name: &str, args: &[&str], runtime: &[&str]) {
    let bin = installed_bin();
    let dir = outside_scratch(name);
    let out = run(Command::new(&bin)
        .current_dir(&dir)
        .arg("generate")
        .arg(zip())
        .arg("--out")
        .arg(&dir)
        .args(args)
        .args(["--crate", name]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let mut patch = String::from("\n[patch.crates-io]\n");
    for krate in ["elt-xml", "elt-soap"] {
        let wanted = runtime.contains(&krate);
        assert_eq!(
            manifest.contains(&format!("{krate} = \"{version}\"")),
            wanted,
            "{krate} from the registry expected: {wanted}, in:\n{manifest}"
        );
        if wanted {
            patch.push_str(&format!(
                "{krate} = {{ path = {:?} }}\n",
                workspace().join(krate).display().to_string()
            ));
        }
    }
    assert!(
        !manifest.contains("elt-soap") || runtime.contains(&"elt-soap"),
        "{manifest}"
    );
    assert!(
        !manifest.contains("path"),
        "an installed generator writes no path dependencies by default:\n{manifest}"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest + &patch).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let check = run(Command::new(cargo)
        .current_dir(&dir)
        .arg("check")
        .arg("--offline")
        .arg("--quiet")
        // One build cache for the generated crates, kept between runs: the types-only crate's
        // dependencies are a subset of the client crate's.
        .env(
            "CARGO_TARGET_DIR",
            workspace().join("target/cli-tests/crate-target"),
        ));
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn installed_generator_writes_a_crate_on_published_runtime_versions() {
    // Types only: elt-xml from the registry and nothing else of ours.
    installed_generator_crate_checks("elt-contract-check", &["--types-only"], &["elt-xml"]);
}

#[test]
fn installed_generator_writes_a_client_crate_on_published_runtime_versions() {
    // The default crate, with the client stubs: elt-soap as well.
    installed_generator_crate_checks("elt-client-check", &[], &["elt-xml", "elt-soap"]);
}

#[test]
fn client_crate_names_both_runtime_crates_and_runtime_path_gives_path_dependencies() {
    let registry = scratch("crate-registry");
    let out = run(bin()
        .arg("generate")
        .arg(zip())
        .arg("--out")
        .arg(&registry)
        .args(["--crate", "elt-client-check"]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest = std::fs::read_to_string(registry.join("Cargo.toml")).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    for name in ["elt-xml", "elt-soap"] {
        assert!(
            manifest.contains(&format!("{name} = \"{version}\"")),
            "{manifest}"
        );
    }

    let local = scratch("crate-local");
    let out = run(bin()
        .arg("generate")
        .arg(zip())
        .arg("--out")
        .arg(&local)
        .args(["--crate", "elt-client-check", "--runtime-path"])
        .arg(workspace()));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest = std::fs::read_to_string(local.join("Cargo.toml")).unwrap();
    let root = std::fs::canonicalize(workspace()).unwrap();
    for name in ["elt-xml", "elt-soap"] {
        let line = format!(
            "{name} = {{ path = {:?} }}",
            root.join(name).display().to_string()
        );
        assert!(manifest.contains(&line), "missing {line} in:\n{manifest}");
    }

    let out = run(bin()
        .arg("generate")
        .arg(zip())
        .arg("--out")
        .arg(scratch("crate-missing-runtime"))
        .args(["--crate", "x", "--runtime-path", "/nonexistent/elt"]));
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("/nonexistent/elt"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn errors_show_place_source_line_and_hint() {
    let dir = scratch("bad");
    std::fs::write(
        dir.join("a.xsd"),
        "<?xml version=\"1.0\"?>\n<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns:t=\"urn:t\" targetNamespace=\"urn:t\">\n  <xs:element name=\"a\" type=\"t:Missing\"/>\n</xs:schema>\n",
    )
    .unwrap();
    let out = run(bin()
        .arg("generate")
        .arg(&dir)
        .arg("--out")
        .arg(dir.join("out")));
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--> a.xsd:3:3"), "{err}");
    assert!(
        err.contains("3 |   <xs:element name=\"a\" type=\"t:Missing\"/>"),
        "{err}"
    );
    assert!(err.contains("{urn:t}Missing"), "{err}");
    assert!(err.contains("hint:"), "{err}");
}

#[test]
fn every_subcommand_has_help() {
    for sub in [
        &["--help"][..],
        &["generate", "--help"],
        &["inspect", "--help"],
    ] {
        let out = run(bin().args(sub));
        assert!(out.status.success(), "{sub:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage"),
            "{sub:?}"
        );
    }
}

#[test]
fn sample_writes_documents_and_envelopes_deterministically() {
    let a = scratch("sample-a");
    let b = scratch("sample-b");
    for dir in [&a, &b] {
        let out = run(bin().arg("sample").arg(zip()).arg("--out").arg(dir));
        assert!(out.status.success(), "{out:?}");
    }
    let list = |d: &Path| {
        let mut v: Vec<(String, Vec<u8>)> = Vec::new();
        for sub in ["elements", "operations"] {
            for e in std::fs::read_dir(d.join(sub)).unwrap() {
                let p = e.unwrap().path();
                v.push((
                    format!("{sub}/{}", p.file_name().unwrap().to_string_lossy()),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
        v.sort();
        v
    };
    let (la, lb) = (list(&a), list(&b));
    assert_eq!(la, lb, "two runs give the same files, byte for byte");
    let names: Vec<&str> = la.iter().map(|(n, _)| n.as_str()).collect();
    for wanted in [
        "elements/Tidredovisning.minimal.xml",
        "elements/Tidredovisning.full.0.xml",
        "elements/Tidredovisning.full.1.xml",
        "operations/SkickaTidredovisning.soap11.request.xml",
    ] {
        assert!(names.contains(&wanted), "missing {wanted} in {names:?}");
    }
    let envelope = String::from_utf8(
        std::fs::read(a.join("operations/SkickaTidredovisning.soap11.request.xml")).unwrap(),
    )
    .unwrap();
    assert!(envelope.contains("xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\""));
    assert!(envelope.contains(":SkickaTidredovisning"), "{envelope}");
}

#[test]
fn sample_one_element_minimal_to_stdout() {
    let out = run(bin()
        .args(["sample", "--minimal", "--element", "Tidredovisning"])
        .arg(zip()));
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("==> elements/Tidredovisning.minimal.xml <==\n<?xml"));
    assert_eq!(text.matches("==> ").count(), 1, "{text}");
}

#[test]
fn sample_of_an_unknown_element_is_an_error() {
    let out = run(bin()
        .args(["sample", "--element", "{urn:x}Nothing"])
        .arg(zip()));
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("--element {urn:x}Nothing: no global element"),
        "{err}"
    );
}
