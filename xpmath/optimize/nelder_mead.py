"""Nelder–Mead simplex search (derivative-free) as one array program.

Coefficients are the standard (1, 2, ½, ½); the initial simplex perturbs each coordinate by 5%
(0.00025 at zero), as SciPy does. Converged when both the simplex's spread in x (∞-norm) and
in f are at most the tolerances. The decisions (expand, reflect, contract, shrink) are
:meth:`branch` es of the loop's scalar namespace (:mod:`.scalars`): an eager loop evaluates
only the points its decisions need (one or two a step, ``n + 1`` for a shrink), as SciPy
does; a traced one (``jit``) evaluates every candidate and selects with ``where``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._dispatch import placed_like
from .scalars import scalars_for
from .status import CONVERGED, DIVERGED, RUNNING


def nelder_mead(
    b: Any, fun: Callable[[Any], Any], x0: Any, xatol: float, fatol: float, maxiter: int
) -> dict[str, Any]:
    xp = b.xp
    sx = scalars_for(b, x0)
    n = x0.shape[0]
    eye = xp.eye(n, dtype=x0.dtype, **placed_like(x0))
    step = xp.where(x0 != 0, 0.05 * x0, xp.full_like(x0, 0.00025))
    simplex = xp.concat([x0[None, :], x0[None, :] + eye * step[None, :]])

    def f(x: Any) -> Any:
        return sx.val(xp.reshape(fun(x), ()))

    def evaluate(points: Any) -> Any:
        return xp.stack([xp.reshape(fun(points[i, :]), ()) for i in range(n + 1)])

    def order(sim: Any, fs: Any) -> tuple[Any, Any]:
        idx = xp.argsort(fs, stable=True)
        return xp.take(sim, idx, axis=0), xp.take(fs, idx)

    def spread(sim: Any, fs: Any) -> tuple[Any, Any]:
        dx = sx.val(xp.max(xp.abs(sim[1:, :] - sim[0, :])))
        return dx, sx.val(xp.max(xp.abs(fs[1:] - fs[0])))

    def cond(s: tuple[Any, ...]) -> Any:
        return (s[3] == RUNNING) & (s[2] < maxiter)

    def body(s: tuple[Any, ...]) -> tuple[Any, ...]:
        sim, fs, k, _, nfev = s
        f_best, f_second, f_worst = sx.val(fs[0]), sx.val(fs[n - 1]), sx.val(fs[n])
        best, worst = sim[0, :], sim[n, :]
        centroid = xp.sum(sim[:n, :], axis=0) / n
        xr = centroid + (centroid - worst)
        fr = f(xr)

        def replace_worst(x_new: Any, f_new: Any, evals: Any) -> tuple[Any, ...]:
            f_new = (
                xp.reshape(f_new, (1,))
                if sx.traced
                else xp.asarray([f_new], dtype=fs.dtype, **placed_like(fs))
            )
            return xp.concat([sim[:n, :], x_new[None, :]]), xp.concat([fs[:n], f_new]), evals

        def expand() -> tuple[Any, ...]:
            xe = centroid + 2 * (centroid - worst)
            fe = f(xe)
            use_e = fe < fr
            return replace_worst(sx.where(use_e, xe, xr), sx.where(use_e, fe, fr), sx.const(2))

        def contract_or_shrink() -> tuple[Any, ...]:
            outside = fr < f_worst
            xc = sx.where(
                outside, centroid + 0.5 * (xr - centroid), centroid + 0.5 * (worst - centroid)
            )
            fc = f(xc)

            def shrink() -> tuple[Any, ...]:
                shrunk = best + 0.5 * (sim - best)
                return shrunk, evaluate(shrunk), sx.const(n + 3)

            contract = fc < sx.where(outside, fr, f_worst)
            return sx.branch(contract, lambda: replace_worst(xc, fc, sx.const(2)), shrink)

        sim, fs, evals = sx.branch(
            fr < f_best,
            expand,
            lambda: sx.branch(
                fr < f_second, lambda: replace_worst(xr, fr, sx.const(1)), contract_or_shrink
            ),
        )
        sim, fs = order(sim, fs)
        dx, df = spread(sim, fs)
        st = sx.where((dx <= xatol) & (df <= fatol), sx.const(CONVERGED), sx.const(RUNNING))
        st = sx.where(sx.isfinite(sx.val(fs[0])), st, sx.const(DIVERGED))
        # a traced step evaluates every candidate: reflection, expansion, contraction, shrink
        return b.persist_all((sim, fs, k + 1, st, nfev + (n + 4 if sx.traced else evals)))

    sim0, fs0 = order(simplex, evaluate(simplex))
    init = (sim0, fs0, sx.const(0), sx.const(RUNNING), sx.const(n + 1))
    sim, fs, k, st, nfev = b.while_loop(cond, body, init)
    return {"x": sim[0, :], "fun": fs[0], "nit": k, "status": st, "nfev": nfev, "simplex": sim}
