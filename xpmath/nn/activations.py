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
from .._validate import as_float, check_choice, check_real

__all__ = [
    "elu",
    "gelu",
    "leaky_relu",
    "log_sigmoid",
    "relu",
    "sigmoid",
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
        Input; integers are promoted to the default float dtype, as for every activation.

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
