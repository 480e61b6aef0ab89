"""t-test results: SciPy's 2-way unpacking with df, ``confidence_interval``, one type."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given
from hypothesis import strategies as st

from xpmath import InvalidArgumentError, stats

ALTS = ["two-sided", "less", "greater"]


def _tests(a, b):
    return {
        "1samp": (None, None),
        "rel": (stats.ttest_rel, ss.ttest_rel),
        "ind": (stats.ttest_ind, ss.ttest_ind),
        "welch": (
            lambda x, y, **k: stats.ttest_ind(x, y, equal_var=False, **k),
            lambda x, y, **k: ss.ttest_ind(x, y, equal_var=False, **k),
        ),
    }


@pytest.mark.parametrize("alternative", ALTS)
@pytest.mark.parametrize("which", ["1samp", "rel", "ind", "welch"])
def test_confidence_interval_matches_scipy(bk, rng, which, alternative) -> None:
    a = rng.normal(0.5, 1.3, size=(3, 15))
    b = a + rng.normal(0.2, 0.7, size=(3, 15))
    ours, ref = _tests(a, b)[which]
    level = float(rng.uniform(0.5, 0.99))

    def run(x, y):
        r = ours(x, y, axis=1, alternative=alternative)
        stat, _p = r  # SciPy's 2-tuple; df is an attribute
        df = r.df
        ci, default = r.confidence_interval(level), r.confidence_interval()
        return stat, df, ci.low, ci.high, default.low, default.high

    if which == "1samp":
        ours = lambda x, y, **k: stats.ttest_1samp(x, 0.3, **k)  # noqa: E731
        want = ss.ttest_1samp(a, 0.3, axis=1, alternative=alternative)
    else:
        want = ref(a, b, axis=1, alternative=alternative)
    got = bk.call(run, bk.asarray(a), bk.asarray(b))
    ci, ci_default = want.confidence_interval(level), want.confidence_interval()
    expected = (want.statistic, want.df, ci.low, ci.high, ci_default.low, ci_default.high)
    for g, w in zip(got, expected, strict=True):
        np.testing.assert_allclose(bk.to_numpy(g), w, rtol=1e-8)


def test_interval_of_a_rebuilt_result_says_why() -> None:
    r = stats.ttest_1samp(np.array([1.0, 2.0, 4.0]), 1.0)
    rebuilt = stats.TtestResult(*r, r.df)
    with pytest.raises(InvalidArgumentError, match="without the estimate"):
        rebuilt.confidence_interval()


def test_result_unpacks_like_scipy() -> None:
    a, b = np.array([5.1, 4.9, 5.6, 5.8, 6.0]), np.array([6.5, 6.8, 7.1, 6.9, 7.4])
    for ours, ref in (
        (stats.ttest_ind(a, b), ss.ttest_ind(a, b)),
        (stats.ttest_1samp(a, 5.0), ss.ttest_1samp(a, 5.0)),
        (stats.ttest_rel(a, b), ss.ttest_rel(a, b)),
    ):
        assert len(ours) == len(ref) == 2
        assert ours._fields == ("statistic", "pvalue")
        np.testing.assert_allclose(tuple(ours), tuple(ref), rtol=1e-12)
        assert ours.df == ref.df and type(ours.df) is type(ref.df)


def test_result_passes_whole_through_jit() -> None:
    """The estimate and standard error ride along through jax.jit, so the interval works on
    the returned result."""
    jax = pytest.importorskip("jax")  # the suite runs JAX with x64 enabled (tests/conftest.py)
    data = np.array([5.1, 4.9, 5.3, 5.2, 4.8])
    for test, ref in (
        (lambda v: stats.ttest_1samp(v, 5.0), ss.ttest_1samp(data, 5.0)),
        (lambda v: stats.ttest_ind(v, v[::-1] + 1.0), ss.ttest_ind(data, data[::-1] + 1.0)),
    ):
        r = jax.jit(test)(jax.numpy.asarray(data))
        assert isinstance(r, stats.TtestResult) and len(r) == 2
        np.testing.assert_allclose(float(r.df), ref.df)
        np.testing.assert_allclose(
            np.asarray(r.confidence_interval(0.9)), ref.confidence_interval(0.9), rtol=1e-10
        )


@pytest.mark.parametrize("alternative", ALTS)
def test_result_types_do_not_depend_on_options(alternative) -> None:
    """On NumPy a 1-D sample gives NumPy scalars for every alternative, as SciPy does."""
    a, b = np.array([5.1, 4.9, 5.6, 5.8, 6.0]), np.array([6.5, 6.8, 7.1, 6.9, 7.4])
    for r in (
        stats.ttest_ind(a, b, alternative=alternative),
        stats.ttest_ind(a, b, equal_var=False, alternative=alternative),
        stats.ttest_1samp(a, 5.0, alternative=alternative),
        stats.ttest_rel(a, b, alternative=alternative),
    ):
        for v in (*r, *r.confidence_interval()):
            assert isinstance(v, np.float64), (alternative, type(v))


@pytest.mark.parametrize("level", [0.0, 1.0, -0.5, 1.5, float("nan"), "high", True])
def test_confidence_level_is_checked(level) -> None:
    r = stats.ttest_1samp(np.array([1.0, 2.0, 4.0]), 1.0)
    with pytest.raises(InvalidArgumentError, match="confidence_level"):
        r.confidence_interval(level)


@given(
    data=st.lists(st.floats(-1e6, 1e6, allow_subnormal=False), min_size=2, max_size=30),
    popmean=st.floats(-1e6, 1e6),
    level=st.floats(0.01, 0.99),
    alternative=st.sampled_from(ALTS),
)
def test_property_1samp_interval(bk, data, popmean, level, alternative) -> None:
    if bk.jit:
        return
    x = np.asarray(data)
    if np.ptp(x) <= 1e-9 * max(1.0, np.abs(x).max()):
        return  # (near-)constant data: SciPy's catastrophic-cancellation regime
    got = stats.ttest_1samp(bk.asarray(x), popmean, alternative=alternative)
    want = ss.ttest_1samp(x, popmean, alternative=alternative)
    np.testing.assert_allclose(bk.to_numpy(got.statistic), want.statistic, rtol=1e-7)
    np.testing.assert_allclose(bk.to_numpy(got.pvalue), want.pvalue, rtol=1e-6, atol=1e-300)
    ci, ref = got.confidence_interval(level), want.confidence_interval(level)
    scale = max(1.0, float(np.abs(x).max()))
    np.testing.assert_allclose(bk.to_numpy(ci.low), ref.low, rtol=1e-7, atol=1e-9 * scale)
    np.testing.assert_allclose(bk.to_numpy(ci.high), ref.high, rtol=1e-7, atol=1e-9 * scale)
