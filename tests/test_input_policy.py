"""One input policy: Python scalars and lists are accepted as NumPy accepts them, everywhere.

They become arrays of the current default backend, so the same call with lists gives the
result of the call with that backend's arrays.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import xpmath
from xpmath import DTypeError, calculus, linalg, nn, stats

M = [[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]]
V = [0.5, -1.5, 2.0, 3.25]

CALLS = {
    "linalg.norm": (linalg.norm, (V,)),
    "linalg.vector_norm": (linalg.vector_norm, (V,)),
    "linalg.matmul": (linalg.matmul, (M, M)),
    "linalg.dot": (linalg.dot, (V, V)),
    "linalg.outer": (linalg.outer, (V, V)),
    "linalg.inv": (linalg.inv, (M,)),
    "linalg.det": (linalg.det, (M,)),
    "linalg.solve": (linalg.solve, (M, [1.0, 2.0, 3.0])),
    "linalg.eigvalsh": (linalg.eigvalsh, (M,)),
    "linalg.cholesky": (linalg.cholesky, (M,)),
    "linalg.trace": (linalg.trace, (M,)),
    "calculus.gradient": (calculus.gradient, (V,)),
    "calculus.trapezoid": (calculus.trapezoid, (V,)),
    "calculus.simpson": (calculus.simpson, (V,)),
    "calculus.cumulative_trapezoid": (calculus.cumulative_trapezoid, (V,)),
    "nn.relu": (nn.relu, (V,)),
    "nn.sigmoid": (nn.sigmoid, (V,)),
    "nn.gelu": (nn.gelu, (V,)),
    "nn.softmax": (nn.softmax, (V,)),
    "nn.log_softmax": (nn.log_softmax, (V,)),
    "nn.logsumexp": (nn.logsumexp, (V,)),
    "nn.softplus": (nn.softplus, (V,)),
    "nn.mse": (nn.mse, (V, [0.0, 1.0, 2.0, 3.0])),
    "stats.mean": (stats.mean, (V,)),
    "stats.var": (stats.var, (V,)),
    "stats.std": (stats.std, (V,)),
    "stats.median": (stats.median, (V,)),
    "stats.skew": (stats.skew, (V,)),
    "stats.kurtosis": (stats.kurtosis, (V,)),
    "stats.zscore": (stats.zscore, (V,)),
    "stats.cov": (stats.cov, (M,)),
    "stats.corrcoef": (stats.corrcoef, (M,)),
    "stats.norm.cdf": (stats.norm.cdf, (V,)),
    "stats.t.sf": (lambda x: stats.t.sf(x, 4.0), (V,)),
    "stats.ttest_1samp": (lambda a: stats.ttest_1samp(a, 0.0).statistic, (V,)),
}


def _as(bk, value):
    return bk.asarray(np.asarray(value, dtype=np.float64))


@pytest.mark.parametrize("name", list(CALLS))
def test_lists_follow_the_default_backend(bk, name) -> None:
    if bk.jit:
        pytest.skip("lists are not traced values; the eager rows cover the policy")
    f, args = CALLS[name]
    with xpmath.use(bk.name):
        from_lists = f(*args)
    from_arrays = f(*(_as(bk, a) for a in args))
    if hasattr(from_lists, "shape") and getattr(from_lists, "ndim", 0) > 0:
        assert xpmath.namespace(from_lists) is bk.xp, name
    got = np.asarray(xpmath.to_numpy(from_lists) if hasattr(from_lists, "shape") else from_lists)
    want = np.asarray(
        xpmath.to_numpy(from_arrays) if hasattr(from_arrays, "shape") else from_arrays
    )
    # lists become the backend's default float (float32 on torch), as NumPy's become float64
    rtol = 1e-12 if got.dtype == np.float64 else 2e-6
    np.testing.assert_allclose(
        got.astype(np.float64), want.astype(np.float64), rtol=rtol, atol=1e-7
    )


@pytest.mark.parametrize("bad", ["abc", None, {"a": 1}, [[1.0, 2.0], [3.0]]])
def test_things_that_are_not_arrays_name_the_argument(bad) -> None:
    with pytest.raises(DTypeError, match="relu: x"):
        nn.relu(bad)


#: routines whose arguments are arrays of numbers, beyond CALLS: (routine, good arguments)
MORE_NUMERIC = {
    "linalg.vdot": (linalg.vdot, (V, V)),
    "linalg.inner": (linalg.inner, (V, V)),
    "linalg.tensordot": (lambda a, b: linalg.tensordot(a, b, axes=1), (M, M)),
    "linalg.matrix_power": (lambda x: linalg.matrix_power(x, 2), (M,)),
    "stats.quantile": (stats.quantile, (V, [0.25, 0.5])),
    "nn.binary_cross_entropy": (nn.binary_cross_entropy, ([0.2, 0.9], [0.0, 1.0])),
}

#: dtypes that are not numbers: NumPy's (and Dask's, over NumPy chunks)
NOT_NUMBERS = {
    "str": lambda shape: np.full(shape, "a"),
    "bytes": lambda shape: np.full(shape, b"a"),
    "object": lambda shape: np.ones(shape, dtype=object),
    "datetime64": lambda shape: np.zeros(shape, dtype="datetime64[s]"),
    "timedelta64": lambda shape: np.zeros(shape, dtype="timedelta64[s]"),
}


@pytest.mark.parametrize("kind", list(NOT_NUMBERS))
@pytest.mark.parametrize("name", [*CALLS, *MORE_NUMERIC])
@pytest.mark.parametrize("lib", ["numpy", "dask"])  # (the only backends with such dtypes)
def test_arrays_that_are_not_numbers_name_the_argument(lib, name, kind) -> None:
    """Every argument position of every routine: an array of strings, bytes, objects or
    dates is a DTypeError naming the routine and saying what was expected. matmul, dot, vdot,
    inner, outer, tensordot and trace raised NumPy's UFuncTypeError or ValueError for them;
    quantile's q, and the target of mse and binary_cross_entropy, took dates as numbers; on
    Dask a timedelta passed as an integer; std, median and corrcoef named var, quantile and
    cov."""
    if lib == "dask":
        pytest.importorskip("dask.array")
    f, args = {**CALLS, **MORE_NUMERIC}[name]
    short = name.rsplit(".", 1)[-1]
    for i in range(len(args)):
        bad = NOT_NUMBERS[kind](np.shape(args[i]))
        called = [xpmath.asarray(np.asarray(a, dtype=np.float64), backend=lib) for a in args]
        called[i] = bad if lib == "numpy" else _dask_of(bad)
        with pytest.raises(DTypeError, match=r"numeric|could not be made|not an array") as err:
            xpmath.to_numpy(f(*called))
        assert short in str(err.value) or "ttest" in str(err.value), (name, i, str(err.value))


def _dask_of(values: np.ndarray):
    import dask.array as da

    return da.from_array(values, chunks=-1)


@given(values=st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=12))
def test_property_list_and_array_agree(bk, values) -> None:
    if bk.jit:
        return
    with xpmath.use(bk.name):
        for name in ("nn.relu", "stats.mean", "linalg.norm", "nn.logsumexp"):
            f = CALLS[name][0]
            got = xpmath.to_numpy(f(values))
            want = xpmath.to_numpy(f(_as(bk, values)))
            rtol = 1e-12 if np.asarray(got).dtype == np.float64 else 2e-6
            np.testing.assert_allclose(
                got, want, rtol=rtol, atol=1e-6 * max(1.0, np.abs(values).max())
            )


RESULT_TYPE_CASES = {
    "norm": [lambda x, m, o=o: linalg.norm(x, ord=o) for o in (None, 1, 2, np.inf, 0, 3)],
    "matrix norm": [lambda x, m, o=o: linalg.norm(m, ord=o) for o in (None, "fro", "nuc", 1, 2)],
    "trace/cond/inner": [
        lambda x, m: linalg.trace(m),
        lambda x, m: linalg.cond(m),
        lambda x, m: linalg.cond(m, 1),
        lambda x, m: linalg.inner(x, x),
        lambda x, m: linalg.dot(x, x),
    ],
    "stats": [
        lambda x, m: stats.median(x),
        lambda x, m: stats.quantile(x, 0.3),
        lambda x, m: stats.var(x, ddof=1),
        lambda x, m: stats.skew(x, bias=False),
    ],
    "nn": [lambda x, m: nn.logsumexp(x), lambda x, m: nn.mse(x, x * 0)],
    "calculus": [
        lambda x, m: calculus.trapezoid(x),
        lambda x, m: calculus.simpson(x, x=np.arange(4.0)),
    ],
}


@pytest.mark.parametrize("group", list(RESULT_TYPE_CASES))
def test_zero_d_results_are_numpy_scalars_for_every_option(group) -> None:
    x, m = np.asarray(V), np.asarray(M)
    for i, f in enumerate(RESULT_TYPE_CASES[group]):
        out = f(x, m)
        assert isinstance(out, np.floating | np.integer), (group, i, type(out))


def _two_array_examples() -> list[tuple[str, int]]:
    """(routine, argument index) for every example of two or more floating arrays."""
    from .table_examples import EXAMPLES, RANDOM

    out = []
    for routine in sorted(EXAMPLES):
        _, arrays = EXAMPLES[routine](np.random.default_rng(0))
        if routine not in RANDOM and sum(a.dtype.kind == "f" for a in arrays) >= 2:
            out += [(routine, i) for i in range(len(arrays))]
    return out


#: a Python list given beside a float64 array ``x``, in keyword and extra arguments
#: (``arr`` makes a NumPy array one of ``x``'s backend)
MIXED = {
    "quantile q": lambda x, arr: stats.quantile(x, [0.1, 0.35]),
    "logsumexp b": lambda x, arr: nn.logsumexp(x, b=[0.1, 0.3, 0.7, 0.9]),
    "gradient spacing": lambda x, arr: calculus.gradient(x, [0.1, 0.3, 0.7, 1.3]),
    "trapezoid x": lambda x, arr: calculus.trapezoid(x, [0.1, 0.3, 0.7, 1.3]),
    "matmul": lambda x, arr: linalg.matmul([[0.1, 0.2, 0.3, 0.7]], x),
    "solve b": lambda x, arr: linalg.solve(arr(np.diag([1.0, 3.0, 7.0, 9.0])), V),
    "solve a": lambda x, arr: linalg.solve(np.diag([1.0, 3.0, 7.0, 9.0]).tolist(), x),
    "ttest_ind": lambda x, arr: stats.ttest_ind(x, [0.1, 0.3, 0.2]).statistic,
    "cov y": lambda x, arr: stats.cov(x, [0.1, 0.3, 0.2, 0.7]),
}


@pytest.mark.parametrize(("routine", "which"), _two_array_examples())
def test_a_list_beside_a_float64_array_is_not_narrowed(bk, rng, routine, which) -> None:
    """A Python list combined with float64 arrays is read in float64, as NumPy reads it, on
    every backend: torch makes a lone list float32 (its default), which rounded ``[0.1]`` to
    float32 on the way into a float64 computation."""
    from .table_examples import EXAMPLES

    if bk.jit:
        pytest.skip("lists are not traced values; the eager rows cover the policy")
    call, arrays = EXAMPLES[routine](rng)
    args = [bk.asarray(a) for a in arrays]
    want = call(*args)
    args[which] = arrays[which].tolist()
    with xpmath.use(bk.name):
        got = call(*args)
    for g, w in zip(
        got if isinstance(got, tuple) else (got,),
        want if isinstance(want, tuple) else (want,),
        strict=True,
    ):
        g, w = np.asarray(xpmath.to_numpy(g)), np.asarray(xpmath.to_numpy(w))
        assert g.dtype == w.dtype, f"{routine}: {g.dtype}, with arrays {w.dtype}"
        np.testing.assert_allclose(g, w, rtol=1e-13, atol=1e-15, err_msg=routine)


@pytest.mark.parametrize("name", list(MIXED))
def test_a_list_argument_beside_float64_data_is_not_narrowed(bk, name) -> None:
    if bk.jit:
        pytest.skip("lists are not traced values; the eager rows cover the policy")
    f = MIXED[name]
    got = xpmath.to_numpy(f(_as(bk, V), lambda a: bk.asarray(a)))
    want = xpmath.to_numpy(f(np.asarray(V), np.asarray))  # NumPy: the list is read as float64
    assert got.dtype == np.float64 == want.dtype, name
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15, err_msg=name)
