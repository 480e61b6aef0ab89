"""normalize, standardize, finfo/eps."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import xpmath
from xpmath import linalg


@pytest.mark.parametrize(("ord", "axis"), [(2, -1), (1, 0), (np.inf, -1), (2, None)])
def test_normalize(bk, rng, ord, axis) -> None:
    x = rng.standard_normal((4, 3))
    x[1] = 0.0
    got = bk.to_numpy(bk.call(linalg.normalize, bk.asarray(x), ord, axis))
    n = (
        np.linalg.norm(x, ord=ord, axis=axis, keepdims=True)
        if axis is not None
        else np.linalg.norm(x.ravel(), ord)
    )
    ref = x / np.where(n == 0, 1, n)
    np.testing.assert_allclose(got, ref, rtol=1e-12)
    assert np.all(np.isfinite(got))


def test_normalize_tutorial(bk) -> None:
    m = bk.asarray(np.array([[1.0, 2], [3, 4]]))
    np.testing.assert_allclose(
        bk.to_numpy(linalg.normalize(m, axis=None)),
        np.array([[1.0, 2], [3, 4]]) / 5.477225575051661,
        rtol=1e-12,
    )


def test_standardize(bk, rng) -> None:
    x = rng.standard_normal((20, 3)) * [1, 5, 0] + [0, 3, 7]
    got = bk.to_numpy(bk.call(linalg.standardize, bk.asarray(x)))
    np.testing.assert_allclose(got[:, :2].mean(0), 0, atol=1e-12)
    np.testing.assert_allclose(got[:, :2].std(0), 1, rtol=1e-12)
    np.testing.assert_array_equal(got[:, 2], 0.0)  # constant column: zeros, not NaN
    with pytest.raises(xpmath.InvalidArgumentError, match="ddof"):
        linalg.standardize(bk.asarray(x), ddof=-1)


@pytest.mark.parametrize(
    ("shape", "axis", "ddof"), [((1, 3), 0, 1), ((2, 3), 1, 3), ((2, 3), None, 9)]
)
def test_standardize_without_degrees_of_freedom_is_nan(bk, rng, shape, axis, ddof) -> None:
    """``N - ddof <= 0``: the scale is undefined, so every entry is NaN on every backend
    (NumPy's std warned and gave NaN or inf by the data, so 0 or NaN came out)."""
    import warnings

    x = rng.standard_normal(shape)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = bk.to_numpy(bk.call(lambda a: linalg.standardize(a, axis, ddof=ddof), bk.asarray(x)))
    assert got.shape == shape and np.all(np.isnan(got))


def test_finfo_eps(bk) -> None:
    assert linalg.eps("float64", backend=bk.name) == np.finfo(np.float64).eps
    assert linalg.eps("float32", backend=bk.name) == np.finfo(np.float32).eps
    x = bk.asarray(np.ones(2, dtype=np.float32))
    assert float(linalg.finfo(x).eps) == np.finfo(np.float32).eps


@given(
    name=st.sampled_from(["float16", "float32", "float64", "complex64", "complex128"]),
    form=st.sampled_from(["name", "native dtype", "array", "numpy scalar type"]),
)
def test_finfo_of_every_form_is_numpys(bk, name, form) -> None:
    """A floating dtype's name, the backend's dtype object, an array of it, or NumPy's scalar
    type: the limits are NumPy's (a NumPy scalar type has ``dtype`` and ``shape`` attributes
    and was read as an array, a raw AttributeError)."""
    try:
        native = bk.backend.dtype(name)
    except xpmath.DTypeError:
        return  # (array_api_strict has no float16)
    arg = {
        "name": name,
        "native dtype": native,
        "array": bk.asarray(np.zeros(2, dtype=name)) if form == "array" else None,
        "numpy scalar type": getattr(np, name),
    }[form]
    got = linalg.finfo(arg, backend=bk.name)
    want = np.finfo(name)
    assert float(got.eps) == float(want.eps) and float(got.max) == float(want.max)
    assert linalg.eps(arg, backend=bk.name) == float(want.eps)


@pytest.mark.parametrize(
    "bad", ["abc", "int32", None, 3, 2.5, [1.0], np.int8, np.array(["a"]), np.array([1, 2])]
)
def test_finfo_of_what_is_not_a_floating_dtype_names_it(bk, bad) -> None:
    """Names, numbers, lists, integer dtypes and arrays that are not floating: a DTypeError
    naming the argument (raw AttributeError or ValueError before; None gave float64's)."""
    with pytest.raises(xpmath.DTypeError, match="finfo: dtype_or_array"):
        linalg.finfo(bad, backend=bk.name)
