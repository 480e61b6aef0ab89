"""Numerical Hessians from second differences of the function itself.

Where the gradient itself would be numerical Richardson (``method="richardson"``, or a lazy
or traced input with no native autodiff: Dask), differentiating it again nests one
Richardson inside another: every outer step evaluates the whole inner gradient, 144·n²
evaluations of f for n components (1296 at n = 3; 3888, 21 s of graph building on Dask,
when the Jacobian took one gradient per row). The
second difference

    [f(x + s e_p + t e_q) - f(x + s e_p - t e_q)
     - f(x - s e_p + t e_q) + f(x - s e_p - t e_q)] / 4st

(``[f(x + 2s e_p) - 2 f(x) + f(x - 2s e_p)] / 4s²`` on the diagonal) is even in the steps,
so the same two Richardson levels make it O(h⁶): 12 evaluations per entry and pair of step
scales (6 on the diagonal), taken at the two step scales of :func:`.differences.step_scales`
as the first derivatives are: x_p's two on the diagonal, and every pairing of x_p's with
x_q's off it (4 pairs), 12·n(2n − 1) evaluations in all for n components.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

from .._dispatch import backend_of, placed_like
from .differences import (
    extrapolate_twice,
    least_scale,
    pick_quietly,
    quiet_arithmetic,
    step_scales,
    unconverged,
)

__all__ = [
    "Steps",
    "component_steps",
    "hessian_block",
    "unit_vector",
]


class Steps(NamedTuple):
    """One component's step scales and the component as the steps are measured from
    (``None``: take the steps as computed)."""

    small: Any
    big: Any
    at: Any
    single: bool  # (concrete only) one scale: |x_k| is 0 or 1


def component_steps(xp: Any, flat: Any, k: int, xk: Any, concrete: bool, h: float) -> Steps:
    """Steps ``h·small`` and ``h·big`` along component ``k`` of ``flat`` (x_k: a float where
    ``concrete``, else a 0-d array): the unit (|x_k| below 1), raised where its last step
    (h/4) would be under 4 ulps of x_k (:func:`.differences.least_scale`), and max(|x_k|,
    1). A non-finite x_k takes unit steps (a non-finite step would make every other partial
    NaN)."""
    eps = float(xp.finfo(flat.dtype).eps)
    if concrete:
        finite = math.isfinite(xk)
        a = abs(xk) if finite else 1.0
        small = max(a if 0 < a < 1 else 1.0, least_scale(a, eps, h))
        big = max(a, 1.0)
        return Steps(small, big, flat[k] if finite else None, small == big)
    one = xp.ones_like(xk)
    a = xp.where(xp.isfinite(xk), xp.abs(xk), one)
    small, big = step_scales(xp, a, one, least_scale(a, eps, h))
    at = xp.where(xp.isfinite(xk), xk, xp.zeros_like(xk))
    return Steps(small, big, at, False)


def unit_vector(x: Any, k: int, dtype: Any = None) -> Any:
    """e_k shaped like ``x`` (of ``dtype``, x's by default)."""
    xp = backend_of(x).xp
    flat_n = math.prod(x.shape)
    e = xp.arange(flat_n, **placed_like(x)) == k
    return xp.reshape(xp.astype(e, dtype if dtype is not None else x.dtype), x.shape)


class _Rule(NamedTuple):
    """The step factor ``h``, the dtype's ``eps``, the smallest denominator a quotient divides
    by (``floor``: below it the steps have underflowed), and whether the values are lazy."""

    h: float
    eps: float
    floor: float
    lazy: bool
    xp: Any


def _divide(rule: _Rule, num: Any, size: Any, scale: Any) -> tuple[Any, Any]:
    """``num / scale`` and ``size / scale`` (called under :func:`quiet_arithmetic`); NaN where the
    steps' product is under ``rule.floor`` (in a lazy graph NumPy's error state does not reach
    the computation, so a zero or subnormal denominator is replaced before dividing)."""
    if not rule.lazy or isinstance(scale, float):
        return num / scale, size / scale
    xp = rule.xp
    ok = scale >= rule.floor
    den = xp.where(ok, scale, xp.ones_like(scale))
    nan = xp.full_like(den, math.nan)
    return xp.where(ok, num / den, nan), xp.where(ok, size / den, nan)


def _exact(at: Any, step: Any) -> Any:
    return step if at is None else (at + step) - at


def _second(
    point: Callable[[Any, Any], Any],
    f0: Any,
    sp: Steps,
    sq: Steps,
    scale_p: Any,
    scale_q: Any,
    diagonal: bool,
    rule: _Rule,
) -> tuple[Any, Any]:
    """d²f / dx_p dx_q by the second difference at steps ``h·scale``, ``h·scale/2`` and
    ``h·scale/4`` extrapolated twice, and its error: the last two levels' difference plus the
    rounding of the values at the smallest step, and the quotients' spread where they stop
    converging (``unconverged``)."""
    h = rule.h

    def quotient(level: int) -> tuple[Any, Any, Any, Any]:
        if diagonal:
            t = _exact(sp.at, 2 * h * scale_p / 2**level)
            hi, lo = point(t, 0.0), point(-t, 0.0)
            with quiet_arithmetic():
                num, size = hi - 2 * f0 + lo, abs(hi) + 2 * abs(f0) + abs(lo)
                return (*_divide(rule, num, size, t * t), t, t)
        s = _exact(sp.at, h * scale_p / 2**level)
        t = _exact(sq.at, h * scale_q / 2**level)
        pp, pm, mp, mm = point(s, t), point(s, -t), point(-s, t), point(-s, -t)
        with quiet_arithmetic():
            size = abs(pp) + abs(pm) + abs(mp) + abs(mm)
            return (*_divide(rule, pp - pm - mp + mm, size, 4 * s * t), s, t)

    (d1, _, s1, t1), (d2, _, s2, t2), (d3, size, s3, t3) = quotient(0), quotient(1), quotient(2)
    xp = rule.xp
    with quiet_arithmetic():
        # the leading error shrinks as the steps' product (s², s·t or t²) at each level
        best, r2 = extrapolate_twice(d1, d2, d3, s1 / s2 * (t1 / t2), s2 / s3 * (t2 / t3))
        return best, xp.abs(best - r2) + 2 * rule.eps * size + unconverged(xp, d1, d2, d3)


def _entry(
    point: Callable[[Any, Any], Any], f0: Any, sp: Steps, sq: Steps, diagonal: bool, rule: _Rule
) -> Any:
    """One entry at the step scales the first derivatives would take: on the diagonal the two
    scales of x_p; off it every pair of x_p's and x_q's scales, chosen along p at each of q's
    scales and then along q (pairing small with small and big with big alone took steps of
    3e-300 along x_p = 3e-298, lost in f's rounding, and otherwise 122·h along x_q = 122,
    where sin wants the unit: 1.2e-4 off the mixed partial, when the unit along both was exact)."""
    args = (point, f0, sp, sq)
    xp, concrete = rule.xp, not rule.lazy
    if diagonal:
        big = _second(*args, sp.big, sq.big, True, rule)
        if concrete and sp.single:
            return big[0]
        return pick_quietly(xp, _second(*args, sp.small, sq.small, True, rule), big)[0]

    def along_p(scale_q: Any) -> tuple[Any, Any]:
        big = _second(*args, sp.big, scale_q, False, rule)
        if concrete and sp.single:
            return big
        return pick_quietly(xp, _second(*args, sp.small, scale_q, False, rule), big)

    big_q = along_p(sq.big)
    if concrete and sq.single:
        return big_q[0]
    return pick_quietly(xp, along_p(sq.small), big_q)[0]


def hessian_block(
    f: Callable[[Any, Any], Any], xi: Any, xj: Any, same: bool, concrete: bool, xp: Any
) -> Any:
    """``d²f / dxi dxj`` shaped ``xi.shape + xj.shape`` from second differences of
    ``f(xi + di, xj + dj)`` (``same``: one argument, ``f(xi + di + dj)``; the block is then
    symmetric and computed once per pair)."""
    dtype = xi.dtype
    eps = float(xp.finfo(dtype).eps)
    h = eps ** (1.0 / 8.0)  # truncation O(h⁶) against rounding O(eps/h²)
    ni, nj = math.prod(xi.shape), math.prod(xj.shape)
    if not ni or not nj:
        return xp.zeros((*xi.shape, *xj.shape), dtype=dtype, **placed_like(xi))
    fi, fj = xp.reshape(xi, (-1,)), xp.reshape(xj, (-1,))
    steps_i = [
        component_steps(xp, fi, p, float(fi[p]) if concrete else fi[p], concrete, h)
        for p in range(ni)
    ]
    steps_j = (
        steps_i
        if same
        else [
            component_steps(xp, fj, q, float(fj[q]) if concrete else fj[q], concrete, h)
            for q in range(nj)
        ]
    )
    f0 = f(xi, xj)
    rule = _Rule(h, eps, float(xp.finfo(dtype).smallest_normal) / eps, not concrete, xp)
    entries: dict[tuple[int, int], Any] = {}
    for p in range(ni):
        ep = unit_vector(xi, p)
        for q in range(nj):
            if same and q < p:
                entries[p, q] = entries[q, p]
                continue
            eq = unit_vector(xj, q)

            def point(cp: Any, cq: Any, ep: Any = ep, eq: Any = eq) -> Any:
                if same:
                    return f(xi + cp * ep + cq * eq, xj)
                return f(xi + cp * ep, xj + cq * eq)

            entries[p, q] = _entry(point, f0, steps_i[p], steps_j[q], same and p == q, rule)
    rows = [
        xp.stack([xp.reshape(xp.asarray(entries[p, q]), ()) for q in range(nj)]) for p in range(ni)
    ]
    return xp.reshape(xp.astype(xp.stack(rows), dtype), (*xi.shape, *xj.shape))
