"""Descriptive statistics with NumPy semantics (NaN propagates)."""

from __future__ import annotations

from typing import Any

from .._capabilities import routine
from .._dispatch import backend_of, placed_like
from .._errors import InvalidArgumentError, ShapeError
from .._validate import (
    as_array,
    check_int,
    check_real,
    float_input,
    normalize_axes,
    normalize_axis,
    scalar_result,
)
from ._samples import _correction
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
        NaN (as NumPy gives) when ``N - ddof <= 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> float(stats.var(np.array([1.0, 2, 3, 4, 5]))), float(stats.var(np.arange(1.0, 6), ddof=1))
    (2.0, 2.5)
    """
    b, x = _prep(x, "var")
    ddof = check_int(ddof, "ddof", "var", minimum=0)
    axes = normalize_axes(axis, x.ndim, "var")
    ss = b.kernel(_sum_of_squares, x, axes, bool(keepdims), _count(x, axes))
    n = _count(x, axes) - ddof
    return ss / n if n > 0 else ss * float("nan")


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
    v = var(x, axis, ddof=ddof, keepdims=keepdims)
    return backend_of(v).xp.sqrt(v)


@routine("stats.quantile")
@scalar_result
def quantile(x: Any, q: Any, axis: int | None = None, *, keepdims: bool = False) -> Any:
    """Quantiles by linear interpolation between order statistics (NumPy's default method).

    Parameters
    ----------
    x : array
        Data.
    q : float or 1-D array
        Probabilities in [0, 1].
    axis : int, optional
        Axis along which to compute; the flattened array by default.
    keepdims : bool
        Keep the reduced axis with length one.

    Returns
    -------
    array
        For an array ``q``, its axis comes first (as in NumPy).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> stats.quantile(np.array([1.0, 2.0, 3.0, 4.0]), np.array([0.0, 0.5, 1.0]))
    array([1. , 2.5, 4. ])
    """
    b, x = _prep(x, "quantile")
    xp = b.xp
    scalar_q = not hasattr(q, "shape")
    if scalar_q:
        qv = check_real(q, "q", "quantile")
        if not 0 <= qv <= 1:
            raise InvalidArgumentError(f"quantile: q must be in [0, 1]; got {q!r}")
        q = xp.asarray([qv], dtype=x.dtype, **placed_like(x))
    else:
        q = xp.astype(as_array(q, b, "q", "quantile"), x.dtype)
        if q.ndim > 1:
            raise ShapeError(f"quantile: q must be a scalar or 1-D; got shape {tuple(q.shape)}")
        if b.is_concrete(q) and 0 not in tuple(q.shape) and not bool(xp.all((q >= 0) & (q <= 1))):
            raise InvalidArgumentError("quantile: every q must be in [0, 1]")
    if axis is None:
        data, ax = xp.reshape(x, (-1,)), 0
    else:
        data, ax = x, normalize_axis(axis, x.ndim, "axis", "quantile")
    n = data.shape[ax]
    if n == 0:
        raise ShapeError("quantile: x must not be empty along axis")
    # (permute_dims, not moveaxis: torch.func.vmap has no batching rule for torch's moveaxis)
    last = data.ndim - 1
    order = (*range(ax), *range(ax + 1, last + 1), ax)
    s = xp.sort(data if ax == last else xp.permute_dims(data, order), axis=-1)
    pos = q * (n - 1)
    lo = xp.astype(xp.floor(pos), xp.int64)
    hi = xp.minimum(lo + 1, xp.asarray(n - 1, dtype=lo.dtype))
    frac = pos - xp.astype(lo, pos.dtype)
    vlo, vhi = xp.take(s, lo, axis=-1), xp.take(s, hi, axis=-1)
    # NumPy's lerp (from the nearer end), and the value itself where both ends agree, so an
    # infinite sample is its own quantile instead of inf - inf = NaN
    diff = vhi - vlo
    out = xp.where(frac >= 0.5, vhi - diff * (1 - frac), vlo + diff * frac)
    out = xp.where((vlo == vhi) | (frac == 0), vlo, out)  # no inf * 0 at an exact sample
    nan_row = xp.any(xp.isnan(s), axis=-1, keepdims=True)  # sort puts NaN last: propagate
    out = xp.where(nan_row, xp.full_like(out, float("nan")), out)
    out = xp.permute_dims(out, (out.ndim - 1, *range(out.ndim - 1)))  # q axis first
    if keepdims:
        if axis is None:
            out = xp.reshape(out, (out.shape[0],) + (1,) * x.ndim)
        else:
            out = xp.expand_dims(out, axis=ax + 1)
    return out[0, ...] if scalar_q else out


@routine("stats.median")
def median(x: Any, axis: int | None = None, *, keepdims: bool = False) -> Any:
    """The 0.5 quantile.

    Parameters
    ----------
    x : array
        Data.
    axis : int, optional
        Axis; the flattened array by default.
    keepdims : bool
        Keep the reduced axis with length one.

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
    return quantile(x, 0.5, axis, keepdims=keepdims)
