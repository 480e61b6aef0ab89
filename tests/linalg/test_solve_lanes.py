"""``solve``'s and ``inv``'s small-input lanes give what the general path gives.

The lanes: NumPy's LAPACK gufuncs called directly (``_backends/numpy_lapack.py``), one CPU
torch system solved by LAPACK on NumPy views of torch's LU factors, two arrays of one type
and dtype ``solve`` has taken skipping the conversions and dtype checks
(``linalg._common.SOLVE_LANE``), and CPU JAX's whole call for one small system
(``_backends/jax_fast._one_system``, ``ONE_SYSTEM``). Each is held to the full checks'
answers and errors and to NumPy's answers and singular verdicts.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import xpmath
from xpmath import LinAlgError, linalg

from ..test_fast_lanes import EDGES


@given(
    # (no |x| below 1e-250: for an exactly singular [[x, 5], [x, 5]] with x = 1e-300, or a
    # subnormal x that XLA flushes to 0, NumPy's LAPACK returns inf without raising, e.g.
    # [inf, -3.4e15]; xpmath raises LinAlgError there, the verdict this test holds elsewhere)
    x=st.floats(-1e6, 1e6).filter(lambda v: v == 0 or abs(v) >= 1e-250),
    k=st.integers(1, 8),
    func=st.sampled_from(["solve", "inv"]),
)
@example(x=1e-250, k=1, func="solve")
def test_jax_cpu_singular_verdicts_are_numpys(x, k, func) -> None:
    """On a CPU, JAX's solve and inv are jnp's own, on the LU NumPy's LAPACK computes: where
    NumPy raises (an exactly zero pivot) xpmath raises, and where NumPy solves (a pivot of a
    few ulp, or one that rounding left nonzero) xpmath gives NumPy's answer. No
    working-precision flag: that is for cuSOLVER, which may round a zero pivot to 1e-16."""
    jax = pytest.importorskip("jax")
    if any(d.platform != "cpu" for d in jax.devices()):
        pytest.skip("the lane is for CPU-only JAX")
    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy
    extra = (np.array([1.0, -2.0]),) if func == "solve" else ()
    eps = np.finfo(np.float64).eps
    for a in (np.array([[x, 5.0], [x, 5.0]]), np.array([[1.0, 1.0], [1.0, 1.0 + k * eps]])):
        try:
            want = getattr(np.linalg, func)(a, *extra)
        except np.linalg.LinAlgError:
            with pytest.raises(LinAlgError, match="singular"):
                getattr(linalg, func)(jnp.asarray(a), *map(jnp.asarray, extra))
            continue
        got = np.asarray(getattr(linalg, func)(jnp.asarray(a), *map(jnp.asarray, extra)))
        np.testing.assert_allclose(got, want, rtol=1e-9)


@given(data=st.data())
def test_one_system_solves_as_a_batch_of_one(bk, data) -> None:
    """A single small system and the same system as a batch of one are judged alike (singular
    or not) and solved alike: on CPU torch the first goes through LAPACK on NumPy views."""
    bk.require("linalg.solve")
    if not bk.eager:
        pytest.skip("the singular verdict raises eagerly; traced results are NaN")
    n = data.draw(st.integers(1, 6), label="n")
    dtype = data.draw(st.sampled_from([np.float64, np.float32]), label="dtype")
    a = data.draw(hnp.arrays(np.float64, (n, n), elements=st.floats(-8, 8, width=32)))
    if n > 1 and data.draw(st.booleans(), label="repeated row"):
        a[-1] = a[0] * data.draw(st.sampled_from([1.0, -2.0, 0.0]))  # singular, or nearly
    a = a.astype(dtype)
    rhs = np.arange(1.0, n + 1, dtype=dtype)
    outcomes = []
    for batch in (False, True):  # NumPy 2: a batch's right-hand side is (1, n, 1)
        try:
            args = (a[None], rhs[None, :, None]) if batch else (a, rhs)
            x = linalg.solve(*(bk.asarray(m) for m in args))
            outcomes.append(np.asarray(bk.to_numpy(x)).reshape(n))
        except LinAlgError:
            outcomes.append(None)
    single, batch = outcomes
    assert (single is None) == (batch is None)
    if single is not None:  # the same factors; the triangular solves may differ in rounding
        eps = 64 * n * np.finfo(dtype).eps
        tol = eps * np.linalg.cond(a.astype(np.float64)) * np.abs(batch).max()
        np.testing.assert_allclose(single, batch, rtol=0, atol=tol)


def test_torch_vmap_over_solve_and_inv() -> None:
    """A batch of systems under ``torch.func.vmap`` (values unreadable): torch's batched
    answers, and NaN for a singular member, as under ``jax.jit``."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    a_np = np.eye(3) + 0.3 * rng.standard_normal((5, 3, 3))
    a_np[2] = [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.0, 1.0, 1.0]]  # singular
    a, rhs = torch.from_numpy(a_np), torch.from_numpy(rng.standard_normal((5, 3)))
    x = torch.func.vmap(linalg.solve)(a, rhs).numpy()
    inv = torch.func.vmap(linalg.inv)(a).numpy()
    ok = [0, 1, 3, 4]
    np.testing.assert_allclose(x[ok], np.linalg.solve(a_np[ok], rhs.numpy()[ok, :, None])[..., 0])
    np.testing.assert_allclose(inv[ok], np.linalg.inv(a_np[ok]), rtol=1e-12)
    assert np.isnan(x[2]).all() and np.isnan(inv[2]).all()


