"""Gradient descent and its family: momentum/Nesterov, SGD, Adam, RMSProp.

One engine runs every rule. On JAX the whole run is one compiled program (``fori_loop``, or
``while_loop`` when a tolerance can stop it early), not one dispatch per step; elsewhere the
same body runs in a Python loop. Stopping rules are array expressions, so they work under
``jit``: the gradient norm falling below ``tol``, the loss changing by less than
``ftol * (1 + |f|)``, or divergence (a non-finite gradient or iterate), which stops with
``success=False`` and keeps the last finite iterate.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._capabilities import routine
from .._dispatch import backend_of
from .._validate import (
    as_array,
    as_float,
    check_callable,
    check_fraction,
    check_int,
    check_real,
)
from .result import OptimizeResult
from .status import CONVERGED, DIVERGED, MESSAGES, RUNNING

__all__ = ["adam", "gradient_descent", "rmsprop", "sgd"]


@dataclass(frozen=True)
class _Rule:
    """An update rule: ``init(xp, x) -> aux`` and ``step(xp, x, aux, g, t) -> (x, aux)``."""

    name: str
    init: Callable[[Any, Any], tuple[Any, ...]]
    step: Callable[[Any, Any, tuple[Any, ...], Any, Any], tuple[Any, tuple[Any, ...]]]


def _momentum_rule(lr: float, momentum: float, nesterov: bool, weight_decay: float) -> _Rule:
    def init(xp: Any, x: Any) -> tuple[Any, ...]:
        return (xp.zeros_like(x),) if momentum else ()

    def step(xp: Any, x: Any, aux: tuple[Any, ...], g: Any, t: Any) -> Any:
        if weight_decay:
            g = g + weight_decay * x
        if not momentum:
            return x - lr * g, aux
        v = momentum * aux[0] + g
        direction = g + momentum * v if nesterov else v
        return x - lr * direction, (v,)

    return _Rule("gradient_descent", init, step)


def _adam_rule(lr: float, b1: float, b2: float, eps: float, weight_decay: float) -> _Rule:
    def init(xp: Any, x: Any) -> tuple[Any, ...]:
        return (xp.zeros_like(x), xp.zeros_like(x))

    def step(xp: Any, x: Any, aux: tuple[Any, ...], g: Any, t: Any) -> Any:
        if weight_decay:
            g = g + weight_decay * x
        m = b1 * aux[0] + (1 - b1) * g
        v = b2 * aux[1] + (1 - b2) * g * g
        tt = xp.astype(xp.asarray(t + 1), x.dtype)
        mhat = m / (1 - xp.asarray(b1, dtype=x.dtype) ** tt)
        vhat = v / (1 - xp.asarray(b2, dtype=x.dtype) ** tt)
        return x - lr * mhat / (xp.sqrt(vhat) + eps), (m, v)

    return _Rule("adam", init, step)


def _rmsprop_rule(
    lr: float, alpha: float, eps: float, momentum: float, weight_decay: float
) -> _Rule:
    def init(xp: Any, x: Any) -> tuple[Any, ...]:
        return (xp.zeros_like(x), xp.zeros_like(x))

    def step(xp: Any, x: Any, aux: tuple[Any, ...], g: Any, t: Any) -> Any:
        if weight_decay:
            g = g + weight_decay * x
        sq = alpha * aux[0] + (1 - alpha) * g * g
        scaled = g / (xp.sqrt(sq) + eps)
        buf = momentum * aux[1] + scaled if momentum else scaled
        return x - lr * buf, (sq, buf)

    return _Rule("rmsprop", init, step)


_RULES: dict[str, Callable[..., _Rule]] = {
    "momentum": _momentum_rule,
    "adam": _adam_rule,
    "rmsprop": _rmsprop_rule,
}


def _run(
    fun: Callable[..., Any],
    x0: Any,
    jac: Callable[..., Any] | None,
    rule_spec: tuple[Any, ...],
    steps: int,
    tol: float | None,
    ftol: float | None,
    callback: Callable[..., Any] | None,
    history: bool,
    func: str,
) -> OptimizeResult:
    check_callable(fun, "fun", func)
    if jac is not None:
        check_callable(jac, "jac", func)
    if callback is not None:
        check_callable(callback, "callback", func)
    steps = check_int(steps, "steps", func, minimum=0)
    if tol is not None:
        tol = check_real(tol, "tol", func, nonnegative=True)
    if ftol is not None:
        ftol = check_real(ftol, "ftol", func, nonnegative=True)
    b = backend_of(x0)
    x0 = as_float(as_array(x0, b, "x0", func), b, "x0", func)
    if not b.compiles:
        with b.loop_scope(f"xpmath.optimize.{func}"):
            return _run_eager(b, fun, jac, rule_spec, steps, tol, ftol, callback, history, x0, func)
    if callback is not None:
        body, init = _program(b, fun, jac, rule_spec, steps, tol, ftol, history, x0)
        state = init
        step_fn = b.jit(body)
        for k in range(steps):
            state = step_fn(k, state)
            if int(state[3]) != RUNNING or callback(k, state[0]):
                break
    else:
        state = _compiled(b, fun, jac, rule_spec, steps, tol, ftol, history)(x0)
    x, _, _, status, hist, nit, _ = state
    if b.is_concrete(status):
        code = int(status)
        res = OptimizeResult(
            x=x,
            fun=fun(x),
            nit=int(nit),
            success=code != DIVERGED,
            message=MESSAGES[code],
            status=code,
            method=func,
        )
    else:  # inside the caller's jit: the outcome is data, read it after compilation
        res = OptimizeResult(
            x=x,
            fun=fun(x),
            nit=nit,
            success=status != DIVERGED,
            message="traced: see status (0 max steps, 1 converged, 2 diverged)",
            status=status,
            method=func,
        )
    if history:
        res["history"] = hist
    return res


def _run_eager(
    b: Any,
    fun: Callable[..., Any],
    jac: Callable[..., Any] | None,
    rule_spec: tuple[Any, ...],
    steps: int,
    tol: float | None,
    ftol: float | None,
    callback: Callable[..., Any] | None,
    history: bool,
    x0: Any,
    func: str,
) -> OptimizeResult:
    """Backends without a compiler: a Python loop whose checks cost one scalar read a step.

    Where persisting is asynchronous (Dask on a cluster) and no per-step value of ``fun`` is
    needed, step k+1 is submitted before step k's gradient norm is read, so the cluster
    computes while the client waits for the check. A rejected or final step's successor is
    discarded unread: the iterates, ``nit`` and status are those of the one-step-at-a-time loop.
    """
    import math

    xp = b.xp
    rule = _RULES[rule_spec[0]](*rule_spec[1:])
    if jac is None:
        from ..calculus import grad

        jac = grad(fun)

    def submit(x: Any, aux: tuple[Any, ...], k: int) -> tuple[Any, Any, tuple[Any, ...]]:
        g = jac(x)
        x_new, aux_new = rule.step(xp, x, aux, g, k)
        # one scheduler round trip on Dask: the step and its gradient norm are computed
        # together, so the gradient is not evaluated twice; the check then decides acceptance
        x_new, gsq, *rest = b.persist_all((x_new, xp.sum(xp.real(g * xp.conj(g))), *aux_new))
        return x_new, gsq, tuple(rest)

    # lazy backends: x0 and the rule's state become concrete once, not re-derived every step
    x0, *aux0 = b.persist_all((x0, *rule.init(xp, x0)))
    x, aux = x0, tuple(aux0)
    f = float(fun(x0)) if (history or ftol is not None) else math.nan
    ahead = b.persist_is_async() and not history and ftol is None
    hist: list[float] = []
    status, nit = RUNNING, 0
    blowup = None
    pending = submit(x, aux, 0) if steps > 0 else None
    for k in range(steps):
        x_new, gsq_arr, aux_new = pending
        more = k + 1 < steps
        if ahead and more:
            pending = submit(x_new, aux_new, k + 1)  # speculative until this step is accepted
        gsq = float(gsq_arr)
        if blowup is None:
            blowup = 1e16 * (gsq + 1.0)
        if not (math.isfinite(gsq) and gsq <= blowup):
            status = DIVERGED
            break
        aux = aux_new
        nit += 1
        if history or ftol is not None:
            f_new = float(fun(x_new))
            if not math.isfinite(f_new):
                status, nit = DIVERGED, nit - 1
                break
            hist.append(f_new)
            small = ftol is not None and abs(f_new - f) <= ftol * (1 + abs(f))
            f = f_new
            if small:
                status = CONVERGED
        x = x_new
        if tol is not None and gsq <= tol * tol:
            status = CONVERGED
        if status != RUNNING or (callback is not None and callback(k, x)):
            break
        if not ahead and more:
            pending = submit(x, aux, k + 1)
    res = OptimizeResult(
        x=x,
        fun=fun(x),
        nit=nit,
        success=status != DIVERGED,
        message=MESSAGES[status],
        status=status,
        method=func,
    )
    if history:
        pad = [math.nan] * (steps - len(hist))
        res["history"] = b.asarray(hist + pad, dtype=x0.dtype)
    return res


@functools.lru_cache(maxsize=64)
def _compiled(
    b: Any,
    fun: Callable[..., Any],
    jac: Callable[..., Any] | None,
    rule_spec: tuple[Any, ...],
    steps: int,
    tol: float | None,
    ftol: float | None,
    history: bool,
) -> Callable[[Any], Any]:
    """The whole run as one function of x0, compiled once per (problem, settings)."""

    def run(x0: Any) -> Any:
        body, init = _program(b, fun, jac, rule_spec, steps, tol, ftol, history, x0)
        if tol is None and ftol is None:
            return b.fori_loop(0, steps, body, init)
        xp = b.xp

        def cond(carry: tuple[Any, ...]) -> Any:
            return (carry[0] < steps) & (carry[1][3] == RUNNING)

        def wbody(carry: tuple[Any, ...]) -> tuple[Any, ...]:
            return carry[0] + 1, body(carry[0], carry[1])

        return b.while_loop(cond, wbody, (xp.asarray(0), init))[1]

    return b.jit(run)


def _program(
    b: Any,
    fun: Callable[..., Any],
    jac: Callable[..., Any] | None,
    rule_spec: tuple[Any, ...],
    steps: int,
    tol: float | None,
    ftol: float | None,
    history: bool,
    x0: Any,
) -> tuple[Callable[..., Any], tuple[Any, ...]]:
    """Loop body and initial state; pure array code, so it traces under jit."""
    xp = b.xp
    rule = _RULES[rule_spec[0]](*rule_spec[1:])
    if jac is None:
        from ..calculus import grad

        jac = grad(fun)
    need_f = history or ftol is not None
    dt = x0.dtype

    def body(k: Any, state: tuple[Any, ...]) -> tuple[Any, ...]:
        x, aux, f, status, hist, nit, blowup = state
        g = jac(x)
        gsq = xp.sum(xp.real(g * xp.conj(g)))
        # "exploding": the squared gradient norm grew 1e16-fold over the first one
        blowup = xp.where(nit == 0, 1e16 * (gsq + 1.0), blowup)
        x_new, aux_new = rule.step(xp, x, aux, g, k)
        ok = xp.isfinite(gsq) & (gsq <= blowup) & xp.all(xp.isfinite(x_new))
        f_new = fun(x_new) if need_f else f
        running = status == RUNNING
        new_status = xp.where(ok, RUNNING, DIVERGED)
        if tol is not None:
            new_status = xp.where(ok & (gsq <= tol * tol), CONVERGED, new_status)
        if ftol is not None:
            small = xp.abs(f_new - f) <= ftol * (1 + xp.abs(f))
            new_status = xp.where(ok & small, CONVERGED, new_status)
        accept = running & ok
        x = xp.where(accept, x_new, x)
        aux = tuple(xp.where(accept, a_new, a) for a_new, a in zip(aux_new, aux))
        if need_f:
            f = xp.where(accept, f_new, f)
        if history:
            hist = b.at_set(hist, k, xp.where(running, f_new, f))
        status = xp.where(running, new_status, status)
        nit = nit + xp.astype(accept, nit.dtype)
        return x, aux, f, b.persist(status), hist, nit, blowup

    f0 = xp.astype(xp.asarray(fun(x0)), dt) if need_f else xp.asarray(0.0, dtype=dt)
    hist0 = xp.full((steps,), float("nan"), dtype=dt) if history else xp.asarray(0.0, dtype=dt)
    init = (
        x0,
        rule.init(xp, x0),
        f0,
        xp.asarray(RUNNING),
        hist0,
        xp.asarray(0),
        xp.asarray(float("inf"), dtype=xp.real(x0).dtype),
    )
    return body, init


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


@routine("optimize.gradient_descent", default="generic")
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


@routine("optimize.sgd", default="generic")
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


@routine("optimize.adam", default="generic")
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


@routine("optimize.rmsprop", default="generic")
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
