"""Validate sample documents against a whole contract (a folder of WSDL/XSD files) with libxml2
(through lxml), the second independent validator beside `xmlschema` (validate_set.py).

Usage: validate_set_libxml2.py CONTRACT_DIR DOC.xml [DOC.xml ...]

libxml2 compiles one schema per validation and honours only the first schema location it meets
for each namespace ("skipping import ... since the namespace was already imported"), so a set
whose files import one namespace from different files, or declare an element in a file that no
import names (strict `xs:any` content, say), cannot be loaded file by file. The set is therefore
copied to a scratch folder and joined under one wrapper schema:

- every schema inside a `.wsdl` file's `types` is written out beside that WSDL file;
- for each target namespace, a schema of that namespace includes every file of it that no other
  file includes (the roots of its include graph; a file without a target namespace is included
  only where it is a root, never as a chameleon of someone else's namespace);
- every `xs:import` of a namespace the set declares is pointed at that namespace's schema, so
  every import of a namespace names the same location;
- the wrapper imports each namespace's schema.

Where the roots of one namespace cannot be compiled together (two files redefining the same
group), or must not be (a file beside another that redefines it: joined, the redefinition would
apply to both), each root of a namespace with several roots gets a wrapper of its own, in the
order of their paths, and a document is validated by the first that declares its root element, as
validate_set.py picks the first schema file that declares it.

The copy only redirects locations; no declaration is changed. A document is validated whole; a
SOAP envelope's header and body children are validated one by one, each as a document of its own.

Prints one JSON object per document, {"doc", "ok", "error"}, after one line
{"loaded": true} or {"loaded": false, "error": ...} about the set. Exit status: 0 when every
document was judged, or when the set does not load (then no verdicts follow); 3 when the
validator fails otherwise.
"""
import copy
import json
import os
import shutil
import sys
import tempfile
import urllib.parse

from lxml import etree

from set_verdicts import print_verdicts

XS = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
WRAPPER_NS = "urn:elt:test:libxml2-wrapper"


def is_schema(path):
    try:
        return etree.parse(path).getroot().tag == f"{{{XS}}}schema"
    except (etree.XMLSyntaxError, OSError, ValueError):
        return False


def schema_files(folder):
    """Every schema of the copied set: .xsd files, and WSDL types schemas written out as files."""
    files = []
    for dirpath, _, names in sorted(os.walk(folder)):
        for name in sorted(names):
            path = os.path.join(dirpath, name)
            low = name.lower()
            if low.endswith(".xsd") or ("." not in name and is_schema(path)):
                # Files without an extension are schemas too when they are one: published sets
                # name them so (`schemaLocation="./xmlmime"`), and the generator reads them.
                files.append(path)
            elif low.endswith(".wsdl"):
                tree = etree.parse(path)
                for k, s in enumerate(tree.iterfind(f"{{{WSDL}}}types/{{{XS}}}schema")):
                    # Beside the WSDL, so that its relative schemaLocations resolve as before,
                    # and with every namespace declaration in scope: QName values such as
                    # type="tns:T" use prefixes declared on wsdl:definitions.
                    out = os.path.join(dirpath, f"{name}.types-{k}.xsd")
                    copied = etree.Element(s.tag, attrib=dict(s.attrib), nsmap=s.nsmap)
                    copied.text = s.text
                    for child in s:
                        copied.append(copy.deepcopy(child))
                    etree.ElementTree(copied).write(out, xml_declaration=True, encoding="utf-8")
                    files.append(out)
    return files


def resolve(base_file, location):
    """The local file a schemaLocation names, or None when it is not a file of the set."""
    if not location or urllib.parse.urlparse(location).scheme not in ("", "file"):
        return None
    path = os.path.normpath(os.path.join(os.path.dirname(base_file), urllib.parse.unquote(location)))
    return path if os.path.isfile(path) else None


def read_set(folder):
    """The set's schema files parsed, and the roots of each namespace's include graph."""
    trees = {}
    for f in schema_files(folder):
        trees[f] = etree.parse(f, etree.XMLParser(resolve_entities=False, no_network=True))
    included, reached, redefined = {}, set(), set()
    for f, tree in trees.items():
        for kind in ("include", "redefine", "override"):
            for el in tree.getroot().iterfind(f"{{{XS}}}{kind}"):
                target = resolve(f, el.get("schemaLocation"))
                if target:
                    included.setdefault(f, []).append(target)
                    # A file another one redefines is still an entry point of its own (the
                    # standard without the redefinition); one that is included is not.
                    if kind == "include":
                        reached.add(target)
                    else:
                        redefined.add(target)
    roots = {}
    for f, tree in trees.items():
        if f not in reached:
            roots.setdefault(tree.getroot().get("targetNamespace", ""), []).append(f)
    return trees, included, roots, redefined


