"""The functional form for use inside ``jit`` on JAX: explicit keys, split by the caller.

Keys are JAX's: these routines are declared unsupported on the other backends and say so with
a clear error (there, :func:`xpmath.random.default_rng` is the generator to use)."""

from __future__ import annotations

from typing import Any

from .._backends import BACKENDS
from .._backends.random_engines import engine_class
from .._capabilities import routine
from .._errors import BackendMismatchError
from .._validate import check_int

__all__ = ["key", "normal", "split", "uniform"]

_OTHERS = "on other backends use xpmath.random.default_rng(seed, backend=...)"


def _keyed() -> Any:
    """The engine of the backend whose random streams are keys (JAX's), once it is usable."""
    b = next(b for b in BACKENDS.values() if engine_class(b).takes_key)
    b.require()  # (BackendUnavailableError with the install command where it is missing)
    return b, engine_class(b)


def _check_key(k: Any, func: str) -> Any:
    """``k`` if it is a JAX array (a typed key or a raw uint32 key), else a clear error."""
    if not _keyed()[1].is_key(k):
        raise BackendMismatchError(
            f"{func}: k must be a JAX PRNG key from xpmath.random.key; got "
            f"{type(k).__module__}.{type(k).__name__} ({_OTHERS})"
        )
    return k


@routine("random.key", default="unsupported", jax="native", note="JAX keys only")
def key(seed: int, *, backend: str | None = None) -> Any:
    """A JAX PRNG key from an integer seed (``jax.random.key``).

    Parameters
    ----------
    seed : int
        A non-negative seed, of any size (the key ``jax.random.key`` makes with 64-bit types
        on, whatever the flag, as :func:`default_rng`'s).
    backend : str, optional
        ``"jax"`` (the default whatever the default backend: keys are JAX's); another backend
        raises :class:`xpmath.BackendMismatchError`.

    Returns
    -------
    jax.Array
        A typed PRNG key, for :func:`split`, :func:`normal` and :func:`uniform`.

    Examples
    --------
    >>> from xpmath import random
    >>> k1, k2 = random.split(random.key(0))
    >>> tuple(random.normal(k1, (3,)).shape)
    (3,)
    """
    b, engine = _keyed()
    if backend is not None and backend != b.name:
        raise BackendMismatchError(f"key: PRNG keys are JAX's; got backend={backend!r} ({_OTHERS})")
    return engine.make_key(check_int(seed, "seed", "key", minimum=0))


@routine("random.split", default="unsupported", jax="native", note="JAX keys only")
def split(k: Any, num: int = 2) -> Any:
    """Split a key into ``num`` independent keys (pure: usable inside ``jit``).

    Parameters
    ----------
    k : jax.Array
        A key from :func:`key`.
    num : int
        How many keys.

    Returns
    -------
    jax.Array
        ``num`` keys.

    Examples
    --------
    >>> from xpmath import random
    >>> keys = random.split(random.key(0), 3)
    >>> len(keys)
    3
    """
    k = _check_key(k, "split")
    return _keyed()[1].split_key(k, check_int(num, "num", "split", minimum=1))


@routine("random.uniform", default="unsupported", jax="native", note="JAX keys only")
def uniform(
    k: Any, shape: tuple[int, ...] = (), dtype: Any = None, low: float = 0.0, high: float = 1.0
) -> Any:
    """Uniform draws on ``[low, high)`` from a key (pure).

    Parameters
    ----------
    k : jax.Array
        A key from :func:`key`.
    shape : tuple of int
        Shape of the draws.
    dtype : dtype, optional
        Floating dtype; JAX's default float when omitted.
    low, high : float
        The interval.

    Returns
    -------
    jax.Array

    Examples
    --------
    >>> from xpmath import random
    >>> x = random.uniform(random.key(0), (3,))
    >>> bool(((x >= 0) & (x < 1)).all())
    True
    """
    return _keyed()[1].uniform_from(_check_key(k, "uniform"), shape, dtype, low, high)


@routine("random.normal", default="unsupported", jax="native", note="JAX keys only")
def normal(k: Any, shape: tuple[int, ...] = (), dtype: Any = None) -> Any:
    """Standard normal draws from a key (pure).

    Parameters
    ----------
    k : jax.Array
        A key from :func:`key`.
    shape : tuple of int
        Shape of the draws.
    dtype : dtype, optional
        Floating dtype; JAX's default float when omitted.

    Returns
    -------
    jax.Array

    Examples
    --------
    >>> from xpmath import random
    >>> tuple(random.normal(random.key(0), (2, 3)).shape)
    (2, 3)
    """
    return _keyed()[1].normal_from(_check_key(k, "normal"), shape, dtype)
