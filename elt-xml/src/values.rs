//! XSD built-in value types and their lexical forms.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ValueError;
use crate::traits::XmlValue;

impl XmlValue for String {
    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
    fn from_xml_text(text: &str) -> Result<Self, ValueError> {
        Ok(text.to_owned())
    }
}

impl XmlValue for bool {
    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
    fn from_xml_text(text: &str) -> Result<Self, ValueError> {
        match text.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            other => Err(ValueError::new(format!(
                "{other:?} is not an xs:boolean (true, false, 1 or 0)"
            ))),
        }
    }
    fn lexical_forms(&self) -> Vec<Cow<'_, str>> {
        vec![
            self.to_xml_text(),
            Cow::Borrowed(if *self { "1" } else { "0" }),
        ]
    }
}

macro_rules! numeric_value {
    ($($t:ty => $xsd:literal),* $(,)?) => {$(
        impl XmlValue for $t {
            fn to_xml_text(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
            fn from_xml_text(text: &str) -> Result<Self, ValueError> {
                let t = text.trim();
                let t = t.strip_prefix('+').unwrap_or(t);
                t.parse::<$t>().map_err(|e| {
                    ValueError::new(format!(concat!("{:?} is not a valid ", $xsd, ": {}"), text, e))
                })
            }
        }
    )*};
}

numeric_value!(
    i8 => "xs:byte", i16 => "xs:short", i32 => "xs:int", i64 => "xs:long or xs:integer",
    u8 => "xs:unsignedByte", u16 => "xs:unsignedShort", u32 => "xs:unsignedInt",
    u64 => "xs:unsignedLong or xs:nonNegativeInteger",
);

macro_rules! float_value {
    ($($t:ty => $xsd:literal),*) => {$(
        impl XmlValue for $t {
            fn to_xml_text(&self) -> Cow<'_, str> {
                Cow::Owned(if self.is_nan() {
                    "NaN".to_owned()
                } else if self.is_infinite() {
                    if *self > 0.0 { "INF" } else { "-INF" }.to_owned()
                } else {
                    self.to_string()
                })
            }
            fn from_xml_text(text: &str) -> Result<Self, ValueError> {
                match text.trim() {
                    "NaN" => Ok(<$t>::NAN),
                    "INF" | "+INF" => Ok(<$t>::INFINITY),
                    "-INF" => Ok(<$t>::NEG_INFINITY),
                    t => t.parse::<$t>().map_err(|e| {
                        ValueError::new(format!(concat!("{:?} is not a valid ", $xsd, ": {}"), text, e))
                    }),
                }
            }
        }
    )*};
}

float_value!(f32 => "xs:float", f64 => "xs:double");

/// An `xs:decimal`, kept exactly as its canonical lexical form (no binary rounding).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal(String);

impl Decimal {
    /// The lexical form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Decimal {
    type Err = ValueError;
    fn from_str(text: &str) -> Result<Self, ValueError> {
        let t = text.trim();
        let body = t.strip_prefix(['+', '-']).unwrap_or(t);
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let valid = !(int.is_empty() && frac.is_empty())
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit());
        if !valid {
            return Err(ValueError::new(format!(
                "{text:?} is not a valid xs:decimal"
            )));
        }
        Ok(Decimal(t.to_owned()))
    }
}

impl Decimal {
    fn parts(&self) -> (bool, &str, &str) {
        let neg = self.0.starts_with('-');
        let body = self.0.trim_start_matches(['+', '-']);
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let int = int.trim_start_matches('0');
        let frac = frac.trim_end_matches('0');
        let zero = int.is_empty() && frac.is_empty();
        (neg && !zero, int, frac)
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        let (an, ai, af) = self.parts();
        let (bn, bi, bf) = other.parts();
        let magnitude = ai
            .len()
            .cmp(&bi.len())
            .then_with(|| ai.cmp(bi))
            .then_with(|| af.cmp(bf));
        Some(match (an, bn) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => magnitude,
            (true, true) => magnitude.reverse(),
        })
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl XmlValue for Decimal {
    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.0)
    }
    fn from_xml_text(text: &str) -> Result<Self, ValueError> {
        text.parse()
    }
}

/// A timezone offset as written in XSD date and time values (`Z`, `+01:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TzOffset {
    /// Offset from UTC in minutes.
    pub minutes: i16,
}

impl TzOffset {
    /// UTC (`Z`).
    pub const UTC: TzOffset = TzOffset { minutes: 0 };

