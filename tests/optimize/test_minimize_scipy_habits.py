"""minimize in SciPy's habits, found by running SciPy's own tests: scale-free first steps,
scalar starts, SciPy's signature (hess, hessp, callback) and its disp warnings."""

from __future__ import annotations

import itertools
import re
import warnings

import numpy as np
import pytest
import scipy.optimize as so
from hypothesis import given, settings
from hypothesis import strategies as st

import xpmath
from xpmath import InvalidArgumentError, OptimizeWarning, optimize


@pytest.mark.parametrize("scale", [1e-50, 1.0, 1e50])
@pytest.mark.parametrize("method", ["BFGS", "CG", "L-BFGS-B"])
def test_first_step_does_not_depend_on_the_gradient_scale(bk, method, scale) -> None:
    """A 1e-50-scaled quadratic moved by 1e-50 per step and stopped with 'precision loss'."""
    if bk.name == "torch" and scale != 1.0:
        pytest.skip("torch's default float32 cannot hold 1e±50")

    def f(x):
        return scale * bk.xp.sum((x - 1.0) ** 2)

    opts = {"gtol": scale * 1e-8}  # the gradient tolerance is absolute, as SciPy's
    x0 = bk.asarray(np.array([-1.0, 0.5]))
    x = bk.call(lambda a: optimize.minimize(f, a, method=method, options=opts).x, x0)
    np.testing.assert_allclose(bk.to_numpy(x), [1.0, 1.0], rtol=1e-6)
    if bk.eager:
        res = optimize.minimize(f, x0, method=method, options=opts)
        assert res.success and res.nit <= 3, res


def test_scalar_start_is_a_one_vector_as_scipy() -> None:
    res = optimize.minimize(lambda x: ((x - 2.0) ** 2).sum(), 17.0)
    ref = so.minimize(lambda x: ((x - 2.0) ** 2).sum(), 17.0)
    assert res.x.shape == ref.x.shape == (1,)
    np.testing.assert_allclose(res.x, ref.x, atol=1e-6)
    assert res.njev == res.nfev


@pytest.mark.parametrize("jac", [None, lambda x: np.ones_like(x)])
@pytest.mark.parametrize("method", ["BFGS", "Nelder-Mead"])
def test_non_scalar_objective_is_an_xpmath_error(jac, method) -> None:
    with pytest.raises(InvalidArgumentError, match="must return a scalar"):
        optimize.minimize(lambda x: x, np.ones((2, 1)), jac=jac, method=method)


def test_scipy_signature_hess_hessp_callback() -> None:
    f = so.rosen
    with pytest.warns(RuntimeWarning, match=r"does not use Hessian information \(hess\)"):
        res = optimize.minimize(f, np.zeros(3), method="BFGS", hess=so.rosen_hess)
    assert res.success
    with pytest.warns(OptimizeWarning, match=r"\(hessp\)"):
        optimize.minimize(f, np.zeros(3), (), "CG", None, None, so.rosen_hess_prod)
    with pytest.warns(RuntimeWarning, match=r"does not use gradient information"):
        optimize.minimize(f, np.zeros(2), method="Nelder-Mead", jac=so.rosen_der)
    with pytest.raises(InvalidArgumentError, match="callback is not offered"):
        optimize.minimize(f, np.zeros(2), callback=lambda xk: None)


def test_disp_warns_on_failure_with_scipys_class() -> None:
    """disp=True prints a success and warns a failure, as SciPy; the warning is also SciPy's
    OptimizeWarning, so filters written for SciPy catch it."""
    with pytest.warns(so.OptimizeWarning, match="Maximum number of iterations") as rec:
        res = optimize.minimize(so.rosen, np.zeros(2), options={"disp": True, "maxiter": 3})
    assert not res.success and isinstance(rec[0].message, OptimizeWarning)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        optimize.minimize(so.rosen, np.zeros(2), options={"disp": False, "maxiter": 3})


