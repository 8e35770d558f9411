//! Compares two [`Contract`] models and classifies every difference with the rules of
//! [`super::rules`], in the direction the message travels, naming the Rust items that change.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::direction::{Direction, Usage, operation_group};
use super::model::{
    AttributeDef, BodyRef, Compositor, Content, Contract, ElementParticle, Facets, Group, Particle,
    Place, QKey, SimpleDef, TypeDef, TypeKind, TypeRef, local_of,
};
use super::rules::{Class, Kind, classify};

/// The semver impact of a change on the generated crate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Semver {
    /// Nothing changed.
    #[default]
    None,
    /// Docs or behaviour behind an unchanged API.
    Patch,
    /// Additions.
    Minor,
    /// Breaking.
    Major,
}

impl Semver {
    /// `none`, `patch`, `minor`, `major`.
    pub fn label(self) -> &'static str {
        match self {
            Semver::None => "none",
            Semver::Patch => "patch",
            Semver::Minor => "minor",
            Semver::Major => "major",
        }
    }
}

/// Where a change is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Subject {
    /// An XML namespace (a schema as a whole).
    Namespace {
        /// URI.
        uri: String,
    },
    /// A WSDL document.
    Wsdl {
        /// Target namespace.
        namespace: String,
    },
    /// A service or one of its ports.
    Service {
        /// Service name.
        name: String,
    },
    /// A binding.
    Binding {
        /// Binding name.
        name: String,
    },
    /// An operation.
    Operation {
        /// Operation name.
        name: String,
    },
    /// A global element.
    Element {
        /// `{namespace}local`.
        key: QKey,
    },
    /// A named type.
    Type {
        /// `{namespace}Name`.
        key: QKey,
    },
}

impl Subject {
    /// A short name for people: `type Tidredovisning`, `operation X`.
    pub fn label(&self) -> String {
        match self {
            Subject::Namespace { uri } => format!("namespace {uri}"),
            Subject::Wsdl { namespace } => format!("WSDL {namespace}"),
            Subject::Service { name } => format!("service {name}"),
            Subject::Binding { name } => format!("binding {name}"),
            Subject::Operation { name } => format!("operation {name}"),
            Subject::Element { key } => format!("element {}", local_of(key)),
            Subject::Type { key } => format!("type {}", local_of(key)),
        }
    }
}

/// What kind of Rust item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A module (one XML namespace).
    Module,
    /// A struct, enum or type alias.
    Type,
    /// A struct field.
    Field,
    /// An enum variant.
    Variant,
    /// A `RootElement` constant.
    Constant,
    /// A client type.
    Client,
    /// A client method.
    Method,
}

impl ItemKind {
    fn label(self) -> &'static str {
        match self {
            ItemKind::Module => "module",
            ItemKind::Type => "type",
            ItemKind::Field => "field",
            ItemKind::Variant => "variant",
            ItemKind::Constant => "constant",
            ItemKind::Client => "client",
            ItemKind::Method => "method",
        }
    }
}

/// How a Rust item changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RustChange {
    /// New item.
    Added,
    /// Item gone.
    Removed,
    /// Same name, another type or signature.
    TypeChanged,
    /// Another name.
    Renamed,
    /// Same API, other checks on values (facets, occurrence bounds).
    Checks,
    /// Same API, other behaviour on the wire (namespace, SOAPAction, endpoint).
    Behaviour,
    /// Doc comments only.
    Docs,
}

impl RustChange {
    fn semver(self) -> Semver {
        match self {
            RustChange::Removed | RustChange::TypeChanged | RustChange::Renamed => Semver::Major,
            RustChange::Added => Semver::Minor,
            RustChange::Checks | RustChange::Behaviour | RustChange::Docs => Semver::Patch,
        }
    }

    fn label(self) -> &'static str {
        match self {
            RustChange::Added => "added",
            RustChange::Removed => "removed",
            RustChange::TypeChanged => "changes type",
            RustChange::Renamed => "renamed",
            RustChange::Checks => "checks values differently",
            RustChange::Behaviour => "behaves differently on the wire",
            RustChange::Docs => "doc comment changes",
        }
    }
}

/// One Rust item a change touches.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RustEffect {
    /// Kind of item.
    pub item: ItemKind,
    /// Path relative to the generated root (`tidredovisning_1::Tidredovisning::id`).
    pub path: String,
    /// How it changes.
    pub change: RustChange,
    /// The old path, for a rename.
    pub from: Option<String>,
}

impl RustEffect {
    /// `field tidredovisning_1::Tidredovisning::id removed`.
    pub fn describe(&self) -> String {
        match &self.from {
            Some(from) => format!("{} `{from}` renamed to `{}`", self.item.label(), self.path),
            None => format!(
                "{} `{}` {}",
                self.item.label(),
                self.path,
                self.change.label()
            ),
        }
    }
}

/// One classified change.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// The rule's kind.
    pub kind: Kind,
    /// The class.
    pub class: Class,
    /// The rules named (`sender.new-required-element`, ...).
    pub rules: Vec<String>,
    /// Semver impact on the generated crate.
    pub semver: Semver,
    /// Where.
    pub subject: Subject,
    /// Where inside the subject (`anordnare › choice › assistentAnstalldAvAnordnare`).
    pub path: Vec<String>,
    /// What changed, in a sentence.
    pub summary: String,
    /// The old value, where there is one.
    pub old: Option<String>,
    /// The new value, where there is one.
    pub new: Option<String>,
    /// Which way the subject travels.
    pub direction: Direction,
    /// The messages and documents reaching the subject (`operation X`, `document Y`).
    pub messages: Vec<String>,
    /// Why old readers accept the change anyway, when they do.
    pub absorbed_by: Option<String>,
    /// Rust items that change.
    pub rust: Vec<RustEffect>,
    /// Where the subject (a global element or named type) is declared, as `file:line:col`:
    /// in the new contract, or in the old one when it was removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// Where the element or attribute the change is on is declared (or referred to), as
    /// `file:line:col`, when the change is on one: in the new contract, or in the old one when
    /// it was removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_at: Option<String>,
}

/// Compares `old` and `new`.
pub fn compare(old: &Contract, new: &Contract) -> Vec<Change> {
    let mut new = new.clone();
    let mut out = Vec::new();
    let renames = follow_renamed_namespaces(old, &mut new);
    let d = Differ {
        old,
        new: &new,
        old_usage: Usage::of(old),
        new_usage: Usage::of(&new),
    };
    for (from, to, old_module, new_module) in renames {
        let mut rust = Vec::new();
        if let (Some(o), Some(n)) = (old_module, new_module)
            && o != n
        {
            rust.push(RustEffect {
                item: ItemKind::Module,
                path: n,
                change: RustChange::Renamed,
                from: Some(o),
            });
        }
        let ctx = Ctx::new(
            Subject::Namespace { uri: from.clone() },
            Direction::BOTH,
            Vec::new(),
            Some(from.clone()),
        );
        d.push(
            &mut out,
            &ctx,
            Kind::ChangedTargetNamespace,
            format!("target namespace `{from}` is now `{to}`"),
            Some(from.clone()),
            Some(to),
            rust,
            None,
        );
    }
    d.namespaces(&mut out);
    d.wsdls(&mut out);
    d.services(&mut out);
    d.bindings(&mut out);
    d.operations(&mut out);
    d.elements(&mut out);
    d.types(&mut out);
    for c in &mut out {
        c.at = declared_at(&c.subject, &new).or_else(|| declared_at(&c.subject, old));
    }
    out
}

/// Where a global element or named type is declared in `contract`.
fn declared_at(subject: &Subject, contract: &Contract) -> Option<String> {
    match subject {
        Subject::Element { key } => contract.declared.elements.get(key).cloned(),
        Subject::Type { key } => contract.declared.types.get(key).cloned(),
        _ => None,
    }
}

/// Pairs namespaces that only one side has when they come from the same schema file, and
/// rewrites the names in `new` to use the old URI (`Contract::rename_namespace`) so its content
/// compares; returns (old URI, new URI, old module, new module) for each pair.
#[allow(clippy::type_complexity)]
fn follow_renamed_namespaces(
    old: &Contract,
    new: &mut Contract,
) -> Vec<(String, String, Option<String>, Option<String>)> {
    let mut pairs = Vec::new();
    let mut taken = BTreeSet::new();
    for (ouri, oinfo) in &old.namespaces {
        if new.namespaces.contains_key(ouri) || ouri.is_empty() {
            continue;
        }
        let candidate = new.namespaces.iter().find(|(nuri, ninfo)| {
            !old.namespaces.contains_key(*nuri)
                && !nuri.is_empty()
                && !taken.contains(*nuri)
                && !ninfo.files.is_disjoint(&oinfo.files)
        });
        if let Some((nuri, ninfo)) = candidate {
            taken.insert(nuri.clone());
            pairs.push((
                ouri.clone(),
                nuri.clone(),
                oinfo.rust_module.clone(),
                ninfo.rust_module.clone(),
            ));
        }
    }
    if pairs.is_empty() {
        return pairs;
    }
    for (o, n, _, _) in &pairs {
        new.rename_namespace(n, o);
    }
    pairs
}

