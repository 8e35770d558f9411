//! Values of simple types: a value for each built-in type that satisfies the facets of a
//! restriction chain, and the check that a value does (used on every generated value, so a
//! value the generator cannot make valid is reported instead of written).

use std::collections::BTreeMap;

use super::pattern::Pattern;
use crate::diff::model::{Contract, Facets, TypeKind, TypeRef};

/// How deep a chain of named simple types (and unions) may go before it is taken as a cycle.
const MAX_CHAIN: usize = 64;

/// Everything a value of one simple type must satisfy: the built-in at the root of its chain
/// and the facets of every restriction step.
#[derive(Debug, Clone, Default)]
pub struct Constraints {
    /// The built-in (`xs:int`, ...) the chain ends in.
    pub builtin: String,
    /// The facets of each step, the most derived first.
    pub steps: Vec<Facets>,
    /// The enumeration of the most derived step that has one.
    pub enumeration: Option<Vec<String>>,
    /// `xs:list` of the item type given here.
    pub list_item: Option<Box<Constraints>>,
    /// `xs:union` of these members.
    pub union: Vec<Constraints>,
}

impl Constraints {
    /// The constraints of a type as the model refers to it; `Err` says what cannot be followed.
    pub fn of(contract: &Contract, r: &TypeRef) -> Result<Constraints, String> {
        let mut c = Constraints::default();
        collect(contract, r, &mut c, 0)?;
        if c.builtin.is_empty() {
            c.builtin = "xs:string".into();
        }
        Ok(c)
    }
}

fn collect(
    contract: &Contract,
    r: &TypeRef,
    c: &mut Constraints,
    depth: usize,
) -> Result<(), String> {
    if depth > MAX_CHAIN {
        return Err("a simple type chain longer than 64 steps".into());
    }
    let def = match r {
        TypeRef::Builtin { name } => {
            c.builtin = name.clone();
            return Ok(());
        }
        TypeRef::Named { key } => contract
            .types
            .get(key)
            .ok_or_else(|| format!("type {key} is not declared"))?,
        TypeRef::Inline { def } => def,
        TypeRef::Element { key } => {
            let e = contract
                .elements
                .get(key)
                .ok_or_else(|| format!("element {key} is not declared"))?;
            return collect(contract, &e.type_ref, c, depth + 1);
        }
        TypeRef::Unresolved { name } => return Err(format!("type {name} is not resolved")),
    };
    match &def.kind {
        TypeKind::Simple(s) => {
            if s.list {
                // The facets of a list type count items; the base is the item type.
                let mut item = Constraints::default();
                collect(contract, &s.base, &mut item, depth + 1)?;
                if item.builtin.is_empty() {
                    item.builtin = "xs:string".into();
                }
                c.builtin = "list".into();
                c.list_item = Some(Box::new(item));
                c.steps.push(s.facets.clone());
                return Ok(());
            }
            c.steps.push(s.facets.clone());
            if c.enumeration.is_none()
                && let Some(e) = &s.enumeration
            {
                c.enumeration = Some(e.keys().cloned().collect());
            }
            collect(contract, &s.base, c, depth + 1)
        }
        TypeKind::Union { members } => {
            for m in members {
                let mut mc = Constraints::default();
                collect(contract, m, &mut mc, depth + 1)?;
                if mc.builtin.is_empty() {
                    mc.builtin = "xs:string".into();
                }
                c.union.push(mc);
            }
            c.builtin = "union".into();
            Ok(())
        }
        TypeKind::Complex(_) | TypeKind::Abstract { .. } => {
            Err(format!("type {} is not a simple type", def.name))
        }
    }
}

