"""A small thread pool for memory-bound host reductions.

NumPy releases the GIL inside its reductions, so a long array split into one range per core
is read by all cores at once. The pool is created on first use, sized to the machine, and
re-created in a forked child (a fork copies the pool object but not its threads).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

#: at most this many ranges: beyond a few cores one core's share no longer gains bandwidth
MAX_THREADS = 8

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pool_pid = -1


def threads() -> int:
    """How many ranges a long array is split into: the usable cores, at most MAX_THREADS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_THREADS))


def _executor(workers: int) -> ThreadPoolExecutor:
    global _pool, _pool_pid
    with _lock:
        if _pool is None or _pool_pid != os.getpid():
            _pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="xpmath-host")
            _pool_pid = os.getpid()
        return _pool


def ranges(n: int, parts: int, align: int) -> list[tuple[int, int]]:
    """``parts`` consecutive ranges covering ``[0, n)``, inner bounds multiples of ``align``."""
    step = -(-n // parts)
    step = -(-step // align) * align
    return [(lo, min(lo + step, n)) for lo in range(0, n, step)]


def map_ranges(fn: Callable[[int, int], T], n: int, align: int, parts: int) -> list[T]:
    """``fn(lo, hi)`` over ``ranges(n, parts, align)``: the first range in the calling thread,
    the rest on the pool; results in range order."""
    spans = ranges(n, parts, align)
    if len(spans) == 1:
        return [fn(*spans[0])]
    pool = _executor(max(1, threads() - 1))
    futures = [pool.submit(fn, lo, hi) for lo, hi in spans[1:]]
    first = fn(*spans[0])
    return [first, *(f.result() for f in futures)]
