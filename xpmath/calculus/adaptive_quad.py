"""Adaptive Gauss–Kronrod quadrature: the 21-point Kronrod rule and its embedded 10-point
Gauss rule on every panel, panels bisected until the summed error estimate meets the
tolerance (QUADPACK's QAG strategy), each round of panels evaluated in one call of the
integrand.

The error estimate of a panel is QUADPACK's: ``|K - G|`` scaled by the panel's spread
``resasc`` (``resasc · min(1, (200 |K - G| / resasc) ** 1.5)``, which credits the Kronrod
result with its higher order where the difference is already small), and never below 50
roundings of ``∫|f|`` over the panel. Panels are chosen as a vectorised code wants them:
while the summed estimate exceeds the tolerance, every panel whose estimate exceeds its
share of the tolerance (the share of the interval it covers) is bisected, worst first, up to
``limit`` panels in all. A panel at its rounding floor or too narrow to halve is kept.

The values of the panels' estimates are read on the host each round (a Dask graph computes,
a GPU synchronises): the method is for backends whose values can be read, not for code under
``jax.jit``, whose fixed rule is ``method="gauss-legendre"``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .._dispatch import backend_of
from .._errors import (
    BackendMismatchError,
    IntegrationWarning,
    InvalidArgumentError,
    scipy_category,
    warn,
)
from .._validate import check_int, check_real

#: the non-negative nodes of the 21-point Kronrod rule on [-1, 1] (descending; the 10-point
#: Gauss nodes are every other one, from the first) and their Kronrod weights, computed at
#: 50 digits from the Stieltjes polynomial (Piessens et al., QUADPACK's ``qk21``)
_NODES = (
    0.99565716302580808074,
    0.97390652851717172008,
    0.93015749135570822600,
    0.86506336668898451073,
    0.78081772658641689706,
    0.67940956829902440623,
    0.56275713466860468334,
    0.43339539412924719080,
    0.29439286270146019813,
    0.14887433898163121088,
    0.0,
)
_KRONROD = (
    0.011694638867371874278,
    0.032558162307964727479,
    0.054755896574351996031,
    0.075039674810919952767,
    0.093125454583697605535,
    0.10938715880229764190,
    0.12349197626206585108,
    0.13470921731147332593,
    0.14277593857706008080,
    0.14773910490133849137,
    0.14944555400291690566,
)
#: the 10-point Gauss weights of the nodes 1, 3, 5, 7, 9 above (by index from 0)
_GAUSS = (
    0.066671344308688137594,
    0.14945134915058059315,
    0.21908636251598204400,
    0.26926671930999635509,
    0.29552422471475287017,
)


def kronrod21() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The 21 nodes on [-1, 1] (ascending), their Kronrod weights and their Gauss weights
    (0 at the 11 nodes the Gauss rule does not have), in float64."""
    x = np.array(_NODES)
    wk = np.array(_KRONROD)
    wg = np.zeros(11)
    wg[1:10:2] = _GAUSS
    return (
        np.concatenate([-x, x[-2::-1]]),
        np.concatenate([wk, wk[-2::-1]]),
        np.concatenate([wg, wg[-2::-1]]),
    )


def settings(
    n: Any,
    epsabs: Any,
    epsrel: Any,
    limit: Any,
    intervals: int,
    adaptive: bool,
    eps: float,
    name: str,
) -> dict[str, Any]:
    """The adaptive method's settings: SciPy's tolerances where not given (a relative one of
    at least 100 roundings of the dtype, ``eps``, twice a panel's rounding floor); the
    fixed rule's ``n`` is refused there, as the adaptive settings are by the fixed rule."""
    if not adaptive:
        pairs = (("epsabs", epsabs), ("epsrel", epsrel), ("limit", limit))
        given = [f"{k}={v!r}" for k, v in pairs if v is not None]
        if given:
            raise InvalidArgumentError(
                f"{name}: epsabs, epsrel and limit set method='adaptive'; the fixed "
                f"Gauss-Legendre rule takes n and intervals (got {', '.join(given)})"
            )
        return {}
    if n is not None:
        raise InvalidArgumentError(
            f"{name}: n sets the fixed Gauss-Legendre rule's nodes; method='adaptive' uses the "
            f"21-point Gauss-Kronrod rule (got n={n!r})"
        )
    epsabs = 1.49e-8 if epsabs is None else check_real(epsabs, "epsabs", name, nonnegative=True)
    if epsrel is None:
        epsrel = max(1.49e-8, 100 * eps)
    epsrel = check_real(epsrel, "epsrel", name, nonnegative=True)
    if epsabs <= 0 and epsrel < 50 * eps:
        raise InvalidArgumentError(
            f"{name}: with epsabs 0 the relative tolerance epsrel must be at least "
            f"{50 * eps:.3g} (50 roundings of the dtype); got {epsrel!r}"
        )
    limit = 200 if limit is None else check_int(limit, "limit", name, minimum=1)
    if limit < intervals:
        raise InvalidArgumentError(
            f"{name}: limit (the most panels) must be at least intervals ({intervals}); got {limit}"
        )
    return {"epsabs": epsabs, "epsrel": epsrel, "limit": limit}


