"""Sample quantiles by NumPy's thirteen methods (Hyndman and Fan's nine and NumPy's four
others), and the weighted inverted CDF, as array programs: one sort along the reduced axis,
indices from the probabilities, one gather (and one interpolation for continuous methods).
``quantile`` and ``median`` in ``descriptive.py`` are the public faces."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._dispatch import backend_of, placed_like
from .._errors import DTypeError, InvalidArgumentError, ShapeError, SmallSampleWarning
from .._validate import as_array, as_float, check_real, dtype_kind, normalize_axes, numeric

#: Hyndman and Fan's (alpha, beta) plotting positions of the continuous methods
_PLOTTING = {
    "interpolated_inverted_cdf": (0.0, 1.0),
    "hazen": (0.5, 0.5),
    "weibull": (0.0, 0.0),
    "median_unbiased": (1 / 3, 1 / 3),
    "normal_unbiased": (3 / 8, 3 / 8),
}
#: methods that pick an order statistic (the result keeps the data's dtype, as NumPy's)
DISCRETE = ("inverted_cdf", "closest_observation", "lower", "higher", "nearest")
METHODS = (
    "linear",
    *DISCRETE,
    "averaged_inverted_cdf",
    "midpoint",
    *_PLOTTING,
)


def check_method(method: Any, weights: Any, func: str) -> str:
    if not isinstance(method, str) or method not in METHODS:
        raise InvalidArgumentError(
            f"{func}: method must be one of {', '.join(METHODS)}; got {method!r}"
        )
    if weights is not None and method != "inverted_cdf":
        raise InvalidArgumentError(
            f"{func}: Only method 'inverted_cdf' supports weights (as in NumPy); got {method!r}"
        )
    return method


def sample_quantile(
    x: Any,
    q: Any,
    axis: Any,
    keepdims: bool,
    func: str,
    method: str = "linear",
    weights: Any = None,
) -> Any:
    """The quantiles of ``x`` at ``q`` over ``axis`` (taken together), ``q``'s axes first;
    faults named as ``func``'s (``median`` is the quantile at 0.5)."""
    method = check_method(method, weights, func)
    discrete = method in DISCRETE
    scalar_q = not hasattr(q, "shape") and not isinstance(q, (list, tuple))
    b = backend_of(x) if scalar_q else backend_of(x, q)  # (q elsewhere: BackendMismatchError)
    x = as_array(x, b, "x", func)
    # an order statistic keeps the data's dtype (int stays int); an interpolation is float
    x = numeric(x, b, "x", func) if discrete else as_float(x, b, "x", func)
    xp = b.xp
    if xp.isdtype(x.dtype, "complex floating"):  # (NumPy's TypeError; torch's sort fails)
        raise DTypeError(f"{func}: x must be real (complex numbers have no order); got {x.dtype}")
    floating = dtype_kind(x, xp) in "fc"
    qdt = x.dtype if floating else b.default_float()  # (NumPy: a Python q in x's float dtype)
    if scalar_q:
        qv = check_real(q, "q", func)
        if not 0 <= qv <= 1:
            raise InvalidArgumentError(f"{func}: q must be in [0, 1]; got {q!r}")
        q, qshape = xp.asarray([qv], dtype=qdt, **placed_like(x)), ()
    else:
        if isinstance(q, (list, tuple)):  # (read now: a lazy backend could not check it)
            try:
                listed = np.asarray(q, dtype=np.float64)
            except (TypeError, ValueError):
                raise InvalidArgumentError(f"{func}: q must be real numbers; got {q!r}") from None
            if not bool(np.all((listed >= 0) & (listed <= 1))):
                raise InvalidArgumentError(f"{func}: every q must be in [0, 1]")
        q = as_array(q, b, "q", func, like=x if floating else None)
        if dtype_kind(q, xp) not in "iuf":
            raise InvalidArgumentError(f"{func}: q must be real; got dtype {q.dtype}")
        if floating and not discrete and xp.isdtype(q.dtype, "real floating"):
            # an array q takes part in the result's dtype (NumPy's strong promotion): a
            # float64 q of float32 data gives float64 quantiles
            qdt = xp.result_type(x.dtype, q.dtype)
            x = xp.astype(x, qdt)
        qshape = tuple(q.shape)
        q = xp.reshape(xp.astype(q, qdt), (-1,))
        inside = xp.all((q >= 0) & (q <= 1))  # (test first: traced inside jax.jit)
        if b.is_concrete(inside) and 0 not in qshape and not bool(inside):
            raise InvalidArgumentError(f"{func}: every q must be in [0, 1]")
    axes = normalize_axes(axis, x.ndim, func)
    axes = tuple(range(x.ndim)) if axes is None else axes
    w = None if weights is None else _weights(b, weights, x, axes, func)
    data, kept = axes_last(xp, x, axes)
    n = data.shape[-1]
    if n == 0:
        if func != "median":
            raise ShapeError(f"{func}: x must not be empty along axis")
        return _empty_median(b, data, kept, keepdims)
    data, restore = _orderable(b, data)
    if w is None:
        s = xp.sort(data, axis=-1)
        if discrete:
            out = xp.take(s, _order_index(xp, method, q, n), axis=-1)
        else:
            out = _interpolated(xp, method, s, q, n, mean_of_two=func == "median" and n % 2 == 0)
    else:
        order = xp.argsort(data, axis=-1, stable=True)
        s = _along(xp, data, order)
        ws = _along(xp, axes_last(xp, w, axes)[0], order)
        out = _weighted_inverted_cdf(b, s, ws, q, func)
    out = restore(out)
    if floating:  # NaN sorts last: a slice with one has a NaN quantile (NumPy's)
        nan_row = xp.any(xp.isnan(s), axis=-1, keepdims=True)
        out = xp.where(nan_row, xp.full_like(out, float("nan")), out)
    out = xp.permute_dims(out, (out.ndim - 1, *range(out.ndim - 1)))  # q axes first
    return xp.reshape(out, (*qshape, *(kept if keepdims else out.shape[1:])))


