"""Figures of benchmark rows: one per op, and a roofline.

Colour is the backend, line style the dtype, one panel per variant (norm's ord), so a legend
lists backends and dtypes once (a handful of entries) instead of every combination. The
roofline places each workload at its arithmetic intensity (FLOPs per byte moved) under the
run's measured memory-bandwidth and matmul ceilings.
"""

from __future__ import annotations

import io
from typing import Any

from .options import need_matplotlib
from .results import atomic_write_bytes

_ORDER = ("numpy", "jax", "cupy", "torch", "dask", "array_api_strict")
_STYLE = {"float32": "-", "float64": "--"}
_MARKER = {"matmul": "o", "norm": "s", "gd": "^"}
TITLES = {
    "matmul": "matmul throughput (GFLOP/s, 2n³/t)",
    "norm": "vector_norm bandwidth (GB/s read)",
    "gd": "gradient descent, least squares (steps/s)",
}


def _plt() -> Any:
    need_matplotlib("plotting")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _colour(backend: str) -> str:
    i = _ORDER.index(backend) if backend in _ORDER else len(_ORDER)
    return f"C{i}"


def _x(r: dict[str, Any]) -> float:
    e = r.get("extra") or {}
    if r["op"] == "gd" and "m" in e:
        return float(e["m"]) * float(e["d"])
    return float(e.get("n", 0) or 0)


def _legend(fig: Any, backends: list[str], dtypes: list[str]) -> None:
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=_colour(b), lw=2, label=b) for b in backends]
    handles += [Line2D([], [], color="0.3", ls=_STYLE.get(d, ":"), label=d) for d in dtypes]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False, fontsize=9)


def op_figure(op: str, rows: list[dict[str, Any]], devices: dict[str, Any] | None = None) -> Any:
    """One figure for ``op``: a panel per variant, a line per backend and dtype."""
    plt = _plt()
    sel = [r for r in rows if r["op"] == op and r.get("value")]
    variants = list(dict.fromkeys(r["variant"] for r in sel)) or [""]
    fig, axes = plt.subplots(
        1, len(variants), figsize=(4.2 * len(variants) + 0.8, 4.0), squeeze=False
    )
    backends = list(dict.fromkeys(r["backend"] for r in sel))
    dtypes = list(dict.fromkeys(r["dtype"] for r in sel))
    for ax, var in zip(axes[0], variants):
        for bk in backends:
            for dt in dtypes:
                pts = sorted(
                    (r for r in sel if (r["variant"], r["backend"], r["dtype"]) == (var, bk, dt)),
                    key=_x,
                )
                if pts:
                    ax.plot(
                        [_x(p) for p in pts],
                        [p["value"] for p in pts],
                        marker="o",
                        color=_colour(bk),
                        ls=_STYLE.get(dt, ":"),
                    )
        if op == "norm" and devices:
            for dev in devices.values():
                mem = max((dev.get("memory_GBs") or {}).values(), default=None)
                if mem:
                    ax.axhline(mem, color="0.5", lw=0.8, ls=":")
                    ax.annotate(
                        f"{dev['name'][:24]} memory {mem:.0f} GB/s",
                        (0.01, mem),
                        xycoords=("axes fraction", "data"),
                        fontsize=7,
                        va="bottom",
                        color="0.4",
                    )
        ax.set_xscale("log")
        ax.set_title(var or TITLES.get(op, op), fontsize=10)
        ax.set_xlabel(
            {"matmul": "n (n×n)", "norm": "elements", "gd": "elements of A (M×D)"}.get(op, "size")
        )
        ax.set_ylabel(sel[0]["unit"] if sel else "")
        ax.grid(alpha=0.3)
    fig.suptitle(TITLES.get(op, op))
    _legend(fig, backends, dtypes)
    fig.tight_layout(rect=(0, 0.08, 1, 0.95))
    return fig


