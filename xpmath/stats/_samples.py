"""Sample handling shared by the moment statistics and the t-tests, as SciPy does it:
``nan_policy`` ("propagate", "omit", "raise"), counts and deviations with omitted elements
masked out (so "omit" stays vectorised and lazy), NaN with a ``SmallSampleWarning`` for empty
samples, and the ``PrecisionLossWarning`` for nearly identical data."""

from __future__ import annotations

from typing import Any

from .._errors import (
    InvalidArgumentError,
    PrecisionLossWarning,
    SmallSampleWarning,
    scipy_category,
    warn,
)
from .._validate import check_choice

POLICIES = ("propagate", "omit", "raise")

#: SciPy's wording (scipy/stats/_axis_nan_policy.py), so messages match across libraries
_TOO_SMALL = {
    (False, False): "One or more sample arguments is too small; all returned values will be NaN.",
    (True, False): "After omitting NaNs, one or more sample arguments is too small; all "
    "returned values will be NaN.",
    (False, True): "All axis-slices of one or more sample arguments are too small; all "
    "elements of returned arrays will be NaN.",
    (True, True): "After omitting NaNs, one or more axis-slices of one or more sample "
    "arguments is too small; corresponding elements of returned arrays will be NaN.",
}
_PRECISION_LOSS = (
    "Precision loss occurred in moment calculation due to catastrophic cancellation. This "
    "occurs when the data are nearly identical. Results may be unreliable."
)


def keep_mask(b: Any, x: Any, nan_policy: str, func: str, arg: str = "x") -> Any | None:
    """Check ``nan_policy``; the boolean mask of elements to use under "omit" (``None``: use
    every element, NaN propagating)."""
    check_choice(nan_policy, "nan_policy", POLICIES, func)
    if nan_policy == "propagate":
        return None
    xp = b.xp
    nan = xp.isnan(x)
    concrete = b.is_concrete(x)
    if nan_policy == "raise":
        if not concrete:
            raise InvalidArgumentError(
                f"{func}: nan_policy='raise' has to read the data, which a lazy or traced "
                f"array does not hold yet; use 'propagate' or 'omit' (got a {b.name} array)"
            )
        if bool(xp.any(nan)):
            raise InvalidArgumentError(
                f"{func}: The input contains nan values ({arg}, nan_policy='raise')"
            )
        return None
    if concrete and not bool(xp.any(nan)):
        return None  # nothing to omit: the plain (faster) computation gives the same answer
    return ~nan


def out_shape(shape: tuple[int, ...], axes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(s for i, s in enumerate(shape) if i not in axes)


def safe_div(xp: Any, num: Any, den: Any) -> Any:
    """``num / den`` with NaN where ``den`` is 0 (an empty slice), without a NumPy warning."""
    if not hasattr(den, "shape"):
        return num / den if den else xp.full_like(num, float("nan"))
    zero = den == 0
    nan = xp.full_like(num, float("nan"))
    return xp.where(zero, nan, num / xp.where(zero, xp.ones_like(den), den))


def centred(
    b: Any, x: Any, axes: tuple[int, ...], keep: Any | None, correct: bool = True
) -> tuple[Any, Any, Any]:
    """``(n, mean, d)``: the count per slice (a Python int, or an array when elements are
    omitted), the mean and the deviations ``x - mean`` (0 where omitted), reduced with
    ``keepdims``.

    The mean is corrected by the mean of the first deviations, so a constant slice gives
    exactly zero deviations whatever order the backend sums in (SciPy's answers for constant
    data: ``±inf`` t statistics, NaN z-scores), and offset data lose fewer digits.
    ``correct=False`` skips that pass (skewness and kurtosis test constant data on the
    variance instead, as SciPy does).
    """
    xp = b.xp
    if keep is None:
        n = 1
        for a in axes:
            n *= x.shape[a]
        m = safe_div(xp, xp.sum(x, axis=axes, keepdims=True), n)
        d = x - m
        if not correct:
            return n, m, d
        c = safe_div(xp, xp.sum(d, axis=axes, keepdims=True), n)
        return n, m + c, d - c
    zero = xp.zeros_like(x)
    n = xp.sum(xp.astype(keep, x.dtype), axis=axes, keepdims=True)
    m = safe_div(xp, xp.sum(xp.where(keep, x, zero), axis=axes, keepdims=True), n)
    d = xp.where(keep, x - m, zero)
    if not correct:
        return n, m, d
    c = safe_div(xp, xp.sum(d, axis=axes, keepdims=True), n)
    return n, m + c, xp.where(keep, d - c, zero)


def warn_small(b: Any, counts: tuple[Any, ...], omitted: bool, nd: bool, func: str) -> None:
    """Warn when a sample (or, under "omit", an axis-slice) has no elements left."""
    xp = b.xp
    for n in counts:
        if hasattr(n, "shape"):
            if not b.is_concrete(n) or not bool(xp.any(n == 0)):
                continue
        elif n != 0:
            continue
        message = _TOO_SMALL[(omitted, nd)] + " See documentation for sample size requirements."
        category = scipy_category(
            SmallSampleWarning, "scipy.stats._axis_nan_policy", "SmallSampleWarning"
        )
        warn(f"{func}: {message}", stacklevel=4, category=category)
        return


def warn_precision_loss(
    b: Any,
    d: Any,
    mean: Any,
    n: Any,
    axes: tuple[int, ...],
    func: str,
    *,
    biggest: Any = None,
    ss: Any = None,
) -> bool:
    """SciPy's test for catastrophic cancellation: in some slice of more than one element,
    every deviation from the mean is below 10 ulp of the mean (eager backends only).

    ``biggest`` (``max|d|`` per slice) saves a pass where the caller has it; ``ss`` (the sum
    of squared deviations) rules the test out cheaply: the RMS deviation never exceeds the
    largest one.
    """
    if not b.is_concrete(d) or 0 in tuple(d.shape):
        return False
    if not hasattr(n, "shape") and n <= 1:
        return False
    xp = b.xp
    tol = float(xp.finfo(d.dtype).eps) * 10 * xp.abs(mean)
    if biggest is None:
        if ss is not None and not bool(xp.any(xp.sqrt(safe_div(xp, ss, n)) < tol)):
            return False
        biggest = xp.max(xp.abs(d), axis=axes, keepdims=True)
    lost = biggest < tol
    if hasattr(n, "shape"):
        lost = lost & (n > 1)
    if bool(xp.any(lost)):
        warn(f"{func}: {_PRECISION_LOSS}", stacklevel=4, category=PrecisionLossWarning)
        return True
    return False
