//! The generator on the feature fixtures in `tests/fixtures/features/`: every fixture
//! generates, the same way every time; what is still unsupported is refused with the construct,
//! file, line and column named; the real-world corpus generates.
//!
//! The generated code is compiled, and tested on the wire, by the `elt-feature-tests` crate
//! (`tests/features` in the workspace), whose build script generates from the same fixtures.

mod common;

use std::path::{Path, PathBuf};

use elt_codegen::{Builder, Error, Layout};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/features")
}

fn generate(input: &Path) -> elt_codegen::Result<String> {
    let files = Builder::new()
        .input(input)
        .layout(Layout::SingleFile("out.rs".into()))
        .client(false)
        .generate()?;
    Ok(files.into_iter().map(|f| f.contents).collect())
}

/// Every `.xsd` directly in the fixtures folder (the supported features).
fn feature_fixtures() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xsd"))
        .collect();
    out.sort();
    out
}

#[test]
fn every_feature_fixture_generates_the_same_code_twice() {
    let all = feature_fixtures();
    assert!(all.len() >= 12, "{all:?}");
    for f in all {
        let a = generate(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let b = generate(&f).unwrap();
        assert_eq!(a, b, "{} generates deterministically", f.display());
    }
}

/// What each construct becomes, as the generated code shows it.
#[test]
fn features_take_their_documented_shape() {
    let code = |name: &str| generate(&fixtures().join(format!("{name}.xsd"))).unwrap();
    let checks: &[(&str, &[&str])] = &[
        (
            "union",
            &[
                "pub enum Amount",
                "::elt_xml::encoding::union_member(\n                text,\n                Self::Percent,\n                &mut e,\n            )",
            ],
        ),
        (
            "list",
            &[
                "pub type Ints = ::elt_xml::List<i32>;",
                "Restricted<::elt_xml::List<i32>, TripleFacets>",
            ],
        ),
        (
            "any_type",
            &[
                "pub anything: ::elt_xml::AnyContent,",
                "pub untyped: ::elt_xml::AnyContent,",
            ],
        ),
        (
            "mixed",
            &[
                "pub text: Vec<::std::string::String>,",
                "w.mixed(&self.text);",
                "Children::new_mixed(node)",
            ],
        ),
        (
            "any_attribute",
            &[
                "::elt_xml::encoding::any_attributes(",
                "w.any_attributes(&self.any_attributes);",
            ],
        ),
        (
            "all",
            &[
                "let s = c.all(&[",
                "s.required(0, Some(NAMESPACE), \"first\")?",
            ],
        ),
        (
            "substitution",
            &["pub enum Shape", "Circle(CircleType)", "Square(RectType)"],
        ),
        (
            "xsi_type",
            &[
                "pub enum ConditionAbstractType",
                "::elt_xml::encoding::xsi_type(node, \"ConditionAbstractType\")?",
                "w.xsi_type(Some(NAMESPACE), \"OneTimeUseType\")?",
            ],
        ),
        (
            "nillable",
            &[
                "pub forecast: Vec<::elt_xml::Nillable<Forecast>>,",
                "pub type ForecastReturn = ::elt_xml::Nillable<ArrayOfForecast>;",
            ],
        ),
        (
            "recursive",
            &["Neg(Box<Expr>)", "pub next: Option<Box<Node>>,"],
        ),
        (
            "collisions",
            &[
                "pub struct OptionType",
                "pub c_: ",
                "pub enum CodeFacetsRule {}",
            ],
        ),
    ];
    for (name, snippets) in checks {
        let text = code(name);
        for s in *snippets {
            assert!(
                text.contains(s),
                "{name}: expected `{s}` in the generated code:\n{text}"
            );
        }
    }
}

/// The engine's corrections: a restriction has exactly its own content (narrowed types
/// included), base particles precede an extension's, and a choice stays a choice.
#[test]
fn derived_types_follow_xsd_rules() {
    let text = generate(&fixtures().join("derivation.xsd")).unwrap();
    let section = |start: &str| {
        let i = text
            .find(start)
            .unwrap_or_else(|| panic!("{start} in {text}"));
        let rest = &text[i..];
        rest[..rest.find("\n    }").unwrap()].to_owned()
    };
    let digit = section("pub struct DigitCode {");
    assert!(
        digit.contains("pub version: Option<") && !digit.contains("pub lang"),
        "{digit}"
    );
    assert!(
        digit.contains("pub code: Digits,\n        pub system: ::std::string::String,"),
        "{digit}"
    );
    assert!(!digit.contains("display"), "{digit}");
    let noted = section("pub struct NotedCode {");
    assert!(
        noted.contains(
            "pub code: Digits,\n        pub system: ::std::string::String,\n        pub note:"
        ),
        "{noted}"
    );
    let contact = section("pub struct NamedContact {");
    assert!(
        contact.contains("pub phone_or_email: ContactPhoneOrEmail,\n        pub name:"),
        "{contact}"
    );
}

/// `chameleon/`: `types.xsd` has no namespace and is redefined in two namespaces, included in
/// a third. Each namespace has one `Declaration` element, of its own `DeclarationType`: the
/// redefined one where a redefine restricts it (keeping the inherited `id` attribute), not
/// also the type as it was before the redefinition.
#[test]
fn redefinitions_leave_one_component_of_each_name() {
    let text = generate(&fixtures().join("chameleon")).unwrap();
    let roots: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("RootElement<") && l.contains("pub const"))
        .collect();
    assert_eq!(
        roots
            .iter()
            .filter(|l| l.contains("pub const DECLARATION:"))
            .count(),
        3,
        "{roots:#?}"
    );
    assert!(
        roots.iter().all(|l| !l.contains("_ELEMENT:")),
        "an element declared twice: {roots:#?}"
    );
    let module = |name: &str| {
        let start = text
            .find(&format!("pub mod {name} {{"))
            .unwrap_or_else(|| panic!("module {name} in {text}"));
        let rest = &text[start..];
        rest[..rest.find("\n}\n").unwrap_or(rest.len())].to_owned()
    };
    let password = module("password");
    let declaration = &password[password.find("pub struct DeclarationType {").unwrap()..];
    let declaration = &declaration[..declaration.find("\n    }").unwrap()];
    assert!(
        declaration.contains("pub id: Option<")
            && declaration.contains("pub identification: IdentificationType,")
            && !declaration.contains("pub note"),
        "{declaration}"
    );
}

