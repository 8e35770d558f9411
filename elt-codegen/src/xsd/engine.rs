//! Corrections around `xsd-parser`'s interpreter, so that the types it produces follow XSD's
//! rules for derived types. Run by `xsd::run_engine`: [`prepare`] rewrites the parsed schemas
//! before interpretation, [`finish`] completes the interpreted types.
//!
//! What the interpreter does on its own, and what is corrected:
//! - a complexContent **restriction** starts from the base's content, keeps the base's required
//!   elements and merges the restriction's particles into them by name: element types narrowed
//!   by the restriction are lost and optional elements move to the end. XSD says the content of
//!   a restriction is exactly what the restriction declares; so the restriction is rewritten to
//!   a plain complex type before interpretation, and the base's attributes (which a restriction
//!   does inherit, the attribute wildcard excepted) are added back afterwards;
//! - an **extension** is flattened into the base's model group: right when the base content is a
//!   sequence occurring once, wrong when it is a choice or `xs:all` (the extension became a
//!   further branch of the choice) or a repeated sequence. Such base content is wrapped in a
//!   sequence first, which XSD reads the same way;
//! - particles with the **same element name** in one group (or in a base and its extension) are
//!   merged into one by the interpreter; the later one is wrapped in a sequence of its own;
//! - `abstract` on a complex type is inherited by types derived from it: it is reset so only the
//!   type that says `abstract="true"` is abstract;
//! - an attribute a derived type **re-declares** (a restriction narrowing its type, making it
//!   required or prohibited) is looked up by its interpreted name, which carries the namespace of
//!   the declaring schema even for unqualified attributes: across namespaces the base's and the
//!   derived declaration became two attributes (written twice, which is not well-formed), and in
//!   one namespace the base's type was kept. [`finish`] keeps one attribute per name on the
//!   wire, with the most derived declaration's use and type (see `attributes`).
//!
//! The schema texts are kept in the types under [`SOURCES`], so that refusals can name a line
//! and column.

use std::collections::{BTreeMap, BTreeSet};

use xsd_parser::models::meta::{AttributeMetaVariant, Base, CustomMeta, MetaType, MetaTypeVariant};
use xsd_parser::models::schema::xs::{
    AnyAttribute, AttributeGroupType, AttributeGroupTypeContent, ComplexBaseType,
    ComplexBaseTypeContent, ComplexContentContent, ElementTypeContent, ExtensionTypeContent,
    GroupType, GroupTypeContent, OverrideContent, RedefineContent, RestrictionTypeContent,
    SchemaContent, SimpleContentContent,
};
use xsd_parser::models::schema::{MaxOccurs, NamespaceId, QName, Schemas};
use xsd_parser::{IdentType, MetaTypes, TypeIdent};

use crate::error::{Error, Location, Result};
use crate::xml::XS_NS;

/// Name (not a valid XSD name) of the item that carries the schema texts.
pub(crate) const SOURCES: &str = "#elt-sources";

/// A qualified name: namespace URI and local name.
pub(crate) type QKey = (Option<String>, String);

/// What [`prepare`] changed, for [`finish`].
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// Named complex types derived by complexContent: type, whether by restriction, base.
    derivations: Vec<(QKey, bool, QKey)>,
    /// Named complex types declared `abstract="true"`.
    abstract_types: BTreeSet<QKey>,
    /// The attributes each named complex type declares itself (see [`own_attributes`]).
    own_attributes: super::attributes::OwnAttributes,
    /// Which schema redefines (or overrides) which (see `redefine`).
    redefinitions: super::redefine::Redefinitions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sequence,
    Choice,
    All,
}

/// The model group at the top of a complex type.
#[derive(Debug, Clone)]
struct Particle {
    kind: Kind,
    once: bool,
    names: Vec<String>,
}

impl Particle {
    fn is_plain_sequence(&self) -> bool {
        self.kind == Kind::Sequence && self.once
    }
}

#[derive(Debug, Clone)]
struct TypeInfo {
    /// `(by restriction, base)` for complexContent derivations.
    derivation: Option<(bool, QKey)>,
    own: Option<Particle>,
    has_attributes: bool,
}

fn qkey(q: &QName) -> QKey {
    (
        q.namespace()
            .map(|n| String::from_utf8_lossy(&n.0).into_owned()),
        String::from_utf8_lossy(q.local_name()).into_owned(),
    )
}

fn is_any_type(k: &QKey) -> bool {
    k.0.as_deref() == Some(XS_NS) && k.1 == "anyType"
}

fn once(min: usize, max: &MaxOccurs) -> bool {
    min == 1 && *max == MaxOccurs::Bounded(1)
}

fn element_names(g: &GroupType) -> Vec<String> {
    g.content
        .iter()
        .filter_map(|c| match c {
            GroupTypeContent::Element(e) => e
                .name
                .clone()
                .or_else(|| e.ref_.as_ref().map(|r| qkey(r).1)),
            _ => None,
        })
        .collect()
}

