//! Which way each type travels. Walks from every operation's input (and input headers): *sent*;
//! from its output and faults: *received*; and from every global element that no operation and
//! no other declaration refers to (such as `Tidredovisning`, the signed document that travels
//! base64-encoded inside the request): a document we *send*. A type reached both ways is both;
//! a type reached from nothing is used by no message.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::model::{
    BodyRef, Content, Contract, Group, Particle, QKey, TypeDef, TypeKind, TypeRef, local_of,
};

/// Whether something is in what we send, what we receive, both or neither.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Direction {
    /// In a request or a document we send.
    pub sent: bool,
    /// In a response or fault we parse.
    pub received: bool,
}

impl Direction {
    /// Used by no message.
    pub const NONE: Direction = Direction {
        sent: false,
        received: false,
    };
    /// Sent only.
    pub const SENT: Direction = Direction {
        sent: true,
        received: false,
    };
    /// Received only.
    pub const RECEIVED: Direction = Direction {
        sent: false,
        received: true,
    };
    /// Both ways.
    pub const BOTH: Direction = Direction {
        sent: true,
        received: true,
    };

    /// Both directions together.
    pub fn union(self, other: Direction) -> Direction {
        Direction {
            sent: self.sent || other.sent,
            received: self.received || other.received,
        }
    }

    /// `sent`, `received`, `sent and received` or `unused`.
    pub fn label(self) -> &'static str {
        match (self.sent, self.received) {
            (true, true) => "sent and received",
            (true, false) => "sent",
            (false, true) => "received",
            (false, false) => "unused",
        }
    }
}

/// A message or document from which types are reached.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Root {
    /// `operation SkickaTidredovisning` or `document Tidredovisning`.
    pub group: String,
    /// `request`, `response`, `fault X`, `header X` or `document`.
    pub role: String,
    /// Which way it travels.
    pub direction: Direction,
    /// What it starts from: a global element, or a type (an rpc part declared by type).
    pub element: BodyRef,
}

/// Reachability of the types and elements of one contract.
#[derive(Debug, Clone, Default)]
pub struct Usage {
    /// Every root.
    pub roots: Vec<Root>,
    types: BTreeMap<QKey, BTreeSet<usize>>,
    elements: BTreeMap<QKey, BTreeSet<usize>>,
}

/// The group name of an operation.
pub fn operation_group(name: &str) -> String {
    format!("operation {name}")
}

impl Usage {
    /// Walks `c` from its messages and documents.
    pub fn of(c: &Contract) -> Usage {
        let mut roots = Vec::new();
        let mut in_messages = BTreeSet::new();
        for op in c.operations.values() {
            let group = operation_group(&op.name);
            let mut add = |element: &Option<BodyRef>, role: String, direction| {
                if let Some(e) = element {
                    if let Some(key) = e.element() {
                        in_messages.insert(key.clone());
                    }
                    roots.push(Root {
                        group: group.clone(),
                        role,
                        direction,
                        element: e.clone(),
                    });
                }
            };
            add(&op.input, "request".into(), Direction::SENT);
            for h in &op.headers {
                add(
                    &Some(BodyRef::Element(h.clone())),
                    format!("header {}", h.local()),
                    Direction::SENT,
                );
            }
            add(&op.output, "response".into(), Direction::RECEIVED);
            for (name, e) in &op.faults {
                add(e, format!("fault {name}"), Direction::RECEIVED);
            }
        }
        let mut referenced = BTreeSet::new();
        for t in c.types.values() {
            element_refs_in_def(t, &mut referenced);
        }
        for e in c.elements.values() {
            element_refs_in_ref(&e.type_ref, &mut referenced);
        }
        for key in c.elements.keys() {
            if !in_messages.contains(key) && !referenced.contains(key) {
                roots.push(Root {
                    group: format!("document {}", local_of(key)),
                    role: "document".into(),
                    direction: Direction::SENT,
                    element: BodyRef::Element(key.clone()),
                });
            }
        }
        roots.sort();
        let mut usage = Usage {
            roots,
            ..Usage::default()
        };
        for (n, root) in usage.roots.iter().enumerate() {
            let mut walk = Walk {
                contract: c,
                types: BTreeSet::new(),
                elements: BTreeSet::new(),
            };
            match &root.element {
                BodyRef::Element(key) => walk.element(key),
                // An rpc part declared by type: what travels is a value of that type.
                BodyRef::Type(key) => walk.type_ref(&TypeRef::Named { key: key.clone() }),
            }
            for t in walk.types {
                usage.types.entry(t).or_default().insert(n);
            }
            for e in walk.elements {
                usage.elements.entry(e).or_default().insert(n);
            }
        }
        usage
    }

