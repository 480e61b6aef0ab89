"""xpmath: the mathematics of deep learning, written once, run on NumPy, CuPy, JAX, PyTorch, Dask.

Functions take native arrays and return native arrays of the same backend. ``import xpmath``
imports NumPy only; every other backend is imported on first use.

Topics: :mod:`xpmath.linalg`, :mod:`xpmath.calculus`, :mod:`xpmath.optimize`,
:mod:`xpmath.nn`, :mod:`xpmath.random`, :mod:`xpmath.stats`, and the benchmark engine
:mod:`xpmath.bench`.
"""

from __future__ import annotations

import importlib
from typing import Any

from ._backends import BACKENDS, BackendInfo, info_all
from ._capabilities import Capability, CapabilityTable, capabilities
from ._convert import asarray, enable_x64, jit, synchronize, to_backend, to_numpy
from ._dispatch import (
    current_backend,
    current_device,
    namespace,
    reset_backend,
    set_backend,
    use,
)
from ._errors import (
    ArgumentTypeError,
    AxisError,
    BackendMismatchError,
    BackendUnavailableError,
    DTypeError,
    IntegrationWarning,
    InvalidArgumentError,
    LinAlgError,
    LinAlgShapeError,
    NoLimitError,
    OptimizeWarning,
    PrecisionError,
    PrecisionLossWarning,
    ShapeError,
    SmallSampleWarning,
    XpmathError,
    XpmathWarning,
)
from ._info import Info, info
from ._precision import matmul_precision, set_matmul_precision

__version__ = "0.1.0"

#: every backend name xpmath knows, in display order
BACKEND_NAMES: tuple[str, ...] = tuple(BACKENDS)

_TOPICS = ("linalg", "calculus", "optimize", "nn", "random", "stats", "bench", "tour")


def backends() -> list[BackendInfo]:
    """One record per known backend: installed, usable, reason when not, version, devices.

    Examples
    --------
    >>> import xpmath
    >>> info = {b.name: b for b in xpmath.backends()}
    >>> info["numpy"].usable
    True
    """
    return info_all()


def __getattr__(name: str) -> Any:
    if name in _TOPICS:
        return importlib.import_module(f"xpmath.{name}")
    raise AttributeError(f"module 'xpmath' has no attribute {name!r}")


__all__ = [
    "BACKEND_NAMES",
    "ArgumentTypeError",
    "AxisError",
    "BackendInfo",
    "BackendMismatchError",
    "BackendUnavailableError",
    "Capability",
    "CapabilityTable",
    "DTypeError",
    "Info",
    "IntegrationWarning",
    "InvalidArgumentError",
    "LinAlgError",
    "LinAlgShapeError",
    "NoLimitError",
    "OptimizeWarning",
    "PrecisionError",
    "PrecisionLossWarning",
    "ShapeError",
    "SmallSampleWarning",
    "XpmathError",
    "XpmathWarning",
    "asarray",
    "backends",
    "capabilities",
    "current_backend",
    "current_device",
    "enable_x64",
    "info",
    "info_all",
    "jit",
    "matmul_precision",
    "namespace",
    "reset_backend",
    "set_backend",
    "set_matmul_precision",
    "synchronize",
    "to_backend",
    "to_numpy",
    "use",
]
