//! Each XSD feature on the wire: values built in Rust, serialized, parsed back and compared;
//! the XML text checked where the feature shows in it; invalid values and documents refused.

use std::fmt::Debug;
use std::path::PathBuf;

use elt_xml::{
    AnyContent, AnyElement, AnyNode, Decimal, List, Nillable, RootElement, XmlContent, XmlValue,
};

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The feature fixture `fixture`'s schema file (in the folder named after it, for a fixture of
/// several files).
fn fixture_xsd(fixture: &str) -> PathBuf {
    let dir = elt_tests::workspace_root().join("elt-codegen/tests/fixtures/features");
    let nested = dir.join(fixture).join(format!("{fixture}.xsd"));
    if nested.is_file() {
        nested
    } else {
        dir.join(format!("{fixture}.xsd"))
    }
}

/// The document is valid for the independent validator (Python `xmlschema`) too. Without the
/// validator the test fails: the shared helper never skips.
fn valid(fixture: &str, xml: &str) {
    if let Err(e) = elt_tests::validate_with_xmlschema(&fixture_xsd(fixture), xml) {
        panic!("xmlschema refuses {xml}: {e}");
    }
}

/// The document is invalid for the independent validator too: the schema rejects it (a schema
/// that does not load, or a validator that fails otherwise, panics in the helper).
fn invalid(fixture: &str, xml: &str) {
    if elt_tests::validate_with_xmlschema(&fixture_xsd(fixture), xml).is_ok() {
        panic!("xmlschema accepts {xml}, which the generated code refuses");
    }
}

/// Serializes `value`, parses the text back, checks both are equal and that the independent
/// validator accepts the text; returns it.
fn roundtrip<T: XmlContent + PartialEq + Debug>(
    fixture: &str,
    root: RootElement<T>,
    value: &T,
) -> String {
    let xml = root.to_xml(value).unwrap();
    let back = root
        .from_xml(&xml)
        .unwrap_or_else(|e| panic!("reading back {xml}: {e}"));
    assert_eq!(&back, value, "round trip of {xml}");
    if !fixture.is_empty() {
        valid(fixture, &xml);
    }
    xml
}

/// Parses `xml` (which the validator accepts), serializes the value, parses that again: both
/// values must be equal.
fn reparse<T: XmlContent + PartialEq + Debug>(fixture: &str, root: RootElement<T>, xml: &str) -> T {
    if !fixture.is_empty() {
        valid(fixture, xml);
    }
    let value = root
        .from_xml(xml)
        .unwrap_or_else(|e| panic!("reading {xml}: {e}"));
    roundtrip(fixture, root, &value);
    value
}

/// The generated code refuses `xml` with an error mentioning `expected`; so does the validator
/// (`fixture` empty: a refusal by choice, of a document XSD allows, see the call).
fn refused<T: XmlContent + Debug>(fixture: &str, root: RootElement<T>, xml: &str, expected: &str) {
    if !fixture.is_empty() {
        invalid(fixture, xml);
    }
    match root.from_xml(xml) {
        Ok(v) => panic!("accepted {xml} as {v:?}"),
        Err(e) => assert!(
            e.to_string().contains(expected),
            "error for {xml} is {e}, expected it to mention {expected:?}"
        ),
    }
}

mod union {
    use super::*;
    use elt_feature_tests::union::union::*;

    fn percent(n: i32) -> Percent {
        Percent::new(n).unwrap()
    }

    #[test]
    fn members_are_tried_in_schema_order() {
        // Percent (0..=100) comes before xs:decimal, which comes before the enumeration.
        assert_eq!(
            Amount::from_xml_text("7").unwrap(),
            Amount::Percent(percent(7))
        );
        assert_eq!(
            Amount::from_xml_text("100").unwrap(),
            Amount::Percent(percent(100))
        );
        assert_eq!(
            Amount::from_xml_text("101").unwrap(),
            Amount::Decimal("101".parse::<Decimal>().unwrap())
        );
        assert_eq!(
            Amount::from_xml_text("small").unwrap(),
            Amount::Size(Size::Small)
        );
        assert_eq!(
            DateOrNever::from_xml_text("never").unwrap(),
            DateOrNever::DateOrNever1(DateOrNever1::Never)
        );
        assert!(matches!(
            Nested::from_xml_text("2024-02-29").unwrap(),
            Nested::DateOrNever(DateOrNever::Date(_))
        ));
        assert_eq!(
            Nested::from_xml_text("1 2").unwrap(),
            Nested::Percents(List(vec![percent(1), percent(2)]))
        );
    }

    #[test]
    fn a_value_no_member_accepts_is_refused_with_every_reason() {
        let e = Amount::from_xml_text("huge").unwrap_err();
        assert!(e.message.contains("Amount"), "{e}");
        assert!(e.message.contains("not valid for any member type"), "{e}");
        assert!(
            e.message.contains("small"),
            "the enumeration's values are named: {e}"
        );
        // 200 is no Percent, so "1 200" is no list of them, and no date either.
        assert!(Nested::from_xml_text("1 200").is_err());
        refused(
            "union",
            MEASURE,
            r#"<Measure xmlns="urn:elt:features:union"><amount>x</amount><until>never</until></Measure>"#,
            "/Measure/amount",
        );
    }

