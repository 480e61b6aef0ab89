"""``logcdf``, ``logsf`` and ``isf`` of every distribution, and NaN propagation through every
point method, on every backend.

References: SciPy in float64, with the log of a probability above ½ taken as ``log1p`` of its
complement (SciPy's own ``logcdf`` is ``log(cdf)`` for some distributions and rounds those to
0); ``norm``'s log tails are SciPy's ``log_ndtr``; far-tail inverses (q down to 1e-300, where
SciPy's own ``isf`` is NaN or ±inf for some distributions) are checked by their definition
against SciPy's ``sf``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.special as sp
import scipy.stats as ss
from hypothesis import example, given
from hypothesis import strategies as st

from xpmath import stats

DISCRETE = ("bernoulli", "binom", "poisson")
#: (name, parameters): the centre, skewed shapes, degenerate parameters and large ones
CASES = [
    ("norm", (0.5, 2.0)),
    ("uniform", (-1.0, 3.0)),
    ("gamma", (2.5,)),
    ("gamma", (0.05, 0.0, 2.0)),
    ("gamma", (40.0, 1.0, 0.5)),
    ("t", (3.0,)),
    ("t", (0.7, -1.0, 2.0)),
    ("t", (1e6,)),
    ("binom", (10, 0.4)),
    ("binom", (0, 0.5)),
    ("binom", (5, 0.0)),
    ("binom", (5, 1.0)),
    ("binom", (300, 0.02, 2.0)),
    ("poisson", (3.0,)),
    ("poisson", (0.0,)),
    ("poisson", (500.0,)),
    ("bernoulli", (0.4,)),
    ("bernoulli", (0.0,)),
    ("bernoulli", (1.0,)),
    ("bernoulli", (0.3, 2.0)),
]
IDS = [f"{n}{p}" for n, p in CASES]
POINTS = np.array([-np.inf, -40, -3, -1, -0.5, 0, 0.5, 1, 2, 2.5, 7, 40, 1e3, np.inf])
Q_MID = np.array([1e-12, 1e-5, 0.1, 0.3, 0.5, 0.7, 0.99, 1 - 1e-12])
Q_FAR = np.array([1e-300, 1e-100, 1e-20])
Q_EDGES = np.array([0.0, 1.0, -0.1, 1.5, np.nan])


def _rtol(bk, name: str) -> float:
    # torch's incomplete gamma is good to about 1e-9 relative (documented); SciPy's t
    # inverse errs by up to ~3e-13 relative
    return 1e-8 if bk.name == "torch" and name in ("gamma", "poisson") else 1e-10


def _ref_log(p: np.ndarray, complement: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.where(p > 0.5, np.log1p(-complement), np.log(p))


def _call(bk, name, method, arg, params):
    return bk.to_numpy(bk.call(lambda a: getattr(getattr(stats, name), method)(a, *params), arg))


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_log_tails_match_scipy(bk, name, params) -> None:
    ref = getattr(ss, name)(*params)
    x = POINTS if name not in DISCRETE else np.floor(POINTS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if name == "norm":
            want_cdf, want_sf = ref.logcdf(x), ref.logsf(x)
        else:
            cdf, sf = ref.cdf(x), ref.sf(x)
            want_cdf, want_sf = _ref_log(cdf, sf), _ref_log(sf, cdf)
    for method, want in (("logcdf", want_cdf), ("logsf", want_sf)):
        got = _call(bk, name, method, bk.asarray(x), params)
        if name == "t" and params[0] >= 1e4:
            # large df: the log tail comes from log_ndtr of Hill's variable, finite where
            # SciPy's cdf underflows (x = -40 at df = 1e6: -803.97); there it must lie
            # below the log of the smallest subnormal, at or above the normal's log tail
            # (past Hill's range, z² > df/10, both are -inf: the incomplete beta underflows)
            gone = np.isneginf(want) & np.isfinite(got)
            side = x[gone] if method == "logcdf" else -x[gone]
            assert np.all(got[gone] < np.log(5e-324)), got[gone]
            assert np.all(got[gone] >= sp.log_ndtr(side)), (got[gone], sp.log_ndtr(side))
            got, want = got[~gone], want[~gone]
        np.testing.assert_allclose(
            got, want, rtol=_rtol(bk, name), atol=1e-300, err_msg=f"{name}{params}.{method}"
        )


def test_norm_log_tails_stay_finite_where_the_cdf_underflows(bk) -> None:
    z = np.array([-40.0, -38.5, -100.0])
    got = _call(bk, "norm", "logcdf", bk.asarray(z), ())
    np.testing.assert_allclose(got, sp.log_ndtr(z), rtol=1e-12)
    assert np.all(np.isfinite(got))
    got = _call(bk, "norm", "logsf", bk.asarray(-z), ())
    np.testing.assert_allclose(got, sp.log_ndtr(z), rtol=1e-12)


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_isf_matches_scipy_and_its_edges(bk, name, params) -> None:
    ref = getattr(ss, name)(*params)
    q = np.concatenate([Q_MID, Q_EDGES])
    got = _call(bk, name, "isf", bk.asarray(q), params)
    want = ref.isf(q)
    if name in DISCRETE:
        # the smallest k with sf(k) <= q (SciPy's boost-based binom.isf returns n for a tiny
        # q when p = 0, where sf(0) = 0 <= q already: the definition decides)
        inside = (q > 0) & (q < 1)
        k = got[inside]
        assert np.all(ref.sf(k) <= q[inside]), (k, q[inside])
        assert np.all(ref.sf(k - 1) > q[inside]), (k, q[inside])
        p = params[0] if name == "bernoulli" else params[1] if name == "binom" else None
        degenerate = p == 0.0
        check = ~inside | (q >= 1e-5) if degenerate else np.ones(q.shape, bool)
        np.testing.assert_array_equal(got[check], want[check])
    else:
        np.testing.assert_allclose(got, want, rtol=_rtol(bk, name) * 10, atol=1e-300)


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_isf_far_in_the_tail_by_its_definition(bk, name, params) -> None:
    """q = 1e-300..1e-20: ``ppf(1 - q)`` sees 1 there; SciPy's own ``isf`` gives NaN for
    Poisson and -inf for t(3) at 1e-300."""
    ref = getattr(ss, name)(*params)
    got = _call(bk, name, "isf", bk.asarray(Q_FAR), params)
    if name in DISCRETE:
        assert np.all(ref.sf(got) <= Q_FAR) and np.all(ref.sf(got - 1) > Q_FAR), got
        return
    beyond = np.isinf(got)
    if np.any(beyond):
        # t(0.7)'s quantile at 1e-300 is about 1e428, past float64: inf is right when the
        # tail at the largest float, by its power law, is still above q (SciPy's sf rounds
        # it to 0). P(T > t) ~ (ν/t²)^(ν/2) / (ν B(ν/2, ½)) for t² >> ν
        assert name == "t", got
        df, loc, scale = (*params, 0.0, 1.0)[:3]
        z = (np.finfo(np.float64).max - loc) / scale
        log_tail = df / 2 * (np.log(df) - 2 * np.log(z)) - np.log(df) - sp.betaln(df / 2, 0.5)
        assert np.all(log_tail > np.log(Q_FAR[beyond])), (got, log_tail)
    got, q = got[~beyond], Q_FAR[~beyond]
    if name == "uniform":
        np.testing.assert_allclose(got, ref.ppf(1 - q), rtol=1e-15)
        return
    back = ref.sf(got)
    rtol = 1e-6 if bk.name == "torch" and name == "gamma" else 1e-8
    np.testing.assert_allclose(back, q, rtol=rtol)


def _point_methods(name: str) -> tuple[str, ...]:
    density = ("pmf", "logpmf") if name in DISCRETE else ("pdf", "logpdf")
    return (*density, "cdf", "sf", "logcdf", "logsf", "ppf", "isf")


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_nan_in_nan_out_for_every_point_method(bk, name, params) -> None:
    """A NaN point gives NaN from every method, as in SciPy (the support tests would read it
    as outside the support: 0 from a pmf, 1 from a binomial cdf)."""
    if bk.jit and CASES.index((name, params)) != [n for n, _ in CASES].index(name):
        pytest.skip("under jax.jit, one parameter set per distribution (the same program)")
    x = np.array([np.nan, 1.0, np.nan])
    for method in _point_methods(name):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            got = _call(bk, name, method, bk.asarray(x), params)
        assert np.isnan(got[0]) and np.isnan(got[2]), (name, method, got)
        assert not np.isnan(got[1]), (name, method, got)


@pytest.mark.parametrize("name", ["norm", "gamma", "t", "binom", "poisson"])
def test_class_form_and_frozen_form_agree(bk, rng, name) -> None:
    params = {"norm": (0.3, 1.5), "gamma": (3.0,), "t": (5.0,), "binom": (9, 0.3)}
    params = params.get(name, (4.0,))
    frozen = getattr(stats, name)(*params)
    x = bk.asarray(np.floor(rng.uniform(-1, 9, 6)))
    q = bk.asarray(rng.uniform(0, 1, 6))
    for method, arg in (("logcdf", x), ("logsf", x), ("isf", q)):
        a = bk.call(lambda v, m=method: getattr(frozen, m)(v), arg)
        b = bk.call(lambda v, m=method: getattr(getattr(stats, name), m)(v, *params), arg)
        # (the same code: equal up to the order a compiler fuses it in)
        np.testing.assert_allclose(bk.to_numpy(a), bk.to_numpy(b), rtol=1e-14, atol=0)


EDGE_Q = [0.0, 1.0, 0.5, 1e-30, 1 - 1e-7, float("nan"), -0.5, 2.0]


@given(
    case=st.sampled_from(range(len(CASES))),
    shape=st.sampled_from([(), (1,), (5,), (2, 3)]),
    dtype=st.sampled_from(["float32", "float64"]),
    edge=st.sampled_from(EDGE_Q),
    seed=st.integers(0, 2**32 - 1),
)
@example(case=13, shape=(5,), dtype="float64", edge=1e-30, seed=0)  # poisson far tail
@example(case=5, shape=(2, 3), dtype="float32", edge=0.0, seed=1)  # t, float32, q = 0
def test_property_isf_inverts_sf_on_every_dtype(bk, case, shape, dtype, edge, seed) -> None:
    """``isf`` against SciPy in float64 at the input's precision: shapes kept, dtype kept,
    edge values (0, 1, outside [0, 1], NaN, a far tail) where SciPy puts them."""
    name, params = CASES[case]
    rng = np.random.default_rng(seed)
    q = rng.uniform(0, 1, shape).astype(dtype)
    if q.size:
        q.flat[0] = edge
    got_arr = bk.call(lambda a: getattr(stats, name)(*params).isf(a), bk.asarray(q))
    got = bk.to_numpy(got_arr)
    assert got.shape == q.shape and got.dtype == np.dtype(dtype)
    ref = getattr(ss, name)(*params)
    q64 = q.astype(np.float64)
    inside = (q64 > 0) & (q64 < 1)
    assert np.all(np.isnan(got[~inside & ~((q64 == 0) | (q64 == 1))]))
    ends = (q64 == 0) | (q64 == 1)
    np.testing.assert_array_equal(got[ends], ref.isf(q64[ends]).astype(dtype))
    if name in DISCRETE:
        # the definition, with float32's rounding of q allowed for
        slack = 1e-5 if dtype == "float32" else 1e-12
        k = got[inside].astype(np.float64)
        assert np.all(ref.sf(k) <= q64[inside] * (1 + slack)), (k, q64[inside])
        assert np.all(ref.sf(k - 1) >= q64[inside] * (1 - slack)), (k, q64[inside])
    elif name == "uniform":  # the closed form (its sf cannot resolve q below eps)
        loc, scale = params
        want = (loc + scale * (1 - q64[inside])).astype(dtype)
        atol = 4 * np.finfo(dtype).eps * (abs(loc) + scale)  # loc + ... cancels near 0
        np.testing.assert_allclose(got[inside], want, rtol=0, atol=atol)
    elif dtype == "float64":
        np.testing.assert_allclose(ref.sf(got[inside]), q64[inside], rtol=1e-7)
    else:  # float32 incomplete gamma/beta functions are good to about 1e-5
        with np.errstate(over="ignore"):  # t(0.7) at q = 1e-30: 2.7e42, inf in float32
            want = ref.isf(q64[inside]).astype(dtype)
        np.testing.assert_allclose(got[inside], want, rtol=2e-4, atol=1e-4)
