"""gradient_descent / sgd / adam / rmsprop: closed forms, float64 step-by-step references."""

from __future__ import annotations

import numpy as np
import pytest

import xpmath
from xpmath import optimize


def _quad(x):
    return xpmath.namespace(x).sum(x**2 - 2 * x + 1)


def test_tutorial_gradient_descent(bk) -> None:
    res = bk.call(
        lambda x0: optimize.gradient_descent(_quad, x0, lr=0.1, steps=100).x,
        bk.asarray(np.array([5.0])),
    )
    assert abs(float(bk.to_numpy(res)[0]) - 1.0) < 1e-8


def test_result_fields_and_tol(bk) -> None:
    res = optimize.gradient_descent(
        _quad, bk.asarray(np.array([5.0])), lr=0.1, steps=1000, tol=1e-6, history=True
    )
    assert res.success and "converged" in res.message
    assert 10 < res.nit < 1000
    hist = bk.to_numpy(res.history)
    assert hist.shape == (1000,) and np.all(np.diff(hist[: res.nit]) <= 0)
    assert float(bk.to_numpy(res.fun)) < 1e-12


def test_divergence_is_reported(bk) -> None:
    res = optimize.gradient_descent(_quad, bk.asarray(np.array([5.0])), lr=3.0, steps=500)
    assert res.success is False and "diverged" in res.message
    assert np.all(np.isfinite(bk.to_numpy(res.x)))


def _reference(rule, x0, grad, steps, **hp):
    x = x0.astype(np.float64).copy()
    m = np.zeros_like(x)
    v = np.zeros_like(x)
    out = []
    for t in range(1, steps + 1):
        g = grad(x)
        if rule == "adam":
            m = hp["beta1"] * m + (1 - hp["beta1"]) * g
            v = hp["beta2"] * v + (1 - hp["beta2"]) * g * g
            mh, vh = m / (1 - hp["beta1"] ** t), v / (1 - hp["beta2"] ** t)
            x = x - hp["lr"] * mh / (np.sqrt(vh) + hp["eps"])
        elif rule == "rmsprop":
            v = hp["alpha"] * v + (1 - hp["alpha"]) * g * g
            x = x - hp["lr"] * g / (np.sqrt(v) + hp["eps"])
        else:
            m = hp["momentum"] * m + g
            d = g + hp["momentum"] * m if hp["nesterov"] else m
            x = x - hp["lr"] * d
        out.append(x.copy())
    return out


