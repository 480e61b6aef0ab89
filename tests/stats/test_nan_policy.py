"""SciPy's ``nan_policy`` and small-sample rules for the t-tests, skew, kurtosis and zscore,
on every backend (generated data with NaN against SciPy in float64)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from xpmath import InvalidArgumentError, PrecisionLossWarning, SmallSampleWarning, stats

FUNCS = {
    "skew": (lambda x, **k: stats.skew(x, **k), lambda x, **k: ss.skew(x, **k)),
    "kurtosis": (lambda x, **k: stats.kurtosis(x, **k), lambda x, **k: ss.kurtosis(x, **k)),
    "kurtosis(bias=False)": (
        lambda x, **k: stats.kurtosis(x, bias=False, **k),
        lambda x, **k: ss.kurtosis(x, bias=False, **k),
    ),
    "zscore": (lambda x, **k: stats.zscore(x, **k), lambda x, **k: ss.zscore(x, **k)),
    "ttest_1samp": (
        lambda x, **k: stats.ttest_1samp(x, 0.25, **k),
        lambda x, **k: ss.ttest_1samp(x, 0.25, **k),
    ),
    "ttest_rel": (
        lambda x, **k: stats.ttest_rel(x, x * 0.5 + 0.1, **k),
        lambda x, **k: ss.ttest_rel(x, x * 0.5 + 0.1, **k),
    ),
    "ttest_ind": (
        lambda x, **k: stats.ttest_ind(x, x * 2.0 - 0.3, **k),
        lambda x, **k: ss.ttest_ind(x, x * 2.0 - 0.3, **k),
    ),
    "ttest_ind(welch)": (
        lambda x, **k: stats.ttest_ind(x, x * 2.0 - 0.3, equal_var=False, **k),
        lambda x, **k: ss.ttest_ind(x, x * 2.0 - 0.3, equal_var=False, **k),
    ),
}


@st.composite
def _data(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=7))
    # values on a grid of 1/40: ties and constant slices happen, underflow does not
    x = draw(hnp.arrays(np.float64, shape, elements=st.integers(-4000, 4000).map(lambda i: i / 40)))
    holes = draw(hnp.arrays(np.bool_, shape, elements=st.booleans()))
    x = np.where(holes & draw(st.booleans()), np.nan, x)
    return x, draw(st.integers(-len(shape), len(shape) - 1))


def _compare(bk, name, x, axis, policy):
    ours, ref = FUNCS[name]
    with warnings.catch_warnings(record=True) as seen, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        want = ref(x, axis=axis, nan_policy=policy)
        lossy = any("Precision loss" in str(w.message) for w in seen)
        got = bk.call(lambda a: ours(a, axis=axis, nan_policy=policy), bk.asarray(x))
    got = tuple(got) if isinstance(got, tuple) else (got,)
    want = tuple(want) if isinstance(want, tuple) else (want,)
    for g, w in zip(got, want, strict=True):
        g = bk.to_numpy(g)
        assert g.shape == np.shape(w), (name, g.shape, np.shape(w))
        if lossy:
            # SciPy warned of catastrophic cancellation: for a slice of equal differences
            # (x - (0.5x + 0.1) at x = 0: -0.1 three times) its mean is off by an ulp, its
            # deviation 1.7e-17 and t -1.02e16, where the deviation is 0 and t -inf (xpmath
            # warns the same): an infinity of SciPy's sign stands for SciPy's huge value
            w = np.asarray(w, dtype=np.result_type(w, float))
            huge = np.isinf(g) & np.isfinite(w) & (np.abs(w) > 1e12) & (np.sign(g) == np.sign(w))
            g = np.where(huge, w, g)
        np.testing.assert_allclose(g, w, rtol=1e-8, atol=1e-12, err_msg=f"{name} {policy}")


@pytest.mark.parametrize("policy", ["propagate", "omit"])
@pytest.mark.parametrize("name", list(FUNCS))
def test_nan_policy_matches_scipy(bk, name, policy) -> None:
    # (JAX compiles every new shape and axis, about 1 s an example: 222 s of the CI run's
    # 279 s in this test went to JAX's 15 examples a case; the other backends keep 15)
    @settings(max_examples=8 if bk.name.startswith("jax") else 15, deadline=None)
    @given(data=_data())
    def run(data) -> None:
        x, axis = data
        _compare(bk, name, x, axis, policy)

    run()


@pytest.mark.parametrize("name", list(FUNCS))
def test_nan_policy_raise(bk, name) -> None:
    ours, _ = FUNCS[name]
    x = bk.asarray(np.array([1.0, 2.0, np.nan, 4.0, 5.5]))
    clean = bk.asarray(np.array([1.0, 2.0, 3.0, 4.0, 5.5]))
    if bk.eager:
        with pytest.raises(InvalidArgumentError, match="contains nan"):
            ours(x, nan_policy="raise")
        ours(clean, nan_policy="raise")  # no NaN: computes
    else:  # a lazy or traced array cannot be read
        with pytest.raises(InvalidArgumentError, match="nan_policy='raise'"):
            bk.call(lambda a: ours(a, nan_policy="raise"), x)
    with pytest.raises(InvalidArgumentError, match="nan_policy must be one of"):
        ours(clean, nan_policy="ignore")


def test_empty_sample_is_nan_with_scipy_warning() -> None:
    from scipy.stats._axis_nan_policy import SmallSampleWarning as ScipySmallSample

    with pytest.warns(SmallSampleWarning, match="too small") as rec:
        r = stats.ttest_ind(np.array([]), np.array([1.0, 2.0]))
    assert np.isnan(r.statistic) and np.isnan(r.pvalue) and np.isnan(r.df)
    assert isinstance(rec[0].message, ScipySmallSample | RuntimeWarning)
    with pytest.warns(SmallSampleWarning, match="After omitting NaNs"):
        assert np.isnan(stats.skew(np.array([np.nan, np.nan]), nan_policy="omit"))


def test_nearly_constant_data_warn_precision_loss() -> None:
    a = np.full(10, -0.27829495)
    with pytest.warns(PrecisionLossWarning, match="Precision loss occurred"):
        assert np.isnan(stats.skew(a))
    with pytest.warns(RuntimeWarning, match="Precision loss occurred"):
        assert np.isnan(stats.kurtosis(a * 2.0**50))


def test_omit_stays_lazy_on_dask() -> None:
    da = pytest.importorskip("dask.array")
    import dask

    x = np.arange(24.0).reshape(4, 6)
    x[1, 2] = x[3, 0] = np.nan
    lazy = da.from_array(x, chunks=(2, 3))
    computes = []

    def counting(dsk, keys, **kwargs):
        computes.append(keys)
        return dask.get(dsk, keys, **kwargs)

    with dask.config.set(scheduler=counting):
        k = stats.kurtosis(lazy, axis=1, nan_policy="omit")
        t = stats.ttest_1samp(lazy, 3.0, axis=1, nan_policy="omit")
        assert not computes, "nan_policy='omit' computed a Dask array eagerly"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_allclose(
            k.compute(), ss.kurtosis(x, axis=1, nan_policy="omit"), rtol=1e-12
        )
        want = ss.ttest_1samp(x, 3.0, axis=1, nan_policy="omit")
        np.testing.assert_allclose(t.statistic.compute(), want.statistic, rtol=1e-12)
        np.testing.assert_allclose(t.pvalue.compute(), want.pvalue, rtol=1e-12)
