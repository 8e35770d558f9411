"""zeep as a client of our mock service, over mutual TLS.

usage: zeep_client.py --url URL --ca CA.pem --cert CLIENT.pem --key CLIENT.key
                      --report REPORT.xml SOURCE [SOURCE...]

For each SOURCE (a contract zip or a directory with the contract files) zeep loads the WSDL
and, through `create_service(binding, URL)`, makes three calls:
  1. the report as it is, with placeholder signatures: must answer a tx-id;
  2. the report with a personnummer cut to 11 digits: must raise zeep.exceptions.Fault whose
     detail holds {urn:shs:emottagning:SkickaTidredovisning:1}XmlValidationError with a
     `message` child;
  3. the report with an empty assistant signature: the same with SignatureValidationError.
Each result is printed as one JSON line ({"source", "call", "tx_id"} or {"source", "call",
"fault", "message", "faultstring"}) for tests/tests/interop.rs to check against the mock's log.
Any other outcome raises, and the script exits non-zero.
"""

import argparse
import datetime
import json

from interop_common import BINDING, SERVICE_NS, wsdl_path, zeep

import requests  # zeep's own HTTP stack; present wherever zeep is

TIMEOUT_SECONDS = 15


def signature(who, empty=False):
    return {
        "signature": {"_value_1": b"" if empty else f"placeholder signature ({who})".encode()},
        "ocspResponse": {"_value_1": f"placeholder OCSP response ({who})".encode()},
        "datumForSignatur": datetime.date(2016, 10, 3),
    }


def call(service, report, empty_signature=False):
    return service.SkickaTidredovisning(
        tidredovisning={"_value_1": report, "contentType": "text/xml"},
        **{
            "assistent-signatur": signature("assistant", empty=empty_signature),
            "anordnare-signatur": signature("provider"),
        },
    )


def expect_fault(client, source, name, declared, thunk):
    """Runs `thunk`, which must raise a Fault whose detail is the `declared` element; reads the
    detail with zeep's own schema for that element and prints it."""
    try:
        result = thunk()
    except zeep.exceptions.Fault as fault:
        if fault.detail is None:
            raise AssertionError(f"{name}: a fault without detail: {fault.message!r}")
        qname = f"{{{SERVICE_NS}}}{declared}"
        entries = [c for c in fault.detail if isinstance(c.tag, str)]
        if [e.tag for e in entries] != [qname]:
            raise AssertionError(
                f"{name}: expected the detail to hold {qname}, found {[e.tag for e in entries]}"
            )
        # The declared fault element, as zeep reads it from the WSDL's schema.
        element = client.get_element(qname)
        detail = element.parse(entries[0], client.wsdl.types)
        message_elements = entries[0].findall(f"{{{SERVICE_NS}}}message")
        if len(message_elements) != 1 or not detail.message:
            raise AssertionError(f"{name}: {qname} has no message: {detail!r}")
        print(
            json.dumps(
                {
                    "source": source,
                    "call": name,
                    "fault": declared,
                    "message": detail.message,
                    "faultstring": fault.message,
                }
            ),
            flush=True,
        )
        return
    raise AssertionError(f"{name}: expected a {declared} fault, got {result!r}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--ca", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--report", required=True)
    p.add_argument("sources", nargs="+")
    args = p.parse_args()

    with open(args.report, "rb") as f:
        report = f.read()
    invalid = report.replace(
        b"<personnummer>191212121212</personnummer>",
        b"<personnummer>19121212121</personnummer>",
        1,
    )
    assert invalid != report, "the report has no <personnummer>191212121212</personnummer>"

    session = requests.Session()
    # Only what is given here: requests would otherwise let REQUESTS_CA_BUNDLE override
    # `verify`, and send loopback calls through a proxy named in the environment.
    session.trust_env = False
    session.cert = (args.cert, args.key)
    session.verify = args.ca
    transport = zeep.Transport(
        session=session, timeout=TIMEOUT_SECONDS, operation_timeout=TIMEOUT_SECONDS
    )
    for source in args.sources:
        with wsdl_path(source) as path:
            client = zeep.Client(path, transport=transport)
            service = client.create_service(BINDING, args.url)

            response = call(service, report)
            print(
                json.dumps({"source": source, "call": "valid", "tx_id": response["tx-id"]}),
                flush=True,
            )
            expect_fault(
                client, source, "invalid", "XmlValidationError", lambda: call(service, invalid)
            )
            expect_fault(
                client,
                source,
                "empty-signature",
                "SignatureValidationError",
                lambda: call(service, report, empty_signature=True),
            )


if __name__ == "__main__":
    main()
