//! The byte-level depth scan that runs before a document is parsed, shared by the reader of
//! generated code and by `elt-codegen`'s input (which reads WSDL and XSD files in build scripts,
//! so this module needs none of the crate's runtime dependencies).
//!
//! `roxmltree` parses recursively, so a document nested deeply enough overflows the stack
//! before any limit of the parser applies; this scan finds such nesting first, in one pass.

/// Line and column (1-based; a column counts characters) of byte `offset` in `text`, clamped
/// to the text. A line ends at `\n`, `\r\n` or a lone `\r`, the line ends XML knows (XML 1.0,
/// section 2.11), so a file with classic Mac line ends is not one long line.
pub fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text.as_bytes()[..offset];
    let mut line = 1usize;
    let mut line_start = 0;
    for (i, &c) in before.iter().enumerate() {
        // `\r\n` ends its line at the `\n`.
        let ends = c == b'\n' || (c == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n'));
        if ends {
            line += 1;
            line_start = i + 1;
        }
    }
    let column = 1 + text[line_start..offset].chars().count();
    let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    (to_u32(line), to_u32(column))
}

/// The byte offset of a position `roxmltree` reports (its errors and `text_pos_at`), which
/// counts lines at `\n` only; with [`line_column`] it gives the position as XML counts it.
pub fn roxmltree_offset(text: &str, row: u32, col: u32) -> usize {
    let line_start = if row <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(row as usize - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    text[line_start..]
        .char_indices()
        .nth(col.saturating_sub(1) as usize)
        .map_or(text.len(), |(i, _)| line_start + i)
}

/// The byte offset of the first start tag nested deeper than `max_depth`, or `None`.
///
/// Comments, CDATA sections, processing instructions and declarations are skipped; a `>`
/// inside a quoted attribute value does not end its tag. An unterminated construct ends the
/// scan: the parser then reports it with its position.
pub fn deeper_than(text: &str, max_depth: usize) -> Option<usize> {
    let b = text.as_bytes();
    let find = |from: usize, pat: &[u8]| {
        b[from..]
            .windows(pat.len())
            .position(|w| w == pat)
            .map(|p| from + p + pat.len())
    };
    let mut i = 0;
    let mut depth = 0usize;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &b[i..];
        let next = if rest.starts_with(b"<!--") {
            find(i, b"-->")
        } else if rest.starts_with(b"<![CDATA[") {
            find(i, b"]]>")
        } else if rest.starts_with(b"<?") {
            find(i, b"?>")
        } else if rest.starts_with(b"<!") || rest.starts_with(b"</") {
            if rest.starts_with(b"</") {
                depth = depth.saturating_sub(1);
            }
            find(i, b">")
        } else {
            // A start tag: find its end outside quoted attribute values.
            let mut j = i + 1;
            let mut quote = None;
            while j < b.len() {
                match (quote, b[j]) {
                    (None, b'"' | b'\'') => quote = Some(b[j]),
                    (Some(q), c) if c == q => quote = None,
                    (None, b'>') => break,
                    _ => {}
                }
                j += 1;
            }
            if j < b.len() && b[j - 1] != b'/' {
                depth += 1;
                if depth > max_depth {
                    return Some(i);
                }
            }
            Some(j + 1)
        };
        match next {
            Some(n) => i = n,
            None => break,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{deeper_than, line_column, roxmltree_offset};

    #[test]
    fn lines_end_at_lf_crlf_and_a_lone_cr() {
        let text = "a\rbc\r\nd\ne\u{e5}f";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, text.find('b').unwrap()), (2, 1));
        assert_eq!(line_column(text, text.find('c').unwrap()), (2, 2));
        assert_eq!(line_column(text, text.find('d').unwrap()), (3, 1));
        // Columns count characters: `f` follows the two-byte `å`.
        assert_eq!(line_column(text, text.find('f').unwrap()), (4, 3));
        assert_eq!(line_column(text, text.len() + 9), (4, 4));
        // `roxmltree` counts lines at `\n` only: `d` is on its line 2, column 1.
        assert_eq!(roxmltree_offset(text, 2, 1), text.find('d').unwrap());
        assert_eq!(roxmltree_offset(text, 1, 3), text.find('b').unwrap());
        assert_eq!(roxmltree_offset(text, 3, 3), text.find('f').unwrap());
    }

    #[test]
    fn finds_the_first_tag_past_the_limit() {
        let doc = "<a><b><c/><c><d>x</d></c></b></a>";
        assert_eq!(deeper_than(doc, 4), None);
        assert_eq!(deeper_than(doc, 3), doc.find("<d>"));
        // Empty elements and end tags do not deepen.
        assert_eq!(deeper_than("<a><b/><b/><b/></a>", 1), None);
    }

    #[test]
    fn markup_that_is_not_a_tag_is_skipped() {
        let doc =
            "<?xml version=\"1.0\"?><!-- <x><x><x> --><a t='>'><![CDATA[<y><y>]]><?pi <z>?></a>";
        assert_eq!(deeper_than(doc, 1), None);
        assert_eq!(deeper_than("<a><b>", 1), Some(3));
        assert_eq!(deeper_than("<a><!-- unterminated", 0), Some(0));
    }
}
