"""The environment a result was measured in: devices, versions, BLAS, threads, precision."""

from __future__ import annotations

import os
import platform
from typing import Any

import numpy as np

from .._backends import BACKENDS, bench_support
from .._backends.bench_support import cpu_name


def blas_info() -> dict[str, Any]:
    """NumPy's BLAS/LAPACK build information (name, version, threading)."""
    try:
        cfg = np.show_config(mode="dicts")
    except TypeError:  # NumPy < 1.26
        return {}
    deps = cfg.get("Build Dependencies", {})
    blas = deps.get("blas", {})
    return {
        "name": blas.get("name"),
        "version": blas.get("version"),
        "openblas_config": blas.get("openblas configuration"),
    }


def thread_count() -> int | None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        val = os.environ.get(var)
        if val and val.isdigit():
            return int(val)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count()


def backend_details(name: str) -> dict[str, Any]:
    """Version, devices and precision state of one usable backend (imports it)."""
    b = BACKENDS[name]
    out: dict[str, Any] = {"version": b.version()}
    try:
        out["devices"] = [str(d) for d in b.devices()]
    except Exception as exc:  # pragma: no cover - device query failures are reported, not raised
        out["devices"] = [f"error: {exc}"]
    out.update(bench_support.runtime_details(b))
    return out


def environment(names: list[str] | None = None) -> dict[str, Any]:
    """Everything that determines a timing: machine, Python, BLAS, threads, backends."""
    from .._precision import get_matmul_precision

    if names is None:
        names = [n for n, b in BACKENDS.items() if b.status()[0]]
    return {
        "machine": platform.machine(),
        "cpu": cpu_name(),
        "cpu_count": os.cpu_count(),
        "threads": thread_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas_info(),
        "matmul_precision": get_matmul_precision(),
        "backends": {n: backend_details(n) for n in names},
    }
