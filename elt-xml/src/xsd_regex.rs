//! XSD regular expressions (XML Schema Part 2, appendix F) in the `regex` crate's syntax.
//!
//! The two languages share most of their syntax but not its meaning, so a pattern is parsed
//! and written again rather than passed through:
//! - XSD patterns are anchored and have no anchors: `^` and `$` are ordinary characters.
//! - `.` is any character but `\n` and `\r`; `\s` is the four XML space characters; `\w` is
//!   everything but punctuation, separators and "other" (`\p{P}`, `\p{Z}`, `\p{C}`); `\i` and
//!   `\c` are the XML name characters.
//! - `\p{IsBasicLatin}` names a Unicode block, which `regex` does not know.
//! - `[a-z-[aeiou]]` is class subtraction, and in `[^a-z-[aeiou]]` the negation binds to the
//!   group before the subtraction; `&` and `~` are ordinary characters in a class, where
//!   `regex` reads `&&` and `~~` as operators.
//!
//! Used by generated code through the facets (every `xs:pattern` check) and by the generator's
//! sample documents, so that both read a pattern the way the schema's own validators do.

mod blocks;

use std::iter::Peekable;
use std::str::Chars;

/// Translates an XSD pattern into `regex` syntax (unanchored: the caller anchors it).
///
/// `Err` says what in the pattern is not XSD regular-expression syntax, or names a Unicode
/// block that does not exist.
pub fn translate(pattern: &str) -> Result<String, String> {
    let mut parser = Parser {
        chars: pattern.chars().peekable(),
        out: String::with_capacity(pattern.len() + 8),
    };
    parser.branches()?;
    Ok(parser.out)
}

/// A set of characters written as the inside of a `regex` class: `items` alone where it is
/// positive, `[^items]` where it is negated.
struct Set {
    items: String,
    negated: bool,
}

impl Set {
    fn positive(items: impl Into<String>) -> Self {
        Set {
            items: items.into(),
            negated: false,
        }
    }

    fn negative(items: impl Into<String>) -> Self {
        Set {
            items: items.into(),
            negated: true,
        }
    }

    /// The set as a class of its own.
    fn class(&self) -> String {
        if self.items.is_empty() {
            // The empty set (a block of surrogates only): matches no character.
            return if self.negated {
                r"[\x{0}-\x{10FFFF}]".to_owned()
            } else {
                r"[^\x{0}-\x{10FFFF}]".to_owned()
            };
        }
        format!("[{}{}]", if self.negated { "^" } else { "" }, self.items)
    }

    /// The set as part of an enclosing class's union.
    fn inside_class(&self) -> String {
        if self.negated || self.items.is_empty() {
            self.class()
        } else {
            self.items.clone()
        }
    }
}

/// One unit of a pattern: a single character, or a set from a multi-character escape.
enum Atom {
    Char(char),
    Set(Set),
}

struct Parser<'a> {
    chars: Peekable<Chars<'a>>,
    out: String,
}

/// `c` as a literal in `regex` syntax, in or out of a class.
fn literal(c: char) -> String {
    regex::escape(c.encode_utf8(&mut [0; 4]))
}

