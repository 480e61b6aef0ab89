"""Poisson and binomial log-pmf at any size (Loader's saddle-point form, ``stats/_saddle.py``).

``k log(mu) - mu - lgamma(k + 1)`` keeps 8 digits at mu = 1e8 and none at 1e16 (SciPy's
form too); the saddle-point form keeps every digit. Checked against mpmath (40 digits beyond
the terms' size) on every backend, with the points drawn around the mode and in both tails.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from xpmath import stats

mpmath = pytest.importorskip("mpmath")


def _digits(*values: float) -> int:
    """Working digits for an exact log-pmf: 40 beyond the terms' size (k log mu ~ 1e300 at
    k = 1e300 needs 340 to leave a result of size 1e2)."""
    return 40 + max([10, *(int(math.log10(v)) + 1 for v in values if v > 1)])


def _poisson_exact(k: float, mu: float) -> float:
    with mpmath.workdps(_digits(k, mu)):
        if mu == 0:
            return 0.0 if k == 0 else -math.inf
        k_, mu_ = mpmath.mpf(k), mpmath.mpf(mu)
        return float(k_ * mpmath.log(mu_) - mu_ - mpmath.loggamma(k_ + 1))


def _binom_exact(k: float, n: float, p: float) -> float:
    with mpmath.workdps(_digits(k, n)):
        k_, n_, p_ = mpmath.mpf(k), mpmath.mpf(n), mpmath.mpf(p)
        out = mpmath.loggamma(n_ + 1) - mpmath.loggamma(k_ + 1) - mpmath.loggamma(n_ - k_ + 1)
        if k:
            out += k_ * mpmath.log(p_) if p else -mpmath.inf
        if n - k:
            out += (n_ - k_) * mpmath.log1p(-p_) if p < 1 else -mpmath.inf
        return float(out)


def _close(got: np.ndarray, want: list[float], slack: np.ndarray | float = 0.0) -> None:
    """Tens of ulps of the result (a sum of five terms of its size), or of the log 2πk-sized
    terms where it is near 0, plus ``slack`` (SciPy's form is off by 1e-8 relative at 1e8,
    by 100% at 1e16)."""
    want_a = np.array(want)
    finite = np.isfinite(want_a)
    np.testing.assert_array_equal(got[~finite], want_a[~finite])
    err = np.abs(got[finite] - want_a[finite])
    slack_a = np.broadcast_to(slack, got.shape)[finite]
    tol = 2e-14 * np.maximum(np.abs(want_a[finite]), 10.0) + slack_a
    assert np.all(err <= tol), (got, want_a, err, tol)


@given(
    log_mu=st.floats(-10, 18),
    spreads=st.lists(st.floats(-8, 8), min_size=1, max_size=6),
)
def test_poisson_logpmf_keeps_its_digits(bk, log_mu, spreads) -> None:
    bk.require("stats.poisson")
    mu = 10.0**log_mu
    ks = sorted({max(0.0, math.floor(mu + s * math.sqrt(mu) + s)) for s in spreads} | {0.0})
    got = bk.to_numpy(bk.call(lambda k: stats.poisson(mu).logpmf(k), bk.asarray(np.array(ks))))
    _close(got, [_poisson_exact(k, mu) for k in ks])


@given(
    log_n=st.floats(0, 15),
    p=st.one_of(st.floats(0, 1), st.sampled_from([0.0, 1.0, 1e-20, 0.5, 1 - 1e-9])),
    spreads=st.lists(st.floats(-8, 8), min_size=1, max_size=6),
)
@example(log_n=0.0, p=2.225073858507e-311, spreads=[0.0])  # a subnormal p (0 on JAX)
def test_binom_logpmf_keeps_its_digits(bk, log_n, p, spreads) -> None:
    bk.require("stats.binom")
    n = float(math.floor(10.0**log_n))
    # eager JAX flushes a subnormal p to 0 (XLA's CPU kernels; the README's note on JAX): its
    # answer is p = 0's (under jit the constant p is folded before, and keeps its value)
    flushed = bk.name == "jax" and not bk.jit and 0 < p < np.finfo(np.float64).smallest_normal
    p_used = 0.0 if flushed else p
    mode, sd = n * p, math.sqrt(n * p * (1 - p))
    ks = {min(n, max(0.0, math.floor(mode + s * sd + s))) for s in spreads} | {0.0, n}
    ks = sorted(ks)
    got = bk.to_numpy(bk.call(lambda k: stats.binom(n, p).logpmf(k), bk.asarray(np.array(ks))))
    # n p and n (1 - p) are rounded: the answer for a p half an ulp away, which moves the
    # log-pmf by |k - n p| / (p (1 - p)) per unit relative change of p
    with np.errstate(divide="ignore", invalid="ignore"):
        slack = 4 * np.finfo(np.float64).eps * np.abs(np.array(ks) - mode) / (p * (1 - p))
    _close(got, [_binom_exact(k, n, p_used) for k in ks], np.nan_to_num(slack, posinf=0.0))


def test_extreme_parameters_without_warnings(bk) -> None:
    """A rate or probability far from the count (k/mu overflows a float) and counts past
    1e154 (n² overflows) give the exact log-pmf with no RuntimeWarning."""
    bk.require("stats.poisson")
    import warnings

    cases = [(1e10, 1e-300), (1e300, 1e300), (3.0, 1e250)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for k, mu in cases:
            got = bk.to_numpy(stats.poisson(mu).logpmf(bk.asarray(np.array([k]))))
            _close(got, [_poisson_exact(k, mu)])
        got = bk.to_numpy(stats.binom(1e12, 1e-300).logpmf(bk.asarray(np.array([1e10]))))
        _close(got, [_binom_exact(1e10, 1e12, 1e-300)])
