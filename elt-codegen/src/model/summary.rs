//! The names the generated code gives, read from [`Naming`](super::naming::Naming) without
//! rendering: what `inspect` and `diff` report, and what `Builder` hands back.

use std::collections::{BTreeMap, BTreeSet};

use xsd_parser::{MetaTypes, TypeIdent};

use super::Structure;
use super::builtin::builtin;
use super::clients::ClientNaming;
use super::naming::{Naming, Slot};
use super::types::{ContentShape, Kind};

/// The Rust item behind each global element, XSD type, particle, enumeration value, port and
/// operation, for `inspect` and `diff`. Paths are relative to the generated root module.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RenderSummary {
    /// `{namespace}local` of each global element → (Rust type path, `RootElement` constant path),
    /// both relative to the generated root module.
    pub elements: BTreeMap<String, (String, String)>,
    /// XML namespace → Rust module.
    pub modules: BTreeMap<String, String>,
    /// The key of every XSD type (or model group) that becomes a Rust item (namespace URI,
    /// kind of ident, name and schema, `|`-separated) → `module::Name`. The keys are only
    /// meaningful for the `MetaTypes` that were named.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub types: BTreeMap<String, String>,
    /// The key of a complex type, model group or enumeration → slot → Rust member name.
    /// Slots: `attr:N` the field of the N-th attribute; `el:N` the N-th particle of a sequence
    /// (a field) or a choice (a variant); `content` the field holding a complex type's content
    /// when that is a single choice; `value` the field of simple content; `enum:VALUE` the
    /// variant of an enumeration value; `member:N` the variant of a union's N-th member type;
    /// `member:{namespace}local` the variant of a substitution group's member element or of a
    /// type derived from an abstract type.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub members: BTreeMap<String, BTreeMap<String, String>>,
    /// The key of a restricted union → its enum of member types (`module::Name`), which is not
    /// the type's own item (that one is the restricted value holding the enum).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub union_enums: BTreeMap<String, String>,
    /// `wsdl:port` name → client type (`module::Client`), when client stubs are generated.
    pub clients: BTreeMap<String, String>,
    /// WSDL operation name → the client methods that call it (`module::Client::method`).
    pub methods: BTreeMap<String, BTreeSet<String>>,
    /// WSDL operation name → fault name → fault enum variant (`module::OpFault::Variant`).
    pub faults: BTreeMap<String, BTreeMap<String, String>>,
}

/// A key for a type ident that stays the same across loadings of the same contract:
/// namespace URI, kind of ident, name and schema.
pub(crate) fn ident_key(types: &MetaTypes, i: &TypeIdent) -> String {
    let uri = crate::xsd::namespace_uri(types, i.ns).unwrap_or_default();
    format!("{uri}|{:?}|{}|{:?}", i.type_, i.name.as_str(), i.schema)
}

/// The names of everything the contract's types (and, with `clients`, its SOAP ports)
/// become; `runtime` is the XML runtime crate's path, which built-in types are spelled with.
pub(crate) fn summarize(
    types: &MetaTypes,
    naming: &Naming,
    structure: &Structure,
    runtime: &str,
) -> RenderSummary {
    let mut out = RenderSummary::default();
    let key = |i: &TypeIdent| ident_key(types, i);
    let mut with_items: BTreeSet<String> = BTreeSet::new();
    for (i, n) in &naming.names {
        out.types
            .insert(key(i), format!("{}::{}", n.module, n.name));
        with_items.insert(n.module.clone());
    }
    members(types, naming, structure, &mut out);
    for (i, name) in &naming.union_enums {
        if let Some(n) = naming.names.get(i) {
            out.union_enums
                .insert(key(i), format!("{}::{name}", n.module));
        }
    }
    with_items.extend(client_names(&naming.clients, &mut out));
    for (el, root) in &naming.roots {
        let module = naming.module_of.get(&el.ns).cloned().unwrap_or_default();
        with_items.insert(module.clone());
        let uri = naming.uri(el.ns);
        let local = el.name.as_str();
        let key = qualified(uri.as_deref(), local);
        let ty = match &root.alias {
            Some(alias) => format!("{module}::{alias}"),
            None => {
                let own = match structure.kind(el) {
                    Some(Kind::Substitution(s)) => s.own.clone().unwrap_or(el.clone()),
                    _ => el.clone(),
                };
                let target = naming.resolve(structure, &own);
                match naming.names.get(target) {
                    Some(n) => format!("{}::{}", n.module, n.name),
                    None => type_text(structure, naming, &own, runtime, 0),
                }
            }
        };
        out.elements
            .insert(key, (ty, format!("{module}::{}", root.constant)));
    }
    // A namespace whose declarations all map to built-in types (say, one global attribute of
    // type `xs:string`) gets no module.
    for (id, m) in &naming.module_of {
        if with_items.contains(m) {
            out.modules
                .insert(naming.uri(*id).unwrap_or_default(), m.clone());
        }
    }
    out
}

