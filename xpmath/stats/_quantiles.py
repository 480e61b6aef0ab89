"""Quantile functions (``ppf``) that need a root search: gamma and Student's t by safeguarded
Newton iteration on their CDFs, the discrete distributions by bisection over the integers.

Everything is array code with a fixed number of steps, so it runs on every backend and under
``jax.jit``. Each Newton search keeps a bracket around the root and bisects whenever a step
leaves it, so it cannot diverge; the starting points are close enough that 5 steps reach full
float64 accuracy over the tested parameter ranges.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from .._special import log_beta, special

# Newton steps after the starting point (5 reach full float64 accuracy from these starts over
# the tested ranges; 3 more are margin). The bracket bounds the damage from a poor start.
NEWTON_STEPS = 8


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """The searches evaluate both sides of every ``where`` (overflowing steps included, which
    the bracket then rejects): keep NumPy from warning about values that are never used."""
    with np.errstate(all="ignore"):
        yield


def _loop(b: Any, lower: int, upper: int, body: Any, init: tuple[Any, ...]) -> Any:
    """``b.fori_loop`` where the values are traced (one loop in the compiled program, not
    ``upper - lower`` copies of ``body``); a plain loop where they are known. Eager JAX would
    otherwise trace and compile the loop again on every call, since ``body`` is a fresh
    closure each time (1 s per eager ``binom.ppf`` call, for 0.05 s op by op)."""
    if all(b.values_known(v) for v in init):
        val = init
        for i in range(lower, upper):
            val = body(i, val)
        return val
    return b.fori_loop(lower, upper, body, init)


def edges(xp: Any, q: Any, value: Any, at0: Any, at1: Any) -> Any:
    """``value`` inside (0, 1); the support's ends at q = 0 and 1; NaN outside [0, 1]."""

    def fill(v: Any) -> Any:
        return v if hasattr(v, "shape") else xp.full_like(value, v)

    nan = xp.full_like(value, math.nan)
    out = xp.where(q == 0, fill(at0), value)
    out = xp.where(q == 1, fill(at1), out)
    return xp.where((q >= 0) & (q <= 1), out, nan)


def _newton_log(b: Any, resid: Any, u: Any, steps: int) -> Any:
    """Solve ``resid(u) = 0`` for increasing ``resid`` returning ``(value, slope)``.

    The bracket starts unbounded; while one side is open a rejected step moves 2 units toward
    it (a factor e² in ``exp(u)``), once both are known it bisects. The steps run through
    ``_loop``: one loop under ``jax.jit``, not ``steps`` unrolled copies of ``resid``.
    """
    xp = b.xp

    def step(_i: int, state: tuple[Any, Any, Any]) -> tuple[Any, Any, Any]:
        u, lo, hi = state
        r, slope = resid(u)
        lo = xp.where(r < 0, u, lo)
        hi = xp.where(r > 0, u, hi)
        steep = slope > 0
        cand = u - r / xp.where(steep, slope, xp.ones_like(slope))
        ok = steep & (cand >= lo) & (cand <= hi) & xp.isfinite(cand)
        both = xp.isfinite(lo) & xp.isfinite(hi)
        mid = 0.5 * (xp.where(both, lo, u) + xp.where(both, hi, u))
        fallback = xp.where(both, mid, xp.where(xp.isfinite(lo), u + 2, u - 2))
        return xp.where(r == 0, u, xp.where(ok, cand, fallback)), lo, hi

    init = (u, xp.full_like(u, -math.inf), xp.full_like(u, math.inf))
    return _loop(b, 0, steps, step, init)[0]


def _exp(xp: Any, u: Any) -> Any:
    """``exp(u)``, inf past the dtype's range without an overflow warning."""
    log_max = math.log(xp.finfo(u.dtype).max)
    over = u > log_max
    return xp.where(over, xp.full_like(u, math.inf), xp.exp(xp.where(over, xp.zeros_like(u), u)))


