"""``ppf`` of every distribution against scipy.stats in float64, closed forms where SciPy's own
inverse is the less accurate one, and the defining inequalities of discrete quantiles."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss

from xpmath import stats


def _continuous(rng):
    a, scale = rng.uniform(0.3, 20), rng.uniform(0.5, 3)
    df, loc = rng.uniform(0.8, 60), rng.normal()
    return {
        "gamma": (stats.gamma(a, scale=scale), ss.gamma(a, scale=scale)),
        "t": (stats.t(df, loc, scale), ss.t(df, loc, scale)),
    }


def _discrete(rng):
    n, p, mu = int(rng.integers(1, 200)), rng.uniform(0.02, 0.98), rng.uniform(0.1, 300)
    return {
        "bernoulli": (stats.bernoulli(p), ss.bernoulli(p)),
        "binom": (stats.binom(n, p), ss.binom(n, p)),
        "poisson": (stats.poisson(mu), ss.poisson(mu)),
    }


def _probabilities(rng, size):
    """Uniform in the middle and log-uniform far into both tails."""
    tails = 10.0 ** rng.uniform(-14, -1, size=size)
    return np.concatenate([rng.uniform(0.01, 0.99, size=size), tails, 1 - tails])


EDGES = np.array([0.0, 1.0, -0.25, 1.5, np.nan])


@pytest.mark.parametrize("dist", ["gamma", "t"])
def test_continuous_ppf_matches_scipy(bk, rng, dist) -> None:
    ours, ref = _continuous(rng)[dist]
    q = np.concatenate([_probabilities(rng, 8), EDGES])
    got = bk.to_numpy(bk.call(ours.ppf, bk.asarray(q)))
    # torch's incomplete gamma is good to about 1e-9 relative (documented), the rest to 1e-14;
    # SciPy's t inverse itself errs by up to ~3e-13 relative
    rtol = 1e-8 if (bk.name == "torch" and dist == "gamma") else 1e-11
    np.testing.assert_allclose(got, ref.ppf(q), rtol=rtol, atol=1e-300)


@pytest.mark.parametrize("dist", ["gamma", "t"])
def test_continuous_ppf_inverts_cdf(bk, rng, dist) -> None:
    ours, ref = _continuous(rng)[dist]
    q = rng.uniform(0.001, 0.999, size=20)
    x = bk.call(ours.ppf, bk.asarray(q))
    back = bk.to_numpy(bk.call(ours.cdf, x))
    np.testing.assert_allclose(back, q, rtol=1e-8 if bk.name == "torch" else 1e-12)
    # and SciPy's cdf agrees the quantile is right
    np.testing.assert_allclose(ref.cdf(bk.to_numpy(x)), q, rtol=1e-8)


@pytest.mark.parametrize("dist", ["bernoulli", "binom", "poisson"])
def test_discrete_ppf_matches_scipy_and_definition(bk, rng, dist) -> None:
    ours, ref = _discrete(rng)[dist]
    q = np.concatenate([rng.uniform(size=30), 10.0 ** rng.uniform(-12, -1, size=5), EDGES])
    got = bk.to_numpy(bk.call(ours.ppf, bk.asarray(q)))
    np.testing.assert_array_equal(got, ref.ppf(q))
    inside = (q > 0) & (q < 1)
    k = got[inside]
    # the smallest k with cdf(k) >= q
    assert np.all(ref.cdf(k) >= q[inside] * (1 - 1e-12))
    assert np.all(ref.cdf(k - 1) < q[inside] * (1 + 1e-12))


def test_t_ppf_closed_forms_where_scipy_is_coarse(rng) -> None:
    # df = 1: tan(pi (q - 1/2)); df = 2: (2q - 1) / sqrt(2 q (1 - q)). Near q = 1/2 SciPy's
    # inverse loses digits (2e-9 relative at df = 1); the centre-side solve keeps them.
    d = 10.0 ** rng.uniform(-12, -1, size=10)
    q = np.concatenate([0.5 + d, 0.5 - d, 10.0 ** rng.uniform(-150, -3, size=10)])
    dq = np.where(q > 0.5, q - 0.5, -(0.5 - q))  # exact
    cauchy = np.where(q < 0.25, -1 / np.tan(np.pi * q), np.tan(np.pi * dq))
    np.testing.assert_allclose(stats.t(1).ppf(q), cauchy, rtol=1e-13)
    two = 2 * dq / np.sqrt(2 * q * (1 - q))
    np.testing.assert_allclose(stats.t(2).ppf(q), two, rtol=1e-13)


def test_gamma_ppf_far_tails() -> None:
    a = np.array([0.05, 0.5, 1.0, 3.7, 50.0, 1e4])
    for q in (1e-300, 1e-100, 1e-30, 1 - 1e-12):
        got = stats.gamma(a).ppf(np.full(a.shape, q))
        np.testing.assert_allclose(got, ss.gamma(a).ppf(q), rtol=1e-12, atol=1e-300)
    # exponential distribution (a = 1): -log(1 - q); for q near 1, 1 - q is exact in floating
    # point, so the upper tail keeps full relative accuracy
    q = 1 - 10.0 ** -np.arange(1.0, 16.0)
    np.testing.assert_allclose(stats.gamma(1.0).ppf(q), -np.log(1 - q), rtol=1e-14)
    q = 10.0 ** -np.arange(1.0, 16.0)
    np.testing.assert_allclose(stats.gamma(1.0).ppf(q), -np.log1p(-q), rtol=1e-14)


def test_ppf_float32_keeps_dtype_and_accuracy(bk, rng) -> None:
    q = rng.uniform(0.01, 0.99, size=16).astype(np.float32)
    a, df = rng.uniform(0.3, 20), rng.uniform(0.8, 60)
    continuous = [(stats.gamma(a), ss.gamma(a)), (stats.t(df), ss.t(df))]
    for ours, ref in [*continuous, *_discrete(rng).values()]:
        got = bk.call(ours.ppf, bk.asarray(q))
        assert bk.to_numpy(got).dtype == np.float32
        want = ref.ppf(q.astype(np.float64))
        if ours.discrete:  # a q within float32 rounding of a cdf step may move one integer
            assert np.max(np.abs(bk.to_numpy(got) - want)) <= 1
        else:
            # float32 incomplete beta / gamma functions (JAX's, xpmath's generic one on torch)
            # are good to about 1e-5: the quantile inherits that, measured up to 4e-5
            np.testing.assert_allclose(bk.to_numpy(got), want, rtol=1e-4, atol=1e-4)


def test_ppf_array_parameters_broadcast(rng) -> None:
    a = rng.uniform(0.5, 5, size=(3, 1))
    q = rng.uniform(size=(1, 4))
    np.testing.assert_allclose(stats.gamma(a).ppf(q), ss.gamma(a).ppf(q), rtol=1e-12)
    df = rng.uniform(1, 10, size=4)
    np.testing.assert_allclose(stats.t(df).ppf(q), ss.t(df).ppf(q), rtol=1e-11)
    n = np.array([[3.0], [10.0], [40.0]])
    np.testing.assert_array_equal(stats.binom(n, 0.3).ppf(q), ss.binom(n, 0.3).ppf(q))
    mu = np.array([[0.0], [2.0], [1e4]])
    np.testing.assert_array_equal(stats.poisson(mu).ppf(q), ss.poisson(mu).ppf(q))


def test_ppf_with_traced_parameters_under_jit(rng) -> None:
    # parameters that are tracers cannot be read: the searches fall back to step counts that
    # cover any value the dtype holds, and still agree with SciPy
    jax = pytest.importorskip("jax")
    jnp = pytest.importorskip("jax.numpy")
    q = rng.uniform(0.001, 0.999, size=6)
    df, a, n, mu = rng.uniform(1, 20), rng.uniform(0.5, 10), float(rng.integers(1, 60)), 30.0
    cases = [
        (lambda p, q: stats.t(p).ppf(q), df, ss.t(df).ppf(q)),
        (lambda p, q: stats.gamma(p).ppf(q), a, ss.gamma(a).ppf(q)),
        (lambda p, q: stats.binom(p, 0.3).ppf(q), n, ss.binom(n, 0.3).ppf(q)),
        (lambda p, q: stats.poisson(p).ppf(q), mu, ss.poisson(mu).ppf(q)),
    ]
    for fn, param, want in cases:
        got = jax.jit(fn)(jnp.asarray(param, dtype=jnp.float64), jnp.asarray(q))
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-11)


def test_t_cdf_near_the_centre_keeps_its_digits(bk, rng) -> None:
    # df = 1 and 2 have closed forms; |z| down to 1e-9, where nu / (nu + z^2) rounds to 1 and
    # the tail form lost the digits of 1 - w (1e-12 absolute at z = 1e-3, df = 59)
    z = np.concatenate([10.0 ** rng.uniform(-9, 0, 15), [-1e-3, 0.5, 0.999999, 1.0, 1.000001]])
    z = z * rng.choice([-1.0, 1.0], z.size)
    closed = {1.0: 0.5 + np.arctan(z) / np.pi, 2.0: 0.5 + z / (2 * np.sqrt(2 + z * z))}
    for df, want in closed.items():
        got = bk.to_numpy(bk.call(stats.t(df).cdf, bk.asarray(z)))
        np.testing.assert_allclose(got, want, rtol=1e-8 if bk.name == "torch" else 2e-14)
    # and far out in the tail the other form still serves (no cancellation to 0)
    far = bk.to_numpy(bk.call(stats.t(300.0).cdf, bk.asarray(np.array([-14.215484742357425]))))
    np.testing.assert_allclose(far, ss.t(300.0).cdf(-14.215484742357425), rtol=1e-8)
