"""Descriptive statistics against NumPy/SciPy in float64 on random data."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from xpmath import BackendMismatchError, InvalidArgumentError, ShapeError, XpmathWarning, stats


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 2)])
@pytest.mark.parametrize("ddof", [0, 1])
def test_mean_var_std(bk, rng, axis, ddof) -> None:
    x = rng.standard_normal((4, 5, 3)) * 3 + 1
    xa = bk.asarray(x)
    np.testing.assert_allclose(
        bk.to_numpy(bk.call(stats.mean, xa, axis)), x.mean(axis=axis), rtol=1e-12, atol=1e-14
    )
    got = bk.call(lambda a: stats.var(a, axis, ddof=ddof), xa)
    np.testing.assert_allclose(bk.to_numpy(got), x.var(axis=axis, ddof=ddof), rtol=1e-12)
    got = bk.call(lambda a: stats.std(a, axis, ddof=ddof, keepdims=True), xa)
    np.testing.assert_allclose(
        bk.to_numpy(got), x.std(axis=axis, ddof=ddof, keepdims=True), rtol=1e-12
    )


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_quantile_median(bk, rng, axis) -> None:
    x = rng.standard_normal((6, 7))
    q = rng.uniform(size=4)
    xa = bk.asarray(x)
    got = bk.call(lambda a, qq: stats.quantile(a, qq, axis), xa, bk.asarray(q))
    np.testing.assert_allclose(bk.to_numpy(got), np.quantile(x, q, axis=axis), rtol=1e-12)
    got = bk.call(lambda a: stats.median(a, axis, keepdims=True), xa)
    np.testing.assert_allclose(bk.to_numpy(got), np.median(x, axis=axis, keepdims=True), rtol=1e-12)


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_quantile_under_torch_vmap(rng, axis) -> None:
    """Per-row quantiles of a batch under ``torch.func.vmap`` are NumPy's of each row."""
    torch = pytest.importorskip("torch")
    x = rng.standard_normal((3, 5, 4))
    q = rng.uniform(size=2)
    got = torch.func.vmap(lambda a: stats.quantile(a, torch.from_numpy(q), axis))(
        torch.from_numpy(x)
    )
    want = np.stack([np.quantile(row, q, axis=axis) for row in x])
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12)
    med = torch.func.vmap(lambda a: stats.median(a, axis))(torch.from_numpy(x))
    np.testing.assert_allclose(med.numpy(), [np.median(row, axis=axis) for row in x], rtol=1e-12)


