"""The optimisers inside function transforms: under ``torch.func.vmap`` (values cannot be
read) a first-order run is an array program with no host reads, whose every row is the run an
eager call gives, whether the batch is the start or data the objective closes over; a
callback, which must read the state every step, is refused with an ``xpmath`` error under
``torch.func`` and ``jax.jit`` alike, and so is ``minimize``'s quasi-Newton and simplex
methods under ``torch.func.vmap``, which decide every iteration from values."""

from __future__ import annotations

import numpy as np
import pytest

from xpmath import InvalidArgumentError, optimize


def _loss(x):
    return ((x - 1.5) ** 2).sum()


@pytest.mark.parametrize("method", ["gradient_descent", "sgd", "adam", "rmsprop"])
@pytest.mark.parametrize(
    "settings",
    [{}, {"tol": 1e-2}, {"ftol": 1e-10}, {"history": True}, {"lr": 1e308, "history": True}],
    ids=["steps", "tol", "ftol", "history", "overflow"],
)
def test_rows_under_torch_vmap_are_the_eager_runs(rng, method, settings) -> None:
    torch = pytest.importorskip("torch")
    x0 = torch.from_numpy(rng.uniform(-2, 2, (4, 3)))
    kw = {"lr": 0.05, "steps": 40, **settings}
    run = getattr(optimize, method)
    fields = ["x", "status", "nit", *(["history"] if settings.get("history") else [])]

    def one(x):
        res = run(_loss, x, **kw)
        return tuple(torch.as_tensor(res[k]) for k in fields)

    batched = torch.func.vmap(one)(x0)
    for i in range(x0.shape[0]):
        res = run(_loss, x0[i], **kw)
        for k, got in zip(fields, batched):
            want = np.asarray(torch.as_tensor(res[k]))
            np.testing.assert_allclose(got[i].numpy(), want, rtol=1e-12, atol=0, err_msg=k)


def test_callback_under_torch_vmap_is_refused(rng) -> None:
    torch = pytest.importorskip("torch")
    x0 = torch.from_numpy(rng.uniform(-2, 2, (2, 3)))

    def call(x):
        return optimize.adam(_loss, x, lr=0.1, steps=3, callback=lambda k, x: False).x

    with pytest.raises(InvalidArgumentError, match=r"adam: callback.*transform"):
        torch.func.vmap(call)(x0)


def test_callback_under_jax_jit_is_refused(rng) -> None:
    jax = pytest.importorskip("jax")
    x0 = jax.numpy.asarray(rng.uniform(-2, 2, 3))

    def call(x):
        return optimize.sgd(_loss, x, lr=0.1, steps=3, callback=lambda k, x: False).x

    with pytest.raises(InvalidArgumentError, match=r"sgd: callback.*transform"):
        jax.jit(call)(x0)


@pytest.mark.parametrize("method", ["gradient_descent", "adam"])
@pytest.mark.parametrize(
    "settings", [{}, {"tol": 1e-3}, {"ftol": 1e-9, "history": True}], ids=["steps", "tol", "ftol"]
)
def test_batched_data_in_the_objective_under_torch_vmap(rng, method, settings) -> None:
    """The start is one plain tensor, the batch is the data the objective closes over: the
    first gradient is a tracer, so the run restarts as the array program."""
    torch = pytest.importorskip("torch")
    centres = torch.from_numpy(rng.uniform(-2, 2, (3, 2)))
    x0 = torch.zeros(2, dtype=torch.float64)
    run = getattr(optimize, method)
    fields = ["x", "status", "nit", *(["history"] if settings.get("history") else [])]

    def one(c):
        res = run(lambda x: ((x - c) ** 2).sum(), x0, lr=0.1, steps=60, **settings)
        return tuple(torch.as_tensor(res[k]) for k in fields)

    batched = torch.func.vmap(one)(centres)
    for i in range(centres.shape[0]):
        want = one(centres[i])
        for k, got, w in zip(fields, batched, want):
            np.testing.assert_allclose(got[i].numpy(), w.numpy(), rtol=1e-12, atol=0, err_msg=k)


