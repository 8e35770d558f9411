//! The semantic model a contract diff compares: what a WSDL/XSD contract means, without its
//! spelling. Keys are qualified names (`{namespace}local`), maps are `BTreeMap`s, documentation
//! is whitespace-normalised, and anonymous types and model groups are written inline where they
//! are used (their generated names depend on declaration order). Prefixes, the order of global
//! declarations, comments, line endings and file layout leave no trace here.
//!
//! Every item carries the name of the Rust item the generator makes of it, taken from the
//! generator's naming pass (`model::naming`, read through its summary); nothing is rendered.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;

use serde::{Deserialize, Serialize};

pub use super::qkey::{BodyRef, QKey};
use xsd_parser::models::meta::WhiteSpace;
use xsd_parser::models::schema::MaxOccurs;
use xsd_parser::models::schema::xs::{
    BasicNamespaceListItemType, NamespaceListType, ProcessContentsType,
};
use xsd_parser::{IdentType, MetaTypes, TypeIdent};

use crate::model::attributes::{AttributeUse, Attributes};

use crate::model::declared::FieldDecl;
use crate::model::particles::{Compositor as ModelCompositor, Term};
use crate::model::summary::ident_key;
use crate::model::types::{Complex, ContentShape, Derivation, Kind, TypeDef as ModelType};
use crate::model::{Model, RenderSummary, Structure};
use crate::wsdl::{Definitions, QName, SoapVersion};
use crate::xml::XS_NS;
use crate::xsd::Loaded;

use crate::xml::XML_NS;
/// How deep anonymous types may nest inside each other before the model gives up on them.
const MAX_DEPTH: usize = 128;

/// A whole contract.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Contract {
    /// XML namespaces declared by the schemas, by URI.
    pub namespaces: BTreeMap<String, NamespaceInfo>,
    /// WSDL documents, by target namespace.
    pub wsdls: BTreeMap<String, WsdlInfo>,
    /// `wsdl:service`s by name, with their ports.
    pub services: BTreeMap<String, Service>,
    /// SOAP bindings by name.
    pub bindings: BTreeMap<String, Binding>,
    /// Operations by name (`PortType.operation` when two port types share an operation name).
    pub operations: BTreeMap<String, Operation>,
    /// Global elements by `{namespace}local`.
    pub elements: BTreeMap<QKey, GlobalElement>,
    /// Named types by `{namespace}Name`.
    pub types: BTreeMap<QKey, TypeDef>,
    /// Where the global elements and named types are declared. Kept apart from their
    /// definitions: a declaration that moves in its file is not a change.
    #[serde(default)]
    pub declared: Declared,
}

/// Where components are declared: `file:line:col` (the WSDL for an inline schema).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Declared {
    /// Global elements by `{namespace}local`.
    pub elements: BTreeMap<QKey, String>,
    /// Named types by `{namespace}Name`.
    pub types: BTreeMap<QKey, String>,
}

/// What the schemas say about one XML namespace as a whole.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NamespaceInfo {
    /// The Rust module of the namespace.
    pub rust_module: Option<String>,
    /// The schema files declaring it (not compared; used to follow a namespace that changed).
    pub files: BTreeSet<String>,
    /// `version` attributes of those schemas.
    pub versions: BTreeSet<String>,
    /// Schema-level documentation.
    pub documentation: Vec<String>,
}

/// One WSDL document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WsdlInfo {
    /// Its `name`.
    pub name: Option<String>,
    /// Its documentation.
    pub documentation: Vec<String>,
}

/// A `wsdl:service`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Service {
    /// Documentation.
    pub documentation: Vec<String>,
    /// Ports by name.
    pub ports: BTreeMap<String, Port>,
}

/// A `wsdl:port`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Port {
    /// The binding's name.
    pub binding: String,
    /// `soap:address location`.
    pub address: Option<String>,
    /// The generated client type.
    pub rust_client: Option<String>,
}

/// A `wsdl:binding`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Binding {
    /// The port type bound.
    pub port_type: String,
    /// `SOAP 1.1`, `SOAP 1.2`, or none for HTTP bindings.
    pub soap: Option<String>,
    /// Default style.
    pub style: Option<String>,
    /// Transport URI.
    pub transport: Option<String>,
}

/// An operation: its messages from the port type, and how each binding binds it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// Operation name.
    pub name: String,
    /// Port type declaring it.
    pub port_type: String,
    /// Documentation.
    pub documentation: Vec<String>,
    /// What the input message's body part names: an element, or a type for an rpc part.
    pub input: Option<BodyRef>,
    /// What the output message's body part names.
    pub output: Option<BodyRef>,
    /// Faults: name → what the fault message's part names.
    pub faults: BTreeMap<String, Option<BodyRef>>,
    /// Elements sent as SOAP headers of the input.
    pub headers: BTreeSet<QKey>,
    /// Binding name → how that binding binds the operation.
    pub bound: BTreeMap<String, BoundOperation>,
    /// Client methods calling it.
    pub rust_methods: BTreeSet<String>,
    /// Fault name → fault enum variant.
    pub rust_faults: BTreeMap<String, String>,
}

/// An operation as a binding binds it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BoundOperation {
    /// `soapAction` (absent and empty are the same).
    pub soap_action: Option<String>,
    /// Effective style (`document` or `rpc`).
    pub style: Option<String>,
    /// `use` of the input and output bodies.
    pub body_use: Vec<String>,
}

/// A global element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GlobalElement {
    /// Local name.
    pub name: String,
    /// Namespace.
    pub namespace: Option<String>,
    /// Its type.
    pub type_ref: TypeRef,
    /// `nillable`.
    pub nillable: bool,
    /// `fixed`, when declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// Documentation.
    pub documentation: Vec<String>,
    /// The Rust type of its content.
    pub rust_type: Option<String>,
    /// Its `RootElement` constant.
    pub rust_const: Option<String>,
}