/// Everything named that [`prepare`] looks up.
struct Index {
    types: BTreeMap<QKey, TypeInfo>,
    groups: BTreeMap<QKey, GroupType>,
    attribute_groups: BTreeMap<QKey, AttributeGroupType>,
    complex: BTreeMap<QKey, ComplexBaseType>,
}

/// A wildcard's namespace constraint, comparable.
fn wildcard_key(a: &AnyAttribute) -> String {
    format!("{:?} {:?} {:?}", a.namespace, a.not_namespace, a.not_q_name)
}

impl Index {
    fn group_wildcards(&self, g: &AttributeGroupType, out: &mut Vec<String>, depth: usize) {
        if depth > 32 {
            return;
        }
        let g = match g
            .ref_
            .as_ref()
            .and_then(|r| self.attribute_groups.get(&qkey(r)))
        {
            Some(def) => def,
            None => g,
        };
        for c in &g.content {
            match c {
                AttributeGroupTypeContent::AnyAttribute(a) => out.push(wildcard_key(a)),
                AttributeGroupTypeContent::AttributeGroup(r) => {
                    self.group_wildcards(r, out, depth + 1)
                }
                _ => {}
            }
        }
    }

    /// The attribute wildcards a complex type declares (its own and its attribute groups'),
    /// after those of its base for an extension.
    fn wildcards(&self, ct: &ComplexBaseType, out: &mut Vec<String>, depth: usize) {
        if depth > 32 {
            return;
        }
        for c in &ct.content {
            match c {
                ComplexBaseTypeContent::AnyAttribute(a) => out.push(wildcard_key(a)),
                ComplexBaseTypeContent::AttributeGroup(g) => {
                    self.group_wildcards(g, out, depth + 1)
                }
                ComplexBaseTypeContent::ComplexContent(cc) => {
                    for d in &cc.content {
                        match d {
                            ComplexContentContent::Extension(x) => {
                                if let Some(b) = self.complex.get(&qkey(&x.base)) {
                                    self.wildcards(b, out, depth + 1);
                                } else if is_any_type(&qkey(&x.base)) {
                                    out.push("##any".into());
                                }
                                for e in &x.content {
                                    match e {
                                        ExtensionTypeContent::AnyAttribute(a) => {
                                            out.push(wildcard_key(a))
                                        }
                                        ExtensionTypeContent::AttributeGroup(g) => {
                                            self.group_wildcards(g, out, depth + 1)
                                        }
                                        _ => {}
                                    }
                                }
                            }
                            ComplexContentContent::Restriction(x) => {
                                for e in &x.content {
                                    match e {
                                        RestrictionTypeContent::AnyAttribute(a) => {
                                            out.push(wildcard_key(a))
                                        }
                                        RestrictionTypeContent::AttributeGroup(g) => {
                                            self.group_wildcards(g, out, depth + 1)
                                        }
                                        _ => {}
                                    }
                                }
                            }
                            ComplexContentContent::Annotation(_) => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

impl Index {
    fn particle_of(&self, kind: Kind, g: &GroupType) -> Particle {
        Particle {
            kind,
            once: once(g.min_occurs, &g.max_occurs),
            names: element_names(g),
        }
    }

    /// The particle a group reference stands for.
    fn group_ref(&self, r: &GroupType) -> Option<Particle> {
        let def = self.groups.get(&qkey(r.ref_.as_ref()?))?;
        def.content.iter().find_map(|c| {
            let (kind, g) = match c {
                GroupTypeContent::Sequence(g) => (Kind::Sequence, g),
                GroupTypeContent::Choice(g) => (Kind::Choice, g),
                GroupTypeContent::All(g) => (Kind::All, g),
                _ => return None,
            };
            Some(Particle {
                kind,
                once: once(r.min_occurs, &r.max_occurs),
                names: element_names(g),
            })
        })
    }

    fn info(&self, ct: &ComplexBaseType) -> TypeInfo {
        let mut out = TypeInfo {
            derivation: None,
            own: None,
            has_attributes: false,
        };
        for c in &ct.content {
            match c {
                ComplexBaseTypeContent::Sequence(g) => {
                    out.own = Some(self.particle_of(Kind::Sequence, g))
                }
                ComplexBaseTypeContent::Choice(g) => {
                    out.own = Some(self.particle_of(Kind::Choice, g))
                }
                ComplexBaseTypeContent::All(g) => out.own = Some(self.particle_of(Kind::All, g)),
                ComplexBaseTypeContent::Group(g) => out.own = self.group_ref(g),
                ComplexBaseTypeContent::Attribute(_)
                | ComplexBaseTypeContent::AttributeGroup(_) => {
                    out.has_attributes = true;
                }
                ComplexBaseTypeContent::ComplexContent(cc) => {
                    for d in &cc.content {
                        match d {
                            ComplexContentContent::Extension(x) => {
                                out.derivation = Some((false, qkey(&x.base)));
                                for e in &x.content {
                                    match e {
                                        ExtensionTypeContent::Sequence(g) => {
                                            out.own = Some(self.particle_of(Kind::Sequence, g))
                                        }
                                        ExtensionTypeContent::Choice(g) => {
                                            out.own = Some(self.particle_of(Kind::Choice, g))
                                        }
                                        ExtensionTypeContent::All(g) => {
                                            out.own = Some(self.particle_of(Kind::All, g))
                                        }
                                        ExtensionTypeContent::Group(g) => {
                                            out.own = self.group_ref(g)
                                        }
                                        ExtensionTypeContent::Attribute(_)
                                        | ExtensionTypeContent::AttributeGroup(_) => {
                                            out.has_attributes = true;
                                        }
                                        _ => {}
                                    }
                                }
                            }
                            ComplexContentContent::Restriction(x) => {
                                out.derivation = Some((true, qkey(&x.base)));
                                for e in &x.content {
                                    match e {
                                        RestrictionTypeContent::Sequence(g) => {
                                            out.own = Some(self.particle_of(Kind::Sequence, g))
                                        }
                                        RestrictionTypeContent::Choice(g) => {
                                            out.own = Some(self.particle_of(Kind::Choice, g))
                                        }
                                        RestrictionTypeContent::All(g) => {
                                            out.own = Some(self.particle_of(Kind::All, g))
                                        }
                                        RestrictionTypeContent::Group(g) => {
                                            out.own = self.group_ref(g)
                                        }
                                        RestrictionTypeContent::Attribute(_)
                                        | RestrictionTypeContent::AttributeGroup(_) => {
                                            out.has_attributes = true;
                                        }
                                        _ => {}
                                    }
                                }
                            }
                            ComplexContentContent::Annotation(_) => {}
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// The content model of type `k` as the interpreter will see it, `wrapped` types having
    /// their own particle wrapped in a sequence.
    fn effective(&self, k: &QKey, wrapped: &BTreeSet<QKey>, depth: usize) -> Option<Particle> {
        if is_any_type(k) {
            return Some(Particle {
                kind: Kind::Sequence,
                once: true,
                names: Vec::new(),
            });
        }
        let info = self.types.get(k)?;
        if depth > 64 {
            return None;
        }
        let own = if wrapped.contains(k) {
            info.own.as_ref().map(|_| Particle {
                kind: Kind::Sequence,
                once: true,
                names: Vec::new(),
            })
        } else {
            info.own.clone()
        };
        match &info.derivation {
            Some((false, base)) => match (self.effective(base, wrapped, depth + 1), own) {
                (None, own) => own,
                (base, None) => base,
                (Some(b), Some(o)) => {
                    let mut names = b.names;
                    if o.is_plain_sequence() {
                        names.extend(o.names);
                    }
                    Some(Particle {
                        kind: Kind::Sequence,
                        once: true,
                        names,
                    })
                }
            },
            _ => own,
        }
    }

    /// The named type whose own particle is the content of `k`.
    fn origin(&self, k: &QKey, depth: usize) -> Option<QKey> {
        let info = self.types.get(k)?;
        if depth > 64 {
            return None;
        }
        match (&info.derivation, &info.own) {
            (Some((false, base)), None) => self.origin(base, depth + 1),
            (_, Some(_)) => Some(k.clone()),
            _ => None,
        }
    }

    /// Whether type `k` or a type it derives from declares attributes.
    fn has_attributes(&self, k: &QKey, depth: usize) -> bool {
        let Some(info) = self.types.get(k) else {
            return false;
        };
        info.has_attributes
            || (depth < 64
                && info
                    .derivation
                    .as_ref()
                    .is_some_and(|(_, b)| self.has_attributes(b, depth + 1)))
    }
}

/// Calls `f` on every complex type of a schema, named ones with their name, nested anonymous
/// ones with the name of the nearest named declaration around them.
fn for_each_complex(content: &mut [SchemaContent], f: Visit<'_>) -> Result<()> {
    for c in content {
        match c {
            SchemaContent::ComplexType(ct) => complex_walk(ct, f, true)?,
            SchemaContent::Element(e) => element_walk(e, f)?,
            SchemaContent::Group(g) => {
                let n = g.name.clone().unwrap_or_default();
                group_walk(g, f, &n)?;
            }
            SchemaContent::Redefine(r) => {
                for rc in &mut r.content {
                    match rc {
                        RedefineContent::ComplexType(ct) => complex_walk(ct, f, true)?,
                        RedefineContent::Group(g) => {
                            let n = g.name.clone().unwrap_or_default();
                            group_walk(g, f, &n)?;
                        }
                        _ => {}
                    }
                }
            }
            SchemaContent::Override(o) => {
                for oc in &mut o.content {
                    match oc {
                        OverrideContent::ComplexType(ct) => complex_walk(ct, f, true)?,
                        OverrideContent::Element(e) => element_walk(e, f)?,
                        OverrideContent::Group(g) => {
                            let n = g.name.clone().unwrap_or_default();
                            group_walk(g, f, &n)?;
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

type Visit<'f> = &'f mut dyn FnMut(&mut ComplexBaseType, Option<&str>, &str) -> Result<()>;

fn complex_walk(ct: &mut ComplexBaseType, f: Visit<'_>, named: bool) -> Result<()> {
    let own = ct.name.clone();
    let context = own.clone().unwrap_or_default();
    f(ct, if named { own.as_deref() } else { None }, &context)?;
    for c in &mut ct.content {
        match c {
            ComplexBaseTypeContent::Sequence(g)
            | ComplexBaseTypeContent::Choice(g)
            | ComplexBaseTypeContent::All(g) => group_walk(g, f, &context)?,
            ComplexBaseTypeContent::ComplexContent(cc) => {
                for d in &mut cc.content {
                    match d {
                        ComplexContentContent::Extension(x) => {
                            for e in &mut x.content {
                                if let ExtensionTypeContent::Sequence(g)
                                | ExtensionTypeContent::Choice(g)
                                | ExtensionTypeContent::All(g) = e
                                {
                                    group_walk(g, f, &context)?;
                                }
                            }
                        }
                        ComplexContentContent::Restriction(x) => {
                            for e in &mut x.content {
                                if let RestrictionTypeContent::Sequence(g)
                                | RestrictionTypeContent::Choice(g)
                                | RestrictionTypeContent::All(g) = e
                                {
                                    group_walk(g, f, &context)?;
                                }
                            }
                        }
                        ComplexContentContent::Annotation(_) => {}
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn element_walk(e: &mut xsd_parser::models::schema::xs::ElementType, f: Visit<'_>) -> Result<()> {
    let name = e.name.clone().unwrap_or_default();
    for c in &mut e.content {
        if let ElementTypeContent::ComplexType(ct) = c {
            let mut visit = |ct: &mut ComplexBaseType, n: Option<&str>, ctx: &str| {
                f(ct, n, if ctx.is_empty() { &name } else { ctx })
            };
            complex_walk(ct, &mut visit, false)?;
        }
    }
    Ok(())
}

fn group_walk(g: &mut GroupType, f: Visit<'_>, context: &str) -> Result<()> {
    dedupe_group(g);
    for c in &mut g.content {
        match c {
            GroupTypeContent::Element(e) => {
                let name = e.name.clone().unwrap_or_else(|| context.to_owned());
                for ec in &mut e.content {
                    if let ElementTypeContent::ComplexType(ct) = ec {
                        let mut visit = |ct: &mut ComplexBaseType, n: Option<&str>, ctx: &str| {
                            f(ct, n, if ctx.is_empty() { &name } else { ctx })
                        };
                        complex_walk(ct, &mut visit, false)?;
                    }
                }
            }
            GroupTypeContent::Sequence(s)
            | GroupTypeContent::Choice(s)
            | GroupTypeContent::All(s) => {
                group_walk(s, f, context)?;
            }
            _ => {}
        }
    }
    Ok(())
}

fn wrapper(content: GroupTypeContent) -> GroupType {
    GroupType {
        id: None,
        name: None,
        ref_: None,
        min_occurs: 1,
        max_occurs: MaxOccurs::Bounded(1),
        content: vec![content],
    }
}

/// Wraps every element particle whose name an earlier particle of the same group has in a
/// sequence of its own (the interpreter would merge the two).
fn dedupe_group(g: &mut GroupType) {
    let mut seen = BTreeSet::new();
    for c in &mut g.content {
        let GroupTypeContent::Element(e) = c else {
            continue;
        };
        let name = e
            .name
            .clone()
            .or_else(|| e.ref_.as_ref().map(|r| qkey(r).1));
        let Some(name) = name else { continue };
        if !seen.insert(name) {
            let taken = std::mem::replace(c, GroupTypeContent::Sequence(wrapper_empty()));
            *c = GroupTypeContent::Sequence(wrapper(taken));
        }
    }
}

fn wrapper_empty() -> GroupType {
    GroupType {
        id: None,
        name: None,
        ref_: None,
        min_occurs: 1,
        max_occurs: MaxOccurs::Bounded(1),
        content: Vec::new(),
    }
}

/// Wraps the top model group of `ct` (or of its complexContent derivation) in a sequence.
fn wrap_top(ct: &mut ComplexBaseType) {
    for c in &mut ct.content {
        let inner = match c {
            ComplexBaseTypeContent::Sequence(g) => Some(GroupTypeContent::Sequence(g.clone())),
            ComplexBaseTypeContent::Choice(g) => Some(GroupTypeContent::Choice(g.clone())),
            ComplexBaseTypeContent::All(g) => Some(GroupTypeContent::All(g.clone())),
            ComplexBaseTypeContent::Group(g) => Some(GroupTypeContent::Group(g.clone())),
            ComplexBaseTypeContent::ComplexContent(cc) => {
                for d in &mut cc.content {
                    if let ComplexContentContent::Extension(x) = d {
                        for e in &mut x.content {
                            let inner = match e {
                                ExtensionTypeContent::Sequence(g) => {
                                    GroupTypeContent::Sequence(g.clone())
                                }
                                ExtensionTypeContent::Choice(g) => {
                                    GroupTypeContent::Choice(g.clone())
                                }
                                ExtensionTypeContent::All(g) => GroupTypeContent::All(g.clone()),
                                ExtensionTypeContent::Group(g) => {
                                    GroupTypeContent::Group(g.clone())
                                }
                                _ => continue,
                            };
                            *e = ExtensionTypeContent::Sequence(wrapper(inner));
                        }
                    }
                }
                None
            }
            _ => None,
        };
        if let Some(inner) = inner {
            *c = ComplexBaseTypeContent::Sequence(wrapper(inner));
        }
    }
}

/// Rewrites a complexContent restriction into a plain complex type with the restriction's
/// content; returns the base.
fn flatten_restriction(ct: &mut ComplexBaseType) -> Option<QKey> {
    let pos = ct.content.iter().position(|c| {
        matches!(c, ComplexBaseTypeContent::ComplexContent(cc)
            if cc.content.iter().any(|d| matches!(d, ComplexContentContent::Restriction(_))))
    })?;
    let ComplexBaseTypeContent::ComplexContent(cc) = ct.content.remove(pos) else {
        return None;
    };
    if cc.mixed.is_some() {
        ct.mixed = cc.mixed;
    }
    let mut base = None;
    let mut items = Vec::new();
    for d in cc.content {
        let ComplexContentContent::Restriction(r) = d else {
            continue;
        };
        base = Some(qkey(&r.base));
        for e in r.content {
            items.push(match e {
                RestrictionTypeContent::Annotation(a) => ComplexBaseTypeContent::Annotation(a),
                RestrictionTypeContent::Group(g) => ComplexBaseTypeContent::Group(g),
                RestrictionTypeContent::All(g) => ComplexBaseTypeContent::All(g),
                RestrictionTypeContent::Choice(g) => ComplexBaseTypeContent::Choice(g),
                RestrictionTypeContent::Sequence(g) => ComplexBaseTypeContent::Sequence(g),
                RestrictionTypeContent::Attribute(a) => ComplexBaseTypeContent::Attribute(a),
                RestrictionTypeContent::AttributeGroup(a) => {
                    ComplexBaseTypeContent::AttributeGroup(a)
                }
                RestrictionTypeContent::AnyAttribute(a) => ComplexBaseTypeContent::AnyAttribute(a),
                // Facets and simple types do not occur in complexContent; XSD 1.1 assertions
                // and open content are not checked.
                RestrictionTypeContent::SimpleType(_)
                | RestrictionTypeContent::Facet(_)
                | RestrictionTypeContent::OpenContent(_)
                | RestrictionTypeContent::Assert(_) => continue,
            });
        }
    }
    for (n, item) in items.into_iter().enumerate() {
        ct.content.insert(pos + n, item);
    }
    base
}

/// The attributes `ct` declares itself with `name=` (directly or in its simple- or complexContent
/// derivation; not through attribute groups or `ref=`): local name → the declared type, `None`
/// for an inline simple type or none.
fn own_attributes(ct: &ComplexBaseType) -> BTreeMap<String, Option<QKey>> {
    let mut out = BTreeMap::new();
    let mut add = |a: &xsd_parser::models::schema::xs::AttributeType| {
        if let Some(name) = &a.name {
            out.insert(name.clone(), a.type_.as_ref().map(qkey));
        }
    };
    for c in &ct.content {
        match c {
            ComplexBaseTypeContent::Attribute(a) => add(a),
            ComplexBaseTypeContent::ComplexContent(cc) => {
                for d in &cc.content {
                    match d {
                        ComplexContentContent::Extension(x) => x.content.iter().for_each(|e| {
                            if let ExtensionTypeContent::Attribute(a) = e {
                                add(a)
                            }
                        }),
                        ComplexContentContent::Restriction(x) => x.content.iter().for_each(|e| {
                            if let RestrictionTypeContent::Attribute(a) = e {
                                add(a)
                            }
                        }),
                        ComplexContentContent::Annotation(_) => {}
                    }
                }
            }
            ComplexBaseTypeContent::SimpleContent(sc) => {
                for d in &sc.content {
                    match d {
                        SimpleContentContent::Extension(x) => x.content.iter().for_each(|e| {
                            if let ExtensionTypeContent::Attribute(a) = e {
                                add(a)
                            }
                        }),
                        SimpleContentContent::Restriction(x) => x.content.iter().for_each(|e| {
                            if let RestrictionTypeContent::Attribute(a) = e {
                                add(a)
                            }
                        }),
                        SimpleContentContent::Annotation(_) => {}
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Wraps the extension's own particle of `ct` in a sequence.
fn wrap_extension(ct: &mut ComplexBaseType) {
    for c in &mut ct.content {
        let ComplexBaseTypeContent::ComplexContent(cc) = c else {
            continue;
        };
        for d in &mut cc.content {
            let ComplexContentContent::Extension(x) = d else {
                continue;
            };
            for e in &mut x.content {
                if let ExtensionTypeContent::Sequence(g) = e {
                    let inner = GroupTypeContent::Sequence(g.clone());
                    *e = ExtensionTypeContent::Sequence(wrapper(inner));
                }
            }
        }
    }
}

fn ns_uri(schemas: &Schemas, id: NamespaceId) -> Option<String> {
    schemas
        .get_namespace_info(&id)
        .and_then(|i| i.namespace.as_ref())
        .map(|n| String::from_utf8_lossy(&n.0).into_owned())
}

/// Rewrites the parsed schemas as described in the module documentation.
pub(crate) fn prepare(schemas: &mut Schemas, sources: &BTreeMap<String, String>) -> Result<Plan> {
    super::redefine::expand_self_referencing_groups(schemas);
    // Index the named complex types and groups (first definitions; redefinitions keep the name).
    let mut index = Index {
        types: BTreeMap::new(),
        groups: BTreeMap::new(),
        attribute_groups: BTreeMap::new(),
        complex: BTreeMap::new(),
    };
    let mut named_types: Vec<(QKey, ComplexBaseType)> = Vec::new();
    for (_, info) in schemas.schemas() {
        let ns = ns_uri(schemas, info.namespace_id());
        for c in &info.schema.content {
            match c {
                SchemaContent::ComplexType(ct) => {
                    if let Some(n) = &ct.name {
                        named_types.push(((ns.clone(), n.clone()), ct.clone()));
                    }
                }
                SchemaContent::Group(g) => {
                    if let Some(n) = &g.name {
                        index
                            .groups
                            .entry((ns.clone(), n.clone()))
                            .or_insert_with(|| g.clone());
                    }
                }
                SchemaContent::AttributeGroup(g) => {
                    if let Some(n) = &g.name {
                        index
                            .attribute_groups
                            .entry((ns.clone(), n.clone()))
                            .or_insert_with(|| g.clone());
                    }
                }
                _ => {}
            }
        }
    }
    for (k, ct) in &named_types {
        let info = index.info(ct);
        index.types.entry(k.clone()).or_insert(info);
        index.complex.entry(k.clone()).or_insert_with(|| ct.clone());
    }
    let mut plan = Plan {
        redefinitions: super::redefine::redefinitions(schemas),
        ..Plan::default()
    };
    for (k, ct) in &named_types {
        if ct.abstract_ {
            plan.abstract_types.insert(k.clone());
        }
        plan.own_attributes
            .entry(k.clone())
            .or_insert_with(|| own_attributes(ct));
    }
    // A type of `xs:redefine` or `xs:override` is the contract's type of its name: its own
    // attributes are the ones declared there, not those of the type it replaces.
    for (_, info) in schemas.schemas() {
        let ns = ns_uri(schemas, info.namespace_id());
        for c in &info.schema.content {
            let replacing: Vec<&ComplexBaseType> = match c {
                SchemaContent::Redefine(r) => r
                    .content
                    .iter()
                    .filter_map(|rc| match rc {
                        RedefineContent::ComplexType(ct) => Some(ct),
                        _ => None,
                    })
                    .collect(),
                SchemaContent::Override(o) => o
                    .content
                    .iter()
                    .filter_map(|oc| match oc {
                        OverrideContent::ComplexType(ct) => Some(ct),
                        _ => None,
                    })
                    .collect(),
                _ => continue,
            };
            for ct in replacing {
                if let Some(n) = &ct.name {
                    plan.own_attributes
                        .insert((ns.clone(), n.clone()), own_attributes(ct));
                }
            }
        }
    }
    // Bases whose content must be wrapped in a sequence before an extension can follow it.
    let mut wrapped: BTreeSet<QKey> = BTreeSet::new();
    let mut anonymous_extensions: Vec<TypeInfo> = Vec::new();
    {
        let mut collect = |ct: &mut ComplexBaseType, name: Option<&str>, _: &str| -> Result<()> {
            if name.is_none() {
                anonymous_extensions.push(index.info(ct));
            }
            Ok(())
        };
        let ids: Vec<_> = schemas.schemas().map(|(id, _)| *id).collect();
        for id in ids {
            if let Some(info) = schemas.get_schema_mut(&id) {
                for_each_complex(&mut info.schema.content, &mut collect)?;
            }
        }
    }
    let all_infos: Vec<TypeInfo> = index
        .types
        .values()
        .cloned()
        .chain(anonymous_extensions)
        .collect();
    for info in &all_infos {
        if let (Some((false, base)), Some(_)) = (&info.derivation, &info.own)
            && let Some(b) = index.effective(base, &BTreeSet::new(), 0)
            && !b.is_plain_sequence()
            && let Some(origin) = index.origin(base, 0)
        {
            wrapped.insert(origin);
        }
    }
    // Rewrite.
    let ids: Vec<_> = schemas.schemas().map(|(id, _)| *id).collect();
    for id in ids {
        let Some(info) = schemas.get_schema(&id) else {
            continue;
        };
        let ns = ns_uri(schemas, info.namespace_id());
        let file = info.name.clone().unwrap_or_default();
        let Some(info) = schemas.get_schema_mut(&id) else {
            continue;
        };
        let index = &index;
        let wrapped = &wrapped;
        let plan = &mut plan;
        let mut visit = |ct: &mut ComplexBaseType,
                         name: Option<&str>,
                         context: &str|
         -> Result<()> {
            let key = name.map(|n| (ns.clone(), n.to_owned()));
            let info = index.info(ct);
            // The interpreter keeps only the first attribute wildcard of a type; XSD combines
            // them (intersection of a type's own, union with an extension's base).
            let mut wildcards = Vec::new();
            index.wildcards(ct, &mut wildcards, 0);
            let mut seen = BTreeSet::new();
            wildcards.retain(|w| seen.insert(w.clone()));
            let base_is_any = wildcards.first().is_some_and(|w| {
                w == "##any" || w.starts_with("None None") || w.starts_with("Some(Any) None")
            });
            if wildcards.len() > 1
                && !(base_is_any && info.derivation.as_ref().is_some_and(|d| !d.0))
            {
                return Err(Error::Unsupported {
                    location: Location {
                        file: file.clone(),
                        position: sources.get(&file).and_then(|t| {
                            let kind = if name.is_some() {
                                "complexType"
                            } else {
                                "element"
                            };
                            let n = name.unwrap_or(context);
                            locate(t, &[(kind, Some(n)), ("anyAttribute", None)])
                                .or_else(|| locate(t, &[(kind, Some(n))]))
                        }),
                    },
                    message: format!(
                        "several xs:anyAttribute wildcards with different namespaces combined in one type (in `{}`)",
                        name.unwrap_or(context)
                    ),
                });
            }
            if key.as_ref().is_some_and(|k| wrapped.contains(k)) {
                wrap_top(ct);
            }
            match &info.derivation {
                Some((true, base)) => {
                    if key.is_none() && !is_any_type(base) && index.has_attributes(base, 0) {
                        return Err(Error::Unsupported {
                            location: Location {
                                file: file.clone(),
                                position: sources.get(&file).and_then(|t| {
                                    locate(t, &[("element", Some(context)), ("restriction", None)])
                                }),
                            },
                            message: format!(
                                "a complexContent restriction of `{}` in an anonymous type (in `{context}`): \
                                 the attributes it inherits cannot be resolved; give the type a name",
                                base.1
                            ),
                        });
                    }
                    flatten_restriction(ct);
                    if let Some(k) = &key {
                        plan.derivations.push((k.clone(), true, base.clone()));
                    }
                }
                Some((false, base)) => {
                    if let (Some(b), Some(own)) = (index.effective(base, wrapped, 0), &info.own)
                        && own.kind == Kind::Sequence
                        && (!own.once || own.names.iter().any(|n| b.names.contains(n)))
                    {
                        wrap_extension(ct);
                    }
                    if let Some(k) = &key {
                        plan.derivations.push((k.clone(), false, base.clone()));
                    }
                }
                None => {}
            }
            Ok(())
        };
        for_each_complex(&mut info.schema.content, &mut visit)?;
    }
    Ok(plan)
}

/// The type an `xs:redefine` replaces: inside the redefine, a complex type derives from the
/// type of its own name, which is the one of the redefined schema (same namespace and name,
/// another schema). The engine resolves the base of such a restriction to the new type itself,
/// so it inherited no attributes (an optional `id` of the original was lost, and a document
/// carrying it could not be read).
fn replaced_by_redefine(types: &MetaTypes, new: &TypeIdent) -> Option<TypeIdent> {
    types
        .items
        .keys()
        .find(|o| {
            o.ns == new.ns && o.type_ == new.type_ && o.name == new.name && o.schema != new.schema
        })
        .cloned()
}

/// Completes the interpreted types: inherited attributes of rewritten restrictions, the bases
/// of derived types, `abstract` only where declared, and the schema texts under [`SOURCES`].
pub(crate) fn finish(
    types: &mut MetaTypes,
    plan: &Plan,
    sources: BTreeMap<String, String>,
    xs: NamespaceId,
) -> Result<()> {
    let uris = super::namespace_uris(types);
    let uri = |id: NamespaceId| uris.get(&id).cloned().flatten();
    let mut by_key: BTreeMap<QKey, TypeIdent> = BTreeMap::new();
    for i in types.items.keys() {
        if i.type_ == IdentType::Type && i.name.is_named() {
            by_key
                .entry((uri(i.ns), i.name.as_str().to_owned()))
                .or_insert_with(|| i.clone());
        }
    }
    for (i, t) in types.items.iter_mut() {
        if let MetaTypeVariant::ComplexType(c) = &mut t.variant {
            let key = (uri(i.ns), i.name.as_str().to_owned());
            c.is_dynamic = i.type_ == IdentType::Type
                && i.name.is_named()
                && plan.abstract_types.contains(&key);
        }
    }
    // Attributes, bases first.
    let derivations: BTreeMap<&QKey, (bool, &QKey)> = plan
        .derivations
        .iter()
        .map(|(k, r, b)| (k, (*r, b)))
        .collect();
    let mut done: BTreeSet<QKey> = BTreeSet::new();
    fn fix(
        k: &QKey,
        derivations: &BTreeMap<&QKey, (bool, &QKey)>,
        by_key: &BTreeMap<QKey, TypeIdent>,
        types: &mut MetaTypes,
        done: &mut BTreeSet<QKey>,
        depth: usize,
    ) {
        if depth > 64 || !done.insert(k.clone()) {
            return;
        }
        let Some((restriction, base)) = derivations.get(k).copied() else {
            return;
        };

        fix(base, derivations, by_key, types, done, depth + 1);
        let (Some(ti), Some(bi)) = (by_key.get(k), by_key.get(base)) else {
            return;
        };
        // A type of `xs:redefine` derives from the type it replaces, under the same key.
        let replaced = (base == k)
            .then(|| replaced_by_redefine(types, ti))
            .flatten();
        let bi = replaced.as_ref().unwrap_or(bi);
        let base_attrs = match types.items.get(bi).map(|t| &t.variant) {
            Some(MetaTypeVariant::ComplexType(b)) => b.attributes.clone(),
            _ => return,
        };
        let Some(MetaTypeVariant::ComplexType(c)) = types.items.get_mut(ti).map(|t| &mut t.variant)
        else {
            return;
        };
        let own = std::mem::take(&mut c.attributes);
        if restriction {
            for a in base_attrs.iter() {
                if matches!(a.variant, AttributeMetaVariant::Any(_))
                    || own.iter().any(|o| o.ident == a.ident)
                {
                    continue;
                }
                c.attributes.push(a.clone());
            }
            c.base = Base::Restriction(bi.clone());
        } else {
            for a in base_attrs.iter() {
                c.attributes.push(a.clone());
            }
        }
        for a in own.iter() {
            if !c.attributes.iter().any(|o| o.ident == a.ident) {
                c.attributes.push(a.clone());
            }
        }
    }
    let keys: Vec<QKey> = plan.derivations.iter().map(|(k, _, _)| k.clone()).collect();
    for k in &keys {
        fix(k, &derivations, &by_key, types, &mut done, 0);
    }
    super::attributes::once_each(types, &plan.own_attributes, &uri);
    // Restrictions of xs:anyType: the base is all there is to record.
    for (k, restriction, base) in &plan.derivations {
        if *restriction
            && is_any_type(base)
            && let Some(ti) = by_key.get(k)
            && let Some(MetaTypeVariant::ComplexType(c)) =
                types.items.get_mut(ti).map(|t| &mut t.variant)
        {
            c.base = Base::Restriction(TypeIdent::ANY_TYPE.with_ns(xs));
        }
    }
    // Last, once every redefinition has its base: one component of each name.
    super::redefine::drop_shadowed(types, &plan.redefinitions);
    let mut doc = Vec::with_capacity(sources.len() * 2);
    for (path, text) in sources {
        doc.push(path);
        doc.push(text);
    }
    let mut sentinel = MetaType::new(MetaTypeVariant::Custom(CustomMeta::new(SOURCES)));
    sentinel.documentation = doc;
    types
        .items
        .insert(TypeIdent::type_(SOURCES).with_ns(xs), sentinel);
    Ok(())
}

/// The schema texts kept by [`finish`]: path → text.
pub(crate) fn sources(types: &MetaTypes) -> BTreeMap<&str, &str> {
    let mut out = BTreeMap::new();
    if let Some((_, t)) = types.items.iter().find(|(i, _)| i.name.as_str() == SOURCES) {
        for pair in t.documentation.chunks(2) {
            if let [p, text] = pair {
                out.insert(p.as_str(), text.as_str());
            }
        }
    }
    out
}

/// Line and column of a schema component: each step finds, below the previous match, the first
/// `xs:KIND` element (with `name="NAME"` when given).
pub(crate) fn locate(text: &str, steps: &[(&str, Option<&str>)]) -> Option<(u32, u32)> {
    let doc = crate::xml::reparse(text)?;
    let mut at = doc.root_element();
    for (kind, name) in steps {
        at = at.descendants().skip(1).find(|n| {
            n.is_element()
                && n.tag_name().namespace() == Some(XS_NS)
                && n.tag_name().name() == *kind
                && name.is_none_or(|want| n.attribute("name") == Some(want))
        })?;
    }
    Some(crate::xml::Positions::new(text).of(at))
}

/// Line and column of the first `xs:CONSTRUCT` inside the schema element that starts at `at`
/// (line and column) in `text`.
pub(crate) fn locate_within(text: &str, at: (u32, u32), construct: &str) -> Option<(u32, u32)> {
    let doc = crate::xml::reparse(text)?;
    let positions = crate::xml::Positions::new(text);
    let declaration = doc
        .descendants()
        .find(|n| n.is_element() && positions.of(*n) == at)?;
    let inner = declaration.descendants().skip(1).find(|n| {
        n.is_element()
            && n.tag_name().namespace() == Some(XS_NS)
            && n.tag_name().name() == construct
    })?;
    Some(positions.of(inner))
}
