"""``minimize``'s quasi-Newton and simplex runs as one array program of the start point, and
its compiled form on a backend that compiles: one program per (function, method, shape and
the settings that shape it), the tolerances and ``maxiter`` passed in as arguments."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .minimize_args import UNBOUNDED
from .nelder_mead import nelder_mead
from .objective import _scalar, _shaper, _value_and_grad
from .program_args import bind, hoist, program_args
from .quasi_newton import bfgs, cg, lbfgs

__all__ = ["compiled_run", "solve"]


def solve(
    b: Any,
    fun: Callable[..., Any],
    jac: Callable[..., Any] | None,
    method: str,
    shape: tuple[int, ...],
    settings: tuple[Any, ...],
    x0: Any,
) -> dict[str, Any]:
    """Run ``method`` from ``x0`` of ``shape`` (on its flattened values): the outcome's ``x``
    and ``jac`` in that shape, and a traced loop's status, iterations and evaluations stacked
    as ``counts`` (inside a compiled program these cost nothing; outside, a reshape and a host
    read each)."""
    xp = b.xp
    if method == "nelder-mead":  # (x0 is the initial simplex where one was given)
        xatol, fatol, maxiter, maxfev, coef, given = settings
        shaped = _shaper(xp, shape)
        start = x0 if given else xp.reshape(x0, (-1,))
        f = lambda x: _scalar(xp, fun(shaped(x)))  # noqa: E731
        out = nelder_mead(b, f, start, xatol, fatol, maxiter, maxfev, coef, given)
    else:
        flat = xp.reshape(x0, (-1,))
        vg = _value_and_grad(fun, jac, shape, xp)
        gtol, maxiter, memory, ftol = settings
        if method == "l-bfgs":
            out = lbfgs(b, vg, flat, gtol, maxiter, memory, ftol)
        else:
            out = (bfgs if method == "bfgs" else cg)(b, vg, flat, gtol, maxiter)
    out["x"] = xp.reshape(out["x"], shape)
    if "jac" in out:
        out["jac"] = xp.reshape(out["jac"], shape)
    if not isinstance(out["status"], int):  # one output instead of three
        out["counts"] = xp.stack([out.pop("status"), out.pop("nit"), out.pop("nfev")])
    return out


def _split(method: str, settings: tuple[Any, ...]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """``(tuned, static)``: the tolerances and ``maxiter``, which a compiled run takes as
    arguments (a sweep of them reuses one program), and what shapes the program (L-BFGS's
    memory; its ftol rule, applied only where given). ``maxiter`` is capped at 2**31 - 1, a
    count a 32-bit counter holds (unreachable in practice)."""
    if method == "nelder-mead":  # (the coefficients, and whether x0 is the initial simplex)
        xatol, fatol, maxiter, maxfev, *static = settings
        return (xatol, fatol, min(maxiter, UNBOUNDED), min(maxfev, UNBOUNDED)), tuple(static)
    gtol, maxiter, *static = settings
    return (gtol, min(maxiter, UNBOUNDED)), tuple(static)


def _as_arrays(b: Any, tuned: tuple[Any, ...]) -> tuple[Any, ...]:
    """The tuned settings as the backend's 0-d arrays."""
    return tuple(b.asarray(v) for v in tuned)


@functools.lru_cache(maxsize=64)
def _compiled(
    b: Any,
    fun: Callable[..., Any],
    jac: Callable[..., Any] | None,
    method: str,
    shape: tuple[int, ...],
    static: tuple[Any, ...],
) -> Callable[[Any, tuple[Any, ...]], dict[str, Any]]:
    """One compiled program per (function, method, shape, static settings); the tuned
    settings (``_split``) and the arrays ``fun`` and ``jac`` close over (keys of
    :func:`.hoist`) are its arguments."""

    def run(x0: Any, tuned: tuple[Any, ...], consts: tuple[Any, Any]) -> dict[str, Any]:
        f, g = bind(fun, consts[0]), bind(jac, consts[1])
        return solve(b, f, g, method, shape, tuned + static, x0)

    return b.jit(run)


def compiled_run(
    b: Any,
    fun: Callable[..., Any],
    jac: Callable[..., Any] | None,
    method: str,
    shape: tuple[int, ...],
    settings: tuple[Any, ...],
    x0: Any,
) -> dict[str, Any]:
    """:func:`solve` through the cached compiled program for its static settings."""
    tuned, static = _split(method, settings)
    args = program_args(b, _as_arrays, tuned, tuned)
    # (fun is called with arrays of ``shape``; x0 may be Nelder-Mead's initial simplex)
    (fun_key, jac_key), consts = hoist(b, (fun, jac), shape, x0.dtype)
    return _compiled(b, fun_key, jac_key, method, shape, static)(x0, args, consts)
