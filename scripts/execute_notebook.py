"""Execute one notebook headless with the project's tslab kernel and export it to HTML.

Usage: python scripts/execute_notebook.py NOTEBOOK.ipynb OUT.html [--timeout SECONDS]

Prints one JSON line on stdout: {"ok": true, "cells": N, "seconds": S} or
{"ok": false, "cell": K, "ename": ..., "evalue": ..., "traceback": ...} where K is the 1-based
index of the failing cell among all cells of the notebook. Exit code 0 on success, 1 on a failing
cell, 2 on a usage or infrastructure problem. Never uses allow_errors: the first error stops the run.
"""
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter


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
        client.execute()
    except CellExecutionError as e:
        failure = {"kind": "cell"}
        for k, cell in enumerate(nb.cells, start=1):
            for o in cell.get("outputs", []):
                if o.get("output_type") == "error":
                    failure.update(cell=k, ename=o.get("ename", ""), evalue=o.get("evalue", ""),
                                   traceback="\n".join(o.get("traceback", [])))
        if "cell" not in failure:
            failure.update(cell=-1, ename="CellExecutionError", evalue=str(e)[:4000], traceback="")
    except (CellTimeoutError, DeadKernelError) as e:
        failure = {"kind": "kernel", "cell": -1, "ename": type(e).__name__, "evalue": str(e)[:4000], "traceback": ""}
    seconds = round(time.time() - started, 1)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    body, _ = HTMLExporter().from_notebook_node(nb)
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
