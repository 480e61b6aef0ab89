"""NumPy's own ``TestGradient`` (numpy/lib/tests/test_function_base.py) against
``xpmath.calculus.gradient`` on every backend."""

from __future__ import annotations

import numpy.lib.tests.test_function_base as upstream

from xpmath import calculus

from ._adapt import adopt

globals().update(
    adopt(upstream.TestGradient, upstream, {"gradient": calculus.gradient}, "Gradient")
)