/// A reference to a type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeRef {
    /// An XSD built-in (`xs:string`) or `xml:` attribute type.
    Builtin {
        /// Prefixed name.
        name: String,
    },
    /// A named type, by `{namespace}Name`.
    Named {
        /// Key in [`Contract::types`].
        key: QKey,
    },
    /// The type of a global element (`ref=`), by `{namespace}local`.
    Element {
        /// Key in [`Contract::elements`].
        key: QKey,
    },
    /// An anonymous type, written where it is used.
    Inline {
        /// The type.
        def: Box<TypeDef>,
    },
    /// A type the engine could not resolve.
    Unresolved {
        /// What was asked for.
        name: String,
    },
}

/// A type: complex, simple, union, or abstract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeDef {
    /// Local name (empty for an anonymous type).
    pub name: String,
    /// Namespace of the schema declaring it.
    pub namespace: Option<String>,
    /// Documentation (of the type and of its facets).
    pub documentation: Vec<String>,
    /// What it is.
    pub kind: TypeKind,
    /// The Rust item (`module::Name`).
    pub rust: Option<String>,
    /// The variants of the Rust enum whose variants stand for members rather than values or
    /// particles (`module::Enum::Variant`), by member: `N` for a union's N-th member type
    /// (from 0), `{namespace}local` for a substitution group's member element or a type
    /// derived from an abstract type. Empty for other types.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rust_variants: BTreeMap<String, String>,
}

/// The kinds of type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeKind {
    /// Elements and attributes.
    Complex(ComplexDef),
    /// A restricted (or plain) simple type.
    Simple(SimpleDef),
    /// `xs:union`.
    Union {
        /// Member types.
        members: Vec<TypeRef>,
    },
    /// An abstract type or substitution group head.
    Abstract {
        /// Types that may stand in for it.
        derived: BTreeSet<QKey>,
    },
}

/// A complex type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ComplexDef {
    /// `extension of {ns}Base` / `restriction of ...` (the content is already merged).
    pub derivation: Option<String>,
    /// Mixed content.
    pub mixed: bool,
    /// Attributes by (qualified) name.
    pub attributes: BTreeMap<QKey, AttributeDef>,
    /// `xs:anyAttribute` namespace constraint.
    pub any_attribute: Option<String>,
    /// Content.
    pub content: Content,
    /// For an abstract type: the concrete types derived from it (by extension or restriction,
    /// in any number of steps), one of which an element of this type names with `xsi:type`.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub derived: BTreeSet<QKey>,
}

/// The content of a complex type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Content {
    /// No content.
    #[default]
    Empty,
    /// Text of a simple type.
    Simple {
        /// The text's type.
        type_ref: TypeRef,
        /// The Rust field holding it.
        rust: Option<String>,
    },
    /// Child elements.
    Particles(Group),
}

/// A model group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// `sequence`, `choice` or `all`.
    pub compositor: Compositor,
    /// `minOccurs`.
    pub min: u64,
    /// `maxOccurs` (`None`: unbounded).
    pub max: Option<u64>,
    /// Particles in order.
    pub particles: Vec<Particle>,
    /// The Rust type rendered for the group (for nested groups and choices).
    pub rust_type: Option<String>,
    /// The Rust field (or variant) holding the group in its parent.
    pub rust: Option<String>,
}

/// A compositor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compositor {
    /// `xs:sequence`
    Sequence,
    /// `xs:choice`
    Choice,
    /// `xs:all`
    All,
}

impl std::fmt::Display for Compositor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Compositor::Sequence => "sequence",
            Compositor::Choice => "choice",
            Compositor::All => "all",
        })
    }
}

/// A particle of a model group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Particle {
    /// A local element or element reference.
    Element(ElementParticle),
    /// A nested group.
    Group(Group),
    /// `xs:any`.
    Any(AnyParticle),
}

/// An element inside a model group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElementParticle {
    /// Local name.
    pub name: String,
    /// Namespace on the wire (`None` when unqualified).
    pub namespace: Option<String>,
    /// Type.
    pub type_ref: TypeRef,
    /// `minOccurs`.
    pub min: u64,
    /// `maxOccurs` (`None`: unbounded).
    pub max: Option<u64>,
    /// `nillable`.
    pub nillable: bool,
    /// `default`, when declared (on the referenced global element for a reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `fixed`, when declared (on the referenced global element for a reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// Where the element is declared (or referred to).
    #[serde(default, skip_serializing_if = "Place::is_none")]
    pub at: Place,
    /// Documentation.
    pub documentation: Vec<String>,
    /// The Rust field (in a sequence) or variant (in a choice): `module::Type::member`.
    pub rust: Option<String>,
    /// Whether that field or variant holds its value in a `Box` (a cycle of types passes
    /// through it, or the value is large).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rust_boxed: bool,
}

/// Where a declaration stands (`file:line:col`; in the WSDL for an inline schema), when known.
/// It is not part of what is compared: two places are always equal, so a declaration that only
/// moves is no change.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Place(pub Option<String>);

impl PartialEq for Place {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Place {
    /// True when the place is not known.
    pub fn is_none(&self) -> bool {
        self.0.is_none()
    }
}

/// `xs:any`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnyParticle {
    /// Namespace constraint: `##any`, `##other`, or a space-separated list.
    pub namespace: String,
    /// `processContents`.
    pub process_contents: String,
    /// `minOccurs`.
    pub min: u64,
    /// `maxOccurs` (`None`: unbounded).
    pub max: Option<u64>,
    /// The Rust field.
    pub rust: Option<String>,
}

