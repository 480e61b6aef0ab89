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
    "stats.t": lambda bk, a, v: stats.t(5.0).cdf(v),
    "stats.binom": lambda bk, a, v: stats.binom(10, 0.3).cdf(bk.xp.floor(4 * bk.xp.abs(v))),
    # the p-values: on torch their betainc goes through SciPy for small inputs
    "stats.ttest_ind": lambda bk, a, v: stats.ttest_ind(a[0, :], a[1, :]).pvalue,
    "stats.ttest_1samp": lambda bk, a, v: stats.ttest_1samp(v, 0.0).pvalue,
    "stats.ttest_rel": lambda bk, a, v: stats.ttest_rel(a[0, :], a[1, :]).pvalue,
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


#: routines that make arrays of their own (identity matrices, index ranges, padding, loop
#: state): on torch each must put them on the input's device, not on torch's default one
MAKERS: dict[str, Callable[..., Any]] = {
    **CALLS,
    "linalg.matrix_power": lambda bk, a, v: linalg.matrix_power(a, 3),
    "linalg.eigh": lambda bk, a, v: linalg.eigh(a + a.T)[0],
    "linalg.normalize": lambda bk, a, v: linalg.normalize(a, axis=-1),
    "linalg.cond": lambda bk, a, v: linalg.cond(a),
    "stats.corrcoef": lambda bk, a, v: stats.corrcoef(a),
    "stats.median": lambda bk, a, v: stats.median(a, axis=0),
    "stats.t.cdf": lambda bk, a, v: stats.t(5.0).cdf(v),
    "stats.gamma.ppf": lambda bk, a, v: stats.gamma(2.0).ppf(v * 0 + 0.3),
    "calculus.cumulative_trapezoid": lambda bk, a, v: calculus.cumulative_trapezoid(v, initial=0),
    "calculus.simpson": lambda bk, a, v: calculus.simpson(v, dx=0.5),
    "nn.one_hot": lambda bk, a, v: nn.one_hot(bk.xp.astype(v > 0, bk.xp.int64), 2),
    "optimize.bfgs": lambda bk, a, v: (
        optimize.minimize(lambda w: xpmath.linalg.vector_norm(w - v) ** 2, v * 0, method="BFGS").x
    ),
    "optimize.l-bfgs-b": lambda bk, a, v: (
        optimize.minimize(
            lambda w: xpmath.linalg.vector_norm(w - v) ** 2, v * 0, method="L-BFGS-B"
        ).x
    ),
    "optimize.nelder-mead": lambda bk, a, v: (
        optimize.minimize(
            lambda w: xpmath.linalg.vector_norm(w - v) ** 2, v * 0, method="Nelder-Mead"
        ).x
    ),
    "optimize.adam": lambda bk, a, v: (
        optimize.adam(lambda w: xpmath.linalg.vector_norm(w - v) ** 2, v * 0, steps=3).x
    ),
}


@pytest.mark.parametrize("routine", sorted(MAKERS))
def test_torch_tensors_off_the_default_device(rng, routine) -> None:
    """A user's CUDA tensors with torch's default device left at the CPU: everything xpmath
    makes along the way must land on the tensors' GPU (else torch raises a device mismatch)."""
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("needs a CUDA device (run by .ci/gpu)")
    from .conftest import TestBackend

    bk = TestBackend("torch")
    old = torch.get_default_device()
    torch.set_default_device("cpu")
    try:
        a = torch.as_tensor(rng.standard_normal((4, 4)) + 4 * np.eye(4), device="cuda")
        v = torch.as_tensor(rng.standard_normal(4), device="cuda")
        out = MAKERS[routine](bk, a, v)
    finally:
        torch.set_default_device(old)
    assert out.device.type == "cuda", out.device
