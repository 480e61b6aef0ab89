"""Dispatch overhead: an xpmath call on a tiny array vs the raw NumPy call.

Goal: under 0.5 µs added per call (namespace cached per array type).
"""

from __future__ import annotations

import numpy as np

import xpmath
from xpmath import linalg

A = np.ones((2, 2))


def test_raw_numpy_matmul(benchmark) -> None:
    benchmark(np.matmul, A, A)


def test_xpmath_matmul(benchmark) -> None:
    benchmark(linalg.matmul, A, A)


def test_namespace_lookup(benchmark) -> None:
    benchmark(xpmath.namespace, A, A)
