"""gradient against numpy.gradient on random (non-uniform) grids; derivative to 1e-8."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from xpmath import InvalidArgumentError, ShapeError, calculus


@pytest.mark.parametrize("edge_order", [1, 2])
def test_gradient_uniform_and_nonuniform(bk, rng, edge_order) -> None:
    f = rng.standard_normal((5, 7))
    x = np.sort(rng.uniform(0, 3, size=7))
    fa, xa = bk.asarray(f), bk.asarray(x)
    got = bk.call(lambda a, c: calculus.gradient(a, 0.3, c, edge_order=edge_order), fa, xa)
    ref = np.gradient(f, 0.3, x, edge_order=edge_order)
    assert isinstance(got, tuple) and len(got) == 2
    for g, r in zip(got, ref):
        np.testing.assert_allclose(bk.to_numpy(g), r, rtol=1e-12, atol=1e-12)


def test_gradient_axis_and_defaults(bk, rng) -> None:
    f = rng.standard_normal((4, 5, 6))
    fa = bk.asarray(f)
    got = bk.call(lambda a: calculus.gradient(a, axis=1), fa)
    np.testing.assert_allclose(bk.to_numpy(got), np.gradient(f, axis=1), rtol=1e-12)
    got = bk.call(lambda a: calculus.gradient(a, 2.0, axis=(0, -1)), fa)
    for g, r in zip(got, np.gradient(f, 2.0, axis=(0, -1))):
        np.testing.assert_allclose(bk.to_numpy(g), r, rtol=1e-12)
    got = bk.call(calculus.gradient, fa)
    assert len(got) == 3


def test_gradient_tutorial_example(bk) -> None:
    y = bk.asarray(np.array([0.0, 10.0, 40.0, 90.0, 160.0]))
    x = bk.asarray(np.array([0.0, 1.0, 2.0, 3.0, 4.0]))
    got = bk.to_numpy(bk.call(calculus.gradient, y, x))
    np.testing.assert_allclose(got, [10.0, 20.0, 40.0, 60.0, 70.0], rtol=1e-14)


def test_gradient_integer_input(bk) -> None:
    got = calculus.gradient(bk.asarray(np.array([1, 4, 9, 16])))
    np.testing.assert_allclose(bk.to_numpy(got), np.gradient(np.array([1, 4, 9, 16])))


def test_gradient_errors(bk) -> None:
    f = bk.asarray(np.ones((3, 4)))
    with pytest.raises(ShapeError, match="varargs"):
        calculus.gradient(f, bk.asarray(np.arange(5.0)), axis=1)
    with pytest.raises(ShapeError, match="edge_order"):
        calculus.gradient(bk.asarray(np.ones(2)), edge_order=2)
    with pytest.raises(InvalidArgumentError, match="edge_order"):
        calculus.gradient(f, edge_order=3)
    with pytest.raises(InvalidArgumentError, match="varargs"):
        calculus.gradient(f, 1.0, 2.0, 3.0)
    with pytest.raises(ShapeError, match="axis"):
        calculus.gradient(f, axis=2)


CASES = [
    (lambda xp, x: xp.sin(x), lambda x: np.cos(x), lambda x: -np.sin(x)),
    (
        lambda xp, x: xp.exp(0.5 * x),
        lambda x: 0.5 * np.exp(0.5 * x),
        lambda x: 0.25 * np.exp(0.5 * x),
    ),
    (lambda xp, x: x**3 - 2 * x, lambda x: 3 * x**2 - 2, lambda x: 6 * x),
]


@pytest.mark.parametrize("case", range(len(CASES)))
@pytest.mark.parametrize("n", [1, 2])
def test_derivative_accuracy(bk, rng, case, n) -> None:
    f, d1, d2 = CASES[case]
    x = rng.uniform(-2, 2, size=6)
    xp = bk.xp
    out = bk.call(lambda a: calculus.derivative(lambda t: f(xp, t), a, n=n), bk.asarray(x))
    ref = (d1 if n == 1 else d2)(x)
    df, err = bk.to_numpy(out.df), bk.to_numpy(out.error)
    tol = 1e-8 if n == 1 else 1e-6
    np.testing.assert_allclose(df, ref, rtol=tol, atol=tol)
    assert np.all(err < 1e-5)


def _signed(lo: float, hi: float) -> st.SearchStrategy[float]:
    """Magnitudes from lo to hi, spread over their decades, either sign."""
    mag = st.floats(math.log10(lo), math.log10(hi)).map(lambda e: 10.0**e)
    return st.tuples(st.sampled_from([-1.0, 1.0]), mag).map(lambda t: t[0] * t[1])


#: functions whose natural step is not |x| (sin and exp far from 0) or is far below 1 (1/x
#: and log near 0): (f, f', points, the derivative's own scale where it may vanish)
HARD = {
    "sin": (lambda xp, t: xp.sin(t), np.cos, _signed(1e-3, 1e6), 1.0),
    "exp": (lambda xp, t: xp.exp(t), np.exp, st.floats(-700, 700), 0.0),
    "log": (lambda xp, t: xp.log(t), lambda x: 1 / x, _signed(1e-300, 1e300).map(abs), 0.0),
    "recip": (lambda xp, t: 1 / t, lambda x: -1 / x**2, _signed(1e-150, 1e150), 0.0),
    "cube": (lambda xp, t: t**3, lambda x: 3 * x**2, _signed(1e-90, 1e90), 0.0),
}


@given(data=st.data(), case=st.sampled_from(sorted(HARD)))
@example(data=None, case="sin").via("sin at 406996.53: large steps agree by chance")
def test_derivative_far_from_the_unit_scale(bk, data, case) -> None:
    """sin at 1e6, exp at 700, 1/x at 1e-10: the step's scale is chosen per point, so the
    answer keeps 1e-9 of its digits and the error estimate is not far below the error
    (a step scaled by max(|x|, 1) gave sin'(1e6) = -1.6e-4 ± 2e-8 where cos = 0.937)."""
    f, df, points, floor = HARD[case]
    if data is None:
        x = np.array([406996.5344927327, 1e6, -1e6])
    else:
        x = np.array(data.draw(st.lists(points, min_size=1, max_size=4)))
    xp = bk.xp
    out = bk.call(lambda a: calculus.derivative(lambda t: f(xp, t), a), bk.asarray(x))
    got, err = bk.to_numpy(out.df), bk.to_numpy(out.error)
    want = df(x)
    miss = np.abs(got - want)
    assert np.all(miss <= 1e-9 * np.maximum(np.abs(want), floor)), (x, got, want)
    fi = np.finfo(np.float64)  # (+ tiny: XLA flushes a subnormal error estimate to 0)
    assert np.all(miss <= 100 * err + 8 * fi.eps * np.abs(want) + fi.tiny), (x, miss, err)


@given(
    data=st.data(),
    dtype=st.sampled_from(["float32", "float64"]),
)
@example(data=None, dtype="float32").via("x = 7000: the partial took steps of 720")
@settings(max_examples=5)
def test_steps_far_from_zero_stay_on_the_unit_scale(bk, data, dtype) -> None:
    """sin(x)·x far from 0, where x's ulp is a sizeable part of the unit step (float32 from
    216 to 53,761, float64 from 6.6e9 to 1.6e12): the steps x ± h really takes are off the
    ratios 2 and 4, and the extrapolation uses them. Those steps counted as unusable
    (under 1000 ulps of x) and the rule took steps of h·|x|: 720 at x = 7000 in float32,
    where ``derivative`` and ``grad`` gave -23.4 for 6034.6 (error estimate 51.8).
    ``derivative``'s error estimate covers the error; second differences (``hessian``)
    share the rule."""
    hi = 5e4 if dtype == "float32" else 1.5e12
    if data is None:
        x = np.array([7000.0, -1.0], dtype=dtype)
    else:
        x = np.array(data.draw(st.lists(_signed(216, hi), min_size=1, max_size=3)), dtype=dtype)
    xp, xd = bk.xp, x.astype(np.float64)
    want = np.cos(xd) * xd + np.sin(xd)
    eps = float(np.finfo(dtype).eps)
    atol = 10 * eps ** (6 / 7) * (1 + np.abs(xd))  # (f's rounding, eps·|x|, over steps of h/4)
    out = bk.call(lambda a: calculus.derivative(lambda t: xp.sin(t) * t, a), bk.asarray(x))
    got, err = bk.to_numpy(out.df), bk.to_numpy(out.error)
    assert got.dtype == x.dtype
    miss = np.abs(got.astype(np.float64) - want)
    assert np.all(miss <= atol), (x, got, want)
    assert np.all(miss <= 2 * err + 4 * eps * np.abs(want)), (x, miss, err)
    g = calculus.grad(lambda v: xp.sum(xp.sin(v) * v), method="richardson")
    got = bk.to_numpy(bk.call(g, bk.asarray(x))).astype(np.float64)
    assert np.all(np.abs(got - want) <= atol + 10 * eps ** (6 / 7) * np.abs(xd).sum())
    hess = calculus.hessian(lambda v: xp.sum(xp.sin(v) * v), method="richardson")
    got = float(bk.to_numpy(bk.call(hess, bk.asarray(x[:1])))[0, 0])
    a = float(xd[0])  # (second differences balance h^6 against eps/h²: eps^(3/4))
    assert abs(got - (2 * math.cos(a) - a * math.sin(a))) <= 50 * eps**0.75 * (1 + abs(a))


def test_derivative_counts_the_rounding_its_quotients_show(bk) -> None:
    """(sin t + 1e4) - 1e4 rounds at 1e4's ulp (1.8e-12), not at its own size, so at steps of
    t's size its quotients are rounding: they stop converging or round to equal values. Their
    spread now counts in their error, and the unit steps' answer is taken (it was 2.4e-3 off
    with an error estimate of 3.5e-4 at t = 1e-8, and 4e-4 off at t = 1e-6)."""
    x = np.array([1e-8, -1e-8, 3e-8, -2.5e-7, 1e-6])
    xp = bk.xp
    out = bk.call(
        lambda a: calculus.derivative(lambda t: (xp.sin(t) + 1e4) - 1e4, a), bk.asarray(x)
    )
    np.testing.assert_allclose(bk.to_numpy(out.df), np.cos(x), rtol=0, atol=1e-8)


@pytest.mark.parametrize("method", ["forward", "backward"])
def test_derivative_one_sided(bk, rng, method) -> None:
    x = rng.uniform(0.5, 2, size=4)
    out = calculus.derivative(bk.xp.log, bk.asarray(x), method=method)
    np.testing.assert_allclose(bk.to_numpy(out.df), 1 / x, rtol=1e-8)


def test_derivative_errors() -> None:
    with pytest.raises(InvalidArgumentError, match="func"):
        calculus.derivative(3, np.ones(2))
    with pytest.raises(InvalidArgumentError, match="n must"):
        calculus.derivative(np.sin, np.ones(2), n=3)
    with pytest.raises(InvalidArgumentError, match="method"):
        calculus.derivative(np.sin, np.ones(2), method="complex")
    with pytest.raises(InvalidArgumentError, match="step"):
        calculus.derivative(np.sin, np.ones(2), step=-1.0)
