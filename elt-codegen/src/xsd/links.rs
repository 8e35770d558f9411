//! A check that every reference between schema components resolves, run before the XSD engine
//! so that a missing file, type or element is reported with its file, line and column (the
//! engine itself only names the missing type).

use std::collections::{BTreeMap, BTreeSet};

use roxmltree::{Document, Node};

use super::{SchemaDoc, XS_BUILTINS};
use crate::error::{Error, Location, Result};
use crate::xml::XS_NS;

/// Kinds of named schema components (each has its own symbol space).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Type,
    Element,
    Attribute,
    Group,
    AttributeGroup,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Type => "type",
            Kind::Element => "element",
            Kind::Attribute => "attribute",
            Kind::Group => "group",
            Kind::AttributeGroup => "attribute group",
        }
    }

    fn of_declaration(local: &str) -> Option<Kind> {
        Some(match local {
            "simpleType" | "complexType" => Kind::Type,
            "element" => Kind::Element,
            "attribute" => Kind::Attribute,
            "group" => Kind::Group,
            "attributeGroup" => Kind::AttributeGroup,
            _ => return None,
        })
    }
}

type DeclaredNames = BTreeSet<(Kind, Option<String>, String)>;

/// The namespaces a schema's declarations land in: its own, or for a schema without a target
/// namespace also those of every schema that includes it (chameleon include).
fn effective_namespaces(docs: &BTreeMap<String, SchemaDoc>, path: &str) -> Vec<Option<String>> {
    let doc = &docs[path];
    let mut out = vec![doc.target_namespace.clone()];
    if doc.target_namespace.is_none() {
        for other in docs.values() {
            if other.references.iter().any(|r| r == path) && other.target_namespace.is_some() {
                out.push(other.target_namespace.clone());
            }
        }
    }
    out
}

/// One QName reference found in a schema.
#[derive(Debug, Clone)]
pub(crate) struct Reference {
    kind: Kind,
    /// The attribute that holds it (`type`, `base`, ...), for the message.
    attr: &'static str,
    /// The QName as written.
    qname: String,
    /// Its namespace, resolved where it stands; `Err(prefix)` when the prefix is undeclared.
    namespace: std::result::Result<Option<String>, String>,
    /// Whether it was written without a prefix.
    unprefixed: bool,
    local: String,
    position: (u32, u32),
}

/// What the link check needs from one schema, gathered in the single parse of that schema.
#[derive(Debug, Clone, Default)]
pub(crate) struct LinkInfo {
    /// Top-level declarations: kind, name, line/column, and whether it stands inside
    /// `xs:redefine`/`xs:override` (so replaces a declaration of the same name).
    declarations: Vec<(Kind, String, (u32, u32), bool)>,
    references: Vec<Reference>,
    /// `(construct, schemaLocation, line/column)` of includes, imports, redefines.
    locations: Vec<(String, String, (u32, u32))>,
}

impl LinkInfo {
    /// Records that the `xs:import` of `from` now points at `to` (an import outside the
    /// contract linked to the schema of its namespace in the set).
    pub(crate) fn relink(&mut self, from: &str, to: &str) {
        for (construct, location, _) in &mut self.locations {
            if construct == "import" && location == from {
                to.clone_into(location);
            }
        }
    }

    /// Whether a QName reference of this schema is in namespace `ns`.
    pub(crate) fn refers_to(&self, ns: &str) -> bool {
        self.references
            .iter()
            .any(|r| matches!(&r.namespace, Ok(Some(n)) if n == ns))
    }
}

/// Gathers declarations, references and schema locations of one parsed schema.
pub(crate) fn scan(doc: &Document<'_>) -> LinkInfo {
    let mut info = LinkInfo::default();
    let root = doc.root_element();
    let positions = crate::xml::Positions::new(doc.input_text());
    let pos = |n: Node<'_, '_>| positions.of(n);
    for n in root.children().filter(|n| n.is_element()) {
        // Declarations inside xs:redefine / xs:override are top-level too.
        let redefines = matches!(n.tag_name().name(), "redefine" | "override");
        let tops: Vec<Node<'_, '_>> = if redefines {
            n.children().filter(|c| c.is_element()).collect()
        } else {
            vec![n]
        };
        for t in tops {
            if t.tag_name().namespace() != Some(XS_NS) {
                continue;
            }
            if let (Some(kind), Some(name)) = (
                Kind::of_declaration(t.tag_name().name()),
                t.attribute("name"),
            ) {
                info.declarations
                    .push((kind, name.to_owned(), pos(t), redefines));
            }
        }
    }
    for n in doc
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().namespace() == Some(XS_NS))
    {
        let local = n.tag_name().name();
        if matches!(local, "include" | "import" | "redefine" | "override")
            && let Some(l) = n.attribute("schemaLocation")
        {
            info.locations
                .push((local.to_owned(), l.to_owned(), pos(n)));
        }
        let refs: &[(Kind, &'static str)] = match local {
            "element" => &[
                (Kind::Type, "type"),
                (Kind::Element, "ref"),
                (Kind::Element, "substitutionGroup"),
            ],
            "attribute" => &[(Kind::Type, "type"), (Kind::Attribute, "ref")],
            "restriction" | "extension" => &[(Kind::Type, "base")],
            "list" => &[(Kind::Type, "itemType")],
            "union" => &[(Kind::Type, "memberTypes")],
            "group" => &[(Kind::Group, "ref")],
            "attributeGroup" => &[(Kind::AttributeGroup, "ref")],
            _ => &[],
        };
        for (kind, attr) in refs {
            let Some(value) = n.attribute(*attr) else {
                continue;
            };
            for qname in value.split_ascii_whitespace() {
                let resolved = crate::xml::resolve_qname(n, qname);
                info.references.push(Reference {
                    kind: *kind,
                    attr,
                    qname: qname.to_owned(),
                    namespace: resolved
                        .as_ref()
                        .map(|q| q.namespace.clone())
                        .map_err(|p| (*p).to_owned()),
                    unprefixed: !qname.contains(':'),
                    local: qname.split_once(':').map_or(qname, |(_, l)| l).to_owned(),
                    position: pos(n),
                });
            }
        }
    }
    info
}