/// Makes a value satisfying `c`; `variant` picks among valid values (enumeration members,
/// pattern branches) so that a set of samples shows more than one.
pub fn value(c: &Constraints, variant: usize) -> Result<String, String> {
    if let Some(values) = &c.enumeration {
        let ok: Vec<&String> = values.iter().filter(|v| check(c, v).is_ok()).collect();
        return ok
            .get(variant % ok.len().max(1))
            .map(|v| (*v).clone())
            .ok_or_else(|| "no enumeration value satisfies the other facets".to_owned());
    }
    if c.builtin == "union" {
        let mut last = "an empty union".to_owned();
        for m in &c.union {
            match value(m, variant) {
                Ok(v) if check(c, &v).is_ok() => return Ok(v),
                Ok(v) => last = format!("{v:?} fails the union's own facets"),
                Err(e) => last = e,
            }
        }
        return Err(last);
    }
    if let Some(item) = &c.list_item {
        let v = value(item, variant)?;
        let n = c
            .steps
            .iter()
            .filter_map(|f| f.min_length)
            .max()
            .unwrap_or(1)
            .max(1);
        let s = vec![v; usize::try_from(n).unwrap_or(1)].join(" ");
        check(c, &s)?;
        return Ok(s);
    }
    let mut tried = Vec::new();
    let mut cands = candidates(c, variant)?;
    // The model holds a derivation chain's patterns as one list of alternatives, where XSD
    // wants one pattern of each step: a candidate matching more of them is tried first.
    let patterns: Vec<Pattern> = c
        .steps
        .iter()
        .flat_map(|f| &f.patterns)
        .map(|p| Pattern::new(p))
        .collect::<Result<_, _>>()?;
    // A value the generated code writes back differently (`+01` read as the integer 1) cannot
    // round-trip, so canonical forms go first; the sort is stable, so the natural order holds
    // among equals.
    let builtin = local(&c.builtin);
    cands.sort_by_cached_key(|v| {
        (
            !is_canonical(builtin, v),
            std::cmp::Reverse(patterns.iter().filter(|p| p.matches(v)).count()),
        )
    });
    for cand in cands {
        match check(c, &cand) {
            Ok(()) => return Ok(cand),
            Err(e) => tried.push(e),
        }
    }
    Err(format!(
        "no {} value satisfies the facets ({})",
        c.builtin,
        tried.first().map(String::as_str).unwrap_or("no candidate")
    ))
}

/// Candidate values, most natural first: from the patterns, the range bounds, then the
/// built-in's defaults adjusted to the length facets.
fn candidates(c: &Constraints, variant: usize) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let min_len = c
        .steps
        .iter()
        .filter_map(|f| f.min_length)
        .max()
        .unwrap_or(0);
    let max_len = c.steps.iter().filter_map(|f| f.max_length).min();
    for f in &c.steps {
        for p in &f.patterns {
            let pat = Pattern::new(p)?;
            for v in [variant, 0, 1, 2, 3, 4, 5, 6, 7, 8] {
                out.push(pat.generate(v, 0));
            }
            out.push(pat.generate(variant, u32::try_from(min_len).unwrap_or(0)));
        }
    }
    let b = local(&c.builtin);
    // Dates and times: the other lexical forms, and each pattern string with the digits of a
    // real date laid over it (a pattern writes `\d{4}-\d\d` where 0000-00 is no date).
    let forms = temporal_forms(b);
    let from_patterns = out.len();
    for i in 0..from_patterns {
        for f in &forms {
            let overlaid: String = out[i]
                .chars()
                .zip(f.chars().chain(std::iter::repeat(' ')))
                .map(|(p, d)| {
                    if p.is_ascii_digit() && d.is_ascii_digit() {
                        d
                    } else {
                        p
                    }
                })
                .collect();
            out.push(overlaid);
        }
    }
    out.extend(forms);
    if numeric(b).is_some() {
        out.extend(numeric_candidates(c, b));
    }
    for f in &c.steps {
        out.extend(
            [&f.min_inclusive, &f.max_inclusive]
                .into_iter()
                .flatten()
                .cloned(),
        );
    }
    let base = builtin_default(b);
    out.push(base.clone());
    if matches!(b, "base64Binary" | "hexBinary") {
        for n in [min_len, max_len.unwrap_or(min_len)] {
            let bytes = vec![0x41u8; usize::try_from(n).unwrap_or(0)];
            out.push(if b == "hexBinary" {
                bytes.iter().map(|x| format!("{x:02X}")).collect()
            } else {
                base64(&bytes)
            });
        }
    } else if is_stringish(b) {
        let fill = if b == "anyURI" { 'a' } else { 'x' };
        let mut s = base.clone();
        while (s.chars().count() as u64) < min_len {
            s.push(fill);
        }
        if let Some(max) = max_len {
            s = s
                .chars()
                .take(usize::try_from(max).unwrap_or(usize::MAX))
                .collect();
        }
        out.push(s);
    }
    Ok(out)
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

