"""Student t-tests (one-sample, paired, independent Student/Welch) with p-values from the t
distribution's CDF via the regularised incomplete beta function, on the backend."""

from __future__ import annotations

from typing import Any, NamedTuple

from .._capabilities import routine
from .._dispatch import backend_of
from .._errors import InvalidArgumentError, ShapeError, warn
from .._validate import as_array, as_float, as_scalar, check_choice, check_real, normalize_axis
from .distributions import t as t_dist

__all__ = ["ConfidenceInterval", "TtestResult", "ttest_1samp", "ttest_ind", "ttest_rel"]

ALTERNATIVES = ("two-sided", "less", "greater")


class _TtestFields(NamedTuple):
    statistic: Any
    pvalue: Any
    df: Any


class ConfidenceInterval(NamedTuple):
    """Lower and upper bound (``-inf``/``inf`` on the open side of a one-sided test)."""

    low: Any
    high: Any


class TtestResult(_TtestFields):
    """Test statistic, p-value and degrees of freedom, unpacking as a 3-tuple like SciPy's.

    Fields are arrays of the backend; a 0-d result on NumPy is a NumPy scalar, as in SciPy.
    :meth:`confidence_interval` gives the interval for the estimated mean (one sample), mean
    difference (paired) or difference in means (independent samples).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> r = stats.ttest_1samp(np.array([5.1, 4.9, 5.3, 5.2, 4.8]), 5.0)
    >>> stat, p, df = r
    >>> ci = r.confidence_interval(0.95)
    >>> round(float(ci.low), 4), round(float(ci.high), 4)
    (4.8025, 5.3175)
    """

    _estimate: Any = None
    _standard_error: Any = None
    _alternative: str = "two-sided"

    def confidence_interval(self, confidence_level: float = 0.95) -> ConfidenceInterval:
        """Interval holding the true value with probability ``confidence_level``.

        Parameters
        ----------
        confidence_level : float
            In (0, 1); default 0.95.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)``; one-sided (``-inf`` or ``inf``) for ``alternative="less"`` or
            ``"greater"``, as in SciPy.
        """
        level = check_real(confidence_level, "confidence_level", "confidence_interval")
        if not 0 < level < 1:
            raise InvalidArgumentError(
                f"confidence_interval: confidence_level must be in (0, 1); got {confidence_level!r}"
            )
        est, se = self._estimate, self._standard_error
        if est is None:
            raise InvalidArgumentError(
                "confidence_interval: this result was rebuilt from its three fields (for "
                "example returned through jax.jit), which drops the estimate; call "
                "confidence_interval inside the jitted function"
            )
        b = backend_of(est)
        xp = b.xp
        one_sided = self._alternative != "two-sided"
        q = level if one_sided else (1 + level) / 2
        dist = t_dist(self.df if hasattr(self.df, "shape") else float(self.df))
        half = dist.ppf(xp.full_like(est, q)) * se
        inf = xp.full_like(est, xp.inf)
        low = -inf if self._alternative == "less" else est - half
        high = inf if self._alternative == "greater" else est + half
        return ConfidenceInterval(as_scalar(low), as_scalar(high))


def _result(
    stat: Any, pvalue: Any, df: Any, estimate: Any, se: Any, alternative: str
) -> TtestResult:
    res = TtestResult(as_scalar(stat), as_scalar(pvalue), as_scalar(df))
    res._estimate, res._standard_error, res._alternative = estimate, se, alternative
    return res


def _statistic(xp: Any, diff: Any, se: Any) -> Any:
    """``diff / se``; with zero spread ``±inf`` (NaN when ``diff`` is 0 too), like SciPy."""
    zero = se == 0
    safe = xp.where(zero, xp.ones_like(se), se)
    nan = xp.full_like(diff, float("nan"))
    inf = xp.full_like(diff, float("inf"))
    degenerate = xp.where(diff > 0, inf, xp.where(diff < 0, -inf, nan))
    return xp.where(zero, degenerate, diff / safe)


def _pvalue(b: Any, stat: Any, df: Any, alternative: str) -> Any:
    xp = b.xp
    dist = t_dist(df)
    if alternative == "less":
        return dist.cdf(stat)
    if alternative == "greater":
        return dist.sf(stat)
    return xp.minimum(2 * dist.sf(xp.abs(stat)), xp.ones_like(stat))


def _prep(a: Any, axis: int, func: str, arg: str, b: Any = None) -> tuple[Any, Any, int]:
    b = b or backend_of(a)
    a = as_float(as_array(a, b, arg, func), b, arg, func)
    if a.ndim == 0:
        raise ShapeError(f"{func}: {arg} must have at least one dimension")
    ax = normalize_axis(axis, a.ndim, "axis", func)
    if a.shape[ax] < 2:
        raise ShapeError(f"{func}: {arg} needs at least 2 observations along axis {ax}")
    return b, a, ax


def _warn_constant(b: Any, denom: Any, func: str) -> None:
    xp = b.xp
    if b.is_concrete(denom) and not b.compiles and bool(xp.any(denom == 0)):
        warn(
            f"{func}: the data are constant (zero variance); the statistic is -inf or inf "
            "(p-value 0), or NaN where the difference is 0 too"
        )


