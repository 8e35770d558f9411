//! Line and column lookups for parsed documents.

/// Line and column (1-based) lookups in one parsed document, for errors and source positions.
///
/// The line starts are found once, so each lookup is a binary search plus a count of the
/// characters before it on its line. (`roxmltree`'s `text_pos_at` rescans the text from its
/// start on every call; the checks record a position for every declaration and reference, so
/// that was quadratic in a schema's size.) A line ends at `\n`, `\r\n` or a lone `\r`, the line
/// ends XML knows (section 2.11): schemas published with classic Mac line ends, as the agency's
/// time report schema is, would otherwise be one long line. A column counts characters, not
/// bytes. (`elt_xml::scan::line_column` counts the same way for one lookup; this is its index
/// for many.)
pub(crate) struct Positions<'a> {
    text: &'a str,
    /// Byte offset of the start of every line after the first.
    line_starts: Vec<usize>,
}

impl<'a> Positions<'a> {
    /// Indexes the lines of `text`, the text a document was parsed from.
    pub(crate) fn new(text: &'a str) -> Self {
        let b = text.as_bytes();
        let mut line_starts = Vec::new();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\r' if b.get(i + 1) == Some(&b'\n') => {
                    line_starts.push(i + 2);
                    i += 1;
                }
                b'\r' | b'\n' => line_starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        Positions { text, line_starts }
    }

    /// Line and column of a position `roxmltree` reports (its errors), which counts lines at
    /// `\n` only, recounted as [`Positions`] counts them.
    pub(crate) fn of_roxmltree(&self, row: u32, col: u32) -> (u32, u32) {
        self.at(elt_xml::scan::roxmltree_offset(self.text, row, col))
    }

    /// Line and column of a node's start.
    pub(crate) fn of(&self, node: roxmltree::Node<'_, '_>) -> (u32, u32) {
        self.at(node.range().start)
    }

    /// Line and column of a byte offset (clamped to the text).
    pub(crate) fn at(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        // Lines that start at or before the offset, after the first one.
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = if line == 0 {
            0
        } else {
            self.line_starts[line - 1]
        };
        let col = 1 + String::from_utf8_lossy(&self.text.as_bytes()[start..offset])
            .chars()
            .count();
        (
            u32::try_from(line + 1).unwrap_or(u32::MAX),
            u32::try_from(col).unwrap_or(u32::MAX),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_agree_with_roxmltree_on_every_node() {
        // Multi-byte characters before a node on its line, CRLF and LF line ends, a first line
        // without a break, and a node on the last line. (Without lone CRs, `roxmltree` counts
        // as we do.)
        let text = "<?xml version=\"1.0\"?>\r\n<a>\n  <b x=\"å\"/><c>ö</c>\r\n\n\t<d><!-- é --><e/></d></a>";
        let doc = roxmltree::Document::parse(text).unwrap();
        let positions = Positions::new(text);
        let mut checked = 0;
        for node in doc.descendants() {
            let want = doc.text_pos_at(node.range().start);
            assert_eq!(positions.of(node), (want.row, want.col), "{node:?}");
            assert_eq!(
                positions.of_roxmltree(want.row, want.col),
                (want.row, want.col)
            );
            checked += 1;
        }
        assert!(checked >= 8);
        let end = doc.text_pos_at(text.len());
        assert_eq!(positions.at(text.len() + 5), (end.row, end.col));
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "<?xml version=\"1.0\"?>\r<a>\r  <b/>\r\n<c/>\n<d/></a>";
        let doc = roxmltree::Document::parse(text).unwrap();
        let positions = Positions::new(text);
        let at = |name: &str| {
            let node = doc.descendants().find(|n| n.has_tag_name(name)).unwrap();
            positions.of(node)
        };
        assert_eq!(at("a"), (2, 1));
        assert_eq!(at("b"), (3, 3));
        assert_eq!(at("c"), (4, 1));
        assert_eq!(at("d"), (5, 1));
        // `roxmltree` puts `<b>` on its line 1; recounted, it is on line 3.
        let want = doc.text_pos_at(
            doc.descendants()
                .find(|n| n.has_tag_name("b"))
                .unwrap()
                .range()
                .start,
        );
        assert_eq!(want.row, 1);
        assert_eq!(positions.of_roxmltree(want.row, want.col), (3, 3));
        // The runtime's one-off count agrees at every character.
        for (offset, _) in text.char_indices() {
            assert_eq!(
                positions.at(offset),
                elt_xml::scan::line_column(text, offset),
                "{offset}"
            );
        }
    }
}