impl Parser<'_> {
    /// Everything outside classes: branches, pieces, groups and quantifiers are the same in both
    /// languages and copied; atoms are translated.
    fn branches(&mut self) -> Result<(), String> {
        while let Some(c) = self.chars.next() {
            match c {
                '\\' => match self.escape()? {
                    Atom::Char(c) => self.out.push_str(&literal(c)),
                    Atom::Set(set) => self.out.push_str(&set.class()),
                },
                '[' => {
                    let class = self.class()?;
                    self.out.push_str(&class);
                }
                '.' => self.out.push_str(r"[^\n\r]"),
                '^' | '$' => self.out.push_str(&literal(c)),
                ']' => return Err("`]` outside a character class".to_owned()),
                '(' if self.chars.peek() == Some(&'?') => {
                    return Err("`(?` is not XSD syntax".to_owned());
                }
                c => self.out.push(c),
            }
        }
        Ok(())
    }

    /// A character class, after its `[`, up to and including its `]`.
    fn class(&mut self) -> Result<String, String> {
        let negated = self.chars.next_if_eq(&'^').is_some();
        let mut items = String::new();
        let mut subtracted = None;
        loop {
            let Some(&c) = self.chars.peek() else {
                return Err("a character class is not closed with `]`".to_owned());
            };
            match c {
                ']' if !items.is_empty() => {
                    self.chars.next();
                    break;
                }
                '-' if !items.is_empty() && self.peek_second() == Some('[') => {
                    self.chars.next();
                    self.chars.next();
                    subtracted = Some(self.class()?);
                    if self.chars.next() != Some(']') {
                        return Err("a class subtraction must end its class".to_owned());
                    }
                    break;
                }
                _ => {
                    self.chars.next();
                    let atom = if c == '\\' {
                        self.escape()?
                    } else {
                        Atom::Char(c)
                    };
                    match atom {
                        Atom::Char(start) => {
                            let ends_range =
                                matches!(self.peek_second(), Some(e) if e != '[' && e != ']');
                            if self.chars.peek() == Some(&'-') && ends_range {
                                self.chars.next();
                                let end = match self.chars.next() {
                                    Some('\\') => match self.escape()? {
                                        Atom::Char(end) => end,
                                        Atom::Set(_) => {
                                            return Err(
                                                "a range cannot end in a multi-character escape"
                                                    .to_owned(),
                                            );
                                        }
                                    },
                                    Some(end) => end,
                                    None => return Err("a range has no end".to_owned()),
                                };
                                if end < start {
                                    return Err(format!("the range {start}-{end} is reversed"));
                                }
                                items.push_str(&literal(start));
                                items.push('-');
                                items.push_str(&literal(end));
                            } else {
                                items.push_str(&literal(start));
                            }
                        }
                        Atom::Set(set) => items.push_str(&set.inside_class()),
                    }
                }
            }
        }
        let base = Set { items, negated }.class();
        Ok(match subtracted {
            Some(sub) => format!("[{base}--{sub}]"),
            None => base,
        })
    }

    fn peek_second(&self) -> Option<char> {
        let mut ahead = self.chars.clone();
        ahead.next();
        ahead.next()
    }

    /// An escape, after its backslash.
    fn escape(&mut self) -> Result<Atom, String> {
        let Some(c) = self.chars.next() else {
            return Err("the pattern ends in a lone `\\`".to_owned());
        };
        Ok(match c {
            'n' => Atom::Char('\n'),
            'r' => Atom::Char('\r'),
            't' => Atom::Char('\t'),
            '\\' | '|' | '.' | '?' | '*' | '+' | '(' | ')' | '{' | '}' | '-' | '[' | ']' | '^' => {
                Atom::Char(c)
            }
            's' => Atom::Set(Set::positive(r"\x20\t\n\r")),
            'S' => Atom::Set(Set::negative(r"\x20\t\n\r")),
            'd' => Atom::Set(Set::positive(r"\p{Nd}")),
            'D' => Atom::Set(Set::negative(r"\p{Nd}")),
            'w' => Atom::Set(Set::negative(r"\p{P}\p{Z}\p{C}")),
            'W' => Atom::Set(Set::positive(r"\p{P}\p{Z}\p{C}")),
            // Letters, `_` and `:` start an XML name; letters, digits, combining marks and
            // `.`, `-`, `_`, `:` continue one (XML 1.0 fifth edition, by category).
            'i' => Atom::Set(Set::positive(r"\p{L}\p{Nl}_:")),
            'I' => Atom::Set(Set::negative(r"\p{L}\p{Nl}_:")),
            'c' => Atom::Set(Set::positive(
                r"\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Lm}._:\-\x{B7}",
            )),
            'C' => Atom::Set(Set::negative(
                r"\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Lm}._:\-\x{B7}",
            )),
            'p' | 'P' => {
                let name = self.property_name()?;
                let mut set = property(&name)?;
                if c == 'P' {
                    set.negated = !set.negated;
                }
                Atom::Set(set)
            }
            // Not XSD 1.0's list, but what validators accept (`\$`, XSD 1.1's; `\/`): an
            // escaped punctuation character stands for itself.
            c if c.is_ascii_punctuation() => Atom::Char(c),
            other => return Err(format!("`\\{other}` is not an XSD escape")),
        })
    }

    /// The `{Name}` after `\p` or `\P`.
    fn property_name(&mut self) -> Result<String, String> {
        if self.chars.next() != Some('{') {
            return Err("`\\p` must be followed by `{`".to_owned());
        }
        let mut name = String::new();
        loop {
            match self.chars.next() {
                Some('}') => return Ok(name),
                Some(c) => name.push(c),
                None => return Err("`\\p{` is not closed with `}`".to_owned()),
            }
        }
    }
}

