"""Validate sample documents against a whole contract (a folder of WSDL/XSD files) with the
independent `xmlschema` package, in one process.

Usage: validate_set.py CONTRACT_DIR DOC.xml [DOC.xml ...]

The `.xsd` files are loaded together as one schema (unless one redefines another), then every
`.xsd` file and every schema inside a `.wsdl` file's `types` on its own (with the WSDL's folder
as base, so relative `schemaLocation`s resolve; each file is also the location of its namespace,
so an import naming a web address is read from the set). Each document is validated by the first schema
that declares its root element; a SOAP envelope's header and body children are validated one
by one, unless the set declares the envelope itself. Prints one JSON object per document: {"doc", "ok", "error"}.

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


def redefines(root):
    """Whether a schema redefines or overrides another: then the files cannot be joined into
    one schema, since the original and the redefined components would clash."""
    return root.find(f"{{{XS}}}redefine") is not None or root.find(f"{{{XS}}}override") is not None


def load(folder):
    schemas, errors = [], []
    sources = list(schema_sources(folder))
    # The set as one schema first: a file on its own may not import what its documents hold
    # (strict `xs:any` content declared in another file of the set); the set as a whole does.
    # Absolute: xmlschema resolves the other sources of a list against the first one's folder.
    files = [os.path.abspath(path) for path, inline in sources if inline is None]
    roots = {path: etree.parse(path).getroot() for path in files}
    if len(files) > 1 and not any(redefines(root) for root in roots.values()):
        try:
            schemas.append(xmlschema.XMLSchema(files))
        except Exception:  # noqa: BLE001 - the files one by one below still judge the documents
            pass
    # Every file of the set as the location of its namespace: an import naming a web address
    # is then read from the set, offline, as the generator reads it.
    locations = [
        (ns, path) for path, root in roots.items() if (ns := root.get("targetNamespace")) is not None
    ]
    for path, inline in sources:
        try:
            if inline is None:
                schemas.append(xmlschema.XMLSchema(path, locations=locations))
            else:
                schemas.append(
                    xmlschema.XMLSchema(
                        inline, base_url=os.path.dirname(path) + "/", locations=locations
                    )
                )
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
        sys.argv[2:],
        lambda part: check(schemas, part),
        rejections=(XMLSchemaKeyError,),
        declares=lambda tag: declaring(schemas, tag) is not None,
    )


if __name__ == "__main__":
    sys.exit(main())
