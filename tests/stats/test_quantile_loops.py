"""How the quantile searches run: one loop under ``jax.jit``, op by op eagerly, a task per
block on Dask. Values are checked elsewhere (test_quantiles, test_extreme_tails); these
check the shape of the computation, which decides compile time and graph size."""

from __future__ import annotations

import logging

import numpy as np
import pytest

import xpmath
from xpmath import stats

#: one of each search: t and gamma (Newton in logs), binom and poisson (integer bisection)
DISTS = {
    "t": lambda: stats.t(3.5),
    "gamma": lambda: stats.gamma(2.5),
    "binom": lambda: stats.binom(200, 0.3),
    "poisson": lambda: stats.poisson(40.0),
}


@pytest.fixture
def jax_x64():
    jax = pytest.importorskip("jax")
    ok, reason = xpmath._backends.BACKENDS["jax"].status()
    if not ok:
        pytest.skip(reason)
    xpmath.enable_x64()
    return jax


class _Compiles(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        msg = record.getMessage()
        if msg.startswith("Compiling"):
            self.seen.append(msg[:120])


@pytest.mark.parametrize("name", sorted(DISTS))
@pytest.mark.parametrize("method", ["ppf", "isf"])
def test_eager_jax_compiles_nothing_on_a_repeat_call(jax_x64, name, method, rng) -> None:
    # a fresh closure handed to lax.fori_loop is traced and compiled on every eager call
    # (1 s a call for binom.ppf); op by op, a repeat call reuses every compiled operation
    q = jax_x64.numpy.asarray(rng.uniform(0.01, 0.99, 17))
    dist = DISTS[name]()
    first = getattr(dist, method)(q)
    handler, logger = _Compiles(), logging.getLogger("jax")
    old = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        with jax_x64.log_compiles(True):
            again = getattr(DISTS[name](), method)(q)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)
    assert handler.seen == []
    np.testing.assert_array_equal(np.asarray(again), np.asarray(first))


@pytest.mark.parametrize("name", ["t", "gamma"])
def test_jit_keeps_the_newton_search_one_loop(jax_x64, name, monkeypatch) -> None:
    # under jit the steps are a loop primitive: the traced program does not grow with them
    from xpmath.stats import _quantiles

    q = jax_x64.numpy.linspace(0.01, 0.99, 9)

    def size(steps: int) -> int:
        monkeypatch.setattr(_quantiles, "NEWTON_STEPS", steps)
        return len(jax_x64.make_jaxpr(lambda q: DISTS[name]().ppf(q))(q).jaxpr.eqns)

    assert size(2) == size(16)


@pytest.mark.parametrize("name", ["t", "gamma"])
@pytest.mark.parametrize("method", ["ppf", "isf"])
def test_dask_runs_the_newton_search_a_block_at_a_time(name, method, rng) -> None:
    da = pytest.importorskip("dask.array")
    q = rng.uniform(0.0, 1.0, 1000)
    dq = da.from_array(q, chunks=250)
    out = getattr(DISTS[name](), method)(dq)
    # a few tasks per block (convert, the search, loc/scale), not a task per step's operation
    assert len(dict(out.__dask_graph__())) <= 8 * dq.npartitions
    ref = getattr(DISTS[name](), method)(q)
    np.testing.assert_allclose(out.compute(), ref, rtol=1e-12)
