"""JAX fast paths: compiled (fused) versions of the generic code, explicit matmul precision."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


def _precision() -> Any:
    import jax

    from .._precision import get_matmul_precision

    if get_matmul_precision() == "strict":
        return jax.lax.Precision.HIGHEST
    return jax.lax.Precision.DEFAULT


def matmul(xp: Any, a: Any, b: Any) -> Any:
    return xp.matmul(a, b, precision=_precision())


def tensordot(xp: Any, a: Any, b: Any, axes: Any) -> Any:
    return xp.tensordot(a, b, axes=axes, precision=_precision())


def _matrix_power(xp: Any, x: Any, n: int) -> Any:
    return xp.linalg.matrix_power(x, n)


def _abs_extreme(x: Any, axis: Any, keepdims: bool, largest: bool) -> Any:
    """max|x| (or min|x|) with NaN propagated, in two fast passes for finite data.

    XLA's CPU float max/min reductions can drop NaN in vectorised loops, and every single-pass
    formulation tried (a select, a bit cast or a custom reducer inside the reduction) stops
    XLA from vectorising it, costing 10x. So: the plain reduction, plus ``sum(x * 0)``, which
    is NaN exactly when ``x`` holds a NaN or an inf; only then (a real branch under
    ``lax.cond``) is the exact NaN check made. Measured at 5e7 float32 on 2 CPU cores:
    13 GB/s, against 5.7 for the reduction plus an isnan pass and 2.4 for a bit-cast max.
    """
    import jax.numpy as jnp
    from jax import lax

    reduce = jnp.max if largest else jnp.min
    m = reduce(jnp.abs(x), axis=axis, keepdims=keepdims)
    suspect = jnp.isnan(jnp.sum(x * 0))

    def exact() -> Any:
        bad = jnp.any(jnp.isnan(x), axis=axis, keepdims=keepdims)
        return jnp.where(bad, jnp.asarray(jnp.nan, m.dtype), m)

    return lax.cond(suspect, exact, lambda: m)


def _vector_norm_nan(xp: Any, x: Any, axis: Any, keepdims: bool, ord: float) -> Any:
    from ..linalg.norms import _vector_norm

    if ord in (float("inf"), float("-inf")) and xp.isdtype(x.dtype, "real floating"):
        return _abs_extreme(x, axis, keepdims, largest=ord > 0)
    out = _vector_norm(xp, x, axis, keepdims, ord)
    if ord in (float("inf"), float("-inf")):
        # complex input: |x| is computed, then NaN propagation is restored with an isnan pass
        bad = xp.any(xp.isnan(x), axis=axis, keepdims=keepdims)
        out = xp.where(bad, xp.asarray(float("nan"), dtype=out.dtype), out)
    return out


def fast_paths(backend: Any) -> dict[str, Callable[..., Any]]:
    import jax

    from ..linalg.norms import _matrix_norm

    # Eager JAX dispatches each jnp call separately, materialising |x| for ord=1; compiling
    # the whole norm fuses it into one pass over memory.
    vnorm = jax.jit(_vector_norm_nan, static_argnums=(0, 2, 3, 4))
    mnorm = jax.jit(_matrix_norm, static_argnums=(0, 2, 3))
    return {
        "linalg.matmul": matmul,
        "linalg.tensordot": tensordot,
        "linalg.vector_norm": functools.partial(_call_static, vnorm),
        "linalg.matrix_norm": functools.partial(_call_static, mnorm),
        "linalg.matrix_power": _matrix_power,
    }


def _call_static(fn: Callable[..., Any], xp: Any, x: Any, *static: Any) -> Any:
    return fn(xp, x, *static)
