"""Descriptive statistics with NumPy semantics (NaN propagates)."""

from __future__ import annotations

from typing import Any

from .._capabilities import routine
from .._dispatch import backend_of
from .._errors import InvalidArgumentError, ShapeError
from .._validate import (
    as_array,
    as_float,
    check_int,
    check_real,
    normalize_axes,
    normalize_axis,
    scalar_result,
)

__all__ = [
    "corrcoef",
    "cov",
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
    b = backend_of(x)
    return b, as_float(as_array(x, b, arg, func), b, arg, func)


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
    xp = b.xp
    ddof = check_int(ddof, "ddof", "var", minimum=0)
    axes = normalize_axes(axis, x.ndim, "var")
    d = x - xp.mean(x, axis=axes, keepdims=True)
    ss = xp.sum(
        xp.real(d * xp.conj(d)) if xp.isdtype(d.dtype, "complex floating") else d * d,
        axis=axes,
        keepdims=keepdims,
    )
    n = _count(x, axes) - ddof
    return ss / n if n > 0 else ss * float("nan")


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
        q = xp.asarray([qv], dtype=x.dtype)
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
    s = xp.sort(xp.moveaxis(data, ax, -1), axis=-1)
    pos = q * (n - 1)
    lo = xp.astype(xp.floor(pos), xp.int64)
    hi = xp.minimum(lo + 1, xp.asarray(n - 1, dtype=lo.dtype))
    frac = pos - xp.astype(lo, pos.dtype)
    vlo, vhi = xp.take(s, lo, axis=-1), xp.take(s, hi, axis=-1)
    out = vlo + (vhi - vlo) * frac
    nan_row = xp.any(xp.isnan(s), axis=-1, keepdims=True)  # sort puts NaN last: propagate
    out = xp.where(nan_row, xp.full_like(out, float("nan")), out)
    out = xp.moveaxis(out, -1, 0)  # q axis first
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


def _rows(m: Any, y: Any, rowvar: bool, func: str) -> tuple[Any, Any]:
    b = backend_of(m, y) if y is not None else backend_of(m)
    xp = b.xp
    m = as_float(as_array(m, b, "m", func), b, "m", func)
    if m.ndim > 2:
        raise ShapeError(f"{func}: m must be 1-D or 2-D; got shape {tuple(m.shape)}")
    m = xp.reshape(m, (1, -1)) if m.ndim < 2 else m  # NumPy reads 0-d as one observation
    if not rowvar and m.shape[0] != 1:
        m = xp.permute_dims(m, (1, 0))
    if y is not None:
        y = as_float(as_array(y, b, "y", func), b, "y", func)
        if y.ndim > 2:
            raise ShapeError(f"{func}: y must be 1-D or 2-D; got shape {tuple(y.shape)}")
        y = xp.reshape(y, (1, -1)) if y.ndim < 2 else y
        if not rowvar and y.shape[0] != 1:
            y = xp.permute_dims(y, (1, 0))
        if y.shape[1] != m.shape[1]:
            raise ShapeError(
                f"{func}: m and y must have the same number of observations; got "
                f"{m.shape[1]} and {y.shape[1]}"
            )
        dt = xp.result_type(m.dtype, y.dtype)
        m = xp.concat([xp.astype(m, dt), xp.astype(y, dt)], axis=0)
    return b, m


@routine("stats.cov")
def cov(m: Any, y: Any = None, rowvar: bool = True, ddof: int | None = None) -> Any:
    """Covariance matrix, with ``numpy.cov`` semantics.

    Parameters
    ----------
    m : array, 1-D or 2-D
        Variables in rows (``rowvar=True``) and observations in columns.
    y : array, optional
        More variables, stacked under ``m``.
    rowvar : bool
        False: variables are columns.
    ddof : int, optional
        Default 1 (unbiased).

    Returns
    -------
    array
        (k, k), or 0-d for a single variable.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> x = np.array([1.0, 2, 30, 4, 5]); y = np.array([2.0, 4, 60, 18, 10])
    >>> stats.cov(x, y)
    array([[148.3, 285.6],
           [285.6, 569.2]])
    """
    b, a = _rows(m, y, rowvar, "cov")
    xp = b.xp
    ddof = 1 if ddof is None else check_int(ddof, "ddof", "cov", minimum=0)
    n = a.shape[1]
    d = a - xp.mean(a, axis=1, keepdims=True)
    c = (
        d @ xp.conj(xp.permute_dims(d, (1, 0)))
        if xp.isdtype(d.dtype, "complex floating")
        else d @ xp.permute_dims(d, (1, 0))
    )
    c = c / (n - ddof) if n - ddof > 0 else c * float("nan")
    return xp.squeeze(c) if c.shape == (1, 1) else c


@routine("stats.corrcoef")
def corrcoef(x: Any, y: Any = None, rowvar: bool = True) -> Any:
    """Pearson correlation coefficients, with ``numpy.corrcoef`` semantics.

    A constant variable has undefined correlation: its row and column are NaN (with an
    :class:`xpmath.XpmathWarning` on eager backends), as in NumPy and SciPy.

    Parameters
    ----------
    x : array, 1-D or 2-D
        Variables in rows (``rowvar=True``).
    y : array, optional
        More variables.
    rowvar : bool
        False: variables are columns.

    Returns
    -------
    array
        Entries in [-1, 1] (clipped against round-off).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> x = np.arange(5.0)
    >>> stats.corrcoef(x, 3 * x + 2)
    array([[1., 1.],
           [1., 1.]])
    """
    c = cov(x, y, rowvar)
    b = backend_of(c)
    xp = b.xp
    if c.ndim == 0:
        return c / c
    d = xp.sqrt(xp.sum(c * xp.eye(c.shape[0], dtype=c.dtype), axis=1))
    if b.is_concrete(d) and not b.compiles and bool(xp.any(d == 0)):
        from .._errors import warn

        warn("corrcoef: a variable is constant; its correlations are NaN")
    d = xp.where(d == 0, xp.full_like(d, float("nan")), d)  # NaN, not a 0/0 warning
    r = c / d[:, None] / d[None, :]
    return xp.clip(r, -1.0, 1.0)


@routine("stats.zscore")
def zscore(x: Any, axis: int | None = 0, *, ddof: int = 0) -> Any:
    """Standard scores ``(x - mean) / std`` along ``axis`` (``scipy.stats.zscore``).

    Parameters
    ----------
    x : array
        Data.
    axis : int, optional
        Axis; None for the whole array.
    ddof : int
        Delta degrees of freedom of the standard deviation.

    Returns
    -------
    array
        x's shape.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> np.round(stats.zscore(np.array([1.0, 2.0, 3.0])), 6)
    array([-1.224745,  0.      ,  1.224745])
    """
    b, x = _prep(x, "zscore")
    xp = b.xp
    m = xp.mean(x, axis=normalize_axes(axis, x.ndim, "zscore"), keepdims=True)
    return (x - m) / std(x, axis, ddof=ddof, keepdims=True)


def _central(x: Any, axis: int | None, func: str) -> tuple[Any, Any, Any]:
    b, x = _prep(x, func)
    xp = b.xp
    axes = normalize_axes(axis, x.ndim, func)
    d = x - xp.mean(x, axis=axes, keepdims=True)
    m2 = xp.mean(d * d, axis=axes)
    return xp, d, (axes, m2)


@routine("stats.skew")
def skew(x: Any, axis: int | None = 0, *, bias: bool = True) -> Any:
    """Sample skewness ``m3 / m2^1.5`` (``scipy.stats.skew``; ``bias=False`` adjusts).

    Parameters
    ----------
    x : array
        Data.
    axis : int, optional
        Axis; None for the whole array.
    bias : bool
        False: the adjusted Fisher–Pearson estimator.

    Returns
    -------
    array

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> round(float(stats.skew(np.array([1.0, 2.0, 3.0, 10.0]))), 6)
    1.018234
    """
    xp, d, (axes, m2) = _central(x, axis, "skew")
    m3 = xp.mean(d * d * d, axis=axes)
    g1 = m3 / m2**1.5
    if not bias:
        n = _count(d, axes)
        g1 = g1 * (n * (n - 1)) ** 0.5 / (n - 2)
    return g1


@routine("stats.kurtosis")
def kurtosis(x: Any, axis: int | None = 0, *, fisher: bool = True, bias: bool = True) -> Any:
    """Sample kurtosis ``m4 / m2²`` (minus 3 when ``fisher``), as ``scipy.stats.kurtosis``.

    Parameters
    ----------
    x : array
        Data.
    axis : int, optional
        Axis; None for the whole array.
    fisher : bool
        Excess kurtosis (normal → 0) instead of Pearson's (normal → 3).
    bias : bool
        False: the unbiased estimator under normality.

    Returns
    -------
    array

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> round(float(stats.kurtosis(np.array([1.0, 2.0, 3.0, 10.0]))), 6)
    -0.7696
    """
    xp, d, (axes, m2) = _central(x, axis, "kurtosis")
    m4 = xp.mean(d * d * d * d, axis=axes)
    g2 = m4 / (m2 * m2)
    if not bias:
        n = _count(d, axes)
        g2 = 3 + (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * g2 - 3 * (n - 1))
    return g2 - 3 if fisher else g2
