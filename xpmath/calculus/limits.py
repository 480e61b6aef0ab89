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
#: the second sequence of offsets, h0·SHIFT/2^k, interleaved with the first: samples of an
#: oscillating func at offsets halving from near a multiple of its period line up on a
#: chance value; the two sequences' values then differ
SHIFT = (math.sqrt(5) - 1) / 2


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


def _unresolved(h0: float, x0: float, dtype: Any) -> None:
    name = getattr(dtype, "__name__", str(dtype))
    raise InvalidArgumentError(
        f"limit: h0 must give offsets {h0:.3g} … {h0 / 2 ** (LEVELS - 1):.3g} that {name} "
        f"resolves at x0 = {x0}; got h0 = {h0:.3g}, whose smallest offsets round together"
    )


def _side(f: Callable[[Any], Any], b: Any, x0: float, sign: int, h0: float, dtype: Any) -> Any:
    """func's samples at ``x0 + sign·h0/2^k`` and the offsets the points really have (the
    dtype rounds ``x0 + h``: at 7.6e7 an offset of 0.1 is 8e-9 off, which the extrapolation
    turned into an error of 1e-8 in cos)."""
    nominal = [c * h0 / 2**k for c in (1.0, SHIFT) for k in range(LEVELS)]
    # the closest two offsets (SHIFT/2^9 and 1/2^10 of h0) must stay 2 ulps of x0 apart
    gap = (SHIFT - 0.5) * h0 / 2 ** (LEVELS - 1)
    if not gap >= 4 * float(b.xp.finfo(dtype).eps) * abs(x0) or not gap > 0:
        _unresolved(h0, x0, dtype)
    points = b.asarray([x0 + sign * h for h in nominal], dtype=dtype)
    out = f(points)
    if hasattr(out, "shape") and backend_of(out).traced(out):
        raise InvalidArgumentError(
            "limit: func's values are a function transform's tracers (func closes over "
            "values traced by jax.jit or batched by torch.func.vmap); limit reads its samples "
            "to extrapolate and returns Python floats, so call it outside the transform"
        )
    hs = [abs(float(p) - x0) for p in to_numpy(points).reshape(-1)]
    if len(set(hs)) < len(hs) or min(hs) == 0:
        _unresolved(h0, x0, dtype)
    values = [float(v) for v in to_numpy(out).reshape(-1)]
    if len(values) != len(hs):
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

    ``func`` is sampled at ``x0 ± h0/2^k`` and ``x0 ± 0.618·h0/2^k`` (k = 0..9), never at
    ``x0`` itself, and each sequence is extrapolated to ``h = 0`` by Neville's polynomial
    scheme (with the offsets the points really have after rounding), which assumes
    ``f(x0 ± h) = L + a₁h + a₂h² + …`` near ``x0``. A side has a limit where both
    sequences settle to ``rtol``, agree, and close in on it as ``h`` shrinks.

    Parameters
    ----------
    func : callable
        Element-wise function of an array.
    x0 : float
        The point (a Python number or 0-d array).
    direction : {"both", "left", "right"}
        Two-sided (both one-sided limits must agree) or one-sided (``"left"``: x ↑ x0).
    h0 : float, optional
        Largest offset. By default two scales are sampled: ``0.1 * max(|x0|, 1)`` and
        0.1 (``0.1 * |x0|`` for ``|x0| < 1``; at least 1000 ulps of x0 at the smallest
        offset). Where both settle and disagree, the smaller offsets win unless rounding
        has flattened their samples (two successive samples equal).
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
        Bad arguments (``h0`` so small that the dtype rounds its offsets together), or
        ``func``'s values are traced (``func`` closes over values of a ``jax.jit`` or
        ``torch.func.vmap`` trace): the samples must be read.

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
        # offsets of x0's own scale (0.1·max(|x0|, 1)) and the unit's (|x0| itself below
        # 1; at least 1000 ulps of x0 at the smallest): cos at 1e6 oscillates over offsets
        # of 1e5, and 1/x at 1e-10 needs offsets below 1e-10. _across_scales picks
        a = abs(x0)
        scales = [0.1 * max(a, 1.0)]
        small = max(0.1 * (a if 0 < a < 1 else 1.0), 1000 * eps * a * 2 ** (LEVELS - 1))
        if small < scales[0]:
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
        sides[side] = _across_scales(func, b, x0, sign, scales, b.dtype(dtype), rtol, side)
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


class _Candidate(NamedTuple):
    """One scale's extrapolated value and error, whether two successive samples are one
    number (rounding flattens func's variation at small offsets; or func is constant there),
    and why it is no limit (None: it settled)."""

    h0: float
    value: float
    error: float
    rounded: bool
    problem: str | None


