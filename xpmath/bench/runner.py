"""Run the workloads on each backend and turn timings into rows with ceilings and noise.

A run is a plan of cells (a ceiling measurement, or one op at one size and dtype on one
backend), measured one after another. Between cells the run asks ``should_stop``: an
interrupted run returns the rows that finished, marked partial by the caller.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from .._backends import BACKENDS, HOST, Backend
from .._backends import bench_support as support
from .._errors import InvalidArgumentError
from . import ceilings
from .timing import Timing, measure_interleaved
from .workloads import Case, gd_cases, matmul_cases, norm_cases

OPS = ("matmul", "norm", "gd")
DTYPES = ("float32", "float64")
#: a cell whose interquartile range exceeds this fraction of its median is flagged unstable
UNSTABLE = 0.10

QUICK = {"matmul": [256, 512], "norm": [1_000_000], "gd": [(2000, 500)]}
FULL = {
    "matmul": [256, 1024, 2048],
    "norm": [1_000_000, 10_000_000, 50_000_000],
    "gd": [(2000, 500), (10_000, 1000)],
}
GPU = {
    "matmul": [4096, 8192, 16384],
    "norm": [100_000_000, 1 << 28],
    "gd": [(20_000, 2000)],
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
    ceiling: float | None = None  # the ceiling in GB/s (bandwidth-bound) or GFLOP/s (matmul)
    fraction: float | None = None  # share of the ceiling, at most 1
    timing: dict[str, Any] = field(default_factory=dict)
    raw_timing: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    device: str = "cpu"
    seconds: float = 0.0  # median seconds per xpmath call
    flops: float = 0.0
    bytes: float = 0.0
    working_set: float = 0.0
    in_cache: bool = False
    ceiling_kind: str = ""
    ceiling_source: str = ""
    spec_fraction: float | None = None
    spread: float = 0.0  # IQR / median of xpmath's timing
    raw_spread: float = 0.0
    unstable: bool = False


@dataclass
class Cell:
    kind: str  # "stream", "peak" or "op"
    backend: Backend
    device: str
    op: str = ""
    size: Any = None
    dtype: str = ""

    @property
    def label(self) -> str:
        if self.kind == "stream":
            return f"ceiling: memory bandwidth, {self.backend.name} {self.device}"
        if self.kind == "peak":
            return f"ceiling: matmul peak, {self.backend.name} {self.dtype}"
        size = "x".join(map(str, self.size)) if isinstance(self.size, tuple) else f"{self.size:g}"
        return f"{self.op} {self.backend.name} {size} {self.dtype}"

    def estimate(self, quick: bool = False, gd_steps: int = 50) -> float:
        """Rough seconds this cell takes (a CPU-sized guess; progress rescales it as it goes)."""
        if self.kind != "op":
            return 3.0 if self.kind == "stream" else 1.0
        item = 4 if self.dtype == "float32" else 8
        bw, flops = (10e9, 50e9) if self.device == "cpu" else (1e12, 30e12)
        if self.op == "matmul":
            fns, per = 2, 2.0 * self.size**3 / flops
        elif self.op == "norm":
            fns, per = 6, self.size * item / bw
        else:
            fns, per = 2, gd_steps * (2.0 * self.size[0] * self.size[1] * item / bw + 1e-4)
        if not self.backend.eager:  # lazy: graph building and scheduling per call
            per = 3 * per + (0.01 * gd_steps if self.op == "gd" else 0.01)
        rounds, sample = (3, 2e-3) if quick else (5, 1e-2)
        return 0.2 + fns * (rounds + 1) * max(per, sample)


@dataclass
class Result:
    rows: list[Row]
    devices: dict[str, ceilings.DeviceCeilings]
    partial: bool = False


def default_backends() -> list[str]:
    """Every usable compute backend (array_api_strict is a test backend, not benchmarked)."""
    return [n for n, b in BACKENDS.items() if support.benchmarked(b) and b.status()[0]]


def _need(op: str, size: Any, itemsize: int) -> float:
    if op == "matmul":
        return 3 * size * size * itemsize
    if op == "norm":
        return 2 * size * itemsize
    return 2 * size[0] * size[1] * itemsize


def plan(
    names: Sequence[str],
    ops: Sequence[str],
    dtypes: Sequence[str],
    *,
    quick: bool = False,
    sizes: dict[str, list[Any]] | None = None,
    device: str = "auto",
) -> tuple[list[Cell], list[str]]:
    """The cells of a run, ceilings first, and the cells left out because they do not fit."""
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
    cells: list[Cell] = []
    work: list[Cell] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for n in names:
        b = BACKENDS[n]
        dev = support.bench_device(b, device)
        if dev == "none":
            raise InvalidArgumentError(f"bench: backend {n!r} has no {device} device here")
        ladder = dict(QUICK if quick else GPU if dev == "gpu" else FULL)
        ladder.update(sizes or {})
        budget = support.free_bytes(b, dev) / 4
        if support.measures_ceilings(b):
            cells.append(Cell("stream", b, dev))
            seen.add(dev)
        for dt in dtypes:
            if dt == "float64" and b.float64_reason():
                continue
            if "matmul" not in ops and support.measures_ceilings(b):
                cells.append(Cell("peak", b, dev, "matmul", 1024 if dev == "cpu" else 8192, dt))
            for op in ops:
                for size in ladder[op]:
                    cell = Cell("op", b, dev, op, size, dt)
                    if _need(op, size, 4 if dt == "float32" else 8) <= budget:
                        work.append(cell)
                    else:
                        skipped.append(f"{cell.label}: needs more than a quarter of free memory")
    if names and not seen:  # dask only: the host's ceilings, measured with NumPy
        cells.append(Cell("stream", HOST, "cpu"))
    return cells + sorted(work, key=lambda c: OPS.index(c.op)), skipped


def _cases(cell: Cell, gd_steps: int) -> list[Case]:
    b, dt, dev = cell.backend, cell.dtype, cell.device
    if cell.op == "matmul":
        return matmul_cases(b, cell.size, dt, dev)
    if cell.op == "norm":
        return norm_cases(b, cell.size, dt, dev)
    return gd_cases(b, cell.size[0], cell.size[1], dt, steps=gd_steps, device=dev)


def _row(case: Case, cell: Cell, t: Timing, tr: Timing) -> Row:
    value, raw_value = case.work / t.median, case.work / tr.median
    if case.unit in ("GFLOP/s", "GB/s"):
        value, raw_value = value / 1e9, raw_value / 1e9
    extra = dict(case.extra)
    if case.op == "matmul":
        from .._precision import get_matmul_precision

        extra["fast"] = (
            get_matmul_precision() == "fast"
            and cell.dtype == "float32"
            and cell.backend.fast_matmul
        )
    return Row(
        case.op,
        case.variant,
        cell.backend.name,
        case.size,
        cell.dtype,
        case.unit,
        value,
        raw_value,
        value / raw_value,
        timing=t.as_dict(),
        raw_timing=tr.as_dict(),
        extra=extra,
        device=cell.device,
        seconds=t.median,
        flops=case.flops,
        bytes=case.bytes,
        working_set=case.working_set,
        spread=t.spread,
        raw_spread=tr.spread,
        unstable=max(t.spread, tr.spread) > UNSTABLE,
    )


def _measure(
    cell: Cell,
    devices: dict[str, ceilings.DeviceCeilings],
    rows: list[Row],
    timing: dict[str, Any],
    gd_steps: int,
    cache: dict[str, int],
) -> None:
    """Measure one cell; its rows are appended only once all of them are done."""
    b, dev = cell.backend, cell.device
    if dev not in devices:
        name = support.device_name(b, dev)
        given = cache.get(dev, cache.get("*"))
        size = given if given is not None else support.cache_bytes(b, dev)
        devices[dev] = ceilings.DeviceCeilings(
            dev, name, size, spec=ceilings.spec_sheet(name), cache_given=given is not None
        )
    if cell.kind == "stream":
        ceilings.measure_stream(devices[dev], b, dev, timing)
    elif cell.kind == "peak":
        case = matmul_cases(b, cell.size, cell.dtype, dev)[0]
        t = measure_interleaved([case.raw_call], b.synchronize, **timing)[0]
        gflops = case.flops / t.median / 1e9
        if gflops > devices[dev].matmul.get(cell.dtype, (0.0, ""))[0]:
            devices[dev].matmul[cell.dtype] = (gflops, f"matmul {case.size} raw {b.name}")
    else:
        cases = _cases(cell, gd_steps)
        # all calls of one cell in interleaved rounds: ratios share a time window
        fns = [f for case in cases for f in (case.xpmath_call, case.raw_call)]
        timings = measure_interleaved(fns, b.synchronize, **timing)
        rows.extend(_row(c, cell, timings[2 * j], timings[2 * j + 1]) for j, c in enumerate(cases))


def execute(
    cells: Sequence[Cell],
    *,
    quick: bool = False,
    gd_steps: int = 50,
    on_cell: Callable[[int, Cell, float], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    cache: dict[str, int] | None = None,
) -> Result:
    """Measure ``cells`` in order; ``on_cell(i, cell, seconds)`` after each one. ``cache``:
    the last-level cache in bytes per device (``"cpu"``, ``"gpu"``; ``"*"`` every device),
    where the detected one is not to be used (``--cache-size``)."""
    # quick: 2 ms samples, at least 3 rounds; full: 10 ms samples, 5 to 9 rounds
    timing = {"budget": 0.15, "min_sample": 2e-3, "samples": 7, "min_rounds": 3}
    if not quick:
        timing = {"budget": 0.6, "min_sample": 1e-2, "samples": 9, "min_rounds": 5}
    devices: dict[str, ceilings.DeviceCeilings] = {}
    rows: list[Row] = []
    partial = False
    try:
        for i, cell in enumerate(cells):
            if should_stop():
                partial = True
                break
            t0 = time.perf_counter()
            _measure(cell, devices, rows, timing, gd_steps, cache or {})
            if on_cell:
                on_cell(i, cell, time.perf_counter() - t0)
    except KeyboardInterrupt:  # a second Ctrl-C: drop the unfinished cell, keep the rest
        partial = True
    ceilings.attach(rows, devices)
    return Result(rows, devices, partial)


def run(
    backends: Sequence[str] | None = None,
    ops: Sequence[str] = OPS,
    dtypes: Sequence[str] = DTYPES,
    *,
    quick: bool = False,
    sizes: dict[str, list[Any]] | None = None,
    gd_steps: int = 50,
    progress: Callable[[int, int, str], None] | None = None,
    device: str = "auto",
    cache: dict[str, int] | None = None,
) -> list[Row]:
    """Measure every (backend, op, size, dtype); ``progress(done, total, label)`` after each
    cell. See :mod:`xpmath.bench.ceilings` for what each row is measured against."""
    names = list(backends) if backends else default_backends()
    cells, _ = plan(names, ops, dtypes, quick=quick, sizes=sizes, device=device)

    def on_cell(i: int, cell: Cell, seconds: float) -> None:
        if progress is not None:
            progress(i + 1, len(cells), cell.label)

    return execute(cells, quick=quick, gd_steps=gd_steps, on_cell=on_cell, cache=cache).rows


def rows_as_dicts(rows: list[Row]) -> list[dict[str, Any]]:
    return [asdict(r) for r in rows]
