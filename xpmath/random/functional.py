"""The functional form for use inside ``jit`` on JAX: explicit keys, split by the caller."""

from __future__ import annotations

from typing import Any

from .._capabilities import routine
from .._validate import check_int

__all__ = ["key", "normal", "split", "uniform"]


@routine("random.key", default="unsupported", jax="native", note="JAX keys only")
def key(seed: int) -> Any:
    """A JAX PRNG key from an integer seed.

    Examples
    --------
    >>> from xpmath import random
    >>> k = random.key(0)  # doctest: +SKIP
    """
    import jax

    return jax.random.key(check_int(seed, "seed", "key", minimum=0))


@routine("random.split", default="unsupported", jax="native", note="JAX keys only")
def split(k: Any, num: int = 2) -> Any:
    """Split a key into ``num`` independent keys (pure: usable inside ``jit``).

    Examples
    --------
    >>> from xpmath import random
    >>> k1, k2 = random.split(random.key(0))  # doctest: +SKIP
    """
    import jax

    return jax.random.split(k, check_int(num, "num", "split", minimum=1))


@routine("random.uniform", default="unsupported", jax="native", note="JAX keys only")
def uniform(
    k: Any, shape: tuple[int, ...] = (), dtype: Any = None, low: float = 0.0, high: float = 1.0
) -> Any:
    """Uniform draws from a key (pure).

    Examples
    --------
    >>> from xpmath import random
    >>> x = random.uniform(random.key(0), (3,))  # doctest: +SKIP
    """
    import jax

    return jax.random.uniform(k, shape, dtype=dtype or float, minval=low, maxval=high)


@routine("random.normal", default="unsupported", jax="native", note="JAX keys only")
def normal(k: Any, shape: tuple[int, ...] = (), dtype: Any = None) -> Any:
    """Standard normal draws from a key (pure).

    Examples
    --------
    >>> from xpmath import random
    >>> x = random.normal(random.key(0), (3,))  # doctest: +SKIP
    """
    import jax

    return jax.random.normal(k, shape, dtype=dtype or float)
