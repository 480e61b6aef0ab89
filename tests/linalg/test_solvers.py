"""inv, pinv, det, slogdet, solve, lstsq: random, batched, singular, badly conditioned."""

from __future__ import annotations

import numpy as np
import pytest

import xpmath
from xpmath import linalg


def _wellcond(rng, shape):
    n = shape[-1]
    return rng.standard_normal(shape) + n * np.eye(n)


@pytest.mark.parametrize("shape", [(1, 1), (4, 4), (3, 5, 5), (0, 0)])
def test_inv(bk, rng, shape) -> None:
    a = _wellcond(rng, shape)
    got = bk.to_numpy(bk.call(linalg.inv, bk.asarray(a)))
    np.testing.assert_allclose(got, np.linalg.inv(a), rtol=1e-10, atol=1e-12)


def test_inv_float32_and_int(bk, rng) -> None:
    a = _wellcond(rng, (4, 4)).astype(np.float32)
    got = bk.to_numpy(bk.call(linalg.inv, bk.asarray(a)))
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, np.linalg.inv(a.astype(np.float64)), rtol=1e-4, atol=1e-5)
    gi = bk.to_numpy(linalg.inv(bk.asarray(np.array([[2, 0], [0, 4]]))))
    assert gi.dtype.kind == "f"
    np.testing.assert_allclose(gi, [[0.5, 0], [0, 0.25]])


def test_singular_raises_eagerly_nan_under_jit(bk) -> None:
    s = np.array([[1.0, 2.0], [2.0, 4.0]])
    stack = np.stack([np.eye(2), s])
    if bk.raises("linalg.inv"):
        with pytest.raises(xpmath.LinAlgError, match="inv: matrix a is singular"):
            linalg.inv(bk.asarray(s))
        with pytest.raises(np.linalg.LinAlgError):  # numpy's class catches it too
            linalg.inv(bk.asarray(stack))
        with pytest.raises(xpmath.LinAlgError, match="solve: matrix a is singular"):
            linalg.solve(bk.asarray(s), bk.asarray(np.ones(2)))
        with pytest.raises(xpmath.LinAlgError, match="singular"):
            linalg.matrix_power(bk.asarray(s), -2)
    else:
        got = bk.to_numpy(bk.call(linalg.inv, bk.asarray(stack)))
        np.testing.assert_allclose(got[0], np.eye(2))
        assert np.all(np.isnan(got[1]))
        sol = bk.to_numpy(bk.call(linalg.solve, bk.asarray(s), bk.asarray(np.ones(2))))
        assert np.all(np.isnan(sol))


def test_nonsquare_rejected(bk) -> None:
    a = bk.asarray(np.ones((2, 3)))
    for f in (linalg.inv, linalg.det, linalg.slogdet, linalg.eig, linalg.cholesky):
        with pytest.raises(xpmath.ShapeError, match="square"):
            f(a)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (1, 1), (0, 0)])
def test_det_slogdet(bk, rng, shape) -> None:
    a = rng.standard_normal(shape)
    np.testing.assert_allclose(
        bk.to_numpy(bk.call(linalg.det, bk.asarray(a))), np.linalg.det(a), rtol=1e-10, atol=1e-12
    )
    sign, logabs = bk.call(linalg.slogdet, bk.asarray(a))
    rs, rl = np.linalg.slogdet(a)
    np.testing.assert_allclose(bk.to_numpy(sign), rs)
    np.testing.assert_allclose(bk.to_numpy(logabs), rl, rtol=1e-10, atol=1e-12)


def test_det_singular_is_zero(bk) -> None:
    a = bk.asarray(np.array([[1.0, 2.0], [2.0, 4.0]]))
    assert abs(float(bk.to_numpy(bk.call(linalg.det, a)))) < 1e-12
    assert float(
        bk.to_numpy(linalg.det(bk.asarray(np.array([[-1.0, 2], [3, -4]]))))
    ) == pytest.approx(-2.0)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_det_of_subnormal_rank_one_matrix_is_zero(bk, dtype) -> None:
    """torch's LU multiplies by the reciprocal of a subnormal pivot (inf) and returned NaN
    for this finite, singular matrix; NumPy's LAPACK gives 0."""
    tiny = float(np.finfo(dtype).smallest_subnormal)
    a = np.full((3, 3), tiny, dtype=dtype)
    got = bk.to_numpy(bk.call(linalg.det, bk.asarray(a)))
    np.testing.assert_array_equal(got, np.linalg.det(a))


@pytest.mark.parametrize(
    ("sa", "sb"), [((4, 4), (4,)), ((4, 4), (4, 2)), ((3, 4, 4), (3, 4, 2)), ((3, 4, 4), (4, 1))]
)
def test_solve(bk, rng, sa, sb) -> None:
    a, b = _wellcond(rng, sa), rng.standard_normal(sb)
    got = bk.to_numpy(bk.call(linalg.solve, bk.asarray(a), bk.asarray(b)))
    np.testing.assert_allclose(got, np.linalg.solve(a, b), rtol=1e-10, atol=1e-12)


def test_solve_shape_error(bk) -> None:
    with pytest.raises(xpmath.ShapeError, match="b needs 3 rows, got 2"):
        linalg.solve(bk.asarray(np.eye(3)), bk.asarray(np.ones(2)))
    for a, b, arg in ((2.0, 3.0, "a"), (np.eye(2), 3.0, "b")):  # 0-d: no system at all
        with pytest.raises(xpmath.ShapeError, match=f"solve: {arg} must have at least"):
            linalg.solve(bk.asarray(a), bk.asarray(b))