def _orderable(b: Any, x: Any) -> tuple[Any, Any]:
    """``x`` in a dtype the backend sorts and gathers, and the map back: a dtype the library
    cannot sort or gather (``Backend.unorderable``: torch's uint16/32/64) is sorted as int64,
    uint64 with its top bit flipped, which keeps the order (the bits go back exactly)."""
    name = str(x.dtype).rsplit(".", 1)[-1]
    if name not in b.unorderable:
        return x, lambda out: out
    xp, dt = b.xp, x.dtype
    if name != "uint64":
        return xp.astype(x, xp.int64), lambda out: xp.astype(out, dt)
    top = xp.asarray(-(2**63), dtype=xp.int64, **placed_like(x))
    return xp.astype(x, xp.int64) ^ top, lambda out: xp.astype(out ^ top, dt)


def axes_last(xp: Any, x: Any, axes: tuple[int, ...]) -> tuple[Any, tuple[int, ...]]:
    """``x`` with ``axes`` moved last and merged into one, and the shape that keeps them as
    length-one axes (for ``keepdims``)."""
    rest = [i for i in range(x.ndim) if i not in axes]
    shape = tuple(x.shape)
    kept = tuple(1 if i in axes else s for i, s in enumerate(shape))
    if len(axes) == 1 and axes[0] == x.ndim - 1:
        return x, kept
    # (permute_dims, not moveaxis: torch.func.vmap has no batching rule for torch's moveaxis)
    moved = xp.permute_dims(x, (*rest, *sorted(axes)))
    n = 1
    for i in axes:
        n *= shape[i]
    return xp.reshape(moved, (*(shape[i] for i in rest), n)), kept