/// An attribute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeDef {
    /// Local name.
    pub name: String,
    /// Namespace when qualified.
    pub namespace: Option<String>,
    /// Type.
    pub type_ref: TypeRef,
    /// `required`, `optional` or `prohibited`.
    pub use_: String,
    /// Default value.
    pub default: Option<String>,
    /// `fixed`, when declared (on the use or on the referenced global attribute).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// Where the attribute is declared (or referred to).
    #[serde(default, skip_serializing_if = "Place::is_none")]
    pub at: Place,
    /// Documentation.
    pub documentation: Vec<String>,
    /// The Rust field.
    pub rust: Option<String>,
}

/// A simple type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimpleDef {
    /// The type it restricts.
    pub base: TypeRef,
    /// `xs:list`.
    pub list: bool,
    /// Facets.
    pub facets: Facets,
    /// Enumeration values (value → documentation and Rust variant), if it is an enumeration.
    pub enumeration: Option<BTreeMap<String, EnumValue>>,
}

/// An enumeration value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EnumValue {
    /// Documentation.
    pub documentation: Vec<String>,
    /// The Rust variant.
    pub rust: Option<String>,
}

/// Facets of a simple type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facets {
    /// Patterns (alternatives).
    pub patterns: BTreeSet<String>,
    /// `minLength` (or `length`).
    pub min_length: Option<u64>,
    /// `maxLength` (or `length`).
    pub max_length: Option<u64>,
    /// `totalDigits`.
    pub total_digits: Option<u64>,
    /// `fractionDigits`.
    pub fraction_digits: Option<u64>,
    /// `minInclusive`.
    pub min_inclusive: Option<String>,
    /// `minExclusive`.
    pub min_exclusive: Option<String>,
    /// `maxInclusive`.
    pub max_inclusive: Option<String>,
    /// `maxExclusive`.
    pub max_exclusive: Option<String>,
    /// `whiteSpace`, when not `preserve`.
    pub white_space: Option<String>,
}

/// Documentation text with whitespace runs collapsed (re-wrapping is no change).
pub fn normalize_doc(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn docs(list: &[String]) -> Vec<String> {
    list.iter()
        .map(|d| normalize_doc(d))
        .filter(|d| !d.is_empty())
        .collect()
}

/// WSDL documentation as `wsdl::Definitions` holds it. That text can hold the documentation
/// twice over (the element's first text and the text node itself are both collected there);
/// the repetition is dropped so the report quotes it once.
fn opt_docs(d: &Option<String>) -> Vec<String> {
    d.iter()
        .map(|d| undouble(normalize_doc(d)))
        .filter(|d| !d.is_empty())
        .collect()
}

fn undouble(s: String) -> String {
    let half = s.len() / 2;
    for (a, b) in [(half, half), (half, half + 1)] {
        if s.is_char_boundary(a)
            && s.is_char_boundary(b.min(s.len()))
            && b <= s.len()
            && a > 0
            && s[..a] == s[b..]
            && (a == b || s[a..b].trim().is_empty())
        {
            return s[..a].to_owned();
        }
    }
    s
}

fn max_of(m: &MaxOccurs) -> Option<u64> {
    match m {
        MaxOccurs::Unbounded => None,
        MaxOccurs::Bounded(n) => Some(*n as u64),
    }
}

/// `{namespace}local`, or `local` without a namespace.
pub fn qkey(ns: Option<&str>, local: &str) -> String {
    QKey::new(ns, local).to_string()
}

/// A key that names something qualified: a [`QKey`], or its written form `{namespace}local`.
pub trait Qualified {
    /// The local part.
    fn local_part(&self) -> &str;
    /// The namespace part, if any.
    fn namespace_part(&self) -> Option<&str>;
}

impl Qualified for str {
    fn local_part(&self) -> &str {
        match self.strip_prefix('{').and_then(|r| r.split_once('}')) {
            Some((_, local)) => local,
            None => self,
        }
    }
    fn namespace_part(&self) -> Option<&str> {
        self.strip_prefix('{')
            .and_then(|r| r.split_once('}'))
            .map(|(ns, _)| ns)
    }
}

impl Qualified for String {
    fn local_part(&self) -> &str {
        self.as_str().local_part()
    }
    fn namespace_part(&self) -> Option<&str> {
        self.as_str().namespace_part()
    }
}

impl Qualified for QKey {
    fn local_part(&self) -> &str {
        self.local()
    }
    fn namespace_part(&self) -> Option<&str> {
        self.namespace()
    }
}

impl<T: Qualified + ?Sized> Qualified for &T {
    fn local_part(&self) -> &str {
        (**self).local_part()
    }
    fn namespace_part(&self) -> Option<&str> {
        (**self).namespace_part()
    }
}

/// The local part of a key.
pub fn local_of<K: Qualified + ?Sized>(key: &K) -> &str {
    key.local_part()
}

/// The namespace part of a key.
pub fn namespace_of<K: Qualified + ?Sized>(key: &K) -> Option<&str> {
    key.namespace_part()
}

fn qname_key(q: &QName) -> QKey {
    QKey::new(q.namespace.as_deref(), &q.local)
}

/// Builds the model of a loaded contract; `summary` gives the Rust names the generator's
/// naming pass gave its items.
pub fn build(contract: &Model, summary: &RenderSummary) -> Contract {
    let loaded = &contract.loaded;
    let b = ModelBuilder {
        structure: &contract.structure,
        types: &loaded.types,
        declarations: &loaded.source.declarations,
        summary,
        content_owners: content_owners(&contract.structure),
        fields: crate::model::declared::of(contract),
        naming: &contract.naming,
        boxed: &contract.boxed,
    };
    let mut c = Contract::default();
    b.namespaces(loaded, &mut c);
    b.wsdl(&loaded.wsdls, &mut c);
    let facet_docs = facet_docs(loaded);
    let replaced = crate::xsd::redefine::replaced(&loaded.types);
    for (i, t) in &contract.structure.types {
        if b.is_builtin(i) || !i.name.is_named() {
            continue;
        }
        match i.type_ {
            IdentType::Type => {
                if t.kind.is_group() {
                    continue;
                }
                if replaced.contains(i) {
                    // Only the base of the type that replaces it under the same name.
                    continue;
                }
                let key = QKey::new(b.uri(i).as_deref(), i.name.as_str());
                let mut def = b.typedef(i, t, 0);
                if let Some(extra) = facet_docs.get(&key.to_string()) {
                    def.documentation.extend(extra.iter().cloned());
                }
                if let Some(at) = b.declared_at(i) {
                    c.declared.types.insert(key.clone(), at);
                }
                c.types.insert(key, def);
            }
            IdentType::Element => {
                let ns = b.uri(i);
                let key = QKey::new(ns.as_deref(), i.name.as_str());
                let type_ref = match &t.kind {
                    Kind::Reference { target, .. } => b.type_ref(target, 0),
                    _ => TypeRef::Inline {
                        def: Box::new(b.typedef(i, t, 0)),
                    },
                };
                let nillable = matches!(&t.kind, Kind::Reference { nillable: true, .. });
                if let Some(at) = b.declared_at(i) {
                    c.declared.elements.insert(key.clone(), at);
                }
                let (rust_type, rust_const) = match summary.elements.get(&key.to_string()) {
                    Some((ty, k)) => (Some(ty.clone()), Some(k.clone())),
                    None => (None, None),
                };
                c.elements.insert(
                    key,
                    GlobalElement {
                        name: i.name.as_str().to_owned(),
                        namespace: ns,
                        type_ref,
                        nillable,
                        fixed: b.fields.elements.get(i).and_then(|d| d.fixed.clone()),
                        documentation: docs(&t.documentation),
                        rust_type,
                        rust_const,
                    },
                );
            }
            _ => {}
        }
    }
    c
}

struct ModelBuilder<'a> {
    types: &'a MetaTypes,
    /// What each type holds: attributes, particles, facets, values, members (`model::Structure`).
    structure: &'a Structure,
    declarations: &'a crate::xsd::links::Declarations,
    summary: &'a RenderSummary,
    /// The complex type whose content each model group is, found once: looking it up by a scan
    /// of every type for every group made the model quadratic in the number of types.
    content_owners: HashMap<&'a TypeIdent, Vec<&'a TypeIdent>>,
    /// Where each element particle and attribute is declared, with its `default` and `fixed`.
    fields: crate::model::declared::FieldDecls,
    naming: &'a crate::model::naming::Naming,
    /// The (holder, held) pairs the generated code boxes (`model::boxing`).
    boxed: &'a BTreeSet<(TypeIdent, TypeIdent)>,
}

