"""Moment statistics: skewness, kurtosis and standard scores, with SciPy's ``nan_policy``,
small-sample and precision-loss behaviour."""

from __future__ import annotations

import math
from typing import Any

from .._capabilities import routine
from .._dispatch import backend_of
from .._validate import as_float, as_scalar, check_int, normalize_axes
from ._samples import (
    centred,
    degenerate_flags,
    keep_mask,
    out_shape,
    precision_lost,
    recentre,
    safe_div,
    sample_counts,
    unit_scale,
    warn_degenerate,
    warn_small,
)

__all__ = ["kurtosis", "skew", "zscore"]


def _prepare(x: Any, axis: Any, nan_policy: str, func: str) -> tuple[Any, Any, tuple, Any, tuple]:
    b = backend_of(x)
    x = as_float(x, b, "x", func)
    shape = tuple(x.shape)
    if x.ndim == 0:  # one observation, as SciPy (which takes 0-d input as 1-d)
        x = b.xp.reshape(x, (1,))
    axes = normalize_axes(axis, x.ndim, func)
    axes = tuple(range(x.ndim)) if axes is None else axes
    return b, x, axes, keep_mask(b, x, nan_policy, func), shape


def _standardised(
    xp: Any, x: Any, keep: Any, axes: tuple[int, ...], order: int
) -> tuple[Any, Any, Any, Any]:
    """Kernel: ``(n, g, zero, flags)`` for the standardised moment ``g = m_k / m2^(k/2)``
    (keepdims; NaN where the variance is lost to rounding, SciPy's ``m2 <= (eps * mean)**2``,
    marked in ``zero``), the count per slice as an array and :func:`degenerate_flags`."""
    b = backend_of(x)
    n, mean, d = centred(b, x, axes, keep)
    # skewness and kurtosis are scale-free: moments of d / max|d| neither overflow (huge data)
    # nor underflow to subnormals (tiny data; XLA flushes those to 0)
    s = xp.max(xp.abs(d), axis=axes, keepdims=True) if 0 not in tuple(d.shape) else None
    lost = precision_lost(b, d, mean, n, axes, biggest=s)  # no flag for empty slices
    if s is not None:
        if _needs_scaling(b, s, math.prod(x.shape)):
            s = unit_scale(xp, s)
            d = recentre(b, d / s, axes, n, keep, s)
        else:
            s = None
    d2 = d * d
    m2 = safe_div(xp, xp.sum(d2, axis=axes, keepdims=True), n)
    mk = safe_div(xp, xp.sum(d2 * d if order == 3 else d2 * d2, axis=axes, keepdims=True), n)
    eps = float(xp.finfo(x.dtype).eps)
    # SciPy's test for a variance lost to rounding, m2 <= (eps * mean)**2, in the scaled
    # deviations' units (the spread of subnormal data times its scale would round to 0)
    spread = xp.sqrt(m2)
    level = eps * xp.abs(mean) / (s if s is not None else 1.0)
    zero = ~(spread > level) & ~xp.isnan(spread)
    g = xp.where(
        zero,
        xp.full_like(m2, float("nan")),
        mk / xp.where(zero, xp.ones_like(m2), m2) ** (order / 2),
    )
    nf = n if hasattr(n, "shape") else xp.full_like(m2, float(n))
    return nf, g, zero, degenerate_flags(xp, [lost])


def _moments(
    x: Any, axis: Any, nan_policy: str, keepdims: bool, func: str, order: int
) -> tuple[Any, Any, Any, Any, Any]:
    """``(xp, n, g, zero, finish)``: :func:`_standardised` (one compiled dispatch on eager
    JAX) after the small-sample warning and before the precision-loss one, and a function
    shaping a result as asked."""
    b, x, axes, keep, _ = _prepare(x, axis, nan_policy, func)
    xp = b.xp
    omitted = keep is not None
    counts = sample_counts(b, keep, math.prod(x.shape[a] for a in axes), axes)
    warn_small(b, (counts,), omitted, len(out_shape(x.shape, axes)) > 0, func)
    nf, g, zero, flags = b.kernel(_standardised, x, keep, axes, order)
    warn_degenerate(b, flags, func)
    shape = tuple(1 if i in axes else s for i, s in enumerate(x.shape))
    final = shape if keepdims else out_shape(x.shape, axes)

    def finish(v: Any) -> Any:
        return as_scalar(xp.reshape(v, final))

    return xp, nf, g, zero, finish


def _needs_scaling(b: Any, s: Any, size: int) -> bool:
    """Whether fourth powers of deviations up to ``s`` could overflow or underflow (always
    assumed on lazy and traced arrays, which cannot be read): then the moments are taken of
    ``d / s``, one more pass over the data."""
    if not b.values_known(s):
        return True
    xp = b.xp
    info = xp.finfo(s.dtype)
    low = float(info.smallest_normal) ** 0.25 * 16
    high = (float(info.max) / max(size, 1)) ** 0.25 / 2
    return not bool(xp.all((s == 0) | ((s > low) & (s < high))))


