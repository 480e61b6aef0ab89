"""Pages generated from the code at build time, so the site cannot drift from it.

- ``api/``: one autosummary page per public name, from each module's ``__all__``;
- ``_generated/capability_matrix.rst``: the capability table (routine x backend);
- ``_generated/bench_*.txt`` and ``bench_*.png``: tables and plots of the committed results
  in ``benchmarks/results/``.
"""

from __future__ import annotations

import importlib
import json
import os
from typing import Any

MODULES = {
    "xpmath": "Top level: backends, conversion, errors, capabilities",
    "xpmath.linalg": "Linear algebra",
    "xpmath.calculus": "Calculus: derivatives, integration, limits",
    "xpmath.optimize": "Optimisation",
    "xpmath.nn": "Neural-network math",
    "xpmath.random": "Random numbers",
    "xpmath.stats": "Statistics and distributions",
    "xpmath.bench": "Benchmark engine",
    "xpmath.tour": "The foundations tour",
}
BENCH_RESULTS = {
    "matmul": "cpu-amd-epyc-2core-matmul-float32.json",
    "norm": "cpu-amd-epyc-2core-norm-float32.json",
    "full": "cpu-amd-epyc-2core-full-default.json",
}


def public_names(module: str) -> list[str]:
    mod = importlib.import_module(module)
    names = getattr(mod, "__all__", None)
    if names is None:
        raise RuntimeError(f"{module} has no __all__: its public names are not declared")
    if module == "xpmath":
        names = [n for n in names if n != "BACKEND_NAMES"]
    return sorted(names, key=str.lower)


def _write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    old = None
    if os.path.exists(path):
        with open(path) as fh:
            old = fh.read()
    if old != text:  # unchanged files keep their time stamps: incremental builds stay quick
        with open(path, "w") as fh:
            fh.write(text)


def write_api(src: str) -> None:
    lines = ["API reference", "=============", "", ".. toctree::", "   :maxdepth: 1", ""]
    for module, title in MODULES.items():
        lines.append(f"   {module}")
        body = [
            f"``{module}``",
            "=" * (len(module) + 4),
            "",
            title + ".",
            "",
            f".. currentmodule:: {module}",
            "",
            ".. autosummary::",
            "   :toctree: generated",
            "",
            *(f"   {name}" for name in public_names(module)),
            "",
        ]
        _write(os.path.join(src, "api", f"{module}.rst"), "\n".join(body))
    _write(os.path.join(src, "api", "index.rst"), "\n".join(lines) + "\n")


def write_capabilities(src: str) -> None:
    import xpmath
    from xpmath._capabilities import BACKEND_ORDER

    table: dict[str, Any] = xpmath.capabilities(as_dict=True)
    head = ["routine", *BACKEND_ORDER, "lazy on Dask"]
    rows = []
    notes = []
    for name in sorted(table):
        row = table[name]
        cells = [f"``{name}``"]
        for b in BACKEND_ORDER:
            c = row[b]
            cells.append(
                c["mode"] + (" ✓jit" if c["jit_safe"] and c["mode"] != "unsupported" else "")
            )
            if c["note"]:
                notes.append(f"- ``{name}`` on **{b}**: {c['note']}")
        cells.append("yes" if row["dask"]["lazy"] else "no")
        rows.append(cells)
    out = [".. list-table::", "   :header-rows: 1", "   :widths: auto", ""]
    for r in [head, *rows]:
        out.append("   * - " + r[0])
        out.extend(f"     - {c}" for c in r[1:])
    out += ["", "Notes", "-----", "", *notes, ""]
    _write(os.path.join(src, "_generated", "capability_matrix.rst"), "\n".join(out))


def write_bench(src: str) -> None:
    from xpmath.bench import report

    root = os.path.join(src, "..", "benchmarks", "results")
    for key, fname in BENCH_RESULTS.items():
        with open(os.path.join(root, fname)) as fh:
            data = json.load(fh)
        devices = data.get("ceilings") or {}
        text = report.ceilings_text(devices) + "\n" + report.tables(data["rows"])
        _write(os.path.join(src, "_generated", f"bench_{key}.txt"), text.lstrip())
        png = os.path.join(src, "_generated", f"bench_{key}.png")
        if not os.path.exists(png) or os.path.getmtime(png) < os.path.getmtime(
            os.path.join(root, fname)
        ):
            report.plot(png, data["rows"], devices)


def generate(app: Any, config: Any = None) -> None:
    src = app.srcdir
    write_api(str(src))
    write_capabilities(str(src))
    write_bench(str(src))


def setup(app: Any) -> dict[str, Any]:
    # at config-inited, before Sphinx lists the source files: on a fresh checkout the API
    # pages must exist when autosummary looks for the pages to generate stubs for
    app.connect("config-inited", generate)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
