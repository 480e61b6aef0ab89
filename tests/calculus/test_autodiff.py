"""grad / value_and_grad / jacobian / hessian against closed forms, on every backend."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import xpmath
from xpmath import calculus, linalg, nn


def _f(x):
    xp = xpmath.namespace(x)
    return xp.sum(xp.sin(x) * xp.exp(0.5 * x))


def _df(x):
    return np.cos(x) * np.exp(0.5 * x) + 0.5 * np.sin(x) * np.exp(0.5 * x)


def test_grad_matches_closed_form(bk, rng) -> None:
    x = rng.uniform(-2, 2, 5)
    g = calculus.grad(_f)
    got = bk.to_numpy(bk.call(g, bk.asarray(x)))
    np.testing.assert_allclose(got, _df(x), rtol=1e-8, atol=1e-10)
    assert g.method in ("native", "complex-step", "richardson")
    if bk.backend.has_autodiff:
        assert g.method == "native"


def test_product_and_chain_rule(bk, rng) -> None:
    x = rng.uniform(0.5, 2.0, 3)

    def f(v):
        return xpmath.namespace(v).sin(v)

    def g(v):
        return v**3

    def prod(v):
        return xpmath.namespace(v).sum(f(v) * g(v))

    def chain(v):
        return xpmath.namespace(v).sum(f(g(v)))

    gp = bk.to_numpy(bk.call(calculus.grad(prod), bk.asarray(x)))
    gc = bk.to_numpy(bk.call(calculus.grad(chain), bk.asarray(x)))
    np.testing.assert_allclose(gp, np.cos(x) * x**3 + np.sin(x) * 3 * x**2, rtol=1e-8)
    np.testing.assert_allclose(gc, np.cos(x**3) * 3 * x**2, rtol=1e-8)


def test_value_and_grad_and_argnums(bk, rng) -> None:
    a, b = rng.standard_normal(3), rng.standard_normal(3)

    def f(u, v):
        return xpmath.namespace(u).sum(u * u * v)

    val, (ga, gb) = calculus.value_and_grad(f, argnums=(0, 1))(bk.asarray(a), bk.asarray(b))
    np.testing.assert_allclose(float(bk.to_numpy(val)), np.sum(a * a * b), rtol=1e-12)
    np.testing.assert_allclose(bk.to_numpy(ga), 2 * a * b, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(bk.to_numpy(gb), a * a, rtol=1e-8, atol=1e-10)


def test_jacobian_and_hessian(bk, rng) -> None:
    x = rng.uniform(-1, 1, 3)
    jac = bk.to_numpy(calculus.jacobian(lambda v: v**2)(bk.asarray(x)))
    np.testing.assert_allclose(jac, np.diag(2 * x), atol=1e-8)

    def f(v):
        return v[0] ** 2 * v[1] + v[2] ** 3

    hes = bk.to_numpy(calculus.hessian(f)(bk.asarray(x)))
    ref = np.array([[2 * x[1], 2 * x[0], 0], [2 * x[0], 0, 0], [0, 0, 6 * x[2]]])
    np.testing.assert_allclose(hes, ref, atol=1e-6)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("method", ["auto", "richardson"])
def test_jacobian_at_a_non_finite_component(bk, rng, bad, method) -> None:
    """An inf or NaN component spoils only its own output's row, as autodiff does: the
    numerical step along it used to be inf or NaN, and 0 * inf made every other component's
    partial along it NaN (Dask and Richardson). tanh's derivative at ±inf is 0."""
    x = rng.uniform(-1, 1, 4)
    k = int(rng.integers(4))
    x[k] = bad
    jac = bk.to_numpy(bk.call(calculus.jacobian(nn.tanh, method=method), bk.asarray(x)))
    with np.errstate(all="ignore"):
        want = np.diag(1 - np.tanh(x) ** 2)
    want[k] = np.nan if np.isnan(bad) else 0.0
    np.testing.assert_allclose(jac, want, rtol=1e-7, atol=1e-9)


