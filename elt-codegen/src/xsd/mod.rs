//! The XSD side: gathers every schema in the input (files and schemas inside WSDLs), links them,
//! and runs `xsd-parser`'s parser and interpreter over them from memory.
//!
//! Two fixes make real WSDLs load: an `xs:import` with a namespace but no `schemaLocation` is
//! pointed at a schema of that namespace in the set, and schemas taken out of `<wsdl:types>`
//! carry the namespace declarations in scope on them (see `wsdl::extract_schema`).

mod attributes;
pub(crate) mod engine;
pub(crate) mod links;
pub(crate) mod patterns;
pub(crate) mod redefine;
pub(crate) mod wildcards;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use url::Url;
use xsd_parser::config::Namespace;
use xsd_parser::models::meta::CustomMeta;
use xsd_parser::pipeline::parser::resolver::{
    ResolveRequest, ResolveRequestType, ResolveResult, Resolver,
};
use xsd_parser::{Interpreter, MetaTypes, Parser, TypeIdent};

use crate::error::{Error, Location, Result};
use crate::input::{FileSet, resolve_relative};
use crate::wsdl::{self, Definitions};
use crate::xml::XS_NS;

/// URL root under which the in-memory files are served to `xsd-parser`.
pub(crate) const ROOT_URL: &str = "file:///contract/";

/// One schema document: a file, or a schema inside a WSDL.
#[derive(Debug, Clone)]
pub struct SchemaDoc {
    /// Path in the set; for an inline schema `<wsdl path>.types<N>.xsd`, beside the WSDL so
    /// that its relative locations resolve as they would from the WSDL.
    pub path: String,
    /// Text, with location-less imports linked.
    pub text: String,
    /// `targetNamespace`.
    pub target_namespace: Option<String>,
    /// For inline schemas: the WSDL and the schema's line/column there.
    pub inline_in: Option<(String, (u32, u32))>,
    /// True for an inline schema that only imports or includes.
    pub only_references: bool,
    /// Paths this schema imports, includes or redefines.
    pub references: Vec<String>,
    /// `xs:import`s to link to the set by their namespace: those without `schemaLocation`, and
    /// those whose location is outside the contract.
    unlinked_imports: Vec<UnlinkedImport>,
    /// Declarations and references, for the link check.
    pub(crate) links: self::links::LinkInfo,
    /// The pattern steps of the named simple types declared here.
    pub(crate) pattern_steps: Vec<((Option<String>, String), self::patterns::PatternSteps)>,
    /// The element wildcards of the named complex types declared here.
    pub(crate) wildcards: Vec<(self::wildcards::TypeKey, self::wildcards::Wildcards)>,
}

/// An `xs:import` that names its namespace but no file of the contract.
#[derive(Debug, Clone)]
struct UnlinkedImport {
    namespace: String,
    /// Where the import is, for the error when nothing in the set declares the namespace.
    location: Location,
    edit: ImportEdit,
}

/// How an import is pointed at the file of its namespace.
#[derive(Debug, Clone)]
enum ImportEdit {
    /// No `schemaLocation`: one is inserted at this offset (after the element's name).
    Insert(usize),
    /// A `schemaLocation` outside the contract (`http://www.w3.org/2001/xml.xsd`, the
    /// publisher's web address of a schema the zip also holds): its value, at this range, is
    /// replaced. A schema location is a hint (XML Schema Part 1, 4.3.2), and the contract is
    /// read offline, so the namespace decides.
    Replace(std::ops::Range<usize>, String),
}

impl ImportEdit {
    fn offset(&self) -> usize {
        match self {
            ImportEdit::Insert(at) => *at,
            ImportEdit::Replace(range, _) => range.start,
        }
    }
}

/// Where the schema of the XML namespace (`xml:lang`, `xml:space`, `xml:base`, `xml:id`) is
/// served from when a contract uses it without carrying it, as most import it from w3.org.
pub const BUILTIN_XML_SCHEMA_PATH: &str = "elt-builtin/xml.xsd";

