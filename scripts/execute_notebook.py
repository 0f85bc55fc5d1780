"""Execute one notebook headless with the project's tslab kernel and export it to HTML.

Usage: python scripts/execute_notebook.py NOTEBOOK.ipynb OUT.html [--timeout SECONDS] [--provenance TEXT]

The exported HTML gets the notebook's title, a table of contents (with the provenance line: commit,
data present), code inputs hidden behind a Show/Hide code toggle, execution counts, scrolling outputs.

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


import html as htmllib

REMOTE_SCRIPT = re.compile(r'<script[^>]*\ssrc="https?://[^"]*"[^>]*>\s*</script>', re.IGNORECASE)


def strip_remote_scripts(html: str) -> str:
    """Drop the template's CDN scripts (require.js, MathJax): reports must work offline, and
    require.js would turn plotly's UMD bundle into an AMD module instead of window.Plotly."""
    return REMOTE_SCRIPT.sub("", html)


def notebook_title(nb) -> str:
    """The notebook's title: the text of its first Markdown heading (any level), else its file stem."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            m = re.match(r"^\s*#{1,6}\s+(.+?)\s*#*\s*$", line)
            if m:
                return re.sub(r"[*_`]", "", m.group(1)).strip()
    return ""


HEADING = re.compile(r"<h([1-3])(\s[^>]*)?>(.*?)</h\1>", re.IGNORECASE | re.DOTALL)

REPORT_CSS = """
<style id="rotation-report-css">
body.rotation-hide-code .jp-CodeCell .jp-Cell-inputWrapper { display: none; }
.rotation-toolbar { position: fixed; top: 8px; right: 12px; z-index: 1000; }
.rotation-toolbar button { font: 13px -apple-system, Segoe UI, Helvetica, Arial, sans-serif; padding: 4px 10px;
  border: 1px solid #bbb; border-radius: 4px; background: #fff; cursor: pointer; }
nav.rotation-toc { font: 13px -apple-system, Segoe UI, Helvetica, Arial, sans-serif; border: 1px solid #ddd;
  background: #fafafa; padding: 8px 16px; margin: 12px 16px; max-width: 900px; }
nav.rotation-toc ul { margin: 4px 0; padding-left: 18px; }
nav.rotation-toc li.toc-h3 { margin-left: 16px; }
nav.rotation-toc .rotation-provenance { color: #666; font-size: 12px; margin-top: 6px; }
.jp-OutputArea-output { overflow-x: auto; max-width: 100%; }
.jp-RenderedHTMLCommon .rotation-table-wrap { overflow-x: auto; max-width: 100%; }
.jp-RenderedHTMLCommon table.rotation-table { margin: 8px 0; }
.jp-RenderedHTMLCommon table.rotation-table td, .jp-RenderedHTMLCommon table.rotation-table th { white-space: nowrap; }
</style>
"""

TOGGLE_JS = """
<script type="text/javascript">(function(){
var b=document.getElementById('rotation-toggle-code');if(!b)return;
function label(){b.textContent=document.body.classList.contains('rotation-hide-code')?'Show code':'Hide code';}
b.addEventListener('click',function(){document.body.classList.toggle('rotation-hide-code');label();});label();
})();</script>
"""


def report_chrome(body: str, title: str, provenance: str = "") -> str:
    """Report finishing on the exported HTML: a table of contents of the h1-h3 headings (ids added
    where missing), the code cells' inputs hidden by default with a Show/Hide code toggle, and CSS
    that lets wide outputs scroll instead of clipping."""
    toc = []  # (level, id as written in the attribute, i.e. already HTML-escaped, text)
    counter = [0]

    def add_id(m):
        level, attrs, inner = m.group(1), m.group(2) or "", m.group(3)
        idm = re.search(r'\sid="([^"]+)"', attrs)
        if idm:
            hid = idm.group(1)
        else:
            counter[0] += 1
            hid = f"rotation-h-{counter[0]}"
            attrs = f'{attrs} id="{hid}"'
        text = re.sub(r"<a[^>]*class=\"anchor-link\"[^>]*>.*?</a>", "", inner, flags=re.DOTALL)
        text = htmllib.unescape(re.sub(r"<[^>]+>", "", text)).replace("\u00b6", "").strip()
        # skip empty headings and a heading repeating the previous one (a Markdown "Key results"
        # heading followed by the same heading displayed by nb.saveKeyResults)
        if text and not (toc and toc[-1][2] == text):
            toc.append((int(level), hid, text))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    # Headings only outside <script> blocks (chart data never holds a raw "<h").
    parts = re.split(r"(<script[\s\S]*?</script>)", body, flags=re.IGNORECASE)
    parts = [p if p.lower().startswith("<script") else HEADING.sub(add_id, p) for p in parts]
    body = "".join(parts)
    items = "".join(
        f'<li class="toc-h{lvl}"><a href="#{hid}">{htmllib.escape(text)}</a></li>'
        for lvl, hid, text in toc if lvl > 1 or len(toc) == 1
    )
    nav = (f'<div class="rotation-toolbar"><button id="rotation-toggle-code" type="button">Show code</button></div>\n'
           f'<nav class="rotation-toc" id="rotation-toc"><strong>Contents</strong><ul>{items}</ul>'
           + (f'<div class="rotation-provenance">{htmllib.escape(provenance)}</div>' if provenance else "")
           + '</nav>\n')
    body = body.replace("</head>", REPORT_CSS + "</head>", 1)
    body = re.sub(r"<body([^>]*)>", lambda m: _body_open(m.group(1)) + "\n" + nav, body, count=1)
    body = body.replace("</body>", TOGGLE_JS + "</body>", 1)
    return body


def _body_open(attrs: str) -> str:
    m = re.search(r'class="([^"]*)"', attrs)
    if m:
        return "<body" + attrs.replace(m.group(0), f'class="{m.group(1)} rotation-hide-code"') + ">"
    return f'<body{attrs} class="rotation-hide-code">'


def main() -> int:
    args = sys.argv[1:]
    if len(args) < 2:
        print(json.dumps({"ok": False, "error": "usage: execute_notebook.py NOTEBOOK.ipynb OUT.html [--timeout S]"}))
        return 2
    src, out = args[0], args[1]
    timeout = int(args[args.index("--timeout") + 1]) if "--timeout" in args else 1200
    provenance = args[args.index("--provenance") + 1] if "--provenance" in args else ""
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
            count = 0
            for k, cell in enumerate(nb.cells, start=1):
                if cell.cell_type != "code":
                    continue
                count += 1
                try:
                    # The execution count is recorded so the report shows In [n]: (tslab's replies
                    # leave it unset, which nbconvert renders as an unexecuted In [ ]:).
                    client.execute_cell(cell, k - 1, execution_count=count)
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
    title = notebook_title(nb) or os.path.splitext(os.path.basename(src))[0]
    body, _ = HTMLExporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = strip_remote_scripts(body)
    body = report_chrome(body, title, provenance)
    with open(out, "w", encoding="utf-8") as f:
        f.write(body)
    if failure:
        failure.update(ok=False, seconds=seconds)
        print(json.dumps(failure))
        return 1
    print(json.dumps({"ok": True, "cells": len(nb.cells), "seconds": seconds, "bytes": len(body.encode("utf-8")), "title": title}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
