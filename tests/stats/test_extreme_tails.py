"""Distributions at the ends of float64, on every backend, against closed forms and the
defining equations (SciPy's own answers are off here: its ``t.ppf`` at q = 1e-307 for df = 3,
its ``gamma.isf`` at subnormal q, its Poisson ``ppf`` one below the quantile at q = 1 - 2⁻⁵³,
its ``t.logcdf`` = -inf for large df where the tail is 1e-316).

- ``t`` with large df: the log tails follow the normal's ``log_ndtr`` (the t tail differs
  from it by a relative O(z⁴/df)), finite where the cdf underflows.
- ``t(1)`` (Cauchy): ``ppf(q) = -1/tan(πq)``, exact, down to q = 1e-307 (where t² overflows
  the incomplete beta's argument).
- ``t`` with df < 2 far out: the power-law tail's leading term, P(T > t) = (ν/(ν+t²))^(ν/2)
  / (ν B(ν/2, ½)) · (1 + O(ν/t²)), inverted in logs; inf where the quantile passes float64.
- ``gamma`` at subnormal q (below 2.2e-308): the quantile satisfies its defining equation,
  log Q(a, x) = log q (log P for ``ppf``), with Q and P of integer a summed in logs.
- ``binom``/``poisson`` ``ppf`` above ½: the smallest k with sf(k) <= 1 - q, sf from SciPy's
  incomplete beta and gamma functions.

XLA flushes subnormal numbers to zero (JAX on CPU and GPU): a subnormal q reaches JAX's
kernels as 0, so the quantile is the q = 0 edge there; the tests hold JAX to that.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import scipy.special as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st

from xpmath import stats

#: module-level functions jitted once each: with parameters passed as arrays and sizes
#: fixed, a compiled cell compiles once per test, not once per example
_JITTED: dict[Any, Any] = {}


def _run(bk, f, *arrays: np.ndarray) -> np.ndarray:
    """``f`` of the arrays on the backend (under ``jax.jit`` in the jit cell)."""
    args = [bk.asarray(a) for a in arrays]
    if bk.jit:
        import jax

        return bk.to_numpy(_JITTED.setdefault(f, jax.jit(f))(*args))
    return bk.to_numpy(bk.call(f, *args))


def _t_logcdf(x: Any, df: Any) -> Any:
    return stats.t(df).logcdf(x)


def _t_logsf(x: Any, df: Any) -> Any:
    return stats.t(df).logsf(x)


def _t_ppf(q: Any, df: Any) -> Any:
    return stats.t(df).ppf(q)


def _t_isf(q: Any, df: Any) -> Any:
    return stats.t(df).isf(q)


def _gamma_ppf(q: Any, a: Any) -> Any:
    return stats.gamma(a).ppf(q)


def _gamma_isf(q: Any, a: Any) -> Any:
    return stats.gamma(a).isf(q)


@given(
    z=st.lists(st.floats(-40, 40), min_size=4, max_size=4),
    log_df=st.floats(15, 20),
)
@example(z=[-38.0, -37.0, 0.0, 38.0], log_df=20.0)
def test_t_log_tails_for_large_df_follow_the_normal(bk, z, log_df) -> None:
    x = np.array(z)
    df = np.full_like(x, 10.0**log_df)
    got_cdf = _run(bk, _t_logcdf, x, df)
    got_sf = _run(bk, _t_logsf, x, df)
    # the t tail is the normal's to a relative z⁴/(4 df) <= 7e-10 here
    np.testing.assert_allclose(got_cdf, sp.log_ndtr(x), rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(got_sf, sp.log_ndtr(-x), rtol=1e-9, atol=1e-300)


@given(exponent=st.lists(st.floats(1, 307), min_size=4, max_size=4))
@settings(max_examples=10)
@example(exponent=[300.0, 307.0, 150.0, 1.0])
def test_cauchy_quantiles_to_the_end_of_float64(bk, exponent) -> None:
    q = 10.0 ** -np.array(exponent)
    want = -1 / np.tan(np.pi * q)  # (tan of a small angle: exact to rounding)
    got_ppf = _run(bk, _t_ppf, q, np.ones_like(q))
    got_isf = _run(bk, _t_isf, q, np.ones_like(q))
    np.testing.assert_allclose(got_ppf, want, rtol=1e-12)
    np.testing.assert_allclose(got_isf, -want, rtol=1e-12)


def _t_far_quantile(df: float, q: np.ndarray) -> np.ndarray:
    """The positive t with P(T > t) = q from the tail's leading term (relative error
    O(ν/t²) < 1e-100 here), solved in logs; inf past float64."""
    a = df / 2
    log_x = (np.log(2 * q) + np.log(a) + sp.betaln(a, 0.5)) / a  # x = ν / (ν + t²)
    log_t = 0.5 * (np.log(df) - log_x)  # t² = ν/x - ν ≈ ν/x
    with np.errstate(over="ignore"):
        return np.exp(log_t)


@given(
    df=st.floats(0.5, 1.99),
    exponent=st.lists(st.floats(150, 307), min_size=4, max_size=4),
)
@settings(max_examples=10)
@example(df=0.5, exponent=[100.0, 200.0, 307.0, 150.0])
@example(df=1.5, exponent=[307.0, 306.0, 305.0, 304.0])
def test_t_quantiles_of_heavy_tails_past_the_incomplete_beta(bk, df, exponent) -> None:
    q = 10.0 ** -np.array(exponent)
    d = np.full_like(q, df)
    want = _t_far_quantile(df, q)
    got = _run(bk, _t_isf, q, d)
    assert np.array_equal(np.isinf(got), np.isinf(want)), (got, want)
    fin = np.isfinite(want)
    np.testing.assert_allclose(got[fin], want[fin], rtol=1e-11)
    np.testing.assert_allclose(_run(bk, _t_ppf, q, d), -got, rtol=1e-14)


def _log_q_int(a: int, x: np.ndarray) -> np.ndarray:
    """log Q(a, x) for integer a: Q = e^-x Σ_{j<a} x^j / j!, summed in logs."""
    j = np.arange(a)[:, None]
    return -x + sp.logsumexp(j * np.log(x) - sp.gammaln(j + 1), axis=0)


def _log_p_int(a: int, x: np.ndarray) -> np.ndarray:
    """log P(a, x) for integer a and x well below a: e^-x Σ_{j>=a} x^j / j! (the terms
    shrink by x/j, so 400 of them are complete in float64)."""
    j = np.arange(a, a + 400)[:, None]
    return -x + sp.logsumexp(j * np.log(x) - sp.gammaln(j + 1), axis=0)


SUBNORMAL = st.floats(5e-324, 2e-308)


@given(
    a=st.sampled_from([1, 2, 5, 40, 200]),
    q=st.lists(SUBNORMAL, min_size=4, max_size=4),
)
@example(a=1, q=[5e-324, 1e-320, 1e-310, 2e-308])
@example(a=200, q=[5e-324, 5e-324, 5e-324, 5e-324])
def test_gamma_quantiles_at_subnormal_probabilities(bk, a, q) -> None:
    q = np.array(q)
    shape = np.full_like(q, a)
    isf = _run(bk, _gamma_isf, q, shape)
    ppf = _run(bk, _gamma_ppf, q, shape)
    if bk.name == "jax":  # XLA flushes subnormals: q arrives as 0, the q = 0 edges
        assert np.all(isf == np.inf) and np.all(ppf == 0.0), (isf, ppf)
        return
    # the defining equations in logs: a relative 1e-13 of log q (|log q| is 708..745)
    np.testing.assert_allclose(_log_q_int(a, isf), np.log(q), rtol=1e-13)
    if a == 1:  # P(1, x) = -expm1(-x) = q: x = q (the search runs in log x, |log x| ≈
        # 709..744: its last bit is a relative 1.6e-13 of x)
        np.testing.assert_allclose(ppf, q, rtol=1e-12)
    else:
        np.testing.assert_allclose(_log_p_int(a, ppf), np.log(q), rtol=1e-13)


def _binom_sf(n: float, p: float, k: np.ndarray) -> np.ndarray:
    inner = (k >= 0) & (k < n)
    ks = np.where(inner, k, 0)
    return np.where(k < 0, 1.0, np.where(inner, sp.betainc(ks + 1, n - ks, p), 0.0))


def _poisson_sf(mu: float, k: np.ndarray) -> np.ndarray:
    return np.where(k < 0, 1.0, sp.gammainc(np.maximum(k, 0) + 1, mu))


@given(
    n=st.integers(1, 10**7),
    p=st.floats(0.001, 0.999),
    mu=st.floats(0.01, 1e6),
    ulps=st.lists(st.integers(1, 2**40), min_size=3, max_size=3),
)
@settings(max_examples=10)
@example(n=1000, p=0.3, mu=1e6, ulps=[1, 1, 1])  # 423 and 1008221 (SciPy: 423, 1008220)
@example(n=10**7, p=0.3, mu=50.0, ulps=[1, 2**20, 2**40])
def test_discrete_quantiles_just_below_one(bk, n, p, mu, ulps) -> None:
    """q = 1 - m·2⁻⁵³: the cdf of the quantile's left neighbour can round to q itself,
    so the search compares the upper tail with 1 - q (exact) instead."""
    q = 1 - np.array(ulps, dtype=np.float64) * 2.0**-53
    tail = 1 - q
    k = _run(bk, lambda v: stats.binom(n, p).ppf(v), q)
    sf = _binom_sf(n, p, k)
    rtol = 1e-9 if bk.name == "torch" else 1e-12  # (torch's incomplete beta: ~1e-9)
    assert np.all(sf <= tail * (1 + rtol)), (k, sf, tail)
    assert np.all(_binom_sf(n, p, k - 1) > tail * (1 - rtol)), (k, tail)
    k = _run(bk, lambda v: stats.poisson(mu).ppf(v), q)
    assert np.all(_poisson_sf(mu, k) <= tail * (1 + rtol)), (k, tail)
    assert np.all(_poisson_sf(mu, k - 1) > tail * (1 - rtol)), (k, tail)


@pytest.mark.parametrize(("n", "p", "q", "want"), [(1000, 0.3, 1 - 2.0**-53, 423.0)])
def test_binom_ppf_one_ulp_below_one(bk, n, p, q, want) -> None:
    # cdf(422) = 1 - 1.22e-16 rounds to q = 1 - 1.11e-16; the quantile is 423
    assert _run(bk, lambda v: stats.binom(n, p).ppf(v), np.array([q]))[0] == want
