"""Execute one notebook headless with the project's tslab kernel and export it to HTML.

Usage: python scripts/execute_notebook.py NOTEBOOK.ipynb OUT.html [--timeout SECONDS]

Prints one JSON line on stdout: {"ok": true, "cells": N, "seconds": S} or
{"ok": false, "cell": K, "ename": ..., "evalue": ..., "traceback": ...} where K is the 1-based
index of the failing cell among all cells of the notebook. Exit code 0 on success, 1 on a failing
cell, 2 on a usage or infrastructure problem. Never uses allow_errors: the first error stops the run.
"""
import json
import re
import os
import sys
import time
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The project-local kernelspec (.jupyter/kernels/tslab); set before jupyter_client is imported.
os.environ.setdefault("JUPYTER_PATH", os.path.join(ROOT, ".jupyter"))
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
warnings.filterwarnings("ignore", module="nbformat")

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter


REMOTE_SCRIPT = re.compile(r'<script[^>]*\ssrc="https?://[^"]*"[^>]*>\s*</script>', re.IGNORECASE)


def strip_remote_scripts(html: str) -> str:
    """Drop the template's CDN scripts (require.js, MathJax): reports must work offline, and
    require.js would turn plotly's UMD bundle into an AMD module instead of window.Plotly."""
    return REMOTE_SCRIPT.sub("", html)


def main() -> int:
    args = sys.argv[1:]
    if len(args) < 2:
        print(json.dumps({"ok": False, "error": "usage: execute_notebook.py NOTEBOOK.ipynb OUT.html [--timeout S]"}))
        return 2
    src, out = args[0], args[1]
    timeout = int(args[args.index("--timeout") + 1]) if "--timeout" in args else 1200
    nb = nbformat.read(src, as_version=4)
    nbformat.validator.normalize(nb)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="tslab",
        allow_errors=False,
        record_timing=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(src))}},
    )
    started = time.time()
    failure = None
    try:
        # Execute cell by cell so the failing cell is known exactly (tslab reports errors as a
        # stderr stream plus an error reply, not as an "error" output).
        with client.setup_kernel():
            for k, cell in enumerate(nb.cells, start=1):
                if cell.cell_type != "code":
                    continue
                try:
                    client.execute_cell(cell, k - 1)
                except CellExecutionError as e:
                    stderr = "".join(o.get("text", "") for o in cell.get("outputs", [])
                                     if o.get("output_type") == "stream" and o.get("name") == "stderr")
                    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
                    first_line = next((l for l in stderr.splitlines() if re.match(r"^\w*(Error|Exception)\b", l)), "")
                    failure = {
                        "kind": "cell", "cell": k,
                        "ename": (errors[0].get("ename") if errors else "") or getattr(e, "ename", "") or first_line.split(":")[0] or "Error",
                        "evalue": (errors[0].get("evalue") if errors else "") or getattr(e, "evalue", "") or first_line.partition(":")[2].strip(),
                        "traceback": stderr or "\n".join(errors[0].get("traceback", []) if errors else []),
                    }
                    failure["ename"] = str(failure["ename"]).strip("<>")
                    break
    except Exception as e:  # kernel did not start, died, or timed out
        failure = {"kind": "kernel", "cell": -1, "ename": type(e).__name__, "evalue": str(e)[:4000], "traceback": ""}
    seconds = round(time.time() - started, 1)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    body, _ = HTMLExporter().from_notebook_node(nb)
    body = strip_remote_scripts(body)
    with open(out, "w", encoding="utf-8") as f:
        f.write(body)
    if failure:
        failure.update(ok=False, seconds=seconds)
        print(json.dumps(failure))
        return 1
    print(json.dumps({"ok": True, "cells": len(nb.cells), "seconds": seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
