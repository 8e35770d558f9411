#!/usr/bin/env bash
# Rebuild ELT.zip from the stand-in sources in src/, byte for byte reproducibly:
# the four files at the zip root, added in sorted order, with fixed timestamps
# and permissions and no extra fields.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/src"
out="$here/ELT.zip"
files=(
  SkickaTidredovisningInteraction_1.0_shsbp10.wsdl
  SkickaTidredovisningResponder_1.0.xsd
  tidredovisning_extern_v1.xsd
  xmlmime.xsd
)

command -v zip >/dev/null || { echo "make-zip.sh: the 'zip' command is needed (apt-get install zip)" >&2; exit 1; }

export TZ=UTC LC_ALL=C
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

for f in "${files[@]}"; do
  cp "$src/$f" "$stage/$f"
  chmod 0644 "$stage/$f"
  touch -d '2016-06-20 00:00:00 UTC' "$stage/$f"
done

mapfile -t sorted < <(printf '%s\n' "${files[@]}" | sort)
(cd "$stage" && zip -q -X -D -9 "$stage/ELT.zip" "${sorted[@]}")
mv -f "$stage/ELT.zip" "$out"
echo "wrote $out"
