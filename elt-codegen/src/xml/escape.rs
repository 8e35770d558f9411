//! Escaping text for XML that the generator writes itself (namespace declarations copied into
//! inline schemas, sample documents).

/// `s` escaped for element content, or for a double-quoted attribute value when `attribute`
/// (where tabs and line ends are written as character references so they survive attribute
/// value normalisation).
pub(crate) fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_and_attribute_whitespace_are_escaped() {
        assert_eq!(super::escape("a<b&c>\"\t", false), "a&lt;b&amp;c&gt;\"\t");
        assert_eq!(super::escape("a\"\t\n\r", true), "a&quot;&#9;&#10;&#13;");
    }
}
