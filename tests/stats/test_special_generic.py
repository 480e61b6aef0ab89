"""xpmath's own array-code special functions (used where a backend has none, e.g. betainc on
torch and array_api_strict) against SciPy in float64, on every backend and under jit."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special as sc

from xpmath._special import _GENERIC


def _betainc_inputs(rng, size=200):
    a = np.exp(rng.uniform(np.log(0.05), np.log(200), size))
    b = np.exp(rng.uniform(np.log(0.05), np.log(200), size))
    x = rng.uniform(0, 1, size)
    # the ends, a NaN, and x at the mean (the slowest-converging region)
    a[:5] = [2.0, 2.0, 3.0, 0.5, 40.0]
    b[:5] = [3.0, 3.0, 0.5, np.nan, 40.0]
    x[:5] = [0.0, 1.0, 0.3, 0.5, 0.5]
    return a, b, x


# SciPy's betainc flushes some tiny values to zero: 0.0 at a=191, b=39, x=0.0204, where the
# value is 2.2803e-280 (mpmath, 50 digits; xpmath's series gives 2.2803e-280). Below this,
# SciPy is no reference.
SCIPY_FLOOR = 1e-250


def test_generic_betainc_matches_scipy(bk, rng) -> None:
    if bk.name == "dask":
        pytest.skip("dask applies SciPy's betainc chunk by chunk; the series is never a graph")
    a, b, x = _betainc_inputs(rng)
    fn = _GENERIC["betainc"]
    got = bk.call(lambda a_, b_, x_: fn(bk.xp, a_, b_, x_), *(bk.asarray(v) for v in (a, b, x)))
    want = sc.betainc(a, b, x)
    np.testing.assert_allclose(bk.to_numpy(got), want, rtol=1e-11, atol=SCIPY_FLOOR, equal_nan=True)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_generic_betainc_early_stop_as_accurate_as_full_series(monkeypatch, rng, dtype) -> None:
    # concrete arrays stop once every element has converged; never checking runs all terms
    import xpmath._special as special_mod

    a, b, x = (v.astype(dtype) for v in _betainc_inputs(rng))
    want = sc.betainc(a.astype(np.float64), b.astype(np.float64), x.astype(np.float64))
    # the prefactor x^a (1-x)^b / B(a, b) is an exp of terms of size ~a + b, so its rounding
    # grows with a + b; past the mean the series gives 1 - I, so the error is absolute there;
    # tiny results are checked only down to where SciPy still resolves them
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    flipped = x > (a64 + 1) / (a64 + b64 + 2)
    scale = np.where(flipped, 1.0, np.abs(want))
    bound = 64 * np.finfo(dtype).eps * (a64 + b64 + 10) * scale
    bound = np.maximum(bound, SCIPY_FLOOR if dtype == "float64" else 1e-30)
    fn = _GENERIC["betainc"]
    early = fn(np, a, b, x)
    monkeypatch.setattr(special_mod, "BETAINC_CHECK_EVERY", 10**9)
    full = fn(np, a, b, x)
    ok = np.isnan(want)
    for got in (early, full):
        assert got.dtype == np.dtype(dtype)
        err = np.abs(got.astype(np.float64) - want)
        assert np.all(ok | (err <= bound)), float(np.nanmax(err / np.where(ok, 1, bound)))
        assert np.all(np.isnan(got) == ok)
