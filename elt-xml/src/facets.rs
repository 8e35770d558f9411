//! Constraining facets of restricted simple types, checked when a value is built or read.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::ops::Deref;
use std::sync::{Arc, Mutex, OnceLock};

use regex::Regex;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{FacetError, ValueError};
use crate::traits::XmlValue;

/// The `xs:whiteSpace` facet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhiteSpace {
    /// Keep text as written.
    Preserve,
    /// Tabs and line breaks become spaces.
    Replace,
    /// As `Replace`, then runs of spaces become one and leading and trailing spaces go.
    Collapse,
}

impl WhiteSpace {
    /// Applies this normalisation to a lexical value.
    pub fn normalize(self, text: &str) -> std::borrow::Cow<'_, str> {
        match self {
            WhiteSpace::Preserve => text.into(),
            WhiteSpace::Replace => {
                if text.contains(['\t', '\n', '\r']) {
                    text.replace(['\t', '\n', '\r'], " ").into()
                } else {
                    text.into()
                }
            }
            WhiteSpace::Collapse => {
                let collapsed = text.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
                if collapsed == text {
                    text.into()
                } else {
                    collapsed.into()
                }
            }
        }
    }
}

/// Compiled patterns by source text, shared by every facet set: each pattern compiles once.
fn pattern_matches(source: &'static str, text: &str) -> Result<bool, String> {
    type Cache = Mutex<HashMap<&'static str, Arc<Result<Regex, String>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Cache::default);
    let compiled = {
        let mut map = cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        map.entry(source)
            .or_insert_with(|| {
                Arc::new(
                    crate::xsd_regex::translate(source)
                        .and_then(|translated| {
                            Regex::new(&format!("^(?:{translated})$")).map_err(|e| e.to_string())
                        })
                        .map_err(|e| format!("pattern {source:?} is not supported: {e}")),
                )
            })
            .clone()
    };
    match compiled.as_ref() {
        Ok(re) => Ok(re.is_match(text)),
        Err(e) => Err(e.clone()),
    }
}

/// The facets of one restricted simple type. Build with struct update from [`Facets::NONE`].
#[derive(Debug)]
pub struct Facets {
    /// `xs:pattern` facets; a value must match each (XSD ANDs patterns of different derivation
    /// steps; patterns of one step are ORed into one by the generator).
    pub patterns: &'static [&'static str],
    /// `xs:length`
    pub length: Option<usize>,
    /// `xs:minLength`
    pub min_length: Option<usize>,
    /// `xs:maxLength`
    pub max_length: Option<usize>,
    /// `xs:minInclusive`, lexical
    pub min_inclusive: Option<&'static str>,
    /// `xs:maxInclusive`, lexical
    pub max_inclusive: Option<&'static str>,
    /// `xs:minExclusive`, lexical
    pub min_exclusive: Option<&'static str>,
    /// `xs:maxExclusive`, lexical
    pub max_exclusive: Option<&'static str>,
    /// `xs:totalDigits`
    pub total_digits: Option<usize>,
    /// `xs:fractionDigits`
    pub fraction_digits: Option<usize>,
    /// `xs:whiteSpace`
    pub white_space: WhiteSpace,
}

impl Facets {
    /// No facets at all.
    pub const NONE: Facets = Facets {
        patterns: &[],
        length: None,
        min_length: None,
        max_length: None,
        min_inclusive: None,
        max_inclusive: None,
        min_exclusive: None,
        max_exclusive: None,
        total_digits: None,
        fraction_digits: None,
        white_space: WhiteSpace::Preserve,
    };

