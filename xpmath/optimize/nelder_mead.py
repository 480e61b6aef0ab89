"""Nelder–Mead simplex search (derivative-free) as one array program.

Coefficients are the standard (1, 2, ½, ½); the initial simplex perturbs each coordinate by 5%
(0.00025 at zero), as SciPy does. Converged when both the simplex's spread in x (∞-norm) and
in f are at most the tolerances. The decisions (expand, reflect, contract, shrink) are
``branch`` es of the loop's scalar namespace (:mod:`.scalars`): an eager loop evaluates only
the points its decisions need (one or two a step, ``n`` more for a shrink), as SciPy does,
and keeps the vertices' values as Python numbers; a traced one (``jit``) evaluates every
candidate and selects with ``where``.
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
    moved = xp.where(x0 != 0, 1.05 * x0, xp.full_like(x0, 0.00025))  # SciPy's, bit for bit
    simplex = xp.concat([x0[None, :], xp.where(eye == 1, moved[None, :], x0[None, :])])

    def f(x: Any) -> Any:  # ``fun`` returns a 0-d array
        return sx.val(fun(x))

    # the simplex's values: a backend vector in a traced loop, a list of Python numbers
    # (kept sorted, NaN last, as argsort) in an eager one
    if sx.traced:

        def values(points: Any, first: Any = None) -> Any:
            start = 0 if first is None else 1
            got = [fun(points[i, :]) for i in range(start, n + 1)]
            return xp.stack(got if first is None else [first, *got])

        def with_worst(fs: Any, f_new: Any) -> Any:
            return xp.concat([fs[:n], xp.reshape(f_new, (1,))])

        def order(sim: Any, fs: Any) -> tuple[Any, Any]:
            idx = xp.argsort(fs, stable=True)
            return xp.take(sim, idx, axis=0), xp.take(fs, idx)

        def f_spread(fs: Any) -> Any:
            return xp.max(xp.abs(fs[1:] - fs[0]))

    else:

        def values(points: Any, first: Any = None) -> Any:
            start = 0 if first is None else 1
            got = [f(points[i, :]) for i in range(start, n + 1)]
            return got if first is None else [first, *got]

        def with_worst(fs: Any, f_new: Any) -> Any:
            return [*fs[:n], f_new]

        def order(sim: Any, fs: Any) -> tuple[Any, Any]:
            idx = sorted(range(n + 1), key=lambda i: (fs[i] != fs[i], fs[i]))
            if idx == list(range(n + 1)):
                return sim, fs
            return xp.take(sim, xp.asarray(idx, **placed_like(sim)), axis=0), [fs[i] for i in idx]

        def f_spread(fs: Any) -> Any:
            return max(abs(v - fs[0]) for v in fs[1:])

    def cond(s: tuple[Any, ...]) -> Any:
        return (s[3] == RUNNING) & (s[2] < maxiter)

    def body(s: tuple[Any, ...]) -> tuple[Any, ...]:
        sim, fs, k, _, nfev = s
        f_best, f_second, f_worst = sx.val(fs[0]), sx.val(fs[n - 1]), sx.val(fs[n])
        best, worst = sim[0, :], sim[n, :]
        # SciPy's formulas, so an eager loop takes SciPy's steps to the last bit
        centroid = xp.sum(sim[:n, :], axis=0) / n
        xr = 2 * centroid - worst
        fr = f(xr)

        def replace_worst(x_new: Any, f_new: Any, evals: Any) -> tuple[Any, ...]:
            return xp.concat([sim[:n, :], x_new[None, :]]), with_worst(fs, f_new), evals

        def expand() -> tuple[Any, ...]:
            xe = 3 * centroid - 2 * worst
            fe = f(xe)
            use_e = fe < fr
            return replace_worst(sx.where(use_e, xe, xr), sx.where(use_e, fe, fr), sx.const(2))

        def contract_or_shrink() -> tuple[Any, ...]:
            outside = fr < f_worst
            xc = sx.where(outside, 1.5 * centroid - 0.5 * worst, 0.5 * centroid + 0.5 * worst)
            fc = f(xc)

            def shrink() -> tuple[Any, ...]:  # the best vertex stays, with its value
                shrunk = best + 0.5 * (sim - best)
                return shrunk, values(shrunk, fs[0]), sx.const(n + 2)

            # outside: accept a tie with the reflection, as SciPy
            contract = sx.where(outside, fc <= fr, fc < f_worst)
            return sx.branch(contract, lambda: replace_worst(xc, fc, sx.const(2)), shrink)

        sim, fs, evals = sx.branch(
            fr < f_best,
            expand,
            lambda: sx.branch(
                fr < f_second, lambda: replace_worst(xr, fr, sx.const(1)), contract_or_shrink
            ),
        )
        sim, fs = order(sim, fs)
        dx = sx.val(xp.max(xp.abs(sim[1:, :] - sim[0, :])))
        df = sx.val(f_spread(fs))
        st = sx.where((dx <= xatol) & (df <= fatol), sx.const(CONVERGED), sx.const(RUNNING))
        st = sx.where(sx.isfinite(sx.val(fs[0])), st, sx.const(DIVERGED))
        # a traced step evaluates every candidate: reflection, expansion, contraction, shrink
        return b.persist_all((sim, fs, k + 1, st, nfev + (n + 3 if sx.traced else evals)))

    sim0, fs0 = order(simplex, values(simplex))
    init = (sim0, fs0, sx.const(0), sx.const(RUNNING), sx.const(n + 1))
    sim, fs, k, st, nfev = b.while_loop(cond, body, init)
    best = fs[0] if sx.traced else xp.asarray(fs[0], dtype=x0.dtype, **placed_like(x0))
    return {"x": sim[0, :], "fun": best, "nit": k, "status": st, "nfev": nfev, "simplex": sim}
