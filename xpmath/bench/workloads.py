"""The benchmark workloads: each gives an xpmath call, the raw backend call it wraps, and the
amount of work (FLOPs, bytes, iterations) that turns a time into a throughput and places the
workload on the roofline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._backends import Backend
from .._backends import bench_support as support


@dataclass
class Case:
    op: str
    variant: str  # e.g. "ord=1"; "" when none
    size: str  # human-readable size
    xpmath_call: Callable[[], Any]
    raw_call: Callable[[], Any]
    unit: str  # "GFLOP/s", "GB/s", "it/s"
    work: float  # FLOPs, bytes or iterations per call (in ``unit``'s numerator)
    extra: dict[str, Any]
    flops: float = 0.0  # floating-point operations per call (for the roofline)
    bytes: float = 0.0  # bytes read and written per call, at least once each
    working_set: float = 0.0  # bytes the call touches: decides in-cache or memory-bound


def matmul_cases(b: Backend, n: int, dtype: str, device: str = "cpu") -> list[Case]:
    from .. import linalg

    a = support.data(b, (n, n), dtype, 1, device)
    c = support.data(b, (n, n), dtype, 2, device)
    raw = support.raw_matmul(b)
    item = np.dtype(dtype).itemsize
    from .._precision import get_matmul_precision

    fast = get_matmul_precision() == "fast" and dtype == "float32" and b.fast_matmul
    return [
        Case(
            "matmul",
            # the opt-in fast mode is labelled in every table (TF32 on NVIDIA GPUs)
            ("tf32" if device == "gpu" else "fast") if fast else "",
            f"{n}x{n}",
            lambda: linalg.matmul(a, c),
            lambda: raw(a, c),
            "GFLOP/s",
            2.0 * n**3,
            {"n": n},
            flops=2.0 * n**3,
            bytes=3.0 * n * n * item,
            working_set=3.0 * n * n * item,
        )
    ]


def norm_cases(b: Backend, n: int, dtype: str, device: str = "cpu") -> list[Case]:
    from .. import linalg

    x = support.data(b, (n,), dtype, 3, device)
    raw = support.raw_norm(b)
    nbytes = float(n * np.dtype(dtype).itemsize)
    cases = []
    for o in (1, 2, float("inf")):
        cases.append(
            Case(
                "norm",
                f"ord={o:g}",
                f"{n:.0e}",
                lambda o=o: linalg.vector_norm(x, ord=o),
                lambda o=o: raw(x, o),
                "GB/s",
                nbytes,
                {"n": n, "ord": o},
                flops=(2.0 if o == 2 else 1.0) * n,
                bytes=nbytes,
                working_set=nbytes,
            )
        )
    return cases


def gd_cases(
    b: Backend, m: int, d: int, dtype: str, steps: int = 50, device: str = "cpu"
) -> list[Case]:
    """Least squares ||A w - b||^2 / (2m) by gradient descent, ``steps`` steps per call."""
    from .. import optimize

    xp = b.xp
    a = support.data(b, (m, d), dtype, 4, device)
    y = support.data(b, (m,), dtype, 5, device)
    w0 = b.persist(xp.zeros_like(a[0]))  # same dtype and device as A
    lr = 0.5
    inv_m = 1.0 / m

    # (A w - y) @ A reads A row-major twice with no transpose copy: the fastest form measured
    def jac(w: Any) -> Any:
        return xp.matmul(xp.matmul(a, w) - y, a) * inv_m

    def loss(w: Any) -> Any:
        r = xp.matmul(a, w) - y
        return xp.sum(r * r) * (0.5 * inv_m)

    start = support.fresh_start(b, w0)

    def ours() -> Any:
        return optimize.gradient_descent(loss, start(), jac=jac, lr=lr, steps=steps).x

    raw = support.raw_gd(b, a, y, start, lr, inv_m, steps)
    item = np.dtype(dtype).itemsize
    nbytes = 2.0 * m * d * item  # A is read twice per step
    return [
        Case(
            "gd",
            f"{steps} steps",
            f"{m}x{d}",
            ours,
            raw,
            "it/s",
            float(steps),
            {"m": m, "d": d, "steps": steps, "bytes_per_step": nbytes},
            flops=4.0 * m * d * steps,
            bytes=nbytes * steps,
            working_set=float(m * d * item),
        )
    ]
