"""Honest timing: warm-up, compile time apart, synchronise before every clock read, batch calls
so one sample lasts at least ``min_sample`` seconds, interleave the calls being compared, report
the median with min and IQR."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
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
    def spread(self) -> float:
        """Relative noise: the interquartile range over the median (0.05 = 5%)."""
        return (self.q3 - self.q1) / self.median if self.median > 0 else 0.0

    @property
    def compile(self) -> float:
        """First-call time beyond a steady call: JIT compilation and one-off set-up."""
        return max(0.0, self.first_call - self.median)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["compile"] = self.compile
        d["spread"] = self.spread
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
    return measure_interleaved([fn], sync, min_sample=min_sample, samples=samples, budget=budget)[0]


def measure_interleaved(
    fns: Sequence[Callable[[], Any]],
    sync: Callable[[Any], Any],
    *,
    min_sample: float = 1e-3,
    samples: int = 7,
    budget: float = 2.0,
    min_rounds: int = 5,
) -> list[Timing]:
    """Time several calls in rounds: sample 1 of every call, then sample 2 of every call...

    Ratios between the calls (xpmath against the raw call, a norm against ``sum``) then come
    from the same stretch of time, so drift on a shared or throttling machine (seconds-long
    slow phases of +-20% on a cloud VM) moves all of them together instead of skewing one.
    ``budget`` bounds the sampling time of each call (at least ``min_rounds`` rounds are
    always taken, so every timing has a spread).
    """
    firsts, calls = [], []
    for fn in fns:
        t0 = time.perf_counter()
        sync(fn())
        firsts.append(time.perf_counter() - t0)
        calls.append(_calibrate(fn, sync, min_sample))
    times: list[list[float]] = [[] for _ in fns]
    start = time.perf_counter()
    for r in range(samples):
        for fn, k, ts in zip(fns, calls, times):
            ts.append(_sample(fn, sync, k))
        if r + 1 >= min_rounds and time.perf_counter() - start > budget * len(fns):
            break
    return [_summary(ts, k, first) for ts, k, first in zip(times, calls, firsts)]


def _calibrate(fn: Callable[[], Any], sync: Callable[[Any], Any], min_sample: float) -> int:
    """Calls per sample: double the batch until it lasts ``min_sample``, then scale."""
    calls, elapsed = 1, 0.0
    while True:
        elapsed = _sample(fn, sync, calls) * calls
        if elapsed >= min_sample or calls >= 1 << 20:
            break
        calls *= 2
    return max(1, math.ceil(calls * min_sample / max(elapsed, 1e-9)))


def _sample(fn: Callable[[], Any], sync: Callable[[Any], Any], calls: int) -> float:
    """Seconds per call over one batch of ``calls`` calls, synchronised at the end."""
    t0 = time.perf_counter()
    out = None
    for _ in range(calls):
        out = fn()
    sync(out)
    return (time.perf_counter() - t0) / calls


def _summary(times: list[float], calls: int, first: float) -> Timing:
    times = sorted(times)
    q = statistics.quantiles(times, n=4) if len(times) >= 2 else [times[0]] * 3
    return Timing(statistics.median(times), times[0], q[0], q[2], calls, len(times), first)