def gamma_ppf(b: Any, a: Any, q: Any, upper_tail: bool = False) -> Any:
    """Quantile of the standard gamma distribution with shape ``a`` (arrays of one shape);
    ``upper_tail``: the inverse survival function, ``q`` the upper tail's probability."""
    xp = b.xp
    gammainc, gammaincc = special(b, "gammainc"), special(b, "gammaincc")
    gammaln, ndtri = special(b, "gammaln"), special(b, "ndtri")
    inside = (q > 0) & (q < 1)
    given = xp.where(inside, q, xp.full_like(q, 0.5))
    # the lower tail's probability qq and the upper's s: the one given is exact, the other
    # (1 - it) is exact wherever it is used (above 0.5, the search takes the other side)
    qq, s = (1 - given, given) if upper_tail else (given, 1 - given)
    upper = qq > 0.5
    # starting point: Wilson-Hilferty for a > 1, else the small-x series / exponential tail;
    # below both, the series x^a / Γ(a+1), a lower bound that is accurate while it is small
    lg = gammaln(a)
    z = xp.where(upper, -ndtri(s), ndtri(qq))
    wh = a * (1 - 1 / (9 * a) + z / (3 * xp.sqrt(a))) ** 3
    wh = xp.where(wh > 1e-3 * a, wh, 1e-3 * a)
    t = 1 - a * (0.253 + 0.12 * a)
    t = xp.where(t > 0.05, t, xp.full_like(t, 0.05))
    expo = xp.where(qq < t, xp.full_like(t, 2.0), 1 - xp.log(s / (1 - t)))  # >= 1 where used
    log_small = xp.where(qq < t, (xp.log(qq) - xp.log(t)) / a, xp.log(expo))
    log_series = (xp.log(qq) + gammaln(a + 1)) / a
    u0 = xp.where(a > 1, xp.log(wh), log_small)
    u0 = xp.where((log_series < math.log(0.1)) & ~upper, log_series, u0)
    # far in the upper tail (x well above a, where Wilson-Hilferty overshoots): Q(a, x) ~
    # x^(a-1) e^-x (1 + (a-1)/x) / Γ(a), solved for x by a few fixed-point steps
    far_l = -xp.log(s) - lg
    xa = xp.where(far_l > a + 1, far_l, a + 1)
    for _ in range(4):
        xa = far_l + (a - 1) * xp.log(xa) + xp.log1p((a - 1) / xa)
        xa = xp.where(xa > 1, xa, a + 1)  # (above 1, (a - 1) / xa stays above -1)
    # where the series holds: x above 2a, and above 2 (so never the stand-in a + 1)
    u0 = xp.where(upper & (xa > 2 * a) & (xa > 2), xp.log(xa), u0)
    tiny = xp.finfo(q.dtype).smallest_normal
    log_max = math.log(xp.finfo(q.dtype).max)
    target = xp.where(upper, s, qq)
    # a subnormal target (q below 2.2e-308) is met where the probability itself underflows:
    # there its logarithm comes from the series or continued fraction in logs (an eager
    # call only pays for them when such a target is present)
    in_logs = not b.values_known(target) or bool(xp.any(target < tiny))

    def resid(u: Any) -> tuple[Any, Any]:
        # log P(a, x) - log q in the lower half, log(1 - q) - log Q(a, x) in the upper, both
        # increasing in u = log x and computed without cancellation; P ~ x^a and Q ~ e^-x
        # make them nearly linear in the tails, where Newton then needs few steps
        x = xp.exp(xp.where(u < log_max, u, xp.full_like(u, log_max)))
        prob = xp.where(upper, gammaincc(a, x), gammainc(a, x))
        held = prob > tiny
        log_prob = xp.log(xp.where(held, prob, xp.full_like(prob, tiny)))
        if in_logs:
            log_prob = xp.where(held, log_prob, _log_gamma_tail(b, a, x, u, lg, upper))
            held = xp.isfinite(log_prob)
        logr = log_prob - xp.log(target)
        # the density over the probability, formed in logs (no underflow far in the tails);
        # where the probability underflowed, no slope: the bracket moves the point instead
        slope = xp.exp(a * u - x - lg - log_prob)
        slope = xp.where(held, slope, xp.zeros_like(slope))
        return xp.where(upper, -logr, logr), slope

    x = _exp(xp, _newton_log(b, resid, u0, NEWTON_STEPS))
    return edges(xp, q, x, *((math.inf, 0.0) if upper_tail else (0.0, math.inf)))


