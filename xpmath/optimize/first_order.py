"""Gradient descent and its family: momentum/Nesterov, SGD, Adam, RMSProp.

The update rules live in ``update_rules.py`` and the engine that runs them in
``loop_engine.py``. On JAX the whole run is one compiled program, not one dispatch per step;
elsewhere the same body runs in a Python loop. Stopping rules are array expressions, so they
work under ``jit``: the gradient norm falling below ``tol``, the loss changing by less than
``ftol * (1 + |f|)``, or divergence (a non-finite gradient or iterate), which stops with
``success=False`` and keeps the last finite iterate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._capabilities import routine
from .._validate import check_fraction, check_real
from .loop_engine import _run
from .result import OptimizeResult

__all__ = ["adam", "gradient_descent", "rmsprop", "sgd"]


_COMMON_DOC = """
    Parameters
    ----------
    fun : callable
        ``fun(x) -> scalar``, written with array operations of ``x``'s backend.
    x0 : array
        Starting point (integers are promoted to the default float dtype).
    jac : callable, optional
        ``jac(x) -> gradient``; default :func:`xpmath.calculus.grad` of ``fun`` (native
        autodiff on JAX/PyTorch, numerical elsewhere).
    steps : int
        Maximum number of updates.
    tol : float, optional
        Stop when the gradient 2-norm is at most ``tol``.
    ftol : float, optional
        Stop when the loss changes by at most ``ftol * (1 + |f|)`` in one step.
    callback : callable, optional
        ``callback(step, x)`` after every step (runs the loop in Python); return True to stop.
    history : bool
        Record the loss after every step in ``result.history`` (NaN after an early stop).

    Returns
    -------
    OptimizeResult
        ``x``, ``fun``, ``nit``, ``success``, ``message`` (and ``history``). Divergence
        gives ``success=False`` and the last finite iterate, never a silent NaN.
"""


#: the loop engine persists the iterate each step on Dask (bounded graphs, workers compute)
_LOOP_NOTE = {"dask": "each step is persisted on the workers (computes)"}


@routine("optimize.gradient_descent", lazy=False, note=_LOOP_NOTE)
def gradient_descent(
    fun: Callable[..., Any],
    x0: Any,
    *,
    jac: Callable[..., Any] | None = None,
    lr: float,
    steps: int,
    momentum: float = 0.0,
    nesterov: bool = False,
    tol: float | None = None,
    ftol: float | None = None,
    callback: Callable[..., Any] | None = None,
    history: bool = False,
) -> OptimizeResult:
    """Gradient descent, optionally with (Nesterov) momentum: ``v = μ v + g; x -= lr v``.

    ``lr`` is the learning rate, ``momentum`` μ in [0, 1).
    {common}
    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import optimize
    >>> res = optimize.gradient_descent(lambda x: (x ** 2 - 2 * x + 1).sum(), np.array([5.0]),
    ...                                 lr=0.1, steps=100)
    >>> round(float(res.x[0]), 8), res.success
    (1.0, True)
    """
    lr = check_real(lr, "lr", "gradient_descent", positive=True)
    momentum = check_fraction(momentum, "momentum", "gradient_descent")
    rule = ("momentum", lr, momentum, bool(nesterov), 0.0)
    return _run(fun, x0, jac, rule, steps, tol, ftol, callback, history, "gradient_descent")


@routine("optimize.sgd", lazy=False, note=_LOOP_NOTE)
def sgd(
    fun: Callable[..., Any],
    x0: Any,
    *,
    jac: Callable[..., Any] | None = None,
    lr: float,
    steps: int,
    momentum: float = 0.0,
    nesterov: bool = False,
    weight_decay: float = 0.0,
    tol: float | None = None,
    ftol: float | None = None,
    callback: Callable[..., Any] | None = None,
    history: bool = False,
) -> OptimizeResult:
    """SGD with PyTorch's hyper-parameters (momentum, Nesterov, L2 ``weight_decay``).

    The stochasticity is the caller's: pass a ``jac`` that samples a mini-batch.
    {common}
    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import optimize
    >>> res = optimize.sgd(lambda x: ((x - 3.0) ** 2).sum(), np.zeros(2), lr=0.1, steps=200,
    ...                    momentum=0.9)
    >>> np.round(res.x, 3)
    array([3., 3.])
    """
    lr = check_real(lr, "lr", "sgd", positive=True)
    momentum = check_fraction(momentum, "momentum", "sgd")
    weight_decay = check_real(weight_decay, "weight_decay", "sgd", nonnegative=True)
    rule = ("momentum", lr, momentum, bool(nesterov), weight_decay)
    return _run(fun, x0, jac, rule, steps, tol, ftol, callback, history, "sgd")


@routine("optimize.adam", lazy=False, note=_LOOP_NOTE)
def adam(
    fun: Callable[..., Any],
    x0: Any,
    *,
    jac: Callable[..., Any] | None = None,
    lr: float = 1e-3,
    steps: int,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    tol: float | None = None,
    ftol: float | None = None,
    callback: Callable[..., Any] | None = None,
    history: bool = False,
) -> OptimizeResult:
    """Adam (Kingma & Ba) with bias correction; the update of ``torch.optim.Adam``.
    {common}
    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import optimize
    >>> res = optimize.adam(lambda x: ((x - 1.0) ** 2).sum(), np.zeros(3), lr=0.1, steps=500)
    >>> np.round(res.x, 4)
    array([1., 1., 1.])
    """
    lr = check_real(lr, "lr", "adam", positive=True)
    beta1 = check_fraction(beta1, "beta1", "adam")
    beta2 = check_fraction(beta2, "beta2", "adam")
    eps = check_real(eps, "eps", "adam", positive=True)
    weight_decay = check_real(weight_decay, "weight_decay", "adam", nonnegative=True)
    rule = ("adam", lr, beta1, beta2, eps, weight_decay)
    return _run(fun, x0, jac, rule, steps, tol, ftol, callback, history, "adam")


@routine("optimize.rmsprop", lazy=False, note=_LOOP_NOTE)
def rmsprop(
    fun: Callable[..., Any],
    x0: Any,
    *,
    jac: Callable[..., Any] | None = None,
    lr: float = 1e-2,
    steps: int,
    alpha: float = 0.99,
    eps: float = 1e-8,
    momentum: float = 0.0,
    weight_decay: float = 0.0,
    tol: float | None = None,
    ftol: float | None = None,
    callback: Callable[..., Any] | None = None,
    history: bool = False,
) -> OptimizeResult:
    """RMSProp; the update of ``torch.optim.RMSprop`` (uncentred).
    {common}
    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import optimize
    >>> res = optimize.rmsprop(lambda x: ((x + 2.0) ** 2).sum(), np.zeros(2), lr=0.01,
    ...                        steps=2000)
    >>> np.round(res.x, 2)
    array([-2., -2.])
    """
    lr = check_real(lr, "lr", "rmsprop", positive=True)
    alpha = check_fraction(alpha, "alpha", "rmsprop")
    eps = check_real(eps, "eps", "rmsprop", positive=True)
    momentum = check_fraction(momentum, "momentum", "rmsprop")
    weight_decay = check_real(weight_decay, "weight_decay", "rmsprop", nonnegative=True)
    rule = ("rmsprop", lr, alpha, eps, momentum, weight_decay)
    return _run(fun, x0, jac, rule, steps, tol, ftol, callback, history, "rmsprop")


for _f in (gradient_descent, sgd, adam, rmsprop):
    _f.__doc__ = (_f.__doc__ or "").replace("{common}", _COMMON_DOC)
