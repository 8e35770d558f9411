//! Parsing one WSDL or schema document with every cap applied before the parser sees it.

use crate::error::{Error, Result};
use crate::xml::Positions;

/// Largest WSDL or schema document parsed, in bytes: the input's per-file cap, enforced again
/// here for sets built in memory with `FileSet::insert`.
pub const MAX_XML_BYTES: usize = 16 * 1024 * 1024;
/// Deepest element nesting accepted in a WSDL or schema document. Real contracts stay far
/// below; the XML parsers recurse per level, so deeper input is refused before parsing.
pub const MAX_XML_DEPTH: usize = 256;
/// Most bytes the entity references of one document may expand to (only schemas may carry a
/// DTD, for the W3C XMLDSig schema's internal subset, which declares entities it never uses).
pub const MAX_ENTITY_EXPANSION: u64 = 1024 * 1024;
/// Most nodes in one parsed document.
const MAX_XML_NODES: u32 = 2_000_000;

/// Parses one WSDL or schema document with every cap applied before the parser sees it: size,
/// nesting depth and, when a DTD is allowed, entity expansion. External entities are never
/// fetched (`roxmltree` reads nothing but the text given; a reference to one is an error).
pub(crate) fn parse_xml<'a>(
    file: &str,
    text: &'a str,
    allow_dtd: bool,
) -> Result<roxmltree::Document<'a>> {
    let at = |offset: Option<usize>, message: String| crate::error::Error::Syntax {
        location: crate::error::Location {
            file: file.to_owned(),
            position: offset.map(|o| Positions::new(text).at(o)),
        },
        message,
    };
    if text.len() > MAX_XML_BYTES {
        return Err(at(
            None,
            format!(
                "the document is {} bytes, more than the limit of {MAX_XML_BYTES} bytes; refused",
                text.len()
            ),
        ));
    }
    if let Some(offset) = elt_xml::scan::deeper_than(text, MAX_XML_DEPTH) {
        return Err(at(
            Some(offset),
            format!("elements nested deeper than {MAX_XML_DEPTH} levels; refused"),
        ));
    }
    if allow_dtd {
        entity_expansion(text, MAX_ENTITY_EXPANSION).map_err(|(o, m)| at(Some(o), m))?;
    }
    roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd,
            nodes_limit: MAX_XML_NODES,
        },
    )
    .map_err(|e| {
        let pos = e.pos();
        let position = super::Positions::new(text).of_roxmltree(pos.row, pos.col);
        Error::xml(file, position, &e)
    })
}

