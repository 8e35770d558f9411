"""Shared by the interop scripts: loading the contract into zeep, comparing XML as trees.

The scripts are run by tests/tests/interop.rs with the venv of `cargo xtask test`
(target/pyvenv, see tests/requirements.txt). They never skip: a missing zeep is an error.
"""

import contextlib
import os
import sys
import tempfile
import zipfile

try:
    import zeep
    from lxml import etree
except ImportError as e:  # pragma: no cover - the point is the message
    sys.exit(
        f"interop: {e}; zeep (and lxml) must be installed in the test venv: "
        "run `cargo xtask test`, which installs tests/requirements.txt into target/pyvenv"
    )

WSDL_NAME = "SkickaTidredovisningInteraction_1.0_shsbp10.wsdl"
SERVICE_NS = "urn:shs:emottagning:SkickaTidredovisning:1"
BINDING = (
    "{urn:shs:emottagning:SkickaTidredovisning:1:shsbp10}"
    "SkickaTidredovisningResponderBinding"
)
SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"


@contextlib.contextmanager
def wsdl_path(source):
    """The interaction WSDL of `source`: a contract zip (unpacked to a temporary directory
    for the duration) or a directory holding the files."""
    if os.path.isdir(source):
        path = os.path.join(source, WSDL_NAME)
        if not os.path.isfile(path):
            sys.exit(f"interop: {WSDL_NAME} is not in {source}")
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="elt-interop-") as tmp:
        with zipfile.ZipFile(source) as z:
            for name in z.namelist():
                # Our own zip, but keep to plain file names all the same.
                if os.path.isabs(name) or ".." in name.split("/"):
                    sys.exit(f"interop: unexpected path {name!r} in {source}")
            z.extractall(tmp)
        path = os.path.join(tmp, WSDL_NAME)
        if not os.path.isfile(path):
            sys.exit(f"interop: {WSDL_NAME} is not in {source}")
        yield path


def local(tag):
    """`{ns}local` -> (ns, local); no namespace -> ("", local)."""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _text(t):
    """Text as compared: None for absent or whitespace-only text."""
    if t is None or t.strip() == "":
        return None
    return t


def canon(el):
    """An element as a comparable tree: namespace, local name, attributes with their
    namespaces (sorted), text, and child elements; prefixes, namespace declarations,
    comments and whitespace-only text are left out."""
    attrs = sorted((local(k), v) for k, v in el.attrib.items())
    children = []
    for child in el:
        if isinstance(child.tag, str):
            children.append(canon(child))
        # Text after a child (mixed content, or text after a comment) counts too.
        tail = _text(child.tail)
        if tail is not None:
            children.append(("#text", tail))
    return (local(el.tag), tuple(attrs), _text(el.text), tuple(children))


def render(tree, indent=0, width=76):
    """A tree from `canon` as lines, long texts wrapped, so that a diff points at the place."""
    pad = "  " * indent
    (ns, name), attrs, text, children = tree
    lines = [f"{pad}{{{ns}}}{name}"]
    for (ans, aname), value in attrs:
        lines.append(f"{pad}  @{{{ans}}}{aname} = {value!r}")
    if text is not None:
        for i in range(0, max(len(text), 1), width):
            lines.append(f"{pad}  text: {text[i:i + width]!r}")
    for child in children:
        if child[0] == "#text":
            lines.append(f"{pad}  tail text: {child[1]!r}")
        else:
            lines.extend(render(child, indent + 1, width))
    return lines


def body_children(envelope):
    """The element children of the SOAP 1.1 Body of `envelope` (an lxml element)."""
    if envelope.tag != f"{{{SOAP11_ENV}}}Envelope":
        raise AssertionError(f"not a SOAP 1.1 Envelope: {envelope.tag}")
    bodies = [c for c in envelope if c.tag == f"{{{SOAP11_ENV}}}Body"]
    if len(bodies) != 1:
        raise AssertionError(f"expected one Body, found {len(bodies)}")
    return [c for c in bodies[0] if isinstance(c.tag, str)]