def redirect_imports(trees, ns_schema):
    """Points every import of a namespace the set declares at that namespace's schema."""
    for f, tree in trees.items():
        changed = False
        for el in tree.getroot().iterfind(f"{{{XS}}}import"):
            target = ns_schema.get(el.get("namespace", ""))
            if target:
                el.set("schemaLocation", os.path.relpath(target, os.path.dirname(f)))
                changed = True
        if changed:
            tree.write(f, xml_declaration=True, encoding="utf-8")


def write_variant(folder, k, chosen):
    """Writes one schema per namespace (including the files `chosen` names for it) and a
    wrapper importing them all; returns the wrapper's path and the namespace schemas."""
    ns_schema = {}
    for n, (ns, members) in enumerate(sorted(chosen.items())):
        path = os.path.join(folder, f"__variant-{k}-namespace-{n}.xsd")
        root = etree.Element(f"{{{XS}}}schema", nsmap={"xs": XS})
        if ns:
            root.set("targetNamespace", ns)
        for m in members:
            etree.SubElement(root, f"{{{XS}}}include", schemaLocation=os.path.relpath(m, folder))
        etree.ElementTree(root).write(path, xml_declaration=True, encoding="utf-8")
        ns_schema[ns] = path
    wrapper = os.path.join(folder, f"__variant-{k}.xsd")
    root = etree.Element(f"{{{XS}}}schema", nsmap={"xs": XS}, targetNamespace=WRAPPER_NS)
    for ns, path in sorted(ns_schema.items()):
        imp = etree.SubElement(root, f"{{{XS}}}import", schemaLocation=os.path.basename(path))
        if ns:
            imp.set("namespace", ns)
    etree.ElementTree(root).write(wrapper, xml_declaration=True, encoding="utf-8")
    return wrapper, ns_schema


def declared_elements(trees, included, ns, files):
    """Global element names (Clark notation) that `files`, as schemas of `ns`, declare with
    everything they include."""
    seen, todo, names = set(), list(files), set()
    while todo:
        f = todo.pop()
        if f in seen or f not in trees:
            continue
        seen.add(f)
        for el in trees[f].getroot().iterfind(f"{{{XS}}}element"):
            if el.get("name"):
                names.add(f"{{{ns}}}{el.get('name')}" if ns else el.get("name"))
        todo.extend(included.get(f, []))
    return names


def load(contract):
    """The compiled variants of the set: (schema, global elements it declares) pairs.

    One variant includes every root file of every namespace. Where that does not compile or a
    root is redefined by another, each root of a namespace with several roots gets a variant of
    its own (see the module's text)."""
    scratch = tempfile.mkdtemp(prefix="libxml2-set-")
    folder = os.path.join(scratch, "set")
    shutil.copytree(contract, folder)
    try:
        trees, included, roots, redefined = read_set(folder)
        # Imports name one schema per namespace; the redirect target is the same for every
        # variant, a namespace schema that includes the files the variant chose.
        shared = {ns: os.path.join(folder, f"__namespace-{n}.xsd") for n, ns in enumerate(sorted(roots))}
        redirect_imports(trees, shared)
        # Joined with the file that redefines it, a redefined file would change for every
        # document: such a set is always split.
        split = any(f in redefined for files in roots.values() for f in files)
        choices = [] if split else [roots]
        for ns, files in sorted(roots.items()):
            if len(files) > 1:
                choices.extend({**roots, ns: [f]} for f in files)
        variants, errors = [], []
        for k, chosen in enumerate(choices):
            wrapper, ns_schema = write_variant(folder, k, chosen)
            for ns, path in ns_schema.items():
                shutil.copyfile(path, shared[ns])
            try:
                schema = etree.XMLSchema(etree.parse(wrapper))
            except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as e:
                errors.append(str(e))
                continue
            declared = set()
            for ns, files in chosen.items():
                declared |= declared_elements(trees, included, ns, files)
            variants.append((schema, declared))
            if not split and k == 0:
                break
        return variants, (errors[0] if errors else None)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def check(schema, element):
    doc = etree.ElementTree(copy.deepcopy(element))
    if schema.validate(doc):
        return None
    e = schema.error_log.last_error
    return f"{e.message} (line {e.line})"


def main() -> int:
    variants, error = load(sys.argv[1])
    if not variants:
        print(json.dumps({"loaded": False, "error": error}))
        return 0
    print(json.dumps({"loaded": True}))

    def judge(part):
        schema = next((s for s, declared in variants if part.tag in declared), None)
        if schema is None:
            return f"no schema of the set declares {part.tag}"
        return check(schema, part)

    def declares(tag):
        return any(tag in declared for _, declared in variants)

    return print_verdicts(sys.argv[2:], judge, declares=declares)


if __name__ == "__main__":
    sys.exit(main())
