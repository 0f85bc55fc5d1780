#!/usr/bin/env bash
# `npm run lab`: JupyterLab from the project-local .venv with the project-local tslab kernelspec.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/jupyter ]; then
  echo "The Jupyter environment is missing: run 'npm run setup' (or 'npm install') first." >&2
  exit 1
fi
if [ ! -f .venv/package.json ]; then
  # Without it JupyterLab's bundled yarn runs as ESM (our package.json says "type": "module") and
  # prints ~11 KB of minified source ending in 'Dynamic require of "util"' (harmless, but alarming).
  node scripts/setup.mjs --if-needed
fi
export JUPYTER_PATH="$PWD/.jupyter"
export JUPYTER_RUNTIME_DIR="$PWD/.jupyter/runtime"
export JUPYTER_PLATFORM_DIRS=1
extra=()
[ "$(id -u)" = "0" ] && extra+=(--allow-root)
exec .venv/bin/jupyter lab --notebook-dir="$PWD" "${extra[@]}" "$@"