@given(
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple),
    picks=st.lists(st.integers(-3, 2), min_size=1, max_size=3, unique=True),
    whole=st.booleans(),
    keepdims=st.booleans(),
    q_kind=st.sampled_from(["scalar", "list", "array"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_quantile_median_over_axes_match_numpy(
    bk, shape, picks, whole, keepdims, q_kind, seed
) -> None:
    """Any set of axes (NumPy's tuple ``axis``), ``keepdims`` and ``q`` a number, a list or
    an array: NumPy's values and shapes, ties and repeated values included."""
    rng = np.random.default_rng(seed)
    x = np.round(rng.standard_normal(shape), 1)  # (rounded: repeated values)
    axes = sorted({a % len(shape) for a in picks})
    axis = None if whole else (axes[0] if len(axes) == 1 else tuple(axes))
    q = [0.0, 0.3, 1.0] if q_kind == "list" else rng.uniform(size=2) if q_kind == "array" else 0.7
    qa = bk.asarray(q) if q_kind == "array" else q
    got = bk.call(lambda a, qq: stats.quantile(a, qq, axis, keepdims=keepdims), bk.asarray(x), qa)
    want = np.quantile(x, q, axis=axis, keepdims=keepdims)
    assert bk.to_numpy(got).shape == want.shape
    np.testing.assert_allclose(bk.to_numpy(got), want, rtol=1e-12, atol=1e-15)
    got = bk.call(lambda a: stats.median(a, axis, keepdims=keepdims), bk.asarray(x))
    want = np.median(x, axis=axis, keepdims=keepdims)
    assert bk.to_numpy(got).shape == want.shape
    np.testing.assert_allclose(bk.to_numpy(got), want, rtol=1e-12, atol=1e-15)


def test_quantile_q_checks(bk) -> None:
    """q on another backend is refused by name (not the backend's own AttributeError); a
    list of probabilities is read like an array, each checked."""
    x = bk.asarray(np.arange(5.0))
    if bk.name != "numpy":
        with pytest.raises(BackendMismatchError):
            stats.quantile(x, np.array([0.1, 0.9]))
    with pytest.raises(InvalidArgumentError, match="every q"):
        stats.quantile(bk.asarray(np.arange(5.0)), [0.5, 1.5])
    with pytest.raises(InvalidArgumentError, match="repeated axis"):
        stats.quantile(bk.asarray(np.ones((2, 3))), 0.5, axis=(1, -1))


@pytest.mark.parametrize("ddof", [2, 3, 7])
def test_var_std_cov_without_degrees_of_freedom_match_numpy(bk, rng, ddof) -> None:
    """``N - ddof <= 0``: NumPy divides by 0, so inf (by sign, for a covariance), or NaN for
    a constant slice or a NaN; xpmath gives the same on every backend, with no warning."""
    x = rng.standard_normal((3, 2))
    x[1] = 4.0  # a constant row
    x[2, 0] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        want_v, want_s = np.var(x, axis=1, ddof=ddof), np.std(x, axis=1, ddof=ddof)
        want_c = np.cov(x, ddof=ddof)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got_v = bk.call(lambda a: stats.var(a, 1, ddof=ddof), bk.asarray(x))
        got_s = bk.call(lambda a: stats.std(a, 1, ddof=ddof), bk.asarray(x))
        got_c = bk.call(lambda a: stats.cov(a, ddof=ddof), bk.asarray(x))
    for got, want in ((got_v, want_v), (got_s, want_s), (got_c, want_c)):
        np.testing.assert_array_equal(bk.to_numpy(got), want)


def test_cov_rowvar_false_transposes_a_one_row_matrix(bk, rng) -> None:
    """A 2-D ``m`` with one row and ``rowvar=False`` is one observation of many variables
    (NumPy's rule), not one variable; a 1-D ``m`` stays one variable."""
    for m in (rng.standard_normal((1, 3)), rng.standard_normal((2, 3)), rng.standard_normal(4)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            want = np.cov(m, rowvar=False)
        got = bk.to_numpy(bk.call(lambda a: stats.cov(a, rowvar=False), bk.asarray(m)))
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-12, equal_nan=True)


@given(
    x=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=2, max_side=5),
        elements=st.one_of(st.floats(-1e3, 1e3), st.sampled_from([math.inf, -math.inf])),
    ),
    q=st.sampled_from([0.0, 0.25, 0.3, 0.5, 0.7, 1.0]),
)
# (a tie at subnormals: NumPy's median is the mean of the two, 0; the lerp gave 5e-324)
@example(x=np.array([5e-324, 0.0]), q=0.5)
def test_quantile_and_median_with_infinite_samples(bk, x, q) -> None:
    """The median is NumPy's (the mean of the middle two: ``[1, inf]`` gives inf, ``[-inf,
    inf]`` NaN) on every backend. A quantile is NumPy's lerp except where the lerp makes
    ``inf - inf``: an infinite sample is its own quantile and between a finite and an infinite
    sample the quantile is that infinity (NumPy: NaN above or below q = 0.5). Neither warns
    about the inf - inf it avoids."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        got = bk.to_numpy(bk.call(lambda a: stats.median(a, axis=-1), bk.asarray(x)))
        got_q = bk.to_numpy(bk.call(lambda a: stats.quantile(a, q, axis=-1), bk.asarray(x)))
    # (XLA on a CPU flushes subnormals to zero: there 5e-324 and 0 are one value)
    atol = np.finfo(np.float64).smallest_normal if bk.name == "jax" else 0.0
    with np.errstate(invalid="ignore"):
        np.testing.assert_allclose(got, np.median(x, axis=-1), rtol=1e-12, atol=atol)
    s = np.sort(x, axis=-1)
    pos = q * (x.shape[-1] - 1)
    lo, hi = s[..., math.floor(pos)], s[..., min(math.floor(pos) + 1, x.shape[-1] - 1)]
    with np.errstate(invalid="ignore"):
        want = np.quantile(x, q, axis=-1)
    frac = pos - math.floor(pos)
    # closed form where NumPy's lerp meets an infinity: the sample itself, or the infinity
    exact = (lo == hi) | (frac == 0)
    one_inf = np.isinf(lo) != np.isinf(hi)
    want = np.where(exact, lo, np.where(one_inf, np.where(np.isinf(lo), lo, hi), want))
    np.testing.assert_allclose(got_q, want, rtol=1e-12, atol=atol)


def test_quantile_nan_propagates(bk) -> None:
    got = bk.to_numpy(stats.median(bk.asarray(np.array([1.0, np.nan, 3.0]))))
    assert np.isnan(got)


@pytest.mark.parametrize("rowvar", [True, False])
@pytest.mark.parametrize("ddof", [None, 0, 2])
def test_cov_corrcoef(bk, rng, rowvar, ddof) -> None:
    m = rng.standard_normal((3, 8))
    y = rng.standard_normal((2, 8))
    if not rowvar:
        m, y = m.T, y.T
    ma, ya = bk.asarray(m), bk.asarray(y)
    got = bk.call(lambda a, c: stats.cov(a, c, rowvar, ddof), ma, ya)
    np.testing.assert_allclose(
        bk.to_numpy(got), np.cov(m, y, rowvar=rowvar, ddof=ddof), rtol=1e-12, atol=1e-14
    )
    got = bk.call(lambda a: stats.corrcoef(a, rowvar=rowvar), ma)
    np.testing.assert_allclose(
        bk.to_numpy(got), np.corrcoef(m, rowvar=rowvar), rtol=1e-12, atol=1e-14
    )


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_corrcoef_keeps_finite_variables_beside_a_nonfinite_one(bk, rng, bad) -> None:
    """A variable holding NaN or ±inf makes its own row and column NaN, as in NumPy; the
    other variables keep their correlations (their diagonal is 1, not NaN)."""
    m = rng.standard_normal((4, 9))
    m[1, 3] = bad
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's inf - inf
        want = np.corrcoef(m)
    got = bk.to_numpy(bk.call(stats.corrcoef, bk.asarray(m)))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14, equal_nan=True)
    assert np.all(np.isnan(got[1])) and np.all(np.isnan(got[:, 1]))
    np.testing.assert_allclose(np.diag(got)[[0, 2, 3]], 1.0, rtol=1e-14)


@pytest.mark.parametrize("shape", [(), (1,), (1, 1), (1, 5)])
def test_cov_corrcoef_of_one_variable_is_0d(bk, rng, shape) -> None:
    """One variable gives a 0-d covariance and correlation, as NumPy's; torch and
    array_api_strict raised their own TypeError (a squeeze with no axis)."""
    x = rng.standard_normal(shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (NumPy's degrees-of-freedom and 0/0 warnings)
        want_c, want_r = np.cov(x), np.corrcoef(x)
        got_c = bk.to_numpy(bk.call(stats.cov, bk.asarray(x)))
        got_r = bk.to_numpy(bk.call(stats.corrcoef, bk.asarray(x)))
    assert got_c.shape == want_c.shape == () and got_r.shape == want_r.shape == ()
    np.testing.assert_allclose(got_c, want_c, rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(got_r, want_r, rtol=1e-12, equal_nan=True)


def test_tour_covariance_and_perfect_correlation(bk) -> None:
    x = bk.asarray(np.array([1.0, 2, 30, 4, 5]))
    y = bk.asarray(np.array([2.0, 4, 60, 18, 10]))
    np.testing.assert_allclose(
        bk.to_numpy(stats.cov(x, y)), [[148.3, 285.6], [285.6, 569.2]], rtol=1e-12
    )
    r = bk.to_numpy(stats.corrcoef(x, 2 * x + 1))
    np.testing.assert_allclose(r, 1.0, rtol=1e-14)


def test_constant_input_to_corrcoef_warns_and_gives_nan(bk) -> None:
    x = bk.asarray(np.array([[1.0, 1.0, 1.0], [1.0, 2.0, 3.0]]))
    if bk.eager:
        with pytest.warns(XpmathWarning, match="constant"):
            r = stats.corrcoef(x)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = stats.corrcoef(x)
    r = bk.to_numpy(r)
    assert np.isnan(r[0, 0]) and np.isnan(r[0, 1]) and r[1, 1] == 1.0


@pytest.mark.parametrize("bias", [True, False])
def test_zscore_skew_kurtosis(bk, rng, bias) -> None:
    x = rng.gamma(2.0, size=(30, 3))
    xa = bk.asarray(x)
    np.testing.assert_allclose(
        bk.to_numpy(bk.call(stats.zscore, xa)), ss.zscore(x), rtol=1e-12, atol=1e-14
    )
    # (an absolute floor: a sample moment sum and Fisher's "- 3" cancel, so a skewness or
    # excess kurtosis near 0 is only known to a few ulps of its terms, about 1e-15)
    got = bk.call(lambda a: stats.skew(a, bias=bias), xa)
    np.testing.assert_allclose(bk.to_numpy(got), ss.skew(x, bias=bias), rtol=1e-11, atol=1e-13)
    for fisher in (True, False):
        got = bk.call(lambda a, f=fisher: stats.kurtosis(a, fisher=f, bias=bias), xa)
        np.testing.assert_allclose(
            bk.to_numpy(got), ss.kurtosis(x, fisher=fisher, bias=bias), rtol=1e-11, atol=1e-13
        )


def test_bad_input(bk) -> None:
    x = bk.asarray(np.ones((2, 3)))
    with pytest.raises(InvalidArgumentError, match="ddof"):
        stats.var(x, ddof=-1)
    with pytest.raises(ShapeError, match="axis"):
        stats.mean(x, axis=3)
    with pytest.raises(InvalidArgumentError, match="q must be"):
        stats.quantile(x, 1.5)
    with pytest.raises(ShapeError, match="observations"):
        stats.cov(x, bk.asarray(np.ones(4)))
