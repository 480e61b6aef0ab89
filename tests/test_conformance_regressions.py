"""Regression tests for defects found by checking xpmath from outside (NumPy's and SciPy's
behaviour on the same inputs), each on every backend."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest
import scipy.integrate as si
import scipy.special as sp

import xpmath
from xpmath import (
    ArgumentTypeError,
    AxisError,
    BackendMismatchError,
    DTypeError,
    InvalidArgumentError,
    LinAlgError,
    calculus,
    linalg,
    nn,
    random,
    stats,
)


def test_eig_of_complex_matrix_with_real_eigenvalues_stays_complex(bk, rng) -> None:
    bk.require("linalg.eig")
    q, _ = np.linalg.qr(rng.standard_normal((4, 4)) + 1j * rng.standard_normal((4, 4)))
    a = q @ np.diag([1.0, 2.0, 3.0, 4.0]) @ np.linalg.inv(q)  # complex, real spectrum
    x = bk.asarray(a)
    w, v = bk.call(linalg.eig, x)
    w, v = bk.to_numpy(w), bk.to_numpy(v)
    assert np.iscomplexobj(w) and np.iscomplexobj(v)
    np.testing.assert_allclose(a @ v, v * w, atol=1e-9)
    assert np.iscomplexobj(bk.to_numpy(bk.call(linalg.eigvals, x)))


@pytest.mark.parametrize("func", ["eig", "eigvals"])
def test_general_eigensolvers_refuse_nonfinite_input(bk, func) -> None:
    if not bk.raises(f"linalg.{func}"):
        pytest.skip("values cannot be inspected here: the result is NaN")
    with pytest.raises(LinAlgError, match="infs or NaNs"):
        getattr(linalg, func)(bk.asarray(np.full((3, 3), np.nan)))


def test_reversed_numpy_views_convert_without_crashing() -> None:
    # a NumPy view with negative strides handed to torch by DLPack aborted the whole process
    # (NumPy's own linalg tests found it: their stacked cases include reversed views)
    code = (
        "import numpy as np, xpmath\n"
        "from xpmath._backends import BACKENDS\n"
        "a = np.arange(24.0).reshape(2, 3, 4)\n"
        "for name, b in BACKENDS.items():\n"
        "    if not b.status()[0]:\n"
        "        continue\n"
        "    for v in (a[::-1], a[:, ::-1], a[..., ::-2]):\n"
        "        for f in (xpmath.asarray, xpmath.to_backend):\n"
        "            y = f(v, backend=name) if f is xpmath.asarray else f(v, name)\n"
        "            assert (xpmath.to_numpy(y) == v).all(), (name, v.strides)\n"
        "print('alive')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and "alive" in out.stdout, out.stdout + out.stderr


def test_torch_eigvals_of_nan_matrix_does_not_crash() -> None:
    pytest.importorskip("torch")
    code = (
        "import torch, xpmath\n"
        "from xpmath import linalg\n"
        "for n in (2, 3, 5, 8):\n"
        "    try:\n"
        "        linalg.eigvals(torch.full((n, n), float('nan'), dtype=torch.float64))\n"
        "    except xpmath.LinAlgError:\n"
        "        pass\n"
        "print('alive')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "alive" in out.stdout, out.stderr


@pytest.mark.parametrize("func", ["inv", "solve"])
def test_exactly_singular_matrix_raises_everywhere(bk, func) -> None:
    a = bk.asarray(np.arange(1.0, 10.0).reshape(3, 3))
    args = (a,) if func == "inv" else (a, bk.asarray(np.ones(3)))
    if bk.raises(f"linalg.{func}"):
        with pytest.raises(LinAlgError, match="singular"):
            bk.call(getattr(linalg, func), *args)
    else:
        assert np.isnan(bk.to_numpy(bk.call(getattr(linalg, func), *args))).all()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_det_with_an_exactly_zero_pivot_is_zero(bk, rng, dtype) -> None:
    # NumPy's LAPACK path reports the zero pivot and gives 0; a plain product of the pivots
    # gives inf * 0 = nan on torch and JAX (found on a GPU by the differential property test)
    bk.require("linalg.det")
    scale = float(rng.uniform(1, 10))
    cases = [
        np.array([[np.inf, 0.0], [0.0, 0.0]]),
        np.array([[0.0, scale], [0.0, 1.0]]),
        np.array([[[1.0, 2.0], [2.0, 4.0]], [[scale, 0.0], [0.0, 2.0]]]),
    ]
    for a in cases:
        a = a.astype(dtype)
        got = bk.to_numpy(bk.call(linalg.det, bk.asarray(a)))
        np.testing.assert_allclose(got, np.linalg.det(a), rtol=8 * np.finfo(dtype).eps, atol=0)


def test_solve_with_two_backends_names_both() -> None:
    torch = pytest.importorskip("torch")
    with pytest.raises(BackendMismatchError, match="torch and numpy"):
        linalg.solve(torch.eye(3, dtype=torch.float64), np.ones(3))


@pytest.mark.parametrize("p", [None, 1, -1, 2, "fro", np.inf])
def test_cond_of_a_stack_with_one_singular_matrix(bk, p) -> None:
    stack = np.stack([np.eye(2) * 3, [[1.0, 2.0], [2.0, 4.0]], [[2.0, 1.0], [1.0, 3.0]]])
    if bk.jit:
        pytest.skip("cond's per-matrix recovery needs concrete values")
    got = bk.to_numpy(linalg.cond(bk.asarray(stack), p))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = np.linalg.cond(stack, p)
    finite = np.isfinite(want) & (want < 1e15)
    np.testing.assert_allclose(got[finite], want[finite], rtol=1e-10)
    assert (got[~finite] > 1e15).all()


def test_cond_of_empty_matrix_is_a_linalg_error() -> None:
    with pytest.raises(LinAlgError, match="empty"):
        linalg.cond(np.zeros((0, 0)))


@pytest.mark.parametrize(
    "values",
    [[0.0, -40.0], [0.0, -700.0, -1e-3], [3.0, 3.0, 3.0], [-np.inf, -np.inf], [np.inf, 1.0]],
)
def test_logsumexp_keeps_tiny_terms(bk, values) -> None:
    x = np.asarray(values)
    got = bk.to_numpy(bk.call(nn.logsumexp, bk.asarray(x)))
    np.testing.assert_allclose(got, sp.logsumexp(x), rtol=1e-15)


def test_logsumexp_empty_and_complex(bk) -> None:
    if bk.jit:
        pytest.skip("shapes are static; the eager rows cover it")
    assert float(bk.to_numpy(nn.logsumexp(bk.asarray(np.zeros(0))))) == -np.inf
    got = bk.to_numpy(nn.logsumexp(bk.asarray(np.zeros((3, 0))), axis=1))
    np.testing.assert_array_equal(got, np.full(3, -np.inf))
    z = np.array([1 + 1j, 2 - 1j, -0.5 + 3j])
    np.testing.assert_allclose(bk.to_numpy(nn.logsumexp(bk.asarray(z))), sp.logsumexp(z))


def test_simpson_with_repeated_x_is_zero_width(bk) -> None:
    y = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    for x in ([1.0, 1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0, 2.0], [0.0, 1.0, 1.0, 2.0, 2.0]):
        xs = np.asarray(x)
        got = bk.call(lambda a, b: calculus.simpson(a, x=b), bk.asarray(y), bk.asarray(xs))
        np.testing.assert_allclose(bk.to_numpy(got), si.simpson(y, x=xs), rtol=1e-14)


def test_random_dtype_requests_are_checked(bk) -> None:
    if bk.jit:
        pytest.skip("generators are eager objects")
    gen = random.default_rng(0, backend=bk.name)
    with pytest.raises(DTypeError, match="standard_normal: dtype must be a real floating"):
        gen.standard_normal(5, dtype="int32")
    with pytest.raises(DTypeError, match="integers: dtype must be an integral"):
        gen.integers(0, 3, 4, dtype="float32")
    with pytest.raises(InvalidArgumentError, match="loc must be a number"):
        gen.normal(float("nan"), 1.0, 3)


def test_jax_without_x64_refuses_64_bit_requests() -> None:
    pytest.importorskip("jax")
    code = (
        "import os; os.environ['JAX_ENABLE_X64'] = '0'\n"
        "import xpmath\n"
        "from xpmath import random, nn\n"
        "g = random.default_rng(0, backend='jax')\n"
        "calls = [lambda: g.normal(size=3, dtype='float64'),\n"
        "         lambda: g.random(3, dtype='float64'),\n"
        "         lambda: g.uniform(size=3, dtype='float64'),\n"
        "         lambda: g.integers(0, 5, 3, dtype='int64'),\n"
        "         lambda: nn.one_hot(xpmath.asarray([0, 1], backend='jax'), 3, dtype='float64')]\n"
        "for c in calls:\n"
        "    try:\n"
        "        c(); print('accepted')\n"
        "    except xpmath.PrecisionError:\n"
        "        print('refused')\n"
        "print(g.integers(0, 5, 3).dtype, g.normal(size=2).dtype)\n"
    )
    env = {k: v for k, v in __import__("os").environ.items() if k != "JAX_ENABLE_X64"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["refused"] * 5 + ["int32", "float32"]


def test_axis_errors_fit_numpys() -> None:
    with pytest.raises(np.exceptions.AxisError):
        stats.mean(np.ones(3), axis=3)
    with pytest.raises(AxisError, match="out of range"):
        linalg.vector_norm(np.ones((2, 2)), axis=-3)
    with pytest.raises(TypeError):
        linalg.vector_norm(np.ones((2, 2)), axis=1.5)
    with pytest.raises(ArgumentTypeError, match="axis must be an integer"):
        nn.softmax(np.ones(3), axis="0")
    err = AxisError("x")
    assert isinstance(err, ValueError) and isinstance(err, IndexError)
    assert isinstance(err, xpmath.ShapeError)


def test_eigvalsh_reads_the_lower_triangle_everywhere(bk) -> None:
    a = np.array([[1.0, 5.0, -2.0], [0.5, 2.0, 7.0], [0.25, -1.0, 3.0]])  # not symmetric
    got = bk.to_numpy(bk.call(linalg.eigvalsh, bk.asarray(a)))
    np.testing.assert_allclose(got, np.linalg.eigvalsh(a), rtol=1e-12)
    w, _ = bk.call(linalg.eigh, bk.asarray(a))
    np.testing.assert_allclose(bk.to_numpy(w), np.linalg.eigh(a)[0], rtol=1e-12)


def test_uniform_ppf_outside_unit_interval_is_nan(bk) -> None:
    q = bk.asarray(np.array([1.5, -0.2, 0.5]))
    got = bk.to_numpy(bk.call(lambda v: stats.uniform(-1, 3).ppf(v), q))
    np.testing.assert_array_equal(np.isnan(got), [True, True, False])


def test_linalg_shape_faults_are_numpy_linalg_errors(bk, rng) -> None:
    # NumPy raises LinAlgError for a non-square or 1-D matrix and for lstsq's mismatched
    # right-hand side, TypeError for a non-integer power: xpmath's errors are those classes too
    a = bk.asarray(rng.standard_normal((3, 2)))
    v = bk.asarray(rng.standard_normal(3))
    faults = [
        (lambda: linalg.inv(a), "square"),
        (lambda: linalg.det(v), "2 dimension"),
        (lambda: linalg.matrix_power(a, 2), "square"),
        (lambda: linalg.svd(v), "2 dimension"),
        (lambda: linalg.lstsq(a, bk.asarray(rng.standard_normal(4))), "Incompatible"),
    ]
    for call, words in faults:
        with pytest.raises(np.linalg.LinAlgError, match=words) as info:
            call()
        assert isinstance(info.value, xpmath.LinAlgShapeError)
        assert isinstance(info.value, xpmath.ShapeError)
    with pytest.raises(TypeError, match="integer") as info:
        linalg.matrix_power(bk.asarray(np.eye(2)), 1.5)
    assert isinstance(info.value, xpmath.XpmathError)


def test_numpy_positional_forms_of_svd_lstsq_and_matrix_rank(bk, rng) -> None:
    a = rng.standard_normal((5, 3))
    a[:, 2] = a[:, 0] + a[:, 1]  # rank 2
    x = bk.asarray(a)
    u, s, vh = linalg.svd(x, False)  # full_matrices by position, as numpy.linalg.svd allows
    assert bk.to_numpy(u).shape == (5, 3) and bk.to_numpy(vh).shape == (3, 3)
    ref = np.linalg.svd(a, compute_uv=False)  # the third is zero up to rounding
    np.testing.assert_allclose(bk.to_numpy(s), ref, rtol=1e-10, atol=1e-13 * ref[0])
    s_h = linalg.svd(bk.asarray(a.T @ a), compute_uv=False, hermitian=True)
    ref_h = np.linalg.svd(a.T @ a, compute_uv=False)
    np.testing.assert_allclose(bk.to_numpy(s_h), ref_h, rtol=1e-10, atol=1e-13 * ref_h[0])
    assert int(bk.to_numpy(linalg.matrix_rank(x, None, False))) == 2
    assert int(bk.to_numpy(linalg.matrix_rank(bk.asarray(a.T @ a), hermitian=True))) == 2
    with pytest.raises(TypeError, match="hermitian"):
        linalg.matrix_rank(x, hermitian="yes")
    # rcond < 0 means machine precision, as in NumPy. A singular value between eps and the
    # default cut-off max(M, N) * eps (45 eps, far above the SVD's rounding) tells them apart;
    # the rank-2 matrix above cannot, as its third singular value is rounding (about eps).
    q1, _ = np.linalg.qr(rng.standard_normal((400, 3)))
    q2, _ = np.linalg.qr(rng.standard_normal((3, 3)))
    c = (q1 * np.array([1.0, 0.5, 1e-14])) @ q2.T
    b = rng.standard_normal(400)
    assert int(bk.to_numpy(linalg.lstsq(bk.asarray(c), bk.asarray(b))[2])) == 2
    assert int(bk.to_numpy(linalg.lstsq(bk.asarray(c), bk.asarray(b), rcond=-1)[2])) == 3
    got = linalg.lstsq(x, bk.asarray(b[:5]))
    want = np.linalg.lstsq(a, b[:5], rcond=None)
    np.testing.assert_allclose(bk.to_numpy(got[0]), want[0], rtol=1e-6, atol=1e-9)
