//! Hostile and broken documents through the reader: each ends in an error with its place, or
//! parses, quickly and within the caps; none panics or fetches anything.

use std::time::{Duration, Instant};

use elt_xml::encoding::{Children, text_content};
use elt_xml::{
    Date, DateTime, Node, ParseLimits, RootElement, Time, Writer, XmlContent, XmlError, XmlValue,
    parse_document,
};

/// A small type in the manner of the generated code: `<Msg xmlns="urn:test"><text/></Msg>`.
#[derive(Debug, PartialEq)]
struct Msg {
    text: String,
}

impl XmlContent for Msg {
    fn write_content(&self, w: &mut Writer) -> Result<(), XmlError> {
        w.element(Some("urn:test"), "text", &self.text)
    }
    fn read_content(node: Node<'_, '_>) -> Result<Self, XmlError> {
        let mut c = Children::new(node)?;
        let text = c.required(Some("urn:test"), "text")?;
        c.finish()?;
        Ok(Self { text })
    }
}

const MSG: RootElement<Msg> = RootElement::new(Some("urn:test"), "Msg");

fn quick<T>(f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let r = f();
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    r
}

#[test]
fn not_well_formed_documents_give_line_and_column() {
    for (doc, line) in [
        ("<Msg xmlns=\"urn:test\">\n  <text>a</text>\n</Mgs>", 3),
        // roxmltree places an unclosed root at its start.
        ("<Msg xmlns=\"urn:test\">\n<text>a</text>", 1),
        ("<Msg xmlns=\"urn:test\">\n\n  <text a=1>a</text></Msg>", 3),
        ("<Msg xmlns=\"urn:test\"><text>&bogus;</text></Msg>", 1),
        ("<p:Msg/>", 1),
        ("<Msg/><Msg/>", 1),
        ("", 1),
        ("just text", 1),
        ("<Msg>\u{0}</Msg>", 1),
    ] {
        let e = MSG.from_xml(doc).unwrap_err();
        let (l, c) = e
            .position
            .unwrap_or_else(|| panic!("{doc:?}: no position: {e}"));
        assert_eq!(l, line, "{doc:?}: {e}");
        assert!(c >= 1);
        assert!(e.to_string().contains("not well-formed"), "{doc:?}: {e}");
    }
}

#[test]
fn billion_laughs_is_refused_before_any_expansion() {
    let mut dtd = String::from("<!ENTITY lol \"lol\">");
    for i in 1..=9 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        dtd.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    let doc = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE Msg [{dtd}]>\n<Msg xmlns=\"urn:test\"><text>&lol9;</text></Msg>"
    );
    let e = quick(|| MSG.from_xml(&doc).unwrap_err());
    assert!(e.to_string().contains("DTD"), "{e}");
    assert!(e.position.is_some(), "{e}");
}

