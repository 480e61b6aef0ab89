"""Matrix properties: rank and condition number."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._capabilities import routine
from .._dispatch import backend_of, placed_like
from .._errors import ArgumentTypeError, InvalidArgumentError
from .._validate import (
    as_float,
    check_matrix,
    check_real,
    check_square,
    scalar_result,
)
from ._common import check_factorable
from .decompositions import singular_values
from .norms import matrix_norm

__all__ = ["cond", "matrix_rank"]


@routine(
    "linalg.matrix_rank",
    lazy=False,
    note={"dask": "built on the SVD, which computes on call on Dask"},
)
def matrix_rank(
    a: Any,
    /,
    tol: float | None = None,
    hermitian: bool = False,
    *,
    rtol: float | None = None,
) -> Any:
    """Rank by counting singular values above a threshold (NumPy ``matrix_rank``).

    The threshold is ``tol`` when given, else ``rtol * max(s)`` with ``rtol`` defaulting to
    ``max(M, N) * eps``. A 1-D input has rank 1 unless all zero. ``tol`` and ``hermitian``
    may be passed by position, as in NumPy; ``hermitian=True`` is accepted for NumPy
    compatibility and counts the singular values of the general SVD (the same numbers); a
    matrix that is not square then raises :class:`xpmath.LinAlgShapeError`, as in NumPy.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> int(linalg.matrix_rank(np.array([[1.0, 2.0], [2.0, 4.0]])))
    1
    """
    b = backend_of(a)
    xp = b.xp
    a = as_float(a, b, "a", "matrix_rank")
    check_factorable(b.xp, a, "a", "matrix_rank")
    if tol is not None and rtol is not None:
        raise InvalidArgumentError(
            "matrix_rank: `tol` and `rtol` can't be both set; give one of them"
        )
    if not isinstance(hermitian, bool | np.bool_):
        raise ArgumentTypeError(f"matrix_rank: hermitian must be True or False; got {hermitian!r}")
    if a.ndim < 2:
        return xp.astype(xp.any(a != 0), xp.int64)
    if hermitian:  # (a Hermitian matrix is square: NumPy's eigvalsh route refuses others)
        check_square(a, "a", "matrix_rank")
    s = singular_values(b, a, "matrix_rank")
    if tol is not None:
        thresh = check_real(tol, "tol", "matrix_rank", nonnegative=True)
    else:
        r = (
            max(a.shape[-2:]) * xp.finfo(a.dtype).eps
            if rtol is None
            else check_real(rtol, "rtol", "matrix_rank", nonnegative=True)
        )
        thresh = r * xp.max(s, axis=-1, keepdims=True) if s.shape[-1] else 0.0
    return xp.sum(xp.astype(s > thresh, xp.int64), axis=-1)


@routine(
    "linalg.cond", lazy=False, note={"dask": "built on the SVD, which computes on call on Dask"}
)
@scalar_result
def cond(a: Any, /, p: Any = None) -> Any:
    """Condition number (NumPy ``cond``): ``||a|| * ||a^-1||`` in the norm ``p``.

    ``p`` None/2/-2 uses the singular values (ratio largest/smallest or its inverse); other
    orders ('fro', 'nuc', 1, -1, inf, -inf) use the inverse. A singular matrix has condition
    number ``inf``.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> float(linalg.cond(np.array([[1.0, 0.0], [0.0, 1e-8]])))
    100000000.0
    """
    b = backend_of(a)
    xp = b.xp
    a = as_float(a, b, "a", "cond")
    check_factorable(b.xp, a, "a", "cond")
    check_matrix(a, "a", "cond")
    if a.shape[-1] * a.shape[-2] == 0:
        from .._errors import LinAlgError

        raise LinAlgError(f"cond: not defined on empty matrices; got shape {tuple(a.shape)}")
    if p in (None, 2, -2):
        s = singular_values(b, a, "cond")
        big, small = s[..., 0], s[..., -1]
        with_zero = xp.asarray(math.inf, dtype=s.dtype)
        if p == -2:
            return xp.where(big == 0, with_zero, small / xp.where(big == 0, 1.0, big))
        return xp.where(small == 0, with_zero, big / xp.where(small == 0, 1.0, small))
    if p not in ("fro", "nuc", 1, -1, math.inf, -math.inf) or isinstance(p, bool):
        raise InvalidArgumentError(f"cond: p={p!r} is not a valid matrix norm order")
    check_square(a, "a", "cond")
    from .._errors import LinAlgError
    from .solvers import inv

    def by_inverse(m: Any) -> Any:
        out = matrix_norm(m, ord=p) * matrix_norm(inv(m), ord=p)
        return xp.where(xp.isnan(out), xp.asarray(math.inf, dtype=out.dtype), out)

    try:
        return by_inverse(a)
    except LinAlgError:
        if a.ndim == 2:
            return xp.asarray(math.inf, dtype=xp.real(a[:1, :1]).dtype)
    # eager, and some matrix of the stack is singular: inf for those only, as NumPy
    flat = xp.reshape(a, (-1, *a.shape[-2:]))
    vals = []
    for i in range(flat.shape[0]):
        try:
            vals.append(float(by_inverse(flat[i, ...])))
        except LinAlgError:
            vals.append(math.inf)
    return xp.reshape(
        xp.asarray(vals, dtype=xp.real(a[..., :1, :1]).dtype, **placed_like(a)), a.shape[:-2]
    )
