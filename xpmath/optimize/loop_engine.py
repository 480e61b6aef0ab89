"""The loop engine of the first-order family: one engine runs every update rule.

On JAX the whole run is one compiled program (``fori_loop``, or ``while_loop`` when a
tolerance can stop it early; ``loop_program.py``), not one dispatch per step, compiled once
per problem with the learning rate and tolerances as its arguments; elsewhere the same body
runs in a Python loop (``_plain_steps``, or ``_general_steps`` where a step reads more),
which on a Dask cluster submits step k+1 before reading step k's check. Stopping rules are
array expressions, so they work under ``jit``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .._dispatch import backend_of
from .._errors import InvalidArgumentError
from .._validate import as_float, check_callable, check_int, check_real, for_start_point
from .acceptance import LARGEST, REACH_LIMIT, acceptable, blowup_bound
from .loop_program import _compiled, _program, _program_run, _tuned
from .objective import check_gradient
from .program_args import hoist
from .result import OptimizeResult
from .status import CONVERGED, DIVERGED, MESSAGES, RUNNING
from .update_rules import make_rule


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
    fun, jac = for_start_point(b, x0, func, fun, jac)
    x0 = as_float(x0, b, "x0", func)
    traced = b.traced(x0)
    if not (b.compiles or traced):  # a Python loop on the host
        rule = make_rule(rule_spec)
        if jac is None:
            from ..calculus import grad

            jac = grad(fun)
        plain = callback is None and not history and ftol is None
        try:
            if plain and b.eager and not b.runs_ahead(x0):
                # nothing to read per step but the check: the plain loop, no per-run set-up
                aux = rule.init(b.xp, x0)
                x, code, nit = _plain_steps(b, jac, rule, x0, aux, steps, tol, func)
                return _result(fun(x), x, code, nit, func)
            with b.loop_scope(f"xpmath.optimize.{func}"):
                return _general_steps(
                    b, fun, jac, rule, steps, tol, ftol, callback, history, x0, func
                )
        except _TracedValues:  # fun closes over a transform's tracers (torch.func.vmap):
            traced = True  # its values cannot be read, so the run is an array program
    if callback is not None and traced:
        raise InvalidArgumentError(
            f"{func}: callback reads the run's state after every step, which a function "
            f"transform (jax.jit, torch.func.vmap/grad) cannot; call {func} outside the "
            "transform, or drop the callback"
        )
    if b.compiles:  # one program per problem (with a callback: one step); the learning rate,
        # tolerances and closed-over arrays are its arguments, so a sweep of them reuses it
        settings = (rule_spec[0], *rule_spec[2:]), steps, tol is not None, ftol is not None
        tuned = _tuned(b, (rule_spec[1], tol or 0.0, ftol or 0.0), x0)
        (fun_key, jac_key), consts = hoist(b, (fun, jac), x0.shape, x0.dtype)
        if callback is None:
            run = _compiled(b, fun_key, jac_key, *settings, history, func)
            state, f_end = run(x0, tuned, consts)
        else:
            state = _program(b, fun, jac, rule_spec, steps, tol, ftol, history, x0, func)[1]
            step_fn = _compiled(b, fun_key, jac_key, *settings, history, func, one_step=True)
            for k in range(steps):
                state = step_fn(k, state, tuned, consts)
                if int(state[3]) != RUNNING or callback(k, state[0]):
                    break
            f_end = fun(state[0])
    else:  # (an uncompiled array program under a transform: nothing to cache)
        run = _program_run(b, fun, jac, rule_spec, steps, tol, ftol, history, func)
        state, f_end = run(x0)
    x, _, _, status, hist, nit, _ = state
    if b.is_concrete(status):
        res = _result(f_end, x, int(status), int(nit), func)
    else:  # inside the caller's jit: the outcome is data, read it after compilation
        res = OptimizeResult(
            x=x,
            fun=f_end,
            nit=nit,
            success=status != DIVERGED,
            message="traced: see status (0 max steps, 1 converged, 2 diverged)",
            status=status,
            method=func,
        )
    if history:
        res["history"] = hist
    return res


def _plain_steps(
    b: Any,
    jac: Callable[..., Any],
    rule: Any,
    x: Any,
    aux: tuple[Any, ...],
    steps: int,
    tol: float | None,
    func: str,
) -> tuple[Any, int, int]:
    """The eager loop with nothing to read but the step check (no objective values, no
    callback, no queue to keep ahead of): ``(x, status, nit)``. The same steps and the same
    :func:`acceptable` rule as the general loop, in the fewest Python operations a step: the
    check turns a non-finite iterate into a NaN ``gsq``, and :func:`blowup_bound` folds the
    gradient's finiteness into its bound, so the rule is one comparison.

    Plain gradient descent (``rule.plain_lr``) is written inline, and where the backend reads
    short float64 vectors on the host (:meth:`Backend.host_norm`) its iterates are bounded
    instead of read: every entry of ``x - lr * g`` is at most ``reach = |x0| + lr * (|g_0|
    + ... + |g_k|)`` (2-norms) in magnitude, so while ``reach`` stays below
    :data:`REACH_LIMIT` the new iterate is finite without looking, and only ``|g|`` is read
    (half the check's cost). Past the limit, or for a gradient without a host norm, every
    step takes the full check."""
    xp, check, step, lr = b.xp, b.step_check, rule.step, rule.plain_lr
    bound = LARGEST  # the first step: a finite gradient and iterate
    tol_sq = -math.inf if tol is None else tol * tol  # no tolerance: never converged
    norm = b.host_norm
    reach = math.inf if lr is None else norm(x)
    if reach is None:  # (NaN, inf: the full check below, every step)
        reach = math.inf
    for k in range(steps):
        g = jac(x)
        if not k:
            _first_gradient(b, g, x, func)
        if lr is None:
            x_new, aux = step(xp, x, aux, g, k)
        else:
            x_new = x - lr * g
        h = norm(g) if reach < REACH_LIMIT else None
        if h is None:  # (from now on: the same gradients have no host norm either)
            reach = math.inf
            gsq = float(check(g, x_new))  # NaN where x_new is not finite
        else:
            gsq = h * h
            reach += lr * h
            if not reach < REACH_LIMIT:  # no longer provably finite: read it
                gsq = float(check(g, x_new))
        if not gsq <= bound:
            return x, DIVERGED, k
        x = x_new
        if gsq <= tol_sq:
            return x, CONVERGED, k + 1
        if not k:
            bound = blowup_bound(gsq)
    return x, RUNNING, steps


def _result(f: Any, x: Any, status: int, nit: int, func: str) -> OptimizeResult:
    """The result of a run that ended at ``x`` with value ``f`` (status and ``nit`` read)."""
    return OptimizeResult(
        x=x,
        fun=f,
        nit=nit,
        success=status != DIVERGED,
        message=MESSAGES[status],
        status=status,
        method=func,
    )


def _general_steps(
    b: Any,
    fun: Callable[..., Any],
    jac: Callable[..., Any],
    rule: Any,
    steps: int,
    tol: float | None,
    ftol: float | None,
    callback: Callable[..., Any] | None,
    history: bool,
    x0: Any,
    func: str,
) -> OptimizeResult:
    """The eager loop that reads more than the check a step (objective values, a callback)
    or keeps a queue ahead: one scalar read a step.

    Where work is queued and computed later (a GPU stream, Dask on a cluster; see
    ``Backend.runs_ahead``) and no per-step value of ``fun`` is needed, step k+1 is submitted
    before step k's check is read, so the device computes while the host waits for it. A
    rejected or final step's successor is discarded unread: the iterates, ``nit`` and status
    are those of the one-step-at-a-time loop.
    """
    xp = b.xp

    def submit(x: Any, aux: tuple[Any, ...], k: int) -> tuple[Any, Any, Any, tuple[Any, ...]]:
        g = jac(x)
        if not k:
            _first_gradient(b, g, x, func)
        x_new, aux_new = rule.step(xp, x, aux, g, k)
        # one scalar read a step: a non-finite new iterate turns the gradient's squared norm
        # into NaN, which the acceptance rule rejects as it would the iterate; on Dask the
        # step and its check are one scheduler round trip, the gradient evaluated once
        check = b.step_check(g, x_new)
        x_new, check, *rest = b.persist_all((x_new, check, *aux_new))
        return x_new, check, tuple(rest)

    # lazy backends: x0 and the rule's state become concrete once, not re-derived every step
    x0, *aux0 = b.persist_all((x0, *rule.init(xp, x0)))
    x, aux = x0, tuple(aux0)
    need_f = history or ftol is not None
    f = math.nan
    if need_f:
        f0 = fun(x0)
        if b.traced(f0):
            raise _TracedValues
        f = float(f0)
    ahead = b.runs_ahead(x0) and not history and ftol is None
    hist: list[float] = []
    status, nit = RUNNING, 0
    blowup = None
    pending = submit(x, aux, 0) if steps > 0 else None
    for k in range(steps):
        x_new, check, aux_new = pending
        more = k + 1 < steps
        if ahead and more:
            pending = submit(x_new, aux_new, k + 1)  # speculative until this step is accepted
        gsq = float(check)  # NaN where x_new is not finite
        if blowup is None:
            blowup = blowup_bound(gsq)
        f_new = float(fun(x_new)) if need_f and math.isfinite(gsq) else math.nan
        if not acceptable(math, gsq, blowup, True, f_new if need_f else None):
            status = DIVERGED
            break
        aux = aux_new
        nit += 1
        if need_f:
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
    res = _result(fun(x), x, status, nit, func)
    if history:
        pad = [math.nan] * (steps - len(hist))
        res["history"] = b.asarray(hist + pad, dtype=x0.dtype, device=b.device_of(x0))
    return res


class _TracedValues(Exception):
    """An eager loop's first objective value or gradient is a function transform's tracer
    (the objective closes over batched values, as under ``torch.func.vmap``): its values
    cannot be read, so the run restarts as an array program (raised before any step)."""


def _first_gradient(b: Any, g: Any, x: Any, func: str) -> None:
    """The checks on an eager loop's first gradient (see :func:`check_gradient`)."""
    check_gradient(b, g, x, func)
    if b.traced(g):
        raise _TracedValues
