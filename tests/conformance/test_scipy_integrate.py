"""SciPy's own quadrature tests (scipy/integrate/tests/test_quadrature.py) for trapezoid,
cumulative_trapezoid and simpson, against xpmath.calculus on every backend."""

from __future__ import annotations

import scipy.integrate.tests.test_quadrature as upstream

from xpmath import calculus

from ._adapt import adopt

NAMES = {
    "trapezoid": calculus.trapezoid,
    "cumulative_trapezoid": calculus.cumulative_trapezoid,
    "simpson": calculus.simpson,
}

globals().update(adopt(upstream.TestTrapezoid, upstream, NAMES, "Trapezoid"))
globals().update(adopt(upstream.TestCumulative_trapezoid, upstream, NAMES, "CumulativeTrapezoid"))
globals().update(adopt(upstream.TestSimpson, upstream, NAMES, "Simpson"))
