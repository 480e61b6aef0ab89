"""Namespace resolution and the default-backend scope.

Precedence for functions that create data, later ones winning::

    XPMATH_BACKEND env var  ->  set_backend(...)  ->  with use(...):  ->  backend= argument

Functions that take arrays follow the arrays. The array-type lookup is one dict access per
argument, so resolution costs a fraction of a microsecond.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator
from typing import Any

from ._backends import _TYPE_CACHE, HOST, Backend, backend_for_type, get_backend
from ._errors import BackendMismatchError

__all__ = [
    "backend_of",
    "current_backend",
    "current_device",
    "default_backend",
    "namespace",
    "set_backend",
    "use",
]

ENV_VAR = "XPMATH_BACKEND"
_MISSING: Any = object()

_global: tuple[Backend, Any] | None = None
_scoped: contextvars.ContextVar[tuple[Backend, Any] | None] = contextvars.ContextVar(
    "xpmath_backend", default=None
)


def _default_pair() -> tuple[Backend, Any]:
    scoped = _scoped.get()
    if scoped is not None:
        return scoped
    if _global is not None:
        return _global
    env = os.environ.get(ENV_VAR)
    if env:
        return get_backend(env.strip()), None
    return HOST, None


def default_backend(backend: str | Backend | None = None) -> Backend:
    """The backend that creation functions use: ``backend`` if given, else the scoped default."""
    b = get_backend(backend) if backend is not None else _default_pair()[0]
    b.require()
    return b


def current_backend() -> str:
    """Name of the backend that functions creating new data use right now.

    Examples
    --------
    >>> import xpmath
    >>> with xpmath.use("numpy"):
    ...     xpmath.current_backend()
    'numpy'
    """
    return _default_pair()[0].name


def current_device() -> Any:
    """Device set with :func:`set_backend` / :func:`use` (None means the backend's default)."""
    return _default_pair()[1]


def set_backend(name: str, *, device: Any = None) -> None:
    """Set the process-wide default backend (overrides ``XPMATH_BACKEND``).

    Parameters
    ----------
    name : str
        One of :data:`xpmath.BACKEND_NAMES`.
    device : optional
        Device for new arrays, e.g. ``"cpu"``, ``"gpu:0"`` or a native device object.

    Raises
    ------
    xpmath.InvalidArgumentError
        ``name`` is not a known backend.
    xpmath.BackendUnavailableError
        The backend is known but not installed or has no device.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.set_backend("numpy")
    >>> xpmath.current_backend()
    'numpy'
    """
    global _global
    b = get_backend(name)
    b.require()
    _global = (b, device)


def reset_backend() -> None:
    """Forget :func:`set_backend`, returning to ``XPMATH_BACKEND`` or NumPy."""
    global _global
    _global = None


@contextlib.contextmanager
def use(name: str, *, device: Any = None) -> Iterator[Backend]:
    """Context manager selecting the default backend within a block (thread- and async-safe).

    Examples
    --------
    >>> import xpmath
    >>> with xpmath.use("numpy"):
    ...     x = xpmath.asarray([1.0, 2.0])
    >>> type(x).__module__
    'numpy'
    """
    b = get_backend(name)
    b.require()
    token = _scoped.set((b, device))
    try:
        yield b
    finally:
        _scoped.reset(token)


#: ``known_backend(type(x))``: the backend of an array type seen before, else None (one dict
#: read; the fast lane in front of :func:`backend_of` for a call with one array argument)
known_backend = _TYPE_CACHE.get


def backend_of(*args: Any) -> Backend:
    """The backend owning the array arguments; the default backend when there are none.

    Python scalars, lists and ``None`` follow the other arguments. Arrays of two different
    backends raise :class:`xpmath.BackendMismatchError` naming both.
    """
    found: Backend | None = None
    get = _TYPE_CACHE.get
    for a in args:
        b = get(type(a), _MISSING)
        if b is _MISSING:
            b = backend_for_type(type(a))
        if b is None or b is found:
            continue
        if found is None:
            found = b
            continue
        raise BackendMismatchError(
            f"arrays from two backends in one call: {found.name} and {b.name} "
            f"({type(a).__module__}.{type(a).__name__}); convert one with "
            f"xpmath.to_backend(x, {found.name!r})"
        )
    if found is None:
        return default_backend()
    return found


def namespace(*arrays: Any) -> Any:
    """The array-API namespace of the inputs (the default backend's when none is an array).

    Examples
    --------
    >>> import numpy as np, xpmath
    >>> xp = xpmath.namespace(np.ones(3), 2.0)
    >>> xp.__name__
    'array_api_compat.numpy'
    """
    return backend_of(*arrays).xp


def placed_like(x: Any) -> dict[str, Any]:
    """Keyword arguments for a creation function (``xp.eye(n, **placed_like(x))``) that put the
    new array on the device ``x`` lives on: a CUDA tensor's constants on its GPU, not on torch's
    default device. Empty where the backend's default already does that."""
    b = _TYPE_CACHE.get(type(x)) or backend_of(x)
    return b.placement(x)
