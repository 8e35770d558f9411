#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ (git-ignored) from the project's own files and, when present,
# the real-world schema sets in ../shared/corpus (read, never copied into the repository).
set -euo pipefail
cd "$(dirname "$0")"
root=..
shared=../../shared/corpus
mkdir -p corpus/{input_zip,input_folder,wsdl_model,elt_deserialize,soap_response}

cp "$root/wsdl/elt/ELT.zip" corpus/input_zip/elt.zip
# The saved regression inputs (tests/fuzz-regressions/<target>/) are seeds too.
for target in input_zip wsdl_model elt_deserialize soap_response; do
  cp "$root/tests/fuzz-regressions/$target"/* "corpus/$target/"
done
cp "$root"/wsdl/elt/examples/*.xml corpus/elt_deserialize/
cp "$root"/tests/corpus-instances/fk_shs_emottagning/*.xml corpus/elt_deserialize/
if [ -d "$shared" ]; then
  for case in "$shared"/*/; do
    name=$(basename "$case")
    find "$case" -name '*.wsdl' | while read -r f; do cp "$f" "corpus/wsdl_model/$name-$(basename "$f")"; done
    # One zip per case, its layout kept.
    python3 - "$case" "corpus/input_zip/$name.zip" <<'PY'
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for dirpath, _, files in os.walk(src):
        for f in sorted(files):
            if f.endswith((".wsdl", ".xsd")):
                p = os.path.join(dirpath, f)
                z.write(p, os.path.relpath(p, src))
PY
  done
fi
ns11=http://schemas.xmlsoap.org/soap/envelope/
ns12=http://www.w3.org/2003/05/soap-envelope
svc=urn:shs:emottagning:SkickaTidredovisning:1
printf '%s' "<s:Envelope xmlns:s=\"$ns11\"><s:Body><SkickaTidredovisningResponse xmlns=\"$svc\"><tx-id>14e81789-715d-497b-b63c-eada732800eb</tx-id></SkickaTidredovisningResponse></s:Body></s:Envelope>" > corpus/soap_response/ok11.xml
printf '%s' "<env:Envelope xmlns:env=\"$ns12\"><env:Header><h xmlns=\"urn:h\"/></env:Header><env:Body><SkickaTidredovisningResponse xmlns=\"$svc\"><tx-id>1</tx-id><x xmlns=\"urn:other\"/></SkickaTidredovisningResponse></env:Body></env:Envelope>" > corpus/soap_response/ok12.xml
printf '%s' "<s:Envelope xmlns:s=\"$ns11\"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>invalid</faultstring><detail><XmlValidationError xmlns=\"$svc\"><message>line 3</message></XmlValidationError></detail></s:Fault></s:Body></s:Envelope>" > corpus/soap_response/fault11.xml
printf '%s' "<env:Envelope xmlns:env=\"$ns12\"><env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value></env:Code><env:Reason><env:Text xml:lang=\"en\">bad</env:Text></env:Reason><env:Detail><SignatureValidationError xmlns=\"$svc\"><message>x</message></SignatureValidationError></env:Detail></env:Fault></env:Body></env:Envelope>" > corpus/soap_response/fault12.xml
echo "seeded: $(find corpus -type f | wc -l) files"