/// The set `\p{name}` stands for: a Unicode block (`IsBasicLatin`) or a general category
/// (`L`, `Lu`, …, which `regex` reads the same).
fn property(name: &str) -> Result<Set, String> {
    if let Some(block) = name.strip_prefix("Is") {
        let ranges =
            block_ranges(block).ok_or_else(|| format!("`\\p{{{name}}}` names no Unicode block"))?;
        let mut items = String::new();
        for &(start, end) in ranges {
            // `regex` matches `str`, which holds no surrogates: a surrogate block is empty.
            for (start, end) in without_surrogates(start, end) {
                items.push_str(&format!(r"\x{{{start:X}}}-\x{{{end:X}}}"));
            }
        }
        return Ok(Set::positive(items));
    }
    const CATEGORIES: &[&str] = &[
        "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc",
        "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Z", "Zs", "Zl", "Zp", "S", "Sm", "Sc", "Sk", "So",
        "C", "Cc", "Cf", "Co", "Cn",
    ];
    if CATEGORIES.contains(&name) {
        Ok(Set::positive(format!(r"\p{{{name}}}")))
    } else if name == "Cs" {
        Ok(Set::positive(String::new()))
    } else {
        Err(format!(
            "`\\p{{{name}}}` is neither a Unicode category nor a block (`Is…`)"
        ))
    }
}

/// The ranges of a block by its XSD name; spaces, `_` and `-` and case are not significant in
/// the lookup when the exact name is not found (Unicode's loose matching of block names).
fn block_ranges(name: &str) -> Option<&'static [(u32, u32)]> {
    if let Ok(i) = blocks::BLOCKS.binary_search_by(|(n, _)| (*n).cmp(name)) {
        return Some(blocks::BLOCKS[i].1);
    }
    let loose = |s: &str| {
        s.chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-'))
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let wanted = loose(name);
    blocks::BLOCKS
        .iter()
        .find(|(n, _)| loose(n) == wanted)
        .map(|(_, ranges)| *ranges)
}

