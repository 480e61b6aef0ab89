"""NumPy's own statistics tests (numpy/lib/tests/test_function_base.py: ``TestCov``,
``TestCorrCoef``, ``TestMedian``, ``TestQuantile``) against xpmath.stats on every backend.

Running them (2026-12-07) found quantile without NumPy's ``method``/``weights``, cov without
``fweights``/``aweights``/``dtype``, raw torch errors for complex data and uint16/32/64, a
float16 index that lost samples past 2048, and a median of an empty slice that raised instead
of NumPy's NaN; all now NumPy's answer. 1,068 cases pass on the five CPU backends (1 min of
one core: JAX 43 s, Dask 15 s); the rest are listed in known_differences.py (object arrays,
``out=``, subclasses, lazy weight checks on Dask). CI runs NumPy, torch and array_api_strict
(2 s); ``XPMATH_CONFORMANCE_BACKENDS=jax,dask`` runs the others."""

from __future__ import annotations

import os

import numpy.lib.tests.test_function_base as upstream

from xpmath import stats

from ._adapt import BACKEND_NAMES, adopt

DEFAULT = "numpy,torch,array_api_strict"
BACKENDS = tuple(b for b in os.environ.get("XPMATH_CONFORMANCE_BACKENDS", DEFAULT).split(",") if b)
if set(BACKENDS) - set(BACKEND_NAMES):
    raise ValueError(f"XPMATH_CONFORMANCE_BACKENDS: unknown backends in {BACKENDS}")

FUNCTIONS = {
    "cov": stats.cov,
    "corrcoef": stats.corrcoef,
    "median": stats.median,
    "quantile": stats.quantile,
}
NAMES = {"np": FUNCTIONS, "cov": stats.cov, "corrcoef": stats.corrcoef}

for cls in ("TestCov", "TestCorrCoef", "TestMedian", "TestQuantile"):
    globals().update(
        adopt(getattr(upstream, cls), upstream, NAMES, cls.removeprefix("Test"), BACKENDS)
    )
