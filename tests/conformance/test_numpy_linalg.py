"""NumPy's own linear-algebra tests (numpy/linalg/tests/test_linalg.py) against xpmath.linalg:
the systematic ``LinalgCase`` families (square, non-square, stacked, Hermitian, empty and
strided matrices in float32/float64/complex64/complex128) and the per-function classes, with
``numpy.linalg`` replaced by xpmath behind the boundary.

Runs on NumPy, torch and array_api_strict by default (1,155 passed; 69 listed in
known_differences.py, 66 as expected failures and 3 skipped: longdouble, which only NumPy
has, float16 on array_api_strict, matrix_power of object arrays, which xpmath refuses with a
DTypeError, three float32 cases where torch's factorisations round 1-2 ulp from LAPACK's,
and NumPy-only formats). Triaging torch and array_api_strict (2026-12-06)
found xpmath's own breaks, now fixed and tested in tests/linalg/test_integer_products.py and
tests/test_dtype_conversion.py: torch's bool and wide unsigned products, array_api_strict's
bool products, and a raw ``TypeError`` for dtypes a backend lacks. JAX (385 passed, 22 listed:
longdouble and four float32 rounding cases; 2 min 42 s with ``-n 2``, which the CI budget
does not hold) and Dask (over 40 minutes) run only when named:
``XPMATH_CONFORMANCE_BACKENDS=numpy,jax``.
"""

from __future__ import annotations

import os

import numpy.linalg.tests.test_linalg as upstream

from xpmath import linalg

from ._adapt import BACKEND_NAMES, adopt

DEFAULT = "numpy,torch,array_api_strict"
BACKENDS = tuple(b for b in os.environ.get("XPMATH_CONFORMANCE_BACKENDS", DEFAULT).split(",") if b)
if set(BACKENDS) - set(BACKEND_NAMES):
    raise ValueError(f"XPMATH_CONFORMANCE_BACKENDS: unknown backends in {BACKENDS}")

FUNCTIONS = {
    name: getattr(linalg, name)
    for name in (
        "solve",
        "inv",
        "eigvals",
        "eig",
        "eigvalsh",
        "eigh",
        "svd",
        "cond",
        "pinv",
        "det",
        "slogdet",
        "lstsq",
        "matrix_power",
        "matrix_rank",
        "norm",
        "qr",
        "cholesky",
    )
}
NAMES = {
    "linalg": FUNCTIONS,
    "matrix_power": linalg.matrix_power,
    "matrix_rank": linalg.matrix_rank,
    "norm": linalg.norm,
}

for cls in (
    "TestSolve",
    "TestInv",
    "TestEigvals",
    "TestEig",
    "TestSVD",
    "TestCond",
    "TestPinv",
    "TestDet",
    "TestLstsq",
    "TestMatrixPower",
    "TestEigvalsh",
    "TestEigh",
    "TestNormDouble",
    "TestNormSingle",
    "TestNormInt64",
    "TestNorm_NonSystematic",
    "TestMatrixRank",
    "TestQR",
    "TestCholesky",
):
    globals().update(
        adopt(getattr(upstream, cls), upstream, NAMES, cls.removeprefix("Test"), BACKENDS)
    )
