//! Where each field of the model is declared, and the `default` and `fixed` values written
//! there: the `xs:element` of every element particle and the `xs:attribute` of every attribute,
//! found in the schema text inside the declaration of the item that holds them (the engine
//! keeps neither their positions nor `fixed`).
//!
//! A particle of model group `g` is looked for inside the declaration `g` is traced to (see
//! `positions`): a named group's own, or the type or element an anonymous group belongs to;
//! the shallowest `xs:element` of that name (or referring to it) is the one. An attribute of
//! complex type `t` is looked for in `t`'s declaration, then in those of its bases (an
//! inherited attribute is declared there), then in the attribute groups they refer to. For a
//! reference (`ref=`), the place is the reference and the values are the referenced global
//! declaration's, unless the reference carries its own (an attribute use may).
//!
//! Read on demand (by `diff`), not when generating: it parses the schema texts again.

use std::collections::{BTreeMap, HashMap, VecDeque};

use roxmltree::{Document, Node};
use xsd_parser::TypeIdent;

use super::Model;
use super::particles::Term;
use super::types::Kind as TypeKind;
use crate::error::Location;
use crate::xml::XS_NS;
use crate::xsd::links::{Declared, Kind};

/// One field's declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldDecl {
    /// Where the declaration (or the reference) stands.
    pub location: Location,
    /// `default`, when declared.
    pub default: Option<String>,
    /// `fixed`, when declared.
    pub fixed: Option<String>,
}

/// The declarations of the fields of a contract, by holder and position among its particles
/// or attributes (`Particle::index`, `Attribute::index`).
#[derive(Debug, Clone, Default)]
pub(crate) struct FieldDecls {
    /// (Owner, model group) → particle index → its element's declaration. The owner is the
    /// complex type whose content the group is (or is nested in), or, for a group read on its
    /// own, the group itself: a group shared by several types (a restriction may share its
    /// base's) has its particles declared once per type.
    pub particles: BTreeMap<(TypeIdent, TypeIdent), BTreeMap<usize, FieldDecl>>,
    /// Complex type → attribute index → its declaration.
    pub attributes: BTreeMap<TypeIdent, BTreeMap<usize, FieldDecl>>,
    /// Global element → its declaration.
    pub elements: BTreeMap<TypeIdent, FieldDecl>,
}

/// How many declarations deep a search follows bases and attribute groups.
const MAX_HOPS: usize = 16;

