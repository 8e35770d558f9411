//! Swedish identity numbers: personnummer, samordningsnummer and organisationsnummer.
//!
//! Rules (Skatteverket's, as the schema's 12- and 10-digit forms carry them):
//! - a **personnummer** is `YYYYMMDDNNNC`: a birth date that exists, a three-digit birth number
//!   and a check digit by the Luhn rule over the last ten digits (`YYMMDDNNN`);
//! - a **samordningsnummer** is the same with 60 added to the day (`61`..=`91`);
//! - an **organisationsnummer** is ten digits with a Luhn check digit whose third and fourth
//!   digits are at least 20, except a sole trader's, which is the owner's personnummer in ten
//!   digits.
//!
//! The forms people type are accepted by [`Personnummer::parse`]: `YYYYMMDDNNNN`,
//! `YYYYMMDD-NNNN`, `YYMMDDNNNN`, `YYMMDD-NNNN` and `YYMMDD+NNNN`. The ten-digit forms leave the
//! century out: with `-` (or nothing) the person is taken to be younger than 100 on the
//! reference date the caller gives, with `+` 100 or older, as Skatteverket writes them.

use std::fmt;

use jiff::civil::Date;

/// Why a text is not a valid identity number; [`IdError::rule`] names the rule for reports.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The text does not have one of the accepted shapes.
    #[error("{text:?} is not a {what}: expected {expected}")]
    Format {
        /// The text given.
        text: String,
        /// What was expected (`personnummer`, `organisationsnummer`).
        what: &'static str,
        /// The accepted forms.
        expected: &'static str,
    },
    /// The date part is not a date that exists.
    #[error("{text:?}: {date} is not a date that exists{note}")]
    Date {
        /// The text given.
        text: String,
        /// The date part as written (`YYYY-MM-DD`, the day without the +60 of a
        /// samordningsnummer).
        date: String,
        /// Extra explanation (samordningsnummer).
        note: &'static str,
    },
    /// The last digit is not the Luhn check digit of the nine before it.
    #[error(
        "{text:?}: the check digit is {found}, but the Luhn rule over the last ten digits gives {expected}"
    )]
    CheckDigit {
        /// The text given.
        text: String,
        /// The digit the rule gives.
        expected: u8,
        /// The digit written.
        found: u8,
    },
    /// An organisationsnummer whose third and fourth digits are below 20 and which is not a
    /// valid personnummer (a sole trader's) either.
    #[error(
        "{text:?}: digits 3–4 of an organisationsnummer are at least 20 ({group} is not), and it is not a sole trader's personnummer either ({reason})"
    )]
    OrganisationGroup {
        /// The text given.
        text: String,
        /// Digits 3–4.
        group: String,
        /// Why it is not a personnummer.
        reason: String,
    },
    /// A personnummer where a samordningsnummer is required or the other way round.
    #[error("{text:?} is a {found}, but a {expected} is required here")]
    Kind {
        /// The text given.
        text: String,
        /// What it is.
        found: &'static str,
        /// What the element requires.
        expected: &'static str,
    },
    /// The birth date lies after the reference date.
    #[error("{text:?}: the birth date {date} is after {reference}")]
    Future {
        /// The text given.
        text: String,
        /// The birth date.
        date: String,
        /// The reference date.
        reference: String,
    },
}

impl IdError {
    /// The rule that failed, for findings: `id.format`, `id.date`, `id.check-digit`,
    /// `id.organisation-group`, `id.kind`, `id.future`.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::Format { .. } => "id.format",
            Self::Date { .. } => "id.date",
            Self::CheckDigit { .. } => "id.check-digit",
            Self::OrganisationGroup { .. } => "id.organisation-group",
            Self::Kind { .. } => "id.kind",
            Self::Future { .. } => "id.future",
        }
    }
}

/// The Luhn check digit of `digits` (each 0..=9), as Skatteverket computes it: weights 2, 1, 2,
/// ... from the left.
pub fn luhn_check_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            let p = u32::from(d) * if i % 2 == 0 { 2 } else { 1 };
            p / 10 + p % 10
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

fn digits(text: &str) -> Option<Vec<u8>> {
    text.bytes()
        .map(|b| b.is_ascii_digit().then(|| b - b'0'))
        .collect()
}

