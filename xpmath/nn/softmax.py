"""The softmax family: ``logsumexp`` (with SciPy's weights and sign), ``softmax`` and
``log_softmax``, each shifted by the maximum so no input overflows or underflows."""

from __future__ import annotations

import math
from typing import Any

from .._capabilities import routine
from .._dispatch import backend_of
from .._errors import ShapeError
from .._validate import as_array, as_float, normalize_axes, scalar_result

__all__ = ["log_softmax", "logsumexp", "softmax"]


def _prep(x: Any, func: str) -> tuple[Any, Any]:
    b = backend_of(x)
    return b, as_float(x, b, "x", func)


def _shifted(xp: Any, x: Any, axes: tuple[int, ...] | None) -> tuple[Any, Any]:
    """``x - m`` and ``m``, with ``m`` the max over ``axes`` (0 where that max is not finite)."""
    m = xp.max(x, axis=axes, keepdims=True)
    m = xp.where(xp.isfinite(m), m, xp.zeros_like(m))
    return x - m, m


@routine("nn.logsumexp")
@scalar_result
def logsumexp(
    x: Any,
    axis: int | tuple[int, ...] | None = None,
    keepdims: bool = False,
    *,
    b: Any = None,
    return_sign: bool = False,
) -> Any:
    """``log(sum(b * exp(x)))`` over ``axis`` without overflow or underflow (SciPy's
    ``special.logsumexp``).

    Parameters
    ----------
    x : array
        Input (real or complex).
    axis : int or tuple of int, optional
        Axes to reduce; all by default.
    keepdims : bool
        Keep reduced axes with length one.
    b : array, optional
        Weights broadcast against ``x``; terms with ``b == 0`` are left out (even where
        ``x`` is infinite).
    return_sign : bool
        Also return the sign of the sum (for complex input, the unit-magnitude phase), so a
        negative weighted sum gives its log-magnitude instead of NaN.

    Returns
    -------
    array, or (array, array) with ``return_sign``
        A row of all ``-inf`` (or an empty one) gives ``-inf``; ``+inf`` gives ``+inf``; NaN
        propagates; a negative sum is NaN unless ``return_sign``. The largest term is
        factored out exactly (``log1p`` of the rest), so tiny terms are not rounded away.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import nn
    >>> float(nn.logsumexp(np.array([1000.0, 1000.0])))
    1000.6931471805599
    >>> float(nn.logsumexp(np.array([-np.inf, -np.inf])))
    -inf
    >>> float(nn.logsumexp(np.array([0.0, -40.0])))  # log(1 + e**-40), not 0
    4.248354255291589e-18
    >>> out, sign = nn.logsumexp(np.array([1.0, 2.0]), b=np.array([1.0, -1.0]), return_sign=True)
    >>> round(float(out), 6), float(sign)
    (1.541325, -1.0)
    """
    bk = backend_of(x, b) if b is not None else backend_of(x)
    xp = bk.xp
    x = as_array(x, bk, "x", "logsumexp")
    if b is not None:
        w = as_array(b, bk, "b", "logsumexp", like=x)
        # the backend's own promotion of x with b (NumPy: int32 + float32 is float64; JAX and
        # torch: float32), integers going to the default float, as SciPy
        try:
            dt = xp.result_type(x.dtype, w.dtype)
        except TypeError:  # array_api_strict refuses mixed kinds: an integer counts as the
            # default float
            floats = [d for d in (x.dtype, w.dtype) if not xp.isdtype(d, ("integral", "bool"))]
            dt = xp.result_type(*floats, bk.default_float())
        if xp.isdtype(dt, ("integral", "bool")):
            dt = bk.default_float()
        x, w = xp.astype(x, dt), xp.astype(w, dt)
        x = as_float(x, bk, "x", "logsumexp")
        try:
            x, w = xp.broadcast_arrays(x, w)
        except (ValueError, RuntimeError, TypeError):
            raise ShapeError(
                f"logsumexp: b of shape {tuple(w.shape)} does not broadcast against x of "
                f"shape {tuple(x.shape)}"
            ) from None
    else:
        x = as_float(x, bk, "x", "logsumexp")
        w = None
    axes = normalize_axes(axis, x.ndim, "logsumexp")
    reduced = range(x.ndim) if axes is None else axes
    if any(x.shape[i] == 0 for i in reduced):  # a sum of nothing is 0: log 0 = -inf, as SciPy
        shape = tuple(1 if i in reduced else d for i, d in enumerate(x.shape))
        rdt = xp.real(x[..., :0]).dtype if xp.isdtype(x.dtype, "complex floating") else x.dtype
        dev = bk.device_of(x)
        out = xp.full(shape, -xp.inf, dtype=rdt, device=dev)
        sign = xp.zeros(shape, dtype=x.dtype, device=dev)
    else:
        return bk.kernel(_logsumexp, x, w, axes, bool(keepdims), bool(return_sign))
    if not keepdims:
        squeeze = axes if axes is not None else tuple(range(x.ndim))
        out, sign = xp.squeeze(out, axis=squeeze), xp.squeeze(sign, axis=squeeze)
    return (out, sign) if return_sign else out