/// The schema of the XML namespace, as the W3C publishes it (2009 edition) without its
/// documentation.
const BUILTIN_XML_SCHEMA: &str = r#"<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
    targetNamespace="http://www.w3.org/XML/1998/namespace" xml:lang="en">
  <xs:attribute name="lang">
    <xs:simpleType>
      <xs:union memberTypes="xs:language">
        <xs:simpleType>
          <xs:restriction base="xs:string">
            <xs:enumeration value=""/>
          </xs:restriction>
        </xs:simpleType>
      </xs:union>
    </xs:simpleType>
  </xs:attribute>
  <xs:attribute name="space">
    <xs:simpleType>
      <xs:restriction base="xs:NCName">
        <xs:enumeration value="default"/>
        <xs:enumeration value="preserve"/>
      </xs:restriction>
    </xs:simpleType>
  </xs:attribute>
  <xs:attribute name="base" type="xs:anyURI"/>
  <xs:attribute name="id" type="xs:ID"/>
  <xs:attributeGroup name="specialAttrs">
    <xs:attribute ref="xml:base"/>
    <xs:attribute ref="xml:lang"/>
    <xs:attribute ref="xml:space"/>
    <xs:attribute ref="xml:id"/>
  </xs:attributeGroup>
</xs:schema>
"#;

/// The contract as loaded: WSDLs, schema documents, and the interpreted types.
pub struct Loaded {
    /// Parsed WSDLs, by path.
    pub wsdls: Vec<Definitions>,
    /// Schema documents, by path.
    pub schemas: BTreeMap<String, SchemaDoc>,
    /// Schema documents fed to `xsd-parser` as entry points.
    pub roots: Vec<String>,
    /// The interpreted types.
    pub types: MetaTypes,
    /// What the renderer reads from the schema texts themselves.
    pub(crate) source: SourceFacts,
}

/// What the renderer reads from the schema texts, where `xsd-parser`'s model has lost it.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceFacts {
    /// The pattern steps of every named simple type (see `patterns`).
    pub pattern_steps: self::patterns::PatternMap,
    /// The element wildcards of every named complex type (see `wildcards`).
    pub wildcards: self::wildcards::WildcardMap,
    /// Where each named component is declared.
    pub declarations: self::links::Declarations,
}

impl std::fmt::Debug for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaded")
            .field("wsdls", &self.wsdls.len())
            .field("schemas", &self.schemas.keys().collect::<Vec<_>>())
            .field("roots", &self.roots)
            .finish()
    }
}

/// Every WSDL in the set, and every schema document (files and inline).
pub fn collect(files: &FileSet) -> Result<(Vec<Definitions>, BTreeMap<String, SchemaDoc>)> {
    let mut wsdls = Vec::new();
    let mut docs = BTreeMap::new();
    for (path, _) in files.files() {
        let text = files.text(path)?;
        if is_wsdl_file(path, text) {
            let defs = wsdl::parse(path, text)?;
            for s in &defs.schemas {
                let vpath = format!("{path}.types{}.xsd", s.index);
                let mut doc =
                    scan_schema(&vpath, &s.text).map_err(|e| relocate(e, path, s.position))?;
                doc.inline_in = Some((path.to_owned(), s.position));
                doc.only_references = s.only_references;
                docs.insert(vpath, doc);
            }
            wsdls.push(defs);
        } else {
            docs.insert(path.to_owned(), scan_schema(path, text)?);
        }
    }
    let xml_ns = crate::xml::XML_NS;
    let uses_xml_ns = docs.values().any(|d| {
        d.links.refers_to(xml_ns) || d.unlinked_imports.iter().any(|i| i.namespace == xml_ns)
    });
    let declares_xml_ns = docs
        .values()
        .any(|d| d.target_namespace.as_deref() == Some(xml_ns));
    if uses_xml_ns && !declares_xml_ns && !docs.contains_key(BUILTIN_XML_SCHEMA_PATH) {
        docs.insert(
            BUILTIN_XML_SCHEMA_PATH.to_owned(),
            scan_schema(BUILTIN_XML_SCHEMA_PATH, BUILTIN_XML_SCHEMA)?,
        );
    }
    Ok((wsdls, docs))
}

