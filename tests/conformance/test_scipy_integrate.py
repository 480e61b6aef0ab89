"""SciPy's own quadrature tests (scipy/integrate/tests/test_quadrature.py) for trapezoid,
cumulative_trapezoid and simpson, against xpmath.calculus on every backend; and SciPy's
``quad`` tests (test_quadpack.py) against ``calculus.quad(..., method="adaptive")``."""

from __future__ import annotations

import scipy.integrate.tests.test_quadpack as upstream_quadpack
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


def _scipy_quad(func, a, b, args=(), **kwargs):  # type: ignore[no-untyped-def]
    """SciPy's ``quad`` call form: the adaptive method, SciPy's ``args``; SciPy's other
    options (weights, break points, ``full_output``) are not xpmath's, and the cases that use
    them are listed in known_differences.py."""
    return calculus.quad(func, a, b, args=args, method="adaptive", **kwargs)


# SciPy's integrands call NumPy's functions (np.cos of the nodes) and SciPy marks the class
# NumPy-only; xpmath's other backends run the same integrals in tests/calculus
globals().update(
    adopt(
        upstream_quadpack.TestQuad,
        upstream_quadpack,
        {"quad": _scipy_quad},
        "Quad",
        backends=("numpy",),
    )
)
