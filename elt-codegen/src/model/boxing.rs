//! Which fields and variants hold their value in a `Box`: those that close a cycle of types
//! (a struct cannot hold itself by value), and those whose value is large by an estimate of
//! its size, so that reading and writing keep a bounded amount on the stack per level of
//! nesting however wide and deep the schema's types are. Decided once for the whole contract;
//! the renderer reads it.

use std::collections::{BTreeMap, BTreeSet};

use xsd_parser::TypeIdent;

use super::Structure;
use super::naming::{Naming, Occurs, occurs};
use super::particles::{Compositor, Term};
use super::types::{ContentShape, Kind};

/// Values whose estimated size (see `Boxing::estimate`) is above this many bytes are boxed
/// where a struct, group or enum holds them by value (not in a `Vec`).
const BOX_ABOVE: usize = 512;

/// The (holder, held) pairs whose field or variant holds its value in a `Box`: the holder is a
/// complex type, model group or substitution group, the held the type the value resolves to.
pub(crate) fn boxed(structure: &Structure, naming: &Naming) -> BTreeSet<(TypeIdent, TypeIdent)> {
    let mut b = Boxing {
        structure,
        naming,
        boxed: BTreeSet::new(),
    };
    b.find_boxed();
    b.boxed
}

struct Boxing<'m> {
    structure: &'m Structure,
    naming: &'m Naming,
    boxed: BTreeSet<(TypeIdent, TypeIdent)>,
}

impl<'m> Boxing<'m> {
    /// The concrete members of the substitution group of head `h`.
    fn members(&self, h: &TypeIdent) -> &'m [super::derivation::Substitute] {
        self.structure.substitutes.get(h).map_or(&[], Vec::as_slice)
    }

    /// The type an element or group ident resolves to, as the renderer names it.
    fn resolve(&self, ident: &'m TypeIdent) -> &'m TypeIdent {
        self.naming.resolve(self.structure, ident)
    }

    /// Marks by-value fields that close a cycle of types, so they are boxed: edges go from
    /// every struct or enum to what it holds by value (not through `Vec`).
    fn find_boxed(&mut self) {
        let mut edges: BTreeMap<TypeIdent, BTreeSet<TypeIdent>> = BTreeMap::new();
        // Every item that can hold another by value: complex types, model groups (named
        // lazily, so taken from the types rather than from the names), substitution groups.
        for (i, t) in &self.structure.types {
            if self.naming.is_builtin(i)
                || !matches!(
                    t.kind,
                    Kind::Complex(_) | Kind::Group(_) | Kind::Substitution(_)
                )
            {
                continue;
            }
            let mut out = BTreeSet::new();
            self.collect_value_edges(i, &mut out);
            edges.insert(i.clone(), out);
        }
        // Every cycle passes through a complex type (model groups never contain themselves), so
        // boxing the edges into the non-group items of a cycle breaks them all, and keeps the
        // boxes where people expect them: on the elements, not on the fields holding groups.
        let sccs = tarjan(&edges);
        for (from, tos) in &edges {
            for to in tos {
                let into_group = self.structure.kind(to).is_some_and(Kind::is_group);
                if !into_group && sccs.contains_key(from) && sccs.get(from) == sccs.get(to) {
                    self.boxed.insert((from.clone(), to.clone()));
                }
            }
        }
        // Large values are boxed too, by an estimate of their size: a struct then holds at most
        // `BOX_ABOVE` bytes per field, so what reading and writing keep on the stack per level
        // of nesting stays bounded however wide and deep the schema's types are.
        let mut sizes = BTreeMap::new();
        let mut large = BTreeSet::new();
        for tos in edges.values() {
            for to in tos {
                if self.estimate(to, &mut sizes, 0) > BOX_ABOVE {
                    large.insert(to.clone());
                }
            }
        }
        for (from, tos) in &edges {
            for to in tos {
                let into_group = self.structure.kind(to).is_some_and(Kind::is_group);
                if !into_group && large.contains(to) {
                    self.boxed.insert((from.clone(), to.clone()));
                }
            }
        }
    }

    /// An estimate of the size in bytes of the Rust value of type `i` (fields held by value
    /// summed, an enum's largest variant, 24 for a `Vec` or `String`, a pointer for a box).
    /// Types met again while being estimated (cycles, boxed) count as a pointer.
    fn estimate(
        &self,
        i: &TypeIdent,
        memo: &mut BTreeMap<TypeIdent, usize>,
        depth: usize,
    ) -> usize {
        const WORD: usize = 8;
        if let Some(s) = memo.get(i) {
            return *s;
        }
        if depth > 64 {
            return WORD;
        }
        memo.insert(i.clone(), WORD);
        let particles = |g: &TypeIdent, memo: &mut BTreeMap<TypeIdent, usize>| -> Vec<usize> {
            self.structure
                .particles(g)
                .iter()
                .map(|p| match &p.term {
                    Term::Any(_) => 64,
                    Term::Text => 24,
                    Term::Element { type_, .. } | Term::Group(type_) => {
                        let t = self.resolve(type_);
                        match occurs(p.min, &p.max) {
                            Occurs::Many => 24,
                            Occurs::One if self.boxed.contains(&(i.clone(), t.clone())) => WORD,
                            Occurs::Optional if self.boxed.contains(&(i.clone(), t.clone())) => {
                                WORD
                            }
                            Occurs::One => self.estimate(t, memo, depth + 1),
                            Occurs::Optional => self.estimate(t, memo, depth + 1) + WORD,
                        }
                    }
                })
                .collect()
        };
        let size = match self.structure.kind(i) {
            Some(Kind::Complex(c)) if c.dynamic => {
                let derived = self.structure.derived.get(i).cloned().unwrap_or_default();
                WORD + derived
                    .iter()
                    .map(|d| {
                        if self.boxed.contains(&(i.clone(), d.clone())) {
                            WORD
                        } else {
                            self.estimate(d, memo, depth + 1)
                        }
                    })
                    .max()
                    .unwrap_or(0)
            }
            Some(Kind::Complex(c)) => {
                let attributes = 32
                    * self
                        .structure
                        .attributes
                        .get(i)
                        .map_or(0, |a| a.declared.len() + a.wildcards.len());
                let content = match &c.content.shape {
                    ContentShape::Empty => 0,
                    ContentShape::Sequence(g) | ContentShape::All(g) => {
                        particles(g, memo).into_iter().sum()
                    }
                    ContentShape::Group(ci) => match occurs(c.content_min, &c.content_max) {
                        Occurs::Many => 24,
                        _ => self.estimate(ci, memo, depth + 1) + WORD,
                    },
                    ContentShape::Simple(_) => 32,
                };
                attributes + content
            }
            Some(Kind::Group(Compositor::Sequence | Compositor::All)) => {
                particles(i, memo).into_iter().sum()
            }
            Some(Kind::Group(Compositor::Choice)) => {
                WORD + particles(i, memo).into_iter().max().unwrap_or(0)
            }
            Some(Kind::Substitution(_)) => {
                WORD + self
                    .members(i)
                    .iter()
                    .map(|m| {
                        let t = self.resolve(&m.value);
                        if self.boxed.contains(&(i.clone(), t.clone())) {
                            WORD
                        } else {
                            self.estimate(t, memo, depth + 1)
                        }
                    })
                    .max()
                    .unwrap_or(0)
            }
            Some(Kind::Reference { target, .. }) => self.estimate(target, memo, depth + 1),
            _ => 32,
        };
        memo.insert(i.clone(), size);
        size
    }

    fn collect_value_edges(&self, i: &TypeIdent, out: &mut BTreeSet<TypeIdent>) {
        let Some(kind) = self.structure.kind(i) else {
            return;
        };
        let particles = |g: &TypeIdent, out: &mut BTreeSet<TypeIdent>| {
            for p in self.structure.particles(g) {
                if let Term::Element { type_, .. } | Term::Group(type_) = &p.term
                    && occurs(p.min, &p.max) != Occurs::Many
                {
                    out.insert(self.resolve(type_).clone());
                }
            }
        };
        match kind {
            Kind::Complex(c) if c.dynamic => {
                for d in self.structure.derived.get(i).into_iter().flatten() {
                    out.insert(d.clone());
                }
            }
            Kind::Complex(c) => match &c.content.shape {
                ContentShape::Sequence(g) | ContentShape::All(g) => particles(g, out),
                ContentShape::Group(ci)
                    if occurs(c.content_min, &c.content_max) != Occurs::Many =>
                {
                    out.insert(ci.clone());
                }
                _ => {}
            },
            Kind::Group(_) => particles(i, out),
            Kind::Substitution(_) => {
                for m in self
                    .structure
                    .substitutes
                    .get(i)
                    .map_or(&[][..], Vec::as_slice)
                {
                    out.insert(self.resolve(&m.value).clone());
                }
            }
            _ => {}
        }
    }
}

