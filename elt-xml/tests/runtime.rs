//! The runtime on its own: namespaces on the wire, reading errors, values and facets.

use elt_xml::encoding::Children;
use elt_xml::{
    AnyElement, Base64Binary, Date, DateTime, Decimal, Facets, HexBinary, NamespaceConstraint,
    Restricted, Restriction, WhiteSpace, Writer, XmlContent, XmlError, XmlValue, parse_document,
};

#[test]
fn writer_declares_each_namespace_once_on_the_root() {
    let mut w = Writer::new();
    w.prefer_prefixes(&[("urn:a", "a"), ("urn:b", "b")]);
    w.start_element(Some("urn:a"), "root");
    w.start_element(Some("urn:a"), "same");
    w.text("x & <y>");
    w.end_element();
    w.start_element(None, "local");
    w.end_element();
    w.start_element(Some("urn:b"), "other");
    w.attribute(
        Some("http://www.w3.org/2005/05/xmlmime"),
        "contentType",
        "text/xml",
    );
    w.attribute(Some("urn:c"), "q", "\"1\"");
    w.end_element();
    w.start_element(Some("urn:b"), "other");
    w.attribute(Some("urn:c"), "q", "2");
    w.end_element();
    w.end_element();
    assert_eq!(
        w.finish(),
        r#"<a:root xmlns:a="urn:a" xmlns:b="urn:b" xmlns:xmime="http://www.w3.org/2005/05/xmlmime" xmlns:ns1="urn:c"><a:same>x &amp; &lt;y&gt;</a:same><local/><b:other xmime:contentType="text/xml" ns1:q="&quot;1&quot;"/><b:other ns1:q="2"/></a:root>"#
    );
}

/// Unqualified elements stay in no namespace below qualified ones (no default namespace is
/// ever in scope), and a prefix two namespaces want goes to the first that needs it.
#[test]
fn writer_keeps_unqualified_children_and_separates_clashing_prefixes() {
    let mut w = Writer::new();
    w.prefer_prefixes(&[("urn:one", "p")]);
    w.prefer_prefixes(&[("urn:two", "p"), ("urn:one", "q")]);
    w.start_element(Some("urn:one"), "order");
    w.start_element(None, "note");
    w.start_element(Some("urn:two"), "extra");
    w.start_element(None, "line");
    w.text("1");
    w.end_element();
    w.end_element();
    w.end_element();
    w.end_element();
    let xml = w.finish();
    assert_eq!(
        xml,
        r#"<p:order xmlns:p="urn:one" xmlns:ns1="urn:two"><note><ns1:extra><line>1</line></ns1:extra></note></p:order>"#
    );
    let doc = parse_document(&xml, Default::default()).unwrap();
    let names: Vec<(Option<&str>, &str)> = doc
        .descendants()
        .filter(|n| n.is_element())
        .map(|n| (n.tag_name().namespace(), n.tag_name().name()))
        .collect();
    assert_eq!(
        names,
        [
            (Some("urn:one"), "order"),
            (None, "note"),
            (Some("urn:two"), "extra"),
            (None, "line")
        ]
    );
}

/// `xsi:type` values get a prefix in scope; prefixes kept from `xs:any` content are declared
/// where they were, and the writer's own prefixes step aside for them.
#[test]
fn qname_values_and_kept_prefixes_stay_in_scope() {
    let mut w = Writer::new();
    w.prefer_prefixes(&[("urn:a", "a"), ("urn:t", "t")]);
    w.start_element(Some("urn:a"), "root");
    w.start_element(Some("urn:a"), "item");
    w.xsi_type(Some("urn:t"), "Derived").unwrap();
    w.end_element();
    let mut kept = AnyElement::new(Some("urn:a"), "kept");
    // The source bound `a` to another namespace here, and a QName value uses it.
    kept.namespaces = vec![("a".to_owned(), "urn:other".to_owned())];
    kept.attributes = vec![(None, "ref".to_owned(), "a:Thing".to_owned())];
    w.any(&kept);
    w.end_element();
    let xml = w.finish();
    assert_eq!(
        xml,
        r#"<a:root xmlns:a="urn:a" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:t="urn:t" xmlns:ns1="urn:a"><a:item xsi:type="t:Derived"/><ns1:kept xmlns:a="urn:other" ref="a:Thing"/></a:root>"#
    );
    let doc = parse_document(&xml, Default::default()).unwrap();
    let kept = doc.root_element().last_element_child().unwrap();
    assert_eq!(kept.tag_name().namespace(), Some("urn:a"));
    assert_eq!(kept.lookup_namespace_uri(Some("a")), Some("urn:other"));
}

