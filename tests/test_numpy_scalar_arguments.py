"""NumPy's scalars (``np.int64(2)``, ``np.float32(0.01)``: what indexing, ``argmax`` and
arithmetic on arrays hand back) are accepted wherever a Python number is, with the same
answer, as NumPy and JAX accept them; a value of the wrong kind gets one xpmath error naming
the argument, never a TypeError from inside. ``linalg.norm(x, ord=np.int64(2))``,
``tensordot(axes=np.int64(1))``, ``grad(argnums=np.int64(1))`` and ``derivative(step=
np.float32(0.01))`` were refused or failed with ``'numpy.int64' object is not iterable``."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xpmath
from xpmath import calculus, linalg

INTS = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint64]
FLOATS = [np.float16, np.float32, np.float64]


def _calls(bk, rng):
    """(name, f(scalar) -> result, the Python value, the NumPy types it may come as)."""
    xp = bk.xp
    v, m = rng.standard_normal(6), rng.standard_normal((3, 4))
    a, b = rng.standard_normal((3, 4, 5)), rng.standard_normal((5, 2))

    def grad(k):
        g = calculus.grad(lambda p, q: xp.sum(p * q * q), argnums=k)
        return bk.call(g, bk.asarray(v), bk.asarray(v))

    return {
        "vector_norm ord": (lambda o: bk.call(linalg.vector_norm, bk.asarray(v), ord=o), 3, INTS),
        "vector_norm ord (float)": (
            lambda o: bk.call(linalg.vector_norm, bk.asarray(v), ord=o),
            2.5,
            FLOATS,
        ),
        "norm ord (matrix)": (lambda o: bk.call(linalg.norm, bk.asarray(m), ord=o), 1, INTS),
        "normalize ord": (lambda o: bk.call(linalg.normalize, bk.asarray(m), ord=o), 1.0, FLOATS),
        "tensordot axes": (
            lambda k: bk.call(linalg.tensordot, bk.asarray(a), bk.asarray(b), axes=k),
            1,
            INTS,
        ),
        "tensordot axes (pair)": (
            lambda k: bk.call(linalg.tensordot, bk.asarray(a), bk.asarray(b), axes=(k, 0)),
            2,
            INTS,
        ),
        "grad argnums": (grad, 1, INTS),
        "derivative step": (
            lambda h: bk.call(lambda x: calculus.derivative(xp.sin, x, step=h).df, bk.asarray(v)),
            0.125,
            FLOATS,
        ),
    }


@given(data=st.data())
@settings(max_examples=10)
def test_numpy_scalars_give_the_python_numbers_answer(bk, data) -> None:
    calls = _calls(bk, np.random.default_rng(1))
    name = data.draw(st.sampled_from(sorted(calls)), label="call")
    f, value, types = calls[name]
    kind = data.draw(st.sampled_from(types), label="type")
    scalar = kind(value)
    python = int(scalar) if isinstance(value, int) else float(scalar)
    want = bk.to_numpy(f(python))
    got = bk.to_numpy(f(scalar))
    np.testing.assert_array_equal(got, want, err_msg=f"{name} with {scalar!r}")


def test_wrong_kinds_get_an_xpmath_error_naming_the_argument(bk) -> None:
    a, b = bk.asarray(np.ones((2, 3))), bk.asarray(np.ones((3, 3)))
    for axes, match in [
        (([5], [0]), "axes\\[0\\]=5 is out of range"),  # (it wrapped to axis 1)
        (([0], [-4]), "axes\\[1\\]=-4 is out of range"),
        (([1.5], [0]), "axes must be an integer"),
        ((1, None), "axes must be an int or a pair"),
        (([1, 1], [0, 1]), "duplicate axes"),
        (None, "axes must be an int or a pair"),
    ]:
        with pytest.raises(xpmath.XpmathError, match=match):
            linalg.tensordot(a, b, axes=axes)
    for argnums in [1.5, None, (0, 1.0), np.float64(1)]:
        with pytest.raises(xpmath.InvalidArgumentError, match="argnums must be"):
            calculus.grad(lambda x: x.sum(), argnums=argnums)
    x = bk.asarray(np.ones(2))
    for step, match in [(math.inf, "finite"), (math.nan, "finite"), (0, "> 0"), (True, "real")]:
        with pytest.raises(xpmath.InvalidArgumentError, match=f"step must be.*{match}"):
            calculus.derivative(bk.xp.sin, x, step=step)
    for ord in [np.float64(math.nan), "two", np.bool_(True)]:
        with pytest.raises(xpmath.InvalidArgumentError, match="ord="):
            linalg.vector_norm(x, ord=ord)
