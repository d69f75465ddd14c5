#!/usr/bin/env bash
# Reproducibility check: builds this working tree twice, from two fresh copies in different directories and at
# different times, and compares every jar and SBOM the builds produce byte for byte (SHA-256).
#   tools/check-reproducible.sh [extra Maven arguments]
# With -o (offline) Maven skips the CycloneDX SBOMs (the plugin requires online mode), so only jars are compared.
# Exit 0 when every file is identical, 1 when one differs (the two trees are kept for diffoscope/unzip -l).
# Slow (two full `package` builds); not part of `verify`. Uses the shared ~/.m2 read-only (package, never install).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/streamloader-repro.XXXXXX")"
keep=false
trap '$keep || rm -rf "$work"' EXIT

for copy in first second; do
  mkdir -p "$work/$copy"
  # tracked and new files of the working tree (uncommitted edits included), never target/ or other ignored files
  (cd "$root" && git ls-files -z --cached --others --exclude-standard \
    | xargs -0 tar --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$work/$copy"
  echo "build $copy: $work/$copy" >&2
  (cd "$work/$copy" && ./mvnw -B -q "$@" package -DskipTests -Dspotless.check.skip=true) >&2
done

list() {
  (cd "$1" && find . -path '*/target/*' -not -path '*/it-tmp/*' -type f \( -name '*.jar' -o -name '*.cdx.json' \) \
    -exec sha256sum {} + | sort -k2)
}
list "$work/first" > "$work/first.sha256"
list "$work/second" > "$work/second.sha256"

own=$(grep -c '/streamloader-[^/]*\.jar$' "$work/first.sha256" || true)
total=$(wc -l < "$work/first.sha256")
if [ "$total" -eq 0 ]; then
  echo "no jars were built" >&2
  keep=true
  exit 1
fi
if diff -u "$work/first.sha256" "$work/second.sha256"; then
  echo "reproducible: $total files identical in both builds ($own of them streamloader's own jars)"
  grep -E '/(streamloader-[^/]*\.jar|[^/]*\.cdx\.json)$' "$work/first.sha256" | grep -v '/lib/\|/plugins/\|/plugin/' || true
else
  keep=true
  echo "NOT reproducible: the files above differ; both builds are kept in $work" >&2
  exit 1
fi
