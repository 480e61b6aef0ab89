"""One step-acceptance rule for the eager and the compiled optimiser loops: a step is taken
only if the gradient is finite and not exploding, the new iterate is finite and so is the loss
there; a rejected step ends the run as diverged with ``x`` the last accepted iterate."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from xpmath import optimize, stats
from xpmath._backends.numpy import dot_step_check
from xpmath.optimize.acceptance import acceptable, blowup_bound, step_sq_norm


def _loss(x):
    return stats.mean((x - 3.0) ** 2)


@pytest.mark.parametrize("method", ["gradient_descent", "sgd", "adam", "rmsprop"])
def test_a_step_to_infinity_is_rejected_on_every_backend(bk, rng, method) -> None:
    x0 = rng.uniform(-1, 1, 3)
    run = getattr(optimize, method)
    res = run(_loss, bk.asarray(x0), lr=1e308, steps=4, history=True)
    # the first step overflows: x stays x0, no step counted, the history has no loss
    np.testing.assert_array_equal(bk.to_numpy(res.x), x0)
    assert int(res.nit) == 0 and not bool(res.success)
    assert np.all(np.isnan(bk.to_numpy(res.history)))


def test_accepted_runs_agree_between_eager_and_compiled(bk, rng) -> None:
    x0 = rng.uniform(-1, 1, 3)
    res = optimize.gradient_descent(_loss, bk.asarray(x0), lr=0.1, steps=5, history=True)
    want = 3.0 + (x0 - 3.0) * (1 - 0.2 / 3) ** 5  # closed form: x <- x - lr * 2 (x - 3) / 3
    np.testing.assert_allclose(bk.to_numpy(res.x), want, rtol=1e-10)
    hist = bk.to_numpy(res.history)
    steps = 3.0 + (x0[:, None] - 3.0) * (1 - 0.2 / 3) ** np.arange(1, 6)
    np.testing.assert_allclose(hist, np.mean((steps - 3.0) ** 2, axis=0), rtol=1e-10)
    assert int(res.nit) == 5 and bool(res.success)


@pytest.mark.parametrize(
    ("gsq", "blowup", "finite_x", "f_new", "ok"),
    [
        (1.0, 10.0, True, 0.5, True),
        (float("inf"), 10.0, True, 0.5, False),  # gradient overflowed
        (20.0, 10.0, True, 0.5, False),  # exploded
        (1.0, 10.0, False, 0.5, False),  # the step left the finite numbers
        (1.0, 10.0, True, float("nan"), False),  # the loss there is not finite
        (1.0, 10.0, True, None, True),  # loss not evaluated
    ],
)
def test_the_rule_is_one_function_for_floats_and_arrays(gsq, blowup, finite_x, f_new, ok) -> None:
    assert acceptable(math, gsq, blowup, finite_x, f_new) is ok
    got = acceptable(
        np,
        np.asarray(gsq),
        blowup,
        np.asarray(finite_x),
        None if f_new is None else np.asarray(f_new),
    )
    assert bool(got) is ok


@pytest.mark.parametrize(
    ("lr", "tol", "steps"),
    [(0.1, None, 6), (0.4, 1e-3, 200), (1e308, None, 4), (50.0, None, 30)],
    ids=["steps", "converges", "overflows", "explodes"],
)
def test_running_ahead_changes_nothing(bk, rng, monkeypatch, lr, tol, steps) -> None:
    """On a GPU stream (or a Dask cluster) the eager loop submits step k+1 before reading
    step k's check; the iterates, ``nit`` and status must be those of the plain loop."""
    b = bk.backend
    if not bk.eager:
        pytest.skip("a compiled loop has no Python-side check to run ahead of")
    x0 = bk.asarray(rng.uniform(-1, 1, 3))
    plain = optimize.gradient_descent(_loss, x0, lr=lr, tol=tol, steps=steps)
    monkeypatch.setattr(type(b), "runs_ahead", lambda self, x: True)
    ahead = optimize.gradient_descent(_loss, x0, lr=lr, tol=tol, steps=steps)
    np.testing.assert_array_equal(bk.to_numpy(ahead.x), bk.to_numpy(plain.x))
    assert int(ahead.nit) == int(plain.nit) and ahead.status == plain.status
    assert ahead.message == plain.message