    fn split(text: &str) -> Result<(&str, Option<TzOffset>), ValueError> {
        if let Some(rest) = text.strip_suffix('Z') {
            return Ok((rest, Some(TzOffset::UTC)));
        }
        // A timezone is six ASCII bytes; where the sixth byte from the end is inside a
        // character there is none (and splitting there would panic).
        if text.len() > 6 && text.is_char_boundary(text.len() - 6) {
            let (rest, tz) = text.split_at(text.len() - 6);
            let b = tz.as_bytes();
            if (b[0] == b'+' || b[0] == b'-') && b[3] == b':' {
                let h: i16 = tz[1..3]
                    .parse()
                    .map_err(|_| ValueError::new(format!("bad timezone in {text:?}")))?;
                let m: i16 = tz[4..6]
                    .parse()
                    .map_err(|_| ValueError::new(format!("bad timezone in {text:?}")))?;
                if h > 14 || m > 59 {
                    return Err(ValueError::new(format!("bad timezone in {text:?}")));
                }
                let sign = if b[0] == b'-' { -1 } else { 1 };
                return Ok((
                    rest,
                    Some(TzOffset {
                        minutes: sign * (h * 60 + m),
                    }),
                ));
            }
        }
        Ok((text, None))
    }

    fn write(tz: Option<TzOffset>, out: &mut String) {
        match tz {
            None => {}
            Some(TzOffset { minutes: 0 }) => out.push('Z'),
            Some(TzOffset { minutes }) => {
                let sign = if minutes < 0 { '-' } else { '+' };
                let m = minutes.unsigned_abs();
                out.push_str(&format!("{sign}{:02}:{:02}", m / 60, m % 60));
            }
        }
    }
}

/// The digits of a seconds fraction in a lexical form (`12:00:00.000` has three), if any.
fn fraction_digits_of(body: &str) -> Option<u8> {
    let (_, fraction) = body.rsplit_once('.')?;
    u8::try_from(fraction.len()).ok()
}

/// `nanos` written with exactly `digits` fraction digits (cut or padded with zeros).
fn write_fraction(nanos: u32, digits: u8, out: &mut String) {
    if digits == 0 {
        return;
    }
    let nine = format!("{:09}", nanos.min(999_999_999));
    out.push('.');
    for i in 0..usize::from(digits) {
        out.push(nine.as_bytes().get(i).map_or('0', |&b| char::from(b)));
    }
}