/// `start..=end` without the surrogate code points, as zero, one or two ranges.
fn without_surrogates(start: u32, end: u32) -> Vec<(u32, u32)> {
    const LOW: u32 = 0xD800;
    const HIGH: u32 = 0xDFFF;
    let mut ranges = Vec::with_capacity(2);
    if start < LOW {
        ranges.push((start, end.min(LOW - 1)));
    }
    if end > HIGH {
        ranges.push((start.max(HIGH + 1), end));
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::translate;

    fn matches(pattern: &str, text: &str) -> bool {
        let translated = translate(pattern).unwrap();
        regex::Regex::new(&format!("^(?:{translated})$"))
            .unwrap_or_else(|e| panic!("{pattern:?} → {translated:?}: {e}"))
            .is_match(text)
    }

    #[test]
    fn anchors_are_ordinary_characters() {
        assert!(matches("^a$", "^a$"));
        assert!(!matches("^a$", "a"));
        assert!(matches("[$^]+", "$^"));
    }

    #[test]
    fn dot_excludes_only_line_ends() {
        assert!(matches("a.c", "a\tc"));
        assert!(matches("a.c", "aåc"));
        assert!(!matches("a.c", "a\nc"));
        assert!(!matches("a.c", "a\rc"));
    }

    #[test]
    fn multi_character_escapes_have_their_xsd_meanings() {
        assert!(matches(r"\s", " "));
        assert!(!matches(r"\s", "\u{A0}"), "no-break space is not XML space");
        assert!(matches(r"\S", "\u{A0}"));
        assert!(matches(r"\d+", "0١2"), "any decimal digit");
        assert!(!matches(r"\d", "²"));
        assert!(matches(r"\w+", "aÅ1+"), "`+` is a symbol, not punctuation");
        assert!(!matches(r"\w", "_"), "`_` is connector punctuation");
        assert!(!matches(r"\w", " "));
        assert!(matches(r"\W", "-"));
        assert!(matches(r"\i\c*", "_x.1-y:z"));
        assert!(!matches(r"\i", "1"));
        assert!(matches(r"[\s\d]+", " 1 "));
        assert!(matches(r"[a\w]", "b"));
        assert!(!matches(r"[a\W]", "b"));
    }

    #[test]
    fn blocks_and_categories() {
        assert!(matches(r"\p{IsBasicLatin}+", "Az~"));
        assert!(!matches(r"\p{IsBasicLatin}", "å"));
        assert!(matches(r"\P{IsBasicLatin}", "å"));
        assert!(matches(r"[\p{IsLatin-1Supplement}a]+", "åa"));
        assert!(matches(r"\p{IsGreek}", "λ"), "the XSD 1.0 name");
        assert!(matches(r"\p{IsGreekandCoptic}", "λ"));
        assert!(matches(r"\p{IsPrivateUse}", "\u{F0000}"));
        assert!(matches(r"[^\p{IsHighSurrogates}]", "a"));
        assert!(matches(r"\p{Lu}\p{Ll}", "Ab"));
        assert!(translate(r"\p{IsNoSuchBlock}").is_err());
        assert!(translate(r"\p{Xx}").is_err());
    }

    #[test]
    fn subtraction_and_negation() {
        assert!(matches("[a-z-[aeiou]]+", "bcd"));
        assert!(!matches("[a-z-[aeiou]]", "e"));
        // The negation is of `a-z` alone, then `1` is taken away.
        assert!(matches("[^a-z-[1]]", "2"));
        assert!(!matches("[^a-z-[1]]", "1"));
        assert!(!matches("[^a-z-[1]]", "q"));
        assert!(matches("[a-z-[b-y-[c]]]", "c"));
    }

    #[test]
    fn class_operators_of_regex_are_ordinary_characters() {
        assert!(matches("[a&&b]+", "a&b"));
        assert!(matches("[~~]", "~"));
        assert!(matches("[a-]+", "a-"));
        assert!(matches("[-a]+", "-a"));
        assert!(matches(r"[\-\[\]]+", "-[]"));
        assert!(matches("[+*?.(){}|]+", "+*?.(){}|"));
    }

    #[test]
    fn the_usual_patterns_still_work() {
        assert!(matches(r"[0-9]{6}-[0-9]{4}", "121212-1212"));
        assert!(matches(r"(\+|-)?\d+(\.\d{1,2})?", "-3.25"));
        assert!(matches(r"[A-Z]{2}|[a-z]{3}", "abc"));
        assert!(matches(r"\$\^\.", "$^."));
    }

    #[test]
    fn what_is_not_xsd_is_refused() {
        for bad in [r"\", r"\x41", "[a", "a]", "(?i)a", r"\p{L", "[z-a]", "[]"] {
            assert!(translate(bad).is_err(), "{bad:?} accepted");
        }
    }
}