def _logsumexp(
    xp: Any, x: Any, w: Any, axes: tuple[int, ...] | None, keepdims: bool, return_sign: bool
) -> Any:
    """The kernel of :func:`logsumexp` over a non-empty reduction."""
    if xp.isdtype(x.dtype, "complex floating"):
        out, sign = _complex(xp, x, w, axes, return_sign)
    else:
        out, sign = _real(xp, x, w, axes)
        if not return_sign:  # the log of a negative sum is NaN, as SciPy
            out = xp.where(sign < 0, xp.full_like(out, math.nan), out)
    if not keepdims:
        squeeze = axes if axes is not None else tuple(range(x.ndim))
        out, sign = xp.squeeze(out, axis=squeeze), xp.squeeze(sign, axis=squeeze)
    return (out, sign) if return_sign else out


def _real(xp: Any, x: Any, w: Any, axes: tuple[int, ...] | None) -> tuple[Any, Any]:
    """``(log|sum|, sign(sum))`` for real input, keepdims shape."""
    live = x if w is None else xp.where(w == 0, xp.full_like(x, -xp.inf), x)
    z, m = _shifted(xp, live, axes)
    at_max = z == 0
    ones = xp.ones_like(z) if w is None else w
    lead = xp.sum(xp.where(at_max, ones, xp.zeros_like(z)), axis=axes, keepdims=True)
    if w is None:
        terms = xp.exp(z)
    else:  # an infinite weight on a term that is not 0 (x > -inf) is that infinity, also
        # where exp(z) underflows to 0 (at x = -inf: inf * 0 = NaN); a +inf in x outweighs
        # every finite term: those are left out, so that finite terms overflowing with the
        # other sign make no inf - inf (and, replaced by 0 before exp, raise no warning)
        infinite_w = xp.isinf(w)
        beaten = xp.any(z == xp.inf, axis=axes, keepdims=True) & (z < xp.inf)  # (not NaN)
        beaten = beaten & (xp.abs(w) < xp.inf)  # (an infinite or NaN weight is not beaten)
        ez = xp.exp(xp.where(beaten, xp.zeros_like(z), z))
        inf_term = xp.where(z > -xp.inf, w, xp.full_like(w, math.nan))
        finite_w = xp.where(infinite_w | (w == 0), xp.ones_like(w), w)  # (no inf * 0 warning)
        scaled = xp.where(infinite_w, inf_term, finite_w * ez)
        terms = xp.where((w == 0) | beaten, xp.zeros_like(z), scaled)
    rest = xp.sum(xp.where(at_max, xp.zeros_like(z), terms), axis=axes, keepdims=True)
    # log|lead + rest| = log|big| + log|1 + small/big| with big the larger of the two in
    # magnitude: log1p keeps what 1 + t rounds away, and |t| <= 1 cannot overflow (rest / lead
    # did where tiny weights sit at the maximum: 4 / 2.2e-308 = inf gave a log-sum of inf)
    lead_big = xp.abs(lead) >= xp.abs(rest)
    big = xp.where(lead_big, lead, rest)
    has_big = big != 0  # (else both are 0: the sum is 0, its log -inf)
    t = xp.where(lead_big, rest, lead) / xp.where(has_big, big, xp.ones_like(big))
    one_t = 1 + t
    tail = xp.where(one_t > 0, xp.log1p(xp.where(one_t > 0, t, xp.zeros_like(t))), xp.zeros_like(t))
    tail = xp.where(one_t < 0, xp.log(xp.where(one_t < 0, -one_t, xp.ones_like(t))), tail)
    mag = xp.log(xp.where(has_big, xp.abs(big), xp.ones_like(big))) + tail
    total_sign = _sign(xp, big) * _sign(xp, one_t)
    # infinite weights at and below the maximum: rest / lead is inf / inf, so the sum itself
    # decides (+inf + inf is +inf with sign 1; inf - inf is NaN)
    both_inf = xp.isinf(lead) & xp.isinf(rest)
    total = xp.where(both_inf, lead + rest, xp.zeros_like(lead))
    total_sign = xp.where(both_inf, _sign(xp, total), total_sign)
    mag = xp.where(both_inf, xp.abs(total), mag)
    zero = (total_sign == 0) & ~xp.isnan(total_sign)
    out = xp.where(zero, xp.full_like(mag, -xp.inf), mag + m)
    nan = xp.isnan(rest) | xp.isnan(lead)  # NaN in, NaN out
    return xp.where(nan, xp.full_like(out, math.nan), out), total_sign


