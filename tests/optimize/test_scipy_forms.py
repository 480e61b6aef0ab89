"""SciPy's ``minimize`` habits: a scipy.optimize snippet runs with only the import changed."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import xpmath
from xpmath import InvalidArgumentError
from xpmath.optimize import minimize

SNIPPET = """
from scipy.optimize import minimize
from array_api_compat import array_namespace

def rosen(x):
    xp = array_namespace(x)
    return xp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)

def shifted(x, c, w):
    xp = array_namespace(x)
    return xp.sum(w * (x - c) ** 2)

res = minimize(rosen, x0, method=METHOD, options=OPTIONS)
res_args = minimize(shifted, x0, args=(c, 2.0), method=METHOD, options=OPTIONS)
"""

METHODS = {
    "BFGS": {"gtol": 1e-9, "maxiter": 5000},
    "L-BFGS-B": {"gtol": 1e-9, "maxiter": 5000, "maxcor": 8},
    "CG": {"gtol": 1e-9, "maxiter": 5000},
    "Nelder-Mead": {"xatol": 1e-9, "fatol": 1e-13, "maxiter": 8000},
    "bfgs": {"gtol": 1e-9},
    "nelder-mead": {"xatol": 1e-9, "fatol": 1e-13, "maxiter": 8000},
}


def _exec(source: str, env: dict) -> dict:
    exec(compile(source, "<snippet>", "exec"), env)
    return env


@pytest.mark.parametrize("method", list(METHODS))
def test_scipy_minimize_snippet_runs_unchanged(bk, method) -> None:
    if bk.jit:
        pytest.skip("minimize compiles itself on JAX; the jax row covers it")
    if bk.name == "dask" and method != "BFGS":
        pytest.skip("each evaluation is a Dask compute: the other spellings run the same code")
    x0 = np.array([-1.2, 1.0, 0.8])
    c = np.array([0.5, -2.0, 3.0])
    source = SNIPPET.replace("METHOD", repr(method)).replace("OPTIONS", repr(METHODS[method]))
    want = _exec(source, {"x0": x0, "c": c})
    got = _exec(
        source.replace("from scipy.optimize import", "from xpmath.optimize import"),
        {"x0": bk.asarray(x0), "c": bk.asarray(c)},
    )
    for key in ("res", "res_args"):
        r, w = got[key], want[key]
        assert r.success, (key, r.message)
        assert xpmath.namespace(r.x) is bk.xp
        np.testing.assert_allclose(bk.to_numpy(r.x), w.x, rtol=1e-4, atol=1e-5, err_msg=key)
        assert abs(float(r.fun) - float(w.fun)) < 1e-8


def test_jac_true_and_disp(capsys) -> None:
    def f_and_g(x):
        return ((x - 1.0) ** 2).sum(), 2.0 * (x - 1.0)

    res = minimize(f_and_g, np.zeros(4), jac=True, method="L-BFGS-B", options={"disp": True})
    np.testing.assert_allclose(res.x, np.ones(4), atol=1e-8)
    assert "Iterations" in capsys.readouterr().out


def test_unconstraining_bounds_are_accepted() -> None:
    res = minimize(lambda x: ((x - 2.0) ** 2).sum(), [0.0, 0.0], bounds=[(None, None)] * 2)
    np.testing.assert_allclose(res.x, [2.0, 2.0], atol=1e-8)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "SLSQP"}, "method must be one of"),
        ({"method": 3}, "method must be one of"),
        ({"method": "L-BFGS-B", "bounds": [(0.0, 1.0), (None, None)]}, "bounds are not"),
        ({"bounds": "box"}, "bounds are not"),
        ({"constraints": [{"type": "eq", "fun": sum}]}, "constraints are not"),
        ({"maxiter": 3, "options": {"maxiter": 4}}, "maxiter given both"),
        ({"tol": 1e-3, "options": {"gtol": 1e-4}}, "not both"),
        ({"options": {"gtol": -1.0}}, "tol must be > 0"),
    ],
)
def test_scipy_arguments_rejected_clearly(kwargs, match) -> None:
    with pytest.raises(InvalidArgumentError, match=match):
        minimize(lambda x: (x**2).sum(), np.ones(2), **kwargs)


@given(
    method=st.sampled_from(["BFGS", "bfgs", "L-BFGS-B", "l-bfgs", "lbfgs", "CG", "cg"]),
    center=st.lists(st.floats(-50, 50), min_size=1, max_size=5),
)
def test_property_spellings_reach_the_minimum(bk, method, center) -> None:
    if bk.jit or not bk.backend.eager:
        return
    xp = bk.xp
    c = bk.asarray(np.asarray(center))
    res = minimize(lambda x, c: xp.sum((x - c) ** 2), c * 0, args=(c,), method=method)
    np.testing.assert_allclose(bk.to_numpy(res.x), np.asarray(center), atol=1e-6, rtol=1e-6)
