"""``quad(..., method="adaptive")``: the Gauss–Kronrod pair against closed forms, the error
estimate against the true error on generated peaked integrands, SciPy's ``quad`` as a
reference, and the settings and warnings, on every backend."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import scipy.integrate as si
from hypothesis import example, given, settings
from hypothesis import strategies as st

from xpmath import IntegrationWarning, InvalidArgumentError, calculus
from xpmath._dispatch import backend_of
from xpmath.calculus.adaptive_quad import kronrod21


def _peak(xp, eps, c):
    """1/(eps + (x - c)²) and its integral over [-1, 1]."""
    r = math.sqrt(eps)
    exact = (math.atan((1 - c) / r) + math.atan((1 + c) / r)) / r
    return (lambda x: 1 / (eps + (x - c) ** 2)), exact


def _float(bk, v):
    return bk.to_numpy(v).astype(np.complex128 if np.iscomplexobj(bk.to_numpy(v)) else float)


def test_kronrod_pair_is_exact_to_degree_31_and_embeds_gauss_10() -> None:
    t, wk, wg = kronrod21()
    assert np.all(np.diff(t) > 0) and t.shape == (21,)
    for k in range(32):  # the Kronrod rule: degree 3·10 + 1
        assert wk @ t**k == pytest.approx(2 / (k + 1) if k % 2 == 0 else 0.0, abs=2e-16)
    assert abs(wk @ t**32 - 2 / 33) > 1e-13  # and not beyond
    g, w = np.polynomial.legendre.leggauss(10)  # the embedded Gauss rule: NumPy's
    np.testing.assert_allclose(t[wg != 0], g, rtol=0, atol=2e-16)
    np.testing.assert_allclose(wg[wg != 0], w, rtol=0, atol=2e-16)
    assert wg @ t**20 != pytest.approx(2 / 21, abs=1e-8)  # Gauss-10: degree 19 only


@settings(max_examples=25)
@given(
    eps=st.floats(1e-7, 1.0),
    c=st.floats(-1.0, 1.0),
    dtype=st.sampled_from(["float64", "float32"]),
)
@example(eps=1e-6, c=0.3, dtype="float64")  # the fixed rule's 64 nodes miss this peak
@example(eps=1e-7, c=1.0, dtype="float64")  # half a peak, at the end
def test_adaptive_error_estimate_covers_the_error(bk, eps, c, dtype) -> None:
    """On peaks as narrow as 3e-4, the estimate is at least the true error and meets the
    tolerance (float64: SciPy's 1.49e-8; float32: 100 roundings, where the peak is not
    below float32's own resolution of it)."""
    f, exact = _peak(bk.xp, eps, c)
    if bk.jit:
        with pytest.raises(InvalidArgumentError, match="function transform"):
            bk.call(
                lambda s: calculus.quad(lambda x: s * f(x), -1.0, 1.0, method="adaptive"),
                bk.asarray(1.0),
            )
        return
    if dtype == "float32" and eps < 1e-4:
        eps = 1e-4
        f, exact = _peak(bk.xp, eps, c)
    with warnings.catch_warnings():
        warnings.simplefilter("error", IntegrationWarning)
        r = calculus.quad(f, -1.0, 1.0, method="adaptive", backend=bk.name, dtype=dtype)
    value, error = float(_float(bk, r.value)), float(_float(bk, r.error))
    assert bk.to_numpy(r.value).dtype == np.dtype(dtype)
    rel = 1.49e-8 if dtype == "float64" else 100 * np.finfo(np.float32).eps
    # (float32: the value is rounded to float32 once more when summed)
    slack = 0.0 if dtype == "float64" else 4 * np.finfo(np.float32).eps * exact
    assert abs(value - exact) <= error + slack
    assert error <= rel * exact * (1 + 1e-6)


def test_the_fixed_rule_misses_a_peak_the_adaptive_one_finds() -> None:
    f, exact = _peak(np, 1e-6, 0.3)
    fixed = calculus.quad(f, -1.0, 1.0)
    assert abs(float(fixed.value) - exact) > 5 * float(fixed.error)  # why this method exists
    r = calculus.quad(f, -1.0, 1.0, method="adaptive")
    assert abs(float(r.value) - exact) <= float(r.error) <= 1.49e-8 * exact


@pytest.mark.parametrize(
    ("func", "a", "b"),
    [
        (lambda x: np.cos(37.5 * x), 0.0, 1.0),
        (lambda x: np.exp(-0.3 * x * x), -np.inf, np.inf),
        (lambda x: np.exp(-2.0 * x), 0.0, np.inf),
        (lambda x: np.log(x), 0.0, 1.0),
        (lambda x: x**-0.4, 0.0, 1.0),
        (lambda x: np.cos(x) / (1 + x * x) ** 2, -np.inf, 3.0),
    ],
)
def test_adaptive_agrees_with_scipy_quad(func, a, b) -> None:
    """SciPy's QUADPACK (with extrapolation) as the reference: the two agree to within
    their two error estimates, each at most the tolerance."""
    want, want_err = si.quad(func, a, b)
    r = calculus.quad(func, a, b, method="adaptive")
    assert abs(float(r.value) - want) <= float(r.error) + want_err
    assert float(r.error) <= max(1.49e-8, 1.49e-8 * abs(want))


def test_adaptive_vector_complex_infinite_and_reversed(bk) -> None:
    """A vector-valued complex integrand over [0, 10] and a reversed, infinite one, against
    closed forms, on every backend."""
    if bk.jit:
        pytest.skip("method='adaptive' refuses jit: test_adaptive_error_estimate_covers_...")
    xp = bk.xp

    def f(x):
        return xp.stack([xp.sin(x), xp.cos(x) + 1j * x])

    r = calculus.quad(f, 0.0, 10.0, method="adaptive", backend=bk.name)
    got = _float(bk, r.value)
    want = np.array([1 - math.cos(10), math.sin(10) + 50j])
    err = _float(bk, r.error)
    assert got.shape == err.shape == (2,)
    assert np.all(np.abs(got - want) <= err.real) and np.all(err.real <= 1.49e-8 * 50)
    r = calculus.quad(
        lambda x: xp.exp(-x * x), math.inf, -math.inf, method="adaptive", backend=bk.name
    )
    assert float(_float(bk, r.value)) == pytest.approx(-math.sqrt(math.pi), rel=1e-12)
    r = calculus.quad(lambda x: 2.5, 1.0, 3.0, method="adaptive", backend=bk.name)
    assert float(_float(bk, r.value)) == pytest.approx(5.0, rel=1e-14)


def test_each_round_is_one_call_of_the_integrand(bk) -> None:
    """Every round of panels is one call with 21 nodes a panel, and the result's graph on
    Dask does not call the integrand again."""
    if bk.jit:
        pytest.skip("method='adaptive' refuses jit")
    calls = []
    f, exact = _peak(bk.xp, 1e-5, -0.2)

    def counted(x):
        calls.append(int(x.shape[0]))
        return f(x)

    r = calculus.quad(counted, -1.0, 1.0, method="adaptive", intervals=3, backend=bk.name)
    assert calls[0] == 3 * 21 and all(n % 42 == 0 for n in calls[1:]) and len(calls) > 3
    made = len(calls)
    assert abs(float(_float(bk, r.value)) - exact) <= float(_float(bk, r.error))
    assert len(calls) == made


def test_limit_reached_warns_as_scipy_does_and_keeps_its_estimate() -> None:
    with pytest.warns(IntegrationWarning, match="limit of 8 subintervals") as caught:
        r = calculus.quad(lambda x: x**-0.5, 0.0, 1.0, method="adaptive", limit=8)
    assert isinstance(caught[0].message, si.IntegrationWarning)  # SciPy's filters catch it
    assert float(r.error) > 1.49e-8 and abs(float(r.value) - 2.0) <= float(r.error)


def test_rounding_and_non_finite_values_stop_with_a_warning() -> None:
    with pytest.warns(IntegrationWarning, match="rounding"):
        r = calculus.quad(np.sin, 0.0, 100.0, method="adaptive", epsabs=0.0, epsrel=1e-13)
    assert abs(float(r.value) - (1 - math.cos(100))) <= float(r.error)
    with pytest.warns(IntegrationWarning, match="not finite"):
        r = calculus.quad(lambda x: np.where(x > 0.5, np.nan, x), 0.0, 1.0, method="adaptive")
    assert math.isnan(float(r.value))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "adaptive", "n": 10}, r"n sets the fixed .*got n=10"),
        ({"epsabs": 1e-6}, r"epsabs, epsrel and limit set method='adaptive'.*epsabs=1e-06"),
        ({"limit": 10}, r"got limit=10"),
        ({"method": "adaptive", "epsabs": -1.0}, r"epsabs must be >= 0; got -1.0"),
        ({"method": "adaptive", "epsrel": float("nan")}, r"epsrel must be finite"),
        ({"method": "adaptive", "epsabs": 0.0, "epsrel": 1e-16}, r"at least 1.11e-14 .*1e-16"),
        ({"method": "adaptive", "limit": 0}, r"limit must be >= 1; got 0"),
        ({"method": "adaptive", "limit": 2, "intervals": 3}, r"at least intervals \(3\); got 2"),
        ({"method": "adaptive", "limit": 2.5}, r"limit must be an integer"),
        ({"method": "kronrod"}, r"method"),
    ],
)
def test_settings_refused_with_their_names(kwargs, match) -> None:
    with pytest.raises(InvalidArgumentError, match=match):
        calculus.quad(np.cos, 0.0, 1.0, **kwargs)


