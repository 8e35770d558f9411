//! The files a contract file names: `schemaLocation` of `xs:import`, `xs:include`,
//! `xs:redefine` and `xs:override` (in schema files and in schemas inside a WSDL), and
//! `location` of `wsdl:import`. Folder and zip input use it to read the files such references
//! name whatever their extension (`schemaLocation="./xmlmime"`), not only `.xsd` and `.wsdl`.

use crate::xml::{WSDL_NS, XS_NS};

/// The paths in the set that the file `path` (with content `bytes`) names, resolved relative to
/// it and normalised. Locations that leave the set (absolute URLs, `..` past the root, drive
/// prefixes) are left out: the link check reports them with their line and column. A file
/// that is not UTF-8 or not well-formed names nothing here; reading it reports why.
pub(crate) fn targets(path: &str, bytes: &[u8]) -> Vec<String> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Vec::new();
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Every cap of the real parse applies (size, depth, entity expansion).
    let Ok(doc) = crate::xml::parse_xml(path, text, true) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for n in doc.descendants().filter(roxmltree::Node::is_element) {
        let tag = n.tag_name();
        let location = match (tag.namespace(), tag.name()) {
            (Some(XS_NS), "import" | "include" | "redefine" | "override") => {
                n.attribute("schemaLocation")
            }
            (Some(WSDL_NS), "import") => n.attribute("location"),
            _ => None,
        };
        let Some(target) = location
            .and_then(|l| super::resolve_relative(path, l))
            .and_then(|t| super::normalize_path(&t).ok())
        else {
            continue;
        };
        if !out.contains(&target) {
            out.push(target);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::targets;

    #[test]
    fn schema_and_wsdl_locations_are_found_and_resolved() {
        let xsd = br#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
            <xs:import namespace="urn:a" schemaLocation="./xmlmime"/>
            <xs:include schemaLocation="../common/parts"/>
            <xs:import namespace="urn:b" schemaLocation="http://example.org/b.xsd"/>
            <xs:import namespace="urn:c"/>
        </xs:schema>"#;
        assert_eq!(
            targets("dir/main.xsd", xsd),
            ["dir/xmlmime", "common/parts"]
        );
        let wsdl = br#"<definitions xmlns="http://schemas.xmlsoap.org/wsdl/">
            <import namespace="urn:x" location="abstract"/>
            <types><s:schema xmlns:s="http://www.w3.org/2001/XMLSchema">
                <s:import namespace="urn:y" schemaLocation="types/y"/>
            </s:schema></types>
        </definitions>"#;
        assert_eq!(targets("svc.wsdl", wsdl), ["abstract", "types/y"]);
    }

    #[test]
    fn escapes_and_unreadable_files_name_nothing() {
        let xsd = br#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
            <xs:include schemaLocation="../../etc/passwd"/>
            <xs:include schemaLocation="C:/x"/>
        </xs:schema>"#;
        assert!(targets("a.xsd", xsd).is_empty());
        assert!(targets("a.xsd", b"<not well formed").is_empty());
        assert!(targets("a.xsd", &[0xff, 0xfe, 0x00]).is_empty());
    }
}
