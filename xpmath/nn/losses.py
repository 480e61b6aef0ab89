"""Losses: mean squared error, binary and categorical cross-entropy (stable forms)."""

from __future__ import annotations

from typing import Any

from .._capabilities import routine
from .._dispatch import backend_of
from .._errors import InvalidArgumentError, ShapeError
from .._validate import (
    as_array,
    as_float,
    check_choice,
    check_real,
    dtype_kind,
    normalize_axis,
)
from .activations import softplus
from .labels import one_hot
from .softmax import log_softmax

__all__ = ["binary_cross_entropy", "cross_entropy", "mse"]

REDUCTIONS = ("mean", "sum", "none")


def _reduce(xp: Any, loss: Any, reduction: str) -> Any:
    if reduction == "mean":
        return xp.mean(loss)
    if reduction == "sum":
        return xp.sum(loss)
    return loss


def _pair(pred: Any, target: Any, func: str, names: tuple[str, str]) -> tuple[Any, Any, Any]:
    b = backend_of(pred, target)
    pred = as_float(as_array(pred, b, names[0], func, like=target), b, names[0], func)
    target = as_array(target, b, names[1], func, like=pred)
    if tuple(pred.shape) != tuple(target.shape):
        raise ShapeError(
            f"{func}: {names[0]} and {names[1]} must have the same shape; got "
            f"{tuple(pred.shape)} and {tuple(target.shape)}"
        )
    return b, pred, b.xp.astype(target, pred.dtype)


@routine("nn.mse")
def mse(pred: Any, target: Any, *, reduction: str = "mean") -> Any:
    """Mean squared error ``mean((pred - target)²)``.

    Parameters
    ----------
    pred, target : array
        Same shape.
    reduction : {"mean", "sum", "none"}
        How to combine the element-wise losses.

    Returns
    -------
    array
        A 0-d array, or the element-wise losses for ``reduction="none"``.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import nn
    >>> float(nn.mse(np.array([1.0, 2.0]), np.array([1.0, 4.0])))
    2.0
    """
    check_choice(reduction, "reduction", REDUCTIONS, "mse")
    b, pred, target = _pair(pred, target, "mse", ("pred", "target"))
    d = pred - target
    return _reduce(b.xp, d * d, reduction)


@routine("nn.binary_cross_entropy")
def binary_cross_entropy(
    pred: Any, target: Any, *, from_logits: bool = False, reduction: str = "mean"
) -> Any:
    """Binary cross-entropy ``-(y log p + (1 - y) log(1 - p))``.

    Parameters
    ----------
    pred : array
        Probabilities in [0, 1], or logits when ``from_logits=True``.
    target : array
        Targets in [0, 1], same shape as ``pred``.
    from_logits : bool
        Take logits ``z`` and use the exact stable form ``softplus(z) - y z``
        (``softplus(-z) + (1 - y) z``), which never overflows. Prefer it in training.
    reduction : {"mean", "sum", "none"}
        How to combine the element-wise losses.

    Returns
    -------
    array
        The loss. From probabilities, each log is clamped at -100 (as PyTorch does) so a
        confident wrong prediction gives a large finite loss, not ``inf``.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import nn
    >>> round(float(nn.binary_cross_entropy(np.array([0.9, 0.2]), np.array([1.0, 0.0]))), 6)
    0.164252
    >>> float(nn.binary_cross_entropy(np.array([-1000.0]), np.array([1.0]), from_logits=True))
    1000.0
    """
    check_choice(reduction, "reduction", REDUCTIONS, "binary_cross_entropy")
    b, p, y = _pair(pred, target, "binary_cross_entropy", ("pred", "target"))
    xp = b.xp
    if from_logits:
        loss = softplus(p) - y * p
    else:
        floor = xp.asarray(-100.0, dtype=p.dtype)
        one = xp.ones_like(p)
        # p = 0 or 1 takes the floor directly: log(0) would give the right clamp but also a
        # divide-by-zero warning; anything else (a negative p included) goes through log
        log_p = xp.where(p == 0, floor, xp.maximum(xp.log(xp.where(p == 0, one, p)), floor))
        log_q = xp.where(p == 1, floor, xp.maximum(xp.log1p(-xp.where(p == 1, 0 * one, p)), floor))
        loss = -(y * log_p + (1 - y) * log_q)
    return _reduce(xp, loss, reduction)


@routine("nn.cross_entropy")
def cross_entropy(
    logits: Any,
    target: Any,
    *,
    axis: int = -1,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Any:
    """Categorical cross-entropy from logits: ``-Σ_c y_c log_softmax(logits)_c``.

    Parameters
    ----------
    logits : array
        Unnormalised scores with the classes along ``axis``.
    target : array
        Integer class indices (the shape of ``logits`` without ``axis``, as PyTorch's
        ``(N, d1, ...)`` for logits ``(N, C, d1, ...)`` with ``axis=1``), or class
        probabilities of the same shape as ``logits``.
    axis : int
        The class axis.
    reduction : {"mean", "sum", "none"}
        Mean over samples (not classes), sum, or per-sample losses.
    label_smoothing : float
        In [0, 1]: mixes the target with the uniform distribution, as in PyTorch (1 is
        the uniform target itself).

    Returns
    -------
    array
        The loss; finite for any finite logits (``log_softmax`` never takes ``log(0)``).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import nn
    >>> logits = np.array([[1000.0, 0.0], [0.0, 0.0]])
    >>> float(nn.cross_entropy(logits, np.array([0, 1])))  # (0 + log 2) / 2
    0.34657359027997264
    """
    check_choice(reduction, "reduction", REDUCTIONS, "cross_entropy")
    smoothing = check_real(label_smoothing, "label_smoothing", "cross_entropy", nonnegative=True)
    if smoothing > 1:
        raise InvalidArgumentError(
            f"cross_entropy: label_smoothing must be in [0, 1]; got {label_smoothing!r}"
        )
    b = backend_of(logits, target)
    xp = b.xp
    logits = as_float(logits, b, "logits", "cross_entropy")
    target = as_array(target, b, "target", "cross_entropy")
    ax = normalize_axis(axis, logits.ndim, "axis", "cross_entropy")
    k = logits.shape[ax]
    if dtype_kind(target, xp) in "iu":
        expect = tuple(s for i, s in enumerate(logits.shape) if i != ax)
        if tuple(target.shape) != expect:
            raise ShapeError(
                "cross_entropy: integer target must have the shape of logits without the "
                f"class axis {ax}; got logits {tuple(logits.shape)}, target "
                f"{tuple(target.shape)}"
            )
        probs = one_hot(target, k, dtype=logits.dtype)  # (classes last: moved to axis)
        if ax != logits.ndim - 1:
            last = logits.ndim - 1
            probs = xp.permute_dims(probs, (*range(ax), last, *range(ax, last)))
    else:
        if tuple(target.shape) != tuple(logits.shape):
            raise ShapeError(
                "cross_entropy: probability target must have the shape of logits; got "
                f"logits {tuple(logits.shape)}, target {tuple(target.shape)}"
            )
        probs = xp.astype(target, logits.dtype)
    if smoothing:
        probs = (1 - smoothing) * probs + smoothing / k
    log_q = log_softmax(logits, axis=ax)
    # 0 · log 0 = 0: zero the log where the probability is 0, so an extreme logit's -inf
    # never meets a 0 (NaN, with a warning, before being masked)
    terms = probs * xp.where(probs == 0, xp.zeros_like(log_q), log_q)
    loss = -xp.sum(terms, axis=ax)
    return _reduce(xp, loss, reduction)
