"""Dask fast paths: keep blocked reductions lazy, gather only what needs a full matrix."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .int_products import numpy_dtype_of


def _block_norm(blk: Any, ord: Any) -> Any:
    """One block's 2-/nuclear norms; NaN for a matrix with an inf or NaN, which a lazy call
    cannot refuse (the eager ones raise) and which LAPACK's SVD must not see: it can loop
    forever on an inf."""
    import numpy as np

    finite = np.isfinite(blk).all(axis=(-2, -1), keepdims=True)
    if finite.all():
        return np.linalg.matrix_norm(blk, ord=ord, keepdims=True)
    out = np.linalg.matrix_norm(np.where(finite, blk, 0), ord=ord, keepdims=True)
    return np.where(finite, out, np.nan)


def matrix_norm(xp: Any, x: Any, keepdims: bool, ord: Any) -> Any:
    import dask.array as da
    import numpy as np

    if ord in ("fro", 1, -1, float("inf"), float("-inf")):
        return xp.linalg.matrix_norm(x, keepdims=keepdims, ord=ord)
    # 2, -2 and 'nuc' need singular values of whole matrices: one task per matrix
    out = da.map_blocks(
        functools.partial(_block_norm, ord=ord),
        x.rechunk({-2: -1, -1: -1}),
        chunks=(*tuple(x.chunks[:-2]), (1,), (1,)),
        dtype=np.finfo(x.dtype).dtype,
    )
    return out if keepdims else out[..., 0, 0]


def tensordot(generic: Callable[..., Any]) -> Callable[..., Any]:
    """The generic ``tensordot`` in NumPy's dtype: Dask sums bool and small integers into
    int64 or uint64 (NumPy keeps the inputs' dtype, wrapping)."""

    def run(xp: Any, a: Any, b: Any, axes: Any) -> Any:
        return numpy_dtype_of(a, b, generic(xp, a, b, axes))

    return run


tensordot.takes_generic = True  # type: ignore[attr-defined]


def vdot(generic: Callable[..., Any]) -> Callable[..., Any]:
    """The generic ``vdot`` (``vecdot``) in NumPy's dtype, as :func:`tensordot`."""

    def run(xp: Any, a: Any, b: Any) -> Any:
        return numpy_dtype_of(a, b, generic(xp, a, b))

    return run


vdot.takes_generic = True  # type: ignore[attr-defined]


def fast_paths(backend: Any) -> dict[str, Callable[..., Any]]:
    return {"linalg.matrix_norm": matrix_norm, "linalg.tensordot": tensordot, "linalg.vdot": vdot}
