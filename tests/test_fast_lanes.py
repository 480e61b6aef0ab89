"""Small-input fast lanes give what the code they shortcut gives.

Per-call overhead on small arrays is cut by lanes that skip array operations: NumPy's
``gradient`` written into one output, ``trapezoid`` reading a 1-D vector's ends as Python
floats (NumPy, CPU torch), an optimiser step's check read on the host
(:meth:`Backend.step_check`), a distribution's array parameters remembered. On the eager
backends that do not compile, the public result must be bit-identical to the generic
array-API code run on the same backend, NaN, ±inf and float32 included; under a compiler
(JAX) it must match NumPy within the dtype's rounding.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from xpmath import calculus, linalg, stats
from xpmath.calculus.differences import _gradient_axis
from xpmath.calculus.integrate import _trapezoid

EDGES = [0.0, -0.0, 1.0, -2.5, 1e300, -1e300, math.inf, -math.inf, math.nan, 5e-324]


def _samples(data: Any, min_side: int) -> np.ndarray:
    dtype = data.draw(st.sampled_from([np.float64, np.float32]), label="dtype")
    shape = data.draw(
        hnp.array_shapes(min_dims=1, max_dims=3, min_side=min_side, max_side=6), label="shape"
    )
    finite = st.floats(-1e3, 1e3, width=32)
    values = st.one_of(finite, st.sampled_from(EDGES)) if data.draw(st.booleans()) else finite
    with np.errstate(all="ignore"):
        return data.draw(hnp.arrays(np.float64, shape, elements=values)).astype(dtype)


def _exact(bk: Any) -> bool:
    """Eager and not compiling: the lanes must reproduce the generic code bit for bit."""
    return bool(bk.eager and not bk.backend.compiles)


def _same(bk: Any, got: Any, generic: Any, ref: np.ndarray, scale: float, slack: float) -> None:
    """Bit for bit the generic code where :func:`_exact` (but ``slack``, absolute), else
    NumPy's float64 answer to the dtype's rounding of ``scale`` (the input's magnitude)."""
    got_np = np.asarray(bk.to_numpy(got))
    assert got_np.dtype == ref.dtype and got_np.shape == ref.shape
    if _exact(bk):
        want = np.asarray(bk.to_numpy(generic))
        close = (got_np == want) | (np.isnan(got_np) & np.isnan(want))
        with np.errstate(invalid="ignore"):  # inf - inf where both are infinite
            close |= np.isfinite(want) & (np.abs(got_np - want) <= slack)
        assert close.all(), (got_np, want)
        return
    tol = 1e-5 if ref.dtype == np.float32 else 1e-12
    fin = np.isfinite(ref)
    np.testing.assert_array_equal(np.isnan(got_np), np.isnan(ref))
    np.testing.assert_array_equal(got_np[~fin & ~np.isnan(ref)], ref[~fin & ~np.isnan(ref)])
    np.testing.assert_allclose(got_np[fin], ref[fin], rtol=tol, atol=tol * max(scale, 1.0))


@given(data=st.data())
def test_gradient_matches_the_generic_code(bk, data) -> None:
    f = _samples(data, min_side=3)
    axis = data.draw(st.integers(0, f.ndim - 1), label="axis")
    edge_order = data.draw(st.sampled_from([1, 2]), label="edge_order")
    h = data.draw(st.sampled_from([1.0, 0.3, 2.0]), label="h")
    x = bk.asarray(f)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        got = bk.call(lambda a: calculus.gradient(a, h, axis=axis, edge_order=edge_order), x)
        generic = _gradient_axis(bk.xp, x, h, axis, edge_order)
        ref = np.gradient(f.astype(np.float64), h, axis=axis, edge_order=edge_order)
    # under a compiler XLA may fuse a NaN-making edge differently: finite data there
    if _exact(bk) or np.all(np.isfinite(f)):
        # torch's own gradient scales in another order: subnormal results may differ by a step
        slack = 4 * np.finfo(f.dtype).smallest_subnormal / h
        _same(bk, got, generic, ref.astype(f.dtype), 4 * np.abs(f).max() / h, slack)


@given(data=st.data())
def test_jax_unit_gradient_is_the_generic_code(data) -> None:
    """JAX's lane for unit spacing and first-order edges (``jnp.gradient``): the generic
    stencil's bits, run operation by operation, on every axis."""
    jax = pytest.importorskip("jax")
    f = _samples(data, min_side=2)
    x = jax.numpy.asarray(f)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        got = calculus.gradient(x)
        got = list(got) if isinstance(got, tuple) else [got]
        for ax in range(f.ndim):
            want = np.asarray(_gradient_axis(jax.numpy, x, 1.0, ax, 1))
            out = np.asarray(got[ax])
            assert out.dtype == f.dtype
            np.testing.assert_array_equal(out, want)  # (NaN in the same places counts equal)
            # NumPy's, but for subnormal results: XLA on a CPU flushes them to zero
            tiny = np.finfo(f.dtype).tiny
            np.testing.assert_allclose(out, np.gradient(f, axis=ax), rtol=0, atol=tiny)


@given(data=st.data())
def test_trapezoid_matches_the_generic_code(bk, data) -> None:
    y = _samples(data, min_side=2)
    axis = data.draw(st.integers(0, y.ndim - 1), label="axis")
    dx = data.draw(st.sampled_from([1.0, 0.5, 3.0]), label="dx")
    x = bk.asarray(y)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        got = bk.call(lambda a: calculus.trapezoid(a, dx=dx, axis=axis), x)
        generic = _trapezoid(bk.xp, x, dx, axis)
        ref = np.asarray(np.trapezoid(y.astype(np.float64), dx=dx, axis=axis))
    # under a compiler: sums that cannot overflow, whatever the order of addition
    if _exact(bk) or (np.all(np.isfinite(y)) and np.all(np.abs(y) < np.finfo(y.dtype).max / 64)):
        # torch's own N-D trapezoid halves y0 + yn where the generic code adds halves: they
        # differ by a subnormal step per end where an end is subnormal
        slack = 2 * dx * np.finfo(y.dtype).smallest_subnormal
        _same(bk, got, generic, ref.astype(y.dtype), np.abs(y).sum() * dx, slack)


@given(
    shape=st.one_of(
        st.tuples(st.integers(1, 40)), hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)
    ),
    data=st.data(),
    dtype=st.sampled_from([np.float64, np.float32]),
    complex_x=st.booleans(),
)
def test_step_check_reads_what_the_array_expression_gives(
    bk, shape, data, dtype, complex_x
) -> None:
    """One read per optimiser step: |g|² where the new iterate is finite, else NaN (the
    acceptance rule rejects both NaN and an overflowing norm). Short vectors take a lane of
    Python floats; other shapes, and a complex iterate, must read the same."""
    if not bk.eager:
        pytest.skip("the check is read eagerly; traced loops use the acceptance rule directly")
    g_el = st.sampled_from([*EDGES[:4], 3.0])
    g = data.draw(hnp.arrays(np.float64, shape, elements=g_el), label="g")
    x = data.draw(hnp.arrays(np.float64, shape, elements=st.sampled_from(EDGES)), label="x")
    with np.errstate(all="ignore"):
        g, x = g.astype(dtype), x.astype(dtype)
        want = float(np.sum(g.astype(np.float64) ** 2).astype(dtype))
    finite = bool(np.all(np.isfinite(x)))
    if complex_x:
        x = x + 1j * x[::-1] if x.ndim else x + 1j * x
        finite = bool(np.all(np.isfinite(x)))
    got = float(bk.backend.step_check(bk.asarray(g), bk.asarray(x)))
    if not finite:
        assert math.isnan(got)
    elif math.isinf(want):
        assert math.isinf(got) or got >= np.finfo(dtype).max / 4
    else:
        assert got == pytest.approx(want, rel=1e-5 if dtype == np.float32 else 1e-13)


