"""limit (removable singularities, jumps, divergence) and integration against SciPy."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import scipy.integrate as si
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from xpmath import InvalidArgumentError, NoLimitError, ShapeError, calculus


def _lim(bk, f, x0, **kw):
    return calculus.limit(f, x0, backend=bk.name, **kw)


def test_removable_singularities(bk) -> None:
    bk.require("calculus.limit")
    xp = bk.xp
    assert _lim(bk, lambda x: xp.sin(x) / x, 0.0).value == pytest.approx(1.0, abs=1e-10)
    r = _lim(bk, lambda x: (1 + x) ** (1 / x), 0.0)
    assert r.value == pytest.approx(math.e, rel=1e-9) and r.error < 1e-7
    r = _lim(bk, lambda x: (x * x - 4) / (x - 2), 2.0)
    assert r.value == pytest.approx(4.0, rel=1e-9)
    r = _lim(bk, lambda x: (1 - xp.cos(x)) / x**2, 0.0)
    assert r.value == pytest.approx(0.5, rel=1e-7)


@given(x0=st.floats(100, 1e6) | st.floats(-1e6, -100))
@example(x0=1e6)
def test_limit_of_a_continuous_function_far_from_0(bk, x0) -> None:
    """Offsets of x0's own size (1e5 at 1e6) see cos oscillate and do not settle; the unit's
    then give the value (NoLimitError before)."""
    bk.require("calculus.limit")
    r = _lim(bk, bk.xp.cos, x0)
    assert r.value == pytest.approx(math.cos(x0), abs=1e-8)


_FAR = st.floats(1e3, 1e9) | st.floats(-1e9, -1e3)


@given(x0=_FAR, family=st.sampled_from(["sinc", "one_minus_cos", "cos_remainder"]))
@example(x0=740475.0335209608, family="sinc")  # settled on 7.7e-4 ± 7e-10
@example(x0=-13221879.168509705, family="sinc")  # 3.5e-6 ± 2e-16
@example(x0=4721083.480958082, family="one_minus_cos")  # 1.9e-6 ± 2e-10
@example(x0=740475.0335209608, family="cos_remainder")  # 0.4999997 ± 4e-14
def test_limit_far_from_0_is_right_or_says_it_has_none(bk, x0, family) -> None:
    """Functions of x - x0 whose samples at offsets of x0's size look settled: sin(h)/h at
    offsets halving from near a multiple of 2π, (1 - cos h)/h² (tiny there, so within the
    absolute tolerance of any value near 0), and 1/2 - that (near 1/2 there, tending to 0).
    The answer is the limit to within its error, or a NoLimitError; before, a wrong value
    with an error of 1e-10 came back for about 1 x0 in 20."""
    bk.require("calculus.limit")
    xp = bk.xp
    funcs = {
        "sinc": (lambda x: xp.sin(x - x0) / (x - x0), 1.0),
        "one_minus_cos": (lambda x: (1 - xp.cos(x - x0)) / (x - x0) ** 2, 0.5),
        "cos_remainder": (lambda x: (xp.cos(x - x0) - 1 + (x - x0) ** 2 / 2) / (x - x0) ** 2, 0.0),
    }
    f, exact = funcs[family]
    try:
        r = _lim(bk, f, x0)
    except NoLimitError:
        return
    assert abs(r.value - exact) <= max(1e-7, 2 * r.error), (r, exact)


@given(x0=_FAR)
@example(x0=-75637953.74779113)  # the sides "differed": 0.160670909 and 0.160670934
@example(x0=896538426.1694959)  # no offsets tried between 1e8 and 0.1
def test_cos_at_any_x0_from_the_offsets_the_points_have(bk, x0) -> None:
    """At 7.6e7 the points x0 ± 0.1/2^k round 8e-9 away from their nominal offsets; the
    extrapolation now uses the offsets the points have."""
    bk.require("calculus.limit")
    assert _lim(bk, bk.xp.cos, x0).value == pytest.approx(math.cos(x0), abs=1e-8)


@given(t=st.floats(1e-60, 1e-2) | st.floats(-1e-2, -1e-60))
@example(t=1.4209748888837395e-13)  # the right side's small offsets settled on 0
def test_difference_quotient_at_a_tiny_x0(bk, t) -> None:
    """(e^x - e^t)/(x - t) at offsets of t's size rounds to 0 (or a few multiples of
    ulp(1)/h): those samples repeat, so they do not override the unit's offsets."""
    bk.require("calculus.limit")
    xp = bk.xp
    r = _lim(bk, lambda x: (xp.exp(x) - math.exp(t)) / (x - t), t)
    assert r.value == pytest.approx(math.exp(t), rel=1e-8)


