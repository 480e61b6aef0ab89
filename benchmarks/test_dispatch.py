"""Per-call overhead on small arrays: a representative routine of each topic, xpmath vs the raw
backend call on the same input (matmul, norm, solve, gradient, trapezoid, mean, cov, norm.cdf,
softmax, one optimiser step), on NumPy and on eager torch and JAX.

The optimiser appears twice: a whole ``gradient_descent`` call of one step (argument checks,
the result object) against one hand-written update and the objective at its result (the
result's ``x`` and ``fun``), and a call of 100 steps against a hand-written loop of 100 plain
updates and the objective at its end, reported per step. xpmath's step also checks that the
gradient norm is finite and has not exploded and that the new iterate is finite (one host
read a step; for a short float64 vector on NumPy or CPU torch only the gradient's norm, as
Python floats, while the iterates are provably bounded: ``optimize/loop_engine.py``); the
hand-written loop checks nothing.

Budget (issue "one authority"): at most 1 µs above the raw call on NumPy, 2 µs on torch and
JAX. Run ``pytest benchmarks/test_dispatch.py --benchmark-only`` and compare each ``xpmath``
row with its ``raw`` row; ``python benchmarks/test_dispatch.py`` prints the table (the best of 7
rounds of 2,000 calls, xpmath's and the raw call's rounds interleaved, and each round over
every row in turn) that the README quotes.
"""

from __future__ import annotations

import math
import timeit
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import xpmath
from xpmath import calculus, linalg, nn, optimize, stats

ROUTINES = (
    "matmul",
    "norm",
    "solve",
    "gradient",
    "trapezoid",
    "mean",
    "cov",
    "norm.cdf",
    "softmax",
    "gd call",
    "gd 100 steps",
)
#: timed rounds per row, each of 2,000 calls (20 for a 100-step run) of either side in turn
ROUNDS = 7
#: routines whose table row is per step: the time of the call divided by this many steps
PER_STEP = {"gd 100 steps": 100}


def _loss(x: Any) -> Any:
    return linalg.vector_norm(x) ** 2


def _jac(x: Any) -> Any:
    return 2 * x


def _hand_step(x: Any) -> tuple[Any, Any]:
    """One plain update and the objective there: the two numbers a ``gradient_descent``
    result carries (``x`` and ``fun``), written by hand, no checks."""
    x = x - 0.1 * _jac(x)
    return x, _loss(x)


def _result(res: Any) -> tuple[Any, Any]:
    return res.x, res.fun


def _hand_loop(x: Any) -> tuple[Any, Any]:
    """The hand-written loop a user would write: 100 plain updates, no checks, and the
    objective at the end (the result's ``x`` and ``fun``, as for one step)."""
    for _ in range(100):
        x = x - 0.1 * _jac(x)
    return x, _loss(x)


def _inputs(name: str) -> tuple[Any, Any, Any, Any]:
    """A 4×4 system matrix, an 8-vector, a 3×8 matrix and a 4-vector right-hand side."""
    rng = np.random.default_rng(0)
    a = xpmath.asarray(rng.random((4, 4)) + 4 * np.eye(4), backend=name)
    v = xpmath.asarray(rng.random(8), backend=name)
    m = xpmath.asarray(rng.random((3, 8)), backend=name)
    r = xpmath.asarray(rng.random(4), backend=name)
    return a, v, m, r


