"""What ``xpmath bench`` needs to know about each backend's devices and raw calls.

The benchmark engine (``xpmath.bench``) asks these functions instead of branching on backend
names itself: where a backend's arrays live, how much memory and last-level cache that device
has, the raw library call each workload is compared against, and how to make benchmark data.
"""

from __future__ import annotations

import glob
import os
import platform
import uuid
from collections.abc import Callable
from typing import Any

import numpy as np

from ._base import Backend

#: the backend ``--dask-scheduler`` runs on (a cluster's scheduler: ``dask_cluster``)
SCHEDULED = "dask"

_DEFAULT_CPU_CACHE = 32 << 20
_DEFAULT_GPU_CACHE = 64 << 20


def benchmarked(b: Backend) -> bool:
    """Whether ``xpmath bench`` measures ``b`` by default (array_api_strict is a test backend:
    NumPy underneath, with checks)."""
    return b.name != "array_api_strict"


def measures_ceilings(b: Backend) -> bool:
    """Whether ``b`` has memory-bandwidth and matmul ceilings of its own (Dask's chunks run
    through NumPy on the host, whose ceilings are NumPy's)."""
    return b.name != SCHEDULED


def bench_device(b: Backend, want: str = "auto") -> str:
    """``"cpu"`` or ``"gpu"``: where the benchmark puts this backend's arrays.

    ``want="auto"`` takes the GPU where the backend has one; ``"cpu"`` or ``"gpu"`` insist.
    """
    has_gpu = _has_gpu(b)
    if want == "gpu" and not has_gpu:
        return "none"
    if want == "cpu":
        return "cpu" if b.name != "cupy" else "none"
    return "gpu" if has_gpu else "cpu"


def _has_gpu(b: Backend) -> bool:
    if b.name == "cupy":
        return True
    if b.name == "torch":
        import torch

        return bool(torch.cuda.is_available())
    if b.name == "jax":
        import jax

        return jax.default_backend() == "gpu"
    return False


def _place(b: Backend, host: np.ndarray, device: str) -> Any:
    """``host`` on the backend's benchmark device, persisted (CuPy is always on its GPU)."""
    where = None
    if device == "gpu" and b.name != "cupy":
        where = "cuda" if b.name == "torch" else "gpu"
    return b.persist(b.asarray(host, device=where))


def device_name(b: Backend, device: str) -> str:
    """A readable name of the device: the GPU's marketing name, or the CPU model."""
    if device == "gpu":
        if b.name == "cupy":
            import cupy

            props = cupy.cuda.runtime.getDeviceProperties(cupy.cuda.Device().id)
            return str(
                props["name"].decode() if isinstance(props["name"], bytes) else props["name"]
            )
        if b.name == "torch":
            import torch

            return str(torch.cuda.get_device_name())
        if b.name == "jax":
            import jax

            return str(getattr(jax.devices()[0], "device_kind", "gpu"))
    return cpu_name()


def cpu_name() -> str:
    """The CPU's model name (``/proc/cpuinfo``; the platform's processor elsewhere)."""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def free_bytes(b: Backend, device: str) -> float:
    """Memory the benchmark may fill on ``device`` (free device memory, or free host RAM)."""
    if device == "gpu":
        if b.name == "cupy":
            import cupy

            return float(cupy.cuda.runtime.memGetInfo()[0])
        if b.name == "torch":
            import torch

            return float(torch.cuda.mem_get_info()[0])
        if b.name == "jax":
            import jax

            stats = jax.devices()[0].memory_stats() or {}
            if "bytes_limit" in stats:
                return float(stats["bytes_limit"] - stats.get("bytes_in_use", 0))
    try:
        return float(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 4e9


def cache_bytes(b: Backend, device: str) -> int:
    """The last-level cache of ``device``: the largest CPU cache level in sysfs, a GPU's L2."""
    if device == "gpu":
        try:
            if b.name == "cupy":
                import cupy

                return int(cupy.cuda.runtime.getDeviceProperties(0)["l2CacheSize"])
            if b.name == "torch":
                import torch

                return int(torch.cuda.get_device_properties(0).L2_cache_size)
        except (AttributeError, KeyError):  # pragma: no cover - old drivers
            pass
        return _DEFAULT_GPU_CACHE
    return cpu_cache_bytes()


def cpu_cache_bytes() -> int:
    """Size of the highest-level CPU cache (per instance) read from sysfs."""
    best_level, best = -1, 0
    for d in glob.glob("/sys/devices/system/cpu/cpu0/cache/index*"):
        try:
            with open(os.path.join(d, "level")) as fh:
                level = int(fh.read())
            with open(os.path.join(d, "size")) as fh:
                text = fh.read().strip().upper()
        except (OSError, ValueError):
            continue
        scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:], 1)
        size = int(text.rstrip("KMG")) * scale
        if level > best_level or (level == best_level and size > best):
            best_level, best = level, size
    return best or _DEFAULT_CPU_CACHE


def data(b: Backend, shape: tuple[int, ...], dtype: str, seed: int, device: str) -> Any:
    """Standard-normal benchmark data of ``shape`` on the backend's benchmark device."""
    if b.name == "dask":
        import dask.array as da

        # generated where it is stored (the workers, on a cluster), chunked as ``from_array``
        # would: a host array would travel inside the graph, and persist keeps it computed once
        x = da.random.default_rng(seed).standard_normal(shape, dtype=dtype, chunks="auto")
        return b.persist(x)
    host = np.random.default_rng(seed).standard_normal(shape).astype(dtype)
    return _place(b, host, device)