/// Several top-level elements (SOAP header blocks) each carry their own declarations.
#[test]
fn each_top_level_element_declares_what_it_uses() {
    let mut w = Writer::new();
    for _ in 0..2 {
        w.start_element(Some("urn:h"), "h");
        w.end_element();
    }
    assert_eq!(
        w.finish(),
        r#"<ns1:h xmlns:ns1="urn:h"/><ns1:h xmlns:ns1="urn:h"/>"#
    );
}

/// An unqualified child of a default-namespaced element (`<local xmlns=""/>`, as the writer
/// puts it) is read back as in no namespace, by children and by root elements.
#[test]
fn elements_taken_out_of_a_default_namespace_are_unqualified() {
    let doc = parse_document(
        r#"<root xmlns="urn:a"><local xmlns="">x</local></root>"#,
        Default::default(),
    )
    .unwrap();
    let mut c = Children::new(doc.root_element()).unwrap();
    assert!(c.is_next(None, "local"));
    assert_eq!(c.required::<String>(None, "local").unwrap(), "x");
    c.finish().unwrap();
    let local = doc.root_element().first_element_child().unwrap();
    assert_eq!(
        elt_xml::RootElement::<String>::new(None, "local")
            .read(local)
            .unwrap(),
        "x"
    );
}

#[test]
fn reader_reports_path_line_and_column() {
    let doc = parse_document(
        "<a xmlns='urn:a'>\n  <b/>\n  <c/>\n</a>",
        Default::default(),
    )
    .unwrap();
    let mut c = Children::new(doc.root_element()).unwrap();
    let e: XmlError = c.required::<String>(Some("urn:a"), "x").unwrap_err();
    assert_eq!(e.path, "/a/b");
    assert_eq!(e.position, Some((2, 3)));
    assert!(e.to_string().contains("expected element {urn:a}x"), "{e}");
}

#[test]
fn text_in_element_only_content_is_refused() {
    let doc = parse_document("<a>text<b/></a>", Default::default()).unwrap();
    let e = Children::new(doc.root_element()).unwrap_err().to_string();
    assert!(e.contains("text") && e.contains("\"text\""), "{e}");
}

#[test]
fn dtds_and_deep_nesting_are_refused() {
    let bomb = r#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxx"><!ENTITY y "&x;&x;&x;&x;">]><a>&y;</a>"#;
    let e = parse_document(bomb, Default::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("DTD"), "{e}");
    let deep = "<a>".repeat(10_000) + &"</a>".repeat(10_000);
    let e = parse_document(&deep, Default::default()).unwrap_err();
    assert!(e.to_string().contains("nested"), "{e}");
}

#[test]
fn values_have_xsd_lexical_forms() {
    assert!(bool::from_xml_text("1").unwrap());
    assert!(bool::from_xml_text("yes").is_err());
    assert_eq!(i64::from_xml_text(" +42 ").unwrap(), 42);
    let d = Date::from_xml_text("2026-11-27+01:00").unwrap();
    assert_eq!(d.to_xml_text(), "2026-11-27+01:00");
    assert!(Date::from_xml_text("2026-13-01").is_err());
    assert!(Date::from_xml_text("27/11/2026").is_err());
    let b = Base64Binary::from_xml_text("PHgv\nPg==").unwrap();
    assert_eq!(b.0, b"<x/>");
    assert!(Base64Binary::from_xml_text("***").is_err());
    // hexBinary is written back in the case it was read in (digests come in lower case);
    // values built in code are written in the canonical upper case; equality is of the bytes.
    let lower = HexBinary::from_xml_text("0a1bff").unwrap();
    assert_eq!(&*lower, [0x0a, 0x1b, 0xff]);
    assert_eq!(lower.to_xml_text(), "0a1bff");
    assert_eq!(
        HexBinary::from_xml_text("0A1BFF").unwrap().to_xml_text(),
        "0A1BFF"
    );
    assert_eq!(
        HexBinary::from(vec![0x0a, 0x1b, 0xff]).to_xml_text(),
        "0A1BFF"
    );
    assert_eq!(lower, HexBinary::new(vec![0x0a, 0x1b, 0xff]));
    assert_eq!(
        HexBinary::from_xml_text("0a1BfF").unwrap().to_xml_text(),
        "0A1BFF"
    );
    assert!(HexBinary::from_xml_text("0g").is_err());
    assert!(HexBinary::from_xml_text("abc").is_err());
    let x: Decimal = "-1.50".parse().unwrap();
    let y: Decimal = "-1.5".parse().unwrap();
    assert_eq!(x.partial_cmp(&y), Some(std::cmp::Ordering::Equal));
    assert!("1.2.3".parse::<Decimal>().is_err());
}