@pytest.mark.parametrize(
    ("rule", "hp"),
    [
        ("adam", dict(lr=0.05, beta1=0.9, beta2=0.999, eps=1e-8)),
        ("rmsprop", dict(lr=0.01, alpha=0.99, eps=1e-8)),
        ("gd", dict(lr=0.05, momentum=0.9, nesterov=False)),
        ("gd", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ],
)
@pytest.mark.parametrize("steps", [1, 7, 40])
def test_matches_float64_reference_step_by_step(bk, rng, rule, hp, steps) -> None:
    a = rng.standard_normal((6, 3))
    a *= 2 / np.linalg.norm(a, 2)  # lr·λmax(aᵀa) = 0.2: a run that converges (a diverging
    # one grows to 1e9, where the two sides' rounding compounds into different trajectories)
    y = rng.standard_normal(6)
    x0 = rng.standard_normal(3)

    def grad_np(x):
        return a.T @ (a @ x - y)

    A, Y = bk.asarray(a), bk.asarray(y)

    def loss(x):
        r = A @ x - Y
        return xpmath.namespace(x).sum(r * r) / 2

    def jac(x):
        return (A @ x - Y) @ A

    fn = {"adam": optimize.adam, "rmsprop": optimize.rmsprop, "gd": optimize.gradient_descent}
    res = fn[rule](loss, bk.asarray(x0), jac=jac, steps=steps, **hp)
    ref = _reference(rule, x0, grad_np, steps, **hp)[-1]
    np.testing.assert_allclose(bk.to_numpy(res.x), ref, rtol=1e-10, atol=1e-12)


def test_autodiff_default_jac_and_callback(bk) -> None:
    seen = []
    res = optimize.sgd(
        lambda x: xpmath.namespace(x).sum((x - 3.0) ** 2),
        bk.asarray(np.zeros(2)),
        lr=0.1,
        steps=200,
        momentum=0.9,
        callback=lambda k, x: seen.append(k) or k >= 9,
    )
    assert seen == list(range(10)) and res.nit == 10


def test_validation() -> None:
    x0 = np.zeros(2)
    with pytest.raises(xpmath.InvalidArgumentError, match="lr must be > 0"):
        optimize.gradient_descent(_quad, x0, lr=-1, steps=3)
    with pytest.raises(xpmath.InvalidArgumentError, match="steps"):
        optimize.adam(_quad, x0, steps=-1)
    with pytest.raises(xpmath.InvalidArgumentError, match="beta1"):
        optimize.adam(_quad, x0, steps=3, beta1=1.0)
    with pytest.raises(xpmath.InvalidArgumentError, match="fun must be callable"):
        optimize.rmsprop(None, x0, steps=3)
    with pytest.raises(xpmath.InvalidArgumentError, match="momentum must be < 1"):
        optimize.gradient_descent(_quad, x0, lr=0.1, steps=3, momentum=1.0)


_BAD_JACS = {
    "shorter": (lambda x: x[:1], "got shape \\(1,\\)"),
    "a list": (lambda x: [1.0, 2.0], "got list"),
    "nothing": (lambda x: None, "got NoneType"),
    "a matrix": (lambda x: x[None, :] * 2.0, "got shape \\(1, 2\\)"),
}


@pytest.mark.parametrize("method", ["gradient_descent", "sgd", "adam", "rmsprop"])
@pytest.mark.parametrize("bad", sorted(_BAD_JACS))
@pytest.mark.parametrize("history", [False, True])
def test_a_gradient_of_the_wrong_kind_is_an_xpmath_error(bk, method, bad, history) -> None:
    """``jac``'s value must be an array of x0's backend and shape: otherwise the update would
    broadcast to another shape, or raise the backend's own error (checked once, and at trace
    time under ``jit``)."""
    jac, got = _BAD_JACS[bad]
    run = getattr(optimize, method)
    lr = {"lr": 0.1} if method in ("gradient_descent", "sgd") else {}
    with pytest.raises(xpmath.InvalidArgumentError, match=rf"{method}: jac must .*{got}"):
        bk.call(
            lambda x: run(_quad, x, jac=jac, steps=3, history=history, **lr).x,
            bk.asarray(np.zeros(2)),
        )


def test_a_gradient_of_another_backend_is_named() -> None:
    torch = pytest.importorskip("torch")
    with pytest.raises(xpmath.InvalidArgumentError, match=r"backend \(torch\).*a numpy array"):
        optimize.sgd(
            _quad, torch.zeros(2, dtype=torch.float64), jac=lambda x: np.ones(2), lr=0.1, steps=2
        )


@pytest.mark.parametrize("name", ["gradient_descent", "sgd", "adam", "rmsprop"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_learning_rate_sweep_compiles_once(name, dtype) -> None:
    """On JAX the learning rate and the tolerances are arguments of the compiled run: a sweep
    of them traces the objective once (each value compiled its own program before), keeps
    float32 iterates float32, and every run ends where NumPy's does."""
    jax = pytest.importorskip("jax")
    if dtype == "float64":
        xpmath.enable_x64()
    traces = []

    def loss(x):
        if isinstance(x, jax.core.Tracer):  # (NumPy's runs call it too)
            traces.append(x)
        return xpmath.namespace(x).sum((x - 1.0) ** 2 + 0.1 * x**4)

    fn = getattr(optimize, name)
    x0 = np.array([0.5, -2.0, 3.0], dtype=dtype)
    for i, (lr, tol) in enumerate([(0.01, None), (0.05, None), (0.1, 1e-3), (0.02, 1e-4)]):
        got = fn(loss, xpmath.asarray(x0, backend="jax"), lr=lr, steps=40, tol=tol)
        if i == 0:
            first = len(traces)
        want = fn(loss, x0, lr=lr, steps=40, tol=tol)
        assert xpmath.to_numpy(got.x).dtype == np.dtype(dtype)
        assert int(got.nit) == int(want.nit) and int(got.status) == int(want.status)
        rtol = 1e-4 if dtype == "float32" else 1e-10
        np.testing.assert_allclose(xpmath.to_numpy(got.x), want.x, rtol=rtol, atol=rtol)
    # one trace with a stopping test and one without (a different loop), none per value
    assert first > 0 and len(traces) <= 2 * first