fn is_stringish(b: &str) -> bool {
    matches!(
        b,
        "string"
            | "normalizedString"
            | "token"
            | "anySimpleType"
            | "anyType"
            | "Name"
            | "NCName"
            | "ID"
            | "IDREF"
            | "IDREFS"
            | "ENTITY"
            | "ENTITIES"
            | "NMTOKEN"
            | "NMTOKENS"
            | "anyURI"
            | "language"
    )
}

/// The lexical forms of a date or time type: plain, with fractional seconds, with a time zone.
fn temporal_forms(b: &str) -> Vec<String> {
    let forms: &[&str] = match b {
        "dateTime" => &[
            "2024-01-31T12:00:00",
            "2024-01-31T12:00:00.000",
            "2024-01-31T12:00:00Z",
            "2024-01-31T12:00:00+01:00",
            "2024-01-31T12:00:00.000+01:00",
        ],
        "date" => &["2024-01-31", "2024-01-31Z", "2024-01-31+01:00"],
        "time" => &["12:00:00", "12:00:00.000", "12:00:00Z", "12:00:00+01:00"],
        "gYearMonth" => &["2024-01", "2024-01Z"],
        "gYear" => &["2024", "2024Z"],
        _ => &[],
    };
    forms.iter().map(|s| (*s).to_owned()).collect()
}

/// The default value of a built-in type.
fn builtin_default(b: &str) -> String {
    match b {
        "boolean" => "true",
        "date" => "2024-01-31",
        "dateTime" => "2024-01-31T12:00:00",
        "dateTimeStamp" => "2024-01-31T12:00:00Z",
        "time" => "12:00:00",
        "gYear" => "2024",
        "gYearMonth" => "2024-01",
        "gMonth" => "--01",
        "gDay" => "---31",
        "gMonthDay" => "--01-31",
        "duration" | "dayTimeDuration" => "P1D",
        "yearMonthDuration" => "P1M",
        "base64Binary" => "AAEC",
        "hexBinary" => "0A0B",
        "anyURI" => "urn:example:a",
        "language" => "sv",
        "QName" | "NOTATION" => "a",
        "Name" | "NCName" | "ID" | "IDREF" | "IDREFS" | "ENTITY" | "ENTITIES" | "NMTOKEN"
        | "NMTOKENS" => "a1",
        "float" | "double" | "decimal" => "1.5",
        b if numeric(b).is_some() => "1",
        _ => "text",
    }
    .to_owned()
}

/// The bounds of an integer built-in (`None` for decimal, float and double, which have none),
/// or `None` for a type that is not numeric.
fn numeric(b: &str) -> Option<(Option<i128>, Option<i128>)> {
    Some(match b {
        "decimal" | "float" | "double" => (None, None),
        "integer" => (None, None),
        "long" => (Some(i64::MIN.into()), Some(i64::MAX.into())),
        "int" => (Some(i32::MIN.into()), Some(i32::MAX.into())),
        "short" => (Some(i16::MIN.into()), Some(i16::MAX.into())),
        "byte" => (Some(i8::MIN.into()), Some(i8::MAX.into())),
        "nonNegativeInteger" => (Some(0), None),
        "positiveInteger" => (Some(1), None),
        "nonPositiveInteger" => (None, Some(0)),
        "negativeInteger" => (None, Some(-1)),
        "unsignedLong" => (Some(0), Some(u64::MAX.into())),
        "unsignedInt" => (Some(0), Some(u32::MAX.into())),
        "unsignedShort" => (Some(0), Some(u16::MAX.into())),
        "unsignedByte" => (Some(0), Some(u8::MAX.into())),
        _ => return None,
    })
}

