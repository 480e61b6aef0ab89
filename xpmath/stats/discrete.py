"""Discrete distributions: Bernoulli, binomial, Poisson.

Each is a frozen object (``stats.binom(n, p).pmf(k)``) whose methods also take SciPy's
class-level form (``stats.binom.pmf(k, n, p)``); ``loc`` shifts the support as in SciPy.
"""

from __future__ import annotations

import functools
import math
from typing import Any

from ..random._params import check_param
from ..random.generator import Generator
from . import _quantiles as quantiles
from . import _saddle as saddle
from ._frozen import Distribution, param_like, safe_log

__all__ = ["bernoulli", "binom", "poisson"]


class _Discrete(Distribution):
    """Public methods shift ``k`` by ``loc`` and call the unshifted ``_pmf``/``_cdf``/``_sf``."""

    discrete = True
    loc: Any = 0.0

    def _x(self, x: Any, func: str) -> tuple[Any, Any, Any]:
        """The argument, broadcast against the parameters that are arrays (the methods fill
        parameters to its shape with :func:`_fill`)."""
        b, xp, x = super()._x(x, func)
        arrays = self._arrays()
        if arrays:
            x = xp.broadcast_arrays(x, *arrays)[0]
        return b, xp, x

    def _k(self, k: Any, func: str) -> tuple[Any, Any, Any]:
        b, xp, k = self._x(k, func)
        return b, xp, k - self.loc

    def logpmf(self, k: Any) -> Any:
        b, xp, k = self._k(k, "logpmf")
        return _nan_at(xp, k, self._logpmf(b, xp, k))

    def pmf(self, k: Any) -> Any:
        b, xp, k = self._k(k, "pmf")
        return _nan_at(xp, k, xp.exp(self._logpmf(b, xp, k)))

    def cdf(self, k: Any) -> Any:
        b, xp, k = self._k(k, "cdf")
        return _nan_at(xp, k, self._cdf(b, xp, k))

    def sf(self, k: Any) -> Any:
        b, xp, k = self._k(k, "sf")
        return _nan_at(xp, k, self._sf(b, xp, k))

    def _logpmf(self, b: Any, xp: Any, k: Any) -> Any:
        raise NotImplementedError

    def _cdf(self, b: Any, xp: Any, k: Any) -> Any:
        raise NotImplementedError

    def _sf(self, b: Any, xp: Any, k: Any) -> Any:
        raise NotImplementedError


class bernoulli(_Discrete):
    """Bernoulli distribution: ``loc + 1`` with probability ``p``, else ``loc``.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> stats.bernoulli(0.7).pmf(np.array([0.0, 1.0, 2.0]))
    array([0.3, 0.7, 0. ])
    >>> stats.bernoulli(0.7).ppf(np.array([0.0, 0.3, 0.5, 1.0]))
    array([-1.,  0.,  1.,  1.])
    >>> stats.bernoulli.pmf(np.array([0.0, 1.0]), 0.7)  # SciPy's class-level form
    array([0.3, 0.7])
    """

    name = "bernoulli"
    scipy_params = ("p", "loc")

    def __init__(self, p: Any, loc: Any = 0.0) -> None:
        self.p = check_param(p, "p", "bernoulli", low=0.0, high=1.0)
        self.loc = check_param(loc, "loc", "bernoulli")

    def _pmf(self, xp: Any, k: Any) -> Any:
        one, zero = _fill(xp, self.p, k), _fill(xp, 1 - self.p, k)
        return xp.where(k == 1, one, xp.where(k == 0, zero, xp.zeros_like(k)))

    def _logpmf(self, b: Any, xp: Any, k: Any) -> Any:
        return safe_log(xp, self._pmf(xp, k))

    def pmf(self, k: Any) -> Any:
        _b, xp, k = self._k(k, "pmf")
        return _nan_at(xp, k, self._pmf(xp, k))  # exactly p and 1 - p, not exp(log(p))

    def _cdf(self, b: Any, xp: Any, k: Any) -> Any:
        return xp.where(
            k < 0,
            xp.zeros_like(k),
            xp.where(k < 1, _fill(xp, 1 - self.p, k), xp.ones_like(k)),
        )

    def _sf(self, b: Any, xp: Any, k: Any) -> Any:
        return 1 - self._cdf(b, xp, k)

    def ppf(self, q: Any) -> Any:
        """Smallest k with ``cdf(k) >= q``; ``loc - 1`` at q = 0 (as SciPy), NaN outside
        [0, 1]."""
        _b, xp, q = self._x(q, "ppf")
        k = xp.where(q <= 1 - self.p, xp.zeros_like(q), xp.ones_like(q))
        return quantiles.edges(xp, q, k, -1.0, 1.0) + self.loc

    def isf(self, q: Any) -> Any:
        """Smallest k with ``sf(k) <= q``: ``loc`` where ``q >= p``, else ``loc + 1``;
        ``loc + 1`` at q = 0, ``loc - 1`` at q = 1 (as SciPy), NaN outside [0, 1]."""
        _b, xp, q = self._x(q, "isf")
        k = xp.where(q >= self.p, xp.zeros_like(q), xp.ones_like(q))
        return quantiles.edges(xp, q, k, 1.0, -1.0) + self.loc

    def mean(self) -> Any:
        return self.p + self.loc

    def var(self) -> Any:
        return self.p * (1 - self.p)

    def sample(self, rng: Generator, size: Any = None) -> Any:
        self._check_rng(rng)
        draws = rng.bernoulli(self.p, size)
        return _shift(rng, draws, self.loc)


