"""Student t-tests (one-sample, paired, independent Student/Welch) with SciPy's
``nan_policy``, broadcasting and small-sample rules; p-values from the t distribution's CDF via
the regularised incomplete beta function, on the backend."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .._capabilities import routine
from .._dispatch import backend_of
from .._errors import InvalidArgumentError, ShapeError
from .._validate import as_float, broadcast_shape, normalize_axis
from ._samples import keep_mask, sample_counts, warn_degenerate, warn_small
from ._ttest_kernels import one_sample, two_sample
from ._ttest_result import ConfidenceInterval, TtestResult, ttest_result
from .distributions import TORCH_BETAINC

__all__ = ["ConfidenceInterval", "TtestResult", "ttest_1samp", "ttest_ind", "ttest_rel"]

ALTERNATIVES = ("two-sided", "less", "greater")


def _check_alternative(alternative: Any, func: str) -> None:
    if alternative not in ALTERNATIVES:
        raise InvalidArgumentError(
            f"{func}: `alternative` must be 'less', 'greater', or 'two-sided'; got {alternative!r}"
        )


def _prep(a: Any, func: str, arg: str, b: Any, like: Any = None) -> Any:
    a = as_float(a, b, arg, func, like)
    return b.xp.reshape(a, (1,)) if a.ndim == 0 else a  # one observation, as SciPy


#: the note for exactly constant data, where SciPy's precision-loss test does not fire
CONSTANT = (
    "the data are constant (zero variance); the statistic is -inf or inf (p-value 0), or NaN "
    "where the difference is 0 too"
)


def _one_sample(
    b: Any, d: Any, ax: int, keep: Any, alternative: str, func: str, popmean: Any = 0.0
) -> TtestResult:
    """The test of ``mean(d) == popmean`` (``popmean`` in the reduced shape), its arithmetic
    one kernel (one compiled dispatch on eager JAX)."""
    counts = sample_counts(b, keep, d.shape[ax], (ax,))
    warn_small(b, (counts,), keep is not None, d.ndim > 1, func)
    stat, p, df, m, se, flags = b.kernel(one_sample, d, keep, ax, popmean, alternative)
    warn_degenerate(b, flags, func, CONSTANT)
    return ttest_result(stat, p, df, m, se, alternative)


#: array_api_strict has no special-function module: the p-value's go through SciPy
_STRICT_NOTE = {
    "array_api_strict": "the p-value's special functions run through SciPy on the host "
    "(array_api_strict has no special module); the statistic and the result stay "
    "array_api_strict",
    "torch": TORCH_BETAINC,
}
_HOST = {"array_api_strict": "host", "torch": "host"}


@routine("stats.ttest_1samp", **_HOST, note=_STRICT_NOTE)
def ttest_1samp(
    a: Any,
    popmean: Any,
    axis: int | None = 0,
    nan_policy: str = "propagate",
    alternative: str = "two-sided",
) -> TtestResult:
    """Test whether the mean of ``a`` equals ``popmean`` (``scipy.stats.ttest_1samp``).

    Parameters
    ----------
    a : array
        Sample (a 0-d array is one observation).
    popmean : float or array
        Hypothesised mean. An array broadcasts against ``a`` by NumPy's rules (lining up
        with ``a``'s last dimensions) and has length 1 along ``axis``, as SciPy's; with
        ``axis=None`` it is flattened and has one element.
    axis : int or None
        Axis of the observations; None: the flattened sample(s), as SciPy.
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
    number = isinstance(popmean, numbers.Real) and not isinstance(popmean, bool)
    if not number:
        if isinstance(popmean, list | tuple):  # NumPy's float64, not the backend's default
            popmean = np.asarray(popmean, dtype=np.float64)
        pm = as_float(popmean, b, "popmean", "ttest_1samp")
    if axis is None:  # (SciPy flattens every sample, popmean too)
        a, axis = xp.reshape(a, (-1,)), 0
        if not number and pm.ndim:
            pm = xp.reshape(pm, (-1,))
    if not number and pm.ndim > a.ndim:  # (SciPy lines the samples up before taking axis)
        a = xp.reshape(a, (1,) * (pm.ndim - a.ndim) + tuple(a.shape))
    ax = normalize_axis(axis, a.ndim, "axis", "ttest_1samp")
    keep = keep_mask(b, a, nan_policy, "ttest_1samp", "a")
    if number:  # a Python number stays one: exact, and of a's precision on every backend
        return _one_sample(b, a, ax, keep, alternative, "ttest_1samp", float(popmean))
    # NumPy's broadcasting, as SciPy's: popmean lines up with a's last dimensions
    full = xp.reshape(pm, (1,) * (a.ndim - pm.ndim) + tuple(pm.shape))
    if full.shape[ax] != 1:
        raise ShapeError(
            f"ttest_1samp: `popmean.shape[axis]` must equal 1. Got popmean of shape "
            f"{tuple(pm.shape)}, which lines up with a's shape {tuple(a.shape)} from the "
            f"right (NumPy's broadcasting), with axis={axis}"
        )
    broadcast_shape((tuple(a.shape), tuple(full.shape)), "a and popmean", "ttest_1samp")
    reduced = xp.squeeze(full, axis=ax)
    return _one_sample(b, a, ax, keep, alternative, "ttest_1samp", reduced)