@pytest.mark.parametrize(
    "run",
    [
        lambda f: optimize.minimize(f, [1.0, 2.0], method="bfgs"),
        lambda f: optimize.minimize(f, [1.0, 2.0], method="nelder-mead"),
        lambda f: optimize.minimize(f, [1.0, 2.0], method="adam"),
        lambda f: optimize.minimize(lambda x: (f(x), 2 * x), [1.0, 2.0], jac=True),
        lambda f: optimize.gradient_descent(f, [1.0, 2.0], lr=0.1, steps=3),
        lambda f: optimize.adam(f, 1.5, lr=0.1, steps=3),
    ],
    ids=["bfgs", "nelder-mead", "adam", "jac=True", "gradient_descent", "adam-scalar"],
)
def test_fun_of_another_backend_with_a_list_start_names_the_way_out(run) -> None:
    """A list or number ``x0`` puts the iterates on the default backend (NumPy here); a
    torch-only objective raises torch's TypeError there, and the user gets a
    BackendMismatchError (a TypeError) that says so and how to start on torch."""
    torch = pytest.importorskip("torch")
    import xpmath

    with xpmath.use("numpy"), pytest.raises(xpmath.BackendMismatchError, match="on numpy") as info:
        run(lambda x: torch.sum(x * x))
    assert isinstance(info.value.__cause__, TypeError) and "Tensor" in str(info.value)
    assert "pass x0 as an array of that backend" in str(info.value)
    # started on torch, the same objective runs and reaches the minimum at 0
    res = optimize.minimize(lambda x: torch.sum(x * x), torch.tensor([1.0, 2.0]).double())
    assert float(torch.abs(res.x).max()) < 1e-6


def _quartic(bk, c):
    """A smooth convex objective with its gradient (so Dask's iterations need no numerical
    one): sum((x - c)^4 + (x - c)^2)."""
    xp = bk.xp

    def f(x):
        d = x - c
        return xp.sum(d**4 + d**2)

    def g(x):
        d = x - c
        return 4 * d**3 + 2 * d

    return f, g


@given(seed=st.integers(0, 2**31 - 1), ftol=st.sampled_from([1e-1, 1e-3, 1e-6]))
@settings(max_examples=4)
def test_lbfgs_ftol_is_scipys_relative_decrease_rule(bk, seed, ftol) -> None:
    """``options={"ftol": ...}`` (SciPy's L-BFGS-B option, refused before) stops at the first
    iteration whose decrease is at most ftol * max(|f_k|, |f_k+1|, 1): the run one iteration
    shorter (the same path) shows the last decrease, and no earlier one was that small."""
    if bk.jit:
        pytest.skip("the rule reads values per iteration; the eager jax row covers the loop")
    rng = np.random.default_rng(seed)
    c, start = rng.uniform(-3, 3, 4), rng.uniform(-3, 3, 4)

    f, g = _quartic(bk, bk.asarray(c))  # (one objective: JAX compiles one program for all
    x0 = bk.asarray(start)  # the runs below, maxiter being an argument of it)

    def run(**opts):
        return optimize.minimize(f, x0, jac=g, method="L-BFGS-B", tol=1e-12, options=opts)

    res = run(ftol=ftol)
    assert res.success and res.status == 1
    values = [float(bk.to_numpy(run(ftol=ftol, maxiter=k).fun)) for k in range(res.nit + 1)]
    np.testing.assert_allclose(float(bk.to_numpy(res.fun)), values[-1], rtol=1e-12, atol=0)
    small = [a - b <= ftol * max(abs(a), abs(b), 1.0) for a, b in itertools.pairwise(values)]
    assert small[-1] and not any(small[:-1]), (values, ftol)
    assert res.nit <= run().nit  # (off by default: only the gradient rule)


@pytest.mark.parametrize(
    ("method", "options", "words"),
    [
        ("L-BFGS-B", {"ftol": -1.0}, "options['ftol'] must be >= 0"),
        ("L-BFGS-B", {"ftol": float("nan")}, "options['ftol'] must be finite"),
        ("BFGS", {"ftol": 1e-3}, "unknown options ['ftol'] for method 'bfgs'"),
        ("CG", {"memory": 3}, "unknown options ['memory'] for method 'cg'"),
        ("Nelder-Mead", {"maxcor": 3}, "unknown options ['memory'] for method 'nelder-mead'"),
        ("BFGS", {"xatol": 1e-3}, "unknown options ['xatol'] for method 'bfgs'"),
    ],
)
def test_options_a_method_does_not_have_are_named(method, options, words) -> None:
    """Each method takes its own options; one it lacks was ignored (memory for BFGS)."""
    with pytest.raises(InvalidArgumentError, match=re.escape(words)):
        optimize.minimize(lambda x: (x * x).sum(), np.ones(2), method=method, options=options)


