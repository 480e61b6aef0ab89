"""Special functions on any backend: the backend's own, else xpmath's generic array code, else
an explicit host round trip through SciPy (array_api_strict only, which has no special module).

``special(b, "erf")`` returns a callable taking and returning ``b``'s arrays.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._backends import Backend

__all__ = ["special"]

_GENERIC: dict[str, Callable[..., Any]] = {}


def generic(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``fn(xp, *args)`` as the array-API implementation of special function ``name``."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        _GENERIC[name] = fn
        return fn

    return register


def special(b: Backend, name: str) -> Callable[..., Any]:
    mod = b.special()
    fn = getattr(mod, name, None) if mod is not None else None
    if fn is not None:
        return fn
    if name in _GENERIC:
        impl, xp = _GENERIC[name], b.xp
        return lambda *args: impl(xp, *args)
    import scipy.special

    host = getattr(scipy.special, name)

    def on_host(*args: Any) -> Any:
        like = next(a for a in args if hasattr(a, "dtype"))
        out = host(*(b.to_numpy(a) if hasattr(a, "dtype") else a for a in args))
        return b.asarray(out, dtype=like.dtype)

    return on_host
