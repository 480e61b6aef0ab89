"""minimize in SciPy's habits, found by running SciPy's own tests: scale-free first steps,
scalar starts, SciPy's signature (hess, hessp, callback) and its disp warnings."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.optimize as so

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
