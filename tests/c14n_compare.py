"""Compare XML documents pairwise as canonical XML, for the round-trip gate of `cargo xtask corpus`.

Usage: c14n_compare.py A1.xml B1.xml [A2.xml B2.xml ...]

Each document is put in Canonical XML 2.0 form (Python's `xml.etree.ElementTree.canonicalize`)
with prefixes rewritten (so `<tns:x>` and `<ns1:x>` in the same namespace are equal; `xsi:type`
values are rewritten with them), comments and processing instructions dropped, and whitespace-only
text beside child elements left out (it is formatting, not content). Prints one JSON object per
pair: {"a", "b", "ok", "difference"}, the difference being the first place the canonical forms
part, with some context on both sides.

Exit status: 0 when every pair could be compared (equal or not; a rewrite that is not well-formed
is a difference); 3 when a first document of a pair is not well-formed.
"""
import json
import sys
import xml.etree.ElementTree as ET

from lxml import etree

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def canonical(path):
    parser = etree.XMLParser(remove_comments=True, remove_pis=True, resolve_entities=False)
    tree = etree.parse(path, parser)
    for el in tree.iter():
        if len(el):
            if el.text is not None and not el.text.strip():
                el.text = None
            for child in el:
                if child.tail is not None and not child.tail.strip():
                    child.tail = None
    # As text, not bytes: lxml's default ASCII output cannot write a non-ASCII element name.
    return ET.canonicalize(
        xml_data=etree.tostring(tree, encoding="unicode"),
        rewrite_prefixes=True,
        qname_aware_attrs=[XSI_TYPE],
    )


def first_difference(a, b):
    i = 0
    n = min(len(a), len(b))
    while i < n and a[i] == b[i]:
        i += 1
    start = max(0, i - 80)
    return f"at character {i}: …{a[start:i + 80]}… became …{b[start:i + 80]}…"


def main() -> int:
    args = sys.argv[1:]
    if len(args) % 2:
        print("give the documents in pairs", file=sys.stderr)
        return 2
    for a, b in zip(args[::2], args[1::2]):
        try:
            ca = canonical(a)
        except etree.XMLSyntaxError as e:
            print(f"{a}: not well-formed: {e}", file=sys.stderr)
            return 3
        try:
            cb = canonical(b)
        except etree.XMLSyntaxError as e:
            print(json.dumps({"a": a, "b": b, "ok": False, "difference": f"the rewrite is not well-formed: {e}"}))
            continue
        ok = ca == cb
        print(json.dumps({"a": a, "b": b, "ok": ok, "difference": None if ok else first_difference(ca, cb)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
