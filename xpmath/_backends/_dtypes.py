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


#: the dtypes the array API standard defines (bool, integers, real and complex floating),
#: plus float16, which NumPy, CuPy, JAX and torch have and array_api_strict lacks
_STANDARD = [
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float16",
    "float32",
    "float64",
    "complex64",
    "complex128",
]


def native_dtype(backend: Any, name: str, what: str = "dtype") -> Any:
    """The backend's dtype called ``name`` (a NumPy dtype name); a backend whose arrays hold
    NumPy blocks (``numpy_dtypes``: Dask) takes any NumPy dtype.

    Raises :class:`xpmath.DTypeError` naming ``what`` where the backend has no such dtype
    (float128 anywhere but NumPy, float16 on array_api_strict), never the namespace's
    ``AttributeError`` or the library's ``TypeError``.
    """
    native = getattr(backend.xp, name, None)
    if native is not None:
        return native
    if getattr(backend, "numpy_dtypes", False):
        return np.dtype(name).type
    from .._errors import DTypeError

    have = ", ".join(n for n in _STANDARD if getattr(backend.xp, n, None) is not None)
    raise DTypeError(
        f"{what}: {backend.name} has no {name} dtype; expected one of {have} "
        f"(convert to one of them first, e.g. float64)"
    )
