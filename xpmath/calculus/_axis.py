"""Slicing along one axis and spacing arrays that broadcast along it (array-API only)."""

from __future__ import annotations

from typing import Any


def take(x: Any, axis: int, sl: slice | int) -> Any:
    """``x[..., sl, ...]`` with ``sl`` at position ``axis`` (an int keeps the axis, length 1)."""
    if isinstance(sl, int):
        sl = slice(sl, sl + 1) if sl != -1 else slice(-1, None)
    index = [slice(None)] * x.ndim
    index[axis] = sl
    return x[tuple(index)]


def along(v: Any, axis: int, ndim: int, xp: Any) -> Any:
    """Reshape 1-D ``v`` so that it broadcasts along ``axis`` of an ``ndim``-array."""
    shape = [1] * ndim
    shape[axis] = v.shape[0]
    return xp.reshape(v, tuple(shape))
