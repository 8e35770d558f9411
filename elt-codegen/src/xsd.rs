//! The XSD side: gathers every schema in the input (files and schemas inside WSDLs), links them,
//! and runs `xsd-parser`'s parser and interpreter over them from memory.
//!
//! Two fixes make real WSDLs load: an `xs:import` with a namespace but no `schemaLocation` is
//! pointed at a schema of that namespace in the set, and schemas taken out of `<wsdl:types>`
//! carry the namespace declarations in scope on them (see `wsdl::extract_schema`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use url::Url;
use xsd_parser::config::Namespace;
use xsd_parser::models::meta::CustomMeta;
use xsd_parser::pipeline::parser::resolver::{ResolveRequest, ResolveResult, Resolver};
use xsd_parser::{Interpreter, MetaTypes, Parser, TypeIdent};

use crate::error::{Error, Location, Result};
use crate::input::{FileSet, resolve_relative};
use crate::wsdl::{self, Definitions, XS_NS};

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
    /// `xs:import`s without `schemaLocation`: where to insert one, and the namespace.
    locationless_imports: Vec<(usize, String)>,
    /// Declarations and references, for the link check.
    pub(crate) links: crate::links::LinkInfo,
    /// The pattern steps of the named simple types declared here.
    pub(crate) pattern_steps: Vec<((Option<String>, String), crate::patterns::PatternSteps)>,
}

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
    /// The pattern steps of every named simple type, for the renderer.
    pub(crate) pattern_steps: crate::patterns::PatternMap,
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
    // depth are capped before parsing (see `input::parse_xml`).
    let doc = crate::input::parse_xml(path, text, true)?;
    let root = doc.root_element();
    let positions = crate::input::Positions::new(text);
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
    let mut locationless_imports = Vec::new();
    for n in root
        .children()
        .filter(|n| n.is_element() && n.tag_name().namespace() == Some(XS_NS))
    {
        let kind = n.tag_name().name();
        if kind == "import"
            && n.attribute("schemaLocation").is_none()
            && let Some(ns) = n.attribute("namespace")
        {
            let start = n.range().start;
            let tag_len = text[start + 1..]
                .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
                .map(|i| i + 1)
                .unwrap_or(0);
            locationless_imports.push((start + tag_len, ns.to_owned()));
        }
        if !matches!(kind, "import" | "include" | "redefine" | "override") {
            continue;
        }
        if let Some(location) = n.attribute("schemaLocation") {
            let target = resolve_relative(path, location).ok_or_else(|| Error::Unresolved {
                location: loc(n),
                message: format!(
                    "xs:{kind} schemaLocation={location:?} points outside the contract; \
                     only files inside the zip or folder are read"
                ),
            })?;
            references.push(target);
        }
    }
    Ok(SchemaDoc {
        path: path.to_owned(),
        text: text.to_owned(),
        target_namespace: root.attribute("targetNamespace").map(str::to_owned),
        inline_in: None,
        only_references: false,
        references,
        locationless_imports,
        links: crate::links::scan(&doc),
        pattern_steps: crate::patterns::scan(root, root.attribute("targetNamespace")),
    })
}

/// Adds a `schemaLocation` to every `xs:import` that has only a namespace, pointing at a
/// schema of that namespace in the set (a file first, in path order; else an inline schema that
/// declares something). Imports of namespaces nobody in the set defines are left alone.
fn link_locationless_imports(docs: &mut BTreeMap<String, SchemaDoc>) -> Result<()> {
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
        // Insert from the end, so earlier offsets stay valid.
        for (at, ns) in std::mem::take(&mut d.locationless_imports)
            .into_iter()
            .rev()
        {
            let Some(target) = by_ns.get(&ns) else {
                continue;
            };
            if *target == d.path {
                continue;
            }
            d.text
                .insert_str(at, &format!(" schemaLocation=\"{ROOT_URL}{target}\""));
            d.references.push(target.clone());
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
        let path = path.split('#').next().unwrap_or(path);
        match self.docs.get(path) {
            Some(text) => Ok(Some((
                Some(path.to_owned()),
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
    link_locationless_imports(&mut docs)?;
    crate::links::check(&docs)?;
    let roots = roots(&docs);
    let resolver = MemoryResolver {
        docs: docs
            .iter()
            .map(|(k, v)| (k.clone(), v.text.clone()))
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
    let pattern_steps = docs
        .values()
        .flat_map(|d| d.pattern_steps.iter().cloned())
        .collect();
    Ok(Loaded {
        wsdls,
        pattern_steps,
        schemas: docs,
        roots,
        types,
    })
}

fn run_engine(resolver: MemoryResolver, roots: &[String]) -> Result<MetaTypes> {
    let schema_err = |m: String| Error::Schema { message: m };
    // The texts, for positions in refusals (kept in the types, see `render::engine::finish`).
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
    // extension of choices, repeated element names): see `render::engine`.
    let plan = crate::render::engine::prepare(&mut schemas, &sources)?;
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
    crate::render::engine::finish(&mut types, &plan, sources, xs)?;
    Ok(types)
}
