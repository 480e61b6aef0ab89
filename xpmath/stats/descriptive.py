"""Descriptive statistics with NumPy semantics (NaN propagates)."""

from __future__ import annotations

from typing import Any

from .._capabilities import routine
from .._dispatch import backend_of
from .._validate import (
    as_scalar,
    check_int,
    float_input,
    normalize_axes,
    scalar_result,
)
from ._samples import _correction, over_no_freedom
from .moments import kurtosis, skew, zscore
from .sample_quantiles import sample_quantile

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
def quantile(
    x: Any,
    q: Any,
    axis: Axis = None,
    *,
    keepdims: bool = False,
    method: str = "linear",
    weights: Any = None,
    overwrite_input: bool = False,
) -> Any:
    """Quantiles of the data, by any of NumPy's thirteen methods (linear interpolation between
    order statistics by default).

    Parameters
    ----------
    x : array
        Data.
    q : float or array (or nested list)
        Probabilities in [0, 1]; an array on ``x``'s backend, of any shape. A floating array
        takes part in the result's dtype, as in NumPy (float64 ``q`` of float32 data gives
        float64); a Python float does not.
    axis : int or tuple of int, optional
        Axes along which to compute (taken together); all of them by default.
    keepdims : bool
        Keep the reduced axes with length one.
    method : str
        As ``numpy.quantile``'s: Hyndman and Fan's ``"inverted_cdf"``,
        ``"averaged_inverted_cdf"``, ``"closest_observation"``,
        ``"interpolated_inverted_cdf"``, ``"hazen"``, ``"weibull"``, ``"linear"`` (the
        default), ``"median_unbiased"``, ``"normal_unbiased"``, and ``"lower"``,
        ``"higher"``, ``"nearest"``, ``"midpoint"``. The five that pick a sample
        (``inverted_cdf``, ``closest_observation``, ``lower``, ``higher``, ``nearest``) return
        it in ``x``'s dtype, integers included; the others interpolate in floating point.
    weights : array, optional
        Nonnegative weight of each sample (``method="inverted_cdf"`` only, as in NumPy): of
        ``x``'s shape, or of the shape of the reduced axes. Integer weights count repeated
        samples. On Dask the sorted weights are gathered by selection (memory n² per slice).
    overwrite_input : bool
        Accepted for NumPy's signature; ``x`` is never modified.

    Returns
    -------
    array
        For an array ``q``, its axes come first (as in NumPy). An infinite sample is its own
        quantile, and between a finite and an infinite sample the quantile is that infinity
        (where NumPy's interpolation gives ``inf - inf`` = NaN).

    Raises
    ------
    InvalidArgumentError
        A ``q`` outside [0, 1], an unknown ``method``, ``weights`` with another method than
        ``"inverted_cdf"``, negative weights, or weights that are all zero or not finite.
    ShapeError
        ``weights`` of another shape, or ``x`` empty along the axis.
    DTypeError
        Complex ``x`` (complex numbers have no order; NumPy's ``TypeError`` too).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> stats.quantile(np.array([1.0, 2.0, 3.0, 4.0]), np.array([0.0, 0.5, 1.0]))
    array([1. , 2.5, 4. ])
    >>> float(stats.quantile(np.array([1.0, np.inf]), 0.7))
    inf
    >>> int(stats.quantile(np.array([1, 2, 3, 4]), 0.5, method="lower"))
    2
    >>> float(stats.quantile(np.array([1.0, 2.0, 3.0]), 0.5, weights=np.array([3, 1, 1]),
    ...                      method="inverted_cdf"))
    1.0
    """
    del overwrite_input
    return sample_quantile(x, q, axis, keepdims, "quantile", method, weights)


@routine("stats.median")
def median(
    x: Any, axis: Axis = None, *, keepdims: bool = False, overwrite_input: bool = False
) -> Any:
    """The 0.5 quantile (the mean of the middle two samples of an even count).

    Parameters
    ----------
    x : array
        Data.
    axis : int or tuple of int, optional
        Axes, taken together; all of them by default.
    keepdims : bool
        Keep the reduced axes with length one.
    overwrite_input : bool
        Accepted for NumPy's signature; ``x`` is never modified.

    Returns
    -------
    array
        NaN for an empty slice, with a :class:`xpmath.SmallSampleWarning` (a
        ``RuntimeWarning``), as NumPy gives it.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> float(stats.median(np.array([3.0, 1.0, 2.0, 10.0])))
    2.5
    """
    del overwrite_input
    return as_scalar(sample_quantile(x, 0.5, axis, keepdims, "median"))
