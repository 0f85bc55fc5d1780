#!/usr/bin/env bash
# The README's test command (`npm test`): type check, then every unit test file in parallel (one
# node:test process per file, as many at once as there are cores), then every integration file one
# at a time (notebooks executed headless, the exported-report browser check, the JupyterLab check,
# the CLI: they share Jupyter, the exported reports and a browser). Same files as before: every
# *.test.ts under test/unit and test/integration. Exits non-zero on any failure.
#   TEST_CONCURRENCY=<n>  unit files at once (default: the number of cores)
set -euo pipefail
cd "$(dirname "$0")/.."

jobs="${TEST_CONCURRENCY:-$(node -p 'require("node:os").availableParallelism()')}"

echo "== type check (tsc)"
npx tsc -p tsconfig.json

mapfile -t units < <(find test/unit -name '*.test.ts' 2>/dev/null | sort)
mapfile -t integration < <(find test/integration -name '*.test.ts' 2>/dev/null | sort)
if [ "$((${#units[@]} + ${#integration[@]}))" -eq 0 ]; then echo "no test files found" >&2; exit 1; fi

status=0
echo "== unit tests (node:test, ${#units[@]} files, ${jobs} at a time)"
if [ "${#units[@]}" -gt 0 ]; then
  node --import tsx --test --test-concurrency="$jobs" --test-reporter=spec "${units[@]}" || status=$?
fi
echo "== integration tests (node:test, ${#integration[@]} files, one at a time)"
if [ "${#integration[@]}" -gt 0 ]; then
  node --import tsx --test --test-concurrency=1 --test-reporter=spec "${integration[@]}" || status=$?
fi
exit "$status"