@given(data=st.data())
def test_numpy_lapack_lanes_are_numpy_linalg(data) -> None:
    """NumPy's LAPACK gufuncs called directly give ``numpy.linalg``'s answers bit for bit and
    its errors, leave NumPy's error state as they found it, and warn about nothing; inputs
    they do not take (float32, a stack of right-hand sides of another dtype) go to
    ``numpy.linalg`` itself."""
    from xpmath._backends import numpy_lapack

    n = data.draw(st.integers(0, 5), label="n")
    batch = data.draw(st.sampled_from([(), (2,), (3, 1)]), label="batch")
    dtype = data.draw(st.sampled_from([np.float64, np.complex128, np.float32]), label="dtype")
    elems = st.one_of(st.floats(-8, 8, width=32), st.sampled_from(EDGES))
    a = data.draw(hnp.arrays(np.float64, (*batch, n, n), elements=elems)).astype(dtype)
    if n > 1 and data.draw(st.booleans(), label="repeated row"):
        a[..., -1, :] = a[..., 0, :]  # exactly singular
    if dtype == np.complex128:
        a = a + 1j * a[..., ::-1, :]
    vector = data.draw(st.booleans(), label="vector rhs")
    rhs = np.arange(1.0, n + 1, dtype=dtype) if vector else np.ones((*batch, n, 2), dtype)
    before = np.geterr()
    for lane, reference in (
        (lambda: numpy_lapack.solve(np, a, rhs), lambda: np.linalg.solve(a, rhs)),
        (lambda: numpy_lapack.inv(np, a), lambda: np.linalg.inv(a)),
    ):
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            try:
                want: Any = reference()
            except np.linalg.LinAlgError as exc:
                want = exc
            n_reference = len(seen)
            try:
                got: Any = lane()
            except np.linalg.LinAlgError as exc:
                got = exc
        assert len(seen) == 2 * n_reference, [str(w.message) for w in seen]
        assert np.geterr() == before
        if isinstance(want, Exception):
            assert isinstance(got, np.linalg.LinAlgError) and str(got) == str(want)
        else:
            assert got.dtype == want.dtype and got.shape == want.shape
            np.testing.assert_array_equal(got, want)


def test_numpy_lapack_lanes_without_the_private_names(monkeypatch) -> None:
    """Where a NumPy lacks the private names the lanes use, they are ``numpy.linalg``."""
    from xpmath._backends import numpy_lapack

    monkeypatch.setattr(numpy_lapack, "_GUFUNCS", None)
    a = np.array([[3.0, 1.0], [1.0, 2.0]])
    np.testing.assert_array_equal(numpy_lapack.solve(np, a, np.array([9.0, 8.0])), [2.0, 3.0])
    np.testing.assert_array_equal(numpy_lapack.inv(np, a), np.linalg.inv(a))
    with pytest.raises(LinAlgError, match="singular"):
        linalg.solve(np.ones((2, 2)), np.ones(2))


