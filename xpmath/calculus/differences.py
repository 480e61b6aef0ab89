"""Finite differences: ``gradient`` of sampled data and ``derivative`` of a callable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from .._capabilities import routine
from .._errors import ArgumentTypeError, InvalidArgumentError, ShapeError
from .._validate import (
    as_float,
    check_callable,
    check_choice,
    check_int,
    check_real,
    float_input,
    normalize_axes,
    on_chosen_backend,
)
from ._axis import along, take

__all__ = [
    "USABLE_ULPS",
    "Derivative",
    "derivative",
    "extrapolate_twice",
    "gradient",
    "least_scale",
    "pick_quietly",
    "quiet_arithmetic",
]

# The smallest step a numerical derivative takes at x, in ulps of x (:func:`least_scale`)
USABLE_ULPS = 4


def _spacing(b: Any, h: Any, n: int, axis: int, dtype: Any, func: str) -> Any:
    """A Python scalar, or a 1-D coordinate array of length ``n`` made floating."""
    if isinstance(h, (int, float)) and not isinstance(h, bool):
        return float(h)
    h = as_float(h, b, "varargs", func, like=dtype)
    if h.ndim == 0:
        return h
    if h.ndim != 1:
        raise ShapeError(
            f"{func}: varargs: distances must be either scalars or 1d coordinate arrays; got "
            f"shape {tuple(h.shape)}"
        )
    if h.shape[0] != n:
        raise ShapeError(
            f"{func}: varargs: when 1d, distances must match the length of the corresponding "
            f"dimension (axis {axis} has {n}); got {h.shape[0]}"
        )
    return b.xp.astype(h, dtype)


def _too_short(func: str, edge_order: int, axis: int, n: int) -> ShapeError:
    return ShapeError(
        f"{func}: f needs at least edge_order + 1 = {edge_order + 1} samples along axis {axis}; "
        f"got {n}"
    )


def _gradient_axis(xp: Any, f: Any, h: Any, axis: int, edge_order: int) -> Any:
    nd = f.ndim
    if not hasattr(h, "ndim") or h.ndim == 0:  # uniform spacing
        interior = (take(f, axis, slice(2, None)) - take(f, axis, slice(None, -2))) / (2 * h)
        if edge_order == 1:
            first = (take(f, axis, 1) - take(f, axis, 0)) / h
            last = (take(f, axis, -1) - take(f, axis, -2)) / h
        else:
            f0, f1, f2 = take(f, axis, 0), take(f, axis, 1), take(f, axis, 2)
            first = (-1.5 * f0 + 2 * f1 - 0.5 * f2) / h
            g0, g1, g2 = take(f, axis, -3), take(f, axis, -2), take(f, axis, -1)
            last = (0.5 * g0 - 2 * g1 + 1.5 * g2) / h
        return xp.concat([first, interior, last], axis=axis)
    dx = h[1:] - h[:-1]
    hs, hd = dx[:-1], dx[1:]
    a = along(-hd / (hs * (hd + hs)), axis, nd, xp)
    c = along(hs / (hd * (hd + hs)), axis, nd, xp)
    bb = along((hd - hs) / (hd * hs), axis, nd, xp)
    interior = (
        a * take(f, axis, slice(None, -2))
        + bb * take(f, axis, slice(1, -1))
        + c * take(f, axis, slice(2, None))
    )
    if edge_order == 1:
        first = (take(f, axis, 1) - take(f, axis, 0)) / dx[0]
        last = (take(f, axis, -1) - take(f, axis, -2)) / dx[-1]
    else:
        d1, d2 = dx[0], dx[1]
        first = (
            -(2 * d1 + d2) / (d1 * (d1 + d2)) * take(f, axis, 0)
            + (d1 + d2) / (d1 * d2) * take(f, axis, 1)
            - d1 / (d2 * (d1 + d2)) * take(f, axis, 2)
        )
        d1, d2 = dx[-2], dx[-1]
        last = (
            d2 / (d1 * (d1 + d2)) * take(f, axis, -3)
            - (d2 + d1) / (d1 * d2) * take(f, axis, -2)
            + (2 * d2 + d1) / (d2 * (d1 + d2)) * take(f, axis, -1)
        )
    return xp.concat([first, interior, last], axis=axis)


@routine("calculus.gradient", numpy="native", torch="native", jax="native")
def gradient(
    f: Any, *varargs: Any, axis: int | tuple[int, ...] | None = None, edge_order: int = 1
) -> Any:
    """Derivative of sampled data, with the semantics of ``numpy.gradient``.

    Second-order central differences inside, first- or second-order one-sided differences at
    the edges. Written without in-place writes, so it runs under ``jax.jit``.

    Parameters
    ----------
    f : array
        Samples (integers are promoted to the default float dtype).
    *varargs : scalar or 1-D array, optional
        Spacing: nothing (1 on every axis), one scalar for every axis, or one entry per axis,
        each a scalar step or the coordinates of the samples along that axis (non-uniform).
    axis : int or tuple of int, optional
        Axes to differentiate along; all by default.
    edge_order : {1, 2}
        Accuracy order at the boundaries.

    Returns
    -------
    array or tuple of arrays
        One array per axis (a single array when there is one axis).

    Examples
    --------
    The derivative of y = 10 x² sampled at x = 0..4 (second-order edges are exact here):

    >>> import numpy as np
    >>> from xpmath import calculus
    >>> y = np.array([0.0, 10.0, 40.0, 90.0, 160.0])
    >>> calculus.gradient(y, 1.0)
    array([10., 20., 40., 60., 70.])
    >>> calculus.gradient(y, 1.0, edge_order=2)
    array([ 0., 20., 40., 60., 80.])
    """
    func = "gradient"
    b, f = float_input(f, "f", func)
    shape = f.shape
    nd = len(shape)  # (a JAX array's ndim is a Python property: 0.1 µs)
    if nd == 0:
        raise ShapeError(f"{func}: f must have at least one dimension")
    if type(edge_order) is not int:
        edge_order = check_int(edge_order, "edge_order", func)
    if edge_order != 1 and edge_order != 2:
        raise InvalidArgumentError(f"{func}: edge_order must be 1 or 2; got {edge_order}")
    run = b.implementation("calculus.gradient", _gradient_axis)
    if nd == 1 and axis is None and not varargs:  # the commonest call: one array back
        if shape[0] <= edge_order:
            raise _too_short(func, edge_order, 0, shape[0])
        return run(b.xp, f, 1.0, 0, edge_order)
    axes = (axis is not None and normalize_axes(axis, nd, func)) or tuple(range(nd))
    if len(varargs) == 0:
        spacings: tuple[Any, ...] = (1.0,) * len(axes)
    elif len(varargs) == 1 and (not hasattr(varargs[0], "ndim") or varargs[0].ndim == 0):
        spacings = (varargs[0],) * len(axes)
    elif len(varargs) == len(axes):
        spacings = varargs
    else:
        raise ArgumentTypeError(  # a TypeError, as NumPy's "invalid number of arguments"
            f"{func}: invalid number of arguments: varargs must be empty, one scalar, or one "
            f"entry per axis ({len(axes)}); got {len(varargs)}"
        )
    xp = b.xp
    out = []
    for ax, h in zip(axes, spacings):
        n = shape[ax]
        if n <= edge_order:
            raise _too_short(func, edge_order, ax, n)
        if type(h) is not float:  # (a float step is used as it is)
            h = _spacing(b, h, n, ax, f.dtype, func)
        out.append(run(xp, f, h, ax, edge_order))
    return out[0] if len(out) == 1 else tuple(out)


class Derivative(NamedTuple):
    """A derivative estimate and its error estimate (same shape as ``x``)."""

    df: Any
    error: Any


# (stencil offsets, weights) of the n-th derivative; truncation order p (error O(h^p))
_STENCILS = {
    ("central", 1): ((-1, 1), (-0.5, 0.5), 2),
    ("central", 2): ((-1, 0, 1), (1.0, -2.0, 1.0), 2),
    ("forward", 1): ((0, 1), (-1.0, 1.0), 1),
    ("forward", 2): ((0, 1, 2), (1.0, -2.0, 1.0), 1),
    ("backward", 1): ((-1, 0), (-1.0, 1.0), 1),
    ("backward", 2): ((-2, -1, 0), (1.0, -2.0, 1.0), 1),
}


@routine("calculus.derivative")
def derivative(
    func: Callable[[Any], Any],
    x: Any,
    *,
    n: int = 1,
    step: float | None = None,
    method: str = "central",
) -> Derivative:
    """n-th derivative of an element-wise callable at points ``x``, with an error estimate.

    Finite differences at steps h, h/2, h/4 combined by two Richardson extrapolations
    (central: error O(h⁶); one-sided: O(h³)). The error estimate is the difference between
    the last two extrapolation levels plus the rounding of the values at the smallest step,
    and twice the spread of the quotients where they stop converging as the step shrinks.
    Rounding is counted at the size of f's values: an f that cancels (``(sin t + 1e4) -
    1e4`` rounds at 1e4's ulp) can be less accurate than its error estimate says.

    Each point is differentiated at two step scales, ``h·min(|x|, 1)`` (the unit above 1,
    ``|x|`` itself below: sin at 1e6, exp at 700 and 1/x at 1e-10 need these) and
    ``h·max(|x|, 1)`` (fewer digits lost to rounding where f's scale is x's own, as log at
    1e4); the second is returned only where the two agree within their error estimates and
    it claims the smaller error (large steps can agree with each other by chance), or where
    the first's error is NaN. The first's smallest step is at least 4 ulps of x (far from 0:
    above 53,761 in float32, 1.6e12 in float64, its steps grow with x's ulp), and the
    extrapolation uses the steps x ± h really takes, which x's rounding moves off the
    ratios 2 and 4. So ``func`` is called twice as often as one scale would need.

    Parameters
    ----------
    func : callable
        Element-wise function of an array (``func(x)`` has ``x``'s shape).
    x : array_like
        Points.
    n : {1, 2}
        Derivative order.
    step : float, optional
        Base step h, scaled per point as above. Default: the step that balances truncation
        and rounding for the dtype (``eps**(1/7)`` for a central first derivative).
    method : {"central", "forward", "backward"}
        Stencil; one-sided ones avoid evaluating on the other side of ``x``.

    Returns
    -------
    Derivative
        ``(df, error)``; in float64 the relative error on smooth functions is about 1e-10.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import calculus
    >>> d = calculus.derivative(np.sin, np.array([0.0, 1.0]))
    >>> np.allclose(d.df, np.cos([0.0, 1.0]), rtol=1e-10), bool(d.error.max() < 1e-8)
    (True, True)
    """
    name = "derivative"
    check_callable(func, "func", name)
    check_choice(method, "method", ("central", "forward", "backward"), name)
    n = check_int(n, "n", name)
    if n not in (1, 2):
        raise InvalidArgumentError(f"{name}: n must be 1 or 2; got {n}")
    given_array = hasattr(x, "shape")
    b, x = float_input(x, "x", name)
    if not given_array:
        why, fix = "x is not an array", "pass x as an array of that backend"
        func = on_chosen_backend(func, b, name, why, fix)
    xp = b.xp
    offsets, weights, p = _STENCILS[(method, n)]
    if step is None:
        eps = float(xp.finfo(x.dtype).eps)
        step = eps ** (1.0 / (n + 3 * p))  # truncation h^(3p) against rounding eps / h^n
    else:
        step = check_real(step, "step", name, positive=True)
    ax, one = xp.abs(x), xp.ones_like(xp.real(x))
    eps = float(xp.finfo(x.dtype).eps)

    def extrapolated(scale: Any) -> tuple[Any, Any]:
        def estimate(h: float, last: bool = False) -> tuple[Any, Any, Any]:
            want = h * scale
            hh = (x + want) - x  # (the step x + h really takes: exact in the quotient)
            hh = xp.where(hh == 0, want, hh)  # (underflowed: that scale's error is NaN)
            fs = [w * func(x + o * hh) for o, w in zip(offsets, weights) if w != 0]
            size = sum(xp.abs(v) for v in fs) / xp.abs(hh) ** n if last else None
            return sum(fs) / hh**n, hh, size

        levels = [estimate(step), estimate(step / 2), estimate(step / 4, True)]
        (d1, h1, _), (d2, h2, _), (d3, h3, size) = levels
        with quiet_arithmetic():  # (steps that underflow: that scale's error is NaN)
            # error terms h^p, h^2p, h^3p, ... at the steps x ± h really took
            best, r2 = extrapolate_twice(d1, d2, d3, (h1 / h2) ** p, (h2 / h3) ** p)
            # the truncation estimate, and the rounding of the values at the smallest step
            # (which the extrapolation amplifies about twice), that the differences may hide
            return best, xp.abs(best - r2) + 2 * eps * size + unconverged(xp, d1, d2, d3)

    small_scale, big_scale = step_scales(xp, ax, one, least_scale(ax, eps, step))
    small, e_small = extrapolated(small_scale)
    big, e_big = extrapolated(big_scale)
    with quiet_arithmetic():
        return Derivative(*pick_scale(xp, small, e_small, big, e_big))


def pick_quietly(xp: Any, small: tuple[Any, Any], big: tuple[Any, Any]) -> tuple[Any, Any]:
    """:func:`pick_scale` of ``(estimate, error)`` pairs under :func:`quiet_arithmetic` (an
    underflowed scale's estimate and error are inf or NaN)."""
    with quiet_arithmetic():
        return pick_scale(xp, *small, *big)


def quiet_arithmetic() -> Any:
    """Quiet NumPy about the difference quotients' own arithmetic (not f's): a step that
    underflows (h·3e-298 squared) divides by zero, and its NaN error then loses to the other
    scale's, as intended; NumPy's RuntimeWarning about it would only alarm the caller."""
    return np.errstate(all="ignore")


def extrapolate_twice(d1: Any, d2: Any, d3: Any, k1: Any, k2: Any) -> tuple[Any, Any]:
    """Two Richardson levels of quotients ``d1, d2, d3`` whose error's leading term shrinks
    by ``k1`` from the first to the second and by ``k2`` from the second to the third
    (Neville's scheme evaluated at step 0); returns the last level and the level below it
    from ``d2`` and ``d3``, whose difference estimates the truncation left.

    The ratios are the steps' own: at h, h/2 and h/4 exactly, central differences give 4
    and 4 and this is (4·d2 − d1)/3 and then (16·r2 − r1)/15, but x + h rounds to x's grid
    (7000 + 0.026 in float32 lands 53 ulps up, 1% off), and ratios taken as exact there
    leave about c·h·eps·|x| of the h² term (0.13 on sin(x)·x's 6034 at x = 7000)."""
    r1 = (k1 * d2 - d1) / (k1 - 1)
    r2 = (k2 * d3 - d2) / (k2 - 1)
    k = k1 * k2
    return (k * r2 - r1) / (k - 1), r2


def unconverged(xp: Any, d1: Any, d2: Any, d3: Any) -> Any:
    """The error floor of quotients at steps h, h/2, h/4 that stop converging: twice the
    last two's difference where it exceeds the first two's (truncation shrinks by 2^p or
    more a level; rounding grows as the step shrinks), twice the first two's where the last
    two are equal (rounding has flattened them), else 0. The rounding term of the
    values' own size misses it where f cancels: (sin t + 1e4) - 1e4 at t = 1e-8 rounds to
    1e-12 in values of 1e-8, and its quotients at steps of 1e-8 came out 2.4e-3 off, with
    an error estimate of 3.5e-4."""
    first, last = abs(d2 - d1), abs(d3 - d2)
    if isinstance(last, (int, float)):  # (f gave Python numbers)
        return 2 * last if last > first else 2 * first if last == 0 else 0.0
    flat = xp.where(last == 0, 2 * first, xp.zeros_like(last))  # (rounded to equal values)
    return xp.where(last > first, 2 * last, flat)


def step_scales(xp: Any, a: Any, one: Any, least: Any) -> tuple[Any, Any]:
    """The two step scales of a numerical derivative at points of magnitude ``a``: the
    smaller of 1 and ``a`` (the unit, as sin at 1e6 and exp at 700 want, whose scale is not
    ``a``; ``a`` itself below 1, as 1/x at 1e-10 wants; the unit at 0), raised to ``least``
    where it is below (:func:`least_scale`), and the larger (steps of x's own size, as log at
    1e4 wants: fewer digits lost to rounding)."""
    return xp.maximum(xp.where((a < 1) & (a > 0), a, one), least), xp.maximum(a, one)


def least_scale(a: Any, eps: float, h: float) -> Any:
    """The smallest step scale whose last step (h/4 of it) is ``USABLE_ULPS`` ulps of a point
    of magnitude ``a``: below it x ± h rounds to a few values, and quotients that round to
    equal values would claim no error. At a first derivative's step the unit falls below it
    above 53,761 in float32 and 1.6e12 in float64; taking x's own scale there instead (steps
    of 720 at x = 7000) lost every digit of a function that varies on the unit scale, as sin
    does, with a small error estimate (the quotients agreed at that scale), so the unit is
    raised to this instead."""
    return USABLE_ULPS * eps * a / (h / 4)


def pick_scale(xp: Any, small: Any, e_small: Any, big: Any, e_big: Any) -> tuple[Any, Any]:
    """The estimate (and its error) of the two scales' that a derivative returns: the larger
    scale's only where the two agree within their errors and it claims the smaller error
    (large steps can agree with each other by chance: sin at 406996.53 with steps near a
    multiple of 2π gave 4e-7 ± 5e-20 for cos x = -0.998), or where the smaller's error is
    NaN."""
    agree = xp.abs(big - small) <= 2 * (e_big + e_small)
    take = ~xp.isnan(e_small) & ~(agree & (e_big < e_small))
    return xp.where(take, small, big), xp.where(take, e_small, e_big)