#[test]
fn external_entities_and_dtds_are_never_fetched() {
    let dir = std::env::temp_dir().join(format!("elt-xml-xxe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let secret = dir.join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET-MARKER").unwrap();
    let url = format!("file://{}", secret.display());
    for doc in [
        format!(
            "<!DOCTYPE Msg [<!ENTITY xxe SYSTEM \"{url}\">]><Msg xmlns=\"urn:test\"><text>&xxe;</text></Msg>"
        ),
        format!("<!DOCTYPE Msg SYSTEM \"{url}\"><Msg xmlns=\"urn:test\"><text>a</text></Msg>"),
        format!(
            "<!DOCTYPE Msg [<!ENTITY % pe SYSTEM \"{url}\"> %pe;]><Msg xmlns=\"urn:test\"><text>a</text></Msg>"
        ),
    ] {
        let e = MSG.from_xml(&doc).unwrap_err();
        assert!(!e.to_string().contains("TOP-SECRET"), "{e}");
        assert!(e.to_string().contains("DTD"), "{doc}: {e}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ten_thousand_deep_nesting_is_refused_with_its_place() {
    let deep = format!(
        "<Msg xmlns=\"urn:test\">\n<text>a</text>\n{}{}</Msg>",
        "<x>".repeat(10_000),
        "</x>".repeat(10_000)
    );
    // On a small stack: the refusal must not recurse per level either.
    let e = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || MSG.from_xml(&deep).unwrap_err())
        .unwrap()
        .join()
        .unwrap();
    assert!(e.to_string().contains("nested deeper than 256"), "{e}");
    // Line 3, at the start tag that went past the limit (255 `<x>` further in).
    assert_eq!(e.position, Some((3, 1 + 255 * 3)), "{e}");
    // Exactly at the limit still parses.
    let ok = format!("{}{}", "<x>".repeat(256), "</x>".repeat(256));
    assert!(parse_document(&ok, ParseLimits::default()).is_ok());
    let over = format!("{}{}", "<x>".repeat(257), "</x>".repeat(257));
    assert!(parse_document(&over, ParseLimits::default()).is_err());
}

#[test]
fn hundred_megabyte_text_node_is_refused_by_the_size_cap_or_read_linearly() {
    let mut doc = String::with_capacity(100 * 1024 * 1024 + 100);
    doc.push_str("<Msg xmlns=\"urn:test\"><text>");
    doc.extend(std::iter::repeat_n('x', 100 * 1024 * 1024));
    doc.push_str("</text></Msg>");
    let e = quick(|| MSG.from_xml(&doc).unwrap_err());
    assert!(
        e.to_string()
            .contains("exceeds the limit of 67108864 bytes"),
        "{e}"
    );
    // With the cap raised on purpose, the same document reads in linear time.
    let limits = ParseLimits {
        max_bytes: 200 * 1024 * 1024,
        ..ParseLimits::default()
    };
    let text = quick(|| {
        let d = parse_document(&doc, limits).unwrap();
        let msg = d.root_element().first_element_child().unwrap();
        text_content(msg).unwrap().len()
    });
    assert_eq!(text, 100 * 1024 * 1024);
}

#[test]
fn too_many_nodes_is_refused() {
    let doc = format!("<a>{}</a>", "<b/>".repeat(50_000));
    let limits = ParseLimits {
        max_nodes: 10_000,
        ..ParseLimits::default()
    };
    let e = parse_document(&doc, limits).unwrap_err();
    assert!(e.to_string().contains("not well-formed"), "{e}");
}

#[test]
fn bytes_that_are_not_utf8_are_refused() {
    let e = MSG
        .from_xml_bytes(b"<Msg xmlns=\"urn:test\"><text>\xff</text></Msg>")
        .unwrap_err();
    assert!(e.to_string().contains("not UTF-8"), "{e}");
    // A BOM is accepted.
    let ok = MSG
        .from_xml_bytes("\u{feff}<Msg xmlns=\"urn:test\"><text>a</text></Msg>".as_bytes())
        .unwrap();
    assert_eq!(ok.text, "a");
}

#[test]
fn truncations_of_a_valid_document_never_panic() {
    let doc = "<?xml version=\"1.0\"?><!-- c --><Msg xmlns=\"urn:test\" a='1'><text><![CDATA[x<y]]>&amp;&#65;</text></Msg>";
    assert_eq!(MSG.from_xml(doc).unwrap().text, "x<y&A");
    for end in 0..doc.len() {
        if doc.is_char_boundary(end) {
            assert!(MSG.from_xml(&doc[..end]).is_err(), "{}", &doc[..end]);
        }
    }
}

/// Found by the `elt_deserialize` fuzzer: a date whose sixth byte from the end falls inside a
/// character made the timezone split panic.
#[test]
fn date_and_time_values_with_characters_near_the_end_are_errors() {
    for text in [
        "2023-12-02\tml version.\u{136}p\u{136}p.",
        "2023-12-02\u{136}:00",
        "2023-12-02+\u{136}:00",
        "\u{136}\u{136}\u{136}\u{136}",
        "2023-12-02T10:00:00\u{1F600}",
    ] {
        assert!(Date::from_xml_text(text).is_err(), "{text:?}");
        assert!(DateTime::from_xml_text(text).is_err(), "{text:?}");
        assert!(Time::from_xml_text(text).is_err(), "{text:?}");
    }
    assert!(Date::from_xml_text("2023-12-02+01:00").is_ok());
}

#[test]
fn places_count_lines_at_a_lone_carriage_return() {
    // Classic Mac line ends: the errors are on the lines an editor shows, not on line 1.
    let e = parse_document("<a>\r<b>\r</a>", ParseLimits::default()).unwrap_err();
    assert_eq!(e.position.map(|p| p.0), Some(3), "{e}");
    let e = MSG
        .from_xml("<Msg xmlns=\"urn:test\">\r\r  <other/>\r</Msg>")
        .unwrap_err();
    assert_eq!(e.position, Some((3, 3)), "{e}");
}
