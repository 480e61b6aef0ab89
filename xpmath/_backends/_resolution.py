"""Helpers for the capability table's resolution: mapping results of a host fallback back to
the backend, and the stub that an ``unsupported`` cell resolves to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _tree_map(out: Any, fn: Callable[[Any], Any]) -> Any:
    if isinstance(out, tuple):
        items = [_tree_map(o, fn) for o in out]
        return type(out)(*items) if hasattr(out, "_fields") else tuple(items)
    return fn(out)


def _unsupported(routine: str, backend: str) -> Callable[..., Any]:
    def fail(*args: Any, **kwargs: Any) -> Any:
        from .._errors import BackendUnavailableError as _E

        raise _E(f"{routine} is not supported on backend {backend!r} (see xpmath.capabilities)")

    return fail
