"""The ceilings every benchmark cell is measured against, measured in the same run.

* **Memory bandwidth**: STREAM-like ``read`` (sum), ``copy`` and ``triad`` kernels on arrays
  well beyond the device's last-level cache (4x the CPU's L3 or a GPU's L2, at least 64 MiB;
  1 GiB on a GPU), on every benchmarked backend of the device; the best is the device's
  memory ceiling.
* **In-cache bandwidth**: the same kernels on arrays an eighth of the cache. A cell whose working
  set is within twice the last-level cache (so much of it stays cached between calls) is
  compared with this ceiling, never with memory bandwidth.
* **Compute**: the best large matmul per dtype on the device (the run's matmul cells, or one
  matmul per backend when matmul is not in the run).
* **Spec sheet**: for common GPUs (H100, H200, A100, L4) the vendor's dense peaks, reported
  beside the measured fraction, never instead of it.

A ceiling is never below a cell it judges: it is the best of its reference measurements and of
every cell of the same class on the same device, so "% of ceiling" cannot exceed 100%. The row
says which measurement set its ceiling (``ceiling_source``), and the run's ceilings list a
cell that beat every reference kernel by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .._backends import Backend
from .._backends import bench_support as support
from .timing import measure_interleaved

#: Vendor dense peaks: GFLOP/s per dtype (``tf32`` for fast float32 matmul) and HBM GB/s.
#: Checked in order; the first substring of the device name that matches wins.
SPEC_SHEET: tuple[tuple[str, dict[str, float]], ...] = (
    (
        "H100 PCIe",
        {
            "float64": 25_600,
            "float32": 51_200,
            "tf32": 378_000,
            "bfloat16": 756_000,
            "hbm_GBs": 2_000,
        },
    ),
    (
        "H100",
        {
            "float64": 33_500,
            "float32": 66_900,
            "tf32": 494_700,
            "bfloat16": 989_400,
            "hbm_GBs": 3_350,
        },
    ),
    (
        "H200",
        {
            "float64": 33_500,
            "float32": 66_900,
            "tf32": 494_700,
            "bfloat16": 989_400,
            "hbm_GBs": 4_800,
        },
    ),
    (
        "A100-SXM4-80GB",
        {
            "float64": 9_700,
            "float32": 19_500,
            "tf32": 156_000,
            "bfloat16": 312_000,
            "hbm_GBs": 2_039,
        },
    ),
    (
        "A100 80GB PCIe",
        {
            "float64": 9_700,
            "float32": 19_500,
            "tf32": 156_000,
            "bfloat16": 312_000,
            "hbm_GBs": 1_935,
        },
    ),
    (
        "A100",
        {
            "float64": 9_700,
            "float32": 19_500,
            "tf32": 156_000,
            "bfloat16": 312_000,
            "hbm_GBs": 1_555,
        },
    ),
    (
        "L4",
        {"float64": 490, "float32": 30_300, "tf32": 60_000, "bfloat16": 121_000, "hbm_GBs": 300},
    ),
)


def spec_sheet(device_name: str) -> dict[str, float] | None:
    """The vendor peaks of a known GPU, or None."""
    for key, peaks in SPEC_SHEET:
        if key.lower() in device_name.lower():
            return dict(peaks, model=key)  # type: ignore[arg-type]
    return None


@dataclass
class DeviceCeilings:
    """What one device can do, measured in this run."""

    key: str  # "cpu" or "gpu"
    name: str
    cache_bytes: int
    stream_bytes: int = 0  # bytes per array of the memory-bandwidth kernels
    memory: dict[str, float] = field(default_factory=dict)  # "kernel backend" -> GB/s
    cache: dict[str, float] = field(default_factory=dict)  # in-cache kernels -> GB/s
    matmul: dict[str, tuple[float, str]] = field(default_factory=dict)  # dtype -> (GFLOP/s, src)
    spec: dict[str, Any] | None = None
    cache_given: bool = False  # (``--cache-size``, not detected)

    def best(self, kind: str) -> tuple[float, str]:
        table = self.memory if kind == "memory" else self.cache
        if not table:
            return 0.0, ""
        src = max(table, key=table.__getitem__)
        return table[src], f"{'STREAM' if kind == 'memory' else 'in-cache'} {src}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "cache_bytes": self.cache_bytes,
            "cache_given": self.cache_given,
            "stream_bytes": self.stream_bytes,
            "memory_GBs": self.memory,
            "cache_GBs": self.cache,
            "matmul_GFLOPs": {k: v for k, (v, _) in self.matmul.items()},
            "spec": self.spec,
        }


def stream_sizes(cache: int, device: str, free: float) -> tuple[int, int]:
    """(memory, in-cache) bytes per array for the bandwidth kernels."""
    big = max(4 * cache, 64 << 20, (1 << 30) if device == "gpu" else 0)
    big = int(min(big, free / 8))
    return big, max(cache // 8, 1 << 16)


def measure_stream(ceil: DeviceCeilings, b: Backend, device: str, timing: dict[str, Any]) -> None:
    """Add ``b``'s STREAM kernels at both sizes to ``ceil``."""
    big, small = stream_sizes(ceil.cache_bytes, device, support.free_bytes(b, device))
    ceil.stream_bytes = big
    kernels = support.stream_kernels(b)
    for target, nbytes in ((ceil.memory, big), (ceil.cache, small)):
        n = nbytes // 4
        x = support.filled(b, n, 1.5, device)
        y = support.filled(b, n, 0.5, device)
        names = list(kernels)
        fns = [_bind(kernels[k][0], x, y) for k in names]
        timings = measure_interleaved(fns, b.synchronize, **timing)
        for k, t in zip(names, timings):
            gbs = kernels[k][1] * nbytes / t.median / 1e9
            target[f"{k} {b.name}"] = gbs
        del x, y


