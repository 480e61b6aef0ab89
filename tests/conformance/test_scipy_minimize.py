"""SciPy's own ``minimize`` tests (scipy/optimize/tests/test_optimize.py) against
xpmath.optimize.minimize: the classes that call ``optimize.minimize``
(``TestOptimizeWrapperNoDisp``, ``TestOptimizeSimple``, ``TestLBFGSBBounds``). The cases for
methods, options, callbacks and bounds xpmath does not offer, and those asserting SciPy's own
evaluation counts, are listed in known_differences.py.

On the NumPy backend by default: the cases' objectives are local functions written with NumPy
(``np.exp``, ``np.sum``, in-place assignment) and Python side effects (call counters, a NumPy
random generator), which other backends' arrays do not accept or (JAX's compiled loop) run
once at trace time; rewriting them would mean copying the test bodies. On torch, JAX,
array_api_strict and Dask every remaining failure was of that kind (39 of 115, measured with
``XPMATH_CONFORMANCE_BACKENDS=numpy,torch,jax,array_api_strict,dask``, which runs them).
xpmath's own tests (tests/optimize) check minimize against SciPy on every backend.
"""

from __future__ import annotations

import os

import scipy.optimize.tests.test_optimize as upstream

from xpmath import optimize

from ._adapt import BACKEND_NAMES, adopt, adopt_functions

BACKENDS = tuple(b for b in os.environ.get("XPMATH_CONFORMANCE_BACKENDS", "numpy").split(",") if b)
if set(BACKENDS) - set(BACKEND_NAMES):
    raise ValueError(f"XPMATH_CONFORMANCE_BACKENDS: unknown backends in {BACKENDS}")

NAMES = {"optimize": {"minimize": optimize.minimize}}

for _cls, _prefix in (
    (upstream.TestOptimizeWrapperNoDisp, "MinimizeWrapper"),
    (upstream.TestOptimizeSimple, "MinimizeSimple"),
    (upstream.TestLBFGSBBounds, "LBFGSBBounds"),
):
    globals().update(adopt(_cls, upstream, NAMES, _prefix, BACKENDS))
# SciPy's module-level Nelder-Mead case: the adaptive coefficients converge on a 15-parameter
# sphere where the standard ones exhaust SciPy's default 3,000 evaluations
globals().update(
    adopt_functions(upstream, ("test_neldermead_adaptive",), NAMES, "MinimizeFunctions", BACKENDS)
)