/// Whether `v` is the canonical lexical form of a value of the built-in `b`, for the types whose
/// values the generated code holds as numbers or booleans (and so writes in canonical form);
/// every other type keeps its text and is canonical as written.
pub fn is_canonical(b: &str, v: &str) -> bool {
    if b == "boolean" {
        return matches!(v, "true" | "false");
    }
    if is_integer(b) {
        let digits = v.strip_prefix('-').unwrap_or(v);
        return !digits.is_empty()
            && digits.bytes().all(|d| d.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'))
            && v != "-0";
    }
    true
}

fn is_integer(b: &str) -> bool {
    numeric(b).is_some() && !matches!(b, "decimal" | "float" | "double")
}

/// Numbers near the bounds and digit limits: the lower bound, one step inside an exclusive
/// bound, the upper bound, and small values.
fn numeric_candidates(c: &Constraints, b: &str) -> Vec<String> {
    let fd = c
        .steps
        .iter()
        .filter_map(|f| f.fraction_digits)
        .min()
        .unwrap_or(if is_integer(b) { 0 } else { 2 });
    let step = if is_integer(b) || fd == 0 {
        1.0
    } else {
        10f64.powi(-(i32::try_from(fd.min(6)).unwrap_or(6)))
    };
    let mut nums: Vec<f64> = vec![1.0, 0.0];
    for f in &c.steps {
        if let Some(v) = f
            .min_inclusive
            .as_deref()
            .and_then(|v| v.parse::<f64>().ok())
        {
            nums.push(v);
        }
        if let Some(v) = f
            .min_exclusive
            .as_deref()
            .and_then(|v| v.parse::<f64>().ok())
        {
            nums.push(v + step);
        }
        if let Some(v) = f
            .max_inclusive
            .as_deref()
            .and_then(|v| v.parse::<f64>().ok())
        {
            nums.push(v);
        }
        if let Some(v) = f
            .max_exclusive
            .as_deref()
            .and_then(|v| v.parse::<f64>().ok())
        {
            nums.push(v - step);
        }
    }
    if let Some((lo, hi)) = numeric(b) {
        nums.extend(lo.map(|v| v as f64 + 1.0));
        nums.extend(hi.map(|v| v as f64 - 1.0));
    }
    let mut out: Vec<String> = nums
        .into_iter()
        .map(|n| {
            if is_integer(b) || fd == 0 {
                format!("{}", n.round() as i128)
            } else {
                let s = format!("{n:.prec$}", prec = usize::try_from(fd.min(6)).unwrap_or(2));
                s.trim_end_matches('0').trim_end_matches('.').to_owned()
            }
        })
        .collect();
    // Exact bounds as written (a float round trip can lose digits).
    for f in &c.steps {
        out.extend(
            [&f.min_inclusive, &f.max_inclusive]
                .into_iter()
                .flatten()
                .cloned(),
        );
    }
    out
}

/// Whether `v` satisfies every facet of `c` and is a lexically valid value of its built-in.
pub fn check(c: &Constraints, v: &str) -> Result<(), String> {
    if c.builtin == "union" {
        if !c.union.iter().any(|m| check(m, v).is_ok()) {
            return Err(format!("{v:?} is no member of the union"));
        }
    } else if let Some(item) = &c.list_item {
        for i in v.split_whitespace() {
            check(item, i)?;
        }
    } else {
        lexical(local(&c.builtin), v)?;
    }
    if let Some(values) = &c.enumeration
        && !values.iter().any(|e| e == v)
    {
        return Err(format!("{v:?} is not in the enumeration"));
    }
    let b = local(&c.builtin);
    for f in &c.steps {
        if !f.patterns.is_empty() {
            let mut any = false;
            for p in &f.patterns {
                if Pattern::new(p)?.matches(v) {
                    any = true;
                    break;
                }
            }
            if !any {
                return Err(format!("{v:?} matches none of {:?}", f.patterns));
            }
        }
        let len = length(b, c.list_item.is_some(), v);
        if let Some(min) = f.min_length
            && len < min
        {
            return Err(format!("{v:?} is shorter than {min}"));
        }
        if let Some(max) = f.max_length
            && len > max
        {
            return Err(format!("{v:?} is longer than {max}"));
        }
        if numeric(b).is_some() {
            let (int, frac) = digits(v);
            if let Some(t) = f.total_digits
                && int + frac > t
            {
                return Err(format!("{v:?} has more than {t} digits"));
            }
            if let Some(fd) = f.fraction_digits
                && frac > fd
            {
                return Err(format!("{v:?} has more than {fd} fraction digits"));
            }
        }
        range(b, v, f)?;
    }
    Ok(())
}

/// The length the facets count: characters, octets for binary types, items for lists.
fn length(b: &str, list: bool, v: &str) -> u64 {
    let n = if list {
        v.split_whitespace().count()
    } else {
        match b {
            "hexBinary" => v.len() / 2,
            "base64Binary" => {
                let t: String = v.chars().filter(|c| !c.is_whitespace()).collect();
                t.len() / 4 * 3 - t.chars().rev().take_while(|&c| c == '=').count()
            }
            _ => v.chars().count(),
        }
    };
    n as u64
}

/// Significant digits before and after the decimal point.
fn digits(v: &str) -> (u64, u64) {
    let v = v.trim_start_matches(['+', '-']);
    let (i, f) = v.split_once('.').unwrap_or((v, ""));
    let i = i.trim_start_matches('0');
    let f = f.trim_end_matches('0');
    (i.len() as u64, f.len() as u64)
}

/// Range facets, compared as numbers for numeric types and as text for the date and time
/// types whose lexical order is their value order (same form, no time zone).
fn range(b: &str, v: &str, f: &Facets) -> Result<(), String> {
    let cmp = |bound: &str| -> Option<std::cmp::Ordering> {
        if numeric(b).is_some() {
            let x: f64 = v.parse().ok()?;
            let y: f64 = bound.parse().ok()?;
            x.partial_cmp(&y)
        } else {
            // Same form: the date and time part is compared; a time zone suffix on one side
            // only is not (the value then compares as its local part).
            let n = v.len().min(bound.len());
            Some(v.get(..n)?.cmp(bound.get(..n)?))
        }
    };
    use std::cmp::Ordering::*;
    let fail = |what: &str, bound: &str| Err(format!("{v:?} is not {what} {bound}"));
    if let Some(m) = &f.min_inclusive
        && cmp(m) == Some(Less)
    {
        return fail(">=", m);
    }
    if let Some(m) = &f.min_exclusive
        && matches!(cmp(m), Some(Less | Equal))
    {
        return fail(">", m);
    }
    if let Some(m) = &f.max_inclusive
        && cmp(m) == Some(Greater)
    {
        return fail("<=", m);
    }
    if let Some(m) = &f.max_exclusive
        && matches!(cmp(m), Some(Greater | Equal))
    {
        return fail("<", m);
    }
    Ok(())
}

/// The lexical space of the built-ins the generator produces values for.
fn lexical(b: &str, v: &str) -> Result<(), String> {
    static FORMS: std::sync::OnceLock<BTreeMap<&'static str, regex::Regex>> =
        std::sync::OnceLock::new();
    let forms = FORMS.get_or_init(|| {
        let tz = r"(Z|[+-]\d{2}:\d{2})?";
        let date = r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])";
        let time = r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?";
        let int = r"[+-]?\d+";
        let dec = r"[+-]?(\d+(\.\d*)?|\.\d+)";
        [
            ("boolean", "true|false|1|0".to_owned()),
            ("date", format!("{date}{tz}")),
            ("dateTime", format!("{date}T{time}{tz}")),
            ("time", format!("{time}{tz}")),
            ("gYear", format!(r"-?\d{{4,}}{tz}")),
            ("gYearMonth", format!(r"-?\d{{4,}}-(0[1-9]|1[0-2]){tz}")),
            ("decimal", dec.to_owned()),
            ("float", format!(r"{dec}([eE][+-]?\d+)?|INF|-INF|NaN")),
            ("double", format!(r"{dec}([eE][+-]?\d+)?|INF|-INF|NaN")),
            ("integer", int.to_owned()),
            ("hexBinary", "([0-9a-fA-F]{2})*".to_owned()),
            (
                "base64Binary",
                "([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?".to_owned(),
            ),
            ("NCName", r"[\p{L}_][\p{L}\p{N}._\-]*".to_owned()),
            ("language", "[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*".to_owned()),
            (
                "duration",
                r"-?P(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?".to_owned(),
            ),
        ]
        .into_iter()
        .map(|(k, p)| {
            (
                k,
                regex::Regex::new(&format!("^(?:{p})$")).expect("a fixed pattern"),
            )
        })
        .collect()
    });
    let form = match b {
        b if is_integer(b) => "integer",
        "Name" | "ID" | "IDREF" | "ENTITY" => "NCName",
        b => b,
    };
    if let Some(re) = forms.get(form)
        && !re.is_match(v)
    {
        return Err(format!("{v:?} is not a valid xs:{b}"));
    }
    if let Some((lo, hi)) = numeric(b)
        && is_integer(b)
    {
        let n: i128 = v
            .trim_start_matches('+')
            .parse()
            .map_err(|_| format!("{v:?} is not an integer"))?;
        if lo.is_some_and(|lo| n < lo) || hi.is_some_and(|hi| n > hi) {
            return Err(format!("{v:?} is out of the range of xs:{b}"));
        }
    }
    if matches!(b, "string" | "normalizedString" | "token") && v.chars().any(|c| !xml_text_char(c))
    {
        return Err(format!("{v:?} holds a character XML cannot carry"));
    }
    Ok(())
}

