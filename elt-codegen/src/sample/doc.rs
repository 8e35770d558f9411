//! Sample element trees from the model: required content only (minimal), or every optional
//! element and attribute with one choice branch per variant (full). Recursion is bounded: a
//! type already being generated further up gets its required content only.

use std::collections::BTreeMap;

use super::facts::SchemaFacts;
use super::value::{self, Constraints};
use super::xml::{Attr, El, Value, XSI_NS};
use crate::diff::model::{
    AnyParticle, AttributeDef, ComplexDef, Compositor, Content, Contract, ElementParticle,
    GlobalElement, Group, Particle, QKey, TypeDef, TypeKind, TypeRef, local_of, namespace_of,
};

/// Nesting beyond which only required content is generated.
const FULL_DEPTH: usize = 24;
/// Nesting beyond which a sample is given up (required content that recurses without end).
const MAX_DEPTH: usize = 160;
/// The namespace of the foreign element written for `xs:any`.
pub const FOREIGN_NS: &str = "urn:elt:sample:foreign";

/// Generates the trees of one contract.
pub struct Generator<'a> {
    contract: &'a Contract,
    facts: &'a SchemaFacts,
    /// Substitution group head → its member elements.
    members: BTreeMap<QKey, Vec<QKey>>,
}

/// The state of generating one document.
struct Run {
    full: bool,
    variant: usize,
    /// The widest choice (or set of alternatives) met: how many variants cover every branch.
    width: usize,
    /// Types and elements being generated, outermost first.
    stack: Vec<String>,
    /// A counter that makes free-form text values distinct within a document (`xs:ID`
    /// values must be, and so must the fields of `xs:unique` and `xs:key`).
    serial: usize,
    /// The `xs:ID` values written so far, in document order.
    ids: Vec<String>,
    /// Whether an `xs:IDREF` placeholder was written (pointed at an ID once the tree is built).
    idrefs: bool,
}

/// Stands for an `xs:IDREF` value until the document's IDs are known: a reference must name an
/// ID of the same document, which may come after it.
const IDREF_PLACEHOLDER: &str = "\u{1}idref\u{1}";

/// Replaces every IDREF placeholder in `el` with `id`.
fn point_idrefs(el: &mut El, id: &str) {
    if let Some(text) = &mut el.text
        && text.contains(IDREF_PLACEHOLDER)
    {
        *text = text.replace(IDREF_PLACEHOLDER, id);
    }
    for a in &mut el.attrs {
        if let Value::Text(text) = &mut a.value
            && text.contains(IDREF_PLACEHOLDER)
        {
            *text = text.replace(IDREF_PLACEHOLDER, id);
        }
    }
    for child in &mut el.children {
        point_idrefs(child, id);
    }
}

impl<'a> Generator<'a> {
    /// A generator over `contract`, with the facts the model does not hold.
    pub fn new(contract: &'a Contract, facts: &'a SchemaFacts) -> Self {
        let mut members = BTreeMap::new();
        for (key, e) in &contract.elements {
            if let TypeRef::Inline { def } = &e.type_ref
                && let TypeKind::Abstract { derived } = &def.kind
                && derived.iter().all(|d| contract.elements.contains_key(d))
            {
                members.insert(key.clone(), derived.iter().cloned().collect());
            }
        }
        Generator {
            contract,
            facts,
            members,
        }
    }

    /// Why the global element `key` has no sample of its own, if it has none: it is abstract
    /// (its substitution group members have theirs).
    pub fn skip_reason(&self, key: &QKey) -> Option<String> {
        if self.facts.abstract_elements.contains(key) {
            return Some("abstract element: its substitution group members are sampled".into());
        }
        None
    }

