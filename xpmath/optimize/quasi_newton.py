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
from .scalars import scalars_for
from .status import CONVERGED, DIVERGED, LINE_SEARCH_FAILED, RUNNING

VG = Callable[[Any], tuple[Any, Any]]


def _status(xp: Any, sx: Any, ok: Any, f: Any, g: Any, gtol: float) -> Any:
    gmax = sx.val(xp.max(xp.abs(g)))  # NaN if any entry is NaN, inf if any is infinite
    finite = sx.isfinite(f) & sx.isfinite(gmax)
    code = {c: sx.const(c) for c in (RUNNING, CONVERGED, DIVERGED, LINE_SEARCH_FAILED)}
    out = sx.where(ok, code[RUNNING], code[LINE_SEARCH_FAILED])
    out = sx.where(gmax <= gtol, code[CONVERGED], out)
    return sx.where(finite, out, code[DIVERGED])


def _initial(b: Any, vg: VG, x0: Any, gtol: float) -> tuple[Any, Any, Any, Any, Any]:
    """``(sx, f0, g0, status0, first_step)``: the scalar namespace for this run
    (:mod:`.scalars`), the start's value, gradient and status, and the first trial step (unit
    length in the largest coordinate, whatever the gradient's scale: a 1e-50-scaled objective
    would otherwise move by 1e-50)."""
    xp = b.xp
    sx = scalars_for(b, x0)
    f0, g0 = vg(x0)
    f0 = sx.val(f0)
    st0 = _status(xp, sx, sx.const(True), f0, g0, gtol)
    gmax = sx.val(xp.max(xp.abs(g0)))
    first = 1 / sx.where(gmax > 0, gmax, sx.ones_like(gmax))
    return sx, f0, g0, st0, first


def _out(b: Any, sx: Any, x: Any, f: Any, **rest: Any) -> dict[str, Any]:
    """The loop's outcome, ``fun`` as a 0-d array of ``x``'s dtype and device."""
    if not sx.traced:
        f = b.xp.asarray(f, dtype=x.dtype, **placed_like(x))
    return {"x": x, "fun": f, **rest}


def bfgs(b: Any, vg: VG, x0: Any, gtol: float, maxiter: int) -> dict[str, Any]:
    """BFGS on the inverse Hessian, scaled by ``sᵀy / yᵀy`` after the first step."""
    xp = b.xp
    n = x0.shape[0]
    eye = xp.eye(n, dtype=x0.dtype, **placed_like(x0))
    sx, f0, g0, st0, first = _initial(b, vg, x0, gtol)

    def cond(s: tuple[Any, ...]) -> Any:
        return (s[5] == RUNNING) & (s[4] < maxiter)

    def body(s: tuple[Any, ...]) -> tuple[Any, ...]:
        x, f, g, h, k, _, nfev = s
        d = -(h @ g)
        gd = sx.val(g @ d)
        descent = gd < 0
        d = sx.where(descent, d, -g)  # lost positive definiteness: restart from steepest descent
        h = sx.where(descent, h, eye)
        a0 = sx.where(k == 0, first, sx.ones_like(f))
        a, f1, g1, ok, ne = wolfe(b, vg, x, f, g, d, a0, sx=sx)
        sv = a * d
        y = g1 - g
        sy = sx.val(sv @ y)
        yy = sx.val(y @ y)
        good = ok & (sy > 1e-12 * sx.sqrt(yy * sx.val(sv @ sv)))
        h = sx.where((k == 0) & good, (sy / sx.where(good, yy, 1.0)) * eye, h)
        rho = 1 / sx.where(good, sy, 1.0)
        hy = h @ y
        outer = sv[:, None] * hy[None, :]
        h_new = (
            h - rho * (outer + outer.T) + (rho * rho * sx.val(y @ hy) + rho) * (sv[:, None] * sv)
        )
        h = sx.where(good, h_new, h)
        x = sx.where(ok, x + sv, x)
        f = sx.where(ok, f1, f)
        g = sx.where(ok, g1, g)
        st = _status(xp, sx, ok, f1, g1, gtol)
        return b.persist_all((x, f, g, h, k + 1, st, nfev + ne))

    x, f, g, h, k, st, nfev = b.while_loop(
        cond, body, (x0, f0, g0, eye, sx.const(0), st0, sx.const(1))
    )
    return _out(b, sx, x, f, jac=g, hess_inv=h, nit=k, status=st, nfev=nfev)


