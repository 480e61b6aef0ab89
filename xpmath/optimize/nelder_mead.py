"""Nelder–Mead simplex search (derivative-free) as one array program.

Coefficients are the standard (1, 2, ½, ½), or SciPy's ``adaptive`` ones for the dimension
(Gao and Han); the initial simplex perturbs each coordinate by 5% (0.00025 at zero), as SciPy
does, unless one is given. Converged when both the simplex's spread in x (∞-norm) and in f
are at most the tolerances; stopped at ``maxiter`` iterations or ``maxfev`` evaluations of
``fun`` as SciPy counts them (what an eager loop evaluates). The decisions (expand, reflect,
contract, shrink) are ``branch`` es of the loop's scalar namespace (:mod:`.scalars`): an
eager loop evaluates only the points its decisions need (one or two a step, ``n`` more for a
shrink), as SciPy does, and keeps the vertices' values as Python numbers; a traced one
(``jit``) evaluates every candidate and selects with ``where``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._dispatch import placed_like
from .scalars import scalars_for
from .status import CONVERGED, DIVERGED, RUNNING


class _Spent(Exception):
    """An eager step asked for an evaluation past ``maxfev``."""


class _Cut(Exception):
    """``maxfev`` cut an eager shrink off: the simplex as SciPy leaves it."""

    def __init__(self, sim: Any, fs: Any) -> None:
        super().__init__()
        self.sim, self.fs = sim, fs


#: the standard coefficients: reflection, expansion, contraction, shrink
STANDARD = (1.0, 2.0, 0.5, 0.5)


def coefficients(n: int, adaptive: bool) -> tuple[float, float, float, float]:
    """SciPy's: the standard ones, or with ``adaptive`` those for dimension ``n`` (Gao and
    Han, 2012), which keep the simplex from degenerating in many dimensions."""
    if not adaptive or n == 0:
        return STANDARD
    return 1.0, 1 + 2 / n, 0.75 - 1 / (2 * n), 1 - 1 / n


def nelder_mead(
    b: Any,
    fun: Callable[[Any], Any],
    x0: Any,
    xatol: float,
    fatol: float,
    maxiter: int,
    maxfev: int | None = None,
    coef: tuple[float, float, float, float] = STANDARD,
    simplex_given: bool = False,
) -> dict[str, Any]:
    """``x0`` is the start (a vector), or with ``simplex_given`` the initial simplex itself,
    of shape ``(n + 1, n)``."""
    xp = b.xp
    sx = scalars_for(b, x0)
    rho, chi, psi, sigma = coef
    if simplex_given:
        simplex, n = x0, x0.shape[1]
        x0 = simplex[0, :]
    else:
        n = x0.shape[0]
        eye = xp.eye(n, dtype=x0.dtype, **placed_like(x0))
        moved = xp.where(x0 != 0, 1.05 * x0, xp.full_like(x0, 0.00025))  # SciPy's, bit for bit
        simplex = xp.concat([x0[None, :], xp.where(eye == 1, moved[None, :], x0[None, :])])

    def f_all(x: Any) -> Any:  # ``fun`` returns a 0-d array
        return sx.val(fun(x))

    # the simplex's values: a backend vector in a traced loop, a list of Python numbers
    # (kept sorted, NaN last, as argsort) in an eager one
    if sx.traced:

        def values(points: Any, first: Any = None, fn: Any = None) -> Any:
            # (``fn``, the eager step's counting evaluator, is not needed: a traced step
            # counts every candidate)
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

        def values(points: Any, first: Any = None, fn: Any = f_all) -> Any:
            start = 0 if first is None else 1
            got = [fn(points[i, :]) for i in range(start, n + 1)]
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
        going = (s[3] == RUNNING) & (s[2] < maxiter)
        return going if maxfev is None else going & (s[5] < maxfev)

    def converged(sim: Any, fs: Any) -> Any:
        dx = sx.val(xp.max(xp.abs(sim[1:, :] - sim[0, :])))
        return (dx <= xatol) & (sx.val(f_spread(fs)) <= fatol)

    def body(s: tuple[Any, ...]) -> tuple[Any, ...]:
        try:
            return step(s)
        except _Spent:  # (eager: SciPy's step that would pass maxfev is abandoned)
            return s[0], s[1], s[2], s[3], sx.const(maxfev), sx.const(maxfev)
        except _Cut as cut:  # (a shrink cut off: what it evaluated is kept, as SciPy's)
            return (*order(cut.sim, cut.fs), s[2], s[3], sx.const(maxfev), sx.const(maxfev))

    def step(s: tuple[Any, ...]) -> tuple[Any, ...]:
        sim_old, fs_old, k, _, nfev, calls = s
        sim, fs = sim_old, fs_old
        used = [0]

        def f(x: Any) -> Any:  # (eager: no evaluation past maxfev, as SciPy's)
            if maxfev is not None and not sx.traced and calls + used[0] >= maxfev:
                raise _Spent
            used[0] += 1
            return f_all(x)

        f_best, f_second, f_worst = sx.val(fs[0]), sx.val(fs[n - 1]), sx.val(fs[n])
        best, worst = sim[0, :], sim[n, :]
        # SciPy's formulas, so an eager loop takes SciPy's steps to the last bit
        centroid = xp.sum(sim[:n, :], axis=0) / n
        xr = (1 + rho) * centroid - rho * worst
        fr = f(xr)

        def replace_worst(x_new: Any, f_new: Any, evals: Any) -> tuple[Any, ...]:
            new = xp.concat([sim[:n, :], x_new[None, :]])
            return new, with_worst(fs, f_new), evals, sx.const(1)

        def expand() -> tuple[Any, ...]:
            xe = (1 + rho * chi) * centroid - rho * chi * worst
            fe = f(xe)
            use_e = fe < fr
            return replace_worst(sx.where(use_e, xe, xr), sx.where(use_e, fe, fr), sx.const(2))

        def contract_or_shrink() -> tuple[Any, ...]:
            outside = fr < f_worst
            xo = (1 + psi * rho) * centroid - psi * rho * worst
            xc = sx.where(outside, xo, (1 - psi) * centroid + psi * worst)
            fc = f(xc)

            def shrink() -> tuple[Any, ...]:  # the best vertex stays, with its value
                shrunk = best + sigma * (sim - best)
                if maxfev is None:
                    return shrunk, values(shrunk, fs[0], f), sx.const(n + 2), sx.const(1)
                return cut_shrink(shrunk, maxfev - calls - 2)

            # outside: accept a tie with the reflection, as SciPy
            contract = sx.where(outside, fc <= fr, fc < f_worst)
            return sx.branch(contract, lambda: replace_worst(xc, fc, sx.const(2)), shrink)

        def cut_shrink(shrunk: Any, room: Any) -> tuple[Any, ...]:
            """A shrink with ``room`` evaluations left: SciPy moves a vertex, then evaluates
            it, so where ``maxfev`` cuts it off the vertices evaluated keep their new values,
            the one being moved its old value, and the rest stay (the iteration not counted)."""
            if not sx.traced:
                if room >= n:
                    return shrunk, values(shrunk, fs[0], f), n + 2, 1
                got = [f_all(shrunk[j, :]) for j in range(1, room + 1)]
                part = xp.concat([shrunk[: room + 2, :], sim[room + 2 :, :]])
                raise _Cut(part, [fs[0], *got, *fs[room + 1 :]])
            j = xp.arange(n + 1, **placed_like(sim))
            moved = (j <= room + 1)[:, None]
            new_fs = xp.where(j <= room, values(shrunk, fs[0]), fs)
            # (no room even for the reflection and contraction: the step is abandoned below)
            whole = (room >= n) | (room < 0)
            evals = sx.where(whole, sx.const(n + 2), maxfev - calls)
            counted = sx.where(whole, sx.const(1), sx.const(0))
            return xp.where(moved, shrunk, sim), new_fs, evals, counted

        sim, fs, evals, counted = sx.branch(
            fr < f_best,
            expand,
            lambda: sx.branch(
                fr < f_second, lambda: replace_worst(xr, fr, sx.const(1)), contract_or_shrink
            ),
        )
        sim, fs = order(sim, fs)
        st = sx.where(converged(sim, fs), sx.const(CONVERGED), sx.const(RUNNING))
        st = sx.where(sx.isfinite(sx.val(fs[0])), st, sx.const(DIVERGED))
        # a traced step evaluates every candidate: reflection, expansion, contraction, shrink
        # (``nfev``); ``calls`` counts what an eager step evaluates, as SciPy (``maxfev``)
        nfev = nfev + (n + 3 if sx.traced else evals)
        out = (sim, fs, k + counted, st, nfev, calls + evals)
        if maxfev is not None and sx.traced:  # (a step past maxfev is abandoned, as SciPy's)
            over = calls + evals > maxfev
            kept = (sim_old, fs_old, k, sx.const(RUNNING), nfev, sx.const(maxfev))
            out = tuple(sx.where(over, old, new) for old, new in zip(kept, out))
        return b.persist_all(out)

    sim0, fs0 = order(simplex, values(simplex))
    # SciPy's count: the start is iteration 1 (so at most maxiter - 1 steps), and the start
    # is tested for convergence before the first step
    st0 = sx.where(converged(sim0, fs0), sx.const(CONVERGED), sx.const(RUNNING))
    init = (sim0, fs0, sx.const(1), st0, sx.const(n + 1), sx.const(n + 1))
    sim, fs, k, st, nfev, calls = b.while_loop(cond, body, init)
    # SciPy tests convergence only while under both limits: at a limit the run failed
    spent = (k >= maxiter) if maxfev is None else (k >= maxiter) | (calls >= maxfev)
    st = sx.where((st == CONVERGED) & spent, sx.const(RUNNING), st)
    best = fs[0] if sx.traced else xp.asarray(fs[0], dtype=x0.dtype, **placed_like(x0))
    return {"x": sim[0, :], "fun": best, "nit": k, "status": st, "nfev": nfev, "simplex": sim}