@given(
    x=st.lists(
        st.one_of(st.floats(-1e6, 1e6), st.floats(1e-12, 1e-3), st.floats(-1e-3, -1e-12)).filter(
            lambda v: abs(v) >= 1e-12  # (1/x has a pole at 0; -1/x² overflows near it)
        ),
        min_size=1,
        max_size=4,
    )
)
@example(x=[406996.5344927327, 1e6, 3.0])
@settings(max_examples=5)  # (each example builds several Dask graphs or jit programs)
def test_richardson_partials_far_from_the_unit_scale(bk, x) -> None:
    """Numerical partials take their step scale per component (the unit or |x_k|, as
    ``derivative`` does): d/dx sum(sin x) at 1e6 was -1.6e-4 for cos = 0.937 with steps of
    scale |x|; the Hessian's diagonal, -sin x, comes the same way on NumPy."""
    x = np.array(x)
    xp = bk.xp
    g = calculus.grad(lambda v: xp.sum(xp.sin(v)), method="richardson")
    got = bk.to_numpy(bk.call(g, bk.asarray(x)))
    np.testing.assert_allclose(got, np.cos(x), rtol=1e-9, atol=1e-9)
    jac = calculus.jacobian(lambda v: 1 / v, method="richardson")
    got = bk.to_numpy(bk.call(jac, bk.asarray(x)))
    np.testing.assert_allclose(np.diag(got), -1 / x**2, rtol=1e-8)
    x = x[:1]  # (a numerical Hessian differentiates a numerical gradient: n² partials)
    hess = bk.to_numpy(bk.call(calculus.hessian(lambda v: xp.sum(xp.sin(v))), bk.asarray(x)))
    np.testing.assert_allclose(np.diag(hess), -np.sin(x), rtol=1e-6, atol=1e-7)


def _mixed(v):
    """A function whose Hessian has every kind of entry: diagonal, mixed, zero (and whose
    values stay near its Hessian's size: Richardson's rounding error is about 1e-10·|f|)."""
    xp = xpmath.namespace(v)
    return xp.sum(xp.sin(v)) + v[0] * xp.sin(v[-1]) + xp.tanh(v[0]) * v[1 % v.shape[0]]


def _mixed_hessian(x: np.ndarray) -> np.ndarray:
    n = x.size
    h = np.diag(-np.sin(x))
    h[0, -1] += np.cos(x[-1])
    h[-1, 0] += np.cos(x[-1])
    h[-1, -1] -= x[0] * np.sin(x[-1])
    j, t = 1 % n, np.tanh(x[0])
    h[0, 0] += -2 * t * (1 - t * t) * x[j]
    h[0, j] += 1 - t * t
    h[j, 0] += 1 - t * t
    return h


@given(
    x=st.lists(
        st.one_of(st.floats(-3, 3), st.floats(-1e5, 1e5), st.floats(1e-8, 1e-2)),
        min_size=1,
        max_size=4,
    ),
    method=st.sampled_from(["richardson", "complex-step", "auto"]),
)
@example(x=[406996.5344927327, 2.0], method="richardson")  # steps of 4e5 along x_0
@example(x=[1012.0], method="richardson")
@example(x=[0.5, -1.0, 2.0], method="complex-step")  # raised a raw TypeError before
@example(x=[0.0, 6.103515625e-05, -8022.788240652211, 583.509559112208], method="richardson")
# (steps of 3e-300 along x_0 paired with 122·h along x_1: the mixed entry 1.2e-4 off)
@example(x=[3.205124895592204e-298, 122.0], method="richardson")
@settings(max_examples=8)
def test_hessian_matches_closed_form_by_every_method(bk, x, method) -> None:
    """method="richardson" (and "auto" where the values cannot be read: Dask, jit) takes
    second differences of f at each component's two step scales; "complex-step" is Richardson
    over a complex-step gradient (it raised TypeError: the outer step was complex too)."""
    x = np.array(x)
    if method == "complex-step" and (bk.jit or bk.name == "dask"):
        return  # (complex steps are a concrete rule: "auto" there takes Richardson's)
    if bk.jit and method == "richardson":
        x = x[:2]  # (12·n(2n−1) traced calls of f at two scales: n = 4 compiled for 3.4 s)
    h = calculus.hessian(_mixed, method=method)
    got = bk.to_numpy(bk.call(h, bk.asarray(x)))
    want = _mixed_hessian(x)
    scale = max(1.0, float(np.abs(x).max()))
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7 * scale)
    if h.method != "native":  # (second differences fill both triangles from one entry)
        np.testing.assert_array_equal(got, got.T)
    if not bk.jit and not (method == "auto" and bk.backend.has_autodiff):
        assert (
            h.method == method if method != "auto" else h.method in ("richardson", "complex-step")
        )