def test_badly_conditioned_solve_matches_numpy_residual(bk, rng) -> None:
    # Hilbert matrix, cond ~ 1e10: compare residuals (the meaningful quantity), not x
    n = 8
    h = 1.0 / (np.arange(n)[:, None] + np.arange(n)[None, :] + 1.0)
    b = rng.standard_normal(n)
    x = bk.to_numpy(bk.call(linalg.solve, bk.asarray(h), bk.asarray(b)))
    assert np.linalg.norm(h @ x - b) <= 1e-6 * np.linalg.norm(b)
    c = float(bk.to_numpy(linalg.cond(bk.asarray(h))))
    assert c == pytest.approx(np.linalg.cond(h), rel=1e-3)


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 4, 4)])
def test_pinv(bk, rng, shape) -> None:
    a = rng.standard_normal(shape)
    got = bk.to_numpy(bk.call(linalg.pinv, bk.asarray(a)))
    np.testing.assert_allclose(got, np.linalg.pinv(a), rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize(("sa", "sb"), [((6, 3), (6,)), ((6, 3), (6, 2)), ((3, 5), (3,))])
def test_lstsq(bk, rng, sa, sb) -> None:
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    x, res, rank, s = bk.call(linalg.lstsq, bk.asarray(a), bk.asarray(b))
    rx, rres, rrank, rs = np.linalg.lstsq(a, b)
    np.testing.assert_allclose(bk.to_numpy(x), rx, rtol=1e-9, atol=1e-11)
    assert int(bk.to_numpy(rank)) == rrank
    np.testing.assert_allclose(bk.to_numpy(s), rs, rtol=1e-10)
    if bk.raises("linalg.lstsq"):
        np.testing.assert_allclose(bk.to_numpy(res), rres, rtol=1e-9)


def test_lstsq_rank_deficient(bk, rng) -> None:
    a = rng.standard_normal((6, 2))
    a = np.concatenate([a, a[:, :1]], axis=1)  # rank 2
    b = rng.standard_normal(6)
    x, res, rank, _ = linalg.lstsq(bk.asarray(a), bk.asarray(b))
    rx, rres, rrank, _ = np.linalg.lstsq(a, b)
    assert int(bk.to_numpy(rank)) == rrank == 2
    np.testing.assert_allclose(bk.to_numpy(x), rx, rtol=1e-8, atol=1e-10)
    if bk.raises("linalg.lstsq"):
        assert bk.to_numpy(res).shape == rres.shape == (0,)


_NONFINITE_RHS = {  # (a's shape, b's shape, the flat index of b given a non-finite value)
    "vector": ((4, 4), (4,), 2),
    "one column": ((4, 4), (4, 3), 4),
    "batch of a": ((2, 4, 4), (4,), 0),
    "batch of b": ((4, 4), (2, 4, 2), 9),
}


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("case", sorted(_NONFINITE_RHS))
@pytest.mark.parametrize("singular", [False, True])
def test_solve_with_nonfinite_b(bk, rng, case, bad, singular) -> None:
    """An inf or NaN in b makes its solution NaN, not "a is singular" (every backend raised
    that: the finite-result guard took any non-finite x for a singular a). A singular a is
    still reported where some solution comes from a finite b, as NumPy's LU reports it."""
    sa, sb, at = _NONFINITE_RHS[case]
    a = _wellcond(rng, sa)
    if singular:
        a[..., 1, :] = 0.0  # (a zero row: an exactly zero pivot in every LU)
    b = rng.standard_normal(sb)
    b.flat[at] = bad
    try:
        with np.errstate(all="ignore"):
            want = np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        want = None
    if want is None and bk.raises("linalg.solve"):
        with pytest.raises(xpmath.LinAlgError, match="singular"):
            bk.to_numpy(bk.call(linalg.solve, bk.asarray(a), bk.asarray(b)))
        return
    got = bk.to_numpy(bk.call(linalg.solve, bk.asarray(a), bk.asarray(b)))
    if want is None:  # traced or lazy: NaN where a solution failed
        assert np.isnan(got).any()
        return
    nan = np.isnan(want)
    np.testing.assert_array_equal(np.isnan(got), nan)
    np.testing.assert_allclose(got[~nan], want[~nan], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize("sb", [(6,), (6, 3)])
def test_lstsq_with_nonfinite_b(bk, rng, bad, sb) -> None:
    """NumPy's (LAPACK gelsd's) x for a non-finite b: a NaN makes its column NaN, an inf
    anywhere makes every entry NaN (gelsd scales b by its largest entry). The SVD route
    left some entries ±inf and others finite."""
    a, b = rng.standard_normal((6, 3)), rng.standard_normal(sb)
    b.flat[int(rng.integers(b.size))] = bad
    with np.errstate(all="ignore"):
        want = np.linalg.lstsq(a, b)[0]
    got = bk.to_numpy(bk.call(lambda p, q: linalg.lstsq(p, q).x, bk.asarray(a), bk.asarray(b)))
    nan = np.isnan(want)
    np.testing.assert_array_equal(np.isnan(got), nan)
    np.testing.assert_allclose(got[~nan], want[~nan], rtol=1e-9, atol=1e-11)