@routine("stats.ttest_rel", **_HOST, note=_STRICT_NOTE)
def ttest_rel(
    a: Any,
    b: Any,
    axis: int | None = 0,
    nan_policy: str = "propagate",
    alternative: str = "two-sided",
) -> TtestResult:
    """Paired t-test: the one-sample test on ``a - b`` (``scipy.stats.ttest_rel``).

    Parameters
    ----------
    a, b : array
        Paired samples; broadcast against each other.
    axis : int or None
        Axis of the observations; None: each sample flattened, then paired (broadcast), as
        SciPy.
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
    a = _prep(a, "ttest_rel", "a", bk, like=b)
    b = _prep(b, "ttest_rel", "b", bk, like=a)
    if axis is None:  # (SciPy flattens each sample, then pairs them: not their broadcast)
        a, b, axis = bk.xp.reshape(a, (-1,)), bk.xp.reshape(b, (-1,)), 0
    shape = broadcast_shape((tuple(a.shape), tuple(b.shape)), "a and b", "ttest_rel")
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
    batch = broadcast_shape(tuple(rest), "a and b (apart from axis)", func)

    def to(x: Any) -> Any:
        shape = (*batch[:ax], x.shape[ax], *batch[ax:])
        return x if tuple(x.shape) == shape else xp.broadcast_to(x, shape)

    return to(a), to(b), ax


@routine("stats.ttest_ind", **_HOST, note=_STRICT_NOTE)
def ttest_ind(
    a: Any,
    b: Any,
    *,
    axis: int | None = 0,
    equal_var: bool = True,
    nan_policy: str = "propagate",
    alternative: str = "two-sided",
) -> TtestResult:
    """Two independent samples: Student's t (pooled variance) or Welch's (``equal_var=False``).

    Parameters
    ----------
    a, b : array
        Samples; of any lengths along ``axis``, broadcast against each other otherwise.
    axis : int or None
        Axis of the observations; None: the flattened sample(s), as SciPy.
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
    a = _prep(a, "ttest_ind", "a", bk, like=b)
    b = _prep(b, "ttest_ind", "b", bk, like=a)
    if axis is None:
        a, b, axis = xp.reshape(a, (-1,)), xp.reshape(b, (-1,)), 0
    a, b, ax = _aligned(xp, a, b, axis, "ttest_ind")
    keeps = (keep_mask(bk, a, nan_policy, "ttest_ind", "a"),)
    keeps += (keep_mask(bk, b, nan_policy, "ttest_ind", "b"),)
    omitted = any(k is not None for k in keeps)
    counts = tuple(sample_counts(bk, k, x.shape[ax], (ax,)) for x, k in zip((a, b), keeps))
    warn_small(bk, counts, omitted, a.ndim > 1, "ttest_ind")
    out = bk.kernel(two_sample, a, b, *keeps, ax, bool(equal_var), alternative)
    stat, p, df, diff, se, flags = out
    warn_degenerate(bk, flags, "ttest_ind", CONSTANT)
    return ttest_result(stat, p, df, diff, se, alternative)
