"""The covariance of weighted observations: ``numpy.cov``'s ``fweights`` (how often each
observation occurs) and ``aweights`` (how much each counts), with NumPy's normalisation."""

from __future__ import annotations

from typing import Any

from .._errors import ArgumentTypeError, InvalidArgumentError, ShapeError
from .._validate import as_array, dtype_kind
from ._samples import over_no_freedom


class WeightShapeError(ShapeError, RuntimeError):
    """Weights of the wrong shape (also a ``RuntimeError``, the class NumPy raises)."""


def _weights(b: Any, w: Any, n: int, arg: str, like: Any) -> Any:
    """``w`` as a 1-D array of ``n`` nonnegative weights in ``like``'s real dtype; for
    ``fweights`` integral (checked where the values can be read)."""
    xp = b.xp
    w = as_array(w, b, arg, "cov")
    if dtype_kind(w, xp) not in "biuf":
        raise ArgumentTypeError(f"cov: {arg} must be real numbers; got dtype {w.dtype}")
    if w.ndim != 1 or w.shape[0] != n:
        raise WeightShapeError(
            f"cov: {arg} must be 1-D with one weight per observation ({n}); got shape "
            f"{tuple(w.shape)}"
        )
    real = xp.real(like).dtype if xp.isdtype(like.dtype, "complex floating") else like.dtype
    w = xp.astype(w, real)
    # (the tests' results, not w, are asked whether they can be read: inside jax.jit an
    # operation on a closed-over concrete array is traced)
    fractional = xp.any(w != xp.round(w)) if arg == "fweights" else None
    if fractional is not None and b.is_concrete(fractional) and bool(fractional):
        raise ArgumentTypeError("cov: fweights must be integers (observation counts)")
    negative = xp.any(w < 0)
    if b.is_concrete(negative) and bool(negative):
        raise InvalidArgumentError(f"cov: {arg} must be non-negative")
    return w


def weighted_cov(b: Any, a: Any, ddof: int, fweights: Any, aweights: Any) -> Any:
    """The covariance of the rows of ``a`` (variables × observations) with observation
    weights ``fweights * aweights``, normalised as ``numpy.cov`` does: by ``sum(w) - ddof``
    for frequency weights alone, ``sum(w) - ddof * sum(w * aweights) / sum(w)`` with
    ``aweights`` (``sum(w)`` for ``ddof`` 0), and ±inf or NaN where that is 0 or less."""
    xp = b.xp
    n = a.shape[1]
    f = None if fweights is None else _weights(b, fweights, n, "fweights", a)
    aw = None if aweights is None else _weights(b, aweights, n, "aweights", a)
    w = f if aw is None else (aw if f is None else f * aw)
    w_sum = xp.sum(w)
    avg = xp.sum(a * w, axis=1, keepdims=True) / w_sum
    if ddof == 0:
        fact = w_sum
    elif aw is None:
        fact = w_sum - ddof
    else:
        fact = w_sum - ddof * xp.sum(w * aw) / w_sum
    d = a - avg
    dw = xp.conj(d * w) if xp.isdtype(d.dtype, "complex floating") else d * w
    c = d @ xp.permute_dims(dw, (1, 0))
    positive = fact > 0
    c = xp.where(positive, c / xp.where(positive, fact, xp.ones_like(fact)), over_no_freedom(xp, c))
    return xp.reshape(c, ()) if c.shape == (1, 1) else c
