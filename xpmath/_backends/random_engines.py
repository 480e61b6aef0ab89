"""Per-backend random streams. Each engine draws the few primitive distributions a backend
provides natively (uniform, normal, integers, gamma, binomial, poisson, permutation) on the
backend's device; :class:`xpmath.random.Generator` builds everything else from these.

A backend names its engine in ``Backend.random_engine`` (a class name here); the engines live
beside the backends because each knows its library's random API.
"""

from __future__ import annotations

from typing import Any


def engine_class(b: Any) -> type:
    """The engine class backend ``b`` names."""
    return globals()[b.random_engine]


def _numpy_dtype(dtype: Any) -> Any:
    import numpy as np

    try:
        return np.dtype(dtype)
    except TypeError:  # (array_api_strict's dtypes: by name)
        return np.dtype(str(dtype).rsplit(".", 1)[-1])


def _up_to_the_top(draw: Any, b: Any, low: int, high: int, dtype: Any) -> Any:
    """``draw(lo, hi)``'s integers in [low, high) where ``high`` may be one past the dtype's
    largest value, which ``draw``'s exclusive bound cannot name (JAX and torch raised
    OverflowError for integers(0, 2**63) in int64): one step down and back up, or, for the
    whole range, an even number from half of it plus a coin."""
    if dtype is None:
        return draw(low, high)
    info = b.xp.iinfo(dtype)
    top, bottom = int(info.max), int(info.min)
    if high - 1 < top:
        return draw(low, high)
    if low > bottom:
        return draw(low - 1, high - 1) + 1
    return 2 * draw(bottom // 2, top // 2 + 1) + draw(0, 2)


class GeneratorEngine:
    """Any library with NumPy's ``Generator`` API: NumPy, Dask (``dask.array.random``), CuPy."""

    takes_key = False  # (a seed is an int or a list of them)

    def __init__(self, b: Any, seed: Any, device: Any) -> None:
        self.b, self.device = b, device
        self.gen = self._make(seed)

    def _make(self, seed: Any) -> Any:
        import numpy as np

        return np.random.default_rng(seed)

    def _out(self, x: Any, dtype: Any) -> Any:
        return self.b.asarray(x, dtype=dtype, device=self.device)

    def random(self, shape: tuple[int, ...], dtype: Any) -> Any:
        return self._out(self.gen.random(shape), dtype)

    def standard_normal(self, shape: tuple[int, ...], dtype: Any) -> Any:
        return self._out(self.gen.standard_normal(shape), dtype)

    def integers(self, low: int, high: int, shape: tuple[int, ...], dtype: Any) -> Any:
        # drawn in the target dtype: uint64's range is beyond the default int64's
        kw = {} if dtype is None else {"dtype": _numpy_dtype(dtype)}
        return self._out(self.gen.integers(low, high, size=shape, **kw), dtype)

    def standard_gamma(self, k: Any, shape: tuple[int, ...], dtype: Any) -> Any:
        return self._out(self.gen.standard_gamma(self._host(k), size=shape), dtype)

    def binomial(self, n: Any, p: Any, shape: tuple[int, ...], dtype: Any) -> Any:
        return self._out(self.gen.binomial(self._host(n), self._host(p), size=shape), dtype)

    def poisson(self, lam: Any, shape: tuple[int, ...], dtype: Any) -> Any:
        return self._out(self.gen.poisson(self._host(lam), size=shape), dtype)

    def permutation(self, n: int) -> Any:
        return self._out(self.gen.permutation(n), None)

    def spawn(self, k: int) -> list[Any]:
        children = []
        for g in self.gen.spawn(k):
            e = object.__new__(type(self))
            e.b, e.device, e.gen = self.b, self.device, g
            children.append(e)
        return children

    def _host(self, v: Any) -> Any:
        return self.b.to_numpy(v) if hasattr(v, "shape") else v


class StrictEngine(GeneratorEngine):
    """array_api_strict: NumPy's stream, handed over as strict arrays."""


class DaskEngine(GeneratorEngine):
    """Lazy, chunked draws from ``dask.array.random.default_rng``."""

    def _make(self, seed: Any) -> Any:
        import dask.array as da
        import numpy as np

        return da.random.default_rng(np.random.default_rng(seed))

    def _out(self, x: Any, dtype: Any) -> Any:
        return x.astype(dtype) if dtype is not None else x

    def spawn(self, k: int) -> list[Any]:
        import numpy as np

        seeds = self.integers(0, 2**63 - 1, (k,), None).compute()
        return [DaskEngine(self.b, int(s), self.device) for s in np.asarray(seeds)]

    def _host(self, v: Any) -> Any:
        return v


class CupyEngine(GeneratorEngine):
    """CuPy's ``Generator`` on the current GPU."""

    def _make(self, seed: Any) -> Any:
        import cupy

        return cupy.random.default_rng(one_int(seed))

    def _host(self, v: Any) -> Any:
        return v

    def permutation(self, n: int) -> Any:
        # cupy.random.Generator has no permutation: sort n float64 uniforms (ties have
        # probability ~n^2 / 2^53 and would only fix two neighbours' order)
        import cupy

        return cupy.argsort(self.gen.random(n))

    def spawn(self, k: int) -> list[Any]:
        seeds = self.b.to_numpy(self.integers(0, 2**62, (k,), None))
        return [CupyEngine(self.b, int(s), self.device) for s in seeds]


class JaxEngine:
    """A JAX PRNG key, split before every draw, so the caller never handles keys."""

    takes_key = True  # (default_rng's seed may be a key from random.key)

    def __init__(self, b: Any, seed: Any, device: Any) -> None:
        self.b, self.device = b, device
        if seed is None:
            import secrets

            seed = secrets.randbits(63)
        self.key = seed if _is_key(seed) else jax_key(seed)

    def _next(self) -> Any:
        import jax

        self.key, sub = jax.random.split(self.key)
        return sub

    def _out(self, x: Any) -> Any:
        return x if self.device is None else self.b.asarray(x, device=self.device)

    def random(self, shape: tuple[int, ...], dtype: Any) -> Any:
        import jax

        return self._out(jax.random.uniform(self._next(), shape, dtype=dtype))

    def standard_normal(self, shape: tuple[int, ...], dtype: Any) -> Any:
        import jax

        return self._out(jax.random.normal(self._next(), shape, dtype=dtype))

    def integers(self, low: int, high: int, shape: tuple[int, ...], dtype: Any) -> Any:
        import jax

        np_dtype = _numpy_dtype(dtype) if dtype is not None else None

        def draw(lo: int, hi: int) -> Any:  # (bounds of the dtype itself: a Python int
            # above 2**31 - 1 overflowed JAX's 32-bit parsing of uint32 bounds)
            bounds = [lo, hi] if np_dtype is None else [np_dtype.type(v) for v in (lo, hi)]
            return jax.random.randint(self._next(), shape, *bounds, dtype=dtype)

        return self._out(_up_to_the_top(draw, self.b, low, high, dtype))

    def standard_gamma(self, k: Any, shape: tuple[int, ...], dtype: Any) -> Any:
        import jax

        return self._out(jax.random.gamma(self._next(), k, shape, dtype=dtype))

    def binomial(self, n: Any, p: Any, shape: tuple[int, ...], dtype: Any) -> Any:
        import jax

        draws = jax.random.binomial(self._next(), n, p, shape, dtype=self.b.default_float())
        return self._out(draws.astype(dtype))

    def poisson(self, lam: Any, shape: tuple[int, ...], dtype: Any) -> Any:
        import jax

        return self._out(jax.random.poisson(self._next(), lam, shape, dtype=dtype))

    def permutation(self, n: int) -> Any:
        import jax

        return self._out(jax.random.permutation(self._next(), n))

    def spawn(self, k: int) -> list[Any]:
        import jax

        return [JaxEngine(self.b, key, self.device) for key in jax.random.split(self._next(), k)]

    # the functional form (xpmath.random.key, split, uniform, normal): pure functions of a key
    @staticmethod
    def is_key(k: Any) -> bool:
        import jax

        return isinstance(k, jax.Array)

    @staticmethod
    def make_key(seed: int) -> Any:
        return jax_key(seed)

    @staticmethod
    def split_key(k: Any, num: int) -> Any:
        import jax

        return jax.random.split(k, num)

    @staticmethod
    def uniform_from(k: Any, shape: tuple[int, ...], dtype: Any, low: float, high: float) -> Any:
        import jax

        return jax.random.uniform(k, shape, dtype=dtype or float, minval=low, maxval=high)

    @staticmethod
    def normal_from(k: Any, shape: tuple[int, ...], dtype: Any) -> Any:
        import jax

        return jax.random.normal(k, shape, dtype=dtype or float)


def _is_key(seed: Any) -> bool:
    return hasattr(seed, "dtype") and "key" in str(seed.dtype)


def one_int(seed: Any) -> Any:
    """A seed as one int for a library that takes no entropy sequence: a list of ints
    through NumPy's ``SeedSequence`` (as the torch engine seeds every seed)."""
    if not isinstance(seed, list):
        return seed
    import numpy as np

    return int(np.random.SeedSequence(seed).generate_state(1, np.uint64)[0] >> 1)


def jax_key(seed: int | list[int]) -> Any:
    """A key from a seed as ``jax.random.key`` makes it with 64-bit types on (the seed's high
    and low 32 bits, threefry's key data), whatever the flag: with it off, JAX keeps only the
    low 32 bits (2**32 seeded as 0 did) and raised OverflowError from 2**63 on. Lists and
    seeds from 2**64 on go through NumPy's ``SeedSequence`` first (``one_int``)."""
    import jax
    import numpy as np

    s = one_int(seed if isinstance(seed, list) or seed < 2**64 else [seed])
    if s < 2**32:
        return jax.random.key(s)
    if jax.config.jax_enable_x64:
        return jax.random.key(np.uint64(s))
    hi, lo = s >> 32, s & 0xFFFFFFFF
    if jax.config.jax_default_prng_impl == "threefry2x32":
        return jax.random.wrap_key_data(np.array([hi, lo], dtype=np.uint32))
    return jax.random.fold_in(jax.random.key(lo), hi)  # (another impl's key data differ)


class TorchEngine:
    """A ``torch.Generator`` on the tensor device (torch's default device when none is named,
    so ``torch.set_default_device("cuda")`` puts the draws on the GPU as it does a tensor)."""

    takes_key = False  # (a seed is an int or a list of them)

    def __init__(self, b: Any, seed: Any, device: Any) -> None:
        import torch

        self.b = b
        self.device = torch.device(device) if device is not None else torch.get_default_device()
        self.gen = torch.Generator(device=self.device)
        if seed is None:
            self.gen.seed()
        else:
            import numpy as np

            self.gen.manual_seed(
                int(np.random.SeedSequence(seed).generate_state(1, np.uint64)[0] >> 1)
            )

    def _t(self, v: Any, dtype: Any, shape: tuple[int, ...]) -> Any:
        import torch

        return torch.broadcast_to(torch.as_tensor(v, dtype=dtype, device=self.device), shape)

    def random(self, shape: tuple[int, ...], dtype: Any) -> Any:
        import torch

        return torch.rand(shape, generator=self.gen, dtype=dtype, device=self.device)

    def standard_normal(self, shape: tuple[int, ...], dtype: Any) -> Any:
        import torch

        return torch.randn(shape, generator=self.gen, dtype=dtype, device=self.device)

    def integers(self, low: int, high: int, shape: tuple[int, ...], dtype: Any) -> Any:
        import torch

        if dtype in (torch.uint16, torch.uint32, torch.uint64):
            # torch draws (and adds) no unsigned integers wider than 8 bits: int64 draws, cast
            if high > 2**63:
                from .._errors import DTypeError

                raise DTypeError(
                    f"integers: torch draws {dtype} integers below 2**63 only; got high={high}"
                )
            wide = self.integers(low, high, shape, torch.int64)
            return wide.to(dtype)

        def draw(lo: int, hi: int) -> Any:
            return torch.randint(lo, hi, shape, generator=self.gen, dtype=dtype, device=self.device)

        return _up_to_the_top(draw, self.b, low, high, dtype)

    def standard_gamma(self, k: Any, shape: tuple[int, ...], dtype: Any) -> Any:
        import torch

        return torch._standard_gamma(self._t(k, dtype, shape).contiguous(), generator=self.gen)

    def binomial(self, n: Any, p: Any, shape: tuple[int, ...], dtype: Any) -> Any:
        import torch

        count = self._t(n, torch.float64, shape).contiguous()
        prob = self._t(p, torch.float64, shape).contiguous()
        return torch.binomial(count, prob, generator=self.gen).to(dtype)

    def poisson(self, lam: Any, shape: tuple[int, ...], dtype: Any) -> Any:
        import torch

        rate = self._t(lam, torch.float64, shape).contiguous()
        return torch.poisson(rate, generator=self.gen).to(dtype)

    def permutation(self, n: int) -> Any:
        import torch

        return torch.randperm(n, generator=self.gen, device=self.device)

    def spawn(self, k: int) -> list[Any]:
        seeds = self.integers(0, 2**62, (k,), None).tolist()
        return [TorchEngine(self.b, s, self.device) for s in seeds]
