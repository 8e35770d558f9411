"""Validate sample documents against a whole contract (a folder of WSDL/XSD files) with the
independent `xmlschema` package, in one process.

Usage: validate_set.py CONTRACT_DIR DOC.xml [DOC.xml ...]

Every `.xsd` file and every schema inside a `.wsdl` file's `types` is loaded (with the WSDL's
folder as base, so relative `schemaLocation`s resolve). Each document is validated by the first
schema that declares its root element; a SOAP envelope's header and body children are
validated one by one. Prints one JSON object per document: {"doc", "ok", "error"}.

Exit status: 0 when it could judge every document (valid or not); 2 when no schema loads;
3 when the validator fails otherwise.
"""
import os
import sys

import xmlschema
from xmlschema.exceptions import XMLSchemaKeyError
from lxml import etree

from set_verdicts import print_verdicts

XS = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"


def schema_sources(folder):
    for dirpath, _, names in sorted(os.walk(folder)):
        for name in sorted(names):
            path = os.path.join(dirpath, name)
            low = name.lower()
            if low.endswith(".xsd"):
                yield path, None
            elif low.endswith(".wsdl"):
                tree = etree.parse(path)
                for s in tree.iterfind(f"{{{WSDL}}}types/{{{XS}}}schema"):
                    yield path, etree.tostring(s).decode()


def load(folder):
    schemas, errors = [], []
    for path, inline in schema_sources(folder):
        try:
            if inline is None:
                schemas.append(xmlschema.XMLSchema(path))
            else:
                schemas.append(xmlschema.XMLSchema(inline, base_url=os.path.dirname(path) + "/"))
        except Exception as e:  # noqa: BLE001 - a file that does not load is reported, others still used
            errors.append(f"{path}: {type(e).__name__}: {e}")
    return schemas, errors


def declaring(schemas, tag):
    for s in schemas:
        if tag in s.maps.elements:
            return s
    return None


def check(schemas, element):
    s = declaring(schemas, element.tag)
    if s is None:
        return f"no schema declares {element.tag}"
    errors = list(s.iter_errors(element))
    if errors:
        e = errors[0]
        return f"{e.reason} at {e.path}"
    return None


def main() -> int:
    schemas, load_errors = load(sys.argv[1])
    if not schemas:
        print(f"no schema loads: {load_errors}", file=sys.stderr)
        return 2
    return print_verdicts(
        sys.argv[2:], lambda part: check(schemas, part), rejections=(XMLSchemaKeyError,)
    )


if __name__ == "__main__":
    sys.exit(main())
