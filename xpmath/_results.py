"""Result objects that carry more than their tuple fields (a t-test's degrees of freedom and
confidence-interval inputs) register here, so tracing backends (JAX) flatten and rebuild them
whole and host fallbacks map every array in them, not just the tuple items."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_TYPES: list[type] = []
_LISTENERS: list[Callable[[type], None]] = []


def result_type(cls: type) -> type:
    """Class decorator: ``cls`` defines ``_tree_flatten(self) -> (children, aux)`` and the
    classmethod ``_tree_unflatten(aux, children)``; every listener (a loaded tracing backend)
    hears of it."""
    _TYPES.append(cls)
    for listener in _LISTENERS:
        listener(cls)
    return cls


def on_result_type(listener: Callable[[type], None]) -> None:
    """Call ``listener`` for every result type, now and when one is defined later."""
    _LISTENERS.append(listener)
    for cls in _TYPES:
        listener(cls)


def map_result(out: Any, fn: Callable[[Any], Any]) -> Any:
    """``out`` rebuilt with ``fn`` applied to each array leaf (``None`` and strings kept)."""
    if type(out) in _TYPES:
        children, aux = out._tree_flatten()
        return type(out)._tree_unflatten(aux, [map_result(c, fn) for c in children])
    if isinstance(out, tuple):
        items = [map_result(o, fn) for o in out]
        return type(out)(*items) if hasattr(out, "_fields") else tuple(items)
    if out is None or isinstance(out, str):
        return out
    return fn(out)