@pytest.mark.parametrize("tiny", [3.2e-298, 1e-310, 0.0])
def test_hessian_at_a_tiny_component_is_exact_and_quiet(bk, tiny) -> None:
    """Steps of h·|x_p| underflow where x_p is subnormal or near it: their quotients divide by
    zero and lose to the other scale, without a RuntimeWarning from the quotient arithmetic."""
    if bk.jit:
        pytest.skip("the jax row covers the rule; the compiled Hessian takes 3 s to build")
    x = np.array([tiny, 122.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = bk.to_numpy(bk.call(calculus.hessian(_mixed, method="richardson"), bk.asarray(x)))
    np.testing.assert_allclose(got, _mixed_hessian(x), rtol=1e-8, atol=1e-9)


@given(x=st.lists(st.one_of(st.floats(0.05, 1.0), st.floats(1e-4, 1e-2)), min_size=1, max_size=3))
@example(x=[0.8812995553016663, 0.916499137878418, 0.0062851072289049625])
@settings(max_examples=10)
def test_float32_hessian_where_the_gradient_is_numerical(bk, x) -> None:
    """vector_norm is not complex-analytic, so "auto" finds f's gradient Richardson on the
    backends without autodiff. A Richardson Jacobian of that gradient took none of its noise
    into the outer error and gave 1.9914 for 2 at a float32 component of 0.0063; the Hessian
    now takes second differences of f there, as method="richardson" does."""
    x = np.array(x, dtype=np.float32)
    h = calculus.hessian(lambda v: linalg.vector_norm(v) ** 2)
    got = bk.to_numpy(bk.call(h, bk.asarray(x)))
    assert got.dtype == np.float32
    tol = 4 * float(np.finfo(np.float32).eps) ** 0.5  # (second differences: about sqrt(eps))
    np.testing.assert_allclose(got, 2 * np.eye(x.size), rtol=0, atol=2 * tol)
    if not bk.backend.has_autodiff and not bk.jit:
        assert h.method == "richardson"


@pytest.mark.parametrize("n", [1, 3, 5])
def test_numerical_hessian_and_jacobian_evaluations_grow_as_n_squared_and_n(n) -> None:
    """Second differences take 6 evaluations per diagonal entry and step scale, 12 per mixed
    entry and pairing of its components' two scales (12·n(2n−1), one more for f(x)); the
    nested Richardson it replaced took 144·n³ (1296 at n = 3: 21 s of Dask graph). A
    Jacobian's columns come from the evaluations one gradient takes, not one per output."""
    calls = []

    def f(v):
        calls.append(1)
        return (v**2).sum() + v[0] * v[-1]

    x = np.linspace(0.3, 0.9, n)  # (below 1: two step scales per component)
    calculus.hessian(f, method="richardson")(x)
    assert len(calls) <= 12 * n * (2 * n - 1) + 1

    calls.clear()

    def g(v):
        calls.append(1)
        return np.stack([v.sum(), (v**2).sum(), v[0] * v[-1]])

    calculus.jacobian(g, method="richardson")(x)
    assert len(calls) <= 12 * n + 1


def _two_args(x, y):
    return linalg.vector_norm(x) ** 2 * (1 + linalg.vector_norm(y) ** 2) + x[0] * y[1] ** 3


def _two_args_hessian(x: np.ndarray, y: np.ndarray) -> list[list[np.ndarray]]:
    """The closed form of :func:`_two_args`'s Hessian blocks [i][j] = d/dx_j (df/dx_i)."""
    nx, ny = x @ x, y @ y
    hxx = 2 * (1 + ny) * np.eye(x.size)
    hyy = 2 * nx * np.eye(y.size)
    hyy[1, 1] += 6 * x[0] * y[1]
    hxy = 4 * np.outer(x, y)
    hxy[0, 1] += 3 * y[1] ** 2
    return [[hxx, hxy], [hxy.T, hyy]]


def test_hessian_in_two_arguments_has_every_block(bk, rng) -> None:
    """``argnums=(0, 1)`` gives all four blocks, nested as jax.hessian and
    torch.func.hessian nest them; the numerical rule gave only the two diagonal ones."""
    x, y = rng.uniform(-1, 1, 2), rng.uniform(-1, 1, 2)  # (numerically, n² partials each)
    got = bk.call(calculus.hessian(_two_args, argnums=(0, 1)), bk.asarray(x), bk.asarray(y))
    want = _two_args_hessian(x, y)
    assert len(got) == 2 and all(len(row) == 2 for row in got)
    for i in range(2):
        for j in range(2):
            np.testing.assert_allclose(bk.to_numpy(got[i][j]), want[i][j], atol=1e-6)


@pytest.mark.parametrize("kind", ["jacobian", "hessian", "grad"])
def test_derivatives_of_an_empty_input_are_empty(bk, kind) -> None:
    """torch.func's forward mode vmaps over a basis of the input, which fails for an empty
    one (IndexError); NumPy's numerical rules and JAX give empty arrays."""
    x = bk.asarray(np.ones(0))
    f = (lambda v: v * 2.0) if kind == "jacobian" else (lambda v: linalg.vector_norm(v) ** 2)
    got = bk.to_numpy(bk.call(getattr(calculus, kind)(f), x))
    assert got.shape == {"jacobian": (0, 0), "hessian": (0, 0), "grad": (0,)}[kind]


@given(
    x=st.lists(st.floats(1e-6, 1e3).map(lambda v: v * (-1) ** int(v * 1e6)), min_size=1,
               max_size=4),
    scale=st.sampled_from([1e-12, 1e-6, 1.0, 1e3]),
)  # fmt: skip
@example(x=[-0.00010955, 0.00099678, -0.00013305, 0.00029548], scale=1.0)
@example(x=[1.0, 0.001], scale=1e-12)  # (second differences round at f's whole value)
@settings(max_examples=8)
def test_gradients_of_small_non_analytic_functions(bk, x, scale) -> None:
    """Im |x + ih|³ is 0, so complex steps give a zero gradient of |x|³; "auto" checks them
    against a real-arithmetic derivative, which took an absolute 1e-6 as agreement: every
    gradient below 1e-6 passed (|x|³ at 1e-4, or 1e-9·|x|), and came back 0."""
    x = np.array(x)
    xp = bk.xp
    g = calculus.grad(lambda v: scale * xp.sum(xp.abs(v) ** 3))
    got = bk.to_numpy(bk.call(g, bk.asarray(x)))
    want = scale * 3 * x * np.abs(x)
    # (a partial is exact to rounding of f's whole value: about 1e-19 of 3e-12 where x_1 is 1
    # and x_2 is 162 at scale 1e-12, so the atol is relative to the largest partial)
    np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-9 * float(np.abs(want).max()))
    if bk.name not in ("numpy", "array_api_strict"):
        return  # (the check of complex steps runs on concrete values without autodiff only)
    h = calculus.hessian(lambda v: scale * xp.sum(xp.abs(v) ** 3))
    got = bk.to_numpy(bk.call(h, bk.asarray(x)))
    want = np.diag(scale * 6 * np.abs(x))
    # second differences at steps of x_p's size round at f's whole value: x = [1, 0.001] at
    # scale 1e-12 gives d²f/dx_2² = 6e-15 to within 1.5e-17, not 1e-5 of it
    unit = np.minimum(np.abs(x), 1.0)
    tol = 1e-9 * scale * float(np.sum(np.abs(x) ** 3)) / np.outer(unit, unit)
    assert np.all(np.abs(got - want) <= 1e-5 * np.abs(want) + tol), (got, want)


def test_non_analytic_function_falls_back_to_richardson() -> None:
    g = calculus.grad(lambda v: np.abs(v).sum())
    np.testing.assert_allclose(g(np.array([-1.5, 2.0])), [-1.0, 1.0], rtol=1e-8)
    assert g.method == "richardson"


def test_bad_arguments() -> None:
    with pytest.raises(xpmath.InvalidArgumentError, match="func must be callable"):
        calculus.grad(3)
    with pytest.raises(xpmath.InvalidArgumentError, match="method"):
        calculus.grad(np.sum, method="magic")
    with pytest.raises(xpmath.InvalidArgumentError, match="argnums"):
        calculus.grad(np.sum, argnums=-1)
    with pytest.raises(xpmath.BackendUnavailableError, match="no native autodiff"):
        calculus.grad(np.sum, method="native")(np.ones(2))