def _across_scales(
    func: Callable[[Any], Any],
    b: Any,
    x0: float,
    sign: int,
    scales: list[float],
    dt: Any,
    rtol: float,
    side: str,
) -> tuple[float, float]:
    """One side's limit from the offsets of each scale (x0's own, then the unit's).

    Every scale is sampled: samples at offsets of x0's size can settle on a value that is
    not the limit ((1 - cos(x - x0))/(x - x0)² at x0 = 1e8 is below 6e-9 at every offset of
    1e7 … 2e4, within the absolute tolerance of 0, and tends to 0.5). Where two scales
    settle and disagree, the smaller offsets win, unless two of their successive samples
    are one number: rounding flattens them ((exp(x) - exp(x0))/(x - x0) is 0 at every
    offset of 1e-51 when x0 = 1e-50, and (1 - cos(x - x0))/(x - x0)² is 0 at offsets below
    1e-8). Where none settles, the smallest offsets' reason is raised (a pole shows
    there)."""
    cands: list[_Candidate] = []
    failure = ""
    for h in scales:
        try:
            cands.append(_candidate(func, b, x0, sign, h, dt, rtol, side))
            failure = cands[-1].problem or failure
        except NoLimitError as exc:
            failure = str(exc)
    settled = [c for c in cands if c.problem is None]
    if not settled:
        raise NoLimitError(failure)

    def agree(c: _Candidate, d: _Candidate) -> bool:
        # within a few rtol: a scale's own error can understate the rounding in its samples
        # ((x² - x0²)/(x - x0) at x0 = 5e4 settles to 3e-8 of the limit at offsets of 0.1)
        tol = 4 * rtol * max(abs(c.value), abs(d.value), 1.0)
        return abs(c.value - d.value) <= tol + c.error + d.error

    best, err = settled[0], settled[0].error
    for c in settled[1:]:
        if agree(c, best):
            err = max(err, c.error, abs(c.value - best.value))
        elif not c.rounded:
            best, err = c, c.error
    return best.value, err


def _candidate(
    func: Callable[[Any], Any],
    b: Any,
    x0: float,
    sign: int,
    h0: float,
    dt: Any,
    rtol: float,
    side: str,
) -> _Candidate:
    """One side's extrapolation from offsets ``h0/2^k`` and ``SHIFT·h0/2^k``, with the
    reason it is no limit (not settling to ``rtol``, not closing in, the two sequences
    disagreeing); raises NoLimitError where the samples cannot be extrapolated at all
    (not finite, diverging)."""
    name = "limit"
    values, hs = _side(func, b, x0, sign, h0, dt)
    finite = [v for v in values if math.isfinite(v)]
    if len(finite) < len(values) // 2:
        raise NoLimitError(f"{name}: func is not finite near {x0} on the {side}")
    tail = values[LEVELS - 5 : LEVELS]
    same_sign = all(v > 0 for v in tail) or all(v < 0 for v in tail)
    growing = all(abs(v1) > 1.5 * abs(v0) for v0, v1 in itertools.pairwise(tail))
    if (same_sign and growing and abs(tail[-1]) > 1.0) or not math.isfinite(tail[-1]):
        sgn = "+" if tail[-1] > 0 else "-"
        raise NoLimitError(f"{name}: func diverges to {sgn}inf as x → {x0} from the {side}")
    found = [_one_side(values[seq], hs[seq]) for seq in (slice(0, LEVELS), slice(LEVELS, None))]
    (v1, e1), (v2, e2) = found
    value, err = (v1, e1) if e1 <= e2 else (v2, e2)
    err = max(e1, e2, abs(v1 - v2))
    rounded = any(
        u == v for seq in (values[:LEVELS], values[LEVELS:]) for u, v in itertools.pairwise(seq)
    )
    problem = None
    for (v, e), seq in zip(found, (values[:LEVELS], values[LEVELS:]), strict=True):
        tol = rtol * max(abs(v), 1.0)
        dist = [abs(s - v) for s in seq]
        if not e <= tol:
            problem = (
                f"{name}: no limit from the {side} at {x0}: the samples do not settle "
                f"(extrapolation error {e:.3g}); func may diverge or oscillate"
            )
        elif max(dist[-3:]) > 0.5 * max(dist[:3]) + tol:  # they must close in on v
            problem = (
                f"{name}: no limit from the {side} at {x0}: the samples do not close in on "
                f"{v:.12g} as x → {x0} (func may oscillate)"
            )
        if problem:
            return _Candidate(h0, value, err, rounded, problem)
    if abs(v1 - v2) > rtol * max(abs(v1), abs(v2), 1.0) + e1 + e2:
        # (sin(x - x0)/(x - x0) at x0 = 7.4e5, sampled at offsets 7e4 … 145, "settled" on
        # 7.7e-4 with an error of 7e-10: 145 is close to 23·2π, and so are its doublings)
        problem = (
            f"{name}: no limit from the {side} at {x0}: two interleaved sequences of "
            f"samples extrapolate to {v1:.12g} and {v2:.12g} (func may oscillate)"
        )
    return _Candidate(h0, value, err, rounded, problem)