def _one_sample(
    b: Any, d: Any, ax: int, alternative: str, func: str, shift: Any = 0.0
) -> TtestResult:
    xp = b.xp
    n = d.shape[ax]
    m = xp.mean(d, axis=ax)
    dev = d - xp.expand_dims(m, axis=ax)
    s2 = xp.sum(dev * dev, axis=ax) / (n - 1)
    se = xp.sqrt(s2 / n)
    _warn_constant(b, se, func)
    stat = _statistic(xp, m, se)
    df = xp.full_like(stat, n - 1)
    return _result(stat, _pvalue(b, stat, n - 1, alternative), df, m + shift, se, alternative)


@routine("stats.ttest_1samp")
def ttest_1samp(
    a: Any, popmean: Any, *, axis: int = 0, alternative: str = "two-sided"
) -> TtestResult:
    """Test whether the mean of ``a`` equals ``popmean`` (``scipy.stats.ttest_1samp``).

    Parameters
    ----------
    a : array
        Sample.
    popmean : float or array
        Hypothesised mean (broadcast against ``a`` without ``axis``).
    axis : int
        Axis of the observations.
    alternative : {"two-sided", "less", "greater"}
        The alternative hypothesis about the mean.

    Returns
    -------
    TtestResult
        ``(statistic, pvalue, df)`` with ``confidence_interval()``. Constant data give
        ``±inf`` (p-value 0), or NaN when the mean equals ``popmean``, with a warning, as
        SciPy.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> r = stats.ttest_1samp(np.array([5.1, 4.9, 5.3, 5.2, 4.8]), 5.0)
    >>> round(float(r.statistic), 6), round(float(r.pvalue), 6), float(r.df)
    (0.646997, 0.552889, 4.0)
    """
    check_choice(alternative, "alternative", ALTERNATIVES, "ttest_1samp")
    b, a, ax = _prep(a, axis, "ttest_1samp", "a")
    pm = popmean if not hasattr(popmean, "shape") else b.xp.expand_dims(popmean, axis=ax)
    return _one_sample(b, a - pm, ax, alternative, "ttest_1samp", popmean)


@routine("stats.ttest_rel")
def ttest_rel(a: Any, b: Any, *, axis: int = 0, alternative: str = "two-sided") -> TtestResult:
    """Paired t-test: the one-sample test on ``a - b`` (``scipy.stats.ttest_rel``).

    Parameters
    ----------
    a, b : array
        Paired samples of the same shape.
    axis : int
        Axis of the observations.
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
    check_choice(alternative, "alternative", ALTERNATIVES, "ttest_rel")
    bk = backend_of(a, b)
    bk, a, ax = _prep(a, axis, "ttest_rel", "a", bk)
    bk, b, _ = _prep(b, axis, "ttest_rel", "b", bk)
    if tuple(a.shape) != tuple(b.shape):
        raise ShapeError(
            f"ttest_rel: a and b must have the same shape; got {tuple(a.shape)} and "
            f"{tuple(b.shape)}"
        )
    return _one_sample(bk, a - b, ax, alternative, "ttest_rel")


@routine("stats.ttest_ind")
def ttest_ind(
    a: Any,
    b: Any,
    *,
    axis: int = 0,
    equal_var: bool = True,
    alternative: str = "two-sided",
) -> TtestResult:
    """Two independent samples: Student's t (pooled variance) or Welch's (``equal_var=False``).

    Parameters
    ----------
    a, b : array
        Samples; equal shapes except along ``axis``.
    axis : int
        Axis of the observations.
    equal_var : bool
        True: pooled variance, ``df = n1 + n2 - 2``; False: Welch–Satterthwaite df.
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
    check_choice(alternative, "alternative", ALTERNATIVES, "ttest_ind")
    bk = backend_of(a, b)
    bk, a, ax = _prep(a, axis, "ttest_ind", "a", bk)
    bk, b, _ = _prep(b, axis, "ttest_ind", "b", bk)
    xp = bk.xp
    if a.ndim != b.ndim or any(
        sa != sb for i, (sa, sb) in enumerate(zip(a.shape, b.shape)) if i != ax
    ):
        raise ShapeError(
            f"ttest_ind: a and b must have the same shape except along axis {ax}; got "
            f"{tuple(a.shape)} and {tuple(b.shape)}"
        )
    n1, n2 = a.shape[ax], b.shape[ax]
    m1, m2 = xp.mean(a, axis=ax), xp.mean(b, axis=ax)

    def svar(x: Any, m: Any, n: int) -> Any:
        d = x - xp.expand_dims(m, axis=ax)
        return xp.sum(d * d, axis=ax) / (n - 1)

    v1, v2 = svar(a, m1, n1), svar(b, m2, n2)
    if equal_var:
        df: Any = float(n1 + n2 - 2)
        pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / df
        se = xp.sqrt(pooled * (1 / n1 + 1 / n2))
        df_arr = xp.full_like(m1, df)
    else:
        q1, q2 = v1 / n1, v2 / n2
        se = xp.sqrt(q1 + q2)
        den = q1 * q1 / (n1 - 1) + q2 * q2 / (n2 - 1)
        # both variances 0: any df gives the same answer; SciPy uses 1
        safe = xp.where(den == 0, xp.ones_like(den), den)
        df_arr = xp.where(den == 0, xp.ones_like(den), (q1 + q2) ** 2 / safe)
        df = df_arr
    _warn_constant(bk, se, "ttest_ind")
    stat = _statistic(xp, m1 - m2, se)
    return _result(stat, _pvalue(bk, stat, df, alternative), df_arr, m1 - m2, se, alternative)