def _order_index(xp: Any, method: str, q: Any, n: int) -> Any:
    """The 0-based order statistic a discrete method picks at each ``q`` (NumPy's rules:
    ``inverted_cdf`` the first with CDF >= q, ``closest_observation`` the nearest with ties
    to the even 1-based one, ``nearest`` rounding half to even)."""
    if method == "lower":
        idx = xp.floor((n - 1) * q)
    elif method == "higher":
        idx = xp.ceil((n - 1) * q)
    elif method == "nearest":
        idx = xp.round((n - 1) * q)
    else:  # (jumps found by comparing n q with its floor, never n q - 1 with its floor:
        # under jax.jit, XLA may fuse n * q - 1 into one fma, which keeps the product's
        # rounding error and moves a jump by one sample)
        nq = n * q
        fl = xp.floor(nq)
        if method == "inverted_cdf":  # the first sample with CDF >= q
            idx = xp.where(nq == fl, fl - 1, fl)
        else:  # nearest to n q - 1/2 (1-based), a tie to the even one
            t = nq * 2
            tie = (t == xp.floor(t)) & (nq != fl)
            idx = xp.where(tie, xp.where(fl % 2 == 0, fl - 1, fl), xp.floor(nq - 1.5) + 1)
    return xp.astype(xp.clip(idx, 0, n - 1), xp.int64)


def _interpolated(xp: Any, method: str, s: Any, q: Any, n: int, mean_of_two: bool = False) -> Any:
    """A continuous method: between the order statistics around its virtual index (in
    float32 at least: float16 cannot hold the index of a sample past 2048). ``mean_of_two``
    (the median of an even count): NumPy's median, ``(a + b) / 2`` of the middle two, where
    the sum cannot overflow; its lerp ``b - (b - a) / 2`` differs in a tie at subnormals
    (0 and 5e-324: NumPy's median 0, the lerp 5e-324)."""
    if str(q.dtype).endswith("float16"):
        q32 = xp.astype(q, xp.float32)
        return xp.astype(_interpolated(xp, method, s, q32, n, mean_of_two), s.dtype)
    if method in ("averaged_inverted_cdf", "midpoint"):  # (a jump: compared, not subtracted)
        averaged = method == "averaged_inverted_cdf"
        m = n * q if averaged else (n - 1) * q
        lo = xp.floor(m)
        jump = m == lo
        if averaged:  # the mean of two at a jump of the CDF, else the next
            lo, frac = lo - 1, xp.where(jump, xp.full_like(m, 0.5), xp.ones_like(m))
        else:  # halfway, or the sample itself at an integral index
            frac = xp.where(jump, xp.zeros_like(m), xp.full_like(m, 0.5))
    else:
        if method == "linear":
            v = (n - 1) * q
        else:
            alpha, beta = _PLOTTING[method]
            v = n * q + (alpha + q * (1 - alpha - beta)) - 1
        lo = xp.floor(v)
        frac = v - lo
    # (clipped: below the first sample the first, above the last the last, as NumPy)
    ilo = xp.astype(xp.clip(lo, 0, n - 1), xp.int64)
    ihi = xp.astype(xp.clip(lo + 1, 0, n - 1), xp.int64)
    vlo, vhi = xp.take(s, ilo, axis=-1), xp.take(s, ihi, axis=-1)
    # NumPy's lerp (from the nearer end), on finite ends (zeroed elsewhere: no inf - inf and
    # no warning about it); an infinite sample is its own quantile, and between a finite and
    # an infinite end the quantile is that infinity (the sort puts -inf low, +inf high), as
    # NumPy's median (the mean of the two) gives, where its lerp gives inf or NaN by the
    # side of 0.5; -inf and inf give NaN
    fin = xp.isfinite(vlo) & xp.isfinite(vhi)
    zero = xp.zeros_like(vlo)
    a, c = xp.where(fin, vlo, zero), xp.where(fin, vhi, zero)
    diff = c - a
    out = xp.where(frac >= 0.5, c - diff * (1 - frac), a + diff * frac)
    if mean_of_two:  # (zeroed outside the mask: no overflow warning from the sum)
        half_max = float(xp.finfo(s.dtype).max) / 2
        ok = (xp.abs(a) < half_max) & (xp.abs(c) < half_max)
        out = xp.where(ok, (xp.where(ok, a, zero) + xp.where(ok, c, zero)) / 2, out)
    inf_lo, inf_hi = xp.isinf(vlo), xp.isinf(vhi)
    edge = xp.where(inf_lo != inf_hi, xp.where(inf_lo, vlo, vhi), xp.full_like(vlo, math.nan))
    out = xp.where(fin, out, edge)
    return xp.where((vlo == vhi) | (frac == 0), vlo, out)  # (an exact sample: itself)


