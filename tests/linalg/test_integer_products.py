"""Bool and integer products against NumPy, bit for bit and dtype for dtype.

NumPy multiplies bool matrices as logic and integers in their own dtype, wrapping modulo
2**bits. torch has no bool or wide unsigned GEMM, the array API no bool products, and Dask sums
small integers into int64: each backend must still give NumPy's array, values drawn up to each
dtype's ends so that the sums wrap.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xpmath import linalg

DTYPES = ["bool", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64"]

#: (name, xpmath call, NumPy reference, operand shapes)
PRODUCTS = {
    "matmul": (linalg.matmul, np.matmul, ((2, 3, 4), (4, 2))),
    "dot": (linalg.dot, np.dot, ((3, 4), (4, 2))),
    "tensordot": (
        lambda a, b: linalg.tensordot(a, b, axes=2),
        lambda a, b: np.tensordot(a, b, 2),
        ((2, 3, 4), (3, 4)),
    ),
    "inner": (linalg.inner, np.inner, ((3, 4), (2, 4))),
    "vdot": (linalg.vdot, np.vdot, ((3, 4), (12,))),
    "outer": (linalg.outer, np.outer, ((3,), (4,))),
    "matrix_power": (
        lambda a, b: linalg.matrix_power(a, 5),
        lambda a, b: np.linalg.matrix_power(a, 5),
        ((2, 3, 3), (1,)),
    ),
    "trace": (
        lambda a, b: linalg.trace(a, offset=1),
        lambda a, b: np.trace(a, 1, -2, -1),
        ((2, 4, 4), (1,)),
    ),
}


def _draw(rng: np.random.Generator, dtype: str, shape: tuple[int, ...], edge: bool) -> np.ndarray:
    """Small values, or (``edge``) values spread to the dtype's ends, so products wrap."""
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    info = np.iinfo(dtype)
    if not edge:
        return rng.integers(0, 5, shape).astype(dtype)
    ends = np.array([info.min, info.max, info.max - 1, info.min + 1, 0, 1], dtype=dtype)
    vals = rng.integers(info.min, info.max, shape, dtype=dtype, endpoint=True)
    mask = rng.random(shape) < 0.4
    return np.where(mask, rng.choice(ends, shape), vals).astype(dtype)


@pytest.mark.parametrize("name", sorted(PRODUCTS))
@given(dtype=st.sampled_from(DTYPES), edge=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_integer_and_bool_products_are_numpys(bk, name, dtype, edge, seed) -> None:
    fn, ref, (sa, sb) = PRODUCTS[name]
    rng = np.random.default_rng(seed)
    a, b = _draw(rng, dtype, sa, edge), _draw(rng, dtype, sb, edge)
    with np.errstate(over="ignore"):
        want = np.asarray(ref(a, b))
    got = bk.to_numpy(bk.call(fn, bk.asarray(a), bk.asarray(b)))
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("name", ["matmul", "tensordot", "vdot", "inner"])
@given(da=st.sampled_from(DTYPES), db=st.sampled_from(DTYPES), seed=st.integers(0, 2**32 - 1))
def test_mixed_integer_products_promote_like_numpy(bk, name, da, db, seed) -> None:
    # torch promotes no uint16/32/64 with another dtype, the array API no bool with a number
    fn, ref, (sa, sb) = PRODUCTS[name]
    rng = np.random.default_rng(seed)
    a, b = _draw(rng, da, sa, False), _draw(rng, db, sb, False)
    want = np.asarray(ref(a, b))  # (int64 with uint64: float64, exact for these values)
    got = bk.to_numpy(bk.call(fn, bk.asarray(a), bk.asarray(b)))
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    np.testing.assert_array_equal(got, want)
