"""Text tables of benchmark rows (the ``xpmath bench`` output), and the file helpers."""

from __future__ import annotations

from typing import Any

from .compare import compare, format_value
from .plots import plot
from .results import SCHEMA, read_json, spread, write_json

__all__ = [
    "SCHEMA",
    "ceilings_text",
    "cell",
    "compare",
    "plot",
    "read_json",
    "tables",
    "write_json",
]

TITLES = {
    "matmul": "matmul: GFLOP/s = 2n³/t, % of the best matmul on the device, xpmath/raw, ±noise",
    "norm": "vector_norm: GB/s read, % of memory (or in-cache) bandwidth, xpmath/native, ±noise",
    "gd": "gradient descent, least squares: steps/s, % of bandwidth, xpmath/hand-written loop, "
    "±noise",
}
LEGEND = (
    "% = share of the ceiling measured in this run (mem: STREAM beyond the last-level cache; "
    "cache: in-cache bandwidth, for working sets that fit; peak: best matmul). "
    "±: IQR/median of the timing; '~' marks an unstable cell (noise > 10%)."
)


def cell(row: dict[str, Any]) -> str:
    """``19.3 GB/s 48% mem x1.01 ±3%``: throughput, share of the ceiling, ratio, noise."""
    txt = f"{format_value(row['value'])} {row['unit']}"
    if row.get("fraction") is not None:
        which = "peak" if row["op"] == "matmul" else ("cache" if row.get("in_cache") else "mem")
        txt += f" {100 * row['fraction']:.0f}% {which}"
    if row.get("ratio") is not None:
        txt += f" x{row['ratio']:.2f}"
    noise = max(spread(row), float(row.get("raw_spread") or 0.0))
    txt += f" ±{100 * noise:.0f}%"
    if row.get("unstable") or noise > 0.10:
        txt += " ~"
    return txt


def tables(rows: list[dict[str, Any]]) -> str:
    """One table per op: rows = size/dtype/variant, columns = backends."""
    out: list[str] = []
    ops = list(dict.fromkeys(r["op"] for r in rows))
    for op in ops:
        sel = [r for r in rows if r["op"] == op]
        backends = list(dict.fromkeys(r["backend"] for r in sel))
        keys = list(dict.fromkeys((r["size"], r["dtype"], r["variant"]) for r in sel))
        with_variant = any(k[2] for k in keys)
        header = ["size", "dtype", *(["variant"] if with_variant else []), *backends]
        body = []
        for k in keys:
            lead = [k[0], k[1], *([k[2]] if with_variant else [])]
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
        out.append(TITLES.get(op, op))
        out.append("  ".join(h.ljust(w) for h, w in zip(header, widths)))
        out.append("  ".join("-" * w for w in widths))
        out.extend("  ".join(str(c).ljust(w) for c, w in zip(line, widths)) for line in body)
        out.append("")
    if rows:
        out.append(LEGEND)
        out.append("")
    comp = [r for r in rows if _compiles(r["backend"]) and _compile_s(r) > 1e-3]
    if comp:
        out.append("Compile time (first call minus a steady call), excluded from the above:")
        for r in comp:
            out.append(
                f"  {r['backend']:<6} {r['op']:<7} {r['size']:<10} {r['dtype']:<8} "
                f"{r['variant']:<12} {r['timing']['compile'] * 1e3:8.1f} ms"
            )
    return "\n".join(out).rstrip() + "\n"


def _compiles(name: str) -> bool:
    """Whether backend ``name`` compiles what it runs (rows read back from a file may name
    one this machine does not know)."""
    from .._backends import BACKENDS

    b = BACKENDS.get(name)
    return b is not None and b.compiles


def _compile_s(row: dict[str, Any]) -> float:
    return (row.get("timing") or {}).get("compile", 0)


def ceilings_text(devices: dict[str, Any]) -> str:
    """The ceilings measured in the run, one block per device."""
    lines = []
    for key, d in devices.items():
        mem = d.get("memory_GBs") or {}
        cache = d.get("cache_GBs") or {}
        given = " (--cache-size)" if d.get("cache_given") else ""
        lines.append(
            f"ceilings on {key} ({d['name']}; last-level cache "
            f"{d['cache_bytes'] / 2**20:.0f} MiB{given}):"
        )
        if mem:
            best = max(mem, key=mem.__getitem__)
            lines.append(
                f"  memory bandwidth {mem[best]:.1f} GB/s ({best}, arrays of "
                f"{d['stream_bytes'] / 2**20:.0f} MiB)"
            )
        if cache:
            best = max(cache, key=cache.__getitem__)
            lines.append(f"  in-cache bandwidth {cache[best]:.1f} GB/s ({best})")
        for dt, v in (d.get("matmul_GFLOPs") or {}).items():
            lines.append(f"  matmul peak {dt} {v:,.1f} GFLOP/s (measured)")
        spec = d.get("spec")
        if spec:
            lines.append(
                f"  spec sheet ({spec['model']}): fp32 {spec['float32']:,.0f}, "
                f"tf32 {spec['tf32']:,.0f}, bf16 {spec['bfloat16']:,.0f} GFLOP/s; "
                f"HBM {spec['hbm_GBs']:,.0f} GB/s"
            )
    return "\n".join(lines) + ("\n" if lines else "")
