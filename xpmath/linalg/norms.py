"""Vector and matrix norms with NumPy semantics, near memory bandwidth on every backend.

Accuracy of float32 vector norms against a float64 reference (tested on 3e5 random elements,
measured up to 5e7): NumPy fast path (BLAS within 256 Ki blocks, float64 across blocks) and
JAX/XLA tree reductions: relative error below 2e-6 (measured 6e-9 for ord 1, 5e-8 for ord 2 at
5e7); PyTorch's native ord 1/2 kernels: below 2e-5; other orders on PyTorch use cascade sums.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from .._capabilities import routine
from .._dispatch import backend_of, placed_like
from .._errors import InvalidArgumentError, ShapeError
from .._validate import as_float, float_input, normalize_axes
from ._common import (
    check_factorable,
    native_errors,
    nonfinite_safe,
    shape_str,
)

__all__ = ["matrix_norm", "norm", "vector_norm"]

_MATRIX_ORDS = (None, "fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf)


def _check_vector_ord(ord: Any, func: str) -> float:
    """``ord`` as a Python int or float (NumPy's scalars accepted, as NumPy accepts them)."""
    if ord is None:
        return 2.0
    if isinstance(ord, bool) or not isinstance(ord, numbers.Real) or math.isnan(ord):
        raise InvalidArgumentError(
            f"{func}: ord={ord!r} is not a valid vector norm order (a real number, inf or -inf)"
        )
    return int(ord) if isinstance(ord, numbers.Integral) else float(ord)


def _check_matrix_ord(ord: Any, func: str) -> Any:
    if ord is None:
        return "fro"
    if not isinstance(ord, bool) and ord in _MATRIX_ORDS:
        return _MATRIX_ORDS[_MATRIX_ORDS.index(ord)]  # (np.int64(2) as 2)
    raise InvalidArgumentError(
        f"{func}: ord={ord!r} is not a valid matrix norm order; valid: "
        "'fro', 'nuc', 1, -1, 2, -2, inf, -inf"
    )


def _vector_norm(xp: Any, x: Any, axis: Any, keepdims: bool, ord: float) -> Any:
    return xp.linalg.vector_norm(x, axis=axis, keepdims=keepdims, ord=ord)


def _matrix_norm(xp: Any, x: Any, keepdims: bool, ord: Any) -> Any:
    return xp.linalg.matrix_norm(x, keepdims=keepdims, ord=ord)


def _empty_reduction(
    x: Any, ord: Any, axes: tuple[int, ...] | None, keepdims: bool, func: str
) -> Any:
    """NumPy's norm of an empty reduction where a backend's differs or fails, else None:
    0 for ``inf`` (the max of no absolute values; torch raises), ``inf`` for a negative p
    (``sum(|x|**p)`` is 0), and for ``-inf`` NumPy's error (the min of nothing)."""
    if not (ord == math.inf or ord < 0):
        return None
    dims = tuple(range(x.ndim)) if axes is None else axes
    if not any(x.shape[d] == 0 for d in dims):
        return None
    if ord == -math.inf:
        raise ShapeError(
            f"{func}: ord={ord} is undefined for an empty reduction (shape {shape_str(x)}): "
            "the minimum of no values"
        )
    shape = tuple(1 if d in dims else n for d, n in enumerate(x.shape) if keepdims or d not in dims)
    xp = backend_of(x).xp
    real = xp.abs(x).dtype  # (x is empty: a reduced dimension is 0)
    return xp.full(shape, 0.0 if ord == math.inf else math.inf, dtype=real, **placed_like(x))


@routine("linalg.vector_norm", default="native", array_api_strict="generic")
def vector_norm(x: Any, /, *, axis: Any = None, keepdims: bool = False, ord: float = 2) -> Any:
    """Vector p-norm over ``axis`` (all axes when None), array-API semantics.

    Parameters
    ----------
    x : array
        Input; integers are promoted to the default float dtype.
    axis : int or tuple of int, optional
        Axes to reduce over; the norm of the flattened array when None.
    keepdims : bool
        Keep reduced axes with size one.
    ord : float
        ``2`` (Euclidean), ``1``, ``inf`` (max abs), ``-inf`` (min abs), ``0`` (count of
        non-zeros), or any other real p: ``sum(|x|**p)**(1/p)``.

    Returns
    -------
    array
        Real array of the reduced shape.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> float(linalg.vector_norm(np.array([-1.0, 2.0, 3.0, 4.0, -5.0]), ord=1))
    15.0
    """
    b = backend_of(x)
    x = as_float(x, b, "x", "vector_norm")
    ord = _check_vector_ord(ord, "vector_norm")
    axes = normalize_axes(axis, x.ndim, "vector_norm")
    empty = _empty_reduction(x, ord, axes, bool(keepdims), "vector_norm")
    if empty is not None:
        return empty
    return b.implementation("linalg.vector_norm", _vector_norm)(b.xp, x, axes, bool(keepdims), ord)


@routine("linalg.matrix_norm", default="native", array_api_strict="generic")
def matrix_norm(x: Any, /, *, keepdims: bool = False, ord: Any = "fro") -> Any:
    """Matrix norm over the last two axes (array-API semantics).

    ``ord``: ``'fro'``, ``'nuc'`` (sum of singular values), ``1``/``-1`` (max/min column
    sum), ``2``/``-2`` (largest/smallest singular value), ``inf``/``-inf`` (max/min row sum).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> round(float(linalg.matrix_norm(np.array([[1.0, 2, 3], [-1, -2, -3]]))), 4)
    5.2915
    """
    b = backend_of(x)
    x = as_float(x, b, "x", "matrix_norm")
    ord = _check_matrix_ord(ord, "matrix_norm")
    if x.ndim < 2:
        raise ShapeError(f"matrix_norm: x must have at least 2 dimensions; got {shape_str(x)}")
    impl = b.implementation("linalg.matrix_norm", _matrix_norm)
    if ord not in ("nuc", 2, -2):
        return impl(b.xp, x, bool(keepdims), ord)
    check_factorable(b.xp, x, "x", "matrix_norm")  # singular values: an SVD, as NumPy's
    keep = bool(keepdims)
    with native_errors("matrix_norm", "the SVD did not converge"):
        return nonfinite_safe(b, x, "matrix_norm", lambda m: impl(b.xp, m, keep, ord), "x")


@routine("linalg.norm", default="native", array_api_strict="generic")
def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Any:
    """Matrix or vector norm with the exact semantics of :func:`numpy.linalg.norm`.

    Parameters
    ----------
    x : array
        Input. With ``axis=None`` it must be 1-D or 2-D unless ``ord`` is None (then the
        2-norm of the flattened array).
    ord : {None, 'fro', 'nuc', inf, -inf, 0, 1, -1, 2, -2, other real}
        Vector orders: None/2, 1, inf, -inf, 0 and any real p; matrix orders: None/'fro',
        'nuc', 1, -1, 2, -2, inf, -inf.
    axis : None, int or 2-tuple of int
        An int: vector norms along it; a 2-tuple: matrix norms over those axes.
    keepdims : bool
        Keep the reduced axes with size one.

    Returns
    -------
    array
        The norm(s), real-valued.

    Raises
    ------
    xpmath.InvalidArgumentError
        ``ord`` is not valid for a vector / matrix norm.
    xpmath.ShapeError
        ``axis`` is invalid or ``x`` has the wrong number of dimensions.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> v = np.array([-1.0, 2.0, 3.0, 4.0, -5.0])
    >>> float(linalg.norm(v, 1)), round(float(linalg.norm(v)), 4)
    (15.0, 7.4162)
    """
    b, x = float_input(x, "x", "norm")
    xp = b.xp
    if axis is None:
        if ord is None:  # the 2-norm of the flattened array: no argument left to check
            impl = b.implementation("linalg.vector_norm", _vector_norm)
            return impl(xp, x, None, bool(keepdims), 2.0)
        if x.ndim == 1:
            return vector_norm(x, axis=0, keepdims=keepdims, ord=ord)
        if x.ndim == 2:
            return _matrix_over(x, (0, 1), ord, keepdims)
        raise ShapeError(
            f"norm: with ord={ord!r} and axis=None, x must be 1-D or 2-D; got shape {shape_str(x)}"
        )
    axes = normalize_axes(axis, x.ndim, "norm")
    assert axes is not None
    if len(axes) == 1:
        if isinstance(ord, str):
            raise InvalidArgumentError(f"norm: ord={ord!r} is a matrix norm; axis selects a vector")
        return vector_norm(x, axis=axes, keepdims=keepdims, ord=2 if ord is None else ord)
    if len(axes) == 2:
        return _matrix_over(x, axes, ord, keepdims)
    raise ShapeError(f"norm: axis must be an int or a 2-tuple; got {axis!r}")


def _matrix_over(x: Any, axes: tuple[int, ...], ord: Any, keepdims: bool) -> Any:
    xp = backend_of(x).xp
    r, c = axes
    rest = [d for d in range(x.ndim) if d not in axes]
    moved = x if (r, c) == (x.ndim - 2, x.ndim - 1) else xp.permute_dims(x, (*rest, r, c))
    out = matrix_norm(moved, ord=ord)
    if keepdims:
        shape = list(x.shape)
        shape[r] = shape[c] = 1
        out = xp.reshape(out, tuple(shape))
    return out