def _weights(b: Any, weights: Any, x: Any, axes: tuple[int, ...], func: str) -> Any:
    """``weights`` broadcast to ``x``'s shape: ``x``'s own shape, or that of the reduced axes
    (NumPy's two forms); nonnegative where the values can be read."""
    xp = b.xp
    w = as_array(weights, b, "weights", func)
    if dtype_kind(w, xp) not in "biuf":
        raise InvalidArgumentError(f"{func}: weights must be real; got dtype {w.dtype}")
    along = tuple(x.shape[i] for i in sorted(axes))
    if tuple(w.shape) != tuple(x.shape):
        if tuple(w.shape) != along:
            raise ShapeError(
                f"{func}: weights must have x's shape {tuple(x.shape)} or that of the reduced "
                f"axes {along}; got shape {tuple(w.shape)}"
            )
        w = xp.reshape(w, tuple(s if i in axes else 1 for i, s in enumerate(x.shape)))
        w = xp.broadcast_to(w, tuple(x.shape))
    negative = xp.any(w < 0)  # (readable or not: inside jax.jit even a constant's test is traced)
    if b.is_concrete(negative) and bool(negative):
        raise InvalidArgumentError(f"{func}: Weights must be non-negative")
    return w


def _weighted_inverted_cdf(b: Any, s: Any, ws: Any, q: Any, func: str) -> Any:
    """The first sorted sample whose cumulative weight share reaches ``q`` (NumPy's weighted
    ``inverted_cdf``); samples of weight 0 at the start are never picked."""
    xp = b.xp
    wide = b.default_float() if not b.float64_reason() else q.dtype
    cdf = xp.cumulative_sum(xp.astype(ws, wide), axis=-1)
    total = cdf[..., -1:]
    if b.is_concrete(total) and not bool(xp.all(xp.isfinite(total) & (total > 0))):
        raise InvalidArgumentError(f"{func}: Weights included NaN, inf or were all zero")
    cdf = xp.astype(cdf / total, q.dtype)  # (compared in q's dtype, as NumPy)
    cdf = xp.where(cdf == 0, xp.full_like(cdf, -1.0), cdf)
    below = xp.astype(cdf[..., None, :] < q[:, None], xp.int64)  # searchsorted, side left
    idx = xp.minimum(xp.sum(below, axis=-1), xp.asarray(s.shape[-1] - 1, dtype=xp.int64))
    return _along(xp, s, idx)


def _along(xp: Any, a: Any, idx: Any) -> Any:
    """``take_along_axis(a, idx, axis=-1)``; by selection where the namespace lacks it (Dask:
    an (…, k, n) mask, so memory k·n per slice)."""
    if hasattr(xp, "take_along_axis"):
        return xp.take_along_axis(a, idx, axis=-1)
    n = a.shape[-1]
    hit = idx[..., None] == xp.arange(n, dtype=idx.dtype)
    return xp.sum(xp.where(hit, a[..., None, :], xp.zeros_like(a[..., None, :])), axis=-1)


def _empty_median(b: Any, data: Any, kept: tuple[int, ...], keepdims: bool) -> Any:
    """The median of empty slices: NaN, with a warning where there are any (NumPy's)."""
    from .._errors import warn

    xp = b.xp
    out = xp.full((1, *data.shape[:-1]), float("nan"), dtype=data.dtype, **placed_like(data))
    if 0 not in data.shape[:-1]:
        warn("median: x is empty along axis; its median is NaN", category=SmallSampleWarning)
    if keepdims:
        out = xp.reshape(out, (1, *kept))
    return out[0, ...]


__all__ = ["DISCRETE", "METHODS", "axes_last", "sample_quantile"]
