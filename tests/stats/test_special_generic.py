"""xpmath's own array-code special functions (used where a backend has none, e.g. betainc on
torch and array_api_strict) against SciPy in float64, on every backend and under jit."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special as sc

from xpmath._special import _GENERIC, log_beta


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


def test_generic_betaln_exact_for_integer_b(bk, rng) -> None:
    # B(a, k) = (k - 1)! / (a (a + 1) ... (a + k - 1)): a closed form, in float64, for a up to
    # 1e12, where gammaln(a) + gammaln(k) - gammaln(a + k) loses up to 13 digits
    a = np.exp(rng.uniform(np.log(0.05), np.log(1e12), 300))
    k = rng.integers(1, 6, 300).astype(np.float64)
    want = np.array(
        [
            np.sum(np.log(np.arange(1, kk))) - np.sum(np.log(aa + np.arange(kk)))
            for aa, kk in zip(a, k, strict=True)
        ]
    )
    # the backend's own gammaln may be a few ulp off (JAX's lgamma: 5 ulp at 5.49): where the
    # direct form is used (both arguments below Stirling's 12), 8 ulp of each term it adds
    small, large = np.minimum(a, k), np.maximum(a, k)
    terms = np.abs(sc.gammaln(small)) + np.where(
        large < 12, np.abs(sc.gammaln(large)) + np.abs(sc.gammaln(a + k)), 0.0
    )
    bound = 4e-15 * (1 + np.abs(want)) + 8 * np.finfo(np.float64).eps * terms
    fn = log_beta
    for args in ((a, k), (k, a)):  # symmetric
        got = bk.call(lambda a_, k_: fn(bk.xp, a_, k_), *(bk.asarray(v) for v in args))
        err = np.abs(np.asarray(bk.to_numpy(got)) - want)
        assert np.all(err <= bound), float(np.max(err / bound))


def test_generic_betaln_matches_mpmath_for_half_integer_b(rng) -> None:
    mpmath = pytest.importorskip("mpmath")
    a = np.exp(rng.uniform(np.log(12.0), np.log(1e10), 40))
    with mpmath.workdps(40):
        want = np.array([float(mpmath.log(mpmath.beta(aa, 0.5))) for aa in a])
    got = log_beta(np, a, np.full_like(a, 0.5))
    np.testing.assert_allclose(got, want, rtol=4e-15, atol=4e-15)


def test_generic_betainc_t_tail_at_many_degrees_of_freedom(rng) -> None:
    # the t distribution's centre, |t| < 1: I_{t²/(ν+t²)}(1/2, ν/2) with ν up to 2e7, where a
    # gammaln-difference prefactor gave 1e-8 relative error
    mpmath = pytest.importorskip("mpmath")
    nu = np.exp(rng.uniform(np.log(1e3), np.log(2e7), 20))
    t = rng.uniform(0.05, 1.0, 20)
    x = t * t / (nu + t * t)
    with mpmath.workdps(40):
        want = np.array(
            [float(mpmath.betainc(0.5, v / 2, 0, xx, regularized=True)) for v, xx in zip(nu, x)]
        )
    got = _GENERIC["betainc"](np, np.full_like(nu, 0.5), nu / 2, x)
    np.testing.assert_allclose(got, want, rtol=1e-13)


def test_torch_betainc_small_eager_inputs_take_scipy(rng) -> None:
    torch = pytest.importorskip("torch")
    from xpmath._backends import BACKENDS
    from xpmath._special import HOST_CALLS, HOST_SMALL, special

    b = BACKENDS["torch"]
    fn = special(b, "betainc")
    a, bb, x = (torch.asarray(v) for v in _betainc_inputs(rng, size=50))
    before = HOST_CALLS.get("torch", 0)
    got = fn(a, bb, x)
    assert HOST_CALLS.get("torch", 0) == before + 1
    assert isinstance(got, torch.Tensor) and got.dtype == torch.float64
    np.testing.assert_array_equal(got.numpy(), sc.betainc(a.numpy(), bb.numpy(), x.numpy()))
    # autograd keeps the device form (a host copy would cut the graph), and so do large inputs
    xg = x.clone().requires_grad_(True)
    fn(a, bb, xg).sum().backward()
    assert xg.grad is not None and bool(torch.isfinite(xg.grad[5:]).all())
    big = [torch.asarray(np.resize(v, HOST_SMALL + 1)) for v in _betainc_inputs(rng, size=50)]
    got = fn(*big)
    assert HOST_CALLS.get("torch", 0) == before + 1
    np.testing.assert_allclose(
        got.numpy(), sc.betainc(*(v.numpy() for v in big)), rtol=1e-11, atol=SCIPY_FLOOR
    )
