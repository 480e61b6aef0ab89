"""``default_rng``: one Generator API whose stream lives on the backend."""

from __future__ import annotations

import math
import numbers
from typing import Any

from .._backends.random_engines import engine_class
from .._capabilities import routine
from .._dispatch import default_backend, placed_like
from .._errors import InvalidArgumentError, ShapeError
from .._validate import check_int
from ._params import Size, check_param, draw_shape, dtype_bound_error, seed_value, shown

__all__ = ["Generator", "default_rng"]


#: the largest trial count an int64 draw holds (the float below 2**63)
_INT64_FLOAT_MAX = math.nextafter(2.0**63, 0.0)
#: the largest Poisson rate whose draws stay below 2**63 (NumPy's limit, on every backend)
POISSON_LAM_MAX = 9.223372006484771e18


class Generator:
    """Random numbers on one backend (and device), reproducible from a seed.

    Create with :func:`default_rng`. Every method returns arrays of the generator's backend;
    ``dtype`` defaults to the backend's default float. The same seed gives the same numbers
    on the same backend, every run; different backends have different streams.
    """

    def __init__(self, backend: Any, engine: Any) -> None:
        self.backend = backend
        self._engine = engine

    def __repr__(self) -> str:
        return f"Generator(backend={self.backend.name!r})"

    def _dtype(self, dtype: Any, func: str = "Generator") -> Any:
        if dtype is None:
            return self.backend.default_float()
        return self.backend.request_dtype(dtype, func, "real floating")

    def _int_dtype(self, dtype: Any, func: str) -> Any:
        if dtype is None:
            return self.backend.default_int()
        return self.backend.request_dtype(dtype, func, "integral")

    def _int_limits(self, dt: Any) -> tuple[int, int]:
        info = self.backend.xp.iinfo(dt)
        return int(info.min), int(info.max)

    def _held_by(self, dt: Any, value: Any, arg: str, func: str, bound: float) -> None:
        """Refuse a parameter whose draws ``dt`` cannot hold (at most ``bound``)."""
        try:
            check_param(value, arg, func, high=bound)
        except InvalidArgumentError:
            got = shown(value)
            raise dtype_bound_error(self.backend, func, arg, f"<= {bound:.10g}", got, dt) from None

    def random(self, size: Size = None, *, dtype: Any = None) -> Any:
        """Uniform floats in [0, 1).

        Examples
        --------
        >>> from xpmath import random
        >>> x = random.default_rng(0, backend="numpy").random(3)
        >>> bool(((0 <= x) & (x < 1)).all())
        True
        """
        return self._engine.random(draw_shape(size, "random"), self._dtype(dtype, "random"))

    def uniform(
        self, low: Any = 0.0, high: Any = 1.0, size: Size = None, *, dtype: Any = None
    ) -> Any:
        """Uniform floats in [low, high).

        Examples
        --------
        >>> from xpmath import random
        >>> x = random.default_rng(0, backend="numpy").uniform(-2.0, 2.0, 1000)
        >>> bool((x.min() >= -2) & (x.max() < 2))
        True
        """
        low = check_param(low, "low", "uniform", owner=self.backend)
        high = check_param(high, "high", "uniform", owner=self.backend)
        if isinstance(low, float) and isinstance(high, float) and not high > low:
            raise InvalidArgumentError(f"uniform: high must be > low; got low={low}, high={high}")
        dtype = self._dtype(dtype, "uniform")
        return low + (high - low) * self.random(draw_shape(size, "uniform", low, high), dtype=dtype)

    def standard_normal(self, size: Size = None, *, dtype: Any = None) -> Any:
        """Standard normal draws.

        Examples
        --------
        >>> from xpmath import random
        >>> random.default_rng(0, backend="numpy").standard_normal((2, 3)).shape
        (2, 3)
        """
        shape = draw_shape(size, "standard_normal")
        return self._engine.standard_normal(shape, self._dtype(dtype, "standard_normal"))

    def normal(
        self, loc: Any = 0.0, scale: Any = 1.0, size: Size = None, *, dtype: Any = None
    ) -> Any:
        """Normal draws with mean ``loc`` and standard deviation ``scale`` (≥ 0).

        Examples
        --------
        >>> from xpmath import random
        >>> x = random.default_rng(0, backend="numpy").normal(5.0, 2.0, 100_000)
        >>> round(float(x.mean()), 1), round(float(x.std()), 1)
        (5.0, 2.0)
        """
        loc = check_param(loc, "loc", "normal", owner=self.backend)
        scale = check_param(scale, "scale", "normal", low=0.0, owner=self.backend)
        dtype = self._dtype(dtype, "normal")
        shape = draw_shape(size, "normal", loc, scale)
        return loc + scale * self.standard_normal(shape, dtype=dtype)

    def integers(
        self, low: int, high: int | None = None, size: Size = None, *, dtype: Any = None
    ) -> Any:
        """Integers in [low, high) (or [0, low) when ``high`` is None).

        ``high`` may be one past ``dtype``'s largest value; bounds beyond the dtype's range
        raise :class:`xpmath.InvalidArgumentError` (the backend's default integer dtype is
        int32 on JAX without 64-bit types).

        Examples
        --------
        >>> from xpmath import random
        >>> x = random.default_rng(0, backend="numpy").integers(1, 7, 100)
        >>> int(x.min()) >= 1 and int(x.max()) <= 6
        True
        """
        if high is None:
            low, high = 0, low
        low = check_int(low, "low", "integers")
        high = check_int(high, "high", "integers")
        if high <= low:
            raise InvalidArgumentError(f"integers: high must be > low; got [{low}, {high})")
        dt = self._int_dtype(dtype, "integers")
        lo, hi = self._int_limits(dt)
        if low < lo:
            raise dtype_bound_error(self.backend, "integers", "low", f">= {lo}", low, dt)
        if high - 1 > hi:
            raise dtype_bound_error(self.backend, "integers", "high", f"<= {hi + 1}", high, dt)
        return self._engine.integers(low, high, draw_shape(size, "integers"), dt)

    def gamma(self, shape: Any, scale: Any = 1.0, size: Size = None, *, dtype: Any = None) -> Any:
        """Gamma draws with shape k > 0 and scale θ > 0 (mean kθ, variance kθ²).

        Examples
        --------
        >>> from xpmath import random
        >>> x = random.default_rng(0, backend="numpy").gamma(2.0, 3.0, 100_000)
        >>> round(float(x.mean()), 1)
        6.0
        """
        k = check_param(shape, "shape", "gamma", low=0.0, strict_low=True, owner=self.backend)
        scale = check_param(scale, "scale", "gamma", low=0.0, strict_low=True, owner=self.backend)
        dt = self._dtype(dtype, "gamma")
        return scale * self._engine.standard_gamma(k, draw_shape(size, "gamma", k, scale), dt)

    def beta(self, a: Any, b: Any, size: Size = None, *, dtype: Any = None) -> Any:
        """Beta(a, b) draws, as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).

        Examples
        --------
        >>> from xpmath import random
        >>> x = random.default_rng(0, backend="numpy").beta(2.0, 6.0, 100_000)
        >>> round(float(x.mean()), 2)
        0.25
        """
        a = check_param(a, "a", "beta", low=0.0, strict_low=True, owner=self.backend)
        b = check_param(b, "b", "beta", low=0.0, strict_low=True, owner=self.backend)
        dtype = self._dtype(dtype, "beta")
        shape = draw_shape(size, "beta", a, b)
        x = self.gamma(a, 1.0, shape, dtype=dtype)
        y = self.gamma(b, 1.0, shape, dtype=dtype)
        return x / (x + y)

    def exponential(self, scale: Any = 1.0, size: Size = None, *, dtype: Any = None) -> Any:
        """Exponential draws with mean ``scale`` > 0 (inverse CDF of a uniform).

        Examples
        --------
        >>> from xpmath import random
        >>> x = random.default_rng(0, backend="numpy").exponential(2.0, 100_000)
        >>> round(float(x.mean()), 1)
        2.0
        """
        scale = check_param(
            scale, "scale", "exponential", low=0.0, strict_low=True, owner=self.backend
        )
        shape = draw_shape(size, "exponential", scale)
        u = self.random(shape, dtype=self._dtype(dtype, "exponential"))
        return -scale * self.backend.xp.log1p(-u)

    def bernoulli(self, p: Any = 0.5, size: Size = None, *, dtype: Any = None) -> Any:
        """0/1 draws that are 1 with probability ``p`` ∈ [0, 1].

        Examples
        --------
        >>> from xpmath import random
        >>> x = random.default_rng(0, backend="numpy").bernoulli(0.7, 100_000)
        >>> round(float(x.mean()), 2)
        0.7
        """
        p = check_param(p, "p", "bernoulli", low=0.0, high=1.0, owner=self.backend)
        u = self.random(draw_shape(size, "bernoulli", p), dtype=self._dtype(dtype, "bernoulli"))
        return self.backend.xp.astype(u < p, u.dtype)

    def binomial(self, n: Any, p: Any, size: Size = None, *, dtype: Any = None) -> Any:
        """Number of successes in ``n`` ≥ 0 trials with success probability ``p`` ∈ [0, 1]
        (``n`` at most ``dtype``'s largest value, else :class:`xpmath.InvalidArgumentError`).

        Examples
        --------
        >>> from xpmath import random
        >>> x = random.default_rng(0, backend="numpy").binomial(10, 0.3, 100_000)
        >>> round(float(x.mean()), 1)
        3.0
        """
        n = check_param(n, "n", "binomial", low=0.0, high=_INT64_FLOAT_MAX, owner=self.backend)
        p = check_param(p, "p", "binomial", low=0.0, high=1.0, owner=self.backend)
        dt = self._int_dtype(dtype, "binomial")
        top = self._int_limits(dt)[1]
        if top < _INT64_FLOAT_MAX:
            self._held_by(dt, n, "n", "binomial", top)
        return self._engine.binomial(n, p, draw_shape(size, "binomial", n, p), dt)

    def poisson(self, lam: Any = 1.0, size: Size = None, *, dtype: Any = None) -> Any:
        """Poisson draws with rate ``lam`` ≥ 0 (at most ten deviations below ``dtype``'s
        largest value, else :class:`xpmath.InvalidArgumentError`).

        Examples
        --------
        >>> from xpmath import random
        >>> x = random.default_rng(0, backend="numpy").poisson(5.0, 100_000)
        >>> round(float(x.mean()), 1)
        5.0
        """
        lam = check_param(lam, "lam", "poisson", low=0.0, high=POISSON_LAM_MAX, owner=self.backend)
        dt = self._int_dtype(dtype, "poisson")
        top = self._int_limits(dt)[1]
        bound = top - 10 * math.sqrt(top)  # (NumPy's rule for int64: ten deviations of room)
        if bound < POISSON_LAM_MAX:
            self._held_by(dt, lam, "lam", "poisson", bound)
        shape = draw_shape(size, "poisson", lam)
        return self._engine.poisson(lam, shape, dt)

    def permutation(self, x: Any) -> Any:
        """A random permutation of ``range(x)`` (int) or of an array's first axis.

        Examples
        --------
        >>> from xpmath import random
        >>> sorted(random.default_rng(0, backend="numpy").permutation(5).tolist())
        [0, 1, 2, 3, 4]
        """
        if isinstance(x, numbers.Integral) and not isinstance(x, bool):
            return self._engine.permutation(check_int(x, "x", "permutation", minimum=0))
        if not hasattr(x, "shape") or x.ndim == 0:
            raise ShapeError("permutation: x must be an int or an array with at least one axis")
        idx = self._engine.permutation(x.shape[0])
        where = placed_like(x)
        if where:  # the engine draws on its own device; the indices go where x is
            idx = self.backend.asarray(idx, **where)
        return self.backend.xp.take(x, idx, axis=0)

    def choice(self, a: Any, size: Size = None, *, replace: bool = True, p: Any = None) -> Any:
        """Draw from ``range(a)`` (int) or from a 1-D array, with or without replacement.

        With ``p`` (probabilities summing to 1) draws are by inverse CDF; without
        replacement requires ``p`` to be None.

        Examples
        --------
        >>> import numpy as np
        >>> from xpmath import random
        >>> rng = random.default_rng(0, backend="numpy")
        >>> x = rng.choice(np.array([10, 20, 30]), 1000, p=np.array([0.0, 0.5, 0.5]))
        >>> sorted(set(x.tolist()))
        [20, 30]
        """
        xp = self.backend.xp
        if isinstance(a, numbers.Integral) and not isinstance(a, bool):
            n = check_int(a, "a", "choice", minimum=1)
            pool = None
        else:
            if not hasattr(a, "shape") or a.ndim != 1 or a.shape[0] == 0:
                raise ShapeError("choice: a must be a positive int or a non-empty 1-D array")
            n, pool = a.shape[0], a
        shape = draw_shape(size, "choice")
        count = math.prod(shape)
        if not replace:
            if p is not None:
                raise InvalidArgumentError("choice: p is not supported with replace=False")
            if count > n:
                raise InvalidArgumentError(
                    f"choice: cannot take {count} samples from {n} without replacement"
                )
            idx = xp.reshape(self._engine.permutation(n)[:count], shape)
        elif p is None:
            idx = self.integers(0, n, shape)
        else:
            p = check_param(p, "p", "choice", low=0.0, high=1.0, owner=self.backend)
            if not hasattr(p, "shape") or tuple(p.shape) != (n,):
                raise ShapeError(f"choice: p must be a 1-D array of length {n}")
            cdf = xp.cumulative_sum(xp.astype(p, self.backend.default_float()))
            u = self.random(shape)
            where = placed_like(cdf)
            if where:  # the engine draws on its own device; the draws go where p is
                u = self.backend.asarray(u, **where)
            u = u * cdf[-1]
            idx = xp.reshape(xp.searchsorted(cdf, xp.reshape(u, (-1,)), side="right"), shape)
            idx = xp.minimum(idx, xp.asarray(n - 1, dtype=idx.dtype))
        if pool is None:
            return idx
        where = placed_like(pool)
        if where:
            idx = self.backend.asarray(idx, **where)
        return xp.take(pool, xp.reshape(idx, (-1,)), axis=0)

    def spawn(self, n: int) -> list[Generator]:
        """``n`` independent child generators (for parallel streams).

        Examples
        --------
        >>> from xpmath import random
        >>> a, b = random.default_rng(0, backend="numpy").spawn(2)
        >>> bool(a.random() != b.random())
        True
        """
        n = check_int(n, "n", "spawn", minimum=1)
        return [Generator(self.backend, e) for e in self._engine.spawn(n)]