#: terms of the series and continued fraction in :func:`_log_gamma_tail`
_TAIL_TERMS = 48


def _log_gamma_tail(b: Any, a: Any, x: Any, u: Any, lg: Any, upper: Any) -> Any:
    """log Q(a, x) where ``upper``, else log P(a, x), for probabilities that underflow:
    P by its power series x^a e^-x / Γ(a+1) · Σ x^n / ((a+1)…(a+n)) (small x, where P
    underflows), Q by Legendre's continued fraction for Γ(a, x) (x > a + 1, where Q does),
    evaluated by the modified Lentz method; both summed in the working dtype and returned as
    logarithms, so nothing underflows. ``u`` is log x and ``lg`` log Γ(a). The loops are
    ``_loop``: one loop in a compiled program, not 48 copies."""
    xp = b.xp
    one = xp.ones_like(x)

    # series: the terms shrink by r = x / (a + n) < 1 (x < a + 1 where it is used); the rest
    # after the last, summed as a geometric series in the last ratio, is within a relative
    # r / ((1 - r)² (a + n)) of the exact rest (the ratios fall slowly when a is large)
    def series(n: Any, val: tuple[Any, Any]) -> tuple[Any, Any]:
        term, total = val
        term = term * x / (a + n)
        return term, total + term

    term, total = _loop(b, 1, _TAIL_TERMS, series, (one / a, one / a))
    r = x / (a + _TAIL_TERMS)
    total = total + term * r / (1 - xp.where(r < 1, r, xp.zeros_like(r)))
    log_p = a * u - x - lg + xp.log(total)
    # continued fraction (Numerical Recipes' gcf), on x > a + 1 only: a stand-in elsewhere
    xc = xp.where(x > a + 1, x, a + 2)
    floor = xp.finfo(x.dtype).smallest_normal * 1e3

    def lentz(i: Any, val: tuple[Any, Any, Any, Any]) -> tuple[Any, Any, Any, Any]:
        bb, c, d, h = val
        an = -i * (i - a)
        bb = bb + 2
        d = an * d + bb
        d = xp.where(xp.abs(d) < floor, floor * one, d)
        c = bb + an / c
        c = xp.where(xp.abs(c) < floor, floor * one, c)
        d = 1 / d
        return bb, c, d, h * d * c

    bb = xc + 1 - a
    *_, h = _loop(b, 1, _TAIL_TERMS, lentz, (bb, one / floor, 1 / bb, 1 / bb))
    log_q = a * xp.log(xc) - xc - lg + xp.log(h)
    log_q = xp.where(x > a + 1, log_q, xp.full_like(x, -math.inf))
    return xp.where(upper, log_q, xp.where(x < a + 1, log_p, xp.full_like(x, -math.inf)))