@pytest.mark.parametrize(
    "options",
    [
        {"adaptive": True},
        {"adaptive": True, "maxfev": 60},
        {"maxfev": 45},
        {"maxfev": 45, "maxiter": 12},
        {"initial_simplex": "given"},
        {"initial_simplex": "given", "adaptive": True, "maxfev": 80},
    ],
)
def test_nelder_mead_takes_scipys_options_and_steps(bk, rng, options) -> None:
    """SciPy's Nelder-Mead options (``adaptive``, ``initial_simplex``, ``maxfev``; refused
    before) take SciPy's steps: the same best vertex and iteration count, and on eager
    backends the same count of evaluations (a compiled loop evaluates every candidate, and
    stops where the eager one does)."""
    if bk.jit:
        pytest.skip("minimize on JAX is compiled already; the jax row covers it")
    x0 = rng.uniform(-2, 2, 3)
    opts = dict(options)
    if opts.get("initial_simplex") == "given":
        opts["initial_simplex"] = x0 + np.vstack([np.zeros(3), 0.3 * np.eye(3)])

    def rosen(x):
        xp = xpmath.namespace(x)
        return xp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)

    want = so.minimize(lambda x: float(rosen(x)), x0, method="Nelder-Mead", options=opts)
    host = optimize.minimize(rosen, x0, method="Nelder-Mead", options=opts)
    mine = dict(opts)
    if "initial_simplex" in mine:
        mine["initial_simplex"] = bk.asarray(mine["initial_simplex"])
    got = optimize.minimize(rosen, bk.asarray(x0), method="Nelder-Mead", options=mine)
    np.testing.assert_allclose(bk.to_numpy(got.x), want.x, rtol=1e-10, atol=1e-12)
    assert got.nit == host.nit == want.nit and got.success == want.success  # (SciPy's count)
    assert host.nfev == want.nfev
    if not bk.backend.compiles:
        assert got.nfev == want.nfev


@pytest.mark.parametrize("maxfev", [44, 45, 46, 49])
def test_nelder_mead_keeps_what_a_cut_off_shrink_evaluated(bk, maxfev) -> None:
    """From this start ``maxfev`` = 45, 46 cut a shrink off after one or two of its three
    evaluations: SciPy keeps the vertices it evaluated (the best of them, 1.753, is its answer);
    abandoning the whole step gave the previous best, 1.932."""
    if bk.jit:
        pytest.skip("minimize on JAX is compiled already; the jax row covers it")
    x0 = np.random.default_rng(4948926672501823847).uniform(-2, 2, 3)

    def rosen(x):
        xp = xpmath.namespace(x)
        return xp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)

    opts = {"maxfev": maxfev}
    want = so.minimize(lambda x: float(rosen(x)), x0, method="Nelder-Mead", options=opts)
    got = optimize.minimize(rosen, bk.asarray(x0), method="Nelder-Mead", options=opts)
    np.testing.assert_allclose(bk.to_numpy(got.x), want.x, rtol=1e-10, atol=1e-12)
    assert float(bk.to_numpy(got.fun)) == pytest.approx(want.fun, rel=1e-12)
    assert got.nit == want.nit and got.success == want.success


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"initial_simplex": np.zeros((3, 3))}, "must have shape (4, 3), one vertex"),
        ({"initial_simplex": np.zeros((4, 2))}, "got shape (4, 2)"),
        ({"adaptive": "yes"}, "options['adaptive'] must be True or False; got 'yes'"),
        ({"maxfev": -1}, "options['maxfev'] must be >= 0"),
        ({"return_all": True}, "unknown options ['return_all']"),
    ],
)
def test_nelder_mead_options_refused_with_their_names(options, words) -> None:
    with pytest.raises(InvalidArgumentError, match=re.escape(words)):
        optimize.minimize(
            lambda x: (x * x).sum(), np.ones(3), method="Nelder-Mead", options=options
        )
