"""The Dask scheduler a benchmark runs on; the code lives in ``xpmath._backends.dask_cluster``
beside the other backend companions, and is importable from here as before."""

from __future__ import annotations

from .._backends.dask_cluster import dask_scheduler

__all__ = ["dask_scheduler"]
