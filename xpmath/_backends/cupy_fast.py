"""CuPy fast paths: vector norms as single-pass fused reductions.

``cupy.linalg.norm`` makes ``abs(x)`` (and ``x*x``) as full temporaries before reducing, so
each norm reads the input at least twice and writes a copy. Here each order is one
``cupy.ReductionKernel``: one read of ``x``, accumulation in float64 for float32 and float64
input (so float32 norms carry no float32 rounding across millions of elements, and float32
squares cannot overflow), NaN propagated by every order (CUDA's ``fmax``/``fmin`` drop NaN,
so the max and min are written out). Float64 ``ord=2`` keeps CuPy's own path: squares of
float64 values above 1e154 would overflow where the norm does not.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

_INF = "__longlong_as_double(0x7ff0000000000000LL)"
#: order -> (map expression, reduce expression, post-map expression, identity)
_SPECS: dict[float, tuple[str, str, str, str]] = {
    1.0: ("fabs((double)x)", "a + b", "y = (T)a", "0"),
    2.0: ("(double)x * (double)x", "a + b", "y = (T)sqrt(a)", "0"),
    math.inf: ("fabs((double)x)", "(a != a || b != b) ? a + b : (a > b ? a : b)", "y = (T)a", "0"),
    -math.inf: (
        "fabs((double)x)",
        "(a != a || b != b) ? a + b : (a < b ? a : b)",
        "y = (T)a",
        _INF,
    ),
}
_KERNELS: dict[float, Any] = {}


def _kernel(ord: float) -> Any:
    k = _KERNELS.get(ord)
    if k is None:
        import cupy

        map_expr, reduce_expr, post, identity = _SPECS[ord]
        name = {1.0: "l1", 2.0: "l2", math.inf: "linf", -math.inf: "lneginf"}[ord]
        k = cupy.ReductionKernel(
            "T x",
            "T y",
            map_expr,
            reduce_expr,
            post,
            identity,
            f"xpmath_norm_{name}",
            reduce_type="double",
        )
        _KERNELS[ord] = k
    return k


def vector_norm(xp: Any, x: Any, axis: Any, keepdims: bool, ord: float) -> Any:
    import cupy

    fused = (
        ord in _SPECS
        and x.dtype in (cupy.float32, cupy.float64)
        and not (ord == 2 and x.dtype == cupy.float64)
        and x.size > 0
    )
    if not fused:
        return xp.linalg.vector_norm(x, axis=axis, keepdims=keepdims, ord=ord)
    return _kernel(float(ord))(x, axis=axis, keepdims=keepdims)


def fast_paths(backend: Any) -> dict[str, Callable[..., Any]]:
    return {"linalg.vector_norm": vector_norm}
