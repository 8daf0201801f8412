#!/usr/bin/env bash
# Runs every test: installs what is missing, checks formatting, builds the asan preset (a Debug
# build under AddressSanitizer + UndefinedBehaviorSanitizer, benchmarks included so they always
# compile) and runs the whole suite under it. Exits non-zero on any failure.
#
# One sanitized build rather than a plain Debug build and a sanitized one: the sanitized suite
# checks everything the plain one does and more, and a second cold build would double the run.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh

jobs=$(nproc)

# Compiler cache: paths are taken relative to the checkout, so another clone of the same code on
# this machine reuses the objects.
if command -v ccache >/dev/null 2>&1; then
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache
  export CCACHE_BASEDIR="$PWD"
  export CCACHE_NOHASHDIR=true
  export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
fi

echo "== format check"
mapfile -t sources < <(git ls-files '*.cc' '*.h')
if [ ${#sources[@]} -gt 0 ]; then
  clang-format --dry-run -Werror "${sources[@]}"
fi

preset=asan
echo "== build ($preset)"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs"
echo "== test ($preset)"
ctest --preset "$preset" -j "$jobs"
