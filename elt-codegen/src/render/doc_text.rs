//! Documentation text taken from schemas and WSDLs, made safe for rustdoc's Markdown.
//!
//! `xs:documentation` is prose written for people reading a schema, not Markdown: brackets would
//! become intra-doc links, `<...>` HTML tags, a fenced block a doctest that rustdoc compiles,
//! and a bare URL draws a `rustdoc::bare_urls` warning. Generated crates must document with
//! `RUSTDOCFLAGS="-D warnings"`, so every character with a Markdown meaning is escaped and URLs
//! become autolinks. Lines the generator writes itself are Markdown already and are not escaped.

use proc_macro2::TokenStream;
use quote::quote;

/// Doc attributes: the documentation taken from a schema (escaped, one attribute per line,
/// surrounding blank lines dropped), then the generator's own lines (Markdown, as they are).
pub(super) fn doc_attrs(schema: &[String], own: &[String]) -> TokenStream {
    let text = schema
        .iter()
        .flat_map(|d| d.lines())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n");
    let mut lines: Vec<String> = text.trim().lines().map(escape_line).collect();
    if !lines.is_empty() && !own.is_empty() {
        // Keep the generator's sentence a paragraph of its own.
        lines.push(String::new());
    }
    lines.extend(own.iter().cloned());
    let attrs = lines.iter().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#attrs)*)
}

/// One trimmed line of schema prose as Markdown text that renders as the same characters.
pub(super) fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    // A line that would open a block: a list item, a setext underline, a heading or a quote.
    // CommonMark escapes only punctuation, so `1.` becomes `1\.` rather than `\1.`.
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && matches!(rest.as_bytes().get(digits), Some(b'.' | b')')) {
        out.push_str(&rest[..digits]);
        out.push('\\');
        out.push_str(&rest[digits..=digits]);
        rest = &rest[digits + 1..];
    } else if rest.starts_with(['-', '+', '=', '#', '>']) {
        out.push('\\');
        out.push_str(&rest[..1]);
        rest = &rest[1..];
    }
    while !rest.is_empty() {
        if let Some(len) = url_len(rest) {
            out.push('<');
            out.push_str(&rest[..len]);
            out.push('>');
            rest = &rest[len..];
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        if is_markdown_punctuation(c) {
            out.push('\\');
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Characters with an inline meaning in rustdoc's Markdown wherever they stand: emphasis,
/// code spans and fences, links, HTML tags, entities, strikethrough and escapes.
fn is_markdown_punctuation(c: char) -> bool {
    matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '&' | '~')
}

/// The length of an `http://` or `https://` URL at the start of `s`: up to whitespace or a
/// character an autolink may not hold, without trailing sentence punctuation.
fn url_len(s: &str) -> Option<usize> {
    let scheme = ["https://", "http://"].into_iter().find(|p| {
        s.get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p))
    })?;
    let end = s
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | '\'' | '[' | ']'))
        .unwrap_or(s.len());
    let url = s[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '(']);
    (url.len() > scheme.len()).then_some(url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_become_autolinks_without_trailing_punctuation() {
        assert_eq!(
            escape_line("See http://www.w3.org/TR/xmlschema-2/, or HTTPS://example.org."),
            "See <http://www.w3.org/TR/xmlschema-2/>, or <HTTPS://example.org>."
        );
        assert_eq!(escape_line("http:// alone"), "http:// alone");
        assert_eq!(escape_line("vitto på"), "vitto på");
    }

    #[test]
    fn inline_markdown_is_escaped() {
        assert_eq!(
            escape_line("a [link] <b>tag</b> `code` *em* _u_ &amp; ~~s~~ a|b -> c"),
            "a \\[link\\] \\<b>tag\\</b> \\`code\\` \\*em\\* \\_u\\_ \\&amp; \\~\\~s\\~\\~ a|b -> c"
        );
    }

    #[test]
    fn block_starts_are_escaped() {
        assert_eq!(escape_line("- item"), "\\- item");
        assert_eq!(escape_line("+ item"), "\\+ item");
        assert_eq!(escape_line("==="), "\\===");
        assert_eq!(escape_line("# Heading"), "\\# Heading");
        assert_eq!(escape_line("> quote"), "\\> quote");
        assert_eq!(escape_line("```rust"), "\\`\\`\\`rust");
        assert_eq!(escape_line("1. first"), "1\\. first");
        assert_eq!(escape_line("12) second"), "12\\) second");
        assert_eq!(escape_line("a - b"), "a - b");
    }

    #[test]
    fn schema_lines_are_escaped_and_own_lines_kept() {
        let tokens = doc_attrs(
            &["  Value <b>\n\n   see https://example.org  ".to_owned()],
            &["The element `x`.".to_owned()],
        )
        .to_string();
        assert!(tokens.contains(r#"" Value \\<b>""#), "{tokens}");
        assert!(
            tokens.contains(r#"" see <https://example.org>""#),
            "{tokens}"
        );
        assert!(tokens.contains(r#"" The element `x`.""#), "{tokens}");
    }
}
