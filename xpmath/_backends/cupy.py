"""CuPy backend: NVIDIA GPUs. Special functions from cupyx.scipy.special."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._base import Backend
from .numpy import dot_step_check


class CupyBackend(Backend):
    name = "cupy"
    _fast_module = "xpmath._backends.cupy_fast"
    module = "cupy"
    type_modules = ("cupy", "cupyx")
    install = "pip install 'xpmath[cupy]'  (cupy-cuda12x; needs an NVIDIA GPU and driver)"
    random_engine = "CupyEngine"

    def _usable_reason(self) -> str:
        import cupy

        try:
            count = cupy.cuda.runtime.getDeviceCount()
        except Exception as exc:
            return f"cupy is installed but CUDA is not usable: {type(exc).__name__}: {exc}"
        if count == 0:
            return "cupy is installed but no CUDA device was found"
        return ""

    def _load_namespace(self) -> Any:
        import array_api_compat.cupy as xp

        return xp

    def step_check(self, g: Any, x_new: Any) -> Any:
        if g.dtype == x_new.dtype and g.dtype.char in "fd" and g.shape == x_new.shape:
            return dot_step_check(g, x_new)  # one dot: three kernels a step, not five
        return super().step_check(g, x_new)

    def runs_ahead(self, x: Any) -> bool:
        return True  # kernels are queued on a CUDA stream

    def devices(self) -> list[Any]:
        import cupy

        return [cupy.cuda.Device(i) for i in range(cupy.cuda.runtime.getDeviceCount())]

    def resolve_device(self, device: Any) -> Any:
        import cupy

        if device is None or isinstance(device, cupy.cuda.Device):
            return device
        if isinstance(device, str):
            device = int(device.partition(":")[2] or 0)
        return cupy.cuda.Device(int(device))

    def placement(self, x: Any) -> dict[str, Any]:
        dev = getattr(x, "device", None)
        return {} if dev is None else {"device": dev}

    def default_is_host(self) -> bool:
        return False

    def asarray(self, obj: Any, dtype: Any = None, device: Any = None) -> Any:
        import cupy

        if dtype is not None:
            dtype = self.dtype(dtype)
        dev = self.resolve_device(device)
        if dev is None:
            return cupy.asarray(obj, dtype=dtype)
        with dev:
            return cupy.asarray(obj, dtype=dtype)

    def to_numpy(self, x: Any) -> np.ndarray:
        import cupy

        return cupy.asnumpy(x)

    def synchronize(self, x: Any = None) -> Any:
        import cupy

        cupy.cuda.get_current_stream().synchronize()
        return x

    def special(self) -> Any:
        import cupyx.scipy.special

        return cupyx.scipy.special