@routine("random.default_rng", jit_safe=False, note="stateful; inside jit use random.key")
def default_rng(seed: Any = None, *, backend: str | None = None, device: Any = None) -> Generator:
    """A :class:`Generator` whose stream lives on ``backend`` (and ``device``).

    NumPy's ``Generator`` (PCG64), CuPy's generator on the GPU, a JAX key split before every
    draw (the caller never handles keys), a ``torch.Generator`` on the tensor's device,
    ``dask.array.random`` for lazy chunked draws.

    Parameters
    ----------
    seed : int or sequence of int, optional
        Seed; None draws fresh entropy. A non-negative int of any size, or a sequence of them
        (a list, tuple or 1-D integer array), is entropy as NumPy's ``SeedSequence`` takes it
        (the same stream as ``numpy.random.default_rng(seed)`` on NumPy). On JAX a key from
        :func:`key` is also accepted; an int seeds the key ``jax.random.key`` makes with
        64-bit types on, whether they are on or not.
    backend : str, optional
        The backend; the current default otherwise.
    device : optional
        Device for the draws (``"cuda:0"``, a JAX device...).

    Returns
    -------
    Generator

    Examples
    --------
    >>> from xpmath import random
    >>> a = random.default_rng(42, backend="numpy").normal(size=3)
    >>> b = random.default_rng(42, backend="numpy").normal(size=3)
    >>> bool((a == b).all())
    True
    """
    b = default_backend(backend)
    engine_cls = engine_class(b)
    seed = seed_value(seed, b.name, engine_cls.takes_key)
    dev = b.resolve_device(device) if device is not None else None
    return Generator(b, engine_cls(b, seed, dev))