@given(
    n=st.integers(1, 4),
    dtypes=st.tuples(*[st.sampled_from(["float64", "float32", "int64", "float16"])] * 2),
    vector=st.booleans(),
    bad_rows=st.booleans(),
)
def test_solve_argument_lane_changes_no_answer_or_error(bk, n, dtypes, vector, bad_rows) -> None:
    """``solve``'s lanes (two arrays of one type and a float dtype ``solve`` has taken skip
    the conversions and dtype checks; CPU JAX's whole call for one system) give what the full
    checks give: the same dtype and
    values as NumPy's solve, the same DTypeError for half precision, the same ShapeError."""
    from xpmath import DTypeError, ShapeError
    from xpmath.linalg._common import ONE_SYSTEM, SOLVE_LANE

    bk.require("linalg.solve")
    try:
        bk.backend.dtype("float16")
    except DTypeError:  # (array_api_strict has no float16)
        dtypes = tuple("float32" if d == "float16" else d for d in dtypes)
    a_np = (np.eye(n) * 4 + np.arange(n * n).reshape(n, n) % 3).astype(dtypes[0])
    rows = n + 1 if bad_rows else n
    b_np = (np.arange(1, rows + 1) if vector else np.ones((rows, 2))).astype(dtypes[1])
    SOLVE_LANE.clear()
    ONE_SYSTEM.clear()
    outcomes: list[Any] = []
    for _ in range(2):  # the first call takes the full checks (and fills the lane's table)
        try:
            out = bk.call(linalg.solve, bk.asarray(a_np), bk.asarray(b_np))
            outcomes.append(np.asarray(bk.to_numpy(out)))
        except (DTypeError, ShapeError) as exc:
            outcomes.append(type(exc))
    first, second = outcomes
    if "float16" in dtypes or bad_rows:  # (the dtype is checked before the shapes)
        assert first is second is (DTypeError if "float16" in dtypes else ShapeError)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        want = np.linalg.solve(a_np.astype(np.result_type(a_np, b_np, np.float32)), b_np)
    assert first.dtype == second.dtype
    np.testing.assert_array_equal(first, second)
    tol = 1e-5 if first.dtype == np.float32 else 1e-12
    np.testing.assert_allclose(second, want, rtol=tol, atol=tol)


class _NoLanes(dict):  # type: ignore[type-arg]
    """A lane table that stays empty: ``solve`` takes its general path every time."""

    def __setitem__(self, key: Any, value: Any) -> None:
        return None


