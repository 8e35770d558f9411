//! Line and column lookups for parsed documents.

/// Line and column (1-based) lookups in one parsed document, for errors and source positions.
///
/// The line starts are found once, so each lookup is a binary search plus a count of the
/// characters before it on its line. (`roxmltree`'s `text_pos_at` rescans the text from its
/// start on every call; the checks record a position for every declaration and reference, so
/// that was quadratic in a schema's size.) Lines and columns are counted as `roxmltree` counts
/// them: a line ends at `\n`, and a column counts characters, not bytes.
pub(crate) struct Positions<'a> {
    text: &'a str,
    /// Byte offset of the start of every line after the first.
    line_starts: Vec<usize>,
}

impl<'a> Positions<'a> {
    /// Indexes the lines of `text`, the text a document was parsed from.
    pub(crate) fn new(text: &'a str) -> Self {
        let line_starts = text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i + 1)
            .collect();
        Positions { text, line_starts }
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
        // without a break, and a node on the last line.
        let text = "<?xml version=\"1.0\"?>\r\n<a>\n  <b x=\"å\"/><c>ö</c>\r\n\n\t<d><!-- é --><e/></d></a>";
        let doc = roxmltree::Document::parse(text).unwrap();
        let positions = Positions::new(text);
        let mut checked = 0;
        for node in doc.descendants() {
            let want = doc.text_pos_at(node.range().start);
            assert_eq!(positions.of(node), (want.row, want.col), "{node:?}");
            checked += 1;
        }
        assert!(checked >= 8);
        let end = doc.text_pos_at(text.len());
        assert_eq!(positions.at(text.len() + 5), (end.row, end.col));
    }
}