/// Strongly connected components: a component id per node.
fn tarjan(edges: &BTreeMap<TypeIdent, BTreeSet<TypeIdent>>) -> BTreeMap<TypeIdent, usize> {
    struct State<'e> {
        edges: &'e BTreeMap<TypeIdent, BTreeSet<TypeIdent>>,
        index: BTreeMap<&'e TypeIdent, usize>,
        low: BTreeMap<&'e TypeIdent, usize>,
        on_stack: BTreeSet<&'e TypeIdent>,
        stack: Vec<&'e TypeIdent>,
        next: usize,
        comp: BTreeMap<TypeIdent, usize>,
        ncomp: usize,
    }
    fn visit<'e>(s: &mut State<'e>, v: &'e TypeIdent) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(tos) = s.edges.get(v) {
            for w in tos {
                let Some((w, _)) = s.edges.get_key_value(w) else {
                    continue;
                };
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let lw = s.low[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(lw));
                } else if s.on_stack.contains(w) {
                    let iw = s.index[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(iw));
                }
            }
        }
        if s.low[v] == s.index[v] {
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                s.comp.insert(w.clone(), s.ncomp);
                if w == v {
                    break;
                }
            }
            s.ncomp += 1;
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        on_stack: BTreeSet::new(),
        stack: Vec::new(),
        next: 0,
        comp: BTreeMap::new(),
        ncomp: 0,
    };
    for v in edges.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    // A node alone in its component is only a cycle when it points at itself.
    let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
    for c in s.comp.values() {
        *sizes.entry(*c).or_default() += 1;
    }
    let mut out = BTreeMap::new();
    for (v, c) in s.comp {
        let self_loop = edges.get(&v).is_some_and(|t| t.contains(&v));
        if sizes[&c] > 1 || self_loop {
            out.insert(v, c);
        }
    }
    out
}
