"""``--report FILE.html``: one self-contained page to attach to an issue or mail.

Sections (each an ``<section id=...>``): ``environment``, ``ceilings``, ``results`` (a table
per op), ``plots`` (PNG images embedded as data URIs, one per op and the roofline) and, when a
baseline was given, ``compare`` (the verdict of every cell). No external file or script.
"""

from __future__ import annotations

import base64
import html
from typing import Any

from .compare import Verdict
from .report import LEGEND, TITLES, ceilings_text, cell

_CSS = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:0.9em}
th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;white-space:nowrap}
th{background:#f3f3f3} .FASTER{color:#0a7a0a} .SLOWER{color:#b00020;font-weight:bold}
.NOISY{color:#a06000} img{max-width:100%;border:1px solid #eee;margin:0.5em 0}
pre{background:#f7f7f7;padding:0.6em;overflow-x:auto} .partial{color:#b00020}
"""


def _table(header: list[str], body: list[list[Any]], classes: list[str] | None = None) -> str:
    out = ["<table><tr>" + "".join(f"<th>{html.escape(str(h))}</th>" for h in header) + "</tr>"]
    for i, line in enumerate(body):
        cls = f' class="{classes[i]}"' if classes else ""
        out.append(
            f"<tr{cls}>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in line) + "</tr>"
        )
    return "\n".join(out) + "</table>"


def _flatten(d: dict[str, Any], prefix: str = "") -> list[list[Any]]:
    rows: list[list[Any]] = []
    for k, v in d.items():
        if isinstance(v, dict):
            rows += _flatten(v, f"{prefix}{k}.")
        else:
            rows.append([f"{prefix}{k}", v])
    return rows


def _results(rows: list[dict[str, Any]]) -> str:
    parts = []
    for op in dict.fromkeys(r["op"] for r in rows):
        sel = [r for r in rows if r["op"] == op]
        backends = list(dict.fromkeys(r["backend"] for r in sel))
        keys = list(dict.fromkeys((r["size"], r["dtype"], r["variant"]) for r in sel))
        body = []
        for k in keys:
            line = list(k)
            for bk in backends:
                m = [
                    r
                    for r in sel
                    if (r["size"], r["dtype"], r["variant"]) == k and r["backend"] == bk
                ]
                line.append(cell(m[0]) if m else "-")
            body.append(line)
        parts.append(f"<h3>{html.escape(TITLES.get(op, op))}</h3>")
        parts.append(_table(["size", "dtype", "variant", *backends], body))
    parts.append(f"<p>{html.escape(LEGEND)}</p>")
    return "\n".join(parts)


def render(
    doc: dict[str, Any],
    images: dict[str, bytes] | None = None,
    verdicts: list[Verdict] | None = None,
    baseline_name: str | None = None,
) -> str:
    """The report page for a results document (see :func:`xpmath.bench.results.document`)."""
    env = doc.get("environment") or {}
    title = f"xpmath bench on {env.get('cpu', 'this machine')}"
    body = [
        f"<h1>{html.escape(title)}</h1>",
        f"<p><code>{html.escape(doc.get('command', ''))}</code></p>",
    ]
    if doc.get("partial"):
        body.append('<p class="partial">Partial run: interrupted before every cell finished.</p>')
    body.append('<section id="environment"><h2>Environment</h2>')
    body.append(_table(["key", "value"], _flatten(env)) + "</section>")
    body.append('<section id="ceilings"><h2>Ceilings measured in this run</h2>')
    body.append(f"<pre>{html.escape(ceilings_text(doc.get('ceilings') or {}))}</pre></section>")
    body.append('<section id="results"><h2>Results</h2>')
    body.append(_results(doc.get("rows") or []) + "</section>")
    body.append('<section id="plots"><h2>Plots</h2>')
    if images:
        for name, png in images.items():
            data = base64.b64encode(png).decode("ascii")
            body.append(
                f'<h3>{html.escape(name)}</h3><img alt="{html.escape(name)}" '
                f'src="data:image/png;base64,{data}">'
            )
    else:
        body.append("<p>No plots: matplotlib is not installed (pip install 'xpmath[plot]').</p>")
    body.append("</section>")
    if verdicts is not None:
        body.append(
            '<section id="compare"><h2>Compared with '
            f"{html.escape(baseline_name or 'the baseline')}</h2>"
        )
        lines = [
            [
                *v.key,
                f"{v.old:.4g}",
                f"{v.new:.4g}",
                f"{1 + v.change:.2f}",
                f"{100 * v.noise:.0f}%",
                v.verdict,
            ]
            for v in verdicts
        ]
        body.append(
            _table(
                [
                    "op",
                    "variant",
                    "backend",
                    "size",
                    "dtype",
                    "old",
                    "new",
                    "new/old",
                    "noise",
                    "verdict",
                ],
                lines,
                [v.verdict for v in verdicts],
            )
        )
        body.append("</section>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
