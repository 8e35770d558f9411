"""Does our client send the request zeep builds from the WSDL for the same inputs?

usage: request_equality.py INPUTS.json SOURCE [SOURCE...]

INPUTS.json (written by tests/tests/interop.rs) holds the SOAPAction our client sends and the
cases: for each, the file with the envelope our client sends and the inputs it was built from
(bytes as hex, so that the base64 on both sides is made independently). Each SOURCE is a
contract zip or a directory with the contract files; zeep loads the interaction WSDL from it,
builds the message with `client.create_message(...)`, and the SOAP Body children are compared
as trees: namespace, local name, attributes with their namespaces, text (whitespace-only text
ignored), children; prefixes do not matter. Exits 1 with a diff on the first difference.
"""

import datetime
import difflib
import json
import sys

from interop_common import (
    BINDING,
    body_children,
    canon,
    etree,
    render,
    wsdl_path,
    zeep,
)


def binary(value):
    """An xmime:base64Binary value as zeep takes it: the bytes in `_value_1`, the content type
    as the `contentType` attribute."""
    out = {"_value_1": bytes.fromhex(value["hex"])}
    if value.get("contentType") is not None:
        out["contentType"] = value["contentType"]
    return out


def extensions(values):
    return [etree.fromstring(x.encode("utf-8")) for x in values]


def signature(value):
    out = {
        "signature": binary(value["signature"]),
        "ocspResponse": binary(value["ocspResponse"]),
        "datumForSignatur": datetime.date.fromisoformat(value["datumForSignatur"]),
    }
    if value.get("any"):
        out["_value_1"] = extensions(value["any"])
    return out


def zeep_body(client, case):
    kwargs = {
        "tidredovisning": binary(case["tidredovisning"]),
        # Element names with hyphens are not Python identifiers; zeep takes them by name.
        "assistent-signatur": signature(case["assistent-signatur"]),
        "anordnare-signatur": signature(case["anordnare-signatur"]),
    }
    if case.get("any"):
        kwargs["_value_1"] = extensions(case["any"])
    envelope = client.create_message(client.service, "SkickaTidredovisning", **kwargs)
    return body_children(envelope)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        inputs = json.load(f)
    failures = 0
    for source in sys.argv[2:]:
        with wsdl_path(source) as path:
            client = zeep.Client(path)
            binding = client.wsdl.bindings[BINDING]
            operation = binding.get("SkickaTidredovisning")
            if not isinstance(binding, zeep.wsdl.bindings.Soap11Binding):
                print(f"FAIL {source}: the binding is {type(binding).__name__}, not SOAP 1.1")
                failures += 1
            if operation.soapaction != inputs["soap_action"]:
                print(
                    f"FAIL {source}: SOAPAction: ours {inputs['soap_action']!r}, "
                    f"the WSDL's {operation.soapaction!r}"
                )
                failures += 1
            for case in inputs["cases"]:
                ours = body_children(etree.parse(case["request"]).getroot())
                theirs = zeep_body(client, case)
                a = [line for el in ours for line in render(canon(el))]
                b = [line for el in theirs for line in render(canon(el))]
                if a == b:
                    print(f"ok   {source}: {case['name']}: the same {len(a)}-line tree")
                    continue
                failures += 1
                print(f"FAIL {source}: {case['name']}: the Body differs")
                sys.stdout.writelines(
                    line + "\n"
                    for line in difflib.unified_diff(
                        a, b, "ours (elt-soap)", "zeep create_message", lineterm="", n=3
                    )
                )
    if failures:
        sys.exit(f"{failures} difference(s) between our request and zeep's")


if __name__ == "__main__":
    main()
