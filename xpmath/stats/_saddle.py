"""Loader's saddle-point forms of the Poisson and binomial log-pmf.

``k log(mu) - mu - lgamma(k + 1)`` subtracts terms of size ``k log k`` to leave one of size
``log k``: at mu = k = 1e8 it keeps 8 digits, at 1e16 none (SciPy's own form loses the
same). Loader (2000, "Fast and accurate computation of binomial probabilities") writes the
pmf as Stirling's error terms and the deviance ``bd0``, each computed without that
cancellation, which keeps every digit at any size. Array-API code: every branch is computed
on safe stand-ins and chosen elementwise.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
#: Stirling's series 1/12, 1/360, 1/1260, 1/1680, 1/1188 (the coefficients of 1/n^(2j+1))
_S = (1 / 12, 1 / 360, 1 / 1260, 1 / 1680, 1 / 1188)
#: terms of the deviance's series: |v| < 0.1, so the 10th is 2e-19 of the first
_BD0_TERMS = 10


def stirlerr(xp: Any, lgamma: Callable[[Any], Any], n: Any) -> Any:
    """``log(n!) - log(sqrt(2 pi n) (n/e)**n)`` for real ``n > 0``: Stirling's series above
    15, ``lgamma`` directly below (where the terms it subtracts are below 30)."""
    small = n <= 15
    ns = xp.where(small, xp.full_like(n, 16.0), n)
    inv = 1 / ns
    inv2 = inv * inv  # (n² would overflow above 1e154)
    s0, s1, s2, s3, s4 = _S
    series = (s0 - (s1 - (s2 - (s3 - s4 * inv2) * inv2) * inv2) * inv2) * inv
    nd = xp.where(small & (n > 0), n, xp.ones_like(n))
    direct = lgamma(nd + 1) - (nd + 0.5) * xp.log(nd) + nd - _HALF_LOG_2PI
    return xp.where(small, direct, series)


def bd0(xp: Any, x: Any, m: Any) -> Any:
    """The deviance ``x log(x/m) + m - x`` (>= 0) for ``x >= 0``, ``m > 0``: by its series in
    ``v = (x - m)/(x + m)`` where ``x`` is within 10% of ``m`` (the terms cancel there)."""
    d = x - m
    total = x + m
    near = xp.abs(d) < 0.1 * total
    v = xp.where(near, d / xp.where(near, total, xp.ones_like(total)), xp.zeros_like(d))
    s = d * v
    ej = 2 * x * v
    v2 = v * v
    for j in range(1, _BD0_TERMS + 1):
        ej = ej * v2
        s = s + ej / (2 * j + 1)
    pos = x > 0
    xs = xp.where(pos, x, xp.ones_like(x))
    ms = xp.where(m > 0, m, xp.ones_like(m))
    log_diff = xp.log(xs) - xp.log(ms)
    ok = xp.abs(log_diff) < 80  # (x/m itself, one rounding, where no float over/underflows)
    safe = xp.where(ok, xs, xp.ones_like(xs)) / xp.where(ok, ms, xp.ones_like(ms))
    log_ratio = xp.where(ok, xp.log(safe), log_diff)
    far = xp.where(pos, x * log_ratio, xp.zeros_like(x)) + m - x
    return xp.where(near, s, far)


def poisson_logpmf(xp: Any, lgamma: Callable[[Any], Any], k: Any, mu: Any) -> Any:
    """``log P(X = k)`` for X ~ Poisson(mu), integer ``k >= 0`` and ``mu >= 0`` (finite)."""
    inner = (k > 0) & (mu > 0)
    ks = xp.where(inner, k, xp.ones_like(k))
    mus = xp.where(inner, mu, xp.ones_like(mu))
    saddle = -stirlerr(xp, lgamma, ks) - bd0(xp, ks, mus) - (_HALF_LOG_2PI + 0.5 * xp.log(ks))
    edge = xp.where(k == 0, -mu, xp.full_like(k, -math.inf))  # (mu = 0: only k = 0)
    return xp.where(inner, saddle, edge)


def binom_logpmf(
    xp: Any, lgamma: Callable[[Any], Any], xlogy: Any, xlog1py: Any, k: Any, n: Any, p: Any
) -> Any:
    """``log P(X = k)`` for X ~ Binomial(n, p), integer ``0 <= k <= n`` and ``p`` in [0, 1]:
    ``k = 0`` and ``k = n`` (and p = 0 or 1) in closed form, the rest by the saddle point."""
    q = 1 - p
    inner = (k > 0) & (k < n) & (p > 0) & (q > 0)
    ks = xp.where(inner, k, xp.ones_like(k))
    ns = xp.where(inner, n, xp.full_like(n, 2.0))
    ps = xp.where(inner, p, xp.full_like(p, 0.5))
    qs = 1 - ps
    rest = ns - ks
    lc = (
        stirlerr(xp, lgamma, ns)
        - stirlerr(xp, lgamma, ks)
        - stirlerr(xp, lgamma, rest)
        - bd0(xp, ks, ns * ps)
        - bd0(xp, rest, ns * qs)
    )
    # log((n - k)/n) from the nearer of k and n - k: log1p(-k/n) would lose the digits of
    # 1 - k/n where k is close to n (1e-8 relative at n = 1e8, k = n - 1)
    log_rest = xp.where(2 * ks <= ns, xp.log1p(-ks / ns), xp.log(rest / ns))
    saddle = lc - 0.5 * (2 * _HALF_LOG_2PI + xp.log(ks) + log_rest)
    # the ends: (1 - p)^n and p^n, exactly 0 or 1 where p is 0 or 1
    at_zero = xlog1py(n, -p)
    at_n = xlogy(n, p)
    edge = xp.where(k == 0, at_zero, xp.where(k == n, at_n, xp.full_like(k, -math.inf)))
    return xp.where(inner, saddle, edge)
