"""Samples of different shapes pair up as SciPy's do.

``ttest_1samp``'s array ``popmean`` broadcasts as SciPy's: by NumPy's rules, lining up with
``a``'s last dimensions (``a`` gaining leading ones where popmean has more), with length 1
along ``axis``; flattened with ``axis=None``. xpmath used to line a popmean of fewer
dimensions up with the *reduced* shape instead: ``a`` of shape (3, 3, 4), ``axis=2`` and a
popmean of shape (3, 1) tested row means against popmean's values down axis 0 where SciPy
tests them down axis 1, and gave other answers where SciPy raised. ``ttest_rel`` with
``axis=None`` flattens each sample and then pairs them, as SciPy: it broadcast them first,
so a of shape (3, 1) and b of shape (3,) made 9 pairs where SciPy makes 3."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings
from hypothesis import strategies as st

from xpmath import ShapeError, stats


@st.composite
def _case(draw):
    ndim = draw(st.integers(1, 3))
    a_shape = tuple(draw(st.lists(st.integers(1, 4), min_size=ndim, max_size=ndim)))
    p_ndim = draw(st.integers(0, ndim + 1))
    # each of popmean's dimensions (from the right) is 1 or a's length there (2 beyond a)
    p_shape = tuple(
        draw(st.sampled_from([1, a_shape[-1 - k] if k < ndim else 2])) for k in range(p_ndim)
    )[::-1]
    axis = draw(st.sampled_from([None, *range(-ndim, ndim)]))
    return a_shape, p_shape, axis


@given(case=_case(), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=25)
def test_popmean_broadcasts_as_scipys(bk, case, seed) -> None:
    a_shape, p_shape, axis = case
    rng = np.random.default_rng(seed)
    a = rng.normal(size=a_shape) + 0.5
    popmean = rng.normal(size=p_shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (one observation: SciPy's NaN and its warning)
        try:
            want = ss.ttest_1samp(a, popmean, axis=axis)
        except ValueError as exc:
            assert "popmean.shape[axis]" in str(exc)
            with pytest.raises(ShapeError, match=r"popmean.shape\[axis\]|more dimensions"):
                stats.ttest_1samp(bk.asarray(a), bk.asarray(popmean), axis=axis)
            return
        got = stats.ttest_1samp(bk.asarray(a), bk.asarray(popmean), axis=axis)
        statistic, pvalue = bk.to_numpy(got.statistic), bk.to_numpy(got.pvalue)
    assert statistic.shape == np.shape(want.statistic), (case, statistic.shape)
    np.testing.assert_allclose(statistic, want.statistic, rtol=1e-9, atol=1e-12, equal_nan=True)
    np.testing.assert_allclose(pvalue, want.pvalue, rtol=1e-9, atol=1e-12, equal_nan=True)


def test_popmean_down_the_right_axis(bk) -> None:
    """The case that gave other answers than SciPy's (the docstring's)."""
    rng = np.random.default_rng(4)
    a, popmean = rng.normal(size=(3, 3, 4)), np.array([[0.0], [1.0], [2.0]])
    got = stats.ttest_1samp(bk.asarray(a), bk.asarray(popmean), axis=2)
    want = ss.ttest_1samp(a, popmean, axis=2)
    np.testing.assert_allclose(bk.to_numpy(got.statistic), want.statistic, rtol=1e-10)
    with pytest.raises(ShapeError, match=r"popmean.shape\[axis\]"):  # (SciPy raises too)
        stats.ttest_1samp(bk.asarray(a[0]), bk.asarray(np.arange(3.0)), axis=1)


@st.composite
def _pair(draw):
    def shape():
        return tuple(draw(st.lists(st.sampled_from([1, 2, 3]), min_size=1, max_size=3)))

    return shape(), shape()


@given(shapes=_pair(), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=20)
def test_ttest_rel_flattens_each_sample_with_axis_none(bk, shapes, seed) -> None:
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=shapes[0]), rng.normal(size=shapes[1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            want = ss.ttest_rel(a, b, axis=None)
        except ValueError:
            with pytest.raises(ShapeError, match="do not broadcast"):
                stats.ttest_rel(bk.asarray(a), bk.asarray(b), axis=None)
            return
        got = stats.ttest_rel(bk.asarray(a), bk.asarray(b), axis=None)
        statistic = bk.to_numpy(got.statistic)
    np.testing.assert_allclose(statistic, want.statistic, rtol=1e-9, equal_nan=True)
    np.testing.assert_allclose(bk.to_numpy(got.pvalue), want.pvalue, rtol=1e-9, equal_nan=True)
    assert float(bk.to_numpy(got.df)) == float(want.df) or np.isnan(want.df)