    /// The tree of the global element `key`; with `full`, `variant` picks the choice branches.
    /// Returns the tree and the number of variants that together cover every branch met.
    pub fn element(&self, key: &QKey, full: bool, variant: usize) -> Result<(El, usize), String> {
        let g = self
            .contract
            .elements
            .get(key)
            .ok_or_else(|| format!("no global element {key}"))?;
        let mut run = Run {
            full,
            variant,
            width: 1,
            stack: Vec::new(),
            serial: 0,
            ids: Vec::new(),
            idrefs: false,
        };
        let mut el = self.global(&mut run, key, g, full)?;
        if run.idrefs {
            let id = run.ids.first().ok_or_else(|| {
                "an xs:IDREF must name an xs:ID of the same document, and this one has none"
                    .to_owned()
            })?;
            point_idrefs(&mut el, id);
        }
        Ok((el, run.width))
    }

    fn global(
        &self,
        run: &mut Run,
        key: &QKey,
        g: &GlobalElement,
        full: bool,
    ) -> Result<El, String> {
        run.stack.push(format!("element {key}"));
        let r = self.typed(
            run,
            g.namespace.clone(),
            &g.name,
            &g.type_ref,
            full,
            g.namespace.as_deref(),
            g.fixed.as_deref(),
        );
        run.stack.pop();
        r
    }

    /// The element `name` of type `t`, with the value `fixed` where it declares one; `tns` is
    /// the namespace of the declaring schema.
    #[allow(clippy::too_many_arguments)]
    fn typed(
        &self,
        run: &mut Run,
        ns: Option<String>,
        name: &str,
        t: &TypeRef,
        full: bool,
        tns: Option<&str>,
        fixed: Option<&str>,
    ) -> Result<El, String> {
        if run.stack.len() > MAX_DEPTH {
            return Err(format!(
                "required content nests deeper than {MAX_DEPTH} levels ({})",
                run.stack.last().map(String::as_str).unwrap_or("")
            ));
        }
        let mut el = El::new(ns, name);
        match t {
            TypeRef::Builtin { .. } => {
                if !matches!(t, TypeRef::Builtin { name } if name == "xs:anyType") {
                    el.text = Some(self.simple_value(run, t, fixed)?);
                }
            }
            TypeRef::Named { key } => {
                let def = self
                    .contract
                    .types
                    .get(key)
                    .ok_or_else(|| format!("type {key} is not declared"))?;
                let concrete = self.concrete(run, key, def)?;
                let (ckey, cdef) = match &concrete {
                    Some(k) => {
                        el.attrs.push(Attr {
                            ns: Some(XSI_NS.into()),
                            name: "type".into(),
                            value: Value::QName(
                                namespace_of(k).map(str::to_owned),
                                local_of(k).to_owned(),
                            ),
                        });
                        (k.clone(), &self.contract.types[k])
                    }
                    None => (key.clone(), def),
                };
                let ckey_text = ckey.to_string();
                let recursing = run.stack.contains(&ckey_text);
                run.stack.push(ckey_text);
                let r = self.content(
                    run,
                    &mut el,
                    cdef,
                    t,
                    full && !recursing && run.stack.len() < FULL_DEPTH,
                    cdef.namespace.as_deref().or(tns),
                    fixed,
                );
                run.stack.pop();
                r?;
            }
            TypeRef::Inline { def } => {
                self.content(
                    run,
                    &mut el,
                    def,
                    t,
                    full && run.stack.len() < FULL_DEPTH,
                    def.namespace.as_deref().or(tns),
                    fixed,
                )?;
            }
            TypeRef::Element { key } => {
                let g = self
                    .contract
                    .elements
                    .get(key)
                    .ok_or_else(|| format!("element {key} is not declared"))?;
                return self.typed(run, el.ns, name, &g.type_ref, full, tns, fixed);
            }
            TypeRef::Unresolved { name } => return Err(format!("type {name} is not resolved")),
        }
        Ok(el)
    }