/// Whether a file of the set is a WSDL: by its extension, or, for a file without a contract
/// extension (read because a location names it), by its root element.
fn is_wsdl_file(path: &str, text: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".wsdl") || (!lower.ends_with(".xsd") && wsdl::is_wsdl(text))
}

/// Errors inside an inline schema point into the WSDL: shift line numbers by the schema's place.
fn relocate(e: Error, wsdl: &str, at: (u32, u32)) -> Error {
    let shift = |loc: Location| Location {
        file: wsdl.to_owned(),
        position: loc
            .position
            .map(|(l, c)| (l + at.0 - 1, if l == 1 { c + at.1 - 1 } else { c })),
    };
    match e {
        Error::Syntax { location, message } => Error::Syntax {
            location: shift(location),
            message,
        },
        Error::Unresolved { location, message } => Error::Unresolved {
            location: shift(location),
            message,
        },
        Error::Unsupported { location, message } => Error::Unsupported {
            location: shift(location),
            message,
        },
        other => other,
    }
}

fn scan_schema(path: &str, text: &str) -> Result<SchemaDoc> {
    // The W3C xmldsig schema carries an internal DTD subset, so a DTD is allowed here; its
    // entity expansion is capped, external entities are never fetched, and size and nesting
    // depth are capped before parsing (see `xml::parse_xml`).
    let doc = crate::xml::parse_xml(path, text, true)?;
    let root = doc.root_element();
    let positions = crate::xml::Positions::new(text);
    let loc = |n: roxmltree::Node<'_, '_>| Location {
        file: path.to_owned(),
        position: Some(positions.of(n)),
    };
    if root.tag_name().namespace() != Some(XS_NS) || root.tag_name().name() != "schema" {
        return Err(Error::Syntax {
            location: loc(root),
            message: format!(
                "expected <xs:schema> in namespace {XS_NS}, found <{}>",
                root.tag_name().name()
            ),
        });
    }
    let mut references = Vec::new();
    let mut unlinked_imports = Vec::new();
    for n in root
        .children()
        .filter(|n| n.is_element() && n.tag_name().namespace() == Some(XS_NS))
    {
        let kind = n.tag_name().name();
        if !matches!(kind, "import" | "include" | "redefine" | "override") {
            continue;
        }
        let namespace = n.attribute("namespace").filter(|_| kind == "import");
        match (n.attribute_node("schemaLocation"), namespace) {
            (None, Some(ns)) => {
                let start = n.range().start;
                let tag_len = text[start + 1..]
                    .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
                    .map(|i| i + 1)
                    .unwrap_or(0);
                unlinked_imports.push(UnlinkedImport {
                    namespace: ns.to_owned(),
                    location: loc(n),
                    edit: ImportEdit::Insert(start + tag_len),
                });
            }
            (None, None) => {}
            (Some(attr), namespace) => match resolve_relative(path, attr.value()) {
                Some(target) => references.push(target),
                // Outside the contract: an import is linked by its namespace (or refused
                // then, when nothing in the set declares it); an include or redefine has no
                // namespace to go by.
                None => match namespace {
                    Some(ns) => unlinked_imports.push(UnlinkedImport {
                        namespace: ns.to_owned(),
                        location: loc(n),
                        edit: ImportEdit::Replace(attr.range_value(), attr.value().to_owned()),
                    }),
                    None => return Err(outside_contract(loc(n), kind, attr.value())),
                },
            },
        }
    }
    let target_namespace = root.attribute("targetNamespace");
    Ok(SchemaDoc {
        path: path.to_owned(),
        text: text.to_owned(),
        target_namespace: target_namespace.map(str::to_owned),
        inline_in: None,
        only_references: false,
        references,
        unlinked_imports,
        links: self::links::scan(&doc),
        pattern_steps: self::patterns::scan(root, target_namespace),
        wildcards: self::wildcards::scan(root, target_namespace),
    })
}

