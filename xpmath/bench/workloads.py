"""The benchmark workloads: each gives an xpmath call, the raw backend call it wraps, and the
amount of work (FLOPs or bytes) that turns a time into a throughput."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._backends import Backend


@dataclass
class Case:
    op: str
    variant: str  # e.g. "ord=1"; "" when none
    size: str  # human-readable size
    xpmath_call: Callable[[], Any]
    raw_call: Callable[[], Any]
    unit: str  # "GFLOP/s", "GB/s", "it/s"
    work: float  # FLOPs, bytes or iterations per call
    extra: dict[str, Any]


def _data(b: Backend, shape: tuple[int, ...], dtype: str, seed: int) -> Any:
    if b.name == "dask":
        import dask.array as da

        # generated where it is stored (the workers, on a cluster), chunked as ``from_array``
        # would: a host array would travel inside the graph, and persist keeps it computed once
        x = da.random.default_rng(seed).standard_normal(shape, dtype=dtype, chunks="auto")
        return b.persist(x)
    rng = np.random.default_rng(seed)
    return b.persist(b.asarray(rng.standard_normal(shape).astype(dtype)))


def _raw_matmul(b: Backend) -> Callable[[Any, Any], Any]:
    if b.name == "jax":
        import jax
        import jax.numpy as jnp

        from .._precision import get_matmul_precision

        prec = jax.lax.Precision.HIGHEST if get_matmul_precision() == "strict" else None
        return lambda a, c: jnp.matmul(a, c, precision=prec)
    xp = b.xp
    return xp.matmul


def matmul_cases(b: Backend, n: int, dtype: str) -> list[Case]:
    from .. import linalg

    a, c = _data(b, (n, n), dtype, 1), _data(b, (n, n), dtype, 2)
    raw = _raw_matmul(b)
    return [
        Case(
            "matmul",
            "",
            f"{n}x{n}",
            lambda: linalg.matmul(a, c),
            lambda: raw(a, c),
            "GFLOP/s",
            2.0 * n**3,
            {"n": n},
        )
    ]


def _raw_norm(b: Backend) -> Callable[[Any, float], Any]:
    if b.name == "numpy":
        return lambda x, o: np.linalg.norm(x, o)
    if b.name == "jax":
        import jax.numpy as jnp

        return lambda x, o: jnp.linalg.norm(x, o)
    if b.name == "torch":
        import torch

        return lambda x, o: torch.linalg.vector_norm(x, o)
    if b.name == "cupy":
        import cupy

        return lambda x, o: cupy.linalg.norm(x, o)
    xp = b.xp
    return lambda x, o: xp.linalg.vector_norm(x, ord=o)


def norm_cases(b: Backend, n: int, dtype: str) -> list[Case]:
    from .. import linalg

    x = _data(b, (n,), dtype, 3)
    raw = _raw_norm(b)
    nbytes = float(n * np.dtype(dtype).itemsize)
    xp = b.xp
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
            )
        )
    cases.append(
        Case("sum", "", f"{n:.0e}", lambda: xp.sum(x), lambda: xp.sum(x), "GB/s", nbytes, {"n": n})
    )
    return cases


def gd_cases(b: Backend, m: int, d: int, dtype: str, steps: int = 50) -> list[Case]:
    """Least squares ||A w - b||^2 / (2m) by gradient descent, ``steps`` steps per call."""
    from .. import optimize

    xp = b.xp
    a = _data(b, (m, d), dtype, 4)
    y = _data(b, (m,), dtype, 5)
    w0 = b.persist(xp.zeros((d,), dtype=a.dtype))
    lr = 0.5
    inv_m = 1.0 / m

    # (A w - y) @ A reads A row-major twice with no transpose copy: the fastest form measured
    def jac(w: Any) -> Any:
        return xp.matmul(xp.matmul(a, w) - y, a) * inv_m

    def loss(w: Any) -> Any:
        r = xp.matmul(a, w) - y
        return xp.sum(r * r) * (0.5 * inv_m)

    start = _fresh_start(b, w0)

    def ours() -> Any:
        return optimize.gradient_descent(loss, start(), jac=jac, lr=lr, steps=steps).x

    raw = _raw_gd(b, a, y, start, lr, inv_m, steps)
    nbytes = 2.0 * m * d * np.dtype(dtype).itemsize  # A is read twice per step
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
        )
    ]


def _fresh_start(b: Backend, w0: Any) -> Callable[[], Any]:
    """The starting point for one timed call. Dask names its tasks by their inputs, so two
    loops doing the same arithmetic from the same ``w0`` (xpmath's and the hand-written one)
    would share task keys and one would be served the other's results still held on the
    cluster; on Dask each call therefore starts from a uniquely named copy of ``w0``."""
    if b.name != "dask":
        return lambda: w0
    import uuid

    return lambda: w0.map_blocks(np.copy, name=f"gd-start-{uuid.uuid4().hex}")


def _raw_gd(
    b: Backend, a: Any, y: Any, start: Callable[[], Any], lr: float, inv_m: float, steps: int
) -> Callable[[], Any]:
    """The best hand-written loop for the backend."""
    w0 = start()
    if b.name == "jax":
        import jax

        @jax.jit
        def run(w: Any) -> Any:
            def body(_: Any, w: Any) -> Any:
                return w - lr * ((a @ w - y) @ a) * inv_m

            return jax.lax.fori_loop(0, steps, body, w)

        return lambda: run(w0)
    xp = b.xp

    def loop() -> Any:
        w = start()
        for _ in range(steps):
            w = w - lr * (xp.matmul(xp.matmul(a, w) - y, a) * inv_m)
            w = b.persist(w)
        return w

    return loop