    #[test]
    fn the_member_held_is_written() {
        let m = Measure {
            size: Some(Amount::Size(Size::Large)),
            amount: vec![
                Amount::Percent(percent(7)),
                Amount::Decimal("250.5".parse().unwrap()),
                Amount::Size(Size::Small),
            ],
            until: DateOrNever::DateOrNever1(DateOrNever1::Never),
            nested: Some(Nested::Percents(List(vec![
                percent(1),
                percent(2),
                percent(3),
            ]))),
        };
        let xml = roundtrip("union", MEASURE, &m);
        assert!(
            xml.contains(r#"<u:Measure xmlns:u="urn:elt:features:union" size="large">"#),
            "{xml}"
        );
        assert!(
            xml.contains(
                "<u:amount>7</u:amount><u:amount>250.5</u:amount><u:amount>small</u:amount>"
            ),
            "{xml}"
        );
        assert!(
            xml.contains("<u:until>never</u:until><u:nested>1 2 3</u:nested>"),
            "{xml}"
        );
    }
}

mod list {
    use super::*;
    use elt_feature_tests::list::list::*;

    fn sample() -> Lists {
        Lists {
            tags: Some("a b".into()),
            weights: Some(List(vec![1, 2])),
            ints: List(vec![1, -2, 3]),
            colours: List(vec![Colour::Red, Colour::Green, Colour::Red]),
            triple: Triple::new(List(vec![4, 5, 6])).unwrap(),
            codes: Some(Codes::new(List(vec![CodesItem::new("AB").unwrap()])).unwrap()),
        }
    }