/// Finds the declaration of every element particle and attribute of `model`.
pub(crate) fn of(model: &Model) -> FieldDecls {
    let texts = Texts::parse(model);
    let mut out = FieldDecls::default();
    let structure = &model.structure;
    for i in structure.types.keys() {
        if i.type_ == xsd_parser::IdentType::Element
            && i.name.is_named()
            && let Some(h) = texts.declaration_of(i)
            && let Some(n) = texts.node(h)
        {
            out.elements
                .insert(i.clone(), texts.decl(h.schema, n, "element"));
        }
    }
    for (owner, t) in &structure.types {
        let top = match &t.kind {
            TypeKind::Complex(c) => c.content.shape.ident(),
            TypeKind::Group(_) => Some(owner),
            _ => None,
        };
        let Some(top) = top else {
            continue;
        };
        // The owner's declaration and its bases' (an extension's content starts with its
        // base's particles).
        let owner_chain = texts.derivation_chain(owner);
        // The groups of the content, nested ones included, each once.
        let mut queue = vec![top];
        let mut seen = std::collections::BTreeSet::new();
        while let Some(g) = queue.pop() {
            if !seen.insert(g) || seen.len() > 4 * MAX_HOPS {
                continue;
            }
            let Some(group) = structure.groups.get(g) else {
                continue;
            };
            // A named group's own declaration first; then the owner's and its bases', where an
            // anonymous group stands (a restriction's particles are its own even where the
            // engine shares its base's group); then the declaration the group is traced to;
            // then the groups those refer to.
            let named_group = (g.type_ == xsd_parser::IdentType::Group && g.name.is_named())
                .then(|| texts.declaration_of(g))
                .flatten();
            let holders: Vec<Holder<'_>> = named_group
                .into_iter()
                .chain(owner_chain.iter().copied())
                .chain(texts.declaration_of(g))
                .collect();
            let mut found = BTreeMap::new();
            for p in &group.particles {
                match &p.term {
                    Term::Element { local, .. } => {
                        let decl = holders
                            .iter()
                            .find_map(|h| texts.field(*h, "element", local))
                            .or_else(|| {
                                holders
                                    .iter()
                                    .find_map(|h| texts.in_referenced(*h, "element", local, 0))
                            });
                        if let Some(decl) = decl {
                            found.insert(p.index, decl);
                        }
                    }
                    Term::Group(inner) => queue.push(inner),
                    Term::Any(_) | Term::Text => {}
                }
            }
            if !found.is_empty() {
                out.particles.insert((owner.clone(), g.clone()), found);
            }
        }
    }
    for (t, attributes) in &structure.attributes {
        // The type's own declaration, then its bases', where inherited attributes stand.
        let holders = texts.derivation_chain(t);
        let mut found = BTreeMap::new();
        for a in &attributes.declared {
            let decl = holders
                .iter()
                .find_map(|h| texts.field(*h, "attribute", &a.local))
                .or_else(|| {
                    holders
                        .iter()
                        .find_map(|h| texts.in_referenced(*h, "attribute", &a.local, 0))
                });
            if let Some(decl) = decl {
                found.insert(a.index, decl);
            }
        }
        if !found.is_empty() {
            out.attributes.insert(t.clone(), found);
        }
    }
    out
}

/// The schema documents parsed again, with each element node found by its position.
struct Texts<'m> {
    model: &'m Model,
    docs: HashMap<&'m str, Parsed<'m>>,
}

struct Parsed<'m> {
    doc: Document<'m>,
    positions: crate::xml::Positions<'m>,
    /// Element nodes by line and column (node ids).
    at: HashMap<(u32, u32), roxmltree::NodeId>,
}

/// A declaration's node: its schema document and node id.
#[derive(Clone, Copy)]
struct Holder<'m> {
    schema: &'m str,
    node: roxmltree::NodeId,
}

impl<'m> Texts<'m> {
    fn parse(model: &'m Model) -> Self {
        let mut docs = HashMap::new();
        for (path, d) in &model.loaded.schemas {
            let Some(doc) = crate::xml::reparse(&d.text) else {
                continue;
            };
            let positions = crate::xml::Positions::new(&d.text);
            let at = doc
                .descendants()
                .filter(Node::is_element)
                .map(|n| (positions.of(n), n.id()))
                .collect();
            docs.insert(path.as_str(), Parsed { doc, positions, at });
        }
        Self { model, docs }
    }

    fn node(&self, h: Holder<'m>) -> Option<Node<'_, 'm>> {
        self.docs.get(h.schema)?.doc.get_node(h.node)
    }

