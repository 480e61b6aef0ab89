"""Student's t at large degrees of freedom (a t-test of big samples has ν of 1e5 to 1e10).

``betainc(ν/2, ½, ν/(ν+t²))`` loses ν·eps there (2e-7 relative at ν = 1e10 through SciPy's
own ``betainc``); xpmath switches to Hill's expansion. Checked against mpmath (50 digits) on
every backend and under ``jit``, with ν = ∞ as the normal distribution, as SciPy.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special as sc
import scipy.stats as ss

from xpmath import stats

mpmath = pytest.importorskip("mpmath")

DFS = [3e3, 1e4, 1e5, 2e7, 1e10]


def _rtol(nu: float) -> float:
    """5e-13 where Hill's expansion serves (ν ≥ 1e5 here); below, the betainc form's own
    conditioning, a relative ν·eps (each backend's betainc rounds its argument)."""
    return 5e-13 if nu >= 1e5 else 8 * nu * np.finfo(np.float64).eps


def _sf_exact(t: float, nu: float) -> float:
    with mpmath.workdps(50):
        t_, n_ = mpmath.mpf(t), mpmath.mpf(nu)
        x = n_ / (n_ + t_ * t_)
        return float(0.5 * mpmath.betainc(n_ / 2, mpmath.mpf(1) / 2, 0, x, regularized=True))


def _points(rng) -> np.ndarray:
    # centre, moderate and far tails (t = 37 at ν = 1e10 is a 1e-300 tail), both signs
    mags = np.concatenate([[1e-3, 0.5, 1.0, 2.0, 5.0, 12.0, 37.0], rng.uniform(0, 8, 5)])
    return np.concatenate([mags, -mags[:4]])


@pytest.mark.parametrize("nu", DFS)
def test_sf_and_cdf_keep_their_digits_at_large_df(bk, rng, nu) -> None:
    bk.require("stats.t")
    t = _points(rng)
    tail = np.array([_sf_exact(abs(v), nu) for v in t])
    want_sf = np.where(t > 0, tail, 1 - tail)
    want_cdf = np.where(t < 0, tail, 1 - tail)
    x = bk.asarray(t)
    sf = bk.to_numpy(bk.call(lambda a: stats.t(nu).sf(a), x))
    cdf = bk.to_numpy(bk.call(lambda a: stats.t(nu).cdf(a), x))
    np.testing.assert_allclose(sf, want_sf, rtol=_rtol(nu), atol=0)
    np.testing.assert_allclose(cdf, want_cdf, rtol=_rtol(nu), atol=0)


def test_infinite_df_is_the_normal_distribution(bk) -> None:
    bk.require("stats.t")
    t = np.array([-40.0, -3.0, -0.5, 0.0, 1e-8, 2.0, 8.0, np.inf, -np.inf, np.nan])
    x = bk.asarray(t)
    dist = stats.t(np.inf)
    np.testing.assert_allclose(bk.to_numpy(dist.sf(x)), ss.norm.sf(t), rtol=1e-13, atol=0)
    np.testing.assert_allclose(bk.to_numpy(dist.cdf(x)), ss.norm.cdf(t), rtol=1e-13, atol=0)
    q = np.array([1e-300, 1e-9, 0.2, 0.5, 0.9, 1 - 1e-9, 0.0, 1.0])
    got = bk.to_numpy(dist.ppf(bk.asarray(q)))
    np.testing.assert_allclose(got, ss.norm.ppf(q), rtol=1e-13, atol=0)


@pytest.mark.parametrize("nu", DFS)
def test_ppf_inverts_the_exact_tail(bk, nu) -> None:
    """ppf(q) at large ν: the exact (mpmath) tail at the returned t gives back q."""
    bk.require("stats.t")
    q = np.array([1e-300, 1e-20, 1e-7, 0.01, 0.3, 0.5 - 1e-12, 0.7, 0.99, 1 - 1e-7])
    got = bk.to_numpy(bk.call(lambda a: stats.t(nu).ppf(a), bk.asarray(q)))
    back = np.array([_sf_exact(abs(t), nu) for t in got])
    back = np.where(got < 0, back, 1 - back)
    small = np.minimum(q, 1 - q)
    np.testing.assert_allclose(np.minimum(back, 1 - back), small, rtol=2 * _rtol(nu), atol=0)
    assert np.all(np.sign(got) == np.sign(q - 0.5))


@pytest.mark.parametrize("nu", [1e-300, 1e-20, 1e-8, 0.01, 0.3, 0.9])
def test_cdf_keeps_its_digits_at_tiny_df(bk, nu) -> None:
    """ν below 1 and below z²: the tail's argument is ν/(ν+z²) (precise), not z²/(ν+z²),
    which rounds to 1 (at ν = 1e-20, z = 0.18 the cdf was 0 instead of ½)."""
    bk.require("stats.t")
    t = np.array([-0.95, -0.5, -0.18, -0.02, 1e-3, 0.18, 0.5, -3.0, 40.0])
    tail = np.array([_sf_exact(abs(v), nu) for v in t])
    want_cdf = np.where(t < 0, tail, 1 - tail)
    x = bk.asarray(t)
    cdf = bk.to_numpy(bk.call(lambda a: stats.t(nu).cdf(a), x))
    logsf = bk.to_numpy(bk.call(lambda a: stats.t(nu).logsf(a), x))
    np.testing.assert_allclose(cdf, want_cdf, rtol=1e-13, atol=0)
    np.testing.assert_allclose(np.exp(logsf), 1 - want_cdf, rtol=1e-13, atol=0)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_norm_tail_on_every_backend(bk, dtype) -> None:
    """ndtr's lower tail (torch's own is (1 + erf)/2: 0 below -26 where SciPy's is 1e-149)."""
    bk.require("stats.norm")
    x = np.linspace(-37.5 if dtype == "float64" else -12.5, 8.0, 400).astype(dtype)
    got = bk.to_numpy(stats.norm.cdf(bk.asarray(x)))
    want = sc.ndtr(x.astype(np.float64))
    # float32's own argument rounding moves erfc by u²·eps at u = -x/√2
    rtol = 1e-13 if dtype == "float64" else 2e-5
    np.testing.assert_allclose(got.astype(np.float64), want, rtol=rtol, atol=0)


@pytest.mark.parametrize("as_array", [False, True])
def test_t_moments_at_the_ends_of_df(bk, as_array) -> None:
    """``var`` is SciPy's for every df, ν = ∞ included (the normal's scale², where
    ``ν / (ν - 2)`` is inf / inf); ``mean`` is ``loc`` for ν > 1 and NaN for ν <= 1, where
    the mean does not exist (SciPy says inf there; its Cauchy says NaN)."""
    dfs = np.array([0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 1e10, np.inf])
    loc, scale = 0.75, 2.0
    if as_array:
        dist = stats.t(bk.asarray(dfs), loc=loc, scale=scale)
        var, mean = bk.to_numpy(dist.var()), bk.to_numpy(dist.mean())
    else:
        pairs = [(stats.t(float(d), loc=loc, scale=scale)) for d in dfs]
        var = np.array([float(p.var()) for p in pairs])
        mean = np.array([float(p.mean()) for p in pairs])
    np.testing.assert_allclose(var, ss.t(dfs, loc=loc, scale=scale).var(), rtol=1e-15)
    np.testing.assert_array_equal(mean, np.where(dfs > 1, loc, np.nan))
