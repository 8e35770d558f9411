//! The byte-level depth scan that runs before a document is parsed, shared by the reader of
//! generated code and by `elt-codegen`'s input (which reads WSDL and XSD files in build scripts,
//! so this module needs none of the crate's runtime dependencies).
//!
//! `roxmltree` parses recursively, so a document nested deeply enough overflows the stack
//! before any limit of the parser applies; this scan finds such nesting first, in one pass.

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
    use super::deeper_than;

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