/// The error for a schema location outside the contract that cannot be linked.
fn outside_contract(location: Location, kind: &str, schema_location: &str) -> Error {
    let why = if kind == "import" {
        ", and no schema in it declares that namespace"
    } else {
        ""
    };
    Error::Unresolved {
        location,
        message: format!(
            "xs:{kind} schemaLocation={schema_location:?} points outside the contract{why}; \
             only files inside the zip or folder are read"
        ),
    }
}

/// Points every `xs:import` that names no file of the contract at a schema of its namespace in
/// the set (a file first, in path order; else an inline schema that declares something): one
/// without `schemaLocation` gets one, one whose location is outside the contract gets it
/// replaced. Imports without `schemaLocation` of namespaces nobody in the set defines are left
/// alone; one with an outside location is refused then.
fn link_imports(docs: &mut BTreeMap<String, SchemaDoc>) -> Result<()> {
    let mut by_ns: BTreeMap<String, String> = BTreeMap::new();
    for pass_inline in [false, true] {
        for d in docs.values() {
            if d.inline_in.is_some() != pass_inline || (pass_inline && d.only_references) {
                continue;
            }
            if let Some(ns) = &d.target_namespace {
                by_ns.entry(ns.clone()).or_insert_with(|| d.path.clone());
            }
        }
    }
    // Include-only inline wrappers: their namespace resolves to the files they include.
    for d in docs.values() {
        if d.only_references
            && let Some(ns) = &d.target_namespace
            && let Some(first) = d.references.first()
        {
            by_ns.entry(ns.clone()).or_insert_with(|| first.clone());
        }
    }
    for d in docs.values_mut() {
        let mut imports = std::mem::take(&mut d.unlinked_imports);
        // Edit from the end, so earlier offsets stay valid.
        imports.sort_by_key(|i| std::cmp::Reverse(i.edit.offset()));
        for import in imports {
            let target = by_ns.get(&import.namespace).filter(|t| **t != d.path);
            match (&import.edit, target) {
                (ImportEdit::Insert(at), Some(target)) => {
                    d.text
                        .insert_str(*at, &format!(" schemaLocation=\"{ROOT_URL}{target}\""));
                    d.references.push(target.clone());
                }
                (ImportEdit::Insert(_), None) => {}
                (ImportEdit::Replace(range, original), Some(target)) => {
                    let url = format!("{ROOT_URL}{target}");
                    d.text.replace_range(range.clone(), &url);
                    d.links.relink(original, &url);
                    d.references.push(target.clone());
                }
                (ImportEdit::Replace(_, original), None) => {
                    return Err(outside_contract(import.location, "import", original));
                }
            }
        }
    }
    Ok(())
}

/// Entry points: every schema no other schema references. An include-only inline schema is
/// replaced by what it references (it declares nothing, and its location-less imports are
/// already linked elsewhere).
fn roots(docs: &BTreeMap<String, SchemaDoc>) -> Vec<String> {
    let referenced: BTreeSet<&str> = docs
        .values()
        .flat_map(|d| d.references.iter().map(String::as_str))
        .collect();
    let mut out = BTreeSet::new();
    for d in docs.values() {
        if d.only_references {
            for r in &d.references {
                if docs.contains_key(r) {
                    out.insert(r.clone());
                }
            }
        } else if !referenced.contains(d.path.as_str()) {
            out.insert(d.path.clone());
        }
    }
    // Schemas no entry point reaches: an import or include cycle that nothing outside it
    // references (every member is referenced, so none is an entry point above). The first of
    // each such group, by path, becomes an entry point, so that nothing is silently dropped.
    fn reach<'d>(
        docs: &'d BTreeMap<String, SchemaDoc>,
        from: &str,
        reached: &mut BTreeSet<&'d str>,
    ) {
        let mut stack = vec![from.to_owned()];
        while let Some(p) = stack.pop() {
            let Some((key, d)) = docs.get_key_value(p.as_str()) else {
                continue;
            };
            if reached.insert(key.as_str()) {
                stack.extend(d.references.iter().cloned());
            }
        }
    }
    let mut reached: BTreeSet<&str> = BTreeSet::new();
    for r in &out {
        reach(docs, r, &mut reached);
    }
    for d in docs.values() {
        if !d.only_references && !reached.contains(d.path.as_str()) {
            out.insert(d.path.clone());
            reach(docs, &d.path, &mut reached);
        }
    }
    out.into_iter().collect()
}

