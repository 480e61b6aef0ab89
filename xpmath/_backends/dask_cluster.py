"""The Dask scheduler a benchmark runs on: Dask's default (threads in this process), a
``LocalCluster`` started for the run, or an existing ``dask.distributed`` scheduler."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

from .._errors import BackendUnavailableError, InvalidArgumentError


def _parse_local(spec: str) -> int:
    _, _, count = spec.partition(":")
    if not count:
        return 2
    if not count.isdigit() or int(count) < 1:
        raise InvalidArgumentError(
            f"bench: dask_scheduler 'local:N' needs a positive worker count; got {spec!r}"
        )
    return int(count)


@contextlib.contextmanager
def dask_scheduler(spec: str | None) -> Iterator[dict[str, Any]]:
    """Run the enclosed block on the scheduler ``spec`` names; yields its description.

    ``None`` keeps Dask's default scheduler. ``"local"`` or ``"local:N"`` starts a
    ``LocalCluster`` of N worker processes (default 2) on loopback, sharing the CPU cores between
    them, and closes it afterwards. Anything else is a scheduler address for
    ``distributed.Client`` (``"tcp://scheduler:8786"``); the cluster itself is left running.
    """
    if spec is None:
        yield {"kind": "default", "scheduler": "threads in this process"}
        return
    if not isinstance(spec, str) or not spec.strip():
        raise InvalidArgumentError(
            f"bench: dask_scheduler must be 'local', 'local:N' or an address; got {spec!r}"
        )
    try:
        import distributed
    except ImportError as exc:
        raise BackendUnavailableError(
            "bench: a Dask cluster needs dask.distributed: pip install 'xpmath[dask]'"
        ) from exc
    with contextlib.ExitStack() as stack:
        if spec == "local" or spec.startswith("local:"):
            workers = _parse_local(spec)
            cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
            cluster = stack.enter_context(
                distributed.LocalCluster(
                    n_workers=workers,
                    threads_per_worker=max(1, cores // workers),
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=":0",
                )
            )
            kind = "LocalCluster"
            client = stack.enter_context(distributed.Client(cluster))
        else:
            kind = "distributed"
            client = stack.enter_context(distributed.Client(spec))
        info = client.scheduler_info()
        ws = info.get("workers", {})
        yield {
            "kind": kind,
            "scheduler": info.get("address", spec),
            "workers": len(ws),
            "threads": sum(int(w.get("nthreads", 0)) for w in ws.values()),
            "memory_limit_bytes": sum(int(w.get("memory_limit", 0) or 0) for w in ws.values()),
        }