def lbfgs(
    b: Any, vg: VG, x0: Any, gtol: float, maxiter: int, memory: int, ftol: float = 0.0
) -> dict[str, Any]:
    """Limited-memory BFGS: the two-loop recursion over the last ``memory`` pairs."""
    xp = b.xp
    n = x0.shape[0]
    sx, f0, g0, st0, _ = _initial(b, vg, x0, gtol)
    # the pairs, newest first: fixed (memory, n) buffers in a traced loop (slots >= count
    # hold zeros, rho = 0, and are visited all the same), tuples of the pairs so far in an
    # eager one (each pair a backend vector, each rho a Python number)
    if sx.traced:
        zeros = xp.zeros((memory, n), dtype=x0.dtype, **placed_like(x0))
        memory0: tuple[Any, Any, Any] = (zeros, zeros, xp.zeros_like(zeros[:, 0]))

        def row(buf: Any, i: int) -> Any:
            return buf[i, ...]

        def push(good: Any, buf: Any, new: Any) -> Any:
            return xp.where(good, xp.concat([xp.reshape(new, (1, *new.shape)), buf[:-1, ...]]), buf)

    else:
        memory0 = ((), (), ())

        def row(buf: Any, i: int) -> Any:
            return buf[i]

        def push(good: Any, buf: Any, new: Any) -> Any:
            return (new, *buf[: memory - 1]) if good else buf

    def direction(g: Any, sbuf: Any, ybuf: Any, rho: Any, count: Any) -> Any:
        used = memory if sx.traced else len(rho)
        q = g
        alphas = []
        for i in range(used):
            a_i = rho[i] * (row(sbuf, i) @ q)
            q = q - a_i * row(ybuf, i)
            alphas.append(a_i)

        def newest_scale() -> tuple[Any]:  # sᵀy / yᵀy of the newest pair
            s0, y0 = row(sbuf, 0), row(ybuf, 0)
            yy = sx.val(y0 @ y0)
            return (sx.val(s0 @ y0) / sx.where(yy > 0, yy, 1.0),)

        (gamma,) = sx.branch(count > 0, newest_scale, lambda: (1.0,))
        r = gamma * q
        for i in reversed(range(used)):
            beta = rho[i] * (row(ybuf, i) @ r)
            r = r + row(sbuf, i) * (alphas[i] - beta)
        return -r

    def cond(s: tuple[Any, ...]) -> Any:
        return (s[7] == RUNNING) & (s[6] < maxiter)

    def body(s: tuple[Any, ...]) -> tuple[Any, ...]:
        x, f, g, sbuf, ybuf, rho, k, _, nfev, count = s
        d = direction(g, sbuf, ybuf, rho, count)
        descent = sx.val(g @ d) < 0
        d = sx.where(descent, d, -g)
        # no curvature pair yet: unit length in the largest coordinate
        a0 = sx.where(count == 0, 1 / sx.val(xp.max(xp.abs(g))), 1.0)
        a, f1, g1, ok, ne = wolfe(b, vg, x, f, g, d, a0, sx=sx)
        sv = a * d
        y = g1 - g
        sy = sx.val(sv @ y)
        good = ok & (sy > 1e-12 * sx.sqrt(sx.val(y @ y) * sx.val(sv @ sv)))
        sbuf, ybuf = push(good, sbuf, sv), push(good, ybuf, y)
        rho = push(good, rho, 1 / sx.where(good, sy, 1.0))
        count = count + sx.where(good, sx.const(1), sx.const(0))
        st = _status(xp, sx, ok, f1, g1, gtol)
        if ftol > 0:  # SciPy's L-BFGS-B rule: (f_k - f_k+1) / max(|f_k|, |f_k+1|, 1) <= ftol
            scale = sx.where(sx.abs(f1) > sx.abs(f), sx.abs(f1), sx.abs(f))
            flat = ok & (f - f1 <= ftol * sx.where(scale > 1, scale, 1.0))
            st = sx.where(flat & (st == RUNNING), sx.const(CONVERGED), st)
        x = sx.where(ok, x + sv, x)
        f = sx.where(ok, f1, f)
        g = sx.where(ok, g1, g)
        return b.persist_all((x, f, g, sbuf, ybuf, rho, k + 1, st, nfev + ne, count))

    init = (x0, f0, g0, *memory0, sx.const(0), st0, sx.const(1), sx.const(0))
    x, f, g, _, _, _, k, st, nfev, _ = b.while_loop(cond, body, init)
    return _out(b, sx, x, f, jac=g, nit=k, status=st, nfev=nfev)


def cg(b: Any, vg: VG, x0: Any, gtol: float, maxiter: int) -> dict[str, Any]:
    """Polak–Ribière+ conjugate gradients with Powell restarts (and on lost descent)."""
    xp = b.xp
    n = x0.shape[0]
    sx, f0, g0, st0, _ = _initial(b, vg, x0, gtol)

    def cond(s: tuple[Any, ...]) -> Any:
        return (s[6] == RUNNING) & (s[5] < maxiter)

    def body(s: tuple[Any, ...]) -> tuple[Any, ...]:
        x, f, g, d, f_prev, k, _, nfev = s
        gg = sx.val(g @ g)
        gd = sx.val(g @ d)
        descent = gd < 0
        d = sx.where(descent, d, -g)
        gd = sx.where(descent, gd, -gg)
        # initial step from the last decrease (Nocedal & Wright eq. 3.60); at the start, unit
        # length in the largest coordinate (1/max|g|), whatever the gradient's scale
        guess = sx.minimum(sx.ones_like(f), 2.02 * (f - f_prev) / gd)
        first = 1 / sx.val(xp.max(xp.abs(g)))
        a0 = sx.where((k == 0) | sx.logical_not(guess > 0), first, guess)
        a, f1, g1, ok, ne = wolfe(b, vg, x, f, g, d, a0, c2=0.1, sx=sx)
        x_new = x + a * d
        g1g1 = sx.val(g1 @ g1)
        g1g = sx.val(g1 @ g)
        beta = sx.maximum((g1g1 - g1g) / gg, sx.zeros_like(f))
        powell = sx.abs(g1g) >= 0.2 * g1g1  # consecutive gradients far from orthogonal
        beta = sx.where(powell | ((k + 1) % (10 * n) == 0), sx.zeros_like(beta), beta)
        d_new = -g1 + beta * d
        st = _status(xp, sx, ok, f1, g1, gtol)
        x, f_prev, f, g, d = (
            sx.where(ok, x_new, x),
            sx.where(ok, f, f_prev),
            sx.where(ok, f1, f),
            sx.where(ok, g1, g),
            sx.where(ok, d_new, d),
        )
        return b.persist_all((x, f, g, d, f_prev, k + 1, st, nfev + ne))

    init = (x0, f0, g0, -g0, f0 + sx.abs(f0) + 1, sx.const(0), st0, sx.const(1))
    x, f, g, _, _, k, st, nfev = b.while_loop(cond, body, init)
    return _out(b, sx, x, f, jac=g, nit=k, status=st, nfev=nfev)
