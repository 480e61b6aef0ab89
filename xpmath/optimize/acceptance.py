"""The one step-acceptance rule of the first-order optimisers, shared by the eager loop
(Python floats) and the compiled one (arrays): ``optimize/loop_engine.py`` runs both."""

from __future__ import annotations

import math
import sys
from typing import Any


def acceptable(xp: Any, gsq: Any, blowup: Any, finite_x: Any, f_new: Any = None) -> Any:
    """The one step-acceptance rule of the eager and the compiled loop: the gradient at the
    current iterate is finite and has not exploded (its squared norm grew at most 1e16-fold
    over the first), the new iterate is finite, and so is the objective there where it is
    evaluated. A rejected step ends the run as diverged with ``x`` the last accepted (finite)
    iterate. ``xp`` is an array namespace (traced loop) or :mod:`math` (Python floats)."""
    if xp is math:
        ok = math.isfinite(gsq) and gsq <= blowup and bool(finite_x)
        return ok and (f_new is None or math.isfinite(f_new))
    ok = xp.isfinite(gsq) & (gsq <= blowup) & finite_x
    return ok if f_new is None else ok & xp.isfinite(f_new)


def step_sq_norm(xp: Any, g: Any, x_new: Any) -> Any:
    """A step's check as one reduction: the gradient's squared 2-norm ``sum |g|**2``, NaN
    where the new iterate ``x_new`` has a non-finite entry (real or imaginary part). With
    it, the rule of :func:`acceptable` needs no separate finiteness test of ``x_new``: a
    compiled step is one reduction kernel instead of two, an eager one five array
    operations instead of nine (``Backend.step_check``). The NaN comes from ``sq * nan``,
    never from ``inf - inf``, so NumPy-backed arrays raise no warning on a diverging run."""
    sq = xp.real(g * xp.conj(g)) if xp.isdtype(g.dtype, "complex floating") else g * g
    return xp.sum(xp.where(xp.isfinite(x_new), sq, sq * math.nan))


#: the largest float64: the bound on a first step's squared gradient norm
LARGEST = sys.float_info.max


def blowup_bound(gsq0: float) -> float:
    """The largest squared gradient norm :func:`acceptable` lets a step have, given the
    first step's ``gsq0``: 1e16 × (gsq0 + 1), clamped to the largest float so that for Python
    floats the whole gradient test is the one comparison ``gsq <= bound`` (NaN and ±inf fail
    it, as does an exploded gradient)."""
    bound = 1e16 * (gsq0 + 1.0)
    return bound if bound < LARGEST else LARGEST


#: the plain loop reads only the gradient's norm while its iterates provably stay below this
#: (far below overflow: rounding could stretch the bound by a factor 1.0003 in 1e12 steps)
REACH_LIMIT = 1e300