def pairs(name: str) -> dict[str, tuple[Callable[[], Any], Callable[[], Any]]]:
    """``{routine: (xpmath call, raw call)}`` on backend ``name``'s small arrays."""
    a, v, m, r = _inputs(name)
    if name == "numpy":
        import scipy.special as sp

        raw = {
            "matmul": lambda: np.matmul(a, a),
            "norm": lambda: np.linalg.norm(v),
            "solve": lambda: np.linalg.solve(a, r),
            "gradient": lambda: np.gradient(v),
            "trapezoid": lambda: np.trapezoid(v),
            "mean": lambda: np.mean(v),
            "cov": lambda: np.cov(m),
            "norm.cdf": lambda: sp.ndtr(v),
            "softmax": lambda: sp.softmax(v),
            "gd call": lambda: _hand_step(v),
            "gd 100 steps": lambda: _hand_loop(v),
        }
    elif name == "torch":
        import torch

        raw = {
            "matmul": lambda: torch.matmul(a, a),
            "norm": lambda: torch.linalg.vector_norm(v),
            "solve": lambda: torch.linalg.solve(a, r),
            "gradient": lambda: torch.gradient(v)[0],
            "trapezoid": lambda: torch.trapezoid(v),
            "mean": lambda: torch.mean(v),
            "cov": lambda: torch.cov(m),
            "norm.cdf": lambda: torch.special.ndtr(v),
            "softmax": lambda: torch.softmax(v, 0),
            "gd call": lambda: _hand_step(v),
            "gd 100 steps": lambda: _hand_loop(v),
        }
    else:
        import jax
        import jax.numpy as jnp

        raw = {
            "matmul": lambda: jnp.matmul(a, a),
            "norm": lambda: jnp.linalg.norm(v),
            "solve": lambda: jnp.linalg.solve(a, r),
            "gradient": lambda: jnp.gradient(v),
            "trapezoid": lambda: jnp.trapezoid(v),
            "mean": lambda: jnp.mean(v),
            "cov": lambda: jnp.cov(m),
            "norm.cdf": lambda: jax.scipy.special.ndtr(v),
            "softmax": lambda: jax.nn.softmax(v),
            "gd call": lambda: _hand_step(v),
            "gd 100 steps": lambda: _hand_loop(v),
        }
    ours = {
        "matmul": lambda: linalg.matmul(a, a),
        "norm": lambda: linalg.norm(v),
        "solve": lambda: linalg.solve(a, r),
        "gradient": lambda: calculus.gradient(v),
        "trapezoid": lambda: calculus.trapezoid(v),
        "mean": lambda: stats.mean(v),
        "cov": lambda: stats.cov(m),
        "norm.cdf": lambda: stats.norm.cdf(v),
        "softmax": lambda: nn.softmax(v),
        "gd call": lambda: _result(optimize.gradient_descent(_loss, v, lr=0.1, steps=1, jac=_jac)),
        "gd 100 steps": lambda: _result(
            optimize.gradient_descent(_loss, v, lr=0.1, steps=100, jac=_jac)
        ),
    }
    return {k: (ours[k], raw[k]) for k in ROUTINES}


#: the eager backends the budget names (CuPy and Dask have their own per-call costs)
BACKENDS = [b.name for b in xpmath.backends() if b.usable and b.name in ("numpy", "torch", "jax")]


def _sync(name: str, f: Callable[[], Any]) -> Callable[[], Any]:
    """JAX dispatches asynchronously: time until the result exists."""
    if name != "jax":
        return f
    import jax

    return lambda: jax.block_until_ready(f())


@pytest.mark.parametrize("name", BACKENDS)
@pytest.mark.parametrize("routine", ROUTINES)
@pytest.mark.parametrize("side", ["xpmath", "raw"])
def test_dispatch(benchmark, name: str, routine: str, side: str) -> None:
    if name == "jax":
        xpmath.enable_x64()
    ours, raw = pairs(name)[routine]
    benchmark(_sync(name, ours if side == "xpmath" else raw))


def table() -> str:
    """Markdown rows: routine, backend, xpmath µs, raw µs, added µs. Each round times every
    row once, so a burst of load on the machine spoils one round of many rows, not every
    round of one row."""
    cells = []  # (label, backend, (xpmath call, raw call), calls per timing, steps per call)
    for name in BACKENDS:
        if name == "jax":
            xpmath.enable_x64()
        for routine, (ours, raw) in pairs(name).items():
            steps = PER_STEP.get(routine, 1)
            label = f"gd step (of {steps})" if steps > 1 else routine
            calls = (_sync(name, ours), _sync(name, raw))
            cells.append((label, name, calls, 2_000 // steps, steps))
    best = [[math.inf, math.inf] for _ in cells]
    for _ in range(ROUNDS):
        for (_, _, calls, number, _), b in zip(cells, best):
            for i, f in enumerate(calls):  # xpmath's and the raw call's rounds interleaved
                b[i] = min(b[i], timeit.timeit(f, number=number))
    lines = ["| routine | backend | xpmath µs | raw µs | added µs |", "|---|---|---|---|---|"]
    for (label, name, _, number, steps), b in zip(cells, best):
        t = [v / number / steps * 1e6 for v in b]
        lines.append(f"| {label} | {name} | {t[0]:.2f} | {t[1]:.2f} | {t[0] - t[1]:+.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
