"""Products: matmul, dot, vdot, inner, outer, tensordot, trace, matrix_power."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

from .._capabilities import routine
from .._dispatch import backend_of, placed_like
from .._errors import ShapeError
from .._validate import (
    DTYPE_KINDS,
    as_array,
    check_int,
    check_square,
    normalize_axis,
    scalar_result,
)
from ._common import shape_str

__all__ = ["dot", "inner", "matmul", "matrix_power", "outer", "tensordot", "trace", "vdot"]


def _check_matmul_shapes(a: Any, b: Any, func: str) -> None:
    if a.ndim == 0 or b.ndim == 0:
        raise ShapeError(
            f"{func}: a and b must be at least 1-D; got shapes {shape_str(a)} and "
            f"{shape_str(b)} (use * for scalar products)"
        )
    ka = a.shape[-1]
    kb = b.shape[-2] if b.ndim >= 2 else b.shape[0]
    if ka != kb:
        raise ShapeError(
            f"{func}: a has shape {shape_str(a)} and b {shape_str(b)}; inner "
            f"dimensions {ka} and {kb} differ"
        )
    if a.ndim > 2 and b.ndim > 2:
        for da, db in zip(reversed(a.shape[:-2]), reversed(b.shape[:-2])):
            if da != db and 1 not in (da, db):
                raise ShapeError(
                    f"{func}: batch dimensions of a {shape_str(a)} and b "
                    f"{shape_str(b)} do not broadcast"
                )


def _logic(xp: Any, op: Any, a: Any, b: Any) -> Any:
    """A product of two bool arrays as NumPy forms it (any of the pairwise ands): the array
    API defines ``matmul``, ``tensordot`` and ``vecdot`` for numeric dtypes only."""
    return op(xp.astype(a, xp.int64), xp.astype(b, xp.int64)) != 0


def _both_bool(xp: Any, a: Any, b: Any) -> bool:
    return a.dtype == xp.bool and b.dtype == xp.bool


def _bool_takes_other(xp: Any, a: Any, b: Any) -> tuple[Any, Any]:
    """NumPy's promotion of bool with a number (the other's dtype), which the array API
    leaves undefined (array_api_strict refuses it)."""
    if a.dtype == b.dtype:
        return a, b
    if a.dtype == xp.bool:
        return xp.astype(a, b.dtype), b
    if b.dtype == xp.bool:
        return a, xp.astype(b, a.dtype)
    return a, b


def _matmul(xp: Any, a: Any, b: Any) -> Any:
    a, b = _bool_takes_other(xp, a, b)
    if _both_bool(xp, a, b):
        return _logic(xp, xp.matmul, a, b)
    return xp.matmul(a, b)


@routine("linalg.matmul", default="native", array_api_strict="generic")
def matmul(a: Any, b: Any, /) -> Any:
    """Matrix product with NumPy ``matmul`` semantics (stacks broadcast, 1-D promoted).

    Float32 is computed in strict float32 on every backend by default (JAX's TF32 default on
    GPUs is turned off); see :func:`xpmath.set_matmul_precision` for the opt-in fast mode.

    Parameters
    ----------
    a, b : array
        Arrays of at least one dimension whose inner dimensions agree.

    Returns
    -------
    array
        ``a @ b``.

    Raises
    ------
    xpmath.ShapeError
        Inner dimensions differ, batch dimensions do not broadcast, or an input is 0-d.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> linalg.matmul(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1.0, 1.0]))
    array([3., 7.])
    """
    bk = backend_of(a, b)
    try:  # arrays of numeric dtypes seen before: two dict reads
        DTYPE_KINDS[type(a), a.dtype], DTYPE_KINDS[type(b), b.dtype]
    except (AttributeError, KeyError, TypeError):  # scalars and lists (as NumPy), new dtypes
        a = as_array(a, bk, "a", "matmul", like=b)
        b = as_array(b, bk, "b", "matmul", like=a)
    if not bk.eager:  # lazy backends defer the failure to compute time: check shapes now
        _check_matmul_shapes(a, b, "matmul")
    try:
        return bk.implementation("linalg.matmul", _matmul)(bk.xp, a, b)
    except Exception:
        # validation runs only on failure, so a valid call pays nothing for it
        _check_matmul_shapes(a, b, "matmul")
        raise


def _tensordot(xp: Any, a: Any, b: Any, axes: Any) -> Any:
    a, b = _bool_takes_other(xp, a, b)
    if _both_bool(xp, a, b):
        return _logic(xp, lambda x, y: xp.tensordot(x, y, axes=axes), a, b)
    return xp.tensordot(a, b, axes=axes)


def _axis_list(side: Any, x: Any, arg: str, axes: Any, func: str) -> list[int]:
    """One side of a pair of ``axes``: an integer or a sequence of them, each an axis of x
    (NumPy's integers accepted; out of range an error, not wrapped)."""
    if isinstance(side, numbers.Integral) and not isinstance(side, bool):
        side = [side]
    try:
        side = list(side)
    except TypeError:
        raise ShapeError(
            f"{func}: axes must be an int or a pair of sequences of ints; got {axes!r}"
        ) from None
    return [normalize_axis(check_int(ax, "axes", func), x.ndim, arg, func) for ax in side]


def _normalize_axes(axes: int | Sequence[Any], a: Any, b: Any, func: str) -> Any:
    if isinstance(axes, numbers.Integral) and not isinstance(axes, bool):
        n = check_int(axes, "axes", func, minimum=0)
        if n > min(a.ndim, b.ndim):
            raise ShapeError(
                f"{func}: axes={n} exceeds the dimensions of a {shape_str(a)} or b {shape_str(b)}"
            )
        pairs = (list(range(a.ndim - n, a.ndim)), list(range(n)))
    else:
        try:
            ax_a, ax_b = axes
        except (TypeError, ValueError):
            raise ShapeError(
                f"{func}: axes must be an int or a pair of sequences; got {axes!r}"
            ) from None
        ax_a = _axis_list(ax_a, a, "axes[0]", axes, func)
        ax_b = _axis_list(ax_b, b, "axes[1]", axes, func)
        if len(ax_a) != len(ax_b):
            raise ShapeError(f"{func}: axes pair lengths differ: {ax_a} and {ax_b}")
        if len(set(ax_a)) < len(ax_a) or len(set(ax_b)) < len(ax_b):
            raise ShapeError(f"{func}: duplicate axes are not allowed; got {axes!r}")
        pairs = (ax_a, ax_b)
    for i, j in zip(*pairs):
        if a.shape[i] != b.shape[j]:
            raise ShapeError(
                f"{func}: a has shape {shape_str(a)} and b {shape_str(b)}; "
                f"contracted dimensions {a.shape[i]} (axis {i}) and "
                f"{b.shape[j]} (axis {j}) differ"
            )
    return (tuple(pairs[0]), tuple(pairs[1]))


@routine("linalg.tensordot", default="native", array_api_strict="generic")
def tensordot(a: Any, b: Any, /, *, axes: int | Sequence[Any] = 2) -> Any:
    """Tensor contraction over ``axes`` (NumPy semantics).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> linalg.tensordot(np.ones((2, 3)), np.ones((3, 4)), axes=1).shape
    (2, 4)
    """
    bk = backend_of(a, b)
    a = as_array(a, bk, "a", "tensordot", like=b)
    b = as_array(b, bk, "b", "tensordot", like=a)
    ax = _normalize_axes(axes, a, b, "tensordot")
    return bk.implementation("linalg.tensordot", _tensordot)(bk.xp, a, b, ax)


@routine("linalg.dot", default="generic")
def dot(a: Any, b: Any, /) -> Any:
    """NumPy ``dot``: inner product of vectors, matmul of matrices, sum over last/second-last.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> float(linalg.dot(np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])))
    32.0
    """
    bk = backend_of(a, b)
    xp = bk.xp
    a = as_array(a, bk, "a", "dot", like=b)
    b = as_array(b, bk, "b", "dot", like=a)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if a.ndim <= 2 and b.ndim <= 2:
        _check_matmul_shapes(a, b, "dot")
        return bk.implementation("linalg.matmul", _matmul)(xp, a, b)
    axes = ([a.ndim - 1], [0 if b.ndim == 1 else b.ndim - 2])
    return tensordot(a, b, axes=axes)


def _vdot(xp: Any, a: Any, b: Any) -> Any:
    a, b = _bool_takes_other(xp, a, b)
    if _both_bool(xp, a, b):
        return _logic(xp, xp.vecdot, a, b)
    return xp.vecdot(a, b)


@routine("linalg.vdot", default="generic", torch="native", dask="native")
def vdot(a: Any, b: Any, /) -> Any:
    """Dot product of flattened inputs, conjugating the first (NumPy ``vdot``).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> complex(linalg.vdot(np.array([1j, 2.0]), np.array([1j, 1.0])))
    (3+0j)
    """
    bk = backend_of(a, b)
    xp = bk.xp
    a = as_array(a, bk, "a", "vdot", like=b)
    b = as_array(b, bk, "b", "vdot", like=a)
    fa, fb = xp.reshape(a, (-1,)), xp.reshape(b, (-1,))
    if fa.shape[0] != fb.shape[0]:
        raise ShapeError(f"vdot: a has {fa.shape[0]} elements and b {fb.shape[0]}; they must match")
    return bk.implementation("linalg.vdot", _vdot)(xp, fa, fb)


@routine("linalg.inner", default="generic")
@scalar_result
def inner(a: Any, b: Any, /) -> Any:
    """Inner product over the last axes (NumPy ``inner``).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> float(linalg.inner(np.array([1.0, 2.0]), np.array([3.0, 4.0])))
    11.0
    """
    bk = backend_of(a, b)
    a = as_array(a, bk, "a", "inner", like=b)
    b = as_array(b, bk, "b", "inner", like=a)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    return tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 1]))