    /// For an abstract type, the derived type to name in `xsi:type` (the variant picks one).
    fn concrete(&self, run: &mut Run, key: &QKey, def: &TypeDef) -> Result<Option<QKey>, String> {
        let listed: Vec<QKey> = match &def.kind {
            TypeKind::Abstract { derived } => derived.iter().cloned().collect(),
            TypeKind::Complex(c) if self.facts.abstract_types.contains(key) => {
                c.derived.iter().cloned().collect()
            }
            _ => return Ok(None),
        };
        let options: Vec<QKey> = listed
            .into_iter()
            .filter(|k| {
                !self.facts.abstract_types.contains(k)
                    && matches!(
                        self.contract.types.get(k).map(|t| &t.kind),
                        Some(TypeKind::Complex(_) | TypeKind::Simple(_))
                    )
            })
            .collect();
        if options.is_empty() {
            return Err(format!(
                "abstract type {key} has no concrete derived type to sample"
            ));
        }
        run.width = run.width.max(options.len());
        Ok(Some(options[run.variant % options.len()].clone()))
    }

    /// A value of the simple type `t`, a fixed value where one fits.
    fn simple_value(
        &self,
        run: &mut Run,
        t: &TypeRef,
        fixed: Option<&str>,
    ) -> Result<String, String> {
        let c = constraints(self.contract, t)?;
        if let Some(f) = fixed.filter(|v| value::check(&c, v).is_ok()) {
            return Ok(f.to_owned());
        }
        let builtin = c.builtin.rsplit(':').next().unwrap_or("");
        let unconstrained =
            c.enumeration.is_none() && c.steps.iter().all(|f| f.patterns.is_empty());
        match builtin {
            "ENTITY" | "ENTITIES" => {
                return Err(format!(
                    "xs:{builtin} values name unparsed entities a DTD declares, and a sample has no DTD"
                ));
            }
            "IDREF" | "IDREFS" if unconstrained => {
                run.idrefs = true;
                return Ok(IDREF_PLACEHOLDER.to_owned());
            }
            _ => {}
        }
        let v = value::value(&c, if run.full { run.variant } else { 0 })?;
        // Free-form text gets a serial number: IDs must differ, and so may keys.
        let free = unconstrained
            && matches!(
                builtin,
                "string"
                    | "normalizedString"
                    | "token"
                    | "ID"
                    | "NCName"
                    | "Name"
                    | "NMTOKEN"
                    | "anyURI"
            );
        let v = if free {
            run.serial += 1;
            let numbered = format!("{v}{}", run.serial);
            if value::check(&c, &numbered).is_ok() {
                numbered
            } else {
                v
            }
        } else {
            v
        };
        if builtin == "ID" {
            run.ids.push(v.clone());
        }
        Ok(v)
    }

    #[allow(clippy::too_many_arguments)]
    fn content(
        &self,
        run: &mut Run,
        el: &mut El,
        def: &TypeDef,
        t: &TypeRef,
        full: bool,
        tns: Option<&str>,
        fixed: Option<&str>,
    ) -> Result<(), String> {
        match &def.kind {
            TypeKind::Complex(c) => self.complex(run, el, c, full, tns, fixed),
            TypeKind::Simple(_) | TypeKind::Union { .. } => {
                el.text = Some(self.simple_value(run, t, fixed)?);
                Ok(())
            }
            TypeKind::Abstract { .. } => Err(format!("abstract type {} used directly", def.name)),
        }
    }

    fn complex(
        &self,
        run: &mut Run,
        el: &mut El,
        c: &ComplexDef,
        full: bool,
        tns: Option<&str>,
        fixed: Option<&str>,
    ) -> Result<(), String> {
        for a in c.attributes.values() {
            if a.use_ == "prohibited" || (a.use_ != "required" && !full) {
                continue;
            }
            el.attrs.push(Attr {
                ns: a.namespace.clone(),
                name: a.name.clone(),
                value: Value::Text(
                    self.attribute_value(run, a)
                        .map_err(|e| format!("attribute {}: {e}", a.name))?,
                ),
            });
        }
        match &c.content {
            Content::Empty => Ok(()),
            Content::Simple { type_ref, .. } => {
                el.text = Some(self.simple_value(run, type_ref, fixed)?);
                Ok(())
            }
            Content::Particles(g) => self.group(run, &mut el.children, g, full, tns, 0),
        }
    }

