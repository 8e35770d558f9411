"""What the set validators (validate_set.py, validate_set_libxml2.py) share: reading each
document, taking a SOAP envelope's header and body children as the parts to judge, and printing
one JSON verdict per document, {"doc", "ok", "error"}."""
import json
import sys

from lxml import etree

SOAP = {"http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope"}


def parts(root, declares=lambda tag: False):
    """The elements to judge in a document: a SOAP envelope's header and body children one by
    one, otherwise the root. An envelope is judged whole when the set declares it (a contract
    that carries the SOAP envelope schema, whose `xs:any` then judges the children)."""
    if etree.QName(root).namespace in SOAP and not declares(root.tag):
        return [c for section in root for c in section if isinstance(c.tag, str)]
    return [root]


def print_verdicts(paths, judge, rejections=(), declares=lambda tag: False):
    """Judges each document of `paths` part by part with `judge` (an element → its first error,
    or None) and prints the verdicts; `declares` (an element name → whether the set declares
    it) says whether an envelope is judged whole. An exception of a type in `rejections` is the
    document's error; any other ends the run. Returns the exit status: 0 when every document
    was judged, 3 when the validator failed."""
    for path in paths:
        try:
            error = None
            for p in parts(etree.parse(path).getroot(), declares):
                error = judge(p)
                if error:
                    break
        except rejections as e:
            error = f"{e}"
        except etree.XMLSyntaxError as e:
            error = f"not well-formed: {e}"
        except Exception as e:  # noqa: BLE001 - reported as the validator's own failure
            print(f"{path}: validator failed: {type(e).__name__}: {e}", file=sys.stderr)
            return 3
        print(json.dumps({"doc": path, "ok": error is None, "error": error}))
    return 0
