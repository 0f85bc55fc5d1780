#!/usr/bin/env bash
# `npm run test:quick`, the edit loop: the type check (tsc) and the unit tests
# (scripts/test-units.sh) side by side, the type check's report after the tests'. Fails when either
# fails. Also the first half of `npm test` (scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
npx tsc -p tsconfig.json >"$log" 2>&1 &
tsc_pid=$!
status=0
bash scripts/test-units.sh || status=$?
if wait "$tsc_pid"; then
  echo "== type check (tsc): ok"
else
  echo "== type check (tsc): FAILED"
  cat "$log"
  status=1
fi
exit "$status"
