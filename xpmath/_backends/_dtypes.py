"""Dtype facts the backend objects share, for dtypes given as names, NumPy or native dtypes."""

from __future__ import annotations

from typing import Any

import numpy as np


def _is_64bit(dtype: Any) -> bool:
    """float64, complex128, int64 or uint64, given as a name, NumPy or native dtype."""
    if dtype is None:
        return False
    try:
        name = np.dtype(dtype).name
    except TypeError:
        name = str(dtype).rsplit(".", 1)[-1]
    return name in ("float64", "complex128", "int64", "uint64", "double", "long")


def _is_64bit_float(dtype: Any) -> bool:
    if dtype is None:
        return False
    for cand in (getattr(dtype, "dtype", None), dtype):
        if cand is None:
            continue
        try:
            return np.dtype(cand).name in ("float64", "complex128")
        except TypeError:
            continue
    name = str(dtype).rsplit(".", 1)[-1]
    return name in ("float64", "complex128", "double")
