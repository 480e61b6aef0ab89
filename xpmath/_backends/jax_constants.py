"""The arrays a function closes over, as a compiled program's arguments (JAX).

An objective such as ``lambda w: jnp.sum((a @ w - y) ** 2)`` closes over ``a``. Traced inside
``jax.jit`` with JAX's default handling of closed-over constants, ``a`` becomes a constant of
the compiled program, one copy for each function of the program that uses it, compiled with
the program: a 20000x2000 float32 least-squares problem run by ``gradient_descent`` (its
objective and its gradient both close over the 160 MB matrix) made a program with two
160 MB constants and a first call of 2.9 s on a 2-core CPU, 0.7 s with the matrix passed as
an argument (the figure JAX's own ``JAX_USE_SIMPLIFIED_JAXPR_CONSTANTS`` mode gives). The
compiled optimisers therefore trace the user's functions once per argument shape and dtype
into a jaxpr (:func:`hoisted`) and run it as a pure function of ``(consts, x)``, the
closed-over arrays being arguments of the program: no copies, nothing large to compile.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


@functools.lru_cache(maxsize=64)
def hoisted(fn: Callable[..., Any], shape: tuple[int, ...], dtype: Any, tracer: type) -> Any:
    """``(pure, consts)`` with ``pure(consts, x) == fn(x)`` for ``x`` of ``shape`` and
    ``dtype``, and the arrays ``fn`` closes over as the tuple ``consts`` (device arrays,
    placed once), made once per ``fn``, shape and dtype; None where ``fn`` closes over
    nothing, over a transform's tracers (the caller's transform owns them), or does not
    trace (the program then traces ``fn`` itself and raises its error there). Called at
    another shape or dtype, ``pure`` calls ``fn`` itself."""
    import jax
    from jax.extend import core as jex

    try:
        closed, out_shape = jax.make_jaxpr(fn, return_shape=True)(
            jax.ShapeDtypeStruct(shape, dtype)
        )
    except Exception:  # (raised again, unchanged, where the program traces fn itself)
        return None
    if not closed.consts:
        return None
    # NumPy arrays copied to the device once, now (inside the caller's jit the copies would
    # be staged into that trace, and its tracers kept here); the caller's own tracers stay
    with jax.ensure_compile_time_eval():
        consts = tuple(jax.device_put(c) for c in closed.consts)
    if any(isinstance(c, tracer) for c in consts):
        return None
    jaxpr, tree = closed.jaxpr, jax.tree.structure(out_shape)

    def pure(args: tuple[Any, ...], x: Any) -> Any:
        if tuple(x.shape) != shape or x.dtype != dtype:  # (not the jaxpr's argument)
            return fn(x)
        out = jex.jaxpr_as_fun(jex.ClosedJaxpr(jaxpr, list(args)))(x)
        return jax.tree.unflatten(tree, out)

    return pure, consts
