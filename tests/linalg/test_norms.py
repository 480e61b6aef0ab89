"""Norms: every NumPy vector and matrix order, axes, keepdims, big-vector accuracy."""

from __future__ import annotations

import math

import numpy as np
import pytest

import xpmath
from xpmath import linalg

VECTOR_ORDS = [None, 1, 2, math.inf, -math.inf, 0, 3, 0.5, -1.5]
MATRIX_ORDS = [None, "fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf]


@pytest.mark.parametrize("ord", VECTOR_ORDS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_vector_orders(bk, rng, ord, dtype) -> None:
    x = rng.standard_normal(50)
    x[3] = 0.0
    got = bk.to_numpy(bk.call(linalg.norm, bk.asarray(x, dtype), ord=ord))
    np.testing.assert_allclose(got, np.linalg.norm(x, ord), rtol=bk.rtol(dtype) * 5)


@pytest.mark.parametrize("ord", MATRIX_ORDS)
def test_matrix_orders(bk, rng, ord) -> None:
    x = rng.standard_normal((4, 6))
    got = bk.to_numpy(bk.call(linalg.norm, bk.asarray(x), ord=ord))
    np.testing.assert_allclose(got, np.linalg.norm(x, ord), rtol=1e-10)


@pytest.mark.parametrize(
    ("ord", "axis"),
    [
        (None, 0),
        (1, 1),
        (math.inf, -1),
        (2, (0, 2)),
        ("fro", (2, 0)),
        ("nuc", (1, 2)),
        (None, None),
    ],
)
@pytest.mark.parametrize("keepdims", [False, True])
def test_axes_and_keepdims(bk, rng, ord, axis, keepdims) -> None:
    x = rng.standard_normal((3, 4, 5))
    got = bk.to_numpy(bk.call(linalg.norm, bk.asarray(x), ord=ord, axis=axis, keepdims=keepdims))
    ref = np.linalg.norm(x, ord, axis, keepdims)
    assert got.shape == ref.shape
    np.testing.assert_allclose(got, ref, rtol=1e-10)


def test_array_api_forms(bk, rng) -> None:
    x = rng.standard_normal((3, 4, 4))
    np.testing.assert_allclose(
        bk.to_numpy(bk.call(linalg.vector_norm, bk.asarray(x), axis=(1, 2), ord=1)),
        np.linalg.vector_norm(x, axis=(1, 2), ord=1),
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        bk.to_numpy(bk.call(linalg.matrix_norm, bk.asarray(x), ord=2, keepdims=True)),
        np.linalg.matrix_norm(x, ord=2, keepdims=True),
        rtol=1e-10,
    )


def test_integer_input_promoted(bk) -> None:
    got = bk.to_numpy(linalg.norm(bk.asarray(np.array([3, 4]))))
    assert got.dtype.kind == "f" and float(got) == 5.0


def test_tutorial_values(bk) -> None:
    v = bk.asarray(np.array([-1.0, 2, 3, 4, -5]))
    assert float(bk.to_numpy(linalg.norm(v, 1))) == 15.0
    assert round(float(bk.to_numpy(linalg.norm(v))), 4) == 7.4162
    m = bk.asarray(np.array([[1.0, 2, 3], [-1, -2, -3]]))
    assert round(float(bk.to_numpy(linalg.norm(m, "fro"))), 4) == 5.2915


def test_invalid_orders_and_shapes(bk) -> None:
    v, m = bk.asarray(np.ones(3)), bk.asarray(np.ones((2, 2)))
    with pytest.raises(xpmath.InvalidArgumentError, match="ord='fro'"):
        linalg.norm(v, "fro")
    with pytest.raises(xpmath.InvalidArgumentError, match="matrix norm order"):
        linalg.norm(m, 3)
    with pytest.raises(xpmath.ShapeError, match="1-D or 2-D"):
        linalg.norm(bk.asarray(np.ones((2, 2, 2))), 1)
    with pytest.raises(xpmath.ShapeError, match="axis"):
        linalg.norm(m, axis=2)
    with pytest.raises(xpmath.ShapeError, match="empty"):  # (the min of nothing: NumPy's too)
        linalg.norm(bk.asarray(np.ones(0)), -math.inf)


def test_empty(bk) -> None:
    assert float(bk.to_numpy(linalg.norm(bk.asarray(np.ones(0))))) == 0.0
    assert float(bk.to_numpy(linalg.norm(bk.asarray(np.ones((0, 3))), 1))) == 0.0


@pytest.mark.parametrize("ord", [math.inf, -1, -2.5, 0, 1, 3])
@pytest.mark.parametrize(
    ("shape", "axis"), [((0,), None), ((2, 0), 1), ((0, 3), 0), ((2, 0, 3), (0, 1))]
)
def test_empty_reductions_as_numpy(bk, ord, shape, axis) -> None:
    """NumPy's values: 0 for inf (its max starts at 0; torch raised), inf for a negative p
    (xpmath raised for both), 0 for the rest."""
    x = np.ones(shape)
    for keepdims in (False, True):
        got = bk.to_numpy(linalg.vector_norm(bk.asarray(x), ord=ord, axis=axis, keepdims=keepdims))
        with np.errstate(divide="ignore"):
            want = np.linalg.vector_norm(x, ord=ord, axis=axis, keepdims=keepdims)
        assert got.shape == want.shape
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("ord", [1, 2, math.inf, -math.inf, 3])
def test_large_float32_vector_accuracy(bk, rng, ord) -> None:
    # exercises the blocked NumPy path (> 2**17 elements) and the fused JAX path
    x = rng.standard_normal(300_001).astype(np.float32)
    got = float(bk.to_numpy(bk.call(linalg.vector_norm, bk.asarray(x), ord=ord)))
    ref = float(np.linalg.vector_norm(x.astype(np.float64), ord=ord))
    # documented bound: blocked NumPy / torch and XLA tree sums ~1e-7 (torch's own kernels
    # reach 5e-2 at 5e7 elements; xpmath does not use them for long CPU vectors)
    assert abs(got - ref) <= 2e-6 * abs(ref)


def test_two_norm_does_not_overflow_or_underflow() -> None:
    big = np.full(300_000, 1e30, dtype=np.float32)
    tiny = np.full(300_000, 1e-30, dtype=np.float32)
    assert np.isclose(float(linalg.norm(big)), 1e30 * math.sqrt(300_000), rtol=1e-5)
    assert np.isclose(float(linalg.norm(tiny)), 1e-30 * math.sqrt(300_000), rtol=1e-5)


def test_nan_propagates(bk) -> None:
    x = np.ones(300_000)
    x[7] = np.nan
    x[9] = -np.inf
    for ord in (1, 2, math.inf, -math.inf):
        assert math.isnan(float(bk.to_numpy(bk.call(linalg.vector_norm, bk.asarray(x), ord=ord))))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("ord", [1, math.inf, -math.inf])
def test_large_vector_special_values_and_forms(bk, rng, ord, dtype) -> None:
    # long vectors take the blocked host kernels (on JAX and torch through a zero-copy view);
    # a NaN anywhere, an inf alone, a zero minimum, keepdims over all axes of a 2-D array
    x = rng.standard_normal(2**19 + 3)
    cases = {"plain": x.copy(), "nan last": x.copy(), "inf": x.copy(), "zero": x.copy()}
    cases["nan last"][-1] = np.nan
    cases["inf"][123_457] = -np.inf
    cases["zero"][200_000] = -0.0
    for name, v in cases.items():
        v = v.astype(dtype)
        got = bk.call(linalg.vector_norm, bk.asarray(v), ord=ord)
        assert bk.to_numpy(got).dtype == np.dtype(dtype), name
        ref = np.linalg.vector_norm(v.astype(np.float64), ord=ord)
        np.testing.assert_allclose(bk.to_numpy(got), ref, rtol=2e-6, err_msg=name)
    m = x[: 2**19].reshape(1024, 512).astype(dtype)
    got = bk.call(linalg.vector_norm, bk.asarray(m), ord=ord, axis=(0, 1), keepdims=True)
    ref = np.linalg.vector_norm(m.astype(np.float64), ord=ord, axis=(0, 1), keepdims=True)
    assert bk.to_numpy(got).shape == (1, 1)
    np.testing.assert_allclose(bk.to_numpy(got), ref, rtol=2e-6)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("ord", [1, 2, math.inf, -math.inf])
def test_long_vectors_views_and_tails(bk, rng, ord, dtype) -> None:
    # beyond 2**20 elements: CuPy's hand-written kernel (vector loads, a scalar tail of 3 here,
    # a view one element in that is not 16-byte aligned), NaN and inf anywhere
    x = rng.standard_normal(2**20 + 4).astype(dtype)
    x[rng.integers(0, x.size)] = 0.0
    arr = bk.asarray(x)
    views = {"whole": (arr, x), "one in": (arr[1:], x[1:]), "tail": (arr[:-1], x[:-1])}
    for name, (a, ref_in) in views.items():
        got = bk.to_numpy(bk.call(linalg.vector_norm, a, ord=ord))
        ref = np.linalg.vector_norm(ref_in.astype(np.float64), ord=ord)
        assert got.dtype == np.dtype(dtype), name
        np.testing.assert_allclose(got, ref, rtol=2e-6, err_msg=name)
    for pos in (0, x.size // 2, x.size - 1):
        for bad in (np.nan, -np.inf):
            y = x.copy()
            y[pos] = bad
            got = float(bk.to_numpy(bk.call(linalg.vector_norm, bk.asarray(y), ord=ord)))
            ref = float(np.linalg.vector_norm(y.astype(np.float64), ord=ord))
            assert got == ref or (math.isnan(got) and math.isnan(ref)), (pos, bad, got, ref)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_max_min_abs_with_nan_inf_and_signed_zero(bk, dtype) -> None:
    # rows: a NaN of either sign, an inf, a -0.0 minimum, plain values; per-row and whole
    x = np.array(
        [[1.0, -np.nan, 2.0], [-np.inf, 3.0, 0.5], [-0.0, -4.0, 1.0], [-5.0, 0.25, 2.0]],
        dtype=dtype,
    )
    xb = bk.asarray(x)
    for ord in (math.inf, -math.inf):
        for axis in (None, 1, 0):
            got = bk.to_numpy(bk.call(linalg.vector_norm, xb, ord=ord, axis=axis))
            ref = np.linalg.vector_norm(x, ord=ord, axis=axis)
            np.testing.assert_array_equal(got, ref)


@pytest.mark.parametrize("ord", [1, 2, 3, math.inf, -math.inf])
def test_vector_norm_gradient(bk, rng, ord) -> None:
    """d||x||_p/dx = sign(x) |x|^(p-1) / ||x||_p^(p-1); for ±inf, sign(x) at the extreme."""
    from xpmath import calculus

    # magnitudes 0.045 apart and >= 0.2: numerical derivatives (steps up to ~6e-3) neither
    # cross a kink of |x| nor change which component is the extreme
    x = rng.choice([-1.0, 1.0], 40) * rng.permutation(np.linspace(0.2, 2.0, 40))
    if ord in (math.inf, -math.inf):
        i = np.argmax(np.abs(x)) if ord > 0 else np.argmin(np.abs(x))
        ref = np.zeros_like(x)
        ref[i] = np.sign(x[i])
    else:
        n = np.linalg.vector_norm(x, ord=ord)
        ref = np.sign(x) * np.abs(x) ** (ord - 1) / n ** (ord - 1)
    g = bk.call(calculus.grad(lambda v: linalg.vector_norm(v, ord=ord)), bk.asarray(x))
    np.testing.assert_allclose(bk.to_numpy(g), ref, rtol=1e-6, atol=1e-8)


def test_jax_host_kernel_respects_device_and_transfer_guard(rng) -> None:
    # concrete CPU JAX arrays take NumPy's kernel on a zero-copy view; the result must come
    # back as a JAX array on the input's device without a guarded host-to-device transfer
    jax = pytest.importorskip("jax")
    import jax.numpy as jnp

    x = rng.standard_normal(2**20).astype(np.float32)
    xj = jnp.asarray(x)
    with jax.transfer_guard("disallow"):
        for ord in (1, math.inf, -math.inf):
            got = linalg.vector_norm(xj, ord=ord)
            assert isinstance(got, jax.Array) and got.devices() == xj.devices()
            ref = np.linalg.vector_norm(x.astype(np.float64), ord=ord)
            # reading the value back is a device-to-host transfer where xj is on a GPU
            with jax.transfer_guard("allow"):
                np.testing.assert_allclose(float(got), ref, rtol=2e-6)


@pytest.mark.parametrize("ord", [math.inf, -math.inf])
def test_jax_extreme_norms_are_one_reduction_on_a_gpu(ord) -> None:
    """On a GPU XLA's max/min propagate NaN and ord=±inf is one pass over the data; the CPU
    program keeps its NaN check (two passes, then an exact one when the sum says so).
    Lowered for each platform here; the NaN cases above run on the GPU in ``.ci/gpu``."""
    jax = pytest.importorskip("jax")
    from xpmath._backends.jax_fast import _abs_extreme

    f = jax.jit(lambda v: _abs_extreme(v, None, False, ord > 0))
    traced = f.trace(jax.numpy.ones(1000, dtype=jax.numpy.float32))
    reductions = {
        plat: traced.lower(lowering_platforms=(plat,)).as_text().count("stablehlo.reduce")
        for plat in ("cuda", "cpu")
    }
    assert reductions == {"cuda": 1, "cpu": 3}