    fn dir(&self, roots: Option<&BTreeSet<usize>>) -> Direction {
        roots
            .into_iter()
            .flatten()
            .filter_map(|n| self.roots.get(*n))
            .fold(Direction::NONE, |d, r| d.union(r.direction))
    }

    /// Direction of a named type.
    pub fn type_dir(&self, key: &QKey) -> Direction {
        self.dir(self.types.get(key))
    }

    /// Direction of a global element.
    pub fn element_dir(&self, key: &QKey) -> Direction {
        self.dir(self.elements.get(key))
    }

    /// The roots reaching a named type.
    pub fn type_roots(&self, key: &QKey) -> Vec<&Root> {
        self.types
            .get(key)
            .into_iter()
            .flatten()
            .filter_map(|n| self.roots.get(*n))
            .collect()
    }

    /// The roots reaching a global element.
    pub fn element_roots(&self, key: &QKey) -> Vec<&Root> {
        self.elements
            .get(key)
            .into_iter()
            .flatten()
            .filter_map(|n| self.roots.get(*n))
            .collect()
    }
}

struct Walk<'c> {
    contract: &'c Contract,
    types: BTreeSet<QKey>,
    elements: BTreeSet<QKey>,
}

impl Walk<'_> {
    fn element(&mut self, key: &QKey) {
        if !self.elements.insert(key.clone()) {
            return;
        }
        if let Some(e) = self.contract.elements.get(key) {
            self.type_ref(&e.type_ref);
        }
    }

    fn type_ref(&mut self, r: &TypeRef) {
        match r {
            TypeRef::Named { key } => {
                if self.types.insert(key.clone())
                    && let Some(t) = self.contract.types.get(key)
                {
                    self.def(t);
                }
            }
            TypeRef::Element { key } => self.element(key),
            TypeRef::Inline { def } => self.def(def),
            TypeRef::Builtin { .. } | TypeRef::Unresolved { .. } => {}
        }
    }

    fn def(&mut self, t: &TypeDef) {
        match &t.kind {
            TypeKind::Complex(c) => {
                for a in c.attributes.values() {
                    self.type_ref(&a.type_ref);
                }
                // Where an abstract type is used, the types derived from it are what travels.
                for d in &c.derived {
                    self.type_ref(&TypeRef::Named { key: d.clone() });
                }
                match &c.content {
                    Content::Empty => {}
                    Content::Simple { type_ref, .. } => self.type_ref(type_ref),
                    Content::Particles(g) => self.group(g),
                }
            }
            TypeKind::Simple(s) => self.type_ref(&s.base),
            TypeKind::Union { members } => {
                for m in members {
                    self.type_ref(m);
                }
            }
            TypeKind::Abstract { derived } => {
                for d in derived {
                    self.type_ref(&TypeRef::Named { key: d.clone() });
                }
            }
        }
    }

    fn group(&mut self, g: &Group) {
        for p in &g.particles {
            match p {
                Particle::Element(e) => self.type_ref(&e.type_ref),
                Particle::Group(g) => self.group(g),
                Particle::Any(_) => {}
            }
        }
    }
}

fn element_refs_in_ref(r: &TypeRef, out: &mut BTreeSet<QKey>) {
    match r {
        TypeRef::Element { key } => {
            out.insert(key.clone());
        }
        TypeRef::Inline { def } => element_refs_in_def(def, out),
        _ => {}
    }
}

