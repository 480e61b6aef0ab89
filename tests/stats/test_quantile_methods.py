"""``quantile``'s thirteen methods and weights, and ``cov``'s frequency and importance weights,
against NumPy in float64 on every backend (fresh inputs per example: ties, integer data,
zero weights)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from xpmath import DTypeError, InvalidArgumentError, ShapeError, stats
from xpmath.stats.sample_quantiles import DISCRETE, METHODS


@given(
    method=st.sampled_from(METHODS),
    n=st.integers(1, 9),
    rows=st.integers(1, 3),
    integers=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
@example(method="closest_observation", n=4, rows=1, integers=True, seed=0)
@example(method="averaged_inverted_cdf", n=5, rows=2, integers=False, seed=1)
def test_property_every_method_matches_numpy(bk, method, n, rows, integers, seed) -> None:
    """Every method at q = 0, 1 and exact multiples of 1/n (the discrete methods' jumps) and
    random q: NumPy's values; the methods that pick a sample keep integer data integer."""
    rng = np.random.default_rng(seed)
    x = rng.integers(-5, 5, (rows, n)) if integers else np.round(rng.standard_normal((rows, n)), 1)
    q = np.concatenate([[0.0, 1.0, 0.5], np.arange(1, n) / n, rng.random(2)])
    got = bk.call(
        lambda a, qq: stats.quantile(a, qq, axis=1, method=method), bk.asarray(x), bk.asarray(q)
    )
    want = np.quantile(x, q, axis=1, method=method)
    np.testing.assert_allclose(bk.to_numpy(got), want, rtol=1e-12, atol=1e-15)
    if integers and method in DISCRETE:
        assert bk.to_numpy(got).dtype.kind == "i"


@given(n=st.integers(1, 8), seed=st.integers(0, 2**32 - 1), whole=st.booleans())
@example(n=6, seed=3, whole=False)
def test_property_weighted_inverted_cdf_matches_numpy(bk, n, seed, whole) -> None:
    """Integer weights (zeros included) count repeated samples; weights of the reduced axis
    or of ``x``'s shape; NumPy's values."""
    rng = np.random.default_rng(seed)
    x = np.round(rng.standard_normal((3, n)), 1)
    w = rng.integers(0, 4, (3, n)).astype(float)
    w[:, rng.integers(n)] += 1  # (never all zero)
    q = np.concatenate([[0.0, 1.0], rng.random(3)])
    w1 = w[0]
    got = bk.call(
        lambda a, qq, ww: stats.quantile(a, qq, axis=1, method="inverted_cdf", weights=ww),
        bk.asarray(x),
        bk.asarray(q),
        bk.asarray(w1 if whole else w),
    )
    want = np.quantile(x, q, axis=1, method="inverted_cdf", weights=w1 if whole else w)
    np.testing.assert_allclose(bk.to_numpy(got), want, rtol=1e-12)
    repeated = np.quantile(np.repeat(x[0], w[0].astype(int)), q, method="inverted_cdf")
    got0 = stats.quantile(
        bk.asarray(x[0]), bk.asarray(q), method="inverted_cdf", weights=bk.asarray(w[0])
    )
    np.testing.assert_allclose(bk.to_numpy(got0), repeated, rtol=1e-12)


@given(
    k=st.integers(1, 3),
    n=st.integers(2, 7),
    ddof=st.sampled_from([None, 0, 1, 2]),
    which=st.sampled_from(["f", "a", "fa"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_weighted_cov_matches_numpy(bk, k, n, ddof, which, seed) -> None:
    """``fweights``, ``aweights`` and both, at every ``ddof`` (±inf/NaN where the
    normalisation is 0 or less, as NumPy gives it)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((k, n))
    f = rng.integers(0, 4, n)
    f[0] += 1
    kw = {"fweights": f} if which == "f" else {}
    if "a" in which:
        kw["aweights"] = rng.random(n) + 0.1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        want = np.cov(x, ddof=ddof, **kw)
    moved = {key: bk.asarray(v) for key, v in kw.items()}
    got = bk.call(lambda a: stats.cov(a, ddof=ddof, **moved), bk.asarray(x))
    np.testing.assert_allclose(bk.to_numpy(got), want, rtol=1e-10, atol=1e-12)


def test_bad_methods_weights_and_q_name_the_argument(bk) -> None:
    x = bk.asarray(np.array([1.0, 2.0, 3.0]))
    with pytest.raises(InvalidArgumentError, match="method must be one of"):
        stats.quantile(x, 0.5, method="median")
    with pytest.raises(InvalidArgumentError, match="Only method 'inverted_cdf' supports weights"):
        stats.quantile(x, 0.5, weights=bk.asarray(np.ones(3)))
    with pytest.raises(ShapeError, match="weights must have x's shape"):
        stats.quantile(x, 0.5, method="inverted_cdf", weights=bk.asarray(np.ones(2)))
    with pytest.raises(DTypeError, match="must be real"):
        stats.quantile(bk.asarray(np.array([1 + 1j, 2.0])), 0.5)
    with pytest.raises(InvalidArgumentError, match="every q must be in"):
        stats.quantile(x, [[0.5, 2.0]])
    with pytest.raises(ShapeError, match="weights must be 1-D") as err:
        stats.cov(bk.asarray(np.ones((2, 3))), fweights=bk.asarray(np.ones(2)))
    assert isinstance(err.value, RuntimeError)  # (NumPy's class for it)
    if bk.name == "dask":  # (lazy: weight values are not read before compute)
        return
    with pytest.raises(InvalidArgumentError, match="Weights must be non-negative"):
        stats.quantile(x, 0.5, method="inverted_cdf", weights=bk.asarray(np.array([1.0, -1, 1])))
    with pytest.raises(InvalidArgumentError, match="were all zero"):
        stats.quantile(x, 0.5, method="inverted_cdf", weights=bk.asarray(np.zeros(3)))
    with pytest.raises(TypeError, match="fweights must be integers"):
        stats.cov(bk.asarray(np.ones((2, 3))), fweights=bk.asarray(np.array([1.5, 1, 1])))


def test_empty_median_is_nan_with_a_warning() -> None:
    from xpmath import SmallSampleWarning

    with pytest.warns(SmallSampleWarning, match="empty"):
        assert np.isnan(stats.median(np.array([])))
    assert stats.median(np.zeros((0, 3)), axis=0).shape == (3,)
    with pytest.raises(ShapeError, match="must not be empty"):
        stats.quantile(np.array([]), 0.5)