struct Differ<'a> {
    old: &'a Contract,
    new: &'a Contract,
    old_usage: Usage,
    new_usage: Usage,
}

/// Where the comparison is.
#[derive(Clone)]
struct Ctx {
    subject: Subject,
    path: Vec<String>,
    dir: Direction,
    messages: Vec<String>,
    /// Target namespace of the type being compared (for `##other`).
    target_ns: Option<String>,
    /// Where the element or attribute being compared is declared, when known: a change on it
    /// points there rather than at its type.
    place: Option<String>,
}

impl Ctx {
    fn new(
        subject: Subject,
        dir: Direction,
        messages: Vec<String>,
        target_ns: Option<String>,
    ) -> Self {
        Ctx {
            subject,
            path: Vec::new(),
            dir,
            messages,
            target_ns,
            place: None,
        }
    }

    fn at(&self, step: impl Into<String>) -> Ctx {
        let mut c = self.clone();
        c.path.push(step.into());
        c
    }

    /// The same context, at the declaration `place` (kept as it is when that is unknown).
    fn placed(mut self, place: &Place) -> Ctx {
        if let Some(p) = &place.0 {
            self.place = Some(p.clone());
        }
        self
    }
}

fn effect(item: ItemKind, path: &Option<String>, change: RustChange) -> Vec<RustEffect> {
    path.iter()
        .map(|p| RustEffect {
            item,
            path: p.clone(),
            change,
            from: None,
        })
        .collect()
}

/// What a change of a type's members (a union's member types, the elements or types standing
/// in for an abstract one) does to the enum of them: its variants removed and added, by path.
/// When no variant is gained or lost (a member's type changed under the same variant), or the
/// variants are not named, the enum's type changed.
fn member_effects(o: &TypeDef, n: &TypeDef) -> Vec<RustEffect> {
    let old: BTreeSet<&String> = o.rust_variants.values().collect();
    let new: BTreeSet<&String> = n.rust_variants.values().collect();
    let mut out: Vec<RustEffect> = Vec::new();
    for p in old.difference(&new) {
        out.extend(effect(
            ItemKind::Variant,
            &Some((*p).clone()),
            RustChange::Removed,
        ));
    }
    for p in new.difference(&old) {
        out.extend(effect(
            ItemKind::Variant,
            &Some((*p).clone()),
            RustChange::Added,
        ));
    }
    if out.is_empty() {
        out = effect(ItemKind::Type, &n.rust, RustChange::TypeChanged);
    }
    out
}

/// `xs:string`, `Personnummer`, `the type of element X`, `an anonymous complex type`.
fn show_ref(r: &TypeRef) -> String {
    match r {
        TypeRef::Builtin { name } => name.clone(),
        TypeRef::Named { key } => local_of(key).to_owned(),
        TypeRef::Element { key } => format!("element {}", local_of(key)),
        TypeRef::Inline { def } => match def.kind {
            TypeKind::Complex(_) => "an anonymous complex type".into(),
            TypeKind::Simple(_) => "an anonymous simple type".into(),
            TypeKind::Union { .. } => "an anonymous union".into(),
            TypeKind::Abstract { .. } => "an anonymous abstract type".into(),
        },
        TypeRef::Unresolved { name } => format!("unresolved {name}"),
    }
}

fn same_ref(a: &TypeRef, b: &TypeRef) -> bool {
    match (a, b) {
        (TypeRef::Inline { .. }, TypeRef::Inline { .. }) => true,
        _ => a == b,
    }
}

fn occurs_text(min: u64, max: Option<u64>) -> String {
    match (min, max) {
        (1, Some(1)) => "required".into(),
        (0, Some(1)) => "optional".into(),
        (min, Some(max)) => format!("{min}..{max}"),
        (min, None) => format!("{min}..unbounded"),
    }
}

/// The shape of the Rust field: `T`, `Option<T>` or `Vec<T>`.
fn occurs_shape(min: u64, max: Option<u64>) -> u8 {
    match (min, max) {
        (1, Some(1)) => 0,
        (0, Some(1)) => 1,
        _ => 2,
    }
}

fn kind_word(t: &TypeKind) -> &'static str {
    match t {
        TypeKind::Complex(_) => "a complex type",
        TypeKind::Simple(s) if s.enumeration.is_some() => "an enumeration",
        TypeKind::Simple(_) => "a simple type",
        TypeKind::Union { .. } => "a union",
        TypeKind::Abstract { .. } => "an abstract type",
    }
}

fn group_names(g: &Group, out: &mut BTreeSet<String>) {
    for p in &g.particles {
        match p {
            Particle::Element(e) => {
                out.insert(e.name.clone());
            }
            Particle::Group(g) => group_names(g, out),
            Particle::Any(_) => {}
        }
    }
}

fn group_text(g: &Group) -> String {
    let parts: Vec<String> = g
        .particles
        .iter()
        .map(|p| match p {
            Particle::Element(e) => e.name.clone(),
            Particle::Group(g) => format!("({})", group_text(g)),
            Particle::Any(a) => format!("any {}", a.namespace),
        })
        .collect();
    parts.join(if g.compositor == Compositor::Choice {
        " | "
    } else {
        ", "
    })
}

fn particle_required(p: &Particle) -> bool {
    match p {
        Particle::Element(e) => e.min >= 1,
        Particle::Any(a) => a.min >= 1,
        Particle::Group(g) => group_required(g),
    }
}

fn group_required(g: &Group) -> bool {
    g.min >= 1
        && match g.compositor {
            Compositor::Choice => {
                !g.particles.is_empty() && g.particles.iter().all(particle_required)
            }
            _ => g.particles.iter().any(particle_required),
        }
}

/// Whether a wildcard's namespace constraint admits an element in `ns`.
fn admits(constraint: &str, ns: Option<&str>, target: Option<&str>) -> bool {
    match constraint {
        "##any" => true,
        "##other" => ns.is_some() && ns != target,
        list => list.split_whitespace().any(|item| match item {
            "##targetNamespace" => ns.is_some() && ns == target,
            "##local" => ns.is_none(),
            uri => Some(uri) == ns,
        }),
    }
}

/// Pairs the particles of two groups: elements by name, wildcards in order, nested groups by
/// the elements they share.
fn match_particles(old: &[Particle], new: &[Particle]) -> Vec<(Option<usize>, Option<usize>)> {
    let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    let mut old_used = vec![false; old.len()];
    let mut new_used = vec![false; new.len()];
    // Elements by (namespace, name), in order of appearance.
    for (j, p) in new.iter().enumerate() {
        if let Particle::Element(n) = p
            && let Some(i) = old.iter().enumerate().position(|(i, q)| {
                !old_used[i]
                    && matches!(q, Particle::Element(o) if o.name == n.name && o.namespace == n.namespace)
            })
        {
            old_used[i] = true;
            new_used[j] = true;
            pairs.push((Some(i), Some(j)));
        }
    }
    // Elements renamed into another namespace: same local name.
    for (j, p) in new.iter().enumerate() {
        if new_used[j] {
            continue;
        }
        if let Particle::Element(n) = p
            && let Some(i) = old.iter().enumerate().position(|(i, q)| {
                !old_used[i] && matches!(q, Particle::Element(o) if o.name == n.name)
            })
        {
            old_used[i] = true;
            new_used[j] = true;
            pairs.push((Some(i), Some(j)));
        }
    }
    // Wildcards in order.
    for (j, p) in new.iter().enumerate() {
        if matches!(p, Particle::Any(_))
            && let Some(i) = old
                .iter()
                .enumerate()
                .position(|(i, q)| !old_used[i] && matches!(q, Particle::Any(_)))
        {
            old_used[i] = true;
            new_used[j] = true;
            pairs.push((Some(i), Some(j)));
        }
    }
    // Groups by shared element names, then leftovers in order.
    for (j, p) in new.iter().enumerate() {
        let Particle::Group(ng) = p else { continue };
        let mut nn = BTreeSet::new();
        group_names(ng, &mut nn);
        let best = old
            .iter()
            .enumerate()
            .filter(|(i, _)| !old_used[*i])
            .filter_map(|(i, q)| match q {
                Particle::Group(og) => {
                    let mut on = BTreeSet::new();
                    group_names(og, &mut on);
                    let shared = on.intersection(&nn).count();
                    (shared > 0).then_some((shared, std::cmp::Reverse(i), i))
                }
                _ => None,
            })
            .max()
            .map(|(_, _, i)| i);
        if let Some(i) = best {
            old_used[i] = true;
            new_used[j] = true;
            pairs.push((Some(i), Some(j)));
        }
    }
    for (j, p) in new.iter().enumerate() {
        if new_used[j] || !matches!(p, Particle::Group(_)) {
            continue;
        }
        if let Some(i) = old
            .iter()
            .enumerate()
            .position(|(i, q)| !old_used[i] && matches!(q, Particle::Group(_)))
        {
            old_used[i] = true;
            new_used[j] = true;
            pairs.push((Some(i), Some(j)));
        }
    }
    for (i, used) in old_used.iter().enumerate() {
        if !used {
            pairs.push((Some(i), None));
        }
    }
    for (j, used) in new_used.iter().enumerate() {
        if !used {
            pairs.push((None, Some(j)));
        }
    }
    pairs.sort_by_key(|(i, j)| (j.unwrap_or(usize::MAX), i.unwrap_or(usize::MAX)));
    pairs
}