def _bind(f: Any, x: Any, y: Any) -> Any:
    return lambda: f(x, y)


def attach(rows: list[Any], devices: dict[str, DeviceCeilings]) -> None:
    """Give every row its ceiling, the ceiling's source, and its fraction (at most 1)."""
    for r in rows:  # beyond twice the cache a working set streams from memory
        r.in_cache = r.working_set <= 2 * devices[r.device].cache_bytes
    # compute ceilings: best matmul per (device, dtype), cells included
    for r in rows:
        if r.op != "matmul":
            continue
        d = devices[r.device]
        best, src = d.matmul.get(r.dtype, (0.0, ""))
        for v, who in ((r.value, f"xpmath {r.backend}"), (r.raw_value, f"raw {r.backend}")):
            if v > best:
                best, src = v, f"matmul {r.size} {who}"
        d.matmul[r.dtype] = (best, src)
    # bandwidth ceilings: a cell faster than every reference kernel raises its class's ceiling
    for r in rows:
        if r.op != "matmul":
            d = devices[r.device]
            best, _ = d.best("cache" if r.in_cache else "memory")
            if _gbs(r) > best:
                table = d.cache if r.in_cache else d.memory
                table[f"cell {r.op} {r.variant} {r.backend} {r.size}".replace("  ", " ")] = _gbs(r)
    for r in rows:
        d = devices[r.device]
        if r.op == "matmul":
            r.ceiling, src = d.matmul[r.dtype]
            r.ceiling_kind = f"compute: best {r.dtype} matmul on the device"
            r.ceiling_source = src
            r.fraction = r.value / r.ceiling
            spec = (d.spec or {}).get("tf32" if r.extra.get("fast") else r.dtype)
            if spec:
                r.spec_fraction = r.value / spec
            continue
        gbs = _gbs(r)
        r.ceiling, r.ceiling_source = d.best("cache" if r.in_cache else "memory")
        r.ceiling_kind = (
            "in-cache bandwidth (working set within twice the last-level cache)"
            if r.in_cache
            else "memory bandwidth"
        )
        r.fraction = gbs / r.ceiling if r.ceiling else None
        if r.op == "gd":
            r.extra["effective_GB/s"] = gbs
        spec = (d.spec or {}).get("hbm_GBs")
        if spec and not r.in_cache:
            r.spec_fraction = gbs / spec


def _gbs(r: Any) -> float:
    """A bandwidth-bound row's GB/s (xpmath's call)."""
    return r.bytes / r.seconds / 1e9 if r.seconds > 0 else 0.0
