//! The Rust names `diff` and `inspect` report are the generated code's own, item by item.
//!
//! For each contract (ELT, every feature fixture, every visible corpus case), the generated
//! code is parsed with `syn` into an index of modules, items and their members (struct fields,
//! enum variants, methods). Then:
//! - every Rust path the diff model names (`rust`, `rust_type`, `rust_const`, `rust_module`,
//!   `rust_client`, `rust_methods`, `rust_faults`) resolves to an item or member of the kind
//!   it claims;
//! - every field of every struct the model names as a type, and every variant of every enum
//!   it names (enumerations, choices, faults, and the enums of union members, substitution
//!   groups and abstract types), is named by the model (except the fields the runtime adds for
//!   mixed text and attribute wildcards, which no schema particle names);
//! - every global element and namespace `inspect` reports has the same Rust names as the diff
//!   model.
//!
//! Shapes covered: sequences, choices, `xs:all` (the `all.xsd` fixture and the Skatteverket
//! case), nested groups, simple content, enumerations, unions, lists, substitution groups,
//! abstract types, attributes, wildcards, client stubs and fault enums.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use elt_codegen::diff::model::{
    Content, Contract, Group, Particle, SimpleDef, TypeDef, TypeKind, TypeRef,
};
use elt_codegen::{Builder, FileSet, Layout};

/// One generated item.
#[derive(Debug, Default)]
struct Item {
    kind: &'static str,
    /// Named fields of a struct, variants of an enum, functions of its inherent impls.
    members: BTreeSet<String>,
    fields: BTreeSet<String>,
    variants: BTreeSet<String>,
    /// The fields and variants that hold their value in a `Box` (optionally in an `Option`).
    boxed: BTreeSet<String>,
}

/// Whether a field's or variant's type is `Box<T>` or `Option<Box<T>>`.
fn is_boxed(ty: &syn::Type) -> bool {
    let syn::Type::Path(tp) = ty else {
        return false;
    };
    let Some(last) = tp.path.segments.last() else {
        return false;
    };
    match (last.ident.to_string().as_str(), &last.arguments) {
        ("Box", _) => true,
        ("Option", syn::PathArguments::AngleBracketed(a)) => a
            .args
            .iter()
            .any(|g| matches!(g, syn::GenericArgument::Type(t) if is_boxed(t))),
        _ => false,
    }
}

/// Generated code as `module::Item` → item; modules as a set.
#[derive(Debug, Default)]
struct Index {
    modules: BTreeSet<String>,
    items: BTreeMap<String, Item>,
}

impl Index {
    fn of(code: &str) -> Index {
        let file: syn::File = syn::parse_str(code).expect("generated code parses");
        let mut index = Index::default();
        index.walk(&file.items, "");
        index
    }