def test_gradient_through_a_run_under_torch_func_grad(rng) -> None:
    """``x*`` of ``|x - c|^2 + |x|^2`` is ``c / 2``: the derivative of the unrolled run's
    ``sum(x)`` in ``c`` is 1/2 per entry (to the contraction's rounding after 200 steps)."""
    torch = pytest.importorskip("torch")
    c = torch.from_numpy(rng.uniform(-2, 2, 3))
    x0 = torch.zeros(3, dtype=torch.float64)

    def end(c):
        res = optimize.gradient_descent(
            lambda x: ((x - c) ** 2).sum() + (x**2).sum(), x0, lr=0.1, steps=200
        )
        return res.x.sum()

    np.testing.assert_allclose(torch.func.grad(end)(c).numpy(), np.full(3, 0.5), rtol=1e-12)


@pytest.mark.parametrize("method", ["bfgs", "l-bfgs", "cg", "nelder-mead"])
@pytest.mark.parametrize("batched", ["start", "data"])
def test_minimize_value_driven_methods_refused_under_torch_vmap(rng, method, batched) -> None:
    torch = pytest.importorskip("torch")
    rows = torch.from_numpy(rng.uniform(-2, 2, (2, 3)))
    zero = torch.zeros(3, dtype=torch.float64)

    def one(r):
        if batched == "start":
            return optimize.minimize(_loss, r, method=method).x
        return optimize.minimize(lambda x: ((x - r) ** 2).sum(), zero, method=method).x

    with pytest.raises(InvalidArgumentError, match=rf"minimize: method '{method}'.*transform"):
        torch.func.vmap(one)(rows)
    # outside the transform the same problems solve
    res = optimize.minimize(lambda x: ((x - rows[0]) ** 2).sum(), zero, method=method, tol=1e-8)
    np.testing.assert_allclose(res.x.numpy(), rows[0].numpy(), atol=1e-4)


@pytest.mark.parametrize("method", ["gd", "adam"])
@pytest.mark.parametrize("tol", [None, 0.2, 1e-30], ids=["no-tol", "reached", "missed"])
@pytest.mark.parametrize("transform", ["torch.func.vmap", "jax.jit"])
def test_minimize_first_order_under_transforms(rng, method, tol, transform) -> None:
    """``minimize``'s gd and adam inside a transform: the same ``x`` and ``success`` as an
    eager call (a tolerance that 60 steps do not reach is no success, as data)."""
    c_np = rng.uniform(-1, 1, (2, 3))
    opts = {"method": method, "tol": tol, "options": {"lr": 0.1}, "maxiter": 60}
    if transform == "jax.jit":
        import xpmath

        jax = pytest.importorskip("jax")
        xpmath.enable_x64()
        xp, zero = jax.numpy, jax.numpy.zeros(3)
        cs = jax.numpy.asarray(c_np)
    else:
        torch = pytest.importorskip("torch")
        xp, zero = torch, torch.zeros(3, dtype=torch.float64)
        cs = torch.from_numpy(c_np)

    def one(c):
        res = optimize.minimize(lambda x: ((x - c) ** 2).sum(), zero, **opts)
        return res.x, xp.asarray(res.success)

    if transform == "jax.jit":
        batched = [jax.jit(one)(cs[i]) for i in range(2)]
        got_x = np.stack([np.asarray(x) for x, _ in batched])
        got_ok = [bool(ok) for _, ok in batched]
    else:
        x, ok = torch.func.vmap(one)(cs)
        got_x, got_ok = x.numpy(), [bool(v) for v in ok]
    for i, c in enumerate(cs):
        res = optimize.minimize(lambda x, c=c: ((x - c) ** 2).sum(), zero, **opts)
        np.testing.assert_allclose(got_x[i], np.asarray(res.x), rtol=1e-12, atol=1e-15)
        assert got_ok[i] is res.success
    assert got_ok == [tol != 1e-30] * 2
