"""Nelder–Mead simplex search (derivative-free) as one array program.

Each iteration evaluates reflection, expansion and contraction and selects with ``where``,
so it runs under ``jit``; a shrink re-evaluates every vertex. Coefficients are the standard
(1, 2, ½, ½); the initial simplex perturbs each coordinate by 5% (0.00025 at zero), as SciPy
does. Converged when both the simplex's spread in x (∞-norm) and in f are at most the tolerances.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._dispatch import placed_like
from .status import CONVERGED, DIVERGED, RUNNING


def nelder_mead(
    b: Any, fun: Callable[[Any], Any], x0: Any, xatol: float, fatol: float, maxiter: int
) -> dict[str, Any]:
    xp = b.xp
    n = x0.shape[0]
    eye = xp.eye(n, dtype=x0.dtype, **placed_like(x0))
    step = xp.where(x0 != 0, 0.05 * x0, xp.full_like(x0, 0.00025))
    simplex = xp.concat([x0[None, :], x0[None, :] + eye * step[None, :]])

    def evaluate(points: Any) -> Any:
        return xp.stack([xp.reshape(fun(points[i, :]), ()) for i in range(n + 1)])

    def order(sim: Any, fs: Any) -> tuple[Any, Any]:
        idx = xp.argsort(fs, stable=True)
        return xp.take(sim, idx, axis=0), xp.take(fs, idx)

    def spread(sim: Any, fs: Any) -> tuple[Any, Any]:
        return xp.max(xp.abs(sim[1:, :] - sim[0, :])), xp.max(xp.abs(fs[1:] - fs[0]))

    def cond(s: tuple[Any, ...]) -> Any:
        return (s[3] == RUNNING) & (s[2] < maxiter)

    def body(s: tuple[Any, ...]) -> tuple[Any, ...]:
        sim, fs, k, _, nfev = s
        best, worst = sim[0, :], sim[n, :]
        centroid = xp.mean(sim[:n, :], axis=0)
        xr = centroid + (centroid - worst)
        xe = centroid + 2 * (centroid - worst)
        fr, fe = xp.reshape(fun(xr), ()), xp.reshape(fun(xe), ())
        outside = fr < fs[n]
        xc = xp.where(
            outside, centroid + 0.5 * (xr - centroid), centroid + 0.5 * (worst - centroid)
        )
        fc = xp.reshape(fun(xc), ())
        shrunk = best + 0.5 * (sim - best)
        f_shrunk = evaluate(shrunk)
        expand = fr < fs[0]
        take_r = ~expand & (fr < fs[n - 1])
        contract = ~expand & ~take_r & (fc < xp.where(outside, fr, fs[n]))
        use_e = expand & (fe < fr)
        new = xp.where(use_e, xe, xp.where(expand | take_r, xr, xc))
        f_new = xp.where(use_e, fe, xp.where(expand | take_r, fr, fc))
        replace = expand | take_r | contract
        sim_r = xp.concat([sim[:n, :], new[None, :]])
        fs_r = xp.concat([fs[:n], xp.reshape(f_new, (1,))])
        sim = xp.where(replace, sim_r, shrunk)
        fs = xp.where(replace, fs_r, f_shrunk)
        sim, fs = order(sim, fs)
        dx, df = spread(sim, fs)
        st = xp.where((dx <= xatol) & (df <= fatol), xp.asarray(CONVERGED), xp.asarray(RUNNING))
        st = xp.where(xp.isfinite(fs[0]), st, xp.asarray(DIVERGED))
        return b.persist_all((sim, fs, k + 1, st, nfev + (n + 4)))  # all candidates evaluated

    sim0, fs0 = order(simplex, evaluate(simplex))
    init = (sim0, fs0, xp.asarray(0), xp.asarray(RUNNING), xp.asarray(n + 1))
    sim, fs, k, st, nfev = b.while_loop(cond, body, init)
    return {"x": sim[0, :], "fun": fs[0], "nit": k, "status": st, "nfev": nfev, "simplex": sim}
