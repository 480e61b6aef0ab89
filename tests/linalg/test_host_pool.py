"""The host thread pool behind the long-vector ±inf norms: ranges, ordering, fork safety, and
the parallel kernel against NumPy on vectors with a NaN, an inf or a zero in any range."""

from __future__ import annotations

import itertools
import math
import os
import subprocess
import sys

import numpy as np
import pytest

from xpmath import linalg
from xpmath._backends import host_pool, numpy_fast


@pytest.mark.parametrize(("n", "parts", "align"), [(10, 3, 1), (1000, 4, 64), (5, 8, 4), (1, 2, 1)])
def test_ranges_cover_in_order_with_aligned_bounds(n, parts, align) -> None:
    spans = host_pool.ranges(n, parts, align)
    assert spans[0][0] == 0 and spans[-1][1] == n and len(spans) <= parts
    for (_, hi), (lo, _) in itertools.pairwise(spans):
        assert hi == lo and lo % align == 0
    assert all(lo < hi for lo, hi in spans)


def test_map_ranges_keeps_order_and_uses_other_threads() -> None:
    import threading

    seen: list[tuple[int, int, str]] = []

    def fn(lo: int, hi: int) -> tuple[int, int]:
        seen.append((lo, hi, threading.current_thread().name))
        return lo, hi

    out = host_pool.map_ranges(fn, 100, 10, 4)
    assert out == host_pool.ranges(100, 4, 10)
    names = {name for *_, name in seen}
    assert threading.current_thread().name in names
    assert any(name.startswith("xpmath-host") for name in names)


FORK_CHECK = """
import os, sys
from xpmath._backends import host_pool
host_pool.map_ranges(lambda lo, hi: hi - lo, 100, 10, 3)  # the parent's pool exists
pid = os.fork()
if pid == 0:  # the child must build its own pool: the parent's threads did not come along
    out = host_pool.map_ranges(lambda lo, hi: hi, 1000, 10, 3)
    os._exit(0 if out == [340, 680, 1000] else 3)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_pool_is_rebuilt_after_fork() -> None:
    # a fresh interpreter: forking this one, with JAX's and torch's threads running, is unsafe
    proc = subprocess.run([sys.executable, "-c", FORK_CHECK], timeout=60, capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()


@pytest.mark.parametrize("ord", [math.inf, -math.inf])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_parallel_extreme_matches_numpy(monkeypatch, rng, ord, dtype) -> None:
    # split 2**19 + 5 elements into 3 ranges (more than this machine may have cores)
    monkeypatch.setattr(numpy_fast, "PARALLEL_MIN", 1 << 17)
    monkeypatch.setattr(host_pool, "threads", lambda: 3)
    n = 2**19 + 5
    x = rng.standard_normal(n).astype(dtype)
    for where in (0, n // 3 + 11, n - 1):  # in the first, a middle and the last range
        for special in (np.nan, -np.inf, 0.0):
            v = x.copy()
            v[where] = special
            got = linalg.vector_norm(v, ord=ord)
            np.testing.assert_array_equal(got, np.linalg.vector_norm(v, ord=ord))
    np.testing.assert_array_equal(linalg.vector_norm(x, ord=ord), np.linalg.vector_norm(x, ord=ord))