@given(
    shape=st.one_of(
        st.tuples(st.integers(0, 40)), hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)
    ),
    data=st.data(),
    dtype=st.sampled_from([np.float64, np.float32]),
)
def test_host_norm_is_the_2_norm_or_none(bk, shape, data, dtype) -> None:
    """``Backend.host_norm``: the 2-norm of a short float64 vector as a Python float where the
    backend reads one on the host (it bounds the plain optimiser loop's iterates), else None;
    an overflowing or non-finite norm reads as inf or NaN, never as a finite number."""
    if not bk.eager:
        pytest.skip("host norms are read eagerly")
    v = data.draw(hnp.arrays(np.float64, shape, elements=st.sampled_from(EDGES)), label="v")
    v = v.astype(dtype)
    got = bk.backend.host_norm(bk.asarray(v))
    if got is None:
        return
    assert type(got) is float and dtype == np.float64 and v.size <= 32
    if np.isinf(v).any():  # IEEE hypot: an infinite entry makes +inf, even beside a NaN
        assert got == math.inf
    elif np.isnan(v).any():
        assert math.isnan(got)
    else:  # the scaled 2-norm: the squares of entries near 1e300 must not overflow
        big = float(np.abs(v).max(initial=0.0))
        want = big * math.sqrt(float(np.sum((v / big) ** 2))) if big else 0.0
        assert got == pytest.approx(want, rel=1e-13)


