"""Dask backend: chunked, lazy arrays that may live on a dask.distributed cluster."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._base import Backend


class DaskBackend(Backend):
    name = "dask"
    module = "dask"
    type_modules = ("dask",)
    install = "pip install 'xpmath[dask]'  (dask[array,distributed])"
    eager = False
    numpy_dtypes = True  # blocks are NumPy arrays: every NumPy dtype (float16 too)
    _fast_module = "xpmath._backends.dask_fast"
    random_engine = "DaskEngine"

    def _usable_reason(self) -> str:
        import dask.array  # noqa: F401  (dask without its array extra is not usable)

        return ""

    def _load_namespace(self) -> Any:
        import array_api_compat.dask.array as xp

        return xp

    def asarray(self, obj: Any, dtype: Any = None, device: Any = None) -> Any:
        import dask.array as da

        if dtype is not None:
            dtype = np.dtype(getattr(dtype, "name", dtype))
        if hasattr(obj, "dask"):
            return obj if dtype is None else obj.astype(dtype)
        return da.from_array(np.asarray(obj, dtype=dtype))

    def to_numpy(self, x: Any) -> np.ndarray:
        return np.asarray(x.compute() if hasattr(x, "compute") else x)

    def blockwise(self, fn: Any, *arrays: Any) -> Any:
        import dask.array as da

        from . import get_backend

        host = get_backend("numpy")
        like = arrays[-1]
        arrays = tuple(a if a.chunks == like.chunks else a.rechunk(like.chunks) for a in arrays)
        return da.map_blocks(
            lambda *blocks: fn(host, *blocks),
            *arrays,
            dtype=like.dtype,
            meta=np.empty((0,) * like.ndim, like.dtype),
        )

    def from_dlpack(self, x: Any, device: Any = None) -> Any:
        import dask.array as da

        return da.from_array(np.from_dlpack(x))

    def synchronize(self, x: Any = None) -> Any:
        if x is not None and hasattr(x, "persist"):
            x = x.persist()
            try:
                from distributed import default_client, wait

                default_client()
            except (ImportError, ValueError):  # local scheduler: persist() already computed
                return x
            wait(x)
        return x

    def at_set(self, x: Any, index: Any, value: Any) -> Any:
        x = x.copy()
        x[index] = value
        return x

    def persist(self, x: Any) -> Any:
        return self.persist_all((x,))[0] if hasattr(x, "persist") else x

    def persist_all(self, xs: tuple[Any, ...]) -> tuple[Any, ...]:
        # on a distributed cluster the scheduler's lineage is bounded too (dask_lineage)
        from .dask_lineage import persist_bounded

        return persist_bounded(xs)

    def persist_is_async(self) -> bool:
        from .dask_lineage import _client

        return _client() is not None

    def loop_scope(self, name: str) -> Any:
        from .dask_lineage import loop_scope

        return loop_scope(name)

    def is_concrete(self, x: Any) -> bool:
        return False

    def special(self) -> Any:
        import scipy.special

        return scipy.special  # ufuncs: applied lazily, chunk by chunk