def roofline_figure(rows: list[dict[str, Any]], devices: dict[str, Any]) -> Any:
    """GFLOP/s against arithmetic intensity, under the measured ceilings of each device."""
    plt = _plt()
    import numpy as np

    fig, ax = plt.subplots(figsize=(7.5, 5.0))
    pts = [r for r in rows if r.get("flops") and r.get("bytes") and r.get("seconds")]
    lo = min([r["flops"] / r["bytes"] for r in pts] + [0.05]) / 2
    hi = max([r["flops"] / r["bytes"] for r in pts] + [100.0]) * 2
    ai = np.geomspace(lo, hi, 200)
    for key, dev in devices.items():
        mem = max((dev.get("memory_GBs") or {}).values(), default=0.0)
        for dt, peak in (dev.get("matmul_GFLOPs") or {}).items():
            if mem and peak:
                ax.plot(ai, np.minimum(peak, ai * mem), color="0.2", ls=_STYLE.get(dt, ":"), lw=1)
                ax.annotate(
                    f"{key} {dt} matmul {peak:,.0f} GFLOP/s",
                    (hi, peak),
                    fontsize=7,
                    ha="right",
                    va="bottom",
                )
        if mem:
            ax.annotate(
                f"{key} memory {mem:.0f} GB/s",
                (lo * 1.2, lo * 1.2 * mem),
                fontsize=7,
                rotation=0,
                va="bottom",
            )
        cache = max((dev.get("cache_GBs") or {}).values(), default=0.0)
        peak = max((dev.get("matmul_GFLOPs") or {}).values(), default=0.0)
        if cache and peak:
            ax.plot(ai, np.minimum(peak, ai * cache), color="0.5", ls=":", lw=1)
            where = (lo * 1.2, lo * 1.2 * cache)
            ax.annotate(f"{key} in-cache {cache:.0f} GB/s", where, fontsize=7, color="0.4")
    for r in pts:
        x = r["flops"] / r["bytes"]
        y = r["flops"] / r["seconds"] / 1e9
        filled = r["dtype"] == "float32"
        c = _colour(r["backend"])
        ax.scatter(
            [x],
            [y],
            marker=_MARKER.get(r["op"], "o"),
            s=28,
            edgecolors=c,
            facecolors=c if filled else "none",
        )
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], color=_colour(b), marker="o", ls="", label=b)
        for b in dict.fromkeys(r["backend"] for r in pts)
    ]
    handles += [
        Line2D([], [], color="0.3", marker=m, ls="", label=op)
        for op, m in _MARKER.items()
        if any(r["op"] == op for r in pts)
    ]
    handles += [
        Line2D([], [], color="0.3", marker="o", ls="", label="float32 (filled)"),
        Line2D([], [], color="0.3", marker="o", mfc="none", ls="", label="float64 (hollow)"),
    ]
    ax.legend(handles=handles, fontsize=8, loc="upper left", ncol=2)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("arithmetic intensity (FLOP per byte moved)")
    ax.set_ylabel("GFLOP/s")
    ax.set_title("roofline: each workload under the measured ceilings")
    ax.grid(alpha=0.3, which="both")
    fig.tight_layout()
    return fig


def figures(rows: list[dict[str, Any]], devices: dict[str, Any] | None = None) -> dict[str, Any]:
    """``name -> figure``: one per op present, plus the roofline when ceilings are known."""
    out = {
        op: op_figure(op, rows, devices)
        for op in ("matmul", "norm", "gd")
        if any(r["op"] == op for r in rows)
    }
    if devices and any(r.get("flops") for r in rows):
        out["roofline"] = roofline_figure(rows, devices)
    return out


def png_bytes(fig: Any, dpi: int = 110, fmt: str = "png") -> bytes:
    """The figure's bytes in ``fmt`` (PNG unless asked), the figure closed."""
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=dpi)
    _plt().close(fig)
    return buf.getvalue()


def plot(path: str, rows: list[dict[str, Any]], devices: dict[str, Any] | None = None) -> list[str]:
    """Write the figures: the first (or only) at ``path``, the others beside it as
    ``<stem>-<name><ext>``, in the format the extension names (PNG without one). Returns
    the paths written."""
    import os

    from .options import plot_format

    fmt = plot_format(path)
    figs = figures(rows, devices)
    stem, ext = os.path.splitext(path)
    written = []
    for i, (name, fig) in enumerate(figs.items()):
        target = path if i == 0 else f"{stem}-{name}{ext or '.png'}"
        atomic_write_bytes(target, png_bytes(fig, fmt=fmt))
        written.append(target)
    return written
