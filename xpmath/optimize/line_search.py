"""A strong-Wolfe line search (bracket, then zoom by safeguarded cubic interpolation) written
as one ``while_loop``, so it runs under ``jit`` and eagerly alike.

Accepts a step ``a`` with ``f(x + a d) <= f(x) + c1 a g·d`` (sufficient decrease) and
``|g(x + a d)·d| <= c2 |g·d|`` (curvature), following Nocedal & Wright, Algorithms 3.5–3.6.
Non-finite trial values count as too long a step, so an overflow region shortens the step.
If the trial budget runs out, the best sufficient-decrease step found so far is returned.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

C1 = 1e-4
MAX_TRIALS = 40


def wolfe(
    b: Any,
    value_and_grad: Callable[[Any], tuple[Any, Any]],
    x: Any,
    f0: Any,
    g0: Any,
    d: Any,
    a0: Any,
    c2: float = 0.9,
    *,
    sx: Any,
) -> tuple[Any, Any, Any, Any, Any]:
    """Return ``(alpha, f_new, g_new, accepted, n_evals)`` along the descent direction ``d``.

    ``sx`` is the namespace of the loop's scalars (:mod:`.scalars`): ``f0``, ``a0`` and the
    returned step, value, flag and count are its scalars; ``g0``, ``d`` and the returned
    gradient are backend vectors.
    """
    xp = sx
    dg0 = xp.val(g0 @ d)
    zero = xp.zeros_like(f0)
    no = xp.const(False)

    def cond(s: tuple[Any, ...]) -> Any:
        return xp.logical_not(s[9]) & (s[10] < MAX_TRIALS)

    def body(s: tuple[Any, ...]) -> tuple[Any, ...]:
        a, lo, f_lo, dg_lo, g_lo, hi, f_hi, dg_hi, bracketed, _, i = s
        f_a, g_a = value_and_grad(x + a * d)
        f_a = xp.val(f_a)
        dg_a = xp.val(g_a @ d)
        too_long = xp.logical_not(xp.isfinite(f_a)) | (f_a > f0 + C1 * a * dg0) | (f_a >= f_lo)
        short = xp.logical_not(too_long)
        accept = short & (xp.abs(dg_a) <= -c2 * dg0)
        flip = (
            short & xp.logical_not(accept) & xp.where(bracketed, dg_a * (hi - lo) >= 0, dg_a >= 0)
        )
        new_hi = xp.where(too_long, a, xp.where(flip, lo, hi))
        new_f_hi = xp.where(too_long, f_a, xp.where(flip, f_lo, f_hi))
        new_dg_hi = xp.where(too_long, dg_a, xp.where(flip, dg_lo, dg_hi))
        lo, f_lo, dg_lo, g_lo = (
            xp.where(too_long, lo, a),
            xp.where(too_long, f_lo, f_a),
            xp.where(too_long, dg_lo, dg_a),
            xp.where(too_long, g_lo, g_a),
        )
        hi, f_hi, dg_hi = new_hi, new_f_hi, new_dg_hi
        bracketed = bracketed | too_long | flip
        a_next = xp.where(bracketed, _cubic(xp, lo, f_lo, dg_lo, hi, f_hi, dg_hi), 2 * a)
        state = (a_next, lo, f_lo, dg_lo, g_lo, hi, f_hi, dg_hi, bracketed, accept)
        return b.persist_all((*state, i + 1))

    init = (a0, zero, f0, dg0, g0, zero, f0, dg0, no, no, xp.const(0))
    out = b.while_loop(cond, body, init)
    _, lo, f_lo, _, g_lo, *_, n = out
    return lo, f_lo, g_lo, lo > 0, n


def _cubic(xp: Any, lo: Any, f_lo: Any, dg_lo: Any, hi: Any, f_hi: Any, dg_hi: Any) -> Any:
    """Minimiser of the cubic through both ends, kept in the middle 80% (else bisection)."""
    width = hi - lo
    safe_w = xp.where(width == 0, xp.ones_like(width), width)
    d1 = dg_lo + dg_hi - 3 * (f_lo - f_hi) / (-safe_w)
    disc = d1 * d1 - dg_lo * dg_hi
    d2 = xp.sign(width) * xp.sqrt(xp.where(disc > 0, disc, xp.zeros_like(disc)))
    den = dg_hi - dg_lo + 2 * d2
    t = (dg_hi + d2 - d1) / xp.where(den == 0, xp.ones_like(den), den)
    a_c = hi - width * t
    mid = lo + 0.5 * width
    inside = (xp.abs(a_c - lo) >= 0.1 * xp.abs(width)) & (xp.abs(hi - a_c) >= 0.1 * xp.abs(width))
    good = xp.isfinite(a_c) & (disc > 0) & (den != 0) & inside
    return xp.where(good, a_c, mid)