def test_limit_keeps_a_pole_and_a_jump_far_from_0(bk) -> None:
    bk.require("calculus.limit")
    with pytest.raises(NoLimitError, match="diverges"):
        _lim(bk, lambda x: 1 / (x - 1e6), 1e6)
    with pytest.raises(NoLimitError, match="differ"):
        _lim(bk, lambda x: bk.xp.sign(x - 1e6), 1e6)


def test_jump_and_one_sided(bk) -> None:
    bk.require("calculus.limit")
    with pytest.raises(NoLimitError, match=r"one-sided limits .* differ"):
        _lim(bk, bk.xp.sign, 0.0)
    assert _lim(bk, bk.xp.sign, 0.0, direction="right").value == 1.0
    left = _lim(bk, lambda x: bk.xp.abs(x) / x, 0.0, direction="left")
    assert left.value == -1.0 and left.right is None


@pytest.mark.parametrize(
    "f", [lambda x: 1 / x, lambda x: 1 / x**2, lambda x: 3 + 0 * x + 1 / (x - 0) ** 4]
)
def test_divergence_is_reported(bk, f) -> None:
    bk.require("calculus.limit")
    with pytest.raises(NoLimitError, match="diverges"):
        _lim(bk, f, 0.0)


def test_oscillation_is_reported(bk) -> None:
    bk.require("calculus.limit")
    with pytest.raises(NoLimitError, match="do not settle"):
        _lim(bk, lambda x: bk.xp.sin(1 / x), 0.0)


def test_limit_bad_input() -> None:
    with pytest.raises(InvalidArgumentError, match="func"):
        calculus.limit(1.0, 0.0)
    with pytest.raises(InvalidArgumentError, match="x0"):
        calculus.limit(np.sin, math.inf)
    with pytest.raises(InvalidArgumentError, match="direction"):
        calculus.limit(np.sin, 0.0, direction="up")
    with pytest.raises(InvalidArgumentError, match=r"h0 must give offsets .* resolves"):
        calculus.limit(np.cos, 1e6, h0=1e-6)  # 2e-9 … 1e-6 round onto 1e6's 1.2e-10 grid
    with pytest.raises(InvalidArgumentError, match=r"h0 must give offsets .* float32"):
        calculus.limit(np.cos, 1e3, h0=1e-2, dtype="float32")


@pytest.mark.parametrize("n", [2, 3, 4, 7, 10])
def test_sampled_rules_match_scipy(bk, rng, n) -> None:
    y = rng.standard_normal((3, n))
    x = np.sort(rng.uniform(-1, 2, size=n))
    ya, xa = bk.asarray(y), bk.asarray(x)
    cases = [
        (calculus.trapezoid, si.trapezoid, {}),
        (calculus.simpson, si.simpson, {}),
        (calculus.cumulative_trapezoid, si.cumulative_trapezoid, {}),
        (calculus.cumulative_trapezoid, si.cumulative_trapezoid, {"initial": 0.0}),
    ]
    for ours, ref, kw in cases:
        got = bk.call(lambda a, c, f=ours, kw=kw: f(a, c, **kw), ya, xa)
        np.testing.assert_allclose(bk.to_numpy(got), ref(y, x=x, **kw), rtol=1e-12, atol=1e-13)
        got = bk.call(lambda a, f=ours, kw=kw: f(a, dx=0.25, axis=0, **kw), ya)
        np.testing.assert_allclose(
            bk.to_numpy(got), ref(y, dx=0.25, axis=0, **kw), rtol=1e-12, atol=1e-13
        )


