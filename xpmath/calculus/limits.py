"""Numerical limits by polynomial extrapolation to h → 0 (Neville's scheme)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any, NamedTuple

from .._capabilities import routine
from .._convert import to_numpy
from .._dispatch import backend_of, default_backend
from .._errors import InvalidArgumentError, NoLimitError
from .._validate import check_callable, check_choice, on_chosen_backend

__all__ = ["Limit", "limit"]

LEVELS = 10  # samples at h0, h0/2, ..., h0/2**9


class Limit(NamedTuple):
    """The limit, its error estimate, and the one-sided limits that were computed."""

    value: float
    error: float
    left: float | None
    right: float | None


def _one_side(samples: list[float], hs: list[float]) -> tuple[float, float]:
    """Extrapolate f(h) to h = 0 with Neville's table; return (value, error estimate)."""
    table = list(samples)
    best, err = table[-1], math.inf
    for level in range(1, len(table)):
        prev = table[-1]
        for i in range(len(table) - 1, level - 1, -1):
            h_far, h_near = hs[i - level], hs[i]
            table[i] = table[i] + (table[i] - table[i - 1]) * h_near / (h_far - h_near)
        e = abs(table[-1] - prev)
        if e < err and math.isfinite(table[-1]):
            best, err = table[-1], e
    return best, err


def _side(f: Callable[[Any], Any], b: Any, x0: float, sign: int, h0: float, dtype: Any) -> Any:
    hs = [h0 / 2**k for k in range(LEVELS)]
    points = b.asarray([x0 + sign * h for h in hs], dtype=dtype)
    out = f(points)
    if hasattr(out, "shape") and backend_of(out).traced(out):
        raise InvalidArgumentError(
            "limit: func's values are a function transform's tracers (func closes over "
            "values traced by jax.jit or batched by torch.func.vmap); limit reads its samples "
            "to extrapolate and returns Python floats, so call it outside the transform"
        )
    values = [float(v) for v in to_numpy(out).reshape(-1)]
    if len(values) != LEVELS:
        raise InvalidArgumentError("limit: func must be element-wise (return one value per x)")
    return values, hs


