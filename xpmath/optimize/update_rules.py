"""The update rules of the first-order family: momentum (with Nesterov), Adam and RMSProp.

A rule is ``init(xp, x0) -> aux`` (its state: velocities, moment estimates) and
``step(xp, x, aux, g, k) -> (x_new, aux_new)``, written in array-API operations so the same
rule runs in the eager loop and inside a compiled one (``optimize/loop_engine.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class _Rule:
    """An update rule: ``init(xp, x) -> aux`` and ``step(xp, x, aux, g, t) -> (x, aux)``."""

    name: str
    init: Callable[[Any, Any], tuple[Any, ...]]
    step: Callable[[Any, Any, tuple[Any, ...], Any, Any], tuple[Any, tuple[Any, ...]]]
    #: set where the rule is plain gradient descent, ``x - lr * g`` with no state: the eager
    #: loop then writes the update inline (a function call is most of a small step's cost)
    plain_lr: float | None = None


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

    return _Rule("gradient_descent", init, step, None if momentum or weight_decay else lr)


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


def make_rule(spec: tuple[Any, ...]) -> _Rule:
    """The rule a spec ``(name, *hyper-parameters)`` names, built once per spec of Python
    numbers (already checked): a run of a few steps does not pay for making its closures
    again. A compiled run's learning rate is an argument of the program (a 0-d array, not
    hashable): its rule is built in the trace."""
    try:
        return _cached_rule(spec)
    except TypeError:
        return _RULES[spec[0]](*spec[1:])


@functools.lru_cache(maxsize=256)
def _cached_rule(spec: tuple[Any, ...]) -> _Rule:
    return _RULES[spec[0]](*spec[1:])