enum Millis {}
impl Restriction<DateTime> for Millis {
    const TYPE_NAME: &'static str = "Millis";
    const FACETS: Facets = Facets {
        patterns: &[r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d.\d{3}"],
        ..Facets::NONE
    };
}

/// The digits of a seconds fraction are written back as they were read: a pattern facet on
/// the lexical form (three digits, say) holds for what is written, and a round trip keeps the
/// text; equality is by the time named.
#[test]
fn date_times_and_times_keep_their_fraction_digits() {
    use elt_xml::Time;
    for text in [
        "2024-01-31T12:00:00.000",
        "2024-01-31T12:00:00.5",
        "2024-01-31T12:00:00.120Z",
        "2024-01-31T12:00:00.123456789+01:00",
        "2024-01-31T12:00:00",
    ] {
        assert_eq!(DateTime::from_xml_text(text).unwrap().to_xml_text(), text);
    }
    // The value holds nanoseconds: digits past the ninth are written back as zeros.
    assert_eq!(
        DateTime::from_xml_text("2024-01-31T12:00:00.123456789012")
            .unwrap()
            .to_xml_text(),
        "2024-01-31T12:00:00.123456789000"
    );
    assert_eq!(
        Time::from_xml_text("08:30:00.00").unwrap().to_xml_text(),
        "08:30:00.00"
    );
    assert_eq!(
        DateTime::from_xml_text("2024-01-31T12:00:00.000").unwrap(),
        DateTime::from_xml_text("2024-01-31T12:00:00").unwrap()
    );
    type M = Restricted<DateTime, Millis>;
    let read = M::from_xml_text("2024-01-31T12:00:00.000").unwrap();
    assert_eq!(read.to_xml_text(), "2024-01-31T12:00:00.000");
    assert!(M::from_xml_text("2024-01-31T12:00:00").is_err());
    // Built from a value with no digits recorded, the shortest form is written.
    let built = DateTime::new(read.value);
    assert_eq!(built.to_xml_text(), "2024-01-31T12:00:00");
    let json = serde_json::to_string(&read).unwrap();
    assert_eq!(json, "\"2024-01-31T12:00:00.000\"");
}

enum Token4 {}
impl Restriction<String> for Token4 {
    const TYPE_NAME: &'static str = "Token4";
    const FACETS: Facets = Facets {
        patterns: &[r"\d{4}"],
        white_space: WhiteSpace::Collapse,
        ..Facets::NONE
    };
}

enum Small {}
impl Restriction<i64> for Small {
    const TYPE_NAME: &'static str = "Small";
    const FACETS: Facets = Facets {
        min_exclusive: Some("0"),
        max_inclusive: Some("9"),
        ..Facets::NONE
    };
}

#[test]
fn facets_are_checked_on_build_read_and_deserialize() {
    type T4 = Restricted<String, Token4>;
    assert!(T4::new("1234").is_ok());
    for short_or_long in ["123", "12345"] {
        // Patterns are anchored: 12345 holds \d{4} but is not one.
        let e = T4::new(short_or_long).unwrap_err().to_string();
        assert!(e.contains("pattern") && e.contains(short_or_long), "{e}");
    }
    // Reading collapses whitespace first, as xs:token does.
    assert_eq!(T4::from_xml_text("  1234 ").unwrap().get(), "1234");
    let e = serde_json::from_str::<T4>("\"12\"")
        .unwrap_err()
        .to_string();
    assert!(e.contains("pattern"), "{e}");
    type S = Restricted<i64, Small>;
    assert!(S::new(0).is_err() && S::new(1).is_ok() && S::new(9).is_ok() && S::new(10).is_err());
    let e = S::new(10).unwrap_err().to_string();
    assert!(e.contains("Small") && e.contains("<= 9"), "{e}");
}

#[test]
fn any_elements_keep_namespaces_and_prefixes() {
    let xml = r#"<r xmlns="urn:r"><x:e xmlns:x="urn:x" xmlns:q="urn:q" a="1" x:b="2">t<x:f q:v="q:name"/></x:e></r>"#;
    let doc = parse_document(xml, Default::default()).unwrap();
    let mut c = Children::new(doc.root_element()).unwrap();
    let any = c
        .any(&NamespaceConstraint::Other, Some("urn:r"), 0, None)
        .unwrap();
    c.finish().unwrap();
    assert_eq!(any.len(), 1);
    let mut w = Writer::new();
    w.start_element(Some("urn:r"), "r");
    w.any_all(&any);
    w.end_element();
    let out = w.finish();
    let doc2 = parse_document(&out, Default::default()).unwrap();
    let mut c2 = Children::new(doc2.root_element()).unwrap();
    let again: Vec<AnyElement> = c2
        .any(&NamespaceConstraint::Other, Some("urn:r"), 0, None)
        .unwrap();
    assert_eq!(again[0].namespace, any[0].namespace);
    assert_eq!(again[0].attributes, any[0].attributes);
    assert_eq!(again[0].children, any[0].children);
    assert!(
        out.contains("xmlns:q=\"urn:q\""),
        "prefix declarations kept for QName values: {out}"
    );
}

#[test]
fn string_content_round_trips() {
    let doc = parse_document("<a>x &amp; y</a>", Default::default()).unwrap();
    assert_eq!(String::read_content(doc.root_element()).unwrap(), "x & y");
}

/// An element copied by `xs:any` leaves its document: the prefixes declared around it that
/// QName values in it use (here `q`, in an attribute value) come with it, so that those values
/// still resolve when it is written on its own; prefixes used only in names (`p`) do not, and
/// its inner elements carry their own declarations (`r`, used in a text).
#[test]
fn any_element_keeps_the_prefixes_declared_around_it() {
    let source = r#"<o xmlns:p="urn:p" xmlns:q="urn:q"><p:a q:t="q:T"><p:b xmlns:r="urn:r">r:V</p:b></p:a></o>"#;
    let doc = parse_document(source, elt_xml::ParseLimits::default()).unwrap();
    let a = doc.root_element().first_element_child().unwrap();
    let copied = AnyElement::from_node(a);
    let own = |e: &AnyElement| {
        let mut v: Vec<(String, String)> = e.namespaces.clone();
        v.sort();
        v
    };
    assert_eq!(own(&copied), [("q".to_owned(), "urn:q".to_owned())]);
    let elt_xml::AnyNode::Element(b) = &copied.children[0] else {
        panic!("expected an element child")
    };
    assert_eq!(own(b), [("r".to_owned(), "urn:r".to_owned())]);

    let mut w = Writer::new();
    w.any(&copied);
    let xml = w.finish();
    let again = parse_document(&xml, elt_xml::ParseLimits::default()).unwrap();
    let a2 = again.root_element();
    assert_eq!(a2.lookup_namespace_uri(Some("q")), Some("urn:q"), "{xml}");
    let b2 = a2.first_element_child().unwrap();
    assert_eq!(b2.lookup_namespace_uri(Some("r")), Some("urn:r"), "{xml}");
    assert_eq!(b2.text(), Some("r:V"));
    // Reading the written element again gives the same copy.
    assert_eq!(AnyElement::from_node(a2), copied, "{xml}");
}

enum ZeroOrOne {}
impl Restriction<bool> for ZeroOrOne {
    const TYPE_NAME: &'static str = "mustUnderstand";
    const FACETS: Facets = Facets {
        patterns: &["0|1"],
        white_space: WhiteSpace::Collapse,
        ..Facets::NONE
    };
}

enum TwoDigits {}
impl Restriction<i32> for TwoDigits {
    const TYPE_NAME: &'static str = "TwoDigits";
    const FACETS: Facets = Facets {
        patterns: &[r"\d{2}"],
        white_space: WhiteSpace::Collapse,
        ..Facets::NONE
    };
}

/// A pattern constrains the lexical form, as the validator reads it: SOAP 1.1's
/// `mustUnderstand` is an `xs:boolean` restricted to `0|1`. A value read is checked as written
/// and written back in that form; a value built in code is written in the first of its
/// lexical forms the pattern accepts (`1`, not `true`), and one no form of which matches is
/// refused.
#[test]
fn patterns_hold_for_the_lexical_form_read_and_written() {
    type MustUnderstand = Restricted<bool, ZeroOrOne>;
    let one = MustUnderstand::from_xml_text(" 1 ").unwrap();
    assert!(*one.get());
    assert_eq!(one.to_xml_text(), "1");
    assert!(
        MustUnderstand::from_xml_text("true").is_err(),
        "the validator refuses `true`"
    );
    let built = MustUnderstand::new(false).unwrap();
    assert_eq!(built.to_xml_text(), "0");
    assert_eq!(MustUnderstand::from_xml_text("0").unwrap(), built);

    type Two = Restricted<i32, TwoDigits>;
    let five = Two::from_xml_text("05").unwrap();
    assert_eq!(*five.get(), 5);
    assert_eq!(five.to_xml_text(), "05", "written as read");
    assert!(Two::from_xml_text("5").is_err());
    assert!(
        Two::new(5).is_err(),
        "no lexical form of 5 this crate writes has two digits"
    );
    assert_eq!(Two::new(12).unwrap().to_xml_text(), "12");
    assert_eq!(five, Two::from_xml_text("05").unwrap());
}
