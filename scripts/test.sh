#!/usr/bin/env bash
# The README's test command (`npm test`): the type check beside every unit test file in parallel
# (scripts/test-quick.sh, scripts/test-units.sh: one shard process per core, each running its
# share of the files), then the integration files two at a time: the CLI file (subprocesses in mkdtemp folders, ~150% CPU) beside the notebook file
# (notebooks headless, the exported-report browser check, the JupyterLab check: the tests inside
# it share Jupyter, the exported reports and a browser, and run in order). The two files share
# only the content-addressed simulator cache, which is safe under concurrent processes. Same files
# as before: every *.test.ts under test/unit and test/integration. Exits non-zero on any failure.
#   TEST_CONCURRENCY=<n>         unit shards (default: the number of cores)
#   TEST_ISOLATION=process       unit files one process each instead of shards
#   INTEGRATION_CONCURRENCY=<n>  integration files at once (default 2; 1 = one after the other)
set -euo pipefail
cd "$(dirname "$0")/.."

jobs="${TEST_CONCURRENCY:-$(node -p 'require("node:os").availableParallelism()')}"
ijobs="${INTEGRATION_CONCURRENCY:-2}"

mapfile -t integration < <(find test/integration -name '*.test.ts' 2>/dev/null | sort)

status=0
echo "== type check (tsc) beside the unit tests (scripts/test-quick.sh: ${jobs} shard(s); TEST_ISOLATION=process for one process per file)"
TEST_CONCURRENCY="$jobs" bash scripts/test-quick.sh || status=$?
echo "== integration tests (node:test, ${#integration[@]} files, ${ijobs} at a time)"
if [ "${#integration[@]}" -gt 0 ]; then
  node --import tsx --test --test-concurrency="$ijobs" --test-reporter=spec "${integration[@]}" || status=$?
fi
exit "$status"
