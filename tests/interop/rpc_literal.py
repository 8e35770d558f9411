"""zeep on the rpc/literal fixture (elt-codegen/tests/fixtures/features/rpc_literal/report.wsdl).

usage: rpc_literal.py WSDL build-request INPUTS.json   prints the request envelope zeep builds
       rpc_literal.py WSDL read-request ENVELOPE       prints, as JSON, the values zeep reads
                                                       from a request envelope (ours)
       rpc_literal.py WSDL read-response ENVELOPE      the same for a response envelope (ours)

INPUTS.json holds the operation's parts by name; the person's `hours` is a decimal as a string.
Values read are printed with decimals as strings, so both sides compare exact text.

zeep reads an rpc response by its first body element, whatever its name; it is never asked to
build one (its `serialize` of an output message names the wrapper after the message, not
`ReportResponse` as WS-I Basic Profile R2729 has it).
"""

import decimal
import json
import sys

import zeep
import zeep.helpers
from lxml import etree

OPERATION = "Report"


def client(wsdl):
    return zeep.Client(wsdl)


def kwargs(path):
    with open(path, encoding="utf-8") as f:
        values = json.load(f)
    person = values.get("person")
    if person is not None and person.get("hours") is not None:
        person["hours"] = decimal.Decimal(person["hours"])
    return values


def plain(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def main(argv):
    wsdl, command, path = argv[1], argv[2], argv[3]
    c = client(wsdl)
    operation = c.service._binding.get(OPERATION)
    if command == "build-request":
        node = c.create_message(c.service, OPERATION, **kwargs(path))
        sys.stdout.write(etree.tostring(node, encoding="unicode"))
    elif command in ("read-request", "read-response"):
        with open(path, "rb") as f:
            envelope = etree.fromstring(f.read())
        message = operation.input if command == "read-request" else operation.output
        result = message.deserialize(envelope)
        values = zeep.helpers.serialize_object(result, dict)
        json.dump(plain(values), sys.stdout)
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