def test_sampled_x_of_y_shape(bk, rng) -> None:
    y = rng.standard_normal((2, 6))
    x = np.sort(rng.uniform(size=(2, 6)), axis=1)
    for ours, ref in ((calculus.trapezoid, si.trapezoid), (calculus.simpson, si.simpson)):
        got = bk.to_numpy(ours(bk.asarray(y), bk.asarray(x)))
        np.testing.assert_allclose(got, ref(y, x=x), rtol=1e-12)


def test_sampled_errors(bk) -> None:
    y = bk.asarray(np.ones(5))
    with pytest.raises(ShapeError, match="x has 4 points"):
        calculus.trapezoid(y, bk.asarray(np.arange(4.0)))
    with pytest.raises(ShapeError, match="at least 1"):
        calculus.simpson(bk.asarray(np.ones(0)))
    assert float(bk.to_numpy(calculus.simpson(bk.asarray(np.ones(1))))) == 0.0  # as SciPy
    with pytest.raises(InvalidArgumentError, match="dx"):
        calculus.trapezoid(y, dx="a")


def test_quad_closed_forms(bk) -> None:
    xp = bk.xp
    r = calculus.quad(lambda x: x**2, 0.0, 1.0, backend=bk.name)
    assert float(bk.to_numpy(r.value)) == pytest.approx(1 / 3, rel=1e-14)
    assert float(bk.to_numpy(r.error)) < 1e-14
    r = calculus.quad(lambda x: xp.exp(-(x**2)), -10.0, 10.0, n=100, backend=bk.name)
    assert float(bk.to_numpy(r.value)) == pytest.approx(math.sqrt(math.pi), rel=1e-13)
    r = calculus.quad(lambda x: xp.exp(-x), 0.0, math.inf, n=64, intervals=4, backend=bk.name)
    assert float(bk.to_numpy(r.value)) == pytest.approx(1.0, rel=1e-10)
    r = calculus.quad(lambda x: xp.exp(-(x**2)), -math.inf, math.inf, intervals=8, backend=bk.name)
    assert float(bk.to_numpy(r.value)) == pytest.approx(math.sqrt(math.pi), rel=1e-10)
    r = calculus.quad(xp.cos, 1.0, 0.0, backend=bk.name)  # reversed limits flip the sign
    assert float(bk.to_numpy(r.value)) == pytest.approx(-math.sin(1.0), rel=1e-14)


def test_quad_random_polynomial_and_jit(bk, rng) -> None:
    c = rng.standard_normal(6)
    a, b = sorted(rng.uniform(-2, 2, size=2))
    exact = np.polynomial.Polynomial(c).integ()(b) - np.polynomial.Polynomial(c).integ()(a)
    ca = bk.asarray(c)

    def integrate(coef):
        def poly(x):
            return sum(coef[k] * x**k for k in range(6))

        return calculus.quad(poly, a, b, n=8, backend=bk.name).value

    got = float(bk.to_numpy(bk.call(integrate, ca)))
    assert got == pytest.approx(exact, rel=1e-12, abs=1e-12)


@given(
    coef=hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 3), st.integers(1, 6)),
        elements=st.floats(-10, 10).filter(lambda v: v == 0 or abs(v) > 1e-3),
    ),
    lims=st.tuples(*[st.floats(-5, 5).filter(lambda v: v == 0 or abs(v) > 1e-3)] * 2),
    intervals=st.integers(1, 3),
    dtype=st.sampled_from(["float64", "float32"]),
)
def test_quad_vector_valued_integrand(bk, coef, lims, intervals, dtype) -> None:
    """An integrand of shape (k, nodes) gives k integrals: polynomials of degree < 6, exact
    for a 3-point rule, against their antiderivatives (and under ``jit``)."""
    a, b = lims
    k, m = coef.shape
    exact = [np.polynomial.Polynomial(c).integ() for c in coef]
    want = np.array([p(b) - p(a) for p in exact])

    def integrate(cf):
        def poly(x):
            return sum(cf[:, j : j + 1] * x**j for j in range(m))

        r = calculus.quad(poly, a, b, n=6, intervals=intervals, backend=bk.name, dtype=dtype)
        return r.value, r.error

    value, error = bk.call(integrate, bk.asarray(coef.astype(dtype)))
    got = bk.to_numpy(value)
    assert got.shape == (k,) and got.dtype == np.dtype(dtype)
    scale = np.abs(coef).sum(axis=1) * max(abs(a), abs(b), 1) ** m * max(abs(b - a), 1e-300)
    tol = 1e-13 if dtype == "float64" else 2e-5
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol * scale.max())
    assert bk.to_numpy(error).shape == (k,)


