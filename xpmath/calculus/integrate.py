"""Integration of samples: trapezoid, cumulative trapezoid and Simpson's rule (SciPy's
semantics). Integration of callables lives in :mod:`.quadrature`."""

from __future__ import annotations

import math
from typing import Any

from .._capabilities import routine
from .._dispatch import backend_of, placed_like
from .._errors import ShapeError
from .._validate import (
    as_float,
    check_real,
    float_input,
    normalize_axis,
)
from ._axis import along, take

__all__ = ["cumulative_trapezoid", "simpson", "trapezoid"]


def _samples(y: Any, x: Any, dx: Any, axis: int, func: str) -> tuple[Any, Any, Any, int]:
    """Validate; return (backend, y, spacing, axis): spacing is dx or diff(x) along axis."""
    if x is None:
        b, y = float_input(y, "y", func)
    else:
        b = backend_of(y, x)
        y = as_float(y, b, "y", func, like=x)
    xp = b.xp
    nd = y.ndim
    if nd == 0:
        raise ShapeError(f"{func}: y must have at least one dimension")
    ax = normalize_axis(axis, nd, "axis", func)
    if x is None:
        return b, y, check_real(dx, "dx", func), ax
    n = y.shape[ax]
    x = xp.astype(as_float(x, b, "x", func, like=y), y.dtype)
    if x.ndim == 1:
        if x.shape[0] != n:
            raise ShapeError(f"{func}: x has {x.shape[0]} points but y has {n} along axis {ax}")
        d = x[1:] - x[:-1]
        return b, y, along(d, ax, y.ndim, xp), ax
    fits = x.ndim == y.ndim and all(
        xs == ys or (xs == 1 and i != ax) for i, (xs, ys) in enumerate(zip(x.shape, y.shape))
    )
    if not fits:  # SciPy: x broadcasts against y, with y's length along axis
        raise ShapeError(
            f"{func}: x must be 1-D with y's length along axis, or broadcast against y with "
            f"that length along axis; got x {tuple(x.shape)}, y {tuple(y.shape)}"
        )
    return b, y, take(x, ax, slice(1, None)) - take(x, ax, slice(None, -1)), ax


@routine("calculus.trapezoid", numpy="native", torch="native", jax="native")
def trapezoid(y: Any, x: Any = None, dx: float = 1.0, axis: int = -1) -> Any:
    """Integral of samples by the trapezoidal rule (``scipy.integrate.trapezoid``).

    Parameters
    ----------
    y : array
        Samples.
    x : array, optional
        Sample points: 1-D of y's length along ``axis``, or y's shape. Default: spacing ``dx``.
    dx : float
        Uniform spacing when ``x`` is None.
    axis : int
        Axis to integrate along.

    Returns
    -------
    array
        y's shape without ``axis``.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import calculus
    >>> x = np.linspace(0.0, 1.0, 101)
    >>> round(float(calculus.trapezoid(x ** 2, x)), 6)
    0.33335
    """
    if x is None and type(dx) is float and type(axis) is int:  # the commonest call, checked
        b, y = float_input(y, "y", "trapezoid")  # in one go; any fault takes the path below
        shape = y.shape
        nd = len(shape)
        if -nd <= axis < nd and shape[axis] >= 2 and math.isfinite(dx):
            return b.implementation("calculus.trapezoid", _trapezoid)(b.xp, y, dx, axis % nd)
    b, y, d, ax = _samples(y, x, dx, axis, "trapezoid")
    xp = b.xp
    if y.shape[ax] < 2:  # no interval: 0, as SciPy
        return xp.sum(xp.zeros_like(y), axis=ax)
    return b.implementation("calculus.trapezoid", _trapezoid)(xp, y, d, ax)


def _trapezoid(xp: Any, y: Any, d: Any, ax: int) -> Any:
    if not isinstance(d, float):
        return xp.sum(d * _mids(y, ax), axis=ax)
    # uniform spacing: d * (sum(y) - (y[0] + y[-1]) / 2), one pass over y with no shifted
    # copy where the backend does not fuse. Infinite ends keep the plain sum, so inf - inf
    # never makes a NaN that SciPy's mids would not
    total = xp.sum(y, axis=ax)
    ends = 0.5 * xp.squeeze(take(y, ax, 0), axis=ax) + 0.5 * xp.squeeze(take(y, ax, -1), axis=ax)
    return d * xp.where(xp.isfinite(ends), total - ends, total)


def _mids(y: Any, ax: int) -> Any:
    return (take(y, ax, slice(1, None)) + take(y, ax, slice(None, -1))) / 2


def _cumulative_trapezoid(xp: Any, y: Any, d: Any, ax: int) -> Any:
    return xp.cumulative_sum(d * _mids(y, ax), axis=ax)


@routine("calculus.cumulative_trapezoid")
def cumulative_trapezoid(
    y: Any, x: Any = None, dx: float = 1.0, axis: int = -1, initial: float | None = None
) -> Any:
    """Running trapezoidal integral (``scipy.integrate.cumulative_trapezoid``).

    Parameters
    ----------
    y : array
        Samples.
    x : array, optional
        Sample points (as in :func:`trapezoid`).
    dx : float
        Uniform spacing when ``x`` is None.
    axis : int
        Axis to integrate along.
    initial : float, optional
        If given, prepended as the first value (SciPy allows only 0), so the result has y's
        length; otherwise it is one shorter.

    Returns
    -------
    array
        The integral from the first sample up to each later one.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import calculus
    >>> calculus.cumulative_trapezoid(np.array([1.0, 2.0, 3.0]), initial=0.0)
    array([0. , 1.5, 4. ])
    """
    b, y, d, ax = _samples(y, x, dx, axis, "cumulative_trapezoid")
    xp = b.xp
    if y.shape[ax] == 0:
        raise ShapeError(f"cumulative_trapezoid: At least one point is required along axis {ax}")
    out = b.kernel(_cumulative_trapezoid, y, d, ax)
    if initial is not None:
        initial = check_real(initial, "initial", "cumulative_trapezoid")
        shape = list(out.shape)
        shape[ax] = 1
        out = xp.concat(
            [xp.full(tuple(shape), initial, dtype=out.dtype, **placed_like(out)), out], axis=ax
        )
    return out