fn element_refs_in_def(t: &TypeDef, out: &mut BTreeSet<QKey>) {
    fn group(g: &Group, out: &mut BTreeSet<QKey>) {
        for p in &g.particles {
            match p {
                Particle::Element(e) => element_refs_in_ref(&e.type_ref, out),
                Particle::Group(g) => group(g, out),
                Particle::Any(_) => {}
            }
        }
    }
    if let TypeKind::Complex(c) = &t.kind {
        if let Content::Particles(g) = &c.content {
            group(g, out);
        }
        for a in c.attributes.values() {
            element_refs_in_ref(&a.type_ref, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::model::{
        ComplexDef, Compositor, ElementParticle, GlobalElement, Operation, TypeDef,
    };

    fn element(ty: &str) -> GlobalElement {
        GlobalElement {
            name: String::new(),
            namespace: None,
            type_ref: TypeRef::Named { key: ty.into() },
            nillable: false,
            fixed: None,
            documentation: Vec::new(),
            rust_type: None,
            rust_const: None,
        }
    }

    fn complex(children: &[&str]) -> TypeDef {
        TypeDef {
            rust_variants: Default::default(),
            name: String::new(),
            namespace: None,
            documentation: Vec::new(),
            kind: TypeKind::Complex(ComplexDef {
                content: Content::Particles(Group {
                    compositor: Compositor::Sequence,
                    min: 1,
                    max: Some(1),
                    particles: children
                        .iter()
                        .map(|t| {
                            Particle::Element(ElementParticle {
                                name: t.to_lowercase(),
                                namespace: None,
                                type_ref: TypeRef::Named { key: (*t).into() },
                                min: 1,
                                max: Some(1),
                                nillable: false,
                                default: None,
                                fixed: None,
                                at: Default::default(),
                                rust_boxed: false,
                                documentation: Vec::new(),
                                rust: None,
                            })
                        })
                        .collect(),
                    rust_type: None,
                    rust: None,
                }),
                ..ComplexDef::default()
            }),
            rust: None,
        }
    }

    #[test]
    fn requests_and_documents_are_sent_responses_and_faults_received() {
        let mut c = Contract::default();
        c.operations.insert(
            "Op".into(),
            Operation {
                name: "Op".into(),
                input: Some("Req".into()),
                output: Some("Resp".into()),
                faults: [("F".to_owned(), Some("Fault".into()))].into(),
                ..Operation::default()
            },
        );
        for (e, t) in [
            ("Req", "ReqT"),
            ("Resp", "RespT"),
            ("Fault", "FaultT"),
            ("Doc", "DocT"),
        ] {
            c.elements.insert(e.into(), element(t));
        }
        c.types
            .insert("ReqT".into(), complex(&["Shared", "OnlyReq"]));
        c.types.insert("RespT".into(), complex(&["Shared"]));
        c.types.insert("FaultT".into(), complex(&[]));
        c.types.insert("DocT".into(), complex(&["OnlyDoc"]));
        for t in ["Shared", "OnlyReq", "OnlyDoc", "Unused"] {
            c.types.insert(t.into(), complex(&[]));
        }
        let u = Usage::of(&c);
        assert_eq!(u.type_dir(&"OnlyReq".into()), Direction::SENT);
        assert_eq!(u.type_dir(&"RespT".into()), Direction::RECEIVED);
        assert_eq!(u.type_dir(&"FaultT".into()), Direction::RECEIVED);
        assert_eq!(u.type_dir(&"Shared".into()), Direction::BOTH);
        assert_eq!(u.type_dir(&"OnlyDoc".into()), Direction::SENT);
        assert_eq!(u.type_dir(&"Unused".into()), Direction::NONE);
        let groups: Vec<&str> = u
            .type_roots(&"OnlyDoc".into())
            .iter()
            .map(|r| r.group.as_str())
            .collect();
        assert_eq!(groups, ["document Doc"]);
        let roles: Vec<&str> = u
            .type_roots(&"Shared".into())
            .iter()
            .map(|r| r.role.as_str())
            .collect();
        assert_eq!(roles, ["request", "response"]);
    }
}
