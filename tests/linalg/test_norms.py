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
    with pytest.raises(xpmath.ShapeError, match="empty"):
        linalg.norm(bk.asarray(np.ones(0)), math.inf)


def test_empty(bk) -> None:
    assert float(bk.to_numpy(linalg.norm(bk.asarray(np.ones(0))))) == 0.0
    assert float(bk.to_numpy(linalg.norm(bk.asarray(np.ones((0, 3))), 1))) == 0.0


@pytest.mark.parametrize("ord", [1, 2, math.inf, -math.inf, 3])
def test_large_float32_vector_accuracy(bk, rng, ord) -> None:
    # exercises the blocked NumPy path (> 2**17 elements) and the fused JAX path
    x = rng.standard_normal(300_001).astype(np.float32)
    got = float(bk.to_numpy(bk.call(linalg.vector_norm, bk.asarray(x), ord=ord)))
    ref = float(np.linalg.vector_norm(x.astype(np.float64), ord=ord))
    # documented bounds: blocked NumPy / XLA tree sums ~1e-7; torch's native kernels ~1e-5
    bound = 2e-5 if bk.name == "torch" else 2e-6
    assert abs(got - ref) <= bound * abs(ref)


def test_two_norm_does_not_overflow_or_underflow() -> None:
    big = np.full(300_000, 1e30, dtype=np.float32)
    tiny = np.full(300_000, 1e-30, dtype=np.float32)
    assert np.isclose(float(linalg.norm(big)), 1e30 * math.sqrt(300_000), rtol=1e-5)
    assert np.isclose(float(linalg.norm(tiny)), 1e-30 * math.sqrt(300_000), rtol=1e-5)


def test_nan_propagates(bk) -> None:
    x = np.ones(300_000)
    x[7] = np.nan
    for ord in (1, 2, math.inf):
        assert math.isnan(float(bk.to_numpy(linalg.vector_norm(bk.asarray(x), ord=ord))))
