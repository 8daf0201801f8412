#!/usr/bin/env bash
# Installs the Debian packages Docket builds, tests and runs with, when any is missing.
# Needs root (or sudo) only when something has to be installed.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git python3
  libboost1.81-dev libboost-json1.81-dev
  librocksdb-dev
  libflatbuffers-dev flatbuffers-compiler
  libcereal-dev libspdlog-dev libssl-dev libsodium-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-format curl ccache
)
# The OpenAPI check (scripts/openapi-check.sh) runs Redocly, openapi-typescript and tsc from npm;
# Debian's node and npm unless the machine already has an npm of its own.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
