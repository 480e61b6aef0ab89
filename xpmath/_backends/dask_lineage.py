"""Bounded lineage for iterative loops on a ``dask.distributed`` cluster.

Persisting the loop state every step keeps the client's graphs flat, but the scheduler still
remembers how every persisted chunk was computed (its lineage, kept so lost data can be
recomputed), so its task table and memory grow with the number of steps. Distributed has no
"forget provenance" call (dask/distributed#809); what it does forget is the history of scattered
data. So when a loop state's chain of persisted steps reaches :data:`MAX_DEPTH`, small arrays
(parameters and optimizer state, up to :data:`MAX_BYTES` together) are gathered to the client and
scattered back: same values and chunks, no history. Larger states keep their lineage.

Dropping history must not lose what Dask promises: that a lost worker's results are recomputed.
Scattered data has no lineage (and the scheduler's active memory manager trims replicas of it
to one), so a worker loss after a re-scatter used to cancel the run with "lost dependencies".
The state is therefore re-seeded as **literal data in the graph** (``da.from_array`` of the
gathered values): the scheduler keeps each chunk's task with its data, so a chunk lost with a
worker is recomputed from that task, however many workers die, with a history one task deep.
The scheduler holds one copy of each live state (at most :data:`MAX_BYTES`), released when the
loop moves on.

The scheduler also keeps performance metrics per *span* for good (dask/distributed#7977), and
a loop that leaves the cluster idle between steps opens a new default span every step.
:func:`loop_scope` puts a whole loop in one span, which bounds those metrics; what remains is
the scheduler's record of each step's task groups (measured: ~50 KB per step on the
scheduler, see ``benchmarks/test_dask_memory.py``).
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from typing import Any

#: persisted steps a loop state may accumulate before its history is dropped
MAX_DEPTH = 64
#: arrays larger than this (summed per call) keep their lineage: moving them costs more
MAX_BYTES = 64 * 2**20
#: names remembered (oldest forgotten first): a few per live loop suffice
_MEMORY = 4096

_depth: OrderedDict[str, int] = OrderedDict()


def _client() -> Any:
    try:
        from distributed import default_client
    except ImportError:
        return None
    try:
        return default_client()
    except ValueError:  # no client: Dask's local schedulers keep no lineage
        return None


def _input_depth(x: Any) -> int:
    graph = x.__dask_graph__()
    names = graph.layers.keys() if hasattr(graph, "layers") else graph.keys()
    return max((_depth.get(n, 0) for n in names), default=0)


def _remember(name: str, depth: int) -> None:
    _depth[name] = depth
    _depth.move_to_end(name)
    while len(_depth) > _MEMORY:
        _depth.popitem(last=False)


def persist_bounded(xs: tuple[Any, ...]) -> tuple[Any, ...]:
    """``dask.persist(*xs)``; on a distributed client, drop deep lineage of small arrays."""
    import dask

    client = _client()
    if client is None:
        return tuple(dask.persist(*xs))
    lazy = [i for i, x in enumerate(xs) if hasattr(x, "__dask_graph__")]
    depth = 1 + max((_input_depth(xs[i]) for i in lazy), default=0)
    out = list(dask.persist(*xs))
    arrays = [i for i in lazy if hasattr(out[i], "chunks")]
    small = sum(out[i].nbytes for i in arrays) <= MAX_BYTES
    if depth >= MAX_DEPTH and arrays and small:
        out = _reseed(client, out, arrays)
        depth = 0
    for i in arrays:
        _remember(out[i].name, depth)
    return tuple(out)


def _reseed(client: Any, out: list[Any], arrays: list[int]) -> list[Any]:
    """Replace ``out[i]`` (i in ``arrays``) by the same values and chunks with no history."""
    import warnings

    import dask
    import dask.array as da
    import numpy as np

    values = client.gather(client.compute([out[i] for i in arrays]))
    # chunks keep their array type (NumPy, or CuPy for Dask on a GPU); 0-d results come back
    # as scalars and become arrays again
    fresh = [
        da.from_array(
            np.asarray(v) if isinstance(v, np.generic) or not hasattr(v, "ndim") else v,
            chunks=out[i].chunks,
            name=False,
        )
        for i, v in zip(arrays, values)
    ]
    with warnings.catch_warnings():  # the data is meant to travel in the graph
        warnings.filterwarnings("ignore", message=".*[Ll]arge object.*")
        fresh = list(dask.persist(*fresh))
    for i, arr in zip(arrays, fresh):
        out[i] = arr
    return out


def loop_scope(name: str) -> contextlib.AbstractContextManager[Any]:
    """One ``distributed.span`` for a whole loop when a client is active, else nothing."""
    if _client() is None:
        return contextlib.nullcontext()
    from distributed import span

    return span(name)
