"""Descriptive statistics with NumPy semantics (NaN propagates)."""

from __future__ import annotations

from typing import Any

from .._capabilities import routine
from .._dispatch import backend_of, placed_like
from .._errors import InvalidArgumentError, ShapeError
from .._validate import (
    as_array,
    as_float,
    as_scalar,
    check_int,
    check_real,
    float_input,
    normalize_axes,
    scalar_result,
)
from ._samples import _correction, over_no_freedom
from .moments import kurtosis, skew, zscore

__all__ = [
    "kurtosis",
    "mean",
    "median",
    "quantile",
    "skew",
    "std",
    "var",
    "zscore",
]

Axis = int | tuple[int, ...] | None


def _prep(x: Any, func: str, arg: str = "x") -> tuple[Any, Any]:
    return float_input(x, arg, func)


def _count(x: Any, axes: tuple[int, ...] | None) -> int:
    n = 1
    for i, s in enumerate(x.shape):
        if axes is None or i in axes:
            n *= s
    return n


@routine("stats.mean")
def mean(x: Any, axis: Axis = None, *, keepdims: bool = False) -> Any:
    """Arithmetic mean over ``axis``.

    Parameters
    ----------
    x : array
        Data.
    axis : int or tuple of int, optional
        Axes to reduce; all by default.
    keepdims : bool
        Keep reduced axes with length one.

    Returns
    -------
    array

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> float(stats.mean(np.array([1, 2, 3, 4, 5])))
    3.0
    """
    b, x = _prep(x, "mean")
    return b.xp.mean(x, axis=normalize_axes(axis, x.ndim, "mean"), keepdims=keepdims)


@routine("stats.var")
def var(x: Any, axis: Axis = None, *, ddof: int = 0, keepdims: bool = False) -> Any:
    """Variance ``Σ(x - mean)² / (N - ddof)``, computed in two passes.

    Parameters
    ----------
    x : array
        Data.
    axis : int or tuple of int, optional
        Axes to reduce; all by default.
    ddof : int
        Delta degrees of freedom (1 for the unbiased sample variance).
    keepdims : bool
        Keep reduced axes with length one.

    Returns
    -------
    array
        As NumPy gives it when ``N - ddof <= 0``: the sum of squares over 0, so inf, or
        NaN for a constant slice (or one with a NaN).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> float(stats.var(np.array([1.0, 2, 3, 4, 5]))), float(stats.var(np.arange(1.0, 6), ddof=1))
    (2.0, 2.5)
    """
    return _variance(x, axis, ddof, keepdims, "var")


def _variance(x: Any, axis: Axis, ddof: int, keepdims: bool, func: str) -> Any:
    """``var``, its faults named as ``func``'s (``std`` is its square root)."""
    b, x = _prep(x, func)
    ddof = check_int(ddof, "ddof", func, minimum=0)
    axes = normalize_axes(axis, x.ndim, func)
    ss = b.kernel(_sum_of_squares, x, axes, bool(keepdims), _count(x, axes))
    n = _count(x, axes) - ddof
    return ss / n if n > 0 else over_no_freedom(b.xp, ss)


def _sum_of_squares(xp: Any, x: Any, axes: Any, keepdims: bool, count: int) -> Any:
    """``Σ|x - mean|²`` with the mean corrected by the mean of the first deviations (the
    corrected two-pass algorithm): XLA multiplies by ``1/N`` instead of dividing, so the mean of
    constant data can be an ulp off; the corrected deviations of constant data are then 0
    (to eps² of that ulp), where the plain ones square to a variance of ``ulp²``."""
    d = x - xp.mean(x, axis=axes, keepdims=True)
    if count > 0:
        d = d - _correction(xp, d, axes, count)
    sq = xp.real(d * xp.conj(d)) if xp.isdtype(d.dtype, "complex floating") else d * d
    return xp.sum(sq, axis=axes, keepdims=keepdims)


@routine("stats.std")
def std(x: Any, axis: Axis = None, *, ddof: int = 0, keepdims: bool = False) -> Any:
    """Standard deviation, the square root of :func:`var`.

    Parameters
    ----------
    x : array
        Data.
    axis : int or tuple of int, optional
        Axes to reduce; all by default.
    ddof : int
        Delta degrees of freedom.
    keepdims : bool
        Keep reduced axes with length one.

    Returns
    -------
    array

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> round(float(stats.std(np.array([1.0, 2, 3, 4, 5]), ddof=1)), 6)
    1.581139
    """
    v = _variance(x, axis, ddof, keepdims, "std")
    return backend_of(v).xp.sqrt(v)


@routine("stats.quantile")
@scalar_result
def quantile(x: Any, q: Any, axis: Axis = None, *, keepdims: bool = False) -> Any:
    """Quantiles by linear interpolation between order statistics (NumPy's default method).

    Parameters
    ----------
    x : array
        Data.
    q : float or 1-D array (or list)
        Probabilities in [0, 1]; an array on ``x``'s backend.
    axis : int or tuple of int, optional
        Axes along which to compute (taken together); all of them by default.
    keepdims : bool
        Keep the reduced axes with length one.

    Returns
    -------
    array
        For an array ``q``, its axis comes first (as in NumPy). An infinite sample is its own
        quantile, and between a finite and an infinite sample the quantile is that infinity
        (where NumPy's interpolation gives ``inf - inf`` = NaN).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> stats.quantile(np.array([1.0, 2.0, 3.0, 4.0]), np.array([0.0, 0.5, 1.0]))
    array([1. , 2.5, 4. ])
    >>> float(stats.quantile(np.array([1.0, np.inf]), 0.7))
    inf
    """
    return _quantile(x, q, axis, keepdims, "quantile")