    /// The first lexical form of `value` (see [`XmlValue::lexical_forms`]) that every pattern
    /// accepts: the form to write. Fails, naming the canonical form, when none does.
    pub fn pattern_form<'v, T: XmlValue>(&self, value: &'v T) -> Result<Cow<'v, str>, String> {
        let forms = value.lexical_forms();
        let mut first_failure = None;
        for form in forms {
            match self.refused_pattern(&form)? {
                None => return Ok(form),
                Some(source) => {
                    first_failure.get_or_insert_with(|| {
                        format!("{form:?} does not match the pattern {source:?}")
                    });
                }
            }
        }
        Err(first_failure.unwrap_or_else(|| "the value has no lexical form".into()))
    }

    /// The first pattern that refuses the lexical form `text`, if any.
    fn refused_pattern(&self, text: &str) -> Result<Option<&'static str>, String> {
        for source in self.patterns {
            if !pattern_matches(source, text)? {
                return Ok(Some(source));
            }
        }
        Ok(None)
    }

    /// Checks the lexical form `text` (whitespace already normalised) against the patterns, as a
    /// validator does: a pattern constrains what is written, not only the value.
    pub fn check_lexical(&self, type_name: &'static str, text: &str) -> Result<(), FacetError> {
        match self.refused_pattern(text) {
            Ok(None) => Ok(()),
            Ok(Some(source)) => Err(FacetError {
                type_name,
                message: format!("{text:?} does not match the pattern {source:?}"),
            }),
            Err(message) => Err(FacetError { type_name, message }),
        }
    }

    /// Checks a value of type `T` against these facets.
    pub fn check<T: XmlValue + PartialOrd>(
        &self,
        type_name: &'static str,
        value: &T,
    ) -> Result<(), FacetError> {
        self.checked_form(type_name, value).map(drop)
    }

    /// Checks a value against these facets, and returns the lexical form to write when it is
    /// not the canonical one (the first form the patterns accept, see [`Facets::pattern_form`]).
    fn checked_form<T: XmlValue + PartialOrd>(
        &self,
        type_name: &'static str,
        value: &T,
    ) -> Result<Option<Box<str>>, FacetError> {
        let form = if self.patterns.is_empty() {
            None
        } else {
            let form = self
                .pattern_form(value)
                .map_err(|message| FacetError { type_name, message })?;
            (form != value.to_xml_text()).then(|| form.into())
        };
        self.check_value(type_name, value)?;
        Ok(form)
    }

    /// Checks a value against every facet but the patterns (which [`Facets::check_lexical`]
    /// checks on the form read).
    fn check_value<T: XmlValue + PartialOrd>(
        &self,
        type_name: &'static str,
        value: &T,
    ) -> Result<(), FacetError> {
        let fail = |message: String| FacetError { type_name, message };
        let lexical = value.to_xml_text();
        let len = value
            .xml_length()
            .unwrap_or_else(|| lexical.chars().count());
        if let Some(n) = self.length
            && len != n
        {
            return Err(fail(format!("{lexical:?} has length {len}, must be {n}")));
        }
        if let Some(n) = self.min_length
            && len < n
        {
            return Err(fail(format!(
                "{lexical:?} has length {len}, must be at least {n}"
            )));
        }
        if let Some(n) = self.max_length
            && len > n
        {
            return Err(fail(format!(
                "{lexical:?} has length {len}, must be at most {n}"
            )));
        }
        type Bound<'b> = (Option<&'b str>, &'b str, fn(Ordering) -> bool);
        let bounds: [Bound<'_>; 4] = [
            (self.min_inclusive, ">=", |o| o != Ordering::Less),
            (self.max_inclusive, "<=", |o| o != Ordering::Greater),
            (self.min_exclusive, ">", |o| o == Ordering::Greater),
            (self.max_exclusive, "<", |o| o == Ordering::Less),
        ];
        for (bound, op, ok) in bounds {
            let Some(bound) = bound else { continue };
            let limit = T::from_xml_text(bound)
                .map_err(|e| fail(format!("bound {bound:?} is not a valid value: {e}")))?;
            match value.partial_cmp(&limit) {
                Some(o) if ok(o) => {}
                _ => {
                    return Err(fail(format!(
                        "{lexical} is out of range: must be {op} {bound}"
                    )));
                }
            }
        }
        if self.total_digits.is_some() || self.fraction_digits.is_some() {
            let digits = lexical.trim_start_matches(['+', '-']);
            let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
            let int = int.trim_start_matches('0');
            let frac = frac.trim_end_matches('0');
            if let Some(n) = self.total_digits
                && int.len() + frac.len() > n
            {
                return Err(fail(format!("{lexical} has more than {n} digits")));
            }
            if let Some(n) = self.fraction_digits
                && frac.len() > n
            {
                return Err(fail(format!("{lexical} has more than {n} fraction digits")));
            }
        }
        Ok(())
    }
}

