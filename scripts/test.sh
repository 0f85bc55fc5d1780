#!/usr/bin/env bash
# The README's test command (`npm test`): type check, then every unit and integration test in one
# node:test run (integration = all notebooks executed headless, the exported-report browser check,
# the JupyterLab check, the CLI). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== type check (tsc)"
npx tsc -p tsconfig.json

echo "== tests (node:test): unit, then integration"
mapfile -t files < <(find test/unit test/integration -name '*.test.ts' 2>/dev/null | sort)
if [ "${#files[@]}" -eq 0 ]; then echo "no test files found" >&2; exit 1; fi
# Files run one at a time (the integration files share Jupyter, the exported reports and a
# browser, and the machine has two cores). node:test prints the closing pass/fail summary.
exec node --import tsx --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