/// Checks the entities of a document's internal DTD subset before `roxmltree` expands them:
/// entity values must not hold markup, references must not nest deeper than `roxmltree`
/// allows, and all references in the document together must expand to at most `max` bytes
/// (this stops the billion-laughs bomb and its quadratic cousin, a large entity referenced
/// many times). Returns the offset and the reason on refusal.
fn entity_expansion(text: &str, max: u64) -> std::result::Result<(), (usize, String)> {
    let Some(doctype) = text.find("<!DOCTYPE") else {
        return Ok(());
    };
    let b = text.as_bytes();
    // Find the internal subset `[ ... ]`, skipping quoted literals.
    let mut i = doctype + "<!DOCTYPE".len();
    let mut quote = None;
    let subset_start = loop {
        let Some(&c) = b.get(i) else { return Ok(()) };
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => return Ok(()), // no internal subset: nothing is declared
            (None, b'[') => break i + 1,
            _ => {}
        }
        i += 1;
    };
    // By name, the first declaration winning (as in `roxmltree`): value and offset.
    let mut entities: std::collections::HashMap<&str, (Option<&str>, usize)> =
        std::collections::HashMap::new();
    let mut i = subset_start;
    let subset_end = loop {
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let Some(&c) = b.get(i) else { return Ok(()) }; // unterminated: the parser reports it
        if c == b']' {
            break i + 1;
        }
        let rest = &b[i..];
        let find = |pat: &[u8]| rest.windows(pat.len()).position(|w| w == pat);
        if rest.starts_with(b"<!--") {
            match find(b"-->") {
                Some(e) => i += e + 3,
                None => return Ok(()),
            }
            continue;
        }
        if c == b'%' {
            // A parameter-entity reference between declarations.
            match find(b";") {
                Some(e) => i += e + 1,
                None => return Ok(()),
            }
            continue;
        }
        if c != b'<' {
            i += 1; // not a declaration: the parser reports it
            continue;
        }
        if rest.starts_with(b"<!ENTITY") {
            let decl = i;
            let mut j = i + "<!ENTITY".len();
            let skip_ws = |j: &mut usize| {
                while b.get(*j).is_some_and(u8::is_ascii_whitespace) {
                    *j += 1;
                }
            };
            skip_ws(&mut j);
            if b.get(j) == Some(&b'%') {
                j += 1;
                skip_ws(&mut j);
            }
            let name_start = j;
            while b
                .get(j)
                .is_some_and(|c| !c.is_ascii_whitespace() && !matches!(c, b'"' | b'\'' | b'>'))
            {
                j += 1;
            }
            let name = &text[name_start..j];
            skip_ws(&mut j);
            let value = match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let start = j + 1;
                    let Some(len) = b[start..].iter().position(|&c| c == q) else {
                        return Ok(());
                    };
                    j = start + len + 1;
                    Some(&text[start..start + len])
                }
                _ => None, // SYSTEM/PUBLIC: external, never fetched; references fail to parse
            };
            if value.is_some_and(|v| v.contains('<')) {
                return Err((
                    decl,
                    format!(
                        "the DTD entity `{name}` holds markup; entities with markup are refused"
                    ),
                ));
            }
            entities.entry(name).or_insert((value, decl));
            i = j;
        }
        // Skip the rest of this declaration (or any other `<!...>`, `<?...?>`, `%pe;`).
        let mut quote = None;
        loop {
            let Some(&c) = b.get(i) else { return Ok(()) };
            i += 1;
            match (quote, c) {
                (None, b'"' | b'\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => break,
                (None, b']') => {
                    i -= 1;
                    break;
                }
                _ => {}
            }
        }
        if entities.len() > 10_000 {
            return Err((doctype, "more than 10000 DTD entities; refused".into()));
        }
    };
    if entities.is_empty() {
        return Ok(());
    }
    // Expanded size of each entity, through the references in its value.
    fn refs(text: &str) -> impl Iterator<Item = &str> {
        // Linear: a name run stops at the next `&`, so no byte is scanned twice.
        text.match_indices('&').filter_map(move |(at, _)| {
            let rest = &text[at + 1..];
            let end = rest.find(|c: char| {
                c.is_whitespace() || matches!(c, ';' | '&' | '<' | '>' | '"' | '\'')
            })?;
            let name = &rest[..end];
            (rest[end..].starts_with(';') && !name.is_empty() && !name.starts_with('#'))
                .then_some(name)
        })
    }
    /// Expanded size and nesting height (1 for an entity without references) of `name`;
    /// `depth` guards the recursion against loops while heights are not yet known.
    fn size(
        name: &str,
        entities: &std::collections::HashMap<&str, (Option<&str>, usize)>,
        memo: &mut std::collections::HashMap<String, (u64, usize)>,
        depth: usize,
    ) -> std::result::Result<(u64, usize), String> {
        if let Some(&known) = memo.get(name) {
            return Ok(known);
        }
        let Some((value, _)) = entities.get(name) else {
            return Ok((0, 0)); // predefined (`amp`, ...) or undeclared: the parser decides
        };
        if depth >= 10 {
            return Err(format!(
                "DTD entity references nest deeper than 10 levels (at `{name}`); refused"
            ));
        }
        let value = value.unwrap_or("");
        let mut total = value.len() as u64;
        let mut height = 1;
        for (i, r) in refs(value).enumerate() {
            if i >= 255 {
                return Err(format!(
                    "the DTD entity `{name}` holds more than 255 references; refused"
                ));
            }
            let (s, h) = size(r, entities, memo, depth + 1)?;
            total = total.saturating_add(s);
            height = height.max(h + 1);
        }
        if height > 10 {
            return Err(format!(
                "DTD entity references nest deeper than 10 levels (at `{name}`); refused"
            ));
        }
        memo.insert(name.to_owned(), (total, height));
        Ok((total, height))
    }
    let mut memo = std::collections::HashMap::new();
    let mut total = 0u64;
    // In document order, so the refusal named is always the same.
    let mut order: Vec<(&str, usize)> = entities.iter().map(|(n, (_, d))| (*n, *d)).collect();
    order.sort_by_key(|(_, d)| *d);
    for (name, decl) in order {
        size(name, &entities, &mut memo, 0).map_err(|m| (decl, m))?;
    }
    for r in refs(&text[subset_end..]) {
        total = total.saturating_add(memo.get(r).map_or(0, |(size, _)| *size));
        if total > max {
            return Err((
                doctype,
                format!(
                    "the DTD's entity references would expand to more than {max} bytes; refused \
                     (entity expansion is capped)"
                ),
            ));
        }
    }
    Ok(())
}

/// Parses again a text the set already read under the limits of [`parse_xml`] (a schema of the
/// contract, looked into for positions or prefixes); `None` if it does not parse. Its DTD is
/// allowed, as when it was first read, and the node limit is generous, since the text passed
/// the strict one.
pub(crate) fn reparse(text: &str) -> Option<roxmltree::Document<'_>> {
    roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            nodes_limit: 2 * MAX_XML_NODES,
        },
    )
    .ok()
}
