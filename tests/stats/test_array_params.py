"""Distributions with array parameters: the point (``x``, ``k`` or ``q``) broadcasts against
every parameter as in SciPy, on every backend, under ``jax.jit`` with traced parameters and
inside ``torch.func.vmap`` over a parameter (no parameter value is ever read to fill an
array: torch's ``full_like`` takes only a Python number, and ``math.log`` of an array
parameter fails everywhere)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import example, given, settings
from hypothesis import strategies as st

from xpmath import stats

DISCRETE = ("bernoulli", "binom", "poisson")
NAMES = (*DISCRETE, "norm", "uniform", "t", "gamma")


def _methods(name: str) -> tuple[str, ...]:
    tails = ("cdf", "sf", "logcdf", "logsf", "ppf", "isf")
    return (("pmf", "logpmf") if name in DISCRETE else ("pdf", "logpdf")) + tails


def _params(name: str, values: np.ndarray) -> tuple[np.ndarray, ...]:
    """Parameters of ``name`` from uniform draws in [0, 1) of one shape (each its own
    function of them, so no two are equal)."""
    if name == "binom":
        return np.floor(values * 12), values  # n in 0..11, p in [0, 1)
    if name == "poisson":
        return (values * 9,)
    if name == "bernoulli":
        return (values,)
    loc, scale = 4 * values - 2, 0.25 + 2 * values
    if name == "t":
        return 0.5 + 40 * values, loc, scale
    if name == "gamma":
        return 0.2 + 8 * values, loc, scale
    return loc, scale


def _compare(bk, name, params_np, k_np, q_np) -> None:
    dist, ref = getattr(stats, name), getattr(ss, name)
    params = [bk.asarray(p) for p in params_np]
    for method in _methods(name):
        arg = q_np if method in ("ppf", "isf") else k_np
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # SciPy's log(0) in logpmf
            want = getattr(ref, method)(arg, *params_np)
        got = bk.call(lambda a, *ps, m=method: getattr(dist, m)(a, *ps), bk.asarray(arg), *params)
        got = bk.to_numpy(got)
        assert got.shape == want.shape, (name, method)
        np.testing.assert_allclose(
            got, want, rtol=1e-9, atol=1e-13, equal_nan=True, err_msg=f"{name}.{method}"
        )


@pytest.mark.parametrize("name", NAMES)
def test_parameters_of_another_shape_broadcast_like_scipy(bk, rng, name) -> None:
    """Parameters of shape (3,) against points of shape (5, 1): a (5, 3) result."""
    params = _params(name, rng.uniform(0.02, 0.98, 3))
    k = np.array([-1.0, 0.0, 1.0, 2.5, 4.0])[:, None]
    q = np.array([0.0, 0.05, 0.5, 0.95, 1.0])[:, None]
    _compare(bk, name, params, k, q)


@given(
    name=st.sampled_from(NAMES),
    k_shape=st.sampled_from([(), (1,), (4,), (2, 1), (2, 4)]),
    p_shape=st.sampled_from([(), (1,), (4,), (3, 1, 1)]),
    seed=st.integers(0, 2**32 - 1),
)
@example(name="binom", k_shape=(), p_shape=(4,), seed=0)  # the parameter sets the shape
@example(name="poisson", k_shape=(2, 4), p_shape=(), seed=1)  # a 0-d array parameter
@example(name="gamma", k_shape=(2, 1), p_shape=(4,), seed=2)  # shape a, loc, scale arrays
@example(name="t", k_shape=(), p_shape=(3, 1, 1), seed=3)
@settings(max_examples=12)  # (each shape compiles every method on JAX: 47 s at 25)
def test_property_broadcasting_matches_scipy(bk, name, k_shape, p_shape, seed) -> None:
    if bk.jit:  # every generated shape compiles five programs (90 s); the fixed-shape test
        return  # above runs the same code under jax.jit, and eager JAX runs this one
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.0, 1.0, p_shape)
    values.flat[0:1] = 0.0  # an edge: p = 0, mu = 0, n = 0
    k = np.floor(rng.uniform(-1.5, 10.0, k_shape))
    if name not in DISCRETE:
        k = k + rng.uniform(0, 1, k_shape)
    q = rng.uniform(0.0, 1.0, k_shape)
    if q.size:
        q.flat[0] = 1.0  # an edge: the top of the support (inf for Poisson)
    _compare(bk, name, _params(name, values), k, q)


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("binom", "pmf"),
        ("poisson", "cdf"),
        ("bernoulli", "sf"),
        ("binom", "ppf"),
        ("gamma", "cdf"),
        ("t", "logpdf"),
        ("t", "ppf"),
        ("norm", "sf"),
        ("gamma", "isf"),
        ("binom", "isf"),
        ("t", "logcdf"),
        ("poisson", "logsf"),
    ],
)
def test_rows_under_torch_vmap_over_a_parameter(rng, name, method) -> None:
    torch = pytest.importorskip("torch")
    params = [torch.from_numpy(p) for p in _params(name, rng.uniform(0.05, 0.95, 3))]
    arg = torch.from_numpy(
        rng.uniform(0, 1, 4) if method in ("ppf", "isf") else np.floor(rng.uniform(0, 6, 4))
    )
    call = getattr(getattr(stats, name), method)
    batched = torch.func.vmap(lambda *ps: call(arg, *ps))(*params)
    for i in range(3):
        want = getattr(getattr(ss, name), method)(arg.numpy(), *(float(p[i]) for p in params))
        np.testing.assert_allclose(batched[i].numpy(), want, rtol=1e-9, atol=1e-13)
