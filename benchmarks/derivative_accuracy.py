"""How often are numerical derivatives wrong, and does ``derivative``'s error estimate say so?

Nine functions with closed-form first and second derivatives, at points of either sign whose
magnitudes spread over the decades from 1e-6 to 1e7 (float32) or 1e12 (float64):
``calculus.derivative`` (n = 1 and 2) and ``calculus.grad`` / ``calculus.hessian`` with
``method="richardson"`` on NumPy. An answer counts as wrong when it is off by more than 1e-3
(float32) or 1e-7 (float64) for n = 1, 3e-2 or 1e-5 for n = 2, of the derivative's size
plus what f's own rounding allows (|f| / max(|x|, 1)^n), where f (in x's dtype) and its
derivatives are finite; ``derivative``'s estimate misses
when the error exceeds twice it. A RuntimeWarning from xpmath's own arithmetic counts as
wrong.

Run ``python benchmarks/derivative_accuracy.py [points] [seed]`` (400 points, seed 1 by
default; about a minute on a 2-core VM).
"""

from __future__ import annotations

import sys
import warnings

import numpy as np

from xpmath import calculus

FUNCTIONS = {  # f, f', f''
    "sin(x)·x": (
        lambda v: np.sin(v) * v,
        lambda x: np.cos(x) * x + np.sin(x),
        lambda x: 2 * np.cos(x) - np.sin(x) * x,
    ),
    "log1p(x²)": (
        lambda v: np.log1p(v * v),
        lambda x: 2 * x / (1 + x * x),
        lambda x: 2 * (1 - x * x) / (1 + x * x) ** 2,
    ),
    "x³": (lambda v: v**3, lambda x: 3 * x * x, lambda x: 6 * x),
    "tanh": (np.tanh, lambda x: 1 / np.cosh(x) ** 2, lambda x: -2 * np.tanh(x) / np.cosh(x) ** 2),
    "cos(x)+x²": (
        lambda v: np.cos(v) + v * v,
        lambda x: 2 * x - np.sin(x),
        lambda x: 2 - np.cos(x),
    ),
    "atan": (np.arctan, lambda x: 1 / (1 + x * x), lambda x: -2 * x / (1 + x * x) ** 2),
    "1/x": (lambda v: 1 / v, lambda x: -1 / (x * x), lambda x: 2 / x**3),
    "sin": (np.sin, np.cos, lambda x: -np.sin(x)),
    "exp(x/1e3)": (
        lambda v: np.exp(v / 1000),
        lambda x: np.exp(x / 1000) / 1000,
        lambda x: np.exp(x / 1000) / 1e6,
    ),
}
KINDS = ("derivative", "derivative n=2", "grad", "hessian")


def _one(kind: str, f, x: np.ndarray) -> tuple[float, float]:
    """(answer, error estimate or NaN) at the one point in ``x``."""
    if kind.startswith("derivative"):
        r = calculus.derivative(f, x, n=2 if kind.endswith("2") else 1)
        return float(r.df[0]), float(r.error[0])
    if kind == "grad":
        return float(calculus.grad(lambda v: np.sum(f(v)), method="richardson")(x)[0]), np.nan
    hess = calculus.hessian(lambda v: np.sum(f(v)), method="richardson")(x)
    return float(hess[0, 0]), np.nan


def main(points: int = 400, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    total_wrong = total_missed = 0
    print(f"{'dtype/function':24s} " + " ".join(f"{k:>16s}" for k in KINDS) + "  (wrong/missed)")
    for dtype, top in ((np.float32, 7.0), (np.float64, 12.0)):
        xs = (10 ** rng.uniform(-6, top, points) * rng.choice([-1, 1], points)).astype(dtype)
        x64 = xs.astype(np.float64)
        for name, (f, d1, d2) in FUNCTIONS.items():
            cells = []
            with np.errstate(all="ignore"):
                want = {1: d1(x64), 2: d2(x64)}
                size = np.where(np.isfinite(f(xs)), np.abs(f(x64)), np.inf)
            for kind in KINDS:
                n = 2 if kind in ("derivative n=2", "hessian") else 1
                tol = {(np.float32, 1): 1e-3, (np.float32, 2): 3e-2}.get((dtype, n))
                tol = tol or (1e-7 if n == 1 else 1e-5)
                wrong = missed = 0
                for i in range(points):
                    if not np.isfinite(want[n][i]) or not np.isfinite(size[i]):
                        continue  # (exp(x/1e3) far out)
                    with warnings.catch_warnings():
                        warnings.simplefilter("error", RuntimeWarning)
                        try:
                            got, err = _one(kind, f, xs[i : i + 1])
                        except RuntimeWarning:
                            wrong += 1
                            continue
                    miss = abs(got - want[n][i])
                    allow = abs(want[n][i]) + size[i] / max(abs(x64[i]), 1.0) ** n
                    wrong += not miss <= tol * allow
                    missed += bool(miss > 2 * err)  # (NaN err: grad, hessian)
                cells.append(f"{wrong:>8d}/{missed:<7d}")
                total_wrong, total_missed = total_wrong + wrong, total_missed + missed
            print(f"{dtype.__name__ + '/' + name:24s} " + " ".join(f"{c:>16s}" for c in cells))
    print(f"wrong: {total_wrong}; derivative's error estimate missed: {total_missed}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
