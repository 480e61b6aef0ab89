"""The backpropagation example: hand-written gradients equal calculus.grad; training works."""

from __future__ import annotations

import math

import numpy as np
import pytest

import xpmath
from xpmath import ShapeError, calculus, nn

KEYS = ("W1", "b1", "W2", "b2")


def test_manual_backward_matches_grad(bk, rng) -> None:
    seed = int(rng.integers(1 << 31))
    x, y = nn.make_blobs(40, 3, 4, seed=seed, backend=bk.name)
    # (Dask's gradient is numerical: 12 graph evaluations per weight, so 3 hidden units there)
    params = nn.init_mlp(3, 3 if bk.name == "dask" else 5, 4, seed=seed, backend=bk.name)
    shapes = [tuple(params[k].shape) for k in KEYS]
    sizes = [math.prod(s) for s in shapes]
    xp = bk.xp

    def unflatten(w):
        out, i = {}, 0
        for k, s, n in zip(KEYS, shapes, sizes):
            out[k] = xp.reshape(w[i : i + n], s)
            i += n
        return out

    def loss_flat(w):
        return nn.mlp_loss(unflatten(w), x, y)

    flat = xp.concat([xp.reshape(params[k], (-1,)) for k in KEYS])
    auto = bk.to_numpy(bk.call(calculus.grad(loss_flat), flat))
    loss, manual = bk.call(nn.mlp_backward, params, x, y)
    manual = np.concatenate([bk.to_numpy(manual[k]).ravel() for k in KEYS])
    np.testing.assert_allclose(manual, auto, rtol=1e-7, atol=1e-9)
    assert float(bk.to_numpy(loss)) == pytest.approx(float(bk.to_numpy(loss_flat(flat))))


def test_forward_matches_numpy(bk) -> None:
    x, _y = nn.make_blobs(10, 2, 3, backend=bk.name)
    p = nn.init_mlp(2, 6, 3, backend=bk.name)
    pn = {k: bk.to_numpy(v) for k, v in p.items()}
    xn = bk.to_numpy(x)
    ref = np.tanh(xn @ pn["W1"] + pn["b1"]) @ pn["W2"] + pn["b2"]
    out = bk.to_numpy(nn.mlp_forward(p, x)[0])
    np.testing.assert_allclose(out, ref, rtol=1e-10, atol=1e-14)


def test_training_reduces_loss_and_fits(bk) -> None:
    if bk.jit:
        pytest.skip("train_mlp compiles its own step on JAX")
    x, y = nn.make_blobs(150, 2, 3, spread=0.7, backend=bk.name)
    params, losses = nn.train_mlp(nn.init_mlp(2, 16, 3, backend=bk.name), x, y, lr=0.5, steps=200)
    assert len(losses) == 201 and losses[-1] < 0.25 * losses[0]
    pred = np.argmax(bk.to_numpy(nn.mlp_forward(params, x)[0]), axis=1)
    assert (pred == bk.to_numpy(y)).mean() > 0.9


def test_training_steps_are_numpys_and_compiled_once(bk, monkeypatch) -> None:
    """Every backend takes NumPy's steps (float64); on JAX the step is compiled once, for
    every call and learning rate (it was compiled anew on each call)."""
    if bk.jit:
        pytest.skip("train_mlp compiles its own step on JAX")
    x, y = nn.make_blobs(60, 2, 3, seed=5, backend=bk.name)
    p0 = nn.init_mlp(2, 6, 3, seed=5, backend=bk.name)
    xn, yn = nn.make_blobs(60, 2, 3, seed=5, backend="numpy")
    pn = nn.init_mlp(2, 6, 3, seed=5, backend="numpy")
    from xpmath._dispatch import backend_of
    from xpmath.nn import mlp

    traces = []
    backward = mlp.mlp_backward

    def counted(*args):
        if backend_of(args[1]).traced(args[1]):  # (JAX tracing the step)
            traces.append(1)
        return backward(*args)

    monkeypatch.setattr(mlp, "mlp_backward", counted)
    mlp._train_step.cache_clear()  # (its step would call the uncounted function)
    for lr in (0.3, 0.1, 0.3):
        params, losses = nn.train_mlp(p0, x, y, lr=lr, steps=4)
        ref_params, ref_losses = nn.train_mlp(pn, xn, yn, lr=lr, steps=4)
        np.testing.assert_allclose(losses, ref_losses, rtol=1e-12)
        for k in KEYS:
            np.testing.assert_allclose(bk.to_numpy(params[k]), ref_params[k], rtol=1e-10)
    mlp._train_step.cache_clear()
    assert len(traces) == (1 if bk.backend.compiles else 0)  # traced once, for every call