class binom(_Discrete):
    """Binomial distribution: successes in ``n`` trials of probability ``p`` (plus ``loc``).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> round(float(stats.binom(10, 0.3).pmf(np.array(3.0))), 6)
    0.266828
    >>> stats.binom(10, 0.3).ppf(np.array([0.1, 0.5, 0.9]))
    array([1., 3., 5.])
    >>> round(float(stats.binom.cdf(np.array(3.0), 10, 0.3)), 6)  # SciPy's class-level form
    0.649611
    >>> stats.binom(10, 0.3).isf(np.array([0.5, 1e-9]))  # smallest k with sf(k) <= q
    array([ 3., 10.])
    """

    name = "binom"
    scipy_params = ("n", "p", "loc")

    def __init__(self, n: Any, p: Any, loc: Any = 0.0) -> None:
        self.n = check_param(n, "n", "binom", low=0.0, finite=True)
        self.p = check_param(p, "p", "binom", low=0.0, high=1.0)
        self.loc = check_param(loc, "loc", "binom")

    def _logpmf(self, b: Any, xp: Any, k: Any) -> Any:
        n = _fill(xp, self.n, k)
        valid = (k >= 0) & (k <= n) & (k == xp.floor(k))
        ks = xp.where(valid, k, xp.zeros_like(k))
        p = _fill(xp, self.p, k)
        sp = functools.partial(self._sp, b)
        out = saddle.binom_logpmf(xp, sp("gammaln"), sp("xlogy"), sp("xlog1py"), ks, n, p)
        return xp.where(valid, out, xp.full_like(k, -xp.inf))

    def _cdf(self, b: Any, xp: Any, k: Any) -> Any:
        kf = xp.floor(k)
        inner = (kf >= 0) & (kf < self.n)
        ks = xp.where(inner, kf, xp.zeros_like(kf))
        val = self._sp(b, "betainc")(self.n - ks, ks + 1, _fill(xp, 1 - self.p, ks))
        return xp.where(kf < 0, xp.zeros_like(k), xp.where(inner, val, xp.ones_like(k)))

    def _sf(self, b: Any, xp: Any, k: Any) -> Any:
        kf = xp.floor(k)
        inner = (kf >= 0) & (kf < self.n)
        ks = xp.where(inner, kf, xp.zeros_like(kf))
        val = self._sp(b, "betainc")(ks + 1, self.n - ks, _fill(xp, self.p, ks))
        return xp.where(kf < 0, xp.ones_like(k), xp.where(inner, val, xp.zeros_like(k)))

    def ppf(self, q: Any) -> Any:
        """Smallest k with ``cdf(k) >= q``, by bisection on [0, n]; ``loc - 1`` at q = 0 (as
        SciPy), ``n + loc`` at q = 1, NaN outside [0, 1]."""
        b, xp, q = self._x(q, "ppf")
        n, q = self._param_like(xp, self.n, q)
        steps = quantiles.bisection_steps(quantiles.top(b, self.n, q.dtype))
        with quantiles.quiet():
            cdf = lambda m: self._cdf(b, xp, m)  # noqa: E731
            sf = lambda m: self._sf(b, xp, m)  # noqa: E731
            k = quantiles.discrete_ppf(b, cdf, q, n, steps, n, sf=sf)
        return k + self.loc

    def isf(self, q: Any) -> Any:
        """Smallest k with ``sf(k) <= q``, by bisection on [0, n] comparing the upper tail
        itself; ``n + loc`` at q = 0, ``loc - 1`` at q = 1 (as SciPy), NaN outside [0, 1]."""
        b, xp, q = self._x(q, "isf")
        n, q = self._param_like(xp, self.n, q)
        steps = quantiles.bisection_steps(quantiles.top(b, self.n, q.dtype))
        sf = lambda m: self._sf(b, xp, m)  # noqa: E731
        with quantiles.quiet():
            k = quantiles.discrete_ppf(b, sf, q, n, steps, n, upper_tail=True)
        return k + self.loc

    def mean(self) -> Any:
        return self.n * self.p + self.loc

    def var(self) -> Any:
        return self.n * self.p * (1 - self.p)

    def sample(self, rng: Generator, size: Any = None) -> Any:
        self._check_rng(rng)
        draws = rng.binomial(self.n, self.p, size)
        return _shift(rng, draws, self.loc)