/// Each content model group mapped to the complex types that have it as their content, in the
/// engine's order.
fn content_owners(structure: &Structure) -> HashMap<&TypeIdent, Vec<&TypeIdent>> {
    let mut owners: HashMap<&TypeIdent, Vec<&TypeIdent>> = HashMap::new();
    for (i, t) in &structure.types {
        if let Kind::Complex(c) = &t.kind
            && let Some(content) = c.content.shape.ident()
        {
            owners.entry(content).or_default().push(i);
        }
    }
    owners
}

impl ModelBuilder<'_> {
    fn uri(&self, i: &TypeIdent) -> Option<String> {
        self.uri_of(i.ns)
    }

    fn uri_of(&self, ns: xsd_parser::models::schema::NamespaceId) -> Option<String> {
        crate::xsd::namespace_uri(self.types, ns)
    }

    fn is_builtin(&self, i: &TypeIdent) -> bool {
        i.type_ == IdentType::BuildIn
            || matches!(self.uri(i).as_deref(), Some(XS_NS) | Some(XML_NS))
    }

    /// Where `i` is declared, as `file:line:col`.
    fn declared_at(&self, i: &TypeIdent) -> Option<String> {
        crate::model::positions::declared_at(self.types, self.declarations, i)
            .map(|d| d.location.to_string())
    }

    fn rust_type(&self, i: &TypeIdent) -> Option<String> {
        self.summary.types.get(&ident_key(self.types, i)).cloned()
    }

    fn member(&self, owner: &TypeIdent, slot: &str) -> Option<String> {
        self.summary
            .members
            .get(&ident_key(self.types, owner))?
            .get(slot)
            .cloned()
    }

    fn namespaces(&self, loaded: &Loaded, c: &mut Contract) {
        for doc in loaded.schemas.values() {
            if doc.only_references {
                continue;
            }
            let ns = doc.target_namespace.clone().unwrap_or_default();
            let info = c.namespaces.entry(ns.clone()).or_default();
            info.files.insert(doc.path.clone());
            info.rust_module = self.summary.modules.get(&ns).cloned();
            let Some(parsed) = crate::xml::reparse(&doc.text) else {
                continue;
            };
            let root = parsed.root_element();
            if let Some(v) = root.attribute("version") {
                info.versions.insert(v.trim().to_owned());
            }
            for ann in root.children().filter(|n| is_xs(n, "annotation")) {
                for d in ann.children().filter(|n| is_xs(n, "documentation")) {
                    let text = normalize_doc(
                        &d.descendants()
                            .filter(|n| n.is_text())
                            .filter_map(|n| n.text())
                            .collect::<String>(),
                    );
                    if !text.is_empty() {
                        info.documentation.push(text);
                    }
                }
            }
        }
    }

    fn wsdl(&self, wsdls: &[Definitions], c: &mut Contract) {
        let q = |d: &Definitions, local: &str| QName {
            namespace: d.target_namespace.clone(),
            local: local.to_owned(),
        };
        let mut messages = BTreeMap::new();
        let mut port_types = BTreeMap::new();
        let mut bindings = BTreeMap::new();
        for d in wsdls {
            c.wsdls.insert(
                d.target_namespace.clone().unwrap_or_default(),
                WsdlInfo {
                    name: d.name.clone(),
                    documentation: opt_docs(&d.documentation),
                },
            );
            for m in &d.messages {
                messages.insert(q(d, &m.name), m);
            }
            for p in &d.port_types {
                port_types.insert(q(d, &p.name), p);
            }
            for b in &d.bindings {
                bindings.insert(q(d, &b.name), b);
            }
        }
        // Parts that a binding sends as SOAP headers, by (port type, operation): the body is
        // the first part that is not one (as the client stubs bind it).
        let mut header_parts: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
        for b in bindings.values() {
            for bop in &b.operations {
                header_parts
                    .entry((b.port_type.local.as_str(), bop.name.as_str()))
                    .or_default()
                    .extend(bop.input_headers.iter().map(|(_, part)| part.as_str()));
            }
        }
        let no_headers = BTreeSet::new();
        let body_element = |m: &QName, headers: &BTreeSet<&str>| -> Option<BodyRef> {
            let part = messages
                .get(m)?
                .parts
                .iter()
                .find(|p| !headers.contains(p.name.as_str()))?;
            match (&part.element, &part.type_) {
                (Some(e), _) => Some(BodyRef::Element(qname_key(e))),
                (None, Some(t)) => Some(BodyRef::Type(qname_key(t))),
                _ => None,
            }
        };
        // Operation names, qualified by port type where two port types share one.
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for pt in port_types.values() {
            for op in &pt.operations {
                *count.entry(op.name.as_str()).or_default() += 1;
            }
        }
        let op_key = |pt: &str, op: &str| {
            if count.get(op).copied().unwrap_or(0) > 1 {
                format!("{pt}.{op}")
            } else {
                op.to_owned()
            }
        };
        for pt in port_types.values() {
            for op in &pt.operations {
                let key = op_key(&pt.name, &op.name);
                let s = self.summary;
                c.operations.insert(
                    key,
                    Operation {
                        name: op.name.clone(),
                        port_type: pt.name.clone(),
                        documentation: opt_docs(&op.documentation),
                        input: op.input.as_ref().and_then(|m| {
                            body_element(
                                m,
                                header_parts
                                    .get(&(pt.name.as_str(), op.name.as_str()))
                                    .unwrap_or(&no_headers),
                            )
                        }),
                        output: op
                            .output
                            .as_ref()
                            .and_then(|m| body_element(m, &no_headers)),
                        faults: op
                            .faults
                            .iter()
                            .map(|(n, m)| (n.clone(), body_element(m, &no_headers)))
                            .collect(),
                        headers: BTreeSet::new(),
                        bound: BTreeMap::new(),
                        rust_methods: s.methods.get(&op.name).cloned().unwrap_or_default(),
                        rust_faults: s.faults.get(&op.name).cloned().unwrap_or_default(),
                    },
                );
            }
        }
        for (bq, b) in &bindings {
            c.bindings.insert(
                b.name.clone(),
                Binding {
                    port_type: b.port_type.local.clone(),
                    soap: b.soap.map(|v| {
                        match v {
                            SoapVersion::Soap11 => "SOAP 1.1",
                            SoapVersion::Soap12 => "SOAP 1.2",
                        }
                        .to_owned()
                    }),
                    style: b.style.clone(),
                    transport: b.transport.clone(),
                },
            );
            let _ = bq;
            for bop in &b.operations {
                let key = op_key(&b.port_type.local, &bop.name);
                let Some(op) = c.operations.get_mut(&key) else {
                    continue;
                };
                for (hm, hp) in &bop.input_headers {
                    if let Some(m) = messages.get(hm)
                        && let Some(p) = m.parts.iter().find(|p| &p.name == hp)
                        && let Some(e) = &p.element
                    {
                        op.headers.insert(qname_key(e));
                    }
                }
                op.bound.insert(
                    b.name.clone(),
                    BoundOperation {
                        soap_action: bop.soap_action.clone().filter(|a| !a.is_empty()),
                        style: bop
                            .style
                            .clone()
                            .or_else(|| b.style.clone())
                            .or_else(|| b.soap.map(|_| "document".to_owned())),
                        body_use: [&bop.input_use, &bop.output_use]
                            .into_iter()
                            .flatten()
                            .cloned()
                            .collect(),
                    },
                );
            }
        }
        for d in wsdls {
            for s in &d.services {
                let service = c.services.entry(s.name.clone()).or_default();
                service.documentation = opt_docs(&s.documentation);
                for p in &s.ports {
                    service.ports.insert(
                        p.name.clone(),
                        Port {
                            binding: p.binding.local.clone(),
                            address: p.address.clone(),
                            rust_client: self.summary.clients.get(&p.name).cloned(),
                        },
                    );
                }
            }
        }
    }

    /// A reference to the type `i`, as a particle, attribute or base names it.
    fn type_ref(&self, i: &TypeIdent, depth: usize) -> TypeRef {
        if self.is_builtin(i) {
            let prefix = if self.uri(i).as_deref() == Some(XML_NS) {
                "xml"
            } else {
                "xs"
            };
            return TypeRef::Builtin {
                name: format!("{prefix}:{}", i.name.as_str()),
            };
        }
        let Some(t) = self.structure.types.get(i) else {
            return TypeRef::Unresolved {
                name: qkey(self.uri(i).as_deref(), i.name.as_str()),
            };
        };
        if depth > MAX_DEPTH {
            return TypeRef::Unresolved {
                name: format!("{} (nested too deeply)", i.name.as_str()),
            };
        }
        match i.type_ {
            IdentType::Type if i.name.is_named() && !t.kind.is_group() => TypeRef::Named {
                key: QKey::new(self.uri(i).as_deref(), i.name.as_str()),
            },
            IdentType::Element if i.name.is_named() => TypeRef::Element {
                key: QKey::new(self.uri(i).as_deref(), i.name.as_str()),
            },
            _ => match &t.kind {
                // A local element or attribute declared with a type: that type.
                Kind::Reference {
                    target,
                    list: false,
                    ..
                } if i.type_ != IdentType::Type => self.type_ref(target, depth + 1),
                _ => TypeRef::Inline {
                    def: Box::new(self.typedef(i, t, depth + 1)),
                },
            },
        }
    }

    fn typedef(&self, i: &TypeIdent, t: &ModelType, depth: usize) -> TypeDef {
        let kind = match &t.kind {
            Kind::Complex(c) => TypeKind::Complex(self.complex(i, c, depth)),
            Kind::Restriction { base, list } => TypeKind::Simple(SimpleDef {
                base: self.type_ref(base, depth + 1),
                list: *list,
                facets: self.facets(i),
                enumeration: None,
            }),
            Kind::Enumeration { base } => TypeKind::Simple(SimpleDef {
                base: match base {
                    Some(b) => self.type_ref(b, depth + 1),
                    None => TypeRef::Builtin {
                        name: "xs:anySimpleType".into(),
                    },
                },
                list: false,
                facets: self.facets(i),
                enumeration: Some(
                    self.structure
                        .enumerations
                        .get(i)
                        .into_iter()
                        .flatten()
                        .map(|v| {
                            let value = v.lexical.clone();
                            let rust = self
                                .member(i, &format!("enum:{value}"))
                                .zip(self.rust_type(i))
                                .map(|(m, ty)| format!("{ty}::{m}"));
                            (
                                value,
                                EnumValue {
                                    documentation: docs(&v.documentation),
                                    rust,
                                },
                            )
                        })
                        .collect(),
                ),
            }),
            Kind::Reference { target, list, .. } => TypeKind::Simple(SimpleDef {
                base: self.type_ref(target, depth + 1),
                list: *list,
                facets: Facets::default(),
                enumeration: None,
            }),
            Kind::Union => TypeKind::Union {
                members: self
                    .structure
                    .unions
                    .get(i)
                    .into_iter()
                    .flatten()
                    .map(|m| self.type_ref(m, depth + 1))
                    .collect(),
            },
            Kind::Substitution(s) => TypeKind::Abstract {
                derived: s
                    .derived
                    .iter()
                    .map(|t| QKey::new(self.uri(t).as_deref(), t.name.as_str()))
                    .collect(),
            },
            Kind::Group(_) => TypeKind::Complex(ComplexDef {
                content: Content::Particles(self.group(i, i, 1, Some(1), None, depth)),
                ..ComplexDef::default()
            }),
            Kind::BuiltIn => TypeKind::Simple(SimpleDef {
                base: TypeRef::Builtin {
                    name: format!("xs:{}", i.name.as_str()),
                },
                list: false,
                facets: Facets::default(),
                enumeration: None,
            }),
        };
        TypeDef {
            name: if i.name.is_named() {
                i.name.as_str().to_owned()
            } else {
                String::new()
            },
            namespace: self.uri(i),
            documentation: docs(&t.documentation),
            kind,
            rust: self.rust_type(i),
            rust_variants: self.rust_variants(i),
        }
    }

    /// The variants of the enum of `i`'s members (see [`TypeDef::rust_variants`]): those the
    /// summary lists under `member:` slots, on the union's own enum when it has one.
    fn rust_variants(&self, i: &TypeIdent) -> BTreeMap<String, String> {
        let key = ident_key(self.types, i);
        let Some(owner) =
            (self.summary.union_enums.get(&key).cloned()).or_else(|| self.rust_type(i))
        else {
            return BTreeMap::new();
        };
        let Some(slots) = self.summary.members.get(&key) else {
            return BTreeMap::new();
        };
        slots
            .iter()
            .filter_map(|(slot, v)| {
                let member = slot.strip_prefix("member:")?;
                Some((member.to_owned(), format!("{owner}::{v}")))
            })
            .collect()
    }

    fn complex(&self, i: &TypeIdent, c: &Complex, depth: usize) -> ComplexDef {
        let owner_rust = self.rust_type(i);
        let full = |m: Option<String>| {
            m.zip(owner_rust.clone())
                .map(|(m, ty)| format!("{ty}::{m}"))
        };
        let mut out = ComplexDef {
            derivation: match &c.base {
                Derivation::None => None,
                Derivation::Extension(b) => Some(format!("extension of {}", self.ref_name(b))),
                Derivation::Restriction(b) => Some(format!("restriction of {}", self.ref_name(b))),
            },
            mixed: c.declared_mixed,
            derived: self
                .structure
                .derived
                .get(i)
                .into_iter()
                .flatten()
                .map(|d| QKey::new(self.uri(d).as_deref(), d.name.as_str()))
                .collect(),
            ..ComplexDef::default()
        };
        let no_attributes = Attributes::default();
        let attributes = self.structure.attributes.get(i).unwrap_or(&no_attributes);
        // The engine's attribute wildcards are one per type after its fix-ups; the last
        // stands, as it did when they were read in order.
        if let Some(any) = attributes.wildcards.last() {
            out.any_attribute = Some(namespace_constraint(any.namespace.as_ref()));
        }
        for a in &attributes.declared {
            let declared = self.fields.attributes.get(i).and_then(|f| f.get(&a.index));
            out.attributes.insert(
                QKey::new(a.namespace.as_deref(), &a.local),
                AttributeDef {
                    name: a.local.clone(),
                    namespace: a.namespace.clone(),
                    type_ref: self.type_ref(&a.type_, depth + 1),
                    use_: match a.use_ {
                        AttributeUse::Required => "required",
                        AttributeUse::Prohibited => "prohibited",
                        AttributeUse::Optional => "optional",
                    }
                    .to_owned(),
                    default: a.default.clone(),
                    fixed: declared.and_then(|d| d.fixed.clone()),
                    at: Place(declared.map(|d| d.location.to_string())),
                    documentation: docs(&a.documentation),
                    rust: full(self.member(i, &format!("attr:{}", a.index))),
                },
            );
        }
        let min = c.content_min as u64;
        let max = max_of(&c.content_max);
        // The same shapes the renderer's struct has (see `model::types::ContentShape`).
        out.content = match &c.content.shape {
            ContentShape::Empty => Content::Empty,
            // A content sequence or `xs:all` that occurs once is flattened: its fields are the
            // struct's own fields.
            ContentShape::Sequence(ci) | ContentShape::All(ci) => {
                let mut g = self.group(i, ci, min, max, None, depth);
                g.rust_type = None;
                Content::Particles(g)
            }
            ContentShape::Group(ci) => Content::Particles(self.group(
                i,
                ci,
                min,
                max,
                full(self.member(i, "content")),
                depth,
            )),
            ContentShape::Simple(ci) => Content::Simple {
                type_ref: self.type_ref(ci, depth + 1),
                rust: full(self.member(i, "value")),
            },
        };
        out
    }

    /// The facets of simple type `i`, as the model read them (see `model::facets`).
    fn facets(&self, i: &TypeIdent) -> Facets {
        let Some(c) = self.structure.facets.get(i) else {
            return Facets::default();
        };
        let bound = |b: &Bound<String>| match b {
            Bound::Included(v) => (Some(v.trim().to_owned()), None),
            Bound::Excluded(v) => (None, Some(v.trim().to_owned())),
            Bound::Unbounded => (None, None),
        };
        let (min_inclusive, min_exclusive) = bound(&c.min);
        let (max_inclusive, max_exclusive) = bound(&c.max);
        Facets {
            patterns: c.patterns().cloned().collect(),
            min_length: c.min_length.map(|n| n as u64),
            max_length: c.max_length.map(|n| n as u64),
            total_digits: c.total_digits.map(|n| n as u64),
            fraction_digits: c.fraction_digits.map(|n| n as u64),
            min_inclusive,
            min_exclusive,
            max_inclusive,
            max_exclusive,
            white_space: match c.white_space {
                WhiteSpace::Preserve => None,
                WhiteSpace::Replace => Some("replace".into()),
                WhiteSpace::Collapse => Some("collapse".into()),
            },
        }
    }

    fn ref_name(&self, i: &TypeIdent) -> String {
        match self.type_ref(i, MAX_DEPTH) {
            TypeRef::Builtin { name } => name,
            TypeRef::Named { key } | TypeRef::Element { key } => key.to_string(),
            _ => i.name.as_str().to_owned(),
        }
    }

    /// A model group `gi`; `rust` is the field or variant holding it.
    /// Model group `gi` in the content of `owner` (a complex type, or the group itself).
    fn group(
        &self,
        owner: &TypeIdent,
        gi: &TypeIdent,
        min: u64,
        max: Option<u64>,
        rust: Option<String>,
        depth: usize,
    ) -> Group {
        let Some(model_group) = self.structure.groups.get(gi) else {
            return Group {
                compositor: Compositor::Sequence,
                min,
                max,
                particles: Vec::new(),
                rust_type: None,
                rust: None,
            };
        };
        let compositor = match model_group.compositor {
            ModelCompositor::Choice => Compositor::Choice,
            ModelCompositor::All => Compositor::All,
            ModelCompositor::Sequence => Compositor::Sequence,
        };
        let rust_type = self.rust_type(gi);
        // Members of a content sequence belong to the complex type's struct.
        let owner_rust = rust_type.clone().or_else(|| self.content_owner_rust(gi));
        let full = |m: Option<String>| {
            m.zip(owner_rust.clone())
                .map(|(m, ty)| format!("{ty}::{m}"))
        };
        let mut particles = Vec::new();
        for p in &model_group.particles {
            let slot = format!("el:{}", p.index);
            let emin = p.min as u64;
            let emax = max_of(&p.max);
            match &p.term {
                Term::Text => {}
                Term::Any(meta) => particles.push(Particle::Any(AnyParticle {
                    namespace: namespace_constraint(meta.namespace.as_ref()),
                    process_contents: match meta.process_contents {
                        ProcessContentsType::Skip => "skip",
                        ProcessContentsType::Lax => "lax",
                        ProcessContentsType::Strict => "strict",
                    }
                    .to_owned(),
                    min: emin,
                    max: emax,
                    rust: full(self.member(gi, &slot)),
                })),
                Term::Group(inner) => {
                    let rust = full(self.member(gi, &slot));
                    particles.push(Particle::Group(if depth < MAX_DEPTH {
                        self.group(owner, inner, emin, emax, rust, depth + 1)
                    } else {
                        Group {
                            compositor: Compositor::Sequence,
                            min: emin,
                            max: emax,
                            particles: Vec::new(),
                            rust_type: None,
                            rust: None,
                        }
                    }));
                }
                Term::Element {
                    local,
                    namespace,
                    type_,
                    nillable,
                } => particles.push(Particle::Element(ElementParticle {
                    name: local.clone(),
                    namespace: namespace.clone(),
                    type_ref: self.type_ref(type_, depth + 1),
                    min: emin,
                    max: emax,
                    nillable: *nillable,
                    default: self
                        .particle_decl(owner, gi, p.index)
                        .and_then(|d| d.default.clone()),
                    fixed: self
                        .particle_decl(owner, gi, p.index)
                        .and_then(|d| d.fixed.clone()),
                    at: Place(
                        self.particle_decl(owner, gi, p.index)
                            .map(|d| d.location.to_string()),
                    ),
                    documentation: docs(&p.documentation),
                    rust: full(self.member(gi, &slot)),
                    // A repeated element is a `Vec`, never boxed (as in the renderer).
                    rust_boxed: crate::model::naming::occurs(p.min, &p.max)
                        != crate::model::naming::Occurs::Many
                        && self.is_boxed(owner, gi, type_),
                })),
            }
        }
        Group {
            compositor,
            min,
            max,
            particles,
            rust_type,
            rust,
        }
    }

    /// Whether the field or variant of an element of type `type_` in group `g` (in the
    /// content of `owner`) holds its value in a `Box`: the holder is `owner` where `g` is
    /// flattened into its struct, else the group's own struct or enum.
    fn is_boxed(&self, owner: &TypeIdent, g: &TypeIdent, type_: &TypeIdent) -> bool {
        let flattened = owner != g
            && matches!(
                self.structure.kind(owner),
                Some(Kind::Complex(c)) if matches!(
                    &c.content.shape,
                    ContentShape::Sequence(x) | ContentShape::All(x) if x == g
                )
            );
        let holder = if flattened { owner } else { g };
        let target = self.naming.resolve(self.structure, type_);
        self.boxed.contains(&(holder.clone(), target.clone()))
    }

    /// The declaration of particle `index` of model group `g` in the content of `owner`.
    fn particle_decl(&self, owner: &TypeIdent, g: &TypeIdent, index: usize) -> Option<&FieldDecl> {
        self.fields
            .particles
            .get(&(owner.clone(), g.clone()))?
            .get(&index)
    }

    /// The Rust struct of the complex type whose content sequence is `gi`.
    fn content_owner_rust(&self, gi: &TypeIdent) -> Option<String> {
        self.content_owners
            .get(gi)?
            .iter()
            .find_map(|owner| self.rust_type(owner))
    }
}

