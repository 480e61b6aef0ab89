"""Results come back on the input's backend and device, for a routine of every topic and for
every routine the capability table runs on the host. On a CPU machine this checks the
backend; under ``XPMATH_TEST_DEVICE=gpu`` (``.ci/gpu``) the inputs are on the GPU and so must
every result be."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import xpmath
from xpmath import calculus, linalg, nn, optimize, stats
from xpmath._backends import BACKENDS
from xpmath._dispatch import backend_of

from .conftest import TEST_DEVICE


def _device(bk, x: Any) -> str:
    return str(BACKENDS[bk.name].device_of(x))


def _square(bk, rng, n: int = 4) -> Any:
    return bk.asarray(rng.standard_normal((n, n)) + n * np.eye(n))


CALLS: dict[str, Callable[..., Any]] = {
    "linalg.matmul": lambda bk, a, v: linalg.matmul(a, a),
    "linalg.vector_norm": lambda bk, a, v: linalg.vector_norm(v, ord=1),
    "linalg.solve": lambda bk, a, v: linalg.solve(a, v),
    "linalg.det": lambda bk, a, v: linalg.det(a),
    "linalg.eig": lambda bk, a, v: linalg.eig(a)[0],
    "linalg.eigvals": lambda bk, a, v: linalg.eigvals(a),
    "calculus.trapezoid": lambda bk, a, v: calculus.trapezoid(v),
    "calculus.gradient": lambda bk, a, v: calculus.gradient(v),
    "stats.mean": lambda bk, a, v: stats.mean(a, axis=0),
    "stats.cov": lambda bk, a, v: stats.cov(a),
    "stats.norm.cdf": lambda bk, a, v: stats.norm(0.0, 1.0).cdf(v),
    "stats.ttest_ind": lambda bk, a, v: stats.ttest_ind(a[0, :], a[1, :]).statistic,
    "nn.softmax": lambda bk, a, v: nn.softmax(a, axis=-1),
    "optimize.gradient_descent": lambda bk, a, v: (
        optimize.gradient_descent(
            lambda w: xpmath.linalg.vector_norm(w - v) ** 2, v * 0, lr=0.1, steps=3
        ).x
    ),
}


def _host_routines() -> list[str]:
    table = xpmath.capabilities(as_dict=True)
    return sorted(
        r for r, cells in table.items() if any(c["mode"] == "host" for c in cells.values())
    )


def test_every_host_routine_of_a_gpu_backend_is_covered() -> None:
    table = xpmath.capabilities(as_dict=True)
    gpu_host = {
        r for r, c in table.items() for b in ("cupy", "jax", "torch") if c[b]["mode"] == "host"
    }
    assert gpu_host <= set(CALLS), sorted(gpu_host - set(CALLS))


@pytest.mark.parametrize("routine", sorted(CALLS))
def test_result_stays_on_the_input_device(bk, rng, routine) -> None:
    if bk.jit or bk.name == "dask":
        pytest.skip("placement of eager results; Dask arrays carry no device")
    bk.require(routine)
    a = _square(bk, rng)
    v = bk.asarray(rng.standard_normal(4))
    where = _device(bk, a)
    if TEST_DEVICE == "gpu":
        assert "cpu" not in where.lower(), where  # the inputs really are on the GPU
    out = CALLS[routine](bk, a, v)
    assert backend_of(out).name == bk.name, type(out)
    assert _device(bk, out) == where
