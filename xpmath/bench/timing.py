"""Honest timing: warm-up, compile time apart, synchronise before every clock read, batch calls
so one sample lasts at least ``min_sample`` seconds, report the median with min and IQR."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Timing:
    """Seconds per call."""

    median: float
    min: float
    q1: float
    q3: float
    calls_per_sample: int
    samples: int
    first_call: float  # includes compilation on JAX

    @property
    def compile(self) -> float:
        """First-call time beyond a steady call: JIT compilation and one-off set-up."""
        return max(0.0, self.first_call - self.median)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["compile"] = self.compile
        return d


def measure(
    fn: Callable[[], Any],
    sync: Callable[[Any], Any],
    *,
    min_sample: float = 1e-3,
    samples: int = 7,
    budget: float = 2.0,
) -> Timing:
    """Time ``fn()``; ``sync(result)`` must block until the result is computed."""
    t0 = time.perf_counter()
    sync(fn())
    first = time.perf_counter() - t0
    calls, elapsed = 1, 0.0
    while True:  # calibrate: double the batch until it lasts min_sample
        t0 = time.perf_counter()
        out = None
        for _ in range(calls):
            out = fn()
        sync(out)
        elapsed = time.perf_counter() - t0
        if elapsed >= min_sample or calls >= 1 << 20:
            break
        calls *= 2
    calls = max(1, math.ceil(calls * min_sample / max(elapsed, 1e-9)))
    times: list[float] = []
    start = time.perf_counter()
    for _ in range(samples):
        t0 = time.perf_counter()
        out = None
        for _ in range(calls):
            out = fn()
        sync(out)
        times.append((time.perf_counter() - t0) / calls)
        if len(times) >= 3 and time.perf_counter() - start > budget:
            break
    times.sort()
    q = statistics.quantiles(times, n=4) if len(times) >= 2 else [times[0]] * 3
    return Timing(statistics.median(times), times[0], q[0], q[2], calls, len(times), first)