    #[test]
    fn lists_are_written_space_separated() {
        let xml = roundtrip("list", LISTS, &sample());
        assert!(xml.contains(r#"tags="a b" weights="1 2""#), "{xml}");
        assert!(xml.contains("<l:ints>1 -2 3</l:ints>"), "{xml}");
        assert!(
            xml.contains("<l:colours>red green red</l:colours>"),
            "{xml}"
        );
        assert!(
            xml.contains("<l:triple>4 5 6</l:triple><l:codes>AB</l:codes>"),
            "{xml}"
        );
    }

    #[test]
    fn any_whitespace_separates_items_when_read() {
        let xml = "<Lists xmlns=\"urn:elt:features:list\">\
                   <ints>\n  1\t-2   3 </ints><colours>green</colours>\
                   <triple> 4 5\r\n6</triple></Lists>";
        let v = reparse("list", LISTS, xml);
        assert_eq!(v.ints, List(vec![1, -2, 3]));
        assert_eq!(*v.triple, List(vec![4, 5, 6]));
        assert_eq!(v.codes, None);
    }

    #[test]
    fn length_facets_count_items() {
        let e = Triple::new(List(vec![1, 2])).unwrap_err();
        assert!(e.to_string().contains("length 2, must be 3"), "{e}");
        assert!(Codes::new(List(vec![])).is_err(), "minLength 1");
        let three = List(vec![CodesItem::new("AB").unwrap(); 3]);
        assert!(Codes::new(three).is_err(), "maxLength 2");
        assert!(CodesItem::new("abc").is_err(), "the item type's pattern");
        refused(
            "list",
            LISTS,
            r#"<Lists xmlns="urn:elt:features:list"><ints/><colours/><triple>1 2</triple></Lists>"#,
            "must be 3",
        );
        refused(
            "list",
            LISTS,
            r#"<Lists xmlns="urn:elt:features:list"><ints>1 x</ints><colours/><triple>1 2 3</triple></Lists>"#,
            "list item 2",
        );
        refused(
            "list",
            LISTS,
            r#"<Lists xmlns="urn:elt:features:list"><ints/><colours>red blue</colours><triple>1 2 3</triple></Lists>"#,
            "blue",
        );
    }
}

mod any_type {
    use super::*;
    use elt_feature_tests::any_type::anytype::*;

    const DOC: &str = r#"<Holder xmlns="urn:elt:features:anytype" xmlns:x="urn:x"><anything a="1" x:b="2">text <x:i>em</x:i> tail</anything><untyped><deep><er q="1"/></deep></untyped><open id="o1" x:extra="y">before<x:foo/>after</open><closed lang="en"><label>L</label></closed></Holder>"#;

    #[test]
    fn any_type_content_is_kept_whole_and_in_order() {
        let h = reparse("any_type", HOLDER, DOC);
        assert_eq!(
            h.anything.attributes,
            vec![
                (None, "a".into(), "1".into()),
                (Some("urn:x".into()), "b".into(), "2".into())
            ]
        );
        match h.anything.children.as_slice() {
            [AnyNode::Text(a), AnyNode::Element(e), AnyNode::Text(b)] => {
                assert_eq!((a.as_str(), b.as_str()), ("text ", " tail"));
                assert_eq!(
                    (e.namespace.as_deref(), e.name.as_str()),
                    (Some("urn:x"), "i")
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&h.untyped.children[..], [AnyNode::Element(d)] if d.name == "deep"));
        let open = h.open.unwrap();
        assert_eq!(open.id.as_deref(), Some("o1"));
        assert_eq!(
            open.any_attributes,
            vec![(Some("urn:x".into()), "extra".into(), "y".into())]
        );
        assert_eq!(open.any.len(), 1);
        assert_eq!(open.text, vec!["before".to_owned(), "after".to_owned()]);
        assert_eq!(h.closed.unwrap().label, "L");
    }

    #[test]
    fn written_content_reads_back_the_same() {
        let h = Holder {
            anything: AnyContent::text("just text & more"),
            untyped: AnyContent {
                children: vec![AnyNode::Element(AnyElement::new(Some("urn:y"), "y"))],
                ..AnyContent::default()
            },
            open: None,
            closed: Some(Closed {
                lang: None,
                label: "l".into(),
            }),
        };
        let xml = roundtrip("any_type", HOLDER, &h);
        assert!(
            xml.contains("<a:anything>just text &amp; more</a:anything>"),
            "{xml}"
        );
        assert!(xml.contains(r#"<a:untyped><ns1:y/></a:untyped>"#), "{xml}");
        let loose = reparse(
            "any_type",
            LOOSE,
            r#"<Loose xmlns="urn:elt:features:anytype" k="v">a<b/>c</Loose>"#,
        );
        assert_eq!(loose.children.len(), 3);
    }

    #[test]
    fn a_restriction_of_any_type_is_closed() {
        refused(
            "any_type",
            HOLDER,
            r#"<Holder xmlns="urn:elt:features:anytype"><anything/><untyped/><closed><label>L</label><more/></closed></Holder>"#,
            "unexpected element",
        );
    }
}

mod mixed {
    use super::*;
    use elt_feature_tests::mixed::mixed::*;

    #[test]
    fn text_and_elements_keep_their_order() {
        let xml = r#"<Doc xmlns="urn:elt:features:mixed"><para lang="en">Hello <b>big</b> wide <b>wild</b> world<note>n</note>!</para><para/><text kind="k">just text</text></Doc>"#;
        let d = reparse("mixed", DOC, xml);
        let p = &d.para[0];
        assert_eq!(p.text, vec!["Hello ", " wide ", " world", "!"]);
        assert_eq!(p.b, vec!["big", "wild"]);
        assert_eq!(p.note.as_deref(), Some("n"));
        assert!(d.para[1].text.is_empty());
        assert_eq!(d.text.as_ref().unwrap().text, vec!["just text"]);
        // Written back as read, the namespace with the schema's prefix.
        assert_eq!(
            DOC.to_xml(&d).unwrap(),
            r#"<?xml version="1.0" encoding="UTF-8"?><m:Doc xmlns:m="urn:elt:features:mixed"><m:para lang="en">Hello <m:b>big</m:b> wide <m:b>wild</m:b> world<m:note>n</m:note>!</m:para><m:para/><m:text kind="k">just text</m:text></m:Doc>"#
        );
    }

    #[test]
    fn wildcards_and_choices_in_mixed_content() {
        let xml = r#"<Doc xmlns="urn:elt:features:mixed"><para/><transform Algorithm="urn:alg">a<XPath>/x</XPath>b<f:e xmlns:f="urn:f">in</f:e>c</transform><method> m <q xmlns="urn:q"/></method></Doc>"#;
        let d = reparse("mixed", DOC, xml);
        let t = d.transform.unwrap();
        assert_eq!(t.text, vec!["a", "b", "c"]);
        assert!(
            matches!(&t.choice[..], [TransformChoice::XPath(x), TransformChoice::Any(e)] if x == "/x" && e.name == "e")
        );
        let m = d.method.unwrap();
        assert_eq!(m.text, vec![" m "]);
        assert_eq!(m.any[0].namespace.as_deref(), Some("urn:q"));
    }

    #[test]
    fn text_written_from_values_lands_between_the_elements() {
        let d = Doc {
            para: vec![Para {
                lang: None,
                b: vec!["x".into()],
                note: None,
                text: vec!["a < b, ".into(), " & c".into()],
            }],
            transform: None,
            method: None,
            text: None,
        };
        let xml = roundtrip("mixed", DOC, &d);
        assert!(
            xml.contains("<m:para>a &lt; b, <m:b>x</m:b> &amp; c</m:para>"),
            "{xml}"
        );
    }

    #[test]
    fn text_in_element_only_content_is_still_refused() {
        refused(
            "mixed",
            DOC,
            r#"<Doc xmlns="urn:elt:features:mixed">stray<para/></Doc>"#,
            "element-only content",
        );
        refused(
            "mixed",
            DOC,
            r#"<Doc xmlns="urn:elt:features:mixed"><para/><transform Algorithm="a"><XPath>x</XPath><e xmlns="urn:elt:features:mixed"/></transform></Doc>"#,
            "unexpected element",
        );
    }
}

mod any_attribute {
    use super::*;
    use elt_feature_tests::any_attribute::anyattr::*;

    #[test]
    fn undeclared_attributes_are_kept_within_the_constraint() {
        let xml = r#"<Attrs xmlns="urn:elt:features:anyattr" xmlns:e="urn:elt:features:extra" xmlns:o="urn:other" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><other id="1" o:x="X" e:y="Y"><name>n</name></other><anything id="2" a="b" o:z="Z" xsi:type="Anything"/><listed e:q="1" plain="p">v</listed></Attrs>"#;
        let a = reparse("any_attribute", ATTRS, xml);
        assert_eq!(a.other.id, "1");
        assert_eq!(
            a.other.any_attributes,
            vec![
                (Some("urn:other".into()), "x".into(), "X".into()),
                (
                    Some("urn:elt:features:extra".into()),
                    "y".into(),
                    "Y".into()
                )
            ]
        );
        let anything = a.anything.unwrap();
        assert_eq!(
            anything.any_attributes,
            vec![
                (None, "a".into(), "b".into()),
                (Some("urn:other".into()), "z".into(), "Z".into())
            ],
            "declared and xsi: attributes are not wildcard attributes"
        );
        let listed = a.listed.unwrap();
        assert_eq!(listed.value, "v");
        assert_eq!(listed.any_attributes.len(), 2);
        let out = ATTRS
            .to_xml(&Attrs {
                anything: None,
                listed: None,
                ..a
            })
            .unwrap();
        assert!(
            out.contains(r#"<aa:other id="1" ns1:x="X" ns2:y="Y">"#),
            "{out}"
        );
    }

    #[test]
    fn attributes_outside_the_constraint_are_refused() {
        let doc = |other: &str| {
            format!(
                r#"<Attrs xmlns="urn:elt:features:anyattr" xmlns:t="urn:elt:features:anyattr" xmlns:o="urn:other">{other}</Attrs>"#
            )
        };
        // ##other: neither unqualified nor in the target namespace.
        refused(
            "any_attribute",
            ATTRS,
            &doc(r#"<other id="1" plain="x"><name>n</name></other>"#),
            "not allowed by xs:anyAttribute (##other)",
        );
        refused(
            "any_attribute",
            ATTRS,
            &doc(r#"<other id="1" t:x="1"><name>n</name></other>"#),
            "{urn:elt:features:anyattr}x",
        );
        // A list: ##local and one namespace.
        refused(
            "any_attribute",
            ATTRS,
            &doc(r#"<other id="1"><name>n</name></other><listed o:q="1">v</listed>"#),
            "{urn:other}q",
        );
    }
}

mod all {
    use super::*;
    use elt_feature_tests::all::all::*;

    #[test]
    fn elements_are_read_in_any_order_and_written_in_schema_order() {
        let xml = r#"<People xmlns="urn:elt:features:all"><person id="1"><age>3</age><last>L</last><first>F</first></person><person><last>M</last><first>G</first></person><derived version="8.0"><amount>1.5</amount><code>c</code></derived><maybe/></People>"#;
        let p = reparse("all", PEOPLE, xml);
        assert_eq!(p.person[0].first, "F");
        assert_eq!(p.person[0].age, Some(3));
        assert_eq!(p.person[1].age, None);
        let d = p.derived.as_ref().unwrap();
        assert_eq!((d.version.as_str(), d.code.as_str()), ("8.0", "c"));
        assert_eq!(p.maybe.as_ref().unwrap().x_and_y, None);
        let out = PEOPLE.to_xml(&p).unwrap();
        assert!(
            out.contains(r#"<al:person id="1"><al:first>F</al:first><al:last>L</al:last><al:age>3</al:age></al:person>"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<al:derived version="8.0"><al:code>c</al:code><al:amount>1.5</al:amount></al:derived>"#),
            "{out}"
        );
    }

    /// The constructor takes the required fields; the Builder's `type_attribute` and
    /// `field_attribute` (set in build.rs for this fixture) reach the generated items.
    #[test]
    fn constructors_and_attribute_hooks() {
        let mut p = Person::new("F".into(), "L".into());
        assert_eq!((p.id, p.age), (None, None));
        p.age = Some(3);
        let mut people = People::new(); // nothing required: `person` is a (checked) Vec
        people.person.push(p.clone());
        let out = PEOPLE.to_xml(&people).unwrap();
        assert!(
            out.contains(
                "<al:person><al:first>F</al:first><al:last>L</al:last><al:age>3</al:age></al:person>"
            ),
            "{out}"
        );
        valid("all", &out);
        // field_attribute: `first` is `given` in JSON; type_attribute: unknown fields refused.
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["given"], "F", "{json}");
        assert!(json.get("first").is_none(), "{json}");
        let mut extra = json.clone();
        extra["nickname"] = "X".into();
        let e = serde_json::from_value::<Person>(extra)
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown field `nickname`"), "{e}");
        assert_eq!(serde_json::from_value::<Person>(json).unwrap(), p);
    }

    /// `person` is `maxOccurs="unbounded"` with the default `minOccurs="1"`: a value without
    /// any is refused when written, naming the element and the bound.
    #[test]
    fn writing_refuses_a_broken_occurrence_rule() {
        let xml = r#"<People xmlns="urn:elt:features:all"><person><first>F</first><last>L</last></person></People>"#;
        let mut p = reparse("all", PEOPLE, xml);
        p.person.clear();
        let e = PEOPLE.to_xml(&p).unwrap_err().to_string();
        assert!(
            e.contains("/person") && e.contains("0 occurrences, the schema allows at least 1"),
            "{e}"
        );
    }

    #[test]
    fn each_element_at_most_once_and_required_ones_present() {
        let doc = |body: &str| format!(r#"<People xmlns="urn:elt:features:all">{body}</People>"#);
        refused(
            "all",
            PEOPLE,
            &doc("<person><first>F</first><last>L</last><first>G</first></person>"),
            "occurs twice",
        );
        refused(
            "all",
            PEOPLE,
            &doc("<person><first>F</first></person>"),
            "missing element {urn:elt:features:all}last",
        );
        refused(
            "all",
            PEOPLE,
            &doc("<person><first>F</first><last>L</last></person><maybe><x>1</x></maybe>"),
            "missing element {urn:elt:features:all}y",
        );
        let p = reparse(
            "all",
            PEOPLE,
            &doc("<person><first>F</first><last>L</last></person><maybe><y>2</y><x>1</x></maybe>"),
        );
        assert_eq!(p.maybe.unwrap().x_and_y, Some(MaybeXAndY { x: 1, y: 2 }));
    }
}

mod substitution {
    use super::*;
    use elt_feature_tests::substitution::subst::*;

    fn rect(id: &str) -> RectType {
        RectType {
            id: id.into(),
            width: 1.0,
            height: 2.5,
        }
    }

    #[test]
    fn members_are_written_under_their_own_names() {
        let d = Drawing {
            shape: vec![
                Shape::Circle(CircleType {
                    id: "c".into(),
                    radius: 1.5,
                }),
                Shape::Square(rect("s")),
                Shape::Rect(rect("r")),
            ],
            note: Some(Note::Warning("careful".into())),
        };
        let xml = roundtrip("substitution", DRAWING, &d);
        assert!(
            xml.contains(r#"<s:Circle id="c"><s:radius>1.5</s:radius></s:Circle><s:Square id="s"><s:width>1</s:width><s:height>2.5</s:height></s:Square><s:Rect id="r">"#),
            "{xml}"
        );
        assert!(xml.contains("<s:Warning>careful</s:Warning>"), "{xml}");
    }

    #[test]
    fn reading_dispatches_on_the_element_name() {
        let xml = r#"<Drawing xmlns="urn:elt:features:subst"><Rect id="r"><height>2</height><width>1</width></Rect><Note>n</Note></Drawing>"#;
        let d = reparse("substitution", DRAWING, xml);
        assert_eq!(
            d.shape,
            vec![Shape::Rect(RectType {
                id: "r".into(),
                width: 1.0,
                height: 2.0
            })]
        );
        assert_eq!(d.note, Some(Note::Note("n".into())));
        // The abstract head never occurs itself; at least one shape is required.
        refused(
            "substitution",
            DRAWING,
            r#"<Drawing xmlns="urn:elt:features:subst"><Shape id="x"/></Drawing>"#,
            "one of the elements {urn:elt:features:subst}Circle, {urn:elt:features:subst}Rect, {urn:elt:features:subst}Square",
        );
        refused(
            "substitution",
            DRAWING,
            r#"<Drawing xmlns="urn:elt:features:subst"><Note>n</Note></Drawing>"#,
            "at least 1",
        );
        // Members are documents of their own too.
        assert_eq!(SQUARE.from_xml(r#"<Square xmlns="urn:elt:features:subst" id="q"><width>1</width><height>2.5</height></Square>"#).unwrap().id, "q");
    }
}

mod xsi_type {
    use super::*;
    use elt_feature_tests::xsi_type::xsitype::*;

    #[test]
    fn derived_types_are_written_with_xsi_type() {
        let c = Conditions {
            condition: vec![
                ConditionAbstractType::AudienceRestrictionType(AudienceRestrictionType {
                    audience: vec!["urn:a".into()],
                }),
                ConditionAbstractType::LimitedAudienceType(LimitedAudienceType {
                    limit: 3,
                    audience: vec!["urn:b".into(), "urn:c".into()],
                }),
                ConditionAbstractType::OneTimeUseType(OneTimeUseType {}),
            ],
        };
        let xml = roundtrip("xsi_type", CONDITIONS, &c);
        // The types are in the element's namespace: QNames with its prefix name them.
        assert!(xml.contains(r#"<x:Condition xsi:type="x:AudienceRestrictionType"><x:Audience>urn:a</x:Audience></x:Condition>"#), "{xml}");
        assert!(
            xml.contains(r#"xsi:type="x:LimitedAudienceType" limit="3">"#),
            "{xml}"
        );
        assert!(xml.contains(r#"xsi:type="x:OneTimeUseType"/>"#), "{xml}");
    }

    #[test]
    fn reading_dispatches_on_the_xsi_type_qname() {
        let xml = format!(
            r#"<Conditions xmlns="urn:elt:features:xsitype" xmlns:s="urn:elt:features:xsitype" xmlns:i="{XSI}"><Condition i:type="s:OneTimeUseType"/><Condition i:type="LimitedAudienceType" limit="2"><Audience>u</Audience></Condition></Conditions>"#
        );
        let c = reparse("xsi_type", CONDITIONS, &xml);
        assert_eq!(
            c.condition[0],
            ConditionAbstractType::OneTimeUseType(OneTimeUseType {})
        );
        assert_eq!(
            c.condition[1],
            ConditionAbstractType::LimitedAudienceType(LimitedAudienceType {
                limit: 2,
                audience: vec!["u".into()]
            })
        );
        let doc = |c: &str| {
            format!(
                r#"<Conditions xmlns="urn:elt:features:xsitype" xmlns:i="{XSI}">{c}</Conditions>"#
            )
        };
        refused(
            "xsi_type",
            CONDITIONS,
            &doc("<Condition/>"),
            "needs xsi:type",
        );
        refused(
            "xsi_type",
            CONDITIONS,
            &doc(r#"<Condition i:type="Other"/>"#),
            "known: {urn:elt:features:xsitype}AudienceRestrictionType",
        );
        refused(
            "xsi_type",
            CONDITIONS,
            &doc(r#"<Condition i:type="q:OneTimeUseType"/>"#),
            "undeclared prefix",
        );
        refused(
            "xsi_type",
            CONDITIONS,
            &doc(r#"<Condition i:type="OneTimeUseType"><Audience>u</Audience></Condition>"#),
            "unexpected element",
        );
    }

    #[test]
    fn a_type_with_derived_types_refuses_an_xsi_type_it_cannot_read() {
        let xml = format!(
            r#"<Condition xmlns="urn:elt:features:xsitype" xmlns:i="{XSI}" i:type="LimitedAudienceType" limit="1"><Audience>u</Audience></Condition>"#
        );
        assert!(CONDITION.from_xml(&xml).is_ok());
        // Read as the declared AudienceRestrictionType, a LimitedAudienceType would lose `limit`.
        let e = elt_xml::parse_document(&xml, Default::default()).unwrap();
        let err =
            <AudienceRestrictionType as XmlContent>::read_content(e.root_element()).unwrap_err();
        assert!(
            err.message.contains("refused rather than read in part"),
            "{err}"
        );
    }
}

mod nillable {
    use super::*;
    use elt_feature_tests::nillable::nillable::*;

    fn date() -> elt_xml::DateTime {
        elt_xml::DateTime::from_xml_text("2024-05-01T12:00:00").unwrap()
    }

    #[test]
    fn nil_is_written_as_xsi_nil() {
        let h = Holder {
            forecast_return: Nillable::Value(ArrayOfForecast {
                forecast: vec![
                    Nillable::Nil,
                    Nillable::Value(Forecast {
                        id: Some(1),
                        date: date(),
                        desc: Nillable::Nil,
                        low: Some(Nillable::Nil),
                    }),
                    Nillable::Value(Forecast {
                        id: None,
                        date: date(),
                        desc: Nillable::Value("d".into()),
                        low: None,
                    }),
                ],
            }),
        };
        let xml = roundtrip("nillable", HOLDER, &h);
        assert!(
            xml.contains(r#"<n:ForecastReturn><n:Forecast xsi:nil="true"/><n:Forecast id="1">"#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<n:Desc xsi:nil="true"/><n:Low xsi:nil="true"/>"#),
            "{xml}"
        );
        assert!(xml.contains("<n:Desc>d</n:Desc></n:Forecast>"), "{xml}");
        let nil = roundtrip("nillable", FORECAST_RETURN, &Nillable::Nil);
        assert!(nil.ends_with(&format!(r#"<n:ForecastReturn xmlns:n="urn:elt:features:nillable" xmlns:xsi="{XSI}" xsi:nil="true"/>"#)), "{nil}");
    }

    #[test]
    fn nil_elements_must_be_empty() {
        let doc = |f: &str| {
            format!(
                r#"<Holder xmlns="urn:elt:features:nillable" xmlns:xsi="{XSI}"><ForecastReturn>{f}</ForecastReturn></Holder>"#
            )
        };
        refused(
            "nillable",
            HOLDER,
            &doc(r#"<Forecast xsi:nil="true"><Date>2024-05-01T12:00:00</Date></Forecast>"#),
            "must be empty",
        );
        // Valid XSD, but the attributes of a nil element have nowhere to go: refused, not
        // dropped.
        refused(
            "",
            HOLDER,
            &doc(r#"<Forecast id="1" xsi:nil="true"/>"#),
            "refused rather than dropped",
        );
        refused(
            "nillable",
            HOLDER,
            &doc(r#"<Forecast xsi:nil="maybe"/>"#),
            "not a boolean",
        );
        // Not nillable: `Date` cannot be nil.
        refused(
            "nillable",
            HOLDER,
            &doc(r#"<Forecast><Date xsi:nil="true"/><Desc>d</Desc></Forecast>"#),
            "Date",
        );
        let h = reparse(
            "nillable",
            HOLDER,
            &doc(
                r#"<Forecast xsi:nil="false"><Date>2024-05-01T12:00:00</Date><Desc xsi:nil="1"/></Forecast>"#,
            ),
        );
        let Nillable::Value(a) = h.forecast_return else {
            panic!()
        };
        assert!(a.forecast[0].as_option().unwrap().desc.is_nil());
    }
}

mod derivation {
    use super::*;
    use elt_feature_tests::derivation::derivation::*;

    fn sample() -> Codes {
        Codes {
            digit: DigitCode {
                version: Some("1".into()),
                code: Digits::new("123").unwrap(),
                system: "s".into(),
            },
            noted: NotedCode {
                version: None,
                by: Some("me".into()),
                code: Digits::new("4").unwrap(),
                system: "t".into(),
                note: "n".into(),
            },
            contact: NamedContact {
                phone_or_email: ContactPhoneOrEmail::Email("e@x".into()),
                name: "N".into(),
            },
            twice: Some(Twice {
                version: None,
                lang: Some("sv".into()),
                code: "a".into(),
                system: None,
                display: None,
                code_: Some(TwiceCode { code: "b".into() }),
            }),
        }
    }

    #[test]
    fn base_particles_come_first_and_attributes_are_inherited() {
        let xml = roundtrip("derivation", CODES, &sample());
        assert!(
            xml.contains(
                r#"<d:digit version="1"><d:code>123</d:code><d:system>s</d:system></d:digit>"#
            ),
            "{xml}"
        );
        assert!(
            xml.contains(
                r#"<d:noted by="me"><d:code>4</d:code><d:system>t</d:system><d:note>n</d:note></d:noted>"#
            ),
            "{xml}"
        );
        assert!(
            xml.contains("<d:contact><d:email>e@x</d:email><d:name>N</d:name></d:contact>"),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<d:twice lang="sv"><d:code>a</d:code><d:code>b</d:code></d:twice>"#),
            "{xml}"
        );
    }

    #[test]
    fn a_restriction_checks_its_own_content_model() {
        let doc = |digit: &str| {
            format!(
                r#"<Codes xmlns="urn:elt:features:derivation">{digit}<noted><code>1</code><system>s</system><note>n</note></noted><contact><phone>1</phone><name>N</name></contact></Codes>"#
            )
        };
        // The narrowed element type: a pattern the base's xs:string does not have.
        refused(
            "derivation",
            CODES,
            &doc("<digit><code>12a</code><system>s</system></digit>"),
            "does not match the pattern",
        );
        // `system`, optional in the base, is required in the restriction.
        refused(
            "derivation",
            CODES,
            &doc("<digit><code>1</code></digit>"),
            "{urn:elt:features:derivation}system",
        );
        // `display`, allowed by the base, is not by the restriction.
        refused(
            "derivation",
            CODES,
            &doc("<digit><code>1</code><system>s</system><display>d</display></digit>"),
            "unexpected element",
        );
        // The extension's elements come after the base's choice, not among its branches.
        refused(
            "derivation",
            CODES,
            &doc("<digit><code>1</code><system>s</system></digit>")
                .replace("<phone>1</phone><name>N</name>", "<name>N</name>"),
            "contact",
        );
    }
}

mod collisions {
    use super::*;
    use elt_feature_tests::collisions::collisions::*;

    #[test]
    fn colliding_names_get_distinct_rust_names_and_work() {
        let v = ItemElement {
            one: ItemType {
                c_: "c".into(),
                node_: "n".into(),
                w: "w".into(),
                self_: "s".into(),
                type_: "t".into(),
            },
            two: ItemType2::new("short").unwrap(),
            three: Item::AValue2,
            code: CodeFacets {
                value: Code::new("abc").unwrap(),
            },
            opt: OptionType {
                some: Some("x".into()),
            },
            vec: "v".into(),
            box_: BoxType {
                ok_or_err: BoxTypeOkOrErr::Err("e".into()),
            },
        };
        let xml = roundtrip("collisions", ITEM, &v);
        assert!(
            xml.contains("<c:one><c:c>c</c:c><c:node>n</c:node><c:w>w</c:w><c:self>s</c:self><c:type>t</c:type></c:one>"),
            "{xml}"
        );
        assert!(xml.contains("<c:three>a-</c:three>"), "{xml}");
        assert!(xml.contains("<c:box><c:Err>e</c:Err></c:box>"), "{xml}");
        assert!(ItemType2::new("toolong").is_err());
        // `X` and `x` both want the constant `X`, which the type `X` has already.
        assert_eq!((X_ELEMENT.name, X_ELEMENT2.name), ("X", "x"));
    }
}

mod recursive {
    use super::*;
    use elt_feature_tests::recursive::recursive::*;

    fn num(n: i32) -> Expr {
        Expr {
            choice: ExprChoice::Num(n),
        }
    }

    #[test]
    fn recursive_types_are_boxed_and_round_trip() {
        let expr = Expr {
            choice: ExprChoice::ExprChoiceOpAndLeftAndRight(ExprChoiceOpAndLeftAndRight {
                op: "+".into(),
                left: Box::new(num(1)),
                right: Box::new(Expr {
                    choice: ExprChoice::Neg(Box::new(num(2))),
                }),
            }),
        };
        let list = Node {
            value: "a".into(),
            next: Some(Box::new(Node {
                value: "b".into(),
                next: None,
            })),
        };
        let tree = Tree {
            label: "root".into(),
            child: Some(Box::new(LabelledTree {
                label: "inner".into(),
                child: None,
                extra: Box::new(Tree {
                    label: "x".into(),
                    child: None,
                }),
            })),
        };
        let xml = roundtrip("recursive", CALC, &Calc { expr, list, tree });
        assert!(xml.contains("<r:expr><r:op>+</r:op><r:left><r:num>1</r:num></r:left><r:right><r:neg><r:num>2</r:num></r:neg></r:right></r:expr>"), "{xml}");
        assert!(
            xml.contains(
                "<r:list><r:value>a</r:value><r:next><r:value>b</r:value></r:next></r:list>"
            ),
            "{xml}"
        );
        assert!(
            xml.contains(
                "<r:child><r:label>inner</r:label><r:extra><r:label>x</r:label></r:extra></r:child>"
            ),
            "{xml}"
        );
    }
}

/// The real-world cases, where the test build compiled them.
#[cfg(corpus)]
mod corpus {
    use super::*;
    use elt_feature_tests::corpus;

    #[test]
    fn cdyne_nil_forecasts_round_trip() {
        use corpus::cdyne_weather_asmx::weather_ws::*;
        let xml = format!(
            r#"<GetCityForecastByZIPResponse xmlns="http://ws.cdyne.com/WeatherWS/" xmlns:xsi="{XSI}"><GetCityForecastByZIPResult><Success>true</Success><ForecastResult><Forecast xsi:nil="true"/><Forecast><Date>2024-05-01T00:00:00</Date><WeatherID>3</WeatherID><Temperatures><MorningLow>10</MorningLow></Temperatures><ProbabilityOfPrecipiation/></Forecast></ForecastResult></GetCityForecastByZIPResult></GetCityForecastByZIPResponse>"#
        );
        let r = reparse("", GET_CITY_FORECAST_BY_ZIP_RESPONSE, &xml);
        let forecasts = r
            .get_city_forecast_by_zip_result
            .unwrap()
            .forecast_result
            .unwrap()
            .forecast;
        assert!(forecasts[0].is_nil());
        assert_eq!(forecasts[1].as_option().unwrap().weather_id, 3);
        let nil = FORECAST_RETURN.from_xml(&format!(r#"<ForecastReturn xmlns="http://ws.cdyne.com/WeatherWS/" xmlns:xsi="{XSI}" xsi:nil="true"/>"#)).unwrap();
        assert!(nil.is_nil());
    }
}

mod pattern_steps {
    use super::*;
    use elt_feature_tests::pattern_steps::patterns::*;

    /// A value must match a pattern of every derivation step, not of any one.
    #[test]
    fn each_step_narrows_its_base() {
        assert!(ThreeDigits::new("123").is_ok());
        // `x` and `12345` match the base (`[0-9]+|x`) but not `.{3}`; `abc` only `.{3}`.
        for v in ["x", "12345", "abc"] {
            assert!(ThreeDigits::new(v).is_err(), "{v}");
        }
        assert!(OneHundreds::new("150").is_ok());
        assert!(OneHundreds::new("250").is_err());
    }

    #[test]
    fn the_validator_agrees_on_the_wire() {
        let doc = |three: &str, hundred: &str| {
            format!(
                "<Codes xmlns=\"urn:elt:features:patterns\"><three>{three}</three><hundred>{hundred}</hundred></Codes>"
            )
        };
        let v = reparse("pattern_steps", CODES, &doc("123", "150"));
        assert_eq!(v.three.as_str(), "123");
        refused("pattern_steps", CODES, &doc("x", "150"), "ThreeDigits");
        refused("pattern_steps", CODES, &doc("12345", "150"), "ThreeDigits");
        refused("pattern_steps", CODES, &doc("123", "250"), "OneHundreds");
    }
}

mod inheritance {
    use super::*;
    use elt_feature_tests::inheritance::inheritance::*;

    /// Every attribute of every element once, on a chain of each kind.
    const DOC: &str = r#"<Ledger xmlns="urn:elt:features:inheritance"><amount currencyID="SEK" currencyCodeListVersionID="2001">10.50</amount><tax currencyID="CAD" rate="0.25">3</tax><hours unit="h">7.5</hours><code listID="L" listAgencyID="x" schemeName="S">abc</code><agency listAgencyID="123" listID="L2">def</agency><party id="p1" createdBy="me" status="new" role="any" verified="true"><name>N</name><alias>A</alias></party><strict id="191212121212" role="assistant" createdBy="me"><name>N</name><alias>A</alias></strict></Ledger>"#;

    /// The fields of a value as `serde` sees them.
    fn keys<T: serde::Serialize>(value: &T) -> Vec<String> {
        match serde_json::to_value(value).unwrap() {
            serde_json::Value::Object(m) => m.keys().cloned().collect(),
            other => panic!("not a struct: {other}"),
        }
    }

    #[test]
    fn each_inherited_attribute_is_stored_and_written_once_with_the_most_derived_declaration() {
        let v = reparse("inheritance", LEDGER, DOC);
        // simpleContent extension (other namespace) → restriction: the narrowed type, required.
        let currency: &Currency = &v.amount.currency_id;
        assert_eq!(*currency, Currency::Sek);
        let version: &Option<String> = &v.amount.currency_code_list_version_id;
        assert_eq!(version.as_deref(), Some("2001"));
        // … → extension: as the restriction left it.
        let currency: &Currency = &v.tax.currency_id;
        assert_eq!(*currency, Currency::Cad);
        // One namespace: narrowed, required; the prohibited attribute has no field.
        let unit: &Unit = &v.hours.unit;
        assert_eq!(unit.to_xml_text(), "h");
        // Attribute groups inherited through an extension, one narrowed by a restriction.
        let agency: &Agency = &v.agency.list_agency_id;
        assert_eq!(agency.to_xml_text(), "123");
        // complexContent extension → extension → restriction.
        let id: &PartyId = &v.strict.id;
        assert_eq!(id.to_xml_text(), "191212121212");
        let role: &Role = &v.strict.role;
        assert_eq!(role.to_xml_text(), "assistant");
        let by: &Option<String> = &v.strict.created_by;
        assert_eq!(by.as_deref(), Some("me"));
        let field_names = [
            (
                keys(&v.amount),
                vec!["currency_code_list_version_id", "currency_id", "value"],
            ),
            (
                keys(&v.tax),
                vec![
                    "currency_code_list_version_id",
                    "currency_id",
                    "rate",
                    "value",
                ],
            ),
            (keys(&v.hours), vec!["unit", "value"]),
            (
                keys(&v.code),
                vec!["list_agency_id", "list_id", "scheme_name", "value"],
            ),
            (
                keys(&v.agency),
                vec!["list_agency_id", "list_id", "scheme_name", "value"],
            ),
            (
                keys(&v.party),
                vec![
                    "alias",
                    "created_by",
                    "id",
                    "name",
                    "role",
                    "status",
                    "verified",
                ],
            ),
            (
                keys(&v.strict),
                vec!["alias", "created_by", "id", "name", "role", "verified"],
            ),
        ];
        for (mut got, want) in field_names {
            got.sort();
            assert_eq!(got, want);
        }
    }

    #[test]
    fn the_written_document_has_each_attribute_once() {
        let v = LEDGER.from_xml(DOC).unwrap();
        let xml = roundtrip("inheritance", LEDGER, &v);
        // Well-formed (an attribute twice is not) and the same attributes as the input.
        elt_xml::parse_document(&xml, elt_xml::ParseLimits::default())
            .unwrap_or_else(|e| panic!("{xml}: {e}"));
        assert_eq!(xml.matches("currencyID=").count(), 2, "{xml}");
        assert_eq!(xml.matches("listAgencyID=").count(), 2, "{xml}");
        assert_eq!(xml.matches(" id=").count(), 2, "{xml}");
        assert_eq!(xml.matches(" status=").count(), 1, "{xml}");
        assert!(xml.contains(r#"currencyCodeListVersionID="2001""#), "{xml}");
    }

    #[test]
    fn the_narrowed_types_are_checked_on_reading() {
        refused(
            "inheritance",
            LEDGER,
            &DOC.replace(r#"currencyID="SEK""#, r#"currencyID="EUR""#),
            "EUR",
        );
        refused(
            "inheritance",
            LEDGER,
            &DOC.replace(r#" unit="h""#, ""),
            "unit",
        );
        refused(
            "inheritance",
            LEDGER,
            &DOC.replace(r#"listAgencyID="123""#, r#"listAgencyID="x1""#),
            "pattern",
        );
        refused(
            "inheritance",
            LEDGER,
            &DOC.replace(r#"id="191212121212""#, r#"id="1912""#),
            "pattern",
        );
    }
}
