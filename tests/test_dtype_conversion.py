"""Arrays of every NumPy dtype handed to every backend: the same dtype and values, or an
``xpmath.DTypeError`` that names the argument and the dtype (float128 anywhere but NumPy and
Dask, float16 on array_api_strict), never the library's own ``TypeError``."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import xpmath

NUMERIC = [
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64", "longdouble", "complex64", "complex128", "clongdouble",
]  # fmt: skip


def _values(dtype: str, shape: tuple[int, ...], seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(shape) * 50).astype(dtype)


@given(
    dtype=st.sampled_from(NUMERIC),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
    seed=st.integers(0, 2**32 - 1),
)
def test_asarray_and_to_backend_keep_the_dtype_or_say_why(bk, dtype, shape, seed) -> None:
    x = _values(dtype, shape, seed)
    for what, convert in (
        ("obj", lambda: xpmath.asarray(x, backend=bk.name)),
        ("x", lambda: xpmath.to_backend(x, bk.name)),
    ):
        try:
            got = convert()
        except xpmath.DTypeError as exc:
            msg = str(exc)
            assert msg.startswith(f"{what}: {bk.name} has no {x.dtype.name} dtype"), msg
            assert "float64" in msg  # what to convert to
            continue
        back = bk.to_numpy(got)
        assert back.dtype == x.dtype, (back.dtype, x.dtype)
        np.testing.assert_array_equal(back, x)


@pytest.mark.parametrize("dtype", ["longdouble", "clongdouble", "float16"])
def test_asking_for_a_dtype_converts_on_the_host_first(bk, dtype) -> None:
    # an explicit dtype= is a conversion the user asked for, done before the backend sees it
    x = np.linspace(-2, 2, 5).astype(dtype)
    want = "complex128" if dtype == "clongdouble" else "float64"
    got = bk.to_numpy(xpmath.asarray(x, dtype=want, backend=bk.name))
    assert got.dtype == want
    np.testing.assert_array_equal(got, x.astype(want))


def test_a_missing_requested_dtype_is_a_dtype_error(bk) -> None:
    names = [n for n in ("float16", "float128") if not hasattr(bk.backend.xp, n)]
    if bk.name in ("numpy", "dask"):
        names = []  # NumPy has both; Dask holds NumPy blocks of any NumPy dtype
    for name in names:
        with pytest.raises(xpmath.DTypeError, match=f"dtype: {bk.name} has no {name} dtype"):
            xpmath.asarray([1.0, 2.0], dtype=name, backend=bk.name)
