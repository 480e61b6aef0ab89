"""xpmath against the libraries users already have, on the same inputs in the same run.

``pytest benchmarks/test_peers.py --benchmark-only --benchmark-json=peers.json`` times, for
every function xpmath shares with a peer, both implementations on each backend the peer
supports (SciPy in array-API mode, NumPy/torch/JAX's own calls, ``jax.scipy``), at a small
(1e3), medium (1e5) and large (1e7) size. Before timing, each test checks that the two answers
agree with the float64 reference (NumPy/SciPy) to the function's tolerance: a speed number
only counts where the answers agree. ``python benchmarks/peers_table.py peers.json`` prints
xpmath ÷ fastest peer per function, backend and size.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any

os.environ.setdefault("SCIPY_ARRAY_API", "1")

import numpy as np
import pytest

import xpmath
from xpmath import calculus, linalg, nn, optimize, stats
from xpmath._backends import BACKENDS

BACKEND_NAMES = [n for n in ("numpy", "torch", "jax") if BACKENDS[n].status()[0]]
SIZES = {"1e3": 1_000, "1e5": 100_000, "1e7": 10_000_000}
ROUNDS = {"1e3": 40, "1e5": 12, "1e7": 3}


def _native(backend: str) -> Any:
    if backend == "torch":
        import torch

        return torch
    if backend == "jax":
        import jax.numpy as jnp

        return jnp
    return np


def _scipy(module: str) -> Any:
    import importlib

    return importlib.import_module(f"scipy.{module}")


def _jax_scipy(module: str) -> Any:
    import importlib

    return importlib.import_module(f"jax.scipy.{module}")


# name -> (input maker, xpmath call, {peer: (backends, call)}, rtol)
Case = tuple[Callable[..., tuple[np.ndarray, ...]], Callable[..., Any], dict[str, Any], float]


def _two(rng: np.random.Generator, n: int) -> tuple[np.ndarray, ...]:
    return rng.standard_normal(n), rng.standard_normal(n) + 0.1


def _one(rng: np.random.Generator, n: int) -> tuple[np.ndarray, ...]:
    return (rng.standard_normal(n),)


def _prob(rng: np.random.Generator, n: int) -> tuple[np.ndarray, ...]:
    return (rng.uniform(0.001, 0.999, n),)


def _pos(rng: np.random.Generator, n: int) -> tuple[np.ndarray, ...]:
    return (rng.uniform(0.1, 20.0, n),)


ALL = ("numpy", "torch", "jax")
CASES: dict[str, Case] = {
    "ttest_ind": (
        _two,
        lambda bk, a, b: stats.ttest_ind(a, b),
        {"scipy": (ALL, lambda bk, a, b: _scipy("stats").ttest_ind(a, b))},
        1e-9,
    ),
    "ttest_1samp": (
        _one,
        lambda bk, a: stats.ttest_1samp(a, 0.1),
        {"scipy": (ALL, lambda bk, a: _scipy("stats").ttest_1samp(a, 0.1))},
        1e-9,
    ),
    "skew": (
        _one,
        lambda bk, a: stats.skew(a),
        {"scipy": (ALL, lambda bk, a: _scipy("stats").skew(a))},
        1e-9,
    ),
    "kurtosis": (
        _one,
        lambda bk, a: stats.kurtosis(a),
        {"scipy": (ALL, lambda bk, a: _scipy("stats").kurtosis(a))},
        1e-9,
    ),
    "zscore": (
        _one,
        lambda bk, a: stats.zscore(a),
        {"scipy": (ALL, lambda bk, a: _scipy("stats").zscore(a))},
        1e-9,
    ),
    "logsumexp": (
        _one,
        lambda bk, a: nn.logsumexp(a),
        {
            "scipy": (ALL, lambda bk, a: _scipy("special").logsumexp(a)),
            "jax.scipy": (("jax",), lambda bk, a: _jax_scipy("special").logsumexp(a)),
        },
        1e-12,
    ),
    "softmax": (
        _one,
        lambda bk, a: nn.softmax(a),
        {
            "scipy": (ALL, lambda bk, a: _scipy("special").softmax(a)),
            "jax.scipy": (("jax",), lambda bk, a: _jax_scipy("special").softmax(a)),
        },
        1e-12,
    ),
    "log_softmax": (
        _one,
        lambda bk, a: nn.log_softmax(a),
        {
            "scipy": (ALL, lambda bk, a: _scipy("special").log_softmax(a)),
            "jax.scipy": (("jax",), lambda bk, a: _jax_scipy("special").log_softmax(a)),
        },
        1e-12,
    ),
    "norm.cdf": (
        _one,
        lambda bk, a: stats.norm.cdf(a),
        {
            "scipy ndtr": (ALL, lambda bk, a: _scipy("special").ndtr(a)),
            "jax.scipy ndtr": (("jax",), lambda bk, a: _jax_scipy("special").ndtr(a)),
        },
        1e-12,
    ),
    "norm.ppf": (
        _prob,
        lambda bk, p: stats.norm.ppf(p),
        {
            "scipy ndtri": (ALL, lambda bk, p: _scipy("special").ndtri(p)),
            "jax.scipy ndtri": (("jax",), lambda bk, p: _jax_scipy("special").ndtri(p)),
        },
        1e-10,
    ),
    "gamma.cdf": (
        _pos,
        lambda bk, x: stats.gamma.cdf(x, 3.5),
        {
            # a 0-d array for the shape: SciPy hands torch arrays to torch.special.gammainc,
            # which takes tensors only
            "scipy gammainc": (
                ALL,
                lambda bk, x: _scipy("special").gammainc(
                    _native(bk).asarray(3.5, dtype=x.dtype), x
                ),
            ),
            "jax.scipy gammainc": (("jax",), lambda bk, x: _jax_scipy("special").gammainc(3.5, x)),
        },
        1e-10,
    ),
    "trapezoid": (
        _one,
        lambda bk, y: calculus.trapezoid(y, dx=0.5),
        {
            "scipy": (ALL, lambda bk, y: _scipy("integrate").trapezoid(y, dx=0.5)),
            "jax.scipy": (("jax",), lambda bk, y: _jax_scipy("integrate").trapezoid(y, dx=0.5)),
        },
        1e-9,
    ),
    "cumulative_trapezoid": (
        _one,
        lambda bk, y: calculus.cumulative_trapezoid(y, dx=0.5),
        {"scipy": (ALL, lambda bk, y: _scipy("integrate").cumulative_trapezoid(y, dx=0.5))},
        1e-9,
    ),
    "simpson": (
        _one,
        lambda bk, y: calculus.simpson(y, dx=0.5),
        {"scipy": (ALL, lambda bk, y: _scipy("integrate").simpson(y, dx=0.5))},
        1e-9,
    ),
    "gradient": (
        _one,
        lambda bk, y: calculus.gradient(y, 0.5),
        {"native": (ALL, lambda bk, y: _native_gradient(bk, y))},
        1e-12,
    ),
    "vector_norm": (
        _one,
        lambda bk, x: linalg.vector_norm(x),
        {"native": (ALL, lambda bk, x: _native_norm(bk, x))},
        1e-9,
    ),
}


def _native_gradient(bk: str, y: Any) -> Any:
    if bk == "torch":
        import torch

        return torch.gradient(y, spacing=0.5)[0]
    return _native(bk).gradient(y, 0.5)


def _native_norm(bk: str, x: Any) -> Any:
    if bk == "torch":
        import torch

        return torch.linalg.vector_norm(x)
    return _native(bk).linalg.norm(x)


@functools.cache
def _inputs(case: str, n: int) -> tuple[np.ndarray, ...]:
    return CASES[case][0](np.random.default_rng(20261127 + n), n)


def _host(out: Any) -> np.ndarray:
    """A result (array or t-test result) as float64 NumPy, for the agreement check."""
    if hasattr(out, "statistic"):
        return np.array([float(xpmath.to_numpy(out.statistic)), float(xpmath.to_numpy(out.pvalue))])
    if type(out).__module__.startswith("torch"):
        return out.detach().cpu().numpy().astype(np.float64)
    return np.asarray(out, dtype=np.float64)


def _sync(bk: str, out: Any) -> Any:
    b = BACKENDS[bk]
    if hasattr(out, "statistic"):
        parts = (out.statistic, out.pvalue)
    elif isinstance(out, dict):  # an OptimizeResult
        parts = (out["x"],)
    else:
        parts = (out,)
    for x in parts:
        b.synchronize(x)
    return out


def _params() -> list[Any]:
    out = []
    for case, (_, _, peers, _) in CASES.items():
        impls = ["xpmath", *peers]
        for bk in BACKEND_NAMES:
            for size in SIZES:
                for impl in impls:
                    if impl != "xpmath" and bk not in peers[impl][0]:
                        continue
                    out.append(pytest.param(case, bk, size, impl, id=f"{case}-{bk}-{size}-{impl}"))
    return out


@pytest.mark.parametrize(("case", "bk", "size", "impl"), _params())
def test_peer(benchmark, case: str, bk: str, size: str, impl: str) -> None:
    _, ours, peers, rtol = CASES[case]
    data = tuple(xpmath.asarray(a, backend=bk) for a in _inputs(case, SIZES[size]))
    fn = (lambda: ours(bk, *data)) if impl == "xpmath" else (lambda: peers[impl][1](bk, *data))
    try:
        got = _sync(bk, fn())
    except Exception as exc:  # the peer does not take this backend's arrays
        if impl == "xpmath":
            raise
        pytest.skip(f"{impl} {case} does not run on {bk}: {type(exc).__name__}: {str(exc)[:120]}")
    out = got.statistic if hasattr(got, "statistic") else got
    if impl.startswith("scipy") and not isinstance(out, float | int) and bk != "numpy":
        # SciPy in array-API mode returns the input's kind of array; a NumPy array here means
        # it converted (SCIPY_ARRAY_API unset when SciPy was first imported)
        from xpmath._dispatch import backend_of

        assert backend_of(out).name == bk, f"{impl} returned {type(out).__name__} for {bk}"
    host = _inputs(case, SIZES[size])
    reference = _host(ours("numpy", *host)) if impl != "xpmath" else None
    peer_ref = _host(peers[next(iter(peers))][1]("numpy", *host))
    want = reference if reference is not None else peer_ref
    # relative to the result's scale: a running sum near zero carries its partial sums' error
    scale = float(np.max(np.abs(want))) if want.size else 1.0
    np.testing.assert_allclose(_host(got), want, rtol=rtol, atol=rtol * scale)
    benchmark.group = f"{case} {bk} {size}"
    benchmark.extra_info.update(case=case, backend=bk, size=size, impl=impl)
    benchmark.pedantic(lambda: _sync(bk, fn()), rounds=ROUNDS[size], warmup_rounds=1)


# ------------------------------------------------------------------ minimize
def _rosen(xp: Any) -> tuple[Any, Any]:
    def f(x: Any) -> Any:
        return xp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)

    def g(x: Any) -> Any:
        xm, xl, xr = x[1:-1], x[:-2], x[2:]
        mid = 200 * (xm - xl**2) - 400 * (xr - xm**2) * xm - 2 * (1 - xm)
        first = -400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0])
        last = 200 * (x[-1] - x[-2] ** 2)
        return xp.concat([xp.reshape(first, (1,)), mid, xp.reshape(last, (1,))])

    return f, g


def _beale(xp: Any) -> tuple[Any, Any]:
    def f(x: Any) -> Any:
        a, b = x[0], x[1]
        return (1.5 - a + a * b) ** 2 + (2.25 - a + a * b**2) ** 2 + (2.625 - a + a * b**3) ** 2

    def g(x: Any) -> Any:
        a, b = x[0], x[1]
        t1, t2, t3 = 1.5 - a + a * b, 2.25 - a + a * b**2, 2.625 - a + a * b**3
        ga = 2 * t1 * (b - 1) + 2 * t2 * (b**2 - 1) + 2 * t3 * (b**3 - 1)
        gb = 2 * t1 * a + 2 * t2 * 2 * a * b + 2 * t3 * 3 * a * b**2
        return xp.stack([ga, gb])

    return f, g


def _quadratic(xp: Any) -> tuple[Any, Any]:
    d = xp.asarray(np.arange(1.0, 101.0))

    def f(x: Any) -> Any:
        return 0.5 * xp.sum(d * x * x) - xp.sum(x)

    def g(x: Any) -> Any:
        return d * x - 1.0

    return f, g


PROBLEMS = {
    "rosenbrock": (_rosen, np.array([-1.2, 1.0]), np.array([1.0, 1.0])),
    "beale": (_beale, np.array([1.0, 1.0]), np.array([3.0, 0.5])),
    "quadratic100": (_quadratic, np.ones(100), 1.0 / np.arange(1.0, 101.0)),
}
METHODS = ["BFGS", "L-BFGS-B", "CG", "Nelder-Mead"]


def _minimize_params() -> list[Any]:
    out = []
    for prob in PROBLEMS:
        for method in METHODS:
            if prob == "quadratic100" and method == "Nelder-Mead":
                continue  # 100-dimensional Nelder-Mead does not converge for either library
            for impl in ("xpmath", "scipy"):
                out.append(
                    pytest.param(prob, method, "numpy", impl, id=f"{prob}-{method}-numpy-{impl}")
                )
        if "jax" in BACKEND_NAMES:
            for impl in ("xpmath", "jax.scipy"):
                out.append(pytest.param(prob, "BFGS", "jax", impl, id=f"{prob}-BFGS-jax-{impl}"))
    return out


@pytest.mark.parametrize(("prob", "method", "bk", "impl"), _minimize_params())
def test_minimize_peer(benchmark, prob: str, method: str, bk: str, impl: str) -> None:
    make, x0, solution = PROBLEMS[prob]
    jac = method != "Nelder-Mead"
    if impl == "scipy":
        from scipy.optimize import minimize as peer

        f, g = make(np)
        opts = {"maxiter": 20000} if method == "Nelder-Mead" else {}
        run = functools.partial(peer, f, x0, jac=g if jac else None, method=method, options=opts)
    elif impl == "jax.scipy":
        import jax
        import jax.numpy as jnp
        from jax.scipy.optimize import minimize as peer

        f, _ = make(jnp)
        fj = jax.jit(lambda x0: peer(f, x0, method="BFGS").x)
        run = functools.partial(fj, jnp.asarray(x0))
    else:
        b = BACKENDS[bk]
        f, g = make(b.xp)
        xb = xpmath.asarray(x0, backend=bk)
        run = functools.partial(optimize.minimize, f, xb, jac=g if jac else None, method=method)
    res = run()
    x = _host(res.x if hasattr(res, "x") else res)
    if impl != "xpmath" and not np.allclose(x, solution, rtol=2e-4, atol=2e-4):
        pytest.skip(f"{impl} {method} stops at {x[:3]} on {prob}, not at the minimum: no timing")
    np.testing.assert_allclose(x, solution, rtol=2e-4, atol=2e-4)  # both reach the minimum
    benchmark.group = f"minimize {prob} {method} {bk}"
    benchmark.extra_info.update(
        case=f"minimize {method} {prob}", backend=bk, size=str(x0.size), impl=impl
    )
    # JAX dispatches asynchronously: time until the answer exists, for both implementations
    benchmark.pedantic(lambda: _sync(bk, run()), rounds=10, warmup_rounds=1)
