"""Backend hooks the topic code leans on for speed: they must answer exactly what the plain
array-API expression answers, on every backend."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

SPECIALS = [np.inf, -np.inf, np.nan]


@settings(max_examples=25, deadline=None)
@given(
    shape=st.sampled_from([(), (1,), (5,), (3, 4), (2, 0)]),
    dtype=st.sampled_from(["float32", "float64", "complex128"]),
    special=st.sampled_from([None, *SPECIALS]),
    seed=st.integers(0, 2**32 - 1),
)
def test_sum_is_finite(bk, shape, dtype, special, seed) -> None:  # type: ignore[no-untyped-def]
    if bk.jit or not bk.backend.eager:
        pytest.skip("a host read of concrete values: eager backends only")
    if dtype == "complex128" and bk.name == "array_api_strict":
        dtype = "float64"
    rng = np.random.default_rng(seed)
    data = rng.standard_normal(shape).astype(dtype)
    if special is not None and data.size:
        data.reshape(-1)[rng.integers(data.size)] = special
    want = bool(np.isfinite(np.sum(data.astype(np.complex128))))
    assert bk.backend.sum_is_finite(bk.asarray(data)) is want