/// Checks that every `xs:include`/`xs:import` location is in the input and every QName
/// reference (`type`, `base`, `ref`, `itemType`, `memberTypes`, `substitutionGroup`) names a
/// declared component.
pub fn check(docs: &BTreeMap<String, SchemaDoc>) -> Result<()> {
    let mut declared: DeclaredNames = BTreeSet::new();
    for (path, d) in docs {
        for ns in effective_namespaces(docs, path) {
            for (kind, name, ..) in &d.links.declarations {
                declared.insert((*kind, ns.clone(), name.clone()));
            }
        }
    }
    for (path, d) in docs {
        for (construct, l, at) in &d.links.locations {
            let target = crate::input::resolve_relative(&d.path, l)
                .or_else(|| l.strip_prefix(super::ROOT_URL).map(str::to_owned));
            if !target.as_ref().is_some_and(|t| docs.contains_key(t)) {
                return Err(Error::Unresolved {
                    location: location(d, *at),
                    message: format!("xs:{construct} of {l:?}: that file is not in the input"),
                });
            }
        }
        let namespaces = effective_namespaces(docs, path);
        for r in &d.links.references {
            let ns = match &r.namespace {
                Ok(ns) => ns.clone(),
                Err(prefix) => {
                    return Err(Error::Unresolved {
                        location: location(d, r.position),
                        message: format!(
                            "{}=\"{}\": prefix `{prefix}` is not declared",
                            r.attr, r.qname
                        ),
                    });
                }
            };
            let name = r.local.as_str();
            if ns.as_deref() == Some(XS_NS) && r.kind == Kind::Type && XS_BUILTINS.contains(&name) {
                continue;
            }
            // An unprefixed name in a chameleon schema lands in its includer's namespace.
            let candidates: Vec<Option<String>> = if r.unprefixed && d.target_namespace.is_none() {
                namespaces.clone()
            } else {
                vec![ns.clone()]
            };
            if candidates
                .iter()
                .any(|c| declared.contains(&(r.kind, c.clone(), name.to_owned())))
            {
                continue;
            }
            let full = match &ns {
                Some(u) => format!("{{{u}}}{name}"),
                None => name.to_owned(),
            };
            return Err(Error::Unresolved {
                location: location(d, r.position),
                message: format!(
                    "{}=\"{}\" refers to the {} {full}, which no schema of the input declares",
                    r.attr,
                    r.qname,
                    r.kind.word()
                ),
            });
        }
    }
    Ok(())
}

/// Where each named schema component is declared: file, line and column (in the WSDL for an
/// inline schema). A declaration inside `xs:redefine`/`xs:override` is the one that counts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Declarations(BTreeMap<(Kind, Option<String>, String), Declared>);

/// One declaration's place.
#[derive(Debug, Clone)]
pub(crate) struct Declared {
    /// Where a reader finds it: the schema file, or the WSDL for an inline schema.
    pub location: Location,
    /// The schema document's path in the set, and the line and column in its text.
    pub schema: String,
    pub at: (u32, u32),
}

impl Declarations {
    /// The declarations of every schema of `docs`, under each namespace they land in.
    pub(crate) fn of(docs: &BTreeMap<String, SchemaDoc>) -> Self {
        let mut out = BTreeMap::new();
        for (path, d) in docs {
            for ns in effective_namespaces(docs, path) {
                for (kind, name, at, redefines) in &d.links.declarations {
                    let key = (*kind, ns.clone(), name.clone());
                    if *redefines || !out.contains_key(&key) {
                        let declared = Declared {
                            location: location(d, *at),
                            schema: path.clone(),
                            at: *at,
                        };
                        out.insert(key, declared);
                    }
                }
            }
        }
        Self(out)
    }

    /// Where the component `kind` named `{ns}name` is declared.
    pub(crate) fn at(&self, kind: Kind, ns: Option<&str>, name: &str) -> Option<&Declared> {
        self.0.get(&(kind, ns.map(str::to_owned), name.to_owned()))
    }
}

/// Where line `row`, column `col` of schema document `d` is for a reader: in the WSDL for an
/// inline schema (its text starts at its recorded place there).
pub(crate) fn location(d: &SchemaDoc, (row, col): (u32, u32)) -> Location {
    match &d.inline_in {
        // Inline schemas: point into the WSDL (the schema text starts at its recorded place).
        Some((wsdl, at)) => Location {
            file: wsdl.clone(),
            position: Some((row + at.0 - 1, if row == 1 { col + at.1 - 1 } else { col })),
        },
        None => Location {
            file: d.path.clone(),
            position: Some((row, col)),
        },
    }
}