/// A qualified name as the summary's keys spell it: `{namespace}local`, or `local` without a
/// namespace.
fn qualified(ns: Option<&str>, local: &str) -> String {
    match ns {
        Some(ns) => format!("{{{ns}}}{local}"),
        None => local.to_owned(),
    }
}

/// The Rust type of an unnamed reference chain (`List<i64>`, `Nillable<String>`), as source.
fn type_text(
    structure: &Structure,
    naming: &Naming,
    target: &TypeIdent,
    runtime: &str,
    depth: usize,
) -> String {
    if naming.is_builtin(target)
        && let Some(b) = builtin(target.name.as_str())
    {
        return b.path(runtime);
    }
    if let Some(n) = naming.names.get(target) {
        return format!("{}::{}", n.module, n.name);
    }
    match structure.kind(target) {
        Some(Kind::Reference {
            target,
            list,
            nillable,
        }) if depth < 64 => {
            let inner = type_text(structure, naming, target, runtime, depth + 1);
            let inner = if *list {
                format!("::{runtime}::List<{inner}>")
            } else {
                inner
            };
            if *nillable {
                format!("::{runtime}::Nillable<{inner}>")
            } else {
                inner
            }
        }
        _ => target.name.as_str().to_owned(),
    }
}

/// Field and variant names as the naming pass gave them, under the summary's slot names:
/// `attr:N`, `el:N` (a complex type's flattened particles under its content group's key),
/// `content`, `value`, `enum:VALUE`, `member:N` and `member:{namespace}local`.
fn members(types: &MetaTypes, naming: &Naming, structure: &Structure, out: &mut RenderSummary) {
    let key = |i: &TypeIdent| ident_key(types, i);
    for (owner, slots) in &naming.members {
        let Some(kind) = structure.kind(owner) else {
            continue;
        };
        // The group whose particles a complex type flattens into its own fields.
        let flattened = match kind {
            Kind::Complex(c) => match &c.content.shape {
                ContentShape::Sequence(g) | ContentShape::All(g) => Some(g),
                _ => None,
            },
            _ => None,
        };
        let mut own = BTreeMap::new();
        for (slot, name) in slots {
            let name = name.clone();
            match (slot, kind) {
                (Slot::Attribute(n), _) => {
                    own.insert(format!("attr:{n}"), name);
                }
                (Slot::Particle(n), Kind::Complex(_)) => {
                    if let Some(ci) = flattened {
                        out.members
                            .entry(key(ci))
                            .or_default()
                            .insert(format!("el:{n}"), name);
                    }
                }
                (Slot::Particle(n), _) => {
                    own.insert(format!("el:{n}"), name);
                }
                (Slot::Content, _) => {
                    own.insert("content".into(), name);
                }
                (Slot::Value, _) => {
                    own.insert("value".into(), name);
                }
                (Slot::EnumValue(n), _) => {
                    if let Some(v) = structure.enumerations.get(owner).and_then(|e| e.get(*n)) {
                        own.insert(format!("enum:{}", v.lexical), name);
                    }
                }
                (Slot::Member(n), Kind::Union) => {
                    own.insert(format!("member:{n}"), name);
                }
                (Slot::Member(n), Kind::Substitution(_)) => {
                    if let Some(m) = structure.substitutes.get(owner).and_then(|s| s.get(*n)) {
                        own.insert(
                            format!("member:{}", qualified(m.ns.as_deref(), &m.local)),
                            name,
                        );
                    }
                }
                (Slot::Member(n), Kind::Complex(_)) => {
                    if let Some(d) = structure.derived.get(owner).and_then(|d| d.get(*n)) {
                        let uri = naming.uri(d.ns);
                        own.insert(
                            format!("member:{}", qualified(uri.as_deref(), d.name.as_str())),
                            name,
                        );
                    }
                }
                _ => {}
            }
        }
        out.members.insert(key(owner), own);
    }
}

/// Client types, methods and fault variants by port and operation name. Returns the modules
/// that get a client.
fn client_names(clients: &ClientNaming, out: &mut RenderSummary) -> BTreeSet<String> {
    let mut modules = BTreeSet::new();
    for names in clients.ports.values() {
        modules.insert(names.module.clone());
        let client = format!("{}::{}", names.module, names.client);
        out.clients.insert(names.port.clone(), client.clone());
        for op in names.operations.values() {
            out.methods
                .entry(op.operation.clone())
                .or_default()
                .insert(format!("{client}::{}", op.method));
            if let Some(fault) = &op.fault_enum {
                for (fname, v) in &op.fault_variants {
                    out.faults
                        .entry(op.operation.clone())
                        .or_default()
                        .insert(fname.clone(), format!("{}::{fault}::{v}", names.module));
                }
            }
        }
    }
    for (m, uri) in &clients.wsdl_modules {
        out.modules
            .insert(uri.clone().unwrap_or_default(), m.clone());
    }
    modules
}
