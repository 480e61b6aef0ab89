"""eig, eigh, svd, qr, cholesky, matrix_rank, cond — invariants, not raw vectors."""

from __future__ import annotations

import numpy as np
import pytest

import xpmath
from xpmath import linalg


@pytest.mark.parametrize("shape", [(4, 4), (2, 3, 3)])
def test_eig_invariants(bk, rng, shape) -> None:
    bk.require("linalg.eig")
    a = rng.standard_normal(shape)
    w, v = bk.call(linalg.eig, bk.asarray(a))
    w, v = bk.to_numpy(w), bk.to_numpy(v)
    np.testing.assert_allclose(a @ v, v * w[..., None, :], rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(
        np.sort_complex(w.ravel()), np.sort_complex(np.linalg.eigvals(a).ravel()), rtol=1e-8
    )
    wv = bk.to_numpy(bk.call(linalg.eigvals, bk.asarray(a)))
    np.testing.assert_allclose(np.sort_complex(wv.ravel()), np.sort_complex(w.ravel()), rtol=1e-8)


def test_eig_dtype_follows_numpy(bk) -> None:
    bk.require("linalg.eig")
    rot = bk.asarray(np.array([[0.0, -1.0], [1.0, 0.0]]))
    w = bk.to_numpy(bk.call(linalg.eigvals, rot))
    assert w.dtype.kind == "c"
    np.testing.assert_allclose(np.sort_complex(w), [-1j, 1j], atol=1e-12)
    sym = bk.asarray(np.array([[-1.0, 2.0], [2.0, -1.0]]))
    w2, _ = linalg.eig(sym)
    w2 = bk.to_numpy(w2)
    if bk.raises("linalg.eig"):  # eager: the installed NumPy's rule (always complex from 2.5)
        assert w2.dtype.kind == np.linalg.eigvals(np.array([[-1.0, 2.0], [2.0, -1.0]])).dtype.kind
    np.testing.assert_allclose(np.sort(w2.real), [-3.0, 1.0], atol=1e-12)


@pytest.mark.parametrize("shape", [(5, 5), (3, 4, 4)])
def test_eigh(bk, rng, shape) -> None:
    m = rng.standard_normal(shape)
    a = m + np.swapaxes(m, -1, -2)
    w, v = bk.call(linalg.eigh, bk.asarray(a))
    w, v = bk.to_numpy(w), bk.to_numpy(v)
    np.testing.assert_allclose(w, np.linalg.eigvalsh(a), rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(a @ v, v * w[..., None, :], atol=1e-9)
    np.testing.assert_allclose(
        np.swapaxes(v, -1, -2) @ v, np.broadcast_to(np.eye(shape[-1]), v.shape), atol=1e-10
    )
    np.testing.assert_allclose(bk.to_numpy(bk.call(linalg.eigvalsh, bk.asarray(a))), w, atol=1e-10)


def test_tutorial_eigen_checks(bk) -> None:
    a = np.array([[-1.0, 2.0], [2.0, -1.0]])
    w = bk.to_numpy(linalg.eigvalsh(bk.asarray(a)))
    np.testing.assert_allclose(w, [-3.0, 1.0], atol=1e-12)
    assert np.isclose(w.sum(), np.trace(a)) and np.isclose(w.prod(), np.linalg.det(a))


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 4, 4)])
@pytest.mark.parametrize("full", [True, False])
def test_svd(bk, rng, shape, full) -> None:
    a = rng.standard_normal(shape)
    u, s, vh = bk.call(linalg.svd, bk.asarray(a), full_matrices=full)
    u, s, vh = bk.to_numpy(u), bk.to_numpy(s), bk.to_numpy(vh)
    np.testing.assert_allclose(s, np.linalg.svd(a, compute_uv=False), rtol=1e-10)
    k = s.shape[-1]
    np.testing.assert_allclose((u[..., :, :k] * s[..., None, :]) @ vh[..., :k, :], a, atol=1e-10)
    sv = bk.to_numpy(bk.call(linalg.svd, bk.asarray(a), compute_uv=False))
    np.testing.assert_allclose(sv, s, rtol=1e-10)