@routine("stats.skew")
def skew(
    x: Any,
    axis: int | tuple[int, ...] | None = 0,
    bias: bool = True,
    nan_policy: str = "propagate",
    *,
    keepdims: bool = False,
) -> Any:
    """Sample skewness ``m3 / m2^1.5`` (``scipy.stats.skew``; ``bias=False`` adjusts).

    Parameters
    ----------
    x : array
        Data (a 0-d array is one observation).
    axis : int, tuple of ints or None
        Axis (or axes) of the observations; None for the whole array.
    bias : bool
        False: the adjusted Fisher–Pearson estimator (for slices of more than 2 values).
    nan_policy : {"propagate", "omit", "raise"}
        NaN in a slice gives NaN; is left out; raises :class:`xpmath.InvalidArgumentError`
        (eager backends only: a lazy array cannot be read).
    keepdims : bool
        Keep the reduced axes with length 1.

    Returns
    -------
    array
        NaN for constant data (with a :class:`xpmath.PrecisionLossWarning`) and for empty
        slices (with a :class:`xpmath.SmallSampleWarning`), as SciPy.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> round(float(stats.skew(np.array([1.0, 2.0, 3.0, 10.0]))), 6)
    1.018234
    >>> round(float(stats.skew(np.array([1.0, np.nan, 2.0, 3.0, 10.0]), nan_policy="omit")), 6)
    1.018234
    """
    xp, nf, vals, zero, finish = _moments(x, axis, nan_policy, keepdims, "skew", 3)
    if not bias:
        big = ~zero & (nf > 2)
        safe_n = xp.where(big, nf, xp.full_like(nf, 3.0))
        vals = xp.where(big, vals * ((safe_n - 1.0) * safe_n) ** 0.5 / (safe_n - 2.0), vals)
    return finish(vals)


@routine("stats.kurtosis")
def kurtosis(
    x: Any,
    axis: int | tuple[int, ...] | None = 0,
    fisher: bool = True,
    bias: bool = True,
    nan_policy: str = "propagate",
    *,
    keepdims: bool = False,
) -> Any:
    """Sample kurtosis ``m4 / m2²`` (minus 3 when ``fisher``), as ``scipy.stats.kurtosis``.

    Parameters
    ----------
    x : array
        Data (a 0-d array is one observation).
    axis : int, tuple of ints or None
        Axis (or axes) of the observations; None for the whole array.
    fisher : bool
        Excess kurtosis (normal → 0) instead of Pearson's (normal → 3).
    bias : bool
        False: the unbiased estimator under normality (for slices of more than 3 values).
    nan_policy : {"propagate", "omit", "raise"}
        As in :func:`skew`.
    keepdims : bool
        Keep the reduced axes with length 1.

    Returns
    -------
    array
        NaN for constant data and empty slices, with a warning, as SciPy.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> round(float(stats.kurtosis(np.array([1.0, 2.0, 3.0, 10.0]))), 6)
    -0.7696
    """
    xp, nf, vals, zero, finish = _moments(x, axis, nan_policy, keepdims, "kurtosis", 4)
    if not bias:
        big = ~zero & (nf > 3)
        sn = xp.where(big, nf, xp.full_like(nf, 4.0))
        adjusted = ((sn * sn - 1.0) * vals - 3 * (sn - 1.0) ** 2) / ((sn - 2.0) * (sn - 3.0)) + 3
        vals = xp.where(big, adjusted, vals)
    return finish(vals - 3 if fisher else vals)


@routine("stats.zscore")
def zscore(
    x: Any,
    axis: int | tuple[int, ...] | None = 0,
    ddof: int = 0,
    nan_policy: str = "propagate",
) -> Any:
    """Standard scores ``(x - mean) / std`` along ``axis`` (``scipy.stats.zscore``).

    Parameters
    ----------
    x : array
        Data.
    axis : int, tuple of ints or None
        Axis (or axes); None for the whole array.
    ddof : int
        Delta degrees of freedom of the standard deviation.
    nan_policy : {"propagate", "omit", "raise"}
        "omit": mean and spread come from the other values and NaN stays NaN.

    Returns
    -------
    array
        x's shape. Constant slices give NaN, with a :class:`xpmath.PrecisionLossWarning`
        where rounding left the deviations near zero, as SciPy.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> np.round(stats.zscore(np.array([1.0, 2.0, 3.0])), 6)
    array([-1.224745,  0.      ,  1.224745])
    """
    ddof = check_int(ddof, "ddof", "zscore", minimum=0)
    b, xf, axes, keep, shape = _prepare(x, axis, nan_policy, "zscore")
    if 0 in tuple(xf.shape):
        return b.xp.reshape(xf, shape)  # no scores to take
    z, flags = b.kernel(_standard_scores, xf, keep, axes, ddof)
    warn_degenerate(b, flags, "zscore")
    return b.xp.reshape(z, shape)


def _standard_scores(xp: Any, x: Any, keep: Any, axes: tuple[int, ...], ddof: int) -> Any:
    """Kernel: ``(z, flags)``, the standard scores and :func:`degenerate_flags`."""
    b = backend_of(x)
    n, mean, d = centred(b, x, axes, keep)
    # z is scale-free: divide by the largest deviation first, so the variance of tiny (or
    # huge) values neither underflows to 0 (giving ±inf) nor overflows
    s = xp.max(xp.abs(d), axis=axes, keepdims=True)
    lost = precision_lost(b, d, mean, n, axes, biggest=s)
    s = unit_scale(xp, s)
    u = recentre(b, d / s, axes, n, keep, s)
    sd = xp.sqrt(safe_div(xp, xp.sum(u * u, axis=axes, keepdims=True), n - ddof))
    # constant data (zero deviations: centred() corrects the mean's rounding) has no z-scores:
    # NaN, as SciPy. The reciprocal is taken on the reduced array: one full pass, not three
    flat = sd == 0
    inv = xp.where(flat, xp.full_like(sd, float("nan")), 1 / xp.where(flat, xp.ones_like(sd), sd))
    z = u * inv
    if keep is not None:
        z = xp.where(keep, z, xp.full_like(z, float("nan")))
    return z, degenerate_flags(xp, [lost])
