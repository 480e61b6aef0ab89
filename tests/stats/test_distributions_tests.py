"""Distributions and t-tests against scipy.stats in float64; Bayes' rule by hand."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import scipy.stats as ss

from xpmath import InvalidArgumentError, PrecisionLossWarning, ShapeError, random, stats


def _cases(rng):
    loc, scale = rng.normal(), rng.uniform(0.5, 3)
    a, df = rng.uniform(0.5, 5), rng.uniform(1.5, 30)
    n, p, mu = int(rng.integers(1, 30)), rng.uniform(0.05, 0.95), rng.uniform(0.5, 20)
    return [
        (stats.norm(loc, scale), ss.norm(loc, scale), "c"),
        (stats.uniform(loc, scale), ss.uniform(loc, scale), "c"),
        (stats.gamma(a, scale=scale), ss.gamma(a, scale=scale), "c"),
        (stats.t(df, loc, scale), ss.t(df, loc, scale), "c"),
        (stats.bernoulli(p), ss.bernoulli(p), "d"),
        (stats.binom(n, p), ss.binom(n, p), "d"),
        (stats.poisson(mu), ss.poisson(mu), "d"),
    ]


@pytest.mark.parametrize("which", range(7))
def test_matches_scipy(bk, rng, which) -> None:
    ours, ref, kind = _cases(rng)[which]
    if kind == "c":
        x = ref.ppf(rng.uniform(0.001, 0.999, size=12))
        methods = ["pdf", "logpdf", "cdf", "sf"]
    else:
        x = np.arange(-1.0, 3 * ref.mean() + 5)
        methods = ["pmf", "logpmf", "cdf", "sf"]
    xa = bk.asarray(x)
    for m in methods:
        got = bk.to_numpy(bk.call(lambda a, m=m: getattr(ours, m)(a), xa))
        with np.errstate(divide="ignore"):
            want = getattr(ref, m)(x)
        # torch's own incomplete gamma (gamma, poisson cdf/sf) is good to ~1e-9 (documented)
        loose = bk.name == "torch" and which in (2, 6) and m in ("cdf", "sf")
        rtol = 1e-8 if loose else 1e-10
        np.testing.assert_allclose(got, want, rtol=rtol, atol=1e-300, err_msg=m)
    assert float(ours.mean()) == pytest.approx(ref.mean(), rel=1e-12)
    assert float(ours.var()) == pytest.approx(ref.var(), rel=1e-12)


@pytest.mark.parametrize("dist", ["norm", "uniform"])
def test_ppf(bk, rng, dist) -> None:
    ours, ref = (
        (stats.norm(1.0, 2.0), ss.norm(1.0, 2.0))
        if dist == "norm"
        else (stats.uniform(-1.0, 3.0), ss.uniform(-1.0, 3.0))
    )
    q = rng.uniform(size=10)
    got = bk.to_numpy(bk.call(ours.ppf, bk.asarray(q)))
    np.testing.assert_allclose(got, ref.ppf(q), rtol=1e-12)


def test_distribution_validation() -> None:
    with pytest.raises(InvalidArgumentError, match="scale"):
        stats.norm(0.0, -1.0)
    with pytest.raises(InvalidArgumentError, match="p must be"):
        stats.bernoulli(1.5)
    with pytest.raises(InvalidArgumentError, match="mu"):
        stats.poisson(-1.0)
    with pytest.raises(InvalidArgumentError, match="rng"):
        stats.norm().sample(np.random.default_rng(0), 3)


def test_infinite_counts_are_refused(bk) -> None:
    """An infinite Poisson mean or number of trials is an xpmath error naming it, a number or
    an eager array (a quantile raised OverflowError from its search bound); the class-level
    calls check the same."""
    for make, arg in ((lambda v: stats.poisson(v), "mu"), (lambda v: stats.binom(v, 0.5), "n")):
        with pytest.raises(InvalidArgumentError, match=f"{arg} must be >= 0 and finite"):
            make(math.inf)
        if bk.backend.eager:
            with pytest.raises(InvalidArgumentError, match=f"every entry of {arg}"):
                make(bk.asarray(np.array([3.0, math.inf])))
    with pytest.raises(InvalidArgumentError, match="mu must be"):
        stats.poisson.ppf(0.5, math.inf)


def test_sample_moments(bk) -> None:
    rng = random.default_rng(7, backend=bk.name)
    x = bk.to_numpy(stats.gamma(3.0, scale=2.0).sample(rng, 200_000))
    se = np.sqrt(12.0 / 200_000)
    assert abs(x.mean() - 6.0) < 5 * se
    x = bk.to_numpy(stats.t(5.0).sample(rng, 200_000))
    assert abs(x.var() - 5 / 3) < 0.1


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
@pytest.mark.parametrize("equal_var", [True, False])
def test_ttest_ind(bk, rng, alternative, equal_var) -> None:
    a = rng.normal(0.0, 1.0, size=(15, 3))
    b = rng.normal(0.4, 2.0, size=(11, 3))
    got = bk.call(
        lambda x, y: stats.ttest_ind(x, y, equal_var=equal_var, alternative=alternative),
        bk.asarray(a),
        bk.asarray(b),
    )
    ref = ss.ttest_ind(a, b, equal_var=equal_var, alternative=alternative)
    np.testing.assert_allclose(bk.to_numpy(got.statistic), ref.statistic, rtol=1e-10)
    np.testing.assert_allclose(bk.to_numpy(got.pvalue), ref.pvalue, rtol=1e-10)
    np.testing.assert_allclose(bk.to_numpy(got.df), ref.df, rtol=1e-10)


@pytest.mark.parametrize("nan_policy", ["propagate", "omit"])
def test_ttests_with_axis_none_flatten_as_scipy(bk, rng, nan_policy) -> None:
    """``axis=None``: each sample flattened (SciPy's), NaNs left out under "omit"."""
    bk.require("stats.ttest_ind")
    a = rng.normal(0.3, 1.0, size=(4, 5))
    b = rng.normal(0.0, 2.0, size=(3, 2))
    a[1, 2] = np.nan
    pairs = (
        (
            lambda x, y: stats.ttest_1samp(x, 0.1, axis=None, nan_policy=nan_policy),
            lambda: ss.ttest_1samp(a, 0.1, axis=None, nan_policy=nan_policy),
        ),
        (
            lambda x, y: stats.ttest_ind(x, y, axis=None, nan_policy=nan_policy, equal_var=False),
            lambda: ss.ttest_ind(a, b, axis=None, nan_policy=nan_policy, equal_var=False),
        ),
        (
            lambda x, y: stats.ttest_rel(x, x * 2 - 1, axis=None, nan_policy=nan_policy),
            lambda: ss.ttest_rel(a, a * 2 - 1, axis=None, nan_policy=nan_policy),
        ),
    )
    for ours, ref in pairs:
        got, want = bk.call(ours, bk.asarray(a), bk.asarray(b)), ref()
        for g, w in ((got.statistic, want.statistic), (got.pvalue, want.pvalue)):
            assert bk.to_numpy(g).shape == ()
            np.testing.assert_allclose(bk.to_numpy(g), w, rtol=1e-10, equal_nan=True)


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_ttest_1samp_rel(bk, rng, alternative) -> None:
    a = rng.normal(0.3, 1.0, size=(4, 20))
    b = a + rng.normal(0.1, 0.5, size=(4, 20))
    got = bk.call(
        lambda x: stats.ttest_1samp(x, 0.2, axis=1, alternative=alternative), bk.asarray(a)
    )
    ref = ss.ttest_1samp(a, 0.2, axis=1, alternative=alternative)
    np.testing.assert_allclose(bk.to_numpy(got.statistic), ref.statistic, rtol=1e-10)
    np.testing.assert_allclose(bk.to_numpy(got.pvalue), ref.pvalue, rtol=1e-10)
    got = bk.call(
        lambda x, y: stats.ttest_rel(x, y, axis=1, alternative=alternative),
        bk.asarray(a),
        bk.asarray(b),
    )
    ref = ss.ttest_rel(a, b, axis=1, alternative=alternative)
    np.testing.assert_allclose(bk.to_numpy(got.pvalue), ref.pvalue, rtol=1e-10)


@pytest.mark.parametrize(("data", "popmean"), [(np.ones(5), 1.0), (np.zeros(3), 1.0)])
def test_ttest_constant_input(bk, data, popmean) -> None:
    """SciPy's answers: NaN when the mean equals popmean, else -inf/inf with p-value 0."""
    a = bk.asarray(data)
    if bk.eager and bk.backend.is_concrete(a):
        # SciPy's precision-loss warning (deviations below 10 ulp of the mean), or the
        # zero-variance one; both RuntimeWarnings, as SciPy's
        with pytest.warns(PrecisionLossWarning, match="Precision loss|constant"):
            r = stats.ttest_1samp(a, popmean)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = stats.ttest_1samp(a, popmean)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = ss.ttest_1samp(data, popmean)
    np.testing.assert_array_equal(bk.to_numpy(r.statistic), ref.statistic)
    np.testing.assert_array_equal(bk.to_numpy(r.pvalue), ref.pvalue)


def test_ttest_errors(bk) -> None:
    a = bk.asarray(np.ones((5, 2)))
    with pytest.raises(InvalidArgumentError, match="alternative"):
        stats.ttest_ind(a, a, alternative="bigger")
    with pytest.raises(ShapeError, match="do not broadcast"):
        stats.ttest_ind(a, bk.asarray(np.ones((5, 3))))
    with pytest.raises(InvalidArgumentError, match="nan_policy must be one of"):
        stats.ttest_1samp(a, 0.0, nan_policy="ignore")
    with pytest.raises(ShapeError, match=r"popmean.shape\[axis\]"):
        stats.ttest_1samp(a, bk.asarray(np.ones((2, 2))))


def test_ttest_one_observation_is_nan_as_scipy(bk) -> None:
    """One observation: df 0, statistic and p-value NaN (SciPy), not an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = bk.call(lambda x: stats.ttest_1samp(x, 0.0), bk.asarray(np.ones(1)))
        ref = ss.ttest_1samp(np.ones(1), 0.0)
    assert np.isnan(bk.to_numpy(r.statistic)) and np.isnan(bk.to_numpy(r.pvalue))
    assert float(bk.to_numpy(r.df)) == ref.df == 0


def test_bayes(bk, rng) -> None:
    prior = rng.dirichlet(np.ones(4))
    like = rng.uniform(size=4)
    post = bk.call(stats.bayes, bk.asarray(prior), bk.asarray(like))
    joint = prior * like
    np.testing.assert_allclose(bk.to_numpy(post.posterior), joint / joint.sum(), rtol=1e-12)
    np.testing.assert_allclose(bk.to_numpy(post.evidence), joint.sum(), rtol=1e-12)
    if bk.eager:  # one rule for reading values: eager JAX checks too, as NumPy
        with pytest.raises(InvalidArgumentError, match="likelihood"):
            stats.bayes(bk.asarray(prior), bk.asarray(like + 1))
        with pytest.raises(InvalidArgumentError, match="prior"):
            stats.bayes(bk.asarray(prior - 0.5), bk.asarray(like))


@pytest.mark.parametrize(("sp", "sl"), [((2,), (0,)), ((3,), (2,)), ((2, 3), (4, 3))])
def test_bayes_shapes_that_do_not_broadcast(bk, sp, sl) -> None:
    """A likelihood that does not broadcast against the prior is an xpmath ShapeError naming
    both, not the backend's own broadcasting error (a ValueError, RuntimeError or
    TypeError, by backend)."""
    prior, like = bk.asarray(np.full(sp, 0.5)), bk.asarray(np.full(sl, 0.5))
    with pytest.raises(ShapeError, match="prior and likelihood do not broadcast"):
        stats.bayes(prior, like)


def test_t_moments_with_array_df(bk) -> None:
    # elementwise: var = scale^2 df/(df-2) above 2, inf in (1, 2], NaN at or below 1; mean
    # loc above 1, else NaN (undefined, where SciPy reports inf)
    df = np.array([0.5, 1.0, 1.5, 3.0, 10.0])
    dist = stats.t(bk.asarray(df), 2.0, 3.0)
    ref = ss.t(df, 2.0, 3.0)
    np.testing.assert_allclose(bk.to_numpy(dist.var()), ref.var(), rtol=1e-14)
    np.testing.assert_allclose(bk.to_numpy(dist.mean()), np.where(df > 1, ref.mean(), np.nan))
    assert math.isnan(stats.t(0.8).mean()) and stats.t(1.5).var() == math.inf


@pytest.mark.parametrize("which", range(4))
def test_cdf_sf_at_the_edges(bk, rng, which) -> None:
    """NaN in, NaN out; ±inf and points below the support give SciPy's 0 and 1."""
    ours, ref, _ = _cases(rng)[which]
    lo = float(ref.support()[0])
    x = np.array([np.nan, -np.inf, np.inf, lo - 1.0 if np.isfinite(lo) else -1e300, lo])
    xa = bk.asarray(x)
    for m in ("cdf", "sf"):
        got = bk.to_numpy(bk.call(lambda a, m=m: getattr(ours, m)(a), xa))
        np.testing.assert_allclose(got, getattr(ref, m)(x), rtol=1e-12, atol=0, err_msg=m)
