"""pytest-benchmark suite: ``pytest benchmarks/ --benchmark-json=out.json``.

Each benchmark synchronises inside the timed function and records its throughput in
``extra_info``. JAX runs with x64 so float64 rows exist.
"""

from __future__ import annotations

import os

os.environ.setdefault("JAX_ENABLE_X64", "1")
# SciPy reads this once, when it is first imported (xpmath.bench imports it before
# test_peers.py runs): without it SciPy turns torch and JAX arrays into NumPy arrays and the
# peer columns would time SciPy on NumPy
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import pytest

from xpmath.bench.runner import default_backends


@pytest.fixture(params=default_backends())
def backend(request: pytest.FixtureRequest):
    from xpmath._backends import BACKENDS

    return BACKENDS[request.param]