fn number(d: &[u8]) -> i32 {
    d.iter().fold(0, |n, &x| n * 10 + i32::from(x))
}

/// A personnummer or samordningsnummer in the schema's 12-digit form, checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Personnummer {
    digits: String,
    birth_date: Date,
    coordination: bool,
}

const PERSON_FORMS: &str =
    "YYYYMMDDNNNN, YYYYMMDD-NNNN, YYMMDD-NNNN, YYMMDDNNNN or YYMMDD+NNNN (digits only otherwise)";

impl Personnummer {
    /// Checks the schema's 12-digit form `YYYYMMDDNNNC` (no separators, century included).
    pub fn from_schema(text: &str) -> Result<Self, IdError> {
        match digits(text) {
            Some(d) if d.len() == 12 => Self::from_digits(text, &d),
            _ => Err(IdError::Format {
                text: text.to_owned(),
                what: "personnummer",
                expected: "12 digits, YYYYMMDDNNNN",
            }),
        }
    }

    /// Parses the forms people type (see the module docs) into the 12-digit form; `today` is
    /// the reference date for the century of the ten-digit forms.
    pub fn parse(text: &str, today: Date) -> Result<Self, IdError> {
        let t = text.trim();
        let format = || IdError::Format {
            text: text.to_owned(),
            what: "personnummer",
            expected: PERSON_FORMS,
        };
        // Only ASCII digits and separators are valid; checking first keeps the slicing below
        // on character boundaries.
        if !t.is_ascii() {
            return Err(format());
        }
        let (body, sep) = match t.len() {
            12 | 10 => (t.to_owned(), None),
            13 | 11 => {
                let (a, b) = t.split_at(t.len() - 5);
                let sep = b.as_bytes()[0];
                if sep != b'-' && sep != b'+' {
                    return Err(format());
                }
                (format!("{a}{}", &b[1..]), Some(sep))
            }
            _ => return Err(format()),
        };
        let d = digits(&body).ok_or_else(format)?;
        if d.len() == 12 {
            if sep == Some(b'+') {
                // With the century written, `+` says nothing; refuse rather than guess.
                return Err(format());
            }
            return Self::not_after(Self::from_digits(text, &d)?, text, today);
        }
        // Ten digits: the latest year ending in YY that is not after `today`, one century
        // earlier when that birth date is still after `today`, and one more for `+`.
        let yy = number(&d[0..2]) as i16;
        let month = number(&d[2..4]) as i8;
        let raw_day = number(&d[4..6]) as i8;
        let day = if raw_day > 60 { raw_day - 60 } else { raw_day };
        let mut year = today.year() - (today.year() - yy).rem_euclid(100);
        if let Ok(birth) = Date::new(year, month, day)
            && birth > today
        {
            year -= 100;
        }
        if sep == Some(b'+') {
            year -= 100;
        }
        if year < 0 {
            return Err(format());
        }
        let mut full = Vec::with_capacity(12);
        full.push(((year / 1000) % 10) as u8);
        full.push(((year / 100) % 10) as u8);
        full.extend_from_slice(&d);
        Self::not_after(Self::from_digits(text, &full)?, text, today)
    }

    /// `pnr`, unless its birth date is after `today`.
    fn not_after(pnr: Self, text: &str, today: Date) -> Result<Self, IdError> {
        if pnr.birth_date > today {
            return Err(IdError::Future {
                text: text.to_owned(),
                date: pnr.birth_date.to_string(),
                reference: today.to_string(),
            });
        }
        Ok(pnr)
    }

    fn from_digits(text: &str, d: &[u8]) -> Result<Self, IdError> {
        let year = number(&d[0..4]) as i16;
        let month = number(&d[4..6]) as i8;
        let raw_day = number(&d[6..8]) as i8;
        let coordination = raw_day > 60;
        let day = if coordination { raw_day - 60 } else { raw_day };
        let birth_date = Date::new(year, month, day).map_err(|_| IdError::Date {
            text: text.to_owned(),
            date: format!("{year:04}-{month:02}-{day:02}"),
            note: if coordination {
                " (a samordningsnummer's day minus 60)"
            } else {
                ""
            },
        })?;
        let expected = luhn_check_digit(&d[2..11]);
        if expected != d[11] {
            return Err(IdError::CheckDigit {
                text: text.to_owned(),
                expected,
                found: d[11],
            });
        }
        Ok(Self {
            digits: d.iter().map(|x| char::from(b'0' + x)).collect(),
            birth_date,
            coordination,
        })
    }

