"""Student t-tests (one-sample, paired, independent Student/Welch) with SciPy's
``nan_policy``, broadcasting and small-sample rules; p-values from the t distribution's CDF via
the regularised incomplete beta function, on the backend."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from .._capabilities import routine
from .._dispatch import backend_of
from .._errors import InvalidArgumentError, PrecisionLossWarning, ShapeError, warn
from .._validate import as_float, normalize_axis
from ._samples import (
    centred,
    hypot,
    keep_mask,
    root_ss,
    safe_div,
    warn_precision_loss,
    warn_small,
)
from ._ttest_result import ConfidenceInterval, TtestResult, ttest_result
from .distributions import t as t_dist

__all__ = ["ConfidenceInterval", "TtestResult", "ttest_1samp", "ttest_ind", "ttest_rel"]

ALTERNATIVES = ("two-sided", "less", "greater")


def _check_alternative(alternative: Any, func: str) -> None:
    if alternative not in ALTERNATIVES:
        raise InvalidArgumentError(
            f"{func}: `alternative` must be 'less', 'greater', or 'two-sided'; got {alternative!r}"
        )


def _statistic(xp: Any, diff: Any, se: Any) -> Any:
    """``diff / se``; with zero spread ``±inf`` (NaN when ``diff`` is 0 too), like SciPy."""
    zero = se == 0
    safe = xp.where(zero, xp.ones_like(se), se)
    nan = xp.full_like(diff, float("nan"))
    inf = xp.full_like(diff, float("inf"))
    degenerate = xp.where(diff > 0, inf, xp.where(diff < 0, -inf, nan))
    return xp.where(zero, degenerate, diff / safe)


def _pvalue(xp: Any, stat: Any, df: Any, alternative: str) -> Any:
    """The p-value; NaN where ``df <= 0`` (one observation). A Python ``df`` (no omitted
    values) keeps the t distribution on its scalar-parameter path."""
    if isinstance(df, numbers.Number):
        if not df > 0:
            return xp.full_like(stat, float("nan"))
        ok, dist = None, t_dist(float(df))
    else:
        df = xp.astype(df, stat.dtype)
        ok = df > 0
        dist = t_dist(xp.where(ok, df, xp.ones_like(df)))
    if alternative == "less":
        p = dist.cdf(stat)
    elif alternative == "greater":
        p = dist.sf(stat)
    else:
        p = xp.minimum(2 * dist.sf(xp.abs(stat)), xp.ones_like(stat))
    return p if ok is None else xp.where(ok, p, xp.full_like(p, float("nan")))


def _prep(a: Any, func: str, arg: str, b: Any) -> Any:
    a = as_float(a, b, arg, func)
    return b.xp.reshape(a, (1,)) if a.ndim == 0 else a  # one observation, as SciPy


def _broadcast(shapes: tuple[tuple[int, ...], ...], what: str, func: str) -> tuple[int, ...]:
    try:
        return tuple(np.broadcast_shapes(*shapes))
    except ValueError:
        listed = " and ".join(str(s) for s in shapes)
        raise ShapeError(
            f"{func}: {what} do not broadcast (operands could not be broadcast together); "
            f"got shapes {listed}"
        ) from None


def _spread(xp: Any, rss: Any, n: Any) -> Any:
    """The standard error of a mean, ``rss / sqrt(n (n - 1))``; NaN for fewer than two
    observations (``n`` a Python int, or an array of counts under ``nan_policy="omit"``)."""
    if hasattr(n, "shape"):
        zero = n < 2
        den = xp.sqrt(xp.where(zero, xp.ones_like(n), n * (n - 1)))
        return xp.where(zero, xp.full_like(rss, float("nan")), rss / den)
    return safe_div(xp, rss, math.sqrt(n * (n - 1)) if n >= 2 else 0)


def _warn_degenerate(
    b: Any, parts: list[tuple[Any, Any, Any, Any]], se: Any, ax: int, func: str
) -> None:
    """SciPy's precision-loss warning; else a warning for exactly constant data. ``parts``
    holds ``(n, mean, deviations, root of the sum of squares)`` per sample."""
    for n, mean, dev, rss in parts:
        if warn_precision_loss(b, dev, mean, n, (ax,), func, rss=rss):
            return
    xp = b.xp
    if b.is_concrete(se) and bool(xp.any(se == 0)):
        warn(
            f"{func}: the data are constant (zero variance); the statistic is -inf or inf "
            "(p-value 0), or NaN where the difference is 0 too",
            category=PrecisionLossWarning,
        )


def _one_sample(
    b: Any, d: Any, ax: int, keep: Any, alternative: str, func: str, popmean: Any = 0.0
) -> TtestResult:
    """The test of ``mean(d) == popmean`` (``popmean`` in the reduced shape): deviations are
    taken from ``d`` itself, so a ``popmean`` far from the data costs no digits."""
    xp = b.xp
    n, mean, dev = centred(b, d, (ax,), keep)
    warn_small(b, (n,), keep is not None, d.ndim > 1, func)
    scale, r = root_ss(b, dev, (ax,))
    unit = _spread(xp, r, n)  # the standard error over scale
    se = xp.squeeze(scale * unit, axis=ax)
    _warn_degenerate(b, [(n, mean, dev, scale * r)], se, ax, func)
    m = xp.squeeze(mean, axis=ax)
    diff = m - popmean  # broadcast: popmean may have more dimensions than the reduced data
    se = se + xp.zeros_like(diff)
    scale, unit = xp.squeeze(scale, axis=ax), xp.squeeze(unit, axis=ax)
    stat = _statistic(xp, diff / scale, unit + xp.zeros_like(diff))
    if hasattr(n, "shape"):  # elements omitted: a count per slice, NaN df for an empty one
        nn = xp.squeeze(n, axis=ax) + xp.zeros_like(stat)
        df = xp.where(nn == 0, xp.full_like(nn, float("nan")), nn - 1)
    elif n == 0:
        df = xp.full_like(stat, float("nan"))
    else:  # an integer, as SciPy's
        df = xp.full_like(stat, n - 1, dtype=b.default_int())
    p = _pvalue(xp, stat, df if hasattr(n, "shape") else n - 1, alternative)
    return ttest_result(stat, p, df, m + xp.zeros_like(stat), se, alternative)


#: array_api_strict has no special-function module: the p-value's go through SciPy
_STRICT_NOTE = {
    "array_api_strict": "the p-value's special functions run through SciPy on the host "
    "(array_api_strict has no special module); the statistic and the result stay "
    "array_api_strict"
}


@routine("stats.ttest_1samp", array_api_strict="host", note=_STRICT_NOTE)
def ttest_1samp(
    a: Any,
    popmean: Any,
    axis: int = 0,
    nan_policy: str = "propagate",
    alternative: str = "two-sided",
) -> TtestResult:
    """Test whether the mean of ``a`` equals ``popmean`` (``scipy.stats.ttest_1samp``).

    Parameters
    ----------
    a : array
        Sample (a 0-d array is one observation).
    popmean : float or array
        Hypothesised mean. An array with ``a``'s number of dimensions has length 1 along
        ``axis`` (SciPy's form); one with fewer dimensions broadcasts against ``a`` without
        ``axis``.
    axis : int
        Axis of the observations.
    nan_policy : {"propagate", "omit", "raise"}
        NaN in a sample gives NaN; is left out; raises (eager backends only).
    alternative : {"two-sided", "less", "greater"}
        The alternative hypothesis about the mean.

    Returns
    -------
    TtestResult
        ``(statistic, pvalue)`` with ``df`` and ``confidence_interval()``. Constant data give
        ``±inf`` (p-value 0), or NaN when the mean equals ``popmean``, with a warning; an
        empty sample gives NaN with a :class:`xpmath.SmallSampleWarning`, as SciPy.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> r = stats.ttest_1samp(np.array([5.1, 4.9, 5.3, 5.2, 4.8]), 5.0)
    >>> round(float(r.statistic), 6), round(float(r.pvalue), 6), float(r.df)
    (0.646997, 0.552889, 4.0)
    """
    _check_alternative(alternative, "ttest_1samp")
    b = backend_of(a, popmean)
    a = _prep(a, "ttest_1samp", "a", b)
    xp = b.xp
    ax = normalize_axis(axis, a.ndim, "axis", "ttest_1samp")
    keep = keep_mask(b, a, nan_policy, "ttest_1samp", "a")
    if isinstance(popmean, numbers.Real) and not isinstance(popmean, bool):
        # a Python number stays one: exact, and of a's precision on every backend
        return _one_sample(b, a, ax, keep, alternative, "ttest_1samp", float(popmean))
    if isinstance(popmean, list | tuple):  # NumPy's float64, not the backend's default float
        popmean = np.asarray(popmean, dtype=np.float64)
    pm = as_float(popmean, b, "popmean", "ttest_1samp")
    if pm.ndim == a.ndim:
        if pm.shape[ax] != 1:
            raise ShapeError(
                f"ttest_1samp: `popmean.shape[axis]` must equal 1. Got popmean of shape "
                f"{tuple(pm.shape)} with axis={axis}"
            )
        full, reduced = pm, xp.squeeze(pm, axis=ax)
    elif pm.ndim < a.ndim:
        reduced = pm
        full = xp.expand_dims(xp.reshape(pm, (1,) * (a.ndim - 1 - pm.ndim) + pm.shape), axis=ax)
    else:
        raise ShapeError(
            f"ttest_1samp: popmean has more dimensions than a; got shapes {tuple(pm.shape)} "
            f"and {tuple(a.shape)}"
        )
    _broadcast((tuple(a.shape), tuple(full.shape)), "a and popmean", "ttest_1samp")
    return _one_sample(b, a, ax, keep, alternative, "ttest_1samp", reduced)


@routine("stats.ttest_rel", array_api_strict="host", note=_STRICT_NOTE)
def ttest_rel(
    a: Any,
    b: Any,
    axis: int = 0,
    nan_policy: str = "propagate",
    alternative: str = "two-sided",
) -> TtestResult:
    """Paired t-test: the one-sample test on ``a - b`` (``scipy.stats.ttest_rel``).

    Parameters
    ----------
    a, b : array
        Paired samples; broadcast against each other.
    axis : int
        Axis of the observations.
    nan_policy : {"propagate", "omit", "raise"}
        "omit" leaves out the pairs with a NaN in either sample.
    alternative : {"two-sided", "less", "greater"}
        The alternative hypothesis about ``mean(a - b)``.

    Returns
    -------
    TtestResult

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> before = np.array([10.0, 12.0, 9.0, 11.0]); after = np.array([11.0, 14.0, 10.0, 13.0])
    >>> round(float(stats.ttest_rel(after, before).pvalue), 6)
    0.013847
    """
    _check_alternative(alternative, "ttest_rel")
    bk = backend_of(a, b)
    a, b = _prep(a, "ttest_rel", "a", bk), _prep(b, "ttest_rel", "b", bk)
    shape = _broadcast((tuple(a.shape), tuple(b.shape)), "a and b", "ttest_rel")
    d = a - b
    d = bk.xp.broadcast_to(d, shape) if tuple(d.shape) != shape else d
    ax = normalize_axis(axis, d.ndim, "axis", "ttest_rel")
    keep = keep_mask(bk, d, nan_policy, "ttest_rel", "a - b")
    return _one_sample(bk, d, ax, keep, alternative, "ttest_rel")


def _aligned(xp: Any, a: Any, b: Any, axis: int, func: str) -> tuple[Any, Any, int]:
    """``a`` and ``b`` with equal dimensions, broadcast against each other except along
    ``axis`` (SciPy's rule for samples of different sizes)."""
    nd = max(a.ndim, b.ndim)
    a = xp.reshape(a, (1,) * (nd - a.ndim) + tuple(a.shape))
    b = xp.reshape(b, (1,) * (nd - b.ndim) + tuple(b.shape))
    ax = normalize_axis(axis, nd, "axis", func)
    rest = [tuple(s for i, s in enumerate(x.shape) if i != ax) for x in (a, b)]
    batch = _broadcast(tuple(rest), "a and b (apart from axis)", func)

    def to(x: Any) -> Any:
        shape = (*batch[:ax], x.shape[ax], *batch[ax:])
        return x if tuple(x.shape) == shape else xp.broadcast_to(x, shape)

    return to(a), to(b), ax


@routine("stats.ttest_ind", array_api_strict="host", note=_STRICT_NOTE)
def ttest_ind(
    a: Any,
    b: Any,
    *,
    axis: int = 0,
    equal_var: bool = True,
    nan_policy: str = "propagate",
    alternative: str = "two-sided",
) -> TtestResult:
    """Two independent samples: Student's t (pooled variance) or Welch's (``equal_var=False``).

    Parameters
    ----------
    a, b : array
        Samples; of any lengths along ``axis``, broadcast against each other otherwise.
    axis : int
        Axis of the observations.
    equal_var : bool
        True: pooled variance, ``df = n1 + n2 - 2``; False: Welch–Satterthwaite df.
    nan_policy : {"propagate", "omit", "raise"}
        NaN in a sample gives NaN; is left out (per sample); raises (eager backends only).
    alternative : {"two-sided", "less", "greater"}
        The alternative about ``mean(a) - mean(b)``.

    Returns
    -------
    TtestResult

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> a = np.array([5.1, 4.9, 5.6, 5.8, 6.0]); b = np.array([6.5, 6.8, 7.1, 6.9, 7.4])
    >>> r = stats.ttest_ind(a, b)
    >>> round(float(r.statistic), 4), bool(r.pvalue < 0.05), float(r.df)
    (-5.683, True, 8.0)
    """
    _check_alternative(alternative, "ttest_ind")
    bk = backend_of(a, b)
    xp = bk.xp
    a, b = _prep(a, "ttest_ind", "a", bk), _prep(b, "ttest_ind", "b", bk)
    a, b, ax = _aligned(xp, a, b, axis, "ttest_ind")
    keeps = (keep_mask(bk, a, nan_policy, "ttest_ind", "a"),)
    keeps += (keep_mask(bk, b, nan_policy, "ttest_ind", "b"),)
    parts = [centred(bk, x, (ax,), k) for x, k in zip((a, b), keeps)]
    omitted = any(k is not None for k in keeps)
    warn_small(bk, (parts[0][0], parts[1][0]), omitted, a.ndim > 1, "ttest_ind")

    def squeeze(v: Any) -> Any:
        return xp.squeeze(v, axis=ax) if hasattr(v, "shape") else v

    (n1, m1, d1), (n2, m2, d2) = parts
    (s1, r1), (s2, r2) = root_ss(bk, d1, (ax,)), root_ss(bk, d2, (ax,))
    rss1k, rss2k = s1 * r1, s2 * r2
    n1, n2, m1, m2 = squeeze(n1), squeeze(n2), squeeze(m1), squeeze(m2)
    # the spreads are combined over a common scale (hypot, ratios), so data of 1e200 or
    # 1e-200 neither overflow nor underflow the squared variances
    s1, s2, r1, r2 = squeeze(s1), squeeze(s2), squeeze(r1), squeeze(r2)
    scale = xp.maximum(s1, s2)
    u1, u2 = (s1 / scale) * r1, (s2 / scale) * r2
    if equal_var:
        df = n1 + n2 - 2.0 + xp.zeros_like(u1 + u2)
        empty = (n1 == 0) | (n2 == 0)
        if hasattr(empty, "shape"):
            df = xp.where(empty, xp.full_like(df, float("nan")), df)
        elif empty:
            df = xp.full_like(df, float("nan"))
        # sums of squares, so a one-observation sample adds 0 (its variance is undefined):
        # se = sqrt((ss1 + ss2) / df * (1 / n1 + 1 / n2))
        one = xp.ones_like(df)
        weight = safe_div(xp, safe_div(xp, one, n1) + safe_div(xp, one, n2), df)
        unit = hypot(xp, u1, u2) * xp.sqrt(weight)
    else:
        q1, q2 = _spread(xp, u1, n1), _spread(xp, u2, n2)  # sqrt(var / n) / scale
        unit = hypot(xp, q1, q2)
        # Welch–Satterthwaite in scale-free form: df = 1 / (w1² / (n1 - 1) + w2² / (n2 - 1)),
        # w = q² / (q1² + q2²)
        zero = unit == 0
        safe_unit = xp.where(zero, xp.ones_like(unit), unit)
        w1, w2 = (q1 / safe_unit) ** 2, (q2 / safe_unit) ** 2
        den = safe_div(xp, w1 * w1, n1 - 1) + safe_div(xp, w2 * w2, n2 - 1)
        # both variances 0: any df gives the same answer; SciPy uses 1
        safe = xp.where(den == 0, xp.ones_like(den), den)
        df = xp.where((den == 0) | zero, xp.ones_like(den), 1 / safe)
    se = scale * unit
    _warn_degenerate(bk, [(*parts[0], rss1k), (*parts[1], rss2k)], se, ax, "ttest_ind")
    stat = _statistic(xp, (m1 - m2) / scale, unit)
    scalar_df = equal_var and not hasattr(n1 + n2, "shape")
    p = _pvalue(xp, stat, n1 + n2 - 2 if scalar_df else df, alternative)
    return ttest_result(stat, p, df, m1 - m2, se, alternative)