impl Differ<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &self,
        out: &mut Vec<Change>,
        ctx: &Ctx,
        kind: Kind,
        summary: String,
        old: Option<String>,
        new: Option<String>,
        rust: Vec<RustEffect>,
        absorbed_by: Option<String>,
    ) {
        let (class, rules) = classify(kind, ctx.dir, absorbed_by.is_some());
        let base = match class {
            c if c.is_breaking() => Semver::Major,
            _ => Semver::Patch,
        };
        let semver = rust
            .iter()
            .map(|r| r.change.semver())
            .fold(base, Semver::max);
        out.push(Change {
            kind,
            class,
            rules,
            semver,
            subject: ctx.subject.clone(),
            path: ctx.path.clone(),
            summary,
            old,
            new,
            direction: ctx.dir,
            messages: ctx.messages.clone(),
            absorbed_by,
            rust,
            // Filled in once every change is found (see `compare`).
            at: None,
            field_at: ctx.place.clone(),
        });
    }

    fn docs(
        &self,
        out: &mut Vec<Change>,
        ctx: &Ctx,
        what: &str,
        old: &[String],
        new: &[String],
        rust: Vec<(ItemKind, Option<String>)>,
    ) {
        if old == new {
            return;
        }
        let join = |d: &[String]| (!d.is_empty()).then(|| d.join(" / "));
        let rust = rust
            .into_iter()
            .flat_map(|(k, p)| effect(k, &p, RustChange::Docs))
            .collect();
        self.push(
            out,
            ctx,
            Kind::Documentation,
            format!("documentation of {what} changed"),
            join(old),
            join(new),
            rust,
            None,
        );
    }

    fn groups_of(roots: Vec<&super::direction::Root>) -> BTreeSet<String> {
        roots.into_iter().map(|r| r.group.clone()).collect()
    }

    fn type_ctx(&self, key: &QKey) -> Ctx {
        let dir = self
            .old_usage
            .type_dir(key)
            .union(self.new_usage.type_dir(key));
        let mut messages = Self::groups_of(self.old_usage.type_roots(key));
        messages.extend(Self::groups_of(self.new_usage.type_roots(key)));
        let ns = key.namespace().map(str::to_owned);
        Ctx::new(
            Subject::Type { key: key.clone() },
            dir,
            messages.into_iter().collect(),
            ns,
        )
    }

    fn element_ctx(&self, key: &QKey) -> Ctx {
        let dir = self
            .old_usage
            .element_dir(key)
            .union(self.new_usage.element_dir(key));
        let mut messages = Self::groups_of(self.old_usage.element_roots(key));
        messages.extend(Self::groups_of(self.new_usage.element_roots(key)));
        let ns = key.namespace().map(str::to_owned);
        Ctx::new(
            Subject::Element { key: key.clone() },
            dir,
            messages.into_iter().collect(),
            ns,
        )
    }

    fn namespaces(&self, out: &mut Vec<Change>) {
        for (uri, o) in &self.old.namespaces {
            let Some(n) = self.new.namespaces.get(uri) else {
                continue;
            };
            let ctx = Ctx::new(
                Subject::Namespace { uri: uri.clone() },
                Direction::NONE,
                Vec::new(),
                Some(uri.clone()),
            );
            if o.versions != n.versions {
                let show = |v: &BTreeSet<String>| {
                    (!v.is_empty()).then(|| v.iter().cloned().collect::<Vec<_>>().join(", "))
                };
                let (ov, nv) = (show(&o.versions), show(&n.versions));
                self.push(
                    out,
                    &ctx,
                    Kind::SchemaVersion,
                    format!(
                        "schema version {} → {}",
                        ov.as_deref().unwrap_or("(none)"),
                        nv.as_deref().unwrap_or("(none)")
                    ),
                    ov,
                    nv,
                    Vec::new(),
                    None,
                );
            }
            self.docs(
                out,
                &ctx,
                "the schema",
                &o.documentation,
                &n.documentation,
                Vec::new(),
            );
        }
    }

    fn wsdls(&self, out: &mut Vec<Change>) {
        for (ns, o) in &self.old.wsdls {
            if let Some(n) = self.new.wsdls.get(ns) {
                let ctx = Ctx::new(
                    Subject::Wsdl {
                        namespace: ns.clone(),
                    },
                    Direction::NONE,
                    Vec::new(),
                    None,
                );
                self.docs(
                    out,
                    &ctx,
                    "the WSDL",
                    &o.documentation,
                    &n.documentation,
                    Vec::new(),
                );
            }
        }
    }

    fn services(&self, out: &mut Vec<Change>) {
        let names: BTreeSet<&String> = self
            .old
            .services
            .keys()
            .chain(self.new.services.keys())
            .collect();
        for name in names {
            let ctx = Ctx::new(
                Subject::Service { name: name.clone() },
                Direction::BOTH,
                Vec::new(),
                None,
            );
            let empty = super::model::Service::default();
            let o = self.old.services.get(name).unwrap_or(&empty);
            let n = self.new.services.get(name).unwrap_or(&empty);
            let ports: BTreeSet<&String> = o.ports.keys().chain(n.ports.keys()).collect();
            for port in ports {
                let pctx = ctx.at(format!("port {port}"));
                match (o.ports.get(port), n.ports.get(port)) {
                    (None, Some(p)) => self.push(
                        out,
                        &pctx,
                        Kind::NewPort,
                        format!("new port `{port}` (binding `{}`)", p.binding),
                        None,
                        p.address.clone(),
                        effect(ItemKind::Client, &p.rust_client, RustChange::Added),
                        None,
                    ),
                    (Some(p), None) => self.push(
                        out,
                        &pctx,
                        Kind::RemovedPort,
                        format!("port `{port}` removed"),
                        p.address.clone(),
                        None,
                        effect(ItemKind::Client, &p.rust_client, RustChange::Removed),
                        None,
                    ),
                    (Some(a), Some(b)) => {
                        if a.address != b.address {
                            let endpoint = b
                                .rust_client
                                .as_ref()
                                .map(|c| format!("{c}::DEFAULT_ENDPOINT"));
                            self.push(
                                out,
                                &pctx,
                                Kind::ChangedAddress,
                                format!(
                                    "endpoint address `{}` → `{}`",
                                    a.address.as_deref().unwrap_or("(none)"),
                                    b.address.as_deref().unwrap_or("(none)")
                                ),
                                a.address.clone(),
                                b.address.clone(),
                                effect(ItemKind::Constant, &endpoint, RustChange::Behaviour),
                                None,
                            );
                        }
                        if a.binding != b.binding {
                            self.push(
                                out,
                                &pctx,
                                Kind::ChangedBinding,
                                format!(
                                    "port uses binding `{}` instead of `{}`",
                                    b.binding, a.binding
                                ),
                                Some(a.binding.clone()),
                                Some(b.binding.clone()),
                                effect(ItemKind::Client, &b.rust_client, RustChange::Behaviour),
                                None,
                            );
                        }
                    }
                    (None, None) => {}
                }
            }
            if self.old.services.contains_key(name) && self.new.services.contains_key(name) {
                self.docs(
                    out,
                    &ctx,
                    &format!("service {name}"),
                    &o.documentation,
                    &n.documentation,
                    Vec::new(),
                );
            }
        }
    }

    fn bindings(&self, out: &mut Vec<Change>) {
        for (name, o) in &self.old.bindings {
            let Some(n) = self.new.bindings.get(name) else {
                continue;
            };
            let ctx = Ctx::new(
                Subject::Binding { name: name.clone() },
                Direction::BOTH,
                Vec::new(),
                None,
            );
            let fields = [
                ("SOAP version", &o.soap, &n.soap),
                ("style", &o.style, &n.style),
                ("transport", &o.transport, &n.transport),
            ];
            for (what, a, b) in fields {
                if a != b {
                    self.push(
                        out,
                        &ctx,
                        Kind::ChangedBinding,
                        format!(
                            "{what} `{}` → `{}`",
                            a.as_deref().unwrap_or("(none)"),
                            b.as_deref().unwrap_or("(none)")
                        ),
                        a.clone(),
                        b.clone(),
                        Vec::new(),
                        None,
                    );
                }
            }
        }
    }

    fn operations(&self, out: &mut Vec<Change>) {
        let methods = |op: &super::model::Operation, change| -> Vec<RustEffect> {
            op.rust_methods
                .iter()
                .map(|m| RustEffect {
                    item: ItemKind::Method,
                    path: m.clone(),
                    change,
                    from: None,
                })
                .collect()
        };
        // Renames: an operation gone and one new with the same request and response.
        let mut renamed: BTreeMap<&String, &String> = BTreeMap::new();
        for (ok, o) in &self.old.operations {
            if self.new.operations.contains_key(ok) || o.input.is_none() {
                continue;
            }
            if let Some((nk, _)) = self.new.operations.iter().find(|(nk, n)| {
                !self.old.operations.contains_key(*nk)
                    && !renamed.values().any(|v| v == nk)
                    && n.input == o.input
                    && n.output == o.output
            }) {
                renamed.insert(ok, nk);
            }
        }
        for (ok, nk) in &renamed {
            let (Some(o), Some(n)) = (self.old.operations.get(*ok), self.new.operations.get(*nk))
            else {
                continue;
            };
            let ctx = Ctx::new(
                Subject::Operation {
                    name: o.name.clone(),
                },
                Direction::BOTH,
                vec![operation_group(&o.name)],
                None,
            );
            let rust = o
                .rust_methods
                .iter()
                .zip(n.rust_methods.iter())
                .map(|(a, b)| RustEffect {
                    item: ItemKind::Method,
                    path: b.clone(),
                    change: RustChange::Renamed,
                    from: Some(a.clone()),
                })
                .collect();
            self.push(
                out,
                &ctx,
                Kind::RenamedOperation,
                format!("operation `{}` renamed to `{}`", o.name, n.name),
                Some(o.name.clone()),
                Some(n.name.clone()),
                rust,
                None,
            );
        }
        let keys: BTreeSet<&String> = self
            .old
            .operations
            .keys()
            .chain(self.new.operations.keys())
            .collect();
        for key in keys {
            if renamed.contains_key(key) || renamed.values().any(|v| *v == key) {
                continue;
            }
            match (self.old.operations.get(key), self.new.operations.get(key)) {
                (Some(o), None) => {
                    let ctx = Ctx::new(
                        Subject::Operation {
                            name: o.name.clone(),
                        },
                        Direction::BOTH,
                        vec![operation_group(&o.name)],
                        None,
                    );
                    self.push(
                        out,
                        &ctx,
                        Kind::RemovedOperation,
                        format!("operation `{}` removed", o.name),
                        Some(o.name.clone()),
                        None,
                        methods(o, RustChange::Removed),
                        None,
                    );
                }
                (None, Some(n)) => {
                    let ctx = Ctx::new(
                        Subject::Operation {
                            name: n.name.clone(),
                        },
                        Direction::BOTH,
                        vec![operation_group(&n.name)],
                        None,
                    );
                    self.push(
                        out,
                        &ctx,
                        Kind::NewOperation,
                        format!("new operation `{}`", n.name),
                        None,
                        Some(n.name.clone()),
                        methods(n, RustChange::Added),
                        None,
                    );
                }
                (Some(o), Some(n)) => self.operation(out, o, n),
                (None, None) => {}
            }
        }
    }

    fn operation(
        &self,
        out: &mut Vec<Change>,
        o: &super::model::Operation,
        n: &super::model::Operation,
    ) {
        let group = vec![operation_group(&n.name)];
        let ctx = |dir| {
            Ctx::new(
                Subject::Operation {
                    name: n.name.clone(),
                },
                dir,
                group.clone(),
                None,
            )
        };
        let show =
            |e: &Option<BodyRef>| e.as_ref().map_or("(none)", |b| b.key().local()).to_owned();
        let text = |e: &Option<BodyRef>| e.as_ref().map(ToString::to_string);
        let method_change = |change| -> Vec<RustEffect> {
            n.rust_methods
                .iter()
                .map(|m| RustEffect {
                    item: ItemKind::Method,
                    path: m.clone(),
                    change,
                    from: None,
                })
                .collect()
        };
        if o.input != n.input {
            self.push(
                out,
                &ctx(Direction::SENT).at("request"),
                Kind::ChangedMessageElement,
                format!(
                    "request element `{}` → `{}`",
                    show(&o.input),
                    show(&n.input)
                ),
                text(&o.input),
                text(&n.input),
                method_change(RustChange::TypeChanged),
                None,
            );
        }
        if o.output != n.output {
            self.push(
                out,
                &ctx(Direction::RECEIVED).at("response"),
                Kind::ChangedMessageElement,
                format!(
                    "response element `{}` → `{}`",
                    show(&o.output),
                    show(&n.output)
                ),
                text(&o.output),
                text(&n.output),
                method_change(RustChange::TypeChanged),
                None,
            );
        }
        let faults: BTreeSet<&String> = o.faults.keys().chain(n.faults.keys()).collect();
        for f in faults {
            let fctx = ctx(Direction::RECEIVED).at(format!("fault {f}"));
            match (o.faults.get(f), n.faults.get(f)) {
                (None, Some(e)) => self.push(
                    out,
                    &fctx,
                    Kind::NewFault,
                    format!("new fault `{f}` (element `{}`)", show(e)),
                    None,
                    text(e),
                    effect(
                        ItemKind::Variant,
                        &n.rust_faults.get(f).cloned(),
                        RustChange::Added,
                    ),
                    None,
                ),
                (Some(e), None) => self.push(
                    out,
                    &fctx,
                    Kind::RemovedFault,
                    format!("fault `{f}` removed"),
                    text(e),
                    None,
                    effect(
                        ItemKind::Variant,
                        &o.rust_faults.get(f).cloned(),
                        RustChange::Removed,
                    ),
                    None,
                ),
                (Some(a), Some(b)) if a != b => self.push(
                    out,
                    &fctx,
                    Kind::ChangedMessageElement,
                    format!("fault `{f}` element `{}` → `{}`", show(a), show(b)),
                    text(a),
                    text(b),
                    effect(
                        ItemKind::Variant,
                        &n.rust_faults.get(f).cloned(),
                        RustChange::TypeChanged,
                    ),
                    None,
                ),
                _ => {}
            }
        }
        for h in n.headers.difference(&o.headers) {
            self.push(
                out,
                &ctx(Direction::SENT).at("headers"),
                Kind::NewHeader,
                format!("new SOAP header `{}`", h.local()),
                None,
                Some(h.to_string()),
                method_change(RustChange::TypeChanged),
                None,
            );
        }
        for h in o.headers.difference(&n.headers) {
            self.push(
                out,
                &ctx(Direction::SENT).at("headers"),
                Kind::RemovedHeader,
                format!("SOAP header `{}` removed", h.local()),
                Some(h.to_string()),
                None,
                method_change(RustChange::TypeChanged),
                None,
            );
        }
        for (b, ob) in &o.bound {
            let Some(nb) = n.bound.get(b) else { continue };
            let bctx = ctx(Direction::BOTH).at(format!("binding {b}"));
            if ob.soap_action != nb.soap_action {
                self.push(
                    out,
                    &bctx,
                    Kind::ChangedSoapAction,
                    format!(
                        "SOAPAction `{}` → `{}`",
                        ob.soap_action.as_deref().unwrap_or(""),
                        nb.soap_action.as_deref().unwrap_or("")
                    ),
                    ob.soap_action.clone(),
                    nb.soap_action.clone(),
                    method_change(RustChange::Behaviour),
                    None,
                );
            }
            if ob.style != nb.style || ob.body_use != nb.body_use {
                self.push(
                    out,
                    &bctx,
                    Kind::ChangedBinding,
                    format!(
                        "style/use `{} {}` → `{} {}`",
                        ob.style.as_deref().unwrap_or(""),
                        ob.body_use.join("/"),
                        nb.style.as_deref().unwrap_or(""),
                        nb.body_use.join("/")
                    ),
                    None,
                    None,
                    method_change(RustChange::Behaviour),
                    None,
                );
            }
        }
        let docs_items = n
            .rust_methods
            .iter()
            .map(|m| (ItemKind::Method, Some(m.clone())))
            .collect();
        self.docs(
            out,
            &ctx(Direction::BOTH),
            &format!("operation {}", n.name),
            &o.documentation,
            &n.documentation,
            docs_items,
        );
    }

    fn elements(&self, out: &mut Vec<Change>) {
        let keys: BTreeSet<&QKey> = self
            .old
            .elements
            .keys()
            .chain(self.new.elements.keys())
            .collect();
        for key in keys {
            let ctx = self.element_ctx(key);
            let local = local_of(key);
            match (self.old.elements.get(key), self.new.elements.get(key)) {
                (None, Some(n)) => self.push(
                    out,
                    &ctx,
                    Kind::NewGlobalElement,
                    format!(
                        "new global element `{local}` of type `{}`",
                        show_ref(&n.type_ref)
                    ),
                    None,
                    Some(show_ref(&n.type_ref)),
                    effect(ItemKind::Constant, &n.rust_const, RustChange::Added),
                    None,
                ),
                (Some(o), None) => self.push(
                    out,
                    &ctx,
                    Kind::RemovedGlobalElement,
                    format!("global element `{local}` removed"),
                    Some(show_ref(&o.type_ref)),
                    None,
                    effect(ItemKind::Constant, &o.rust_const, RustChange::Removed),
                    None,
                ),
                (Some(o), Some(n)) => {
                    self.type_refs(
                        out,
                        &ctx,
                        &o.type_ref,
                        &n.type_ref,
                        ItemKind::Constant,
                        &n.rust_const,
                    );
                    if o.nillable != n.nillable {
                        let kind = if n.nillable {
                            Kind::NowNillable
                        } else {
                            Kind::NoLongerNillable
                        };
                        self.push(
                            out,
                            &ctx,
                            kind,
                            format!("`{local}` nillable {} → {}", o.nillable, n.nillable),
                            None,
                            None,
                            Vec::new(),
                            None,
                        );
                    }
                    self.docs(
                        out,
                        &ctx,
                        &format!("element {local}"),
                        &o.documentation,
                        &n.documentation,
                        vec![(ItemKind::Constant, n.rust_const.clone())],
                    );
                }
                (None, None) => {}
            }
        }
    }

    fn types(&self, out: &mut Vec<Change>) {
        let keys: BTreeSet<&QKey> = self.old.types.keys().chain(self.new.types.keys()).collect();
        for key in keys {
            let ctx = self.type_ctx(key);
            let local = local_of(key);
            match (self.old.types.get(key), self.new.types.get(key)) {
                (None, Some(n)) => self.push(
                    out,
                    &ctx,
                    Kind::NewType,
                    format!("new type `{local}` ({})", kind_word(&n.kind)),
                    None,
                    None,
                    effect(ItemKind::Type, &n.rust, RustChange::Added),
                    None,
                ),
                (Some(o), None) => self.push(
                    out,
                    &ctx,
                    Kind::RemovedType,
                    format!("type `{local}` removed"),
                    None,
                    None,
                    effect(ItemKind::Type, &o.rust, RustChange::Removed),
                    None,
                ),
                (Some(o), Some(n)) => self.def(out, &ctx, o, n),
                (None, None) => {}
            }
        }
    }

    /// Compares two references; `item` names the Rust member whose type they give.
    fn type_refs(
        &self,
        out: &mut Vec<Change>,
        ctx: &Ctx,
        o: &TypeRef,
        n: &TypeRef,
        item: ItemKind,
        rust: &Option<String>,
    ) {
        if let (TypeRef::Inline { def: a }, TypeRef::Inline { def: b }) = (o, n) {
            self.def(out, &ctx.at("anonymous type"), a, b);
            return;
        }
        if same_ref(o, n) {
            return;
        }
        self.push(
            out,
            ctx,
            Kind::ChangedType,
            format!("type `{}` → `{}`", show_ref(o), show_ref(n)),
            Some(show_ref(o)),
            Some(show_ref(n)),
            effect(item, rust, RustChange::TypeChanged),
            None,
        );
    }

    /// The elements or types that may stand in for type `o` → `n` (the members of a
    /// substitution group, the types derived from an abstract type), one change per member
    /// gained or lost, naming the variant of the enum of them it adds or removes.
    fn substitutes(
        &self,
        out: &mut Vec<Change>,
        ctx: &Ctx,
        old: &BTreeSet<QKey>,
        new: &BTreeSet<QKey>,
        o: &TypeDef,
        n: &TypeDef,
    ) {
        // The variant of member `key` in `def`'s enum, or the enum itself when that member
        // has no variant of its own (say, an abstract member element).
        let rust = |def: &TypeDef, key: &QKey, change: RustChange| match def
            .rust_variants
            .get(&key.to_string())
        {
            Some(v) => effect(ItemKind::Variant, &Some(v.clone()), change),
            None => effect(ItemKind::Type, &def.rust, RustChange::TypeChanged),
        };
        for key in old.difference(new) {
            let local = local_of(key).to_owned();
            self.push(
                out,
                ctx,
                Kind::RemovedSubstitute,
                format!("`{local}` no longer stands in for it"),
                Some(local),
                None,
                rust(o, key, RustChange::Removed),
                None,
            );
        }
        for key in new.difference(old) {
            let local = local_of(key).to_owned();
            self.push(
                out,
                ctx,
                Kind::NewSubstitute,
                format!("`{local}` may now stand in for it"),
                None,
                Some(local),
                rust(n, key, RustChange::Added),
                None,
            );
        }
    }

    fn def(&self, out: &mut Vec<Change>, ctx: &Ctx, o: &TypeDef, n: &TypeDef) {
        let what = if n.name.is_empty() {
            "the anonymous type".to_owned()
        } else {
            format!("type {}", n.name)
        };
        self.docs(
            out,
            ctx,
            &what,
            &o.documentation,
            &n.documentation,
            vec![(ItemKind::Type, n.rust.clone())],
        );
        match (&o.kind, &n.kind) {
            (TypeKind::Complex(a), TypeKind::Complex(b)) => {
                if a.mixed != b.mixed {
                    self.push(
                        out,
                        ctx,
                        Kind::ChangedStructure,
                        format!("mixed content {} → {}", a.mixed, b.mixed),
                        None,
                        None,
                        effect(ItemKind::Type, &n.rust, RustChange::TypeChanged),
                        None,
                    );
                }
                self.attributes(out, ctx, &a.attributes, &b.attributes, &n.rust);
                self.substitutes(out, ctx, &a.derived, &b.derived, o, n);
                match (&a.any_attribute, &b.any_attribute) {
                    (None, Some(w)) => self.push(
                        out,
                        ctx,
                        Kind::NewOptionalAttribute,
                        format!("attribute wildcard `{w}` added"),
                        None,
                        Some(w.clone()),
                        Vec::new(),
                        None,
                    ),
                    (Some(w), None) => self.push(
                        out,
                        ctx,
                        Kind::RemovedAttribute,
                        format!("attribute wildcard `{w}` removed"),
                        Some(w.clone()),
                        None,
                        Vec::new(),
                        None,
                    ),
                    _ => {}
                }
                match (&a.content, &b.content) {
                    (Content::Empty, Content::Empty) => {}
                    (
                        Content::Simple { type_ref: x, .. },
                        Content::Simple { type_ref: y, rust },
                    ) => {
                        self.type_refs(out, &ctx.at("text content"), x, y, ItemKind::Field, rust);
                    }
                    (Content::Particles(x), Content::Particles(y)) => self.group(out, ctx, x, y),
                    (x, y) => {
                        let word = |c: &Content| match c {
                            Content::Empty => "empty content".to_owned(),
                            Content::Simple { type_ref, .. } => {
                                format!("text of type `{}`", show_ref(type_ref))
                            }
                            Content::Particles(g) => format!("elements ({})", group_text(g)),
                        };
                        self.push(
                            out,
                            ctx,
                            Kind::ChangedStructure,
                            format!("content {} → {}", word(x), word(y)),
                            Some(word(x)),
                            Some(word(y)),
                            effect(ItemKind::Type, &n.rust, RustChange::TypeChanged),
                            None,
                        );
                    }
                }
            }
            (TypeKind::Simple(a), TypeKind::Simple(b)) => {
                self.simple(out, ctx, a, b, &o.rust, &n.rust)
            }
            (TypeKind::Union { members: a }, TypeKind::Union { members: b }) => {
                if a != b {
                    let show =
                        |m: &[TypeRef]| m.iter().map(show_ref).collect::<Vec<_>>().join(" | ");
                    self.push(
                        out,
                        ctx,
                        Kind::ChangedType,
                        format!("union members `{}` → `{}`", show(a), show(b)),
                        Some(show(a)),
                        Some(show(b)),
                        member_effects(o, n),
                        None,
                    );
                }
            }
            (TypeKind::Abstract { derived: a }, TypeKind::Abstract { derived: b }) => {
                self.substitutes(out, ctx, a, b, o, n);
            }
            (a, b) => self.push(
                out,
                ctx,
                Kind::ChangedType,
                format!("was {}, is now {}", kind_word(a), kind_word(b)),
                Some(kind_word(a).to_owned()),
                Some(kind_word(b).to_owned()),
                effect(ItemKind::Type, &n.rust, RustChange::TypeChanged),
                None,
            ),
        }
    }

    /// A `fixed` value added, removed or changed on an element or attribute. Generated code
    /// neither checks nor fills fixed values, so no Rust item changes.
    fn fixed(
        &self,
        out: &mut Vec<Change>,
        ctx: &Ctx,
        what: &str,
        old: &Option<String>,
        new: &Option<String>,
    ) {
        let kind = match (old, new) {
            (None, Some(_)) => Kind::NewFixed,
            (Some(_), None) => Kind::RemovedFixed,
            (Some(a), Some(b)) if a != b => Kind::ChangedFixed,
            _ => return,
        };
        let shown = |v: &Option<String>| v.as_deref().unwrap_or("(none)").to_owned();
        self.push(
            out,
            ctx,
            kind,
            format!("{what} fixed `{}` → `{}`", shown(old), shown(new)),
            old.clone(),
            new.clone(),
            Vec::new(),
            None,
        );
    }

    fn attributes(
        &self,
        out: &mut Vec<Change>,
        ctx: &Ctx,
        o: &BTreeMap<QKey, AttributeDef>,
        n: &BTreeMap<QKey, AttributeDef>,
        owner: &Option<String>,
    ) {
        let keys: BTreeSet<&QKey> = o.keys().chain(n.keys()).collect();
        let _ = owner;
        for key in keys {
            let placed = n.get(key).or(o.get(key)).map(|a| &a.at);
            let actx = match placed {
                Some(p) => ctx.at(format!("@{}", key.local())).placed(p),
                None => ctx.at(format!("@{}", key.local())),
            };
            let required = |a: &AttributeDef| a.use_ == "required";
            match (o.get(key), n.get(key)) {
                (None, Some(a)) => {
                    let kind = if required(a) {
                        Kind::NewRequiredAttribute
                    } else {
                        Kind::NewOptionalAttribute
                    };
                    self.push(
                        out,
                        &actx,
                        kind,
                        format!(
                            "new {} attribute `{}` (`{}`)",
                            a.use_,
                            a.name,
                            show_ref(&a.type_ref)
                        ),
                        None,
                        Some(show_ref(&a.type_ref)),
                        effect(ItemKind::Field, &a.rust, RustChange::Added),
                        None,
                    );
                }
                (Some(a), None) => {
                    let kind = if required(a) {
                        Kind::RemovedRequiredAttribute
                    } else {
                        Kind::RemovedAttribute
                    };
                    self.push(
                        out,
                        &actx,
                        kind,
                        format!("{} attribute `{}` removed", a.use_, a.name),
                        Some(show_ref(&a.type_ref)),
                        None,
                        effect(ItemKind::Field, &a.rust, RustChange::Removed),
                        None,
                    );
                }
                (Some(a), Some(b)) => {
                    if a.namespace != b.namespace {
                        self.push(
                            out,
                            &actx,
                            Kind::ChangedNamespace,
                            format!(
                                "attribute `{}` namespace `{}` → `{}`",
                                b.name,
                                a.namespace.as_deref().unwrap_or("(none)"),
                                b.namespace.as_deref().unwrap_or("(none)")
                            ),
                            a.namespace.clone(),
                            b.namespace.clone(),
                            effect(ItemKind::Field, &b.rust, RustChange::Behaviour),
                            None,
                        );
                    }
                    self.type_refs(
                        out,
                        &actx,
                        &a.type_ref,
                        &b.type_ref,
                        ItemKind::Field,
                        &b.rust,
                    );
                    if a.use_ != b.use_ {
                        let kind = match (a.use_.as_str(), b.use_.as_str()) {
                            (_, "required") => Kind::AttributeNowRequired,
                            ("required", _) => Kind::AttributeNowOptional,
                            (_, "prohibited") => Kind::RemovedAttribute,
                            _ => Kind::NewOptionalAttribute,
                        };
                        let shape = |u: &str| u == "required";
                        let change = if shape(&a.use_) != shape(&b.use_) {
                            RustChange::TypeChanged
                        } else {
                            RustChange::Checks
                        };
                        self.push(
                            out,
                            &actx,
                            kind,
                            format!("attribute `{}` {} → {}", b.name, a.use_, b.use_),
                            Some(a.use_.clone()),
                            Some(b.use_.clone()),
                            effect(ItemKind::Field, &b.rust, change),
                            None,
                        );
                    }
                    if a.default != b.default {
                        self.push(
                            out,
                            &actx,
                            Kind::ChangedDefault,
                            format!(
                                "attribute `{}` default `{}` → `{}`",
                                b.name,
                                a.default.as_deref().unwrap_or("(none)"),
                                b.default.as_deref().unwrap_or("(none)")
                            ),
                            a.default.clone(),
                            b.default.clone(),
                            effect(ItemKind::Field, &b.rust, RustChange::Behaviour),
                            None,
                        );
                    }
                    let what = format!("attribute `{}`", b.name);
                    self.fixed(out, &actx, &what, &a.fixed, &b.fixed);
                    self.docs(
                        out,
                        &actx,
                        &format!("attribute {}", b.name),
                        &a.documentation,
                        &b.documentation,
                        vec![(ItemKind::Field, b.rust.clone())],
                    );
                }
                (None, None) => {}
            }
        }
    }

    /// Occurrence bounds of a particle or group.
    #[allow(clippy::too_many_arguments)]
    fn occurs(
        &self,
        out: &mut Vec<Change>,
        ctx: &Ctx,
        what: &str,
        o: (u64, Option<u64>),
        n: (u64, Option<u64>),
        item: ItemKind,
        rust: &Option<String>,
    ) {
        let change = if occurs_shape(o.0, o.1) != occurs_shape(n.0, n.1) {
            RustChange::TypeChanged
        } else {
            RustChange::Checks
        };
        if o.0 != n.0 {
            let kind = if n.0 > o.0 {
                Kind::RaisedMinOccurs
            } else {
                Kind::LoweredMinOccurs
            };
            self.push(
                out,
                ctx,
                kind,
                format!(
                    "{what}: minOccurs {} → {} ({} → {})",
                    o.0,
                    n.0,
                    occurs_text(o.0, o.1),
                    occurs_text(n.0, n.1)
                ),
                Some(o.0.to_string()),
                Some(n.0.to_string()),
                effect(item, rust, change),
                None,
            );
        }
        if o.1 != n.1 {
            let lowered = match (o.1, n.1) {
                (None, Some(_)) => true,
                (Some(a), Some(b)) => b < a,
                _ => false,
            };
            let kind = if lowered {
                Kind::LoweredMaxOccurs
            } else {
                Kind::RaisedMaxOccurs
            };
            let show = |m: Option<u64>| {
                m.map(|m| m.to_string())
                    .unwrap_or_else(|| "unbounded".into())
            };
            self.push(
                out,
                ctx,
                kind,
                format!(
                    "{what}: maxOccurs {} → {} ({} → {})",
                    show(o.1),
                    show(n.1),
                    occurs_text(o.0, o.1),
                    occurs_text(n.0, n.1)
                ),
                Some(show(o.1)),
                Some(show(n.1)),
                effect(item, rust, change),
                None,
            );
        }
    }

    fn group(&self, out: &mut Vec<Change>, ctx: &Ctx, o: &Group, n: &Group) {
        let choice = n.compositor == Compositor::Choice;
        let member = if choice {
            ItemKind::Variant
        } else {
            ItemKind::Field
        };
        if o.compositor != n.compositor {
            self.push(
                out,
                ctx,
                Kind::ChangedStructure,
                format!(
                    "{} ({}) became a {} ({})",
                    o.compositor,
                    group_text(o),
                    n.compositor,
                    group_text(n)
                ),
                Some(group_text(o)),
                Some(group_text(n)),
                effect(
                    ItemKind::Field,
                    &n.rust.clone().or(n.rust_type.clone()),
                    RustChange::TypeChanged,
                ),
                None,
            );
            return;
        }
        self.occurs(
            out,
            ctx,
            &format!("the {}", n.compositor),
            (o.min, o.max),
            (n.min, n.max),
            ItemKind::Field,
            &n.rust,
        );
        let pairs = match_particles(&o.particles, &n.particles);
        let old_index: BTreeMap<usize, usize> = pairs
            .iter()
            .filter_map(|p| match p {
                (Some(i), Some(j)) => Some((*j, *i)),
                _ => None,
            })
            .collect();
        for (i, j) in &pairs {
            match (i.map(|i| &o.particles[i]), j.map(|j| &n.particles[j])) {
                (Some(a), Some(b)) => self.particle(out, ctx, a, b, member),
                (None, Some(b)) => {
                    let j = j.unwrap_or(0);
                    // Where old readers would meet it: after the old counterpart of the nearest
                    // matched particle before it.
                    let from = (0..j)
                        .rev()
                        .find_map(|k| old_index.get(&k).map(|i| i + 1))
                        .unwrap_or(0);
                    self.added(out, ctx, b, n.compositor, o, from);
                }
                (Some(a), None) => self.removed(out, ctx, a, n.compositor),
                (None, None) => {}
            }
        }
        if n.compositor == Compositor::Sequence {
            let mut matched: Vec<(usize, usize)> =
                old_index.iter().map(|(j, i)| (*i, *j)).collect();
            matched.sort();
            let in_order = matched.windows(2).all(|w| w[0].1 < w[1].1);
            if !in_order {
                let names = |g: &Group| group_text(g);
                self.push(
                    out,
                    ctx,
                    Kind::ReorderedElements,
                    format!("elements reordered: ({}) → ({})", names(o), names(n)),
                    Some(names(o)),
                    Some(names(n)),
                    effect(
                        ItemKind::Type,
                        &n.rust_type.clone().or_else(|| owner_of(n)),
                        RustChange::Behaviour,
                    ),
                    None,
                );
            }
        }
    }

    fn particle(
        &self,
        out: &mut Vec<Change>,
        ctx: &Ctx,
        a: &Particle,
        b: &Particle,
        member: ItemKind,
    ) {
        match (a, b) {
            (Particle::Element(x), Particle::Element(y)) => self.element(out, ctx, x, y, member),
            (Particle::Group(x), Particle::Group(y)) => {
                let gctx = ctx.at(y.compositor.to_string());
                self.group(out, &gctx, x, y);
            }
            (Particle::Any(x), Particle::Any(y)) => {
                let actx = ctx.at("any");
                if x.namespace != y.namespace || x.process_contents != y.process_contents {
                    let strict = |p: &str| p == "strict";
                    let kind = if x.namespace == y.namespace {
                        if strict(&y.process_contents) {
                            Kind::NarrowedWildcard
                        } else {
                            Kind::WidenedWildcard
                        }
                    } else if y.namespace == "##any" {
                        Kind::WidenedWildcard
                    } else if x.namespace == "##any" {
                        Kind::NarrowedWildcard
                    } else {
                        Kind::ChangedWildcard
                    };
                    let show = |p: &super::model::AnyParticle| {
                        format!("{} ({})", p.namespace, p.process_contents)
                    };
                    self.push(
                        out,
                        &actx,
                        kind,
                        format!("xs:any `{}` → `{}`", show(x), show(y)),
                        Some(show(x)),
                        Some(show(y)),
                        effect(ItemKind::Field, &y.rust, RustChange::Behaviour),
                        None,
                    );
                }
                self.occurs(
                    out,
                    &actx,
                    "xs:any",
                    (x.min, x.max),
                    (y.min, y.max),
                    ItemKind::Field,
                    &y.rust,
                );
            }
            _ => {}
        }
    }

    fn element(
        &self,
        out: &mut Vec<Change>,
        ctx: &Ctx,
        a: &ElementParticle,
        b: &ElementParticle,
        member: ItemKind,
    ) {
        let ectx = ctx.at(b.name.clone()).placed(&b.at);
        if a.namespace != b.namespace {
            self.push(
                out,
                &ectx,
                Kind::ChangedNamespace,
                format!(
                    "element `{}` namespace `{}` → `{}`",
                    b.name,
                    a.namespace.as_deref().unwrap_or("(none)"),
                    b.namespace.as_deref().unwrap_or("(none)")
                ),
                a.namespace.clone(),
                b.namespace.clone(),
                effect(member, &b.rust, RustChange::Behaviour),
                None,
            );
        }
        self.type_refs(out, &ectx, &a.type_ref, &b.type_ref, member, &b.rust);
        self.occurs(
            out,
            &ectx,
            &format!("element `{}`", b.name),
            (a.min, a.max),
            (b.min, b.max),
            member,
            &b.rust,
        );
        if a.nillable != b.nillable {
            let kind = if b.nillable {
                Kind::NowNillable
            } else {
                Kind::NoLongerNillable
            };
            self.push(
                out,
                &ectx,
                kind,
                format!(
                    "element `{}` nillable {} → {}",
                    b.name, a.nillable, b.nillable
                ),
                None,
                None,
                effect(member, &b.rust, RustChange::Checks),
                None,
            );
        }
        if a.rust_boxed != b.rust_boxed {
            let boxed = |on: bool| if on { "boxed" } else { "not boxed" };
            self.push(
                out,
                &ectx,
                Kind::ChangedBoxing,
                format!(
                    "element `{}`: its Rust {} is {} → {}",
                    b.name,
                    if member == ItemKind::Variant {
                        "variant"
                    } else {
                        "field"
                    },
                    boxed(a.rust_boxed),
                    boxed(b.rust_boxed)
                ),
                None,
                None,
                effect(member, &b.rust, RustChange::TypeChanged),
                None,
            );
        }
        let what = format!("element `{}`", b.name);
        if a.default != b.default {
            self.push(
                out,
                &ectx,
                Kind::ChangedDefault,
                format!(
                    "{what} default `{}` → `{}`",
                    a.default.as_deref().unwrap_or("(none)"),
                    b.default.as_deref().unwrap_or("(none)")
                ),
                a.default.clone(),
                b.default.clone(),
                effect(member, &b.rust, RustChange::Behaviour),
                None,
            );
        }
        self.fixed(out, &ectx, &what, &a.fixed, &b.fixed);
        self.docs(
            out,
            &ectx,
            &format!("element {}", b.name),
            &a.documentation,
            &b.documentation,
            vec![(member, b.rust.clone())],
        );
    }

    fn added(
        &self,
        out: &mut Vec<Change>,
        ctx: &Ctx,
        p: &Particle,
        compositor: Compositor,
        old: &Group,
        from: usize,
    ) {
        let member = if compositor == Compositor::Choice {
            ItemKind::Variant
        } else {
            ItemKind::Field
        };
        match p {
            Particle::Element(e) => {
                let ectx = ctx.at(e.name.clone()).placed(&e.at);
                let text = format!(
                    "element `{}` (`{}`, {})",
                    e.name,
                    show_ref(&e.type_ref),
                    occurs_text(e.min, e.max)
                );
                if compositor == Compositor::Choice {
                    self.push(
                        out,
                        &ectx,
                        Kind::NewChoiceBranch,
                        format!("new choice branch {text}"),
                        None,
                        Some(show_ref(&e.type_ref)),
                        effect(member, &e.rust, RustChange::Added),
                        None,
                    );
                    return;
                }
                let kind = if e.min >= 1 {
                    Kind::NewRequiredElement
                } else {
                    Kind::NewOptionalElement
                };
                let absorbed = (compositor == Compositor::Sequence)
                    .then(|| {
                        absorbing_wildcard(
                            old,
                            from,
                            e.namespace.as_deref(),
                            ctx.target_ns.as_deref(),
                        )
                    })
                    .flatten();
                self.push(
                    out,
                    &ectx,
                    kind,
                    format!("new {text}"),
                    None,
                    Some(show_ref(&e.type_ref)),
                    effect(member, &e.rust, RustChange::Added),
                    absorbed,
                );
            }
            Particle::Group(g) => {
                let text = format!("{} ({})", g.compositor, group_text(g));
                let kind = if compositor == Compositor::Choice {
                    Kind::NewChoiceBranch
                } else if group_required(g) {
                    Kind::NewRequiredElement
                } else {
                    Kind::NewOptionalElement
                };
                let item = g.rust.clone().or(g.rust_type.clone());
                self.push(
                    out,
                    ctx,
                    kind,
                    format!("new {text}"),
                    None,
                    Some(group_text(g)),
                    effect(member, &item, RustChange::Added),
                    None,
                );
            }
            Particle::Any(a) => {
                self.push(
                    out,
                    &ctx.at("any"),
                    Kind::NewWildcard,
                    format!(
                        "new xs:any `{}` ({})",
                        a.namespace,
                        occurs_text(a.min, a.max)
                    ),
                    None,
                    Some(a.namespace.clone()),
                    effect(ItemKind::Field, &a.rust, RustChange::Added),
                    None,
                );
            }
        }
    }

    fn removed(&self, out: &mut Vec<Change>, ctx: &Ctx, p: &Particle, compositor: Compositor) {
        let member = if compositor == Compositor::Choice {
            ItemKind::Variant
        } else {
            ItemKind::Field
        };
        match p {
            Particle::Element(e) => {
                let ectx = ctx.at(e.name.clone()).placed(&e.at);
                let text = format!(
                    "element `{}` (`{}`, {})",
                    e.name,
                    show_ref(&e.type_ref),
                    occurs_text(e.min, e.max)
                );
                let kind = if compositor == Compositor::Choice {
                    Kind::RemovedChoiceBranch
                } else if e.min >= 1 {
                    Kind::RemovedRequiredElement
                } else {
                    Kind::RemovedElement
                };
                let what = if compositor == Compositor::Choice {
                    format!("choice branch {text} removed")
                } else {
                    format!("{text} removed")
                };
                self.push(
                    out,
                    &ectx,
                    kind,
                    what,
                    Some(show_ref(&e.type_ref)),
                    None,
                    effect(member, &e.rust, RustChange::Removed),
                    None,
                );
            }
            Particle::Group(g) => {
                let kind = if compositor == Compositor::Choice {
                    Kind::RemovedChoiceBranch
                } else if group_required(g) {
                    Kind::RemovedRequiredElement
                } else {
                    Kind::RemovedElement
                };
                let item = g.rust.clone().or(g.rust_type.clone());
                self.push(
                    out,
                    ctx,
                    kind,
                    format!("{} ({}) removed", g.compositor, group_text(g)),
                    Some(group_text(g)),
                    None,
                    effect(member, &item, RustChange::Removed),
                    None,
                );
            }
            Particle::Any(a) => {
                self.push(
                    out,
                    &ctx.at("any"),
                    Kind::RemovedWildcard,
                    format!("xs:any `{}` removed", a.namespace),
                    Some(a.namespace.clone()),
                    None,
                    effect(ItemKind::Field, &a.rust, RustChange::Removed),
                    None,
                );
            }
        }
    }

    fn simple(
        &self,
        out: &mut Vec<Change>,
        ctx: &Ctx,
        a: &SimpleDef,
        b: &SimpleDef,
        old_rust: &Option<String>,
        rust: &Option<String>,
    ) {
        let _ = old_rust;
        if a.list != b.list {
            self.push(
                out,
                ctx,
                Kind::ChangedType,
                format!("xs:list {} → {}", a.list, b.list),
                None,
                None,
                effect(ItemKind::Type, rust, RustChange::TypeChanged),
                None,
            );
        }
        self.type_refs(out, &ctx.at("base"), &a.base, &b.base, ItemKind::Type, rust);
        match (&a.enumeration, &b.enumeration) {
            (None, None) => {}
            (None, Some(values)) => self.push(
                out,
                ctx,
                Kind::TightenedFacet,
                format!("now an enumeration of {}", quote_list(values.keys())),
                None,
                Some(quote_list(values.keys())),
                effect(ItemKind::Type, rust, RustChange::TypeChanged),
                None,
            ),
            (Some(values), None) => self.push(
                out,
                ctx,
                Kind::RelaxedFacet,
                format!(
                    "no longer an enumeration (was {})",
                    quote_list(values.keys())
                ),
                Some(quote_list(values.keys())),
                None,
                effect(ItemKind::Type, rust, RustChange::TypeChanged),
                None,
            ),
            (Some(x), Some(y)) => {
                let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
                for v in keys {
                    match (x.get(v), y.get(v)) {
                        (None, Some(nv)) => self.push(
                            out,
                            ctx,
                            Kind::NewEnumerationValue,
                            format!("new enumeration value `{v}`"),
                            None,
                            Some(v.clone()),
                            effect(ItemKind::Variant, &nv.rust, RustChange::Added),
                            None,
                        ),
                        (Some(ov), None) => self.push(
                            out,
                            ctx,
                            Kind::RemovedEnumerationValue,
                            format!("enumeration value `{v}` removed"),
                            Some(v.clone()),
                            None,
                            effect(ItemKind::Variant, &ov.rust, RustChange::Removed),
                            None,
                        ),
                        (Some(ov), Some(nv)) => self.docs(
                            out,
                            &ctx.at(format!("value {v}")),
                            &format!("value `{v}`"),
                            &ov.documentation,
                            &nv.documentation,
                            vec![(ItemKind::Variant, nv.rust.clone())],
                        ),
                        (None, None) => {}
                    }
                }
            }
        }
        for (kind, text, old, new) in facet_changes(&a.facets, &b.facets) {
            self.push(
                out,
                ctx,
                kind,
                text,
                old,
                new,
                effect(ItemKind::Type, rust, RustChange::Checks),
                None,
            );
        }
    }
}

