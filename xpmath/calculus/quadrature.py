"""Integration of callables: ``quad`` by fixed-order Gauss–Legendre (so it runs under
``jit``) or adaptive Gauss–Kronrod to a tolerance (``adaptive_quad``), and Monte Carlo
integration over boxes in any dimension."""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from .._backends import backend_for_type
from .._capabilities import routine
from .._dispatch import backend_of, default_backend
from .._errors import InvalidArgumentError, ShapeError
from .._validate import (
    check_callable,
    check_choice,
    check_int,
    check_real,
    on_chosen_backend,
)
from . import adaptive_quad

__all__ = ["MonteCarlo", "Quad", "monte_carlo", "quad"]


class Quad(NamedTuple):
    """A definite integral and its error estimate."""

    value: Any
    error: Any


@functools.lru_cache(maxsize=32)
def _legendre(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.polynomial.legendre.leggauss(n)


def _map_infinite(
    f: Callable[[Any], Any], a: float, b: float, xp: Any
) -> tuple[Callable[[Any], Any], float, float]:
    """Substitutions that make an infinite interval finite (integrand × Jacobian)."""
    if math.isinf(a) and math.isinf(b):  # x = t / (1 - t²), t ∈ (-1, 1)
        return (lambda t: f(t / (1 - t * t)) * (1 + t * t) / (1 - t * t) ** 2), -1.0, 1.0
    if math.isinf(b):  # x = a + t / (1 - t), t ∈ [0, 1)
        return (lambda t: f(a + t / (1 - t)) / (1 - t) ** 2), 0.0, 1.0
    return (lambda t: f(b - t / (1 - t)) / (1 - t) ** 2), 0.0, 1.0  # a = -inf


@routine(
    "calculus.quad",
    note="method='adaptive' reads its error estimates each round (Dask computes; not under jit)",
)
def quad(
    func: Callable[[Any], Any],
    a: float,
    b: float,
    *,
    n: int | None = None,
    intervals: int = 1,
    method: str = "gauss-legendre",
    backend: str | None = None,
    dtype: str = "float64",
    epsabs: float | None = None,
    epsrel: float | None = None,
    limit: int | None = None,
    args: tuple[Any, ...] = (),
) -> Quad:
    """∫ₐᵇ func(x) dx by composite Gauss–Legendre quadrature, fixed or adaptive.

    ``method="gauss-legendre"`` (the default): the nodes are fixed by ``n`` and
    ``intervals``, so the cost is known in advance and the call runs under ``jit``. The
    error estimate is the difference from the rule with half as many nodes per panel (an
    upper estimate for smooth integrands; a peak narrower than the nodes' spacing is not
    seen). ``method="adaptive"``: the 21-point Gauss–Kronrod rule on each panel, panels
    bisected until the error estimate is at most ``max(epsabs, epsrel·|value|)`` (SciPy's
    ``quad`` rule and tolerances), each round of new panels in one call of ``func``; it reads
    the estimates on the host, so it does not run under ``jit``. Infinite limits are mapped
    to a finite interval first.

    Parameters
    ----------
    func : callable
        Element-wise integrand: called with the 1-D array of nodes, it returns an array of
        that shape, or of shape ``(..., len(nodes))`` for a vector-valued integrand (each
        leading entry is integrated over the nodes along the last axis), or a number.
    a, b : float
        Limits (``±inf`` allowed; finite limits of any size: ``b - a`` may exceed the
        largest float).
    n : int, optional
        Nodes per panel of the fixed rule (64 when not given); the adaptive method's rule is
        the 21-point Kronrod pair, so it takes no ``n``.
    intervals : int
        Number of equal panels (the adaptive method's first panels); raise it for integrands
        that vary on a small scale.
    method : {"gauss-legendre", "adaptive"}
        The fixed rule, or adaptive bisection to a tolerance.
    backend : str, optional
        Backend of the nodes; the current default otherwise.
    dtype : str
        Dtype of the nodes.
    epsabs, epsrel : float, optional
        The adaptive method's absolute and relative tolerances (``1.49e-8`` each, SciPy's,
        when not given; ``epsrel`` 100 roundings, 1.2e-5, in float32). For a vector-valued
        integrand ``|value|`` and a panel's error are the largest over its components.
    limit : int, optional
        The adaptive method's most panels: 200 when not given (SciPy's default is 50, with
        an extrapolation this method does not have, so a singular end takes more panels
        here: about 60 for ``1/sqrt(x)`` on [0, 1]).
    args : tuple, optional
        Extra arguments passed to ``func`` after the nodes, as in SciPy (a lone value is
        taken as a 1-tuple).

    Returns
    -------
    Quad
        ``(value, error)``, 0-d arrays of the backend (of the integrand's leading shape
        ``...`` where it is vector-valued); complex where the integrand is.

    Raises
    ------
    xpmath.ShapeError
        ``func`` returns an array whose last axis is not the nodes'.
    xpmath.InvalidArgumentError
        A setting of the other method is given; tolerances that cannot be met (negative, or
        ``epsabs`` 0 with ``epsrel`` below 50 roundings); ``method="adaptive"`` under
        ``jax.jit``.

    Warns
    -----
    xpmath.IntegrationWarning
        The adaptive method stopped above its tolerance: ``limit`` panels were reached, or
        rounding or a non-finite value of ``func`` keeps the estimate from shrinking. The
        result is returned with its error estimate.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import calculus
    >>> r = calculus.quad(lambda x: np.stack([x, x ** 2]), 0.0, 1.0)
    >>> np.round(r.value, 15)
    array([0.5       , 0.33333333])
    >>> r = calculus.quad(lambda x: x ** 2, 0.0, 1.0)
    >>> round(float(r.value), 15), float(r.error) < 1e-14
    (0.333333333333333, True)
    >>> r = calculus.quad(lambda x: np.exp(-x ** 2), -10.0, 10.0, n=100)
    >>> round(float(r.value), 12) == round(float(np.sqrt(np.pi)), 12)
    True

    A narrow peak, which the fixed rule's 64 nodes miss (its value 436 is 2,700 off, nine
    times its error estimate): the adaptive method finds it.

    >>> peak = lambda x: 1 / (1e-6 + (x - 0.3) ** 2)
    >>> exact = 1e3 * (np.arctan(0.7e3) + np.arctan(1.3e3))
    >>> r = calculus.quad(peak, -1.0, 1.0, method="adaptive")
    >>> bool(abs(float(r.value) - exact) <= float(r.error) <= 1.49e-8 * exact)
    True
    """
    name = "quad"
    check_callable(func, "func", name)
    if not isinstance(args, tuple) or args:
        extra = args if isinstance(args, tuple) else (args,)  # SciPy takes a lone value too
        func = functools.partial(_with_extra, func, extra)
    check_choice(method, "method", ("gauss-legendre", "adaptive"), name)
    intervals = check_int(intervals, "intervals", name, minimum=1)
    adaptive = method == "adaptive"
    settings = (n, epsabs, epsrel, limit)
    n = 64 if n is None or adaptive else check_int(n, "n", name, minimum=2)
    a = check_real(a, "a", name, finite=False)
    b = check_real(b, "b", name, finite=False)
    if math.isnan(a) or math.isnan(b):
        raise InvalidArgumentError(f"{name}: the limits must not be NaN")
    bk = default_backend(backend)
    if backend is None:
        func = on_chosen_backend(func, bk, name, "The limits are numbers and no backend was given")
    xp = bk.xp
    dt = bk.dtype(dtype)
    tolerances = adaptive_quad.settings(
        *settings, intervals, adaptive, float(xp.finfo(dt).eps), name
    )
    sign = 1.0
    if a > b:
        a, b, sign = b, a, -1.0
    if a == b:  # (the integrand is asked once, for its values' shape and dtype, not used)
        y = _values(func, bk.asarray([a, a], dtype=dt), name)
        zero = xp.zeros(tuple(getattr(y, "shape", ()))[:-1], dtype=getattr(y, "dtype", dt))
        return Quad(zero, xp.abs(zero))
    f = func
    if math.isinf(a) or math.isinf(b):
        f, a, b = _map_infinite(func, a, b, xp)
    if adaptive:
        value, error = adaptive_quad.integrate(
            f, a, b, bk=bk, dt=dt, intervals=intervals, values=_values, name=name, **tolerances
        )
        return Quad(sign * value, error)

    def rule(m: int) -> Any:
        xs, ws = _nodes(a, b, m, intervals)
        xs, ws = bk.asarray(xs, dtype=dt), bk.asarray(ws, dtype=dt)
        return xp.sum(ws * _values(f, xs, name), axis=-1)

    value = rule(n)
    error = xp.abs(value - rule(max(n // 2, 1)))
    return Quad(sign * value, error)


def _with_extra(func: Callable[..., Any], extra: tuple[Any, ...], x: Any) -> Any:
    return func(x, *extra)


def _nodes(a: float, b: float, m: int, intervals: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of the composite ``m``-point rule on [a, b] in float64, written so
    that no intermediate overflows where ``b - a`` does (a = -1e308, b = 1e308): each panel's
    half-width is ``(b/2 - a/2) / intervals`` and its midpoint a convex combination of the
    limits."""
    t, w = _legendre(m)
    half = (b / 2 - a / 2) / intervals
    s = (2 * np.arange(intervals) + 1) / (2 * intervals)  # panel midpoints as fractions
    mids = a * (1 - s) + b * s
    nodes = mids[:, None] + half * t[None, :]
    return nodes.reshape(-1), np.tile(half * w, intervals)


def _values(f: Callable[[Any], Any], xs: Any, name: str) -> Any:
    """``f(xs)``, of shape ``(..., len(xs))`` (a vector-valued integrand: each leading entry
    is integrated) or a number (a constant); any other shape is the caller's fault, named.
    Bool and integer values integrate as numbers of the nodes' dtype (a bool as 0 or 1)."""
    y = f(xs)
    shape = tuple(getattr(y, "shape", ()))
    if shape and shape[-1] != xs.shape[0]:
        raise ShapeError(
            f"{name}: func must return an array of its input's shape ({xs.shape[0]},), or of "
            f"shape (..., {xs.shape[0]}) for a vector-valued integrand (the nodes along the "
            f"last axis); got shape {shape}"
        )
    dtype = getattr(y, "dtype", None)
    if dtype is not None and backend_for_type(type(y)) is not None:
        xp = backend_of(y).xp
        if not xp.isdtype(dtype, ("real floating", "complex floating")):
            y = xp.astype(y, xs.dtype)
    return y


class MonteCarlo(NamedTuple):
    """A Monte Carlo estimate and its standard error."""

    value: Any
    error: Any


def _corner(v: Any, arg: str, func: str) -> list[float]:
    """A box corner as a list of floats: a number is a 1-D corner, as SciPy's ``qmc``."""
    if isinstance(v, numbers.Real) or (hasattr(v, "shape") and tuple(v.shape) == ()):
        return [check_real(v, arg, func)]
    try:
        items = list(v)
    except TypeError:
        raise InvalidArgumentError(
            f"{func}: {arg} must be a number or a sequence of numbers; got {type(v).__name__}"
        ) from None
    return [check_real(e, arg, func) for e in items]


@routine("calculus.monte_carlo", jit_safe=False, note="draws from a stateful Generator")
def monte_carlo(
    func: Callable[[Any], Any],
    lower: Any,
    upper: Any,
    *,
    n: int = 100_000,
    rng: Any = None,
    seed: int | None = None,
    backend: str | None = None,
) -> MonteCarlo:
    """∫ over the box [lower, upper] ⊂ ℝᵈ of ``func`` by plain Monte Carlo sampling.

    Draws ``n`` uniform points in the box with an :mod:`xpmath.random` generator on the
    backend; the error is the standard error ``volume · std(f) / √n`` (a 1-sigma estimate).

    Parameters
    ----------
    func : callable
        ``func(points) -> values`` for ``points`` of shape (n, d): values of shape (n,) (or
        (n, 1)), a number for a constant, or shape (n, ...) for a vector-valued integrand
        (one integral per trailing entry).
    lower, upper : float or sequence of float
        The box's corners (length d each, ``lower < upper``); numbers for an interval.
    n : int
        Number of sample points.
    rng : xpmath.random.Generator, optional
        Generator to draw from (its backend is used); else one from ``seed`` on ``backend``.
    seed : int, optional
        Seed when ``rng`` is not given.
    backend : str, optional
        Backend when ``rng`` is not given; the current default otherwise.

    Returns
    -------
    MonteCarlo
        ``(value, error)``, 0-d arrays of the backend (of shape ``...`` for values of
        shape (n, ...)).

    Raises
    ------
    xpmath.ShapeError
        ``func``'s values do not have one entry (or row) per point.

    Examples
    --------
    The volume of the unit ball in 3-D (4π/3 ≈ 4.18879):

    >>> from xpmath import calculus
    >>> r = calculus.monte_carlo(lambda p: 1.0 * ((p ** 2).sum(axis=1) <= 1),
    ...                          [-1, -1, -1], [1, 1, 1], n=200_000, seed=0, backend="numpy")
    >>> bool(abs(float(r.value) - 4.18879) < 4 * float(r.error))
    True
    """
    from ..random import Generator, default_rng

    name = "monte_carlo"
    check_callable(func, "func", name)
    n = check_int(n, "n", name, minimum=2)
    lo, hi = _corner(lower, "lower", name), _corner(upper, "upper", name)
    if len(lo) != len(hi) or not lo:
        raise ShapeError(f"{name}: lower and upper must have the same, non-zero length")
    if any(not h > lw for lw, h in zip(lo, hi)):
        raise InvalidArgumentError(f"{name}: every upper bound must exceed its lower bound")
    if rng is None:
        rng = default_rng(seed, backend=default_backend(backend).name)
        if backend is None:
            why = "No rng or backend was given"
            func = on_chosen_backend(func, rng.backend, name, why)
    elif not isinstance(rng, Generator):
        raise InvalidArgumentError(f"{name}: rng must be an xpmath.random.Generator")
    bk = rng.backend
    xp = bk.xp
    u = rng.random((n, len(lo)), dtype="float64")
    dev = bk.device_of(u)
    lo_a = bk.asarray(lo, dtype=u.dtype, device=dev)
    width = bk.asarray(hi, dtype=u.dtype, device=dev) - lo_a
    values = func(lo_a + width * u)
    shape = tuple(getattr(values, "shape", ()))
    if shape and shape[0] != n:
        raise ShapeError(
            f"{name}: func must return one value per point, shape ({n},), or shape ({n}, ...) "
            f"for a vector-valued integrand; got shape {shape}"
        )
    if not shape:  # a constant
        values = xp.broadcast_to(xp.asarray(values, dtype=u.dtype, device=dev), (n,))
    elif len(shape) == 2 and shape[1] == 1:  # (a column of values: one integral, as before)
        values = values[:, 0]
    volume = math.prod(h - lw for lw, h in zip(lo, hi))
    mean = xp.mean(values, axis=0)
    d = values - mean
    sd = xp.sqrt(xp.sum(d * d, axis=0) / (n - 1))
    return MonteCarlo(volume * mean, volume * sd / math.sqrt(n))