def test_quad_integrand_of_the_wrong_shape() -> None:
    with pytest.raises(ShapeError, match=r"func must return .* got shape \(64, 2\)"):
        calculus.quad(lambda x: np.stack([x, x], axis=-1), 0.0, 1.0)
    with pytest.raises(ShapeError, match=r"got shape \(3,\)"):
        calculus.quad(lambda x: np.ones(3), 0.0, 1.0)
    r = calculus.quad(lambda x: 2.5, 0.0, 2.0)  # a constant: a number is fine
    assert float(r.value) == 5.0


@given(
    a=st.floats(-1.7e308, 1.7e308),
    b=st.floats(-1.7e308, 1.7e308),
    intervals=st.integers(1, 4),
)
@example(a=-1e308, b=1e308, intervals=1)
@example(a=-1.7e308, b=1.7e308, intervals=3)
def test_quad_limits_further_apart_than_the_largest_float(bk, a, b, intervals) -> None:
    """b - a may overflow; the nodes and weights may not: a constant and a linear integrand
    against their exact integrals (computed exactly in rationals)."""
    c = 1e-10
    r = calculus.quad(lambda x: 0 * x + c, a, b, intervals=intervals, backend=bk.name)
    want = float(Fraction(c) * (Fraction(b) - Fraction(a)))
    assert float(bk.to_numpy(r.value)) == pytest.approx(want, rel=1e-12)
    e = math.frexp(max(abs(a), abs(b), 1.0))[1]
    s1, s2 = 2.0 ** -(e // 2), 2.0 ** -(e - e // 2)  # (normal numbers: XLA flushes subnormals)
    s = s1 * s2  # x * s <= 1: the integral is finite
    r = calculus.quad(lambda x: x * s1 * s2, a, b, intervals=intervals, backend=bk.name)
    want = float((Fraction(b) ** 2 - Fraction(a) ** 2) / 2 * Fraction(s))
    scale = float(Fraction(max(abs(a), abs(b))) ** 2 * Fraction(s))  # (< max(|a|, |b|))
    got = float(bk.to_numpy(r.value))
    assert got == pytest.approx(want, rel=1e-12, abs=2e-13 * scale + 1e-300)


def test_quad_errors() -> None:
    with pytest.raises(InvalidArgumentError, match="func"):
        calculus.quad(None, 0.0, 1.0)
    with pytest.raises(InvalidArgumentError, match="n must"):
        calculus.quad(np.sin, 0.0, 1.0, n=1)
    with pytest.raises(InvalidArgumentError, match="method"):
        calculus.quad(np.sin, 0.0, 1.0, method="romberg")
    with pytest.raises(InvalidArgumentError, match="NaN"):
        calculus.quad(np.sin, math.nan, 1.0)


def test_monte_carlo_ball_volume_and_gaussian(bk) -> None:
    """5-sigma bounds on fixed seeds: a correct estimator fails with probability < 1e-6."""
    xp = bk.xp
    r = calculus.monte_carlo(
        lambda p: xp.astype(xp.sum(p * p, axis=1) <= 1, p.dtype),
        [-1, -1, -1],
        [1, 1, 1],
        n=100_000,
        seed=1,
        backend=bk.name,
    )
    value, err = float(bk.to_numpy(r.value)), float(bk.to_numpy(r.error))
    assert abs(value - 4 * math.pi / 3) < 5 * err and 0 < err < 0.02
    r = calculus.monte_carlo(
        lambda p: xp.exp(-xp.sum(p * p, axis=1)),
        [-4, -4],
        [4, 4],
        n=100_000,
        seed=2,
        backend=bk.name,
    )
    value, err = float(bk.to_numpy(r.value)), float(bk.to_numpy(r.error))
    assert abs(value - math.pi) < 5 * err


@given(d=st.integers(1, 3), k=st.integers(1, 3), seed=st.integers(0, 2**31))
def test_monte_carlo_vector_valued_integrand(bk, d, k, seed) -> None:
    """Values of shape (n, k) give k integrals, each the scalar run's on the same draws
    (their mean over the whole array was returned before: one number for k integrals)."""
    xp = bk.xp
    lo, hi = [-1.0] * d, [2.0] * d
    powers = list(range(1, k + 1))

    def vec(p):
        return xp.stack([p[:, 0] ** j for j in powers], axis=1)

    kw = {"n": 2_000, "seed": seed, "backend": bk.name}
    r = calculus.monte_carlo(vec, lo, hi, **kw)
    value, err = bk.to_numpy(r.value), bk.to_numpy(r.error)
    want_shape = () if k == 1 else (k,)  # (a column, shape (n, 1), is one integral)
    assert value.shape == want_shape and err.shape == want_shape
    value, err = value.reshape(k), err.reshape(k)
    for i, j in enumerate(powers):
        one = calculus.monte_carlo(lambda p, j=j: p[:, 0] ** j, lo, hi, **kw)
        np.testing.assert_allclose(value[i], bk.to_numpy(one.value), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(err[i], bk.to_numpy(one.error), rtol=1e-12, atol=1e-12)
    exact = [3.0 ** (d - 1) * (2.0 ** (j + 1) - (-1.0) ** (j + 1)) / (j + 1) for j in powers]
    assert np.all(np.abs(value - exact) < 6 * err)


def test_monte_carlo_errors() -> None:
    with pytest.raises(ShapeError, match=r"one value per point.* got shape \(3,\)"):
        calculus.monte_carlo(lambda p: np.ones(3), [0.0], [1.0], seed=0, backend="numpy")
    r = calculus.monte_carlo(lambda p: 2.0, [0.0, 0.0], [1.0, 3.0], seed=0, backend="numpy")
    assert float(r.value) == 6.0 and float(r.error) == 0.0
    with pytest.raises(InvalidArgumentError, match="upper bound"):
        calculus.monte_carlo(np.sin, [0.0], [0.0])
    with pytest.raises(ShapeError, match="same, non-zero length"):
        calculus.monte_carlo(np.sin, [0.0], [1.0, 2.0])
    with pytest.raises(InvalidArgumentError, match="rng"):
        calculus.monte_carlo(np.sin, [0.0], [1.0], rng=np.random.default_rng(0))


@pytest.mark.parametrize(
    "y",
    [
        [np.inf, np.inf],
        [np.inf, -np.inf],
        [1.0, np.inf, 2.0],
        [np.inf, 1.0, 2.0, -np.inf],
        [-np.inf, 3.0],
        [np.nan, np.inf],
        [1e308, 1e308],
    ],
)
@pytest.mark.parametrize("dx", [0.5, 1.0])  # (unit spacing: a fast lane of its own on JAX)
def test_trapezoid_infinite_ends_match_numpy(bk, y, dx) -> None:
    """A uniform rule of the form dx·(Σy − (y₀+yₙ)/2) makes inf − inf = NaN at an infinite
    end (torch's and JAX's own kernels do); NumPy's mean of neighbours gives ±inf there."""
    arr = np.array(y)
    with np.errstate(all="ignore"):
        want = np.trapezoid(arr, dx=dx)
        got = bk.to_numpy(bk.call(lambda v: calculus.trapezoid(v, dx=dx), bk.asarray(arr)))
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("transform", ["torch.func.vmap", "jax.jit"])
def test_limit_inside_a_transform_is_an_xpmath_error(rng, transform) -> None:
    """limit reads its samples (and returns Python floats): a func closing over traced values
    gets an xpmath error naming the cause, not the backend's conversion error; the same
    func with concrete values still extrapolates (sin(c x) / x → c)."""
    c = rng.uniform(0.5, 2.0, 3)
    if transform == "jax.jit":
        import xpmath

        jax = pytest.importorskip("jax")
        xpmath.enable_x64()
        sin, arr, name = jax.numpy.sin, jax.numpy.asarray, "jax"

        def run(f, cs):
            return [jax.jit(f)(ci) for ci in cs]
    else:
        torch = pytest.importorskip("torch")
        sin, arr, name = torch.sin, torch.from_numpy, "torch"

        def run(f, cs):
            return torch.func.vmap(f)(cs)

    def one(ci):
        return calculus.limit(lambda x: sin(ci * x) / x, 0.0, backend=name).value

    with pytest.raises(InvalidArgumentError, match=r"limit: func's values.*outside the transform"):
        run(one, arr(c))
    assert one(arr(c)[0]) == pytest.approx(c[0], rel=1e-9)


_TORCH_ONLY = {  # each routine with a torch-only integrand, called without naming a backend
    "quad": lambda torch, f: calculus.quad(f, 0.0, 1.0),
    "limit": lambda torch, f: calculus.limit(lambda x: f(x) / x, 0.0),
    "derivative": lambda torch, f: calculus.derivative(f, 0.5),
    "monte_carlo": lambda torch, f: calculus.monte_carlo(lambda p: f(p[:, 0]), 0.0, 1.0, seed=0),
}


@pytest.mark.parametrize("routine", sorted(_TORCH_ONLY))
def test_func_of_another_backend_gets_an_xpmath_error_naming_the_way_out(routine) -> None:
    """Numbers for the points and no backend: the routine evaluates on the default backend
    (NumPy here). A torch-only ``func`` raises torch's TypeError there; the user gets a
    BackendMismatchError (still a TypeError) that names the backend used and how to pick
    another, with torch's error as its cause."""
    torch = pytest.importorskip("torch")
    import xpmath

    with xpmath.use("numpy"), pytest.raises(xpmath.BackendMismatchError, match="on numpy") as info:
        _TORCH_ONLY[routine](torch, torch.sin)
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value.__cause__, TypeError)
    assert "Tensor" in str(info.value)  # torch's own message is kept
    assert ("backend=" if routine != "derivative" else "x as an array") in str(info.value)


def test_func_on_the_named_backend_is_not_wrapped() -> None:
    """With the backend named (or the points given as its arrays), the routine evaluated
    where the user asked: the user's own TypeError passes through unchanged."""
    torch = pytest.importorskip("torch")

    def broken(x):
        raise TypeError("a bug in func")

    for call in (
        lambda: calculus.quad(broken, 0.0, 1.0, backend="torch"),
        lambda: calculus.derivative(broken, torch.tensor([0.5], dtype=torch.float64)),
    ):
        with pytest.raises(TypeError, match=r"^a bug in func$") as info:
            call()
        assert type(info.value) is TypeError
    r = calculus.quad(torch.sin, 0.0, 1.0, backend="torch")
    assert float(r.value) == pytest.approx(1 - math.cos(1.0), rel=1e-14)
    d = calculus.derivative(torch.sin, torch.tensor([0.5], dtype=torch.float64))
    assert float(d.df[0]) == pytest.approx(math.cos(0.5), rel=1e-10)


def test_bool_samples_integrate_and_differentiate_as_zero_and_one(bk, rng) -> None:
    # SciPy adds bools as logic in (y[1:] + y[:-1]) / 2 and NumPy refuses bool subtraction;
    # xpmath treats the samples as the 0/1 values they stand for (docs/coming_from_scipy.rst)
    y = rng.integers(0, 2, 9).astype(bool)
    ones = y.astype(np.float64)
    for fn, ref in (
        (calculus.trapezoid, si.trapezoid),
        (calculus.simpson, si.simpson),
        (calculus.cumulative_trapezoid, si.cumulative_trapezoid),
        (calculus.gradient, np.gradient),
    ):
        got = bk.to_numpy(bk.call(fn, bk.asarray(y)))
        np.testing.assert_allclose(got, ref(ones), rtol=bk.rtol(got.dtype), atol=1e-12)