@routine("linalg.outer", default="generic")
def outer(a: Any, b: Any, /) -> Any:
    """Outer product of the flattened inputs (NumPy ``outer``).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> linalg.outer(np.array([1.0, 2.0]), np.array([1.0, 10.0]))
    array([[ 1., 10.],
           [ 2., 20.]])
    """
    bk = backend_of(a, b)
    xp = bk.xp
    a = as_array(a, bk, "a", "outer", like=b)
    b = as_array(b, bk, "b", "outer", like=a)
    column, row = xp.reshape(a, (-1, 1)), xp.reshape(b, (1, -1))
    if _both_bool(xp, a, b):  # the array API has no bool multiplication
        return xp.logical_and(column, row)
    return column * row


@routine("linalg.trace", default="generic")
@scalar_result
def trace(x: Any, /, *, offset: int = 0) -> Any:
    """Sum along the ``offset`` diagonal of the last two axes (NumPy ``linalg.trace``).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> float(linalg.trace(np.array([[1.0, 2.0], [3.0, 4.0]])))
    5.0
    """
    bk = backend_of(x)
    x = as_array(x, bk, "x", "trace")
    offset = check_int(offset, "offset", "trace")
    if x.ndim < 2:
        raise ShapeError(f"trace: x must have at least 2 dimensions; got shape {shape_str(x)}")
    xp = bk.xp
    if x.dtype == xp.bool:  # NumPy counts: the default integer (the array API has no bool sum)
        x = xp.astype(x, xp.int64)
    out = xp.linalg.trace(x, offset=offset)
    if xp.isdtype(x.dtype, "unsigned integer") and out.dtype != xp.uint64:
        out = xp.astype(out, xp.uint64)  # torch sums unsigned into int64; NumPy into uint64
    return out


