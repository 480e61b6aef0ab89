"""JAX backend: jit, lax control flow, native autodiff, jax.scipy.special."""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from ._base import Backend
from .jax_kernels import PROBE, CompiledKernel
from .numpy import host_sum_is_finite

X64_HINT = (
    "JAX is running with 64-bit types disabled. Call xpmath.enable_x64() (or "
    "jax.config.update('jax_enable_x64', True)) at start-up, before creating arrays, or set "
    "the environment variable JAX_ENABLE_X64=1; or ask for dtype='float32' explicitly"
)


#: buffer formats of real floating dtypes that a memoryview reads as Python floats
_REAL_CODES = {"=d": "d", "=f": "f", "d": "d", "f": "f"}


class _NoHostRead:
    """Never an array's type: where JAX arrays may live off the host, ``finite_now`` asks
    ``sum_is_finite``."""


class JaxBackend(Backend):
    name = "jax"
    module = "jax"
    type_modules = ("jax", "jaxlib")
    install = "pip install 'xpmath[jax]'  (GPU: pip install 'jax[cuda12]')"
    has_autodiff = True
    compiles = True
    _fast_module = "xpmath._backends.jax_fast"
    random_engine = "JaxEngine"
    fast_matmul = True

    def __init__(self) -> None:
        super().__init__()
        self._kernels: dict[Any, CompiledKernel] = {}
        self._all_cpu: bool | None = None
        self._one_process = False  # set with _all_cpu
        self._host_type: type | None = None

    def _usable_reason(self) -> str:
        import jax

        if not jax.devices():
            return "jax is installed but reports no device"
        return ""

    def _load_namespace(self) -> Any:
        import jax
        import jax.numpy as jnp

        from .._results import on_result_type

        def register(cls: type) -> None:
            jax.tree_util.register_pytree_node(cls, cls._tree_flatten, cls._tree_unflatten)

        on_result_type(register)
        return jnp

    def devices(self) -> list[Any]:
        import jax

        return list(jax.devices())

    def resolve_device(self, device: Any) -> Any:
        import jax

        if device is None or not isinstance(device, str):
            return device
        kind, _, idx = device.partition(":")
        kind = {"cuda": "gpu"}.get(kind, kind)
        return jax.devices(kind)[int(idx or 0)]

    def default_is_host(self) -> bool:
        import jax

        return jax.devices()[0].platform == "cpu"

    def device_of(self, x: Any) -> Any:
        devs = getattr(x, "devices", None)
        return next(iter(devs())) if callable(devs) else None

    def asarray(self, obj: Any, dtype: Any = None, device: Any = None) -> Any:
        import jax

        self.check_precision(obj, dtype)
        if dtype is not None:
            dtype = self.dtype(dtype)
        out = self.xp.asarray(obj, dtype=dtype)
        if device is not None:
            out = jax.device_put(out, self.resolve_device(device))
        return out

    def from_dlpack(self, x: Any, device: Any = None) -> Any:
        self.check_precision(x)
        return self.xp.from_dlpack(x)

    def float64_reason(self) -> str:
        import jax

        return "" if jax.config.jax_enable_x64 else X64_HINT

    def set_float64(self, enabled: bool) -> None:
        """Turn JAX's process-wide 64-bit switch (``jax_enable_x64``): ``xpmath.enable_x64``."""
        self.require()
        import jax

        jax.config.update("jax_enable_x64", bool(enabled))

    def default_float(self) -> Any:
        import jax

        return self.xp.float64 if jax.config.jax_enable_x64 else self.xp.float32

    def is_concrete(self, x: Any) -> bool:
        if isinstance(x, self._tracer()):
            PROBE.traced_reads += 1  # a kernel that asks this cannot be compiled
            return False
        return True

    def values_known(self, x: Any) -> bool:
        return not isinstance(x, self._tracer())

    def traced(self, x: Any) -> bool:
        return isinstance(x, self._tracer())

    def _tracer(self) -> type:
        """``jax.core.Tracer``, looked up once (asked on every guarded call)."""
        tracer = self.__dict__.get("_tracer_type")
        if tracer is None:
            import jax

            tracer = self._tracer_type = jax.core.Tracer
        return tracer

    def sum_is_finite(self, x: Any) -> bool:
        # a few elements, or any array where every device is the CPU: read the values (one
        # transfer of <= 32 numbers costs what reading a reduced scalar does; a CPU array is
        # viewed without a copy), 1.5 µs instead of a compiled dispatch and a read (13 µs)
        if (self._cpu_only() or x.size <= 32) and (
            self._one_process or x.is_fully_addressable  # (the property costs 0.5 µs)
        ):
            return host_sum_is_finite(np.asarray(x))
        return bool(self.compiled(_sum_is_finite)(self.xp, x))  # one dispatch, one read

    def finite_now(self, x: Any) -> bool:
        host = self._host_type
        if type(x) is host:  # concrete, on a CPU-only machine of one process: viewed, no copy
            try:  # (the buffer protocol: 0.3 µs less than a NumPy view and its test)
                view = memoryview(x)
            except BufferError:  # (bfloat16 has no buffer format)
                return host_sum_is_finite(np.asarray(x))
            code = _REAL_CODES.get(view.format)
            if code is None or not 0 < view.nbytes <= 256:  # complex, half, integer; empty
                return host_sum_is_finite(np.asarray(x))
            return math.isfinite(sum(view.cast("B").cast(code).tolist()))
        if host is None:
            readable = self._cpu_only() and self._one_process
            self._host_type = self._array_type() if readable else _NoHostRead
            return self.finite_now(x)
        return super().finite_now(x)

    def _array_type(self) -> type:
        """The type of JAX's concrete arrays (made eagerly: asked while tracing, a new array
        would be a tracer)."""
        import jax

        with jax.ensure_compile_time_eval():
            return type(jax.numpy.zeros(0))

    def _cpu_only(self) -> bool:
        """Whether every device JAX has is the CPU (then so is every array's)."""
        if self._all_cpu is None:
            import jax

            self._all_cpu = all(d.platform == "cpu" for d in jax.devices())
            self._one_process = jax.process_count() == 1  # every array fully addressable
        return self._all_cpu

    def compiled(self, fn: Any) -> Any:
        kernel = self._kernels.get(fn)
        if kernel is None:
            kernel = self._kernels[fn] = CompiledKernel(fn, self.xp, self._array_type())
        return kernel.call

    def kernel(self, fn: Any, *args: Any) -> Any:
        return self.compiled(fn)(self.xp, *args)

    def synchronize(self, x: Any = None) -> Any:
        import jax

        if x is None:
            (jax.device_put(0.0) + 0).block_until_ready()
            return x
        return jax.block_until_ready(x)

    def jit(self, f: Any, **kwargs: Any) -> Any:
        import jax

        return jax.jit(f, **kwargs)

    def hoisted(self, fn: Any, shape: tuple[int, ...], dtype: Any) -> Any:
        from .jax_constants import hoisted

        return hoisted(fn, tuple(shape), dtype, self._tracer())

    def fori_loop(self, lower: int, upper: int, body: Any, init: Any) -> Any:
        import jax

        return jax.lax.fori_loop(lower, upper, body, init)

    def while_loop(self, cond: Any, body: Any, init: Any) -> Any:
        import jax

        return jax.lax.while_loop(cond, body, init)

    def at_set(self, x: Any, index: Any, value: Any) -> Any:
        return x.at[index].set(value)

    def grad(self, f: Any, argnums: Any = 0) -> Any:
        import jax

        return jax.grad(f, argnums=argnums)

    def value_and_grad(self, f: Any, argnums: Any = 0) -> Any:
        import jax

        return jax.value_and_grad(f, argnums=argnums)

    def jacobian(self, f: Any, argnums: Any = 0) -> Any:
        import jax

        return jax.jacfwd(f, argnums=argnums)

    def hessian(self, f: Any, argnums: Any = 0) -> Any:
        import jax

        return jax.hessian(f, argnums=argnums)

    @functools.cache  # noqa: B019 - one backend object per process
    def special(self) -> Any:
        import jax.scipy.special

        return jax.scipy.special

    def to_numpy(self, x: Any) -> np.ndarray:
        return np.asarray(x)


def _sum_is_finite(xp: Any, x: Any) -> Any:
    return xp.isfinite(xp.sum(x))
