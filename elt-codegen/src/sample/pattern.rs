//! Strings that match an XSD pattern: the pattern is translated to the `regex` crate's syntax
//! (by `elt-xml`, the translation the generated code checks values with), parsed by
//! `regex-syntax`, and a string is built from its syntax tree (one choice per
//! alternation, a repetition count per quantifier, one character per class).

use regex_syntax::hir::{Class, Hir, HirKind};

/// A compiled XSD pattern: anchored, as XSD patterns are.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    hir: Hir,
    regex: regex::Regex,
}

impl Pattern {
    /// Compiles `source`; `Err` names what the `regex` crate could not take.
    pub fn new(source: &str) -> Result<Self, String> {
        let translated = elt_xml::xsd_regex::translate(source)
            .map_err(|e| format!("pattern {source:?} is not supported: {e}"))?;
        let hir = regex_syntax::ParserBuilder::new()
            .build()
            .parse(&translated)
            .map_err(|e| format!("pattern {source:?} is not supported: {e}"))?;
        let regex = regex::Regex::new(&format!("^(?:{translated})$"))
            .map_err(|e| format!("pattern {source:?} is not supported: {e}"))?;
        Ok(Pattern {
            source: source.to_owned(),
            hir,
            regex,
        })
    }

    /// The pattern as the schema writes it.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether `text` matches the whole pattern.
    pub fn matches(&self, text: &str) -> bool {
        self.regex.is_match(text)
    }

    /// A string the pattern matches. `variant` picks the alternation branches and the
    /// repetition counts (0: first branch, fewest repetitions); `reps` forces at least that many
    /// repetitions of every unbounded quantifier (to reach a minimum length).
    pub fn generate(&self, variant: usize, reps: u32) -> String {
        let mut out = String::new();
        build(&self.hir, variant, reps, &mut out);
        out
    }
}

fn build(h: &Hir, variant: usize, reps: u32, out: &mut String) {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(l) => out.push_str(&String::from_utf8_lossy(&l.0)),
        HirKind::Class(c) => {
            if let Some(ch) = pick(c) {
                out.push(ch);
            }
        }
        HirKind::Repetition(r) => {
            let extra = (variant % 3) as u32;
            let want = r.min.max(reps.min(r.max.unwrap_or(u32::MAX))) + extra;
            let n = match r.max {
                Some(max) => want.min(max),
                None => want,
            };
            // A nested quantifier is not widened again: the outer count already grows.
            for _ in 0..n {
                build(&r.sub, variant / 3, 0, out);
            }
        }
        HirKind::Capture(c) => build(&c.sub, variant, reps, out),
        HirKind::Concat(parts) => {
            for p in parts {
                build(p, variant, reps, out);
            }
        }
        HirKind::Alternation(alts) => {
            let i = variant % alts.len();
            build(&alts[i], variant / alts.len().max(1), reps, out);
        }
    }
}

/// The character a class offers: a plain ASCII letter or digit where it has one (so the value
/// reads well and needs no escaping), else the first character allowed in XML.
fn pick(c: &Class) -> Option<char> {
    let preferred = ('a'..='z')
        .chain('A'..='Z')
        .chain('0'..='9')
        .chain(['-', '_', '.', ' ', '+', ':', '/', ',']);
    match c {
        Class::Unicode(u) => {
            let contains = |ch: char| u.ranges().iter().any(|r| r.start() <= ch && ch <= r.end());
            preferred.clone().find(|&ch| contains(ch)).or_else(|| {
                u.ranges().iter().find_map(|r| {
                    (u32::from(r.start())..=u32::from(r.end()))
                        .take(4096)
                        .filter_map(char::from_u32)
                        .find(|&ch| xml_char(ch))
                })
            })
        }
        Class::Bytes(b) => {
            let contains = |ch: char| {
                b.ranges()
                    .iter()
                    .any(|r| char::from(r.start()) <= ch && ch <= char::from(r.end()))
            };
            preferred.clone().find(|&ch| contains(ch))
        }
    }
}

/// A character XML 1.0 allows in text and that needs no escaping or normalising.
fn xml_char(ch: char) -> bool {
    matches!(ch, '\u{21}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
        && !matches!(ch, '<' | '&' | '>' | '"' | '\'')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gen_ok(p: &str) -> String {
        let pat = Pattern::new(p).unwrap();
        let s = pat.generate(0, 0);
        assert!(pat.matches(&s), "{p:?} generated {s:?}");
        s
    }

    #[test]
    fn generates_matching_strings() {
        assert_eq!(gen_ok(r"\d{12}"), "000000000000");
        assert_eq!(gen_ok("[A-Z]{2}[0-9]+"), "AA0");
        gen_ok(r"(19|20)\d{2}(0[1-9]|1[0-2])");
        gen_ok(r"\p{Lu}\p{Ll}*");
        gen_ok(r"[^\s]+");
        gen_ok(r"\i\c*");
        gen_ok(r"[a-z-[aeiou]]{3}");
        gen_ok(r"a^b$c");
        gen_ok(r"\s*\S+");
        gen_ok(r"[\-+]?\d+(\.\d{1,2})?");
        gen_ok(r"\p{IsBasicLatin}{2}\w\.");
        gen_ok(r"[^a-z-[1]]");
    }

    #[test]
    fn variants_and_repetitions_change_the_string() {
        let p = Pattern::new("(ab|cd)x+").unwrap();
        let all: Vec<String> = (0..6).map(|v| p.generate(v, 0)).collect();
        assert!(all.iter().all(|s| p.matches(s)));
        assert!(all.iter().any(|s| s.starts_with("cd")));
        let long = p.generate(0, 10);
        assert!(p.matches(&long) && long.len() >= 12, "{long}");
    }

    #[test]
    fn unsupported_patterns_are_errors() {
        assert!(Pattern::new("(").is_err());
    }
}