def t_ppf(b: Any, df: Any, q: Any) -> Any:
    """Quantile of the standard Student's t with ``df`` degrees of freedom."""
    xp = b.xp
    betainc, ndtri = special(b, "betainc"), special(b, "ndtri")
    inside = (q > 0) & (q < 1)
    qq = xp.where(inside, q, xp.full_like(q, 0.25))
    d = xp.abs(qq - 0.5)  # P(0 < T < |t|), exact where it is used (q in [0.25, 0.75])
    p = xp.where(qq < 0.5, qq, 1 - qq)  # P(T > |t|), exact
    # near the centre solve P(0 < T < t) = d, in the tails P(T > t) = p: each side of the
    # split computes the probability it matches without cancellation
    centre = d < 0.25
    nu = df
    half = xp.full_like(q, 0.5)
    a_ = xp.where(centre, half, nu / 2)
    b_ = xp.where(centre, nu / 2, half)
    target = xp.where(centre, d, p)
    safe_target = xp.where(target > 0, target, xp.ones_like(target))
    log_nu = xp.log(nu)
    log_f0 = -log_beta(xp, nu / 2, half) - 0.5 * log_nu  # log Γ((ν+1)/2) / (Γ(ν/2) √(νπ))

    def resid(u: Any) -> tuple[Any, Any]:
        # with v = log(t^2 / nu): t^2 / (nu + t^2) = sigmoid(v) and nu / (nu + t^2) =
        # sigmoid(-v), evaluated so that neither overflows for large |t| nor cancels
        v = 2 * u - log_nu
        e = xp.exp(-xp.abs(v))
        big, small = 1 / (1 + e), e / (1 + e)
        x_c = xp.where(v > 0, big, small)  # t^2 / (nu + t^2)
        x_t = xp.where(v > 0, small, big)  # nu / (nu + t^2)
        prob = 0.5 * betainc(a_, b_, xp.where(centre, x_c, x_t))
        safe = xp.where(prob > 0, prob, xp.full_like(prob, xp.finfo(q.dtype).smallest_normal))
        softplus = xp.where(v > 0, v, xp.zeros_like(v)) + xp.log1p(e)  # log1p(t^2 / nu)
        # far out (nu / (nu + t^2) below e^-36, where it underflows for t^2 > nu * 1e308:
        # df < 2 at q < 1e-300) the tail's own leading term, relative error O(that ratio):
        # log P(T > t) = log(1/2) + (nu/2) log(nu / (nu + t^2)) - log(nu/2) - log B(nu/2, 1/2)
        far = ~centre & (v > 36)
        log_far = nu / 2 * -softplus - math.log(2) - xp.log(nu / 2) + log_f0 + 0.5 * log_nu
        log_prob = xp.where(far, log_far, xp.log(safe))
        logr = log_prob - xp.log(safe_target)
        # t * density / probability: the derivative of log P in u = log t, formed in logs
        slope = xp.exp(log_f0 - (nu + 1) / 2 * softplus + u - log_prob)
        return xp.where(centre, logr, -logr), slope

    # starting point: the normal quantile with the first Cornish-Fisher terms, or far out
    # (t^2 well above nu) the power-law tail P(T > t) ~ f(0) nu^((nu-1)/2) t^-nu
    z = -ndtri(xp.where(p > 0, p, half))
    cf = z + (z**3 + z) / (4 * nu) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * nu * nu)
    log_c = log_f0 + (nu - 1) / 2 * log_nu
    log_tail = (log_c - xp.log(xp.where(p > 0, p, half))) / nu
    far = ~centre & (2 * log_tail > math.log(9) + log_nu)
    t0 = xp.where(cf > 0, cf, z)
    t0 = xp.where(t0 > 0, t0, xp.full_like(t0, 1e-3))
    u0 = xp.where(far, log_tail, xp.log(t0))
    t = _exp(xp, _newton_log(b, resid, u0, NEWTON_STEPS))
    # large ν: betainc(ν/2, ½, ν/(ν+t²)) loses ν·eps (see ``t._tail_forms``); Hill's expansion
    # P(T > t) = Φ(-y), y = g(w)·√w, w = (ν - ½)·log1p(t²/ν), inverted: w = (z / g(w))² by
    # fixed point (g = 1 + O(ν⁻²) barely moves), then t = √(ν·expm1(w / (ν - ½)))
    finite = xp.isfinite(nu)
    nuh = xp.where(finite, nu, xp.full_like(nu, 1e4))  # a stand-in where ν = ∞ (t = z)
    h = nuh - 0.5
    big = 48 * h * h
    w = z * z
    for _ in range(3):
        poly = (((-0.4 * w - 3.3) * w - 24) * w - 85.5) / (0.8 * w * w + 100 + big)
        w = (z / ((poly + w + 3) / big + 1)) ** 2
    t_hill = xp.where(finite, xp.sqrt(nuh * xp.expm1(w / h)), z)
    lim = 1e4 if q.dtype == xp.float64 else 1e2
    hill = ~(nu < lim) & (t_hill * t_hill <= 0.1 * nu) & (p > 0)
    t = xp.where(hill, t_hill, t)
    t = xp.where(d == 0, xp.zeros_like(t), t)
    return edges(xp, q, xp.where(qq < 0.5, -t, t), -math.inf, math.inf)


