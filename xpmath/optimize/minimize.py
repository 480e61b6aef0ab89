"""``minimize``: one entry point for BFGS, L-BFGS, CG, Nelder–Mead, gradient descent and Adam.

The quasi-Newton and simplex methods are array programs (``while_loop``,
``minimize_program.py``); on JAX a call compiles once per (function, method, shape and the
settings that shape the program) and reruns from the cache afterwards, tolerances and
``maxiter`` included.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .._capabilities import mode, routine
from .._dispatch import backend_of
from .._errors import InvalidArgumentError, OptimizeWarning, scipy_category, warn
from .._validate import as_float, check_callable, check_int, check_real, for_start_point
from .minimize_args import (
    _SCIPY_OPTIONS,
    _check_bounds,
    _method,
    _with_args,
    check_unused,
    nelder_mead_settings,
)
from .minimize_program import compiled_run, solve
from .result import OptimizeResult
from .status import CONVERGED, MESSAGES, RUNNING

__all__ = ["minimize"]


@routine(
    "optimize.minimize",
    dask="host",
    note={
        "dask": "the optimiser's state lives on the client; every evaluation of fun (and jac) "
        "is a Dask computation"
    },
)
def minimize(
    fun: Callable[..., Any],
    x0: Any,
    args: tuple[Any, ...] = (),
    method: str | None = "bfgs",
    jac: Callable[..., Any] | bool | None = None,
    hess: Any = None,
    hessp: Any = None,
    bounds: Any = None,
    constraints: Any = None,
    tol: float | None = None,
    callback: Callable[..., Any] | None = None,
    options: dict[str, Any] | None = None,
    *,
    maxiter: int | None = None,
) -> OptimizeResult:
    """Minimise a scalar function of one array, with SciPy's result fields.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> scalar`` written with array operations of ``x``'s backend.
    x0 : array_like
        Starting point, any shape (the search runs on its flattened values).
    args : tuple, optional
        Extra arguments passed to ``fun`` (and ``jac``), as in SciPy.
    method : {"bfgs", "l-bfgs", "cg", "nelder-mead", "gd", "adam"} or SciPy's spelling
        Case-insensitive; SciPy's ``"BFGS"``, ``"L-BFGS-B"``, ``"CG"`` and ``"Nelder-Mead"``
        name the same methods (``None`` means BFGS, SciPy's unconstrained default).
        ``bfgs``: quasi-Newton with a dense inverse Hessian (small to medium problems);
        ``l-bfgs``: limited memory (``options["memory"]``, default 10); ``cg``: Polak–Ribière+
        nonlinear conjugate gradients; ``nelder-mead``: derivative-free simplex; ``gd`` and
        ``adam``: :func:`gradient_descent` / :func:`adam` with ``options["lr"]`` (defaults
        0.01 and 0.001).
    jac : callable or bool, optional
        ``jac(x) -> gradient`` of ``x``'s shape; default :func:`xpmath.calculus.grad`
        (native autodiff on JAX and PyTorch, numerical elsewhere). ``True`` means ``fun``
        returns ``(value, gradient)``, as in SciPy. Unused by Nelder–Mead.
    tol : float, optional
        Gradient methods stop when the gradient's ∞-norm is at most ``tol`` (default 1e-5,
        SciPy's ``gtol``, or ``√eps`` of the dtype where that is larger: 3.5e-4 in float32).
        A much smaller ``tol`` can ask for more than the line search can resolve (a decrease
        of the value below its rounding), which ends with ``status`` 3, precision loss.
        Nelder–Mead stops when the simplex spans at most ``tol`` in x and in f (default 1e-4
        for both, like SciPy).
    maxiter : int, optional
        Iteration limit (default ``200 * x0.size``; 1000 steps for gd/adam). Nelder–Mead
        counts as SciPy's (the start is iteration 1) and, given neither ``maxiter`` nor
        ``options["maxfev"]``, also stops at ``200 * x0.size`` evaluations.
    options : dict, optional
        Method settings: ``lr`` (gd, adam), ``memory`` (l-bfgs; SciPy's ``maxcor`` too),
        ``ftol`` (l-bfgs: also stop, converged, when an iteration lowers the value by at most
        ``ftol * max(|f_k|, |f_k+1|, 1)``, SciPy's L-BFGS-B rule; off unless given, where
        SciPy's default is 2.2e-9), ``xatol``/``fatol``, ``adaptive``, ``initial_simplex``
        and ``maxfev`` (nelder-mead, SciPy's), ``momentum`` (gd);
        SciPy's ``maxiter``, ``gtol`` (gradient methods) and ``disp`` (print the outcome) are
        understood. An option the method does not have is an ``InvalidArgumentError``.
    hess, hessp : optional
        Accepted for SciPy's signature; no method here uses second derivatives, so passing
        one warns (:class:`xpmath.OptimizeWarning`, a ``RuntimeWarning``), as SciPy does for
        its first-order methods.
    bounds, constraints : optional
        Accepted for SciPy's signature; every method here is unconstrained, so anything that
        constrains raises :class:`xpmath.InvalidArgumentError` (bounds of ``(None, None)``
        are fine).
    callback : None
        Not offered: every method runs as one array program (a single compiled loop on
        JAX), so a Python hook per iteration would undo that; a callback raises
        :class:`xpmath.InvalidArgumentError`.

    Returns
    -------
    OptimizeResult
        ``x`` (shape of ``x0``), ``fun``, ``nit``, ``nfev``, ``success``, ``status``,
        ``message``, and ``jac`` (gradient methods) or ``hess_inv`` (BFGS). A non-finite value
        or gradient stops with ``success=False`` and the last finite iterate. ``status`` is
        numbered alike for every method (0 maximum iterations, 1 converged, 2 diverged,
        3 precision loss), not as SciPy's, whose 0 is success: test ``success``.

    Raises
    ------
    xpmath.InvalidArgumentError
        Bad arguments; or, under ``torch.func.vmap``, a method other than ``gd`` and
        ``adam``: they choose every iteration from values that a batched trace cannot give
        (JAX's ``vmap`` and ``jit`` batch and compile the loop instead).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import optimize
    >>> def rosen(x):
    ...     return 100.0 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2
    >>> res = optimize.minimize(rosen, np.array([-1.2, 1.0]))
    >>> res.success, np.round(res.x, 6)
    (True, array([1., 1.]))
    >>> res = optimize.minimize(lambda x: (x ** 2).sum(), np.array([1.0, 22.0, 30.0]),
    ...                         method="nelder-mead", tol=1e-8)
    >>> bool(np.abs(res.x).max() < 1e-6)
    True
    """
    func = "minimize"
    check_callable(fun, "fun", func)
    if jac is not None and not isinstance(jac, bool):
        check_callable(jac, "jac", func)
    method = _method(method, func)
    _check_bounds(bounds, constraints, func)
    check_unused(method, jac, hess, hessp, callback, func)
    if not isinstance(args, tuple):
        args = (args,)  # SciPy accepts a lone extra argument too
    fun, jac = _with_args(fun, jac, args)
    if options is not None and not isinstance(options, dict):
        raise InvalidArgumentError(f"{func}: options must be a dict; got {type(options).__name__}")
    opts = {_SCIPY_OPTIONS.get(k, k): v for k, v in (options or {}).items()}
    disp = bool(opts.pop("disp", False))
    if opts.get("return_all") is False:  # (SciPy's default: asks for nothing)
        del opts["return_all"]
    if "maxiter" in opts:
        if maxiter is not None:
            raise InvalidArgumentError(f"{func}: maxiter given both as argument and in options")
        maxiter = opts.pop("maxiter")
    if "gtol" in opts and method not in ("nelder-mead",):
        if tol is not None:
            raise InvalidArgumentError(f"{func}: give tol or options['gtol'], not both")
        tol = opts.pop("gtol")
    res = _minimize(fun, x0, jac, method, tol, maxiter, opts, func)
    if disp:
        _report(res)
    return res


def _report(res: OptimizeResult) -> None:
    """``disp=True``: print the outcome, or warn when it failed, as SciPy does."""
    status = res.get("status")
    if not isinstance(status, int) or status == CONVERGED:
        print(f"{res['message']}\n         Iterations: {res.get('nit')}")
        return
    text = res["message"]
    if status == RUNNING:
        text = f"Maximum number of iterations has been exceeded ({text})."
    category = scipy_category(OptimizeWarning, "scipy.optimize", "OptimizeWarning")
    warn(f"minimize: {text}", 4, category)


def _minimize(
    fun: Callable[..., Any],
    x0: Any,
    jac: Callable[..., Any] | None,
    method: str,
    tol: float | None,
    maxiter: int | None,
    opts: dict[str, Any],
    func: str,
) -> OptimizeResult:
    b = backend_of(x0)
    fun, jac = for_start_point(b, x0, func, fun, jac)
    x0 = as_float(x0, b, "x0", func)
    if x0.ndim == 0:  # a scalar start is a 1-vector, as in SciPy (x has shape (1,))
        x0 = b.xp.reshape(x0, (1,))
    if b.xp.isdtype(x0.dtype, "complex floating"):
        raise InvalidArgumentError(f"{func}: x0 must be real; got dtype {x0.dtype}")
    shape = tuple(x0.shape)
    size = math.prod(shape)
    if size == 0:
        raise InvalidArgumentError(f"{func}: x0 must not be empty")
    if tol is not None:
        tol = check_real(tol, "tol", func, positive=True)
    if maxiter is not None:
        maxiter = check_int(maxiter, "maxiter", func, minimum=0)

    if method in ("gd", "adam"):
        return _first_order(fun, x0, jac, method, tol, maxiter, opts)

    known = {
        "nelder-mead": {"xatol", "fatol", "adaptive", "initial_simplex", "maxfev"},
        "l-bfgs": {"memory", "ftol"},
    }.get(method, set())
    unknown = set(opts) - known
    if unknown:
        raise InvalidArgumentError(
            f"{func}: unknown options {sorted(unknown)} for method {method!r}"
        )
    if method == "nelder-mead":
        xatol = check_real(opts.get("xatol", tol or 1e-4), "options['xatol']", func, positive=True)
        fatol = check_real(opts.get("fatol", tol or 1e-4), "options['fatol']", func, positive=True)
        settings, x0 = nelder_mead_settings(b, x0, maxiter, opts, (xatol, fatol), func)
    else:
        maxiter = 200 * size if maxiter is None else maxiter
        gtol = tol if tol is not None else max(1e-5, math.sqrt(float(b.xp.finfo(x0.dtype).eps)))
        memory = check_int(opts.get("memory", 10), "options['memory']", func, minimum=1)
        ftol = check_real(opts.get("ftol", 0.0), "options['ftol']", func, nonnegative=True)
        settings = (gtol, maxiter, memory, ftol)

    if mode("optimize.minimize", b.name) == "host":  # as the table declares (Dask): the
        # iteration is driven from the host, every evaluation runs on the cluster
        with b.loop_scope(f"xpmath.optimize.minimize.{method}"):
            return _on_host(b, fun, jac, method, shape, settings, x0)
    if b.compiles:
        out = compiled_run(b, fun, jac, method, shape, settings, x0)
    else:
        try:
            out = solve(b, fun, jac, method, shape, settings, x0)
        except RuntimeError as exc:
            if not _under_transform(b, fun, x0):
                raise
            raise InvalidArgumentError(
                f"{func}: method {method!r} decides every iteration from values it reads, "
                "which a function transform (torch.func.vmap, grad) does not give; call "
                "minimize outside the transform (once per item), use method 'gd' or 'adam' "
                "(array programs under a transform), or JAX, whose vmap batches the loop"
            ) from exc
    return _result(b, out, method)


def _under_transform(b: Any, fun: Callable[..., Any], x0: Any) -> bool:
    """Whether ``x0`` or ``fun``'s value at it is a function transform's tracer (asked only
    after a run failed: one more evaluation of ``fun``)."""
    if b.traced(x0):
        return True
    try:
        return b.traced(fun(x0))
    except Exception:  # (the objective's own failure: not a transform's)
        return False


def _on_host(
    b: Any,
    fun: Callable[..., Any],
    jac: Callable[..., Any] | None,
    method: str,
    shape: tuple[int, ...],
    settings: tuple[Any, ...],
    x0: Any,
) -> OptimizeResult:
    from .._backends import HOST as host

    dt = x0.dtype
    dev = b.device_of(x0)

    def on_host(f: Callable[..., Any]) -> Callable[..., Any]:
        return lambda x: host.xp.asarray(b.to_numpy(f(b.asarray(x, dtype=dt, device=dev))))

    if jac is None:
        from ..calculus import grad

        jac = grad(fun)
    out = solve(host, on_host(fun), on_host(jac), method, shape, settings, b.to_numpy(x0))
    res = _result(host, out, method)
    for key in ("x", "jac", "hess_inv"):
        if key in res:
            res[key] = b.asarray(res[key], dtype=dt, device=dev)
    return res


def _result(b: Any, out: dict[str, Any], method: str) -> OptimizeResult:
    """The result object of :func:`solve`'s outcome: status, counts and message as Python
    values where they can be read (one host read), as data inside the caller's ``jit``."""
    counts = out.pop("counts", None)
    res = OptimizeResult(out)
    res["method"] = method
    if counts is not None:
        concrete = b.is_concrete(counts)
        values = [int(c) for c in b.to_numpy(counts)] if concrete else [counts[i] for i in range(3)]
        res.update(zip(("status", "nit", "nfev"), values, strict=True))
    st = res["status"]
    if isinstance(st, int):
        code = st
        res.update(
            status=code,
            nit=int(res["nit"]),
            nfev=int(res["nfev"]),
            **({"njev": int(res["nfev"])} if method != "nelder-mead" else {}),
            success=code == CONVERGED,
            message=MESSAGES[code],
        )
    else:  # traced inside the caller's jit: the outcome is data
        res.update(
            success=st == CONVERGED,
            message="traced: see status (0 max iterations, 1 converged, 2 diverged, "
            "3 precision loss)",
        )
    return res


def _first_order(
    fun: Callable[..., Any],
    x0: Any,
    jac: Callable[..., Any] | None,
    method: str,
    tol: float | None,
    maxiter: int | None,
    opts: dict[str, Any],
) -> OptimizeResult:
    from .first_order import adam, gradient_descent

    steps = 1000 if maxiter is None else maxiter
    allowed = (
        {"lr", "momentum", "nesterov"}
        if method == "gd"
        else {"lr", "beta1", "beta2", "eps", "weight_decay"}
    )
    unknown = set(opts) - allowed
    if unknown:
        raise InvalidArgumentError(
            f"minimize: unknown options {sorted(unknown)} for method {method!r}"
        )
    if method == "gd":
        opts.setdefault("lr", 0.01)
        res = gradient_descent(fun, x0, jac=jac, steps=steps, tol=tol, **opts)
    else:
        opts.setdefault("lr", 0.001)
        res = adam(fun, x0, jac=jac, steps=steps, tol=tol, **opts)
    res["method"] = method
    if tol is not None:  # asked for a tolerance: running out of steps is no success
        st = res["status"]
        if isinstance(st, int):
            res["success"] = res["success"] and st != RUNNING
        else:  # traced (jax.jit, torch.func.vmap): the outcome is data
            res["success"] = res["success"] & (st != RUNNING)
    return res