class poisson(_Discrete):
    """Poisson distribution with rate ``mu`` (plus ``loc``).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> round(float(stats.poisson(5.0).pmf(np.array(5.0))), 6)
    0.175467
    >>> stats.poisson(5.0).ppf(np.array([0.1, 0.5, 0.9]))
    array([2., 5., 8.])
    >>> round(float(stats.poisson.pmf(np.array(3.0), 3.5)), 6)  # SciPy's class-level form
    0.215785
    >>> stats.poisson(5.0).isf(np.array([0.5, 1e-300]))  # finite however small q is
    array([  5., 238.])
    """

    name = "poisson"
    scipy_params = ("mu", "loc")

    def __init__(self, mu: Any, loc: Any = 0.0) -> None:
        self.mu = check_param(mu, "mu", "poisson", low=0.0, finite=True)
        self.loc = check_param(loc, "loc", "poisson")

    def _logpmf(self, b: Any, xp: Any, k: Any) -> Any:
        valid = (k >= 0) & (k == xp.floor(k))
        ks = xp.where(valid, k, xp.zeros_like(k))
        out = saddle.poisson_logpmf(xp, self._sp(b, "gammaln"), ks, _fill(xp, self.mu, k))
        return xp.where(valid, out, xp.full_like(k, -xp.inf))

    def _cdf(self, b: Any, xp: Any, k: Any) -> Any:
        kf = xp.floor(k)
        ks = xp.where(kf >= 0, kf, xp.zeros_like(kf))
        val = self._sp(b, "gammaincc")(ks + 1, _fill(xp, self.mu, ks))
        val = xp.where(kf == xp.inf, xp.ones_like(k), val)  # (JAX's gammaincc(inf, mu) is NaN)
        return xp.where(kf < 0, xp.zeros_like(k), val)

    def _sf(self, b: Any, xp: Any, k: Any) -> Any:
        kf = xp.floor(k)
        ks = xp.where(kf >= 0, kf, xp.zeros_like(kf))
        val = self._sp(b, "gammainc")(ks + 1, _fill(xp, self.mu, ks))
        val = xp.where(kf == xp.inf, xp.zeros_like(k), val)
        return xp.where(kf < 0, xp.ones_like(k), val)

    def ppf(self, q: Any) -> Any:
        """Smallest k with ``cdf(k) >= q``, by bisection below Bernstein's tail bound;
        ``loc - 1`` at q = 0 (as SciPy), inf at q = 1, NaN outside [0, 1]."""
        b, xp, q = self._x(q, "ppf")
        mu, q = self._param_like(xp, self.mu, q)
        with quantiles.quiet():
            hi = quantiles.poisson_upper(xp, mu, q)
            top = quantiles.top(b, self.mu, q.dtype)
            steps = quantiles.bisection_steps(quantiles.poisson_upper_bound(xp, top, q.dtype))
            cdf = lambda m: self._cdf(b, xp, m)  # noqa: E731
            sf = lambda m: self._sf(b, xp, m)  # noqa: E731
            k = quantiles.discrete_ppf(b, cdf, q, hi, steps, math.inf, sf=sf)
        return k + self.loc

    def isf(self, q: Any) -> Any:
        """Smallest k with ``sf(k) <= q``, by bisection below Bernstein's bound for the tail
        ``q`` itself (finite for any q > 0, 1e-300 included); inf at q = 0, ``loc - 1`` at
        q = 1 (as SciPy), NaN outside [0, 1]."""
        b, xp, q = self._x(q, "isf")
        mu, q = self._param_like(xp, self.mu, q)
        with quantiles.quiet():
            hi = quantiles.poisson_upper(xp, mu, q, upper_tail=True)
            top = quantiles.top(b, self.mu, q.dtype)
            bound = quantiles.poisson_upper_bound(xp, top, q.dtype, upper_tail=True)
            sf = lambda m: self._sf(b, xp, m)  # noqa: E731
            k = quantiles.discrete_ppf(
                b, sf, q, hi, quantiles.bisection_steps(bound), math.inf, upper_tail=True
            )
        return k + self.loc

    def mean(self) -> Any:
        return self.mu + self.loc

    def var(self) -> Any:
        return self.mu

    def sample(self, rng: Generator, size: Any = None) -> Any:
        self._check_rng(rng)
        draws = rng.poisson(self.mu, size)
        return _shift(rng, draws, self.loc)


def _nan_at(xp: Any, k: Any, out: Any) -> Any:
    """``out``, NaN where the point ``k`` is NaN (as SciPy; the formulas' comparisons would
    read a NaN as outside the support)."""
    return xp.where(xp.isnan(k), k, out)


def _fill(xp: Any, value: Any, like: Any) -> Any:
    """A parameter as an array of the shape and dtype of ``like``, the point already broadcast
    against the array parameters (``_Discrete._x``): never a read of its values."""
    return param_like(xp, value, like)[0]


def _shift(rng: Generator, draws: Any, loc: Any) -> Any:
    """Draws plus ``loc``: integer draws stay integers for a whole-number ``loc`` (as SciPy)."""
    if not hasattr(loc, "shape"):
        if loc == 0:
            return draws
        if float(loc).is_integer():
            return draws + int(loc)
    xp = rng.backend.xp
    return xp.astype(draws, rng.backend.default_float()) + loc
