"""Activation functions and the softmax family, numerically stable on every backend.

Every function is element-wise (or reduces along one axis), pure array code, and jit-safe.
Stability: nothing here evaluates ``exp`` of a large positive number, so ``sigmoid(-1000)`` is
0 and ``softmax([1000, 1001])`` is finite, without overflow warnings.
"""

from __future__ import annotations

import math
from typing import Any

from .._capabilities import routine
from .._dispatch import backend_of
from .._special import special
from .._validate import as_float, check_choice, check_real, normalize_axes, scalar_result

__all__ = [
    "elu",
    "gelu",
    "leaky_relu",
    "log_sigmoid",
    "log_softmax",
    "logsumexp",
    "relu",
    "sigmoid",
    "softmax",
    "softplus",
    "tanh",
]


def _prep(x: Any, func: str) -> tuple[Any, Any]:
    b = backend_of(x)
    return b, as_float(x, b, "x", func)


@routine("nn.sigmoid")
def sigmoid(x: Any) -> Any:
    """Logistic sigmoid ``1 / (1 + exp(-x))``, without overflow for large ``|x|``.

    Parameters
    ----------
    x : array
        Input; integers are promoted to the default float dtype.

    Returns
    -------
    array
        Values in [0, 1], same shape and backend as ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import nn
    >>> nn.sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    b, x = _prep(x, "sigmoid")
    xp = b.xp
    e = xp.exp(-xp.abs(x))  # in (0, 1]: never overflows
    return xp.where(x >= 0, 1 / (1 + e), e / (1 + e))


@routine("nn.log_sigmoid")
def log_sigmoid(x: Any) -> Any:
    """``log(sigmoid(x)) = -softplus(-x)``, accurate for large negative ``x``.

    Parameters
    ----------
    x : array
        Input.

    Returns
    -------
    array
        Values in (-inf, 0].

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import nn
    >>> nn.log_sigmoid(np.array([-1000.0, 0.0])).tolist()
    [-1000.0, -0.6931471805599453]
    """
    return -softplus(-_prep(x, "log_sigmoid")[1])


@routine("nn.relu")
def relu(x: Any) -> Any:
    """Rectified linear unit ``max(x, 0)``; NaN propagates.

    Parameters
    ----------
    x : array
        Input.

    Returns
    -------
    array
        ``x`` where positive, else 0.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import nn
    >>> nn.relu(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    """
    b, x = _prep(x, "relu")
    xp = b.xp
    return xp.where(x < 0, xp.zeros_like(x), x)


@routine("nn.leaky_relu")
def leaky_relu(x: Any, negative_slope: float = 0.01) -> Any:
    """Leaky ReLU: ``x`` where positive, ``negative_slope * x`` elsewhere.

    Parameters
    ----------
    x : array
        Input.
    negative_slope : float
        Slope for negative inputs (PyTorch's default 0.01).

    Returns
    -------
    array
        Same shape as ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import nn
    >>> nn.leaky_relu(np.array([-2.0, 3.0]), negative_slope=0.1)
    array([-0.2,  3. ])
    """
    slope = check_real(negative_slope, "negative_slope", "leaky_relu")
    b, x = _prep(x, "leaky_relu")
    return b.xp.where(x < 0, slope * x, x)


@routine("nn.elu")
def elu(x: Any, alpha: float = 1.0) -> Any:
    """Exponential linear unit: ``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` otherwise.

    Parameters
    ----------
    x : array
        Input.
    alpha : float
        Saturation value for large negative inputs is ``-alpha``.

    Returns
    -------
    array
        Same shape as ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import nn
    >>> nn.elu(np.array([-1000.0, 0.0, 2.0]))
    array([-1.,  0.,  2.])
    """
    alpha = check_real(alpha, "alpha", "elu")
    b, x = _prep(x, "elu")
    xp = b.xp
    neg = alpha * xp.expm1(xp.where(x > 0, xp.zeros_like(x), x))
    return xp.where(x > 0, x, neg)


@routine("nn.gelu", array_api_strict="host", note={"array_api_strict": "erfc via SciPy"})
def gelu(x: Any, approximate: str = "none") -> Any:
    """Gaussian error linear unit ``x Φ(x)``; ``approximate="tanh"`` gives the tanh form.

    Parameters
    ----------
    x : array
        Input.
    approximate : {"none", "tanh"}
        ``"none"``: exact, ``0.5 x erfc(-x / √2)``; ``"tanh"``:
        ``0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))`` (PyTorch's two options).

    Returns
    -------
    array
        Same shape as ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import nn
    >>> np.round(nn.gelu(np.array([-3.0, 0.0, 1.0])), 6)
    array([-0.00405 ,  0.      ,  0.841345])
    """
    check_choice(approximate, "approximate", ("none", "tanh"), "gelu")
    b, x = _prep(x, "gelu")
    if approximate == "tanh":
        inner = math.sqrt(2 / math.pi) * (x + 0.044715 * x * x * x)
        return x * sigmoid(2 * inner)  # = ½ x (1 + tanh(inner)), without the cancellation
    # x Φ(x) = ½ x erfc(-x/√2): no cancellation for large negative x, unlike ½ x (1 + erf)
    return 0.5 * x * special(b, "erfc")(-x / math.sqrt(2))


@routine("nn.tanh")
def tanh(x: Any) -> Any:
    """Hyperbolic tangent.

    Parameters
    ----------
    x : array
        Input.

    Returns
    -------
    array
        Values in [-1, 1].

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import nn
    >>> nn.tanh(np.array([-1000.0, 0.0]))
    array([-1.,  0.])
    """
    b, x = _prep(x, "tanh")
    return b.xp.tanh(x)


@routine("nn.softplus")
def softplus(x: Any) -> Any:
    """``log(1 + exp(x))`` computed as ``max(x, 0) + log1p(exp(-|x|))``.

    Parameters
    ----------
    x : array
        Input.

    Returns
    -------
    array
        Positive values; ``softplus(1000) == 1000`` and ``softplus(-1000) == 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import nn
    >>> nn.softplus(np.array([-1000.0, 0.0, 1000.0]))
    array([0.00000000e+00, 6.93147181e-01, 1.00000000e+03])
    """
    b, x = _prep(x, "softplus")
    xp = b.xp
    return xp.where(x > 0, x, xp.zeros_like(x)) + xp.log1p(xp.exp(-xp.abs(x)))


def _shifted(xp: Any, x: Any, axes: tuple[int, ...] | None) -> tuple[Any, Any]:
    """``x - m`` and ``m``, with ``m`` the max over ``axes`` (0 where that max is not finite)."""
    m = xp.max(x, axis=axes, keepdims=True)
    m = xp.where(xp.isfinite(m), m, xp.zeros_like(m))
    return x - m, m


def _logsumexp_complex(xp: Any, x: Any, axes: tuple[int, ...] | None) -> Any:
    """Complex input (as SciPy): shift by the largest real part, which bounds every |exp|."""
    m = xp.max(xp.real(x), axis=axes, keepdims=True)
    m = xp.where(xp.isfinite(m), m, xp.zeros_like(m))
    s = xp.sum(xp.exp(x - xp.astype(m, x.dtype)), axis=axes, keepdims=True)
    return xp.log(s) + xp.astype(m, x.dtype)


@routine("nn.logsumexp")
@scalar_result
def logsumexp(x: Any, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Any:
    """``log(sum(exp(x)))`` over ``axis`` without overflow or underflow.

    Parameters
    ----------
    x : array
        Input.
    axis : int or tuple of int, optional
        Axes to reduce; all by default.
    keepdims : bool
        Keep reduced axes with length one.

    Returns
    -------
    array
        A row of all ``-inf`` gives ``-inf``; ``+inf`` gives ``+inf``; NaN propagates.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import nn
    >>> float(nn.logsumexp(np.array([1000.0, 1000.0])))
    1000.6931471805599
    >>> float(nn.logsumexp(np.array([-np.inf, -np.inf])))
    -inf
    """
    b, x = _prep(x, "logsumexp")
    xp = b.xp
    axes = normalize_axes(axis, x.ndim, "logsumexp")
    reduced = range(x.ndim) if axes is None else axes
    if any(x.shape[i] == 0 for i in reduced):  # a sum of nothing is 0: log 0 = -inf, as SciPy
        shape = tuple(1 if i in reduced else d for i, d in enumerate(x.shape))
        out = xp.full(shape, -xp.inf, dtype=x.dtype)
    elif xp.isdtype(x.dtype, "complex floating"):
        out = _logsumexp_complex(xp, x, axes)
    else:
        z, m = _shifted(xp, x, axes)
        # the (first) maximum contributes exactly 1: log1p of the rest keeps tiny terms that
        # log(1 + rest) would round away (logsumexp([0, -40]) = 4.2e-18, not 0)
        at_max = z == 0
        n_max = xp.sum(xp.astype(at_max, x.dtype), axis=axes, keepdims=True)
        rest = xp.sum(xp.where(at_max, xp.zeros_like(z), xp.exp(z)), axis=axes, keepdims=True)
        t = rest + (n_max - 1)
        none = t == -1  # every entry -inf: -inf, without a log(0) warning
        out = xp.where(none, -xp.inf, xp.log1p(xp.where(none, xp.zeros_like(t), t)) + m)
    if not keepdims:
        out = xp.squeeze(out, axis=axes if axes is not None else tuple(range(x.ndim)))
    return out


@routine("nn.softmax")
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
    b, x = _prep(x, "softmax")
    xp = b.xp
    z, _ = _shifted(xp, x, normalize_axes(axis, x.ndim, "softmax"))
    e = xp.exp(z)
    return e / xp.sum(e, axis=axis, keepdims=True)


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
    b, x = _prep(x, "log_softmax")
    xp = b.xp
    z, _ = _shifted(xp, x, normalize_axes(axis, x.ndim, "log_softmax"))
    return z - xp.log(xp.sum(xp.exp(z), axis=axis, keepdims=True))
