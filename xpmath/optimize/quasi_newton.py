"""BFGS, L-BFGS and nonlinear conjugate gradients as array programs.

Each method is a ``while_loop`` over a tuple state, so on JAX the whole minimisation compiles
to one program; elsewhere the same code runs as a Python loop. Every iteration ends with the
status codes of :mod:`.status`: running, converged (gradient ∞-norm ≤ ``gtol``), diverged
(non-finite value or gradient), or a line search that found no decrease (precision loss).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._dispatch import placed_like
from .line_search import wolfe
from .status import CONVERGED, DIVERGED, LINE_SEARCH_FAILED, RUNNING

VG = Callable[[Any], tuple[Any, Any]]


def _status(xp: Any, ok: Any, f: Any, g: Any, gtol: float) -> Any:
    finite = xp.isfinite(f) & xp.all(xp.isfinite(g))
    done = xp.max(xp.abs(g)) <= gtol
    code = {c: xp.asarray(c) for c in (RUNNING, CONVERGED, DIVERGED, LINE_SEARCH_FAILED)}
    out = xp.where(ok, code[RUNNING], code[LINE_SEARCH_FAILED])
    out = xp.where(done, code[CONVERGED], out)
    return xp.where(finite, out, code[DIVERGED])


def _initial(b: Any, vg: VG, x0: Any, gtol: float) -> tuple[Any, Any, Any]:
    xp = b.xp
    f0, g0 = vg(x0)
    return f0, g0, _status(xp, xp.asarray(True), f0, g0, gtol)


def bfgs(b: Any, vg: VG, x0: Any, gtol: float, maxiter: int) -> dict[str, Any]:
    """BFGS on the inverse Hessian, scaled by ``sᵀy / yᵀy`` after the first step."""
    xp = b.xp
    n = x0.shape[0]
    eye = xp.eye(n, dtype=x0.dtype, **placed_like(x0))
    f0, g0, st0 = _initial(b, vg, x0, gtol)

    def cond(s: tuple[Any, ...]) -> Any:
        return (s[5] == RUNNING) & (s[4] < maxiter)

    def body(s: tuple[Any, ...]) -> tuple[Any, ...]:
        x, f, g, h, k, _, nfev = s
        d = -(h @ g)
        gd = g @ d
        descent = gd < 0
        d = xp.where(descent, d, -g)  # lost positive definiteness: restart from steepest descent
        h = xp.where(descent, h, eye)
        gd = xp.where(descent, gd, -(g @ g))
        # first step: unit length in the largest coordinate, whatever the gradient's scale
        # (a 1e-50-scaled objective would otherwise move by 1e-50)
        a0 = xp.where(k == 0, 1 / xp.max(xp.abs(g)), xp.ones_like(f))
        a, f1, g1, ok, ne = wolfe(b, vg, x, f, g, d, a0)
        sv = a * d
        y = g1 - g
        sy = sv @ y
        yy = y @ y
        good = ok & (sy > 1e-12 * xp.sqrt(yy * (sv @ sv)))
        h = xp.where((k == 0) & good, (sy / xp.where(good, yy, 1.0)) * eye, h)
        rho = 1 / xp.where(good, sy, 1.0)
        hy = h @ y
        outer = sv[:, None] * hy[None, :]
        h_new = h - rho * (outer + outer.T) + (rho * rho * (y @ hy) + rho) * (sv[:, None] * sv)
        h = xp.where(good, h_new, h)
        x = xp.where(ok, x + sv, x)
        f = xp.where(ok, f1, f)
        g = xp.where(ok, g1, g)
        st = _status(xp, ok, f1, g1, gtol)
        return b.persist_all((x, f, g, h, k + 1, st, nfev + ne))

    x, f, g, h, k, st, nfev = b.while_loop(
        cond, body, (x0, f0, g0, eye, xp.asarray(0), st0, xp.asarray(1))
    )
    return {"x": x, "fun": f, "jac": g, "hess_inv": h, "nit": k, "status": st, "nfev": nfev}


def lbfgs(b: Any, vg: VG, x0: Any, gtol: float, maxiter: int, memory: int) -> dict[str, Any]:
    """Limited-memory BFGS: the two-loop recursion over the last ``memory`` pairs."""
    xp = b.xp
    n = x0.shape[0]
    f0, g0, st0 = _initial(b, vg, x0, gtol)
    zeros = xp.zeros((memory, n), dtype=x0.dtype, **placed_like(x0))
    rho0 = xp.zeros((memory,), dtype=x0.dtype, **placed_like(x0))

    def direction(g: Any, sbuf: Any, ybuf: Any, rho: Any, count: Any) -> Any:
        q = g
        alphas = []
        for i in range(memory):  # newest pair first; slots >= count hold zeros (rho = 0)
            a_i = rho[i] * (sbuf[i, :] @ q)
            q = q - a_i * ybuf[i, :]
            alphas.append(a_i)
        yy = ybuf[0, :] @ ybuf[0, :]
        gamma = xp.where(count > 0, (sbuf[0, :] @ ybuf[0, :]) / xp.where(yy > 0, yy, 1.0), 1.0)
        r = gamma * q
        for i in reversed(range(memory)):
            beta = rho[i] * (ybuf[i, :] @ r)
            r = r + sbuf[i, :] * (alphas[i] - beta)
        return -r

    def cond(s: tuple[Any, ...]) -> Any:
        return (s[7] == RUNNING) & (s[6] < maxiter)

    def body(s: tuple[Any, ...]) -> tuple[Any, ...]:
        x, f, g, sbuf, ybuf, rho, k, _, nfev, count = s
        d = direction(g, sbuf, ybuf, rho, count)
        gd = g @ d
        descent = gd < 0
        d = xp.where(descent, d, -g)
        gd = xp.where(descent, gd, -(g @ g))
        a0 = xp.where(count == 0, 1 / xp.max(xp.abs(g)), 1.0)
        a, f1, g1, ok, ne = wolfe(b, vg, x, f, g, d, a0)
        sv = a * d
        y = g1 - g
        sy = sv @ y
        good = ok & (sy > 1e-12 * xp.sqrt((y @ y) * (sv @ sv)))
        sbuf = xp.where(good, xp.concat([sv[None, :], sbuf[:-1, :]]), sbuf)
        ybuf = xp.where(good, xp.concat([y[None, :], ybuf[:-1, :]]), ybuf)
        new_rho = xp.concat([xp.reshape(1 / xp.where(good, sy, 1.0), (1,)), rho[:-1]])
        rho = xp.where(good, new_rho, rho)
        count = count + xp.astype(good, count.dtype)
        x = xp.where(ok, x + sv, x)
        f = xp.where(ok, f1, f)
        g = xp.where(ok, g1, g)
        st = _status(xp, ok, f1, g1, gtol)
        return b.persist_all((x, f, g, sbuf, ybuf, rho, k + 1, st, nfev + ne, count))

    init = (x0, f0, g0, zeros, zeros, rho0, xp.asarray(0), st0, xp.asarray(1), xp.asarray(0))
    x, f, g, _, _, _, k, st, nfev, _ = b.while_loop(cond, body, init)
    return {"x": x, "fun": f, "jac": g, "nit": k, "status": st, "nfev": nfev}


def cg(b: Any, vg: VG, x0: Any, gtol: float, maxiter: int) -> dict[str, Any]:
    """Polak–Ribière+ conjugate gradients with Powell restarts (and on lost descent)."""
    xp = b.xp
    n = x0.shape[0]
    f0, g0, st0 = _initial(b, vg, x0, gtol)

    def cond(s: tuple[Any, ...]) -> Any:
        return (s[6] == RUNNING) & (s[5] < maxiter)

    def body(s: tuple[Any, ...]) -> tuple[Any, ...]:
        x, f, g, d, f_prev, k, _, nfev = s
        gd = g @ d
        descent = gd < 0
        d = xp.where(descent, d, -g)
        gd = xp.where(descent, gd, -(g @ g))
        # initial step from the last decrease (Nocedal & Wright eq. 3.60); at the start, unit
        # length in the largest coordinate (1/max|g|), whatever the gradient's scale
        guess = xp.minimum(xp.ones_like(f), 2.02 * (f - f_prev) / gd)
        first = 1 / xp.max(xp.abs(g))
        a0 = xp.where((k == 0) | ~(guess > 0), first, guess)
        a, f1, g1, ok, ne = wolfe(b, vg, x, f, g, d, a0, c2=0.1)
        x_new = x + a * d
        beta = xp.maximum((g1 @ (g1 - g)) / (g @ g), xp.zeros_like(f))
        powell = xp.abs(g1 @ g) >= 0.2 * (g1 @ g1)  # consecutive gradients far from orthogonal
        beta = xp.where(powell | ((k + 1) % (10 * n) == 0), xp.zeros_like(beta), beta)
        d_new = -g1 + beta * d
        st = _status(xp, ok, f1, g1, gtol)
        x, f_prev, f, g, d = (
            xp.where(ok, x_new, x),
            xp.where(ok, f, f_prev),
            xp.where(ok, f1, f),
            xp.where(ok, g1, g),
            xp.where(ok, d_new, d),
        )
        return b.persist_all((x, f, g, d, f_prev, k + 1, st, nfev + ne))

    init = (x0, f0, g0, -g0, f0 + xp.abs(f0) + 1, xp.asarray(0), st0, xp.asarray(1))
    x, f, g, _, _, k, st, nfev = b.while_loop(cond, body, init)
    return {"x": x, "fun": f, "jac": g, "nit": k, "status": st, "nfev": nfev}