_GSQ = st.one_of(
    st.floats(min_value=0.0, allow_infinity=True),
    st.sampled_from([0.0, 1.0, 1e292, 1.7e308, math.inf, math.nan]),
)


@given(gsq0=_GSQ, gsq=_GSQ)
def test_the_plain_loops_one_comparison_is_the_rule(gsq0, gsq) -> None:
    """The plain eager loop tests ``gsq <= blowup_bound(gsq0)`` after the first step and
    ``gsq0 <= largest float`` at it: the same verdicts as :func:`acceptable` (a NaN ``gsq``
    stands for a non-finite iterate)."""
    first = acceptable(math, gsq0, 1e16 * (gsq0 + 1.0), True)
    assert (gsq0 <= sys.float_info.max) is first
    if first:
        assert (gsq <= blowup_bound(gsq0)) is acceptable(math, gsq, 1e16 * (gsq0 + 1.0), True)


@pytest.mark.parametrize(
    ("momentum", "weight_decay"), [(0.0, 0.0), (0.5, 0.0), (0.0, 0.1)], ids=["plain", "mom", "wd"]
)
def test_the_inline_plain_update_is_the_rules(bk, rng, momentum, weight_decay) -> None:
    """Plain gradient descent's update is written inline in the eager loop; it and the rule's
    own step (taken with a callback, which runs the general loop) give the same iterates."""
    x0 = bk.asarray(rng.uniform(-1, 1, 4))
    kw = {"lr": 0.3, "steps": 7, "momentum": momentum, "weight_decay": weight_decay}
    fast = optimize.sgd(_loss, x0, **kw)
    general = optimize.sgd(_loss, x0, callback=lambda k, x: False, **kw)
    np.testing.assert_array_equal(bk.to_numpy(fast.x), bk.to_numpy(general.x))
    assert int(fast.nit) == int(general.nit) == 7 and fast.status == general.status
    # and against the closed form of the plain rule on this quadratic
    if momentum == weight_decay == 0.0:
        want = 3.0 + (bk.to_numpy(x0) - 3.0) * (1 - 0.6 / 4) ** 7
        np.testing.assert_allclose(bk.to_numpy(fast.x), want, rtol=1e-12)


_JACS = {
    "quadratic": lambda x: 2 * (x - 3.0),
    "clipped": lambda x: (x - 3.0) / (1.0 + abs(x - 3.0)),  # finite even at x = ±inf
    "push": lambda x: x * 0.0 - 1.0,  # a constant pull upwards: overflows for a large lr
}


@given(
    x0=st.lists(
        st.one_of(
            st.floats(-10, 10),
            st.sampled_from([1e299, -1e299, 1e300, 1.7e308, -1.7e308, 5e-324, 0.0]),
        ),
        min_size=1,
        max_size=40,
    ),
    lr=st.sampled_from([1e-3, 0.4, 3.0, 1e10, 1e299, 1e300, 1e308]),
    jac=st.sampled_from(sorted(_JACS)),
    steps=st.integers(0, 12),
    tol=st.sampled_from([None, 1e-3]),
)
@example(x0=[1.7e308], lr=1e308, jac="push", steps=3, tol=None)  # overflows at once
@example(x0=[1.0], lr=1e308, jac="push", steps=3, tol=None)  # overflows at the second step
@example(x0=[1e299, -2.0], lr=1e299, jac="push", steps=12, tol=None)  # crosses the limit
def test_bounded_iterates_read_as_the_full_check(bk, x0, lr, jac, steps, tol) -> None:
    """Plain gradient descent on a backend with host norms reads only ``|g|`` while its
    iterates are provably finite; a run with a callback reads every iterate. Both must take
    the same steps and stop the same way, at overflow, explosion or convergence alike."""
    if not bk.eager:
        pytest.skip("the compiled loop has no host reads to save")
    x = bk.asarray(np.asarray(x0, dtype=np.float64))
    kw = {"jac": _JACS[jac], "lr": lr, "steps": steps, "tol": tol}
    with np.errstate(all="ignore"):
        fast = optimize.gradient_descent(_loss, x, **kw)
        full = optimize.gradient_descent(_loss, x, callback=lambda k, x: False, **kw)
    np.testing.assert_array_equal(bk.to_numpy(fast.x), bk.to_numpy(full.x))
    assert (int(fast.nit), fast.status) == (int(full.nit), full.status)
    assert np.all(np.isfinite(bk.to_numpy(fast.x))) or not np.all(np.isfinite(x0))


