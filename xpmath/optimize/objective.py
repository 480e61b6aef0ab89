"""The objective as the optimiser loops see it: ``fun`` (and ``jac``) of an array of the
caller's shape, called on the search's flat vector, returning a 0-d value and a flat
gradient of that vector's dtype; a value of the wrong shape or kind is an xpmath error.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .._backends import backend_for_type
from .._errors import InvalidArgumentError

#: (dtype's type, dtype) -> whether a value of it may be minimised. The type comes first so
#: that no two libraries' dtypes are ever compared (array_api_strict warns when its dtypes
#: meet NumPy's, as they would in a hash collision)
_REAL: dict[tuple[type, Any], bool] = {}


def _scalar(xp: Any, f: Any) -> Any:
    """``fun``'s value as a 0-d array; a value of more than one element, or a complex one, is
    an error (shapes and dtypes are static, so this holds under ``jit`` too)."""
    shape = tuple(getattr(f, "shape", ()))
    if math.prod(shape) != 1:
        raise InvalidArgumentError(
            f"minimize: fun must return a scalar; got an array of shape {shape}"
        )
    dtype = getattr(f, "dtype", None)
    key = (type(dtype), dtype)
    real = _REAL.get(key)
    if real is None:
        real = _REAL[key] = dtype is None or not xp.isdtype(dtype, "complex floating")
    if not real:
        raise InvalidArgumentError(f"minimize: fun must return a real scalar; got dtype {dtype}")
    return f if shape == () else xp.reshape(f, ())


def _shaper(xp: Any, shape: tuple[int, ...]) -> Callable[[Any], Any]:
    """The search's flat vector as ``fun``'s argument of ``shape`` (as is when 1-D: a call
    per function evaluation, so no reshape that changes nothing)."""
    if len(shape) == 1:
        return lambda x: x
    return lambda x: xp.reshape(x, shape)


def _flat_grad(xp: Any, g: Any, x: Any, shape: tuple[int, ...]) -> Any:
    """``jac``'s value as a flat vector of ``x``'s dtype; one of another size is an error."""
    gs = tuple(getattr(g, "shape", ()))
    if gs != shape and math.prod(gs) != math.prod(shape):
        raise InvalidArgumentError(
            f"minimize: jac must return an array of x0's shape {shape}; got shape {gs}"
        )
    if len(gs) != 1:
        g = xp.reshape(g, (-1,))
    return g if g.dtype == x.dtype else xp.astype(g, x.dtype)


def _value_and_grad(
    fun: Callable[..., Any], jac: Callable[..., Any] | None, shape: tuple[int, ...], xp: Any
) -> Callable[[Any], tuple[Any, Any]]:
    """``vg(flat_x) -> (f, flat_g)`` for a ``fun`` of an array of ``shape``."""
    if jac is None:
        from ..calculus import value_and_grad

        vg_native = value_and_grad(fun)
        shaped = _shaper(xp, shape)

        def vg(x: Any) -> tuple[Any, Any]:
            f, g = vg_native(shaped(x))
            return _scalar(xp, f), xp.reshape(g, (-1,))

        return vg

    shaped = _shaper(xp, shape)

    def vg_user(x: Any) -> tuple[Any, Any]:
        xs = shaped(x)
        return _scalar(xp, fun(xs)), _flat_grad(xp, jac(xs), x, shape)

    return vg_user


def check_gradient(b: Any, g: Any, x: Any, func: str) -> None:
    """A first-order loop's first gradient: an array of ``x``'s backend and shape (checked
    once: ``x - lr * g`` would otherwise broadcast to another shape, or raise the backend's
    own error; shapes are static, so this holds under ``jit`` too)."""
    if backend_for_type(type(g)) is b and getattr(g, "shape", None) == x.shape:
        return
    shape = tuple(x.shape)
    got = f"shape {tuple(g.shape)}" if hasattr(g, "shape") else f"{type(g).__name__}"
    if backend_for_type(type(g)) not in (b, None):
        got = f"a {backend_for_type(type(g)).name} array"  # type: ignore[union-attr]
    raise InvalidArgumentError(
        f"{func}: jac must return an array of x0's backend ({b.name}) and shape {shape}; got {got}"
    )
