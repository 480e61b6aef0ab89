"""The arithmetic of the t-tests as kernels: pure array functions ``fn(xp, ...)`` with no value
reads, warnings or errors, so eager JAX runs each test as one compiled dispatch
(``Backend.kernel``). Each returns the statistic, p-value, df, estimate and standard error,
and ``flags``: whether SciPy's precision-loss test fires, and whether some spread is exactly 0,
for :mod:`.tests` to warn about after the call."""

from __future__ import annotations

import math
import numbers
from typing import Any

from .._dispatch import backend_of
from ._samples import centred, degenerate_flags, hypot, precision_lost, root_ss, safe_div
from .distributions import t as t_dist


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


def _spread(xp: Any, rss: Any, n: Any) -> Any:
    """The standard error of a mean, ``rss / sqrt(n (n - 1))``; NaN for fewer than two
    observations (``n`` a Python int, or an array of counts under ``nan_policy="omit"``)."""
    if hasattr(n, "shape"):
        zero = n < 2
        den = xp.sqrt(xp.where(zero, xp.ones_like(n), n * (n - 1)))
        return xp.where(zero, xp.full_like(rss, float("nan")), rss / den)
    return safe_div(xp, rss, math.sqrt(n * (n - 1)) if n >= 2 else 0)


def one_sample(
    xp: Any, d: Any, keep: Any, ax: int, popmean: Any, alternative: str
) -> tuple[Any, ...]:
    """The test of ``mean(d) == popmean`` (``popmean`` in the reduced shape); ``keep`` the
    mask of values used under "omit", or None. Deviations are taken from ``d`` itself, so a
    ``popmean`` far from the data costs no digits."""
    b = backend_of(d)
    n, mean, dev = centred(b, d, (ax,), keep)
    scale, r = root_ss(b, dev, (ax,))
    unit = _spread(xp, r, n)  # the standard error over scale
    se = xp.squeeze(scale * unit, axis=ax)
    flags = degenerate_flags(xp, [precision_lost(b, dev, mean, n, (ax,), rss=scale * r)], se)
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
    return stat, p, df, m + xp.zeros_like(stat), se, flags


def two_sample(
    xp: Any,
    a: Any,
    c: Any,
    keep_a: Any,
    keep_c: Any,
    ax: int,
    equal_var: bool,
    alternative: str,
) -> tuple[Any, ...]:
    """Student's (pooled variance) or Welch's test of ``mean(a) == mean(c)``; ``a`` and ``c``
    aligned apart from ``axis``, with their "omit" masks or None."""
    bk = backend_of(a)
    (n1, m1, d1), (n2, m2, d2) = (centred(bk, x, (ax,), k) for x, k in ((a, keep_a), (c, keep_c)))
    (s1, r1), (s2, r2) = root_ss(bk, d1, (ax,)), root_ss(bk, d2, (ax,))
    lost = [
        precision_lost(bk, d, m, n, (ax,), rss=s * r)
        for d, m, n, s, r in ((d1, m1, n1, s1, r1), (d2, m2, n2, s2, r2))
    ]

    def squeeze(v: Any) -> Any:
        return xp.squeeze(v, axis=ax) if hasattr(v, "shape") else v

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
    flags = degenerate_flags(xp, lost, se)
    stat = _statistic(xp, (m1 - m2) / scale, unit)
    scalar_df = equal_var and not hasattr(n1 + n2, "shape")
    p = _pvalue(xp, stat, n1 + n2 - 2 if scalar_df else df, alternative)
    return stat, p, df, m1 - m2, se, flags
