#!/usr/bin/env bash
# Runs the server: installs what is missing, builds the release preset and starts docketd on
# 127.0.0.1:8080 with an embedded data directory (./var/data) and a demo court to log into.
#   scripts/serve.sh [extra docketd arguments]
# The payment callback's secret comes from a file (--payment-secret-file F) or the environment
# (DOCKET_PAYMENT_SECRET), never from an argument: arguments are visible to every local user.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target docketd
mkdir -p var/data
exec build/release/api/docketd --data var/data --listen "${DOCKET_LISTEN:-127.0.0.1:8080}" --demo "$@"