@pytest.mark.parametrize("mode", ["reduced", "complete", "r"])
def test_qr(bk, rng, mode) -> None:
    a = rng.standard_normal((5, 3))
    out = bk.call(linalg.qr, bk.asarray(a), mode=mode)
    if mode == "r":
        r = bk.to_numpy(out)
        np.testing.assert_allclose(np.abs(r), np.abs(np.linalg.qr(a, mode="r")), atol=1e-10)
        return
    q, r = bk.to_numpy(out[0]), bk.to_numpy(out[1])
    np.testing.assert_allclose(q @ r, a, atol=1e-10)
    np.testing.assert_allclose(q.T @ q, np.eye(q.shape[1]), atol=1e-10)
    assert np.allclose(np.tril(r, -1), 0)
    with pytest.raises(xpmath.InvalidArgumentError, match="mode"):
        linalg.qr(bk.asarray(a), mode="raw")


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky(bk, rng, upper) -> None:
    m = rng.standard_normal((3, 4, 4))
    a = m @ np.swapaxes(m, -1, -2) + 4 * np.eye(4)
    c = bk.to_numpy(bk.call(linalg.cholesky, bk.asarray(a), upper=upper))
    ref = np.linalg.cholesky(a, upper=upper)
    np.testing.assert_allclose(c, ref, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("dtype", ["float64", "complex128"])
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_reads_one_triangle(bk, rng, upper, dtype) -> None:
    """NumPy reads only the lower triangle (the upper one for ``upper=True``); JAX averaged
    the matrix with its transpose, so a non-symmetric input (junk, even NaN, in the other
    triangle) gave another factor or a false "not positive definite"."""
    shape = (2, 4, 4)
    m = rng.standard_normal(shape)
    if dtype == "complex128":
        m = m + 1j * rng.standard_normal(shape)
    spd = m @ np.conj(np.swapaxes(m, -1, -2)) + 4 * np.eye(4)
    junk = 100 * rng.standard_normal(shape)
    junk[0, 1, 2] = junk[0, 2, 1] = np.nan
    keep, other = (np.triu, np.tril) if upper else (np.tril, np.triu)
    a = keep(spd) + other(junk, 1 if other is np.triu else -1)
    c = bk.to_numpy(bk.call(linalg.cholesky, bk.asarray(a), upper=upper))
    np.testing.assert_allclose(c, np.linalg.cholesky(a, upper=upper), rtol=1e-10, atol=1e-12)


def test_cholesky_not_positive_definite(bk) -> None:
    a = np.array([[1.0, 2.0], [2.0, 1.0]])
    if bk.raises("linalg.cholesky"):
        with pytest.raises(xpmath.LinAlgError, match="not positive definite"):
            linalg.cholesky(bk.asarray(a))
    else:
        assert np.all(np.isnan(bk.to_numpy(bk.call(linalg.cholesky, bk.asarray(a)))))


def test_matrix_rank(bk, rng) -> None:
    a = rng.standard_normal((6, 3)) @ rng.standard_normal((3, 5))
    assert int(bk.to_numpy(bk.call(linalg.matrix_rank, bk.asarray(a)))) == 3
    stack = np.stack([a, np.zeros((6, 5))])
    np.testing.assert_array_equal(bk.to_numpy(linalg.matrix_rank(bk.asarray(stack))), [3, 0])
    assert int(bk.to_numpy(linalg.matrix_rank(bk.asarray(np.array([0.0, 1.0]))))) == 1
    assert int(bk.to_numpy(linalg.matrix_rank(bk.asarray(a), tol=1e30))) == 0
    sym = a @ a.T
    assert int(bk.to_numpy(linalg.matrix_rank(bk.asarray(sym), hermitian=True))) == 3
    with pytest.raises(xpmath.LinAlgShapeError, match="square"):  # NumPy: LinAlgError too
        linalg.matrix_rank(bk.asarray(a), hermitian=True)


@pytest.mark.parametrize("p", [None, 2, -2, "fro", "nuc", 1, -1, np.inf, -np.inf])
def test_cond(bk, rng, p) -> None:
    a = rng.standard_normal((4, 4))
    got = float(bk.to_numpy(bk.call(linalg.cond, bk.asarray(a), p)))
    assert got == pytest.approx(np.linalg.cond(a, p), rel=1e-8)


def test_cond_singular_is_inf(bk) -> None:
    s = bk.asarray(np.array([[1.0, 2.0], [2.0, 4.0]]))
    for p in (None, 1):
        assert float(bk.to_numpy(linalg.cond(s, p))) > 1e15


_SVD_AND_EIGH = {  # routine -> a call on a square matrix
    "linalg.svd": lambda a: linalg.svd(a, compute_uv=False),
    "linalg.pinv": lambda a: linalg.pinv(a),
    "linalg.matrix_rank": lambda a: linalg.matrix_rank(a),
    "linalg.cond": lambda a: linalg.cond(a),
    "linalg.matrix_norm": lambda a: linalg.matrix_norm(a, ord=2),
    "linalg.lstsq": lambda a: linalg.lstsq(a, a[:, 0]).x,
    "linalg.eigh": lambda a: linalg.eigh(a).eigenvalues,
    "linalg.eigvalsh": lambda a: linalg.eigvalsh(a),
    "linalg.eig": lambda a: linalg.eig(a).eigenvalues,
    "linalg.eigvals": lambda a: linalg.eigvals(a),
}


def test_every_declared_host_check_is_exercised() -> None:
    """Each routine whose host cells declare a check of their inputs (``host_check`` in the
    capability table) is in the sweep below, which holds the check to its refusal."""
    from xpmath._capabilities import _HOST_CHECKS, _load_all

    _load_all()
    assert set(_HOST_CHECKS) <= set(_SVD_AND_EIGH)


@pytest.mark.parametrize("at", [(2, 1), (0, 0)])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("routine", sorted(_SVD_AND_EIGH))
def test_svd_and_eigh_family_refuse_nonfinite_input(bk, rng, routine, bad, at) -> None:
    """NumPy raises "SVD did not converge" / "Eigenvalues did not converge" for a NaN, and
    its LAPACK SVD can loop forever on an inf; JAX returned NaN and torch's matrix 2-norm
    raised its own error. Every eager backend now raises xpmath.LinAlgError naming the
    routine, and so does a Dask call that runs in a host cell (the routine's or, for
    matrix_rank and cond, the SVD's underneath): the cell's declared ``host_check`` sees
    the computed input. Traced and lazy results are NaN (Dask's 2-norm included: its
    blocks never reach LAPACK with an inf; under jax.jit the matrix is replaced by zeros
    first, since JAX's SVD on the CPU never returned for an inf on the diagonal)."""
    bk.require(routine)
    a = rng.standard_normal((4, 4))
    a = a + a.T
    a[at] = bad  # (the lower triangle: the one eigh reads)
    call = _SVD_AND_EIGH[routine]
    on_host_svd = routine in ("linalg.matrix_rank", "linalg.cond") and bk.raises("linalg.svd")
    if bk.raises(routine) or on_host_svd:
        with pytest.raises(xpmath.LinAlgError, match="infs or NaNs"):
            bk.to_numpy(bk.call(call, bk.asarray(a)))
    else:
        out = bk.to_numpy(bk.call(call, bk.asarray(a)))
        assert np.isnan(out).any() or routine == "linalg.matrix_rank"
