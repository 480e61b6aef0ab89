"""The first-order optimisers inside function transforms: under ``torch.func.vmap`` (values
cannot be read) the run is an array program with no host reads, whose every row is the run
an eager call gives; a callback, which must read the state every step, is refused with an
``xpmath`` error under ``torch.func`` and ``jax.jit`` alike."""

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
