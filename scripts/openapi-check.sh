#!/usr/bin/env bash
# The client's view of the contract: dumps the OpenAPI document from the route table
# (docketd --print-openapi), lints it with Redocly (tests/openapi/redocly.yaml; no error
# allowed), generates TypeScript types from it with openapi-typescript and compiles
# tests/openapi/client.ts against them with tsc, which uses a filing, a case and lists by their
# real field names. The npm packages are pinned by tests/openapi/package-lock.json.
#
#   scripts/openapi-check.sh DOCKETD [WORK_DIR]
#
# Exits 77 (ctest: skipped) with a message when npm is not installed; any other failure fails.
set -euo pipefail

docketd=$(realpath "${1:?usage: scripts/openapi-check.sh DOCKETD [WORK_DIR]}")
here="$(cd "$(dirname "$0")/.." && pwd)/tests/openapi"
work=${2:-"$(mktemp -d)"}

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: npm and node are needed to lint /v1/openapi.json and compile a client from it;"
  echo "install them (Debian: apt-get install npm) to run this check."
  exit 77
fi

mkdir -p "$work"
for f in package.json package-lock.json redocly.yaml tsconfig.json client.ts; do
  cp "$here/$f" "$work/$f"
done
cd "$work"
# Install only when the pinned packages changed since the last run in this directory.
if ! cmp -s package-lock.json node_modules/.package-lock.copy 2>/dev/null; then
  echo "== npm ci"
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
  cp package-lock.json node_modules/.package-lock.copy
fi

echo "== the OpenAPI document"
"$docketd" --print-openapi >openapi.json
echo "== redocly lint"
npx --no-install redocly lint --config redocly.yaml --format=stylish openapi.json
echo "== openapi-typescript"
rm -rf generated
npx --no-install openapi-typescript openapi.json -o generated/docket.d.ts
echo "== tsc"
npx --no-install tsc -p tsconfig.json
echo "the OpenAPI document lints clean and a client generated from it compiles"