def test_distribution_parameters_set_later_are_seen(bk) -> None:
    """The array parameters a distribution remembers are looked up again once one is set."""
    d = stats.norm(0.0, 1.0)
    x = np.array([0.5, 1.5])
    np.testing.assert_allclose(np.asarray(d.cdf(x)), [0.69146246, 0.93319280], rtol=1e-7)
    d.loc = bk.asarray(np.array([1.0, 1.0]))
    out = d.cdf(bk.asarray(x))
    assert type(out) is type(bk.asarray(x))
    np.testing.assert_allclose(bk.to_numpy(out), [0.30853754, 0.69146246], rtol=1e-7)
    assert repr(d).startswith("norm(loc=") and "_array_params" not in repr(d)


def test_lanes_step_aside_under_torch_transforms() -> None:
    """The host lanes read values: under ``torch.func`` transforms (tensors without storage)
    and autograd they leave the work to torch, which traces it."""
    torch = pytest.importorskip("torch")
    y = torch.tensor([[1.0, 2.0, 4.0], [0.5, 0.5, -3.0]], dtype=torch.float64)
    batched = torch.func.vmap(calculus.trapezoid)(y)
    np.testing.assert_array_equal(batched.numpy(), np.trapezoid(y.numpy(), axis=-1))
    g = torch.func.grad(calculus.trapezoid)(y[0])
    np.testing.assert_array_equal(g.numpy(), [0.5, 1.0, 0.5])
    leaf = y[0].clone().requires_grad_()
    linalg.solve(torch.eye(3, dtype=torch.float64) * 2, leaf).sum().backward()
    np.testing.assert_array_equal(leaf.grad.numpy(), [0.5, 0.5, 0.5])


@given(
    x=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=7),
        elements=st.one_of(st.floats(-1e3, 1e3), st.sampled_from(EDGES)),
    ),
    dtype=st.sampled_from([np.float64, np.float32, np.float16, np.complex128]),
)
def test_sum_is_finite_never_passes_a_non_finite_entry(bk, x, dtype) -> None:
    """The finite-result guard's one read: True only when every entry is finite, and True
    whenever the entries and their float64 sum are (False sends the guard to its exact
    per-entry test, so an overflowing sum of finite entries may answer either way)."""
    with np.errstate(all="ignore"):
        x = x.astype(dtype)
        total = np.sum(x.astype(np.complex128 if x.dtype.kind == "c" else np.float64))
    assume(dtype is not np.float16 or bk.name != "array_api_strict")  # (the standard has none)
    arr = bk.asarray(x)
    if not bk.backend.eager:  # lazy (Dask): nothing is read, and the guard goes the per-entry way
        assert bk.backend.finite_now(arr) is False
        return
    got = bk.backend.sum_is_finite(arr)
    # finite_now (is_concrete and sum_is_finite in one call, with a host lane on CPU JAX)
    assert bool(bk.backend.finite_now(arr)) == bool(got)
    if not np.all(np.isfinite(x)):
        assert got is False or not got
    elif np.isfinite(total) and np.abs(x).max(initial=0) < np.finfo(dtype).max / 64:
        assert got


def test_finite_now_reads_no_traced_array(monkeypatch) -> None:
    """Under ``jax.jit`` the guard cannot read: ``finite_now`` says False (and counts the
    traced read, so a kernel that asks it is known not to compile), also when it is first
    asked while tracing (the concrete array type it remembers is not a tracer's)."""
    jax = pytest.importorskip("jax")
    from xpmath._dispatch import backend_of

    b = backend_of(jax.numpy.ones(2))
    monkeypatch.setattr(b, "_host_type", None)  # as in a fresh process
    seen = []
    jax.jit(lambda v: seen.append(b.finite_now(v)) or v)(jax.numpy.ones(3))
    assert seen == [False]
    assert b.finite_now(jax.numpy.ones(3)) is True
    assert b.finite_now(jax.numpy.array([1.0, math.nan])) is False


@pytest.mark.parametrize(
    "dtype", ["float64", "float32", "bfloat16", "float16", "int32", "bool", "complex64"]
)
def test_finite_now_reads_every_jax_dtype(dtype) -> None:
    """On CPU JAX the guard's read views a float buffer; empty arrays and dtypes without one
    (bfloat16 has none at all, complex and half have no float one) take the NumPy view."""
    jax = pytest.importorskip("jax")
    from xpmath._dispatch import backend_of

    jnp = jax.numpy
    b = backend_of(jnp.ones(2))
    assert b.finite_now(jnp.ones((2, 3), dtype=dtype)) is True
    assert b.finite_now(jnp.ones((2, 0), dtype=dtype)) is True  # (a buffer of no bytes)
    if dtype not in ("int32", "bool"):
        bad = jnp.ones(5, dtype=dtype).at[3].set(math.inf)
        assert b.finite_now(bad) is False
        assert b.finite_now(jnp.ones(5, dtype=dtype).at[0].set(math.nan)) is False