    fn holder(&self, d: &Declared) -> Option<Holder<'m>> {
        let (schema, parsed) = self.docs.get_key_value(d.schema.as_str())?;
        Some(Holder {
            schema,
            node: *parsed.at.get(&d.at)?,
        })
    }

    /// The declarations of type `t` and of the types it derives from, nearest first.
    /// (Bounded: a redefinition's base has the name of what it redefines.)
    fn derivation_chain(&self, t: &TypeIdent) -> Vec<Holder<'m>> {
        let mut holders = Vec::new();
        let mut cur = Some(t);
        for _ in 0..MAX_HOPS {
            let Some(i) = cur else { break };
            if let Some(h) = self.declaration_of(i) {
                holders.push(h);
            }
            cur = match self.model.structure.kind(i) {
                Some(TypeKind::Complex(c)) => c.base.base(),
                _ => None,
            };
        }
        holders
    }

    /// The declaration item `i` is traced to.
    fn declaration_of(&self, i: &TypeIdent) -> Option<Holder<'m>> {
        let d = super::positions::declared_at(
            &self.model.loaded.types,
            &self.model.loaded.source.declarations,
            i,
        )?;
        self.holder(&d)
    }

    /// The shallowest `xs:{construct}` named `local` (or referring to it) inside the
    /// declaration `h`, not looking into other declarations it refers to.
    fn field(&self, h: Holder<'m>, construct: &str, local: &str) -> Option<FieldDecl> {
        let root = self.node(h)?;
        let mut queue: VecDeque<Node<'_, 'm>> = root.children().collect();
        while let Some(n) = queue.pop_front() {
            if !is_xs(&n) {
                continue;
            }
            let name = n.tag_name().name();
            if name == construct && names(&n, local) {
                return Some(self.decl(h.schema, n, construct));
            }
            queue.extend(n.children());
        }
        None
    }

    /// The `xs:{construct}` named `local` in the groups declaration `h` refers to (model
    /// groups for an element, attribute groups for an attribute), and in theirs.
    fn in_referenced(
        &self,
        h: Holder<'m>,
        construct: &str,
        local: &str,
        hops: usize,
    ) -> Option<FieldDecl> {
        if hops > MAX_HOPS {
            return None;
        }
        let (group, kind) = if construct == "attribute" {
            ("attributeGroup", Kind::AttributeGroup)
        } else {
            ("group", Kind::Group)
        };
        let root = self.node(h)?;
        let groups: Vec<Holder<'m>> = root
            .descendants()
            .filter(|n| is_xs(n) && n.tag_name().name() == group)
            .filter_map(|n| {
                let (ns, name) = resolve(&n, n.attribute("ref")?);
                let d = self
                    .model
                    .loaded
                    .source
                    .declarations
                    .at(kind, ns.as_deref(), name)?;
                self.holder(d)
            })
            .collect();
        groups.iter().find_map(|g| {
            self.field(*g, construct, local)
                .or_else(|| self.in_referenced(*g, construct, local, hops + 1))
        })
    }

    /// The declaration at node `n` of `schema`: its place, and its values or, for a reference
    /// without values of its own, the referenced global declaration's.
    fn decl(&self, schema: &str, n: Node<'_, '_>, construct: &str) -> FieldDecl {
        let doc = &self.model.loaded.schemas[schema];
        let location = crate::xsd::links::location(doc, self.docs[schema].positions.of(n));
        let own = (
            n.attribute("default").map(str::to_owned),
            n.attribute("fixed").map(str::to_owned),
        );
        let (default, fixed) = match (own, n.attribute("ref")) {
            ((None, None), Some(r)) => {
                let (ns, name) = resolve(&n, r);
                let kind = if construct == "attribute" {
                    Kind::Attribute
                } else {
                    Kind::Element
                };
                self.model
                    .loaded
                    .source
                    .declarations
                    .at(kind, ns.as_deref(), name)
                    .and_then(|d| self.holder(d))
                    .and_then(|h| self.node(h))
                    .map_or((None, None), |g| {
                        (
                            g.attribute("default").map(str::to_owned),
                            g.attribute("fixed").map(str::to_owned),
                        )
                    })
            }
            (own, _) => own,
        };
        FieldDecl {
            location,
            default,
            fixed,
        }
    }
}

fn is_xs(n: &Node<'_, '_>) -> bool {
    n.is_element() && n.tag_name().namespace() == Some(XS_NS)
}

/// Whether declaration `n` declares `local` or refers to a global declaration named so.
fn names(n: &Node<'_, '_>, local: &str) -> bool {
    n.attribute("name") == Some(local)
        || n.attribute("ref")
            .is_some_and(|r| r.rsplit(':').next() == Some(local))
}

/// A QName attribute value resolved where it stands: (namespace, local name).
fn resolve<'v>(n: &Node<'_, '_>, qname: &'v str) -> (Option<String>, &'v str) {
    let (prefix, local) = match qname.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, qname),
    };
    (n.lookup_namespace_uri(prefix).map(str::to_owned), local)
}