/// Each refusal names the construct, the file, the line and the column.
#[test]
fn refusals_name_the_construct_and_where_it_is() {
    let cases: &[(&str, &str, (u32, u32), &str)] = &[
        (
            "not_namespace.xsd",
            "not_namespace.xsd",
            (9, 7),
            "a wildcard with notNamespace or notQName (XSD 1.1) (in type `Open`)",
        ),
        (
            "anonymous_restriction.xsd",
            "anonymous_restriction.xsd",
            (16, 9),
            "a complexContent restriction of `Base` in an anonymous type (in `Holder`)",
        ),
        (
            "all_repeated.xsd",
            "all_repeated.xsd",
            (7, 5),
            "an element occurring more than once inside xs:all (XSD 1.1) (in type `Bag`)",
        ),
        (
            "attribute_wildcards.xsd",
            "attribute_wildcards.xsd",
            (11, 5),
            "several xs:anyAttribute wildcards with different namespaces",
        ),
        // Inside a WSDL's inline schema: the place in the WSDL.
        (
            "inline.wsdl",
            "inline.wsdl",
            (12, 13),
            "a wildcard with notNamespace or notQName (XSD 1.1) (in element `Request`)",
        ),
    ];
    for (input, file, position, message) in cases {
        match generate(&fixtures().join("refused").join(input)) {
            Err(Error::Unsupported {
                location,
                message: m,
            }) => {
                assert_eq!(location.file, *file, "{input}");
                assert_eq!(location.position, Some(*position), "{input}: {m}");
                assert!(m.contains(message), "{input}: {m}");
                let shown = Error::Unsupported {
                    location,
                    message: m,
                }
                .to_string();
                assert!(
                    shown.starts_with(&format!(
                        "{file}:{}:{}: unsupported: ",
                        position.0, position.1
                    )),
                    "{shown}"
                );
            }
            other => panic!("{input}: expected a refusal, got {other:?}"),
        }
    }
}

