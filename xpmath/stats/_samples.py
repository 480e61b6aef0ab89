"""Sample handling shared by the moment statistics and the t-tests, as SciPy does it:
``nan_policy`` ("propagate", "omit", "raise"), counts and deviations with omitted elements
masked out (so "omit" stays vectorised and lazy), NaN with a ``SmallSampleWarning`` for empty
samples, and the ``PrecisionLossWarning`` for nearly identical data."""

from __future__ import annotations

import math
from typing import Any

from .._dispatch import placed_like
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
PRECISION_LOSS = (
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


def over_no_freedom(xp: Any, v: Any) -> Any:
    """``v / 0`` as NumPy's ``var`` and ``cov`` give it when the degrees of freedom
    ``N - ddof`` are 0 or fewer: ±inf by sign, NaN for 0 or NaN, without a NumPy warning;
    complex ``v`` (no order to take a sign by) NaN throughout."""
    if xp.isdtype(v.dtype, "complex floating"):
        return xp.full_like(v, complex(float("nan"), float("nan")))
    inf = xp.full_like(v, float("inf"))
    return xp.where(v > 0, inf, xp.where(v < 0, -inf, xp.full_like(v, float("nan"))))


def _mean(b: Any, x: Any, axes: tuple[int, ...], n: Any) -> Any:
    """The mean per slice, with ``keepdims``. Where the sum of finite data overflows (data
    near the dtype's largest value) the mean is taken of ``x`` scaled by a power of two below
    ``1 / (2 size)``: exact, and its sum cannot overflow. Eager backends pay that second pass
    only when some mean is not finite; lazy and traced ones always."""
    xp = b.xp
    m = safe_div(xp, xp.sum(x, axis=axes, keepdims=True), n)
    if b.values_known(m) and bool(xp.all(xp.isfinite(m))):
        return m
    size = math.prod(x.shape[a] for a in axes)
    if size == 0:
        return m  # NaN: an empty slice has no mean
    k = math.ceil(math.log2(2 * size))
    s = xp.sum(x * 2.0**-k, axis=axes, keepdims=True)  # finite iff the data are
    big = float(xp.finfo(x.dtype).max)
    # the mean of finite data is finite: rounding of the last step must not overflow it
    scaled = safe_div(xp, s, n) * 2.0**k
    scaled = xp.where(xp.isfinite(s), xp.clip(scaled, -big, big), scaled)
    return xp.where(xp.isfinite(m), m, scaled)


def _correction(xp: Any, d: Any, axes: tuple[int, ...], n: Any) -> Any:
    """The mean of the first deviations, 0 where it is not finite (deviations of finite data
    that span the whole range; NaN data keep their NaN mean)."""
    c = safe_div(xp, xp.sum(d, axis=axes, keepdims=True), n)
    return xp.where(xp.isfinite(c), c, xp.zeros_like(c))


def centred(b: Any, x: Any, axes: tuple[int, ...], keep: Any | None) -> tuple[Any, Any, Any]:
    """``(n, mean, d)``: the count per slice (a Python int, or an array when elements are
    omitted), the mean and the deviations ``x - mean`` (0 where omitted), reduced with
    ``keepdims``.

    The mean is corrected by the mean of the first deviations, so a constant slice gives
    exactly zero deviations whatever order the backend sums in (SciPy's answers for constant
    data: ``±inf`` t statistics, NaN z-scores, skewness and kurtosis; SciPy's own mean can be
    an ulp off there, giving a skewness of 1.0 for constant data), and offset data lose fewer
    digits.
    """
    xp = b.xp
    if keep is None:
        n = 1
        for a in axes:
            n *= x.shape[a]
        m = _mean(b, x, axes, n)
        d = x - m
        c = _correction(xp, d, axes, n)
        return n, m + c, d - c
    zero = xp.zeros_like(x)
    n = xp.sum(xp.astype(keep, x.dtype), axis=axes, keepdims=True)
    m = _mean(b, xp.where(keep, x, zero), axes, n)
    d = xp.where(keep, x - m, zero)
    c = _correction(xp, d, axes, n)
    return n, m + c, xp.where(keep, d - c, zero)


def unit_scale(xp: Any, s: Any) -> Any:
    """A divisor for scaling deviations of largest magnitude ``s`` to about 1: the power of
    two at or below ``s``, so the division is exact and symmetric data keep their exact
    cancellation (the skewness of ``arange(10)`` is 0.0 scaled or not); capped where its
    reciprocal would be subnormal (XLA divides by a broadcast divisor through its
    reciprocal, which the CPU flushes to 0: ``d / 1e38`` of float32 ``d`` gave 0), and 1
    where ``s`` is 0 or not finite."""
    cap = 1 / float(xp.finfo(s.dtype).smallest_normal)  # a power of two
    ok = (s > 0) & xp.isfinite(s)
    safe = xp.where(ok, s, xp.ones_like(s))
    power = 2.0 ** xp.floor(xp.log2(safe))  # exact powers of two; log2 may round up by one
    power = xp.where(power > safe, power * 0.5, power)  # at s = 2^k - tiny: keep d / p <= 2
    return xp.where(ok, xp.minimum(power, xp.full_like(s, cap)), xp.ones_like(s))


def recentre(b: Any, u: Any, axes: tuple[int, ...], n: Any, keep: Any | None, s: Any) -> Any:
    """Deviations ``u`` (already divided by their scale ``s``) centred once more where ``s``
    is below the normal range over ``eps``: the mean of such tiny data is not representable,
    so its deviations are off by up to half the smallest subnormal; the mean of the scaled
    ones is (skipped on eager backends when no slice is that small)."""
    xp = b.xp
    info = xp.finfo(u.dtype)
    if b.values_known(s) and not bool(xp.any(s < float(info.smallest_normal) / float(info.eps))):
        return u
    c = _correction(xp, u, axes, n)
    return u - c if keep is None else xp.where(keep, u - c, xp.zeros_like(u))


def root_ss(b: Any, d: Any, axes: tuple[int, ...]) -> tuple[Any, Any]:
    """``(s, r)`` with ``s * r == sqrt(sum(d**2))`` per slice (``keepdims``), without overflow
    or underflow of the squares: where they could (a slice's sum of squares not finite, zero
    or below the normal range over ``eps``) ``s = max|d|`` and ``r`` is taken of ``d / s``
    (one more pass; always on lazy and traced arrays), else ``s = 1``. Callers form scale-free
    ratios from ``r`` and divide by ``s`` (so data of 1e200 or 1e-200 keep their t statistic,
    and a standard error below the normal range is not flushed to 0 on XLA)."""
    xp = b.xp
    ss = xp.sum(d * d, axis=axes, keepdims=True)
    one = xp.ones_like(ss)
    if 0 in tuple(d.shape):  # no slices, or empty ones: nothing to scale (Dask's max of a
        return one, xp.sqrt(ss)  # zero-size array fails when computed)
    if b.values_known(ss):
        info = xp.finfo(d.dtype)
        low = float(info.smallest_normal) / float(info.eps)
        if bool(xp.all(xp.isfinite(ss) & (ss > low))):
            return one, xp.sqrt(ss)
    s = xp.max(xp.abs(d), axis=axes, keepdims=True)
    # a deviation beyond the dtype's range (data spanning all of it) or from NaN/inf data:
    # NaN, as SciPy's, never a finite answer built on an infinite deviation
    lost = ~xp.isfinite(s)
    s = unit_scale(xp, s)
    u = d / s
    r = xp.sqrt(xp.sum(u * u, axis=axes, keepdims=True))
    return s, xp.where(lost, xp.full_like(r, float("nan")), r)


def hypot(xp: Any, a: Any, c: Any) -> Any:
    """``sqrt(a**2 + c**2)`` of non-negative ``a`` and ``c`` without overflow; NaN where
    either is NaN (``math.hypot`` gives ``inf`` for ``(inf, nan)``)."""
    safe = unit_scale(xp, xp.maximum(a, c))
    return safe * xp.sqrt((a / safe) ** 2 + (c / safe) ** 2)


def sample_counts(b: Any, keep: Any, size: int, axes: tuple[int, ...]) -> Any:
    """The observations per slice, for :func:`warn_small` before a kernel runs: ``size``
    without omitted values, else the kept counts."""
    if keep is None:
        return size
    return b.xp.sum(b.xp.astype(keep, b.xp.int32), axis=axes)


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


def precision_lost(
    b: Any,
    d: Any,
    mean: Any,
    n: Any,
    axes: tuple[int, ...],
    *,
    biggest: Any = None,
    rss: Any = None,
) -> Any:
    """SciPy's test for catastrophic cancellation, as a 0-d boolean array: in some slice of
    more than one element, every deviation from the mean is below 10 ulp of the mean. Pure
    arithmetic, so it can run inside a compiled kernel (:func:`degenerate_flags`).

    ``biggest`` (``max|d|`` per slice) saves a pass where the caller has it; ``rss`` (the root
    of the sum of squared deviations) rules the test out cheaply where values can be read:
    the RMS deviation never exceeds the largest one.
    """
    xp = b.xp
    no = xp.zeros((), dtype=xp.bool, **placed_like(d))
    if 0 in tuple(d.shape) or (not hasattr(n, "shape") and n <= 1):
        return no
    tol = float(xp.finfo(d.dtype).eps) * 10 * xp.abs(mean)
    if biggest is None:
        rms = None if rss is None else safe_div(xp, rss, n**0.5)
        if rms is not None and b.values_known(rms) and not bool(xp.any(rms < tol)):
            return no
        biggest = xp.max(xp.abs(d), axis=axes, keepdims=True)
    lost = biggest < tol
    if hasattr(n, "shape"):
        lost = lost & (n > 1)
    return xp.any(lost)


def degenerate_flags(xp: Any, lost: list[Any], spread: Any = None) -> Any:
    """A kernel's warning flags as one array (one host read after the call): ``[precision
    lost in some sample (precision_lost's flags), some ``spread`` exactly 0]``."""
    any_lost = lost[0]
    for flag in lost[1:]:
        any_lost = any_lost | flag
    constant = xp.zeros_like(any_lost) if spread is None else xp.any(spread == 0)
    return xp.stack([any_lost, constant])


def warn_degenerate(b: Any, flags: Any, func: str, constant: str | None = None) -> None:
    """SciPy's precision-loss warning from :func:`degenerate_flags`, else the ``constant``
    note where a spread is exactly 0 (eager backends only: traced or lazy flags say nothing)."""
    if not b.is_concrete(flags):
        return
    lost, flat = (bool(v) for v in b.to_numpy(flags))
    if lost:
        warn(f"{func}: {PRECISION_LOSS}", stacklevel=4, category=PrecisionLossWarning)
    elif flat and constant is not None:
        warn(f"{func}: {constant}", stacklevel=4, category=PrecisionLossWarning)
