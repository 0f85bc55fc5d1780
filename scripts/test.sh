#!/usr/bin/env bash
# The README's test command (`npm test`): type check, then every unit test file in parallel (one
# node:test process per file, as many at once as there are cores), then the integration files two
# at a time: the CLI file (subprocesses in mkdtemp folders, ~150% CPU) beside the notebook file
# (notebooks headless, the exported-report browser check, the JupyterLab check: the tests inside
# it share Jupyter, the exported reports and a browser, and run in order). The two files share
# only the content-addressed simulator cache, which is safe under concurrent processes. Same files
# as before: every *.test.ts under test/unit and test/integration. Exits non-zero on any failure.
#   TEST_CONCURRENCY=<n>         unit files at once (default: the number of cores)
#   INTEGRATION_CONCURRENCY=<n>  integration files at once (default 2; 1 = one after the other)
set -euo pipefail
cd "$(dirname "$0")/.."

jobs="${TEST_CONCURRENCY:-$(node -p 'require("node:os").availableParallelism()')}"
ijobs="${INTEGRATION_CONCURRENCY:-2}"

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
echo "== integration tests (node:test, ${#integration[@]} files, ${ijobs} at a time)"
if [ "${#integration[@]}" -gt 0 ]; then
  node --import tsx --test --test-concurrency="$ijobs" --test-reporter=spec "${integration[@]}" || status=$?
fi
exit "$status"