def _matrix_power(xp: Any, x: Any, n: int) -> Any:
    eye = xp.eye(x.shape[-1], dtype=x.dtype, **placed_like(x))
    result = xp.broadcast_to(eye, x.shape) if x.ndim > 2 else eye
    base = x
    while n:  # through matmul's own implementation (bool and integer products included)
        if n & 1:
            result = matmul(result, base)
        n >>= 1
        if n:
            base = matmul(base, base)
    return result


@routine("linalg.matrix_power", default="generic")
def matrix_power(x: Any, n: int, /) -> Any:
    """Raise a square matrix (or stack) to the integer power ``n``; negative ``n`` inverts.

    Raises
    ------
    xpmath.LinAlgError
        ``n < 0`` and ``x`` is singular (eagerly; NaN under ``jit``).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> linalg.matrix_power(np.array([[1.0, 1.0], [0.0, 1.0]]), 3)
    array([[1., 3.],
           [0., 1.]])
    """
    bk = backend_of(x)
    x = as_array(x, bk, "x", "matrix_power")
    n = check_int(n, "n", "matrix_power")
    check_square(x, "x", "matrix_power")
    if n < 0:
        from .solvers import inv

        x, n = inv(x), -n
    return bk.implementation("linalg.matrix_power", _matrix_power)(bk.xp, x, n)