/// The Rust struct holding the fields of a content sequence.
fn owner_of(g: &Group) -> Option<String> {
    g.particles.iter().find_map(|p| match p {
        Particle::Element(e) => e
            .rust
            .as_deref()
            .and_then(|r| r.rsplit_once("::"))
            .map(|(t, _)| t.to_owned()),
        _ => None,
    })
}

fn quote_list<'a>(values: impl Iterator<Item = &'a String>) -> String {
    values
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `xs:any` of the old group that takes an element in `ns` appearing where old readers are
/// at particle `from`: the next wildcard before any required particle.
fn absorbing_wildcard(
    old: &Group,
    from: usize,
    ns: Option<&str>,
    target: Option<&str>,
) -> Option<String> {
    for p in old.particles.iter().skip(from) {
        match p {
            Particle::Any(a) if admits(&a.namespace, ns, target) => {
                return Some(format!(
                    "the old type's xs:any (namespace {}) takes the element, so old readers keep it as unknown content",
                    a.namespace
                ));
            }
            p if particle_required(p) => return None,
            _ => {}
        }
    }
    None
}

fn parse_num(v: &str) -> Option<f64> {
    v.trim().parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Facet differences as (kind, text, old, new).
fn facet_changes(a: &Facets, b: &Facets) -> Vec<(Kind, String, Option<String>, Option<String>)> {
    let mut out = Vec::new();
    let set = |s: &BTreeSet<String>| (!s.is_empty()).then(|| quote_list(s.iter()));
    if a.patterns != b.patterns {
        let kind = match (a.patterns.is_empty(), b.patterns.is_empty()) {
            (true, false) => Kind::TightenedFacet,
            (false, true) => Kind::RelaxedFacet,
            _ => Kind::ChangedPattern,
        };
        out.push((
            kind,
            format!(
                "pattern {} → {}",
                set(&a.patterns).unwrap_or_else(|| "(none)".into()),
                set(&b.patterns).unwrap_or_else(|| "(none)".into())
            ),
            set(&a.patterns),
            set(&b.patterns),
        ));
    }
    let num =
        |name: &str, x: Option<u64>, y: Option<u64>, lower_is_tighter: bool, out: &mut Vec<_>| {
            if x == y {
                return;
            }
            let tighter = match (x, y) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(x), Some(y)) => (y < x) == lower_is_tighter,
                (None, None) => return,
            };
            let show = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_else(|| "(none)".into());
            out.push((
                if tighter {
                    Kind::TightenedFacet
                } else {
                    Kind::RelaxedFacet
                },
                format!("{name} {} → {}", show(x), show(y)),
                x.map(|v| v.to_string()),
                y.map(|v| v.to_string()),
            ));
        };
    num("minLength", a.min_length, b.min_length, false, &mut out);
    num("maxLength", a.max_length, b.max_length, true, &mut out);
    num(
        "totalDigits",
        a.total_digits,
        b.total_digits,
        true,
        &mut out,
    );
    num(
        "fractionDigits",
        a.fraction_digits,
        b.fraction_digits,
        true,
        &mut out,
    );
    // Ranges: (value, exclusive).
    let bound = |inc: &Option<String>, exc: &Option<String>| match (inc, exc) {
        (Some(v), _) => Some((v.clone(), false)),
        (None, Some(v)) => Some((v.clone(), true)),
        (None, None) => None,
    };
    for (name, x, y, upper) in [
        (
            "lower bound",
            bound(&a.min_inclusive, &a.min_exclusive),
            bound(&b.min_inclusive, &b.min_exclusive),
            false,
        ),
        (
            "upper bound",
            bound(&a.max_inclusive, &a.max_exclusive),
            bound(&b.max_inclusive, &b.max_exclusive),
            true,
        ),
    ] {
        if x == y {
            continue;
        }
        let show = |v: &Option<(String, bool)>| match v {
            None => "(none)".to_owned(),
            Some((v, false)) => format!("{} {v}", if upper { "≤" } else { "≥" }),
            Some((v, true)) => format!("{} {v}", if upper { "<" } else { ">" }),
        };
        let kind = match (&x, &y) {
            (None, Some(_)) => Kind::TightenedFacet,
            (Some(_), None) => Kind::RelaxedFacet,
            (Some((xv, xe)), Some((yv, ye))) => match (parse_num(xv), parse_num(yv)) {
                (Some(xn), Some(yn)) => {
                    // For a lower bound a higher value is tighter; for an upper bound, lower.
                    let (xn, yn) = if upper { (-xn, -yn) } else { (xn, yn) };
                    if yn > xn || (yn == xn && *ye && !*xe) {
                        Kind::TightenedFacet
                    } else {
                        Kind::RelaxedFacet
                    }
                }
                _ => Kind::ChangedFacet,
            },
            (None, None) => continue,
        };
        out.push((
            kind,
            format!("{name} {} → {}", show(&x), show(&y)),
            x.as_ref().map(|v| v.0.clone()),
            y.as_ref().map(|v| v.0.clone()),
        ));
    }
    if a.white_space != b.white_space {
        let show = |w: &Option<String>| w.clone().unwrap_or_else(|| "preserve".into());
        out.push((
            Kind::ChangedFacet,
            format!(
                "whiteSpace {} → {}",
                show(&a.white_space),
                show(&b.white_space)
            ),
            Some(show(&a.white_space)),
            Some(show(&b.white_space)),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_admit_namespaces() {
        assert!(admits("##any", None, Some("urn:t")));
        assert!(admits("##other", Some("urn:x"), Some("urn:t")));
        assert!(!admits("##other", Some("urn:t"), Some("urn:t")));
        assert!(!admits("##other", None, Some("urn:t")));
        assert!(admits("##targetNamespace ##local", None, Some("urn:t")));
        assert!(admits("urn:x", Some("urn:x"), Some("urn:t")));
    }

    #[test]
    fn facets_compare_numerically() {
        let f = |min: Option<&str>, max: Option<&str>, len: Option<u64>| Facets {
            min_inclusive: min.map(str::to_owned),
            max_inclusive: max.map(str::to_owned),
            max_length: len,
            ..Facets::default()
        };
        let kinds = |a: &Facets, b: &Facets| {
            facet_changes(a, b)
                .into_iter()
                .map(|c| c.0)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            kinds(
                &f(Some("1"), Some("31"), None),
                &f(Some("1"), Some("30"), None)
            ),
            [Kind::TightenedFacet]
        );
        assert_eq!(
            kinds(
                &f(Some("1"), Some("31"), None),
                &f(Some("0"), Some("31"), None)
            ),
            [Kind::RelaxedFacet]
        );
        assert_eq!(
            kinds(&f(Some("10"), None, None), &f(Some("9.5"), None, None)),
            [Kind::RelaxedFacet]
        );
        assert_eq!(
            kinds(&f(None, None, Some(5)), &f(None, None, Some(4))),
            [Kind::TightenedFacet]
        );
        assert_eq!(
            kinds(&f(None, None, Some(5)), &f(None, None, None)),
            [Kind::RelaxedFacet]
        );
        assert_eq!(
            kinds(
                &f(Some("2016-01-01"), None, None),
                &f(Some("2017-01-01"), None, None)
            ),
            [Kind::ChangedFacet]
        );
        let p = |s: &[&str]| Facets {
            patterns: s.iter().map(|s| (*s).to_owned()).collect(),
            ..Facets::default()
        };
        assert_eq!(
            kinds(&p(&["\\d{12}"]), &p(&["\\d{10}"])),
            [Kind::ChangedPattern]
        );
        assert_eq!(kinds(&p(&[]), &p(&["\\d{10}"])), [Kind::TightenedFacet]);
        assert_eq!(kinds(&p(&["\\d{10}"]), &p(&[])), [Kind::RelaxedFacet]);
    }
}
