#!/usr/bin/env bash
# Log lines go to standard error, never into what a program answers on standard output: docketd
# starts on 127.0.0.1 with a fresh data directory and a demo court, is stopped once it says it
# is listening, and must have written nothing to standard output; `docket export` on the same
# directory (which logs while it opens the store) must print JSON lines and nothing else.
#
#   scripts/logs-check.sh DOCKETD DOCKET
set -euo pipefail

docketd=$(realpath "${1:?usage: scripts/logs-check.sh DOCKETD DOCKET}")
docket=$(realpath "${2:?usage: scripts/logs-check.sh DOCKETD DOCKET}")
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

port=$((20000 + RANDOM % 20000))
"$docketd" --data "$work/data" --listen "127.0.0.1:$port" --demo \
  >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 1 300); do  # at most 30 s
  grep -q "listening" "$work/err" && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
kill -TERM "$pid"
wait "$pid" || true
if ! grep -q "listening" "$work/err"; then
  echo "FAIL: docketd never said on standard error that it was listening:"
  cat "$work/err" "$work/out"
  exit 1
fi
if grep -q "\[info\]\|\[warning\]\|\[error\]" "$work/out"; then
  echo "FAIL: docketd wrote log lines to standard output:"
  grep "\[info\]\|\[warning\]\|\[error\]" "$work/out" | head
  exit 1
fi

"$docket" export --data "$work/data" >"$work/export" 2>"$work/export-err"
if [ ! -s "$work/export" ]; then
  echo "FAIL: docket export printed nothing"
  cat "$work/export-err"
  exit 1
fi
if grep -v '^{' "$work/export" | grep -q .; then
  echo "FAIL: docket export printed lines that are not JSON:"
  grep -v '^{' "$work/export" | head
  exit 1
fi
echo "ok: docketd and docket log to standard error only"
