"""The first-order loop as one array program of the start point (``loop_engine.py`` runs it
eagerly step by step where values can be read): its body and initial state, the whole run
(``fori_loop``, or ``while_loop`` when a stopping test applies), and its compiled, cached form
with the learning rate and the tolerances as arguments of the program."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .._dispatch import placed_like
from .acceptance import acceptable, step_sq_norm
from .objective import check_gradient
from .program_args import bind, program_args
from .status import CONVERGED, DIVERGED, RUNNING
from .update_rules import make_rule


def _program_run(
    b: Any,
    fun: Callable[..., Any],
    jac: Callable[..., Any] | None,
    rule_spec: tuple[Any, ...],
    steps: int,
    tol: float | None,
    ftol: float | None,
    history: bool,
    func: str,
    compile: bool = True,
) -> Callable[[Any], Any]:
    """The whole run as one function of x0: compiled where the backend compiles (unless
    ``compile`` is False: ``_compiled`` compiles it with the learning rate and tolerances as
    arguments), else the same array program run eagerly on a transform's tracers."""

    def run(x0: Any) -> Any:
        """The final state and the objective there (in the same program: no second dispatch)."""
        body, init = _program(b, fun, jac, rule_spec, steps, tol, ftol, history, x0, func)
        if (tol is None and ftol is None) or not b.compiles:
            # (a Python loop under a transform cannot read a stopping test: it runs every
            # step, and the body leaves the state as it is once the run has stopped)
            state = b.fori_loop(0, steps, body, init)
            return state, fun(state[0])
        xp = b.xp

        def cond(carry: tuple[Any, ...]) -> Any:
            return (carry[0] < steps) & (carry[1][3] == RUNNING)

        def wbody(carry: tuple[Any, ...]) -> tuple[Any, ...]:
            return carry[0] + 1, body(carry[0], carry[1])

        state = b.while_loop(cond, wbody, (xp.asarray(0), init))[1]
        return state, fun(state[0])

    return b.jit(run) if compile else run


@functools.lru_cache(maxsize=64)
def _compiled(
    b: Any,
    fun: Callable[..., Any],
    jac: Callable[..., Any] | None,
    static_spec: tuple[Any, ...],
    steps: int,
    has_tol: bool,
    has_ftol: bool,
    history: bool,
    func: str,
    one_step: bool = False,
) -> Callable[..., Any]:
    """The compiled run of one problem (the rule's hyper-parameters but its learning rate,
    the step count, which stopping tests apply): ``run(x0, (lr, tol, ftol), consts)``, with
    ``fun`` and ``jac`` keys of :func:`.hoist` and ``consts`` their closed-over arrays. With
    ``one_step``, the step a callback reads after, ``step(k, state, tuned, consts)``, cached
    the same way (a run with a callback compiled its step anew on every call: 0.15 s a call
    for a 3-parameter problem)."""

    def unpacked(tuned: Any, consts: tuple[Any, Any]) -> tuple[Any, ...]:
        lr, tol, ftol = tuned[0], tuned[1], tuned[2]
        spec = (static_spec[0], lr, *static_spec[1:])
        tol, ftol = (tol if has_tol else None), (ftol if has_ftol else None)
        return bind(fun, consts[0]), bind(jac, consts[1]), spec, tol, ftol

    def run(x0: Any, tuned: Any, consts: tuple[Any, Any]) -> Any:
        f, g, spec, tol, ftol = unpacked(tuned, consts)
        body = _program_run(b, f, g, spec, steps, tol, ftol, history, func, compile=False)
        return body(x0)

    def step(k: Any, state: tuple[Any, ...], tuned: Any, consts: tuple[Any, Any]) -> Any:
        f, g, spec, tol, ftol = unpacked(tuned, consts)
        # (the initial state this also traces is unused, and compiled away)
        body, _ = _program(b, f, g, spec, steps, tol, ftol, history, state[0], func)
        return body(k, state)

    return b.jit(step if one_step else run)


def _tuned_array(b: Any, values: tuple[float, ...], x0: Any) -> Any:
    """The learning rate and tolerances as one array of ``x0``'s real dtype (no promotion of
    float32 iterates; uncommitted, so it follows ``x0`` to its device)."""
    xp = b.xp
    dtype = xp.real(x0).dtype if xp.isdtype(x0.dtype, "complex floating") else x0.dtype
    return b.asarray(list(values), dtype=dtype)


def _tuned(b: Any, values: tuple[float, ...], x0: Any) -> Any:
    """:func:`_tuned_array`, made once per setting and dtype (:func:`.program_args`)."""
    return program_args(b, _tuned_array, (values, x0.dtype), values, x0)


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
    func: str,
) -> tuple[Callable[..., Any], tuple[Any, ...]]:
    """Loop body and initial state; pure array code, so it traces under jit."""
    xp = b.xp
    rule = make_rule(rule_spec)
    if jac is None:
        from ..calculus import grad

        jac = grad(fun)
    need_f = history or ftol is not None
    dt = x0.dtype

    def body(k: Any, state: tuple[Any, ...]) -> tuple[Any, ...]:
        x, aux, f, status, hist, nit, blowup = state
        g = jac(x)
        check_gradient(b, g, x, func)  # (traced once where the loop compiles)
        x_new, aux_new = rule.step(xp, x, aux, g, k)
        gsq = step_sq_norm(xp, g, x_new)  # NaN where x_new is not finite: one reduction
        # "exploding": the squared gradient norm grew 1e16-fold over the first one (a first
        # step with a non-finite x_new is rejected, and then no later step is accepted)
        blowup = xp.where(nit == 0, 1e16 * (gsq + 1.0), blowup)
        f_new = fun(x_new) if need_f else f
        ok = acceptable(xp, gsq, blowup, True, f_new if need_f else None)
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
            # the loss after every accepted step; NaN after a stop (as the eager loop)
            entry = xp.where(accept, f_new, xp.full_like(f_new, float("nan")))
            # (an uncompiled, traced loop: torch.func cannot write a batched entry in place)
            hist = b.at_set(hist, k, entry) if b.compiles else xp.where(slots == k, entry, hist)
        status = xp.where(running, new_status, status)
        nit = nit + xp.astype(accept, nit.dtype)
        return x, aux, f, b.persist(status), hist, nit, blowup

    slots = xp.arange(steps, **placed_like(x0)) if history and not b.compiles else None
    f0 = xp.astype(xp.asarray(fun(x0)), dt) if need_f else xp.asarray(0.0, dtype=dt)
    hist0 = (
        xp.full((steps,), float("nan"), dtype=dt, **placed_like(x0))
        if history
        else xp.asarray(0.0, dtype=dt)
    )
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