def _sign(xp: Any, x: Any) -> Any:
    """``sign(x)`` of real ``x`` as NumPy gives it (0 for ±0, NaN for NaN) in elementwise
    operations only: array-api-compat's torch ``sign`` writes its NaNs through a boolean
    mask, which ``torch.func.vmap`` cannot batch."""
    one, zero = xp.ones_like(x), xp.zeros_like(x)
    return xp.where(x > 0, one, xp.where(x < 0, -one, xp.where(x == x, zero, x)))


def _complex(
    xp: Any, x: Any, w: Any, axes: tuple[int, ...] | None, return_sign: bool
) -> tuple[Any, Any]:
    """Complex input, as SciPy: shift by the largest real part, which bounds every ``|exp|``;
    with ``return_sign`` the result is the real log-magnitude and the sign the phase."""
    m = xp.max(xp.real(x), axis=axes, keepdims=True)
    m = xp.where(xp.isfinite(m), m, xp.zeros_like(m))
    e = xp.exp(x - xp.astype(m, x.dtype))
    if w is not None:
        e = xp.where(w == 0, xp.zeros_like(e), w * e)
    s = xp.sum(e, axis=axes, keepdims=True)
    if not return_sign:
        return xp.log(s) + xp.astype(m, x.dtype), xp.ones_like(s)
    mag = xp.abs(s)
    nonzero = mag > 0
    sign = xp.where(nonzero, s / xp.astype(xp.where(nonzero, mag, xp.ones_like(mag)), s.dtype), s)
    return xp.log(mag) + m, sign


def _softmax(xp: Any, x: Any, axes: tuple[int, ...] | None) -> Any:
    """SciPy's formula: shifted by the plain maximum, so a row whose maximum is not finite
    (an ``inf``, a NaN, all ``-inf``) is NaN throughout, as in SciPy and torch."""
    e = xp.exp(x - xp.max(x, axis=axes, keepdims=True))
    return e / xp.sum(e, axis=axes, keepdims=True)


def _log_softmax(xp: Any, x: Any, axes: tuple[int, ...] | None) -> Any:
    z = _shifted(xp, x, axes)[0]
    return z - xp.log(xp.sum(xp.exp(z), axis=axes, keepdims=True))


def _normalising(x: Any, axis: Any, func: str, kernel: Any) -> Any:
    """softmax and log_softmax: an empty input is its own (empty) result, as SciPy."""
    b, x = _prep(x, func)
    axes = normalize_axes(axis, x.ndim, func)
    if 0 in x.shape:
        return x
    return b.implementation(f"nn.{func}", kernel)(b.xp, x, axes)


@routine("nn.softmax", numpy="native", torch="native")
def softmax(x: Any, axis: int = -1) -> Any:
    """``exp(x) / sum(exp(x))`` along ``axis``, shifted by the maximum first.

    Parameters
    ----------
    x : array
        Logits.
    axis : int
        The class axis.

    Returns
    -------
    array
        Non-negative, summing to 1 along ``axis`` (NaN for a row of all ``-inf``).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import nn
    >>> nn.softmax(np.array([1000.0, 1001.0]))
    array([0.26894142, 0.73105858])
    """
    return _normalising(x, axis, "softmax", _softmax)


@routine("nn.log_softmax")
def log_softmax(x: Any, axis: int = -1) -> Any:
    """``x - logsumexp(x)`` along ``axis``: log-probabilities without ``log(0)``.

    Parameters
    ----------
    x : array
        Logits.
    axis : int
        The class axis.

    Returns
    -------
    array
        Log-probabilities along ``axis``.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import nn
    >>> nn.log_softmax(np.array([0.0, 1000.0]))
    array([-1000.,     0.])
    """
    return _normalising(x, axis, "log_softmax", _log_softmax)