    fn attribute_value(&self, run: &mut Run, a: &AttributeDef) -> Result<String, String> {
        let t = match &a.type_ref {
            TypeRef::Builtin { name } if name.starts_with("xml:") => {
                return Ok(match a.name.as_str() {
                    "lang" => "sv",
                    "space" => "preserve",
                    "base" => "urn:example:base",
                    _ => "a1",
                }
                .to_owned());
            }
            t => t,
        };
        self.simple_value(run, t, a.fixed.as_deref())
    }

    fn group(
        &self,
        run: &mut Run,
        out: &mut Vec<El>,
        g: &Group,
        full: bool,
        tns: Option<&str>,
        nest: usize,
    ) -> Result<(), String> {
        if nest > 64 {
            return Err("model groups nest deeper than 64 levels".into());
        }
        let times = occurrences(g.min, g.max, full, run.stack.len());
        for _ in 0..times {
            match g.compositor {
                Compositor::Sequence | Compositor::All => {
                    for p in &g.particles {
                        self.particle(run, out, p, full, tns, nest)?;
                    }
                }
                Compositor::Choice => {
                    if g.particles.is_empty() {
                        continue;
                    }
                    let first = if full {
                        run.width = run.width.max(g.particles.len());
                        run.variant % g.particles.len()
                    } else {
                        self.cheapest_branch(run, &g.particles)
                    };
                    // The chosen branch, else the next that can be sampled (a branch whose
                    // abstract type has no concrete derived type cannot).
                    let n = g.particles.len();
                    let mut last_err = String::new();
                    let mut done = false;
                    for k in 0..n {
                        let i = (first + k) % n;
                        let mut branch = Vec::new();
                        let depth = run.stack.len();
                        // A branch that may occur zero times still has to occur once: the
                        // choice itself is required here.
                        match self.particle_at_least_once(
                            run,
                            &mut branch,
                            &g.particles[i],
                            full,
                            tns,
                            nest,
                        ) {
                            Ok(()) => {
                                out.extend(branch);
                                done = true;
                                break;
                            }
                            Err(e) => {
                                run.stack.truncate(depth);
                                if last_err.is_empty() {
                                    last_err = e;
                                }
                            }
                        }
                    }
                    if !done {
                        return Err(last_err);
                    }
                }
            }
        }
        Ok(())
    }

    /// The branch of a choice that is cheapest to fill: one that may be empty, else one whose
    /// type is not being generated further up (which would recurse), else the first.
    fn cheapest_branch(&self, run: &Run, ps: &[Particle]) -> usize {
        let empty = ps.iter().position(|p| match p {
            Particle::Element(e) => e.min == 0,
            Particle::Group(g) => g.min == 0,
            Particle::Any(a) => a.min == 0,
        });
        empty
            .or_else(|| {
                ps.iter().position(|p| match p {
                    Particle::Element(e) => match &e.type_ref {
                        TypeRef::Named { key } => !run.stack.contains(&key.to_string()),
                        TypeRef::Element { key } => !run.stack.contains(&format!("element {key}")),
                        _ => true,
                    },
                    _ => true,
                })
            })
            .unwrap_or(0)
    }

    fn particle_at_least_once(
        &self,
        run: &mut Run,
        out: &mut Vec<El>,
        p: &Particle,
        full: bool,
        tns: Option<&str>,
        nest: usize,
    ) -> Result<(), String> {
        let mut p = p.clone();
        match &mut p {
            Particle::Element(e) => e.min = e.min.max(1),
            Particle::Group(g) => g.min = g.min.max(1),
            Particle::Any(a) => a.min = a.min.max(1),
        }
        self.particle(run, out, &p, full, tns, nest)
    }