fn xml_text_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn with(builtin: &str, f: Facets) -> Constraints {
        Constraints {
            builtin: format!("xs:{builtin}"),
            steps: vec![f],
            ..Constraints::default()
        }
    }

    fn ok(c: &Constraints) -> String {
        let v = value(c, 0).unwrap();
        check(c, &v).unwrap();
        v
    }

    #[test]
    fn canonical_numbers_and_booleans_come_first() {
        // The first branch gives `00`, which reads back as the integer 0 and is written `0`.
        let c = with(
            "int",
            Facets {
                patterns: BTreeSet::from(["0[0-9]|[1-9][0-9]".to_owned()]),
                ..Facets::default()
            },
        );
        assert_eq!(ok(&c), "10");
        for (b, v, canonical) in [
            ("int", "0", true),
            ("int", "-0", false),
            ("long", "+1", false),
            ("short", "010", false),
            ("integer", "-12", true),
            ("boolean", "1", false),
            ("boolean", "false", true),
            ("string", "+01", true),
        ] {
            assert_eq!(is_canonical(b, v), canonical, "{b} {v:?}");
        }
    }

    #[test]
    fn patterns() {
        let c = with(
            "string",
            Facets {
                patterns: BTreeSet::from([r"(19|20)\d{6}[0-9]{4}".to_owned()]),
                ..Facets::default()
            },
        );
        assert_eq!(ok(&c).len(), 12);
        // Two steps: one pattern from each must match.
        let mut two = c.clone();
        two.steps.push(Facets {
            patterns: BTreeSet::from([r"\d+".to_owned()]),
            ..Facets::default()
        });
        ok(&two);
        assert!(check(&two, "19121212121X").is_err());
    }

    #[test]
    fn lengths() {
        let c = with(
            "string",
            Facets {
                min_length: Some(5),
                max_length: Some(7),
                ..Facets::default()
            },
        );
        assert!((5..=7).contains(&ok(&c).len()));
        let c = with(
            "string",
            Facets {
                max_length: Some(2),
                ..Facets::default()
            },
        );
        assert!(ok(&c).len() <= 2);
        assert!(check(&c, "abc").is_err());
        let c = with(
            "base64Binary",
            Facets {
                min_length: Some(10),
                ..Facets::default()
            },
        );
        assert!(length("base64Binary", false, &ok(&c)) >= 10);
        let c = with(
            "hexBinary",
            Facets {
                max_length: Some(1),
                min_length: Some(1),
                ..Facets::default()
            },
        );
        assert_eq!(ok(&c).len(), 2);
    }

    #[test]
    fn ranges() {
        let c = with(
            "int",
            Facets {
                min_inclusive: Some("10".into()),
                max_inclusive: Some("20".into()),
                ..Facets::default()
            },
        );
        let v: i64 = ok(&c).parse().unwrap();
        assert!((10..=20).contains(&v));
        let c = with(
            "decimal",
            Facets {
                min_exclusive: Some("0".into()),
                max_exclusive: Some("0.5".into()),
                ..Facets::default()
            },
        );
        let v: f64 = ok(&c).parse().unwrap();
        assert!(v > 0.0 && v < 0.5);
        assert!(check(&c, "0").is_err() && check(&c, "0.5").is_err());
        let c = with("positiveInteger", Facets::default());
        assert!(check(&c, "0").is_err());
        assert_eq!(ok(&c), "1");
        let c = with(
            "date",
            Facets {
                min_inclusive: Some("2030-01-01".into()),
                ..Facets::default()
            },
        );
        assert!(ok(&c).as_str() >= "2030-01-01");
        // A pattern that writes digits where a date has them gets a real date.
        let c = with(
            "dateTime",
            Facets {
                patterns: BTreeSet::from([r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d.\d{3}".to_owned()]),
                ..Facets::default()
            },
        );
        assert_eq!(ok(&c), "2024-01-31T12:00:00.000");
    }

    #[test]
    fn digits_facets() {
        let c = with(
            "decimal",
            Facets {
                total_digits: Some(3),
                fraction_digits: Some(1),
                min_inclusive: Some("100".into()),
                ..Facets::default()
            },
        );
        let v = ok(&c);
        let (i, f) = digits(&v);
        assert!(i + f <= 3 && f <= 1, "{v}");
        assert!(check(&c, "100.5").is_err());
        let c = with(
            "decimal",
            Facets {
                fraction_digits: Some(0),
                ..Facets::default()
            },
        );
        assert!(!ok(&c).contains('.'));
    }

    #[test]
    fn enumerations_and_lists_and_unions() {
        let mut c = with("string", Facets::default());
        c.enumeration = Some(vec!["A".into(), "B".into()]);
        assert_eq!(value(&c, 0).unwrap(), "A");
        assert_eq!(value(&c, 1).unwrap(), "B");
        assert!(check(&c, "C").is_err());
        let list = Constraints {
            builtin: "list".into(),
            steps: vec![Facets {
                min_length: Some(3),
                ..Facets::default()
            }],
            list_item: Some(Box::new(with("int", Facets::default()))),
            ..Constraints::default()
        };
        assert_eq!(ok(&list).split(' ').count(), 3);
        let union = Constraints {
            builtin: "union".into(),
            union: vec![
                with("date", Facets::default()),
                with("int", Facets::default()),
            ],
            ..Constraints::default()
        };
        ok(&union);
        assert!(check(&union, "x").is_err());
    }

    #[test]
    fn built_ins() {
        for b in [
            "boolean",
            "date",
            "dateTime",
            "time",
            "gYear",
            "gYearMonth",
            "gMonth",
            "gDay",
            "gMonthDay",
            "duration",
            "base64Binary",
            "hexBinary",
            "anyURI",
            "language",
            "QName",
            "NCName",
            "ID",
            "NMTOKEN",
            "float",
            "double",
            "decimal",
            "integer",
            "long",
            "int",
            "short",
            "byte",
            "unsignedByte",
            "nonPositiveInteger",
            "negativeInteger",
            "string",
            "token",
        ] {
            ok(&with(b, Facets::default()));
        }
        assert!(check(&with("date", Facets::default()), "2024-13-01").is_err());
        assert!(check(&with("byte", Facets::default()), "200").is_err());
        assert_eq!(base64(b"ab"), "YWI=");
    }
}
