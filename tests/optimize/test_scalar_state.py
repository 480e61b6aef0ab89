"""The optimisers' scalar state: one algorithm, two namespaces.

An eager loop keeps its step lengths, values and slopes as Python numbers
(:class:`~xpmath.optimize.scalars.HostScalars`); a traced one as 0-d arrays
(:class:`~xpmath.optimize.scalars.ArrayScalars`). Both must take the same steps: checked by
running each method eagerly both ways on the same backend, and each host operation against
NumPy's 0-d semantics on generated edge values (NaN, ±inf, ±0, subnormals, huge).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from xpmath import optimize
from xpmath._capabilities import mode
from xpmath.optimize import nelder_mead, quasi_newton, scalars

from .test_minimize import GRADIENT_METHODS

floats = st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True)
edge = st.sampled_from([0.0, -0.0, math.nan, math.inf, -math.inf, 5e-324, 1e308, -1.0])
values = st.one_of(floats, edge)


def _same(got: object, want: object) -> bool:
    g, w = float(got), float(want)  # type: ignore[arg-type]
    return (math.isnan(g) and math.isnan(w)) or (
        g == w and math.copysign(1, g) == math.copysign(1, w)
    )


@given(a=values, b=values)
@example(a=-0.0, b=1.0)  # (sign(-0.0): NumPy gives +0.0)
@example(a=0.0, b=-0.0)  # (minimum of equal values: NumPy gives the second)
def test_host_scalars_match_numpy_0d(a: float, b: float) -> None:
    host, arr = scalars.HOST, scalars.ArrayScalars(np)
    A, B = np.asarray(a), np.asarray(b)
    with np.errstate(all="ignore"):
        for name in ("minimum", "maximum"):
            assert _same(getattr(host, name)(a, b), getattr(arr, name)(A, B)), name
        for name in ("abs", "sign", "sqrt"):
            assert _same(getattr(host, name)(a), getattr(arr, name)(A)), name
        assert host.isfinite(a) == bool(arr.isfinite(A))
        for c in (a > b, a <= b):
            assert host.where(c, a, b) is (a if c else b)
            assert _same(host.where(c, a, b), arr.where(np.asarray(c), A, B))
            assert host.logical_not(c) == bool(arr.logical_not(np.asarray(c)))
    assert host.val(A) == a or (math.isnan(a) and math.isnan(host.val(A)))
    assert type(host.val(A)) is float


def _problems(xp):
    def rosen(x):
        return xp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)

    d = xp.asarray(np.linspace(1.0, 50.0, 12))

    def quad(x):
        return 0.5 * xp.sum(d * x * x) - xp.sum(x)

    def beale(x):
        a, b = x[0], x[1]
        return (1.5 - a + a * b) ** 2 + (2.25 - a + a * b**2) ** 2 + (2.625 - a + a * b**3) ** 2

    return [
        (rosen, np.array([-1.2, 1.0, -0.5, 0.8])),
        (quad, np.linspace(-2.0, 3.0, 12)),
        (beale, np.array([1.0, 1.0])),
    ]


@pytest.mark.parametrize("method", GRADIENT_METHODS)
def test_eager_host_scalars_take_the_traced_steps(bk, method, monkeypatch) -> None:
    """Each method run eagerly with Python scalars and with 0-d arrays: the same iterations,
    evaluations and status, and the same answer to rounding (the two compute the slopes'
    products in a different order only where float64 arithmetic is not associative)."""
    bk.require("optimize.minimize")
    if bk.backend.compiles:
        pytest.skip("minimize compiles itself on this backend: its loop is always traced")
    if mode("optimize.minimize", bk.name) == "host":
        pytest.skip("minimize drives this backend from a NumPy loop on the host: the numpy row")
    runs = []
    for sx_of in (scalars.scalars_for, lambda b, x: scalars.ArrayScalars(b.xp)):
        monkeypatch.setattr(quasi_newton, "scalars_for", sx_of)
        out = []
        for fun, x0 in _problems(bk.backend.xp):
            res = optimize.minimize(fun, bk.asarray(x0), method=method)
            out.append(res)
        runs.append(out)
    for host, arr in zip(*runs, strict=True):
        assert (host.nit, host.nfev, host.status) == (arr.nit, arr.nfev, arr.status)
        np.testing.assert_allclose(bk.to_numpy(host.x), bk.to_numpy(arr.x), rtol=1e-9, atol=1e-12)
        assert bk.to_numpy(host.fun).dtype == bk.to_numpy(arr.fun).dtype
        assert bk.backend.device_of(host.x) == bk.backend.device_of(arr.x)


def test_nelder_mead_eager_and_traced_agree(bk, monkeypatch) -> None:
    """An eager Nelder–Mead evaluates only the points its decisions need; a traced one every
    candidate. Both must walk the same simplices."""
    bk.require("optimize.minimize")
    if bk.backend.compiles or mode("optimize.minimize", bk.name) == "host":
        pytest.skip("no eager loop of its own on this backend (see the numpy row)")
    runs = []
    for sx_of in (scalars.scalars_for, lambda b, x: scalars.ArrayScalars(b.xp)):
        monkeypatch.setattr(nelder_mead, "scalars_for", sx_of)
        runs.append(
            [
                optimize.minimize(fun, bk.asarray(x0), method="nelder-mead", tol=1e-8)
                for fun, x0 in _problems(bk.backend.xp)
            ]
        )
    for host, arr in zip(*runs, strict=True):
        assert (host.nit, host.status) == (arr.nit, arr.status)
        assert host.nfev < arr.nfev  # the traced loop evaluates every candidate
        np.testing.assert_allclose(bk.to_numpy(host.x), bk.to_numpy(arr.x), rtol=1e-12, atol=0)


@pytest.mark.parametrize(
    "x0", [[-1.2, 1.0], [1.0, -2.0, 0.5], [-1.2, 1.0, 0.3, -0.4], [0.0, 2.0, 0.0]]
)
def test_nelder_mead_takes_scipys_steps(x0) -> None:
    """On NumPy the eager simplex evaluates exactly SciPy's points: same start (1.05·x₀ᵢ, or
    0.00025 at zero), same formulas, same tie rule on the outside contraction, so the same
    ``nfev`` and the same ``x`` to the bit (an unstable sort could break ties differently on
    piecewise-constant objectives; these have none)."""
    so = pytest.importorskip("scipy.optimize")
    x0 = np.asarray(x0)
    problems = [
        lambda x: np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2),
        lambda x: np.sum(np.abs(x)),
        lambda x: np.sum(np.floor(4 * np.abs(x))) + 0.01 * np.sum(x * x),
    ]
    for fun in problems:
        ours = optimize.minimize(fun, x0, method="nelder-mead")
        ref = so.minimize(fun, x0, method="Nelder-Mead")
        assert ours.nfev == ref.nfev
        np.testing.assert_array_equal(ours.x, ref.x)
        assert float(ours.fun) == ref.fun
