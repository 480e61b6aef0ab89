"""The settings a compiled optimiser program takes as arrays are made once per setting and
never kept from a caller's trace (``optimize/program_args.py``)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from xpmath.optimize import program_args as pa


def _make(b: Any, value: float, calls: list[float]) -> Any:
    calls.append(value)
    return b.asarray(value)


@given(values=st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=6))
def test_made_once_per_setting_and_never_kept_from_a_trace(bk, values) -> None:
    b, calls = bk.backend, []
    pa._KEPT.clear()

    def settings(x: Any) -> Any:
        outs = [pa.program_args(b, _make, ("lr", v), v, calls) for v in values]
        return outs, x

    outs, _ = bk.call(settings, bk.asarray(1.0))
    distinct = list(dict.fromkeys(values))
    if bk.jit:  # made inside the trace: the trace's arrays, none kept
        assert not pa._KEPT and len(calls) == len(values)
        return
    assert len(calls) == len(distinct)  # one array per distinct setting, kept
    again = [pa.program_args(b, _make, ("lr", v), v, calls) for v in values]
    assert len(calls) == len(distinct) and all(x is y for x, y in zip(again, outs))
    got = [bk.to_numpy(o) for o in outs]  # (in the backend's default float dtype)
    np.testing.assert_array_equal(got, [np.asarray(v, dtype=g.dtype) for v, g in zip(values, got)])


def test_the_record_is_bounded(bk) -> None:
    b, calls = bk.backend, []
    pa._KEPT.clear()
    for v in range(pa.LIMIT + 3):
        pa.program_args(b, _make, v, float(v), calls)
    assert 0 < len(pa._KEPT) <= pa.LIMIT
    first = pa.program_args(b, _make, "key", 1.0, calls)
    other = pa.program_args(b, lambda b, v: b.asarray(v), "key", 2.0)  # (its own record)
    assert float(bk.to_numpy(other)) == 2.0 and float(bk.to_numpy(first)) == 1.0


def test_a_run_with_a_callback_compiles_its_step_once() -> None:
    """JAX: the step a callback reads after is compiled once per problem, with the learning
    rate and the closed-over data as its arguments; a second call (another learning rate
    too) traces nothing, and takes the steps of the run without a callback."""
    import pytest

    jax = pytest.importorskip("jax")
    jnp = jax.numpy
    from xpmath import optimize

    c = jnp.asarray([1.0, -2.0, 0.5])
    traced = []

    def loss(x):
        if isinstance(x, jax.core.Tracer):  # (the run's end evaluates it eagerly too)
            traced.append(1)
        return jnp.sum((x - c) ** 2)

    seen = []
    for lr in (0.1, 0.1, 0.05):
        res = optimize.gradient_descent(
            loss, jnp.zeros(3), lr=lr, steps=6, callback=lambda k, x: seen.append(k) and False
        )
        plain = optimize.gradient_descent(loss, jnp.zeros(3), lr=lr, steps=6)
        np.testing.assert_array_equal(np.asarray(res.x), np.asarray(plain.x))
        want = np.asarray(c) * (1 - (1 - 2 * lr) ** 6)  # x_k = c + (x0 - c)(1 - 2 lr)^k
        np.testing.assert_allclose(np.asarray(res.x), want, rtol=1e-5)
        if lr == 0.1 and len(seen) == 6:
            first = len(traced)
    assert len(seen) == 18 and len(traced) == first  # nothing traced after the first run