/// Serves the set's schema documents to `xsd-parser`.
#[derive(Debug)]
struct MemoryResolver {
    docs: BTreeMap<String, String>,
    /// Schemas without a `targetNamespace`: included, they take their includer's namespace.
    chameleons: BTreeSet<String>,
}

impl Resolver for MemoryResolver {
    type Buffer = Cursor<Vec<u8>>;
    type Error = String;

    fn resolve(&mut self, req: &ResolveRequest) -> ResolveResult<Self> {
        let base = req
            .current_location
            .clone()
            .unwrap_or_else(|| Url::parse(ROOT_URL).expect("constant URL parses"));
        let url = base
            .join(&req.requested_location)
            .map_err(|e| format!("bad schema location {:?}: {e}", req.requested_location))?;
        let Some(path) = url.as_str().strip_prefix(ROOT_URL) else {
            return Err(format!(
                "{} refers to {url}, outside the contract; only files in the input are read",
                req.current_location
                    .as_ref()
                    .map(|u| u.as_str().trim_start_matches(ROOT_URL))
                    .unwrap_or("input"),
            ));
        };
        let path = path.split('#').next().unwrap_or(path).to_owned();
        // The engine reads each location once, and a schema without a namespace included by
        // schemas of two namespaces (the SAML authentication context classes each redefine one
        // such types schema) must be read once per namespace: its components are declared
        // again in each. The includer's namespace goes into the location's fragment.
        let mut url = url;
        if req.request_type == ResolveRequestType::IncludeRequest
            && self.chameleons.contains(&path)
            && let Some(ns) = &req.current_ns
        {
            url.set_fragment(Some(&format!("elt-chameleon-in={ns}")));
        }
        match self.docs.get(&path) {
            Some(text) => Ok(Some((
                Some(path),
                url,
                Cursor::new(text.clone().into_bytes()),
            ))),
            None => Err(format!(
                "{} refers to {path:?}, which is not in the input",
                req.current_location
                    .as_ref()
                    .map(|u| u.as_str().trim_start_matches(ROOT_URL))
                    .unwrap_or("input"),
            )),
        }
    }
}

/// The URI of namespace `id` in the engine's output (`None` for no namespace).
/// True for the XSD built-in types as the engine gives them (built-ins, and anything in the XML
/// Schema namespace): they become Rust types, not items.
pub(crate) fn is_builtin(types: &MetaTypes, ident: &TypeIdent) -> bool {
    ident.type_ == xsd_parser::IdentType::BuildIn
        || namespace_uri(types, ident.ns).as_deref() == Some(crate::xml::XS_NS)
}

pub(crate) fn namespace_uri(
    types: &MetaTypes,
    id: xsd_parser::models::schema::NamespaceId,
) -> Option<String> {
    types
        .modules
        .get(&id)
        .and_then(|m| m.namespace.as_ref())
        .map(|n| String::from_utf8_lossy(&n.0).into_owned())
}

/// [`namespace_uri`] of every namespace of the engine's output.
pub(crate) fn namespace_uris(
    types: &MetaTypes,
) -> BTreeMap<xsd_parser::models::schema::NamespaceId, Option<String>> {
    types
        .modules
        .keys()
        .map(|id| (*id, namespace_uri(types, *id)))
        .collect()
}