/// A restricted simple type: names the type and holds its facets. Implemented by an uninhabited
/// marker type the generator emits for each restriction.
pub trait Restriction<T>: 'static {
    /// Name of the XSD simple type.
    const TYPE_NAME: &'static str;
    /// The facets. Patterns are compiled once per process whatever the number of types that
    /// share them (see the pattern cache above).
    const FACETS: Facets;
}

/// A value of type `T` that satisfies the facets of restriction `R`. It can only be built
/// through [`Restricted::new`] (or reading and deserializing, which check the same way).
pub struct Restricted<T, R> {
    value: T,
    /// The lexical form to write when it is not the value's canonical one: the form the value
    /// was read in (`05` for an `xs:int` whose pattern is `\d{2}`), or for a value built in
    /// code the first form the patterns accept (`1` for `true` under `0|1`). Chosen once, when
    /// the value is checked, so writing matches no pattern. Equality and ordering compare the
    /// value only.
    lexical: Option<Box<str>>,
    rule: PhantomData<fn() -> R>,
}

impl<T: XmlValue + PartialOrd, R: Restriction<T>> Restricted<T, R> {
    /// Checks `value` against the facets.
    pub fn new(value: impl Into<T>) -> Result<Self, FacetError> {
        let value = value.into();
        let lexical = R::FACETS.checked_form(R::TYPE_NAME, &value)?;
        Ok(Self {
            value,
            lexical,
            rule: PhantomData,
        })
    }
}

impl<T, R> Restricted<T, R> {
    /// The value.
    pub fn get(&self) -> &T {
        &self.value
    }

    /// The value, taken out.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T, R> Deref for Restricted<T, R> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: Clone, R> Clone for Restricted<T, R> {
    fn clone(&self) -> Self {
        Self {
            value: self.value.clone(),
            lexical: self.lexical.clone(),
            rule: PhantomData,
        }
    }
}

impl<T: PartialEq, R> PartialEq for Restricted<T, R> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Eq, R> Eq for Restricted<T, R> {}

impl<T: PartialOrd, R> PartialOrd for Restricted<T, R> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.value.partial_cmp(&other.value)
    }
}

impl<T: Hash, R> Hash for Restricted<T, R> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<T: fmt::Debug, R> fmt::Debug for Restricted<T, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: fmt::Display, R> fmt::Display for Restricted<T, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: XmlValue + PartialOrd, R: Restriction<T>> XmlValue for Restricted<T, R> {
    fn to_xml_text(&self) -> std::borrow::Cow<'_, str> {
        match &self.lexical {
            Some(lexical) => Cow::Borrowed(lexical),
            None => self.value.to_xml_text(),
        }
    }

    fn xml_length(&self) -> Option<usize> {
        self.value.xml_length()
    }

    fn from_xml_text(text: &str) -> Result<Self, ValueError> {
        let normalized = R::FACETS.white_space.normalize(text);
        let value = T::from_xml_text(&normalized)
            .map_err(|e| ValueError::new(format!("{}: {}", R::TYPE_NAME, e.message)))?;
        if R::FACETS.patterns.is_empty() {
            return Ok(Self::new(value)?);
        }
        R::FACETS.check_lexical(R::TYPE_NAME, &normalized)?;
        R::FACETS.check_value(R::TYPE_NAME, &value)?;
        let lexical = (*normalized != *value.to_xml_text()).then(|| normalized.into());
        Ok(Self {
            value,
            lexical,
            rule: PhantomData,
        })
    }
}

impl<T: XmlValue + PartialOrd, R: Restriction<T>> TryFrom<&str> for Restricted<T, R>
where
    T: for<'a> From<&'a str>,
{
    type Error = FacetError;
    fn try_from(value: &str) -> Result<Self, FacetError> {
        Self::new(T::from(value))
    }
}

impl<T: Serialize, R> Serialize for Restricted<T, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<'de, T, R> Deserialize<'de> for Restricted<T, R>
where
    T: Deserialize<'de> + XmlValue + PartialOrd,
    R: Restriction<T>,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = T::deserialize(deserializer)?;
        Self::new(value).map_err(serde::de::Error::custom)
    }
}
