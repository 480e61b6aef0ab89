"""Richardson partials where x's values cannot be read (Dask graphs, traced JAX), against
closed forms on every backend: the steps and the arithmetic around f's values run as
``Backend.blockwise`` calls (one task each on Dask), with the eager rule's results."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from xpmath import calculus


def _tolerances(dtype: np.dtype, size: float) -> tuple[float, float]:
    """(rtol, atol): the extrapolation's error at the dtype's balanced step h = eps^(1/7),
    and the rounding of f's values of about ``size`` over steps of h (eps·size / h)."""
    eps = float(np.finfo(dtype).eps)
    return 1e3 * eps ** (6 / 7), 50 * eps ** (6 / 7) * (1.0 + size)


@given(
    x=st.lists(
        st.one_of(st.floats(-3, 3), st.floats(-1e4, 1e4), st.floats(1e-6, 1e-2)),
        min_size=1,
        max_size=3,
    ),
    dtype=st.sampled_from(["float32", "float64"]),
)
@example(x=[1.0, -1e-300, 0.0], dtype="float64")  # (the small scale's steps underflow)
@example(x=[1e4, 1.0], dtype="float32")
@example(x=[1.0, 2.6091097561723122e-306], dtype="float64")  # (its quotients overflowed: quiet)
@settings(max_examples=6)
def test_richardson_gradient_and_jacobian_match_closed_forms(bk, x, dtype) -> None:
    """grad and jacobian by method="richardson", in x's dtype and without RuntimeWarnings
    from the rule's own arithmetic (a step that underflows divides by zero and loses)."""
    x = np.array(x, dtype=dtype)
    xp = bk.xp
    xd = x.astype(np.float64)
    rtol, atol = _tolerances(x.dtype, float(np.abs(xd).sum()))
    g = calculus.grad(lambda v: xp.sum(xp.sin(v) * v), method="richardson")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = bk.to_numpy(bk.call(g, bk.asarray(x)))
    assert got.dtype == x.dtype
    np.testing.assert_allclose(got, np.cos(xd) * xd + np.sin(xd), rtol=rtol, atol=atol)
    jac = calculus.jacobian(lambda v: xp.stack([xp.sum(v * v), xp.sum(xp.cos(v))]))
    got = bk.to_numpy(bk.call(jac, bk.asarray(x)))
    assert got.shape == (2, x.size) and got.dtype == x.dtype
    rtol, atol = _tolerances(x.dtype, float((xd * xd).sum()))  # (f's first value: |x|²)
    np.testing.assert_allclose(got, [2 * xd, -np.sin(xd)], rtol=rtol, atol=atol)


def test_values_wider_than_x_round_once_to_x_dtype(bk) -> None:
    """f computing in float64 on float32 x: the quotients are taken in float64 and the
    partials returned in float32, as the eager rule returns them."""
    xp = bk.xp
    x = np.array([0.3, -2.5, 40.0], dtype=np.float32)

    def f(v):
        w = xp.astype(v, xp.float64)
        return xp.sum(w * w * w)

    got = bk.to_numpy(bk.call(calculus.grad(f, method="richardson"), bk.asarray(x)))
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, 3 * x.astype(np.float64) ** 2, rtol=1e-6)


@pytest.mark.parametrize("n", [1, 3])
def test_a_lazy_gradient_adds_few_operations_to_fs_own(n) -> None:
    """On Dask a gradient is 12 evaluations of f per component and about 30 operations of
    its own per component (steps, e_k, x ± step·e_k, one fused task for the quotients); the
    lazy arithmetic it replaced built 132 per component (228 layers in all for n = 1)."""
    da = pytest.importorskip("dask.array")
    v = np.linspace(0.3, 1.7, n)
    x = da.from_array(v, chunks=n)

    def f(u):
        return ((u - 1.0) ** 2).sum() + u[0] * u[-1]

    own = len(f(x).dask.layers) - len(x.dask.layers)
    g = calculus.grad(f, method="richardson")(x)
    extra = len(g.dask.layers) - len(x.dask.layers) - 12 * n * own
    assert extra <= 32 * n + 8, extra
    want = 2 * (v - 1)
    want[0] += v[-1]
    want[-1] += v[0]
    np.testing.assert_allclose(g.compute(), want, rtol=1e-9)
