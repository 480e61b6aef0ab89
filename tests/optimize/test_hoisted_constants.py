"""The arrays an objective closes over are arguments of the compiled optimiser program, not
copies compiled into it (``optimize/program_args.hoist``, ``_backends/jax_constants.py``)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xpmath import optimize
from xpmath._dispatch import default_backend
from xpmath.optimize import loop_program
from xpmath.optimize import program_args as pa


@given(
    m=st.integers(1, 12),
    d=st.integers(1, 6),
    dtype=st.sampled_from(["float32", "float64"]),
    host=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_a_hoisted_function_is_the_function(bk, m, d, dtype, host, seed) -> None:
    """``bind(*hoist(fn))`` computes what ``fn`` computes, on every backend; on JAX it holds
    the closed-over arrays (NumPy ones placed on the device) instead of closing over them,
    elsewhere it is ``fn`` itself."""
    r = np.random.default_rng(seed)
    a_np, y_np = r.standard_normal((m, d)).astype(dtype), r.standard_normal(m).astype(dtype)
    a = a_np if host and bk.name == "jax" else bk.asarray(a_np)
    y = bk.asarray(y_np)
    xp = bk.xp

    def loss(w):
        res = xp.matmul(xp.asarray(a), w) - y
        return xp.sum(res * res), res  # (a tuple: the output's structure is kept)

    def hoisted_loss(w):
        (key,), (consts,) = pa.hoist(bk.backend, (loss,), w.shape, w.dtype)
        if bk.name == "jax":  # (also inside a caller's jit: a and y are concrete)
            assert key is not loss and len(consts) == 2  # a and y, arguments now
            assert any(np.array_equal(np.asarray(c), a_np) for c in consts)
        else:
            assert key is loss and consts is None
        return pa.bind(key, consts)(w)

    w = bk.asarray(r.standard_normal(d).astype(dtype))
    got_sum, got_res = bk.call(hoisted_loss, w)
    want = a_np.astype(np.float64) @ bk.to_numpy(w).astype(np.float64) - y_np
    rtol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(bk.to_numpy(got_res), want, rtol=rtol, atol=rtol)
    np.testing.assert_allclose(float(bk.to_numpy(got_sum)), want @ want, rtol=rtol * 10)


def _problem(jnp, m=64, d=16):
    r = np.random.default_rng(3)
    a = jnp.asarray(r.standard_normal((m, d)), dtype=jnp.float32)
    y = jnp.asarray(r.standard_normal(m), dtype=jnp.float32)

    def jac(w):
        return ((a @ w - y) @ a) / m

    def loss(w):
        return jnp.sum((a @ w - y) ** 2) / (2 * m)

    return a, y, jac, loss


def test_the_compiled_program_holds_no_copy_of_the_data() -> None:
    jax = pytest.importorskip("jax")
    jnp = jax.numpy
    b = default_backend("jax")
    a, y, jac, loss = _problem(jnp)
    w0 = jnp.zeros(16, dtype=jnp.float32)
    res = optimize.gradient_descent(loss, w0, jac=jac, lr=0.5, steps=40)
    want = np.zeros(16)  # the same steps in float64
    a64, y64 = np.asarray(a, np.float64), np.asarray(y, np.float64)
    for _ in range(40):
        want = want - 0.5 * ((a64 @ want - y64) @ a64) / 64
    np.testing.assert_allclose(np.asarray(res.x), want, rtol=1e-4, atol=1e-5)

    settings = (("momentum", 0.0, False, 0.0), 40, False, False, False, "gradient_descent")
    tuned = loop_program._tuned(b, (0.5, 0.0, 0.0), w0)
    keys, consts = pa.hoist(b, (loss, jac), w0.shape, w0.dtype)
    hoisted = loop_program._compiled(b, *keys, *settings).lower(w0, tuned, consts)
    closed = loop_program._compiled(b, loss, jac, *settings).lower(w0, tuned, (None, None))

    def big_constants(lowered) -> int:  # constants of A's shape in the program's text
        text = lowered.as_text().splitlines()
        return sum("constant" in line and "64x16xf32" in line for line in text)

    # (what the program held before; XLA then copied it into each computation using it)
    assert big_constants(closed) >= 1
    assert big_constants(hoisted) == 0


def test_closed_over_tracers_stay_the_callers() -> None:
    """Differentiating a run with respect to data its objective closes over: the data are
    the caller's tracers, so nothing is hoisted, and the gradient is the closed form's."""
    jax = pytest.importorskip("jax")
    jnp = jax.numpy
    x0 = jnp.asarray([0.5, -1.0, 2.0], dtype=jnp.float32)
    lr, steps = 0.1, 7

    def final_sum(p):
        def loss(x):
            return jnp.sum((x - p) ** 2)

        # p is grad's tracer: nothing hoisted
        assert default_backend("jax").hoisted(loss, x0.shape, x0.dtype) is None
        run = optimize.gradient_descent(loss, x0, lr=lr, steps=steps)
        return jnp.sum(run.x)

    # x_k = p + (x0 - p) (1 - 2 lr)^k, so d sum(x_k) / dp = 1 - (1 - 2 lr)^k in each entry
    got = jax.grad(final_sum)(jnp.asarray([1.0, 2.0, 3.0], dtype=jnp.float32))
    np.testing.assert_allclose(np.asarray(got), 1 - (1 - 2 * lr) ** steps, rtol=1e-5)


def test_a_function_that_does_not_trace_raises_its_own_error() -> None:
    jax = pytest.importorskip("jax")
    jnp = jax.numpy
    a = jnp.ones((3, 3))

    def branchy(x):
        return jnp.sum(a @ x) if float(x[0]) > 0 else 0.0  # reads a traced value

    with pytest.raises(Exception) as caught:
        optimize.gradient_descent(branchy, jnp.ones(3), lr=0.1, steps=3)
    assert "concrete" in str(caught.value).lower() or "tracer" in str(caught.value).lower()


@pytest.mark.parametrize("method", ["bfgs", "l-bfgs", "cg", "nelder-mead"])
def test_minimize_hoists_at_the_shape_fun_is_called_with(method) -> None:
    """minimize calls ``fun`` at ``x0``'s shape (2-D here) and Nelder-Mead takes its initial
    simplex as the start: the hoisted objective is traced at the shape of the calls, and the
    answers are NumPy's."""
    jax = pytest.importorskip("jax")
    jnp = jax.numpy
    c_np = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], dtype=np.float32)
    c = jnp.asarray(c_np)
    x0 = np.zeros((2, 3), dtype=np.float32)
    opts = {"initial_simplex": np.vstack([x0.ravel(), np.eye(6, dtype=np.float32)])}
    opts = opts if method == "nelder-mead" else {}
    for be, const in (("jax", c), ("numpy", c_np)):
        run = optimize.minimize(
            lambda x, k=const: ((x - k) ** 2).sum(),
            jnp.asarray(x0) if be == "jax" else x0,
            method=method,
            options=opts,
        )
        tol = 2e-3 if method == "nelder-mead" else 1e-4
        np.testing.assert_allclose(np.asarray(run.x), c_np, atol=tol)
        assert np.asarray(run.x).shape == (2, 3)
