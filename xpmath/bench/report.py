"""Tables, JSON, comparisons and plots of benchmark rows."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .._errors import InvalidArgumentError

SCHEMA = 1


def _fmt(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def cell(row: dict[str, Any]) -> str:
    """``190 GFLOP/s (96%) x1.00``: throughput, fraction of the ceiling, ratio to raw call."""
    txt = f"{_fmt(row['value'])} {row['unit']}"
    if row.get("fraction") is not None:
        txt += f" ({100 * row['fraction']:.0f}%)"
    if row["op"] != "sum":
        txt += f" x{row['ratio']:.2f}"
    return txt


def tables(rows: list[dict[str, Any]]) -> str:
    """One table per op: rows = size/dtype/variant, columns = backends."""
    out: list[str] = []
    ops = list(dict.fromkeys(r["op"] for r in rows))
    for op in ops:
        sel = [r for r in rows if r["op"] == op]
        backends = list(dict.fromkeys(r["backend"] for r in sel))
        keys = list(dict.fromkeys((r["size"], r["dtype"], r["variant"]) for r in sel))
        header = ["size", "dtype", *(["variant"] if any(k[2] for k in keys) else []), *backends]
        body = []
        for k in keys:
            lead = [k[0], k[1], *([k[2]] if len(header) - len(backends) == 3 else [])]
            cells = []
            for bk in backends:
                match = [
                    r
                    for r in sel
                    if (r["size"], r["dtype"], r["variant"]) == k and r["backend"] == bk
                ]
                cells.append(cell(match[0]) if match else "-")
            body.append(lead + cells)
        widths = [max(len(str(x)) for x in col) for col in zip(header, *body)]
        title = {
            "matmul": "matmul — GFLOP/s = 2n³/t (% of best raw matmul) x xpmath/raw",
            "norm": "vector_norm — GB/s = bytes/t (% of the backend's sum) x xpmath/native",
            "sum": "sum — the bandwidth ceiling, GB/s",
            "gd": "gradient descent, least squares — it/s (% of bandwidth) x "
            "xpmath/hand-written loop",
        }.get(op, op)
        out.append(title)
        out.append("  ".join(h.ljust(w) for h, w in zip(header, widths)))
        out.append("  ".join("-" * w for w in widths))
        out.extend("  ".join(str(c).ljust(w) for c, w in zip(line, widths)) for line in body)
        out.append("")
    comp = [r for r in rows if r["backend"] == "jax" and r["timing"].get("compile", 0) > 1e-3]
    if comp:
        out.append("JAX compile time (first call minus a steady call), excluded from the above:")
        for r in comp:
            out.append(
                f"  {r['op']:<7} {r['size']:<10} {r['dtype']:<8} {r['variant']:<12} "
                f"{r['timing']['compile'] * 1e3:8.1f} ms"
            )
    return "\n".join(out).rstrip() + "\n"


def write_json(
    path: str, rows: list[dict[str, Any]], env: dict[str, Any], argv: Iterable[str]
) -> None:
    doc = {"schema": SCHEMA, "command": " ".join(argv), "environment": env, "rows": rows}
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=1, default=str)
        fh.write("\n")


def read_json(path: str) -> dict[str, Any]:
    """Read a results file (JSON only; never pickle) and check its shape."""
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    if not isinstance(doc, dict) or not isinstance(doc.get("rows"), list):
        raise InvalidArgumentError(f"compare: {path} is not an xpmath bench results file")
    return doc


def compare(old: dict[str, Any], new: dict[str, Any]) -> str:
    """new/old throughput per row present in both files."""

    def key(r: dict[str, Any]) -> tuple[str, ...]:
        return (r["op"], r["variant"], r["backend"], r["size"], r["dtype"])

    before = {key(r): r for r in old["rows"]}
    lines = [
        f"{'op':<7} {'variant':<11} {'backend':<8} {'size':<10} {'dtype':<8} "
        f"{'old':>12} {'new':>12} {'new/old':>8}"
    ]
    for r in new["rows"]:
        o = before.get(key(r))
        if o is None:
            continue
        ratio = r["value"] / o["value"] if o["value"] else float("nan")
        lines.append(
            f"{r['op']:<7} {r['variant']:<11} {r['backend']:<8} {r['size']:<10} "
            f"{r['dtype']:<8} {_fmt(o['value']):>12} {_fmt(r['value']):>12} "
            f"{ratio:>8.2f}"
        )
    if len(lines) == 1:
        lines.append("(no rows in common)")
    return "\n".join(lines) + "\n"


def plot(path: str, rows: list[dict[str, Any]]) -> None:
    """Throughput vs size per op, one line per backend/dtype, ceilings dashed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        from .._errors import BackendUnavailableError

        raise BackendUnavailableError(
            "bench --plot needs matplotlib: pip install 'xpmath[plot]'"
        ) from exc
    ops = [op for op in ("matmul", "norm", "gd") if any(r["op"] == op for r in rows)]
    fig, axes = plt.subplots(1, len(ops), figsize=(5 * len(ops), 4), squeeze=False)
    for ax, op in zip(axes[0], ops):
        sel = [r for r in rows if r["op"] == op]
        for bk, dt, var in dict.fromkeys((r["backend"], r["dtype"], r["variant"]) for r in sel):
            pts = [r for r in sel if (r["backend"], r["dtype"], r["variant"]) == (bk, dt, var)]
            label = f"{bk} {dt} {var}".strip()
            line = ax.plot(
                [p["size"] for p in pts], [p["value"] for p in pts], marker="o", label=label
            )[0]
            ceil = [p["ceiling"] for p in pts if p.get("ceiling") and op != "gd"]
            if ceil:
                ax.plot(
                    [p["size"] for p in pts][: len(ceil)],
                    ceil,
                    ls="--",
                    color=line.get_color(),
                    alpha=0.5,
                )
        ax.set_title(op)
        ax.set_xlabel("size")
        ax.set_ylabel(sel[0]["unit"])
        ax.tick_params(axis="x", rotation=45)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