_ODD = st.sampled_from([math.inf, -math.inf, math.nan, 1e300, -0.0, 5e-324])


@given(
    n=st.integers(1, 40),
    dtype=st.sampled_from(["float32", "float64", "complex64", "complex128"]),
    shape2d=st.booleans(),
    g_odd=st.lists(st.tuples(st.integers(0, 39), _ODD, st.booleans()), max_size=2),
    x_odd=st.lists(st.tuples(st.integers(0, 39), _ODD, st.booleans()), max_size=3),
    seed=st.integers(0, 2**32 - 1),
)
# (a complex gradient with an infinite part squares to NaN, as |g|**2 of the old form did)
@pytest.mark.filterwarnings("ignore:invalid value encountered in multiply:RuntimeWarning")
@example(n=3, dtype="complex128", shape2d=False, g_odd=[], x_odd=[(1, math.inf, True)], seed=0)
@example(n=1, dtype="float32", shape2d=False, g_odd=[(0, 1e300, False)], x_odd=[], seed=1)
@example(n=4, dtype="complex64", shape2d=True, g_odd=[], x_odd=[], seed=2)  # all finite
def test_one_reduction_is_the_steps_check(bk, n, dtype, shape2d, g_odd, x_odd, seed) -> None:
    """A step's check is ``sum |g|**2`` where ``x_new`` is finite and not finite where it is
    not (also when only an imaginary part left the finite numbers), as one reduction on every
    backend and as each backend's ``step_check`` (a host float or a 0-d array)."""
    r = np.random.default_rng(seed)
    dt = np.dtype(dtype)

    def draw(odd):
        v = r.standard_normal(n) * 10.0 ** r.integers(-3, 4, n)
        if dt.kind == "c":
            v = v + 1j * r.standard_normal(n)
        v = v.astype(dt)
        for i, value, imag in odd:
            if imag and dt.kind == "c":
                v[i % n] = complex(v[i % n].real, value)
            else:
                v[i % n] = value
        return v.reshape(n, 1) if shape2d else v

    with np.errstate(all="ignore"):
        g, x_new = draw(g_odd), draw(x_odd)
        g64 = g.astype(np.complex128 if dt.kind == "c" else np.float64)
        want = float(np.sum(np.abs(g64) ** 2)) if np.all(np.isfinite(x_new)) else math.nan
    gb, xb = bk.asarray(g), bk.asarray(x_new)
    fused = bk.call(lambda a, c: step_sq_norm(bk.xp, a, c), gb, xb)
    checks = [float(bk.to_numpy(fused))]
    if not bk.jit:
        checks.append(float(bk.to_numpy(bk.backend.step_check(gb, xb))))
    if bk.name == "numpy" and dt.kind == "f":  # CuPy's lane, on NumPy's identical API
        with np.errstate(all="ignore"):
            checks.append(float(dot_step_check(g, x_new)))
    rtol = 1e-5 if dt in (np.float32, np.complex64) else 1e-12
    for got in checks:
        if not math.isfinite(want) or want > float(np.finfo(dt).max):
            # NaN where x_new is not finite; a gradient with NaN or inf, or a square that
            # overflows the dtype, reads NaN or inf (the host lane's math.hypot(inf, nan) is
            # inf, as IEEE 754 has it): the acceptance rule rejects either
            assert not math.isfinite(got)
        else:
            assert got == pytest.approx(want, rel=rtol, abs=float(np.finfo(dt).tiny))
