"""Bool and integer products where a backend's kernels refuse or widen them.

NumPy multiplies bool matrices as logic (any of the pairwise ands) and integer matrices in
their own dtype, wrapping modulo 2**bits. torch has no bool, uint16, uint32 or uint64 GEMM
("addmm_impl_cpu_" not implemented), and Dask's ``tensordot``/``vecdot`` sum small integers
into int64 or uint64. The same products are formed here over int64 (uint64 viewed bit for bit)
and taken back to the inputs' dtype: modulo 2**bits, which is exactly NumPy's wraparound, or
``!= 0`` for bool.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def torch_promote(a: Any, b: Any) -> tuple[Any, Any]:
    """``a`` and ``b`` in their common dtype: torch's promotion, or NumPy's where torch has
    none (it promotes no uint16, uint32 or uint64 with another dtype: uint16 with int8 is
    NumPy's int32)."""
    import torch

    if a.dtype == b.dtype:
        return a, b
    try:
        dt = torch.result_type(a, b)
    except RuntimeError:
        names = (str(x.dtype).removeprefix("torch.") for x in (a, b))
        dt = getattr(torch, np.result_type(*names).name)
    return a.to(dt), b.to(dt)


def torch_exact(op: Callable[[Any, Any], Any], a: Any, b: Any) -> Any:
    """``op`` (a product) of two tensors, over int64 where torch's kernels refuse their common
    dtype (bool, uint16, uint32, uint64); ``op`` itself for any other dtype."""
    import torch

    a, b = torch_promote(a, b)
    dt = a.dtype
    if dt == torch.bool:
        return op(a.to(torch.int64), b.to(torch.int64)) != 0
    if dt == torch.uint64:  # two's complement: int64 arithmetic is uint64's modulo 2**64
        wide = op(a.to(dt).view(torch.int64), b.to(dt).view(torch.int64))
        return wide.view(torch.uint64)
    bits = {torch.uint16: 16, torch.uint32: 32}.get(dt)
    if bits is None:
        return op(a, b)
    wide = op(a.to(torch.int64), b.to(torch.int64))
    return (wide & ((1 << bits) - 1)).to(dt)


def numpy_dtype_of(a: Any, b: Any, out: Any) -> Any:
    """``out`` (a product of NumPy-typed ``a`` and ``b``, e.g. Dask's) in the dtype NumPy's
    product would have: widened integer sums wrapped back, bool counts back to logic."""
    dt = np.result_type(a.dtype, b.dtype)
    if out.dtype == dt:
        return out
    if dt == np.bool_:
        return out != 0
    if dt.kind in "iu":
        return out.astype(dt)
    return out
