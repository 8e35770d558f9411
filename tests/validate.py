"""Validate XML documents against an XSD with the independent `xmlschema` package.

Usage: validate.py SCHEMA.xsd DOC.xml [DOC.xml ...]; exits 1 with the reason on the first
invalid document.
"""
import sys

import xmlschema


def main() -> int:
    schema = xmlschema.XMLSchema(sys.argv[1])
    for path in sys.argv[2:]:
        try:
            schema.validate(path)
        except xmlschema.XMLSchemaValidationError as e:
            print(f"{path}: invalid: {e.reason} at {e.path}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