def test_same_seed_same_data_across_backends(bk) -> None:
    x, _ = nn.make_blobs(5, 2, 2, seed=3, backend=bk.name)
    x0, _ = nn.make_blobs(5, 2, 2, seed=3, backend="numpy")
    np.testing.assert_array_equal(bk.to_numpy(x), x0)


@pytest.mark.parametrize("routine", ["mlp_forward", "mlp_loss", "mlp_backward", "train_mlp"])
@pytest.mark.parametrize(
    ("fault", "error", "words"),
    [
        ("none", xpmath.InvalidArgumentError, ["params must be a dict", "NoneType"]),
        ("a list", xpmath.InvalidArgumentError, ["params must be a dict", "list"]),
        ("missing b2", ShapeError, ["missing ['b2']"]),
        ("W1 a number", xpmath.DTypeError, ["params['W1'] must be an array", "int"]),
        ("W2 of another width", ShapeError, ["not one network", "W2 (4, 2)"]),
        ("x of strings", xpmath.DTypeError, ["x must be numeric"]),
        ("x a list", None, []),
    ],
)
def test_every_network_routine_names_itself_and_the_fault(bk, routine, fault, error, words):
    """Each routine checks the network before it reads it, and names itself: a None or a
    list was a raw TypeError in train_mlp, and mlp_loss, mlp_backward and train_mlp named
    mlp_forward; a W1 of the wrong kind was a raw AttributeError, a list x too."""
    if bk.jit:
        pytest.skip("a network's faults are found before any tracing; the eager rows cover it")
    x, y = nn.make_blobs(6, 2, 2, seed=1, backend=bk.name)
    p = nn.init_mlp(2, 3, 2, seed=1, backend=bk.name)
    if fault == "none":
        p = None
    elif fault == "a list":
        p = [p["W1"]]
    elif fault == "missing b2":
        p = {k: v for k, v in p.items() if k != "b2"}
    elif fault == "W1 a number":
        p = {**p, "W1": 1}
    elif fault == "W2 of another width":
        p = {**p, "W2": bk.asarray(np.ones((4, 2)))}
    elif fault == "x of strings":
        if bk.name not in ("numpy", "dask"):
            pytest.skip("only NumPy's dtypes (and Dask's) are strings")
        x = np.full((6, 2), "a")
        if bk.name == "dask":
            import dask.array as da

            x = da.from_array(x)
    elif fault == "x a list":
        x = bk.to_numpy(x).tolist()
    f = getattr(nn, routine)
    args = (p, x) if routine == "mlp_forward" else (p, x, y)
    kwargs = {"steps": 1} if routine == "train_mlp" else {}
    if error is None:  # a list x is made an array of the network's backend, as NumPy would
        want = f(p, bk.asarray(np.asarray(x)), *args[2:], **kwargs)
        got = f(*args, **kwargs)
        first = (lambda r: r[0]) if routine != "mlp_loss" else (lambda r: r)
        w, g = first(want), first(got)
        if isinstance(w, dict):
            w, g = w["W1"], g["W1"]
        np.testing.assert_allclose(bk.to_numpy(g), bk.to_numpy(w), rtol=1e-6)
        return
    with pytest.raises(error) as err:
        f(*args, **kwargs)
    assert str(err.value).startswith(f"{routine}: "), str(err.value)
    for w in words:
        assert w in str(err.value), (w, str(err.value))


def test_bad_params() -> None:
    x, _y = nn.make_blobs(5, 2, 2, backend="numpy")
    with pytest.raises(ShapeError, match="params"):
        nn.mlp_forward({"W1": 1}, x)
    with pytest.raises(ShapeError, match="x must have shape"):
        nn.mlp_forward(nn.init_mlp(3, 2, 2, backend="numpy"), x)
    with pytest.raises(xpmath.InvalidArgumentError, match="n_hidden"):
        nn.init_mlp(2, 0, 2)
