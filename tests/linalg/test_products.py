"""matmul, dot, vdot, inner, outer, tensordot, trace, matrix_power vs NumPy float64."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import xpmath
from xpmath import linalg

SHAPES = [
    ((3, 4), (4, 5)),
    ((4,), (4, 2)),
    ((3, 4), (4,)),
    ((2, 3, 4), (4, 2)),
    ((2, 1, 3, 4), (5, 4, 2)),
    ((0, 4), (4, 3)),
    ((3, 0), (0, 2)),
]


@pytest.mark.parametrize(("sa", "sb"), SHAPES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_matmul(bk, rng, sa, sb, dtype) -> None:
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    out = bk.call(linalg.matmul, bk.asarray(a, dtype), bk.asarray(b, dtype))
    got = bk.to_numpy(out)
    assert got.dtype == np.dtype(dtype)
    np.testing.assert_allclose(got, a @ b, rtol=bk.rtol(dtype), atol=bk.rtol(dtype) * 4)


def test_matmul_strict_float32_precision(bk, rng) -> None:
    # TF32 keeps ~10 mantissa bits: an error near 1e-3 would show here
    a = rng.standard_normal((256, 256)).astype(np.float32)
    b = rng.standard_normal((256, 256)).astype(np.float32)
    got = bk.to_numpy(bk.call(linalg.matmul, bk.asarray(a), bk.asarray(b)))
    ref = a.astype(np.float64) @ b.astype(np.float64)
    assert np.max(np.abs(got - ref)) / np.max(np.abs(ref)) < 1e-5


def test_matmul_shape_errors_name_arguments(bk) -> None:
    a = bk.asarray(np.ones((2, 3)))
    with pytest.raises(
        xpmath.ShapeError,
        match=r"a has shape \(2, 3\) and b \(2, 3\); inner "
        r"dimensions 3 and 2 differ",
    ):
        linalg.matmul(a, a)
    with pytest.raises(ValueError, match="at least 1-D"):
        linalg.matmul(bk.asarray(np.float64(2.0)), a)
    with pytest.raises(xpmath.ShapeError, match="do not broadcast"):
        linalg.matmul(bk.asarray(np.ones((2, 3, 3))), bk.asarray(np.ones((4, 3, 3))))


def test_matmul_integers_stay_integers(bk, rng) -> None:
    a = rng.integers(-5, 5, (3, 3))
    got = bk.to_numpy(linalg.matmul(bk.asarray(a), bk.asarray(a)))
    np.testing.assert_array_equal(got, a @ a)


def test_matmul_mixed_dtypes_promote_like_numpy(bk, rng) -> None:
    # float32 @ float64 and int @ float64: float64 on every backend, as in NumPy (int @
    # float32 is left to each backend: float64 in NumPy, float32 in JAX and torch)
    a, b = rng.standard_normal((3, 4)), rng.standard_normal((4, 2))
    i = rng.integers(-5, 5, (3, 4))
    for x, y in ((a.astype(np.float32), b), (i, b)):
        got = bk.to_numpy(bk.call(linalg.matmul, bk.asarray(x), bk.asarray(y)))
        ref = x @ y
        assert got.dtype == ref.dtype
        np.testing.assert_allclose(got, ref, rtol=bk.rtol(ref.dtype), atol=1e-5)


@pytest.mark.parametrize(
    ("sa", "sb"),
    [((), (3,)), ((4,), (4,)), ((3, 4), (4, 2)), ((2, 3, 4), (4,)), ((2, 3, 4), (5, 4, 2))],
)
def test_dot(bk, rng, sa, sb) -> None:
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    got = bk.to_numpy(bk.call(linalg.dot, bk.asarray(a), bk.asarray(b)))
    # (an absolute floor from the terms' sizes: a sum that cancels to near 0 is only known
    # to a few ulps of its largest terms, whatever the summation order)
    floor = 1e-14 * float(np.max(np.dot(np.abs(a), np.abs(b)), initial=0))
    np.testing.assert_allclose(got, np.dot(a, b), rtol=1e-12, atol=floor)


def test_vdot_inner_outer(bk, rng) -> None:
    a, b = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    np.testing.assert_allclose(
        bk.to_numpy(bk.call(linalg.vdot, bk.asarray(a), bk.asarray(b))),
        np.vdot(a, b),
        rtol=1e-12,
        atol=1e-13,  # (sums that cancel: see test_dot)
    )
    np.testing.assert_allclose(
        bk.to_numpy(bk.call(linalg.inner, bk.asarray(a), bk.asarray(b))),
        np.inner(a, b),
        rtol=1e-12,
        atol=1e-13,
    )
    np.testing.assert_allclose(
        bk.to_numpy(bk.call(linalg.outer, bk.asarray(a), bk.asarray(b))), np.outer(a, b), rtol=1e-12
    )
    with pytest.raises(xpmath.ShapeError, match="vdot: a has 6 elements and b 4"):
        linalg.vdot(bk.asarray(a), bk.asarray(np.ones(4)))


def test_vdot_conjugates_first_argument(bk, rng) -> None:
    a = rng.standard_normal(4) + 1j * rng.standard_normal(4)
    b = rng.standard_normal(4) + 1j * rng.standard_normal(4)
    got = bk.to_numpy(linalg.vdot(bk.asarray(a), bk.asarray(b)))
    np.testing.assert_allclose(got, np.vdot(a, b), rtol=1e-12, atol=1e-13)


VDOT_DTYPES = [np.float64, np.float32, np.complex128, np.int64]


@given(
    da=st.sampled_from(VDOT_DTYPES),
    db=st.sampled_from(VDOT_DTYPES),
    shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=5),
    seed=st.integers(0, 2**32 - 1),
)
def test_vdot_dtype_pairs(bk, da, db, shape, seed) -> None:
    """NumPy's ``vdot`` for every pair of dtypes (each backend's lane on equal float ones, a
    promotion otherwise), empty and N-D inputs included."""
    rng = np.random.default_rng(seed)

    def draw(dt):  # type: ignore[no-untyped-def]
        v = rng.integers(-9, 9, shape) if dt is np.int64 else rng.standard_normal(shape)
        return (v + 1j * rng.standard_normal(shape) if dt is np.complex128 else v).astype(dt)

    a, b = draw(da), draw(db)
    got = bk.to_numpy(bk.call(linalg.vdot, bk.asarray(a), bk.asarray(b)))
    want = np.vdot(a, b)
    assert got.shape == ()
    if want.dtype.kind in "iu":
        assert got == want
        return
    # mixed integer and float32 is float32 on torch and JAX, float64 on NumPy (the standard
    # leaves it to the library): the tolerance follows the dtype the backend chose
    tol = 1e-5 if got.dtype in (np.float32, np.complex64) else 1e-12
    scale = np.abs(a).sum() * np.abs(b).max(initial=0) + 1
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol * scale)


def test_vdot_under_torch_vmap(rng) -> None:
    torch = pytest.importorskip("torch")
    a, b = rng.standard_normal((3, 5)), rng.standard_normal((3, 5))
    got = torch.func.vmap(linalg.vdot)(torch.from_numpy(a), torch.from_numpy(b))
    want = [np.vdot(x, y) for x, y in zip(a, b)]
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("axes", [0, 1, 2, ([1, 0], [0, 1]), (2, 0)])
def test_tensordot(bk, rng, axes) -> None:
    a, b = rng.standard_normal((3, 4, 5)), rng.standard_normal((4, 3, 5))
    if axes == (2, 0):
        b = rng.standard_normal((5, 2))
    if axes == 2:
        b = rng.standard_normal((4, 5, 2))
    if axes == 1:
        b = rng.standard_normal((5, 2))
    got = bk.to_numpy(bk.call(linalg.tensordot, bk.asarray(a), bk.asarray(b), axes=axes))
    np.testing.assert_allclose(got, np.tensordot(a, b, axes=axes), rtol=1e-12, atol=1e-12)


def test_tensordot_mismatch(bk) -> None:
    with pytest.raises(xpmath.ShapeError, match="contracted dimensions"):
        linalg.tensordot(bk.asarray(np.ones((2, 3))), bk.asarray(np.ones((2, 3))), axes=1)


@pytest.mark.parametrize("offset", [0, 1, -1])
def test_trace(bk, rng, offset) -> None:
    x = rng.standard_normal((2, 4, 4))
    got = bk.to_numpy(bk.call(linalg.trace, bk.asarray(x), offset=offset))
    np.testing.assert_allclose(got, np.linalg.trace(x, offset=offset), rtol=1e-12, atol=1e-13)
    with pytest.raises(xpmath.ShapeError):
        linalg.trace(bk.asarray(np.ones(3)))


@pytest.mark.parametrize("n", [0, 1, 2, 5, -1, -3])
def test_matrix_power(bk, rng, n) -> None:
    x = rng.standard_normal((2, 3, 3)) + 3 * np.eye(3)
    got = bk.to_numpy(bk.call(linalg.matrix_power, bk.asarray(x), n))
    np.testing.assert_allclose(got, np.linalg.matrix_power(x, n), rtol=1e-9, atol=1e-12)


def test_matrix_power_errors(bk) -> None:
    with pytest.raises(xpmath.ShapeError, match="square"):
        linalg.matrix_power(bk.asarray(np.ones((2, 3))), 2)
    with pytest.raises(xpmath.InvalidArgumentError, match="n must be an integer"):
        linalg.matrix_power(bk.asarray(np.eye(2)), 1.5)
    if bk.raises("linalg.inv"):
        with pytest.raises(xpmath.LinAlgError, match="singular"):
            linalg.matrix_power(bk.asarray(np.ones((2, 2))), -1)