    fn walk(&mut self, items: &[syn::Item], module: &str) {
        let path = |name: &str| {
            if module.is_empty() {
                name.to_owned()
            } else {
                format!("{module}::{name}")
            }
        };
        for item in items {
            match item {
                syn::Item::Mod(m) => {
                    let p = path(&m.ident.to_string());
                    self.modules.insert(p.clone());
                    if let Some((_, inner)) = &m.content {
                        self.walk(inner, &p);
                    }
                }
                syn::Item::Struct(s) => {
                    let it = self.items.entry(path(&s.ident.to_string())).or_default();
                    it.kind = "struct";
                    if let syn::Fields::Named(f) = &s.fields {
                        for f in &f.named {
                            let n = f.ident.as_ref().unwrap().to_string();
                            if is_boxed(&f.ty) {
                                it.boxed.insert(n.clone());
                            }
                            it.fields.insert(n.clone());
                            it.members.insert(n);
                        }
                    }
                }
                syn::Item::Enum(e) => {
                    let it = self.items.entry(path(&e.ident.to_string())).or_default();
                    it.kind = "enum";
                    for v in &e.variants {
                        if let syn::Fields::Unnamed(f) = &v.fields
                            && f.unnamed.iter().any(|f| is_boxed(&f.ty))
                        {
                            it.boxed.insert(v.ident.to_string());
                        }
                        it.variants.insert(v.ident.to_string());
                        it.members.insert(v.ident.to_string());
                    }
                }
                syn::Item::Type(t) => {
                    self.items
                        .entry(path(&t.ident.to_string()))
                        .or_default()
                        .kind = "type";
                }
                syn::Item::Const(c) => {
                    self.items
                        .entry(path(&c.ident.to_string()))
                        .or_default()
                        .kind = "const";
                }
                syn::Item::Impl(i) if i.trait_.is_none() => {
                    if let syn::Type::Path(tp) = &*i.self_ty {
                        let name = tp.path.segments.last().unwrap().ident.to_string();
                        let it = self.items.entry(path(&name)).or_default();
                        for f in &i.items {
                            if let syn::ImplItem::Fn(f) = f {
                                it.members.insert(f.sig.ident.to_string());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn item(&self, path: &str) -> Option<&Item> {
        self.items.get(path).filter(|i| !i.kind.is_empty())
    }

    /// Whether member `module::Type::member` holds its value in a `Box`.
    fn boxed(&self, path: &str) -> bool {
        path.rsplit_once("::")
            .and_then(|(owner, m)| self.item(owner).map(|i| i.boxed.contains(m)))
            .unwrap_or(false)
    }

    /// `module::Type::member` resolves.
    fn member(&self, path: &str) -> bool {
        path.rsplit_once("::")
            .and_then(|(owner, m)| self.item(owner).map(|i| i.members.contains(m)))
            .unwrap_or(false)
    }
}

/// The Rust paths one contract's model names, with what each must be.
#[derive(Default)]
struct Claims {
    modules: BTreeSet<String>,
    items: BTreeSet<String>,
    members: BTreeSet<String>,
    /// Struct → the fields the model names in it.
    fields_of: BTreeMap<String, BTreeSet<String>>,
    /// Enum → the variants the model names in it.
    variants_of: BTreeMap<String, BTreeSet<String>>,
    /// Client structs: their fields are the runtime's (the SOAP client), not the schema's.
    clients: BTreeSet<String>,
    /// Element fields and variants → whether the model says they are boxed.
    boxed: BTreeMap<String, bool>,
}

impl Claims {
    fn member(&mut self, path: &Option<String>) {
        if let Some(p) = path {
            self.members.insert(p.clone());
            if let Some((owner, m)) = p.rsplit_once("::") {
                self.fields_of
                    .entry(owner.to_owned())
                    .or_default()
                    .insert(m.to_owned());
                self.variants_of
                    .entry(owner.to_owned())
                    .or_default()
                    .insert(m.to_owned());
            }
        }
    }

    fn item(&mut self, path: &Option<String>) {
        // Built-in Rust types (`i64`, `::std::string::String`, `Vec<u8>`, ...) are not
        // generated items; generated ones are `module::Name`.
        if let Some(p) = path
            .as_ref()
            .filter(|p| !p.starts_with("::") && !p.contains('<') && p.contains("::"))
        {
            self.items.insert(p.clone());
        }
    }

    fn of(c: &Contract) -> Claims {
        let mut out = Claims::default();
        for ns in c.namespaces.values() {
            if let Some(m) = &ns.rust_module {
                out.modules.insert(m.clone());
            }
        }
        for p in c.services.values().flat_map(|s| s.ports.values()) {
            out.item(&p.rust_client);
            out.clients.extend(p.rust_client.clone());
        }
        for op in c.operations.values() {
            for m in &op.rust_methods {
                out.members.insert(m.clone());
            }
            for v in op.rust_faults.values() {
                out.member(&Some(v.clone()));
            }
        }
        for e in c.elements.values() {
            out.item(&e.rust_type);
            out.item(&e.rust_const);
            out.type_ref(&e.type_ref);
        }
        for t in c.types.values() {
            out.typedef(t);
        }
        out
    }

    fn type_ref(&mut self, r: &TypeRef) {
        if let TypeRef::Inline { def } = r {
            self.typedef(def);
        }
    }

    fn typedef(&mut self, t: &TypeDef) {
        self.item(&t.rust);
        // The variants of union, substitution-group and abstract-type enums; the enum is the
        // type's own item, or a union's enum of member types beside it.
        for v in t.rust_variants.values() {
            self.item(&v.rsplit_once("::").map(|(owner, _)| owner.to_owned()));
            self.member(&Some(v.clone()));
        }
        match &t.kind {
            TypeKind::Complex(c) => {
                for a in c.attributes.values() {
                    self.member(&a.rust);
                    self.type_ref(&a.type_ref);
                }
                match &c.content {
                    Content::Empty => {}
                    Content::Simple { type_ref, rust } => {
                        self.member(rust);
                        self.type_ref(type_ref);
                    }
                    Content::Particles(g) => self.group(g),
                }
            }
            TypeKind::Simple(SimpleDef {
                base, enumeration, ..
            }) => {
                self.type_ref(base);
                for v in enumeration.iter().flat_map(|e| e.values()) {
                    self.member(&v.rust);
                }
            }
            TypeKind::Union { members } => members.iter().for_each(|m| self.type_ref(m)),
            TypeKind::Abstract { .. } => {}
        }
    }

    fn group(&mut self, g: &Group) {
        self.item(&g.rust_type);
        self.member(&g.rust);
        for p in &g.particles {
            match p {
                Particle::Element(e) => {
                    self.member(&e.rust);
                    if let Some(p) = &e.rust {
                        self.boxed.insert(p.clone(), e.rust_boxed);
                    }
                    self.type_ref(&e.type_ref);
                }
                Particle::Group(g) => self.group(g),
                Particle::Any(a) => self.member(&a.rust),
            }
        }
    }
}

/// Fields the runtime adds that no schema particle or attribute names.
const RUNTIME_FIELDS: &[&str] = &["text", "any_attributes"];

fn check(name: &str, set: &FileSet, files: &[elt_codegen::GeneratedFile]) -> usize {
    assert_eq!(files.len(), 1, "{name}: one file");
    let index = Index::of(&files[0].contents);
    let model = elt_codegen::diff::model_of(set).unwrap_or_else(|e| panic!("{name}: {e}"));
    let claims = Claims::of(&model);
    let mut errors = Vec::new();
    for m in &claims.modules {
        if !index.modules.contains(m) {
            errors.push(format!("module {m} is not generated"));
        }
    }
    for p in &claims.items {
        if index.item(p).is_none() {
            errors.push(format!("item {p} is not generated"));
        }
    }
    for p in &claims.members {
        if !index.member(p) {
            errors.push(format!("member {p} is not generated"));
        }
    }
    // The other way: the members of each struct and enum the model names are all named.
    for p in &claims.items {
        let Some(item) = index.item(p) else { continue };
        if item.kind == "struct" && !claims.clients.contains(p) {
            let named = claims.fields_of.get(p).cloned().unwrap_or_default();
            for f in &item.fields {
                if !named.contains(f) && !RUNTIME_FIELDS.contains(&f.as_str()) {
                    errors.push(format!("field {p}::{f} is named by no model item"));
                }
            }
        }
        if item.kind == "enum" {
            // Every variant is an enumeration value, a particle, a fault, or a member type or
            // element of a union, substitution group or abstract type.
            let named = claims.variants_of.get(p).cloned().unwrap_or_default();
            for v in &item.variants {
                if !named.contains(v) {
                    errors.push(format!("variant {p}::{v} is named by no model item"));
                }
            }
        }
    }
    // Boxing: the model says which element fields and variants hold a `Box`, as generated.
    for (p, boxed) in &claims.boxed {
        if index.member(p) && index.boxed(p) != *boxed {
            errors.push(format!(
                "member {p}: the model says boxed={boxed}, the code says boxed={}",
                index.boxed(p)
            ));
        }
    }
    // `inspect` reports the same element and namespace names.
    let inspection = elt_codegen::inspect::inspect(set).unwrap_or_else(|e| panic!("{name}: {e}"));
    for (key, e) in &model.elements {
        let reported = inspection
            .elements
            .get(&key.to_string())
            .map(|(t, c)| (t.clone(), c.clone()));
        let modelled = e.rust_type.clone().zip(e.rust_const.clone());
        if reported != modelled {
            errors.push(format!(
                "element {key}: inspect says {reported:?}, diff says {modelled:?}"
            ));
        }
    }
    for (uri, ns) in &model.namespaces {
        if inspection.namespaces.get(uri) != ns.rust_module.as_ref() {
            errors.push(format!(
                "namespace {uri}: inspect says {:?}, diff says {:?}",
                inspection.namespaces.get(uri),
                ns.rust_module
            ));
        }
    }
    assert!(
        errors.is_empty(),
        "{name}: {} names differ:\n{}",
        errors.len(),
        errors.join("\n")
    );
    claims.members.len() + claims.items.len()
}

fn generate(input: &Path) -> (FileSet, Vec<elt_codegen::GeneratedFile>) {
    let set = FileSet::read(input).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
    let files = Builder::new()
        .input(input)
        .layout(Layout::SingleFile("all.rs".into()))
        .generate()
        .unwrap_or_else(|e| panic!("{}: {e}", input.display()));
    (set, files)
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn elt_names_are_the_generated_ones() {
    let (set, files) = generate(&workspace().join("wsdl/elt/ELT.zip"));
    let n = check("ELT.zip", &set, &files);
    assert!(n > 60, "only {n} names checked");
}

#[test]
fn feature_fixture_names_are_the_generated_ones() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/features");
    let mut checked = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "xsd") {
            let (set, files) = generate(&path);
            check(&path.display().to_string(), &set, &files);
            checked.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    // The shapes this test exists for are among them.
    for shape in [
        "all.xsd",
        "substitution.xsd",
        "union.xsd",
        "list.xsd",
        "mixed.xsd",
    ] {
        assert!(checked.iter().any(|c| c == shape), "{shape}: {checked:?}");
    }
}

#[test]
fn names_with_reserved_and_colliding_spellings_are_the_generated_ones() {
    // Element and attribute names that collide with the generated code's locals (`c`, `s`,
    // `node`) and with each other once converted to Rust.
    let xsd = r#"<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:names"
           targetNamespace="urn:names" elementFormDefault="qualified">
  <xs:complexType name="Locals">
    <xs:sequence>
      <xs:element name="c" type="xs:string"/>
      <xs:element name="s" type="xs:string"/>
      <xs:element name="node" type="xs:string"/>
      <xs:element name="Node" type="xs:string"/>
    </xs:sequence>
    <xs:attribute name="node" type="xs:string"/>
    <xs:attribute name="c" type="xs:int"/>
  </xs:complexType>
  <xs:complexType name="AllLocals">
    <xs:all>
      <xs:element name="s" type="xs:string"/>
      <xs:element name="value" type="xs:string" minOccurs="0"/>
    </xs:all>
  </xs:complexType>
  <xs:complexType name="Repeated">
    <xs:sequence maxOccurs="unbounded">
      <xs:element name="a" type="xs:string"/>
      <xs:element name="b" type="xs:string"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="OptionalAll">
    <xs:all minOccurs="0">
      <xs:element name="x" type="xs:string"/>
    </xs:all>
  </xs:complexType>
  <xs:element name="locals" type="tns:Locals"/>
  <xs:element name="allLocals" type="tns:AllLocals"/>
  <xs:element name="repeated" type="tns:Repeated"/>
  <xs:element name="optionalAll" type="tns:OptionalAll"/>
</xs:schema>"#;
    let dir = std::env::temp_dir().join(format!("elt-names-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("names.xsd");
    std::fs::write(&path, xsd).unwrap();
    let (set, files) = generate(&path);
    check("names.xsd", &set, &files);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn names_claimed_across_items_and_clients_are_the_generated_ones() {
    // Names that only come out right when every name of a module is claimed once, in one
    // order: a nillable element's alias (`SendFault`) taken before the fault enum of operation
    // `Send` wants it, and an element called `any_attributes` in a type whose attribute wildcard
    // field is claimed first.
    let xsd = r###"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:clash"
           targetNamespace="urn:clash" elementFormDefault="qualified">
      <xs:complexType name="Open">
        <xs:sequence>
          <xs:element name="any_attributes" type="xs:string"/>
          <xs:element name="text" type="xs:string"/>
        </xs:sequence>
        <xs:anyAttribute namespace="##other" processContents="lax"/>
      </xs:complexType>
      <xs:element name="send" type="tns:Open"/>
      <xs:element name="sendResponse" type="xs:string"/>
      <xs:element name="SendFault" type="xs:string" nillable="true"/>
      <xs:element name="refused" type="xs:string"/>
    </xs:schema>"###;
    let wsdl = format!(
        r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
           xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="urn:clash"
           targetNamespace="urn:clash" name="Clash">
      <wsdl:types>{xsd}</wsdl:types>
      <wsdl:message name="in"><wsdl:part name="p" element="tns:send"/></wsdl:message>
      <wsdl:message name="out"><wsdl:part name="p" element="tns:sendResponse"/></wsdl:message>
      <wsdl:message name="err"><wsdl:part name="p" element="tns:refused"/></wsdl:message>
      <wsdl:portType name="Port">
        <wsdl:operation name="Send">
          <wsdl:input message="tns:in"/><wsdl:output message="tns:out"/>
          <wsdl:fault name="Refused" message="tns:err"/>
        </wsdl:operation>
      </wsdl:portType>
      <wsdl:binding name="Binding" type="tns:Port">
        <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
        <wsdl:operation name="Send">
          <soap:operation soapAction="urn:clash:send"/>
          <wsdl:input><soap:body use="literal"/></wsdl:input>
          <wsdl:output><soap:body use="literal"/></wsdl:output>
          <wsdl:fault name="Refused"><soap:fault name="Refused" use="literal"/></wsdl:fault>
        </wsdl:operation>
      </wsdl:binding>
      <wsdl:service name="Service">
        <wsdl:port name="Main" binding="tns:Binding">
          <soap:address location="https://example.invalid/clash"/>
        </wsdl:port>
      </wsdl:service>
    </wsdl:definitions>"#
    );
    let dir = std::env::temp_dir().join(format!("elt-clash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("clash.wsdl");
    std::fs::write(&path, wsdl).unwrap();
    let (set, files) = generate(&path);
    check("clash.wsdl", &set, &files);
    // The collisions happened: the fault enum and the content field took suffixed names.
    let model = elt_codegen::diff::model_of(&set).unwrap();
    let fault = &model.operations.values().next().unwrap().rust_faults["Refused"];
    assert!(fault.contains("SendFaultEnum::"), "{fault}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn corpus_names_are_the_generated_ones() {
    let Some(cases) = common::corpus_cases() else {
        return;
    };
    for case in &cases {
        let (set, files) = generate(case);
        check(&case.display().to_string(), &set, &files);
    }
}