class _Panels:
    """The panels' limits and estimates on the host, and each round's Kronrod results and
    error estimates on the backend (so the value keeps autodiff through the integrand's
    parameters); a panel is a leaf until it is bisected."""

    def __init__(self) -> None:
        self.lo: list[float] = []
        self.hi: list[float] = []
        self.err: list[float] = []  # the panel's estimate (the largest over components)
        self.floor: list[bool] = []  # that estimate is a rounding floor
        self.value: list[np.ndarray] = []  # the panel's Kronrod results, one per component
        self.leaf: list[bool] = []
        self.rounds: list[tuple[int, Any, Any]] = []  # (first panel, K, error) per round

    def add(self, lo: list[float], hi: list[float]) -> int:
        first = len(self.lo)
        self.lo += lo
        self.hi += hi
        self.leaf += [True] * len(lo)
        return first

    def leaves(self) -> list[int]:
        return [i for i, keep in enumerate(self.leaf) if keep]


def _rule(xp: Any, y: Any, half: Any, w: tuple[Any, Any], eps: float, tiny: float) -> Any:
    """Per-panel Kronrod results, error estimates (QUADPACK's) and rounding floors for ``y``
    of shape ``(..., k, 21)`` and half-widths ``half`` of shape ``(k,)``."""
    wk, wg = w
    k_unit = xp.sum(y * wk, axis=-1)  # on [-1, 1]
    g_unit = xp.sum(y * wg, axis=-1)
    scale = xp.abs(half)
    diff = xp.abs(k_unit - g_unit) * scale
    resabs = xp.sum(xp.abs(y) * wk, axis=-1) * scale
    resasc = xp.sum(xp.abs(y - (k_unit / 2)[..., None]) * wk, axis=-1) * scale
    both = (resasc != 0) & (diff != 0)
    safe = xp.where(both, resasc, xp.ones_like(resasc))
    ratio = xp.where(both, 200 * diff / safe, xp.zeros_like(diff))
    shrunk = resasc * xp.minimum(xp.ones_like(ratio), ratio * xp.sqrt(ratio))
    err = xp.where(both, shrunk, diff)
    floor = xp.where(resabs > tiny / (50 * eps), 50 * eps * resabs, xp.zeros_like(resabs))
    return k_unit * half, xp.maximum(err, floor), floor


def integrate(
    f: Callable[[Any], Any],
    a: float,
    b: float,
    *,
    bk: Any,
    dt: Any,
    epsabs: float,
    epsrel: float,
    limit: int,
    intervals: int,
    values: Callable[[Callable[[Any], Any], Any, str], Any],
    name: str,
) -> tuple[Any, Any]:
    """``(value, error)`` of ∫ₐᵇ f on backend ``bk`` in dtype ``dt`` (finite ``a < b``),
    ``values(f, nodes, name)`` calling and checking the integrand."""
    xp = bk.xp
    fi = xp.finfo(dt)
    eps, tiny = float(fi.eps), float(fi.smallest_normal)
    t, wk, wg = kronrod21()
    w = (bk.asarray(wk, dtype=dt), bk.asarray(wg, dtype=dt))
    panels = _Panels()
    s = np.arange(intervals + 1) / intervals  # overflow-free edges: convex combinations
    edges = [a] + [float(v) for v in (a * (1 - s[1:-1]) + b * s[1:-1])] + [b]
    todo: int | None = panels.add(edges[:-1], edges[1:])
    width = b / 2 - a / 2  # (half the interval: the shares below are ratios of halves)
    with bk.loop_scope(name):
        while todo is not None:
            _round(f, todo, bk, dt, (t, w, eps, tiny), panels, values, name)
            todo = _next_round(panels, width, epsabs, epsrel, limit, name)
    return _totals(xp, bk, panels)


def _round(
    f: Callable[[Any], Any],
    todo: int,
    bk: Any,
    dt: Any,
    rule: tuple[Any, ...],
    panels: _Panels,
    values: Callable[[Callable[[Any], Any], Any, str], Any],
    name: str,
) -> None:
    """Evaluate the panels from ``todo`` on: one call of ``f``, one host read."""
    xp = bk.xp
    t, w, eps, tiny = rule
    lo, hi = np.array(panels.lo[todo:]), np.array(panels.hi[todo:])
    half = hi / 2 - lo / 2
    nodes = (lo / 2 + hi / 2)[:, None] + half[:, None] * t[None, :]
    xs = bk.asarray(nodes.reshape(-1), dtype=dt)
    y = values(f, xs, name)
    if not tuple(getattr(y, "shape", ())):  # a constant
        y = y + xp.zeros(xs.shape, dtype=dt)
    _check_owner(y, bk, name)
    k = len(lo)
    y = xp.reshape(y, (*y.shape[:-1], k, 21))
    kres, err, floor = _rule(xp, y, bk.asarray(half, dtype=dt), w, eps, tiny)
    kres, err, floor = bk.persist_all((kres, err, floor))  # (Dask: computed once)
    panels.rounds.append((todo, kres, err))
    _read(xp, bk, kres, err, floor, panels)