/// The client stubs' refusals point at the WSDL element that cannot be bound, by line and column.
#[test]
fn client_refusals_name_the_wsdl_line_and_column() {
    let cases: &[(&str, (u32, u32), &str)] = &[
        (
            "two_body_parts.wsdl",
            (15, 3),
            "message `In` has 2 body parts",
        ),
        (
            "type_part.wsdl",
            (16, 5),
            "part `body` of message `In` uses `type=` (rpc style)",
        ),
        (
            "header_type_part.wsdl",
            (17, 5),
            "header part `address` uses `type=`",
        ),
        // rpc/literal with a part that names an element: the part.
        (
            "rpc_element_part.wsdl",
            (14, 27),
            "part `body` of message `In` uses `element=` in an rpc operation",
        ),
        // rpc/encoded: the binding operation.
        (
            "rpc_encoded.wsdl",
            (41, 5),
            "operation `Report` is rpc/encoded (use=\"encoded\", SOAP encoding)",
        ),
    ];
    for (input, position, message) in cases {
        let result = Builder::new()
            .input(fixtures().join("refused/client").join(input))
            .layout(Layout::SingleFile("out.rs".into()))
            .generate();
        match result {
            Err(Error::Unsupported {
                location,
                message: m,
            }) => {
                assert_eq!(location.file, *input, "{input}");
                assert_eq!(location.position, Some(*position), "{input}: {m}");
                assert!(m.contains(message), "{input}: {m}");
            }
            other => panic!("{input}: expected a refusal, got {other:?}"),
        }
        // Without the client, the same contract's types generate.
        Builder::new()
            .input(fixtures().join("refused/client").join(input))
            .layout(Layout::SingleFile("out.rs".into()))
            .client(false)
            .generate()
            .unwrap_or_else(|e| panic!("{input}: types only: {e}"));
    }
}

/// An rpc/encoded contract's types generate (only its client is refused, above).
#[test]
fn rpc_encoded_types_generate() {
    let files = Builder::new()
        .input(fixtures().join("refused/client/rpc_encoded.wsdl"))
        .layout(Layout::SingleFile("out.rs".into()))
        .client(false)
        .generate()
        .unwrap();
    let code = &files[0].contents;
    for item in [
        "pub struct Person",
        "pub personnummer: ::std::string::String,",
        "pub hours: Option<::elt_xml::Decimal>,",
        "pub type Month = ::elt_xml::Restricted<::std::string::String, MonthFacets>;",
    ] {
        assert!(code.contains(item), "{item} in\n{code}");
    }
}

/// The seven real-world cases generate (their code is compiled by `elt-feature-tests`).
#[test]
fn the_corpus_generates() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    for case in [
        "fk_shs_emottagning",
        "bolagsverket_ssbt",
        "cdyne_weather_asmx",
        "inera_riv_certificate_v3",
        "isdoc_6_0_2",
        "saml2",
        "skatteverket_kontrolluppgifter_8_0",
    ] {
        let text = generate(&corpus.join(case)).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert!(text.lines().count() > 100, "{case}");
    }
}

/// The runtime crates are reached under the names the builder is given (a crate that renames
/// its dependencies), and a name that is no Rust identifier is an error, not a panic.
#[test]
fn runtime_crate_names_are_configurable_and_checked() {
    let elt = Path::new(env!("CARGO_MANIFEST_DIR")).join("../wsdl/elt/ELT.zip");
    let files = Builder::new()
        .input(&elt)
        .layout(Layout::SingleFile("elt.rs".into()))
        .runtime_crate("my_xml")
        .soap_runtime_crate("my_soap")
        .generate()
        .unwrap();
    let code = &files[0].contents;
    assert!(code.contains("::my_xml::RootElement") && code.contains("::my_soap::Client"));
    assert!(!code.contains("::elt_xml::") && !code.contains("::elt_soap::"));
    for bad in ["elt-xml", "a::b", ""] {
        let e = Builder::new()
            .input(&elt)
            .soap_runtime_crate(bad)
            .generate()
            .unwrap_err();
        assert!(
            matches!(&e, Error::Input { message, .. } if message.contains("not a Rust identifier")),
            "{bad:?}: {e}"
        );
    }
}