def discrete_ppf(
    b: Any,
    cdf: Any,
    q: Any,
    hi: Any,
    steps: int,
    at1: float,
    upper_tail: bool = False,
    sf: Any = None,
) -> Any:
    """Smallest integer k >= 0 with ``cdf(k) >= q``, by bisection on [-1, hi]; -1 at q = 0
    (SciPy's convention: below the support), ``at1`` at q = 1. With the survival function
    ``sf`` given, a q above ½ is compared as ``sf(k) <= 1 - q`` (exact there), so a cdf that
    rounds to q within its last bit does not stop the search one short (binom(1000, 0.3) at
    q = 1 - 2⁻⁵³: 423, whose cdf is the first at or above q; not 422, whose cdf rounds to q).

    ``upper_tail``: the inverse survival function instead, with ``cdf`` the survival
    function: the smallest k with ``sf(k) <= q`` (``at1`` at q = 0, -1 at q = 1), compared
    on the tail itself so that a small ``q`` is not lost to ``1 - q``.

    ``hi`` must reach ``q``; ``steps`` halvings must shrink ``hi + 1`` to 1.
    """
    xp = b.xp
    inside = (q > 0) & (q < 1)
    qq = xp.where(inside, q, xp.full_like(q, 0.5))
    lo = xp.full_like(q, -1.0)
    hi = xp.where(inside, hi, xp.zeros_like(hi))

    def halve(_i: Any, bracket: tuple[Any, Any]) -> tuple[Any, Any]:
        lo, hi = bracket
        mid = xp.floor((lo + hi) / 2)
        if upper_tail:
            above = cdf(mid) <= qq
        elif sf is None:
            above = cdf(mid) >= qq
        else:
            above = xp.where(qq > 0.5, sf(mid) <= 1 - qq, cdf(mid) >= qq)
        return xp.where(above, lo, mid), xp.where(above, mid, hi)

    # (the backend's loop: one loop in a compiled program, not ``steps`` copies of it)
    _, hi = _loop(b, 0, steps, halve, (lo, hi))
    return edges(xp, q, hi, *((at1, -1.0) if upper_tail else (-1.0, at1)))


def bisection_steps(top: float) -> int:
    """Halvings that shrink an integer bracket [-1, top] to width 1."""
    return max(1, math.ceil(math.log2(top + 2)))


def _bits(xp: Any, dtype: Any) -> int:
    """Significand bits of a float dtype (53 for float64, 24 for float32)."""
    return round(-math.log2(float(xp.finfo(dtype).eps))) + 1


def top(b: Any, value: Any, dtype: Any) -> float:
    """The largest value of a count parameter when it can be read (and finite), else the
    largest integer ``dtype`` holds exactly (traced or lazy parameters)."""
    if not hasattr(value, "shape"):
        return float(value)
    if b.is_concrete(value) and math.prod(value.shape) > 0:
        largest = float(b.xp.max(value))
        if math.isfinite(largest):
            return largest
    return float(2 ** _bits(b.xp, dtype))


def poisson_upper(xp: Any, mu: Any, q: Any, upper_tail: bool = False) -> Any:
    """An integer k with P(X <= k) >= q for X ~ Poisson(mu) (``upper_tail``: with
    P(X > k) <= q), from Bernstein's inequality P(X >= mu + t) <= exp(-t^2 / (2 (mu + t/3)))
    solved for the tail (1 - q, or q itself)."""
    inside = (q > 0) & (q < 1)
    qq = xp.where(inside, q, xp.full_like(q, 0.5))
    big_l = -xp.log(qq) if upper_tail else -xp.log1p(-qq)
    return xp.ceil(mu + big_l / 3 + xp.sqrt(big_l * big_l / 9 + 2 * mu * big_l))


def poisson_upper_bound(xp: Any, mu_max: float, dtype: Any, upper_tail: bool = False) -> float:
    """:func:`poisson_upper` for the smallest tail that ``dtype`` can ask for: 1 - q of a
    ``q < 1`` (2^-53 in float64), or (``upper_tail``) the smallest positive q (2^-1074)."""
    bits = _bits(xp, dtype)
    if upper_tail:  # the smallest subnormal: the smallest normal's exponent, less the bits
        bits += round(-math.log2(float(xp.finfo(dtype).smallest_normal))) - 1
    big_l = bits * math.log(2)
    return math.ceil(mu_max + big_l / 3 + math.sqrt(big_l * big_l / 9 + 2 * mu_max * big_l))
