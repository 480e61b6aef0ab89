"""NumPy backend: the CPU reference. SciPy supplies the special functions."""

from __future__ import annotations

import cmath
import math
from typing import Any

import numpy as np

from ._base import Backend


class NumpyBackend(Backend):
    name = "numpy"
    module = "numpy"
    type_modules = ("numpy",)
    host_memory = True
    install = "pip install numpy"
    _fast_module = "xpmath._backends.numpy_fast"
    random_engine = "GeneratorEngine"

    def _load_namespace(self) -> Any:
        import array_api_compat.numpy as xp

        return xp

    def to_numpy(self, x: Any) -> np.ndarray:
        return np.asarray(x)

    def from_dlpack(self, x: Any, device: Any = None) -> Any:
        return np.from_dlpack(x)

    def resolve_device(self, device: Any) -> Any:
        if device not in (None, "cpu"):
            from .._errors import InvalidArgumentError

            raise InvalidArgumentError(
                f"device: the numpy backend only has the 'cpu' device; got {device!r}"
            )
        return "cpu"

    def asarray(self, obj: Any, dtype: Any = None, device: Any = None) -> Any:
        self.resolve_device(device)
        return np.asarray(obj, dtype=None if dtype is None else np.dtype(dtype))

    def sum_is_finite(self, x: Any) -> bool:
        if isinstance(x, (np.ndarray, np.generic)):
            return host_sum_is_finite(x)
        return super().sum_is_finite(x)

    def step_check(self, g: Any, x_new: Any) -> Any:
        if type(g) is _NDARRAY is type(x_new):
            if g.dtype is _F64 is x_new.dtype and g.size <= 32:
                # the commonest step (a short float64 vector), with the fewest tests: it runs
                # every step, and each test costs a few hundredths of a microsecond
                try:  # (an n-d array's nested lists raise TypeError: the lane below)
                    return floats_step_check(g.tolist(), x_new.tolist())
                except TypeError:
                    pass
            return host_step_check(g, x_new)
        return super().step_check(g, x_new)

    def host_norm(self, v: Any) -> float | None:
        if type(v) is _NDARRAY and v.dtype is _F64 and v.size <= 32:
            return math.hypot(*(v.tolist() if v.ndim == 1 else v.ravel().tolist()))
        return None

    def special(self) -> Any:
        import scipy.special

        return scipy.special


def host_sum_is_finite(x: np.ndarray | np.generic) -> bool:
    """:meth:`Backend.sum_is_finite` of a NumPy array."""
    if x.size <= 32:  # a few Python floats add up faster than a ufunc reduction starts
        return cmath.isfinite(sum(x.ravel().tolist()))
    return cmath.isfinite(np.add.reduce(x, axis=None))  # 1 µs less than xp.sum


_F64 = np.dtype(np.float64)
_NDARRAY = np.ndarray


def floats_step_check(gs: list[float], xs: list[float]) -> float:
    """:meth:`Backend.step_check` of a gradient and an iterate given as lists of Python floats
    (float64 values): hypot does not overflow before squaring, and a sum of the iterate that
    does (finite entries near 1e308) falls through to the test of each entry."""
    if math.isfinite(sum(xs)) or all(map(math.isfinite, xs)):
        h = math.hypot(*gs)
        return h * h
    return math.nan


def dot_step_check(g: Any, x_new: Any) -> Any:
    """:meth:`Backend.step_check` of two real float arrays of one shape and dtype whose
    ``dot`` is one BLAS call and whose ``inf - inf`` warns of nothing (torch and CuPy, on any
    device): ``g . (g + (x_new - x_new))``, 0-d, as ``x - x`` is 0 where ``x`` is finite and
    NaN where not. Three kernels on a GPU, where the host queues each every step."""
    if g.ndim != 1:
        g, x_new = g.reshape(-1), x_new.reshape(-1)
    return g.dot(g + (x_new - x_new))


def host_step_check(g: np.ndarray, x_new: np.ndarray) -> float:
    """:meth:`Backend.step_check` on NumPy arrays as a Python float: for a short float64
    gradient and iterate, from their entries as Python floats; else one BLAS dot for the
    squared norm, and the finiteness of a short iterate read as Python floats."""
    if g.size <= 32 >= x_new.size and g.dtype is _F64 is x_new.dtype:  # (an equal dtype that
        # is not NumPy's own float64 object takes the general lane below)
        return floats_step_check(
            g.tolist() if g.ndim == 1 else g.ravel().tolist(),
            x_new.tolist() if x_new.ndim == 1 else x_new.ravel().tolist(),
        )
    gsq = float(np.vdot(g, g).real)
    if x_new.dtype.kind == "f" and x_new.size <= 32:
        finite = all(map(math.isfinite, x_new.ravel().tolist()))
    else:
        finite = bool(np.isfinite(x_new).all())
    return gsq if finite else math.nan


class StrictBackend(NumpyBackend):
    """``array_api_strict``: the standard and nothing more, so generic code paths get tested."""

    name = "array_api_strict"
    module = "array_api_strict"
    type_modules = ("array_api_strict",)
    install = "pip install array-api-strict"
    _fast_module = None
    random_engine = "StrictEngine"

    def _load_namespace(self) -> Any:
        import array_api_strict as xp

        return xp

    def version(self) -> str | None:
        if not self.installed():
            return None
        import array_api_strict

        return str(array_api_strict.__version__)

    def resolve_device(self, device: Any) -> Any:
        if device is None or device == "cpu":
            return self.xp.Device("CPU_DEVICE")
        return device

    def devices(self) -> list[Any]:
        return ["CPU_DEVICE"]

    def asarray(self, obj: Any, dtype: Any = None, device: Any = None) -> Any:
        if dtype is not None:
            dtype = self.dtype(dtype)
        if isinstance(obj, np.ndarray) or np.isscalar(obj) or isinstance(obj, (list, tuple)):
            obj = np.asarray(obj)
            if obj.dtype.kind not in "biufc":
                raise TypeError(f"array_api_strict cannot hold dtype {obj.dtype}")
        return self.xp.asarray(obj, dtype=dtype)

    def to_numpy(self, x: Any) -> np.ndarray:
        return np.from_dlpack(x)

    def from_dlpack(self, x: Any, device: Any = None) -> Any:
        return self.xp.from_dlpack(x)

    def special(self) -> Any:
        return None