def test_value_keeps_torch_autograd() -> None:
    torch = pytest.importorskip("torch")
    c = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    r = calculus.quad(
        lambda x: torch.exp(-c * x * x), 0.0, math.inf, method="adaptive", backend="torch"
    )
    r.value.backward()  # d/dc ∫₀^∞ exp(-c x²) = -√π / (4 c^1.5)
    assert float(c.grad) == pytest.approx(-math.sqrt(math.pi) / (4 * 2.0**1.5), rel=1e-9)


def test_adaptive_result_lives_on_the_backend(bk) -> None:
    if bk.jit:
        pytest.skip("method='adaptive' refuses jit")
    r = calculus.quad(bk.xp.cos, 0.0, 1.0, method="adaptive", backend=bk.name)
    assert backend_of(r.value).name == bk.name == backend_of(r.error).name


@pytest.mark.parametrize("method", ["gauss-legendre", "adaptive"])
def test_args_reach_func_as_in_scipy(bk, method) -> None:
    """SciPy's ``args``: a tuple, or a lone value, after the nodes (both methods)."""
    if bk.jit and method == "adaptive":
        pytest.skip("method='adaptive' refuses jit")
    xp = bk.xp

    def f(x, n, z):  # SciPy's test_typical: a Bessel function's integrand
        return xp.cos(n * x - z * xp.sin(x)) / math.pi

    r = calculus.quad(f, 0.0, math.pi, args=(2, 1.8), method=method, backend=bk.name)
    assert float(_float(bk, r.value)) == pytest.approx(0.30614353532540296487, rel=1e-13)
    r = calculus.quad(lambda x, p: x**p, 0.0, 2.0, args=3, method=method, backend=bk.name)
    assert float(_float(bk, r.value)) == pytest.approx(4.0, rel=1e-13)
    c = bk.asarray([2.0, 3.0])  # a lone array: one argument, as SciPy takes it
    r = calculus.quad(lambda x, c: c[:, None] * x, 0.0, 1.0, args=c, method=method, backend=bk.name)
    np.testing.assert_allclose(_float(bk, r.value), [1.0, 1.5], rtol=1e-13)


@pytest.mark.parametrize("method", ["gauss-legendre", "adaptive"])
def test_a_bool_integrand_integrates_as_0_and_1(bk, method) -> None:
    """An indicator (a bool array) integrates as 0 and 1 in the nodes' dtype on every backend
    (array_api_strict refused bool * float, torch's abs of a bool raised)."""
    if bk.jit and method == "adaptive":
        pytest.skip("method='adaptive' refuses jit")
    r = calculus.quad(lambda x: x > 0.25, 0.0, 1.0, method=method, backend=bk.name)
    value, error = float(_float(bk, r.value)), float(_float(bk, r.error))
    assert bk.to_numpy(r.value).dtype == np.float64
    assert abs(value - 0.75) <= max(error, 1e-2 if method == "gauss-legendre" else 0.0)