    fn particle(
        &self,
        run: &mut Run,
        out: &mut Vec<El>,
        p: &Particle,
        full: bool,
        tns: Option<&str>,
        nest: usize,
    ) -> Result<(), String> {
        match p {
            Particle::Group(g) => self.group(run, out, g, full, tns, nest + 1),
            Particle::Element(e) => {
                let times = occurrences(e.min, e.max, full, run.stack.len());
                for _ in 0..times {
                    out.push(self.local_element(run, e, full, tns)?);
                }
                Ok(())
            }
            Particle::Any(a) => {
                let times = if full { a.min.max(1) } else { a.min };
                for _ in 0..times {
                    out.push(self.any(run, a, tns)?);
                }
                Ok(())
            }
        }
    }

    fn local_element(
        &self,
        run: &mut Run,
        e: &ElementParticle,
        full: bool,
        tns: Option<&str>,
    ) -> Result<El, String> {
        if let TypeRef::Element { key } = &e.type_ref {
            // A reference: the global element, or a member of its substitution group.
            let mut key = key.clone();
            if let Some(members) = self.members.get(&key) {
                let options: Vec<&QKey> = members
                    .iter()
                    .filter(|m| !self.facts.abstract_elements.contains(*m))
                    .collect();
                if options.is_empty() {
                    return Err(format!("substitution group {key} has no concrete member"));
                }
                if full {
                    run.width = run.width.max(options.len());
                }
                key = options[if full { run.variant % options.len() } else { 0 }].clone();
            } else if self.facts.abstract_elements.contains(&key) {
                return Err(format!(
                    "abstract element {key} has no substitution group member"
                ));
            }
            let g = &self.contract.elements[&key];
            let recursing = run.stack.iter().any(|s| *s == format!("element {key}"));
            return self.global(run, &key, g, full && !recursing);
        }
        self.typed(
            run,
            e.namespace.clone(),
            &e.name,
            &e.type_ref,
            full,
            tns,
            e.fixed.as_deref(),
        )
    }

    /// A foreign element for `xs:any`: for `strict` wildcards a global element of the contract
    /// in an allowed namespace (a validator needs its declaration), else an element of a
    /// namespace no schema declares, or of one the wildcard lists.
    fn any(&self, run: &mut Run, a: &AnyParticle, tns: Option<&str>) -> Result<El, String> {
        let tokens: Vec<&str> = a.namespace.split_whitespace().collect();
        let allowed = |ns: Option<&str>| -> bool {
            tokens.iter().any(|t| match *t {
                "##any" => true,
                "##other" => ns.is_some() && ns != tns,
                "##local" => ns.is_none(),
                "##targetNamespace" => ns == tns,
                uri => ns == Some(uri),
            })
        };
        if a.process_contents == "strict" {
            let key = self
                .contract
                .elements
                .iter()
                .find(|(k, g)| {
                    allowed(g.namespace.as_deref())
                        && self.skip_reason(k).is_none()
                        && !run.stack.iter().any(|s| *s == format!("element {k}"))
                })
                .map(|(k, _)| k.clone())
                .ok_or_else(|| {
                    format!("strict wildcard {} matches no global element", a.namespace)
                })?;
            let g = &self.contract.elements[&key];
            return self.global(run, &key, g, false);
        }
        let ns = if allowed(Some(FOREIGN_NS)) {
            Some(FOREIGN_NS.to_owned())
        } else if let Some(uri) = tokens.iter().find(|t| !t.starts_with("##")) {
            Some((*uri).to_owned())
        } else if allowed(None) {
            None
        } else {
            tns.map(str::to_owned)
        };
        let mut el = El::new(ns, "sample");
        el.text = Some("text".into());
        Ok(el)
    }
}

fn constraints(contract: &Contract, t: &TypeRef) -> Result<Constraints, String> {
    Constraints::of(contract, t)
}

/// How many times a particle occurs: `min` (at least once with `full`), twice for a repeated
/// particle near the root in a full sample so that lists show more than one item.
fn occurrences(min: u64, max: Option<u64>, full: bool, depth: usize) -> u64 {
    if !full {
        return min;
    }
    let want = if max.is_none_or(|m| m > 1) && depth < 4 {
        2
    } else {
        1
    };
    let n = min.max(want);
    max.map_or(n, |m| n.min(m))
}