fn is_xs(n: &roxmltree::Node<'_, '_>, name: &str) -> bool {
    n.is_element() && n.tag_name().namespace() == Some(XS_NS) && n.tag_name().name() == name
}

fn namespace_constraint(ns: Option<&NamespaceListType>) -> String {
    match ns {
        None | Some(NamespaceListType::Any) => "##any".into(),
        Some(NamespaceListType::Other) => "##other".into(),
        Some(NamespaceListType::BasicNamespaceList(list)) => {
            let mut items: Vec<String> = list
                .0
                .iter()
                .map(|i| match i {
                    BasicNamespaceListItemType::String(s) => s.clone(),
                    BasicNamespaceListItemType::TargetNamespace => "##targetNamespace".into(),
                    BasicNamespaceListItemType::Local => "##local".into(),
                })
                .collect();
            items.sort();
            items.dedup();
            items.join(" ")
        }
    }
}

/// Documentation on the facets of named simple types (`xs:pattern` annotations), which the
/// XSD engine does not keep: `{ns}Name` → texts.
fn facet_docs(loaded: &Loaded) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for doc in loaded.schemas.values() {
        let Some(parsed) = crate::xml::reparse(&doc.text) else {
            continue;
        };
        let root = parsed.root_element();
        for st in root.children().filter(|n| is_xs(n, "simpleType")) {
            let Some(name) = st.attribute("name") else {
                continue;
            };
            let key = qkey(doc.target_namespace.as_deref(), name);
            for r in st.children().filter(|n| is_xs(n, "restriction")) {
                for facet in r
                    .children()
                    .filter(|n| n.is_element() && n.tag_name().name() != "enumeration")
                {
                    for ann in facet.children().filter(|n| is_xs(n, "annotation")) {
                        for d in ann.children().filter(|n| is_xs(n, "documentation")) {
                            let text = normalize_doc(
                                &d.descendants()
                                    .filter(|n| n.is_text())
                                    .filter_map(|n| n.text())
                                    .collect::<String>(),
                            );
                            if !text.is_empty() {
                                out.entry(key.clone())
                                    .or_default()
                                    .push(format!("{}: {text}", facet.tag_name().name()));
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_docs() {
        assert_eq!(qkey(Some("urn:a"), "X"), "{urn:a}X");
        assert_eq!(qkey(None, "X"), "X");
        assert_eq!(local_of("{urn:a}X"), "X");
        assert_eq!(namespace_of("{urn:a}X"), Some("urn:a"));
        assert_eq!(namespace_of("X"), None);
        assert_eq!(normalize_doc("  a\r\n\tb  c\r"), "a b c");
        assert_eq!(undouble("ab c ab c".into()), "ab c");
        assert_eq!(undouble("abcabc".into()), "abc");
        assert_eq!(undouble("ab cd".into()), "ab cd");
        assert_eq!(undouble("åäåä".into()), "åä");
    }
}