    /// The 12-digit form the schema wants.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// The birth date (for a samordningsnummer, the day without the +60).
    pub fn birth_date(&self) -> Date {
        self.birth_date
    }

    /// Whether this is a samordningsnummer (day + 60).
    pub fn is_samordningsnummer(&self) -> bool {
        self.coordination
    }

    /// The written form `YYYYMMDD-NNNN`.
    pub fn display_form(&self) -> String {
        format!("{}-{}", &self.digits[..8], &self.digits[8..])
    }
}

impl fmt::Display for Personnummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

/// What kind of organisation an [`Organisationsnummer`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrganisationKind {
    /// A legal person: digits 3–4 at least 20.
    LegalPerson,
    /// A sole trader: the owner's personnummer (or samordningsnummer) in ten digits.
    SoleTrader,
}

/// An organisationsnummer in the schema's 10-digit form, checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Organisationsnummer {
    digits: String,
    kind: OrganisationKind,
}

impl Organisationsnummer {
    /// Parses `NNNNNNNNNN`, `NNNNNN-NNNN` or, for a legal person, `16NNNNNNNNNN`, into the
    /// 10-digit form.
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let t = text.trim();
        let format = || IdError::Format {
            text: text.to_owned(),
            what: "organisationsnummer",
            expected: "NNNNNNNNNN, NNNNNN-NNNN or 16NNNNNNNNNN",
        };
        if !t.is_ascii() {
            return Err(format());
        }
        let body: String = match t.len() {
            10 => t.to_owned(),
            11 if t.as_bytes()[6] == b'-' => format!("{}{}", &t[..6], &t[7..]),
            12 if t.starts_with("16") => t[2..].to_owned(),
            _ => return Err(format()),
        };
        let d = digits(&body).ok_or_else(format)?;
        Self::from_digits(text, &d)
    }

    /// Checks the schema's 10-digit form (digits only).
    pub fn from_schema(text: &str) -> Result<Self, IdError> {
        match digits(text) {
            Some(d) if d.len() == 10 => Self::from_digits(text, &d),
            _ => Err(IdError::Format {
                text: text.to_owned(),
                what: "organisationsnummer",
                expected: "10 digits",
            }),
        }
    }

    fn from_digits(text: &str, d: &[u8]) -> Result<Self, IdError> {
        let expected = luhn_check_digit(&d[..9]);
        if expected != d[9] {
            return Err(IdError::CheckDigit {
                text: text.to_owned(),
                expected,
                found: d[9],
            });
        }
        let group = number(&d[2..4]);
        let kind = if group >= 20 {
            OrganisationKind::LegalPerson
        } else {
            // A sole trader's number: the date part must be a date in some century.
            let month = group as i8;
            let raw_day = number(&d[4..6]) as i8;
            let day = if raw_day > 60 { raw_day - 60 } else { raw_day };
            let yy = number(&d[0..2]) as i16;
            let exists = [1900, 2000]
                .iter()
                .any(|c| Date::new(c + yy, month, day).is_ok());
            if !exists {
                return Err(IdError::OrganisationGroup {
                    text: text.to_owned(),
                    group: format!("{group:02}"),
                    reason: format!("month {month:02}, day {raw_day:02} is not a date that exists"),
                });
            }
            OrganisationKind::SoleTrader
        };
        Ok(Self {
            digits: d.iter().map(|x| char::from(b'0' + x)).collect(),
            kind,
        })
    }

    /// The 10-digit form the schema wants.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// A legal person's number or a sole trader's.
    pub fn kind(&self) -> OrganisationKind {
        self.kind
    }
}

impl fmt::Display for Organisationsnummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_of_the_tax_agency_test_number() {
        assert_eq!(luhn_check_digit(&[1, 2, 1, 2, 1, 2, 1, 2, 1]), 2);
    }
}
