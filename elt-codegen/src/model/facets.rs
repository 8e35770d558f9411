//! The facets of each simple type (restrictions, unions, enumerations), as the model holds them:
//! read once from the engine's output, with the patterns split into the derivation steps the
//! schemas declare them in (the engine gives the whole chain's patterns as one list). The naming
//! pass decides from them which types get a facet marker, the renderer writes the checks, and
//! `diff` compares them.

use std::collections::BTreeMap;
use std::ops::Bound;

use xsd_parser::models::meta::{Constrains, MetaTypeVariant, WhiteSpace};
use xsd_parser::{MetaTypes, TypeIdent};

use crate::xsd::SourceFacts;

/// The facets a simple type's values are checked against.
#[derive(Debug, Clone)]
pub(crate) struct Facets {
    /// The patterns, one list per derivation step that declares some: a value matches one
    /// pattern of each step (XSD ORs the patterns of one step and ANDs the steps).
    pub pattern_steps: Vec<Vec<String>>,
    /// `minLength` (or `length`), as declared.
    pub min_length: Option<usize>,
    /// `maxLength` (or `length`).
    pub max_length: Option<usize>,
    pub total_digits: Option<usize>,
    pub fraction_digits: Option<usize>,
    /// `minInclusive` / `minExclusive`.
    pub min: Bound<String>,
    /// `maxInclusive` / `maxExclusive`.
    pub max: Bound<String>,
    pub white_space: WhiteSpace,
    /// Whether the type is a list (its length facets count items).
    pub list: bool,
}

impl Facets {
    /// `minLength` where it restricts anything: on a list, `minLength="0"` says nothing (an
    /// empty list is any list).
    pub(crate) fn effective_min_length(&self) -> Option<usize> {
        self.min_length.filter(|n| !(self.list && *n == 0))
    }

    /// Whether any facet restricts the values (white space alone does not; it is applied
    /// wherever the type is read).
    pub(crate) fn restricts(&self) -> bool {
        !self.pattern_steps.is_empty()
            || self.effective_min_length().is_some()
            || self.max_length.is_some()
            || self.total_digits.is_some()
            || self.fraction_digits.is_some()
            || !matches!(self.min, Bound::Unbounded)
            || !matches!(self.max, Bound::Unbounded)
    }

    /// Every pattern, of every step.
    #[cfg_attr(not(feature = "diff"), allow(dead_code))]
    pub(crate) fn patterns(&self) -> impl Iterator<Item = &String> {
        self.pattern_steps.iter().flatten()
    }
}

/// The facets of every restricted simple type, union and enumeration of `types`. `source` holds
/// the pattern steps read from the schema texts.
pub(crate) fn of_all(types: &MetaTypes, source: &SourceFacts) -> BTreeMap<TypeIdent, Facets> {
    types
        .items
        .iter()
        .filter_map(|(i, t)| {
            let (c, list) = match &t.variant {
                MetaTypeVariant::SimpleType(s) => (&s.constrains, s.is_list),
                MetaTypeVariant::Union(u) => (&u.constrains, false),
                MetaTypeVariant::Enumeration(e) => (&e.constrains, false),
                _ => return None,
            };
            Some((i.clone(), of(types, source, i, c, list)))
        })
        .collect()
}

fn of(
    types: &MetaTypes,
    source: &SourceFacts,
    i: &TypeIdent,
    c: &Constrains,
    list: bool,
) -> Facets {
    let pattern_steps = if c.patterns.is_empty() {
        Vec::new()
    } else {
        // The schemas' own steps where they account for the engine's list exactly (see
        // `xsd::patterns`); else the list as one step.
        let key = (
            crate::xsd::namespace_uri(types, i.ns),
            i.name.as_str().to_owned(),
        );
        crate::xsd::patterns::steps_for(&source.pattern_steps, &key, &c.patterns)
            .unwrap_or_else(|| vec![c.patterns.clone()])
    };
    Facets {
        pattern_steps,
        min_length: c.min_length,
        max_length: c.max_length,
        total_digits: c.total_digits,
        fraction_digits: c.fraction_digits,
        min: c.range.start.clone(),
        max: c.range.end.clone(),
        white_space: c.whitespace,
        list,
    }
}