macro_rules! temporal_value {
    (
        $name:ident,
        $inner:ty,
        $xsd:literal,
        $fmt:literal,
        $whole_fmt:literal,
        $nanos:expr,
        $parse:expr,
        $doc:literal
    ) => {
        #[doc = $doc]
        ///
        /// Values are equal, hash and order by the time they name (and the timezone); the
        /// number of fraction digits the lexical form had is kept only so the value is written
        /// back as it was read (`12:00:00.000` stays so, which a pattern facet may require).
        /// The value holds nanoseconds: digits past the ninth are written back as zeros.
        #[derive(Debug, Clone, Copy)]
        pub struct $name {
            /// The value without timezone.
            pub value: $inner,
            /// The timezone, when the lexical form has one.
            pub timezone: Option<TzOffset>,
            /// The number of digits of the seconds' fraction as it was read, if it had one;
            /// `None` writes the shortest form (no fraction for whole seconds).
            pub fraction_digits: Option<u8>,
        }

        impl $name {
            /// A value without timezone.
            pub fn new(value: $inner) -> Self {
                Self {
                    value,
                    timezone: None,
                    fraction_digits: None,
                }
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                (self.value, self.timezone) == (other.value, other.timezone)
            }
        }

        impl Eq for $name {}

        impl std::hash::Hash for $name {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                (self.value, self.timezone).hash(state);
            }
        }

        impl From<$inner> for $name {
            fn from(value: $inner) -> Self {
                Self::new(value)
            }
        }

        impl PartialOrd for $name {
            /// Values compare by their time line when both or neither carry a timezone; a value
            /// with a timezone and one without are not ordered, as in XSD.
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                match (self.timezone, other.timezone) {
                    (None, None) => self.value.partial_cmp(&other.value),
                    (Some(a), Some(b)) if a == b => self.value.partial_cmp(&other.value),
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.to_xml_text())
            }
        }

        impl XmlValue for $name {
            fn to_xml_text(&self) -> Cow<'_, str> {
                let nanos: fn(&$inner) -> Option<u32> = $nanos;
                let mut s = match (self.fraction_digits, nanos(&self.value)) {
                    (Some(digits), Some(n)) => {
                        let mut s = self.value.format($whole_fmt).to_string();
                        write_fraction(n, digits, &mut s);
                        s
                    }
                    _ => self.value.format($fmt).to_string(),
                };
                TzOffset::write(self.timezone, &mut s);
                Cow::Owned(s)
            }
            fn from_xml_text(text: &str) -> Result<Self, ValueError> {
                let t = text.trim();
                let (body, timezone) = TzOffset::split(t)?;
                let parse: fn(&str) -> Option<$inner> = $parse;
                let value = parse(body).ok_or_else(|| {
                    ValueError::new(format!(concat!("{:?} is not a valid ", $xsd), text))
                })?;
                let nanos: fn(&$inner) -> Option<u32> = $nanos;
                let fraction_digits = nanos(&value).and_then(|_| fraction_digits_of(body));
                Ok(Self {
                    value,
                    timezone,
                    fraction_digits,
                })
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.to_xml_text())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = Cow::<str>::deserialize(d)?;
                Self::from_xml_text(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

temporal_value!(
    Date,
    NaiveDate,
    "xs:date (YYYY-MM-DD)",
    "%Y-%m-%d",
    "%Y-%m-%d",
    |_| None,
    |s| (s.len() == 10)
        .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten(),
    "An `xs:date`: a calendar date with an optional timezone."
);
temporal_value!(
    DateTime,
    NaiveDateTime,
    "xs:dateTime (YYYY-MM-DDThh:mm:ss)",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S",
    |v| Some(v.nanosecond()),
    |s| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").ok(),
    "An `xs:dateTime`: a date and time with an optional timezone."
);
temporal_value!(
    Time,
    NaiveTime,
    "xs:time (hh:mm:ss)",
    "%H:%M:%S%.f",
    "%H:%M:%S",
    |v| Some(v.nanosecond()),
    |s| NaiveTime::parse_from_str(s, "%H:%M:%S%.f").ok(),
    "An `xs:time`: a time of day with an optional timezone."
);

/// `xs:base64Binary`: bytes, base64 only in the lexical form.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Base64Binary(pub Vec<u8>);

impl fmt::Debug for Base64Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64Binary({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Base64Binary {
    fn from(v: Vec<u8>) -> Self {
        Self(v)
    }
}

impl From<&[u8]> for Base64Binary {
    fn from(v: &[u8]) -> Self {
        Self(v.to_vec())
    }
}

impl std::ops::Deref for Base64Binary {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl XmlValue for Base64Binary {
    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Owned(base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
    fn xml_length(&self) -> Option<usize> {
        Some(self.0.len())
    }
    fn from_xml_text(text: &str) -> Result<Self, ValueError> {
        // Base64 in XML may be wrapped over lines; whitespace is not part of the value.
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        base64::engine::general_purpose::STANDARD
            .decode(compact.as_bytes())
            .map(Base64Binary)
            .map_err(|e| ValueError::new(format!("not valid xs:base64Binary: {e}")))
    }
}

impl Serialize for Base64Binary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_xml_text())
    }
}

impl<'de> Deserialize<'de> for Base64Binary {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<str>::deserialize(d)?;
        Self::from_xml_text(&s).map_err(serde::de::Error::custom)
    }
}

/// `xs:hexBinary`: bytes, hex only in the lexical form.
///
/// Written in upper case, the canonical form, unless it was read from lower-case text: then it
/// is written back in lower case, so that a document round-trips as it came (digests are
/// commonly written so). Equality, ordering and hashing are of the bytes alone.
#[derive(Debug, Clone, Default)]
pub struct HexBinary {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Whether the text is written in lower case (set when read from lower-case text).
    pub lower_case: bool,
}

impl HexBinary {
    /// The bytes, written in upper case.
    pub fn new(bytes: Vec<u8>) -> Self {
        HexBinary {
            bytes,
            lower_case: false,
        }
    }
}

impl From<Vec<u8>> for HexBinary {
    fn from(bytes: Vec<u8>) -> Self {
        HexBinary::new(bytes)
    }
}

impl std::ops::Deref for HexBinary {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

impl PartialEq for HexBinary {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for HexBinary {}

impl std::hash::Hash for HexBinary {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.bytes.hash(state);
    }
}

impl PartialOrd for HexBinary {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for HexBinary {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.bytes.cmp(&other.bytes)
    }
}

impl XmlValue for HexBinary {
    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Owned(
            self.bytes
                .iter()
                .map(|b| {
                    if self.lower_case {
                        format!("{b:02x}")
                    } else {
                        format!("{b:02X}")
                    }
                })
                .collect(),
        )
    }
    fn xml_length(&self) -> Option<usize> {
        Some(self.bytes.len())
    }
    fn from_xml_text(text: &str) -> Result<Self, ValueError> {
        let t = text.trim();
        if !t.len().is_multiple_of(2) || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ValueError::new(format!(
                "{text:?} is not valid xs:hexBinary"
            )));
        }
        let bytes = (0..t.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&t[i..i + 2], 16))
            .collect::<Result<Vec<u8>, _>>()
            .map_err(|e| ValueError::new(format!("not valid xs:hexBinary: {e}")))?;
        // Lower case only when no letter is upper case (digits alone are either).
        let lower_case =
            t.bytes().any(|b| b.is_ascii_lowercase()) && !t.bytes().any(|b| b.is_ascii_uppercase());
        Ok(HexBinary { bytes, lower_case })
    }
}

impl Serialize for HexBinary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_xml_text())
    }
}

impl<'de> Deserialize<'de> for HexBinary {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<str>::deserialize(d)?;
        Self::from_xml_text(&s).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
