"""``minimize``'s arguments in SciPy's forms: method names, ``args`` and ``jac=True``,
bounds and constraints that constrain nothing, and the SciPy arguments no method here uses."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .._errors import InvalidArgumentError, OptimizeWarning, warn
from .._validate import as_float, check_int
from .nelder_mead import coefficients

METHODS = ("bfgs", "l-bfgs", "cg", "nelder-mead", "gd", "adam")
#: SciPy's spellings (compared case-insensitively) and xpmath's own, to the method run
ALIASES = {
    **{m: m for m in METHODS},
    "l-bfgs-b": "l-bfgs",
    "lbfgs": "l-bfgs",
    "lbfgsb": "l-bfgs",
    "nelder_mead": "nelder-mead",
    "neldermead": "nelder-mead",
}
#: SciPy's option names that mean the same here
_SCIPY_OPTIONS = {"maxcor": "memory"}


def _method(method: Any, func: str) -> str:
    if method is None:
        return "bfgs"  # SciPy's choice for an unconstrained problem
    if not isinstance(method, str) or method.lower() not in ALIASES:
        raise InvalidArgumentError(
            f"{func}: method must be one of {', '.join(METHODS)} or SciPy's spelling "
            f"('BFGS', 'L-BFGS-B', 'CG', 'Nelder-Mead'), any case; got {method!r}"
        )
    return ALIASES[method.lower()]


def _check_bounds(bounds: Any, constraints: Any, func: str) -> None:
    """Bounds and constraints are refused unless they constrain nothing."""
    if bounds is not None:
        pairs = list(bounds.items()) if isinstance(bounds, dict) else None
        try:
            free = all(lo is None and hi is None for lo, hi in (pairs or bounds))
        except (TypeError, ValueError):
            free = False
        if not free:
            raise InvalidArgumentError(
                f"{func}: bounds are not supported (every method here is unconstrained); "
                f"got bounds={bounds!r}. Reparametrise, e.g. x = lo + (hi - lo) * sigmoid(z), "
                "or use scipy.optimize.minimize"
            )
    if constraints not in (None, (), []):
        raise InvalidArgumentError(
            f"{func}: constraints are not supported (every method here is unconstrained); "
            f"got constraints={constraints!r}"
        )


def _with_args(
    fun: Callable[..., Any], jac: Any, args: tuple[Any, ...]
) -> tuple[Callable[..., Any], Callable[..., Any] | None]:
    """SciPy's ``args`` and ``jac=True`` (fun returns ``(f, g)``) as plain ``fun``/``jac``."""
    if jac is True:
        both = fun

        def fun(x: Any) -> Any:
            return both(x, *args)[0]

        def jac(x: Any) -> Any:
            return both(x, *args)[1]

        return fun, jac
    if jac is False:
        jac = None
    if not args:
        return fun, jac
    f0, j0 = fun, jac
    fun = functools.wraps(f0)(lambda x: f0(x, *args))
    if j0 is not None:
        jac = functools.wraps(j0)(lambda x: j0(x, *args))
    return fun, jac


def check_unused(method: str, jac: Any, hess: Any, hessp: Any, callback: Any, func: str) -> None:
    """SciPy's warnings for information a method does not use; a callback is refused."""
    if callback is not None:
        raise InvalidArgumentError(
            f"{func}: callback is not offered (every method runs as one array program, a "
            "single compiled loop on JAX); got a callback. Run a few iterations at a time "
            "with maxiter, or use optimize.gradient_descent / adam, which return the history"
        )
    label = {"nelder-mead": "Nelder-Mead", "l-bfgs": "L-BFGS-B"}.get(method, method.upper())
    if method == "nelder-mead" and jac not in (None, False):
        warn(f"Method {label} does not use gradient information (jac).", 4, OptimizeWarning)
    for name, value in (("hess", hess), ("hessp", hessp)):
        if value is not None:
            warn(f"Method {label} does not use Hessian information ({name}).", 4, OptimizeWarning)


#: an iteration or evaluation count no run reaches (SciPy's unbounded default, in 32 bits)
UNBOUNDED = 2**31 - 1


def nelder_mead_settings(
    b: Any, x0: Any, maxiter: int | None, opts: dict[str, Any], tols: tuple[float, float], func: str
) -> tuple[tuple[Any, ...], Any]:
    """Nelder-Mead's settings from SciPy's options, and the start (``x0``, or the initial
    simplex where ``options["initial_simplex"]`` gives one). SciPy's limits: with neither
    ``maxiter`` nor ``maxfev`` given both are 200 per parameter, and one given leaves the
    other unbounded."""
    size = math.prod(x0.shape)
    maxfev = opts.get("maxfev")
    if maxfev is not None:
        maxfev = check_int(maxfev, "options['maxfev']", func, minimum=0)
    if maxiter is None and maxfev is None:
        maxiter = maxfev = 200 * size
    maxiter = UNBOUNDED if maxiter is None else maxiter
    maxfev = UNBOUNDED if maxfev is None else maxfev
    adaptive = opts.get("adaptive", False)
    if not isinstance(adaptive, bool | np.bool_):
        raise InvalidArgumentError(
            f"{func}: options['adaptive'] must be True or False; got {adaptive!r}"
        )
    coef = coefficients(size, bool(adaptive))
    simplex = opts.get("initial_simplex")
    if simplex is not None:
        arg = "options['initial_simplex']"
        simplex = as_float(simplex, b, arg, func, like=x0)
        if tuple(simplex.shape) != (size + 1, size):
            raise InvalidArgumentError(
                f"{func}: {arg} must have shape ({size + 1}, {size}), one vertex of x0's "
                f"{size} entries a row; got shape {tuple(simplex.shape)}"
            )
        x0 = simplex if simplex.dtype == x0.dtype else b.xp.astype(simplex, x0.dtype)
    return (*tols, maxiter, maxfev, coef, simplex is not None), x0