def _quantile(x: Any, q: Any, axis: Axis, keepdims: bool, func: str) -> Any:
    """``quantile``, its faults named as ``func``'s (``median`` is the quantile at 0.5)."""
    scalar_q = not hasattr(q, "shape") and not isinstance(q, (list, tuple))
    if scalar_q:
        b, x = _prep(x, func)
        xp = b.xp
        qv = check_real(q, "q", func)
        if not 0 <= qv <= 1:
            raise InvalidArgumentError(f"{func}: q must be in [0, 1]; got {q!r}")
        q = xp.asarray([qv], dtype=x.dtype, **placed_like(x))
    else:
        b = backend_of(x, q)  # (q from another backend: BackendMismatchError)
        x, xp = as_float(x, b, "x", func), b.xp
        listed = isinstance(q, (list, tuple))  # (read now: a lazy backend could not check it)
        if listed and not all(0 <= check_real(v, "q", func) <= 1 for v in q):
            raise InvalidArgumentError(f"{func}: every q must be in [0, 1]")
        q = xp.astype(as_array(q, b, "q", func, like=x), x.dtype)
        if q.ndim > 1:
            raise ShapeError(f"{func}: q must be a scalar or 1-D; got shape {tuple(q.shape)}")
        if b.is_concrete(q) and 0 not in tuple(q.shape) and not bool(xp.all((q >= 0) & (q <= 1))):
            raise InvalidArgumentError(f"{func}: every q must be in [0, 1]")
    axes = normalize_axes(axis, x.ndim, func)
    data, kept = _axes_last(xp, x, tuple(range(x.ndim)) if axes is None else axes)
    n = data.shape[-1]
    if n == 0:
        raise ShapeError(f"{func}: x must not be empty along axis")
    s = xp.sort(data, axis=-1)
    pos = q * (n - 1)
    lo = xp.astype(xp.floor(pos), xp.int64)
    hi = xp.minimum(lo + 1, xp.asarray(n - 1, dtype=lo.dtype))
    frac = pos - xp.astype(lo, pos.dtype)
    vlo, vhi = xp.take(s, lo, axis=-1), xp.take(s, hi, axis=-1)
    # NumPy's lerp (from the nearer end); the value itself where both ends agree, so an
    # infinite sample is its own quantile instead of inf - inf = NaN; and between a finite
    # and an infinite end that infinity (the sort puts -inf low, +inf high), as NumPy's
    # median (the mean of the two) gives, where its lerp gives inf or NaN by the side of 0.5
    diff = vhi - vlo
    out = xp.where(frac >= 0.5, vhi - diff * (1 - frac), vlo + diff * frac)
    inf_lo, inf_hi = xp.isinf(vlo), xp.isinf(vhi)
    out = xp.where(inf_lo != inf_hi, xp.where(inf_lo, vlo, vhi), out)
    out = xp.where((vlo == vhi) | (frac == 0), vlo, out)  # no inf * 0 at an exact sample
    nan_row = xp.any(xp.isnan(s), axis=-1, keepdims=True)  # sort puts NaN last: propagate
    out = xp.where(nan_row, xp.full_like(out, float("nan")), out)
    out = xp.permute_dims(out, (out.ndim - 1, *range(out.ndim - 1)))  # q axis first
    if keepdims:
        out = xp.reshape(out, (out.shape[0], *kept))
    return out[0, ...] if scalar_q else out


def _axes_last(xp: Any, x: Any, axes: tuple[int, ...]) -> tuple[Any, tuple[int, ...]]:
    """``x`` with ``axes`` moved last and merged into one, and the shape that keeps them as
    length-one axes (for ``keepdims``)."""
    rest = [i for i in range(x.ndim) if i not in axes]
    shape = tuple(x.shape)
    kept = tuple(1 if i in axes else s for i, s in enumerate(shape))
    if len(axes) == 1 and axes[0] == x.ndim - 1:
        return x, kept
    # (permute_dims, not moveaxis: torch.func.vmap has no batching rule for torch's moveaxis)
    moved = xp.permute_dims(x, (*rest, *sorted(axes)))
    n = 1
    for i in axes:
        n *= shape[i]
    return xp.reshape(moved, (*(shape[i] for i in rest), n)), kept


@routine("stats.median")
def median(x: Any, axis: Axis = None, *, keepdims: bool = False) -> Any:
    """The 0.5 quantile.

    Parameters
    ----------
    x : array
        Data.
    axis : int or tuple of int, optional
        Axes, taken together; all of them by default.
    keepdims : bool
        Keep the reduced axes with length one.

    Returns
    -------
    array

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> float(stats.median(np.array([3.0, 1.0, 2.0, 10.0])))
    2.5
    """
    return as_scalar(_quantile(x, 0.5, axis, keepdims, "median"))