/// XSD built-in types, kept by name (rather than mapped to Rust types by `xsd-parser`) so the
/// renderer knows `xs:token` from `xs:string` and `xs:date` from text.
pub const XS_BUILTINS: &[&str] = &[
    "anySimpleType",
    "string",
    "normalizedString",
    "token",
    "language",
    "Name",
    "NCName",
    "ID",
    "IDREF",
    "IDREFS",
    "ENTITY",
    "ENTITIES",
    "NMTOKEN",
    "NMTOKENS",
    "QName",
    "NOTATION",
    "anyURI",
    "boolean",
    "decimal",
    "integer",
    "nonPositiveInteger",
    "negativeInteger",
    "long",
    "int",
    "short",
    "byte",
    "nonNegativeInteger",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
    "positiveInteger",
    "float",
    "double",
    "duration",
    "dateTime",
    "time",
    "date",
    "gYearMonth",
    "gYear",
    "gMonthDay",
    "gDay",
    "gMonth",
    "hexBinary",
    "base64Binary",
    "anyType",
];

/// Reads the set: WSDLs, schemas, links, then `xsd-parser`'s parser and interpreter.
pub fn load(files: &FileSet) -> Result<Loaded> {
    let (wsdls, mut docs) = collect(files)?;
    link_imports(&mut docs)?;
    self::links::check(&docs)?;
    let roots = roots(&docs);
    let resolver = MemoryResolver {
        docs: docs
            .iter()
            .map(|(k, v)| (k.clone(), v.text.clone()))
            .collect(),
        chameleons: docs
            .values()
            .filter(|d| d.target_namespace.is_none())
            .map(|d| d.path.clone())
            .collect(),
    };
    let types =
        catch_unwind(AssertUnwindSafe(|| run_engine(resolver, &roots))).map_err(|p| {
            Error::EnginePanic {
                message: p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_else(|| "unknown panic".into()),
            }
        })??;
    let source = SourceFacts {
        pattern_steps: docs
            .values()
            .flat_map(|d| d.pattern_steps.iter().cloned())
            .collect(),
        wildcards: docs
            .values()
            .flat_map(|d| d.wildcards.iter().cloned())
            .collect(),
        declarations: self::links::Declarations::of(&docs),
    };
    Ok(Loaded {
        wsdls,
        source,
        schemas: docs,
        roots,
        types,
    })
}

fn run_engine(resolver: MemoryResolver, roots: &[String]) -> Result<MetaTypes> {
    let schema_err = |m: String| Error::Schema { message: m };
    // The texts, for positions in refusals (kept in the types, see `engine::finish`).
    let sources = resolver.docs.clone();
    let mut parser = Parser::new()
        .with_resolver(resolver)
        .resolve_includes(true)
        .with_default_namespaces();
    for root in roots {
        let url =
            Url::parse(&format!("{ROOT_URL}{root}")).map_err(|e| schema_err(e.to_string()))?;
        parser = parser
            .add_schema_from_url(url)
            .map_err(|e| schema_err(e.to_string()))?;
    }
    let mut schemas = parser.finish();
    // Corrections to the parsed schemas before interpretation (complexContent restriction,
    // extension of choices, repeated element names): see `engine`.
    let plan = self::engine::prepare(&mut schemas, &sources)?;
    let xs = schemas
        .resolve_namespace(&Some(Namespace::XS))
        .ok_or_else(|| schema_err("the XML Schema namespace is not known".into()))?;
    // `xs:anyType` is a complex type (any attributes, mixed content of any elements), so that
    // types can extend or restrict it; every other built-in is kept by name.
    let mut interpreter = Interpreter::new(&schemas)
        .with_buildin_types()
        .and_then(Interpreter::with_xs_any_type)
        .map_err(|e| schema_err(e.to_string()))?;
    for name in XS_BUILTINS.iter().filter(|n| **n != "anyType") {
        interpreter = interpreter
            .with_type(TypeIdent::type_(name).with_ns(xs), CustomMeta::new(*name))
            .map_err(|e| schema_err(e.to_string()))?;
    }
    let (mut types, _) = interpreter
        .finish()
        .map_err(|e| schema_err(e.to_string()))?;
    self::engine::finish(&mut types, &plan, sources, xs)?;
    Ok(types)
}