@given(
    n=st.one_of(st.integers(1, 8), st.integers(9, 36)),
    dtype=st.sampled_from(["float64", "float32"]),
    singular=st.booleans(),
    b_edge=st.sampled_from([None, math.inf, -math.inf, math.nan, 1e300]),
    seed=st.integers(0, 2**32 - 1),
)
def test_jax_one_system_lane_is_the_general_path(n, dtype, singular, b_edge, seed) -> None:
    """CPU JAX's whole-call lane for one system (``_backends/jax_fast._one_system``) returns
    the general path's bits where the result is finite and leaves every other case to it:
    the same values, the same NaN, the same LinAlgError for a singular ``a``; both give
    NumPy's answer (up to 8 unknowns by substitution written out, past that jnp's solve)."""
    from unittest import mock

    jax = pytest.importorskip("jax")
    if any(d.platform != "cpu" for d in jax.devices()):
        pytest.skip("the lane is for CPU-only JAX")
    jax.config.update("jax_enable_x64", True)
    from xpmath.linalg import solvers

    jnp = jax.numpy
    rng = np.random.default_rng(seed)
    # well conditioned, rows shuffled (the LU pivots): NumPy's answer, through the lane
    a_np = (rng.standard_normal((n, n)) + n * np.eye(n))[rng.permutation(n)]
    b_np = rng.standard_normal(n)
    a, b = jnp.asarray(a_np.astype(dtype)), jnp.asarray(b_np.astype(dtype))
    tol = 1e-4 if dtype == "float32" else 1e-11
    want = np.linalg.solve(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
    np.testing.assert_allclose(np.asarray(linalg.solve(a, b)), want, rtol=tol, atol=tol)
    if singular:
        a_np[-1] = a_np[0] if n > 1 else 0.0
    if b_edge is not None:
        b_np[rng.integers(n)] = b_edge
    with np.errstate(over="ignore"):  # (1e300 is inf in float32)
        a, b = jnp.asarray(a_np.astype(dtype)), jnp.asarray(b_np.astype(dtype))

    def outcome() -> Any:
        try:
            return np.asarray(linalg.solve(a, b))
        except LinAlgError:
            return LinAlgError

    with mock.patch.object(solvers, "ONE_SYSTEM", _NoLanes()):
        general = outcome()
    solvers.SOLVE_LANE.clear()  # (the next call takes the full checks, which fill the lanes)
    linalg.solve(jnp.eye(2, dtype=dtype), jnp.ones(2, dtype=dtype))
    lane = solvers.ONE_SYSTEM[type(a)]
    got, direct = outcome(), lane(a, b)
    if isinstance(general, np.ndarray):
        assert got.dtype == general.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(got, general)
    else:
        assert got is general
    if direct is not None:  # taken: every entry finite, the kernel's bits
        assert n <= 32 and np.all(np.isfinite(direct))
        np.testing.assert_array_equal(np.asarray(direct), got)
    else:
        assert n > 32 or not isinstance(got, np.ndarray) or not np.all(np.isfinite(got))


@pytest.mark.parametrize(
    "shapes",
    [
        ((), ()),
        ((2, 2), ()),
        ((2,), (2,)),
        ((2, 2, 2), (2, 2)),
        ((3, 3), (3, 1)),
        ((2, 3), (2,)),
        ((3, 3), (2,)),
        ((0, 0), (0,)),
        ((33, 33), (33,)),
        ((2, 2), (2, 2)),
    ],
)
def test_jax_one_system_lane_takes_no_other_shape(shapes) -> None:
    """Arguments the CPU JAX lane does not take (0-d, batches, a matrix ``b``, mismatched or
    empty systems, more than 32 unknowns) get the general path's answer or error."""
    from unittest import mock

    jax = pytest.importorskip("jax")
    if any(d.platform != "cpu" for d in jax.devices()):
        pytest.skip("the lane is for CPU-only JAX")
    from xpmath.linalg import solvers

    jnp = jax.numpy
    rng = np.random.default_rng(0)
    a_shape, b_shape = shapes
    a_np = rng.standard_normal(a_shape)
    if len(a_shape) >= 2 and a_shape[-1] == a_shape[-2]:
        a_np = a_np + 4 * np.eye(a_shape[-1])
    a, b = jnp.asarray(a_np), jnp.asarray(rng.standard_normal(b_shape))

    def outcome() -> Any:
        try:
            return np.asarray(linalg.solve(a, b))
        except Exception as exc:  # (the error's type and message are the outcome)
            return type(exc), str(exc)

    with mock.patch.object(solvers, "ONE_SYSTEM", _NoLanes()):
        general = outcome()
    solvers.SOLVE_LANE.clear()
    linalg.solve(jnp.eye(2, dtype=a.dtype), jnp.ones(2, dtype=a.dtype))  # (fills the lanes)
    assert solvers.ONE_SYSTEM[type(a)](a, b) is None
    got = outcome()
    if isinstance(general, np.ndarray):
        np.testing.assert_array_equal(got, general)
    else:
        assert got == general and issubclass(general[0], xpmath.XpmathError)


def test_jax_small_system_kernel_under_transforms() -> None:
    """CPU JAX's kernel for up to 8 unknowns (LU and written-out substitution) is what
    ``jit``, ``vmap`` and ``grad`` trace too: NumPy's answers, ``jnp.linalg.solve``'s
    gradients, NaN for a singular member of a batch under ``jit``."""
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy
    rng = np.random.default_rng(7)
    for n in (1, 3, 8, 9):  # (9: jnp's solve)
        a_np = (rng.standard_normal((5, n, n)) + n * np.eye(n))[:, rng.permutation(n)]
        b_np = rng.standard_normal((5, n))
        want = np.linalg.solve(a_np, b_np[..., None])[..., 0]
        a, b = jnp.asarray(a_np), jnp.asarray(b_np)
        np.testing.assert_allclose(jax.vmap(linalg.solve)(a, b), want, rtol=1e-12)
        np.testing.assert_allclose(jax.jit(linalg.solve)(a[0], b[0]), want[0], rtol=1e-12)
        for argnum in (0, 1):
            ours = jax.grad(lambda *ab: linalg.solve(*ab).sum(), argnum)(a[0], b[0])
            ref = jax.grad(lambda *ab: jnp.linalg.solve(*ab).sum(), argnum)(a[0], b[0])
            np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-14)
    singular = jnp.asarray(np.stack([np.eye(3), np.ones((3, 3))]))
    x = jax.jit(jax.vmap(linalg.solve))(singular, jnp.ones((2, 3)))
    assert np.all(np.asarray(x[0]) == 1.0) and np.all(np.isnan(np.asarray(x[1])))