def filled(b: Backend, n: int, value: float, device: str) -> Any:
    """A float32 vector of ``n`` copies of ``value`` (cheap to make, for bandwidth kernels)."""
    return _place(b, np.full(n, value, dtype=np.float32), device)


def raw_matmul(b: Backend) -> Callable[[Any, Any], Any]:
    """The library's own matmul, at the precision xpmath's matmul setting asks for."""
    if b.name == "jax":
        import jax
        import jax.numpy as jnp

        from .._precision import get_matmul_precision

        prec = jax.lax.Precision.HIGHEST if get_matmul_precision() == "strict" else None
        return lambda a, c: jnp.matmul(a, c, precision=prec)
    if b.name == "torch":
        from .torch_fast import tf32_matmul

        return tf32_matmul
    return b.xp.matmul


def raw_norm(b: Backend) -> Callable[[Any, float], Any]:
    """The library's own vector norm ``f(x, ord)``."""
    if b.name == "numpy":
        return lambda x, o: np.linalg.norm(x, o)
    if b.name == "jax":
        import jax.numpy as jnp

        return lambda x, o: jnp.linalg.norm(x, o)
    if b.name == "torch":
        import torch

        return lambda x, o: torch.linalg.vector_norm(x, o)
    if b.name == "cupy":
        import cupy

        return lambda x, o: cupy.linalg.norm(x, o)
    xp = b.xp
    return lambda x, o: xp.linalg.vector_norm(x, ord=o)


def stream_kernels(b: Backend) -> dict[str, tuple[Callable[..., Any], float]]:
    """STREAM-like kernels ``name -> (f(x, y), bytes moved per element)``.

    ``read`` sums ``x`` (one read), ``copy`` writes ``x + 1`` (one read, one write) and
    ``triad`` writes ``x + 3 y`` (two reads, one write), as STREAM counts them. Compiled on JAX
    so the triad is one fused pass, as it is on the other backends' elementwise kernels.
    """
    xp = b.xp
    kernels: dict[str, tuple[Callable[..., Any], float]] = {
        "read": (lambda x, y: xp.sum(x), 1.0),
        "copy": (lambda x, y: x + 1, 2.0),
        "triad": (lambda x, y: x + 3 * y, 3.0),
    }
    if b.name == "jax":
        import jax

        kernels = {k: (jax.jit(f), w) for k, (f, w) in kernels.items()}
    if b.name == "numpy":
        out: dict[tuple[str, int], np.ndarray] = {}

        def copy(x: Any, y: Any) -> Any:
            dst = out.setdefault(("copy", x.size), np.empty_like(x))
            return np.add(x, 1, out=dst)

        def triad(x: Any, y: Any) -> Any:
            dst = out.setdefault(("triad", x.size), np.empty_like(x))
            np.multiply(y, 3, out=dst)
            return np.add(dst, x, out=dst)

        kernels["copy"] = (copy, 2.0)
        kernels["triad"] = (triad, 3.0)  # two passes over dst: measures below the true peak
    return kernels


def fresh_start(b: Backend, w0: Any) -> Callable[[], Any]:
    """The starting point for one timed call. Dask names its tasks by their inputs, so two
    loops doing the same arithmetic from the same ``w0`` (xpmath's and the hand-written one)
    would share task keys and one would be served the other's results still held on the
    cluster; on Dask each call therefore starts from a uniquely named copy of ``w0``."""
    if b.name != "dask":
        return lambda: w0
    return lambda: w0.map_blocks(np.copy, name=f"gd-start-{uuid.uuid4().hex}")


def raw_gd(
    b: Backend, a: Any, y: Any, start: Callable[[], Any], lr: float, inv_m: float, steps: int
) -> Callable[[], Any]:
    """The best hand-written least-squares gradient-descent loop for the backend."""
    w0 = start()
    if b.name == "jax":
        import jax

        @jax.jit
        def run(w: Any) -> Any:
            def body(_: Any, w: Any) -> Any:
                return w - lr * ((a @ w - y) @ a) * inv_m

            return jax.lax.fori_loop(0, steps, body, w)

        return lambda: run(w0)
    xp = b.xp

    def loop() -> Any:
        w = start()
        for _ in range(steps):
            w = w - lr * (xp.matmul(xp.matmul(a, w) - y, a) * inv_m)
            w = b.persist(w)
        return w

    return loop


def runtime_details(b: Backend) -> dict[str, Any]:
    """Facts about the backend's runtime for ``xpmath info`` and benchmark records (imports
    it): JAX's x64 switch and platform, CUDA versions and device names, torch's threads."""
    out: dict[str, Any] = {}
    if b.name == "jax":
        import jax

        out["x64"] = bool(jax.config.jax_enable_x64)
        out["platform"] = jax.default_backend()
    elif b.name == "cupy":
        import cupy

        dev = cupy.cuda.Device()
        out["device_name"] = cupy.cuda.runtime.getDeviceProperties(dev.id)["name"].decode()
        out["cuda_runtime"] = cupy.cuda.runtime.runtimeGetVersion()
        out["driver"] = cupy.cuda.runtime.driverGetVersion()
    elif b.name == "torch":
        import torch

        out["cuda"] = torch.version.cuda
        out["threads"] = torch.get_num_threads()
        if torch.cuda.is_available():
            out["device_name"] = torch.cuda.get_device_name()
    return out


def allow_dtypes(b: Backend, dtypes: list[str]) -> None:
    """Make the benchmark's dtypes computable on ``b`` where the library needs a switch: JAX
    computes float64 only with x64 enabled (float32 rows are unaffected)."""
    if b.name == "jax" and any(d in ("float64", "complex128") for d in dtypes):
        from .._convert import enable_x64

        enable_x64()
