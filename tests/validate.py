"""Validate XML documents against an XSD with the independent `xmlschema` package.

Usage: validate.py SCHEMA.xsd DOC.xml [DOC.xml ...]

Exit status: 0 when every document is valid; 1 with the reason on the first invalid document
(a validation error, or a QName such as an `xsi:type` naming nothing the schema declares);
2 when the schema cannot be loaded; 3 when validation fails otherwise. Only 1 means "the schema
rejects the document", so a broken validator never passes for a rejection.
"""
import sys

import xmlschema


def main() -> int:
    try:
        schema = xmlschema.XMLSchema(sys.argv[1])
    except Exception as e:  # noqa: BLE001 - any failure to load is a schema error
        print(f"{sys.argv[1]}: schema error: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    for path in sys.argv[2:]:
        try:
            schema.validate(path)
        except xmlschema.XMLSchemaValidationError as e:
            print(f"{path}: invalid: {e.reason} at {e.path}")
            return 1
        except xmlschema.XMLSchemaKeyError as e:
            # An xsi:type or other QName the schema does not declare (cvc-elt.4.2).
            print(f"{path}: invalid: {e}")
            return 1
        except Exception as e:  # noqa: BLE001 - reported as the validator's own failure
            print(f"{path}: validator failed: {type(e).__name__}: {e}", file=sys.stderr)
            return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
