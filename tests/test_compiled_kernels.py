"""Kernels on eager JAX: eager on a signature's first call, one cached ``jax.jit`` from the
second, and eager for good where compiling would change what the caller sees (a value read, a
warning, an error, an argument that cannot be part of a signature)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xpmath
from xpmath import calculus, nn, stats
from xpmath._backends import get_backend, jax_kernels
from xpmath._dispatch import backend_of

jax = pytest.importorskip("jax")
if not get_backend("jax").status()[0]:
    pytest.skip("jax is not usable here", allow_module_level=True)
jnp = jax.numpy


@pytest.fixture(autouse=True)
def _x64() -> None:
    xpmath.enable_x64()


def _counting(body):  # type: ignore[no-untyped-def]
    """A fresh kernel (a new function object, so a fresh cache) that counts its Python runs."""
    runs = []

    def kernel(xp, *args):  # type: ignore[no-untyped-def]
        runs.append(1)
        return body(xp, *args)

    return kernel, runs


def _run(kernel, *args):  # type: ignore[no-untyped-def]
    return get_backend("jax").kernel(kernel, *args)


def test_first_call_eager_then_one_compilation() -> None:
    kernel, runs = _counting(lambda xp, x, s: xp.exp(x) * s)
    x = jnp.asarray(np.random.default_rng(0).standard_normal(5))
    want = np.exp(np.asarray(x)) * 2.0
    for _ in range(5):
        np.testing.assert_allclose(np.asarray(_run(kernel, x, 2.0)), want, rtol=1e-15)
    assert len(runs) == 2  # the eager call, then the one trace; later calls run compiled
    _run(kernel, x[:3], 2.0)  # a new shape is a new signature: eager again
    assert len(runs) == 3


def test_floats_enter_by_bit_pattern() -> None:
    kernel, _ = _counting(lambda xp, x, s: xp.copysign(xp.ones_like(x), xp.asarray(s)))
    x = jnp.ones(3)
    for _ in range(3):
        assert float(_run(kernel, x, 0.0)[0]) == 1.0
    assert float(_run(kernel, x, -0.0)[0]) == -1.0  # 0.0 == -0.0 as dict keys; not here


def test_float_and_int_statics_never_share_a_compilation() -> None:
    kernel, runs = _counting(lambda xp, x, s: x * s)  # an int scale keeps x's weak float32
    x = jnp.ones(3, dtype=jnp.float32)
    for s in (2.0, 2.0, 2.0, 2, 2, 2, True, True):
        out = _run(kernel, x, s)
        assert float(out[0]) == float(s)
    assert len(runs) == 6  # per static kind: the eager call and one trace


def test_nan_static_runs_compiled_once_hot() -> None:
    kernel, runs = _counting(lambda xp, x, s: x + s)
    x = jnp.ones(2)
    for _ in range(4):  # NaN != NaN: entered by bit pattern, so the signature is found again
        assert np.isnan(np.asarray(_run(kernel, x, float("nan")))).all()
    assert len(runs) == 2


def test_value_read_keeps_the_kernel_eager() -> None:
    def body(xp, x):  # type: ignore[no-untyped-def]
        b = backend_of(x)
        if b.is_concrete(x) and bool(xp.any(x < 0)):
            raise xpmath.InvalidArgumentError("x must be non-negative")
        return xp.sqrt(x)

    kernel, runs = _counting(body)
    good, bad = jnp.asarray([1.0, 4.0]), jnp.asarray([1.0, -4.0])
    for _ in range(4):
        np.testing.assert_array_equal(np.asarray(_run(kernel, good)), [1.0, 2.0])
    for _ in range(3):  # same signature as `good`: the check must still run
        with pytest.raises(xpmath.InvalidArgumentError):
            _run(kernel, bad)
    assert len(runs) == 4 + 1 + 3  # every call ran in Python, plus the one refused trace


def test_warning_keeps_the_kernel_eager() -> None:
    def body(xp, x):  # type: ignore[no-untyped-def]
        warnings.warn("degenerate", RuntimeWarning, stacklevel=2)
        return x + 1

    kernel, _ = _counting(body)
    x = jnp.zeros(2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            _run(kernel, x)
    assert len(caught) == 3


def test_error_is_raised_on_every_call() -> None:
    def body(xp, x):  # type: ignore[no-untyped-def]
        if x.shape[0] < 2:
            raise xpmath.ShapeError("x needs two samples")
        return x[1:] - x[:-1]

    kernel, _ = _counting(body)
    for _ in range(3):
        with pytest.raises(xpmath.ShapeError):
            _run(kernel, jnp.ones(1))


def test_unsignable_arguments_and_tracers_run_eagerly() -> None:
    kernel, runs = _counting(lambda xp, x, f: f(x))
    x = jnp.ones(2)
    for _ in range(3):
        _run(kernel, x, lambda v: v * 2)  # a closure is not part of a signature
    assert len(runs) == 3
    kernel, runs = _counting(lambda xp, x: xp.sin(x))
    out = jax.jit(lambda v: _run(kernel, v))(x)  # inside a caller's trace: joins it
    np.testing.assert_allclose(np.asarray(out), np.sin(1.0), rtol=1e-15)


def test_signature_record_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jax_kernels, "MAX_SIGNATURES", 4)
    kernel, _ = _counting(lambda xp, x, s: x * s)
    x = jnp.ones(2)
    for s in range(10):
        _run(kernel, x, float(s))
    compiled = get_backend("jax")._kernels[kernel]
    assert len(compiled.seen) <= 4


ROUTINES = {
    "softmax": lambda x: nn.softmax(x),
    "log_softmax": lambda x: nn.log_softmax(x, axis=0),
    "logsumexp": lambda x: nn.logsumexp(x, axis=-1),
    "gradient": lambda x: calculus.gradient(x, 0.5, axis=-1, edge_order=2),
    "trapezoid": lambda x: calculus.trapezoid(x, dx=0.25),
    "simpson": lambda x: calculus.simpson(x, dx=0.25),
    "cumulative_trapezoid": lambda x: calculus.cumulative_trapezoid(x),
    "cov": lambda x: stats.cov(x),
    "norm.cdf": lambda x: stats.norm(0.5, 2.0).cdf(x),
    "norm.ppf": lambda x: stats.norm.ppf(1 / (1 + jnp.exp(-x))),
    "zscore": lambda x: stats.zscore(x, axis=-1),
    "skew": lambda x: stats.skew(x, axis=-1),
    "kurtosis": lambda x: stats.kurtosis(x, axis=-1),
    "ttest_1samp": lambda x: stats.ttest_1samp(x, 0.1, axis=-1)[:2],
    "ttest_ind": lambda x: stats.ttest_ind(x, x[::-1] * 0.5 + 0.1, axis=-1, equal_var=False)[:2],
    "ttest_rel": lambda x: stats.ttest_rel(x, x[::-1] * 0.5, axis=-1)[:2],
}


SCALE_FREE = {"zscore", "skew", "kurtosis", "ttest_1samp", "ttest_ind", "ttest_rel"}


@pytest.mark.parametrize("routine", sorted(ROUTINES))
@settings(max_examples=6, deadline=None)
@given(
    rows=st.integers(1, 4),
    cols=st.integers(3, 9),
    scale=st.sampled_from([1e-150, 1e-3, 1.0, 1e3, 1e150]),  # cov's squares stay finite
    seed=st.integers(0, 2**32 - 1),
)
def test_compiled_call_matches_eager_call(
    routine: str, rows: int, cols: int, scale: float, seed: int
) -> None:
    """The compiled form (third call) gives the eager form's answer (first call), and both
    give NumPy/SciPy's in float64."""
    rng = np.random.default_rng(seed)
    data = rng.standard_normal((rows, cols)) * scale
    f = ROUTINES[routine]
    x = jnp.asarray(data)
    eager = np.asarray(f(x))
    for _ in range(2):
        compiled = np.asarray(f(x))
    # XLA may reassociate: within 8 ulp of each value, or of the result's scale where a value
    # is a small difference of large ones (a z-score near the mean). Standardised statistics
    # are O(1) by construction, and their compiled form always scales the deviations (eager
    # skips it where no slice needs it): 8 ulp of 1 there
    eps8 = 8 * np.finfo(np.float64).eps
    top = float(np.max(np.abs(eager[np.isfinite(eager)]), initial=0.0))
    if routine in SCALE_FREE:
        top = max(top, 1.0)
    np.testing.assert_allclose(compiled, eager, rtol=eps8, atol=eps8 * top)
    reference = np.asarray(f(data))
    np.testing.assert_allclose(compiled, reference, rtol=1e-12, atol=0)
