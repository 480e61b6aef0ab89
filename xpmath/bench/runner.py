"""Run the workloads on each backend and turn timings into rows with ceilings and ratios."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from .._backends import BACKENDS, Backend
from .._errors import InvalidArgumentError
from .timing import Timing, measure_interleaved
from .workloads import Case, gd_cases, matmul_cases, norm_cases

OPS = ("matmul", "norm", "gd")
DTYPES = ("float32", "float64")

QUICK = {"matmul": [256, 512], "norm": [1_000_000], "gd": [(2000, 500)]}
FULL = {
    "matmul": [256, 512, 1024, 2048, 4096],
    "norm": [1_000_000, 10_000_000, 50_000_000],
    "gd": [(2000, 500), (10_000, 1000), (20_000, 2000)],
}


@dataclass
class Row:
    op: str
    variant: str
    backend: str
    size: str
    dtype: str
    unit: str
    value: float  # xpmath throughput
    raw_value: float  # throughput of the raw backend call
    ratio: float  # xpmath / raw throughput (1.0 = no overhead)
    ceiling: float | None = None  # the machine's measured limit in the same unit
    fraction: float | None = None  # value / ceiling
    timing: dict[str, Any] = field(default_factory=dict)
    raw_timing: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def default_backends() -> list[str]:
    """Every usable compute backend (array_api_strict is a test backend, not benchmarked)."""
    return [n for n, b in BACKENDS.items() if n != "array_api_strict" and b.status()[0]]


def _available_bytes() -> float:
    try:
        return float(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 4e9


def _device_bytes(b: Backend) -> float:
    if b.name == "cupy":
        import cupy

        return float(cupy.cuda.runtime.memGetInfo()[0])
    if b.name == "torch":
        import torch

        if torch.cuda.is_available():
            return float(torch.cuda.mem_get_info()[0])
    if b.name == "jax":
        import jax

        dev = jax.devices()[0]
        stats = dev.memory_stats() if hasattr(dev, "memory_stats") else None
        if stats and "bytes_limit" in stats:
            return float(stats["bytes_limit"] - stats.get("bytes_in_use", 0))
    return _available_bytes()


def _fits(op: str, size: Any, itemsize: int, budget: float) -> bool:
    if op == "matmul":
        need = 3 * size * size * itemsize
    elif op == "norm":
        need = 2 * size * itemsize
    else:
        need = 2 * size[0] * size[1] * itemsize
    return need <= budget


def _cases(b: Backend, op: str, size: Any, dtype: str, gd_steps: int) -> list[Case]:
    if op == "matmul":
        return matmul_cases(b, size, dtype)
    if op == "norm":
        return norm_cases(b, size, dtype)
    return gd_cases(b, size[0], size[1], dtype, steps=gd_steps)


def _throughput(case: Case, t: Timing) -> float:
    if case.unit == "GFLOP/s":
        return case.work / t.median / 1e9
    if case.unit == "GB/s":
        return case.work / t.median / 1e9
    return case.work / t.median


def run(
    backends: Sequence[str] | None = None,
    ops: Sequence[str] = OPS,
    dtypes: Sequence[str] = DTYPES,
    *,
    quick: bool = False,
    sizes: dict[str, list[Any]] | None = None,
    gd_steps: int = 50,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[Row]:
    """Measure every (backend, op, size, dtype); see :mod:`xpmath.bench` for the metrics."""
    names = list(backends) if backends else default_backends()
    for n in names:
        if n not in BACKENDS:
            raise InvalidArgumentError(
                f"bench: unknown backend {n!r}; valid: {', '.join(BACKENDS)}"
            )
        BACKENDS[n].require()
    for op in ops:
        if op not in OPS:
            raise InvalidArgumentError(f"bench: unknown op {op!r}; valid: {', '.join(OPS)}")
    for dt in dtypes:
        if dt not in DTYPES:
            raise InvalidArgumentError(f"bench: dtype must be float32 or float64; got {dt!r}")
    ladder = dict(QUICK if quick else FULL)
    ladder.update(sizes or {})
    budget_s = 0.2 if quick else 1.5
    if quick:
        gd_steps = min(gd_steps, 10)
    plan = []
    for n in names:
        b = BACKENDS[n]
        mem = _device_bytes(b) / 4
        for op in ops:
            for dt in dtypes:
                if dt == "float64" and b.float64_reason():
                    continue
                for size in ladder[op]:
                    if _fits(op, size, 4 if dt == "float32" else 8, mem):
                        plan.append((b, op, size, dt))
    rows: list[Row] = []
    for i, (b, op, size, dt) in enumerate(plan):
        if progress:
            progress(i, len(plan), f"{op} {b.name} {size} {dt}")
        cases = _cases(b, op, size, dt, gd_steps)
        # all calls of one size in interleaved rounds: ratios and ceilings share a time window
        fns = [f for case in cases for f in (case.xpmath_call, case.raw_call)]
        timings = measure_interleaved(fns, b.synchronize, budget=budget_s)
        for j, case in enumerate(cases):
            t, tr = timings[2 * j], timings[2 * j + 1]
            value, raw_value = _throughput(case, t), _throughput(case, tr)
            rows.append(
                Row(
                    case.op,
                    case.variant,
                    b.name,
                    case.size,
                    dt,
                    case.unit,
                    value,
                    raw_value,
                    value / raw_value,
                    timing=t.as_dict(),
                    raw_timing=tr.as_dict(),
                    extra=dict(case.extra),
                )
            )
    if progress:
        progress(len(plan), len(plan), "done")
    _attach_ceilings(rows)
    return rows


def _attach_ceilings(rows: list[Row]) -> None:
    """Bandwidth ceiling: the backend's own ``sum`` at the same size (norm) or the largest
    measured (gd). FLOP/s ceiling: the best raw matmul of that backend and dtype."""
    sums = {(r.backend, r.size, r.dtype): r.raw_value for r in rows if r.op == "sum"}
    best_bw: dict[tuple[str, str], float] = {}
    for (bk, _, dt), v in sums.items():
        best_bw[(bk, dt)] = max(best_bw.get((bk, dt), 0.0), v)
    best_flops: dict[tuple[str, str], float] = {}
    for r in rows:
        if r.op == "matmul":
            key = (r.backend, r.dtype)
            best_flops[key] = max(best_flops.get(key, 0.0), r.raw_value, r.value)
    for r in rows:
        if r.op == "matmul":
            r.ceiling = best_flops[(r.backend, r.dtype)]
        elif r.op in ("norm", "sum"):
            r.ceiling = sums.get((r.backend, r.size, r.dtype))
        elif r.op == "gd":
            gbs = r.value * r.extra["bytes_per_step"] / 1e9
            r.extra["effective_GB/s"] = gbs
            bw = best_bw.get((r.backend, r.dtype))
            if bw:
                r.ceiling = bw
                r.fraction = gbs / bw
            continue
        if r.ceiling:
            r.fraction = r.value / r.ceiling


def rows_as_dicts(rows: list[Row]) -> list[dict[str, Any]]:
    return [asdict(r) for r in rows]


def stderr_progress(i: int, total: int, label: str) -> None:
    width = 28
    done = int(width * i / max(total, 1))
    bar = "#" * done + "." * (width - done)
    end = "\n" if i >= total else ""
    sys.stderr.write(f"\r[{bar}] {i}/{total} {label:<40.40}{end}")
    sys.stderr.flush()