@routine("calculus.simpson")
def simpson(y: Any, x: Any = None, dx: float = 1.0, axis: int = -1) -> Any:
    """Composite Simpson's rule on samples, exactly as ``scipy.integrate.simpson`` (≥ 1.11).

    Odd sample counts use Simpson's rule throughout (non-uniform spacing allowed); an even
    count applies it to all but the last interval, which gets Cartwright's correction.

    Parameters
    ----------
    y : array
        Samples.
    x : array, optional
        Sample points (as in :func:`trapezoid`).
    dx : float
        Uniform spacing when ``x`` is None.
    axis : int
        Axis to integrate along.

    Returns
    -------
    array
        y's shape without ``axis``.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import calculus
    >>> x = np.linspace(0.0, 1.0, 11)
    >>> round(float(calculus.simpson(x ** 2, x)), 12)
    0.333333333333
    """
    b, y, d, ax = _samples(y, x, dx, axis, "simpson")
    xp = b.xp
    n = y.shape[ax]
    if n == 0:
        raise ShapeError(f"simpson: y needs at least 1 sample along axis {ax}; got 0")
    if n == 1:  # one sample spans nothing: 0, as SciPy
        return xp.sum(xp.zeros_like(y), axis=ax)
    if isinstance(d, float) and n > 2:
        return b.kernel(_simpson_uniform, y, d, ax, n)
    if isinstance(d, float):
        d = xp.full(
            tuple(n - 1 if i == ax else 1 for i in range(y.ndim)),
            d,
            dtype=y.dtype,
            **placed_like(y),
        )
    return b.kernel(_simpson, y, d, ax, n)


def _simpson(xp: Any, y: Any, d: Any, ax: int, n: int) -> Any:
    """Simpson's rule over the intervals ``d`` (an array), as SciPy's ``simpson``."""
    if n == 2:
        return xp.sum(d * (take(y, ax, 0) + take(y, ax, 1)) / 2, axis=ax)
    stop = n - 1 if n % 2 == 1 else n - 2  # samples [0, stop] form pairs of intervals
    h0 = take(d, ax, slice(0, stop, 2))
    h1 = take(d, ax, slice(1, stop, 2))
    y0 = take(y, ax, slice(0, stop - 1, 2))
    y1 = take(y, ax, slice(1, stop, 2))
    y2 = take(y, ax, slice(2, stop + 1, 2))
    # a zero-width interval (repeated x) contributes 0, as in SciPy, not 0/0 = NaN
    hsum, hprod, ratio = h0 + h1, h0 * h1, _div0(xp, h0, h1)
    total = xp.sum(
        hsum
        / 6
        * (
            y0 * (2 - _div0(xp, xp.ones_like(ratio), ratio))
            + y1 * hsum * _div0(xp, hsum, hprod)
            + y2 * (2 - ratio)
        ),
        axis=ax,
    )
    if n % 2 == 0:
        a, c = xp.squeeze(take(d, ax, -2), axis=ax), xp.squeeze(take(d, ax, -1), axis=ax)
        alpha = _div0(xp, 2 * c * c + 3 * a * c, 6 * (c + a))
        beta = _div0(xp, c * c + 3 * a * c, 6 * a)
        eta = _div0(xp, c * c * c, 6 * a * (a + c))
        last = [xp.squeeze(take(y, ax, i), axis=ax) for i in (-1, -2, -3)]
        total = total + alpha * last[0] + beta * last[1] - eta * last[2]
    return total


def _simpson_uniform(xp: Any, y: Any, h: float, ax: int, n: int) -> Any:
    """Simpson's rule for uniform spacing ``h``: three strided sums, no temporaries of y's size
    (the general formula builds a dozen). Even counts get Cartwright's last-interval weights
    for equal intervals: 5h/12, 2h/3 and -h/12 on the last three samples, as SciPy."""
    stop = n - 1 if n % 2 == 1 else n - 2
    ends = xp.sum(take(y, ax, slice(0, stop - 1, 2)), axis=ax) + xp.sum(
        take(y, ax, slice(2, stop + 1, 2)), axis=ax
    )
    total = (ends + 4 * xp.sum(take(y, ax, slice(1, stop, 2)), axis=ax)) * (h / 3)
    if n % 2 == 0:
        last = [xp.squeeze(take(y, ax, i), axis=ax) for i in (-1, -2, -3)]
        total = total + (5 * h / 12) * last[0] + (2 * h / 3) * last[1] - (h / 12) * last[2]
    return total


def _div0(xp: Any, num: Any, den: Any) -> Any:
    """``num / den`` with 0 where ``den`` is 0 (SciPy's ``true_divide(..., where=den != 0)``)."""
    zero = den == 0
    return xp.where(zero, xp.zeros_like(num * den), num / xp.where(zero, xp.ones_like(den), den))