def _check_owner(y: Any, bk: Any, name: str) -> None:
    """Raise unless ``y`` is a readable array of ``bk``, the nodes' backend."""
    owner = backend_of(y)
    if owner.traced(y):
        raise InvalidArgumentError(
            f"{name}: method='adaptive' chooses its panels from the integrand's values, "
            "which cannot be read under a function transform (jax.jit, vmap, torch.func); "
            "use method='gauss-legendre' with n and intervals there"
        )
    if owner is not bk:
        raise BackendMismatchError(
            f"{name}: func returned {owner.name} arrays for {bk.name} nodes; pass "
            f"backend={owner.name!r} so that the nodes are {owner.name} arrays too"
        )


def _read(xp: Any, bk: Any, kres: Any, err: Any, floor: Any, panels: _Panels) -> None:
    """One host read a round: each panel's largest error estimate and rounding floor over
    the components, and its Kronrod results."""
    k = err.shape[-1]
    parts = [xp.max(xp.reshape(err, (-1, k)), axis=0), xp.max(xp.reshape(floor, (-1, k)), axis=0)]
    kflat = xp.reshape(kres, (-1, k))
    cplx = xp.isdtype(kres.dtype, "complex floating")
    parts += [xp.real(kflat), xp.imag(kflat)] if cplx else [kflat]
    host = bk.to_numpy(xp.concat([xp.reshape(p, (-1, k)) for p in parts], axis=0))
    host = host.astype(np.float64)
    values = host[2:].T
    if cplx:
        half = values.shape[1] // 2
        values = values[:, :half] + 1j * values[:, half:]
    panels.err += host[0].tolist()
    panels.floor += (host[0] <= host[1]).tolist()
    panels.value += list(values)


def _next_round(
    panels: _Panels, width: float, epsabs: float, epsrel: float, limit: int, name: str
) -> int | None:
    """Bisect the panels whose estimates exceed their share of the tolerance; the index of
    the first new panel, or None when the integral is done (warning when short of the
    tolerance)."""
    leaves = panels.leaves()
    total_err = math.fsum(panels.err[i] for i in leaves)
    # |I| for the relative tolerance: the largest component of the panels' results, summed
    size = float(np.max(np.abs(np.sum([panels.value[i] for i in leaves], axis=0))))
    tol = max(epsabs, epsrel * size)
    if total_err <= tol:
        return None
    if not math.isfinite(total_err):
        _warn(name, "the integrand is not finite at some nodes", total_err, tol)
        return None
    chosen = []
    for i in leaves:
        lo, hi = panels.lo[i], panels.hi[i]
        share = tol * (hi / 2 - lo / 2) / width
        mid = lo / 2 + hi / 2
        if panels.err[i] > share and not panels.floor[i] and lo < mid < hi:
            chosen.append(i)
    if not chosen:
        _warn(name, "rounding keeps the error estimate from shrinking", total_err, tol)
        return None
    room = limit - len(leaves)
    if room <= 0:
        why = f"the limit of {limit} subintervals was reached (raise limit)"
        _warn(name, why, total_err, tol)
        return None
    chosen = sorted(chosen, key=lambda i: -panels.err[i])[:room]
    lo, hi = [], []
    for i in chosen:
        panels.leaf[i] = False
        mid = panels.lo[i] / 2 + panels.hi[i] / 2
        lo += [panels.lo[i], mid]
        hi += [mid, panels.hi[i]]
    return panels.add(lo, hi)


def _warn(name: str, why: str, err: float, tol: float) -> None:
    category = scipy_category(IntegrationWarning, "scipy.integrate", "IntegrationWarning")
    msg = f"{name}: {why}; the error estimate {err:.3g} exceeds the tolerance {tol:.3g}"
    warn(msg, stacklevel=6, category=category)  # (the caller of quad)


def _totals(xp: Any, bk: Any, panels: _Panels) -> tuple[Any, Any]:
    """The leaves' Kronrod results and error estimates, summed on the backend."""
    value = error = None
    for r, (first, kres, err) in enumerate(panels.rounds):
        end = panels.rounds[r + 1][0] if r + 1 < len(panels.rounds) else len(panels.lo)
        keep = [i - first for i in range(first, end) if panels.leaf[i]]
        if not keep:
            continue
        if len(keep) < end - first:
            idx = bk.asarray(np.array(keep), device=bk.device_of(kres))
            kres, err = xp.take(kres, idx, axis=-1), xp.take(err, idx, axis=-1)
        v, e = xp.sum(kres, axis=-1), xp.sum(err, axis=-1)
        value, error = (v, e) if value is None else (value + v, error + e)
    return value, error