@routine("calculus.limit", jit_safe=False, lazy=False, note="inspects values: computes on Dask")
def limit(
    func: Callable[[Any], Any],
    x0: float,
    *,
    direction: str = "both",
    h0: float | None = None,
    rtol: float | None = None,
    backend: str | None = None,
    dtype: str = "float64",
) -> Limit:
    """The limit of ``func(x)`` as ``x → x0``, for removable singularities and jumps alike.

    ``func`` is sampled at ``x0 ± h0/2^k`` (k = 0..9), never at ``x0`` itself, and the
    samples are extrapolated to ``h = 0`` by Neville's polynomial scheme, which assumes
    ``f(x0 ± h) = L + a₁h + a₂h² + …`` near ``x0``.

    Parameters
    ----------
    func : callable
        Element-wise function of an array.
    x0 : float
        The point (a Python number or 0-d array).
    direction : {"both", "left", "right"}
        Two-sided (both one-sided limits must agree) or one-sided (``"left"``: x ↑ x0).
    h0 : float, optional
        Largest offset; default ``0.1 * max(|x0|, 1)``, and where those samples do not
        settle, 0.1 (``0.1 * |x0|`` for ``|x0| < 1``) if its offsets span 1000 ulps of x0.
    rtol : float, optional
        Agreement required between the two sides and of the extrapolation's error
        estimate, relative to ``max(|L|, 1)``; default ``eps**0.5`` of the dtype.
    backend : str, optional
        Backend on which ``func`` is evaluated; the current default otherwise.
    dtype : str
        Dtype of the sample points.

    Returns
    -------
    Limit
        ``(value, error, left, right)`` as Python floats (``None`` for a side not computed).

    Raises
    ------
    NoLimitError
        When the one-sided limits disagree (a jump), or the samples diverge or oscillate
        so that no limit can be established to ``rtol``; the message says which.
    InvalidArgumentError
        Bad arguments, or ``func``'s values are traced (``func`` closes over values of a
        ``jax.jit`` or ``torch.func.vmap`` trace): the samples must be read.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import calculus
    >>> round(calculus.limit(lambda x: np.sin(x) / x, 0.0).value, 12)
    1.0
    >>> round(calculus.limit(lambda x: (1 + x) ** (1 / x), 0.0).value, 8)
    2.71828183
    >>> calculus.limit(np.sign, 0.0)
    Traceback (most recent call last):
    ...
    xpmath.NoLimitError: limit: the one-sided limits at 0.0 differ: left -1, right 1
    """
    name = "limit"
    check_callable(func, "func", name)
    check_choice(direction, "direction", ("both", "left", "right"), name)
    try:
        x0_value = float(to_numpy(x0)) if hasattr(x0, "dtype") else float(x0)
    except (TypeError, ValueError):
        x0_value = math.nan
    if isinstance(x0, bool) or not math.isfinite(x0_value):
        raise InvalidArgumentError(f"{name}: x0 must be a finite real number; got {x0!r}")
    x0 = x0_value
    b = default_backend(backend)
    if backend is None:
        func = on_chosen_backend(func, b, name, "No backend was given")
    eps = float(b.xp.finfo(b.dtype(dtype)).eps)
    if h0 is None:
        # offsets of x0's own scale (0.1·max(|x0|, 1)); where those samples do not settle,
        # the unit's (|x0| itself below 1), if its smallest offset spans 1000 ulps of x0
        # (cos at 1e6 oscillates over offsets of 1e5 and raised NoLimitError; a term like
        # 1/(x - 1e-10) needs offsets of x0's size). Only a failure is retried: smaller
        # offsets can settle on rounding alone ((exp(x) - exp(x0))/(x - x0) is 0 at every
        # offset of x0's size when x0 = 1e-50)
        a = abs(x0)
        scales = [0.1 * max(a, 1.0)]
        small = 0.1 * (a if 0 < a < 1 else 1.0)
        if small != scales[0] and 1000 * eps * a <= small / 2**9:
            scales.append(small)
    else:
        scales = [float(h0)]
        if not scales[0] > 0:
            raise InvalidArgumentError(f"{name}: h0 must be > 0; got {h0}")
    rtol = math.sqrt(eps) if rtol is None else float(rtol)

    sides: dict[str, tuple[float, float]] = {}
    for side, sign in (("left", -1), ("right", 1)):
        if direction not in ("both", side):
            continue
        failure: NoLimitError | None = None
        for h in scales:  # the first scale whose samples settle; else the last one's reason
            try:
                sides[side] = _settled(func, b, x0, sign, h, b.dtype(dtype), rtol, side)
                break
            except NoLimitError as exc:  # (the smallest offsets' reason: a pole shows there)
                failure = exc
        else:
            raise failure  # type: ignore[misc]
    left, right = sides.get("left"), sides.get("right")
    if left and right:
        scale = max(abs(left[0]), abs(right[0]), 1.0)
        if abs(left[0] - right[0]) > rtol * scale + left[1] + right[1]:
            raise NoLimitError(
                f"{name}: the one-sided limits at {x0} differ: left {left[0]:.12g}, "
                f"right {right[0]:.12g}"
            )
        value = 0.5 * (left[0] + right[0])
        err = max(left[1], right[1], abs(left[0] - right[0]))
    else:
        value, err = left or right  # type: ignore[misc]
    return Limit(value, err, left[0] if left else None, right[0] if right else None)


def _settled(
    func: Callable[[Any], Any],
    b: Any,
    x0: float,
    sign: int,
    h0: float,
    dt: Any,
    rtol: float,
    side: str,
) -> tuple[float, float]:
    """One side's limit and error from offsets ``h0/2^k``, or the NoLimitError that says why
    the samples give none (not finite, diverging, not settling to ``rtol``)."""
    name = "limit"
    values, hs = _side(func, b, x0, sign, h0, dt)
    finite = [v for v in values if math.isfinite(v)]
    if len(finite) < len(values) // 2:
        raise NoLimitError(f"{name}: func is not finite near {x0} on the {side}")
    tail = values[-5:]
    same_sign = all(v > 0 for v in tail) or all(v < 0 for v in tail)
    growing = all(abs(v1) > 1.5 * abs(v0) for v0, v1 in itertools.pairwise(tail))
    if (same_sign and growing and abs(tail[-1]) > 1.0) or not math.isfinite(values[-1]):
        sgn = "+" if values[-1] > 0 else "-"
        raise NoLimitError(f"{name}: func diverges to {sgn}inf as x → {x0} from the {side}")
    value, err = _one_side(values, hs)
    if not err <= rtol * max(abs(value), 1.0):
        raise NoLimitError(
            f"{name}: no limit from the {side} at {x0}: the samples do not settle "
            f"(extrapolation error {err:.3g}); func may diverge or oscillate"
        )
    return value, err
