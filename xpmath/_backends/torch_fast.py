"""PyTorch fast paths: accurate float32 norms built on torch's cascade-summed ``sum``."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any


def vector_norm(xp: Any, x: Any, axis: Any, keepdims: bool, ord: float) -> Any:
    import torch

    # torch.linalg.vector_norm accumulates float32 naively (relative error ~1e-5 at 1e5
    # elements for ord=3); torch.sum uses cascade summation, so compose from it.
    if ord in (0, math.inf, -math.inf) or x.is_complex():
        return torch.linalg.vector_norm(x, ord=ord, dim=axis, keepdim=keepdims)
    dim = axis if axis is not None else None
    a = torch.abs(x)
    if ord == 1:
        return torch.sum(a, dim=dim, keepdim=keepdims)
    if ord == 2:
        return torch.sqrt(torch.sum(a * a, dim=dim, keepdim=keepdims))
    return torch.sum(a**ord, dim=dim, keepdim=keepdims) ** (1.0 / ord)


def fast_paths(backend: Any) -> dict[str, Callable[..., Any]]:
    return {"linalg.vector_norm": vector_norm}
